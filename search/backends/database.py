"""Wagtail's database search backend (modelsearch) with our folding on both sides.

modelsearch picks a SQLite FTS5 or PostgreSQL full-text backend for the default database;
we subclass whichever it picks so that every text it indexes goes through
``folding.for_index`` and every query through ``folding.for_query``. Nothing depends on
database extensions (no ``unaccent``), so SQLite and PostgreSQL behave the same.

Configure with::

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}

and rebuild the index once after switching (``manage.py update_index``).
"""

from __future__ import annotations

import types
from functools import cache

from django.db import connection
from modelsearch.backends import database as modelsearch_database
from modelsearch.query import And, Boost, Fuzzy, Not, Or, Phrase, PlainText

from search import folding
from search.backends import ranking


def fold_query(query):
    """Fold a query string or a modelsearch query object, keeping its structure."""
    if isinstance(query, str):
        return folding.for_query(query)
    if isinstance(query, PlainText):
        return PlainText(folding.for_query(query.query_string), operator=query.operator,
                         boost=query.boost)
    if isinstance(query, Phrase):
        return Phrase(folding.for_query(query.query_string))
    if isinstance(query, Fuzzy):
        return Fuzzy(folding.for_query(query.query_string), operator=query.operator,
                     unaccent=query.unaccent)
    if isinstance(query, (And, Or)):
        return type(query)([fold_query(q) for q in query.subqueries])
    if isinstance(query, Not):
        return Not(fold_query(query.subquery))
    if isinstance(query, Boost):
        return Boost(fold_query(query.subquery), query.boost)
    return query  # MatchAll and anything without text


def folding_indexer(indexer_cls: type) -> type:
    """modelsearch's ObjectIndexer for one database, storing folded text.

    modelsearch reads every search field three times per object (for the title, the body
    and the autocomplete column); a related field (a product's topics) is a query each
    time. Each top-level field is prepared, and folded, once per object here."""

    def prepare_value(self, value) -> str:
        prepared = indexer_cls.prepare_value(self, value)
        if isinstance(value, (list, dict)):
            return prepared  # its items came through here one by one, already folded
        return folding.for_index(prepared)

    def prepare_field(self, obj, field):
        if obj is not self.obj:  # inside a related field: prepared once with its parent
            return indexer_cls.prepare_field(self, obj, field)
        memo = self.__dict__.setdefault("_prepared", {})
        if id(field) not in memo:
            memo[id(field)] = list(indexer_cls.prepare_field(self, obj, field))
        return iter(memo[id(field)])

    return type(f"Folding{indexer_cls.__name__}", (indexer_cls,),
                {"prepare_value": prepare_value, "prepare_field": prepare_field})


def with_globals(func, **names):
    """``func`` with some module-level names replaced: lets us reuse modelsearch's own
    ``Index.add_items`` with our indexer instead of copying it."""
    return types.FunctionType(func.__code__, {**func.__globals__, **names}, func.__name__,
                              func.__defaults__, func.__closure__)


class FoldingMixin:
    """Folds the query before the vendor backend compiles it."""

    def search(self, query, model_or_queryset, **kwargs):
        return super().search(fold_query(query), model_or_queryset, **kwargs)

    def autocomplete(self, query, model_or_queryset, **kwargs):
        return super().autocomplete(fold_query(query), model_or_queryset, **kwargs)

    def ranked_page(self, query: str, queryset, **kwargs) -> ranking.RankedPage:
        """One page of ranked ids and the total, in one query (see ``ranking``)."""
        return ranking.ranked_page(self, fold_query(query), queryset, **kwargs)


@cache
def _backend_class(vendor_backend_cls: type) -> type:
    index_cls = vendor_backend_cls.index_class
    module_globals = index_cls.add_items.__globals__
    indexer = folding_indexer(module_globals["ObjectIndexer"])
    folding_index = type(
        f"Folding{index_cls.__name__}", (index_cls,),
        {"add_items": with_globals(index_cls.add_items, ObjectIndexer=indexer)},
    )
    return type(f"Folding{vendor_backend_cls.__name__}", (FoldingMixin, vendor_backend_cls),
                {"index_class": folding_index})


# Wagtail looks up a callable named SearchBackend in a backend module.
def SearchBackend(params: dict):
    params = dict(params)
    if connection.vendor == "postgresql":
        # "simple": no English stemming or stop words; they would eat folded Vietnamese
        # syllables such as "do" (đỏ, đó) or "no" (nợ, nó).
        params.setdefault("SEARCH_CONFIG", "simple")
    vendor_backend = modelsearch_database.SearchBackend(params)
    cls = _backend_class(type(vendor_backend))
    return cls(params)
