from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.factories import HomePageFactory
from home.models import ContentPage, HomePage
from places.models import PlacePage


class HomeAndContentPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePageFactory(parent=Page.get_first_root_node(), slug="start")
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": cls.home},
        )

    def setUp(self):
        self.login()

    def test_home_page_renders_and_is_editable(self):
        self.assertPageIsRenderable(self.home)
        self.assertPageIsEditable(
            self.home,
            post_data=nested_form_data(
                {
                    "title": self.home.title,
                    "slug": self.home.slug,
                    "intro": rich_text("<p>Willkommen</p>"),
                    "body": streamfield([]),
                }
            ),
        )

    def test_editor_writes_an_impressum(self):
        data = nested_form_data(
            {
                "title": "Impressum",
                "slug": "impressum",
                "intro": rich_text(""),
                "body": streamfield(
                    [("paragraph", rich_text("<p>Verantwortlich: Muster e. V.</p>"))]
                ),
            }
        )
        self.assertCanCreate(self.home, ContentPage, data)
        response = self.client.get("/impressum/")
        self.assertContains(response, "Verantwortlich: Muster e. V.")
        self.assertContains(response, 'href="/datenschutz/"')

    def test_admin_refuses_a_place_directly_under_the_home_page(self):
        url = f"/admin/pages/add/places/placepage/{self.home.pk}/"
        for response in (
            self.client.get(url, follow=True),
            self.client.post(url, {"title": "Irrläufer", "slug": "irrlaeufer"}, follow=True),
        ):
            self.assertEqual(response.redirect_chain, [("/admin/", 302)])
            self.assertContains(response, "keinen Zugang zu diesem Bereich")
        self.assertFalse(PlacePage.objects.filter(slug="irrlaeufer").exists())
        self.assertCanNotCreateAt(HomePage, PlacePage)
