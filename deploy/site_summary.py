"""Print what a site holds and serves, to compare a restored copy with the original.

    python deploy/site_summary.py > before.json      # against the live site's settings
    DATABASE_URL=… DJANGO_MEDIA_ROOT=… python deploy/site_summary.py > after.json
    diff before.json after.json                      # nothing: the restore is whole

Rows per table, a digest of each uploaded file, and a digest of pages rendered as an
anonymous reader sees them (the home page, the lists, every report page and PDF).
"""

import hashlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "empac.settings.dev")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def main() -> None:
    import django

    django.setup()
    from django.apps import apps
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from reports.models import Report

    setup_test_environment()  # the test client's hosts, nothing else
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    rows = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }
    media = Path(settings.MEDIA_ROOT)
    files = {
        str(path.relative_to(media)): digest(path.read_bytes())
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }
    client = Client()
    paths = ["/", "/themes/", "/reports/", "/gap-analyses/", "/partners/", "/people/"]
    for report in Report.objects.published().order_by("pk"):
        paths.append(report.get_absolute_url())
        if report.pdf:
            paths.append(report.get_pdf_url())
    pages = {}
    for path in paths:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages[path] = f"{response.status_code} {digest(body)}"
    json.dump({"rows": rows, "files": files, "pages": pages}, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
