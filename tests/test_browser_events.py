"""An event from the editor's first click to the visitor's calendar, in a real browser.

An Altmark editor opens a place in the explorer, chooses „Veranstaltung hinzufügen“ in the
place's actions, fills title, teaser, a date ten days ahead and a time in German, and submits
the event to the region's workflow. The moderator approves it. A visitor then finds it under
„Nächste Termine“ on the place page, follows „Termine als Kalender abonnieren“, and the
iCalendar feed of that place (``/api/veranstaltungen.ics?place=…``, fetched from the live
server and parsed with ``icalendar``) holds it at 18:30 Berlin time. No request leaves the
machine and no save fails on the way.
"""

import datetime
import re

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from events.models import EventPage
from events.occurrences import TIME_ZONE, local_today
from places.factories import PlacePageFactory
from tests.admin_staff import EDITOR_PASSWORD, MODERATOR, log_in, onboarded_region
from tests.browser import RequestRecorder
from tests.test_browser_editor_walk import (
    MENU_TOGGLE,
    SaveWatcher,
    assert_no_failed_save,
)

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
TITLE = "Hoffest mit Scheunenkonzert"
TEASER = "Musik in der Scheune, Kuchen aus dem Holzofen und offene Werkstätten."


@pytest.fixture
def altmark_place(transactional_db, settings, tmp_path, django_user_model):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 10 * 60 * 1000
    region = onboarded_region("Altmark", "altmark@example.org", django_user_model, editor="lea")
    place = PlacePageFactory(parent=region.region, title="Gutshof Wiesengrund", slug="gutshof")
    place.save_revision().publish()
    return place


def new_context(chromium):
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    return context, page


def test_an_editor_adds_an_event_and_visitors_find_it_on_the_place_and_in_the_calendar(
    live_server, chromium, altmark_place
):
    base = live_server.url
    place = altmark_place
    day = local_today() + datetime.timedelta(days=10)

    # --- The editor -----------------------------------------------------------------------
    context, page = new_context(chromium)
    watcher = SaveWatcher(page)
    outside = RequestRecorder(page)
    log_in(page, base, "lea", EDITOR_PASSWORD)
    page.goto(f"{base}/admin/pages/{place.pk}/")
    page.locator("#w-slim-header-buttons").get_by_role("button", name="Aktionen").click()
    page.get_by_role("link", name="Veranstaltung hinzufügen").click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/add/events/eventpage/{place.pk}/$"))
    expect(page.get_by_role("heading", name="Wann?")).to_be_visible()

    page.locator("input[name='title']").fill(TITLE)
    page.locator("[name='teaser']").fill(TEASER)
    page.locator("input[name='start_date']").fill(day.strftime("%d.%m.%Y"))
    page.locator("input[name='start_time']").fill("18:30")
    page.locator("input[name='end_time']").fill("22:00")
    page.keyboard.press("Escape")  # close the time picker
    page.get_by_label("Eintritt frei").check()
    assert_no_failed_save(page, watcher, "filling the form")

    page.locator(MENU_TOGGLE).first.click()
    page.get_by_role("button", name="In Freigabe Altmark einreichen").click()
    expect(page.locator(".messages")).to_contain_text(TITLE)
    assert_no_failed_save(page, watcher, "submitting")
    event = EventPage.objects.get(title=TITLE)
    assert event.get_parent().pk == place.pk
    assert not event.live
    draft = event.get_latest_revision_as_object()
    assert (draft.start_date, draft.start_time) == (day, datetime.time(18, 30))

    # The „Veranstaltungen“ listing shows it with its date.
    page.get_by_role("link", name="Veranstaltungen").first.click()
    expect(page).to_have_url(re.compile(r"/admin/veranstaltungen/$"))
    expect(page.locator("main")).to_contain_text(TITLE)
    expect(page.locator("main")).to_contain_text(f"{day:%d.%m.%Y}, 18:30")
    assert outside.external == []
    context.close()

    # --- The moderator --------------------------------------------------------------------
    context, page = new_context(chromium)
    watcher = SaveWatcher(page)
    username, _email, password = MODERATOR
    log_in(page, base, username, password)
    page.goto(f"{base}/admin/pages/{event.pk}/edit/")
    page.locator(MENU_TOGGLE).first.click()
    page.locator("button[data-workflow-action-name='approve']").first.click()
    expect(page.locator(".messages")).to_contain_text(TITLE)
    assert_no_failed_save(page, watcher, "approving")
    context.close()
    event.refresh_from_db()
    assert event.live

    # --- The visitor ----------------------------------------------------------------------
    context, page = new_context(chromium)
    outside = RequestRecorder(page)
    page.goto(f"{base}{place.url}")
    dates = page.locator("section", has=page.get_by_role("heading", name="Nächste Termine"))
    start = datetime.datetime.combine(day, datetime.time(18, 30), tzinfo=TIME_ZONE)
    row = dates.locator("li", has_text=TITLE)
    expect(row.locator("time")).to_have_attribute("datetime", start.isoformat(timespec="minutes"))
    expect(row.locator("time")).to_contain_text(f"{day.day}. ")
    expect(row.locator("time")).to_contain_text("18:30–22:00 Uhr")
    expect(row).to_contain_text("Eintritt frei")

    href = page.get_by_role("link", name="Termine als Kalender abonnieren").get_attribute("href")
    assert href == f"/api/veranstaltungen.ics?place={place.pk}", href
    response = context.request.get(base + href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.body())
    [vevent] = [c for c in calendar.walk("VEVENT") if str(c.get("summary")) == TITLE]
    dtstart = vevent.decoded("dtstart")
    assert dtstart == start
    assert dtstart.utcoffset() == start.utcoffset()  # 18:30 on the wall clock in Berlin
    assert vevent["dtstart"].params.get("TZID") == "Europe/Berlin"
    assert vevent.decoded("dtend") == datetime.datetime.combine(
        day, datetime.time(22), tzinfo=TIME_ZONE
    )
    assert outside.external == []
    context.close()
