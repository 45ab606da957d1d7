"""The stored API v2 items of places (``PlaceApiSnapshot.v2_all``/``v2_default``): byte for
byte Wagtail's output, never stale, never leaking, a fixed number of queries."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from taggit.models import Tag
from wagtail.models import PageViewRestriction

import pytest

from api.tests.api_fixtures import full_place, image  # noqa: F401
from core.data_version import bump_version
from core.factories import CustomImageFactory
from places.factories import PlacePageFactory
from places.models import ActorType, Category, PlaceApiSnapshot, PlaceGalleryImage, PlaceLink
from publishing.stale_snapshots import mark_places
from regions.factories import RegionPageFactory

pytestmark = pytest.mark.django_db

ALL = "/api/v2/pages/?type=places.PlacePage&fields=*&limit=100"
DEFAULT = "/api/v2/pages/?type=places.PlacePage&limit=20"


def rendered(client, url, **extra):
    """GET ``url`` rendered by the view: the answer the response cache keeps (on, as in
    production) belongs to the previous data version."""
    bump_version()
    return client.get(url, **extra)


def stock(client, url, **extra) -> bytes:
    """The body Wagtail's own serializer and DRF's renderer write, without stored items."""
    from wagtail.api.v2.pagination import WagtailPagination
    from wagtail.api.v2.serializers import PageSerializer

    from rest_framework.renderers import JSONRenderer

    from api.v2.endpoints import PublicPagesAPIViewSet

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PublicPagesAPIViewSet, "snapshot_columns", lambda self, sliced: None)
        patch.setattr(PublicPagesAPIViewSet, "base_serializer_class", PageSerializer)
        patch.setattr(PublicPagesAPIViewSet, "_serializer_classes", {})
        patch.setattr(PublicPagesAPIViewSet, "renderer_classes", [JSONRenderer])
        patch.setattr(PublicPagesAPIViewSet, "fetch_page", staticmethod(list))
        patch.setattr(PublicPagesAPIViewSet, "pagination_class", WagtailPagination)
        response = rendered(client, url, **extra)
    assert response.status_code == 200, response.content
    return response.content


def served(client, url=ALL, **extra) -> tuple[bytes, list[dict]]:
    """GET ``url``: the body (checked against Wagtail's) and its items."""
    response = rendered(client, url, **extra)
    assert response.status_code == 200, response.content
    assert response.content == stock(client, url, **extra)
    return response.content, json.loads(response.content)["items"]


def item(client, place, url=ALL) -> dict:
    _body, items = served(client, url)
    [found] = [entry for entry in items if entry["id"] == place.pk]
    return found


def stored(place, column="v2_all") -> bool:
    snapshot = PlaceApiSnapshot.objects.get(page_id=getattr(place, "pk", place))
    built = getattr(snapshot, f"{column}_built")
    return built.startswith(f"{snapshot.generation}:")


def renders(client, url) -> bool:
    """Whether a request renders any item (rather than joining stored ones)."""
    with CaptureQueriesContext(connection) as queries:
        assert rendered(client, url).status_code == 200
    return any("places_placelink" in query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        ALL,
        DEFAULT,
        ALL + "&order=-title&offset=1",
        ALL + "&region=altmark&category=wohnen-bauen",
        "/api/v2/pages/?type=places.PlacePage&limit=1&offset=1",
    ],
)
def test_stored_items_are_byte_for_byte_wagtails(client, full_place, settings, url):  # noqa: F811
    PlacePageFactory(parent=full_place.get_parent(), title="Zweiter Ort\u2028mit Umbruch")
    first, items = served(client, url)  # renders and stores the items
    assert not renders(client, url)
    again, _items = served(client, url)
    assert again == first
    column = "v2_default" if "fields" not in url else "v2_all"
    assert items and all(stored(entry["id"], column) for entry in items)

    # The base URL is the request's: stored items fit any.
    settings.WAGTAILAPI_BASE_URL = "https://daten.example.org"
    body, items = served(client, url)
    assert not renders(client, url)
    if items:
        assert items[0]["meta"]["detail_url"].startswith("https://daten.example.org/api/v2/")
    assert b"\x01" not in body and b"\\u0001" not in body
    del settings.WAGTAILAPI_BASE_URL
    _body, items = served(client, url, headers={"host": "orte.example.org"})


def test_edits_show_at_once(client, full_place, image):  # noqa: F811
    region = full_place.get_parent().specific
    gallery_image = CustomImageFactory(description="Galerie vorher")
    story_image = CustomImageFactory(description="Story vorher")
    full_place.gallery_images.create(image=gallery_image, caption="Zweites")
    full_place.story = [
        ("paragraph", "<p>Alte Geschichte.</p>"),
        ("image", {"image": story_image, "caption": "Bild"}),
    ]
    full_place.actor_type = ActorType.objects.create(slug="testverein", name="Testverein")
    full_place.save_revision().publish()
    assert item(client, full_place)["story"][0]["value"] == "<p>Alte Geschichte.</p>"
    assert stored(full_place) and not renders(client, ALL)

    full_place.story = [("paragraph", "<p>Neue Geschichte.</p>")]
    full_place.save_revision().publish()
    assert item(client, full_place)["story"][0]["value"] == "<p>Neue Geschichte.</p>"
    full_place.story = [
        ("paragraph", "<p>Neue Geschichte.</p>"),
        ("image", {"image": story_image, "caption": "Bild"}),
    ]
    full_place.save_revision().publish()

    category = Category.objects.get(slug="wohnen-bauen")
    category.name = "Wohnen und Bauen"
    category.save()
    assert item(client, full_place)["categories"][0]["name"] == "Wohnen und Bauen"

    tag = Tag.objects.get(slug="makerspace")
    tag.name = "Maker Space"
    tag.save()
    assert {"slug": "makerspace", "name": "Maker Space"} in item(client, full_place)["tags"]

    actor_type = full_place.actor_type
    actor_type.name = "Eingetragener Verein"
    actor_type.save()
    assert item(client, full_place)["actor_type"]["name"] == "Eingetragener Verein"

    region.title = "Altmark (Nord)"
    region.save_revision().publish()
    assert item(client, full_place)["region"]["title"] == "Altmark (Nord)"
    assert item(client, full_place, DEFAULT)["meta"]["html_url"].endswith(
        "/altmark/gutshof-wiesengrund/"
    )
    region.slug = "altmark-nord"
    region.save_revision().publish()
    assert "/altmark-nord/" in item(client, full_place, DEFAULT)["meta"]["html_url"]

    new_hero = CustomImageFactory(description="Neues Titelbild")
    full_place.hero_image = new_hero
    full_place.save_revision().publish()
    assert item(client, full_place)["hero_image"]["alt"] == "Neues Titelbild"

    new_hero.description = "Titelbild, neu beschrieben"
    new_hero.save()
    assert item(client, full_place)["hero_image"]["alt"] == "Titelbild, neu beschrieben"

    gallery_image.description = "Galerie nachher"
    gallery_image.save()
    assert item(client, full_place)["gallery"][1]["alt"] == "Galerie nachher"

    story_image.description = "Story nachher"
    story_image.save()
    assert item(client, full_place)["story"][1]["value"]["image"]["alt"] == "Story nachher"

    old_url = item(client, full_place)["story"][1]["value"]["image"]["large"]["url"]
    story_image.renditions.all().delete()  # made anew (e.g. a new focal point)
    assert not stored(full_place)
    assert item(client, full_place)["story"][1]["value"]["image"]["large"]["url"]
    assert stored(full_place)
    assert old_url  # the rendition was there before

    PlaceLink.objects.create(page=full_place, platform="mastodon", url="https://social.example")
    assert {"platform": "mastodon", "url": "https://social.example"} in item(client, full_place)[
        "links"
    ]
    PlaceGalleryImage.objects.filter(page=full_place).delete()
    assert item(client, full_place)["gallery"] == []

    full_place.unpublish()
    assert served(client)[1] == []


def test_a_rendering_of_older_data_is_stored_as_stale(client, region, monkeypatch):
    from api.v2.endpoints import PublicPagesAPIViewSet

    place = PlacePageFactory(parent=region, title="Vorher")
    original = PublicPagesAPIViewSet.render_items

    def render_then_publish(self, ids):
        rendered = original(self, ids)  # the old data is rendered …
        place.title = "Nachher"
        place.save_revision().publish()  # … while an editor publishes …
        return rendered  # … and then the listing stores its rendering.

    monkeypatch.setattr(PublicPagesAPIViewSet, "render_items", render_then_publish)
    assert json.loads(client.get(ALL).content)["items"][0]["title"] == "Vorher"
    monkeypatch.undo()
    assert not stored(place)
    assert item(client, place)["title"] == "Nachher"
    assert stored(place)


def test_items_with_links_to_other_pages_are_not_stored(client, region):
    target = PlacePageFactory(parent=region, title="Ziel", slug="ziel")
    place = PlacePageFactory(
        parent=region,
        title="Mit Link",
        story=[("paragraph", f'<p>Siehe <a linktype="page" id="{target.pk}">Ziel</a>.</p>')],
    )
    assert 'href="/altmark/ziel/"' in item(client, place)["story"][0]["value"]
    assert not stored(place) and stored(target)
    target.slug = "neues-ziel"
    target.save_revision().publish()
    assert 'href="/altmark/neues-ziel/"' in item(client, place)["story"][0]["value"]


def test_stored_items_of_hidden_places_do_not_leak(client, region, home_page):
    other = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    places = {
        name: PlacePageFactory(parent=parent, title=name.upper(), slug=name)
        for name, parent in [
            ("offen", region),
            ("entwurf", region),
            ("login", region),
            ("region-geschuetzt", other),
        ]
    }
    for url in (ALL, DEFAULT):
        assert len(served(client, url)[1]) == 4
        assert all(
            stored(place, "v2_all" if url == ALL else "v2_default") for place in places.values()
        )
    places["entwurf"].unpublish()
    PageViewRestriction.objects.create(
        page=places["login"], restriction_type=PageViewRestriction.LOGIN
    )
    PageViewRestriction.objects.create(page=other, restriction_type=PageViewRestriction.PASSWORD)
    for url in (ALL, DEFAULT, ALL + "&region=altmark", "/api/v2/pages/?type=places.PlacePage"):
        body, items = served(client, url)
        assert [entry["title"] for entry in items] == ["OFFEN"]
        for secret in ("ENTWURF", "LOGIN", "REGION-GESCHUETZT"):
            assert secret.encode() not in body


@pytest.mark.parametrize("url", [ALL, DEFAULT])
def test_query_count_is_constant(client, region, url):
    hero = CustomImageFactory()
    story_image = CustomImageFactory()

    def make(n):
        for _ in range(n):
            place = PlacePageFactory(
                parent=region,
                hero_image=hero,
                story=[("image", {"image": story_image, "caption": ""})],
            )
            place.tags.add("Coworking")
            place.gallery_images.create(image=hero)
            place.links.create(platform="x", url="https://x.com/ort")
            place.save()

    def count():
        client.get(url)  # renditions exist from here on
        mark_places()
        with CaptureQueriesContext(connection) as rendering:
            assert rendered(client, url).status_code == 200
        with CaptureQueriesContext(connection) as joining:
            response = rendered(client, url)
        return len(rendering), len(joining), len(response.json()["items"])

    make(10)
    small = count()
    make(30)
    large = count()
    assert small[2] == 10 and large[2] == (40 if url == ALL else 20)
    assert small[:2] == large[:2], (small, large)
    # Rendering stale items adds the related rows, images and the store (in a savepoint
    # here: two more than in production); joining stored items is a handful.
    assert large[0] <= 19 and large[1] <= 7, large


@pytest.mark.django_db(transaction=True)
def test_deleting_a_place_with_links_gallery_and_tags_commits(region):
    """The snapshot signals of a place's child rows run while the place is deleted: the
    delete still commits (foreign keys are checked then) and leaves no snapshot behind."""
    place = PlacePageFactory(parent=region, title="Weg damit", hero_image=CustomImageFactory())
    place.tags.add("Coworking")
    PlaceLink.objects.create(page=place, platform="x", url="https://x.com/ort")
    place.gallery_images.create(image=place.hero_image)
    place.save()
    assert PlaceApiSnapshot.objects.filter(page=place).exists()
    place.delete()
    assert not PlaceApiSnapshot.objects.filter(page_id=place.pk).exists()
