"""What the exports and API v2 share besides the pages' fields (``places.api_fields``): the
data licence, and lookups for whole batches of places in a fixed number of queries."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Value

from wagtail.models import Site

from core.languages import active
from places.models import PlacePage, PlacePageTag, taxonomy_label

DEFAULT_LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.de",
    "attribution": "Kreativorte im Grünen",
}


def data_licence() -> dict:
    return {**DEFAULT_LICENCE, **getattr(settings, "PLACES_DATA_LICENCE", {})}


def licence_members() -> dict:
    """The data licence as a GeoJSON FeatureCollection's foreign members (RFC 7946 6.1)."""
    licence = data_licence()
    return {"license": licence, "attribution": licence["attribution"]}


def point(latitude, longitude) -> dict | None:
    """A GeoJSON Point (longitude first), or null without coordinates (RFC 7946 3.2)."""
    if latitude is None or longitude is None:
        return None
    return {"type": "Point", "coordinates": [float(longitude), float(latitude)]}


def licence_link_header() -> str:
    licence = data_licence()
    return f'<{licence["url"]}>; rel="license"; title="{licence["name"]}"'


class PublicUrls:
    """Public page URLs from ``url_path`` without a query per page: the path on its site
    (``/altmark/gutshof/``) and the full URL (as Wagtail's ``html_url``)."""

    def __init__(self):
        self.root_paths = Site.get_site_root_paths()

    def for_url_path(self, url_path: str) -> tuple[str | None, str | None]:
        for root in self.root_paths:
            if url_path.startswith(root.root_path):
                path = "/" + url_path[len(root.root_path) :]
                return path, root.root_url.rstrip("/") + path
        return None, None


def taxonomy_by_place(
    place_ids, language: str | None = None, kinds=("categories", "offers", "tags")
) -> dict[str, dict[int, list[dict]]]:
    """``{kind: {place pk: [{"slug", "name"}, …]}}`` of many places (``place_ids``: a list or
    a subquery of primary keys), one query per kind; the fields' and offers' names in
    ``language`` (default: the active one; tags are free German keywords in every language)."""
    language = active() if language is None else language
    queries = {
        "categories": PlacePage.categories.through.objects.filter(placepage_id__in=place_ids)
        .order_by("category__sort_order", "category__name")
        .values_list("placepage_id", "category__slug", "category__name", "category__name_en"),
        "offers": PlacePage.offers.through.objects.filter(placepage_id__in=place_ids)
        .order_by("offer__sort_order", "offer__name")
        .values_list("placepage_id", "offer__slug", "offer__name", "offer__name_en"),
        "tags": PlacePageTag.objects.filter(content_object_id__in=place_ids)
        .order_by("tag__name")
        .values_list("content_object_id", "tag__slug", "tag__name", Value("")),
    }
    result = {}
    for kind in kinds:
        result[kind] = grouped = defaultdict(list)
        for page_id, slug, name, name_en in queries[kind]:
            grouped[page_id].append({"slug": slug, "name": taxonomy_label(name, name_en, language)})
    return result
