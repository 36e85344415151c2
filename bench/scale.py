"""The first-render section of `make bench`: each page type at 10,000 and 100,000 reports.

Run by bench/run.py after the pages. For each database (the main benchmark's, with
``--reports`` demo reports, and one with ``--scale-reports``: the search section's when
it ran, as both are ``generate_demo_data --seed 1``), bench/first_render.py renders
every public page type in-process, with a fresh ``r=`` token each time so the page
cache never answers, and reports the median time and the size of each. The table
gives both and the growth from the small database to the large one.

Without the search section, the large database is built here, once: kept under
EMPAC_BENCH_DIR (SQLite) or as a PostgreSQL database of its own, named by a digest
of everything the generator's output depends on (its code and vocabulary, the seed
content, the migrations, the count and the seed), and used again while those stay.
"""

import hashlib
import json
import shutil
import subprocess
import sys
import urllib.parse

from bench import run  # the main section's helpers

GROWTH = 1.5  # the largest first render's growth allowed from the small to the large
MAX_BYTES = 60_000  # about 60 KB of HTML
MAX_MS = 20.0  # the first render at the large size, in-process


def first_renders(env: dict, reps: int) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench.first_render", "--json", "--reps", str(reps)],
        cwd=run.ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=1800,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def generator_inputs(reports: int) -> str:
    """A digest of what ``seed_empac`` + ``generate_demo_data --reports N --seed 1`` make."""
    digest = hashlib.sha256(f"{reports}:1".encode())
    sources = [
        run.ROOT / "content" / "management" / "commands" / "generate_demo_data.py",
        run.ROOT / "content" / "management" / "commands" / "seed_empac.py",
        *sorted((run.ROOT / "content").rglob("*.toml")),
        *sorted(run.ROOT.glob("*/migrations/*.py")),
    ]
    for path in sources:
        digest.update(str(path.relative_to(run.ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def large_environment(main_env: dict, backend: str, reports: int) -> tuple[dict, str]:
    """The large database, built now or found from an earlier run with the same inputs."""
    env, key = dict(main_env), generator_inputs(reports)
    if backend == "sqlite":
        kept = run.WORK / f"scale-{reports}-{key}.sqlite3"
        env["DJANGO_SQLITE_PATH"] = str(kept)
        if kept.exists():
            return env, f"SQLite file {kept} (kept from an earlier run)"
        for stale in run.WORK.glob(f"scale-{reports}-*.sqlite3*"):
            stale.unlink()
        building = run.WORK / f"building-{kept.name}"
        env["DJANGO_SQLITE_PATH"] = str(building)
        build(env, reports)
        shutil.move(building, kept)
        env["DJANGO_SQLITE_PATH"] = str(kept)
        return env, f"SQLite file {kept}"
    name = f"{run.BENCH_DB}_scale_{reports}_{key}"
    url = urllib.parse.urlsplit(env["DATABASE_URL"])
    admin = url._replace(path="/postgres").geturl()
    env["DATABASE_URL"] = url._replace(path=f"/{name}").geturl()
    script = (
        "import sys, psycopg2\n"
        "c = psycopg2.connect(sys.argv[1]); c.autocommit = True; k = c.cursor()\n"
        "k.execute('SELECT 1 FROM pg_database WHERE datname = %s', [sys.argv[2]])\n"
        "print('kept' if k.fetchone() else 'new')\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script, admin, name], check=True, capture_output=True, text=True
    ).stdout.strip()
    if found == "kept":
        return env, f"PostgreSQL database {name} (kept from an earlier run)"
    recreate = (
        "import sys, psycopg2\n"
        "c = psycopg2.connect(sys.argv[1]); c.autocommit = True; k = c.cursor()\n"
        "k.execute('SELECT datname FROM pg_database WHERE datname LIKE %s', [sys.argv[2]])\n"
        "for (n,) in k.fetchall(): k.execute(f'DROP DATABASE \"{n}\" WITH (FORCE)')\n"
        "if len(sys.argv) > 3: k.execute(f'CREATE DATABASE \"{sys.argv[3]}\"')\n"
    )
    # Earlier keys' databases go; this key's is made afresh.
    stale = f"{run.BENCH_DB}_scale_{reports}_%"
    subprocess.run([sys.executable, "-c", recreate, admin, stale, name], check=True)
    try:
        build(env, reports)
    except BaseException:
        # Never keep a half-built database under a name that says it is complete.
        subprocess.run([sys.executable, "-c", recreate, admin, name], check=False)
        raise
    return env, f"PostgreSQL database {name}"


def build(env: dict, reports: int) -> None:
    run.log(f"first renders: building a database of {reports:,} demo reports")
    run.manage(env, "migrate", "--noinput", "-v0")
    run.manage(env, "seed_empac")
    run.log(
        run.manage(
            env, "generate_demo_data", "--reports", str(reports), "--seed", "1", timeout=1800
        ).strip()
    )


def measure(args, main_env: dict, large_env: dict | None, backend: str) -> dict:
    """First renders at both sizes; ``large_env`` is the search section's, if it ran."""
    if large_env is None:
        large_env, database = large_environment(main_env, backend, args.scale_reports)
    else:
        database = "the search section's database"
    run.log(f"first renders at {args.reports:,} reports")
    small = first_renders(main_env, args.scale_reps)
    run.log(f"first renders at {args.scale_reports:,} reports ({database})")
    large = first_renders(large_env, args.scale_reps)
    rows = []
    by_name = {page["name"]: page for page in small["pages"]}
    for page in large["pages"]:
        before = by_name.get(page["name"])
        if before is None:
            continue
        growth = page["first"]["ms"] / before["first"]["ms"]
        ok = growth <= GROWTH and page["first"]["bytes"] <= MAX_BYTES
        rows.append(
            {"name": page["name"], "small": before, "large": page, "growth": growth, "ok": ok}
        )
    return {
        "rows": rows,
        "small": args.reports,
        "large": args.scale_reports,
        "reps": args.scale_reps,
        "vendor": large["vendor"],
        "database": database,
    }


def table(figures: dict) -> str:
    small, large = f"{figures['small'] // 1000}k", f"{figures['large'] // 1000}k"
    clock = (
        "CPU time of the rendering thread"
        if figures["vendor"] == "sqlite"
        else "CPU time of the rendering thread and its database server process"
    )
    lines = [
        f"First render of each page type, in-process: median {clock} of "
        f"{figures['reps']} renders, each with a fresh `r=` token so the page cache never "
        "answers (values kept per content version stay kept); “after an edit” empties "
        "every cache first, as a curator's change does.",
        "",
        f"| page | {small} ms | {large} ms | growth | {large} after an edit, ms | "
        f"{small} KB | {large} KB | ≤ {MAX_MS:.0f} ms at {large} | target | result |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for row in figures["rows"]:
        before, after = row["small"], row["large"]
        lines.append(
            f"| {row['name']} | {before['first']['ms']:.1f} | {after['first']['ms']:.1f} | "
            f"{row['growth']:.2f}× | {after['cold']['ms']:.0f} | "
            f"{before['first']['bytes'] / 1000:.1f} | {after['first']['bytes'] / 1000:.1f} | "
            f"{'yes' if after['first']['ms'] <= MAX_MS else 'no'} | "
            f"≤ {GROWTH}×, ≤ {MAX_BYTES // 1000} KB | {'PASS' if row['ok'] else 'FAIL'} |"
        )
    return "\n".join(lines)


def passed(figures: dict) -> bool:
    return all(row["ok"] for row in figures["rows"])
