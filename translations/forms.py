from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import dashboard
from .roles import translators_for


class NewRequestForm(forms.Form):
    languages = forms.MultipleChoiceField(label=_("Ngôn ngữ cần dịch"),
                                          widget=forms.CheckboxSelectMultiple)
    due_date = forms.DateField(label=_("Hạn hoàn thành"),
                               widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = [
            (lang.code, lang.name_vi) for lang in dashboard.target_languages()]

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("Hạn hoàn thành không được ở trong quá khứ."))
        return due


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Người dịch"), queryset=None)

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = translators_for(language)


class ImportForm(forms.Form):
    po_file = forms.FileField(label=_("Tệp PO đã dịch"))
