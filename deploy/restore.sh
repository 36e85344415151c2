#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into an empty database and media folder.
#   createdb -O empac empac_restored
#   DATABASE_URL=postgres://empac@localhost/empac_restored DJANGO_MEDIA_ROOT=/srv/restored/media \
#     deploy/restore.sh /var/backups/empac/2026-12-01
# Refuses a database that already has tables or a media folder that is not empty, so it
# can never mix a backup into live data. Then compare: deploy/site_summary.py.
set -euo pipefail
src=${1:?usage: deploy/restore.sh BACKUP_FOLDER}
: "${DATABASE_URL:?DATABASE_URL must name the empty PostgreSQL database to restore into}"
: "${DJANGO_MEDIA_ROOT:?DJANGO_MEDIA_ROOT must name the empty folder for the media}"

(cd "$src" && sha256sum --check --quiet SHA256SUMS)
tables=$(psql --dbname="$DATABASE_URL" -At -c \
  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [ "$tables" != 0 ]; then
  echo "The database already has $tables tables: restore only into a new, empty one." >&2
  exit 1
fi
mkdir -p "$DJANGO_MEDIA_ROOT"
if [ -n "$(ls -A "$DJANGO_MEDIA_ROOT")" ]; then
  echo "$DJANGO_MEDIA_ROOT is not empty: restore only into a new, empty folder." >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$src/database.dump"
tar -C "$DJANGO_MEDIA_ROOT" -xzf "$src/media.tar.gz"
echo "Restored $src into the database and $DJANGO_MEDIA_ROOT."
