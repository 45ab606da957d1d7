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


def strict_public(get_pages_queryset):
    @functools.wraps(get_pages_queryset)
    def wrapper(request, *args, **kwargs):
        queryset = get_pages_queryset(request, *args, **kwargs)
        if not request.user.is_authenticated:
            queryset = exclude_below_unpublished(queryset.public())
        return queryset

    wrapper.strict_public = True
    return wrapper


def public_images(get_images_queryset):
    """v3's image reads show public images only (``CustomImage.objects.public()``), to
    every caller: Wagtail's let a session that passes a collection's restriction see it."""

    @functools.wraps(get_images_queryset)
    def wrapper(request, *args, **kwargs):
        return get_images_queryset(request, *args, **kwargs).public()

    wrapper.strict_public = True
    return wrapper


def install() -> None:
    if not getattr(pages_router.get_pages_queryset, "strict_public", False):
        pages_router.get_pages_queryset = strict_public(pages_router.get_pages_queryset)
    if not getattr(images_router.get_images_queryset, "strict_public", False):
        images_router.get_images_queryset = public_images(images_router.get_images_queryset)


@functools.cache
def query_parameters() -> tuple[frozenset, frozenset]:
    """``(names, multi)`` for the response cache (``places.api_v2.api_http_caching``): the
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
