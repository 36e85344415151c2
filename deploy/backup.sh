#!/usr/bin/env bash
# Back up the site: the PostgreSQL database (pg_dump, custom format) and the media folder.
#   deploy/backup.sh /var/backups/empac/$(date +%F)
# Reads DATABASE_URL and DJANGO_MEDIA_ROOT from the environment (or /srv/empac/.env via
# `set -a; . .env; set +a`). Writes database.dump, media.tar.gz and SHA256SUMS to the folder.
set -euo pipefail
dest=${1:?usage: deploy/backup.sh DESTINATION_FOLDER}
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
media=${DJANGO_MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/media}

mkdir -p "$dest"
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" \
  --file="$dest/database.dump"
mkdir -p "$media"
tar -C "$media" -czf "$dest/media.tar.gz" .
(cd "$dest" && sha256sum database.dump media.tar.gz > SHA256SUMS)
echo "Backed up to $dest: $(du -sh "$dest" | cut -f1)"
