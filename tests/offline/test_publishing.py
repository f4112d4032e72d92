"""The site offers each language's ZIM with its date, size and SHA-256; a background job
rebuilds them after publications (debounced, one at a time, old file offered until the new
one passed zimcheck); a support-point box's sync client fetches the newest one."""

from __future__ import annotations

import datetime
import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from offline import publishing, zim
from offline.exceptions import OfflineError
from offline.models import BuildState, ZimFile
from stations import sync_client
from tests.offline.conftest import TAY_TITLE


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_download_page_lists_each_language_with_date_size_and_sha256(client, tay_library):
    tay = publishing.publish(["tyz"])
    vi = publishing.publish(["vi"])
    assert 'href="/ngoai-tuyen/"' in client.get("/").content.decode()  # from the home page
    page = client.get("/ngoai-tuyen/").content.decode()
    assert "Tiếng Tày" in page and "Tiếng Việt" in page
    assert tay.sha256 in page and vi.sha256 in page
    assert timezone.localtime(tay.built_at).strftime("%d/%m/%Y") in page
    response = client.get("/zim/loa-lsn_tyz_phone.zim")
    assert response.status_code == 200
    data = body(response)
    assert sha256(data) == tay.sha256 and len(data) == tay.size
    # a broken download resumes where it stopped
    part = client.get("/zim/loa-lsn_tyz_phone.zim", HTTP_RANGE="bytes=1000-")
    assert part.status_code == 206 and body(part) == data[1000:]
    assert client.get("/zim/khong-co.zim").status_code == 404
    listing = json.loads(client.get("/zim/index.json").content)
    assert {f["language"] for f in listing["files"]} == {"tyz", "vi"}


@pytest.mark.django_db
def test_old_file_offered_until_the_new_one_passes_zimcheck(client, tay_library, monkeypatch):
    first = publishing.publish(["tyz"])
    bulletin = tay_library.bulletin
    bulletin.title = "Bảo vệ cột mốc Pác Bó"
    bulletin.save_revision().publish()

    def refuse(path: Path) -> None:
        raise OfflineError("zimcheck: lỗi")

    monkeypatch.setattr(zim, "check", refuse)
    with pytest.raises(OfflineError):
        publishing.publish(["tyz"])
    row = ZimFile.objects.get(selection="tyz")
    assert row.file == first.file and row.sha256 == first.sha256
    assert sha256(body(client.get("/zim/loa-lsn_tyz_phone.zim"))) == first.sha256

    monkeypatch.undo()
    second = publishing.publish(["tyz"])
    assert second.sha256 != first.sha256
    served = body(client.get("/zim/loa-lsn_tyz_phone.zim"))
    assert sha256(served) == second.sha256
    assert not default_storage.exists(first.file)  # the old file goes once replaced


@pytest.mark.django_db
def test_rebuild_waits_for_the_burst_and_runs_one_at_a_time(tay_library, settings,
                                                            django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    settings.LOA_ZIM_AUTO = True
    settings.LOA_ZIM_DEBOUNCE_SECONDS = 600
    settings.LANGUAGES = settings.WAGTAIL_CONTENT_LANGUAGES = [("vi", "Tiếng Việt"),
                                                              ("tyz", "Tiếng Tày")]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    bulletin = tay_library.bulletin
    with django_capture_on_commit_callbacks(execute=True):
        bulletin.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        bulletin.save_revision().publish()
    queued = [r for r in default_task_backend.results if r.task.name == "rebuild_zims"]
    assert len(queued) == 2 and all(r.task.run_after for r in queued)
    asked = BuildState.objects.get().requested_at
    assert queued[-1].task.run_after == asked + datetime.timedelta(seconds=600)

    # the first job comes due while publications are still coming: it waits
    assert publishing.rebuild_if_due(now=asked + datetime.timedelta(seconds=300)) == "waiting"
    assert not ZimFile.objects.exists()
    # another build is running: this one leaves it alone
    BuildState.objects.update(building_since=timezone.now())
    assert publishing.rebuild_if_due(now=asked + datetime.timedelta(seconds=601)) == "busy"
    BuildState.objects.update(building_since=None)
    assert publishing.rebuild_if_due(now=asked + datetime.timedelta(seconds=601)) == "built"
    assert set(ZimFile.objects.values_list("selection", flat=True)) == {"vi", "tyz", "all"}
    assert BuildState.objects.get().building_since is None


@pytest.mark.django_db(transaction=True)
def test_sync_client_fetches_the_newest_zim_resumes_and_builds_a_kiwix_library(
        tay_library, live_server, tmp_path):
    row = publishing.publish(["tyz"])
    dest = tmp_path / "kiwix"
    dest.mkdir()
    index = f"{live_server.url}/zim/index.json"
    library = dest / "library.xml"
    # a download broken half-way: the box has the first bytes under the .part name
    whole = Path(default_storage.path(row.file)).read_bytes()
    (dest / "loa-lsn_tyz_phone.zim.part").write_bytes(whole[: len(whole) // 2])
    args = ["zim", "--index", index, "--dest", str(dest), "--language", "tyz",
            "--library", str(library), "--retries", "2"]
    assert sync_client.main(args) == 0
    got = dest / "loa-lsn_tyz_phone.zim"
    assert sha256(got.read_bytes()) == row.sha256
    assert not (dest / "loa-lsn_tyz_phone.zim.part").exists()
    shown = subprocess.run(["kiwix-manage", str(library), "show"], capture_output=True,
                           text=True, check=True).stdout
    assert "loa-lsn_tyz_phone" in shown and str(got) in shown

    # nothing new: nothing fetched; a rebuild after an edit: the new file replaces the old
    before = got.stat().st_mtime_ns
    assert sync_client.main(args) == 0 and got.stat().st_mtime_ns == before
    tay_library.bulletin.title = f"{TAY_TITLE} (sửa)"
    tay_library.bulletin.save_revision().publish()
    newer = publishing.publish(["tyz"])
    assert sync_client.main(args) == 0
    assert sha256(got.read_bytes()) == newer.sha256 != row.sha256
