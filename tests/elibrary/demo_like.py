"""A demo-like e-library for the tests: the demo province's subjects, text and full-size
cover pictures (1280×720, like load_demo), twelve live products of every kind, a draft
with its own recording, and real media (espeak-ng speech, ffmpeg video) kept short."""

from __future__ import annotations

import datetime
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.utils import timezone

from cms.products.file_import import import_document, import_image, import_media_item
from cms.products.models import BulletinPage, DocumentPage, PrintPage, Topic, VideoPage
from demo import data, media
from media_pipeline.models import MediaItem, Rendition
from tests.elibrary.factories import add_product

stored_image = import_image
stored_document = import_document
stored_media = import_media_item


def ready_rendition(item: MediaItem, profile: str, source: Path, dest: Path,
                    ffmpeg_args: list[str], mime: str) -> Rendition:
    """A READY rendition made with real ffmpeg (the pipeline's job, done here by hand so
    the players can be tested before the pipeline runs)."""
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(source),
                    *ffmpeg_args, str(dest)], check=True, capture_output=True, timeout=120)
    rendition = Rendition(source=item, profile=profile, state=Rendition.State.READY,
                          mime_type=mime, size=dest.stat().st_size)
    with dest.open("rb") as fh:
        rendition.file.save(dest.name, File(fh), save=False)
    rendition.save()
    return rendition


@dataclass
class DemoLibrary:
    bulletins: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    prints: list = field(default_factory=list)
    videos: list = field(default_factory=list)
    draft: BulletinPage | None = None
    topics: list = field(default_factory=list)

    @property
    def live(self) -> list:
        return [*self.bulletins, *self.documents, *self.prints, *self.videos]


def ensure_topics() -> list[Topic]:
    return [Topic.objects.get_or_create(slug=slug, defaults={"name": vi, "name_vi": vi,
                                                             "name_en": en, "name_zh_hans": zh,
                                                             "sort_order": n})[0]
            for n, (slug, vi, en, zh) in enumerate(data.TOPICS)]


@dataclass
class SourceFiles:
    """Files made once per test session; each test stores its own copies."""

    speech: list[Path]
    clip: Path
    pdf: Path
    artwork: Path
    covers: list[Path]
    secret_speech: Path


def make_source_files(folder: Path, covers: int = 12) -> SourceFiles:
    folder.mkdir(parents=True, exist_ok=True)
    return SourceFiles(
        speech=[media.speech_mp3(f"Bản tin số {n + 1}. {data.SUBJECTS[n]}",
                                 folder / f"ban-tin-{n}.mp3", bed_hz=200 + 40 * n)
                for n in range(2)],
        clip=media.test_video(folder / "clip.mp4", seconds=2, size="320x180"),
        pdf=media.text_pdf("Sổ tay", data.BODY, folder / "so-tay.pdf", 2),
        artwork=media.cover_image("Áp phích", "Lạng Sơn", folder / "ap-phich.jpg",
                                  size=(840, 1188)),
        covers=[media.cover_image(data.SUBJECTS[n % len(data.SUBJECTS)], "Lạng Sơn",
                                  folder / f"bia-{n}.jpg", index=n) for n in range(covers)],
        secret_speech=media.speech_mp3("Bản nháp chưa duyệt", folder / "nhap.mp3"),
    )


def build(province, files: SourceFiles, *, per_kind: int = 1) -> DemoLibrary:
    """``per_kind`` live products of each kind (3 makes the twelve of a demo home page)."""
    lib = DemoLibrary(topics=ensure_topics())
    orgs = [province.department, province.district_a, province.district_b]
    speech = [stored_media(path, f"Âm thanh bản tin {n + 1}")
              for n, path in enumerate(files.speech)]
    clip = stored_media(files.clip, "Video thử")
    pdf = stored_document(files.pdf, "Sổ tay")
    artwork = stored_image(files.artwork, "Áp phích")
    today = timezone.localdate()
    n = 0
    for kind in ("document", "print", "video", "bulletin"):  # bulletins newest
        for i in range(per_kind):
            subject = data.SUBJECTS[n % len(data.SUBJECTS)]
            cover = stored_image(files.covers[n % len(files.covers)], f"Ảnh bìa {n}")
            common = {"title": f"{subject}", "text": " ".join(data.BODY),
                      "topics": [lib.topics[n % 7], lib.topics[(n + 3) % 7]],
                      "cover": cover, "area": orgs[n % 3].area}
            parent = orgs[n % 3].section_page
            if kind == "bulletin":
                page = add_product(parent, BulletinPage, audio=speech[i % 2],
                                   air_date=today - datetime.timedelta(days=i // 2), **common)
                lib.bulletins.append(page)
            elif kind == "document":
                page = add_product(parent, DocumentPage, pdf=pdf, page_count=2, **common)
                lib.documents.append(page)
            elif kind == "print":
                page = add_product(parent, PrintPage, artwork_image=artwork, **common)
                lib.prints.append(page)
            else:
                page = add_product(parent, VideoPage, video=clip, **common)
                lib.videos.append(page)
            n += 1
    secret_audio = stored_media(files.secret_speech, "Âm thanh bản nháp")
    lib.draft = add_product(province.department.section_page, BulletinPage,
                            title="Bản nháp tuyệt mật Khau Phạ", text="Chưa được duyệt.",
                            audio=secret_audio, air_date=today, live=False)
    return lib
