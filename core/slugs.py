"""Slugs from German names: ä, ö, ü and ß spelled out (``Gärten`` → ``gaerten``)."""

from django.utils.text import slugify

GERMAN_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def german_slugify(value: str) -> str:
    return slugify(value.lower().translate(GERMAN_TRANSLITERATION))


def unique_slug(title: str, taken: set[str], fallback: str = "ort") -> str:
    """A slug for ``title`` (at most 70 characters) not in ``taken``, which it joins."""
    base = (german_slugify(title) or fallback)[:70]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug
