"""Content-Security-Policy by area (django-csp): the public site runs only its own static
scripts, Wagtail's admin gets the tightest policy Wagtail 8 works under, and stored files
(/media/, /documents/) may run nothing at all.

django-csp's middleware applies one configured policy; ``AreaCSPMiddleware`` chooses
which configured policy by path (its documented extension point, ``get_policy_parts``).
"""

from __future__ import annotations

import re

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# Admin URLs that render public templates (preview, draft and revision views): a draft's
# content gets the public policy, without the admin's inline-script allowance.
ADMIN_RENDERS_PUBLIC = re.compile(
    r"^/admin/pages/(?:\d+/(?:view_draft|preview|revisions/\d+/view)|add/.+/preview)/?")


# Admin pages anyone can reach before logging in: Wagtail 8 writes no inline script on
# them, so they allow only the admin's own script files.
ADMIN_BEFORE_LOGIN = re.compile(r"^/admin/(?:login|password_reset)/")


def policy_for(path: str) -> dict:
    if path.startswith((settings.MEDIA_URL, "/documents/")):
        return settings.LOA_CSP_FILES
    if ADMIN_BEFORE_LOGIN.match(path):
        return settings.LOA_CSP_ADMIN_LOGIN
    if path.startswith("/admin/") and not ADMIN_RENDERS_PUBLIC.match(path):
        return settings.LOA_CSP_ADMIN
    return settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]


class AreaCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request: HttpRequest, response: HttpResponseBase,
                         report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None:  # no view-level @csp override
            parts.config = policy_for(request.path_info)
        return parts
