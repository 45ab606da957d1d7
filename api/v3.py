"""Wagtail API v3 at /api/v3/, made as strict as the rest of the public API.

Wagtail's v3 pages endpoints show anonymous callers live pages without view restrictions
that *their session* fails (a visitor who once entered a page password would see that page),
and live pages below an unpublished parent. The public API promises more: only what every
visitor may see: German pages (the site's tree, ``core.languages``; Wagtail's would add the
English tree's pages), live, no view restriction, nothing unpublished above. ``install()``
wraps v3's queryset function accordingly; token holders (``Authorization: Bearer …``,
issued by an administrator) keep Wagtail's behaviour, which shows them the pages they may
edit, and its ``locale`` filter. Images are read as ``public()`` by everyone.

``?locale=en`` (``api.locale``, read by ``api.http.api_view``) shows anonymous callers the
same pages in English where translated (the pages router's decorators, ``install()``).
"""

import functools

from django.apps import apps
from django.utils import translation

from taggit.managers import TaggableManager
from wagtail.api.v3.routers import pages as pages_router
from wagtail.api.v3.urls import api as api_v3
from wagtail.images.api.v3 import router as images_router

from core.languages import DEFAULT, in_language_q
from core.visibility import exclude_below_unpublished

from .locale import LANGUAGES, in_language, request_language, with_parent_in_language
from .locale import PARAMETER as LOCALE_PARAMETER

#: The pages router's reads whose pages are shown in the request's language.
_LIST, _DETAIL = "list_pages", "get_page"

#: What ``locale`` means here, in the OpenAPI schema (Wagtail's says nothing).
LOCALE_DESCRIPTION = (
    "Sprache der Antwort: " + ", ".join(LANGUAGES) + " (Standard: de). Ohne API-Token: "
    "dieselben Seiten (der deutsche Seitenbaum), mit ihren englischen Texten, wo übersetzt, "
    "und Adressen unter /en/; meta.locale sagt, in welcher Sprache eine Seite kam; andere "
    "Werte: 400. Mit API-Token: Wagtails Filter (die Seiten dieser Sprache)."
)
#: The page reads that take ``locale`` (the listing has it from Wagtail already).
PAGE_READS = ("/pages/", "/pages/{page_id}/")


def _public_pages(request, queryset):
    if request.user.is_authenticated:  # a token holder: Wagtail's pages they may edit
        return queryset
    # German pages only: a translation is shown in its German page's place.
    return exclude_below_unpublished(queryset.public().filter(in_language_q()))


def _in_request_language(view_func):
    """An operation of the pages router: the pages it answers with shown in the request's
    language (a listing's in one query for all of them)."""
    name = getattr(view_func, "__name__", "")
    if name not in (_LIST, _DETAIL):
        return view_func

    @functools.wraps(view_func)
    def wrapper(request, *args, **kwargs):
        result = view_func(request, *args, **kwargs)
        language = request_language(request)
        if language == DEFAULT:
            return result
        if name == _LIST and isinstance(result, dict) and "items" in result:
            result["items"] = in_language(result["items"], language)
        elif name == _DETAIL and hasattr(result, "get_parent"):
            with_parent_in_language(result, language)
        return result

    return wrapper


def _with_request_language(run):
    """An operation's run (view and serialisation) with the request's language active:
    page addresses in that language (``core.languages.BilingualPage``)."""

    @functools.wraps(run)
    def wrapper(request, *args, **kwargs):
        with translation.override(request_language(request)):
            return run(request, *args, **kwargs)

    return wrapper


def _narrowed(get_queryset, narrow):
    @functools.wraps(get_queryset)
    def wrapper(request, *args, **kwargs):
        return narrow(request, get_queryset(request, *args, **kwargs))

    wrapper.strict_public = True
    return wrapper


def _with_locale_documented(get_openapi_schema):
    """v3's schema with ``locale`` as this API reads it on the page reads."""

    @functools.wraps(get_openapi_schema)
    def wrapper(*args, **kwargs):
        schema = get_openapi_schema(*args, **kwargs)
        for path, operations in schema["paths"].items():
            if not path.endswith(PAGE_READS) or "get" not in operations:
                continue
            parameters = [
                parameter
                for parameter in operations["get"].get("parameters", [])
                if parameter.get("name") != LOCALE_PARAMETER
            ]
            locale = {
                "in": "query",
                "name": LOCALE_PARAMETER,
                "required": False,
                "description": LOCALE_DESCRIPTION,
                "schema": {"type": "string", "enum": list(LANGUAGES)},
            }
            operations["get"]["parameters"] = [*parameters, locale]
        return schema

    wrapper.documents_locale = True
    return wrapper


def install() -> None:
    """Narrow v3's queryset functions and show pages in the request's language (once: URLconfs
    may be loaded again in tests; before ``api.urls`` freezes the routers)."""
    if not getattr(api_v3.get_openapi_schema, "documents_locale", False):
        api_v3.get_openapi_schema = _with_locale_documented(api_v3.get_openapi_schema)
    for router, name, narrow in (
        (pages_router, "get_pages_queryset", _public_pages),
        # Wagtail's let a session that passes a collection's restriction see its images.
        (images_router, "get_images_queryset", lambda request, queryset: queryset.public()),
    ):
        if not getattr(getattr(router, name), "strict_public", False):
            setattr(router, name, _narrowed(getattr(router, name), narrow))
    router = pages_router.router
    if not getattr(router, "shows_request_language", False):
        router.add_decorator(_in_request_language, mode="operation")
        router.add_decorator(_with_request_language, mode="view")
        router.shows_request_language = True


@functools.cache
def query_parameters() -> tuple[frozenset, frozenset]:
    """``(names, multi)`` for the response cache (``api.http.api_view``): the
    query parameters of v3's GET operations (from its OpenAPI schema) and any model field
    (field filters); those that take several values (arrays, tags)."""
    names, multi = set(), set()
    for operations in api_v3.get_openapi_schema()["paths"].values():
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter.get("in") == "query":
                names.add(parameter["name"])
                if parameter.get("schema", {}).get("type") == "array":
                    multi.add(parameter["name"])
    for model in apps.get_models():
        for field in model._meta.get_fields():
            names.add(field.name)
            if isinstance(field, TaggableManager):
                multi.add(field.name)
    return frozenset(names), frozenset(multi)
