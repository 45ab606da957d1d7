"""Per-page cache of the public website in Django's cache (Redis in production).

``PageCacheMiddleware`` sits right after whitenoise, in front of sessions, CSRF, the
Content-Security-Policy and Wagtail's routing. It stores whole responses (headers included)
and answers a hit with one cache round trip (``get_many``) and no SQL query.

What is cached: anonymous ``GET``/``HEAD`` requests without a session or CSRF cookie and
without ``Authorization``, outside ``/admin/``, ``/mitmachen/`` (signed, time-stamped form),
``/api/`` (own data-versioned cache, ``places.api_cache``), ``/dokumente/``, ``/healthz``,
``/static/`` and ``/media/``; only responses with status 200 that set no cookie, are not
streaming and have no ``Cache-Control: private/no-cache/no-store``. Pages behind a view
restriction never qualify: an anonymous visitor gets the login redirect or the password form
(which sets a CSRF cookie), and whoever has passed it has a session cookie.

The key: host, path and the query in its canonical form (``core.query_keys``), of the
parameters a public page can read (``PARAMETERS``: the place filters, ``page``, the sitemap's
``p``); the view gets exactly that canonical query, so ``?utm_source=…``, empty or repeated
parameters and another order share one entry, and no junk reaches a stored response. An
entry is keyed on the parameters the view actually read: a page that reads none (a place,
a region without listing parameters) has one entry whatever the query says. Free-text
parameters (``q``, ``municipality``) and page numbers still make one entry per value a
view reads (each is another answer); they live ``PAGE_CACHE_SECONDS`` at most, and nothing
that must not be evicted shares their cache (``CACHES["security"]``).

Conditional GET: every qualifying response gets a strong ``ETag`` (hash of the body) and a
``Last-Modified`` (when it was rendered); a matching ``If-None-Match``/``If-Modified-Since``
gets ``304 Not Modified`` — from the cache without rendering.

Invalidation: each path has a version token in the cache, and one token covers everything.
An entry is valid only while both tokens it was stored under are current. A publish,
unpublish, move or delete of a page replaces the tokens of exactly the paths
``core.affected.affected_paths`` names (a path stands for all its query strings), after the
transaction commits. Changes that can show on any page (images, categories, offers, actor
types, tags, sites, settings, view restrictions) replace the global token.

``PAGE_CACHE_SECONDS`` (environment, default 600; 0 turns the cache off) bounds how long an
entry lives even without a change.
"""

from __future__ import annotations

import hashlib
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from wagtail.models import Page

from core.query_keys import canonical_pairs, encode, restore_query, restrict, use_canonical_query

DEFAULT_SECONDS = 600
KEY_PREFIX = "pagecache"
GLOBAL_KEY = f"{KEY_PREFIX}:v:*"
SKIP_PREFIXES = (
    "/admin/",
    "/mitmachen/",
    "/api/",
    "/dokumente/",
    "/healthz",
    "/static/",
    "/media/",
    "/_util/",
)
#: Fields that a draft save (``save_revision``, locking) writes; they change nothing public.
DRAFT_ONLY_FIELDS = frozenset(
    {
        "comments",
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
    }
)
HEADER = "X-Page-Cache"
#: Query parameters any public page reads: the place filters (``places.queries``
#: ``FILTER_PARAMETERS``, checked by tests/test_page_cache.py), the listing's and search's
#: ``page``, the sitemap's ``p``. Others never reach the view while the cache is on.
MULTI_VALUED = frozenset({"region", "category", "tag", "offer", "status", "municipality", "q"})
PARAMETERS = MULTI_VALUED | {"page", "p"}


def cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", DEFAULT_SECONDS) or 0)


def _path_key(path: str) -> str:
    return f"{KEY_PREFIX}:v:{hashlib.md5(path.encode()).hexdigest()}"


def _entry_key(request, pairs) -> str:
    raw = f"{request.get_host()}|{request.path}?{encode(pairs)}"
    return f"{KEY_PREFIX}:e:{hashlib.md5(raw.encode()).hexdigest()}"


def _entry_matches(entry: dict, pairs) -> bool:
    """Whether ``entry`` answers a request with the canonical ``pairs``: the same values
    of every parameter the view read when it rendered the entry."""
    return encode(restrict(pairs, entry.get("reads"))) == entry.get("query")


#: WSGI environ key (not settable by HTTP clients) with which in-process renderers such as the
#: static site build skip the cache: ``client.get(path, **{BYPASS_ENVIRON: "1"})``.
BYPASS_ENVIRON = "kig.page_cache.bypass"


def cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.META.get(BYPASS_ENVIRON):
        return False
    if request.path.startswith(SKIP_PREFIXES):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    return not (settings.SESSION_COOKIE_NAME in cookies or settings.CSRF_COOKIE_NAME in cookies)


def cacheable_response(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "Set-Cookie" in response:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


def _new_token() -> str:
    return uuid.uuid4().hex[:12]


def _versions(path: str, values: dict) -> tuple | None:
    path_version = values.get(_path_key(path))
    global_version = values.get(GLOBAL_KEY)
    if path_version is None or global_version is None:
        return None
    return (path_version, global_version)


def _ensure_versions(path: str) -> tuple | None:
    """Create missing version tokens (``add`` never replaces one a change just set)."""
    cache.add(_path_key(path), _new_token(), timeout=None)
    cache.add(GLOBAL_KEY, _new_token(), timeout=None)
    return _versions(path, cache.get_many([_path_key(path), GLOBAL_KEY]))


def _response_from(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return response


def _conditional(request, response, etag: str, last_modified: float):
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified), response=response
    )
    if not_modified is not None and not_modified.status_code == 304:
        not_modified[HEADER] = response.get(HEADER, "")
        return not_modified
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        seconds = cache_seconds()
        versions = None
        tracker = None
        if seconds:
            pairs = canonical_pairs(request.GET, PARAMETERS, multi=MULTI_VALUED)
            # The entry of exactly these parameters, and the one of a view that read none.
            entry_keys = [_entry_key(request, pairs)]
            if pairs:
                entry_keys.append(_entry_key(request, []))
            values = cache.get_many([*entry_keys, _path_key(request.path), GLOBAL_KEY])
            versions = _versions(request.path, values)
            for entry_key in entry_keys:
                entry = values.get(entry_key)
                if (
                    entry
                    and versions
                    and tuple(entry["versions"]) == versions
                    and _entry_matches(entry, pairs)
                ):
                    response = _response_from(entry)
                    response[HEADER] = "hit"
                    return _conditional(request, response, entry["etag"], entry["last_modified"])
            if versions is None:
                # Read (or create) the tokens before rendering: a change while this request
                # renders replaces them, and the entry stored below is then already stale.
                versions = _ensure_versions(request.path)
            tracker = use_canonical_query(request, pairs)

        response = self.get_response(request)
        read = None
        if tracker is not None:
            read = tracker.read(request)
            restore_query(request, tracker)
        if not cacheable_response(response):
            return response
        etag = f'"{hashlib.md5(response.content).hexdigest()}"'
        last_modified = time.time()
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        if seconds and versions:
            stored = restrict(pairs, read)
            entry = {
                "versions": versions,
                "reads": None if read is None else sorted(read),
                "query": encode(stored),
                "status": response.status_code,
                "headers": [
                    (name, value) for name, value in response.items() if name != "Set-Cookie"
                ],
                "content": response.content,
                "etag": etag,
                "last_modified": last_modified,
            }
            cache.set(_entry_key(request, stored), entry, timeout=seconds)
            response[HEADER] = "miss"
        return _conditional(request, response, etag, last_modified)


# --------------------------------------------------------------------------------------
# Invalidation
# --------------------------------------------------------------------------------------


def invalidate_paths(paths) -> None:
    """Make every cached variant of ``paths`` stale (now)."""
    paths = {path for path in paths if path}
    if paths:
        cache.set_many({_path_key(path): _new_token() for path in paths}, timeout=None)


def invalidate_all(**kwargs) -> None:
    cache.set(GLOBAL_KEY, _new_token(), timeout=None)


def _outer_atomic():
    """The current outermost ``atomic`` block (None in autocommit)."""
    blocks = transaction.get_connection().atomic_blocks
    return blocks[0] if blocks else None


def schedule_paths(paths) -> None:
    """Invalidate ``paths`` when the current transaction commits (at once outside one)."""
    paths = set(paths)
    if cache_seconds() and paths:
        transaction.on_commit(lambda: invalidate_paths(paths))


def schedule_all(**kwargs) -> None:
    if cache_seconds():
        transaction.on_commit(invalidate_all)


def _paths_for(page, previous=None) -> set[str]:
    from core.affected import affected_paths

    return affected_paths(page, previous=previous)


def _page_pre_save(sender, instance, update_fields=None, raw=False, **kwargs):
    if not isinstance(instance, Page) or not instance.pk or not cache_seconds() or raw:
        return
    if update_fields is not None and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    from core.affected import snapshot

    instance._page_cache_previous = snapshot(instance)


def _page_post_save(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if not isinstance(instance, Page) or not cache_seconds():
        return
    if raw:
        # Rows loaded as they are (loaddata, a test database's restored rows): the tree may
        # be incomplete, so no page is asked for its paths (that would query it, and make
        # content types); everything is stale once the load commits.
        schedule_all()
        return
    if update_fields is not None and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    previous = getattr(instance, "_page_cache_previous", None)
    if created and not instance.live:
        return
    if not instance.live and previous is None:
        return
    schedule_paths(_paths_for(instance, previous))


def _page_unpublished(sender, instance, **kwargs):
    if cache_seconds():
        schedule_paths(_paths_for(instance))


def _pre_page_move(sender, instance, url_path_before=None, **kwargs):
    if not cache_seconds():
        return
    from core.affected import snapshot

    instance._page_cache_previous = snapshot(instance, url_path=url_path_before)


def _post_page_move(sender, instance, **kwargs):
    if cache_seconds():
        schedule_paths(_paths_for(instance, getattr(instance, "_page_cache_previous", None)))


def _page_pre_delete(sender, instance, **kwargs):
    if not isinstance(instance, Page) or not cache_seconds():
        return
    block = _outer_atomic()
    if getattr(block, "_page_cache_subtree_deleted", False):
        return  # a whole subtree goes in this transaction: everything is invalidated anyway
    if instance.numchild:
        # A whole subtree goes: cheaper, and as correct, to start afresh.
        if block is not None:
            block._page_cache_subtree_deleted = True
        schedule_all()
        return
    schedule_paths(_paths_for(instance))


def register_signal_handlers() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.models import CollectionViewRestriction, PageViewRestriction, Site
    from wagtail.signals import page_unpublished, post_page_move, pre_page_move

    pre_save.connect(_page_pre_save, dispatch_uid="page-cache-pre-save")
    post_save.connect(_page_post_save, dispatch_uid="page-cache-post-save")
    page_unpublished.connect(_page_unpublished, dispatch_uid="page-cache-unpublished")
    pre_page_move.connect(_pre_page_move, dispatch_uid="page-cache-pre-move")
    post_page_move.connect(_post_page_move, dispatch_uid="page-cache-post-move")
    pre_delete.connect(_page_pre_delete, dispatch_uid="page-cache-pre-delete")

    from taggit.models import Tag

    models = [
        apps.get_model("core", "CustomImage"),
        apps.get_model("places", "Category"),
        apps.get_model("places", "Offer"),
        apps.get_model("places", "ActorType"),
        Tag,
        Site,
        PageViewRestriction,
        CollectionViewRestriction,
    ]
    models += [
        model
        for model in apps.get_models()
        if issubclass(model, BaseGenericSetting | BaseSiteSetting) and not model._meta.abstract
    ]
    for model in models:
        label = model._meta.label_lower
        post_save.connect(schedule_all, sender=model, dispatch_uid=f"page-cache-save-{label}")
        post_delete.connect(schedule_all, sender=model, dispatch_uid=f"page-cache-del-{label}")
