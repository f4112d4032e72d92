"""E-library search and page speed with 20,000 products, against Wagtail's defaults.

    python -m bench search_elibrary [--products 20000] [--queries 200]
    DATABASE_URL=postgres://… python -m bench search_elibrary

Builds a throwaway test database (SQLite file, or ``test_…`` on the PostgreSQL server of
DATABASE_URL), writes the products with bulk inserts, then in the same run:

* search p50/p95: Wagtail's default database backend (modelsearch, no folding) answering
  correctly-accented queries with ``Page.objects.live().search()``, the bakerydemo search
  view's query; then our folding backend on the same rows answering the same queries typed
  without tones through ``search_products`` (two searches: the visitor's language first);
* page throughput (requests/s, one process, in-process client): our bulletin page vs a plain
  Wagtail ``Page`` (bakerydemo-style standard page) rendered with the same base template,
  uncached and behind Django's cache middleware;
* page weights of the public pages (cms/elibrary/page_weight.py).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

QUERIES = [  # (typed by villagers, correctly accented for the default backend)
    ("bien gioi", "biên giới"), ("cot moc huu nghi", "cột mốc Hữu Nghị"),
    ("lua dao qua mang", "lừa đảo qua mạng"), ("nuoc sach", "nước sạch"),
    ("hat then dan tinh", "hát then đàn tính"), ("dong dang", "Đồng Đăng"),
    ("le hoi long tong", "Lễ hội Lồng tồng"), ("tin gia", "tin giả"),
    ("du lich mau son", "Du lịch Mẫu Sơn"), ("truong hoc", "Trường học"),
]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    if not os.environ.get("DATABASE_URL"):
        os.environ["LOA_VAR_DIR"] = tempfile.mkdtemp(prefix="loa-bench-")
    import django

    django.setup()


def create_database():
    from django.db import connection

    if connection.vendor == "sqlite":  # a file, like the embedded default, not :memory:
        connection.settings_dict["TEST"]["NAME"] = str(
            Path(os.environ["LOA_VAR_DIR"]) / "bench.sqlite3")
    return connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def make_province():
    from cms.organisations.models import Area, Level, Organisation
    from cms.organisations.provisioning import setup_province

    area = Area.objects.create(name="Lạng Sơn", level=Level.PROVINCE, code="20")
    district = Area.objects.create(name="Cao Lộc", level=Level.DISTRICT, code="20-CL",
                                   parent=area)
    dept = Organisation.objects.create(name="Sở TTTT Lạng Sơn", short_name="Sở", area=area)
    Organisation.objects.create(name="Phòng VHTT Cao Lộc", short_name="Cao Lộc",
                                area=district, parent=dept)
    setup_province("Loa – bench")
    return Organisation.objects.select_related("section_page").get(pk=dept.pk)


def insert_rows(model, instances) -> None:
    """Multi-table rows without save(): one executemany per table of the inheritance chain."""
    from django.db import connection

    for table_model in [*reversed(model._meta.get_parent_list()), model]:
        fields = table_model._meta.local_concrete_fields
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            connection.ops.quote_name(table_model._meta.db_table),
            ", ".join(connection.ops.quote_name(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)))
        rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
                for obj in instances]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def bulk_products(section, count: int, audio) -> None:
    """``count`` published bulletins under ``section``, built like the demo's."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Page

    from cms.products.demo import data
    from cms.products.models import BulletinPage, Topic

    ct = ContentType.objects.get_for_model(BulletinPage)
    now = timezone.now()
    start_id = (Page.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    topics = list(Topic.objects.all())
    rng = random.Random(5)
    words = " ".join(data.SUBJECTS).split()
    with transaction.atomic():
        batch = []
        for n in range(count):
            subject = data.SUBJECTS[n % len(data.SUBJECTS)]
            extra = " ".join(rng.sample(words, 4))
            page = BulletinPage(
                id=start_id + n, title=f"{subject} – {extra} ({n})", slug=f"bt-{n}",
                content_type=ct, locale_id=section.locale_id, live=True,
                has_unpublished_changes=False, first_published_at=now, last_published_at=now,
                path=Page._get_path(section.path, section.depth + 1, n + 1),
                depth=section.depth + 1, numchild=0,
                url_path=f"{section.url_path}bt-{n}/", draft_title=subject,
                translation_key=uuid.uuid4(), summary=data.BODY[0],
                body=[("paragraph", f"<p>{p}</p>") for p in data.BODY],
                identifier=f"LSN-BT-{n:010d}", audio=audio, air_date=now.date(),
                production_year=now.year, funding_line="p10-1",
                organisation_id=section.organisation.pk if section.organisation else None,
            )
            page.page_ptr_id = page.productpage_ptr_id = page.id
            batch.append(page)
            if len(batch) == 2000:
                insert_rows(BulletinPage, batch)
                batch = []
        insert_rows(BulletinPage, batch)
        Page.objects.filter(pk=section.pk).update(numchild=count)
        with connection.cursor() as cursor:  # ids were given by hand: move the sequence on
            for sql in connection.ops.sequence_reset_sql(no_style(), [Page]):
                cursor.execute(sql)
        through = BulletinPage.topics.through
        through.objects.bulk_create([through(productpage_id=start_id + n,
                                             topic_id=topics[n % len(topics)].pk)
                                     for n in range(count)], batch_size=5000)


def build_index(backend, model) -> float:
    from django.db import connection

    start = time.perf_counter()
    backend.reset_indexes() if connection.vendor != "sqlite" else None
    index = backend.get_index_for_model(model)
    if connection.vendor == "sqlite":
        index.reset()
    queryset = model.objects.all().prefetch_related("topics").order_by("pk")
    chunk = []
    for obj in queryset.iterator(chunk_size=1000):
        chunk.append(obj)
        if len(chunk) == 500:
            backend.add_bulk(model, chunk)
            chunk = []
    if chunk:
        backend.add_bulk(model, chunk)
    return time.perf_counter() - start


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000


def time_queries(run, queries, repeat: int) -> tuple[list[float], list[int]]:
    timings, hits = [], []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            hits.append(run(q))
            timings.append(time.perf_counter() - t)
        print(f"  … pass done, last query {timings[-1] * 1000:.0f} ms", flush=True)
    return timings, hits


def throughput(client, url: str, seconds: float = 3.0) -> float:
    client.get(url)  # warm up (renditions, template loading)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        count += 1
    return count / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench search_elibrary")
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the query set")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment
    from modelsearch.backends import get_search_backend
    from wagtail.models import Page

    from cms.elibrary.page_weight import measure
    from cms.products.models import BulletinPage, ProductPage
    from search.products import search_products
    from tests.elibrary import demo_like

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    create_database()
    try:
        dept = make_province()
        section = dept.section_page
        files = demo_like.make_source_files(Path(tempfile.mkdtemp(prefix="loa-bench-src-")), 2)
        settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="loa-bench-media-")
        audio = demo_like.stored_media(files.speech[0], "Âm thanh")
        demo_like.ensure_topics()
        t = time.perf_counter()
        bulk_products(section, args.products, audio)
        print(f"database: {connection.vendor}; {args.products} bulletins written in "
              f"{time.perf_counter() - t:.1f} s")

        # --- Wagtail's default database search, accented queries
        default = get_search_backend("wagtail.search.backends.database")
        print(f"index (Wagtail default): {build_index(default, BulletinPage):.1f} s")
        accented = [a for _u, a in QUERIES]
        peer_t, peer_hits = time_queries(
            lambda q: len(list(default.search(q, Page.objects.live())[:20])), accented,
            args.repeat)
        plain_unaccented = [len(list(default.search(u, Page.objects.live())[:20]))
                            for u, _a in QUERIES]

        # --- ours, same rows, queries typed without tones
        ours = get_search_backend("default")
        print(f"index (ours, folded):    {build_index(ours, BulletinPage):.1f} s")
        unaccented = [u for u, _a in QUERIES]
        our_t, our_hits = time_queries(
            lambda q: len(search_products(q, language="vi")[:20]), unaccented, args.repeat)
        p50_peer, p95_peer = percentiles(peer_t)
        p50_ours, p95_ours = percentiles(our_t)
        print(f"search p50/p95  Wagtail default (accented): {p50_peer:.1f} / {p95_peer:.1f} ms"
              f"   hits/query {statistics.mean(peer_hits):.1f}")
        print(f"search p50/p95  ours (typed without tones): {p50_ours:.1f} / {p95_ours:.1f} ms"
              f"   hits/query {statistics.mean(our_hits):.1f}")
        print(f"  (Wagtail default on the toneless queries finds {sum(plain_unaccented)} "
              f"results in total)")
        print(f"search p95 ratio ours/default: {p95_ours / p95_peer:.2f} "
              f"(<= 1.00 means no slower)")

        # --- page throughput
        plain = section.get_parent().add_child(instance=Page(
            title="Trang thường", slug="trang-thuong", locale_id=section.locale_id,
            search_description="Trang Wagtail thường để so sánh."))
        product = BulletinPage.objects.live().order_by("pk").first()
        product_url, plain_url = product.url, plain.url
        bench_templates = [*settings.TEMPLATES]
        bench_templates[0] = {**bench_templates[0],
                              "DIRS": [Path(__file__).parent / "templates",
                                       *bench_templates[0]["DIRS"]]}
        caching = ["django.middleware.cache.UpdateCacheMiddleware", *settings.MIDDLEWARE,
                   "django.middleware.cache.FetchFromCacheMiddleware"]
        with override_settings(TEMPLATES=bench_templates):
            client = Client()
            ours_rps, plain_rps = throughput(client, product_url), throughput(client, plain_url)
            with override_settings(MIDDLEWARE=caching, CACHE_MIDDLEWARE_SECONDS=60, CACHES={
                    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
                cached = Client()  # a new client loads the caching middleware chain
                ours_c, plain_c = throughput(cached, product_url), throughput(cached, plain_url)
        print(f"page req/s uncached: ours {ours_rps:.0f}, plain Wagtail page {plain_rps:.0f}, "
              f"ratio {ours_rps / plain_rps:.2f}")
        print(f"page req/s cached:   ours {ours_c:.0f}, plain Wagtail page {plain_c:.0f}, "
              f"ratio {ours_c / plain_c:.2f}")

        # --- page weights (media excluded)
        client = Client()
        for name, url in (("home", "/"), ("bulletin", product_url), ("search",
                                                                       "/tim-kiem/?q=bien+gioi"),
                          ("kiosk", "/kiosk/")):
            w = measure(client, url)
            kb = {k: getattr(w, k) / 1024 for k in ("total", "html", "css", "js",
                                                   "js_uncompressed", "images")}
            print(f"weight {name:9} total {kb['total']:5.1f} KB  html {kb['html']:4.1f} "
                  f"css {kb['css']:4.1f} js {kb['js']:4.1f} (raw {kb['js_uncompressed']:4.1f}) "
                  f"images {kb['images']:5.1f} KB ({w.image_count} pictures)")
        assert ProductPage.objects.count() >= args.products
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0
