"""What the public pages need from the database, in a fixed and small number of queries.

Budgets (``tests/test_query_counts.py``, docs/performance.md): a place page ≤ 10 queries, a
region page and ``/orte/`` ≤ 12, however many places exist. The pieces:

- ``restricted_q()``: "behind a view restriction" as a subquery, so that excluding private
  pages costs no query of its own (Wagtail's ``.public()`` runs one each time it is called);
- ``view_restrictions(page)``: what Wagtail's ``check_view_restrictions`` hook asks
  (``Page.get_view_restrictions``) in one query instead of two, and none at all for a
  region or place whose routing query already found no restriction
  (``known_view_restrictions``);
- ``route_below(home, request, components)``: resolves ``/<region>/<place>/`` with one query
  per level instead of two (Wagtail fetches the generic page, then the specific one);
- ``place_details(place, request)``: categories, offers, tags and links in one query, the
  gallery, the three nearest places, and every image's renditions in one query.
"""

from __future__ import annotations

import math

from django.db.models import Exists, FloatField, IntegerField, OuterRef, Q, Value
from django.db.models.functions import Cast, Length, Substr

from wagtail.models import Page, PageViewRestriction

#: What a place page shows of its region (read with the place, in the routing query).
REGION_FIELDS = ("id", "title", "contact_email", "contact_person", "live", "alias_of_id")
NEARBY_COUNT = 3
NEARBY_CANDIDATES = 12  # ranked by a flat-earth distance in SQL, re-ranked exactly here
NEARBY_BOX_DEGREES = 1.0


def restricted_q(outer_path: str = "path") -> Q:
    """True for pages at or below a page with a view restriction (as ``.public()`` sees it)."""
    return Q(
        Exists(
            PageViewRestriction.objects.filter(
                page__path=Substr(OuterRef(outer_path), 1, Length("page__path"))
            )
        )
    )


def view_restrictions(page):
    """``Page.get_view_restrictions`` in one query: restrictions on the page or an ancestor,
    or on the page an alias (the page or an ancestor) stands for."""
    steplen = page.steplen
    paths = [page.path[: steplen * depth] for depth in range(1, page.depth + 1)]
    aliased = Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of_id")
    return PageViewRestriction.objects.filter(Q(page__path__in=paths) | Q(page_id__in=aliased))


def route_below(home, request, components):
    """Route ``components`` below ``home`` (the site root) in one query.

    A region comes from one query; a place and the few fields of its region that the page
    shows (title, contact) from one query too. Returns ``None`` when the fast path does not
    apply (other page types, unknown paths); the caller then uses Wagtail's routing."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Subquery

    from places.models import PlacePage
    from regions.models import RegionPage

    if len(components) not in (1, 2):
        return None
    region_path = f"{home.url_path}{components[0]}/"
    if len(components) == 1:
        region = (
            RegionPage.objects.select_related("hero_image")
            .filter(url_path=region_path)
            .annotate(restricted=restricted_q())
            .first()
        )
        if region is not None:
            region._cached_parent_obj = home
            _note_restrictions(region, region.restricted, home, region)
        return region
    regions = RegionPage.objects.filter(url_path=region_path)
    place = (
        PlacePage.objects.select_related("hero_image", "actor_type")
        .filter(url_path=f"{region_path}{components[1]}/")
        .annotate(
            restricted=restricted_q(),
            **{f"region_{name}": Subquery(regions.values(name)[:1]) for name in REGION_FIELDS},
        )
        .first()
    )
    if place is None or place.region_id is None:
        return None
    region = RegionPage(
        id=place.region_id,
        title=place.region_title,
        slug=components[0],
        url_path=region_path,
        path=place.path[: -place.steplen],
        depth=place.depth - 1,
        live=place.region_live,
        contact_email=place.region_contact_email,
        contact_person=place.region_contact_person,
        content_type=ContentType.objects.get_for_model(RegionPage),
        locale_id=place.locale_id,
    )
    region._cached_parent_obj = home
    place._cached_parent_obj = region
    region.alias_of_id = place.region_alias_of_id
    _note_restrictions(place, place.restricted, home, region, place)
    return place


def _note_restrictions(page, restricted: bool, *chain) -> None:
    """Remember that ``page`` has no view restriction (known from the routing query), so
    that ``get_view_restrictions`` needs no query of its own. Aliases on the way (their
    originals' restrictions count too) leave it to the full lookup."""
    page._known_unrestricted = not restricted and all(p.alias_of_id is None for p in chain)


def known_view_restrictions(page):
    """``Page.get_view_restrictions`` for the public page types: nothing when routing
    already showed there is none, else ``view_restrictions(page)``."""
    if getattr(page, "_known_unrestricted", False):
        return PageViewRestriction.objects.none()
    return view_restrictions(page)


def _distance_expression(lat: float, lon: float):
    """Squared flat-earth distance in degrees² (good enough to pick candidates)."""
    scale = math.cos(math.radians(lat)) ** 2
    return (
        (Cast("latitude", FloatField()) - Value(lat))
        * (Cast("latitude", FloatField()) - Value(lat))
    ) + Value(scale) * (
        (Cast("longitude", FloatField()) - Value(lon))
        * (Cast("longitude", FloatField()) - Value(lon))
    )


def nearby_places(place, count: int = NEARBY_COUNT) -> list:
    """The ``count`` nearest other visible places (great-circle distance, ties by pk), as
    cards (hero image joined), in one query (two in the rare case of an empty neighbourhood).
    Same result as ``places_tags.nearby_places``, which ``core.affected`` mirrors."""
    from places.models import PlacePage, distance_km

    if not place.has_coordinates:
        return []
    lat, lon = float(place.latitude), float(place.longitude)
    base = (
        PlacePage.objects.live()
        .exclude(restricted_q())
        .exclude(pk=place.pk)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .select_related("hero_image")
        .defer_streamfields()
        .annotate(flat_distance=_distance_expression(lat, lon))
        .order_by("flat_distance", "pk")
    )
    box = NEARBY_BOX_DEGREES
    lon_box = box / max(math.cos(math.radians(min(abs(lat) + box, 89.0))), 0.01)
    candidates = list(
        base.filter(
            latitude__range=(lat - box, lat + box), longitude__range=(lon - lon_box, lon + lon_box)
        )[:NEARBY_CANDIDATES]
    )
    if len(candidates) < count:
        candidates = list(base[:NEARBY_CANDIDATES])
    for candidate in candidates:
        candidate.exact_km = distance_km(
            lat, lon, float(candidate.latitude), float(candidate.longitude)
        )
    ranked = sorted(candidates, key=lambda c: (c.exact_km, c.pk))[:count]
    for candidate in ranked:
        candidate.distance_km = round(candidate.exact_km)
    return ranked


def _relations(places) -> dict:
    """Categories, offers, tags and links of ``places`` in one query (UNION ALL)."""
    from places.models import PlaceLink, PlacePage, PlacePageTag

    ids = [place.pk for place in places]
    columns = ("kind", "page", "ref", "name", "slug", "sort")
    categories = PlacePage.categories.through.objects.filter(placepage_id__in=ids).values_list(
        Value("category"),
        "placepage_id",
        "category_id",
        "category__name",
        "category__slug",
        "category__sort_order",
    )
    offers = PlacePage.offers.through.objects.filter(placepage_id__in=ids).values_list(
        Value("offer"),
        "placepage_id",
        "offer_id",
        "offer__name",
        "offer__slug",
        "offer__sort_order",
    )
    tags = PlacePageTag.objects.filter(content_object_id__in=ids).values_list(
        Value("tag"),
        "content_object_id",
        "tag_id",
        "tag__name",
        "tag__slug",
        Value(0, output_field=IntegerField()),
    )
    links = PlaceLink.objects.filter(page_id__in=ids).values_list(
        Value("link"), "page_id", "id", "platform", "url", "sort_order"
    )
    result: dict = {pk: {"category": [], "offer": [], "tag": [], "link": []} for pk in ids}
    # No ORDER BY inside a compound statement (SQLite refuses it; models have Meta.ordering).
    parts = [query.order_by() for query in (categories, offers, tags, links)]
    for row in parts[0].union(*parts[1:], all=True):
        result[row[1]][row[0]].append(dict(zip(columns, row, strict=True)))
    return result


def _prefetched(instance, name: str, model, rows) -> None:
    """Fill ``instance.<name>.all()`` from ``_relations`` rows, as ``prefetch_related``
    would (in the models' default order), without a query of its own."""
    objects = [
        model(id=row["ref"], name=row["name"], slug=row["slug"], sort_order=row["sort"])
        for row in sorted(rows, key=lambda row: (row["sort"], row["name"]))
    ]
    queryset = getattr(instance, name).all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


class _Taxon:
    """A category, offer or tag as templates use it (``name``, ``slug``, ``pk``)."""

    def __init__(self, row):
        self.pk = self.id = row["ref"]
        self.name = row["name"]
        self.slug = row["slug"]
        self.sort_order = row["sort"]

    def __str__(self):
        return self.name


def place_details(place, request) -> dict:
    """Everything the place page shows besides plain fields (see the module docstring)."""
    from django.db.models import prefetch_related_objects

    from places import opening_hours as oh
    from places.models import Category, PlaceLink
    from places.templatetags.places_tags import (
        SOCIAL_IMAGE_SPEC,
        _absolute,
        place_json_ld,
        rendition,
    )

    if getattr(request, "is_preview", False) or not place.pk:
        # Previews hold unsaved relations in memory: read them from there.
        categories = list(place.categories.all())
        offers = list(place.offers.all())
        tags = list(place.tags.all())
        links = list(place.links.all())
        gallery = list(place.gallery_images.all())
        nearby = []
    else:
        nearby = nearby_places(place)
        relations = _relations([place, *nearby])
        own = relations[place.pk]

        def by_order(rows):
            return sorted(rows, key=lambda row: (row["sort"], row["name"]))

        categories = [_Taxon(row) for row in by_order(own["category"])]
        offers = [_Taxon(row) for row in by_order(own["offer"])]
        tags = [_Taxon(row) for row in sorted(own["tag"], key=lambda row: row["name"].lower())]
        links = [
            PlaceLink(
                id=row["ref"],
                page_id=place.pk,
                platform=row["name"],
                url=row["slug"],
                sort_order=row["sort"],
            )
            for row in sorted(own["link"], key=lambda row: (row["sort"], row["ref"]))
        ]
        for other in nearby:
            _prefetched(other, "categories", Category, relations[other.pk]["category"])
        gallery = list(place.gallery_images.select_related("image"))
        # Every image on the page (hero, gallery, story, nearby cards): renditions at once.
        images = [place.hero_image, *(item.image for item in gallery)]
        images += [other.hero_image for other in nearby]
        images += [block.value["image"] for block in place.story if block.block_type == "image"]
        # Every instance, not one per pk: an image shown twice (hero and story, say) is two
        # objects, and one without prefetched renditions would ask the cache for them.
        images = {id(image): image for image in images if image is not None}
        if images:
            # Only the sizes this page uses (images keep many more renditions over time).
            from django.db.models import Prefetch

            from places.renditions import page_specs

            renditions = place.hero_image.get_rendition_model() if place.hero_image else None
            renditions = renditions or next(iter(images.values())).get_rendition_model()
            prefetch_related_objects(
                list(images.values()),
                Prefetch(
                    "renditions",
                    queryset=renditions.objects.filter(filter_spec__in=page_specs()),
                ),
            )
    image_url = None
    if place.hero_image is not None:
        image_url = _absolute(request, rendition(place.hero_image, SOCIAL_IMAGE_SPEC).url)
    return {
        "categories": categories,
        "offers": offers,
        "tags": tags,
        "links": links,
        "gallery": gallery,
        "opening_hours": oh.humanize_lines(place.opening_hours),
        "nearby": nearby,
        "json_ld": place_json_ld(place, request, image_url, [link.url for link in links]),
    }
