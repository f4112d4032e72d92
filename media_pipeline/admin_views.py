"""Admin screens for media: an item's renditions (state, size, loudness) and its jobs
(progress, editor message, ffmpeg tail for admins), with cancel and re-run."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.snippets.views.snippets import InspectView

from . import jobs
from .models import MediaItem
from .permissions import permission_policy
from .profiles import PROFILES


class MediaItemInspectView(InspectView):
    template_name = "media_pipeline/admin/inspect.html"

    def get_object(self, queryset=None):
        item = super().get_object(queryset)
        if not permission_policy.user_has_any_permission_for_instance(
            self.request.user, ["change", "delete"], item
        ):
            raise Http404
        return item

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item: MediaItem = self.object
        renditions = {r.profile: r for r in item.renditions.all()}
        context.update({
            "rendition_rows": [(PROFILES[name], renditions.get(name))
                               for name in item.required_profiles()],
            "media_jobs": item.jobs.all()[:10],
            "active_job": item.active_job(),
            "show_detail": self.request.user.is_superuser,
            "job_action_url_name": self.url_namespace + ":job_action",
            "audio_tracks": (item.probe_data or {}).get("audio_tracks") or [],
        })
        return context

    @property
    def url_namespace(self) -> str:
        return self.index_url_name.rsplit(":", 1)[0]


ACTIONS = ("cancel", "rerun", "remake")


@require_POST
def job_action(request: HttpRequest, pk: int, action: str, *, inspect_url_name: str,
               ) -> HttpResponse:
    """Cancel the active job, re-run what is missing, or re-make every rendition."""
    if action not in ACTIONS:
        raise Http404
    item = get_object_or_404(MediaItem, pk=pk)
    if not permission_policy.user_has_permission_for_instance(request.user, "change", item):
        raise Http404
    active = item.active_job()
    if action == "cancel":
        if active and jobs.cancel(active):
            messages.success(request, _("Đã huỷ lượt chuyển đổi."))
        else:
            messages.warning(request, _("Không có lượt chuyển đổi nào đang chạy."))
    elif active:
        messages.warning(request, _("Đang có lượt chuyển đổi; hãy chờ xong hoặc huỷ trước."))
    else:
        jobs.request_renditions(item, force=action == "remake", user=request.user)
        messages.success(request, _("Đã xếp hàng chuyển đổi lại."))
    return redirect(inspect_url_name, pk)


