"""OpenSearch (2.x) as the scale-out search backend: modelsearch's ``opensearch2`` backend
with Loa's folding on both sides (``search.folding``) and the plain word analyzers of
``search.analyzers``. Selected by ``search.config.search_backends`` when the environment sets
``OPENSEARCH_URL``.

* Documents are folded and segmented in Python before they are sent, queries before they
  are compiled: the engine finds what the databases find.
* Words are joined with AND, as on the databases ("hoa sen vang" must not find every
  product with "hoa" in it).
* Only what the public may see is stored: a draft, an unpublished or a private product is
  removed from the index when it is saved, never added (``search.visibility``).
* A result page is one request (``ranked_page``): the visitor's language first through a
  constant score far above any relevance score, then relevance, with the total.
"""

from __future__ import annotations

from django.db.models import QuerySet
from modelsearch.backends.opensearch2 import (
    OpenSearch2AutocompleteQueryCompiler,
    OpenSearch2Mapping,
    OpenSearch2SearchBackend,
    OpenSearch2SearchQueryCompiler,
)
from modelsearch.index import AutocompleteField, SearchField

from search import folding, visibility
from search.analyzers import analysis_settings
from search.backends.database import fold_query
from search.backends.ranking import RankedPage

# Added to the score of the visitor's language: BM25 scores stay far below it.
PREFERRED_BOOST = 1_000_000.0


def _fold_value(value):
    if isinstance(value, str):
        return folding.for_index(value)
    if isinstance(value, (list, tuple)):
        return [_fold_value(item) for item in value]
    return value


class LoaOpenSearchMapping(OpenSearch2Mapping):
    # Autocomplete: edge n-grams of the folded words, the typed prefix read as one word.
    edgengram_analyzer_config = {"analyzer": "loa_edgengram", "search_analyzer": "loa_words"}

    def _get_document_field_data(self, field, obj):
        # modelsearch's one hook per field (nested fields such as a product's topics too).
        name, value, edgengrams = super()._get_document_field_data(field, obj)
        if isinstance(field, (SearchField, AutocompleteField)):
            return name, _fold_value(value), [_fold_value(e) for e in edgengrams]
        return name, value, edgengrams


class LoaOpenSearchQueryCompiler(OpenSearch2SearchQueryCompiler):
    mapping_class = LoaOpenSearchMapping
    DEFAULT_OPERATOR = "and"


class LoaOpenSearchAutocompleteQueryCompiler(OpenSearch2AutocompleteQueryCompiler):
    mapping_class = LoaOpenSearchMapping
    DEFAULT_OPERATOR = "and"


class LoaOpenSearchBackend(OpenSearch2SearchBackend):
    mapping_class = LoaOpenSearchMapping
    query_compiler_class = LoaOpenSearchQueryCompiler
    autocomplete_query_compiler_class = LoaOpenSearchAutocompleteQueryCompiler
    # ranked_page reads "the visitor's language" as a narrower queryset (search.products).
    prefers_queryset = True

    def __init__(self, params: dict):
        params = dict(params)
        params["INDEX_SETTINGS"] = _merge(analysis_settings(), params.get("INDEX_SETTINGS", {}))
        super().__init__(params)

    # --- what is stored: only what the public may see -------------------------------------
    def add(self, obj) -> None:
        if visibility.is_public(obj):
            super().add(obj)
        else:
            self.delete(obj)

    def add_bulk(self, model, obj_list) -> None:
        shown, hidden = visibility.split(model, list(obj_list))
        if shown:
            super().add_bulk(model, shown)
        for obj in hidden:
            self.delete(obj)

    # --- queries ------------------------------------------------------------------------
    def search(self, query, model_or_queryset, **kwargs):
        return super().search(fold_query(query), model_or_queryset, **kwargs)

    def autocomplete(self, query, model_or_queryset, **kwargs):
        return super().autocomplete(fold_query(query), model_or_queryset, **kwargs)

    def ranked_page(self, query: str, queryset: QuerySet, *, first: QuerySet | None,
                    start: int, stop: int, autocomplete: bool = False) -> RankedPage:
        """Page ``[start:stop]`` of ``queryset`` matching ``query``, the rows of ``first``
        (a narrower queryset: the visitor's language) before the others, and the total."""
        folded = folding.for_query(query)
        if not folded or stop <= start:
            return RankedPage([], 0)
        compiler_class = (self.autocomplete_query_compiler_class if autocomplete
                          else self.query_compiler_class)
        body_query = compiler_class(queryset, folded).get_query()
        if first is not None:
            preferred = compiler_class(first, folded).get_filters()
            body_query = {"bool": {"must": body_query, "should": [
                {"constant_score": {"filter": {"bool": {"filter": preferred}},
                                    "boost": PREFERRED_BOOST}}]}}
        answer = self.es.search(
            index=self.get_index_for_model(queryset.model).name,
            body={"query": body_query, "from": start, "size": stop - start,
                  "sort": ["_score", {"pk": "desc"}], "_source": False,
                  "track_total_hits": True},
        )
        hits = answer["hits"]
        return RankedPage([int(hit["_id"]) for hit in hits["hits"]], hits["total"]["value"])


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = (_merge(merged[key], value)
                       if isinstance(value, dict) and isinstance(merged.get(key), dict)
                       else value)
    return merged


SearchBackend = LoaOpenSearchBackend
