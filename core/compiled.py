"""Querysets compiled once per process and run with each request's values.

Turning a queryset into SQL costs the ORM about a millisecond or two of CPU for a page
model (fifty columns, joins, the view-restriction subquery), more than the database takes
to answer, and every uncached page request ran several of them: the site lookup, routing,
the place page's gallery and relations. A ``CompiledQuery`` lets the ORM write the SQL
once, from a queryset built with stand-in values, and then runs that SQL with the real
values; rows become instances the way the queryset's own iteration makes them (the
fields' converters, ``Model.from_db``, ``select_related`` objects, annotations). So the
SQL is always the ORM's own (a new field or relation is picked up by itself), and the
result is what the queryset gives (``core/tests/test_compiled.py``).

Only for querysets whose values are plain parameters (compared with ``=`` or given as a
``Value``): a value the ORM rewrites before it reaches the SQL (``__startswith``, ``__in``
lists of another length, decimals of a field) is refused when the query is compiled.
"""

from django.db import connections
from django.db.models.query import get_related_populators

_STAND_INS = {
    str: lambda n: f"\x00stand-in-{n}\x00",
    int: lambda n: -734_021_000 - n,
    float: lambda n: -734_021.125 - n,
}


class CompiledQuery:
    """``build(**values)`` (a queryset) compiled once, run with ``values``.

    ``kinds`` names the values and their types (``str``, ``int`` or ``float``), e.g.
    ``CompiledQuery(lambda url_path: Page.objects.filter(url_path=url_path), url_path=str)``.
    """

    def __init__(self, build, **kinds):
        self.build = build
        self.kinds = kinds
        self._compiled = None

    def __call__(self, **values) -> list:
        """Model instances for a model queryset, tuples for ``values_list``."""
        queryset, compiler, sql, params, positions = self._compile()
        params = list(params)
        for name, indexes in positions.items():
            for index in indexes:
                params[index] = values[name]
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if queryset.query.values_select:
            return list(compiler.results_iter(results=[rows], tuple_expected=True))
        return list(_instances(compiler, queryset.db, rows))

    def _compile(self):
        if self._compiled is None:
            stand_ins = {
                name: _STAND_INS[kind](number)
                for number, (name, kind) in enumerate(self.kinds.items())
            }
            queryset = self.build(**stand_ins)
            compiler = queryset.query.get_compiler(using=queryset.db)
            sql, params = compiler.as_sql()
            positions = {
                name: [i for i, param in enumerate(params) if param == stand_in]
                for name, stand_in in stand_ins.items()
            }
            missing = [name for name, indexes in positions.items() if not indexes]
            if missing:
                raise ValueError(f"not plain parameters of the query: {missing}")
            self._compiled = (queryset, compiler, sql, tuple(params), positions)
        return self._compiled


def _instances(compiler, db, rows):
    """Instances from ``rows`` as ``django.db.models.query.ModelIterable`` makes them."""
    select, klass_info = compiler.select, compiler.klass_info
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    related_populators = get_related_populators(klass_info, select, db)
    for row in compiler.results_iter(results=[rows]):
        instance = model.from_db(db, init_list, row[start:end])
        for populator in related_populators:
            populator.populate(row, instance)
        for name, index in compiler.annotation_col_map.items():
            setattr(instance, name, row[index])
        yield instance
