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
    OpenSearch2Index,
    OpenSearch2Mapping,
    OpenSearch2SearchBackend,
    OpenSearch2SearchQueryCompiler,
)
from opensearchpy.exceptions import ConnectionError as EngineConnectionError
from opensearchpy.exceptions import RequestError, TransportError

from search import catch_up, folding, visibility
from search.analyzers import analysis_settings
from search.backends.database import fold_query
from search.backends.ranking import RankedPage
from search.tasks import schedule_catch_up

# Added to the score of the visitor's language: BM25 scores stay far below it.
PREFERRED_BOOST = 1_000_000.0


def engine_unavailable(error: Exception) -> bool:
    """Down, unreachable, too slow or overloaded — worth trying again later; a refused
    request (a bad query or mapping) is not."""
    if isinstance(error, EngineConnectionError):  # refused, reset, timed out
        return True
    status = getattr(error, "status_code", None)
    return isinstance(error, TransportError) and (status == 429 or (
        isinstance(status, int) and status >= 500))


# Document keys that are not text to search: kept exactly as modelsearch writes them.
_NOT_TEXT = {"pk", "_django_content_type"}


def _fold_document(value):
    """Every text of a document folded and segmented as the databases store it; filter
    fields (``…_filter``: paths, ids, dates) untouched."""
    if isinstance(value, str):
        return folding.for_index(value)
    if isinstance(value, list):
        return [_fold_document(item) for item in value]
    if isinstance(value, dict):
        return {key: item if key in _NOT_TEXT or key.endswith("_filter") else _fold_document(item)
                for key, item in value.items()}
    return value


class LoaOpenSearchMapping(OpenSearch2Mapping):
    # Autocomplete: edge n-grams of the folded words, the typed prefix read as one word.
    edgengram_analyzer_config = {"analyzer": "loa_edgengram", "search_analyzer": "loa_words"}

    def get_document(self, obj) -> dict:
        return _fold_document(super().get_document(obj))


# (index name, model) pairs whose mapping this process has put; put_mapping is idempotent.
_MAPPED: set[tuple[str, type]] = set()


class LoaOpenSearchIndex(OpenSearch2Index):
    """Stores only what the public may see: saving a draft, an unpublished or a private
    page removes it (``update_index`` and the background jobs both come through here).

    A background job's write that the engine cannot take is remembered and applied when it
    answers again (``search.catch_up``); ``update_index`` (``add_items``) fails instead."""

    def add_item(self, item) -> None:
        if not visibility.is_public(item):
            self.delete_item(item)
            return
        try:
            self.ensure_ready(type(item))
            super().add_item(item)
        except Exception as error:
            if not engine_unavailable(error):
                raise
            catch_up.remember(item)
            return
        schedule_catch_up()

    def ensure_ready(self, model) -> None:
        """A new installation's first write, before anyone ran ``update_index``: create the
        index with our analysis and the model's mapping, instead of letting the engine guess
        one (its dynamic mapping makes ``pk`` a text field and every search fails)."""
        if not self.exists():
            try:
                self.put()
            except RequestError as error:
                if error.error != "resource_already_exists_exception":
                    raise  # another worker created it first: fine
        key = (self.name, model)
        if key not in _MAPPED:
            self.add_model(model)
            _MAPPED.add(key)

    def delete_item(self, item) -> None:
        try:
            super().delete_item(item)
        except Exception as error:
            if not engine_unavailable(error):
                raise
            catch_up.remember(item)
            return
        schedule_catch_up()

    def add_items(self, model, items) -> None:
        shown, hidden = visibility.split(model, list(items))
        if shown:
            super().add_items(model, shown)
        if hidden:  # drafts and private pages: remove entries left from before, if any
            mapping = self.mapping_class(model)
            self.backend.bulk(self.es, [{"_op_type": "delete", "_id": mapping.get_document_id(i)}
                                        for i in hidden], index=self.name, raise_on_error=False)


class LoaOpenSearchQueryCompiler(OpenSearch2SearchQueryCompiler):
    mapping_class = LoaOpenSearchMapping
    DEFAULT_OPERATOR = "and"


class LoaOpenSearchAutocompleteQueryCompiler(OpenSearch2AutocompleteQueryCompiler):
    mapping_class = LoaOpenSearchMapping
    DEFAULT_OPERATOR = "and"


class LoaOpenSearchBackend(OpenSearch2SearchBackend):
    mapping_class = LoaOpenSearchMapping
    index_class = LoaOpenSearchIndex
    query_compiler_class = LoaOpenSearchQueryCompiler
    autocomplete_query_compiler_class = LoaOpenSearchAutocompleteQueryCompiler
    # ranked_page reads "the visitor's language" as a narrower queryset (cms.products.search).
    prefers_queryset = True

    @staticmethod
    def is_unavailable(error: Exception) -> bool:
        """The e-library searches the database instead (``cms.products.search``)."""
        return engine_unavailable(error)

    def __init__(self, params: dict):
        params = dict(params)
        # seconds a visitor's search may take before the database answers instead
        self.search_timeout = float(params.pop("SEARCH_TIMEOUT", 3))
        params["INDEX_SETTINGS"] = _merge(analysis_settings(), params.get("INDEX_SETTINGS", {}))
        super().__init__(params)

    # --- queries ------------------------------------------------------------------------
    def search(self, query, model_or_queryset, **kwargs):
        return super().search(fold_query(query), model_or_queryset, **kwargs)

    def autocomplete(self, query, model_or_queryset, **kwargs):
        return super().autocomplete(fold_query(query), model_or_queryset, **kwargs)

    def ranked_page(self, query: str, queryset: QuerySet, *, first: QuerySet | None,
                    start: int, stop: int, autocomplete: bool = False,
                    only_ids: list[int] | None = None) -> RankedPage:
        """Page ``[start:stop]`` of ``queryset`` matching ``query``, the rows of ``first``
        (a narrower queryset: the visitor's language) before the others, and the total;
        ``only_ids`` narrows to those rows (a topic's products)."""
        folded = folding.for_query(query)
        if not folded or stop <= start:
            return RankedPage([], 0)
        compiler_class = (self.autocomplete_query_compiler_class if autocomplete
                          else self.query_compiler_class)
        body_query = compiler_class(queryset, folded).get_query()
        if only_ids is not None:
            body_query = {"bool": {"must": body_query,
                                   "filter": {"terms": {"pk": [str(i) for i in only_ids]}}}}
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
            request_timeout=self.search_timeout,
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
