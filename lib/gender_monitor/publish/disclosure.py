"""Small-count disclosure control for sensitive indicators in published outputs (primary, complementary)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gender_monitor.core import i18n
from gender_monitor.core.exceptions import Issue, ParameterError
from gender_monitor.core.units import SCALE
from gender_monitor.data.harmonise import existed_in
from gender_monitor.data.observations import numeric_column, units_of
from gender_monitor.judge.assessment import COUNT_COLUMNS, VALUE_COLUMNS, withhold_reliability
from gender_monitor.plan.reference import Places
from gender_monitor.plan.registry import Plan

#: Why a cell is hidden: the tokens of the ``suppressed`` column (their words: ``disclosure.reasons`` in
#: the locales, with the footnote's sentences).
REASONS: tuple[str, ...] = ("small_count", "small_numerator", "small_denominator", "small_complement",
                            "complementary")
#: Value columns of an assessment table, blanked together when its row is suppressed (declared once,
#: with the assessment: every column that carries a value, its counts excepted).
ASSESSMENT_VALUES = tuple(c for c in VALUE_COLUMNS if c not in COUNT_COLUMNS)
#: The numerator and denominator of an assessment table's latest value (blanked with it).
ASSESSMENT_COUNTS = COUNT_COLUMNS
#: Free text that travels with an observation's row: the producer's note and the source's words. Either can
#: spell the row's counts (a re-based row's note reads "= 5/6 over 2 units (QB, QT)"; an agency may write "3 nạn
#: nhân" in its source), so a hidden row's text is hidden with its value (emptied, the column stays text).
TEXT_COLUMNS: tuple[str, ...] = ("note", "source")
_KEY = ("year", "quarter", "sex", "series", "target_year")
_HARMONISED_LABEL = re.compile(r"(-\d{4}|-rebased)$")


@dataclass(frozen=True)
class DisclosureNotes:
    """What :func:`suppress` did, with the footnote to print under the table (vi, en)."""

    applied: bool
    threshold: int
    counts: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def n_suppressed(self) -> int:
        return sum(self.counts.values())

    def footnote(self, language: str = "vi") -> str:
        """The sentence stating the suppression ("" for an analyst's unpublished run)."""
        if not self.applied:
            return ""
        if not self.n_suppressed:
            return i18n.t("disclosure.nothing", language, threshold=self.threshold)
        primary = self.n_suppressed - self.counts.get("complementary", 0)
        return i18n.t("disclosure.footnote", language, top=self.threshold - 1, primary=primary,
                      complementary=self.counts.get("complementary", 0))


def _bad(column: str, value: object, rule: str) -> ParameterError:
    return ParameterError([Issue("suppress()", None, column, value, rule)], "disclosure parameters")


def suppress(frame: pd.DataFrame, plan: Plan, *, threshold: int = 5, publish: bool = True,
             group_by: Sequence[str] | None = None, places: Places | None = None,
             value_columns: Sequence[str] | None = None, suppress_zero: bool = False,
             ) -> tuple[pd.DataFrame, DisclosureNotes]:
    """Hide small counts of sensitive indicators, and the cells that would reveal them, in a published table.

    Parameters
    ----------
    frame
        An observation-format frame (``indicator, place, year, value[, quarter, sex, series, numerator,
        denominator, unit]``) or an assessment-like table (``code, latest_value, projected, …`` and, for
        its rates to be checked, ``latest_numerator, latest_denominator``).
    plan
        The registry: its ``sensitive`` targets and inputs (``Plan.sensitive_codes()``) are protected;
        every other indicator passes untouched.
    threshold
        Counts from 1 to ``threshold − 1`` are suppressed (default 5: 1–4).
    publish
        ``False`` for an analyst's own run: nothing is hidden (the ``suppressed`` column is empty).
    group_by
        Columns whose equal values make one table summing to a published total (e.g. ``["indicator",
        "year"]`` for a commune table). By default, for frames with ``place``, the tables follow the
        places: districts in their old province, communes in the new province and in the old province
        whose territory they cover, old provinces in the new province; the parent's own row is the total.
        The sex and quarter tables (see Notes) are formed in either case.
    places
        The places table for the default tables; loaded from the repository when omitted.
    value_columns
        Columns blanked in a suppressed row; the first is the one tested. Default ``value`` (observation
        frames) or :data:`ASSESSMENT_VALUES` (assessment tables).
    suppress_zero
        Also treat 0 as a small count.

    Returns
    -------
    (published, notes)
        A copy of ``frame`` with the hidden values set to NaN (its numerator and denominator columns too),
        the free text of a hidden row (:data:`TEXT_COLUMNS`: its note and source) emptied (an assessment row's
        reliability words without what they read off its values: :func:`~gender_monitor.judge.assessment.
        withhold_reliability`), and a column
        ``suppressed`` holding the reason token (:data:`REASONS`; ``""`` when shown), and
        :class:`DisclosureNotes` with counts and the footnote in Vietnamese and English.

    Notes
    -----
    Primary suppression: a count of a sensitive indicator between 1 and ``threshold − 1``; a rate or share
    of a sensitive indicator whose numerator or denominator is such a count (the denominator of 3.2a or
    3.3 counts victims, as identifying as the numerator); a share (percent) of a sensitive indicator
    whose complement, denominator − numerator, is such a count (6 of 7 victims supported says one
    was not). The counts of a rate are ``numerator`` and
    ``denominator`` (``latest_numerator`` and ``latest_denominator`` in an assessment table); when only
    one is given, the other is worked out from the rate and its unit (percent, per 100, 1,000, 100,000),
    as a reader could. Zeros are shown by default, the common practice for administrative counts: a zero
    names no one, and hiding zeros would hide that a commune had no case. A sensitive rate without its
    counts cannot be checked; it is shown and listed in ``notes.warnings``.

    Complementary suppression: a table is a set of cells that add up to a total: the places in their
    parent unit (above); the women and the men (sex ``f``, ``m``) in the both-sexes row (sex ``""``) of
    the same indicator, place, year, quarter and series; quarters 1–4 in the yearly row. A sex or quarter
    table is formed where its total row or all of its cells are in the frame. A total absent from the
    frame is treated as published elsewhere. In every table whose total is shown, the hidden cells must

    * be at least two, so that no single hidden cell is the total minus the shown ones, and
    * add up, in each count (the count, or a rate's numerator and its denominator), to a sum that is
      not itself small (not between 1, or 0 with ``suppress_zero``, and ``threshold − 1``): the total
      minus the shown cells is that sum, and the ``suppressed`` column tells which hidden cell is small.

    Until both hold, the next smallest shown non-zero cell (in the count that falls short) is hidden
    too. A zero is never picked: it adds nothing to the hidden sum, so total − shown would still give
    the small count. When no such cell is left, the total itself is hidden. A hidden total must not be
    rebuilt from its cells either: where none of its cells is hidden, the smallest non-zero one is.
    Tables are revisited until every table passes, so the communes of the new province and those of an
    old province's territory, and the sexes and quarters of each, are protected together. This is the
    standard iterative heuristic, not an optimal (minimum-loss) solution of the hierarchical problem:
    it stops exact recovery and recovery of a small sum, not every bound a reader could derive.

    References
    ----------
    Hundepool, A. et al. (2012) *Statistical Disclosure Control*, Wiley, ch. 4 (tabular data, primary and
    secondary suppression).
    """
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)) or threshold < 1:
        raise _bad("threshold", threshold, "must be a whole number ≥ 1")
    code_col = "indicator" if "indicator" in frame.columns else "code" if "code" in frame.columns else None
    if code_col is None:
        raise _bad("frame", list(frame.columns),
                   "needs an 'indicator' (observations) or 'code' (assessment) column")
    assessment = "latest_value" in frame.columns and code_col == "code"
    values = list(value_columns) if value_columns is not None else (
        ["value"] if "value" in frame.columns else [c for c in ASSESSMENT_VALUES if c in frame.columns])
    absent = [c for c in values if c not in frame.columns]
    if not values or absent:
        raise _bad("value_columns", absent or values, "must name columns of the frame")
    out = frame.copy()
    out["suppressed"] = ""
    if not publish:
        return out, DisclosureNotes(False, int(threshold))
    if out.empty:
        return out, DisclosureNotes(True, int(threshold))

    num_col, den_col = ASSESSMENT_COUNTS if assessment else ("numerator", "denominator")
    sensitive = out[code_col].isin(plan.sensitive_codes()).to_numpy()
    unit = units_of(out, plan, code_col).to_numpy()
    is_count = unit == "count"
    value = numeric_column(out, values[0])
    numerator, denominator = _counts(value, numeric_column(out, num_col), numeric_column(out, den_col), unit)
    low = 0 if suppress_zero else 1

    def small(x: np.ndarray) -> np.ndarray:
        return ~np.isnan(x) & (x >= low) & (x < threshold)

    reason = np.full(len(out), "", dtype=object)
    # A share of a sensitive group also tells the rest of it: 6 of 7 victims supported (85,7%) says
    # that one was not.
    reason[sensitive & (unit == "percent") & small(denominator - numerator)] = "small_complement"
    reason[sensitive & ~is_count & small(denominator)] = "small_denominator"
    reason[sensitive & ~is_count & small(numerator)] = "small_numerator"
    reason[sensitive & is_count & small(value)] = "small_count"
    warnings = []
    unchecked = sensitive & ~is_count & (np.isnan(numerator) | np.isnan(denominator)) & ~np.isnan(value)
    if unchecked.any():
        missing = ("" if num_col in out.columns and den_col in out.columns
                   else " (the table has no such columns)")
        warnings.append(f"{int(unchecked.sum())} sensitive rate(s) without {num_col} and {den_col} could "
                        f"not be checked and are shown{missing}")
    membership = _tables(out, code_col, group_by, places)
    if membership is None:
        if (reason != "").any():
            warnings.append("no place column and no group_by: complementary suppression was not applied "
                            "across places")
        membership = _breakdowns(out, code_col)
    else:
        membership = pd.concat([membership, _breakdowns(out, code_col)], ignore_index=True)
    # A sensitive share's remainder adds up too: its hidden sum must not be small either.
    remainder = np.where(sensitive & (unit == "percent"), denominator - numerator, np.nan)
    counts = np.column_stack([np.where(is_count, value, numerator), np.where(is_count, np.nan, denominator),
                              remainder])
    warnings += _complementary(reason, counts, _relations(membership, sensitive), low, threshold)
    hidden = reason != ""
    if assessment:  # its reliability words read off the values hidden (an interval's width) go first, while they can
        out = withhold_reliability(out, hidden, plan)
    for col in dict.fromkeys([*values, num_col, den_col]):
        if col in out.columns:
            if out[col].dtype.kind in "iu":  # whole counts must take NaN
                out[col] = out[col].astype(float)
            out.loc[hidden, col] = np.nan
    for col in TEXT_COLUMNS:  # what a row's free text says of its counts goes with them
        if col in out.columns:
            if out[col].dtype.kind != "O":  # a column of missing values only is read as numbers
                out[col] = out[col].astype(object)
            out.loc[hidden, col] = ""
    out["suppressed"] = reason
    tally = {k: int((reason == k).sum()) for k in REASONS if (reason == k).any()}
    return out, DisclosureNotes(True, int(threshold), tally, tuple(warnings))


def _counts(value: np.ndarray, numerator: np.ndarray, denominator: np.ndarray, unit: np.ndarray,
            ) -> tuple[np.ndarray, np.ndarray]:
    """A rate's numerator and denominator, each worked out from the other and the rate when absent.

    A published rate and one of its counts give the other count away (1.5 % of 200 is 3), so the count
    a reader can work out is the one tested.
    """
    scale = np.array([SCALE.get(u, np.nan) for u in unit], dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        implied_num = np.round(value * denominator / scale)
        implied_den = np.where(value > 0, np.round(numerator * scale / value), np.nan)
    numerator = np.where(np.isnan(numerator), implied_num, numerator)
    denominator = np.where(np.isnan(denominator), implied_den, denominator)
    return numerator, denominator


def _containers(places: Places, code: str) -> list[str]:
    """The units whose published total ``code`` is a part of (its tables)."""
    if code not in places:
        return []
    p = places[code]
    if p.level == "commune":
        former = places.extra.get(code, {}).get("former_province", "")
        return [c for c in dict.fromkeys([p.parent, former]) if c]
    if p.level == "district":
        return [p.parent] if p.parent else []
    if p.level == "province" and p.after_end == "territory":
        return list(p.successors)
    return []


def _tables(frame: pd.DataFrame, code_col: str, group_by: Sequence[str] | None, places: Places | None,
            ) -> pd.DataFrame | None:
    """Membership of rows in place tables: columns ``row``, ``table`` (a hashable id) and ``total`` (bool)."""
    if group_by is not None:
        missing = [c for c in group_by if c not in frame.columns]
        if missing:
            raise _bad("group_by", missing, "must name columns of the frame")
        ids = _joined(frame, list(group_by))
        return pd.DataFrame({"row": np.arange(len(frame)), "table": ids, "total": False})
    if "place" not in frame.columns:
        return None
    if places is None:
        from gender_monitor.plan.reference import load_places

        places = load_places()
    base = _with_year(frame)
    # Harmonised totals carry a break or re-based label ("-2025", "-rebased") that their parts do not.
    if "series" in base.columns:
        base = base.assign(series=base["series"].astype(object).where(base["series"].notna(), "").map(
            lambda s: _HARMONISED_LABEL.sub("", str(s))))
    key = _joined(base, [code_col, *[c for c in _KEY if c in base.columns]])
    codes = frame["place"].astype(object).map(str).to_numpy()
    published = {f"{k}\x1e{c}" for k, c in zip(key, codes, strict=True)}
    years = (pd.to_numeric(base["year"], errors="coerce").fillna(-1).astype(int).to_numpy()
             if "year" in base.columns else np.full(len(frame), -1))
    rows, ids, totals = [], [], []
    for i, (k, code, year) in enumerate(zip(key, codes, years, strict=True)):
        for parent in _containers(places, code):
            table_id = f"{k}\x1e{parent}"
            # A unit that did not exist that year has no total unless one was built (re-based) and is here.
            if table_id in published or year < 0 or existed_in(places[parent], int(year)):
                rows.append(i), ids.append(table_id), totals.append(False)
        rows.append(i), ids.append(f"{k}\x1e{code}"), totals.append(True)
    return pd.DataFrame({"row": np.asarray(rows, dtype=int), "table": ids,
                         "total": np.asarray(totals, dtype=bool)})


def _with_year(frame: pd.DataFrame) -> pd.DataFrame:
    """An assessment table's rows are of their latest year: that is the year their cells add up in."""
    if "year" not in frame.columns and "latest_year" in frame.columns:
        return frame.assign(year=frame["latest_year"])
    return frame


def _breakdowns(frame: pd.DataFrame, code_col: str) -> pd.DataFrame:
    """Membership of rows in sex tables (f, m in "") and quarter tables (1–4 in the yearly row)."""
    base = _with_year(frame)
    here = [c for c in ("place", *_KEY) if c in base.columns]
    parts: list[pd.DataFrame] = []
    if "sex" in base.columns:
        sex = base["sex"].astype(object).where(base["sex"].notna(), "").map(str).str.lower().to_numpy()
        key = _joined(base, [code_col, *[c for c in here if c != "sex"]])
        parts.append(_breakdown(key, sex, {"f", "m"}, "", "sex"))
    if "quarter" in base.columns:
        quarter = pd.to_numeric(base["quarter"], errors="coerce").to_numpy(dtype=float)
        label = np.array(["" if np.isnan(q) else f"{q:g}" for q in quarter], dtype=object)
        key = _joined(base, [code_col, *[c for c in here if c != "quarter"]])
        parts.append(_breakdown(key, label, {"1", "2", "3", "4"}, "", "quarter"))
    if not parts:
        return pd.DataFrame({"row": np.array([], dtype=int), "table": [], "total": np.array([], dtype=bool)})
    return pd.concat(parts, ignore_index=True)


def _breakdown(key: np.ndarray, label: np.ndarray, cells: set[str], total: str, name: str) -> pd.DataFrame:
    """Rows ``label in cells`` as the parts and ``label == total`` as the total of one table per ``key``.

    A table is formed where its total row, or every one of its cells, is in the frame.
    """
    frame = pd.DataFrame({"row": np.arange(len(key)), "key": key, "label": label})
    frame = frame[frame["label"].isin(cells) | (frame["label"] == total)]
    has_total = set(frame.loc[frame["label"] == total, "key"])
    labels = frame[frame["label"].isin(cells)].groupby("key")["label"].agg(set)
    complete = {k for k, found in labels.items() if found == cells}
    with_parts = set(labels.index)
    keep = frame["key"].isin((has_total | complete) & with_parts)
    frame = frame[keep]
    return pd.DataFrame({"row": frame["row"].to_numpy(dtype=int),
                         "table": (name + "\x1d" + frame["key"]).to_numpy(),
                         "total": (frame["label"] == total).to_numpy(dtype=bool)})


def _joined(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """One text key per row from ``columns`` (missing values as empty text)."""
    parts = [frame[c].astype(object).where(frame[c].notna(), "").map(str).to_numpy() for c in columns]
    key = parts[0]
    for part in parts[1:]:
        key = key + "\x1f" + part
    return key


def _relations(membership: pd.DataFrame, sensitive: np.ndarray) -> list[tuple[str, int | None, np.ndarray]]:
    """Tables of sensitive rows as ``(name, total row or None, part rows)``; tables without parts dropped."""
    rows = membership["row"].to_numpy(dtype=int)
    membership = membership[sensitive[rows]] if len(rows) else membership
    out = []
    for table_id, members in membership.groupby("table", sort=True):
        total = members.loc[members["total"].to_numpy(dtype=bool), "row"].to_numpy(dtype=int)
        parts = np.unique(members.loc[~members["total"].to_numpy(dtype=bool), "row"].to_numpy(dtype=int))
        parts = parts[~np.isin(parts, total)]
        if len(parts):
            name = str(table_id).split("\x1d")[-1].replace("\x1f", " ").replace("\x1e", " in ")
            out.append((name, int(total[0]) if len(total) else None, parts))
    return out


def _complementary(reason: np.ndarray, counts: np.ndarray,
                   relations: list[tuple[str, int | None, np.ndarray]], low: int, threshold: int) -> list[str]:
    """Hide further cells until every table passes the rule in :func:`suppress` (in place); return warnings.

    ``counts`` has one column per count that adds up in a table: the count (or a rate's numerator), a
    rate's denominator (NaN for counts) and a sensitive share's remainder (NaN otherwise).
    """
    warnings: list[str] = []
    for _ in range(len(reason) + 1):  # each pass hides at least one cell, so this bound is never reached
        changed = False
        for name, total, parts in relations:
            hidden = reason[parts] != ""
            total_hidden = total is not None and reason[total] != ""
            if total_hidden:
                if hidden.any():
                    continue
                short = None  # the total could be rebuilt from its cells
            else:
                if not hidden.any():
                    continue
                sums = [(j, counts[parts[hidden], j]) for j in range(counts.shape[1])]
                failing = [j for j, x in sums if np.isfinite(x).any() and low <= np.nansum(x) < threshold]
                if hidden.sum() >= 2 and not failing:
                    continue
                short = failing[0] if failing else None
            pick = _smallest(counts, parts[~hidden], short)
            if pick is not None:
                reason[pick] = "complementary"
                changed = True
            elif total_hidden:
                continue  # its shown cells are zeros or unknown: the hidden total cannot be rebuilt from them
            elif total is not None:
                reason[total] = "complementary"
                changed = True
            else:
                warnings.append(f"table {name!r} has hidden cells that its total would reveal and nothing "
                                "else to hide: its total must not be published")
        if not changed:
            break
    return list(dict.fromkeys(warnings))


def _smallest(counts: np.ndarray, rows: np.ndarray, column: int | None) -> int | None:
    """The shown row with the smallest non-zero count in ``column`` (any count when None); None if none."""
    for j in ([column] if column is not None else range(counts.shape[1])):
        x = counts[rows, j]
        ok = np.isfinite(x) & (x != 0)
        if ok.any():
            return int(rows[ok][np.argmin(x[ok])])
    return None
