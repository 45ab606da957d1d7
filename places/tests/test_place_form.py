"""The place form as a German editor types: opening hours in words, coordinates with a comma
or as a pasted pair (places.forms)."""

from decimal import Decimal

from django.urls import reverse

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset

import pytest

from places.forms import split_pair
from places.models import PlacePage
from places.tests import test_place_page as editing


class GermanInputTests(WagtailPageTestCase):
    """Posts the whole editor form, as the browser does."""

    setUpTestData = classmethod(editing.PlaceEditingTests.setUpTestData.__func__)
    _post_edit = editing.PlaceEditingTests._post_edit
    assert_refused = editing.PlaceEditingTests.assert_refused

    def setUp(self):
        self.login()

    def _publish(self, **overrides):
        response = self._post_edit(**overrides)
        if response.status_code != 302:
            self.fail(response.context["form"].errors)
        return PlacePage.objects.get(pk=self.place.pk)

    def test_german_weekdays_and_times_are_stored_in_osm_form(self):
        place = self._publish(opening_hours="Mo bis Fr 10 bis 18 Uhr, Sa 10.30-14 Uhr, So Ruhetag")
        self.assertEqual(place.opening_hours, "Mo-Fr 10:00-18:00; Sa 10:30-14:00; Su off")
        response = self.client.get(place.url)
        self.assertContains(response, "Montag bis Freitag 10:00–18:00 Uhr")

    def test_unreadable_opening_hours_say_what_to_type_instead(self):
        response = self._post_edit(opening_hours="Mo 10 Uhr")
        self.assert_refused(response, "opening_hours", "z. B. „10-18 Uhr“")
        self.assertContains(response, 'value="Mo 10 Uhr"')  # the editor's text stays

    def test_coordinates_with_a_decimal_comma(self):
        place = self._publish(latitude="52,867", longitude="11,4")
        self.assertEqual((place.latitude, place.longitude), (Decimal("52.867"), Decimal("11.4")))

    def test_a_pair_pasted_into_latitude_fills_both(self):
        for pasted in ("52.60, 11.86", "52,60 11,86", "52.60;11.86"):
            with self.subTest(pasted=pasted):
                place = self._publish(latitude=pasted, longitude="")
                self.assertEqual(
                    (place.latitude, place.longitude), (Decimal("52.6"), Decimal("11.86"))
                )

    def test_more_than_six_decimals_are_rounded_not_refused(self):
        place = self._publish(latitude="52.60123456", longitude="11.8612344")
        self.assertEqual(
            (place.latitude, place.longitude), (Decimal("52.601235"), Decimal("11.861234"))
        )

    def test_coordinate_errors_state_the_range_in_german(self):
        response = self._post_edit(latitude="5,2", longitude="11,4")
        self.assert_refused(response, "latitude", "Erlaubt sind Werte von 47,2 bis 55,1")
        self.assertIn(
            "in Sachsen-Anhalt etwa 50,9 bis 53,1", response.context["form"].errors["latitude"][0]
        )
        response = self._post_edit(latitude="Salzwedel")
        self.assert_refused(response, "latitude", "„Salzwedel“ ist keine Zahl")
        self.assertIn("erlaubt: 47,2 bis 55,1", response.context["form"].errors["latitude"][0])

    def test_the_form_renders_text_inputs_the_widget_and_the_locate_button(self):
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.place.pk]))
        self.assertContains(response, 'inputmode="decimal"')
        self.assertContains(response, "data-opening-hours-input")
        self.assertContains(response, "places/js/opening-hours-widget.js")
        self.assertContains(response, "Punkt aus Adresse setzen")
        self.assertContains(response, reverse("places_locate_address"))


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("52.60, 11.86", ("52.60", "11.86")),
        ("52,60 11,86", ("52,60", "11,86")),
        ("52.60;11.86", ("52.60", "11.86")),
        ("52,60, 11,86", ("52,60", "11,86")),
        ("52.6,11.8", ("52.6", "11.8")),
        ("52,6,11,8", ("52,6", "11,8")),
        ("52.60123° 11.86123°", ("52.60123", "11.86123")),
        ("51,867", None),
        ("51.867", None),
        ("Salzwedel, Altmark", None),
        ("", None),
    ],
)
def test_split_pair(text, pair):
    assert split_pair(text) == pair


class EmptyNewGalleryRowTests(WagtailPageTestCase):
    """An editor clicks „Bild hinzufügen“ and is still choosing the image when the draft is
    saved (autosave every half second): the empty row must not fail that save."""

    setUpTestData = classmethod(editing.PlaceEditingTests.setUpTestData.__func__)

    def setUp(self):
        self.login()

    def _post(self, publish):
        data = editing.place_form_data(
            title=self.place.title,
            slug=self.place.slug,
            gallery_images=inline_formset([{"image": "", "caption": "", "ORDER": "1"}]),
        )
        if publish:
            data["action-publish"] = "action-publish"
        return self.client.post(reverse("wagtailadmin_pages:edit", args=[self.place.pk]), data)

    def test_a_draft_save_skips_the_empty_new_row(self):
        response = self._post(publish=False)
        self.assertEqual(response.status_code, 302)
        draft = PlacePage.objects.get(pk=self.place.pk).get_latest_revision_as_object()
        self.assertEqual(draft.opening_hours, "Mo-Fr 09:00-17:00; Sa 10:00-14:00")
        self.assertEqual(len(draft.gallery_images.all()), 0)

    def test_publishing_still_asks_for_the_image(self):
        response = self._post(publish=True)
        self.assertEqual(response.status_code, 200)
        [gallery] = [
            formset for name, formset in response.context["form"].formsets.items()
            if name == "gallery_images"
        ]  # fmt: skip
        self.assertIn("image", gallery.forms[0].errors)
