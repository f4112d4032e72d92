"""The nginx side of ``LOA_MEDIA_SERVE_METHOD = "nginx"``, written once: the deployment
command prints it, and the nginx test and the download benchmark run exactly this text."""

from __future__ import annotations

from urllib.parse import urlsplit

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


def protected_s3_location(endpoint: str, prefix: str | None = None) -> str:
    """The X-Accel-Redirect target when the media are in an S3 bucket: the application
    redirects to the prefix followed by a presigned URL's path and query, and nginx fetches
    it from the store and streams it (Range and If-Range go along; S3 answers them). The
    Host header is the one the URL was signed for. The application's checksum header does
    not survive this hop; stations check the SHA-256 their feed gives."""
    prefix = prefix or settings.LOA_MEDIA_ACCEL_PREFIX
    parts = urlsplit(endpoint)
    return (
        f"location {prefix} {{\n"
        "  internal;\n"
        f"  proxy_pass {parts.scheme}://{parts.netloc}/;\n"
        f"  proxy_set_header Host {parts.netloc};\n"
        "  proxy_set_header Authorization \"\";\n"
        "  proxy_set_header Cookie \"\";\n"
        "  proxy_hide_header Set-Cookie;\n"
        "  proxy_buffering off;\n"
        "}\n"
    )


def server_block(*, listen: str, media_root: str, upstream: str, extra: str = "",
                 prefix: str | None = None, s3_endpoint: str = "") -> str:
    """A whole ``server {}``: protected media as above (from the media folder, or from the
    bucket behind ``s3_endpoint``), everything else to the application."""
    media = (protected_s3_location(s3_endpoint, prefix) if s3_endpoint
             else protected_media_location(media_root, prefix))
    body = (
        f"listen {listen};\n"
        f"{extra}"
        f"{media}"
        "location / {\n"
        f"  proxy_pass http://{upstream};\n"
        "  proxy_set_header Host $host;\n"
        "  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        "}\n"
    )
    return "server {\n" + "".join(f"  {line}\n" for line in body.splitlines()) + "}\n"
