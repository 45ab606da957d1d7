"""Wagtail API v3 at /api/v3/, made as strict as the rest of the public API.

Wagtail's v3 pages endpoints show anonymous callers live pages without view restrictions
that *their session* fails (a visitor who once entered a page password would see that page),
and live pages below an unpublished parent. The public API promises more: only what every
visitor may see. ``install()`` wraps v3's queryset function accordingly; token holders
(``Authorization: Bearer …``, issued by an administrator) keep Wagtail's behaviour, which
shows them the pages they may edit.
"""

import functools

from wagtail.api.v3.routers import pages as pages_router

from .api_data import exclude_unpublished_subtrees


def strict_public(get_pages_queryset):
    @functools.wraps(get_pages_queryset)
    def wrapper(request, *args, **kwargs):
        queryset = get_pages_queryset(request, *args, **kwargs)
        if not request.user.is_authenticated:
            queryset = exclude_unpublished_subtrees(queryset.public())
        return queryset

    wrapper.strict_public = True
    return wrapper


def install() -> None:
    if not getattr(pages_router.get_pages_queryset, "strict_public", False):
        pages_router.get_pages_queryset = strict_public(pages_router.get_pages_queryset)
