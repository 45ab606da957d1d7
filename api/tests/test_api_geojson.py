"""Contract tests for /api/orte.geojson and /api/orte.csv."""

import csv
import io
import json
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from api.tests.api_fixtures import full_place, image  # noqa: F401
from api.tests.geojson_validator import GeoJSONError, validate_feature_collection
from places.factories import PlacePageFactory
from places.models import Category, PlacePage
from regions.factories import RegionPageFactory

pytestmark = pytest.mark.django_db

CSV_HEADER = [
    "external_id",
    "title",
    "teaser",
    "street",
    "postcode",
    "municipality",
    "district",
    "latitude",
    "longitude",
    "categories",
    "tags",
    "offers",
    "status",
    "website",
    "email",
    "phone",
    "contact_person",
    "opening_hours",
    "founded",
    "former_use",
    "url",
]


def geojson(client, query=""):
    response = client.get(f"/api/orte.geojson{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    validate_feature_collection(data)
    return data


def test_feature_shape(client, full_place):  # noqa: F811
    data = geojson(client)
    assert data["license"]["name"] == "CC BY 4.0"
    assert data["license"]["url"].startswith("https://creativecommons.org/")
    [feature] = data["features"]
    assert feature["id"] == full_place.pk
    assert feature["geometry"] == {"type": "Point", "coordinates": [11.15, 52.85]}
    props = feature["properties"]
    assert set(props) == {
        "id",
        "title",
        "teaser",
        "url",
        "full_url",
        "api_url",
        "region",
        "municipality",
        "categories",
        "tags",
        "offers",
        "status",
        "image",
    }
    assert props["title"] == "Gutshof Wiesengrund"
    assert props["url"] == "/altmark/gutshof-wiesengrund/"
    assert props["full_url"].endswith("/altmark/gutshof-wiesengrund/")
    assert props["api_url"].endswith(f"/api/v2/pages/{full_place.pk}/")
    assert props["region"] == {
        "id": full_place.get_parent().pk,
        "slug": "altmark",
        "title": "Altmark",
    }
    assert props["municipality"] == "Salzwedel"
    assert [c["slug"] for c in props["categories"]] == ["wohnen-bauen", "arbeiten-wirtschaft"]
    assert {"slug": "coworking", "name": "Coworking"} in props["tags"]
    assert props["offers"][0]["slug"] == "coworking"
    assert props["status"] == "im-aufbau"
    assert ".fill-480x300" in props["image"]
    assert props["image"].startswith("http")


def test_validator_rejects_bad_geojson():
    with pytest.raises(GeoJSONError):
        validate_feature_collection({"type": "FeatureCollection", "features": [], "crs": {}})
    with pytest.raises(GeoJSONError):
        validate_feature_collection(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "Point", "coordinates": ["11", "52"]},
                    }
                ],
            }
        )


def test_places_without_coordinates_are_skipped(client, region):
    without = PlacePageFactory(parent=region, title="Ohne Punkt")
    PlacePage.objects.filter(pk=without.pk).update(latitude=None, longitude=None)
    with_point = PlacePageFactory(parent=region, title="Mit Punkt")
    data = geojson(client)
    assert [f["id"] for f in data["features"]] == [with_point.pk]


def test_filters_and_bbox(client, region, home_page):
    harz = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    in_altmark = PlacePageFactory(parent=region, title="A")
    in_harz = PlacePageFactory(
        parent=harz,
        title="B",
        latitude=Decimal("51.800000"),
        longitude=Decimal("10.600000"),
        categories=[Category.objects.get(slug="leben-tourismus")],
    )
    assert [f["id"] for f in geojson(client, "?region=harz")["features"]] == [in_harz.pk]
    assert [f["id"] for f in geojson(client, "?category=arbeiten-wirtschaft")["features"]] == [
        in_altmark.pk
    ]
    bbox = "?bbox=10.0,51.5,11.0,52.0"
    assert [f["id"] for f in geojson(client, bbox)["features"]] == [in_harz.pk]
    assert geojson(client, "?region=harz&category=arbeiten-wirtschaft")["features"] == []


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("?category=unbekannt", "category"),
        ("?region=nirgendwo", "region"),
        ("?status=geschlossen", "status"),
        ("?bbox=1,2,3", "bbox"),
        ("?bbox=a,b,c,d", "bbox"),
        ("?bbox=12,53,11,52", "bbox"),
        ("?bbox=NaN,1,2,3", "bbox"),
        ("?limit=5", "limit"),
        ("?foo=bar", "foo"),
    ],
)
@pytest.mark.parametrize("endpoint", ["/api/orte.geojson", "/api/orte.csv"])
def test_bad_input_is_a_400_with_json(client, region, endpoint, query, key):
    response = client.get(endpoint + query)
    assert response.status_code == 400
    body = response.json()
    assert key in body["errors"]
    assert body["message"]


def test_csv_columns_rows_and_encoding(client, full_place):  # noqa: F811
    response = client.get("/api/orte.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'rel="license"' in response["Link"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == CSV_HEADER
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["title"] == "Gutshof Wiesengrund"
    assert row["categories"] == "wohnen-bauen|arbeiten-wirtschaft"
    assert row["tags"] == "coworking|makerspace"
    assert row["latitude"] == "52.850000"
    assert row["longitude"] == "11.150000"
    assert row["phone"] == "+49 3901 123456"  # a plain number is not a formula
    assert row["url"].endswith("/altmark/gutshof-wiesengrund/")
    assert row["external_id"] == "ext-1"


def test_csv_guards_against_formula_injection(client, region):
    PlacePageFactory(parent=region, title='=HYPERLINK("http://evil")', teaser="@SUM(A1)")
    response = client.get("/api/orte.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["title"].startswith("'=")
    assert row["teaser"] == "'@SUM(A1)"


def test_csv_has_the_same_rows_as_geojson(client, region):
    for index in range(3):
        PlacePageFactory(parent=region, title=f"Ort {index}")
    without = PlacePageFactory(parent=region, title="Ohne")
    PlacePage.objects.filter(pk=without.pk).update(latitude=None, longitude=None)
    features = geojson(client)["features"]
    rows = list(
        csv.DictReader(io.StringIO(client.get("/api/orte.csv").content.decode("utf-8-sig")))
    )
    assert [row["title"] for row in rows] == [f["properties"]["title"] for f in features]


def test_conditional_request_gets_304_and_publish_invalidates(client, region):
    place = PlacePageFactory(parent=region, title="Erster Ort")
    response = client.get("/api/orte.geojson")
    etag = response["ETag"]
    assert response["Last-Modified"]
    assert "max-age=0" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]

    with CaptureQueriesContext(connection) as queries:
        not_modified = client.get("/api/orte.geojson", headers={"if-none-match": etag})
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == etag
    assert len(queries) <= 2

    # Unpublishing removes the place at once.
    place.unpublish()
    response = client.get("/api/orte.geojson", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert json.loads(response.content)["features"] == []

    # Publishing a new revision changes the data at once, too.
    place.title = "Neuer Titel"
    place.save_revision().publish()
    data = json.loads(client.get("/api/orte.geojson").content)
    assert [f["properties"]["title"] for f in data["features"]] == ["Neuer Titel"]
    csv_body = client.get("/api/orte.csv").content.decode("utf-8-sig")
    assert "Neuer Titel" in csv_body


def test_delete_and_move_invalidate(client, region, home_page):
    other = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    place = PlacePageFactory(parent=region, title="Wanderer", slug="wanderer")
    assert geojson(client)["features"][0]["properties"]["url"] == "/altmark/wanderer/"
    place.move(other, pos="last-child")
    assert geojson(client)["features"][0]["properties"]["url"] == "/harz/wanderer/"
    place.refresh_from_db()
    place.delete()
    assert geojson(client)["features"] == []


def test_geojson_query_count_is_constant(client, region, image):  # noqa: F811
    def count_for(n):
        for _ in range(n):
            place = PlacePageFactory(parent=region, hero_image=image)
            place.tags.add("Coworking")
            place.save()
        client.get("/api/orte.geojson?status=aktiv")  # warm renditions
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/orte.geojson")
        assert response.status_code == 200
        return len(queries)

    small = count_for(3)
    large = count_for(30)
    assert small == large
    assert large <= 15


def test_cors_for_api_reads_but_not_admin(client, region, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://karte.example.org"]
    origin = {"origin": "https://karte.example.org"}
    response = client.get("/api/orte.geojson", headers=origin)
    assert response["Access-Control-Allow-Origin"] == "https://karte.example.org"
    response = client.get("/api/v2/pages/", headers=origin)
    assert response["Access-Control-Allow-Origin"] == "https://karte.example.org"
    response = client.get("/admin/login/", headers=origin)
    assert "Access-Control-Allow-Origin" not in response
    response = client.get("/api/orte.geojson", headers={"origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response


def test_cors_allow_all_for_reads(client, region, settings):
    settings.CORS_ALLOW_ALL_ORIGINS = True
    response = client.get("/api/orte.geojson", headers={"origin": "https://any.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v3/pages/",
        headers={"origin": "https://any.example", "access-control-request-method": "POST"},
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")


def test_changes_from_another_process_change_the_etag(client, region):
    """A worker whose local cache did not see the signal still notices the change through
    the database fingerprint (Wagtail logs publish, unpublish, move and delete)."""
    from django.core.cache import cache

    from core.data_version import VERSION_CACHE_KEY

    place = PlacePageFactory(parent=region, title="Erster Ort")
    etag = client.get("/api/orte.geojson")["ETag"]
    counter = cache.get(VERSION_CACHE_KEY)

    def unchanged():
        cache.set(VERSION_CACHE_KEY, counter, timeout=None)  # as if the signal went elsewhere
        return client.get("/api/orte.geojson", headers={"if-none-match": etag}).status_code

    assert unchanged() == 304
    place.unpublish()
    assert unchanged() == 200
    place.save_revision().publish()
    etag = client.get("/api/orte.geojson")["ETag"]
    counter = cache.get(VERSION_CACHE_KEY)
    place.title = "Neuer Titel"
    place.save_revision().publish()
    assert unchanged() == 200
