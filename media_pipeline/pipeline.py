"""What one job does: work out which renditions are missing, make only those from one
local copy of the source, check each output, and move it in place."""

from __future__ import annotations

import dataclasses
import logging
import math
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from . import storage_io
from .exceptions import EncodeFailed, TruncatedMedia, cut_short
from .jobs import Reporter
from .loudness import GainPlan, Loudness
from .meter import OutputMeter, measure_files
from .models import MediaItem, MediaJob, Rendition, rendition_upload_to
from .outputs import audio, hls, pictures, video
from .probe import ProbeResult, format_seconds, inspect_output, probe, readable_seconds
from .profiles import PROFILES, VIDEO_LADDER, Profile, soundtrack

logger = logging.getLogger(__name__)

# An output shorter than this share of the source means the decoder ran out of data.
MIN_DURATION_SHARE = 0.9
# An output whose decoded sound is over its true-peak limit is made again with its own
# limiter lowered by the excess plus this much, at most this many times.
PEAK_RETRIES = 3
PEAK_RETRY_MARGIN_DB = 0.3
# An output whose first encode reads further than this from its loudness target is made
# again with the difference added (a source no longer than the encoder-loss excerpt has no
# excerpt: its first encode is what tells each encoder's loss). EBU R128's permitted
# deviation from the target, and the tolerance an upload is aired as it is with
# (``audio.REMUX_TOLERANCE_LU``): closer costs a re-encode for no audible difference.
LOUDNESS_RETRY_LU = 0.5


MEASURE = "Đo độ lớn âm thanh"
ENCODE_AUDIO = "Mã hoá và đo âm thanh"
COPY_AUDIO = "Sao chép luồng âm thanh"
REMUX = "Sao chép luồng video"
ENCODE_VIDEO = "Mã hoá video"
IMAGES = "Làm ảnh"
HLS = "Đóng gói HLS"


@dataclass
class SoundPlan:
    """The source's loudness as each group hears it, the gain plan per group, and what each
    lossy encoder loses (dB, by profile name)."""

    groups: dict[audio.GroupKey, list[Profile]]
    measured: dict[audio.GroupKey, Loudness]
    plans: dict[audio.GroupKey, GainPlan] = field(default_factory=dict)
    offsets: dict[str, float] = field(default_factory=dict)
    # Groups that only a video's sound needs: their silence does not fail the job.
    video_only: frozenset[audio.GroupKey] = frozenset()
    source: Loudness | None = None  # the upload itself, true peak included (remux check)

    def key_of(self, profile: Profile) -> audio.GroupKey:
        return next(k for k, ps in self.groups.items() if any(p.name == profile.name
                                                               for p in ps))

    def measured_for(self, profile: Profile) -> Loudness:
        return self.measured[self.key_of(profile)]

    def off_target_rungs(self, rungs: list[Profile], measured: dict[str, Loudness]) -> set[str]:
        """Rungs whose sound reads off its target; their encoder's make-up grows by it."""
        tracks = {p.name: soundtrack(p) for p in rungs}
        by_track = {tracks[name].name: reading for name, reading in measured.items()}
        off = off_target(by_track, {t.name: t.params["target_lufs"] for t in tracks.values()},
                         self.offsets)
        return {name for name, track in tracks.items() if track.name in off}

    def soundtrack(self, rungs: list[Profile],
                   shifts: dict[str, float] | None = None) -> video.Soundtrack:
        """The ladder's sound chain: the group's gain, then each rung's encoder make-up
        (and its own limiter, lowered by ``shifts`` for a rung found over the limit)."""
        tracks = {p.name: soundtrack(p) for p in rungs}
        keys = {self.key_of(t) for t in tracks.values()}
        if len(keys) != 1:  # one audio chain feeds every rung
            raise ValueError(f"video rungs need one loudness group, got {keys}")
        key = keys.pop()
        extra = {rung: self.offsets.get(t.name, 0.0) for rung, t in tracks.items()}
        return video.Soundtrack(
            self.plans[key].filters(), extra,
            {rung: audio.ceiling_of(key, (shifts or {}).get(rung, 0.0)) for rung in tracks})


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
        source = prepare_source(source_probe(item, src), src)  # bad input stops here
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
        self._source_true_peak: float | None = None

    def scratch(self, profile: Profile) -> Path:
        return self.workdir / f"{profile.name}.{profile.extension}"

    def make(self, todo: list[Profile]) -> list[str]:
        sound = [p for p in todo if p.output == "audio"]
        candidates = [p for p in sound if audio.remux_candidate(self.src, self.source, p)]
        ladder = [p for p in todo if p.output == "video"]
        copyable = [p for p in ladder if video.can_remux(self.source, p)]  # picture-wise
        tracks = [soundtrack(p) for p in ladder] if self.source.has_audio else []
        images = [p for p in todo if p.output == "image"]
        streaming = [p for p in todo if p.output == "hls"]
        self.reporter.plan([(label, weight) for label, weight, wanted in (
            (MEASURE, 1.0, sound or tracks),
            (COPY_AUDIO, 0.5, candidates),
            (ENCODE_AUDIO, 3.0, sound),
            (REMUX, 0.5, copyable),
            (ENCODE_VIDEO, 8.0, [p for p in ladder if p not in copyable] or tracks),
            (IMAGES, 0.5, images),
            (HLS, 0.5, streaming),
        ) if wanted])
        loudness = (self.measure_sound(sound, tracks, candidates) if sound or tracks
                    else None)
        copy = [p for p in candidates if audio.can_remux(self.source, p, loudness.source)]
        sound = [p for p in sound if p not in copy]
        remux = [p for p in copyable if self.sound_copyable(p, loudness)]
        encode = [p for p in ladder if p not in remux]
        if loudness is not None:
            wanted = {soundtrack(p).name for p in encode}
            needed = audio.group_profiles(sound + tracks)  # copied profiles need no gain
            loudness.plans = audio.plans_from(
                self.src, {k: m for k, m in loudness.measured.items() if k in needed},
                self.source.duration, loudness.video_only, source=self.source)
            loudness.offsets = audio.codec_offsets(
                self.src, audio.group_profiles(sound + [t for t in tracks if t.name in wanted]),
                loudness.plans, self.source.duration, self.workdir,
                lambda f: self.reporter(0.5 + f / 2), source=self.source)
        together = sound if encode and tracks else []  # one decode for both
        if copy:
            self.copy_audio(copy)
        if sound and not together:
            self.make_audio(sound, loudness)
        if remux:
            self.reporter.start(REMUX)
            for profile in remux:
                video.remux(self.src, self.source, self.scratch(profile), self.reporter)
            self.record_rungs(remux, remuxed=True)
        if encode:
            self.encode_video(encode, loudness if tracks else None, together,
                              poster=pictures.fits_ladder(self.source) and any(
                                  p.name in ("poster", "thumbnail") for p in images))
        if images:
            self.reporter.start(IMAGES)
            self.make_images(images)
        if streaming:
            self.reporter.start(HLS)
            self.make_hls(streaming[0])
        return self.made

    def measure_sound(self, sound: list[Profile], tracks: list[Profile],
                      candidates: list[Profile]) -> SoundPlan:
        """One cheap pass measures the source as every loudness group hears it (the audio
        profiles' and the video rungs' sound); gains and limiters follow from it. When the
        upload could be copied into a profile, our meter (true peak included) reads the
        upload itself beside that pass, on the other core."""
        self.reporter.start(MEASURE)
        groups = audio.group_profiles(sound + tracks)
        meter = (OutputMeter(self.src, self.source.audio_channels, "source")
                 if candidates else None)
        try:
            measured = audio.measure_groups(self.src, list(groups), self.source.duration,
                                            lambda f: self.reporter(f / 2),
                                            source=self.source)
            source = self.timed("source meter", meter.finish) if meter else None
        finally:
            if meter is not None and meter.running.proc.poll() is None:
                meter.kill()
        names = {p.name for p in sound}
        video_only = frozenset(k for k, ps in groups.items() if not names & {p.name for p in ps})
        return SoundPlan(groups, measured, source=source, video_only=video_only)

    def sound_copyable(self, rung: Profile, loudness: SoundPlan | None) -> bool:
        """A rung may be remuxed only when the upload's sound is already what the rung's
        would be: stereo, on the loudness target, true peak under the limit (read by our
        meter on the upload itself, as stream copy keeps those very samples)."""
        if not self.source.has_audio:
            return True
        track = soundtrack(rung)
        target, limit = track.params["target_lufs"], track.params["true_peak"]
        measured = loudness.measured_for(track)
        if self.source.audio_channels != 2 or abs(measured.integrated - target) > 0.5:
            return False
        if self._source_true_peak is None:
            self._source_true_peak = self.measure({"source": self.src}, {"source": 2})[
                "source"].peak
        return self._source_true_peak <= limit

    def record_rungs(self, rungs: list[Profile], *, remuxed: bool,
                     loudness: SoundPlan | None = None,
                     measured: dict[str, Loudness] | None = None) -> None:
        """Meter each rung's sound from its file (unless ``measured`` already), re-make the
        sound of any rung whose decoded sound is over its true-peak limit (or, the first
        time, off target), then record the rungs."""
        paths = {p.name: self.scratch(p) for p in rungs}
        channels = {p.name: p.params["audio_channels"] for p in rungs}
        if measured is None:
            measured = (self.timed("video sound measure", self.measure, paths, channels)
                        if self.source.has_audio else {})
        shifts: dict[str, float] = {}
        for round_ in range(PEAK_RETRIES):
            over = over_limit(measured, {p.name: p.params["true_peak"] for p in rungs}, shifts)
            if loudness is not None and round_ == 0:
                over |= loudness.off_target_rungs(rungs, measured)
            if loudness is None or not over:
                break
            sound = loudness.soundtrack(rungs, shifts)
            for profile in (p for p in rungs if p.name in over):
                again = paths[profile.name].with_name(f"again-{profile.name}.mp4")
                video.resound(paths[profile.name], self.src, self.source, profile, sound, again,
                              self.keepalive)
                again.replace(paths[profile.name])
            measured.update(self.measure({n: paths[n] for n in over},
                                         {n: channels[n] for n in over}))
        for profile in rungs:
            self.record(profile, Made(paths[profile.name], loudness=measured.get(profile.name),
                                      remuxed=remuxed))

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

    def copy_audio(self, profiles: list[Profile]) -> None:
        """The upload already is these profiles: stream copy (no cover art, no tags), then
        meter each copy like any output."""
        self.reporter.start(COPY_AUDIO)
        paths = {p.name: self.scratch(p) for p in profiles}
        for profile in profiles:
            self.timed("audio stream copy", audio.remux, self.src, profile,
                       paths[profile.name], self.source.duration, self.reporter)
        measured = self.timed("copied audio measure", self.measure, paths,
                              {p.name: p.params["channels"] for p in profiles})
        for profile in profiles:
            self.record(profile, Made(paths[profile.name], loudness=measured[profile.name],
                                      remuxed=True))

    def encode_video(self, rungs: list[Profile], loudness: SoundPlan | None,
                     sound: list[Profile], *, poster: bool = False) -> None:
        """The ladder, and the audio profiles ``sound`` and (``poster``) the poster in the
        same ffmpeg (the source decoded once); then every output's sound metered."""
        self.reporter.start(ENCODE_VIDEO)
        paths = {p.name: self.scratch(p) for p in rungs}
        also = None
        if sound:
            groups = self.audio_groups(sound, loudness)
            dest = {p.name: self.scratch(p) for p in sound}
            also = lambda base: audio.encode_outputs(  # noqa: E731
                base, groups, loudness.plans, dest, loudness.offsets)
        picture = (pictures.poster_in_ladder(PROFILES["poster"], self.scratch(PROFILES["poster"]))
                   if poster else None)
        self.timed("ladder", video.encode_ladder, self.src, self.source, rungs, paths,
                   self.reporter, loudness.soundtrack(rungs) if loudness else None, also,
                   picture)
        if not self.source.has_audio:
            self.record_rungs(rungs, remuxed=False)
            return
        files = {**paths, **{p.name: self.scratch(p) for p in sound}}
        channels = {**{p.name: p.params["audio_channels"] for p in rungs},
                    **{p.name: p.params["channels"] for p in sound}}
        measured = self.timed("sound measure", self.measure, files, channels)
        if sound:
            self.finish_audio(sound, loudness, measured)
        self.record_rungs(rungs, remuxed=False, loudness=loudness,
                          measured={p.name: measured[p.name] for p in rungs})

    def measure(self, files: dict[str, Path], channels: dict[str, int]) -> dict[str, Loudness]:
        """Our meter on finished outputs, the job's heartbeat going on meanwhile."""
        return measure_files(files, channels, duration=self.source.duration,
                             progress=self.keepalive)

    def keepalive(self, _fraction: float) -> None:
        """Progress of work done after a stage's main run (metering, fixing a few
        outputs): the stage stays at its end, the heartbeat goes on."""
        self.reporter(1.0)

    def audio_groups(self, profiles: list[Profile],
                     loudness: SoundPlan) -> dict[audio.GroupKey, list[Profile]]:
        names = {p.name for p in profiles}
        groups = {k: [p for p in ps if p.name in names] for k, ps in loudness.groups.items()}
        return {k: ps for k, ps in groups.items() if ps}

    def make_audio(self, profiles: list[Profile], loudness: SoundPlan) -> None:
        self.reporter.start(ENCODE_AUDIO)
        paths = {p.name: self.scratch(p) for p in profiles}
        measured = audio.encode(self.src, self.audio_groups(profiles, loudness),
                                loudness.plans, paths, self.source.duration, self.reporter,
                                loudness.offsets, source=self.source)
        self.finish_audio(profiles, loudness, measured)

    def finish_audio(self, profiles: list[Profile], loudness: SoundPlan,
                     measured: dict[str, Loudness]) -> None:
        """Encode again the outputs whose decoded reading is over the true-peak limit (or,
        the first time, off target), then record them all."""
        groups = self.audio_groups(profiles, loudness)
        paths = {p.name: self.scratch(p) for p in profiles}
        measured = {p.name: measured[p.name] for p in profiles}
        shifts: dict[str, float] = {}
        for round_ in range(PEAK_RETRIES):  # decoded over the limit: encode those again
            over = over_limit(measured, {p.name: p.params["true_peak"] for p in profiles},
                              shifts)
            if round_ == 0:
                over |= off_target(measured, {p.name: p.params["target_lufs"]
                                              for p in profiles}, loudness.offsets)
            if not over:
                break
            again = {k: [p for p in ps if p.name in over] for k, ps in groups.items()}
            measured.update(audio.encode(
                self.src, {k: ps for k, ps in again.items() if ps}, loudness.plans,
                {n: paths[n] for n in over}, self.source.duration, self.keepalive,
                loudness.offsets, source=self.source, shifts=shifts))
        for profile in profiles:
            self.record(profile, Made(paths[profile.name], loudness=measured[profile.name]))

    def make_images(self, profiles: list[Profile]) -> None:
        names = {p.name for p in profiles}
        if names & {"poster", "thumbnail"}:
            poster_profile = PROFILES["poster"]
            poster_path = self.scratch(poster_profile)
            if not poster_path.exists():  # not made beside the ladder
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


def over_limit(measured: dict[str, Loudness], limits: dict[str, float],
               shifts: dict[str, float]) -> set[str]:
    """Outputs whose decoded true peak is over their limit; ``shifts`` (dB to lower each
    one's own limiter by) grows by the excess and a little more. Lossy encoders overshoot
    most on sudden loud onsets and on band-limited (8 kHz telephone) sources."""
    over = set()
    for name, reading in measured.items():
        peak = reading.peak if reading else None
        if peak is not None and math.isfinite(peak) and peak > limits[name]:
            shifts[name] = shifts.get(name, 0.0) + peak - limits[name] + PEAK_RETRY_MARGIN_DB
            over.add(name)
    return over


def off_target(measured: dict[str, Loudness], targets: dict[str, float],
               offsets: dict[str, float]) -> set[str]:
    """Outputs reading more than LOUDNESS_RETRY_LU from their target; ``offsets`` (each
    one's make-up for its encoder, dB) grows by the difference. Silence is left alone."""
    off = set()
    for name, reading in measured.items():
        if reading is None or reading.silent:
            continue
        missing = targets[name] - reading.integrated
        if abs(missing) > LOUDNESS_RETRY_LU:
            offsets[name] = offsets.get(name, 0.0) + missing
            off.add(name)
    return off


def prepare_source(source: ProbeResult, src: Path) -> ProbeResult:
    """What the job works from: a file whose data stops well short of the duration its
    header declares is refused, saying how much was readable (a little short is fine:
    the outputs end where the data ends); among several sound tracks the first one that
    is not silent is used."""
    readable = readable_seconds(src)
    if readable < source.duration * MIN_DURATION_SHARE - 0.5:
        raise cut_short(format_seconds(readable), format_seconds(source.duration))
    changes: dict = {}
    if 0 < readable < source.duration:
        changes["duration"] = readable
    if len(source.audio_tracks) > 1:
        changes["audio_index"] = audio.first_audible(src, source)
    return dataclasses.replace(source, **changes) if changes else source


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
    return inspect_output(path)


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
    rendition.loudness_integrated = _finite(loud.integrated) if loud else None
    rendition.loudness_true_peak = _finite(loud.peak) if loud else None
    rendition.loudness_range = _finite(loud.loudness_range) if loud else None


def _finite(value: float | None) -> float | None:
    """A silent track reads -inf; the database stores "no reading" instead."""
    return value if value is not None and math.isfinite(value) else None
