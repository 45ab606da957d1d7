"""HTTP for every answer under /api/ (v2, v3, GeoJSON, CSV, the event feeds): one path for
validators and kept bodies (``cached_response``), and its entry for the Wagtail API views
(``api_view``). The exports build their canonical query from their parsed filters.

Answers with event dates (the event feeds, event pages in v2/v3) also change without any
publish: at local midnight yesterday's dates drop out. Their validators and keys fold in the
local day (``since``: its start), so the first request of a new day gets fresh dates.

The language of an answer (``?locale=``, ``api.locale``) is part of every key: a German and
an English answer never share a validator or a kept body.
"""

import datetime
import functools
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _

from core.data_version import DataVersion
from core.languages import DEFAULT
from core.query_keys import canonical_pairs, encode, use_canonical_query
from events.occurrences import TIME_ZONE, local_today

from .locale import PARAMETER as LOCALE_PARAMETER
from .locale import LocaleError, take_language

BODY_CACHE_PREFIX = "api:body"
#: Set per response (``set_validators``) or by middleware, never replayed from the cache.
UNKEPT_HEADERS = {"etag", "last-modified", "cache-control", "set-cookie"}
#: Cache busters (jQuery's ``_=<time>``): accepted, never read, so dropped from the key.
IGNORED_PARAMETERS = frozenset({"_"})
MAX_PAGINATION_VALUE = 1_000_000_000
#: The ``site`` parameter of the ``find`` endpoints: a host name, optionally with a port.
SITE_PARAMETER = re.compile(r"^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$")
#: A single page (v2, v3) or v2's ``find``: any page type, events included.
_SINGLE_PAGE_PATH = re.compile(r"/pages/([0-9]+|find)/$")


def response_cache_seconds() -> int:
    return int(getattr(settings, "PLACES_API_RESPONSE_CACHE_SECONDS", 0) or 0)


def cached_response(
    request,
    query: str,
    render,
    timeout: int,
    *,
    since: datetime.datetime | None = None,
    language: str = DEFAULT,
) -> HttpResponse:
    """The answer to ``request`` whose canonical query is ``query``: ``304`` when the
    client's copy is current, else the kept body, else ``render()`` (a ``200`` kept for
    ``timeout`` seconds, 0 = not kept). ``ETag``/``Last-Modified`` from the data version
    (``core.data_version.DataVersion``) on every ``200`` and ``304``. A body is kept under
    its ETag's own key, so it is exactly as fresh as a ``304`` for that ETag would be; a
    conditional request whose validator still matches costs one query and a cache read.

    ``since``: the moment the answer's content started to hold besides the data version
    (``day_start()`` for answers with event dates); part of the ETag and the kept body's
    key, and never later than ``Last-Modified``. ``language``: the answer's language
    (``api.locale``), part of both keys (German answers keep the keys they always had)."""
    version = DataVersion()
    parts = [request.scheme, request.get_host(), request.path, query]
    if language != DEFAULT:
        parts.append(f"{LOCALE_PARAMETER}={language}")
    last_modified = version.last_modified
    if since is not None:
        parts.append(since.isoformat())
        last_modified = max(last_modified, since) if last_modified else since
    etag = version.etag_for(*parts)
    response = get_conditional_response(
        request,
        etag=etag,
        # Whole seconds, as Last-Modified and If-Modified-Since carry them.
        last_modified=int(last_modified.timestamp()) if last_modified else None,
    )
    if response is not None:
        return set_validators(response, last_modified, etag)
    key = f"{BODY_CACHE_PREFIX}:{etag.strip(chr(34))}"
    kept = cache.get(key) if timeout else None
    if kept is not None:
        headers, body = kept
        return set_validators(HttpResponse(body, headers=headers), last_modified, etag)
    response = render()
    if response.status_code != 200:
        return response
    if timeout and not getattr(response, "streaming", False):
        if not getattr(response, "is_rendered", True):  # DRF's Response: a template response
            response.render()
        headers = {
            name: value for name, value in response.items() if name.lower() not in UNKEPT_HEADERS
        }
        cache.set(key, (headers, response.content), timeout=timeout)
    return set_validators(response, last_modified, etag)


def set_validators(response, last_modified: datetime.datetime | None, etag: str):
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    # max-age=0 + must-revalidate: clients and CDNs always ask again, and get a cheap 304
    # while nothing changed, so a publish shows up at once.
    max_age = getattr(settings, "PLACES_API_MAX_AGE", 0)
    patch_cache_control(response, public=True, max_age=max_age, must_revalidate=True)
    return response


def day_start(day: datetime.date | None = None) -> datetime.datetime:
    """Local midnight (Europe/Berlin) at the start of ``day`` (default: today): from then
    on, the event answers of that day hold."""
    return datetime.datetime.combine(day or local_today(), datetime.time.min, tzinfo=TIME_ZONE)


def bad_request(message: str) -> JsonResponse:
    return JsonResponse({"message": message}, status=400)


def json_error(errors: dict[str, str] | None, message: str, status: int) -> JsonResponse:
    """An export's error: ``message`` and, by parameter, ``errors``."""
    body = {"message": message, **({"errors": errors} if errors else {})}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def with_language(response, language: str):
    """A redirect of ``find`` (to the page's detail URL) keeps asking for ``language``."""
    location = response.get("Location") if response.status_code in (301, 302) else None
    if location and language != DEFAULT:
        separator = "&" if "?" in location else "?"
        if location.endswith(("?", "&")):
            separator = ""
        response["Location"] = f"{location}{separator}{LOCALE_PARAMETER}={language}"
    return response


def api_view(view=None, *, parameters, wagtail_locale_with_token: bool = False):
    """``cached_response`` for a Wagtail API view: the input every endpoint shares checked,
    anonymous GETs' bodies kept for ``PLACES_API_RESPONSE_CACHE_SECONDS``.

    ``?locale=`` is read here (``api.locale.take_language``: a 400 for an unknown language,
    the language noted on the request and taken out of the query the view sees). With
    ``wagtail_locale_with_token``, requests with an ``Authorization`` header keep Wagtail's
    own ``locale`` filter (API v3's token holders: pages in that locale).

    ``parameters()`` gives ``(names, multi)``: the query parameters the endpoints know and
    those that take several values. The view gets the canonical query
    (``core.query_keys.canonical_pairs``), so every request with the same canonical form
    gets the same answer, cached or not. A request with another name is answered without
    keeping it (v2 listings reject it with a 400; elsewhere each junk value would make an
    entry). Requests with an ``Authorization`` header (API v3 tokens) and writes are never
    kept.
    """
    if view is None:
        return functools.partial(
            api_view, parameters=parameters, wagtail_locale_with_token=wagtail_locale_with_token
        )

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        site = request.GET.get("site")
        if site is not None and not SITE_PARAMETER.match(site):
            # Wagtail's ``find`` reads "host:port" and raised a 500 on another port.
            return bad_request(_("site muss ein Hostname sein, wahlweise mit :Port."))
        # Before the token branch: a token holder's offset reaches the database, too.
        for name in ("limit", "offset"):
            try:
                too_big = abs(int(request.GET.get(name, 0))) > MAX_PAGINATION_VALUE
            except ValueError:
                continue  # the view says what is wrong with it
            if too_big:
                return bad_request(_("%(name)s ist zu groß.") % {"name": name})
        token = "HTTP_AUTHORIZATION" in request.META
        language = DEFAULT
        if not (token and wagtail_locale_with_token):
            try:
                language = take_language(request)
            except LocaleError as exc:
                return bad_request(str(exc))
        if request.method not in ("GET", "HEAD") or token:
            response = with_language(view(request, *args, **kwargs), language)
            response["Cache-Control"] = "private, no-store"
            return response
        names, multi = parameters()
        timeout = 0
        if set(request.GET.keys()) <= names:
            pairs = canonical_pairs(request.GET, names - IGNORED_PARAMETERS, multi=multi)
            use_canonical_query(request, pairs)
            query, timeout = encode(pairs), response_cache_seconds()
        else:
            query = request.META.get("QUERY_STRING", "")
        # Event pages' dates (``next_dates``) are shown by a listing of
        # ``type=events.EventPage`` and by a single page of any type.
        types = " ".join(request.GET.getlist("type")).lower()
        shows_dates = "eventpage" in types or _SINGLE_PAGE_PATH.search(request.path)
        since = day_start() if shows_dates else None
        return cached_response(
            request,
            query,
            lambda: with_language(view(request, *args, **kwargs), language),
            timeout,
            since=since,
            language=language,
        )

    return wrapper
