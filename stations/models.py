"""Radio stations that air the bulletins, what they downloaded and what they aired.

A station (provincial radio-TV, district station, commune loudspeaker station) receives the
bulletins in the languages it airs, in the audio profile it takes, through a private feed
opened with its access key. Every download is logged; the station reports each airing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.search import index

from cms import access_keys as keys
from cms.organisations.models import Level
from media_pipeline.profiles import STATION_AUDIO_PROFILES
from translations import languages
from translations.plain_text import PlainTextFields

PROFILE_LABELS = {
    "radio-loudspeaker": _("MP3 cho loa truyền thanh xã (128 kb/s, -16 LUFS)"),
    "radio-provincial": _("MP3 cho đài tỉnh (128 kb/s, EBU R128 -23 LUFS)"),
    "broadcast-master": _("Bản phát sóng MPEG-1 Layer II 256 kb/s (-23 LUFS)"),
    "broadcast-master-wav": _("Bản phát sóng WAV 16-bit 48 kHz (-23 LUFS)"),
}


def profile_choices() -> list[tuple[str, str]]:
    return [(name, PROFILE_LABELS.get(name, name)) for name in STATION_AUDIO_PROFILES]


def validate_language_codes(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Chọn ít nhất một ngôn ngữ phát sóng."))
    unknown = [code for code in value if code not in languages.BY_CODE]
    if unknown:
        raise ValidationError(
            _("Mã ngôn ngữ không được hỗ trợ: %(codes)s") % {"codes": ", ".join(map(str, unknown))}
        )


class Station(PlainTextFields, index.Indexed, models.Model):
    plain_text_fields = ("name", "contact_name")
    name = models.CharField(_("tên đài"), max_length=200, unique=True)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    area = models.ForeignKey(
        "organisations.Area", verbose_name=_("địa bàn"), on_delete=models.PROTECT,
        related_name="stations",
    )
    languages = models.JSONField(
        _("ngôn ngữ phát sóng"), default=list, validators=[validate_language_codes],
        help_text=_("Đài chỉ nhận bản tin ở các ngôn ngữ này."),
    )
    audio_profile = models.CharField(
        _("định dạng âm thanh nhận"), max_length=40, choices=profile_choices,
        default="radio-loudspeaker",
    )
    contact_name = models.CharField(_("người liên hệ"), max_length=120, blank=True)
    contact_phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    contact_email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    key_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    key_hint = models.CharField(_("khóa bắt đầu bằng"), max_length=6, blank=True,
                                editable=False)
    key_issued_at = models.DateTimeField(_("cấp khóa lúc"), null=True, editable=False)
    key_revoked_at = models.DateTimeField(_("thu hồi khóa lúc"), null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("đài phát thanh, truyền thanh")
        verbose_name_plural = _("đài phát thanh, truyền thanh")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.area_id and self.level and self.area.level != self.level:
            raise ValidationError({"area": _("Địa bàn phải cùng cấp với đài (%(level)s).") % {
                "level": self.get_level_display()}})

    # --- access key ---------------------------------------------------------------
    @property
    def has_key(self) -> bool:
        return bool(self.key_hash)

    def rotate_key(self) -> str:
        """Issue a new key (the old one stops working) and return it: shown once only."""
        key = keys.new_key()
        self.key_hash, self.key_hint = keys.hash_key(key), key[:6]
        self.key_issued_at, self.key_revoked_at = timezone.now(), None
        self.save(update_fields=["key_hash", "key_hint", "key_issued_at", "key_revoked_at"])
        return key

    def revoke_key(self) -> None:
        self.key_hash, self.key_revoked_at = "", timezone.now()
        self.save(update_fields=["key_hash", "key_revoked_at"])

    def key_matches(self, key: str) -> bool:
        return self.is_active and keys.key_matches(key, self.key_hash)

    def language_names(self) -> str:
        return ", ".join(languages.BY_CODE[c].name_vi for c in self.languages
                         if c in languages.BY_CODE)

    language_names.short_description = _("ngôn ngữ")


class DownloadLog(models.Model):
    """One HTTP request for a bulletin's audio by a station: which bytes left and whether
    they reached the end of the file. With nginx or S3 the bytes are those handed off."""

    station = models.ForeignKey(Station, verbose_name=_("đài"), on_delete=models.PROTECT,
                                related_name="downloads")
    bulletin = models.ForeignKey(
        "products.BulletinPage", verbose_name=_("bản tin"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    bulletin_title = models.CharField(_("tên bản tin"), max_length=255)
    language = models.CharField(_("ngôn ngữ"), max_length=10)
    profile = models.CharField(_("định dạng"), max_length=40)
    started_at = models.DateTimeField(_("bắt đầu lúc"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True)
    range_start = models.BigIntegerField(_("từ byte"), default=0)
    bytes_sent = models.BigIntegerField(_("số byte"), default=0)
    file_size = models.BigIntegerField(_("dung lượng tệp"), default=0)
    complete = models.BooleanField(_("đã tới hết tệp"), default=False)
    method = models.CharField(_("cách gửi"), max_length=10)
    client = models.CharField(_("máy khách"), max_length=200, blank=True)
    # nginx's $request_id for a row read from its access log: reading the log again
    # (a second run, a rotated file) adds nothing twice.
    request_id = models.CharField(max_length=32, null=True, blank=True, unique=True,
                                  editable=False)

    class Meta:
        verbose_name = _("lượt tải về")
        verbose_name_plural = _("lượt tải về")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["station", "bulletin", "complete"])]

    def __str__(self) -> str:
        return f"{self.station} · {self.bulletin_title} · {self.bytes_sent} B"


class AiringReport(models.Model):
    """A station's own confirmation that it aired a bulletin."""

    class Source(models.TextChoices):
        WEB = "web", _("Trang báo cáo")
        CLIENT = "client", _("Chương trình đồng bộ")

    station = models.ForeignKey(Station, verbose_name=_("đài"), on_delete=models.PROTECT,
                                related_name="airings")
    bulletin = models.ForeignKey(
        "products.BulletinPage", verbose_name=_("bản tin"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    bulletin_title = models.CharField(_("tên bản tin"), max_length=255)
    aired_on = models.DateField(_("ngày phát"))
    aired_at = models.TimeField(_("giờ phát"))
    times = models.PositiveSmallIntegerField(
        _("số lần phát"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    source = models.CharField(_("báo cáo qua"), max_length=10, choices=Source.choices,
                              default=Source.WEB)
    reported_at = models.DateTimeField(_("báo cáo lúc"), auto_now=True)

    class Meta:
        verbose_name = _("báo cáo phát sóng")
        verbose_name_plural = _("báo cáo phát sóng")
        ordering = ["-aired_on", "-aired_at"]
        constraints = [
            models.UniqueConstraint(fields=["station", "bulletin", "aired_on", "aired_at"],
                                    name="unique_airing_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.bulletin_title} · {self.aired_on} {self.aired_at}"



# Apple Podcasts refuses show artwork smaller than this (square, JPEG or PNG).
MIN_ARTWORK_SIDE = 1400


@register_setting(icon="image")
class FeedSettings(BaseGenericSetting):
    """The department's picture for its bulletin feeds (public and stations'): the show's
    image in podcast apps. Without one, the newest bulletin cover stands in, and without
    any cover a picture drawn with the department's name (stations/artwork.py)."""

    artwork = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("ảnh đại diện của chương trình"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Ảnh vuông hoặc gần vuông, ít nhất 1400 × 1400 điểm ảnh (yêu cầu của "
                    "Apple Podcasts). Ứng dụng nghe đài hiển thị ảnh này cho bản tin."),
    )

    panels = [FieldPanel("artwork")]

    class Meta:
        verbose_name = _("ảnh bản tin cho ứng dụng nghe đài")

    def clean(self) -> None:
        super().clean()
        image = self.artwork
        if image is not None and min(image.width, image.height) < MIN_ARTWORK_SIDE:
            raise ValidationError({"artwork": _(
                "Ảnh %(width)s × %(height)s điểm ảnh quá nhỏ: cần ít nhất %(side)s điểm ảnh "
                "mỗi chiều.") % {"width": image.width, "height": image.height,
                                 "side": MIN_ARTWORK_SIDE}})


class GateStamp(models.Model):
    """One row whose number changes whenever a station download's bulletin side may have
    changed (publication, privacy, move, deletion, a rendition made or removed): the station
    gate keeps its answers for the bulletins while the number stays the same, and reads the
    number with the station on every question (stations.gate, stations.signals)."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("dấu phiên bản cổng tải")
        verbose_name_plural = _("dấu phiên bản cổng tải")

    def __str__(self) -> str:
        return str(self.value)
