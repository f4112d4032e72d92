"""Small lookups every product page makes, compiled once.

Django builds and compiles the SQL of a queryset on every evaluation; for a narrow lookup
by key that costs several times what SQLite or PostgreSQL take to answer it. A
``PreparedLookup`` lets the ORM write the SQL once per database and active language
(modeltranslation picks the columns by language), then runs that SQL with new values. It
returns plain rows, without field converters: use it for columns stored as they are read
(numbers, text, file names), not for JSON or other converted fields.
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.utils import translation

_INT_SENTINEL = -2_000_000_000  # parameter values no real lookup uses


class PreparedLookup:
    """``build(**params)`` returns a ``values_list`` queryset of ``model``; calling the
    lookup with the same keyword arguments (int or str values) returns its rows."""

    def __init__(self, model: type[Model], build: Callable[..., QuerySet]) -> None:
        self.model = model
        self.build = build
        self._compiled: dict[tuple, tuple[str, list]] = {}
        self._lock = Lock()

    def __call__(self, **params) -> list[tuple]:
        alias = router.db_for_read(self.model)
        key = (alias, translation.get_language(), tuple(sorted(params)))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compile(alias, params)
            with self._lock:
                self._compiled[key] = compiled
        sql, slots = compiled
        values = [params[slot[1]] if slot[0] else slot[1] for slot in slots]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, values)
            return cursor.fetchall()

    def _compile(self, alias: str, params: dict) -> tuple[str, list]:
        """The SQL with markers in place of ``params``, and for each SQL parameter either
        (True, name of a call argument) or (False, a constant)."""
        markers = {name: self._marker(name, value, index)
                   for index, (name, value) in enumerate(sorted(params.items()))}
        sql, sql_params = self.build(**markers).query.get_compiler(alias).as_sql()
        by_marker = {marker: name for name, marker in markers.items()}
        slots = [(True, by_marker[value]) if _hashable(value) and value in by_marker
                 else (False, value) for value in sql_params]
        missing = set(params) - {slot[1] for slot in slots if slot[0]}
        if missing:
            raise ValueError(f"parameters not found in the compiled query: {missing}")
        return sql, slots

    @staticmethod
    def _marker(name: str, value, index: int):
        if isinstance(value, int):
            return _INT_SENTINEL - index
        if isinstance(value, str):
            return f"\x00prepared:{name}\x00"
        raise TypeError(f"prepared lookups take int or str parameters, not {type(value)}")


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
