"""Events in the admin: „Veranstaltung hinzufügen“ on every place, and the „Veranstaltungen“
listing (the events the user may edit, upcoming ones first).

The listing is Wagtail's flat page listing, which shows only pages the user may explore:
a region's editors see their region's events, the portal team all of them; German events
only (an English translation is reached through its German event's „Übersetzen“ actions).
Choosing the place for a new event offers only German places the user may add to, and an id
from elsewhere is refused without naming that page (its draft title is another region's
business).
"""

import datetime

from django import forms
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.admin.forms.pages import ParentChooserForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.ui.tables.pages import (
    BulkActionsColumn,
    PageStatusColumn,
    PageTitleColumn,
    ParentPageColumn,
)
from wagtail.admin.views.pages.choose_parent import ChooseParentView
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet

from django_filters import ChoiceFilter

from core import languages
from core.languages import in_language_q
from places.models import PlacePage

from .models import EventPage, Recurrence
from .occurrences import HORIZON_DAYS, Occurrence, local_today, upcoming, week_of_month

UPCOMING, PAST, ALL = "", "vergangen", "alle"
PERIOD_PARAMETER = "zeitraum"


# --- „Veranstaltung hinzufügen“ on a place ------------------------------------------------


class AddEventButton(PageMenuItem):
    label = _("Veranstaltung hinzufügen")
    icon_name = "date"

    @property
    def url(self):
        return reverse("wagtailadmin_pages:add", args=("events", "eventpage", self.page.pk))

    def is_shown(self, user):
        return (
            isinstance(self.page.specific_deferred, PlacePage)
            and self.page.locale.language_code == languages.DEFAULT  # not on a translation
            and self.page.permissions_for_user(user).can_add_subpage()
        )


# In the header of a place (its explorer page and its edit form) and in the „…“ menu of
# each place in its region's list.
@hooks.register("register_page_header_buttons")
@hooks.register("register_page_listing_more_buttons")
def add_event_to_place(page, user, next_url=None, view_name=None):
    return [AddEventButton(page=page, priority=16)]


# --- The „Veranstaltungen“ listing ------------------------------------------------------


def _day(day) -> str:
    return formats.date_format(day, "D, d.m.Y")


def occurrence_label(occurrence: Occurrence) -> str:
    """„Sa, 12.09.2026, 18:00“, „Sa, 12.09.2026 bis So, 13.09.2026“, „… (ganztägig)“."""
    start = occurrence.start
    text = _day(start.date())
    if occurrence.is_multi_day:
        text += " " + str(_("bis")) + " " + _day(occurrence.last_day)
    elif occurrence.all_day:
        text += " (" + str(_("ganztägig")) + ")"
    if not occurrence.all_day:
        text += ", " + formats.time_format(start.time(), "H:i")
    return text


ORDINALS = {1: _("ersten"), 2: _("zweiten"), 3: _("dritten"), 4: _("vierten"), -1: _("letzten")}


def repeat_label(event: EventPage) -> str:
    """„jeden Dienstag“, „alle 2 Wochen am Dienstag“, „monatlich am 15.“, „jeden ersten
    Samstag im Monat“ …, with „bis 31.12.2027“ when the series ends."""
    weekday = formats.date_format(event.start_date, "l")
    interval = event.recurrence_interval or 1
    values = {"weekday": weekday, "n": interval, "day": event.start_date.day}
    if event.recurrence == Recurrence.WEEKLY:
        text = _("jeden %(weekday)s") if interval == 1 else _("alle %(n)s Wochen am %(weekday)s")
    elif event.recurrence == Recurrence.MONTHLY_DAY:
        text = _("monatlich am %(day)s.") if interval == 1 else _("alle %(n)s Monate am %(day)s.")
    else:
        values["nth"] = ORDINALS[week_of_month(event.start_date)]
        text = (
            _("jeden %(nth)s %(weekday)s im Monat")
            if interval == 1
            else _("alle %(n)s Monate am %(nth)s %(weekday)s")
        )
    text = str(text) % values
    if event.recurrence_until:
        text += " " + str(_("bis")) + " " + formats.date_format(event.recurrence_until, "d.m.Y")
    return text


def next_date(event: EventPage) -> str:
    """The event's next date for the listing, or its (last) date when it is over."""
    today = local_today()
    # Past the listings' horizon too: an event planned for next year has a next date.
    horizon = max(today, event.start_date) + datetime.timedelta(days=HORIZON_DAYS)
    found = upcoming([event], last_day=horizon, limit=1)
    if found:
        text = occurrence_label(found[0])
    else:
        last = event.recurrence_until or event.end_date or event.start_date
        text = str(_("vorbei (%(date)s)")) % {"date": _day(last)}
    if event.recurrence:
        text += " · " + repeat_label(event)
    if event.cancelled:
        text = str(_("Fällt aus")) + ": " + text
    return text


def _keep(queryset, name, value):
    # The period is applied in ``EventIndexView.get_base_queryset``, also when it is absent.
    return queryset


class EventFilterSet(PageFilterSet):
    # Events have no child pages, and there is one site. No owner and editor filters:
    # Wagtail's list every owner and editor site-wide, other regions' staff too (the page
    # explorer lists colleagues only, regions.isolation.RegionPageFilterSet).
    has_child_pages = None
    site = None
    owner = None
    edited_by = None
    zeitraum = ChoiceFilter(
        label=_("Zeitraum"),
        choices=[(PAST, _("Vergangene")), (ALL, _("Alle"))],
        empty_label=_("Kommende"),
        method=_keep,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = EventPage
        fields = []


class EventIndexView(IndexView):
    """Upcoming events by default (not over today), soonest first; the period filter shows
    past ones or all."""

    page_title = _("Veranstaltungen")
    default_ordering = "start_date"

    def get_base_queryset(self):
        # German events: a translation is the German event's English text, reached through
        # its „Übersetzen“ actions, not an event of its own.
        events = super().get_base_queryset().filter(in_language_q())
        period = self.request.GET.get(PERIOD_PARAMETER, UPCOMING)
        if period == ALL:
            return events
        not_over = EventPage.objects.not_over(local_today()).values("pk")
        if period == PAST:
            return events.exclude(pk__in=not_over)
        return events.filter(pk__in=not_over)


class ParentChoiceForm(ParentChooserForm):
    """Only places the user may add an event to. Any other id is dropped before the form
    is shown again: the chooser widget would name that page by its draft title."""

    def __init__(self, child_page_type, user, data=None, *, places):
        super().__init__(child_page_type, user, data)
        field = self.fields["parent_page"]
        field.queryset = places
        field.label = _("Ort")
        field.help_text = _("Der Ort, an dem die Veranstaltung stattfindet.")
        self.refused = False
        if data is not None:
            value = str(data.get("parent_page", ""))
            if value and not (value.isdigit() and places.filter(pk=value).exists()):
                self.data = data.copy()
                self.data["parent_page"] = ""
                self.refused = True

    def full_clean(self):
        super().full_clean()
        if self.refused:
            self._errors["parent_page"] = self.error_class(
                [_("Hier können Sie keine Veranstaltung anlegen. Bitte einen Ihrer Orte wählen.")]
            )


class ChoosePlaceView(ChooseParentView):
    page_title = _("Ort wählen")

    def get_valid_parent_pages(self, user):
        # German places: an event is made in the German tree and translated from there.
        return super().get_valid_parent_pages(user).filter(in_language_q())

    def get_form(self):
        places = self.get_valid_parent_pages(self.request.user)
        data = self.request.POST if self.request.method == "POST" else None
        return ParentChoiceForm(self.model, self.request.user, data, places=places)


class EventsMenuItem(MenuItem):
    def is_shown(self, request):
        return user_has_any_page_permission(request.user)


class EventListingViewSet(PageListingViewSet):
    model = EventPage
    index_view_class = EventIndexView
    choose_parent_view_class = ChoosePlaceView
    filterset_class = EventFilterSet
    icon = "date"
    menu_label = _("Veranstaltungen")
    menu_name = "veranstaltungen"
    menu_order = 150
    add_to_admin_menu = True
    menu_item_class = EventsMenuItem
    name = "veranstaltungen"
    columns = [
        BulkActionsColumn("bulk_actions"),
        PageTitleColumn("title", label=_("Titel"), sort_key="title", classname="title"),
        Column("next_date", label=_("Nächster Termin"), accessor=next_date, sort_key="start_date"),
        ParentPageColumn("parent", label=_("Ort")),
        PageStatusColumn("status", label=_("Status"), sort_key="live", width="12%"),
        DateColumn(
            "latest_revision_created_at",
            label=_("Bearbeitet"),
            sort_key="latest_revision_created_at",
            width="12%",
        ),
    ]


@hooks.register("register_admin_viewset")
def register_event_listing():
    return EventListingViewSet()
