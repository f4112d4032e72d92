from wagtail import hooks

from .page_cache import serve_from_cache

# order=100: inside Wagtail's own view-restriction check (order 0), so a cached page is only
# ever answered to a request that may see it.
hooks.register("on_serve_page", serve_from_cache, order=100)
