"""Descriptive metadata of one language version of a product: one dictionary that becomes
the package's metadata.json, its Dublin Core XML and the OAI-PMH oai_dc record."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from django.utils import timezone, translation

from cms.organisations.models import Organisation
from cms.products.models import BulletinPage, DocumentPage, PrintPage, ProductPage, VideoPage
from translations.plain_text import xml_text

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"

ET.register_namespace("oai_dc", OAI_DC_NS)
ET.register_namespace("dc", DC_NS)
ET.register_namespace("xsi", XSI_NS)

#: product kind code (also the OAI set below "kind") by page model
KINDS: dict[type, str] = {
    BulletinPage: "bulletin",
    DocumentPage: "document",
    PrintPage: "print",
    VideoPage: "video",
}

#: DCMI Type Vocabulary terms per kind
DCMI_TYPES = {
    "bulletin": ("Sound", "Text"),
    "document": ("Text",),
    "print": ("StillImage", "Text"),
    "video": ("MovingImage",),
}


def kind_of(page: ProductPage) -> str:
    return KINDS[type(page.specific)]


def iso639(language_tag: str) -> str:
    """ISO 639 code of a Django language tag: ``zh-hans`` → ``zh``, ``tyz`` → ``tyz``."""
    return language_tag.split("-")[0].lower()


def department_of(org: Organisation | None) -> Organisation | None:
    """The provincial department at the top of the producing unit's chain."""
    while org is not None and org.parent_id is not None:
        org = org.parent
    return org


def language_versions(page: ProductPage) -> list[ProductPage]:
    """The other live language versions of the same product."""
    return list(
        page.get_translations(inclusive=False).live().select_related("locale")
        .order_by("locale__language_code")
    )


def describe(page: ProductPage, formats: list[str]) -> dict:
    """Everything the Ministry's database records about this language version."""
    lang = page.locale.language_code
    kind = kind_of(page)
    org = page.organisation
    dept = department_of(org)
    with translation.override(lang):  # modeltranslation picks name_<lang>, falls back to vi
        subjects = [topic.name for topic in page.topics.all()]
        coverage = page.area.name if page.area_id else ""
        kind_label = str(type(page.specific)._meta.verbose_name)
    published = page.first_published_at or timezone.now()
    return {
        "identifier": page.identifier,
        "external_identifier": f"{page.identifier}/{lang}",
        "title": page.title,
        "description": page.summary,
        "subject": subjects,
        "language": iso639(lang),
        "language_tag": lang,
        "kind": kind,
        "type": [*DCMI_TYPES[kind], kind_label],
        "format": sorted(set(formats)),
        "date": timezone.localdate(published).isoformat(),
        "production_year": page.production_year,
        "funding_line": page.funding_line,
        "publisher": dept.name if dept else "",
        "creator": org.name if org else "",
        "coverage": coverage,
        "rights": page.rights,
        "url": page.full_url or "",
        "relation": [
            {
                "identifier": f"{page.identifier}/{other.locale.language_code}",
                "language": iso639(other.locale.language_code),
                "language_tag": other.locale.language_code,
                "title": other.title,
                "url": other.full_url or "",
            }
            for other in language_versions(page)
        ],
    }


def dublin_core(meta: dict) -> list[list[str]]:
    """[[element, value, xml:lang], …] in the order Dublin Core lists its elements."""
    lang = meta["language_tag"]
    rows: list[list[str]] = [["title", meta["title"], lang]]
    if meta["creator"]:
        rows.append(["creator", meta["creator"], "vi"])
    rows += [["subject", subject, lang] for subject in meta["subject"]]
    if meta["description"]:
        rows.append(["description", meta["description"], lang])
    if meta["publisher"]:
        rows.append(["publisher", meta["publisher"], "vi"])
    rows.append(["date", meta["date"], ""])
    rows += [["type", value, ""] for value in meta["type"]]
    rows += [["format", value, ""] for value in meta["format"]]
    rows.append(["identifier", meta["identifier"], ""])
    rows.append(["identifier", meta["external_identifier"], ""])
    if meta["url"]:
        rows.append(["identifier", meta["url"], ""])
    rows.append(["language", meta["language"], ""])
    rows += [["relation", rel["identifier"], ""] for rel in meta["relation"]]
    if meta["coverage"]:
        rows.append(["coverage", meta["coverage"], lang])
    if meta["rights"]:
        rows.append(["rights", meta["rights"], "vi"])
    return rows


def oai_dc_element(rows: list[list[str]], *, schema_location: bool = True) -> ET.Element:
    root = ET.Element(f"{{{OAI_DC_NS}}}dc")
    if schema_location:
        root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
    for name, value, lang in rows:
        element = ET.SubElement(root, f"{{{DC_NS}}}{name}")
        element.text = xml_text(value)  # old rows may hold control characters
        if lang:
            element.set(XML_LANG, lang)
    return root


def dublin_core_xml(rows: list[list[str]]) -> bytes:
    tree = ET.ElementTree(oai_dc_element(rows))
    ET.indent(tree)
    return ET.tostring(tree.getroot(), encoding="utf-8", xml_declaration=True)


def metadata_json(meta: dict, contents: list[dict]) -> bytes:
    document = {**meta, "files": contents, "dublin_core": dublin_core(meta)}
    return json.dumps(document, ensure_ascii=False, indent=2).encode()
