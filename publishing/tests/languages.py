"""Test helpers: an English translation of a German page (wagtail-localize)."""

from django.test import TestCase

from wagtail.models import Locale
from wagtail_localize.models import TranslationSource


def make_translation(page):
    """``page``'s English translation as wagtail-localize makes it (its parents copied where
    untranslated), as its specific page. wagtail-localize publishes it after the commit:
    that runs here, so that no later capture of commit callbacks publishes it again over a
    later edit."""
    english = Locale.objects.get(language_code="en")
    with TestCase.captureOnCommitCallbacks(execute=True):
        source = TranslationSource.get_or_create_from_instance(page)[0]
        source.create_or_update_translation(english, copy_parent_pages=True, fallback=True)
    return page.get_translation(english).specific


def translate(page, **fields):
    """``make_translation(page)`` with ``fields`` set (a title by default), published; the
    publish's commit callbacks run here too (a ``Change`` is handed on)."""
    translation = make_translation(page)
    for name, value in (fields or {"title": f"{page.title} (English)"}).items():
        setattr(translation, name, value)
    with TestCase.captureOnCommitCallbacks(execute=True):
        translation.save_revision().publish()
    return translation
