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
        if "fuzzy" in entry.flags:
            # msgmerge's guess from a similar old string: start again from the source text.
            entry.msgstr, entry.msgstr_plural = "", {}
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = None
        if entry.msgid_plural:
            if not entry.msgstr_plural.get(0):
                entry.msgstr_plural = {0: entry.msgid_plural}  # one form: the general one
                filled += 1
        elif not entry.msgstr:
            entry.msgstr = entry.msgid
            filled += 1
    po.save(path)
    return filled


if __name__ == "__main__":
    for catalogue in sys.argv[1:]:
        print(f"{catalogue}: {fill(catalogue)} entries filled")
