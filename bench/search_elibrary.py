"""E-library search and page speed with 20,000 products, against a bakerydemo-style peer.

    python -m bench search_elibrary                      # SQLite, then PostgreSQL
    python -m bench search_elibrary --db sqlite --products 5000
    python -m bench search_elibrary --engine                   # OpenSearch vs PostgreSQL
    python -m bench search_elibrary --engine --products 200000 --node-heap 1g
    python -m bench search_elibrary --quick              # 2,000 products, SQLite, fewer rounds

Two worker processes per database, each with its own throwaway database (SQLite files, or
two databases on a throwaway PostgreSQL cluster started with ``scripts/test-postgres``, or
on the server of ``DATABASE_URL`` when set), filled with the same text the same way:

* **ours**: the Loa site, bulletins under a section (five levels deep), our folding search
  backend (``search.backends.database``);
* **peer**: bakerydemo's ``StandardPage`` (``bench/_search_elibrary_peer``) under an index
  page, Wagtail's default database search backend.

Each worker makes one page the way an editor does (``add_child``, revision, publish), then
writes the other rows with bulk inserts (treebeard paths computed by treebeard), and fills
its search index with ``manage.py update_index``, as production does. The parent then sends
the same work to both, interleaved (alternating who goes first), so machine load hits both
alike:

* search: each query ``--repeat`` times; ours typed without tones through
  ``search_products`` + the search view's Paginator, the peer correctly accented through
  ``Page.objects.live().search()`` + a Paginator (the bakerydemo / ``wagtail start`` search
  view). A peer query slower than ``--peer-timeout`` is stopped (and not repeated) and
  counted at the limit, so its p95 is then a lower bound;
* page throughput (in-process client), ``--rounds`` rounds each: our bulletin page with
  the page cache off against the peer's standard page (goal: at least 0.9 times the
  peer's requests per second), and our bulletin page as production serves it (the page
  cache on, in files as the embedded default keeps it) against the peer's page uncached
  (goal: at least 5 times);
* with ``--engine``: one Loa site on PostgreSQL whose public search is also indexed on a
  search node (OpenSearch, ``scripts/search-node``); the same query mix through
  ``search_products`` on the engine and on our PostgreSQL backend, interleaved: p50/p95,
  searches per second, and the indexing time of each (``update_index``, the two side by
  side in two processes); the built site is kept as a pg_dump under var/bench/ and
  restored by later runs with the same product count (``Fixture``);
* wall time and the worker's CPU time (not distorted by other processes; PostgreSQL's own
  CPU is in its server processes) with medians, p95 and ratios; query plans of the broadest
  query; our page weights.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import importlib.metadata
import io
import json
import logging
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [  # (typed by villagers, correctly accented for the peer)
    ("bien gioi", "biên giới"), ("cot moc huu nghi", "cột mốc Hữu Nghị"),
    ("lua dao qua mang", "lừa đảo qua mạng"), ("nuoc sach", "nước sạch"),
    ("hat then dan tinh", "hát then đàn tính"), ("dong dang", "Đồng Đăng"),
    ("le hoi long tong", "Lễ hội Lồng tồng"), ("tin gia", "tin giả"),
    ("du lich mau son", "Du lịch Mẫu Sơn"), ("truong hoc", "Trường học"),
]
PAGE_SIZE = 20  # the search view's
# Built sites kept as pg_dump files (``--engine``), reused while nothing they depend on changes.
FIXTURES = ROOT / "var" / "bench"
FIXTURE_VERSION = "2"  # raise when OurSite builds its products differently


# ----------------------------------------------------------------------- worker process

def tree_path(parent_path: str, position: int) -> str:
    """The materialised path of a parent's child at ``position`` (1-based), as
    django-treebeard numbers them: ``steplen`` digits of its ``alphabet`` per level."""
    from wagtail.models import Page

    step = Page.numconv_obj().int2str(position)
    return parent_path + step.rjust(Page.steplen, "0")


def _send(out, message: dict) -> None:
    out.write(json.dumps(message) + "\n")
    out.flush()


def worker(side: str, products: int, sources: Path) -> int:
    """Build one site, then answer the parent's commands (JSON lines on stdin/stdout)."""
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # anything Django prints goes to stderr, not into the protocol
    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":  # a file, like the embedded default
        connection.settings_dict["TEST"]["NAME"] = str(Path(os.environ["LOA_VAR_DIR"]) / "db")
    fixture = None
    if os.environ.get("LOA_BENCH_FIXTURES") and connection.vendor == "postgresql":
        fixture = Fixture(Path(os.environ["LOA_BENCH_FIXTURES"]), products)
        connection.settings_dict["TEST"]["NAME"] = f"{old_name}_test"
    t = time.perf_counter()
    restored = fixture is not None and fixture.restore(connection.settings_dict["TEST"]["NAME"])
    connection.creation.create_test_db(verbosity=0, autoclobber=not restored, serialize=False,
                                       keepdb=restored)  # a restored database: nothing to migrate
    timings = {"migrate": time.perf_counter() - t}
    try:
        if restored:
            site = OurSite.restored(fixture, timings)
        else:
            site = (OurSite if side == "ours" else PeerSite)(products, sources, timings)
            if fixture is not None:
                fixture.save(connection.settings_dict["NAME"], timings)
        _send(out, {"vendor": connection.vendor, "timings": timings, "url": site.page_url})
        while line := sys.stdin.readline():
            command = json.loads(line)
            if command["cmd"] == "quit":
                break
            _send(out, getattr(site, command["cmd"])(**command.get("args", {})))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


def texts(n: int, rng: random.Random) -> tuple[str, str, list[str]]:
    """Title, summary and body paragraphs of product ``n``, the same on both sides."""
    from demo import data

    subject = data.SUBJECTS[n % len(data.SUBJECTS)]
    words = " ".join(data.SUBJECTS).split()
    return f"{subject} – {' '.join(rng.sample(words, 4))} ({n})", data.BODY[0], data.BODY


def insert_rows(model, instances) -> None:
    """Multi-table rows without save(): one executemany per table of the inheritance chain."""
    from django.db import connection

    if not instances:
        return
    for table_model in [*reversed(model._meta.get_parent_list()), model]:
        fields = table_model._meta.local_concrete_fields
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            connection.ops.quote_name(table_model._meta.db_table),
            ", ".join(connection.ops.quote_name(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)))
        # Values the copies share with the first one (the same object: its body, its media)
        # are prepared once; a StreamField serialises itself on every call.
        first = {f.attname: getattr(instances[0], f.attname) for f in fields}
        shared = {name: f.get_db_prep_save(first[name], connection)
                  for f in fields if (name := f.attname)}
        rows = [[shared[f.attname] if getattr(obj, f.attname) is first[f.attname]
                 else f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
                for obj in instances]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def clone_children(first, count: int, vary) -> list[int]:
    """``count - 1`` more children of ``first``'s parent, copies of ``first`` (a page made
    the editor's way) with their own ids, treebeard paths, slugs and texts; ``vary(page, n)``
    sets the texts. Returns the ids of all ``count`` pages."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from wagtail.models import Page

    model = type(first)
    parent = first.get_parent()
    start_id = Page.objects.order_by("-id").values_list("id", flat=True).first() + 1
    position = int(parent.get_last_child().path[-Page.steplen:], 36)  # append after it
    ids = [first.pk]
    with transaction.atomic():
        batch = []
        for n in range(1, count):
            page = copy.copy(first)  # every field, as the editor saved it
            page.pk = page.id = start_id + n - 1
            for table in (model, *model._meta.get_parent_list()):  # every parent link
                for link in filter(None, table._meta.parents.values()):
                    setattr(page, link.attname, page.id)
            page.path = tree_path(parent.path, position + n)
            page.slug = f"{first.slug}-{n}"
            page.url_path = f"{parent.url_path}{page.slug}/"
            page.translation_key = uuid.uuid4()
            page.latest_revision_id = page.live_revision_id = None
            vary(page, n)
            batch.append(page)
            ids.append(page.id)
            if len(batch) == 1000:
                insert_rows(model, batch)
                batch = []
        insert_rows(model, batch)
        Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + count - 1)
        with connection.cursor() as cursor:  # ids were given by hand: move the sequence on
            for sql in connection.ops.sequence_reset_sql(no_style(), [Page]):
                cursor.execute(sql)
    return ids


def update_index(timings: dict) -> None:
    from django.core.management import call_command
    from django.db import connection

    t = time.perf_counter()
    call_command("update_index", stdout=io.StringIO())
    timings["update_index"] = time.perf_counter() - t
    if connection.vendor == "postgresql":  # what autovacuum does soon after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Fixture:
    """Our site with ``products`` products, written and indexed on the database backend, kept
    as a pg_dump under var/bench/: building 200,000 products takes most of an hour on the
    development machine, restoring them a few minutes. The file's name carries the product
    count and a digest of what the built database depends on (the migrations, the product
    models, the database backend's folding, the demo texts, Wagtail's and modelsearch's
    versions, ``FIXTURE_VERSION``); a stale file is never found, and the build times are
    kept beside it (``.json``)."""

    def __init__(self, folder: Path, products: int) -> None:
        digest = hashlib.sha256(FIXTURE_VERSION.encode())
        for name in ("wagtail", "modelsearch", "Django"):
            digest.update(importlib.metadata.version(name).encode())
        sources = [*ROOT.glob("*/migrations/*.py"), *ROOT.glob("*/*/migrations/*.py"),
                   *(ROOT / p for p in ("cms/products/models.py", "search/folding.py",
                                        "search/backends/database.py", "demo/data.py"))]
        for path in sorted(sources):
            digest.update(path.read_bytes())
        self.dump = folder / f"search_elibrary-{products}-{digest.hexdigest()[:12]}.dump"
        self.meta = self.dump.with_suffix(".json")

    def _url(self, database: str) -> str:
        server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        return f"{server}/{database}"

    def restore(self, database: str) -> bool:
        if not (self.dump.exists() and self.meta.exists()):
            return False
        print(f"restoring {self.dump.name}", file=sys.stderr, flush=True)
        maintenance = self._url("postgres")
        subprocess.run(["psql", "-q", "-d", maintenance, "-c",
                        f'DROP DATABASE IF EXISTS "{database}"', "-c",
                        f'CREATE DATABASE "{database}"'], check=True)
        subprocess.run(["pg_restore", "--no-owner", "-j", "2", "-d", self._url(database),
                        str(self.dump)], check=True)
        return True

    def save(self, database: str, timings: dict) -> None:
        self.dump.parent.mkdir(parents=True, exist_ok=True)
        partial = self.dump.with_suffix(".partial")
        t = time.perf_counter()
        subprocess.run(["pg_dump", "-Fc", "-Z", "1", "-f", str(partial), self._url(database)],
                       check=True)
        partial.rename(self.dump)
        timings["dump"] = time.perf_counter() - t
        self.meta.write_text(json.dumps(timings))

    def build_timings(self) -> dict:
        return json.loads(self.meta.read_text())


ENGINE_PREFIX = "loa_bench_"  # the benchmark's node is its own


class EngineIndexing:
    """``update_index`` of the engine in a process of its own (``--index-engine``), on the
    worker's database: it runs while the worker fills the database backend's index, so the
    two use both cores."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process

    @classmethod
    def start(cls) -> EngineIndexing:
        from django.db import connection

        env = {**os.environ, "DATABASE_URL": (os.environ["DATABASE_URL"].rsplit("/", 1)[0]
                                              + "/" + connection.settings_dict["NAME"])}
        return cls(subprocess.Popen(
            [sys.executable, "-m", "bench", "search_elibrary", "--index-engine",
             os.environ["LOA_BENCH_ENGINE_URL"]], cwd=ROOT, env=env, stdout=subprocess.PIPE,
            text=True))

    def wait(self) -> float:
        out, _err = self.process.communicate()
        if self.process.returncode:
            raise RuntimeError(f"engine indexing failed (exit {self.process.returncode})")
        return float(out.strip().splitlines()[-1])


def index_engine(url: str) -> int:
    """Fill the engine's index (``--index-engine``): the public backend's ``update_index``,
    with the node's refresh off during the bulk load (turned back to every second after),
    and print the seconds it took."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from search.config import PUBLIC_BACKEND, search_backends
    from search.public import public_backend

    logging.getLogger("opensearch").setLevel(logging.WARNING)  # a line per request
    backends = search_backends(url, index_prefix=ENGINE_PREFIX)
    backends[PUBLIC_BACKEND]["INDEX_SETTINGS"] = {"settings": {"index": {
        "refresh_interval": "-1"}}}
    settings.WAGTAILSEARCH_BACKENDS = backends
    t = time.perf_counter()
    call_command("update_index", backend_name=PUBLIC_BACKEND, stdout=sys.stderr)
    backend = public_backend()
    backend.es.indices.put_settings(index=f"{ENGINE_PREFIX}*",
                                    body={"index": {"refresh_interval": "1s"}})
    backend.refresh_indexes()
    print(time.perf_counter() - t, flush=True)
    return 0


class Site:
    """What both workers answer: timed searches, page throughput, query plans."""

    page_url = ""

    def timed(self, func) -> dict:
        wall, cpu = time.perf_counter(), time.process_time()
        hits = func()
        return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                "hits": hits}

    def search(self, q: str, timeout: float = 0) -> dict:
        with _time_limit(timeout) as limit:
            try:
                return self.timed(lambda: self.run_search(q))
            except Exception as error:  # only the limit may stop a query
                if not (limit.fired or _query_canceled(error)):
                    raise
                return {"wall": timeout, "cpu": None, "hits": None,
                        "timeout": f"{type(error).__name__}: {error}"}

    def pages(self, seconds: float, cached: bool) -> dict:
        """Requests per ``seconds`` to the page: ours with its page cache on (``cached``,
        kept in files under the worker's var/ as the embedded default keeps it) or off; the
        peer's page is never cached."""
        from django.conf import settings
        from django.test import Client, override_settings

        caching = {"LOA_PAGE_CACHE_SECONDS": 600 if cached else 0}
        if cached and "pages" in settings.CACHES:
            caching["CACHES"] = {**settings.CACHES, "pages": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(Path(os.environ["LOA_VAR_DIR"]) / "cache" / "pages")}}
        with override_settings(**caching):
            client = Client()
            assert client.get(self.page_url).status_code == 200  # warm (renditions, cache)
            count, wall, cpu = 0, time.perf_counter(), time.process_time()
            while time.perf_counter() - wall < seconds:
                response = client.get(self.page_url)
                assert response.status_code == 200, (self.page_url, response.status_code)
                count += 1
            return {"requests": count, "wall": time.perf_counter() - wall,
                    "cpu": time.process_time() - cpu}

    def queries(self, url: str) -> dict:
        """How many SQL queries one uncached request to ``url`` makes."""
        from django.db import connection
        from django.test import Client, override_settings
        from django.test.utils import CaptureQueriesContext

        with override_settings(LOA_PAGE_CACHE_SECONDS=0):  # the page as it is rendered
            client = Client()
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
        return {"queries": len(ctx.captured_queries)}


class OurSite(Site):
    def __init__(self, products: int, sources: Path, timings: dict) -> None:
        from django.utils import timezone

        from cms.products.facts_refresh import refresh_all
        from cms.products.file_import import import_image, import_media_item
        from cms.products.models import BulletinPage
        from tests.elibrary.demo_like import ensure_topics

        t = time.perf_counter()
        section = _province().section_page
        topics = ensure_topics()
        rng = random.Random(5)
        title, summary, body = texts(0, rng)
        first = BulletinPage(
            title=title, slug="ban-tin", summary=summary,
            body=[("paragraph", f"<p>{p}</p>") for p in body],
            audio=import_media_item(sources / "speech.mp3", "Âm thanh"),
            cover=import_image(sources / "cover.jpg", "Ảnh bìa"),
            air_date=timezone.localdate(), area=section.organisation.area)
        section.add_child(instance=first)
        first.topics = topics[:2]
        first.save_revision().publish()

        def vary(page, n: int) -> None:
            page.title = page.draft_title = texts(n, rng)[0]
            page.identifier = f"{first.identifier}-{n}"

        ids = clone_children(BulletinPage.objects.get(pk=first.pk), products, vary)
        through = BulletinPage.topics.through
        through.objects.bulk_create([through(productpage_id=pk, topic_id=topics[n % 7].pk)
                                     for n, pk in enumerate(ids[1:], 1)], batch_size=5000)
        refresh_all()  # rows written in bulk: their shown facts, as publishing keeps them
        timings["write"] = time.perf_counter() - t
        engine = EngineIndexing.start() if os.environ.get("LOA_BENCH_ENGINE_URL") else None
        update_index(timings)  # the database backend, while the engine is filled alongside
        if engine is not None:
            timings["engine_update_index"] = engine.wait()
        self.page_url = BulletinPage.objects.get(pk=ids[len(ids) // 2]).url

    @classmethod
    def restored(cls, fixture: Fixture, timings: dict) -> OurSite:
        """The site of a restored dump: its build times are those of the run that built it."""
        from cms.products.models import BulletinPage

        built = fixture.build_timings()
        timings.update({"write": built["write"], "update_index": built["update_index"],
                        "restored": timings["migrate"]})
        site = cls.__new__(cls)
        ids = BulletinPage.objects.order_by("pk").values_list("pk", flat=True)
        site.page_url = BulletinPage.objects.get(pk=ids[len(ids) // 2]).url
        return site

    def run_search(self, q: str) -> int:
        from django.core.paginator import Paginator

        from cms.products.search import search_products

        found = search_products(q, language="vi", window=(0, PAGE_SIZE))
        return len(list(Paginator(found, PAGE_SIZE).get_page(1)))

    def engine_index(self, url: str, built: dict) -> dict:
        """Make the engine the public search; fill it (timed) unless that was done while the
        database's index was built."""
        from django.conf import settings

        from search.config import search_backends

        logging.getLogger("opensearch").setLevel(logging.WARNING)  # a line per request
        seconds = built.get("engine_update_index") or EngineIndexing.start().wait()
        settings.WAGTAILSEARCH_BACKENDS = search_backends(url, index_prefix=ENGINE_PREFIX)
        return {"update_index": seconds}

    def search_on(self, q: str, backend: str) -> dict:
        """One search page through the engine or through the database backend."""
        from django.conf import settings
        from django.test import override_settings

        backends = settings.WAGTAILSEARCH_BACKENDS
        if backend == "database":
            backends = {"default": backends["default"]}
        with override_settings(WAGTAILSEARCH_BACKENDS=backends):
            return self.timed(lambda: self.run_search(q))

    def explain(self, q: str) -> dict:
        from django.db.models import Q
        from wagtail.search.backends import get_search_backend

        from cms.products.search import live_products
        from search import folding
        from search.backends.ranking import ranked_queryset

        ranked = ranked_queryset(get_search_backend(), folding.for_query(q), live_products(),
                                 first=Q(locale__language_code="vi"))
        return {"plan": ranked[:PAGE_SIZE].explain()}

    def weights(self) -> dict:
        from django.test import Client

        from elibrary.page_weight import measure

        client, result = Client(), {}
        for name, url in (("home", "/"), ("bulletin", self.page_url),
                          ("search", "/tim-kiem/?q=bien+gioi"), ("kiosk", "/kiosk/")):
            w = measure(client, url)
            result[name] = {k: getattr(w, k) for k in ("total", "html", "css", "js",
                                                       "js_uncompressed", "images",
                                                       "image_count")}
        return result


class PeerSite(Site):
    def __init__(self, products: int, sources: Path, timings: dict) -> None:
        from wagtail.models import Page
        from wagtail.models import Site as WagtailSite

        from bench._search_elibrary_peer.models import StandardPage
        from cms.products.file_import import import_image

        t = time.perf_counter()
        home = WagtailSite.objects.get(is_default_site=True).root_page
        index = home.add_child(instance=Page(title="Thư viện", slug="thu-vien"))
        rng = random.Random(5)
        title, summary, body = texts(0, rng)
        first = StandardPage(title=title, slug="ban-tin", introduction=summary,
                             image=import_image(sources / "cover.jpg", "Ảnh bìa"),
                             body=[("paragraph_block", f"<p>{p}</p>") for p in body])
        index.add_child(instance=first)
        first.save_revision().publish()

        def vary(page, n: int) -> None:
            page.title = page.draft_title = texts(n, rng)[0]

        ids = clone_children(StandardPage.objects.get(pk=first.pk), products, vary)
        timings["write"] = time.perf_counter() - t
        update_index(timings)
        self.page_url = StandardPage.objects.get(pk=ids[len(ids) // 2]).url

    def run_search(self, q: str) -> int:
        from django.core.paginator import Paginator
        from wagtail.models import Page

        results = Page.objects.live().search(q)  # bakerydemo's search view
        return len(list(Paginator(results, PAGE_SIZE).get_page(1)))

    def explain(self, q: str) -> dict:
        from wagtail.models import Page

        results = Page.objects.live().search(q)[:PAGE_SIZE]
        return {"plan": results.get_queryset().explain()}


def _province():
    from cms.organisations.models import Area, Level, Organisation
    from cms.organisations.provisioning import setup_province

    area = Area.objects.create(name="Lạng Sơn", level=Level.PROVINCE, code="20")
    dept = Organisation.objects.create(name="Sở TTTT Lạng Sơn", short_name="Sở", area=area)
    setup_province("Loa – bench")
    return Organisation.objects.select_related("section_page").get(pk=dept.pk)


class _Limit:
    fired = False


def _query_canceled(error: Exception) -> bool:
    """PostgreSQL stopped the statement at statement_timeout (SQLSTATE 57014)."""
    return getattr(error.__cause__, "sqlstate", None) == "57014"


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Stop the running SQL statement after ``seconds`` (SQLite: interrupt(); PostgreSQL:
    statement_timeout). 0 = no limit."""
    from django.db import connection

    limit = _Limit()
    if not seconds:
        yield limit
        return
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [int(seconds * 1000)])
        try:
            yield limit
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
        return

    raw = connection.connection  # Django's connection is per thread: the timer's has none

    def fire() -> None:
        limit.fired = True
        raw.interrupt()

    timer = threading.Timer(seconds, fire)
    timer.start()
    try:
        yield limit
    finally:
        timer.cancel()


# ----------------------------------------------------------------------- parent process

class Worker:
    def __init__(self, side: str, env: dict, products: int, sources: Path) -> None:
        self.side = side
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench", "search_elibrary", "--worker", side,
             "--products", str(products), "--sources", str(sources)],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def receive(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.side} worker stopped (exit {self.process.wait()})")
        return json.loads(line)

    def call(self, cmd: str, **args) -> dict:
        self.process.stdin.write(json.dumps({"cmd": cmd, "args": args}) + "\n")
        self.process.stdin.flush()
        return self.receive()

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.write('{"cmd": "quit"}\n')
                self.process.stdin.close()
            self.process.wait(timeout=600)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def postgres_server():
    """DATABASE_URL's server, or a throwaway cluster from scripts/test-postgres."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        yield os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        return
    data_dir = tempfile.mkdtemp(prefix="loa-bench-pg-")
    env = {**os.environ, "LOA_TEST_PG_PORT": str(_free_port()), "LOA_TEST_PG_DIR": data_dir}
    script = str(ROOT / "scripts" / "test-postgres")
    url = subprocess.run([script, "start"], env=env, check=True, capture_output=True,
                         text=True).stdout.strip()
    try:
        yield url.rsplit("/", 1)[0]
    finally:
        subprocess.run([script, "stop"], env=env, check=False)
        shutil.rmtree(data_dir, ignore_errors=True)


def worker_env(side: str, server: str | None, workdir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = ("cms.settings.test" if side == "ours"
                                     else "bench._search_elibrary_peer.settings")
    env["LOA_VAR_DIR"] = str(workdir / side)
    (workdir / side).mkdir(parents=True, exist_ok=True)
    if server:
        env["DATABASE_URL"] = f"{server}/loa_bench_{side}"
    return env


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def bench_searches(ours: Worker, peer: Worker, repeat: int, timeout: float) -> dict:
    timings = {"ours": [], "peer": [], "ours_cpu": [], "peer_cpu": []}
    hits = {"ours": {}, "peer": {}}
    stopped: set[str] = set()
    for rep in range(repeat + 1):  # the first pass warms up and is not counted
        for i, (toneless, accented) in enumerate(QUERIES):
            pair = [(ours, toneless), (peer, accented)]
            if (rep + i) % 2:
                pair.reverse()
            for w, q in pair:
                if w is peer and q in stopped:
                    result = {"wall": timeout, "cpu": None, "hits": None}
                else:
                    result = w.call("search", q=q, timeout=timeout if w is peer else 0)
                    if "timeout" in result:
                        stopped.add(q)
                        print(f"  peer query {q!r} stopped after {timeout:.0f} s", flush=True)
                hits[w.side][q] = result["hits"]
                if rep:
                    timings[w.side].append(result["wall"])
                    if result["cpu"] is not None:
                        timings[f"{w.side}_cpu"].append(result["cpu"])
        print(f"  search pass {rep}{' (warm-up)' if not rep else ''} done", flush=True)
    return {"timings": timings, "hits": hits, "stopped": sorted(stopped)}


def bench_pages(ours: Worker, peer: Worker, rounds: int, seconds: float, cached: bool) -> dict:
    rates: dict[str, list[float]] = {"ours": [], "peer": []}
    cpu: dict[str, list[float]] = {"ours": [], "peer": []}
    for r in range(rounds):
        for w in ((ours, peer) if r % 2 == 0 else (peer, ours)):
            result = w.call("pages", seconds=seconds, cached=cached)
            rates[w.side].append(result["requests"] / result["wall"])
            cpu[w.side].append(result["cpu"] / result["requests"])
    return {"rates": rates, "cpu": cpu}


def run_database(db: str, args, sources: Path, workdir: Path) -> dict:
    server_cm = postgres_server() if db == "postgresql" else contextlib.nullcontext(None)
    with server_cm as server:
        workers = [Worker(side, worker_env(side, server, workdir / db), args.products, sources)
                   for side in ("ours", "peer")]
        try:
            return measure_pair(*workers, args)
        finally:
            for w in workers:
                w.close()


def measure_pair(ours: Worker, peer: Worker, args) -> dict:
    ready = {w.side: w.receive() for w in (ours, peer)}
    for side, info in ready.items():
        t = info["timings"]
        print(f"{side}: {info['vendor']}, {args.products} pages; migrate {t['migrate']:.0f} s, "
              f"write {t['write']:.1f} s, update_index {t['update_index']:.1f} s", flush=True)
    report = {"vendor": ready["ours"]["vendor"], "build": ready}
    report["search"] = bench_searches(ours, peer, args.repeat, args.peer_timeout)
    report["toneless_peer_hits"] = {u: peer.call("search", q=u, timeout=args.peer_timeout)
                                    .get("hits") for u, _a in QUERIES}
    report["plans"] = {"ours": ours.call("explain", q=QUERIES[0][0])["plan"],
                       "peer": peer.call("explain", q=QUERIES[0][1])["plan"]}
    report["queries"] = {w.side: w.call("queries", url=ready[w.side]["url"])["queries"]
                         for w in (ours, peer)}
    for cached in (False, True):
        key = "pages_cached" if cached else "pages"
        report[key] = bench_pages(ours, peer, args.rounds, args.seconds, cached)
    report["weights"] = ours.call("weights")
    print_report(report, args)
    return report


def print_report(r: dict, args) -> None:
    s = r["search"]
    t = s["timings"]
    print(f"\n=== {r['vendor']}, {args.products:,} pages each side ===")
    for side, label in (("peer", "Wagtail default, accented"), ("ours", "ours, toneless")):
        cpu = t[f"{side}_cpu"]
        print(f"search {label:26}: p50 {ms(statistics.median(t[side]))}, "
              f"p95 {ms(percentile(t[side], 0.95))}"
              + (f"; worker CPU p50 {ms(statistics.median(cpu))}, "
                 f"p95 {ms(percentile(cpu, 0.95))}" if cpu else ""))
    p95 = percentile(t["ours"], .95) / percentile(t["peer"], .95)
    p50 = statistics.median(t["ours"]) / statistics.median(t["peer"])
    print(f"search p95 ratio ours/peer: {p95:.2f}   p50 ratio: {p50:.2f}   "
          "(<= 1.00: ours no slower)")
    if s["stopped"]:
        print(f"  peer queries stopped at the {args.peer_timeout:.0f} s limit (counted at the "
              f"limit, so the peer's figures are lower bounds): {', '.join(s['stopped'])}")
    print("  first-page hits per query, ours (toneless):", s["hits"]["ours"])
    print("  first-page hits per query, peer (accented):", s["hits"]["peer"])
    print("  peer on the toneless queries:", r["toneless_peer_hits"])
    print(f"SQL queries per uncached page view: ours {r['queries']['ours']}, "
          f"peer {r['queries']['peer']}")
    for key, label, goal in (("pages", "uncached product page / plain Wagtail page", 0.9),
                             ("pages_cached", "product page, page cache on / plain Wagtail "
                              "page uncached", 5.0)):
        rates, cpu = r[key]["rates"], r[key]["cpu"]
        o, p = statistics.median(rates["ours"]), statistics.median(rates["peer"])
        oc, pc = statistics.median(cpu["ours"]), statistics.median(cpu["peer"])
        print(f"{label}: ours {o:,.0f} req/s, peer {p:,.0f} req/s, ratio {o / p:.2f} "
              f"(goal >= {goal}; {'met' if o / p >= goal else 'NOT met'})   "
              f"(worker CPU per request: ours {ms(oc)}, peer {ms(pc)}, "
              f"req/s ratio by CPU {pc / oc:.2f}; rounds: ours "
              f"{', '.join(f'{x:.0f}' for x in rates['ours'])}; peer "
              f"{', '.join(f'{x:.0f}' for x in rates['peer'])})")
    print("query plan, ours:\n  " + r["plans"]["ours"].replace("\n", "\n  "))
    print("query plan, peer:\n  " + r["plans"]["peer"].replace("\n", "\n  "))
    for name, w in r["weights"].items():
        print(f"weight {name:9} total {w['total'] / 1024:5.1f} KB  html {w['html'] / 1024:4.1f} "
              f"css {w['css'] / 1024:4.1f} js {w['js'] / 1024:4.1f} "
              f"(raw {w['js_uncompressed'] / 1024:4.1f}) images {w['images'] / 1024:5.1f} KB "
              f"({w['image_count']} pictures)")


@contextlib.contextmanager
def search_node(workdir: Path, heap: str):
    """A search node of the benchmark's own (scripts/search-node), on a free port."""
    port = int(os.environ.get("LOA_BENCH_SEARCH_PORT") or _free_port())  # HTTP; +1 transport
    env = {**os.environ, "LOA_TEST_SEARCH_PORT": str(port),
           "LOA_TEST_SEARCH_DIR": str(workdir / "search-node"), "LOA_TEST_SEARCH_HEAP": heap}
    script = str(ROOT / "scripts" / "search-node")
    url = subprocess.run([script, "start"], env=env, check=True, capture_output=True,
                         text=True).stdout.strip()
    try:
        yield url
    finally:
        subprocess.run([script, "stop"], env=env, check=False)


def run_engine(args, sources: Path, workdir: Path) -> dict:
    """The engine against our PostgreSQL backend, on the same site and the same queries."""
    with postgres_server() as server, search_node(workdir, args.node_heap) as url:
        env = worker_env("ours", server, workdir / "engine")
        env["LOA_BENCH_ENGINE_URL"] = url
        if not args.no_fixtures:
            env["LOA_BENCH_FIXTURES"] = str(FIXTURES)
        ours = Worker("ours", env, args.products, sources)
        try:
            built = ours.receive()
            t = built["timings"]
            print(f"{built['vendor']}, {args.products:,} products; write {t['write']:.1f} s, "
                  f"update_index (database) {t['update_index']:.1f} s"
                  + (f" (restored from var/bench in {t['restored']:.0f} s)"
                     if "restored" in t else ""), flush=True)
            indexing = ours.call("engine_index", url=url, built=t)
            print(f"update_index (engine) {indexing['update_index']:.1f} s", flush=True)
            timings: dict[str, list[float]] = {"engine": [], "database": []}
            hits: dict[str, dict] = {"engine": {}, "database": {}}
            for rep in range(args.repeat + 1):  # the first pass warms up, not counted
                for i, (toneless, _accented) in enumerate(QUERIES):
                    sides = ["engine", "database"] if (rep + i) % 2 else ["database", "engine"]
                    for side in sides:
                        result = ours.call("search_on", q=toneless, backend=side)
                        hits[side][toneless] = result["hits"]
                        if rep:
                            timings[side].append(result["wall"])
        finally:
            ours.close()
    report = {"timings": timings, "hits": hits, "indexing": {
        "database": t["update_index"], "engine": indexing["update_index"]}}
    print_engine_report(report, args)
    return report


def print_engine_report(r: dict, args) -> None:
    t = r["timings"]
    print(f"\n=== search engine (OpenSearch 2.19) vs PostgreSQL, {args.products:,} products ===")
    for side, label in (("database", "PostgreSQL (ours)"), ("engine", "OpenSearch (ours)")):
        print(f"search {label:18}: p50 {ms(statistics.median(t[side]))}, "
              f"p95 {ms(percentile(t[side], 0.95))}, "
              f"{len(t[side]) / sum(t[side]):.1f} searches/s (one client)")
    p95 = percentile(t["engine"], .95) / percentile(t["database"], .95)
    rate = (len(t["engine"]) / sum(t["engine"])) / (len(t["database"]) / sum(t["database"]))
    print(f"search p95 ratio engine/PostgreSQL: {p95:.2f}   throughput ratio: {rate:.2f}")
    i = r["indexing"]
    print(f"update_index: PostgreSQL {i['database']:.1f} s, engine {i['engine']:.1f} s "
          f"(ratio {i['engine'] / i['database']:.2f})")
    same = {q for q in r["hits"]["engine"] if r["hits"]["engine"][q] == r["hits"]["database"][q]}
    print(f"  first-page hits equal on {len(same)}/{len(r['hits']['engine'])} queries;",
          "engine:", r["hits"]["engine"], "database:", r["hits"]["database"])


def make_sources(folder: Path) -> Path:
    from demo import media

    folder.mkdir(parents=True)
    media.speech_mp3("Bản tin biên giới", folder / "speech.mp3")
    media.cover_image("Bảo vệ cột mốc biên giới", "Lạng Sơn", folder / "cover.jpg")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench search_elibrary")
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--db", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql")
    parser.add_argument("--repeat", type=int, default=5, help="counted passes over the queries")
    parser.add_argument("--peer-timeout", type=float, default=15.0,
                        help="seconds after which a peer query is stopped")
    parser.add_argument("--rounds", type=int, default=5, help="page throughput rounds")
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds per round")
    parser.add_argument("--engine", action="store_true",
                        help="the search engine against our PostgreSQL backend")
    parser.add_argument("--node-heap", default="512m",
                        help="the search node's Java heap (--engine)")
    parser.add_argument("--quick", action="store_true",
                        help="2,000 products on SQLite, 2 search passes, 3 page rounds of 1.5 s")
    parser.add_argument("--no-fixtures", action="store_true",
                        help="build the site even if var/bench holds it (--engine)")
    parser.add_argument("--worker", choices=["ours", "peer"], help=argparse.SUPPRESS)
    parser.add_argument("--index-engine", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--sources", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.quick:
        args.products, args.db, args.repeat, args.rounds, args.seconds = (
            2000, "sqlite", 2, 3, 1.5)
    if args.worker:
        return worker(args.worker, args.products, args.sources)
    if args.index_engine:
        return index_engine(args.index_engine)
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="loa-bench-search-"))
    try:
        sources = make_sources(workdir / "sources")
        if args.engine:
            run_engine(args, sources, workdir)
        else:
            for db in args.db.split(","):
                run_database(db.strip(), args, sources, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0
