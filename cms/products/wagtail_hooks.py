from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from media_pipeline.models import MediaItem
from translations.admin_panels import translated_panels

from .file_integrity import FileInUse, pages_holding
from .file_versions import replace_media_view, usage_notice
from .language_tracks import language_tracks_view
from .media_access import choosable, may_fetch
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
def file_version_urls():
    return [path("tep/<int:pk>/thay-tep/", replace_media_view, name="products_replace_media"),
            path("tep/<int:pk>/rang-tieng/", language_tracks_view,
                 name="products_language_tracks")]


@hooks.register("before_edit_snippet")
def keep_approved_media_file(request, instance):
    """The media item's edit page says which pages use it; a new file for an item in use
    is refused here (the model refuses it too) and pointed to "replace file"."""
    if not isinstance(instance, MediaItem):
        return None
    if request.method == "POST" and request.FILES.get("file"):
        pages = pages_holding(instance)
        if pages:
            messages.error(request, FileInUse(instance, pages).message)
            return redirect("products_replace_media", instance.pk)
    elif request.method == "GET" and (notice := usage_notice(instance)):
        messages.warning(request, notice)
    return None


@hooks.register("construct_page_chooser_queryset")
def hide_other_organisations_drafts(pages, request):
    """The page chooser (links, its search) lists live pages and the user's own drafts:
    another organisation's draft is not even named."""
    user = request.user
    if user.is_superuser:
        return pages
    own = PagePermissionPolicy().instances_user_has_any_permission_for(
        user, ["add", "change", "publish"])
    return pages.filter(Q(live=True) | Q(id__in=list(own.values_list("id", flat=True))))


@hooks.register("construct_image_chooser_queryset")
def choose_own_or_public_images(images, request):
    return choosable(images, request.user)


@hooks.register("construct_document_chooser_queryset")
def choose_own_or_public_documents(documents, request):
    return choosable(documents, request.user)


@hooks.register("construct_media_item_chooser_queryset")
def choose_own_or_public_media(items, request):
    return choosable(items, request.user)
