from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import StoryBlock
from core.mixins import HeroImageMixin
from places import api_fields as place_api


class HomePage(HeroImageMixin, Page):
    intro = RichTextField(
        _("Einleitung"),
        features=["bold", "italic", "link"],
        blank=True,
        help_text=_("Worum geht es im Portal? Erscheint oben auf der Startseite."),
    )
    body = StreamField(StoryBlock(), verbose_name=_("Inhalt"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["regions.RegionPage", "home.ContentPage"]

    api_fields = [
        APIField("intro"),
        APIField("hero_image", serializer=place_api.ImageField()),
        APIField("body", serializer=place_api.StoryField()),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("Startseite")
        verbose_name_plural = _("Startseiten")

    def get_context(self, request, *args, **kwargs):
        from places.models import PlacePage
        from regions.models import RegionPage

        context = super().get_context(request, *args, **kwargs)
        regions = list(
            RegionPage.objects.child_of(self).live().public().select_related("hero_image")
        )
        places = PlacePage.objects.visible()
        paths = list(places.values_list("path", flat=True))
        for region in regions:
            region.place_count = sum(1 for path in paths if path.startswith(region.path))
        context["regions"] = regions
        context["place_count"] = len(paths)
        context["featured"] = (
            places.filter(hero_image__isnull=False)
            .for_listing()
            .order_by("-first_published_at", "-pk")[:6]
        )
        context["geojson_url"] = "/api/orte.geojson"
        return context


class ContentPage(Page):
    """A plain page: about the project, how to take part, Impressum, Datenschutz …"""

    intro = RichTextField(_("Einleitung"), features=["bold", "italic", "link"], blank=True)
    body = StreamField(StoryBlock(), verbose_name=_("Inhalt"), blank=True)

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = ["home.ContentPage"]

    api_fields = [
        APIField("intro"),
        APIField("body", serializer=place_api.StoryField()),
    ]

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("Inhaltsseite")
        verbose_name_plural = _("Inhaltsseiten")
