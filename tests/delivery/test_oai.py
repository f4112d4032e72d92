"""The OAI-PMH provider: every verb and every error code, each response validated against
the OAI-PMH and oai_dc schemas shipped in the repository."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from delivery.models import OaiRecord

from .bags import assert_valid

pytestmark = pytest.mark.django_db
OAI = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}


@pytest.fixture
def catalogue(products, settings):
    """Two products; the first also in English. No delivery configured: OAI stands alone."""
    settings.LOA_OAI = {"NAMESPACE": "loa.langson", "ADMIN_EMAILS": ["so-tttt@langson.invalid"],
                        "PAGE_SIZE": 2}
    vi = products.bulletin("Bản tin: Lễ hội Lồng tồng", renditions=())
    en = products.translate(vi, "en", "Bulletin: Long Tong festival")
    other = products.bulletin("Bản tin: Nước sạch cho bản", renditions=())
    return vi, en, other


def oai(client, method="get", **params):
    response = getattr(client, method)("/oai/", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    return assert_valid(response.content)


def error_code(doc) -> str | None:
    error = doc.find("o:error", OAI)
    return None if error is None else error.get("code")


def test_identify(client, catalogue):
    doc = oai(client, verb="Identify")
    identify = doc.find("o:Identify", OAI)
    assert identify.findtext("o:baseURL", namespaces=OAI) == "http://testserver/oai/"
    assert identify.findtext("o:protocolVersion", namespaces=OAI) == "2.0"
    assert identify.findtext("o:deletedRecord", namespaces=OAI) == "persistent"
    assert identify.findtext("o:granularity", namespaces=OAI) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("o:adminEmail", namespaces=OAI) == "so-tttt@langson.invalid"
    assert doc.find("o:request", OAI).get("verb") == "Identify"


def test_records_sets_and_resumption(client, catalogue):
    vi, _en, other = catalogue
    doc = oai(client, verb="ListSets")
    specs = {s.findtext("o:setSpec", namespaces=OAI) for s in doc.iter(f"{{{OAI['o']}}}set")}
    assert {"kind", "kind:bulletin", "kind:video", "language", "language:vi",
            "language:en"} <= specs

    # three records, two per page: follow the token
    doc = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    token = doc.find(".//o:resumptionToken", OAI)
    assert token.get("completeListSize") == "3" and token.get("cursor") == "0" and token.text
    first = [h.findtext("o:identifier", namespaces=OAI) for h in doc.iter(f"{{{OAI['o']}}}header")]
    doc = oai(client, verb="ListRecords", resumptionToken=token.text)
    last = doc.find(".//o:resumptionToken", OAI)
    assert last.get("cursor") == "2" and not last.text  # the list is complete
    second = [h.findtext("o:identifier", namespaces=OAI) for h in doc.iter(f"{{{OAI['o']}}}header")]
    assert sorted(first + second) == sorted([
        f"oai:loa.langson:{vi.identifier}/vi", f"oai:loa.langson:{vi.identifier}/en",
        f"oai:loa.langson:{other.identifier}/vi"])

    doc = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="language:en")
    assert [h.findtext("o:identifier", namespaces=OAI) for h in
            doc.iter(f"{{{OAI['o']}}}header")] == [f"oai:loa.langson:{vi.identifier}/en"]

    doc = oai(client, method="post", verb="GetRecord", metadataPrefix="oai_dc",
              identifier=f"oai:loa.langson:{vi.identifier}/vi")
    dc = doc.find(".//o:metadata/{http://www.openarchives.org/OAI/2.0/oai_dc/}dc", OAI)
    assert dc.findtext("dc:title", namespaces=OAI) == "Bản tin: Lễ hội Lồng tồng"
    assert dc.findtext("dc:language", namespaces=OAI) == "vi"
    # the feed follows later publications: vi now relates to its English version
    assert [r.text for r in dc.findall("dc:relation", OAI)] == [f"{vi.identifier}/en"]
    header = doc.find(".//o:header", OAI)
    assert [s.text for s in header.findall("o:setSpec", OAI)] == ["kind:bulletin", "language:vi"]


def test_from_until_with_second_granularity(client, catalogue):
    _vi, _en, _other = catalogue
    old = datetime.datetime(2024, 5, 1, 8, 0, 0, tzinfo=datetime.UTC)
    OaiRecord.objects.filter(language="en").update(datestamp=old)
    doc = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc",
              **{"from": "2024-05-01T08:00:00Z", "until": "2024-05-01T08:00:00Z"})
    assert [h.findtext("o:datestamp", namespaces=OAI) for h in
            doc.iter(f"{{{OAI['o']}}}header")] == ["2024-05-01T08:00:00Z"]
    doc = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2024-05-01")
    assert len(list(doc.iter(f"{{{OAI['o']}}}header"))) == 1
    doc = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc",
              **{"from": "2024-05-01T08:00:01Z"})
    assert len(list(doc.iter(f"{{{OAI['o']}}}header"))) == 2


def test_unpublished_and_deleted_products_stay_as_deleted_records(client, catalogue):
    vi, en, other = catalogue
    en.unpublish()
    other.delete()
    for identifier in (f"oai:loa.langson:{vi.identifier}/en",
                       f"oai:loa.langson:{other.identifier}/vi"):
        doc = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=identifier)
        assert doc.find(".//o:header", OAI).get("status") == "deleted"
        assert doc.find(".//o:metadata", OAI) is None
    doc = oai(client, verb="GetRecord", metadataPrefix="oai_dc",
              identifier=f"oai:loa.langson:{vi.identifier}/vi")
    dc = doc.find(".//{http://www.openarchives.org/OAI/2.0/oai_dc/}dc")
    assert dc.findall("dc:relation", OAI) == []  # its English version is gone


ERROR_CASES = [
    ({}, "badVerb"),
    ({"verb": "Harvest"}, "badVerb"),
    ({"verb": "Identify", "set": "kind"}, "badArgument"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01",
      "until": "2024-02-01T00:00:00Z"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-01",
      "until": "2024-01-01"}, "badArgument"),
    ({"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:y"},
     "idDoesNotExist"),
    ({"verb": "ListMetadataFormats", "identifier": "oai:x:y"}, "idDoesNotExist"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2099-01-01"},
     "noRecordsMatch"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "kind:video"}, "noRecordsMatch"),
    ({"verb": "ListIdentifiers", "resumptionToken": "gia-mao"}, "badResumptionToken"),
    ({"verb": "ListSets", "resumptionToken": "gia-mao"}, "badResumptionToken"),
]


def test_error_codes(client, catalogue):
    for params, code in ERROR_CASES:
        doc = oai(client, **params)
        assert error_code(doc) == code, params
        request = doc.find("o:request", OAI)
        if code in ("badVerb", "badArgument"):
            assert dict(request.attrib) == {}, params  # only the base URL is echoed
        else:
            assert request.get("verb") == params["verb"]


def test_repeated_argument_and_foreign_token(client, catalogue):
    response = client.get("/oai/?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc")
    assert error_code(assert_valid(response.content)) == "badArgument"
    doc = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    token = doc.find(".//o:resumptionToken", OAI).text
    assert error_code(oai(client, verb="ListIdentifiers", resumptionToken=token)) == \
        "badResumptionToken"


def test_oai_sync_backfills_products_published_before_the_app(client, catalogue):
    _vi, _en, _other = catalogue
    OaiRecord.objects.all().delete()  # as on a site that had products before this app
    assert error_code(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")) == \
        "noRecordsMatch"
    call_command("oai_sync")
    doc = oai(client, verb="ListRecords", metadataPrefix="oai_dc", set="kind:bulletin")
    token = doc.find(".//o:resumptionToken", OAI)
    assert token.get("completeListSize") == "3"
    assert not OaiRecord.objects.filter(deleted=True).exists()
