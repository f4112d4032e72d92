"""Who may do what: roles × objects × actions, as data.

``tests/security/test_permission_matrix.py`` asserts every cell against the running site;
``python -m tests.security.permission_matrix`` writes the same table into docs/security.md
(a test checks the document is current). Every object belongs to district B (Văn Lãng);
district A (Cao Lộc) is the neighbour. A cell is True (allowed), False (refused) or None
(the action means nothing for that object).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROLES: dict[str, str] = {
    "anonymous": "Khách",
    "station": "Đài (khóa)",
    "translator_tyz": "Biên dịch Tày",
    "editor_a": "BTV huyện A",
    "editor_b": "BTV huyện B",
    "provincial": "BTV tỉnh",
    "reviewer": "Người duyệt",
}

OBJECTS: dict[str, str] = {
    "vi_page": "Trang tiếng Việt (nháp, đã yêu cầu dịch Tày)",
    "tyz_page": "Bản tiếng Tày của trang (nháp, tệp riêng)",
    "media_item": "Bản ghi âm của bản tin đang xuất bản",
    "image": "Ảnh bìa của bản tin đang xuất bản",
    "document": "Tệp PDF của tài liệu đang xuất bản",
    "translation_request": "Yêu cầu dịch tiếng Tày",
    "station": "Đài truyền thanh",
    "delivery_record": "Bản ghi gửi về Bộ",
}

ACTIONS: dict[str, str] = {
    "view": "xem",
    "view_draft": "xem bản nháp",
    "edit": "sửa",
    "replace_file": "thay tệp tại chỗ",
    "delete": "xoá",
    "publish": "xuất bản",
    "request_translation": "yêu cầu dịch",
    "export_po": "xuất PO",
    "download_file": "tải tệp",
}


def _row(cells: str) -> dict[str, bool]:
    """'NNYNYYY' in ROLES order."""
    assert len(cells) == len(ROLES)
    return {role: cell == "Y" for role, cell in zip(ROLES, cells, strict=True)}


# (object, action) -> who may. Unlisted pairs are None (not applicable).
MATRIX: dict[tuple[str, str], dict[str, bool]] = {
    # A draft: its organisation, the province, the reviewers; a translator gets its text
    # (request, PO) and files once a version in its language was requested.
    # A translator reads the requested source in the request (below), not in the editor.
    ("vi_page", "view_draft"): _row("NNNNYYY"),
    ("vi_page", "edit"): _row("NNNNYYY"),
    # Wagtail: whoever may edit a page that was never published may delete it; a live
    # page only those who may publish.
    ("vi_page", "delete"): _row("NNNNYYY"),
    ("vi_page", "publish"): _row("NNNNNNY"),  # only through review
    ("vi_page", "request_translation"): _row("NNNNYYY"),
    ("vi_page", "download_file"): _row("NNYNYYY"),
    # The language version: its translators, and whoever may edit the source.
    ("tyz_page", "view_draft"): _row("NNYNYYY"),
    ("tyz_page", "edit"): _row("NNYNYYY"),
    ("tyz_page", "delete"): _row("NNYNYYY"),
    ("tyz_page", "publish"): _row("NNNNNNY"),
    ("tyz_page", "download_file"): _row("NNYNYYY"),
    # Approved files: managed by their organisation's collection, immutable for everyone,
    # public while live.
    ("media_item", "edit"): _row("NNNNYYY"),
    ("media_item", "replace_file"): _row("NNNNNNN"),
    ("media_item", "delete"): _row("NNNNNNN"),
    ("media_item", "download_file"): _row("YYYYYYY"),
    ("image", "edit"): _row("NNNNYYY"),
    ("image", "replace_file"): _row("NNNNNNN"),
    ("image", "delete"): _row("NNNNNNN"),
    ("image", "download_file"): _row("YYYYYYY"),
    ("document", "edit"): _row("NNNNYYY"),
    ("document", "replace_file"): _row("NNNNNNN"),
    ("document", "delete"): _row("NNNNNNN"),
    ("document", "download_file"): _row("YYYYYYY"),
    # Requests show a draft's text: same rule as the draft, by language for translators.
    ("translation_request", "view_draft"): _row("NNYNYYY"),
    ("translation_request", "export_po"): _row("NNYNYYY"),
    # Stations: managed by the department; a station reads its own feed with its key.
    ("station", "edit"): _row("NNNNNNY"),
    ("station", "download_file"): _row("NYNNNNN"),
    # Deliveries to the ministry: followed by the department.
    ("delivery_record", "view"): _row("NNNNNNY"),
}


def cell(obj: str, action: str, role: str) -> bool | None:
    row = MATRIX.get((obj, action))
    return None if row is None else row[role]


def render() -> str:
    """One Markdown table per object: actions down, roles across."""
    out = []
    for obj, obj_label in OBJECTS.items():
        actions = [a for a in ACTIONS if (obj, a) in MATRIX]
        out.append(f"**{obj_label}**\n")
        out.append("| | " + " | ".join(ROLES.values()) + " |")
        out.append("|---|" + "---|" * len(ROLES))
        for action in actions:
            marks = ["✔" if cell(obj, action, role) else "✘" for role in ROLES]
            out.append(f"| {ACTIONS[action]} | " + " | ".join(marks) + " |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
START, END = "<!-- permission-matrix:start -->", "<!-- permission-matrix:end -->"


def document_with_matrix(text: str) -> str:
    head, _sep, rest = text.partition(START)
    _old, _sep2, tail = rest.partition(END)
    return f"{head}{START}\n{render()}{END}{tail}"


def main() -> int:
    DOC.write_text(document_with_matrix(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
