from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from . import permissions, publication
from .admin_views import MediaItemInspectView, job_action
from .chooser import MediaItemChooserViewSet
from .exceptions import MediaNotReady
from .models import MediaItem

permissions.register()


class InstancePermissionMixin:
    """Wagtail's generic views check the model permission; a media item also needs the
    permission on its own collection (its organisation's or its language's)."""

    instance_actions = ("change",)

    def get_object(self, queryset=None):
        item = super().get_object(queryset)
        if not permissions.permission_policy.user_has_any_permission_for_instance(
            self.request.user, list(self.instance_actions), item
        ):
            raise PermissionDenied
        return item


class MediaItemEditView(InstancePermissionMixin, snippet_views.EditView):
    pass


class MediaItemDeleteView(InstancePermissionMixin, snippet_views.DeleteView):
    instance_actions = ("delete",)


class MediaItemIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        """The items of the collections this user manages."""
        collections = permissions.permission_policy.collections_user_has_any_permission_for(
            self.request.user, ["add", "change", "delete"])
        return super().get_base_queryset().filter(collection__in=collections)


class MediaItemViewSet(SnippetViewSet):
    model = MediaItem
    index_view_class = MediaItemIndexView
    edit_view_class = MediaItemEditView
    delete_view_class = MediaItemDeleteView
    chooser_viewset_class = MediaItemChooserViewSet
    icon = "media"
    menu_label = _("Âm thanh & video")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "kind", "duration_display", "format_name", "processing_state",
                    "created_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    inspect_view_enabled = True
    inspect_view_class = MediaItemInspectView

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("jobs/<int:pk>/<str:action>/", job_action, name="job_action",
                 kwargs={"inspect_url_name": self.get_url_name("inspect")}),
        ]


register_snippet(MediaItemViewSet)


@hooks.register("after_create_snippet")
def record_uploader(request, instance):
    if isinstance(instance, MediaItem) and instance.uploaded_by_id is None:
        MediaItem.objects.filter(pk=instance.pk).update(uploaded_by=request.user)


@hooks.register("before_bulk_action")
def refuse_bulk_publication_while_media_not_ready(request, action_type, objects, action):
    """Bulk publish runs in one transaction, so the guard alone would already publish
    nothing; checking first names every page's missing media in one message."""
    if action_type != "publish":
        return None
    items = [item for page in objects if publication.goes_live_now(page)
             for item in publication.unready_media(page)]
    if items:
        publication.queue_missing(items, user=request.user)
        messages.error(request, MediaNotReady(items).message)
        return redirect(request.META.get("HTTP_REFERER") or "wagtailadmin_explore_root")
    return None


class PublicationHeldFormatter(LogFormatter):
    label = _("Chưa xuất bản theo lịch")

    def format_message(self, log_entry):
        titles = ", ".join(f"“{m['title']}”" for m in log_entry.data.get("media", []))
        return _("Đến giờ xuất bản theo lịch nhưng tệp âm thanh/video %(titles)s chưa chuyển "
                 "đổi xong; trang sẽ tự xuất bản khi tệp sẵn sàng.") % {"titles": titles}


@hooks.register("register_log_actions")
def register_publication_held(actions):
    actions.register_action(publication.HELD_LOG_ACTION)(PublicationHeldFormatter)
