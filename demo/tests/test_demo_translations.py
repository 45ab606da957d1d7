"""The demo's English pages (``demo.translations``): made through wagtail-localize, with
the English texts of ``demo/content/*.json``, published, once."""

from django.contrib.auth import get_user_model
from django.test import TestCase

from wagtail.models import Page
from wagtail_localize.models import Translation, TranslationSource

from core.languages import in_language_q
from demo.data import CONTENT_PAGES, EVENTS, HOME, REGIONS, TOWNS
from demo.loader import load_demo
from demo.translations import english_locale, english_version
from events.models import EventPage
from home.models import ContentPage, HomePage
from places.models import PlacePage
from regions.models import RegionPage
from tests.translations import translate

PLACES = [place for region in REGIONS for place in region["places"]]
TRANSLATED_PLACES = {place["slug"]: place for place in PLACES if "en" in place}
TRANSLATED_EVENTS = {event["slug"]: event for event in EVENTS if "en" in event}


def german(model, slug):
    return model.objects.get(in_language_q(), slug=slug)


class EnglishDemoDataTests(TestCase):
    def test_what_is_translated(self):
        self.assertGreaterEqual(len(TRANSLATED_PLACES), 5)
        # Places of both regions, and most places stay German (the fallback note).
        for region in REGIONS:
            translated = [place for place in region["places"] if "en" in place]
            self.assertTrue(translated, region["slug"])
            self.assertIn("en", region)
        self.assertGreater(len(PLACES) - len(TRANSLATED_PLACES), len(TRANSLATED_PLACES))
        self.assertGreaterEqual(len(TRANSLATED_EVENTS), 2)
        self.assertIn("en", HOME)
        self.assertIn("ueber-das-projekt", [page["slug"] for page in CONTENT_PAGES if "en" in page])

    def test_english_texts_are_complete_and_parallel_to_the_german(self):
        en_keys = set(next(iter(TRANSLATED_PLACES.values()))["en"])
        for slug, place in TRANSLATED_PLACES.items():
            with self.subTest(place=slug):
                en = place["en"]
                self.assertEqual(set(en), en_keys)
                self.assertEqual(set(en["story"]), set(place["story"]))
                self.assertEqual(len(en["story"]["facts"]), len(place["story"]["facts"]))
                self.assertLessEqual(len(en["teaser"]), 200)
                self.assertNotEqual(en["teaser"], place["teaser"])
                self.assertIn("en", TOWNS[place["town"]])
                self.assertEqual(set(TOWNS[place["town"]]["en"]), {"about", "getting_there"})
        for slug, event in TRANSLATED_EVENTS.items():
            with self.subTest(event=slug):
                self.assertEqual(set(event["en"]), {"title", "teaser", "description", "price_note"})
                self.assertIn(event["place"], TRANSLATED_PLACES)  # below an English place
        for spec in [HOME, *REGIONS, *[p for p in CONTENT_PAGES if "en" in p]]:
            with self.subTest(page=spec.get("slug", "home")):
                kinds = [block[0] for block in spec["body"]]
                self.assertEqual([block[0] for block in spec["en"]["body"]], kinds)


class LoadEnglishDemoTests(TestCase):
    """The demo loaded once for the class; each test runs in a transaction of its own."""

    @classmethod
    def setUpTestData(cls):
        cls.first_run = load_demo(with_images=False)

    def test_english_pages_are_published_translations_with_english_texts(self):
        result = self.first_run
        expected = 1 + 1 + len(REGIONS) + len(TRANSLATED_PLACES) + len(TRANSLATED_EVENTS)
        self.assertEqual(result.translations.created, expected)
        self.assertIn(f"{expected} englische Seiten", result.summary())

        english = english_locale()
        pages = Page.objects.filter(locale=english)
        self.assertEqual(pages.count(), expected)
        self.assertFalse(pages.filter(live=False).exists())
        self.assertFalse(pages.exclude(alias_of=None).exists())
        self.assertFalse(pages.filter(has_unpublished_changes=True).exists())

        home = HomePage.objects.get(in_language_q())
        self.assertEqual(home.get_translation(english).specific.intro, HOME["en"]["intro"])
        for region in REGIONS:
            twin = german(RegionPage, region["slug"]).get_translation(english).specific
            en = region["en"]
            self.assertEqual((twin.title, twin.intro), (en["title"], en["intro"]))
            self.assertEqual(twin.contact_person, region["en"]["contact_person"])
        about = german(ContentPage, "ueber-das-projekt").get_translation(english).specific
        self.assertEqual(about.title, "About the project")

        for slug, spec in TRANSLATED_PLACES.items():
            place = german(PlacePage, slug)
            translation = place.get_translation(english).specific
            self.assertEqual(translation.title, spec["en"]["title"])
            self.assertEqual(translation.teaser, spec["en"]["teaser"])
            self.assertEqual(translation.slug, place.slug)
            self.assertEqual(translation.latitude, place.latitude)
            story = str(translation.story)
            self.assertIn("The building", story)
            self.assertIn(spec["en"]["story"]["people"], story)
            self.assertIn(TOWNS[spec["town"]]["en"]["about"], story)
            self.assertNotIn("Die Menschen", story)
            # Made from wagtail-localize's source of the German page.
            self.assertTrue(TranslationSource.objects.filter(object_id=place.translation_key))
        for place in PlacePage.objects.filter(in_language_q()):
            if place.slug not in TRANSLATED_PLACES:
                self.assertIsNone(english_version(place), place.slug)
        for slug, spec in TRANSLATED_EVENTS.items():
            translation = english_version(german(EventPage, slug)).specific
            self.assertEqual(translation.description, spec["en"]["description"])

    def test_wagtail_localize_knows_the_english_strings(self):
        """A translator gets wagtail-localize's editor with the English texts: syncing the
        translation from its strings (its „Sync translated pages“, the editor's publish)
        gives the same page."""
        english = english_locale()
        translations = Translation.objects.filter(target_locale=english)
        self.assertEqual(translations.filter(enabled=True).count(), translations.count())
        self.assertEqual(translations.count(), Page.objects.filter(locale=english).count())
        pages = [german(PlacePage, slug) for slug in ("gutshof-wiesengrund", "setzerei-naumburg")]
        pages += [german(EventPage, "coworking-probetag"), german(ContentPage, "ueber-das-projekt")]
        for page in pages:
            with self.subTest(page=page.slug):
                published = english_version(page).specific
                translation = translations.get(source__object_id=page.translation_key)
                translation.save_target(publish=False)
                synced = english_version(page).specific.get_latest_revision_as_object()
                self.assertEqual(synced.title, published.title)
                for name in ("teaser", "intro", "story", "body", "description"):
                    if hasattr(published, name):
                        self.assertEqual(str(getattr(synced, name)), str(getattr(published, name)))

    def test_english_addresses_show_english_texts_and_german_ones_stay_german(self):
        slug, spec = next(iter(TRANSLATED_PLACES.items()))
        place = german(PlacePage, slug)
        english_page = self.client.get(f"/en{place.url}")
        self.assertContains(english_page, spec["en"]["title"])
        self.assertContains(english_page, '<html lang="en">')
        german_page = self.client.get(place.url)
        self.assertContains(german_page, place.title)
        self.assertNotContains(german_page, spec["en"]["teaser"])
        about = self.client.get("/en/ueber-das-projekt/")
        self.assertContains(about, "About the project")
        # A link to a page that is no page (the form) gets the English address.
        self.assertContains(self.client.get("/en/altmark/"), 'href="/en/mitmachen/"')

    def test_a_second_run_leaves_english_pages_alone_even_edited_or_unpublished_ones(self):
        edited = english_version(german(PlacePage, "digitalkontor-stendal")).specific
        user = get_user_model().objects.create_user("uebersetzung", "u@example.org", "pw-12345")
        edited.title = "Digitalkontor (edited)"
        edited.save_revision(user=user).publish()
        offline = english_version(german(PlacePage, "rebenwerk-freyburg")).specific
        offline.unpublish()
        before = list(Page.objects.order_by("pk").values_list("pk", "latest_revision_id", "live"))

        result = load_demo(with_images=False)
        self.assertEqual(result.translations.created, 0)
        self.assertFalse(result.created_anything)
        after = list(Page.objects.order_by("pk").values_list("pk", "latest_revision_id", "live"))
        self.assertEqual(after, before)

    def test_an_untranslated_copy_gets_the_english_texts(self):
        """What onboarding leaves for a region's translators (or wagtail-localize, copying a
        child's parents): an English page with the German texts that nobody wrote."""
        place = german(PlacePage, "gutshof-wiesengrund")
        english_version(place).delete()
        copy = translate(place, publish=False)
        self.assertEqual(copy.title, place.title)

        result = load_demo(with_images=False)
        self.assertEqual(result.translations.created, 1)
        copy.refresh_from_db()
        self.assertEqual((copy.title, copy.live), ("Wiesengrund Manor Farm", True))
