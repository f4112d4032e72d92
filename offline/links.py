"""Rewriting the site's links into links inside a ZIM file.

Pages are rendered by the site's own templates, so their links are the site's absolute
paths (``/tyz/thu-vien/…``, ``/static/css/site.css``, ``/media/images/…``). Inside a ZIM
every link must be relative to the entry that holds it, and must lead to an entry that is
there. ``Links`` turns each URL into one of: a relative link to a page or file of the ZIM
(the file is then collected), the online address (a page the ZIM does not carry), or
nothing (a ``<source>`` for a screen the ZIM does not serve, e.g. the kiosk's 1080p
video in a phone ZIM).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote, unquote, urlsplit

TAG = re.compile(r"<([a-zA-Z][\w-]*)(\s[^<>]*?)?(/?)>")
ATTRIBUTE = re.compile(r'(\s)([\w:-]+)="([^"]*)"')
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
URL_ATTRIBUTES = {"href", "src", "poster", "action", "data-src", "data-kiosk-home"}
DROP = object()  # the whole tag goes (a <source> the ZIM does not carry)


@dataclass
class Links:
    """What the ZIM holds and how the site's paths map onto it.

    ``pages``: site path → ZIM path of the pages the ZIM carries.
    ``find_file``: site path → (ZIM path, stand-in) of a file the ZIM may carry, or None;
    a stand-in is the ZIM path to use instead where a player's single ``src`` names a file
    the ZIM does not carry (the phone rendition of the same recording).
    ``online``: the site's base URL, for links to pages the ZIM does not carry.
    """

    pages: dict[str, str]
    find_file: Callable[[str], tuple[str | None, str | None] | None]
    online: str
    files: dict[str, str] = field(default_factory=dict)  # ZIM path → site path, collected
    fresh: list[str] = field(default_factory=list)  # ZIM paths collected since take_fresh()

    def relative(self, target: str, source: str) -> str:
        return _relative(target, posixpath.dirname(source) or ".")

    def take_fresh(self) -> list[tuple[str, str]]:
        """The files (ZIM path, site path) collected since the last call."""
        fresh, self.fresh = self.fresh, []
        return [(zim_path, self.files[zim_path]) for zim_path in fresh]

    def resolve(self, url: str, source: str, tag: str) -> str | object | None:
        """The URL to write in ``source`` for ``url``; None removes the attribute."""
        parts = urlsplit(url)
        if (not url or url.startswith("#") or parts.scheme in {"mailto", "tel", "data"}
                or parts.netloc or (parts.scheme and parts.scheme not in {"http", "https"})):
            return url
        path = unquote(parts.path)
        anchor = f"#{parts.fragment}" if parts.fragment else ""
        if path in self.pages and not parts.query:
            return self.relative(self.pages[path], source) + anchor
        found = self.find_file(path)
        if found is not None:
            zim_path, stand_in = found
            if zim_path:
                if zim_path not in self.files:
                    self.fresh.append(zim_path)
                self.files[zim_path] = path
                return self.relative(zim_path, source) + anchor
            if tag == "source":
                return DROP
            if stand_in and tag != "a":
                return self.relative(stand_in, source)
        if tag in {"a", "form", "link"}:
            return self.online.rstrip("/") + url
        return DROP if tag == "source" else None

    def rewrite_html(self, text: str, source: str) -> str:
        return TAG.sub(lambda m: self._tag(m, source), text)

    def _tag(self, match: re.Match, source: str) -> str:
        name, attributes, closing = match.group(1).lower(), match.group(2) or "", match.group(3)
        if not attributes:
            return match.group(0)
        out: list[str] = []
        for space, key, value in ATTRIBUTE.findall(attributes):
            key_lower = key.lower()
            if key_lower in URL_ATTRIBUTES:
                new = self.resolve(html.unescape(value), source, name)
                if new is DROP:
                    return ""
                if new is None:
                    continue
                value = html.escape(str(new))
            elif key_lower == "srcset":
                value = html.escape(self._srcset(html.unescape(value), source, name))
            out.append(f'{space}{key}="{value}"')
        rest = ATTRIBUTE.sub("", attributes)  # boolean attributes: controls, download…
        return f"<{match.group(1)}{''.join(out)}{rest.rstrip()}{closing}>"

    def _srcset(self, value: str, source: str, tag: str) -> str:
        candidates = []
        for candidate in value.split(","):
            words = candidate.split()
            if not words:
                continue
            new = self.resolve(words[0], source, tag)
            if isinstance(new, str):
                candidates.append(" ".join([new, *words[1:]]))
        return ", ".join(candidates)

    def rewrite_css(self, text: str, source: str, site_path: str) -> str:
        """A stylesheet's ``url()``s, resolved against its own site path."""
        def one(match: re.Match) -> str:
            url = match.group(2)
            if url.startswith("data:") or urlsplit(url).netloc:
                return match.group(0)
            absolute = posixpath.normpath(posixpath.join(posixpath.dirname(site_path), url))
            new = self.resolve(absolute, source, "css")
            return f'url("{new}")' if isinstance(new, str) else "url(data:,)"

        return CSS_URL.sub(one, text)


@lru_cache(maxsize=65536)
def _relative(target: str, start: str) -> str:
    # Every page of a folder names the same stylesheets, scripts and list pages: each
    # pair is worked out once.
    return quote(posixpath.relpath(target, start), safe="/")
