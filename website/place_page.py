"""What the place page shows besides its own fields (``PlacePage.get_context``): categories,
offers, tags, links, gallery, opening hours, the nearby places, the next dates of its events
(„Nächste Termine“, ``website.events``) and the JSON-LD.

A fixed number of queries however much the place holds (``tests/test_query_counts.py``):
its categories, offers, tags and links in one (``_RELATIONS``), the gallery with its
images, the nearby places (``places.nearby``; their cards' categories when the cards are
not kept), its events (none where kept: the nearby places' keys and the events' rows come
in one cache round trip) and the renditions of every image on the page in one. The place's
own queries are compiled once per process (``core.compiled``).

On an English address the facts are the German page's (routing finds it in the German tree;
``website.wagtail_hooks`` shows its English texts), and the nearby places' cards show their
English titles and teasers where they have them (one query more, none where cards are
kept).
"""

import functools
from collections import defaultdict

from django.db.models import Prefetch, Q, Value, prefetch_related_objects

from taggit.models import Tag
from wagtail.images import get_image_model

from core.compiled import CompiledQuery
from places import nearby as nearby_places
from places import opening_hours as oh
from places.models import Category, Offer, PlaceGalleryImage, PlaceLink, PlacePage, PlacePageTag
from places.renditions import page_specs
from website.cards import (
    ListedPlace,
    build_card_cache,
    cards_kept,
    in_active_language,
    listed_places,
)
from website.events import place_dates
from website.listing import shared_in_build
from website.templatetags.places_tags import place_json_ld, social_image_url


def place_details(place, request) -> dict:
    """``details`` in the place page's context (``places/place_page.html``). ``place`` is
    the German page, also on its English address (with its English texts there:
    ``website.wagtail_hooks.with_texts_of``), so every fact comes from the German tree."""
    if getattr(request, "is_preview", False) or not place.pk:
        # Previews hold unsaved relations in memory: read them from there.
        categories = list(place.categories.all())
        offers = list(place.offers.all())
        tags = list(place.tags.all())
        links = list(place.links.all())
        gallery = list(place.gallery_images.all())
        nearby = []
        dates = place_dates(place, request)[0] if place.pk else []
    else:
        nearby, dates = _nearby_and_dates(place, request)
        cards = [other for other in nearby if not isinstance(other, ListedPlace)]
        if cards:
            prefetch_related_objects(cards, "categories")
            in_active_language(cards)
        categories, offers, tags, links = _relations(place)
        # On an English address, with its translation's captions (``request.translation``).
        translation = getattr(request, "translation", None)
        gallery = PlaceGalleryImage.with_captions_of(
            _GALLERY(page=place.pk, translation=translation.pk if translation else place.pk),
            place.pk,
        )
        _prefetch_renditions(
            [place.hero_image, *(other.hero_image for other in cards)]
            + [item.image for item in gallery]
            + [block.value["image"] for block in place.story if block.block_type == "image"]
        )
    image_url = social_image_url(place.hero_image, request)
    return {
        "categories": categories,
        "offers": offers,
        "tags": tags,
        "links": links,
        "gallery": gallery,
        "opening_hours": oh.humanize_lines(place.opening_hours),
        "nearby": nearby,
        "dates": dates,
        "calendar_url": f"/api/veranstaltungen.ics?place={place.pk}",
        "json_ld": place_json_ld(place, request, image_url, [link.url for link in links]),
    }


#: ``place.gallery_images.select_related("image")``, and its translation's rows (for their
#: captions; ``translation=page`` on the German address).
_GALLERY = CompiledQuery(
    lambda page, translation: PlaceGalleryImage.objects.filter(
        Q(page_id=page) | Q(page_id=translation)
    ).select_related("image"),
    page=int,
    translation=int,
)

#: A place's categories, offers, tags and links in one query: four tables' values, ``UNION
#: ALL`` (as four prefetches they would take the place page over its budget of queries).
_RELATIONS = CompiledQuery(
    lambda page: (
        Category.objects.filter(places=page)
        .values_list(Value("category"), "pk", "name", "slug", "sort_order", "name_en")
        .order_by()
        .union(
            Offer.objects.filter(places=page)
            .values_list(Value("offer"), "pk", "name", "slug", "sort_order", "name_en")
            .order_by(),
            PlacePageTag.objects.filter(content_object=page)
            .values_list(Value("tag"), "tag_id", "tag__name", "tag__slug", Value(0), Value(""))
            .order_by(),
            PlaceLink.objects.filter(page=page)
            .values_list(Value("link"), "pk", "platform", "url", "sort_order", Value(""))
            .order_by(),
            all=True,
        )
    ),
    page=int,
)


def _relations(place) -> tuple[list, list, list, list]:
    """The place's categories and offers (by their order), tags (by name) and links (by their
    order)."""
    found = {"category": [], "offer": [], "tag": [], "link": []}
    for kind, *row in _RELATIONS(page=place.pk):
        found[kind].append(row)
    categories, offers = (
        [
            model(pk=pk, name=name, name_en=name_en, slug=slug, sort_order=order)
            for pk, name, slug, order, name_en in sorted(
                found[kind], key=lambda row: (row[3], row[1])
            )
        ]
        for kind, model in (("category", Category), ("offer", Offer))
    )
    return (
        categories,
        offers,
        [
            Tag(pk=pk, name=name, slug=slug)
            for pk, name, slug, _order, _name_en in sorted(
                found["tag"], key=lambda row: row[1].lower()
            )
        ],
        [
            PlaceLink(pk=pk, page=place, platform=platform, url=url, sort_order=order)
            for pk, platform, url, order, _none in sorted(
                found["link"], key=lambda row: (row[3], row[0])
            )
        ],
    )


def _prefetch_renditions(images: list) -> None:
    """The renditions of every image on the page in one query, the sizes the public
    templates show (``places.renditions.page_specs``; images keep many more over time), as
    Wagtail's ``prefetched_renditions`` of each instance: an image shown twice (hero and
    story, say) is two objects, and one without prefetched renditions would ask the cache
    for them. The query is compiled once per number of images, rounded up (the last id
    repeated); a page with more images than the largest size takes Django's prefetch."""
    images = [image for image in images if image is not None]
    ids = sorted({image.pk for image in images})
    if not ids:
        return
    size = next((size for size in _RENDITION_QUERY_SIZES if size >= len(ids)), None)
    if size is None:
        rendition_model = images[0].get_rendition_model()
        wanted = rendition_model.objects.filter(filter_spec__in=page_specs())
        prefetch_related_objects(
            images, Prefetch("renditions", queryset=wanted, to_attr="prefetched_renditions")
        )
        return
    found = defaultdict(list)
    for row in _renditions_query(size)(
        **{f"image{n}": ids[min(n, len(ids) - 1)] for n in range(size)}
    ):
        found[row.image_id].append(row)
    image_field = images[0].get_rendition_model()._meta.get_field("image")
    for image in images:
        renditions = found.get(image.pk, [])
        for row in renditions:
            image_field.set_cached_value(row, image)
        image.prefetched_renditions = list(renditions)


_RENDITION_QUERY_SIZES = (4, 8, 16, 32)


@functools.cache
def _renditions_query(size: int) -> CompiledQuery:
    """The renditions of ``size`` images (``image0``…) in the public templates' sizes."""
    rendition_model = get_image_model().get_rendition_model()
    return CompiledQuery(
        lambda **ids: rendition_model.objects.filter(
            image_id__in=list(ids.values()), filter_spec__in=page_specs()
        ),
        **{f"image{n}": int for n in range(size)},
    )


def _nearby_and_dates(place, request) -> tuple[list, list]:
    """The nearby places and the next dates of the place's events. Where cards are kept (a
    static build's store, the live cache), the nearby places' cards are joined by their
    keys; live, those keys and the events' rows are kept in one cache round trip."""
    if not cards_kept():
        return nearby_places.nearest(place), place_dates(place, request)[0]
    if build_card_cache() is not None:
        return nearby_listed(place), place_dates(place, request)[0]
    key = ("nearby", place.pk, nearby_places.NEARBY_COUNT)
    dates, found = place_dates(place, request, also={key: lambda: _nearby_rows(place, key[2])})
    return _listed(found[key]), dates


def _nearby_rows(place, count: int) -> list[tuple]:
    return [
        (other.pk, other.live_revision_id, other.url_path, other.distance_km)
        for other in nearby_places.nearest(place, count, keys_only=True)
    ]


def nearby_listed(place, count: int = nearby_places.NEARBY_COUNT) -> list:
    """The nearby places as ``ListedPlace`` objects (with ``distance_km``) in a static build:
    ranked from the visible points read once per build, and a place is loaded only when its
    card is not kept (``{% place_card %}``). Live, ``_nearby_and_dates`` keeps their keys by
    data version."""
    points = shared_in_build(("nearby-points",), nearby_places.visible_points)
    rows = [
        (pk, revision, url_path, km)
        for (_lat, _lon, pk, url_path, revision), km in nearby_places.nearest_in(
            points, place, count
        )
    ]
    return _listed(rows)


def _listed(rows) -> list:
    listed = listed_places(PlacePage, [row[:3] for row in rows])
    for item, row in zip(listed, rows, strict=True):
        item.distance_km = row[3]
    return listed
