"""Every candidate projection model on one series: its path to the target years and its back-test.

The projection engine (:mod:`gender_monitor.projection`) combines or selects models for thousands of
series at once. A reader of one indicator wants to see the alternatives it chose from: what each model
of :data:`gender_monitor.models.METHODS` would project, and how well each would have re-forecast the
series' own past (rolling origin). This module answers that for one series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gender_monitor import models
from gender_monitor.backtest import smape

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


def compare(rows: pd.DataFrame, unit: str, *, until: int, methods: tuple[str, ...] = models.METHODS,
            min_train: int = MIN_TRAIN, max_cuts: int = MAX_CUTS) -> Candidates:
    """Project one annual series with every candidate model and back-test each on its own history.

    Parameters
    ----------
    rows
        One series: columns ``year`` and ``value`` (one row per year).
    unit
        The indicator's unit; decides the modelling scale (logit for shares, log for ratios …).
    until
        Last year to project.
    methods
        Candidate models (default: the whole pool of :data:`gender_monitor.models.METHODS`).
    min_train, max_cuts
        Each cut-off year has at least ``min_train`` points before it; the last ``max_cuts`` cut-offs
        are used.

    Returns
    -------
    Candidates

    Notes
    -----
    Same models and scales as the projection engine, so a path here is what the engine's point
    forecast would be under that method. Errors are measured on the original unit (MAE) and as sMAPE
    (M4 definition), over every later observed year of each cut, i.e. leads of one year and more.
    """
    empty_scores = pd.DataFrame(columns=["method", "mae", "smape", "n_errors", "n_cuts"])
    frame = rows.dropna(subset=["value"]).sort_values("year")
    scale = models.UNIT_SCALE.get(unit)
    if scale is None:
        return Candidates(pd.DataFrame(columns=["method", "year", "value"]), empty_scores,
                          reason=f"unit {unit!r} is assessed, not projected")
    t = frame["year"].to_numpy(dtype=float)[None, :]
    z = models.to_scale(frame["value"].to_numpy(dtype=float), scale)[None, :]
    k = t.shape[1]
    if k < 2:
        return Candidates(pd.DataFrame(columns=["method", "year", "value"]), empty_scores,
                          reason=f"needs at least 2 points, has {k}")
    last = int(t[0, -1])
    lead = np.arange(1, max(until - last, 0) + 1, dtype=float)[None, :]
    paths = []
    for m in methods:
        values = models.from_scale(models.forecast(m, t, z, lead), scale)[0] if lead.size else np.array([])
        paths.append(pd.DataFrame({"method": m, "year": np.r_[last, last + lead[0]].astype(int),
                                   "value": np.r_[frame["value"].iloc[-1], values]}))
    path_frame = pd.concat(paths, ignore_index=True)

    cuts = list(range(max(min_train, k - max_cuts), k))
    if not cuts:
        return Candidates(path_frame, empty_scores, reason=f"needs more than {min_train} points, has {k}")
    actual = frame["value"].to_numpy(dtype=float)
    scores = []
    for m in methods:
        abs_err, sm = [], []
        for cut in cuts:
            tt, zz = t[:, :cut], z[:, :cut]
            lead_cut = t[:, cut:] - t[:, cut - 1: cut]
            pred = models.from_scale(models.forecast(m, tt, zz, lead_cut), scale)[0]
            abs_err.append(np.abs(pred - actual[cut:]))
            sm.append(smape(actual[cut:], pred))
        e, s = np.concatenate(abs_err), np.concatenate(sm)
        scores.append({"method": m, "mae": float(e.mean()), "smape": float(s.mean()),
                       "n_errors": int(e.size), "n_cuts": len(cuts)})
    return Candidates(path_frame, pd.DataFrame(scores))
