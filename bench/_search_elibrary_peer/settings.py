"""Settings of the peer process: the project's test settings, the peer page type, and
Wagtail's default search backend (modelsearch's database backend, no folding)."""

from cms.settings.test import *  # noqa: F403
from cms.settings.test import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench._search_elibrary_peer"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
