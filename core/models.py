from django.db import models
from django.db.models import Exists, F, OuterRef
from django.db.models.lookups import StartsWith
from django.utils.translation import gettext_lazy as _

from wagtail.api import APIField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.images.models import AbstractImage, AbstractRendition, Image, ImageQuerySet
from wagtail.models import Collection, CollectionViewRestriction

from rest_framework.fields import CharField


def restricted_collections():
    """The collections nothing public may show: those with a view restriction (of any kind:
    password, login, groups) on themselves or on an ancestor collection.

    The one definition of "restricted" for images (and whatever else lives in collections);
    a subquery, so callers filter in the database in the same query.
    """
    return Collection.objects.filter(
        Exists(
            CollectionViewRestriction.objects.filter(
                StartsWith(OuterRef("path"), F("collection__path"))
            )
        )
    )


class CustomImageQuerySet(ImageQuerySet):
    def public(self):
        """Images that may be shown to anyone: outside every restricted collection.

        Sessions never widen it (Wagtail's API lets a visitor who entered a collection's
        password, or a logged-in editor, see more; a public response may be cached)."""
        return self.exclude(collection__in=restricted_collections().values("pk"))


class CustomImage(AbstractImage):
    """An image that always carries alt text and a credit line.

    Wagtail's own ``description`` field serves as the alt text; here it is required.
    """

    description = models.CharField(
        _("Alternativtext"),
        max_length=255,
        help_text=_(
            "Beschreiben Sie, was auf dem Bild zu sehen ist – für Menschen, die das Bild "
            "nicht sehen können (z. B. „Backsteinscheune mit offenem Tor im Abendlicht“)."
        ),
    )
    credit = models.CharField(
        _("Bildnachweis"),
        max_length=255,
        help_text=_("Fotograf*in oder Quelle, z. B. „Foto: Anna Muster“."),
    )
    licence = models.CharField(
        _("Lizenz"),
        max_length=100,
        blank=True,
        help_text=_("Optional, z. B. „CC BY 4.0“ oder „alle Rechte vorbehalten“."),
    )

    admin_form_fields = (*Image.admin_form_fields, "credit", "licence")

    objects = CustomImageQuerySet.as_manager()

    # Headless API: alt text, credit and licence; never the uploader or the collection.
    api_fields = [
        APIField("alt", serializer=CharField(source="description")),
        APIField("credit"),
        APIField("licence"),
        APIField("thumbnail", serializer=ImageRenditionField("fill-480x300", source="*")),
    ]

    @property
    def credit_line(self) -> str:
        return f"{self.credit} ({self.licence})" if self.licence else self.credit

    class Meta(AbstractImage.Meta):
        verbose_name = _("Bild")
        verbose_name_plural = _("Bilder")
        permissions = [("choose_image", "Can choose image")]


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
