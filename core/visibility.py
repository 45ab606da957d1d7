"""What the public may see of the page tree: the one definition for every channel.

A page is *visible* when it is a German page (the site's tree; an English translation is
shown in its German page's place, ``core.languages``), live, no page at or above it has a
view restriction, and no page above it is unpublished. Wagtail's ``.live().public()`` leaves
out the last part: it shows a live place below an unpublished region (and Wagtail's routing
serves it). Pages, listings, the map, the feed, the sitemap, the search, nearby places, the
API and the static build all ask ``visible_q()`` (places: ``PlacePage.objects.visible()``).

Each condition is a correlated subquery, so excluding pages costs no query of its own and a
queryset built once (``PlacePage.objects.visible()``) stays right after any change.
"""

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr

from wagtail.models import Page, PageViewRestriction

from core.languages import in_language_q


def restricted_q(outer_path: str = "path") -> Q:
    """True for pages at or below a page with a view restriction (as ``.public()`` sees it)."""
    return Q(
        Exists(
            PageViewRestriction.objects.filter(
                page__path=Substr(OuterRef(outer_path), 1, Length("page__path"))
            )
        )
    )


def unpublished_parents():
    """Unpublished pages with children below the tree's root: everything below one is hidden
    (a region or home page taken offline)."""
    return Page.objects.filter(live=False, numchild__gt=0, depth__gt=1)


def below_unpublished_q(outer_path: str = "path") -> Q:
    """True for pages at or below one of ``unpublished_parents()``."""
    return Q(
        Exists(unpublished_parents().filter(path=Substr(OuterRef(outer_path), 1, Length("path"))))
    )


def exclude_below_unpublished(queryset):
    """``queryset.exclude(below_unpublished_q())`` with the parents read now (one query), as
    field lookups: for a queryset that a search backend filters (Wagtail's API searches),
    which knows field lookups only, not subqueries."""
    for path in unpublished_parents().values_list("path", flat=True):
        queryset = queryset.exclude(path__startswith=path)
    return queryset


def hidden_q(outer_path: str = "path") -> Q:
    """True for pages the public may not see even when they are live themselves."""
    return restricted_q(outer_path) | below_unpublished_q(outer_path)


def visible_q() -> Q:
    """German, live, with no view restriction at or above, nothing unpublished above."""
    return Q(live=True) & in_language_q() & ~hidden_q()
