"""Small SVG charts drawn here (no charting library): a leader reads them at a glance in the
PDF report and on the dashboard. Text is escaped; sizes are in CSS pixels."""

from __future__ import annotations

from xml.sax.saxutils import escape

from .figures import percent

PLAN_COLOUR, ACTUAL_COLOUR, GRID = "#c9d3de", "#1f6f43", "#888"


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 11,
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" font-family="Noto Sans, sans-serif">{escape(text)}</text>')


def plan_vs_actual(rows: list[tuple[str, int, int]], *, width: int = 640,
                   legend: tuple[str, str] = ("Kế hoạch", "Thực hiện")) -> str:
    """Horizontal bars: for each (label, planned, actual) a pale bar for the plan and a dark
    one for what was done, both on one scale, with the percentage at the right."""
    label_w, bar_h, gap, top = 220, 12, 14, 24
    scale_w = width - label_w - 70
    biggest = max([max(p, a) for _l, p, a in rows] + [1])
    height = top + len(rows) * (2 * bar_h + gap) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img">',
             f'<rect x="{label_w}" y="4" width="12" height="10" fill="{PLAN_COLOUR}"/>',
             _text(label_w + 16, 13, legend[0], size=10),
             f'<rect x="{label_w + 100}" y="4" width="12" height="10" fill="{ACTUAL_COLOUR}"/>',
             _text(label_w + 116, 13, legend[1], size=10)]
    for i, (label, planned, actual) in enumerate(rows):
        y = top + i * (2 * bar_h + gap)
        parts.append(_text(label_w - 6, y + bar_h + 4, label[:38], anchor="end", size=10))
        parts.append(f'<rect x="{label_w}" y="{y}" width="{scale_w * planned / biggest:.1f}" '
                     f'height="{bar_h}" fill="{PLAN_COLOUR}"/>')
        parts.append(f'<rect x="{label_w}" y="{y + bar_h}" '
                     f'width="{scale_w * actual / biggest:.1f}" height="{bar_h}" '
                     f'fill="{ACTUAL_COLOUR}"/>')
        share = f"{percent(actual, planned)}%" if planned else "–"
        parts.append(_text(width - 4, y + bar_h + 4, f"{actual}/{planned} · {share}",
                           anchor="end", size=10))
    parts.append("</svg>")
    return "".join(parts)


def monthly_bars(counts: list[int], labels: list[str], *, width: int = 640,
                 height: int = 160) -> str:
    """Columns per month (products first live that month)."""
    left, bottom, top = 28, 20, 14
    biggest = max([*counts, 1])
    step = (width - left) / len(counts)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
             f'stroke="{GRID}"/>']
    usable = height - bottom - top
    for i, (count, label) in enumerate(zip(counts, labels, strict=True)):
        x = left + i * step + step * 0.15
        h = usable * count / biggest
        parts.append(f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{step * 0.7:.1f}" '
                     f'height="{h:.1f}" fill="{ACTUAL_COLOUR}"/>')
        if count:
            parts.append(_text(x + step * 0.35, height - bottom - h - 3, str(count),
                               anchor="middle", size=9))
        parts.append(_text(x + step * 0.35, height - 6, label, anchor="middle", size=9))
    parts.append("</svg>")
    return "".join(parts)
