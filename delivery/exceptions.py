"""Why a delivery failed, in words an editor or administrator can act on (Vietnamese
msgids). ``detail`` keeps the technical tail for the admin's inspect view."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from loa.exceptions import LoaError


class DeliveryError(LoaError):
    message = _("Gửi gói thất bại.")
    #: True when a later run can pick up where this one stopped (upload id and parts kept).
    resumable = False
    #: True for passing trouble (lost connection, 5xx, timeout): retried automatically
    #: with backoff (see retries.py). Anything else waits for an administrator.
    transient = False


class NotConfigured(DeliveryError):
    message = _(
        "Chưa cấu hình nơi nhận của Bộ: đặt LOA_DELIVERY_BUCKET (và địa chỉ, khóa truy cập) "
        "trong biến môi trường."
    )


class NotPublished(DeliveryError):
    message = _("Sản phẩm không còn được xuất bản nên không gửi.")


class MissingSource(DeliveryError):
    message = _("Thiếu tệp nguồn trong kho lưu trữ, không tạo được gói.")


class DiskFull(DeliveryError):
    message = _("Ổ đĩa đầy khi tạo gói BagIt (không còn chỗ trống trong thư mục tạm); "
                "đã xóa phần làm dở. Hãy giải phóng dung lượng rồi gửi lại.")


class CorruptSource(DeliveryError):
    message = _("Tệp nguồn đã bị hỏng (mã SHA-256 không khớp với mã lưu khi tạo tệp), "
                "không gửi.")


class CorruptPayload(DeliveryError):
    message = _("Một tệp trong gói đã thay đổi sau khi tạo gói (mã kiểm tra không khớp "
                "manifest); đã dừng tải lên, không có gì được ghi dưới khóa của gói. Lần gửi "
                "sau sẽ tạo lại gói.")


class BaggingFailed(DeliveryError):
    message = _("Không tạo được gói BagIt.")


class InvalidBag(DeliveryError):
    message = _("Gói BagIt tạo ra không hợp lệ nên không gửi.")


class BadCredentials(DeliveryError):
    message = _("Nơi nhận từ chối thông tin đăng nhập: khóa truy cập hoặc khóa bí mật sai, "
                "hoặc tài khoản không có quyền ghi.")


class MissingBucket(DeliveryError):
    message = _("Không tìm thấy bucket ở nơi nhận của Bộ; kiểm tra tên bucket đã cấu hình.")


class ConnectionLost(DeliveryError):
    message = _("Mất kết nối tới nơi nhận sau nhiều lần thử lại; lần gửi sau sẽ tiếp tục "
                "từ những phần đã gửi xong.")
    resumable = True
    transient = True


class KeyConflict(DeliveryError):
    message = _("Ở nơi nhận đã có một gói khác với cùng tên; không ghi đè.")


class ChecksumMismatch(DeliveryError):
    message = _("Mã kiểm tra của gói trên nơi nhận không khớp với gói đã tạo.")


class RemoteRejected(DeliveryError):
    message = _("Nơi nhận từ chối yêu cầu.")
