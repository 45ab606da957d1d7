"""Changes waiting for the static site: record affected paths, build them.

Signal handlers (``staticsite.signals``) call ``record()`` with ``core.affected`` paths; the
background task (``staticsite.tasks.build_changed_task``) or ``build_frontend --changed``
calls ``build_changed()``. Paths stay in the table until a build has written them, so a failed
or missed run is caught up by the next one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .builder import BuildConfig, Summary, incremental_build
from .models import PendingPath


def record(paths) -> None:
    paths = sorted({p for p in paths if p})
    if not paths:
        return
    now = timezone.now()
    PendingPath.objects.bulk_create(
        [PendingPath(path=path, created_at=now) for path in paths],
        update_conflicts=True,
        unique_fields=["path"],
        update_fields=["created_at"],
    )
    if getattr(settings, "STATICSITE_OUTPUT", "") and getattr(
        settings, "STATICSITE_AUTO_BUILD", True
    ):
        transaction.on_commit(_enqueue)


def _enqueue() -> None:
    from .tasks import build_changed_task

    build_changed_task.enqueue()


def build_changed(config: BuildConfig | None = None) -> Summary | None:
    """Build the pending paths into the output; ``None`` when nothing is pending."""
    rows = list(PendingPath.objects.values_list("pk", "path", "created_at"))
    if not rows:
        return None
    config = config or BuildConfig.from_settings()
    summary = incremental_build(config, {path for _pk, path, _at in rows})
    newest = max(at for _pk, _path, at in rows)
    # Paths recorded again while the build ran (newer created_at) stay pending.
    PendingPath.objects.filter(pk__in=[pk for pk, _p, _a in rows], created_at__lte=newest).delete()
    return summary
