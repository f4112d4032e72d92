"""Search backends for WAGTAILSEARCH_BACKENDS: ``search.backends.database`` (the embedded
default, with our folding) and ``search.backends.elasticsearch`` (scale-out)."""
