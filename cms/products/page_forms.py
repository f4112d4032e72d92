"""The admin form of product pages: files chosen for a page must be ones the editor may
choose (already public, or in a collection the editor manages)."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.fields import StreamField


class ProductPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        user = getattr(self, "for_user", None)
        if user is not None:
            for name, obj in self._newly_chosen_files(cleaned):
                if not self._may_choose(user, obj):
                    # Choosing it would open another organisation's unpublished file.
                    self.add_error(name, _("Tệp này chưa xuất bản và thuộc đơn vị khác: "
                                           "bạn không thể dùng nó."))
        return cleaned

    @staticmethod
    def _may_choose(user, obj) -> bool:
        from .media_access import may_choose

        return may_choose(user, obj)

    def _newly_chosen_files(self, cleaned) -> list[tuple[str | None, object]]:
        """(field, file) for files this submission adds: foreign keys that changed and
        StreamField references the page did not have (the instance still holds the
        page's previous values here)."""
        from .file_integrity import file_label, file_models, page_file_references

        labels = {model._meta.label_lower for model in file_models()}
        before = page_file_references(self.instance) if self.instance.pk else set()
        chosen = []
        for name in self.changed_data:
            value = cleaned.get(name)
            if isinstance(value, file_models()):
                chosen.append((name, value))
            elif isinstance(field := self._model_field(name), StreamField) and value:
                for model, pk, _path, _content in field.extract_references(value):
                    key = (file_label(model), str(pk))
                    if key[0] in labels and key not in before:
                        obj = apps.get_model(key[0]).objects.filter(pk=pk).first()
                        if obj is not None:  # a block's error: shown above the form
                            chosen.append((None, obj))
        return chosen

    def _model_field(self, name: str):
        try:
            return self.instance._meta.get_field(name)
        except FieldDoesNotExist:
            return None
