from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import glossary, interface_views, languages, views
from .access import may_view_draft, requests_visible_to
from .models import GlossaryTerm, TranslationRequest

app_name = "translations"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("yeu-cau/moi/<int:page_id>/", views.new_request_view, name="new_request"),
    path("yeu-cau/<int:pk>/", views.request_detail_view, name="request"),
    path("yeu-cau/<int:pk>/thao-tac/<str:action>/", views.request_action_view, name="action"),
    path("yeu-cau/<int:pk>/xuat-po/", views.export_view, name="export"),
    path("yeu-cau/<int:pk>/nhap-po/", views.import_view, name="import"),
    path("giao-dien/", interface_views.overview_view, name="interface"),
    path("giao-dien/<str:code>/xuat-po/", interface_views.export_view, name="interface_export"),
    path("giao-dien/<str:code>/nhap-po/", interface_views.import_view, name="interface_import"),
    path("giao-dien/<str:code>/", interface_views.review_view, name="interface_review"),
    path("giao-dien/<str:code>/duyet/", interface_views.approve_view,
         name="interface_approve"),
]


@hooks.register("register_admin_urls")
def register_urls():
    return [path("dich-thuat/", include((urlpatterns, "translations"), namespace="translations"))]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("translations.view_translationrequest")


@hooks.register("register_admin_menu_item")
def dashboard_menu_item():
    return DashboardMenuItem(gettext_lazy("Theo dõi dịch thuật"),
                             reverse("translations:dashboard"), icon_name="site", order=250)


class TranslationRequestIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return requests_visible_to(self.request.user, super().get_base_queryset())


def visible_requests_only(view):
    """A request names its product: another organisation's draft stays unnamed."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        pk = kwargs.get("pk", args[0] if args else None)
        if not requests_visible_to(request.user).filter(pk=str(pk)).exists():
            raise PermissionDenied
        return view(request, *args, **kwargs)
    return wrapper


class TranslationRequestViewSet(SnippetViewSet):
    model = TranslationRequest
    index_view_class = TranslationRequestIndexView

    @property
    def edit_view(self):
        return visible_requests_only(super().edit_view)

    @property
    def delete_view(self):
        return visible_requests_only(super().delete_view)

    @property
    def history_view(self):
        return visible_requests_only(super().history_view)

    @property
    def usage_view(self):
        return visible_requests_only(super().usage_view)
    icon = "doc-full"
    list_display = ["product", "language", "assignee", "due_date", "state"]
    list_filter = ["language", "state"]
    inspect_view_enabled = False


class GlossaryViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "list-ul"
    list_display = ["term_vi", "rendering", "language", "approved"]
    list_filter = ["language", "approved"]
    search_fields = ["term_vi", "rendering"]


class TranslationGroup(SnippetViewSetGroup):
    items = (TranslationRequestViewSet, GlossaryViewSet)
    menu_icon = "doc-full"
    menu_label = gettext_lazy("Dịch thuật")
    menu_order = 255


register_snippet(TranslationGroup)


class InterfaceMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("translations.change_interfacestring")


@hooks.register("register_admin_menu_item")
def interface_menu_item():
    return InterfaceMenuItem(gettext_lazy("Dịch giao diện"), reverse("translations:interface"),
                             icon_name="site", order=251)


@hooks.register("register_page_header_buttons")
def ask_for_translation_button(page, user, view_name=None, next_url=None):
    if (page.locale.language_code == languages.DEFAULT
            and user.has_perm("translations.add_translationrequest")
            and may_view_draft(user, page)
            and hasattr(page.specific_class, "identifier")):
        yield Button(_("Yêu cầu dịch"), reverse("translations:new_request", args=[page.pk]),
                     icon_name="doc-full", priority=60)


@hooks.register("before_edit_page")
def warn_missing_glossary_terms(request, page):
    """Reviewers open the language version: it says which approved terms are missing."""
    if request.method != "GET" or page.locale.language_code == languages.DEFAULT:
        return
    for missing in glossary.check(page.specific):
        messages.warning(request, _(
            "Thuật ngữ “%(term)s” phải dịch là “%(rendering)s” (mục %(path)s)."
        ) % {"term": missing.term_vi, "rendering": missing.rendering, "path": missing.path})
