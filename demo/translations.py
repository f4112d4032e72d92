"""The languages part of the demo province (called by load_demo; safe to run again).

One bulletin exists in Vietnamese, Tày, Nùng and Chinese, each version with its own
recording made by espeak-ng: the Chinese one with the Mandarin voice (cmn); espeak-ng has
no Tày or Nùng voice, so the Vietnamese voice reads the Tày and Nùng texts (close enough
in sound for a demo, not for broadcast). The other enabled languages are requested from
translators with a due date, so the dashboard shows them as requested.

The Tày and Nùng texts are illustrative demo sentences, not checked by a native speaker.
"""

from __future__ import annotations

import datetime
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from cms.organisations.provisioning import ensure_translation_roles
from cms.products.models import BulletinPage
from demo.media import speech_mp3
from media_pipeline.models import MediaItem
from media_pipeline.probe import probe
from media_pipeline.publication import live_or_due, publish_when_ready
from translations import interface, languages
from translations.models import GlossaryTerm, InterfaceString, TranslationRequest
from translations.roles import translator_group_name
from translations.versions import ensure_translation

SOURCE_SLUG = "bulletin-01"
VERSIONS = {
    "tyz": {
        "title": "Slam pỉ noọng: tẳng mốc biên giới Hữu Nghị",
        "summary": "Pỉ noọng Tày, Nùng cạ Bộ đội Piên phòng tẳng mốc, chắng đường biên giới.",
        "speech": "Pỉ noọng Tày, Nùng cạ Bộ đội Piên phòng tẳng mốc, chắng đường biên giới "
                  "Lạng Sơn slim slằng.",
    },
    "nut": {
        "title": "Bản tin Nùng: chắng mốc biên giới Hữu Nghị",
        "summary": "Pí nọng Nùng, Tày cần bản đảy cạ Bộ đội Biên phòng chắng đường biên giới.",
        "speech": "Pí nọng Nùng, Tày cần bản đảy cạ Bộ đội Biên phòng chắng đường biên giới "
                  "Lạng Sơn.",
    },
    "zh-hans": {
        "title": "简报：守护友谊关界碑",
        "summary": "谅山省边境各族群众与边防部队一道守护界碑，建设和平友好的边境。",
        "speech": "谅山省边境各族群众与边防部队一道守护界碑，建设和平友好的边境。",
    },
}
# (language, Vietnamese term, approved rendering): demo glossary entries.
GLOSSARY = [
    ("tyz", "Biên phòng", "Piên phòng"),
    ("zh-hans", "Biên phòng", "边防"),
    ("zh-hans", "Lạng Sơn", "谅山"),
]
# A few interface strings in Tày, approved: the public site's menu on /tyz/ pages shows
# them, every other string stays Vietnamese (illustrative, like the texts above).
INTERFACE = {"tyz": {"Duyệt thư viện": "Ngòi thư viện", "Mới nhất": "Mấư tỉ"}}
TRANSLATORS = {"tyz": "dich.tay", "nut": "dich.nung", "ium": "dich.dao",
               "zh-hans": "dich.trung", "en": "dich.anh", "km": "dich.khmer"}


def load(stdout=None, set_passwords: bool = True) -> None:
    """Translations, translators, requests and glossary for the demo bulletin."""
    vi = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    source = BulletinPage.objects.filter(locale=vi, slug=SOURCE_SLUG).first()
    if source is None:
        return
    ensure_translation_roles()
    targets = [lang.code for lang in languages.active() if lang.code != settings.LANGUAGE_CODE]
    translators = _ensure_translators(targets, stdout, set_passwords)
    _ensure_glossary(targets)
    publisher = get_user_model().objects.filter(is_superuser=True).first()
    _ensure_interface(targets, publisher)
    with tempfile.TemporaryDirectory(prefix="loa-demo-lang-") as tmp:
        for code in targets:
            if code in VERSIONS:
                _publish_version(source, code, translators.get(code), publisher, Path(tmp))
            else:
                _request(source, code, translators.get(code))


def _ensure_translators(codes, stdout, set_passwords: bool) -> dict:
    users, lines = {}, []
    for code in codes:
        username = TRANSLATORS.get(code)
        if username is None:
            continue
        user, _created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": languages.BY_CODE[code].name_vi,
                                         "last_name": "Biên dịch",
                                         "email": f"{username}@loa.invalid"})
        user.groups.add(Group.objects.get(name=translator_group_name(code)))
        if set_passwords:
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.save()
            lines.append(f"  {username:<18} {password:<14} biên dịch {code}")
        users[code] = user
    if stdout is not None and lines:
        stdout.write("Người dịch mẫu (tên đăng nhập, mật khẩu, ngôn ngữ):")
        stdout.write("\n".join(lines))
    return users


def _ensure_interface(codes, reviewer) -> None:
    for code in codes:
        for msgid, text in INTERFACE.get(code, {}).items():
            InterfaceString.objects.update_or_create(
                language=code, context="", msgid=msgid,
                defaults={"proposed": text, "live": text, "approved_at": timezone.now(),
                          "approved_by": reviewer})
    interface.forget()


def _ensure_glossary(codes) -> None:
    for code, term, rendering in GLOSSARY:
        if code in codes:
            GlossaryTerm.objects.update_or_create(language=code, term_vi=term,
                                                  defaults={"rendering": rendering})


def _request(source, code: str, translator) -> TranslationRequest:
    req, _created = TranslationRequest.objects.get_or_create(
        product=source.page_ptr, language=code,
        defaults={"due_date": timezone.localdate() + datetime.timedelta(days=14),
                  "assignee": translator},
    )
    return req


@transaction.atomic
def _publish_version(source, code: str, translator, publisher, workdir: Path) -> None:
    locale = Locale.objects.get(language_code=code)
    existing = source.get_translation_or_none(locale)
    if existing is not None and live_or_due(existing):
        return
    _request(source, code, translator)
    text = VERSIONS[code]
    page = ensure_translation(source, locale, user=translator)
    page.title = text["title"]
    page.summary = text["summary"]
    page.body = _translated_body(page, [text["summary"], text["speech"]])
    voice = languages.BY_CODE[code].espeak_voice
    mp3 = speech_mp3(text["speech"], workdir / f"ban-tin-{code}.mp3", voice=voice, bed_hz=200)
    page.audio = _media_item(f"Âm thanh – {text['title']}", mp3, translator)
    # the request follows; live once its recording is converted
    publish_when_ready(page.save_revision(user=translator), user=publisher)


def _translated_body(page, paragraphs: list[str]) -> list[dict]:
    """The copied body with its paragraphs replaced in order; block ids stay, so the PO
    round trip still finds every block."""
    raw = [dict(item) for item in page.body.raw_data]
    texts = iter(paragraphs)
    for item in raw:
        if item["type"] == "paragraph":
            item["value"] = f"<p>{next(texts, paragraphs[-1])}</p>"
    return raw


def _media_item(title: str, path: Path, user) -> MediaItem:
    item = MediaItem(title=title, uploaded_by=user)
    item.apply_probe(probe(path))
    with path.open("rb") as fh:
        item.file.save(path.name, File(fh), save=False)
    item.save()
    return item
