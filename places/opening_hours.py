"""OSM ``opening_hours``: the one parser (validation and display), text in the active
language (German msgids), schema.org.

Covers the common subset of OpenStreetMap's syntax: optional months, day lists and ranges
(Mo–Su, PH public holidays, SH school holidays), time spans (with an open end ``+``),
``off``/``closed``/``open``, ``24/7`` and comments in double quotes. Rules are separated by
``;`` (or ``,`` between whole rules); one ``;`` may end the value. For display, anything
outside that subset comes back unchanged rather than guessed.

The parser reads the value once from left to right: a tokenizer whose patterns have no
nested quantifiers, then a grammar that decides with one token of look-ahead. Its work grows
linearly with the input, so no value (an editor's, an import row's) can make it backtrack
for minutes, and values longer than ``MAX_LENGTH`` are refused before they are read.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop

#: Longest value accepted (the model field's ``max_length``, OSM's tag limit).
MAX_LENGTH = 255

DAY_NAMES = {
    "Mo": gettext_noop("Montag"),
    "Tu": gettext_noop("Dienstag"),
    "We": gettext_noop("Mittwoch"),
    "Th": gettext_noop("Donnerstag"),
    "Fr": gettext_noop("Freitag"),
    "Sa": gettext_noop("Samstag"),
    "Su": gettext_noop("Sonntag"),
    "PH": gettext_noop("an Feiertagen"),
    "SH": gettext_noop("in den Schulferien"),
}
MONTH_NAMES = {
    "Jan": gettext_noop("Januar"),
    "Feb": gettext_noop("Februar"),
    "Mar": gettext_noop("März"),
    "Apr": gettext_noop("April"),
    "May": gettext_noop("Mai"),
    "Jun": gettext_noop("Juni"),
    "Jul": gettext_noop("Juli"),
    "Aug": gettext_noop("August"),
    "Sep": gettext_noop("September"),
    "Oct": gettext_noop("Oktober"),
    "Nov": gettext_noop("November"),
    "Dec": gettext_noop("Dezember"),
}
WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")

_DAY = "Mo|Tu|We|Th|Fr|Sa|Su|PH|SH"
_MONTH = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_TIME = r"(?:[01]\d|2[0-4]):[0-5]\d"

# One alternative per token; none has a nested quantifier, so a match costs at most the
# length of the token it reads (a comment without its closing quote: the rest of the value,
# once, and then the value is refused). Any other character is "unreadable", so the tokens
# cover the value without a gap.
_TOKEN_RE = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<separator>[;,])"
    r'|(?P<comment>"[^"]*")'
    r"|(?P<always>24/7)"
    rf"|(?P<time>{_TIME}-{_TIME}\+?)"
    rf"|(?P<day>(?:{_DAY})(?:-(?:{_DAY}))?)"
    rf"|(?P<month>(?:{_MONTH})(?:-(?:{_MONTH}))?)"
    r"|(?P<state>off|closed|open)"
    r"|(?P<unreadable>(?s:.))"
)


class OpeningHoursError(ValueError):
    pass


@dataclass(frozen=True)
class Rule:
    """One rule; list parts keep their text (``"Mo-Fr,Su"``, ``"09:00-12:00,13:00-17:00"``)."""

    twentyfour: bool = False
    only_comment: str | None = None
    months: str = ""
    days: str = ""
    #: ``"off"``, ``"closed"``, ``"open"``, the time spans, or ``""`` for a day-only rule.
    state: str = ""
    comment: str = ""


def _tokens(value: str) -> list[tuple[str, str]]:
    tokens = []
    for match in _TOKEN_RE.finditer(value):
        if match.lastgroup == "unreadable":
            raise OpeningHoursError(value)
        tokens.append((match.lastgroup, match.group()))
    return tokens


class _Parser:
    """The grammar over the tokens, one token of look-ahead, no backtracking."""

    def __init__(self, value: str):
        self.value = value
        self.tokens = _tokens(value)
        self.index = 0

    def kind(self, offset: int = 0) -> str | None:
        index = self.index + offset
        return self.tokens[index][0] if index < len(self.tokens) else None

    def take(self) -> str:
        text = self.tokens[self.index][1]
        self.index += 1
        return text

    def fail(self):
        raise OpeningHoursError(self.value)

    def items(self, kind: str) -> str:
        """``item(,item)*`` without spaces; a comma followed by another kind ends the list
        (it then separates rules). Taking the longest list never refuses a valid value: what
        may follow an item is the same inside a list and at the start of a new rule."""
        parts = [self.take()]
        while (
            self.kind() == "separator"
            and self.tokens[self.index][1] == ","
            and (self.kind(1) == kind)
        ):
            self.index += 1
            parts.append(self.take())
        return ",".join(parts)

    def rule(self) -> Rule:
        kind = self.kind()
        if kind == "always":
            self.take()
            return Rule(twentyfour=True)
        if kind == "comment":
            return Rule(only_comment=self.take()[1:-1])
        months = days = ""
        if kind == "month":
            months = self.items("month")
            if self.kind() != "space" or self.kind(1) not in ("day", "time", "state"):
                self.fail()
            self.take()
        if self.kind() == "day":
            days = self.items("day")
            if self.kind() != "space" or self.kind(1) not in ("time", "state"):
                return Rule(months=months, days=days)
            self.take()
        if self.kind() == "time":
            state = self.items("time")
        elif self.kind() == "state":
            state = self.take()
        else:
            self.fail()
        comment = ""
        if self.kind() == "space" and self.kind(1) == "comment":
            self.take()
            comment = self.take()[1:-1]
        return Rule(months=months, days=days, state=state, comment=comment)

    def skip_space(self):
        if self.kind() == "space":
            self.take()

    def value_rules(self) -> list[Rule]:
        self.skip_space()
        if self.kind() is None:
            return []
        rules = [self.rule()]
        while True:
            self.skip_space()
            if self.kind() is None:
                return rules
            if self.kind() != "separator":
                self.fail()
            separator = self.take()
            self.skip_space()
            if self.kind() is None and separator == ";":
                return rules  # one closing ";"
            rules.append(self.rule())


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return gettext("%(items)s und %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _time(value: str) -> str:
    hours, minutes = value.split(":")
    return f"{int(hours)}:{minutes}"


def _ranges(raw: str, names: dict[str, str]) -> str:
    parts = []
    for item in raw.split(","):
        if "-" in item:
            start, end = item.split("-")
            parts.append(
                gettext("%(start)s bis %(end)s")
                % {"start": gettext(names[start]), "end": gettext(names[end])}
            )
        else:
            parts.append(gettext(names[item]))
    return _join(parts)


def _times(raw: str) -> str:
    spans = []
    for span in raw.split(","):
        start, end = span.rstrip("+").split("-")
        spans.append(f"{_time(start)}–{_time(end)}")
    if "+" in raw:
        return gettext("%(times)s Uhr (Ende offen)") % {"times": _join(spans)}
    return gettext("%(times)s Uhr") % {"times": _join(spans)}


def parse_rules(value: str) -> list[Rule]:
    """The rules of ``value`` (none when it is blank); ``OpeningHoursError`` when the value
    is longer than ``MAX_LENGTH`` or outside the accepted subset."""
    if len(value) > MAX_LENGTH:
        raise OpeningHoursError(value)
    return _Parser(value).value_rules()


def _display_rules(value: str) -> list[Rule]:
    """Like ``parse_rules``, forgiving any number of closing ``;`` (display only)."""
    return parse_rules(value.strip().rstrip(";").strip())


def _describe(rule: Rule) -> str:
    if rule.twentyfour:
        return gettext("rund um die Uhr geöffnet")
    if rule.only_comment is not None:
        return rule.only_comment
    months, days, state = rule.months, rule.days, rule.state
    parts = []
    if months:
        parts.append(_ranges(months, MONTH_NAMES) + ":")
    if days:
        parts.append(_ranges(days, DAY_NAMES))
    if state in ("off", "closed"):
        parts.append(gettext("geschlossen"))
    elif state in ("open", ""):
        parts.append(gettext("geöffnet"))
    else:
        parts.append(_times(state))
    text = " ".join(parts)
    if rule.comment:
        text += f" ({rule.comment})"
    return text


def humanize(value: str) -> str:
    """``"Mo-Fr 09:00-17:00; PH off"`` → ``"Montag bis Freitag 9:00–17:00 Uhr; an Feiertagen
    geschlossen"``. Unknown syntax is returned unchanged."""
    if not value or not value.strip():
        return ""
    try:
        rules = _display_rules(value)
    except OpeningHoursError:
        return value.strip()
    return capfirst("; ".join(_describe(rule) for rule in rules))


def humanize_lines(value: str) -> list[str]:
    """Like ``humanize``, one rule per entry (for a list in the facts box)."""
    if not value or not value.strip():
        return []
    try:
        rules = _display_rules(value)
    except OpeningHoursError:
        return [value.strip()]
    return [capfirst(_describe(rule)) for rule in rules]


# --- schema.org OpeningHoursSpecification ---------------------------------------------------

SCHEMA_DAYS = {
    "Mo": "Monday",
    "Tu": "Tuesday",
    "We": "Wednesday",
    "Th": "Thursday",
    "Fr": "Friday",
    "Sa": "Saturday",
    "Su": "Sunday",
    "PH": "PublicHolidays",
}
_MONTHS = list(MONTH_NAMES)


def _days(raw: str) -> list[str]:
    """``"Mo-We,Fr,PH"`` → ``["Mo", "Tu", "We", "Fr", "PH"]`` (ranges may wrap: ``"Sa-Mo"``;
    a range reaching into PH/SH is left out)."""
    result = []
    for item in raw.split(","):
        start, _, end = item.partition("-")
        if not end:
            result.append(start)
        elif start in WEEKDAYS and end in WEEKDAYS:
            first, last = WEEKDAYS.index(start), WEEKDAYS.index(end)
            span = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
            result.extend(WEEKDAYS[index] for index in span)
    return result


def _season(item: str, today) -> dict:
    """``validFrom`` and ``validThrough`` of a month range (``"Apr-Oct"``, ``"Nov-Mar"``,
    ``"Dec"``) in its current or next occurrence: the season that has not ended yet on
    ``today``."""
    first, _, last = item.partition("-")
    start, end = _MONTHS.index(first) + 1, _MONTHS.index(last or first) + 1
    for year in (today.year - 1, today.year, today.year + 1):  # the last one has not ended
        end_year = year + (1 if end < start else 0)
        valid_through = datetime.date(end_year, end, calendar.monthrange(end_year, end)[1])
        if valid_through >= today:
            break
    valid_from = datetime.date(year, start, 1)
    return {"validFrom": valid_from.isoformat(), "validThrough": valid_through.isoformat()}


def _spans(state: str) -> list[tuple[str, str]]:
    if state in ("off", "closed"):
        return [("00:00", "00:00")]  # schema.org's (and Google's) "closed all day"
    if state in ("open", ""):
        return [("00:00", "23:59")]
    result = []
    for span in state.split(","):
        opens, closes = span.rstrip("+").split("-")
        result.append((opens, "23:59" if closes == "24:00" else closes))
    return result


def opening_hours_specification(value: str, today=None) -> list[dict]:
    """schema.org ``openingHoursSpecification`` of an OSM value, seasons included.

    A rule limited to months (``"Apr-Oct Sa-Su 10:00-18:00"``) gets ``validFrom`` and
    ``validThrough``: the dates of that season this year, or next year once it is over
    (``today``, default the local date). Public holidays become ``PublicHolidays``; a closed
    day ``opens`` and ``closes`` at ``00:00``. Weekly rules without months follow OSM: a
    later rule replaces an earlier one on the days it names (``"Mo-Su 10:00-18:00; Mo off"``
    is closed on Monday). School holidays and comments have no schema.org equivalent and
    are left out; nothing else is.
    """
    try:
        rules = _display_rules(value or "")
    except OpeningHoursError:
        return []
    today = today or timezone.localdate()
    weekly: dict[str, list[tuple[str, str]]] = {}
    seasonal = []
    for rule in rules:
        if rule.only_comment is not None:
            continue
        if rule.twentyfour:
            weekly.update({day: [("00:00", "23:59")] for day in WEEKDAYS})
            continue
        if rule.state == "":
            continue  # days without times: open, but when is unknown
        days = [day for day in _days(rule.days or "Mo-Su") if day in SCHEMA_DAYS]
        if not days:
            continue
        if rule.months:
            seasonal.append((rule, days))
        else:
            weekly.update({day: _spans(rule.state) for day in days})
    result = _grouped(weekly, {})
    for rule, days in seasonal:  # one season per month range
        for item in rule.months.split(","):
            result += _grouped(dict.fromkeys(days, _spans(rule.state)), _season(item, today))
    return result


def _grouped(by_day: dict[str, list[tuple[str, str]]], extra: dict) -> list[dict]:
    """One specification per time span, listing the days that share it, in weekday order."""
    order = [*WEEKDAYS, "PH"]
    spans: dict[tuple[str, str], list[str]] = {}
    for day in sorted(by_day, key=order.index):
        for span in by_day[day]:
            spans.setdefault(span, []).append(day)
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [SCHEMA_DAYS[day] for day in days],
            "opens": opens,
            "closes": closes,
            **extra,
        }
        for (opens, closes), days in spans.items()
    ]
