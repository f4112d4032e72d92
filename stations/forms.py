from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from translations import languages

from . import catalogue


def enabled_language_choices() -> list[tuple[str, str]]:
    codes = [code for code, _name in settings.LANGUAGES]
    return [(lang.code, lang.name_vi) for lang in languages.enabled(codes)]


class StationAdminForm(WagtailAdminModelForm):
    languages = forms.MultipleChoiceField(
        label=_("ngôn ngữ phát sóng"), choices=enabled_language_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Đài chỉ nhận bản tin ở các ngôn ngữ này."),
    )


class BulletinChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        date = obj.air_date.strftime("%d/%m/%Y") if obj.air_date else "—"
        return f"{date} · {obj.title} ({obj.locale.language_code})"


class AiringFields(forms.Form):
    aired_on = forms.DateField(label=_("ngày phát"), initial=timezone.localdate,
                               widget=forms.DateInput(attrs={"type": "date"}))
    aired_at = forms.TimeField(label=_("giờ phát"), widget=forms.TimeInput(attrs={"type": "time"}))
    times = forms.IntegerField(label=_("số lần phát"), min_value=1, max_value=50, initial=1)
    note = forms.CharField(label=_("ghi chú"), max_length=255, required=False)


class AiringForm(AiringFields):
    """The station's web page: pick one of its bulletins."""

    field_order = ["bulletin", "aired_on", "aired_at", "times", "note"]

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bulletin"] = BulletinChoiceField(
            label=_("bản tin"), empty_label=_("— chọn bản tin —"),
            queryset=catalogue.live_bulletins(station.languages).order_by("-air_date", "-pk"),
        )
        self.order_fields(self.field_order)


class AiringApiForm(AiringFields):
    """The sync client: the bulletin is named by its feed GUID."""

    guid = forms.CharField(label=_("mã bản tin (guid)"), max_length=200)

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.station = station

    def clean_guid(self):
        bulletin = catalogue.bulletin_by_guid(self.cleaned_data["guid"], self.station.languages)
        if bulletin is None:
            raise forms.ValidationError(
                _("Không có bản tin đã xuất bản với mã này trong các ngôn ngữ của đài."))
        self.cleaned_data["bulletin"] = bulletin
        return self.cleaned_data["guid"]
