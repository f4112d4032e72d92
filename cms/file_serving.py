"""One way to hand a stored file to a browser, a player or a station: RFC 9110 byte
ranges and conditional requests, strong content-derived validators, a checksum, and a
Content-Type / Content-Disposition decided by what the file is.

Used by ``/media/`` (cms.products.media_access), Wagtail's ``/documents/`` (through the
``before_serve_document`` hook) and the stations' downloads, so all three answer the same
way to the same headers.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe

CHUNK = 64 * 1024

# What a player or an <img> reads from the site's own pages: served inline. Everything
# else (PDF, office files, text, anything unknown) leaves as an attachment, so that no
# stored file is ever rendered as a document on the site's origin.
INLINE_TYPES = ("audio/", "video/", "image/jpeg", "image/png", "image/webp", "image/avif",
                "image/gif", "application/vnd.apple.mpegurl", "application/x-mpegurl")

# The policy sent with every stored file (also set by the CSP settings for /media/ and
# /documents/): even if a browser were made to render one, nothing in it could run.
FILE_CSP = "default-src 'none'; sandbox"

# RFC 9110 14.1.1: ranges-specifier = range-unit "=" range-set. Only ASCII digits count
# (str.isdigit() also accepts "²", which int() refuses).
_SINGLE_RANGE = re.compile(r"bytes[ \t]*=[ \t]*([0-9]*)-([0-9]*)[ \t]*", re.ASCII | re.I)


class RangeNotSatisfiable(Exception):
    """A well-formed range that lies wholly beyond the file: 416."""


def inline_type(content_type: str) -> bool:
    return content_type.lower().startswith(INLINE_TYPES)


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """One byte range as (first, last) inclusive, or None: when the header is absent or
    invalid (RFC 9110 14.2: an invalid Range is ignored, the whole file is sent) or asks
    for several ranges (a server may ignore Range; the whole file is sent)."""
    match = _SINGLE_RANGE.fullmatch(header)
    if match is None:  # invalid, another unit, or several ranges: the whole file
        return None
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None  # "bytes=-" is not a range-spec
    if not first_text:  # suffix-range: the last N bytes
        length = int(last_text)
        if length == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(size - length, 0), size - 1
    first = int(first_text)
    if last_text and int(last_text) < first:
        return None  # invalid int-range: ignored
    if first >= size:
        raise RangeNotSatisfiable
    last = min(int(last_text), size - 1) if last_text else size - 1
    return first, last


@dataclass(frozen=True)
class FileFacts:
    size: int
    last_modified: datetime.datetime
    sha256: str  # hex
    content_type: str

    @property
    def etag(self) -> str:
        # Strong and content-derived: the same bytes keep their ETag across servers.
        return f'"{self.sha256[:40]}"'

    def digest_headers(self) -> dict[str, str]:
        b64 = base64.b64encode(bytes.fromhex(self.sha256)).decode()
        return {"Repr-Digest": f"sha-256=:{b64}:", "Digest": f"SHA-256={b64}"}


def stored_sha256(name: str, size: int, mtime: datetime.datetime) -> str:
    """SHA-256 of a stored file, computed once per (name, size, mtime) and cached."""
    key = "loa-sha256:" + hashlib.sha1(f"{name}|{size}|{mtime.timestamp()}".encode()).hexdigest()
    cached = cache.get(key)
    if cached:
        return cached
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    cache.set(key, digest.hexdigest(), timeout=None)
    return digest.hexdigest()


def stored_facts(name: str, *, content_type: str, sha256: str = "") -> FileFacts:
    size = default_storage.size(name)
    mtime = default_storage.get_modified_time(name)
    return FileFacts(size=size, last_modified=mtime,
                     sha256=sha256 or stored_sha256(name, size, mtime),
                     content_type=content_type or "application/octet-stream")


def if_range_holds(request: HttpRequest, facts: FileFacts) -> bool:
    """A Range applies only if the client's copy is still this file (RFC 9110 13.1.5)."""
    validator = request.headers.get("If-Range", "").strip()
    if not validator:
        return True
    if validator.startswith(("\"", "W/")):
        return validator == facts.etag  # strong comparison only
    when = parse_http_date_safe(validator)
    return when is not None and when == int(facts.last_modified.timestamp())


def requested_range(request: HttpRequest, facts: FileFacts) -> tuple[int, int] | None:
    header = request.headers.get("Range", "")
    if not header or not if_range_holds(request, facts):
        return None
    return parse_range(header, facts.size)


@dataclass(frozen=True)
class Transfer:
    """What one request moved: bytes ``start``..``start + sent`` of a ``size``-byte file."""

    start: int
    sent: int
    size: int
    method: str  # "django" (measured), "nginx" or "redirect" (handed off: planned bytes)

    @property
    def reached_end(self) -> bool:
        return self.size > 0 and self.start + self.sent >= self.size


TransferCallback = Callable[[Transfer], None]


def planned_transfer(request: HttpRequest, size: int, method: str) -> Transfer:
    """The transfer nginx or S3 will make, as far as the request tells."""
    try:
        header_range = parse_range(request.headers.get("Range", ""), size)
    except RangeNotSatisfiable:
        return Transfer(size, 0, size, method)
    first, last = header_range or (0, size - 1)
    return Transfer(first, last - first + 1, size, method)


class RangeReader:
    """Reads ``length`` bytes of ``fh`` from ``start`` and reports what was read on close."""

    def __init__(self, fh, start: int, length: int, on_close: Callable[[int], None]):
        fh.seek(start)
        self.fh, self.remaining, self.sent, self.on_close = fh, length, 0, on_close
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        size = self.remaining if size < 0 else min(size, self.remaining)
        data = self.fh.read(size)
        self.remaining -= len(data)
        self.sent += len(data)
        return data

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.fh.close()
            self.on_close(self.sent)


def disposition(content_type: str, download_name: str) -> str:
    return content_disposition_header(as_attachment=not inline_type(content_type),
                                      filename=download_name)


def identity_headers(response: HttpResponse, facts: FileFacts, download_name: str) -> None:
    """Type, disposition and policy: what the file is, however its bytes leave."""
    response["Content-Type"] = facts.content_type
    response["Content-Disposition"] = disposition(facts.content_type, download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    for header, value in facts.digest_headers().items():
        response[header] = value


def _validators(response: HttpResponse, facts: FileFacts, download_name: str) -> None:
    response["ETag"] = facts.etag
    response["Last-Modified"] = http_date(facts.last_modified.timestamp())
    response["Accept-Ranges"] = "bytes"
    identity_headers(response, facts, download_name)


def complete_resume(request: HttpRequest, size: int) -> bool:
    """``curl -C -`` run again on a file it already has whole: ``Range: bytes=SIZE-`` with
    no If-Range. A 416 makes ``curl -f`` fail (exit 22) although nothing is missing; a 200
    whose Content-Length equals what the client holds makes curl stop at the headers and
    succeed ("The entire document is already downloaded"). RFC 9110 lets a server ignore
    Range. A client that sends If-Range (our sync client) still gets its 416."""
    header = request.headers.get("Range", "").replace(" ", "").lower()
    return header == f"bytes={size}-" and "If-Range" not in request.headers


def ranged_response(request: HttpRequest, name: str, facts: FileFacts, download_name: str,
                    on_transfer: TransferCallback | None = None) -> HttpResponse:
    """Stream the stored file ``name``, or the one byte range asked for, answering
    If-None-Match / If-Modified-Since / If-Range as RFC 9110 says."""
    # Media is already compressed and byte ranges count identity bytes: keep
    # GZipMiddleware (which reads this header on the way out) off the response.
    request.META["HTTP_ACCEPT_ENCODING"] = "identity"
    not_modified = get_conditional_response(
        request, etag=facts.etag, last_modified=int(facts.last_modified.timestamp())
    )
    if not_modified is not None:
        _validators(not_modified, facts, download_name)
        return not_modified
    try:
        byte_range = requested_range(request, facts)
    except RangeNotSatisfiable:
        if not complete_resume(request, facts.size):
            response = HttpResponse(status=416)
            _validators(response, facts, download_name)
            response["Content-Range"] = f"bytes */{facts.size}"
            return response
        byte_range = None  # the whole file, as if no Range had been asked for
    first, last = byte_range or (0, facts.size - 1)
    length = max(last - first + 1, 0)
    status = 206 if byte_range else 200
    if request.method == "HEAD":
        response = HttpResponse(status=status)
    else:
        def report(sent: int) -> None:
            if on_transfer:
                on_transfer(Transfer(first, sent, facts.size, "django"))

        reader = RangeReader(default_storage.open(name, "rb"), first, length, report)
        response = FileResponse(reader, status=status)
        response.block_size = CHUNK
    _validators(response, facts, download_name)
    response["Content-Length"] = str(length)
    if byte_range:
        response["Content-Range"] = f"bytes {first}-{last}/{facts.size}"
    return response
