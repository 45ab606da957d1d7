"""The pre-rendered GeoJSON features / CSV rows (``PlaceApiSnapshot``) never go stale."""

import io
import json

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taggit.models import Tag
from wagtail.models import PageViewRestriction, Site

import pytest

from api.exports import export_pieces, refresh_snapshots, render_pieces
from api.tests.api_fixtures import full_place, image  # noqa: F401
from core.data_version import bump_version
from places.factories import PlacePageFactory
from places.models import Category, PlaceApiSnapshot
from publishing.stale_snapshots import mark_place

pytestmark = pytest.mark.django_db


def features(client, query=""):
    response = client.get(f"/api/orte.geojson{query}")
    assert response.status_code == 200, response.content
    return json.loads(response.content)["features"]


def props(client):
    [feature] = features(client)
    return feature["properties"]


def is_current(place):
    snapshot = PlaceApiSnapshot.objects.get(page=place)
    return snapshot.exports_built == f"{snapshot.generation}:{export_pieces().key}"


def test_first_export_stores_snapshots_and_later_ones_use_them(client, region):
    places = [PlacePageFactory(parent=region, title=f"Ort {index}") for index in range(3)]
    assert not any(is_current(place) for place in places)
    first = client.get("/api/orte.geojson").content
    assert all(is_current(place) for place in places)
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/orte.geojson?status=aktiv").content
    assert json.loads(again) == json.loads(first)
    assert not any("UPDATE" in query["sql"] for query in queries.captured_queries)


def test_publish_region_taxonomy_site_and_image_changes_show_at_once(
    client,
    full_place,  # noqa: F811
    image,  # noqa: F811
):
    assert props(client)["title"] == "Gutshof Wiesengrund"

    full_place.title = "Neuer Name"
    full_place.save_revision().publish()
    assert props(client)["title"] == "Neuer Name"

    region = full_place.get_parent().specific
    region.title = "Altmark (Nord)"
    region.save_revision().publish()
    assert props(client)["region"]["title"] == "Altmark (Nord)"

    category = Category.objects.get(slug="wohnen-bauen")
    category.name = "Wohnen und Bauen"
    category.save()
    assert props(client)["categories"][0]["name"] == "Wohnen und Bauen"

    tag = Tag.objects.get(slug="makerspace")
    tag.name = "Maker Space"
    tag.save()
    assert {"slug": "makerspace", "name": "Maker Space"} in props(client)["tags"]

    full_place.tags.add("Hofladen")
    full_place.save()
    assert "hofladen" in [item["slug"] for item in props(client)["tags"]]

    full_place.categories.set([Category.objects.get(slug="leben-tourismus")])
    full_place.save()  # writes the relation after the page row (and its post_save)
    assert [item["slug"] for item in props(client)["categories"]] == ["leben-tourismus"]

    site = Site.objects.get(is_default_site=True)
    site.hostname = "orte.example.org"
    site.save()
    assert props(client)["full_url"].startswith("http://orte.example.org/")

    assert props(client)["image"] and is_current(full_place)
    image.renditions.all().delete()  # e.g. a new focal point: renditions are made anew
    assert not is_current(full_place)
    assert ".fill-480x300" in props(client)["image"]
    csv_text = client.get("/api/orte.csv").content.decode("utf-8-sig")
    assert "Neuer Name" in csv_text and "leben-tourismus" in csv_text


def test_move_changes_urls(client, region, home_page):
    from regions.factories import RegionPageFactory

    harz = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    place = PlacePageFactory(parent=region, title="Wanderer", slug="wanderer")
    assert props(client)["url"] == "/altmark/wanderer/"
    place.move(harz, pos="last-child")
    assert props(client)["url"] == "/harz/wanderer/"
    assert props(client)["region"]["slug"] == "harz"


def test_a_rendering_of_older_data_is_stored_as_stale(client, region):
    place = PlacePageFactory(parent=region, title="Vorher")
    generation = PlaceApiSnapshot.objects.get(page=place).generation
    pieces = render_pieces([place.pk])  # an export renders the old data …
    place.title = "Nachher"
    place.save_revision().publish()  # … while an editor publishes …
    export_pieces().store({place.pk: generation}, pieces)  # … and then it stores its rendering.
    assert not is_current(place)
    assert props(client)["title"] == "Nachher"
    assert is_current(place)


def test_missing_rows_are_created_and_refresh_renders_all(client, region):
    place = PlacePageFactory(parent=region, title="Ohne Zeile")
    PlaceApiSnapshot.objects.filter(page=place).delete()  # as after a bulk insert
    assert props(client)["title"] == "Ohne Zeile"
    assert is_current(place)  # the export created the row and stored its rendering
    mark_place(place.pk)
    assert not is_current(place)
    call_command("refresh_api_snapshots", stdout=io.StringIO())
    assert is_current(place)
    PlaceApiSnapshot.objects.all().delete()
    assert refresh_snapshots([place.pk]) == 1 and is_current(place)


def test_visibility_is_checked_on_every_request(client, region, home_page):
    place = PlacePageFactory(parent=region, title="Sichtbar")
    refresh_snapshots()
    assert len(features(client)) == 1
    PageViewRestriction.objects.create(page=place, restriction_type=PageViewRestriction.LOGIN)
    assert features(client) == []
    PageViewRestriction.objects.all().delete()
    assert len(features(client)) == 1
    region.unpublish()
    assert features(client) == []
    assert client.get("/api/orte.csv").content.decode("utf-8-sig").count("\n") == 1


def test_urls_follow_the_api_base_url(client, full_place, settings):  # noqa: F811
    refresh_snapshots()
    settings.WAGTAILAPI_BASE_URL = "https://daten.example.org"
    data = props(client)
    assert data["api_url"] == f"https://daten.example.org/api/v2/pages/{full_place.pk}/"
    assert data["image"].startswith("https://daten.example.org/")
    assert "\x01" not in client.get("/api/orte.geojson").content.decode()


def test_a_new_media_url_makes_stored_pieces_stale(client, full_place, settings):  # noqa: F811
    """Stored image URLs follow ``MEDIA_URL`` without ``refresh_api_snapshots``: the pieces'
    key covers it (a release bumps the data version through ``migrate``)."""
    refresh_snapshots()
    assert "/media/" in props(client)["image"]
    settings.MEDIA_URL = "/medien/"
    bump_version()  # as ``migrate`` does after a release
    assert not is_current(full_place)
    assert "/medien/" in props(client)["image"]
    assert is_current(full_place)


def test_refresh_also_stores_the_api_v2_items_of_every_visible_place(client, region):
    from bench.dataset import create_places

    create_places(7, regions=(region.slug,), images=2)  # bulk: no snapshot rows at all
    assert not PlaceApiSnapshot.objects.exclude(v2_all="").exists()
    out = io.StringIO()
    call_command("refresh_api_snapshots", stdout=out)
    assert "7 Orte für GeoJSON/CSV" in out.getvalue()
    assert "14 API-v2-Einträge" in out.getvalue()
    stored = PlaceApiSnapshot.objects.exclude(v2_all="").exclude(v2_default="")
    assert stored.count() == 7
