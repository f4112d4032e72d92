"""Apply the index updates the search engine missed while it was down (cron, every minute)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from search import catch_up
from search.public import public_backend


class Command(BaseCommand):
    help = "Áp dụng các cập nhật chỉ mục mà máy tìm kiếm bỏ lỡ khi không hoạt động."

    def handle(self, *args, **options) -> None:
        waiting = catch_up.pending_count()
        applied = catch_up.apply_pending(public_backend(), limit=max(waiting, 1))
        self.stdout.write(f"{applied}/{waiting}")
