"""Public endpoints of the programme: kiosk play reports (open data in opendata.py)."""

from __future__ import annotations

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
)
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cms.products.models import ProductPage

from .counters import count_kiosk_play
from .models import SupportPoint


# The kiosk sends a beacon without a session, so no CSRF token; the key in the body is what
# a forged request cannot carry (another site's page does not know it).
@csrf_exempt
@require_POST
def kiosk_play(request: HttpRequest, code: str) -> HttpResponse:
    """A support point's kiosk reports that it played a live product (like a station's
    airing report): one more play today, and the kiosk's last contact. Only the kiosk
    holding the key issued to that support point may report (403 otherwise)."""
    point = get_object_or_404(SupportPoint, kiosk_code=code)
    if not point.kiosk_key_matches(request.POST.get("khoa", "")):
        return HttpResponseForbidden(_(
            "Máy kiosk này chưa có khóa đúng của điểm hỗ trợ: hãy mở lại trang kiosk bằng "
            "địa chỉ cài đặt (kèm khóa) mà cán bộ quản lý nhận trong trang quản trị."),
            content_type="text/plain; charset=utf-8")
    raw = request.POST.get("trang", "")
    if not raw.isdigit():
        return HttpResponseBadRequest(_("Thiếu hoặc sai mã sản phẩm."))
    page = ProductPage.objects.live().public().filter(pk=int(raw)).first()
    if page is None:
        return HttpResponseBadRequest(_("Không có sản phẩm đang xuất bản với mã này."))
    count_kiosk_play(point, page)
    return HttpResponse(status=204)
