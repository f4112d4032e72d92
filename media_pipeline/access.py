"""Teach the private-media gate (cms.products.media_access) about HLS: every playlist and
segment under media/renditions/hls/<source>/<version>/ belongs to that source's READY hls
rendition, so it is public exactly when the master playlist is."""

from __future__ import annotations

import posixpath

from cms.products.media_access import StoredFile, register_resolver
from cms.url_converters import database_int

from .models import Rendition

HLS_PREFIX = "media/renditions/hls/"


@register_resolver(HLS_PREFIX)
def _hls_file(name: str) -> StoredFile | None:
    parts = name[len(HLS_PREFIX):].split("/")
    source_id = database_int(parts[0])
    if len(parts) < 3 or source_id is None:
        return None
    version_prefix = f"{HLS_PREFIX}{parts[0]}/{parts[1]}/"
    rendition = Rendition.objects.select_related("source").filter(
        source_id=source_id, profile="hls", state=Rendition.State.READY,
        file__startswith=version_prefix,
    ).first()
    return rendition and StoredFile(rendition.source, name, posixpath.basename(name))
