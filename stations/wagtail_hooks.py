from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_views import ByBulletinView, ByStationView, StationKeyView
from .forms import StationAdminForm
from .models import AiringReport, DownloadLog, Station


class StationViewSet(SnippetViewSet):
    model = Station
    icon = "media"
    menu_label = _("Danh sách đài")
    list_display = ["name", "level", "area", "language_names", "audio_profile", "is_active"]
    list_filter = ["level", "audio_profile", "is_active"]
    search_fields = ["name"]
    edit_handler = ObjectList([
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("level"), FieldPanel("area")]),
        FieldPanel("languages"),
        FieldPanel("audio_profile"),
        MultiFieldPanel([FieldPanel("contact_name"), FieldPanel("contact_phone"),
                         FieldPanel("contact_email")], heading=_("Liên hệ")),
        FieldPanel("is_active"),
    ], base_form_class=StationAdminForm)


class DownloadLogViewSet(SnippetViewSet):
    model = DownloadLog
    icon = "download"
    menu_label = _("Nhật ký tải về")
    list_display = ["started_at", "station", "bulletin_title", "language", "profile",
                    "range_start", "bytes_sent", "complete", "method"]
    list_filter = ["station", "complete", "method"]
    inspect_view_enabled = True


class AiringReportViewSet(SnippetViewSet):
    model = AiringReport
    icon = "tick"
    menu_label = _("Báo cáo phát sóng")
    list_display = ["aired_on", "aired_at", "station", "bulletin_title", "times", "source"]
    list_filter = ["station", "source"]
    panels = [FieldPanel("aired_on"), FieldPanel("aired_at"), FieldPanel("times"),
              FieldPanel("note")]


class StationsGroup(SnippetViewSetGroup):
    items = (StationViewSet, DownloadLogViewSet, AiringReportViewSet)
    menu_icon = "media"
    menu_label = _("Đài phát thanh")
    menu_order = 255


register_snippet(StationsGroup)


@hooks.register("register_admin_urls")
def station_admin_urls():
    return [
        path("stations/reports/bulletins/", ByBulletinView.as_view(),
             name="stations_by_bulletin"),
        path("stations/reports/stations/", ByStationView.as_view(), name="stations_by_station"),
        path("stations/<int:pk>/key/", StationKeyView.as_view(), name="stations_key"),
    ]


class PermittedMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("stations.view_downloadlog")


@hooks.register("register_admin_menu_item")
def station_reports_menu():
    items = [
        PermittedMenuItem(_("Theo bản tin"), reverse("stations_by_bulletin"), icon_name="media"),
        PermittedMenuItem(_("Theo đài"), reverse("stations_by_station"), icon_name="site"),
    ]
    return SubmenuMenuItem(_("Tình hình tải và phát"), Menu(items=items), icon_name="tasks",
                           order=256)


@hooks.register("register_snippet_listing_buttons")
def station_key_button(snippet, user, next_url=None):
    if isinstance(snippet, Station) and user.has_perm("stations.change_station"):
        yield ListingButton(_("Khóa truy cập"), reverse("stations_key", args=[snippet.pk]),
                            icon_name="key", priority=15)
