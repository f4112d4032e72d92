"""Translation requests and the per-language glossary."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from . import languages
from .plain_text import PlainTextFields


def language_choices() -> list[tuple[str, str]]:
    return [(lang.code, lang.name_vi) for lang in languages.SUPPORTED]


class TranslationRequest(PlainTextFields, models.Model):
    """An editor asks for one language version of one product, by a date.

    ``product`` is the Vietnamese source page; ``translation`` the language version once a
    translator started it (Wagtail i18n: same translation_key, own locale)."""
    plain_text_fields = ("note",)

    class State(models.TextChoices):
        REQUESTED = "requested", _("Đã yêu cầu")
        IN_PROGRESS = "in_progress", _("Đang dịch")
        IN_REVIEW = "in_review", _("Đang duyệt")
        PUBLISHED = "published", _("Đã xuất bản")

    product = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("sản phẩm (bản tiếng Việt)"),
        on_delete=models.CASCADE, related_name="translation_requests",
    )
    language = models.CharField(_("ngôn ngữ"), max_length=12, choices=language_choices)
    due_date = models.DateField(_("hạn hoàn thành"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dịch"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="translation_assignments",
    )
    state = models.CharField(_("trạng thái"), max_length=12, choices=State.choices,
                             default=State.REQUESTED, editable=False)
    translation = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("bản dịch"), null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )
    note = models.TextField(_("ghi chú"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), null=True, blank=True,
        editable=False, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    published_at = models.DateTimeField(_("xuất bản lúc"), null=True, blank=True,
                                        editable=False)

    panels = [FieldPanel("product", read_only=True), FieldPanel("language", read_only=True),
              FieldPanel("due_date"), FieldPanel("assignee"), FieldPanel("note")]

    class Meta:
        verbose_name = _("yêu cầu dịch")
        verbose_name_plural = _("yêu cầu dịch")
        ordering = ["due_date", "product_id", "language"]
        constraints = [
            models.UniqueConstraint(fields=["product", "language"],
                                    name="one_request_per_product_language"),
        ]

    def __str__(self) -> str:
        return f"{self.product.title} → {self.language_name}"

    @property
    def language_name(self) -> str:
        lang = languages.get(self.language)
        return lang.name_vi if lang else self.language

    @property
    def is_late(self) -> bool:
        return self.state != self.State.PUBLISHED and self.due_date < timezone.localdate()

    def clean(self) -> None:
        super().clean()
        from .roles import user_has_language

        if self.language == languages.DEFAULT:
            raise ValidationError({"language": _("Bản tiếng Việt là bản gốc, không cần dịch.")})
        if self.language and self.language not in {lang.code for lang in languages.active()}:
            raise ValidationError({"language": _("Ngôn ngữ này chưa được bật cho tỉnh.")})
        if self.assignee_id and self.language and not user_has_language(
            self.assignee, self.language
        ):
            raise ValidationError({"assignee": _(
                "Người dịch được chọn không thuộc nhóm biên dịch %(lang)s."
            ) % {"lang": self.language_name}})


class GlossaryTerm(PlainTextFields, index.Indexed, models.Model):
    """An approved rendering of a Vietnamese term (official name, place, policy term)."""
    plain_text_fields = ("term_vi", "rendering", "note")

    language = models.CharField(_("ngôn ngữ"), max_length=12, choices=language_choices)
    term_vi = models.CharField(_("thuật ngữ tiếng Việt"), max_length=200)
    rendering = models.CharField(_("cách dịch được duyệt"), max_length=200)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    approved = models.BooleanField(_("đã duyệt"), default=True)

    panels = [FieldPanel("language"), FieldPanel("term_vi"), FieldPanel("rendering"),
              FieldPanel("note"), FieldPanel("approved")]
    search_fields = [index.SearchField("term_vi"), index.SearchField("rendering"),
                     index.FilterField("language")]

    class Meta:
        verbose_name = _("thuật ngữ")
        verbose_name_plural = _("bảng thuật ngữ")
        ordering = ["language", "term_vi"]
        constraints = [
            models.UniqueConstraint(fields=["language", "term_vi"],
                                    name="one_rendering_per_term_language"),
        ]

    def __str__(self) -> str:
        return f"{self.term_vi} → {self.rendering} ({self.language})"


class InterfaceString(models.Model):
    """One string of the public site's interface (menus, buttons, notices, player and kiosk
    labels) in one language, as the province's translators render it. ``proposed`` is what
    a translator entered or imported; ``live`` is what the site shows, copied from
    ``proposed`` when a reviewer approves. Empty ``live``: the shipped catalogue's string,
    else the Vietnamese one."""

    language = models.CharField(_("ngôn ngữ"), max_length=12, choices=language_choices)
    context = models.CharField(_("ngữ cảnh"), max_length=200, blank=True)
    msgid = models.TextField(_("chuỗi tiếng Việt"))
    msgid_plural = models.TextField(_("dạng số nhiều (tiếng Việt)"), blank=True)
    proposed = models.TextField(_("bản dịch đề xuất"), blank=True)
    proposed_plural = models.TextField(_("bản dịch số nhiều đề xuất"), blank=True)
    live = models.TextField(_("bản dịch đang dùng"), blank=True)
    live_plural = models.TextField(_("bản dịch số nhiều đang dùng"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người duyệt"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    panels = [FieldPanel("language", read_only=True), FieldPanel("msgid", read_only=True),
              FieldPanel("proposed"), FieldPanel("proposed_plural")]

    class Meta:
        verbose_name = _("chuỗi giao diện")
        verbose_name_plural = _("chuỗi giao diện")
        ordering = ["language", "msgid"]
        constraints = [models.UniqueConstraint(fields=["language", "context", "msgid"],
                                               name="translations_one_interface_string")]
        permissions = [("approve_interfacestring", _("Duyệt bản dịch giao diện"))]

    def __str__(self) -> str:
        return f"{self.language}: {self.msgid[:60]}"

    @property
    def pending(self) -> bool:
        return (self.proposed, self.proposed_plural) != (self.live, self.live_plural)


class PageFont(models.Model):
    """One page's subset of one script's web font, like a Wagtail rendition: the spec (the
    characters) makes the key, the file is cut once, on first request, and reused by every
    page with the same characters (translations.page_fonts)."""
    key = models.CharField(_("khoá"), max_length=24, unique=True)
    script = models.CharField(_("chữ viết"), max_length=8)
    characters = models.TextField(_("các ký tự"))
    woff2 = models.BinaryField(_("tệp phông WOFF2"), null=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)
    # Set when a browser fetches the stylesheet naming it (at most one write a day), so
    # fonts of pages edited since can be pruned (manage.py prune_page_fonts).
    used_on = models.DateField(_("dùng lần cuối"), default=timezone.localdate, editable=False,
                               db_index=True)

    class Meta:
        verbose_name = _("phông chữ của trang")
        verbose_name_plural = _("phông chữ của trang")

    def __str__(self) -> str:
        return f"{self.script} {self.key} ({len(self.characters)})"
