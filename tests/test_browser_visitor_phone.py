"""A visitor on a phone, and the gallery's lightbox by keyboard, in Debian's Chromium over
the demo content.

The phone visitor goes from the home page to /orte/, where the results come first (the
filter panel is closed, the count is on the first screen), opens the filter panel, picks a
field and a region, submits, and lands at the list: its count at the top of the screen, only
matching places in it. The lightbox opens from a gallery link, goes through the images with
the arrow keys, closes with Escape and gives focus back; without JavaScript the link is a
plain link to the large image.
"""

import re

from django.db.models import Count

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from places.models import PlacePage
from regions.models import RegionPage
from tests.browser import RequestRecorder

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}


def _wait_until(page, expression, seconds=10):
    """Poll ``expression`` through page.evaluate: Playwright's wait_for_function evaluates
    its string with eval() inside the page, which the site's CSP (no unsafe-eval) refuses."""
    for _ in range(int(seconds / 0.05)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"still false after {seconds} s: {expression}")


@pytest.fixture
def phone(chromium, demo_server):
    context = chromium.new_context(
        locale="de-DE", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    context.set_default_timeout(20_000)
    yield context
    context.close()


def _axe_violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{violation['id']}: " + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
    ]


def _matching_titles(region_slug, category_slug):
    region = RegionPage.objects.get(slug=region_slug, locale__language_code="de")
    places = PlacePage.objects.live().descendant_of(region).filter(categories__slug=category_slug)
    return sorted(places.values_list("title", flat=True).distinct())


def test_phone_visitor_filters_from_home_and_lands_at_the_results(phone, demo_server):
    page = phone.new_page()
    requests = RequestRecorder(page)
    page.goto(demo_server.url + "/")
    page.get_by_role("link", name=re.compile(r"^Alle \d+ Orte entdecken")).tap()
    expect(page).to_have_url(re.compile(r"/orte/$"))

    # Results first: the panel is closed and the count is on the first screen.
    panel = page.locator("details.filter-panel")
    expect(panel).not_to_have_attribute("open", re.compile(".*"))
    count = page.locator("#ergebnisse h2")
    expect(count).to_have_text(re.compile(r"^\d+ Orte$"))
    assert count.bounding_box()["y"] < PHONE["height"], "the count is on the first screen"
    expect(page.get_by_label("Region", exact=True)).to_be_hidden()

    page.get_by_text("Orte filtern", exact=True).tap()
    expect(panel).to_have_attribute("open", "")
    page.get_by_label("Arbeiten/Wirtschaft", exact=True).tap()
    page.get_by_label("Region", exact=True).select_option("altmark")
    page.get_by_role("button", name="Filter anwenden").tap()

    expect(page).to_have_url(re.compile(r"/orte/\?.*category=arbeiten-wirtschaft.*#ergebnisse$"))
    assert "region=altmark" in page.url
    expected = _matching_titles("altmark", "arbeiten-wirtschaft")
    assert 1 < len(expected) < 24, expected  # one page of results, and a real choice
    heading = page.locator("#ergebnisse h2")
    expect(heading).to_have_text(f"{len(expected)} Orte")
    # Landed at the list: its heading is at the top of the screen, the panel closed again.
    _wait_until(page, "document.querySelector('#ergebnisse').getBoundingClientRect().top < 40")
    box = heading.bounding_box()
    assert 0 <= box["y"] < 120, box
    expect(panel).not_to_have_attribute("open", re.compile(".*"))
    expect(page.locator(".filter-count")).to_have_text("2 aktiv")
    expect(page.locator(".active-filters")).to_contain_text("Arbeiten/Wirtschaft")

    titles = sorted(page.locator("#ergebnisse .card h3").all_inner_texts())
    assert titles == expected
    for meta in page.locator("#ergebnisse .card .meta").all_inner_texts():
        assert "Arbeiten/Wirtschaft" in meta
    for href in page.locator("#ergebnisse .card h3 a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    ):
        assert href.startswith("/altmark/"), href
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert _axe_violations(page) == []
    assert requests.external == []


def _gallery_place_url():
    place = (
        PlacePage.objects.live()
        .annotate(images=Count("gallery_images"))
        .filter(images__gte=2)
        .order_by("title")
        .first()
    )
    return place.url


def _tab_to(page, predicate_js, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        script = f"(() => {{ const el = document.activeElement; return {predicate_js}; }})()"
        if page.evaluate(script):
            return
    raise AssertionError(f"Tab never reached: {predicate_js}")


def test_gallery_lightbox_works_by_keyboard_and_without_javascript(chromium, demo_server):
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        requests = RequestRecorder(page)
        page.goto(demo_server.url + _gallery_place_url())
        links = page.locator(".gallery a.gallery-link")
        assert links.count() >= 2
        hrefs = links.evaluate_all("links => links.map(a => a.href)")
        credit = page.locator(".gallery figcaption .credit").first.inner_text()
        assert credit

        _tab_to(page, "el.classList.contains('gallery-link')")
        page.keyboard.press("Enter")
        dialog = page.locator("dialog.lightbox")
        expect(dialog).to_be_visible()
        assert page.evaluate("document.querySelector('dialog.lightbox').open")
        in_dialog = "document.querySelector('dialog.lightbox').contains(document.activeElement)"
        assert page.evaluate(in_dialog)
        image = dialog.locator("img")
        expect(image).to_have_attribute("src", hrefs[0])
        expect(dialog.locator(".lightbox-count")).to_have_text(f"Bild 1 von {len(hrefs)}")
        expect(dialog.locator(".lightbox-caption")).to_contain_text(credit)
        _wait_until(page, "document.querySelector('dialog.lightbox img').complete")
        assert page.evaluate("document.querySelector('dialog.lightbox img').naturalWidth") > 0
        assert _axe_violations(page) == []

        page.keyboard.press("ArrowRight")
        expect(image).to_have_attribute("src", hrefs[1])
        expect(dialog.locator(".lightbox-count")).to_have_text(f"Bild 2 von {len(hrefs)}")
        page.keyboard.press("ArrowLeft")
        expect(image).to_have_attribute("src", hrefs[0])
        page.keyboard.press("ArrowLeft")  # wraps around to the last image
        expect(image).to_have_attribute("src", hrefs[-1])

        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        # Focus returns to the gallery: the link of the image shown last.
        assert page.evaluate("document.activeElement.href") == hrefs[-1]
        assert requests.external == []
    finally:
        context.close()

    plain = chromium.new_context(locale="de-DE", java_script_enabled=False)
    try:
        page = plain.new_page()
        page.goto(demo_server.url + _gallery_place_url())
        page.locator(".gallery a.gallery-link").first.click()
        expect(page).to_have_url(re.compile(r"/media/images/.+\.jpe?g$"))
        assert page.locator("dialog").count() == 0
    finally:
        plain.close()
