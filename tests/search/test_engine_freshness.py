"""Between an unpublishing (or a page made private) and the background job that takes it out
of the engine's index, the engine still holds the product for a few seconds: the public
search must not show it, count it or suggest it in that time."""

from __future__ import annotations

import re

from django.urls import reverse
from wagtail.models import PageViewRestriction

from tests.elibrary.factories import add_product
from tests.search.test_engine_index import indexed
from tests.search.test_search_page import result_titles


def shown_count(response) -> int:
    return int(re.search(r"Tìm thấy (\d+) sản phẩm", response.content.decode()).group(1))


def suggested(client, prefix: str) -> list[str]:
    answer = client.get(reverse("search:autocomplete"), {"q": prefix}).json()
    return [s["title"] for s in answer["suggestions"]]


def test_unpublished_or_private_products_never_show_before_the_index_job(
        client, province, engine, settings):
    section = province.department.section_page
    kept = add_product(section, title="Cửa khẩu Tân Thanh mở cửa")
    unpublished = add_product(section, title="Cửa khẩu Tân Thanh đóng cửa")
    private = add_product(section, title="Cửa khẩu Tân Thanh họp nội bộ")
    deleted = add_product(section, title="Cửa khẩu Tân Thanh tạm dừng")
    url = reverse("search:search")
    engine.refresh_indexes()
    assert shown_count(client.get(url, {"q": "tan thanh"})) == 4

    # from here on, background jobs are queued and not run (the worker is behind)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    unpublished.unpublish()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    deleted.delete()
    # the index job has not run: the engine still holds both
    assert {unpublished.pk, private.pk} <= set(indexed(engine))

    for query in ({"q": "tan thanh"}, {"q": "tan thanh", "kind": "ban-tin"},
                  {"q": "cua khau tan th"}):  # the last word as typed so far
        response = client.get(url, query)
        assert result_titles(response) == [kept.title], query
        assert shown_count(response) == 1, query
    assert suggested(client, "tan th") == [kept.title]
