"""A database that fails or stalls gives readers a 503 to come back to, never a hang or a 500.

In-process tests make every query fail; the last test freezes a real PostgreSQL cluster
of its own (SIGSTOP) under a real gunicorn and times the answers.
"""

import os
import time

import pytest
from django.db import OperationalError, ProgrammingError, connection
from django.test import Client

from bench.server import Gunicorn, ThrowawayPostgres, http_status
from publishing import database
from publishing.views import RETRY_AFTER_SECONDS


def database_down(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


@pytest.fixture
def failing_database(db):
    with connection.execute_wrapper(database_down):
        yield


@pytest.fixture
def lenient_client():
    return Client(raise_request_exception=False)


def test_a_page_that_needs_content_answers_a_friendly_503_with_retry_after(
    failing_database, lenient_client
):
    response = lenient_client.get("/reports/")

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Sorry, the service is unavailable" in html
    assert 'href="/about/"' in html


def test_a_form_post_while_the_database_is_down_answers_503(failing_database, lenient_client):
    response = lenient_client.post("/get-involved/", {"name": "Ada"})

    assert response.status_code == 503
    assert "may not have been received" in response.content.decode()


@pytest.mark.parametrize("path", ["/about/", "/privacy/", "/accessibility/"])
def test_a_page_that_needs_no_content_is_served_without_the_database(
    failing_database, lenient_client, path
):
    response = lenient_client.get(path)

    assert response.status_code == 200
    assert "<h1" in response.content.decode()


def test_static_files_never_touch_the_database(failing_database, lenient_client):
    assert lenient_client.get("/static/css/site.css").status_code == 200
    assert lenient_client.get("/favicon.ico").status_code == 302


def test_healthz_answers_503_with_retry_after(failing_database, lenient_client):
    response = lenient_client.get("/healthz")

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_the_drivers_own_connection_errors_are_a_503_too(db, lenient_client):
    # Closing a server-side cursor raises psycopg2's error unwrapped by Django.
    driver_error = type("OperationalError", (connection.Database.OperationalError,), {})(
        "the database did not answer within 2.5 s"
    )

    def stalled(execute, sql, params, many, context):
        raise driver_error

    with connection.execute_wrapper(stalled):
        response = lenient_client.get("/reports/")

    assert response.status_code == 503


def test_a_bug_in_a_query_is_still_a_500(db, lenient_client):
    def broken(execute, sql, params, many, context):
        raise ProgrammingError('column "nonsense" does not exist')

    with connection.execute_wrapper(broken):
        response = lenient_client.get("/reports/")

    assert response.status_code == 500
    assert "Retry-After" not in response


def test_the_site_recovers_on_the_first_request_after_the_database_returns(db, lenient_client):
    with connection.execute_wrapper(database_down):
        assert lenient_client.get("/reports/").status_code == 503

    assert lenient_client.get("/reports/").status_code == 200


def test_after_a_timeout_the_circuit_fails_fast_until_its_probe_connects():
    import threading

    database_back = threading.Event()
    circuit = database.Circuit(probe=lambda: database_back.wait(10))

    assert circuit.may_try()
    circuit.failed()
    circuit.failed()  # one probe, however many requests fail
    assert not circuit.may_try()
    assert [t.name for t in threading.enumerate()].count("database-probe") == 1

    database_back.set()
    deadline = time.monotonic() + 5
    while circuit.is_open and time.monotonic() < deadline:
        time.sleep(0.01)
    assert circuit.may_try()


@pytest.fixture(scope="module")
def stalling_site(tmp_path_factory):
    """gunicorn on a PostgreSQL cluster of its own, which the test may freeze."""
    if not ThrowawayPostgres.available():
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL server programs (initdb, pg_ctl) are needed for this test")
        pytest.skip("needs PostgreSQL's initdb and pg_ctl")
    import subprocess
    import sys

    from bench.server import ROOT

    work = tmp_path_factory.mktemp("stall")
    cluster = ThrowawayPostgres().start()
    processes = []
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "empac.settings.test",
            "DATABASE_URL": cluster.create_database("empac_stall"),
            # The limits of production's web requests, which this test times.
            "DJANGO_DB_STATEMENT_TIMEOUT": "2",
            "DJANGO_DB_CONNECT_TIMEOUT": "2",
        }
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT, env=env, check=True, timeout=300,
        )  # fmt: skip
        server = Gunicorn(env, work / "gunicorn.log", workers=1, threads=4, worker_class="gthread")
        processes.append(server.__enter__())
        yield cluster, f"http://127.0.0.1:{server.port}"
    finally:
        for server in processes:
            server.__exit__(None, None, None)
        cluster.remove()


def timed(url):
    started = time.monotonic()
    status = http_status(url, timeout=30)
    return status, time.monotonic() - started


def test_a_stalled_postgresql_gives_503s_in_seconds_and_recovery_at_once(stalling_site):
    cluster, site = stalling_site
    assert timed(f"{site}/reports/")[0] == 200
    cluster.stall()
    try:
        health, health_seconds = timed(f"{site}/healthz")
        page, page_seconds = timed(f"{site}/reports/")
        again, again_seconds = timed(f"{site}/themes/")
        about, about_seconds = timed(f"{site}/about/")
        static, _ = timed(f"{site}/static/css/site.css")
    finally:
        cluster.resume()
    recovered_after = None
    started = time.monotonic()
    while time.monotonic() - started < 5:
        if http_status(f"{site}/reports/", timeout=5) == 200:
            recovered_after = time.monotonic() - started
            break
        time.sleep(0.05)

    assert (health, page, again) == (503, 503, 503)
    assert health_seconds < 2
    assert page_seconds < 4
    assert again_seconds < 1, "after one timeout the worker fails fast"
    assert (about, static) == (200, 200)
    assert about_seconds < 1
    assert recovered_after is not None and recovered_after < 1
