"""Who may fetch a stored file. Media is private by default: a file is served to the
public only while it belongs to live content; editors with admin access see everything.

Every stored file is reached through ``serve_media`` (mounted at MEDIA_URL), which maps
the storage path back to its owner and asks the owner's resolver whether it is public.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import mimetypes
import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, Revision

from media_pipeline.access import HLS_PREFIX, hls_rendition_for
from media_pipeline.models import DocumentThumbnail, MediaItem, Rendition

from .models import PRODUCT_MODELS


def user_sees_drafts(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


def used_by_live_product(obj) -> bool:
    """True when a live, public product page's live content uses ``obj``."""
    from .file_integrity import live_pages_using

    return bool(live_pages_using(obj, public_only=True))


def _fk_names_to(target) -> dict:
    return {model_cls: [f.name for f in model_cls._meta.get_fields()
                        if getattr(f, "many_to_one", False) and f.related_model is target]
            for model_cls in PRODUCT_MODELS}


def pages_using(obj) -> list[Page]:
    """Pages in any state whose row, reference index entry or latest revision uses
    ``obj`` (a draft's content lives in its latest revision)."""
    ids: set[int] = set()
    revision_cond = Q()
    for model_cls, names in _fk_names_to(type(obj)).items():
        for name in names:
            ids.update(model_cls.objects.filter(**{name: obj}).values_list("pk", flat=True))
            revision_cond |= Q(**{f"content__{name}": obj.pk})
    ids.update(int(pk) for pk in ReferenceIndex.get_references_to(obj)
               .filter(base_content_type=ContentType.objects.get_for_model(Page))
               .values_list("object_id", flat=True))
    if revision_cond:
        latest = Page.objects.exclude(latest_revision=None).values("latest_revision_id")
        ids.update(int(pk) for pk in Revision.objects.filter(revision_cond, pk__in=latest)
                   .values_list("object_id", flat=True))
    return list(Page.objects.filter(pk__in=ids))


def _manages(user, obj) -> bool:
    """The user's collection permissions cover ``obj`` (e.g. their own unused upload)."""
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(type(obj))
    return policy.user_has_any_permission_for_instance(user, ["change", "delete"], obj)


def may_choose(user, obj) -> bool:
    """A file may go into a page if it is already public or the user manages it: choosing
    another organisation's unpublished file would open it to the chooser's draft."""
    return user.is_superuser or _manages(user, obj) or used_by_live_product(obj)


def choosable(queryset, user):
    """``queryset`` of images or documents narrowed to what ``user`` may choose."""
    from wagtail.permissions import policy_registry

    if user.is_superuser:
        return queryset
    policy = policy_registry.get_by_type(queryset.model)
    own = policy.collections_user_has_any_permission_for(user, ["add", "change", "delete"])
    return queryset.filter(Q(collection__in=own) | Q(pk__in=live_file_ids(queryset.model)))


def live_file_ids(model) -> set[int]:
    """Ids of every ``model`` object live, public product pages use (in bulk)."""
    ids: set[int] = set()
    for model_cls, names in _fk_names_to(model).items():
        for name in names:
            ids.update(model_cls.objects.live().public().exclude(**{name: None})
                       .values_list(f"{name}_id", flat=True))
    page_ids = [str(pk) for pk in Page.objects.live().public().values_list("id", flat=True)]
    ids.update(int(pk) for pk in ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ContentType.objects.get_for_model(model),
        object_id__in=page_ids).values_list("to_object_id", flat=True))
    return ids


def may_see_unpublished(user, obj) -> bool:
    """A file that no live page shows is for those who manage it or may view a draft
    that uses it, nobody else."""
    from translations.access import may_view_draft

    if user.is_superuser or _manages(user, obj):
        return True
    return any(may_view_draft(user, page) for page in pages_using(obj))


@dataclass(frozen=True)
class StoredFile:
    owner: object  # the object whose publication decides access
    name: str  # storage name
    download_name: str
    sha256: str = ""  # when the owner already knows it (renditions); computed otherwise
    mime_type: str = ""


Resolver = Callable[[str], StoredFile | None]
RESOLVERS: list[tuple[str, Resolver]] = []


def register_resolver(prefix: str) -> Callable[[Resolver], Resolver]:
    """Declare which owner a storage path under ``prefix`` belongs to."""

    def decorate(func: Resolver) -> Resolver:
        RESOLVERS.append((prefix, func))
        RESOLVERS.sort(key=lambda item: -len(item[0]))  # longest prefix wins
        return func

    return decorate


def image_owner(image):
    """Whose publication decides access to an image: the image itself, or for a PDF's
    first-page picture (made by the media pipeline) the document it was drawn from."""
    link = DocumentThumbnail.objects.select_related("document").filter(image=image).first()
    return link.document if link else image


@register_resolver("original_images/")
def _original_image(name: str) -> StoredFile | None:
    image = get_image_model().objects.filter(file=name).first()
    return image and StoredFile(image_owner(image), name, posixpath.basename(name))


@register_resolver("images/")
def _image_rendition(name: str) -> StoredFile | None:
    rendition_model = get_image_model().get_rendition_model()
    rendition = rendition_model.objects.select_related("image").filter(file=name).first()
    return rendition and StoredFile(image_owner(rendition.image), name,
                                    posixpath.basename(name))


@register_resolver("documents/")
def _document(name: str) -> StoredFile | None:
    doc = get_document_model().objects.filter(file=name).first()
    return doc and StoredFile(doc, name, doc.filename)


@register_resolver("media/originals/")
def _media_original(name: str) -> StoredFile | None:
    item = MediaItem.objects.filter(file=name).first()
    return item and StoredFile(item, name, posixpath.basename(name))


@register_resolver("media/renditions/")
def _media_rendition(name: str) -> StoredFile | None:
    rendition = Rendition.objects.select_related("source").filter(
        file=name, state=Rendition.State.READY
    ).first()
    return rendition and StoredFile(rendition.source, name, posixpath.basename(name),
                                    sha256=rendition.sha256, mime_type=rendition.mime_type)


@register_resolver(HLS_PREFIX)
def _hls_file(name: str) -> StoredFile | None:
    rendition = hls_rendition_for(name)
    return rendition and StoredFile(rendition.source, name, posixpath.basename(name))


def resolve(name: str) -> StoredFile | None:
    for prefix, resolver in RESOLVERS:
        if name.startswith(prefix):
            return resolver(name)
    return None


def may_fetch(request: HttpRequest, owner) -> bool:
    if used_by_live_product(owner):
        return True
    return user_sees_drafts(request) and may_see_unpublished(request.user, owner)


def file_response(
    request: HttpRequest,
    stored: StoredFile,
    *,
    public: bool,
    on_transfer: TransferCallback | None = None,
) -> HttpResponse:
    """Hand the file out by the configured method, without reading it into memory.

    ``on_transfer`` learns what left (see ``Transfer``): after the last byte (or the
    broken connection) when Django streams it, at once when nginx or S3 takes over.
    """
    method = settings.LOA_MEDIA_SERVE_METHOD
    if method == "redirect":
        # S3 answers Range/If-Range/ETag itself; the checksum travels in the feeds.
        response: HttpResponse = HttpResponseRedirect(default_storage.url(stored.name))
        if on_transfer:
            on_transfer(_handed_off(request, stored, "redirect"))
    elif method == "nginx":
        response = _accel_response(request, stored, on_transfer)
    else:
        response = ranged_file_response(request, stored, on_transfer)
    # Short public lifetime: an unpublished product must drop out of caches soon.
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


# --- HTTP delivery: validators, checksum, byte ranges --------------------------------------


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


CHUNK = 64 * 1024


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


def file_facts(stored: StoredFile) -> FileFacts:
    size = default_storage.size(stored.name)
    mtime = default_storage.get_modified_time(stored.name)
    return FileFacts(
        size=size,
        last_modified=mtime,
        sha256=stored.sha256 or stored_sha256(stored.name, size, mtime),
        content_type=stored.mime_type
        or mimetypes.guess_type(stored.name)[0]
        or "application/octet-stream",
    )


class RangeNotSatisfiable(Exception):
    pass


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """One byte range as (first, last) inclusive; None when absent, malformed or asking
    for several ranges (then the whole file is sent, as RFC 9110 allows)."""
    unit, _sep, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first_text, sep, last_text = spec.strip().partition("-")
    if not sep or not (first_text.isdigit() or last_text.isdigit()):
        return None
    if not first_text:  # suffix: the last N bytes
        length = int(last_text)
        if length == 0:
            raise RangeNotSatisfiable
        return max(size - length, 0), size - 1
    first = int(first_text)
    last = int(last_text) if last_text.isdigit() else size - 1
    if last_text and last < first:
        return None  # invalid: ignored, the whole file goes
    if first >= size:
        raise RangeNotSatisfiable
    return first, min(last, size - 1)


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


def _representation_headers(response: HttpResponse, stored: StoredFile,
                            facts: FileFacts) -> None:
    response["ETag"] = facts.etag
    response["Last-Modified"] = http_date(facts.last_modified.timestamp())
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=stored.download_name
    )
    for header, value in facts.digest_headers().items():
        response[header] = value


def ranged_file_response(request: HttpRequest, stored: StoredFile,
                         on_transfer: TransferCallback | None = None) -> HttpResponse:
    """Stream the file, or the one byte range asked for, with validators and checksum."""
    facts = file_facts(stored)
    # Media is already compressed and byte ranges count identity bytes: keep
    # GZipMiddleware (which reads this header on the way out) off the response.
    request.META["HTTP_ACCEPT_ENCODING"] = "identity"
    not_modified = get_conditional_response(
        request, etag=facts.etag, last_modified=int(facts.last_modified.timestamp())
    )
    if not_modified is not None:
        _representation_headers(not_modified, stored, facts)
        return not_modified
    try:
        byte_range = requested_range(request, facts)
    except RangeNotSatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{facts.size}"
        _representation_headers(response, stored, facts)
        return response
    first, last = byte_range or (0, facts.size - 1)
    length = max(last - first + 1, 0)
    if request.method == "HEAD":
        response = HttpResponse(status=206 if byte_range else 200)
    else:
        def report(sent: int) -> None:
            if on_transfer:
                on_transfer(Transfer(first, sent, facts.size, "django"))

        reader = RangeReader(default_storage.open(stored.name, "rb"), first, length, report)
        response = FileResponse(reader, status=206 if byte_range else 200)
        response.block_size = CHUNK
    response["Content-Type"] = facts.content_type
    response["Content-Length"] = str(length)
    if byte_range:
        response["Content-Range"] = f"bytes {first}-{last}/{facts.size}"
    _representation_headers(response, stored, facts)
    return response


def _handed_off(request: HttpRequest, stored: StoredFile, method: str) -> Transfer:
    """The transfer nginx or S3 will make, as far as the request tells."""
    size = default_storage.size(stored.name)
    try:
        header_range = parse_range(request.headers.get("Range", ""), size)
    except RangeNotSatisfiable:
        return Transfer(size, 0, size, method)
    first, last = header_range or (0, size - 1)
    return Transfer(first, last - first + 1, size, method)


def _accel_response(request: HttpRequest, stored: StoredFile,
                    on_transfer: TransferCallback | None) -> HttpResponse:
    """nginx sends the bytes (and answers Range/If-Range with its own validators);
    the checksum rides along for the internal location to add (see docs/stations.md)."""
    facts = file_facts(stored)
    response = HttpResponse()
    response["X-Accel-Redirect"] = settings.LOA_MEDIA_ACCEL_PREFIX + stored.name
    response["Content-Type"] = facts.content_type
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=stored.download_name
    )
    for header, value in facts.digest_headers().items():
        response[header] = value
    if on_transfer:
        on_transfer(_handed_off(request, stored, "nginx"))
    return response


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    name = posixpath.normpath(path).lstrip("/")
    if name.startswith("..") or name != path.lstrip("/"):
        raise Http404
    stored = resolve(name)
    if stored is None or not may_fetch(request, stored.owner):
        raise Http404  # 404, not 403: do not confirm that a draft file exists
    if not default_storage.exists(stored.name):
        raise Http404
    return file_response(request, stored, public=not user_sees_drafts(request))
