"""Any target, any series: targets given in a file (a district's, a department's, another province's).

A targets file is a CSV with the columns ``indicator, place, target_year, comparator, value`` and
optionally ``unit``, ``series`` (the measurement series to judge, when a place has several) and ``sex``
(``f`` or ``m`` for a target set for women or men, empty for both together); other columns, a note say, are
kept out of the judgement. ``comparator`` is one
of ``>``, ``>=``, ``<``, ``<=``, also written ``≥``, ``=>``, ``≤``, ``=<`` (the plan's own symbols), and
``=`` for a share kept at 100% or 0% and a yes/no target (``= 100`` for a share is ``>= 100``).
Each row is judged against the observed series of that indicator and
place with the same statuses and the same ``p_meet`` as the plan's targets
(:mod:`gender_monitor.judge.assessment`), on the series the plan would choose.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

import pandas as pd

from gender_monitor.core import clock, i18n
from gender_monitor.core.cells import restore
from gender_monitor.core.clock import FIRST_YEAR, LAST_YEAR
from gender_monitor.core.exceptions import Issue, ValidationError
from gender_monitor.core.units import RANGES, UNITS
from gender_monitor.data.observations import (
    SEXES,
    csv_records,
    first_not_utf8_line,
    issue,
    not_csv_text,
    other_separator,
    range_rule,
    read_value,
)
from gender_monitor.forecast import models, sampling
from gender_monitor.forecast.projection import COMPARATORS, project
from gender_monitor.judge import assessment
from gender_monitor.judge.messages import row_label
from gender_monitor.plan.reference import Places

REQUIRED = ("indicator", "place", "target_year", "comparator", "value")
#: Comparators as people write them (the plan's own symbols, arrows turned round) and the four they mean.
COMPARATOR_ALIASES = {"≥": ">=", "=>": ">=", "≤": "<=", "=<": "<="}
COLUMNS = ("indicator", "place", "sex", "target_year", "comparator", "target_value", "unit", "series", "part_series",
           "n_obs",
           "latest_value", "latest_year", "judged_on", "projected", "lo-80", "hi-80", "lo-95", "hi-95", "p_meet",
           "method", "status", "label_vi", "label_en", "illustrative")
#: What :func:`read_targets` returns, one row per target (``line``: where it stands in the file).
TARGET_COLUMNS = ["indicator", "place", "sex", "target_year", "comparator", "target_value", "unit", "series", "file",
                  "line"]


class TargetsError(ValidationError):
    """A targets file breaks a rule; ``issues`` lists every row."""


def _records(path: str | Path, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and every non-blank record with the line it begins on; a file that cannot be read as
    UTF-8 CSV, or that has a record over several lines (as observation files, a value stays on one line), is
    refused whole."""
    def refused(key: str, **values: object) -> TargetsError:
        return TargetsError([issue(name, None, None, None, key, **values)], "targets file")

    try:
        not_text = not_csv_text(path)
        if not_text is not None:
            raise TargetsError([not_text], "targets file")
        with open(path, encoding="utf-8-sig", newline="") as fh:
            records = []
            # Read as an observation file is: a quote never closed, a record over several lines, a NUL byte
            # are named at the line the record begins on.
            for begin, row, fault in csv_records(fh, name, count_lines=False):
                if fault is not None:
                    raise TargetsError([fault], "targets file")
                records.append((begin, row))
    except FileNotFoundError:
        raise refused("not_found") from None
    except UnicodeDecodeError:
        # Named at the line of its first byte that is not UTF-8, as an observation file is.
        raise TargetsError([issue(name, first_not_utf8_line(path), None, None, "not_utf8")], "targets file") from None
    # Any other failure of the system (a folder, no permission) is said by the command line's
    # os_message, as for every file the suite reads.
    records = [(line, row) for line, row in records if any(cell.strip() for cell in row)]
    if not records:
        raise TargetsError([issue(name, None, None, None, "empty_file")], "targets file")
    return [h.strip() for h in records[0][1]], records[1:]


def read_targets(path: str | Path, *, units: Mapping[str, str] | None = None,
                 places: Collection[str] | None = None) -> pd.DataFrame:
    """Read and check a targets file; every broken rule is reported at once (file, line, column), in
    Vietnamese and English, and nothing is judged until the file is right.

    ``units`` are the plan's units: a row's ``unit`` may be left empty for a plan indicator and must
    agree with the plan when given. ``places`` (the places table's codes), when given, are the places a
    target may be set for: a typo would otherwise be judged "no data" for ever. Values are read as in an
    observation file (a decimal comma is read, ``1,050`` and ``2e3`` are refused) and must lie in their
    unit's range; a target year lies between :data:`FIRST_YEAR` and :data:`LAST_YEAR`; a target (indicator,
    place, year, comparator) is given once.
    """
    name = str(path)
    header, records = _records(path, name)
    separator = other_separator(header, name)
    if separator is not None:
        raise TargetsError([separator], "targets file")
    issues: list[Issue] = []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        issues.append(issue(name, 1, ",".join(missing), None, "missing_columns"))
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        issues.append(issue(name, 1, ",".join(twice), None, "column_twice"))
    if not records:
        issues.append(issue(name, None, None, None, "no_targets"))
    if issues:
        raise TargetsError(issues, "targets file")
    units = dict(units or {})
    rows: list[dict[str, object]] = []
    seen: dict[tuple[str, str, int, str], int] = {}
    for line, cells in records:
        if len(cells) != len(header):
            issues.append(issue(name, line, None, len(cells), "width", fields=len(cells), width=len(header)))
            continue
        rec = {c: cells[header.index(c)].strip() if c in header else "" for c in (*REQUIRED, "unit", "series", "sex")}
        bad = len(issues)

        def refuse(column: str, key: str, /, **values: object) -> None:
            issues.append(issue(name, line, column, rec[column], key, **values))

        for c in ("indicator", "place"):
            if not rec[c]:
                refuse(c, "required")
        if places is not None and rec["place"] and rec["place"] not in places:
            refuse("place", "unknown_place")
        sex = rec["sex"].lower()
        if sex not in SEXES:
            refuse("sex", "sex")
        year, _ = read_value(rec["target_year"], None)
        if year is None or year != int(year):
            refuse("target_year", "whole_year")
        elif not FIRST_YEAR <= year <= LAST_YEAR:
            refuse("target_year", "target_year_range", first=FIRST_YEAR, last=LAST_YEAR)
        rec["comparator"] = _comparator(rec["comparator"])
        if rec["comparator"] in ("~", "≈"):
            refuse("comparator", "comparator_approx")
        elif rec["comparator"] not in (*COMPARATORS, "="):
            refuse("comparator", "comparator", comparators=", ".join([*COMPARATORS, *COMPARATOR_ALIASES, "="]))
        unit = rec["unit"] or units.get(rec["indicator"], "")
        if rec["unit"] and rec["indicator"] in units and rec["unit"] != units[rec["indicator"]]:
            refuse("unit", "unit_mismatch", indicator=rec["indicator"], unit=units[rec["indicator"]])
            unit = ""  # the value is read, not ranged by a unit the row gives wrongly (one error, the unit's)
        elif unit and unit not in UNITS:
            issues.append(issue(name, line, "unit", unit, "unknown_unit", units=", ".join(UNITS)))
            unit = ""
        value, broken = read_value(rec["value"], unit or None)
        if broken is not None:
            refuse("value", broken)
        elif unit and (outside := range_rule(value, unit)) is not None:  # type: ignore[arg-type]
            refuse("value", outside[0], **outside[1])
        if len(issues) > bad:
            continue
        if rec["comparator"] == "=":  # a share kept at 100% (or 0%), a yes/no kept at yes (or no); nothing else
            lo, hi = RANGES[unit] if unit in ("percent", "yes_no") else (None, None)
            if hi is not None and value == hi:
                rec["comparator"] = ">="
            elif lo is not None and value == lo:
                rec["comparator"] = "<="
            else:
                refuse("comparator", "comparator_equal")
                continue
        key = (rec["indicator"], rec["place"], sex, rec["series"], int(year), rec["comparator"])  # type: ignore[arg-type]
        if key in seen:
            refuse("target_year", "target_twice", first=seen[key])
            continue
        seen[key] = line
        rows.append({"indicator": rec["indicator"], "place": rec["place"], "sex": sex,
                     "target_year": int(year),  # type: ignore[arg-type]
                     "comparator": rec["comparator"], "target_value": value, "unit": unit, "series": rec["series"],
                     "file": name,
                     "line": line})
    if issues:
        raise TargetsError(issues, "targets file")
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def _comparator(text: str) -> str:
    """A comparator as written (``≥``, ``=>``, ``> =``, the ``'=`` a CSV export guards) as one of the file's."""
    said = str(restore(text)).replace(" ", "")
    return COMPARATOR_ALIASES.get(said, said)


def _meets(x: float, comparator: str, value: float) -> bool:
    return {">": x > value, ">=": x >= value, "<": x < value, "<=": x <= value}[comparator]


def _series(obs: pd.DataFrame, indicator: str, place: str, as_of: int | None,
            series: str = "", sex: str = "") -> assessment.Series | None:
    """The yearly series of one indicator, place and sex (``""``: both together) that the plan's assessment
    would judge (:func:`assessment.choose_series`: the one with the latest data, never two mixed); the series
    named by the targets file's ``series`` column when it has one. Women's values are never judged against a
    target for both sexes, nor the reverse."""
    here = obs[(obs["indicator"].astype(str) == indicator) & (obs["place"].astype(str) == place)]
    if "sex" in here.columns:
        here = here[here["sex"].fillna("").astype(str) == sex].assign(sex="")
    elif sex:
        here = here.iloc[:0]
    if series:
        here = here[here["series"].fillna("").astype(str) == series] if "series" in here.columns else here.iloc[:0]
    if "quarter" in here.columns:
        here = here[here["quarter"].isna()]
    if as_of is not None:
        here = here[here["year"].astype(int) <= as_of]
    return assessment.choose_series(here, indicator)


def _unit_of(s: assessment.Series) -> str:
    return str(s.frame["unit"].iloc[-1]) if "unit" in s.frame.columns else ""


def _check_units(targets: pd.DataFrame, chosen: list[assessment.Series | None]) -> None:
    """Refuse targets whose unit differs from the unit of the series they would be judged on (``chosen``,
    one per target; a share target against counts would otherwise be judged on numbers of another
    kind), naming the line of the targets file and where the observed values come from."""
    issues = []
    for t, s in zip(targets.itertuples(index=False), chosen, strict=True):
        if s is None or not t.unit or _unit_of(s) in ("", t.unit):
            continue
        last = s.frame.iloc[-1]
        where = f"{last['file']}:{last['line']}" if {"file", "line"} <= set(s.frame.columns) else "observations"
        issues.append(issue(t.file, t.line, "unit", t.unit, "target_unit_observed", indicator=t.indicator,
                            place=t.place, unit=_unit_of(s), where=where))
    if issues:
        raise TargetsError(issues, "targets file")


def _by_chance(row: pd.Series, unit: str, comparator: str, value: float) -> bool:
    """Whether a value computed from counts (its numerator and denominator) meets a target or misses it only
    by the chance of its counts: its 95% sampling interval has values on both sides (the plan's rule)."""
    interval = sampling.observed_interval(unit, row.get("numerator"), row.get("denominator"))
    return assessment.straddles(interval, lambda v: _meets(v, comparator, value))


def assess_targets(obs: pd.DataFrame, targets: pd.DataFrame, *, as_of: int | None = None,
                   places: Places | None = None, complete_counts: Collection[str] = ()) -> pd.DataFrame:
    """Judge every row of ``targets`` (from :func:`read_targets`) against ``obs``.

    Statuses are those of the plan's targets: a value observed in the target year is ``met`` or
    ``not_met``; a target already met by the latest value is ``met`` while its year is still ahead of
    ``as_of`` (UN DESA rule; ``p_meet`` says how likely it holds); otherwise the projection's probability gives ``likely`` (≥
    :data:`~gender_monitor.judge.assessment.LIKELY`), ``unlikely`` (≤ ``UNLIKELY``) or
    ``too_close``; a series too short to project is ``insufficient_data``, no series ``no_data``. A
    yes/no target is not projected: like a milestone of the plan it is ``met`` once the latest value
    meets it and ``not_met`` until then. Observations after ``as_of`` are ignored; ``illustrative``
    says the series holds invented values. With ``places``, a target of a place that no longer exists at the
    end of its year (a district abolished on 1 July 2025, for 2030) is ``not_applicable``, as in the plan's
    assessment. As there too, a value computed from counts whose 95% sampling interval straddles the target
    is ``too_close`` in its own year and is not "met already" before it (the projection judges it); the
    indicators of ``complete_counts`` count every unit (every agency), so their values are exact.
    """
    today = as_of if as_of is not None else clock.today().year
    chosen = [_series(obs, t.indicator, t.place, as_of, getattr(t, "series", "") or "", getattr(t, "sex", "") or "")
              for t in targets.itertuples(index=False)]
    _check_units(targets, chosen)
    out = []
    for t, s in zip(targets.itertuples(index=False), chosen, strict=True):
        row = {"indicator": t.indicator, "place": t.place, "sex": getattr(t, "sex", "") or "",
               "target_year": int(t.target_year),
               "comparator": t.comparator, "target_value": float(t.target_value), "unit": t.unit,
               "series": getattr(t, "series", "") or ""}
        gone = places is not None and t.place in places and not places[t.place].applicable_in(int(t.target_year))
        if s is None:
            out.append(row | {"status": "not_applicable" if gone else "no_data", "n_obs": 0})
            continue
        unit = t.unit or _unit_of(s)
        years, values = s.years, s.values
        # What the files hold, said for every target, one not applicable too (the place's series still exists).
        row |= {"unit": unit, "series": s.series, "n_obs": len(values), "latest_value": float(values[-1]),
                "latest_year": int(years[-1]),
                "illustrative": bool((s.frame["status"] == "illustrative").any()) if "status" in s.frame else False}
        if gone:
            out.append(row | {"status": "not_applicable"})
            continue
        # Values with no chance to them: counts of every unit, yes/no, and a share to keep at 100% (or 0%) of
        # its units, which is a fact about each unit, not a sample (10 of 10 victims supported is 100%).
        exact = (t.indicator in complete_counts or unit == "yes_no"
                 or (unit == "percent" and (float(t.target_value), t.comparator) in ((100.0, ">="), (0.0, "<="))))
        # The target year's own value, else the value of part of that year the plan's assessment falls back
        # on (the new communes' last two quarters of 2025), named in ``part_series``.
        at, part = s.at_year(int(t.target_year))
        if not at.empty:
            x = float(at["value"].iloc[-1])
            if part is not None and "status" in at.columns:
                row["illustrative"] = row["illustrative"] or bool((at["status"] == "illustrative").any())
            status = ("too_close" if not exact and _by_chance(at.iloc[-1], unit, t.comparator, t.target_value)
                      else "met" if _meets(x, t.comparator, t.target_value) else "not_met")
            out.append(row | {"judged_on": "data", "projected": x, "part_series": part or "", "status": status})
            continue
        if t.target_year <= years[-1]:
            out.append(row | {"status": "no_data"})
            continue
        fc = pd.DataFrame()
        if unit in models.UNIT_SCALE:
            frame = s.frame.assign(sex="", series="")
            result = project(frame, until=int(t.target_year), units={t.indicator: unit})
            fc = result.forecasts[result.forecasts["year"] == t.target_year]
        if not fc.empty:
            f = fc.iloc[0]
            # As the plan's assessment: a 100% share of a known number of units is met when every unit is.
            threshold = assessment.all_units_threshold(float(t.target_value), t.comparator, unit,
                                                       s.frame.iloc[-1].get("denominator"))
            p = float(result.p_meet(threshold, t.comparator).loc[fc.index[0]])
            row |= {"judged_on": "projection", "projected": float(f["median"]), "p_meet": p, "method": f["method"],
                    **{k: float(f[k]) for k in ("lo-80", "hi-80", "lo-95", "hi-95")}}
        ahead = unit == "yes_no" or t.target_year > today
        chance = not exact and _by_chance(s.frame.iloc[-1], unit, t.comparator, t.target_value)
        if _meets(float(values[-1]), t.comparator, t.target_value) and ahead and not chance:
            # Met already and the target year still ahead: "đạt" (the plan's rule); a target year gone by
            # without a value of its own is not met by an older one, its projection says how likely.
            out.append(row | {"judged_on": "latest", "status": "met"})
        elif unit == "yes_no":
            out.append(row | {"judged_on": "latest", "status": "not_met"})
        elif fc.empty:
            out.append(row | {"status": "insufficient_data"})
        else:
            out.append(row | {"status": assessment.status_of(row["p_meet"])})
    table = pd.DataFrame(out).reindex(columns=list(COLUMNS))
    # A target year already reached reads in end words ("không đạt"), as the plan's assessment says it.
    for lang in i18n.LANGUAGES:
        table[f"label_{lang}"] = [row_label(r, lang, today) for _, r in table.iterrows()]
    table["illustrative"] = table["illustrative"].astype("boolean").fillna(False).astype(bool)
    table["part_series"] = table["part_series"].astype(object).fillna("")
    return table
