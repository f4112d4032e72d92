"""What a page costs a phone on 2G/3G: the compressed HTML plus the stylesheets, scripts and
pictures it loads, the audio and video themselves excluded. Used by the budget tests and
the benchmark report."""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.contrib.staticfiles import finders
from django.test import Client

PAGE_BUDGET = 100 * 1024  # bytes transferred, compressed
JS_BUDGET = 20 * 1024  # bytes of JavaScript, uncompressed


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "stylesheet":
            self.styles.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        elif tag == "img":
            # the largest candidate of a srcset: what a high-density phone may pick
            candidates = [c.split()[0] for c in (a.get("srcset") or "").split(",") if c.strip()]
            self.images.append(candidates[-1] if candidates else a["src"])


@dataclass
class PageWeight:
    url: str
    html: int = 0
    css: int = 0
    js: int = 0  # compressed, as transferred
    js_uncompressed: int = 0
    images: int = 0
    image_count: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.html + self.css + self.js + self.images


def _static_bytes(url: str) -> bytes:
    path = finders.find(url.split("/static/", 1)[1].split("?")[0])
    if not path:
        raise FileNotFoundError(url)
    with open(path, "rb") as fh:
        return fh.read()


def _fetched(client: Client, url: str, **headers) -> bytes:
    response = client.get(url, **headers)
    if response.status_code != 200:
        raise AssertionError(f"{url} answered {response.status_code}")
    return b"".join(response.streaming_content) if response.streaming else response.content


def measure(client: Client, url: str) -> PageWeight:
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    if response.status_code != 200:
        raise AssertionError(f"{url} answered {response.status_code}")
    weight = PageWeight(url, html=len(response.content))
    html = (gzip.decompress(response.content) if response.get("Content-Encoding") == "gzip"
            else response.content).decode()
    assets = _Assets()
    assets.feed(html)
    for href in assets.styles:
        if "/static/" in href:
            # static files are served pre-compressed (whitenoise's .gz): count them gzipped
            weight.css += len(gzip.compress(_static_bytes(href), 9))
        else:  # a page's own font stylesheet: what the server sends
            weight.css += len(_fetched(client, href, HTTP_ACCEPT_ENCODING="gzip"))
    for src in assets.scripts:
        body = _static_bytes(src)
        weight.js_uncompressed += len(body)
        weight.js += len(gzip.compress(body, 9))
    for src in assets.images:
        weight.images += len(_fetched(client, src))
        weight.image_count += 1
    return weight
