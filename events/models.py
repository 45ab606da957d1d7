"""An event at a place: a page below its ``PlacePage``.

A page, not an orderable on the place: it lives in the place's region subtree, so the
region's editors and moderators (page permissions, the workflow) manage it as they manage
the place, it has its own address (``/altmark/gutshof/hoffest/``), revisions, preview and
scheduled publishing, and it appears in the API as ``events.EventPage``.

Dates are stored as the editor enters them, in local time (Europe/Berlin): a date, an
optional time (none: all day), an optional end. A weekly event at 18:00 stays at 18:00
across the change to summer time. ``events.occurrences`` turns this into dates.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core.languages import BilingualPage

from . import api_fields as api
from .querysets import EventManager


class Recurrence(models.TextChoices):
    """The RFC 5545 subset editors can choose (``events.occurrences.rrule``)."""

    NONE = "", _("einmalig")
    WEEKLY = "weekly", _("wöchentlich")
    MONTHLY_DAY = "monthly-day", _("monatlich am selben Tag (z. B. jeden 15.)")
    MONTHLY_WEEKDAY = (
        "monthly-weekday",
        _("monatlich am selben Wochentag (z. B. jeden ersten Samstag)"),
    )


class EventPage(BilingualPage, Page):
    start_date = models.DateField(_("Datum"), help_text=_("Erster (oder einziger) Tag."))
    start_time = models.TimeField(
        _("Beginn"),
        null=True,
        blank=True,
        help_text=_("Z. B. 18:00. Leer lassen, wenn die Veranstaltung den ganzen Tag dauert."),
    )
    end_date = models.DateField(
        _("Enddatum"),
        null=True,
        blank=True,
        help_text=_("Nur bei mehrtägigen Veranstaltungen, z. B. einem Festival-Wochenende."),
    )
    end_time = models.TimeField(_("Ende"), null=True, blank=True, help_text=_("Z. B. 21:30."))
    recurrence = models.CharField(
        _("Wiederholung"),
        max_length=20,
        choices=Recurrence.choices,
        blank=True,
        default=Recurrence.NONE,
    )
    recurrence_interval = models.PositiveSmallIntegerField(
        _("Abstand"),
        default=1,
        help_text=_("1 = jede Woche bzw. jeden Monat, 2 = jede zweite …"),
    )
    recurrence_until = models.DateField(
        _("Wiederholen bis"),
        null=True,
        blank=True,
        help_text=_("Letzter möglicher Termin. Leer: ohne Ende."),
    )
    teaser = models.CharField(
        _("Kurzbeschreibung"),
        max_length=300,
        help_text=_(
            "Ein bis zwei Sätze für Listen, den Kalender und Vorschauen (max. 300 Zeichen)."
        ),
    )
    description = RichTextField(
        _("Beschreibung"),
        blank=True,
        features=["bold", "italic", "link", "ul", "ol"],
    )
    image = models.ForeignKey(
        "core.CustomImage",
        verbose_name=_("Bild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_free = models.BooleanField(_("Eintritt frei"), default=False)
    price = models.DecimalField(
        _("Preis in Euro"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Z. B. 12,50. Leer lassen, wenn der Eintritt frei ist."),
    )
    price_note = models.CharField(
        _("Hinweis zum Preis"),
        max_length=120,
        blank=True,
        help_text=_("Z. B. „ermäßigt 5 €, Kinder frei“."),
    )
    registration_url = models.URLField(
        _("Anmeldung (Link)"), blank=True, help_text=_("Adresse der Anmeldeseite, falls nötig.")
    )
    cancelled = models.BooleanField(
        _("Fällt aus"),
        default=False,
        help_text=_("Ankreuzen statt löschen: Besucher sehen dann „Fällt aus“."),
    )

    objects = EventManager()

    parent_page_types = ["places.PlacePage"]
    subpage_types = []

    # Help texts live on the panels (not the fields): wording changes need no migration.
    content_panels = [
        TitleFieldPanel(
            "title",
            help_text=_("Der Name der Veranstaltung, z. B. „Hoffest mit Kinderflohmarkt“."),
        ),
        FieldPanel("teaser"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("start_time")]),
                FieldRowPanel([FieldPanel("end_date"), FieldPanel("end_time")]),
            ],
            heading=_("Wann?"),
            help_text=_(
                "Alle Zeiten in deutscher Ortszeit. Ganztägig: „Beginn“ und „Ende“ leer lassen. "
                "Über mehrere Tage: das Enddatum angeben."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel(
                    "recurrence",
                    help_text=_(
                        "Der Wochentag bzw. Tag im Monat ergibt sich aus dem Datum: "
                        "Ist es der erste Samstag im Monat, wiederholt sich die Veranstaltung "
                        "an jedem ersten Samstag."
                    ),
                ),
                FieldRowPanel([FieldPanel("recurrence_interval"), FieldPanel("recurrence_until")]),
            ],
            heading=_("Wiederholung"),
            help_text=_("Nur für regelmäßige Termine, z. B. einen Markt oder einen Probetag."),
        ),
        FieldPanel("description"),
        FieldPanel(
            "image", help_text=_("Optional: ein Foto zur Veranstaltung, z. B. vom letzten Mal.")
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("is_free"), FieldPanel("price")]),
                FieldPanel("price_note"),
                FieldPanel("registration_url"),
            ],
            heading=_("Eintritt und Anmeldung"),
        ),
        MultiFieldPanel(
            [FieldPanel("cancelled")],
            heading=_("Absage"),
            help_text=_(
                "Eine abgesagte Veranstaltung nicht löschen: Wer sie schon im Kalender hat, "
                "erfährt so, dass sie ausfällt."
            ),
        ),
    ]

    api_fields = api.EVENT_API_FIELDS

    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("description"),
    ]

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")

    def get_context(self, request, *args, **kwargs):
        # What the page shows besides its fields (dates, place, JSON-LD) is the website's
        # code, a layer above this one: it registers itself on this hook.
        context = super().get_context(request, *args, **kwargs)
        for add_details in hooks.get_hooks("event_page_context"):
            context.update(add_details(self, request))
        return context

    @property
    def place(self):
        return self.get_parent().specific

    @property
    def is_all_day(self) -> bool:
        return self.start_time is None

    @property
    def is_recurring(self) -> bool:
        return bool(self.recurrence)

    def clean(self):
        super().clean()
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _(
                "Das Enddatum liegt vor dem Datum. Bitte ein späteres Enddatum angeben oder "
                "das Feld leer lassen."
            )
        if self.end_time and not self.start_time:
            errors["end_time"] = _(
                "Ein Ende braucht einen Beginn. Für eine ganztägige Veranstaltung beide Felder "
                "leer lassen."
            )
        if (
            self.start_time
            and self.end_time
            and (self.end_date is None or self.end_date == self.start_date)
            and self.end_time <= self.start_time
        ):
            errors["end_time"] = _(
                "Das Ende liegt nicht nach dem Beginn. Geht die Veranstaltung über "
                "Mitternacht, bitte auch das Enddatum angeben."
            )
        if self.recurrence:
            if self.end_date and self.end_date != self.start_date:
                errors["recurrence"] = _(
                    "Mehrtägige Veranstaltungen können sich nicht wiederholen. Bitte „einmalig“ "
                    "wählen oder das Enddatum leer lassen."
                )
            until = self.recurrence_until
            if until and self.start_date and until < self.start_date:
                errors["recurrence_until"] = _(
                    "„Wiederholen bis“ liegt vor dem Datum des ersten Termins."
                )
        if self.recurrence_interval is not None and not 1 <= self.recurrence_interval <= 12:
            errors["recurrence_interval"] = _("Bitte eine Zahl von 1 bis 12 angeben.")
        if self.is_free and self.price:
            errors["price"] = _(
                "Entweder „Eintritt frei“ ankreuzen oder einen Preis angeben, nicht beides."
            )
        if errors:
            raise ValidationError(errors)
