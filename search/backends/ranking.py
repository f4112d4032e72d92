"""One SQL query per result page: match, rank, put the visitor's language first, count.

modelsearch's ``search()`` ranks in a way that suits one ranked list, but the e-library
wants the visitor's language first and a count for the pager: done with its result
objects that is four full-text queries, and on SQLite each of them ranks with a correlated
subquery that re-runs the FTS match for every matching row (quadratic for a common word).
Here the index is queried once, from the full-text side (FTS5 ``MATCH`` / the GIN index on
``title || body``), and the database does the rest:

* the rows the visitor may see: ``object_id IN (<the queryset>)``, one subquery;
* the order: preferred rows first, then by rank (BM25 on SQLite, ``ts_rank`` on
  PostgreSQL, title weighted by modelsearch's ``title_norm`` as modelsearch does), newest id
  last; with ``LIMIT``/``OFFSET``, so only one page of ids comes back to Python;
* the total for the pager: ``COUNT(*) OVER ()`` in the same query.

The query text is built by modelsearch's own compilers (the vendor backend's
``build_search_query`` / ``build_tsquery``), so the matching rules are modelsearch's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import CombinedExpression, RawSQL
from django.db.models.functions import Cast
from modelsearch.conf import get_app_config
from modelsearch.utils import get_descendants_content_types_pks


@dataclass(frozen=True)
class RankedPage:
    ids: list[int]  # primary keys of the rows of the page, in order
    total: int  # rows matching in all


def _sqlite_hits(compiler, autocomplete: bool) -> QuerySet | None:
    from modelsearch.backends.database.sqlite.query import MatchExpression, normalize

    fts_entry = get_app_config().get_model("SQLiteFTSIndexEntry")

    built = compiler.build_search_query(normalize(compiler.query))
    if built is None:
        return None
    # FTS5's hidden "rank" column is bm25() with the default weights, the function
    # modelsearch ranks with; unlike bm25() it may be read in a query with a window function.
    # Negative, lower is better; modelsearch counts it once for the title (times title_norm:
    # short titles rank higher) and once for the body.
    bm25 = RawSQL(f'{connection.ops.quote_name(fts_entry._meta.db_table)}.rank', [],
                  output_field=FloatField())
    score = bm25 if autocomplete else bm25 * (1.0 + F("index_entry__title_norm"))
    return (fts_entry.objects
            .filter(MatchExpression(compiler.FTS_TABLE_FIELDS, built))
            .filter(index_entry__content_type_id__in=_content_types(compiler))
            .annotate(object_pk=Cast("index_entry__object_id", IntegerField()), score=score))


def _postgres_hits(compiler, config, autocomplete: bool) -> QuerySet | None:
    tsquery = compiler.build_tsquery(compiler.query, config=config)
    if tsquery is None:
        return None
    query = compiler.query
    if autocomplete:
        vector = F("autocomplete")
        score = compiler.build_tsrank(F("autocomplete"), query, config=config)
    else:
        # The same expression as modelsearch's GIN index, so the index serves the match.
        vector = CombinedExpression(F("title"), "||", F("body"))
        score = (compiler.build_tsrank(F("title"), query, config=config) * F("title_norm")
                 + compiler.build_tsrank(F("body"), query, config=config))
    entry = get_app_config().get_model("IndexEntry")
    return (entry.objects.filter(content_type_id__in=_content_types(compiler))
            .alias(_vector_=vector).filter(_vector_=tsquery)
            .annotate(object_pk=Cast("object_id", IntegerField()), score=-score))


def _content_types(compiler) -> list[int]:
    # Served from Django's content type cache after the first search.
    return get_descendants_content_types_pks(compiler.queryset.model)


def ranked_queryset(backend, query, queryset: QuerySet, *, first: Q | None = None,
                    autocomplete: bool = False) -> QuerySet | None:
    """Rows ``(object_pk, total, score)`` of ``queryset`` matching ``query`` (already
    folded), those matching ``first`` before the others, each group by rank; None when the
    query has no words."""
    compiler_class = (backend.autocomplete_query_compiler_class if autocomplete
                      else backend.query_compiler_class)
    compiler = compiler_class(queryset, query)
    if connection.vendor == "postgresql":
        config = backend.autocomplete_config if autocomplete else backend.config
        hits = _postgres_hits(compiler, config, autocomplete)
    else:
        hits = _sqlite_hits(compiler, autocomplete)
    if hits is None:
        return None
    hits = hits.filter(object_pk__in=queryset.values("pk"))
    order = [F("score").asc(), F("object_pk").desc()]  # scores: lower is better on both
    if first is not None:
        preferred = queryset.filter(first).values("pk")
        hits = hits.annotate(preferred=Case(When(object_pk__in=preferred, then=Value(0)),
                                            default=Value(1)))
        order.insert(0, "preferred")
    return (hits.annotate(total=Window(Count("*"))).order_by(*order)
            .values_list("object_pk", "total", "score"))


def ranked_page(backend, query, queryset: QuerySet, *, first: Q | None, start: int,
                stop: int, autocomplete: bool = False) -> RankedPage:
    """Page ``[start:stop]`` of :func:`ranked_queryset`, with the total."""
    ranked = ranked_queryset(backend, query, queryset, first=first, autocomplete=autocomplete)
    if ranked is None or stop <= start:
        return RankedPage([], 0)
    rows = list(ranked[start:stop])
    if rows:
        return RankedPage([pk for pk, _total, _score in rows], rows[0][1])
    # Past the last page (or nothing found): the window had no row to carry the count.
    return RankedPage([], ranked.count() if start else 0)
