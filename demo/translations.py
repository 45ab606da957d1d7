"""The demo's English translations: the ``"en"`` texts next to the German ones in
``demo/content/*.json`` (home page, both regions, some places, some events, „Über das
Projekt“).

A translation is made the way wagtail-localize makes one: ``TranslationSource`` of the
German page, ``create_or_update_translation`` into English (copying untranslated parent
pages, German text where a string has no translation yet); then the English texts are set
and published as a revision of their own. Places without ``"en"`` stay untranslated, so the
demo shows the note on their English address (``core.languages``).

The translation is saved as a draft first (``publish=False``): wagtail-localize publishes
on commit, which inside a transaction would come after the English revision and make the
German copy live again. For the same reason the loader translates in a transaction of its
own, after the German pages' one has committed. The English texts are set on the page, not
in wagtail-localize's translation memory: the demo's translations are edited like any page
(a synced translation, if onboarding started one, is stopped).

Idempotent like the rest of the demo: a page with an English version that someone wrote
(``is_translated``) is left as it is, and German pages that are not live get none.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource

from core.languages import localize_path
from events.models import EventPage
from home.models import ContentPage
from places.models import PlacePage
from regions.models import RegionPage

from . import streams
from .data import CONTENT_PAGES, EVENTS, HOME, REGIONS, TOWNS

ENGLISH = "en"
#: The gallery's captions (German: „… im Abendlicht“, demo.loader.GALLERY_VARIANTS).
GALLERY_PHRASES = {"evening": "in the evening light", "morning": "in the morning light"}


def english_locale() -> Locale:
    return Locale.objects.get(language_code=ENGLISH)


def english_version(page: Page) -> Page | None:
    """``page``'s English page in any state (live, draft, an alias), or ``None``."""
    return page.get_translation_or_none(english_locale())


#: Texts that tell a translation from a copy of the German page.
SIGNATURE = ("title", "intro", "teaser")


def _signature(page: Page) -> list:
    return [getattr(page, name, None) for name in SIGNATURE]


def is_translated(page: Page) -> bool:
    """Whether ``page`` has an English version that someone wrote: not an alias, and not a
    copy with the German texts that no person has saved (what onboarding leaves for a
    region's translators, ``regions.translation``)."""
    existing = english_version(page)
    if existing is None or existing.alias_of_id is not None:
        return False
    if existing.revisions.exclude(user=None).exists():
        return True
    return _signature(existing.specific) != _signature(page.specific)


def translate(page: Page, fill: Callable[[Page], None]) -> Page | None:
    """Give the live German ``page`` a published English translation whose texts ``fill``
    sets; ``None`` (nothing done) when it is not live or is translated already
    (``is_translated``). An alias or an untranslated copy becomes the translation."""
    page = Page.objects.get(pk=page.pk).specific  # as published, not as loaded earlier
    if not page.live or is_translated(page):
        return None
    source, created = TranslationSource.get_or_create_from_instance(page)
    if not created:
        source.update_from_db()  # made earlier (onboarding): the German page as it is now
    locale = english_locale()
    translation, _created = source.create_or_update_translation(
        locale, publish=False, copy_parent_pages=True, fallback=True
    )
    fill(translation)
    translation.draft_title = translation.title
    translation.save_revision().publish()
    # The English texts are the page's own (a manual translation, edited like any page):
    # a synced wagtail-localize translation of it would put the German strings back.
    Translation.objects.filter(source=source, target_locale=locale).update(enabled=False)
    return translation


def load(home: Page, resolve_link: streams.LinkResolver) -> tuple[int, int]:
    """Translate the demo pages that have ``"en"`` texts, parents before children (a place's
    region is translated, not copied); ``(created, existing)``."""
    counts = [0, 0]

    def translate_with(page: Page | None, fill: Callable[[Page], None]) -> None:
        if page is None:
            return
        if translate(page, fill) is not None:
            counts[0] += 1
        elif is_translated(page):
            counts[1] += 1

    def texts(en: dict, **more) -> Callable[[Page], None]:
        return lambda page: fill_texts(page, en, resolve_link, **more)

    translate_with(home, texts(HOME["en"]))
    for spec in CONTENT_PAGES:
        if "en" in spec:
            translate_with(child(home, ContentPage, spec["slug"]), texts(spec["en"]))
    for region in REGIONS:
        region_page = child(home, RegionPage, region["slug"])
        if region_page is None:
            continue
        contact = region["en"]["contact_person"]
        translate_with(region_page, texts(region["en"], contact_person=contact))
        for spec in region["places"]:
            place = child(region_page, PlacePage, spec["slug"]) if "en" in spec else None
            if place is None:
                continue
            translate_with(place, partial(fill_place, en=spec["en"], town=TOWNS[spec["town"]]))
            for event in EVENTS:
                if event["place"] == spec["slug"] and "en" in event:
                    event_page = child(place, EventPage, event["slug"])
                    translate_with(event_page, partial(fill_event, en=event["en"]))
    return counts[0], counts[1]


def child(parent: Page, model, slug: str):
    return model.objects.child_of(parent).filter(slug=slug).first()


def fill_texts(page, en: dict, resolve_link: streams.LinkResolver, **more) -> None:
    """Title, introduction and body (home, content and region pages). Links go to the German
    page, whose address follows the reader's language (``BilingualPage``); an address that
    is no page (``/mitmachen/``) gets ``/en``."""
    page.title = en["title"]
    page.intro = en["intro"]
    page.body = streams.blocks_from_spec(
        en["body"], resolve_link, fallback=lambda slug: localize_path(f"/{slug}/", ENGLISH)
    )
    for name, value in more.items():
        setattr(page, name, value)


def fill_place(page, *, en: dict, town: dict) -> None:
    page.title = en["title"]
    page.teaser = en["teaser"]
    page.former_use = en["former_use"]
    page.seeking_members_text = en["seeking_members_text"]
    page.getting_there = " ".join(
        filter(None, [town["en"]["getting_there"], en["getting_there_extra"]])
    )
    page.story = streams.place_story(
        {"story": en["story"]}, town["en"], story_image_id(page), language=ENGLISH
    )
    # The copied gallery, in the order of demo.loader.GALLERY_VARIANTS.
    gallery = list(page.gallery_images.all())
    for item, phrase in zip(gallery, GALLERY_PHRASES.values(), strict=False):
        item.caption = f"{en['short_name']} {phrase}"
    page.gallery_images = gallery


def fill_event(page, *, en: dict) -> None:
    page.title = en["title"]
    page.teaser = en["teaser"]
    page.description = en["description"]
    page.price_note = en["price_note"]


def story_image_id(place) -> int | None:
    """The image in the (copied, German) story: the English story shows the same one."""
    for block in place.story.raw_data:
        if block["type"] == "image":
            return block["value"]["image"]
    return None
