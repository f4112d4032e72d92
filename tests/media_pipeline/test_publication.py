"""A bulletin whose recording is still being converted cannot go live; the editor is told
why in Vietnamese, loses nothing, and can publish once the renditions are ready."""

from __future__ import annotations

from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.products.models import BulletinPage

from .conftest import make_item, run_profiles


def bulletin(province, item) -> BulletinPage:
    page = BulletinPage(title="Bản tin biên giới", slug="ban-tin-bien-gioi", audio=item,
                        live=False)
    province.department.section_page.add_child(instance=page)
    page.save_revision()
    return page


def publish(client, page, summary: str):
    data = nested_form_data({
        "title": page.title, "slug": page.slug, "summary": summary,
        "audio": page.audio_id, "body": streamfield([]), "production_year": 2025,
        "funding_line": "p10-1", "rights": page.rights, "comments": inline_formset([]),
        "action-publish": "action-publish",
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
    from django.test import Client

    client = Client()
    client.force_login(users.admin)
    return client
