"""Who may fetch a stored file. Media is private by default: a file is served to the
public only while it belongs to live content; editors with admin access see everything.

Every stored file is reached through ``serve_media`` (mounted at MEDIA_URL), which maps
the storage path back to its owner and asks the owner's resolver whether it is public.
"""

from __future__ import annotations

import mimetypes
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.documents.models import document_served
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, Revision

from cms.file_serving import (
    FileFacts,
    Transfer,
    TransferCallback,
    complete_resume,
    identity_headers,
    planned_transfer,
    ranged_response,
    stored_facts,
)
from media_pipeline.access import HLS_PREFIX, hls_rendition_for
from media_pipeline.models import DocumentThumbnail, MediaItem, Rendition

from .models import PRODUCT_MODELS
from .signals import media_downloaded


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
    return item and StoredFile(item, name, posixpath.basename(name),
                               mime_type=item.file_type.mime_type)


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


# Types Python's table lacks for files the pipeline writes (HLS fMP4 segments and inits).
PIPELINE_TYPES = {".m4s": "video/iso.segment", ".m3u8": "application/vnd.apple.mpegurl"}


def guessed_type(name: str) -> str:
    """Content-Type of a file whose stored extension was decided by what it is (images
    by Wagtail's format check, documents by their content, renditions by their profile)."""
    extension = posixpath.splitext(name)[1].lower()
    return (PIPELINE_TYPES.get(extension) or mimetypes.guess_type(name)[0]
            or "application/octet-stream")


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
    if method != "django" and complete_resume(request, default_storage.size(stored.name)):
        method = "django"  # nginx and S3 would answer 416 (see complete_resume)
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


def file_facts(stored: StoredFile) -> FileFacts:
    return stored_facts(stored.name, content_type=stored.mime_type or guessed_type(stored.name),
                        sha256=stored.sha256)


def ranged_file_response(request: HttpRequest, stored: StoredFile,
                         on_transfer: TransferCallback | None = None) -> HttpResponse:
    return ranged_response(request, stored.name, file_facts(stored), stored.download_name,
                           on_transfer)


def _handed_off(request: HttpRequest, stored: StoredFile, method: str) -> Transfer:
    return planned_transfer(request, default_storage.size(stored.name), method)


def accel_target(name: str, prefix: str = "") -> str:
    """Where nginx finds the file: under the media folder, or — media on S3 — at a
    presigned URL's path and query, which nginx's internal location fetches from the store
    (``stations.nginx.protected_s3_location``). ``prefix``: that internal location."""
    prefix = prefix or settings.LOA_MEDIA_ACCEL_PREFIX
    try:
        default_storage.path(name)
    except NotImplementedError:
        signed = urlsplit(default_storage.url(name))
        return f"{prefix.rstrip('/')}{signed.path}?{signed.query}"
    return prefix + name


def _accel_response(request: HttpRequest, stored: StoredFile,
                    on_transfer: TransferCallback | None) -> HttpResponse:
    """nginx sends the bytes (and answers Range/If-Range with its own validators);
    the checksum rides along for the internal location to add (see docs/stations.md)."""
    facts = file_facts(stored)
    response = HttpResponse()
    response["X-Accel-Redirect"] = accel_target(stored.name)
    identity_headers(response, facts, stored.download_name)
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
    return file_response(request, stored, public=not user_sees_drafts(request),
                         on_transfer=_download_counter(request, stored))


# What a browser fetches for an <audio>/<video> element (Fetch Metadata): the player
# streaming or preloading a file the visitor only listens to, never a download.
PLAYER_DESTINATIONS = {"audio", "video", "track"}


def _download_counter(request: HttpRequest, stored: StoredFile) -> TransferCallback | None:
    """Announce a download of a recording or clip once per download: a GET whose bytes
    start at the file's beginning (a resumed part or a seek starts later), not made by a
    media element. Posters and HLS segments are not downloads."""
    if (request.method != "GET" or not isinstance(stored.owner, MediaItem)
            or not (stored.mime_type or guessed_type(stored.name)).startswith(
                ("audio/", "video/"))
            or stored.name.startswith(HLS_PREFIX)
            or request.headers.get("Sec-Fetch-Dest", "") in PLAYER_DESTINATIONS):
        return None

    def counted(transfer: Transfer) -> None:
        if transfer.start == 0 and transfer.sent > 0:
            media_downloaded.send(sender=MediaItem, item=stored.owner)

    return counted


def serve_document(request: HttpRequest, document_id: int, document_filename: str
                   ) -> HttpResponse:
    """Wagtail's document URL, answered like ``/media/`` (ranges, validators, caching,
    disposition). Wagtail's own view runs the same hooks but keeps only a plain
    HttpResponse from them, so a streamed, ranged answer has to come from here."""
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None or document.filename != document_filename:
        raise Http404
    for hook in hooks.get_hooks("before_serve_document"):
        result = hook(document, request)  # the publication gate, view restrictions
        if isinstance(result, HttpResponseBase):
            return result
    document_served.send(sender=type(document), instance=document, request=request)
    if not default_storage.exists(document.file.name):
        raise Http404
    stored = StoredFile(document, document.file.name, document.filename)
    return file_response(request, stored, public=not user_sees_drafts(request))
