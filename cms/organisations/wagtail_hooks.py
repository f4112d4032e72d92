from axes.models import AccessAttempt
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from translations.admin_panels import translated_panels

from .models import Area, Organisation


class AreaViewSet(SnippetViewSet):
    model = Area
    icon = "site"
    list_display = ["name", "level", "parent", "code", "is_border"]
    list_filter = ["level", "is_border"]
    search_fields = ["name", "code"]
    edit_handler = translated_panels(Area, ["name"], ["level", "parent", "code", "is_border"])


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name", "area", "parent"]
    search_fields = ["name"]


class OrganisationGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, AreaViewSet)
    menu_icon = "group"
    menu_label = _("Đơn vị, địa bàn")
    menu_order = 260


register_snippet(OrganisationGroup)


class UnlockOnlyPolicy(ModelPermissionPolicy):
    """Administrators see the locked logins and unlock them (delete the record); nobody
    creates or edits one by hand."""

    def user_has_permission(self, user, action: str) -> bool:
        return bool(user.is_active and user.is_superuser and action in ("view", "delete"))

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)


class LoginLockViewSet(ModelViewSet):
    """Settings → Khóa đăng nhập: the user names and addresses django-axes counts wrong
    passwords for; deleting a row unlocks that login at once."""

    model = AccessAttempt
    icon = "lock"
    menu_label = _("Khóa đăng nhập")
    add_to_settings_menu = True
    copy_view_enabled = False
    form_fields = ["username"]  # required by ModelViewSet; no one may add or edit
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    search_fields = ["username", "ip_address"]


register_permission_policy(AccessAttempt, UnlockOnlyPolicy(AccessAttempt))


@hooks.register("register_admin_viewset")
def register_login_locks():
    return LoginLockViewSet("khoa-dang-nhap")
