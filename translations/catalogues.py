"""Message catalogues for every supported language except Vietnamese (the lead's).

Django routes ``/tyz/…`` only when ``check_for_language("tyz")`` finds a compiled
catalogue, and Django ships none for Tày, Nùng, Dao… So every supported language gets a
catalogue under locale/<locale>/LC_MESSAGES/django.po — at least the header; the
translations known here are the languages feature's own strings. Provinces' translators
complete them with ``manage.py makemessages -l tyz`` then ``compilemessages``."""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings
from django.utils.translation import to_locale

from . import languages

# The languages feature's own public strings, in the languages we can vouch for.
KNOWN: dict[str, dict[str, str]] = {
    "en": {
        "Sản phẩm này chưa có bản %(lang)s. Bạn đang xem bản tiếng Việt.":
            "This product has no %(lang)s version yet. You are reading the Vietnamese one.",
        "Chọn ngôn ngữ": "Choose a language",
        "chưa có bản này": "no version yet",
        "Các phiên bản ngôn ngữ": "Language versions",
        "Có bằng các ngôn ngữ": "Available in",
    },
    "zh-hans": {
        "Sản phẩm này chưa có bản %(lang)s. Bạn đang xem bản tiếng Việt.":
            "本产品尚无%(lang)s版本，您正在阅读越南语版本。",
        "Chọn ngôn ngữ": "选择语言",
        "chưa có bản này": "暂无此版本",
        "Các phiên bản ngôn ngữ": "语言版本",
        "Có bằng các ngôn ngữ": "可用语言",
    },
}


def catalogue_path(code: str) -> Path:
    return Path(settings.BASE_DIR) / "locale" / to_locale(code) / "LC_MESSAGES" / "django.po"


def write_catalogue(lang: languages.Language) -> Path:
    """Create the catalogue if missing, and add the known strings it lacks."""
    path = catalogue_path(lang.code)
    path.parent.mkdir(parents=True, exist_ok=True)
    po = polib.pofile(str(path), wrapwidth=0) if path.exists() else polib.POFile(wrapwidth=0)
    if not path.exists():
        po.metadata = {
            "Project-Id-Version": "Loa",
            "Language": to_locale(lang.code),
            "Language-Team": lang.name_vi,
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    for msgid, msgstr in KNOWN.get(lang.code, {}).items():
        if po.find(msgid) is None:
            po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    po.save(str(path))
    return path


def write_all() -> list[Path]:
    return [write_catalogue(lang) for lang in languages.SUPPORTED
            if lang.code != languages.DEFAULT]
