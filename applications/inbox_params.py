"""The query string of the inbox's list: only the filters the list offers, only valid values.

wagtail-modeladmin applies every unknown query parameter as a queryset lookup and lets a
lookup error through as a 500. Unchecked, ``?created_at__gte=garbage`` crashes the list, and
a lookup across relations (``?converted_by__password__startswith=pbkdf2``) would turn the
list into an oracle for other users' data. So the list accepts its own parameters only:
anything else, and any value the filter could not use, is dropped before the list is built.
"""

from __future__ import annotations

import warnings
from datetime import UTC

from django.core.exceptions import ValidationError
from django.http import QueryDict

from .models import Application, ApplicationStatus

# The list's own parameters (modeladmin's IndexView) …
LIST_PARAMS = {"o", "ot", "p", "q", "e", "export"}
# … and those of its filters (list_filter = RegionFilter, "status", "created_at").
DATE_PARAMS = {"created_at__gte", "created_at__lt"}
STATUS_PARAMS = {"status", "status__exact"}  # the filter's own, and the plain field name
FILTER_PARAMS = {"region", *STATUS_PARAMS, *DATE_PARAMS}
MAX_VALUE_LENGTH = 200


def _valid_date(value: str) -> bool:
    field = Application._meta.get_field("created_at")
    try:
        with warnings.catch_warnings():  # a date without time is fine here ("naive" warning)
            warnings.simplefilter("ignore", RuntimeWarning)
            moment = field.to_python(value)
        if moment is not None and moment.tzinfo is not None:
            moment.astimezone(UTC)  # a far offset at year 1 or 9999 overflows here
    except (ValidationError, ValueError, OverflowError):
        return False
    return moment is not None


def _valid(key: str, value: str, region_ids: set[str] | None) -> bool:
    if "\x00" in value or len(value) > MAX_VALUE_LENGTH:
        return False
    if key in DATE_PARAMS:
        return _valid_date(value)
    if key in STATUS_PARAMS:
        return value in ApplicationStatus.values
    if key == "region":
        return region_ids is None or value in region_ids
    return True


def clean_params(params: QueryDict, region_ids: set[str] | None = None) -> tuple[QueryDict, bool]:
    """``params`` without unknown keys and invalid values; True when something was dropped.

    ``region_ids`` are the regions the region filter offers (None: not checked here).
    """
    cleaned = QueryDict(mutable=True)
    dropped = False
    for key, values in params.lists():
        if key not in LIST_PARAMS | FILTER_PARAMS:
            dropped = True
            continue
        kept = [value for value in values if _valid(key, value, region_ids)]
        dropped = dropped or len(kept) != len(values)
        if kept:
            cleaned.setlist(key, kept)
    return cleaned, dropped
