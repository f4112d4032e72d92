"""The public search page: typing without tones, filters, the visitor's language first,
autocomplete, a partly typed last word — on the database of the run and on the engine."""

import re

from django.urls import reverse

from tests.elibrary.factories import add_product, section_in
from tests.search_engine import refresh


def result_titles(response) -> list[str]:
    return re.findall(r'<li lang="[^"]+"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_search_without_tones_finds_the_bulletin(client, province, search_backend):
    section = province.department.section_page
    bulletin = add_product(section, title="Đồng bào Đà Nẵng giữ gìn đường biên giới")
    add_product(section, title="Lễ hội Lồng tồng")
    refresh(search_backend)
    response = client.get(reverse("search:search"), {"q": "duong bien gioi"})
    assert result_titles(response) == [bulletin.title]
    assert f'href="{bulletin.url}"' in response.content.decode()


def test_filters_for_kind_and_topic(client, province, search_backend):
    from cms.products.models import DocumentPage, Topic

    topic = Topic.objects.create(name="Biên giới", slug="bien-gioi")
    section = province.department.section_page
    bulletin = add_product(section, title="Cột mốc 1116", topics=[topic])
    document = add_product(section, DocumentPage, title="Sổ tay cột mốc")
    refresh(search_backend)
    url = reverse("search:search")
    assert set(result_titles(client.get(url, {"q": "cot moc"}))) == {bulletin.title,
                                                                     document.title}
    only_documents = client.get(url, {"q": "cot moc", "kind": "tai-lieu"})
    assert result_titles(only_documents) == [document.title]
    assert "Tài liệu · " in only_documents.content.decode()  # each result says its kind
    assert result_titles(client.get(url, {"q": "cot moc", "topic": "bien-gioi"})) == [
        bulletin.title]


def test_results_in_the_visitors_language_come_first(client, province, search_backend):
    section = province.department.section_page
    vi = add_product(section, title="Hữu Nghị: cửa khẩu Hữu Nghị, Hữu Nghị quan")
    en = add_product(section_in(section, "en"), title="Huu Nghi border gate")
    refresh(search_backend)
    url = reverse("search:search")
    assert result_titles(client.get(url, {"q": "huu nghi"})) == [vi.title, en.title]
    assert result_titles(client.get("/en" + url, {"q": "huu nghi"})) == [en.title, vi.title]


def test_autocomplete_suggests_titles_from_a_folded_prefix(client, province, search_backend):
    section = province.department.section_page
    add_product(section, title="Đường biên giới hòa bình")
    add_product(section, title="Nước sạch về bản")
    refresh(search_backend)
    suggestions = client.get(reverse("search:autocomplete"), {"q": "duong bi"}).json()
    assert [s["title"] for s in suggestions["suggestions"]] == ["Đường biên giới hòa bình"]


def test_search_page_pages_through_many_results(client, province, search_backend):
    section = province.department.section_page
    for n in range(23):
        add_product(section, title=f"Bản tin biên giới số {n}")
    refresh(search_backend)
    url = reverse("search:search")
    first = result_titles(client.get(url, {"q": "bien gioi"}))
    second = result_titles(client.get(url, {"q": "bien gioi", "page": 2}))
    assert len(first) == 20 and len(second) == 3
    assert not set(first) & set(second)


def test_a_partly_typed_last_word_finds_what_autocomplete_offers(client, province,
                                                                 search_backend):
    section = province.department.section_page
    add_product(section, title="Cửa khẩu Tân Thanh thông quan hàng hóa")
    add_product(section, title="Đêm giao thừa ở bản Mông")
    add_product(section, title="Giáo viên cắm bản")
    refresh(search_backend)
    for typed in ("cua khau tan th", "giao thu"):
        offered = [s["title"] for s in client.get(reverse("search:autocomplete"),
                                                 {"q": typed}).json()["suggestions"]]
        found = result_titles(client.get(reverse("search:search"), {"q": typed}))
        assert offered, typed
        assert set(offered) <= set(found), typed
