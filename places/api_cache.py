"""Cheap validators (ETag / Last-Modified) and body caching for the public API.

Two ingredients make up the data version that every API validator is derived from:

* a counter in Django's cache, bumped by signals whenever something that the API shows
  may have changed (publish, unpublish, delete, move, view restrictions, reference data,
  images). With a shared cache (Redis in production) this invalidates every worker at once.
* a fingerprint of the live pages read from the database in one small aggregate query
  (number of live pages, newest publication). It catches changes made by another process
  whose cache the counter does not reach (e.g. several workers with a local-memory cache).

A conditional request whose validator still matches costs that one query and a cache read.
"""

import hashlib
import time
from datetime import UTC, datetime

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from wagtail.models import Page

VERSION_CACHE_KEY = "places-api:version"
BODY_CACHE_PREFIX = "places-api:body"
BODY_CACHE_TIMEOUT = 60 * 60 * 24


def bump_version(**kwargs) -> None:
    """Signal receiver: everything derived from the old version becomes stale at once."""
    cache.set(VERSION_CACHE_KEY, f"{time.time_ns():x}", timeout=None)


def _counter() -> str:
    value = cache.get(VERSION_CACHE_KEY)
    if value is None:
        value = f"{time.time_ns():x}"
        # add() keeps a value another process may have set in the meantime.
        if not cache.add(VERSION_CACHE_KEY, value, timeout=None):
            value = cache.get(VERSION_CACHE_KEY, value)
    return value


class DataVersion:
    """The current data version: a token for cache keys and a Last-Modified time."""

    def __init__(self):
        stats = Page.objects.filter(live=True).aggregate(
            count=Count("id"), last=Max("last_published_at"), newest=Max("id")
        )
        counter = _counter()
        # The counter is the time of the last change seen by the signals.
        try:
            changed = datetime.fromtimestamp(int(counter, 16) / 1e9, tz=UTC)
        except (ValueError, OverflowError, OSError):
            changed = None
        candidates = [value for value in (stats["last"], changed) if value is not None]
        self.last_modified = max(candidates) if candidates else None
        self.token = "-".join(
            [
                counter,
                str(stats["count"]),
                str(stats["newest"]),
                stats["last"].isoformat() if stats["last"] else "",
            ]
        )

    def etag_for(self, *parts: str) -> str:
        digest = hashlib.sha256("|".join([self.token, *parts]).encode()).hexdigest()[:32]
        return f'"{digest}"'

    def body_cache_key(self, *parts: str) -> str:
        return f"{BODY_CACHE_PREFIX}:{self.etag_for(*parts).strip(chr(34))}"


def conditional_response(request, version: DataVersion, etag: str):
    """A ``304 Not Modified`` (with the validators) when the client's copy is current."""
    last_modified = version.last_modified.timestamp() if version.last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is not None:
        set_validators(response, version, etag)
    return response


def set_validators(response, version: DataVersion, etag: str, max_age: int | None = None):
    from django.conf import settings

    if max_age is None:
        max_age = getattr(settings, "PLACES_API_MAX_AGE", 0)
    response["ETag"] = etag
    if version.last_modified:
        response["Last-Modified"] = http_date(version.last_modified.timestamp())
    # max-age=0 + must-revalidate: clients and CDNs always ask again, and get a cheap 304
    # while nothing changed, so a publish shows up at once.
    patch_cache_control(response, public=True, max_age=max_age, must_revalidate=True)
    return response


def register_signal_handlers() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from taggit.models import Tag
    from wagtail.models import CollectionViewRestriction, PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from core.models import CustomImage
    from places.models import ActorType, Category, Offer, PlacePageTag

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump_version, dispatch_uid=f"places-api-{id(signal)}")

    def page_saved_or_deleted(sender, instance, **kwargs):
        if isinstance(instance, Page):
            bump_version()

    post_save.connect(page_saved_or_deleted, dispatch_uid="places-api-page-save", weak=False)
    post_delete.connect(page_saved_or_deleted, dispatch_uid="places-api-page-delete", weak=False)
    from wagtail.documents import get_document_model

    for model in (
        get_document_model(),
        PageViewRestriction,
        CollectionViewRestriction,
        Category,
        Offer,
        ActorType,
        Tag,
        PlacePageTag,
        CustomImage,
    ):
        post_save.connect(bump_version, sender=model, dispatch_uid=f"places-api-save-{model}")
        post_delete.connect(bump_version, sender=model, dispatch_uid=f"places-api-delete-{model}")
    m2m_changed.connect(bump_version, dispatch_uid="places-api-m2m")
