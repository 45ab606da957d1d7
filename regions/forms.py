from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _


class OnboardRegionForm(forms.Form):
    name = forms.CharField(label=_("Name der Region"), max_length=80, help_text=_("Z. B. „Harz“."))
    slug = forms.SlugField(
        label=_("Adresse (Kurzname)"),
        max_length=80,
        required=False,
        help_text=_("Leer lassen für einen Vorschlag aus dem Namen, z. B. „harz“ → /harz/."),
    )
    contact_email = forms.EmailField(label=_("E-Mail der Region"), required=False)
    editors = forms.CharField(
        label=_("E-Mail-Adressen der Redaktion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Eine Adresse je Zeile oder durch Kommas getrennt. Neue Konten bekommen kein "
            "Passwort, sondern einen Einmal-Link zum Setzen."
        ),
    )
    publish = forms.BooleanField(
        label=_("Regionsseite sofort veröffentlichen"),
        required=False,
        initial=True,
        help_text=_("Sonst bleibt eine neue Regionsseite ein Entwurf."),
    )

    def clean_editors(self):
        raw = self.cleaned_data["editors"]
        emails = []
        for part in raw.replace(";", ",").replace("\n", ",").split(","):
            email = part.strip()
            if not email:
                continue
            try:
                validate_email(email)
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("„%(email)s“ ist keine gültige E-Mail-Adresse."), params={"email": email}
                ) from exc
            emails.append(email)
        return emails
