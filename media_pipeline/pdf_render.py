"""Draw the first page of a PDF with poppler's ``pdftoppm`` (Debian package poppler-utils),
safely for hostile files: the output size is fixed by ``-scale-to`` whatever the page size
says (a 200-inch page gives the same pixels as an A4 one), the child gets a memory ceiling
and a time limit, and it dies with its worker."""

from __future__ import annotations

import ctypes
import resource
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image

from .exceptions import PdfEncrypted, PdfTooLarge, PdfUnreadable

DEFAULT_TIMEOUT_SECONDS = 30
DEFAULT_MEMORY_BYTES = 512 * 1024 * 1024
DEFAULT_MAX_BYTES = 500 * 1024 * 1024
PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class PdfPictureSpec:
    """A named, stable description of a picture made from a PDF, like an image filter spec:
    a thumbnail is unique per (document, spec name)."""

    name: str
    long_side: int  # pixels of the longer side; pdftoppm -scale-to


SPECS = {spec.name: spec for spec in (PdfPictureSpec("first-page", 1600),)}
FIRST_PAGE = SPECS["first-page"]


def _setting(name: str, default: float) -> float:
    return getattr(settings, name, default)


def _child_limits(memory_bytes: int):
    def apply() -> None:
        """In the child, before exec: die with the worker; cap the address space."""
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    return apply


def render_first_page(pdf: Path, out_stem: Path, spec: PdfPictureSpec = FIRST_PAGE) -> Path:
    """Write ``<out_stem>.png`` (the first page, longer side ``spec.long_side`` px) and
    return its path; raise a typed error an editor can read when the PDF is not usable."""
    size = pdf.stat().st_size
    if size == 0:
        raise PdfUnreadable(detail="0 bytes")
    max_bytes = _setting("LOA_PDF_THUMBNAIL_MAX_BYTES", DEFAULT_MAX_BYTES)
    if size > max_bytes:
        raise PdfTooLarge(detail=f"{size} bytes > {max_bytes}")
    timeout = _setting("LOA_PDF_THUMBNAIL_TIMEOUT", DEFAULT_TIMEOUT_SECONDS)
    memory = _setting("LOA_PDF_THUMBNAIL_MEMORY_BYTES", DEFAULT_MEMORY_BYTES)
    args = ["pdftoppm", "-f", "1", "-l", "1", "-singlefile", "-png",
            "-scale-to", str(spec.long_side), str(pdf), str(out_stem)]
    try:
        proc = subprocess.run(args, capture_output=True, timeout=timeout, check=False,
                              preexec_fn=_child_limits(int(memory)))
    except subprocess.TimeoutExpired as exc:  # run() has killed it
        raise PdfTooLarge(
            _("Trang đầu của tệp PDF quá nặng: vẽ quá %(n)s giây nên đã dừng.")
            % {"n": f"{timeout:g}"},
            detail=_tail(exc.stderr)) from exc
    stderr = _tail(proc.stderr)
    if proc.returncode != 0 or _ran_out_of_memory(stderr):
        # pdftoppm reports a failed allocation but still exits 0, with a blank or 1×1 page
        raise _classify(proc.returncode, stderr)
    out = out_stem.with_suffix(".png")
    _check_picture(out, spec, stderr)
    return out


def _tail(stderr: bytes | None) -> str:
    return (stderr or b"").decode("utf-8", "replace")[-4000:]


def _ran_out_of_memory(stderr: str) -> bool:
    """The memory ceiling was hit: an allocation failed while drawing, or (a ceiling set
    very low) the program could not even map its libraries."""
    return any(sign in stderr for sign in (
        "Out of memory", "std::bad_alloc", "failed to map segment"))


def _classify(returncode: int, stderr: str) -> Exception:
    detail = f"pdftoppm exit {returncode}\n{stderr}"
    if "Incorrect password" in stderr:
        return PdfEncrypted(detail=detail)
    if returncode < 0 or _ran_out_of_memory(stderr):
        # killed or aborted: the memory ceiling, a crash on a hostile file
        return PdfTooLarge(detail=detail)
    return PdfUnreadable(detail=detail)


def _check_picture(path: Path, spec: PdfPictureSpec, stderr: str) -> None:
    """pdftoppm can exit 0 without a page (a PDF with no pages): only a whole PNG of the
    expected size counts."""
    if not path.is_file():
        raise PdfUnreadable(detail=f"no page drawn\n{stderr}")
    try:
        with Image.open(path) as img:
            img.verify()
            width, height = img.size
    except (OSError, SyntaxError) as exc:
        raise PdfUnreadable(detail=f"picture unreadable: {exc}\n{stderr}") from exc
    if abs(max(width, height) - spec.long_side) > 1 or min(width, height) < 1:
        # -scale-to fixes the longer side: anything else is not the page
        raise PdfTooLarge(detail=f"picture {width}x{height}\n{stderr}")
