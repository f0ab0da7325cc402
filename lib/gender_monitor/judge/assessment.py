"""Judging each target: met, on track, how likely — with the standard categories and the uncertainty.

Every target kind of the plan has its own rule (see :func:`assess`). The projection supplies the
predictive distribution of the value in the target year; the probability of meeting a target is read
off that distribution, never typed. The UN-style category (Eurostat/Statistics Canada ratio of the
observed to the required growth rate) is reported beside it so reviewers recognise their own method.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from gender_monitor.core import clock, i18n
from gender_monitor.data import harmonise
from gender_monitor.forecast import projection, sampling
from gender_monitor.forecast.projection import P_EDGE  # noqa: F401  (re-exported: p_meet's edge)
from gender_monitor.judge.messages import _finite, row_label, unit_words
from gender_monitor.plan.reference import Agencies, Places
from gender_monitor.plan.registry import Plan, Target, TargetValue

#: Statuses, best first. ``too_close``: the 80% interval straddles the target.
STATUSES = ("exceeded", "met", "likely", "too_close", "insufficient_data", "unlikely", "not_met", "no_data",
            "not_applicable", "hidden")
#: Probability cut-offs, the one place they are set (statuses, chart legends and sentences read them):
#: an 80% interval lying wholly on one side of the target means p ≥ 0.9 or ≤ 0.1.
LIKELY, UNLIKELY = 0.9, 0.1


def bounded(p: float) -> float:
    """``p`` kept strictly inside (0, 1): within [``P_EDGE``, 1 − ``P_EDGE``] (forecast.projection)."""
    return float(projection.bounded(p))


def status_of(p: float) -> str:
    """``likely`` (p ≥ :data:`LIKELY`), ``unlikely`` (p ≤ :data:`UNLIKELY`) or ``too_close``."""
    return "likely" if p >= LIKELY else "unlikely" if p <= UNLIKELY else "too_close"


#: A value better than its target by more than this share of the target counts as "exceeded" (vượt).
EXCEED_MARGIN = 0.02
#: Years of history used for the observed annual change and the pace of a count.
TREND_WINDOW = 8
#: Eurostat / Statistics Canada categories by the ratio of observed to required progress, best first:
#: a ratio at or above the cut-off earns the category (95/60/0); below the last, "deterioration".
CATEGORY_CUTS: tuple[tuple[str, float], ...] = (
    ("on_track", 0.95), ("acceleration_needed", 0.6), ("limited_progress", 0.0))

COLUMNS = [
    "code", "objective", "target_year", "kind", "unit", "direction", "comparator", "target_value",
    "place", "series", "latest_value", "latest_year", "n_obs", "first_year", "judged_on", "projected",
    "lo-80", "hi-80", "lo-95", "hi-95", "p_meet", "status", "label_vi", "label_en", "symbol",
    "required_annual_change", "observed_annual_change", "observed_from", "observed_to", "ratio_observed_required",
    "category", "category_vi", "category_en", "trend", "trend_vi", "trend_en", "year_reached", "method",
    "reliability", "reliability_vi", "reliability_en", "illustrative", "lead_agency", "responsible_agency",
    "national_value", "national_year", "national_series", "national_status", "latest_numerator",
    "latest_denominator", "latest_status", "history", "history_vi", "history_en",
]
#: Columns of an assessment row that carry a number computed from its latest value or its counts: a
#: published table blanks every one of them when that value is hidden (the first is the value tested).
#: The required and observed changes give the latest value back from the target and the first value.
VALUE_COLUMNS: tuple[str, ...] = (
    "latest_value", "projected", "lo-80", "hi-80", "lo-95", "hi-95", "latest_numerator", "latest_denominator",
    "required_annual_change", "observed_annual_change", "ratio_observed_required",
)
#: The numerator and denominator of the latest value (part of :data:`VALUE_COLUMNS`).
COUNT_COLUMNS: tuple[str, ...] = ("latest_numerator", "latest_denominator")


@dataclass(frozen=True)
class Series:
    """The one series a target is judged on, and what else exists beside it."""

    frame: pd.DataFrame  # yearly rows, sorted by year
    series: str
    others: tuple[str, ...]
    #: Rows of the same measurement over part of a year (``harmonise.part_year_label``: the new communes'
    #: Q3–Q4 of 2025): never trended with the whole years, but the only value of their year for a target.
    part: pd.DataFrame | None = None

    def at_year(self, year: int) -> tuple[pd.DataFrame, str | None]:
        """The rows of ``year``: the series' own, else its part-year value (with that series' label)."""
        own = self.frame[self.frame["year"] == year]
        if not own.empty or self.part is None:
            return own, None
        part = self.part[self.part["year"] == year]
        return (part, str(part["series"].iloc[-1])) if not part.empty else (own, None)

    @property
    def years(self) -> np.ndarray:
        return self.frame["year"].to_numpy()

    @property
    def values(self) -> np.ndarray:
        return self.frame["value"].to_numpy(dtype=float)


def assess(
    obs: pd.DataFrame,
    *,
    plan: Plan | None = None,
    places: Places | None = None,
    agencies: Agencies | None = None,
    place: str | None = None,
    as_of: int | None = None,
    codes: Sequence[str] | None = None,
    national_place: str = "VN",
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Judge every target (code × target year) of the plan at one place.

    Parameters
    ----------
    obs
        Observations in the observation format (as returned by ``load_observations``).
    plan, places, agencies
        Registry and reference tables; loaded from the repository when omitted.
    place
        Where targets are judged; by default the place the plan covers in ``as_of``
        (``PlanInfo.place_for``: old Quảng Trị to 2024, the merged province from 2025).
    as_of
        Ignore observations after this year; by default the latest year with data at ``place``.
    codes
        Judge only these targets (all by default).
    national_place
        The place whose latest value is shown as national context (one series, never mixed).
    today
        The date on which the responsible agency is named (the later of it and the end of ``as_of``);
        the current date by default.

    Returns
    -------
    pandas.DataFrame
        One row per target and target year with the columns in :data:`COLUMNS`.

    Notes
    -----
    - *level*: judged on the target year's own value when it exists (with its sampling interval when
      numerator and denominator are known and the share is not a complete count of units; a 95%
      interval straddling the target is "too close to call"), else on the latest value if it already
      meets the target, else on the projection: ``p_meet`` ≥ 0.9 likely, ≤ 0.1 unlikely, otherwise too
      close to call.
    - *maintain* (100% to keep): the chance that every unit meets the standard in the target year,
      from a beta-binomial model of past years (Laplace's rule of succession on the counts).
    - *rate of decline* (3.5a): the average yearly fall of the count from a Poisson log-linear trend;
      the count is a complete administrative count, so the observed pace is judged as it is and
      ``p_meet`` says how firmly the trend supports it.
    - *milestone*: met from the first year the value meets the target; not projected.
    - *direction*: the sign of the Poisson log-linear trend (p ≥ 0.9 falling: likely).

    References
    ----------
    Eurostat (2023) *Sustainable development in the European Union, monitoring report*, annex;
    Statistics Canada / Open SDG progress methodology (ratio of observed to required CAGR, cut-offs
    95/60/0); UN DESA (2024) *SDG progress chart technical note*.
    """
    from gender_monitor.forecast.projection import project
    from gender_monitor.plan.reference import load_agencies, load_places
    from gender_monitor.plan.registry import load_plan

    plan = plan if plan is not None else load_plan()
    places = places if places is not None else load_places()
    agencies = agencies if agencies is not None else load_agencies()
    if place is None:
        # The place the plan covers in the as_of year (on its reporting day); without a year, today's.
        place = plan.plan.place_for(as_of) if as_of is not None else plan.plan.place_on(today or clock.today())
    yearly = obs[obs["quarter"].isna()] if "quarter" in obs.columns else obs
    here = yearly[yearly["place"] == place]
    if as_of is None:
        as_of = int(here["year"].max()) if not here.empty else plan.plan.midterm_year
    here = here[here["year"] <= as_of]
    targets = [plan.target(c) for c in codes] if codes is not None else plan.targets

    chosen = {t.code: choose_series(here, t.code) for t in targets}
    to_project = [s.frame for s in chosen.values() if s is not None and len(s.frame) >= 1]
    units = plan.units()
    forecasts = pd.DataFrame()
    if to_project:
        result = project(pd.concat(to_project, ignore_index=True), until=plan.plan.end_year, units=units)
        forecasts = result.forecasts

    # Who reports now: the later of the assessment year's end and today (the brief is read today).
    on = max(dt.date(as_of, 12, 31), today or clock.today())
    national = _national(yearly[(yearly["place"] == national_place) & (yearly["year"] <= as_of)],
                         [t.code for t in targets])
    histories = _histories(chosen, targets, place=place, places=places, plan=plan)
    rows = []
    for t in targets:
        for tv in t.targets:
            row = _assess_one(t, tv, chosen[t.code], forecasts, as_of=as_of, place=place, places=places)
            row.update(_context(t, tv, on, agencies, national))
            row.update({k: v for k, v in histories[t.code].items() if k != "join_note"})
            join = histories[t.code].get("join_note")
            if join:
                # The join of re-based history and the merged province's own values, or why there is none.
                for lang in ("vi", "en"):
                    row[f"reliability_{lang}"] = "; ".join(x for x in (row.get(f"reliability_{lang}"),
                                                                       join[lang]) if x)
            rows.append(row)
    out = pd.DataFrame(rows)
    for col in COLUMNS:
        if col not in out.columns:
            out[col] = np.nan
    # A target year the assessment has reached reads in end words ("không đạt", not "chưa đạt"), as every
    # output of the review says it (messages.reads_ended): its label columns too.
    for lang in i18n.LANGUAGES:
        out[f"label_{lang}"] = [row_label(r, lang, as_of) for _, r in out.iterrows()]
    return add_labels(out)[COLUMNS]


# --- how the history was built (merged province) -----------------------------------------------------

def _histories(chosen: dict[str, Series | None], targets: Sequence[Target], *, place: str, places: Places,
               plan: Plan) -> dict[str, dict[str, object]]:
    """Per target: ``history`` (token of ``harmonise.HISTORY_KINDS``) and its words in vi/en.

    Only a merged province has a history built across the 2025 boundary change; elsewhere the three
    columns are empty.
    """
    from gender_monitor.data import harmonise

    empty = {t.code: {"history": "", "history_vi": "", "history_en": ""} for t in targets}
    if place not in places or not harmonise.is_new_province(places, place):
        return empty
    by = harmonise.break_year_of(places)
    rebasing = harmonise.load_rebasing(plan=plan)
    out = {}
    for t in targets:
        s, rule = chosen[t.code], rebasing.get(t.code)
        if s is not None:
            h = harmonise.history_of(s.frame, place=places[place], places=places, by=by, rebasing=rebasing)
        elif rule is not None and not rule.possible:
            h = {"history": "not_rebased", "reason_vi": rule.reason_vi, "reason_en": rule.reason_en}
        else:
            h = {"history": "own_only"}
        kind = str(h["history"])
        row: dict[str, object] = {"history": kind}
        own = h.get("own_first") or by
        for lang in ("vi", "en"):
            if kind == "not_new":
                row[f"history_{lang}"] = ""
                continue
            methods = ", ".join(i18n.t(f"history.methods.{m}", lang) for m in str(h.get("methods", "")).split(";")
                                if m)
            reason = str(h.get(f"reason_{lang}", "")).rstrip(".")
            # A milestone (5.1) is judged on whether it was reached, never projected: its short series is not
            # "a very uncertain projection".
            key = f"{kind}_milestone" if kind == "not_rebased" and t.kind == "milestone" else kind
            text = i18n.t(f"history.{key}", lang, first=h.get("rebased_first"), last=h.get("rebased_last"),
                          methods=methods, own=own, reason=reason[:1].lower() + reason[1:])
            if kind in ("rebased", "rebased_estimate", "producer"):
                text += "; " + (i18n.t("history.own_from", lang, own=own) if h.get("own_first") is not None
                                else i18n.t("history.own_none", lang))
            row[f"history_{lang}"] = text
        if kind in ("rebased", "rebased_estimate", "producer") and h.get("own_first") is not None:
            row["join_note"] = {lang: i18n.t("history.join_note", lang, year=own) for lang in ("vi", "en")}
        elif kind in ("not_rebased", "own_only"):
            row["join_note"] = {lang: i18n.t(f"history.start_note_{kind}", lang, year=own) for lang in ("vi", "en")}
        out[t.code] = row
    return out


# --- choosing the series -----------------------------------------------------------------------------

def choose_series(here: pd.DataFrame, code: str) -> Series | None:
    """Both sexes together, one measurement series (the one with the latest data), never mixed.

    Only rows for both sexes (``sex`` empty) are judged: a target for boys and girls is never judged on
    the girls' or the boys' values, nor on the two stacked into one series.
    """
    rows = here[here["indicator"] == code]
    if "sex" in rows.columns:
        rows = rows[rows["sex"] == ""]
    if rows.empty:
        return None
    series_col = rows["series"] if "series" in rows.columns else pd.Series("", index=rows.index)
    latest = rows.assign(_s=series_col).groupby("_s")["year"].agg(["max", "count"])
    best = latest.sort_values(["max", "count"], ascending=False).index[0]
    frame = rows[series_col == best].sort_values("year").reset_index(drop=True)
    others = tuple(sorted(s for s in latest.index if s != best))
    parts = [s for s in others if harmonise.whole_year_series(s) == best]  # others holds no ``best`` itself
    part = rows[series_col.isin(parts)].sort_values("year").reset_index(drop=True) if parts else None
    return Series(frame, str(best), others, part)


def _national(frame: pd.DataFrame, codes: list[str]) -> dict[str, dict[str, object]]:
    """Latest national value per code, from one series chosen as for the place (never mixed)."""
    out: dict[str, dict[str, object]] = {}
    for code in codes:
        s = choose_series(frame, code)
        if s is None:
            continue
        last = s.frame.iloc[-1]
        out[code] = {"national_value": float(last["value"]), "national_year": int(last["year"]),
                     "national_series": s.series, "national_status": str(last.get("status", ""))}
    return out


# --- one target year ---------------------------------------------------------------------------------

def _assess_one(t: Target, tv: TargetValue, s: Series | None, forecasts: pd.DataFrame, *, as_of: int,
                place: str, places: Places) -> dict[str, object]:
    row: dict[str, object] = {
        "code": t.code, "objective": t.objective, "target_year": tv.year, "kind": t.kind, "unit": t.unit,
        "direction": t.direction, "comparator": tv.symbol, "target_value": tv.value, "place": place,
    }
    if place in places and not places[place].applicable_in(tv.year):
        return row | _status("not_applicable") | {"judged_on": "none"}
    if s is None:
        return row | _status("no_data") | {"judged_on": "none", "n_obs": 0, "trend": "unknown"}
    years, values = s.years, s.values
    row |= {
        "series": s.series, "latest_value": values[-1], "latest_year": int(years[-1]), "n_obs": len(values),
        "first_year": int(years[0]), "illustrative": bool((s.frame["status"] == "illustrative").any())
        if "status" in s.frame.columns else False,
    }
    last = s.frame.iloc[-1]
    # The counts behind the latest value travel with it, so disclosure control can check a rate.
    row |= {"latest_numerator": last.get("numerator", np.nan), "latest_denominator": last.get("denominator", np.nan),
            "latest_status": str(last.get("status", ""))}
    fc = _forecast_row(forecasts, s, tv.year)
    if t.kind == "level":
        row |= _judge_level(t, tv, s, fc, as_of)
    elif t.kind == "maintain":
        row |= _judge_maintain(t, tv, s, fc, as_of)
    elif t.kind == "rate_of_decline":
        row |= _judge_decline(t, tv, s, as_of)
    elif t.kind == "milestone":
        row |= _judge_milestone(t, tv, s, as_of)
    else:
        row |= _judge_direction(t, s)
    if t.kind in ("level", "maintain"):
        row |= _progress_measures(t, tv, s, met=row.get("status") in ("met", "exceeded"))
    elif t.kind == "rate_of_decline" and row.get("projected") is not None:
        row |= _pace_category(float(row["projected"]), float(tv.value))  # type: ignore[arg-type]
    row |= _reliability(t, s, row)
    return row


def _forecast_row(forecasts: pd.DataFrame, s: Series, year: int) -> pd.Series | None:
    if forecasts.empty:
        return None
    f = s.frame.iloc[0]
    sel = forecasts[(forecasts["indicator"] == f["indicator"]) & (forecasts["place"] == f["place"])
                    & (forecasts["sex"].fillna("") == "") & (forecasts["series"].fillna("") == s.series)
                    & (forecasts["year"] == year)]
    return None if sel.empty else sel.iloc[0]


def _status(status: str) -> dict[str, object]:
    return {"status": status, "label_vi": i18n.status_label(status, "vi"),
            "label_en": i18n.status_label(status, "en"), "symbol": i18n.STATUS_STYLE[status][0]}


def all_units_threshold(value: float, comparator: str, unit: str, units: Any = None) -> float:
    """The value a target of 100% (or 0%) of ``units`` units is met above (below): every unit, i.e. (units − ½)/units.

    A share of 12 facilities is at 100% when all 12 are: any value above 11.5/12 = 95.8% rounds to all of them.
    The continuous predictive distribution puts almost no mass on exactly 100%, and "all 12 facilities" would
    read as unlikely beside a projection of 11,7 of them. Other targets, and shares of an unknown number of
    units, keep their value.
    """
    n = float(units) if _finite(units) else math.nan
    if unit != "percent" or not n >= 1:
        return value
    if value >= 100.0 and comparator in (">=", ">", "="):
        return 100.0 * (n - 0.5) / n
    if value <= 0.0 and comparator in ("<=", "<", "="):
        return 100.0 * 0.5 / n
    return value


def _p_meet_from_forecast(t: Target, tv: TargetValue, fc: pd.Series, units: Any = None) -> float:
    """P(value in the target year satisfies the target), from the projection's predictive distribution; a 100%
    target over a known number of units is met when every unit is (:func:`all_units_threshold`)."""
    threshold = tv.threshold(t.direction)
    lower_wins = tv.comparator in ("<", "<=") or (tv.comparator == "~" and t.direction == "lower")
    # The target's own comparator: a strict one ("> 30 %") is not met by a value staying exactly at 30 %, which the
    # forecast may give a chance of its own (``stay``); "~" is met up to the edge of its band.
    comparator = tv.comparator if tv.comparator in ("<", "<=", ">", ">=") else ("<=" if lower_wins else ">=")
    if threshold is not None:
        threshold = all_units_threshold(threshold, comparator, t.unit, units)
    p = projection.meet_probability(threshold, comparator, np.array([fc["scale"]], dtype=object),
                                    np.array([float(fc["loc"])]), np.array([float(fc["sd"])]),
                                    np.array([float(fc.get("df", math.inf))]),
                                    np.array([float(fc.get("stay", 0.0))]),
                                    np.array([float(fc.get("stay_at", math.nan))]))
    return float(p[0])


def _interval_columns(fc: pd.Series | None) -> dict[str, object]:
    if fc is None:
        return {}
    out = {k: float(fc[k]) for k in ("lo-80", "hi-80", "lo-95", "hi-95") if k in fc.index}
    return out | {"projected": float(fc["median"]), "method": fc["method"]}


def _meets_with_margin(t: Target, tv: TargetValue, x: float) -> str:
    if not tv.met_by(x, t.direction):
        return "not_met"
    if t.kind == "maintain" or tv.comparator in ("=", "~") or tv.value in (None, 0):
        return "met"
    beyond = (x - tv.value) if t.direction == "higher" else (tv.value - x)
    return "exceeded" if beyond > EXCEED_MARGIN * abs(tv.value) else "met"


def _judge_level(t: Target, tv: TargetValue, s: Series, fc: pd.Series | None, as_of: int) -> dict:
    at_year, part = s.at_year(tv.year)
    if not at_year.empty:
        obs = at_year.iloc[-1]
        x = float(obs["value"])
        out: dict[str, object] = {"judged_on": "data", "projected": x, "part_series": part}
        # A complete count (every facility on the records) is the outcome itself; a sample or a rate of
        # events has the sampling interval of its counts.
        interval = None if t.complete_count else sampling.observed_interval(t.unit, obs.get("numerator"),
                                                                            obs.get("denominator"))
        if interval is not None:
            out |= {"lo-95": interval[0], "hi-95": interval[1]}
            if straddles(interval, lambda v: tv.met_by(v, t.direction)):
                return out | _status("too_close")
        return out | _status(_meets_with_margin(t, tv, x))
    latest = float(s.values[-1])
    out = {"judged_on": "projection"} | _interval_columns(fc)
    if fc is not None:
        out["p_meet"] = _p_meet_from_forecast(t, tv, fc, s.frame.iloc[-1].get("denominator"))
    if tv.met_by(latest, t.direction) and tv.year > as_of and not _met_by_chance(t, tv, s.frame.iloc[-1]):
        # Already met in the latest year: "đạt" whatever the trend (UN DESA rule); p_meet still says
        # how likely the level holds until the target year. A value whose own sampling interval straddles
        # the target (7 maternal deaths in 17,284 births: 40,5, 95% 16–83, against ≤ 42) has not shown the
        # level reached: the projection judges it, as it does a value short of the target.
        return out | {"judged_on": "latest"} | _status(_meets_with_margin(t, tv, latest))
    if fc is None:  # nothing was projected: not judged on a projection
        return out | {"judged_on": "none"} | _status("insufficient_data")
    p = float(out["p_meet"])
    return out | _status(status_of(p))


def straddles(interval: tuple[float, float] | None, meets: Callable[[float], bool]) -> bool:
    """Whether a value's sampling interval has values on both sides of a target (``meets`` says which side a
    value is on): the value meets it, or misses it, by the chance of its counts only."""
    return interval is not None and meets(interval[0]) != meets(interval[1])


def _met_by_chance(t: Target, tv: TargetValue, obs: pd.Series) -> bool:
    """Whether a value computed from counts meets the target only by the chance of its counts
    (:func:`straddles`; never for a complete count)."""
    if t.complete_count:
        return False
    interval = sampling.observed_interval(t.unit, obs.get("numerator"), obs.get("denominator"))
    return straddles(interval, lambda v: tv.met_by(v, t.direction))


def _judge_maintain(t: Target, tv: TargetValue, s: Series, fc: pd.Series | None, as_of: int) -> dict:
    at_year, part = s.at_year(tv.year)
    if not at_year.empty:
        x = float(at_year.iloc[-1]["value"])
        return ({"judged_on": "data", "projected": x, "part_series": part}
                | _status("met" if tv.met_by(x, t.direction) else "not_met"))
    if int(s.years[-1]) > tv.year:
        # The year went by without a value of its own: a later year's 100% (or shortfall) says nothing of it.
        return _status("no_data")
    out: dict[str, object] = {"judged_on": "projection"} | _interval_columns(fc)
    if tv.met_by(float(s.values[-1]), t.direction):
        # At 100% now: the question is whether it stays there (beta-binomial on the recent record). With the
        # target year still ahead the level is reached, to be kept ("đạt"); once that year has come without a
        # value of its own, the chance that it was kept is all there is to say.
        p = _p_stay_full(s.frame.tail(TREND_WINDOW))
        if tv.year > as_of:
            return out | {"judged_on": "latest", "p_meet": p} | _status("met")
        return out | {"p_meet": p} | _status(status_of(p))
    # Below 100% now: the question is whether the trend reaches it, read off the projection.
    if fc is None:  # nothing was projected: not judged on a projection
        return out | {"judged_on": "none"} | _status("insufficient_data")
    p = _p_meet_from_forecast(t, tv, fc, s.frame.iloc[-1].get("denominator"))
    return out | {"p_meet": p} | _status(status_of(p))


def _p_stay_full(recent: pd.DataFrame) -> float:
    """Chance that every unit meets the standard next time (beta-binomial, uniform prior).

    With counts, each unit (victim supported, commune reporting) is a trial: after ``k`` successes in
    ``n`` trials the per-unit chance is Beta(k + 1, n − k + 1), and the chance that all ``m`` units of
    the next year succeed is E[θ^m] = B(k + 1 + m, n − k + 1) / B(k + 1, n − k + 1). Without counts,
    each year is one trial (Laplace's rule of succession on years at 100%).
    """
    num, den = recent.get("numerator"), recent.get("denominator")
    if num is not None and den is not None and num.notna().all() and den.notna().all() and len(recent):
        k, n, m = float(num.sum()), float(den.sum()), float(den.iloc[-1])
        a, b = k + 1.0, n - k + 1.0
        from scipy.special import betaln

        return bounded(np.exp(betaln(a + m, b) - betaln(a, b)))
    full = (recent["value"] >= 100 - 1e-9).sum()
    return bounded((full + 1) / (len(recent) + 2))


def _poisson_trend(s: Series, since: int | None = None) -> tuple[float, float, int, int] | None:
    """Log-linear Poisson slope of a count and its standard error (quasi-Poisson, dispersion ≥ 1)."""
    import statsmodels.api as sm

    frame = s.frame if since is None else s.frame[s.frame["year"] >= since]
    frame = frame.tail(TREND_WINDOW)
    if len(frame) < 3:
        return None
    y = frame["value"].to_numpy(dtype=float)
    x = frame["year"].to_numpy(dtype=float)
    if y.sum() == 0:
        return 0.0, math.inf, int(x[0]), int(x[-1])
    X = sm.add_constant(x - x.mean())
    fit = sm.GLM(y, X, family=sm.families.Poisson()).fit()
    dispersion = max(1.0, float(fit.pearson_chi2 / max(fit.df_resid, 1)))
    return float(fit.params[1]), float(fit.bse[1] * math.sqrt(dispersion)), int(x[0]), int(x[-1])


def _judge_decline(t: Target, tv: TargetValue, s: Series, as_of: int) -> dict:
    """A rate-of-decline target (3.5a: the count falls 2–3% a year from ``from_year`` to the target year).

    The pace is the slope of a Poisson log-linear trend. Within the plan period it is fitted on the
    years from ``from_year`` on once there are three of them; before that, on the latest years (the
    pace the period starts with). The verdict is final ("met"/"not met") only when the period is over and
    its last year's count is in; until then (a final review before the 2030 count) it says how firmly the
    trend supports the required fall: p ≥ 0.9 likely, ≤ 0.1
    unlikely, otherwise too close to call — the observed pace is reported beside it.
    """
    # From from_year once the series has three values since then (not once three years have passed: a
    # report written in 2027 before the 2027 returns has two, and judged nothing).
    enough = t.from_year is not None and int((s.frame["year"] >= t.from_year).sum()) >= 3
    since = t.from_year if enough else None
    trend = _poisson_trend(s, since)
    if trend is None:
        return {"judged_on": "pace", "trend": "unknown"} | _status("insufficient_data")
    beta, se, first, last = trend
    fall = -100.0 * math.expm1(beta)  # percent per year, positive when the count falls
    required = math.log1p(-float(tv.value) / 100.0)  # the slope a 2% yearly fall needs
    p = bounded(stats.norm.cdf((required - beta) / se) if se > 0 and math.isfinite(se) else float(beta <= required))
    meets = fall >= float(tv.value) - 1e-9
    if as_of >= tv.year and last >= tv.year:  # the period's counts are all in: the pace is the outcome
        status = ("exceeded" if tv.upper is not None and fall > tv.upper else "met") if meets else "not_met"
    else:
        status = status_of(p)
    trend_word = "improving" if beta < -se else "worsening" if beta > se else "stable"
    return {"judged_on": "pace", "projected": fall, "p_meet": p, "observed_annual_change": -fall,
            "required_annual_change": -float(tv.value), "trend": trend_word, "method": "poisson-loglinear",
            "observed_from": first, "observed_to": last} | _status(status)


def category_of(ratio: float) -> str:
    """The category of a ratio of observed to required progress (:data:`CATEGORY_CUTS`)."""
    return next((name for name, cut in CATEGORY_CUTS if ratio >= cut), "deterioration")


def _pace_category(fall: float, required: float) -> dict[str, object]:
    """Eurostat/Statistics Canada category of a rate target: observed over required yearly fall."""
    ratio = fall / required
    category = category_of(ratio)
    return {"ratio_observed_required": ratio, "category": category}


def _judge_milestone(t: Target, tv: TargetValue, s: Series, as_of: int) -> dict:
    reached = s.frame[[tv.met_by(float(v), t.direction) for v in s.frame["value"]]]
    year_reached = int(reached["year"].iloc[0]) if not reached.empty else None
    at_year = s.values[s.years == tv.year]
    if len(at_year):
        # The target year's own value is the outcome, judged on data (not "no value yet; judged on the latest"),
        # whatever came after it.
        x = float(at_year[-1])
        return ({"judged_on": "data", "year_reached": year_reached, "projected": x}
                | _status("met" if tv.met_by(x, t.direction) else "not_met"))
    holds = tv.met_by(float(s.values[-1]), t.direction)
    if year_reached is not None and holds:
        return {"judged_on": "latest", "year_reached": year_reached, "projected": float(s.values[-1])} | _status("met")
    return {"judged_on": "latest", "year_reached": year_reached} | _status("not_met")


def _judge_direction(t: Target, s: Series) -> dict:
    if len(s.values) >= 2 and np.all(s.values[-2:] == 0):
        return {"judged_on": "latest", "trend": "improving"} | _status("met")
    trend = _poisson_trend(s)
    if trend is None:
        return {"judged_on": "latest", "trend": "unknown"} | _status("insufficient_data")
    beta, se, _, _ = trend
    p_down = float(stats.norm.cdf(-beta / se)) if se > 0 and math.isfinite(se) else 0.5
    if t.direction == "higher":
        p_down = 1 - p_down
    p_down = bounded(p_down)
    status = status_of(p_down)
    trend_word = "improving" if p_down >= 0.8 else "worsening" if p_down <= 0.2 else "stable"
    return {"judged_on": "projection", "p_meet": p_down, "trend": trend_word,
            "observed_annual_change": 100.0 * math.expm1(beta), "method": "poisson-loglinear"} | _status(status)


# --- standard measures -------------------------------------------------------------------------------

def _progress_measures(t: Target, tv: TargetValue, s: Series, *, met: bool) -> dict[str, object]:
    """Required vs observed annual change, the Eurostat/StatCan ratio and category, the trend.

    ``met`` is whether the target's status is met or exceeded: only then is the category "achieved".
    """
    out: dict[str, object] = {}
    years, values = s.years, s.values
    latest, last_year = float(values[-1]), int(years[-1])
    threshold = tv.threshold(t.direction)
    if threshold is not None and tv.year > last_year:
        out["required_annual_change"] = (threshold - latest) / (tv.year - last_year)
    recent = s.frame.tail(TREND_WINDOW)
    if len(recent) >= 2 and recent["year"].nunique() >= 2:
        x = recent["year"].to_numpy(dtype=float)
        y = recent["value"].to_numpy(dtype=float)
        slope, intercept = np.polyfit(x, y, 1)
        # The years the observed pace is measured over, so a reader does not take it for the last year's change.
        out |= {"observed_annual_change": float(slope), "observed_from": int(x[0]), "observed_to": int(x[-1])}
        resid = y - (slope * x + intercept)
        if len(recent) >= 3:
            se = math.sqrt(float(np.sum(resid**2)) / (len(x) - 2) / float(np.sum((x - x.mean()) ** 2)))
            sign = 1 if t.direction == "higher" else -1
            # A flat series (100% every year) has a slope of rounding noise and no residuals: stable.
            flat = abs(slope) <= 1e-9 * max(1.0, float(np.abs(y).max()))
            signal = 0.0 if flat else sign * slope / se if se > 0 else sign * math.copysign(math.inf, slope)
            out["trend"] = "improving" if signal > 1 else "worsening" if signal < -1 else "stable"
        else:
            out["trend"] = "unknown"
    else:
        out["trend"] = "unknown"
    out |= _statcan_category(t, tv, s, met=met)
    return out


def _statcan_category(t: Target, tv: TargetValue, s: Series, *, met: bool) -> dict[str, object]:
    """Ratio of observed to required compound growth (Eurostat / Statistics Canada) and its category.

    "Target achieved" only when the target's status is met; a latest value on the right side of the
    target whose target year is still open (or is judged on an estimate) is "on track". A series that
    started on the right side and left it is "deterioration", whatever the ratio of growth rates says
    (both rates would have the same sign there, and their ratio would read as progress).
    """
    if tv.value is None or len(s.values) < 2:
        return {"category": "unable"}
    latest = float(s.values[-1])
    if met:
        return {"category": "achieved"}
    if tv.met_by(latest, t.direction):
        return {"category": "on_track"}
    if tv.met_by(float(s.values[0]), t.direction):
        return {"category": "deterioration"}
    y0, t0 = max(float(s.values[0]), 1e-3), int(s.years[0])
    yt, tt = max(latest, 1e-3), int(s.years[-1])
    target = max(float(tv.value), 1e-3)
    if tt <= t0 or tv.year <= t0:
        return {"category": "unable"}
    cagr_obs = (yt / y0) ** (1 / (tt - t0)) - 1
    cagr_req = (target / y0) ** (1 / (tv.year - t0)) - 1
    if abs(cagr_req) < 1e-12:
        return {"category": "unable"}
    ratio = cagr_obs / cagr_req
    category = category_of(ratio)
    return {"ratio_observed_required": ratio, "category": category}


def _reliability(t: Target, s: Series, row: dict[str, object]) -> dict[str, object]:
    n = len(s.values)
    notes: dict[str, list[str]] = {"vi": [], "en": []}
    for lang in ("vi", "en"):
        if n == 1:
            notes[lang].append(i18n.t("notes.one_point", lang, last=int(s.years[-1])))
        else:
            notes[lang].append(i18n.t("notes.points", lang, n=n, first=int(s.years[0]), last=int(s.years[-1])))
        notes[lang] += _value_notes(t, row, lang)
        if row.get("part_series"):  # the target year's value counts part of that year only
            notes[lang].append(i18n.t("notes.part_year", lang, year=row["target_year"],
                                      series=harmonise.series_name(str(row["part_series"]), lang)))
        if s.others:
            notes[lang].append(i18n.t("notes.other_series", lang,
                                      series="; ".join(harmonise.series_name(o, lang) for o in s.others)))
        if row.get("illustrative"):
            notes[lang].append(i18n.t("notes.illustrative", lang))
    # An interval is too wide to lean on when it spans more than 20 percentage points (shares) or
    # more than half the latest value (rates, ratios, counts: an MMR of 30–150 says little).
    width_ok = True
    lo, hi = row.get("lo-95"), row.get("hi-95")
    if isinstance(lo, float) and isinstance(hi, float) and math.isfinite(lo) and math.isfinite(hi):
        width_ok = (hi - lo) <= (20.0 if t.unit == "percent" else 0.5 * abs(float(s.values[-1])))
    grade = _grade(n, width_ok, bool(row.get("illustrative")))
    return {"reliability": grade} | {f"reliability_{lang}": f"{i18n.t(f'reliability.{grade}', lang)} "
                                     f"({'; '.join(notes[lang])})" for lang in ("vi", "en")}


def _grade(n: int, width_ok: bool, illustrative: bool) -> str:
    """A reliability grade: high from 8 values with an interval narrow enough, medium from 5, else low; invented
    values carry none, however long the series."""
    return "illustrative" if illustrative else "high" if n >= 8 and width_ok else "medium" if n >= 5 else "low"


def _whole(x: Any) -> int | None:
    """A year or count as a whole number (a frame holds 2023 as 2023.0); None when missing."""
    return int(x) if isinstance(x, (int, float, np.integer, np.floating)) and math.isfinite(float(x)) else None


def _value_notes(t: Target, row: Any, lang: str) -> list[str]:
    """The notes of a target's reliability words that are read off its values: the 95% forecast interval's width,
    the observed pace of a fall (3.5a), the year a milestone was reached. ``row`` is an assessment row (a dict while
    it is made, a frame's row later: :func:`withhold_reliability` finds the same words again)."""
    notes = []
    lo, hi = row.get("lo-95"), row.get("hi-95")
    # A year judged on its own value keeps that value's sampling interval in lo-95/hi-95: not a forecast's.
    if (row.get("judged_on") != "data" and isinstance(lo, float) and isinstance(hi, float)
            and math.isfinite(lo) and math.isfinite(hi)):
        unit = i18n.t("units_width.percent", lang) if t.unit == "percent" else unit_words(t, lang)
        notes.append(i18n.t("notes.width", lang, width=i18n.number(hi - lo, lang, _digits(hi - lo)), unit=unit))
    first, last, pace = _whole(row.get("observed_from")), _whole(row.get("observed_to")), row.get("projected")
    if t.kind == "rate_of_decline" and first is not None and last is not None and _finite(pace):
        notes.append(i18n.t("notes.pace", lang, pace=i18n.number(float(pace), lang, 1), first=first, last=last))
    reached = _whole(row.get("year_reached"))
    if reached is not None:
        notes.append(i18n.t("notes.milestone_reached", lang, year=reached))
    return notes


def withhold_reliability(frame: pd.DataFrame, rows: Any, plan: Plan) -> pd.DataFrame:
    """The assessment ``frame`` with the reliability of ``rows`` (a boolean mask), whose values are not published,
    said without anything read off those values: its words lose the forecast interval's width, the observed pace
    and the year a milestone was reached (:func:`_value_notes`). Its grade is not "high" where an interval was
    tested: a narrow interval earns it, and one that is not published cannot (a row without one is graded on its
    length, as before). Call it before the values are blanked: it finds their words from them. A row of a code
    the plan does not have loses its words whole."""
    columns = ["reliability", *(f"reliability_{lang}" for lang in ("vi", "en"))]
    mask = np.asarray(rows, dtype=bool)
    if not mask.any() or not set(columns) <= set(frame.columns):
        return frame
    out = frame.copy()
    out[columns] = out[columns].astype(object)
    for i in out.index[mask]:
        row = out.loc[i]
        if row["code"] not in plan.codes:
            out.loc[i, columns] = ""
            continue
        t, before = plan.target(row["code"]), row["reliability"]
        if not isinstance(before, str) or not before:
            continue
        lo, hi = row.get("lo-95"), row.get("hi-95")
        tested = _finite(lo) and _finite(hi)
        grade = _grade(_whole(row.get("n_obs")) or 0, not tested, before == "illustrative")
        out.loc[i, "reliability"] = grade
        for lang in ("vi", "en"):
            text = row[f"reliability_{lang}"]
            if not isinstance(text, str):
                continue
            for note in _value_notes(t, row, lang):  # never the first note (that is the count of values)
                text = text.replace(f"; {note}", "", 1)
            said = i18n.t(f"reliability.{before}", lang)
            if text.startswith(said):
                text = i18n.t(f"reliability.{grade}", lang) + text[len(said):]
            out.loc[i, f"reliability_{lang}"] = text
    return out


def _digits(x: float) -> int:
    """Decimals that show three significant digits of a width (9.77, 41.3, 204)."""
    return max(0, 2 - int(math.floor(math.log10(abs(x))))) if x and math.isfinite(x) else 1


def _context(t: Target, tv: TargetValue, on: dt.date, agencies: Agencies,
             national: dict[str, dict[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {"lead_agency": t.lead_agency}
    out["responsible_agency"] = agencies.responsible(t.lead_agency, target=t.code, on=on).code
    return out | national.get(t.code, {})


def add_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill the vi/en words of the trend and category columns (kept separate for clarity)."""
    frame = frame.copy()
    frame["trend"] = frame["trend"].astype(object).where(frame["trend"].notna(), "unknown")
    frame["category"] = frame["category"].astype(object).where(frame["category"].notna(), "unable")
    for lang in ("vi", "en"):
        frame[f"trend_{lang}"] = [i18n.t(f"trend.{v}", lang) for v in frame["trend"]]
        frame[f"category_{lang}"] = [i18n.t(f"category.{v}", lang) for v in frame["category"]]
    return frame
