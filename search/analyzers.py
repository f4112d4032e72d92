"""The search engine's analysis (OpenSearch), defined with opensearch-py's DSL.

What matches is decided by ``search.folding`` alone, on every backend: documents reach the
engine already folded (case, tones and marks on Latin letters, "đ" → "d") and segmented
(Chinese words by jieba, Khmer syllables), and queries are folded the same way before they
are sent. The engine then only has to cut words where the database tokenizers cut them
(anything that is not a letter, mark or digit) — so no ICU or smartcn plugin is needed and
the engine, SQLite and PostgreSQL find the same products.

* ``loa_words``: the index's default analyzer (every text field modelsearch maps);
* ``loa_edgengram``: ``loa_words`` plus edge n-grams, for autocomplete (searched with
  ``loa_words``, so the typed prefix is one token).
"""

from __future__ import annotations

from opensearchpy.helpers.analysis import analyzer, token_filter, tokenizer

# Java regex: a run of characters that are not letters, combining marks (Khmer vowel signs
# are marks) or digits.
words = tokenizer("loa_words", type="pattern", pattern=r"[^\p{L}\p{M}\p{N}]+")
edge_ngram = token_filter("loa_edge_ngram", type="edge_ngram", min_gram=1, max_gram=20)

loa_words = analyzer("loa_words", tokenizer=words, filter=["lowercase"])
loa_edgengram = analyzer("loa_edgengram", tokenizer=words, filter=["lowercase", edge_ngram])

ANALYZERS = (loa_words, loa_edgengram)


def analysis_settings() -> dict:
    """The index settings: our analyzers, ``loa_words`` as the default of every text field;
    one shard and no replica (a single node keeps every index green)."""
    analysis: dict = {}
    for item in ANALYZERS:
        for section, definitions in item.get_analysis_definition().items():
            analysis.setdefault(section, {}).update(definitions)
    analysis["analyzer"]["default"] = analysis["analyzer"]["loa_words"]
    # modelsearch's own autocomplete analyzer name, redefined without its ASCII folding
    # (the text is folded already; ASCII folding would also strip Khmer-unrelated letters).
    analysis["analyzer"]["edgengram_analyzer"] = analysis["analyzer"]["loa_edgengram"]
    return {"settings": {"analysis": analysis,
                         "index": {"number_of_shards": 1, "number_of_replicas": 0}}}
