"""Publishing a product in three languages sends three valid BagIt packages; running the
delivery again sends nothing; a changed product is sent as a new version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from delivery.models import DeliveryRecord

from .bags import assert_valid, download, unpack
from .conftest import remote_keys, unfinished_uploads

pytestmark = pytest.mark.django_db(transaction=False)
NS = {"dc": "http://purl.org/dc/elements/1.1/", "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/"}


def dc_values(dc):
    return lambda name: [e.text for e in dc.findall(f"dc:{name}", NS)]


def publish_three_languages(products, capture):
    with capture(execute=True):
        vi = products.bulletin("Bản tin: Bảo vệ cột mốc biên giới")
    with capture(execute=True):
        en = products.translate(vi, "en", "Bulletin: Protecting the border markers")
    with capture(execute=True):
        zh = products.translate(vi, "zh-hans", "简报：保护边境界碑")
    return vi, en, zh


def test_three_languages_give_three_valid_bags(products, delivery_settings, s3, bucket,
                                               django_capture_on_commit_callbacks, tmp_path,
                                               proxy):
    vi, _en, _zh = publish_three_languages(products, django_capture_on_commit_callbacks)

    records = DeliveryRecord.objects.order_by("language")
    assert [(r.language, r.state, r.version) for r in records] == [
        ("en", "delivered", 1), ("vi", "delivered", 1), ("zh-hans", "delivered", 1)]
    assert sorted(remote_keys(s3, bucket)) == sorted(r.key for r in records)
    assert all(r.key.startswith(f"lsn/{vi.identifier}/") for r in records)
    assert unfinished_uploads(s3, bucket) == []

    for record in records:
        bag = unpack(download(s3, bucket, record.key), tmp_path / record.language)
        root = Path(bag.path)
        assert (root / "bagit.txt").read_text() == (
            "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        assert bag.version_info == (1, 0)
        assert set(bag.algorithms) == {"sha256", "sha512"}
        for name in ("manifest-sha256.txt", "manifest-sha512.txt",
                     "tagmanifest-sha256.txt", "tagmanifest-sha512.txt"):
            assert (root / name).exists(), name
        info = bag.info
        assert info["Source-Organization"] == "Sở TTTT Lạng Sơn"
        assert info["Contact-Name"] == "Sở TTTT Lạng Sơn"
        assert info["External-Identifier"] == f"{vi.identifier}/{record.language}"
        assert info["Bagging-Date"]
        size, count = info["Payload-Oxum"].split(".")
        payload = [p for p in (root / "data").rglob("*") if p.is_file()]
        assert int(count) == len(payload) and int(size) == sum(p.stat().st_size for p in payload)

        data = root / "data"
        # the original is kept; a master rendition was READY, so it is the master
        meta = json.loads((data / "metadata" / "metadata.json").read_text())
        roles = {(f["role"], f.get("profile", "")) for f in meta["files"]}
        assert {("original", "original"), ("master", "broadcast-master"),
                ("delivery", "radio-loudspeaker"), ("delivery", "phone-audio"),
                ("cover", ""), ("thumbnail", "")} <= roles
        for entry in meta["files"]:
            assert (root / entry["path"]).is_file(), entry
        assert record.contents == meta["files"]
        assert (data / "media/audio/broadcast-master.mp2").stat().st_size > 1000
        assert "Đồn biên phòng phối hợp với bà con & dân quân." in (
            data / "text/content.txt").read_text()
        html = (data / "text/content.html").read_text()
        assert f'lang="{record.language}"' in html and "Tuần tra biên giới" in html

        dc = assert_valid((data / "metadata/dublin-core.xml").read_bytes(), "oai_dc.xsd")
        values = dc_values(dc)
        iso = {"vi": "vi", "en": "en", "zh-hans": "zh"}[record.language]
        assert values("language") == [iso]
        assert values("publisher") == ["Sở TTTT Lạng Sơn"]
        assert values("coverage") == ["Lạng Sơn"]
        assert "Sound" in values("type") and "audio/mpeg" in values("format")
        assert vi.identifier in values("identifier")
        # dc:relation names the language versions live when the bag was made (vi, then en,
        # then zh-hans were published); all three share the Bag-Group-Identifier.
        before = {"vi": set(), "en": {"vi"}, "zh-hans": {"vi", "en"}}[record.language]
        assert set(values("relation")) == {f"{vi.identifier}/{o}" for o in before}
        assert info["Bag-Group-Identifier"] == vi.identifier
        assert values("rights") == [vi.rights]
    subjects = {r.language: json.loads(
        (tmp_path / r.language / f"{r.identifier}_{r.language}_v001" / "data/metadata/metadata.json"
         ).read_text())["subject"] for r in records}
    assert subjects == {"vi": ["Chủ quyền biên giới"], "en": ["Border sovereignty"],
                        "zh-hans": ["边境主权"]}

    # Again, through a proxy that notes every request: nothing is uploaded.
    delivery_settings["ENDPOINT_URL"] = proxy.endpoint
    call_command("deliver_to_ministry", "--no-progress")
    assert [verb for verb, _target in proxy.requests if verb in ("PUT", "POST")] == []
    assert DeliveryRecord.objects.count() == 3
    assert sorted(remote_keys(s3, bucket)) == sorted(r.key for r in records)


def test_changed_product_is_a_new_version_not_an_overwrite(products, delivery_settings, s3,
                                                          bucket, tmp_path,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = products.bulletin("Bản tin: Phòng chống buôn lậu")
    first = DeliveryRecord.objects.get()
    first_bytes = download(s3, bucket, first.key)

    page.title = "Bản tin: Phòng chống buôn lậu qua biên giới"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    second = DeliveryRecord.objects.exclude(pk=first.pk).get()
    assert (second.version, second.state) == (2, "delivered")
    assert second.key != first.key and second.key.endswith("_v002.tar")
    assert download(s3, bucket, first.key) == first_bytes  # version 1 untouched
    bag = unpack(download(s3, bucket, second.key), tmp_path / "v2")
    assert bag.info["External-Description"] == "Bản tin: Phòng chống buôn lậu qua biên giới"

    # Republishing without changes sends nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert DeliveryRecord.objects.count() == 2
    assert len(remote_keys(s3, bucket)) == 2
