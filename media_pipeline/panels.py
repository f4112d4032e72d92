"""Admin panel beside a product's PDF field: the first-page picture that the public pages
use as the cover when the editor chose none, or why it could not be made."""

from __future__ import annotations

from wagtail.admin.panels import Panel

from . import pdf_thumbnails


class PdfThumbnailPanel(Panel):
    def __init__(self, document_field: str, **kwargs):
        super().__init__(**kwargs)
        self.document_field = document_field

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "document_field": self.document_field}

    class BoundPanel(Panel.BoundPanel):
        template_name = "media_pipeline/admin/pdf_thumbnail_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            document = getattr(self.instance, self.panel.document_field, None)
            if not pdf_thumbnails.is_pdf(document):
                return {**context, "document": None}
            # lazily re-made: missing (e.g. uploaded before this feature) or stale
            pdf_thumbnails.request_thumbnail(document)
            row = pdf_thumbnails.current_thumbnail(document)
            current = row is not None and row.source == document.file.name
            return {
                **context,
                "document": document,
                "image": pdf_thumbnails.thumbnail_image(document),
                "failure": row.message if current and row.state == row.State.FAILED else "",
                "has_cover": bool(getattr(self.instance, "cover_id", None)),
            }
