"""The per-page cache (core/page_cache.py): hits cost no SQL, changes invalidate exactly the
pages they touch, private things are never cached, conditional GET answers 304."""

from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from places.factories import PlacePageFactory
from regions.factories import RegionPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings, tmp_path):
    settings.PAGE_CACHE_SECONDS = 600
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def places(region, home_page):
    near = PlacePageFactory(
        parent=region, title="Gutshof", latitude=Decimal("52.85"), longitude=Decimal("11.15")
    )
    neighbour = PlacePageFactory(
        parent=region, title="Nachbarhof", latitude=Decimal("52.86"), longitude=Decimal("11.16")
    )
    other_region = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    far = [
        PlacePageFactory(
            parent=other_region,
            title=f"Harzhof {number}",
            latitude=Decimal("51.7") + Decimal(number) / 100,
            longitude=Decimal("10.9"),
        )
        for number in range(4)
    ]
    return near, neighbour, far


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    return response, len(captured)


def test_a_hit_costs_no_query_and_serves_the_same_page(client, places):
    place = places[0]
    for url in (
        "/",
        "/altmark/",
        place.url,
        "/orte/?category=arbeiten-wirtschaft",
        "/suche/?q=Hof",
    ):
        first, _ = get(client, url)
        assert first["X-Page-Cache"] == "miss", url
        second, queries = get(client, url)
        assert second["X-Page-Cache"] == "hit", url
        assert queries == 0, url
        assert second.content == first.content
        assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_publishing_a_place_invalidates_only_the_pages_that_show_it(
    client, places, django_capture_on_commit_callbacks
):
    near, neighbour, far = places
    urls = ["/", "/altmark/", "/orte/", near.url, neighbour.url, far[0].url, "/harz/"]
    for url in urls:
        get(client, url)
    near.title = "Gutshof Wiesengrund"
    with django_capture_on_commit_callbacks(execute=True):
        near.save_revision().publish()
    state = {url: get(client, url)[0]["X-Page-Cache"] for url in urls}
    # Its page, its region, the lists, its neighbour's "nearby" list: rendered afresh.
    for url in ["/", "/altmark/", "/orte/", near.url, neighbour.url]:
        assert state[url] == "miss", url
    # Another region and a place that does not show it: still cached.
    assert state["/harz/"] == "hit"
    assert state[far[0].url] == "hit"
    assert b"Gutshof Wiesengrund" in client.get("/altmark/").content


def test_unpublish_and_delete_take_the_page_out_of_the_cache(
    client, places, django_capture_on_commit_callbacks
):
    near, neighbour, _far = places
    assert client.get(near.url).status_code == 200
    get(client, "/altmark/")
    with django_capture_on_commit_callbacks(execute=True):
        near.unpublish()
    assert client.get(near.url).status_code == 404
    assert b"Gutshof</a>" not in client.get("/altmark/").content
    assert client.get(neighbour.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        neighbour.delete()
    assert client.get(neighbour.url).status_code == 404


def test_conditional_get_answers_304_from_the_cache(client, places):
    url = places[0].url
    response = client.get(url)
    etag, last_modified = response["ETag"], response["Last-Modified"]
    not_modified, queries = get(client, url, if_none_match=etag)
    assert not_modified.status_code == 304
    assert queries == 0
    assert not_modified.content == b""
    assert get(client, url, if_modified_since=last_modified)[0].status_code == 304
    assert get(client, url, if_none_match='"other"')[0].status_code == 200


def test_sessions_forms_and_private_pages_are_never_cached(client, places, admin_user):
    place = places[0]
    # A logged-in editor neither reads from nor writes to the cache.
    client.force_login(admin_user)
    response, _ = get(client, place.url)
    assert "X-Page-Cache" not in response
    client.logout()
    client.cookies.clear()
    # The application form carries a signed, time-stamped token.
    response = client.get("/mitmachen/")
    assert "X-Page-Cache" not in response
    # A password-protected page shows the password form, never its content, and is not stored.
    PageViewRestriction.objects.create(
        page=places[1], restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    for _ in range(2):
        response = client.get(places[1].url)
        assert response.get("X-Page-Cache") != "hit"
        assert b"Nachbarhof</h1>" not in response.content


def test_a_restriction_invalidates_every_page(client, places, django_capture_on_commit_callbacks):
    get(client, "/altmark/")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=places[1], restriction_type=PageViewRestriction.LOGIN
        )
    response, _ = get(client, "/altmark/")
    assert response["X-Page-Cache"] == "miss"
    assert b"Nachbarhof" not in response.content


def test_cache_off_still_sends_validators(client, places, settings):
    settings.PAGE_CACHE_SECONDS = 0
    response = client.get(places[0].url)
    assert "X-Page-Cache" not in response
    assert response["ETag"]
    assert client.get(places[0].url, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_publishing_makes_the_renditions_before_anyone_visits(
    region, django_capture_on_commit_callbacks
):
    from core.factories import CustomImageFactory
    from core.models import CustomImage

    image = CustomImageFactory()
    place = PlacePageFactory(parent=region, title="Mit Bild", hero_image=image)
    CustomImage.get_rendition_model().objects.filter(image=image).delete()
    with django_capture_on_commit_callbacks(execute=True):
        place.save_revision().publish()
    specs = set(
        CustomImage.get_rendition_model()
        .objects.filter(image=image)
        .values_list("filter_spec", flat=True)
    )
    assert any("1200x675" in spec and "avif" in spec for spec in specs), specs
    assert any("400x250" in spec and "webp" in spec for spec in specs), specs
    assert any("1200x630" in spec for spec in specs), specs


def test_in_process_renderers_can_skip_the_cache(client, places):
    from core.page_cache import BYPASS_ENVIRON

    response = client.get(places[0].url, **{BYPASS_ENVIRON: "1"})
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert client.get(places[0].url)["X-Page-Cache"] == "miss"
