"""Stations fixtures: live and draft bulletins whose audio has READY renditions made with
ffmpeg from a real spoken MP3 (encoded once per session, copied into each test's storage),
and stations with keys."""

from __future__ import annotations

import datetime
import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files import File
from wagtail.models import Locale

from cms.organisations.models import Area, Level
from cms.products.models import BulletinPage
from demo import media as demo_media
from media_pipeline.models import MediaItem, Rendition
from media_pipeline.probe import probe
from stations.models import Station

SPEECH = ("Bản tin phát thanh thử nghiệm. Bà con các dân tộc ở vùng biên giới cùng giữ gìn "
          "an ninh trật tự, xây dựng biên giới hòa bình, hữu nghị, hợp tác và phát triển.")

# Profile name -> ffmpeg output arguments matching media_pipeline.profiles.
ENCODINGS = {
    "radio-loudspeaker": ("mp3", ["-af", "loudnorm=I=-16:TP=-1", "-ar", "44100", "-ac", "1",
                                  "-c:a", "libmp3lame", "-b:a", "128k"]),
    "radio-provincial": ("mp3", ["-af", "loudnorm=I=-23:TP=-1", "-ar", "44100", "-ac", "1",
                                 "-c:a", "libmp3lame", "-b:a", "128k"]),
    "phone-audio": ("ogg", ["-af", "loudnorm=I=-16:TP=-1", "-ac", "1", "-c:a", "libopus",
                            "-b:a", "24k"]),
}


@dataclass(frozen=True)
class Encoded:
    path: Path
    profile: str
    mime_type: str
    sha256: str
    size: int
    duration: float
    bit_rate: int


def _encode(source: Path, profile: str, folder: Path) -> Encoded:
    ext, args = ENCODINGS[profile]
    dest = folder / f"{profile}.{ext}"
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(source),
                    *args, str(dest)], check=True, capture_output=True, timeout=120)
    facts = probe(dest)
    data = dest.read_bytes()
    mime = {"mp3": "audio/mpeg", "ogg": "audio/ogg"}[ext]
    return Encoded(dest, profile, mime, hashlib.sha256(data).hexdigest(), len(data),
                   facts.duration, facts.bit_rate or round(len(data) * 8 / facts.duration))


@pytest.fixture(scope="session")
def encoded_audio(tmp_path_factory) -> dict[str, Encoded]:
    folder = tmp_path_factory.mktemp("station-audio")
    source = demo_media.speech_mp3(SPEECH, folder / "nguon.mp3")
    encoded = {name: _encode(source, name, folder) for name in ENCODINGS}
    encoded["source"] = Encoded(source, "source", "audio/mpeg",
                                hashlib.sha256(source.read_bytes()).hexdigest(),
                                source.stat().st_size, probe(source).duration,
                                probe(source).bit_rate or 0)
    return encoded


def add_rendition(item: MediaItem, enc: Encoded) -> Rendition:
    rendition = Rendition(source=item, profile=enc.profile, state=Rendition.State.READY,
                          mime_type=enc.mime_type, size=enc.size, sha256=enc.sha256,
                          duration=enc.duration, bit_rate=enc.bit_rate)
    with enc.path.open("rb") as fh:
        rendition.file.save(enc.path.name, File(fh), save=False)
    rendition.save()
    return rendition


@dataclass
class Bulletins:
    province: object
    encoded: dict

    def media_item(self, profiles=("radio-loudspeaker", "phone-audio")) -> MediaItem:
        source = self.encoded["source"]
        item = MediaItem(title="Âm thanh bản tin")
        item.apply_probe(probe(source.path))
        with source.path.open("rb") as fh:
            item.file.save("ban-tin.mp3", File(fh), save=False)
        item.save()
        for profile in profiles:
            add_rendition(item, self.encoded[profile])
        return item

    def make(self, title: str, *, language: str = "vi", live: bool = True,
             profiles=("radio-loudspeaker", "phone-audio"), days_ago: int = 0) -> BulletinPage:
        locale = Locale.objects.get(language_code=language)
        section = self.province.district_a.section_page
        parent = section.get_translation(locale) if language != section.locale.language_code \
            else section
        page = BulletinPage(
            title=title, locale=locale, summary=f"Tóm tắt: {title}",
            body=[("heading", "Nội dung chính"),
                  ("paragraph", "<p>Bà con <b>cảnh giác</b> &amp; giữ gìn biên giới.</p>")],
            audio=self.media_item(profiles), live=False,
            air_date=datetime.date.today() - datetime.timedelta(days=days_ago),
        )
        parent.add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
        page.refresh_from_db()
        return page


@pytest.fixture
def bulletins(province, encoded_audio) -> Bulletins:
    return Bulletins(province, encoded_audio)


@pytest.fixture
def make_station(province):
    def make(name: str = "Đài truyền thanh xã Đồng Đăng", *, languages=("vi",),
             profile: str = "radio-loudspeaker", level: str = Level.DISTRICT) -> tuple:
        area = Area.objects.filter(level=level).first()
        station = Station.objects.create(name=name, level=level, area=area,
                                         languages=list(languages), audio_profile=profile)
        return station, station.rotate_key()

    return make


@pytest.fixture(autouse=True)
def _no_pipeline_jobs_on_save(settings):
    """Media items made here do not start the pipeline's jobs: these tests make any
    renditions they need themselves from real ffmpeg output (the jobs are tested in
    tests/media_pipeline)."""
    settings.LOA_MEDIA_ENQUEUE_ON_SAVE = False
