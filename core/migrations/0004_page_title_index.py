"""An index for listings sorted by title, on a table of an app we do not own.

``wagtailcore_page (title, id)``: region pages, ``/orte/`` and the embeddable map list places
by title. With the number of matches known (``website.listing.paginate``: kept by data
version), the database reads a page of them in index order and stops after it, instead of
sorting every match (at 10,000 places a filtered ``/orte/``: 9.7 ms → 0.3 ms). Not part of
any model's state: ``makemigrations`` does not see it.
"""

from django.db import migrations

TITLE_INDEX = "kig_page_title_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_page_first_published_index"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {TITLE_INDEX} ON wagtailcore_page (title, id)",
            reverse_sql=f"DROP INDEX IF EXISTS {TITLE_INDEX}",
            elidable=False,
        ),
    ]
