"""LOA_BASE_URL is the one source of the public address: ``set_site_address`` (run by
``make run`` and ``load_demo``) points Wagtail's default Site at it, so the absolute URLs
Wagtail builds — the ones feeds, OAI and bags carry — lead to the running server."""

from __future__ import annotations

import io
import urllib.request

import pytest
from django.core.management import call_command
from wagtail.models import Locale

from cms.products.models import BulletinPage


@pytest.mark.django_db(transaction=True)
def test_page_urls_name_the_running_server(live_server, province, users, settings):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    page = BulletinPage(title="Bản tin địa chỉ", slug="ban-tin-dia-chi", summary="Tóm tắt.",
                        locale=Locale.objects.get(language_code="vi"))
    province.district_a.section_page.add_child(instance=page)
    page.save_revision(user=users.admin).publish(user=users.admin)
    assert not BulletinPage.objects.get(pk=page.pk).full_url.startswith(live_server.url)

    call_command("set_site_address", stdout=io.StringIO())
    url = BulletinPage.objects.get(pk=page.pk).full_url
    assert url.startswith(live_server.url + "/")
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        assert "Bản tin địa chỉ" in response.read().decode()
