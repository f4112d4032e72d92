"""Which search backends a deployment uses; read by the settings (no Django imports here)."""

from __future__ import annotations

# The e-library's public search reads this backend when it is configured.
PUBLIC_BACKEND = "public"


def search_backends(engine_url: str = "", index_prefix: str = "loa_") -> dict:
    """``WAGTAILSEARCH_BACKENDS``: the database with our folding as ``default`` (the admin's
    search, drafts included); with ``engine_url`` also OpenSearch as ``public``: the
    e-library's search, holding only what the public may see."""
    backends: dict = {"default": {"BACKEND": "search.backends.database"}}
    if engine_url:
        backends[PUBLIC_BACKEND] = {
            "BACKEND": "search.backends.opensearch",
            "URLS": [engine_url],
            "INDEX_PREFIX": index_prefix,
            "TIMEOUT": 30,  # index writes (a bulk of a thousand, creating an index)
            "SEARCH_TIMEOUT": 3,  # then the e-library searches the database
            "OPTIONS": {"max_retries": 1},
        }
    return backends
