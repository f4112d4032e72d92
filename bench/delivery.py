"""Benchmark: package and deliver N products to a loopback S3 server (moto, server mode)
— ours (plan, BagIt with SHA-512+SHA-256 manifests, completeness check, tar streamed into a
multipart upload with per-part SHA-256, every file verified against the manifest on the
way) against the peer: a plain boto3 upload of the same source files, like `aws s3 sync`
(s3transfer, no bagging). Then ours again, unchanged.

Robust on a shared machine: rounds interleave (peer and ours alternate who goes first),
every measurement gets a fresh moto server, and the report gives medians, absolute MB/s,
the CPU time of this process (the client side) and of the server.

    python -m bench delivery                      # 200 products, ~10 MB each (~2 GB), 3 rounds
    python -m bench delivery --products 20 --mb 5 --repeats 1   # scaled down

Runs in a throwaway folder (SQLite, media, spool); prints absolute figures and ratios.
Goal: first delivery >= 0.7 x the peer's throughput; unchanged run < 1/20 of the first.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def start_moto() -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    while True:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("moto server did not start")
        match = re.search(r"Running on (http://127\.0\.0\.1:\d+)", line)
        if match:
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            return proc, match.group(1)


def make_sources(folder: Path, count: int, megabytes: float) -> list[Path]:
    """A few real H.264 clips (ffmpeg, noisy picture so they do not compress away) of the
    requested size; products reuse them with a unique tail so every file differs."""
    from demo import media

    folder.mkdir(parents=True, exist_ok=True)
    bitrate = int(megabytes * 8 * 1024 / 4)  # kbit/s for a 4-second clip
    bases = []
    for index in range(min(count, 4)):
        path = folder / f"base-{index}.mp4"
        subprocess.run([
            "ffmpeg", "-nostdin", "-y", "-loglevel", "error",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=4,noise=alls=60:allf=t+u",
            "-f", "lavfi", "-i", f"sine=frequency={300 + 40 * index}:duration=4",
            "-c:v", "libx264", "-preset", "ultrafast", "-b:v", f"{bitrate}k",
            "-maxrate", f"{bitrate}k", "-bufsize", f"{bitrate}k", "-c:a", "aac", "-shortest",
            str(path)], check=True)
        bases.append(path)
    cover = media.cover_image("Bìa", "Lạng Sơn", folder / "cover.jpg", size=(640, 360))
    return [*bases, cover]


def build_products(workdir: Path, count: int, megabytes: float) -> list[list[Path]]:
    """Published video products (delivery off while publishing); returns each product's
    source files as stored, for the peer."""
    from django.core.files import File
    from wagtail.images import get_image_model

    from cms.organisations.models import Area, Level, Organisation
    from cms.organisations.provisioning import setup_province
    from cms.products.models import VideoPage
    from media_pipeline.models import MediaItem
    from media_pipeline.probe import probe

    area = Area.objects.create(name="Lạng Sơn", level=Level.PROVINCE, code="20")
    dept = Organisation.objects.create(name="Sở TTTT Lạng Sơn", short_name="Sở TTTT", area=area)
    setup_province("Loa – đo hiệu năng")
    section = Organisation.objects.get(pk=dept.pk).section_page
    *bases, cover_path = make_sources(workdir / "sources", count, megabytes)
    probes = [probe(p) for p in bases]
    files = []
    for n in range(count):
        base = n % len(bases)
        clip = workdir / "sources" / f"clip-{n:03d}.mp4"
        shutil.copyfile(bases[base], clip)
        with clip.open("ab") as fh:
            fh.write(os.urandom(1024))  # unique bytes per product
        item = MediaItem(title=f"Video {n}")
        item.apply_probe(probes[base])
        with clip.open("rb") as fh:
            item.file.save(clip.name, File(fh), save=False)
        item.size = item.file.size
        item.save()
        clip.unlink()
        image = get_image_model()(title=f"Bìa {n}")
        with cover_path.open("rb") as fh:
            image.file.save(f"bia-{n:03d}.jpg", File(fh), save=False)
        image.save()
        page = VideoPage(title=f"Video: sản phẩm số {n}", slug=f"video-{n:03d}", video=item,
                         cover=image, summary="Đo hiệu năng gửi gói.", area=area,
                         body=[("paragraph", "<p>Nội dung thử.</p>")])
        section.add_child(instance=page)
        page.save_revision().publish()
        files.append([Path(item.file.path), Path(image.file.path)])
    return files


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # CPU seconds of this process (all its threads): the client side
    server_cpu: float  # CPU seconds of the moto server process


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def server_cpu(proc: subprocess.Popen) -> float:
    """CPU seconds the moto server has used so far (from /proc: it is still running)."""
    fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(proc: subprocess.Popen, work: Callable[[], None]) -> Run:
    server, cpu, started = server_cpu(proc), _cpu_self(), time.perf_counter()
    work()
    return Run(time.perf_counter() - started, _cpu_self() - cpu, server_cpu(proc) - server)


def client(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="bench", aws_secret_access_key="bench")


def peer_upload(files: list[list[Path]]) -> Run:
    proc, endpoint = start_moto()
    try:
        s3 = client(endpoint)
        s3.create_bucket(Bucket="peer-sync")

        def work() -> None:
            for n, product in enumerate(files):
                for path in product:
                    s3.upload_file(str(path), "peer-sync", f"sync/{n:03d}/{path.name}")

        return timed(proc, work)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def deliver() -> None:
    from django.core.management import call_command

    with open(os.devnull, "w") as sink:
        call_command("deliver_to_ministry", "--no-progress", stdout=sink)


def ours(workdir: Path) -> tuple[Run, Run]:
    """First delivery into an empty store (no delivery records, empty spool), then the
    same again with nothing changed."""
    from django.conf import settings

    from delivery.models import DeliveryRecord

    DeliveryRecord.objects.all().delete()
    shutil.rmtree(workdir / "delivery", ignore_errors=True)
    proc, endpoint = start_moto()
    try:
        client(endpoint).create_bucket(Bucket="bo-tttt")
        settings.LOA_DELIVERY = {**settings.LOA_DELIVERY, "ENDPOINT_URL": endpoint,
                                 "BUCKET": "bo-tttt", "ACCESS_KEY_ID": "bench",
                                 "SECRET_ACCESS_KEY": "bench",
                                 "SPOOL_DIR": str(workdir / "delivery")}
        first = timed(proc, deliver)
        assert not DeliveryRecord.objects.exclude(state=DeliveryRecord.State.DELIVERED).exists()
        second = timed(proc, deliver)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return first, second


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench delivery")
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--mb", type=float, default=10.0, help="MB of media per product")
    parser.add_argument("--repeats", type=int, default=3,
                        help="interleaved rounds (peer and ours alternate who goes first)")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="loa-bench-delivery-"))
    os.environ.update({"LOA_VAR_DIR": str(workdir), "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
                       "LOA_DELIVERY_BUCKET": "", "DATABASE_URL": f"sqlite:///{workdir}/db.sqlite3"})
    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.core.management import call_command

    log_level = os.environ.get("LOA_BENCH_LOG", "WARNING")
    logging.getLogger("delivery").setLevel(log_level)
    logging.getLogger("django_tasks").setLevel(logging.WARNING)
    # The products carry their originals only (no pipeline run): this measures delivery, so
    # publication does not wait for renditions.
    settings.LOA_MEDIA_REQUIRE_READY_TO_PUBLISH = False
    peers: list[Run] = []
    firsts: list[Run] = []
    seconds: list[Run] = []
    try:
        call_command("migrate", verbosity=0)
        print(f"Preparing {args.products} products of ~{args.mb} MB in {workdir} …", flush=True)
        files = build_products(workdir, args.products, args.mb)
        mb = sum(p.stat().st_size for product in files for p in product) / 1e6
        conf = settings.LOA_DELIVERY
        print(f"{args.products} products, {mb:.1f} MB of source files; delivery workers "
              f"{conf['WORKERS']}, parts of {conf['PART_SIZE'] // 2**20} MiB, "
              f"{conf['CONCURRENCY']} in flight; {os.cpu_count()} CPUs, load "
              f"{os.getloadavg()[0]:.1f}", flush=True)
        for round_no in range(args.repeats):
            peer_first = round_no % 2 == 0
            for side in ("peer", "ours") if peer_first else ("ours", "peer"):
                if side == "peer":
                    peers.append(peer_upload(files))
                    run = peers[-1]
                else:
                    first, second = ours(workdir)
                    firsts.append(first)
                    seconds.append(second)
                    run = first
                print(f"  round {round_no + 1} {side:4}: {run.wall:7.2f} s "
                      f"{mb / run.wall:6.1f} MB/s  client CPU {run.cpu:6.1f} s  "
                      f"server CPU {run.server_cpu:6.1f} s  (load {os.getloadavg()[0]:.1f})",
                      flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    report(mb, peers, firsts, seconds)


def _median(runs: list[Run], field: str) -> float:
    return statistics.median(getattr(r, field) for r in runs)


def report(mb: float, peers: list[Run], firsts: list[Run], seconds: list[Run]) -> None:
    peer, first, second = (_median(r, "wall") for r in (peers, firsts, seconds))
    print(f"medians of {len(peers)} interleaved rounds, {mb:.1f} MB:")
    print(f"peer  boto3 upload_file (sync-style): {peer:7.2f} s {mb / peer:7.1f} MB/s  "
          f"client CPU {_median(peers, 'cpu'):6.1f} s  server CPU "
          f"{_median(peers, 'server_cpu'):6.1f} s")
    print(f"ours  first delivery (bag, stream, upload): {first:7.2f} s {mb / first:7.1f} MB/s  "
          f"client CPU {_median(firsts, 'cpu'):6.1f} s  server CPU "
          f"{_median(firsts, 'server_cpu'):6.1f} s")
    print(f"ours  second run, unchanged: {second:7.2f} s  client CPU "
          f"{_median(seconds, 'cpu'):5.2f} s")
    # Each round's two runs are adjacent in time (similar load from other processes), so
    # the median of the per-round ratios is the robust figure on a shared machine.
    ratios = [p.wall / f.wall for p, f in zip(peers, firsts, strict=True)]
    print(f"throughput ratio ours/peer: {statistics.median(ratios):.2f} median of rounds "
          f"({', '.join(f'{r:.2f}' for r in ratios)}); {peer / first:.2f} from median times  "
          f"(goal >= 0.7)")
    cpu = [(_median(runs, "cpu") + _median(runs, "server_cpu")) for runs in (peers, firsts)]
    print(f"CPU seconds client+server: peer {cpu[0]:.1f}, ours {cpu[1]:.1f} "
          f"(ratio {cpu[0] / cpu[1]:.2f}: the throughput ratio when the machine is saturated)")
    print(f"unchanged / first: {second / first:.3f}  (goal < 0.05)")
