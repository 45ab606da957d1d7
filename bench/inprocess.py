"""Django set up inside a benchmark script (bench/api.py, website.py, build.py).

The scripts then create a throwaway test database (a SQLite file in ``tmpdir``, or a
``test_…`` database on the server ``DATABASE_URL`` names) and keep media in ``tmpdir``.
"""

import os
from pathlib import Path


def setup_django(tmpdir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    import django
    from django.conf import settings

    django.setup()
    from django.test.utils import override_settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(Path(tmpdir) / "bench.sqlite3")
    override_settings(MEDIA_ROOT=Path(tmpdir) / "media", ALLOWED_HOSTS=["*"]).enable()
