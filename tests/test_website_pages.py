"""The public website through Django's test client: pages, filters, queries, sharing, headers."""

import json
import re
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from taggit.models import Tag

import pytest

from core.factories import CustomImageFactory
from home.factories import ContentPageFactory
from places.factories import OfferFactory, PlacePageFactory
from places.models import Category, PlaceGalleryImage, PlaceLink, PlacePage, PlacePageTag
from regions.factories import RegionPageFactory

pytestmark = pytest.mark.django_db


def _queries(client, url):
    client.get(url)  # warm per-process caches and create renditions
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def _add_places(region, count, images, start=0):
    """Many places fast: relations written in bulk, no search indexing on the way."""
    categories = list(Category.objects.all())
    offer = OfferFactory(slug="coworking", name="Coworking-Arbeitsplätze")
    tags = [Tag.objects.get_or_create(slug="coworking", defaults={"name": "Coworking"})[0]]
    tags += [
        Tag.objects.get_or_create(slug=f"schlagwort-{n}", defaults={"name": f"Schlagwort {n}"})[0]
        for n in range(5)
    ]
    offers, tagged = [], []
    for number in range(start, start + count):
        place = PlacePageFactory(
            parent=region,
            title=f"Hof {number:03d}",
            slug=f"hof-{number:03d}",
            hero_image=images[number % len(images)],
            municipality=["Salzwedel", "Stendal", "Gardelegen"][number % 3],
            categories=[categories[number % 3]],
            status="im-aufbau" if number % 4 == 0 else "aktiv",
        )
        offers.append(PlacePage.offers.through(placepage_id=place.pk, offer_id=offer.pk))
        tagged.append(PlacePageTag(content_object_id=place.pk, tag=tags[0]))
        tagged.append(PlacePageTag(content_object_id=place.pk, tag=tags[1 + number % 5]))
    PlacePage.offers.through.objects.bulk_create(offers)
    PlacePageTag.objects.bulk_create(tagged)


@pytest.fixture
def no_search_indexing(settings):
    settings.WAGTAILSEARCH_BACKENDS = {
        name: {**config, "AUTO_UPDATE": False}
        for name, config in settings.WAGTAILSEARCH_BACKENDS.items()
    }


# --- Region page -----------------------------------------------------------------------


def test_region_page_query_count_does_not_grow_from_10_to_200_places(
    client, region, no_search_indexing
):
    images = [CustomImageFactory() for _ in range(3)]
    _add_places(region, 10, images)
    url = region.url + "?category=arbeiten-wirtschaft&category=wohnen-bauen&offer=coworking"
    few = _queries(client, url)
    few_plain = _queries(client, region.url)
    _add_places(region, 190, images, start=10)
    assert PlacePage.objects.child_of(region).live().count() == 200
    assert _queries(client, url) == few
    assert _queries(client, region.url) == few_plain


def test_place_index_query_count_is_constant(client, region, no_search_indexing):
    images = [CustomImageFactory() for _ in range(2)]
    _add_places(region, 5, images)
    url = "/orte/?region=altmark&category=arbeiten-wirtschaft&status=aktiv&tag=coworking"
    few = _queries(client, url)
    _add_places(region, 40, images, start=5)
    assert _queries(client, url) == few


def test_region_page_shows_cards_with_badge_municipality_fields_and_credit(client, region):
    image = CustomImageFactory(credit="Foto: Anna Muster")
    PlacePageFactory(
        parent=region,
        title="Alte Schule",
        status="im-aufbau",
        municipality="Kalbe (Milde)",
        hero_image=image,
    )
    html = client.get(region.url).content.decode()
    card = html[html.index('<article class="card">') :]
    card = card[: card.index("</article>")]
    assert "Alte Schule" in card
    assert "im Aufbau" in card
    assert "Kalbe (Milde)" in card
    assert "Arbeiten/Wirtschaft" in card or "Arbeiten" in card
    assert "Foto: Anna Muster" in card
    assert 'loading="lazy"' in card
    assert "image/webp" in card and "srcset=" in card


def test_region_filters_narrow_the_list_and_keep_state_in_form_and_pagination(
    client, region, no_search_indexing
):
    images = [CustomImageFactory()]
    _add_places(region, 60, images)
    other = PlacePageFactory(parent=region, title="Weinhaus", categories=[])
    other.categories.set([Category.objects.get(slug="leben-tourismus")])
    response = client.get(region.url, {"category": "arbeiten-wirtschaft", "offer": "coworking"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Weinhaus" not in html
    assert "20 Orte in der Region" in html  # every third of 60 places
    assert 'value="arbeiten-wirtschaft" checked' in html
    assert 'value="coworking" checked' in html
    assert "Gefiltert nach: Arbeiten/Wirtschaft, Coworking-Arbeitsplätze" in html

    response = client.get(region.url, {"status": "im-aufbau"})
    html = response.content.decode()
    assert "15 Orte in der Region" in html
    assert '<option value="im-aufbau" selected>' in html

    html = client.get(region.url, {"municipality": "Stendal"}).content.decode()
    assert "20 Orte in der Region" in html
    assert '<option value="Stendal" selected>' in html

    # 61 places, 24 per page: pagination links keep the filters.
    html = client.get(region.url, {"tag": "coworking"}).content.decode()
    assert "Seite 1 von 3" in html
    assert 'href="?tag=coworking&amp;page=2"' in html
    page_two = client.get(region.url, {"tag": "coworking", "page": 2}).content.decode()
    assert "Seite 2 von 3" in page_two


def test_invalid_region_filter_shows_a_german_message_and_the_form(client, region):
    PlacePageFactory(parent=region, title="Hof Eins")
    response = client.get(region.url, {"category": "quatsch", "status": "kaputt"})
    html = response.content.decode()
    assert response.status_code == 200  # a Wagtail page; the message is in the page
    assert 'role="alert"' in html
    assert "Unbekannte(r) Themenfeld: quatsch" in html
    assert "Unbekannte(r) Status: kaputt" in html
    assert "Filter anwenden" in html
    assert "Hof Eins" not in html


# --- /orte/, /suche/, embed ---------------------------------------------------------------


def test_place_index_lists_all_regions_and_filters_by_region(client, region, home_page):
    PlacePageFactory(parent=region, title="Gutshof Altmark")
    south = RegionPageFactory(parent=home_page, title="Saale-Unstrut", slug="saale-unstrut")
    PlacePageFactory(parent=south, title="Weinberghaus")
    html = client.get("/orte/").content.decode()
    assert "Gutshof Altmark" in html and "Weinberghaus" in html
    assert 'data-geojson="/api/orte.geojson"' in html
    html = client.get("/orte/", {"region": "saale-unstrut"}).content.decode()
    assert "Weinberghaus" in html and "Gutshof Altmark" not in html
    assert 'data-geojson="/api/orte.geojson?region=saale-unstrut"' in html
    # The embed code carries the current filters.
    assert "/einbetten/karte/?region=saale-unstrut" in html


def test_place_index_with_bad_filters_answers_400_in_the_site_design(client, region):
    # bbox (API only) and unknown parameters such as utm_source are ignored on pages.
    response = client.get("/orte/", {"region": "atlantis", "bbox": "1,2,3,4", "utm_source": "fb"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unbekannte(r) Region: atlantis" in html
    assert "bbox" not in html.split("<main")[1]
    assert '<footer class="site-footer">' in html


def test_search_finds_places_with_highlights_and_is_friendly_on_empty_or_nonsense(client, region):
    place = PlacePageFactory(
        parent=region,
        title="Werkstatt am Deich",
        teaser="Eine offene Werkstatt für alle, die gern reparieren.",
    )
    place.save_revision().publish()
    html = client.get("/suche/", {"q": "Werkstatt"}).content.decode()
    assert "1 Ort für „Werkstatt“" in html
    assert "<mark>Werkstatt</mark> am Deich" in html

    for query in ["", "   ", "&&&|!:*()", "'\"<script>", "-", "a" * 500, "und"]:
        response = client.get("/suche/", {"q": query})
        assert response.status_code == 200, query
        assert "<script>" not in response.content.decode().split("<main")[1]
    assert "Suchen Sie nach Orten" in client.get("/suche/").content.decode()
    assert "können wir leider nichts anfangen" in (
        client.get("/suche/", {"q": "&&&"}).content.decode()
    )


def test_search_uses_german_stemming_on_postgresql(client, region):
    place = PlacePageFactory(
        parent=region,
        title="Gemeinschaftshof",
        teaser="Drei Werkstätten unter einem Dach.",
    )
    place.save_revision().publish()
    html = client.get("/suche/", {"q": "Werkstatt"}).content.decode()
    if connection.vendor == "postgresql":
        # German snowball stemming: „Werkstätten“ and „Werkstatt“ share a stem.
        assert "1 Ort für „Werkstatt“" in html
        assert "Gemeinschaftshof" in html
    else:
        # SQLite's fallback matches words, not stems.
        assert "0 Orte für „Werkstatt“" in html
    assert "Gemeinschaftshof" in client.get("/suche/", {"q": "Werkstätten"}).content.decode()


def test_embed_map_may_be_framed_every_other_page_refuses(client, place):
    embed = client.get("/einbetten/karte/", {"category": "arbeiten-wirtschaft"})
    assert embed.status_code == 200
    # frame-ancestors is always the policy's last directive (core.middleware).
    assert embed["Content-Security-Policy"].endswith("; frame-ancestors *")
    assert "X-Frame-Options" not in embed
    html = embed.content.decode()
    assert 'target="_blank"' in html and place.title in html
    assert 'data-geojson="/api/orte.geojson?category=arbeiten-wirtschaft"' in html
    for url in ["/", place.get_parent().url, place.url, "/orte/", "/suche/?q=Hof", "/nix/"]:
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Content-Security-Policy"].endswith("; frame-ancestors 'none'"), url


def test_embed_map_origins_are_configurable(client, place, settings):
    settings.EMBED_FRAME_ANCESTORS = ["https://www.altmark.de", "https://*.example.org"]
    response = client.get("/einbetten/karte/")
    assert response["Content-Security-Policy"].endswith(
        "; frame-ancestors https://www.altmark.de https://*.example.org"
    )


# --- Place page -----------------------------------------------------------------------------


@pytest.fixture
def rich_place(region):
    image = CustomImageFactory(description="Gutshaus im Abendlicht", credit="Foto: Jo Beispiel")
    place = PlacePageFactory(
        parent=region,
        title='Gutshof </script><script>alert("x")</script>',
        teaser="Wohnen & Arbeiten im Gutshaus.",
        hero_image=image,
        street="Dorfstraße 1",
        opening_hours="Mo-Fr 09:00-17:00; Sa 10:00-14:00; PH off",
        seeking_members=True,
        seeking_members_text="Wir suchen zwei Familien.",
        former_use="Gutshaus",
        founded=2016,
        email="hallo@example.org",
        phone="039089 000 101",
        website="https://gutshof.example.org",
        getting_there="RE 20 bis Salzwedel, dann Bus 300.",
        story=[
            ("heading", {"text": "Das Objekt", "level": "h2"}),
            ("paragraph", "<p>Ein altes Gutshaus.</p>"),
        ],
    )
    place.tags.add("Coworking")
    PlaceLink.objects.create(page=place, platform="instagram", url="https://instagram.com/gut")
    place.save()
    return place


def test_place_page_shows_story_facts_contact_map_and_nearby(client, rich_place, region):
    PlacePageFactory(parent=region, title="Nachbarhof", latitude=Decimal("52.86"))
    html = client.get(rich_place.url).content.decode()
    assert "<h2>Das Objekt</h2>" in html
    assert "Montag bis Freitag 9:00–17:00 Uhr" in html
    assert "An Feiertagen geschlossen" in html
    assert "Wir suchen zwei Familien." in html
    assert "Gutshaus" in html and "2016" in html
    assert "Berlin: " in html and "Hamburg: " in html and "Hannover: " in html
    assert 'href="mailto:hallo@example.org"' in html
    assert 'href="tel:039089000101"' in html
    assert "Instagram" in html
    assert "Foto: Jo Beispiel" in html
    assert "Karte laden" in html and 'data-lat="52.850000"' in html
    assert "Orte in der Nähe" in html and "Nachbarhof" in html
    assert "image/avif" in html


def test_place_page_json_ld_and_sharing_tags_are_safe(client, rich_place):
    html = client.get(rich_place.url).content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "JSON-LD present"
    assert "<script>alert" not in match.group(1)
    data = json.loads(match.group(1))
    assert data["@type"] == "LocalBusiness"
    assert data["name"] == rich_place.title
    assert data["address"]["@type"] == "PostalAddress"
    assert data["address"]["streetAddress"] == "Dorfstraße 1"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 52.85, "longitude": 11.15}
    assert [spec["opens"] for spec in data["openingHoursSpecification"]] == [
        "09:00",
        "10:00",
        "00:00",
    ]
    assert data["image"].startswith("http") and data["image"].endswith(".jpg")
    assert "https://instagram.com/gut" in data["sameAs"]

    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:description" content="Wohnen &amp; Arbeiten im Gutshaus.">' in html
    assert re.search(r'<meta property="og:image" content="http[^"]+\.jpg">', html)
    assert re.search(r'<meta property="og:image:width" content="\d+">', html)
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<link rel="canonical" href="http://testserver{rich_place.url}">' in html


def test_place_without_opening_hours_is_a_plain_place(client, place):
    html = client.get(place.url).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["@type"] == "Place"
    assert "openingHoursSpecification" not in data


def test_place_page_renders_in_a_bounded_number_of_queries(client, rich_place, region):
    for number in range(4):
        PlaceGalleryImage.objects.create(
            page=rich_place, image=CustomImageFactory(), caption=f"Bild {number}"
        )
        PlacePageFactory(parent=region, title=f"Nachbar {number}", hero_image=CustomImageFactory())
    few = _queries(client, rich_place.url)
    for number in range(4, 12):
        PlaceGalleryImage.objects.create(page=rich_place, image=CustomImageFactory())
        PlacePageFactory(parent=region, title=f"Nachbar {number}", hero_image=CustomImageFactory())
    many = _queries(client, rich_place.url)
    assert many == few
    assert many <= 25


# --- Home, feed, sitemap, robots, cookies, errors ---------------------------------------------


def test_home_shows_regions_new_places_map_and_call_to_action(client, region, home_page):
    PlacePageFactory(parent=region, title="Neuer Hof", hero_image=CustomImageFactory())
    html = client.get("/").content.decode()
    assert "Altmark" in html and "1 Ort" in html
    assert "Neu im Portal" in html and "Neuer Hof" in html
    assert "Karte laden" in html
    assert 'href="/mitmachen/"' in html
    for label in ["Impressum", "Datenschutz", "Barrierefreiheit", "Kontakt"]:
        assert f">{label}</a>" in html


def test_atom_feed_lists_newest_places_and_filters(client, region, home_page):
    now = timezone.now()
    for number in range(25):
        place = PlacePageFactory(parent=region, title=f"Ort {number:02d}")
        PlacePage.objects.filter(pk=place.pk).update(
            first_published_at=now - timedelta(days=30 - number)
        )
    south = RegionPageFactory(parent=home_page, title="Saale-Unstrut", slug="saale-unstrut")
    PlacePageFactory(parent=south, title="Weinberghaus").save_revision().publish()

    response = client.get("/feeds/orte.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert body.count("<entry>") == 20
    assert body.index("Weinberghaus") < body.index("Ort 24") < body.index("Ort 23")
    assert "Ort 04" not in body

    body = client.get("/feeds/orte.atom", {"region": "saale-unstrut"}).content.decode()
    assert body.count("<entry>") == 1 and "Weinberghaus" in body
    body = client.get("/feeds/orte.atom", {"category": "wohnen-bauen"}).content.decode()
    assert body.count("<entry>") == 0
    bad = client.get("/feeds/orte.atom", {"category": "unsinn"})
    assert bad.status_code == 400
    assert "Themenfeld" in bad.content.decode()


def test_sitemap_and_robots(client, place, home_page):
    ContentPageFactory(parent=home_page, title="Impressum", slug="impressum")
    sitemap = client.get("/sitemap.xml").content.decode()
    for path in ["/", "/altmark/", place.url, "/impressum/"]:
        assert f"<loc>http://testserver{path}</loc>" in sitemap
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()
    assert "Disallow: /admin/" in robots.content.decode()


def test_sitemap_leaves_out_what_the_public_may_not_see(client, rf, region, place, home_page):
    """Drafts, unpublished pages and pages under a view restriction (on the page or an
    ancestor) stay out, in both languages (website/tests: the alternates); a few queries
    however many pages."""
    from wagtail.models import PageViewRestriction, Site

    ContentPageFactory(parent=home_page, title="Impressum", slug="impressum")
    other = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    PlacePageFactory(parent=other, title="Im Harz", slug="im-harz")
    hidden = PlacePageFactory(parent=region, title="Entwurf", slug="entwurf")
    hidden.unpublish()
    secret = RegionPageFactory(parent=home_page, title="Geheim", slug="geheim")
    PlacePageFactory(parent=secret, title="Darunter", slug="darunter")
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    PlacePageFactory(parent=region, title="Zweiter Ort", slug="zweiter-ort")

    # Ours names the request's host, Wagtail's the site's: the same when they agree.
    site = Site.objects.get(is_default_site=True)
    site.hostname = "testserver"
    site.save()  # also empties Wagtail's cached site root paths
    ours = client.get("/sitemap.xml")
    text = ours.content.decode()
    assert "/altmark/zweiter-ort/" in text and "/harz/im-harz/" in text
    assert "/en/altmark/zweiter-ort/" in text and "/en/harz/im-harz/" in text
    assert "entwurf" not in text and "geheim" not in text
    assert _queries(client, "/sitemap.xml") <= 4


def test_public_pages_set_no_cookies(client, place):
    for url in ["/", "/altmark/", place.url, "/orte/", "/suche/?q=Hof", "/einbetten/karte/"]:
        response = client.get(url)
        assert not response.cookies, (url, response.cookies)
        assert "csrfmiddlewaretoken" not in response.content.decode()


def test_404_is_in_the_site_design(client, home_page):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Seite nicht gefunden" in html and '<footer class="site-footer">' in html


def test_500_template_renders_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Das hat leider nicht geklappt" in html and "Impressum" in html


@pytest.mark.parametrize("restricted", ["region", "place", "home", "alias"])
def test_view_restrictions_hold_on_the_fast_routes(
    client, region, place, home_page, restricted, django_capture_on_commit_callbacks
):
    """Regions and places are routed with their restriction status in the same query; a
    restriction on the page, an ancestor or the original of an alias still asks for the
    password, and an unrestricted page is served without asking."""
    from wagtail.models import PageViewRestriction

    target = {"region": region, "place": place, "home": home_page}.get(restricted)
    url = place.url
    if restricted == "alias":
        other = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
        secret = PlacePageFactory(parent=other, title="Geheimer Ort", slug="geheim")
        alias = secret.create_alias(parent=region, update_slug="geheim-alias")
        target, url = secret, alias.url
    assert 'type="password"' not in client.get(url).content.decode()
    # The page cache forgets every page when the restriction is committed.
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=target, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
        )
    for path in {url, region.url} if restricted != "place" else {url}:
        if restricted == "alias" and path == region.url:
            continue
        html = client.get(path).content.decode()
        assert 'type="password"' in html, path
        assert "Geheimer Ort" not in html and place.teaser not in html, path
    if restricted == "place":
        assert 'type="password"' not in client.get(region.url).content.decode()
