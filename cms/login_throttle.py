"""Login throttling (django-axes): after ``AXES_FAILURE_LIMIT`` wrong passwords for one user
name from one address, that pair is locked for ``AXES_COOLOFF_TIME``; an administrator
can unlock it at once (admin menu *Cài đặt → Khóa đăng nhập*, or
``manage.py axes_reset_username <name>``). The message is ours: axes has no Vietnamese."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def client_address(request: HttpRequest) -> str:
    """The address a request came from: REMOTE_ADDR, or behind ``LOA_PROXY_COUNT`` trusted
    proxies the entry they appended to X-Forwarded-For (earlier entries are the client's
    own words and are ignored)."""
    proxies = settings.LOA_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(hops) >= proxies and hops[-proxies]:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def cooloff_minutes() -> int:
    return max(int(settings.AXES_COOLOFF_TIME.total_seconds() // 60), 1)


def lockout_response(request: HttpRequest, original_response=None,
                     credentials: dict | None = None) -> HttpResponse:
    """What a locked-out login gets: 429, in Vietnamese, saying how to get back in."""
    body = render_to_string("security/lockout.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": cooloff_minutes(),
    }, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(cooloff_minutes() * 60)
    return response
