"""The scripts speak English on the English site, in Debian's Chromium over the demo content.

The map (``map.js``) on /en/orte/: its status, its label, its zoom buttons and the copy
button; the static site's search (``search.js``) with no hit and its form's note when the
application server cannot be reached (``staticsite.js``). Both static-site scripts run on
the live /en/ pages here, as the static build adds them (its search index and the token
address answered by the test: no build needed, nothing leaves the machine). German at /.
Map tiles are off in tests (``MAP_TILE_URL = ""``).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import RequestRecorder

# django_db: makes pytest-django create the test database that demo_server fills.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def context(chromium, demo_server):
    context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=demo_server.url)
    yield context
    context.close()


def test_the_map_speaks_the_language_of_the_page(context, demo_server):
    page = context.new_page()
    requests = RequestRecorder(page)
    page.goto(demo_server.url + "/en/orte/")
    page.get_by_role("button", name="Load the map", exact=True).click()
    status = page.locator(".map-status")
    expect(status).to_have_text(re.compile(r"^Map loaded with \d+ places\.$"))
    expect(page.get_by_role("region", name="Interactive map")).to_be_visible()
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Zoom in")
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "Zoom out")

    page.locator("details.embed-code summary").click()
    page.get_by_role("button", name="Copy code").click()
    expect(page.locator("#embed-copied")).to_have_text("Code copied.")
    assert requests.external == []

    german = context.new_page()  # a new tab: asks for consent again
    german.goto(demo_server.url + "/orte/")
    german.get_by_role("button", name="Karte laden", exact=True).click()
    expect(german.locator(".map-status")).to_have_text(
        re.compile(r"^Karte mit \d+ Orten geladen\.$")
    )
    expect(german.get_by_role("region", name="Interaktive Karte")).to_be_visible()


def _add_static_script(page, name, base):
    """``js/<name>`` as the static build adds it (with the site root in ``data-base``)."""
    page.evaluate(
        """([src, base]) => new Promise((resolve, reject) => {
            const script = document.createElement("script");
            script.src = src;
            script.setAttribute("data-base", base);
            script.onload = resolve;
            script.onerror = reject;
            document.body.appendChild(script);
        })""",
        [f"/static/js/{name}", base],
    )


def test_the_static_search_finds_nothing_in_english(context, demo_server):
    page = context.new_page()
    page.route(
        "**/suche/index.json",
        lambda route: route.fulfill(json={"places": [], "pages": []}),
    )
    page.goto(demo_server.url + "/en/suche/?q=Xylophon")
    _add_static_script(page, "search.js", "/en/")
    results = page.locator("section.results")
    expect(results.get_by_role("heading", level=2)).to_have_text("0 places for “Xylophon”")
    expect(results).to_contain_text(
        "We found no place for this. Try another or a shorter word, or have a look at all places."
    )
    expect(results.get_by_role("link", name="all places")).to_have_attribute("href", "/en/orte/")

    german = context.new_page()
    german.route(
        "**/suche/index.json",
        lambda route: route.fulfill(json={"places": [], "pages": []}),
    )
    german.goto(demo_server.url + "/suche/?q=Xylophon")
    _add_static_script(german, "search.js", "/")
    expect(german.locator("section.results h2")).to_have_text("0 Orte für „Xylophon“")
    expect(german.locator("section.results")).to_contain_text("oder sehen Sie sich alle Orte an.")


def test_the_static_form_says_in_english_that_the_server_is_unreachable(context, demo_server):
    page = context.new_page()
    page.route("**/mitmachen/token", lambda route: route.fulfill(status=503, body=""))
    page.goto(demo_server.url + "/en/mitmachen/")
    # As the build writes the form: it fetches its token from the application server.
    page.locator("form.app-form").evaluate(
        "form => form.setAttribute('data-token-url', '/en/mitmachen/token')"
    )
    _add_static_script(page, "staticsite.js", "/en/")
    expect(page.locator("form.app-form").get_by_role("status")).to_have_text(
        "The form cannot be reached right now. You can still send it; if it has expired by "
        "then, simply send it again on the following page."
    )
