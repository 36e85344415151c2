"""The production topology of deploy/, started on loopback and used as readers would.

nginx (deploy/nginx/empac.conf.template, with TLS) in front of two gunicorn servers
(deploy/gunicorn.conf.py, one sync worker each: what slow clients would starve
without nginx), the task worker, a PostgreSQL cluster of its own and Redis, with the
production settings. It takes about half a minute.
"""

import datetime
import http.client
import os
import re
import shutil
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group
from django.db import connections
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.server import (
    Gunicorn,
    Process,
    StallingSMTPServer,
    ThrowawayPostgres,
    free_port,
    manage,
    production_site,
    start_nginx,
    start_redis,
    tls_certificate,
    wait_until,
)
from collaboration.models import Theme
from empac.settings.base import database_from_url
from publishing.curators import EDITORS_GROUP
from publishing.models import Status
from reports.models import Report

ALIAS = "topology"
PASSWORD = "a long enough curator password"
TOTP_KEY = "3132333435363738393031323334353637383930"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TLS = ssl._create_unverified_context()


def missing_programs():
    needed = {"nginx": shutil.which("nginx"), "redis-server": shutil.which("redis-server")}
    needed["openssl"] = shutil.which("openssl")
    missing = [name for name, path in needed.items() if not path]
    if not ThrowawayPostgres.available():
        missing.append("PostgreSQL server programs")
    return missing


class Site:
    """HTTP(S) requests to nginx or straight to one app server, with a cookie jar."""

    def __init__(self, https_port, app_ports):
        self.https_port = https_port
        self.app_ports = app_ports
        self.cookies = {}

    def request(self, method, path, *, server=None, data=None, headers=None, source="127.0.0.1"):
        """Through nginx (server=None) or straight to app server 0 or 1, as nginx would."""
        headers = {"Host": "localhost", **(headers or {})}
        if server is None:
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, context=TLS, timeout=20,
                source_address=(source, 0),
            )  # fmt: skip
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.app_ports[server], timeout=20)
            headers |= {"X-Forwarded-Proto": "https", "X-Forwarded-For": source}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"https://localhost{path}",
                "Origin": "https://localhost",
            }
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response, content

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, **kwargs):
        return self.request("POST", path, data=data, **kwargs)


def csrf_token(html: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()


@pytest.fixture(scope="module")
def topology(tmp_path_factory, django_db_blocker):
    missing = missing_programs()
    if missing:
        if os.environ.get("CI") or os.environ.get("REQUIRE_TOPOLOGY") == "1":
            pytest.fail(f"the topology test needs {', '.join(missing)}")
        pytest.skip(f"needs {', '.join(missing)} (.ci/run installs them)")
    work = tmp_path_factory.mktemp("topology")
    (work / "media" / "reports").mkdir(parents=True)
    cluster = ThrowawayPostgres().start()
    smtp = StallingSMTPServer()
    processes: list[Process] = []
    try:
        redis, redis_url = start_redis(log_dir=work)
        processes.append(redis)
        https_port = free_port()
        env = production_site(
            work,
            database_url=cluster.create_database("empac_topology"),
            smtp=smtp,
            DJANGO_ALLOWED_HOSTS="localhost",
            DJANGO_CSRF_TRUSTED_ORIGINS="https://localhost",
            REDIS_URL=redis_url,
            EMPAC_TRUSTED_PROXY_COUNT="1",
            EMPAC_MEDIA_ACCEL_REDIRECT="/protected-media/",
        )
        manage(env, ["migrate", "--noinput"], ["collectstatic", "--noinput"])
        app_ports = []
        for n in range(2):
            server = Gunicorn(env, work / f"app{n}.log", workers=1).__enter__()
            processes.append(server.process)
            app_ports.append(server.port)
        processes.append(
            Process(
                "worker",
                [sys.executable, "manage.py", "db_worker", "--interval", "0.2"],
                log_dir=work, env=env,
            )
        )  # fmt: skip
        certificate, key = tls_certificate(work)
        processes.append(
            start_nginx(
                {
                    "SERVER_NAME": "localhost",
                    "HTTP_LISTEN": f"127.0.0.1:{free_port()}",
                    "HTTPS_LISTEN": f"127.0.0.1:{https_port}",
                    "UPSTREAM_SERVERS": " ".join(f"server 127.0.0.1:{p};" for p in app_ports),
                    "TLS_CERTIFICATE": certificate,
                    "TLS_CERTIFICATE_KEY": key,
                    "STATIC_ROOT": work / "static",
                    "MEDIA_ROOT": work / "media",
                },
                log_dir=work,
            )
        )
        database = database_from_url(env["DATABASE_URL"])
        connections.settings[ALIAS] = connections.configure_settings({"default": database})[
            "default"
        ]
        with django_db_blocker.unblock():
            yield {
                "site": Site(https_port, app_ports),
                "content": make_content(work / "media"),
                "smtp": smtp,
                "work": work,
            }
    finally:
        if ALIAS in connections.settings:
            connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]
        for process in reversed(processes):
            process.stop()
        smtp.close()
        cluster.remove()


def make_content(media):
    theme = Theme.objects.using(ALIAS).create(
        position=1, slug="digital", short_name="Digital", full_name="Digital technologies",
        status=Status.PUBLISHED,
    )  # fmt: skip

    def report(title, status):
        slug = title.lower().replace(" ", "-")
        (media / "reports" / f"{slug}.pdf").write_bytes(PDF)
        report = Report(
            title=title, slug=slug, kind=Report.Kind.PROGRESS, summary="What it found.",
            published_on=datetime.date(2021, 2, 1), primary_theme=theme, status=status,
            pdf=f"reports/{slug}.pdf", cleared_at=timezone.now(), pdf_cleared_at=timezone.now(),
        )  # fmt: skip
        report.save(using=ALIAS)
        report.themes.add(theme)
        return report

    # Hashed as production hashes (the tests' own hasher is MD5, which it refuses).
    curator = get_user_model()(username="curator", email="curator@example.org", is_staff=True)
    curator.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    curator.save(using=ALIAS)
    # Publishing is an editor's move (publishing.workflow).
    curator.groups.add(Group.objects.using(ALIAS).get(name=EDITORS_GROUP))
    # Production asks staff for a second factor: the curator has an authenticator app.
    TOTPDevice.objects.using(ALIAS).create(user=curator, name="Authenticator app", key=TOTP_KEY)
    return {
        "public": report("Cryptocurrency and laundering", Status.PUBLISHED),
        "draft": report("Encrypted phones in county lines", Status.DRAFT),
    }


def slow_client(port, stop):
    """Opens a request and sends a header line every two seconds, never finishing."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
        with TLS.wrap_socket(raw, server_hostname="localhost") as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
            n = 0
            while not stop.wait(2):
                try:
                    sock.sendall(f"X-Slow-{n}: yes\r\n".encode())
                except OSError:
                    return
                n += 1


def test_ten_slow_clients_do_not_delay_a_normal_reader(topology):
    site = topology["site"]
    stop = threading.Event()
    clients = [
        threading.Thread(target=slow_client, args=(site.https_port, stop), daemon=True)
        for _ in range(10)
    ]
    for client in clients:
        client.start()
    time.sleep(1)
    try:
        timings = []
        for path in ["/", "/reports/", "/about/", "/", "/themes/"]:
            started = time.monotonic()
            response, _ = site.get(path)
            timings.append(time.monotonic() - started)
            assert response.status == 200, path
    finally:
        stop.set()
    assert max(timings) < 1.0, timings


def test_a_drafts_file_is_404_through_nginx_and_a_public_one_a_pdf_download(topology):
    site, content = topology["site"], topology["content"]

    draft, _ = site.get(content["draft"].get_pdf_url())
    public, body = site.get(content["public"].get_pdf_url())
    direct, _ = site.get(f"/media/{content['public'].pdf.name}")
    internal, _ = site.get(f"/protected-media/{content['public'].pdf.name}")

    assert draft.status == 404
    assert public.status == 200
    assert body == PDF
    assert public.headers["Content-Type"] == "application/pdf"
    assert public.headers["X-Content-Type-Options"] == "nosniff"
    assert public.headers["Content-Disposition"].startswith("attachment;")
    assert (direct.status, internal.status) == (404, 404)


def test_https_is_what_the_app_sees_and_static_files_come_from_nginx(topology):
    site = topology["site"]

    page, html = site.get("/about/")
    stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html).group(1)
    static, _ = site.get(stylesheet.decode())

    assert page.status == 200
    assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
    assert static.status == 200
    assert "immutable" in static.headers["Cache-Control"]
    # From nginx's alias, not WhiteNoise behind it (which adds this header).
    assert "Access-Control-Allow-Origin" not in static.headers


def test_an_edit_through_one_server_shows_on_the_next_request_to_the_other(topology):
    site, draft = topology["site"], topology["content"]["draft"]
    for server in (0, 1):
        site.get("/reports/", server=server)
        response, html = site.get("/reports/", server=server)
        assert response.headers["X-Page-Cache"] == "hit"
        assert draft.title.encode() not in html

    curator = Site(site.https_port, site.app_ports)
    _, login = curator.get("/admin/login/", server=0)
    signed_in, page = curator.post(
        "/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": csrf_token(login), "username": "curator", "password": PASSWORD},
        server=0,
    )
    assert signed_in.status == 302, page.decode()[:3000]
    # Production's second step: the admin asks for the authenticator's code first.
    asked, form = curator.get("/admin/reports/report/", server=0)
    assert asked.status == 302 and "/admin/two-factor/" in asked.headers["Location"]
    _, form = curator.get(asked.headers["Location"], server=0)
    code = f"{totp(bytes.fromhex(TOTP_KEY)):06d}"
    verified, page = curator.post(
        asked.headers["Location"], {"csrfmiddlewaretoken": csrf_token(form), "code": code}, server=0
    )
    assert verified.status == 302, page.decode()[:3000]
    _, changelist = curator.get("/admin/reports/report/", server=0)
    response, _ = curator.post(
        "/admin/reports/report/",
        {
            "csrfmiddlewaretoken": csrf_token(changelist),
            "action": "publish",
            "_selected_action": draft.pk,
        },
        server=0,
    )
    assert response.status == 302

    _, html = site.get("/reports/", server=1)
    assert draft.title.encode() in html

    # The session made on one server is good on the other (sessions in the database).
    response, html = curator.get("/admin/", server=1)
    assert response.status == 200 and b"Log out" in html


def test_the_rate_limit_is_per_visitor_and_shared_by_both_servers(topology, settings):
    site = topology["site"]
    visitor, neighbour = Site(site.https_port, site.app_ports), Site(site.https_port, [])
    limit = settings.EMPAC_REGISTRATION_RATE_LIMIT

    statuses = []
    for _ in range(limit + 1):
        _, form = visitor.get("/get-involved/", source="127.0.0.2")
        response, _ = visitor.post(
            "/get-involved/", {"csrfmiddlewaretoken": csrf_token(form)}, source="127.0.0.2"
        )
        statuses.append(response.status)
    _, form = neighbour.get("/get-involved/", source="127.0.0.3")
    other, _ = neighbour.post(
        "/get-involved/", {"csrfmiddlewaretoken": csrf_token(form)}, source="127.0.0.3"
    )

    # nginx sends requests to both servers in turn: one count for both.
    assert statuses == [200] * limit + [429]
    assert other.status == 200, "another visitor has an allowance of their own"


def test_a_registration_through_nginx_is_emailed_by_the_worker(topology):
    site, smtp = Site(topology["site"].https_port, []), topology["smtp"]
    theme = Theme.objects.using(ALIAS).get()
    _, form = site.get("/get-involved/", source="127.0.0.4")
    token = re.search(rb'name="token" value="([^"]+)"', form).group(1).decode()

    response, _ = site.post(
        "/get-involved/",
        {
            "csrfmiddlewaretoken": csrf_token(form), "token": token, "name": "Dr Ada Lovelace",
            "email": "ada@example.ac.uk", "institution": "University of Leicester",
            "discipline": "law", "themes": [theme.pk], "consent": "yes",
        },
        source="127.0.0.4",
    )  # fmt: skip

    assert response.status == 302
    wait_until(lambda: smtp.received() >= 2, timeout=20, what="the worker's emails")
