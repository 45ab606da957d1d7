"""Benchmark of the generated static site (``build_frontend``).

    .venv/bin/python bench/build.py [--places 5000] [--workers 2]

On a throwaway database (a temporary SQLite file, or a ``test_…`` database on the PostgreSQL
server when ``DATABASE_URL`` points there) with ``--places`` places (``bench/dataset.py``):

- a full build, twice: "cold" (image renditions are created on the way) and "warm"
  (they exist) — pages per second, files, bytes, seconds;
- the incremental rebuild after publishing one new place through Wagtail (the signals record
  the affected paths, then ``build_changed()`` runs as the background task would) — seconds
  and the number of rendered URLs; then the same for unpublishing it.

Prints a table and writes ``bench/results/build-<date>-<database>.json``. Targets: full build
≥ 100 pages/s, incremental < 3 s at 5,000 places on a 2-core machine.
"""

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inprocess import report_header, setup_django, throwaway_database  # noqa: E402
from bench.report import print_table, python_speed, write_results  # noqa: E402

TMPDIR = setup_django("kig-build-bench-")

from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from bench.dataset import create_places  # noqa: E402
from places.models import PlacePage  # noqa: E402
from regions.models import RegionPage  # noqa: E402
from staticsite.builder import BuildConfig, full_build  # noqa: E402
from staticsite.changes import build_changed  # noqa: E402
from staticsite.models import PendingPath  # noqa: E402

TARGET_PAGES_PER_SECOND = 100
TARGET_INCREMENTAL_SECONDS = 3.0


def _row(summary, **extra) -> dict:
    return {
        "pages": summary.pages,
        "files": summary.files,
        "mb": round(summary.bytes / 1e6, 1),
        "seconds": round(summary.seconds, 2),
        "pages_per_s": round(summary.pages / max(summary.seconds, 1e-6), 1),
        # Rendered, but the file came out the same (e.g. the first page of a listing the
        # change does not reach, staticsite.incremental._listings_to_render).
        "unchanged": summary.unchanged,
        # The machine is shared: the load at the end of each measurement.
        "load_1min": round(os.getloadavg()[0], 1),
        **extra,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()

    with throwaway_database():
        start = time.perf_counter()
        create_places(args.places, index_search=False)
        fill_seconds = time.perf_counter() - start
        output = TMPDIR / "site"
        config = BuildConfig(
            output=output,
            base_url="https://www.kreativorte.example/",
            app_url="https://cms.kreativorte.example",
            workers=args.workers,
            progress=sys.stderr.isatty(),
        )
        results = {
            "full build (cold)": _row(full_build(config)),
            "full build (warm)": _row(full_build(config)),
        }

        # Record the changes, but no automatic task: measure the rebuild on its own.
        recording = override_settings(STATICSITE_OUTPUT=str(output), STATICSITE_AUTO_BUILD=False)
        with recording:
            region = RegionPage.objects.get(slug="altmark", locale__language_code="de")
            place = region.add_child(
                instance=PlacePage(
                    title="Neuer Kulturbahnhof Bench",
                    slug="neuer-kulturbahnhof-bench",
                    teaser="Ein Bahnhof wird Kulturort.",
                    municipality="Salzwedel",
                    latitude=Decimal("52.85"),
                    longitude=Decimal("11.15"),
                    live=False,
                )
            )
            started = time.perf_counter()
            place.save_revision().publish()
            signal_seconds = time.perf_counter() - started
            pending = PendingPath.objects.count()
        summary = build_changed(config)
        results["incremental: publish one place"] = _row(
            summary,
            pending_paths=pending,
            signals_s=round(signal_seconds, 2),
            total_s=round(summary.seconds + signal_seconds, 2),
        )
        assert (output / "altmark" / "neuer-kulturbahnhof-bench" / "index.html").exists()

        with recording:
            place.refresh_from_db()
            started = time.perf_counter()
            place.unpublish()
            signal_seconds = time.perf_counter() - started
        summary = build_changed(config)
        results["incremental: unpublish it"] = _row(
            summary,
            signals_s=round(signal_seconds, 2),
            total_s=round(summary.seconds + signal_seconds, 2),
            removed=summary.removed,
        )
        assert not (output / "altmark" / "neuer-kulturbahnhof-bench").exists()

    report = {
        **report_header(args.places),
        "workers": args.workers,
        "load_average": os.getloadavg(),
        # How fast this machine runs Python (machines of the same kind differ by 2× and more).
        "python_loop_s": python_speed(),
        "fill_seconds": round(fill_seconds, 1),
        "targets": {
            "full_build_pages_per_s": TARGET_PAGES_PER_SECOND,
            "incremental_s": TARGET_INCREMENTAL_SECONDS,
        },
        "results": results,
    }
    print(
        f"\n{args.places} places on {connection.vendor}, {args.workers} worker(s); "
        f"Python speed {report['python_loop_s']} s for 10 million additions\n"
    )
    print_table(
        results,
        [
            "pages",
            "unchanged",
            "files",
            "mb",
            "seconds",
            "pages_per_s",
            "signals_s",
            "total_s",
            "load_1min",
        ],
    )
    write_results(
        report, f"build-{datetime.now(UTC):%Y-%m-%d}-{connection.vendor}.json", args.output
    )


if __name__ == "__main__":
    main()
