"""Keeping the rows that migrations create alive across transactional tests."""

from wagtail.models import Page

# Filled by the root conftest's ``django_db_setup`` right after the test database exists.
MIGRATED_DATA: dict[str, str] = {}


def restore_migrated_data(snapshot=None):
    """Put the migrations' rows back if a flush removed them (no-op otherwise)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    if Page.objects.filter(depth=1).exists():
        return
    # The flush re-created content types and permissions with new ids; start clean.
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(snapshot or MIGRATED_DATA["default"])
    ContentType.objects.clear_cache()
    sequences_past_rows()


def sequences_past_rows():
    """Rows came back with their ids: move the sequences past them (as loaddata does), so
    that new rows do not collide with them (a flush may have reset the sequences)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def back_to_snapshot(snapshot):
    """Exactly the rows of ``snapshot`` (``serialize_db_to_string``) again, the sequences
    kept: the snapshot's rows come back with their ids, and new rows must not collide with
    them."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    # The content types come back with the ids the cache knows: fill it while their rows
    # are there (an empty cache would make deserializing create some before their rows
    # come; ``restore_migrated_data`` empties it).
    ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)
    call_command(
        "flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False
    )
    connection.creation.deserialize_db_from_string(snapshot)
