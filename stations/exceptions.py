"""Typed errors of the stations app. Each carries a message a station's staff can read."""

from django.utils.translation import gettext_lazy as _


class StationError(Exception):
    message = _("Yêu cầu của đài không hợp lệ.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class MissingKey(StationError):
    """No credentials at all: the client should ask for them (401)."""

    message = _("Cần khóa truy cập của đài (tham số ?key= hoặc xác thực HTTP Basic).")


class InvalidKey(StationError):
    """Wrong, rotated or revoked key, or an inactive station (403)."""

    message = _("Khóa truy cập không đúng, đã được thay hoặc đã bị thu hồi.")


class UnknownBulletin(StationError):
    message = _("Không tìm thấy bản tin đã xuất bản với mã này.")
