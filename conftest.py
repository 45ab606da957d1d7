from wagtail.models import Page, Site

import pytest

from home.factories import HomePageFactory
from places.factories import PlacePageFactory
from regions.factories import RegionPageFactory


@pytest.fixture
def home_page(db):
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="kreativorte")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home


@pytest.fixture
def region(home_page):
    return RegionPageFactory(parent=home_page, title="Altmark", slug="altmark")


@pytest.fixture
def place(region):
    return PlacePageFactory(parent=region, title="Gutshof Wiesengrund", slug="gutshof-wiesengrund")


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test counts as a failure: every test must really run."""
    import os

    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("CI") and reporter and reporter.stats.get("skipped"):
        reporter.write_line("CI: skipped tests are not allowed here.", red=True)
        session.exitstatus = 1
