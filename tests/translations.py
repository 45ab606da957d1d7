"""A German page's English translation in a test, made as a translator makes it in
wagtail-localize – the one way for every test folder."""

from contextlib import nullcontext

from django.test import TestCase

from wagtail.models import Page

from demo.translations import english_draft


def translate(page: Page, *, publish: bool = True, run_on_commit: bool = False, **texts) -> Page:
    """``page``'s English translation (``demo.translations.english_draft``: a draft copy,
    untranslated parents copied, German where nothing is translated) with ``texts`` set, a
    revision saved and, with ``publish``, published; the specific page as stored.

    ``run_on_commit``: run the commit callbacks here, as the end of the transaction would
    (the publish's ``Change`` handed on: page cache, pending static paths …); otherwise the
    test's transaction keeps them, as it keeps every other change's."""
    with TestCase.captureOnCommitCallbacks(execute=True) if run_on_commit else nullcontext():
        _source, translation = english_draft(page)
        for name, value in texts.items():
            setattr(translation, name, value)
        revision = translation.save_revision()
        if publish:
            revision.publish()
    return type(translation).objects.get(pk=translation.pk)
