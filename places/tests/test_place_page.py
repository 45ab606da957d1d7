from decimal import Decimal

from django.urls import reverse

from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from core.factories import CustomImageFactory
from events.models import EventPage
from home.factories import HomePageFactory
from home.models import ContentPage, HomePage
from places.factories import PlacePageFactory
from places.models import Category, Offer, PlacePage
from regions.factories import RegionPageFactory
from regions.models import RegionPage


def place_form_data(**overrides):
    """POST data for the place editor, as an editor's browser would send it."""
    data = {
        "title": "Alte Molkerei Kalbe",
        "slug": "alte-molkerei-kalbe",
        "teaser": "Eine Molkerei wird zum Werkraum für Handwerk und Coworking.",
        "story": streamfield(
            [
                ("heading", {"text": "Das Objekt", "level": "h2"}),
                ("paragraph", rich_text("<p>Backstein, Baujahr 1908, drei Hallen.</p>")),
                ("heading", {"text": "Die Menschen", "level": "h2"}),
                ("quote", {"text": "Hier ist Platz für Ideen.", "attribution": "Jana"}),
                (
                    "key_facts",
                    {
                        "title": "Eckdaten",
                        "facts": streamfield([("item", {"label": "Fläche", "value": "800 m²"})]),
                    },
                ),
            ]
        ),
        "categories": [Category.objects.get(slug="arbeiten-wirtschaft").pk],
        "tags": "Coworking, Werkstatt",
        "status": "im-aufbau",
        "offers": [Offer.objects.get(slug="coworking").pk],
        "seeking_members": "on",
        "seeking_members_text": "Wir suchen Tischler*innen.",
        "former_use": "Molkerei",
        "founded": "2021",
        "street": "Milchweg 3",
        "postcode": "39624",
        "municipality": "Kalbe (Milde)",
        "district": "Altmarkkreis Salzwedel",
        "latitude": "52.655000",
        "longitude": "11.383000",
        "getting_there": "Bus 400 ab Salzwedel",
        "contact_person": "Jana Beispiel",
        "email": "kontakt@molkerei.example",
        "phone": "039080 000000",
        "website": "https://molkerei.example",
        "opening_hours": "Mo-Fr 09:00-17:00; Sa 10:00-14:00",
        "links": inline_formset([{"platform": "instagram", "url": "https://instagram.example/m"}]),
        "gallery_images": inline_formset([]),
        "last_checked": "2026-11-01",
    }
    data.update(overrides)
    multi_value = {key: data.pop(key) for key in ("categories", "offers")}
    form_data = nested_form_data(data)
    form_data.update(multi_value)
    return form_data


class PageTreeTests(WagtailPageTestCase):
    def test_tree_shape(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {RegionPage, ContentPage})
        self.assertAllowedParentPageTypes(RegionPage, {HomePage})
        self.assertAllowedSubpageTypes(RegionPage, {PlacePage})
        self.assertAllowedParentPageTypes(PlacePage, {RegionPage})
        self.assertAllowedSubpageTypes(PlacePage, {EventPage})
        self.assertAllowedParentPageTypes(EventPage, {PlacePage})
        self.assertAllowedSubpageTypes(EventPage, {})
        self.assertAllowedParentPageTypes(ContentPage, {HomePage, ContentPage})

    def test_a_place_cannot_live_outside_a_region(self):
        self.assertCanNotCreateAt(HomePage, PlacePage)
        self.assertCanNotCreateAt(ContentPage, PlacePage)
        self.assertCanNotCreateAt(PlacePage, PlacePage)
        self.assertCanCreateAt(RegionPage, PlacePage)


class PlaceEditingTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        root = Page.get_first_root_node()
        cls.home = HomePageFactory(parent=root, slug="start")
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": cls.home},
        )
        cls.region = RegionPageFactory(parent=cls.home, title="Altmark", slug="altmark")
        cls.place = PlacePageFactory(parent=cls.region, title="Gutshof Wiesengrund")
        cls.place.save_revision().publish()

    def setUp(self):
        self.login()

    def test_place_is_routable_renderable_and_editable(self):
        self.assertPageIsRoutable(self.place)
        self.assertPageIsRenderable(self.place)
        self.assertPageIsEditable(
            self.place, post_data=place_form_data(title=self.place.title, slug=self.place.slug)
        )
        self.assertPageIsRenderable(self.region)
        self.assertPageIsRenderable(self.home)

    def test_editor_creates_a_place_with_every_tab_filled(self):
        self.assertCanCreate(self.region, PlacePage, place_form_data())
        place = PlacePage.objects.get(slug="alte-molkerei-kalbe")
        self.assertTrue(place.live)
        self.assertEqual(place.latitude, Decimal("52.655000"))
        self.assertEqual([c.slug for c in place.categories.all()], ["arbeiten-wirtschaft"])
        self.assertEqual(sorted(t.name for t in place.tags.all()), ["Coworking", "Werkstatt"])
        self.assertEqual([b.block_type for b in place.story][:2], ["heading", "paragraph"])
        self.assertEqual(place.links.get().platform, "instagram")
        response = self.client.get(place.url)
        self.assertContains(response, "Eine Molkerei wird zum Werkraum")
        self.assertContains(response, "im Aufbau")
        self.assertContains(response, "Hier ist Platz für Ideen.")

    def _post_edit(self, **overrides):
        url = reverse("wagtailadmin_pages:edit", args=[self.place.pk])
        data = place_form_data(title=self.place.title, slug=self.place.slug, **overrides)
        data["action-publish"] = "action-publish"
        return self.client.post(url, data)

    def assert_refused(self, response, field, message):
        self.assertEqual(response.status_code, 200, "the editor stays on the form")
        form = response.context["form"]
        self.assertIn(field, form.errors)
        self.assertIn(message, " ".join(form.errors[field]))
        self.assertContains(
            response,
            "Die Seite ist noch nicht gespeichert",
            status_code=200,
        )

    def test_swapped_coordinates_are_refused_and_nothing_is_lost(self):
        before = PlacePage.objects.get(pk=self.place.pk)
        revisions_before = before.revisions.count()
        response = self._post_edit(latitude="11.383000", longitude="52.655000")
        self.assert_refused(response, "latitude", "nicht in Deutschland")
        self.assertIn("longitude", response.context["form"].errors)
        after = PlacePage.objects.get(pk=self.place.pk)
        self.assertEqual(after.latitude, before.latitude)
        self.assertEqual(after.teaser, before.teaser)
        self.assertEqual(after.revisions.count(), revisions_before)

    def test_coordinates_are_required_in_the_editor(self):
        response = self._post_edit(latitude="", longitude="")
        self.assert_refused(response, "latitude", "Dieses Feld muss ausgefüllt werden.")

    def test_a_place_needs_at_least_one_field(self):
        response = self._post_edit(categories=[])
        self.assert_refused(response, "categories", "Dieses Feld muss ausgefüllt werden.")

    def test_malformed_opening_hours_are_explained(self):
        response = self._post_edit(opening_hours="werktags ab 9")
        self.assert_refused(response, "opening_hours", "Schreiben Sie „Mo-Fr“ oder „Mo-Sa“")

    def test_duplicate_slug_in_a_region_is_refused(self):
        other = PlacePageFactory(parent=self.region, title="Kulturscheune", slug="kulturscheune")
        response = self.client.post(
            reverse("wagtailadmin_pages:edit", args=[other.pk]),
            {**place_form_data(title="Kulturscheune", slug=self.place.slug)},
        )
        self.assert_refused(response, "slug", "hat an dieser Stelle schon eine andere Seite")
        self.assertEqual(PlacePage.objects.get(pk=other.pk).slug, "kulturscheune")

    def test_admin_speaks_german(self):
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.place.pk]))
        self.assertContains(response, 'lang="de"')
        for tab in ["Inhalt", "Ort &amp; Kontakt", "Angebote", "Bilder", "Adresse &amp; Teilen"]:
            self.assertContains(response, tab)
        self.assertContains(response, "data-coordinates-map")
        self.assertContains(response, "vendor/leaflet/leaflet.js")

    def test_place_page_shows_images_with_alt_text_and_credit(self):
        image = CustomImageFactory(
            description="Backsteinscheune im Abendlicht", credit="Foto: Erika Muster"
        )
        self.place.hero_image = image
        self.place.save_revision().publish()
        response = self.client.get(self.place.url)
        self.assertContains(response, 'alt="Backsteinscheune im Abendlicht"')
        self.assertContains(response, "Foto: Erika Muster")

    def test_distances_to_the_big_cities(self):
        distances = self.place.distances
        self.assertEqual(set(distances), {"Berlin", "Hamburg", "Hannover"})
        self.assertTrue(all(50 < km < 250 for km in distances.values()))
