"""Opening hours as a German editor types them → the stored OSM form.

``to_osm("Mo bis Fr 10 bis 18 Uhr, Sa 10.30-14 Uhr, So Ruhetag")`` gives
``"Mo-Fr 10:00-18:00; Sa 10:30-14:00; Su off"``. A value that already is valid OSM syntax
is kept as it is. Anything else is refused with an ``OpeningHoursInputError`` whose message
says, in German and with an example, what to type instead.

Like the OSM parser (``places.opening_hours``) the reader is a tokenizer without nested
quantifiers and a grammar with one token of look-ahead: linear in the input.
"""

import contextlib
import re
from dataclasses import dataclass, field, fields

from .opening_hours import OpeningHoursError, parse_rules

#: Longest input read (German text is longer than the OSM form it becomes).
MAX_INPUT_LENGTH = 1000

EXAMPLE = "„Mo-Fr 10-18 Uhr; Sa 10-14 Uhr“"

_DAY_WORDS = {
    "Mo": ("mo", "mon", "montag", "montags"),
    "Tu": ("di", "tu", "die", "dienstag", "dienstags"),
    "We": ("mi", "we", "mit", "mittwoch", "mittwochs"),
    "Th": ("do", "th", "don", "donnerstag", "donnerstags"),
    "Fr": ("fr", "fre", "freitag", "freitags"),
    "Sa": ("sa", "sam", "samstag", "samstags", "sonnabend", "sonnabends"),
    "Su": ("so", "su", "son", "sonntag", "sonntags"),
    "PH": ("ph", "feiertag", "feiertage", "feiertags", "feiertagen"),
    "SH": ("sh", "schulferien", "ferien"),
}
_MONTH_WORDS = {
    "Jan": ("jan", "januar", "jänner"),
    "Feb": ("feb", "februar"),
    "Mar": ("mar", "mär", "märz", "maerz"),
    "Apr": ("apr", "april"),
    "May": ("may", "mai"),
    "Jun": ("jun", "juni"),
    "Jul": ("jul", "juli"),
    "Aug": ("aug", "august"),
    "Sep": ("sep", "sept", "september"),
    "Oct": ("oct", "okt", "oktober"),
    "Nov": ("nov", "november"),
    "Dec": ("dec", "dez", "dezember"),
}
_ALL_DAYS = ("täglich", "tägl", "taeglich", "jeden tag", "alle tage")
_WEEKEND = ("wochenende", "wochenenden")
_OFF = ("geschlossen", "ruhetag", "ruhetage", "zu", "off", "closed")
_OPEN = ("geöffnet", "geoeffnet", "offen", "open")
_ALWAYS = ("24/7", "rund um die uhr", "durchgehend geöffnet", "immer geöffnet")
#: Words that carry no meaning here ("am Samstag", "von 10 bis 18 Uhr", "jeweils").
_FILLERS = ("am", "an", "in", "von", "vom", "jeweils", "jeden", "jede", "den", "der", "uhr")
#: Phrases kept as the rule's comment (shown in brackets).
_NOTES = ("nach Vereinbarung", "nach Absprache", "auf Anfrage", "nach Anmeldung")

_WORDS: dict[str, tuple[str, str]] = {}
for _code, _words in _DAY_WORDS.items():
    _WORDS.update(dict.fromkeys(_words, ("day", _code)))
for _code, _words in _MONTH_WORDS.items():
    _WORDS.update(dict.fromkeys(_words, ("month", _code)))
_WORDS.update(dict.fromkeys(_ALL_DAYS, ("day", "Mo-Su")))
_WORDS.update(dict.fromkeys(_WEEKEND, ("day", "Sa-Su")))
_WORDS.update(dict.fromkeys(_OFF, ("state", "off")))
_WORDS.update(dict.fromkeys(_OPEN, ("state", "open")))
_WORDS.update(dict.fromkeys(_ALWAYS, ("always", "24/7")))
_WORDS.update(dict.fromkeys(_FILLERS, ("filler", "")))
_WORDS.update({note.lower(): ("comment", note) for note in _NOTES})
_WORDS.update({"bis": ("range", "-"), "und": ("join", ","), "sowie": ("join", ",")})
#: The OSM form of a range, a list and a rule separator, however typed.
_PUNCTUATION = {"range": "-", "join": ",", "separator": ";"}

_PHRASES = "|".join(
    re.escape(phrase)
    for phrase in sorted((w for w in _WORDS if " " in w or "/" in w), key=len)[::-1]
)
_TOKEN_RE = re.compile(
    r"(?P<space>[ \t:]+)"
    r"|(?P<separator>[;\n\r|]+)"
    r'|(?P<comment>"[^"]*"|„[^“”"]*[“”"])'
    rf"|(?P<phrase>(?:{_PHRASES})(?![\w]))"
    r"|(?P<time>\d{1,2}(?:[:.]\d{2})?(?:[ \t]*(?:Uhr|uhr|h)(?![\w]))?)"
    r"|(?P<range>[-–—]|(?<![\w])bis(?![\w]))"
    r"|(?P<join>[,&+/])"
    r"|(?P<word>[^\W\d_]+\.?)"
    r"|(?P<unreadable>(?s:.))",
    re.IGNORECASE,
)


class OpeningHoursInputError(ValueError):
    """The input could not be read; ``str(error)`` is the German message for the editor."""


#: Words people write that have no one meaning here, with what to write instead.
_HINTS = {
    "werktags": "„werktags“ ist mehrdeutig: Schreiben Sie „Mo-Fr“ oder „Mo-Sa“, "
    "z. B. „Mo-Fr 9-17 Uhr“.",
    "wochentags": "Schreiben Sie statt „wochentags“ „Mo-Fr“, z. B. „Mo-Fr 9-17 Uhr“.",
    "ab": "Bitte Beginn und Ende angeben, z. B. „10-18 Uhr“ statt „ab 10 Uhr“.",
    "außer": "Schreiben Sie die Tage einzeln, z. B. „Di-So 10-18 Uhr“ statt „außer Montag“.",
    "ausser": "Schreiben Sie die Tage einzeln, z. B. „Di-So 10-18 Uhr“ statt „außer Montag“.",
}


def _error(message: str, example: bool = True) -> OpeningHoursInputError:
    if example:
        message = f"{message} Schreiben Sie z. B. {EXAMPLE}."
    return OpeningHoursInputError(message)


def _tokens(text: str) -> list[tuple[str, str, str]]:
    """``(kind, value, as typed)``; spaces and fillers are dropped."""
    tokens = []
    for match in _TOKEN_RE.finditer(text):
        kind, typed = match.lastgroup, match.group()
        if kind == "unreadable":
            raise _error(f"Das Zeichen „{typed}“ können wir hier nicht lesen.")
        if kind == "space":
            continue
        if kind == "comment":
            tokens.append(("comment", typed[1:-1].strip(), typed))
        elif kind == "time":
            tokens.append(("time", _time(typed), typed))
        elif kind in ("phrase", "word"):
            word = typed.rstrip(".").lower()
            known = _WORDS.get(word) or _WORDS.get(typed.lower())
            if known is None:
                if word in _HINTS:
                    raise _error(_HINTS[word], example=False)
                raise _error(f"Das Wort „{typed}“ kennen wir hier nicht.")
            if known[0] != "filler":
                tokens.append((*known, typed))
        else:
            tokens.append((kind, _PUNCTUATION[kind], typed))
    return tokens


def _time(typed: str) -> str:
    digits = re.match(r"(\d{1,2})(?:[:.](\d{2}))?", typed)
    hours, minutes = int(digits.group(1)), int(digits.group(2) or 0)
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise _error(
            f"„{typed.strip()}“ ist keine Uhrzeit: Uhrzeiten gehen von 0 bis 24 Uhr, "
            "Minuten nach einem Punkt oder Doppelpunkt (10.30 oder 10:30)."
        )
    return f"{hours:02d}:{minutes:02d}"


@dataclass
class _Rule:
    months: list[str] = field(default_factory=list)
    days: list[str] = field(default_factory=list)
    spans: list[str] = field(default_factory=list)
    state: str = ""
    comment: str = ""
    always: bool = False

    @property
    def empty(self) -> bool:
        return not any(getattr(self, item.name) for item in fields(self))

    def osm(self) -> str:
        if self.always:
            return "24/7"
        if not (self.months or self.days or self.spans or self.state):
            return f'"{self.comment}"'
        if self.months and not (self.days or self.spans or self.state):
            raise _error(
                "Nach den Monaten fehlen die Tage oder Zeiten, z. B. „Apr-Okt Sa-So 10-18 Uhr“.",
                example=False,
            )
        parts = [",".join(self.months), ",".join(self.days)]
        parts.append(",".join(self.spans) if self.spans else self.state)
        text = " ".join(part for part in parts if part)
        if self.comment:
            text += f' "{self.comment}"'
        return text


class _Reader:
    def __init__(self, tokens):
        self.tokens = tokens
        self.index = 0
        self.rules = [_Rule()]

    def peek(self, offset=0):
        index = self.index + offset
        return self.tokens[index] if index < len(self.tokens) else (None, "", "")

    def take(self):
        token = self.peek()
        self.index += 1
        return token

    @property
    def rule(self) -> _Rule:
        return self.rules[-1]

    def new_rule(self):
        if not self.rule.empty:
            self.rules.append(_Rule())

    def item(self, kind: str) -> str:
        """``X`` or ``X bis Y`` of days or months."""
        first = self.take()
        if self.peek()[0] != "range":
            return first[1]
        range_token = self.take()
        last = self.take()
        if last[0] != kind or "-" in first[1] or "-" in last[1]:
            what = "Tag" if kind == "day" else "Monat"
            raise _error(f"Nach „{first[2]} {range_token[2]}“ fehlt der letzte {what}.")
        return f"{first[1]}-{last[1]}"

    def span(self) -> str:
        start = self.take()
        if self.peek()[0] != "range" or self.peek(1)[0] != "time":
            raise _error(
                f"Zu „{start[2].strip()}“ fehlt das Ende: Bitte Beginn und Ende angeben, "
                "z. B. „10-18 Uhr“ oder „10 bis 18 Uhr“.",
                example=False,
            )
        self.take()
        return f"{start[1]}-{self.take()[1]}"

    def read(self) -> list[_Rule]:
        while self.peek()[0] is not None:
            kind, value, typed = self.peek()
            rule = self.rule
            if kind == "separator":
                self.take()
                self.new_rule()
            elif kind == "join":
                self.take()
            elif kind == "month":
                if rule.days or rule.spans or rule.state or rule.always:
                    self.new_rule()
                self.rule.months.append(self.item("month"))
            elif kind == "day":
                if rule.spans or rule.state or rule.always:
                    self.new_rule()
                self.rule.days.append(self.item("day"))
            elif kind == "time":
                if rule.state or rule.always:
                    self.new_rule()
                self.rule.spans.append(self.span())
            elif kind == "state":
                self.take()
                if rule.spans or rule.state or rule.always:
                    self.new_rule()
                self.rule.state = value
            elif kind == "always":
                self.take()
                self.new_rule()
                self.rule.always = True
            elif kind == "comment":
                self.take()
                rule.comment = value
            else:  # a range without a start
                raise _error(f"Vor „{typed}“ fehlt der Anfang (ein Tag, Monat oder eine Uhrzeit).")
        return [rule for rule in self.rules if not rule.empty]


def to_osm(text: str) -> str:
    """The OSM form of ``text`` ("" for a blank value); ``OpeningHoursInputError`` with a
    German message when it cannot be read."""
    text = (text or "").strip()
    if not text:
        return ""
    if len(text) > MAX_INPUT_LENGTH:
        raise _error(f"Das sind mehr als {MAX_INPUT_LENGTH} Zeichen.")
    with contextlib.suppress(OpeningHoursError):
        if parse_rules(text):
            return text
    rules = _Reader(_tokens(text)).read()
    if not rules:
        raise _error("Hier stehen keine Tage oder Zeiten.")
    value = "; ".join(rule.osm() for rule in rules)
    try:
        parse_rules(value)
    except OpeningHoursError:
        raise _error("Diese Öffnungszeiten können wir nicht lesen.") from None
    return value
