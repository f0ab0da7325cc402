"""The one observation format: reading, checking every rule, and reporting every error of a file at once."""

from __future__ import annotations

import csv
import dataclasses
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gender_monitor.core import clock, i18n, paths
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
#: A whole number written with dots before groups of three digits ("1.000"): a thousand in Vietnamese,
#: one in English. Refused where a whole number is expected (counts, numerators, denominators).
_DOT_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


@dataclass(frozen=True)
class Catalogue:
    """What the checker needs to know: indicator units and frequencies, and the places."""

    units: Mapping[str, str]
    quarterly: frozenset[str] = frozenset()
    places: Places | None = None
    #: The latest year a value may be for (an estimate: one more), from :mod:`gender_monitor.core.clock`.
    last_year: int = field(default_factory=clock.last_year)

    @classmethod
    def from_plan(cls, plan: Plan, places: Places | None = None) -> Catalogue:
        quarterly = {i.code for i in plan.inputs if i.frequency == "quarterly"}
        return cls(units=plan.units(), quarterly=frozenset(quarterly), places=places)


#: Largest field the reader accepts (characters): a note is a sentence, a megabyte of text is a broken file.
FIELD_LIMIT = 64 * 1024
#: Largest CSV the reader accepts (bytes); larger files are split by year or agency before loading.
FILE_LIMIT = 2 * 1024**3
#: Records checked at a time: a large file is read and checked in chunks of this many rows, so memory
#: grows with the rows kept, not with the text read (``benchmarks/big_csv.py``).
CHUNK_ROWS = 50_000


def rule_texts(key: str, /, **values: object) -> tuple[str, str]:
    """A rule of ``locales/*/safety.yaml`` (``rules.<key>``) in English and in Vietnamese.

    A value given as a ``{"en": …, "vi": …}`` mapping is said in each language's own words (a status).
    """
    said = i18n.each_language(f"rules.{key}", **values)
    return said["en"], said["vi"]


def issue(file: str, line: int | None, column: str | None, value: object, key: str, severity: str = "error",
          /, **values: object) -> Issue:
    """An :class:`Issue` whose rule is ``rules.<key>`` of the locales, in both languages.

    A required cell left empty names what it should hold (``rules.columns``): in a template the cell
    reference alone (``Số liệu!E16``) does not say that the year is missing."""
    if key == "required" and "what" not in values:
        values["what"] = {lang: i18n.entries("rules.columns", lang).get(str(column), str(column))
                          for lang in i18n.LANGUAGES}
    if key in ("not_utf8", "lost_letters") and "advice" not in values:
        values["advice"] = save_utf8_advice()
    en, vi = rule_texts(key, **values)
    return Issue(file, line, column, value, en, severity, vi)


def save_utf8_advice() -> dict[str, str]:
    """How to save a CSV again as UTF-8 text, in Excel and in LibreOffice Calc, in each language: one text
    (``rules.save_utf8``) for every message about a CSV's encoding (the loader's, and ingestion's refusal)."""
    return i18n.each_language("rules.save_utf8")


def status_words(status: str) -> dict[str, str]:
    """A data status in each language's words (``official`` → chính thức), for a rule's text."""
    return i18n.each_language(f"data_status.{status}") if status in STATUS_RANK else dict.fromkeys(i18n.LANGUAGES, status)


def read_observation_csv(path: str | Path) -> tuple[pd.DataFrame, list[Issue]]:
    """Read one CSV as text, keeping line numbers; header problems come back as issues.

    Nothing is lost silently: a quoted field may not run over a line end (an unclosed ``"`` would
    otherwise swallow every following row), and the physical lines of the file are counted against
    the records read. A broken file is refused whole with the line where the fault began.
    """
    chunks, issues = read_observation_chunks(path)
    frames = list(chunks)
    return (pd.concat(frames, ignore_index=True) if frames else _empty()), issues


#: The first bytes of a zip archive, as every .xlsx workbook is.
ZIP_MAGIC = b"PK\x03\x04"


def not_csv_text(path: str | Path) -> Issue | None:
    """Why a file given as CSV is not UTF-8 text at all, from its first bytes: saved as UTF-16 (Excel's
    "Unicode Text"), or an Excel workbook (a zip); None otherwise. Raises OSError when it cannot be read."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return issue(str(path), None, None, None, "utf16")
    if head == ZIP_MAGIC:
        return issue(str(path), None, None, None, "workbook")
    return None


def first_not_utf8_line(path: str | Path) -> int | None:
    """The line of the first byte that is not UTF-8 text in a CSV, None when the whole file is UTF-8 (or another
    kind of file :func:`not_csv_text` names: UTF-16 text, a workbook).

    Such a CSV is not read in another encoding, however it decodes: Excel's "CSV (Comma delimited)" writes the
    computer's code page (Vietnamese Windows: 1258), LibreOffice's "Western Europe" character set Windows-1252 or
    Latin-1, and the same bytes are different letters in each (0xF0 is "đ" in 1258, "ð" in 1252; 0xD5 "Ơ" and
    "Õ"). Latin-1 and 1252 have no "ơ", "ư", "đ" or "ạ" at all: a Vietnamese name saved so has already lost
    them. Guessing would store wrong names and notes without a word; the file is saved again as UTF-8.
    """
    import codecs

    def ends(data: bytes, after_cr: bool) -> int:
        """Line ends in ``data`` (``\\n``, ``\\r\\n`` or a lone ``\\r``, as :func:`_count_lines` counts them),
        the ``\\n`` of a ``\\r\\n`` split by the block before (``after_cr``) not counted twice."""
        return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n") - (after_cr and data[:1] == b"\n")

    decoder = codecs.getincrementaldecoder("utf-8")()
    lines, after_cr = 1, False
    with open(path, "rb") as fh:
        head = fh.read(4)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head == ZIP_MAGIC:
            return None
        fh.seek(0)
        while True:
            block = fh.read(1024 * 1024)
            pending = decoder.getstate()[0]
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                # The error's place counts from the bytes the decoder held back from the block before.
                at = max(0, exc.start - len(pending))
                return lines + ends(block[:at], after_cr)
            if not block:
                return None
            lines += ends(block, after_cr)
            after_cr = block[-1:] == b"\r"


def read_observation_chunks(path: str | Path, rows: int | None = None,
                            ) -> tuple[Iterator[pd.DataFrame], list[Issue]]:
    """The file's records as text frames of at most ``rows`` rows (:data:`CHUNK_ROWS` by default), and
    the issues of the whole file.

    The file is read twice: once to check its structure (encoding, header, quoting, the count of
    lines, the width of every row) keeping nothing, then, only if it is sound, in chunks. Memory
    therefore stays that of one chunk however long the file. A row of the wrong width is reported
    and left out; any other fault refuses the whole file (no chunk is given).
    """
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
        if size > FILE_LIMIT:
            return iter(()), [issue(source, None, None, size, "file_too_large", gb=FILE_LIMIT // 1024**3)]
        not_text = not_csv_text(path)
        if not_text is not None:
            return iter(()), [not_text]
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header, fault, issues = _survey(fh, source)
    except FileNotFoundError:
        return iter(()), [issue(source, None, None, None, "not_found")]
    except UnicodeDecodeError:
        # Named at the line of its first such byte (the decoder's own place counts from the block it was reading).
        return iter(()), [issue(source, first_not_utf8_line(path), None, None, "not_utf8")]
    if fault is not None:
        return iter(()), [fault]
    if header is None:
        return iter(()), [issue(source, 1, None, None, "empty_file")]
    header_issues = _header_issues(header, source)
    if header_issues:
        return iter(()), header_issues
    return _chunks(path, header, rows or CHUNK_ROWS), issues


def other_separator(header: list[str], source: str) -> Issue | None:
    """A header read as one column because the file separates its columns with semicolons (Excel's list
    separator in many locales) or tabs; None otherwise."""
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        return issue(source, 1, None, header[0], "semicolon" if ";" in header[0] else "tabs")
    return None


def _header_issues(header: list[str], source: str) -> list[Issue]:
    separator = other_separator(header, source)
    if separator is not None:
        return [separator]
    issues = []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        issues.append(issue(source, 1, ",".join(missing), None, "missing_columns"))
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        issues.append(issue(source, 1, ",".join(unknown), None, "unknown_columns", columns=", ".join(COLUMNS)))
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        issues.append(issue(source, 1, ",".join(dupes), None, "column_twice"))
    return issues


def _survey(fh, source: str) -> tuple[list[str] | None, Issue | None, list[Issue]]:
    """The header and the issues of a file's structure, read once without keeping any record.

    A record that runs over a line end, a broken quote or a count of lines different from the records
    read stops the survey with one issue at the line where the fault began; a row of the wrong width is
    an issue of its own and the survey goes on.
    """
    header: list[str] | None = None
    issues: list[Issue] = []
    for begin, row, fault in csv_records(fh, source):
        if fault is not None:
            return header, fault, issues
        if header is None:
            header = [h.strip() for h in row]
        elif len(row) != len(header) and any(cell.strip() for cell in row):
            issues.append(issue(source, begin, None, len(row), "width", fields=len(row), width=len(header)))
    return header, None, issues


def csv_records(fh, source: str, *, count_lines: bool = True) -> Iterator[tuple[int, list[str], Issue | None]]:
    """``(line it began on, fields, None)`` per record, or a last ``(line, [], the fault)``.

    With ``count_lines`` the file's physical lines are counted at the end against the records read (the
    survey does it; the chunked pass after it need not read the bytes again).
    """
    old_limit = csv.field_size_limit()
    csv.field_size_limit(FIELD_LIMIT)
    try:
        reader = csv.reader(fh, strict=True)
        last = 0  # physical lines read so far
        while True:
            begin = last + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield begin, [], csv_fault(source, begin, reader.line_num, str(exc))
                return
            span, last = reader.line_num - last, reader.line_num
            if span > 1:
                yield begin, [], issue(source, begin, None, None, "runs_over", begin=begin, span=span, last=last)
                return
            yield begin, row, None
        physical = _count_lines(fh.name) if count_lines else last
        if physical != last:
            yield last, [], issue(source, None, None, None, "line_count", physical=i18n.as_given(physical),
                                  records=i18n.as_given(last))
    finally:
        csv.field_size_limit(old_limit)


def _chunks(path: Path, header: list[str], rows: int) -> Iterator[pd.DataFrame]:
    """The non-blank records of the right width as text frames (the file's structure is already checked).

    Equal texts share one string object (the same indicator, place or source on a million rows is
    kept once), which keeps a large frame's memory to its pointers.
    """
    source, width = str(path), len(header)
    shared: dict[str, str] = {}

    def keep(text: str) -> str:
        text = text.strip()
        return shared.setdefault(text, text) if len(shared) < _SHARED_TEXTS else shared.get(text, text)

    def frame(block: list[list[str]], lines: list[int]) -> pd.DataFrame:
        data = {c: [""] * len(block) for c in COLUMNS}
        for j, h in enumerate(header):
            if h in _NUMBERS:  # parsed into floats by the checker: nothing to share
                data[h] = [r[j].strip() for r in block]
            else:
                data[h] = [keep(r[j]) for r in block]
        out = pd.DataFrame(data, columns=COLUMNS)
        out["file"] = source
        out["line"] = lines
        return out

    with path.open(encoding="utf-8-sig", newline="") as fh:
        block: list[list[str]] = []
        lines: list[int] = []
        records = csv_records(fh, source, count_lines=False)
        next(records)  # the header
        for begin, row, fault in records:
            if fault is not None:  # the file changed since it was surveyed
                raise ObservationError([fault], "observations")
            if len(row) == width and any(cell.strip() for cell in row):
                block.append(row)
                lines.append(begin)
                if len(block) == rows:
                    yield frame(block, lines)
                    block, lines = [], []
        if block:
            yield frame(block, lines)


#: Columns whose text becomes a number (not kept as text, so not shared).
_NUMBERS = frozenset({"value", "numerator", "denominator"})
#: Distinct texts shared per file at most (notes may all differ: past this, texts are no longer added).
_SHARED_TEXTS = 100_000


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


def csv_fault(source: str, begin: int, end: int, message: str) -> Issue:
    """The csv module's error as a rule an agency can act on, at the line where the record began."""
    if "field larger than field limit" in message:
        return issue(source, begin, None, None, "field_limit", kib=FIELD_LIMIT // 1024, begin=begin)
    if "unexpected end of data" in message or "EOF" in message:
        return issue(source, begin, None, None, "never_closed", begin=begin)
    if "NUL" in message:
        return issue(source, end, None, None, "nul")
    return issue(source, begin, None, None, "quoting", begin=begin, detail=message)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in COLUMNS + PROVENANCE})


#: A number as the format writes it: ASCII digits, an optional sign and decimal point, nothing else.
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$", re.ASCII)
_EXPONENT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+$", re.ASCII)


def _number(text: str) -> float | None:
    """The number a cell writes unambiguously, else ``None`` (see :func:`_number_rule` for why)."""
    if not _PLAIN_NUMBER.match(text):
        return None
    x = float(text)
    return x if math.isfinite(x) else None


def _number_rule(text: str) -> str:
    """Why a cell is not a number of the format: the key of its rule."""
    if _EXPONENT.match(text):
        return "exponent"
    if any(ch.isdigit() and not ("0" <= ch <= "9") for ch in text) or "_" in text or \
            re.search(r"\d\s+\d", text):
        return "digits"
    return "not_number"


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

    def bad(self, column: str, value: object, key: str, severity: str = "error", /, **values: object) -> None:
        self.issues.append(issue(self.src, self.line, column, value, key, severity, **values))


def _rule_indicator_and_unit(r: _Row) -> None:
    """The indicator is known (or carries its unit when unknown ones are allowed); the unit matches."""
    ind, given = r.text("indicator"), r.text("unit")
    if given and given not in UNITS:
        r.bad("unit", given, "unknown_unit", units=", ".join(UNITS))
    unit = r.catalogue.units.get(ind)
    if not ind:
        r.bad("indicator", ind, "required")
    elif unit is None and r.allow_unknown and given in UNITS:
        unit = given
    elif unit is None and r.allow_unknown:
        r.bad("indicator", ind, "give_unit")
    elif unit is None:
        r.bad("indicator", ind, "unknown_indicator")
    elif given in UNITS and given != unit:
        r.bad("unit", given, "unit_mismatch", indicator=ind, unit=unit)
    r.unit = unit
    r.out["unit"] = unit or given


def _rule_place(r: _Row) -> None:
    place, places = r.text("place"), r.catalogue.places
    if not place:
        r.bad("place", place, "required")
    elif places is not None and place not in places:
        r.bad("place", place, "unknown_place")


def _rule_year(r: _Row) -> None:
    """A calendar year from :data:`clock.FIRST_YEAR` to this year (the next one for an estimate)."""
    text, year = r.text("year"), None
    y = _number(text) if text else None
    last = r.catalogue.last_year + (r.text("status") == "estimate")
    if not text:
        r.bad("year", text, "required")
    elif y is None or y != int(y):
        r.bad("year", text, "whole_year")
    elif not clock.FIRST_YEAR <= y <= last:
        r.bad("year", text, "year_range", first=clock.FIRST_YEAR, last=last)
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
        r.bad("year", year, "place_not_yet", place=place, start=p.valid_from.isoformat(), suffix=REBASED_SUFFIX)
    if p.valid_to is not None and year > p.valid_to.year and p.after_end != "territory":  # type: ignore[operator]
        r.bad("year", year, "place_ended", place=place, end=p.valid_to.isoformat(),
              successors=", ".join(p.successors) or "–")


def _rule_quarter(r: _Row) -> None:
    text, quarter = r.text("quarter"), None
    q = _number(text) if text else None
    if text and (q is None or q not in (1, 2, 3, 4)):
        r.bad("quarter", text, "quarter")
    elif text:
        quarter = int(q)  # type: ignore[arg-type]
    elif r.text("indicator") in r.catalogue.quarterly:
        r.bad("quarter", text, "quarter_required", indicator=r.text("indicator"))
    r.out["quarter"] = quarter


def _rule_sex(r: _Row) -> None:
    sex = r.text("sex").lower()
    if sex not in SEXES:
        r.bad("sex", r.rec["sex"], "sex")
    r.out["sex"] = sex


def _rule_status(r: _Row) -> None:
    status = r.text("status") or "official"
    if status not in STATUSES:
        r.bad("status", r.rec["status"], "status", statuses=", ".join(STATUSES))
    r.out["status"] = status


def read_value(text: str, unit: str | None) -> tuple[float | None, str | None]:
    """A value cell as the format reads it: ``(number, None)``, or ``(None, key of the rule it breaks)``.

    ASCII digits with a decimal point, or one decimal comma (``109,5``); a comma before three digits
    (``1,050``) is ambiguous and refused, as is a dot before three digits in a count (``1.050``).
    """
    if not text:
        return None, "required"
    if _THOUSANDS.match(text):
        # "1,050" is a thousand and fifty in English and one point zero five in Vietnamese: refuse to guess.
        return None, "thousands"
    if unit == "count" and _DOT_THOUSANDS.match(text):
        return None, "count_thousands"
    plain = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    value = _number(plain)
    return (value, None) if value is not None else (None, _number_rule(plain))


def range_rule(value: float, unit: str) -> tuple[str, dict[str, str]] | None:
    """The rule a value breaks for its unit, with the rule's fields, or None: the unit's range
    (:data:`RANGES`), then the rules inside it (a count is whole, yes/no is 0 or 1, a ratio positive)."""
    if unit not in RANGES:
        return None
    lo, hi = RANGES[unit]
    if not lo <= value <= hi:
        words = {lang: i18n.entries("rules.unit_words", lang).get(unit, unit) for lang in i18n.LANGUAGES}
        return _RANGE_RULES.get(unit, "range"), {"unit": words, "lo": i18n.as_given(lo), "hi": i18n.as_given(hi)}
    if unit in _VALUE_RULES and not _VALUE_RULES[unit][0](value):
        return _VALUE_RULES[unit][1], {}
    return None


def _rule_value(r: _Row) -> None:
    text = r.text("value")
    value, broken = read_value(text, r.unit)
    if broken is not None:
        r.bad("value", text, broken)
    r.out["value"] = value


def _rule_counts(r: _Row) -> None:
    for col in ("numerator", "denominator"):
        text, r.out[col] = r.text(col), None
        n = _number(text) if text else None
        if text and _DOT_THOUSANDS.match(text):
            r.bad(col, text, "count_thousands")
        elif text and n is None and _number_rule(text) != "not_number":
            r.bad(col, text, _number_rule(text))
        elif text and (n is None or n < 0 or n != int(n)):
            r.bad(col, text, "count_cell")
        elif text:
            r.out[col] = n


def _rule_range(r: _Row) -> None:
    """The unit's range; a plausibility band (SRB) only where the births behind it are many enough."""
    value, unit, text = r.out["value"], r.unit, r.text("value")
    if not isinstance(value, float) or unit is None:
        return
    broken = range_rule(value, unit)
    if broken is None:
        return
    lo, hi = RANGES[unit]
    num, den = r.out["numerator"], r.out["denominator"]
    events = num + den if unit in BAND_FROM_EVENTS and num is not None and den is not None else None  # type: ignore[operator]
    if not lo <= value <= hi and events is not None and events < BAND_FROM_EVENTS[unit]:
        r.bad("value", text, "band_warning", "warning", lo=i18n.as_given(lo), hi=i18n.as_given(hi),
              events=i18n.as_given(events), band=i18n.as_given(BAND_FROM_EVENTS[unit]))
    else:
        r.bad("value", text, broken[0], **broken[1])


#: The rule of a value outside its unit's range, where the generic "<unit> must lie between" is not enough.
_RANGE_RULES = {"per_100": "range_per_100", "count": "range_count"}
#: Further rules on a value inside its unit's range: (test, the rule broken when the test fails).
_VALUE_RULES: dict[str, tuple[Callable[[float], bool], str]] = {
    "count": (lambda v: v == int(v), "whole_count"),
    "yes_no": (lambda v: v in (0, 1), "yes_no"),
    "ratio": (lambda v: v > 0, "ratio"),
}


def _rule_counts_agree(r: _Row) -> None:
    """Numerator and denominator go together, fit the unit and give the value (within rounding)."""
    num, den, value, unit = r.out["numerator"], r.out["denominator"], r.out["value"], r.unit
    if bool(r.text("numerator")) != bool(r.text("denominator")):
        r.bad("numerator" if not r.text("numerator") else "denominator", "", "together")
    elif num is None or den is None:
        return
    elif den == 0:
        r.bad("denominator", r.text("denominator"), "positive")
    elif unit in SHARE_UNITS and num > den:  # type: ignore[operator]
        r.bad("numerator", r.text("numerator"), "num_over_den", num=i18n.as_given(num), den=i18n.as_given(den))
    elif unit in SCALE and value is not None:
        implied = SCALE[unit] * num / den  # type: ignore[operator]
        # Agencies publish rounded values (often whole numbers): allow half a unit or 0.5%.
        if abs(implied - value) > max(0.5, abs(implied) * 0.005):  # type: ignore[operator]
            # Each number in its language's style: "83/200 cho ra 41,5" / "83/200 gives 41.5".
            r.bad("value", r.text("value"), "disagree", num=i18n.as_given(num), den=i18n.as_given(den),
                  implied=i18n.as_given(round(implied, 2)))


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
    good, issues = _check_rows(raw, catalogue, allow_unknown_indicators)
    kept, dup_issues = _one_per_key(good)
    return kept, issues + dup_issues


def _check_rows(raw: pd.DataFrame, catalogue: Catalogue, allow_unknown: bool,
                ) -> tuple[pd.DataFrame, list[Issue]]:
    """The rows that pass every row rule, typed (duplicates not yet looked at), and the issues found."""
    issues: list[Issue] = []
    good: list[dict[str, object]] = []
    for rec in raw.to_dict("records"):
        line = int(rec.get("line") or 0) or None
        out: dict[str, object] = {c: rec.get(c, "") for c in COLUMNS + PROVENANCE}
        row = _Row(rec, catalogue, allow_unknown, str(rec.get("file", "")), line, out, [])
        for _, rule in ROW_RULES:
            rule(row)
        out["series"], out["line"] = str(rec["series"]), line
        if not any(i.severity == "error" for i in row.issues):
            good.append(out)
        issues.extend(row.issues)
    return typed(pd.DataFrame(good, columns=COLUMNS + PROVENANCE)), issues


def _one_per_key(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Issue]]:
    """One row per key (:data:`KEY`): a higher status supersedes a lower one, a different value of the
    same status conflicts (both rows after the first are refused), an equal value is kept once.

    Only the rows whose key repeats are looked at one by one, so a large frame costs one hash of its keys.
    """
    repeated = frame.duplicated(KEY, keep=False)
    if not repeated.any():
        return frame, []
    issues: list[Issue] = []
    drop: list[int] = []
    first: dict[tuple, int] = {}  # key -> index of the row kept so far
    sub = frame.loc[repeated]
    for idx, row in zip(sub.index, sub.to_dict("records")):
        key = tuple(None if c == "quarter" and pd.isna(row[c]) else row[c] for c in KEY)
        prev = first.get(key)
        if prev is None:
            first[key] = idx
            continue
        kept = frame.loc[prev]
        # The value as the file has it, every digit, never in exponent form (1349000, not 1.349e+06).
        text, where = f"{float(row['value']):.10f}".rstrip("0").rstrip("."), f"{kept['file']}:{kept['line']}"
        new_rank, old_rank = STATUS_RANK[str(row["status"])], STATUS_RANK[str(kept["status"])]
        here = {"file": str(row["file"]), "line": int(row["line"]) if pd.notna(row["line"]) else None}
        if new_rank != old_rank:
            # An agency's official figure replaces an illustrative or estimated one for the same key:
            # nothing is lost (both files stay), and `check` says which value is used.
            winner, loser = (row, kept) if new_rank > old_rank else (kept, row)
            if new_rank > old_rank:
                drop.append(prev)
                first[key] = idx
            else:
                drop.append(idx)
            issues.append(issue(here["file"], here["line"], "value", text, "superseded", "warning",
                                loser=status_words(str(loser["status"])), loser_at=f"{loser['file']}:{loser['line']}",
                                winner=status_words(str(winner["status"])),
                                winner_at=f"{winner['file']}:{winner['line']}"))
        elif abs(float(kept["value"]) - float(row["value"])) > 1e-9:
            drop.append(idx)
            said = issue(here["file"], here["line"], "value", text, "conflict", where=where,
                         value=i18n.as_given(float(kept["value"])))
            same_file = str(kept["file"]) == here["file"] and pd.notna(kept["line"])
            issues.append(dataclasses.replace(said, with_line=int(kept["line"])) if same_file else said)
        else:
            drop.append(idx)
            issues.append(issue(here["file"], here["line"], "value", text, "duplicate", "warning", where=where))
    return frame.drop(index=drop), issues


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


#: The columns of free text a person types (codes are checked against their lists instead).
TEXT_COLUMNS = ("source", "note", "series")
#: A run of letters and question marks: one word as a CSV export that lost letters wrote it ("Qu?ng", "Tr?").
_LETTERS_AND_MARKS = re.compile(r"(?:[^\W\d_]|\?)+")
#: A whitespace-separated piece of a web address, whose "?" begins a query ("…/bao-cao?id=3"), not a lost letter.
_WEB_ADDRESS = re.compile(r"\S*(?:://|\bwww\.|\?[^\W\d_]\w*=)\S*", re.IGNORECASE)
#: The most letters a Vietnamese syllable has before a last letter that was lost: "S?" of "Sở", "Tr?" of "Trị",
#: "Ngh?" of "Nghệ", "thu?" of "thuở". A longer word before a "?" ("revised?") is a question.
SYLLABLE_HEAD = 4
#: A "?" between two letters of a word; a word of a syllable's first letters ended by "?".
_MARK_INSIDE = re.compile(r"[^\W\d_]\?+[^\W\d_]")
_MARK_AT_END = re.compile(rf"[^\W\d_]{{1,{SYLLABLE_HEAD}}}\?+")
_LETTER = re.compile(r"[^\W\d_]")


def _western(text: str) -> bool:
    """Whether every character of ``text`` is one a Western European character set can write (LibreOffice's default
    "Western Europe": Windows-1252 or Latin-1). A text with one it cannot ("ư", "ơ", "đ", "ạ", "ị") was not saved
    through one: a "?" of it is what was typed."""
    for encoding in ("cp1252", "latin-1"):
        try:
            text.encode(encoding)
            return True
        except UnicodeEncodeError:
            pass
    return False


def _lost_words(text: str) -> tuple[list[str], bool] | None:
    """The words of ``text`` whose "?" may stand for a letter a Western European CSV export could not write, and
    whether the text shows it for sure; None when no word may.

    Sure: a "?" between letters ("C?c", "Th?ng", "Qu?ng", "H??ng" of "Hướng"), or after the few letters a syllable
    has before its last letter (:data:`SYLLABLE_HEAD`) with more words after it ("S? Y t?", "S? Tài chính"). Only
    possible: such a word at the end of the text ("Tr?", "B?"), which a question may end with too ("ro?", "quý?"):
    it counts when the file shows the loss elsewhere. Never: a "?" after a space or a digit ("chưa rõ ?", "2020?"),
    after a longer word ("revised?"), in a web address, or in a text holding a letter no Western character set has
    ("chưa rõ?", "Số liệu chốt?").
    """
    if "?" not in text or not _western(text):
        return None
    text = _WEB_ADDRESS.sub(" ", text)
    words, sure = [], False
    for m in _LETTERS_AND_MARKS.finditer(text):
        inside = _MARK_INSIDE.search(m.group()) is not None
        if not (inside or _MARK_AT_END.fullmatch(m.group())):
            continue
        words.append(m.group())
        sure |= inside or _LETTER.search(text, m.end()) is not None
    return (words, sure) if words else None


def lost_letters(raw: pd.DataFrame, columns: Iterable[str] = TEXT_COLUMNS) -> list[Issue]:
    """An error for each cell of ``columns`` of a text frame (with ``file`` and ``line``) whose "?" stand for
    letters lost when the file was saved as CSV in a Western European character set (:func:`_lost_words`).

    LibreOffice's default export ("Western Europe") writes "?" for every letter it lacks: "Cục Thống kê Quảng Trị"
    becomes "C?c Th?ng kê Qu?ng Tr?". Such a file may be plain ASCII, so it reads as UTF-8, and its notes and sources
    would be stored with their letters gone. The letters cannot be read back from it; the file is to be saved again
    from the original spreadsheet as UTF-8. A text only possibly so ("Tr?" alone) counts when its file has one that
    surely is. The rows named are left out by the caller; the other rows of the file are valid.
    """
    found: list[tuple[str, int | None, str, str, list[str], bool]] = []
    for column in columns:
        if column not in raw.columns:
            continue
        marked = raw[column].astype(str).str.contains("?", regex=False)
        if not marked.any():
            continue
        for text, file, line in raw.loc[marked, [column, "file", "line"]].itertuples(index=False):
            said = _lost_words(str(text))
            if said is not None:
                found.append((str(file), int(line) if pd.notna(line) else None, column, str(text), *said))
    damaged = {file for file, *_, sure in found if sure}
    return [issue(file, line, column, text, "lost_letters", words={
        "vi": ", ".join(f"“{w}”" for w in words), "en": ", ".join(f'"{w}"' for w in words)})
        for file, line, column, text, words, sure in sorted(found, key=lambda f: (f[0], f[1] or 0))
        if file in damaged]


#: Folders of ``data/`` that hold no observations (reference tables, back-test panels, rejected cells).
NOT_OBSERVATION_DIRS = frozenset({"reference", "panels", "quarantine"})
#: Files elsewhere in ``data/`` that are logs, not observations.
NOT_OBSERVATION_FILES = frozenset({"revisions.csv"})


def default_observation_files(data_dir: str | Path | None = None) -> list[Path]:
    """Every observation CSV bundled in ``data/``.

    Every CSV outside the reference, panel and quarantine folders is an observation file (the revision
    log excepted): one whose header is wrong is read, and refused with an error naming its header,
    never passed over in silence. Hidden files and folders (a name beginning with ``.``: editors' and
    other systems' copies, the review cache) are not read, as they are not part of a review's inputs;
    ``check`` names each hidden CSV it finds (:func:`hidden_observation_files`).
    """
    root = _data_root(data_dir)
    return [p for p in _candidate_files(root) if not _hidden(p, root)]


def hidden_observation_files(data_dir: str | Path | None = None) -> list[Path]:
    """The CSVs of ``data/`` left unread because their name or a folder's begins with ``.``."""
    root = _data_root(data_dir)
    return [p for p in _candidate_files(root) if _hidden(p, root)]


def upper_case_csv_files(data_dir: str | Path | None = None) -> list[Path]:
    """Files of ``data/`` ending in ``.CSV`` (or any case but ``.csv``): not read, so ``check`` names them."""
    root = _data_root(data_dir)
    return [p for p in _candidate_files(root, other_case=True) if not _hidden(p, root)]


def _data_root(data_dir: str | Path | None) -> Path:
    return Path(data_dir) if data_dir is not None else paths.data_dir()


def _candidate_files(root: Path, *, other_case: bool = False) -> list[Path]:
    """The ``.csv`` files outside the reference, panel and quarantine folders (the revision log excepted);
    with ``other_case``, the files there whose extension is ``.csv`` in another case (``.CSV``) instead."""
    files = []
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() != ".csv" or (path.suffix != ".csv") != other_case or not path.is_file():
            continue
        rel = path.relative_to(root)
        if rel.parts[0] in NOT_OBSERVATION_DIRS or path.name in NOT_OBSERVATION_FILES:
            continue
        files.append(path)
    return files


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


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
    kept, issues = [], []
    for path in paths_:
        chunks, errs = read_observation_chunks(path)
        issues += errs
        for raw in chunks:
            good, row_issues = _check_rows(raw, catalogue, allow_unknown_indicators)
            lost = lost_letters(raw)
            if lost:  # a row whose text lost its letters is refused as a row with any other error is
                good = good[~good["line"].isin({i.line for i in lost})]
            kept.append(good)
            issues += row_issues + lost
    frame = pd.concat(kept, ignore_index=True) if kept else empty_observations()
    frame, dup_issues = _one_per_key(frame)
    frame, source_issues = real_or_illustrative(frame)
    return frame.reset_index(drop=True), issues + dup_issues + source_issues


#: A series with this many real values (official, preliminary, estimate) leaves its illustrative values out
#: rather than joining them to the real ones: values of different sources never make one trend. One real value
#: is enough: with it alone the series is too short to project, and the outputs say so, where a trend through
#: it and invented neighbours would look like a projection of real data (3.5a at Đa Krông: the press's 11
#: child marriages of 2016 among invented 40–58 read as a rising trend).
REAL_FOR_A_TREND = 1


def real_or_illustrative(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Issue]]:
    """Leave out the illustrative values of a series that has :data:`REAL_FOR_A_TREND` real values or more.

    An illustrative value gives way to a real one of the same year (:func:`_one_per_key`); without this, a
    series with a few real years (child marriages from the press) would keep invented values in the years
    between and be projected along one trend through both. One warning per series names what is left out.
    """
    if frame.empty:
        return frame, []
    illustrative = (frame["status"] == "illustrative").to_numpy()
    if not illustrative.any() or illustrative.all():
        return frame, []
    series = ["indicator", "place", "sex", "series"]
    keys = frame[series].fillna("").astype(str).agg("|".join, axis=1)
    has_quarter = frame["quarter"].notna().to_numpy() if "quarter" in frame.columns else np.zeros(len(frame), bool)
    keys = keys + np.where(has_quarter, "|q", "")
    real = pd.Series(~illustrative, index=frame.index).groupby(keys).sum()
    mixed = set(real[real >= REAL_FOR_A_TREND].index)
    out = pd.Series(illustrative, index=frame.index) & keys.isin(mixed)
    issues = []
    for key in sorted(set(keys[out])):
        left, kept = frame[out & (keys == key)], frame[~illustrative & (keys == key).to_numpy()]
        first = left.sort_values("year").iloc[0]
        issues.append(issue(str(first["file"]), int(first["line"]) if pd.notna(first["line"]) else None, None,
                            None, "illustrative_left_out", "warning", indicator=first["indicator"],
                            place=first["place"], n=len(left), real=len(kept),
                            years=", ".join(str(y) for y in sorted(kept["year"].astype(int)))))
    return frame.loc[~out.to_numpy()], issues


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
