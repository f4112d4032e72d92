"""Browsing the e-library by language, topic, product kind and area, newest first."""

import re

from django.urls import reverse

from tests.elibrary.factories import add_product, section_in


def titles(response) -> list[str]:
    return re.findall(r"<strong>([^<]+)</strong>", response.content.decode())


def test_browse_filters_by_kind_topic_area_and_language(client, library, province):
    url = reverse("elibrary:browse")
    everything = titles(client.get(url))
    assert len(everything) == len(library.live)
    # newest first: the bulletin was published last
    assert everything[0] == library.bulletins[0].title

    assert titles(client.get(url, {"kind": "tai-lieu"})) == [library.documents[0].title]
    topic = library.topics[0]
    with_topic = {p.title for p in library.live if topic in p.topics.all()}
    assert set(titles(client.get(url, {"topic": topic.slug}))) == with_topic
    district = province.district_a.area
    in_district = {p.title for p in library.live if p.area_id == district.pk}
    assert set(titles(client.get(url, {"area": district.pk}))) == in_district
    # the province includes its districts
    assert len(titles(client.get(url, {"area": district.parent_id}))) == len(library.live)

    english = add_product(section_in(province.department.section_page, "en"),
                          title="Border markers", text="In English.")
    assert titles(client.get(url, {"lang": "en"})) == [english.title]
    assert english.title not in titles(client.get(url))  # the visitor's language by default
    assert english.title in titles(client.get(url, {"lang": "all"}))
    assert titles(client.get("/en/duyet/")) == [english.title]

    # nonsense filters are ignored, not errors
    response = client.get(url, {"kind": "<script>", "area": "x", "lang": "zz", "topic": "khong"})
    assert response.status_code == 200
    assert len(titles(response)) == len(library.live)
