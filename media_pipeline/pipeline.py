"""What one job does: work out which renditions are missing, make only those from one
local copy of the source, check each output, and move it in place."""

from __future__ import annotations

import dataclasses
import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from . import storage_io
from .exceptions import EncodeFailed, TruncatedMedia
from .jobs import Reporter
from .loudness import Loudness
from .models import MediaItem, MediaJob, Rendition, rendition_upload_to
from .outputs import audio, hls, pictures, video
from .probe import ProbeResult, probe
from .profiles import PROFILES, VIDEO_LADDER, Profile

logger = logging.getLogger(__name__)

# An output shorter than this share of the source means the decoder ran out of data.
MIN_DURATION_SHARE = 0.9


@dataclass
class Made:
    path: Path
    loudness: Loudness | None = None
    remuxed: bool = False
    bundle: Path | None = None  # a folder of files stored together (HLS); path is its entry


def missing_profiles(item: MediaItem, job: MediaJob) -> list[Profile]:
    required = item.required_profiles()
    wanted = [n for n in (job.profiles or required) if n in required]
    if job.force:
        return [PROFILES[n] for n in wanted]
    ready = {r.profile: r for r in item.renditions.filter(state=Rendition.State.READY)}
    return [PROFILES[n] for n in wanted
            if n not in ready or not ready[n].file or not ready[n].file.storage.exists(
                ready[n].file.name)]


def make_missing(job: MediaJob, reporter: Reporter, workdir: Path) -> list[str]:
    item = job.item
    todo = missing_profiles(item, job)
    if not todo:
        return []
    for profile in todo:
        Rendition.objects.get_or_create(source=item, profile=profile.name,
                                        defaults={"mime_type": profile.mime_type})
    with storage_io.local_source(item.file.name, workdir) as src:
        source = source_probe(item, src)  # bad input stops here, before any work
        maker = Maker(item, source, src, workdir, reporter)
        made = maker.make(todo)
    keep = {n for n in Rendition.objects.filter(source=item).values_list("file", flat=True) if n}
    storage_io.sweep_orphans(item.pk, keep)
    storage_io.sweep_bundles(item.pk, keep)
    return made


class Maker:
    """Makes a list of profiles for one source, stage by stage, recording each output as
    soon as its stage is done (so a killed worker loses at most one stage)."""

    def __init__(self, item: MediaItem, source: ProbeResult, src: Path, workdir: Path,
                 reporter: Reporter):
        self.item, self.source, self.src, self.workdir = item, source, src, workdir
        self.reporter = reporter
        self.stem = storage_io.safe_stem(item.file.name)
        self.made: list[str] = []

    def scratch(self, profile: Profile) -> Path:
        return self.workdir / f"{profile.name}.{profile.extension}"

    def make(self, todo: list[Profile]) -> list[str]:
        sound = [p for p in todo if p.output == "audio"]
        ladder = [p for p in todo if p.output == "video"]
        remux = [p for p in ladder if video.can_remux(self.source, p)]
        encode = [p for p in ladder if p not in remux]
        images = [p for p in todo if p.output == "image"]
        streaming = [p for p in todo if p.output == "hls"]
        stages = [(label, weight) for label, weight, wanted in (
            ("Đo độ lớn âm thanh", 1.0, sound),
            ("Mã hoá và đo âm thanh", 3.0, sound),
            ("Sao chép luồng video", 0.5, remux),
            ("Mã hoá video", 8.0, encode),
            ("Làm ảnh", 0.5, images),
            ("Đóng gói HLS", 0.5, streaming),
        ) if wanted]
        self.reporter.plan(stages)
        if sound:
            self.make_audio(sound)
        if remux:
            self.reporter.next_stage()
            for profile in remux:
                video.remux(self.src, self.source, self.scratch(profile), self.reporter)
                self.record(profile, Made(self.scratch(profile), remuxed=True))
        if encode:
            self.reporter.next_stage()
            self.timed("ladder", video.encode_ladder, self.src, self.source, encode,
                       {p.name: self.scratch(p) for p in encode}, self.reporter)
            for profile in encode:
                self.record(profile, Made(self.scratch(profile)))
        if images:
            self.reporter.next_stage()
            self.make_images(images)
        if streaming:
            self.reporter.next_stage()
            self.make_hls(streaming[0])
        return self.made

    def make_hls(self, profile: Profile) -> None:
        """From the stored rungs (made now or earlier); they must all be ready."""
        rungs = []
        for name in VIDEO_LADDER:
            rendition = self.item.get_rendition(name)
            if rendition is None:
                raise EncodeFailed(detail=f"HLS needs {name}, which is not ready")
            path = self.workdir / f"rung-{name}.mp4"
            with rendition.file.open("rb") as src, path.open("wb") as dst:
                shutil.copyfileobj(src, dst, storage_io.CHUNK)
            rungs.append((path, probe(path)))
        folder = self.workdir / "hls"
        master = hls.build(hls.distinct_rungs(rungs), folder,
                           profile.params["segment_seconds"])
        for path, _info in rungs:
            path.unlink()
        self.record(profile, Made(master, bundle=folder))

    def timed(self, label: str, func, *args):
        started = time.monotonic()
        result = func(*args)
        logger.info("media item %s: %s took %.2f s", self.item.pk, label,
                    time.monotonic() - started)
        return result

    def make_audio(self, profiles: list[Profile]) -> None:
        duration = self.source.duration
        groups = audio.group_profiles(profiles)
        self.reporter.next_stage()
        plans = self.timed("loudness plan", audio.plan_groups, self.src, groups, duration,
                           self.reporter)
        offsets = self.timed("codec excerpt", audio.codec_offsets, self.src, groups, plans,
                             duration, self.workdir)
        self.reporter.next_stage()
        paths = {p.name: self.scratch(p) for p in profiles}
        measured = self.timed("audio encode and measure", audio.encode, self.src, groups,
                              plans, paths, duration, self.reporter, offsets)
        for profile in profiles:
            self.record(profile, Made(paths[profile.name], loudness=measured[profile.name]))

    def make_images(self, profiles: list[Profile]) -> None:
        names = {p.name for p in profiles}
        if names & {"poster", "thumbnail"}:
            poster_profile = PROFILES["poster"]
            poster_path = self.scratch(poster_profile)
            pictures.poster(self.src, self.source, poster_profile, poster_path)
            if "thumbnail" in names:
                thumb = PROFILES["thumbnail"]
                pictures.thumbnail(poster_path, thumb, self.scratch(thumb))
                self.record(thumb, Made(self.scratch(thumb)))
            if "poster" in names:
                self.record(poster_profile, Made(poster_path))
        if "waveform" in names:
            wave = PROFILES["waveform"]
            pictures.waveform(self.src, self.source, wave, self.scratch(wave))
            self.record(wave, Made(self.scratch(wave)))

    def record(self, profile: Profile, made: Made) -> None:
        """Check the output, then move it in place and mark its rendition ready, under the
        job's row lock so a worker that lost the job writes nothing."""
        info = probe_output(made.path, profile)
        if profile.output in ("audio", "video") and (
                info.duration < self.source.duration * MIN_DURATION_SHARE - 0.5):
            raise TruncatedMedia(detail=(
                f"{profile.name}: output {info.duration:.2f}s of source "
                f"{self.source.duration:.2f}s"))
        digest, size = storage_io.sha256_of(made.path), made.path.stat().st_size
        filename = f"{self.stem}.{profile.extension}"
        if made.bundle is not None:  # every segment in place before the playlist points at it
            prefix = storage_io.store_bundle(made.bundle, self.item.pk, exclude=made.path)
        with transaction.atomic():
            self.reporter.assert_owned()
            rendition = Rendition.objects.select_for_update().get(
                source=self.item, profile=profile.name)
            old_name = rendition.file.name if rendition.file else ""
            target = (f"{prefix}/{made.path.name}" if made.bundle is not None
                      else rendition_upload_to(rendition, filename))
            if target != old_name and storage_io.default_storage.exists(target):
                storage_io.default_storage.delete(target)  # left by a killed attempt
            rendition.file.name = storage_io.move_in_place(made.path, target)
            _fill(rendition, profile, info, made, digest, size)
            rendition.save()
        if old_name and old_name != rendition.file.name:
            if made.bundle is not None:
                storage_io.delete_bundle(old_name.rsplit("/", 1)[0])
            else:
                storage_io.default_storage.delete(old_name)
        self.made.append(profile.name)
        self.reporter.write(1.0, force=True)


def source_probe(item: MediaItem, src: Path) -> ProbeResult:
    """The upload was probed when it was saved; trust that reading while the file is the
    same size (one ffprobe less per job), probe again otherwise."""
    data = item.probe_data or {}
    if data.get("size") == src.stat().st_size and data.get("duration"):
        fields = {f.name for f in dataclasses.fields(ProbeResult)} - {"raw"}
        return ProbeResult(**{k: v for k, v in data.items() if k in fields})
    return probe(src)


def probe_output(path: Path, profile: Profile) -> ProbeResult:
    if profile.output == "hls":  # the master playlist; its rungs were checked when made
        return ProbeResult(kind="hls", duration=0, size=path.stat().st_size,
                           format_name="hls")
    if profile.output == "image":
        from PIL import Image

        with Image.open(path) as img:
            return ProbeResult(kind="image", duration=0, size=path.stat().st_size,
                               format_name=profile.container, width=img.width,
                               height=img.height)
    return probe(path)


def _fill(rendition: Rendition, profile: Profile, info: ProbeResult, made: Made,
          digest: str, size: int) -> None:
    rendition.state = Rendition.State.READY
    rendition.mime_type = profile.mime_type
    rendition.sha256, rendition.size = digest, size
    rendition.duration = info.duration or None
    rendition.width, rendition.height = info.width, info.height
    rendition.bit_rate = info.bit_rate
    rendition.remuxed = made.remuxed
    loud = made.loudness
    rendition.loudness_integrated = loud.integrated if loud else None
    rendition.loudness_true_peak = loud.peak if loud else None
    rendition.loudness_range = loud.loudness_range if loud else None
