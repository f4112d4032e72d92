"""Open data (/du-lieu-mo/, and per language /en/du-lieu-mo/ …): the programme's results and
the product catalogue as CSV and JSON, described by a DCAT 2 catalogue in JSON-LD that a CKAN
portal (ckanext-dcat) harvests. Only live, public products and aggregate figures leave here:
no draft, no person, no address."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms.organisations.models import Level, Organisation
from cms.products.models import ProductPage

from . import results
from .models import LineKind, Plan

# Columns, in order; docs/programme.md describes each one.
PRODUCT_COLUMNS = ["identifier", "language", "kind", "title", "summary", "organisation",
                   "production_year", "first_published", "topics", "rights", "url"]
RESULT_COLUMNS = ["year", "plan", "organisation", "line", "kind", "unit", "planned", "actual",
                  "percent", "budget_planned_million_vnd", "budget_executed_million_vnd",
                  "by_language"]


def licence_url() -> str:
    return getattr(settings, "LOA_OPEN_DATA_LICENCE",
                   "https://creativecommons.org/licenses/by/4.0/")


def publisher_name() -> str:
    province = Organisation.objects.filter(area__level=Level.PROVINCE).order_by("pk").first()
    return province.name if province else settings.WAGTAIL_SITE_NAME


# --- the data -------------------------------------------------------------------------

def product_rows(request: HttpRequest, language: str) -> list[dict]:
    pages = (ProductPage.objects.live().public().filter(locale__language_code=language)
             .select_related("organisation", "content_type", "locale")
             .prefetch_related("topics").order_by("-first_published_at", "pk"))
    rows = []
    for page in pages:
        rows.append({
            "identifier": page.identifier, "language": page.locale.language_code,
            "kind": page.content_type.model.removesuffix("page"),
            "title": page.title, "summary": page.summary,
            "organisation": page.organisation.name if page.organisation else "",
            "production_year": page.production_year,
            "first_published": timezone.localtime(page.first_published_at).date().isoformat()
            if page.first_published_at else "",
            "topics": "; ".join(t.name for t in page.topics.all()),
            "rights": page.rights, "url": page.get_full_url(request) or "",
        })
    return rows


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.001'))}"


def result_rows(today=None) -> list[dict]:
    """Every plan's lines for every year from its first to this one: aggregates only."""
    this_year = (today or timezone.localdate()).year
    rows = []
    for plan in Plan.objects.select_related("organisation").order_by("organisation__name", "pk"):
        for year in plan.years:
            if year > this_year:
                break
            for line in results.line_results(plan, year):
                rows.append({
                    "year": year, "plan": plan.decision_number,
                    "organisation": plan.organisation.name, "line": line.content,
                    "kind": line.kind, "unit": line.unit, "planned": line.planned,
                    "actual": line.actual, "percent": line.percent,
                    "budget_planned_million_vnd": _money(line.budget_planned),
                    "budget_executed_million_vnd": _money(line.budget_executed),
                    "by_language": ";".join(f"{code}:{n}" for code, n in
                                            sorted(line.by_language.items())),
                })
    return rows


# --- responses ------------------------------------------------------------------------

def _csv(rows: list[dict], columns: list[str], name: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)
    # A byte-order mark so spreadsheet programs read the Vietnamese text as UTF-8.
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _json(rows: list[dict], columns: list[str]) -> JsonResponse:
    return JsonResponse({"licence": licence_url(), "columns": columns, "rows": rows},
                        json_dumps_params={"ensure_ascii": False})


@require_GET
def products_csv(request: HttpRequest) -> HttpResponse:
    return _csv(product_rows(request, get_language()), PRODUCT_COLUMNS,
                f"san-pham-{get_language()}.csv")


@require_GET
def products_json(request: HttpRequest) -> HttpResponse:
    return _json(product_rows(request, get_language()), PRODUCT_COLUMNS)


@require_GET
def results_csv(request: HttpRequest) -> HttpResponse:
    return _csv(result_rows(), RESULT_COLUMNS, "ket-qua-chuong-trinh.csv")


@require_GET
def results_json(request: HttpRequest) -> HttpResponse:
    return _json(result_rows(), RESULT_COLUMNS)


def _datasets(request: HttpRequest) -> list[dict]:
    base = request.build_absolute_uri
    return [
        {"key": "ket-qua", "title": _("Kết quả thực hiện chương trình"),
         "description": _("Kế hoạch và kết quả theo từng nội dung, năm, đơn vị: số lượng, tỷ lệ, "
                          "kinh phí kế hoạch và đã thực hiện (triệu đồng). Chỉ số liệu tổng hợp."),
         "keywords": [_("thông tin đối ngoại"), _("dân tộc thiểu số"), _("kết quả")],
         "csv": base(reverse("opendata:results_csv")),
         "json": base(reverse("opendata:results_json"))},
        {"key": "san-pham", "title": _("Danh mục sản phẩm thông tin đối ngoại"),
         "description": _("Các sản phẩm đã xuất bản trên thư viện điện tử (bản tin, tài liệu, "
                          "tờ rơi, áp phích, video) bằng ngôn ngữ này."),
         "keywords": [_("thông tin đối ngoại"), _("thư viện điện tử")],
         "csv": base(reverse("opendata:products_csv")),
         "json": base(reverse("opendata:products_json"))},
    ]


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """DCAT 2 in JSON-LD: one dcat:Catalog, a dcat:Dataset per data set, a
    dcat:Distribution per format (CSV, JSON) with its download URL, media type and licence."""
    home = request.build_absolute_uri(reverse("opendata:index"))
    language = get_language()
    modified = timezone.localdate().isoformat()
    publisher = {"@id": home + "#publisher", "@type": "foaf:Organization",
                 "foaf:name": publisher_name()}
    datasets = []
    for ds in _datasets(request):
        distributions = [{
            "@id": ds[fmt], "@type": "dcat:Distribution",
            "dct:title": f"{ds['title']} ({fmt.upper()})", "dct:format": fmt.upper(),
            "dcat:mediaType": {"@id": media}, "dcat:downloadURL": {"@id": ds[fmt]},
            "dcat:accessURL": {"@id": ds[fmt]}, "dct:license": {"@id": licence_url()},
        } for fmt, media in (("csv", "https://www.iana.org/assignments/media-types/text/csv"),
                             ("json", "https://www.iana.org/assignments/media-types/"
                                      "application/json"))]
        datasets.append({
            "@id": f"{home}#{ds['key']}", "@type": "dcat:Dataset",
            "dct:identifier": f"{settings.LOA_PROVINCE_CODE.lower()}-{ds['key']}-{language}",
            "dct:title": {"@value": ds["title"], "@language": language},
            "dct:description": {"@value": ds["description"], "@language": language},
            "dcat:keyword": ds["keywords"], "dct:language": language,
            "dct:publisher": {"@id": publisher["@id"]}, "dct:license": {"@id": licence_url()},
            "dct:modified": {"@value": modified, "@type": "xsd:date"},
            "dcat:landingPage": {"@id": home}, "dcat:distribution": distributions,
        })
    document = {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/",
                     "xsd": "http://www.w3.org/2001/XMLSchema#"},
        "@graph": [
            {"@id": home + "#catalog", "@type": "dcat:Catalog",
             "dct:title": _("Dữ liệu mở – thông tin đối ngoại vùng đồng bào dân tộc thiểu số"),
             "dct:publisher": {"@id": publisher["@id"]}, "dct:license": {"@id": licence_url()},
             "dct:language": language, "foaf:homepage": {"@id": home},
             "dcat:dataset": [{"@id": d["@id"]} for d in datasets]},
            publisher, *datasets,
        ],
    }
    return HttpResponse(json.dumps(document, ensure_ascii=False, indent=1),
                        content_type="application/ld+json; charset=utf-8")


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "programme/opendata.html", {
        "datasets": _datasets(request), "licence": licence_url(),
        "catalogue": request.build_absolute_uri(reverse("opendata:catalogue")),
        "product_columns": PRODUCT_COLUMNS, "result_columns": RESULT_COLUMNS,
        "kinds": LineKind.choices,
    })
