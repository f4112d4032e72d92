"""Typed errors of the media pipeline. Each carries a message an editor can read."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from loa.exceptions import LoaError


class MediaError(LoaError):
    """Base class; ``message`` is shown to editors, ``detail`` keeps ffprobe/ffmpeg's stderr."""

    message = _("Tệp không dùng được.")


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


class MissingIndex(UnreadableMedia):
    """An MP4/MOV whose recording or download stopped before its index (written last)."""

    message = _(
        "Tệp MP4/MOV bị cắt dở: thiếu phần chỉ mục ở cuối tệp (thường do quay hoặc tải về "
        "chưa xong) nên không đọc được. Hãy tải lên lại tệp gốc đầy đủ."
    )


def renamed(what: str, suffix: str) -> NotAudioOrVideo:
    """Another kind of file given an audio/video name: say what it really is."""
    return NotAudioOrVideo(
        _("Tệp này thực ra là %(what)s, chỉ được đặt tên đuôi “%(suffix)s”; nó không chứa "
          "âm thanh hay video. Hãy chọn đúng tệp ghi âm hoặc video.")
        % {"what": what, "suffix": suffix or "?"}, detail=f"sniffed={what}")


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


def cut_short(readable: str, declared: str) -> TruncatedMedia:
    """A file whose data stops well before the duration its header declares."""
    return TruncatedMedia(
        _("Tệp bị cắt dở: chỉ đọc được %(readable)s trong %(declared)s mà tệp ghi là có. "
          "Hãy tải lên lại tệp gốc đầy đủ.") % {"readable": readable, "declared": declared},
        detail=f"readable={readable} declared={declared}")


class EncodeFailed(MediaError):
    """ffmpeg refused the input: a property of the file, so retrying will not help."""

    message = _(
        "Không chuyển đổi được tệp này. Tệp có thể bị hỏng hoặc dùng định dạng không hỗ trợ."
    )


class TransientError(MediaError):
    """The machine, not the file, failed (disk full, process killed, storage unreachable):
    the job is retried a bounded number of times."""

    message = _("Lỗi tạm thời của máy chủ khi chuyển đổi; hệ thống sẽ tự thử lại.")


class PdfUnreadable(MediaError):
    message = _(
        "Không đọc được tệp PDF: tệp có thể bị hỏng, bị cắt dở hoặc không phải PDF. "
        "Hãy tải lên lại tệp gốc."
    )


class PdfEncrypted(MediaError):
    message = _(
        "Tệp PDF có đặt mật khẩu nên không tạo được ảnh trang đầu. "
        "Hãy tải lên bản không đặt mật khẩu."
    )


class PdfTooLarge(MediaError):
    """Too big a file, or a first page too heavy to draw within the time and memory limits
    (a hostile PDF must not hold a worker or eat the machine's memory)."""

    message = _("Tệp PDF quá lớn hoặc trang đầu quá nặng để tạo ảnh trong giới hạn cho phép.")


class MediaNotReady(MediaError):
    """A product would go live with audio/video whose renditions are not all made. Raised by
    every publication path (see publication.py); ``items`` are the media items not ready."""

    def __init__(self, items, *, page=None):
        self.items = list(items)
        self.page = page
        titles = ", ".join(f"“{item.title}”" for item in self.items)
        super().__init__(ngettext(
            "Chưa thể xuất bản: tệp âm thanh/video %(titles)s chưa chuyển đổi xong. Bản nháp đã "
            "được lưu; hãy xuất bản lại khi tệp ở trạng thái “Sẵn sàng”.",
            "Chưa thể xuất bản: các tệp âm thanh/video %(titles)s chưa chuyển đổi xong. Bản nháp "
            "đã được lưu; hãy xuất bản lại khi các tệp ở trạng thái “Sẵn sàng”.",
            len(self.items),
        ) % {"titles": titles})


class JobLost(Exception):
    """This worker no longer owns the job: it was cancelled or handed to another worker.
    Not a MediaError: nothing is wrong with the file, the work just stops."""
