"""The one observation format: reading, checking every rule, and reporting every error of a file at once."""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gender_monitor.core import paths
from gender_monitor.core.exceptions import Issue, ObservationError
from gender_monitor.plan.reference import Places
from gender_monitor.plan.registry import UNITS, Plan

#: Columns of the format, in order. The first four are required.
COLUMNS: list[str] = ["indicator", "place", "year", "value", "quarter", "sex", "numerator", "denominator",
                      "unit", "source", "status", "note", "series"]
REQUIRED: list[str] = COLUMNS[:4]
#: Columns a loaded frame adds, for provenance.
PROVENANCE: list[str] = ["file", "line"]
#: The key of one value: two rows with the same key and different values conflict.
KEY: list[str] = ["indicator", "place", "year", "quarter", "sex", "series"]
STATUSES: tuple[str, ...] = ("official", "preliminary", "estimate", "illustrative")
SEXES: tuple[str, ...] = ("", "f", "m")
#: Which value wins when two files give the same key with different statuses (higher wins).
STATUS_RANK: dict[str, int] = {"illustrative": 0, "estimate": 1, "preliminary": 2, "official": 3}

#: Plausible range of a value, per unit (inclusive). The sex ratio at birth band is wide on purpose:
#: a province's yearly SRB from ~12,000 births moves ±4 by chance alone around values up to ~115.
RANGES: dict[str, tuple[float, float]] = {
    "percent": (0.0, 100.0),
    "per_100": (90.0, 130.0),
    "per_1000": (0.0, 1000.0),
    "per_100000": (0.0, 100000.0),
    "ratio": (0.0, 20.0),
    "count": (0.0, math.inf),
    "yes_no": (0.0, 1.0),
}
#: Value implied by numerator and denominator, per unit (per_100 is boys per 100 girls).
SCALE: dict[str, float] = {"percent": 100.0, "per_100": 100.0, "per_1000": 1000.0, "per_100000": 100000.0}
#: A number with a comma before exactly three digits ("1,050"): thousands or decimals, undecidable.
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+$")
#: Units whose numerator is part of the denominator (so numerator ≤ denominator).
SHARE_UNITS = ("percent", "per_1000", "per_100000")


@dataclass(frozen=True)
class Catalogue:
    """What the checker needs to know: indicator units and frequencies, and the places."""

    units: Mapping[str, str]
    quarterly: frozenset[str] = frozenset()
    places: Places | None = None

    @classmethod
    def from_plan(cls, plan: Plan, places: Places | None = None) -> Catalogue:
        quarterly = {i.code for i in plan.inputs if i.frequency == "quarterly"}
        return cls(units=plan.units(), quarterly=frozenset(quarterly), places=places)


#: Largest field the reader accepts (characters): a note is a sentence, a megabyte of text is a broken file.
FIELD_LIMIT = 64 * 1024
#: Largest CSV the reader accepts (bytes); larger files are split by year or agency before loading.
FILE_LIMIT = 2 * 1024**3


def read_observation_csv(path: str | Path) -> tuple[pd.DataFrame, list[Issue]]:
    """Read one CSV as text, keeping line numbers; header problems come back as issues.

    Nothing is lost silently: a quoted field may not run over a line end (an unclosed ``"`` would
    otherwise swallow every following row), and the physical lines of the file are counted against
    the records read. A broken file is refused whole with the line where the fault began.
    """
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
        if size > FILE_LIMIT:
            return _empty(), [Issue(source, None, None, size, f"file larger than {FILE_LIMIT // 1024**3} GB; "
                                    "split it (by year or agency) before loading")]
        with path.open("rb") as fh:
            head = fh.read(4)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return _empty(), [Issue(source, None, None, None, "saved as UTF-16 (Excel's 'Unicode text'); save it "
                                    "as 'CSV UTF-8 (comma delimited)'")]
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header, columns, lines, issues = _read_records(fh, source)
    except FileNotFoundError:
        return _empty(), [Issue(source, None, None, None, "file not found")]
    except UnicodeDecodeError as exc:
        return _empty(), [Issue(source, None, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start}); "
                                "save it as 'CSV UTF-8 (comma delimited)'")]
    if header is None:
        return _empty(), issues or [Issue(source, 1, None, None, "file is empty (a header row is required)")]
    if issues:
        return _empty(), issues
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        issues.append(Issue(source, 1, ",".join(missing), None, "required column(s) missing from the header"))
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        issues.append(Issue(source, 1, ",".join(unknown), None,
                            f"unknown column(s); the format has: {', '.join(COLUMNS)}"))
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        issues.append(Issue(source, 1, ",".join(dupes), None, "column named twice in the header"))
    if issues:
        return _empty(), issues
    width = len(header)
    keep = [i for i, row in enumerate(columns) if len(row) == width]
    for i, row in enumerate(columns):
        if len(row) != width:
            issues.append(Issue(source, lines[i], None, len(row), f"row has {len(row)} fields, the header has {width}"))
    if not keep:
        return _empty(), issues
    data = {c: [""] * len(keep) for c in COLUMNS}
    for j, h in enumerate(header):
        data[h] = [columns[i][j].strip() for i in keep]
    frame = pd.DataFrame(data, columns=COLUMNS)
    frame["file"] = source
    frame["line"] = [lines[i] for i in keep]
    return frame, issues


def _read_records(fh, source: str) -> tuple[list[str] | None, list[list[str]], list[int], list[Issue]]:
    """The header, the non-blank records and the line each began on, or the issue that stops reading."""
    old_limit = csv.field_size_limit()
    csv.field_size_limit(FIELD_LIMIT)
    try:
        reader = csv.reader(fh, strict=True)
        header: list[str] | None = None
        rows: list[list[str]] = []
        starts: list[int] = []
        last = 0  # physical lines read so far
        while True:
            begin = last + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                return header, [], [], [_broken(source, begin, reader.line_num, str(exc))]
            span, last = reader.line_num - last, reader.line_num
            if span > 1:
                return header, [], [], [Issue(
                    source, begin, None, None,
                    f"a quoted field opened on line {begin} runs over {span} lines (to line {last}): a closing "
                    'quote (") is probably missing; a value or note must stay on one line')]
            if header is None:
                header = [h.strip() for h in row]
            elif any(cell.strip() for cell in row):
                rows.append(row)
                starts.append(begin)
        physical = _count_lines(fh.name)
        if physical != last:
            return header, [], [], [Issue(source, None, None, None, f"{physical} lines in the file but {last} read "
                                          "as records: the file's quoting or line ends are broken")]
        return header, rows, starts, []
    finally:
        csv.field_size_limit(old_limit)


def _count_lines(path: str) -> int:
    """Physical lines of a file (``\\n``, ``\\r\\n`` or a lone ``\\r`` ends one), counted in the bytes."""
    lines, previous, last = 0, b"", b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            lines += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
            if previous == b"\r" and chunk[:1] == b"\n":
                lines -= 1
            previous = last = chunk[-1:]
    return lines + (last not in (b"", b"\n", b"\r"))


def _broken(source: str, begin: int, end: int, message: str) -> Issue:
    """The csv module's error as a rule an agency can act on, at the line where the record began."""
    if "field larger than field limit" in message:
        return Issue(source, begin, None, None, f"a field longer than {FIELD_LIMIT // 1024} KiB (from line {begin}): "
                     'a closing quote (") is probably missing, or a cell holds far more than a value or note')
    if "unexpected end of data" in message or "EOF" in message:
        return Issue(source, begin, None, None, f'a quoted field opened on line {begin} is never closed: add the '
                     'closing quote (")')
    if "NUL" in message:
        return Issue(source, end, None, None, "the line holds a NUL byte: this is not a text CSV file")
    return Issue(source, begin, None, None, f"broken quoting on line {begin} ({message}): a quote inside a "
                 'field must be doubled ("") and the field quoted')


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in COLUMNS + PROVENANCE})


def _number(text: str) -> float | None:
    try:
        x = float(text)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def check_frame(raw: pd.DataFrame, catalogue: Catalogue, *, allow_unknown_indicators: bool = False,
                ) -> tuple[pd.DataFrame, list[Issue]]:
    """Check every row of a text frame against every rule.

    Returns the rows that passed, typed, and the list of issues (errors and warnings). A row with an
    error is left out; nothing else is: the caller decides whether to refuse the file or keep the
    valid rows (ingestion quarantines the bad ones).
    """
    issues: list[Issue] = []
    good: list[dict[str, object]] = []
    seen: dict[tuple, int] = {}  # key -> index in `good`
    for rec in raw.to_dict("records"):
        row_issues: list[Issue] = []
        src, line = str(rec.get("file", "")), int(rec.get("line") or 0) or None

        def bad(column: str, value: object, rule: str, severity: str = "error") -> None:
            row_issues.append(Issue(src, line, column, value, rule, severity))

        out: dict[str, object] = {c: rec.get(c, "") for c in COLUMNS + PROVENANCE}
        ind = str(rec["indicator"])
        unit_given = str(rec["unit"])
        if unit_given and unit_given not in UNITS:
            bad("unit", unit_given, f"unknown unit; use one of {', '.join(UNITS)}")
        unit = catalogue.units.get(ind)
        if not ind:
            bad("indicator", ind, "required")
        elif unit is None:
            if allow_unknown_indicators and unit_given in UNITS:
                unit = unit_given
            elif allow_unknown_indicators:
                bad("indicator", ind, "indicator is not in the plan: give its unit in the `unit` column")
            else:
                bad("indicator", ind, "unknown indicator code (not a target or input of the plan)")
        elif unit_given and unit_given in UNITS and unit_given != unit:
            bad("unit", unit_given, f"unit does not match the plan's unit for {ind} ({unit})")
        out["unit"] = unit or unit_given

        place = str(rec["place"])
        if not place:
            bad("place", place, "required")
        elif catalogue.places is not None and place not in catalogue.places:
            bad("place", place, "unknown place code (see data/reference/places.csv)")

        year_text = str(rec["year"])
        year = None
        if not year_text:
            bad("year", year_text, "required")
        else:
            y = _number(year_text)
            if y is None or y != int(y):
                bad("year", year_text, "must be a whole number (a calendar year)")
            elif not 1950 <= y <= 2100:
                bad("year", year_text, "must be a calendar year between 1950 and 2100")
            else:
                year = int(y)
        if year is not None and catalogue.places is not None and place in catalogue.places:
            p = catalogue.places[place]
            if p.valid_from is not None and year < p.valid_from.year:
                bad("year", year, f"{place} exists only from {p.valid_from.isoformat()}")
            if p.valid_to is not None and year > p.valid_to.year and p.after_end != "territory":
                bad("year", year, f"{place} ended on {p.valid_to.isoformat()}; report for its successor "
                                  f"({', '.join(p.successors) or 'none'})")
        out["year"] = year

        quarter_text = str(rec["quarter"])
        quarter = None
        if quarter_text:
            q = _number(quarter_text)
            if q is None or q not in (1, 2, 3, 4):
                bad("quarter", quarter_text, "must be 1, 2, 3 or 4 (or empty for a yearly value)")
            else:
                quarter = int(q)
        elif ind in catalogue.quarterly:
            bad("quarter", quarter_text, f"{ind} is reported per quarter: quarter is required")
        out["quarter"] = quarter

        sex = str(rec["sex"]).lower()
        if sex not in SEXES:
            bad("sex", rec["sex"], "must be f, m or empty")
        out["sex"] = sex

        status = str(rec["status"]) or "official"
        if status not in STATUSES:
            bad("status", rec["status"], f"must be one of {', '.join(STATUSES)}")
        out["status"] = status

        value_text = str(rec["value"])
        value = None
        if not value_text:
            bad("value", value_text, "required")
        elif _THOUSANDS.match(value_text):
            # "1,050" is a thousand and fifty in English and one point zero five in Vietnamese:
            # refuse to guess.
            bad("value", value_text, "ambiguous number: a comma before three digits may separate thousands "
                                     "or decimals; write 1050 or 1.05")
        else:
            value = _number(value_text.replace(",", ".") if value_text.count(",") == 1 and "." not in value_text
                            else value_text)
            if value is None:
                bad("value", value_text, "must be a number (use a dot for decimals)")
        counts = {}
        for col in ("numerator", "denominator"):
            text = str(rec[col])
            counts[col] = None
            if text:
                n = _number(text)
                if n is None or n < 0 or n != int(n):
                    bad(col, text, "must be a non-negative whole number (a count)")
                else:
                    counts[col] = n
        num, den = counts["numerator"], counts["denominator"]
        if value is not None and unit in RANGES:
            lo, hi = RANGES[unit]
            if not lo <= value <= hi:
                rule = {"per_100": "a sex ratio at birth must lie in the plausible band 90–130 boys per 100 girls",
                        "count": "a count must not be negative"}.get(unit, f"{unit} must lie between {lo:g} and {hi:g}")
                bad("value", value_text, rule)
            elif unit == "count" and value != int(value):
                bad("value", value_text, "a count must be a whole number")
            elif unit == "yes_no" and value not in (0, 1):
                bad("value", value_text, "a yes/no value must be 0 or 1")
            elif unit == "ratio" and value <= 0:
                bad("value", value_text, "a ratio must be positive")
        if bool(rec["numerator"]) != bool(rec["denominator"]):
            missing = "numerator" if not rec["numerator"] else "denominator"
            bad(missing, "", "numerator and denominator go together")
        elif num is not None and den is not None:
            if den == 0:
                bad("denominator", den, "must be positive")
            elif unit in SHARE_UNITS and num > den:
                bad("numerator", num, f"numerator ({num:g}) must not exceed denominator ({den:g}) for a share")
            elif unit in SCALE and value is not None:
                implied = SCALE[unit] * num / den
                # Agencies publish rounded values (often whole numbers): allow half a unit or 0.5%.
                if abs(implied - value) > max(0.5, abs(implied) * 0.005):
                    bad("value", value_text, f"does not agree with numerator/denominator "
                                             f"({num:g}/{den:g} gives {implied:.2f})")
        out["value"] = value
        out["numerator"], out["denominator"] = num, den
        out["series"] = str(rec["series"])
        out["line"] = line

        if not any(i.severity == "error" for i in row_issues):
            key = (ind, place, year, quarter, sex, out["series"])
            prev = seen.get(key)
            if prev is None:
                seen[key] = len(good)
                good.append(out)
            else:
                kept = good[prev]
                where = f"{kept['file']}:{kept['line']}"
                rank_new, rank_old = STATUS_RANK[status], STATUS_RANK[str(kept["status"])]
                if rank_new != rank_old:
                    # An agency's official figure replaces an illustrative or estimated one for the same
                    # key: nothing is lost (both files stay), and `check` says which value is used.
                    winner, loser = (out, kept) if rank_new > rank_old else (kept, out)
                    good[prev] = winner
                    bad("value", value_text, f"{loser['status']} value at {loser['file']}:{loser['line']} is "
                                             f"superseded by the {winner['status']} value at "
                                             f"{winner['file']}:{winner['line']}", "warning")
                elif abs(float(kept["value"]) - float(value)) > 1e-9:  # type: ignore[arg-type]
                    bad("value", value_text, f"conflicts with {where} (value {float(kept['value']):g}) for the "
                                             "same indicator, place, year, quarter, sex and series")
                else:
                    bad("value", value_text, f"duplicate of {where}; kept once", "warning")
        issues.extend(row_issues)
    return typed(pd.DataFrame(good, columns=COLUMNS + PROVENANCE)), issues


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The column types of a loaded observation frame, columns in the format's order.

    Every frame of observations the library makes (loaded, harmonised, derived) goes through this so
    that frames concatenate without changing types.
    """
    frame = frame.copy()
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    frame["quarter"] = frame["quarter"].astype("Int64")
    for col in ("numerator", "denominator"):
        frame[col] = frame[col].astype("float64")
    frame["line"] = frame["line"].astype("Int64")
    for col in ("indicator", "place", "sex", "unit", "source", "status", "note", "series", "file"):
        frame[col] = frame[col].fillna("").astype("str")
    return frame[COLUMNS + PROVENANCE]


def numeric_column(frame: pd.DataFrame, col: str) -> np.ndarray:
    """A column as floats (NaN where missing or not a number); all NaN when the column is absent."""
    if col not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)


def units_of(frame: pd.DataFrame, plan: Plan, code_col: str = "indicator") -> pd.Series:
    """Each row's unit: the registry's for a plan code, else the row's own ``unit`` ("" when neither)."""
    known = frame[code_col].map(plan.units())
    if "unit" in frame.columns:
        known = known.where(known.notna(), frame["unit"])
    return known.fillna("").astype("str")


def empty_observations() -> pd.DataFrame:
    """A typed observation frame with no rows."""
    return typed(_empty())


#: Folders of ``data/`` that hold no observations (reference tables, back-test panels, rejected cells).
NOT_OBSERVATION_DIRS = frozenset({"reference", "panels", "quarantine"})
#: Files elsewhere in ``data/`` that are logs, not observations.
NOT_OBSERVATION_FILES = frozenset({"revisions.csv"})


def default_observation_files(data_dir: str | Path | None = None) -> list[Path]:
    """Every observation CSV bundled in ``data/``.

    Every CSV outside the reference, panel and quarantine folders is an observation file (the revision
    log excepted): one whose header is wrong is read, and refused with an error naming its header,
    never passed over in silence.
    """
    root = Path(data_dir) if data_dir is not None else paths.data_dir()
    files = []
    for path in sorted(root.rglob("*.csv")):
        rel = path.relative_to(root)
        if (rel.parts and rel.parts[0] in NOT_OBSERVATION_DIRS) or path.name in NOT_OBSERVATION_FILES:
            continue
        files.append(path)
    return files


def load_observations(files: Iterable[str | Path] | None = None, *, plan: Plan | None = None,
                      places: Places | None = None, allow_unknown_indicators: bool = False,
                      ) -> pd.DataFrame:
    """Load observation files into one tidy frame, refusing them if any rule is broken.

    Parameters
    ----------
    files
        CSV files in the observation format; all bundled observation files when omitted.
    plan, places
        The registry and the places table; loaded from the repository when omitted.
    allow_unknown_indicators
        Accept indicators that are not in the plan when their row carries a ``unit``.

    Raises
    ------
    ObservationError
        Listing every error of every file (file, line, column, value, rule).

    Notes
    -----
    Duplicates across files are checked too: the same key with two values is a conflict even when the
    two rows sit in different files.
    """
    frame, issues = check_observations(files, plan=plan, places=places,
                                       allow_unknown_indicators=allow_unknown_indicators)
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise ObservationError(issues, "observations")
    return frame


def check_observations(files: Iterable[str | Path] | None = None, *, plan: Plan | None = None,
                       places: Places | None = None, allow_unknown_indicators: bool = False,
                       ) -> tuple[pd.DataFrame, list[Issue]]:
    """Like :func:`load_observations` but returns the valid rows and every issue instead of raising."""
    from gender_monitor.plan.reference import load_places
    from gender_monitor.plan.registry import load_plan

    plan = plan if plan is not None else load_plan()
    places = places if places is not None else load_places()
    catalogue = Catalogue.from_plan(plan, places)
    paths_ = [Path(f) for f in files] if files is not None else default_observation_files()
    raws, issues = [], []
    for path in paths_:
        raw, errs = read_observation_csv(path)
        issues += errs
        raws.append(raw)
    raw = pd.concat(raws, ignore_index=True) if raws else _empty()
    frame, row_issues = check_frame(raw, catalogue, allow_unknown_indicators=allow_unknown_indicators)
    return frame, issues + row_issues


def coverage(frame: pd.DataFrame, *, since: int | None = None) -> pd.DataFrame:
    """Number of values per indicator (rows) and year (columns), all places together.

    Years before ``since`` are summed into one column ``<since`` so the table stays readable.
    """
    if frame.empty:
        return pd.DataFrame()
    table = frame.pivot_table(index="indicator", columns="year", values="value", aggfunc="count", fill_value=0)
    if since is not None and (table.columns < since).any():
        early = table.loc[:, table.columns < since].sum(axis=1)
        table = table.loc[:, table.columns >= since]
        table.insert(0, f"<{since}", early)
    return table
