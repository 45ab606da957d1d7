"""Indexes the public place pages need, on tables of apps we do not own (hence RunSQL).

- ``wagtailcore_page.url_path``: routing (``core.routing.OneQueryRouting``) looks pages up
  by it; Wagtail has no index there, so every request scanned all pages.
- ``places_placepage (latitude, longitude)``: the nearby box of a place page
  (``places.nearby.nearest``) is a latitude range.

Not part of any model's state: ``makemigrations`` does not see them.
"""

from django.db import migrations

URL_PATH_INDEX = "kig_page_url_path_idx"
LOCATION_INDEX = "kig_placepage_location_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("places", "0004_api_snapshot_v2_items"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {URL_PATH_INDEX} ON wagtailcore_page (url_path)",
            reverse_sql=f"DROP INDEX IF EXISTS {URL_PATH_INDEX}",
            elidable=False,
        ),
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {LOCATION_INDEX} "
            "ON places_placepage (latitude, longitude)",
            reverse_sql=f"DROP INDEX IF EXISTS {LOCATION_INDEX}",
            elidable=False,
        ),
    ]
