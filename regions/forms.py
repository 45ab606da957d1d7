from django import forms
from django.utils.translation import gettext_lazy as _

from .onboarding import OnboardingError, check_email, split_entries


class EmailListField(forms.CharField):
    """Optional e-mail addresses in a text area (lines, commas or semicolons), each checked;
    cleaned to a list."""

    def __init__(self, *, rows: int, **kwargs):
        super().__init__(required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)

    def clean(self, value) -> list[str]:
        emails = split_entries([super().clean(value)])
        for email in emails:
            try:
                check_email(email)
            except OnboardingError as error:
                raise forms.ValidationError(str(error)) from error
        return emails


class OnboardRegionForm(forms.Form):
    name = forms.CharField(label=_("Name der Region"), max_length=80, help_text=_("Z. B. „Harz“."))
    slug = forms.SlugField(
        label=_("Adresse (Kurzname)"),
        max_length=80,
        required=False,
        help_text=_("Leer lassen für einen Vorschlag aus dem Namen, z. B. „harz“ → /harz/."),
    )
    contact_email = forms.EmailField(label=_("E-Mail der Region"), required=False)
    editors = EmailListField(
        label=_("E-Mail-Adressen der Redaktion"),
        rows=3,
        help_text=_(
            "Eine Adresse je Zeile oder durch Kommas getrennt. Neue Konten bekommen kein "
            "Passwort, sondern einen Einmal-Link zum Setzen."
        ),
    )
    moderators = EmailListField(
        label=_("E-Mail-Adressen der Moderation"),
        rows=2,
        help_text=_(
            "Wer Beiträge der Redaktion prüft und freigibt; wie oben eine Adresse je Zeile. "
            "Dieselbe Person darf in beiden Feldern stehen."
        ),
    )
    translators = EmailListField(
        label=_("E-Mail-Adressen der Übersetzung"),
        rows=2,
        help_text=_(
            "Wer die Seiten der Region ins Englische übersetzt (ohne Rechte an den deutschen "
            "Seiten); wie oben eine Adresse je Zeile."
        ),
    )
    publish = forms.BooleanField(
        label=_("Regionsseite sofort veröffentlichen"),
        required=False,
        initial=True,
        help_text=_("Sonst bleibt eine neue Regionsseite ein Entwurf."),
    )
