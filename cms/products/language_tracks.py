"""A media item with sound tracks in several languages (a partner's dubbed clip): offer each
track to the product version in that track's language, so the Tày version gets the Tày
recording instead of the pipeline's default (the first track that is not silent).
Applying an offer makes a media item of that track and puts it in the version's draft;
publishing it stays with the editor and the review."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from media_pipeline import tracks
from media_pipeline.models import MediaItem

from .models import BulletinPage, ProductPage, VideoPage

# Where product pages keep their recordings: (page model, field).
MEDIA_FIELDS = ((BulletinPage, "audio"), (BulletinPage, "video"), (VideoPage, "video"))


@dataclass(frozen=True)
class Offer:
    track: int  # stream index in the upload
    language_tag: str
    version: ProductPage  # the product version in that language
    field: str

    @property
    def key(self) -> str:
        return f"{self.track}:{self.version.pk}:{self.field}"

    current: int | None  # the media item the version has now

    @property
    def already(self) -> bool:
        """The version has a recording of its own, which this would replace."""
        return self.current is not None


def products_using(item: MediaItem) -> list[tuple[ProductPage, str]]:
    return [(page, field) for model, field in MEDIA_FIELDS
            for page in model.objects.filter(**{field: item})]


def offers(item: MediaItem) -> list[Offer]:
    """One offer per (track, version in the track's language) among the products using
    ``item`` — except the first track for a version already using ``item`` itself, whose
    renditions carry that track."""
    found_tracks = tracks.tracks(item)
    by_language: dict[str, list[dict]] = {}
    for track in found_tracks:
        if track["site_language"]:
            by_language.setdefault(track["site_language"], []).append(track)
    first = found_tracks[0]["index"] if found_tracks else None
    found: dict[str, Offer] = {}
    for page, field in products_using(item):
        for version in page.get_translations(inclusive=True).specific():
            current = getattr(version, f"{field}_id")
            for track in by_language.get(version.locale.language_code, []):
                if current == item.pk and track["index"] == first:
                    continue
                if current and current != item.pk and _made_from(current) == (
                        item.pk, track["index"]):
                    continue  # already this very track
                offer = Offer(track["index"], track["language"], version, field,
                              None if current == item.pk else current)
                found.setdefault(offer.key, offer)
    return list(found.values())


def _made_from(pk: int) -> tuple[int, int] | None:
    current = MediaItem.objects.filter(pk=pk).first()
    return tracks.extracted_from(current) if current else None


def language_tracks_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(MediaItem, pk=pk)
    if not request.user.has_perm("media_pipeline.change_mediaitem"):
        raise PermissionDenied
    available = offers(item)
    if request.method == "POST":
        chosen = next((o for o in available if o.key == request.POST.get("offer")), None)
        if chosen is None:
            raise Http404
        apply_offer(item, chosen, request.user)
        messages.success(request, _(
            "Đã dùng rãnh tiếng “%(language)s” làm bản ghi của “%(title)s” (bản nháp; hãy "
            "gửi duyệt và xuất bản như thường lệ).") % {"language": chosen.language_tag,
                                                          "title": chosen.version.title})
        return redirect("products_language_tracks", pk)
    return TemplateResponse(request, "products/admin/language_tracks.html", {
        "item": item, "tracks": tracks.tracks(item), "offers": available,
        "used_by": products_using(item)})


def apply_offer(item: MediaItem, offer: Offer, user) -> MediaItem:
    """Make a media item of the offer's track and put it in the version's latest draft."""
    new = tracks.extract_track(
        item, offer.track, f"{item.title} ({offer.version.locale.get_display_name()})",
        with_picture=offer.field == "video", user=user)
    draft = offer.version.get_latest_revision_as_object()
    setattr(draft, offer.field, new)
    draft.save_revision(user=user, log_action=True)
    # The row too, so the editor's edit view and the next offers see it at once.
    type(offer.version).objects.filter(pk=offer.version.pk).update(**{offer.field: new})
    return new
