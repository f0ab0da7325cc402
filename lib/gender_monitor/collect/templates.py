"""The yearly reporting templates: one Excel workbook per reporting agency, asking only for its own indicators."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from gender_monitor.core import i18n, paths
from gender_monitor.core.cells import keep_as_text
from gender_monitor.core.exceptions import GenderMonitorError
from gender_monitor.core.units import RANGES, WHOLE_UNITS
from gender_monitor.data.harmonise import existed_in, old_provinces_of
from gender_monitor.plan.reference import Agencies, Place, Places, quarter_dates
from gender_monitor.plan.registry import Plan

SUITE = "gender-monitor"
#: Bumped whenever the layout below changes; ingestion refuses versions it does not know.
TEMPLATE_VERSION = "1"
DATA_SHEET = i18n.t("collect.sheets.data")
INSTRUCTIONS_SHEET = i18n.t("collect.sheets.instructions")
META_SHEET = "_meta"
LABEL_ROW = 1  # Vietnamese column labels
HEADER_ROW = 2  # machine names: ingestion recognises the layout by this row
FIRST_ROW = 3
#: Blank, unlocked rows after the listed ones, for a breakdown the list does not offer (e.g. a district).
EXTRA_ROWS = 10
#: Years of previous values shown beside each row, for reference.
PREVIOUS_YEARS = 3
#: Columns an agency fills (unlocked, shaded).
INPUT_COLUMNS = ("value", "numerator", "denominator", "status", "source", "note")
#: Statuses an agency may give, as shown in the list (Vietnamese) and as stored.
STATUS_CHOICES: dict[str, str] = {word: status for status, word in i18n.entries("collect.status_choices").items()}

# The template's words (Vietnamese): locales/vi/collect.yaml.
LABELS_VI: dict[str, str] = i18n.entries("collect.labels")
UNIT_VI: dict[str, str] = i18n.entries("collect.units")
#: What numerator and denominator mean, per unit (the observation format's convention).
COUNTS_VI: dict[str, str] = i18n.entries("collect.counts")
#: How the status of a previous-year value is shown after the number (an official value has no mark).
STATUS_MARKS: dict[str, str] = i18n.entries("collect.status_marks")
#: What each mark means, for the legend on the instruction sheet.
STATUS_LEGEND_VI: dict[str, str] = i18n.entries("collect.status_legend")
QUARTER_VI = {1: "I", 2: "II", 3: "III", 4: "IV"}

def _vi(key: str, **values: object) -> str:
    """The template's text at ``collect.<key>`` (the templates are in Vietnamese)."""
    return i18n.t(f"collect.{key}", "vi", **values)


_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_ILLUSTRATIVE_FONT = Font(italic=True, color="808080")


def value_rule(unit: str) -> tuple[str, str, str, str | None]:
    """Excel validation of a value cell: (type, operator, formula1, formula2).

    The bounds are :data:`core.units.RANGES` (an open upper end becomes "at least"); whole numbers
    for :data:`WHOLE_UNITS`. Excel's check is only a first guard: ingestion applies the full rules
    (a ratio must be positive, for instance, where Excel can only say "between 0 and 20").
    """
    lo, hi = RANGES[unit]
    kind = "whole" if unit in WHOLE_UNITS else "decimal"
    if math.isinf(hi):
        return kind, "greaterThanOrEqual", f"{lo:g}", None
    return kind, "between", f"{lo:g}", f"{hi:g}"


def exists_whole_quarter(place: Place, year: int, quarter: int) -> bool:
    """Whether ``place`` existed on every day of the quarter (see :meth:`Place.exists_whole_quarter`)."""
    return place.exists_whole_quarter(year, quarter)


def template_columns(year: int) -> list[str]:
    """Machine names of the data sheet's columns, left to right, for a template of ``year``."""
    prev = [f"prev_{y}" for y in range(year - PREVIOUS_YEARS, year)]
    return ["code", "name_vi", "place", "place_name", "year", "quarter", "unit", *prev, *INPUT_COLUMNS,
            "definition"]


def template_file_name(agency: str, year: int) -> str:
    return f"mau-bao-cao-{year}-{agency}.xlsx"


#: The start of :func:`template_file_name`'s names: what a copy of a template keeps of its name (saved as
#: ``.xls``, as CSV, or as ``mau-bao-cao-2025-SYT (1).xlsx`` by a browser).
_TEMPLATE_NAME = re.compile(r"mau-bao-cao-(?P<year>\d{4})-(?P<agency>[A-Za-z]+)")


def named_as_template(name: str) -> tuple[str, int] | None:
    """``(agency, year)`` a file's name gives when it begins as :func:`template_file_name` names templates, else
    None (the agency code as written: the caller checks it is one)."""
    match = _TEMPLATE_NAME.match(Path(name).name)
    return (match["agency"], int(match["year"])) if match else None


@dataclass(frozen=True)
class Indicator:
    """One code an agency reports: a plan target or an auxiliary input."""

    code: str
    name_vi: str
    unit: str
    frequency: str
    definition: str
    sensitive: bool
    #: Stored one value per quarter (auxiliary inputs only, as in ``observations.Catalogue``); a
    #: quarterly *target* such as 6.3 is reported once a year as the share meeting the quarterly rule.
    quarterly: bool = False


@dataclass(frozen=True)
class Row:
    """One line to fill: indicator × place × period."""

    indicator: Indicator
    place: str
    quarter: int | None


@dataclass(frozen=True)
class TemplateInfo:
    """What :func:`write_templates` made for one agency."""

    agency: str
    path: Path
    codes: tuple[str, ...]
    rows: int


def reporting_agencies(plan: Plan, agencies: Agencies, year: int) -> dict[str, list[Indicator]]:
    """The agencies that report in ``year`` and their indicators, in the plan's order.

    Each target goes to the current holder of its lead agency's function
    (``agencies.responsible(lead, target=code, on=year)``). An auxiliary input follows the target it
    feeds, because the function that moved is the target's.
    """
    out: dict[str, list[Indicator]] = {}
    for t in plan.targets:
        who = agencies.responsible(t.lead_agency, target=t.code, on=year).code
        out.setdefault(who, []).append(Indicator(t.code, t.name_vi, t.unit, t.frequency, t.text_vi, t.sensitive))
    for i in plan.inputs:
        who = agencies.responsible(i.lead_agency, target=i.feeds or i.code, on=year).code
        period = _vi("input.quarterly") if i.frequency == "quarterly" else ""
        definition = _vi("input.definition", name=i.name_vi, period=period, feeds=i.feeds) if i.feeds else i.name_vi
        out.setdefault(who, []).append(Indicator(i.code, i.name_vi, i.unit, i.frequency, definition, i.sensitive,
                                                 quarterly=i.frequency == "quarterly"))
    return out


def coordinator(plan: Plan, agencies: Agencies, year: int) -> str:
    """The agency that collects the reports in ``year`` (the plan's coordinator or its successor)."""
    return agencies.responsible(plan.plan.reporting.coordinator, on=year).code


def due_date(plan: Plan, year: int) -> dt.date:
    month, day = (int(p) for p in plan.plan.reporting.due_day.split("-"))
    return dt.date(year, month, day)


def round_of(day: dt.date | None, plan: Plan) -> int | None:
    """The reporting year whose due day (:func:`due_date`) is nearest to ``day``: the round a return that
    arrived on ``day`` belongs to (returns gather around their due day; a late one comes weeks after it, not
    months). None without a day."""
    if day is None:
        return None
    return min((day.year - 1, day.year, day.year + 1), key=lambda y: abs((due_date(plan, y) - day).days))


def provinces_for(year: int, places: Places, province: str) -> list[str]:
    """The province-level units asked for in ``year``: the plan's province and, once it exists, its successor.

    The plan's province stays (its territory is still tracked after a merger); the successor (the new
    province of ``places.csv``) is added from the year of its ``valid_from``.
    """
    successors = [s for s in places[province].successors if existed_in(places[s], year)]
    return [province, *successors]


def rows_for(indicator: Indicator, year: int, places: Places, province: str) -> list[Row]:
    """The lines an agency fills for one indicator in ``year``.

    Yearly values: see :func:`provinces_for`. Quarterly inputs are counted where they happen: the
    communes that exist for the whole quarter (:func:`exists_whole_quarter`), and the province for
    quarters without such communes, since the old communes are not in the places table.
    """
    provinces = provinces_for(year, places, province)
    if not indicator.quarterly:
        return [Row(indicator, p, None) for p in provinces]
    rows: list[Row] = []
    for quarter in range(1, 5):
        communes = sorted(c.code for p in provinces for c in places.children(p, level="commune")
                          if exists_whole_quarter(c, year, quarter))
        first, _ = quarter_dates(year, quarter)
        here = communes or [p for p in provinces if places[p].exists_on(first)]
        rows += [Row(indicator, c, quarter) for c in here]
    return sorted(rows, key=lambda r: (r.place, r.quarter))


def previous_values(observations: pd.DataFrame, year: int) -> dict[tuple, tuple[float, str]]:
    """Values of the years before ``year`` by (code, place, quarter, year): (value, status).

    Both sexes, default series only: that is what the template asks for.
    """
    if observations.empty:
        return {}
    sel = observations[(observations["year"] >= year - PREVIOUS_YEARS) & (observations["year"] < year)
                       & (observations["sex"] == "") & (observations["series"] == "")]
    out = {}
    for r in sel.itertuples(index=False):
        q = None if pd.isna(r.quarter) else int(r.quarter)
        out[(r.indicator, r.place, q, int(r.year))] = (float(r.value), str(r.status))
    return out


def build_template(agency: str, year: int, *, plan: Plan, agencies: Agencies, places: Places,
                   observations: pd.DataFrame | None = None) -> tuple[Workbook, int]:
    """The workbook for one agency and year, and the number of rows to fill.

    Raises
    ------
    GenderMonitorError
        If ``agency`` does not report any indicator in ``year``.
    """
    who = reporting_agencies(plan, agencies, year)
    if agency not in who:
        raise GenderMonitorError(f"agency {agency!r} reports no indicator in {year}, so it has no template; "
                                 f"the agencies that report in {year} are {', '.join(sorted(who))}")
    indicators = who[agency]
    rows = [r for ind in indicators for r in rows_for(ind, year, places, plan.plan.place)]
    previous = previous_values(observations if observations is not None else pd.DataFrame(), year)
    wb = Workbook()
    _instructions(wb.active, agency, year, indicators, rows, plan=plan, agencies=agencies, places=places)
    _data_sheet(wb.create_sheet(DATA_SHEET), year, rows, places, previous)
    _meta_sheet(wb.create_sheet(META_SHEET), agency, year, indicators, len(rows))
    return wb, len(rows)


def write_templates(year: int, out_dir: str | Path, *, data_dir: str | Path | None = None,
                    agencies_only: Iterable[str] | None = None) -> list[TemplateInfo]:
    """Write one template per reporting agency of ``year`` into ``out_dir``.

    Parameters
    ----------
    year
        The reporting year (values for the calendar year, due on the plan's due day of that year).
    out_dir
        Folder for the ``.xlsx`` files (created).
    data_dir
        The data folder whose values are shown as previous years (and whose ``reference/`` tables
        are used when present); the repository's ``data/`` by default.
    agencies_only
        Restrict to these agency codes.
    """
    from gender_monitor.data.observations import check_observations, default_observation_files
    from gender_monitor.plan.reference import load_agencies, load_places
    from gender_monitor.plan.registry import load_plan

    data = Path(data_dir) if data_dir is not None else paths.data_dir()
    ref = data / "reference" if (data / "reference" / "places.csv").exists() else None
    agencies = load_agencies(ref)
    plan = load_plan(agencies=agencies.codes)
    places = load_places(ref)
    # Invalid rows are simply not shown as previous values; `check` is where they are reported.
    obs, _ = check_observations(default_observation_files(data), plan=plan, places=places)
    wanted = set(agencies_only) if agencies_only is not None else None
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for agency, indicators in reporting_agencies(plan, agencies, year).items():
        if wanted is not None and agency not in wanted:
            continue
        wb, n = build_template(agency, year, plan=plan, agencies=agencies, places=places, observations=obs)
        path = out / template_file_name(agency, year)
        wb.save(path)
        made.append(TemplateInfo(agency, path, tuple(i.code for i in indicators), n))
    return made


# -- sheets -----------------------------------------------------------------------------------------
def _instructions(ws: Worksheet, agency: str, year: int, indicators: list[Indicator], rows: list[Row], *,
                  plan: Plan, agencies: Agencies, places: Places) -> None:
    ws.title = INSTRUCTIONS_SHEET
    due = due_date(plan, year)
    boss = agencies[coordinator(plan, agencies, year)]
    me = agencies[agency]
    lines: list[tuple[str, bool]] = [
        (_vi("instructions.title", year=year), True),
        (plan.plan.title_vi, False),
        (_vi("instructions.agency", name=me.name_vi, code=me.code), True),
        (_vi("instructions.due", date=i18n.date(due, "vi")), True),
        (_vi("instructions.recipient", name=boss.name_vi), True),
        ("", False),
        (_vi("instructions.how"), True),
        *((text.format(sheet=DATA_SHEET, extra=EXTRA_ROWS), False)
          for text in i18n.entries("collect.instructions.steps").values()),
        *((_vi("instructions.legend_line", mark=STATUS_MARKS[s], meaning=STATUS_LEGEND_VI[s]), False)
          for s in STATUS_MARKS),
        *((text, False) for text in i18n.entries("collect.instructions.steps_after").values()),
        ("", False),
        (_vi("instructions.places"), True),
    ]
    lines += [(text, False) for text in place_instructions(year, rows, places, plan.plan.place)]
    lines += [("", False), (_vi("instructions.units"), True)]
    for unit in sorted({i.unit for i in indicators}):
        lines.append((_vi("instructions.unit_line", unit=UNIT_VI[unit], counts=COUNTS_VI[unit]), False))
    sensitive = [i.code for i in indicators if i.sensitive]
    if sensitive:
        lines += [("", False), (_vi("instructions.sensitive"), True),
                  (_vi("instructions.sensitive_text", codes=", ".join(sensitive)), False)]
    lines += [("", False), (_vi("instructions.indicators"), True)]
    lines += [(_vi("instructions.indicator_line", code=i.code, name=i.name_vi, unit=UNIT_VI[i.unit]), False)
              for i in indicators]
    for n, (text, bold) in enumerate(lines, start=1):
        cell = keep_as_text(ws.cell(row=n, column=1, value=text))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 120


def place_instructions(year: int, rows: list[Row], places: Places, province: str) -> list[str]:
    """The "Địa bàn" paragraphs of the instructions, written from the places table and the rows offered.

    Nothing about a reorganisation is typed here: the new province, its date, the old provinces it
    joins and the communes come from ``places.csv``, so a new reorganisation changes the data only.
    """
    old = places[province]
    provinces = provinces_for(year, places, province)
    out = []
    if len(provinces) == 1:
        out.append(_vi("places.one_province", name=old.name_vi, code=province))
    elif any(r.quarter is None for r in rows):
        new = places[provinces[1]]
        members = sorted(old_provinces_of(places, new.code), key=lambda c: (c != province, c))
        joined = _vi("places.and").join(_vi("places.old_province", name=places[c].name_vi) for c in members)
        since = (_vi("places.since", date=i18n.date(new.valid_from, "vi")) if new.valid_from is not None
                 else _vi("places.since_unknown"))
        out.append(_vi("places.merged", since=since, new=new.name_vi, new_code=new.code, joined=joined,
                       old=old.name_vi, old_code=province))
    quarterly = [r for r in rows if r.quarter is not None]
    if quarterly:
        codes = " ".join(dict.fromkeys(r.indicator.code for r in quarterly))
        communes = sorted({r.place for r in quarterly if places[r.place].level == "commune"})
        by_commune = sorted({r.quarter for r in quarterly if r.place in communes})
        by_province = sorted({(r.quarter, r.place) for r in quarterly if r.place not in communes})
        if communes:
            span = "" if len(by_commune) == 4 else _vi(
                "places.quarter_span", quarters=", ".join(QUARTER_VI[q] for q in by_commune), year=year)
            out.append(_vi("places.quarterly_communes", codes=codes, first=communes[0], last=communes[-1],
                           span=span))
        for place in dict.fromkeys(p for _, p in by_province):
            quarters = ", ".join(QUARTER_VI[q] for q, p in by_province if p == place)
            out.append(_vi("places.quarterly_province", codes=codes, quarters=quarters, year=year,
                           place=place_label(places, place, year), code=place))
    return out


def _data_sheet(ws: Worksheet, year: int, rows: list[Row], places: Places,
                previous: dict[tuple, tuple[float, str]]) -> None:
    columns = template_columns(year)
    col = {name: i for i, name in enumerate(columns, start=1)}
    for name, i in col.items():
        label = LABELS_VI.get(name) or _vi("previous_year", year=name.split("_")[1])
        for r, text in ((LABEL_ROW, label), (HEADER_ROW, name)):
            c = ws.cell(row=r, column=i, value=text)
            c.font = Font(bold=r == LABEL_ROW, color=None if r == LABEL_ROW else "808080")
            c.fill = _HEAD_FILL
            c.alignment = Alignment(wrap_text=True, vertical="top")
    # The machine names are for ingestion, not for the agency: hidden (still read, still locked).
    ws.row_dimensions[HEADER_ROW].hidden = True
    for n, row in enumerate(rows, start=FIRST_ROW):
        ind = row.indicator
        fixed = {"code": ind.code, "name_vi": ind.name_vi, "place": row.place,
                 "place_name": place_label(places, row.place, year), "year": year, "quarter": row.quarter,
                 "unit": UNIT_VI[ind.unit], "definition": ind.definition}
        for name, value in fixed.items():
            keep_as_text(ws.cell(row=n, column=col[name], value=value))
        for y in range(year - PREVIOUS_YEARS, year):
            got = previous.get((ind.code, row.place, row.quarter, y))
            if got is not None:
                c = ws.cell(row=n, column=col[f"prev_{y}"], value=got[0])
                mark = STATUS_MARKS.get(got[1])
                if mark:
                    # The cell stays a number; the status is printed after it (Excel and LibreOffice).
                    c.number_format = f'General" ({mark})"'
                if got[1] == "illustrative":
                    c.font = _ILLUSTRATIVE_FONT
    last = FIRST_ROW + len(rows) + EXTRA_ROWS - 1
    for n in range(FIRST_ROW, last + 1):
        for name in INPUT_COLUMNS + (("code", "place", "year", "quarter") if n >= FIRST_ROW + len(rows) else ()):
            c = ws.cell(row=n, column=col[name])
            c.protection = Protection(locked=False)
            c.fill = _INPUT_FILL
    _validations(ws, year, rows, col, last)
    for n in range(FIRST_ROW, last + 1):
        # Text, so that a code typed into a blank row (4.10, 6.3.news) is not read as a number.
        ws.cell(row=n, column=col["code"]).number_format = "@"
    for name, width in {"code": 9, "name_vi": 40, "place": 11, "place_name": 22, "year": 7, "quarter": 5,
                        "unit": 18, "source": 30, "note": 30, "definition": 60}.items():
        ws.column_dimensions[get_column_letter(col[name])].width = width
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=col["place"])
    # No password: the lock only guards against overwriting codes by mistake.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def place_label(places: Places, code: str, year: int) -> str:
    """The place's Vietnamese name, told apart from its namesake across the 2025 merger, as the reports
    name it: ``Quảng Trị (địa bàn tỉnh cũ)``, ``Quảng Trị (địa bàn tỉnh mới)``. The new province's row
    names no day: its value is the whole year on the new territory (2025 included), and "from 01/7/2025"
    beside it asks for half a year; the instructions' "Địa bàn" paragraph says when it was formed."""
    p = places[code]
    if p.after_end == "territory" and p.valid_to is not None and year >= p.valid_to.year:
        return _vi("places.old_territory", name=p.name_vi)
    if p.level == "province" and p.valid_from is not None:
        return _vi("places.new_province", name=p.name_vi)
    return p.name_vi


def _validations(ws: Worksheet, year: int, rows: list[Row], col: dict[str, int], last: int) -> None:
    letter = {name: get_column_letter(i) for name, i in col.items()}
    by_unit: dict[str, list[int]] = {}
    for n, row in enumerate(rows, start=FIRST_ROW):
        by_unit.setdefault(row.indicator.unit, []).append(n)
    extra = list(range(FIRST_ROW + len(rows), last + 1))
    for unit, numbers in sorted(by_unit.items()):
        kind, op, lo, hi = value_rule(unit)
        dv = DataValidation(type=kind, operator=op, formula1=lo, formula2=hi, allow_blank=True,
                            showErrorMessage=True, errorTitle=_vi("validation.value_title"),
                            error=_vi("validation.value_error", unit=UNIT_VI[unit]),
                            promptTitle=_vi("validation.value_prompt_title"), prompt=UNIT_VI[unit],
                            showInputMessage=True)
        _add_ranges(dv, letter["value"], numbers)
        ws.add_data_validation(dv)
    if extra:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle=_vi("validation.value_title"),
                            error=_vi("validation.extra_error"))
        _add_ranges(dv, letter["value"], extra)
        ws.add_data_validation(dv)
    every = list(range(FIRST_ROW, last + 1))
    counts = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle=_vi("validation.counts_title"),
                            error=_vi("validation.counts_error"))
    for name in ("numerator", "denominator"):
        _add_ranges(counts, letter[name], every)
    ws.add_data_validation(counts)
    status = DataValidation(type="list", formula1='"' + ",".join(STATUS_CHOICES) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle=_vi("validation.status_title"),
                            error=_vi("validation.status_error"))
    _add_ranges(status, letter["status"], every)
    ws.add_data_validation(status)
    years = DataValidation(type="whole", operator="equal", formula1=str(year), allow_blank=True,
                           showErrorMessage=True, errorTitle=_vi("validation.year_title"),
                           error=_vi("validation.year_error", year=year))
    _add_ranges(years, letter["year"], extra)
    ws.add_data_validation(years)


def _add_ranges(dv: DataValidation, letter: str, numbers: list[int]) -> None:
    """Add runs of consecutive rows as ranges (``K3:K40``) to keep the validation list short."""
    start = prev = numbers[0]
    for n in [*numbers[1:], math.inf]:
        if n != prev + 1:
            dv.add(f"{letter}{start}:{letter}{prev}" if prev > start else f"{letter}{start}")
            start = n  # type: ignore[assignment]
        prev = n  # type: ignore[assignment]


def _meta_sheet(ws: Worksheet, agency: str, year: int, indicators: list[Indicator], n_rows: int) -> None:
    for n, (key, value) in enumerate(template_metadata(agency, year, indicators, n_rows).items(), start=1):
        ws.cell(row=n, column=1, value=key)
        keep_as_text(ws.cell(row=n, column=2, value=value))
    ws.sheet_state = "hidden"


def template_metadata(agency: str, year: int, indicators: list[Indicator], n_rows: int) -> dict[str, str]:
    """The key/value pairs of the hidden sheet: how ingestion recognises one of our templates."""
    return {
        "suite": SUITE,
        "template_version": TEMPLATE_VERSION,
        "agency": agency,
        "year": str(year),
        "codes": " ".join(i.code for i in indicators),
        "data_sheet": DATA_SHEET,
        "header_row": str(HEADER_ROW),
        "columns": ",".join(template_columns(year)),
        "rows": str(n_rows),
    }


def read_metadata(ws: Worksheet) -> dict[str, str]:
    """The hidden sheet's key/value pairs as text (LibreOffice may turn ``2025`` into a number)."""
    out = {}
    for key, value in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        if key is None:
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out[str(key).strip()] = "" if value is None else str(value).strip()
    return out
