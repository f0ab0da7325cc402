"""The yearly report and the final review: the annex table, what changed, the final judgement, key messages.

The plan (section V) asks every agency for its results before 25 November of each year; the coordinating
department compiles them into the province's yearly report. Because the report is written before the year
ends, the value of the report's year N is always an estimate ("ước thực hiện"): an agency's partial-year
value where one was reported, else the projection with its interval. Every function here takes the tidy
frames of the review state (observations as shown, forecasts, assessment) and returns a tidy frame or text;
the words are in ``locales/<language>/report.yaml``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from typing import Any

import numpy as np
import pandas as pd

from gender_monitor.core import i18n
from gender_monitor.forecast import sampling
from gender_monitor.judge.assessment import LIKELY, STATUSES, UNLIKELY
from gender_monitor.judge.messages import (
    END_STATUSES,
    _finite,
    decline_range,
    digits_of,
    format_interval,
    format_value,
    full_name,
    rate_unit,
    reads_ended,
    short_name,
    status_label,
    target_text,
    unit_words,
)
from gender_monitor.plan.registry import Plan, Target

#: Statuses that count as good, undecided and bad when a status moves between two reports.
GOOD = ("exceeded", "met", "likely")
BAD = ("unlikely", "not_met")
#: Columns of :func:`annex` (one row per target of the plan).
ANNEX_COLUMNS = [
    "code", "objective", "name", "unit", "target_mid", "outcome_mid", "outcome_mid_judged", "outcome_mid_value",
    "outcome_mid_lo", "outcome_mid_hi", "target_end",
    "series", "value_prev", "value_prev_status", "value_now", "value_now_lo", "value_now_hi", "value_now_source",
    "value_now_status", "change", "change_within_noise", "pace_needed", "pace_observed", "pace_from", "pace_to",
    "outlook", "outlook_p", "outlook_judged", "outlook_latest_year", "outlook_trend", "illustrative", "suppressed",
]


def _row(assessment: pd.DataFrame, code: str, year: int) -> pd.Series | None:
    rows = assessment[(assessment["code"] == code) & (assessment["target_year"] == year)]
    return rows.iloc[0] if len(rows) else None


def _judged_series(assessment: pd.DataFrame, code: str) -> str | None:
    s = assessment.loc[assessment["code"] == code, "series"].dropna()
    return str(s.iloc[0]) if len(s) else None


def _annual_rows(shown: pd.DataFrame, code: str, place: str) -> pd.DataFrame:
    rows = shown[(shown["indicator"] == code) & (shown["place"] == place) & shown["quarter"].isna()]
    if (rows["sex"].fillna("") == "").any():
        rows = rows[rows["sex"].fillna("") == ""]
    return rows


def _value_at(rows: pd.DataFrame, year: int, series: str | None) -> pd.Series | None:
    at = rows[rows["year"] == year]
    if series is not None and (at["series"].fillna("") == series).any():
        at = at[at["series"].fillna("") == series]
    elif series is not None:
        return None  # another series only: never compared with the judged one
    return at.iloc[-1] if len(at) else None


#: z of a two-sided 95% band.
_Z95 = 1.959964


def _within_noise(target: Target, prev: pd.Series, now: pd.Series, change: float) -> bool:
    """Whether a year's change is within the chance swing of two values computed from counts.

    Each value's standard error is read off its 95% sampling interval
    (:func:`gender_monitor.forecast.sampling.observed_interval`: Wilson for a share, the boys' share for the sex
    ratio at birth, Garwood for a rate); the change is chance-sized when it is smaller than 1.96 times the
    standard error of the difference. A count of events in a year (child marriages) is Poisson: its variance
    is the count itself. A complete count (every facility on the records) has no sampling noise,
    nor has a value whose counts are unknown: their changes are taken as they are.
    """
    if target.complete_count:
        return False
    if target.unit == "count":  # events in a year (child marriages): Poisson, the variance is the count
        values = [float(r["value"]) for r in (prev, now)]
        return abs(change) < _Z95 * math.sqrt(sum(max(v, 0.5) for v in values))
    se = []
    for row in (prev, now):
        counts = [row.get(c) for c in ("numerator", "denominator")]
        interval = sampling.observed_interval(target.unit, *(float(c) if _finite(c) else None for c in counts))
        if interval is None:
            return False
        se.append((interval[1] - interval[0]) / (2 * _Z95))
    return abs(change) < _Z95 * math.hypot(*se)


def _flag(x: Any) -> bool:
    """A yes/no column read from a frame that may hold NaN or None for "no"."""
    return x is not None and not pd.isna(x) and bool(x)


def _suppressed(row: pd.Series | None) -> bool:
    return row is not None and "suppressed" in row.index and str(row["suppressed"] or "") != ""


def annex(plan: Plan, *, year: int, place: str, shown: pd.DataFrame, forecasts: pd.DataFrame,
          assessment: pd.DataFrame) -> pd.DataFrame:
    """The province's annex table of the yearly report of ``year``: one row per target of the plan.

    Parameters
    ----------
    plan
        The registry.
    year
        The report's year N.
    place
        The place the plan covers in N (the merged province QT25 from 2025).
    shown
        Observations as the report may show them (after disclosure control when publishing).
    forecasts
        Projections of every series (``ReviewState.forecasts``).
    assessment
        :func:`gender_monitor.judge.assessment.assess` at ``place`` as of ``year``.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`ANNEX_COLUMNS`. ``value_now_source`` is ``reported`` (a value of year N is in
        the data: reported before the year ended, so an estimate), ``projection`` (the projection of the
        judged series for N, with its 80% interval in ``value_now_lo``/``value_now_hi``), ``hidden`` (a value of
        N not published: disclosure control) or ``none``.
        ``change`` is N minus N−1 within one series, of the values as the report writes them (rounded to
        their unit's decimals, so that a reader's subtraction gives the same figure), and
        ``change_within_noise`` says it is smaller than the chance swing of two values computed from counts
        (:func:`_within_noise`; False where the counts are unknown or complete);
        ``pace_needed``/``pace_observed`` are the assessment's required and observed yearly changes towards
        the plan's end-year target, the observed one measured over the years ``pace_from``–``pace_to``;
        ``outlook`` and ``outlook_p`` its status and probability for that target, ``outlook_judged`` what the
        status was read off and ``outlook_latest_year`` the year of the judged series' latest value (in the plan's
        last year, a status read off an earlier year's value says that year, as the final table does),
        ``outlook_trend`` the assessment's reading of the recent trend (``improving``, ``stable``, ``worsening``,
        ``unknown``).

    Notes
    -----
    The value of N−1 and of N are read from the series the target is judged on; a value of another series
    (a survey beside a registration count, or the series re-based on the new boundaries) is never set
    beside it, so the change over the year never mixes two measurements.
    """
    mid, end = plan.plan.midterm_year, plan.plan.end_year
    out = []
    for t in plan.targets:
        series = _judged_series(assessment, t.code)
        rows = _annual_rows(shown, t.code, place)
        prev, now = _value_at(rows, year - 1, series), _value_at(rows, year, series)
        row: dict[str, Any] = {c: np.nan for c in ANNEX_COLUMNS}
        row.update(code=t.code, objective=t.objective, name=t.display_vi or t.name_vi, unit=t.unit, series=series or "",
                   target_mid=t.target_for(mid).value if t.target_for(mid) else np.nan,
                   target_end=t.target_for(end).value if t.target_for(end) else np.nan,
                   value_prev_status="", value_now_status="", value_now_source="none",
                   outcome_mid="", outcome_mid_judged="", outlook="", outlook_judged="", outlook_trend="",
                   change_within_noise=False,
                   suppressed=_suppressed(prev) or _suppressed(now))
        if prev is not None and _finite(prev["value"]):
            row.update(value_prev=float(prev["value"]), value_prev_status=str(prev["status"]))
        elif _suppressed(prev):  # year N−1's value exists but is not published: said so, not "–"
            row.update(value_prev_status="hidden")
        if now is not None and _finite(now["value"]):
            row.update(value_now=float(now["value"]), value_now_status=str(now["status"]), value_now_source="reported")
        elif now is not None and _suppressed(now):  # year N's value exists but is not published
            row.update(value_now_source="hidden")
        elif now is None and series is not None and not _suppressed(prev):
            fc = forecasts[(forecasts["indicator"] == t.code) & (forecasts["place"] == place)
                           & (forecasts["series"].fillna("") == series) & (forecasts["year"] == year)]
            if "sex" in fc.columns and (fc["sex"].fillna("") == "").any():
                fc = fc[fc["sex"].fillna("") == ""]
            if len(fc):
                f = fc.iloc[0]
                row.update(value_now=float(f["median"]), value_now_lo=float(f["lo-80"]), value_now_hi=float(f["hi-80"]),
                           value_now_source="projection", value_now_status="estimate")
        if row["value_now_source"] == "none" and (w := _row(assessment, t.code, end)) is not None \
                and _flag(w.get("suppressed")) and not _finite(w["projected"]):
            # The projection of a series with withheld values is withheld with them (3.3, 3.5b): the cell says so,
            # not "no estimate" (no value of the year was reported: the source stays "none").
            row.update(suppressed=True)
        if row["value_now_source"] == "reported" and _finite(row["value_prev"]):
            d = digits_of(t.unit)  # the difference of the two values as written: 92,7 − 89,8 = 2,9, not 3,0
            row["change"] = round(round(row["value_now"], d) - round(row["value_prev"], d), d)
            row["change_within_noise"] = _within_noise(t, prev, now, row["change"])
        if year >= mid and (r := _row(assessment, t.code, mid)) is not None:
            row.update(outcome_mid=str(r["status"]), outcome_mid_judged=str(r["judged_on"] or ""))
            if row["outcome_mid_judged"] == "data":  # the value judged and its sampling interval, where known
                row.update(outcome_mid_value=r["projected"], outcome_mid_lo=r["lo-95"], outcome_mid_hi=r["hi-95"])
        if (r := _row(assessment, t.code, end)) is not None:
            row.update(outlook=str(r["status"]), outlook_p=r["p_meet"], outlook_judged=str(r["judged_on"] or ""),
                       outlook_latest_year=r["latest_year"], outlook_trend=str(r.get("trend") or "unknown"),
                       pace_needed=r["required_annual_change"], pace_observed=r["observed_annual_change"],
                       pace_from=r.get("observed_from", np.nan), pace_to=r.get("observed_to", np.nan))
        illus = assessment.loc[assessment["code"] == t.code, "illustrative"]
        row["illustrative"] = bool(illus.fillna(False).astype(bool).any()) or "illustrative" in (
            row["value_prev_status"], row["value_now_status"])
        out.append(row)
    return pd.DataFrame(out, columns=ANNEX_COLUMNS)


def valued(annex_frame: pd.DataFrame) -> int:
    """How many targets have a value (reported or projected) for the report's year."""
    return int(annex_frame["value_now"].notna().sum())


def valued_sentence(annex_frame: pd.DataFrame, *, total: int, year: int, language: str = "vi") -> str:
    """``24/25 chỉ tiêu có giá trị năm 2026: 17 theo số liệu báo cáo, 7 ước tính theo dự báo.`` — how many
    targets have a value for the year, and how many of those are figures sent rather than projections
    (a group with none is not said)."""
    has = annex_frame["value_now"].notna()
    source = annex_frame["value_now_source"]
    # A value reported but not published (disclosure control) is a value of the year all the same: counted, said so.
    hidden = int((source == "hidden").sum())
    parts = [_tr(f"valued_parts.{k}", language, n=n) for k, n in
             (("reported", int((has & (source == "reported")).sum())), ("hidden", hidden),
              ("projection", int((has & (source == "projection")).sum()))) if n]
    return _tr("valued", language, n=valued(annex_frame) + hidden, total=total, year=year,
               parts=", ".join(parts) or "–")


# --- words for the annex ---------------------------------------------------------------------------

def _tr(key: str, language: str, **values: object) -> str:
    return i18n.t(f"report.{key}", language, **values)


def outcome_text(status: str, judged: str, language: str = "vi", *, value: Any = None, lo: Any = None,
                 hi: Any = None, unit: str | Target = "") -> str:
    """The mid-term outcome in words: met / exceeded / not met on the value, or how it was judged without one.

    A value whose sampling interval (``lo``–``hi``, 95%) straddles the target is said with the value and
    the interval, so that 83,3% against "at least 70%" reads as uncertain, not as "close". An outcome is of
    a target year the report has reached: judged without its value, it reads in end words ("nhiều khả năng
    đạt", :func:`~gender_monitor.judge.messages.reads_ended`), as the objective briefs say it.
    """
    if not status:
        return "–"
    if judged == "data" and status == "too_close" and all(_finite(x) for x in (value, lo, hi)):
        low, high = format_interval(lo, hi, unit, language)
        return _tr("outcome.too_close_interval", language, value=format_value(value, unit, language), lo=low, hi=high)
    if judged == "data":
        return _tr(f"outcome.{status}", language) if status in ("exceeded", "met", "not_met", "too_close") \
            else i18n.status_label(status, language)
    if status in ("no_data", "not_applicable"):
        return i18n.status_label(status, language)
    ended = status in END_STATUSES and not (status == "not_met" and judged == "latest")
    return _tr("outcome.no_value", language, label=status_label(status, language, ended=ended))


def _signed(x: float, digits: int, language: str) -> str:
    """``+2,3``, ``−0,4`` (``không đổi`` when it rounds to zero at ``digits``)."""
    if round(x, digits) == 0:
        return _tr("no_change", language)
    return ("+" if x > 0 else "−") + i18n.number(abs(x), language, digits, keep_zeros=True)


def change_text(x: Any, target: Target, language: str = "vi") -> str:
    """A change over one year with its sign and unit, in the words of the target's yearly pace without "a year"
    (:func:`step_suffix`, the one rule of both): ``+2,3 điểm phần trăm``, ``−0,1‰``, ``−1,5 bé trai/100 bé gái``,
    ``+6 cuộc``; ``không đổi``; ``–`` when there is none. Its number has the decimals its values are written with,
    the difference of the values as the report writes them."""
    if not _finite(x):
        return "–"
    said = _signed(float(x), digits_of(target.unit), language)
    if said == _tr("no_change", language) or target.unit == "yes_no":  # "+1" of a yes/no has no unit to say
        return said
    return said + step_suffix(target, language)


def unit_name(target: Target, language: str = "vi") -> str:
    """The unit column's word: the unit as the plan words it where it says more than the unit's name
    ("ca sinh/1.000 phụ nữ 15–19 tuổi" for "‰"), what a count counts ("cuộc"), a rate with the denominator
    the plan names ("ca/100.000 trẻ sinh sống", :func:`~gender_monitor.judge.messages.unit_words`) or a ratio
    with what it is a multiple of ("lần so với nam giới"), else the unit's name."""
    worded = target.unit_vi if language == "vi" else target.unit_en
    if worded:
        return worded
    counted = target.counted_vi if language == "vi" else target.counted_en
    if target.unit == "count" and counted:
        return counted
    per = target.per_vi if language == "vi" else target.per_en
    # A ratio says what it is a multiple of, as its pace does ("lần so với nam giới"; a bare "lần" reads as "times").
    rated = per and target.unit in i18n.entries("units_per", language)
    return unit_words(target, language) if rated else _tr(f"unit_names.{target.unit}", language)


def _pace_unit_key(target: Target) -> str:
    """What a yearly pace is counted in: ``decline`` (% a year, a rate of decline), ``points`` (percentage
    points, a share) or ``unit`` (the target's own unit)."""
    return "decline" if target.kind == "rate_of_decline" else _step_unit_key(target)


def _step_unit_key(target: Target) -> str:
    """What a change of the target's values is counted in: ``points`` (a share) or ``unit`` (its own unit)."""
    return "points" if target.unit == "percent" else "unit"


def _own_step_words(target: Target, language: str) -> str | None:
    """A change's unit in words the target gives it: a rate's, as its values write it (:func:`~gender_monitor.judge.
    messages.rate_unit`: `` ca/100.000 trẻ sinh sống``, ``‰``, `` bé trai/100 bé gái``), a ratio's, with what it is
    a multiple of (``per_vi``: `` lần so với nam giới``; a bare "lần/năm" reads as "times a year"), a count's, with
    what it counts (`` cuộc``); None for the others."""
    if _step_unit_key(target) != "unit":
        return None
    rate = rate_unit(target, language)
    if rate is not None:
        return _tr("step_suffix_rate", language, unit=rate)
    per = target.per_vi if language == "vi" else target.per_en
    if per and target.unit in i18n.entries("report.step_suffix_per", language):
        return _tr(f"step_suffix_per.{target.unit}", language, per=per)
    counted = target.counted_vi if language == "vi" else target.counted_en
    if counted and target.unit == "count":
        return _tr("step_suffix_counted", language, counted=counted)
    return None


def step_suffix(target: Target, language: str = "vi") -> str:
    """The unit after the number of a change of the target's values, as its values are written: `` điểm phần trăm``
    (a share), ``‰``, `` ca/100.000 trẻ sinh sống``, `` lần so với nam giới``, `` cuộc`` (:func:`_own_step_words`);
    for a unit without words of its own, its name (:func:`unit_name`). A change over one year has these words
    (:func:`change_text`), a yearly pace the same with "mỗi năm" (:func:`pace_suffix`)."""
    own = _own_step_words(target, language)
    return own if own is not None else _tr(f"step_suffix.{_step_unit_key(target)}", language,
                                           unit=unit_name(target, language))


def pace_suffix(target: Target, language: str = "vi") -> str:
    """The unit after a yearly pace's number, as the target's values are written: a change's words
    (:func:`step_suffix`) "a year": `` điểm phần trăm mỗi năm`` (a share), ``‰ mỗi năm``, `` ca/100.000 trẻ sinh
    sống mỗi năm``, `` lần so với nam giới mỗi năm``, `` cuộc mỗi năm``; a rate of decline's ``%/năm``, as the plan
    writes "giảm 2–3%/năm". The one source of a pace's unit: :func:`pace_unit`'s column says the same words."""
    if _pace_unit_key(target) == "decline":
        return _tr("pace_suffix_decline", language)
    return _tr("per_year", language, step=step_suffix(target, language))


def signed_pace(x: Any, target: Target, language: str = "vi") -> str:
    """A yearly pace with its sign and unit (:func:`pace_suffix`): ``+1,2 điểm phần trăm mỗi năm``, ``−0,3‰ mỗi năm``,
    ``−0,5 bé trai/100 bé gái mỗi năm``, ``−0,2 ca/100.000 trẻ sinh sống mỗi năm`` (a rate's words, as its values are
    written: never a bare "−0,5/năm" in a sentence), ``−0,05 lần so với nam giới mỗi năm`` (``–`` when unknown).
    The one rule of every pace shown (the report's, the explorer's): one decimal, two for a ratio, more for a pace
    that would round to zero. A pace that is zero, or rounds to zero even at three decimals, is ``không đổi`` /
    ``no change``, as a change over the year is (:func:`change_text`), not "±0,0", which reads "plus or minus"."""
    if not _finite(x):
        return "–"
    suffix = pace_suffix(target, language)
    digits = 2 if target.unit == "ratio" else 1
    while round(float(x), digits) == 0 and float(x) != 0 and digits < 3:  # −0,02, not "−0,0"
        digits += 1
    if round(float(x), digits) == 0:
        return _tr("no_change", language)
    sign = "+" if float(x) > 0 else "−"
    return f"{sign}{i18n.number(abs(round(float(x), digits)), language, digits, keep_zeros=True)}{suffix}"


def _observed_text(observed: Any, target: Target, language: str, period: tuple[Any, Any] | None) -> str:
    """``thực tế 2019–2026: +0,5 điểm phần trăm mỗi năm`` (the years left out when unknown)."""
    if period is not None and all(_finite(y) for y in period) and _finite(observed):
        return _tr("pace_observed_period", language, first=int(period[0]), last=int(period[1]),
                   value=signed_pace(observed, target, language))
    return _tr("pace_observed", language, value=signed_pace(observed, target, language))


def pace_text(needed: Any, observed: Any, target: Target, language: str = "vi", outlook: Any = None,
              period: tuple[Any, Any] | None = None, *, ended: bool = False) -> str:
    """``cần +1,2 điểm phần trăm mỗi năm; thực tế 2019–2026: +0,5 điểm phần trăm mỗi năm`` (each pace in its unit's
    words, :func:`signed_pace`); ``–`` when neither is known.

    ``period`` (first and last year) is what the observed pace is measured over, so that it is not read as
    the last year's change. When the pace of recent years is enough but the ``outlook`` is "unlikely" or
    "too close to call", a clause says why the two differ (the projection does not assume that pace is kept
    up in full: its trend is shrunk, and a share slows near 100%), so a reader does not take one of them for
    an error.

    ``ended``: the report is of the target's last year (the final review): no pace is asked for any more, a
    level reached is not "to be kept", and the required pace is said as what the years left had needed.
    """
    if not (_finite(needed) or _finite(observed)):
        return "–"
    sign = 1.0 if target.direction == "higher" else -1.0
    why = "pace_enough_but_all" if _to_whole(target) and outlook == "unlikely" else "pace_enough_but"
    caveat = (" " + _tr(why, language)
              if _pace_enough(needed, observed, target) and outlook in ("unlikely", "too_close") else "")
    seen = _observed_text(observed, target, language, period)
    if _finite(needed) and sign * float(needed) <= 0 and target.kind != "rate_of_decline":
        # The latest value is at or past the target: "cần −0,4" would read as "must fall".
        return _tr("pace_met_ended" if ended else "pace_met", language, observed=seen)
    return _tr("pace_ended" if ended else "pace", language, needed=signed_pace(needed, target, language),
               observed=seen) + caveat


def _to_whole(target: Target) -> bool:
    """A share to raise to 100% by the plan's end: it slows near the top, and its last units must follow."""
    last = max(target.targets, key=lambda tv: tv.year)
    return target.unit == "percent" and last.value == 100 and target.direction == "higher"


def _pace_enough(needed: Any, observed: Any, target: Target) -> bool:
    """The observed pace goes the target's way at least as fast as the required one."""
    sign = 1.0 if target.direction == "higher" else -1.0
    return (_finite(needed) and _finite(observed) and sign * float(needed) > 0
            and sign * float(observed) >= sign * float(needed))


def maintained_state(row: pd.Series, target: Target, year: int) -> str | None:
    """How a target to keep at 100% every year (kind ``maintain``) did in ``year``, from its annex row:
    ``kept``, ``slipped``, ``hidden`` (a value not published: disclosure control) or ``unknown`` (no value of the
    year reported: an estimate says nothing of it). ``None`` for another kind of target or a year before
    its first target year.
    """
    if target.kind != "maintain" or year < min(tv.year for tv in target.targets):
        return None
    if row["value_now_source"] == "hidden":
        return "hidden"
    if row["value_now_source"] != "reported" or not _finite(row["value_now"]):
        return "unknown"
    first = min(target.targets, key=lambda tv: tv.year)
    return "kept" if first.met_by(float(row["value_now"]), target.direction) else "slipped"


def pace_cell(row: pd.Series, target: Target, *, year: int, language: str = "vi") -> str:
    """What the annex and the decision lines say of a target's pace in the report of ``year``.

    A target to keep at 100% every year is not asked for a yearly step towards 2030 ("cần +0,7 điểm phần trăm mỗi năm"
    would read as if 97% were on course): its cell says the year's requirement and whether the year kept
    it, then the observed pace. Every other target gets :func:`pace_text`.
    """
    period = (row.get("pace_from"), row.get("pace_to"))
    state = maintained_state(row, target, year)
    if state is None:
        return pace_text(row["pace_needed"], row["pace_observed"], target, language, row["outlook"], period,
                         ended=year >= max(tv.year for tv in target.targets))
    gap = value = ""
    if state == "slipped":  # the year's value and how far below 100% it is, as the report writes both
        d = digits_of(target.unit)
        gap = _tr("points", language, value=i18n.number(round(100.0 - round(float(row["value_now"]), d), d), language,
                                                          d, keep_zeros=True))
        value = format_value(float(row["value_now"]), target, language)
    said = _tr(f"maintained_pace.{state}", language, year=year, gap=gap, value=value)
    if _finite(row["pace_observed"]):
        said += "; " + _observed_text(row["pace_observed"], target, language, period)
    return said


def decision_action(row: pd.Series, target: Target, *, year: int) -> str:
    """What a decision line asks the board for, from the target's own figures:

    - ``restore``: a level to keep every year that the year did not keep, with a year of the plan left;
    - ``against``: the recent trend moves away from the target beyond its noise (the assessment's
      ``worsening``, the board page's "reverse the trend");
    - ``act``: no pace to read (too few values);
    - ``complete`` / ``keep``: the observed pace is enough, yet the level is not sure to be reached: for a
      target of 100% the last units must follow, for another the pace must be kept;
    - ``flat``: no progress the required way (a change within the noise, or none);
    - ``year_enough``: the average pace falls short but the report's year alone moved as much as needed (a
      reported change, not a chance swing);
    - ``slow``: the rest, the right way but too slowly.
    """
    last = max(target.targets, key=lambda tv: tv.year)
    if maintained_state(row, target, year) == "slipped" and year < last.year:  # a next year to restore it in
        return "restore"
    if row.get("outlook_trend") == "worsening":
        return "against"
    needed, observed = row["pace_needed"], row["pace_observed"]
    if not _finite(observed):
        return "act"
    if _pace_enough(needed, observed, target):
        return "complete" if _to_whole(target) else "keep"
    sign = 1.0 if target.direction == "higher" else -1.0
    if sign * float(observed) <= 0:
        return "flat"
    change, noise = row.get("change"), row.get("change_within_noise")
    if _finite(change) and _finite(needed) and not _flag(noise) and _pace_enough(needed, change, target):
        return "year_enough"
    return "slow"


def estimate_text(row: pd.Series, unit: str | Target, year: int, language: str = "vi") -> str:
    """The value of the report's year, always labelled an estimate, and where the estimate comes from (``unit``:
    the target, or a unit's code)."""
    if row["value_now_source"] == "reported":  # with its status: a preliminary figure is not an official one
        given = row["value_now_status"]
        status = given if pd.notna(given) and given else "official"
        return _tr("estimate.reported", language, value=format_value(row["value_now"], unit, language),
                   status=i18n.t(f"data_status.{status}", language))
    if row["value_now_source"] == "projection":
        lo, hi = format_interval(row["value_now_lo"], row["value_now_hi"], unit, language)
        return _tr("estimate.projection", language, value=format_value(row["value_now"], unit, language), lo=lo, hi=hi)
    if row["suppressed"]:
        return _tr("suppressed", language)
    return _tr("estimate.none", language)


def _value_with_status(x: Any, status: str, unit: str | Target, language: str) -> str:
    """A value with its data status in words (an official one has no mark; an illustrative one neither:
    the report's banner and notes say that its data are illustrative)."""
    if status == "hidden":
        return _tr("suppressed", language)
    if not _finite(x):
        return "–"
    mark = "" if status in ("official", "illustrative", "") else f" ({i18n.t(f'data_status.{status}', language)})"
    return format_value(x, unit, language) + mark


def outlook_label(status: Any, judged: Any, language: str = "vi", *, before_end: bool = True) -> str:
    """The end-year outlook in words; a level reached before the plan's last year is a level to keep, not an
    outcome yet ("đã đạt mức mục tiêu, cần duy trì"). Empty when there is no outlook."""
    if not isinstance(status, str) or not status:
        return ""
    if before_end and _level_kept(status, judged):
        return _tr("level_kept", language)
    return status_label(status, language, ended=not before_end)


def status_legend(plan: Plan, *, year: int, language: str = "vi") -> list[str]:
    """What the words of the annex's (or the final table's) assessment mean, for the lines under it: the
    mid-term outcome (from the mid-term year on), the probability thresholds, and the outlook's other words
    before the plan's last year, or the end words of its last year ("nhiều khả năng đạt"). A table of statuses
    is never left without its legend (the review's briefs have one; the yearly report had none)."""
    from gender_monitor.judge.assessment import EXCEED_MARGIN
    from gender_monitor.judge.messages import thresholds_text

    mid, end = plan.plan.midterm_year, plan.plan.end_year
    lines = [_tr("status_legend.title", language)]
    if year >= mid:
        lines.append(_tr("status_legend.outcome", language, mid=mid,
                         margin=f"{i18n.number(100 * EXCEED_MARGIN, language, 1)}%"))
    lines.append(thresholds_text(language, ended=year >= end))
    lines.append(_tr("status_legend.kept", language, end=end) if year < end else i18n.t("legend.ended", language))
    return lines


def pace_unit(target: Target, language: str = "vi") -> str:
    """What a yearly pace written as a bare number is counted in, for a column of its own (the department's
    workbook, the explorer's downloads): the words the pace itself has beside its number (:func:`pace_suffix`),
    so that "+1,2 điểm phần trăm mỗi năm" sits beside a column "điểm phần trăm mỗi năm", "−2,0%/năm" beside
    "%/năm", "−0,2 ca/100.000 trẻ sinh sống mỗi năm" beside "ca/100.000 trẻ sinh sống mỗi năm" ("lần so với nam
    giới mỗi năm": "lần mỗi năm" would read "times a year")."""
    return pace_suffix(target, language).strip()


def annex_numbers(annex_frame: pd.DataFrame, plan: Plan, *, year: int, language: str = "vi") -> pd.DataFrame:
    """The annex as numbers, for the department's workbook: one column per quantity, values as numbers (a
    sum, a chart or a format works on them), units and statuses in words, headers in ``language``.

    The same values as the annex CSV (a hidden value is empty there too), in the annex's words: where a
    text column of the annex shows "47% (số liệu sơ bộ)", this table has 47 and the status in a column of its
    own; outcomes and outlooks read as in the annex. A target that is not a level of the unit (3.5a: a fall of
    2–3% a year) has no number in the target columns; the unit of each pace is said in a column, and the
    probability is in percent. ``year`` is the report's year: the headers name the years as the annex's do
    ("Thực hiện năm 2025", "Ước thực hiện năm 2026"), and the plan's last year has a judgement, not an outlook.
    """
    mid, end = plan.plan.midterm_year, plan.plan.end_year
    before_end = year < end
    skip = ("sources", "judgement" if before_end else "outlook")
    h = {("outlook" if k == "judgement" else k):
         c.format(year=mid if k.endswith(("_mid", "_mid_value")) else end, prev=year - 1, now=year, end=end)
         for k, c in i18n.entries("report.annex_numbers", language).items() if k not in skip}

    def words(key: str, value: Any) -> str:  # a hidden value's status is said as hidden
        if value == "hidden":
            key = "report.annex_numbers.sources"
        return i18n.t(f"{key}.{value}", language) if isinstance(value, str) and value else ""

    def number(x: Any, digits: int = 3) -> float | None:  # to a precision the report's figures carry
        return round(float(x), digits) if _finite(x) else None

    def level(t: Target, x: Any) -> float | None:  # a target that is a level of the unit
        return None if t.kind == "rate_of_decline" else number(x)

    rows = []
    for _, r in annex_frame.iterrows():
        t = plan.target(r["code"])
        paced = _finite(r["pace_needed"]) or _finite(r["pace_observed"])
        rows.append({
            h["code"]: r["code"], h["indicator"]: full_name(t, language),
            h["unit"]: unit_name(t, language), h["target_mid"]: level(t, r["target_mid"]),
            h["outcome_mid"]: outcome_text(r["outcome_mid"], r["outcome_mid_judged"], language)
            if r["outcome_mid"] else "",
            h["outcome_mid_value"]: number(r["outcome_mid_value"]),
            h["target_end"]: level(t, r["target_end"]),
            h["value_prev"]: number(r["value_prev"]),
            h["value_prev_status"]: words("data_status", r["value_prev_status"]),
            h["value_now"]: number(r["value_now"]), h["value_now_lo"]: number(r["value_now_lo"]),
            h["value_now_hi"]: number(r["value_now_hi"]),
            h["value_now_source"]: words("report.annex_numbers.sources", r["value_now_source"]),
            h["value_now_status"]: words("data_status", r["value_now_status"]),
            h["change"]: number(r["change"]), h["pace_needed"]: number(r["pace_needed"]),
            h["pace_observed"]: number(r["pace_observed"]), h["pace_unit"]: pace_unit(t, language) if paced else "",
            h["outlook"]: outlook_label(r["outlook"], r["outlook_judged"], language)
            if before_end else _end_judgement(r, end, language),
            h["outlook_p"]: number(100 * float(r["outlook_p"]), 1) if _finite(r["outlook_p"]) else None,
        })
    return pd.DataFrame(rows, columns=list(h.values()))


def annex_table(annex_frame: pd.DataFrame, plan: Plan, *, year: int, language: str = "vi",
                name_limit: int = 90) -> pd.DataFrame:
    """The annex as the report shows it: localised headers, values in words and units.

    A column of the mid-term outcome appears only from the mid-term year on (no column for a year
    without targets or outcome); the 2030 outlook is replaced by the judgement in the plan's last year.
    """
    mid, end = plan.plan.midterm_year, plan.plan.end_year
    h = i18n.entries("report.annex", language)
    rows = []
    for _, r in annex_frame.iterrows():
        t = plan.target(r["code"])
        row = {h["code"]: t.code, h["indicator"]: short_name(t, language, name_limit),
               h["unit"]: unit_name(t, language)}
        if any(x.target_for(mid) for x in plan.targets):
            row[h["target"].format(year=mid)] = target_text(t, mid, language)
            if year >= mid:
                row[h["outcome"].format(year=mid)] = outcome_text(
                    r["outcome_mid"], r["outcome_mid_judged"], language, value=r["outcome_mid_value"],
                    lo=r["outcome_mid_lo"], hi=r["outcome_mid_hi"], unit=t)
        row[h["target"].format(year=end)] = target_text(t, end, language)
        row[h["value_prev"].format(year=year - 1)] = _value_with_status(r["value_prev"], r["value_prev_status"],
                                                                       t, language)
        row[h["value_now"].format(year=year)] = estimate_text(r, t, year, language)
        row[h["change"]] = change_text(r["change"], t, language)
        row[h["pace"].format(year=end)] = pace_cell(r, t, year=year, language=language)
        key = "judgement" if year >= end else "outlook"
        label = (outlook_label(r["outlook"], r["outlook_judged"], language) if year < end
                 else _end_judgement(r, end, language)) or "–"
        if _finite(r["outlook_p"]) and r["outlook"] not in ("met", "exceeded", "not_met"):
            label += f" ({i18n.percent(float(r['outlook_p']), language, edges=(UNLIKELY, LIKELY))})"
        row[h[key].format(year=end)] = label
        rows.append(row)
    return pd.DataFrame(rows)


# --- what changed since last year's report -----------------------------------------------------------

def _rank(status: str) -> int | None:
    order = [s for s in STATUSES if s not in ("insufficient_data", "no_data", "not_applicable", "hidden")]
    return order.index(status) if status in order else None


def status_changes(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Targets whose status moved between last year's assessment and this year's.

    Returns
    -------
    pandas.DataFrame
        ``code, target_year, old, new, direction, old_judged, new_judged`` (direction ``better``, ``worse``,
        ``other`` when one side is "no data" or "insufficient data", ``hidden``), in the plan's order. A target
        with a value hidden by disclosure control (``suppressed``) on either side moved for a reason that is
        not said: its direction is ``hidden``, so that "better" or "worse" does not tell which way the hidden
        value went. ``*_judged`` say what each status was read off (``latest``: a level reached, to be kept).
    """
    key = ["code", "target_year"]

    def side(frame: pd.DataFrame) -> pd.DataFrame:
        hidden = frame["suppressed"].astype(str).isin(["True", "true", "1"]) if "suppressed" in frame.columns \
            else pd.Series(False, index=frame.index)
        judged = frame["judged_on"].fillna("").astype(str) if "judged_on" in frame.columns else ""
        return frame[key + ["status"]].assign(hidden=hidden.to_numpy(), judged=judged)

    both = side(previous).merge(side(current), on=key, suffixes=("_old", "_new"))
    moved = both[both["status_old"] != both["status_new"]]
    out = []
    for _, r in moved.iterrows():
        a, b = _rank(r["status_old"]), _rank(r["status_new"])
        direction = ("hidden" if r["hidden_old"] or r["hidden_new"] else "other" if a is None or b is None
                     else "better" if b < a else "worse")
        out.append({"code": r["code"], "target_year": int(r["target_year"]), "old": r["status_old"],
                    "new": r["status_new"], "direction": direction, "old_judged": r["judged_old"],
                    "new_judged": r["judged_new"]})
    return pd.DataFrame(out, columns=["code", "target_year", "old", "new", "direction", "old_judged", "new_judged"])


def changes_table(changes: pd.DataFrame, plan: Plan, language: str = "vi", *, year: int) -> pd.DataFrame:
    """The statuses that changed since last year's report (the report of ``year`` − 1), for readers. The
    target-year column is left out when every row has the same target year (:func:`changes_intro` then
    names it); the columns of statuses name the reports' years (a final review is read years later)."""
    h = {k: v.format(year=year, prev=year - 1) for k, v in i18n.entries("report.changes_columns", language).items()}
    table = pd.DataFrame([{
        h["code"]: r["code"], h["indicator"]: short_name(plan.target(r["code"]), language, 70),
        h["target_year"]: int(r["target_year"]),
        h["old"]: _changed_status(r["old"], r.get("old_judged"), language, target_year=r["target_year"],
                                  as_of=year - 1),
        h["new"]: _changed_status(r["new"], r.get("new_judged"), language, target_year=r["target_year"],
                                  as_of=year),
        h["direction"]: _tr(f"direction.{r['direction']}", language),
    } for _, r in changes.iterrows()], columns=list(h.values()))
    return table.drop(columns=h["target_year"]) if changes["target_year"].nunique() == 1 else table


def changes_intro(changes: pd.DataFrame, *, year: int, language: str = "vi") -> str:
    """The sentence above the table of changes: how many targets changed since the report of ``year`` − 1,
    naming the target year when all of them share it (the table then has no column for it)."""
    if changes.empty:
        return _tr("no_changes", language, prev=year - 1)
    years = changes["target_year"].unique()
    if len(years) == 1:
        return _tr("changes_intro_one", language, prev=year - 1, n=len(changes), target_year=int(years[0]))
    # A target with two target years can change twice: targets are counted once, the rows of the table too.
    return _tr("changes_intro", language, prev=year - 1, n=changes["code"].nunique(), rows=len(changes))


def _level_kept(status: Any, judged: Any) -> bool:
    """Whether a status is a level reached on the latest value, to be kept, rather than its year's outcome."""
    return status in ("met", "exceeded") and judged == "latest"


def _changed_status(status: str, judged: Any, language: str, *, target_year: Any = None, as_of: Any = None) -> str:
    """A status in the table of changes: one met on the latest value before its year is a level to keep; one
    of a target year the report (of ``as_of``) has reached reads in end words, as that report said it."""
    if _level_kept(status, judged):
        return _tr("level_kept", language)
    return status_label(status, language, ended=reads_ended(status, target_year, as_of, judged))


def revisions_table(revisions: pd.DataFrame, plan: Plan, *, language: str = "vi", publish: bool = False,
                    place_name: Callable[[str], str] | None = None,
                    agency_name: Callable[[str], str] | None = None,
                    public_places: Collection[str] = ()) -> pd.DataFrame:
    """Values revised since last year's report (``collect.returns.revisions_between``), for readers.

    Each value carries its status where it is not official (``112,5 (sơ bộ)``), and both do when the status
    changed (a preliminary figure made official at the same value is a revision too). ``place_name`` and
    ``agency_name`` give the names readers know for the codes of the log (default: the codes).
    When publishing, the old and new values of a sensitive indicator are not shown (a revision of a
    small count would give it away), nor its place (a commune's row says that it had a case); the row still
    says that the indicator was revised. A place of ``public_places`` (the provinces, whose cases the report
    publishes in total) is named all the same.
    """
    h = i18n.entries("report.revisions_columns", language)
    units = plan.units()
    sensitive = {t.code for t in plan.targets if t.sensitive} | {i.code for i in plan.inputs if i.sensitive}
    rows = []
    for _, r in revisions.iterrows():
        # A target's values say its unit as the annex does (4.2's denominator); an input's, its unit's.
        unit: str | Target = plan.target(r["indicator"]) if r["indicator"] in plan.codes \
            else units.get(r["indicator"], "")
        hide = publish and r["indicator"] in sensitive
        old_status, new_status = (str(r.get(c) or "") for c in ("old_status", "new_status"))
        moved = bool(old_status and new_status and old_status != new_status)

        def value(x: Any, status: str, unit: str | Target = unit, hide: bool = hide, moved: bool = moved) -> str:
            if hide:
                return _tr("suppressed", language)
            try:
                text = format_value(float(x), unit, language) if unit else str(x)
            except (TypeError, ValueError):
                return "–"
            marked = status and (moved or status not in ("official", "illustrative"))
            return f"{text} ({i18n.t(f'data_status.{status}', language)})" if marked else text

        place = place_name(r["place"]) if place_name else r["place"]
        rows.append({h["indicator"]: r["indicator"],
                     h["place"]: _tr("suppressed", language) if hide and r["place"] not in public_places else place,
                     h["year"]: r["year"],
                     h["old"]: value(r["old_value"], old_status), h["new"]: value(r["new_value"], new_status),
                     h["agency"]: agency_name(r["agency"]) if agency_name else r["agency"],
                     h["when"]: day_text(r["when"], language), "_day": str(r["when"])[:10], "_hidden": hide})
    # A hidden place's rows read alike: one row says that the indicator was revised (last on the latest day),
    # not how many places, nor how many days they were revised on.
    table = pd.DataFrame(rows, columns=[*h.values(), "_day", "_hidden"])
    hidden = table["_hidden"].astype(bool)
    kept = table[hidden].sort_values("_day", kind="stable").drop_duplicates(
        subset=[c for c in h.values() if c != h["when"]], keep="last")
    out = pd.concat([table[~hidden], kept]).sort_index().drop(columns=["_day", "_hidden"])
    return out.drop_duplicates().reset_index(drop=True)


def day_text(when: Any, language: str = "vi") -> str:
    """A date (or the ISO text of one) as the report's readers write it: ``25/11/2026`` in Vietnamese,
    ``25 November 2026`` in English."""
    try:
        d = pd.Timestamp(str(when)[:10])
    except ValueError:
        return str(when)
    return i18n.date(d.date(), language)


# --- sentences -----------------------------------------------------------------------------------

def _codes(codes: Sequence[str]) -> str:
    return ", ".join(codes)


def maintained_sentence(annex_frame: pd.DataFrame, plan: Plan, *, year: int, language: str = "vi") -> str:
    """The targets to keep at 100% every year (kind ``maintain``, from their first target year), in a
    year that is not one of their target years: kept, not kept, or no value of the year yet. Empty
    when there is none to say."""
    groups: dict[str, list[str]] = {"kept": [], "slipped": [], "hidden": [], "unknown": []}
    rows = annex_frame.set_index("code") if len(annex_frame) else annex_frame
    for t in plan.targets:
        if t.code not in rows.index or t.target_for(year) is not None:  # a target year: judged as due
            continue
        if (state := maintained_state(rows.loc[t.code], t, year)) is not None:
            groups[state].append(t.code)
    parts = [_tr(f"maintained.{k}", language, n=len(codes), codes=_codes(codes))
             for k, codes in groups.items() if codes]
    return f"{_tr('maintained.intro', language, year=year)} {'; '.join(parts)}." if parts else ""


def decline_sentences(annex_frame: pd.DataFrame, plan: Plan, *, year: int, language: str = "vi") -> list[str]:
    """The year's fall of each rate-of-decline target (3.5a: the count must fall 2–3% every year of its
    period), where the report has the values of N−1 and N in one series: ``Số cuộc tảo hôn (3.5a) ước năm
    2026 tăng 3,0% so với năm 2025 (206 so với 200 cuộc), chưa đạt yêu cầu giảm 2–3% mỗi năm.``

    The assessment judges the period's pace (a trend over several years); this is the year's own step,
    which the plan asks for "hằng năm". Nothing is said of a year before the period, of a hidden value, or
    of a fall from zero.
    """
    out = []
    for t, r in _declines(annex_frame, plan, year=year):
        tv = max(t.targets, key=lambda x: x.year)
        now, prev = float(r["value_now"]), float(r["value_prev"])
        change = 100.0 * (now / prev - 1.0)
        shown = round(abs(change), 1)
        moved = (_tr("decline.none", language) if shown == 0 else
                 _tr("decline.rise" if change > 0 else "decline.fall", language,
                     value=i18n.number(shown, language, 1, keep_zeros=True)))
        fall = -change
        rate = decline_range(tv, language)
        said = _tr("decline.sentence", language, name=full_name(t, language), code=t.code, year=year,
                   prev_year=year - 1, moved=moved, now=format_value(now, t, language),
                   prev=format_value(prev, t, language), unit=unit_name(t, language), rate=rate,
                   verdict=_tr("decline.met" if fall >= float(tv.value) - 1e-9 else "decline.not_met", language))
        if _flag(r.get("change_within_noise")):  # the plan's yearly step missed or made, by a chance-sized move
            said += " " + _tr("decline.chance", language)
        out.append(said)
    return out


def _declines(annex_frame: pd.DataFrame, plan: Plan, *, year: int) -> list[tuple[Target, pd.Series]]:
    """The rate-of-decline targets whose year's step :func:`decline_sentences` states, with their annex rows."""
    rows = annex_frame.set_index("code") if len(annex_frame) else annex_frame
    out = []
    for t in plan.targets:
        if t.kind != "rate_of_decline" or t.from_year is None or year <= t.from_year or t.code not in rows.index:
            continue
        if year > max(tv.year for tv in t.targets):
            continue
        r = rows.loc[t.code]
        if r["value_now_source"] != "reported" or not (_finite(r["value_now"]) and _finite(r["value_prev"])) \
                or float(r["value_prev"]) <= 0:
            continue
        out.append((t, r))
    return out


def decline_codes(annex_frame: pd.DataFrame, plan: Plan, *, year: int) -> list[str]:
    """The codes :func:`decline_sentences` speaks of (a summary with those sentences passes them to
    :func:`change_lines`, which then leaves them off its chance line: the sentence says it)."""
    return [t.code for t, _ in _declines(annex_frame, plan, year=year)]


def due_sentence(plan: Plan, assessment: pd.DataFrame, *, year: int, language: str = "vi") -> str:
    """What fell due in the report's year, said once, never as "0 of 0".

    In a year with no target due the report says so and turns to the mid-term outcome and the end-year
    outlook; in a year with targets due it counts only the groups that are not empty.
    """
    due = assessment[assessment["target_year"] == year]
    if due.empty:  # before the mid-term year there is no outcome yet, only the outlook to both target years
        key = "due.none_before" if year < plan.plan.midterm_year else "due.none"
        return _tr(key, language, year=year, mid=plan.plan.midterm_year, end=plan.plan.end_year)
    # Due this year: the year is reached, its statuses read in end words ("không đạt"), as the annex says them.
    return _tr("due.some", language, n=len(due), year=year) + " " + groups_sentence(due, language, ended=True)


def groups_sentence(rows: pd.DataFrame, language: str = "vi", *, end: int | None = None,
                    ended: bool = False) -> str:
    """``3 đạt hoặc vượt (1.1, 2.1, 2.2); 2 khó đạt (…)`` — only the groups that have targets.

    A row of status ``met_ahead`` (see :func:`outlook_sentence`) is "already at its level, to be kept until
    ``end``". ``ended``: the statuses are end-year judgements (the final review), said as what most likely
    happened ("nhiều khả năng không đạt"), not as outlooks.
    """
    parts = []
    for group, statuses in (("ahead", ("met_ahead",)), ("good", ("exceeded", "met")), ("likely", ("likely",)),
                            ("close", ("too_close",)), ("bad", BAD), ("nodata", ("no_data", "insufficient_data")),
                            ("hidden", ("hidden",))):
        codes = rows.loc[rows["status"].isin(statuses), "code"].tolist()
        if codes:
            key = f"groups_final.{group}" if ended and group in ("likely", "close", "bad") else f"groups.{group}"
            parts.append(_tr(key, language, n=len(codes), codes=_codes(codes), end=end))
    return "; ".join(parts) + "." if parts else ""


def midterm_sentence(annex_frame: pd.DataFrame, plan: Plan, language: str = "vi", *, compared: bool = False) -> str:
    """The mid-term targets' final outcome on the mid-term values (and those still without a value);
    ``compared``: said as the mid-term results set beside the final ones (the final review)."""
    rows = annex_frame[annex_frame["outcome_mid"] != ""]
    if rows.empty:
        return ""
    on_data = rows[rows["outcome_mid_judged"] == "data"]
    parts = []
    for key, statuses in (("met", ("exceeded", "met")), ("close", ("too_close",)), ("not_met", ("not_met",)),
                          ("hidden", ("hidden",))):
        codes = on_data.loc[on_data["outcome_mid"].isin(statuses), "code"].tolist()
        if codes:
            parts.append(_tr(f"midterm.{key}", language, n=len(codes), codes=_codes(codes), year=plan.plan.midterm_year))
    empty = rows["outcome_mid"].isin(("no_data", "not_applicable", "insufficient_data"))
    missing = rows.loc[(rows["outcome_mid_judged"] != "data") & ~empty, "code"].tolist()
    if missing:
        parts.append(_tr("midterm.no_value", language, n=len(missing), codes=_codes(missing),
                         year=plan.plan.midterm_year))
    nodata = rows.loc[(rows["outcome_mid_judged"] != "data") & empty, "code"].tolist()
    if nodata:
        parts.append(_tr("groups.nodata", language, n=len(nodata), codes=_codes(nodata)))
    # The targets with nothing set for the mid-term year, so the groups add up to the plan's targets.
    unset = [t.code for t in plan.targets if t.target_for(plan.plan.midterm_year) is None
             and t.code in set(annex_frame["code"])]
    if unset:
        parts.append(_tr("midterm.no_target", language, n=len(unset), codes=_codes(unset),
                         year=plan.plan.midterm_year))
    intro = _tr("midterm.intro_compared" if compared else "midterm.intro", language, year=plan.plan.midterm_year)
    return intro + " " + "; ".join(parts) + "."


def outlook_sentence(annex_frame: pd.DataFrame, plan: Plan, language: str = "vi") -> str:
    rows = annex_frame[annex_frame["outlook"] != ""].rename(columns={"outlook": "status"})
    if rows.empty:
        return ""
    # Met before the end year is met on the latest value: a level reached, to be kept, not the outcome.
    ahead = pd.Series([_level_kept(s, j) for s, j in zip(rows["status"], rows["outlook_judged"])], index=rows.index,
                      dtype=bool)
    rows = rows.assign(status=rows["status"].where(~ahead, "met_ahead"))
    end = plan.plan.end_year
    return _tr("outlook_intro", language, year=end) + " " + groups_sentence(rows, language, end=end)


def change_lines(annex_frame: pd.DataFrame, changes: pd.DataFrame, plan: Plan, *, year: int,
                 language: str = "vi", said: Sequence[str] = ()) -> list[str]:
    """What moved over the year: the targets better and worse than last year, and those whose move is within
    chance; or, when none moved, one sentence saying so.

    *Better*: a status that moved to a better one with a value of N reported, or a value of N that moved in
    the target's good direction, unless that move is within the chance swing of two values from counts
    (``change_within_noise``: said on a line of its own, with any status it moved); *worse*: the reverse.
    Codes in ``said`` have their year's move stated elsewhere with its noise (:func:`decline_codes`): they
    are left off the chance line.
    """
    # A status that moved with no value of the year behind it moved with the calendar (an outlook read off
    # the latest value becomes one read off the projection once its year is here), not with the data: the
    # table of changes lists it, these lines do not call it an improvement or a slip.
    reported = set(annex_frame.loc[annex_frame["value_now_source"] == "reported", "code"])
    better = set(changes.loc[changes["direction"] == "better", "code"]) & reported
    worse = set(changes.loc[changes["direction"] == "worse", "code"]) & reported
    chance: set[str] = set()
    for _, r in annex_frame.iterrows():
        if not _finite(r["change"]) or float(r["change"]) == 0:
            continue
        t = plan.target(r["code"])
        if t.direction not in ("higher", "lower") or t.kind == "milestone":
            continue
        if _flag(r.get("change_within_noise")):  # a swing two samples of this size make by chance
            if r["code"] not in said:
                chance.add(r["code"])
            continue
        good = (float(r["change"]) > 0) == (t.direction == "higher")
        (better if good else worse).add(r["code"])
    both = better & worse  # a status and a value pointing opposite ways: said in neither list
    order = {t.code: i for i, t in enumerate(plan.targets)}
    # A status that moved on a chance-sized change (4.2 "met" → "too close" with 10 deaths both years) moved by
    # chance too: said on the chance line, not as an improvement or a slip.
    improved = sorted(better - both - chance, key=order.__getitem__)
    slipped = sorted(worse - both - chance, key=order.__getitem__)
    chance_only = sorted(chance, key=order.__getitem__)
    lines = []
    if improved:
        lines.append(_tr("messages.improved", language, prev=year - 1, n=len(improved), codes=_codes(improved)))
    if slipped:
        lines.append(_tr("messages.slipped", language, prev=year - 1, n=len(slipped), codes=_codes(slipped)))
    if chance_only:
        lines.append(_tr("messages.chance", language, year=year, n=len(chance_only), codes=_codes(chance_only)))
    if lines:
        return lines
    # Nothing moved because nothing of the year was reported (a report before any return, the final review
    # on estimates): that is no "steady year".
    key = "messages.steady" if reported else "messages.nothing_reported"
    return [_tr(key, language, year=year)]


def key_messages(annex_frame: pd.DataFrame, changes: pd.DataFrame, plan: Plan, *, year: int,
                 missing_agencies: Sequence[str] = (), refused_returns: Sequence[tuple[str, Any, str]] = (),
                 language: str = "vi", name_limit: int = 60, results: bool = True, due: Any = None) -> list[str]:
    """The board's key messages: what moved (:func:`change_lines`, unless ``results`` is False: the yearly
    report says it in its summary), what needs a decision, which returns to chase.

    A target's name is cut at ``name_limit`` characters (the brief's short lines); the Word version, which
    the department edits, passes a limit no name reaches.

    *Needs a decision*: end-year targets judged unlikely or not met, and levels to keep every year that the
    year did not keep (whatever their outlook), each with its pace (:func:`pace_cell`)
    and what is asked of the board, read off its figures
    (:func:`decision_action`: turn a trend round, speed up, keep the pace, restore a yearly level, or act
    where nothing moves yet); agencies whose return has not arrived (``due``: the day returns are due,
    when it is still ahead: they are not yet to be chased, only named); and agencies whose return arrived but
    could not be used, every file of it refused whole (``refused_returns``: name, the day the refused file came,
    why in words, as :func:`gender_monitor.collect.returns.follow_up` gives them), each asked to send it again.
    A message with nothing to say is left out; with nothing at all to ask, one line says so.
    """
    end = plan.plan.end_year
    lines = change_lines(annex_frame, changes, plan, year=year, language=language) if results else []
    for _, r in annex_frame.iterrows():
        t = plan.target(r["code"])
        slipped = maintained_state(r, t, year) == "slipped"
        if r["outlook"] not in BAD and not slipped:
            continue
        pace = pace_cell(r, t, year=year, language=language)
        name = short_name(t, language, name_limit)
        if r["outlook"] in BAD:
            # "chưa đạt" before the end year is the level not reached yet, not the end year's target missed.
            label = (_tr("messages.not_met_yet", language) if r["outlook"] == "not_met" and year < end
                     else i18n.status_label(r["outlook"], language)
                     if year < end or (r["outlook"] == "not_met" and r.get("outlook_judged") == "latest")
                     else status_label(r["outlook"], language, ended=True))
            line = _tr("messages.decision", language, code=t.code, name=name, year=end, label=label)
        else:  # a yearly level not kept, whatever the outlook (too few values to read one): the year's shortfall
            line, pace = f"{t.code} {name}: {pace}", "–"
        action, changed = decision_action(r, t, year=year), year
        if action in ("slow", "flat") and _finite(r.get("pace_from")) and _finite(r.get("pace_to")) \
                and int(r["pace_to"]) - int(r["pace_from"]) == 1:
            # Two values: one year's change (the year of its later value, not the report's), not "the years past".
            action, changed = action + "_one_year", int(r["pace_to"])
        # In the plan's last year nothing is left to speed up: what is asked is for the period after it.
        asked = (f"messages.action.{action}" if year < end
                 else f"messages.action_final.{action.removesuffix('_one_year')}")
        lines.append(line + (f"; {pace}." if pace != "–" else ".") + " "
                     + _tr(asked, language, year=year, next=year + 1, changed=changed))
    if missing_agencies:
        key = "messages.missing_returns_not_due" if due is not None else "messages.missing_returns"
        key += "_one" if len(missing_agencies) == 1 else ""  # "Sở Y tế has not sent its return", not "1 agencies"
        lines.append(_tr(key, language, n=len(missing_agencies), year=year, agencies=", ".join(missing_agencies),
                         due=day_text(due, language) if due is not None else ""))
    for name, received_on, why in refused_returns:
        key = "messages.refused_return_not_due" if due is not None else "messages.refused_return"
        lines.append(_tr(key, language, agency=name, year=year, why=why,
                         date=day_text(received_on, language) if received_on is not None else "–",
                         due=day_text(due, language) if due is not None else ""))
    if not lines:
        lines.append(_tr("messages.nothing_to_ask", language))
    return lines


# --- the final review ---------------------------------------------------------------------------------

FINAL_COLUMNS = ["code", "name", "unit", "target_end", "value_end", "lo", "hi", "judged_on", "latest_year", "status",
                 "p_meet", "pace", "pace_from", "pace_to", "outcome_mid", "outcome_mid_judged", "illustrative",
                 "suppressed"]


def final_judgement(plan: Plan, assessment: pd.DataFrame) -> pd.DataFrame:
    """Every target judged on its end-year value (with the sampling interval where counts exist), else on
    the estimate, saying so; the mid-term outcome beside it.

    ``assessment`` is the assessment as of the plan's end year. ``judged_on`` is ``data`` when the end
    year's own value exists; ``latest`` when the outcome is read off the latest value before it (a level
    reached and kept, ``latest_year``); ``pace`` when a rate of decline is judged on its observed pace over years
    up to the end year; otherwise ``estimate`` (the projection, or the pace of a count without its end-year value).
    ``lo``/``hi`` are the 95% sampling interval of an end-year value computed from counts, or the 80%
    interval of a projection; ``pace`` the observed yearly change (a rate-of-decline target is judged on it),
    measured over the years ``pace_from``–``pace_to``.
    """
    mid, end = plan.plan.midterm_year, plan.plan.end_year
    out = []
    for t in plan.targets:
        r, m = _row(assessment, t.code, end), _row(assessment, t.code, mid)
        row: dict[str, Any] = {"code": t.code, "name": t.display_vi or t.name_vi, "unit": t.unit,
                               "target_end": t.target_for(end).value if t.target_for(end) else np.nan,
                               "outcome_mid": "" if m is None else str(m["status"]),
                               "outcome_mid_judged": "" if m is None else str(m["judged_on"] or "")}
        if r is None:
            row.update(value_end=np.nan, lo=np.nan, hi=np.nan, judged_on="", latest_year=np.nan, status="",
                       p_meet=np.nan, pace=np.nan, pace_from=np.nan, pace_to=np.nan, illustrative=False,
                       suppressed=False)
        else:
            judged = _end_basis(r["status"], r["judged_on"], r["latest_year"], end)
            value = r["projected"] if _finite(r["projected"]) else r["latest_value"]
            lo, hi = (r["lo-95"], r["hi-95"]) if judged == "data" else (r["lo-80"], r["hi-80"])
            if not judged:  # nothing to judge the end year on: an older value is not the end year's (6.3: 2026)
                value = lo = hi = np.nan
            row.update(value_end=value, lo=lo, hi=hi, judged_on=judged, latest_year=r["latest_year"],
                       status=str(r["status"]), p_meet=r["p_meet"], pace=r["observed_annual_change"],
                       pace_from=r.get("observed_from", np.nan), pace_to=r.get("observed_to", np.nan),
                       illustrative=bool(r["illustrative"]), suppressed=_flag(r.get("suppressed")))
        out.append(row)
    return pd.DataFrame(out, columns=FINAL_COLUMNS)


def final_table(final: pd.DataFrame, plan: Plan, language: str = "vi") -> pd.DataFrame:
    mid, end = plan.plan.midterm_year, plan.plan.end_year
    h = i18n.entries("report.final_columns", language)
    rows = []
    for _, r in final.iterrows():
        t = plan.target(r["code"])
        value = format_value(r["value_end"], t, language)
        if not _finite(r["value_end"]) and r["judged_on"] and _flag(r.get("suppressed")):
            # Withheld by disclosure control (3.3, 3.5b): said as every withheld value is, not as "no value".
            value = _tr("suppressed", language)
        elif t.kind == "rate_of_decline":
            # A past average, not a value of the end year: it names the years it was measured over.
            value = _average_pace(r["pace"], r.get("pace_from"), r.get("pace_to"), language)
        elif _finite(r["lo"]) and _finite(r["hi"]):
            key = "sampling" if r["judged_on"] == "data" else "interval"
            lo, hi = format_interval(r["lo"], r["hi"], t, language)
            value += " " + _tr(key, language, lo=lo, hi=hi)
        rows.append({h["code"]: t.code, h["indicator"]: short_name(t, language, 90),
                     h["target_mid"].format(year=mid): target_text(t, mid, language),
                     h["outcome_mid"].format(year=mid): outcome_text(r["outcome_mid"], r["outcome_mid_judged"],
                                                                      language),
                     h["target_end"].format(year=end): target_text(t, end, language),
                     h["value_end"].format(year=end): value,
                     h["judged_on"]: _tr(f"judged_final.{r['judged_on'] or 'none'}", language, year=end,
                                         latest=_year_text(r["latest_year"]), first=_year_text(r.get("pace_from")),
                                         last=_year_text(r.get("pace_to"))),
                     h["status"].format(year=end): _final_status(r["status"], r["judged_on"], language,
                                                                 latest=_year_text(r["latest_year"]))})
    return pd.DataFrame(rows)


def _end_basis(status: Any, judged_on: Any, latest_year: Any, end: int) -> str:
    """What an end-year status was read off, as the final review says it: ``data`` (a value of the end year
    itself; a direction target's latest value may be it), ``pace`` (a rate of decline's observed average yearly
    change over years up to the end year: 3.5a with its end-year count), ``latest`` (the latest value of an
    earlier year), ``estimate`` (the projection, or the pace of a count without its end-year value), or ``""``
    (nothing to judge the end year on)."""
    if judged_on in ("data", "latest") and _finite(latest_year) and int(latest_year) >= end:
        return "data"
    if status in ("no_data", "not_applicable", "insufficient_data"):
        return ""
    if judged_on == "pace" and _finite(latest_year) and int(latest_year) >= end:
        return "pace"  # a rate of decline with its end-year count: judged on the pace it kept, not estimated
    return "latest" if judged_on == "latest" and _finite(latest_year) else "estimate"


def _end_judgement(r: pd.Series, end: int, language: str) -> str:
    """An annex row's end-year status in the plan's last year, in the final table's words: one read off an
    earlier year's value or an estimate says so (:func:`_final_status`). Empty when there is no status."""
    status = r["outlook"] if isinstance(r["outlook"], str) else ""
    if not status:
        return ""
    latest = r.get("outlook_latest_year")
    return _final_status(status, _end_basis(status, r["outlook_judged"], latest, end), language,
                         latest=_year_text(latest))


def _average_pace(pace: Any, first: Any, last: Any, language: str) -> str:
    """A rate of decline's observed average over its years (3.5a in the final table): ``bình quân −3,8%/năm giai
    đoạn 2019–2026``; one that rounds to zero ``không đổi trong giai đoạn 2019–2026 (bình quân 0%/năm)``, not
    "không đổi%/năm"; ``–`` when unknown."""
    if not _finite(pace):
        return "–"
    years = {"first": _year_text(first), "last": _year_text(last)}
    if round(float(pace), 1) == 0:
        return _tr("pace_value_none", language, **years)
    return _tr("pace_value", language, value=_signed(float(pace), 1, language) + "%", **years)


def _year_text(year: Any) -> str:
    return str(int(year)) if _finite(year) else "–"


def _final_status(status: str, judged_on: str, language: str, latest: str = "–") -> str:
    """The end-year status; an outcome (met, exceeded, not met) read off an estimate, or off the latest value
    of an earlier year, says so."""
    if not status:
        return "–"
    # Read off an earlier year's value, a target not met is not met yet ("chưa đạt"), not missed ("không đạt").
    label = status_label(status, language, ended=judged_on != "latest")
    if judged_on in ("estimate", "latest") and status in ("met", "exceeded", "not_met"):
        return _tr(f"status_{'estimated' if judged_on == 'estimate' else 'latest'}", language, status=label,
                   latest=latest)
    return label


def final_sentence(final: pd.DataFrame, plan: Plan, language: str = "vi") -> str:
    """How many targets were judged on end-year values and how many on estimates, and the outcome groups."""
    end = plan.plan.end_year
    # A rate of decline judged on its pace up to the end year has that year's count: among those on its data.
    on_data = final.loc[final["judged_on"].isin(["data", "pace"]), "code"].tolist()
    estimated = final.loc[final["judged_on"] == "estimate", "code"].tolist()
    latest = final.loc[final["judged_on"] == "latest", "code"].tolist()
    parts = []
    if on_data:
        parts.append(_tr("final.on_data", language, n=len(on_data), year=end))
    if estimated and not on_data and not latest:
        parts.append(_tr("final.all_estimate", language, n=len(estimated), year=end))
    elif estimated:
        parts.append(_tr("final.on_estimate", language, n=len(estimated), year=end, codes=_codes(estimated)))
    if latest:
        parts.append(_tr("final.on_latest", language, n=len(latest), year=end, codes=_codes(latest)))
    return " ".join(parts) + " " + groups_sentence(final[final["status"] != ""], language, ended=True)


def path_frame(shown: pd.DataFrame, plan: Plan, *, places: Sequence[str], first: int, last: int) -> pd.DataFrame:
    """The path of every target from ``first`` to ``last`` at each of ``places``: ``code, place, year, value``.

    One series per target and place (the default one when it exists, else the longest), so that no row
    of the path mixes two measurements.
    """
    rows = []
    for t in plan.targets:
        for place in places:
            sub = _annual_rows(shown, t.code, place)
            sub = sub[(sub["year"] >= first) & (sub["year"] <= last)]
            if sub.empty:
                continue
            labels = sub["series"].fillna("")
            label = "" if (labels == "").any() else labels.value_counts().index[0]
            sub = sub[labels == label]
            hidden = sub["suppressed"].fillna("").astype(str).ne("") if "suppressed" in sub.columns else \
                pd.Series(False, index=sub.index)
            rows += [{"code": t.code, "place": place, "series": label, "year": int(y), "value": v, "suppressed": h}
                     for y, v, h in zip(sub["year"], sub["value"], hidden)]
    return pd.DataFrame(rows, columns=["code", "place", "series", "year", "value", "suppressed"])


def path_table(path: pd.DataFrame, plan: Plan, *, place_names: dict[str, str], first: int, last: int,
               language: str = "vi") -> pd.DataFrame:
    """The path as a wide table for readers: one row per target and place, its unit (what a count counts:
    "cuộc", "cơ sở"), one column per year of bare numbers (the unit is said once, in its column, so that the
    years fit a page); a value not published says so, as in the annex, not "–" (no value)."""
    h = i18n.entries("report.annex", language)
    units = plan.units()
    out = []
    for (code, place), sub in path.groupby(["code", "place"], sort=False):
        by_year = dict(zip(sub["year"], sub["value"]))
        hidden = set(sub.loc[sub["suppressed"].astype(bool), "year"]) if "suppressed" in sub.columns else set()
        unit = units[code]
        row = {h["code"]: code, _tr("place", language): place_names.get(place, place),
               h["unit"]: unit_name(plan.target(code), language)}
        for y in range(first, last + 1):
            x = by_year.get(y)
            row[str(y)] = (_tr("suppressed", language) if y in hidden
                           else format_value(x, unit, language) if unit == "yes_no" or not _finite(x)
                           else i18n.number(float(x), language, digits_of(unit), keep_zeros=True))
        out.append(row)
    return pd.DataFrame(out)
