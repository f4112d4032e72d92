"""OAI-PMH 2.0 (http://www.openarchives.org/OAI/2.0/openarchivesprotocol.htm): the six
verbs over the OaiRecord table, oai_dc only, sets by product kind and by language,
second granularity, resumption tokens, persistent deleted records."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace
from xml.etree import ElementTree as ET

from django.conf import settings
from django.db.models import Min, Q, QuerySet
from django.utils import translation

from translations import languages
from translations.plain_text import xml_text

from ..conf import OaiSettings, oai_settings
from ..metadata import KINDS, OAI_DC_NS, OAI_DC_SCHEMA, XSI_NS, oai_dc_element
from ..models import OaiRecord
from . import tokens

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
METADATA_PREFIX = "oai_dc"
ARGUMENTS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": ({"identifier"}, set()),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix", "from", "until", "set"}, {"resumptionToken"}),
    "ListRecords": ({"metadataPrefix", "from", "until", "set"}, {"resumptionToken"}),
}
REQUIRED = {
    "GetRecord": {"identifier", "metadataPrefix"},
    "ListIdentifiers": {"metadataPrefix"},
    "ListRecords": {"metadataPrefix"},
}
ET.register_namespace("oai", OAI_NS)
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Argument syntax, as the OAI-PMH schema types them (identifier is a URI): a value that
# does not fit is a badArgument, and is never echoed into the response.
SYNTAX = {
    "identifier": re.compile(
        r"[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})+",
        re.ASCII),
    "metadataPrefix": re.compile(r"[A-Za-z0-9\-_.!~*'()]+", re.ASCII),
    "set": re.compile(r"[A-Za-z0-9\-_.!~*'()]+(?::[A-Za-z0-9\-_.!~*'()]+)*", re.ASCII),
}
SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OaiError(Exception):
    def __init__(self, code: str, message: str):
        self.code, self.message = code, message
        super().__init__(f"{code}: {message}")


def q(tag: str) -> str:
    return f"{{{OAI_NS}}}{tag}"


def utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Response:
    """What the view serialises: the request echo and the verb's element or errors."""

    base_url: str
    echo: dict[str, str]
    body: ET.Element | None = None
    errors: list[OaiError] | None = None

    def to_xml(self) -> bytes:
        root = ET.Element(q("OAI-PMH"))
        root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
        ET.SubElement(root, q("responseDate")).text = utc(datetime.datetime.now(datetime.UTC))
        request = ET.SubElement(root, q("request"))
        request.text = self.base_url
        for name, value in self.echo.items():
            request.set(name, value)
        if self.errors:
            for error in self.errors:
                element = ET.SubElement(root, q("error"), code=error.code)
                element.text = error.message
        else:
            root.append(self.body)
        well_formed(root)
        # ElementTree cannot write a default namespace next to unqualified attributes
        # (verb=, code=), so the OAI namespace carries the "oai" prefix: same XML infoset.
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def well_formed(root: ET.Element) -> None:
    """Drop what XML cannot carry from every text and attribute: ElementTree writes control
    characters as they are, and a request echo or an old stored title may hold them."""
    for element in root.iter():
        if element.text:
            element.text = xml_text(element.text)
        if element.tail:
            element.tail = xml_text(element.tail)
        for name, value in element.attrib.items():
            element.set(name, xml_text(value))


# --- arguments ---------------------------------------------------------------------------
def check_arguments(args: dict[str, list[str]]) -> str:
    """The verb, once the argument set is legal; raises OaiError(badVerb/badArgument)."""
    verbs = args.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in ARGUMENTS:
        raise OaiError("badVerb", "Thiếu động từ (verb) hoặc động từ không hợp lệ.")
    verb = verbs[0]
    allowed, exclusive = ARGUMENTS[verb]
    given = set(args) - {"verb"}
    repeated = [name for name, values in args.items() if len(values) > 1]
    if repeated:
        raise OaiError("badArgument", f"Tham số lặp lại: {', '.join(sorted(repeated))}.")
    illegal = given - allowed - exclusive
    if illegal:
        raise OaiError("badArgument", f"Tham số không hợp lệ: {', '.join(sorted(illegal))}.")
    if given & exclusive and len(given) > 1:
        raise OaiError("badArgument", "resumptionToken phải là tham số duy nhất kèm verb.")
    missing = REQUIRED.get(verb, set()) - given
    if missing and not (given & exclusive):
        raise OaiError("badArgument", f"Thiếu tham số bắt buộc: {', '.join(sorted(missing))}.")
    malformed = [name for name, pattern in SYNTAX.items()
                 if name in args and not pattern.fullmatch(args[name][0])]
    if malformed:
        raise OaiError("badArgument", f"Tham số sai cú pháp: {', '.join(sorted(malformed))}.")
    return verb


def parse_datestamp(value: str, *, until: bool) -> tuple[datetime.datetime, str]:
    try:
        if DAY.match(value):
            day = datetime.date.fromisoformat(value)
            moment = datetime.time(23, 59, 59) if until else datetime.time(0, 0, 0)
            return datetime.datetime.combine(day, moment, tzinfo=datetime.UTC), "day"
        if SECOND.match(value):
            parsed = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
            return parsed.replace(tzinfo=datetime.UTC), "second"
    except ValueError:
        pass
    raise OaiError("badArgument", f"Ngày giờ không hợp lệ: {value!r} (dùng YYYY-MM-DD hoặc "
                                  "YYYY-MM-DDThh:mm:ssZ).")


def check_prefix(prefix: str) -> None:
    if prefix != METADATA_PREFIX:
        raise OaiError("cannotDisseminateFormat",
                       f"Định dạng {prefix!r} không được hỗ trợ; chỉ có oai_dc.")


# --- the repository ----------------------------------------------------------------------
class Repository:
    def __init__(self, base_url: str, conf: OaiSettings | None = None):
        self.base_url = base_url
        self.conf = conf or oai_settings()

    def handle(self, args: dict[str, list[str]]) -> Response:
        try:
            verb = check_arguments(args)
        except OaiError as error:  # echo only the base URL (spec 3.6)
            return Response(self.base_url, {}, errors=[error])
        echo = {name: values[0] for name, values in args.items()}
        try:
            verbs = {"Identify": self.identify, "ListMetadataFormats": self.list_metadata_formats,
                 "ListSets": self.list_sets, "GetRecord": self.get_record_verb,
                 "ListIdentifiers": self.list_identifiers, "ListRecords": self.list_records_verb}
            body = verbs[verb]({k: v[0] for k, v in args.items()})
        except OaiError as error:
            if error.code == "badArgument":
                echo = {}
            return Response(self.base_url, echo, errors=[error])
        return Response(self.base_url, echo, body=body)

    # Identify ---------------------------------------------------------------------------
    def identify(self, args) -> ET.Element:
        element = ET.Element(q("Identify"))
        earliest = OaiRecord.objects.aggregate(first=Min("datestamp"))["first"]
        earliest = earliest or datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC)
        for tag, text in (
            ("repositoryName", self.conf.repository_name),
            ("baseURL", self.base_url),
            ("protocolVersion", "2.0"),
            *[("adminEmail", email) for email in self.conf.admin_emails],
            ("earliestDatestamp", utc(earliest)),
            ("deletedRecord", "persistent"),
            ("granularity", GRANULARITY),
        ):
            ET.SubElement(element, q(tag)).text = text
        return element

    # ListMetadataFormats -------------------------------------------------------------
    def list_metadata_formats(self, args) -> ET.Element:
        if "identifier" in args:
            self.get_record(args["identifier"])
        element = ET.Element(q("ListMetadataFormats"))
        fmt = ET.SubElement(element, q("metadataFormat"))
        ET.SubElement(fmt, q("metadataPrefix")).text = METADATA_PREFIX
        ET.SubElement(fmt, q("schema")).text = OAI_DC_SCHEMA
        ET.SubElement(fmt, q("metadataNamespace")).text = OAI_DC_NS
        return element

    # ListSets ---------------------------------------------------------------------------
    def sets(self) -> list[tuple[str, str]]:
        with translation.override(settings.LANGUAGE_CODE):
            result = [("kind", "Loại sản phẩm")]
            result += [(f"kind:{code}", str(model._meta.verbose_name).capitalize())
                       for model, code in KINDS.items()]
            result.append(("language", "Ngôn ngữ"))
            codes = [code for code, _name in settings.LANGUAGES]
            codes += [c for c in OaiRecord.objects.values_list("language", flat=True)
                      .distinct() if c not in codes]
            for code in codes:
                lang = languages.BY_CODE.get(code)
                result.append((f"language:{code}", lang.name_vi if lang else code))
        return result

    def list_sets(self, args) -> ET.Element:
        if "resumptionToken" in args:  # the set list fits in one response; we never issue one
            raise OaiError("badResumptionToken", "Mã tiếp tục không hợp lệ.")
        element = ET.Element(q("ListSets"))
        for spec, name in self.sets():
            item = ET.SubElement(element, q("set"))
            ET.SubElement(item, q("setSpec")).text = spec
            ET.SubElement(item, q("setName")).text = name
        return element

    # GetRecord --------------------------------------------------------------------------
    def get_record(self, identifier: str) -> OaiRecord:
        record = OaiRecord.objects.filter(oai_identifier=identifier).first()
        if record is None:
            raise OaiError("idDoesNotExist", f"Không có bản ghi {identifier!r}.")
        return record

    def get_record_verb(self, args) -> ET.Element:
        check_prefix(args["metadataPrefix"])
        element = ET.Element(q("GetRecord"))
        element.append(self.record_element(self.get_record(args["identifier"])))
        return element

    # ListIdentifiers / ListRecords -------------------------------------------------------
    def list_identifiers(self, args) -> ET.Element:
        return self.list_records(args, "ListIdentifiers", headers_only=True)

    def list_records_verb(self, args) -> ET.Element:
        return self.list_records(args, "ListRecords", headers_only=False)

    def list_records(self, args, verb: str, *, headers_only: bool) -> ET.Element:
        state = self.list_state(args, verb)
        matching = self.selection(state)
        if not state.complete_size:
            state = replace(state, complete_size=matching.count())
        page = list(self.after(matching, state)[: self.conf.page_size])
        if not page:
            raise OaiError("noRecordsMatch", "Không có bản ghi nào khớp yêu cầu.")
        element = ET.Element(q(verb))
        for record in page:
            element.append(self.header_element(record) if headers_only
                           else self.record_element(record))
        sent = state.cursor + len(page)
        more = self.after(matching, replace(
            state, after_datestamp=page[-1].datestamp.isoformat(), after_id=page[-1].pk
        )).exists()
        if state.cursor or more:
            token = ET.SubElement(element, q("resumptionToken"),
                                  completeListSize=str(max(state.complete_size, sent)),
                                  cursor=str(state.cursor))
            if more:
                following = replace(state, after_datestamp=page[-1].datestamp.isoformat(),
                                    after_id=page[-1].pk, cursor=sent)
                token.text = tokens.encode(following)
                token.set("expirationDate", utc(tokens.expiry(self.conf.token_max_age)))
        return element

    def list_state(self, args, verb: str) -> tokens.ListState:
        if "resumptionToken" in args:
            try:
                return tokens.decode(args["resumptionToken"], verb, self.conf.token_max_age)
            except tokens.BadToken as exc:
                raise OaiError("badResumptionToken",
                               "Mã tiếp tục (resumptionToken) không hợp lệ hoặc đã hết hạn."
                               ) from exc
        check_prefix(args["metadataPrefix"])
        start = end = None
        grains = set()
        if "from" in args:
            start, grain = parse_datestamp(args["from"], until=False)
            grains.add(grain)
        if "until" in args:
            end, grain = parse_datestamp(args["until"], until=True)
            grains.add(grain)
        if len(grains) > 1:
            raise OaiError("badArgument", "from và until phải cùng độ chi tiết thời gian.")
        if start and end and start > end:
            raise OaiError("badArgument", "from phải không muộn hơn until.")
        set_spec = args.get("set")
        if set_spec is not None and set_spec not in dict(self.sets()):
            raise OaiError("noRecordsMatch", f"Không có tập {set_spec!r}.")
        return tokens.ListState(
            verb=verb, metadata_prefix=METADATA_PREFIX,
            from_=start.isoformat() if start else None, until=end.isoformat() if end else None,
            set_spec=set_spec,
        )

    def selection(self, state: tokens.ListState) -> QuerySet[OaiRecord]:
        records = OaiRecord.objects.all()
        if state.from_:
            records = records.filter(datestamp__gte=datetime.datetime.fromisoformat(state.from_))
        if state.until:
            records = records.filter(datestamp__lte=datetime.datetime.fromisoformat(state.until))
        if state.set_spec and ":" in state.set_spec:
            family, value = state.set_spec.split(":", 1)
            records = records.filter(**{"kind" if family == "kind" else "language": value})
        return records.order_by("datestamp", "id")

    @staticmethod
    def after(records: QuerySet[OaiRecord], state: tokens.ListState) -> QuerySet[OaiRecord]:
        if state.after_datestamp is None:
            return records
        last = datetime.datetime.fromisoformat(state.after_datestamp)
        return records.filter(Q(datestamp__gt=last) | Q(datestamp=last, id__gt=state.after_id))

    # elements ---------------------------------------------------------------------------
    def header_element(self, record: OaiRecord) -> ET.Element:
        header = ET.Element(q("header"))
        if record.deleted:
            header.set("status", "deleted")
        ET.SubElement(header, q("identifier")).text = record.oai_identifier
        ET.SubElement(header, q("datestamp")).text = utc(record.datestamp)
        ET.SubElement(header, q("setSpec")).text = f"kind:{record.kind}"
        ET.SubElement(header, q("setSpec")).text = f"language:{record.language}"
        return header

    def record_element(self, record: OaiRecord) -> ET.Element:
        element = ET.Element(q("record"))
        element.append(self.header_element(record))
        if not record.deleted:
            metadata = ET.SubElement(element, q("metadata"))
            metadata.append(oai_dc_element(record.dublin_core))
        return element
