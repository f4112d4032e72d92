"""Delivery records in the Wagtail admin: a read-only list (filter by state), the
inspect view with reason and technical detail, and a "send again" action."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem

from .models import DeliveryRecord
from .tasks import send_record_task

State = DeliveryRecord.State


def can_retry(user) -> bool:
    return user.has_perm("delivery.change_deliveryrecord")


class DeliveryIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.state != State.DELIVERED and can_retry(self.request.user):
            buttons.append(MenuItem(_("Gửi lại"), url=reverse("delivery_record:retry",
                                                              args=[instance.pk]),
                                    icon_name="rotate", priority=5))
        return buttons


def retry_view(request, pk: int):
    """GET asks for confirmation; POST re-queues the product's current version."""
    if not can_retry(request.user):
        raise PermissionDenied
    record = get_object_or_404(DeliveryRecord, pk=pk)
    if request.method == "POST":
        if record.page_id is None and record.kind == DeliveryRecord.Kind.PACKAGE:
            messages.error(request, _("Sản phẩm của lần gửi này đã bị xóa, không gửi lại được."))
        elif record.state == State.DELIVERED:
            messages.info(request, _("Gói này đã được gửi xong."))
        else:
            # An administrator's retry starts a fresh series of automatic retries.
            DeliveryRecord.objects.filter(pk=record.pk).exclude(state=State.DELIVERED).update(
                state=State.QUEUED, lease_until=None, next_attempt_at=None, auto_retries=0)
            record_id = record.pk
            transaction.on_commit(lambda: send_record_task.enqueue(record_id))
            messages.success(request, _("Đã đưa “%(title)s” vào hàng đợi gửi lại.")
                             % {"title": record.title})
        return redirect("delivery_record:index")
    return TemplateResponse(request, "delivery/retry_confirm.html", {
        "record": record,
        "header_title": _("Gửi lại gói"),
        "page_title": _("Gửi lại gói"),
    })


class DeliveryRecordViewSet(ModelViewSet):
    model = DeliveryRecord
    icon = "upload"
    menu_label = gettext_lazy("Gửi về Bộ")
    menu_order = 260
    add_to_admin_menu = True
    name = "delivery_record"
    index_view_class = DeliveryIndexView
    list_display = ["title", "language", "version", "kind", "state", "reason",
                    "next_attempt_at", "updated_at"]
    list_filter = ["state", "kind", "language"]
    search_fields = ["title", "identifier"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "title", "identifier", "language", "version", "kind", "state", "reason", "key",
        "bag_size", "checksum_sha256", "contents", "attempts", "auto_retries",
        "next_attempt_at", "created_at", "delivered_at", "detail",
    ]
    copy_view_enabled = False
    add_to_reference_index = False

    def get_index_view_kwargs(self, **kwargs):
        # Records are written by the delivery job only: no add/edit/delete.
        kwargs = super().get_index_view_kwargs(**kwargs)
        kwargs.update(add_url_name=None, edit_url_name=None, delete_url_name=None,
                      copy_url_name=None)
        return kwargs

    def get_inspect_view_kwargs(self, **kwargs):
        kwargs = super().get_inspect_view_kwargs(**kwargs)
        kwargs.update(edit_url_name=None, delete_url_name=None)
        return kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("retry/<int:pk>/", retry_view, name="retry"),
        ]
