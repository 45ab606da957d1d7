"""Contract tests for Wagtail API v2 at /api/v2/ with the project's fields."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from api.tests.api_fixtures import full_place, image  # noqa: F401
from core.factories import CustomImageFactory
from places.factories import PlacePageFactory
from places.models import Category
from regions.factories import RegionPageFactory

pytestmark = pytest.mark.django_db

PLACE_FIELDS = {
    "id",
    "meta",
    "title",
    "teaser",
    "region",
    "status",
    "categories",
    "tags",
    "offers",
    "seeking_members",
    "seeking_members_text",
    "former_use",
    "actor_type",
    "founded",
    "street",
    "postcode",
    "municipality",
    "district",
    "coordinates",
    "distances",
    "getting_there",
    "contact_person",
    "email",
    "phone",
    "website",
    "opening_hours",
    "links",
    "hero_image",
    "gallery",
    "story",
    "last_checked",
    "external_id",
}
IMAGE_KEYS = {"id", "alt", "credit", "licence", "width", "height", "thumbnail", "large"}


def test_place_detail_shape(client, full_place):  # noqa: F811
    response = client.get(f"/api/v2/pages/{full_place.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == PLACE_FIELDS
    assert data["meta"]["type"] == "places.PlacePage"
    assert data["meta"]["html_url"].endswith("/altmark/gutshof-wiesengrund/")
    assert data["meta"]["parent"]["meta"]["type"] == "regions.RegionPage"
    assert data["region"] == {
        "id": full_place.get_parent().pk,
        "slug": "altmark",
        "title": "Altmark",
    }
    assert data["coordinates"] == {"latitude": 52.85, "longitude": 11.15}
    assert data["categories"] == [
        {"slug": "wohnen-bauen", "name": "Wohnen/Bauen"},
        {"slug": "arbeiten-wirtschaft", "name": "Arbeiten/Wirtschaft"},
    ]
    assert {"slug": "makerspace", "name": "Makerspace"} in data["tags"]
    assert data["offers"][0]["slug"] == "coworking"
    assert data["status"] == "im-aufbau"
    assert set(data["hero_image"]) == IMAGE_KEYS
    assert data["hero_image"]["alt"] == "Backsteinscheune im Abendlicht"
    assert data["hero_image"]["credit"] == "Foto: Anna Muster"
    assert data["hero_image"]["thumbnail"]["width"] == 480
    assert ".fill-480x300" in data["hero_image"]["thumbnail"]["url"]
    assert data["gallery"][0]["caption"] == "Innenhof"
    assert set(data["gallery"][0]) == IMAGE_KEYS | {"caption"}
    assert data["links"] == [{"platform": "instagram", "url": "https://instagram.com/x"}]
    assert data["distances"]["Berlin"] > 100
    types = [block["type"] for block in data["story"]]
    assert types == ["heading", "paragraph", "image", "quote", "key_facts"]
    image_block = data["story"][2]["value"]
    assert image_block["caption"] == "Die Scheune"
    assert image_block["image"]["alt"] == "Backsteinscheune im Abendlicht"
    assert ".width-1200" in image_block["image"]["large"]["url"]
    assert data["story"][4]["value"]["facts"] == [{"label": "Baujahr", "value": "1892"}]
    assert "owner" not in data and "owner" not in data["meta"]


def test_region_and_home_shape(client, full_place, home_page):  # noqa: F811
    region = full_place.get_parent().specific
    PlacePageFactory(parent=region, latitude=Decimal("52.500000"), longitude=Decimal("11.500000"))
    data = client.get(f"/api/v2/pages/{region.pk}/").json()
    assert data["meta"]["type"] == "regions.RegionPage"
    assert data["place_count"] == 2
    assert data["bbox"] == [11.15, 52.5, 11.5, 52.85]
    assert data["intro"].startswith("<p>")
    assert "hero_image" in data

    listing = client.get("/api/v2/pages/?type=regions.RegionPage&fields=place_count,bbox").json()
    assert listing["items"][0]["place_count"] == 2
    assert listing["items"][0]["bbox"] == [11.15, 52.5, 11.5, 52.85]

    home = client.get(f"/api/v2/pages/{home_page.pk}/").json()
    assert home["meta"]["type"] == "home.HomePage"
    assert {"intro", "hero_image", "body"} <= set(home)


def test_place_listing_with_filters(client, region, home_page):
    harz = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    a = PlacePageFactory(parent=region, title="A")
    b = PlacePageFactory(
        parent=harz,
        title="B",
        latitude=Decimal("51.800000"),
        longitude=Decimal("10.600000"),
        categories=[Category.objects.get(slug="leben-tourismus")],
    )
    b.tags.add("Kulturhof")
    b.save()

    def ids(query):
        response = client.get(f"/api/v2/pages/?type=places.PlacePage{query}")
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert sorted(ids("")) == sorted([a.pk, b.pk])
    assert ids("&region=harz") == [b.pk]
    assert ids("&category=arbeiten-wirtschaft") == [a.pk]
    assert ids("&tag=kulturhof") == [b.pk]
    assert ids("&status=aktiv&region=altmark") == [a.pk]
    assert ids("&bbox=10,51,11,52") == [b.pk]
    assert ids("&municipality=salzwedel&region=harz") == [b.pk]
    assert ids("&category=leben-tourismus,arbeiten-wirtschaft&order=title") == [a.pk, b.pk]


@pytest.mark.parametrize(
    ("query", "status", "key"),
    [
        ("?type=places.PlacePage&category=unbekannt", 400, "category"),
        ("?type=places.PlacePage&region=nirgendwo", 400, "region"),
        ("?type=places.PlacePage&offer=nix", 400, "offer"),
        ("?type=places.PlacePage&tag=gibtsnicht", 400, "tag"),
        ("?type=places.PlacePage&status=zu", 400, "status"),
        ("?type=places.PlacePage&bbox=1,2", 400, "bbox"),
        ("?type=places.PlacePage&bbox=x,y,z,w", 400, "bbox"),
        ("?category=wohnen-bauen", 400, "category"),
        ("?type=regions.RegionPage&region=altmark", 400, "region"),
    ],
)
def test_bad_filter_values_are_400_with_errors(client, region, query, status, key):
    response = client.get("/api/v2/pages/" + query)
    assert response.status_code == status
    body = response.json()
    assert key in body["errors"]
    assert body["message"]


@pytest.mark.parametrize(
    ("url", "status", "needle"),
    [
        ("/api/v2/pages/?limit=100000", 400, "limit darf höchstens 100"),
        ("/api/v2/pages/?limit=-1", 400, "limit"),
        ("/api/v2/pages/?offset=abc", 400, "offset"),
        ("/api/v2/pages/?type=gibts.Nicht", 400, "Seitentyp"),
        ("/api/v2/pages/?type=places.Category", 400, "Seitentyp"),
        ("/api/v2/pages/?foo=bar", 400, "foo"),
        ("/api/v2/pages/?fields=geheim", 400, "geheim"),
        ("/api/v2/pages/?type=places.PlacePage&founded=abc", 400, "founded"),
        ("/api/v2/pages/?type=places.PlacePage&last_checked=gestern", 400, "last_checked"),
        ("/api/v2/pages/?type=places.PlacePage&order=owner", 400, "owner"),
        ("/api/v2/pages/?child_of=abc", 400, "child_of"),
        ("/api/v2/pages/?first_published_at=kaputt", 400, "first_published_at"),
        ("/api/v2/pages/abc/", 404, ""),
        ("/api/v2/pages/99999999999999999999999/", 404, ""),
        ("/api/v2/pages/123456/", 404, ""),
        ("/api/v2/pages/find/?id=abc", 400, ""),
        ("/api/v2/images/abc/", 404, ""),
        ("/api/v2/images/?limit=1000", 400, "limit"),
        ("/api/v2/documents/?title=%00", 400, ""),
    ],
)
def test_bad_input_never_500(client, region, url, status, needle):
    response = client.get(url)
    assert response.status_code == status, response.content
    if response.headers.get("Content-Type", "").startswith("application/json"):
        assert needle in response.json().get("message", "") + str(response.json())
    else:
        assert status == 404


def test_limit_max_is_100(client, region):
    assert client.get("/api/v2/pages/?limit=100").status_code == 200


def test_listing_query_count_is_constant(client, region):
    hero = CustomImageFactory()
    story_image = CustomImageFactory()

    def make(n):
        for _ in range(n):
            place = PlacePageFactory(
                parent=region,
                hero_image=hero,
                story=[
                    ("heading", {"text": "Das Objekt", "level": "h2"}),
                    ("paragraph", "<p>Text</p>"),
                    ("image", {"image": story_image, "caption": ""}),
                ],
            )
            place.tags.add("Coworking")
            place.offers.add(*place.offers.model.objects.all()[:2])
            place.gallery_images.create(image=hero)
            place.links.create(platform="x", url="https://x.com/ort")
            place.save()

    url = "/api/v2/pages/?type=places.PlacePage&fields=*&limit=100"

    def count():
        client.get(url)  # renditions exist from here on
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), len(response.json()["items"])

    # 100 places with all fields at the budget: tests/test_query_counts.py (bulk data).
    make(5)
    small, items = count()
    assert items == 5
    make(30)
    large, items = count()
    assert items == 35
    assert small == large, (small, large)
    assert large <= 15


def test_response_has_validators_and_304(client, full_place):  # noqa: F811
    url = "/api/v2/pages/?type=places.PlacePage"
    response = client.get(url)
    assert response["ETag"]
    assert "max-age=0" in response["Cache-Control"]
    again = client.get(url, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    full_place.unpublish()
    fresh = client.get(url, headers={"if-none-match": response["ETag"]})
    assert fresh.status_code == 200
    assert fresh.json()["items"] == []


def test_images_api_shows_alt_credit_licence_but_no_uploader(client, image, admin_user):  # noqa: F811
    image.uploaded_by_user = admin_user
    image.save()
    data = client.get(f"/api/v2/images/{image.pk}/").json()
    assert data["alt"] == "Backsteinscheune im Abendlicht"
    assert data["credit"] == "Foto: Anna Muster"
    assert data["licence"] == "CC BY"
    assert data["thumbnail"]["width"] == 480
    assert "uploaded_by_user" not in data
    assert client.get("/api/v2/images/?uploaded_by_user=1").status_code == 400
    assert client.get("/api/v2/images/?collection=1").status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "?type=places.PlacePage&fields=*",
        "?type=places.PlacePage&fields=*&rich_text_format=markdown&order=-title",
        "?type=places.PlacePage&fields=_,id,title,hero_image,region",
        "?type=places.PlacePage",
        "?type=regions.RegionPage&fields=*",
        "?fields=*",
    ],
)
def test_fast_listing_is_byte_for_byte_wagtails(client, full_place, monkeypatch, query):  # noqa: F811
    """The compiled serializer, the id-first page fetch, the stored place items and the
    orjson renderer change nothing in the output: compare with Wagtail's and DRF's stock
    machinery."""
    from wagtail.api.v2.pagination import WagtailPagination
    from wagtail.api.v2.serializers import PageSerializer

    from rest_framework.renderers import JSONRenderer

    from api.v2.endpoints import PublicPagesAPIViewSet

    PlacePageFactory(parent=full_place.get_parent(), title="Zweiter Ort\u2028mit Umbruch")
    url = "/api/v2/pages/" + query
    fast = client.get(url)
    assert fast.status_code == 200
    stored = client.get(url)  # places: from the items the first request stored
    assert stored.content == fast.content
    monkeypatch.setattr(PublicPagesAPIViewSet, "snapshot_columns", lambda self, sliced: None)
    monkeypatch.setattr(PublicPagesAPIViewSet, "base_serializer_class", PageSerializer)
    monkeypatch.setattr(PublicPagesAPIViewSet, "_serializer_classes", {})
    monkeypatch.setattr(PublicPagesAPIViewSet, "renderer_classes", [JSONRenderer])
    monkeypatch.setattr(PublicPagesAPIViewSet, "fetch_page", staticmethod(list))
    monkeypatch.setattr(PublicPagesAPIViewSet, "pagination_class", WagtailPagination)
    stock = client.get(url)
    assert stock.status_code == 200
    assert fast.content == stock.content


def test_answers_are_kept_per_data_version_and_never_outlive_a_publish(client, region, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PLACES_API_RESPONSE_CACHE_SECONDS = 600
    PlacePageFactory(parent=region, title="Erster Hof")
    url = "/api/v2/pages/?type=places.PlacePage&fields=*&limit=100"
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    # Only the data version's fingerprint is read; the body comes from the cache.
    assert len(queries) == 1, [q["sql"][:80] for q in queries]
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["ETag"] == first["ETag"]
    assert again.get("Vary") == first.get("Vary")
    # Another URL is another answer.
    other = client.get("/api/v2/pages/?type=places.PlacePage&limit=1")
    assert other.json()["meta"]["total_count"] == 1 and other.content != first.content

    PlacePageFactory(parent=region, title="Zweiter Hof").save_revision().publish()
    fresh = client.get(url)
    assert sorted(item["title"] for item in fresh.json()["items"]) == ["Erster Hof", "Zweiter Hof"]
    assert fresh["ETag"] != first["ETag"]


def test_answers_with_an_authorization_header_are_never_kept(client, region, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PLACES_API_RESPONSE_CACHE_SECONDS = 600
    PlacePageFactory(parent=region, title="Erster Hof")
    url = "/api/v2/pages/?type=places.PlacePage"
    client.get(url, headers={"authorization": "Bearer x"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"authorization": "Bearer x"})
    assert response["Cache-Control"] == "private, no-store"
    assert len(queries) > 1
