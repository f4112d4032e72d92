"""The e-library page tree and the product forms the programme documents name.

Home → E-library → Section (one per producing organisation, carries its permissions)
→ products: bulletin, document, leaflet/folded leaflet/poster, video clip.
Each language version of a product is its own page (Wagtail i18n).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property, classproperty
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from media_pipeline.models import MediaItem
from media_pipeline.panels import PdfThumbnailPanel
from translations.plain_text import PlainTextFields, reject_control_characters

from .blocks import BodyBlock
from .pdf import pdf_page_count
from .routing import ProductRouting

# Plain text every page has (Wagtail's own fields): titles are read out, fed and harvested.
PAGE_TEXT_FIELDS = ("title", "seo_title", "search_description")


def body_text_errors(body) -> list[ValidationError]:
    """Control characters in the body's plain-text blocks (headings, captions, quotes);
    rich text paragraphs go through Wagtail's whitelist instead."""
    texts: list[str] = []
    for block in body or []:
        if block.block_type == "heading":
            texts.append(block.value)
        elif block.block_type == "photo":
            texts.append(block.value.get("caption") or "")
        elif block.block_type == "quote":
            texts.extend([block.value.get("text") or "", block.value.get("source") or ""])
    errors = []
    for text in texts:
        try:
            reject_control_characters(text)
        except ValidationError as error:
            errors.append(error)
    return errors


class Topic(PlainTextFields, index.Indexed, models.Model):
    """An editable topic vocabulary, translated per language (modeltranslation)."""
    plain_text_fields = ("name", "description")

    name = models.CharField(_("tên chủ đề"), max_length=200)
    slug = models.SlugField(_("mã"), max_length=80, unique=True)
    description = models.TextField(_("mô tả"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"),
              FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("chủ đề")
        verbose_name_plural = _("chủ đề")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class HomePage(PlainTextFields, ProductRouting, Page):
    plain_text_fields = PAGE_TEXT_FIELDS
    intro = RichTextField(_("lời giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["products.ELibraryPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1
    product_levels = 3  # e-library, section, product

    class Meta:
        verbose_name = _("trang chủ")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest"] = (
            ProductPage.live_products().filter(locale=self.locale).order_by("-first_published_at")[:12]
        )
        return context


class ELibraryPage(PlainTextFields, ProductRouting, Page):
    """The public e-library: all products of the province, browsable."""
    plain_text_fields = PAGE_TEXT_FIELDS

    intro = RichTextField(_("lời giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["products.HomePage"]
    subpage_types = ["products.SectionPage"]
    max_count_per_parent = 1
    product_levels = 2

    class Meta:
        verbose_name = _("thư viện điện tử")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        products = ProductPage.live_products().filter(locale=self.locale).descendant_of(self)
        context["products"] = products.order_by("-first_published_at")[:60]
        return context


class SectionPage(PlainTextFields, ProductRouting, Page):
    """The products of one organisation; page permissions hang here."""
    plain_text_fields = (*PAGE_TEXT_FIELDS, "intro")

    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["products.ELibraryPage"]
    subpage_types = [
        "products.BulletinPage",
        "products.DocumentPage",
        "products.PrintPage",
        "products.VideoPage",
    ]
    product_levels = 1

    class Meta:
        verbose_name = _("chuyên mục đơn vị")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["products"] = (
            ProductPage.live_products().child_of(self).order_by("-first_published_at")[:60]
        )
        return context

    @property
    def organisation(self):
        # Reached through the products' foreign key: organisations imports products (the
        # site tree it provisions), so products does not import organisations back.
        organisation_model = ProductPage.organisation.field.related_model
        return organisation_model.objects.filter(
            section_page__translation_key=self.translation_key
        ).first()


def current_year() -> int:
    return timezone.localdate().year


class FundingLine(models.TextChoices):
    SUB1 = "p10-1", _("Dự án 10 – Tiểu dự án 1")
    SUB2 = "p10-2", _("Dự án 10 – Tiểu dự án 2")
    OTHER = "other", _("Nguồn khác")


class ProductPage(PlainTextFields, Page):
    """Fields every product shares. Concrete product pages inherit from it (multi-table),
    so the e-library can list and filter all products in one query."""

    KIND_CODE = "SP"
    plain_text_fields = (*PAGE_TEXT_FIELDS, "summary", "rights")
    # What routing.py serves as a product (it reads this, not the models).
    routed_as_product = True

    summary = models.TextField(_("tóm tắt"), blank=True, max_length=1000)
    cover = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("ảnh bìa"), null=True, blank=True,
        related_name="+", on_delete=models.SET_NULL,
    )
    body = StreamField(BodyBlock(), verbose_name=_("nội dung"), blank=True)
    topics = ParentalManyToManyField(Topic, verbose_name=_("chủ đề"), blank=True)
    area = models.ForeignKey(
        "organisations.Area", verbose_name=_("địa bàn hướng tới"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    production_year = models.PositiveSmallIntegerField(_("năm sản xuất"), default=current_year)
    funding_line = models.CharField(
        _("nguồn kinh phí"), max_length=10, choices=FundingLine.choices, default=FundingLine.SUB1
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("đơn vị sản xuất"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("Để trống: lấy theo chuyên mục chứa sản phẩm."),
    )
    rights = models.CharField(
        _("bản quyền"), max_length=255, blank=True,
        default="Được phép sử dụng lại cho mục đích thông tin, tuyên truyền, ghi rõ nguồn.",
    )
    identifier = models.CharField(
        _("mã định danh"), max_length=64, editable=False, db_index=True,
        help_text=_("Chung cho mọi phiên bản ngôn ngữ của cùng một sản phẩm."),
    )
    # What the page shows from elsewhere, worked out when it is published (shown_facts.py).
    shown_facts = models.JSONField(default=dict, blank=True, editable=False)
    exclude_fields_in_copy = ["shown_facts"]  # a copy works out its own

    metadata_panels = [
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("area"), FieldPanel("organisation")]),
        FieldRowPanel([FieldPanel("production_year"), FieldPanel("funding_line")]),
        FieldPanel("rights"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("locale_id"),
        index.FilterField("production_year"),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]
    parent_page_types = ["products.SectionPage"]
    subpage_types: list[str] = []
    @classproperty
    def base_form_class(cls) -> type:
        # Named by path, as Wagtail's WAGTAILIMAGES_IMAGE_FORM_BASE is: the form sits above
        # the models (it asks who may choose which file, which reads the models).
        return import_string("cms.products.page_forms.ProductPageForm")


    class Meta:
        verbose_name = _("sản phẩm")

    @classmethod
    def get_indexed_objects(cls):
        # modelsearch does not prefetch a ParentalManyToManyField: without this, indexing
        # asks for each product's topics in a query of its own.
        return super().get_indexed_objects().prefetch_related("topics")

    @classmethod
    def live_products(cls):
        return cls.objects.live().public().specific()

    @cached_property
    def topic_names(self) -> list[str]:
        """The topics' names in the visitor's language (the Vietnamese name where a topic
        has none in it), as the product page lists them. A page served live gets them from
        its published facts instead (shown_facts.apply_to)."""
        # modeltranslation's values_list reads only the columns of the visitor's language
        # and its fallbacks (Vietnamese), with the same fallback as the field, instead of
        # building whole Topic rows with every language's name and description. A preview's
        # draft topics come from modelcluster's in-memory relation through the same call.
        return list(self.topics.all().values_list("name", flat=True))

    @property
    def kind_label(self) -> str:
        return str(self.specific._meta.verbose_name)

    def _ensure_identifier(self) -> None:
        # Derived from translation_key, so every language version shares it.
        if not self.identifier and self.translation_key:
            key = self.translation_key.hex[:10]
            self.identifier = f"{settings.LOA_PROVINCE_CODE}-{self.KIND_CODE}-{key}".upper()

    def full_clean(self, *args, **kwargs):
        self._ensure_identifier()
        super().full_clean(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors = body_text_errors(self.body)
        if errors:
            raise ValidationError({"body": errors})

    def save(self, *args, **kwargs):
        self._ensure_identifier()
        if self.organisation_id is None:
            parent = self.get_parent()
            if parent is not None and isinstance(parent.specific, SectionPage):
                self.organisation = parent.specific.organisation
        super().save(*args, **kwargs)

    def media_items(self) -> list:
        """Audio/video items this version uses (for access checks and packaging)."""
        return []

    @classmethod
    def media_item_fields(cls) -> list:
        """This kind of product's foreign keys to recordings (``MediaItem``)."""
        return [f for f in cls._meta.concrete_fields
                if f.is_relation and f.related_model is MediaItem]

    def pdf_document(self):
        """The PDF whose first page stands in for a missing cover."""
        return None

    @cached_property
    def display_cover(self):
        """The editor's cover; without one, the first page of the product's PDF (made by
        the media pipeline, public only while the PDF is)."""
        if self.cover_id:
            return self.cover
        from media_pipeline.pdf_thumbnails import thumbnail_image

        return thumbnail_image(self.pdf_document())


def _product_tabs(content_panels):
    return TabbedInterface([
        ObjectList(content_panels, heading=_("Nội dung")),
        ObjectList(ProductPage.metadata_panels, heading=_("Thông tin mô tả")),
        ObjectList(Page.promote_panels, heading=_("Quảng bá")),
        ObjectList(Page.settings_panels, heading=_("Cài đặt")),
    ])


class BulletinPage(ProductPage):
    """Bản tin: text, photos and a radio recording (typically 10–15 minutes)."""

    KIND_CODE = "BT"

    audio = models.ForeignKey(
        "media_pipeline.MediaItem", verbose_name=_("bản ghi âm"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", limit_choices_to={"kind": "audio"},
    )
    video = models.ForeignKey(
        "media_pipeline.MediaItem", verbose_name=_("video (không bắt buộc)"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+", limit_choices_to={"kind": "video"},
    )
    air_date = models.DateField(_("ngày phát sóng"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("audio"), FieldPanel("air_date")]),
        FieldPanel("video"),
        FieldPanel("cover"),
        FieldPanel("body"),
    ]
    edit_handler = _product_tabs(content_panels)

    class Meta:
        verbose_name = _("bản tin")
        verbose_name_plural = _("bản tin")

    def clean(self):
        super().clean()
        _check_kind(self.audio, "audio", "audio")
        _check_kind(self.video, "video", "video")

    def media_items(self):
        return [m for m in (self.audio, self.video) if m]


class DocumentPage(ProductPage):
    """Tài liệu: thematic brief or professional handbook, as PDF plus readable text."""

    KIND_CODE = "TL"

    class DocType(models.TextChoices):
        BRIEF = "brief", _("Thông tin chuyên đề")
        HANDBOOK = "handbook", _("Sổ tay nghiệp vụ")

    doc_type = models.CharField(_("loại tài liệu"), max_length=10, choices=DocType.choices,
                                default=DocType.BRIEF)
    pdf = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("tệp PDF"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    page_count = models.PositiveIntegerField(_("số trang"), null=True, blank=True,
                                             help_text=_("Để trống: đọc từ tệp PDF."))
    print_run = models.PositiveIntegerField(_("số lượng in"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("doc_type"),
        FieldPanel("summary"),
        FieldPanel("pdf"),
        PdfThumbnailPanel("pdf", heading=_("Ảnh trang đầu PDF")),
        FieldRowPanel([FieldPanel("page_count"), FieldPanel("print_run")]),
        FieldPanel("cover"),
        FieldPanel("body", heading=_("nội dung đọc trên web")),
    ]
    edit_handler = _product_tabs(content_panels)

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")

    def clean(self):
        super().clean()
        if self.pdf_id and not self.pdf.file.name.lower().endswith(".pdf"):
            raise ValidationError({"pdf": _("Tệp tài liệu phải là PDF.")})
        if self.pdf_id and not self.page_count:
            count = pdf_page_count(self.pdf.file)
            if count is None:
                raise ValidationError({"pdf": _("Không đọc được tệp PDF: tệp có thể bị hỏng.")})
            self.page_count = count

    def pdf_document(self):
        return self.pdf


class PrintPage(ProductPage):
    """Tờ rơi, tờ gấp, áp phích: print artwork plus a web version."""

    KIND_CODE = "TR"

    class Format(models.TextChoices):
        LEAFLET = "leaflet", _("Tờ rơi")
        FOLDED = "folded", _("Tờ gấp")
        POSTER = "poster", _("Áp phích")

    print_format = models.CharField(_("hình thức"), max_length=10, choices=Format.choices,
                                    default=Format.LEAFLET)
    size = models.CharField(_("khổ"), max_length=40, default="A4",
                            help_text=_("Ví dụ: A4, A3, A2 hoặc 60×90 cm."))
    artwork_pdf = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("bản in (PDF)"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    artwork_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("bản in (ảnh)"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    print_run = models.PositiveIntegerField(_("số lượng in"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("print_format"), FieldPanel("size"), FieldPanel("print_run")]),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("artwork_pdf"), FieldPanel("artwork_image"),
                         PdfThumbnailPanel("artwork_pdf", heading=_("Ảnh trang đầu PDF"))],
                        heading=_("Bản in")),
        FieldPanel("cover"),
        FieldPanel("body", heading=_("phiên bản web")),
    ]
    edit_handler = _product_tabs(content_panels)

    class Meta:
        verbose_name = _("tờ rơi, tờ gấp, áp phích")
        verbose_name_plural = _("tờ rơi, tờ gấp, áp phích")

    def clean(self):
        super().clean()
        if not (self.artwork_pdf_id or self.artwork_image_id):
            raise ValidationError(
                {"artwork_pdf": _("Cần tải lên bản in: tệp PDF hoặc ảnh.")}
            )

    def pdf_document(self):
        return self.artwork_pdf


class VideoPage(ProductPage):
    """Video clip, including 15-minute documentary reports and TV bulletins."""

    KIND_CODE = "VD"

    class ClipKind(models.TextChoices):
        CLIP = "clip", _("Video clip")
        DOCUMENTARY = "documentary", _("Phóng sự tài liệu")
        TV_BULLETIN = "tv", _("Bản tin truyền hình")

    clip_kind = models.CharField(_("loại"), max_length=12, choices=ClipKind.choices,
                                 default=ClipKind.CLIP)
    video = models.ForeignKey(
        "media_pipeline.MediaItem", verbose_name=_("video"), null=True, blank=False,
        on_delete=models.PROTECT, related_name="+", limit_choices_to={"kind": "video"},
    )
    air_date = models.DateField(_("ngày phát sóng"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("clip_kind"), FieldPanel("air_date")]),
        FieldPanel("summary"),
        FieldPanel("video"),
        FieldPanel("cover"),
        FieldPanel("body", heading=_("lời dẫn / mô tả")),
    ]
    edit_handler = _product_tabs(content_panels)

    class Meta:
        verbose_name = _("video clip")
        verbose_name_plural = _("video clip")

    def clean(self):
        super().clean()
        _check_kind(self.video, "video", "video")

    def media_items(self):
        return [self.video] if self.video else []


PRODUCT_MODELS = (BulletinPage, DocumentPage, PrintPage, VideoPage)


def _check_kind(item, expected: str, field: str) -> None:
    if item is not None and item.kind != expected:
        raise ValidationError({field: _("Tệp đã chọn không phải %(kind)s.") % {
            "kind": _("âm thanh") if expected == "audio" else _("video")}})

