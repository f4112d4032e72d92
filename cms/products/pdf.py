"""Reading PDFs with poppler's command-line tools (Debian package poppler-utils)."""

from __future__ import annotations

import re
import subprocess
import tempfile


def pdf_page_count(fieldfile) -> int | None:
    """Page count of a stored PDF, or None if poppler cannot read it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        with fieldfile.open("rb") as src:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                tmp.write(chunk)
        tmp.flush()
        proc = subprocess.run(
            ["pdfinfo", tmp.name], capture_output=True, text=True, timeout=60, check=False
        )
    match = re.search(r"^Pages:\s+(\d+)", proc.stdout, re.MULTILINE)
    return int(match.group(1)) if proc.returncode == 0 and match else None
