"""Cached pages are never stale across processes: two real servers, one database.

Each server is a separate gunicorn process with its own page cache, as workers on
different machines would be. Both warm the same public pages, then content changes
three ways: a model saved in this test process, a management command run as another
process, and a curator's publish action POSTed to one of the servers. The very next
request to every server must show the change.
"""

import datetime
import html
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connections
from django.utils import timezone

from bench.server import Gunicorn
from collaboration.models import Theme
from empac.settings.base import database_from_url
from publishing.curators import EDITORS_GROUP
from publishing.models import Status
from reports.models import Report

ROOT = Path(__file__).resolve().parents[2]
ALIAS = "pagecache_processes"
PASSWORD = "a long enough curator password"
PAGES = ["/", "/themes/digital-technologies/", "/reports/"]


def fetch(port, path, opener=None, data=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=urllib.parse.urlencode(data, doseq=True).encode() if data else None,
    )
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=20) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture
def shared_database(tmp_path, django_db_blocker):
    """A database of its own, reachable by this test, the servers and a command."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "empac.settings.test"}
    base_url = os.environ.get("DATABASE_URL", "").strip()
    if base_url:
        import psycopg2

        name = f"empac_pagecache_{os.getpid()}"
        url = urllib.parse.urlsplit(base_url)._replace(path=f"/{name}").geturl()
        server = database_from_url(base_url)
        admin = psycopg2.connect(
            dbname="postgres",
            user=server["USER"],
            password=server["PASSWORD"],
            host=server["HOST"],
            port=server["PORT"] or None,
        )
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = url
        database = database_from_url(url)
    else:
        path = tmp_path / "shared.sqlite3"
        env.update(DATABASE_URL="", DJANGO_SQLITE_PATH=str(path))
        database = {**settings.DATABASES["default"], "NAME": str(path), "TEST": {}}

    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    connections.settings[ALIAS] = connections.configure_settings({"default": database})["default"]
    try:
        with django_db_blocker.unblock():
            yield env
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]
        if base_url:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


@pytest.fixture
def servers(shared_database, tmp_path):
    """Two gunicorn servers with one worker each: two separate page caches."""
    with ExitStack() as stack:
        try:
            started = [
                stack.enter_context(Gunicorn(shared_database, tmp_path / f"server{n}.log"))
                for n in range(2)
            ]
        except RuntimeError as exc:
            pytest.fail(str(exc))
        yield [server.port for server in started]


@pytest.fixture
def content(shared_database):
    theme = Theme.objects.using(ALIAS).create(
        position=2,
        slug="digital-technologies",
        short_name="Understanding digital technologies",
        full_name="Digital technologies used by OCGs",
        status=Status.PUBLISHED,
    )

    def report(title, status):
        report = Report(
            title=title,
            slug=title.lower().replace(" ", "-"),
            kind=Report.Kind.PROGRESS,
            published_on=datetime.date(2021, 2, 1),
            primary_theme=theme,
            summary="What the work found.",
            status=status,
            cleared_at=timezone.now(),
        )
        report.save(using=ALIAS)
        report.themes.add(theme)
        return report

    curator = (
        get_user_model()
        .objects.db_manager(ALIAS)
        .create_user("curator", "curator@example.org", PASSWORD, is_staff=True)
    )
    # Publishing is an editor's move (publishing.workflow).
    curator.groups.add(Group.objects.using(ALIAS).get(name=EDITORS_GROUP))
    return {
        "published": report("Cryptocurrency and laundering", Status.PUBLISHED),
        "draft": report("Encrypted phones in county lines", Status.DRAFT),
    }


def warm(ports):
    """Visit every page on every server until each serves it from its cache."""
    for port in ports:
        for page in PAGES:
            fetch(port, page)
            status, headers, _ = fetch(port, page)
            assert (status, headers["X-Page-Cache"]) == (200, "hit"), (port, page)


def assert_every_server_shows(ports, text, pages=PAGES):
    for port in ports:
        for page in pages:
            status, _, body = fetch(port, page)
            assert status == 200
            assert html.escape(text) in body, f"server :{port} {page} is stale"


def signed_in_curator(port):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    _, _, page = fetch(port, "/admin/login/", opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, _, page = fetch(
        port,
        "/admin/login/?next=/admin/",
        opener,
        {"csrfmiddlewaretoken": token, "username": "curator", "password": PASSWORD},
    )
    assert status == 200 and "Log out" in page, "curator could not sign in"
    return opener


def test_an_edit_saved_in_another_process_shows_on_every_server_at_once(servers, content):
    warm(servers)

    report = content["published"]
    report.title = "Cryptocurrency and laundering, revised"
    report.save()

    assert_every_server_shows(servers, "Cryptocurrency and laundering, revised")


def test_reports_added_by_a_management_command_show_on_every_server_at_once(
    servers, content, shared_database
):
    warm(servers)

    subprocess.run(
        [sys.executable, "manage.py", "generate_demo_data", "--reports", "3", "--drafts", "0"],
        cwd=ROOT,
        env=shared_database,
        check=True,
        capture_output=True,
        timeout=120,
    )

    assert_every_server_shows(servers, "4 reports", pages=["/reports/"])
    for title in (
        Report.objects.using(ALIAS)
        .filter(provenance__startswith="Synthetic")
        .values_list("title", flat=True)
    ):
        assert_every_server_shows(servers, title)


def test_a_report_published_through_one_server_shows_on_every_server_at_once(servers, content):
    draft = content["draft"]
    warm(servers)
    assert html.escape(draft.title) not in fetch(servers[1], "/reports/")[2]

    curator = signed_in_curator(servers[0])
    _, _, changelist = fetch(servers[0], "/admin/reports/report/", curator)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', changelist).group(1)
    status, _, _ = fetch(
        servers[0],
        "/admin/reports/report/",
        curator,
        {"csrfmiddlewaretoken": token, "action": "publish", "_selected_action": draft.pk},
    )
    assert status == 200
    assert Report.objects.using(ALIAS).get(pk=draft.pk).status == Status.PUBLISHED

    assert_every_server_shows(servers, draft.title)
