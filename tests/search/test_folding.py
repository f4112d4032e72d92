"""The folding that makes "ha noi" find "Hà Nội": the same for the index and the query."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search import folding
from search.analyzers import analysis_settings
from search.config import search_backends


@pytest.mark.parametrize(("text", "folded"), [
    ("Hà Nội", "ha noi"),
    ("ĐƯỜNG BIÊN GIỚI", "duong bien gioi"),
    ("Đà Nẵng", "da nang"),
    ("No\u0302\u0323i", "noi"),  # typed with combining marks (decomposed input)
    ("Pỉ noọng Tày slẳng bản mường", "pi noong tay slang ban muong"),
    ("ខេត្តសុកត្រាំង", "ខេត្តសុកត្រាំង"),  # Khmer keeps its vowel signs
])
def test_fold(text, folded):
    assert folding.fold(text) == folded


# Latin letters with and without marks, loose marks, white space of every kind, other scripts
TEXTS = st.text(st.one_of(
    st.sampled_from("aeiouđĐ ÂâƯư\u0300\u0301\u0302\u0303\u0309\u0323 \t\n\u00a0\u2000\u3000"),
    st.characters()))


@given(TEXTS)
def test_folding_word_by_word_equals_folding_character_by_character(text):
    assert folding.fold(text) == folding.fold_characters(text)


def test_chinese_is_segmented_into_words_for_the_index_and_the_query():
    indexed = folding.for_index("谅山省各族人民共同守护边境").split()
    assert {"谅山", "各族人民", "人民", "边境"} <= set(indexed)
    assert folding.for_query("守护边境") == "守护 边境"


def test_queries_lose_the_punctuation_full_text_syntax_would_misread():
    assert folding.for_query('"Hà Nội" OR (Đà-Nẵng)*') == "ha noi or da nang"


def test_the_engine_is_the_public_backend_only_when_configured():
    assert search_backends("") == {"default": {"BACKEND": "search.backends.database"}}
    backends = search_backends("http://127.0.0.1:9250")
    assert backends["default"]["BACKEND"] == "search.backends.database"  # the admin's
    assert backends["public"]["BACKEND"] == "search.backends.opensearch"
    analysis = analysis_settings()["settings"]["analysis"]
    # the engine only cuts words: folding and segmenting happen before, as for the databases
    assert analysis["analyzer"]["default"]["filter"] == ["lowercase"]
    assert analysis["tokenizer"]["loa_words"]["type"] == "pattern"
