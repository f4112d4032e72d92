"""Vectors from the OWASP XSS filter evasion cheat sheet, through every way text enters
(page fields, PO import, file names, ID3 tags, glossary, station names) and out through
every output (public page, kiosk, search, feeds, OAI-PMH, admin listings): no output
carries executable markup."""

from __future__ import annotations

import datetime
import re
import subprocess

import feedparser
import lxml.html
import polib
import pytest
from django.test import Client
from lxml import etree
from wagtail.models import Locale

from cms.products.file_import import import_media_item
from cms.products.models import BulletinPage
from tests.stations.conftest import add_rendition
from translations import po_exchange
from translations.models import GlossaryTerm
from translations.sanitise import clean_rich_text
from translations.versions import ensure_translation

pytestmark = pytest.mark.django_db

EMBEDDED_SVG = ("PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciPjxzY3JpcHQ+YWxlcnQoIlhT"
                "UyIpOzwvc2NyaXB0Pjwvc3ZnPg==")
# https://cheatsheetseries.owasp.org/cheatsheets/XSS_Filter_Evasion_Cheat_Sheet.html
VECTORS = [
    "<SCRIPT SRC=https://xss.invalid/xss.js></SCRIPT>",
    "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/"
    "onmouseover=1/+/[*/[]/+alert(1)//'>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
    "<a onmouseover=alert(document.cookie)>xxs link</a>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    "<IMG onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114"
    "&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116"
    "&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;"
    "&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72"
    "&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<SCRIPT/XSS SRC=\"http://xss.invalid/xss.js\"></SCRIPT>",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
    "<SCRIPT SRC=http://xss.invalid/xss.js?< B >",
    "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
    "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
    "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<svg/onload=alert('XSS')>",
    "<BODY ONLOAD=alert('XSS')>",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.invalid/scriptlet.html\"></OBJECT>",
    f"<EMBED SRC=\"data:image/svg+xml;base64,{EMBEDDED_SVG}\" type=\"image/svg+xml\" "
    "AllowScriptAccess=\"always\"></EMBED>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>"
    "</table></mtext></math>",
    "\"><script>alert(1)</script>",
    "'';!--\"<XSS>=&{()}",
]
FORBIDDEN_TAGS = {"object", "embed", "applet", "base", "frame", "frameset", "xss"}
DANGEROUS_URL = re.compile(r"^(javascript|vbscript|data:text/html)|expression\(", re.I)
PAYLOAD = re.compile(r"alert|xss\.invalid|fromCharCode|document\.cookie", re.I)


def assert_inert_html(html: str, where: str) -> None:
    """No element or attribute a browser would run: what a reviewer's browser, a phone or
    the kiosk TV would execute if any vector got through."""
    doc = lxml.html.document_fromstring(html or "<p></p>")
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        assert tag not in FORBIDDEN_TAGS, (where, lxml.html.tostring(el)[:200])
        if tag == "script":
            assert not PAYLOAD.search(el.text or ""), (where, el.text[:200])
            src = el.get("src") or ""
            # the site's own scripts only (static files, the admin's catalogue)
            assert not src or (src.startswith("/") and not src.startswith("//")), where
        if tag == "style":
            assert not PAYLOAD.search(el.text or ""), (where, el.text[:200])
        if tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            assert "javascript" not in (el.get("content") or "").lower(), where
        for name, value in el.attrib.items():
            squeezed = re.sub(r"[\s\x00-\x1f]+", "", value)
            assert not (name.lower().startswith("on") and PAYLOAD.search(value)), (where, name)
            assert not DANGEROUS_URL.search(squeezed) or not PAYLOAD.search(squeezed), (
                where, name, value)


def assert_inert_feed(content: bytes, where: str) -> None:
    etree.fromstring(content)  # well-formed
    feed = feedparser.parse(content, sanitize_html=False)
    assert not feed.bozo, feed.bozo_exception
    for entry in feed.entries:
        # Podcast apps render the description as HTML.
        assert_inert_html(entry.get("description", ""), f"{where}: description")


OAI_NAMESPACES = {"http://www.openarchives.org/OAI/2.0/",
                  "http://www.openarchives.org/OAI/2.0/oai_dc/",
                  "http://purl.org/dc/elements/1.1/"}


def assert_inert_oai(content: bytes) -> None:
    """Text stays text: no element in the response but the protocol's own."""
    for el in etree.fromstring(content).iter():
        assert etree.QName(el).namespace in OAI_NAMESPACES, el.tag


@pytest.fixture
def hostile(province, bulletins, make_station, users, media_files, settings, tmp_path):
    """Every vector through every input path."""
    settings.LOA_OAI = {"NAMESPACE": "loa.langson", "ADMIN_EMAILS": ["a@langson.invalid"],
                        "PAGE_SIZE": 200}
    audio = bulletins.media_item()
    section = province.district_a.section_page
    vi = Locale.objects.get(language_code="vi")
    pages = []
    for n, vector in enumerate(VECTORS):
        # Page fields as the editor stores them: plain text as typed, rich text through
        # Wagtail's whitelist (what the editor's converter does to its input).
        page = BulletinPage(
            title=f"Bản tin {n} {vector}", slug=f"xss-{n}", locale=vi, live=False,
            summary=f"Tóm tắt {vector}", audio=audio, air_date=datetime.date.today(),
            body=[("heading", vector),
                  ("paragraph", clean_rich_text(f"<p>Đoạn {vector}</p>")),
                  ("quote", {"text": vector, "source": vector})],
        )
        section.add_child(instance=page)
        page.save_revision(user=users.admin).publish(user=users.admin)
        pages.append(BulletinPage.objects.get(pk=page.pk))
    # PO import: a Tày version whose texts are vectors.
    source = pages[0]
    tay = ensure_translation(source, Locale.objects.get(language_code="tyz"), user=users.admin)
    po = polib.pofile(po_exchange.export_po(source, "tyz"), wrapwidth=0)
    for k, entry in enumerate(po):
        entry.msgstr = " ".join(VECTORS) if entry.msgctxt.count("/") == 1 and "<p>" in \
            entry.msgid else VECTORS[(k + 7) % len(VECTORS)]
    po_exchange.import_po(source, "tyz", str(po).encode(), users.admin)
    tay = BulletinPage.objects.get(pk=tay.pk)
    tay.get_latest_revision().publish(user=users.admin)
    # File names and ID3 tags: a recording named and tagged with vectors.
    speech = media_files.speech()
    tagged = speech.with_name("<img src=x onerror=alert(1)>.mp3")
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(speech),
                    "-metadata", f"title={VECTORS[2]}", "-metadata", f"artist={VECTORS[33]}",
                    "-c", "copy", str(tagged)], check=True, timeout=60)
    named = import_media_item(tagged, VECTORS[8][:200])
    for profile in ("radio-loudspeaker", "phone-audio"):
        add_rendition(named, bulletins.encoded[profile])
    # Glossary and station names.
    for n, vector in enumerate(VECTORS[:10]):
        GlossaryTerm.objects.create(language="tyz", term_vi=vector[:200],
                                    rendering=VECTORS[-1 - n][:200])
    station, key = make_station(name=VECTORS[1][:200])
    return pages, tay, station, key


def test_public_outputs_carry_no_executable_markup(hostile):
    pages, tay, station, key = hostile
    client = Client()
    for page in [*pages, tay]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert_inert_html(response.content.decode(), page.url)
        kiosk = client.get(f"/kiosk/{page.pk}/" if page.locale.language_code == "vi"
                           else f"/tyz/kiosk/{page.pk}/")
        assert kiosk.status_code in (200, 404)
        assert_inert_html(kiosk.content.decode(), f"kiosk {page.pk}")
    for url in ("/", "/kiosk/", "/duyet/", "/tim-kiem/?q=B%E1%BA%A3n+tin",
                "/tim-kiem/?q=onerror", "/tim-kiem/?q=%3Cscript%3E",
                "/tim-kiem/goi-y/?q=B%E1%BA%A3n", f"/kiosk/?chon={pages[3].pk}"):
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("text/html"):
            assert_inert_html(response.content.decode(), url)
    assert_inert_feed(client.get("/stations/feeds/vi.xml").content, "public feed")
    station_feed = client.get(f"/stations/{station.pk}/feeds/vi.xml", {"key": key})
    assert_inert_feed(station_feed.content, "station feed")
    airings = client.get(f"/stations/{station.pk}/airings/", {"key": key})
    assert_inert_html(airings.content.decode(), "station airing page")
    oai = client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    assert_inert_oai(oai.content)


def test_admin_listings_carry_no_executable_markup(hostile, users, province):
    pages, tay, _station, _key = hostile
    admin = Client()
    admin.force_login(users.admin)
    section = province.district_a.section_page
    for url in (f"/admin/pages/{section.pk}/", "/admin/pages/search/?q=B%E1%BA%A3n",
                f"/admin/pages/{pages[5].pk}/edit/", f"/admin/pages/{tay.pk}/view_draft/",
                "/admin/snippets/media_pipeline/mediaitem/", "/admin/"):
        response = admin.get(url)
        assert response.status_code == 200, url
        assert_inert_html(response.content.decode(), url)
    for prefix in ("/admin/snippets/translations/glossaryterm/",
                   "/admin/snippets/stations/station/"):
        response = admin.get(prefix)
        if response.status_code == 200:
            assert_inert_html(response.content.decode(), prefix)
