"""Benchmark of the headless API.

    .venv/bin/python bench/api.py --places 5000

Runs against a throwaway database: a temporary SQLite file, or, when ``DATABASE_URL`` points
at PostgreSQL, a ``test_…`` database created and dropped on that server. Requests go
through Django's test client (the whole middleware stack, no network). Prints a table and
writes ``bench/results/api-<date>.json``.
"""

import argparse
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inprocess import setup_django, timed  # noqa: E402
from bench.report import print_table, write_results  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kig-bench-") as tmpdir:
        setup_django(tmpdir)
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client

        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            from bench.dataset import create_places

            start = time.perf_counter()
            create_places(args.places)
            fill_seconds = time.perf_counter() - start

            client = Client()
            listing = "/api/v2/pages/?type=places.PlacePage&fields=*&limit=100"
            default_listing = "/api/v2/pages/?type=places.PlacePage&limit=20"
            geojson = "/api/orte.geojson"
            csv_url = "/api/orte.csv"

            # The very first request creates the renditions of the shared image pool and
            # pre-renders every place for the exports (bulk inserts send no signals, so
            # their snapshots are missing, as after a migration).
            first = timed(client, geojson, 1)
            # Stores the API v2 items of the places shown (the first listings after a
            # change render them).
            results_first = {"v2_listing_100_all_fields_first": timed(client, listing, 1)}
            client.get(listing + "&region=altmark&category=arbeiten-wirtschaft")
            client.get(default_listing)
            from places.api import refresh_snapshots

            start = time.perf_counter()
            refresh_snapshots()  # what `manage.py refresh_api_snapshots` does
            refresh_seconds = time.perf_counter() - start
            results = {
                **results_first,
                "v2_listing_100_all_fields": timed(client, listing, args.runs),
                "v2_listing_100_filtered": timed(
                    client, listing + "&region=altmark&category=arbeiten-wirtschaft", args.runs
                ),
                "v2_listing_20_default_fields": timed(client, default_listing, args.runs),
                "geojson_first_request": first,
                "geojson_cold": timed(client, geojson, max(5, args.runs // 4), before=cache.clear),
                "geojson_cached_body": timed(client, geojson, args.runs),
                "csv_cold": timed(client, csv_url, max(5, args.runs // 4), before=cache.clear),
            }
            etag = client.get(geojson)["ETag"]
            results["geojson_304"] = timed(
                client, geojson, args.runs, headers={"if-none-match": etag}
            )
            v2_etag = client.get(listing)["ETag"]
            results["v2_listing_304"] = timed(
                client, listing, args.runs, headers={"if-none-match": v2_etag}
            )
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "places": args.places,
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
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
