"""The public site's page view: Wagtail's, with its routing's first query spared."""

from __future__ import annotations

from wagtail import views as wagtail_views
from wagtail.models import Site


def serve(request, path: str):
    """Wagtail's ``serve`` view, with the site's root page given its class beforehand.

    ``specific_deferred`` (public) makes the root a ``HomePage`` from the row the site's
    lookup already joined; its own fields (the intro) load only when read, i.e. when the
    home page itself is shown, never when a product is routed through it. Wagtail keeps
    the site it found on the request (``Site.find_for_request``), so its routing starts
    from this root and ``.specific`` has nothing left to load."""
    site = Site.find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.specific_deferred
    return wagtail_views.serve(request, path)
