"""`make soak`: load the site while its database and mail server stall, and report.

Starts everything it uses on loopback and stops it at the end: a PostgreSQL cluster of
its own (never anyone's shared server), a mail server that can stall, gunicorn with
deploy/gunicorn.conf.py and the production settings, and the task worker (restarted
when it exits, as systemd would). Then 64 connections send mixed GETs and Get involved
registrations for 60 s. From 15 s to 25 s the database is frozen (SIGSTOP of its own
processes); from 10 s to 40 s the mail server accepts connections and never answers.

It prints what the issue asks to be shown: the longest wait, where the 503s fell, any
other server error, how soon the site answered after the database came back, and
whether every accepted registration was stored once and emailed once the mail server
recovered. Exits 1 when one of those fails. Bounded: about three minutes in all.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import (  # noqa: E402
    ROOT,
    Gunicorn,
    Process,
    StallingSMTPServer,
    ThrowawayPostgres,
    manage,
    production_site,
)

PAGES = ["/", "/reports/", "/themes/", "/partners/", "/people/", "/about/", "/gap-analyses/"]
MAX_WAIT_SECONDS = 5.0
RECOVERY_SECONDS = 1.0


def log(message: str) -> None:
    print(f"==> {message}", flush=True)


class Load:
    """Records every request: when it started (seconds into the run), status, duration."""

    def __init__(self, port: int, started: float):
        self.port = port
        self.started = started
        self.lock = threading.Lock()
        self.results: list[tuple[float, float, int, str]] = []
        self.accepted: list[str] = []
        self.attempted = 0
        self.reconnects = 0
        self.errors: list[str] = []

    def request(self, connection, method, path, body=None, headers=None):
        at = time.monotonic()
        for fresh in (connection.sock is None, True):
            try:
                connection.request(method, path, body=body, headers=headers or {})
                response = connection.getresponse()
                content = response.read()
                status = response.status
                break
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                response, content, status = None, b"", 0  # 0: no answer at all
                with self.lock:
                    self.errors.append(f"{time.monotonic() - self.started:.2f} s {path}: {error!r}")
                if fresh:
                    break
                # A kept-alive connection the server closed (a worker restarting after
                # max_requests) is tried once more on a new one, as browsers and nginx do.
                with self.lock:
                    self.reconnects += 1
        took = time.monotonic() - at
        kind = "POST" if method == "POST" else "GET"
        with self.lock:
            self.results.append((at - self.started, took, status, f"{kind} {path}"))
        return response, content

    def client(self, stop: threading.Event, seed: int, pages: list[str]):
        rng = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while not stop.is_set():
            if rng.random() < 0.1:
                self.register(connection, rng)
            else:
                self.request(connection, "GET", rng.choice(pages))
        connection.close()

    def register(self, connection, rng):
        response, form = self.request(connection, "GET", "/get-involved/")
        if response is None or response.status != 200:
            return
        cookie = response.headers.get("Set-Cookie", "").split(";", 1)[0]
        csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        token = re.search(rb'name="token" value="([^"]+)"', form)
        themes = re.findall(rb'name="themes"[^>]* value="(\d+)"', form)
        if not (csrf and token and themes and cookie):
            return
        email = f"soak-{secrets.token_hex(6)}@example.org"
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf.group(1).decode(),
                "token": token.group(1).decode(),
                "name": "Soak Test",
                "email": email,
                "institution": "University of Loopback",
                "discipline": "law",
                "themes": rng.choice(themes).decode(),
                "consent": "yes",
            }
        )
        with self.lock:
            self.attempted += 1
        response, _ = self.request(
            connection,
            "POST",
            "/get-involved/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
            },
        )
        if response is not None and response.status == 302:
            with self.lock:
                self.accepted.append(email)


def probe_recovery(port, resumed_at: list, recovered: list, stop):
    """After the database is resumed, how soon does a page that needs it answer 200?"""
    while not stop.is_set():
        if resumed_at and not recovered:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.request("GET", f"/reports/?probe={secrets.token_hex(4)}")
                if connection.getresponse().status == 200:
                    recovered.append(time.monotonic() - resumed_at[0])
            except (OSError, http.client.HTTPException):
                pass
            finally:
                connection.close()
        time.sleep(0.02)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--stall-at", type=float, default=15)
    parser.add_argument("--stall-for", type=float, default=10)
    parser.add_argument("--mail-stall", default="10-40", help="seconds into the run, from-to")
    parser.add_argument("--mail-wait", type=float, default=150, help="seconds to wait for mail")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--no-doc", action="store_true", help="do not update the docs page")
    args = parser.parse_args()
    mail_from, mail_to = map(float, args.mail_stall.split("-"))

    work = Path(tempfile.mkdtemp(prefix="empac-soak-"))
    cluster = ThrowawayPostgres()
    smtp = StallingSMTPServer()
    processes: list[Process] = []
    worker_restarts = 0
    current_worker: list[Process] = []
    loads = [os.getloadavg()]
    try:
        log(f"PostgreSQL cluster of its own on 127.0.0.1:{cluster.port} ({cluster.dir})")
        cluster.start()
        env = production_site(
            work,
            database_url=cluster.create_database("empac_soak"),
            smtp=smtp,
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_EMAIL_TIMEOUT="5",
            EMPAC_REGISTRATION_RATE_LIMIT="1000000",
            DJANGO_LOG_LEVEL="ERROR",
        )
        manage(env, ["migrate", "--noinput"], ["seed_empac"], ["collectstatic", "--noinput"])
        log("gunicorn (deploy/gunicorn.conf.py: gthread, 2 workers x 4 threads)")
        # No restarts after max_requests (Gunicorn's default here): the run measures
        # faults, not worker recycling, which nginx would retry.
        server = Gunicorn(
            env, work / "gunicorn.log", workers=2, threads=4, worker_class="gthread"
        ).__enter__()
        processes.append(server.process)
        port = server.port

        def start_worker():
            return Process(
                "worker",
                [sys.executable, "manage.py", "db_worker", "--interval", "0.5"],
                log_dir=work, env=env,
            )  # fmt: skip

        worker = start_worker()
        current_worker.append(worker)
        pages = PAGES + [f"/static/css/site.css?{n}" for n in range(1)]
        started = time.monotonic()
        load = Load(port, started)
        stop, probe_stop = threading.Event(), threading.Event()
        resumed_at, recovered = [], []
        threads = [
            threading.Thread(target=load.client, args=(stop, n, pages), daemon=True)
            for n in range(args.connections)
        ]
        threads.append(
            threading.Thread(
                target=probe_recovery, args=(port, resumed_at, recovered, probe_stop), daemon=True
            )
        )
        log(
            f"{args.connections} connections for {args.duration:g} s; database stalled "
            f"{args.stall_at:g}-{args.stall_at + args.stall_for:g} s, mail {args.mail_stall} s"
        )
        for thread in threads:
            thread.start()
        events = sorted(
            [
                (mail_from, "mail stalls", smtp.stalled.set),
                (mail_to, "mail answers", smtp.stalled.clear),
                (args.stall_at, "database stalls (SIGSTOP)", cluster.stall),
                (
                    args.stall_at + args.stall_for,
                    "database resumes (SIGCONT)",
                    lambda: (cluster.resume(), resumed_at.append(time.monotonic())),
                ),
                (args.duration, "load stops", stop.set),
            ],
            key=lambda event: event[0],
        )
        for at, what, action in events:
            while time.monotonic() - started < at:
                time.sleep(0.01)
                if not worker.running():
                    worker_restarts += 1
                    worker.stop()
                    worker = current_worker[0] = start_worker()
            log(f"{time.monotonic() - started:5.1f} s: {what}")
            action()
        for thread in threads[:-1]:
            thread.join(timeout=40)
        probe_stop.set()
        stalled_from, stalled_to = args.stall_at, args.stall_at + args.stall_for

        log(f"waiting up to {args.mail_wait:g} s for the worker to send every email")
        import psycopg2

        def unsent() -> int:
            connection = psycopg2.connect(env["DATABASE_URL"])
            try:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM involvement_interestregistration "
                        "WHERE email LIKE 'soak-%%' "
                        "AND (notified_at IS NULL OR acknowledged_at IS NULL)"
                    )
                    return cursor.fetchone()[0]
            finally:
                connection.close()

        mail_deadline = time.monotonic() + args.mail_wait
        while unsent() and time.monotonic() < mail_deadline:
            if not worker.running():
                worker_restarts += 1
                worker.stop()
                worker = current_worker[0] = start_worker()
            time.sleep(0.5)
        mail_done = time.monotonic() - started

        connection = psycopg2.connect(env["DATABASE_URL"])
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT email, count(*) FROM involvement_interestregistration "
                "WHERE email LIKE 'soak-%%' GROUP BY email"
            )
            stored = dict(cursor.fetchall())
        connection.close()
        still_unsent = unsent()
    finally:
        for process in reversed(processes + current_worker):
            process.stop()
        smtp.close()
        cluster.remove()
    loads.append(os.getloadavg())

    durations = [took for _, took, _, _ in load.results]
    statuses = Counter(status for _, _, status, _ in load.results)
    # When each 503 was answered: during the stall, or in the second the issue allows
    # for recovery after it.
    unavailable = [at + took for at, took, status, _ in load.results if status == 503]
    outside = [at for at in unavailable if not stalled_from <= at <= stalled_to + RECOVERY_SECONDS]
    errors = sum(n for status, n in statuses.items() if status >= 500 and status != 503)
    no_answer = statuses.get(0, 0)
    duplicates = [email for email, n in stored.items() if n > 1]
    missing = [email for email in load.accepted if email not in stored]
    # A registration whose COMMIT reached the server just as it froze is stored, while its
    # sender got a 503 ("may not have been received"); sent again, it is stored once.
    stored_after_503 = len(set(stored) - set(load.accepted))
    expected_mail = 2 * len(stored)
    figures = {
        "requests": len(load.results),
        "requests_per_second": round(len(load.results) / args.duration, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "longest_wait_s": round(max(durations, default=0), 3),
        "p99_wait_s": round(percentile(durations, 0.99), 3),
        "waits_over_5s": sum(took > MAX_WAIT_SECONDS for took in durations),
        "503s": len(unavailable),
        "503s_answered_first_last_s": [round(min(unavailable), 2), round(max(unavailable), 2)]
        if unavailable
        else None,
        "503s_outside_the_stall": len(outside),
        "other_5xx": errors,
        "no_answer": no_answer,
        "keepalive_reconnects": load.reconnects,
        "connection_errors": load.errors[:5],
        "slowest": [
            f"{at:.2f} s {kind} {status} took {took:.2f} s"
            for at, took, status, kind in sorted(load.results, key=lambda r: -r[1])[:5]
        ],
        "recovered_after_s": round(recovered[0], 3) if recovered else None,
        "registrations_attempted": load.attempted,
        "registrations_accepted": len(load.accepted),
        "registrations_stored": len(stored),
        "stored_twice": len(duplicates),
        "stored_though_answered_503": stored_after_503,
        "accepted_but_missing": len(missing),
        "emails_expected": expected_mail,
        "emails_received": smtp.received(),
        "registrations_with_emails_unsent": still_unsent,
        "all_mail_sent_by_s": round(mail_done, 1),
        "worker_restarts": worker_restarts,
        "load_average_before_after": [
            ", ".join(f"{v:.2f}" for v in loads[0]),
            ", ".join(f"{v:.2f}" for v in loads[1]),
        ],
    }
    checks = {
        f"no request waited more than {MAX_WAIT_SECONDS:g} s": figures["waits_over_5s"] == 0,
        "503s only during the stall (and the recovery second)": not outside,
        "no other server error, every request answered": errors == 0 and no_answer == 0,
        f"recovered within {RECOVERY_SECONDS:g} s": bool(recovered)
        and recovered[0] < RECOVERY_SECONDS,
        "every accepted registration stored exactly once": not duplicates and not missing,
        "every email sent once the mail server recovered": still_unsent == 0
        and smtp.received() == expected_mail,
    }
    print()
    print(json.dumps(figures, indent=2))
    print()
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "checks": checks}, indent=2))
    if not args.no_doc:
        write_doc(figures, checks, args)
        log(f"wrote the soak section of {DOC.relative_to(ROOT)}")
    return 0 if all(checks.values()) else 1


DOC = ROOT / "docs" / "benchmarks.md"
SECTION = re.compile(r"<!-- soak -->.*?<!-- /soak -->", re.S)


def write_doc(figures, checks, args) -> None:
    """Replace the soak section of docs/benchmarks.md (bench/run.py keeps it)."""
    import datetime

    from bench.run import machine

    f = figures
    rows = [
        ("requests (per second)", f"{f['requests']:,} ({f['requests_per_second']:,.0f})"),
        ("statuses", ", ".join(f"{k}: {v:,}" for k, v in f["statuses"].items())),
        ("longest wait / p99", f"{f['longest_wait_s']:.2f} s / {f['p99_wait_s']:.2f} s"),
        ("waits over 5 s", f["waits_over_5s"]),
        ("503s, answered from / to", f"{f['503s']:,}, {f['503s_answered_first_last_s']} s"),
        ("503s outside the stall and its recovery second", f["503s_outside_the_stall"]),
        ("other server errors / no answer", f"{f['other_5xx']} / {f['no_answer']}"),
        ("first page served after the database returned", f"{f['recovered_after_s']} s"),
        (
            "registrations accepted / stored / stored twice",
            f"{f['registrations_accepted']:,} / {f['registrations_stored']:,} / "
            f"{f['stored_twice']}",
        ),
        (
            "stored, though its sender got a 503 (the commit's reply lost in the freeze)",
            f["stored_though_answered_503"],
        ),
        (
            "emails expected / sent, all sent by",
            f"{f['emails_expected']:,} / {f['emails_received']:,}, "
            f"{f['all_mail_sent_by_s']:.0f} s into the run",
        ),
        ("task worker restarts", f["worker_restarts"]),
    ]
    table = "\n".join(
        ["| figure | value |", "| --- | --- |", *(f"| {name} | {value} |" for name, value in rows)]
    )
    verdicts = "\n".join(f"- {'PASS' if ok else 'FAIL'}: {name}" for name, ok in checks.items())
    now = datetime.datetime.now(datetime.UTC)
    section = f"""<!-- soak -->
## Faults under load (`make soak`)

{args.connections} connections for {args.duration:g} s of mixed GETs and Get involved
registrations against gunicorn (deploy/gunicorn.conf.py, 2 gthread workers x 4 threads,
production settings) on a PostgreSQL cluster of the script's own. The database is frozen
(SIGSTOP) from {args.stall_at:g} s to {args.stall_at + args.stall_for:g} s; the mail server
accepts connections and never answers from {args.mail_stall.replace("-", " s to ")} s.

{table}

{verdicts}

- Measured {now:%Y-%m-%d %H:%M} UTC on {machine()}; load average (1, 5, 15 min)
  {f["load_average_before_after"][0]} before, {f["load_average_before_after"][1]} after
  (other work shared the machine: figures are indicative).
- Command: `make soak` (`.venv/bin/python bench/soak.py`). Emails that failed during the
  mail stall are sent by the worker's retries (60 s, then doubling), hence the wait.
<!-- /soak -->"""
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    text = SECTION.sub(lambda _: section, text) if SECTION.search(text) else f"{text}\n{section}\n"
    DOC.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
