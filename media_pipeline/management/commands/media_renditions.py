"""Re-make or purge the renditions of one or more profiles, like Wagtail's
``wagtail_update_image_renditions``: ``manage.py media_renditions --profile radio-loudspeaker``
re-makes them here with a progress bar; ``--purge`` deletes them; ``--enqueue`` hands the
work to the db_worker processes instead."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from media_pipeline import jobs
from media_pipeline.models import MediaItem, MediaJob, Rendition
from media_pipeline.profiles import PROFILES
from media_pipeline.runner import run_job


class ProgressBar:
    def __init__(self, total: int, out, width: int = 30):
        self.total, self.out, self.width, self.done = max(total, 1), out, width, 0

    def step(self, label: str) -> None:
        self.done += 1
        filled = self.width * self.done // self.total
        self.out.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] "
                       f"{self.done}/{self.total} {label[:40]:<40}")
        self.out.flush()

    def close(self) -> None:
        self.out.write("\n")


class Command(BaseCommand):
    help = _("Làm lại hoặc xoá các bản chuyển đổi của một hay nhiều cấu hình.")

    def add_arguments(self, parser):
        parser.add_argument("--profile", action="append", dest="profiles", default=[],
                            help=_("Tên cấu hình (lặp lại được); bỏ trống: mọi cấu hình."))
        parser.add_argument("--item", type=int, action="append", dest="items", default=[],
                            help=_("Chỉ tệp có mã này (lặp lại được)."))
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--purge", action="store_true", help=_("Xoá các bản chuyển đổi."))
        mode.add_argument("--missing", action="store_true",
                          help=_("Chỉ làm bản còn thiếu, không làm lại bản đã có."))
        parser.add_argument("--enqueue", action="store_true",
                            help=_("Giao cho tiến trình db_worker thay vì làm ngay tại đây."))

    def handle(self, *args, profiles, items, purge, missing, enqueue, **options):
        unknown = sorted(set(profiles) - set(PROFILES))
        if unknown:
            raise CommandError(_("Không có cấu hình: %(unknown)s. Có: %(known)s") % {
                "unknown": ", ".join(unknown), "known": ", ".join(PROFILES)})
        queryset = MediaItem.objects.order_by("pk")
        if items:
            queryset = queryset.filter(pk__in=items)
        if purge:
            self.purge(queryset, profiles)
        else:
            self.remake(queryset, profiles, force=not missing, enqueue=enqueue)

    def purge(self, queryset, profiles):
        renditions = Rendition.objects.filter(source__in=queryset)
        if profiles:
            renditions = renditions.filter(profile__in=profiles)
        bar = ProgressBar(renditions.count(), self.stdout)
        for rendition in renditions.iterator():
            if rendition.file:
                rendition.file.delete(save=False)
            rendition.delete()
            bar.step(str(rendition))
        bar.close()
        self.stdout.write(self.style.SUCCESS(
            _("Đã xoá %(count)d bản chuyển đổi.") % {"count": bar.done}))

    def remake(self, queryset, profiles, *, force: bool, enqueue: bool):
        todo = []
        for item in queryset:
            wanted = [p for p in (profiles or item.required_profiles())
                      if p in item.required_profiles()]
            if wanted:
                todo.append((item, wanted))
        bar = ProgressBar(len(todo), self.stdout)
        outcome = {"failed": 0, "busy": 0}
        for item, wanted in todo:
            with transaction.atomic():
                job = jobs.request_renditions(item, profiles=wanted, force=force,
                                              enqueue_task=enqueue)
            if not enqueue:
                if job.state != MediaJob.State.QUEUED or run_job(job.pk) == "not-queued":
                    outcome["busy"] += 1  # a worker already has this item
                job.refresh_from_db()
                if job.state == MediaJob.State.FAILED:
                    outcome["failed"] += 1
                    self.stderr.write(f"\n{item}: {job.message}")
            bar.step(item.title)
        bar.close()
        summary = (_("Đã xếp hàng %(count)d tệp; lỗi: %(failed)d; đang do tiến trình khác "
                     "xử lý: %(busy)d.") if enqueue else
                   _("Đã xử lý %(count)d tệp; lỗi: %(failed)d; đang do tiến trình khác xử lý: "
                     "%(busy)d."))
        self.stdout.write(self.style.SUCCESS(summary % {"count": len(todo), **outcome}))
        if outcome["failed"]:
            sys.exit(1)
