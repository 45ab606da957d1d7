"""Abstract building blocks for page models (composition over deep inheritance)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HeroImageMixin(models.Model):
    hero_image = models.ForeignKey(
        "core.CustomImage",
        verbose_name=_("Titelbild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Großes Bild oben auf der Seite; auch Vorschaubild beim Teilen."),
    )

    class Meta:
        abstract = True
