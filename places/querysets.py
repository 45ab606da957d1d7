"""The place queryset and manager: what the public may see."""

from wagtail.models import PageManager
from wagtail.query import PageQuerySet

from core.visibility import visible_q


class PlaceQuerySet(PageQuerySet):
    def visible(self):
        """What the public may see (``core.visibility``): live, no view restriction at or
        above, no unpublished region (or home page) above. The one definition for pages,
        listings, map, feed, sitemap, search, nearby places, the API and the static build."""
        return self.filter(visible_q())


class PlaceManager(PageManager.from_queryset(PlaceQuerySet)):
    def visible(self):
        """``PlaceQuerySet.visible()``, built once per process and model and copied per call:
        building its subqueries anew cost about a millisecond per listing page. (They are
        subqueries, so the copy is as current as a new one.)"""
        return _built(self.model, "visible", lambda: super(PlaceManager, self).visible()).all()

    def visible_children(self, page):
        """``visible().child_of(page)``, built once per process and page in the tree."""
        key = ("children", page.pk, page.path, page.depth)
        return _built(self.model, key, lambda: self.visible().child_of(page)).all()


_BUILT: dict = {}
_BUILT_LIMIT = 1024


def _built(model, key, build):
    """A queryset kept per process (a bounded number: regions come and go)."""
    entry = (model, key)
    if entry not in _BUILT:
        if len(_BUILT) >= _BUILT_LIMIT:
            _BUILT.clear()
        _BUILT[entry] = build()
    return _BUILT[entry]
