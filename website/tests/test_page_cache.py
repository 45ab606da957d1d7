"""The per-page cache (website/page_cache.py): hits cost no SQL, changes invalidate exactly the
pages they touch, private things are never cached, conditional GET answers 304."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction

import pytest

from places.factories import PlacePageFactory
from regions.factories import RegionPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


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


def test_unpublishing_the_home_page_takes_every_page_below_out_of_the_cache(
    client, places, home_page, django_capture_on_commit_callbacks
):
    near = places[0]
    assert client.get(near.url).status_code == 200
    assert get(client, near.url)[1] == 0  # a hit
    with django_capture_on_commit_callbacks(execute=True):
        home_page.unpublish()
    assert client.get(near.url).status_code == 404
    assert client.get("/altmark/").status_code == 404


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
    from website.page_cache import BYPASS_ENVIRON

    response = client.get(places[0].url, **{BYPASS_ENVIRON: "1"})
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert client.get(places[0].url)["X-Page-Cache"] == "miss"


# --- Keys: the canonical query of what the page reads (core/query_keys.py) -----------------


def page_cache_entries() -> set[str]:
    """The keys of the stored pages (not the version tokens) in the local-memory cache."""
    return {key for key in cache._cache if ":pagecache:e:" in key}


def test_the_public_filters_are_the_parameters_the_page_cache_knows():
    from places.queries import FILTER_PARAMETERS
    from website.page_cache import MULTI_VALUED, PARAMETERS

    assert set(FILTER_PARAMETERS) == MULTI_VALUED
    # /veranstaltungen/ reads its date span too.
    assert {*FILTER_PARAMETERS, "page", "p", "von", "bis"} == PARAMETERS


def test_ten_thousand_junk_queries_make_at_most_one_entry(client, places):
    """Unknown parameters, empty or repeated filters, another order, a filter a page does
    not read: all share the entry of the canonical form (here: the plain page)."""
    place = places[0]
    junk = [
        "utm_source=mail&utm_campaign={n}",
        "fbclid={n}",
        "category=&category=&tag=&x{n}=1",
        "page=abc{n}&_={n}",
    ]
    first = client.get("/orte/")
    assert first["X-Page-Cache"] == "miss"
    for n in range(10_000):
        response = client.get(f"/orte/?{junk[n % len(junk)].format(n=n)}")
        assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"
    assert response.content == first.content
    assert len(page_cache_entries()) == 1
    # A place page reads no parameter at all: a search term on it is junk too.
    for n in range(200):
        client.get(f"{place.url}?q=Suche{n}&region=altmark&page={n + 2}")
    assert len(page_cache_entries()) == 2


def test_reordered_and_repeated_filters_share_one_entry(client, places):
    canonical = "/orte/?category=arbeiten-wirtschaft&region=altmark"
    first = client.get(canonical)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    for variant in (
        "/orte/?region=altmark&category=arbeiten-wirtschaft",
        "/orte/?region=altmark&category=arbeiten-wirtschaft&category=arbeiten-wirtschaft",
        "/orte/?tag=&region=altmark&category=arbeiten-wirtschaft&utm_source=x&region=",
    ):
        response = client.get(variant)
        assert response["X-Page-Cache"] == "hit", variant
        assert response.content == first.content
    assert len(page_cache_entries()) == 1
    # What a listing does read still makes its own answer.
    other = client.get("/orte/?category=arbeiten-wirtschaft&region=harz")
    assert other["X-Page-Cache"] == "miss"
    assert b"Harzhof" in other.content and b"Harzhof" not in first.content


def test_nothing_a_client_adds_reaches_a_stored_page(client, places):
    """The view gets the canonical query only: a reflected junk parameter (the feed's own
    URL) can never be stored and served to others."""
    marker = "zz-junk-marker"
    response = client.get(f"/feeds/orte.atom?region=altmark&{marker}=1&tag={marker}")
    assert response.status_code == 200
    assert marker.encode() not in response.content
    again = client.get("/feeds/orte.atom?region=altmark")
    assert again["X-Page-Cache"] == "hit"
    assert marker.encode() not in again.content
    # The feed reads region and category only: other filters make no entry of their own.
    for n in range(50):
        client.get(f"/feeds/orte.atom?q=Suche{n}&municipality=Ort{n}")
    assert len(page_cache_entries()) == 2


def test_the_security_cache_survives_a_full_default_cache(settings):
    """Rate-limit counters and one-time form tokens (applications/security.py) live in
    CACHES["security"]: filling the page/API cache, up to culling it, never removes them."""
    from django.core.cache import caches

    caches["security"].set("rate:203.0.113.7", 3, timeout=3600)
    default = caches["default"]
    for n in range(20_000):
        default.set(f"pagecache:e:junk{n}", b"x", timeout=600)
    assert default.get("pagecache:e:junk0") is None  # the default cache culled
    assert caches["security"].get("rate:203.0.113.7") == 3
    assert settings.CACHES["security"]["OPTIONS"]["MAX_ENTRIES"] >= 1_000_000


@pytest.mark.parametrize(
    ("extra", "location"),
    [
        ({}, "redis://127.0.0.1:6379/0"),
        ({"SECURITY_CACHE_URL": "redis://127.0.0.1:6380/0"}, "redis://127.0.0.1:6380/0"),
    ],
)
def test_with_redis_the_security_cache_has_its_own_url_and_prefix(tmp_path, extra, location):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    env.pop("SECURITY_CACHE_URL", None)
    env.update(extra)
    result = subprocess.run(
        [
            *(sys.executable, "manage.py", "shell", "-c"),
            "import json; from django.conf import settings; print(json.dumps(settings.CACHES))",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    caches = json.loads(result.stdout.strip().splitlines()[-1])
    assert caches["default"]["LOCATION"] == "redis://127.0.0.1:6379/0"
    assert caches["security"]["LOCATION"] == location
    assert caches["security"]["KEY_PREFIX"] != caches["default"]["KEY_PREFIX"]


def test_canonical_query_and_what_a_view_read(rf):
    from core.query_keys import canonical_pairs, encode, use_canonical_query

    request = rf.get(
        "/orte/?utm=1&region=harz&category=b&category=a&category=b&tag=&page=2&page=07x"
        "&q=eins&q=&q=zwei&p=3"
    )
    pairs = canonical_pairs(
        request.GET, {"region", "category", "tag", "q", "page", "p"}, multi={"category", "q"}
    )
    # Sorted by name, values of one name in their order, repeats and empties gone, the
    # last page value only if it is a plain number.
    assert encode(pairs) == "category=b&category=a&p=3&q=eins&q=zwei&region=harz"
    tracker = use_canonical_query(request, pairs)
    assert request.GET.urlencode() == encode(pairs)
    assert request.get_full_path() == "/orte/?" + encode(pairs)
    tracker.names.clear()  # urlencode and get_full_path read everything
    request.GET.get("q")
    request.GET.getlist("category")
    assert "region" in request.GET
    assert tracker.read(request) == {"q", "category", "region"}
    dict(request.GET.items())
    assert tracker.read(request) is None
    # A rebuilt GET (Django does that when the encoding changes) hides the reads: all.
    tracker.names.clear()
    request.encoding = "latin-1"
    assert request.GET.get("region") == "harz" and "utm" not in request.GET
    assert tracker.read(request) is None


def test_rows_loaded_raw_make_every_page_stale_without_asking_the_tree(
    client, places, django_capture_on_commit_callbacks
):
    """``loaddata`` (and the test database's restored rows after a flush) saves pages raw:
    the tree may be incomplete then, so no page is asked for its paths (that queried the
    database and created content types mid-load); everything is stale after the commit."""
    from django.core import serializers

    from wagtail.models import Page

    near = places[0]
    assert get(client, "/harz/")[0]["X-Page-Cache"] == "miss"
    assert get(client, "/harz/")[0]["X-Page-Cache"] == "hit"
    rows = serializers.serialize("json", [Page.objects.get(pk=near.pk)])
    with django_capture_on_commit_callbacks(execute=True):
        for row in serializers.deserialize("json", rows):
            row.save()
    assert not hasattr(row.object, "_publishing_previous")
    assert not hasattr(row.object, "_wagtail_cached_site_root_paths")
    assert get(client, "/harz/")[0]["X-Page-Cache"] == "miss"


def test_a_redirect_matches_the_query_string_the_visitor_sent(client, places, home_page):
    """The page cache hands views the canonical query only; Wagtail's redirects still see
    the visitor's own (an old address such as ``/seite.php?id=12``)."""
    place = places[0]
    Redirect.objects.create(old_path="/seite.php?id=12", redirect_page=place)
    Redirect.objects.create(old_path="/seite.php", redirect_link="/orte/")
    for _ in range(2):  # the second time with the 404 of /seite.php in the cache
        response = client.get("/seite.php?id=12")
        assert response.status_code in (301, 302)
        assert response["Location"].endswith(place.url)
    assert client.get("/seite.php?id=99")["Location"] == "/orte/"


def test_page_numbers_past_the_end_are_answered_but_never_kept(client, places):
    """``?page=N`` past the end shows the last page; a million such numbers must not make a
    million entries (nor CDN objects)."""
    first = client.get("/orte/")
    assert first["X-Page-Cache"] == "miss"
    for number in (2, 3, 999_999):
        response = client.get(f"/orte/?page={number}")
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store"
        assert "X-Page-Cache" not in response
    assert len(page_cache_entries()) == 1
    assert client.get("/orte/?page=1")["X-Page-Cache"] == "miss"  # a real page is kept
