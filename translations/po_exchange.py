"""PO round trip for translators who work offline.

Export: one entry per translatable segment of a product (segments.py), ``msgctxt`` = the
segment's path, ``msgid`` = the Vietnamese text, ``msgstr`` = the current translation
("" while it still equals the Vietnamese). The header names the product (its
translation_key) and the language. Import checks everything first — well-formed file,
same product, same language, every entry known and its Vietnamese unchanged, user allowed
to edit — and only then saves one draft revision of the language version. Nothing is
written when a check fails."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass

import polib
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from . import languages, segments
from .exceptions import ExchangeFileRefused
from .versions import ensure_translation

PRODUCT_HEADER = "X-Loa-Product"
IDENTIFIER_HEADER = "X-Loa-Identifier"


def current_content(page: Page) -> Page:
    """What an editor sees: the latest draft when there is one, else the page itself."""
    page = page.specific
    if page.has_unpublished_changes and page.latest_revision_id:
        return page.get_latest_revision_as_object()
    return page


def source_content(source: Page) -> Page:
    """The Vietnamese text translators work from: the live version when there is one."""
    source = source.specific
    return source if source.live else current_content(source)


def export_filename(source: Page, code: str) -> str:
    return f"{getattr(source.specific, 'identifier', '') or source.slug}-{code}.po"


def export_po(source: Page, code: str) -> str:
    locale = Locale.objects.get(language_code=code)
    translation = source.get_translation_or_none(locale)
    existing = dict(segments.segments(current_content(translation))) if translation else {}
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "Loa",
        "Language": code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "PO-Revision-Date": timezone.now().strftime("%Y-%m-%d %H:%M%z"),
        PRODUCT_HEADER: str(source.translation_key),
        IDENTIFIER_HEADER: getattr(source.specific, "identifier", ""),
    }
    for path, text in segments.segments(source_content(source)):
        translated = existing.get(path, "")
        po.append(polib.POEntry(
            msgctxt=path, msgid=text, msgstr="" if translated == text else translated,
            tcomment=_("Giữ nguyên các thẻ HTML (<p>, <a …>, <b>…).") if "<" in text else "",
        ))
    return str(po)


@dataclass
class ImportResult:
    translation: Page
    changed: list[str]


def parse_po(data: bytes) -> polib.POFile:
    """A translator's PO file, or ExchangeFileRefused saying in Vietnamese what is wrong."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExchangeFileRefused(_("Tệp không phải văn bản UTF-8.")) from exc
    if "msgid" not in text:
        raise ExchangeFileRefused(_("Tệp không phải tệp PO (không có mục msgid nào)."))
    # polib reads past some syntax errors (an unterminated string); GNU msgfmt does not.
    check = subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", "-"], input=data,
                           capture_output=True, timeout=60, check=False)
    if check.returncode != 0:
        detail = check.stderr.decode("utf-8", "replace").replace("<stdin>:", "").strip()
        raise ExchangeFileRefused(
            _("Tệp PO bị lỗi cú pháp: %(detail)s. Không có gì được thay đổi.")
            % {"detail": detail.splitlines()[0] if detail else check.returncode})
    try:
        return polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        raise ExchangeFileRefused(
            _("Tệp PO bị lỗi cú pháp: %(detail)s. Không có gì được thay đổi.") % {"detail": exc}
        ) from exc
    if "msgid" not in text:
        raise ExchangeFileRefused(_("Tệp không phải tệp PO (không có mục msgid nào)."))
    try:
        return polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        raise ExchangeFileRefused(
            _("Tệp PO bị lỗi cú pháp: %(detail)s. Không có gì được thay đổi.") % {"detail": exc}
        ) from exc


def _check_header(po: polib.POFile, source: Page, code: str) -> None:
    product = po.metadata.get(PRODUCT_HEADER, "")
    if product != str(source.translation_key):
        raise ExchangeFileRefused(_(
            "Tệp này thuộc sản phẩm khác (%(other)s), không phải “%(title)s”. "
            "Không có gì được thay đổi."
        ) % {"other": po.metadata.get(IDENTIFIER_HEADER) or product or _("không rõ"),
             "title": source.title})
    file_code = po.metadata.get("Language", "")
    if file_code != code:
        other = languages.get(file_code)
        raise ExchangeFileRefused(_(
            "Tệp này là bản %(file_lang)s, không phải %(lang)s. Không có gì được thay đổi."
        ) % {"file_lang": other.name_vi if other else file_code or _("không rõ ngôn ngữ"),
             "lang": languages.BY_CODE[code].name_vi})


def _texts(po: polib.POFile, source: Page) -> dict[str, str]:
    """path → text to store, after checking every entry against the Vietnamese source."""
    expected = dict(segments.segments(source_content(source)))
    texts = {}
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgctxt not in expected:
            raise ExchangeFileRefused(_(
                "Mục “%(path)s” không có trong sản phẩm này. Không có gì được thay đổi."
            ) % {"path": entry.msgctxt or entry.msgid[:40]})
        if entry.msgid != expected[entry.msgctxt]:
            raise ExchangeFileRefused(_(
                "Bản tiếng Việt của mục “%(path)s” đã thay đổi từ khi xuất tệp. "
                "Hãy xuất tệp mới. Không có gì được thay đổi."
            ) % {"path": entry.msgctxt})
        use = entry.msgstr and "fuzzy" not in entry.flags
        texts[entry.msgctxt] = entry.msgstr if use else entry.msgid
    return texts


@transaction.atomic
def import_po(source: Page, code: str, data: bytes, user) -> ImportResult:
    """Apply a translator's PO file to the ``code`` version of ``source`` as a draft."""
    if code == settings.LANGUAGE_CODE or code not in {lang.code for lang in languages.active()}:
        raise ExchangeFileRefused(_("Ngôn ngữ này không nhận bản dịch."))
    po = parse_po(data)
    _check_header(po, source, code)
    texts = _texts(po, source)
    translation = ensure_translation(source, Locale.objects.get(language_code=code), user=user)
    if not translation.permissions_for_user(user).can_edit():
        raise ExchangeFileRefused(_("Bạn không có quyền sửa bản %(lang)s của sản phẩm này.")
                                  % {"lang": languages.BY_CODE[code].name_vi})
    content = current_content(translation)
    changed = segments.apply(content, texts)
    if changed:
        content.save_revision(user=user, log_action=True)
    return ImportResult(translation, changed)
