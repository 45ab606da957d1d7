"""Forgiving search (places/search.py): the pg_trgm extension, the folding function
``kig_search_fold`` and GIN trigram indexes of the folded place texts. PostgreSQL only;
other databases use the search's fallback and get nothing here.

``CREATE EXTENSION pg_trgm`` needs a superuser, or (PostgreSQL 13 and later, pg_trgm being a
trusted extension) the owner of the database; docs/deployment.md says how to create it
beforehand where the application's role may not.
"""

from django.db import migrations

# The folding rule of places.search.fold: lower case, umlauts spelled out, accents dropped.
# Upper-case umlauts and accented capitals are spelled out before lower(), which folds only
# ASCII under the C locale.
FOLD_FUNCTION = """
CREATE OR REPLACE FUNCTION kig_search_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT translate(
        lower(
            replace(replace(replace(replace(replace(replace(replace(replace(
                value, 'Ä', 'ae'), 'Ö', 'oe'), 'Ü', 'ue'), 'ẞ', 'ss'),
                'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss')
        ),
        'ÁÀÂÃÅÉÈÊËÍÌÎÏÓÒÔÕØÚÙÛÇÑÝáàâãåéèêëíìîïóòôõøúùûçñýÿ',
        'aaaaaeeeeiiiiooooouuucnyaaaaaeeeeiiiiooooouuucnyy'
    )
$$;
"""

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    FOLD_FUNCTION,
    "CREATE INDEX IF NOT EXISTS places_search_title_trgm ON wagtailcore_page "
    "USING gin (kig_search_fold(title) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS places_search_text_trgm ON places_placepage "
    "USING gin (kig_search_fold(teaser || ' ' || municipality || ' ' || former_use) "
    "gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS places_search_text_trgm",
    "DROP INDEX IF EXISTS places_search_title_trgm",
    "DROP FUNCTION IF EXISTS kig_search_fold(text)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0005_api_snapshot_one_protocol"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
