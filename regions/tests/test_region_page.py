from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from core.factories import CustomImageFactory
from home.factories import HomePageFactory
from places.factories import PlacePageFactory
from regions.factories import RegionPageFactory
from regions.models import RegionPage


class RegionPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePageFactory(parent=Page.get_first_root_node(), slug="start")
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": cls.home},
        )
        cls.region = RegionPageFactory(parent=cls.home, title="Altmark", slug="altmark")

    def setUp(self):
        self.login()

    def test_superuser_creates_a_region_in_the_admin(self):
        data = nested_form_data(
            {
                "title": "Harz",
                "slug": "harz",
                "intro": rich_text("<p>Berge, Wälder und alte Bergbaustädte.</p>"),
                "body": streamfield([("heading", {"text": "Die Region", "level": "h2"})]),
                "contact_person": "Regionalmanagement Harz",
                "contact_email": "harz@example.org",
            }
        )
        self.assertCanCreate(self.home, RegionPage, data)
        response = self.client.get("/harz/")
        self.assertContains(response, "Berge, Wälder und alte Bergbaustädte.")

    def test_region_lists_only_its_live_places(self):
        PlacePageFactory(parent=self.region, title="Sichtbarer Hof")
        PlacePageFactory(parent=self.region, title="Entwurfshof", live=False)
        other = RegionPageFactory(parent=self.home, title="Saale-Unstrut")
        PlacePageFactory(parent=other, title="Weinberghaus")
        response = self.client.get(self.region.url)
        self.assertContains(response, "Sichtbarer Hof")
        self.assertNotContains(response, "Entwurfshof")
        self.assertNotContains(response, "Weinberghaus")

    def _query_count(self):
        self.client.logout()
        self.client.get(self.region.url)  # warm per-process caches (site root paths)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.region.url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_query_count_does_not_grow_with_the_number_of_places(self):
        image = CustomImageFactory()
        for number in range(3):
            PlacePageFactory(parent=self.region, title=f"Hof {number}", hero_image=image)
        few = self._query_count()
        for number in range(3, 30):
            PlacePageFactory(
                parent=self.region, title=f"Hof {number}", hero_image=CustomImageFactory()
            )
        many = self._query_count()
        self.assertEqual(few, many)
