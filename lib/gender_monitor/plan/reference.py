"""Agencies and places in time: validity periods, successors, and the functions that moved in 2025."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gender_monitor.core import paths
from gender_monitor.core.exceptions import Issue, PlanError

PLACE_LEVELS = ("country", "province", "district", "commune")
AFTER_END = ("abolished", "territory", "")


def _read_csv(path: Path, required: list[str]) -> tuple[list[dict[str, str]], list[Issue]]:
    source = str(path)
    if not path.exists():
        return [], [Issue.of(source, None, None, None, "reference.not_found")]
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            return [], [Issue.of(source, 1, ",".join(missing), None, "reference.missing_columns")]
        rows = [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]
    return rows, []


def _date(value: str, source: str, line: int, column: str, issues: list[Issue]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        issues.append(Issue.of(source, line, column, value, "reference.iso_date"))
        return None


def _as_date(on: dt.date | int | str) -> dt.date:
    """A year means its last day: a unit counts in year Y when it exists at the end of Y."""
    if isinstance(on, dt.date):
        return on
    if isinstance(on, int):
        return dt.date(on, 12, 31)
    return dt.date.fromisoformat(on)


def quarter_dates(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """The first and the last day of ``quarter`` (1–4) of ``year``."""
    first = dt.date(year, 3 * quarter - 2, 1)
    after = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, after - dt.timedelta(days=1)


@dataclass(frozen=True)
class Agency:
    code: str
    name_vi: str
    name_en: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    successors: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class FunctionMove:
    from_agency: str
    to_agency: str
    effective: dt.date
    function_vi: str
    function_en: str
    targets: tuple[str, ...]
    confidence: str
    note: str = ""


@dataclass(frozen=True)
class Agencies:
    """The agencies table with the 2025 function moves; answers "who reports target X on date D?"."""

    by_code: dict[str, Agency]
    moves: tuple[FunctionMove, ...] = ()

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def __getitem__(self, code: str) -> Agency:
        return self.by_code[code]

    @property
    def codes(self) -> set[str]:
        return set(self.by_code)

    def responsible(self, agency: str, *, target: str | None = None, on: dt.date | int | str) -> Agency:
        """The agency that holds ``agency``'s function for ``target`` on the date ``on``.

        Follows the function moves first (DOLISA's vocational training went to Education, its
        gender-equality work to Home Affairs), then a sole successor. The plan's lead stays the
        plan's lead: this answers who reports *today*.
        """
        when = _as_date(on)
        code = agency
        for _ in range(10):  # successor chains are short; the bound guards against a cycle in the data
            current = self.by_code[code]
            if current.valid_to is None or when < current.valid_to:
                return current
            move = next((m for m in self.moves if m.from_agency == code and m.effective <= when
                         and target is not None and target in m.targets), None)
            if move is not None:
                code = move.to_agency
            elif current.successors:
                code = current.successors[0]  # the first successor listed is the main one
            else:
                return current
        raise PlanError([Issue.of("agencies.csv", None, "successors", agency, "reference.endless_successors")])


def compact_codes(codes: Iterable[str]) -> str:
    """``codes`` sorted and joined by commas, three or more consecutive numbered codes of one prefix said by
    their ends: ``QT, QT25, QT25-001…QT25-078``."""
    parts: list[list[str]] = []
    for code in sorted(set(codes)):
        m = re.fullmatch(r"(.*?)(\d+)", code)
        last = parts[-1][-1] if parts else None
        n = re.fullmatch(r"(.*?)(\d+)", last) if last else None
        if m and n and m.group(1) == n.group(1) and len(m.group(2)) == len(n.group(2)) \
                and int(m.group(2)) == int(n.group(2)) + 1:
            parts[-1].append(code)
        else:
            parts.append([code])
    return ", ".join(f"{p[0]}…{p[-1]}" if len(p) >= 3 else ", ".join(p) for p in parts)


@dataclass(frozen=True)
class Place:
    code: str
    name_vi: str
    name_en: str
    level: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    parent: str
    successors: tuple[str, ...]
    after_end: str
    note: str = ""

    def exists_on(self, on: dt.date | int | str) -> bool:
        when = _as_date(on)
        return (self.valid_from is None or self.valid_from <= when) and (self.valid_to is None or when < self.valid_to)

    def exists_whole_quarter(self, year: int, quarter: int) -> bool:
        """Whether the place existed on every day of the quarter (the one definition the suite uses).

        Validity is one interval (``valid_to`` exclusive), so existing on both ends is existing throughout.
        """
        first, last = quarter_dates(year, quarter)
        return self.exists_on(first) and self.exists_on(last)

    def applicable_in(self, year: int) -> bool:
        """Whether targets for this place can be judged in ``year``.

        A district abolished on 1 July 2025 has no 2025 year-end and no later years: its targets are
        "not applicable" then, never "not met". An old province whose territory is still tracked
        statistically (``after_end == "territory"``) stays applicable.
        """
        if self.after_end == "territory":
            return True
        return self.exists_on(year)


@dataclass(frozen=True)
class Places:
    by_code: dict[str, Place]
    extra: dict[str, dict[str, str]] = field(default_factory=dict)

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def __getitem__(self, code: str) -> Place:
        return self.by_code[code]

    @property
    def codes(self) -> set[str]:
        return set(self.by_code)

    def listed(self) -> str:
        """Every code, sorted, a run of numbered codes said by its ends (``QT25-001…QT25-078``): for messages
        that list the valid codes."""
        return compact_codes(self.by_code)

    def children(self, code: str, *, level: str | None = None) -> list[Place]:
        return [p for p in self.by_code.values() if p.parent == code and (level is None or p.level == level)]

    def name(self, code: str, language: str = "vi") -> str:
        p = self.by_code[code]
        return p.name_vi if language == "vi" else p.name_en


def load_agencies(directory: str | Path | None = None) -> Agencies:
    """Load ``agencies.csv`` and ``agency_functions.csv``; every problem is reported at once."""
    directory = Path(directory) if directory is not None else paths.reference_dir()
    issues: list[Issue] = []
    path = directory / "agencies.csv"
    rows, errs = _read_csv(path, ["code", "name_vi", "name_en", "valid_from", "valid_to", "successors"])
    issues += errs
    by_code: dict[str, Agency] = {}
    for n, row in enumerate(rows, start=2):
        code = row["code"]
        if not code:
            issues.append(Issue.of(str(path), n, "code", code, "reference.empty_code"))
            continue
        if code in by_code:
            issues.append(Issue.of(str(path), n, "code", code, "reference.duplicate_agency"))
        vf = _date(row["valid_from"], str(path), n, "valid_from", issues)
        vt = _date(row["valid_to"], str(path), n, "valid_to", issues)
        if vf and vt and vt <= vf:
            issues.append(Issue.of(str(path), n, "valid_to", row["valid_to"], "reference.end_after_start"))
        succ = tuple(s for s in row["successors"].split(";") if s)
        if succ and not vt:
            issues.append(Issue.of(str(path), n, "successors", row["successors"], "reference.successors_need_end"))
        by_code[code] = Agency(code, row["name_vi"], row["name_en"], vf, vt, succ, row.get("note", ""))
    for n, row in enumerate(rows, start=2):
        for s in (s for s in row["successors"].split(";") if s):
            if s not in by_code:
                issues.append(Issue.of(str(path), n, "successors", s, "reference.unknown_agency"))

    moves: list[FunctionMove] = []
    fpath = directory / "agency_functions.csv"
    frows, errs = _read_csv(fpath, ["from_agency", "to_agency", "effective", "function_en", "targets"])
    issues += errs
    for n, row in enumerate(frows, start=2):
        for col in ("from_agency", "to_agency"):
            if row[col] not in by_code:
                issues.append(Issue.of(str(fpath), n, col, row[col], "reference.unknown_agency"))
        eff = _date(row["effective"], str(fpath), n, "effective", issues)
        if eff is None:
            issues.append(Issue.of(str(fpath), n, "effective", row["effective"], "reference.required"))
            continue
        moves.append(FunctionMove(row["from_agency"], row["to_agency"], eff, row.get("function_vi", ""),
                                  row["function_en"], tuple(row["targets"].split()), row.get("confidence", ""),
                                  row.get("note", "")))
    if issues:
        raise PlanError(issues, "agency reference tables")
    return Agencies(by_code, tuple(moves))


def load_places(directory: str | Path | None = None) -> Places:
    """Load ``places.csv`` (and, when present, ``communes_2025.csv`` details); all problems at once."""
    directory = Path(directory) if directory is not None else paths.reference_dir()
    path = directory / "places.csv"
    source = str(path)
    issues: list[Issue] = []
    rows, errs = _read_csv(path, ["code", "name_vi", "name_en", "level", "valid_from", "valid_to", "parent",
                                  "successor", "after_end"])
    issues += errs
    by_code: dict[str, Place] = {}
    for n, row in enumerate(rows, start=2):
        code = row["code"]
        if not code:
            issues.append(Issue.of(source, n, "code", code, "reference.empty_code"))
            continue
        if code in by_code:
            issues.append(Issue.of(source, n, "code", code, "reference.duplicate_place"))
        if row["level"] not in PLACE_LEVELS:
            issues.append(Issue.of(source, n, "level", row["level"], "parameters.one_of",
                                   valid=", ".join(PLACE_LEVELS)))
        if row["after_end"] not in AFTER_END:
            issues.append(Issue.of(source, n, "after_end", row["after_end"], "reference.after_end"))
        vf = _date(row["valid_from"], source, n, "valid_from", issues)
        vt = _date(row["valid_to"], source, n, "valid_to", issues)
        if vf and vt and vt <= vf:
            issues.append(Issue.of(source, n, "valid_to", row["valid_to"], "reference.end_after_start"))
        succ = tuple(s for s in row["successor"].split(";") if s)
        by_code[code] = Place(code, row["name_vi"], row["name_en"], row["level"], vf, vt, row["parent"], succ,
                              row["after_end"], row.get("note", ""))
    for n, row in enumerate(rows, start=2):
        if row["parent"] and row["parent"] not in by_code:
            issues.append(Issue.of(source, n, "parent", row["parent"], "reference.unknown_place"))
        for s in (s for s in row["successor"].split(";") if s):
            if s not in by_code:
                issues.append(Issue.of(source, n, "successor", s, "reference.unknown_place"))
    extra: dict[str, dict[str, str]] = {}
    cpath = directory / "communes_2025.csv"
    if cpath.exists():
        crows, errs = _read_csv(cpath, ["code", "former_province", "former_district"])
        issues += errs
        for n, row in enumerate(crows, start=2):
            if row["code"] not in by_code:
                issues.append(Issue.of(str(cpath), n, "code", row["code"], "reference.not_in_places"))
            extra[row["code"]] = row
    if issues:
        raise PlanError(issues, "place reference tables")
    return Places(by_code, extra)
