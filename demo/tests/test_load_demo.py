from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from wagtail.models import Collection, Page, Site

from core.languages import in_language_q
from core.models import CustomImage
from demo.data import CONTENT_PAGES, REGIONS, TOWNS
from demo.loader import load_demo
from demo.site import ensure_home_page
from home.models import ContentPage, HomePage
from places.models import PlacePage
from places.validators import validate_opening_hours
from regions.models import RegionPage

ALL_PLACES = [place for region in REGIONS for place in region["places"]]


class DemoDataTests(TestCase):
    def test_places_are_plausible(self):
        altmark = next(region for region in REGIONS if region["slug"] == "altmark")
        self.assertGreaterEqual(len(altmark["places"]), 16)
        self.assertEqual(len({p["slug"] for p in ALL_PLACES}), len(ALL_PLACES))
        for place in ALL_PLACES:
            with self.subTest(place=place["slug"]):
                self.assertEqual(set(place) - {"en"}, set(ALL_PLACES[1]))  # no misspelt field
                self.assertLessEqual(len(place["teaser"]), 200)
                self.assertIn(place["town"], TOWNS)
                self.assertTrue(2 <= len(place["tags"]) <= 4)
                self.assertTrue(1 <= len(place["links"]) <= 2)
                if place["opening_hours"]:
                    validate_opening_hours(place["opening_hours"])
                for _platform, url in place["links"]:
                    self.assertIn(".example/", url)


class LoadDemoTests(TestCase):
    def test_replaces_the_welcome_page_with_a_home_page(self):
        home = ensure_home_page()
        self.assertEqual(home.title, "Kreativorte im Grünen")
        self.assertEqual(list(Page.objects.filter(depth=2)), [home.page_ptr])
        site = Site.objects.get(is_default_site=True)
        self.assertEqual(site.root_page_id, home.pk)
        self.assertEqual(ensure_home_page(), home)

    def test_loads_everything_once_and_renders(self):
        out = StringIO()
        call_command("load_demo", stdout=out)
        self.assertIn("Demo-Inhalte geladen", out.getvalue())

        home = HomePage.objects.get(in_language_q())
        self.assertEqual(RegionPage.objects.child_of(home).count(), 2)
        self.assertEqual(PlacePage.objects.filter(in_language_q()).count(), len(ALL_PLACES))
        self.assertEqual(ContentPage.objects.child_of(home).count(), len(CONTENT_PAGES))
        self.assertTrue(Collection.objects.filter(name="Altmark", depth=2).exists())
        images = CustomImage.objects.count()
        self.assertGreater(images, 19)

        place = PlacePage.objects.get(in_language_q(), slug="gutshof-wiesengrund")
        self.assertEqual(place.latest_revision.content["title"], place.title)
        self.assertTrue(place.latest_revision.content["categories"])
        self.assertEqual(place.tags.count(), 3)
        self.assertTrue(place.gallery_images.exists())

        # One page with images is enough here (renditions are slow); see test_without_images.
        self.assertContains(self.client.get(place.url), place.hero_image.description)

        result = load_demo()
        self.assertFalse(result.created_anything)
        self.assertEqual(len(ALL_PLACES), result.places.existing)
        self.assertEqual(CustomImage.objects.count(), images)

    def test_without_images(self):
        result = load_demo(with_images=False)
        self.assertEqual(result.images.created, 0)
        self.assertEqual(CustomImage.objects.count(), 0)
        self.assertEqual(result.places.created, PlacePage.objects.filter(in_language_q()).count())

        home = HomePage.objects.get(in_language_q())
        pages = [home, *RegionPage.objects.all(), *ContentPage.objects.all()]
        pages += list(PlacePage.objects.filter(in_language_q())[:3])
        for page in pages:
            with self.subTest(url=page.url):
                self.assertEqual(self.client.get(page.url).status_code, 200)


class IfEmptyTests(TestCase):
    def test_if_empty_loads_into_an_empty_database_only(self):
        call_command("load_demo", "--if-empty", "--no-images", stdout=StringIO())
        german = RegionPage.objects.filter(in_language_q())
        self.assertEqual(german.count(), 2)

        german.get(slug="saale-unstrut").delete()
        out = StringIO()
        call_command("load_demo", "--if-empty", "--no-images", stdout=out)
        self.assertIn("nicht geladen", out.getvalue())
        self.assertEqual(german.count(), 1)
