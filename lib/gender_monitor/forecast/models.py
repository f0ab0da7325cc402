"""The projection model pool, vectorised across series: scales, naive, drift, weighted trend, damped trend."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import expit

from gender_monitor.core.units import MODEL_SCALE, UNITS  # noqa: F401  (UNITS re-exported)

#: How each unit is projected, and the units (from the one table in core/units.py).
UNIT_SCALE: dict[str, str] = MODEL_SCALE
SCALES: tuple[str, ...] = ("logit", "log", "log1p")

#: Offset ``c`` of the empirical logit of a share ``p`` (Cox 1970): ``z = log((p + c) / (1 - p + c))``.
#: It is finite at 0 % and 100 % (a parliament without women), keeps every other share distinct (a
#: small rate of 0.2 % is not a 0 %), and maps back as ``p = (1 + 2c)·expit(z) - c`` censored to
#: [0 %, 100 %], so a series sitting at 0 % is forecast at 0 % and its interval includes 0.
LOGIT_OFFSET = 0.005
#: Positive-only units (log scale) are clipped at this floor for the same reason.
LOG_FLOOR = 1e-3
#: The range of the values each scale maps back to (:func:`from_scale`): a share lies in [0, 100], a
#: count or rate is never negative. Below the range P(value ≤ x) is 0, at or above its top 1.
SCALE_RANGE: dict[str, tuple[float, float]] = {"logit": (0.0, 100.0), "log": (0.0, np.inf), "log1p": (0.0, np.inf)}

#: Shrinkage strength of :func:`sdrift`, chosen on the calibration half of data/panels (1, 2, 4 tried;
#: 4 gave the lowest sMAPE of the combination, see benchmarks/backtest.py). Measuring it over the last 4-8
#: values only (a local trend, for smooth series that turn) moved the MASE of series of 8+ values from 0.855
#: to 0.834-0.845 of naive on the calibration half and from 0.849 to 0.852-0.863 on the other: not used.
#: Also tried on 2026-12-06 (training panels; MASE of naive, calibration half then evaluation half, origins latest /
#: middle / earliest; baseline 0.918/0.918/0.918 and 0.920/0.941/0.939): the slope as the median of the annual
#: changes (0.922/0.920/0.923, 0.925/0.941/0.945) or Theil-Sen (0.918/0.919/0.918, 0.920/0.943/0.940); the shrink
#: scaled by the ratio of second- to first-difference variance (0.917/0.916/0.915, 0.919/0.940/0.938); the slope's
#: standard error of a random walk with drift over gaps, shrink 2 (0.913/0.914/0.912, 0.918/0.939/0.938, sMAPE
#: worse); the move towards the trend weighted by lead and bucket (up to 2.1% better where fitted, 0.918/0.935/0.932
#: on the other half with sMAPE 0.5-0.9% worse); stacking the members' moves by least absolute error (0.917/0.938/
#: 0.934 on the other half). None gained 1.5% on both halves at every origin: not used.
SDRIFT_SHRINK = 4.0
#: Two values cannot tell a trend from noise: the annual change read off them is capped, in :func:`sdrift`,
#: at ``TWO_POINT_CAP`` times the unit's typical annual move (``projection.PRIOR_SCALE``), so one big jump
#: (a tertiary enrolment ratio going 0.03 → 0.13 in a year, a sex ratio at birth 105 → 118) is not
#: extrapolated as a trend. Chosen on the calibration half of data/panels (0.5, 1, 1.5, 2, 3 and no cap
#: tried: MASE 0.9151, 0.9134, 0.9143, 0.9151, 0.9159 and 0.9173 of naive, sMAPE 0.9254, 0.9241, 0.9258,
#: 0.9272, 0.9289 and 0.9353); on the evaluation half 1 moved MASE 0.9357 → 0.9354 and sMAPE 0.9282 → 0.9229,
#: and on the older held-out panels MASE / sMAPE 0.983 / 1.017 → 0.983 / 1.007 (origin 2008), 0.979 / 0.960
#: → 0.978 / 0.955 (2011) and 0.973 / 0.973 → 0.967 / 0.955 (2014). Series of 3+ values shrink their slope
#: by its own standard error instead.
TWO_POINT_CAP = 1.0

#: Series whose values lie years apart (household surveys, censuses: a median gap of ``SPARSE_GAP`` years
#: or more) are projected by ``sparse``: the last value moved ``SPARSE_WEIGHT`` of the way towards
#: ``SPARSE_MEMBER``, with interval widths of their own. Member and weight are chosen on the sparse cases
#: of the calibration half of data/panels (the survey panels and the gappy stretches of the annual ones;
#: benchmarks/backtest.py --calibrate), never on the held-out panels. With the first four survey panels,
#: half of the first-to-last drift scored best there (OWA 0.961 of naive against 0.976 for half the shrunk
#: drift, bootstrap se of the gain 0.027 by place) but 1.014 on the other half (0.986). With eight (prenatal
#: care, unmet need for contraception, youth literacy and FGM prevalence added), a quarter of the drift
#: scored 0.981 against 0.983 (se 0.009), and half the shrunk drift was the best blend on the other half
#: (0.986). So the short-series combination (half the shrunk drift, as ``simple``) is kept; on survey
#: series no rule tried is more than 2-3% better than the last value.
#: Also tried and not used: damped trends (OWA 1.02-1.20); the slope of the last two values alone (the
#: local trend a peer fits to an interpolated grid: OWA 1.10 and 1.25 on the two halves at weight 0.5);
#: with the first four panels, a start moved k of the way from the last value towards the series'
#: least-squares line (k = 0.25, 0.5, 0.75; 3+ values: OWA 0.986-1.016 and 0.990-1.014 against 0.976 and
#: 0.986, so a survey's sampling noise is smaller than the change it records), and a linear model across
#: series (future annual change on the drift, the shrunk drift, two-value cases and the level, fitted on
#: one half by least absolute error: 0.984 and 0.992 on the other half, against 0.986 and 0.976). For
#: survey series of 5-7 values ``comb`` and ``sparse`` tie, and one rule serves every survey series.
#: Nor does a rule per indicator: a blend (member and weight, naive included) chosen for each survey
#: panel on its own origins whose held-out years end by the origin scored lost to the one rule at five
#: of six origins over both halves (OWA 0.961, 0.989, 0.992, 1.063, 1.019 against 0.955, 0.971, 0.973,
#: 0.974, 0.986; won 0.985 against 0.995 once): the blend that suited an indicator's past surveys does
#: not suit its next ones (benchmarks/backtest.py --family-weights).
SPARSE_GAP = 2.0
SPARSE_MEMBER = "sdrift"
SPARSE_WEIGHT = 0.5

#: The local trend (:func:`ltrend`) of the smoothest annual series (:func:`smoothness`): the mean of their last
#: ``LTREND_CHANGES`` annual changes, damped by ``LTREND_PHI`` a year. Modelled estimates (WHO, ILO, IGME, WPP) keep
#: their momentum, and a trend fitted over the whole window, or the median of naive, shrunk drift and damped trend,
#: lags where their path bends. Chosen on 2026-12-06 with ``projection.Calibration.smooth_cut`` (see
#: :data:`gender_monitor.forecast.projection.SMOOTH_CUT`).
LTREND_CHANGES = 2
LTREND_PHI = 0.9

#: Methods of the pool and the combinations built from them.
METHODS: tuple[str, ...] = ("naive", "drift", "wtrend", "damped", "sdrift", "comb", "simple", "sparse", "ltrend")
#: Members of the two combinations; ``comb`` takes their median, ``simple`` their mean.
#: A Theta member (SES level with α by one-step error, plus half the least-squares slope, as statsforecast's
#: standard Theta) was tried in place of ``sdrift``, of ``damped`` and as a fourth member: on the calibration
#: half of data/panels MASE went from 0.896 of naive to 0.912, 0.912 and 0.900 (mean over families), and
#: from 0.913 to 0.925, 0.925 and 0.915 on the other half: not used.
COMB_MEMBERS: tuple[str, ...] = ("naive", "sdrift", "damped")
SIMPLE_MEMBERS: tuple[str, ...] = ("naive", "sdrift")

# Damped-trend parameter grid (alpha, beta, phi), beta <= alpha as in statsmodels' ETS bounds.
_ALPHA = (0.1, 0.3, 0.5, 0.7, 0.9, 1.0)
_BETA = (0.01, 0.1, 0.3)
_PHI = (0.8, 0.9, 0.98)
DAMPED_GRID = np.array([(a, b, p) for a in _ALPHA for b in _BETA for p in _PHI if b <= a])


def to_scale(values: np.ndarray, scale: str) -> np.ndarray:
    """Map values in the unit (percent as 0-100) to the modelling scale, clipping at the bounds."""
    v = np.asarray(values, dtype=float)
    if scale == "logit":
        p = np.clip(v / 100.0, 0.0, 1.0)
        return np.log(p + LOGIT_OFFSET) - np.log(1.0 - p + LOGIT_OFFSET)
    if scale == "log":
        return np.log(np.maximum(v, LOG_FLOOR))
    if scale == "log1p":
        return np.log1p(np.maximum(v, 0.0))
    raise ValueError(f"unknown scale {scale!r}; expected one of {SCALES}")


def from_scale(z: np.ndarray, scale: str) -> np.ndarray:
    """Inverse of :func:`to_scale` (monotone, so quantiles map to quantiles).

    On the logit scale the shares below 0 % or above 100 % that the offset allows are censored to
    exactly 0 % and 100 %; on the log1p scale (counts, rates per 1,000) values below 0 are censored to 0.
    """
    z = np.asarray(z, dtype=float)
    # An extreme quantile may overflow to inf: that is the right answer for an unbounded unit and
    # gives exactly 0 or 100 for a share.
    with np.errstate(over="ignore"):
        if scale == "logit":
            p = (1.0 + 2.0 * LOGIT_OFFSET) * expit(z) - LOGIT_OFFSET
            p = np.where(np.abs(p) < 1e-12, 0.0, np.where(np.abs(p - 1.0) < 1e-12, 1.0, p))
            return 100.0 * np.clip(p, 0.0, 1.0)
        if scale == "log":
            return np.exp(z)
        if scale == "log1p":
            return np.maximum(np.expm1(z), 0.0)
    raise ValueError(f"unknown scale {scale!r}; expected one of {SCALES}")


def noise_scale(t: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Typical annual move of each series: mean of |Δz| / sqrt(gap in years).

    Notes
    -----
    Under a random walk a difference over ``d`` years has variance ``d`` times the annual one, hence the
    square root. The same quantity (on the original scale, unscaled by gaps) is the MASE denominator.
    """
    dz = np.diff(z, axis=1)
    dt = np.diff(t, axis=1)
    return np.mean(np.abs(dz) / np.sqrt(dt), axis=1)


def naive(t: np.ndarray, z: np.ndarray, lead: np.ndarray) -> np.ndarray:
    """Last value carried forward. ``t``, ``z``: (S, k); ``lead``: (S, H) years after the last point."""
    return np.broadcast_to(z[:, -1:], lead.shape).copy()


def drift(t: np.ndarray, z: np.ndarray, lead: np.ndarray) -> np.ndarray:
    """Last value plus the average annual change between the first and last points."""
    slope = (z[:, -1] - z[:, 0]) / (t[:, -1] - t[:, 0])
    return z[:, -1:] + slope[:, None] * lead


def wtrend(t: np.ndarray, z: np.ndarray, lead: np.ndarray, *, recency: float = 1.0) -> np.ndarray:
    """ESCAP-style time-weighted least-squares line, weights ``(t - t_first + 1) ** recency``.

    Notes
    -----
    ``recency = 0`` is ordinary least squares; 1 gives the linear weights suggested for ESCAP's
    anticipated-progress index; larger values favour recent years more. Fitted on actual years, so gaps
    are handled. Closed form, vectorised over series.

    References
    ----------
    Bidarbakht Nia, A. (2017). A weighted extrapolation method for measuring the SDGs. ESCAP SD/WP/04.
    """
    w = (t - t[:, :1] + 1.0) ** recency
    sw = w.sum(axis=1, keepdims=True)
    tbar = (w * t).sum(axis=1, keepdims=True) / sw
    zbar = (w * z).sum(axis=1, keepdims=True) / sw
    stt = (w * (t - tbar) ** 2).sum(axis=1, keepdims=True)
    slope = (w * (t - tbar) * (z - zbar)).sum(axis=1, keepdims=True) / stt
    return zbar + slope * (t[:, -1:] + lead - tbar)


def sdrift(t: np.ndarray, z: np.ndarray, lead: np.ndarray, *, shrink: float = SDRIFT_SHRINK,
           cap: np.ndarray | float | None = None) -> np.ndarray:
    """Drift with its slope shrunk towards zero by its precision: ``μ · μ² / (μ² + shrink · se²)``.

    Notes
    -----
    ``μ`` is the average annual change (gap-weighted), ``se`` its standard error from the spread of the
    annual changes. A steady trend (smooth modelled estimates) keeps its slope; a series that moves in
    steps (elections, survey rounds) or in noise is carried forward almost flat. With two points the
    standard error is unknown: the slope is kept within ``±cap`` (per series, on the model scale; see
    :data:`TWO_POINT_CAP`) and halved (the mean of naive and drift).
    """
    dt = np.diff(t, axis=1)
    d = np.diff(z, axis=1) / dt
    mu = (d * dt).sum(axis=1) / dt.sum(axis=1)
    m = d.shape[1]
    if m < 2:
        if cap is not None:
            limit = np.broadcast_to(np.asarray(cap, dtype=float), mu.shape)
            mu = np.clip(mu, -limit, limit)
        factor = np.full(mu.shape, 0.5)
    else:
        se2 = ((d - mu[:, None]) ** 2).sum(axis=1) / (m - 1) / m
        denom = mu**2 + shrink * se2
        factor = np.divide(mu**2, denom, out=np.zeros_like(mu), where=denom > 0)
    return z[:, -1:] + (factor * mu)[:, None] * lead


def blend(t: np.ndarray, z: np.ndarray, lead: np.ndarray, member: str, weight: float, **options: float) -> np.ndarray:
    """The last value moved ``weight`` of the way towards the forecast of ``member``: ``naive + w (member − naive)``.

    ``weight`` 0 is naive, 1 the member itself; ``simple`` is ``blend(…, "sdrift", 0.5)``. ``options``
    (``recency``, ``shrink``) go to the member.
    """
    last = naive(t, z, lead)
    return last + weight * (forecast(member, t, z, lead, **options) - last)


def ltrend(t: np.ndarray, z: np.ndarray, lead: np.ndarray, *, changes: int = LTREND_CHANGES,
           phi: float = LTREND_PHI) -> np.ndarray:
    """Local damped trend: the last value plus the mean annual change of the last ``changes`` changes, damped by
    ``phi`` a year (``z_last + (φ + … + φ^h) · slope``). A series of one value stays at it."""
    if z.shape[1] < 2:
        return naive(t, z, lead)
    k = min(changes, z.shape[1] - 1)
    slope = (np.diff(z[:, -k - 1 :], axis=1) / np.diff(t[:, -k - 1 :], axis=1)).mean(axis=1)
    return z[:, -1:] + _damp_sum(phi, lead) * slope[:, None]


def smoothness(t: np.ndarray, z: np.ndarray) -> np.ndarray:
    """How little each annual series (rows of ``t``, ``z``) bends: the mean |second difference| over the mean
    |first difference|, on the model scale.

    About 0.1-0.3 for a modelled estimate that follows a smooth curve, √2 for a random walk, more for a series
    that goes back and forth. ``inf`` (never smooth) for a series with fewer than 3 values, a gap between two of
    its years, or no move at all.
    """
    if z.shape[1] < 3:
        return np.full(z.shape[0], np.inf)
    d1 = np.diff(z, axis=1)
    move = np.abs(d1).mean(axis=1)
    bend = np.abs(np.diff(d1, axis=1)).mean(axis=1)
    annual = np.all(np.diff(t, axis=1) == 1, axis=1)
    ok = annual & (move > 0)
    return np.where(ok, bend / np.where(ok, move, 1.0), np.inf)


def is_sparse(t: np.ndarray) -> np.ndarray:
    """Series (rows of ``t``, years) whose median gap between values is :data:`SPARSE_GAP` years or more."""
    if t.shape[1] < 2:
        return np.zeros(t.shape[0], dtype=bool)
    return np.median(np.diff(t, axis=1), axis=1) >= SPARSE_GAP


def _damp_sum(phi: np.ndarray, h: np.ndarray) -> np.ndarray:
    """phi + phi**2 + ... + phi**h, valid for non-integer h (gaps, leads)."""
    return phi * (1.0 - phi**h) / (1.0 - phi)


def damped_filter(
    t: np.ndarray,
    z: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    phi: np.ndarray,
    level0: np.ndarray,
    trend0: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run the additive damped-trend (ETS A,Ad,N) recursion; return final level, trend and SSE.

    Parameters are arrays broadcastable to (S, C) (series × parameter sets); ``level0`` and ``trend0``
    are the states one year before the first observation.

    Notes
    -----
    Error-correction form as in statsmodels' ``ETSModel``: with prediction ``l + Φ(d) b`` over a gap of
    ``d`` years (``Φ(d) = φ + … + φ^d``), error ``e``, the update is ``l ← prediction + α e`` and
    ``b ← φ^d b + β e``. With annual data (``d = 1``) this is exactly ETS(A,Ad,N).
    """
    level = np.broadcast_to(level0, np.broadcast_shapes(np.shape(level0), np.shape(alpha))).astype(float)
    trend = np.broadcast_to(trend0, level.shape).astype(float)
    sse = np.zeros(level.shape)
    prev = t[:, :1] - 1.0
    for j in range(z.shape[1]):
        d = (t[:, j : j + 1] - prev)
        pred = level + _damp_sum(phi, d) * trend
        err = z[:, j : j + 1] - pred
        sse += err * err
        level = pred + alpha * err
        trend = phi**d * trend + beta * err
        prev = t[:, j : j + 1]
    return level, trend, sse


def damped(t: np.ndarray, z: np.ndarray, lead: np.ndarray) -> np.ndarray:
    """Damped trend with (α, β, φ) chosen per series from a small grid by one-step squared error.

    Notes
    -----
    The initial trend is the least-squares slope of the first three points and the initial level puts
    the first prediction on the first observation, so the first error is zero. A grid replaces numerical
    optimisation so that thousands of series are fitted at once; on short series the optimum is flat
    and a coarse grid loses little.

    References
    ----------
    Gardner, E. S. & McKenzie, E. (1985). Forecasting trends in time series. Management Science 31(10).
    """
    m = min(3, z.shape[1])
    tt, zz = t[:, :m], z[:, :m]
    tc = tt - tt.mean(axis=1, keepdims=True)
    trend0 = (tc * (zz - zz.mean(axis=1, keepdims=True))).sum(axis=1) / (tc * tc).sum(axis=1)
    a, b, p = (DAMPED_GRID[:, i][None, :] for i in range(3))
    level0 = z[:, :1] - p * trend0[:, None]
    level, trend, sse = damped_filter(t, z, a, b, p, level0, trend0[:, None])
    best = np.argmin(sse, axis=1)
    rows = np.arange(z.shape[0])
    lb, tb, pb = level[rows, best][:, None], trend[rows, best][:, None], DAMPED_GRID[best, 2][:, None]
    return lb + _damp_sum(pb, lead) * tb


def forecast(
    method: str,
    t: np.ndarray,
    z: np.ndarray,
    lead: np.ndarray,
    *,
    recency: float = 1.0,
    shrink: float = SDRIFT_SHRINK,
    cap: np.ndarray | float | None = None,
) -> np.ndarray:
    """Point forecasts on the model scale for every series and lead, by one method of :data:`METHODS`.

    ``cap`` (per series) bounds the slope :func:`sdrift` reads off two values; the other methods ignore it.
    """
    if method == "naive":
        return naive(t, z, lead)
    if method == "drift":
        return drift(t, z, lead)
    if method == "wtrend":
        return wtrend(t, z, lead, recency=recency)
    if method == "damped":
        return damped(t, z, lead)
    if method == "sdrift":
        return sdrift(t, z, lead, shrink=shrink, cap=cap)
    if method == "comb":
        members = [forecast(m, t, z, lead, recency=recency, shrink=shrink, cap=cap) for m in COMB_MEMBERS]
        return np.median(members, axis=0)
    if method == "simple":
        members = [forecast(m, t, z, lead, recency=recency, shrink=shrink, cap=cap) for m in SIMPLE_MEMBERS]
        return np.mean(members, axis=0)
    if method == "ltrend":
        return ltrend(t, z, lead)
    if method == "sparse":
        return blend(t, z, lead, SPARSE_MEMBER, SPARSE_WEIGHT, recency=recency, shrink=shrink, cap=cap)
    raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")


def self_backtest(
    t: np.ndarray,
    z: np.ndarray,
    methods: Sequence[str],
    *,
    min_train: int = 5,
    max_cuts: int = 6,
    recency: float = 1.0,
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Rolling-origin evaluation of each method on the series' own history.

    For the last ``max_cuts`` cut points with at least ``min_train`` points before them, fit on the
    points up to the cut and forecast every later point. Returns, per method, the errors on the model
    scale (S, E); the lead in years of each error (S, E); and the noise scale of each cut's training
    data (S, E), so errors can be compared with the pooled interval widths.
    """
    k = z.shape[1]
    errors: dict[str, list[np.ndarray]] = {m: [] for m in methods}
    leads: list[np.ndarray] = []
    scales: list[np.ndarray] = []
    for cut in range(max(min_train, k - max_cuts), k):
        tt, zz = t[:, :cut], z[:, :cut]
        lead = t[:, cut:] - t[:, cut - 1 : cut]
        for m in methods:
            errors[m].append(z[:, cut:] - forecast(m, tt, zz, lead, recency=recency))
        leads.append(lead)
        scales.append(np.repeat(noise_scale(tt, zz)[:, None], k - cut, axis=1))
    return (
        {m: np.concatenate(e, axis=1) for m, e in errors.items()},
        np.concatenate(leads, axis=1),
        np.concatenate(scales, axis=1),
    )
