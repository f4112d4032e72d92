"""Building a ZIM file (openZIM, read by Kiwix) of the live e-library in one language.

The pages are the site's own: each product page is rendered by its template (with
``offline`` in the context, which hides what needs the network: search box, language
menu), then its links are made relative by ``offline.links``. The files those pages
name (stylesheets, fonts, pictures, PDFs, the phone renditions of recordings) are
collected as they are met. Product pages carry our folded text as index data, so that
Kiwix's own search finds "bao ve cot moc" for "Bảo vệ cột mốc" and "dong bao" for "đồng bào"
(``đ`` is a letter, which Xapian's accent removal leaves alone), and Chinese words are
already separated by spaces.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import mimetypes
import os
import posixpath
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.template.loader import get_template, render_to_string
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from libzim.writer import (
    ContentProvider,
    Creator,
    Hint,
    IndexData,
    Item,
    StringProvider,
)
from wagtail.documents import get_document_model

from cms.organisations.models import Organisation
from cms.products.facts_refresh import topic_names_by_page
from cms.products.models import (
    BulletinPage,
    DocumentPage,
    PrintPage,
    ProductPage,
    Topic,
    VideoPage,
)
from media_pipeline.models import READY_RENDITIONS, MediaItem, prefetch_ready_renditions
from search.folding import for_index
from translations import languages

from .exceptions import OfflineError
from .links import Links

# Renditions a phone plays; the kiosk flavour adds the TV's and the loudspeaker's.
PHONE_PROFILES = {"phone-audio", "phone-360", "phone-240", "poster"}
KIOSK_PROFILES = {"kiosk-1080", "radio-loudspeaker"}
KINDS = {"ban-tin": BulletinPage, "tai-lieu": DocumentPage, "to-roi": PrintPage,
         "video": VideoPage}
MAIN_PATH = "index"
ALL_PATH = "tat-ca"
KIOSK_PATH = "kiosk"
LIST_PREFIX = "/offline/"
STORED_TYPES = ("image/", "audio/", "video/", "font/woff2", "application/pdf")
EXTRA_TYPES = {".woff2": "font/woff2", ".opus": "audio/ogg", ".ogg": "audio/ogg",
               ".webp": "image/webp", ".m4a": "audio/mp4", ".js": "application/javascript"}
TITLE_MAX = 30  # openZIM metadata limits, in characters
DESCRIPTION_MAX = 80
CHUNK = 1024 * 1024
WHOLE = 16 * 1024 * 1024  # a file up to this size is handed over in one piece
# Pages are stored without compression when the ZIM carries at least this much of
# recordings, pictures and PDFs per page: libzim compresses with zstd at level 19 (fixed in
# its code), seconds of CPU for 1,000 pages, and the ZIM is 0.2 % larger without (4 MB of
# 1.8 GB); a ZIM of mostly text keeps its pages compressed.
STORE_PAGES_FROM = 1024 * 1024
SWITCH_INTERVAL = 0.0005  # seconds; Python's default 0.005 (see Export.write)
MARKUP = re.compile(r"<!--.*?-->|<[a-zA-Z/!][^>]*>", re.DOTALL)


def mime_type(name: str) -> str:
    ext = posixpath.splitext(name)[1].lower()
    return EXTRA_TYPES.get(ext) or mimetypes.guess_type(name)[0] or "application/octet-stream"


@dataclass
class Page:
    """An HTML entry: where it goes, its title, and (for products) what Kiwix indexes."""

    path: str
    title: str
    html: str = ""
    index_text: str = ""  # folded, segmented text; "" = not a searchable article
    keywords: str = ""


class _FoldedIndex(IndexData):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page

    def has_indexdata(self) -> bool:
        return True

    def get_title(self) -> str:
        return self.page.title

    def get_content(self) -> str:
        return self.page.index_text

    def get_keywords(self) -> str:
        return self.page.keywords

    def get_wordcount(self) -> int:
        return len(self.page.index_text.split())


class _HtmlItem(Item):
    def __init__(self, page: Page, compress: bool = True) -> None:
        super().__init__()
        self.page, self.compress = page, compress

    def get_path(self) -> str:
        return self.page.path

    def get_title(self) -> str:
        return self.page.title

    def get_mimetype(self) -> str:
        return "text/html"

    def get_contentprovider(self) -> ContentProvider:
        return StringProvider(self.page.html)

    def get_hints(self) -> dict:
        return {Hint.FRONT_ARTICLE: True, Hint.COMPRESS: self.compress}

    def get_indexdata(self) -> IndexData | None:
        # Product pages: our folded text. Other pages (lists) are not search results.
        return _FoldedIndex(self.page) if self.page.index_text else None


class _LocalFileProvider(ContentProvider):
    """A local file, read in one piece when it is small: libzim's writer thread calls into
    Python (and waits for its lock) once per piece, python-libzim's FileProvider reads 1 MB
    pieces."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.size = os.path.getsize(path)

    def get_size(self) -> int:
        return self.size

    def gen_blob(self) -> Iterator:
        from libzim.writer import Blob

        with open(self.path, "rb") as fh:
            while piece := fh.read(WHOLE):
                yield Blob(piece)


class _StorageProvider(ContentProvider):
    """A stored file streamed in chunks (S3 has no local path)."""

    def __init__(self, storage, name: str) -> None:
        super().__init__()
        self.storage, self.name = storage, name
        self.size = storage.size(name)

    def get_size(self) -> int:
        return self.size

    def gen_blob(self) -> Iterator:
        from libzim.writer import Blob

        with self.storage.open(self.name, "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield Blob(chunk)


class _FileItem(Item):
    def __init__(self, path: str, provider: ContentProvider, mimetype: str,
                 compress: bool) -> None:
        super().__init__()
        self.path, self.provider, self.mimetype, self.compress = (
            path, provider, mimetype, compress)

    def get_path(self) -> str:
        return self.path

    def get_title(self) -> str:
        return ""

    def get_mimetype(self) -> str:
        return self.mimetype

    def get_contentprovider(self) -> ContentProvider:
        return self.provider

    def get_hints(self) -> dict:
        return {Hint.FRONT_ARTICLE: False, Hint.COMPRESS: self.compress}


@dataclass
class Export:
    """One ZIM: the live products in ``codes`` (one language, or all with ``--all``)."""

    codes: list[str]
    kiosk: bool = False
    base_url: str = ""
    media_files: dict[str, tuple[int, str]] = field(default_factory=dict)  # name → item, profile
    stand_ins: dict[int, str] = field(default_factory=dict)  # item → ZIM path it plays
    allowed: set[str] = field(default_factory=set)  # stored names of renditions carried
    static_found: dict[str, bool] = field(default_factory=dict)
    media_bytes: int = 0  # of the recordings' files carried
    found: dict[str, tuple[str | None, str | None] | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.base_url = self.base_url or settings.WAGTAILADMIN_BASE_URL
        self.language = self.codes[0] if len(self.codes) == 1 else settings.LANGUAGE_CODE
        # Everything the pages show, fetched for all products at once: a few queries per
        # relation for the whole export rather than several per product page (the cards
        # of the list pages show each cover again: its renditions come along).
        self.products = list(
            ProductPage.objects.live().public().filter(locale__language_code__in=self.codes)
            .order_by("-first_published_at", "pk").specific()
            .select_related("locale", "cover", "area", "organisation",
                            for_specific_subqueries=True)
            .prefetch_related("topics", "cover__renditions", for_specific_subqueries=True))
        _prefetch_own_relations(self.products)
        self.media_items = {m.pk: m for page in self.products for m in page.media_items()}
        prefetch_ready_renditions(self.media_items.values())
        self.links = Links(pages={}, find_file=self._find_file, online=self.base_url)
        self.request = self._request()

    # --- what the ZIM carries -------------------------------------------------------
    def _request(self):
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        request.LANGUAGE_CODE = self.language
        return request

    def product_path(self, page: ProductPage) -> str:
        return f"sp/{page.pk}"

    def _map_pages(self) -> None:
        pages = self.links.pages
        for code in self.codes:
            with translation.override(code):
                for name, path in (("elibrary:browse", ALL_PATH), ("elibrary:kiosk", KIOSK_PATH)):
                    try:
                        pages[reverse(name)] = path
                    except NoReverseMatch:
                        continue
                pages[reverse("wagtail_serve", args=[""])] = MAIN_PATH
        for page in self.products:
            url = page.get_url(self.request)
            if url:
                pages[url] = self.product_path(page)
            with (translation.override(page.locale.language_code),
                  contextlib.suppress(NoReverseMatch)):
                pages[reverse("elibrary:kiosk_product", args=[page.pk])] = self.product_path(page)
        pages["/"] = MAIN_PATH

    def _map_media(self) -> None:
        """Which recordings' files are carried: the phone renditions (and the kiosk's
        with ``kiosk``); a recording without any of them is carried as uploaded."""
        profiles = PHONE_PROFILES | (KIOSK_PROFILES if self.kiosk else set())
        items = self.media_items
        self.media_bytes = 0
        for item in items.values():
            self.media_files[item.file.name] = (item.pk, "original")
        carried: dict[int, list[tuple[str, str]]] = {}
        for item in items.values():
            for rendition in getattr(item, READY_RENDITIONS):
                if not rendition.file:
                    continue
                self.media_files[rendition.file.name] = (item.pk, rendition.profile)
                if rendition.profile in profiles:
                    self.allowed.add(rendition.file.name)
                    self.media_bytes += rendition.size or 0
                    carried.setdefault(item.pk, []).append(
                        (rendition.profile, rendition.file.name))
        for pk, item in items.items():
            playable = [name for profile, name in carried.get(pk, []) if profile != "poster"]
            if not playable:
                self.allowed.add(item.file.name)
                self.media_bytes += item.size or 0
                playable = [item.file.name]
            preferred = "phone-audio" if item.kind == MediaItem.Kind.AUDIO else "phone-360"
            best = next((name for profile, name in carried.get(pk, [])
                         if profile == preferred), playable[0])
            self.stand_ins[pk] = self._media_zim_path(best)

    def _media_zim_path(self, name: str) -> str:
        return settings.MEDIA_URL.strip("/") + "/" + name

    def _find_file(self, path: str) -> tuple[str | None, str | None] | None:
        # each path once: every page names the same stylesheets, a cover's renditions are
        # named by its product page, its cards and the main page
        if path not in self.found:
            self.found[path] = self._look_up_file(path)
        return self.found[path]

    def _look_up_file(self, path: str) -> tuple[str | None, str | None] | None:
        static, media = settings.STATIC_URL, settings.MEDIA_URL
        if path.startswith(static):
            name = path[len(static):]
            return (path.lstrip("/"), None) if self._static_exists(name) else None
        if path.startswith(media):
            name = path[len(media):]
            if name in self.media_files:
                item_id, _profile = self.media_files[name]
                if name in self.allowed:
                    return path.lstrip("/"), None
                return None, self.stand_ins.get(item_id)
            return (path.lstrip("/"), None) if default_storage.exists(name) else None
        match = re.match(r"^/documents/(\d+)/", path)
        if match and self._document(int(match.group(1))) is not None:
            return path.lstrip("/"), None
        return None

    @cached_property
    def documents(self) -> dict:
        """Documents by id: the products' PDFs in one query; one a body links to is
        looked up once when met."""
        model = get_document_model()
        ids = {f.value_from_object(page) for page in self.products
               for f in type(page)._meta.concrete_fields
               if f.many_to_one and f.related_model is model}
        return model.objects.in_bulk(ids - {None})

    def _document(self, pk: int):
        if pk not in self.documents:
            self.documents[pk] = get_document_model().objects.filter(pk=pk).first()
        return self.documents[pk]

    def _static_exists(self, name: str) -> bool:
        """Whether the static file exists, asked once per file (every page names the same
        stylesheets and scripts)."""
        if name not in self.static_found:
            self.static_found[name] = bool(finders.find(name)) or staticfiles_storage.exists(name)
        return self.static_found[name]

    # --- rendering --------------------------------------------------------------------
    def _render(self, template: str, context: dict, path: str, language: str) -> str:
        with translation.override(language):
            text = render_to_string(template, {**context, "offline": True},
                                    request=self.request)
        return self.links.rewrite_html(text, path)

    def _product_page(self, page: ProductPage) -> Page:
        page = page.specific
        path = self.product_path(page)
        language = page.locale.language_code
        with translation.override(language):
            self.request.LANGUAGE_CODE = language
            page.topic_names = self._topic_names[page.pk][language]
            context = page.get_context(self.request)
            html = self._render(page.get_template(self.request), context, path, language)
            topics = " ".join(page.topic_names)
        text = " ".join([page.title, page.summary, _main_text(html), topics])
        return Page(path, page.title, html, index_text=f"{for_index(text)} {text}",
                    keywords=for_index(f"{page.title} {topics}"))

    @cached_property
    def _topic_names(self) -> dict[int, dict[str, list[str]]]:
        """Each product's topic names per language, as ``ProductPage.topic_names`` gives
        them, worked out for the whole export at once (the page's own lookup is one query
        per page)."""
        return topic_names_by_page([p.pk for p in self.products])

    def _cards(self) -> dict[int, str]:
        """Each product's card, rendered once: a product is shown on several list pages
        (all, its kind, each of its topics), whose links are made relative afterwards."""
        card = get_template("products/_card.html")
        show_language = len(self.codes) > 1
        with translation.override(self.language):
            # safe: the template's own output, escaped by it
            return {p.pk: mark_safe(card.render(
                {"product": p, "show_language": show_language}, self.request))
                for p in self.products}

    def _list_page(self, path: str, title: str, products: list, cards: dict[int, str]) -> Page:
        html = self._render("offline/list.html", {
            "title": title, "cards": [cards[p.pk] for p in products]}, path, self.language)
        return Page(path, title, html)

    def _kiosk_page(self) -> Page:
        bulletins = [p for p in self.products if isinstance(p, BulletinPage) and p.audio_id]
        bulletins.sort(key=lambda b: (b.air_date or datetime.date.min), reverse=True)
        html = self._render("kiosk/home.html", {
            "playlist": bulletins[:10], "tiles": self.products[:12], "chosen": "",
            "idle_seconds": settings.LOA_KIOSK_IDLE_SECONDS}, KIOSK_PATH, self.language)
        with translation.override(self.language):
            return Page(KIOSK_PATH, _("Điểm hỗ trợ – Thư viện điện tử"), html)

    def iter_pages(self) -> Iterator[Page]:
        """Every HTML entry, rendered one after the other (the writer stores each page's
        files while the next ones render)."""
        self._map_media()
        self._map_pages()
        for product in self.products:
            yield self._product_page(product)
        self.request.LANGUAGE_CODE = self.language
        with translation.override(self.language):
            browse: list[tuple[str, str, list]] = [
                (ALL_PATH, _("Tất cả sản phẩm"), self.products)]
            for slug, model in KINDS.items():
                chosen = [p for p in self.products if isinstance(p, model)]
                if chosen:
                    label = str(model._meta.verbose_name_plural).capitalize()
                    browse.append((f"loai/{slug}", label, chosen))
            topic_ids: dict[int, list[int]] = {}
            for row in ProductPage.topics.through.objects.filter(
                    productpage_id__in=[p.pk for p in self.products]):
                topic_ids.setdefault(row.topic_id, []).append(row.productpage_id)
            by_pk = {p.pk: p for p in self.products}
            position = {p.pk: n for n, p in enumerate(self.products)}
            for topic in Topic.objects.filter(pk__in=topic_ids):
                chosen = sorted((by_pk[pk] for pk in topic_ids[topic.pk]),
                                key=lambda p: position[p.pk])
                browse.append((f"chu-de/{topic.slug}", topic.name, chosen))
        for path, _title, _products in browse:
            # the main and list pages link to each other by these site-like paths
            self.links.pages[f"{LIST_PREFIX}{path}"] = path
        self.browse = [(f"{LIST_PREFIX}{path}", title, len(products))
                       for path, title, products in browse]
        cards = self._cards()
        for path, title, products in browse:
            yield self._list_page(path, title, products, cards)
        yield self._kiosk_page()
        yield self._main_page()

    def _main_page(self) -> Page:
        with translation.override(self.language):
            title = self.title()
            html = render_to_string("offline/main.html", {
                "title": title, "province": self.province_name(), "offline": True,
                "kinds": [b for b in self.browse if "/loai/" in b[0]],
                "topics": [b for b in self.browse if "/chu-de/" in b[0]],
                "all_path": LIST_PREFIX + ALL_PATH,
                "products": self.products[:12], "show_language": len(self.codes) > 1,
                "built": timezone.localdate()}, request=self.request)
        return Page(MAIN_PATH, title, self.links.rewrite_html(html, MAIN_PATH))

    # --- metadata ---------------------------------------------------------------------
    def province_name(self) -> str:
        org = Organisation.objects.filter(area__level="province").select_related("area").first()
        return org.area.name if org else settings.LOA_PROVINCE_CODE

    def title(self) -> str:
        with translation.override(self.language):
            return _clip(_("Thư viện %(province)s") % {"province": self.province_name()},
                         TITLE_MAX)

    def name(self) -> str:
        selection = "all" if len(self.codes) > 1 else self.codes[0]
        return f"loa-{settings.LOA_PROVINCE_CODE.lower()}_{selection}_{self.flavour}"

    @property
    def flavour(self) -> str:
        return "kiosk" if self.kiosk else "phone"

    def metadata(self) -> dict[str, str]:
        province = self.province_name()
        creator = (Organisation.objects.filter(area__level="province").values_list(
            "name", flat=True).first() or province)
        iso = ",".join(languages.BY_CODE[c].iso639_3 or c for c in self.codes)
        with translation.override(self.language):
            description = _clip(_("Bản tin, tài liệu, áp phích, video của %(province)s")
                                % {"province": province}, DESCRIPTION_MAX)
            long_description = _(
                "Thư viện điện tử %(province)s mang đi không cần mạng: %(count)s sản phẩm "
                "thông tin đối ngoại, thông tin vùng dân tộc thiểu số và miền núi (Dự án 10) "
                "– bản tin kèm bản ghi âm, tài liệu PDF, tờ rơi, áp phích và video clip.",
            ) % {"province": province, "count": len(self.products)}
            return {
                "Name": self.name(),
                "Title": self.title(),
                "Description": description,
                "LongDescription": long_description,
                "Language": iso,
                "Creator": creator,
                "Publisher": creator,
                "Date": timezone.localdate().isoformat(),
                "Tags": ";".join(["loa", "du-an-10", "_category:other", "_ftindex:yes",
                                  "_pictures:yes", "_videos:yes", "_details:yes"]),
                "Flavour": self.flavour,
                "Source": self.base_url,
                "License": str(ProductPage._meta.get_field("rights").default),
                "Scraper": "loa export_zim",
            }

    # --- writing ----------------------------------------------------------------------
    def write(self, target: Path) -> Path:
        """Build into ``target`` (a temporary name the caller renames when checked)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        iso = languages.BY_CODE[self.language].iso639_3 or self.language
        creator = (Creator(str(target)).config_indexing(True, iso)
                   .config_nbworkers(max(2, os.cpu_count() or 1)))
        with creator:
            creator.set_mainpath(MAIN_PATH)
            for key, value in self.metadata().items():
                creator.add_metadata(key, value)
            creator.add_illustration(48, self.illustration())
            self._map_media()
            compress = self.media_bytes < STORE_PAGES_FROM * len(self.products)
            # libzim's threads call into Python for every piece of a file they store, and
            # wait for the interpreter's lock while this thread renders: hand it over sooner
            interval = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL)
            try:
                for page in self.iter_pages():
                    creator.add_item(_HtmlItem(page, compress))
                    # libzim's threads store this page's recordings and pictures while
                    # Python renders the next page
                    self._add_files(creator)
            finally:
                sys.setswitchinterval(interval)
        return target

    def _add_files(self, creator: Creator) -> None:
        """The files the pages named since the last call."""
        # stylesheets name fonts: what they collect is added in the next round
        while fresh := self.links.take_fresh():
            for zim_path, site_path in fresh:
                item = self._file_item(zim_path, site_path)
                if item is not None:
                    creator.add_item(item)

    def _file_item(self, zim_path: str, site_path: str) -> _FileItem | None:
        mimetype = mime_type(zim_path)
        compress = not mimetype.startswith(STORED_TYPES)
        if site_path.startswith(settings.STATIC_URL):
            data = _static_bytes(site_path[len(settings.STATIC_URL):])
            if mimetype == "text/css":
                data = self.links.rewrite_css(data.decode(), zim_path, site_path).encode()
            return _FileItem(zim_path, StringProvider(data), mimetype, compress)
        if site_path.startswith(settings.MEDIA_URL):
            return _FileItem(zim_path, _provider(default_storage,
                                                 site_path[len(settings.MEDIA_URL):]),
                             mimetype, compress)
        match = re.match(r"^/documents/(\d+)/", site_path)
        if match:
            document = self._document(int(match.group(1)))
            return _FileItem(zim_path, _provider(document.file.storage, document.file.name),
                             mimetype, compress)
        return None

    def illustration(self) -> bytes:
        """48×48 PNG: the first product cover, else a plain square in the site's colour."""
        from PIL import Image, ImageOps

        cover = next((p.cover for p in self.products if p.cover_id), None)
        if cover is not None:
            with cover.file.open("rb") as fh:
                picture = ImageOps.fit(Image.open(fh).convert("RGB"), (48, 48))
        else:
            picture = Image.new("RGB", (48, 48), (142, 91, 0))
        out = io.BytesIO()
        picture.save(out, "PNG")
        return out.getvalue()


def _prefetch_own_relations(products: list[ProductPage]) -> None:
    """The foreign keys each kind of product adds (a bulletin's recording, a document's
    PDF…): one query per relation and kind, for all products of that kind."""
    by_model: dict[type, list[ProductPage]] = {}
    for page in products:
        by_model.setdefault(type(page), []).append(page)
    for model, pages in by_model.items():
        for fk in model._meta.concrete_fields:
            if not (fk.many_to_one and fk.model is model):
                continue
            # in_bulk: batched IN lists (prefetch_related_objects' query for a hidden
            # relation is one OR per row, deeper than SQLite allows past ~1,000 rows)
            ids = {getattr(page, fk.attname) for page in pages} - {None}
            found = fk.related_model._default_manager.in_bulk(ids)
            for page in pages:
                if getattr(page, fk.attname) in found:
                    setattr(page, fk.name, found[getattr(page, fk.attname)])


def _main_text(html: str) -> str:
    """The words of a rendered page's <main> (the product, not the site's chrome): the
    page is not rendered a second time for its index."""
    start, end = html.find("<main"), html.rfind("</main>")
    body = html[start:end] if 0 <= start < end else html
    # our templates' own output (text and attributes escaped): a pattern finds its tags,
    # as strip_tags' HTML parser would, in a tenth of the time
    return " ".join(unescape(MARKUP.sub("", body)).split())


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _static_bytes(name: str) -> bytes:
    found = finders.find(name)
    if found:
        return Path(found).read_bytes()
    with staticfiles_storage.open(name, "rb") as fh:
        return fh.read()


def _provider(storage, name: str) -> ContentProvider:
    try:
        return _LocalFileProvider(storage.path(name))
    except NotImplementedError:  # remote storage: stream it
        return _StorageProvider(storage, name)


@dataclass(frozen=True)
class Built:
    path: Path
    name: str
    product_count: int


def build(codes: list[str], out_dir: Path, *, kiosk: bool = False) -> Built:
    """Build the ZIM of ``codes`` in ``out_dir``; the previous file of the same name stays
    in place until the new one is complete."""
    export = Export(codes, kiosk=kiosk)
    final = out_dir / f"{export.name()}.zim"
    partial = out_dir / f".{export.name()}.zim.part"
    try:
        export.write(partial)
    except Exception as error:
        partial.unlink(missing_ok=True)
        raise OfflineError(_("Không tạo được tệp ZIM: %(error)s") % {"error": error}) from error
    os.replace(partial, final)
    return Built(final, export.name(), len(export.products))


def check(path: Path) -> None:
    """Debian's zimcheck, every check: a file it finds fault with is never offered."""
    try:
        result = subprocess.run(["zimcheck", "-A", str(path)], capture_output=True, text=True,
                                timeout=3600, check=False)
    except FileNotFoundError as error:
        raise OfflineError(_("Chưa cài zimcheck (gói Debian zim-tools).")) from error
    if result.returncode != 0:
        raise OfflineError(_("Tệp ZIM không qua zimcheck: %(output)s") % {
            "output": (result.stdout + result.stderr)[-2000:]})


def default_dir() -> Path:
    """Where the site keeps its ZIM files (``LOA_ZIM_DIR``)."""
    return Path(getattr(settings, "LOA_ZIM_DIR", settings.VAR_DIR / "zim"))
