"""The foundation as a visitor and an editor see it, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from places.models import PlacePage
from tests.browser import RequestRecorder

pytestmark = pytest.mark.browser


def test_visitor_walks_from_home_to_a_place_without_leaving_this_machine(
    live_server, browser_page, demo_content
):
    page = browser_page
    requests = RequestRecorder(page)

    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kreativorte im Grünen")
    for label in ["Impressum", "Datenschutz", "Barrierefreiheit"]:
        expect(page.get_by_role("contentinfo").get_by_role("link", name=label)).to_be_visible()

    page.get_by_role("main").get_by_role("link", name="Altmark").click()
    expect(page).to_have_url(re.compile(r"/altmark/$"))
    cards = page.locator(".card")
    assert cards.count() >= 15

    first_place = cards.first.get_by_role("link").first
    place_title = first_place.inner_text()
    first_place.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(place_title)
    expect(page.get_by_role("complementary")).to_contain_text("Themenfelder")

    # Every content image has alt text and a visible credit.
    figures = page.locator("main figure img")
    assert figures.count() >= 1
    for index in range(figures.count()):
        assert figures.nth(index).get_attribute("alt")
    expect(page.locator(".credit").first).to_be_visible()

    # Keyboard: the first Tab reaches the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#inhalt")).to_be_focused()

    assert requests.urls, "the recorder saw the page load"
    assert requests.external == []


def test_editor_logs_in_to_the_german_admin_and_picks_coordinates_on_the_map(
    live_server, browser_page, demo_content, django_user_model
):
    django_user_model.objects.create_superuser("redakteurin", "r@example.org", "geheim-123")
    place = PlacePage.objects.live().order_by("title").first()
    page = browser_page
    requests = RequestRecorder(page)

    page.goto(live_server.url + "/admin/login/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.get_by_label("Benutzername").fill("redakteurin")
    page.get_by_label("Passwort").fill("geheim-123")
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(f"{live_server.url}/admin/pages/{place.pk}/edit/")
    page.get_by_role("tab", name="Ort & Kontakt").click()
    latitude = page.locator("input[name='latitude']")
    before = latitude.input_value()
    map_box = page.locator("[data-coordinates-map]")
    expect(map_box).to_be_visible()
    expect(map_box.locator(".leaflet-marker-icon")).to_be_visible()

    # Away from the zoom buttons (top left) and the marker (centre).
    box = map_box.bounding_box()
    map_box.click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.25})
    expect(latitude).not_to_have_value(before)
    assert re.fullmatch(r"\d{2}\.\d{6}", latitude.input_value())

    # Typing still works and moves the marker instead of fighting the editor.
    latitude.fill("52.600000")
    expect(latitude).to_have_value("52.600000")
    assert requests.external == []
