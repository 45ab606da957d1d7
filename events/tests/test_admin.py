"""Events for editors, through the admin's real views: „Veranstaltung hinzufügen“ on a place,
the German form and its messages, the region's workflow, and the „Veranstaltungen“ listing."""

import datetime
import html
import re

from django.contrib.auth.models import Permission
from django.utils.formats import date_format

from wagtail.models import TaskState, WorkflowState

import pytest

from events.factories import EventPageFactory
from events.models import EventPage, Recurrence
from events.occurrences import local_today
from events.wagtail_hooks import repeat_label

from .conftest import event_form_data

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's text with tags removed and entities resolved."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def add_url(place):
    return f"/admin/pages/add/events/eventpage/{place.pk}/"


def add_event_links(response) -> list[str]:
    """The targets of the „Veranstaltung hinzufügen“ links on the page."""
    return re.findall(
        r'<a[^>]*href="([^"]+)"[^>]*>(?:(?!</a>).)*Veranstaltung hinzufügen',
        response.content.decode(),
        re.S,
    )


# --- Adding an event to a place ---------------------------------------------------------


def test_a_place_offers_add_event_in_the_explorer_and_its_edit_form(client, altmark):
    client.force_login(altmark.editor)
    place, other = altmark.place, altmark.other_place

    assert add_url(place) in add_event_links(client.get(f"/admin/pages/{place.pk}/"))
    assert add_url(place) in add_event_links(client.get(f"/admin/pages/{place.pk}/edit/"))
    # In the region's list, each place's „…“ menu; the region itself takes no events.
    in_region = add_event_links(client.get(f"/admin/pages/{altmark.region.pk}/"))
    assert set(in_region) == {add_url(place), add_url(other)}


def test_add_subpage_goes_straight_to_the_event_form_in_german(client, altmark):
    client.force_login(altmark.editor)
    response = client.get(f"/admin/pages/{altmark.place.pk}/add_subpage/")
    assert response.status_code == 302
    assert response["Location"] == add_url(altmark.place)

    text = text_of(client.get(add_url(altmark.place)))
    for wording in (
        "Neu: Veranstaltung",
        "Titel",
        "Kurzbeschreibung",
        "Wann?",
        "Datum",
        "Beginn",
        "Enddatum",
        "Ganztägig: „Beginn“ und „Ende“ leer lassen.",
        "Wiederholung",
        "monatlich am selben Wochentag (z. B. jeden ersten Samstag)",
        "an jedem ersten Samstag",
        "Eintritt und Anmeldung",
        "Eintritt frei",
        "Preis in Euro",
        "Anmeldung (Link)",
        "Absage",
        "Fällt aus",
        "Eine abgesagte Veranstaltung nicht löschen",
        "Entwurf speichern",
    ):
        assert wording in text, wording
    for english in ("Start date", "Recurrence", "Add event", "Save draft", "Cancelled"):
        assert english not in text


MESSAGES = [
    (
        {"start_date": "2030-06-15", "end_date": "2030-06-14"},
        "Das Enddatum liegt vor dem Datum. Bitte ein späteres Enddatum angeben oder das Feld "
        "leer lassen.",
    ),
    (
        {"start_time": "", "end_time": "16:00"},
        "Ein Ende braucht einen Beginn. Für eine ganztägige Veranstaltung beide Felder leer "
        "lassen.",
    ),
    (
        {"start_time": "18:00", "end_time": "17:00"},
        "Das Ende liegt nicht nach dem Beginn. Geht die Veranstaltung über Mitternacht, bitte "
        "auch das Enddatum angeben.",
    ),
    (
        {"end_date": "2030-06-16", "recurrence": Recurrence.WEEKLY},
        "Mehrtägige Veranstaltungen können sich nicht wiederholen. Bitte „einmalig“ wählen oder "
        "das Enddatum leer lassen.",
    ),
    (
        {"recurrence": Recurrence.MONTHLY_WEEKDAY, "recurrence_until": "2030-01-01"},
        "„Wiederholen bis“ liegt vor dem Datum des ersten Termins.",
    ),
    (
        {"recurrence": Recurrence.WEEKLY, "recurrence_interval": "13"},
        "Bitte eine Zahl von 1 bis 12 angeben.",
    ),
    (
        {"is_free": "on", "price": "12.50"},
        "Entweder „Eintritt frei“ ankreuzen oder einen Preis angeben, nicht beides.",
    ),
    (
        {"start_date": "", "teaser": "", "action-submit": "action-submit"},
        "Dieses Feld muss ausgefüllt werden.",
    ),
    ({"start_date": "15.13.2030"}, "Bitte ein gültiges Datum eingeben."),
    ({"start_time": "25:00"}, "Bitte eine gültige Uhrzeit eingeben."),
    ({"registration_url": "anmeldung bei Lea"}, "Bitte eine gültige Adresse eingeben."),
]


@pytest.mark.parametrize(("fields", "message"), MESSAGES)
def test_each_mistake_gets_a_german_message_and_nothing_is_saved(client, altmark, fields, message):
    client.force_login(altmark.editor)
    response = client.post(add_url(altmark.place), event_form_data(**fields))
    assert response.status_code == 200
    text = text_of(response)
    assert message in text
    if "teaser" in fields:
        assert text.count(message) == 2  # date and teaser
    assert "Die Seite konnte wegen Prüfungsfehlern nicht erstellt werden." in text
    assert not EventPage.objects.exists()


def test_german_dates_are_understood(client, altmark):
    client.force_login(altmark.editor)
    # The price field is a number input: the browser sends 12,50 as 12.50.
    data = event_form_data(start_date="15.06.2030", start_time="18:30", price="12.50")
    assert client.post(add_url(altmark.place), data).status_code == 302
    event = EventPage.objects.get()
    draft = event.get_latest_revision_as_object()
    assert (draft.start_date, draft.start_time) == (
        datetime.date(2030, 6, 15),
        datetime.time(18, 30),
    )
    assert str(draft.price) == "12.50"


# --- Moderation: the region's workflow applies to events ---------------------------------


def test_an_editor_submits_an_event_and_the_moderator_approves_it(client, altmark):
    client.force_login(altmark.editor)
    response = client.post(
        add_url(altmark.place), event_form_data(**{"action-submit": "action-submit"})
    )
    assert response.status_code == 302
    event = EventPage.objects.get()
    assert not event.live
    assert event.get_parent().pk == altmark.place.pk
    workflow_state = WorkflowState.objects.get(object_id=str(event.pk))
    assert workflow_state.workflow.name == "Freigabe Altmark"
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    # The editor may not publish on their own.
    client.post(
        f"/admin/pages/{event.pk}/edit/", event_form_data(**{"action-publish": "action-publish"})
    )
    event.refresh_from_db()
    assert not event.live

    client.force_login(altmark.moderator)
    task_state = TaskState.objects.get(workflow_state=workflow_state, status="in_progress")
    assert "Hoffest" in text_of(client.get("/admin/"))  # on the moderator's dashboard
    response = client.post(
        f"/admin/pages/workflow/action/{event.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code in (200, 302)
    event.refresh_from_db()
    assert event.live
    assert list(EventPage.objects.visible()) == [event]


def test_a_moderator_publishes_an_event_directly(client, altmark):
    client.force_login(altmark.moderator)
    data = event_form_data(**{"action-publish": "action-publish"})
    assert client.post(add_url(altmark.place), data).status_code == 302
    assert EventPage.objects.get().live


# --- The „Veranstaltungen“ listing -------------------------------------------------------


@pytest.fixture
def events(altmark):
    today = local_today()
    return {
        "soon": EventPageFactory(
            parent=altmark.place,
            title="Hoffest",
            start_date=today + datetime.timedelta(days=3),
            start_time=datetime.time(18),
        ),
        "series": EventPageFactory(
            parent=altmark.other_place,
            title="Coworking-Probetag",
            start_date=today - datetime.timedelta(days=30),
            start_time=datetime.time(9),
            recurrence=Recurrence.WEEKLY,
        ),
        "festival": EventPageFactory(
            parent=altmark.other_place,
            title="Sommerfest",
            start_date=today + datetime.timedelta(days=10),
            end_date=today + datetime.timedelta(days=11),
            start_time=None,
        ),
        "cancelled": EventPageFactory(
            parent=altmark.place,
            title="Infoabend",
            start_date=today + datetime.timedelta(days=5),
            cancelled=True,
        ),
        "next_year": EventPageFactory(
            parent=altmark.place,
            title="Jubiläum",
            start_date=today + datetime.timedelta(days=500),
            start_time=None,
        ),
        "past": EventPageFactory(
            parent=altmark.place,
            title="Frühjahrsputz",
            start_date=today - datetime.timedelta(days=20),
        ),
    }


def day(value):
    return date_format(value, "D, d.m.Y")


def test_the_listing_shows_upcoming_events_soonest_first_with_their_next_date(
    client, altmark, events
):
    client.force_login(altmark.editor)
    response = client.get("/admin/veranstaltungen/")
    assert response.status_code == 200
    text = text_of(response)
    titles = ["Coworking-Probetag", "Hoffest", "Infoabend", "Sommerfest", "Jubiläum"]
    positions = [text.find(title) for title in titles]
    assert -1 not in positions, positions
    # The series started before the soonest one-off event: ordered by start date.
    assert positions == sorted(positions)
    assert "Frühjahrsputz" not in text

    today = local_today()
    weekly = events["series"].start_date
    # Started 30 days ago: its weekday comes again in 5 days.
    next_in_series = today + datetime.timedelta(days=5)
    assert next_in_series.weekday() == weekly.weekday()
    festival = events["festival"]
    for expected in (
        f"{day(today + datetime.timedelta(days=3))}, 18:00",
        f"{day(next_in_series)}, 09:00 · jeden {date_format(weekly, 'l')}",
        f"{day(festival.start_date)} bis {day(festival.end_date)}",
        f"Fällt aus: {day(today + datetime.timedelta(days=5))}, 18:00",
        f"{day(today + datetime.timedelta(days=500))} (ganztägig)",
    ):
        assert expected in text, expected
    assert re.search(r"\b(Mo|Di|Mi|Do|Fr|Sa|So), \d\d\.\d\d\.\d{4}", text)
    for heading in ("Nächster Termin", "Ort", "Zeitraum", "Kommende", "Vergangene"):
        assert heading in text
    assert "Gutshof Wiesengrund" in text and "Kulturscheune Elbblick" in text
    assert "Hat untergeordnete Seiten" not in text


def test_the_listing_shows_past_events_and_all_on_request_and_searches(client, altmark, events):
    client.force_login(altmark.editor)
    past = text_of(client.get("/admin/veranstaltungen/?zeitraum=vergangen"))
    assert "Frühjahrsputz" in past and "Hoffest" not in past
    assert f"vorbei ({day(events['past'].start_date)})" in past

    everything = text_of(client.get("/admin/veranstaltungen/?zeitraum=alle"))
    for event in events.values():
        assert event.title in everything

    found = text_of(client.get("/admin/veranstaltungen/results/?q=Sommerfest"))
    assert "Sommerfest" in found and "Hoffest" not in found
    # Sorting by another column and searching keep working together.
    for query in ("?ordering=-start_date", "?q=Hoffest&ordering=title", "?q=Hoffest&zeitraum=alle"):
        assert client.get(f"/admin/veranstaltungen/{query}").status_code == 200, query


def test_the_listing_adds_an_event_by_choosing_its_place(client, altmark):
    client.force_login(altmark.editor)
    text = text_of(client.get("/admin/"))
    assert "Veranstaltungen" in text  # the menu item
    response = client.get("/admin/veranstaltungen/")
    assert "/admin/veranstaltungen/choose_parent/" in response.content.decode()

    response = client.get("/admin/veranstaltungen/choose_parent/")
    assert response.status_code == 200
    assert "Ort wählen" in text_of(response)
    response = client.post(
        "/admin/veranstaltungen/choose_parent/", {"parent_page": altmark.place.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == add_url(altmark.place)
    # The region page is no place.
    response = client.post(
        "/admin/veranstaltungen/choose_parent/", {"parent_page": altmark.region.pk}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"recurrence": Recurrence.WEEKLY}, "jeden Samstag"),
        ({"recurrence": Recurrence.WEEKLY, "recurrence_interval": 2}, "alle 2 Wochen am Samstag"),
        ({"recurrence": Recurrence.MONTHLY_DAY}, "monatlich am 5."),
        ({"recurrence": Recurrence.MONTHLY_DAY, "recurrence_interval": 3}, "alle 3 Monate am 5."),
        ({"recurrence": Recurrence.MONTHLY_WEEKDAY}, "jeden ersten Samstag im Monat"),
        (
            {"recurrence": Recurrence.MONTHLY_WEEKDAY, "start_date": datetime.date(2027, 1, 30)},
            "jeden letzten Samstag im Monat",
        ),
        (
            {
                "recurrence": Recurrence.MONTHLY_WEEKDAY,
                "recurrence_interval": 2,
                "recurrence_until": datetime.date(2027, 6, 30),
            },
            "alle 2 Monate am ersten Samstag bis 30.06.2027",
        ),
    ],
)
def test_repeats_are_named_the_way_editors_say_them(fields, label):
    event = EventPage(title="Markt", **{"start_date": datetime.date(2026, 12, 5), **fields})
    assert repeat_label(event) == label


def test_the_menu_item_is_for_people_with_page_rights(client, altmark, django_user_model):
    inbox_only = django_user_model.objects.create_user("post", "post@example.org", "pw-123456")
    inbox_only.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(inbox_only)
    assert "/admin/veranstaltungen/" not in client.get("/admin/").content.decode()
    client.force_login(altmark.editor)
    assert "/admin/veranstaltungen/" in client.get("/admin/").content.decode()
