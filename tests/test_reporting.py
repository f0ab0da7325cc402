"""The yearly reporting templates: who gets which indicators, the layout, the rows, the validation.

Expected agencies come from data/reference/agency_functions.csv read by hand (DOLISA's functions moved on
1 March 2025: gender equality and labour to Home Affairs, social protection to Health, vocational education
to Education; ethnic affairs to SDTTG; information to SKHCN; statistics to TKT); expected row counts from
places.csv (78 new commune-level units from 1 July 2025); previous values from the bundled CSV read with
the csv module.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from gender_monitor.reference import load_agencies
from gender_monitor.reporting import (DATA_SHEET, FIRST_ROW, HEADER_ROW, INSTRUCTIONS_SHEET, LABEL_ROW, META_SHEET,
                                      read_metadata, reporting_agencies, write_templates)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[int, dict[str, Path]]:
    out = {}
    for year in (2024, 2025, 2026):
        folder = tmp_path_factory.mktemp(f"templates{year}")
        out[year] = {m.agency: m.path for m in write_templates(year, folder)}
    return out


def sheet_rows(path: Path) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(path)[DATA_SHEET]
    header = [c.value for c in ws[HEADER_ROW]]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=FIRST_ROW)]
    return [r for r in rows if r["code"]]


def test_each_target_goes_to_the_current_holder_of_its_function(plan):
    agencies = load_agencies()
    codes = {a: [i.code for i in inds] for a, inds in reporting_agencies(plan, agencies, 2025).items()}
    assert codes == {
        "SNV": ["1.1", "2.1", "2.2", "3.2a", "3.2b", "6.1", "6.2"],
        "TKT": ["2.3", "3.1", "5.4a", "5.4b"],
        "SYT": ["3.3", "3.4", "4.1", "4.2", "4.3", "4.4"],
        "SDTTG": ["3.5a", "3.5b"],
        "SGDDT": ["5.1", "5.2a", "5.2b", "5.3"],
        "SKHCN": ["6.3", "6.4", "6.3.news"],
    }
    before = {a: [i.code for i in inds] for a, inds in reporting_agencies(plan, agencies, 2024).items()}
    assert before["SLDTBXH"] == ["2.1", "2.2", "3.2a", "3.2b", "3.3", "3.4", "5.3", "6.1", "6.2"]
    assert before["STTTT"] == ["6.3", "6.4", "6.3.news"]


def test_one_workbook_per_agency_with_its_own_indicators_only(made):
    assert sorted(made[2025]) == ["SDTTG", "SGDDT", "SKHCN", "SNV", "SYT", "TKT"]
    assert made[2025]["SYT"].name == "mau-bao-cao-2025-SYT.xlsx"
    rows = sheet_rows(made[2025]["SYT"])
    assert {r["code"] for r in rows} == {"3.3", "3.4", "4.1", "4.2", "4.3", "4.4"}
    # From 2025 every yearly indicator has a row for the old territory and one for the new province.
    assert [(r["code"], r["place"]) for r in rows if r["code"] == "4.1"] == [("4.1", "QT"), ("4.1", "QT25")]
    assert all(r["year"] == 2025 for r in rows)
    assert len(rows) == 12
    assert {r["place"] for r in sheet_rows(made[2024]["SYT"])} == {"QT"}


def test_sheets_header_and_hidden_metadata(made):
    wb = openpyxl.load_workbook(made[2025]["SYT"])
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, DATA_SHEET, META_SHEET]
    assert wb[META_SHEET].sheet_state == "hidden"
    ws = wb[DATA_SHEET]
    header = [c.value for c in ws[HEADER_ROW]]
    for name in ("code", "place", "year", "value", "numerator", "denominator", "source", "note"):
        assert name in header
    assert header.index("code") < header.index("place") < header.index("year") < header.index("value")
    labels = dict(zip(header, (c.value for c in ws[LABEL_ROW]), strict=True))
    assert labels["value"] == "Giá trị" and labels["numerator"] == "Tử số" and labels["denominator"] == "Mẫu số"
    meta = read_metadata(wb[META_SHEET])
    assert meta["suite"] == "gender-monitor" and meta["agency"] == "SYT" and meta["year"] == "2025"
    assert meta["codes"].split() == ["3.3", "3.4", "4.1", "4.2", "4.3", "4.4"]
    assert meta["template_version"]
    row = next(r for r in sheet_rows(made[2025]["SYT"]) if r["code"] == "4.1")
    assert row["name_vi"] == "Tỷ số giới tính khi sinh"
    assert "bé trai" in row["unit"] and "Tỷ số giới tính khi sinh" in row["definition"]


def test_quarterly_news_items_per_commune_and_quarter(made):
    def news(year: int) -> list[tuple[str, int]]:
        agency = "STTTT" if year < 2025 else "SKHCN"
        return [(r["place"], r["quarter"]) for r in sheet_rows(made[year][agency]) if r["code"] == "6.3.news"]

    assert sorted(news(2024)) == [("QT", q) for q in (1, 2, 3, 4)]
    rows = news(2025)
    # Quarters I–II: the old province (its communes are not in places.csv); III–IV: the 78 new units.
    assert sorted(p for p, q in rows if q in (1, 2)) == ["QT", "QT"]
    assert len([p for p, q in rows if q == 3]) == 78 == len([p for p, q in rows if q == 4])
    assert ("QT25-078", 4) in rows and ("QT25-001", 1) not in rows
    assert len(news(2026)) == 78 * 4
    # The target 6.3 itself is a yearly share, with no quarter.
    assert {r["quarter"] for r in sheet_rows(made[2025]["SKHCN"]) if r["code"] == "6.3"} == {None}


def test_previous_years_are_shown_for_reference(made):
    with open(ROOT / "data/illustrative/quang_tri_illustrative.csv", encoding="utf-8") as fh:
        srb = {int(r["year"]): float(r["value"]) for r in csv.DictReader(fh)
               if r["indicator"] == "4.1" and r["place"] == "QT"}
    ws = openpyxl.load_workbook(made[2025]["SYT"])[DATA_SHEET]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header[header.index("value") - 3:header.index("value")] == ["prev_2022", "prev_2023", "prev_2024"]
    row = next(r for r in ws.iter_rows(min_row=FIRST_ROW) if r[0].value == "4.1" and r[2].value == "QT")
    cell = row[header.index("prev_2024")]
    assert cell.value == pytest.approx(srb[2024])
    assert cell.font.italic  # illustrative values are marked


def test_input_cells_carry_excel_validation(made):
    ws = openpyxl.load_workbook(made[2025]["SYT"])[DATA_SHEET]
    header = [c.value for c in ws[HEADER_ROW]]
    value_col = openpyxl.utils.get_column_letter(header.index("value") + 1)
    rows = {(r[0].value, r[2].value): r[0].row for r in ws.iter_rows(min_row=FIRST_ROW) if r[0].value}

    def rule_for(cell: str):
        found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
        assert len(found) == 1, cell
        return found[0]

    srb = rule_for(f"{value_col}{rows[('4.1', 'QT')]}")
    assert (srb.type, srb.operator, srb.formula1, srb.formula2) == ("decimal", "between", "90", "130")
    count = rule_for(f"{value_col}{rows[('4.4', 'QT25')]}")
    assert (count.type, count.formula1) == ("whole", "0")
    share = rule_for(f"{value_col}{rows[('3.3', 'QT')]}")
    assert (share.type, share.formula1, share.formula2) == ("decimal", "0", "100")
    status_col = openpyxl.utils.get_column_letter(header.index("status") + 1)
    status = rule_for(f"{status_col}{rows[('4.1', 'QT')]}")
    assert status.type == "list" and "chính thức" in status.formula1 and "sơ bộ" in status.formula1
    assert ws.protection.sheet
    assert ws[f"{value_col}{rows[('4.1', 'QT')]}"].protection.locked is False
    assert ws[f"A{rows[('4.1', 'QT')]}"].protection.locked is True


def test_instructions_in_vietnamese_with_due_date_and_recipient(made):
    def text(path: Path) -> str:
        ws = openpyxl.load_workbook(path)[INSTRUCTIONS_SHEET]
        return "\n".join(str(c.value) for c in ws["A"] if c.value)

    t2025 = text(made[2025]["SYT"])
    assert "25/11/2025" in t2025 and "Sở Nội vụ" in t2025 and "Sở Y tế" in t2025
    assert "QT25" in t2025 and "chính thức" in t2025
    t2024 = text(made[2024]["SYT"])
    assert "25/11/2024" in t2024 and "Sở Lao động - Thương binh và Xã hội" in t2024


def test_cli_templates(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "gender_monitor", "templates", "--year", "2025",
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [
        f"mau-bao-cao-2025-{a}.xlsx" for a in ("SDTTG", "SGDDT", "SKHCN", "SNV", "SYT", "TKT")]
    assert "mau-bao-cao-2025-SYT.xlsx: SYT, 6 indicator(s)" in proc.stdout
