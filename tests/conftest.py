import os
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django_tasks_db.management.commands.db_worker import Worker

from publishing.curators import CURATORS_GROUP, EDITORS_GROUP
from tests import factories


@pytest.fixture(scope="session", autouse=True)
def _require_postgres(django_db_setup, django_db_blocker):
    """With REQUIRE_POSTGRES=1 (CI's second leg) the suite fails unless it really runs there."""
    if os.environ.get("REQUIRE_POSTGRES") != "1":
        return
    from django.db import connection

    with django_db_blocker.unblock():
        vendor = connection.vendor
    if vendor != "postgresql":
        pytest.fail(
            f"REQUIRE_POSTGRES=1 but the tests are running on {vendor}; "
            "set DATABASE_URL to a postgres:// URL.",
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test's database rolls back, so a page cached in one test is not for the next."""
    caches["pages"].clear()


@pytest.fixture
def curator(db):
    user = factories.UserFactory(username="cora", is_staff=True)
    user.groups.add(Group.objects.get(name=CURATORS_GROUP))
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def editor(db):
    user = factories.UserFactory(username="eddie", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def theme(db):
    return factories.ThemeFactory()


@pytest.fixture
def published_report(db, theme):
    return factories.ReportFactory(primary_theme=theme, themes=[theme])


@pytest.fixture
def draft_report(db, theme):
    return factories.ReportFactory(status="draft", primary_theme=theme, themes=[theme])


def run_background_tasks() -> None:
    """Run every task that is due, as `manage.py db_worker` would, then return.

    The worker closes "old" connections between tasks, which inside a test's
    transaction would close the test's own; Django's test client skips that for requests
    in the same way.
    """
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        _worker().run()


def _worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
