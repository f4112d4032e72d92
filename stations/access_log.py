"""The download log from nginx's access log: behind nginx the station gate (stations.gate)
lets nginx send the file and log it (format ``loa_downloads``, stations.nginx); this reads
those lines into ``DownloadLog``.

Safe to run as often as wanted (cron, every minute): each line carries nginx's
``$request_id`` and a row is made once per id, so reading a line again adds nothing. Where
each file was read up to is remembered by inode, so a run reads only the new lines, and
after logrotate renamed the log (``loa-downloads.log.1``) the rest of the old file is still
read before the new one.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cms.products.models import BulletinPage

from .models import DownloadLog, Station

FIELDS = ("request_id", "msec", "request_time", "station", "bulletin", "profile", "method",
          "status", "body_bytes", "content_range", "size", "address", "user_agent")
CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


@dataclass(frozen=True)
class Line:
    request_id: str
    finished: datetime.datetime
    seconds: float
    station_id: int
    bulletin_id: int
    profile: str
    start: int
    sent: int
    size: int
    client: str


def parse(text: str) -> Line | None:
    """A download that sent bytes of the file (GET, 200 or 206); None for anything else
    (a HEAD, a 304, a line cut short or not ours)."""
    values = text.rstrip("\n").split("\t")
    if len(values) != len(FIELDS):
        return None
    row = dict(zip(FIELDS, values, strict=True))
    if row["method"] != "GET" or row["status"] not in ("200", "206"):
        return None
    try:
        size = int(row["size"])
        start = 0
        if row["status"] == "206":
            match = CONTENT_RANGE.fullmatch(row["content_range"])
            if match is None:
                return None
            start, size = int(match[1]), int(match[3])
        finished = datetime.datetime.fromtimestamp(float(row["msec"]), tz=datetime.UTC)
        return Line(row["request_id"], finished, float(row["request_time"]),
                    int(row["station"]), int(row["bulletin"]), row["profile"][:40], start,
                    int(row["body_bytes"]), size,
                    f"{row['address']} {row['user_agent']}".strip()[:200])
    except ValueError:
        return None


def rows(lines: list[Line]) -> list[DownloadLog]:
    """Log rows for the lines whose station still exists (the bulletin may be gone)."""
    stations = set(Station.objects.filter(pk__in={line.station_id for line in lines})
                   .values_list("pk", flat=True))
    pages = BulletinPage.objects.filter(pk__in={line.bulletin_id for line in lines}) \
        .select_related("locale").in_bulk()
    made = []
    for line in lines:
        if line.station_id not in stations:
            continue
        page = pages.get(line.bulletin_id)
        made.append(DownloadLog(
            station_id=line.station_id, bulletin=page,
            bulletin_title=page.title[:255] if page else "",
            language=page.locale.language_code if page else "", profile=line.profile,
            started_at=line.finished - datetime.timedelta(seconds=line.seconds),
            finished_at=line.finished, range_start=line.start, bytes_sent=line.sent,
            file_size=line.size, complete=line.size > 0 and line.start + line.sent >= line.size,
            method="nginx", client=line.client, request_id=line.request_id,
        ))
    return made


def read_new(path: Path, offset: int) -> tuple[list[str], int]:
    """Whole lines after ``offset`` (a line nginx is still writing waits for next time)."""
    with path.open("rb") as fh:
        fh.seek(offset)
        data = fh.read()
    end = data.rfind(b"\n") + 1
    return data[:end].decode("utf-8", "replace").splitlines(), offset + end


class Offsets:
    """How far each log file (by inode) has been read, in a small JSON file."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.seen: dict[str, int] = json.loads(path.read_text())
        except (OSError, ValueError):
            self.seen = {}

    def save(self, inodes: set[str]) -> None:
        kept = {inode: offset for inode, offset in self.seen.items() if inode in inodes}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(kept))
        os.replace(tmp, self.path)


def ingest(log: Path, state: Path) -> int:
    """Read the rotated log, then the current one, from where the last run stopped; return
    the number of download-log rows added."""
    offsets = Offsets(state)
    added, inodes = 0, set()
    for path in (log.with_name(log.name + ".1"), log):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        inode = str(stat.st_ino)
        inodes.add(inode)
        offset = offsets.seen.get(inode, 0)
        texts, offsets.seen[inode] = read_new(path, offset if offset <= stat.st_size else 0)
        lines = [line for text in texts if (line := parse(text))]
        before = DownloadLog.objects.filter(request_id__isnull=False).count()
        DownloadLog.objects.bulk_create(rows(lines), ignore_conflicts=True, batch_size=500)
        added += DownloadLog.objects.filter(request_id__isnull=False).count() - before
    offsets.save(inodes)
    return added
