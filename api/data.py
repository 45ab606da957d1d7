"""What the exports and API v2 share besides the pages' fields (``places.api_fields``): the
data licence, and lookups for whole batches of places in a fixed number of queries."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Value

from wagtail.models import Site

from core.languages import DEFAULT, active
from places.models import PlacePage, PlacePageTag, taxonomy_label

DEFAULT_LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.de",
    "attribution": "Kreativorte im Grünen",
}


def data_licence() -> dict:
    return {**DEFAULT_LICENCE, **getattr(settings, "PLACES_DATA_LICENCE", {})}


def licence_link_header() -> str:
    licence = data_licence()
    return f'<{licence["url"]}>; rel="license"; title="{licence["name"]}"'


class PublicUrls:
    """Public page URLs from ``url_path`` without a query per page.

    ``url`` is the path on its site (``/altmark/gutshof/``); ``full_url`` adds the site's
    root URL (as Wagtail's ``html_url`` does).
    """

    def __init__(self):
        self.root_paths = Site.get_site_root_paths()

    def for_url_path(self, url_path: str) -> tuple[str | None, str | None]:
        for root in self.root_paths:
            if url_path.startswith(root.root_path):
                path = "/" + url_path[len(root.root_path) :]
                return path, root.root_url.rstrip("/") + path
        return None, None


def _category_query(place_ids):
    return (
        PlacePage.categories.through.objects.filter(placepage_id__in=place_ids)
        .order_by("category__sort_order", "category__name")
        .values_list("placepage_id", "category__slug", "category__name", "category__name_en")
    )


def _grouped(rows, language: str) -> dict[int, list[dict]]:
    grouped = defaultdict(list)
    for page_id, slug, name, name_en in rows:
        grouped[page_id].append({"slug": slug, "name": taxonomy_label(name, name_en, language)})
    return grouped


def category_rows(place_ids, language: str = DEFAULT) -> dict[int, list[dict]]:
    """The categories (``{"slug", "name"}``, names in ``language``) of many places, in one
    query."""
    return _grouped(_category_query(list(place_ids)), language)


def taxonomy_by_place(place_ids, language: str | None = None) -> dict[str, dict[int, list[dict]]]:
    """Categories, offers and tags (``{"slug", "name"}``) of many places, in three queries;
    the fields' and offers' names in ``language`` (default: the active one; tags are free
    German keywords in every language).

    ``place_ids`` may be a list or a subquery of primary keys.
    """
    language = active() if language is None else language
    queries = {
        "categories": _category_query(place_ids),
        "offers": PlacePage.offers.through.objects.filter(placepage_id__in=place_ids)
        .order_by("offer__sort_order", "offer__name")
        .values_list("placepage_id", "offer__slug", "offer__name", "offer__name_en"),
        "tags": PlacePageTag.objects.filter(content_object_id__in=place_ids)
        .order_by("tag__name")
        .values_list("content_object_id", "tag__slug", "tag__name", Value("")),
    }
    return {key: _grouped(rows, language) for key, rows in queries.items()}
