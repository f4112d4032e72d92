"""A product goes live only with media that is ready: every rendition of every audio/video
item the version uses made, none being re-made. Anything missing is queued on the way.

The check sits where every publication passes: Wagtail's ``PublishPageRevisionAction``
(see ``install_publish_guard``). The page edit and create views, the admin API, the workflow
(approval from the edit view or the dashboard's modal), bulk publish, ``publish_scheduled``
and code calling ``revision.publish()`` all end there. Each gets ``MediaNotReady`` except
``publish_scheduled``, which has no one to tell and must go on with other pages: there the
revision is held (still scheduled) and goes live at a later run once the media is ready.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import MediaNotReady
from .models import MediaItem

logger = logging.getLogger(__name__)

# Wagtail's publish_scheduled command publishes with this log action, and nothing else does.
SCHEDULED_LOG_ACTION = "wagtail.publish.scheduled"
HELD_LOG_ACTION = "media_pipeline.publish_held"


def page_media(page) -> list[MediaItem]:
    specific = getattr(page, "specific", page)
    return list(specific.media_items()) if hasattr(specific, "media_items") else []


def unready_media(page) -> list[MediaItem]:
    if not getattr(settings, "LOA_MEDIA_REQUIRE_READY_TO_PUBLISH", True):
        return []
    return [item for item in page_media(page) if not item.renditions_ready()]


def goes_live_now(page) -> bool:
    """Publishing with a go-live date in the future only schedules: the check waits for
    the date (publish_scheduled), so an editor may schedule while media is converting."""
    return not (page.go_live_at and page.go_live_at > timezone.now())


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


def check_ready(page, user=None) -> None:
    """Raise MediaNotReady when ``page`` (the version about to go live) would go live now
    with media that is not ready; queue what is missing first."""
    if not goes_live_now(page):
        return
    items = unready_media(page)
    if items:
        queue_missing(items, user=user)
        raise MediaNotReady(items, page=page)


def hold_scheduled(page, revision) -> bool:
    """For publish_scheduled: True (and nothing published) while the media is not ready.
    The revision keeps its approved go-live date, so a later run publishes it."""
    try:
        check_ready(page)
    except MediaNotReady as error:
        _record_hold(page, revision, error)
        return True
    return False


def _record_hold(page, revision, error: MediaNotReady) -> None:
    """Once per revision in the page's history (the command may run every minute), so
    the editor sees why the page did not go live at the scheduled time."""
    from wagtail.log_actions import log
    from wagtail.models import PageLogEntry

    logger.warning("scheduled publication of page %s held: media not ready (%s)", page.pk,
                   ", ".join(str(item.pk) for item in error.items))
    if not PageLogEntry.objects.filter(page_id=page.pk, revision=revision,
                                       action=HELD_LOG_ACTION).exists():
        log(instance=page, action=HELD_LOG_ACTION, revision=revision,
            data={"media": [{"id": item.pk, "title": item.title} for item in error.items]})


def publish_when_ready(revision, user=None) -> bool:
    """Publish ``revision`` now if its media is ready (True); otherwise queue what is
    missing and approve it to go live now through Wagtail's scheduler: publish_scheduled
    holds it (``hold_scheduled``) and publishes it at the first run after the renditions
    are made (False). For code that publishes right after uploading media (demo loaders,
    imports): a plain ``revision.publish()`` would raise MediaNotReady."""
    page = revision.as_object()
    items = unready_media(page) if goes_live_now(page) else []
    if not items:
        revision.publish(user=user)
        return True
    queue_missing(items, user=user)
    revision.approved_go_live_at = timezone.now()
    revision.save(update_fields=["approved_go_live_at"])
    type(revision).objects.filter(
        base_content_type_id=revision.base_content_type_id, object_id=revision.object_id,
    ).exclude(pk=revision.pk).update(approved_go_live_at=None)
    return False


def live_or_due(page) -> bool:
    """Live, or waiting for its media to go live (see publish_when_ready)."""
    return page.live or page.revisions.filter(approved_go_live_at__isnull=False).exists()


def failed_hint(items: list[MediaItem]) -> str:
    failed = [i for i in items if i.active_job() is None and last_job_failed(i)]
    if not failed:
        return ""
    return _("Tệp lỗi cần tải lên lại hoặc chạy lại: %(titles)s.") % {
        "titles": ", ".join(f"“{i.title}”" for i in failed)}


def install_publish_guard() -> None:
    """Put ``check_ready`` in front of Wagtail's PublishPageRevisionAction.execute.

    Why here: it is the one point every page publication passes. The edit view and the
    admin API build this action themselves, so neither overriding ``Page.publish`` nor
    registering a subclass would reach them; Wagtail's ``before_publish_page`` hook runs
    only in the admin's create and edit views (not for bulk, scheduled or API publishing),
    and Wagtail has no hook that every publication runs. The permission check stays first
    and runs once: Wagtail's own execute is then told it was done."""
    from wagtail.actions.publish_page_revision import PublishPageRevisionAction

    original = PublishPageRevisionAction.execute
    if getattr(original, "media_guard", False):
        return

    def execute(self, skip_permission_checks=False):
        self.check(skip_permission_checks=skip_permission_checks)
        if self.log_action == SCHEDULED_LOG_ACTION:
            if hold_scheduled(self.object, self.revision):
                return None
        else:
            check_ready(self.object, user=self.user)
        return original(self, skip_permission_checks=True)  # checked just above

    execute.media_guard = True
    PublishPageRevisionAction.execute = execute
