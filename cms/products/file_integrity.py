"""Approved files do not change.

A media item, image or document that a live page, or a page version in review, uses is
what a reviewer approved: its file cannot be changed in place, and it cannot be deleted,
by anyone (admin form, bulk action, API or code). Replacing a recording makes a new media
item (``MediaItem.replaces``) that only a new page revision can use, and that revision goes
through the review workflow like any other change; the live page keeps its approved file.

The guard sits on the models (``pre_save``/``pre_delete``), so every path passes it; the
admin forms check first so that an editor reads a sentence instead of an error page.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.signals import pre_delete, pre_save
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, WorkflowState

from media_pipeline.exceptions import MediaError
from media_pipeline.models import DocumentThumbnail, MediaItem

from .models import PRODUCT_MODELS


class FileInUse(MediaError):
    """A file that approved content uses was to be changed in place or deleted."""

    message = gettext_lazy(
        "Tệp này đang được trang đã duyệt hoặc đang chờ duyệt sử dụng nên không thể thay "
        "đổi hay xoá."
    )

    def __init__(self, obj, pages: list[Page]):
        self.obj, self.pages = obj, pages
        titles = ", ".join(f"“{page.title}”" for page in pages[:5])
        super().__init__(_(
            "Tệp “%(title)s” đang được dùng trong %(pages)s (đã xuất bản hoặc đang chờ "
            "duyệt) nên không thể thay tệp hay xoá. Hãy tải lên tệp mới rồi chọn nó trong "
            "một bản sửa của trang; bản sửa đó phải được duyệt như mọi thay đổi khác."
        ) % {"title": obj, "pages": titles})


def file_models() -> tuple[type, ...]:
    return (MediaItem, get_image_model(), get_document_model())


def _is_file_model(model) -> bool:
    return any(issubclass(cls, model) or cls is model for cls in file_models())


def page_file_references(page) -> set[tuple[str, str]]:
    """(model label, pk) of every media item, image and document one version of ``page``
    points at: its foreign keys and what its StreamFields reference."""
    refs: set[tuple[str, str]] = set()
    for field in page._meta.get_fields():
        if getattr(field, "many_to_one", False) and field.related_model is not None:
            if _is_file_model(field.related_model):
                pk = getattr(page, field.attname, None)
                if pk:
                    refs.add((file_label(field.related_model), str(pk)))
        elif isinstance(field, StreamField):
            for model, object_id, _path, _content in field.extract_references(
                getattr(page, field.name)
            ):
                if _is_file_model(model):
                    refs.add((file_label(model), str(object_id)))
    return refs


def file_label(model) -> str:
    """Concrete model's label: StreamField blocks name the image model's base class."""
    for cls in file_models():
        if issubclass(cls, model) or cls is model:
            return cls._meta.label_lower
    return model._meta.label_lower


def _key(obj) -> tuple[str, str]:
    return (file_label(type(obj)), str(obj.pk))


def live_pages_using(obj, *, public_only: bool = False) -> list[Page]:
    """Live pages whose live content uses ``obj``: a foreign key on the page row (the row
    holds a live page's live content) or a reference the index has seen (StreamFields)."""
    found: list[Page] = []
    target = type(obj)
    for model_cls in PRODUCT_MODELS:
        cond = Q()
        for field in model_cls._meta.get_fields():
            if getattr(field, "many_to_one", False) and field.related_model is target:
                cond |= Q(**{field.name: obj})
        if cond:
            pages = model_cls.objects.live().filter(cond)
            found += pages.public() if public_only else pages
    page_ids = (
        ReferenceIndex.get_references_to(obj)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    pages = Page.objects.live().filter(id__in=[int(pk) for pk in page_ids])
    found += pages.public() if public_only else pages
    return list({page.pk: page for page in found}.values())


def pages_in_review() -> Iterable[tuple[Page, object]]:
    """Each page with a workflow in progress, with the version under review."""
    states = (WorkflowState.objects.active()
              .filter(base_content_type=ContentType.objects.get_for_model(Page))
              .select_related("current_task_state__revision"))
    for state in states:
        task_state = state.current_task_state
        if task_state is None or task_state.revision is None:
            continue
        page = Page.objects.filter(pk=int(state.object_id)).first()
        if page is not None:
            yield page, task_state.revision.as_object()


def pages_holding(obj) -> list[Page]:
    """Pages whose approved (live) version or version in review uses ``obj``."""
    pages = {page.pk: page for page in live_pages_using(obj)}
    key = _key(obj)
    for page, version in pages_in_review():
        if key in page_file_references(version):
            pages.setdefault(page.pk, page)
    return list(pages.values())


def file_changed(obj) -> bool:
    if not obj.pk:
        return False
    stored = type(obj).objects.filter(pk=obj.pk).values_list("file", flat=True).first()
    return stored is not None and stored != obj.file.name


def pages_showing(obj) -> list[Page]:
    """``pages_holding``, plus for a PDF's first-page picture (made by the media pipeline,
    shown as the cover of a product without one) the pages holding its document. The
    pipeline replaces such a picture by a new image, never by changing its file."""
    pages = {page.pk: page for page in pages_holding(obj)}
    if isinstance(obj, get_image_model()):
        for link in DocumentThumbnail.objects.filter(image=obj).select_related("document"):
            pages.update({page.pk: page for page in pages_holding(link.document)})
    return list(pages.values())


def check_may_change_file(obj) -> None:
    if file_changed(obj) and (pages := pages_showing(obj)):
        raise FileInUse(obj, pages)


def check_may_delete(obj) -> None:
    if pages := pages_holding(obj):
        raise FileInUse(obj, pages)


def _refuse_change(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        check_may_change_file(instance)


def _refuse_delete(sender, instance, **kwargs) -> None:
    check_may_delete(instance)


def connect_guards() -> None:
    for model in file_models():
        pre_save.connect(_refuse_change, sender=model, dispatch_uid=f"loa-immutable-{model}")
        pre_delete.connect(_refuse_delete, sender=model, dispatch_uid=f"loa-undeletable-{model}")


class FileInUseMiddleware:
    """In the admin, a refused change or deletion goes back with the reason as a message
    (the view's transaction, if any, is rolled back by the exception)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        """Refuse a deletion before the view starts it: Wagtail's delete views and bulk
        delete would otherwise meet the model's refusal halfway through a transaction."""
        if request.method != "POST" or request.resolver_match is None:
            return None
        for obj in _objects_to_delete(request.resolver_match.view_name, request, view_kwargs):
            if pages := pages_holding(obj):
                return self._refuse(request, FileInUse(obj, pages))
        return None

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, FileInUse):
            return None
        if not request.path.startswith(reverse("wagtailadmin_home")):
            return None
        return self._refuse(request, exception)

    @staticmethod
    def _refuse(request: HttpRequest, error: FileInUse) -> HttpResponse:
        messages.error(request, error.message)
        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("wagtailadmin_home")
        return redirect(back)


def _objects_to_delete(view_name: str, request: HttpRequest, kwargs: dict) -> list:
    """The files an admin delete view (single or bulk) is about to delete."""
    single = {
        "wagtailimages:delete": (get_image_model(), "image_id"),
        "wagtaildocs:delete": (get_document_model(), "document_id"),
        "wagtailsnippets_media_pipeline_mediaitem:delete": (MediaItem, "pk"),
    }
    if view_name in single:
        model, key = single[view_name]
        return list(model.objects.filter(pk=kwargs.get(key)))
    if view_name == "wagtail_bulk_action" and kwargs.get("action") == "delete":
        model = next((m for m in file_models() if m._meta.app_label == kwargs.get("app_label")
                      and m._meta.model_name == kwargs.get("model_name")), None)
        ids = [pk for pk in request.GET.getlist("id") if pk.isdigit()]
        return list(model.objects.filter(pk__in=ids)) if model and ids else []
    return []
