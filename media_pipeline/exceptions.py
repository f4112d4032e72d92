"""Typed errors of the media pipeline. Each carries a message an editor can read."""

from django.utils.translation import gettext_lazy as _


class MediaError(Exception):
    """Base class; ``message`` is translatable and shown to editors."""

    message = _("Tệp không dùng được.")

    def __init__(self, message=None, *, detail: str = ""):
        if message is not None:
            self.message = message
        self.detail = detail  # technical tail (ffprobe/ffmpeg stderr) kept for the admin
        super().__init__(str(self.message))


class EmptyFile(MediaError):
    message = _("Tệp rỗng (0 byte). Hãy tải lên lại tệp gốc.")


class FileTooLarge(MediaError):
    message = _("Tệp quá lớn.")


class UnreadableMedia(MediaError):
    message = _(
        "Không đọc được tệp này như âm thanh hoặc video: tệp có thể bị hỏng, bị cắt dở "
        "hoặc không phải tệp đa phương tiện."
    )


class NotAudioOrVideo(MediaError):
    message = _("Tệp này không chứa âm thanh hay video (có thể là ảnh hoặc văn bản đổi tên).")


class WrongKind(MediaError):
    message = _("Loại tệp không đúng chỗ.")


class TooLong(MediaError):
    message = _("Tệp quá dài.")


class SilentAudio(MediaError):
    message = _(
        "Tệp âm thanh hoàn toàn im lặng (không đo được độ lớn). Hãy kiểm tra lại bản ghi."
    )


class TruncatedMedia(MediaError):
    message = _(
        "Tệp bị cắt dở: phần cuối bị thiếu nên không chuyển đổi trọn vẹn được. "
        "Hãy tải lên lại tệp gốc đầy đủ."
    )


class EncodeFailed(MediaError):
    """ffmpeg refused the input: a property of the file, so retrying will not help."""

    message = _(
        "Không chuyển đổi được tệp này. Tệp có thể bị hỏng hoặc dùng định dạng không hỗ trợ."
    )


class TransientError(MediaError):
    """The machine, not the file, failed (disk full, process killed, storage unreachable):
    the job is retried a bounded number of times."""

    message = _("Lỗi tạm thời của máy chủ khi chuyển đổi; hệ thống sẽ tự thử lại.")


class JobLost(Exception):
    """This worker no longer owns the job: it was cancelled or handed to another worker.
    Not a MediaError: nothing is wrong with the file, the work just stops."""
