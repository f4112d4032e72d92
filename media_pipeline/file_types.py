"""What a media file is, from ffprobe's reading of it: the extension it is stored under
and the Content-Type it is served with. Never the uploader's file name: an MP3 uploaded
as ``x.html`` is stored as ``x.mp3`` and served as ``audio/mpeg``."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from django.utils.text import get_valid_filename


@dataclass(frozen=True)
class FileType:
    extension: str
    mime_type: str


UNKNOWN = FileType("bin", "application/octet-stream")

# ffprobe's format_name (its demuxer list) -> (as audio, as video)
CONTAINERS: dict[str, tuple[FileType, FileType]] = {
    "mp3": (FileType("mp3", "audio/mpeg"), FileType("mp3", "audio/mpeg")),
    "mov,mp4,m4a,3gp,3g2,mj2": (FileType("m4a", "audio/mp4"), FileType("mp4", "video/mp4")),
    "matroska,webm": (FileType("mka", "audio/x-matroska"), FileType("mkv", "video/x-matroska")),
    "ogg": (FileType("ogg", "audio/ogg"), FileType("ogv", "video/ogg")),
    "wav": (FileType("wav", "audio/wav"), FileType("wav", "audio/wav")),
    "flac": (FileType("flac", "audio/flac"), FileType("flac", "audio/flac")),
    "aac": (FileType("aac", "audio/aac"), FileType("aac", "audio/aac")),
    "aiff": (FileType("aiff", "audio/aiff"), FileType("aiff", "audio/aiff")),
    "amr": (FileType("amr", "audio/amr"), FileType("amr", "audio/amr")),
    "asf": (FileType("wma", "audio/x-ms-wma"), FileType("wmv", "video/x-ms-wmv")),
    "avi": (FileType("avi", "video/x-msvideo"), FileType("avi", "video/x-msvideo")),
    "flv": (FileType("flv", "video/x-flv"), FileType("flv", "video/x-flv")),
    "mpeg": (FileType("mpg", "video/mpeg"), FileType("mpg", "video/mpeg")),
    "mpegts": (FileType("ts", "video/mp2t"), FileType("ts", "video/mp2t")),
}


def probed_type(format_name: str, kind: str) -> FileType:
    pair = CONTAINERS.get(format_name)
    if pair is None:
        return UNKNOWN
    return pair[1] if kind == "video" else pair[0]


def stored_name(uploaded_name: str, file_type: FileType) -> str:
    """The uploader's name for the stem (people recognise it), the probe's extension."""
    stem = posixpath.splitext(posixpath.basename(uploaded_name))[0]
    stem = get_valid_filename(stem.replace(".", "-")) if stem.strip(". ") else "media"
    return f"{stem[:100]}.{file_type.extension}"
