"""Forgiving search (places/search.py): the pg_trgm extension, the folding function
``kig_search_fold``, folded copies of a place's texts kept by triggers, and GIN trigram
indexes of them. PostgreSQL only; other databases use the search's fallback and get
nothing here.

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

# Folded copies of the title (kept in wagtailcore_page) and of teaser, municipality and
# former use, on the place's row, kept by triggers: folding while searching cost 0.1 ms per
# place (10,000 places: a second). Not model fields: Django never reads or writes them. Not
# generated columns either: those would block later migrations from changing the columns
# they read ("cannot alter type of a column used by a generated column").
PLACE_ROW_TRIGGER = """
CREATE OR REPLACE FUNCTION kig_search_place_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.kig_search_title := coalesce(
        kig_search_fold((SELECT title FROM wagtailcore_page WHERE id = NEW.page_ptr_id)), '');
    NEW.kig_search_text := kig_search_fold(
        NEW.teaser || ' ' || NEW.municipality || ' ' || NEW.former_use);
    RETURN NEW;
END
$$;
"""
PLACE_ROW_TRIGGER_ON = """
CREATE TRIGGER kig_search_place_row BEFORE INSERT OR UPDATE ON places_placepage
    FOR EACH ROW EXECUTE FUNCTION kig_search_place_row();
"""
# A title is saved in wagtailcore_page (before the place's own row, but a title can also
# change alone, e.g. Page.objects.filter(…).update(title=…)).
PAGE_TITLE_TRIGGER = """
CREATE OR REPLACE FUNCTION kig_search_page_title() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE places_placepage SET kig_search_title = kig_search_fold(NEW.title)
     WHERE page_ptr_id = NEW.id;
    RETURN NULL;
END
$$;
"""
PAGE_TITLE_TRIGGER_ON = """
CREATE TRIGGER kig_search_page_title AFTER UPDATE OF title ON wagtailcore_page
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title)
    EXECUTE FUNCTION kig_search_page_title();
"""

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    FOLD_FUNCTION,
    "ALTER TABLE places_placepage ADD COLUMN kig_search_title text NOT NULL DEFAULT '', "
    "ADD COLUMN kig_search_text text NOT NULL DEFAULT ''",
    PLACE_ROW_TRIGGER,
    PLACE_ROW_TRIGGER_ON,
    PAGE_TITLE_TRIGGER,
    PAGE_TITLE_TRIGGER_ON,
    "UPDATE places_placepage SET kig_search_text = ''",  # the trigger fills both
    "CREATE INDEX places_search_title_trgm ON places_placepage "
    "USING gin (kig_search_title gin_trgm_ops)",
    "CREATE INDEX places_search_text_trgm ON places_placepage "
    "USING gin (kig_search_text gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS places_search_text_trgm",
    "DROP INDEX IF EXISTS places_search_title_trgm",
    "DROP TRIGGER IF EXISTS kig_search_page_title ON wagtailcore_page",
    "DROP TRIGGER IF EXISTS kig_search_place_row ON places_placepage",
    "DROP FUNCTION IF EXISTS kig_search_page_title()",
    "DROP FUNCTION IF EXISTS kig_search_place_row()",
    "ALTER TABLE places_placepage DROP COLUMN IF EXISTS kig_search_title, "
    "DROP COLUMN IF EXISTS kig_search_text",
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
