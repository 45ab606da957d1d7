"""Human-readable German text (and schema.org values) from OSM ``opening_hours``.

Covers the subset accepted by ``places.validators.validate_opening_hours``: optional
months, day lists and ranges (Mo–Su, PH public holidays, SH school holidays), time
spans (with an open end ``+``), ``off``/``closed``/``open``, ``24/7`` and comments in
double quotes. Rules are separated by ``;`` (or ``,`` between whole rules). Anything
outside that subset comes back unchanged rather than guessed.
"""

import re

from .validators import DAYS_PATTERN, MONTHS_PATTERN, TIMES_PATTERN

DAY_NAMES = {
    "Mo": "Montag",
    "Tu": "Dienstag",
    "We": "Mittwoch",
    "Th": "Donnerstag",
    "Fr": "Freitag",
    "Sa": "Samstag",
    "Su": "Sonntag",
    "PH": "an Feiertagen",
    "SH": "in den Schulferien",
}
MONTH_NAMES = {
    "Jan": "Januar",
    "Feb": "Februar",
    "Mar": "März",
    "Apr": "April",
    "May": "Mai",
    "Jun": "Juni",
    "Jul": "Juli",
    "Aug": "August",
    "Sep": "September",
    "Oct": "Oktober",
    "Nov": "November",
    "Dec": "Dezember",
}
WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")

_COMMENT = r'"(?P<comment>[^"]*)"'

RULE_RE = re.compile(
    rf"(?P<twentyfour>24/7)"
    rf'|"(?P<only_comment>[^"]*)"'
    rf"|(?:(?P<months>{MONTHS_PATTERN})\s+)?(?:(?P<days>{DAYS_PATTERN})\s+)?"
    rf"(?P<state>{TIMES_PATTERN}|off|closed|open)(?:\s+{_COMMENT})?"
    rf"|(?:(?P<months_only>{MONTHS_PATTERN})\s+)?(?P<days_only>{DAYS_PATTERN})"
)
SEPARATOR_RE = re.compile(r"\s*[;,]\s*")


class OpeningHoursError(ValueError):
    pass


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " und " + items[-1]


def _time(value: str) -> str:
    hours, minutes = value.split(":")
    return f"{int(hours)}:{minutes}"


def _ranges(raw: str, names: dict[str, str]) -> str:
    parts = []
    for item in raw.split(","):
        if "-" in item:
            start, end = item.split("-")
            parts.append(f"{names[start]} bis {names[end]}")
        else:
            parts.append(names[item])
    return _join(parts)


def _times(raw: str) -> str:
    spans = []
    for span in raw.split(","):
        start, end = span.rstrip("+").split("-")
        spans.append(f"{_time(start)}–{_time(end)}")
    return _join(spans) + " Uhr" + (" (Ende offen)" if "+" in raw else "")


def parse_rules(value: str) -> list[re.Match]:
    """Split ``value`` into rule matches; raise ``OpeningHoursError`` when it is not valid."""
    text = value.strip().rstrip(";").strip()
    if not text:
        return []
    rules = []
    position = 0
    while True:
        match = RULE_RE.match(text, position)
        if not match or match.end() == position:
            raise OpeningHoursError(value)
        rules.append(match)
        position = match.end()
        if position == len(text):
            return rules
        separator = SEPARATOR_RE.match(text, position)
        if not separator:
            raise OpeningHoursError(value)
        position = separator.end()


def _describe(rule: re.Match) -> str:
    if rule["twentyfour"]:
        return "rund um die Uhr geöffnet"
    if rule["only_comment"] is not None:
        return rule["only_comment"]
    months = rule["months"] or rule["months_only"]
    days = rule["days"] or rule["days_only"]
    state = rule["state"]
    parts = []
    if months:
        parts.append(_ranges(months, MONTH_NAMES) + ":")
    if days:
        parts.append(_ranges(days, DAY_NAMES))
    if state in ("off", "closed"):
        parts.append("geschlossen")
    elif state == "open" or state is None:
        parts.append("geöffnet")
    else:
        parts.append(_times(state))
    text = " ".join(parts)
    if rule["comment"]:
        text += f" ({rule['comment']})"
    return text


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def humanize(value: str) -> str:
    """``"Mo-Fr 09:00-17:00; PH off"`` → ``"Montag bis Freitag 9:00–17:00 Uhr; an Feiertagen
    geschlossen"``. Unknown syntax is returned unchanged."""
    if not value or not value.strip():
        return ""
    try:
        rules = parse_rules(value)
    except OpeningHoursError:
        return value.strip()
    return _capitalise("; ".join(_describe(rule) for rule in rules))


def humanize_lines(value: str) -> list[str]:
    """Like ``humanize``, one rule per entry (for a list in the facts box)."""
    if not value or not value.strip():
        return []
    try:
        rules = parse_rules(value)
    except OpeningHoursError:
        return [value.strip()]
    return [_capitalise(_describe(rule)) for rule in rules]


def schema_org(value: str) -> list[str]:
    """``openingHours`` values for schema.org (``Mo-Fr 09:00-17:00``).

    schema.org knows weekdays and times only, so month-, holiday- and comment-rules are
    left out rather than misrepresented.
    """
    try:
        rules = parse_rules(value or "")
    except OpeningHoursError:
        return []
    result = []
    for rule in rules:
        if rule["twentyfour"]:
            result.append("Mo-Su 00:00-24:00")
            continue
        state, days = rule["state"], rule["days"]
        if rule["months"] or not state or state in ("off", "closed"):
            continue
        if days and any(code in days for code in ("PH", "SH")):
            continue
        days = days or "Mo-Su"
        if state == "open":
            result.append(f"{days} 00:00-24:00")
            continue
        for span in state.split(","):
            result.append(f"{days} {span.rstrip('+')}")
    return result
