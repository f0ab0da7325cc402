"""Any target, any series: targets given in a file (a district's, a department's, another province's).

A targets file is a CSV with the columns ``indicator, place, target_year, comparator, value`` and
optionally ``unit``; ``comparator`` is one of ``>``, ``>=``, ``<``, ``<=``. Each row is judged against
the observed series of that indicator and place with the same statuses and the same ``p_meet`` as the
plan's targets (:mod:`gender_monitor.judge.assessment`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from gender_monitor.core import i18n
from gender_monitor.core.exceptions import ValidationError
from gender_monitor.data.observations import issue
from gender_monitor.forecast import models
from gender_monitor.forecast.projection import COMPARATORS, project
from gender_monitor.judge import assessment

REQUIRED = ("indicator", "place", "target_year", "comparator", "value")
COLUMNS = ("indicator", "place", "target_year", "comparator", "target_value", "unit", "latest_value",
           "latest_year", "judged_on", "projected", "lo-80", "hi-80", "lo-95", "hi-95", "p_meet", "method",
           "status", "label_vi", "label_en")


class TargetsError(ValidationError):
    """A targets file breaks a rule; ``issues`` lists every row."""


def read_targets(path: str | Path, *, units: Mapping[str, str] | None = None,
                 places: Collection[str] | None = None) -> pd.DataFrame:
    """Read and check a targets file; every broken rule is reported at once (file, line, column), in
    Vietnamese and English.

    ``units`` are the plan's units: a row's ``unit`` may be left empty for a plan indicator and must
    agree with the plan when given. ``places`` (the places table's codes), when given, are the places a
    target may be set for: a typo would otherwise be judged "no data" for ever.
    """
    name = str(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise TargetsError([issue(name, None, None, None, "cannot_read", detail=str(exc))], "targets file") from exc
    raw.columns = [c.strip() for c in raw.columns]
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise TargetsError([issue(name, 1, ",".join(missing), list(raw.columns), "missing_columns")], "targets file")
    units = dict(units or {})
    issues, rows = [], []
    for i, r in raw.iterrows():
        line = int(i) + 2
        rec = {c: str(r.get(c, "")).strip() for c in (*REQUIRED, "unit")}
        bad = len(issues)
        for c in ("indicator", "place"):
            if not rec[c]:
                issues.append(issue(name, line, c, None, "required"))
        if places is not None and rec["place"] and rec["place"] not in places:
            issues.append(issue(name, line, "place", rec["place"], "unknown_place"))
        try:
            year = int(rec["target_year"])
        except ValueError:
            issues.append(issue(name, line, "target_year", rec["target_year"], "whole_year"))
            year = 0
        if rec["comparator"] not in COMPARATORS:
            issues.append(issue(name, line, "comparator", rec["comparator"], "comparator",
                                comparators=", ".join(COMPARATORS)))
        try:
            value = float(rec["value"])
            if not np.isfinite(value):
                raise ValueError
        except ValueError:
            issues.append(issue(name, line, "value", rec["value"], "not_number"))
            value = np.nan
        unit = rec["unit"] or units.get(rec["indicator"], "")
        if rec["unit"] and rec["indicator"] in units and rec["unit"] != units[rec["indicator"]]:
            issues.append(issue(name, line, "unit", rec["unit"], "unit_mismatch", indicator=rec["indicator"],
                                unit=units[rec["indicator"]]))
        elif unit and unit not in models.UNIT_SCALE:
            issues.append(issue(name, line, "unit", unit, "unknown_unit", units=", ".join(models.UNIT_SCALE)))
        if len(issues) == bad:
            rows.append({"indicator": rec["indicator"], "place": rec["place"], "target_year": year,
                         "comparator": rec["comparator"], "target_value": value, "unit": unit})
    if issues:
        raise TargetsError(issues, "targets file")
    return pd.DataFrame(rows, columns=["indicator", "place", "target_year", "comparator", "target_value", "unit"])


def _meets(x: float, comparator: str, value: float) -> bool:
    return {">": x > value, ">=": x >= value, "<": x < value, "<=": x <= value}[comparator]


def _series(obs: pd.DataFrame, indicator: str, place: str) -> pd.DataFrame:
    """The annual, both-sexes rows of one indicator and place, of its longest-running series label."""
    here = obs[(obs["indicator"].astype(str) == indicator) & (obs["place"].astype(str) == place)]
    if "quarter" in here.columns:
        here = here[here["quarter"].isna() | (here["quarter"].astype(str).isin(["", "<NA>", "nan"]))]
    if "sex" in here.columns:
        here = here[here["sex"].fillna("").astype(str) == ""]
    if here.empty:
        return here
    label = here["series"].fillna("").astype(str) if "series" in here.columns else pd.Series("", index=here.index)
    latest = here.assign(_s=label).groupby("_s")["year"].agg(["max", "size"]).sort_values(["max", "size"])
    return here[label == latest.index[-1]].sort_values("year")


def assess_targets(obs: pd.DataFrame, targets: pd.DataFrame, *, as_of: int | None = None) -> pd.DataFrame:
    """Judge every row of ``targets`` (from :func:`read_targets`) against ``obs``.

    Statuses are those of the plan's targets: a value observed in the target year is ``met`` or
    ``not_met``; a target already met by the latest value is ``met`` (UN DESA rule; ``p_meet`` says how
    likely it holds); otherwise the projection's probability gives ``likely`` (≥
    :data:`~gender_monitor.judge.assessment.LIKELY`), ``unlikely`` (≤ ``UNLIKELY``) or
    ``too_close``; a series too short to project is ``insufficient_data``, no series ``no_data``.
    Observations after ``as_of`` are ignored.
    """
    out = []
    for t in targets.itertuples(index=False):
        s = _series(obs, t.indicator, t.place)
        if as_of is not None and not s.empty:
            s = s[s["year"].astype(int) <= as_of]
        row = {"indicator": t.indicator, "place": t.place, "target_year": int(t.target_year),
               "comparator": t.comparator, "target_value": float(t.target_value), "unit": t.unit}
        if s.empty:
            out.append(row | {"status": "no_data"})
            continue
        unit = t.unit or (str(s["unit"].iloc[-1]) if "unit" in s.columns else "")
        years, values = s["year"].astype(int).to_numpy(), s["value"].astype(float).to_numpy()
        row |= {"unit": unit, "latest_value": float(values[-1]), "latest_year": int(years[-1])}
        at = values[years == t.target_year]
        if len(at):
            x = float(at[-1])
            out.append(row | {"judged_on": "data", "projected": x,
                              "status": "met" if _meets(x, t.comparator, t.target_value) else "not_met"})
            continue
        if t.target_year <= years[-1]:
            out.append(row | {"status": "no_data"})
            continue
        fc = pd.DataFrame()
        if unit in models.UNIT_SCALE:
            result = project(s.assign(sex="", series=""), until=int(t.target_year), units={t.indicator: unit})
            fc = result.forecasts[result.forecasts["year"] == t.target_year]
        if not fc.empty:
            f = fc.iloc[0]
            p = float(result.p_meet(float(t.target_value), t.comparator).loc[fc.index[0]])
            row |= {"judged_on": "projection", "projected": float(f["mean"]), "p_meet": p, "method": f["method"],
                    **{k: float(f[k]) for k in ("lo-80", "hi-80", "lo-95", "hi-95")}}
        if _meets(float(values[-1]), t.comparator, t.target_value):
            out.append(row | {"judged_on": "latest", "status": "met"})
        elif fc.empty:
            out.append(row | {"status": "insufficient_data"})
        else:
            out.append(row | {"status": assessment.status_of(row["p_meet"])})
    table = pd.DataFrame(out).reindex(columns=list(COLUMNS))
    table["label_vi"] = [i18n.status_label(s, "vi") for s in table["status"]]
    table["label_en"] = [i18n.status_label(s, "en") for s in table["status"]]
    return table
