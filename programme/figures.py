"""How the reports write a share: whole percent, halves rounded up (2.5% → 3%, where
Python's round() would give 2%)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent(done, planned) -> int | None:
    if not planned or done is None:
        return None
    exact = Decimal(done) * 100 / Decimal(planned)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
