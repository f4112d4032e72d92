"""The public address of the site, from one setting: ``LOA_BASE_URL`` (Django setting
``WAGTAILADMIN_BASE_URL``). Wagtail builds every page's absolute URL (feed ``<link>``s,
OAI identifiers, bag metadata) from its default Site's hostname and port, so the Site is
set to that address; a Site left at localhost:80 while the server runs on :8000 hands out
links that lead nowhere."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Site


def base_address() -> tuple[str, int]:
    """Hostname and port of LOA_BASE_URL (the scheme's default port when none is given)."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


def set_default_site_address() -> Site | None:
    """Point the default Site at LOA_BASE_URL; None when there is no default Site yet."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    hostname, port = base_address()
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save()
    return site
