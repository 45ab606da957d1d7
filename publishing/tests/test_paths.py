import re
from decimal import Decimal

import pytest

from home.factories import ContentPageFactory
from places.factories import PlacePageFactory
from places.models import PlacePage
from publishing.paths import (
    PLACE_LISTING_PATHS,
    nearby_showing,
    page_state,
    paths_showing,
    paths_showing_places,
)
from regions.factories import RegionPageFactory

pytestmark = pytest.mark.django_db


def _place(region, slug, lat, lon):
    return PlacePageFactory(
        parent=region, slug=slug, latitude=Decimal(str(lat)), longitude=Decimal(str(lon))
    )


@pytest.fixture
def layout(region, home_page):
    """Altmark with a cluster of four places; Harz far away with two."""
    harz = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    places = {
        "a": _place(region, "a", 52.80, 11.10),
        "b": _place(region, "b", 52.81, 11.10),
        "c": _place(region, "c", 52.82, 11.10),
        "d": _place(region, "d", 52.83, 11.10),
        "h1": _place(harz, "h1", 51.80, 10.60),
        "h2": _place(harz, "h2", 51.81, 10.60),
    }
    return {"harz": harz, **places}


def test_place_covers_itself_region_listings_and_exports(layout):
    paths = paths_showing(layout["a"])
    assert "/altmark/a/" in paths
    assert "/altmark/" in paths
    assert paths >= PLACE_LISTING_PATHS
    for path in ("/", "/orte/", "/feeds/orte.atom", "/sitemap.xml", "/api/orte.geojson"):
        assert path in paths
    assert "/api/orte.csv" in paths
    # Another region's page is not affected.
    assert "/harz/" not in paths


def test_nearby_lists_are_exact(layout):
    # The Harz places are the only candidates near each other: each shows the other, the
    # four Altmark places (2 of them are always among h1's three nearest).
    paths = paths_showing(layout["h1"])
    assert "/harz/h2/" in paths
    # a, b, c, d: their three nearest are each other – h1 is not among them.
    assert not {"/altmark/a/", "/altmark/b/", "/altmark/c/", "/altmark/d/"} & paths
    # a is among the three nearest of b, c, d (d: c, b, a).
    near_a = paths_showing(layout["a"])
    assert {"/altmark/b/", "/altmark/c/", "/altmark/d/"} <= near_a
    # h1 and h2 have only five others: a is in their top three? h1's nearest: h2, then the
    # Altmark cluster from south to north (a, b) – so a is, d is not.
    assert "/harz/h1/" in near_a
    assert "/harz/h1/" not in paths_showing(layout["d"])


def test_nearby_matches_the_rendered_lists(layout, client):
    """Cross-check against „Orte in der Nähe“ as the place pages render it."""
    shown = {}
    for place in PlacePage.objects.visible():
        html = client.get(place.url).content.decode()
        section = html.split('id="in-der-naehe"', 1)[1] if "in-der-naehe" in html else ""
        shown[place.url] = set(re.findall(r'<h3><a href="([^"]+)"', section))
    assert all(len(links) == 3 for links in shown.values())
    for key in ("a", "b", "d", "h1"):
        target = layout[key]
        expected = {url for url, links in shown.items() if target.url in links}
        got = nearby_showing([(target.pk, target.latitude, target.longitude)])
        assert got == expected, key


def test_unpublished_place_still_reports_where_it_was_shown(layout):
    place = layout["a"]
    place.unpublish()
    paths = paths_showing(place)
    assert {"/altmark/a/", "/altmark/", "/orte/", "/altmark/b/"} <= paths


def test_move_reports_old_and_new_paths_and_both_regions(layout):
    place = layout["a"]
    before = page_state(place)
    place.move(layout["harz"], pos="last-child")
    place.refresh_from_db()
    paths = paths_showing(place, previous=before)
    assert {"/altmark/a/", "/harz/a/", "/altmark/", "/harz/"} <= paths


def test_changed_coordinates_cover_old_and_new_neighbours(layout):
    place = layout["h1"]
    before = page_state(place)
    place.latitude, place.longitude = Decimal("52.815"), Decimal("11.10")
    place.save_revision().publish()
    place.refresh_from_db()
    paths = paths_showing(place, previous=before)
    assert "/harz/h2/" in paths  # showed h1 at the old spot
    assert "/altmark/b/" in paths  # shows h1 at the new spot
    assert "/harz/h1/" in paths


def test_region_covers_its_places_not_other_regions(layout):
    paths = paths_showing(layout["harz"])
    assert {"/harz/", "/harz/h1/", "/harz/h2/", "/", "/orte/", "/sitemap.xml"} <= paths
    assert "/altmark/" not in paths
    assert "/altmark/a/" not in paths


def test_home_and_content_pages(home_page, layout):
    assert paths_showing(home_page) == {"/", "/sitemap.xml", "/suche/"}
    impressum = ContentPageFactory(parent=home_page, title="Impressum", slug="impressum")
    assert paths_showing(impressum) == {"/impressum/", "/sitemap.xml", "/suche/"}
    assert "/orte/" not in paths_showing(impressum)


def test_unpublishing_the_home_page_reaches_every_page_below_it(home_page, layout):
    home_page.live = False
    unpublished = paths_showing(home_page, previous=page_state(home_page))
    assert {"/altmark/", "/altmark/a/", "/harz/", "/harz/h2/"} <= unpublished
    assert unpublished >= PLACE_LISTING_PATHS
    home_page.save()
    home_page.live = True
    assert paths_showing(home_page, previous=page_state(home_page)) == unpublished
    # A plain re-publish of the home page changes only the home page and the site index.
    home_page.save()
    assert paths_showing(home_page, previous=page_state(home_page)) == {
        "/",
        "/sitemap.xml",
        "/suche/",
    }


def test_pages_linking_to_a_page_show_it(home_page, layout):
    impressum = ContentPageFactory(parent=home_page, title="Impressum", slug="impressum")
    about = ContentPageFactory(
        parent=home_page,
        slug="ueber",
        intro=f'<p><a linktype="page" id="{impressum.pk}">Impressum</a></p>',
    )
    about.save_revision().publish()
    assert "/ueber/" in paths_showing(impressum)
    before = page_state(impressum)
    impressum.move(about, pos="last-child")
    impressum.refresh_from_db()
    assert {"/impressum/", "/ueber/impressum/", "/ueber/"} <= paths_showing(
        impressum, previous=before
    )


def test_data_many_places_show_reaches_their_pages_regions_lists_and_neighbours(layout):
    paths, own = paths_showing_places(PlacePage.objects.filter(pk=layout["h1"].pk))
    assert own == {"/harz/h1/"}
    assert {"/harz/h1/", "/harz/", "/harz/h2/"} | PLACE_LISTING_PATHS <= paths
    assert not {"/altmark/", "/altmark/a/"} & paths
    # A field is in the filter form of every listing.
    paths, _own = paths_showing_places(PlacePage.objects.none(), every_region=True)
    assert {"/altmark/", "/harz/"} | PLACE_LISTING_PATHS <= paths
