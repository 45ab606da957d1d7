"""The demo's English translations: the ``"en"`` texts next to the German ones in
``demo/content/*.json`` (home page, both regions, some places, some events, „Über das
Projekt“). Places without ``"en"`` stay untranslated, so the demo shows the note on their
English address (``core.languages``).

A translation is made the way wagtail-localize makes one (``english_draft``); then the
English texts are set and published as a revision of their own. They are also recorded as
wagtail-localize's translations of the German strings, with an enabled ``Translation``: a
translator who opens a demo page gets wagtail-localize's editor with every text in English
(docs/redaktion.md, „Übersetzen“), and its „Sync translated pages“ keeps them.

The translation is saved as a draft first (``publish=False``): wagtail-localize publishes on
commit, which inside a transaction would come after the English revision and make the copy
with the German strings live again. For the same reason the loader translates in a
transaction of its own, after the German pages' one has committed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import partial

from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from core.languages import localize_path
from events.models import EventPage
from home.models import ContentPage
from places.models import PlacePage
from regions.models import RegionPage

from . import streams
from .data import CONTENT_PAGES, EVENTS, HOME, REGIONS, TOWNS

ENGLISH = "en"


def english_locale() -> Locale:
    return Locale.objects.get(language_code=ENGLISH)


def english_version(page: Page) -> Page | None:
    """``page``'s English page in any state (live, draft, an alias), or ``None``."""
    return page.get_translation_or_none(english_locale())


def edited_by_someone(page: Page) -> bool:
    """Whether a person (not the loader, which saves without a user) saved ``page``."""
    return page.revisions.exclude(user=None).exists()


def is_translated(page: Page) -> bool:
    """Whether ``page`` has an English version that someone wrote: not an alias, and not a
    copy with the German texts that no person has saved (what onboarding leaves for a
    region's translators, ``regions.translation``)."""
    existing = english_version(page)
    if existing is None or existing.alias_of_id is not None:
        return False
    if edited_by_someone(existing):
        return True
    english, german = existing.specific, page.specific
    # The texts that tell a translation from a copy of the German page.
    return any(
        getattr(english, name, None) != getattr(german, name, None)
        for name in ("title", "intro", "teaser")
    )


def translate(page: Page, fill: Callable[[Page], None]) -> Page | None:
    """Give the live German ``page`` a published English translation whose texts ``fill``
    sets; ``None`` (nothing done) when it is not live or is translated already
    (``is_translated``). An alias or an untranslated copy becomes the translation."""
    page = Page.objects.get(pk=page.pk).specific  # as published, not as loaded earlier
    if not page.live or is_translated(page):
        return None
    source, translation = english_draft(page)
    fill(translation)
    remember_strings(source, translation)
    Translation.objects.update_or_create(
        source=source, target_locale=translation.locale, defaults={"enabled": True}
    )
    translation.draft_title = translation.title
    translation.save_revision().publish()
    return translation


def english_draft(page: Page) -> tuple[TranslationSource, Page]:
    """``page``'s translation source and its English translation as wagtail-localize makes
    one, saved as a draft: untranslated parent pages copied, German where a string has no
    translation yet. A source made earlier (onboarding) is brought up to the German page as
    it is now. The tests make their translations with it too (``tests/translations.py``)."""
    source, created = TranslationSource.get_or_create_from_instance(page)
    if not created:
        source.update_from_db()
    translation, _created = source.create_or_update_translation(
        english_locale(), publish=False, copy_parent_pages=True, fallback=True
    )
    return source, translation


def remember_strings(source: TranslationSource, english: Page) -> None:
    """``english``'s texts as wagtail-localize's translations of ``source``'s strings: the
    n-th string of a field (or block) is the n-th string of the same field in English.
    English blocks carry the German blocks' ids (``adopt_ids``), which name the strings."""
    english_strings = defaultdict(list)
    for segment in extract_segments(english):
        if isinstance(segment, StringSegmentValue) and segment.string.data.strip():
            english_strings[segment.path].append(segment.string.data)
    german_strings = defaultdict(list)
    segments = StringSegment.objects.filter(source=source).select_related("string", "context")
    for segment in segments.order_by("order"):
        german_strings[segment.context.path].append(segment)
    for path, german in german_strings.items():
        texts = english_strings.get(path, [])
        if len(texts) != len(german):
            raise ValueError(
                f"{english.title}: {path} has {len(texts)} strings in English, "
                f"{len(german)} in German (demo/content: the same paragraphs and list items)"
            )
        for segment, text in zip(german, texts, strict=True):
            if text == segment.string.data:
                continue  # a name, a street, a phone number: the same in English
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=english.locale,
                context=segment.context,
                defaults={
                    "data": text,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )


def adopt_ids(blocks: list, german) -> list:
    """The raw ``blocks`` with the ids of the German ``german`` blocks (a StreamField's raw
    data, the same kinds in the same order) and of their key facts' items."""
    german = list(german)
    kinds = [block["type"] for block in blocks]
    if kinds != [block["type"] for block in german]:
        raise ValueError(f"English blocks {kinds} differ from the German ones")
    for block, original in zip(blocks, german, strict=True):
        block["id"] = original["id"]
        if block["type"] == "key_facts":
            items = zip(block["value"]["facts"], original["value"]["facts"], strict=True)
            for item, original_item in items:
                item["id"] = original_item["id"]
    return blocks


def load(home: Page, resolve_link: streams.LinkResolver) -> tuple[int, int]:
    """Translate the demo pages that have ``"en"`` texts, parents before children (a place's
    region is translated, not copied); ``(created, existing)``."""
    created = existing = 0
    for page, fill in _pages_with_english(home, resolve_link):
        if page is None:
            continue
        if translate(page, fill) is not None:
            created += 1
        elif is_translated(page):
            existing += 1
    return created, existing


def _pages_with_english(home: Page, resolve_link: streams.LinkResolver):
    """``(German page or None, fill)`` of every demo text with ``"en"``, parents first."""

    def texts(en: dict) -> Callable[[Page], None]:
        return partial(fill_texts, en=en, resolve_link=resolve_link)

    yield home, texts(HOME["en"])
    for spec in CONTENT_PAGES:
        if "en" in spec:
            yield child(home, ContentPage, spec["slug"]), texts(spec["en"])
    for region in REGIONS:
        region_page = child(home, RegionPage, region["slug"])
        if region_page is None:
            continue
        yield region_page, texts(region["en"])
        for spec in region["places"]:
            place = child(region_page, PlacePage, spec["slug"]) if "en" in spec else None
            if place is None:
                continue
            yield place, partial(fill_place, en=spec["en"], town=TOWNS[spec["town"]])
            for event in EVENTS:
                if event["place"] == spec["slug"] and "en" in event:
                    yield child(place, EventPage, event["slug"]), texts(event["en"])


def child(parent: Page, model, slug: str):
    return model.objects.child_of(parent).filter(slug=slug).first()


def fill_texts(page, *, en: dict, resolve_link: streams.LinkResolver) -> None:
    """Every text of ``en`` as it is (the title, an event's description, a region's contact
    person …) and a body as blocks. Links go to the German page, whose address follows the
    reader's language (``BilingualPage``); an address that is no page (``/mitmachen/``)
    gets ``/en``."""
    for name, value in en.items():
        if name == "body":
            body = streams.blocks_from_spec(
                value, resolve_link, fallback=lambda slug: localize_path(f"/{slug}/", ENGLISH)
            )
            value = adopt_ids(body, page.body.raw_data)
        setattr(page, name, value)


def fill_place(page, *, en: dict, town: dict) -> None:
    for name in ("title", "teaser", "former_use", "seeking_members_text"):
        setattr(page, name, en[name])
    page.getting_there = " ".join(
        filter(None, [town["en"]["getting_there"], en["getting_there_extra"]])
    )
    story = streams.place_story(en["story"], town["en"], story_image_id(page), language=ENGLISH)
    page.story = adopt_ids(story, page.story.raw_data)


def story_image_id(place) -> int | None:
    """The image in the (copied, German) story: the English story shows the same one."""
    for block in place.story.raw_data:
        if block["type"] == "image":
            return block["value"]["image"]
    return None
