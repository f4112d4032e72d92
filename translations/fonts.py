"""Fonts for scripts that Latin system fonts lack: Khmer, Tai Viet and Simplified Chinese.

``build_fonts`` subsets Debian's fonts (Noto Sans Khmer and Tai Viet from fonts-noto-core,
Droid Sans Fallback from fonts-droid-fallback for Chinese) into WOFF2 files under
static/fonts/ and writes loa-fonts.css. Nothing is fetched from elsewhere. Pages stay
light because:
- each rendered page links a stylesheet of its own whose faces hold exactly the characters
  the page shows (translations.page_fonts); the files here are the fallback for text a
  page did not have when it was rendered, and for pages that are not Wagtail pages;
- each @font-face first asks for the font by its local names (Noto Sans CJK SC for
  Chinese), so a device that has it (most Android phones) downloads nothing;
- each @font-face has a ``unicode-range``, so a browser downloads a file only when the page
  has text in that script, and the families are used only under ``:lang(km)``,
  ``:lang(blt)`` and ``:lang(zh-Hans)``;
- Chinese is drawn from Droid Sans Fallback without OpenType layout features: about 75
  bytes a hanzi in WOFF2, against about 145 for Noto Sans CJK (whose features would pull in
  every vertical, Japanese and Korean variant as well). The fallback is limited to the
  3,755 hanzi of GB 2312 level 1 (the common characters of modern text) plus CJK
  punctuation, cut into slices by code point so each slice's unicode-range stays one run
  (slices by frequency would need every character listed, ~10 KB of CSS on every page);
- the hanzi of the languages' own names, which every page's language menu shows, come
  from a small file of their own rather than from the slices.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from fontTools import subset
from fontTools.ttLib import TTFont
from PIL import ImageFont, features

from . import languages

logging.getLogger("fontTools").setLevel(logging.WARNING)  # it logs every glyph at INFO

NOTO_CORE = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")
DROID = Path("/usr/share/fonts/truetype/droid")
CSS_NAME = "loa-fonts.css"
BUILD_VERSION = "2"  # bump when the subsets below change


@dataclass(frozen=True)
class FontSource:
    family: str  # the @font-face family (languages.WEB_FONT_BY_SCRIPT)
    path: Path
    font_number: int  # index inside a .ttc collection
    stem: str
    lang_selectors: tuple[str, ...]
    # OpenType features to keep: Khmer and Tai Viet need their shaping; horizontal Chinese
    # needs none, and keeping them ("*") pulls in every vertical and Japanese/Korean variant.
    layout_features: tuple[str, ...] = ("*",)
    # Other fonts of the script a phone may have, asked for by name before downloading.
    also_local: tuple[str, ...] = ()


def _ranges(*pairs: tuple[int, int]) -> list[int]:
    return [cp for start, end in pairs for cp in range(start, end + 1)]


# Joiners and the dotted circle that shaping inserts before a lone combining mark.
COMMON = _ranges((0x200B, 0x200D), (0x25CC, 0x25CC))
SOURCES = {
    "Khmr": FontSource("Loa Khmer", NOTO_CORE / "NotoSansKhmer-Regular.ttf", 0, "khmer",
                       (":lang(km)",)),
    "Tavt": FontSource("Loa Tai Viet", NOTO_CORE / "NotoSansTaiViet-Regular.ttf", 0, "taiviet",
                       (":lang(blt)",)),
    # Droid Sans Fallback (Android's CJK font before Noto; fonts-droid-fallback) draws a
    # hanzi in about half the bytes of Noto Sans CJK (~75 against ~145 per glyph in WOFF2),
    # which is what keeps a 1,500-character Chinese page's font within the page budget.
    "Hans": FontSource("Loa CJK SC", DROID / "DroidSansFallbackFull.ttf", 0, "cjk-sc",
                       (":lang(zh-Hans)", ":lang(zh-hans)", ":lang(zh)"), (),
                       ("Noto Sans CJK SC", "NotoSansCJKsc-Regular", "Noto Sans SC")),
}
# Where a page's characters are looked for, per script (then kept if the font has them):
# CJK punctuation, Extension A, the unified ideographs, compatibility ideographs, full-width
# forms and the supplementary planes' ideographs.
SCRIPT_BLOCKS = {
    "Khmr": ((0x1780, 0x17FF), (0x19E0, 0x19FF)),
    "Tavt": ((0xAA80, 0xAADF),),
    "Hans": ((0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
             (0xFF00, 0xFFEF), (0x20000, 0x3134F)),
}
SCRIPT_CODEPOINTS = {script: _ranges(*SCRIPT_BLOCKS[script]) for script in ("Khmr", "Tavt")}
CJK_SLICES = 8


def gb2312_level1() -> list[int]:
    """The 3,755 common hanzi (GB 2312 rows 16–55), by code point."""
    chars = set()
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return sorted(chars)


def cjk_slices() -> list[list[int]]:
    hanzi = gb2312_level1()
    size = -(-len(hanzi) // CJK_SLICES)
    slices = [hanzi[i:i + size] for i in range(0, len(hanzi), size)]
    punctuation = _ranges((0x3000, 0x303F), (0xFF01, 0xFF5E))
    return [punctuation, *slices]


def fonts_dir() -> Path:
    return Path(settings.BASE_DIR) / "static" / "fonts"


def subset_woff2(source: FontSource, codepoints: list[int]) -> bytes:
    """A WOFF2 font with the glyphs of ``codepoints`` (and what shaping them needs)."""
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = list(source.layout_features)
    options.hinting = False
    options.name_IDs = ["*"]
    font = TTFont(str(source.path), fontNumber=source.font_number, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _subset(source: FontSource, codepoints: list[int], dest: Path) -> None:
    dest.write_bytes(subset_woff2(source, codepoints))


def unicode_range(codepoints: list[int]) -> str:
    """CSS unicode-range for ``codepoints``, merged into runs."""
    runs, start = [], None
    for cp in sorted(set(codepoints)):
        if start is None:
            start = prev = cp
        elif cp == prev + 1:
            prev = cp
        else:
            runs.append((start, prev))
            start = prev = cp
    if start is not None:
        runs.append((start, prev))
    return ",".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def plan() -> list[tuple[FontSource, str, list[int], str]]:
    """(source, output file, code points, CSS unicode-range) for every file served."""
    files = []
    for script in ("Khmr", "Tavt"):
        codepoints = SCRIPT_CODEPOINTS[script] + COMMON
        files.append((SOURCES[script], f"{SOURCES[script].stem}.woff2", codepoints,
                      unicode_range(codepoints)))
    punctuation, *hanzi_slices = cjk_slices()
    files.append((SOURCES["Hans"], "cjk-sc-00.woff2", punctuation, unicode_range(punctuation)))
    for number, codepoints in enumerate(hanzi_slices, start=1):
        # One run per slice keeps the stylesheet small; characters in the run that the
        # slice lacks (outside GB 2312 level 1) fall back to the device's fonts.
        files.append((SOURCES["Hans"], f"cjk-sc-{number:02d}.woff2", codepoints,
                      f"U+{min(codepoints):X}-{max(codepoints):X}"))
    # Declared last, so browsers take it first for its few characters: the language menu
    # of every page shows "简体中文", which would otherwise fetch three slices (~400 KB).
    names = language_name_codepoints("Hans")
    files.append((SOURCES["Hans"], "cjk-sc-names.woff2", names, unicode_range(names)))
    return files


@functools.cache
def local_names(source: FontSource) -> tuple[str, ...]:
    """The names (full, PostScript) a device that has the source font knows it by: most
    Android phones ship Noto Sans CJK and the rest, and then download nothing."""
    names = TTFont(str(source.path), fontNumber=source.font_number, lazy=True)["name"]
    own = (names.getDebugName(4), names.getDebugName(6))
    return tuple(dict.fromkeys(n for n in (*source.also_local, *own) if n))


@functools.cache
def font_codepoints(source: FontSource) -> frozenset[int]:
    """The characters ``source`` has a glyph for."""
    return frozenset(TTFont(str(source.path), fontNumber=source.font_number,
                            lazy=True).getBestCmap())


# Below this, no served script has a character (every page's Latin text is skipped at once).
_LOWEST_SERVED = min(a for blocks in SCRIPT_BLOCKS.values() for a, _b in blocks)
_SMALL_SCRIPTS = {script: frozenset(cps) for script, cps in SCRIPT_CODEPOINTS.items()}


def script_characters(text: str) -> dict[str, str]:
    """The characters of ``text`` in each served script that its font can draw, sorted."""
    present = {cp for cp in map(ord, set(text)) if cp >= _LOWEST_SERVED}
    found = {}
    for script, blocks in SCRIPT_BLOCKS.items():
        if script in _SMALL_SCRIPTS:  # small blocks: a set intersection
            wanted = present & _SMALL_SCRIPTS[script]
        else:
            wanted = {cp for cp in present if any(a <= cp <= b for a, b in blocks)}
        if script in ("Khmr", "Tavt") and wanted:
            wanted |= set(COMMON)  # shaping may insert the dotted circle
        drawn = sorted(wanted & font_codepoints(SOURCES[script]))
        if drawn:
            found[script] = "".join(map(chr, drawn))
    return found


def font_face(source: FontSource, url: str, css_range: str) -> str:
    """One @font-face rule: the device's own copy first (local()), then ours."""
    local = "".join(f'local("{n}"),' for n in local_names(source))
    return (f'@font-face{{font-family:"{source.family}";src:{local}url("{url}") '
            f'format("woff2");font-display:swap;unicode-range:{css_range}}}')


def language_name_codepoints(script: str) -> list[int]:
    """The characters of the languages' own names written in ``script``."""
    return sorted({ord(ch) for lang in languages.SUPPORTED if lang.script == script
                   for ch in lang.name_local if not ch.isspace()})


def stylesheet(files, url_for: Callable[[str], str] = str) -> str:
    """The rules of ``files`` (see ``plan``), each file named by ``url_for(its name)``: as
    is beside them in static/fonts/, by its served URL elsewhere."""
    rules = [f"/* Loa web fonts, build {BUILD_VERSION}: made by `manage.py build_fonts` */"]
    for source, name, _codepoints, css_range in files:
        rules.append(font_face(source, url_for(name), css_range))
    rules.extend(lang_rule(source) for source in SOURCES.values())
    return "\n".join(rules) + "\n"


def lang_rule(source: FontSource) -> str:
    # Our face first: its unicode-range sends Latin text on to Noto Sans. Behind a system
    # font, Chromium never re-shapes Tai Viet text once the face arrives: it stays tofu.
    return (f'{",".join(source.lang_selectors)}{{font-family:"{source.family}",'
            f'"Noto Sans",sans-serif}}')


def build_fonts(dest: Path | None = None, force: bool = False) -> list[Path]:
    """Write the subsets and loa-fonts.css; skip files already built from the same plan."""
    dest = dest or fonts_dir()
    dest.mkdir(parents=True, exist_ok=True)
    files = plan()
    css = stylesheet(files)
    stamp = hashlib.sha256(css.encode()).hexdigest()[:16]
    stamp_file = dest / ".build-stamp"
    css_path = dest / CSS_NAME
    built = all((dest / name).exists() for _s, name, _c, _r in files) and css_path.exists()
    if built and not force and stamp_file.exists() and stamp_file.read_text() == stamp:
        return []
    written = []
    for source, name, codepoints, _range in files:
        _subset(source, codepoints, dest / name)
        written.append(dest / name)
    css_path.write_text(css, encoding="utf-8")
    stamp_file.write_text(stamp)
    return [*written, css_path]


def system_font_path(code: str) -> tuple[Path, int]:
    """The full Noto font (and .ttc index) for a language, for generated images."""
    lang = languages.BY_CODE[code]
    if lang.script == "Hans":  # images are not downloaded glyph by glyph: Noto's design
        return NOTO_CJK / "NotoSansCJK-Regular.ttc", 2
    source = SOURCES.get(lang.script)
    if source is None:
        return NOTO_CORE / "NotoSans-Regular.ttf", 0
    return source.path, source.font_number


def pillow_font(code: str, size: int) -> ImageFont.FreeTypeFont:
    """A Pillow font that has the glyphs of ``code``'s script; Raqm shapes Khmer."""
    path, index = system_font_path(code)
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size, index=index, layout_engine=engine)


def missing_glyphs(path: Path, text: str, font_number: int = 0) -> list[str]:
    """Characters of ``text`` the font at ``path`` has no glyph for (tofu in waiting)."""
    font = TTFont(str(path), fontNumber=font_number, lazy=True)
    cmap = font.getBestCmap()
    return [ch for ch in dict.fromkeys(text) if not ch.isspace() and ord(ch) not in cmap]
