import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A fresh process, so its database connection really fails rather than being faked.
PROBE = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
response = Client().get("/healthz")
print(response.status_code, response.content.decode().strip())
"""


@pytest.mark.django_db
def test_healthz_answers_ok_after_reaching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_healthz_is_never_cached_and_sets_no_cookies(client):
    first = client.get("/healthz")
    second = client.get("/healthz")

    for response in (first, second):
        assert "no-store" in response["Cache-Control"]
        assert not response.cookies
        assert "X-Page-Cache" not in response


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize(
    "database",
    [
        {"DJANGO_SQLITE_PATH": "/nonexistent-directory/empac.sqlite3", "DATABASE_URL": ""},
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/empac"},
    ],
    ids=["sqlite-unopenable", "postgres-refused"],
)
def test_healthz_answers_503_when_the_database_is_unreachable(database):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "empac.settings.test", **database}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == "503 database unavailable", result.stderr[-2000:]
