"""The benchmark suite behind ``make bench`` (issue 9; results in docs/performance.md).

    make bench                                         # N = 1,000 and 10,000, 10 s per run
    make bench BENCH_SIZES=1000 BENCH_DURATION=5       # quick smoke run
    .venv/bin/python bench/run.py --sizes 1000 --duration 5 --no-docs

For every size N it creates a fresh database (PostgreSQL when ``DATABASE_URL`` points there:
``kig_bench_<N>`` on that server, dropped and re-created; else a SQLite file in a temporary
folder), fills it with ``bench.dataset`` (N places in four regions with images, tags,
offers, links and stories of typical length, search index included), counts the SQL queries
per URL through Django's test client, and then measures with wrk against gunicorn
(``bench.harness``: 2 workers, ``cms.settings.production``, DEBUG off) on 127.0.0.1:

- home, region, place, ``/orte/`` with a filter, search, API v2 listing of 100 places with
  all fields, GeoJSON, CSV — at 1 and 8 connections, with the page cache off (uncached) and
  on (cache hit);
- the floor of the stack: a static file from the same gunicorn/whitenoise; and, when
  ``build_frontend`` exists, the generated place page from a plain static server;
- GeoJSON cold (cache emptied before each request) and a conditional request (304);
- peak RSS of each gunicorn worker after the load;
- ``build_frontend``: pages per second for a full build and seconds for an incremental one.

A private Redis (``redis-server`` on a free port, no persistence) is started as the cache
when the binary exists, so the machine's Redis is never flushed. Results go to
``bench/results/bench-<date>.json`` and, unless ``--no-docs``, docs/performance.md.

Modules: ``infrastructure`` (databases, Redis, Django processes), ``steps`` (what runs inside
Django: the data set, query counts, a publish), ``measure`` (gunicorn + wrk, the build),
``targets`` (the URLs and issue 9's targets), ``performance_doc`` (tables, the docs page).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import ensure_wrk  # noqa: E402
from bench.infrastructure import Infrastructure, child  # noqa: E402
from bench.measure import measure_build, measure_size  # noqa: E402
from bench.performance_doc import tables, write_docs  # noqa: E402
from bench.report import format_table, machine, write_results  # noqa: E402
from bench.targets import API, PAGES, evaluate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES") or "1000,10000")
    parser.add_argument(
        "--duration", type=float, default=float(os.environ.get("BENCH_DURATION") or 10)
    )
    parser.add_argument("--connections", default=os.environ.get("BENCH_CONNECTIONS") or "1,8")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS") or 2))
    parser.add_argument("--output", default=None, help="results folder (bench/results)")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/performance.md")
    parser.add_argument("--no-build", action="store_true", help="skip build_frontend")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--docs-from", metavar="JSON", help="only rewrite docs/performance.md from a results file"
    )
    args = parser.parse_args()
    if args.docs_from:
        path = Path(args.docs_from).resolve()
        report = json.loads(path.read_text())
        report["targets"] = evaluate(report)
        print(f"summary in {write_docs(report, path).relative_to(ROOT)}")
        return
    sizes = [int(value) for value in str(args.sizes).split(",") if value.strip()]
    args.connections = [int(value) for value in str(args.connections).split(",")]
    quick = sizes != [1000, 10000] or args.duration < 10

    ensure_wrk()
    started = time.perf_counter()
    report: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "make bench"
        + ("" if not quick else f" BENCH_SIZES={args.sizes} BENCH_DURATION={args.duration:g}"),
        "quick": quick,
        "sizes_requested": sizes,
        "duration_s": args.duration,
        "connections": args.connections,
        "workers": args.workers,
        "machine": machine(),
        "sizes": {},
    }
    with Infrastructure(keep=args.keep) as infra:
        report["database"] = "PostgreSQL" if infra.postgres else "SQLite"
        report["cache"] = "private Redis" if infra.redis else (infra.redis_url or "local memory")
        print(f"database: {report['database']}, cache: {report['cache']}", flush=True)
        infra.template()
        last_url = None
        for size in sizes:
            print(f"\n== {size} places ==", flush=True)
            database_url = infra.database(size)
            env = infra.env(database_url)
            fill = child("fill", env, str(size))
            print(
                f"filled in {fill['fill_seconds']} s (pages {fill['create_seconds']} s, "
                f"search index {fill['index_seconds']} s)",
                flush=True,
            )
            urls = {**PAGES, "place": fill["place_url"], **API}
            queries = child("queries", env, json.dumps(urls))
            print(format_table(queries, ["status", "uncached", "kept", "hit", "bytes"], "url"))
            measured = measure_size(infra, size, database_url, urls, args)
            report["sizes"][str(size)] = {
                **{key: value for key, value in fill.items() if key.endswith("_seconds")},
                "urls": urls,
                "queries": queries,
                **measured,
            }
            last_url, last_urls = database_url, urls
        if args.no_build:
            report["build"] = {"available": False, "skipped": True}
        else:
            print("\n== build_frontend ==", flush=True)
            report["build"] = measure_build(infra, last_url, last_urls, args)
    report["seconds"] = round(time.perf_counter() - started)
    report["targets"] = evaluate(report)
    print("\n" + tables(report))
    print()
    print(format_table(report["targets"], ["measured", "met"], first="target"))
    path = write_results(report, f"bench-{datetime.now(UTC):%Y-%m-%d}.json", args.output)
    if not args.no_docs:
        print(f"summary in {write_docs(report, path).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
