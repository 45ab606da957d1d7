"""Wagtail API v3 at /api/v3/, made as strict as the rest of the public API.

Wagtail's v3 pages endpoints show anonymous callers live pages without view restrictions
that *their session* fails (a visitor who once entered a page password would see that page),
and live pages below an unpublished parent. The public API promises more: only what every
visitor may see. ``install()`` wraps v3's queryset function accordingly; token holders
(``Authorization: Bearer …``, issued by an administrator) keep Wagtail's behaviour, which
shows them the pages they may edit. Images are read as ``public()`` by everyone.
"""

import functools

from django.apps import apps

from taggit.managers import TaggableManager
from wagtail.api.v3.routers import pages as pages_router
from wagtail.api.v3.urls import api as api_v3
from wagtail.images.api.v3 import router as images_router

from core.visibility import exclude_below_unpublished


def _public_pages(request, queryset):
    if request.user.is_authenticated:  # a token holder: Wagtail's pages they may edit
        return queryset
    return exclude_below_unpublished(queryset.public())


def _public_images(request, queryset):
    # Wagtail's let a session that passes a collection's restriction see its images.
    return queryset.public()


def _narrowed(get_queryset, narrow):
    @functools.wraps(get_queryset)
    def wrapper(request, *args, **kwargs):
        return narrow(request, get_queryset(request, *args, **kwargs))

    wrapper.strict_public = True
    return wrapper


def install() -> None:
    """Narrow v3's queryset functions (once: URLconfs may be loaded again in tests)."""
    for router, name, narrow in (
        (pages_router, "get_pages_queryset", _public_pages),
        (images_router, "get_images_queryset", _public_images),
    ):
        if not getattr(getattr(router, name), "strict_public", False):
            setattr(router, name, _narrowed(getattr(router, name), narrow))


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
