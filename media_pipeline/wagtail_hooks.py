from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import MediaItem


class MediaItemViewSet(SnippetViewSet):
    model = MediaItem
    icon = "media"
    menu_label = _("Âm thanh & video")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "kind", "duration_display", "format_name", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title"]



register_snippet(MediaItemViewSet)


@hooks.register("after_create_snippet")
def record_uploader(request, instance):
    if isinstance(instance, MediaItem) and instance.uploaded_by_id is None:
        MediaItem.objects.filter(pk=instance.pk).update(uploaded_by=request.user)
