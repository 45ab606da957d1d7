"""The demo's events: upcoming whenever the demo is loaded, across places of both regions."""

import datetime

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import timezone

from wagtail.models import Page

from core.languages import in_language_q
from demo.data import EVENTS, REGIONS
from demo.events import first_day, new_event
from demo.loader import load_demo
from demo.translations import english_version
from events.models import EventPage, Recurrence
from events.occurrences import upcoming
from places.models import PlacePage

PLACES = {place["slug"]: region["slug"] for region in REGIONS for place in region["places"]}


class DemoEventDataTests(TestCase):
    def test_every_event_is_valid_and_belongs_to_a_demo_place(self):
        today = timezone.localdate()
        self.assertEqual(len({e["slug"] for e in EVENTS}), len(EVENTS))
        for spec in EVENTS:
            with self.subTest(event=spec["slug"]):
                self.assertEqual(set(spec) - {"en"}, set(EVENTS[0]) - {"en"})  # no misspelt field
                self.assertIn(spec["place"], PLACES)
                if spec["registration_url"]:
                    self.assertIn(".example/", spec["registration_url"])
                event = new_event(spec, today)
                self.assertGreater(event.start_date, today)
                event.clean()  # the editors' rules (German messages) hold for the demo too

    def test_relative_dates(self):
        tuesday = datetime.date(2026, 9, 1)
        self.assertEqual(first_day({"in_days": 3}, tuesday), datetime.date(2026, 9, 4))
        # "next Tuesday" on a Tuesday is a week later, never today.
        self.assertEqual(first_day({"next": "tuesday"}, tuesday), datetime.date(2026, 9, 8))
        self.assertEqual(first_day({"next": "friday"}, tuesday), datetime.date(2026, 9, 4))
        # 2026-09-05 is September's first Saturday; on that day the next one is in October.
        self.assertEqual(
            first_day({"first_of_month": "saturday"}, tuesday), datetime.date(2026, 9, 5)
        )
        self.assertEqual(
            first_day({"first_of_month": "saturday"}, datetime.date(2026, 9, 5)),
            datetime.date(2026, 10, 3),
        )
        self.assertEqual(
            first_day({"first_of_month": "saturday"}, datetime.date(2026, 12, 20)),
            datetime.date(2027, 1, 2),
        )


class LoadDemoEventsTests(TestCase):
    """The demo loaded once for the class; each test runs in a transaction of its own."""

    @classmethod
    def setUpTestData(cls):
        cls.first_run = load_demo(with_images=False)

    def test_upcoming_events_across_places_of_both_regions(self):
        result = self.first_run
        self.assertEqual(result.events.created, len(EVENTS))
        self.assertIn(f"{len(EVENTS)} Veranstaltungen", result.summary())

        # Within the next 40 days (the first Saturday of a month can be 35 days away).
        occurrences = upcoming(
            EventPage.objects.visible().for_listing(),
            last_day=timezone.localdate() + datetime.timedelta(days=40),
        )
        self.assertGreaterEqual(len(occurrences), 10)
        self.assertGreaterEqual(len({o.event.pk for o in occurrences if not o.cancelled}), 10)
        places = {o.event.get_parent().slug for o in occurrences}
        self.assertGreaterEqual(len(places), 5)
        self.assertEqual({PLACES[slug] for slug in places}, {"altmark", "saale-unstrut"})

        events = {event.slug: event for event in EventPage.objects.filter(in_language_q())}
        # Every kind an editor meets is in the demo.
        self.assertTrue(events["infoabend-workation"].cancelled)
        self.assertTrue(events["tag-des-offenen-hofes"].is_all_day)
        festival = events["werkstatttage-kelterhaus"]
        self.assertEqual(festival.end_date - festival.start_date, datetime.timedelta(days=1))
        self.assertEqual(events["coworking-probetag"].recurrence, Recurrence.WEEKLY)
        market = events["regionalmarkt"]
        self.assertEqual(market.recurrence, Recurrence.MONTHLY_WEEKDAY)
        self.assertEqual((market.start_date.weekday(), market.start_date.day <= 7), (5, True))
        self.assertTrue(events["vernissage-druckgrafik"].is_free)
        workshop = events["keramik-workshop"]
        self.assertTrue(workshop.price and workshop.registration_url)
        for event in events.values():
            self.assertTrue(event.live)
            self.assertEqual(event.latest_revision.content["title"], event.title)
            self.assertIsInstance(event.get_parent().specific, PlacePage)

        # The place page lists its dates, the event has its own page.
        response = self.client.get(festival.get_parent().url)
        self.assertContains(response, festival.title)
        self.assertContains(self.client.get(festival.url), festival.teaser)

    def test_a_second_run_creates_and_changes_nothing(self):
        before = list(Page.objects.order_by("pk").values_list("pk", "latest_revision_id"))
        result = load_demo(with_images=False)
        self.assertFalse(result.created_anything)
        self.assertEqual((result.events.existing, result.events.refreshed), (len(EVENTS), 0))
        self.assertEqual(
            list(Page.objects.order_by("pk").values_list("pk", "latest_revision_id")), before
        )

    def test_past_demo_events_get_fresh_dates_unless_an_editor_touched_them(self):
        german = EventPage.objects.filter(in_language_q())
        long_ago = timezone.localdate() - datetime.timedelta(days=400)
        untouched = german.get(slug="vernissage-druckgrafik")
        edited = german.get(slug="baustellenfuehrung")
        series = german.get(slug="coworking-probetag")
        english = english_version(untouched).specific
        for event in (untouched, edited, series, english):
            draft = event.get_latest_revision_as_object()
            draft.start_date = long_ago
            draft.save_revision().publish()
        editor = german.get(slug="baustellenfuehrung")
        user = get_user_model().objects.create_user("redaktion", "r@example.org", "pw-123456")
        editor.get_latest_revision_as_object().save_revision(user=user).publish()

        result = load_demo(with_images=False)
        self.assertEqual(result.events.refreshed, 1)
        self.assertIn("1 vergangene Veranstaltungen neu datiert", result.summary())
        untouched.refresh_from_db()
        self.assertGreater(untouched.start_date, timezone.localdate())
        self.assertEqual(untouched.latest_revision.content["start_date"], str(untouched.start_date))
        # Its English page's copy of the dates moves along.
        english.refresh_from_db()
        self.assertEqual((english.start_date, english.live), (untouched.start_date, True))
        self.assertEqual(german.get(slug="baustellenfuehrung").start_date, long_ago)
        # A weekly series without an end is never over: left alone.
        self.assertEqual(german.get(slug="coworking-probetag").start_date, long_ago)
        self.assertEqual(german.count(), len(EVENTS))
