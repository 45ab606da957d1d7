"""The place's admin form: opening hours and coordinates as people type them.

- Opening hours may be written in German („Mo bis Fr 10 bis 18 Uhr, So Ruhetag“); the form
  stores the OSM form (``places.hours_input``) and explains, with an example, what to type
  when it cannot read a value.
- A gallery row (or link) added but still empty does not fail a draft save or an autosave
  while the editor chooses its image; publishing and submitting still ask for it.
- Latitude and longitude accept a decimal comma („51,867“) as well as a point, more than six
  decimals (rounded), and a pair pasted into either field („52.60, 11.86“, „52,60 11,86“,
  „52.60;11.86“), which fills both.
"""

import re
from decimal import InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import ImageCheckedPageForm

from .hours_input import OpeningHoursInputError, to_osm
from .validators import GERMANY_LAT, GERMANY_LON, german_number, parse_coordinate

_NUMBER = re.compile(r"[+-]?\d{1,3}(?:[.,]\d+)?")


def split_pair(text: str) -> tuple[str, str] | None:
    """``"52.60, 11.86"`` → ``("52.60", "11.86")``; ``None`` when ``text`` is not a pair.

    A single number with a decimal comma („51,867“) is not a pair; two numbers are told
    apart by a semicolon, by white space, by a comma between numbers with decimal points
    („52.6,11.8“), or as the middle one of three commas („52,6,11,8“).
    """
    text = (text or "").strip().replace("°", "")
    if ";" in text:
        parts = text.split(";")
    elif re.search(r"\s", text):
        parts = re.split(r"\s*,\s+|\s+,?\s*", text, maxsplit=1)
    elif text.count(",") == 1 and "." in text:
        parts = text.split(",")
    elif text.count(",") == 3:
        first, second, third, fourth = text.split(",")
        parts = [f"{first},{second}", f"{third},{fourth}"]
    else:
        return None
    parts = [part.strip() for part in parts]
    if len(parts) == 2 and all(_NUMBER.fullmatch(part) for part in parts):
        return parts[0], parts[1]
    return None


class CoordinateField(forms.DecimalField):
    """Decimal degrees with a comma or a point; rounded to six decimals (about 10 cm)."""

    widget = forms.TextInput

    def __init__(self, *, bounds, example, **kwargs):
        self.bounds = bounds
        self.example = example
        super().__init__(max_digits=9, decimal_places=6, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"})
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_coordinate(str(value).replace("°", ""))
        except InvalidOperation:
            raise ValidationError(
                _(
                    "„%(value)s“ ist keine Zahl. Bitte als Dezimalgrad eingeben, z. B. "
                    "%(example)s (erlaubt: %(low)s bis %(high)s)."
                ),
                params={
                    "value": value,
                    "example": self.example,
                    "low": german_number(self.bounds[0]),
                    "high": german_number(self.bounds[1]),
                },
                code="invalid",
            ) from None


_BOOKKEEPING = {"id", "ORDER", "DELETE"}


def _blank(form) -> bool:
    """Nothing typed or chosen in a child form (only its order and id are sent)."""
    return all(
        not form.data.get(form.add_prefix(name), "")
        for name in form.fields
        if name not in _BOOKKEEPING
    )


def _skip(form):
    """Let ``form`` pass as an untouched extra form (Django then neither validates nor saves
    it), keeping its order for the panel that renders it again (autosave's partials)."""
    full_clean = form.full_clean
    form.empty_permitted = True
    form.has_changed = lambda: False

    def clean_only_bookkeeping():
        full_clean()
        for name in _BOOKKEEPING & set(form.fields):
            try:
                value = form.fields[name].clean(form.data.get(form.add_prefix(name)))
            except ValidationError:
                value = None
            form.cleaned_data.setdefault(name, value)

    form.full_clean = clean_only_bookkeeping


class PlacePageForm(ImageCheckedPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, bounds, example in (
            ("latitude", GERMANY_LAT, "52,8547"),
            ("longitude", GERMANY_LON, "11,1525"),
        ):
            if name in self.fields:
                former = self.fields[name]
                self.fields[name] = CoordinateField(
                    bounds=bounds,
                    example=example,
                    label=former.label,
                    help_text=former.help_text,
                    required=former.required,
                )
        # A pair pasted into the latitude (or longitude) field fills both fields (an unbound
        # form's data is empty).
        for name in (self.add_prefix("latitude"), self.add_prefix("longitude")):
            pair = split_pair(self.data.get(name, ""))
            if pair:
                data = self.data.copy()
                data[self.add_prefix("latitude")], data[self.add_prefix("longitude")] = pair
                self.data = data
                break

    def defer_required_fields(self):
        """A draft save or autosave skips an empty new gallery row or link (module docstring)."""
        super().defer_required_fields()
        for formset in self.formsets.values():
            for index, form in enumerate(formset.forms):
                if index >= formset.initial_form_count() and _blank(form):
                    _skip(form)

    def clean_opening_hours(self):
        value = self.cleaned_data.get("opening_hours", "")
        try:
            return to_osm(value)
        except OpeningHoursInputError as error:
            raise ValidationError(str(error), code="invalid_opening_hours") from None
