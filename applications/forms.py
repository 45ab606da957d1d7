"""The public application form ("Ort vorschlagen"): German msgids, translated in locale/."""

from __future__ import annotations

import os
import re
import unicodedata
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.images.fields import WagtailImageField

from PIL import Image as PILImage

from core.visibility import visible_q
from places.models import Category
from places.validators import validate_postcode
from regions.models import RegionPage

from . import kept_photos

HONEYPOT_FIELD = "fax"
INTRODUCTION_MIN_LENGTH = 30
KEPT_LOST = _(
    "Das vorhin hochgeladene Foto ist nicht mehr gespeichert (das Formular ist zu alt oder "
    "wurde verändert). Bitte wählen Sie es noch einmal aus."
)
# What every photo needs besides the file.
PHOTO_DETAILS_REQUIRED = {
    "description": _("Bitte beschreiben Sie kurz, was auf dem Foto zu sehen ist."),
    "credit": _("Bitte nennen Sie, wer das Foto gemacht hat."),
    "rights": _("Bitte bestätigen Sie, dass Sie die Rechte an diesem Foto haben."),
}
PHONE_RE = re.compile(r"^[0-9 +()/\-]{3,40}$")

# Wagtail's own messages are only partly translated; these replace them by error code.
PHOTO_ERRORS = {
    "invalid_image": _(
        "Diese Datei ist kein Foto, das wir lesen können. Bitte laden Sie ein "
        "JPG-, PNG- oder WebP-Bild hoch."
    ),
    "invalid_image_extension": _(
        "Dieses Dateiformat ist nicht erlaubt. Bitte laden Sie ein JPG-, PNG- oder WebP-Bild hoch."
    ),
    "invalid_image_known_format": _(
        "Die Dateiendung passt nicht zum Inhalt der Datei. Bitte "
        "laden Sie ein echtes JPG-, PNG- oder WebP-Bild hoch."
    ),
    "file_too_large": _("Das Foto ist zu groß (höchstens {max_size})."),
    "file_too_large_unknown_size": _("Das Foto ist zu groß (höchstens {max_size})."),
    "file_too_many_pixels": _(
        "Das Foto hat zu viele Bildpunkte (höchstens {max_pixels} "
        "Megapixel). Bitte verkleinern Sie es."
    ),
}


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Drop control characters (keeps line breaks in multi-line text, nothing else)."""
    if not value:
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for char in value:
        if char == "\n" and multiline:
            kept.append(char)
        elif char in "\n\t":
            kept.append(" ")
        elif unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}:
            continue
        else:
            kept.append(char)
    return "".join(kept).strip()


def length_hint(field) -> str:
    """The field's own length limits, as the form states them next to it."""
    if getattr(field, "min_length", None):
        return _("Mindestens %(min)s, höchstens %(max)s Zeichen.") % {
            "min": field.min_length,
            "max": field.max_length,
        }
    return _("Höchstens %(max)s Zeichen.") % {"max": field.max_length}


def max_megapixels() -> str:
    """The pixel limit as people say it ("24" Megapixel, "0,5" for small limits)."""
    megapixels = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS / 1_000_000
    return f"{megapixels:g}".replace(".", ",")


FORMAT_NAMES = {"jpg": "JPG", "jpeg": "JPG", "png": "PNG", "webp": "WebP", "gif": "GIF"}


def photo_formats_text() -> str:
    """The accepted formats (``APPLICATIONS_PHOTO_EXTENSIONS``) as people name them."""
    extensions = settings.APPLICATIONS_PHOTO_EXTENSIONS
    names = list(dict.fromkeys(FORMAT_NAMES.get(ext.lower(), ext.upper()) for ext in extensions))
    if len(names) < 2:
        return "".join(names)
    return _("%(formats)s oder %(last)s") % {"formats": ", ".join(names[:-1]), "last": names[-1]}


def photo_limits_text() -> str:
    """The limits as the form states them next to every photo field."""
    return _(
        "%(formats)s, höchstens %(size)s und %(megapixels)s Megapixel "
        "(z. B. 6000 × 4000 Bildpunkte)."
    ) % {
        "formats": photo_formats_text(),
        "size": filesizeformat(settings.APPLICATIONS_MAX_PHOTO_SIZE),
        "megapixels": max_megapixels(),
    }


def pixels_in_header(upload) -> int | None:
    """Width × height × frames as the file's header states them, without decoding anything.

    None when the header cannot be read (the checks after this one say why).
    """
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(upload) as image:
                return image.width * image.height * max(1, getattr(image, "n_frames", 1))
    except PILImage.DecompressionBombError:
        return PILImage.MAX_IMAGE_PIXELS * 2 + 1
    except Exception:  # not an image we can read: reported by the checks after this one
        return None
    finally:
        upload.seek(0)


def validate_photo(upload):
    """Check a photo by its content; returns it or raises a German ValidationError.

    First the pixel count from the file's header (nothing is decoded before that), then
    WagtailImageField: size, extension, that the content matches the extension (a PDF or SVG
    named .jpg fails). On top: only the formats the portal accepts from the public, a full
    decode with decompression-bomb warnings as errors.
    """
    max_size = settings.APPLICATIONS_MAX_PHOTO_SIZE
    messages = {
        code: text.format(max_size=filesizeformat(max_size), max_pixels=max_megapixels())
        for code, text in PHOTO_ERRORS.items()
    }
    if upload.size > max_size:
        raise ValidationError(messages["file_too_large"], code="file_too_large")
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    if extension not in settings.APPLICATIONS_PHOTO_EXTENSIONS:
        raise ValidationError(messages["invalid_image_extension"], code="invalid_image_extension")
    pixels = pixels_in_header(upload)
    if pixels is not None and pixels > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
        raise ValidationError(messages["file_too_many_pixels"], code="file_too_many_pixels")
    field = WagtailImageField(required=False)
    field.max_upload_size = max_size
    try:
        checked = field.clean(upload)
    except ValidationError as error:
        code = error.code or "invalid_image"
        raise ValidationError(messages.get(code, messages["invalid_image"]), code=code) from None
    except Exception:  # Wagtail lets decoder errors through (e.g. a truncated PNG)
        raise ValidationError(messages["invalid_image"], code="invalid_image") from None
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(upload) as image:
                image.verify()
            upload.seek(0)
            with PILImage.open(upload) as image:
                image.load()
    except (PILImage.DecompressionBombWarning, PILImage.DecompressionBombError):
        raise ValidationError(
            messages["file_too_many_pixels"], code="file_too_many_pixels"
        ) from None
    except Exception:  # any decoder error means: not a usable photo
        raise ValidationError(messages["invalid_image"], code="invalid_image") from None
    upload.seek(0)
    return checked or upload


REQUIRED = _("Bitte füllen Sie dieses Feld aus.")


def _messages(max_length: int | None = None, **extra) -> dict:
    messages = {"required": REQUIRED}
    if max_length:
        messages["max_length"] = format_lazy(
            _("Bitte höchstens {max_length} Zeichen eingeben."), max_length=max_length
        )
    messages.update(extra)
    return messages


class SingleLineField(forms.CharField):
    """Text without control characters, with the form's messages for "required" and its
    ``max_length`` (``error_messages`` add to them)."""

    multiline = False

    def __init__(self, *, error_messages=None, **kwargs):
        messages = _messages(kwargs.get("max_length"), **(error_messages or {}))
        super().__init__(error_messages=messages, **kwargs)

    def clean(self, value):
        return super().clean(clean_text(value or "", multiline=self.multiline))


class MultiLineField(SingleLineField):
    multiline = True


class ApplicationForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    fax = forms.CharField(
        label=_("Bitte leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    place_name = SingleLineField(
        label=_("Name des Ortes oder Projekts"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=RegionPage.objects.none(),
        empty_label=_("Bitte wählen"),
        error_messages={
            "required": _("Bitte wählen Sie die Region, in der Ihr Ort liegt."),
            "invalid_choice": _("Bitte wählen Sie eine Region aus der Liste."),
        },
    )
    municipality = SingleLineField(
        label=_("Ort / Gemeinde"),
        max_length=100,
        help_text=_("Z. B. Salzwedel oder Kalbe (Milde)."),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    street = SingleLineField(
        label=_("Straße und Hausnummer"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    postcode = SingleLineField(
        label=_("PLZ"),
        max_length=5,
        required=False,
        validators=[validate_postcode],
        help_text=_("5 Ziffern, z. B. 39606."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Themenfelder"),
        queryset=Category.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Eines oder mehrere."),
        error_messages={
            "required": _("Bitte wählen Sie mindestens ein Themenfeld."),
            "invalid_choice": _("Bitte wählen Sie Themenfelder aus der Liste."),
            "invalid_pk_value": _("Bitte wählen Sie Themenfelder aus der Liste."),
        },
    )
    introduction = MultiLineField(
        label=_("Kurzvorstellung"),
        max_length=3000,
        min_length=INTRODUCTION_MIN_LENGTH,
        help_text=_("Was ist das für ein Ort, was passiert dort, wer steckt dahinter?"),
        error_messages={
            "min_length": format_lazy(
                _("Bitte schreiben Sie mindestens {min_length} Zeichen."),
                min_length=INTRODUCTION_MIN_LENGTH,
            )
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    website = forms.URLField(
        label=_("Website"),
        max_length=200,
        required=False,
        assume_scheme="https",
        help_text=_("Z. B. https://www.mein-hof.de"),
        error_messages=_messages(
            200, invalid=_("Bitte geben Sie eine vollständige Internetadresse ein.")
        ),
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    contact_person = SingleLineField(
        label=_("Ansprechperson"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-Mail"),
        max_length=254,
        error_messages=_messages(
            254,
            invalid=_("Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de."),
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = SingleLineField(
        label=_("Telefon (freiwillig)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Ich habe die Datenschutzhinweise gelesen und bin einverstanden, dass meine "
            "Angaben zur Bearbeitung meines Vorschlags gespeichert werden."
        ),
        error_messages={"required": _("Bitte stimmen Sie den Datenschutzhinweisen zu.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # German regions only: the English tree holds a twin of every region (core.languages).
        self.fields["region"].queryset = RegionPage.objects.filter(visible_q()).order_by("title")
        # The fields' names in the visitor's language (English on /en/mitmachen/).
        self.fields["categories"].label_from_instance = lambda category: category.label
        self.slots = range(1, settings.APPLICATIONS_MAX_PHOTOS + 1)  # one per allowed photo
        # Photos kept from an earlier attempt (kept_photos.py), by slot; slots whose token
        # could not be used; the kept photos this form shows again.
        self.kept: dict[int, kept_photos.Kept] = {}
        self.kept_lost: set[int] = set()
        self.shown_kept: dict[int, kept_photos.Kept] = {}
        for number in self.slots:
            token = self.data.get(f"photo_{number}_kept", "")  # data: {} while unbound
            kept = kept_photos.load(token)  # None for no token too
            if kept is not None:
                self.kept[number] = kept
            elif token:
                self.kept_lost.add(number)
            self.fields[f"photo_{number}"] = forms.FileField(
                label=_("Foto %(number)s") % {"number": number},
                required=False,
                widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
                help_text=photo_limits_text(),
                error_messages={
                    "invalid": PHOTO_ERRORS["invalid_image"],
                    "empty": _("Die Datei ist leer."),
                    "max_length": _("Der Dateiname ist zu lang."),
                },
            )
            self.fields[f"photo_{number}_description"] = SingleLineField(
                label=_("Was ist auf dem Foto zu sehen?"),
                max_length=255,
                required=False,
                help_text=_(
                    "Für Menschen, die das Bild nicht sehen können, z. B. „Backsteinscheune "
                    "mit offenem Tor“."
                ),
            )
            self.fields[f"photo_{number}_credit"] = SingleLineField(
                label=_("Wer hat das Foto gemacht?"),
                max_length=255,
                required=False,
                help_text=_("Wird als Bildnachweis genannt, z. B. „Foto: Anna Muster“."),
            )
            self.fields[f"photo_{number}_rights"] = forms.BooleanField(
                label=_(
                    "Ich habe die Rechte an diesem Foto und erlaube dem Portal, es mit "
                    "dem Bildnachweis zu veröffentlichen."
                ),
                required=False,
            )
        # The consent box comes last, after the photos.
        self.fields["consent"] = self.fields.pop("consent")
        # Every text limit is stated next to its field, from the limit that validates it.
        for name, field in self.fields.items():
            if isinstance(field, (SingleLineField, forms.URLField)) and (
                field.max_length and name != "postcode"
            ):
                hint = length_hint(field)
                field.help_text = f"{field.help_text} {hint}" if field.help_text else hint

    def set_aria(self):
        """Link every input to its help text and errors (aria-describedby, aria-invalid)."""
        errors = self.errors if self.is_bound else {}
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            described = []
            if field.help_text:
                described.append(f"{auto_id}-hinweis")
            if name in errors:
                described.append(f"{auto_id}-fehler")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
        return self

    def error_links(self):
        """(anchor, label, message) for the error summary at the top of the page."""
        links = []
        for name, messages in self.errors.items():  # none while unbound
            if name == "__all__":
                links += [("", "", message) for message in messages]
                continue
            anchor = self[name].auto_id + ("_0" if name == "categories" else "")
            links += [(anchor, self.fields[name].label, message) for message in messages]
        return links

    @property
    def photo_groups(self):
        return [
            {
                "number": number,
                "file": self[f"photo_{number}"],
                "description": self[f"photo_{number}_description"],
                "credit": self[f"photo_{number}_credit"],
                "rights": self[f"photo_{number}_rights"],
                "kept": self.shown_kept.get(number),
            }
            for number in self.slots
        ]

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "")
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(
                _("Bitte geben Sie nur Ziffern, Leerzeichen und + / - ( ) ein."), code="invalid"
            )
        return phone

    def clean_email(self):
        return clean_text(self.cleaned_data.get("email", ""))

    def clean(self):
        cleaned = super().clean()
        total = sum(len(self.files.getlist(key)) for key in self.files)  # {} when unbound
        if total > settings.APPLICATIONS_MAX_PHOTOS:
            raise ValidationError(
                _("Bitte laden Sie höchstens %(max)s Fotos hoch.")
                % {"max": settings.APPLICATIONS_MAX_PHOTOS},
                code="too_many_photos",
            )
        for number in self.slots:
            name = f"photo_{number}"
            if cleaned.get(name):
                try:
                    cleaned[name] = validate_photo(cleaned[name])
                except ValidationError as error:
                    self.add_error(name, error)
                    continue
            elif number in self.kept and not self.removes(number):
                # Checked when it was kept; used unless replaced or removed.
                cleaned[name] = self.kept[number]
            else:
                if number in self.kept_lost and not self.removes(number):
                    self.add_error(name, KEPT_LOST)
                continue
            for detail, message in PHOTO_DETAILS_REQUIRED.items():
                if not cleaned.get(f"{name}_{detail}"):
                    self.add_error(f"{name}_{detail}", message)
        return cleaned

    def removes(self, number: int) -> bool:
        return bool(self.is_bound and self.data.get(f"photo_{number}_remove"))

    def photos(self):
        """(file, description, credit) of every photo, uploaded now or kept, in slot order."""
        data = self.cleaned_data
        return [
            (
                photo.file if isinstance(photo, kept_photos.Kept) else photo,
                data[f"photo_{number}_description"],
                data[f"photo_{number}_credit"],
            )
            for number in self.slots
            if (photo := data.get(f"photo_{number}"))
        ]

    def keep_photos(self) -> None:
        """After errors: store the photos that passed their checks, so that the re-shown form
        needs them no more; drop those replaced or removed; refresh the others' tokens."""
        drop = []
        for number in self.slots:
            name = f"photo_{number}"
            upload = self.files.get(name) if self.files else None
            previous = self.kept.get(number)
            if upload and name not in self.errors:
                if previous is not None:
                    drop.append(previous.photo)
                self.shown_kept[number] = kept_photos.keep(upload)
            elif previous is not None and self.removes(number):
                drop.append(previous.photo)
            elif previous is not None:
                self.shown_kept[number] = previous.refresh()
        kept_photos.discard(drop)
        for number, kept in self.shown_kept.items():
            field = self.fields[f"photo_{number}"]
            field.label = _("Anderes Foto statt „%(name)s“ (freiwillig)") % {"name": kept.name}
