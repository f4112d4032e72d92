"""Search finds what villagers type: 100% recall on the test set, on the database of the run
(SQLite or PostgreSQL) and on the search engine (OpenSearch), from one test."""

from cms.products.search import search_products
from tests.search.recall_set import RECALL_QUERIES
from tests.search_engine import refresh


def test_recall_set_is_big_enough():
    assert len(RECALL_QUERIES) >= 50


def test_every_query_finds_its_product_on_the_first_page(search_backend, recall_library):
    refresh(search_backend)
    missed = []
    for query, key in RECALL_QUERIES:
        expected = recall_library[key]
        language = expected.locale.language_code
        first_page = search_products(query, language=language)[:10]
        if expected.pk not in [page.pk for page in first_page]:
            missed.append((query, key))
    assert missed == [], f"{len(missed)}/{len(RECALL_QUERIES)} missed: {missed}"
    # and folding does not make everything match everything
    assert len(search_products("hoa sen vang", language="vi")) == 0
