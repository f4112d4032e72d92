"""Loudness (EBU R128) measured with ffmpeg's ``ebur128`` filter, and the cheap way to hit a
target: one measuring pass, a linear gain, and a peak limiter only when the gain would push
peaks over the ceiling (then one more measuring pass calibrates what the limiter took away).
Much cheaper than ``loudnorm``, which resamples everything to 192 kHz twice."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Measured below this the programme is silence (the R128 absolute gate is -70 LUFS).
SILENCE_LUFS = -60.0
# The limiter works on samples; MP3/Opus encoding and inter-sample peaks add up to about
# a decibel, so the sample ceiling sits this far under the true-peak limit.
TRUE_PEAK_MARGIN_DB = 1.0
# Gain is capped: above this we would only be amplifying noise.
MAX_GAIN_DB = 30.0
CALIBRATION_TOLERANCE_LU = 0.2

_SUMMARY = re.compile(r"\[ebur128@(?P<name>[\w-]+) @ [^\]]+\] Summary:")
_VALUE = re.compile(r"^\s*(?P<key>I|LRA|Peak):\s+(?P<value>-?[\d.]+|-inf)\s")


@dataclass
class Loudness:
    integrated: float
    loudness_range: float | None = None
    peak: float | None = None  # dBTP when measured with peak=true, dBFS with peak=sample

    @property
    def silent(self) -> bool:
        return self.integrated <= SILENCE_LUFS


def _number(text: str) -> float:
    return -math.inf if text == "-inf" else float(text)


def parse_summaries(stderr: str) -> dict[str, Loudness]:
    """Every ``ebur128@NAME`` summary in an ffmpeg log; the last one per name wins (ffmpeg
    prints an empty one while it configures the graph)."""
    found: dict[str, Loudness] = {}
    current: dict[str, float] | None = None
    for line in stderr.splitlines():
        match = _SUMMARY.search(line)
        if match:
            current = {}
            name = match["name"]
            continue
        if current is None:
            continue
        value = _VALUE.match(line)
        if value:
            current[value["key"]] = _number(value["value"])
            if "I" in current:
                found[name] = Loudness(current["I"], current.get("LRA"), current.get("Peak"))
        elif line.startswith("["):
            current = None
    return found


@dataclass(frozen=True)
class GainPlan:
    """How one loudness group (a target at a channel layout) reaches its target."""

    gain_db: float
    limit: bool  # a peak limiter is needed after the gain
    ceiling_db: float  # sample-peak ceiling of that limiter

    def filters(self) -> list[tuple[str, dict]]:
        chain: list[tuple[str, dict]] = [("volume", {"volume": f"{self.gain_db:.2f}dB"})]
        if self.limit:
            chain.append(("alimiter", {"limit": f"{10 ** (self.ceiling_db / 20):.4f}",
                                       "level": 0, "latency": 1, "attack": 5,
                                       "release": 50}))
        return chain


def plan_gain(measured: Loudness, target_lufs: float, true_peak_db: float,
              margin_db: float = TRUE_PEAK_MARGIN_DB) -> GainPlan:
    gain = max(-MAX_GAIN_DB, min(MAX_GAIN_DB, target_lufs - measured.integrated))
    ceiling = true_peak_db - margin_db
    peak = measured.peak if measured.peak is not None else 0.0
    return GainPlan(gain_db=gain, limit=peak + gain > ceiling, ceiling_db=ceiling)


def calibrate(plan: GainPlan, after: Loudness, target_lufs: float) -> GainPlan:
    """The limiter took some loudness away; add it back (the limiter holds the peaks)."""
    missing = target_lufs - after.integrated
    if abs(missing) <= CALIBRATION_TOLERANCE_LU:
        return plan
    gain = max(-MAX_GAIN_DB, min(MAX_GAIN_DB, plan.gain_db + missing))
    return GainPlan(gain_db=gain, limit=plan.limit, ceiling_db=plan.ceiling_db)
