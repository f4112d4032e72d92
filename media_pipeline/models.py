"""Audio and video items. Duration, size and format come from probing, never from typing."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.documents import get_document_model_string
from wagtail.images import get_image_model_string
from wagtail.models import CollectionMember
from wagtail.search import index

from loa.leases import Leased
from translations.plain_text import PlainTextFields

from .file_types import FileType, probed_type, stored_name
from .forms import MediaItemForm


def original_upload_to(instance: MediaItem, filename: str) -> str:
    # The extension is what ffprobe found, whatever the uploaded name said.
    return f"media/originals/{stored_name(filename, instance.file_type)}"


class MediaItem(PlainTextFields, CollectionMember, index.Indexed, models.Model):
    """An uploaded recording. Its collection decides who manages it (one per organisation
    and one per translated language, like Wagtail's images and documents)."""

    plain_text_fields = ("title",)
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
    # A file approved content uses never changes in place: a new recording becomes a new
    # item that names the one it replaces, for the editor to choose in a new page revision.
    replaces = models.ForeignKey(
        "self", verbose_name=_("thay cho"), null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="replaced_by",
    )

    base_form_class = MediaItemForm
    panels = [FieldPanel("title"), FieldPanel("collection"), FieldPanel("file")]
    # The chooser's search narrows by collection and by id (items already public).
    search_fields = [*CollectionMember.search_fields, index.FilterField("id"),
                     index.SearchField("title"), index.AutocompleteField("title")]

    # The file name in the database before this save (set by signals.py on pre_save): a
    # changed file means new renditions.
    stored_file_name: str | None = None

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

    def required_profiles(self) -> list[str]:
        """Profiles this item gets (a video without sound gets no audio outputs)."""
        from .profiles import profiles_for

        has_audio = self.kind == self.Kind.AUDIO or bool(self.audio_channels)
        return [p.name for p in profiles_for(self.kind, has_audio=has_audio)]

    def missing_profiles(self) -> list[str]:
        ready = set(self.renditions.filter(state=Rendition.State.READY)
                    .values_list("profile", flat=True))
        return [name for name in self.required_profiles() if name not in ready]

    def renditions_ready(self) -> bool:
        """Every rendition made, and none being re-made (e.g. after the file changed)."""
        return not self.missing_profiles() and self.active_job() is None

    def active_job(self) -> MediaJob | None:
        return self.jobs.filter(state__in=MediaJob.ACTIVE_STATES).first()

    @property
    def processing_state(self) -> str:
        """The latest job's state as the media list shows it (with progress while running)."""
        job = self.jobs.first()
        if job is None:
            return gettext("Chưa xử lý")
        if job.state == MediaJob.State.RUNNING:
            return gettext("Đang xử lý %(pct)s%%") % {"pct": round(job.progress)}
        return job.get_state_display()

    processing_state.fget.short_description = _("chuyển đổi")  # the list's column heading

    def get_rendition(self, profile: str) -> Rendition | None:
        """The finished rendition for ``profile``, or None while it is missing or being made."""
        return self.renditions.filter(profile=profile, state=Rendition.State.READY).first()

    @property
    def file_type(self) -> FileType:
        return probed_type(self.format_name, self.kind)

    def apply_probe(self, result) -> None:
        self.kind = result.kind
        self.duration = result.duration
        self.size = result.size
        self.format_name = result.format_name
        self.width = result.width
        self.height = result.height
        self.audio_channels = result.audio_channels
        self.probe_data = result.as_json()


# Where ``prefetch_ready_renditions`` leaves each item's READY renditions (a list).
READY_RENDITIONS = "ready_renditions"


def prefetch_ready_renditions(items: Iterable[MediaItem]) -> None:
    """Each item's READY renditions, oldest first, as ``item.ready_renditions``: one query
    for all the items, the way Wagtail prefetches image renditions for a listing."""
    ready = Rendition.objects.filter(state=Rendition.State.READY).order_by("pk")
    prefetch_related_objects(
        list(items), Prefetch("renditions", queryset=ready, to_attr=READY_RENDITIONS))


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
    # Measured loudness of audio outputs and of video rungs' sound (EBU R128), read from the
    # output file: integrated LUFS, true peak dBTP, range LU.
    loudness_integrated = models.FloatField(null=True, blank=True)
    loudness_true_peak = models.FloatField(null=True, blank=True)
    loudness_range = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The upload already met the profile, so its streams were copied, not re-encoded.
    remuxed = models.BooleanField(_("sao chép luồng, không mã hoá lại"), default=False)

    class Meta:
        verbose_name = _("bản chuyển đổi")
        verbose_name_plural = _("bản chuyển đổi")
        constraints = [
            models.UniqueConstraint(fields=["source", "profile"], name="unique_rendition_profile")
        ]

    def __str__(self) -> str:
        return f"{self.source} [{self.profile}]"


class MediaJob(Leased):
    """One request to make an item's missing renditions, as the editor sees it: queued,
    running with a percentage, then succeeded, failed (with a reason) or cancelled.
    At most one active job per item, so two workers never make the same rendition.
    A running job is leased to its worker (loa.leases), renewed at each progress write."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang xếp hàng")
        RUNNING = "running", _("Đang xử lý")
        SUCCEEDED = "succeeded", _("Hoàn tất")
        FAILED = "failed", _("Lỗi")
        CANCELLED = "cancelled", _("Đã huỷ")

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    item = models.ForeignKey(MediaItem, verbose_name=_("tệp"), related_name="jobs",
                             on_delete=models.CASCADE)
    profiles = models.JSONField(_("cấu hình cần làm"), default=list, blank=True,
                                help_text=_("Để trống: mọi cấu hình tệp này cần."))
    force = models.BooleanField(_("làm lại cả bản đã có"), default=False)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices,
                             default=State.QUEUED, db_index=True)
    progress = models.FloatField(_("tiến độ (%)"), default=0)
    stage = models.CharField(_("bước"), max_length=200, blank=True)
    message = models.TextField(_("thông báo"), blank=True)
    detail = models.TextField(_("chi tiết kỹ thuật"), blank=True,
                              help_text=_("Phần cuối nhật ký ffmpeg, cho quản trị viên."))
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("lượt chuyển đổi")
        verbose_name_plural = _("lượt chuyển đổi")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(state__in=["queued", "running"]),
                name="one_active_media_job_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} – {self.get_state_display()}"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES


class DocumentThumbnail(models.Model):
    """A picture of a PDF document's first page for one named spec (pdf_render.SPECS),
    unique per (document, spec) like a rendition. The picture is a Wagtail image, so pages
    use the usual image renditions (WebP, srcset, focal point); it is public exactly when
    its document is (cms.products.media_access.image_owner). ``source`` is the document
    file it was drawn from: a replaced file makes it stale."""

    class State(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        READY = "ready", _("Sẵn sàng")
        FAILED = "failed", _("Lỗi")

    document = models.ForeignKey(get_document_model_string(), verbose_name=_("tài liệu"),
                                 related_name="pdf_thumbnails", on_delete=models.CASCADE)
    spec = models.CharField(_("cấu hình"), max_length=40)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices,
                             default=State.PENDING)
    image = models.ForeignKey(get_image_model_string(), verbose_name=_("ảnh"), null=True,
                              blank=True, related_name="+", on_delete=models.SET_NULL)
    source = models.CharField(_("tệp nguồn"), max_length=500, blank=True)
    message = models.TextField(_("thông báo"), blank=True)
    detail = models.TextField(_("chi tiết kỹ thuật"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ảnh trang đầu PDF")
        verbose_name_plural = _("ảnh trang đầu PDF")
        constraints = [
            models.UniqueConstraint(fields=["document", "spec"],
                                    name="unique_document_thumbnail_spec")
        ]

    def __str__(self) -> str:
        return f"{self.document} [{self.spec}]"

    def is_current(self, source: str) -> bool:
        return self.state == self.State.READY and self.image_id is not None \
            and self.source == source
