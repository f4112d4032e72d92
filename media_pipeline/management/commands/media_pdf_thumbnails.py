"""Make, re-make or purge the first-page pictures of PDF documents, with a progress bar:
``manage.py media_pdf_thumbnails`` makes what is missing or stale, ``--force`` redraws all,
``--purge`` deletes them, ``--enqueue`` hands the work to the db_worker processes."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.documents import get_document_model

from media_pipeline import pdf_thumbnails
from media_pipeline.pdf_render import FIRST_PAGE

from .media_renditions import ProgressBar

# Module level: translated when printed, in the language active then.
OUTCOME_LABELS = {"made": gettext_lazy("đã tạo"), "ready": gettext_lazy("đã có sẵn"),
                  "failed": gettext_lazy("lỗi"), "purged": gettext_lazy("đã xoá"),
                  "queued": gettext_lazy("đã xếp hàng"),
                  "not-pdf": gettext_lazy("không phải PDF")}


class Command(BaseCommand):
    help = _("Tạo, làm lại hoặc xoá ảnh trang đầu của các tài liệu PDF.")

    def add_arguments(self, parser):
        parser.add_argument("--document", type=int, action="append", dest="documents",
                            default=[], help=_("Chỉ tài liệu có mã này (lặp lại được)."))
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--force", action="store_true", help=_("Vẽ lại cả ảnh đã có."))
        mode.add_argument("--purge", action="store_true", help=_("Xoá các ảnh trang đầu."))
        mode.add_argument("--enqueue", action="store_true",
                          help=_("Giao cho tiến trình db_worker thay vì làm ngay tại đây."))

    def handle(self, *args, documents, force, purge, enqueue, **options):
        queryset = get_document_model().objects.order_by("pk")
        if documents:
            queryset = queryset.filter(pk__in=documents)
        pdfs = [doc for doc in queryset if pdf_thumbnails.is_pdf(doc)]
        bar = ProgressBar(len(pdfs), self.stdout)
        outcome: dict[str, int] = {}
        for doc in pdfs:
            if purge:
                pdf_thumbnails.purge(doc)
                result = "purged"
            elif enqueue:
                with transaction.atomic():
                    result = "queued" if pdf_thumbnails.request_thumbnail(doc) else "ready"
            else:
                result = pdf_thumbnails.make_thumbnail(doc.pk, FIRST_PAGE.name, force=force)
                if result == "failed":
                    row = pdf_thumbnails.current_thumbnail(doc)
                    self.stderr.write(f"\n{doc.title}: {row.message}")
            outcome[result] = outcome.get(result, 0) + 1
            bar.step(doc.title)
        bar.close()
        counts = ", ".join(f"{OUTCOME_LABELS[name]} {n}" for name, n in sorted(outcome.items()))
        self.stdout.write(self.style.SUCCESS(
            _("%(count)d tài liệu PDF: %(outcome)s") % {"count": len(pdfs), "outcome": counts}))
        if outcome.get("failed"):
            sys.exit(1)
