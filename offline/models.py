"""The ZIM files the site offers, and the state of their background rebuild."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ZimFile(models.Model):
    """The newest checked ZIM of one selection (a language, or "all") and flavour. The row
    changes only once a new file is complete and has passed zimcheck, so the old file is
    offered until then."""

    selection = models.CharField(_("ngôn ngữ"), max_length=20)
    flavour = models.CharField(_("phiên bản"), max_length=10)
    name = models.CharField(_("tên"), max_length=120)
    file = models.CharField(_("tệp"), max_length=300)  # storage name
    size = models.BigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    product_count = models.PositiveIntegerField(_("số sản phẩm"), default=0)
    built_at = models.DateTimeField(_("thời điểm tạo"))

    class Meta:
        verbose_name = _("tệp ZIM")
        verbose_name_plural = _("tệp ZIM")
        ordering = ["selection", "flavour"]
        constraints = [models.UniqueConstraint(fields=["selection", "flavour"],
                                               name="offline_one_zim_per_selection")]

    def __str__(self) -> str:
        return self.name

    @property
    def download_name(self) -> str:
        return f"{self.name}.zim"


class BuildState(models.Model):
    """One row: when a rebuild was last asked for and whether one is running (a lease)."""

    requested_at = models.DateTimeField(null=True, blank=True)
    building_since = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("trạng thái tạo tệp ZIM")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
