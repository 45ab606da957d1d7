"""Site setup for the demo loader and tests.

``ensure_home_page()`` turns a freshly migrated Wagtail database (root page plus the
"Welcome to your new Wagtail site!" page) into the portal's structure: one
``home.HomePage`` directly below the root, served by the default site.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from wagtail.models import Page, Site

from core.languages import in_language_q
from home.models import HomePage

from .data import HOME

HOME_SLUG = "home"
FALLBACK_HOME_SLUG = "kreativorte-im-gruenen"


def publish(page: Page) -> None:
    """Save a revision of ``page`` and publish it (so editors see a proper history)."""
    page.save_revision().publish()


def _plain_welcome_page() -> Page | None:
    """Wagtail's default welcome page, if it is still untouched enough to remove."""
    for page in Page.objects.filter(depth=2, slug=HOME_SLUG):
        if page.specific_class is Page and page.get_children_count() == 0:
            return page
    return None


def site_address(url: str | None = None) -> tuple[str, int]:
    """``(hostname, port)`` of ``url`` (default: the ``SITE_URL`` setting), as Wagtail's Site
    stores them: ``http://127.0.0.1:8000`` → ``("127.0.0.1", 8000)``, ``https://example.org``
    → ``("example.org", 443)``."""
    url = url or settings.SITE_URL
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(
            f"SITE_URL muss eine Adresse wie https://example.org sein: {url!r}"
        )
    try:
        port = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(f"SITE_URL hat einen ungültigen Port: {url!r}") from error
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def point_default_site_at(url: str | None = None) -> Site | None:
    """Give the default site the hostname and port of ``url`` (default: ``SITE_URL``), so
    that the URLs Wagtail makes without a request (``page.full_url``, the API's ``html_url``,
    the exports) name the address the site is served on. Idempotent; ``None`` without a
    default site. Another site that already has that address keeps it (Wagtail allows one
    site per hostname and port): then nothing changes."""
    hostname, port = site_address(url)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    taken = Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk)
    if (site.hostname, site.port) != (hostname, port) and not taken.exists():
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
    return site


def ensure_default_site(home: HomePage) -> Site:
    """Make sure a default site exists and serves ``home``, at ``SITE_URL``'s address when it
    is created.

    An existing default site is only re-pointed if its root is not a HomePage already,
    so a deliberately configured site is left alone.
    """
    hostname, port = site_address()
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        site = Site.objects.filter(hostname=hostname, port=port).first()
        site = site or Site(hostname=hostname, port=port)
        site.is_default_site = True
        site.root_page = home
    elif site.root_page_id != home.pk and not isinstance(site.root_page.specific, HomePage):
        site.root_page = home
    if not site.site_name:
        site.site_name = HOME["title"]
    site.save()
    return site


def ensure_home_page() -> HomePage:
    """Return the portal's (German) HomePage, creating it (and the default site) if needed."""
    home = HomePage.objects.filter(in_language_q(), depth=2).first()
    welcome = None
    if home is None:
        welcome = _plain_welcome_page()
        slug = HOME_SLUG
        if welcome is not None:
            # Free the slug "home" first: siblings must have unique slugs.
            Page.objects.filter(pk=welcome.pk).update(slug=f"{HOME_SLUG}-{welcome.pk}")
        elif Page.objects.filter(depth=2, slug=HOME_SLUG).exists():
            slug = FALLBACK_HOME_SLUG
        home = HomePage(title=HOME["title"], slug=slug, intro=HOME["intro"], live=False)
        Page.get_first_root_node().add_child(instance=home)
        publish(home)

    ensure_default_site(home)

    if welcome is not None:
        # Deleting a page deletes the sites rooted at it; hand them over first.
        Site.objects.filter(root_page=welcome).update(root_page=home)
        welcome.delete()
    return home
