"""Which stored HLS file belongs to which rendition: every playlist and segment under
media/renditions/hls/<source>/<version>/ belongs to that source's READY hls rendition, so
it is public exactly when the master playlist is. The private-media gate (content floor)
asks this; the media pipeline knows nothing of the gate."""

from __future__ import annotations

import re

from .models import Rendition

HLS_PREFIX = "media/renditions/hls/"


def hls_rendition_for(name: str) -> Rendition | None:
    """The READY hls rendition whose version folder holds ``name``, or None."""
    parts = name[len(HLS_PREFIX):].split("/")
    # Ten digits at most: a longer number is no id a column holds (and SQLite could not
    # even bind it).
    if len(parts) < 3 or not re.fullmatch(r"[0-9]{1,10}", parts[0]):
        return None
    version_prefix = f"{HLS_PREFIX}{parts[0]}/{parts[1]}/"
    return Rendition.objects.select_related("source").filter(
        source_id=int(parts[0]), profile="hls", state=Rendition.State.READY,
        file__startswith=version_prefix,
    ).first()
