"""CPU per search in process: the search section's random queries through Django's
test client, timed by the serving thread's CPU clock (time.thread_time).

A steadier figure than wrk's requests/s on a shared machine: other work stretches the
wall clock, hardly a thread's CPU time. Measures the database the search section built
last (run ``python -m bench.search_bench`` once first), with production settings.

    python -m bench.search_cpu               # mean and p95 over the query list
    python -m bench.search_cpu --profile 30  # and cProfile's 30 costliest functions
"""

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import time
import urllib.parse


def timed_phases(phases: dict) -> None:
    """Wrap the search, the view and the template's rendering in CPU clocks."""
    from django.template.response import SimpleTemplateResponse

    from search import engine, views

    def clocked(name, function):
        def wrapper(*args, **kwargs):
            started = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                phases.setdefault(name, []).append((time.thread_time() - started) * 1000)

        return wrapper

    views.search = clocked("engine (search())", views.search)
    for name in ("expand", "visible_hits", "correct", "shown"):
        setattr(engine, name, clocked(f"  engine.{name}", getattr(engine, name)))
    views.facet_groups = clocked("facet_groups", views.facet_groups)
    backend = type(engine.backend())
    for name in ("candidates", "_scores", "highlights", "similar_words"):
        if hasattr(backend, name):
            setattr(backend, name, clocked(f"    backend.{name}", getattr(backend, name)))
    views.SearchView.get_context_data = clocked(
        "view (get_context_data, engine included)", views.SearchView.get_context_data
    )
    SimpleTemplateResponse.render = clocked("template", SimpleTemplateResponse.render)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the queries")
    parser.add_argument("--profile", type=int, default=0, help="print this many functions")
    parser.add_argument(
        "--phases", action="store_true", help="also the CPU of the engine, the view, the template"
    )
    args = parser.parse_args()

    from bench import run, search_bench

    backend = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    env, _ = search_bench.search_environment(
        {**os.environ, **run.production_settings()}, backend, fresh=False
    )
    os.environ.update(env)
    queries = search_bench.python(env, search_bench.VOCABULARY)
    paths = [f"/search/?{urllib.parse.urlencode(q)}" for q in queries]

    import django

    django.setup()
    from django.test import Client

    client, rng = Client(HTTP_HOST="127.0.0.1"), random.Random(2)
    phases = {}
    if args.phases:
        timed_phases(phases)

    def get(path):
        response = client.get(f"{path}&r={rng.getrandbits(31)}")
        assert response.status_code == 200, (path, response.status_code)

    for path in paths:  # warm: compiled SQL, templates, content-version values
        get(path)
    phases.clear()
    times = []
    profiler = cProfile.Profile() if args.profile else None
    for _ in range(args.rounds):
        for path in paths:
            if profiler:
                profiler.enable()
            started = time.thread_time()
            get(path)
            times.append((time.thread_time() - started) * 1000)
            if profiler:
                profiler.disable()
    times.sort()
    print(
        f"{len(times)} searches on {env.get('DATABASE_URL') or env['DJANGO_SQLITE_PATH']}: "
        f"CPU mean {statistics.mean(times):.2f} ms, p50 {times[len(times) // 2]:.2f} ms, "
        f"p95 {times[int(len(times) * 0.95)]:.2f} ms; load average {run.load()}"
    )
    for name, spent in phases.items():
        print(f"  {name}: {sum(spent) / len(times):.2f} ms a search")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
