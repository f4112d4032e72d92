"""Each page's own web fonts: the glyphs its text uses, one small WOFF2 per script.

A Chinese page of 1,500 characters uses some 500–700 different hanzi, scattered over the
code-point slices of the shared stylesheet (translations/fonts.py): a phone without a CJK
font would fetch most of the slices, several hundred KB. So every rendered page gets a
stylesheet of its own whose faces hold exactly the characters found in the page's HTML:
title, body, captions, language menu, interface strings, alt texts. Like Wagtail's
renditions, a spec (script + characters) gives a key and a row; the font is cut on first
request and kept in the row, so every web process and machine serves the same file. A page
just published has its fonts cut in the background (elibrary.publish_fonts), so its first
visitor finds them ready; the cut on request stays for whatever that missed. The shared
slices stay behind as the fallback for text a page did not have when it was rendered
(script-inserted text).

The page's stylesheet takes the shared one's place and carries its rules first (the page's
faces, declared last, are the ones browsers try first). With two stylesheets, Chromium
sometimes laid a page out with the shared faces before it had applied the page's own, and
fetched the shared slices too (hundreds of KB for a Chinese page).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging
import re
import time

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from . import fonts
from .models import PageFont

logger = logging.getLogger(__name__)
KEY_LENGTH = 20
# Keys this process found or made a row for, with when: a page shown again (the same text)
# then needs no lookup. Forgotten after KNOWN_FOR_SECONDS, so a row ``prune`` deleted in
# another process is made anew by the next render after that (until then the page falls
# back to the shared slices, as a cached page naming it does); forgotten at once when this
# process deletes rows or the database is emptied (tests).
KNOWN_FOR_SECONDS = 600
KNOWN_AT_MOST = 50_000
_known: dict[str, float] = {}


def font_key(script: str, characters: str) -> str:
    source = fonts.SOURCES[script]
    spec = f"{fonts.BUILD_VERSION}:{script}:{source.path.name}:{characters}"
    return hashlib.sha256(spec.encode()).hexdigest()[:KEY_LENGTH]


def _ensure_row(script: str, characters: str) -> str:
    # One indexed query per script a page shows, unless this process saw the row lately.
    key = font_key(script, characters)
    if time.monotonic() - _known.get(key, -KNOWN_FOR_SECONDS) < KNOWN_FOR_SECONDS:
        return key
    if not PageFont.objects.filter(key=key).exists():
        try:
            with transaction.atomic():
                PageFont.objects.create(key=key, script=script, characters=characters)
        except IntegrityError:  # another process made it first
            pass
    # Remembered once committed: a row made in a transaction that rolls back is not there.
    transaction.on_commit(lambda: _remember(key))
    return key


def _remember(key: str) -> None:
    if len(_known) >= KNOWN_AT_MOST:
        _known.clear()
    _known[key] = time.monotonic()


def forget_known_rows(**kwargs) -> None:
    """Rows were deleted (``prune``; a signal receiver for an emptied database)."""
    _known.clear()


def stylesheet_url(html: str) -> str:
    """URL of the stylesheet with ``html``'s own font subsets, or "" if it needs none."""
    keys = [_ensure_row(script, chars)
            for script, chars in fonts.script_characters(html).items()]
    if not keys:
        return ""
    return reverse("page_fonts:stylesheet", kwargs={"keys": "-".join(keys)})


def shared_stylesheet_url() -> str:
    """URL of the shared slices' stylesheet, or "" when web fonts are off or not built."""
    if not getattr(settings, "LOA_WEB_FONTS", True):
        return ""
    name = f"fonts/{fonts.CSS_NAME}"
    manifest = "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]
    if (settings.DEBUG or not manifest) and not finders.find(name):
        logger.warning("Web fonts not built: run `manage.py build_fonts`.")
        return ""
    try:
        return static(name)
    except ValueError:  # manifest storage without the file: collectstatic ran before build
        logger.warning("Web fonts not in the static manifest: build_fonts, collectstatic.")
        return ""


@functools.lru_cache(maxsize=2)
def _shared_rules(shared_url: str) -> str:
    # Keyed by the shared stylesheet's (hashed) URL: a new build gives new rules. A page
    # stylesheet cached for good keeps naming the old hashed files, which collectstatic keeps.
    return fonts.stylesheet(fonts.plan(), url_for=lambda name: static(f"fonts/{name}"))


def stylesheet(rows: list[PageFont]) -> str:
    """A page's stylesheet: the shared slices' rules (when built), then the page's own
    faces, declared last so that browsers try them first."""
    shared_url = shared_stylesheet_url()
    rules = [_shared_rules(shared_url)] if shared_url else []
    for row in rows:
        source = fonts.SOURCES[row.script]
        url = reverse("page_fonts:font", kwargs={"key": row.key})
        rules.append(fonts.font_face(source, url,
                                     fonts.unicode_range([ord(c) for c in row.characters])))
        if not shared_url:  # the shared rules carry every script's
            rules.append(fonts.lang_rule(source))
    return "\n".join(rules) + "\n"


def mark_used(keys: list[str]) -> None:
    today = timezone.localdate()
    PageFont.objects.filter(key__in=keys, used_on__lt=today).update(used_on=today)


def prune(unused_days: int) -> int:
    """Delete the fonts no browser asked for in ``unused_days`` (pages edited since, old
    builds). A cached page that still names one falls back to the shared slices until it
    is rendered again, which makes the font anew."""
    cutoff = timezone.localdate() - datetime.timedelta(days=unused_days)
    deleted, _by_model = PageFont.objects.filter(used_on__lt=cutoff).delete()
    forget_known_rows()
    return deleted


def woff2(row: PageFont) -> bytes:
    """The row's font, cut now if no process has cut it yet."""
    if row.woff2 is None:
        data = fonts.subset_woff2(fonts.SOURCES[row.script], [ord(c) for c in row.characters])
        PageFont.objects.filter(pk=row.pk).update(woff2=data)
        return data
    return bytes(row.woff2)


def linked_keys(html: str) -> list[str]:
    """The keys of the fonts ``html``'s own stylesheet names (``link_into`` put it there)."""
    prefix = reverse("page_fonts:stylesheet", kwargs={"keys": "0"})[:-len("0.css")]
    match = re.search(rf'href="{re.escape(prefix)}([0-9a-f-]+)\.css"', html)
    return match[1].split("-") if match else []


def cut_missing(keys: list[str]) -> int:
    """Cut now the fonts of ``keys`` no process has cut yet (a page just published, before
    its first visitor asks); returns how many were cut."""
    rows = PageFont.objects.filter(key__in=keys, woff2__isnull=True)
    return sum(1 for row in rows if woff2(row))


def link_into(html: str) -> str:
    """``html`` with its own fonts' stylesheet linked in place of the shared one (at the end
    of <head> if it has none). Never fails: a page whose fonts cannot be prepared keeps the
    shared stylesheet."""
    try:
        url = stylesheet_url(html)
    except Exception:  # a font problem must not cost the page
        logger.exception("Per-page web fonts failed; the shared font slices remain.")
        return html
    if not url:
        return html
    own = f'<link rel="stylesheet" href="{url}">'
    shared_url = shared_stylesheet_url()
    shared = f'<link rel="stylesheet" href="{shared_url}">'
    if shared_url and shared in html:
        return html.replace(shared, own, 1)
    if "</head>" not in html:
        return html
    return html.replace("</head>", own + "\n</head>", 1)
