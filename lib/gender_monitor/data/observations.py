"""The one observation format: reading, checking every rule, and reporting every error of a file at once."""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gender_monitor.core import paths
from gender_monitor.core.exceptions import Issue, ObservationError
from gender_monitor.core.units import RANGES, SCALE, SHARE_UNITS, UNITS
from gender_monitor.plan.reference import Places
from gender_monitor.plan.registry import Plan

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

#: Series label of a value re-based onto a unit's territory for a year before the unit existed.
REBASED_SUFFIX = "-rebased"
#: Events from which a plausibility band (not a hard bound) applies: a sex ratio at birth from fewer
#: births moves by chance alone beyond 90–130 (35 boys and 40 girls give 87.5; the standard error of an
#: SRB near 105 is about 217/√births, ±25 at 75 births, ±4.9 at 2,000). Below it a value outside the band
#: is a warning: a small area's value is data, its interval shows the noise.
BAND_FROM_EVENTS: dict[str, int] = {"per_100": 2000}
#: A number with a comma before exactly three digits ("1,050"): thousands or decimals, undecidable.
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+$")


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


@dataclass
class _Row:
    """One row being checked: its text cells, the values parsed so far and the issues found."""

    rec: Mapping[str, object]
    catalogue: Catalogue
    allow_unknown: bool
    src: str
    line: int | None
    out: dict[str, object]
    issues: list[Issue]
    unit: str | None = None

    def text(self, column: str) -> str:
        return str(self.rec.get(column, ""))

    def bad(self, column: str, value: object, rule: str, severity: str = "error") -> None:
        self.issues.append(Issue(self.src, self.line, column, value, rule, severity))


def _rule_indicator_and_unit(r: _Row) -> None:
    """The indicator is known (or carries its unit when unknown ones are allowed); the unit matches."""
    ind, given = r.text("indicator"), r.text("unit")
    if given and given not in UNITS:
        r.bad("unit", given, f"unknown unit; use one of {', '.join(UNITS)}")
    unit = r.catalogue.units.get(ind)
    if not ind:
        r.bad("indicator", ind, "required")
    elif unit is None and r.allow_unknown and given in UNITS:
        unit = given
    elif unit is None and r.allow_unknown:
        r.bad("indicator", ind, "indicator is not in the plan: give its unit in the `unit` column")
    elif unit is None:
        r.bad("indicator", ind, "unknown indicator code (not a target or input of the plan)")
    elif given in UNITS and given != unit:
        r.bad("unit", given, f"unit does not match the plan's unit for {ind} ({unit})")
    r.unit = unit
    r.out["unit"] = unit or given


def _rule_place(r: _Row) -> None:
    place, places = r.text("place"), r.catalogue.places
    if not place:
        r.bad("place", place, "required")
    elif places is not None and place not in places:
        r.bad("place", place, "unknown place code (see data/reference/places.csv)")


def _rule_year(r: _Row) -> None:
    text, year = r.text("year"), None
    y = _number(text) if text else None
    if not text:
        r.bad("year", text, "required")
    elif y is None or y != int(y):
        r.bad("year", text, "must be a whole number (a calendar year)")
    elif not 1950 <= y <= 2100:
        r.bad("year", text, "must be a calendar year between 1950 and 2100")
    else:
        year = int(y)
    r.out["year"] = year


def _rule_place_in_time(r: _Row) -> None:
    """The place existed in the year; a history re-based on its territory (``-rebased``) may go earlier,
    and an old province tracked by its territory goes on after it ended."""
    place, year, places = r.text("place"), r.out["year"], r.catalogue.places
    if year is None or places is None or place not in places:
        return
    p = places[place]
    rebased = r.text("series").endswith(REBASED_SUFFIX)
    if p.valid_from is not None and year < p.valid_from.year and not rebased:  # type: ignore[operator]
        r.bad("year", year, f"{place} exists only from {p.valid_from.isoformat()}; a history "
                            f"re-based on its territory is labelled <series>{REBASED_SUFFIX}")
    if p.valid_to is not None and year > p.valid_to.year and p.after_end != "territory":  # type: ignore[operator]
        r.bad("year", year, f"{place} ended on {p.valid_to.isoformat()}; report for its successor "
                            f"({', '.join(p.successors) or 'none'})")


def _rule_quarter(r: _Row) -> None:
    text, quarter = r.text("quarter"), None
    q = _number(text) if text else None
    if text and (q is None or q not in (1, 2, 3, 4)):
        r.bad("quarter", text, "must be 1, 2, 3 or 4 (or empty for a yearly value)")
    elif text:
        quarter = int(q)  # type: ignore[arg-type]
    elif r.text("indicator") in r.catalogue.quarterly:
        r.bad("quarter", text, f"{r.text('indicator')} is reported per quarter: quarter is required")
    r.out["quarter"] = quarter


def _rule_sex(r: _Row) -> None:
    sex = r.text("sex").lower()
    if sex not in SEXES:
        r.bad("sex", r.rec["sex"], "must be f, m or empty")
    r.out["sex"] = sex


def _rule_status(r: _Row) -> None:
    status = r.text("status") or "official"
    if status not in STATUSES:
        r.bad("status", r.rec["status"], f"must be one of {', '.join(STATUSES)}")
    r.out["status"] = status


def _rule_value(r: _Row) -> None:
    text, value = r.text("value"), None
    if not text:
        r.bad("value", text, "required")
    elif _THOUSANDS.match(text):
        # "1,050" is a thousand and fifty in English and one point zero five in Vietnamese: refuse to guess.
        r.bad("value", text, "ambiguous number: a comma before three digits may separate thousands "
                             "or decimals; write 1050 or 1.05")
    else:
        value = _number(text.replace(",", ".") if text.count(",") == 1 and "." not in text else text)
        if value is None:
            r.bad("value", text, "must be a number (use a dot for decimals)")
    r.out["value"] = value


def _rule_counts(r: _Row) -> None:
    for col in ("numerator", "denominator"):
        text, r.out[col] = r.text(col), None
        n = _number(text) if text else None
        if text and (n is None or n < 0 or n != int(n)):
            r.bad(col, text, "must be a non-negative whole number (a count)")
        elif text:
            r.out[col] = n


def _rule_range(r: _Row) -> None:
    """The unit's range; a plausibility band (SRB) only where the births behind it are many enough."""
    value, unit, text = r.out["value"], r.unit, r.text("value")
    if value is None or unit not in RANGES:
        return
    lo, hi = RANGES[unit]
    num, den = r.out["numerator"], r.out["denominator"]
    events = num + den if unit in BAND_FROM_EVENTS and num is not None and den is not None else None  # type: ignore[operator]
    inside = lo <= value <= hi  # type: ignore[operator]
    if not inside and events is not None and events < BAND_FROM_EVENTS[unit]:
        r.bad("value", text, f"outside the plausible band {lo:g}–{hi:g}, from only {events:g} births "
                             f"(the band applies from {BAND_FROM_EVENTS[unit]:,}): kept, a small "
                             "area's value varies widely by chance", "warning")
    elif not inside:
        r.bad("value", text, _RANGE_RULES.get(unit, f"{unit} must lie between {lo:g} and {hi:g}"))
    elif unit in _VALUE_RULES and not _VALUE_RULES[unit][0](value):
        r.bad("value", text, _VALUE_RULES[unit][1])


#: Words of a value outside its unit's range, where the generic "<unit> must lie between" is not enough.
_RANGE_RULES = {"per_100": "a sex ratio at birth must lie in the plausible band 90–130 boys per 100 girls",
                "count": "a count must not be negative"}
#: Further rules on a value inside its unit's range: (test, rule broken when the test fails).
_VALUE_RULES: dict[str, tuple[Callable[[float], bool], str]] = {
    "count": (lambda v: v == int(v), "a count must be a whole number"),
    "yes_no": (lambda v: v in (0, 1), "a yes/no value must be 0 or 1"),
    "ratio": (lambda v: v > 0, "a ratio must be positive"),
}


def _rule_counts_agree(r: _Row) -> None:
    """Numerator and denominator go together, fit the unit and give the value (within rounding)."""
    num, den, value, unit = r.out["numerator"], r.out["denominator"], r.out["value"], r.unit
    if bool(r.text("numerator")) != bool(r.text("denominator")):
        r.bad("numerator" if not r.text("numerator") else "denominator", "", "numerator and denominator go together")
    elif num is None or den is None:
        return
    elif den == 0:
        r.bad("denominator", den, "must be positive")
    elif unit in SHARE_UNITS and num > den:  # type: ignore[operator]
        r.bad("numerator", num, f"numerator ({num:g}) must not exceed denominator ({den:g}) for a share")
    elif unit in SCALE and value is not None:
        implied = SCALE[unit] * num / den  # type: ignore[operator]
        # Agencies publish rounded values (often whole numbers): allow half a unit or 0.5%.
        if abs(implied - value) > max(0.5, abs(implied) * 0.005):  # type: ignore[operator]
            r.bad("value", r.text("value"), f"does not agree with numerator/denominator "
                                            f"({num:g}/{den:g} gives {implied:.2f})")


#: The rules every row is checked against, in order: (what it checks, the check). Each records its
#: parsed values in the row and its issues; a row with an error is left out.
ROW_RULES: tuple[tuple[str, Callable[[_Row], None]], ...] = (
    ("indicator and unit", _rule_indicator_and_unit),
    ("place", _rule_place),
    ("year", _rule_year),
    ("place in time", _rule_place_in_time),
    ("quarter", _rule_quarter),
    ("sex", _rule_sex),
    ("status", _rule_status),
    ("value", _rule_value),
    ("numerator and denominator", _rule_counts),
    ("range and plausibility", _rule_range),
    ("counts agree with the value", _rule_counts_agree),
)


def check_frame(raw: pd.DataFrame, catalogue: Catalogue, *, allow_unknown_indicators: bool = False,
                ) -> tuple[pd.DataFrame, list[Issue]]:
    """Check every row of a text frame against every rule (:data:`ROW_RULES`, then duplicates).

    Returns the rows that passed, typed, and the list of issues (errors and warnings). A row with an
    error is left out; nothing else is: the caller decides whether to refuse the file or keep the
    valid rows (ingestion quarantines the bad ones).
    """
    issues: list[Issue] = []
    good: list[dict[str, object]] = []
    seen: dict[tuple, int] = {}  # key -> index in `good`
    for rec in raw.to_dict("records"):
        line = int(rec.get("line") or 0) or None
        out: dict[str, object] = {c: rec.get(c, "") for c in COLUMNS + PROVENANCE}
        row = _Row(rec, catalogue, allow_unknown_indicators, str(rec.get("file", "")), line, out, [])
        for _, rule in ROW_RULES:
            rule(row)
        out["series"], out["line"] = str(rec["series"]), line
        if not any(i.severity == "error" for i in row.issues):
            _keep(row, good, seen)
        issues.extend(row.issues)
    return typed(pd.DataFrame(good, columns=COLUMNS + PROVENANCE)), issues


def _keep(row: _Row, good: list[dict[str, object]], seen: dict[tuple, int]) -> None:
    """Keep a valid row once per key: a higher status supersedes a lower one, a different value conflicts."""
    out = row.out
    key = tuple(out[c] for c in KEY)
    prev = seen.get(key)
    if prev is None:
        seen[key] = len(good)
        good.append(out)
        return
    kept, text = good[prev], row.text("value")
    where = f"{kept['file']}:{kept['line']}"
    rank_new, rank_old = STATUS_RANK[str(out["status"])], STATUS_RANK[str(kept["status"])]
    if rank_new != rank_old:
        # An agency's official figure replaces an illustrative or estimated one for the same key: nothing
        # is lost (both files stay), and `check` says which value is used.
        winner, loser = (out, kept) if rank_new > rank_old else (kept, out)
        good[prev] = winner
        row.bad("value", text, f"{loser['status']} value at {loser['file']}:{loser['line']} is superseded by "
                               f"the {winner['status']} value at {winner['file']}:{winner['line']}", "warning")
    elif abs(float(kept["value"]) - float(out["value"])) > 1e-9:  # type: ignore[arg-type]
        row.bad("value", text, f"conflicts with {where} (value {float(kept['value']):g}) for the same indicator, "
                               "place, year, quarter, sex and series")
    else:
        row.bad("value", text, f"duplicate of {where}; kept once", "warning")


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
