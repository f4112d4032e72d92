from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from translations.admin_panels import translated_panels

from .language_tracks import language_tracks_view
from .media_access import may_fetch
from .models import Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Chủ đề")
    menu_order = 270
    add_to_admin_menu = True
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    edit_handler = translated_panels(Topic, ["name", "description"], ["slug", "sort_order"])


register_snippet(TopicViewSet)


@hooks.register("before_serve_document")
def hide_unpublished_documents(document, request):
    """Wagtail's own document URL obeys the same rule as our media URLs."""
    if not may_fetch(request, document):
        raise Http404


@hooks.register("register_admin_urls")
def language_track_urls():
    return [path("media/<int:pk>/language-tracks/", language_tracks_view,
                 name="products_language_tracks")]
