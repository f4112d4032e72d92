"""Open data: CSV and JSON of results and products, a DCAT 2 catalogue that parses as RDF
with the datasets and distributions CKAN harvests; nothing unpublished leaves."""

from __future__ import annotations

import csv
import io

from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

from cms.products.models import BulletinPage
from programme.opendata import PRODUCT_COLUMNS, RESULT_COLUMNS
from tests.elibrary.factories import add_product, enable_languages, section_in


def _csv(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_catalogue_is_dcat_that_rdflib_reads(client, plans, province):
    response = client.get("/du-lieu-mo/catalog.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    graph = Graph().parse(data=response.content, format="json-ld",
                          publicID="http://testserver/du-lieu-mo/")
    catalogs = list(graph.subjects(ns.RDF.type, ns.DCAT.Catalog))
    datasets = set(graph.subjects(ns.RDF.type, ns.DCAT.Dataset))
    assert len(catalogs) == 1 and len(datasets) == 2
    assert set(graph.objects(catalogs[0], ns.DCAT.dataset)) == datasets
    licence = URIRef("https://creativecommons.org/licenses/by/4.0/")
    downloads = set()
    for dataset in datasets:
        assert (dataset, ns.DCTERMS.license, licence) in graph
        distributions = list(graph.objects(dataset, ns.DCAT.distribution))
        assert len(distributions) == 2
        for dist in distributions:
            assert (dist, ns.RDF.type, ns.DCAT.Distribution) in graph
            assert (dist, ns.DCTERMS.license, licence) in graph
            downloads |= set(graph.objects(dist, ns.DCAT.downloadURL))
    assert URIRef("http://testserver/du-lieu-mo/ket-qua.csv") in downloads
    assert URIRef("http://testserver/du-lieu-mo/san-pham.json") in downloads
    titles = {str(t) for d in datasets for t in graph.objects(d, ns.DCTERMS.title)}
    assert "Kết quả thực hiện chương trình" in titles
    publisher = next(graph.objects(catalogs[0], ns.DCTERMS.publisher))
    assert Literal("Sở TTTT Lạng Sơn") in set(graph.objects(publisher, None))
    for url in downloads:  # every distribution downloads
        assert client.get(str(url).removeprefix("http://testserver")).status_code == 200


def test_products_only_published_and_per_language(client, province, settings):
    enable_languages(settings, [("tyz", "Tiếng Tày")])
    live = add_product(province.department.section_page, BulletinPage, title="Bản tin công khai",
                       text="Nội dung")
    add_product(province.department.section_page, BulletinPage, title="Bản nháp bí mật",
                text="Chưa duyệt", live=False)
    gone = add_product(province.department.section_page, BulletinPage, title="Bản tin đã gỡ")
    gone.unpublish()
    tay_section = section_in(province.department.section_page, "tyz")
    add_product(tay_section, BulletinPage, title="Bản tin tiếng Tày")
    rows = _csv(client.get("/du-lieu-mo/san-pham.csv"))
    assert [r["title"] for r in rows] == ["Bản tin công khai"]
    assert list(rows[0]) == PRODUCT_COLUMNS
    assert rows[0]["identifier"] == live.identifier and rows[0]["kind"] == "bulletin"
    assert rows[0]["url"].startswith("http")
    everything = b"".join(client.get(f"/du-lieu-mo/{name}").content for name in (
        "san-pham.csv", "san-pham.json", "ket-qua.csv", "ket-qua.json", "catalog.jsonld"))
    assert "Bản nháp bí mật".encode() not in everything
    assert "Bản tin đã gỡ".encode() not in everything
    tay = client.get("/tyz/du-lieu-mo/san-pham.json").json()
    assert [r["title"] for r in tay["rows"]] == ["Bản tin tiếng Tày"]
    assert tay["licence"] == "https://creativecommons.org/licenses/by/4.0/"


def test_results_are_aggregates(client, plans, province):
    add_product(province.district_a.section_page, BulletinPage, title="Bản tin huyện")
    rows = _csv(client.get("/du-lieu-mo/ket-qua.csv"))
    assert list(rows[0]) == RESULT_COLUMNS
    from django.utils import timezone

    year = str(timezone.localdate().year)
    district = [r for r in rows if r["plan"] == "12/KH-UBND" and r["year"] == year]
    assert district == [{
        "year": year, "plan": "12/KH-UBND", "organisation": "Phòng VHTT Cao Lộc",
        "line": "Bản tin tiếng Tày", "kind": "bulletin", "unit": "Bản tin", "planned": "12",
        "actual": "1", "percent": "8", "budget_planned_million_vnd": "30.000",
        "budget_executed_million_vnd": "0.000", "by_language": "vi:1"}]
    index = client.get("/du-lieu-mo/").content.decode()
    assert "creativecommons.org/licenses/by/4.0" in index and "catalog.jsonld" in index
