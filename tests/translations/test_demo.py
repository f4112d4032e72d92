"""Done means: in the demo province one bulletin exists in Vietnamese, Tày, Nùng and Chinese,
each with its own recording; a visitor switches between them; the dashboard shows the rest
as requested. load_demo stays re-runnable without duplicates."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from cms.products.models import BulletinPage
from media_pipeline.models import MediaItem
from translations import languages
from translations.models import TranslationRequest

LANG_SON = languages.PROVINCE_DEFAULTS["LSN"]


# transaction=True: load_demo relies on on_commit hooks firing as its blocks commit.
@pytest.mark.django_db(transaction=True)
def test_demo_bulletin_in_four_languages(settings, client):
    settings.LANGUAGES = languages.django_languages(list(LANG_SON))
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    for _run in range(2):
        call_command("load_demo", per_kind=1, no_passwords=True, verbosity=0)
    source = BulletinPage.objects.get(slug="bulletin-01", locale__language_code="vi")
    versions = {p.locale.language_code: p for p in BulletinPage.objects.filter(
        translation_key=source.translation_key)}
    assert set(versions) == {"vi", "tyz", "nut", "zh-hans"}
    audio = {code: page.audio for code, page in versions.items()}
    assert all(item is not None and item.kind == "audio" and item.duration > 1
               for item in audio.values())
    assert len({item.pk for item in audio.values()}) == 4  # each its own recording
    assert all(page.live for page in versions.values())
    assert MediaItem.objects.filter(title__startswith="Âm thanh – Slam pỉ noọng").count() == 1

    # A visitor switches from the Vietnamese bulletin to the Tày one and on to Chinese.
    html = client.get(source.url).content.decode()
    tay_url = re.search(r'<a href="([^"]+)" lang="tyz"', html).group(1)
    assert tay_url == versions["tyz"].url
    html = client.get(tay_url).content.decode()
    assert versions["tyz"].title in html and versions["tyz"].audio.file.url in html
    assert ">Ngòi thư viện</a>" in html  # the demo's partial Tày interface
    assert "Bỏ qua, tới nội dung" in html  # and Vietnamese for the rest
    zh_url = re.search(r'<a href="([^"]+)" lang="zh-Hans"', html).group(1)
    assert "简报" in client.get(zh_url).content.decode()

    # The remaining languages are requested, once.
    requests = {r.language: r for r in TranslationRequest.objects.filter(product=source.pk)}
    assert set(requests) == {"tyz", "nut", "zh-hans", "ium", "en"}
    assert {c for c, r in requests.items() if r.state == "requested"} == {"ium", "en"}
    assert {c for c, r in requests.items() if r.state == "published"} == {"tyz", "nut", "zh-hans"}
    client.force_login(_admin())
    dashboard = client.get(reverse("translations:dashboard")).content.decode()
    row = dashboard.split(f'data-product="{source.pk}"')[1].split("</tr>")[0]
    statuses = re.findall(r'data-status="([a-z_]+)"', row)
    assert statuses == ["published", "published", "requested", "published", "requested"]


def _admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="admin")
