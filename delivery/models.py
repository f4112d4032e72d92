"""What was sent to the Ministry, and what the OAI-PMH feed shows.

``DeliveryRecord``: one package version of one language version of a product, or the
withdrawal notice of a delivered version, with its upload state and automatic retries;
 ``DeliveryPart``: the multipart parts that reached the remote (so a resumed
upload does not send them again). ``OaiRecord``: the persistent OAI-PMH record of one
language version, kept when the page is unpublished or deleted (status "deleted")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from loa.leases import Leased


class DeliveryRecord(Leased):
    class Kind(models.TextChoices):
        PACKAGE = "package", _("Gói sản phẩm")
        #: a small JSON notice next to a delivered version: the product was withdrawn
        WITHDRAWAL = "withdrawal", _("Thông báo rút")

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ gửi")
        SENDING = "sending", _("Đang gửi")
        DELIVERED = "delivered", _("Đã gửi")
        FAILED = "failed", _("Lỗi")

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("sản phẩm"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    identifier = models.CharField(_("mã định danh"), max_length=64, db_index=True)
    language = models.CharField(_("ngôn ngữ"), max_length=20)
    title = models.CharField(_("tiêu đề"), max_length=255)
    version = models.PositiveIntegerField(_("phiên bản"))
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices,
                            default=Kind.PACKAGE, db_index=True)
    fingerprint = models.CharField(_("dấu vân nội dung"), max_length=64)
    #: cheap summary of the sources (see contents.source_stamp) when last checked
    source_stamp = models.CharField(max_length=300, blank=True)
    key = models.CharField(_("khóa trên nơi nhận"), max_length=1024)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices,
                             default=State.QUEUED, db_index=True)
    reason = models.TextField(_("lý do lỗi"), blank=True)
    detail = models.TextField(_("chi tiết kỹ thuật"), blank=True)
    contents = models.JSONField(_("thành phần gói"), default=list, blank=True)
    bag_size = models.BigIntegerField(_("dung lượng gói (byte)"), null=True, blank=True)
    part_size = models.BigIntegerField(null=True, blank=True)
    upload_id = models.CharField(max_length=1024, blank=True)
    checksum_sha256 = models.CharField(_("SHA-256 (ghép các phần)"), max_length=100,
                                       blank=True)
    #: automatic retries already scheduled after passing failures (see retries.py); the
    #: attempts, the sending worker's lease and the next planned try come from Leased
    auto_retries = models.PositiveIntegerField(_("số lần tự thử lại"), default=0)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    delivered_at = models.DateTimeField(_("gửi xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần gửi gói")
        verbose_name_plural = _("gửi gói về Bộ")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["identifier", "language", "version", "kind"],
                                    name="unique_delivery_version_kind"),
        ]

    def __str__(self) -> str:
        suffix = " (rút)" if self.kind == self.Kind.WITHDRAWAL else ""
        return f"{self.identifier}/{self.language} v{self.version}{suffix}"

    @property
    def external_identifier(self) -> str:
        return f"{self.identifier}/{self.language}"


class DeliveryPart(models.Model):
    record = models.ForeignKey(DeliveryRecord, related_name="parts", on_delete=models.CASCADE)
    number = models.PositiveIntegerField()
    size = models.BigIntegerField()
    etag = models.CharField(max_length=200)
    checksum_sha256 = models.CharField(max_length=64)  # base64, as S3 reports it

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="unique_delivery_part"),
        ]

    def __str__(self) -> str:
        return f"{self.record} part {self.number}"


class OaiRecord(models.Model):
    oai_identifier = models.CharField(max_length=300, unique=True)
    page = models.ForeignKey("wagtailcore.Page", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    identifier = models.CharField(max_length=64)
    language = models.CharField(max_length=20, db_index=True)
    kind = models.CharField(max_length=20, db_index=True)
    datestamp = models.DateTimeField(db_index=True)
    deleted = models.BooleanField(default=False)
    #: Dublin Core as [[element, value, xml:lang or ""], ...] in document order.
    dublin_core = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("bản ghi OAI-PMH")
        verbose_name_plural = _("bản ghi OAI-PMH")
        ordering = ["datestamp", "id"]
        indexes = [models.Index(fields=["datestamp", "id"], name="oai_record_order")]

    def __str__(self) -> str:
        return self.oai_identifier
