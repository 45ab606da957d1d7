import copy

from wagtail import hooks
from wagtail.images.rich_text import ImageEmbedHandler

from core import languages
from core.images import image_is_public
from website.cards import build_card_cache
from website.event_page import event_details
from website.listing import shared_in_build
from website.place_page import place_details

#: The texts of a page that its English page gives (every model's that it has): what a
#: translator writes. Everything else (facts: categories, tags, coordinates, hours, contact,
#: gallery, the events and places below it) is the German page's, which routing found in
#: the German tree: a translation's copies of them may be stale (wagtail-localize copies
#: them when the translation is made or synced).
TRANSLATED_TEXTS = (
    "title",
    "seo_title",
    "search_description",
    "teaser",
    "intro",
    "story",
    "body",
    "description",
    "price_note",
    "seeking_members_text",
    "getting_there",
    "former_use",
)


def with_texts_of(page, translation):
    """A copy of the German ``page`` that shows ``translation``'s texts (``TRANSLATED_TEXTS``)
    and keeps everything else: its context (children, events, nearby places, relations)
    comes from the German tree, as on the German address. A copy, so that no German page
    object (the site's root page, say) ever holds English text."""
    shown = copy.copy(page)
    # Wagtail caches a specific page's ``specific``/``specific_deferred`` as the page itself:
    # the copy's would be the German object (the description of Open Graph reads it).
    for name in ("specific", "specific_deferred"):
        shown.__dict__.pop(name, None)
    for name in TRANSLATED_TEXTS:
        if hasattr(type(page), name) and hasattr(translation, name):
            setattr(shown, name, getattr(translation, name))
    return shown


@hooks.register("on_serve_page")
def serve_in_active_language(serve_page):
    """On an English address, the German page that routing found shows the texts of its
    live English page (``with_texts_of``; ``request.translated_from``: the German page,
    ``request.translation``: the English one); without one it renders itself, marked
    untranslated for the template's note (``request.untranslated_page``,
    ``core.languages``)."""

    def serve(page, request, args, kwargs):
        language = languages.active()
        if language != languages.DEFAULT:
            translated = _live_translation(page, language)
            if translated is None:
                request.untranslated_page = page
            else:
                request.translated_from = page
                request.translation = translated
                page = with_texts_of(page, translated)
        return serve_page(page, request, args, kwargs)

    return serve


def _live_translation(page, language: str):
    """``languages.live_translation``; in a static build (its card store is in use) asked
    only for a page that has one: which pages do is read once per render process."""
    if build_card_cache() is not None:
        keys = shared_in_build(
            ("live translation keys", language),
            lambda: languages.live_translation_keys(language),
        )
        if page.translation_key not in keys:
            return None
    return languages.live_translation(page, language)


@hooks.register("place_page_context")
def place_page_details(place, request) -> dict:
    return {"details": place_details(place, request)}


@hooks.register("event_page_context")
def event_page_details(event, request) -> dict:
    # The event's image stands for the page when shared (Open Graph, website.templatetags).
    return {"details": event_details(event, request), "meta_image": event.image}


class PublicImageEmbedHandler(ImageEmbedHandler):
    """Wagtail's image embed, minus images of restricted collections: rich text written
    outside the editor (the API, an import, a pasted database value) may embed any image."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        # No rendition is made of a hidden image: only the public ones go to Wagtail.
        images = cls.get_many(attrs_list)
        public = [
            attrs
            for attrs, image in zip(attrs_list, images, strict=True)
            if image is not None and image_is_public(image)
        ]
        tags = iter(super().expand_db_attributes_many(public))
        return [next(tags) if attrs in public else "" for attrs in attrs_list]


# After wagtail.images' own registration of the "image" embed type, which it replaces.
@hooks.register("register_rich_text_features", order=100)
def register_public_image_embeds(features):
    features.register_embed_type(PublicImageEmbedHandler)
