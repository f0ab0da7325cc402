"""Rolling-origin evaluation of projections against held-out values: sMAPE, MASE and interval coverage."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from gender_monitor.forecast.projection import KEY, ProjectionResult, project


def smape(actual: np.ndarray, forecast: np.ndarray) -> np.ndarray:
    """Symmetric absolute percentage error per point, 0-200 (M4 definition); 0 when both are 0."""
    a, f = np.asarray(actual, float), np.asarray(forecast, float)
    denom = np.abs(a) + np.abs(f)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denom > 0, 200.0 * np.abs(a - f) / denom, 0.0)


def mase_scale(train: pd.DataFrame) -> pd.DataFrame:
    """Each (indicator, place)'s MASE scale: the mean absolute change per year between its values
    (gaps divide by their years), as column ``mase_scale``. ``train`` is sorted by year within a series."""
    grp = train.groupby(["indicator", "place"], sort=False)
    step = grp["value"].diff().abs() / grp["year"].diff()
    return step.groupby([train["indicator"], train["place"]]).mean().rename("mase_scale").reset_index()


def place_bootstrap(units: np.ndarray, strata: np.ndarray, *, reps: int = 200, seed: int = 2026) -> np.ndarray:
    """Weights (reps + 1, rows) of a bootstrap that redraws ``units`` (places) with replacement within each
    of the ``strata`` (families); row 0 is the sample itself (all ones).

    A row's weight in a replicate is how often its unit was drawn, so every row of a place (its origins,
    leads and held-out years, which overlap) moves together: the place is the independent unit.
    """
    units, strata = np.asarray(units), np.asarray(strata)
    unit_id = pd.factorize(pd.Series(list(zip(strata, units))))[0]
    rng = np.random.default_rng(seed)
    draws = np.ones((reps + 1, unit_id.max() + 1 if unit_id.size else 0))
    for stratum in pd.unique(strata):
        ids = np.unique(unit_id[strata == stratum])
        for r in range(1, reps + 1):
            draws[r, ids] = np.bincount(rng.choice(ids, size=ids.size), minlength=draws.shape[1])[ids]
    return draws[:, unit_id]


def stratum_mean(values: np.ndarray, strata: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The mean over strata (families) of each stratum's weighted mean of ``values``, per bootstrap row of
    ``weights`` (see :func:`place_bootstrap`): (reps + 1,). Missing values (a case that never moved has
    no MASE scale) are left out of their stratum's mean."""
    values, strata = np.asarray(values, float), np.asarray(strata)
    out = []
    for stratum in pd.unique(strata):
        r = (strata == stratum) & np.isfinite(values)
        total = weights[:, r].sum(axis=1)
        # A replicate that drew none of the stratum's scored places leaves it out of that replicate's mean.
        out.append(np.divide((weights[:, r] * values[r]).sum(axis=1), total,
                             out=np.full(len(total), np.nan), where=total > 0))
    return np.nanmean(out, axis=0)


#: Central intervals whose ends are the quantiles 0.05 … 0.95 behind :func:`scaled_crps`.
CRPS_LEVELS = tuple(range(10, 100, 10))


def scaled_crps(scored: pd.DataFrame) -> np.ndarray:
    """Each row's CRPS, approximated by twice the mean pinball loss over the quantiles 0.05 … 0.95 (the ends of the
    ``lo-<l>``/``hi-<l>`` intervals of :data:`CRPS_LEVELS`) and the ``median``, in units of the case's ``mase_scale``
    (NaN where that is 0)."""
    y, scale = scored["value"].to_numpy(float), scored["mase_scale"].to_numpy(float)
    pin = []
    for lv in CRPS_LEVELS:
        for q, col in ((0.5 - lv / 200, f"lo-{lv}"), (0.5 + lv / 200, f"hi-{lv}")):
            x = scored[col].to_numpy(float)
            pin.append(np.maximum(q * (y - x), (q - 1) * (y - x)))
    pin.append(0.5 * np.abs(y - scored["median"].to_numpy(float)))
    return np.where(scale > 0, 2 * np.mean(pin, axis=0) / np.where(scale > 0, scale, 1.0), np.nan)


def half_of(panel: pd.DataFrame, half: int) -> pd.DataFrame:
    """The rows of one half of a panel's places (0: the even positions of its sorted places, 1: the odd): the
    calibration and the evaluation halves of the benchmarks, so that a place is fitted on or scored, never both."""
    places = sorted(panel["place"].unique())
    return panel[panel["place"].isin(places[half::2])]


def make_cases(
    panel: pd.DataFrame,
    *,
    origins: Sequence[int],
    windows: Sequence[int],
    horizon: int = 6,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cut each series of a panel at each origin, keeping the last ``window`` points before it.

    Returns the training observations, one series per (place, origin, window) with ``series`` set to
    ``o<origin>w<window>``, and the held-out rows (``origin < year <= origin + horizon``) with the
    case's MASE scale. Cases with fewer than ``window`` training points or no held-out value are
    dropped, so each window length is a genuine "series of that many points".
    """
    panel = panel.sort_values([*KEY[:2], "year"])
    train, test = [], []
    for origin in origins:
        before = panel[panel["year"] <= origin]
        after = panel[(panel["year"] > origin) & (panel["year"] <= origin + horizon)]
        for w in windows:
            tr = before.groupby(["indicator", "place"], sort=False).tail(w)
            n = tr.groupby(["indicator", "place"])["year"].transform("size")
            tr = tr[n == w].assign(series=f"o{origin}w{w}")
            te = after.merge(mase_scale(tr), on=["indicator", "place"], how="inner")
            te = te.assign(series=f"o{origin}w{w}", origin=origin, window=w)
            tr = tr[tr["place"].isin(te["place"])]
            train.append(tr)
            test.append(te)
    return pd.concat(train, ignore_index=True), pd.concat(test, ignore_index=True)


def make_span_cases(
    panel: pd.DataFrame,
    *,
    origins: Sequence[int],
    span: int = 15,
    horizon: int = 5,
    min_points: int = 2,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cut each series at each origin keeping every value of the ``span`` years up to it, gaps and all.

    The counterpart of :func:`make_cases` for survey series (values years apart): a case is what an
    analyst had at the origin, however many points that is (at least ``min_points``). Training rows get
    ``series = o<origin>s<span>``; held-out rows (``origin < year <= origin + horizon``) carry the case's
    MASE scale (mean absolute change per year between its values), ``last_year`` and ``last_value``.
    """
    panel = panel.sort_values([*KEY[:2], "year"])
    label = {o: f"o{o}s{span}" for o in origins}
    train, test = [], []
    for origin in origins:
        tr = panel[(panel["year"] <= origin) & (panel["year"] > origin - span)]
        n = tr.groupby(["indicator", "place"])["year"].transform("size")
        tr = tr[n >= min_points]
        grp = tr.groupby(["indicator", "place"], sort=False)
        scale = mase_scale(tr)
        last = grp.tail(1)[["indicator", "place", "year", "value"]].rename(
            columns={"year": "last_year", "value": "last_value"})
        te = panel[(panel["year"] > origin) & (panel["year"] <= origin + horizon)]
        te = te.merge(scale, on=["indicator", "place"]).merge(last, on=["indicator", "place"])
        te = te.assign(series=label[origin], origin=origin)
        keep = pd.MultiIndex.from_frame(tr[["indicator", "place"]]).isin(
            pd.MultiIndex.from_frame(te[["indicator", "place"]]))
        train.append(tr[keep].assign(series=label[origin]))
        test.append(te)
    return pd.concat(train, ignore_index=True), pd.concat(test, ignore_index=True)


def score(result: ProjectionResult, test: pd.DataFrame) -> pd.DataFrame:
    """Join forecasts to held-out values; add sMAPE, scaled error and inside-interval flags per level."""
    keys = ["indicator", "place", "series", "year"]
    fc = result.forecasts.drop(columns=["sex"])
    extra = [c for c in test.columns if c not in fc.columns and c not in keys]
    te = test[[*keys, *extra]]
    out = te.merge(fc, on=keys, how="inner")
    out["lead"] = out["year"] - out["origin"]
    out["smape"] = smape(out["value"].to_numpy(), out["median"].to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        ase = np.abs(out["value"] - out["median"]) / out["mase_scale"]
    out["ase"] = ase.where(out["mase_scale"] > 0)
    for lv in result.levels:
        out[f"in-{lv}"] = (out["value"] >= out[f"lo-{lv}"]) & (out["value"] <= out[f"hi-{lv}"])
    return out


def run_cases(
    train: pd.DataFrame, test: pd.DataFrame, *, method: str = "auto", **options: object
) -> pd.DataFrame:
    """Project every case (one call per origin, all series at once) and score it."""
    scored = []
    for origin, te in test.groupby("origin"):
        tr = train[train["series"].str.match(f"o{origin}[ws]")]
        res = project(tr, until=int(te["year"].max()), method=method, **options)
        scored.append(score(res, te))
    return pd.concat(scored, ignore_index=True)
