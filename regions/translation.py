"""Translators: who may translate which page, and the English twin of a region page.

The German tree is the site (``core.languages``); a translation is a page in the English
tree that wagtail-localize keeps (``/en/…`` shows it once it is live). Each region has a
group ``Übersetzung <Region>`` (``regions.onboarding``) with:

- the model permission ``wagtail_localize.submit_translation`` (the „Übersetzen“ action) and
  access to the admin;
- ``add_page`` and ``change_page`` on the region's page in each other language's tree (its
  English twin, :func:`translated_regions`): translators write the English pages of their
  region and submit them to the region's approval („Freigabe <Region>“, also assigned to the
  twin), exactly like the region's editors on the German side; publishing is the region's
  moderators' (they get their German rights on the twin as well);
- ``bulk_delete_page`` on the German region page, and nothing else there: Wagtail lets a
  group browse every page it holds *some* permission on, and ``bulk_delete`` alone allows no
  action at all (deleting needs ``add`` or ``change`` too). It is the one way to show
  translators their region's German pages – with the „Übersetzen“ button – without letting
  them edit, lock, move or copy a German page. Such a browsing grant never counts for
  deleting: a person who is also in the region's editors' group would otherwise delete
  unpublished German pages together with their unpublished children. Only a group that
  also holds add, change or publish at or above a page lends its ``bulk_delete`` to a
  deletion (:func:`deletes_only_through_browsing_grant`, checked by the delete view's hook
  and the bulk delete action in ``regions.wagtail_hooks``).

wagtail-localize itself lets anyone with ``submit_translation`` translate any page and
publishes a live page's new translation at once: ``regions.translation_views`` serves its
views in their place, where a translation may only be started as :func:`may_translate`
allows, and always starts as a draft (:func:`translate_as_draft` says why).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from wagtail.models import GroupPagePermission, Locale, Page
from wagtail_localize.models import Translation
from wagtail_localize.operations import translate_object

from core import languages

from .isolation import permitted_paths

#: On the region's page in each other language's tree.
TRANSLATOR_PAGE_PERMISSIONS = ("add_page", "change_page")
#: On the German region page: browsing only (see the module docstring).
TRANSLATOR_SOURCE_PAGE_PERMISSIONS = ("bulk_delete_page",)
SUBMIT_TRANSLATION = ("wagtail_localize", "submit_translation")


#: Page permissions that make a group's ``bulk_delete`` at the same or a higher page more
#: than a browsing grant.
ACTING_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def deletes_only_through_browsing_grant(user, page) -> bool:
    """Would ``user`` delete ``page`` with its children only thanks to a browsing grant?

    Wagtail deletes a page with children for anyone whose groups hold ``bulk_delete`` there
    and whose groups hold ``add`` or ``change`` (a union over all groups). Here a group's
    ``bulk_delete`` counts only where the same group also acts on the page (add, change or
    publish at or above it): a translators' group (browsing only) lends it to nobody.
    """
    if user.is_superuser or page.is_leaf():
        return False
    steplen = Page.steplen
    at_or_above = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    grants = GroupPagePermission.objects.filter(group__user=user, page__path__in=at_or_above)
    acting = GroupPagePermission.objects.filter(
        group=OuterRef("group"),
        page__path__in=at_or_above,
        permission__codename__in=ACTING_PAGE_PERMISSIONS,
    )
    return not grants.filter(Exists(acting), permission__codename="bulk_delete_page").exists()


def other_locales() -> list[Locale]:
    """The locales of the languages with an address prefix (English), made if missing."""
    return [Locale.objects.get_or_create(language_code=code)[0] for code in languages.OTHERS]


def translate_as_draft(page, locales, user=None, components=None) -> None:
    """wagtail-localize's translate action for ``page`` into ``locales``, but the new (or
    converted) translation is a draft, whatever the German page's state.

    By default wagtail-localize publishes a live page's translation at once, with the German
    text standing in for what is not translated yet: ``/en/…`` would show German text as
    "the English page", and no moderator would have seen it. The setting
    ``WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False`` (``cms/settings/base.py``)
    makes every new translation a draft, here and in any other of its translate paths. What
    the setting does not cover: a parent that wagtail-localize copied as an alias is live
    like its German page; turned into a real translation it stays live, public with the
    German text, so it is unpublished here.
    """
    page = page.specific
    aliases_before = {
        locale.pk: translation.pk
        for locale in locales
        if (translation := page.get_translation_or_none(locale)) is not None
        and translation.alias_of_id is not None
        and translation.live
    }
    translate_object(page, locales, components, user)
    for pk in aliases_before.values():
        converted = Page.objects.get(pk=pk).specific
        if converted.alias_of_id is None and converted.live:
            converted.unpublish(user=user)


def translated_regions(region, user=None, created: list[str] | None = None) -> list[Page]:
    """The region page's twin in each other language's tree, made as a draft translation
    (with the home page's twin above it, copied as wagtail-localize does) where missing."""
    created = [] if created is None else created
    twins = []
    for locale in other_locales():
        twin = region.get_translation_or_none(locale)
        if twin is None:
            translate_as_draft(region, [locale], user=user)
            twin = region.get_translation(locale)
            created.append(
                f"Seite „{region.title}“ im Seitenbaum {locale.get_display_name()} (Entwurf)"
            )
        twins.append(twin)
    return twins


def _translation_parent(page, locale):
    """Where a new translation of ``page`` into ``locale`` goes: the nearest ancestor's
    translation (wagtail-localize copies the ancestors in between), or the root."""
    for ancestor in reversed(page.get_ancestors()):
        if ancestor.is_root():
            return ancestor
        translated = ancestor.get_translation_or_none(locale)
        if translated is not None:
            return translated
    return Page.get_first_root_node()


def may_translate(user, page, locale) -> bool:
    """May ``user`` start (or redo) the translation of ``page`` into ``locale``?

    They need ``submit_translation`` and the right to write where the translation goes: to
    edit the page's existing copy in ``locale`` (an alias wagtail-localize made), else to
    add pages below the nearest ancestor's translation. A region's translators may thus
    translate their region's pages and nothing else (the home page's twin is the portal
    team's); superusers everything.
    """
    if not (user.is_active and user.has_perm(".".join(SUBMIT_TRANSLATION))):
        return False
    if page.is_root() or page.locale_id == locale.pk:
        return False
    if user.is_superuser:
        return True
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.permissions_for_user(user).can_edit()
    return _translation_parent(page, locale).permissions_for_user(user).can_add_subpage()


def translations_visible_to(user, translations):
    """``translations`` (wagtail-localize ``Translation`` rows) narrowed to those whose
    translated page lies where the user holds a page permission in the target language:
    a region's translators see their region's, never another's source titles."""
    if user.is_superuser:
        return translations
    paths = permitted_paths(user)
    if not paths:
        return translations.none()
    where = Q()
    for path in paths:
        where |= Q(path__startswith=path)
    targets = Page.objects.filter(where).filter(
        translation_key=OuterRef("source__object_id"),
        locale_id=OuterRef("target_locale_id"),
        alias_of__isnull=True,
    )
    return translations.filter(Exists(targets))


def moderation_translation(page):
    """The enabled wagtail-localize translation that keeps ``page`` (English), or None."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key,
            target_locale_id=page.locale_id,
            enabled=True,
        )
        .select_related("source", "target_locale")
        .first()
    )
