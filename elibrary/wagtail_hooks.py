from wagtail import hooks

from .page_cache import keep_rendered

# order=100: inside Wagtail's own view-restriction check (order 0), so only a render a
# visitor was allowed to see is kept.
hooks.register("on_serve_page", keep_rendered, order=100)
