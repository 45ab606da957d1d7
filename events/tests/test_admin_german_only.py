"""The „Veranstaltungen“ listing and „Veranstaltung hinzufügen“ are German: an event's English
translation (a page in wagtail-localize's English tree, which the region's moderators may
edit) is no event of its own, and no event is made below an English place."""

import datetime

from wagtail.models import Locale

import pytest

from events.factories import EventPageFactory
from events.occurrences import local_today
from regions.translation import translate_as_draft

from .test_admin import add_event_links, add_url, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated(altmark):
    """The Altmark's Hoffest with a live English translation (and its place's)."""
    english = Locale.objects.get(language_code="en")
    event = EventPageFactory(
        parent=altmark.place,
        title="Hoffest",
        start_date=local_today() + datetime.timedelta(days=3),
    )
    pages = {}
    for page, title in ((altmark.place, "Wiesengrund Estate"), (event, "Farm Festival")):
        translate_as_draft(page, [english])
        translation = page.get_translation(english).specific
        translation.title = title
        translation.save_revision().publish()
        pages[title] = translation
    altmark.event = event
    altmark.english_place = pages["Wiesengrund Estate"]
    altmark.english_event = pages["Farm Festival"]
    return altmark


def test_the_listing_shows_german_events_only(client, translated):
    client.force_login(translated.moderator)
    assert translated.english_event.permissions_for_user(translated.moderator).can_edit()
    for query in ("", "?zeitraum=alle", "?ordering=title"):
        text = text_of(client.get(f"/admin/veranstaltungen/{query}"))
        assert "Hoffest" in text, query
        assert "Farm Festival" not in text, query
    found = text_of(client.get("/admin/veranstaltungen/results/?q=Festival&zeitraum=alle"))
    assert "Farm Festival" not in found
    found = text_of(client.get("/admin/veranstaltungen/results/?q=Hoffest"))
    assert "Hoffest" in found


def test_events_are_added_to_german_places_only(client, translated):
    client.force_login(translated.moderator)
    english_place = translated.english_place
    assert english_place.permissions_for_user(translated.moderator).can_add_subpage()

    response = client.post(
        "/admin/veranstaltungen/choose_parent/", {"parent_page": translated.place.pk}
    )
    assert response["Location"] == add_url(translated.place)
    response = client.post(
        "/admin/veranstaltungen/choose_parent/", {"parent_page": english_place.pk}
    )
    assert response.status_code == 200
    assert "Hier können Sie keine Veranstaltung anlegen" in text_of(response)

    assert add_url(translated.place) in add_event_links(
        client.get(f"/admin/pages/{translated.place.pk}/")
    )
    assert add_url(english_place) not in add_event_links(
        client.get(f"/admin/pages/{english_place.pk}/")
    )
