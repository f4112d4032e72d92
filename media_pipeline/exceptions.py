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
