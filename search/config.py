"""Which search backend a deployment uses; read by the settings (no Django imports here)."""

from __future__ import annotations


def search_backends(elasticsearch_url: str = "", index_prefix: str = "loa_") -> dict:
    """``WAGTAILSEARCH_BACKENDS``: the database with our folding by default, Elasticsearch
    (our analyzers) when ``elasticsearch_url`` is given."""
    if elasticsearch_url:
        return {
            "default": {
                "BACKEND": "search.backends.elasticsearch",
                "URLS": [elasticsearch_url],
                "INDEX_PREFIX": index_prefix,
                "TIMEOUT": 10,
            }
        }
    return {"default": {"BACKEND": "search.backends.database"}}
