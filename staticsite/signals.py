"""Wagtail signals → paths to rebuild (``core.affected``) → ``staticsite.changes.record``."""

import threading

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.affected import affected_paths, site_path, snapshot

_state = threading.local()


def _enabled() -> bool:
    """Only a site with a static output records changes (no cost for others, e.g. tests)."""
    return bool(getattr(settings, "STATICSITE_OUTPUT", ""))


def _before() -> dict:
    if not hasattr(_state, "before"):
        _state.before = {}
    return _state.before


def _own_paths(instance, previous=None) -> set[str]:
    """The changed page's own path, and its old one (move)."""
    paths = {site_path(instance) if instance.pk else None, previous.path if previous else None}
    return {path for path in paths if path}


def remember_previous(sender, instance, update_fields=None, raw=False, **kwargs):
    """Publishing saves the page with all fields: keep the state it had (old coordinates)."""
    if raw or update_fields is not None or not isinstance(instance, Page) or not instance.pk:
        return
    if not _enabled():
        return
    _before()[instance.pk] = snapshot(instance)


def published(sender, instance, **kwargs):
    from .changes import record

    if not _enabled():
        return
    previous = _before().pop(instance.pk, None)
    record(affected_paths(instance, previous=previous), pages=_own_paths(instance, previous))


def unpublished(sender, instance, **kwargs):
    from .changes import record

    if not _enabled():
        return
    _before().pop(instance.pk, None)
    record(affected_paths(instance), pages=_own_paths(instance))


def moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    from .changes import record

    if not _enabled():
        return
    if url_path_before == url_path_after or not instance.live:
        return
    previous = snapshot(instance, url_path=url_path_before)
    record(affected_paths(instance, previous=previous), pages=_own_paths(instance, previous))


def deleting(sender, instance, **kwargs):
    from .changes import record

    if not _enabled():
        return
    if isinstance(instance, Page) and instance.live:
        record(affected_paths(instance), pages=_own_paths(instance))


def restriction_changed(sender, instance, **kwargs):
    from .changes import record

    if not _enabled():
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None and page.live:
        # Every page below a restriction appears or disappears: all count as changed.
        record(affected_paths(page))


def register_signal_handlers():
    pre_save.connect(remember_previous, dispatch_uid="staticsite-remember-previous")
    page_published.connect(published, dispatch_uid="staticsite-published")
    page_unpublished.connect(unpublished, dispatch_uid="staticsite-unpublished")
    post_page_move.connect(moved, dispatch_uid="staticsite-moved")
    pre_delete.connect(deleting, dispatch_uid="staticsite-deleting")
    for signal in (post_save, post_delete):
        signal.connect(
            restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"staticsite-restriction-{id(signal)}",
        )
