"""Product pages as production serves them: from the page cache, yet a published change,
an unpublished page or a restriction is what the next visitor meets."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.products.models import BulletinPage


def _view(client, url: str) -> tuple[int, str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, response.content.decode(), [q["sql"] for q in queries]


def test_a_second_view_comes_from_the_cache(client, library):
    bulletin = library.bulletins[0]
    status, first, queries = _view(client, bulletin.url)
    assert status == 200 and any("products_bulletinpage" in sql for sql in queries)
    status, second, queries = _view(client, bulletin.url)
    assert status == 200 and second == first
    assert not any("products_bulletinpage" in sql for sql in queries)  # not rendered again


def test_a_published_change_is_visible_at_once_and_unpublishing_hides_it(client, library):
    bulletin = BulletinPage.objects.get(pk=library.bulletins[0].pk)
    url = bulletin.url
    assert bulletin.title in client.get(url).content.decode()
    bulletin.title = "Bản tin mới: chợ biên giới mở cửa lại"
    bulletin.save_revision().publish()
    assert "Bản tin mới: chợ biên giới mở cửa lại" in client.get(url).content.decode()

    bulletin.unpublish()
    assert client.get(url).status_code == 404


def test_the_embedded_default_keeps_pages_in_files_under_var(client, library, settings,
                                                             tmp_path):
    settings.CACHES = {**settings.CACHES, "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path / "pages")}}
    bulletin = BulletinPage.objects.get(pk=library.bulletins[0].pk)
    client.get(bulletin.url)
    assert any((tmp_path / "pages").iterdir())
    bulletin.title = "Bản tin sửa: lịch tiêm chủng tháng này"
    bulletin.save_revision().publish()
    assert "Bản tin sửa: lịch tiêm chủng tháng này" in client.get(bulletin.url).content.decode()


def test_a_signed_in_editor_always_gets_a_fresh_render(client, library, admin_user):
    bulletin = library.bulletins[0]
    client.get(bulletin.url)  # cached for visitors
    client.force_login(admin_user)
    status, _html, queries = _view(client, bulletin.url)
    assert status == 200 and any("products_bulletinpage" in sql for sql in queries)


def test_a_page_behind_a_password_is_never_answered_from_the_cache(client, library):
    bulletin = library.bulletins[0]
    section = bulletin.get_parent()
    PageViewRestriction.objects.create(page=section, password="bien-gioi",
                                       restriction_type=PageViewRestriction.PASSWORD)
    form = client.get(bulletin.url).content.decode()
    action = re.search(r'<form[^>]+action="([^"]+)"', form).group(1)
    client.post(action, {"password": "bien-gioi", "return_url": bulletin.url})
    assert bulletin.summary in client.get(bulletin.url).content.decode()  # let in

    stranger = Client()
    html = stranger.get(bulletin.url).content.decode()
    assert 'name="password"' in html and bulletin.summary not in html
