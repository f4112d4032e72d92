"""Language versions on the public site: routed under /<code>/, linked to each other with
hreflang alternates and the switcher, and a clear notice when a version is missing."""

import re

import pytest
from wagtail.models import Locale

from cms.products.models import BulletinPage

from .conftest import publish_translation

VERSIONS = {"tyz": "Slam pỉ noọng giữ đường biên", "km": "ព្រឹត្តិបត្រព័ត៌មាន ព្រំដែន",
            "zh-hans": "简报：守护边境"}


@pytest.fixture
def versions(bulletin, users):
    return {code: publish_translation(bulletin, code, title, users.admin)
            for code, title in VERSIONS.items()}


@pytest.mark.django_db
def test_each_language_version_is_routed_and_rendered(client, bulletin, versions):
    for code, page in versions.items():
        url = page.url
        assert url.startswith(f"/{code}/"), url
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<html lang="{code}">' in html
        assert VERSIONS[code] in html
        assert page.translation_key == bulletin.translation_key
        assert page.locale.language_code == code


@pytest.mark.django_db
def test_versions_link_their_siblings(client, bulletin, versions):
    html = client.get(versions["km"].url).content.decode()
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    assert alternates["vi"].endswith(bulletin.url)
    assert alternates["tyz"].endswith(versions["tyz"].url)
    assert alternates["zh-Hans"].endswith(versions["zh-hans"].url)
    assert alternates["x-default"] == alternates["vi"]
    assert "nut" not in alternates  # no Nùng version: no alternate for it
    switcher = html.split('class="language-switcher"')[1].split("</ul>")[0]
    assert f'href="{versions["tyz"].url}"' in switcher
    assert 'aria-current="page"' in switcher.split("ភាសាខ្មែរ")[0].rsplit("<li>", 1)[1]
    # The product lists its existing versions, each in its own language.
    listed = html.split('class="language-versions"')[1].split("</ul>")[0]
    assert "简体中文" in listed and "Tiếng Tày" in listed and "Tiếng Nùng" not in listed


@pytest.mark.django_db
def test_missing_version_falls_back_to_vietnamese_with_a_notice(client, bulletin, versions):
    vi_html = client.get(bulletin.url).content.decode()
    nung_link = re.search(r'<a href="([^"]+)" lang="nut"[^>]*class="missing"', vi_html)
    assert nung_link, "the switcher offers Nùng even though the version is missing"
    response = client.get(nung_link.group(1), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(bulletin.url)
    html = response.content.decode()
    assert 'data-missing-language="nut"' in html
    assert "Sản phẩm này chưa có bản Tiếng Nùng. Bạn đang xem bản tiếng Việt." in html
    assert bulletin.title in html
    # An existing version never shows the notice, even if asked with the parameter.
    html = client.get(bulletin.url + "?ngon-ngu-yeu-cau=tyz").content.decode()
    assert "data-missing-language" not in html


@pytest.mark.django_db
def test_fallback_never_reveals_a_draft(client, bulletin, versions, users):
    bulletin.unpublish()
    response = client.get(f"/nut{bulletin.url}")
    assert response.status_code == 404


@pytest.mark.django_db
def test_unpublished_language_version_is_not_linked(client, bulletin, versions):
    versions["zh-hans"].unpublish()
    html = client.get(bulletin.url).content.decode()
    assert 'hreflang="zh-Hans" href' not in html
    assert BulletinPage.objects.get(pk=versions["zh-hans"].pk).locale == Locale.objects.get(
        language_code="zh-hans")


@pytest.mark.django_db
def test_topics_are_named_in_the_version_language_or_in_vietnamese(client, bulletin, versions):
    from cms.products.models import Topic

    named = Topic.objects.create(name_vi="Biên giới", name_zh_hans="边境", slug="bien-gioi-x")
    unnamed = Topic.objects.create(name_vi="Nước sạch", slug="nuoc-sach-x")  # no Chinese
    chinese = versions["zh-hans"]
    chinese.topics = [named, unnamed]
    chinese.save_revision().publish()
    html = client.get(chinese.url).content.decode()
    meta = html.split('class="meta"')[1].split("</dl>")[0]
    assert "边境" in meta and "Biên giới" not in meta
    assert "Nước sạch" in meta  # the Vietnamese name where the topic has no Chinese one


@pytest.mark.django_db
def test_a_version_published_later_is_linked_at_once(client, bulletin, users):
    def alternates() -> dict[str, str]:
        html = client.get(bulletin.url).content.decode()
        return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))

    # Alone in its language: it links only itself (and itself as the default).
    assert set(alternates()) == {"vi", "x-default"}
    tay = publish_translation(bulletin, "tyz", VERSIONS["tyz"], users.admin)
    assert alternates()["tyz"].endswith(tay.url)
    tay.unpublish()
    assert set(alternates()) == {"vi", "x-default"}


@pytest.mark.django_db
def test_the_switcher_follows_other_versions_published_and_unpublished_without_asking(
        client, bulletin, users, settings):
    """A product keeps whether another version of it is live: alone, its view asks for no
    versions; publishing or unpublishing another version updates it at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.LOA_PAGE_CACHE_SECONDS = 0  # every view rendered

    def view() -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(bulletin.url).content.decode()
        key = "\"wagtailcore_page\".\"translation_key\" = "
        return html, [q["sql"] for q in queries if key in q["sql"]]

    alternate = '<link rel="alternate" hreflang="tyz"'
    html, lookups = view()
    assert alternate not in html and not lookups
    tay = publish_translation(bulletin, "tyz", VERSIONS["tyz"], users.admin)
    html, lookups = view()
    assert f'{alternate} href="http://testserver{tay.url}">' in html and lookups
    tay.unpublish()
    html, lookups = view()
    assert alternate not in html and not lookups
