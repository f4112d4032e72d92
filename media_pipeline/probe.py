"""What a media file really is, read by ffprobe, never by its name."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import av
import ffmpeg
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exceptions import (
    EmptyFile,
    MissingIndex,
    NotAudioOrVideo,
    TooLong,
    UnreadableMedia,
    renamed,
)

# What a file that is not audio or video really is, from its first bytes.
MAGIC = (
    (b"%PDF", gettext_lazy("một tài liệu PDF")),
    (b"PK\x03\x04", gettext_lazy("một tệp nén ZIP (hoặc tài liệu Word, Excel)")),
    (b"\xd0\xcf\x11\xe0", gettext_lazy("một tài liệu Word/Excel đời cũ")),
    (b"\xff\xd8\xff", gettext_lazy("một ảnh JPEG")),
    (b"\x89PNG", gettext_lazy("một ảnh PNG")),
    (b"GIF8", gettext_lazy("một ảnh GIF")),
    (b"Rar!", gettext_lazy("một tệp nén RAR")),
)

# Bulletins run 10–15 minutes and documentaries 15: hours of audio are a mistake (a
# recorder left running), and would tie up a worker for nothing.
DEFAULT_MAX_SECONDS = 3 * 3600

# Codecs that may be a still picture (cover art, an image renamed) or intra-only video
# (Motion-JPEG from old cameras, PNG from screen recorders): their frame count decides.
STILL_IMAGE_CODECS = {"png", "mjpeg", "bmp", "gif", "webp", "tiff", "jpegls", "jpeg2000"}
# Field orders of interlaced video; DV is interlaced whatever it declares.
INTERLACED_FIELD_ORDERS = {"tt", "bb", "tb", "bt"}
INTERLACED_CODECS = {"dvvideo"}


@dataclass
class ProbeResult:
    kind: str  # "audio" or "video"
    duration: float
    size: int
    format_name: str
    width: int | None = None
    height: int | None = None
    rotation: int = 0
    frame_rate: float | None = None
    video_codec: str | None = None
    audio_codec: str | None = None
    audio_channels: int | None = None
    sample_rate: int | None = None
    bit_rate: int | None = None
    sample_aspect: float = 1.0
    pix_fmt: str | None = None
    video_profile: str | None = None
    video_bit_rate: int | None = None
    audio_bit_rate: int | None = None
    variable_frame_rate: bool = False
    interlaced: bool = False
    # Absolute stream indexes of the picture and of the sound track used (None: first).
    video_index: int | None = None
    audio_index: int | None = None
    # Every sound track: index, language tag (ISO 639-2, "" when untagged), channels.
    audio_tracks: list[dict] = field(default_factory=list)
    raw: dict = field(default_factory=dict, repr=False)

    @property
    def video_spec(self) -> str:
        """ffmpeg stream specifier of the picture within its input."""
        return "v:0" if self.video_index is None else str(self.video_index)

    @property
    def audio_spec(self) -> str:
        return "a:0" if self.audio_index is None else str(self.audio_index)

    @property
    def has_audio(self) -> bool:
        return self.audio_codec is not None

    @property
    def display_size(self) -> tuple[int, int] | None:
        """Width and height as a viewer sees them: rotation applied, pixels made square."""
        if not (self.width and self.height):
            return None
        width = round(self.width * (self.sample_aspect or 1.0))
        height = self.height
        return (height, width) if self.rotation in (90, 270) else (width, height)

    def as_json(self) -> dict:
        data = asdict(self)
        data.pop("raw")
        return data


def _rotation(stream: dict) -> int:
    for side in stream.get("side_data_list", []):
        if "rotation" in side:
            return int(side["rotation"]) % 360
    tag = stream.get("tags", {}).get("rotate")
    return int(tag) % 360 if tag else 0


def sniffed(path: Path) -> NotAudioOrVideo | None:
    """A document, archive, picture or plain text under an audio/video name."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    for magic, what in MAGIC:
        if head.startswith(magic):
            return renamed(str(what), path.suffix)
    if b"\0" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut at the 4 KB mark
                return None
        return renamed(_("một văn bản (chữ)"), path.suffix)
    return None


def unreadable(path: Path, stderr: str) -> UnreadableMedia | NotAudioOrVideo:
    """The most specific reason ffprobe could not read ``path`` (what the bytes are comes
    first: ffprobe reads a renamed PDF as an MP4 with no index, because of its name)."""
    if (renamed_file := sniffed(path)) is not None:
        return renamed_file
    if "moov atom not found" in stderr:
        return MissingIndex(detail=stderr[-2000:])
    return UnreadableMedia(detail=stderr[-2000:])


def _is_picture(path: Path, stream: dict) -> bool:
    """Cover art (flagged ``attached_pic``) or a single still image, not moving video. A
    still-image codec alone decides nothing: Motion-JPEG cameras and PNG screen recorders
    make real video of them, so the frame count does."""
    if stream.get("disposition", {}).get("attached_pic"):
        return True
    if stream.get("codec_name") not in STILL_IMAGE_CODECS:
        return False
    frames = _int(stream.get("nb_frames"))
    if frames is None:  # not in the header (MKV, image files): count the packets
        frames = _count_packets(path, int(stream["index"]))
    return frames <= 1


def _count_packets(path: Path, index: int) -> int:
    try:
        info = ffmpeg.probe(str(path), select_streams=str(index), count_packets=None,
                            show_entries="stream=nb_read_packets")
    except ffmpeg.Error:
        return 0
    found = info.get("streams", [{}])
    return (_int(found[0].get("nb_read_packets")) or 0) if found else 0


def _language(stream: dict) -> str:
    language = (stream.get("tags", {}).get("language") or "").lower()
    return "" if language in ("und", "") else language


def _rate(value: str | None) -> float | None:
    if not value or value in ("0/0", "0"):
        return None
    num, _sep, den = value.partition("/")
    return float(num) / float(den or 1)


def _sample_aspect(stream: dict) -> float:
    num, _sep, den = (stream.get("sample_aspect_ratio") or "1:1").partition(":")
    try:
        value = float(num) / float(den)
    except (ValueError, ZeroDivisionError):
        return 1.0
    return value if value > 0 else 1.0


def _int(value) -> int | None:
    try:
        return int(value) or None
    except (TypeError, ValueError):
        return None


def format_seconds(seconds: float) -> str:
    total = round(seconds)
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def check_limits(result: ProbeResult) -> None:
    limit = getattr(settings, "LOA_MEDIA_MAX_SECONDS", DEFAULT_MAX_SECONDS)
    if result.duration > limit:
        raise TooLong(
            _("Tệp dài %(length)s, vượt giới hạn %(limit)s. Hãy cắt thành các phần ngắn hơn.")
            % {"length": format_seconds(result.duration), "limit": format_seconds(limit)},
            detail=f"duration={result.duration}",
        )


def probe(path: str | os.PathLike) -> ProbeResult:
    """Probe ``path``; raise a typed MediaError when it is not usable audio or video."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile()
    try:
        info = ffmpeg.probe(str(path))
    except ffmpeg.Error as exc:
        raise unreadable(path, exc.stderr.decode("utf-8", "replace")) from exc

    streams = info.get("streams", [])
    fmt = info.get("format", {})
    audios = [s for s in streams if s.get("codec_type") == "audio"]
    audio = audios[0] if audios else None
    moving = [s for s in streams if s.get("codec_type") == "video"
              and not _is_picture(path, s)]
    video = moving[0] if moving else None
    if audio is None and video is None:
        raise sniffed(path) or NotAudioOrVideo(detail=f"format={fmt.get('format_name')}")

    duration = float(fmt.get("duration") or (video or audio).get("duration") or 0)
    if duration <= 0:
        raise UnreadableMedia(detail="no duration")

    result = ProbeResult(
        kind="video" if video else "audio",
        duration=duration,
        size=size,
        format_name=fmt.get("format_name", ""),
        bit_rate=int(fmt["bit_rate"]) if fmt.get("bit_rate") else None,
        raw=info,
    )
    if video:
        result.width = int(video.get("width") or 0) or None
        result.height = int(video.get("height") or 0) or None
        result.rotation = _rotation(video)
        result.frame_rate = _rate(video.get("avg_frame_rate")) or _rate(video.get("r_frame_rate"))
        result.video_codec = video.get("codec_name")
        result.sample_aspect = _sample_aspect(video)
        result.pix_fmt = video.get("pix_fmt")
        result.video_profile = video.get("profile")
        result.video_bit_rate = _int(video.get("bit_rate"))
        avg, real = _rate(video.get("avg_frame_rate")), _rate(video.get("r_frame_rate"))
        result.variable_frame_rate = bool(avg and real and abs(avg - real) > 0.01 * real)
        result.interlaced = (video.get("field_order") in INTERLACED_FIELD_ORDERS
                             or video.get("codec_name") in INTERLACED_CODECS)
        result.video_index = int(video["index"])
    if audio:
        result.audio_index = int(audio["index"])
        result.audio_tracks = [
            {"index": int(s["index"]), "language": _language(s),
             "channels": int(s.get("channels") or 0)} for s in audios]
        result.audio_codec = audio.get("codec_name")
        result.audio_channels = int(audio.get("channels") or 0) or None
        result.sample_rate = int(audio.get("sample_rate") or 0) or None
        result.audio_bit_rate = _int(audio.get("bit_rate"))
    check_limits(result)
    return result


def readable_seconds(path: str | os.PathLike) -> float:
    """How much of the file can really be read: the end of its last packet, in seconds from
    the file's start. Demuxing only (no decoding), in this process (PyAV), so cheap even for
    long files. A file cut mid-stream still declares its full duration in its header; its
    packets stop early, or the demuxer stops at the first damaged one."""
    try:
        container = av.open(str(path))
    except av.FFmpegError as exc:
        raise UnreadableMedia(detail=str(exc)) from exc
    end = 0.0
    with container:
        start = (container.start_time or 0) / av.time_base
        try:
            for packet in container.demux():
                at = packet.pts if packet.pts is not None else packet.dts
                if at is not None and packet.time_base is not None:
                    end = max(end, float((at + (packet.duration or 0)) * packet.time_base))
        except av.FFmpegError:
            pass  # damaged data: what came before it is what can be read
    return max(0.0, end - start)


def inspect_output(path: Path) -> ProbeResult:
    """What one of our own outputs (audio or video) really holds, read in this process
    (PyAV): one ffprobe process per output cost more CPU than the job's other checks on a
    short clip. Unlike ``probe``, nothing here is the uploader's fault."""
    with av.open(str(path)) as container:
        video = container.streams.video[0] if container.streams.video else None
        audio = container.streams.audio[0] if container.streams.audio else None
        result = ProbeResult(
            kind="video" if video else "audio",
            duration=(container.duration or 0) / av.time_base,
            size=path.stat().st_size,
            format_name=container.format.name,
            bit_rate=container.bit_rate or None,
        )
        if video is not None:
            result.width = video.codec_context.width or None
            result.height = video.codec_context.height or None
            result.video_codec = video.codec_context.codec.canonical_name
        if audio is not None:
            result.audio_codec = audio.codec_context.codec.canonical_name
            result.audio_channels = audio.codec_context.channels or None
            result.sample_rate = audio.codec_context.sample_rate or None
    return result


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
