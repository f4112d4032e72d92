"""The public site's interface in the province's languages, translated in the admin.

Which strings: every entry of the shipped Vietnamese catalogue that a public template uses
(``templates/`` outside the admin's). Translators export them as a PO file per language,
translate offline (Poedit, Virtaal…), import it back: the import checks every entry and
changes nothing when one is wrong (syntax, a placeholder lost or added). What they import
is *proposed*; a reviewer approves it and it goes *live*.

How the site uses them: the template tag library registered under the label ``i18n``
(``translations.templatetags.interface_i18n``, through the ``libraries`` option of the
template engine, which Django documents for giving an existing library another module) is
Django's own, with ``{% translate %}`` and ``{% blocktranslate %}`` looking in the live
interface strings of the active language first. A string nobody translated falls through
to Django's gettext: the shipped catalogue of the language, else Vietnamese. Each process
re-reads a language's live strings when their version (count and latest approval) changed,
checked at most every ``LOA_INTERFACE_REFRESH_SECONDS``: no deploy, no restart, no shared
cache needed. Why not gettext itself: Django offers no public way to put a catalogue in
front of the ones it loads (merging into its translation objects goes through
``trans_real``, private API), and Python's ``add_fallback`` would put ours behind the
Vietnamese fallback, where it is never reached.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polib
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import languages
from .exceptions import ExchangeFileRefused
from .models import InterfaceString
from .po_exchange import parse_po

PUBLIC_TEMPLATES = re.compile(r"^templates/(?!translations/admin/)")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
Key = tuple[str, str]  # (context, msgid)


@dataclass(frozen=True)
class Source:
    context: str
    msgid: str
    msgid_plural: str = ""


@cache
def public_strings() -> tuple[Source, ...]:
    """The interface strings public templates use, from the shipped Vietnamese catalogue."""
    path = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    found = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete or not any(PUBLIC_TEMPLATES.match(f) for f, _line in entry.occurrences):
            continue
        found.append(Source(entry.msgctxt or "", entry.msgid, entry.msgid_plural or ""))
    return tuple(found)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


# --- what the site shows ---------------------------------------------------------------

_lock = threading.Lock()
_memo: dict[str, tuple[float, tuple, dict[Key, tuple[str, str]]]] = {}


def _version(code: str) -> tuple:
    live = InterfaceString.objects.filter(language=code).exclude(live="")
    row = live.aggregate(n=Count("pk"), latest=Max("approved_at"))
    return row["n"], row["latest"]


def catalogue(code: str) -> dict[Key, tuple[str, str]]:
    """(context, msgid) → (live text, live plural) of ``code``; {} for Vietnamese."""
    if not code or code == settings.LANGUAGE_CODE:
        return {}
    refresh = getattr(settings, "LOA_INTERFACE_REFRESH_SECONDS", 5)
    now = time.monotonic()
    memo = _memo.get(code)
    if memo and now - memo[0] < refresh:
        return memo[2]
    version = _version(code)
    if memo and memo[1] == version:
        entries = memo[2]
    else:
        entries = {(row.context, row.msgid): (row.live, row.live_plural)
                   for row in InterfaceString.objects.filter(language=code).exclude(live="")}
    with _lock:
        _memo[code] = (now, version, entries)
    return entries


def forget(code: str | None = None) -> None:
    """Drop this process's copy of a language's live strings (all with None)."""
    with _lock:
        if code is None:
            _memo.clear()
        else:
            _memo.pop(code, None)


def lookup(code: str, context: str, msgid: str) -> tuple[str, str] | None:
    return catalogue(code).get((context, msgid))


# --- progress ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Coverage:
    language: languages.Language
    live: int
    pending: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.live / self.total) if self.total else 0


def coverage(codes: list[str]) -> list[Coverage]:
    keys = {(s.context, s.msgid) for s in public_strings()}
    rows = InterfaceString.objects.filter(language__in=codes).values_list(
        "language", "context", "msgid", "live", "proposed", "live_plural", "proposed_plural")
    live: dict[str, int] = dict.fromkeys(codes, 0)
    pending: dict[str, int] = dict.fromkeys(codes, 0)
    for code, context, msgid, text, proposed, plural, proposed_plural in rows:
        if (context, msgid) not in keys:
            continue
        live[code] += bool(text)
        pending[code] += (proposed, proposed_plural) != (text, plural)
    return [Coverage(languages.BY_CODE[c], live[c], pending[c], len(keys)) for c in codes]


# --- PO exchange ---------------------------------------------------------------------------

def export_filename(code: str) -> str:
    return f"giao-dien_{code}.po"


def export_po(code: str) -> str:
    """Every public string, with what the language has (proposed, else live)."""
    existing = {(r.context, r.msgid): r for r in InterfaceString.objects.filter(language=code)}
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": "Loa – giao diện", "Language": code,
                   "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit",
                   "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for source in public_strings():
        row = existing.get((source.context, source.msgid))
        entry = polib.POEntry(msgctxt=source.context or None, msgid=source.msgid)
        if source.msgid_plural:
            entry.msgid_plural = source.msgid_plural
            entry.msgstr_plural = {0: row.proposed if row else "",
                                   1: row.proposed_plural if row else ""}
        else:
            entry.msgstr = row.proposed if row else ""
        if placeholders(source.msgid):
            entry.tcomment = _("Giữ nguyên các chỗ thay thế: %(list)s") % {
                "list": " ".join(placeholders(source.msgid))}
        po.append(entry)
    return str(po)


@dataclass(frozen=True)
class ImportResult:
    changed: int
    unknown: int


def _check_placeholders(source: str, translated: str) -> None:
    if translated and placeholders(translated) != placeholders(source):
        raise ExchangeFileRefused(_(
            "Bản dịch của “%(msgid)s” phải giữ đúng các chỗ thay thế %(expected)s "
            "(bản dịch có: %(found)s). Không có gì được thay đổi.") % {
            "msgid": source[:60], "expected": " ".join(placeholders(source)) or "—",
            "found": " ".join(placeholders(translated)) or "—"})


@transaction.atomic
def import_po(code: str, data: bytes) -> ImportResult:
    """Store a translator's PO file as the proposed translation of ``code``: every entry is
    checked first, and one bad entry refuses the whole file."""
    if code == settings.LANGUAGE_CODE or code not in {lang.code for lang in languages.active()}:
        raise ExchangeFileRefused(_("Ngôn ngữ này không nhận bản dịch."))
    po = parse_po(data)
    file_code = po.metadata.get("Language", "")
    if file_code != code:
        other = languages.get(file_code)
        raise ExchangeFileRefused(_(
            "Tệp này là bản %(file_lang)s, không phải %(lang)s. Không có gì được thay đổi."
        ) % {"file_lang": other.name_vi if other else file_code or _("không rõ ngôn ngữ"),
             "lang": languages.BY_CODE[code].name_vi})
    sources = {(s.context, s.msgid): s for s in public_strings()}
    accepted: dict[Key, tuple[str, str]] = {}
    unknown = 0
    for entry in po:
        key = (entry.msgctxt or "", entry.msgid)
        if entry.obsolete or key not in sources:
            unknown += not entry.obsolete
            continue
        if "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            text, plural = entry.msgstr_plural.get(0, ""), entry.msgstr_plural.get(1, "")
            _check_placeholders(entry.msgid_plural, plural)
        else:
            text, plural = entry.msgstr, ""
        _check_placeholders(entry.msgid, text)
        if text:
            accepted[key] = (text, plural)
    changed = 0
    for (context, msgid), (text, plural) in accepted.items():
        row, _created = InterfaceString.objects.get_or_create(
            language=code, context=context, msgid=msgid,
            defaults={"msgid_plural": sources[(context, msgid)].msgid_plural})
        if (row.proposed, row.proposed_plural) != (text, plural):
            row.proposed, row.proposed_plural = text, plural
            row.save(update_fields=["proposed", "proposed_plural", "updated_at"])
            changed += 1
    return ImportResult(changed, unknown)


@transaction.atomic
def approve(code: str, user, ids: list[int] | None = None) -> int:
    """Put the proposed translations of ``code`` (all, or the rows ``ids``) live."""
    rows = InterfaceString.objects.select_for_update().filter(language=code).filter(
        ~Q(proposed=F("live")) | ~Q(proposed_plural=F("live_plural")))
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    now = timezone.now()
    count = 0
    for row in rows:
        row.live, row.live_plural = row.proposed, row.proposed_plural
        row.approved_at, row.approved_by = now, user
        row.save(update_fields=["live", "live_plural", "approved_at", "approved_by",
                                "updated_at"])
        count += 1
    # This process sees it at once (and again once committed, in case a render in between
    # read the rows before the commit); the others within LOA_INTERFACE_REFRESH_SECONDS.
    forget(code)
    transaction.on_commit(lambda: forget(code))
    return count

