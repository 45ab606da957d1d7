"""``?locale=``: the API in German (the default, unchanged) and English (``api.locale``).

A place with a live English translation and one without: the same German pages in the same
order in both languages, the translated one with its English texts, every address under
``/en/``, the German ids; other values a 400 in German; German and English answers never
share a validator; the production-like caches are on (cms/settings/test.py)."""

import json
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import APIToken

import pytest

from api.tests.event_fixtures import day, publish_event
from core.data_version import bump_version
from places.factories import PlacePageFactory
from places.models import PlacePage
from tests.translations import translate

pytestmark = pytest.mark.django_db

PLACES = "/api/v2/pages/?type=places.PlacePage"
ALL = PLACES + "&fields=*"


def place_at(region, title, slug, **fields):
    place = PlacePageFactory(
        parent=region,
        title=title,
        slug=slug,
        teaser=f"{title}: ein Ort in der Altmark.",
        latitude=Decimal("52.850000"),
        longitude=Decimal("11.150000"),
        story=[("paragraph", f"<p>Die Geschichte von {title}.</p>")],
        **fields,
    )
    place.save_revision().publish()
    return PlacePage.objects.get(pk=place.pk)


@pytest.fixture
def places(region):
    """``(translated, untranslated)``: two German places, the first translated."""
    translated = place_at(region, "Gutshof Wiesengrund", "gutshof-wiesengrund")
    untranslated = place_at(region, "Alte Schule", "alte-schule")
    return translated, untranslated


@pytest.fixture
def english(places):
    return translate(
        places[0],
        title="Wiesengrund Manor",
        teaser="A manor house with coworking.",
        story=[("paragraph", "<p>The story of the manor.</p>")],
    )


def get(client, url, status=200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, (url, response.content[:500])
    return response


def items(client, url):
    return get(client, url).json()["items"]


def by_id(found):
    return {item["id"]: item for item in found}


def test_german_answers_are_unchanged_by_translations(client, places, region):
    urls = [
        ALL,
        PLACES,
        "/api/v2/pages/",
        "/api/v2/pages/?type=regions.RegionPage&fields=*",
        f"/api/v2/pages/{places[0].pk}/",
        f"/api/v2/pages/{region.pk}/",
        "/api/v3/pages/",
        "/api/v3/pages/?type=places.PlacePage",
        f"/api/v3/pages/{places[0].pk}/",
        "/api/orte.geojson",
        "/api/orte.csv",
    ]
    before = {url: get(client, url).content for url in urls}
    counts = {url: len(items(client, url)) for url in urls[:3]}
    translate(places[0], title="Wiesengrund Manor")
    translate(places[1], title="Old School").unpublish()  # a draft translation as well
    for url in urls:
        assert get(client, url).content == before[url], url
        separator = "&" if "?" in url else "?"
        assert get(client, f"{url}{separator}locale=de").content == before[url], url
    # The English tree's pages are never extra items.
    assert {url: len(items(client, url)) for url in urls[:3]} == counts
    assert get(client, "/api/v3/pages/").json()["count"] == 4  # home, region, two places
    for search in ("/api/v2/pages/?search=Manor", "/api/v3/pages/?search=Manor"):
        assert "Manor" not in get(client, search).content.decode()
    found = items(client, "/api/v2/pages/?search=Gutshof&locale=en")
    assert [item["title"] for item in found] == ["Wiesengrund Manor"]


def test_v2_listing_in_english(client, places, english, region):
    translated, untranslated = places
    german = items(client, ALL)
    for url in (ALL, PLACES, ALL + "&order=-title", "/api/v2/pages/"):
        in_german = items(client, url)
        in_english = items(client, url + ("&" if "?" in url else "?") + "locale=en")
        assert [item["id"] for item in in_english] == [item["id"] for item in in_german]
        found = by_id(in_english)
        assert found[translated.pk]["title"] == "Wiesengrund Manor"
        assert found[translated.pk]["meta"]["locale"] == "en"
        assert found[translated.pk]["meta"]["html_url"] == (
            "http://localhost/en/altmark/gutshof-wiesengrund/"
        )
        assert found[untranslated.pk]["title"] == "Alte Schule"
        assert found[untranslated.pk]["meta"]["locale"] == "de"
        assert found[untranslated.pk]["meta"]["html_url"] == (
            "http://localhost/en/altmark/alte-schule/"
        )
        if region.pk in found:
            assert found[region.pk]["meta"]["html_url"] == "http://localhost/en/altmark/"
    item = by_id(items(client, ALL + "&locale=en"))[translated.pk]
    assert item["teaser"] == "A manor house with coworking."
    assert item["story"][0]["value"] == "<p>The story of the manor.</p>"
    # The German place's own data: its slug, region, coordinates.
    german_item = by_id(german)[translated.pk]
    for name in ("region", "coordinates", "categories", "status"):
        assert item[name] == german_item[name]
    assert item["meta"]["slug"] == "gutshof-wiesengrund"


def test_stored_english_items_are_those_rendered_afresh(client, places, english):
    """The listing joined from stored items (translations' in their own rows, German ones
    at English addresses) is byte for byte the one serialised per request."""
    from api.v2.endpoints import PublicPagesAPIViewSet

    for url in (ALL + "&locale=en", PLACES + "&locale=en"):
        bump_version()
        first = get(client, url).content  # renders and stores
        bump_version()
        again = get(client, url).content  # joins the stored items
        assert again == first
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(PublicPagesAPIViewSet, "snapshot_columns", lambda self, sliced: None)
            bump_version()
            fresh = get(client, url).content
        assert fresh == first, url


def test_v2_detail_in_english(client, places, english, region):
    translated, untranslated = places
    page = get(client, f"/api/v2/pages/{translated.pk}/?locale=en").json()
    assert page["id"] == translated.pk
    assert page["title"] == "Wiesengrund Manor"
    assert page["meta"]["locale"] == "en"
    assert page["meta"]["html_url"] == "http://localhost/en/altmark/gutshof-wiesengrund/"
    assert page["meta"]["parent"]["id"] == region.pk
    assert page["meta"]["parent"]["meta"]["html_url"] == "http://localhost/en/altmark/"
    assert page["story"][0]["value"] == "<p>The story of the manor.</p>"
    page = get(client, f"/api/v2/pages/{untranslated.pk}/?locale=en").json()
    assert page["title"] == "Alte Schule"
    assert page["meta"]["locale"] == "de"
    assert page["meta"]["html_url"] == "http://localhost/en/altmark/alte-schule/"
    page = get(client, f"/api/v2/pages/{translated.pk}/?locale=de").json()
    assert page["title"] == "Gutshof Wiesengrund" and page["meta"]["locale"] == "de"
    # The English page's own id is not an item of the API.
    get(client, f"/api/v2/pages/{english.pk}/?locale=en", status=404)
    # ``find`` takes the English address and keeps the language.
    response = get(
        client, "/api/v2/pages/find/?html_path=/en/altmark/gutshof-wiesengrund/", status=302
    )
    assert response["Location"].endswith(f"/api/v2/pages/{translated.pk}/?locale=en")


def test_v3_in_english(client, places, english):
    translated, untranslated = places
    listing = get(client, "/api/v3/pages/?type=places.PlacePage&locale=en").json()
    found = by_id(listing["items"])
    assert listing["count"] == 2 and set(found) == {translated.pk, untranslated.pk}
    assert found[translated.pk]["title"] == "Wiesengrund Manor"
    assert found[translated.pk]["meta"]["locale"] == "en"
    assert found[untranslated.pk]["meta"]["locale"] == "de"
    assert found[untranslated.pk]["meta"]["html_url"].endswith("/en/altmark/alte-schule/")
    assert by_id(get(client, "/api/v3/pages/?locale=en").json()["items"])[translated.pk][
        "title"
    ] == ("Wiesengrund Manor")
    page = get(client, f"/api/v3/pages/{translated.pk}/?locale=en").json()
    assert page["id"] == translated.pk and page["title"] == "Wiesengrund Manor"
    assert page["teaser"] == "A manor house with coworking."
    assert page["meta"]["html_url"] == "http://localhost/en/altmark/gutshof-wiesengrund/"
    assert page["meta"]["parent"]["meta"]["html_url"] == "http://localhost/en/altmark/"
    german = get(client, f"/api/v3/pages/{translated.pk}/").json()
    assert german["title"] == "Gutshof Wiesengrund" and german["meta"]["locale"] == "de"


def test_v3_token_holders_get_wagtails_own_locale_filter(client, places, english, admin_user):
    """Editors working on translations: with a token, ``locale`` is Wagtail's filter (the
    pages of that locale, with their own ids), not the German tree in English."""
    translated, untranslated = places
    _, token = APIToken.create_token(user=admin_user, name="Übersetzung")
    headers = {"authorization": f"Bearer {token}"}
    found = get(client, "/api/v3/pages/?type=places.PlacePage&locale=en", headers=headers).json()[
        "items"
    ]
    assert [(item["id"], item["title"]) for item in found] == [(english.pk, "Wiesengrund Manor")]
    assert english.pk != translated.pk
    german = get(client, "/api/v3/pages/?type=places.PlacePage&locale=de", headers=headers)
    assert {item["id"] for item in german.json()["items"]} == {translated.pk, untranslated.pk}


def test_geojson_and_csv_in_english(client, places, english):
    translated, untranslated = places
    german = get(client, "/api/orte.geojson").json()["features"]
    features = get(client, "/api/orte.geojson?locale=en").json()["features"]
    assert [feature["id"] for feature in features] == [feature["id"] for feature in german]
    found = {feature["id"]: feature["properties"] for feature in features}
    assert found[translated.pk]["title"] == "Wiesengrund Manor"
    assert found[translated.pk]["teaser"] == "A manor house with coworking."
    assert found[untranslated.pk]["title"] == "Alte Schule"
    for pk, slug in ((translated.pk, "gutshof-wiesengrund"), (untranslated.pk, "alte-schule")):
        assert found[pk]["url"] == f"/en/altmark/{slug}/"
        assert found[pk]["full_url"] == f"http://localhost/en/altmark/{slug}/"
        assert found[pk]["api_url"] == f"http://localhost/api/v2/pages/{pk}/"
    # Stored pieces (the second time) are the same bytes.
    body = get(client, "/api/orte.geojson?locale=en&region=altmark").content
    bump_version()
    assert get(client, "/api/orte.geojson?locale=en&region=altmark").content == body

    rows = get(client, "/api/orte.csv?locale=en").content.decode("utf-8-sig").splitlines()
    assert "Wiesengrund Manor" in rows[1] + rows[2]
    assert rows[1].endswith("/en/altmark/alte-schule/")
    assert rows[2].endswith("/en/altmark/gutshof-wiesengrund/")


def test_event_feeds_in_english(client, places, english):
    translated, _untranslated = places
    event = publish_event(translated, title="Hoffest", start_date=day(3))
    translate(event, title="Farm festival", teaser="Music and cake.")
    features = get(client, "/api/veranstaltungen.geojson?locale=en").json()["features"]
    [properties] = [feature["properties"] for feature in features]
    assert properties["id"] == event.pk and properties["title"] == "Farm festival"
    assert properties["url"] == "/en/altmark/gutshof-wiesengrund/hoffest/"
    assert properties["place"]["title"] == "Wiesengrund Manor"
    assert properties["place"]["url"] == "/en/altmark/gutshof-wiesengrund/"
    german = get(client, "/api/veranstaltungen.geojson").json()["features"][0]["properties"]
    assert german["title"] == "Hoffest" and german["url"].startswith("/altmark/")
    calendar = get(client, "/api/veranstaltungen.ics?locale=en").content.decode()
    assert "SUMMARY:Farm festival" in calendar
    assert "/en/altmark/gutshof-wiesengrund/hoffest/" in calendar.replace("\r\n ", "")
    listing = items(client, "/api/v2/pages/?type=events.EventPage&fields=*&locale=en")
    assert listing[0]["title"] == "Farm festival"
    assert listing[0]["place"]["title"] == "Wiesengrund Manor"
    assert listing[0]["place"]["url"] == "http://localhost/en/altmark/gutshof-wiesengrund/"


@pytest.mark.parametrize(
    "url",
    [
        ALL,
        "/api/v2/pages/",
        "/api/v2/pages/{pk}/",
        "/api/v2/images/",
        "/api/v3/pages/",
        "/api/v3/pages/{pk}/",
        "/api/orte.geojson",
        "/api/orte.csv",
        "/api/veranstaltungen.geojson",
        "/api/veranstaltungen.ics",
    ],
)
def test_another_language_is_a_400_in_german(client, places, url):
    url = url.format(pk=places[0].pk)
    separator = "&" if "?" in url else "?"
    for value in ("fr", "EN", "english"):
        response = get(client, f"{url}{separator}locale={value}", status=400)
        if response["Content-Type"].startswith("text/plain"):  # the calendar feed
            body = response.content.decode()
        else:
            body = json.dumps(response.json(), ensure_ascii=False)
        assert f"Unbekannte Sprache (locale): „{value}“. Erlaubt: de, en." in body, body


def test_validators_differ_by_language_and_follow_a_translation(client, places, english):
    translated = places[0]
    urls = [ALL, PLACES, f"/api/v2/pages/{translated.pk}/", "/api/v3/pages/", "/api/orte.geojson"]
    etags = {}
    for url in urls:
        separator = "&" if "?" in url else "?"
        german = get(client, url)
        english_answer = get(client, f"{url}{separator}locale=en")
        assert german["ETag"] != english_answer["ETag"], url
        assert german.content != english_answer.content, url
        # The kept bodies are per language too.
        assert get(client, url).content == german.content
        assert get(client, f"{url}{separator}locale=en").content == english_answer.content
        assert get(client, f"{url}{separator}locale=de")["ETag"] == german["ETag"]
        etags[url] = english_answer["ETag"]
        get(client, f"{url}{separator}locale=en", status=304, HTTP_IF_NONE_MATCH=etags[url])

    english.title = "Wiesengrund Manor House"
    english.save_revision().publish()
    for url in urls:
        separator = "&" if "?" in url else "?"
        response = get(client, f"{url}{separator}locale=en", HTTP_IF_NONE_MATCH=etags[url])
        assert response["ETag"] != etags[url], url
        assert "Wiesengrund Manor House" in response.content.decode(), url
        assert "Wiesengrund Manor House" not in get(client, url).content.decode()


def test_unpublished_translation_falls_back_to_german(client, places, english):
    translated = places[0]
    assert by_id(items(client, ALL + "&locale=en"))[translated.pk]["title"] == "Wiesengrund Manor"
    english.unpublish()
    item = by_id(items(client, ALL + "&locale=en"))[translated.pk]
    assert item["title"] == "Gutshof Wiesengrund" and item["meta"]["locale"] == "de"
    assert item["meta"]["html_url"].endswith("/en/altmark/gutshof-wiesengrund/")
    features = get(client, "/api/orte.geojson?locale=en").json()["features"]
    assert {feature["properties"]["title"] for feature in features} == {
        "Gutshof Wiesengrund",
        "Alte Schule",
    }


def test_english_listing_costs_one_query_more(client, region):
    """Stored items in both languages, the answers rendered (not kept): the English listing
    asks at most one query more (which places have a live translation)."""
    for number in range(6):
        place = place_at(region, f"Ort {number}", f"ort-{number}")
        if number % 2:
            translate(place, title=f"Place {number}")

    def count(url):
        get(client, url)  # stores the items
        bump_version()  # a new data version: rendered, not the kept answer
        with CaptureQueriesContext(connection) as queries:
            body = get(client, url).content
        assert body.count(b"Ort ") >= 3 and (b"Place 1" in body) == ("locale=en" in url)
        return len(queries)

    for url in (ALL, PLACES, "/api/v2/pages/?fields=*", ALL + "&region=altmark"):
        german = count(url)
        assert count(url + "&locale=en") <= german + 1, url
        assert german == count(url)  # nothing left to store
    assert count("/api/orte.geojson?locale=en") <= count("/api/orte.geojson") + 1
    assert count("/api/orte.csv?locale=en") <= count("/api/orte.csv") + 1


def test_an_image_only_the_translation_shows_makes_its_item_fresh(client, places, english):
    """A stored English item depends on the translation's own row: a change to an image
    only its story shows reaches it."""
    from core.factories import CustomImageFactory

    image = CustomImageFactory(description="Bild nur auf Englisch")
    english.story = [("image", {"image": image, "caption": "English only"})]
    english.save_revision().publish()
    item = by_id(items(client, ALL + "&locale=en"))[places[0].pk]
    assert item["story"][0]["value"]["image"]["alt"] == "Bild nur auf Englisch"
    image.description = "Neu beschrieben"
    image.save()
    item = by_id(items(client, ALL + "&locale=en"))[places[0].pk]
    assert item["story"][0]["value"]["image"]["alt"] == "Neu beschrieben"


def test_event_answers_keep_their_language_apart(client, places, english):
    publish_event(places[0], title="Hoffest", start_date=day(1))
    german = get(client, "/api/veranstaltungen.geojson")
    english_answer = get(client, "/api/veranstaltungen.geojson?locale=en")
    assert german["ETag"] != english_answer["ETag"]
    assert english_answer.json()["features"][0]["properties"]["place"]["title"] == (
        "Wiesengrund Manor"
    )
    assert json.loads(german.content)["features"][0]["properties"]["place"]["title"] == (
        "Gutshof Wiesengrund"
    )


def test_gallery_captions_in_english(client, places, settings, tmp_path):
    """The English answers show the translation's gallery captions (as the English place
    page does), every other row its German caption; the German answers keep theirs."""
    from core.factories import CustomImageFactory
    from demo.translations import english_draft
    from places.models import PlaceGalleryImage

    settings.MEDIA_ROOT = tmp_path / "media"
    place = places[0]
    for order, caption in enumerate(["Die Scheune im Winter", "Der Hof von oben"]):
        place.gallery_images.add(
            PlaceGalleryImage(image=CustomImageFactory(), caption=caption, sort_order=order)
        )
    place.save_revision().publish()
    _source, english = english_draft(PlacePage.objects.get(pk=place.pk))
    english = PlacePage.objects.get(pk=english.pk)
    rows = list(english.gallery_images.all())
    rows[0].caption = "The barn in winter"  # the second left as the German one
    english.gallery_images = rows
    english.save_revision().publish()

    def captions(item):
        return [image["caption"] for image in item["gallery"]]

    in_english = ["The barn in winter", "Der Hof von oben"]
    in_german = ["Die Scheune im Winter", "Der Hof von oben"]
    for url in (ALL, ALL + "&rich_text_format=html"):  # stored items; rendered per request
        assert captions(by_id(items(client, url + "&locale=en"))[place.pk]) == in_english
        assert captions(by_id(items(client, url))[place.pk]) == in_german
    detail = f"/api/v2/pages/{place.pk}/"
    assert captions(get(client, detail + "?locale=en").json()) == in_english
    assert captions(get(client, detail).json()) == in_german
    v3_detail = f"/api/v3/pages/{place.pk}/"
    assert captions(get(client, v3_detail + "?locale=en").json()) == in_english
    assert captions(get(client, v3_detail).json()) == in_german
