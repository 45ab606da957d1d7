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


class EventPage(Page):
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

    content_panels = [
        TitleFieldPanel("title"),
        FieldPanel("teaser"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("start_time")]),
                FieldRowPanel([FieldPanel("end_date"), FieldPanel("end_time")]),
            ],
            heading=_("Wann?"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("recurrence"),
                FieldRowPanel([FieldPanel("recurrence_interval"), FieldPanel("recurrence_until")]),
            ],
            heading=_("Wiederholung"),
        ),
        FieldPanel("description"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("is_free"), FieldPanel("price")]),
                FieldPanel("price_note"),
                FieldPanel("registration_url"),
            ],
            heading=_("Eintritt und Anmeldung"),
        ),
        FieldPanel("cancelled"),
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
            errors["end_date"] = _("Das Enddatum liegt vor dem Datum.")
        if self.end_time and not self.start_time:
            errors["end_time"] = _("Ein Ende braucht einen Beginn (oder beide Felder leer lassen).")
        if (
            self.start_time
            and self.end_time
            and (self.end_date is None or self.end_date == self.start_date)
            and self.end_time <= self.start_time
        ):
            errors["end_time"] = _("Das Ende liegt vor dem Beginn.")
        if self.recurrence:
            if self.end_date and self.end_date != self.start_date:
                errors["recurrence"] = _(
                    "Mehrtägige Veranstaltungen können sich nicht wiederholen."
                )
            until = self.recurrence_until
            if until and self.start_date and until < self.start_date:
                errors["recurrence_until"] = _("„Wiederholen bis“ liegt vor dem Datum.")
        if self.recurrence_interval is not None and not 1 <= self.recurrence_interval <= 12:
            errors["recurrence_interval"] = _("Bitte eine Zahl von 1 bis 12 angeben.")
        if self.is_free and self.price:
            errors["price"] = _("Entweder „Eintritt frei“ oder ein Preis.")
        if errors:
            raise ValidationError(errors)
