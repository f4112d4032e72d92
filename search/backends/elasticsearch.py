"""Elasticsearch (8.x) as the scale-out search backend, with Loa's analyzers
(see ``search.analyzers``). Selected by ``search.config.search_backends`` when the
environment sets ``ELASTICSEARCH_URL``. The cluster needs the ``analysis-icu`` and
``analysis-smartcn`` plugins."""

from __future__ import annotations

from modelsearch.backends.elasticsearch8 import (
    Elasticsearch8Mapping,
    Elasticsearch8SearchBackend,
)

from search.analyzers import analysis_settings


class LoaElasticsearchMapping(Elasticsearch8Mapping):
    # Autocomplete queries are folded by the same analyzer as the index.
    edgengram_analyzer_config = {
        "analyzer": "loa_edgengram",
        "search_analyzer": "loa_folded",
    }


class LoaElasticsearchBackend(Elasticsearch8SearchBackend):
    mapping_class = LoaElasticsearchMapping

    def __init__(self, params: dict):
        params = dict(params)
        params["INDEX_SETTINGS"] = _merge(analysis_settings(), params.get("INDEX_SETTINGS", {}))
        super().__init__(params)


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = (_merge(merged[key], value)
                       if isinstance(value, dict) and isinstance(merged.get(key), dict)
                       else value)
    return merged


SearchBackend = LoaElasticsearchBackend
