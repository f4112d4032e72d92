"""Who may edit and publish what: district editors, provincial editors, reviewers."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, WorkflowState

from cms.products.models import BulletinPage

from .helpers import add_url, edit_url, media_item, page_form


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def bulletin_in_b(province, media_files):
    """A draft bulletin of district B."""
    page = BulletinPage(title="Bản tin Văn Lãng", slug="ban-tin-vl", live=False,
                        audio=media_item(media_files.speech()))
    province.district_b.section_page.add_child(instance=page)
    page.save_revision()
    return page


def submit(client, parent, slug="ban-tin-cl", **extra):
    data = page_form("Bản tin Cao Lộc", slug, **extra)
    data["action-submit"] = "action-submit"
    return client.post(add_url(BulletinPage, parent), data)


def test_district_editor_cannot_touch_another_districts_product(users, province, bulletin_in_b):
    client = login(users.editor_a)
    assert client.get(edit_url(bulletin_in_b)).status_code in (302, 403)
    data = page_form("Đã sửa", bulletin_in_b.slug)
    data["action-publish"] = "action-publish"
    client.post(edit_url(bulletin_in_b), data)
    bulletin_in_b.refresh_from_db()
    assert bulletin_in_b.title == "Bản tin Văn Lãng" and not bulletin_in_b.live
    # nor create under the other district's section
    response = submit(client, province.district_b.section_page, slug="xam-nhap")
    assert response.status_code in (302, 403)
    assert not BulletinPage.objects.filter(slug="xam-nhap").exists()


def test_provincial_editor_edits_any_district(users, bulletin_in_b):
    client = login(users.provincial_editor)
    data = page_form("Bản tin Văn Lãng (tỉnh sửa)", bulletin_in_b.slug)
    assert client.post(edit_url(bulletin_in_b), data).status_code == 302
    bulletin_in_b.refresh_from_db()
    assert bulletin_in_b.get_latest_revision_as_object().title == "Bản tin Văn Lãng (tỉnh sửa)"


def test_editor_cannot_publish_without_approval(users, province):
    client = login(users.editor_a)
    data = page_form("Bản tin Cao Lộc", "ban-tin-cl")
    data["action-publish"] = "action-publish"
    client.post(add_url(BulletinPage, province.district_a.section_page), data)
    page = BulletinPage.objects.get(slug="ban-tin-cl")
    assert not page.live
    assert Client().get(page.get_url()).status_code == 404
    assert page.title not in Client().get("/thu-vien/").content.decode()


def _approve_or_reject(client, page, action, comment=""):
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def test_reviewer_approves_then_it_is_live_and_audited(users, province):
    editor = login(users.editor_a)
    assert submit(editor, province.district_a.section_page).status_code == 302
    page = BulletinPage.objects.get(slug="ban-tin-cl")
    assert not page.live and page.current_workflow_state is not None

    response = _approve_or_reject(login(users.reviewer), page, "approve", "Đạt yêu cầu")
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert "Bản tin Cao Lộc" in Client().get(page.url).content.decode()
    actions = list(PageLogEntry.objects.filter(page=page).values_list("action", "user__username"))
    assert ("wagtail.workflow.start", "bt_a") in actions
    assert ("wagtail.workflow.approve", "duyet") in actions
    assert ("wagtail.publish", "duyet") in actions


def test_reviewer_rejects_with_comment_and_nothing_goes_live(users, province):
    submit(login(users.editor_a), province.district_a.section_page)
    page = BulletinPage.objects.get(slug="ban-tin-cl")
    _approve_or_reject(login(users.reviewer), page, "reject", "Sai tên địa danh")
    page.refresh_from_db()
    assert not page.live
    entry = PageLogEntry.objects.get(page=page, action="wagtail.workflow.reject")
    assert entry.user == users.reviewer
    assert page.current_workflow_task_state is None
    assert page.workflow_states.get().current_task_state.get_comment() == "Sai tên địa danh"


def test_a_district_editor_cannot_approve(users, province):
    submit(login(users.editor_a), province.district_a.section_page)
    page = BulletinPage.objects.get(slug="ban-tin-cl")
    _approve_or_reject(login(users.editor_b), page, "approve")
    page.refresh_from_db()
    assert not page.live


def test_scheduled_publication_goes_live_at_its_time(users, province):
    go_live = timezone.now() + datetime.timedelta(hours=2)
    submit(login(users.editor_a), province.district_a.section_page,
           go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"))
    page = BulletinPage.objects.get(slug="ban-tin-cl")
    _approve_or_reject(login(users.reviewer), page, "approve")
    page.refresh_from_db()
    assert not page.live  # approved, waiting for its time
    revision = page.scheduled_revision
    assert revision is not None

    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live

    # The clock moves on: the scheduled time is now in the past.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
