"""Real media for the demo province, made locally: espeak-ng speech over a tone bed,
ffmpeg test video, Pillow pictures and PDFs. Nothing is downloaded."""

from __future__ import annotations

import subprocess
import tempfile
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/noto")
PALETTE = ["#b3261e", "#1f5f8b", "#2e7d32", "#8e5b00", "#5b3f8c", "#00695c"]


def font(size: int, bold: bool = False) -> ImageFont.ImageFont:
    path = FONT_DIR / ("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf")
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:  # fonts-noto-core missing: still make a picture
        return ImageFont.load_default(size)


def _run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)


def speech_mp3(text: str, dest: Path, voice: str = "vi", bed_hz: int = 220) -> Path:
    """Speech read by espeak-ng over a quiet tone bed, as a 44.1 kHz MP3."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        _run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(wav), text])
        _run([
            "ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(wav),
            "-f", "lavfi", "-i", f"sine=frequency={bed_hz}:sample_rate=44100",
            "-filter_complex",
            "[1:a]volume=0.05[bed];[0:a]aresample=44100[sp];"
            "[sp][bed]amix=inputs=2:duration=first:normalize=0[out]",
            "-map", "[out]", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "96k", str(dest),
        ])
    return dest


def test_video(dest: Path, seconds: int = 6, size: str = "640x360", tone_hz: int = 440) -> Path:
    """A short H.264/AAC clip from ffmpeg's test pattern with a tone."""
    _run([
        "ffmpeg", "-nostdin", "-y", "-loglevel", "error",
        "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency={tone_hz}:duration={seconds}",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart", str(dest),
    ])
    return dest


def cover_image(title: str, subtitle: str, dest: Path, index: int = 0,
                size: tuple[int, int] = (1280, 720)) -> Path:
    img = Image.new("RGB", size, PALETTE[index % len(PALETTE)])
    draw = ImageDraw.Draw(img)
    width, height = size
    draw.rectangle([0, height - 90, width, height], fill="#00000055")
    y = height // 5
    for line in textwrap.wrap(title, width=max(12, width // 34)):
        draw.text((60, y), line, fill="white", font=font(max(28, width // 22), bold=True))
        y += max(36, width // 18)
    draw.text((60, height - 70), subtitle, fill="white", font=font(max(20, width // 45)))
    img.save(dest, quality=85)
    return dest


def text_pdf(title: str, paragraphs: list[str], dest: Path, pages: int = 4) -> Path:
    """A small A5-ish PDF of ``pages`` pages with real Vietnamese text."""
    sheets = []
    for number in range(1, pages + 1):
        page = Image.new("RGB", (874, 1240), "white")
        draw = ImageDraw.Draw(page)
        draw.text((60, 60), title, fill="#b3261e", font=font(30, bold=True))
        y = 140
        for para in paragraphs:
            for line in textwrap.wrap(para, width=52):
                draw.text((60, y), line, fill="black", font=font(22))
                y += 32
            y += 20
        draw.text((420, 1180), str(number), fill="#555", font=font(20))
        sheets.append(page)
    sheets[0].save(dest, "PDF", resolution=100, save_all=True, append_images=sheets[1:])
    return dest
