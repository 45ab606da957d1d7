"""What changed in the public data, and who hears of it, in which order.

``publishing.receivers`` turns every signal it hears into a ``Change`` and hands it to
``note()``. A change is heard twice:

* **in the transaction** (``_in_transaction``), as it happens, by what must commit or roll
  back with the data: the applicants' photos, the „Ihr Ort ist online“ mark, the search
  entry, the ``publishing.subscribe(..., in_transaction=True)`` callbacks (the static site's
  pending paths: a crash after the commit cannot lose them). The data version and the
  restricted-collection ids change here too, for readers on the same connection (a command,
  the tests). The API snapshot marks run even earlier, in the receivers
  (``publishing.stale_snapshots`` says why);
* **after the commit** (``_after_commit``), once per transaction, all its changes merged
  into one, in a fixed order: the caches, the CDN, the renditions, then the
  ``publishing.subscribe()`` callbacks (the static site's build task).
  A rolled-back transaction hands on nothing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, fields

from django.conf import settings
from django.db import transaction

from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page, Site
from wagtail.search import index

from applications.online import note_published as note_application_place_published
from applications.photos import publish_images_of
from core.data_version import bump_version
from core.images import forget_restricted_collection_ids
from places.models import PlacePage
from places.renditions import make_renditions_task
from website import page_cache

from . import SUBSCRIBERS
from .paths import every_language


@dataclass
class Change:
    """One change of the public data (or all of one transaction's, merged)."""

    #: Pages that changed themselves (saved while live, published, unpublished, moved,
    #: deleted; a place whose fields, tags, links or gallery changed).
    pages: set[int] = field(default_factory=set)
    #: Every site path whose content changed; each stands for all its query strings
    #: (``publishing.paths``), in every language (``note`` adds the ``/en`` twins). Only
    #: computed where someone needs them (``paths_wanted``).
    paths: set[str] = field(default_factory=set)
    #: Those of ``paths`` whose page changed itself (old and new path on a move): only such a
    #: page can change its card on a listing.
    page_paths: set[str] = field(default_factory=set)
    #: Paths of pages Wagtail announced as published or unpublished: its frontend cache
    #: purges those itself (a German page's German address, a translation's own).
    announced_paths: set[str] = field(default_factory=set)
    #: Data that any page may show changed (images, reference data, sites, restrictions,
    #: documents, a release): every kept page is stale, not only ``paths``.
    everything: bool = False
    #: Collections or their view restrictions changed: which images are public.
    collections: bool = False
    #: Pages published, by id.
    published: dict[int, Page] = field(default_factory=dict)
    #: Pages deleted (a subtree's with it), a subset of ``pages``.
    deleted: set[int] = field(default_factory=set)

    def merge(self, other: Change) -> None:
        for name in (item.name for item in fields(self)):
            setattr(self, name, getattr(self, name) | getattr(other, name))


def paths_wanted(*, everything: bool = False) -> bool:
    """Whether anyone needs a change's paths: the page cache (unless every page is stale
    anyway), the static site, the CDN purge. Computing them costs queries."""
    return bool(
        getattr(settings, "STATICSITE_OUTPUT", "")
        or getattr(settings, "WAGTAILFRONTENDCACHE", None)
        or (not everything and page_cache.cache_seconds())
    )


class _Pending(threading.local):
    """The current transaction's changes, each with the ``on_commit`` callback that hands it
    on; the changes by page; and the connection's list of callbacks they were added to
    (Django replaces that list when a transaction or savepoint ends: only then is it looked
    through, for the callbacks a rollback discarded)."""

    def __init__(self):
        self.entries: list[tuple] = []
        self.by_page: dict[int, list[Change]] = {}
        self.queue: list | None = None

    def keep(self, entries) -> None:
        self.entries, self.by_page = [], {}
        for callback, change in entries:
            self.add(callback, change)

    def add(self, callback, change: Change) -> None:
        self.entries.append((callback, change))
        for page_id in change.pages:
            self.by_page.setdefault(page_id, []).append(change)


_pending = _Pending()


def _current() -> _Pending:
    connection = transaction.get_connection()
    if _pending.entries and connection.run_on_commit is not _pending.queue:
        scheduled = set()
        if connection.in_atomic_block:
            scheduled = {id(callback) for _sids, callback, _robust in connection.run_on_commit}
        _pending.keep(entry for entry in _pending.entries if id(entry[0]) in scheduled)
        _pending.queue = connection.run_on_commit
    return _pending


def is_deleted(page_id) -> bool:
    """Whether this transaction's changes deleted the page already."""
    return any(page_id in change.deleted for change in _current().by_page.get(page_id, ()))


def noted_paths(page_id) -> tuple[set[str], set[str]] | None:
    """``(paths, page_paths)`` that this transaction's changes found for the page, or None:
    a change of the page's own rows (saved with it) need not ask again."""
    found = _current().by_page.get(page_id, [])
    if not any(change.paths for change in found):
        return None
    return (
        set().union(*(change.paths for change in found)),
        set().union(*(change.page_paths for change in found)),
    )


def note(change: Change) -> None:
    """Hand ``change`` on: in the transaction now, after the commit with the others. Its
    paths reach every language's address from here on (``paths.every_language``)."""
    change.paths = every_language(change.paths)
    change.page_paths = every_language(change.page_paths)
    _in_transaction(change)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _after_commit(change)
        return

    def hand_on():
        # The first callback to run takes its change and every later one: at a commit,
        # all of the transaction's (one ``Change``). (A test that runs only the callbacks
        # of a block gets that block's.)
        entries = _pending.entries  # as they are: Django is running the callbacks
        ids = [id(callback) for callback, _change in entries]
        if id(hand_on) not in ids:
            return
        at = ids.index(id(hand_on))
        taken = entries[at:]
        _pending.keep(entries[:at])
        merged = Change()
        for _callback, each in taken:
            merged.merge(each)
        _after_commit(merged)

    pending = _current()
    transaction.on_commit(hand_on)
    pending.add(hand_on, change)
    pending.queue = connection.run_on_commit


def _in_transaction(change: Change) -> None:
    for page in change.published.values():
        publish_images_of(page)
        if isinstance(page, PlacePage):
            # The search index is written on post_save, before a page's tags and fields
            # (child rows) are: index it once more now that they are.
            index.insert_or_update_object(page)
            # „Ihr Ort ist online“ to the applicant, at the place's first publication.
            note_application_place_published(page)
    bump_version()
    if change.collections:
        forget_restricted_collection_ids()
    for callback in SUBSCRIBERS[True]:
        callback(change)


def _after_commit(change: Change) -> None:
    if change.collections:
        # A request that read the old rows before the commit may have kept them meanwhile.
        forget_restricted_collection_ids()
    bump_version()
    if page_cache.cache_seconds():
        if change.everything:
            page_cache.invalidate_all()
        else:
            page_cache.invalidate_paths(change.paths)
    purge_frontend_cache(change)
    for page_id in change.published:
        # Renditions at publish, not on a visitor's first request.
        make_renditions_task.enqueue(page_id)
    for callback in SUBSCRIBERS[False]:
        callback(change)


def purge_frontend_cache(change: Change) -> None:
    """Purge the paths that show the change from the CDN (``WAGTAILFRONTENDCACHE``), on every
    site: beyond the pages Wagtail announced, which its frontend cache purges itself. A path
    stands for its plain URL here; filtered variants expire by their ``max-age``."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    paths = sorted(change.paths - change.announced_paths)
    if not paths:
        return
    batch = PurgeBatch()
    for site in Site.get_site_root_paths():
        batch.add_urls(site.root_url.rstrip("/") + path for path in paths)
    batch.purge()
