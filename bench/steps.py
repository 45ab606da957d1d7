"""The steps of ``make bench`` (and of ``make load``/``make faults``) that run inside Django,
each in a fresh process with the caller's settings; the result is the last line, as JSON.

    .venv/bin/python bench/steps.py fill 1000        # the data set, the URLs to measure
    .venv/bin/python bench/steps.py queries '{"home": "/"}'
    .venv/bin/python bench/steps.py publish /altmark/some-place/
"""

import json
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from bench.dataset import analyze, create_places, index_places  # noqa: E402
from places.models import PlacePage  # noqa: E402
from regions.models import RegionPage  # noqa: E402


def fill(size: int) -> dict:
    """``size`` places with their search index; a region's URL and a place's URL."""
    start = time.perf_counter()
    create_places(size)
    created = time.perf_counter()
    index_places(list(PlacePage.objects.values_list("pk", flat=True)))
    analyze()
    vacuum_search_tables()
    seconds = time.perf_counter() - start
    region = RegionPage.objects.get(slug="altmark", locale__language_code="de")
    place = PlacePage.objects.child_of(region).live().order_by("pk")[size // 8]
    return {
        "fill_seconds": round(seconds, 1),
        "create_seconds": round(created - start, 1),
        "index_seconds": round(seconds - (created - start), 1),
        "region_url": region.url,
        "place_url": place.url,
    }


def vacuum_search_tables() -> None:
    """What autovacuum does in production (this machine's PostgreSQL runs without it): move
    the GIN indexes' pending entries of the bulk writes into the index proper. Until then
    every full-text or trigram search reads the whole pending list (a search for a word no
    place has took 88 ms at 10,000 places instead of 0.1 ms)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) wagtailsearch_indexentry, places_placepage")


def queries(urls: dict) -> dict:
    """Per URL: the status, the size and the SQL queries uncached, with the kept parts of
    pages warm, and as a page cache hit (Django's test client, after warm-up requests)."""
    client = Client()
    counts = {}
    for name, url in urls.items():
        # What rendering costs: the API's response cache and the kept parts of pages off
        # too (they stay on under load).
        with override_settings(
            PAGE_CACHE_SECONDS=0, PLACES_API_RESPONSE_CACHE_SECONDS=0, FRAGMENT_CACHE_SECONDS=0
        ):
            client.get(url)  # renditions, lookups
            cache.clear()
            client.get(url)  # refill what a warm process keeps (site root paths, …)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            # Count now: the next request's request_started signal empties the log.
            uncached = len(captured)
        # The page cache off, the kept parts of pages (cards, filter choices, counts) warm.
        with override_settings(PAGE_CACHE_SECONDS=0, PLACES_API_RESPONSE_CACHE_SECONDS=0):
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            kept = len(captured)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        hit = len(captured)
        counts[name] = {
            "status": response.status_code,
            "uncached": uncached,
            "kept": kept,
            "hit": hit,
            "bytes": len(response.content),
        }
    return counts


def publish(url: str) -> dict:
    """Publish a new revision of the place at ``url`` (for the incremental build)."""
    place = next(p for p in PlacePage.objects.live() if p.url == url)
    place.teaser = (place.teaser + " (aktualisiert)")[:200]
    place.save_revision().publish()
    return {"published": place.pk}


if __name__ == "__main__":
    step, argument = sys.argv[1:3]
    if step == "fill":
        result = fill(int(argument))
    elif step == "queries":
        result = queries(json.loads(argument))
    else:
        result = publish(argument)
    print(json.dumps(result))
