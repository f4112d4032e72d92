#!/usr/bin/env python3
"""Loa – chương trình đồng bộ bản tin cho đài truyền thanh (station sync client).

Keeps a folder in step with a station's private feed: downloads each new bulletin,
resumes a broken download where it stopped (HTTP Range + If-Range), checks the SHA-256
the feed and the server announce, and only then gives the file its final name. A
half-downloaded file is only ever called ``NAME.part``. Running it again downloads nothing
new. Python 3.8+ standard library only: copy this one file to the station's computer.

  python3 loa_sync.py sync --feed URL --dest FOLDER [--key-file FILE]
  python3 loa_sync.py report --feed URL --guid GUID --date 2025-01-31 --time 06:30 --times 2
  python3 loa_sync.py zim --index https://loa.example/zim/index.json --dest /srv/kiwix
      [--language tyz] [--flavour kiosk] [--library /srv/kiwix/library.xml]

The ``zim`` command keeps a support-point box's offline e-library (ZIM files for Kiwix)
current the same way: newest file of each language, resumed, checked, swapped atomically,
then (``--library``) a fresh kiwix-manage library that ``kiwix-serve -M`` reloads.

Cron, every 15 minutes (see docs/stations.md):
  */15 * * * * python3 /opt/loa/loa_sync.py --key-file /etc/loa/key sync
      --feed https://loa.example/stations/12/feeds/tyz.xml --dest /srv/ban-tin
      >> /var/log/loa-sync.log 2>&1          (all on one line)
"""

from __future__ import annotations

import argparse
import base64
import datetime
import fcntl
import hashlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

NS = {"podcast": "https://podcastindex.org/namespace/1.0",
      "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}
MANIFEST = ".loa-sync.json"
LOCK = ".loa-sync.lock"
CHUNK = 64 * 1024
USER_AGENT = "loa-sync/1"
NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, ConnectionError,
                  socket.timeout, TimeoutError)


class SyncError(Exception):
    """An error for this bulletin only; the others go on."""


def say(message: str) -> None:
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    print(f"{stamp} {message}", flush=True)


# --- the feed ---------------------------------------------------------------------------

class Episode:
    def __init__(self, guid, title, url, size, mime_type, sha256):
        self.guid, self.title, self.url = guid, title, url
        self.size, self.mime_type, self.sha256 = size, mime_type, sha256

    @property
    def filename(self) -> str:
        path = urllib.parse.urlparse(self.url).path
        ext = os.path.splitext(path)[1] or ".bin"
        return re.sub(r"[^A-Za-z0-9._-]+", "_", self.guid).strip("_") + ext


def sri_to_hex(value: str) -> str:
    algo, _sep, b64 = value.partition("-")
    if algo.lower() != "sha256" or not b64:
        return ""
    return base64.b64decode(b64).hex()


def parse_feed(xml_bytes: bytes, alternate: bool) -> list:
    """The episodes of an RSS feed: the main enclosure, or with ``alternate`` the
    non-default podcast:alternateEnclosure (the low-bit-rate version) where there is one.
    The SHA-256 comes from the podcast:integrity of the matching alternateEnclosure."""
    root = ET.fromstring(xml_bytes)
    episodes = []
    for item in root.iter("item"):
        guid = (item.findtext("guid") or "").strip()
        enclosure = item.find("enclosure")
        if not guid or enclosure is None:
            continue
        alternates = []
        for alt in item.findall("podcast:alternateEnclosure", NS):
            source = alt.find("podcast:source", NS)
            integrity = alt.find("podcast:integrity", NS)
            if source is None:
                continue
            sha = sri_to_hex(integrity.get("value", "")) if integrity is not None else ""
            alternates.append((alt.get("default") == "true", source.get("uri"),
                               int(alt.get("length") or 0), alt.get("type", ""), sha))
        url = enclosure.get("url")
        chosen = (url, int(enclosure.get("length") or 0), enclosure.get("type", ""),
                  next((a[4] for a in alternates if a[1] == url), ""))
        low = next((a for a in alternates if not a[0]), None)
        if alternate and low is not None:
            chosen = low[1:]
        episodes.append(Episode(guid, item.findtext("title") or guid, *chosen))
    return episodes


# --- HTTP -----------------------------------------------------------------------------

class Http:
    def __init__(self, key: str, timeout: float, rate_limit: int):
        self.key, self.timeout, self.rate_limit = key, timeout, rate_limit

    def open(self, url: str, headers=None, data=None):
        request = urllib.request.Request(url, data=data, headers={"User-Agent": USER_AGENT,
                                                                   **(headers or {})})
        if self.key:
            token = base64.b64encode(f"station:{self.key}".encode()).decode()
            # Unredirected: never sent on to another host (an S3 presigned URL).
            request.add_unredirected_header("Authorization", f"Basic {token}")
        return urllib.request.urlopen(request, timeout=self.timeout)

    def copy(self, response, out) -> int:
        """Copy the body to ``out``, no faster than the rate limit; flush every block so a
        kill loses at most one block."""
        copied, started = 0, time.monotonic()
        while True:
            block = response.read(CHUNK)
            if not block:
                return copied
            out.write(block)
            out.flush()
            copied += len(block)
            if self.rate_limit:
                ahead = copied / self.rate_limit - (time.monotonic() - started)
                if ahead > 0:
                    time.sleep(ahead)


def digest_header_hex(headers) -> str:
    """SHA-256 from Repr-Digest (RFC 9530) or the older Digest header."""
    repr_digest = headers.get("Repr-Digest", "")
    match = re.search(r"sha-256=:([A-Za-z0-9+/=]+):", repr_digest)
    if not match:
        match = re.search(r"SHA-256=([A-Za-z0-9+/=]+)", headers.get("Digest", ""), re.I)
    return base64.b64decode(match.group(1)).hex() if match else ""


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


# --- one file -----------------------------------------------------------------------

def read_json(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return {}


def write_json(path: str, data: dict) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def download_once(http: Http, episode: Episode, part: str, state_path: str) -> dict:
    """One request: continue ``part`` from its current size. Returns the response facts."""
    state = read_json(state_path)
    offset = os.path.getsize(part) if os.path.exists(part) else 0
    if state.get("url") != episode.url:
        offset, state = 0, {"url": episode.url}
    headers = {}
    if offset:
        headers["Range"] = f"bytes={offset}-"
        if state.get("etag"):
            headers["If-Range"] = state["etag"]
    try:
        response = http.open(episode.url, headers)
    except urllib.error.HTTPError as exc:
        if exc.code == 416:  # nothing left to send: the part is whole (checked below)
            return {"sha256": state.get("sha256", "")}
        if exc.code in (401, 403, 404, 410):
            raise SyncError(f"máy chủ từ chối ({exc.code}): khóa sai/bị thu hồi hoặc "
                            "bản tin đã bị gỡ") from exc
        raise
    with response:
        if response.status == 206:
            first = re.match(r"bytes (\d+)-", response.headers.get("Content-Range", ""))
            if not first or int(first.group(1)) != offset:
                raise SyncError("máy chủ trả sai đoạn tệp")
            mode = "ab"
        else:  # 200: the whole file again (server ignored Range, or the file changed)
            mode = "wb"
            if offset:
                say("  tệp trên máy chủ đã đổi hoặc không nối tiếp được: tải lại từ đầu")
        state.update(etag=response.headers.get("ETag", ""),
                     sha256=digest_header_hex(response.headers))
        write_json(state_path, state)
        with open(part, mode) as out:
            http.copy(response, out)
            os.fsync(out.fileno())
    return state


def fetch(http: Http, episode: Episode, dest: str, retries: int) -> str:
    """Download ``episode`` into ``dest`` under its final name; returns its SHA-256."""
    final = os.path.join(dest, episode.filename)
    part, state_path = final + ".part", final + ".part.json"
    for attempt in range(1, retries + 1):
        try:
            state = download_once(http, episode, part, state_path)
        except NETWORK_ERRORS as exc:
            wait = min(2 ** attempt, 60)
            have = os.path.getsize(part) if os.path.exists(part) else 0
            say(f"  mất kết nối ({exc}); đã có {have} byte, thử lại sau {wait} giây")
            time.sleep(wait)
            continue
        have = os.path.getsize(part) if os.path.exists(part) else 0
        if episode.size and have < episode.size:
            say(f"  mới nhận {have}/{episode.size} byte, tải tiếp")
            continue
        expected = episode.sha256 or state.get("sha256", "")
        actual = file_sha256(part)
        if (episode.size and have != episode.size) or (expected and actual != expected):
            for stale in (part, state_path):
                if os.path.exists(stale):
                    os.remove(stale)
            say("  tổng kiểm tra SHA-256 không khớp: bỏ tệp, tải lại từ đầu")
            continue
        if not expected:
            say("  cảnh báo: máy chủ không cho biết SHA-256, chỉ kiểm tra được dung lượng")
        os.replace(part, final)  # atomic: the final name only ever holds a whole file
        if os.path.exists(state_path):
            os.remove(state_path)
        return actual
    raise SyncError(f"không tải xong sau {retries} lần thử; lần sau sẽ tải tiếp phần còn lại")


# --- commands -----------------------------------------------------------------------

def read_key(args) -> str:
    if args.key_file:
        with open(args.key_file, encoding="utf-8") as fh:
            return fh.read().strip()
    return args.key or os.environ.get("LOA_STATION_KEY", "")


def is_current(dest: str, episode: Episode, known: dict) -> bool:
    path = os.path.join(dest, episode.filename)
    if not known or not os.path.exists(path):
        return False
    same_bytes = (not episode.sha256) or known.get("sha256") == episode.sha256
    return same_bytes and os.path.getsize(path) == (episode.size or os.path.getsize(path))


def lock_dest(dest: str):
    """The folder's lock file, held for the whole run; None when another run holds it."""
    os.makedirs(dest, exist_ok=True)
    lock = open(os.path.join(dest, LOCK), "w")  # noqa: SIM115 - held for the whole run
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        say("Một lần đồng bộ khác đang chạy trong thư mục này; bỏ qua lần này.")
        return None
    return lock


def fetch_missing(http, episodes, args, manifest: dict, manifest_path: str,
                  label) -> tuple[int, int]:
    """Download every episode the folder lacks, checking each against its SHA-256 and
    writing the manifest after each one (a killed run keeps what it finished).
    Returns (fetched, failed)."""
    fetched = failed = 0
    for episode in episodes:
        if is_current(args.dest, episode, manifest.get(episode.guid)):
            continue
        say(f"Tải: {label(episode)} ({episode.size} byte)")
        try:
            sha = fetch(http, episode, args.dest, args.retries)
        except SyncError as exc:
            say(f"  LỖI: {exc}")
            failed += 1
            continue
        manifest[episode.guid] = {"file": episode.filename, "sha256": sha, "size": episode.size,
                                  "title": episode.title,
                                  "downloaded_at": datetime.datetime.now().isoformat()}
        write_json(manifest_path, manifest)
        fetched += 1
        say(f"  xong, SHA-256 đúng: {sha[:16]}…")
    return fetched, failed


def sync(args) -> int:
    lock = lock_dest(args.dest)
    if lock is None:
        return 0
    http = Http(read_key(args), args.timeout, args.rate_limit)
    try:
        with http.open(args.feed) as response:
            episodes = parse_feed(response.read(), args.alternate)
    except urllib.error.HTTPError as exc:
        say(f"Không mở được nguồn tin ({exc.code}): kiểm tra địa chỉ và khóa truy cập.")
        return 2
    except (*NETWORK_ERRORS, ET.ParseError) as exc:
        say(f"Không đọc được nguồn tin: {exc}")
        return 2
    manifest_path = os.path.join(args.dest, MANIFEST)
    manifest = read_json(manifest_path)
    fetched, failed = fetch_missing(http, episodes, args, manifest, manifest_path,
                                    lambda e: f"{e.title} -> {e.filename}")
    if args.prune:
        fetched_guids = {e.guid for e in episodes}
        for guid in [g for g in manifest if g not in fetched_guids]:
            path = os.path.join(args.dest, manifest.pop(guid)["file"])
            if os.path.exists(path):
                os.remove(path)
            say(f"Đã xóa bản tin không còn trong nguồn tin (đã gỡ): {path}")
        write_json(manifest_path, manifest)
    say(f"Đồng bộ xong: tải mới {fetched}, lỗi {failed}, tổng {len(episodes)} bản tin.")
    return 1 if failed else 0


# --- offline e-library (ZIM files for Kiwix) -------------------------------------------

ZIM_MANIFEST = ".loa-zim.json"


def zim_episodes(index: dict, languages: list, flavour: str) -> list:
    """The index's files this box wants, as downloads (name, URL, size, SHA-256)."""
    chosen = []
    for entry in index.get("files", []):
        if languages and entry.get("language") not in languages:
            continue
        if entry.get("flavour", "phone") != flavour:
            continue
        chosen.append(Episode(entry["name"], entry["name"], entry["url"], int(entry["size"]),
                              "application/x-zim", entry["sha256"]))
    return chosen


def write_library(dest: str, manifest: dict, library: str) -> None:
    """A new kiwix-manage library of the box's ZIM files, swapped in whole."""
    tmp = library + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    for entry in manifest.values():
        subprocess.run(["kiwix-manage", tmp, "add", os.path.join(dest, entry["file"])],
                       check=True, capture_output=True, timeout=600)
    os.replace(tmp, library)


def sync_zim(args) -> int:
    lock = lock_dest(args.dest)
    if lock is None:
        return 0
    http = Http(read_key(args), args.timeout, args.rate_limit)
    try:
        with http.open(args.index) as response:
            index = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        say(f"Không mở được danh sách tệp ZIM ({exc.code}): kiểm tra địa chỉ.")
        return 2
    except (*NETWORK_ERRORS, ValueError) as exc:
        say(f"Không đọc được danh sách tệp ZIM: {exc}")
        return 2
    manifest_path = os.path.join(args.dest, ZIM_MANIFEST)
    manifest = read_json(manifest_path)
    fetched, failed = fetch_missing(http, zim_episodes(index, args.language, args.flavour),
                                    args, manifest, manifest_path, lambda e: e.filename)
    if args.library and (fetched or not os.path.exists(args.library)):
        write_library(args.dest, manifest, args.library)
        say(f"Đã cập nhật thư viện Kiwix: {args.library}")
    say(f"Đồng bộ ZIM xong: tải mới {fetched}, lỗi {failed}.")
    return 1 if failed else 0


def airings_url(feed_url: str) -> str:
    parts = urllib.parse.urlsplit(feed_url)
    path = re.sub(r"/feeds/[^/]+\.xml$", "/airings.json", parts.path)
    return urllib.parse.urlunsplit(parts._replace(path=path))


def error_text(exc: urllib.error.HTTPError) -> str:
    raw = exc.read().decode("utf-8", "replace")
    try:
        errors = json.loads(raw).get("errors", {})
    except (ValueError, AttributeError):
        return raw.strip()
    return "; ".join(m for messages in errors.values() for m in messages)


def report(args) -> int:
    http = Http(read_key(args), args.timeout, 0)
    body = json.dumps({"guid": args.guid, "date": args.date, "time": args.time,
                       "times": args.times, "note": args.note}).encode()
    try:
        with http.open(airings_url(args.feed), {"Content-Type": "application/json"},
                       data=body) as response:
            answer = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        say(f"Báo cáo không được nhận ({exc.code}): {error_text(exc)}")
        return 1
    except NETWORK_ERRORS as exc:
        say(f"Không gửi được báo cáo: {exc}")
        return 1
    say(answer.get("message", "Đã gửi báo cáo."))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Đồng bộ bản tin Loa cho đài truyền thanh.")
    parser.add_argument("--key", help="khóa truy cập của đài (nên dùng --key-file)")
    parser.add_argument("--key-file", help="tệp chứa khóa truy cập")
    parser.add_argument("--timeout", type=float, default=60, help="giây chờ mạng (mặc định 60)")
    commands = parser.add_subparsers(dest="command", required=True)
    s = commands.add_parser("sync", help="tải các bản tin mới về thư mục")
    s.add_argument("--feed", required=True, help="địa chỉ nguồn tin riêng của đài")
    s.add_argument("--dest", required=True, help="thư mục lưu bản tin")
    s.add_argument("--alternate", action="store_true", help="tải bản nhẹ (bit rate thấp)")
    s.add_argument("--retries", type=int, default=8, help="số lần thử lại mỗi tệp")
    s.add_argument("--rate-limit", type=int, default=0,
                   help="giới hạn tốc độ tải, byte/giây (0: không giới hạn)")
    s.add_argument("--prune", action="store_true",
                   help="xóa tệp của bản tin đã bị gỡ khỏi nguồn tin")
    r = commands.add_parser("report", help="báo cáo đã phát một bản tin")
    r.add_argument("--feed", required=True, help="địa chỉ nguồn tin riêng của đài")
    r.add_argument("--guid", required=True, help="mã bản tin (guid trong nguồn tin)")
    r.add_argument("--date", default=datetime.date.today().isoformat(), help="ngày phát")
    r.add_argument("--time", required=True, help="giờ phát, HH:MM")
    r.add_argument("--times", type=int, default=1, help="số lần phát")
    r.add_argument("--note", default="", help="ghi chú")
    z = commands.add_parser("zim", help="tải tệp ZIM mới nhất cho máy Kiwix của điểm hỗ trợ")
    z.add_argument("--index", required=True, help="địa chỉ danh sách tệp ZIM (…/zim/index.json)")
    z.add_argument("--dest", required=True, help="thư mục lưu tệp ZIM")
    z.add_argument("--language", action="append", default=[],
                   help="chỉ ngôn ngữ này (mã, ví dụ tyz; lặp lại được; all: tệp mọi ngôn ngữ)")
    z.add_argument("--flavour", default="phone", help="phone (mặc định) hoặc kiosk")
    z.add_argument("--library", help="tệp thư viện kiwix-manage cần cập nhật")
    z.add_argument("--retries", type=int, default=8, help="số lần thử lại mỗi tệp")
    z.add_argument("--rate-limit", type=int, default=0,
                   help="giới hạn tốc độ tải, byte/giây (0: không giới hạn)")
    args = parser.parse_args(argv)
    commands_by_name = {"sync": sync, "report": report, "zim": sync_zim}
    return commands_by_name[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
