import pytest

from applications.factories import ApplicationFactory
from places.models import Category
from regions.factories import RegionPageFactory

from .helpers import editors_group


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"
    settings.APPLICATIONS_MIN_FILL_SECONDS = 3
    return settings.APPLICATIONS_PRIVATE_ROOT


@pytest.fixture(autouse=True)
def clear_cache():
    from django.core.cache import caches

    for alias in ("default", "security"):
        caches[alias].clear()
    yield
    for alias in ("default", "security"):
        caches[alias].clear()


@pytest.fixture
def altmark(region):
    region.contact_email = "kreativorte@altmark.de"
    region.save_revision().publish()
    region.refresh_from_db()
    return region


@pytest.fixture
def harz(home_page):
    return RegionPageFactory(
        parent=home_page, title="Harz", slug="harz", contact_email="harz@example.org"
    )


@pytest.fixture
def categories(db):
    return list(Category.objects.all())


@pytest.fixture
def altmark_editor(altmark, django_user_model):
    user = django_user_model.objects.create_user("altmark", "a@example.org", "pw-altmark-1")
    user.groups.add(editors_group("Redaktion Altmark", altmark))
    return user


@pytest.fixture
def harz_editor(harz, django_user_model):
    user = django_user_model.objects.create_user("harz", "h@example.org", "pw-harz-1")
    user.groups.add(editors_group("Redaktion Harz", harz))
    return user


@pytest.fixture
def application(altmark, categories):
    app = ApplicationFactory(region=altmark)
    app.categories.set(categories[:1])
    return app


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST the form like a browser from this site; e-mails run as after a real commit."""

    def send(data, client=client, **extra):
        extra.setdefault("HTTP_ORIGIN", "http://testserver")
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/mitmachen/", data, **extra)

    return send
