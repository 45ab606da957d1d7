"""How PostgreSQL runs ``core.visibility``'s checks (what they decide: tests/test_visibility.py).

The checks "nothing restricted or unpublished above" read their few paths once per query,
not once per page, and keep no parameters of their own, so that a prepared statement's
generic plan (``DATABASE_PREPARED_STATEMENTS``, which PostgreSQL switches to after five
runs) still uses the partial index of the unpublished parents: with ``numchild > $1`` it
read every page for every place checked (a place's nearby places at 10,000 places: 0.6 s).
"""

import importlib

from django.db import connection

import pytest

from places.models import PlacePage

UNPUBLISHED_PARENTS_INDEX = importlib.import_module(
    "core.migrations.0005_page_unpublished_parents_index"
).UNPUBLISHED_PARENTS_INDEX

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]


def generic_plan(queryset) -> str:
    """``EXPLAIN`` of ``queryset`` as a prepared statement's generic plan (the parameters
    unknown while planning), sequential scans discouraged: what the plan *can* use."""
    sql, params = queryset.query.sql_with_params()
    numbered = sql % tuple(f"${number}" for number in range(1, len(params) + 1))
    values = connection.ops.compose_sql(", ".join(["%s"] * len(params)), params)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"PREPARE kig_visibility_probe AS {numbered}")
        try:
            cursor.execute(f"EXPLAIN EXECUTE kig_visibility_probe({values})")
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("DEALLOCATE kig_visibility_probe")


def test_the_checks_above_a_page_run_once_per_query_not_once_per_page():
    plan = generic_plan(PlacePage.objects.visible().filter(municipality="Salzwedel"))
    assert "SubPlan" not in plan  # a correlated subquery, run for every row
    assert "InitPlan" in plan


def test_a_generic_plan_can_use_the_partial_index_of_the_unpublished_parents():
    plan = generic_plan(PlacePage.objects.visible().filter(municipality="Salzwedel"))
    assert UNPUBLISHED_PARENTS_INDEX in plan
