"""The programme's admin: plans, training, monitoring, budget, support points, deadlines."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.products.models import ProductPage

from . import admin_views
from .admin_scope import ScopedForm, ScopedSnippetViewSet
from .counters import count_use
from .models import (
    BudgetExecution,
    MonitoringRound,
    Plan,
    ReportingDeadline,
    SupportPoint,
    TrainingSession,
)
from .panels import ProgressPanel


def _scoped(model) -> ObjectList:
    return ObjectList(model.panels, base_form_class=ScopedForm)


class PlanViewSet(ScopedSnippetViewSet):
    model = Plan
    icon = "list-ol"
    menu_label = _("Kế hoạch")
    list_display = ["decision_number", "title", "organisation", "period_label", "parent"]
    list_filter = ["organisation"]
    search_fields = ["title", "decision_number"]
    edit_handler = _scoped(Plan)


class TrainingViewSet(ScopedSnippetViewSet):
    model = TrainingSession
    icon = "group"
    menu_label = _("Bồi dưỡng, tập huấn")
    list_display = ["title", "date", "place", "organisation", "participant_total"]
    list_filter = ["organisation"]
    edit_handler = _scoped(TrainingSession)


class MonitoringViewSet(ScopedSnippetViewSet):
    model = MonitoringRound
    icon = "view"
    menu_label = _("Kiểm tra, giám sát")
    list_display = ["date", "organisation", "units_visited"]
    list_filter = ["organisation"]
    edit_handler = _scoped(MonitoringRound)


class BudgetViewSet(ScopedSnippetViewSet):
    model = BudgetExecution
    icon = "doc-full"
    menu_label = _("Kinh phí đã thực hiện")
    list_display = ["date", "line", "central", "local", "note"]
    edit_handler = _scoped(BudgetExecution)


class SupportPointViewSet(ScopedSnippetViewSet):
    model = SupportPoint
    icon = "desktop"
    menu_label = _("Điểm hỗ trợ")
    list_display = ["commune", "organisation", "tv_inches", "amplifier_label",
                    "speakers_label", "installed_on", "condition", "meets_minimum",
                    "kiosk_last_contact"]
    list_filter = ["condition", "organisation"]
    edit_handler = _scoped(SupportPoint)


class DeadlineViewSet(SnippetViewSet):
    model = ReportingDeadline
    icon = "date"
    menu_label = _("Hạn báo cáo")
    list_display = ["report", "day", "month", "remind_days_before"]


class ProgrammeGroup(SnippetViewSetGroup):
    items = (PlanViewSet, TrainingViewSet, MonitoringViewSet, BudgetViewSet,
             SupportPointViewSet, DeadlineViewSet)
    menu_icon = "list-ol"
    menu_label = _("Kế hoạch, kết quả")
    menu_order = 270


register_snippet(ProgrammeGroup)


@hooks.register("before_serve_page")
def count_product_view(page, request, serve_args, serve_kwargs):
    """A product page shown on the public site counts as one view (of its language)."""
    if request.method == "GET" and isinstance(page, ProductPage) and not getattr(
            request, "is_preview", False):
        count_use(page, "views")


@hooks.register("register_admin_urls")
def programme_admin_urls():
    return [
        path("programme/reports/", admin_views.reports_index, name="programme_reports"),
        path("programme/plans/<int:pk>/xlsx/", admin_views.plan_xlsx, name="programme_plan_xlsx"),
        path("programme/plans/<int:pk>/rolled-up.xlsx", admin_views.rolled_up_xlsx,
             name="programme_rolled_up_xlsx"),
        path("programme/plans/<int:pk>/results.xlsx", admin_views.results_xlsx,
             name="programme_results_xlsx"),
        path("programme/plans/<int:pk>/results.pdf", admin_views.results_pdf,
             name="programme_results_pdf"),
        path("programme/support-points/<int:pk>/kiosk-key/", admin_views.kiosk_key,
             name="programme_kiosk_key"),
    ]


@hooks.register("register_snippet_listing_buttons")
def kiosk_key_button(snippet, user, next_url=None):
    if isinstance(snippet, SupportPoint) and snippet.kiosk_code and user.has_perm(
            "programme.change_supportpoint"):
        yield ListingButton(_("Khóa máy kiosk"), reverse("programme_kiosk_key",
                                                         args=[snippet.pk]),
                            icon_name="key", priority=15)


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("programme.view_plan")


@hooks.register("register_admin_menu_item")
def programme_reports_menu():
    return ReportsMenuItem(_("Báo cáo chương trình"), reverse("programme_reports"),
                           icon_name="doc-full-inverse", order=271)


@hooks.register("construct_homepage_panels")
def progress_panel(request, panels):
    if request.user.has_perm("programme.view_plan"):
        panels.append(ProgressPanel(request.user))
