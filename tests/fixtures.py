"""Fixtures shared by every test folder (registered in the root conftest.py): Chromium,
a browser page, the loaded demo behind a live server, rows shared by a module's tests; and
the pages of the root conftest's ``home_page``, ``region`` and ``place``."""

import os

import pytest

from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH
from tests.db import back_to_snapshot, restore_migrated_data, sequences_past_rows


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM_PATH):
        pytest.fail(
            f"Chromium fehlt unter {CHROMIUM_PATH}: `apt-get install chromium` "
            "(make test installiert es als root selbst)."
        )
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the
    # test body are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


#: The demo as ``load_demo`` made it in this process (each test worker has its own): its rows
#: (``serialize_db_to_string``) and the media folder with its images.
_LOADED_DEMO: dict = {}


def load_demo_once(make_media_folder):
    """The demo content in the test database, replacing what is there: loaded by
    ``load_demo`` the first time in this process, afterwards put back from its rows (a flush
    and the rows: seconds instead of the half minute a load takes). Returns the media folder
    its images are in (made by ``make_media_folder`` the first time)."""
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    if _LOADED_DEMO:
        back_to_snapshot(_LOADED_DEMO["rows"])
        sequences_past_rows()
        return _LOADED_DEMO["media"]
    media = make_media_folder()
    with override_settings(MEDIA_ROOT=media):
        call_command("load_demo", verbosity=0)
    _LOADED_DEMO.update(rows=connection.creation.serialize_db_to_string(), media=media)
    return media


@pytest.fixture
def demo_content(migrated_data, settings, tmp_path_factory):
    """Demo content in a transactional test (for live_server)."""
    settings.MEDIA_ROOT = load_demo_once(lambda: tmp_path_factory.mktemp("demo-media"))


@pytest.fixture(scope="module")
def demo_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content for a module (``load_demo_once``), served by a live server of its own.

    pytest-django's ``live_server`` flushes the database after every test, which would mean
    loading the demo for each page. Tests using this fixture share one loaded database
    (read-only: they only browse). Such tests must be marked ``django_db`` so that
    pytest-django creates the test database. Afterwards the database gets back exactly
    the rows it had before (a serialized snapshot, as ``serialized_rollback`` does).
    """
    from django.db import connection
    from django.test import override_settings

    from pytest_django.live_server_helper import LiveServer

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        if not (name.startswith("test_") or "memorydb" in name or name.startswith("file:")):
            pytest.fail(f"demo_server: refusing to load into a non-test database ({name}).")
        restore_migrated_data()
        snapshot = connection.creation.serialize_db_to_string()
        media = load_demo_once(lambda: tmp_path_factory.mktemp("demo-media"))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        server = LiveServer("127.0.0.1:0")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            _close_other_sessions(connection)
            back_to_snapshot(snapshot)


def _close_other_sessions(connection):
    """Request threads of the stopped server may still hold PostgreSQL sessions (browser
    keep-alive); end them so that the test database can be dropped afterwards."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def make_home_page():
    """The home page, root of the default site (the root conftest's ``home_page``)."""
    from wagtail.models import Page, Site

    from home.factories import HomePageFactory

    home = HomePageFactory(parent=Page.get_first_root_node(), slug="kreativorte")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home


def make_region(home_page):
    from regions.factories import RegionPageFactory

    return RegionPageFactory(parent=home_page, title="Altmark", slug="altmark")


def make_place(region):
    from places.factories import PlacePageFactory

    return PlacePageFactory(parent=region, title="Gutshof Wiesengrund", slug="gutshof-wiesengrund")


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """For rows that are costly to make (a static build of them), made once for a module:
    a module-scoped fixture makes them inside ``with module_db():``, in a transaction that
    commits (what the commit would hand on is dropped, as a test's transaction never
    commits). Each test then runs in a transaction of its own, rolled back after it
    (pytest-django's ``db``); after the module the database gets back exactly the rows it
    had before (a serialized snapshot, as ``demo_server`` does). Not for transactional
    tests (their flush would remove the module's rows)."""
    from contextlib import contextmanager

    from django.db import connection, transaction

    with django_db_blocker.unblock():
        restore_migrated_data()
        snapshot = connection.creation.serialize_db_to_string()

    @contextmanager
    def committed():
        with django_db_blocker.unblock(), transaction.atomic():
            yield
            connection.run_on_commit = []

    yield committed
    with django_db_blocker.unblock():
        back_to_snapshot(snapshot)


def fresh(values: dict) -> dict:
    """``values`` with every model instance read again from the database (also those of a
    dataclass among them, an onboarding result): an instance kept across tests would carry
    one test's changes (a page's tree counters, its ``live``) into the next."""
    return {name: _read_again(value) for name, value in values.items()}


def _read_again(value):
    import dataclasses

    from django.db.models import Model

    if isinstance(value, Model):
        return type(value).objects.get(pk=value.pk)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        models = {
            item.name: _read_again(getattr(value, item.name))
            for item in dataclasses.fields(value)
            if item.init and isinstance(getattr(value, item.name), Model)
        }
        return dataclasses.replace(value, **models)
    return value
