"""Build StreamField data for core.blocks.StoryBlock in its raw (JSON) form.

Raw form keeps the loader independent of block internals: rich text is stored as HTML, an
image as its primary key, and list items carry their own ids like the editor saves them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable

# "{link:slug:Text}" in demo texts becomes a link to the page with that slug.
LINK_RE = re.compile(r"\{link:(?P<slug>[\w-]+):(?P<text>[^}]+)\}")

LinkResolver = Callable[[str], int | None]
#: The address of a ``{link:slug:…}`` that is no page below the home page (``/mitmachen/``).
LinkFallback = Callable[[str], str]

#: The sections of a place's story (``place_story``): their German and English headings.
STORY_HEADINGS = {
    "building": ("Das Objekt", "The building"),
    "facts": ("Eckdaten", "Key facts"),
    "location": ("Die Lage", "The setting"),
    "town": ("Der Ort", "The town"),
    "people": ("Die Menschen", "The people"),
    "life": ("Leben und Arbeiten vor Ort", "Living and working here"),
}


def german_fallback(slug: str) -> str:
    return f"/{slug}/"


def _block(block_type: str, value) -> dict:
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def heading(text: str, level: str = "h2") -> dict:
    return _block("heading", {"text": text, "level": level})


def paragraph(
    html: str, resolve_link: LinkResolver | None = None, fallback: LinkFallback = german_fallback
) -> dict:
    """``html`` with every ``{link:slug:Text}`` as a Wagtail page link (or ``fallback``'s
    address)."""

    def replace(match: re.Match) -> str:
        slug, text = match["slug"], match["text"]
        page_id = resolve_link(slug) if resolve_link else None
        if page_id:
            return f'<a linktype="page" id="{page_id}">{text}</a>'
        return f'<a href="{fallback(slug)}">{text}</a>'

    return _block("paragraph", LINK_RE.sub(replace, html))


def image(image_id: int, caption: str = "") -> dict:
    return _block("image", {"image": image_id, "caption": caption})


def quote(text: str, attribution: str = "") -> dict:
    return _block("quote", {"text": text, "attribution": attribution})


def key_facts(title: str, facts: Iterable[tuple[str, str]]) -> dict:
    items = [_block("item", {"label": label, "value": value}) for label, value in facts]
    return _block("key_facts", {"title": title, "facts": items})


def blocks_from_spec(
    spec: Iterable[tuple],
    resolve_link: LinkResolver | None = None,
    fallback: LinkFallback = german_fallback,
) -> list:
    """Turn the compact ``[kind, *arguments]`` lists of demo/content into raw StreamField blocks."""
    makers = {
        "heading": heading,
        "paragraph": lambda html: paragraph(html, resolve_link, fallback),
        "key_facts": key_facts,
        "quote": quote,
        "image": image,
    }
    blocks = []
    for kind, *args in spec:
        if kind not in makers:  # pragma: no cover - a typo in the demo data
            raise ValueError(f"Unknown demo block type: {kind}")
        blocks.append(makers[kind](*args))
    return blocks


def place_story(story: dict, town: dict, image_id: int | None = None, language: str = "de") -> list:
    """A place's ``story`` in the sections the real Kreativorte profiles use (``town``: its
    ``about``; both in ``language``)."""
    column = ("de", "en").index(language)
    titles = {section: names[column] for section, names in STORY_HEADINGS.items()}
    blocks = [
        heading(titles["building"]),
        paragraph(story["building"]),
        key_facts(titles["facts"], story["facts"]),
        heading(titles["location"]),
        paragraph(story["location"]),
        heading(titles["town"]),
        paragraph(town["about"]),
    ]
    if image_id:
        blocks.append(image(image_id, story["image_caption"]))
    blocks += [
        heading(titles["people"]),
        paragraph(story["people"]),
        quote(story["quote"], story["quote_by"]),
        heading(titles["life"]),
        paragraph(story["life"]),
    ]
    return blocks
