"""API v2's input: the project's filters, checked before they reach the database, and bad
input answered with a 400 and a German message, never a 500."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from wagtail.api.v2.filters import FieldsFilter
from wagtail.api.v2.utils import BadRequestError, parse_boolean

from rest_framework.response import Response

from places.models import PlacePage
from places.queries import FILTER_PARAMETERS, FilterError, parse_place_filters

from .serializers import CompactJSONRenderer

PLACE_PARAMETERS = frozenset([*FILTER_PARAMETERS, "bbox"])


class PlaceFilterError(BadRequestError):
    def __init__(self, errors):
        super().__init__(_("Ungültige Filter."))
        self.errors = errors


# Wagtail's own (English) messages, said in German for the public.
_MESSAGES = [
    (r"^limit cannot be higher than (\d+)$", "limit darf höchstens {0} sein."),
    (r"^limit must be a positive integer$", "limit muss eine positive ganze Zahl sein."),
    (r"^offset must be a positive integer$", "offset muss eine positive ganze Zahl sein."),
    (r"^type doesn't exist$", "Unbekannter Seitentyp (type)."),
    (
        r"^query parameter is not an operation or a recognised field: (.*)$",
        "Unbekannter Parameter: {0}.",
    ),
    (r"^unknown fields: (.*)$", "Unbekannte Felder (fields): {0}."),
    (r"^fields error: (.*)$", "Fehler in fields: {0}."),
    (r"^'(.*)' does not support nested fields$", "„{0}“ hat keine Unterfelder (fields)."),
    (r"^cannot order by '(.*)' \(unknown field\)$", "Nach „{0}“ kann nicht sortiert werden."),
    (r"^(\w+) must be a positive integer$", "{0} muss eine positive ganze Zahl sein."),
    (r"^parent page doesn't exist$", "Die Elternseite (child_of) gibt es nicht."),
    (r"^ancestor page doesn't exist$", "Die Seite (descendant_of) gibt es nicht."),
    (r"^descendant page doesn't exist$", "Die Seite (ancestor_of) gibt es nicht."),
]


def german_message(message: str) -> str:
    for pattern, template in _MESSAGES:
        match = re.match(pattern, message)
        if match:
            return template.format(*match.groups())
    return message


class JSONErrorsMixin:
    renderer_classes = [CompactJSONRenderer]

    def get_renderer_context(self):
        # Compact JSON: Wagtail indents by 4, which costs time and bytes on big listings.
        context = super().get_renderer_context()
        context.pop("indent", None)
        return context

    def handle_exception(self, exc):
        if isinstance(exc, PlaceFilterError):
            return Response({"message": str(exc), "errors": exc.errors}, status=400)
        if isinstance(exc, BadRequestError):
            return Response({"message": german_message(str(exc))}, status=400)
        if isinstance(exc, Http404):
            return Response({"message": _("Nicht gefunden.")}, status=404)
        if isinstance(exc, (ValidationError, ValueError, OverflowError)):
            return Response({"message": _("Ungültiger Wert in den Parametern.")}, status=400)
        return super().handle_exception(exc)


class SafeFieldsFilter(FieldsFilter):
    """Wagtail's field filters (``?founded=2019``) with values checked before querying.

    The project's place filters are left to ``PlaceFilterBackend``.
    """

    def filter_queryset(self, request, queryset, view):
        skip = PLACE_PARAMETERS if issubclass(queryset.model, PlacePage) else frozenset()
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True)) - skip
        for name, value in request.GET.items():
            if name not in fields or name == "locale":
                continue
            try:
                field = queryset.model._meta.get_field(name)
            except LookupError:
                continue
            if "\x00" in value:
                raise BadRequestError(_("Nullzeichen sind nicht erlaubt."))
            if field.many_to_many or field.one_to_many or not hasattr(field, "to_python"):
                raise BadRequestError(
                    _("Nach %(name)s kann so nicht gefiltert werden.") % {"name": name}
                )
            try:
                target = getattr(field, "target_field", field)
                if isinstance(target, models.BooleanField):
                    parse_boolean(value)  # what Wagtail reads: true, false, 1, 0
                else:
                    target.to_python(value)
            except (ValidationError, ValueError, TypeError) as exc:
                raise BadRequestError(
                    _("„%(value)s“ ist kein gültiger Wert für %(name)s.")
                    % {"value": value[:100], "name": name}
                ) from exc
        # Validated: now let Wagtail apply them, without the place parameters.
        original = request._request.GET
        request._request.GET = original.copy()
        for name in skip:
            request._request.GET.pop(name, None)
        try:
            return super().filter_queryset(request, queryset, view)
        finally:
            request._request.GET = original


class PlaceFilterBackend:
    """The shared place filters; only on ``?type=places.PlacePage``."""

    def filter_queryset(self, request, queryset, view):
        used = sorted(PLACE_PARAMETERS & set(request.GET.keys()))
        if not used:
            return queryset
        if not issubclass(queryset.model, PlacePage):
            raise PlaceFilterError(
                {name: _("Diesen Filter gibt es nur mit type=places.PlacePage.") for name in used}
            )
        try:
            filters = parse_place_filters(request.GET, allow_bbox=True)
        except FilterError as exc:
            raise PlaceFilterError(exc.errors) from exc
        return filters.apply(queryset)
