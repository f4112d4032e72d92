"""Sound tracks of one upload in several languages (partners deliver dubbed clips as one
MKV with a Vietnamese and a Tày track): each track can become a media item of its own, the
recording of that language's version of a product. The pipeline itself converts the first
track that is not silent; nothing here guesses which language a product wants."""

from __future__ import annotations

import tempfile
from pathlib import Path

import ffmpeg
from django.core.files import File
from django.db import transaction

from . import ffmpeg_run, storage_io
from .models import MediaItem
from .probe import probe

# Containers tag tracks with ISO 639-2 (three letters, "vie"); the site's languages use
# two-letter codes where ISO 639-1 has one, and ISO 639-3 (tyz, nut, blt…) otherwise.
ISO639_2_TO_SITE = {
    "vie": "vi", "eng": "en", "chi": "zh-hans", "zho": "zh-hans", "khm": "km", "fre": "fr",
    "fra": "fr", "lao": "lo", "tha": "th",
}


def site_language(tag: str) -> str:
    """The site language code a track's language tag stands for ("" when untagged)."""
    tag = (tag or "").lower()
    return ISO639_2_TO_SITE.get(tag, tag)


def tracks(item: MediaItem) -> list[dict]:
    """The item's sound tracks as probed at upload: index, language tag, site language."""
    found = (item.probe_data or {}).get("audio_tracks") or []
    return [{**t, "site_language": site_language(t.get("language", ""))} for t in found]


def extracted_from(item: MediaItem) -> tuple[int, int] | None:
    """(media item, track) this item was made from by ``extract_track``."""
    origin = (item.probe_data or {}).get("extracted_from")
    return (origin["item"], origin["track"]) if origin else None


def extract_track(item: MediaItem, index: int, title: str, *, with_picture: bool,
                  user=None) -> MediaItem:
    """A new media item made of this item's sound track ``index`` (stream copy, so no
    quality is lost), with the picture too when ``with_picture``; converted like any
    upload (its job is queued when the transaction commits)."""
    if index not in {t["index"] for t in tracks(item)}:
        raise ValueError(f"no sound track {index} in media item {item.pk}")
    suffix = ".mkv" if with_picture else ".mka"
    stem = storage_io.safe_stem(item.file.name)
    with tempfile.TemporaryDirectory() as folder, \
            storage_io.local_source(item.file.name, Path(folder)) as src:
        out = Path(folder) / f"{stem}-{index}{suffix}"
        inp = ffmpeg.input(str(src))
        streams = ([inp[str(item.probe_data.get("video_index") or "v:0")]]
                   if with_picture else []) + [inp[str(index)]]
        ffmpeg_run.run(ffmpeg.output(*streams, str(out), c="copy", map_metadata=-1,
                                     f="matroska"), duration=item.duration or 0)
        result = probe(out)
        # Managed by whoever manages the upload it came from.
        new = MediaItem(title=title[:255], uploaded_by=user, collection=item.collection)
        new.apply_probe(result)
        new.probe_data["extracted_from"] = {"item": item.pk, "track": index}
        with out.open("rb") as fh, transaction.atomic():
            new.file.save(out.name, File(fh), save=False)
            new.save()
    return new
