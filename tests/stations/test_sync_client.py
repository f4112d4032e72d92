"""The station's sync client, run as the station runs it: Debian's own python3 (standard
library only) against the running test server."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import time
from pathlib import Path

import pytest

from stations import sync_client
from stations.models import AiringReport, DownloadLog

from .test_downloads import wait_for_logs

CLIENT = Path(sync_client.__file__)
pytestmark = pytest.mark.django_db(transaction=True)


def run_client(key: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["/usr/bin/python3", str(CLIENT), "--key", key, *args],
                          capture_output=True, text=True, timeout=120)


def feed(live_server, station, language="vi") -> str:
    return f"{live_server.url}/stations/{station.pk}/feeds/{language}.xml"


def test_sync_twice_downloads_nothing_the_second_time_and_nothing_once_revoked(
        live_server, bulletins, make_station, encoded_audio, tmp_path):
    pages = [bulletins.make("Bản tin thứ nhất"), bulletins.make("Bản tin thứ hai", days_ago=1)]
    bulletins.make("Bản tin nháp", live=False)
    station, key = make_station()
    dest = tmp_path / "ban-tin"

    first = run_client(key, "sync", "--feed", feed(live_server, station), "--dest", str(dest))
    assert first.returncode == 0, first.stdout + first.stderr
    mp3 = encoded_audio["radio-loudspeaker"]
    files = sorted(p.name for p in dest.glob("*.mp3"))
    assert files == sorted(f"{p.identifier}_vi.mp3" for p in pages)
    for name in files:
        assert hashlib.sha256((dest / name).read_bytes()).hexdigest() == mp3.sha256
    assert not list(dest.glob("*.part*"))
    assert len(wait_for_logs(station, 2)) == 2

    second = run_client(key, "sync", "--feed", feed(live_server, station), "--dest", str(dest))
    assert second.returncode == 0
    assert "tải mới 0" in second.stdout
    time.sleep(0.2)
    assert DownloadLog.objects.filter(station=station).count() == 2

    station.revoke_key()
    (dest / files[0]).unlink()  # even a missing file is not fetched with a revoked key
    revoked = run_client(key, "sync", "--feed", feed(live_server, station), "--dest", str(dest))
    assert revoked.returncode == 2 and "403" in revoked.stdout
    assert not (dest / files[0]).exists()


def test_killed_mid_file_it_resumes_and_never_leaves_a_half_file(
        live_server, bulletins, make_station, encoded_audio, tmp_path):
    page = bulletins.make("Bản tin dài")
    station, key = make_station()
    dest = tmp_path / "ban-tin"
    final, part = dest / f"{page.identifier}_vi.mp3", dest / f"{page.identifier}_vi.mp3.part"
    mp3 = encoded_audio["radio-loudspeaker"]
    assert mp3.size > sync_client.CHUNK  # more than one block, or nothing to cut

    slow = subprocess.Popen(
        ["/usr/bin/python3", str(CLIENT), "--key", key, "sync", "--feed",
         feed(live_server, station), "--dest", str(dest), "--rate-limit", "8000"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while (slow.poll() is None and time.monotonic() < deadline
           and not (part.exists() and part.stat().st_size > 0)):
        time.sleep(0.05)
    slow.send_signal(signal.SIGKILL)
    output = slow.communicate(timeout=10)[0].decode()
    assert part.exists(), output
    assert 0 < part.stat().st_size < mp3.size
    assert not final.exists()

    resumed = run_client(key, "sync", "--feed", feed(live_server, station), "--dest", str(dest))
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert final.read_bytes() == mp3.path.read_bytes()
    assert not part.exists()
    logs = wait_for_logs(station, 2)
    assert logs[-1].range_start > 0 and logs[-1].complete


def test_corrupt_file_on_the_server_never_gets_the_final_name(
        live_server, bulletins, make_station, tmp_path):
    page = bulletins.make("Bản tin hỏng")
    rendition = page.audio.get_rendition("radio-loudspeaker")
    with rendition.file.open("r+b") as fh:  # bit rot after the checksum was recorded
        fh.seek(1000)
        fh.write(b"\0" * 64)
    station, key = make_station()
    dest = tmp_path / "ban-tin"
    result = run_client(key, "sync", "--feed", feed(live_server, station), "--dest", str(dest),
                        "--retries", "2")
    assert result.returncode == 1
    assert "SHA-256 không khớp" in result.stdout
    assert not list(dest.glob("*.mp3")) and not list(dest.glob("*.part"))


def test_client_reports_an_airing_once(live_server, bulletins, make_station):
    page = bulletins.make("Bản tin đã phát")
    station, key = make_station()
    args = ["report", "--feed", feed(live_server, station), "--guid", f"{page.identifier}/vi",
            "--date", "2025-03-01", "--time", "06:30", "--times", "2"]
    for _ in range(2):
        result = run_client(key, *args)
        assert result.returncode == 0, result.stdout + result.stderr
    report = AiringReport.objects.get(station=station)
    assert (report.bulletin_id, str(report.aired_on), report.times, report.source) == (
        page.pk, "2025-03-01", 2, "client")
    wrong = run_client(key, "report", "--feed", feed(live_server, station), "--guid",
                       "KHONG-CO/vi", "--time", "07:00")
    assert wrong.returncode == 1 and "Không có bản tin" in wrong.stdout
