"""A region's translator in Chromium: from the German place in the page explorer through
„Diese Seite übersetzen“ and wagtail-localize's editor (German, also its JavaScript) to
„Zur Freigabe einreichen“; the English page stays a draft until the moderators approve."""

from django.contrib.auth import get_user_model

from wagtail.models import Locale, WorkflowState

import pytest

from places.factories import PlacePageFactory
from places.models import PlacePage
from regions.onboarding import onboard_region

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "ein-langes-Passwort-42"


def test_translator_translates_and_submits_in_the_browser(
    live_server, browser_page, region, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    result = onboard_region("Altmark", slug="altmark")
    place = PlacePageFactory(
        parent=result.region, title="Gutshof Wiesengrund", slug="gutshof", teaser="Ein Gutshof."
    )
    user = get_user_model().objects.create_user("tina", "tina@example.org", PASSWORD)
    user.groups.add(result.translators_group)

    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "tina")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    # The German region in the explorer; the place's „…“ menu offers the translation.
    page.goto(f"{live_server.url}/admin/pages/{result.region.pk}/")
    page.get_by_role("button", name="Weitere Optionen für 'Gutshof Wiesengrund'").click()
    page.get_by_role("link", name="Diese Seite übersetzen").click()
    page.get_by_role("heading", name="Seite übersetzen").wait_for()
    assert page.is_checked("input[name=locales]"), "English is ticked already"
    page.get_by_role("button", name="Absenden").click()

    # wagtail-localize's editor, German in its JavaScript too.
    page.get_by_text("wurde erfolgreich zur Übersetzung in English eingereicht").wait_for()
    page.get_by_role("button", name="Übersetzen").first.click()
    page.keyboard.type("Wiesengrund Manor")
    page.get_by_role("button", name="Speichern").first.click()
    page.get_by_text("Manuell übersetzt").wait_for()

    page.get_by_role("button", name="Zur Freigabe einreichen").click()
    page.get_by_text("„Wiesengrund Manor“ ist zur Freigabe eingereicht.").wait_for()
    assert page.get_by_role("button", name="Änderungen nachreichen").is_visible()

    english = PlacePage.objects.get(
        translation_key=place.translation_key, locale=Locale.objects.get(language_code="en")
    )
    assert not english.live, "public only after the moderators' approval"
    assert english.get_latest_revision_as_object().title == "Wiesengrund Manor"
    state = english.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Freigabe Altmark"
