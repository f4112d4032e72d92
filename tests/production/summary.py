"""What an administrator checks after a restore, read the same way from the installation
that was backed up (in the test process) and from the restored one (``manage.py shell``):
pages and their publication states, every stored file's SHA-256, media renditions, stations
and whether their keys still open them, delivery records."""

from __future__ import annotations

import hashlib
import json
import os

SCRIPT = "from tests.production.summary import main; main()"


def _digest(name: str) -> str:
    from django.core.files.storage import default_storage

    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def summary(keys: dict[str, str]) -> dict:
    """``keys``: station id -> the key given to that station."""
    from wagtail.models import Page

    from cms.backups.media import stored_names
    from delivery.models import DeliveryRecord
    from media_pipeline.models import MediaItem, Rendition
    from stations.models import Station

    result = {
        "pages": list(Page.objects.order_by("pk").values_list(
            "pk", "title", "live", "live_revision_id", "has_unpublished_changes",
            "locale__language_code", "content_type__model")),
        "files": {name: _digest(name) for name in stored_names()},
        "media_items": list(MediaItem.objects.order_by("pk").values_list("pk", "file")),
        "renditions": list(Rendition.objects.order_by("pk").values_list(
            "pk", "source_id", "profile", "state", "file", "sha256", "size")),
        "stations": [[s.pk, s.name, s.has_key, s.key_matches(keys.get(str(s.pk), "x"))]
                     for s in Station.objects.order_by("pk")],
        "deliveries": list(DeliveryRecord.objects.order_by("pk").values_list(
            "identifier", "language", "version", "kind", "state", "key", "checksum_sha256")),
    }
    return json.loads(json.dumps(result))  # tuples to lists, as they come back from a process


def main() -> None:
    print(json.dumps(summary(json.loads(os.environ.get("LOA_TEST_KEYS", "{}")))))
