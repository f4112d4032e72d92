"""Public endpoints of the programme: kiosk play reports (open data in opendata.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cms.products.models import ProductPage

from .counters import count_kiosk_play
from .models import SupportPoint


@csrf_exempt  # the kiosk sends a beacon without a session; it changes only a count
@require_POST
def kiosk_play(request: HttpRequest, code: str) -> HttpResponse:
    """A support point's kiosk reports that it played a live product (like a station's
    airing report): one more play today, and the kiosk's last contact."""
    point = get_object_or_404(SupportPoint, kiosk_code=code)
    raw = request.POST.get("trang", "")
    if not raw.isdigit():
        return HttpResponseBadRequest(_("Thiếu hoặc sai mã sản phẩm."))
    page = ProductPage.objects.live().public().filter(pk=int(raw)).first()
    if page is None:
        return HttpResponseBadRequest(_("Không có sản phẩm đang xuất bản với mã này."))
    count_kiosk_play(point, page)
    return HttpResponse(status=204)
