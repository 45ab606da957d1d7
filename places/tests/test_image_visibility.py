"""Images in restricted collections are never shown publicly (``CustomImage.objects.public()``,
``core.images.image_is_public``): not by the images endpoints of API v2 and v3, not inside
pages' API fields (v2, v3, stored listing items, GeoJSON), not on the public pages."""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.test import Client

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

import pytest

from core.factories import CustomImageFactory
from core.images import image_is_public
from core.models import CustomImage
from places.factories import PlacePageFactory
from places.models import PlaceGalleryImage

pytestmark = pytest.mark.django_db

SECRET_CREDIT = "Foto: NICHT-OEFFENTLICH"
PUBLIC_CREDIT = "Foto: Öffentlich"


@pytest.fixture
def images(db):
    """A restricted collection with a child collection (restricted through its ancestor),
    an image in each, and a public image."""
    root = Collection.get_first_root_node()
    private = root.add_child(name="Bewerbungsfotos")
    below = private.add_child(name="Unterordner")
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="sesam"
    )
    document = get_document_model()(title="GESCHUETZT-DOKUMENT", collection=below)
    document.file.save("geschuetzt.txt", ContentFile(b"x"), save=True)
    return {
        "restriction": restriction,
        "restricted": CustomImageFactory(
            title="GESCHUETZT-OBEN", credit=SECRET_CREDIT, collection=private
        ),
        "below": CustomImageFactory(
            title="GESCHUETZT-UNTEN", credit=SECRET_CREDIT, collection=below
        ),
        "public": CustomImageFactory(title="Offenes Bild", credit=PUBLIC_CREDIT),
    }


@pytest.fixture
def place_with_private_images(region, images):
    place = PlacePageFactory(
        parent=region,
        title="Hof mit Bildern",
        slug="hof-mit-bildern",
        latitude=Decimal("52.85"),
        longitude=Decimal("11.15"),
        hero_image=images["below"],
        story=[
            ("image", {"image": images["restricted"], "caption": "Geheime Scheune"}),
            ("image", {"image": images["public"], "caption": "Offene Scheune"}),
        ],
    )
    PlaceGalleryImage.objects.create(page=place, image=images["restricted"], caption="G1")
    PlaceGalleryImage.objects.create(page=place, image=images["public"], caption="G2")
    place.save_revision().publish()
    return place


def test_one_definition_restricted_collections_and_their_descendants(images):
    public = set(CustomImage.objects.public().values_list("title", flat=True))
    assert "Offenes Bild" in public
    assert not {"GESCHUETZT-OBEN", "GESCHUETZT-UNTEN"} & public
    assert image_is_public(images["public"])
    assert not image_is_public(images["restricted"])
    assert not image_is_public(images["below"])


def test_a_new_restriction_counts_at_once(images):
    image = images["public"]
    assert image_is_public(image)
    CollectionViewRestriction.objects.create(
        collection=image.collection, restriction_type=CollectionViewRestriction.PASSWORD
    )
    assert not image_is_public(image)
    assert not CustomImage.objects.public().filter(pk=image.pk).exists()


@pytest.mark.parametrize("password_entered", [False, True], ids=["anonymous", "session"])
def test_images_endpoints_never_serve_restricted_images(client, images, settings, password_entered):
    """Not even to a session that passed the collection's password (Wagtail would show it
    the images), nor, through the response cache, to the next visitor."""
    settings.PLACES_API_RESPONSE_CACHE_SECONDS = 60
    visitor = Client()
    if password_entered:
        session = client.session
        session["passed_collection_view_restrictions"] = [images["restriction"].pk]
        session.save()
    for url in (
        "/api/v2/images/?limit=100",
        "/api/v3/images/?limit=100",
        "/api/v2/documents/",
        "/api/v2/images/?search=GESCHUETZT",
    ):
        for who in (client, visitor):
            response = who.get(url)
            assert response.status_code == 200, url
            assert "GESCHUETZT" not in response.content.decode(), url
    titles = {item["title"] for item in client.get("/api/v2/images/").json()["items"]}
    assert titles == {"Offenes Bild"}
    for key in ("restricted", "below"):
        pk = images[key].pk
        assert client.get(f"/api/v2/images/{pk}/").status_code == 404
        assert client.get(f"/api/v3/images/{pk}/").status_code == 404
        assert client.get(f"/api/v2/images/?id={pk}").json()["items"] == []
    assert client.get(f"/api/v2/images/{images['public'].pk}/").status_code == 200


def _no_secret(response, url):
    assert response.status_code == 200, url
    body = response.content.decode()
    assert SECRET_CREDIT not in body, url
    assert "GESCHUETZT" not in body, url


def test_page_api_leaves_out_restricted_images(client, place_with_private_images):
    place = place_with_private_images
    detail = client.get(f"/api/v2/pages/{place.pk}/")
    _no_secret(detail, "v2 detail")
    data = detail.json()
    assert data["hero_image"] is None
    assert [item["caption"] for item in data["gallery"]] == ["G2"]
    story = [block["value"] for block in data["story"]]
    assert story[0]["image"] is None
    assert story[1]["image"]["credit"] == PUBLIC_CREDIT
    for url in (
        "/api/v2/pages/?type=places.PlacePage&fields=*",
        "/api/v2/pages/?type=places.PlacePage",
        "/api/v2/pages/?type=places.PlacePage&fields=hero_image,gallery,story",
        f"/api/v3/pages/{place.pk}/",
        "/api/v3/pages/?type=places.PlacePage",
        "/api/orte.geojson",
        "/api/orte.csv",
    ):
        _no_secret(client.get(url), url)
    assert (
        PUBLIC_CREDIT
        in client.get("/api/v2/pages/?type=places.PlacePage&fields=*").content.decode()
    )


def test_stored_api_items_forget_an_image_that_became_restricted(client, region, images):
    image = images["public"]
    place = PlacePageFactory(
        parent=region, title="Hof", slug="hof", hero_image=image, latitude=Decimal("52.8")
    )
    place.save_revision().publish()
    urls = ("/api/v2/pages/?type=places.PlacePage&fields=*", "/api/orte.geojson")
    for url in urls:  # stored with the image
        assert PUBLIC_CREDIT in client.get(url).content.decode() or "geojson" in url
    assert client.get(urls[1]).json()["features"][0]["properties"]["image"]
    CollectionViewRestriction.objects.create(
        collection=image.collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    assert PUBLIC_CREDIT not in client.get(urls[0]).content.decode()
    assert client.get(urls[1]).json()["features"][0]["properties"]["image"] is None


def test_public_pages_render_nothing_for_restricted_images(client, place_with_private_images):
    place = place_with_private_images
    html = client.get(place.url).content.decode()
    assert "Hof mit Bildern" in html
    assert SECRET_CREDIT not in html
    assert "Geheime Scheune" not in html
    assert 'property="og:image"' not in html  # the hero is the sharing image
    for rendition in place.hero_image.renditions.all():
        assert rendition.file.name not in html
    # The public image still shows (story and gallery).
    assert html.count(PUBLIC_CREDIT) == 2
    # The region's listing card shows no image either.
    region_html = client.get(place.get_parent().url).content.decode()
    assert "Hof mit Bildern" in region_html
    assert SECRET_CREDIT not in region_html
