"""Events between regions, through the admin's real views: a Harz editor adds, edits and submits
events below the Harz's places (and the Harz moderator publishes them), but cannot add, edit
or publish events below the Altmark's places, and sees none of them – nor their titles – in
the explorer, the „Veranstaltungen“ listing, search, choosers and reports.

The Altmark has a live event with a newer draft title and an unpublished event
(``altmark_events``); each view is first checked to show the Harz's own matching event, so
that an empty answer does not pass for a safe one.
"""

from wagtail.models import Page, WorkflowState

import pytest

from events.factories import EventPageFactory
from events.models import EventPage
from events.tests.conftest import event_form_data

from .test_isolation import assert_refused, snapshot

SECRET_EVENT_DRAFT = "Geheime Altmark-Lesung"
SECRET_EVENT_UNPUBLISHED = "Unveröffentlichtes Altmark-Fest"
LIVE_ALTMARK_EVENT = "Altmärker Hoffest"
SECRETS = (SECRET_EVENT_DRAFT, SECRET_EVENT_UNPUBLISHED, "Geheimer Entwurfstitel")


@pytest.fixture
def altmark_events(two_regions):
    d = two_regions
    live = EventPageFactory(parent=d["live_place"], title=LIVE_ALTMARK_EVENT, slug="hoffest")
    draft = live.get_latest_revision_as_object() if live.latest_revision else live
    draft.title = SECRET_EVENT_DRAFT
    draft.save_revision(user=d["altmark_editor"])
    unpublished = EventPageFactory(
        parent=d["live_place"], title=SECRET_EVENT_UNPUBLISHED, slug="fest"
    )
    unpublished.unpublish()
    harz_event = EventPageFactory(parent=d["harz_place"], title="Harzer Hoffest", slug="hoffest")
    harz_draft = EventPageFactory(parent=d["harz_place"], title="Harzer Lesung", slug="lesung")
    harz_draft.unpublish()
    return {
        **d,
        "live_event": EventPage.objects.get(pk=live.pk),
        "unpublished_event": unpublished,
        "harz_event": harz_event,
    }


def add_url(place):
    return f"/admin/pages/add/events/eventpage/{place.pk}/"


def test_a_harz_editor_adds_edits_and_submits_events_that_the_harz_moderator_publishes(
    client, altmark_events
):
    d = altmark_events
    place = d["harz_place"]
    client.force_login(d["harz_editor"])
    assert add_url(place) in client.get(f"/admin/pages/{place.pk}/").content.decode()

    response = client.post(add_url(place), event_form_data(title="Brockenlauf", slug="lauf"))
    assert response.status_code == 302
    event = EventPage.objects.get(slug="lauf")
    assert event.get_parent().pk == place.pk

    edited = event_form_data(title="Brockenlauf 2030", slug="lauf", teaser="Neu: mit Staffel.")
    assert client.post(f"/admin/pages/{event.pk}/edit/", edited).status_code == 302
    event.refresh_from_db()
    assert event.get_latest_revision_as_object().teaser == "Neu: mit Staffel."

    submitted = event_form_data(title="Brockenlauf 2030", slug="lauf", **{"action-submit": "1"})
    assert client.post(f"/admin/pages/{event.pk}/edit/", submitted).status_code == 302
    state = WorkflowState.objects.get(object_id=str(event.pk), status="in_progress")
    assert state.workflow.name == "Freigabe Harz"
    event.refresh_from_db()
    assert not event.live

    client.force_login(d["harz_moderator"])
    task = state.current_task_state
    url = f"/admin/pages/workflow/action/{event.pk}/approve/{task.pk}/"
    assert client.post(url, {"comment": ""}).status_code in (200, 302)
    event.refresh_from_db()
    assert event.live and event.title == "Brockenlauf 2030"


def test_a_harz_editor_cannot_add_events_below_altmark_places(client, altmark_events):
    d = altmark_events
    place = d["live_place"]
    client.force_login(d["harz_editor"])
    before = snapshot()
    assert_refused(client.get(add_url(place)))
    assert_refused(client.post(add_url(place), event_form_data(slug="eingeschmuggelt")))
    assert_refused(
        client.post(add_url(place), event_form_data(**{"action-submit": "1", "slug": "x"}))
    )
    assert_refused(client.get(f"/admin/pages/{place.pk}/add_subpage/"))
    # Choosing the place in the listing's „Veranstaltung hinzufügen“: only the Harz's places.
    response = client.post("/admin/veranstaltungen/choose_parent/", {"parent_page": place.pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Gutshof Altmark" not in content and "Geheimer Entwurfstitel" not in content
    assert "Bitte einen Ihrer Orte wählen." in content
    response = client.post(
        "/admin/veranstaltungen/choose_parent/", {"parent_page": d["harz_place"].pk}
    )
    assert response["Location"] == add_url(d["harz_place"])
    assert snapshot() == before


def test_a_harz_editor_or_moderator_cannot_edit_or_publish_altmark_events(client, altmark_events):
    d = altmark_events
    event = d["live_event"]
    before = snapshot()
    for user in (d["harz_editor"], d["harz_moderator"]):
        client.force_login(user)
        for method, url, data in [
            ("get", f"/admin/pages/{event.pk}/edit/", None),
            ("post", f"/admin/pages/{event.pk}/edit/", event_form_data(slug="hoffest")),
            (
                "post",
                f"/admin/pages/{event.pk}/edit/",
                event_form_data(slug="hoffest", **{"action-publish": "1"}),
            ),
            ("get", f"/admin/pages/{event.pk}/unpublish/", None),
            ("post", f"/admin/pages/{event.pk}/unpublish/", {}),
            ("post", f"/admin/pages/{event.pk}/delete/", {}),
            ("get", f"/admin/pages/{event.pk}/history/", None),
            ("get", f"/admin/pages/{d['unpublished_event'].pk}/view_draft/", None),
        ]:
            response = getattr(client, method)(url, data or {})
            assert_refused(response)
            content = response.content.decode(errors="replace")
            for secret in SECRETS:
                assert secret not in content, (url, secret)
    assert snapshot() == before


# url: the Harz's own event that must show there (None: only the absence is checked)
VIEWS = {
    "/admin/veranstaltungen/": "Harzer Hoffest",
    "/admin/veranstaltungen/?zeitraum=alle": "Harzer Lesung",
    "/admin/veranstaltungen/?zeitraum=vergangen": None,
    "/admin/veranstaltungen/results/?q=Hoffest": "Harzer Hoffest",
    "/admin/veranstaltungen/results/?q=Lesung&zeitraum=alle": "Harzer Lesung",
    "/admin/veranstaltungen/choose_parent/": None,
    "/admin/pages/search/?q=Hoffest": "Harzer Hoffest",
    "/admin/pages/search/?q=Lesung": "Harzer Lesung",
    "/admin/pages/search/?q=Fest": None,
    "/admin/pages/usage/events/eventpage/": "Harzer Hoffest",
    "/admin/choose-page/search/?q=Lesung": "Harzer Lesung",
    "/admin/choose-page/search/?q=Fest": None,
    "/admin/api/main/pages/?type=events.EventPage&limit=100": "Harzer Hoffest",
    "/admin/api/main/pages/?search=Lesung": None,
    "/admin/reports/site-history/": "Harzer Hoffest",
    "/admin/reports/workflow/": None,
    "/admin/": None,
}


@pytest.mark.parametrize("role", ["harz_editor", "harz_moderator"])
def test_altmark_events_stay_out_of_every_harz_view(client, altmark_events, role):
    d = altmark_events
    client.force_login(d[role])
    # The explorer of an Altmark place sends the Harz's people back to their own region.
    altmark_place = client.get(f"/admin/pages/{d['live_place'].pk}/", follow=True)
    views = {**VIEWS, f"/admin/pages/{d['harz_place'].pk}/": "Harzer Hoffest"}
    leaks, vacuous = [], []
    for url, own in [*views.items(), ("altmark place", None)]:
        response = altmark_place if url == "altmark place" else client.get(url, follow=True)
        content = response.content.decode(errors="replace")
        for secret in (*SECRETS, LIVE_ALTMARK_EVENT):
            # The page chooser names live pages anywhere by their published title (they are
            # public); never a draft.
            if secret == LIVE_ALTMARK_EVENT and "/choose-page/" in url:
                continue
            if secret in content:
                leaks.append((url, secret))
        if own and own not in content:
            vacuous.append((url, own, response.status_code))
    assert leaks == []
    assert vacuous == []


def test_the_altmark_editor_sees_its_events_and_the_portal_team_all(client, altmark_events):
    from regions.onboarding import ensure_portal_team

    d = altmark_events
    client.force_login(d["altmark_editor"])
    content = client.get("/admin/veranstaltungen/?zeitraum=alle").content.decode()
    assert SECRET_EVENT_DRAFT in content and SECRET_EVENT_UNPUBLISHED in content
    assert "Harzer Hoffest" not in content

    portal = type(d["altmark_editor"]).objects.create_user("portal", "p@example.org", "pw-1234567")
    portal.groups.add(ensure_portal_team())
    client.force_login(portal)
    content = client.get("/admin/veranstaltungen/?zeitraum=alle").content.decode()
    for title in (SECRET_EVENT_DRAFT, SECRET_EVENT_UNPUBLISHED, "Harzer Hoffest"):
        assert title in content
    assert Page.objects.type(EventPage).count() == 4
