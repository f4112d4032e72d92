"""A bulletin whose recording is still being converted cannot go live, whatever the path:
edit view, workflow approval (edit view or the dashboard's modal), scheduled publishing,
code calling revision.publish(). The editor is told why in Vietnamese, loses nothing, and
the page goes live once the renditions are ready."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.products.models import BulletinPage
from media_pipeline.exceptions import MediaNotReady

from .conftest import make_item, run_profiles


def bulletin(province, item) -> BulletinPage:
    page = BulletinPage(title="Bản tin biên giới", slug="ban-tin-bien-gioi", audio=item,
                        live=False)
    province.department.section_page.add_child(instance=page)
    page.save_revision()
    return page


def publish(client, page, summary: str, **action):
    data = nested_form_data({
        "title": page.title, "slug": page.slug, "summary": summary,
        "audio": page.audio_id, "body": streamfield([]), "production_year": page.production_year,
        "initial-production_year": page.production_year, "organisation": page.organisation_id,
        "funding_line": "p10-1", "rights": page.rights, "comments": inline_formset([]),
        **(action or {"action-publish": "action-publish"}),
    })
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data, follow=True)


def test_publication_waits_for_renditions(db, province, users, hostile):
    item = make_item(hostile.mp3())  # its job is queued, not run: renditions not ready
    page = bulletin(province, item)
    client = users_client(users)
    response = publish(client, page, "Tóm tắt mới")
    page.refresh_from_db()
    assert not page.live
    text = response.content.decode()
    assert "Chưa thể xuất bản" in text and "chưa chuyển đổi xong" in text
    assert page.get_latest_revision_as_object().summary == "Tóm tắt mới"  # nothing lost

    run_profiles(item)  # the worker makes everything the item needs
    assert item.renditions_ready()
    response = publish(client, page, "Tóm tắt mới")
    page.refresh_from_db()
    assert page.live, response.content.decode()[:500]
    served = client.get("/media/" + item.get_rendition("radio-loudspeaker").file.name)
    assert served.status_code == 200


def test_failed_media_blocks_publication_with_a_hint(db, province, users, hostile):
    item = make_item(hostile.silent_wav())
    run_profiles(item)
    page = bulletin(province, item)
    response = publish(users_client(users), page, "x")
    page.refresh_from_db()
    assert not page.live
    assert "Tệp lỗi cần tải lên lại hoặc chạy lại" in response.content.decode()


def users_client(users):
    client = Client()
    client.force_login(users.admin)
    return client


def test_direct_and_scheduled_publication_wait_for_renditions(db, province, users, hostile):
    item = make_item(hostile.mp3(seconds=1))  # its job is queued, never run here
    page = bulletin(province, item)
    with pytest.raises(MediaNotReady) as refused:
        page.save_revision().publish()  # code publishing directly gets the typed error
    assert "Chưa thể xuất bản" in str(refused.value) and item.title in str(refused.value)
    api = users_client(users).post(f"/admin/api/main/pages/{page.pk}/action/publish/")
    assert api.status_code == 409 and "Chưa thể xuất bản" in api.json()["message"]
    page.refresh_from_db()
    assert not page.live

    # Scheduling is allowed while converting; going live is what waits.
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    scheduled = page.save_revision()
    scheduled.publish()
    falls_due(scheduled)
    call_command("publish_scheduled")
    call_command("publish_scheduled")  # cron runs it every minute
    page.refresh_from_db()
    scheduled.refresh_from_db()
    assert not page.live and scheduled.approved_go_live_at is not None  # still scheduled
    held = PageLogEntry.objects.filter(page=page, action="media_pipeline.publish_held")
    assert held.count() == 1 and item.title in held.get().message

    run_profiles(item)  # the worker finishes
    call_command("publish_scheduled")
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live and page.live_revision_id == scheduled.pk
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish.scheduled").count() == 1


def test_approval_from_the_dashboard_waits_for_renditions(db, province, users, hostile):
    item = make_item(hostile.mp3(seconds=1))
    page = bulletin(province, item)
    page.get_workflow().start(page, users.editor_a)
    reviewer = Client()
    reviewer.force_login(users.reviewer)

    response = approve_in_modal(reviewer, page)
    assert response.json() == {"step": "success", "redirect": "/admin/"}
    dashboard = reviewer.get("/admin/").content.decode()
    assert "Chưa thể xuất bản" in dashboard and item.title in dashboard
    page.refresh_from_db()
    state = page.current_workflow_state
    assert not page.live
    # the approval is undone whole: the task waits for the reviewer again
    assert state.status == state.STATUS_IN_PROGRESS
    assert state.current_task_state.status == "in_progress"

    # Approving from the edit view (the action menu's "Duyệt"): refused the same way.
    response = publish(reviewer, page, page.summary, **{
        "action-workflow-action": "true", "workflow-action-name": "approve"})
    assert "Chưa thể xuất bản" in response.content.decode()
    page.refresh_from_db()
    assert not page.live and page.current_workflow_task_state.status == "in_progress"

    run_profiles(item)
    approve_in_modal(reviewer, page)
    page.refresh_from_db()
    assert page.live and page.current_workflow_state is None


def approve_in_modal(client, page):
    task_state = page.current_workflow_state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return client.post(url, {"comment": "", "next": "/admin/"},
                       HTTP_X_REQUESTED_WITH="XMLHttpRequest")


def falls_due(revision) -> None:
    """Move the scheduled go-live an hour back instead of waiting for it."""
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])


def test_bulk_publish_waits_for_every_page_s_renditions(db, province, users, hostile):
    """Publishing several pages from the explorer's bulk action: one page's recording still
    converting holds back the whole batch, the message names it, and the batch goes live
    once it is ready."""
    ready = make_item(hostile.mp3("san sang.mp3", seconds=1), "Đã sẵn sàng")
    converting = make_item(hostile.mp3("dang lam.mp3", seconds=1), "Đang chuyển đổi")
    run_profiles(ready)
    pages = []
    for n, item in enumerate((ready, converting)):
        page = BulletinPage(title=f"Bản tin {n}", slug=f"ban-tin-{n}", audio=item, live=False)
        province.department.section_page.add_child(instance=page)
        page.save_revision()
        pages.append(page)
    url = (reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish")) + "?"
           + "&".join(f"id={page.pk}" for page in pages))
    client = users_client(users)

    response = client.post(url, follow=True)
    text = response.content.decode()
    assert "Chưa thể xuất bản" in text and "Đang chuyển đổi" in text
    assert not any(BulletinPage.objects.get(pk=page.pk).live for page in pages)
    assert converting.active_job() is not None  # what is missing is being made

    run_profiles(converting)
    client.post(url)
    assert all(BulletinPage.objects.get(pk=page.pk).live for page in pages)
