"""Wagtail's page routing with one query per level, and nothing below an unpublished page.

Wagtail's ``Page.route`` reads a child as a generic page, then its specific page (two queries
per level), and ``Page.get_view_restrictions`` asks twice more (ancestors, restrictions). A
page whose children are of a known type names them (``routed_children``): the child is read
in one query as that type, with what its page shows joined and whether a view restriction
lies on it or above (``core.visibility.restricted_q``); then its restriction check needs no
query. Other children (content pages below the home page) take Wagtail's way.

Wagtail serves a live page below an unpublished one; the public sees nothing below an
unpublished page (``core.visibility``), so routing stops there with a 404.
"""

from django.db.models import BooleanField, ExpressionWrapper
from django.http import Http404

from wagtail.models import PageViewRestriction

from core.compiled import CompiledQuery
from core.visibility import restricted_q

#: The routing query of each page type that names its children (``CompiledQuery``).
_CHILD_QUERIES: dict = {}


class OneQueryRouting:
    """For page models (before ``Page`` in the bases)."""

    def routed_children(self):
        """The queryset of this page's children that routing reads in one query (the specific
        type, with what their page shows joined), or ``None`` for Wagtail's routing."""
        return None

    def route(self, request, path_components):
        if path_components and not self.live:
            raise Http404
        query = self._child_query() if path_components else None
        if query is not None:
            # The child at ``url_path`` is the child with that slug (Wagtail keeps it so).
            found = query(url_path=f"{self.url_path}{path_components[0]}/")
            if found:
                child = found[0]
                child._cached_parent_obj = self
                # An alias on the way has its original's restrictions: Wagtail's check.
                child.known_unrestricted = (
                    not child.restricted and child.alias_of_id is None and self._no_alias_above()
                )
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def _child_query(self):
        cls = type(self)
        if cls not in _CHILD_QUERIES:
            children = self.routed_children()
            _CHILD_QUERIES[cls] = (
                None
                if children is None
                else CompiledQuery(
                    lambda url_path: (
                        children.filter(url_path=url_path)
                        .annotate(
                            restricted=ExpressionWrapper(
                                restricted_q(), output_field=BooleanField()
                            )
                        )
                        .order_by("path")[:1]
                    ),
                    url_path=str,
                )
            )
        return _CHILD_QUERIES[cls]

    def _no_alias_above(self) -> bool:
        """Whether neither this page nor a page above it is an alias (the site's root page,
        below the tree's root, or a page routed here)."""
        if self.depth <= 2:
            return self.alias_of_id is None
        return getattr(self, "known_unrestricted", False)

    def get_view_restrictions(self):
        """None when routing (or the site lookup, for the root page) saw that no restriction
        applies; else Wagtail's check."""
        if getattr(self, "known_unrestricted", False):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
