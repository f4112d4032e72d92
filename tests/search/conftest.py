import pytest

from tests.elibrary.factories import add_product, enable_languages, section_in
from tests.search.recall_set import PRODUCTS


@pytest.fixture
def recall_library(province, settings) -> dict:
    """Every product of the recall set, published, keyed like the set."""
    enable_languages(settings)
    section = province.department.section_page
    return {
        key: add_product(section_in(section, language), title=title, text=text)
        for key, (language, title, text) in PRODUCTS.items()
    }
