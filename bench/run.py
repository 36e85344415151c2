"""`make bench`: serve the site as in production over 10,000 demo reports and measure it.

Builds a benchmark database of its own (a SQLite file under /tmp, or a database named
empac_bench on the PostgreSQL server DATABASE_URL points at), seeds it, adds demo
reports, collects static files into a folder of its own under /tmp, starts gunicorn
with 2 sync workers and DEBUG off on 127.0.0.1, and measures each page with wrk.
Prints a table and writes it, with how to reproduce it, to docs/benchmarks.md.
Exits 1 when a target is missed.
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import secrets
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from bench import agenda, open_data
from bench.server import Gunicorn

ROOT = Path(__file__).resolve().parent.parent

LUA = ROOT / "bench" / "pages.lua"
DOC = ROOT / "docs" / "benchmarks.md"
DOC_TEMPLATE = ROOT / "bench" / "benchmarks.md.in"
WORK = Path(os.environ.get("EMPAC_BENCH_DIR", "/tmp/empac-bench"))
# On PostgreSQL, the database the benchmark drops and fills (beside DATABASE_URL's).
BENCH_DB = os.environ.get("EMPAC_BENCH_DB", "empac_bench")

# Share of /healthz's requests/s each kind of page must reach, and the p99 ceiling.
REPEATED_RATIO, REPEATED_P99_MS, DEEP_RATIO = 0.5, 50.0, 0.15


def log(message: str) -> None:
    print(f"==> {message}", flush=True)


def production_settings() -> dict:
    """The environment that serves the site as in production, on this machine."""
    return {
        "DJANGO_SETTINGS_MODULE": "empac.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_DEBUG": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
        # Static files of its own: the checkout's staticfiles/ may be serving another run.
        "DJANGO_STATIC_ROOT": str(WORK / "static"),
        **open_data.ENVIRONMENT,
    }


def bench_environment() -> tuple[dict, str]:
    env = {**os.environ, **production_settings()}
    WORK.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        path = WORK / "bench.sqlite3"
        for stale in WORK.glob("bench.sqlite3*"):
            stale.unlink()
        env.update(DATABASE_URL="", DJANGO_SQLITE_PATH=str(path))
        return env, f"SQLite file {path}"
    bench_url = urllib.parse.urlsplit(url)._replace(path=f"/{BENCH_DB}").geturl()
    recreate = (
        f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)',
        f'CREATE DATABASE "{BENCH_DB}"',
    )
    script = (
        "import sys, psycopg2\n"
        "c = psycopg2.connect(sys.argv[1]); c.autocommit = True\n"
        f"[c.cursor().execute(s) for s in {recreate!r}]\n"
    )
    admin_url = urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
    subprocess.run([sys.executable, "-c", script, admin_url], check=True, timeout=60)
    env["DATABASE_URL"] = bench_url
    return env, f"PostgreSQL database {BENCH_DB}"


def manage(env, *args, timeout=600) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=timeout,
        capture_output=True,
        text=True,
    )
    return result.stdout


def targets(env) -> list[dict]:
    """The pages to measure: a theme with many reports, and how many pages its lists have."""
    script = (
        """
import json, math
import django
django.setup()
from collaboration.models import Theme
from browse.views import ThemeDetailView
from reports.models import Report
from reports.views import ReportListView
def count(theme):
    return Report.objects.published().for_theme(theme).count()
theme = max(Theme.objects.published(), key=count)
in_theme = count(theme)
found = {
    "theme": theme.get_absolute_url(),
    "theme_pages": math.ceil(in_theme / ThemeDetailView.paginate_by),
    "report_pages": math.ceil(Report.objects.published().count() / ReportListView.paginate_by),
    "report": Report.objects.published().newest_first().first().slug,
}
"""
        + agenda.FIND
        + """
print(json.dumps(found))
"""
    )
    found = json.loads(
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    return [*pages_of(found), *agenda.targets(found), *open_data.targets(found)]


def pages_of(found) -> list[dict]:
    return [
        {"name": "/healthz", "path": "/healthz", "kind": "baseline"},
        {"name": "home page", "path": "/", "kind": "repeated"},
        {"name": "theme page", "path": found["theme"], "kind": "repeated"},
        {"name": "reports index", "path": "/reports/", "kind": "repeated"},
        {
            "name": "theme list, random deep page",
            "path": found["theme"],
            "kind": "deep",
            "pages": found["theme_pages"],
        },
        {
            "name": "reports index, random deep page",
            "path": "/reports/",
            "kind": "deep",
            "pages": found["report_pages"],
        },
    ]


def warm_up(port, target) -> None:
    paths = [target["path"]] * 40
    if target["kind"] == "deep":
        paths = [f"{target['path']}?page={n}" for n in range(2, min(target["pages"], 40) + 1)]
    for path in paths:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            response.read()


def deep_pages_are_rendered(port, target) -> bool:
    """Pages named as pages.lua names them are rendered afresh, never served from a cache."""
    for _ in range(20):
        page = random.randint(2, target["pages"])
        url = f"http://127.0.0.1:{port}{target['path']}?page={page}&r={random.getrandbits(31)}"
        with urllib.request.urlopen(url, timeout=30) as response:
            if response.headers.get("X-Page-Cache") != "miss":
                return False
    return True


def run_wrk(port, target, args) -> dict:
    env = {**os.environ, "BENCH_PAGES": str(target.get("pages", 0))}
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "--timeout",
        "5s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}{target['path']}",
    ]
    output = subprocess.run(
        command, env=env, check=True, capture_output=True, text=True, timeout=args.duration + 60
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def judge(target, result, baseline_rps) -> tuple[float, str]:
    ratio = result["rps"] / baseline_rps
    if target["kind"] == "baseline":
        ok = True
    elif target["kind"] == "repeated":
        ok = ratio >= REPEATED_RATIO and result["p99_ms"] < REPEATED_P99_MS
    elif target["kind"] == "open":
        ok = ratio >= open_data.OPEN_RATIO
    else:
        ok = ratio >= DEEP_RATIO and result["rendered"]
    ok = ok and result["errors"] == 0 and result["non_2xx"] == 0
    return ratio, "" if target["kind"] == "baseline" else ("PASS" if ok else "FAIL")


def table(rows) -> str:
    lines = [
        "| page | requests/s | p50 ms | p99 ms | ratio to /healthz | target | result |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    goals = {
        "baseline": "",
        "repeated": f"≥ {REPEATED_RATIO:.2f}, p99 < {REPEATED_P99_MS:.0f} ms",
        "deep": f"≥ {DEEP_RATIO:.2f}",
        "open": f"≥ {open_data.OPEN_RATIO:.2f}",
    }
    for target, result, ratio, verdict in rows:
        lines.append(
            f"| {target['name']} | {result['rps']:,.0f} | {result['p50_ms']:.1f} | "
            f"{result['p99_ms']:.1f} | {ratio:.2f} | {goals[target['kind']]} | {verdict} |"
        )
    return "\n".join(lines)


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}"


def load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


BACKENDS = {"sqlite": "SQLite (the default)", "postgresql": "PostgreSQL"}


def section(backend: str, body: str) -> str:
    return f"<!-- bench:{backend} -->\n### {BACKENDS[backend]}\n\n{body}\n<!-- /bench:{backend} -->"


def write_doc(rows, args, backend, database, loads, started, extra="") -> None:
    """Rewrite docs/benchmarks.md with this run, keeping the other backend's last run."""
    import django

    server = "DATABASE_URL=postgres://… " if backend == "postgresql" else ""
    command = " ".join([f"{server}.venv/bin/python -m bench.run", *sys.argv[1:]])
    measured = "\n".join(
        [
            f"- Measured {started:%Y-%m-%d %H:%M} UTC on {machine()}; "
            f"load average (1, 5, 15 min) {loads[0]} before, {loads[1]} after.",
            f"- {database}, {args.reports:,} demo reports on top of the seeded content "
            "(`generate_demo_data --seed 1`).",
            f"- gunicorn {args.workers} sync workers, `empac.settings.production` with DEBUG "
            "off and collected static files; wrk "
            f"`-t{args.threads} -c{args.connections} -d{args.duration}s --latency` on the "
            "same machine, over loopback.",
            f"- Python {platform.python_version()}, Django {django.get_version()}.",
            f"- Command: `{command}` (what `make bench` runs).",
        ]
    )
    render_doc({backend: section(backend, f"{table(rows)}\n\n{measured}{extra}")}, args)


def render_doc(sections: dict, args) -> None:
    """Write docs/benchmarks.md from its template: these sections, the others as they were."""
    previous = DOC.read_text() if DOC.exists() else ""
    for other in BACKENDS:
        found = re.search(f"<!-- bench:{other} -->.*?<!-- /bench:{other} -->", previous, re.S)
        if other not in sections:
            sections[other] = found.group(0) if found else section(other, "Not measured yet.")
    # bench/soak.py's section, kept as it last wrote it.
    soak = re.search(r"<!-- soak -->.*?<!-- /soak -->", previous, re.S)
    soak = f"\n{soak.group(0)}\n" if soak else ""
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(
        DOC_TEMPLATE.read_text().format(
            sqlite=sections["sqlite"],
            postgresql=sections["postgresql"],
            repeated_ratio=f"{REPEATED_RATIO:.2f}",
            repeated_p99_ms=f"{REPEATED_P99_MS:.0f}",
            deep_ratio=f"{DEEP_RATIO:.2f}",
            reports=args.reports,
            duration=args.duration,
        )
        + soak
    )


def scale_only(args, env, backend, started) -> int:
    """The first-render section alone: its table replaces its part of the docs page."""
    from bench import scale as scale_section

    scaled = scale_section.measure(args, env, None, backend)
    print()
    print(scale_section.table(scaled))
    if not args.no_doc:
        previous = DOC.read_text()
        found = re.search(f"<!-- bench:{backend} -->.*?<!-- /bench:{backend} -->", previous, re.S)
        body = found.group(0) if found else section(backend, "")
        body = re.sub(r"\n\n#### First renders.*?(?=\n<!-- /bench:)", "", body, flags=re.S)
        subsection = (
            f"\n\n#### First renders at {args.reports:,} and {args.scale_reports:,} reports\n\n"
            f"{scale_section.table(scaled)}\n\n- Measured {started:%Y-%m-%d %H:%M} UTC on "
            f"{machine()}; load average (1, 5, 15 min) {load()} after. Command: "
            f"`.venv/bin/python -m bench.run {' '.join(sys.argv[1:])}`."
        )
        body = body.replace(
            f"\n<!-- /bench:{backend} -->", f"{subsection}\n<!-- /bench:{backend} -->"
        )
        render_doc({backend: body}, args)
        log(f"wrote {DOC.relative_to(ROOT)}")
    return 0 if scale_section.passed(scaled) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite the docs page")
    parser.add_argument(
        "--only",
        metavar="PATTERN",
        help="measure only the pages whose name contains PATTERN, e.g. 'deep', and /healthz; "
        "implies --no-doc",
    )
    parser.add_argument(
        "--search-reports", type=int, default=100_000, help="demo reports for the search section"
    )
    parser.add_argument("--no-search", action="store_true", help="skip the search section")
    parser.add_argument(
        "--scale-reports",
        type=int,
        default=100_000,
        help="demo reports of the large database of the first-render section",
    )
    parser.add_argument("--scale-reps", type=int, default=15, help="renders of each page")
    parser.add_argument("--no-scale", action="store_true", help="skip the first-render section")
    parser.add_argument(
        "--only-scale",
        action="store_true",
        help="run the first-render section alone, keeping the rest of the docs page",
    )
    args = parser.parse_args()

    # SIGTERM (e.g. from a CI timeout) unwinds like Ctrl-C, so gunicorn is always stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = datetime.datetime.now(datetime.UTC)
    loads = [load()]
    log(f"load average {loads[0]} on {machine()}")

    env, database = bench_environment()
    backend = "postgresql" if env.get("DATABASE_URL") else "sqlite"
    log(f"building the benchmark database: {database}")
    manage(env, "migrate", "--noinput", "-v0")
    log(manage(env, "seed_empac").strip())
    log(manage(env, "generate_demo_data", "--reports", str(args.reports), "--seed", "1").strip())
    manage(env, "collectstatic", "--noinput", "--clear", "-v0")
    if args.only_scale:
        return scale_only(args, env, backend, started)
    pages = targets(env)
    if args.only:
        pages = [page for page in pages if page["kind"] == "baseline" or args.only in page["name"]]
        args.no_doc = True  # a partial table would replace the whole one

    rows = []
    with Gunicorn(env, WORK / "gunicorn.log", workers=args.workers) as server:
        port = server.port
        log(f"gunicorn ({args.workers} sync workers) on 127.0.0.1:{port}")
        for target in pages:
            warm_up(port, target)
        baseline = None
        for target in pages:
            log(f"wrk {target['name']}: {target['path']}")
            result = run_wrk(port, target, args)
            if target["kind"] == "deep":
                result["rendered"] = deep_pages_are_rendered(port, target)
            baseline = baseline or result["rps"]
            ratio, verdict = judge(target, result, baseline)
            rows.append((target, result, ratio, verdict))
    searched = None
    if not args.no_search:
        from bench import search_bench as search_section

        searched = search_section.measure(args, env, backend)
    scaled = None
    if not args.no_scale:
        from bench import scale as scale_section

        same = searched and args.search_reports == args.scale_reports
        scaled = scale_section.measure(args, env, searched["env"] if same else None, backend)
    loads.append(load())

    print()
    print(table(rows))
    if searched:
        print()
        print(search_section.table(searched))
    if scaled:
        print()
        print(scale_section.table(scaled))
    print(f"\nload average before {loads[0]}, after {loads[1]}")
    if not args.no_doc:
        extra = f"\n\n#### Search\n\n{search_section.table(searched)}" if searched else ""
        if scaled:
            extra += (
                f"\n\n#### First renders at {args.reports:,} and {args.scale_reports:,} "
                f"reports\n\n{scale_section.table(scaled)}"
            )
        write_doc(rows, args, backend, database, loads, started, extra)
        log(f"wrote {DOC.relative_to(ROOT)}")
    failed = any(verdict == "FAIL" for *_, verdict in rows)
    failed = failed or (searched and not search_section.passed(searched))
    return 1 if failed or (scaled and not scale_section.passed(scaled)) else 0


if __name__ == "__main__":
    sys.exit(main())
