"""The OAI-PMH endpoint (GET and POST, as the protocol requires)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from .provider import Repository


@csrf_exempt
def oai_pmh(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    params = request.GET if request.method == "GET" else request.POST
    args = {name: params.getlist(name) for name in params}
    base_url = request.build_absolute_uri(request.path)
    response = Repository(base_url).handle(args)
    return HttpResponse(response.to_xml(), content_type="text/xml; charset=utf-8")
