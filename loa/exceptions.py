"""The one base of Loa's errors. ``message`` is a complete sentence a user can act on
(a Vietnamese msgid, translatable); ``detail`` keeps the technical tail (ffmpeg's stderr,
a traceback) for an administrator's inspect view. ``str(error)`` is the message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class LoaError(Exception):
    message = _("Không thực hiện được yêu cầu.")

    def __init__(self, message=None, *, detail: str = ""):
        if message is not None:
            self.message = message
        self.detail = detail
        super().__init__(str(self.message))
