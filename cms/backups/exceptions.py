"""Typed errors of backup and restore. Each carries a message an administrator can read."""

from django.utils.translation import gettext_lazy as _


class BackupError(Exception):
    message = _("Sao lưu hoặc khôi phục không thành công.")

    def __init__(self, message=None, *, detail: str = ""):
        if message is not None:
            self.message = message
        self.detail = detail  # the tool's own output (pg_dump, pg_restore) for the log
        super().__init__(str(self.message))


class NoBackup(BackupError):
    message = _("Không tìm thấy bản sao lưu nào ở nơi lưu này.")


class NotEmpty(BackupError):
    message = _("Chỉ khôi phục vào một bản cài đặt trống: cơ sở dữ liệu hoặc thư mục tệp "
                "đã có dữ liệu.")


class DigestMismatch(BackupError):
    message = _("Bản sao lưu bị hỏng: mã SHA-256 của tệp không khớp với bản kê.")


class ToolFailed(BackupError):
    message = _("Công cụ sao lưu cơ sở dữ liệu báo lỗi.")
