from django import forms
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from core.blocks import StoryBlock
from core.languages import BilingualPage, active
from core.mixins import HeroImageMixin
from core.routing import OneQueryRouting

from . import api_fields as api
from .forms import PlacePageForm
from .nearby import distance_km
from .panels import CoordinatesPanel
from .querysets import PlaceManager
from .validators import (
    validate_founded_year,
    validate_latitude,
    validate_longitude,
    validate_opening_hours,
    validate_postcode,
)
from .widgets import OpeningHoursWidget

OPENING_HOURS_HELP = _(
    "Tage und Uhrzeiten, z. B. „Mo-Fr 10-18 Uhr; Sa 10-14 Uhr; So Ruhetag“ oder „Di bis So "
    "10 bis 17 Uhr, Feiertage geschlossen“; Saison: „Apr-Okt Sa-So 10-18 Uhr“. Gespeichert "
    "wird die OpenStreetMap-Schreibweise (Mo-Fr 10:00-18:00), die Website zeigt sie lesbar an."
)


def taxonomy_label(name: str, name_en: str = "", language: str | None = None) -> str:
    """The name of a field, offer or actor type as ``language`` (default: the active one)
    shows it: the English name on the English site where one is set, else the German one.
    For rows read as values (``name``, ``name_en``); objects have ``SluggedTaxonomy.label``.
    """
    language = active() if language is None else language
    return name_en if language == "en" and name_en else name


class SluggedTaxonomy(models.Model):
    """Editable reference data with a stable slug used in URLs, filters and the API.

    One row for every language: the German ``name`` and an optional ``name_en`` (``label``
    picks by the active language). Not a ``TranslatableMixin`` model with a row per language:
    those rows would enter every lookup, filter, import and API query (docs/languages.md)."""

    name = models.CharField(_("Name"), max_length=80, unique=True)
    name_en = models.CharField(
        _("Name auf Englisch"),
        max_length=80,
        blank=True,
        help_text=_(
            "Wird auf der englischen Website und in der englischen API gezeigt. Leer lassen: "
            "dort steht dann der deutsche Name."
        ),
    )
    slug = models.SlugField(
        _("Kurzname (URL)"),
        max_length=80,
        unique=True,
        help_text=_("Erscheint in Adressen und Filtern, z. B. „wohnen-bauen“. Nicht ändern."),
    )
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        """The name in the active language (``taxonomy_label``)."""
        return taxonomy_label(self.name, self.name_en)


class Category(SluggedTaxonomy):
    """One of the portal's three fields (Wohnen/Bauen, Arbeiten/Wirtschaft, Leben/Tourismus)."""

    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta(SluggedTaxonomy.Meta):
        verbose_name = _("Themenfeld")
        verbose_name_plural = _("Themenfelder")


class Offer(SluggedTaxonomy):
    """Something a place offers: coworking desks, rooms to rent, a workshop …"""

    class Meta(SluggedTaxonomy.Meta):
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")


class ActorType(SluggedTaxonomy):
    """Who runs a place: association, company, start-up, municipality …"""

    class Meta(SluggedTaxonomy.Meta):
        verbose_name = _("Trägerform")
        verbose_name_plural = _("Trägerformen")


class PlacePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "places.PlacePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class PlaceStatus(models.TextChoices):
    ACTIVE = "aktiv", _("aktiv")
    UNDER_CONSTRUCTION = "im-aufbau", _("im Aufbau")


# Straight-line distances are shown to people weighing a move from these cities.
REFERENCE_CITIES = {
    "Berlin": (52.5200, 13.4050),
    "Hamburg": (53.5511, 9.9937),
    "Hannover": (52.3759, 9.7320),
}


class PlacePage(BilingualPage, OneQueryRouting, HeroImageMixin, Page):
    teaser = models.CharField(
        _("Kurzbeschreibung"),
        max_length=200,
        help_text=_("Ein Satz für Karten, Listen und Vorschauen beim Teilen (max. 200 Zeichen)."),
    )
    story = StreamField(
        StoryBlock(),
        verbose_name=_("Geschichte"),
        blank=True,
        help_text=_(
            "Die Geschichte des Ortes in Abschnitten, z. B. „Das Objekt“, „Die Lage“, "
            "„Der Ort“, „Die Menschen“, „Leben und Arbeiten vor Ort“."
        ),
    )
    categories = ParentalManyToManyField(
        Category,
        verbose_name=_("Themenfelder"),
        related_name="places",
        help_text=_("Ein oder mehrere der drei Themenfelder."),
    )
    tags = ClusterTaggableManager(
        through=PlacePageTag,
        blank=True,
        verbose_name=_("Schlagwörter"),
        help_text=_("Freie Schlagwörter wie Coworking, Makerspace, Wohnprojekt, Kulturhof."),
    )
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=PlaceStatus.choices,
        default=PlaceStatus.ACTIVE,
        help_text=_("Orte „im Aufbau“ werden gezeigt und als solche gekennzeichnet."),
    )

    offers = ParentalManyToManyField(
        Offer, verbose_name=_("Angebote"), related_name="places", blank=True
    )
    seeking_members = models.BooleanField(
        _("Sucht Mitstreiter*innen"),
        default=False,
        help_text=_("Ankreuzen, wenn der Ort Menschen zum Mitmachen sucht."),
    )
    seeking_members_text = models.TextField(
        _("Wer wird gesucht?"),
        blank=True,
        max_length=1000,
        help_text=_("Z. B. „Wir suchen zwei Familien für das Wohnprojekt.“"),
    )
    former_use = models.CharField(
        _("Frühere Nutzung des Gebäudes"),
        max_length=100,
        blank=True,
        help_text=_("Z. B. Gutshaus, Bahnhof, Schule, Scheune, Kaufhalle."),
    )
    actor_type = models.ForeignKey(
        ActorType,
        verbose_name=_("Trägerform"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="places",
    )
    founded = models.PositiveSmallIntegerField(
        _("Gründungsjahr"), null=True, blank=True, validators=[validate_founded_year]
    )

    street = models.CharField(_("Straße und Hausnummer"), max_length=120, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=5, blank=True, validators=[validate_postcode])
    municipality = models.CharField(
        _("Ort / Gemeinde"), max_length=100, help_text=_("Z. B. Salzwedel oder Kalbe (Milde).")
    )
    district = models.CharField(
        _("Landkreis"), max_length=100, blank=True, help_text=_("Z. B. Altmarkkreis Salzwedel.")
    )
    # null=True: a draft created from an application may not know its point yet; the
    # admin form still requires it (blank=False).
    latitude = models.DecimalField(
        _("Breite"),
        max_digits=9,
        decimal_places=6,
        null=True,
        validators=[validate_latitude],
        help_text=_("Z. B. 52,850000 (Dezimalgrad, WGS 84)."),
    )
    longitude = models.DecimalField(
        _("Länge"),
        max_digits=9,
        decimal_places=6,
        null=True,
        validators=[validate_longitude],
        help_text=_("Z. B. 11,150000 (Dezimalgrad, WGS 84)."),
    )
    getting_there = models.TextField(
        _("Anreise"),
        blank=True,
        max_length=1000,
        help_text=_("Mit Bahn und Bus, z. B. „RE 20 bis Salzwedel, dann Bus 300 (15 Min.)“."),
    )

    contact_person = models.CharField(_("Ansprechperson"), max_length=120, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    website = models.URLField(_("Website"), blank=True)
    opening_hours = models.CharField(
        _("Öffnungszeiten"),
        max_length=255,
        blank=True,
        validators=[validate_opening_hours],
        help_text=_(
            "Im OpenStreetMap-Format, z. B. „Mo-Fr 09:00-17:00; Sa 10:00-14:00“. "
            "Die Website zeigt sie lesbar an."
        ),
    )

    last_checked = models.DateField(
        _("Zuletzt geprüft am"),
        null=True,
        blank=True,
        help_text=_("Wann wurde zuletzt bestätigt, dass die Angaben noch stimmen?"),
    )
    external_id = models.CharField(
        _("Externe Kennung"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("Kennung aus einer importierten Liste; hält Importe eindeutig."),
    )

    objects = PlaceManager()
    # Refuses images the editor may not choose (core.forms); reads German opening hours and
    # coordinates with a decimal comma or as a pasted pair (places.forms).
    base_form_class = PlacePageForm

    # Headless API (docs/api.md): every public field; no editor or owner data.
    api_fields = [
        APIField("teaser"),
        APIField("region", serializer=api.RegionField()),
        APIField("status"),
        APIField("categories", serializer=api.TaxonomyListField()),
        APIField("tags", serializer=api.TaxonomyListField()),
        APIField("offers", serializer=api.TaxonomyListField()),
        APIField("seeking_members"),
        APIField("seeking_members_text"),
        APIField("former_use"),
        APIField("actor_type", serializer=api.TaxonomyField()),
        APIField("founded"),
        APIField("street"),
        APIField("postcode"),
        APIField("municipality"),
        APIField("district"),
        APIField("coordinates", serializer=api.CoordinatesField()),
        APIField("distances"),
        APIField("getting_there"),
        APIField("contact_person"),
        APIField("email"),
        APIField("phone"),
        APIField("website"),
        APIField("opening_hours"),
        APIField("links", serializer=api.LinksField()),
        APIField("hero_image", serializer=api.ImageField()),
        APIField("gallery", serializer=api.GalleryField(source="gallery_images")),
        APIField("story", serializer=api.StoryField()),
        APIField("last_checked"),
        APIField("external_id"),
    ]

    parent_page_types = ["regions.RegionPage"]
    subpage_types = ["events.EventPage"]

    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("story"),
        index.SearchField("municipality"),
        index.SearchField("former_use"),
        index.AutocompleteField("municipality"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields("categories", [index.SearchField("name")]),
        index.FilterField("status"),
    ]

    content_panels = [
        TitleFieldPanel("title", help_text=_("Der Name des Ortes oder Projekts.")),
        FieldPanel("teaser"),
        FieldPanel("story"),
        MultiFieldPanel(
            [
                FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
                FieldPanel("status"),
            ],
            heading=_("Einordnung"),
        ),
        FieldPanel("last_checked"),
    ]
    location_panels = [
        MultiFieldPanel(
            [
                FieldPanel("street"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("municipality")]),
                FieldPanel("district"),
            ],
            heading=_("Adresse"),
        ),
        CoordinatesPanel(
            [
                FieldPanel(
                    "latitude", help_text=_("Z. B. 52,8547 – oder ein Paar „52,8547 11,1525“.")
                ),
                FieldPanel("longitude", help_text=_("Z. B. 11,1525 (Dezimalgrad, WGS 84).")),
            ],
            heading=_("Lage auf der Karte"),
        ),
        FieldPanel("getting_there"),
        MultiFieldPanel(
            [
                FieldPanel("contact_person"),
                FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
                FieldPanel("website"),
                FieldPanel(
                    "opening_hours", widget=OpeningHoursWidget, help_text=OPENING_HOURS_HELP
                ),
            ],
            heading=_("Kontakt"),
        ),
        InlinePanel("links", heading=_("Soziale Medien und weitere Links"), label=_("Link")),
    ]
    offer_panels = [
        FieldPanel("offers", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [FieldPanel("seeking_members"), FieldPanel("seeking_members_text")],
            heading=_("Mitmachen"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("former_use"),
                FieldRowPanel([FieldPanel("actor_type"), FieldPanel("founded")]),
            ],
            heading=_("Gebäude und Träger"),
        ),
    ]
    image_panels = [
        FieldPanel("hero_image"),
        InlinePanel("gallery_images", heading=_("Bildergalerie"), label=_("Bild"), max_num=24),
    ]
    promote_panels = [
        *Page.promote_panels,
        FieldPanel("external_id", read_only=True),
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Inhalt")),
            ObjectList(location_panels, heading=_("Ort & Kontakt")),
            ObjectList(offer_panels, heading=_("Angebote")),
            ObjectList(image_panels, heading=_("Bilder")),
            ObjectList(promote_panels, heading=_("Adresse & Teilen")),
            ObjectList(Page.settings_panels, heading=_("Einstellungen")),
        ]
    )

    class Meta:
        verbose_name = _("Ort")
        verbose_name_plural = _("Orte")

    def get_context(self, request, *args, **kwargs):
        # What the page shows besides its fields (relations, gallery, nearby cards) is the
        # website's code, a layer above this one: it registers itself on this hook
        # (website/wagtail_hooks.py).
        context = super().get_context(request, *args, **kwargs)
        for add_details in hooks.get_hooks("place_page_context"):
            context.update(add_details(self, request))
        return context

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @cached_property
    def distances(self) -> dict[str, int]:
        """Rounded straight-line distance in km to the reference cities."""
        if not self.has_coordinates:
            return {}
        return {
            city: round(distance_km(float(self.latitude), float(self.longitude), lat, lon))
            for city, (lat, lon) in REFERENCE_CITIES.items()
        }

    @property
    def is_under_construction(self) -> bool:
        return self.status == PlaceStatus.UNDER_CONSTRUCTION


class PlaceGalleryImage(TranslatableMixin, Orderable):
    """An image of a place's gallery. Translatable (wagtail-localize offers its caption to
    translators); the English page shows the German page's gallery with the captions of its
    translation's rows (``with_captions_of``)."""

    page = ParentalKey(PlacePage, related_name="gallery_images", on_delete=models.CASCADE)
    image = models.ForeignKey(
        "core.CustomImage", verbose_name=_("Bild"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("Bildunterschrift"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("Galeriebild")
        verbose_name_plural = _("Galeriebilder")

    @staticmethod
    def with_captions_of(rows: list, page_id: int) -> list:
        """The gallery of page ``page_id`` (the German page's rows among ``rows``) with the
        captions that the other rows (its live English page's, read in the same query) give
        them, matched by translation key. A row the translation lacks (added since its last
        sync) or leaves empty keeps its German caption."""
        captions = {row.translation_key: row.caption for row in rows if row.page_id != page_id}
        gallery = [row for row in rows if row.page_id == page_id]
        for row in gallery:
            row.caption = captions.get(row.translation_key) or row.caption
        return gallery


class LinkPlatform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X (Twitter)"
    MASTODON = "mastodon", "Mastodon"
    YOUTUBE = "youtube", "YouTube"
    LINKEDIN = "linkedin", "LinkedIn"
    OTHER = "other", _("Sonstiger Link")


class PlaceLink(Orderable):
    page = ParentalKey(PlacePage, related_name="links", on_delete=models.CASCADE)
    platform = models.CharField(_("Art"), max_length=20, choices=LinkPlatform.choices)
    url = models.URLField(_("Adresse"))

    panels = [FieldRowPanel([FieldPanel("platform"), FieldPanel("url")])]

    class Meta(Orderable.Meta):
        verbose_name = _("Link")
        verbose_name_plural = _("Links")


class PlaceApiSnapshot(models.Model):
    """A place's pieces pre-rendered for the API (``api.snapshots``): its GeoJSON feature and
    CSV row for ``/api/orte.geojson`` and ``/api/orte.csv``, so that a cold export is two
    queries and a join, and its API v2 listing items.

    Not a cache of responses: visibility and filters are still applied to the places on
    every request. The pieces are request-independent (URLs on the API's base are filled
    in per request). ``generation`` is bumped by every change that may alter them
    (``publishing.stale_snapshots``); each ``…_built`` is ``"<generation>:<key>"`` of its pieces'
    rendering, the key covering the code and settings they depend on, so a piece is current
    only while both match.
    """

    page = models.OneToOneField(
        PlacePage, primary_key=True, on_delete=models.CASCADE, related_name="api_snapshot"
    )
    generation = models.PositiveBigIntegerField(default=1)
    feature = models.TextField(blank=True)
    csv_row = models.TextField(blank=True)
    exports_built = models.CharField(max_length=80, blank=True)
    # The place's item in ``/api/v2/pages/?type=places.PlacePage`` listings, all fields
    # (``fields=*``) and the default ones.
    v2_all = models.TextField(blank=True)
    v2_all_built = models.CharField(max_length=80, blank=True)
    v2_default = models.TextField(blank=True)
    v2_default_built = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = _("API-Schnappschuss eines Ortes")
        verbose_name_plural = _("API-Schnappschüsse der Orte")

    def __str__(self):
        return f"API snapshot of place {self.page_id} (generation {self.generation})"
