from django import forms
from django.conf import settings
from django.urls import reverse

from wagtail.admin.panels import FieldRowPanel


class CoordinatesPanel(FieldRowPanel):
    """Latitude and longitude side by side, with a map to pick the point by clicking.

    The inputs stay the source of truth: typing moves the marker, clicking fills the inputs,
    a pair pasted into one input fills both. „Punkt aus Adresse setzen“ asks
    ``places.admin_views.locate_address`` (a geocoder, if configured, else the
    municipality's centre). Without a configured tile server the map shows only the marker
    on a blank background.
    """

    class BoundPanel(FieldRowPanel.BoundPanel):
        template_name = "places/panels/coordinates_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["tile_url"] = settings.MAP_TILE_URL
            context["tile_attribution"] = settings.MAP_TILE_ATTRIBUTION
            context["locate_url"] = reverse("places_locate_address")
            context["geocoder"] = bool(settings.GEOCODER_URL)
            return context

        @property
        def media(self):
            return super().media + forms.Media(
                css={"all": ["vendor/leaflet/leaflet.css"]},
                js=["vendor/leaflet/leaflet.js", "places/js/coordinates-panel.js"],
            )
