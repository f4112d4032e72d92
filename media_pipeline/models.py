"""Audio and video items. Duration, size and format come from probing, never from typing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from .forms import MediaItemForm


def original_upload_to(instance: MediaItem, filename: str) -> str:
    return f"media/originals/{filename}"


class MediaItem(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        AUDIO = "audio", _("Âm thanh")
        VIDEO = "video", _("Video")

    title = models.CharField(_("tiêu đề"), max_length=255)
    file = models.FileField(_("tệp"), upload_to=original_upload_to, max_length=500)
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices, editable=False)
    duration = models.FloatField(_("thời lượng (giây)"), editable=False)
    size = models.BigIntegerField(_("dung lượng (byte)"), editable=False)
    format_name = models.CharField(_("định dạng"), max_length=100, editable=False)
    width = models.PositiveIntegerField(_("rộng"), null=True, editable=False)
    height = models.PositiveIntegerField(_("cao"), null=True, editable=False)
    audio_channels = models.PositiveSmallIntegerField(_("số kênh âm"), null=True, editable=False)
    probe_data = models.JSONField(_("thông số đo được"), default=dict, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    base_form_class = MediaItemForm
    panels = [FieldPanel("title"), FieldPanel("file")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("tệp âm thanh/video")
        verbose_name_plural = _("tệp âm thanh/video")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def duration_display(self) -> str:
        total = round(self.duration or 0)
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"

    duration_display.fget.short_description = _("thời lượng")

    def get_rendition(self, profile: str) -> Rendition | None:
        """The finished rendition for ``profile``, or None while it is missing or being made."""
        return self.renditions.filter(profile=profile, state=Rendition.State.READY).first()

    def apply_probe(self, result) -> None:
        self.kind = result.kind
        self.duration = result.duration
        self.size = result.size
        self.format_name = result.format_name
        self.width = result.width
        self.height = result.height
        self.audio_channels = result.audio_channels
        self.probe_data = result.as_json()


def rendition_upload_to(instance: Rendition, filename: str) -> str:
    return f"media/renditions/{instance.source_id}/{instance.profile}/{filename}"


class Rendition(models.Model):
    """One output of one media item for one named profile (see profiles.py), unique per
    (source, profile) like Wagtail's image renditions. Only READY renditions are used."""

    class State(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        READY = "ready", _("Sẵn sàng")
        FAILED = "failed", _("Lỗi")

    source = models.ForeignKey(MediaItem, related_name="renditions", on_delete=models.CASCADE)
    profile = models.CharField(_("cấu hình"), max_length=40)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices,
                             default=State.PENDING)
    file = models.FileField(_("tệp"), upload_to=rendition_upload_to, max_length=500, blank=True)
    mime_type = models.CharField(max_length=80, blank=True)
    size = models.BigIntegerField(_("dung lượng (byte)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    duration = models.FloatField(_("thời lượng (giây)"), null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    bit_rate = models.PositiveIntegerField(null=True, blank=True)
    # Measured loudness of audio outputs (EBU R128): integrated LUFS, true peak dBTP, range LU.
    loudness_integrated = models.FloatField(null=True, blank=True)
    loudness_true_peak = models.FloatField(null=True, blank=True)
    loudness_range = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bản chuyển đổi")
        verbose_name_plural = _("bản chuyển đổi")
        constraints = [
            models.UniqueConstraint(fields=["source", "profile"], name="unique_rendition_profile")
        ]

    def __str__(self) -> str:
        return f"{self.source} [{self.profile}]"
