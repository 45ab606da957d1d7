"""PostgreSQL plans repeated queries once per connection (prepared statements)."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

from places.models import PlacePage

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _options(**env) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.dev", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


def test_prepared_statements_are_on_for_postgresql_unless_switched_off():
    postgres = "postgres://user@db.example:5432/kreativorte"
    assert _options(DATABASE_URL=postgres) == (
        "[('prepare_threshold', 2), ('server_side_binding', True)]"
    )
    assert _options(DATABASE_URL=postgres, DATABASE_PREPARED_STATEMENTS="false") == "[]"
    assert _options(DATABASE_URL="sqlite:///:memory:") == "[]"


def test_a_repeated_query_is_planned_once_on_postgresql(db):
    for slug in ["a", "b", "c"]:
        list(PlacePage.objects.filter(slug=slug))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cursor.fetchall()]
        # One statement with a parameter serves all three slugs.
        assert any('"wagtailcore_page"."slug" = $1' in statement for statement in prepared)
    else:
        assert connection.settings_dict.get("OPTIONS", {}).get("server_side_binding") is None
