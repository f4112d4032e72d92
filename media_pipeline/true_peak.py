"""True peak (ITU-R BS.1770-4, Annex 2) of decoded PCM, streamed chunk by chunk: 4×
polyphase interpolation with the standard's 48-tap filter.

ffmpeg's ``ebur128=peak=true`` resamples every sample to 192 kHz, which costs more than
the loudness measurement itself. Here the interpolation runs only where it could raise the
maximum found so far: an interpolated value is a 12-tap weighted sum, so it is at most
``GAIN_BOUND`` × the largest magnitude among those 12 samples. Positions whose 12-sample
neighbourhood is too quiet to beat the current maximum are skipped — an exact shortcut,
the result is the same as interpolating everything."""

from __future__ import annotations

import math

import numpy as np

# BS.1770-4 Annex 2, Table 1: the four phases of the 48-tap interpolation filter.
PHASES = np.array([
    [0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000,
     -0.0594482421875, 0.1373291015625, 0.9721679687500, -0.1022949218750,
     0.0476074218750, -0.0266113281250, 0.0148925781250, -0.0083007812500],
    [-0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250,
     -0.1665039062500, 0.4650878906250, 0.7797851562500, -0.2003173828125,
     0.1015625000000, -0.0582275390625, 0.0330810546875, -0.0189208984375],
    [-0.0189208984375, 0.0330810546875, -0.0582275390625, 0.1015625000000,
     -0.2003173828125, 0.7797851562500, 0.4650878906250, -0.1665039062500,
     0.0891113281250, -0.0517578125000, 0.0292968750000, -0.0291748046875],
    [-0.0083007812500, 0.0148925781250, -0.0266113281250, 0.0476074218750,
     -0.1022949218750, 0.9721679687500, 0.1373291015625, -0.0594482421875,
     0.0332031250000, -0.0196533203125, 0.0109863281250, 0.0017089843750],
])
TAPS = PHASES.shape[1]
# Row i of a sliding window holds x[i .. i+11]; phase p's output at n = i+11 is
# sum_k h_p[k] * x[n-k], so the window meets the taps reversed.
KERNEL = np.ascontiguousarray(PHASES[:, ::-1].T, dtype=np.float32)
GAIN_BOUND = float(np.abs(PHASES).sum(axis=1).max())
# Above this share of candidate samples, interpolating everything beats gathering windows.
DENSE_SHARE = 0.6


def _window_max(mag: np.ndarray) -> np.ndarray:
    """``out[i] = max(mag[i : i + 12])`` in four vectorised steps."""
    m2 = np.maximum(mag[:-1], mag[1:])
    m4 = np.maximum(m2[:-2], m2[2:])
    m8 = np.maximum(m4[:-4], m4[4:])
    return np.maximum(m8[: len(mag) - TAPS + 1], m4[8: 8 + len(mag) - TAPS + 1])


def _interpolated_peak(taps: list[np.ndarray]) -> float:
    """Largest interpolated magnitude, given ``taps[j]`` = the j-th sample of each window
    (plain multiply-adds: no BLAS, whose worker threads would spin on a shared machine)."""
    best = 0.0
    for phase in range(KERNEL.shape[1]):
        acc = KERNEL[0, phase] * taps[0]
        for tap in range(1, TAPS):
            acc += KERNEL[tap, phase] * taps[tap]
        best = max(best, float(np.abs(acc).max()))
    return best


class TruePeakMeter:
    """Feed interleaved float frames (shape ``(n, channels)``) in order; read ``dbtp``."""

    def __init__(self, channels: int):
        self.channels = channels
        self.peak = 0.0
        self._tail = np.zeros((TAPS - 1, channels), dtype=np.float32)

    def feed(self, frames: np.ndarray) -> None:
        if not len(frames):
            return
        joined = np.concatenate([self._tail, frames])
        self._tail = joined[-(TAPS - 1):].copy()
        for channel in range(self.channels):
            self._channel(np.ascontiguousarray(joined[:, channel]))

    def _channel(self, x: np.ndarray) -> None:
        mag = np.abs(x)
        self.peak = max(self.peak, float(mag.max()))
        reach = _window_max(mag) * GAIN_BOUND
        candidates = np.flatnonzero(reach > self.peak)
        if candidates.size > len(x) * DENSE_SHARE:  # a steady tone: interpolate it all
            count = len(x) - TAPS + 1
            taps = [x[tap: tap + count] for tap in range(TAPS)]
        elif candidates.size:
            taps = [x[candidates + tap] for tap in range(TAPS)]
        else:
            return
        self.peak = max(self.peak, _interpolated_peak(taps))

    @property
    def dbtp(self) -> float:
        return 20 * math.log10(self.peak) if self.peak > 0 else -math.inf
