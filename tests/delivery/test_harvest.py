"""A harvester that is not ours (Sickle) harvests the live feed, then incrementally with
``from``, and learns that an unpublished product is deleted."""

from __future__ import annotations

import datetime

import pytest
from sickle import Sickle

from delivery.models import OaiRecord


@pytest.mark.django_db(transaction=True)
def test_sickle_harvests_incrementally_and_sees_deletions(live_server, products, settings):
    settings.LOA_OAI = {"NAMESPACE": "loa.langson", "PAGE_SIZE": 2}
    first = products.bulletin("Bản tin: Chợ phiên vùng cao", renditions=())
    products.translate(first, "en", "Bulletin: Highland market")
    second = products.bulletin("Bản tin: Mùa vàng", renditions=())
    # these were published an hour ago
    OaiRecord.objects.update(datestamp=datetime.datetime.now(datetime.UTC).replace(
        microsecond=0) - datetime.timedelta(hours=1))

    sickle = Sickle(f"{live_server.url}/oai/")
    listing = sickle.ListRecords(metadataPrefix="oai_dc")
    harvested = {r.header.identifier: r for r in listing}
    assert len(harvested) == 3 and not any(r.deleted for r in harvested.values())
    assert {r.metadata["title"][0] for r in harvested.values()} == {
        "Bản tin: Chợ phiên vùng cao", "Bulletin: Highland market", "Bản tin: Mùa vàng"}
    since = listing.oai_response.xml.findtext(
        "{http://www.openarchives.org/OAI/2.0/}responseDate")

    second.unpublish()
    third = products.bulletin("Bản tin: Phòng chống lừa đảo qua mạng", renditions=())

    changes = {r.header.identifier: r
               for r in sickle.ListRecords(metadataPrefix="oai_dc", **{"from": since})}
    assert set(changes) == {f"oai:loa.langson:{second.identifier}/vi",
                            f"oai:loa.langson:{third.identifier}/vi"}
    assert changes[f"oai:loa.langson:{second.identifier}/vi"].deleted
    assert changes[f"oai:loa.langson:{third.identifier}/vi"].metadata["title"] == [
        "Bản tin: Phòng chống lừa đảo qua mạng"]
