"""Replacing the file of a media item that approved content uses: a new version.

The new item names the one it replaces. Pages keep the old file until an editor chooses
the new one in a page revision and that revision is approved (the publication guard then
also waits for the new file's renditions)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from media_pipeline.forms import MediaItemForm
from media_pipeline.models import MediaItem
from media_pipeline.permissions import permission_policy

from .file_integrity import pages_holding

SNIPPET_URLS = "wagtailsnippets_media_pipeline_mediaitem"


class NewVersionForm(MediaItemForm):
    class Meta:
        model = MediaItem
        fields = ["title", "collection", "file"]


def usage_notice(item: MediaItem):
    """What the editor of ``item`` must know: which pages use it and what replacing does."""
    pages = pages_holding(item)
    if not pages:
        return None
    links = format_html_join(", ", '<a href="{}">{}</a>', (
        (reverse("wagtailadmin_pages:edit", args=[page.pk]), page.title) for page in pages))
    return format_html(
        "{} {} {} <a href=\"{}\">{}</a>",
        _("Tệp này đang được các trang đã xuất bản hoặc đang chờ duyệt sau dùng:"), links,
        _("— nên tệp không thể bị thay hay xoá. Thay tệp sẽ tạo một phiên bản mới; các trang "
          "vẫn phát tệp cũ cho đến khi một bản sửa của trang chọn phiên bản mới và được "
          "duyệt."),
        reverse("products_replace_media", args=[item.pk]), _("Thay tệp (tạo phiên bản mới)"),
    )


def replace_media_view(request, pk: int):
    item = get_object_or_404(MediaItem, pk=pk)
    if not permission_policy.user_has_permission_for_instance(request.user, "change", item):
        raise PermissionDenied
    initial = {"title": item.title, "collection": item.collection_id}
    form = NewVersionForm(request.POST or None, request.FILES or None, initial=initial,
                          for_user=request.user)
    if request.method == "POST" and form.is_valid():
        new = form.save(commit=False)
        new.replaces, new.uploaded_by = item, request.user
        new.save()
        messages.success(request, _(
            "Đã tạo phiên bản mới “%(title)s”. Trang đang dùng tệp cũ vẫn phát tệp cũ: hãy "
            "mở trang, chọn phiên bản mới rồi gửi duyệt.") % {"title": new.title})
        return redirect(f"{SNIPPET_URLS}:edit", new.pk)
    return TemplateResponse(request, "products/admin/replace_media.html", {
        "item": item, "form": form, "pages": pages_holding(item),
    })
