"""Sampling noise of values computed from counts: its variance, and keeping it out of the trend.

A provincial rate rests on few events (five maternal deaths, 12,000 births): its year-to-year swings are
partly chance. The projection adds the sampling variance of the forecast year's value and, before
fitting, takes that noise out of the history (:func:`without_noise`, :func:`level_filter`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from gender_monitor.core.units import SCALE
from gender_monitor.forecast.models import LOGIT_OFFSET, from_scale

#: Rates per 1,000 and per 100,000: the value is ``multiplier × numerator / denominator``.
_MULTIPLIER = {unit: SCALE[unit] for unit in ("per_1000", "per_100000")}


def variance(unit: str, loc: np.ndarray, num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Variance, on the model scale, of a future observation's sampling error (delta method).

    ``loc`` (S, H) is the predicted median on the model scale; ``num``/``den`` (S,) the last counts.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        if unit == "percent":
            # Binomial variance of the share times the squared slope of the empirical logit.
            p = from_scale(loc, "logit") / 100.0
            c = LOGIT_OFFSET
            var = p * (1.0 - p) / den[:, None] * (1.0 / (p + c) + 1.0 / (1.0 - p + c)) ** 2
        elif unit == "per_100":
            # boys b = numerator, girls g = denominator; var(log b/g) = 1/(n p (1-p)), n = b + g
            p = 1.0 / (1.0 + np.exp(-(loc - math.log(100.0))))
            var = 1.0 / ((num + den)[:, None] * p * (1.0 - p))
        elif unit in _MULTIPLIER:
            v = np.expm1(loc)
            m = _MULTIPLIER[unit]
            # Poisson numerator with the last denominator; at least half an event so that a predicted
            # zero rate still allows a non-zero future count.
            lam = np.maximum(v * den[:, None] / m, 0.5)
            var = lam * (m / den[:, None]) ** 2 / (1.0 + v) ** 2
        elif unit == "count":
            v = np.expm1(loc)
            var = np.maximum(v, 0.5) / (1.0 + v) ** 2
        else:
            var = np.zeros_like(loc)
    return np.where(np.isfinite(var), var, 0.0)


#: Share of the observed annual move always kept as real change when sampling noise is removed.
_MOVE_FLOOR = 0.3


def point_variance(z: np.ndarray, num: np.ndarray, den: np.ndarray, unit_rows: np.ndarray) -> np.ndarray:
    """Sampling variance of every observed point on the model scale; NaN where counts are unknown.

    ``unit_rows`` is the unit of each point. Counts (unit ``count``) are always Poisson.
    """
    v = np.full(len(z), np.nan)
    for unit in np.unique(unit_rows):
        r = unit_rows == unit
        n, d = num[r], den[r]
        if unit == "count":
            known = np.ones(r.sum(), dtype=bool)
        elif unit == "per_100":
            known = np.isfinite(d) & (d > 0) & np.isfinite(n) & (n > 0)
        else:
            known = np.isfinite(d) & (d > 0)
        if unit not in ("percent", "per_100", "count", *_MULTIPLIER) or not known.any():
            continue
        rows = r.nonzero()[0][known]
        v[rows] = variance(unit, z[rows][:, None], np.nan_to_num(n[known]), np.nan_to_num(d[known]))[:, 0]
    return v


def without_noise(s: np.ndarray, v: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Remove the part of each series' typical annual move that is sampling noise of its counts.

    Notes
    -----
    A value computed from counts is the true rate plus sampling error of variance ``v`` (binomial or
    Poisson). Between two years the difference then has variance ``σ²_change + 2v``: a maternal
    mortality ratio from 5 deaths a year jumps about by chance alone. Treating those jumps as real
    change, and adding the sampling error of the next year on top, would count the noise twice. The mean
    absolute move ``s`` is turned into a variance (normal: E|X| = σ √(2/π)), the sampling part ``2 v̄``
    (mean over the series' points) is taken off, and at least ``_MOVE_FLOOR`` of the move is kept as
    real change. Series without counts for every point are left as they are.
    """
    if len(starts) == 0:
        return s
    known = np.isfinite(v)
    n_known = np.add.reduceat(known.astype(int), starts)
    v_mean = np.add.reduceat(np.where(known, v, 0.0), starts) / np.maximum(counts, 1)
    full = (n_known == counts) & (counts >= 2)
    var_move = s**2 * math.pi / 2.0
    real = np.maximum(var_move - 2.0 * v_mean, _MOVE_FLOOR**2 * var_move)
    return np.where(full, np.sqrt(real * 2.0 / math.pi), s)


def level_filter(z: np.ndarray, t: np.ndarray, v: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kalman-filtered level of a random walk observed with known sampling noise, for (S, n) arrays.

    Returns the filtered levels (S, n) and the variance of the last level (S,). Rows without sampling
    noise (``v`` = 0 or NaN) come back unchanged with zero variance.

    Notes
    -----
    Local-level model: level_t = level_{t-1} + η (variance ``σ²`` per year, from the real annual move
    ``s``: σ² = s² π/2), observation = level + ε (variance ``v_t``, the binomial or Poisson sampling
    error of that year's counts). When sampling noise dominates — five maternal deaths a year — the
    filter averages over years instead of chasing the last value; when it is small the filter returns
    the data. Gaps of ``g`` years add ``g σ²``. The filter runs on deviations from the series'
    least-squares line (a local level with a fixed drift), so it smooths noise without flattening a trend.
    """
    v = np.where(np.isfinite(v), v, 0.0)
    # Filter around the series' least-squares line so that a trending series is not pulled back
    # towards its past (a pure level filter lags a trend); the line is added back afterwards.
    tc = t - t.mean(axis=1, keepdims=True)
    slope = np.sum(tc * (z - z.mean(axis=1, keepdims=True)), axis=1) / np.maximum(np.sum(tc**2, axis=1), 1e-12)
    d = z - slope[:, None] * t
    q = s**2 * math.pi / 2.0
    out = np.empty_like(z)
    a, p = d[:, 0].copy(), v[:, 0].copy()
    out[:, 0] = a
    for j in range(1, z.shape[1]):
        pred = p + q * np.maximum(t[:, j] - t[:, j - 1], 1.0)
        gain = np.divide(pred, pred + v[:, j], out=np.ones_like(pred), where=(pred + v[:, j]) > 0)
        a = a + gain * (d[:, j] - a)
        p = (1.0 - gain) * pred
        out[:, j] = a
    return out + slope[:, None] * t, p


def observed_interval(unit: str, numerator: float | None, denominator: float | None,
                      level: float = 0.95) -> tuple[float, float] | None:
    """Interval of one observed value from its counts; ``None`` when the counts are not known.

    Wilson's interval for a share (percent); for the sex ratio at birth (boys = numerator, girls =
    denominator) the normal interval of the boys' share, mapped back to boys per 100 girls; the exact
    Poisson (Garwood) interval of the numerator for rates per 1,000 and per 100,000.
    """
    num, den = numerator, denominator
    if num is None or den is None or not np.isfinite(num) or not np.isfinite(den) or den <= 0:
        return None
    alpha = 1.0 - level
    z = float(stats.norm.ppf(1.0 - alpha / 2.0))
    if unit == "percent":
        n, p = den, num / den
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return 100 * (centre - half), 100 * (centre + half)
    if unit == "per_100":
        n, p = num + den, num / (num + den)
        half = z * math.sqrt(p * (1 - p) / n)
        lo, hi = p - half, p + half
        return 100 * lo / (1 - lo), 100 * hi / (1 - hi)
    if unit in _MULTIPLIER:
        lo = stats.chi2.ppf(alpha / 2.0, 2 * num) / 2 if num > 0 else 0.0
        hi = stats.chi2.ppf(1.0 - alpha / 2.0, 2 * (num + 1)) / 2
        return _MULTIPLIER[unit] * lo / den, _MULTIPLIER[unit] * hi / den
    return None
