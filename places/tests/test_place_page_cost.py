"""The place page's hand-written queries (``places.page_data``) give what the ORM gives."""

import random
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from core.factories import CustomImageFactory
from places import page_data
from places.factories import PlacePageFactory
from places.models import ActorType, PlaceGalleryImage, PlacePage
from places.templatetags import places_tags

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
        found = page_data.nearby_places(place)
    return [(p.pk, p.distance_km) for p in found], len(queries)


def _brute_force(place):
    return [(p.pk, p.distance_km) for p in places_tags.nearby_places(place)]


def test_nearby_places_are_the_exact_nearest_in_and_around_a_cluster(scattered):
    """In the cluster the small box answers, around it the big box, far away everything:
    always one query, always the brute-force ranking."""
    for place in scattered:
        found, queries = _nearby(place)
        assert found == _brute_force(place), place.title
        assert queries == 1


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


def test_nearby_cards_are_loaded_like_the_orm_loads_them(scattered):
    image = CustomImageFactory()
    PlacePage.objects.filter(pk__in=[p.pk for p in scattered]).update(hero_image=image)
    for card in page_data.nearby_places(scattered[0]):
        expected = PlacePage.objects.defer_streamfields().get(pk=card.pk)
        with CaptureQueriesContext(connection) as queries:
            assert card.hero_image == image
            assert card.hero_image.title == image.title
            for field in PlacePage._meta.concrete_fields:
                if field.name != "story":
                    assert getattr(card, field.attname) == getattr(expected, field.attname)
        assert not queries


def test_routing_loads_place_region_and_joined_rows_like_the_orm(home_page, region):
    image = CustomImageFactory()
    actor = ActorType.objects.create(name="Testträger", slug="testtraeger", sort_order=3)
    place = _place(region, 1, 52.61, 11.41, hero_image=image, actor_type=actor, founded=2019)
    PlaceGalleryImage.objects.create(page=place, image=image, caption="Hof", sort_order=1)
    PlaceGalleryImage.objects.create(page=place, image=image, caption="Halle", sort_order=0)
    region.contact_email = "region@example.org"
    region.save()
    expected = PlacePage.objects.get(pk=place.pk)

    routed = page_data.route_below(home_page, None, [region.slug, place.slug])

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
        assert routed._known_unrestricted
    assert not queries

    gallery = page_data._gallery(routed)
    assert [(g.pk, g.caption, g.image) for g in gallery] == [
        (g.pk, g.caption, g.image) for g in place.gallery_images.select_related("image")
    ]
    assert page_data.route_below(home_page, None, [region.slug, "gibt-es-nicht"]) is None
    assert page_data.route_below(home_page, None, ["gibt-es-nicht", place.slug]) is None


def test_routing_loads_a_region_like_the_orm(home_page, region):
    from regions.models import RegionPage

    image = CustomImageFactory()
    region.hero_image = image
    region.contact_email = "region@example.org"
    region.body = [("paragraph", "<p>Über die Region</p>")]
    region.save()
    expected = RegionPage.objects.get(pk=region.pk)

    with CaptureQueriesContext(connection) as routing:
        routed = page_data.route_below(home_page, None, [region.slug])
    assert len(routing) == 1

    with CaptureQueriesContext(connection) as queries:
        assert type(routed) is RegionPage
        for field in RegionPage._meta.concrete_fields:
            assert getattr(routed, field.attname) == getattr(expected, field.attname), field
        assert list(routed.body.raw_data) == list(expected.body.raw_data)
        assert routed.hero_image == image and routed.hero_image.file == image.file
        assert routed.get_parent() == home_page
        assert routed._known_unrestricted and not routed.restricted
    assert not queries
    assert page_data.route_below(home_page, None, ["gibt-es-nicht"]) is None


def test_routing_sees_a_restriction_on_a_region(home_page, region):
    PageViewRestriction.objects.create(page=region, restriction_type="password", password="x")
    routed = page_data.route_below(home_page, None, [region.slug])
    assert routed.restricted and not routed._known_unrestricted


def test_routing_sees_a_restriction(home_page, region, place):
    PageViewRestriction.objects.create(page=region, restriction_type="password", password="x")
    routed = page_data.route_below(home_page, None, [region.slug, place.slug])
    assert routed.restricted and not routed._known_unrestricted


def _indexed_columns(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [tuple(c["columns"]) for c in constraints.values() if c["index"]]


def test_routing_nearby_and_newest_columns_are_indexed():
    assert ("url_path",) in _indexed_columns("wagtailcore_page")
    # The home page's newest places (``HomePage.get_context``).
    assert ("first_published_at", "id") in _indexed_columns("wagtailcore_page")
    # Listings by title with a known count (``places.listing.paginate``).
    assert ("title", "id") in _indexed_columns("wagtailcore_page")
    assert ("latitude", "longitude") in _indexed_columns("places_placepage")
