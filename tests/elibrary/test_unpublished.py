"""Drafts, their media and their search entries stay invisible to the public."""

from django.urls import reverse

from cms.products.search import search_products, suggest_titles
from search import folding


def test_draft_its_recording_and_its_search_entry_stay_invisible(client, library):
    draft = library.draft
    assert client.get(draft.url).status_code == 404
    assert client.get(draft.audio.file.url).status_code == 404
    assert len(search_products("khau pha", language="vi")) == 0
    assert suggest_titles("khau", language="vi") == []
    assert client.get(reverse("search:autocomplete"), {"q": "Khau"}).json() == {
        "suggestions": []}
    found = client.get(reverse("search:search"), {"q": "tuyet mat"}).content.decode()
    assert draft.title not in found
    assert draft.title not in client.get(reverse("elibrary:browse")).content.decode()
    kiosk = client.get(reverse("elibrary:kiosk"), {"chon": str(draft.pk)}).content.decode()
    assert draft.title not in kiosk
    assert client.get(reverse("elibrary:kiosk_product", args=[draft.pk])).status_code == 404


def test_unpublished_changes_of_a_live_product_are_not_searchable(client, library):
    live = library.bulletins[0]
    live_title = live.title
    live.title = "Tiêu đề mới chưa duyệt Pác Bó"
    live.save_revision()  # a draft revision on a live page
    assert len(search_products("pac bo", language="vi")) == 0
    # the published version is still found, by its published title typed without tones
    found = search_products(folding.fold(live_title), language="vi")
    assert live.pk in [p.pk for p in found]
    page = client.get(live.url).content.decode()
    assert "Pác Bó" not in page
