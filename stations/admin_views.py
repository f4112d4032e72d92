"""Department views in the Wagtail admin: who fetched and aired each bulletin, what each
station missed, and a station's access key (issue, rotate, revoke)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import coverage
from .models import Station

PERIODS = (7, 30, 90, 365)


class DepartmentView(WagtailAdminTemplateMixin, TemplateView):
    permission = "stations.view_downloadlog"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def days(self) -> int:
        value = self.request.GET.get("days", "30")
        return int(value) if value.isdigit() and int(value) in PERIODS else 30


class ByBulletinView(DepartmentView):
    template_name = "stations/admin/by_bulletin.html"
    page_title = gettext_lazy("Bản tin: đài nào đã tải, đã phát")
    header_icon = "media"

    def get_context_data(self, **kwargs):
        days = self.days()
        return super().get_context_data(
            rows=coverage.by_bulletin(coverage.period_start(days)), days=days, periods=PERIODS,
            **kwargs)


class ByStationView(DepartmentView):
    template_name = "stations/admin/by_station.html"
    page_title = gettext_lazy("Đài: bản tin chưa tải, chưa phát")
    header_icon = "site"

    def get_context_data(self, **kwargs):
        days = self.days()
        return super().get_context_data(
            rows=coverage.by_station(coverage.period_start(days)), days=days, periods=PERIODS,
            **kwargs)


class StationKeyView(DepartmentView):
    """The key is shown once, right after it is issued; only its hash is kept."""

    template_name = "stations/admin/key.html"
    permission = "stations.change_station"
    header_icon = "key"

    def get_page_title(self):
        return _("Khóa truy cập: %(station)s") % {"station": self.station.name}

    def dispatch(self, request, *args, pk: int, **kwargs):
        self.station = get_object_or_404(Station, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        new_key = ""
        if request.POST.get("action") == "rotate":
            new_key = self.station.rotate_key()
            messages.success(request, _("Đã cấp khóa mới. Khóa cũ (nếu có) không còn dùng được."))
        elif request.POST.get("action") == "revoke":
            self.station.revoke_key()
            messages.warning(request, _("Đã thu hồi khóa: đài không tải được gì cho tới khi "
                                        "được cấp khóa mới."))
        return self.render_to_response(self.get_context_data(new_key=new_key))

    def get_context_data(self, new_key: str = "", **kwargs):
        feeds = []
        for code in self.station.languages:
            path = reverse("stations:station_feed", args=[self.station.pk, code])
            feeds.append((code, self.request.build_absolute_uri(path)))
        return super().get_context_data(
            station=self.station, new_key=new_key, feeds=feeds,
            airing_url=self.request.build_absolute_uri(
                reverse("stations:airings", args=[self.station.pk])),
            client_url=self.request.build_absolute_uri(reverse("stations:sync_client")),
            **kwargs)
