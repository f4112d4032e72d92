"""The admin form of product pages: files chosen for a page must be ones the editor may
choose (already public, or in a collection the editor manages)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


class ProductPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        from .file_integrity import file_models
        from .media_access import may_choose

        user = getattr(self, "for_user", None)
        if user is None:
            return cleaned
        for name in self.changed_data:
            value = cleaned.get(name)
            if isinstance(value, file_models()) and not may_choose(user, value):
                # Choosing it would open another organisation's unpublished file.
                self.add_error(name, _("Tệp này chưa xuất bản và thuộc đơn vị khác: bạn "
                                       "không thể dùng nó."))
        return cleaned
