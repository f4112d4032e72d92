from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import publication
from .admin_views import MediaItemInspectView, job_action, job_state_label
from .models import MediaItem


class MediaItemViewSet(SnippetViewSet):
    model = MediaItem
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


MediaItem.processing_state = property(job_state_label)
MediaItem.processing_state.fget.short_description = _("chuyển đổi")

register_snippet(MediaItemViewSet)


@hooks.register("after_create_snippet")
def record_uploader(request, instance):
    if isinstance(instance, MediaItem) and instance.uploaded_by_id is None:
        MediaItem.objects.filter(pk=instance.pk).update(uploaded_by=request.user)
def _refuse(request, page, items):
    publication.queue_missing(items, user=request.user)
    messages.error(request, publication.refusal_message(items))
    hint = publication.failed_hint(items)
    if hint:
        messages.warning(request, hint)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_publish_page")
def refuse_publication_while_media_not_ready(request, page):
    """Runs after the draft revision is saved: nothing the editor typed is lost."""
    items = publication.unready_media(page)
    if items:
        return _refuse(request, page, items)
    return None


@hooks.register("before_edit_page")
def refuse_approval_while_media_not_ready(request, page):
    """Approving in a workflow publishes at the last step: hold it the same way."""
    if (request.method == "POST" and request.POST.get("action-workflow-action")
            and request.POST.get("workflow-action-name") == "approve"):
        items = publication.unready_media(page)
        if items:
            return _refuse(request, page, items)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publication_while_media_not_ready(request, action_type, objects, action):
    if action_type != "publish":
        return None
    items = [item for page in objects for item in publication.unready_media(page)]
    if items:
        publication.queue_missing(items, user=request.user)
        messages.error(request, publication.refusal_message(items))
        return redirect(request.META.get("HTTP_REFERER") or "wagtailadmin_explore_root")
    return None
