"""Typed errors of the stations app. Each carries a message a station's staff can read."""

from django.utils.translation import gettext_lazy as _

from loa.exceptions import LoaError


class StationError(LoaError):
    message = _("Yêu cầu của đài không hợp lệ.")


class MissingKey(StationError):
    """No credentials at all: the client should ask for them (401)."""

    message = _("Cần khóa truy cập của đài (tham số ?key= hoặc xác thực HTTP Basic).")


class InvalidKey(StationError):
    """Wrong, rotated or revoked key, or an inactive station (403)."""

    message = _("Khóa truy cập không đúng, đã được thay hoặc đã bị thu hồi.")


class KeyThrottled(StationError):
    """Too many wrong keys from one address (429): no key is checked until the window
    has passed, so guessing stops however the guesses are spread over stations."""

    message = _("Quá nhiều lần thử khóa sai từ địa chỉ này. Hãy thử lại sau ít phút.")
