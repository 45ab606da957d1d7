"""Benchmark of the public website.

    .venv/bin/python bench/website.py [--places 500] [--runs 20]

Measures, on a throwaway database (a temporary SQLite file, or a ``test_…`` database on the
PostgreSQL server when ``DATABASE_URL`` points there):

- the place page's weight: HTML + CSS + JS that load with the page, gzip-compressed
  (images excluded; Leaflet is counted separately because it loads only after consent),
  and whether any script blocks rendering;
- the time to render one paginated page of a region with ``--places`` places (median of
  ``--runs`` requests through Django's test client, the whole middleware stack).

Prints a table and writes ``bench/results/website-<date>-<database>.json``.
"""

import argparse
import gzip
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inprocess import report_header, setup_django, throwaway_database, timed  # noqa: E402
from bench.report import print_table, write_results  # noqa: E402

setup_django("kig-web-bench-")

from django.contrib.staticfiles import finders  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.dataset import create_places  # noqa: E402
from places.models import PlacePage  # noqa: E402
from regions.models import RegionPage  # noqa: E402

TARGET_PLACE_PAGE_KB = 60
TARGET_REGION_MS = 150


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def static_bytes(path: str) -> bytes:
    found = finders.find(path.removeprefix("/static/"))
    return Path(found).read_bytes()


def page_weight(client, url: str) -> dict:
    html = client.get(url).content
    text = html.decode()
    css = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
    scripts = re.findall(r"<script src=\"([^\"]+)\"([^>]*)>", text)
    blocking = [src for src, attrs in scripts if "defer" not in attrs and "async" not in attrs]
    assets = {src: static_bytes(src) for src in [*css, *(src for src, _ in scripts)]}
    total_gz = gz(html) + sum(gz(data) for data in assets.values())
    after_consent = [
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
        "vendor/leaflet-markercluster/leaflet.markercluster.js",
        "vendor/leaflet-markercluster/MarkerCluster.css",
        "vendor/leaflet-markercluster/MarkerCluster.Default.css",
    ]
    return {
        "url": url,
        "html_bytes": len(html),
        "html_gzip": gz(html),
        "assets_gzip": {src: gz(data) for src, data in assets.items()},
        "total_gzip": total_gz,
        "total_gzip_kb": round(total_gz / 1024, 1),
        "target_kb": TARGET_PLACE_PAGE_KB,
        "render_blocking_scripts": blocking,
        "map_after_consent_gzip_kb": round(
            sum(gz(static_bytes(path)) for path in after_consent) / 1024, 1
        ),
    }


def timed_warm(client, url: str, runs: int) -> dict:
    client.get(url)  # warm: renditions, caches
    return {**timed(client, url, runs), "target_ms": TARGET_REGION_MS}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=500)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()

    with throwaway_database():
        start = time.perf_counter()
        create_places(args.places, regions=("altmark",))
        fill_seconds = time.perf_counter() - start
        region = RegionPage.objects.get(slug="altmark", locale__language_code="de")
        assert PlacePage.objects.child_of(region).live().count() == args.places

        client = Client()
        # The place page as most visitors get it, but without images (text only).
        place = PlacePage.objects.child_of(region).live().order_by("pk").first()
        place.gallery_images.all().delete()
        place.hero_image = None
        place.story = [(b.block_type, b.value) for b in place.story if b.block_type != "image"]
        place.save(clean=False, update_fields=["hero_image", "story"])
        weight = page_weight(client, place.url)

        results = {
            "region_page_1": timed_warm(client, region.url, args.runs),
            "region_page_3": timed_warm(client, region.url + "?page=3", args.runs),
            "region_filtered": timed_warm(
                client,
                region.url + "?category=arbeiten-wirtschaft&offer=coworking",
                args.runs,
            ),
            "place_page": timed_warm(client, place.url, args.runs),
            "orte_all_regions": timed_warm(client, "/orte/", args.runs),
        }

    report = {
        **report_header(args.places),
        "fill_seconds": round(fill_seconds, 1),
        "place_page_weight": weight,
        "results": results,
    }
    print(f"\n{args.places} places on {connection.vendor} (filled in {fill_seconds:.1f} s)\n")
    print(
        f"place page without images: {weight['total_gzip_kb']} KB gzip "
        f"(HTML {weight['html_gzip']} B, target {TARGET_PLACE_PAGE_KB} KB); "
        f"render-blocking scripts: {weight['render_blocking_scripts'] or 'none'}; "
        f"map after consent: +{weight['map_after_consent_gzip_kb']} KB"
    )
    print_table(results, ["status", "median_ms", "min_ms", "queries"])
    write_results(
        report, f"website-{datetime.now(UTC):%Y-%m-%d}-{connection.vendor}.json", args.output
    )


if __name__ == "__main__":
    main()
