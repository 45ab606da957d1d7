"""The English site in Debian's Chromium over the demo content (issue 22).

A visitor whose browser prefers English opens a German place page that has an English
translation: German at its German address. The language switcher („English“) leads to the
same page under /en/, with the English title and texts, ``<html lang="en">`` and the English
navigation. From there the visitor follows a link to a place nobody has translated yet:
still under /en/ and in the English interface, the page says it is not translated yet and
links to the German page, which is where that link leads. No request leaves the machine and
no cookie is set.
"""

import re

import pytest
from playwright.sync_api import expect

from core.languages import live_translations
from places.models import PlacePage
from tests.browser import RequestRecorder

# django_db: makes pytest-django create the test database that demo_server fills.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SWITCH_TO_ENGLISH = 'nav.language-switcher a[hreflang="en"]'
SWITCH_TO_GERMAN = 'nav.language-switcher a[hreflang="de"]'
NOT_TRANSLATED = re.compile(r"not been translated yet")


@pytest.fixture
def english_visitor(chromium, demo_server):
    context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    yield context
    context.close()


def _places():
    """The visible German places, and their live English pages by German pk."""
    places = list(PlacePage.objects.visible().order_by("title"))
    return places, live_translations(places, "en")


def _note(page):
    """The note on an untranslated page: the element that says so and holds its link."""
    return page.locator("main *", has_text=NOT_TRANSLATED).filter(
        has=page.locator('a[hreflang="de"]')
    )


def test_a_visitor_switches_to_english_and_meets_an_untranslated_place(
    english_visitor, demo_server
):
    places, translated = _places()
    # A translated place whose English title differs (so the switch is visible).
    german = next(p for p in places if p.pk in translated and translated[p.pk].title != p.title)
    english = translated[german.pk]
    untranslated = {place.url: place for place in places if place.pk not in translated}
    assert german.url.startswith("/") and not german.url.startswith("/en/")

    page = english_visitor.new_page()
    requests = RequestRecorder(page)
    page.goto(demo_server.url + german.url)
    # The address decides the language, not the browser's preference.
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("h1")).to_have_text(german.title)

    switch = page.locator(SWITCH_TO_ENGLISH)
    expect(switch).to_have_text("English")
    switch.click()

    expect(page).to_have_url(f"{demo_server.url}/en{german.url}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(english.title)
    expect(page.locator("main")).to_contain_text(english.teaser)
    expect(page.locator("main")).not_to_contain_text(german.teaser)
    assert _note(page).count() == 0
    navigation = page.get_by_role("navigation", name="Main navigation")
    expect(navigation.get_by_role("link", name="All places")).to_have_attribute("href", "/en/orte/")
    expect(navigation.get_by_role("link", name="Events")).to_have_attribute(
        "href", "/en/veranstaltungen/"
    )
    expect(navigation.get_by_role("link", name="About the project")).to_be_visible()
    expect(page.locator(SWITCH_TO_GERMAN)).to_have_attribute("href", german.url)

    # A link on the English page to a place that has no English page yet (nearby places).
    hrefs = page.locator("main a[href^='/en/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    target = next(href for href in hrefs if href.removeprefix("/en") in untranslated)
    other = untranslated[target.removeprefix("/en")]
    page.locator(f"main a[href='{target}']").first.click()

    expect(page).to_have_url(demo_server.url + target)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(other.title)
    note = _note(page).last
    expect(note).to_be_visible()
    back = note.locator('a[hreflang="de"]')
    expect(back).to_have_attribute("href", other.url)
    # The interface around the German text is still English.
    expect(
        page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Events")
    ).to_have_attribute("href", "/en/veranstaltungen/")

    back.click()
    expect(page).to_have_url(demo_server.url + other.url)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("h1")).to_have_text(other.title)
    assert _note(page).count() == 0
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_visible()

    assert requests.external == []
    assert english_visitor.cookies() == []
