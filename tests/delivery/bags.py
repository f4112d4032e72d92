"""Reading delivered packages back from the object store, as the Ministry would."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
from pathlib import Path

import bagit
from lxml import etree

SCHEMAS = Path(__file__).resolve().parents[2] / "delivery" / "schemas"
_schemas: dict[str, etree.XMLSchema] = {}


def schema(name: str) -> etree.XMLSchema:
    if name not in _schemas:
        _schemas[name] = etree.XMLSchema(etree.parse(str(SCHEMAS / name)))
    return _schemas[name]


def assert_valid(xml: bytes, schema_name: str = "harvest.xsd") -> etree._Element:
    doc = etree.fromstring(xml)
    checker = schema(schema_name)
    assert checker.validate(doc), checker.error_log
    return doc


def download(client, bucket: str, key: str) -> bytes:
    return client.get_object(Bucket=bucket, Key=key)["Body"].read()


def unpack(data: bytes, folder: Path) -> bagit.Bag:
    """Extract a package tar and open (and fully validate) the bag inside it."""
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        names = tar.getnames()
        tar.extractall(folder, filter="data")
    top = {name.split("/")[0] for name in names}
    assert len(top) == 1, top
    bag = bagit.Bag(str(folder / top.pop()))
    bag.validate()
    return bag


def composite_sha256(data: bytes, part_size: int) -> str:
    digests = [hashlib.sha256(data[i:i + part_size]).digest()
               for i in range(0, len(data), part_size)]
    return base64.b64encode(hashlib.sha256(b"".join(digests)).digest()).decode()
