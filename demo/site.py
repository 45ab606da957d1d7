"""Site setup for the demo loader and tests.

``ensure_home_page()`` turns a freshly migrated Wagtail database (root page plus the
"Welcome to your new Wagtail site!" page) into the portal's structure: one
``home.HomePage`` directly below the root, served by the default site.
"""

from __future__ import annotations

from wagtail.models import Collection, Page, Site

from home.models import HomePage

from .data import HOME

DEFAULT_HOSTNAME = "localhost"
DEFAULT_PORT = 80
SITE_NAME = HOME["title"]
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


def ensure_default_site(home: HomePage) -> Site:
    """Make sure a default site exists and serves ``home``.

    An existing default site is only re-pointed if its root is not a HomePage already,
    so a deliberately configured site is left alone.
    """
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        site = Site.objects.filter(hostname=DEFAULT_HOSTNAME, port=DEFAULT_PORT).first()
        if site is None:
            return Site.objects.create(
                hostname=DEFAULT_HOSTNAME,
                port=DEFAULT_PORT,
                root_page=home,
                is_default_site=True,
                site_name=SITE_NAME,
            )
        site.is_default_site = True
        site.root_page = home
    elif site.root_page_id != home.pk and not isinstance(site.root_page.specific, HomePage):
        site.root_page = home
    if not site.site_name:
        site.site_name = SITE_NAME
    site.save()
    return site


def ensure_home_page() -> HomePage:
    """Return the portal's HomePage, creating it (and the default site) if needed."""
    home = HomePage.objects.filter(depth=2).first()
    welcome = None
    if home is None:
        welcome = _plain_welcome_page()
        if welcome is not None:
            # Free the slug "home" first: siblings must have unique slugs.
            Page.objects.filter(pk=welcome.pk).update(slug=f"{HOME_SLUG}-{welcome.pk}")
            slug = HOME_SLUG
        elif Page.objects.filter(depth=2, slug=HOME_SLUG).exists():
            slug = FALLBACK_HOME_SLUG
        else:
            slug = HOME_SLUG
        home = HomePage(title=HOME["title"], slug=slug, intro=HOME["intro"], live=False)
        Page.get_first_root_node().add_child(instance=home)
        publish(home)

    ensure_default_site(home)

    if welcome is not None:
        # Deleting a page deletes the sites rooted at it; hand them over first.
        Site.objects.filter(root_page=welcome).update(root_page=home)
        welcome.delete()
    return home


def ensure_collection(name: str) -> Collection:
    """A top-level image collection (one per region), created once."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    if existing is not None:
        return existing
    return root.add_child(name=name)
