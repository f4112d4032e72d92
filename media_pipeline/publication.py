"""A product goes live only with media that is ready: every rendition of every audio/video
item the page uses made, none being re-made. Anything missing is queued on the way."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import MediaItem


def page_media(page) -> list[MediaItem]:
    specific = getattr(page, "specific", page)
    return list(specific.media_items()) if hasattr(specific, "media_items") else []


def unready_media(page) -> list[MediaItem]:
    if not getattr(settings, "LOA_MEDIA_REQUIRE_READY_TO_PUBLISH", True):
        return []
    return [item for item in page_media(page) if not item.renditions_ready()]


def last_job_failed(item: MediaItem) -> bool:
    last = item.jobs.first()
    return last is not None and last.state == last.State.FAILED


def queue_missing(items: list[MediaItem], user=None) -> None:
    """Make sure something is working on each item (idempotent: one active job per item).
    An item whose last job failed waits for the editor: the same file would fail again."""
    from .jobs import request_renditions

    for item in items:
        if item.active_job() is None and not last_job_failed(item):
            request_renditions(item, profiles=item.missing_profiles(), user=user)


def refusal_message(items: list[MediaItem]) -> str:
    titles = ", ".join(f"“{item.title}”" for item in items)
    return ngettext(
        "Chưa thể xuất bản: tệp âm thanh/video %(titles)s chưa chuyển đổi xong. Bản nháp đã "
        "được lưu; hãy xuất bản lại khi tệp ở trạng thái “Sẵn sàng”.",
        "Chưa thể xuất bản: các tệp âm thanh/video %(titles)s chưa chuyển đổi xong. Bản nháp "
        "đã được lưu; hãy xuất bản lại khi các tệp ở trạng thái “Sẵn sàng”.",
        len(items),
    ) % {"titles": titles}


def failed_hint(items: list[MediaItem]) -> str:
    failed = [i for i in items if i.active_job() is None and last_job_failed(i)]
    if not failed:
        return ""
    return _("Tệp lỗi cần tải lên lại hoặc chạy lại: %(titles)s.") % {
        "titles": ", ".join(f"“{i.title}”" for i in failed)}
