"""The translatable text of a product page, as (path, text) segments.

Paths name a field (``title``) or a text inside a StreamField block by the block's stable
id (``body/<id>``, ``body/<id>/caption``). Language versions made with
copy_for_translation keep block ids, so a path finds the same place in every version.
Values are taken and written back as stored, so rich-text markup passes through untouched.
"""

from __future__ import annotations

import copy
import re
from html import unescape

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.fields import StreamField

from .exceptions import ExchangeFileRefused
from .sanitise import check_plain_text, clean_rich_text

PAGE_TEXT_FIELDS = ("title", "seo_title", "search_description", "summary")
TEXT_BLOCKS = (blocks.CharBlock, blocks.TextBlock, blocks.RichTextBlock)


def _stream_fields(page) -> list[StreamField]:
    return [f for f in page._meta.get_fields() if isinstance(f, StreamField)]


def _walk(block, value, path: str):
    """Yield (path, text) for every text inside one raw block value."""
    if isinstance(block, TEXT_BLOCKS):
        if isinstance(value, str) and value.strip():
            yield path, value
    elif isinstance(block, blocks.StructBlock) and isinstance(value, dict):
        for name, child in block.child_blocks.items():
            yield from _walk(child, value.get(name), f"{path}/{name}")


def segments(page) -> list[tuple[str, str]]:
    """Ordered translatable segments of ``page`` (its current, possibly draft, content)."""
    found = [(name, getattr(page, name)) for name in PAGE_TEXT_FIELDS
             if isinstance(getattr(page, name, None), str) and getattr(page, name).strip()]
    for field in _stream_fields(page):
        stream = getattr(page, field.name)
        for item in stream.raw_data:
            block = field.stream_block.child_blocks.get(item["type"])
            if block is not None:
                yield_path = f"{field.name}/{item['id']}"
                found.extend(_walk(block, item["value"], yield_path))
    return found


def _set_in(value, keys: list[str], text: str):
    if not keys:
        return text
    if not isinstance(value, dict) or keys[0] not in value:
        raise KeyError(keys[0])
    value[keys[0]] = _set_in(value[keys[0]], keys[1:], text)
    return value


def _block_at(field: StreamField, item: dict, keys: list[str]):
    block = field.stream_block.child_blocks.get(item.get("type"))
    for key in keys:
        block = block.child_blocks.get(key) if isinstance(block, blocks.StructBlock) else None
    return block


def entering(block, path: str, text: str) -> str:
    """``text`` as it may be stored at ``path``: rich text through Wagtail's whitelist,
    plain text refused when it holds control characters."""
    if isinstance(block, blocks.RichTextBlock):
        return clean_rich_text(text, block.features)
    try:
        return check_plain_text(text)
    except ValidationError as exc:
        raise ExchangeFileRefused(_(
            "Mục “%(path)s” chứa ký tự điều khiển không in được. Không có gì được thay đổi."
        ) % {"path": path}) from exc


def apply(page, new_texts: dict[str, str]) -> list[str]:
    """Write ``new_texts`` (path → text) into ``page`` in memory. Returns changed paths.
    A path that does not exist in ``page`` raises ExchangeFileRefused before anything is
    written. Every text passes ``entering`` first."""
    changed = []
    new_texts = dict(new_texts)
    streams: dict[str, list] = {}
    for path, text in new_texts.items():
        head, _sep, rest = path.partition("/")
        if not rest:
            if head not in PAGE_TEXT_FIELDS:
                raise ExchangeFileRefused(_("Tệp có mục lạ “%(path)s”.") % {"path": path})
            text = new_texts[path] = entering(None, path, text)
            if getattr(page, head) != text:
                changed.append(path)
            continue
        if head not in streams:
            field = page._meta.get_field(head) if head in {
                f.name for f in _stream_fields(page)} else None
            if field is None:
                raise ExchangeFileRefused(_("Tệp có mục lạ “%(path)s”.") % {"path": path})
            streams[head] = copy.deepcopy(list(getattr(page, head).raw_data))
        block_id, *keys = rest.split("/")
        item = next((i for i in streams[head] if i.get("id") == block_id), None)
        if item is None:
            raise ExchangeFileRefused(_(
                "Bản dịch không còn khối nội dung “%(path)s”: cấu trúc bài đã khác bản gốc."
            ) % {"path": path})
        field = page._meta.get_field(head)
        text = new_texts[path] = entering(_block_at(field, item, keys), path, text)
        try:
            old = _get_in(item["value"], keys)
            item["value"] = _set_in(item["value"], keys, text)
        except KeyError as exc:
            raise ExchangeFileRefused(_("Tệp có mục lạ “%(path)s”.") % {"path": path}) from exc
        if old != text:
            changed.append(path)
    for path in changed:
        head, _sep, rest = path.partition("/")
        if not rest:
            setattr(page, head, new_texts[path])
    for name, raw in streams.items():
        if any(p.startswith(f"{name}/") for p in changed):
            setattr(page, name, raw)
    return changed


def _get_in(value, keys: list[str]):
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            raise KeyError(key)
        value = value[key]
    return value


TAG = re.compile(r"<[^>]+>")


def plain_text(text: str) -> str:
    """Text without markup, for the glossary check."""
    return " ".join(unescape(TAG.sub(" ", text)).split())
