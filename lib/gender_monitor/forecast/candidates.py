"""Every candidate projection model on one series: its path to the target years and its back-test.

The projection engine (:mod:`gender_monitor.forecast.projection`) combines or selects models for thousands of
series at once. A reader of one indicator wants to see the alternatives it chose from: what each model
of :data:`gender_monitor.forecast.models.METHODS` would project, and how well each would have re-forecast the
series' own past (rolling origin). This module answers that for one series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gender_monitor.forecast import models
from gender_monitor.forecast.backtest import smape

#: A back-test cut needs at least this many points before it.
MIN_TRAIN = 3
#: At most this many cut-off years (the most recent ones) are back-tested.
MAX_CUTS = 6


@dataclass(frozen=True)
class Candidates:
    """Paths and back-test scores of every candidate model for one series.

    Attributes
    ----------
    paths
        ``method, year, value``: each model's point projection from the last observed year to ``until``
        (the last observation included, so a line starts from it).
    scores
        ``method, mae, smape, n_errors, n_cuts``: mean absolute error (in the indicator's unit) and
        sMAPE (0–200) of every re-forecast of an observed value, over the rolling cut-off years.
    reason
        Why there are no back-test scores (too few points, or a unit that is not projected); else "".
    """

    paths: pd.DataFrame
    scores: pd.DataFrame
    reason: str = ""


def compare(rows: pd.DataFrame, unit: str, *, until: int, methods: tuple[str, ...] | None = None,
            min_train: int = MIN_TRAIN, max_cuts: int = MAX_CUTS) -> Candidates:
    """Project one annual series with every candidate model and back-test each on its own history.

    Parameters
    ----------
    rows
        One series in the observation format (``year``, ``value`` and, where known, ``numerator`` and
        ``denominator``), one row per year.
    unit
        The indicator's unit; decides the modelling scale (logit for shares, log for ratios …).
    until
        Last year to project.
    methods
        Candidate models (default: the pool of :data:`gender_monitor.forecast.models.METHODS`, with one
        of ``simple`` and ``sparse``, which project alike: ``sparse`` for a series whose values lie years
        apart, ``simple`` otherwise).
    min_train, max_cuts
        Each cut-off year has at least ``min_train`` points before it; the last ``max_cuts`` cut-offs
        are used.

    Returns
    -------
    Candidates

    Notes
    -----
    Every path and every re-forecast is made by :func:`gender_monitor.forecast.projection.project` with
    ``method`` fixed, so the row of the method the engine uses is exactly the engine's forecast (same
    scales, same treatment of sampling noise). Errors are measured on the original unit (MAE) and as
    sMAPE (M4 definition), over every later observed year of each cut, i.e. leads of one year and more.
    """
    from gender_monitor.forecast.projection import project

    empty_paths = pd.DataFrame(columns=["method", "year", "value"])
    empty_scores = pd.DataFrame(columns=["method", "mae", "smape", "n_errors", "n_cuts"])
    frame = rows.dropna(subset=["value"]).sort_values("year").reset_index(drop=True)
    if models.UNIT_SCALE.get(unit) is None:
        return Candidates(empty_paths, empty_scores, reason=f"unit {unit!r} is assessed, not projected")
    k = len(frame)
    if methods is None:
        from gender_monitor.forecast.projection import bucket_of

        twin = "simple" if k >= 2 and bucket_of(frame["year"].to_numpy()) == "sparse" else "sparse"
        methods = tuple(m for m in models.METHODS if m != twin)
    if k < 2:
        return Candidates(empty_paths, empty_scores, reason=f"needs at least 2 points, has {k}")
    series = frame.assign(indicator="series", place="here", sex="", series="", unit=unit)
    keep = [c for c in ("indicator", "place", "sex", "series", "year", "value", "unit", "numerator",
                        "denominator") if c in series.columns]
    series = series[keep]
    last, last_value = int(frame["year"].iloc[-1]), float(frame["value"].iloc[-1])
    paths = []
    for m in methods:
        fc = project(series, until=until, method=m).forecasts
        paths.append(pd.DataFrame({"method": m, "year": np.r_[last, fc["year"].to_numpy()].astype(int),
                                   "value": np.r_[last_value, fc["median"].to_numpy(dtype=float)]}))
    path_frame = pd.concat(paths, ignore_index=True)

    years = frame["year"].to_numpy()
    cuts = list(range(max(min_train, k - max_cuts), k))
    if not cuts:
        return Candidates(path_frame, empty_scores, reason=f"needs more than {min_train} points, has {k}")
    actual = dict(zip(years.tolist(), frame["value"].to_numpy(dtype=float)))
    scores = []
    for m in methods:
        abs_err, sm = [], []
        for cut in cuts:
            fc = project(series, until=last, origin=int(years[cut - 1]), method=m).forecasts
            fc = fc[fc["year"].isin(actual)]
            truth = fc["year"].map(actual).to_numpy(dtype=float)
            pred = fc["median"].to_numpy(dtype=float)
            abs_err.append(np.abs(pred - truth))
            sm.append(smape(truth, pred))
        e, s = np.concatenate(abs_err), np.concatenate(sm)
        scores.append({"method": m, "mae": float(e.mean()), "smape": float(s.mean()),
                       "n_errors": int(e.size), "n_cuts": len(cuts)})
    return Candidates(path_frame, pd.DataFrame(scores))
