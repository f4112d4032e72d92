from collections.abc import Iterator
from io import StringIO

import pytest

from search.config import PUBLIC_BACKEND
from search.public import public_backend
from tests.elibrary.factories import add_product, enable_languages, section_in
from tests.search.recall_set import PRODUCTS
from tests.search_engine import engine_settings, search_node


@pytest.fixture
def recall_library(province, settings) -> dict:
    """Every product of the recall set, published, keyed like the set."""
    enable_languages(settings)
    section = province.department.section_page
    return {
        key: add_product(section_in(section, language), title=title, text=text)
        for key, (language, title, text) in PRODUCTS.items()
    }


@pytest.fixture(scope="session")
def search_engine_url() -> Iterator[str]:
    with search_node() as url:
        yield url


@pytest.fixture
def engine(settings, search_engine_url, db):
    """The e-library's search on the engine, with empty indexes of this test's own; the
    admin's default backend stays the database."""
    from django.core.management import call_command

    settings.WAGTAILSEARCH_BACKENDS, prefix = engine_settings(search_engine_url)
    backend = public_backend()
    call_command("update_index", backend_name=PUBLIC_BACKEND, stdout=StringIO())
    yield backend
    # concrete names: a rebuilt index sits behind an alias of the plain name
    for name in backend.es.indices.get(index=f"{prefix}*"):
        backend.es.indices.delete(index=name)


@pytest.fixture(params=["database", "engine"])
def search_backend(request) -> str:
    """Each test that takes it runs on the database of the run and on the engine."""
    if request.param == "engine":
        request.getfixturevalue("engine")
    return request.param

