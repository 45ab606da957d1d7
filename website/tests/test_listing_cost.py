"""The listings' cheaper queries and rendering (``website.listing``, docs/performance.md,
"Listings"): the filter choices, the total and the pages must stay exactly what the plain
queries gave, with unpublished and view-restricted places left out."""

import re
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from bench.dataset import create_places
from core.factories import CustomImageFactory
from places.factories import OfferFactory, PlacePageFactory
from places.models import PlacePage
from regions.factories import RegionPageFactory
from website.cards import for_cards
from website.listing import _choices, build_listing, paginate, shared_listing_data
from website.page_cache import BYPASS_ENVIRON

pytestmark = pytest.mark.django_db

#: Requests as the static build makes them (``staticsite.render``): the page cache's bypass
#: keeps it (on, as in production) out of the way, so the view renders.
AS_THE_BUILD = {BYPASS_ENVIRON: "1"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def hidden_only(region, home_page):
    """An offer, a tag and a municipality that only hidden places have: a draft, a place
    with its own password and the places of a restricted region."""
    shown = PlacePageFactory(parent=region, title="Sichtbar", municipality="Stendal")
    shown.tags.add("Offen")
    shown.save()
    secret = OfferFactory(name="Geheimes Angebot", slug="geheim")
    draft = PlacePageFactory(
        parent=region, title="Entwurf", municipality="Entwurfsdorf", live=False
    )
    protected = PlacePageFactory(parent=region, title="Geschützt", municipality="Passwortdorf")
    PageViewRestriction.objects.create(page=protected, restriction_type="password", password="x")
    closed = RegionPageFactory(parent=home_page, title="Geschlossen", slug="geschlossen")
    PageViewRestriction.objects.create(page=closed, restriction_type="login")
    inside = PlacePageFactory(parent=closed, title="Drinnen", municipality="Verborgenheim")
    for place in (draft, protected, inside):
        place.offers.add(secret)
        place.tags.add("Versteckt")
        place.save()
    return shown


def choice_values(choices, kind):
    return [value for value, _label in choices[kind]]


def test_choices_offer_only_what_visible_places_have(hidden_only, region):
    for scope, with_regions in ((PlacePage.objects.visible(), True), (region.get_places(), False)):
        choices = _choices(scope, with_regions=with_regions)
        assert choice_values(choices, "municipality") == ["Stendal"]
        assert choice_values(choices, "tag") == ["offen"]
        assert "geheim" not in choice_values(choices, "offer")
        # Every field is offered, with or without places.
        assert len(choices["category"]) == 3
    assert choice_values(_choices(PlacePage.objects.visible(), with_regions=True), "region") == [
        "altmark"
    ]
    assert "region" not in _choices(region.get_places(), with_regions=False)


def test_choices_list_offers_and_tags_of_visible_places_in_their_order(region):
    late = OfferFactory(name="Zuletzt", slug="zuletzt", sort_order=99)
    early = OfferFactory(name="Zuerst", slug="zuerst", sort_order=0)
    for title, municipality in (("B", "beetzendorf"), ("A", "Arendsee")):
        place = PlacePageFactory(parent=region, title=title, municipality=municipality)
        place.offers.set([late, early])
        place.tags.add("Zebra", "Apfel")
        place.save()
    choices = _choices(PlacePage.objects.visible(), with_regions=True)
    assert choice_values(choices, "offer") == ["zuerst", "zuletzt"]
    assert choice_values(choices, "tag") == ["apfel", "zebra"]
    assert choice_values(choices, "municipality") == ["Arendsee", "beetzendorf"]


def test_total_and_pages_leave_hidden_places_out(client, hidden_only):
    response = client.get("/orte/")
    main = response.content.decode()
    assert "1 Ort" in main
    assert "Sichtbar" in main
    for hidden in ("Entwurf", "Geschützt", "Drinnen", "Entwurfsdorf", "Verborgenheim"):
        assert hidden not in main


@pytest.mark.parametrize("count", [0, 1, 5, 6, 12])
def test_paginate_matches_djangos_paginator(region, count):
    create_places(count, regions=(region.slug,), images=2)
    queryset = PlacePage.objects.visible().order_by("title", "pk")
    huge = "99999999999999999999"  # beyond the database's OFFSET: the last page too
    for raw in (None, "", "1", "2", "3", "4", "99", "0", "-1", "x", "2.0", "1e3", huge):
        expected = Paginator(for_cards(queryset), 5).get_page(raw)
        for mode in ("plain", "memo", "count known"):
            if mode == "memo":
                with shared_listing_data():
                    page = paginate(queryset, raw, 5, memo_key="test")
            elif mode == "count known":  # kept by data version (``build_listing``)
                page = paginate(queryset, raw, 5, count=count)
            else:
                page = paginate(queryset, raw, 5)
            assert page.number == expected.number, (raw, mode)
            assert page.paginator.count == expected.paginator.count == count
            assert page.paginator.num_pages == expected.paginator.num_pages
            assert [p.pk for p in page.object_list] == [p.pk for p in expected.object_list]


def listing_queries(url) -> list[str]:
    request = RequestFactory().get(url)
    with CaptureQueriesContext(connection) as captured:
        listing = build_listing(request, PlacePage.objects.visible())
        [place.title for place in listing.places]
    return [query["sql"] for query in captured.captured_queries]


def test_listing_queries_do_not_depend_on_the_number_of_places(region):
    """The same statements (so also prepared once) with few and many places: no query per
    place, offer or tag; the COUNT comes with the page's ids."""
    create_places(30, regions=(region.slug,), images=2)
    few = listing_queries("/orte/?page=2&status=aktiv,im-aufbau")
    create_places(90, regions=(region.slug,), images=2)
    many = listing_queries("/orte/?page=2&status=aktiv,im-aufbau")
    assert len(few) == len(many)
    assert not any(sql.lstrip().upper().startswith("SELECT COUNT(") for sql in many)
    assert sum("OVER ()" in sql for sql in many) == 1


def test_shared_listing_data_reads_choices_and_ids_once_per_listing(client, region):
    """As in a static build: every further page of a listing loads only its cards, and
    the pages are the same as without sharing."""
    create_places(60, regions=(region.slug,), images=2)
    urls = [f"/orte/?page={n}" for n in (1, 2, 3)] + [f"{region.url}?page={n}" for n in (1, 2)]

    def main(response):
        return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)

    plain = [main(client.get(url)) for url in urls]
    counts = []
    with shared_listing_data():
        shared = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                shared.append(main(client.get(url, **AS_THE_BUILD)))
            counts.append(len(captured))
    assert shared == plain
    # The first page of each scope reads the choices (with the regions on /orte/) and the
    # ids; the others don't.
    assert counts[1] == counts[2] == counts[0] - 3, counts
    assert counts[4] == counts[3] - 2, counts


def test_responsive_picture_keeps_wagtails_markup_and_follows_a_changed_rendition(region):
    image = CustomImageFactory()
    place = PlacePageFactory(parent=region, hero_image=image)
    place = for_cards(PlacePage.objects.filter(pk=place.pk)).get()
    engine = engines["django"]
    args = (
        'place.hero_image "format-{webp,jpeg}" "fill-{400x250,800x500}-c80" '
        'sizes="(min-width: 40rem) 22rem, 100vw" alt="" loading="lazy" decoding="async"'
    )
    # Wagtail's tag takes the filter specs unquoted.
    wagtail = engine.from_string(
        "{% load wagtailimages_tags %}{% picture " + args.replace('"', "", 4) + " %}"
    )
    fast = engine.from_string("{% load places_tags %}{% responsive_picture " + args + " %}")
    expected = wagtail.render({"place": place})
    assert "<picture>" in expected and 'srcset="' in expected
    assert fast.render({"place": place}) == expected
    assert fast.render({"place": place}) == expected  # kept markup
    # A rendition made anew (e.g. after a new focal point) gets a new file: new markup.
    image.renditions.all().delete()
    image.focal_point_x, image.focal_point_y = 10, 10
    image.focal_point_width = image.focal_point_height = 20
    image.save()
    place = for_cards(PlacePage.objects.filter(pk=place.pk)).get()
    changed = wagtail.render({"place": place})
    assert changed != expected
    assert fast.render({"place": place}) == changed


def test_a_store_lasts_across_blocks_and_live_requests_never_use_it(client, region):
    create_places(30, regions=(region.slug,), images=2)
    store = {}
    with shared_listing_data(store):
        client.get("/orte/", **AS_THE_BUILD)
    with shared_listing_data(store), CaptureQueriesContext(connection) as shared:
        client.get("/orte/?page=2", **AS_THE_BUILD)
    with CaptureQueriesContext(connection) as live:
        client.get("/orte/?page=2")
    # Choices, regions and the page's ids with the total come from the store.
    assert len(shared) == len(live) - 3
    PlacePageFactory(parent=region, title="AAA Neuer Ort")
    assert "AAA Neuer Ort" in client.get("/orte/").content.decode()


def test_cards_rendered_ahead_are_the_cards_the_listings_show(region, home_page, client):
    """The static build renders every place's card ahead (``CardCache.render_ahead``) and
    joins them into the listings: each must be byte for byte the card the live listing
    shows."""
    from places.factories import CategoryFactory
    from website.cards import CARD_VARIANTS, DISTANCE_SLOT, CardCache, card_key, card_rows

    place = PlacePageFactory(
        parent=region,
        title="Kulturbahnhof <Ost> & Co.",
        teaser="Ein Bahnhof wird Kulturort.",
        municipality="Stendal",
        hero_image=CustomImageFactory(credit="Foto: A. Beispiel", licence="CC BY 4.0"),
        status="im-aufbau",
    )
    place.categories.add(CategoryFactory(name="Kultur & Bildung"))
    place.save()
    (row,) = card_rows(PlacePage.objects.filter(pk=place.pk))
    request = RequestFactory().get("/orte/", secure=True, HTTP_HOST="localhost")
    cache = CardCache.for_build("localhost", "any version")
    cards = cache.render_ahead([row], request)
    assert set(cards) == {cache.key(variant, card_key(row)) for variant in CARD_VARIANTS}

    listing = client.get("/orte/", secure=True, HTTP_HOST="localhost").content.decode()
    embed = client.get("/einbetten/karte/", secure=True, HTTP_HOST="localhost").content.decode()
    normal, new_window, nearby = (
        cards[cache.key(variant, card_key(row))] for variant in CARD_VARIANTS
    )
    assert "<picture>" in normal and "Kultur &amp; Bildung" in normal and "im Aufbau" in normal
    assert normal in listing
    assert 'target="_blank"' in new_window
    assert new_window in embed
    assert nearby.count(DISTANCE_SLOT) == 1 and "km entfernt" in nearby


def test_the_filter_form_is_rendered_once_per_listing_in_a_build(client, region):
    """Inside ``shared_listing_data()`` every page of a listing shares its filter form
    (``{% listing_fragment %}``); another filter or the region's listing gets its own."""
    from places.models import Category

    create_places(60, regions=(region.slug,), images=2)
    category = Category.objects.filter(places__isnull=False).first().slug
    urls = [
        "/orte/",
        "/orte/?page=2",
        f"/orte/?category={category}",
        f"/orte/?category={category}&page=2",
        f"{region.url}?page=2",
    ]

    def form(response):
        return re.search(r'<form class="filters".*?</form>', response.content.decode(), re.S)[0]

    plain = [form(client.get(url)) for url in urls]
    assert f'value="{category}" checked' in plain[3]
    assert f'value="{category}" checked' not in plain[1]
    store = {}
    with shared_listing_data(store):
        shared = [form(client.get(url, **AS_THE_BUILD)) for url in urls]
    assert shared == plain
    fragments = [key for key in store if key[0] == "fragment"]
    assert len(fragments) == 3, fragments


def test_nearby_cards_from_the_store_are_the_cards_the_live_place_page_shows(region, client):
    """In a static build the place page joins its nearby places' cards from the store
    (``website.place_page.nearby_listed``, the "+km" variant with the distance filled in):
    the page must be byte for byte the live one, without loading the nearby places."""
    from places.factories import CategoryFactory
    from website.cards import CardCache, card_rows

    culture = CategoryFactory(name="Kultur & Bildung")
    places = []
    spots = ["52.60,11.85", "52.61,11.86", "52.70,11.70", "53.90,11.00"]
    for index, spot in enumerate(spots):
        lat, lon = (Decimal(value) for value in spot.split(","))
        place = PlacePageFactory(
            parent=region,
            title=f"Ort {index} <Alt>",
            latitude=lat,
            longitude=lon,
            hero_image=CustomImageFactory(credit=f"Foto {index}") if index % 2 else None,
        )
        place.categories.add(culture)
        place.save_revision().publish()
        places.append(place)
    url = places[0].url
    live = client.get(url, secure=True, HTTP_HOST="localhost").content.decode()
    assert "ca. 1 km entfernt" in live and "Ort 3 &lt;Alt&gt;" in live

    request = RequestFactory().get("/orte/", secure=True, HTTP_HOST="localhost")
    store = CardCache.for_build("localhost", "any version")
    store.backend.set_many(
        store.render_ahead(card_rows(PlacePage.objects.visible().order_by("pk")), request)
    )
    ahead = len(store.backend._cache)
    with shared_listing_data({}, store), CaptureQueriesContext(connection) as stored_queries:
        built = client.get(url, secure=True, HTTP_HOST="localhost", **AS_THE_BUILD)
    assert built.content.decode() == live
    assert len(store.backend._cache) == ahead  # every card came from the store
    with CaptureQueriesContext(connection) as live_queries:  # rendered live, not a cache hit
        client.get(url, secure=True, HTTP_HOST="localhost", **AS_THE_BUILD)
    assert len(stored_queries) < len(live_queries)

    # A card the store lacks (a place changed since) is rendered and kept.
    store = CardCache.for_build("localhost", "any version")
    with shared_listing_data({}, store):
        built = client.get(url, secure=True, HTTP_HOST="localhost", **AS_THE_BUILD)
        assert built.content.decode() == live
    assert len(store.backend._cache) == 3


def test_later_pages_of_a_listing_render_only_their_own_part_in_a_build(client, region):
    """As in a static build (a store and a card store): the first page of each listing
    renders its whole template, every further page only its ``{% listing_page %}`` block
    into the frame the first one left (``website.listing.ListingResponse``). Every page is
    byte for byte the live page; a listing with errors is rendered whole."""
    from places.models import Category
    from website.cards import CardCache, card_rows

    create_places(60, regions=(region.slug,), images=2)
    category = Category.objects.filter(places__isnull=False).first().slug
    urls = [
        "/orte/",
        "/orte/?page=2",
        "/orte/?page=3",
        "/orte/?page=99",  # past the end: the last page, as live
        f"/orte/?category={category}",
        f"/orte/?category={category}&page=2",
        region.url,
        f"{region.url}?page=2",
        f"{region.url}?page=3",
        "/einbetten/karte/",
        "/einbetten/karte/?page=2",
        "/orte/?category=gibt-es-nicht",
        "/orte/?category=gibt-es-nicht&page=2",
    ]

    def get(url, **extra):
        response = client.get(url, secure=True, HTTP_HOST="localhost", **extra)
        return response.status_code, response.content.decode(), response.templates

    live = [get(url) for url in urls]
    assert "Seite 3 von 3" in live[3][1] and live[-1][0] == 400
    request = RequestFactory().get("/orte/", secure=True, HTTP_HOST="localhost")
    cards = CardCache.for_build("localhost", "any version")
    cards.backend.set_many(
        cards.render_ahead(card_rows(PlacePage.objects.visible().order_by("pk")), request)
    )
    with shared_listing_data({}, cards):
        built = [get(url, **AS_THE_BUILD) for url in urls]

    for url, (status, text, _), (built_status, built_text, _) in zip(
        urls, live, built, strict=True
    ):
        assert (built_status, built_text) == (status, text), url
    rendered_whole = [
        url
        for url, (*_, templates) in zip(urls, built, strict=True)
        if {"base.html", "places/embed_map.html"} & {template.name for template in templates}
    ]
    assert rendered_whole == [
        "/orte/",
        f"/orte/?category={category}",
        region.url,
        "/einbetten/karte/",
        "/orte/?category=gibt-es-nicht",
        "/orte/?category=gibt-es-nicht&page=2",
    ]
