"""Complete the Vietnamese catalogue. Loa's source strings are written in Vietnamese (the
provinces' translators work from Vietnamese), so each new vi entry starts as its own
msgid; reviewers may then improve wording here without touching code. Existing
translations are kept. Usage: python scripts/fill_vi_catalogue.py locale/vi/LC_MESSAGES/django.po
"""

import sys

import polib


def fill(path: str) -> int:
    po = polib.pofile(path)
    po.metadata.update({
        "Project-Id-Version": "Loa",
        "Language": "vi",
        "Language-Team": "Tiếng Việt",
        "Plural-Forms": "nplurals=1; plural=0;",
    })
    if "fuzzy" in po.metadata_is_fuzzy:
        po.metadata_is_fuzzy = []
    filled = 0
    for entry in po:
        if entry.msgid_plural:
            if not entry.msgstr_plural.get(0):
                entry.msgstr_plural = {0: entry.msgid}
                filled += 1
        elif not entry.msgstr:
            entry.msgstr = entry.msgid
            filled += 1
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(path)
    return filled


if __name__ == "__main__":
    for catalogue in sys.argv[1:]:
        print(f"{catalogue}: {fill(catalogue)} entries filled")
