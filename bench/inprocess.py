"""Django inside a benchmark script (bench/api.py, website.py, build.py).

A script calls ``setup_django()`` first and imports the project's modules after it. It then
measures on a throwaway database (``throwaway_database()``: a SQLite file in the temporary
folder, or a ``test_…`` database on the server ``DATABASE_URL`` names); media go to the
temporary folder, which is removed when the script ends.
"""

import atexit
import os
import platform
import shutil
import statistics
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import django
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings


def setup_django(prefix: str = "kig-bench-") -> Path:
    """Set Django up with the test settings; returns the temporary folder."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    tmpdir = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, tmpdir, True)
    django.setup()
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(tmpdir / "bench.sqlite3")
    # The in-process benchmarks time rendering: the page and API response caches, on in
    # the test settings as in production, are off here (bench/run.py measures them).
    override_settings(
        MEDIA_ROOT=tmpdir / "media",
        ALLOWED_HOSTS=["*"],
        PAGE_CACHE_SECONDS=0,
        PLACES_API_RESPONSE_CACHE_SECONDS=0,
    ).enable()
    return tmpdir


@contextmanager
def throwaway_database():
    """A migrated, empty test database for the duration of the block."""
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def report_header(places: int) -> dict:
    """The first fields of every in-process result file."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "places": places,
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
    }


def timed(client, url, runs: int, headers=None, before=None) -> dict:
    """GET ``url`` ``runs`` times (``before()`` ahead of each): times in ms, queries, size."""
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
