"""Bulk import of a region's places from CSV or GeoJSON (``import_places``) and their export.

The layout (``layout.py``) is the one of ``/api/orte.csv`` with the page ``id`` instead of
``url``; docs/redaktion.md has the editors' view. ``run_import`` works in three phases and
touches the database only in the last one: **read** the file (``readers.py``: any problem
refuses the whole file), **validate** every row (``validation.py``) and **match** it to a
place of the region (``matching.py``), **write** every valid row in one transaction
(``writing.py``: unchanged rows write nothing; ``publish`` publishes only what the
moderation allows). Rejected rows are reported (``report.py``) and skipped; ``strict``
skips writing when any row is rejected; any error while writing rolls back everything.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

from core.languages import in_language_q

from .matching import Context, match_rows
from .readers import parse, read_file
from .report import ImportReport, with_progress
from .validation import validate_row
from .writing import plan_update, write


def regions():
    """The regions an import or export may name (by slug): German region pages only. The
    English tree that wagtail-localize keeps has a twin of each region with the same slug
    (and after a German rename, the old one until its next sync); it is no region."""
    return apps.get_model("regions", "RegionPage").objects.filter(in_language_q())


def run_import(
    path,
    region,
    *,
    dry_run: bool = False,
    publish: bool = False,
    strict: bool = False,
    user=None,
    progress_stream=None,
    show_progress: bool | None = None,
) -> ImportReport:
    """Import ``path`` into ``region``; raises ``ImportFileError`` when the file is refused."""
    report = ImportReport(region=region, dry_run=dry_run, publish=publish, strict=strict)
    text, report.encoding = read_file(path)
    rows = report.rows = parse(text, report)
    context = Context(region)
    for row in with_progress(rows, "Prüfen", progress_stream, show_progress):
        if not row.errors:
            validate_row(row, context, report.columns, report.file_format == "CSV")
    match_rows(rows, context, publish)
    if dry_run or (strict and report.rejected):
        # Nothing is written: the report still says which rows would change nothing, and
        # which would be published or kept as drafts.
        for row in rows:
            if row.action == "update":
                plan_update(row, context, publish)
        return report
    rows_to_write = [row for row in rows if row.action in ("create", "update")]
    rows_to_write = with_progress(rows_to_write, "Speichern", progress_stream, show_progress)
    with transaction.atomic():
        write(rows_to_write, context, user, publish)
    report.written = True
    return report
