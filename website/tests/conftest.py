from django.core.cache import cache

import pytest


@pytest.fixture
def page_cache(settings, tmp_path):
    """The page cache on (whatever the test settings say) and empty before and after."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()
