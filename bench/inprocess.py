"""Django set up inside a benchmark script (bench/api.py, website.py, build.py).

The scripts then create a throwaway test database (a SQLite file in ``tmpdir``, or a
``test_…`` database on the server ``DATABASE_URL`` names) and keep media in ``tmpdir``.
"""

import os
import statistics
import time
from pathlib import Path


def setup_django(tmpdir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    import django
    from django.conf import settings

    django.setup()
    from django.test.utils import override_settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(Path(tmpdir) / "bench.sqlite3")
    # The in-process benchmarks time rendering: the page and API response caches, on in
    # the test settings as in production, are off here (bench/run.py measures them).
    override_settings(
        MEDIA_ROOT=Path(tmpdir) / "media",
        ALLOWED_HOSTS=["*"],
        PAGE_CACHE_SECONDS=0,
        PLACES_API_RESPONSE_CACHE_SECONDS=0,
    ).enable()


def timed(client, url, runs: int, headers=None, before=None) -> dict:
    """GET ``url`` ``runs`` times (``before()`` ahead of each): times in ms, queries, size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, status, queries, size = [], None, None, 0
    for _ in range(runs):
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, headers=headers or {})
            content = response.content
            times.append((time.perf_counter() - start) * 1000)
        status, queries, size = response.status_code, len(captured), len(content)
    return {
        "url": url,
        "status": status,
        "runs": runs,
        "median_ms": round(statistics.median(times), 2),
        "min_ms": round(min(times), 2),
        "max_ms": round(max(times), 2),
        "queries": queries,
        "bytes": size,
    }
