"""Per-page cache of the public website in Django's cache (Redis in production); how it
works and what it gains: docs/performance.md ("How it works").

``PageCacheMiddleware`` sits right after whitenoise, in front of sessions, CSRF, the
Content-Security-Policy and Wagtail's routing: a hit is one cache round trip (``get_many``)
and no SQL query.

Cached: anonymous ``GET``/``HEAD`` requests without a session or CSRF cookie and without
``Authorization``, outside ``SKIP_PREFIXES`` (``/mitmachen/``: a signed, time-stamped form;
``/api/``: its own cache by the data version, ``core.data_version``); only responses with
status 200 that set no cookie, are not streaming and have no ``Cache-Control:
private/no-cache/no-store``. Pages behind a view restriction never qualify: an anonymous
visitor gets the login redirect or the password form (which sets a CSRF cookie), and whoever
has passed it has a session cookie.

The key: host, path and the canonical query (``core.query_keys``) of ``PARAMETERS``; the view
gets exactly that query, and an entry is keyed on the parameters the view read. Every
stored response gets a strong ``ETag`` and a ``Last-Modified``; a matching conditional
request gets ``304 Not Modified`` from the cache, without rendering.

Invalidation: each path has a token in the cache, and one token covers every path; an entry
is valid only while both tokens it was stored under are current. After a change commits,
``publishing`` replaces the tokens of exactly the paths that show it (``invalidate_paths``; a
path stands for all its query strings) or the one of every path (``invalidate_all``). The
tokens are not the data version: that one changes with every change, these only for the
pages that show it.

Languages (``core.languages``): an English address (``/en/altmark/``) is a path of its own;
the paths of a change name both addresses of every German path
(``publishing.paths.every_language``), so nothing here knows about languages but the
skipped prefixes, which hold in every language.

``PAGE_CACHE_SECONDS`` (environment, default 600; 0 turns the cache off) bounds how long an
entry lives even without a change.
"""

from __future__ import annotations

import hashlib
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from core.languages import split_path
from core.query_keys import canonical_pairs, encode, restore_query, restrict, use_canonical_query

DEFAULT_SECONDS = 600
KEY_PREFIX = "pagecache"
EVERY_PATH_KEY = f"{KEY_PREFIX}:v:*"
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
HEADER = "X-Page-Cache"
#: Query parameters any public page reads: the place filters (``places.queries``
#: ``FILTER_PARAMETERS``, checked by tests/test_page_cache.py), the listing's and search's
#: ``page``, the sitemap's ``p``, /veranstaltungen/'s days ``von`` and ``bis``
#: (``website.event_index``). Others never reach the view while the cache is on.
MULTI_VALUED = frozenset({"region", "category", "tag", "offer", "status", "municipality", "q"})
PARAMETERS = MULTI_VALUED | {"page", "p", "von", "bis"}


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
    return not (
        request.method not in ("GET", "HEAD")
        or request.META.get(BYPASS_ENVIRON)
        or split_path(request.path)[1].startswith(SKIP_PREFIXES)
        or "HTTP_AUTHORIZATION" in request.META
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or settings.CSRF_COOKIE_NAME in request.COOKIES
    )


def cacheable_response(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "Set-Cookie" in response:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


def _new_token() -> str:
    return uuid.uuid4().hex[:12]


def _tokens(path: str, values: dict) -> tuple | None:
    tokens = (values.get(_path_key(path)), values.get(EVERY_PATH_KEY))
    return None if None in tokens else tokens


def _ensure_tokens(path: str) -> tuple | None:
    """Create missing tokens (``add`` never replaces one a change just set)."""
    cache.add(_path_key(path), _new_token(), timeout=None)
    cache.add(EVERY_PATH_KEY, _new_token(), timeout=None)
    return _tokens(path, cache.get_many([_path_key(path), EVERY_PATH_KEY]))


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
        tokens = None
        tracker = None
        if seconds:
            pairs = canonical_pairs(request.GET, PARAMETERS, multi=MULTI_VALUED)
            # The entry of exactly these parameters, and the one of a view that read none.
            entry_keys = [_entry_key(request, pairs)]
            if pairs:
                entry_keys.append(_entry_key(request, []))
            values = cache.get_many([*entry_keys, _path_key(request.path), EVERY_PATH_KEY])
            tokens = _tokens(request.path, values)
            for entry_key in entry_keys:
                entry = values.get(entry_key)
                if (
                    entry
                    and tokens
                    and tuple(entry.get("tokens", ())) == tokens
                    and _entry_matches(entry, pairs)
                ):
                    response = HttpResponse(
                        entry["content"], status=entry["status"], headers=entry["headers"]
                    )
                    response[HEADER] = "hit"
                    return _conditional(request, response, entry["etag"], entry["last_modified"])
            if tokens is None:
                # Read (or create) the tokens before rendering: a change while this request
                # renders replaces them, and the entry stored below is then already stale.
                tokens = _ensure_tokens(request.path)
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
        if seconds and tokens:
            stored = restrict(pairs, read)
            entry = {
                "tokens": tokens,
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


def invalidate_all() -> None:
    """Make every cached page stale (now)."""
    cache.set(EVERY_PATH_KEY, _new_token(), timeout=None)
