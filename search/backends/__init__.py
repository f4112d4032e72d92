"""Search backends for WAGTAILSEARCH_BACKENDS: ``search.backends.database`` (the embedded
default, with our folding) and ``search.backends.opensearch`` (scale-out)."""
