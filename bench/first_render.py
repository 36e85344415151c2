"""First renders of each public page type, in-process: time (median of many) and size.

    DJANGO_SQLITE_PATH=/tmp/x.sqlite3 .venv/bin/python -m bench.first_render --reps 15
    .venv/bin/python -m bench.first_render --sql      # each page's slowest queries too

Each request goes through the whole middleware stack with Django's test client, as an
anonymous reader. Two figures per page:

- first render: the page with a fresh random ``r=`` parameter, a page the page cache
  has never seen (``X-Page-Cache: miss`` is checked), while the values kept per content
  version (``publishing.versioning.content_cached``: list keys, sidebars) are kept;
- after an edit: every cache emptied first, as after a curator's change, when the next
  reader pays for those values too.

Prints JSON (``--json``) for bench/run.py, or a table. Settings are production's
behaviour where it matters (DEBUG off); the database is whatever DATABASE_URL or
DJANGO_SQLITE_PATH names.
"""

import argparse
import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "empac.settings.dev")
    os.environ["DJANGO_DEBUG"] = "false"
    # One connection for the whole run, so its server process's CPU time can be read.
    os.environ.setdefault("DJANGO_CONN_MAX_AGE", "3600")
    import django

    django.setup()


def page_list() -> list[tuple[str, str]]:
    """(name, path) of each page type, with content from the database: the largest of each."""
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from collaboration.models import Organisation, Person, Theme
    from reports.models import GapAnalysis, KnowledgeGap, Report

    reports = Report.objects.published()
    # The same theme at every size, so its page is compared with itself.
    theme = Theme.objects.published().order_by("position").first()
    report = reports.newest_first().first()
    organisation = (
        Organisation.objects.published().annotate(n=Count("reports")).order_by("-n", "pk").first()
    )
    person = Person.objects.published().annotate(n=Count("reports")).order_by("-n", "pk").first()
    analysis = GapAnalysis.objects.published().first()
    pages = [
        ("home", reverse("browse:home")),
        ("themes index", reverse("browse:theme-list")),
        ("theme page", theme.get_absolute_url()),
        ("reports index", reverse("reports:report-list")),
        ("reports index, filtered", f"{reverse('reports:report-list')}?theme={theme.slug}"),
        ("report page", report.get_absolute_url()),
        ("partners index", reverse("browse:organisation-list")),
        ("partner page", organisation.get_absolute_url()),
        ("people index", reverse("browse:person-list")),
        ("person page", person.get_absolute_url()),
        ("gap analyses", reverse("reports:gapanalysis-list")),
    ]
    if analysis:
        pages.append(("gap analysis page", analysis.get_absolute_url()))
    pages.append(("search", f"{reverse('search:results')}?q=resilience"))
    # Pages the other apps add, where this checkout has them.
    # (The API answers 400 to a parameter it does not know, such as r=.)
    for name, url_name in [
        ("reports feed", "feeds:reports"),
        ("gap register", "agenda:gap-list"),
        ("recommendations", "impact:recommendation-list"),
        ("impact log", "impact:entry-list"),
        ("coverage", "impact:coverage"),
        ("contact", "browse:contact"),
    ]:
        try:
            pages.append((name, reverse(url_name)))
        except NoReverseMatch:
            pass
    gap = KnowledgeGap.objects.published().order_by("pk").first()
    if gap is not None:
        try:
            pages.append(("gap page", reverse("agenda:gap-detail", kwargs={"pk": gap.pk})))
        except NoReverseMatch:
            pass
    return pages


def server_cpu():
    """A function that reads the CPU time (s) of this connection's PostgreSQL backend, or None.

    On a server on this machine, /proc/<backend pid>/schedstat counts the nanoseconds the
    backend has run, so a page's time is the rendering thread's CPU plus the server's,
    figures that other work on a shared machine stretches far less than the clock.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), inet_server_addr()")
        pid, address = cursor.fetchone()
    path = Path(f"/proc/{pid}/schedstat")
    if address not in (None, "127.0.0.1", "::1") or not path.exists():
        return None
    return lambda: int(path.read_text().split()[0]) / 1e9


def measure(path: str, reps: int, *, cold: bool, sql: bool = False) -> dict:
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    times, cpu_times, size, queries = [], [], 0, []

    def record(execute, statement, params, many, context):
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            queries.append(((time.perf_counter() - started) * 1000, statement))

    joiner = "&" if "?" in path else "?"
    client.get(f"{path}{joiner}r=warm")  # imports, templates, the connection
    server = server_cpu()
    server_times = []
    for _ in range(reps):
        if cold:
            for alias in caches:
                caches[alias].clear()
        queries.clear()
        url = f"{path}{joiner}r={secrets.token_hex(8)}"
        with connection.execute_wrapper(record):
            server_started = server() if server else 0.0
            started, cpu_started = time.perf_counter(), time.thread_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.thread_time() - cpu_started) * 1000)
            if server:
                server_times.append((server() - server_started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
        if response.get("X-Page-Cache") not in (None, "miss"):
            raise SystemExit(f"{url} came from the page cache")
        size = len(response.content)
    if server_times:
        cpu_times = [a + b for a, b in zip(cpu_times, server_times, strict=True)]
    result = {
        "wall_ms": statistics.median(times),
        "cpu_ms": statistics.median(cpu_times),
        "server_ms": statistics.median(server_times) if server_times else None,
        # SQLite answers in this thread, so its CPU time is the whole render, and not
        # stretched by other work on a shared machine; a PostgreSQL server on this
        # machine answers in a process whose CPU time is added (``server_cpu``); any
        # other server's is not seen, so there the figure is the time on the clock.
        "ms": statistics.median(
            cpu_times if connection.vendor == "sqlite" or server_times else times
        ),
        "bytes": size,
        "queries": len(queries),
    }
    if sql:
        result["slowest"] = sorted(queries, reverse=True)[:4]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--sql", action="store_true", help="print each page's slowest queries")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", help="pages whose name contains this")
    args = parser.parse_args()
    setup()
    from django.db import connection

    rows = []
    for name, path in page_list():
        if args.only and args.only not in name:
            continue
        warm = measure(path, args.reps, cold=False, sql=args.sql)
        cold = measure(path, max(3, args.reps // 3), cold=True, sql=args.sql)
        rows.append({"name": name, "path": path, "first": warm, "cold": cold})
        if not args.json:
            print(
                f"{name:28} {warm['ms']:7.1f} ms {cold['ms']:7.1f} ms cold "
                f"(wall {warm['wall_ms']:6.1f} / {cold['wall_ms']:6.1f}"
                + (
                    f", server {warm['server_ms']:5.1f} / {cold['server_ms']:6.1f}) "
                    if warm["server_ms"] is not None
                    else ") "
                )
                + f"{warm['bytes'] / 1000:6.1f} KB "
                f"{warm['queries']:3}/{cold['queries']:3} q  {path}",
                flush=True,
            )
            if args.sql:
                for label, figures in (("first", warm), ("cold", cold)):
                    for ms, statement in figures["slowest"]:
                        if ms > 1:
                            print(f"    {label} {ms:6.1f} ms  {statement[:300]}")
    if args.json:
        print(json.dumps({"vendor": connection.vendor, "pages": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
