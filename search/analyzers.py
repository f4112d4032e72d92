"""Elasticsearch analysis for Loa, defined with elasticsearch-dsl.

* ``loa_folded``: ICU tokenizer (dictionary word breaks for Chinese, Khmer, Lao, Thai;
  Unicode rules elsewhere) + a char filter for "đ"/"Đ" + ICU folding (case and marks, so
  "ha noi" meets "Hà Nội"). Needs the ``analysis-icu`` plugin.
* ``loa_chinese``: the smartcn Chinese tokenizer + ICU folding, for Chinese text fields
  (``analysis-smartcn`` plugin).
* ``loa_edgengram``: ``loa_folded`` plus edge n-grams, for autocomplete.
"""

from __future__ import annotations

from elasticsearch_dsl import analyzer, char_filter, token_filter

d_stroke = char_filter("loa_d_stroke", type="mapping", mappings=["đ => d", "Đ => D"])
edge_ngram = token_filter("loa_edge_ngram", type="edge_ngram", min_gram=1, max_gram=15)

loa_folded = analyzer(
    "loa_folded", tokenizer="icu_tokenizer", char_filter=[d_stroke],
    filter=["icu_folding", "lowercase"],
)
loa_chinese = analyzer(
    "loa_chinese", tokenizer="smartcn_tokenizer", char_filter=[d_stroke],
    filter=["icu_folding", "lowercase"],
)
loa_edgengram = analyzer(
    "loa_edgengram", tokenizer="icu_tokenizer", char_filter=[d_stroke],
    filter=["icu_folding", "lowercase", edge_ngram],
)

ANALYZERS = (loa_folded, loa_chinese, loa_edgengram)


def analysis_settings() -> dict:
    """The ``settings.analysis`` block: our analyzers, with ``loa_folded`` as the index's
    default so that every text field modelsearch maps is folded and segmented."""
    analysis: dict = {}
    for item in ANALYZERS:
        for section, definitions in item.get_analysis_definition().items():
            analysis.setdefault(section, {}).update(definitions)
    analysis["analyzer"]["default"] = analysis["analyzer"]["loa_folded"]
    # modelsearch's own autocomplete analyzer name, redefined with folding.
    analysis["analyzer"]["edgengram_analyzer"] = analysis["analyzer"]["loa_edgengram"]
    return {"settings": {"analysis": analysis}}
