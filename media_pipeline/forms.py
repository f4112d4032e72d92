"""Admin form for media items: the upload is probed before anything is saved."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies.collections import CollectionPermissionPolicy

from .exceptions import EmptyFile, FileTooLarge, MediaError
from .probe import ProbeResult, probe


def probe_upload(upload: UploadedFile) -> ProbeResult:
    """Probe an upload in place (on disk) or through a temporary copy (in memory)."""
    limit = getattr(settings, "LOA_MEDIA_MAX_UPLOAD_BYTES", 8 * 1024**3)
    if upload.size and upload.size > limit:
        raise FileTooLarge(
            _("Tệp quá lớn (%(size)s); giới hạn là %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if hasattr(upload, "temporary_file_path"):
        return probe(upload.temporary_file_path())
    suffix = Path(upload.name or "").suffix[:10]
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        upload.seek(0)
        return probe(tmp.name)


class MediaItemForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if "collection" in self.fields and user is not None:
            # Only the collections this user manages (own organisation or language).
            policy = CollectionPermissionPolicy(type(self.instance))
            allowed = policy.collections_user_has_any_permission_for(
                user, ["add", "change"])
            if len(allowed) == 1:
                # One choice is no choice (as in Wagtail's image form): the field goes.
                del self.fields["collection"]
                self.instance.collection = allowed[0]
            else:
                self.fields["collection"].queryset = allowed
                self.fields["collection"].empty_label = None
        if "file" in self.fields:  # Django's own "empty file" check runs before ours
            self.fields["file"].error_messages["empty"] = EmptyFile.message

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            try:
                self.probe_result = probe_upload(upload)
            except MediaError as exc:
                raise forms.ValidationError(str(exc.message), code=type(exc).__name__) from exc
        return upload

    def save(self, commit=True):
        item = super().save(commit=False)
        if getattr(self, "probe_result", None):
            item.apply_probe(self.probe_result)
        if commit:
            item.save()
        return item
