"""The peer of ``bench search_elibrary``: a bakerydemo-style standard page (a plain Wagtail
page type: introduction, image, StreamField body) searched with Wagtail's default database
backend. Installed only in the benchmark's peer process (``settings``), never in the site."""
