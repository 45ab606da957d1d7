"""What the public may see of the page tree: the one definition for every channel.

A page is *visible* when it is a German page (the site's tree; an English translation is
shown in its German page's place, ``core.languages``), live, no page at or above it has a
view restriction, and no page above it is unpublished. Wagtail's ``.live().public()`` leaves
out the last part: it shows a live place below an unpublished region (and Wagtail's routing
serves it). Pages, listings, the map, the feed, the sitemap, the search, nearby places, the
API and the static build all ask ``visible_q()`` (places: ``PlacePage.objects.visible()``).

Each condition is a subquery, so excluding pages costs no query of its own and a queryset
built once (``PlacePage.objects.visible()``) stays right after any change. On PostgreSQL the
two "above" conditions read the paths of the restricted pages and of the unpublished parents
once per query (``path ^@ ANY(ARRAY(SELECT …))``, an init plan) instead of once per page (a
correlated ``EXISTS`` comparing path prefixes, as on other databases): the planner priced
those at some 16 cost units per page, so a query over 10,000 places looked expensive enough
for PostgreSQL's JIT compiler (40–250 ms per query), and each page paid two index probes.
"""

from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Substr

from wagtail.models import Page, PageViewRestriction

from core.languages import in_language_q


def restricted_q(outer_path: str = "path") -> Q:
    """True for pages at or below a page with a view restriction (as ``.public()`` sees it)."""
    return _at_or_below(outer_path, PageViewRestriction.objects.all(), "page__path")


def unpublished_parents():
    """Unpublished pages with children below the tree's root: everything below one is hidden
    (a region or home page taken offline)."""
    return Page.objects.filter(live=False, numchild__gt=_constant(0), depth__gt=_constant(1))


def _constant(value: int) -> RawSQL:
    """``value`` written into the SQL instead of passed as a parameter, so that PostgreSQL can
    use the partial index of ``unpublished_parents()`` (``core/migrations/0005_…``) in a
    prepared statement's generic plan too (``DATABASE_PREPARED_STATEMENTS``): with
    ``numchild > $1`` it cannot prove the index's ``numchild > 0`` and reads every page
    instead (with the correlated check once per page checked: a place's nearby places at
    10,000 places took 0.6–2.4 s once PostgreSQL switched to the generic plan)."""
    return RawSQL(str(int(value)), (), output_field=IntegerField())


def below_unpublished_q(outer_path: str = "path") -> Q:
    return _at_or_below(outer_path, unpublished_parents(), "path")


def _at_or_below(outer_path: str, pages, path: str) -> Q:
    """True for rows whose ``outer_path`` starts with the ``path`` of one of ``pages``."""
    if connection.vendor == "postgresql":
        return Q(_StartsWithAny(F(outer_path), Subquery(pages.order_by().values(path))))
    return Q(Exists(pages.filter(**{path: Substr(OuterRef(outer_path), 1, Length(path))})))


class _StartsWithAny(Func):
    """PostgreSQL: ``text ^@ ANY(ARRAY(subquery))``, whether ``text`` starts with one of the
    values of a subquery that does not depend on the row (run once per query)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        text, values = self.get_source_expressions()
        text_sql, text_params = compiler.compile(text)
        values_sql, values_params = compiler.compile(values)
        return f"({text_sql} ^@ ANY(ARRAY{values_sql}))", (*text_params, *values_params)


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
