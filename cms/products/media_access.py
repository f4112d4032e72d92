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

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from media_pipeline.models import MediaItem, Rendition

from .models import PRODUCT_MODELS


def user_sees_drafts(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


def _fk_fields_to(model_cls, target) -> list[str]:
    return [
        f.name
        for f in model_cls._meta.get_fields()
        if getattr(f, "many_to_one", False) and f.related_model is target
    ]


def used_by_live_product(obj) -> bool:
    """True when a live product page points at ``obj``: through a foreign key on the page
    row (the page row holds the live content of a live page), or anywhere the reference
    index has seen it (StreamField blocks)."""
    target = type(obj)
    for model_cls in PRODUCT_MODELS:
        fields = _fk_fields_to(model_cls, target)
        if fields:
            cond = Q()
            for name in fields:
                cond |= Q(**{name: obj})
            if model_cls.objects.live().public().filter(cond).exists():
                return True
    page_ids = (
        ReferenceIndex.get_references_to(obj)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    return Page.objects.live().public().filter(id__in=[int(pk) for pk in page_ids]).exists()


@dataclass(frozen=True)
class StoredFile:
    owner: object  # the object whose publication decides access
    name: str  # storage name
    download_name: str


Resolver = Callable[[str], StoredFile | None]
RESOLVERS: list[tuple[str, Resolver]] = []


def register_resolver(prefix: str) -> Callable[[Resolver], Resolver]:
    """Declare which owner a storage path under ``prefix`` belongs to."""

    def decorate(func: Resolver) -> Resolver:
        RESOLVERS.append((prefix, func))
        RESOLVERS.sort(key=lambda item: -len(item[0]))  # longest prefix wins
        return func

    return decorate


@register_resolver("original_images/")
def _original_image(name: str) -> StoredFile | None:
    image = get_image_model().objects.filter(file=name).first()
    return image and StoredFile(image, name, posixpath.basename(name))


@register_resolver("images/")
def _image_rendition(name: str) -> StoredFile | None:
    rendition_model = get_image_model().get_rendition_model()
    rendition = rendition_model.objects.select_related("image").filter(file=name).first()
    return rendition and StoredFile(rendition.image, name, posixpath.basename(name))


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
    return rendition and StoredFile(rendition.source, name, posixpath.basename(name))


def resolve(name: str) -> StoredFile | None:
    for prefix, resolver in RESOLVERS:
        if name.startswith(prefix):
            return resolver(name)
    return None


def may_fetch(request: HttpRequest, owner) -> bool:
    return user_sees_drafts(request) or used_by_live_product(owner)


def file_response(request: HttpRequest, stored: StoredFile, *, public: bool) -> HttpResponse:
    """Hand the file out by the configured method, without reading it into memory."""
    method = settings.LOA_MEDIA_SERVE_METHOD
    if method == "redirect":
        response: HttpResponse = HttpResponseRedirect(default_storage.url(stored.name))
    elif method == "nginx":
        response = HttpResponse()
        response["X-Accel-Redirect"] = settings.LOA_MEDIA_ACCEL_PREFIX + stored.name
        response["Content-Type"] = (
            mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
        )
    else:
        response = FileResponse(default_storage.open(stored.name, "rb"))
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=False, filename=stored.download_name
        )
    # Short public lifetime: an unpublished product must drop out of caches soon.
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
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
