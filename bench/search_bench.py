"""The search section of `make bench`: random queries over 100,000 demo reports.

Run by bench/run.py after the pages. A database of its own (a second SQLite file, or
a second PostgreSQL database beside the main benchmark's) gets `generate_demo_data
--reports 100000`, timed as it also indexes what it makes, then `rebuild_search_index`,
timed, and the index's size on disk. Under gunicorn as in the main section, wrk sends
queries drawn from the demo vocabulary (single words, pairs, a phrase, a typo, a facet;
bench/search.lua) with a random parameter each, so no page cache can answer: at one
connection for latency (p50, p95), and at 16 for throughput as a ratio to /healthz
measured in the same run.

Alone: ``python -m bench.search_bench`` (``--reuse`` measures the database the last
run built, skipping the few minutes of building it).
"""

import argparse
import json
import random
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench import run  # the main section's helpers
from bench.server import Gunicorn

LUA = run.ROOT / "bench" / "search.lua"
# p95 at one connection, by database, and throughput at 16 as a share of /healthz's.
P95_MS = {"sqlite": 100.0, "postgresql": 50.0}
RATIO = 0.05

VOCABULARY = """
import json, random, re
import django
django.setup()
from collaboration.models import Theme
from content.management.commands.generate_demo_data import load_vocabulary
from search.query import STOP_WORDS
rng = random.Random(1)
demo = load_vocabulary()
phrases = [*demo.every_topic, *demo.findings, *demo.next_steps, *demo.recommendations,
           *(t for tags in demo.tags.values() for t in tags), *demo.places]
words = sorted({w for p in phrases for w in re.findall(r"[a-z]+", p.lower())
                if len(w) > 3 and w not in STOP_WORDS})
themes = list(Theme.objects.published().values_list("slug", flat=True))
def typo(word):
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]
queries = []
for _ in range(400):
    shape = rng.randrange(5)
    if shape == 0:
        queries.append({"q": rng.choice(words)})
    elif shape == 1:
        queries.append({"q": " ".join(rng.sample(words, 2))})
    elif shape == 2:
        phrase = rng.choice(phrases).lower().split()
        start = rng.randrange(max(1, len(phrase) - 1))
        queries.append({"q": '"' + " ".join(phrase[start:start + 2]) + '"'})
    elif shape == 3:
        queries.append({"q": typo(rng.choice([w for w in words if len(w) > 5]))})
    else:
        facet = rng.choice([("type", "report"), ("theme", rng.choice(themes)), ("year", "2020")])
        queries.append({"q": rng.choice(words), facet[0]: facet[1]})
print(json.dumps(queries))
"""

MEASURE = """
import json
import django
django.setup()
from search.backends import backend
from search.models import Entry, Word
print(json.dumps({"size": backend().size(), "entries": Entry.objects.count(),
                  "words": Word.objects.count()}))
"""


def python(env, script, timeout=600) -> dict:
    output = subprocess.run(
        [sys.executable, "-c", script],
        cwd=run.ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def search_environment(env: dict, backend: str, fresh: bool = True) -> tuple[dict, str]:
    """The main benchmark's environment, pointed at a database of the search section's own
    (emptied unless not ``fresh``)."""
    env = dict(env)
    if backend == "sqlite":
        path = run.WORK / "search.sqlite3"
        for stale in run.WORK.glob("search.sqlite3*") if fresh else ():
            stale.unlink()
        env["DJANGO_SQLITE_PATH"] = str(path)
        return env, f"SQLite file {path}"
    name = f"{run.BENCH_DB}_search"
    url = urllib.parse.urlsplit(env["DATABASE_URL"])
    if not fresh:
        env["DATABASE_URL"] = url._replace(path=f"/{name}").geturl()
        return env, f"PostgreSQL database {name}"
    admin = url._replace(path="/postgres").geturl()
    script = (
        "import sys, psycopg2\n"
        "c = psycopg2.connect(sys.argv[1]); c.autocommit = True\n"
        f"c.cursor().execute('DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)')\n"
        f"c.cursor().execute('CREATE DATABASE \"{name}\"')\n"
    )
    subprocess.run([sys.executable, "-c", script, admin], check=True, timeout=60)
    env["DATABASE_URL"] = url._replace(path=f"/{name}").geturl()
    return env, f"PostgreSQL database {name}"


def timed(env, *command, timeout=900) -> tuple[float, str]:
    started = time.perf_counter()
    output = run.manage(env, *command, timeout=timeout)
    return time.perf_counter() - started, output.strip().splitlines()[-1]


def wrk(port, queries_file, connections, threads, duration) -> dict:
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            "5s",
            "-s",
            str(LUA),
            f"http://127.0.0.1:{port}/search/",
        ],
        env={**run.os.environ, "BENCH_QUERIES": str(queries_file)},
        check=True,
        capture_output=True,
        text=True,
        timeout=duration + 60,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def workers_cpu_ms(server) -> float:
    """CPU time the server's worker processes have used so far, in milliseconds.

    Divided by the requests of a run, it says what each request cost the server: a
    figure that other work on a shared machine stretches far less than requests/s.
    """
    found = subprocess.run(
        ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    ticks = 0
    for pid in found:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a worker that exited meanwhile
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks * 1000 / run.os.sysconf("SC_CLK_TCK")


def costed(server, measure) -> dict:
    """A wrk run's result with the server's CPU milliseconds per request."""
    before = workers_cpu_ms(server)
    result = measure()
    result["cpu_ms"] = (workers_cpu_ms(server) - before) / max(result["requests"], 1)
    return result


def never_cached(port, paths) -> bool:
    """Search pages named as search.lua names them are rendered afresh each time."""
    for path in random.sample(paths, 10):
        url = f"http://127.0.0.1:{port}{path}&r={random.getrandbits(31)}"
        with urllib.request.urlopen(url, timeout=30) as response:
            if response.headers.get("X-Page-Cache") != "miss" or response.status != 200:
                return False
    return True


def measure(args, main_env: dict, backend: str) -> dict:
    """Build the search database, serve it, run wrk; returns the figures and verdicts."""
    reuse = getattr(args, "reuse", False)
    env, database = search_environment(main_env, backend, fresh=not reuse)
    generated = rebuilt = None
    if reuse:
        run.log(f"search: measuring {database} as the last run built it")
        run.manage(env, "migrate", "--noinput", "-v0")
    else:
        run.log(f"search: building {database} with {args.search_reports:,} demo reports")
        run.manage(env, "migrate", "--noinput", "-v0")
        run.manage(env, "seed_empac")
        generated, said = timed(
            env, "generate_demo_data", "--reports", str(args.search_reports), "--seed", "1"
        )
        run.log(f"search: {said}")
        rebuilt, said = timed(env, "rebuild_search_index")
        run.log(f"search: {said}")
    index = python(env, MEASURE)

    queries = python(env, VOCABULARY)
    paths = [f"/search/?{urllib.parse.urlencode(q)}" for q in queries]
    queries_file = run.WORK / "search-queries.txt"
    queries_file.write_text("\n".join(paths) + "\n")

    with Gunicorn(env, run.WORK / "gunicorn-search.log", workers=args.workers) as server:
        port = server.port
        for path in paths[:40]:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as r:
                r.read()
        run.log("search: wrk /healthz")
        baseline = costed(
            server, lambda: run.run_wrk(port, {"path": "/healthz", "kind": "baseline"}, args)
        )
        run.log("search: wrk random queries at 1 connection")
        single = costed(server, lambda: wrk(port, queries_file, 1, 1, args.duration))
        run.log(f"search: wrk random queries at {args.connections} connections")
        loaded = costed(
            server,
            lambda: wrk(port, queries_file, args.connections, args.threads, args.duration),
        )
        uncached = never_cached(port, paths)

    ratio = loaded["rps"] / baseline["rps"]
    run.log(
        f"search: p50 {single['p50_ms']:.1f} ms, p95 {single['p95_ms']:.1f} ms at 1 connection; "
        f"{loaded['rps']:,.0f} requests/s at {args.connections}, /healthz {baseline['rps']:,.0f}: "
        f"ratio {ratio:.3f}; server CPU {loaded['cpu_ms']:.1f} ms a search, "
        f"{baseline['cpu_ms']:.2f} ms a /healthz"
    )
    clean = all(r["errors"] == 0 and r["non_2xx"] == 0 for r in (single, loaded))
    return {
        "env": env,  # for the first-render section, which measures the same database
        "database": database,
        "reports": args.search_reports,
        "generate_seconds": generated,
        "rebuild_seconds": rebuilt,
        "index": index,
        "baseline": baseline,
        "single": single,
        "loaded": loaded,
        "ratio": ratio,
        "latency_ok": single["p95_ms"] <= P95_MS[backend] and clean and uncached,
        "throughput_ok": ratio >= RATIO and clean and uncached,
        "uncached": uncached,
        "backend": backend,
        "connections": args.connections,
    }


def table(figures: dict) -> str:
    """The section's figures as Markdown, for the terminal and docs/benchmarks.md."""
    single, loaded, baseline = figures["single"], figures["loaded"], figures["baseline"]
    backend, mib = figures["backend"], (figures["index"]["size"] or 0) / 2**20
    verdict = {True: "PASS", False: "FAIL"}
    lines = [
        f"Search over {figures['reports']:,} demo reports ({figures['database']}); "
        f"{figures['index']['entries']:,} entries and {figures['index']['words']:,} words "
        "indexed.",
        "",
        "| measure | figure | target | result |",
        "| --- | ---: | --- | --- |",
        f"| random queries, 1 connection: p50 | {single['p50_ms']:.1f} ms | | |",
        f"| random queries, 1 connection: p95 | {single['p95_ms']:.1f} ms | "
        f"≤ {P95_MS[backend]:.0f} ms | {verdict[figures['latency_ok']]} |",
        f"| random queries, {figures.get('connections', 16)} connections | "
        f"{loaded['rps']:,.0f} requests/s (p99 {loaded['p99_ms']:.0f} ms) | | |",
        f"| /healthz in the same run | {baseline['rps']:,.0f} requests/s | | |",
        f"| server CPU per request at {figures.get('connections', 16)} connections: "
        f"search, /healthz | {loaded.get('cpu_ms', 0):.1f} ms, "
        f"{baseline.get('cpu_ms', 0):.2f} ms | | |",
        f"| throughput ratio to /healthz | {figures['ratio']:.3f} | ≥ {RATIO:.2f} | "
        f"{verdict[figures['throughput_ok']]} |",
    ]
    if figures["generate_seconds"] is not None:
        lines += [
            f"| `generate_demo_data --reports {figures['reports']:,}` (indexing included) | "
            f"{figures['generate_seconds']:.0f} s | < 120 s | "
            f"{verdict[figures['generate_seconds'] < 120]} |",
            f"| `rebuild_search_index` | {figures['rebuild_seconds']:.0f} s | | |",
        ]
    lines += [
        f"| index and vocabulary on disk | {mib:,.0f} MiB | | |",
    ]
    if not figures["uncached"]:
        lines.append("\nSome search pages came from the page cache: the figures are void.")
    return "\n".join(lines)


def passed(figures: dict) -> bool:
    built = figures["generate_seconds"] is None or figures["generate_seconds"] < 120
    return figures["latency_ok"] and figures["throughput_ok"] and built


def main() -> int:
    parser = argparse.ArgumentParser(description="The search section of `make bench`, alone.")
    parser.add_argument("--search-reports", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the database the last run built"
    )
    args = parser.parse_args()
    run.signal.signal(run.signal.SIGTERM, lambda *_: sys.exit(143))
    run.log(f"load average {run.load()} on {run.machine()}")
    env, _ = run.bench_environment()
    backend = "postgresql" if env.get("DATABASE_URL") else "sqlite"
    run.manage(env, "collectstatic", "--noinput", "--clear", "-v0")
    figures = measure(args, env, backend)
    print()
    print(table(figures))
    print(f"\nload average after {run.load()}")
    return 0 if passed(figures) else 1


if __name__ == "__main__":
    sys.exit(main())
