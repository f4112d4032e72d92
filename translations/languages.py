"""The languages Loa supports, in one place.

The set is fixed in code (so that modeltranslation columns and message catalogues exist for
every one); a deployment switches languages on within it with ``LOA_LANGUAGES``.
Codes are ISO 639-1 where one exists, ISO 639-3 otherwise; Chinese uses Django's
``zh-hans``. Every code was checked against ISO 639-3 (Debian's ``iso-codes`` data; the
test suite checks again): Tày ``tyz``, Nùng ``nut`` ("Nung (Viet Nam)"), Dao ``ium``
(Iu Mien, the largest Dao group), Mông ``hmn`` (the Hmong macrolanguage: Vietnam's Mông
varieties are mww/hnj/hmv…, one written standard), Thái ``blt`` (Tai Dam, Black Tai),
Cơ Tu ``ktv`` (Eastern Katu, Quảng Nam), Mường ``mtq``, Ê Đê ``rad``, Gia Rai ``jra``,
Ba Na ``bdq``, Hà Nhì ``hni``.
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
    iso639_3: str = ""  # the ISO 639-3 code the code above stands for
    espeak_voice: str = "vi"  # espeak-ng voice for demo recordings (no voice: read as vi)

    @property
    def web_font(self) -> str:
        """The @font-face family the site serves for this script ("" = system Latin fonts)."""
        return WEB_FONT_BY_SCRIPT.get(self.script, "")

    @property
    def hreflang(self) -> str:
        return "zh-Hans" if self.code == "zh-hans" else self.code


SUPPORTED: tuple[Language, ...] = (
    Language("vi", "Tiếng Việt", "Tiếng Việt", "Vietnamese", "Latn", "Noto Sans",
             iso639_3="vie"),
    Language("en", "Tiếng Anh", "English", "English", "Latn", "Noto Sans", iso639_3="eng",
             espeak_voice="en"),
    Language("zh-hans", "Tiếng Trung (giản thể)", "简体中文", "Chinese (Simplified)", "Hans",
             "Noto Sans CJK SC", iso639_3="zho", espeak_voice="cmn"),
    Language("tyz", "Tiếng Tày", "Tiếng Tày", "Tày", "Latn", "Noto Sans", iso639_3="tyz"),
    Language("nut", "Tiếng Nùng", "Tiếng Nùng", "Nùng", "Latn", "Noto Sans", iso639_3="nut"),
    Language("ium", "Tiếng Dao", "Iu Mienh", "Dao (Iu Mien)", "Latn", "Noto Sans",
             iso639_3="ium"),
    Language("hmn", "Tiếng Mông", "Lus Hmoob", "Hmong", "Latn", "Noto Sans", iso639_3="hmn"),
    Language("blt", "Tiếng Thái", "ꪁꪫꪱꪣ ꪼꪕ", "Tai Dam (Black Tai)", "Tavt", "Noto Sans Tai Viet",
             iso639_3="blt"),
    Language("km", "Tiếng Khmer", "ភាសាខ្មែរ", "Khmer", "Khmr", "Noto Sans Khmer",
             iso639_3="khm"),
    Language("ktv", "Tiếng Cơ Tu", "Cơ Tu", "Katu (Eastern)", "Latn", "Noto Sans",
             iso639_3="ktv"),
    Language("mtq", "Tiếng Mường", "Thiếng Mường", "Muong", "Latn", "Noto Sans", iso639_3="mtq"),
    Language("rad", "Tiếng Ê Đê", "Klei Êđê", "Rade", "Latn", "Noto Sans", iso639_3="rad"),
    Language("jra", "Tiếng Gia Rai", "Tơlơi Jrai", "Jarai", "Latn", "Noto Sans", iso639_3="jra"),
    Language("bdq", "Tiếng Ba Na", "Bahnar", "Bahnar", "Latn", "Noto Sans", iso639_3="bdq"),
    Language("hni", "Tiếng Hà Nhì", "Haqniq", "Hani", "Latn", "Noto Sans", iso639_3="hni"),
)

BY_CODE: dict[str, Language] = {lang.code: lang for lang in SUPPORTED}
DEFAULT = "vi"

# Scripts whose glyphs Latin system fonts lack: the site serves a subset of Noto for each
# (see translations/fonts.py). Latin with Vietnamese diacritics uses the system's fonts.
WEB_FONT_BY_SCRIPT = {"Khmr": "Loa Khmer", "Tavt": "Loa Tai Viet", "Hans": "Loa CJK SC"}

# Languages a province switches on when LOA_LANGUAGES is not set, by LOA_PROVINCE_CODE,
# from the provinces' 2023 plans. Anything else gets Vietnamese, English and Chinese.
PROVINCE_DEFAULTS: dict[str, tuple[str, ...]] = {
    "LSN": ("vi", "tyz", "nut", "ium", "zh-hans", "en"),  # Lạng Sơn
    "STG": ("vi", "km", "en"),  # Sóc Trăng
    "LCU": ("vi", "blt", "hmn", "hni", "zh-hans", "en"),  # Lai Châu
    "QNM": ("vi", "ktv", "en"),  # Quảng Nam
}
FALLBACK_DEFAULT = ("vi", "en", "zh-hans")


def province_default(province_code: str) -> str:
    """``LOA_LANGUAGES`` default for a province, as the comma-separated setting reads it."""
    return ",".join(PROVINCE_DEFAULTS.get(province_code.upper(), FALLBACK_DEFAULT))


def enabled(codes: list[str]) -> list[Language]:
    """The languages a deployment switched on, Vietnamese always first."""
    unknown = [c for c in codes if c not in BY_CODE]
    if unknown:
        raise ValueError(f"LOA_LANGUAGES names unsupported codes: {', '.join(unknown)}")
    ordered = [DEFAULT, *[c for c in codes if c != DEFAULT]]
    return [BY_CODE[c] for c in dict.fromkeys(ordered)]


def django_languages(codes: list[str]) -> list[tuple[str, str]]:
    return [(lang.code, lang.name_local) for lang in enabled(codes)]


def active() -> list[Language]:
    """The languages switched on in this deployment (settings.LANGUAGES), Vietnamese first."""
    from django.conf import settings

    return enabled([code for code, _name in settings.LANGUAGES])


def get(code: str) -> Language | None:
    return BY_CODE.get(code)


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
