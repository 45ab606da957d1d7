"""Plain-data building blocks shared by the API endpoints (v2 fields, GeoJSON, CSV).

Everything here works on whole batches in a fixed number of queries, so that a listing of
100 or a GeoJSON of 5,000 places costs the same handful of queries.
"""

from django.conf import settings
from django.db.models import Prefetch

from wagtail.api.utils import get_full_url
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page, Site

# Rendition filter specs used throughout the API (documented in docs/api.md).
THUMBNAIL_SPEC = "fill-480x300"
LARGE_SPEC = "width-1200"
IMAGE_SPECS = (THUMBNAIL_SPEC, LARGE_SPEC)

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


def rendition_queryset():
    from core.models import CustomRendition

    return CustomRendition.objects.filter(filter_spec__in=IMAGE_SPECS)


def images_with_renditions(image_ids) -> dict:
    """``{id: CustomImage}`` with the API renditions prefetched, in two queries.

    Only public images (``CustomImage.objects.public()``): an image in a restricted
    collection is left out, so a page's field shows ``null`` and its gallery or story
    skips it."""
    from core.models import CustomImage

    ids = {image_id for image_id in image_ids if image_id}
    if not ids:
        return {}
    images = (
        CustomImage.objects.public()
        .filter(pk__in=ids)
        .prefetch_related(
            Prefetch("renditions", queryset=rendition_queryset(), to_attr="prefetched_renditions")
        )
    )
    return {image.pk: image for image in images}


# Set on a request (``request.<URL_BASE_ATTRIBUTE> = "…"``) while pre-rendering pieces that
# are stored for any request: URLs on the API's own base then start with that placeholder
# instead of the request's base (see ``places.api_v2``).
URL_BASE_ATTRIBUTE = "_places_api_url_base"


def absolute(url: str, request=None) -> str:
    """A full URL on the site's base URL (``WAGTAILAPI_BASE_URL`` or the site's root URL),
    the same base Wagtail's API uses for ``detail_url`` and ``html_url``."""
    if request is not None and url.startswith("/"):
        placeholder = getattr(request, URL_BASE_ATTRIBUTE, None)
        if placeholder is not None:
            return placeholder + url
        return get_full_url(request, url)
    return url


def _prefetched_rendition(image, spec: str):
    """The one prefetched rendition for ``spec``, if unambiguous (skips Wagtail's lookup and
    its per-rendition cache write, which dominate a listing's time)."""
    prefetched = getattr(image, "prefetched_renditions", None)
    if prefetched is None:
        return None
    matches = [rendition for rendition in prefetched if rendition.filter_spec == spec]
    return matches[0] if len(matches) == 1 else None


def rendition_data(image, spec: str, request=None) -> dict | None:
    rendition = _prefetched_rendition(image, spec)
    if rendition is None:
        try:
            rendition = image.get_rendition(spec)
        except (SourceImageIOError, OSError):
            return None
    return {
        "url": absolute(rendition.url, request),
        "width": rendition.width,
        "height": rendition.height,
    }


def image_data(image, request=None, memo: dict | None = None) -> dict | None:
    """An image as the API shows it: alt text, credit, licence and two renditions.

    ``memo`` (a dict kept per request) serialises an image used several times only once.
    """
    if image is None:
        return None
    if memo is not None:
        if image.pk not in memo:
            memo[image.pk] = image_data(image, request)
        return dict(memo[image.pk])
    return {
        "id": image.pk,
        "alt": image.description,
        "credit": image.credit,
        "licence": image.licence,
        "width": image.width,
        "height": image.height,
        "thumbnail": rendition_data(image, THUMBNAIL_SPEC, request),
        "large": rendition_data(image, LARGE_SPEC, request),
    }


def visible_region_map(visible_pages=None) -> dict[str, dict]:
    """Live, public regions keyed by tree path: ``{path: {"id", "slug", "title"}}``.

    ``visible_pages`` (a queryset of pages the caller already narrowed down to the public
    ones) saves evaluating the view restrictions once more.
    """
    from regions.models import RegionPage

    if visible_pages is None:
        regions = RegionPage.objects.live().public()
    else:
        regions = RegionPage.objects.filter(pk__in=visible_pages.values("pk"))
    return {
        path: {"id": pk, "slug": slug, "title": title}
        for pk, path, slug, title in regions.values_list("pk", "path", "slug", "title")
    }


def region_for_path(regions: dict[str, dict], path: str) -> dict | None:
    return regions.get(path[: -Page.steplen])


class PublicUrls:
    """Public page URLs from ``url_path`` without a query per page.

    ``url`` is the path on its site (``/altmark/gutshof/``); ``full_url`` adds the site's
    root URL (as Wagtail's ``html_url`` does).
    """

    def __init__(self, request=None):
        self.root_paths = Site.get_site_root_paths()

    def for_url_path(self, url_path: str) -> tuple[str | None, str | None]:
        for root in self.root_paths:
            if url_path.startswith(root.root_path):
                path = "/" + url_path[len(root.root_path) :]
                return path, root.root_url.rstrip("/") + path
        return None, None


def taxonomy_by_place(place_ids) -> dict[str, dict[int, list[dict]]]:
    """Categories, offers and tags (``{"slug", "name"}``) of many places, in three queries.

    ``place_ids`` may be a list or a subquery of primary keys.
    """
    from collections import defaultdict

    from .models import PlacePage, PlacePageTag

    queries = {
        "categories": PlacePage.categories.through.objects.filter(placepage_id__in=place_ids)
        .order_by("category__sort_order", "category__name")
        .values_list("placepage_id", "category__slug", "category__name"),
        "offers": PlacePage.offers.through.objects.filter(placepage_id__in=place_ids)
        .order_by("offer__sort_order", "offer__name")
        .values_list("placepage_id", "offer__slug", "offer__name"),
        "tags": PlacePageTag.objects.filter(content_object_id__in=place_ids)
        .order_by("tag__name")
        .values_list("content_object_id", "tag__slug", "tag__name"),
    }
    result = {}
    for key, rows in queries.items():
        grouped = defaultdict(list)
        for page_id, slug, name in rows:
            grouped[page_id].append({"slug": slug, "name": name})
        result[key] = grouped
    return result
