"""Two settings for the English tree (``cms/settings/base.py``):

- ``WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False``: wagtail-localize's own translate
  operation (not only ``regions.translation.translate_as_draft``) makes a live German page's
  new translation a draft, for the region's approval;
- ``WAGTAILFRONTENDCACHE_LANGUAGES = []``: the CDN purge of a change's paths (German and
  ``/en/``, ``publishing.changes``) purges exactly those URLs, without the ``/de/…`` variant
  Wagtail would make of every ``/en/…`` URL.
"""

from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import Locale, Site
from wagtail_localize.operations import translate_object

from places.factories import PlacePageFactory
from publishing.changes import Change, purge_frontend_cache

PURGED: list[str] = []


class RecordingBackend(BaseBackend):
    def purge(self, url) -> None:
        PURGED.append(url)


def test_wagtail_localize_translates_a_live_page_as_a_draft(
    region, django_capture_on_commit_callbacks
):
    place = PlacePageFactory(parent=region, title="Gutshof", slug="gutshof")
    assert place.live
    english = Locale.objects.get(language_code="en")
    with django_capture_on_commit_callbacks(execute=True):  # where wagtail-localize publishes
        translate_object(place, [english])
    translation = place.get_translation(english)
    assert translation.alias_of_id is None
    assert not translation.live


def test_the_cdn_purge_takes_each_address_once_and_no_other(home_page, settings):
    settings.WAGTAILFRONTENDCACHE = {
        "recording": {"BACKEND": f"{__name__}.RecordingBackend", "HOSTNAMES": ["*"]}
    }
    PURGED.clear()
    purge_frontend_cache(Change(paths={"/altmark/", "/en/altmark/"}))
    roots = [site.root_url.rstrip("/") for site in Site.get_site_root_paths()]
    assert roots
    assert sorted(PURGED) == sorted(
        f"{root}{path}" for root in roots for path in ("/altmark/", "/en/altmark/")
    )
