"""The download page of the offline e-library, its JSON index and the files themselves."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cms.products.media_access import StoredFile, file_response
from translations import languages

from .models import ZimFile

ALL_LANGUAGES = _("Mọi ngôn ngữ")


def _label(selection: str) -> str:
    language = languages.get(selection)
    return language.name_local if language else str(ALL_LANGUAGES)


def _rows() -> list[dict]:
    return [{"zim": row, "language": _label(row.selection),
             "url": reverse("offline:file", args=[row.name])}
            for row in ZimFile.objects.all()]


@require_GET
def downloads(request: HttpRequest) -> HttpResponse:
    return render(request, "offline/downloads.html", {"files": _rows()})


@require_GET
def index_json(request: HttpRequest) -> JsonResponse:
    """What the support-point box's sync client reads: newest file of each selection."""
    return JsonResponse({"files": [{
        "name": row["zim"].name, "language": row["zim"].selection,
        "flavour": row["zim"].flavour, "url": request.build_absolute_uri(row["url"]),
        "size": row["zim"].size, "sha256": row["zim"].sha256,
        "date": row["zim"].built_at.isoformat()} for row in _rows()]},
        json_dumps_params={"ensure_ascii": False})


@require_GET
def zim_file(request: HttpRequest, name: str) -> HttpResponse:
    row = ZimFile.objects.filter(name=name).first()
    if row is None:
        raise Http404
    stored = StoredFile(owner=row, name=row.file, download_name=row.download_name,
                        sha256=row.sha256, mime_type="application/x-zim")
    return file_response(request, stored, public=True)

