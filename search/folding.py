"""Text folding for search, the way villagers type.

The same function prepares what we index and what visitors type, so that
"ha noi" finds "Hà Nội", "duong bien gioi" finds "đường biên giới" and case never matters.
Tones and other marks are removed from Latin letters only (Vietnamese, Tày, Nùng, Mông…):
Khmer vowel signs are letters of their own and stay. "đ" is a letter, not a letter with an
accent, so Unicode decomposition never folds it; we map it to "d" ourselves.

Scripts written without spaces between words get spaces here, because the database
full-text tokenizers (SQLite FTS5 unicode61, PostgreSQL's parser) split on spaces only:
Chinese is segmented into words with jieba, Khmer into orthographic syllables.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)

HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# A Khmer orthographic syllable: a consonant or independent vowel, then subscript consonants
# (COENG + consonant), dependent vowels and signs.
KHMER_SYLLABLE = re.compile(
    r"[\u1780-\u17b3](?:\u17d2[\u1780-\u17a2]|[\u17b4-\u17d1\u17d3\u17dd])*"
)
KHMER_RUN = re.compile(r"[\u1780-\u17ff]+")
STROKED = str.maketrans({"đ": "d", "Đ": "d", "ƀ": "b", "ɗ": "d", "Ɗ": "d"})


def _is_latin(char: str) -> bool:
    return char < "\u0250" or "\u1e00" <= char <= "\u1eff"


# ASCII white space folds to itself and ends what marks attach to
WORD = re.compile(r"[^ \t\n\r\f\v]+")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip the marks on Latin letters; other scripts keep theirs."""
    # Word by word, each distinct word folded once: a language's texts reuse a few thousand
    # syllables, and a whole page folded character by character costs milliseconds.
    # A word that starts with a loose mark depends on the character before it: such text
    # takes the character-by-character way.
    if any(w[0] > "\x7f" and unicodedata.combining(unicodedata.normalize("NFD", w[0])[0])
           for w in WORD.findall(text)):
        return fold_characters(text)
    return WORD.sub(lambda m: _fold_word(m.group()), text)


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return fold_characters(word)


def fold_characters(text: str) -> str:
    """``fold``, character by character (what the word-by-word way must equal)."""
    decomposed = unicodedata.normalize("NFD", text.translate(STROKED))
    kept: list[str] = []
    base_is_latin = False
    for char in decomposed:
        if unicodedata.combining(char):
            if not base_is_latin:
                kept.append(char)
            continue
        base_is_latin = _is_latin(char)
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)).casefold()


@lru_cache(maxsize=4096)
def _han_words(run: str, for_query: bool) -> str:
    # Indexing uses the search mode (long words plus the shorter words inside them), so a
    # query word is found whether jieba reads the query as one word or as several.
    words = jieba.cut(run, HMM=False) if for_query else jieba.cut_for_search(run, HMM=False)
    return " ".join(w for w in words if w.strip())


def _khmer_syllables(run: str) -> str:
    return " ".join(KHMER_SYLLABLE.findall(run))


def segment(text: str, *, for_query: bool = False) -> str:
    """Put spaces between the words of scripts written without them."""
    text = HAN_RUN.sub(lambda m: f" {_han_words(m.group(), for_query)} ", text)
    return KHMER_RUN.sub(lambda m: f" {_khmer_syllables(m.group())} ", text)


def for_index(text: str) -> str:
    """What the search index stores for ``text``."""
    return segment(fold(text))


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


def for_query(text: str) -> str:
    """A visitor's query, folded and segmented the same way as the index; punctuation (which
    the full-text query syntax would read as operators) becomes space."""
    folded = segment(fold(text), for_query=True)
    cleaned = "".join(c if _is_word_char(c) else " " for c in folded)
    return " ".join(cleaned.split())
