"""Station downloads under load: 200 concurrent, throttled clients fetch a 15 MB bulletin.

Compared on the same file in the same run:
  * peer   — nginx serving the file directly from disk (a plain static location);
  * ours   — the production path: nginx in front of gunicorn with the project's own
             configuration (cms/gunicorn.conf.py: gthread workers) and the site
             `manage.py nginx_site` prints: each station's download is passed by the station
             gate (nginx auth_request; a yes kept 30 s per key and URL), nginx sends the file
             and logs it; the log is read into the download log afterwards (and checked);
  * streamed (optional, --streamed) — gunicorn alone streaming the file (the embedded
             default's FileResponse path) with 2 gthread workers x 16 threads.

While the clients download, a prober (a process of its own) requests a normal page (the home
page) through the same front door every 0.25 s: if application workers were tied up by
transfers, it would wait. Printed: throughput ratio, the time until the response headers
(median and p95; the key check's cost, goal p95 <= 3x nginx's), the home page's p95 during
the run (goal <= 300 ms) and the application's CPU per download (steadier than times on a
shared machine). Everything listens on 127.0.0.1 only; every loop is bounded in count and
time.

Before the rounds, every station asks for its file's headers once (HEAD) on the fresh
server, so that the measured rounds see a running server (threads with their database
connections); that cold burst's header p95 is printed too. The same burst is then asked again
on the warm server with nothing else running (--gate-bursts times): the gate alone, its
header p95 and its CPU per question split between the application, PostgreSQL's processes
for the site's database (when the server runs on this machine) and nginx. That split is the
steady figure: the CPU per download printed for the rounds includes the home page probes
(about 100 in a throttled round, each costing more than the gate's 200 questions together),
and subtracting them at their idle cost leaves an error of several ms per download. Each
round's questions are still asked afresh (nginx keeps no answers by default).

By default every client is a different station with its own key (the real case: each
question reaches the application once); --stations 1 gives them all one key (the
questions after the first are answered by nginx's memory).

  python -m bench downloads [--clients 200] [--stations N] [--size-mb 15] [--rate-kib 512]
                           [--streamed] [--sync-workers N] [--database-url URL]
                           [--gate-bursts N]

The site runs on a SQLite file by default; --database-url runs it on PostgreSQL (the
production shape, kept connections), e.g. with the test cluster:
  url=$(scripts/test-postgres start); python -m bench downloads --database-url "$url"
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the site under test ---------------------------------------------------------------

# The site's database: a SQLite file in the bench's folder, or a database of its own on the
# PostgreSQL server given with --database-url (made for the run, dropped after it).
DATABASE: dict[str, str] = {}


def environment(tmp: Path, method: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": "bench-only",
        "DATABASE_URL": DATABASE.get("url") or f"sqlite:///{tmp / 'bench.sqlite3'}",
        "LOA_VAR_DIR": str(tmp / "var"),
        "LOA_MEDIA_ROOT": str(tmp / "media"),
        "LOA_STATIC_ROOT": str(tmp / "static"),
        "LOA_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOA_SSL_REDIRECT": "0",
        "LOA_HSTS_SECONDS": "0",
        "LOA_MEDIA_SERVE_METHOD": method,
        "PYTHONPATH": str(ROOT),
    }


SETUP = r'''
import hashlib, subprocess, sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
import django
django.setup()
from django.conf import settings
from django.core.files import File
from django.core.management import call_command
from cms.organisations.models import Area, Level, Organisation
from cms.organisations.provisioning import setup_province
from cms.products.models import BulletinPage
from stations.models import Station
from media_pipeline.models import MediaItem, Rendition
from media_pipeline.probe import probe

call_command("migrate", verbosity=0)
call_command("collectstatic", "--no-input", verbosity=0)
area = Area.objects.create(name="Lạng Sơn", level=Level.PROVINCE, code="20")
Organisation.objects.create(name="Sở TTTT Lạng Sơn", short_name="Sở TTTT", area=area)
setup_province("Loa – đo tải")
mp3 = Path(sys.argv[1])
facts = probe(mp3)
item = MediaItem(title="Bản tin 15 MB")
item.apply_probe(facts)
with mp3.open("rb") as fh:
    item.file.save("ban-tin.mp3", File(fh), save=False)
item.save()
rendition = Rendition(source=item, profile="radio-loudspeaker", state="ready",
                      mime_type="audio/mpeg", size=mp3.stat().st_size,
                      sha256=hashlib.sha256(mp3.read_bytes()).hexdigest(),
                      duration=facts.duration, bit_rate=facts.bit_rate)
with mp3.open("rb") as fh:
    rendition.file.save("ban-tin.mp3", File(fh), save=False)
rendition.save()
section = Organisation.objects.get().section_page
page = BulletinPage(title="Bản tin đo tải", audio=item, locale=section.locale)
section.add_child(instance=page)
# Only the station's rendition is made here (no pipeline run), so publication does not wait
# for the other profiles.
settings.LOA_MEDIA_REQUIRE_READY_TO_PUBLISH = False
page.save_revision().publish()
for n in range(int(sys.argv[2])):
    station = Station.objects.create(name=f"Đài đo tải {n + 1}", level=Level.PROVINCE,
                                     area=area, languages=["vi"],
                                     audio_profile="radio-loudspeaker")
    key = station.rotate_key()
    print(f"/stations/{station.pk}/bulletins/{page.pk}/radio-loudspeaker/ban-tin.mp3?key={key}")
print(rendition.file.name)
'''


def make_bulletin(tmp: Path, size_mb: float) -> Path:
    """A real MP3 of about ``size_mb`` MB: 128 kb/s CBR is 16 000 bytes a second."""
    seconds = int(size_mb * 1_000_000 / 16_000)
    dest = tmp / "ban-tin.mp3"
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-f", "lavfi", "-i",
                    f"sine=frequency=440:sample_rate=44100:duration={seconds}", "-ac", "1",
                    "-c:a", "libmp3lame", "-b:a", "128k", str(dest)], check=True, timeout=600)
    return dest


NGINX_CONF = """
worker_processes 2;
daemon off;
user root;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 30;
  client_body_temp_path {tmp}/nginx-body;
  proxy_temp_path {tmp}/nginx-proxy;
  fastcgi_temp_path {tmp}/nginx-fastcgi;
  uwsgi_temp_path {tmp}/nginx-uwsgi;
  scgi_temp_path {tmp}/nginx-scgi;
  types {{ audio/mpeg mp3; text/html html; }}
  {server}
}}
"""


class Servers:
    def __init__(self):
        self.procs: list[subprocess.Popen] = []

    def start(self, cmd: list[str], env: dict, log: Path) -> None:
        with log.open("w") as out:
            self.procs.append(subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out,
                                               stderr=subprocess.STDOUT,
                                               start_new_session=True))

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def _stat(path: Path) -> list[str] | None:
    """A /proc/<pid>/stat's fields after the command name (pgrp at 2, utime and stime at 11
    and 12), or None once the process is gone."""
    try:
        return path.read_text().rpartition(")")[2].split()
    except OSError:
        return None


def _cpu_seconds(stats) -> float:
    return sum(int(f[11]) + int(f[12]) for f in stats if f) / os.sysconf("SC_CLK_TCK")


def group_cpu(pgid: int) -> float:
    """CPU seconds used so far by every process of a process group (gunicorn's master and
    its workers; nginx's), from /proc."""
    stats = (_stat(path) for path in Path("/proc").glob("[0-9]*/stat"))
    return _cpu_seconds(f for f in stats if f and int(f[2]) == pgid)


def process_cpu(pids: list[int]) -> float:
    """CPU seconds used so far by the processes ``pids`` (those still running), from /proc."""
    return _cpu_seconds(_stat(Path(f"/proc/{pid}/stat")) for pid in pids)


def database_backends() -> list[int]:
    """The PostgreSQL server processes serving the site's database (when the server runs on
    this machine, their CPU is the database's share of a download); none on SQLite."""
    if not DATABASE.get("url"):
        return []
    import psycopg

    with psycopg.connect(DATABASE["url"], autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                            " AND pid <> pg_backend_pid()").fetchall()
    return [pid for (pid,) in rows]


@dataclass
class Meter:
    """CPU of the application (gunicorn's process group), of PostgreSQL's processes for the
    site and of nginx (its process group), between ``start`` and ``stop``."""

    app_group: int
    nginx_group: int
    started: tuple[float, float, float] = (0.0, 0.0, 0.0)
    backends: list[int] = field(default_factory=list)

    def now(self) -> tuple[float, float, float]:
        return (group_cpu(self.app_group), process_cpu(self.backends),
                group_cpu(self.nginx_group))

    def start(self) -> None:
        self.backends = database_backends()
        self.started = self.now()

    def stop(self) -> tuple[float, float, float]:
        return tuple(b - a for a, b in zip(self.started, self.now(), strict=True))

    @staticmethod
    def per(used: tuple[float, float, float], count: int) -> str:
        app, database, nginx = (value / max(count, 1) * 1000 for value in used)
        return f"application {app:.2f} ms, PostgreSQL {database:.2f} ms, nginx {nginx:.2f} ms"


def postgres_database(server_url: str, create: bool) -> str:
    """A fresh database on the PostgreSQL server at ``server_url`` (created, or dropped when
    ``create`` is false); its URL."""
    import psycopg

    parts = urlsplit(server_url)
    name = f"loa_bench_{os.getpid()}"
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")),
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def wait_for_port(port: int, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


# --- the clients ----------------------------------------------------------------------

@dataclass
class Result:
    bytes: int = 0
    ok: int = 0
    failed: list[str] = field(default_factory=list)
    page_latencies: list[float] = field(default_factory=list)
    page_failures: int = 0
    seconds: float = 0.0
    digest_seen: int = 0
    first_byte: list[float] = field(default_factory=list)  # seconds until the headers


READ_LIMIT = 128 * 1024


async def http_get(port: int, path: str, rate: int, result: Result | None,
                   expect: int | None, method: str = "GET") -> tuple[int, dict, int]:
    asked = time.monotonic()
    # A small read buffer: the kernel's socket buffers hold what a throttled client has not
    # read yet, as for a real station. With 1 MiB here (2 MiB buffered per connection) the
    # clients' process grew from 210 to 740 MB in the first round (see run_load).
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=READ_LIMIT)
    writer.write(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                 f"User-Agent: loa-bench\r\n\r\n".encode())
    await writer.drain()
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {k.lower(): v.strip() for k, _s, v in (h.partition(":") for h in head[1:] if h)}
    if result is not None and expect is not None:
        result.first_byte.append(time.monotonic() - asked)
    received, started = 0, time.monotonic()
    while True:
        block = await reader.read(64 * 1024)
        if not block:
            break
        received += len(block)
        if rate:
            ahead = received / rate - (time.monotonic() - started)
            if ahead > 0:
                await asyncio.sleep(ahead)
    writer.close()
    if result is not None and expect is not None:
        if status == 200 and received == expect:
            result.ok += 1
            result.bytes += received
            result.digest_seen += "repr-digest" in headers
        else:
            result.failed.append(f"{status} {received}")
    return status, headers, received


async def probe_pages(port: int, stop: asyncio.Event, result: Result) -> None:
    while not stop.is_set():
        started = time.monotonic()
        try:
            status, _h, _n = await asyncio.wait_for(http_get(port, "/", 0, None, None), 30)
            if status == 200:
                result.page_latencies.append(time.monotonic() - started)
            else:
                result.page_failures += 1
        except (TimeoutError, OSError):
            result.page_failures += 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.25)


def probe_process(port: int, done, results) -> None:
    """``probe_pages`` in a process of its own: in the clients' event loop, which is busy
    reading hundreds of MB/s, a probe would wait for the loop, not for the server."""
    result = Result()

    async def main() -> None:
        stop = asyncio.Event()
        prober = asyncio.create_task(probe_pages(port, stop, result))
        while not done.is_set():
            await asyncio.sleep(0.05)
        stop.set()
        await prober

    asyncio.run(main())
    results.send((result.page_latencies, result.page_failures))


async def run_load(port: int, paths: list[str], clients: int, rate: int, size: int,
                   page_port: int) -> Result:
    """``clients`` downloads at once, client n fetching ``paths[n % len(paths)]``, while
    another process probes the home page."""
    result = Result()
    # A fresh interpreter, not a fork of this process: a fork shares the clients' memory
    # copy-on-write for the whole round. With the old 740 MB clients' process, a round's
    # requests sometimes reached nginx 100-300 ms late (the clients' own delay, counted as
    # the server's header time).
    context = multiprocessing.get_context("spawn")
    done = context.Event()
    receive, send = context.Pipe(duplex=False)
    prober = context.Process(target=probe_process, args=(page_port, done, send))
    prober.start()
    started = time.monotonic()
    outcomes = await asyncio.gather(*[http_get(port, paths[n % len(paths)], rate, result, size)
                                      for n in range(clients)], return_exceptions=True)
    result.seconds = time.monotonic() - started
    result.failed += [repr(o) for o in outcomes if isinstance(o, BaseException)]
    done.set()
    if receive.poll(60):
        result.page_latencies, result.page_failures = receive.recv()
    prober.join(timeout=10)
    return result


def warm_up(port: int, paths: list[str]) -> tuple[float, int]:
    """Every station asks for its file's headers once (HEAD, not logged as a download), all
    at once: the web processes' threads open their database connections, as on a server
    that has been running. Returns the header time p95 of this cold burst and the number
    of answers that were not 200."""
    async def burst() -> tuple[float, int]:
        result = Result()
        answers = await asyncio.gather(*[http_get(port, path, 0, result, 0, "HEAD")
                                         for path in paths], return_exceptions=True)
        bad = sum(1 for a in answers if isinstance(a, BaseException) or a[0] != 200)
        return p95(result.first_byte), bad

    return asyncio.run(burst())


def idle_latency(port: int, count: int = 8) -> float:
    async def measure() -> float:
        times = []
        for _ in range(count):
            started = time.monotonic()
            await http_get(port, "/", 0, None, None)
            times.append(time.monotonic() - started)
        return statistics.median(times)

    return asyncio.run(measure())


def p95(values: list[float]) -> float:
    ordered = sorted(values) or [0.0]
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(name: str, r: Result) -> float:
    mbps = r.bytes / r.seconds / 1e6
    lat = sorted(r.page_latencies)
    page = f"page: none answered ({r.page_failures} failed)"
    if lat:
        page = (f"home page during run: median {statistics.median(lat) * 1000:.0f} ms, "
                f"p95 {p95(lat) * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms over {len(lat)} "
                f"requests, {r.page_failures} failed")
    ttfb = sorted(r.first_byte) or [0.0]
    print(f"  {name:<28} {r.ok:>4} ok, {len(r.failed):>3} failed, {r.bytes / 1e6:8.1f} MB in "
          f"{r.seconds:6.1f} s = {mbps:7.1f} MB/s aggregate; response headers after median "
          f"{statistics.median(ttfb) * 1000:.0f} ms, p95 {p95(ttfb) * 1000:.0f} ms, "
          f"max {ttfb[-1] * 1000:.0f} ms")
    print(f"    {page}")
    if r.failed:
        print(f"    failures (first 3): {r.failed[:3]}")
    return mbps


def ingested(tmp: Path) -> int:
    """Rows ``manage.py ingest_downloads`` makes from nginx's log (run twice: the second
    run must add nothing)."""
    command = [PYTHON, "manage.py", "ingest_downloads", "--log", str(tmp / "loa-downloads.log"),
               "--state", str(tmp / "offsets.json"), "-v0"]
    for _ in range(2):
        subprocess.run(command, env=environment(tmp, "nginx"), cwd=ROOT, check=True,
                       timeout=600)
    count = [PYTHON, "manage.py", "shell", "-c",
             "from stations.models import DownloadLog; print(DownloadLog.objects.count())"]
    out = subprocess.run(count, env=environment(tmp, "nginx"), cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=600).stdout
    return int(out.strip().splitlines()[-1])


def site_writer(tmp: Path):
    """``stations.nginx.server_block`` with this site's settings (Django set up here too)."""
    import django

    os.environ.update(environment(tmp, "nginx"))
    django.setup()
    from stations.nginx import server_block

    return server_block


# --- main -------------------------------------------------------------------------------

def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench downloads", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--size-mb", type=float, default=15)
    parser.add_argument("--rate-kib", type=int, default=512,
                        help="per-client throttle in KiB/s for the throttled rounds")
    parser.add_argument("--stations", type=int, default=0,
                        help="distinct stations (keys) among the clients; default one per "
                             "client, the real case; 1 = every client with the same key")
    parser.add_argument("--streamed", action="store_true",
                        help="also measure gunicorn streaming without nginx")
    parser.add_argument("--sync-workers", type=int, default=0,
                        help="run gunicorn with N sync workers instead of cms/gunicorn.conf.py")
    parser.add_argument("--database-url", default="",
                        help="run the site on this PostgreSQL server (e.g. the URL "
                             "`scripts/test-postgres start` prints; the bench makes a database "
                             "of its own there and drops it afterwards); default a SQLite file")
    parser.add_argument("--gate-bursts", type=int, default=1,
                        help="how many times the gate alone is measured (its spread)")
    args = parser.parse_args(argv)
    if not shutil.which("nginx"):
        print("nginx is not installed (Debian package nginx-light)")
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="loa-bench-downloads-"))
    servers = Servers()
    if args.database_url:
        DATABASE["url"] = postgres_database(args.database_url, create=True)
    try:
        mp3 = make_bulletin(tmp, args.size_mb)
        size = mp3.stat().st_size
        stations = args.stations or args.clients
        setup = subprocess.run([PYTHON, "-c", SETUP, str(mp3), str(stations)],
                               env=environment(tmp, "nginx"), cwd=ROOT, capture_output=True,
                               text=True, timeout=900)
        if setup.returncode:
            print(setup.stdout, setup.stderr)
            return 1
        *station_paths, stored_name = setup.stdout.strip().splitlines()[-stations - 1:]
        app_port, nginx_port = free_port(), free_port()
        workers = str(2 * (os.cpu_count() or 1) + 1)
        if args.sync_workers:
            model = f"{args.sync_workers} sync workers"
            web = [PYTHON, "-m", "gunicorn", "cms.wsgi:application", "-w",
                   str(args.sync_workers), "-b", f"127.0.0.1:{app_port}", "--timeout", "120"]
        else:
            model = "cms/gunicorn.conf.py (gthread)"
            web = [PYTHON, "-m", "gunicorn", "-c", str(ROOT / "cms" / "gunicorn.conf.py"),
                   "cms.wsgi:application"]
        servers.start(web, {**environment(tmp, "nginx"), "LOA_WEB_BIND": f"127.0.0.1:{app_port}"},
                      tmp / "gunicorn.log")
        conf = tmp / "nginx.conf"
        server_block = site_writer(tmp)
        # The peer: nginx serving the same file straight from disk, beside Loa's own block.
        server = server_block(listen=f"127.0.0.1:{nginx_port}", media_root=tmp / "media",
                              upstream=f"127.0.0.1:{app_port}",
                              prefix="/protected-media/",  # production's LOA_MEDIA_ACCEL_PREFIX
                              extra=f"location /direct/ {{ alias {tmp / 'media'}/; }}\n",
                              download_log=str(tmp / "loa-downloads.log"),
                              gate_cache=str(tmp / "gate-cache"))
        conf.write_text(NGINX_CONF.format(tmp=tmp, server=server))
        servers.start(["nginx", "-c", str(conf), "-p", str(tmp)], os.environ,
                      tmp / "nginx.log")
        wait_for_port(app_port)
        wait_for_port(nginx_port)
        rate = args.rate_kib * 1024
        database = "PostgreSQL" if args.database_url else "SQLite"
        print(f"Loa station downloads: {args.clients} concurrent clients of {stations} "
              f"station(s), file {size / 1e6:.1f} MB"
              f" (MP3 128 kb/s), loopback; {database}; gunicorn {model}, nginx 2 workers; "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
        idle_latency(nginx_port, 4)  # each web process renders its first page
        page_cpu = group_cpu(servers.procs[0].pid)
        print(f"  idle page latency: median {idle_latency(nginx_port, 16) * 1000:.0f} ms")
        page_cpu = (group_cpu(servers.procs[0].pid) - page_cpu) / 16
        cold, bad = warm_up(nginx_port, station_paths)
        print(f"  warm-up, every station's HEAD at once on the fresh server: header p95 "
              f"{cold * 1000:.0f} ms, {bad} not 200 (not in the ratios below)")
        # The gate alone: the same burst on the warm server, nothing else asking (no home
        # page probes, no file sent): its CPU per question, by process.
        meter = Meter(servers.procs[0].pid, servers.procs[1].pid)
        for _ in range(args.gate_bursts):
            meter.start()
            warm, bad = warm_up(nginx_port, station_paths)
            print(f"  gate alone, the same burst warm: header p95 {warm * 1000:.0f} ms, {bad} "
                  f"not 200; CPU per question: {meter.per(meter.stop(), len(station_paths))}")
        figures = {}
        for label, throttle in ((f"throttled {args.rate_kib} KiB/s per client", rate),
                                ("unthrottled", 0)):
            print(f"Round: {label}")
            peer = asyncio.run(run_load(nginx_port, [f"/direct/{stored_name}"], args.clients,
                                        throttle, size, nginx_port))
            meter.start()
            ours = asyncio.run(run_load(nginx_port, station_paths, args.clients, throttle,
                                        size, nginx_port))
            used = meter.stop()
            cpu = used[0]  # the application's process group
            peer_mbps = report("nginx direct (peer)", peer)
            ours_mbps = report("Loa via the station gate", ours)
            # Load on the machine stretches waits, not CPU seconds: this one travels.
            # The home page probes' share estimated from the idle pages' CPU each.
            probes = len(ours.page_latencies) + ours.page_failures
            gate_cpu = max(cpu - probes * page_cpu, 0.0)
            print(f"    application CPU during Loa's round: {cpu:.2f} s "
                  f"({cpu / args.clients * 1000:.1f} ms per download with the home page "
                  f"probes; without their {probes} x {page_cpu * 1000:.0f} ms: "
                  f"{gate_cpu / args.clients * 1000:.2f} ms per download)")
            print(f"    CPU per download, probes included: {meter.per(used, args.clients)}")
            print(f"  ratio Loa/nginx: {ours_mbps / peer_mbps:.2f} (goal >= 0.80); "
                  f"checksum header on {ours.digest_seen}/{ours.ok} Loa downloads")
            header_ratio = p95(ours.first_byte) / max(p95(peer.first_byte), 1e-3)
            home = p95(ours.page_latencies + peer.page_latencies) * 1000
            print(f"  gated header time p95: Loa {p95(ours.first_byte) * 1000:.0f} ms, nginx "
                  f"{p95(peer.first_byte) * 1000:.0f} ms = {header_ratio:.2f}x (goal <= 3x); "
                  f"home page p95 during Loa's round {p95(ours.page_latencies) * 1000:.0f} ms, "
                  f"both rounds {home:.0f} ms (goal <= 300 ms)")
            figures[label] = ours_mbps / peer_mbps
        logged = ingested(tmp)
        print(f"Download log read from nginx's access log: {logged} rows for "
              f"{2 * args.clients} gated downloads")
        if args.streamed:
            stream_port = free_port()
            servers.start([PYTHON, "-m", "gunicorn", "cms.wsgi:application", "-w", workers,
                           "--worker-class", "gthread", "--threads", "16", "-b",
                           f"127.0.0.1:{stream_port}", "--timeout", "300"],
                          environment(tmp, "django"), tmp / "gunicorn-streamed.log")
            wait_for_port(stream_port)
            print("Round: unthrottled, gunicorn streaming alone (embedded-default path)")
            streamed = asyncio.run(run_load(stream_port, station_paths, args.clients, 0, size,
                                            stream_port))
            report("Loa streamed by gunicorn", streamed)
        return 0
    finally:
        servers.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        if args.database_url:
            postgres_database(args.database_url, create=False)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
