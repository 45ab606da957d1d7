"""Changes waiting for the static site: the paths a change shows on, and building them.

``publishing`` hands every change to ``record_change`` in the change's own transaction
(``staticsite.apps``): its paths are stored in ``PendingPath`` together with the data, so a
crash after the commit cannot lose them. After the commit the background task
(``staticsite.tasks.build_changed_task``) or ``build_frontend --changed`` calls
``build_changed()``. Paths stay in the table until a build has written them, so a failed or
missed run is caught up by the next one.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from publishing.paths import paths_showing_dates

from .builder import BuildConfig, Summary
from .incremental import incremental_build
from .models import PendingPath


def record_change(change) -> None:
    """``publishing`` subscriber, in the change's transaction: store the change's paths for
    the next build, marking those whose page changed itself (``change.page_paths``; the rest
    only show it). Only a site with a static output records changes (no cost for others)."""
    own = change.page_paths
    paths = sorted(change.paths | own) if settings.STATICSITE_OUTPUT else []
    if not paths:
        return
    now = timezone.now()
    PendingPath.objects.bulk_create(
        [PendingPath(path=path, created_at=now, page_changed=path in own) for path in paths],
        update_conflicts=True,
        unique_fields=["path"],
        update_fields=["created_at"],
    )
    if own:
        # Once a page's own change is pending, it stays marked until it is built.
        PendingPath.objects.filter(path__in=own, page_changed=False).update(page_changed=True)


def build_changed(config: BuildConfig | None = None) -> Summary | None:
    """Build the pending paths into the output; ``None`` when nothing is pending."""
    rows = list(PendingPath.objects.all())
    if not rows:
        return None
    config = config or BuildConfig.from_settings()
    pages = {row.path for row in rows if row.page_changed}
    summary = incremental_build(config, {row.path for row in rows}, pages=pages)
    newest = max(row.created_at for row in rows)
    # Paths recorded again while the build ran (newer created_at) stay pending.
    PendingPath.objects.filter(pk__in=[row.pk for row in rows], created_at__lte=newest).delete()
    return summary


def build_dates(config: BuildConfig | None = None) -> Summary:
    """Re-render what shows dates (``publishing.paths.paths_showing_dates``): run shortly
    after midnight (Europe/Berlin), so that dates that are over leave the static site
    without any publish (``build_frontend --dates``)."""
    config = config or BuildConfig.from_settings()
    paths, events = paths_showing_dates()
    # The events' own pages count as changed: a listing's later pages showing them follow.
    return incremental_build(config, paths, pages=events)
