"""Ingesting filled templates and observation CSVs: every cell checked, good values landed, nothing lost."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gender_monitor.collect.store import (
    LOCK_TIMEOUT,
    QUARANTINE,
    REPORTED,
    Held,
    Key,
    Store,
    csv_text,
    day_of,
    held_key,
    row_key,
    sort_key,
    store_lock,
)
from gender_monitor.collect.templates import (
    DATA_SHEET,
    FIRST_ROW,
    HEADER_ROW,
    META_SHEET,
    STATUS_CHOICES,
    SUITE,
    TEMPLATE_VERSION,
    named_as_template,
    read_metadata,
    reporting_agencies,
    round_of,
    template_columns,
)
from gender_monitor.core import clock, i18n, paths
from gender_monitor.core.cells import neutralise, number_text
from gender_monitor.core.clock import FIRST_YEAR, LAST_YEAR
from gender_monitor.core.exceptions import IngestError, Issue, value_word
from gender_monitor.data.observations import (
    COLUMNS,
    KEY,
    STATUS_RANK,
    Catalogue,
    check_frame,
    default_observation_files,
    first_not_utf8_line,
    lost_letters,
    read_observation_csv,
    save_utf8_advice,
    status_words,
)
from gender_monitor.plan.reference import Agencies, Places
from gender_monitor.plan.registry import Plan

REPORT_COLUMNS = ["file", "sheet", "cell", "value", "rule", "rule_vi", "severity"]
#: Template columns read into the observation frame (the rest of the sheet is for the reader).
READ_COLUMNS = {"indicator": "code", "place": "place", "year": "year", "quarter": "quarter", "value": "value",
                "numerator": "numerator", "denominator": "denominator", "status": "status", "source": "source",
                "note": "note"}
#: Statuses an agency may report (illustrative values are ours, never an agency's).
REPORTABLE = ("official", "preliminary", "estimate")
STORED_FIELDS = ("value", "numerator", "denominator", "unit", "source", "status", "note")
#: The stored fields whose change revises the figure; a change of the others alone (a new source, note or
#: counts of the same value) is recorded with the row and in the log, not counted as a revision.
FIGURE_FIELDS = ("value", "status")


@dataclass(frozen=True)
class Jump:
    """A change from last year is implausible when it exceeds ``points`` *and* the ``factor``.

    ``factor`` compares the larger with the smaller value (2 means "doubled or halved"); ``None``
    means the absolute change alone decides.
    """

    points: float
    factor: float | None = None

    def implausible(self, old: float, new: float) -> bool:
        if abs(new - old) <= self.points:
            return False
        if self.factor is None:
            return True
        low, high = sorted((abs(old), abs(new)))
        return low == 0 or high / low > self.factor


#: Year-on-year changes that are flagged (a warning: the value still lands). Chosen from the noise
#: of the province's own series: a percentage moves a few points a year, 15 is a break; the sex ratio
#: at birth moves ±4 by chance at ~12,000 births, 6 is beyond that; the maternal mortality ratio from
#: ~5 deaths ranges 14–97, so only a doubling beyond 50 points is flagged; counts (child marriages,
#: news items) are flagged when they double or halve by more than 10; a yes/no milestone going back
#: from 1 to 0 is flagged.
#: How many years back :meth:`jump` looks for the latest value held (a series need not be yearly).
JUMP_YEARS = 3
JUMPS: dict[str, Jump] = {
    "percent": Jump(15.0),
    "per_100": Jump(6.0),
    "per_1000": Jump(5.0, 1.5),
    "per_100000": Jump(50.0, 2.0),
    "ratio": Jump(0.5),
    "count": Jump(10.0, 2.0),
    "yes_no": Jump(0.5),
}


@dataclass(frozen=True)
class Finding:
    """One line of the ingestion report: where (file, sheet, cell), what, which rule, how serious."""

    file: str
    sheet: str
    cell: str
    value: object
    rule: str
    severity: str = "error"
    #: The rule in Vietnamese (agencies read Vietnamese); empty when the rule has no Vietnamese words.
    rule_vi: str = ""

    def __str__(self) -> str:
        where = self.file + (f" [{self.sheet}!{self.cell}]" if self.sheet else f", {self.cell}" if self.cell else "")
        shown = "" if self.value in (None, "") else f" ({value_word()}: {self.value!r})"
        rule = f"{self.rule_vi} / {self.rule}" if self.rule_vi else self.rule
        return i18n.prefixed(self.severity, f"{where}: {rule}{shown}")


@dataclass
class Submission:
    """One readable file: its rows as an observation text frame, and where each came from."""

    path: Path
    kind: str  # "template", "csv", or "hand" (a value the data officer agreed with the agency: quarantine)
    agency: str | None
    year: int | None
    sheet: str
    raw: pd.DataFrame
    letters: dict[str, str] = field(default_factory=dict)  # frame column -> sheet column letter
    skipped: list[Finding] = field(default_factory=list)
    empty: int = 0  # listed rows left blank
    #: Rows held back whole (a formula never calculated): line -> (the row's text, its reasons), quarantined.
    held: dict[int, tuple[dict[str, str], list[tuple[str, str, str]]]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    def cell(self, line: int | None, column: str | None) -> str:
        if self.kind == "hand":
            return ""  # typed at the command line: no cell
        if self.kind == "csv":
            return f"line {line}" + (f" [{column}]" if column else "") if line else (column or "")
        letter = self.letters.get(column or "", self.letters["indicator"])
        return f"{letter}{line}" if line else ""


@dataclass
class FileResult:
    file: str
    kind: str = ""
    agency: str | None = None
    year: int | None = None
    refused: str | None = None
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    #: New quarantine entries; a refused row already in the quarantine (the same file sent again) is
    #: counted in ``already_quarantined`` and not added twice.
    quarantined: int = 0
    already_quarantined: int = 0
    #: Entries held earlier that a value of this file resolved (same agency and key).
    released: int = 0
    empty: int = 0
    #: A file refused whole: where its bytes are kept (``<data>/quarantine/refused/…``; empty when too large to
    #: keep), and whether the same file was received before.
    kept: str | None = None
    kept_before: bool = False
    size: int = 0


@dataclass
class IngestResult:
    """What one ingestion did (or, with ``dry_run``, would do)."""

    files: list[FileResult]
    findings: list[Finding]
    written: list[Path]
    report_dir: Path | None
    dry_run: bool

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """What each file gave and the totals, each line in Vietnamese then English."""
        def both(key: str, **values: object) -> str:
            return i18n.both(f"ingest.summary.{key}", **values)

        lines = []
        for f in self.files:
            if f.refused:
                lines.append(f"{f.file}: {both('refused')}: {f.refused}")
                if f.kept is not None and not self.dry_run:
                    lines.append(f"{f.file}: {_kept_words(f)}")
                continue
            who = f" ({', '.join(str(x) for x in (f.agency, f.year) if x is not None)})" if f.agency else ""
            # Counts in each language's style (an observation CSV may bring thousands of values: "5.000" / "5,000").
            counts = {k: i18n.as_given(v) for k, v in dict(added=f.added, revised=f.revised, unchanged=f.unchanged,
                                                             quarantined=f.quarantined, empty=f.empty).items()}
            again = i18n.each_language("ingest.summary.again", n=f.already_quarantined) if f.already_quarantined \
                else ""
            released = i18n.each_language("ingest.summary.released", n=f.released) if f.released else ""
            lines.append(f"{f.file}{who}: {both('file', **counts, again=again, released=released)}")
        warnings = sum(f.severity == "warning" for f in self.findings)
        tail = [both("dry")] if self.dry_run else [both("written", n=len(self.written))]
        lines.append(both("totals", errors=i18n.as_given(len(self.errors)), warnings=i18n.as_given(warnings))
                     + "; " + tail[0])
        if self.report_dir is not None:
            lines.append(both("report", path=self.report_dir / "report.txt"))
        return "\n".join(lines)


def _kept_words(f: FileResult) -> str:
    """Where the bytes of a file refused whole are kept, in Vietnamese then English."""
    from gender_monitor.collect.store import REFUSED_KEEP_LIMIT

    if not f.kept:
        return i18n.both("collect.intake.too_large", size=i18n.as_given(round(f.size / 1024**2)),
                         limit=i18n.as_given(REFUSED_KEEP_LIMIT // 1024**2), log=f"{QUARANTINE}/refused.csv")
    return i18n.both("collect.intake.kept_before" if f.kept_before else "collect.intake.kept", path=f.kept)


# -- reading -----------------------------------------------------------------------------------------
def _text(value: object) -> str:
    """A cell as the text the observation checker reads; numbers keep their shortest exact form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    # Vietnamese typed with some input methods arrives decomposed; the data files are NFC. A line break typed
    # in a cell (Alt+Enter) becomes a space: a stored value stays on one line, as the loader requires.
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


_QUOTED = re.compile(r'"[^"]*"')


def _percent_formatted(row_cells, index: dict[str, int]) -> list[str]:
    """The number columns (value, numerator, denominator) of a template row whose cell holds a number
    shown as a percentage (Excel's ``0%`` format, set by typing ``80%``)."""
    out = []
    for frame_col in ("value", "numerator", "denominator"):
        cell = row_cells[index[READ_COLUMNS[frame_col]]]
        number = isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)
        # A % inside quotes or escaped is printed as it is, not a percentage format.
        if number and "%" in _QUOTED.sub("", str(cell.number_format or "")).replace("\\%", ""):
            out.append(frame_col)
    return out


def _status(text: str) -> str:
    """The stored status of what an agency wrote: NFC first, so a decomposed «sơ bộ» is still recognised."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    return STATUS_CHOICES.get(text, text)


def _words(key: str, /, **values: object) -> tuple[str, str]:
    """``ingest.<key>`` of the locales (or ``key`` itself when it begins ``collect.``) in English and Vietnamese;
    a ``{"en", "vi"}`` value per language."""
    said = i18n.each_language(key if key.startswith("collect.") else f"ingest.{key}", **values)
    return said["en"], said["vi"]


def _refuse(key: str, /, **values: object) -> IngestError:
    """A whole file refused, with why in Vietnamese and English; ``rule`` names the refusal (its key's last part),
    ``agency`` and ``year`` what the file says of itself where it says it (set by the caller)."""
    en, vi = _words(key, **values)
    exc = IngestError(f"{vi} / {en}")
    exc.en, exc.vi = en, vi
    exc.rule, exc.agency, exc.year = key.rsplit(".", 1)[-1], None, None
    return exc


def _finding(file: str, sheet: str, cell: str, value: object, key: str, severity: str = "error", /,
             **values: object) -> Finding:
    en, vi = _words(key, **values)
    return Finding(file, sheet, cell, value, en, severity, vi)


def _issue(file: str, line: int, column: str, value: object, key: str, /, **values: object) -> Issue:
    en, vi = _words(key, **values)
    return Issue(file, line, column, value, en, "error", vi)


def _located(issue: Issue, language: str = "en") -> str:
    """An issue of a refused file without its file name (the message names the file once)."""
    line, value = i18n.t("ingest.line", language), i18n.t("ingest.value", language)
    where = " ".join(filter(None, (f"{line} {issue.line}" if issue.line else "",
                                   f"[{issue.column}]" if issue.column else "")))
    shown = "" if issue.value is None else f" ({value}: {issue.value!r})"
    rule = issue.said(language)
    return f"{where}: {rule}{shown}" if where else f"{rule}{shown}"


def open_submission(path: str | Path, *, plan: Plan, agencies: Agencies, year: int | None = None,
                    agency: str | None = None) -> Submission:
    """Read one file as a :class:`Submission`.

    Raises
    ------
    IngestError
        With one message saying why the whole file is refused (not a template of this suite, a
        changed layout, another year than ``year``, an unreadable file).
    """
    path = Path(path)
    if path.is_dir():
        raise _refuse("a_folder", name=path.name)
    if not path.is_file():
        raise _refuse("not_found", name=path.name, path=path)
    suffix = path.suffix.lower()
    if suffix in (".xls", ".xlsx", ".xlsm", ".csv") and _encrypted_workbook(path):
        raise _refuse("collect.refusal.password", name=path.name)
    if suffix == ".xls" or (suffix in (".xlsx", ".xlsm", ".csv") and _old_workbook(path)):
        raise _refuse("collect.refusal.old_excel", name=path.name)
    if suffix == ".ods" or (suffix in (".xlsx", ".xlsm", ".csv") and _opendocument(path)):
        raise _refuse("collect.refusal.ods", name=path.name)
    if suffix == ".csv":
        saved = _template_saved_as_csv(path, plan=plan, agencies=agencies)
        if saved is not None:
            exc = _refuse("collect.refusal.template_csv", name=path.name)
            exc.agency, exc.year = saved
            raise exc
        line = first_not_utf8_line(path)
        if line is not None:
            raise _refuse("collect.refusal.csv_encoding", name=path.name, line=line, advice=save_utf8_advice())
        return _open_csv(path, agency=agency)
    if suffix in (".xlsx", ".xlsm"):
        return _open_template(path, plan=plan, agencies=agencies, year=year)
    raise _refuse("not_a_return", name=path.name)


#: The first bytes of an OLE2 compound file: an Excel 97–2003 workbook, or a workbook saved with a password.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The stream a workbook saved with a password keeps its content in (its name in the compound file's directory).
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def _encrypted_workbook(path: Path) -> bool:
    """Whether ``path`` holds a workbook saved with a password to open it: Excel (and LibreOffice, saving as .xlsx)
    then writes an OLE2 compound file whose content is the stream :data:`ENCRYPTED_STREAM`."""
    with path.open("rb") as fh:
        return fh.read(len(OLE2_MAGIC)) == OLE2_MAGIC and ENCRYPTED_STREAM in fh.read(XLSX_UNPACKED_LIMIT)


#: The type an OpenDocument spreadsheet (LibreOffice Calc's own .ods) names in its first part, ``mimetype``.
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _opendocument(path: Path) -> bool:
    """Whether ``path`` holds an OpenDocument spreadsheet whatever its name says (an .ods renamed .xlsx)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.read("mimetype").strip().startswith(ODS_MIMETYPE)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return False


def _old_workbook(path: Path) -> bool:
    """Whether ``path`` holds an Excel 97–2003 workbook whatever its name says (an ``.xls`` renamed ``.xlsx``):
    an OLE2 compound file that is not a workbook saved with a password."""
    with path.open("rb") as fh:
        if fh.read(len(OLE2_MAGIC)) != OLE2_MAGIC:
            return False
        return ENCRYPTED_STREAM not in fh.read(XLSX_UNPACKED_LIMIT)


#: Machine names of the template's data sheet (its hidden second row) that a CSV saved from it still carries.
TEMPLATE_MARKS = frozenset({"code", "name_vi", "place", "place_name", "year", "unit", "value", "status"})


def _template_saved_as_csv(path: Path, *, plan: Plan, agencies: Agencies) -> tuple[str | None, int | None] | None:
    """``(agency, year)`` when ``path`` is a sheet of one of the suite's templates saved as CSV (each ``None``
    when the sheet does not tell it), else None.

    The data sheet is known by the machine names of its hidden row (plain ASCII, so any encoding and any of the
    separators Excel writes, comma, semicolon or tab, keeps them); its rows' codes and year name the agency. The
    instruction sheet is known by its title and names its agency in brackets. The start of the file is enough.
    """
    with path.open("rb") as fh:
        head = fh.read(256 * 1024)
    # Excel writes a CSV in the computer's code page (Vietnamese Windows: 1258) unless "CSV UTF-8" is chosen.
    for text in dict.fromkeys(unicodedata.normalize("NFC", head.decode(encoding, errors="replace"))
                              for encoding in ("utf-8-sig", "cp1258")):
        lines = text.splitlines()
        for n, line in enumerate(lines[:10]):
            for sep in (",", ";", "\t"):
                cells = [c.strip().strip('"').strip() for c in line.split(sep)]
                if TEMPLATE_MARKS <= set(cells):
                    return _sheet_owner(lines[n + 1:], cells.index("code"), cells.index("year"), sep, plan, agencies)
        said = _instruction_sheet(lines[:10], agencies)
        if said is not None:
            return said
    return None


def _sheet_owner(lines: list[str], code: int, year: int, sep: str, plan: Plan,
                 agencies: Agencies) -> tuple[str | None, int | None]:
    """The agency and the year of a template's data rows saved as CSV, each when the rows name one only."""
    import csv

    codes, years = set(), set()
    try:
        for row in csv.reader(lines, delimiter=sep):
            if len(row) > max(code, year) and row[code].strip() and row[year].strip().isdigit():
                codes.add(row[code].strip())
                years.add(int(row[year].strip()))
    except csv.Error:
        pass  # a row cut where the start of the file ends: the rows read so far tell whose it is
    owners = {a for y in years if FIRST_YEAR <= y <= LAST_YEAR
              for a, indicators in reporting_agencies(plan, agencies, y).items()
              if any(i.code in codes for i in indicators)}
    return _only(owners), _only(years)


def _instruction_sheet(lines: list[str], agencies: Agencies) -> tuple[str | None, int | None] | None:
    """The agency and the year of a template's instruction sheet saved as CSV; None when the lines are not one."""
    import csv

    def first_cell(line: str, sep: str) -> str:
        try:
            return (next(csv.reader([line], delimiter=sep), None) or [""])[0].strip()
        except csv.Error:
            return ""

    cells = [first_cell(line, sep) for line in lines for sep in (",", ";", "\t")]
    title = _pattern(i18n.t("collect.instructions.title", "vi"), year=r"(?P<year>\d{4})")
    year = next((int(m["year"]) for c in cells if (m := title.fullmatch(c))), None)
    if year is None:
        return None
    agency_line = _pattern(i18n.t("collect.instructions.agency", "vi"), name=".*", code=r"(?P<code>[^()]+)")
    agency = next((m["code"] for c in cells if (m := agency_line.fullmatch(c)) and m["code"] in agencies), None)
    return agency, year


def _pattern(template: str, **groups: str) -> re.Pattern[str]:
    """A locale's text with its ``{placeholders}`` replaced by the regular expressions ``groups`` gives."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(p) if n % 2 == 0 else groups[p] for n, p in enumerate(parts)))


def _open_csv(path: Path, *, agency: str | None) -> Submission:
    raw, issues = read_observation_csv(path)
    if issues:
        raise _refuse("not_observation_csv", name=path.name,
                      issues={"en": "; ".join(map(_located, issues)),
                              "vi": "; ".join(_located(i, "vi") for i in issues)})
    raw = raw.assign(file=path.name)
    for col in ("indicator", "place", "source", "note", "series", "status"):
        raw[col] = raw[col].map(lambda s: unicodedata.normalize("NFC", s))
    raw["status"] = raw["status"].map(_status)
    return Submission(path, "csv", agency, None, "", raw)


def _open_template(path: Path, *, plan: Plan, agencies: Agencies, year: int | None) -> Submission:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    name = path.name
    _check_unpacked_size(path)
    try:
        # data_only: a formula an agency typed counts with the value Excel or LibreOffice last computed.
        wb = load_workbook(path, data_only=True)
        # The formulas themselves, to tell a formula never calculated (no stored value) from an empty cell.
        formulas = load_workbook(path, data_only=False, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _refuse("not_workbook", name=name, detail=f"{type(exc).__name__}: {exc}") from None
    try:
        if META_SHEET not in wb.sheetnames:
            raise _refuse("not_template", name=name, suite=SUITE, why=i18n.each_language("ingest.no_meta_sheet",
                                                                                          sheet=META_SHEET))
        meta = read_metadata(wb[META_SHEET])
        if meta.get("suite") != SUITE:
            raise _refuse("not_template", name=name, suite=SUITE,
                          why=i18n.each_language("ingest.other_suite", suite=repr(meta.get("suite"))))
        try:
            return _open_data_sheet(path, wb, formulas, meta, plan=plan, agencies=agencies, year=year)
        except IngestError as exc:
            # A template refused whole still says whose it is and for which year: its return arrived, unusable.
            # A template of another year given for this ingestion's year came in this round.
            told = meta.get("year", "")
            exc.agency = meta.get("agency") if meta.get("agency") in agencies else None
            exc.year = year if exc.rule == "other_year" else int(told) if told.isdigit() else None
            raise
    finally:
        formulas.close()


def _open_data_sheet(path: Path, wb, formulas, meta: dict[str, str], *, plan: Plan, agencies: Agencies,
                     year: int | None) -> Submission:
    """The data sheet of a workbook whose metadata names the suite: its version, year, agency and columns
    checked, then its rows read."""
    name = path.name
    if meta.get("template_version") != TEMPLATE_VERSION:
        raise _refuse("version", name=name, version=repr(meta.get("template_version")), supported=TEMPLATE_VERSION)
    try:
        t_year = int(meta.get("year", ""))
    except ValueError:
        raise _refuse("no_year", name=name, year=repr(meta.get("year"))) from None
    if year is not None and t_year != year:
        raise _refuse("other_year", name=name, year=t_year, wanted=year)
    t_agency = meta.get("agency", "")
    if t_agency not in reporting_agencies(plan, agencies, t_year):
        raise _refuse("no_indicator", name=name, agency=repr(t_agency), year=t_year)
    if DATA_SHEET not in wb.sheetnames:
        raise _refuse("no_data_sheet", name=name, sheet=DATA_SHEET, sheets=", ".join(wb.sheetnames))
    ws = wb[DATA_SHEET]
    expected = template_columns(t_year)
    header = [_text(c) for c in next(ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())]
    while header and not header[-1]:
        header.pop()
    if header != expected or meta.get("columns") != ",".join(expected):
        raise _refuse("columns_changed", name=name, sheet=DATA_SHEET, row=HEADER_ROW, found=",".join(header),
                      expected=",".join(expected))
    return _template_rows(path, ws, formulas[DATA_SHEET], t_agency, t_year, expected, plan.units())


#: Largest total size of the parts of an ``.xlsx`` once unpacked (a filled template is well under 5 MB).
XLSX_UNPACKED_LIMIT = 100 * 1024**2


def _check_unpacked_size(path: Path) -> None:
    """Refuse a workbook whose parts would unpack beyond :data:`XLSX_UNPACKED_LIMIT` (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse("not_workbook", name=path.name, detail=f"{type(exc).__name__}: {exc}") from None
    if total > XLSX_UNPACKED_LIMIT:
        raise _refuse("unpacked", name=path.name, size=i18n.as_given(round(total / 1024**2)),
                      limit=i18n.as_given(XLSX_UNPACKED_LIMIT // 1024**2))


def _template_rows(path: Path, ws, formulas, agency: str, year: int, columns: list[str],
                   units: dict[str, str]) -> Submission:
    from openpyxl.utils import get_column_letter

    index = {name: i for i, name in enumerate(columns)}
    letters = {frame_col: get_column_letter(index[sheet_col] + 1) for frame_col, sheet_col in READ_COLUMNS.items()}
    records, skipped, empty = [], [], 0
    held: dict[int, tuple[dict[str, str], list[tuple[str, str, str]]]] = {}
    merged = _merged_cells(ws, {index[sheet_col] + 1: frame_col for frame_col, sheet_col in READ_COLUMNS.items()})
    typed = formulas.iter_rows(min_row=FIRST_ROW, max_col=len(columns), values_only=True)
    for n, row_cells in enumerate(ws.iter_rows(min_row=FIRST_ROW, max_col=len(columns)), start=FIRST_ROW):
        cells = [c.value for c in row_cells]
        source = next(typed, ())
        text = {frame_col: _text(cells[index[sheet_col]]) for frame_col, sheet_col in READ_COLUMNS.items()}
        if n in merged:
            # A merged range shows its one value in every cell it covers, but only its first cell holds it: which
            # row (or which column) the value belongs to is not known. Nothing of the rows it covers is stored;
            # each cell of it is named, with the value the agency saw there.
            reasons = []
            for frame_col, coordinate, cell_range, shown in merged[n]:
                text[frame_col] = shown
                en, vi = _words("merged", range=cell_range)
                skipped.append(Finding(path.name, DATA_SHEET, coordinate, shown or None, en, "error", vi))
                reasons.append((coordinate, en, vi))
            held[n] = (dict.fromkeys(COLUMNS, "") | text, reasons)
            continue
        uncalculated = [frame_col for frame_col, sheet_col in READ_COLUMNS.items()
                        if not text[frame_col] and index[sheet_col] < len(source)
                        and isinstance(source[index[sheet_col]], str) and source[index[sheet_col]].startswith("=")]
        for frame_col in uncalculated:
            skipped.append(_finding(path.name, DATA_SHEET, f"{letters[frame_col]}{n}",
                                    neutralise(source[index[READ_COLUMNS[frame_col]]]), "formula"))
        if uncalculated:
            # Nothing an agency sent is lost: the row goes to the quarantine with the formula as written.
            row = dict.fromkeys(COLUMNS, "") | text | {c: str(source[index[READ_COLUMNS[c]]]) for c in uncalculated}
            en, vi = _words("formula")
            held[n] = (row, [(f"{letters[c]}{n}", en, vi) for c in uncalculated])
            continue
        as_percent = _percent_formatted(row_cells, index)
        if as_percent == ["value"] and units.get(text["indicator"]) == "percent":
            # "80%" typed into a share's cell: Excel keeps 0.8 and shows 80%; the agency meant 80.
            shown = text["value"]
            text["value"] = number_text(round(cells[index["value"]] * 100, 10))
            skipped.append(_finding(path.name, DATA_SHEET, f"{letters['value']}{n}", shown, "percent_read", "info",
                                    value=i18n.as_given(float(text["value"]))))
        elif as_percent:
            # A count, or a rate that is not a share, typed as a percentage: what was meant is not known.
            for frame_col in as_percent:
                skipped.append(_finding(path.name, DATA_SHEET, f"{letters[frame_col]}{n}", text[frame_col],
                                        "percent_format"))
            en, vi = _words("percent_format")
            held[n] = (dict.fromkeys(COLUMNS, "") | text, [(f"{letters[c]}{n}", en, vi) for c in as_percent])
            continue
        if not (text["value"] or text["numerator"] or text["denominator"]):
            empty += bool(text["indicator"])
            for written in ("status", "source", "note"):
                # Nothing to store, but what the agency wrote stays visible in the report, at the cell that holds
                # it, named for what it is.
                if text[written]:
                    skipped.append(_finding(path.name, DATA_SHEET, f"{letters[written]}{n}", text[written],
                                            "no_value", "warning", what=i18n.each_language(f"ingest.given.{written}")))
            continue
        rec = dict.fromkeys(COLUMNS, "")
        rec.update(text, status=_status(text["status"]), file=path.name, line=n)
        records.append(rec)
    raw = pd.DataFrame(records, columns=COLUMNS + ["file", "line"])
    return Submission(path, "template", agency, year, DATA_SHEET, raw, letters, skipped, empty, held)


def _merged_cells(ws, read: dict[int, str]) -> dict[int, list[tuple[str, str, str, str]]]:
    """The read cells of the data rows that lie in a merged range holding something: row -> (frame column,
    cell, range, the range's value as text) for each such cell."""
    from openpyxl.utils import get_column_letter

    out: dict[int, list[tuple[str, str, str, str]]] = {}
    for cell_range in ws.merged_cells.ranges:
        shown = _text(ws.cell(row=cell_range.min_row, column=cell_range.min_col).value)
        if not shown:
            continue  # an empty merged range gives nothing to lose
        for n in range(max(cell_range.min_row, FIRST_ROW), cell_range.max_row + 1):
            for col in range(cell_range.min_col, cell_range.max_col + 1):
                if col in read:
                    out.setdefault(n, []).append((read[col], f"{get_column_letter(col)}{n}", cell_range.coord, shown))
    return out


# -- checking and landing ------------------------------------------------------------------------------
def _number_text(x: object) -> str:
    if x is None or (isinstance(x, float) and pd.isna(x)):
        return ""
    return number_text(float(x))  # type: ignore[arg-type]


class _Run:
    """One ingestion: the reference tables, the data already held and the store being changed."""

    def __init__(self, data_dir: Path, *, year: int | None, agency: str | None, when: str) -> None:
        from gender_monitor.plan.reference import load_agencies, load_places
        from gender_monitor.plan.registry import load_plan

        ref = data_dir / "reference" if (data_dir / "reference" / "places.csv").exists() else None
        self.agencies = load_agencies(ref)
        self.plan = load_plan(agencies=self.agencies.codes)
        self.places: Places = load_places(ref)
        self.catalogue = Catalogue.from_plan(self.plan, self.places)
        self.year, self.agency, self.when = year, agency, when
        self.store = Store(data_dir)
        self.others_raw = self._other_files(data_dir)
        held, _ = check_frame(self.others_raw, self.catalogue)
        self.others = {row_key(_stored_text(r)): Held(float(r["value"]), r["status"], f"{r['file']}:{r['line']}")
                       for r in held.to_dict("records")}
        self._owners: dict[int, dict[str, str]] = {}
        #: (agency, key) -> (file, sheet, cell, value, its result, its status) of the value landed last in this run.
        self.landed: dict[tuple[str, Key], tuple[str, str, str, str, FileResult, str]] = {}
        #: Quarantine entries (by id) added in this run for two values of one key: which is right only the agency
        #: knows, so no file of this run resolves them, but one of a higher status replaces either (:func:`_outranks`).
        self.conflicted: set[int] = set()
        #: (agency, sheet, row of a template) -> (file, cell, stored row, its result) of the value landed there.
        self.landed_at: dict[tuple[str, str, int], tuple[str, str, dict[str, str], FileResult]] = {}
        #: (agency, key) -> (file, sheet, cell, value, its result, its status) of the value this run gave last for the
        #: key (stored, or the same as stored): its cell names the held values of a higher status it leaves waiting.
        self.given: dict[tuple[str, Key], tuple[str, str, str, str, FileResult, str]] = {}
        #: Quarantine entries (by id) that hold a figure the observation format accepts (:func:`_a_figure`).
        self.figures: dict[int, bool] = {}

    def _other_files(self, data_dir: Path) -> pd.DataFrame:
        frames = []
        for path in default_observation_files(data_dir):
            if path.relative_to(data_dir).parts[0] == REPORTED:
                continue
            raw, _ = read_observation_csv(path)
            frames.append(raw.assign(file=str(path.relative_to(data_dir))))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS + ["file", "line"])

    def owner(self, code: str, year: int) -> str | None:
        """The agency that reports ``code`` in ``year`` (None for a year no calendar holds: the row's year
        rule refuses it)."""
        if not 1 <= year <= 9999:
            return None
        if year not in self._owners:
            self._owners[year] = {i.code: a for a, inds in reporting_agencies(self.plan, self.agencies, year).items()
                                  for i in inds}
        return self._owners[year].get(code)

    # -- rules beyond the observation format ----------------------------------------------------------
    def row_rules(self, sub: Submission) -> list[Issue]:
        """The right year and the right agency for every row (the observation checker cannot know them)."""
        out = []
        for rec in sub.raw.to_dict("records"):
            line, code, status = int(rec["line"]), rec["indicator"], rec["status"]
            try:
                year = int(float(rec["year"]))
            except (ValueError, OverflowError):
                year = None  # the observation checker reports it
            if year is not None and not 1 <= year <= 9999:
                year = None  # outside any calendar: the observation checker's year rule refuses it
            wanted = sub.year if sub.year is not None else self.year
            if year is not None and wanted is not None and year != wanted:
                what = "the_template" if sub.kind == "template" else "this_ingestion"
                out.append(_issue(sub.name, line, "year", rec["year"], "wrong_year", wanted=wanted, year=year, what=i18n.each_language(f"ingest.{what}")))
            if year is not None and code in self.catalogue.units:
                owner = self.owner(code, year)
                if sub.agency is not None and owner != sub.agency:
                    out.append(_issue(sub.name, line, "indicator", code, "other_agency", code=code, owner=owner,
                                      year=year, agency=sub.agency))
            if status and status not in REPORTABLE and status in STATUS_RANK:
                out.append(_issue(sub.name, line, "status", status, "not_reportable", status=status_words(status),
                                  allowed={lang: ", ".join(status_words(s)[lang] for s in REPORTABLE)
                                           for lang in i18n.LANGUAGES}))
        return out

    def jump(self, row: dict[str, str], unit: str, replaced: str | None = None) -> tuple[str, str] | None:
        """A warning when the value moved implausibly far (see :data:`JUMPS`) from the value it replaces
        (``replaced``, the stored value of the same year), else from the latest value held in the
        :data:`JUMP_YEARS` years before. A share typed as a fraction (0,45 for 45%) is named as such."""
        rule = JUMPS.get(unit)
        if rule is None:
            return None
        if replaced not in (None, ""):
            previous, year, where = float(replaced), row["year"], None
        else:
            key = list(row_key(row))
            prev = None
            for back in range(1, JUMP_YEARS + 1):
                key[KEY.index("year")] = str(int(row["year"]) - back)
                prev = self.held(tuple(key))
                if prev is not None:
                    break
            if prev is None:
                return None
            previous, year, where = prev.value, key[KEY.index("year")], prev.where
        new = float(row["value"])
        bad = (previous == 1 and new == 0) if unit == "yes_no" else rule.implausible(previous, new)
        if not bad:
            return None
        said = {"previous": i18n.as_given(previous), "year": year, "new": i18n.as_given(new)}
        if unit == "percent" and 0 < new <= 1 and previous >= 5:
            return _words("jump_fraction", **said, percent=i18n.as_given(round(100 * new, 10)))
        return _words("jump", **said, where=where) if where is not None else _words("jump_revised", **said)

    def held(self, key: Key) -> Held | None:
        mine, theirs = self.store.held(key), self.others.get(key)
        if mine is None or theirs is None:
            return mine or theirs
        return mine if STATUS_RANK[mine.status] >= STATUS_RANK[theirs.status] else theirs


def _stored_text(row: dict[str, object]) -> dict[str, str]:
    """A typed, checked row back as the text the reported files hold."""
    out = {c: "" if row.get(c) is None or (isinstance(row.get(c), float) and pd.isna(row.get(c)))
           else str(row.get(c)) for c in COLUMNS}
    out["year"] = str(int(row["year"]))  # type: ignore[arg-type]
    out["quarter"] = "" if pd.isna(row["quarter"]) else str(int(row["quarter"]))  # type: ignore[arg-type]
    for col in ("value", "numerator", "denominator"):
        out[col] = _number_text(row[col])
    return out


def _source(agency: str, file: str, given: str) -> str:
    return f"{agency}, {file}" + (f"; {given}" if given else "")


#: The cells of a refused row kept in the quarantine: every one an agency fills in, so the cell that
#: broke a rule is always there to be read.
QUARANTINED_CELLS = ("indicator", "place", "year", "quarter", "sex", "value", "numerator", "denominator", "unit",
                     "status", "source", "note", "series")


def _checked(sub: Submission, run: _Run) -> tuple[pd.DataFrame, list[Issue]]:
    """The rows of ``sub`` that pass the observation format, and every issue of its rows.

    A status a template's list does not have is answered with the list's own words (``chính thức, sơ bộ``), not
    with the observation format's codes (official, preliminary, estimate, illustrative) an agency never sees.
    """
    good, issues = check_frame(sub.raw, run.catalogue)
    if sub.kind == "template":
        allowed = {"vi": ", ".join(STATUS_CHOICES),
                   "en": ", ".join(f"{word} ({status_words(code)['en']})" for word, code in STATUS_CHOICES.items())}
        issues = [_issue(i.file, i.line, "status", i.value, "unknown_status", value=i.value, allowed=allowed)
                  if i.column == "status" and i.severity == "error" and str(i.value).strip().lower() not in STATUS_RANK
                  else i for i in issues]
    issues += run.row_rules(sub)
    if sub.kind in ("csv", "hand"):
        # A CSV saved in a Western European character set wrote "?" for the Vietnamese letters it lacks: such a row is
        # held with what to do, not stored with its letters gone (a template's cells are Unicode text).
        issues += lost_letters(sub.raw)
    issues.sort(key=lambda i: (i.line or 0, i.severity != "error"))
    return good, issues


def _landing(sub: Submission, run: _Run, good: pd.DataFrame, issues: list[Issue]) -> Iterable[tuple]:
    """(agency, key, line, stored row) of each row of ``sub`` that its own checks let land."""
    bad = {i.line for i in issues if i.severity == "error"} | {i.with_line for i in issues if i.severity == "error"}
    for rec in good.to_dict("records"):
        line = int(rec["line"])
        if line not in bad:
            row = _stored_text(rec)
            yield sub.agency or run.owner(row["indicator"], int(row["year"])) or "", row_key(row), line, row


#: The cells of a row that say where its value comes from, not what it is.
PROVENANCE = ("source", "note")
COUNTS = ("numerator", "denominator")


@dataclass
class Agreed:
    """A value of one agency for one key given alike (same value, status and counts) by several files of a run:
    the row each of them lands with, whatever their order (its source names every file, its note every note),
    the warnings at its cell when the sources or notes the files give differ, and the files."""

    cells: dict[str, str]
    warnings: list[tuple[str, str, str]]
    files: list[str]


def _in_run(subs: list[tuple[Submission, pd.DataFrame, list[Issue]]],
            run: _Run) -> tuple[dict[tuple[int, int], list[tuple[str, str, str]]], dict[tuple[int, int], Agreed]]:
    """Rows of one agency for one key given by several files of the run, as two maps keyed by (file's place in the
    run, line).

    The order of the files on the command line says nothing about which is newer (a shell lists ``SNV-v2.xlsx``
    before ``SNV.xlsx``). A row given with another value, or with other counts, of the same status in another file
    is a conflict: neither lands (the first map: line -> (cell, rule, rule in Vietnamese)). A row given with the
    same value, status and counts in another file lands once, with the sources and notes of every file, in the
    order of the files' names (the second map: :class:`Agreed`); when two files name different sources or notes,
    each cell says so in a warning, naming the other file and what it says.
    """
    given: dict[tuple[str, Key], list[tuple[int, int, Submission, dict[str, str]]]] = {}
    for n, (sub, good, issues) in enumerate(subs):
        for agency, key, line, row in _landing(sub, run, good, issues):
            given.setdefault((agency, key), []).append((n, line, sub, row))
    out: dict[tuple[int, int], list[tuple[str, str, str]]] = {}
    agreed: dict[tuple[int, int], Agreed] = {}
    for rows in given.values():
        for n, line, sub, row in rows:
            alike = [(o_sub, o_line, o_row) for o_n, o_line, o_sub, o_row in rows
                     if o_n != n and STATUS_RANK[o_row["status"]] == STATUS_RANK[row["status"]]]
            others = [(o_sub, o_line, o_row) for o_sub, o_line, o_row in alike
                      if abs(float(o_row["value"]) - float(row["value"])) > 1e-9]
            counted = [(o_sub, o_line, o_row) for o_sub, o_line, o_row in alike
                       if abs(float(o_row["value"]) - float(row["value"])) <= 1e-9 and _other_counts(row, o_row)]
            if others:
                where = {lang: ", ".join(f"{o_sub.name}, {o_sub.cell(o_line, 'value')} "
                                         f"({i18n.as_given(float(o_row['value']))[lang]})"
                                         for o_sub, o_line, o_row in others) for lang in i18n.LANGUAGES}
                out[(n, line)] = [(sub.cell(line, "value"), *_words("conflict_in_run", where=where))]
            elif counted:
                where = {lang: ", ".join(f"{o_sub.name}, {o_sub.cell(o_line, 'numerator')} ({o_row['numerator']}/"
                                         f"{o_row['denominator']})" for o_sub, o_line, o_row in counted)
                         for lang in i18n.LANGUAGES}
                out[(n, line)] = [(sub.cell(line, "numerator"), *_words("collect.agreed.other_counts", where=where))]
    for (agency, _), rows in given.items():
        alike = sorted(((sub, line, row, n) for n, line, sub, row in rows if (n, line) not in out),
                       key=lambda x: (x[0].name, x[1]))
        for rank in {STATUS_RANK[row["status"]] for _, _, row, _ in alike}:
            group = [x for x in alike if STATUS_RANK[x[2]["status"]] == rank]
            if len({n for *_, n in group}) < 2:
                continue
            cells = {"source": " | ".join(dict.fromkeys(_source(agency, sub.name, row["source"])
                                                         for sub, _, row, _ in group)),
                     "note": " | ".join(dict.fromkeys(row["note"] for _, _, row, _ in group if row["note"]))}
            cells |= {c: next((row[c] for _, _, row, _ in group if row[c]), "") for c in COUNTS}
            differ = [c for c in PROVENANCE if len({row[c] for _, _, row, _ in group if row[c]}) > 1]
            for sub, line, row, n in group:
                warnings = []
                if differ:
                    where = {lang: ", ".join(
                        f"{o_sub.name}, {o_sub.cell(o_line, 'source')} (" + "; ".join(
                            f"{i18n.t(f'ingest.fields.{c}', lang)}: {o_row[c] or '–'}" for c in differ) + ")"
                        for o_sub, o_line, o_row, o_n in group if o_n != n) for lang in i18n.LANGUAGES}
                    warnings.append((sub.cell(line, "source"), *_words("collect.agreed.other_source", where=where)))
                agreed[(n, line)] = Agreed(cells, warnings, [x[0].name for x in group])
    return out, agreed


def _superseded(subs: list[tuple[Submission, pd.DataFrame, list[Issue]]], run: _Run,
                held: Iterable[tuple[int, int]]) -> dict[tuple[int, int], tuple[str, tuple[int, int]]]:
    """The rows (file's place in the run, line) of one agency for one key given in another file of the run with a
    higher status (a preliminary value and an official one), lowest status first, then in the order of the run:
    row -> its agency and the row of the highest status (the first in the run's order, if several agree).

    Across runs an official value sent after a preliminary one revises it: the preliminary value was stored, and the
    revision log keeps it. In one run the order of the files decides nothing: these rows land first, each replaced
    by the higher one when it lands, as if sent in an earlier run. Rows ``held`` (two values of one status) are left
    out: neither lands, so neither replaces anything.
    """
    held = set(held)
    given: dict[tuple[str, Key], list[tuple[int, int, int]]] = {}
    for n, (sub, good, issues) in enumerate(subs):
        for agency, key, line, row in _landing(sub, run, good, issues):
            if (n, line) not in held:
                given.setdefault((agency, key), []).append((STATUS_RANK[row["status"]], n, line))
    out = []
    for (agency, _), rows in given.items():
        top = max(rank for rank, *_ in rows)
        for rank, n, line in rows:
            tops = [(o_n, o_line) for o_rank, o_n, o_line in sorted(rows) if o_rank == top and o_n != n]
            if rank < top and tops:
                out.append(((rank, n, line), agency, tops[0]))
    return {(n, line): (agency, by) for (_, n, line), agency, by in sorted(out)}


def _other_counts(row: dict[str, str], other: dict[str, str]) -> bool:
    """Whether two rows give counts and not the same ones (a row without counts agrees with any)."""
    return all(row[c] and other[c] for c in COUNTS) and any(
        abs(float(row[c]) - float(other[c])) > 1e-9 for c in COUNTS)


def _process(sub: Submission, run: _Run, good: pd.DataFrame, issues: list[Issue],
             in_run: dict[int, list[tuple[str, str, str]]],
             agreed: dict[int, Agreed] | None = None, *, result: FileResult | None = None,
             landed: dict[int, tuple[list[Finding], list[tuple[str, str, str]]]] | None = None,
             ) -> tuple[FileResult, list[Finding]]:
    """Land the good rows of ``sub`` and hold the others. Rows ``landed`` already (:func:`_superseded`, into
    ``result``) are not landed again: line -> their findings and the reasons they were refused."""
    result = result or _file_result(sub)
    findings = list(sub.skipped)
    reasons: dict[int, list[tuple[str, str, str]]] = {}  # line -> (cell, rule, rule in Vietnamese) of its errors
    conflicts = set(in_run)  # lines held because another value for their key waits with them
    for issue in issues:
        cell = sub.cell(issue.line, issue.column)
        findings.append(Finding(sub.name, sub.sheet, cell, issue.value, issue.rule, issue.severity, issue.rule_vi))
        if issue.severity == "error" and issue.line is not None:
            reasons.setdefault(issue.line, []).append((cell, issue.rule, issue.said("vi")))
        if issue.severity == "error" and issue.with_line is not None:
            # Two values for one key in the same file: which one is right only the agency knows, so
            # neither lands; both wait in the quarantine, each naming the other.
            other = sub.cell(issue.with_line, issue.column)
            en, vi = _words("conflict_in_file", cell=cell, value=i18n.value_said(issue.value))
            findings.append(Finding(sub.name, sub.sheet, other, None, en, "error", vi))
            reasons.setdefault(issue.with_line, []).append((other, en, vi))
            conflicts |= {issue.line, issue.with_line}
    for line, why in sorted(in_run.items()):
        for cell, en, vi in why:
            findings.append(Finding(sub.name, sub.sheet, cell, sub.raw.loc[sub.raw["line"] == line, "value"].iloc[0],
                                    en, "error", vi))
        reasons.setdefault(line, []).extend(why)
    for rec in good.to_dict("records"):
        line = int(rec["line"])
        if line in reasons:
            continue
        if landed and line in landed:
            found, refused = landed[line]
        else:
            found = []
            refused = _land_row(sub, run, rec, result, found, (agreed or {}).get(line))
        findings += found
        if refused:
            reasons[line] = refused
    raw = {int(r["line"]): r for r in sub.raw.to_dict("records")}
    for line, (rec, why) in sub.held.items():
        raw[line] = rec
        reasons[line] = why
    owners = {line: _row_owner(rec, run) for line, rec in raw.items()}
    # A refused row whose indicator names no agency (an unknown code, a year mistyped) is held against the
    # agency whose return the file is: the template's, the one given with --agency, or the one agency every
    # other row of a CSV goes to. A CSV mixing agencies' rows is no one's return: such a row is no one's.
    file_agency = sub.agency or _only(set(owners.values()) - {None}) or ""
    for line, why in sorted(reasons.items()):
        rec = raw[line]
        agency = sub.agency or owners[line] or file_agency
        entry = {"when": run.when, "file": sub.name, "sheet": sub.sheet, "cell": " ".join(dict.fromkeys(c for c, *_ in why)),
                 "agency": agency, **{c: rec.get(c, "") for c in QUARANTINED_CELLS},
                 "reason": "; ".join(r for _, r, _ in why), "reason_vi": "; ".join(r for *_, r in why)}
        if run.store.quarantine_row(entry):
            result.quarantined += 1
            landed = run.landed.get((agency, held_key(entry)))
            if line in conflicts:
                # Two values wait for the agency: another file of this run does not settle which is right.
                run.conflicted.add(id(entry))
            if landed is not None and _waits(entry, landed[5], run):
                pass  # a figure of a higher status: it waits, as in a later run (said at the value's cell: _still_held)
            elif landed is not None and (line not in conflicts or _outranks(landed[5], entry)):
                # A value of another file of this run for the same key resolves it, whichever file came first; two
                # values held as a conflict only when it is of a higher status (official for preliminary ones): it
                # replaces either, as it would in a later run.
                file, sheet, cell, value, by, _ = landed
                if file != sub.name and run.store.resolve(entry, file=file, cell=cell, value=value, when=run.when):
                    findings.append(_finding(file, sheet, cell, value, "releases", "info",
                                             value=i18n.value_said(entry["value"]), file=entry["file"],
                                             cell=entry["cell"]))
                    by.released += 1
            elif line not in conflicts and (agency, sub.sheet, line) in run.landed_at:
                # The corrected row of another file of this run, at the same place, whichever file came first.
                file, cell, row, by = run.landed_at[agency, sub.sheet, line]
                if file != sub.name and _corrects(entry, row, sub, run) and run.store.resolve(
                        entry, file=file, cell=cell, value=row["value"], when=run.when):
                    findings.append(_finding(file, sub.sheet, cell, row["value"], "releases", "info",
                                             value=i18n.value_said(entry["value"]), file=entry["file"],
                                             cell=entry["cell"]))
                    by.released += 1
        else:
            result.already_quarantined += 1
    return result, findings


def _file_result(sub: Submission) -> FileResult:
    return FileResult(sub.name, sub.kind, sub.agency, sub.year, empty=sub.empty)


def _land_row(sub: Submission, run: _Run, rec: dict[str, object], result: FileResult, findings: list[Finding],
              same: Agreed | None) -> list[tuple[str, str, str]]:
    """Land one checked row of ``sub`` (``same``: given alike by other files of the run); returns the reasons it
    was refused instead."""
    row = _stored_text(rec)
    agency = sub.agency or run.owner(row["indicator"], int(row["year"])) or ""
    row["source"] = _source(agency, sub.name, row["source"])
    if same is not None:
        # Given alike by another file of the run: the row lands with what every file says of it.
        row.update(same.cells)
        findings += [Finding(sub.name, sub.sheet, cell, row["value"], en, "warning", vi)
                     for cell, en, vi in same.warnings]
    refused = _land(sub, run, row, agency, int(rec["line"]), result, findings)
    if not refused and same is not None:
        run.store.contributors.setdefault(run.store.path(int(row["year"]), agency), set()).update(same.files)
    return refused


def _replaced_in_run(sub: Submission, rec: dict[str, object], agency: str, by: Submission, by_rec: dict[str, object],
                     run: _Run) -> Finding | None:
    """A note at the cell of a row of a lower status than another file's row of the run (:func:`_superseded`),
    naming that row's value, which replaced it; None when that value is not the one stored (it was itself refused:
    the lower one stays as it landed or was held)."""
    row, top = _stored_text(rec), _stored_text(by_rec)
    stored = run.store.table(int(row["year"]), agency).get(row_key(row))
    if stored is None or stored["status"] != top["status"] or abs(float(stored["value"]) - float(top["value"])) > 1e-9:
        return None
    return _finding(sub.name, sub.sheet, sub.cell(int(rec["line"]), "value"), row["value"], "collect.superseded",
                    "info", new=status_words(top["status"]), old=status_words(row["status"]),
                    value=i18n.value_said(top["value"]), where=f"{by.name}, {by.cell(int(by_rec['line']), 'value')}")


#: The template's cells that make a row's key: a held row one of which was wrong cannot be found by its key.
KEY_CELLS = ("indicator", "place", "year", "quarter")


def _corrects(entry: dict[str, str], row: dict[str, str], sub: Submission, run: _Run) -> bool:
    """Whether ``row``, landed from the same row of the same agency's template as the held ``entry``, is its
    correction: a cell of the entry's key was named wrong (a year typed as a date, a place code mistyped), and
    every other cell of the key is as the entry has it; its year is the year the entry was sent for (the round
    whose due day its arrival is nearest, as the returns table counts it)."""
    wrong = {c.rstrip("0123456789") for c in entry.get("cell", "").split()}
    key_letters = {sub.letters[c]: c for c in KEY_CELLS}
    if not wrong & key_letters.keys():
        return False  # its key was right: a value for that key resolves it (Store.release)
    same = all(held_key(entry)[KEY.index(c)] == row[c] for letter, c in key_letters.items() if letter not in wrong)
    same &= all(entry.get(c, "") == row[c] for c in KEY if c not in KEY_CELLS)
    return same and round_of(day_of(entry.get("when", "")), run.plan) == int(row["year"])


def _outranks(status: str, entry: dict[str, str]) -> bool:
    """Whether a value of ``status`` is of a higher status than the held ``entry`` (an empty status is official, as
    the observation format reads it): it replaces the entry's value whichever of the two is right."""
    held = STATUS_RANK.get(entry.get("status") or "official")
    return held is not None and STATUS_RANK.get(status, -1) > held


def _waits(entry: dict[str, str], status: str, run: _Run) -> bool:
    """Whether the held ``entry`` still waits when a value of ``status`` lands for its key: it holds a figure (one
    the observation format accepts, held for a conflict, a wrong year or a source whose letters were lost) of a higher
    status. A preliminary value does not resolve a held official one, in one run or in a later one, as it does not
    replace a stored one; a held value that is no figure (-3 below its range, "x") is resolved by any value."""
    held = STATUS_RANK.get(entry.get("status") or "official")
    return held is not None and held > STATUS_RANK.get(status, held) and _a_figure(entry, run)


def _a_figure(entry: dict[str, str], run: _Run) -> bool:
    """Whether the cells of the held ``entry`` make a row the observation format accepts (what it was held for
    aside: another value of its key, its year, its agency, its letters)."""
    if id(entry) not in run.figures:
        rec = dict.fromkeys(COLUMNS, "") | {c: entry.get(c, "") for c in QUARANTINED_CELLS}
        rec.update(status=_status(rec["status"]), file=entry.get("file", ""), line=2)
        good, issues = check_frame(pd.DataFrame([rec], columns=COLUMNS + ["file", "line"]), run.catalogue)
        run.figures[id(entry)] = not good.empty and not any(i.severity == "error" for i in issues)
    return run.figures[id(entry)]


def _still_held(run: _Run) -> list[tuple[FileResult, Finding]]:
    """A warning at the cell of each value this run gave for a key (the one stored) for every held value of a
    higher status it left waiting (:func:`_waits`), naming it, once every file has landed (whichever came first)."""
    out = []
    for (agency, key), (file, sheet, cell, value, result, status) in run.given.items():
        row = run.store.table(int(key[KEY.index("year")]), agency).get(key)
        if row is None or row["status"] != status or abs(float(row["value"]) - float(value)) > 1e-9:
            continue  # replaced by a value of a higher status of this run: that value's cell speaks
        for entry in run.store.waiting(agency, key):
            if _waits(entry, status, run):
                out.append((result, _finding(file, sheet, cell, value, "collect.still_held", "warning",
                                             old=status_words(entry.get("status") or "official"),
                                             new=status_words(status), value=i18n.value_said(entry["value"]),
                                             file=entry["file"], cell=entry["cell"])))
    return out


def _row_owner(rec: dict[str, str], run: _Run) -> str | None:
    """The agency that reports a sent row's indicator in its year; None when the row's code or year names none."""
    if not (rec["year"].isdigit() and rec["indicator"] in run.catalogue.units):
        return None
    return run.owner(rec["indicator"], int(rec["year"]))


def _only(items: set[str]) -> str | None:
    """The one item of ``items``; None when there are none or several."""
    return next(iter(items)) if len(items) == 1 else None


def _land(sub: Submission, run: _Run, row: dict[str, str], agency: str, line: int, result: FileResult,
          findings: list[Finding]) -> list[tuple[str, str, str]]:
    """Put one checked row into its reported file; returns the reasons it was refused instead."""
    key, cell = row_key(row), sub.cell(line, "value")
    refused = []
    other = run.others.get(key)
    if other is not None and abs(other.value - float(row["value"])) > 1e-9:
        said = {"status": status_words(other.status), "value": i18n.as_given(other.value), "where": other.where}
        if STATUS_RANK[other.status] == STATUS_RANK[row["status"]]:
            refused.append((cell, *_words("conflict", **said)))
        elif STATUS_RANK[other.status] > STATUS_RANK[row["status"]]:
            findings.append(_finding(sub.name, sub.sheet, cell, row["value"], "stays", "warning", **said))
    table = run.store.table(int(row["year"]), agency)
    old = table.get(key)
    if old is not None and STATUS_RANK[old["status"]] > STATUS_RANK[row["status"]]:
        refused.append((cell, *_words("stored_higher", old=status_words(old["status"]),
                                      value=i18n.value_said(old["value"]), new=status_words(row["status"]))))
    if refused:
        for c, rule, rule_vi in refused:
            findings.append(Finding(sub.name, sub.sheet, c, row["value"], rule, "error", rule_vi))
        return refused
    warning = run.jump(row, row["unit"], replaced=old["value"] if old is not None else None)
    if warning:
        findings.append(Finding(sub.name, sub.sheet, cell, row["value"], warning[0], "warning", warning[1]))
    if old is None:
        result.added += 1
    elif all(old[c] == row[c] for c in STORED_FIELDS):
        result.unchanged += 1
        run.given[agency, key] = (sub.name, sub.sheet, cell, row["value"], result, row["status"])
        return []
    else:
        changed = [c for c in STORED_FIELDS if old[c] != row[c]]
        run.store.revise({
            "when": run.when, "agency": agency, **{c: row[c] for c in KEY}, "old_value": old["value"],
            "new_value": row["value"], "old_status": old["status"], "new_status": row["status"],
            "changed": " ".join(changed), "file": sub.name, "cell": cell})
        revised = any(c in FIGURE_FIELDS for c in changed)
        fields = {lang: ", ".join(i18n.t(f"ingest.fields.{c}", lang) for c in changed) for lang in i18n.LANGUAGES}
        findings.append(_finding(sub.name, sub.sheet, cell, row["value"], "revises" if revised else "restated", "info",
                                 value=i18n.as_given(float(old["value"])), changed=fields))
        if revised:
            result.revised += 1
        else:
            result.unchanged += 1
    run.store.put(int(row["year"]), agency, row, file=sub.name)
    run.landed[agency, key] = run.given[agency, key] = (sub.name, sub.sheet, cell, row["value"], result,
                                                         row["status"])
    # Two values held as a conflict in this run wait for one of a higher status; a held figure of a higher status
    # waits for one of its own (said at this cell once every file has landed: _still_held).
    for entry in run.store.release(agency, row, file=sub.name, cell=cell, when=run.when,
                                   keep=lambda e: (id(e) in run.conflicted and not _outranks(row["status"], e))
                                   or _waits(e, row["status"], run)):
        findings.append(_finding(sub.name, sub.sheet, cell, row["value"], "releases", "info",
                                 value=i18n.value_said(entry["value"]), file=entry["file"], cell=entry["cell"]))
        result.released += 1
    if sub.kind == "template":
        # A row held because a cell of its key was wrong is found by its place in the template instead.
        run.landed_at[agency, sub.sheet, line] = (sub.name, cell, row, result)
        for entry in run.store.held_at(agency, sub.sheet, line):
            if id(entry) not in run.conflicted and _corrects(entry, row, sub, run) and run.store.resolve(
                    entry, file=sub.name, cell=cell, value=row["value"], when=run.when):
                findings.append(_finding(sub.name, sub.sheet, cell, row["value"], "releases", "info",
                                         value=i18n.value_said(entry["value"]), file=entry["file"], cell=entry["cell"]))
                result.released += 1
    return []


# -- the whole run -----------------------------------------------------------------------------------
def ingest(files: Iterable[str | Path], *, data_dir: str | Path | None = None, year: int | None = None,
           agency: str | None = None, dry_run: bool = False, outputs_dir: str | Path | None = None,
           now: dt.datetime | None = None, lock_timeout: float = LOCK_TIMEOUT) -> IngestResult:
    """Check filled templates and observation CSVs, and land their good values in ``data_dir``.

    Parameters
    ----------
    files
        Filled templates (``.xlsx``, saved by Excel or LibreOffice) and observation-format CSVs.
    data_dir
        The data folder to update; the repository's ``data/`` by default.
    year
        Accept only this reporting year: a template of another year is refused whole, a CSV row of
        another year is an error.
    agency
        For CSV files: the agency sending them (rows of other agencies' indicators are errors).
        Without it, each CSV row goes to the agency that reports its indicator in its year.
    dry_run
        Check and report only; write nothing (no data, quarantine, log or report file).
    outputs_dir
        Where ``ingest/<time>/report.csv`` and ``report.txt`` go; the repository's ``outputs/``.
    now
        The time recorded in the logs (for tests); the current local time by default.
    lock_timeout
        Seconds to wait while another ingestion holds the data folder's lock before stopping with a
        message (:class:`IngestError`).

    Returns
    -------
    IngestResult
        Per file: values added, revised, unchanged, quarantined; every finding; the files written.

    Notes
    -----
    Values land in ``reported/<year>/<agency>.csv`` (observation format) with a ``.meta.yml``;
    a changed value is replaced and logged in ``reported/revisions.csv``; a refused value goes to
    ``quarantine/quarantine.csv`` with its reason. The order of ``files`` decides nothing: two files of one
    agency giving one key different values (of the same status) are both held, as two such rows of one file
    are; one giving it as preliminary and another as official store the official value, the preliminary one logged
    in ``reported/revisions.csv`` as the value it replaced (as when the two files come in two runs); and a value
    of one file resolves a row of another refused in the same run whichever comes first. Two values held as a
    conflict are resolved by a value of a higher status of the same run (an official one for two preliminary ones),
    as by one sent in a later run, and by no other. A held figure (one the observation format accepts) is never
    resolved by a value of a lower status, in the same run or a later one: the lower value is stored when nothing of a
    higher status is, and its cell names the held value still waiting (:func:`_still_held`). A row held
    because a cell of its key was wrong (a year typed as a date, an unknown place) is resolved by the value the
    same agency sends later at the same row of its template, if every other cell of the key is the same.
    Files are written only when their content changes, so ingesting the same files twice leaves ``data_dir``
    byte-identical.
    """
    data = Path(data_dir) if data_dir is not None else paths.data_dir()
    if not data.is_dir():  # a typo would otherwise start a new, empty data tree beside the real one
        raise _refuse("no_data_folder", name=str(data))
    moment = (now or clock.now()).replace(microsecond=0)
    # One ingestion at a time: the store is read, changed in memory and written back; two at once
    # would each write back what they read and lose the other's values.
    with store_lock(data, timeout=lock_timeout):
        return _ingest(files, data, moment, year=year, agency=agency, dry_run=dry_run, outputs_dir=outputs_dir)


def _ingest(files: Iterable[str | Path], data: Path, moment: dt.datetime, *, year: int | None,
            agency: str | None, dry_run: bool, outputs_dir: str | Path | None) -> IngestResult:
    run = _Run(data, year=year, agency=agency, when=moment.isoformat())
    if agency is not None and agency not in run.agencies:
        raise _refuse("unknown_agency", agency=repr(agency))
    # Every file is read and checked first: a value given differently by two files of the run is seen whatever
    # their order.
    opened: list[tuple[FileResult, Finding] | tuple[Submission, pd.DataFrame, list[Issue]]] = []
    for file in files:
        try:
            sub = open_submission(file, plan=run.plan, agencies=run.agencies, year=year, agency=agency)
        except IngestError as exc:
            name = Path(file).name
            en, vi = (getattr(exc, lang, str(exc)).removeprefix(f"{name}: ") for lang in ("en", "vi"))
            refused = FileResult(name, refused=f"{vi} / {en}" if vi != en else en)
            if Path(file).is_file():
                _keep_refused(Path(file), exc, refused, run, en=en, vi=vi)
            opened.append((refused, Finding(name, "", "", None, en, "error", vi if vi != en else "")))
            continue
        opened.append((sub, *_checked(sub, run)))
    read = [item for item in opened if isinstance(item[0], Submission)]
    in_run, agreed = _in_run(read, run)  # type: ignore[arg-type]
    # A value given in one file as preliminary and in another as official: the preliminary one lands first, then
    # the official one replaces it (logged as a revision), whichever file comes first.
    first = _superseded(read, run, in_run)  # type: ignore[arg-type]
    file_results = [_file_result(sub) for sub, *_ in read]
    landed: list[dict[int, tuple[list[Finding], list[tuple[str, str, str]]]]] = [{} for _ in read]
    records = {(n, int(r["line"])): r for n, (_, good, _) in enumerate(read) for r in good.to_dict("records")}
    for (n, line), (agency, _) in first.items():
        sub = read[n][0]
        found: list[Finding] = []
        if run.store.replaced(agency, _stored_text(records[n, line])):
            # The same files sent again: the revision log keeps this value as replaced already.
            refused: list[tuple[str, str, str]] = []
            file_results[n].unchanged += 1
        else:
            refused = _land_row(sub, run, records[n, line], file_results[n], found, agreed.get((n, line)))
        landed[n][line] = (found, refused)
    # A value replaced in this run resolves no held row: what resolves them is the value that replaces it.
    run.landed.clear()
    run.landed_at.clear()
    results, findings = [], []
    per_file: list[list[Finding]] = []
    for item in opened:
        if isinstance(item[0], FileResult):
            results.append(item[0])
            per_file.append([item[1]])
            continue
        n = next(m for m, x in enumerate(read) if x is item)
        sub, good, issues = item
        result, found = _process(sub, run, good, issues, {line: why for (m, line), why in in_run.items() if m == n},
                                 {line: same for (m, line), same in agreed.items() if m == n},
                                 result=file_results[n], landed=landed[n])
        results.append(result)
        per_file.append(found)
    # Once every file has landed: each value replaced says by what, among its file's findings.
    for (n, line), (agency, (by_n, by_line)) in first.items():
        said = None if landed[n][line][1] else _replaced_in_run(read[n][0], records[n, line], agency, read[by_n][0],
                                                                  records[by_n, by_line], run)
        if said is not None:
            per_file[next(m for m, item in enumerate(opened) if item is read[n])].append(said)
    # Once every file has landed: each value stored beside a held one of a higher status says what still waits.
    for result, said in _still_held(run):
        per_file[next(m for m, r in enumerate(results) if r is result)].append(said)
    findings = [f for found in per_file for f in found]
    _guard(run)
    written: list[Path] = []
    report_dir = None
    if not dry_run:
        root = Path(outputs_dir) if outputs_dir is not None else paths.outputs_dir()
        # The report's folder is made first: one that cannot be made stops the run before any value lands.
        (root / "ingest").mkdir(parents=True, exist_ok=True)
        written = run.store.write(agencies=run.agencies, when=run.when)
        report_dir = _write_report(root / "ingest" / moment.strftime("%Y%m%dT%H%M%S"), results, findings, written)
    return IngestResult(results, findings, written, report_dir, dry_run)


def _keep_refused(path: Path, exc: IngestError, result: FileResult, run: _Run, *, en: str, vi: str) -> None:
    """Log ``path``, refused whole, and keep its bytes: nothing an agency sent is lost. Whose it is: the agency the
    file names (a template's metadata, a template's rows saved as CSV), else the one given with ``--agency``, else
    the one its name gives when named as the suite names templates; likewise its year, else ``--year``."""
    named = named_as_template(path.name)
    if named is not None and named[0] not in run.agencies:
        named = None
    agency = getattr(exc, "agency", None) or run.agency or (named[0] if named else "")
    year = getattr(exc, "year", None) or run.year or (named[1] if named else "")
    line, new = run.store.keep_refused(path, {
        "when": run.when, "file": path.name, "agency": agency, "year": str(year),
        "rule": getattr(exc, "rule", ""), "reason": en, "reason_vi": vi if vi != en else ""})
    result.agency, result.kept_before, result.size = agency or None, not new, int(line["bytes"])
    result.kept = str(run.store.root / line["kept"]) if line["kept"] else ""


# -- settling a held row by hand ------------------------------------------------------------------------
@dataclass
class Settled:
    """What :func:`settle` did (or, with ``dry_run``, would do)."""

    #: The entry settled (its number, 1 for the quarantine's first line) and the entry as settled.
    number: int
    entry: dict[str, str]
    #: The numbers of every entry the value resolved: the one settled, and any other held for the same key.
    resolved: list[int]
    #: Where the value landed (``reported/<year>/<agency>.csv``); empty when the entry was set aside.
    stored: str
    #: The value's warnings (an implausible jump) and notes (a stored value revised).
    findings: list[Finding]
    written: list[Path]
    dry_run: bool


def settle(number: int, *, reason: str, by: str, value: str | None = None, data_dir: str | Path | None = None,
           dry_run: bool = False, now: dt.datetime | None = None, lock_timeout: float = LOCK_TIMEOUT) -> Settled:
    """Settle the held row numbered ``number`` (``gender-monitor quarantine`` lists them) by hand, recording who
    (``by``), why (``reason``) and when.

    With ``value``, the value the data officer agreed with the agency lands for the row's key as a value of its
    agency would (every rule of ingestion applies: the observation format, the agency of the indicator, a value of
    another file of ``data/``, a stored value of a higher status; a warning for an implausible jump), with the
    row's unit, status, note and source, and its counts when the value is the one the row holds; its source names
    the entry (``<agency>, quarantine.csv #<n>; <the source sent>``). It resolves every entry held for that key,
    each naming it, as a value sent later would. Without ``value`` the row is set aside: nothing lands. Either way
    the entry stays in the quarantine, marked with the day, who and why; nothing is deleted.

    Raises
    ------
    IngestError
        No such entry, one already resolved, no reason or no name given, or a value a rule refuses (then nothing is
        written).
    """
    data = Path(data_dir) if data_dir is not None else paths.data_dir()
    if not data.is_dir():
        raise _refuse("no_data_folder", name=str(data))
    reason, by = " ".join(reason.split()), " ".join(by.split())
    if not reason or not by:
        raise _refuse("collect.settle.no_reason" if not reason else "collect.settle.no_name", n=number)
    moment = (now or clock.now()).replace(microsecond=0)
    with store_lock(data, timeout=lock_timeout):
        run = _Run(data, year=None, agency=None, when=moment.isoformat())
        entries = run.store.quarantine
        if not 1 <= number <= len(entries):
            raise _refuse("collect.settle.no_entry", n=number, last=len(entries))
        entry = entries[number - 1]
        if entry.get("resolved"):
            raise _refuse("collect.settle.already", n=number,
                          date={lang: i18n.date(day_of(entry["resolved"]), lang) if day_of(entry["resolved"])
                                else entry["resolved"] for lang in i18n.LANGUAGES})
        findings: list[Finding] = []
        stored = ""
        if value is None:
            run.store.settle(entry, when=run.when, by=by, reason=reason)
        else:
            stored = _land_by_hand(number, entry, value, run, findings)
            findings += [said for _, said in _still_held(run)]
            if not entry.get("resolved"):  # held for no agency, or under a key written otherwise: settled all the same
                run.store.settle(entry, when=run.when, by=by, reason=reason, file=_hand_name(number), value=value)
        # The value resolved every entry held for its key: each names it, who settled it and why.
        resolved = [n for n, e in enumerate(entries, start=1) if e is entry or (
            e.get("resolved") == run.when and e.get("resolved_file") == _hand_name(number))]
        for n in resolved:
            entries[n - 1].update(resolved_by=by, resolved_reason=reason)
        _guard(run)
        written = [] if dry_run else run.store.write(agencies=run.agencies, when=run.when)
    return Settled(number, entry, resolved, stored, findings, written, dry_run)


def _hand_name(number: int) -> str:
    """The "file" a value settled by hand came from: the quarantine's entry it settled."""
    return f"quarantine.csv #{number}"


def _land_by_hand(number: int, entry: dict[str, str], value: str, run: _Run, findings: list[Finding]) -> str:
    """Land ``value`` for the key of the held ``entry`` as its agency's; returns the reported file it went to."""
    name = _hand_name(number)
    rec = dict.fromkeys(COLUMNS, "") | {c: entry.get(c, "") for c in QUARANTINED_CELLS}
    try:
        same = float(value.replace(",", ".")) == float(entry.get("value", "").replace(",", "."))
    except ValueError:
        same = False
    if not same:  # the counts sent went with another value
        rec.update(numerator="", denominator="")
    rec.update(value=value.strip(), status=_status(rec["status"]), file=name, line=2)
    agency = entry.get("agency") or _row_owner(rec, run) or ""
    if not agency:
        raise _refuse("collect.settle.no_agency", n=number, indicator=rec["indicator"], year=rec["year"])
    sub = Submission(Path(name), "hand", agency, None, "", pd.DataFrame([rec], columns=COLUMNS + ["file", "line"]))
    good, issues = _checked(sub, run)
    errors = [i for i in issues if i.severity == "error"]
    if errors or good.empty:
        raise _refuse("collect.settle.refused", n=number, value=i18n.value_said(value.strip()), issues={
            "en": "; ".join(map(_located, errors)), "vi": "; ".join(_located(i, "vi") for i in errors)})
    findings += [Finding(name, "", "", i.value, i.rule, i.severity, i.rule_vi) for i in issues]
    row = _stored_text(good.to_dict("records")[0])
    row["source"] = _source(agency, name, row["source"])
    refused = _land(sub, run, row, agency, 2, FileResult(name, "hand", agency), findings)
    if refused:
        raise _refuse("collect.settle.refused", n=number, value=i18n.value_said(value.strip()),
                      issues={"en": "; ".join(r for _, r, _ in refused), "vi": "; ".join(r for *_, r in refused)})
    return str(run.store.path(int(row["year"]), agency).relative_to(run.store.root))


def _guard(run: _Run) -> None:
    """Refuse to write if the data would then fail `check` because of a reported value."""
    frames = [run.others_raw]
    for path, table in run.store.tables.items():
        if table:
            rows = [dict(r, file=str(path.relative_to(run.store.root)), line=n)
                    for n, r in enumerate(sorted(table.values(), key=sort_key), start=2)]
            frames.append(pd.DataFrame(rows, columns=COLUMNS + ["file", "line"]))
    _, issues = check_frame(pd.concat(frames, ignore_index=True), run.catalogue)
    bad = [i for i in issues if i.severity == "error" and i.file.startswith(REPORTED)]
    if bad:
        en, vi = _words("store_would_fail")
        raise IngestError(f"{vi} / {en}:\n" + "\n".join(f"  {i}" for i in bad))


def _write_report(folder: Path, results: list[FileResult], findings: list[Finding], written: list[Path]) -> Path:
    base, n = folder, 1
    while folder.exists():  # two runs within one second keep both reports
        n += 1
        folder = base.with_name(f"{base.name}-{n}")
    folder.mkdir(parents=True)
    rows = [{"file": f.file, "sheet": f.sheet, "cell": f.cell, "value": "" if f.value is None else str(f.value),
             "rule": f.rule, "rule_vi": f.rule_vi, "severity": f.severity} for f in findings]
    (folder / "report.csv").write_text(csv_text(REPORT_COLUMNS, rows), encoding="utf-8")
    result = IngestResult(results, findings, written, None, False)
    text = [result.summary(), "", *(str(f) for f in findings)]
    (folder / "report.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    return folder
