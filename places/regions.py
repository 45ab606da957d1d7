"""The visible regions as places, filters and exports see them (German, live, public pages
of ``regions.RegionPage``): the region choices of the public filters, the region of a place
in the API, GeoJSON, CSV and the event feeds, and the paths a region change reaches.

Regions sit above places in the layering (docs/architecture.md): the model is looked up by
name, not imported.
"""

from django.apps import apps

from wagtail.models import Page

from core.visibility import visible_q


def visible_regions():
    return apps.get_model("regions", "RegionPage").objects.filter(visible_q())


def visible_region_map(visible_pages=None) -> dict[str, dict]:
    """Visible (German, live, public) regions keyed by tree path: ``{path: {"id", "slug",
    "title"}}``; a region's English twin is no region of its own. ``visible_pages`` (pages
    the caller already narrowed down to the public ones) saves evaluating the view
    restrictions once more."""
    RegionPage = apps.get_model("regions", "RegionPage")
    if visible_pages is None:
        regions = visible_regions()
    else:
        regions = RegionPage.objects.filter(pk__in=visible_pages.values("pk"))
    return {
        path: {"id": pk, "slug": slug, "title": title}
        for pk, path, slug, title in regions.values_list("pk", "path", "slug", "title")
    }


def region_for_path(regions: dict[str, dict], path: str) -> dict | None:
    return regions.get(path[: -Page.steplen])
