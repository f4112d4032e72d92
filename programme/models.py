"""Plans in the layout of the provinces' appendices, and what was done against them.

A ``Plan`` (a decision such as "157/KH-UBND, 01/8/2023") belongs to one organisation; a
district's plan names the province's as its parent, so the province's report rolls them up.
A ``PlanLine`` is one row of an appendix for one year: content, kind, unit, quantity and
budget (central / local, million VND). Products are counted from the publication history
(``results.py``); training, monitoring, budget execution and support points are entered here.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from cms import access_keys
from cms.organisations.models import Level
from translations import languages

MONEY = {"max_digits": 14, "decimal_places": 3, "default": Decimal(0),
         "validators": [MinValueValidator(Decimal(0))]}


class LineKind(models.TextChoices):
    BULLETIN = "bulletin", _("Bản tin")
    DOCUMENT = "document", _("Tài liệu")
    PRINT = "print", _("Tờ rơi, tờ gấp, áp phích")
    VIDEO = "video", _("Video clip")
    TRAINING = "training", _("Bồi dưỡng, tập huấn (số người)")
    MONITORING = "monitoring", _("Kiểm tra, giám sát (số đợt)")
    CONFERENCE = "conference", _("Hội nghị, hội thảo do Trung ương tổ chức (số đợt)")
    SUPPORT_POINTS = "support_points", _("Điểm hỗ trợ được trang bị")
    OTHER = "other", _("Nội dung khác")


#: product line kinds → the product page model (app label, model name) they count
PRODUCT_KINDS = {
    LineKind.BULLETIN: ("products", "bulletinpage"),
    LineKind.DOCUMENT: ("products", "documentpage"),
    LineKind.PRINT: ("products", "printpage"),
    LineKind.VIDEO: ("products", "videopage"),
}


class Subtype(models.TextChoices):
    """A narrower product form within a kind (the model field it is read from below)."""

    BRIEF = "brief", _("Thông tin chuyên đề")
    HANDBOOK = "handbook", _("Sổ tay nghiệp vụ")
    LEAFLET = "leaflet", _("Tờ rơi")
    FOLDED = "folded", _("Tờ gấp")
    POSTER = "poster", _("Áp phích")
    CLIP = "clip", _("Video clip ngắn")
    DOCUMENTARY = "documentary", _("Phóng sự tài liệu")
    TV_BULLETIN = "tv", _("Bản tin truyền hình")


#: subtype → (the kind it narrows, the product field holding it)
SUBTYPE_FIELDS = {
    Subtype.BRIEF: (LineKind.DOCUMENT, "doc_type"),
    Subtype.HANDBOOK: (LineKind.DOCUMENT, "doc_type"),
    Subtype.LEAFLET: (LineKind.PRINT, "print_format"),
    Subtype.FOLDED: (LineKind.PRINT, "print_format"),
    Subtype.POSTER: (LineKind.PRINT, "print_format"),
    Subtype.CLIP: (LineKind.VIDEO, "clip_kind"),
    Subtype.DOCUMENTARY: (LineKind.VIDEO, "clip_kind"),
    Subtype.TV_BULLETIN: (LineKind.VIDEO, "clip_kind"),
}


class Appendix(models.TextChoices):
    """The three appendices every plan attaches (Sóc Trăng's 01–03)."""

    PRODUCTS = "01", _("Phụ lục 01: Sản xuất sản phẩm thông tin đối ngoại")
    TRAINING = "02", _("Phụ lục 02: Bồi dưỡng nghiệp vụ")
    OTHER = "03", _("Phụ lục 03: Các nội dung khác")


def appendix_of(kind: str) -> str:
    if kind in PRODUCT_KINDS:
        return Appendix.PRODUCTS
    if kind == LineKind.TRAINING:
        return Appendix.TRAINING
    return Appendix.OTHER


def language_choices() -> list[tuple[str, str]]:
    return [("", _("Mọi ngôn ngữ")),
            *[(lang.code, lang.name_vi) for lang in languages.SUPPORTED]]


class Plan(ClusterableModel):
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    decision_number = models.CharField(_("số văn bản"), max_length=60,
                                       help_text=_("Ví dụ: 157/KH-UBND"))
    decision_date = models.DateField(_("ngày ban hành"))
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("đơn vị thực hiện"),
        on_delete=models.PROTECT, related_name="+",
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("kế hoạch cấp trên"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="children",
        help_text=_("Kế hoạch của huyện được tổng hợp vào kế hoạch của tỉnh."),
    )
    period_label = models.CharField(_("giai đoạn"), max_length=60, default="2021-2025")
    first_year = models.PositiveSmallIntegerField(_("từ năm"))
    last_year = models.PositiveSmallIntegerField(_("đến năm"))
    notes = models.TextField(_("ghi chú"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("decision_number"), FieldPanel("decision_date")]),
        FieldPanel("issuing_body"),
        FieldRowPanel([FieldPanel("organisation"), FieldPanel("parent")]),
        FieldRowPanel([FieldPanel("period_label"), FieldPanel("first_year"),
                       FieldPanel("last_year")]),
        InlinePanel("lines", heading=_("Các dòng kế hoạch (mỗi dòng một năm)"),
                    label=_("dòng")),
        FieldPanel("notes"),
    ]

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-decision_date", "title"]

    def __str__(self) -> str:
        return f"{self.decision_number} – {self.organisation}"

    def clean(self) -> None:
        super().clean()
        if self.first_year and self.last_year and self.first_year > self.last_year:
            raise ValidationError({"last_year": _("Năm kết thúc phải từ năm bắt đầu trở đi.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Kế hoạch không thể là cấp trên của chính nó.")})

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


class PlanLine(models.Model):
    """One appendix row for one year."""

    plan = ParentalKey(Plan, related_name="lines", on_delete=models.CASCADE)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    content = models.CharField(_("nội dung thực hiện"), max_length=300)
    kind = models.CharField(_("loại"), max_length=20, choices=LineKind.choices)
    subtype = models.CharField(_("hình thức cụ thể"), max_length=20, blank=True,
                               choices=Subtype.choices,
                               help_text=_("Để trống: mọi hình thức của loại sản phẩm."))
    language = models.CharField(_("ngôn ngữ"), max_length=10, blank=True,
                                choices=language_choices,
                                help_text=_("Để trống: mọi ngôn ngữ."))
    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    quantity = models.PositiveIntegerField(_("số lượng"), null=True, blank=True)
    budget_central = models.DecimalField(_("kinh phí NSTW (triệu đồng)"), **MONEY)
    budget_local = models.DecimalField(_("kinh phí NSĐP (triệu đồng)"), **MONEY)

    panels = [
        FieldRowPanel([FieldPanel("content"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("subtype"), FieldPanel("language"), FieldPanel("unit")]),
        FieldRowPanel([FieldPanel("year"), FieldPanel("quantity"), FieldPanel("budget_central"),
                       FieldPanel("budget_local")]),
    ]

    class Meta:
        verbose_name = _("dòng kế hoạch")
        verbose_name_plural = _("dòng kế hoạch")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        # Named by its plan too: the finance officer picks lines of several plans in one list.
        return f"{self.plan.decision_number} · {self.content} ({self.year})"

    def clean(self) -> None:
        super().clean()
        if self.subtype and SUBTYPE_FIELDS[self.subtype][0] != self.kind:
            raise ValidationError({"subtype": _("Hình thức này không thuộc loại đã chọn.")})
        if self.language and self.kind not in PRODUCT_KINDS:
            raise ValidationError({"language": _("Chỉ dòng sản phẩm mới chia theo ngôn ngữ.")})

    @property
    def appendix(self) -> str:
        return appendix_of(self.kind)

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """What makes rows of different years (and plans) the same line."""
        return (self.kind, self.subtype, self.language, self.content.strip(), self.unit.strip())


class ParticipantGroup(models.TextChoices):
    MANAGERS = "managers", _("Cán bộ quản lý, thông tin đối ngoại các cấp")
    PRESS = "press", _("Lãnh đạo, phóng viên, biên tập viên báo chí")
    PORTALS = "portals", _("Cán bộ phụ trách cổng, trang thông tin điện tử")
    RADIO = "radio", _("Cán bộ truyền thanh – truyền hình huyện, đài truyền thanh xã")
    FORCES = "forces", _("Cán bộ quân đội, công an kiêm nhiệm")
    OTHER = "other", _("Đối tượng khác")


class TrainingSession(ClusterableModel):
    organisation = models.ForeignKey("organisations.Organisation",
                                     verbose_name=_("đơn vị tổ chức"),
                                     on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("tên lớp"), max_length=300)
    date = models.DateField(_("ngày"))
    place = models.CharField(_("địa điểm"), max_length=200)
    organiser = models.CharField(_("đơn vị phối hợp, giảng dạy"), max_length=200, blank=True)
    attendance_file = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("danh sách điểm danh"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    notes = models.TextField(_("ghi chú"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("organisation"), FieldPanel("date")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("organiser")]),
        InlinePanel("participants", heading=_("Học viên theo đối tượng"), label=_("nhóm")),
        FieldPanel("attendance_file"),
        FieldPanel("notes"),
    ]

    class Meta:
        verbose_name = _("lớp bồi dưỡng, tập huấn")
        verbose_name_plural = _("lớp bồi dưỡng, tập huấn")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"

    def participant_total(self) -> int:
        return sum(p.count for p in self.participants.all())

    participant_total.short_description = _("số học viên")


class TrainingParticipants(models.Model):
    session = ParentalKey(TrainingSession, related_name="participants", on_delete=models.CASCADE)
    group = models.CharField(_("đối tượng"), max_length=20, choices=ParticipantGroup.choices)
    count = models.PositiveIntegerField(_("số người"))

    panels = [FieldRowPanel([FieldPanel("group"), FieldPanel("count")])]

    class Meta:
        verbose_name = _("học viên theo đối tượng")
        constraints = [models.UniqueConstraint(fields=["session", "group"],
                                               name="one_count_per_group")]

    def __str__(self) -> str:
        return f"{self.get_group_display()}: {self.count}"


class MonitoringRound(models.Model):
    organisation = models.ForeignKey("organisations.Organisation",
                                     verbose_name=_("đơn vị kiểm tra"),
                                     on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("ngày"))
    units_visited = models.TextField(_("đơn vị, địa bàn được kiểm tra"))
    findings = models.TextField(_("kết quả, kiến nghị"), blank=True)
    report = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("biên bản"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    panels = [FieldRowPanel([FieldPanel("organisation"), FieldPanel("date")]),
              FieldPanel("units_visited"), FieldPanel("findings"), FieldPanel("report")]

    class Meta:
        verbose_name = _("đợt kiểm tra, giám sát")
        verbose_name_plural = _("đợt kiểm tra, giám sát")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.date:%d/%m/%Y}"


class BudgetExecution(models.Model):
    """Money spent against one plan line, entered by the finance officer."""

    organisation_path = "line__plan__organisation"  # for the admin's district scope

    line = models.ForeignKey(PlanLine, verbose_name=_("dòng kế hoạch"),
                             on_delete=models.CASCADE, related_name="executions")
    date = models.DateField(_("ngày ghi nhận"), default=timezone.localdate)
    central = models.DecimalField(_("đã chi NSTW (triệu đồng)"), **MONEY)
    local = models.DecimalField(_("đã chi NSĐP (triệu đồng)"), **MONEY)
    quantity_done = models.PositiveIntegerField(
        _("số lượng đã thực hiện"), null=True, blank=True,
        help_text=_("Chỉ cho dòng không đếm tự động (hội nghị Trung ương, nội dung khác)."),
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    panels = [FieldPanel("line"), FieldPanel("date"),
              FieldRowPanel([FieldPanel("central"), FieldPanel("local")]),
              FieldPanel("quantity_done"), FieldPanel("note")]

    class Meta:
        verbose_name = _("kinh phí đã thực hiện")
        verbose_name_plural = _("kinh phí đã thực hiện")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.line} – {self.central + self.local}"


class SupportPoint(models.Model):
    """A commune's IT support point, as in Lạng Sơn's appendix, and its kiosk."""

    class Condition(models.TextChoices):
        GOOD = "good", _("Hoạt động tốt")
        REPAIR = "repair", _("Cần sửa chữa")
        BROKEN = "broken", _("Hỏng, không sử dụng")
        PLANNED = "planned", _("Chưa lắp đặt")

    commune = models.ForeignKey("organisations.Area", verbose_name=_("xã"),
                                on_delete=models.PROTECT, related_name="+",
                                limit_choices_to={"level": Level.COMMUNE})
    organisation = models.ForeignKey("organisations.Organisation",
                                     verbose_name=_("đơn vị quản lý"),
                                     on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("nơi đặt"), max_length=200, blank=True)
    tv_inches = models.PositiveSmallIntegerField(_("màn hình tivi (inch)"), null=True, blank=True)
    amplifier_channels = models.PositiveSmallIntegerField(_("amplifier: số kênh"), null=True,
                                                          blank=True)
    amplifier_watts = models.PositiveIntegerField(_("amplifier: công suất (W)"), null=True,
                                                  blank=True)
    speaker_watts = models.PositiveIntegerField(_("loa: công suất mỗi loa (W)"), null=True,
                                                blank=True)
    speaker_count = models.PositiveSmallIntegerField(_("loa: số lượng"), null=True, blank=True)
    mic_range_m = models.PositiveSmallIntegerField(_("micro không dây: phạm vi (m)"), null=True,
                                                   blank=True)
    other_equipment = models.TextField(_("vật tư, phụ kiện khác"), blank=True)
    installed_on = models.DateField(_("ngày lắp đặt"), null=True, blank=True)
    condition = models.CharField(_("tình trạng"), max_length=10, choices=Condition.choices,
                                 default=Condition.PLANNED)
    kiosk_code = models.SlugField(
        _("mã máy kiosk"), max_length=40, unique=True, null=True, blank=True,
        help_text=_("Máy kiosk báo lượt phát với mã này (không lưu thông tin cá nhân)."),
    )
    kiosk_last_contact = models.DateTimeField(_("kiosk liên lạc lần cuối"), null=True,
                                              blank=True, editable=False)
    # The kiosk proves it is this support point's with a key (like a station): the code is
    # in the kiosk's address for anyone to read. Only the key's SHA-256 is kept.
    kiosk_key_hash = models.CharField(max_length=64, blank=True, editable=False)
    kiosk_key_issued_at = models.DateTimeField(_("khóa kiosk cấp lúc"), null=True, blank=True,
                                               editable=False)

    panels = [
        FieldRowPanel([FieldPanel("commune"), FieldPanel("organisation")]),
        FieldPanel("place"),
        MultiFieldPanel([
            FieldPanel("tv_inches"),
            FieldRowPanel([FieldPanel("amplifier_channels"), FieldPanel("amplifier_watts")]),
            FieldRowPanel([FieldPanel("speaker_watts"), FieldPanel("speaker_count")]),
            FieldPanel("mic_range_m"),
            FieldPanel("other_equipment"),
        ], heading=_("Thiết bị")),
        FieldRowPanel([FieldPanel("installed_on"), FieldPanel("condition")]),
        FieldPanel("kiosk_code"),
    ]

    # The minimum equipment the Lạng Sơn appendix asks for.
    MIN_TV_INCHES, MIN_AMP_CHANNELS, MIN_AMP_WATTS = 60, 2, 240
    MIN_SPEAKER_WATTS, MIN_SPEAKERS = 1200, 2

    class Meta:
        verbose_name = _("điểm hỗ trợ ứng dụng CNTT")
        verbose_name_plural = _("điểm hỗ trợ ứng dụng CNTT")
        ordering = ["commune__name"]

    def __str__(self) -> str:
        return str(self.commune.name)

    def meets_minimum(self) -> bool:
        return (
            (self.tv_inches or 0) >= self.MIN_TV_INCHES
            and (self.amplifier_channels or 0) >= self.MIN_AMP_CHANNELS
            and (self.amplifier_watts or 0) >= self.MIN_AMP_WATTS
            and (self.speaker_watts or 0) >= self.MIN_SPEAKER_WATTS
            and (self.speaker_count or 0) >= self.MIN_SPEAKERS
        )

    meets_minimum.boolean = True
    meets_minimum.short_description = _("đạt tối thiểu")

    def issue_kiosk_key(self) -> str:
        """A new key for this support point's kiosk (the old one stops working), returned
        once: the officer who sets the kiosk up opens its set-up address with it."""
        key = access_keys.new_key()
        self.kiosk_key_hash, self.kiosk_key_issued_at = access_keys.hash_key(key), timezone.now()
        self.save(update_fields=["kiosk_key_hash", "kiosk_key_issued_at"])
        return key

    def kiosk_key_matches(self, key: str) -> bool:
        return access_keys.key_matches(key, self.kiosk_key_hash)

    def equipped(self) -> bool:
        return self.installed_on is not None and self.condition != self.Condition.PLANNED

    def amplifier_label(self) -> str:
        if not (self.amplifier_channels or self.amplifier_watts):
            return ""
        return f"{self.amplifier_channels or '?'} kênh/{self.amplifier_watts or '?'}W"

    def speakers_label(self) -> str:
        if not (self.speaker_watts or self.speaker_count):
            return ""
        return f"{self.speaker_watts or '?'}W/{self.speaker_count or '?':02}"


class KioskPlay(models.Model):
    """Plays of one product on one support point's kiosk on one day (a count, nobody's
    identity): the kiosk reports them the way stations report airings."""

    support_point = models.ForeignKey(SupportPoint, verbose_name=_("điểm hỗ trợ"),
                                      on_delete=models.CASCADE, related_name="plays")
    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("sản phẩm"), null=True,
                             on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("tên sản phẩm"), max_length=255)
    language = models.CharField(_("ngôn ngữ"), max_length=10)
    played_on = models.DateField(_("ngày phát"))
    times = models.PositiveIntegerField(_("số lần phát"), default=0)

    class Meta:
        verbose_name = _("lượt phát tại kiosk")
        verbose_name_plural = _("lượt phát tại kiosk")
        ordering = ["-played_on"]
        constraints = [models.UniqueConstraint(fields=["support_point", "page", "played_on"],
                                               name="one_kiosk_count_per_day")]

    def __str__(self) -> str:
        return f"{self.support_point} · {self.title} · {self.played_on}"


class ProductUse(models.Model):
    """E-library views and downloads of one language version in one month: counts only,
    no address, browser or account is stored."""

    page = models.ForeignKey("wagtailcore.Page", null=True, on_delete=models.SET_NULL,
                             related_name="+")
    translation_key = models.UUIDField(db_index=True)
    language = models.CharField(_("ngôn ngữ"), max_length=10)
    month = models.DateField(_("tháng"))
    views = models.PositiveIntegerField(_("lượt xem"), default=0)
    downloads = models.PositiveIntegerField(_("lượt tải"), default=0)

    class Meta:
        verbose_name = _("lượt xem, tải trên thư viện điện tử")
        verbose_name_plural = _("lượt xem, tải trên thư viện điện tử")
        constraints = [models.UniqueConstraint(fields=["page", "month"],
                                               name="one_use_count_per_month")]

    def __str__(self) -> str:
        return f"{self.page_id} {self.month:%m/%Y}: {self.views}/{self.downloads}"


class ReportingDeadline(models.Model):
    """A recurring date by which results or plans are due (Quảng Nam: plans by 10/9,
    results by 15/12), and who is reminded how many days before."""

    class Report(models.TextChoices):
        PLAN = "plan", _("Kế hoạch năm sau")
        RESULTS = "results", _("Báo cáo kết quả năm")

    report = models.CharField(_("báo cáo"), max_length=10, choices=Report.choices)
    day = models.PositiveSmallIntegerField(_("ngày"), validators=[MinValueValidator(1),
                                                                 MaxValueValidator(31)])
    month = models.PositiveSmallIntegerField(_("tháng"), validators=[MinValueValidator(1),
                                                                     MaxValueValidator(12)])
    remind_days_before = models.PositiveSmallIntegerField(_("nhắc trước (ngày)"), default=14)
    recipients = models.TextField(
        _("gửi nhắc thêm tới"), blank=True,
        help_text=_("Mỗi dòng một địa chỉ thư; các đơn vị có kế hoạch luôn được nhắc."),
    )

    panels = [FieldPanel("report"), FieldRowPanel([FieldPanel("day"), FieldPanel("month")]),
              FieldPanel("remind_days_before"), FieldPanel("recipients")]

    class Meta:
        verbose_name = _("hạn báo cáo")
        verbose_name_plural = _("hạn báo cáo")
        ordering = ["month", "day"]

    def __str__(self) -> str:
        return f"{self.get_report_display()} – {self.day:02}/{self.month:02}"

    def clean(self) -> None:
        super().clean()
        try:
            self.next_date(timezone.localdate())
        except (TypeError, ValueError) as exc:
            raise ValidationError({"day": _("Ngày, tháng không hợp lệ.")}) from exc

    def next_date(self, today):
        due = self._in_year(today.year)
        return due if due >= today else self._in_year(today.year + 1)

    def _in_year(self, year: int):
        """29/02 falls on 28/02 in other years; an impossible date (31/04) raises ValueError
        (clean refuses it)."""
        try:
            return datetime.date(year, self.month, self.day)
        except ValueError:
            if (self.month, self.day) == (2, 29):
                return datetime.date(year, 2, 28)
            raise


class ReminderSent(models.Model):
    """So a reminder goes out once per deadline, year and organisation."""

    deadline = models.ForeignKey(ReportingDeadline, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE,
                                     related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["deadline", "due_on", "organisation"],
                                               name="one_reminder_per_due_date")]

    def __str__(self) -> str:
        return f"{self.deadline} {self.due_on} {self.organisation_id}"
