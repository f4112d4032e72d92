"""The HLS ladder: built from the rungs once they exist, fMP4 segments, served through the
private-media gate like every rendition, replaced cleanly when re-made."""

from __future__ import annotations

from django.test import Client

from media_pipeline.models import MediaJob

from .conftest import make_item, run_profiles, stored_files

LADDER = ("kiosk-1080", "phone-360", "phone-240", "hls")


def test_hls_ladder_is_built_from_the_rungs_and_gated(db, hostile, users, settings):
    item = make_item(hostile.video("phóng sự.mp4", seconds=5, size="640x360"))
    job = run_profiles(item, *LADDER)
    assert job.state == MediaJob.State.SUCCEEDED, job.message
    hls = item.get_rendition("hls")
    assert hls.file.name.startswith("media/renditions/hls/")
    master = (settings.MEDIA_ROOT / hls.file.name).read_text()
    assert master.count("#EXT-X-STREAM-INF") == 2  # kiosk and phone-360 are both 640x360
    assert "RESOLUTION=640x360" in master and "RESOLUTION=426x240" in master
    folder = hls.file.name.rsplit("/", 1)[0]
    variant = (settings.MEDIA_ROOT / folder / "v0" / "index.m3u8").read_text()
    assert "#EXT-X-MAP:URI=" in variant and ".m4s" in variant
    segment = f"{folder}/v0/seg0000.m4s"

    assert Client().get(f"/media/{segment}").status_code == 404  # not used by live content
    admin = Client()
    admin.force_login(users.admin)
    assert admin.get(f"/media/{segment}").status_code == 200

    again = run_profiles(item, "hls")
    assert "không cần làm gì" in again.message  # idempotent
    from media_pipeline.jobs import request_renditions
    from media_pipeline.runner import run_job

    run_job(request_renditions(item, profiles=["hls"], force=True, enqueue_task=False).pk)
    new = item.get_rendition("hls")
    assert new.file.name != hls.file.name
    files = stored_files(settings.MEDIA_ROOT)
    assert not any(name.startswith(folder + "/") for name in files)  # old version gone
