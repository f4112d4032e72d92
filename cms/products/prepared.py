"""Queries every product page makes, compiled once.

Django builds and compiles the SQL of a queryset on every evaluation; for a narrow lookup
by key that costs several times what SQLite or PostgreSQL take to answer it. A
``PreparedLookup`` lets the ORM write the SQL once per database and active language
(modeltranslation picks the columns by language), then runs that SQL with new values and
returns plain rows, without field converters: use it for columns stored as they are read
(numbers, text, file names). ``PreparedInstances`` returns model instances instead, with
the converters and ``select_related`` rows applied as Django applies them.

On PostgreSQL the same SQL is also prepared on the server, once per connection, when the
connection allows it (``prepare_threshold`` set, see ``cms.settings.base``): PostgreSQL
then stops planning it on every call, which for the product row's joins takes ten times
longer than running it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.utils import translation

Reader = Callable[[list[tuple], object], list]  # (rows, connection) -> results

_INT_SENTINEL = -2_000_000_000  # parameter values no real lookup uses


class PreparedLookup:
    """``build(**params)`` returns a ``values_list`` queryset of ``model``; calling the
    lookup with the same keyword arguments (int or str values) returns its rows."""

    def __init__(self, model: type[Model], build: Callable[..., QuerySet]) -> None:
        self.model = model
        self.build = build
        # (alias, language, parameter names) -> (SQL, parameter slots, reader)
        self._compiled: dict[tuple, tuple[str, list, Reader]] = {}

    def __call__(self, **params) -> list:
        alias = router.db_for_read(self.model)
        key = (alias, translation.get_language(), tuple(sorted(params)))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(alias, params)
        sql, slots, read = compiled
        values = [params[slot[1]] if slot[0] else slot[1] for slot in slots]
        connection = connections[alias]
        with _cursor(connection) as cursor:
            cursor.execute(sql, values)
            return read(cursor.fetchall(), connection)

    def _compile(self, alias: str, params: dict) -> tuple[str, list, Reader]:
        """The SQL with markers in place of ``params``, how to fill its parameters, and how
        to read its rows."""
        markers = {name: self._marker(name, value, index)
                   for index, (name, value) in enumerate(sorted(params.items()))}
        compiler = self.build(**markers).query.get_compiler(alias)
        sql, sql_params = compiler.as_sql()  # also fills compiler.select and klass_info
        return sql, self._slots(markers, sql_params, params), self._reader(compiler, alias)

    def _reader(self, compiler, alias: str) -> Reader:
        return lambda rows, connection: rows

    @staticmethod
    def _slots(markers: dict, sql_params, params: dict) -> list[tuple]:
        """For each SQL parameter, (True, name of a call argument) or (False, a constant)."""
        by_marker = {marker: name for name, marker in markers.items()}
        slots = [(True, by_marker[value]) if _hashable(value) and value in by_marker
                 else (False, value) for value in sql_params]
        missing = set(params) - {slot[1] for slot in slots if slot[0]}
        if missing:
            raise ValueError(f"parameters not found in the compiled query: {missing}")
        return slots

    @staticmethod
    def _marker(name: str, value, index: int):
        if isinstance(value, int):
            return _INT_SENTINEL - index
        if isinstance(value, str):
            return f"\x00prepared:{name}\x00"
        raise TypeError(f"prepared lookups take int or str parameters, not {type(value)}")


def _cursor(connection):
    """A cursor of ``connection`` that prepares its statements on the server where it can,
    else Django's own."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django's default: off, for connection poolers
        return connection.cursor()
    from .postgres import PreparingCursor

    with connection.wrap_database_errors:
        # Wrapped as Django wraps its own cursors (BaseDatabaseWrapper._cursor; Django is
        # pinned): thread check, query logging and execute_wrappers apply as to any query.
        return connection._prepare_cursor(PreparingCursor(raw))


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


class PreparedInstances(PreparedLookup):
    """Like ``PreparedLookup``, for a queryset of model instances (``select_related``
    included): the SQL, the columns' converters and the way rows become instances are
    worked out once per database and language, as Django's ``ModelIterable`` works them
    out on every evaluation. For the product page's own row (over a hundred columns with
    its cover, area, producer and recording), where compiling costs most."""

    def _reader(self, compiler, alias: str) -> Reader:
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, alias)
        # Converters take the connection as an argument; the backend's own ones only read
        # settings from the one they were made with.
        converters = list(compiler.get_converters([column[0] for column in select]).items())
        model = klass_info["model"]

        def build(row, connection) -> Model:
            row = list(row)
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            instance = model.from_db(alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            return instance

        return lambda rows, connection: [build(row, connection) for row in rows]
