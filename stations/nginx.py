"""The nginx side of ``LOA_MEDIA_SERVE_METHOD = "nginx"``, written once: the deployment
command prints it, and the nginx test and the download benchmark run exactly this text."""

from __future__ import annotations

from django.conf import settings


def protected_media_location(media_root: str, prefix: str | None = None) -> str:
    """The X-Accel-Redirect target: internal only (a URL typed by a visitor gets 404), the
    files under MEDIA_ROOT, and the checksum and caching headers the application chose."""
    prefix = prefix or settings.LOA_MEDIA_ACCEL_PREFIX
    return (
        f"location {prefix} {{\n"
        "  internal;\n"
        f"  alias {str(media_root).rstrip('/')}/;\n"
        "  add_header Repr-Digest $upstream_http_repr_digest;\n"
        "  add_header Digest $upstream_http_digest;\n"
        "  add_header Cache-Control $upstream_http_cache_control;\n"
        "}\n"
    )


def server_block(*, listen: str, media_root: str, upstream: str, extra: str = "",
                 prefix: str | None = None) -> str:
    """A whole ``server {}``: protected media as above, everything else to the application."""
    body = (
        f"listen {listen};\n"
        f"{extra}"
        f"{protected_media_location(media_root, prefix)}"
        "location / {\n"
        f"  proxy_pass http://{upstream};\n"
        "  proxy_set_header Host $host;\n"
        "  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        "}\n"
    )
    return "server {\n" + "".join(f"  {line}\n" for line in body.splitlines()) + "}\n"
