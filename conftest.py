import pytest

from core.images import forget_process_memo as forget_restricted_collection_memo
from tests.db import MIGRATED_DATA, restore_migrated_data
from tests.fixtures import make_home_page, make_place, make_region

# One Chromium and one demo server definition for all folders (two session-scoped Chromium
# instances cannot run side by side under Playwright's sync API).
pytest_plugins = ["tests.fixtures"]


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
        MIGRATED_DATA["default"] = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        _end_other_sessions(connection)


def _end_other_sessions(connection) -> None:
    """Before pytest-django drops the test database: end the sessions that the tests left
    behind (a server thread's or a render process's that PostgreSQL has not yet noticed
    closing, one of another greenlet under Playwright), which would make ``DROP DATABASE``
    fail and leave the database behind. From a connection of its own: this thread's may
    already have been ended the same way (``tests.fixtures._close_other_sessions``)."""
    if connection.vendor != "postgresql":
        return
    connection.close()
    own = connection.get_new_connection(connection.get_connection_params())
    try:
        own.autocommit = True
        own.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        own.close()


@pytest.fixture(scope="session")
def migrated_data_snapshot(django_db_setup):
    return MIGRATED_DATA["default"]


@pytest.fixture
def migrated_data(transactional_db, migrated_data_snapshot):
    """For transactional tests: make sure the migrations' rows are there."""
    restore_migrated_data(migrated_data_snapshot)


@pytest.fixture(autouse=True)
def _migrated_data_in_transactional_tests(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("migrated_data")
        request.node.flushes_database = True


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush (the last teardown step), put the migrations'
    rows back at once: whatever runs next on this database – under pytest-xdist that can
    be any kind of test – finds them, not only the next transactional test."""
    result = yield
    # Not after the last test: its teardown has already dropped the test database.
    if nextitem is not None and getattr(item, "flushes_database", False) and MIGRATED_DATA:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            restore_migrated_data(MIGRATED_DATA["default"])
    return result


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every cache empty before and after each test: the caches are on as in production
    (cms/settings/test.py) and outlive the per-test rollback, so one test's cached page,
    API answer or rate-limit counter must not reach the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    forget_restricted_collection_memo()
    yield
    for cache in caches.all():
        cache.clear()
    forget_restricted_collection_memo()


@pytest.fixture
def home_page(db):
    return make_home_page()


@pytest.fixture
def region(home_page):
    return make_region(home_page)


@pytest.fixture
def place(region):
    return make_place(region)


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test counts as a failure: every test must really run."""
    import os

    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("CI") and reporter and reporter.stats.get("skipped"):
        reporter.write_line("CI: skipped tests are not allowed here.", red=True)
        session.exitstatus = 1
