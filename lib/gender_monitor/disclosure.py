"""Small-count disclosure control for sensitive indicators in published outputs (primary, complementary)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gender_monitor.exceptions import Issue, ParameterError
from gender_monitor.harmonise import existed_in
from gender_monitor.plan import Plan
from gender_monitor.reference import Places

#: Why a cell is hidden: the token in the ``suppressed`` column and its words for readers.
REASONS: dict[str, dict[str, str]] = {
    "small_count": {"vi": "số đếm nhỏ", "en": "small count"},
    "small_numerator": {"vi": "tử số nhỏ", "en": "small numerator"},
    "small_denominator": {"vi": "mẫu số nhỏ", "en": "small denominator"},
    "complementary": {"vi": "ẩn bổ sung (tránh suy ra bằng phép trừ)",
                      "en": "complementary (could be derived by subtraction)"},
}
FOOTNOTE = {
    "vi": ("Số liệu của các chỉ tiêu nhạy cảm (bạo lực gia đình, bạo lực trên cơ sở giới, mua bán người, "
           "tảo hôn, hôn nhân cận huyết thống) không được công bố khi số đếm từ 1 đến {top} "
           "({primary} ô), hoặc khi có thể suy ra số đó bằng phép trừ từ tổng đã công bố "
           "({complementary} ô); tỷ lệ có tử số hoặc mẫu số nhỏ như vậy được ẩn cùng tử số và mẫu số. "
           "Số 0 vẫn được công bố."),
    "en": ("Values of sensitive indicators (domestic and gender-based violence, trafficking, child and "
           "consanguineous marriage) are not shown where a count is between 1 and {top} ({primary} cells), "
           "nor where such a count could be worked out by subtraction from a published total "
           "({complementary} cells); a rate whose numerator or denominator is that small is hidden together with both counts. "
           "Zeros are shown."),
}
NOTHING = {"vi": "Không có giá trị nào phải ẩn (ngưỡng {threshold}).",
           "en": "No value needed suppressing (threshold {threshold})."}
#: Value columns of an assessment table, blanked together when its row is suppressed.
ASSESSMENT_VALUES = ("latest_value", "projected", "lo-80", "hi-80", "lo-95", "hi-95")
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
            return NOTHING[language].format(threshold=self.threshold)
        primary = self.n_suppressed - self.counts.get("complementary", 0)
        return FOOTNOTE[language].format(top=self.threshold - 1, primary=primary,
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
        An observation-format frame (``indicator, place, year, value[, numerator, denominator, unit]``) or
        an assessment-like table (``code, latest_value, projected, …``).
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
        A copy of ``frame`` with the hidden values set to NaN (``numerator`` and ``denominator`` too) and a
        column ``suppressed`` holding the reason token (:data:`REASONS`; ``""`` when shown), and
        :class:`DisclosureNotes` with counts and the footnote in Vietnamese and English.

    Notes
    -----
    Primary suppression: a count of a sensitive indicator between 1 and ``threshold − 1``; a rate or share
    of a sensitive indicator whose numerator or denominator is such a count (the denominator of 3.2a or
    3.3 counts victims, as identifying as the numerator). Zeros are shown by default, the common practice
    for administrative counts: a zero names no one, and hiding zeros would hide that a commune had no case.
    A sensitive rate without numerator and denominator cannot be checked; it is shown and listed in
    ``notes.warnings``.

    Complementary suppression: in every table with a published total, a lone hidden cell could be
    recovered as the total minus the other cells, so a second cell is hidden, the smallest remaining one
    (its count, or its numerator for rates); when no other cell is left, the total itself is hidden. A
    table whose total is absent from the frame is treated as if the total were published elsewhere.
    Tables are revisited until no table holds a lone hidden cell, so the communes of the new province and
    those of an old province's territory are both protected. This is the standard iterative heuristic, not
    an optimal (minimum-loss) solution of the hierarchical problem.

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
    values = list(value_columns) if value_columns is not None else (
        ["value"] if "value" in frame.columns else [c for c in ASSESSMENT_VALUES if c in frame.columns])
    absent = [c for c in values if c not in frame.columns]
    if not values or absent:
        raise _bad("value_columns", absent or values, "must name columns of the frame")
    out = frame.copy()
    out["suppressed"] = ""
    if not publish:
        return out, DisclosureNotes(False, int(threshold))

    sensitive = out[code_col].isin(plan.sensitive_codes()).to_numpy()
    unit = _unit(out, code_col, plan)
    is_count = (unit == "count").to_numpy()
    cell = np.where(is_count, _num(out, values[0]), _num(out, "numerator"))
    warnings = []
    reason = _primary(out, values[0], sensitive, is_count, threshold, suppress_zero)
    no_counts = np.isnan(_num(out, "numerator")) | np.isnan(_num(out, "denominator"))
    unchecked = sensitive & ~is_count & no_counts
    unchecked &= ~np.isnan(_num(out, values[0]))
    if unchecked.any():
        warnings.append(f"{int(unchecked.sum())} sensitive rate(s) without numerator and denominator could "
                        "not be checked and are shown")
    tables = _tables(out, code_col, group_by, places)
    if tables is None:
        if (reason != "").any():
            warnings.append("no place column and no group_by: complementary suppression was not applied")
    else:
        warnings += _complementary(reason, cell, sensitive, tables)
    hidden = reason != ""
    for col in [*values, "numerator", "denominator"]:
        if col in out.columns:
            out.loc[hidden, col] = np.nan
    out["suppressed"] = reason
    counts = {k: int((reason == k).sum()) for k in REASONS if (reason == k).any()}
    return out, DisclosureNotes(True, int(threshold), counts, tuple(warnings))


def _num(frame: pd.DataFrame, col: str) -> np.ndarray:
    if col not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)


def _unit(frame: pd.DataFrame, code_col: str, plan: Plan) -> pd.Series:
    known = frame[code_col].map(plan.units())
    if "unit" in frame.columns:
        known = known.where(known.notna(), frame["unit"])
    return known.fillna("").astype("str")


def _primary(frame: pd.DataFrame, value_col: str, sensitive: np.ndarray, is_count: np.ndarray, threshold: int,
             suppress_zero: bool) -> np.ndarray:
    low = 0 if suppress_zero else 1

    def small(x: np.ndarray) -> np.ndarray:
        return ~np.isnan(x) & (x >= low) & (x < threshold)

    reason = np.full(len(frame), "", dtype=object)
    reason[sensitive & ~is_count & small(_num(frame, "denominator"))] = "small_denominator"
    reason[sensitive & ~is_count & small(_num(frame, "numerator"))] = "small_numerator"
    reason[sensitive & is_count & small(_num(frame, value_col))] = "small_count"
    return reason


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
    """Membership of rows in tables: columns ``row``, ``table`` (a hashable id) and ``total`` (bool)."""
    if group_by is not None:
        missing = [c for c in group_by if c not in frame.columns]
        if missing:
            raise _bad("group_by", missing, "must name columns of the frame")
        ids = _joined(frame, list(group_by))
        return pd.DataFrame({"row": np.arange(len(frame)), "table": ids, "total": False})
    if "place" not in frame.columns:
        return None
    if places is None:
        from gender_monitor.reference import load_places

        places = load_places()
    # Harmonised totals carry a break or re-based label ("-2025", "-rebased") that their parts do not.
    base = frame.assign(series=frame["series"].astype(object).where(frame["series"].notna(), "").map(
        lambda s: _HARMONISED_LABEL.sub("", str(s)))) if "series" in frame.columns else frame
    key = _joined(base, [code_col, *[c for c in _KEY if c in frame.columns]])
    codes = frame["place"].astype(object).map(str).to_numpy()
    published = {f"{k}\x1e{c}" for k, c in zip(key, codes, strict=True)}
    years = frame["year"].to_numpy() if "year" in frame.columns else np.full(len(frame), -1)
    rows, ids, totals = [], [], []
    for i, (k, code, year) in enumerate(zip(key, codes, years, strict=True)):
        for parent in _containers(places, code):
            table_id = f"{k}\x1e{parent}"
            # A unit that did not exist that year has no total unless one was built (re-based) and is here.
            if table_id in published or year < 0 or existed_in(places[parent], int(year)):
                rows.append(i), ids.append(table_id), totals.append(False)
        rows.append(i), ids.append(f"{k}\x1e{code}"), totals.append(True)
    return pd.DataFrame({"row": rows, "table": ids, "total": totals})


def _joined(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """One text key per row from ``columns`` (missing values as empty text)."""
    parts = [frame[c].astype(object).where(frame[c].notna(), "").map(str).to_numpy() for c in columns]
    key = parts[0]
    for part in parts[1:]:
        key = key + "\x1f" + part
    return key


def _complementary(reason: np.ndarray, cell: np.ndarray, sensitive: np.ndarray, tables: pd.DataFrame,
                   ) -> list[str]:
    """Hide a second cell wherever a table holds exactly one hidden cell (in place); return warnings."""
    tables = tables[sensitive[tables["row"].to_numpy()]]
    warnings: list[str] = []
    for _ in range(len(reason) + 1):  # each pass hides at least one cell, so this bound is never reached
        hidden = reason[tables["row"].to_numpy()] != ""
        cells = tables.assign(hidden=hidden & ~tables["total"].to_numpy())
        lone = cells.groupby("table")["hidden"].sum()
        lone = set(lone.index[lone == 1])
        if not lone:
            break
        changed = False
        for table_id, members in cells[cells["table"].isin(lone)].groupby("table", sort=True):
            total = members[members["total"]]
            if not total.empty and reason[int(total["row"].iloc[0])] != "":
                continue  # the total is hidden too: the lone cell cannot be recovered by subtraction
            parts = members[~members["total"] & ~members["hidden"]]
            values = cell[parts["row"].to_numpy()]
            if np.isfinite(values).any():
                smallest = int(np.argmin(np.where(np.isfinite(values), values, np.inf)))
                reason[int(parts["row"].to_numpy()[smallest])] = "complementary"
                changed = True
            elif not total.empty:
                reason[int(total["row"].iloc[0])] = "complementary"
                changed = True
            else:
                name = table_id.replace("\x1f", " ").replace("\x1e", " in ")
                warnings.append(f"table {name!r} has one hidden cell and nothing else to hide: its "
                                "total must not be published")
        if not changed:
            break
    return list(dict.fromkeys(warnings))
