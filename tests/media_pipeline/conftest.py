"""Hostile and ordinary media for the pipeline tests, generated here, small and short."""

from __future__ import annotations

import struct
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.files import File

from media_pipeline.models import MediaItem
from media_pipeline.probe import probe


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", *args], check=True,
                   capture_output=True, timeout=120)


class Hostile:
    """Files editors really upload, good and bad, made on demand in a temporary folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def path(self, name: str) -> Path:
        return self.folder / name

    def speech_wav(self, name: str = "speech.wav", seconds: float = 3) -> Path:
        """espeak-ng speech over pink noise: speech-like, with real peaks."""
        raw = self.path("espeak.wav")
        subprocess.run(["espeak-ng", "-v", "vi", "-s", "160", "-w", str(raw),
                        "Xin chào bà con. Đây là bản tin của huyện."], check=True, timeout=60)
        ffmpeg("-stream_loop", "-1", "-i", str(raw),
               "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.03:sample_rate=44100",
               "-filter_complex", "[0:a]aresample=44100[s];[s][1:a]amix=inputs=2:"
               "duration=first:normalize=0", "-t", str(seconds), "-ac", "1",
               str(self.path(name)))
        return self.path(name)

    def mp3(self, name: str = "ban tin.mp3", seconds: float = 3) -> Path:
        ffmpeg("-i", str(self.speech_wav(seconds=seconds)), "-c:a", "libmp3lame", "-b:a", "96k",
               str(self.path(name)))
        return self.path(name)

    def video(self, name: str = "clip.mp4", seconds: float = 2, size: str = "320x180",
              audio: str | None = "sine=frequency=440", extra: tuple[str, ...] = (),
              pix_fmt: str = "yuv420p", pattern: str = "testsrc2") -> Path:
        args = ["-f", "lavfi", "-i", f"{pattern}=size={size}:rate=25:duration={seconds}"]
        if audio:
            args += ["-f", "lavfi", "-i", f"{audio}:duration={seconds}"]
        args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", pix_fmt, *extra]
        if audio:
            args += ["-c:a", "aac", "-b:a", "64k", "-shortest"]
        ffmpeg(*args, str(self.path(name)))
        return self.path(name)

    def truncated(self, source: Path, name: str, keep: float = 0.5) -> Path:
        data = source.read_bytes()
        self.path(name).write_bytes(data[: int(len(data) * keep)])
        return self.path(name)

    def text_as_mp3(self) -> Path:
        path = self.path("ghi chú.mp3")
        path.write_text("Đây không phải âm thanh.\n" * 50, encoding="utf-8")
        return path

    def zip_as_mp3(self) -> Path:
        path = self.path("nen.mp3")
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("a.txt", "xin chào" * 100)
        return path

    def image_as_mp4(self) -> Path:
        from PIL import Image

        path = self.path("anh.mp4")
        Image.new("RGB", (64, 48), "#b3261e").save(path, "PNG")
        return path

    def silent_wav_hours(self, hours: float = 6, rate: int = 8000) -> Path:
        """A 16-bit mono WAV of ``hours`` of digital silence: a header and a sparse file,
        so it costs no disk and no time to make."""
        path = self.path("im lặng 6 giờ.wav")
        data_bytes = int(hours * 3600 * rate) * 2
        header = b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE"
        header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
        header += b"data" + struct.pack("<I", data_bytes)
        with path.open("wb") as fh:
            fh.write(header)
            fh.truncate(len(header) + data_bytes)
        return path

    def silent_wav(self, seconds: float = 3) -> Path:
        ffmpeg("-f", "lavfi", "-i", f"anullsrc=r=44100:cl=mono:d={seconds}",
               str(self.path("silent.wav")))
        return self.path("silent.wav")

    def odd_4k(self) -> Path:
        """One 3839×2161 frame (odd width and height), with sound: cheap to make."""
        return self.video("4k le.mp4", seconds=0.08, size="3839x2161",
                          extra=("-frames:v", "2"), pix_fmt="yuv444p",
                          pattern="testsrc")  # testsrc2 rounds sizes to even

    def rotated_phone(self) -> Path:
        """Landscape pixels with a display matrix saying 'turn 90°': a phone held upright."""
        plain = self.video("plain.mp4", seconds=2, size="320x180")
        path = self.path("dien thoai xoay.mp4")
        ffmpeg("-i", str(plain), "-c", "copy", "-metadata:s:v:0", "rotate=90", str(path))
        return path

    def cover_art_mp3(self) -> Path:
        from PIL import Image

        cover = self.path("bia.jpg")
        Image.new("RGB", (300, 300), "#1f5f8b").save(cover, "JPEG")
        path = self.path("có ảnh bìa.mp3")
        ffmpeg("-i", str(self.speech_wav()), "-i", str(cover), "-map", "0:a", "-map", "1:v",
               "-c:a", "libmp3lame", "-b:a", "96k", "-c:v", "mjpeg",
               "-disposition:v", "attached_pic", "-id3v2_version", "3", str(path))
        return path

    def surround(self) -> Path:
        path = self.path("5.1.m4a")
        ffmpeg("-i", str(self.speech_wav()), "-filter_complex",
               "[0:a]pan=5.1|FL=c0|FR=c0|FC=c0|LFE=0.1*c0|BL=0.5*c0|BR=0.5*c0",
               "-c:a", "aac", "-b:a", "192k", str(path))
        return path


@pytest.fixture(autouse=True)
def _publication_waits_for_media(settings):
    """The production default; the test settings turn it off for other features' tests."""
    settings.LOA_MEDIA_REQUIRE_READY_TO_PUBLISH = True


@pytest.fixture
def hostile(tmp_path) -> Hostile:
    return Hostile(tmp_path / "hostile")


def make_item(path: Path, title: str | None = None) -> MediaItem:
    """Store a media item the way the admin form does: probe, then save (jobs enqueue on
    commit)."""
    item = MediaItem(title=title or path.stem)
    item.apply_probe(probe(path))
    with path.open("rb") as fh:
        item.file.save(path.name, File(fh), save=False)
    item.save()
    return item


def run_profiles(item: MediaItem, *profiles: str):
    """Make just these profiles for ``item`` in this process, as a worker would; return the
    finished job."""
    from media_pipeline.jobs import cancel, request_renditions
    from media_pipeline.runner import run_job

    if (active := item.active_job()) is not None:
        cancel(active)  # the one queued on save (its task never ran: no commit in db tests)
    job = request_renditions(item, profiles=list(profiles), enqueue_task=False)
    run_job(job.pk)
    job.refresh_from_db()
    return job


def stored_files(media_root: Path) -> set[str]:
    root = Path(media_root)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def scratch_files(media_root: Path) -> list[Path]:
    work = Path(media_root).parent / "media-work"
    return [p for p in work.rglob("*") if p.is_file()] if work.exists() else []
