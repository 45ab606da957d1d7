"""Slugs from German names: ä, ö, ü and ß spelled out (``Gärten`` → ``gaerten``).

The same spelling in the admin: ``GermanSlugField`` (every slug typed into an admin form) and
``SLUG_FORMATTERS`` (the admin's live title → slug script, ``core/wagtail_hooks.py``).
"""

from django import forms
from django.utils.text import slugify

UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ẞ": "SS"}
GERMAN_TRANSLITERATION = str.maketrans(UMLAUTS)

#: (regular expression, replacement) pairs for Wagtail's SlugInput ``formatters``.
SLUG_FORMATTERS = list(UMLAUTS.items())


def german_slugify(value: str) -> str:
    return slugify(value.lower().translate(GERMAN_TRANSLITERATION))


def spell_out_umlauts(value: str) -> str:
    """``value`` with ä, ö, ü, ß spelled out and nothing else changed (an existing slug keeps
    its case and other letters)."""
    return value.translate(GERMAN_TRANSLITERATION)


class GermanSlugField(forms.SlugField):
    """A slug form field that spells out umlauts before validating: „grün“ becomes „gruen“."""

    def to_python(self, value):
        value = super().to_python(value)
        return spell_out_umlauts(value) if value else value


def unique_slug(title: str, taken: set[str], fallback: str = "ort") -> str:
    """A slug for ``title`` (at most 70 characters) not in ``taken``, which it joins."""
    base = (german_slugify(title) or fallback)[:70]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug
