from django.db.models import Count
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import StoryBlock
from core.forms import ImageCheckedPageForm
from core.languages import BilingualPage
from core.mixins import HeroImageMixin
from core.routing import OneQueryRouting
from core.visibility import visible_q
from places import api_fields as place_api
from places.models import PlacePage
from regions.models import RegionPage
from website.cards import listed_cards
from website.listing import kept_by_data_version


class HomePage(BilingualPage, OneQueryRouting, HeroImageMixin, Page):
    intro = RichTextField(
        _("Einleitung"),
        features=["bold", "italic", "link"],
        blank=True,
        help_text=_("Worum geht es im Portal? Erscheint oben auf der Startseite."),
    )
    body = StreamField(StoryBlock(), verbose_name=_("Inhalt"), blank=True)

    # Refuses images the editor may not choose (core.forms).
    base_form_class = ImageCheckedPageForm
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

    @property
    def localized(self):
        """Wagtail routes a request from the site's root page ``.localized``: this keeps
        routing in the German tree in every language (``core.languages``), and
        ``website.wagtail_hooks`` serves the English page in the German page's place."""
        return self

    def routed_children(self):
        # Regions in one query (content pages: Wagtail's routing).
        return RegionPage.objects.select_related("hero_image")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        regions = list(
            RegionPage.objects.child_of(self)
            .filter(visible_q())
            .select_related("hero_image")
            .defer_streamfields()
        )
        places = PlacePage.objects.visible()
        # Places per region counted in the database: one row per region, not per place;
        # kept by data version (``website.listing.data_version``).
        step = len(self.path) + self.steplen
        counts = kept_by_data_version(
            ("region-counts", self.path),
            lambda: dict(
                places.annotate(prefix=Substr("path", 1, step))
                .values_list("prefix")
                .annotate(count=Count("pk"))
                .values_list("prefix", "count")
                .order_by()
            ),
        )
        for region in regions:
            region.place_count = counts.get(region.path, 0)
        context["regions"] = regions
        context["place_count"] = sum(counts.values())
        context["featured"] = listed_cards(
            places.filter(hero_image__isnull=False).order_by("-first_published_at", "-pk")[:6]
        )
        context["geojson_url"] = "/api/orte.geojson"
        return context


class ContentPage(BilingualPage, OneQueryRouting, Page):
    """A plain page: about the project, how to take part, Impressum, Datenschutz …"""

    intro = RichTextField(_("Einleitung"), features=["bold", "italic", "link"], blank=True)
    body = StreamField(StoryBlock(), verbose_name=_("Inhalt"), blank=True)

    base_form_class = ImageCheckedPageForm
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
