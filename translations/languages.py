"""The languages Loa supports, in one place.

The set is fixed in code (so that modeltranslation columns and message catalogues exist for
every one); a deployment switches languages on within it with ``LOA_LANGUAGES``.
Codes are ISO 639-1 where one exists, ISO 639-3 otherwise; Chinese uses Django's
``zh-hans``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47 / Django language code
    name_vi: str  # Vietnamese name, as the admin shows it
    name_local: str  # the language's own name for itself
    name_en: str
    script: str  # ISO 15924
    font_family: str  # the font the public site and generated images use
    bidi: bool = False


SUPPORTED: tuple[Language, ...] = (
    Language("vi", "Tiếng Việt", "Tiếng Việt", "Vietnamese", "Latn", "Noto Sans"),
    Language("en", "Tiếng Anh", "English", "English", "Latn", "Noto Sans"),
    Language("zh-hans", "Tiếng Trung (giản thể)", "简体中文", "Chinese (Simplified)", "Hans",
             "Noto Sans CJK SC"),
    Language("tyz", "Tiếng Tày", "Tiếng Tày", "Tày", "Latn", "Noto Sans"),
    Language("nut", "Tiếng Nùng", "Tiếng Nùng", "Nùng", "Latn", "Noto Sans"),
    Language("ium", "Tiếng Dao", "Iu Mienh", "Dao (Iu Mien)", "Latn", "Noto Sans"),
    Language("hmn", "Tiếng Mông", "Lus Hmoob", "Hmong", "Latn", "Noto Sans"),
    Language("blt", "Tiếng Thái", "ꪁꪫꪱꪣ ꪼꪕ", "Tai Dam (Black Tai)", "Tavt", "Noto Sans Tai Viet"),
    Language("km", "Tiếng Khmer", "ភាសាខ្មែរ", "Khmer", "Khmr", "Noto Sans Khmer"),
    Language("ktv", "Tiếng Cơ Tu", "Cơ Tu", "Katu (Eastern)", "Latn", "Noto Sans"),
    Language("mtq", "Tiếng Mường", "Thiếng Mường", "Muong", "Latn", "Noto Sans"),
    Language("rad", "Tiếng Ê Đê", "Klei Êđê", "Rade", "Latn", "Noto Sans"),
    Language("jra", "Tiếng Gia Rai", "Tơlơi Jrai", "Jarai", "Latn", "Noto Sans"),
    Language("bdq", "Tiếng Ba Na", "Bahnar", "Bahnar", "Latn", "Noto Sans"),
    Language("hni", "Tiếng Hà Nhì", "Haqniq", "Hani", "Latn", "Noto Sans"),
)

BY_CODE: dict[str, Language] = {lang.code: lang for lang in SUPPORTED}
DEFAULT = "vi"


def enabled(codes: list[str]) -> list[Language]:
    """The languages a deployment switched on, Vietnamese always first."""
    unknown = [c for c in codes if c not in BY_CODE]
    if unknown:
        raise ValueError(f"LOA_LANGUAGES names unsupported codes: {', '.join(unknown)}")
    ordered = [DEFAULT, *[c for c in codes if c != DEFAULT]]
    return [BY_CODE[c] for c in dict.fromkeys(ordered)]


def django_languages(codes: list[str]) -> list[tuple[str, str]]:
    return [(lang.code, lang.name_local) for lang in enabled(codes)]


def lang_info() -> dict[str, dict]:
    """``LANG_INFO`` entries for the codes Django does not ship."""
    return {
        lang.code: {
            "bidi": lang.bidi,
            "code": lang.code,
            "name": lang.name_en,
            "name_local": lang.name_local,
        }
        for lang in SUPPORTED
    }
