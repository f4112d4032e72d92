"""A corpus of the unusual but valid files that phones, old cameras, partner TV stations and
Zalo downloads produce, plus a few really broken ones — generated (ffmpeg lavfi, sox,
espeak-ng, Pillow), never downloaded, small and short so the whole corpus converts in a few
minutes on two cores. The one exception is the 60-s variable-frame-rate phone clip (at a
tiny size), because A/V drift only shows at the end of a long clip.

Every video with sound carries a **sync marker**: a white frame flash and a loud 1 kHz
burst at the same instant (``Shape.marker`` seconds from the start), so a test can read
the A/V offset of any output from the decoded picture and sound.

Also used by ``bench/media_corpus.py``.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FLASH_SECONDS = 0.2
BURST_SECONDS = 0.05


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", *args], check=True,
                   capture_output=True, timeout=300)


def flash_video(size: str, rate: float, seconds: float, marker: float | None) -> str:
    """testsrc2 (mid-grey on average) with a full white frame for FLASH_SECONDS at
    ``marker``."""
    spec = f"testsrc2=size={size}:rate={rate:g}:duration={seconds:g}"
    if marker is not None:
        spec += (f",drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:"
                 f"enable='between(t,{marker:g},{marker + FLASH_SECONDS - 0.001:g})'")
    return spec


def burst_audio(seconds: float, marker: float | None, *, rate: int = 48000,
                channels: int = 1, offset: float = 0.0) -> str:
    """A quiet warbling tone bed with a loud 1 kHz burst at ``marker`` (in the file's time;
    ``offset`` is when this track starts), as an aevalsrc spec."""
    expr = "0.2*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*3*t))"
    if marker is not None:
        start = marker - offset
        expr += f"+if(between(t,{start:g},{start + BURST_SECONDS:g}),0.3*sin(2*PI*1000*t),0)"
    layout = "|".join([expr] * channels)
    return f"aevalsrc='{layout}':s={rate}:d={seconds:g}"


@dataclass(frozen=True)
class Shape:
    name: str
    filename: str
    kind: str  # what the pipeline must classify it as: "audio" or "video"
    longest: float | None  # seconds of the longest stream from the start (None: measure)
    has_audio: bool = True
    display: tuple[int, int] | None = None  # width, height a viewer sees (video)
    marker: float | None = None  # sync marker time (video with sound)
    note: str = ""  # what it stands for, for the docs table
    interlaced: bool = False
    # Source facts the test checks first, so a generator that silently lost them fails.
    source_checks: dict = field(default_factory=dict)


class Corpus:
    """Makes each shape on first use into ``folder`` (shared by a whole test session)."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._speech: Path | None = None

    def path(self, shape: Shape) -> Path:
        target = self.folder / shape.filename
        if not target.exists():
            scratch = self.folder / f"tmp-{shape.name}"
            scratch.mkdir(exist_ok=True)
            made = MAKERS[shape.name](self, scratch / shape.filename)
            made.rename(target)
            shutil.rmtree(scratch, ignore_errors=True)
        return target

    # -- building blocks ---------------------------------------------------------------

    def speech(self) -> Path:
        """espeak-ng Vietnamese speech (22.05 kHz mono), ~4 s."""
        if self._speech is None:
            self._speech = self.folder / "espeak.wav"
            if not self._speech.exists():
                subprocess.run(["espeak-ng", "-v", "vi", "-s", "150", "-w", str(self._speech),
                                "Xin chào bà con. Đây là bản tin của huyện, phát lúc sáu giờ."],
                               check=True, capture_output=True, timeout=60)
        return self._speech

    def av(self, out: Path, *, seconds: float, size: str = "320x180", rate: float = 25,
           audio_seconds: float | None = None, audio_offset: float = 0.0,
           marker: float | None = 1.0, vcodec: tuple[str, ...] = ("-c:v", "libx264",
                                                                  "-preset", "ultrafast"),
           acodec: tuple[str, ...] = ("-c:a", "aac", "-b:a", "96k"), audio_rate: int = 48000,
           audio_channels: int = 1, extra: tuple[str, ...] = ()) -> Path:
        """Video of ``seconds`` with (unless ``audio_seconds`` is None) a sound track of
        ``audio_seconds`` starting at ``audio_offset``, both carrying the sync marker."""
        args = ["-f", "lavfi", "-i", flash_video(size, rate, seconds, marker)]
        maps = ["-map", "0:v"]
        if audio_seconds is not None:
            if audio_offset:
                args += ["-itsoffset", f"{audio_offset:g}"]
            args += ["-f", "lavfi", "-i", burst_audio(audio_seconds, marker, rate=audio_rate,
                                                       channels=audio_channels,
                                                       offset=audio_offset)]
            maps += ["-map", "1:a", *acodec]
        ffmpeg(*args, *maps, *vcodec, *extra, str(out))
        return out


# -- the shapes ------------------------------------------------------------------------

def _mp4_index_at_end(c: Corpus, out: Path) -> Path:
    # A phone MP4 written without faststart (index at the end), sound 3 s shorter.
    return c.av(out, seconds=6, audio_seconds=3, marker=2.0)


def _audio_longer(c: Corpus, out: Path) -> Path:
    return c.av(out, seconds=3, audio_seconds=5, marker=2.0)


def _audio_late(c: Corpus, out: Path) -> Path:
    # The sound starts 1.5 s after the picture (a positive start time / edit list).
    return c.av(out, seconds=4, audio_seconds=2.5, audio_offset=1.5, marker=3.0,
                extra=("-f", "mov"))


def _phone_3gp(c: Corpus, out: Path) -> Path:
    # An old phone: QCIF at 15 fps, 8 kHz mono AAC, sound 2 s shorter.
    return c.av(out, seconds=5, size="176x144", rate=15, audio_seconds=3, marker=2.0,
                audio_rate=8000, acodec=("-c:a", "aac", "-b:a", "24k"), extra=("-f", "3gp"))


def _second_track(c: Corpus, out: Path) -> Path:
    # A camera MKV whose first sound track is an unused, silent microphone input.
    ffmpeg("-f", "lavfi", "-i", flash_video("320x180", 25, 4, 2.0),
           "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo:d=4",
           "-f", "lavfi", "-i", burst_audio(3.5, 2.0),
           "-map", "0:v", "-map", "1:a", "-map", "2:a", "-c:v", "libx264", "-preset",
           "ultrafast", "-c:a", "aac", "-b:a", "96k", str(out))
    return out


def _hevc_10bit(c: Corpus, out: Path) -> Path:
    # An iPhone-style HEVC Main 10 MOV, sound 1 s shorter.
    return c.av(out, seconds=4, audio_seconds=3, marker=2.0,
                vcodec=("-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le",
                        "-tag:v", "hvc1", "-x265-params", "log-level=error"),
                extra=("-f", "mov"))


def _mpeg2_interlaced(c: Corpus, out: Path) -> Path:
    # A TV partner's interlaced MPEG-2 programme stream (top field first), MP2 sound.
    return c.av(out, seconds=4, size="352x288", audio_seconds=3, marker=2.0,
                vcodec=("-c:v", "mpeg2video", "-b:v", "2M", "-flags", "+ilme+ildct",
                        "-top", "1", "-field_order", "tt"),
                acodec=("-c:a", "mp2", "-b:a", "192k"), audio_channels=2,
                extra=("-f", "vob"))


def _dv_pal(c: Corpus, out: Path) -> Path:
    # PAL DV from a tape camera: 720x576 4:3 (non-square pixels), interlaced, PCM sound.
    return c.av(out, seconds=2.4, size="720x576", audio_seconds=2.4, marker=1.0,
                vcodec=("-c:v", "dvvideo", "-pix_fmt", "yuv420p", "-aspect", "4:3"),
                acodec=("-c:a", "pcm_s16le"), audio_channels=2,
                extra=("-f", "dv"))


def _mjpeg_avi(c: Corpus, out: Path) -> Path:
    # An old compact camera: Motion-JPEG AVI with PCM sound, sound 1 s shorter.
    return c.av(out, seconds=4, size="320x240", rate=15, audio_seconds=3, marker=2.0,
                vcodec=("-c:v", "mjpeg", "-q:v", "5", "-pix_fmt", "yuvj420p"),
                acodec=("-c:a", "pcm_s16le"), audio_rate=22050, extra=("-f", "avi"))


def _mjpeg_mov(c: Corpus, out: Path) -> Path:
    return c.av(out, seconds=3, size="320x240", audio_seconds=3, marker=1.0,
                vcodec=("-c:v", "mjpeg", "-q:v", "5", "-pix_fmt", "yuvj422p"),
                acodec=("-c:a", "pcm_s16le"), extra=("-f", "mov"))


def _png_mov(c: Corpus, out: Path) -> Path:
    # Intra-only PNG video (screen recorders, editing exports): a still-image codec, moving.
    return c.av(out, seconds=3, size="160x120", audio_seconds=3, marker=1.0,
                vcodec=("-c:v", "png"), extra=("-f", "mov"))


def _rotated(degrees: int) -> Callable[[Corpus, Path], Path]:
    def make(c: Corpus, out: Path) -> Path:
        # Landscape pixels with a display matrix turning them by ``degrees``: ffmpeg 5.1
        # writes the matrix (tkhd) from the rotate tag on a stream copy into MP4; the test
        # checks the side data is really there.
        plain = c.av(out.with_name("plain.mp4"), seconds=2, audio_seconds=2, marker=1.0)
        ffmpeg("-i", str(plain), "-c", "copy", "-metadata:s:v:0", f"rotate={degrees}", str(out))
        return out
    return make


def _anamorphic(c: Corpus, out: Path) -> Path:
    # PAL CIF stored 352x288 but shown 4:3 (sample aspect 12:11).
    return c.av(out, seconds=2, size="352x288", audio_seconds=2, marker=1.0,
                extra=("-aspect", "4:3"))


def _vfr_phone(c: Corpus, out: Path) -> Path:
    # 60 s of phone video whose frame rate wanders (30 fps with frames dropped in a
    # pattern that changes over time), at a tiny size; the marker 2 s before the end.
    keep = "not(eq(mod(n,5),2))*lt(t,20)+not(eq(mod(n,3),1))*between(t,20,40)+gt(t,40)"
    ffmpeg("-f", "lavfi", "-i", flash_video("160x90", 30, 60, 58.0) + f",select='{keep}'",
           "-f", "lavfi", "-i", burst_audio(60, 58.0),
           "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast",
           "-fps_mode", "vfr", "-c:a", "aac", "-b:a", "64k", str(out))
    return out


def _no_audio(c: Corpus, out: Path) -> Path:
    return c.av(out, seconds=3, audio_seconds=None, marker=None)


def _languages(c: Corpus, out: Path) -> Path:
    # A partner's dubbed clip: Vietnamese and Tày sound tracks, tagged.
    ffmpeg("-f", "lavfi", "-i", flash_video("320x180", 25, 3, 1.0),
           "-f", "lavfi", "-i", burst_audio(3, 1.0),
           "-f", "lavfi", "-i", burst_audio(3, 1.0).replace("220*t", "330*t"),
           "-map", "0:v", "-map", "1:a", "-map", "2:a", "-c:v", "libx264", "-preset",
           "ultrafast", "-c:a", "aac", "-b:a", "96k",
           "-metadata:s:a:0", "language=vie", "-metadata:s:a:1", "language=tyz", str(out))
    return out


def _phone_8k(c: Corpus, out: Path) -> Path:
    # A telephone recording: 8 kHz mono G.711 mu-law WAV.
    ffmpeg("-i", str(c.speech()), "-ar", "8000", "-ac", "1", "-c:a", "pcm_mulaw", str(out))
    return out


def _phone_11k(c: Corpus, out: Path) -> Path:
    ffmpeg("-i", str(c.speech()), "-ar", "11025", "-ac", "1", "-c:a", "libmp3lame",
           "-b:a", "32k", str(out))
    return out


def _studio_96k(c: Corpus, out: Path) -> Path:
    # A studio master: 96 kHz 24-bit stereo, made with sox (its high-quality resampler).
    subprocess.run(["sox", str(c.speech()), "-b", "24", "-c", "2", str(out), "rate", "-v",
                    "96k", "gain", "-n", "-3"], check=True, capture_output=True, timeout=60)
    return out


def _surround(c: Corpus, out: Path) -> Path:
    ffmpeg("-i", str(c.speech()), "-filter_complex",
           "[0:a]pan=5.1|FL=c0|FR=c0|FC=c0|LFE=0.1*c0|BL=0.5*c0|BR=0.5*c0",
           "-c:a", "flac", str(out))
    return out


def _dual_mono(c: Corpus, out: Path) -> Path:
    # Two identical channels (a mono microphone recorded as "stereo").
    ffmpeg("-i", str(c.speech()), "-af", "pan=stereo|c0=c0|c1=c0", "-c:a", "pcm_s16le",
           str(out))
    return out


def _mp3_named_mp4(c: Corpus, out: Path) -> Path:
    # Wrong extension, valid content: what the file is decides, not its name.
    mp3 = out.with_name("real.mp3")
    ffmpeg("-i", str(c.speech()), "-c:a", "libmp3lame", "-b:a", "64k", str(mp3))
    mp3.rename(out)
    return out


SHAPES: list[Shape] = [
    Shape("mp4-index-at-end-short-sound", "dien thoai.mp4", "video", 6.0,
          display=(320, 180), marker=2.0,
          note="MP4 with its index at the end, sound 3 s shorter than the picture"),
    Shape("sound-longer", "am thanh dai hon.mp4", "video", 5.0, display=(320, 180),
          marker=2.0, note="sound 2 s longer than the picture"),
    Shape("sound-starts-late", "tieng vao muon.mov", "video", 4.0, display=(320, 180),
          marker=3.0, note="sound starting 1.5 s after the picture (edit list)"),
    Shape("phone-3gp", "may cu.3gp", "video", 5.0, display=(176, 144), marker=2.0,
          note="3GP from an old phone, QCIF 15 fps, 8 kHz AAC, sound 2 s shorter"),
    Shape("sound-in-second-track", "hai rãnh.mkv", "video", 4.0, display=(320, 180),
          marker=2.0, note="MKV whose first sound track is silent, the sound in the second"),
    Shape("hevc-10bit", "iphone hevc.mov", "video", 4.0, display=(320, 180), marker=2.0,
          note="HEVC Main 10 MOV (phones), sound 1 s shorter",
          source_checks={"pix_fmt": "yuv420p10le", "codec_name": "hevc"}),
    Shape("mpeg2-interlaced", "dai truyen hinh.mpg", "video", 4.0, display=(352, 288),
          marker=2.0, interlaced=True,
          note="interlaced MPEG-2 programme stream from a TV partner, MP2 sound",
          source_checks={"field_order": "tt"}),
    Shape("dv-pal", "bang dv.dv", "video", 2.4, display=(768, 576), marker=1.0,
          interlaced=True, note="PAL DV 720x576 4:3, interlaced, PCM sound",
          source_checks={"codec_name": "dvvideo"}),
    Shape("mjpeg-avi", "may anh cu.avi", "video", 4.0, display=(320, 240), marker=2.0,
          note="Motion-JPEG AVI from an old camera, PCM sound 1 s shorter",
          source_checks={"codec_name": "mjpeg"}),
    Shape("mjpeg-mov", "mjpeg.mov", "video", 3.0, display=(320, 240), marker=1.0,
          note="Motion-JPEG 4:2:2 MOV", source_checks={"codec_name": "mjpeg"}),
    Shape("png-mov", "png.mov", "video", 3.0, display=(160, 120), marker=1.0,
          note="intra-only PNG video in MOV (screen recorders)",
          source_checks={"codec_name": "png"}),
    Shape("rotated-90", "xoay 90.mp4", "video", 2.0, display=(180, 320), marker=1.0,
          note="display matrix 90°", source_checks={"rotation": 90}),
    Shape("rotated-180", "xoay 180.mp4", "video", 2.0, display=(320, 180), marker=1.0,
          note="display matrix 180°", source_checks={"rotation": 180}),
    Shape("rotated-270", "xoay 270.mp4", "video", 2.0, display=(180, 320), marker=1.0,
          note="display matrix 270°", source_checks={"rotation": 270}),
    Shape("non-square-pixels", "pal cif.mp4", "video", 2.0, display=(384, 288), marker=1.0,
          note="352x288 shown 4:3 (sample aspect 12:11)",
          source_checks={"sample_aspect_ratio": "12:11"}),
    Shape("vfr-phone-60s", "dien thoai vfr.mp4", "video", 60.0, display=(160, 90),
          marker=58.0, note="60 s variable frame rate phone video"),
    Shape("no-sound", "khong tieng.mp4", "video", 3.0, has_audio=False, display=(320, 180),
          note="video without any sound track"),
    Shape("languages-vie-tyz", "long tieng.mkv", "video", 3.0, display=(320, 180),
          marker=1.0, note="MKV with a Vietnamese and a Tày sound track (language tags)"),
    Shape("phone-8k", "dien thoai 8k.wav", "audio", None,
          note="telephone recording, 8 kHz mono G.711 WAV",
          source_checks={"sample_rate": "8000"}),
    Shape("phone-11k", "ghi am 11k.mp3", "audio", None, note="11.025 kHz mono MP3",
          source_checks={"sample_rate": "11025"}),
    Shape("studio-96k-24bit", "phong thu.wav", "audio", None,
          note="studio master, 96 kHz 24-bit stereo WAV",
          source_checks={"sample_rate": "96000", "bits_per_sample": 24}),
    Shape("surround-5.1", "5.1.flac", "audio", None, note="5.1 FLAC",
          source_checks={"channels": 6}),
    Shape("dual-mono", "hai kenh giong nhau.wav", "audio", None,
          note="two identical channels (mono microphone as stereo)"),
    Shape("mp3-named-mp4", "nham duoi.mp4", "audio", None,
          note="an MP3 named .mp4 (wrong extension, valid content)"),
]
SHAPES_BY_NAME = {s.name: s for s in SHAPES}

MAKERS: dict[str, Callable[[Corpus, Path], Path]] = {
    "mp4-index-at-end-short-sound": _mp4_index_at_end,
    "sound-longer": _audio_longer,
    "sound-starts-late": _audio_late,
    "phone-3gp": _phone_3gp,
    "sound-in-second-track": _second_track,
    "hevc-10bit": _hevc_10bit,
    "mpeg2-interlaced": _mpeg2_interlaced,
    "dv-pal": _dv_pal,
    "mjpeg-avi": _mjpeg_avi,
    "mjpeg-mov": _mjpeg_mov,
    "png-mov": _png_mov,
    "rotated-90": _rotated(90),
    "rotated-180": _rotated(180),
    "rotated-270": _rotated(270),
    "non-square-pixels": _anamorphic,
    "vfr-phone-60s": _vfr_phone,
    "no-sound": _no_audio,
    "languages-vie-tyz": _languages,
    "phone-8k": _phone_8k,
    "phone-11k": _phone_11k,
    "studio-96k-24bit": _studio_96k,
    "surround-5.1": _surround,
    "dual-mono": _dual_mono,
    "mp3-named-mp4": _mp3_named_mp4,
}
