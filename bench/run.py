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
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "pages.lua"
DOC = ROOT / "docs" / "benchmarks.md"
WORK = Path(os.environ.get("EMPAC_BENCH_DIR", "/tmp/empac-bench"))
# On PostgreSQL, the database the benchmark drops and fills (beside DATABASE_URL's).
BENCH_DB = os.environ.get("EMPAC_BENCH_DB", "empac_bench")

# Share of /healthz's requests/s each kind of page must reach, and the p99 ceiling.
REPEATED_RATIO, REPEATED_P99_MS, DEEP_RATIO = 0.35, 50.0, 0.10


def log(message: str) -> None:
    print(f"==> {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_environment() -> tuple[dict, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "empac.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_DEBUG": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
        # Static files of its own: the checkout's staticfiles/ may be serving another run.
        "DJANGO_STATIC_ROOT": str(WORK / "static"),
    }
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
    script = """
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
print(json.dumps({
    "theme": theme.get_absolute_url(),
    "theme_pages": math.ceil(in_theme / ThemeDetailView.paginate_by),
    "report_pages": math.ceil(Report.objects.published().count() / ReportListView.paginate_by),
}))
"""
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


def start_gunicorn(env, port, workers):
    log_file = open(WORK / "gunicorn.log", "w")  # noqa: SIM115 - closed with the server
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "empac.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
        ],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                if r.status == 200:
                    return process, log_file
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"gunicorn did not come up; see {WORK / 'gunicorn.log'}")
        time.sleep(0.2)


def stop(process, log_file) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    log_file.close()


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


def write_doc(rows, args, backend, database, loads, started) -> None:
    """Rewrite docs/benchmarks.md with this run, keeping the other backend's last run."""
    import django

    server = "DATABASE_URL=postgres://… " if backend == "postgresql" else ""
    command = " ".join([f"{server}.venv/bin/python bench/run.py", *sys.argv[1:]])
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
    sections = {backend: section(backend, f"{table(rows)}\n\n{measured}")}
    previous = DOC.read_text() if DOC.exists() else ""
    for other in BACKENDS:
        found = re.search(f"<!-- bench:{other} -->.*?<!-- /bench:{other} -->", previous, re.S)
        if other not in sections:
            sections[other] = found.group(0) if found else section(other, "Not measured yet.")
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(
        f"""# Benchmarks

`make bench` serves the site as it runs in production and measures it with
[wrk](https://github.com/wg/wrk). Each run rewrites its own database's section below.

## Latest runs

{sections["sqlite"]}

{sections["postgresql"]}

Targets: pages people revisit (home, a theme, the reports index) reach at least
{REPEATED_RATIO:.2f} of `/healthz`'s requests per second with a p99 under
{REPEATED_P99_MS:.0f} ms; random deep pages reach at least {DEEP_RATIO:.2f}.
`/healthz` does one `SELECT 1`, so the ratios say how close a page comes to the
cost of a request that does almost nothing.

## What is measured

- Repeated pages are served from the page cache after the first request
  (`empac/pagecache.py`): each request costs one query for the content version.
- Random deep pages (`bench/pages.lua`) ask for a random `?page=` between 2 and the
  last page of the list, with a random `r=` parameter the views ignore, so every
  request is a page no cache has seen and is rendered in full. After each deep-page
  run, 20 such pages are fetched and the run fails unless every one was a cache miss.
- What a deep page still does each time: read the content version, slice the list's
  keys (kept per content version with its count, `empac/pagination.py`), fetch those
  20 rows by key in one query of just the columns a list shows (on the index, with
  their themes), make them into list items (`reports/items.py`) and render the page.
- Where a deep page's time went, profiled on PostgreSQL before the latest changes
  (pyinstrument, in-process): about half in drawing twenty list items from model
  instances, and much of the rest in building the ORM query for twenty rows. Items
  are now dicts of finished values, the rows come from one plain query by key, and
  links every page draws are reversed once per worker. Drawing the page is still about
  half of a deep page's time in Python; the rest is the two queries (content version,
  rows), the kept keys and Django's handling of the request.
- Both databases keep their connection between requests (`DJANGO_CONN_MAX_AGE`, 60 s).
  Before SQLite did, every request opened the file again and `/healthz` on SQLite
  reached about 1,700 requests/s instead of 5,400; its deep pages' ratios were then
  higher (0.37) only because the baseline was slower.

## How to reproduce

```sh
make bench                        # SQLite file under /tmp/empac-bench
DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench   # PostgreSQL
.venv/bin/python bench/run.py --help                                  # duration, connections
```

It needs `wrk` (Debian package `wrk`) and the project's virtualenv. It builds a
separate benchmark database (on PostgreSQL, a database named `empac_bench`, dropped
and recreated), runs migrate, `seed_empac`, `generate_demo_data --reports
{args.reports} --seed 1` and `collectstatic` (into `/tmp/empac-bench/static`, so the
checkout's own `staticfiles/` is left alone), starts gunicorn on a free loopback
port, waits for `/healthz`, warms each page, runs wrk for {args.duration} s per page,
and stops gunicorn, also when interrupted. The whole run takes about two minutes.
Measure on a quiet machine (`uptime`): wrk and gunicorn share the same cores, and
other work on them shows up as noise, mostly in p99.
"""
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite the docs page")
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
    pages = targets(env)

    port = free_port()
    log(f"starting gunicorn ({args.workers} sync workers) on 127.0.0.1:{port}")
    server, server_log = start_gunicorn(env, port, args.workers)
    rows = []
    try:
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
    finally:
        stop(server, server_log)
    loads.append(load())

    print()
    print(table(rows))
    print(f"\nload average before {loads[0]}, after {loads[1]}")
    if not args.no_doc:
        write_doc(rows, args, backend, database, loads, started)
        log(f"wrote {DOC.relative_to(ROOT)}")
    return 1 if any(verdict == "FAIL" for *_, verdict in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
