"""Benchmark of the headless API.

    .venv/bin/python bench/api.py --places 5000

Runs against a throwaway database: a temporary SQLite file, or, when ``DATABASE_URL`` points
at PostgreSQL, a ``test_…`` database created and dropped on that server. Requests go
through Django's test client (the whole middleware stack, no network). Prints a table and
writes ``bench/results/api-<date>.json``.
"""

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inprocess import report_header, setup_django, throwaway_database, timed  # noqa: E402
from bench.report import print_table, write_results  # noqa: E402

setup_django()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from api.exports import refresh_snapshots  # noqa: E402
from bench.dataset import create_places  # noqa: E402

LISTING = "/api/v2/pages/?type=places.PlacePage&fields=*&limit=100"
FILTERED = LISTING + "&region=altmark&category=arbeiten-wirtschaft"
DEFAULT_LISTING = "/api/v2/pages/?type=places.PlacePage&limit=20"
GEOJSON = "/api/orte.geojson"
CSV = "/api/orte.csv"


def measure(runs: int) -> tuple[dict, float]:
    """The timings, and the seconds ``refresh_api_snapshots`` takes for every place."""
    client = Client()
    # The very first request creates the renditions of the shared image pool and
    # pre-renders every place for the exports (bulk inserts send no signals, so their
    # snapshots are missing, as after a migration).
    first = timed(client, GEOJSON, 1)
    # Stores the API v2 items of the places shown (the first listings after a change
    # render them).
    results = {"v2_listing_100_all_fields_first": timed(client, LISTING, 1)}
    client.get(FILTERED)
    client.get(DEFAULT_LISTING)
    start = time.perf_counter()
    refresh_snapshots()  # what `manage.py refresh_api_snapshots` does
    refresh_seconds = time.perf_counter() - start
    results.update(
        {
            "v2_listing_100_all_fields": timed(client, LISTING, runs),
            "v2_listing_100_filtered": timed(client, FILTERED, runs),
            "v2_listing_20_default_fields": timed(client, DEFAULT_LISTING, runs),
            "geojson_first_request": first,
            "geojson_cold": timed(client, GEOJSON, max(5, runs // 4), before=cache.clear),
            "geojson_cached_body": timed(client, GEOJSON, runs),
            "csv_cold": timed(client, CSV, max(5, runs // 4), before=cache.clear),
        }
    )
    etag = client.get(GEOJSON)["ETag"]
    results["geojson_304"] = timed(client, GEOJSON, runs, headers={"if-none-match": etag})
    v2_etag = client.get(LISTING)["ETag"]
    results["v2_listing_304"] = timed(client, LISTING, runs, headers={"if-none-match": v2_etag})
    return results, refresh_seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()

    with throwaway_database():
        start = time.perf_counter()
        create_places(args.places)
        fill_seconds = time.perf_counter() - start
        results, refresh_seconds = measure(args.runs)

    report = {
        **report_header(args.places),
        "fill_seconds": round(fill_seconds, 1),
        "refresh_api_snapshots_seconds": round(refresh_seconds, 2),
        "results": results,
    }
    print(
        f"\n{args.places} places on {connection.vendor}, data set filled in {fill_seconds:.1f} s, "
        f"all snapshots rendered in {refresh_seconds:.2f} s\n"
    )
    print_table(results, ["status", "median_ms", "min_ms", "queries", "bytes"])
    write_results(
        report,
        f"api-{datetime.now(UTC):%Y-%m-%d}-{connection.vendor}-{args.places}.json",
        args.output,
    )


if __name__ == "__main__":
    main()
