"""The 2025 boundary change: old units summed into new ones, rates recomputed, breaks flagged, 6.3 derived."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gender_monitor.core import i18n, paths
from gender_monitor.core.exceptions import Issue, ObservationError, PlanError
from gender_monitor.core.units import SCALE
from gender_monitor.data.observations import (COLUMNS, PROVENANCE, REBASED_SUFFIX, empty_observations,
                                              real_or_illustrative, typed, units_of)
from gender_monitor.plan.reference import Place, Places
from gender_monitor.plan.registry import Plan, Target

#: ``file`` of every row this module adds (rows read from disk carry their path).
DERIVED_FILE = "<harmonise>"
DERIVED_SOURCE = "gender_monitor.data.harmonise: derived from the reports of the constituent units"
#: How a re-based row was built, written at the head of its note (``Re-based [sum]: …``) and read back by
#: :func:`history_of`: counts summed, a rate recomputed from summed counts, rates weighted by a denominator.
REBASE_METHODS = ("sum", "ratio", "weighted")
_REBASE_NOTE = re.compile(r"^Re-based \[(sum|ratio|weighted)\]")
#: Columns of ``data/reference/denominators.csv`` (the weights of rates published without their counts).
DENOMINATOR_COLUMNS = ["measure", "place", "year", "value", "source", "status", "note"]
#: Columns of :attr:`HarmoniseReport.incomplete`.
INCOMPLETE_COLUMNS = ["indicator", "place", "year", "sex", "series", "rule", "missing", "reason"]
#: Columns of :attr:`HarmoniseReport.checks`.
CHECK_COLUMNS = ["indicator", "place", "year", "sex", "series", "rule", "reported", "derived", "difference",
                 "agrees"]


# --- places in time ----------------------------------------------------------------------------------

def break_year_of(places: Places) -> int:
    """The year of the boundary change: the year in which the old units (districts, old provinces) end.

    Raises
    ------
    PlanError
        When no place in the table ends with ``after_end`` ``abolished`` or ``territory``.
    """
    years = {p.valid_to.year for p in places.by_code.values() if p.after_end and p.valid_to is not None}
    if not years:
        raise PlanError([Issue.of("places.csv", None, "after_end", None, "reference.no_boundary_change")], "places")
    return min(years)


def break_label(series: str, year: int) -> str:
    """The series label of a row derived from the new units: ``"<series>-<year>"`` (``""`` → ``"-2025"``)."""
    suffix = f"-{year}"
    return series if series.endswith(suffix) else series + suffix


def rebased_label(series: str) -> str:
    """The series label of a row re-based onto the new province before the break (``"<series>-rebased"``)."""
    return series if series.endswith(REBASED_SUFFIX) else series + REBASED_SUFFIX


#: The end of a series label counting part of a year only (``-q34``: the third and fourth quarters).
PART_YEAR = re.compile(r"-q([1-4]{1,3})$")


def part_year_label(series: str, quarters: Sequence[int]) -> str:
    """The series label of a yearly value built from some quarters only (``"" , (3, 4)`` → ``"-q34"``).

    A share of communes meeting a standard *every* quarter is higher over two quarters than over four, so a
    part year is a series of its own: its value is never set beside, nor trended with, a whole year's.
    """
    return f"{series}-q{''.join(str(int(q)) for q in sorted(quarters))}"


def part_year_quarters(label: str) -> tuple[int, ...] | None:
    """The quarters a part-year label counts (``"-2025-q34"`` → ``(3, 4)``), or None for a whole year."""
    m = PART_YEAR.search(label)
    return tuple(int(c) for c in m.group(1)) if m else None


def whole_year_series(label: str) -> str:
    """The whole-year series a part-year label belongs to (undoes :func:`part_year_label`: ``"-q34"`` → ``""``)."""
    return PART_YEAR.sub("", label)


def base_series(label: str, year: int) -> str:
    """The series a harmonised label was built from (undoes :func:`break_label`, :func:`rebased_label` and
    :func:`part_year_label`)."""
    return whole_year_series(label).removesuffix(f"-{year}").removesuffix(REBASED_SUFFIX)


# --- series labels in words -------------------------------------------------------------------------

def quarters_text(quarters: Sequence[int], language: str) -> str:
    """The quarters a part year counts, as its readers say them: ``(3, 4)`` → ``6 tháng cuối năm (quý III, IV)``
    / ``Q3–Q4``; a span from the first quarter is the first months of the year; others are listed."""
    names = [i18n.t(f"charts.quarter_names.q{q}", language) for q in quarters]
    contiguous = len(names) > 1 and list(quarters) == list(range(quarters[0], quarters[-1] + 1))
    listed = (i18n.t("charts.quarter_range", language, first=names[0], last=names[-1], listed=", ".join(names))
              if contiguous else ", ".join(names))
    if contiguous and quarters[-1] == 4:
        return i18n.t("charts.quarters_last", language, months=3 * len(names), quarters=listed)
    if contiguous and quarters[0] == 1:
        return i18n.t("charts.quarters_first", language, months=3 * len(names), quarters=listed)
    return i18n.t("charts.quarters", language, quarters=listed)


def series_name(series: str, language: str, *, break_year: int = 2025) -> str:
    """A series label in words: ``survey`` → ``khảo sát``; harmonised labels (``-2025``, ``-rebased``) say
    how they were built; unknown labels are shown as they are."""
    quarters = part_year_quarters(series)
    if quarters is not None:  # a part year: the whole-year name, and which quarters it counts
        whole = series_name(whole_year_series(series), language, break_year=break_year)
        return i18n.t("charts.series_part_year", language, base=whole, quarters=quarters_text(quarters, language))
    base = base_series(series, break_year)
    try:
        words = i18n.t(f"series_names.{base}", language) if base else ""
    except KeyError:
        words = base
    if series.endswith(REBASED_SUFFIX):
        return i18n.t("charts.series_rebased", language, base=f"{words}, " if words else "")
    if series.endswith(f"-{break_year}"):
        return i18n.t("charts.series_break", language, base=f"{words}, " if words else "", year=break_year)
    return words or i18n.t("charts.series_default", language)


# --- how each target is re-based (data/reference/rebasing.csv) ----------------------------------------

@dataclass(frozen=True)
class Rebasing:
    """Whether a target's history can be re-based onto the new province, and with which weight.

    ``weight`` names a measure of ``denominators.csv`` (``population``, ``employed_women``, ``births``) used
    when a rate is published without its numerator and denominator; ``reason_*`` says why when
    ``possible`` is false (1.1: the set of agencies and local governments changed).
    """

    code: str
    possible: bool
    weight: str
    reason_vi: str
    reason_en: str


def load_rebasing(path: str | Path | None = None, *, plan: Plan | None = None) -> dict[str, Rebasing]:
    """Read ``data/reference/rebasing.csv``: one row per target (``code, possible, weight, reason_vi, reason_en``).

    Raises
    ------
    PlanError
        Naming the file, line, column and rule for a bad cell, an unknown or a repeated code.
    """
    path = Path(path) if path is not None else paths.reference_dir() / "rebasing.csv"
    src = str(path)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            records = list(csv.DictReader(fh))
    except FileNotFoundError:
        raise PlanError([Issue.of(src, None, None, None, "reference.not_found")], src) from None
    out: dict[str, Rebasing] = {}
    issues = []
    codes = set(plan.codes) if plan is not None else None
    for line, r in enumerate(records, start=2):
        code, possible = (r.get("code") or "").strip(), (r.get("possible") or "").strip()
        if codes is not None and code not in codes:
            issues.append(Issue.of(src, line, "code", code, "reference.not_a_target"))
        if code in out:
            issues.append(Issue.of(src, line, "code", code, "reference.listed_twice"))
        if possible not in ("yes", "no"):
            issues.append(Issue.of(src, line, "possible", possible, "reference.yes_no"))
        if possible == "no" and not (r.get("reason_en") or "").strip():
            issues.append(Issue.of(src, line, "reason_en", "", "reference.needs_reason"))
        out[code] = Rebasing(code, possible == "yes", (r.get("weight") or "").strip(),
                             (r.get("reason_vi") or "").strip(), (r.get("reason_en") or "").strip())
    if issues:
        raise PlanError(issues, src)
    return out


def load_denominators(path: str | Path | None = None) -> pd.DataFrame:
    """Read ``data/reference/denominators.csv`` (population, employed women … per old province and year).

    An absent file gives an empty table: rates without counts then cannot be re-based and are listed
    in ``report.incomplete``.
    """
    path = Path(path) if path is not None else paths.reference_dir() / "denominators.csv"
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="str") for c in DENOMINATOR_COLUMNS})
    frame = pd.read_csv(path, dtype={"measure": str, "place": str, "source": str, "status": str, "note": str},
                        keep_default_na=False)
    missing = [c for c in DENOMINATOR_COLUMNS if c not in frame.columns]
    if missing:
        raise PlanError([Issue.of(str(path), 1, ",".join(missing), None, "reference.missing_columns")], str(path))
    frame["year"] = pd.to_numeric(frame["year"], errors="coerce")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    bad = frame["year"].isna() | frame["value"].isna() | (frame["value"] <= 0)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise PlanError([Issue.of(str(path), i + 2, "value", frame.iloc[i]["value"], "reference.positive_number")],
                        str(path))
    return frame.astype({"year": "int64"})


def _place(places: Places, code: str) -> Place:
    if code not in places:
        raise PlanError([Issue.of("places.csv", None, "code", code, "reference.unknown_place")], "place lookup")
    return places[code]


def existed_in(place: Place, year: int) -> bool:
    """Whether the unit existed on at least one day of ``year`` (valid_to is an exclusive end)."""
    return ((place.valid_from is None or place.valid_from <= dt.date(year, 12, 31))
            and (place.valid_to is None or place.valid_to > dt.date(year, 1, 1)))


def is_new_province(places: Places, code: str) -> bool:
    """A province that old provinces merged into (it has commune-level children and old predecessors)."""
    return bool(places.children(code, level="commune")) and bool(old_provinces_of(places, code))


def old_provinces_of(places: Places, code: str) -> list[str]:
    """The old provinces whose territory forms the new province ``code`` (``QT25`` → ``["QB", "QT"]``)."""
    _place(places, code)
    return sorted(p.code for p in places.by_code.values()
                  if p.level == "province" and p.after_end == "territory" and code in p.successors)


def territory_communes(places: Places, code: str) -> list[str]:
    """The new commune-level units whose territory makes up ``code``.

    ``QT`` (old province) → the 37 communes with ``former_province`` QT; ``QT-HH`` (old district) → the
    communes with ``former_district`` QT-HH; ``QT25`` → its 78 communes; a commune → itself.

    Notes
    -----
    ``communes_2025.csv`` (``Places.extra``) is the authority. Without it (a test's small places table),
    a district's ``successor`` list is used, and an old province's communes are its districts' successors.
    Every new unit was formed from communes of a single old district, so these lists partition the
    new province.
    """
    p = _place(places, code)
    if p.level == "commune":
        return [code]
    if is_new_province(places, code):
        return sorted(c.code for c in places.children(code, level="commune"))
    column = {"province": "former_province", "district": "former_district"}.get(p.level)
    if column is None:
        return []
    if places.extra:
        return sorted(c for c, row in places.extra.items() if row.get(column) == code)
    districts = [p] if p.level == "district" else places.children(code, level="district")
    return sorted({s for d in districts for s in d.successors
                   if s in places and places[s].level == "commune"})


# --- rules -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """One way of building units from others: ``members`` maps each constituent to the unit it sums into."""

    name: str
    members: Mapping[str, str]
    side: str  # "before": years before the break; "from": the break year and later
    label: str  # "same", "rebased" or "break": how the series label of a derived row is set
    text: str


def rules(places: Places, by: int) -> list[Rule]:
    """The harmonisation rules the places table implies, in the order they are applied.

    1. ``districts``: old districts → their old province (years before ``by``), same series label;
    2. ``rebased``: old provinces → the new province (years before ``by``), same label: the history of
       the new province's territory, one series with its own values from ``by`` on;
    3. ``territory``: new communes → the old province whose territory they cover (from ``by``), label
       ``<series>-<by>`` (the old province's own series ends at the break);
    4. ``new_province``: new communes → the new province (from ``by``), same label.
    """
    provinces = [p for p in places.by_code.values() if p.level == "province"]
    new = [p.code for p in provinces if is_new_province(places, p.code)]
    old = [p.code for p in provinces if p.after_end == "territory"]
    out = [
        Rule("districts", {d.code: p.code for p in provinces
                           for d in places.children(p.code, level="district")},
             "before", "same", "old districts summed into their old province"),
        Rule("rebased", {o: n for n in new for o in old_provinces_of(places, n)}, "before", "same",
             f"old provinces summed into the new province, re-based to its boundaries for a year "
             f"before {by}"),
        Rule("territory", {c: o for o in old for c in territory_communes(places, o)}, "from", "break",
             f"new communes summed to track the old province's territory from {by} (former_province)"),
        Rule("new_province", {c: n for n in new for c in territory_communes(places, n)}, "from", "same",
             f"new communes summed into the new province from {by}"),
    ]
    return [r for r in out if r.members]


def _label(series: pd.Series, rule_label: str, by: int) -> pd.Series:
    if rule_label == "rebased":
        return series.map(rebased_label)
    if rule_label == "break":
        return series.map(lambda s: break_label(s, by))
    return series


# --- aggregation -------------------------------------------------------------------------------------

def _list(codes: tuple[str, ...] | list[str], at_most: int = 10) -> str:
    codes = list(codes)
    return ", ".join(codes) if len(codes) <= at_most else f"{', '.join(codes[:3])}, … {codes[-1]}"


def _expected(rule: Rule, places: Places, targets: pd.Series, years: pd.Series,
              ) -> dict[tuple[str, int], tuple[str, ...]]:
    """Constituents that existed in each (target, year): a unit founded later cannot be 'missing'."""
    by_target: dict[str, list[str]] = {}
    for member, target in rule.members.items():
        by_target.setdefault(target, []).append(member)
    return {(t, int(y)): tuple(sorted(m for m in by_target[t] if existed_in(places[m], int(y))))
            for t, y in set(zip(targets, years, strict=True))}


def aggregate(obs: pd.DataFrame, rule: Rule, *, plan: Plan, places: Places, by: int,
              rebasing: Mapping[str, Rebasing] | None = None, denominators: pd.DataFrame | None = None,
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply one rule to the yearly rows of ``obs``: derived rows and the aggregates that cannot be built.

    Returns
    -------
    (derived, incomplete)
        ``derived`` in the observation format (``file`` = ``<harmonise>``); ``incomplete`` with
        :data:`INCOMPLETE_COLUMNS`, one row per indicator × unit × year × sex × series that some but not
        all constituents report, or whose values cannot be combined.

    Notes
    -----
    Counts are summed. Rates and shares are recomputed as scale × Σ numerators / Σ denominators, never
    averaged, so a unit without its numerator and denominator makes the aggregate impossible that year.
    Yes/no values are never combined. The aggregate exists only when every constituent that existed in
    the year reports. Status is ``illustrative`` if any input is, else ``estimate`` (derived by us).

    For the ``rebased`` rule (old provinces → the new province) ``rebasing`` says which targets can be
    re-based at all (a target whose set of units changed cannot: listed in the incomplete rows with the
    reason), and a rate published without its counts is weighted by the ``weight`` measure of
    ``denominators`` (Σ wᵢ rᵢ / Σ wᵢ; status ``estimate``, the method in ``note``) when every unit has
    that weight in the year.
    """
    yearly = obs[obs["quarter"].isna() & obs["place"].isin(list(rule.members))]
    yearly = yearly[yearly["year"] < by] if rule.side == "before" else yearly[yearly["year"] >= by]
    not_possible = pd.DataFrame(columns=INCOMPLETE_COLUMNS)
    weighting = rule.name == "rebased" and rebasing is not None
    if weighting:
        blocked = yearly["indicator"].map(lambda c: c in rebasing and not rebasing[c].possible)
        gone = yearly[blocked]
        if not gone.empty:
            keys = gone.assign(target=gone["place"].map(rule.members))[
                ["indicator", "target", "year", "sex", "series"]].drop_duplicates()
            not_possible = pd.DataFrame({
                "indicator": keys["indicator"], "place": keys["target"], "year": keys["year"],
                "sex": keys["sex"], "series": keys["series"], "rule": rule.name, "missing": "",
                "reason": ["re-basing not possible: " + rebasing[c].reason_en for c in keys["indicator"]],
            }).reset_index(drop=True)
        yearly = yearly[~blocked]
    if yearly.empty:
        return empty_observations(), not_possible
    rows = yearly.assign(target=yearly["place"].map(rule.members), unit=units_of(yearly, plan),
                         has_counts=yearly["numerator"].notna() & yearly["denominator"].notna(),
                         illustrative=yearly["status"] == "illustrative")
    rows["weight"], rows["weight_illustrative"] = _weights(rows, rebasing if weighting else None, denominators)
    rows["has_weight"] = rows["weight"].notna()
    rows["weighted_value"] = rows["weight"] * rows["value"]
    rows["without_counts"] = rows["place"].where(~rows["has_counts"], "")
    g = rows.sort_values("place").groupby(["indicator", "target", "year", "sex", "series"], sort=True)
    agg = g.agg(value=("value", "sum"), numerator=("numerator", "sum"), denominator=("denominator", "sum"),
                unit=("unit", "first"), illustrative=("illustrative", "any"),
                present=("place", tuple), with_counts=("has_counts", "sum"), n=("place", "size"),
                with_weight=("has_weight", "sum"), weight_sum=("weight", "sum"),
                weighted_sum=("weighted_value", "sum"), weight_illustrative=("weight_illustrative", "any"),
                without_counts=("without_counts", lambda s: tuple(c for c in s if c))).reset_index()
    agg["weight_measure"] = [rebasing[c].weight if weighting and c in rebasing else ""
                             for c in agg["indicator"]]
    expected = _expected(rule, places, agg["target"], agg["year"])
    agg["expected"] = [expected[(t, int(y))] for t, y in zip(agg["target"], agg["year"], strict=True)]
    agg["missing"] = [tuple(m for m in e if m not in set(p)) for e, p in zip(agg["expected"], agg["present"],
                                                                             strict=True)]
    is_count = agg["unit"] == "count"
    reason = pd.Series("", index=agg.index, dtype="str")
    reason[agg["unit"] == "yes_no"] = "yes/no values cannot be combined across units"
    lacks_counts = ~is_count & (agg["unit"] != "yes_no") & (agg["with_counts"] < agg["n"])
    agg["weighted"] = lacks_counts & (agg["with_weight"] == agg["n"]) & (agg["weight_sum"] > 0)
    lacks_counts &= ~agg["weighted"]
    missing = agg["missing"].map(len) > 0
    reason[missing & (reason == "")] = "not every constituent unit reports"
    reason[lacks_counts & (reason == "")] = ("a rate needs every unit's numerator and denominator "
                                             "(never an average of rates)")
    bad = reason != ""
    incomplete = pd.DataFrame({
        "indicator": agg["indicator"], "place": agg["target"], "year": agg["year"], "sex": agg["sex"],
        "series": _label(agg["series"], rule.label, by), "rule": rule.name,
        "missing": [";".join(m) if m else ";".join(w) for m, w in zip(agg["missing"], agg["without_counts"],
                                                                      strict=True)],
        "reason": reason,
    })[bad.to_numpy()].reset_index(drop=True)
    ok = agg[~bad].reset_index(drop=True)
    incomplete = pd.concat([not_possible, incomplete], ignore_index=True) if not not_possible.empty else incomplete
    return _derived_rows(ok, rule, by), incomplete


def _weights(rows: pd.DataFrame, rebasing: Mapping[str, Rebasing] | None, denominators: pd.DataFrame | None,
             ) -> tuple[pd.Series, pd.Series]:
    """Each row's weight (its target's ``weight`` measure at the row's place and year) and whether it is
    illustrative; NaN where the target has no weight or the table lacks that place and year."""
    nan = pd.Series(np.nan, index=rows.index, dtype="float64")
    if rebasing is None or denominators is None or denominators.empty:
        return nan, pd.Series(False, index=rows.index)
    measure = rows["indicator"].map(lambda c: rebasing[c].weight if c in rebasing else "")
    table = denominators.drop_duplicates(["measure", "place", "year"]).set_index(["measure", "place", "year"])
    keys = pd.MultiIndex.from_arrays([measure, rows["place"], rows["year"].astype("int64")])
    found = table.reindex(keys)
    weight = pd.Series(found["value"].to_numpy(dtype=float), index=rows.index)
    illustrative = pd.Series((found["status"] == "illustrative").to_numpy(), index=rows.index)
    return weight, illustrative


def _derived_rows(ok: pd.DataFrame, rule: Rule, by: int) -> pd.DataFrame:
    if ok.empty:
        return empty_observations()
    is_count = (ok["unit"] == "count").to_numpy()
    weighted = ok["weighted"].to_numpy(dtype=bool)
    scale = ok["unit"].map(lambda u: SCALE.get(u, 1.0)).to_numpy(dtype=float)
    num, den = ok["numerator"].to_numpy(dtype=float), ok["denominator"].to_numpy(dtype=float)
    wsum, wv = ok["weight_sum"].to_numpy(dtype=float), ok["weighted_sum"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(weighted, wv / wsum, scale * num / den)
    value = np.where(is_count, ok["value"].to_numpy(dtype=float), rate)
    notes = []
    rebased = rule.name == "rebased"
    for i, r in ok.iterrows():
        units = f"{len(r['present'])} units ({_list(r['present'])})"
        if is_count[i]:
            method, how = "sum", f"sum over {units}"
        elif weighted[i]:
            method = "weighted"
            how = (f"the units' published values weighted by {r['weight_measure']} "
                   f"(Σ weight × value / Σ weight = {wv[i]:g}/{wsum[i]:g}) over {units}: no numerator and "
                   "denominator were published, so this is an estimate")
        else:
            method = "ratio"
            how = (f"recomputed as {scale[i]:g} × Σ numerators / Σ denominators = {num[i]:g}/{den[i]:g} "
                   f"over {units}, not an average of the units' values")
        head = f"Re-based [{method}]: " if rebased else ""
        notes.append(f"{head}Harmonised ({rule.name}: {rule.text}): {how}.")
    keep_counts = ~is_count & ~weighted
    illustrative = ok["illustrative"].to_numpy(dtype=bool) | (weighted & ok["weight_illustrative"].to_numpy(dtype=bool))
    frame = pd.DataFrame({
        "indicator": ok["indicator"], "place": ok["target"], "year": ok["year"].astype("int64"),
        "value": value,
        "quarter": pd.array([pd.NA] * len(ok), dtype="Int64"), "sex": ok["sex"],
        "numerator": np.where(keep_counts, num, np.nan), "denominator": np.where(keep_counts, den, np.nan),
        "unit": ok["unit"], "source": DERIVED_SOURCE,
        "status": np.where(illustrative, "illustrative", "estimate"), "note": notes,
        "series": _label(ok["series"], rule.label, by), "file": DERIVED_FILE,
        "line": pd.array([pd.NA] * len(ok), dtype="Int64"),
    })
    return typed(frame)


# --- commune × quarter shares (6.3) ------------------------------------------------------------------

def _quarter_grid(places: Places, communes: list[str], years: list[int]) -> pd.DataFrame:
    """Every (commune, year, quarter) in which the commune existed for the whole quarter."""
    alive = [(c, y, q) for c in communes for y in years for q in (1, 2, 3, 4)
             if places[c].exists_whole_quarter(y, q)]
    return pd.DataFrame(alive, columns=["place", "year", "quarter"])


def share_meeting(obs: pd.DataFrame, target: Target, *, plan: Plan, places: Places, territory: str, by: int,
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Yearly share of the territory's communes with at least ``min_items_per_quarter`` items every quarter.

    Parameters
    ----------
    obs
        Observations holding the commune × quarter counts of ``target.derived_from`` (``6.3.news``).
    target
        A target with ``derived_from`` and ``min_items_per_quarter`` (6.3).
    territory
        A new province or an old province tracked by its territory (``QT25``, ``QT``).

    Returns
    -------
    (derived, incomplete)
        Derived yearly rows for ``territory`` (percent, numerator = communes meeting, denominator =
        communes existing in the year) and the years that cannot be computed.

    Notes
    -----
    A commune meets the standard in a year when it has at least the minimum in *every* quarter it
    existed for the whole of that year; a quarter it did not report does not meet it (the plan asks for
    items "every quarter": an unreported quarter is not shown to have them, and treating it as missing
    would inflate the share). The denominator is every commune that existed in the year, reporting or
    not. Units created mid-year are judged on the quarters they existed: the new communes from
    1 July 2025 on Q3–Q4 of 2025. A year is computed only when every quarter that some commune had to
    report has at least one report in the territory; otherwise the year is not over (or the data have
    not arrived) and it is listed as incomplete rather than counted as a failure of every commune.
    """
    code, minimum = target.derived_from, target.min_items_per_quarter
    if code is None or minimum is None:
        raise PlanError([Issue("plan.yaml", None, f"targets ({target.code})", None,
                               "a derived share needs derived_from and min_items_per_quarter")])
    communes = territory_communes(places, territory)
    new_province = is_new_province(places, territory)
    news = obs[(obs["indicator"] == code) & obs["quarter"].notna() & obs["place"].isin(communes)]
    if news.empty:
        return empty_observations(), pd.DataFrame(columns=INCOMPLETE_COLUMNS)
    derived, incomplete = [], []
    for (sex, series), rows in news.groupby(["sex", "series"], sort=True):
        years = sorted(int(y) for y in rows["year"].unique())
        grid = _quarter_grid(places, communes, years)
        reports = rows[["place", "year", "quarter", "value"]].astype({"quarter": "int64"})
        merged = grid.merge(reports, on=["place", "year", "quarter"], how="left")
        merged["meets"] = merged["value"] >= minimum  # NaN (not reported) compares False
        merged["reported"] = merged["value"].notna()
        quarters = merged.groupby(["year", "quarter"])["reported"].any()
        per_commune = merged.groupby(["year", "place"]).agg(meets=("meets", "all"),
                                                            reported=("reported", "all"))
        for year in years:
            q = quarters.loc[year]
            # The new province's communes are its parts (same label); an old province's territory
            # tracked from them starts a new series at the break.
            label = break_label(series, by) if year >= by and not new_province else series
            if len(q) < 4:  # communes created during the year: judged on fewer quarters than a whole year
                label = part_year_label(label, [int(k) for k in q.index])
            if not q.all():
                absent = ", ".join(f"Q{int(k)}" for k in q.index[~q.to_numpy()])
                incomplete.append({"indicator": target.code, "place": territory, "year": year, "sex": sex,
                                   "series": label, "rule": "share_meeting", "missing": absent,
                                   "reason": "no commune reported for these quarters: "
                                             "the year is not complete"})
                continue
            c = per_commune.loc[year]
            num, den, silent = int(c["meets"].sum()), len(c), int((~c["reported"]).sum())
            span = ", ".join(f"Q{int(k)}" for k in q.index)
            illustrative = bool((rows.loc[rows["year"] == year, "status"] == "illustrative").any())
            derived.append({
                "indicator": target.code, "place": territory, "year": year, "value": 100.0 * num / den,
                "quarter": pd.NA, "sex": sex, "numerator": float(num), "denominator": float(den),
                "unit": target.unit, "source": DERIVED_SOURCE,
                "status": "illustrative" if illustrative else "estimate",
                "note": (f"Derived from {code}: {num} of the {den} communes existing in {year} had at least "
                         f"{minimum} items in every quarter they existed ({span}); {silent} commune(s) "
                         "missed at least one quarterly report and count as not meeting it."),
                "series": label, "file": DERIVED_FILE, "line": pd.NA,
            })
    frame = typed(pd.DataFrame(derived)) if derived else empty_observations()
    return frame, pd.DataFrame(incomplete, columns=INCOMPLETE_COLUMNS)


# --- prepare -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HarmoniseReport:
    """What :func:`prepare` did: rows added, aggregates it could not build, and checks against reports."""

    added: pd.DataFrame
    incomplete: pd.DataFrame
    checks: pd.DataFrame
    break_year: int
    #: Warnings for illustrative rows left out because their series, once harmonised, holds real values
    #: (:func:`gender_monitor.data.observations.real_or_illustrative`, applied again after the rules).
    left_out: tuple[Issue, ...] = ()

    def summary(self) -> pd.DataFrame:
        """Rows added per indicator, place and series: how many, first and last year, status."""
        if self.added.empty:
            return pd.DataFrame(columns=["indicator", "place", "series", "rows", "first", "last", "status"])
        g = self.added.groupby(["indicator", "place", "series"], sort=True)
        return g.agg(rows=("year", "size"), first=("year", "min"), last=("year", "max"),
                     status=("status", lambda s: ",".join(sorted(set(s))))).reset_index()


def _key(frame: pd.DataFrame) -> pd.MultiIndex:
    q = frame["quarter"].astype("Int64").fillna(0)
    return pd.MultiIndex.from_arrays([frame["indicator"], frame["place"], frame["year"], q, frame["sex"],
                                      frame["series"]])


def _merge(current: pd.DataFrame, derived: pd.DataFrame, rule: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep derived rows whose key is new; compare the others with the value already there."""
    if derived.empty:
        return derived, pd.DataFrame(columns=CHECK_COLUMNS)
    have = pd.Series(current["value"].to_numpy(), index=_key(current))
    have = have[~have.index.duplicated()]
    keys = _key(derived)
    clash = keys.isin(have.index)
    old = derived[clash]
    reported = have.reindex(keys[clash]).to_numpy(dtype=float)
    diff = old["value"].to_numpy(dtype=float) - reported
    tol = np.where(old["unit"] == "count", 1e-9, np.maximum(0.5, 0.005 * np.abs(reported)))
    checks = pd.DataFrame({"indicator": old["indicator"], "place": old["place"], "year": old["year"],
                           "sex": old["sex"], "series": old["series"], "rule": rule, "reported": reported,
                           "derived": old["value"].to_numpy(), "difference": diff,
                           "agrees": np.abs(diff) <= tol})
    return derived[~clash], checks.reset_index(drop=True)


def _require_columns(obs: pd.DataFrame) -> None:
    missing = [c for c in COLUMNS if c not in obs.columns]
    if missing:
        raise ObservationError([Issue("<frame>", None, ",".join(missing), None,
                                      "column(s) of the observation format missing from obs")], "obs")


def prepare(obs: pd.DataFrame, plan: Plan | None = None, places: Places | None = None, *,
            break_year: int | None = None, rebasing: Mapping[str, Rebasing] | None = None,
            denominators: pd.DataFrame | None = None) -> tuple[pd.DataFrame, HarmoniseReport]:
    """Add harmonised and derived rows to the observations, once, before projection and assessment.

    Parameters
    ----------
    obs
        Observations in the observation format (``load_observations``).
    plan, places
        Registry and places table; loaded from the repository when omitted.
    break_year
        The year of the boundary change; by default the year the old units end in the places table.
    rebasing, denominators
        Which targets can be re-based and the weights of rates published without counts
        (:func:`load_rebasing`, :func:`load_denominators`); read from ``data/reference/`` when omitted.

    Returns
    -------
    (frame, report)
        ``obs`` with the new rows appended (``file`` = ``<harmonise>``, ``line`` empty) and a
        :class:`HarmoniseReport`.

    Notes
    -----
    Rules, in order (:func:`rules`): old districts → old province and old provinces → new province
    for years before the break; new communes → each old province's territory and → the new province
    from the break year on; then every derived share (6.3 from ``6.3.news``, :func:`share_meeting`)
    for the new province and each old province's territory. Counts are summed; rates are recomputed
    from summed numerators and denominators; an aggregate needs every constituent (else it is listed in
    ``report.incomplete`` with the missing units).

    Series labels flag the break where a trend must not cross it: rows that track an old province's
    territory from the new communes (the break year on) carry ``<series>-<break year>`` (``""`` →
    ``"-2025"``). The new province is one territory through time: its history re-based from the old
    provinces (years before the break), its communes' sums and its own reports (from the break on)
    carry the same label and form one series, the join being the break year (:func:`history_of`).
    A re-based row supplied by a producer (label ``<series>-rebased`` in its file, the only way a file
    may give the new province a year before it existed) is read as that series and wins over the one
    derived here. Rows summed from old districts into their old province keep their label.

    A reported value wins over a derived one with the same key (indicator, place, year, quarter, sex,
    series): the agency's total can hold cases no sub-unit was credited with, and revisions. The
    derived value is then compared with it in ``report.checks`` (``agrees``: equal for counts, within
    rounding — 0.5 or 0.5% — for rates). A derived row for the break year (e.g. old-QT territory in
    2025 from its communes, label ``-2025``) does not collide with the old province's own 2025 report
    (label ``""``): both stay, one ending the old series and one starting the new, and the two values are
    compared in ``report.checks`` (rule ``break_year_overlap``; the territory is the same). Running
    ``prepare`` on its own output adds nothing. The result is in memory only; nothing is written to ``data/``.
    """
    from gender_monitor.plan.reference import load_places
    from gender_monitor.plan.registry import load_plan

    _require_columns(obs)
    plan = plan if plan is not None else load_plan()
    places = places if places is not None else load_places()
    by = break_year if break_year is not None else break_year_of(places)
    rebasing = rebasing if rebasing is not None else load_rebasing(plan=plan)
    denominators = denominators if denominators is not None else load_denominators()
    current = typed(obs[COLUMNS + PROVENANCE]) if set(PROVENANCE) <= set(obs.columns) else typed(
        obs[COLUMNS].assign(file="", line=pd.NA))
    current = _read_producer_rebased(current, places)
    added, incomplete, checks = [], [], []

    def take(derived: pd.DataFrame, inc: pd.DataFrame, rule: str) -> None:
        nonlocal current
        new, chk = _merge(current, derived, rule)
        checks.append(chk)
        incomplete.append(inc)
        added.append(new)
        current = pd.concat([current, new], ignore_index=True) if not new.empty else current

    all_rules = rules(places, by)
    for rule in all_rules:
        take(*aggregate(current, rule, plan=plan, places=places, by=by, rebasing=rebasing,
                        denominators=denominators), rule.name)
    territories = sorted({r.members[m] for r in all_rules if r.side == "from" for m in r.members})
    for target in (t for t in plan.targets if t.derived_from and t.min_items_per_quarter):
        for territory in territories:
            take(*share_meeting(current, target, plan=plan, places=places, territory=territory, by=by),
                 "share_meeting")

    added_rows = _concat(added, empty_observations())
    checks.append(_overlap_checks(added_rows, current, by))
    # The new province's series joins its re-based history to its own reports: once an agency's real value
    # is in it, the history re-based from illustrative values would make one trend of invented and real
    # values, so the rule the loader applies to each file's series is applied again to the joined ones.
    current, left_out = real_or_illustrative(current)
    report = HarmoniseReport(
        added=added_rows,
        incomplete=_drop_reported(_concat(incomplete, pd.DataFrame(columns=INCOMPLETE_COLUMNS)), current),
        checks=_concat(checks, pd.DataFrame(columns=CHECK_COLUMNS)),
        break_year=by,
        left_out=tuple(left_out),
    )
    return current, report


def _overlap_checks(added: pd.DataFrame, current: pd.DataFrame, by: int) -> pd.DataFrame:
    """Break-year rows from the new units beside the old unit's own report for that year (same territory)."""
    first = added[(added["year"] == by) & added["series"].str.endswith(f"-{by}")]
    if first.empty:
        return pd.DataFrame(columns=CHECK_COLUMNS)
    as_base = first.assign(series=first["series"].map(lambda s: base_series(s, by)))
    _, checks = _merge(current[current["file"] != DERIVED_FILE], as_base, "break_year_overlap")
    if checks.empty:
        return checks
    return checks.assign(series=checks["series"].map(lambda s: break_label(s, by)))


def _concat(frames: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else empty


def _drop_reported(incomplete: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """An aggregate that could not be built is no gap when the unit reports the value itself."""
    if incomplete.empty:
        return incomplete
    yearly = current[current["quarter"].isna()]
    have = set(zip(yearly["indicator"], yearly["place"], yearly["year"], yearly["sex"], yearly["series"],
                   strict=True))
    keep = [(i, p, int(y), s, se) not in have for i, p, y, s, se in
            zip(incomplete["indicator"], incomplete["place"], incomplete["year"], incomplete["sex"],
                incomplete["series"], strict=True)]
    return incomplete[keep].reset_index(drop=True)


def _read_producer_rebased(frame: pd.DataFrame, places: Places) -> pd.DataFrame:
    """A producer's ``<series>-rebased`` row for a new province is that province's ``<series>`` history.

    Producer rows come first, so the suite's own re-based row for the same key is then the one left out
    (and compared with it in ``report.checks``). Its note keeps a mark that it was supplied re-based.
    """
    new = {p for p in places.by_code if places[p].level == "province" and is_new_province(places, p)}
    pick = frame["place"].isin(new) & frame["series"].str.endswith(REBASED_SUFFIX)
    if not pick.any():
        return frame
    out = frame.copy()
    out.loc[pick, "series"] = out.loc[pick, "series"].str.removesuffix(REBASED_SUFFIX)
    return out


# --- how a series of the new province was built ----------------------------------------------------

#: Tokens of :func:`history_of` (words for readers: locale topic ``history``).
HISTORY_KINDS = ("rebased", "rebased_estimate", "producer", "not_rebased", "own_only", "not_new")


def history_of(frame: pd.DataFrame, *, place: Place, places: Places, by: int,
               rebasing: Mapping[str, Rebasing] | None = None) -> dict[str, object]:
    """How the series ``frame`` (one indicator × place × sex × series, yearly) was built.

    Returns
    -------
    dict
        ``history``: one of :data:`HISTORY_KINDS` — ``rebased`` (years before ``by`` summed or
        recomputed from the old provinces' counts), ``rebased_estimate`` (some years weighted by a
        denominator: estimates), ``producer`` (re-based rows supplied by a producer), ``not_rebased``
        (the target cannot be re-based: the series starts at ``by``), ``own_only`` (no history before
        ``by`` was reported or could be built), ``not_new`` (the place is not a merged province);
        ``methods`` (the re-basing methods used, ``;``-joined), ``rebased_first``/``rebased_last``,
        ``own_first`` and ``reason_vi``/``reason_en`` (for ``not_rebased``).
    """
    if not is_new_province(places, place.code):
        return {"history": "not_new"}
    years = frame["year"].to_numpy()
    before = frame[years < by]
    own = frame[years >= by]
    out: dict[str, object] = {"own_first": int(own["year"].min()) if not own.empty else None}
    code = str(frame["indicator"].iloc[0]) if not frame.empty else ""
    rule = (rebasing or {}).get(code)
    if before.empty:
        if rule is not None and not rule.possible:
            return out | {"history": "not_rebased", "reason_vi": rule.reason_vi, "reason_en": rule.reason_en}
        return out | {"history": "own_only"}
    notes = before["note"] if "note" in before.columns else pd.Series("", index=before.index)
    files = before["file"] if "file" in before.columns else pd.Series("", index=before.index)
    methods = sorted({m.group(1) for n, f in zip(notes, files, strict=True)
                      if f == DERIVED_FILE and (m := _REBASE_NOTE.match(str(n)))})
    producer = bool((files != DERIVED_FILE).any())
    kind = ("producer" if producer and not methods else "rebased_estimate" if "weighted" in methods
            else "rebased")
    if producer and methods:
        methods = ["producer", *methods]
    return out | {"history": kind, "methods": ";".join(methods or ["producer"]),
                  "rebased_first": int(before["year"].min()), "rebased_last": int(before["year"].max())}
