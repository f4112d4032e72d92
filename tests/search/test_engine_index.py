"""The engine's index holds exactly what the public may see, kept right by the background
jobs; a missed update (engine down) is applied when it answers again; `update_index`
shows its progress. Assertions read the index itself, not only search results."""

from __future__ import annotations

import socket
from copy import deepcopy
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Locale, PageViewRestriction

from cms.products.models import BulletinPage, SectionPage
from search.config import PUBLIC_BACKEND
from search.models import PendingIndexUpdate
from search.public import public_backend
from tests.elibrary.factories import add_product, section_in
from tests.search.test_search_page import result_titles


def indexed(backend) -> dict[int, str]:
    """The products in the engine's index: id → the title it holds (folded)."""
    backend.refresh_indexes()
    index = backend.get_index_for_model(BulletinPage).name
    answer = backend.es.search(index=index, body={
        "query": {"match": {"_django_content_type": "products.ProductPage"}},
        "size": 1000, "_source": ["title"]})
    return {int(hit["_id"]): hit["_source"]["title"] for hit in answer["hits"]["hits"]}


def test_publishing_unpublishing_renaming_and_deleting_update_the_index(province, engine):
    section = province.department.section_page
    draft = add_product(section, title="Bản tin nháp về rừng", live=False)
    live = add_product(section, title="Cửa khẩu Tân Thanh")
    assert live.pk in indexed(engine) and draft.pk not in indexed(engine)

    draft.save_revision().publish()
    assert draft.pk in indexed(engine)

    live.unpublish()
    assert live.pk not in indexed(engine)

    draft.title = "Rừng phòng hộ đầu nguồn"
    draft.save_revision().publish()
    assert indexed(engine)[draft.pk] == "rung phong ho dau nguon"

    BulletinPage.objects.get(pk=draft.pk).delete()
    assert draft.pk not in indexed(engine)


def test_private_sections_stay_out_of_the_index(province, engine):
    section = province.department.section_page
    bulletin = add_product(section, title="Họp dân bản Mông")
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.LOGIN)
    assert bulletin.pk not in indexed(engine)
    restriction.delete()
    assert bulletin.pk in indexed(engine)

    # moved under a private section, it leaves the index; moved back, it returns
    private = section.add_child(instance=SectionPage(title="Nội bộ", slug="noi-bo"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    bulletin.move(private, pos="last-child")
    assert bulletin.pk not in indexed(engine)
    BulletinPage.objects.get(pk=bulletin.pk).move(section, pos="last-child")
    assert bulletin.pk in indexed(engine)


def test_a_new_language_version_is_indexed_when_published(province, engine, settings):
    section = province.department.section_page
    bulletin = add_product(section, title="Nước sạch về bản")
    section_in(section, "en")
    english = bulletin.copy_for_translation(Locale.objects.get(language_code="en"))
    assert english.pk not in indexed(engine)  # a draft
    english.title = "Clean water reaches the village"
    english.save_revision().publish()
    assert indexed(engine)[english.pk] == "clean water reaches the village"


def test_update_index_shows_progress_and_finishes(province, engine):
    section = province.department.section_page
    products = [add_product(section, title=f"Bản tin biên giới số {n}") for n in range(25)]
    hidden = add_product(section, title="Bản nháp", live=False)
    for product in products:  # an index that lost its entries
        engine.es.delete(index=engine.get_index_for_model(BulletinPage).name, id=product.pk)
    assert indexed(engine) == {}
    out = StringIO()
    call_command("update_index", backend_name=PUBLIC_BACKEND, chunk_size=10, stdout=out)
    assert "products.BulletinPage" in out.getvalue()
    assert "..." in out.getvalue()  # one dot per chunk of ten
    assert "indexed" in out.getvalue()
    assert set(indexed(engine)) == {p.pk for p in products}
    assert hidden.pk not in indexed(engine)


def _dead_url() -> str:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
def engine_down(settings, engine):
    """The engine stops answering; the fixture's value brings it back."""
    up = deepcopy(settings.WAGTAILSEARCH_BACKENDS)
    down = deepcopy(up)
    down[PUBLIC_BACKEND]["URLS"] = [_dead_url()]
    settings.WAGTAILSEARCH_BACKENDS = down

    def back() -> None:
        settings.WAGTAILSEARCH_BACKENDS = up

    return back


def test_engine_down_search_falls_back_and_no_update_is_lost(client, province, engine,
                                                             engine_down):
    section = province.department.section_page
    gone = BulletinPage.objects.get(pk=add_product(section, title="Lễ hội Lồng tồng").pk)
    new = add_product(section, title="Đường biên giới hòa bình")
    assert PendingIndexUpdate.objects.count() == 2  # both missed the engine

    # pages keep working; the search page answers from the database
    assert client.get("/").status_code == 200
    assert client.get(new.url).status_code == 200
    response = client.get(reverse("search:search"), {"q": "duong bien gioi"})
    assert response.status_code == 200
    assert result_titles(response) == [new.title]
    assert [s["title"] for s in client.get(reverse("search:autocomplete"),
                                           {"q": "le hoi"}).json()["suggestions"]] == [
        gone.title]

    gone.unpublish()  # also missed
    engine_down()  # the engine answers again
    up = public_backend()
    assert indexed(up) == {}
    # the next index job that succeeds applies what was missed, in a background job
    add_product(section, title="Nước sạch về bản")
    assert PendingIndexUpdate.objects.count() == 0
    titles = sorted(indexed(up).values())
    assert titles == ["duong bien gioi hoa binh", "nuoc sach ve ban"]


def test_search_catch_up_applies_missed_updates(province, engine, engine_down):
    section = province.department.section_page
    bulletin = add_product(section, title="Tin giả trên mạng")
    assert PendingIndexUpdate.objects.count() == 1
    engine_down()
    out = StringIO()
    call_command("search_catch_up", stdout=out)
    assert out.getvalue().strip() == "1/1"
    assert bulletin.pk in indexed(public_backend())


def test_a_slow_engine_leaves_the_search_to_the_database(client, province, engine, settings):
    section = province.department.section_page
    bulletin = add_product(section, title="Đường biên giới hòa bình")
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        slow = deepcopy(settings.WAGTAILSEARCH_BACKENDS)
        slow[PUBLIC_BACKEND]["URLS"] = [f"http://127.0.0.1:{silent.getsockname()[1]}"]
        slow[PUBLIC_BACKEND]["SEARCH_TIMEOUT"] = 0.5
        settings.WAGTAILSEARCH_BACKENDS = slow
        response = client.get(reverse("search:search"), {"q": "duong bien gioi"})
    assert response.status_code == 200
    assert result_titles(response) == [bulletin.title]
