"""Areas (province, district, commune) and the organisations that produce products."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from translations.plain_text import PlainTextFields


class Level(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện")
    COMMUNE = "commune", _("Xã")


class Area(PlainTextFields, index.Indexed, models.Model):
    """An administrative area: a shared vocabulary, translated per language."""
    plain_text_fields = ("name",)

    name = models.CharField(_("tên"), max_length=120)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    code = models.CharField(
        _("mã đơn vị hành chính"), max_length=20, unique=True,
        help_text=_("Mã theo danh mục đơn vị hành chính Việt Nam."),
    )
    is_border = models.BooleanField(_("xã/huyện biên giới"), default=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("level"),
        FieldPanel("parent"),
        FieldPanel("code"),
        FieldPanel("is_border"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("địa bàn")
        verbose_name_plural = _("địa bàn")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.name}"

    def ancestors_and_self(self) -> list[Area]:
        chain, area = [], self
        while area is not None:
            chain.append(area)
            area = area.parent
        return chain


class Organisation(PlainTextFields, models.Model):
    """A producing unit: the provincial department, a district office, a commune."""
    plain_text_fields = ("name", "short_name")

    name = models.CharField(_("tên đơn vị"), max_length=200, unique=True)
    short_name = models.CharField(_("tên ngắn"), max_length=60)
    area = models.ForeignKey(Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    contact_email = models.EmailField(_("thư điện tử"), blank=True)
    contact_phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    # Filled by provisioning: the e-library section and the groups of this unit.
    section_page = models.OneToOneField(
        "products.SectionPage",
        null=True,
        blank=True,
        editable=False,
        related_name="organisation_home",
        on_delete=models.SET_NULL,
    )
    editors_group = models.OneToOneField(
        Group, null=True, blank=True, editable=False, related_name="+", on_delete=models.SET_NULL
    )
    # Where this unit's media items, images and documents live (its editors manage them).
    collection = models.OneToOneField(
        "wagtailcore.Collection", null=True, blank=True, editable=False, related_name="+",
        on_delete=models.SET_NULL,
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("area"),
        FieldPanel("parent"),
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
    ]

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["area__level", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        return self.area.level

    @property
    def is_provincial(self) -> bool:
        return self.area.level == Level.PROVINCE
