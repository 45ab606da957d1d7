"""Admin widgets of the place form."""

from django import forms


class OpeningHoursWidget(forms.TextInput):
    """A text input for opening hours plus, with JavaScript, a weekday/time picker that
    writes the OSM form into it (``places/js/opening-hours-widget.js``). Without the
    script the text input works alone; German text is accepted either way
    (``places.forms.PlacePageForm``)."""

    template_name = "places/widgets/opening_hours.html"

    def __init__(self, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "data-opening-hours-input": "",
                **(attrs or {}),
            }
        )

    class Media:
        js = ["places/js/opening-hours-widget.js"]
        css = {"all": ["places/css/opening-hours-widget.css"]}
