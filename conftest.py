from wagtail.models import Page, Site

import pytest

from home.factories import HomePageFactory
from places.factories import PlacePageFactory
from regions.factories import RegionPageFactory

_MIGRATED_DATA = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Right after the test database is created, keep a copy of the rows that migrations
    put in (root page, root collection, locale, the three fields …).

    Transactional tests (live_server) end with a flush that wipes these rows too. Django's
    ``serialized_rollback`` would restore them, but it keeps its copy on the connection
    object, which the code running under Playwright's greenlets does not see. This copy is
    plain data.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        _MIGRATED_DATA["default"] = connection.creation.serialize_db_to_string()


@pytest.fixture(scope="session")
def migrated_data_snapshot(django_db_setup):
    return _MIGRATED_DATA["default"]


@pytest.fixture
def migrated_data(transactional_db, migrated_data_snapshot):
    """For transactional tests: make sure the migrations' rows are there."""
    from django.db import connection

    if not Page.objects.filter(depth=1).exists():
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType
        from django.core.management import call_command
        from django.core.management.color import no_style

        # The flush re-created content types and permissions with new ids; start clean.
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(migrated_data_snapshot)
        ContentType.objects.clear_cache()
        # Rows came back with their ids; move the sequences past them (as loaddata does).
        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


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
