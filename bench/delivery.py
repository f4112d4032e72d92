"""Benchmark: package and deliver N products to a loopback S3 server (moto, server mode)
— ours (plan, BagIt with SHA-512+SHA-256 manifests, full validation, tar, multipart upload
with per-part SHA-256) against the peer: a plain boto3 upload of the same source files,
like `aws s3 sync` (s3transfer, no bagging). Then ours again, unchanged.

    python -m bench delivery                      # 200 products, ~10 MB each (~2 GB)
    python -m bench delivery --products 20 --mb 5 # scaled down

Runs in a throwaway folder (SQLite, media, spool); prints absolute figures and ratios.
Goal: first delivery >= 0.7 x the peer's throughput; unchanged run < 1/20 of the first.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
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
    from cms.products.demo import media

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


def peer_upload(endpoint: str, bucket: str, files: list[list[Path]]) -> float:
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="bench", aws_secret_access_key="bench")
    client.create_bucket(Bucket=bucket)
    started = time.perf_counter()
    for n, product in enumerate(files):
        for path in product:
            client.upload_file(str(path), bucket, f"sync/{n:03d}/{path.name}")
    return time.perf_counter() - started


def timed_delivery() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        call_command("deliver_to_ministry", "--no-progress", stdout=sink)
    return time.perf_counter() - started


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench delivery")
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--mb", type=float, default=10.0, help="MB of media per product")
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
    logging.getLogger("media_pipeline.delivery").setLevel(log_level)
    logging.getLogger("django_tasks").setLevel(logging.WARNING)
    proc, endpoint = start_moto()
    try:
        call_command("migrate", verbosity=0)
        print(f"Preparing {args.products} products of ~{args.mb} MB in {workdir} …", flush=True)
        files = build_products(workdir, args.products, args.mb)
        total = sum(p.stat().st_size for product in files for p in product)
        mb = total / 1e6

        peer = peer_upload(endpoint, "peer-sync", files)

        import boto3

        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                     aws_access_key_id="bench", aws_secret_access_key="bench"
                     ).create_bucket(Bucket="bo-tttt")
        settings.LOA_DELIVERY = {**settings.LOA_DELIVERY, "ENDPOINT_URL": endpoint,
                                 "BUCKET": "bo-tttt", "ACCESS_KEY_ID": "bench",
                                 "SECRET_ACCESS_KEY": "bench"}
        first = timed_delivery()
        second = timed_delivery()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"products: {args.products}, source bytes: {mb:.1f} MB (same files for both)")
    print(f"peer  (boto3 upload_file, sync-style): {peer:7.2f} s  {mb / peer:7.1f} MB/s")
    print(f"ours  first delivery (bag+validate+tar+upload): {first:7.2f} s  {mb / first:7.1f} MB/s")
    print(f"ours  second run, unchanged: {second:7.2f} s")
    print(f"throughput ratio ours/peer: {peer / first:.2f}  (goal >= 0.7)")
    print(f"unchanged / first: {second / first:.3f}  (goal < 0.05)")
