from wagtail.search import index
from wagtail.signals import page_published

from .models import PlacePage


def reindex_after_publish(sender, instance, **kwargs):
    # The search index is updated on post_save, which fires before a page's tags and
    # categories (child relations) are written. Index once more when publishing is done,
    # so that a place is found by its tags right away.
    index.insert_or_update_object(instance)


def register_signal_handlers():
    page_published.connect(reindex_after_publish, sender=PlacePage)

    # The API's data version: publishing, unpublishing, deleting or moving pages (and
    # changing reference data, images, view restrictions) invalidates cached bodies at once.
    from .api_cache import register_signal_handlers as register_api_cache_handlers

    register_api_cache_handlers()

    # Place cards kept for live requests (``places.cards.LiveCardCache``).
    from .cards import register_signal_handlers as register_card_handlers

    register_card_handlers()
