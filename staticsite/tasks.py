"""The background task that brings the static site up to date after editors' changes.

Development and tests run it at once (``ImmediateBackend``); production runs it in a worker
(``django_tasks.backends.database`` + ``manage.py db_worker``, see docs/static-site.md).
"""

import logging

from django.conf import settings

from django_tasks import task

from .builder import BuildConfig
from .changes import build_changed

logger = logging.getLogger(__name__)


@task()
def build_changed_task() -> str:
    if not settings.STATICSITE_OUTPUT:
        return "STATICSITE_OUTPUT is not set"
    # One process: the task may run inside a web process (ImmediateBackend), never fork there.
    summary = build_changed(BuildConfig.from_settings(workers=1))
    message = summary.line() if summary else "nothing pending"
    logger.info("Static site: %s", message)
    return message


def build_after_commit(change) -> None:
    """``publishing`` subscriber, after the commit: build what the change left pending."""
    if change.paths and settings.STATICSITE_OUTPUT and settings.STATICSITE_AUTO_BUILD:
        build_changed_task.enqueue()
