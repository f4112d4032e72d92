"""Index updates the search engine missed while it was down or too slow, applied when it
answers again (``search.catch_up``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingIndexUpdate(models.Model):
    """One object whose entry in the engine's index may be stale: re-read from the database
    when applied (added if it is public, removed if it is not or no longer exists)."""

    app_label = models.CharField(max_length=100)
    model_name = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cập nhật chỉ mục đang chờ")
        verbose_name_plural = _("cập nhật chỉ mục đang chờ")
        constraints = [models.UniqueConstraint(fields=["app_label", "model_name", "object_id"],
                                               name="loa_search_pending_once")]

    def __str__(self) -> str:
        return f"{self.app_label}.{self.model_name} {self.object_id}"
