"""Elasticsearch as the scale-out backend, against a real cluster (with the analysis-icu and
analysis-smartcn plugins). Runs only when ELASTICSEARCH_URL is set."""

import os
import uuid

import pytest

from cms.products.search import search_products
from search.config import search_backends
from tests.search.recall_set import RECALL_QUERIES

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
pytestmark = pytest.mark.skipif(
    not ELASTICSEARCH_URL,
    reason="ELASTICSEARCH_URL is not set: no Elasticsearch cluster to test against",
)


@pytest.fixture
def elasticsearch(settings):
    settings.WAGTAILSEARCH_BACKENDS = search_backends(
        ELASTICSEARCH_URL, index_prefix=f"loa_test_{uuid.uuid4().hex[:8]}_")
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    yield backend
    for index in backend.es.indices.get(index=f"{backend.index_prefix}*"):
        backend.es.indices.delete(index=index)


def test_recall_set_on_elasticsearch(elasticsearch, recall_library):
    from django.core.management import call_command

    call_command("update_index", verbosity=0)
    elasticsearch.refresh_indexes()
    missed = [(q, key) for q, key in RECALL_QUERIES
              if recall_library[key].pk not in [
                  p.pk for p in search_products(
                      q, language=recall_library[key].locale.language_code)[:10]]]
    assert missed == []
