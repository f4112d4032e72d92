"""The nginx side of ``LOA_MEDIA_SERVE_METHOD = "nginx"``, written once: the deployment
command prints it, and the nginx tests, the production-shape test and the download benchmark
run exactly this text.

Station downloads take the cheap gate (stations.gate): nginx asks the application with
``auth_request``, keeps a yes for ``LOA_STATION_GATE_SECONDS`` per key and URL, sends the
file from an internal location and logs the download in its access log (format
``loa_downloads``; ``manage.py ingest_downloads`` reads it). Anything the gate does not pass
goes to the download view itself (the ``@loa_app`` location).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from media_pipeline.profiles import PROFILES, STATION_AUDIO_PROFILES

from . import catalogue

# One line per download the gate passed; tab-separated, read by stations.download_log.
LOG_FIELDS = ("$request_id", "$msec", "$request_time", "$loa_station", "$loa_bulletin",
              "$loa_profile", "$request_method", "$status", "$body_bytes_sent",
              "$sent_http_content_range", "$loa_size", "$remote_addr", "$http_user_agent")
UPSTREAM = "loa_app"


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


def _station_types() -> str:
    """Content types of the station files by extension (nginx, not the application, now
    answers for them)."""
    by_type: dict[str, set[str]] = {}
    for name in (*STATION_AUDIO_PROFILES, catalogue.ALTERNATE_PROFILE):
        profile = PROFILES[name]
        by_type.setdefault(profile.mime_type, set()).update({profile.extension,
                                                             profile.container})
    return " ".join(f"{mime} {' '.join(sorted(exts))};" for mime, exts in sorted(by_type.items()))


def gate_cache_directives(seconds: int) -> str:
    """With ``LOA_STATION_GATE_SECONDS`` > 0, nginx keeps the gate's answers that long per key
    and URL (fewer questions, but a revoked key or an unpublished bulletin is then refused up
    to that long later); 0, the default, asks on every request."""
    if not seconds:
        return ""
    return (
        "  proxy_cache loa_gate;\n"
        "  proxy_cache_key \"$request_uri|$http_authorization\";\n"
        # A 403 only means "ask the view", so keeping it is harmless (the view decides
        # afresh) and it replaces a yes at once when a key is revoked.
        f"  proxy_cache_valid 200 403 {seconds}s;\n"
        # Many requests for the same answer: one question; the rest wait for it (a new
        # answer) or keep the old one while it is asked again (an expired answer).
        "  proxy_cache_lock on;\n"
        "  proxy_cache_use_stale updating;\n"
        "  proxy_ignore_headers Cache-Control Expires Set-Cookie Vary X-Accel-Expires;\n"
    )


def gate_locations(*, media_root: str, s3_endpoint: str, download_log: str) -> str:
    """The station download URL behind ``auth_request``, the internal location that sends
    its file, and the gate question itself (cached, never reachable from outside)."""
    prefix = settings.LOA_STATION_GATE_PREFIX
    seconds = settings.LOA_STATION_GATE_SECONDS
    answers = ("target", "station", "bulletin", "profile", "size", "whole", "disposition",
               "csp", "repr_digest", "digest")
    if s3_endpoint:
        parts = urlsplit(s3_endpoint)
        source = (f"  proxy_pass {parts.scheme}://{parts.netloc}/;\n"
                  f"  proxy_set_header Host {parts.netloc};\n"
                  "  proxy_set_header Authorization \"\";\n"
                  "  proxy_set_header Cookie \"\";\n"
                  "  proxy_hide_header Set-Cookie;\n"
                  "  proxy_buffering off;\n")
    else:
        source = (f"  alias {str(media_root).rstrip('/')}/;\n"
                  f"  types {{ {_station_types()} }}\n"
                  "  default_type application/octet-stream;\n")
    return (
        "location ~ ^/stations/[0-9]+/bulletins/ {\n"
        "  auth_request /loa-gate;\n"
        + "".join(f"  auth_request_set $loa_{name} $upstream_http_x_loa_{name};\n"
                  for name in answers)
        +
        # 401/403 from the gate: the download view answers (its status, its message).
        "  error_page 401 403 = @loa_app;\n"
        # Runs after the access phase, so it sees the gate's answer: never a file there,
        # hence an internal redirect to the file's location.
        "  try_files /.loa-gate-passed $loa_target;\n"
        "}\n"
        f"location {prefix} {{\n"
        "  internal;\n"
        + source +
        # `curl -C -` on a file it holds whole: the view answers 200, nginx would say 416.
        "  set $loa_resume \"$http_range|$http_if_range\";\n"
        "  if ($loa_resume = \"$loa_whole|\") { return 418; }\n"
        "  error_page 418 = @loa_app;\n"
        "  add_header Content-Disposition $loa_disposition;\n"
        "  add_header Content-Security-Policy $loa_csp;\n"
        "  add_header X-Content-Type-Options nosniff;\n"
        "  add_header Cache-Control \"private, no-store\";\n"
        "  add_header Repr-Digest $loa_repr_digest;\n"
        "  add_header Digest $loa_digest;\n"
        f"  access_log {download_log} loa_downloads;\n"
        "}\n"
        "location = /loa-gate {\n"
        "  internal;\n"
        f"  proxy_pass http://{UPSTREAM}/stations/gate;\n"
        "  proxy_http_version 1.1;\n"
        "  proxy_set_header Connection \"\";\n"
        "  proxy_pass_request_body off;\n"
        "  proxy_set_header Content-Length \"\";\n"
        "  proxy_set_header Host $host;\n"
        "  proxy_set_header X-Original-URI $request_uri;\n"
        "  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        + gate_cache_directives(seconds) +
        "}\n"
        "location = /stations/gate { return 404; }\n"
        "location @loa_app {\n"
        f"  proxy_pass http://{UPSTREAM}$request_uri;\n"
        "  proxy_http_version 1.1;\n"
        "  proxy_set_header Connection \"\";\n"
        "  proxy_set_header Host $host;\n"
        "  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        "}\n"
    )


def http_directives(*, upstream: str, gate_cache: str) -> str:
    """What must stand in nginx's ``http {}`` beside the server (a site file in
    /etc/nginx/sites-enabled/ is read there): the application, the gate's cache (in memory
    for the keys, files for the answers, which hold a station's key in their cache key:
    gone a minute after last use) and the download log's format."""
    seconds = settings.LOA_STATION_GATE_SECONDS
    log_format = "\\t".join(LOG_FIELDS)
    cache = (f"proxy_cache_path {gate_cache} levels=1:2 keys_zone=loa_gate:4m "
             f"inactive={max(seconds * 2, 60)}s max_size=64m;\n" if seconds else "")
    return (
        # Idle connections to the application kept per nginx worker: a burst of gate
        # questions reuses them (gunicorn keeps them 75 s, longer than nginx's 60 s).
        f"upstream {UPSTREAM} {{\n  server {upstream};\n  keepalive 64;\n"
        "  keepalive_timeout 60s;\n}\n"
        + cache +
        f"log_format loa_downloads '{log_format}';\n"
    )


def server_block(*, listen: str, media_root: str, upstream: str, extra: str = "",
                 prefix: str | None = None, s3_endpoint: str = "",
                 download_log: str = "", gate_cache: str = "") -> str:
    """The whole site: the ``http {}`` directives above, then a ``server {}`` with the
    station gate, protected media as above (from the media folder, or from the bucket
    behind ``s3_endpoint``), everything else to the application."""
    media = (protected_s3_location(s3_endpoint, prefix) if s3_endpoint
             else protected_media_location(media_root, prefix))
    gate = gate_locations(media_root=media_root, s3_endpoint=s3_endpoint,
                          download_log=download_log or settings.LOA_STATION_DOWNLOAD_LOG)
    body = (
        f"listen {listen};\n"
        f"{extra}"
        f"{gate}"
        f"{media}"
        "location / {\n"
        f"  proxy_pass http://{UPSTREAM};\n"
        "  proxy_http_version 1.1;\n"
        "  proxy_set_header Connection \"\";\n"
        "  proxy_set_header Host $host;\n"
        "  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        "}\n"
    )
    return (http_directives(upstream=upstream,
                            gate_cache=gate_cache or settings.LOA_STATION_GATE_CACHE)
            + "server {\n" + "".join(f"  {line}\n" for line in body.splitlines()) + "}\n")
