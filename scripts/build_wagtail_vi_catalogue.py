"""Build Loa's Vietnamese completion of Wagtail's admin catalogues.

Wagtail ships only a small part of its admin in Vietnamese. This script reads every English
msgid from the installed Wagtail's own catalogues (``wagtail/**/locale/en/LC_MESSAGES``), our
translation table ``locale_wagtail/translations_vi.tsv`` (``msgid<TAB>Vietnamese``) and
Wagtail's own Vietnamese catalogues, and writes ``locale_wagtail/vi/LC_MESSAGES/django.po``
and ``djangojs.po`` (and, with ``--compile``, their ``.mo`` files via msgfmt).

Rules:
- an entry we translate in the table goes into our catalogue (it wins over Wagtail's, since
  LOCALE_PATHS come before the apps' catalogues);
- an entry Wagtail already translates and the table does not mention is left out, so Django
  falls back to Wagtail's own translation;
- any other entry is written with an empty msgstr, so the .po doubles as the to-do list;
- a few of Django's own strings that the admin shows and Django's Vietnamese lacks (the
  "5 minutes ago" pieces) may also be given in the table; only those are taken from Django.

Vietnamese has one plural form (nplurals=1), so a plural entry takes one translation, written
from the English plural form (it keeps the count placeholder). Every %-style and {}-style
placeholder and every HTML tag of the English must appear unchanged in the translation; the
script refuses to write a catalogue otherwise, and refuses table rows whose msgid Wagtail no
longer has (they would be silently dead after a Wagtail upgrade).

Usage:
    python scripts/build_wagtail_vi_catalogue.py [--compile] [--check]

``--check`` writes nothing and exits 1 if the committed .po files are not what the table and
the installed Wagtail produce.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = BASE_DIR / "locale_wagtail" / "vi" / "LC_MESSAGES"
TABLE = BASE_DIR / "locale_wagtail" / "translations_vi.tsv"
DOMAINS = ("django", "djangojs")

PERCENT_RE = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxX%]")
BRACE_RE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")


def wagtail_dir() -> Path:
    import wagtail

    return Path(wagtail.__file__).resolve().parent


def placeholders(text: str) -> Counter:
    """%-style and {}-style placeholders (``%%`` included, so a lone % is noticed)."""
    return Counter(PERCENT_RE.findall(text)) + Counter(BRACE_RE.findall(text))


def tags(text: str) -> Counter:
    return Counter(TAG_RE.findall(text))


def problems(msgid: str, msgid_plural: str, msgstr: str) -> list[str]:
    """What is wrong with ``msgstr`` as the translation of (msgid, msgid_plural)."""
    found = []
    got = placeholders(msgstr)
    if msgid_plural:
        # One Vietnamese form stands for every count: it must keep the plural's placeholders
        # and may use the singular's, but nothing else.
        allowed = set(placeholders(msgid)) | set(placeholders(msgid_plural))
        missing = set(placeholders(msgid_plural)) - set(got)
        extra = set(got) - allowed
        if missing or extra:
            found.append(f"placeholders: missing {sorted(missing)}, unknown {sorted(extra)}")
        if sorted(tags(msgstr)) != sorted(tags(msgid_plural)):
            found.append("HTML tags differ from the English plural")
    else:
        if got != placeholders(msgid):
            found.append(f"placeholders {dict(got)} != {dict(placeholders(msgid))}")
        if tags(msgstr) != tags(msgid):
            found.append("HTML tags differ from the English")
    return found


@dataclass
class Source:
    msgid: str
    msgid_plural: str = ""
    flags: list[str] = field(default_factory=list)
    occurrences: list[tuple[str, str]] = field(default_factory=list)


def english_entries(domain: str) -> dict[str, Source]:
    """Every msgid of Wagtail's English catalogues for ``domain``, in Wagtail's order."""
    root = wagtail_dir()
    found: dict[str, Source] = {}
    for po_path in sorted(root.glob(f"**/locale/en/LC_MESSAGES/{domain}.po")):
        app = po_path.parents[3].relative_to(root.parent).as_posix()
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete or not entry.msgid or entry.msgctxt:
                continue
            src = found.setdefault(entry.msgid, Source(entry.msgid, entry.msgid_plural,
                                                       list(entry.flags)))
            if not src.msgid_plural and entry.msgid_plural:
                src.msgid_plural = entry.msgid_plural
            if entry.occurrences and len(src.occurrences) < 3:
                path, line = entry.occurrences[0]
                src.occurrences.append((f"{app}/{path}", line))
    return found


def django_entries(domain: str) -> dict[str, Source]:
    """Django's own English msgids for ``domain`` (used only where the table has a row)."""
    import django

    found: dict[str, Source] = {}
    root = Path(django.__file__).resolve().parent
    po_path = root / "conf" / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
    if po_path.exists():
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete or not entry.msgid or entry.msgctxt:
                continue
            found.setdefault(entry.msgid, Source(
                entry.msgid, entry.msgid_plural, list(entry.flags),
                [(f"django/conf/{p}", line) for p, line in entry.occurrences[:1]]))
    return found


def wagtail_vietnamese(domain: str) -> dict[str, str]:
    """Wagtail's own Vietnamese translations (msgid -> msgstr or msgstr[0])."""
    done: dict[str, str] = {}
    for po_path in sorted(wagtail_dir().glob(f"**/locale/vi/LC_MESSAGES/{domain}.po")):
        for entry in polib.pofile(str(po_path)):
            text = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
            if text and "fuzzy" not in entry.flags:
                done.setdefault(entry.msgid, text)
    return done


def read_table(path: Path = TABLE) -> dict[str, str]:
    """``msgid<TAB>msgstr`` rows; ``#`` comments and blank lines are skipped. Leading and
    trailing spaces of the English are carried over to the translation."""
    table: dict[str, str] = {}
    errors = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1].strip():
            errors.append(f"{path.name}:{number}: expected 'msgid<TAB>translation'")
            continue
        msgid, msgstr = parts
        if msgid in table and table[msgid] != msgstr:
            errors.append(f"{path.name}:{number}: {msgid!r} translated twice, differently")
        table[msgid] = msgstr
    if errors:
        raise SystemExit("\n".join(errors))
    return table


def with_edges(msgid: str, msgstr: str) -> str:
    """Give the translation the English's leading/trailing whitespace."""
    core = msgstr.strip()
    lead = msgid[: len(msgid) - len(msgid.lstrip())]
    trail = msgid[len(msgid.rstrip()):]
    return f"{lead}{core}{trail}"


def build(domain: str, table: dict[str, str]) -> tuple[polib.POFile, set[str]]:
    """The catalogue for ``domain`` and the table msgids it used."""
    po = polib.POFile(wrapwidth=100)
    po.metadata = {
        "Project-Id-Version": "Loa: Vietnamese completion of the Wagtail admin",
        "Language": "vi",
        "Language-Team": "Tiếng Việt",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    po.header = ("Generated by scripts/build_wagtail_vi_catalogue.py from "
                 "locale_wagtail/translations_vi.tsv; edit the table, not this file.")
    theirs = wagtail_vietnamese(domain)
    used: set[str] = set()
    errors = []
    sources = english_entries(domain)
    for msgid, src in django_entries(domain).items():
        if msgid in table and msgid not in sources:
            sources[msgid] = src
    for msgid, src in sources.items():
        ours = table.get(msgid)
        if ours is None and msgid in theirs:
            continue  # Wagtail's own Vietnamese stands
        entry = polib.POEntry(msgid=msgid, occurrences=src.occurrences,
                              flags=[f for f in src.flags if f != "fuzzy"])
        text = with_edges(msgid, ours) if ours is not None else ""
        if ours is not None:
            used.add(msgid)
            for problem in problems(msgid, src.msgid_plural, text):
                errors.append(f"{domain}: {msgid!r}: {problem}")
        if src.msgid_plural:
            entry.msgid_plural = src.msgid_plural
            entry.msgstr_plural = {0: text}
        else:
            entry.msgstr = text
        po.append(entry)
    if errors:
        raise SystemExit("\n".join(errors))
    return po, used


def translated(po: polib.POFile) -> int:
    return sum(1 for e in po if (e.msgstr_plural.get(0) if e.msgid_plural else e.msgstr))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compile", action="store_true", help="also write the .mo files")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; fail if the committed .po files are stale")
    args = parser.parse_args(argv)

    table = read_table()
    used_anywhere: set[str] = set()
    stale = []
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for domain in DOMAINS:
        po, used = build(domain, table)
        used_anywhere |= used
        target = OUT_DIR / f"{domain}.po"
        text = str(po)
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(str(target.relative_to(BASE_DIR)))
            continue
        target.write_text(text, encoding="utf-8")
        print(f"{target.relative_to(BASE_DIR)}: {translated(po)} translated, "
              f"{len(po) - translated(po)} left to Wagtail's English")
        if args.compile:
            subprocess.run(["msgfmt", "--check-format", "-o", str(target.with_suffix(".mo")),
                            str(target)], check=True)
    unknown = sorted(set(table) - used_anywhere)
    if unknown:
        print("Table rows whose msgid Wagtail does not have:", file=sys.stderr)
        for msgid in unknown:
            print(f"  {msgid!r}", file=sys.stderr)
        return 1
    if stale:
        print("Stale (run scripts/build_wagtail_vi_catalogue.py --compile):", *stale,
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
