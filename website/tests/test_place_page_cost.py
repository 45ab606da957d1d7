"""The place page's queries: nearby places (``places.nearby``) as the brute force ranks them,
in one query; routing (``core.routing``) one query per level, with what the page shows
joined."""

import random
from decimal import Decimal

from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from wagtail.images.models import Filter
from wagtail.models import PageViewRestriction

import pytest

from core.factories import CustomImageFactory
from places import nearby, renditions
from places.factories import PlacePageFactory
from places.models import ActorType, PlacePage
from regions.models import RegionPage
from website.page_cache import BYPASS_ENVIRON

PAST_THE_PAGE_CACHE = {BYPASS_ENVIRON: "1"}
CONTENT = Filter.expand_spec(renditions.CONTENT)

pytestmark = pytest.mark.django_db


def _place(region, number, lat, lon, **fields):
    return PlacePageFactory(
        parent=region,
        title=f"Ort {number:03d}",
        slug=f"ort-{number:03d}",
        latitude=Decimal(f"{lat:.6f}"),
        longitude=Decimal(f"{lon:.6f}"),
        **fields,
    )


@pytest.fixture
def scattered(region):
    """A dense cluster (more than a small box's candidates), places around it, a lone one
    far away and one nearly alone at the edge of the country."""
    rng = random.Random(7)
    places = [
        _place(region, n, 52.6 + rng.uniform(-0.04, 0.04), 11.4 + rng.uniform(-0.06, 0.06))
        for n in range(20)
    ]
    places += [
        _place(region, 20 + n, 52.6 + rng.uniform(-0.6, 0.6), 11.4 + rng.uniform(-0.9, 0.9))
        for n in range(12)
    ]
    places.append(_place(region, 40, 51.9, 12.6))  # lone: nothing within a small box
    places.append(_place(region, 41, 54.9, 6.2))  # nothing within a degree at all
    return places


def _nearby(place):
    with CaptureQueriesContext(connection) as queries:
        found = nearby.nearest(place)
    return [(p.pk, p.distance_km) for p in found], len(queries)


def _from_points(place, points):
    return [(row[2], km) for row, km in nearby.nearest_in(points, place)]


def _brute_force(place):
    """Every other visible place with a point, ranked by distance, then id: the oracle."""
    lat, lon = float(place.latitude), float(place.longitude)
    ranked = sorted(
        (nearby.distance_km(lat, lon, float(other_lat), float(other_lon)), pk)
        for pk, other_lat, other_lon in PlacePage.objects.visible()
        .exclude(pk=place.pk)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values_list("pk", "latitude", "longitude")
    )[: nearby.NEARBY_COUNT]
    return [(pk, round(km)) for km, pk in ranked]


def test_nearby_places_are_the_exact_nearest_in_and_around_a_cluster(scattered):
    """In the cluster the small box answers, around it the big box, far away everything:
    always one query, always the brute-force ranking; from the points read once (a static
    build), the same."""
    points = nearby.visible_points()
    for place in scattered:
        found, queries = _nearby(place)
        assert found == _brute_force(place), place.title
        assert queries == 1
        assert _from_points(place, points) == found, place.title


def test_places_showing_a_place_are_those_whose_nearby_places_hold_it(scattered):
    """The reverse of ``nearest``, for a place where it is and at another point."""
    points = nearby.visible_points()
    for place in scattered[::5]:
        expected = {p.url_path for p in scattered if place.pk in dict(_nearby(p)[0])}
        assert set(nearby.showing(place.pk, float(place.latitude), float(place.longitude))) == (
            expected
        )
        # Moved next to the lone place: the lone place's list now holds it.
        lone = scattered[-2]
        moved = nearby.showing(place.pk, float(lone.latitude) + 0.01, float(lone.longitude), points)
        assert lone.url_path in moved


def test_nearby_places_leave_out_unpublished_and_restricted_places(scattered):
    place = scattered[0]
    first, second = (pk for pk, _km in _nearby(place)[0][:2])
    PlacePage.objects.get(pk=first).unpublish()
    PageViewRestriction.objects.create(
        page=PlacePage.objects.get(pk=second), restriction_type="password", password="x"
    )
    found = [pk for pk, _km in _nearby(place)[0]]
    assert first not in found and second not in found
    assert _nearby(place)[0] == _brute_force(place)
    assert _from_points(place, nearby.visible_points()) == _brute_force(place)


def test_nearby_cards_come_with_their_hero_image(scattered):
    image = CustomImageFactory()
    PlacePage.objects.filter(pk__in=[p.pk for p in scattered]).update(hero_image=image)
    for card in nearby.nearest(scattered[0]):
        expected = PlacePage.objects.defer_streamfields().get(pk=card.pk)
        with CaptureQueriesContext(connection) as queries:
            assert card.hero_image == image
            assert card.hero_image.title == image.title
            for field in PlacePage._meta.concrete_fields:
                if field.name != "story":
                    assert getattr(card, field.attname) == getattr(expected, field.attname)
        assert not queries


def _route(home_page, *slugs):
    """Wagtail's routing from the site's root page (``Page.route``): the page, else None."""
    try:
        return home_page.route(None, list(slugs)).page
    except Http404:
        return None


def test_routing_reads_a_place_with_its_joined_rows_one_query_per_level(home_page, region):
    image = CustomImageFactory()
    actor = ActorType.objects.create(name="Testträger", slug="testtraeger", sort_order=3)
    place = _place(region, 1, 52.61, 11.41, hero_image=image, actor_type=actor, founded=2019)
    region.contact_email = "region@example.org"
    region.save()
    expected = PlacePage.objects.get(pk=place.pk)

    with CaptureQueriesContext(connection) as routing:
        routed = _route(home_page, region.slug, place.slug)
    assert len(routing) == 2  # the region, the place

    with CaptureQueriesContext(connection) as queries:
        for field in PlacePage._meta.concrete_fields:
            assert getattr(routed, field.attname) == getattr(expected, field.attname), field
        assert list(routed.story.raw_data) == list(expected.story.raw_data)
        assert routed.hero_image == image and routed.hero_image.file == image.file
        assert routed.actor_type.name == "Testträger"
        parent = routed.get_parent()
        assert (parent.pk, parent.title, parent.contact_email) == (
            region.pk,
            region.title,
            "region@example.org",
        )
        assert (parent.path, parent.depth, parent.url_path) == (
            region.path,
            region.depth,
            region.url_path,
        )
        assert routed.known_unrestricted
        assert not routed.get_view_restrictions()
    assert not queries

    assert _route(home_page, region.slug, "gibt-es-nicht") is None
    assert _route(home_page, "gibt-es-nicht", place.slug) is None


def test_routing_reads_a_region_in_one_query(home_page, region):
    image = CustomImageFactory()
    region.hero_image = image
    region.contact_email = "region@example.org"
    region.body = [("paragraph", "<p>Über die Region</p>")]
    region.save()
    expected = RegionPage.objects.get(pk=region.pk)

    with CaptureQueriesContext(connection) as routing:
        routed = _route(home_page, region.slug)
    assert len(routing) == 1

    with CaptureQueriesContext(connection) as queries:
        assert type(routed) is RegionPage
        for field in RegionPage._meta.concrete_fields:
            assert getattr(routed, field.attname) == getattr(expected, field.attname), field
        assert list(routed.body.raw_data) == list(expected.body.raw_data)
        assert routed.hero_image == image and routed.hero_image.file == image.file
        assert routed.get_parent() == home_page
        assert routed.known_unrestricted and not routed.restricted
        assert not routed.get_view_restrictions()
    assert not queries
    assert _route(home_page, "gibt-es-nicht") is None


def test_routing_sees_a_restriction_on_a_region(home_page, region):
    restriction = PageViewRestriction.objects.create(
        page=region, restriction_type="password", password="x"
    )
    routed = _route(home_page, region.slug)
    assert routed.restricted and not routed.known_unrestricted
    assert list(routed.get_view_restrictions()) == [restriction]


def test_routing_sees_a_restriction(home_page, region, place):
    restriction = PageViewRestriction.objects.create(
        page=region, restriction_type="password", password="x"
    )
    routed = _route(home_page, region.slug, place.slug)
    assert routed.restricted and not routed.known_unrestricted
    assert list(routed.get_view_restrictions()) == [restriction]


def test_routing_leaves_an_alias_on_the_way_to_wagtails_check(home_page, region, place):
    """An alias has its original's restrictions: routing cannot tell, Wagtail's check does."""
    alias = region.create_alias(parent=home_page, update_slug="altmark-alias")
    restriction = PageViewRestriction.objects.create(
        page=region, restriction_type="password", password="x"
    )
    routed = _route(home_page, alias.slug)
    assert routed.pk == alias.pk and not routed.restricted and not routed.known_unrestricted
    assert list(routed.get_view_restrictions()) == [restriction]


def _indexed_columns(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [tuple(c["columns"]) for c in constraints.values() if c["index"]]


def test_routing_nearby_and_newest_columns_are_indexed():
    assert ("url_path",) in _indexed_columns("wagtailcore_page")
    # The home page's newest places (``HomePage.get_context``).
    assert ("first_published_at", "id") in _indexed_columns("wagtailcore_page")
    # Listings by title with a known count (``website.listing.paginate``).
    assert ("title", "id") in _indexed_columns("wagtailcore_page")
    assert ("latitude", "longitude") in _indexed_columns("places_placepage")


@pytest.mark.parametrize("story_images", [1, 6, 40])
def test_every_image_of_the_place_page_from_one_query_of_renditions(
    client, region, settings, tmp_path, story_images
):
    """However many images the story shows (one compiled query per number of images, Django's
    prefetch past the largest): each picture from the renditions read in one query, none
    asked for again, and each image's own files in the markup."""
    settings.MEDIA_ROOT = tmp_path / "media"
    images = [CustomImageFactory() for _ in range(story_images)]
    place = PlacePageFactory(parent=region, title="Bilderreich", slug="bilderreich")
    place.story = [("image", {"image": image, "caption": f"Bild {image.pk}"}) for image in images]
    place.save_revision().publish()
    client.get(place.url, **PAST_THE_PAGE_CACHE)  # makes the renditions
    with CaptureQueriesContext(connection) as queries:
        response = client.get(place.url, **PAST_THE_PAGE_CACHE)
    html = response.content.decode()
    rendition_queries = [q["sql"] for q in queries if "customrendition" in q["sql"]]
    assert len(rendition_queries) == 1, rendition_queries
    for image in images:
        urls = [rendition.url for rendition in image.renditions.filter(filter_spec__in=CONTENT)]
        assert len(urls) == len(CONTENT), f"image {image.pk}: {urls}"
        assert all(url in html for url in urls), f"image {image.pk}: {urls}"
