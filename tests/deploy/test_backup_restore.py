"""The restore drill: back up PostgreSQL and media, restore into a fresh database, same site.

Runs deploy/backup.sh and deploy/restore.sh as an operator would, on a PostgreSQL
cluster of its own, and compares deploy/site_summary.py's output before and after.
"""

import json
import os
import subprocess
import sys

import pytest

from bench.server import ROOT, ThrowawayPostgres

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ATTACH_PDF = f"""
import django; django.setup()
from django.core.files.base import ContentFile
from reports.models import Report
report = Report.objects.published().order_by("pk").first()
report.pdf.save("restore-drill.pdf", ContentFile({PDF!r}))
"""


@pytest.fixture
def cluster():
    if not ThrowawayPostgres.available():
        if os.environ.get("CI") or os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("the restore drill needs PostgreSQL's server programs")
        pytest.skip("needs PostgreSQL's initdb and pg_ctl")
    cluster = ThrowawayPostgres().start()
    yield cluster
    cluster.remove()


def run(command, env, **kwargs):
    return subprocess.run(
        command, cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=300,
        **kwargs,
    )  # fmt: skip


def summary(env) -> dict:
    return json.loads(run([sys.executable, "deploy/site_summary.py"], env).stdout)


def test_a_backup_restored_into_a_fresh_database_serves_the_same_site(cluster, tmp_path):
    live = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "empac.settings.dev",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": cluster.create_database("empac_live"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "live-media"),
    }
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], live)
    run([sys.executable, "manage.py", "seed_empac"], live)
    run([sys.executable, "-c", ATTACH_PDF], live)
    before = summary(live)

    run(["deploy/backup.sh", str(tmp_path / "backup")], live)
    restored = {
        **live,
        "DATABASE_URL": cluster.create_database("empac_restored"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "restored-media"),
    }
    run(["deploy/restore.sh", str(tmp_path / "backup")], restored)
    after = summary(restored)

    assert before["rows"]["reports.Report"] > 0
    assert list(before["files"]) and all(p.startswith("reports/") for p in before["files"])
    assert any(path.endswith("/pdf/") for path in before["pages"])
    assert all(status.startswith("200 ") for status in before["pages"].values())
    assert after == before


def test_restore_refuses_a_database_that_already_has_tables(cluster, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "empac.settings.dev",
        "DATABASE_URL": cluster.create_database("empac_used"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
    run(["deploy/backup.sh", str(tmp_path / "backup")], env)

    result = subprocess.run(
        ["deploy/restore.sh", str(tmp_path / "backup")],
        cwd=ROOT, env={**env, "DJANGO_MEDIA_ROOT": str(tmp_path / "new-media")},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 1
    assert "restore only into a new, empty one" in result.stderr
