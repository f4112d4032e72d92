"""What a media file really is, read by ffprobe, never by its name."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import ffmpeg
from django.conf import settings
from django.utils.translation import gettext as _

from .exceptions import EmptyFile, NotAudioOrVideo, TooLong, UnreadableMedia

# Bulletins run 10–15 minutes and documentaries 15: hours of audio are a mistake (a
# recorder left running), and would tie up a worker for nothing.
DEFAULT_MAX_SECONDS = 3 * 3600

# Codecs ffprobe reports for still pictures: a "video" made of one of these is an image.
STILL_IMAGE_CODECS = {"png", "mjpeg", "bmp", "gif", "webp", "tiff", "jpegls", "jpeg2000"}


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
    raw: dict = field(default_factory=dict, repr=False)

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
        raise UnreadableMedia(detail=exc.stderr.decode("utf-8", "replace")[-2000:]) from exc

    streams = info.get("streams", [])
    fmt = info.get("format", {})
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    # Cover art in an MP3/M4A is a video stream flagged attached_pic: it is still audio.
    moving = [
        s
        for s in streams
        if s.get("codec_type") == "video"
        and not s.get("disposition", {}).get("attached_pic")
        and s.get("codec_name") not in STILL_IMAGE_CODECS
    ]
    video = moving[0] if moving else None
    if audio is None and video is None:
        raise NotAudioOrVideo(detail=f"format={fmt.get('format_name')}")

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
    if audio:
        result.audio_codec = audio.get("codec_name")
        result.audio_channels = int(audio.get("channels") or 0) or None
        result.sample_rate = int(audio.get("sample_rate") or 0) or None
        result.audio_bit_rate = _int(audio.get("bit_rate"))
    check_limits(result)
    return result
