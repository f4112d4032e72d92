"""What goes into the package of one language version, decided without reading any file.

The media original (designated master when no master rendition is ready) and every READY
master/delivery rendition, cover and its thumbnail, document PDF or print artwork, the
text as HTML and plain text, and the metadata. ``fingerprint`` is computed from stored
identities (names, sizes, stored hashes) and the page's content, so an unchanged product
is recognised in milliseconds and a changed one gets a new package version."""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import mimetypes
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.text import slugify
from wagtail.images.models import Filter

from cms.products.models import DocumentPage, PrintPage, ProductPage
from media_pipeline.models import MediaItem, Rendition

from .metadata import describe, dublin_core, dublin_core_xml, metadata_json

MASTER_PROFILES = ("broadcast-master-wav", "broadcast-master")
DELIVERY_PROFILES = ("radio-loudspeaker", "phone-audio", "kiosk-1080", "phone-360")
PICTURE_PROFILES = ("poster", "thumbnail")
COVER_THUMBNAIL_SPEC = "max-480x480|format-jpeg"


@dataclass(frozen=True)
class SourceFile:
    """A stored file copied into ``data/<path>`` of the bag."""

    path: str
    role: str  # master, original, delivery, poster, thumbnail, cover, document, artwork
    mime_type: str
    identity: str  # cheap content identity: stored hash, or storage name and size
    resolve: Callable[[], FieldFile] = field(compare=False, repr=False)
    profile: str = ""
    sha256: str = ""  # stored hex digest, checked when the file is read into the bag

    def describe(self) -> dict:
        entry = {"path": f"data/{self.path}", "role": self.role, "mime_type": self.mime_type}
        if self.profile:
            entry["profile"] = self.profile
        return entry


@dataclass
class Package:
    page: ProductPage
    language: str
    files: list[SourceFile]
    metadata: dict
    fingerprint: str

    @property
    def identifier(self) -> str:
        return self.page.identifier

    def contents(self) -> list[dict]:
        """The files of the package and their roles, as recorded on the delivery record."""
        generated = [
            {"path": "data/text/content.html", "role": "text", "mime_type": "text/html"},
            {"path": "data/text/content.txt", "role": "text", "mime_type": "text/plain"},
            {"path": "data/metadata/dublin-core.xml", "role": "metadata",
             "mime_type": "application/xml"},
            {"path": "data/metadata/metadata.json", "role": "metadata",
             "mime_type": "application/json"},
        ]
        return [f.describe() for f in self.files] + generated

    def generated_files(self) -> dict[str, bytes]:
        """Files written for the package (rendered at bagging time, not for fingerprints)."""
        return {
            "text/content.html": text_html(self.page).encode(),
            "text/content.txt": text_plain(self.page).encode(),
            "metadata/dublin-core.xml": dublin_core_xml(dublin_core(self.metadata)),
            "metadata/metadata.json": metadata_json(self.metadata, self.contents()),
        }


def _ext(name: str, default: str = "") -> str:
    return posixpath.splitext(name)[1].lower() or default


def _mime(name: str, fallback: str) -> str:
    return mimetypes.guess_type(name)[0] or fallback


def _constant(value: FieldFile) -> Callable[[], FieldFile]:
    return lambda: value


def media_files(page: ProductPage) -> list[SourceFile]:
    files: list[SourceFile] = []
    used: dict[str, int] = {}
    profiles = (*MASTER_PROFILES, *DELIVERY_PROFILES, *PICTURE_PROFILES)
    for item in page.specific.media_items():
        used[item.kind] = used.get(item.kind, 0) + 1
        slot = item.kind if used[item.kind] == 1 else f"{item.kind}-{used[item.kind]}"
        ready = {
            r.profile: r
            for r in item.renditions.filter(state=Rendition.State.READY, profile__in=profiles)
            if r.file
        }
        has_master = any(p in ready for p in MASTER_PROFILES)
        files.append(_original(item, slot, "original" if has_master else "master"))
        for profile in profiles:
            rendition = ready.get(profile)
            if rendition is None:
                continue
            role = ("master" if profile in MASTER_PROFILES
                    else "delivery" if profile in DELIVERY_PROFILES else profile)
            files.append(SourceFile(
                path=f"media/{slot}/{profile}{_ext(rendition.file.name)}",
                role=role,
                mime_type=rendition.mime_type or _mime(rendition.file.name,
                                                       "application/octet-stream"),
                identity=rendition.sha256 or f"{rendition.file.name}:{rendition.size}",
                resolve=_constant(rendition.file),
                profile=profile,
                sha256=rendition.sha256,
            ))
    return files


def _original(item: MediaItem, slot: str, role: str) -> SourceFile:
    fallback = "audio/mpeg" if item.kind == MediaItem.Kind.AUDIO else "video/mp4"
    return SourceFile(
        path=f"media/{slot}/original{_ext(item.file.name)}",
        role=role,
        mime_type=_mime(item.file.name, fallback),
        identity=f"{item.file.name}:{item.size}",
        resolve=_constant(item.file),
        profile="original",
    )


def _image_identity(image) -> str:
    return image.file_hash or f"{image.file.name}:{image.file_size}"


def picture_files(page: ProductPage) -> list[SourceFile]:
    cover = page.cover
    if cover is None:
        return []
    return [
        SourceFile(path=f"images/cover{_ext(cover.file.name)}", role="cover",
                   mime_type=_mime(cover.file.name, "image/jpeg"),
                   identity=_image_identity(cover), resolve=_constant(cover.file)),
        SourceFile(path="images/thumbnail.jpg", role="thumbnail", mime_type="image/jpeg",
                   identity=f"{_image_identity(cover)}|{COVER_THUMBNAIL_SPEC}",
                   resolve=lambda: cover_thumbnail(cover).file),
    ]


def cover_thumbnail(cover):
    """Wagtail's rendition of the cover; made again if its file went missing (a stale
    rendition cache entry must not break a package)."""
    rendition = cover.get_rendition(COVER_THUMBNAIL_SPEC)
    if not rendition.file.storage.exists(rendition.file.name):
        rendition.purge_from_cache()
        cover.renditions.filter(pk=rendition.pk).delete()
        rendition = cover.create_rendition(Filter(spec=COVER_THUMBNAIL_SPEC))
    return rendition


def document_files(page: ProductPage) -> list[SourceFile]:
    specific = page.specific
    docs: list[tuple[str, str, object]] = []
    if isinstance(specific, DocumentPage) and specific.pdf_id:
        docs.append(("document", f"document/{slugify(page.slug) or 'tai-lieu'}", specific.pdf))
    if isinstance(specific, PrintPage):
        if specific.artwork_pdf_id:
            docs.append(("artwork", "print/artwork", specific.artwork_pdf))
        if specific.artwork_image_id:
            image = specific.artwork_image
            return [*_docs(docs), SourceFile(
                path=f"print/artwork{_ext(image.file.name)}", role="artwork",
                mime_type=_mime(image.file.name, "image/jpeg"),
                identity=_image_identity(image), resolve=_constant(image.file))]
    return _docs(docs)


def _docs(docs) -> list[SourceFile]:
    return [
        SourceFile(path=f"{stem}{_ext(doc.file.name, '.pdf')}", role=role,
                   mime_type=_mime(doc.file.name, "application/pdf"),
                   identity=doc.file_hash or f"{doc.file.name}:{doc.file_size}",
                   resolve=_constant(doc.file))
        for role, stem, doc in docs
    ]


def _fingerprint(page: ProductPage, files: list[SourceFile], meta: dict) -> str:
    # Relations and links to the other language versions are left out: publishing the
    # English version is not a change of the Vietnamese package's content.
    stable = {k: v for k, v in meta.items() if k != "relation"}
    material = {
        "meta": stable,
        "body": page.specific.body.get_prep_value(),
        "files": [(f.path, f.role, f.profile, f.identity) for f in files],
    }
    encoded = json.dumps(material, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def source_stamp(page: ProductPage) -> str:
    """A one-query summary of what a package is made from: the live revision and the
    state of the media renditions. Equal stamps mean the package is unchanged, so the
    backlog run skips the full plan (vocabulary edits and in-place file replacements are
    caught by ``deliver_to_ministry --full`` or the product's next publication)."""
    page = page.specific
    item_ids = [getattr(page, f.attname) for f in page.media_item_fields()
                if getattr(page, f.attname)]
    state = Rendition.objects.filter(source_id__in=item_ids, state=Rendition.State.READY) \
        .aggregate(count=Count("id"), latest=Max("updated_at"))
    latest = state["latest"].isoformat() if state["latest"] else "-"
    return f"r{page.live_revision_id}|m{','.join(map(str, item_ids))}|{state['count']}|{latest}"


def build_package(page: ProductPage) -> Package:
    page = page.specific
    files = [*media_files(page), *picture_files(page), *document_files(page)]
    formats = [f.mime_type for f in files] + ["text/html", "text/plain"]
    meta = describe(page, formats)
    return Package(page=page, language=page.locale.language_code, files=files,
                   metadata=meta, fingerprint=_fingerprint(page, files, meta))


def text_html(page: ProductPage) -> str:
    return render_to_string("delivery/package_text.html", {"page": page.specific})


def text_plain(page: ProductPage) -> str:
    """The readable text, block by block, without markup."""
    page = page.specific
    parts = [page.title]
    if page.summary:
        parts.append(page.summary)
    for block in page.body:
        if block.block_type == "paragraph":
            html = block.value.source.replace("</p>", "</p>\n").replace("<br/>", "\n")
            parts.append(html_lib.unescape(strip_tags(html)).strip())
        elif block.block_type == "heading":
            parts.append(str(block.value))
        elif block.block_type == "quote":
            source = block.value.get("source")
            parts.append(block.value["text"] + (f" — {source}" if source else ""))
        elif block.block_type == "photo" and block.value.get("caption"):
            parts.append(f"[{block.value['caption']}]")
    return "\n\n".join(p for p in parts if p) + "\n"
