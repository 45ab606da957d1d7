"""How the pages' ``api_fields`` appear in the API (Wagtail API v2, reused by v3, the GeoJSON
and the CSV): the serializer fields, and the images and regions they show.

Part of the models' declaration (``places``, ``regions`` and ``home`` models list these
fields), so it lives below them; the API itself is the ``api`` app. The fields read
prefetched relations and per-request lookups from the serializer context (filled by
``api.v2``) so that a listing costs a fixed number of queries; without that context (API v3,
single pages) they fall back to small queries of their own. The helpers work on whole
batches in a fixed number of queries.
"""

from collections import defaultdict

from django.apps import apps
from django.db.models import Count, Max, Min, Prefetch

from wagtail.api.rich_text import APIRichText
from wagtail.api.utils import get_full_url
from wagtail.images.models import SourceImageIOError

from rest_framework.fields import Field

from core.models import CustomImage, CustomRendition

from .regions import region_for_path, visible_region_map

# Rendition filter specs used throughout the API (documented in docs/api.md).
THUMBNAIL_SPEC = "fill-480x300"
LARGE_SPEC = "width-1200"
IMAGE_SPECS = (THUMBNAIL_SPEC, LARGE_SPEC)


def images_with_renditions(image_ids) -> dict:
    """``{id: CustomImage}`` with the API renditions prefetched, in two queries.

    Only public images (``CustomImage.objects.public()``): an image in a restricted
    collection is left out, so a page's field shows ``null`` and its gallery or story
    skips it."""
    ids = {image_id for image_id in image_ids if image_id}
    if not ids:
        return {}
    images = (
        CustomImage.objects.public()
        .filter(pk__in=ids)
        .prefetch_related(
            Prefetch(
                "renditions",
                queryset=CustomRendition.objects.filter(filter_spec__in=IMAGE_SPECS),
                to_attr="prefetched_renditions",
            )
        )
    )
    return {image.pk: image for image in images}


# Set on a request (``request.<URL_BASE_ATTRIBUTE> = "…"``) while pre-rendering pieces that
# are stored for any request: URLs on the API's own base then start with that placeholder
# instead of the request's base (see ``api.v2``).
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


def rendition_data(image, spec: str, request=None) -> dict | None:
    # The one prefetched rendition for ``spec``, if unambiguous: skips Wagtail's lookup and
    # its per-rendition cache write, which dominate a listing's time.
    prefetched = getattr(image, "prefetched_renditions", None) or ()
    matches = [rendition for rendition in prefetched if rendition.filter_spec == spec]
    rendition = matches[0] if len(matches) == 1 else None
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
    """An image as the API shows it: alt text, credit, licence and two renditions; ``memo``
    (a dict kept per request) serialises an image used several times only once."""
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


def _memo(field):
    return field.context.setdefault("_image_data", {}) if field.context else None


class Precomputed(list):
    """Related rows a listing view fetched for all pages at once (see ``api.v2``)."""


class PrecomputedMixin:
    """Use rows from ``context["_related"][field_name][page_id]`` when the view has them;
    otherwise read the relation from the instance."""

    def get_attribute(self, instance):
        related = (self.context.get("_related") or {}).get(self.field_name)
        if related is not None:
            return Precomputed(related.get(instance.pk, ()))
        return super().get_attribute(instance)


def _image(field, image_id):
    """The preloaded copy of an image (with renditions) when the view provided one; ``None``
    for no image or one that is not public."""
    images = field.context.get("_images") or {}
    if image_id in images:
        return images[image_id]
    return images_with_renditions([image_id]).get(image_id)


class ImageField(Field):
    """An image with alt text, credit, licence and thumbnail/large renditions."""

    def get_attribute(self, instance):
        # Read the id only: the image itself comes preloaded from the view.
        return _image(self, getattr(instance, f"{self.source}_id", None))

    def to_representation(self, image) -> dict | None:
        return image_data(image, self.context.get("request"), _memo(self))


def gallery_rows(place_ids, translations: dict[int, int]) -> dict[int, list[tuple]]:
    """``{place pk: [(image id, caption), …]}``: the German places' galleries with the
    captions their shown translations (``translations``: ``{translation's pk: German pk}``)
    give (``PlaceGalleryImage.with_captions_of``), the translations' rows in the same query."""
    gallery_image = apps.get_model("places", "PlaceGalleryImage")
    rows_by_page = defaultdict(list)
    for row in (
        gallery_image.objects.filter(page_id__in=[*place_ids, *translations])
        .order_by("sort_order", "pk")
        .only("page_id", "image_id", "caption", "translation_key")
    ):
        rows_by_page[translations.get(row.page_id, row.page_id)].append(row)
    return {
        pk: [(row.image_id, row.caption) for row in gallery_image.with_captions_of(rows, pk)]
        for pk, rows in rows_by_page.items()
    }


class GalleryField(PrecomputedMixin, Field):
    """The place's gallery as ``(image id, caption)`` rows; a German place shown in its
    translation (``shown_translation``, ``api.locale.show_translation``) with the
    translation's captions (``gallery_rows``), as the English place page shows them."""

    def get_attribute(self, instance):
        items = super().get_attribute(instance)
        if isinstance(items, Precomputed):
            return items
        translation = getattr(instance, "shown_translation", None)
        if translation is None:
            return [(item.image_id, item.caption) for item in items.all()]
        return gallery_rows([instance.pk], {translation.pk: instance.pk}).get(instance.pk, [])

    def to_representation(self, items) -> list:
        request = self.context.get("request")
        result = []
        for image_id, caption in items:
            image = _image(self, image_id)
            if image is not None:
                data = image_data(image, request, _memo(self))
                result.append({**data, "caption": caption})
        return result


def taxonomy_item(item) -> dict:
    """A field, offer, actor type (their ``label``: the name in the active language) or tag
    (German in every language) as ``{"slug", "name"}``."""
    return {"slug": item.slug, "name": getattr(item, "label", item.name)}


class TaxonomyField(Field):
    """A piece of reference data as ``{"slug", "name"}``."""

    def to_representation(self, obj) -> dict:
        return taxonomy_item(obj)


class TaxonomyListField(PrecomputedMixin, Field):
    """Categories, offers or tags as a list of ``{"slug", "name"}``."""

    def to_representation(self, manager) -> list:
        if isinstance(manager, Precomputed):
            return list(manager)
        items = list(manager.all())
        if items and not hasattr(items[0], "sort_order"):
            items.sort(key=lambda item: item.name.lower())
        return [taxonomy_item(item) for item in items]


class WholeObjectField(Field):
    """A field computed from the whole page (``source="*"``), not from one attribute."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)


class CoordinatesField(WholeObjectField):
    """WGS 84 point as numbers: ``{"latitude": 52.85, "longitude": 11.15}`` or null."""

    def to_representation(self, page) -> dict | None:
        if page.latitude is None or page.longitude is None:
            return None
        return {"latitude": float(page.latitude), "longitude": float(page.longitude)}


class RegionField(WholeObjectField):
    """The place's region as ``{"id", "slug", "title"}`` (null if it is not public)."""

    def to_representation(self, page) -> dict | None:
        regions = self.context.get("_regions")
        if regions is None:
            regions = visible_region_map()
        return region_for_path(regions, page.path)


def region_stats(region) -> dict:
    """The number of the region's visible places and their bounding box, in one query."""
    return region.get_places().aggregate(
        count=Count("pk"),
        min_lon=Min("longitude"),
        min_lat=Min("latitude"),
        max_lon=Max("longitude"),
        max_lat=Max("latitude"),
    )


def _region_stats(field, region) -> dict:
    """A listing's statistics of ``region`` (``api.v2``), else its own query."""
    stats = (field.context.get("_region_stats") or {}).get(region.pk)
    return region_stats(region) if stats is None else stats


class RegionPlaceCountField(WholeObjectField):
    """Number of live, public places in a region."""

    def to_representation(self, region) -> int:
        return _region_stats(self, region)["count"]


class RegionBoundingBoxField(WholeObjectField):
    """``[minLon, minLat, maxLon, maxLat]`` of the region's places, or null."""

    def to_representation(self, region) -> list | None:
        stats = _region_stats(self, region)
        if stats["min_lon"] is None:
            return None
        return [float(stats[name]) for name in ("min_lon", "min_lat", "max_lon", "max_lat")]


class LinksField(PrecomputedMixin, Field):
    def to_representation(self, links) -> list:
        if isinstance(links, Precomputed):
            return list(links)
        return [{"platform": link.platform, "url": link.url} for link in links.all()]


def story_image_ids(blocks) -> set[int]:
    """The ids of the images among a StreamField's stored blocks (``raw_blocks``)."""
    ids = set()
    for block in blocks:
        if block.get("type") == "image" and isinstance(block.get("value"), dict):
            image_id = block["value"].get("image")
            if isinstance(image_id, int):
                ids.add(image_id)
    return ids


def raw_blocks(stream_value) -> list:
    """The stored JSON blocks of a StreamField value (read as loaded from the database,
    which skips Wagtail's per-item view; blocks built in Python go through it)."""
    raw = getattr(stream_value, "_raw_data", None)
    if isinstance(raw, list) and all(isinstance(block, dict) for block in raw):
        return raw
    return list(stream_value.raw_data)


class StoryField(Field):
    """A StreamField of ``core.blocks.StoryBlock`` with images resolved to renditions.

    Built from the stored JSON, so images of a whole listing are fetched in one query.
    Rich text follows ``?rich_text_format=`` (default ``html``); video embeds are given as
    their URL (no oEmbed request).
    """

    def to_representation(self, stream_value) -> list:
        blocks = raw_blocks(stream_value)
        images = self.context.get("_images")
        if images is None or not story_image_ids(blocks) <= images.keys():
            images = images_with_renditions(story_image_ids(blocks))
        rich_text_format = self.context.get("_wagtail_rich_text_format") or (
            APIRichText.get_default_format()
        )
        request = self.context.get("request")
        memo = _memo(self)
        return [self.block_data(block, images, rich_text_format, request, memo) for block in blocks]

    @staticmethod
    def block_data(block, images, rich_text_format, request, memo=None) -> dict:
        block_type = block.get("type")
        value = block.get("value")
        if block_type == "paragraph":
            value = value or ""
            # Expanding database HTML only rewrites <a …> and <embed …/> tags: text without
            # them comes out unchanged, so skip the rewriters' regex passes.
            if rich_text_format != APIRichText.FORMAT_HTML or "<a" in value or "<embed" in value:
                value = APIRichText.serialize(value, format=rich_text_format)
        elif block_type == "image" and isinstance(value, dict):
            image = images.get(value.get("image"))
            value = {
                "image": image_data(image, request, memo),
                "caption": value.get("caption", ""),
            }
        elif block_type == "embed":
            value = {"url": value}
        elif block_type == "key_facts" and isinstance(value, dict):
            facts = [
                item.get("value", item) if isinstance(item, dict) and "type" in item else item
                for item in value.get("facts") or []
            ]
            value = {"title": value.get("title", ""), "facts": facts}
        return {"type": block_type, "value": value, "id": block.get("id")}
