"""What an editor sees in the admin: each rendition with its state and measured loudness,
the job's progress and message, and cancel / re-run buttons that work."""

from __future__ import annotations

from django.urls import reverse

from media_pipeline.models import MediaJob

from .conftest import make_item, run_profiles

NS = "wagtailsnippets_media_pipeline_mediaitem"


def test_inspect_view_shows_renditions_loudness_and_job(client, users, hostile):
    item = make_item(hostile.mp3(), "Bản tin Cao Lộc")
    run_profiles(item, "radio-loudspeaker")
    client.force_login(users.admin)
    html = client.get(reverse(f"{NS}:inspect", args=[item.pk])).content.decode()
    rendition = item.get_rendition("radio-loudspeaker")
    assert 'data-profile="radio-loudspeaker"' in html
    assert "Sẵn sàng" in html and "Hoàn tất" in html
    assert f"{rendition.loudness_integrated}".replace(".", ",") in html or \
        f"{rendition.loudness_integrated}" in html
    assert "Chạy lại phần còn thiếu" in html
    listing = client.get(reverse(f"{NS}:list")).content.decode()
    assert "Hoàn tất" in listing


def test_failed_job_shows_editor_message_and_admin_log(client, users, hostile):
    item = make_item(hostile.silent_wav())
    run_profiles(item, "radio-loudspeaker")
    client.force_login(users.admin)
    html = client.get(reverse(f"{NS}:inspect", args=[item.pk])).content.decode()
    assert "im lặng" in html
    assert "Nhật ký ffmpeg" in html  # the technical tail, for the administrator


def test_cancel_and_rerun_from_the_admin(client, users, hostile):
    item = make_item(hostile.mp3())  # queued on save; no worker has run it
    client.force_login(users.admin)
    job = item.active_job()
    response = client.post(reverse(f"{NS}:job_action", args=[item.pk, "cancel"]), follow=True)
    assert "Đã huỷ lượt chuyển đổi" in response.content.decode()
    job.refresh_from_db()
    assert job.state == MediaJob.State.CANCELLED
    response = client.post(reverse(f"{NS}:job_action", args=[item.pk, "rerun"]), follow=True)
    assert "Đã xếp hàng chuyển đổi lại" in response.content.decode()
    assert item.active_job() is not None and item.active_job().pk != job.pk
    assert client.get(reverse(f"{NS}:job_action", args=[item.pk, "cancel"])).status_code == 405


def test_user_without_media_rights_cannot_cancel(client, db, hostile):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    item = make_item(hostile.mp3())
    visitor = get_user_model().objects.create_user("khach", password="x")
    visitor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(visitor)
    response = client.post(reverse(f"{NS}:job_action", args=[item.pk, "cancel"]))
    assert response.status_code == 404
    assert item.active_job() is not None
