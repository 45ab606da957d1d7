from urllib.parse import urlencode

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import StoryBlock
from core.forms import ImageCheckedPageForm
from core.languages import BilingualPage
from core.mixins import HeroImageMixin
from core.routing import OneQueryRouting
from places import api_fields as place_api
from places.models import PlacePage
from website.events import region_dates
from website.listing import ListingResponse, build_listing


class RegionPage(BilingualPage, OneQueryRouting, HeroImageMixin, Page):
    """A region of Saxony-Anhalt (e.g. the Altmark) with its places as children."""

    intro = RichTextField(
        _("Einleitung"),
        features=["bold", "italic", "link"],
        max_length=2000,
        help_text=_("Ein, zwei Absätze: Was macht die Region aus?"),
    )
    body = StreamField(StoryBlock(), verbose_name=_("Inhalt"), blank=True)
    contact_person = models.CharField(_("Ansprechperson der Region"), max_length=120, blank=True)
    contact_email = models.EmailField(
        _("E-Mail der Region"),
        blank=True,
        help_text=_("Hierhin gehen Hinweise und Bewerbungen für Orte dieser Region."),
    )

    # Refuses images the editor may not choose (core.forms).
    base_form_class = ImageCheckedPageForm
    parent_page_types = ["home.HomePage"]
    subpage_types = ["places.PlacePage"]

    # Headless API (docs/api.md); the region's contact is public on its page.
    api_fields = [
        APIField("intro"),
        APIField("hero_image", serializer=place_api.ImageField()),
        APIField("body", serializer=place_api.StoryField()),
        APIField("place_count", serializer=place_api.RegionPlaceCountField()),
        APIField("bbox", serializer=place_api.RegionBoundingBoxField()),
        APIField("contact_person"),
        APIField("contact_email"),
    ]

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro", help_text=_("Erscheint oben auf der Regionsseite.")),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("contact_person"), FieldPanel("contact_email")])],
            heading=_("Kontakt"),
        ),
    ]

    class Meta:
        verbose_name = _("Region")
        verbose_name_plural = _("Regionen")

    def routed_children(self):
        # A place with what its page shows of it joined, in one query.
        return PlacePage.objects.select_related("hero_image", "actor_type")

    def get_places(self):
        return PlacePage.objects.visible_children(self)

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # The same response, able to share its frame between the pages of a static build.
        return ListingResponse(request, response.template_name, response.context_data)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        listing = build_listing(request, self.get_places(), region=self)
        context["listing"] = listing
        context["places"] = listing.places
        query = urlencode({"region": self.slug})
        if listing.query_string:
            query = f"{query}&{listing.query_string}"
        context["geojson_url"] = f"/api/orte.geojson?{query}"
        # With the request, the site root paths come from the request's cache (one lookup
        # per request; ``page.url`` in the template would make a second).
        context["region_url"] = self.get_url(request)
        # The next dates of events below the region's places (website.events).
        context["region_dates"] = region_dates(self, request)
        context["region_events_url"] = "/veranstaltungen/?" + urlencode({"region": self.slug})
        return context
