"""Load: 200 concurrent connections per URL against gunicorn on PostgreSQL + Redis (loopback).

    .venv/bin/python bench/load.py                       # 60 s per URL, 200 connections
    .venv/bin/python bench/load.py --duration 10 --places 300   # quick run

Starts the stack of bench/stack.py (private PostgreSQL and Redis, N places, gunicorn with the
production settings), warms each URL, then runs wrk against it. Reports requests/s, p50/p99
latency, socket errors and non-2xx/3xx answers per URL; any error makes the exit status 1.
Results: bench/results/load-<date>.json and the "load" section of docs/reliability.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import http_get, run_wrk
from bench.report import write_results
from bench.stack import Stack, machine, update_doc


def targets(stack: Stack) -> dict:
    return {
        "home": "/",
        "region": stack.urls["region_url"],
        "place": stack.urls["place_url"],
        "orte (filter)": "/orte/?category=wohnen-bauen",
        "search": "/suche/?q=Werkstatt",
        "api v2 (20 places)": "/api/v2/pages/?type=places.PlacePage&limit=20",
        "geojson": "/api/orte.geojson",
        "healthz": "/healthz",
    }


def settle(stack: Stack, limit_s: float = 180) -> None:
    """Wait until gunicorn has worked off what the previous wrk run left queued."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            status, _, _, ms = http_get(stack.server.url("/healthz"), timeout=limit_s)
        except OSError:
            continue
        if status == 200 and ms < 200:
            return
        time.sleep(0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--duration", type=int, default=60, help="seconds per URL")
    parser.add_argument("--places", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()

    rows = {}
    with Stack(places=args.places, workers=args.workers, threads=args.threads) as stack:
        for name, path in targets(stack).items():
            url = stack.server.url(path)
            settle(stack)
            for _ in range(3):
                status, _, _, _ = http_get(url, timeout=120)
            if status != 200:
                raise SystemExit(f"{name} {path}: status {status} before the load")
            print(f"{name}: {args.connections} connections, {args.duration} s …", flush=True)
            result = run_wrk(
                url, connections=args.connections, duration=args.duration, timeout_s=30
            )
            errors = sum(result["errors"].values()) + result["non_2xx_3xx"]
            rows[name] = {"path": path, **result, "error_count": errors}
            print(
                f"  {result['requests_per_s']:>8} req/s  p50 {result['latency_ms'].get('p50')} ms"
                f"  p99 {result['latency_ms'].get('p99')} ms  errors {errors}",
                flush=True,
            )
        tracebacks = stack.gunicorn_log().count("Traceback")
        rss = stack.server.worker_rss()

    data = {
        "machine": machine(),
        "places": args.places,
        "connections": args.connections,
        "duration_s": args.duration,
        "gunicorn": {"workers": args.workers, "threads": args.threads, "rss": rss},
        "tracebacks_in_log": tracebacks,
        "urls": rows,
    }
    path = write_results(data, f"load-{datetime.now(UTC):%Y-%m-%d}.json")
    total_errors = sum(row["error_count"] for row in rows.values()) + tracebacks
    table = [
        f"Last run: {data['machine']}; {args.places} places; gunicorn {args.workers} workers × "
        f"{args.threads} threads, `cms.settings.production`, private PostgreSQL and Redis on "
        f"127.0.0.1; wrk, {args.connections} connections, {args.duration} s per URL "
        f"(`{path.relative_to(path.parents[2])}`). Errors in total: **{total_errors}**.",
        "",
        "| URL | requests/s | p50 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, row in rows.items():
        table.append(
            f"| {name} `{row['path']}` | {row['requests_per_s']} | "
            f"{row['latency_ms'].get('p50')} | {row['latency_ms'].get('p99')} | "
            f"{row['error_count']} |"
        )
    if not args.no_docs:
        update_doc("load", "\n".join(table))
    print("\n".join(table))
    return 1 if total_errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
