from django.utils.translation import gettext_lazy as _
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
