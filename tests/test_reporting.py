"""The yearly reporting templates: who gets which indicators, the layout, the rows, the validation.

Expected agencies come from data/reference/agency_functions.csv read by hand (DOLISA's functions moved on
1 March 2025: gender equality and labour to Home Affairs, social protection to Health, vocational education
to Education; ethnic affairs to SDTTG; information to SKHCN; statistics to TKT); expected row counts from
places.csv (78 new commune-level units from 1 July 2025); previous values from the bundled CSV read with
the csv module.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from gender_monitor.collect.templates import (
    DATA_SHEET,
    FIRST_ROW,
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    LABEL_ROW,
    META_SHEET,
    build_template,
    exists_whole_quarter,
    quarter_dates,
    read_metadata,
    reporting_agencies,
    rows_for,
    value_rule,
    write_templates,
)
from gender_monitor.core import units
from gender_monitor.core.exceptions import GenderMonitorError
from gender_monitor.plan.reference import load_agencies, load_places

ROOT = Path(__file__).resolve().parents[1]

#: A reorganisation unlike the real one: new codes (QTN), another date (1 April 2027, so mid-year), and a
#: commune abolished on 30 March 2028 (its last day is the 29th: it does not cover the first quarter).
REORGANISED_PLACES = """code,name_vi,name_en,level,valid_from,valid_to,parent,successor,after_end,note
VN,Việt Nam,Viet Nam,country,,,,,,
QT,Quảng Trị,Quảng Trị,province,,2027-04-01,VN,QTN,territory,
QB,Quảng Bình,Quảng Bình,province,,2027-04-01,VN,QTN,territory,
QTN,Quảng Trị,Quảng Trị,province,2027-04-01,,VN,,,
QT-HH,Huyện Hướng Hóa,Hướng Hóa,district,,2027-04-01,QT,QTN-001;QTN-002,abolished,
QB-LT,Huyện Lệ Thủy,Lệ Thủy,district,,2027-04-01,QB,QTN-003,abolished,
QTN-001,Xã Khe Sanh,Khe Sanh,commune,2027-04-01,,QTN,,,
QTN-002,Xã Lao Bảo,Lao Bảo,commune,2027-04-01,,QTN,,,
QTN-003,Xã Lệ Thủy,Lệ Thủy,commune,2027-04-01,2028-03-30,QTN,,abolished,
"""


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


def test_the_two_province_rows_are_named_as_in_the_reports_and_the_new_one_asks_for_the_whole_year(made):
    # The new province's row once read "Quảng Trị (tỉnh mới, từ 01/7/2025)": beside a 2025 value that is the
    # whole year on the new territory, the day asked for half a year. The day stays in the instructions.
    for year in (2025, 2026):
        names = {r["place"]: r["place_name"] for r in sheet_rows(made[year]["SYT"]) if r["code"] == "4.1"}
        assert names == {"QT": "Quảng Trị (địa bàn tỉnh cũ)", "QT25": "Quảng Trị (địa bàn tỉnh mới)"}
    text = "\n".join(str(c.value) for c in openpyxl.load_workbook(made[2025]["SYT"])[INSTRUCTIONS_SHEET]["A"]
                     if c.value)
    assert ("Từ ngày 01/7/2025, tỉnh Quảng Trị mới (mã QT25) gồm tỉnh Quảng Trị cũ và tỉnh Quảng Bình cũ." in text)
    assert ("mỗi chỉ tiêu có hai dòng: QT (địa bàn tỉnh Quảng Trị cũ, cả năm) và QT25 (địa bàn tỉnh Quảng Trị mới, "
            "cả năm)." in text)


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
    assert cell.font.italic and cell.number_format.endswith('" (minh họa)"')  # illustrative values are marked


def _observations(rows: list[tuple]) -> pd.DataFrame:
    """A loaded-observations frame from (indicator, place, year, value, status) tuples."""
    frame = pd.DataFrame(rows, columns=["indicator", "place", "year", "value", "status"])
    return frame.assign(quarter=pd.NA, sex="", series="")


@pytest.fixture(scope="module")
def marked(plan, tmp_path_factory) -> Path:
    """The 2025 SYT template with previous values of every status."""
    obs = _observations([("4.1", "QT", 2022, 110.0, "official"), ("4.1", "QT", 2023, 111.0, "estimate"),
                         ("4.1", "QT", 2024, 112.5, "preliminary"), ("4.2", "QT", 2024, 40.0, "illustrative")])
    wb, _ = build_template("SYT", 2025, plan=plan, agencies=load_agencies(), places=load_places(), observations=obs)
    path = tmp_path_factory.mktemp("marked") / "SYT.xlsx"
    wb.save(path)
    return path


def test_previous_values_show_their_status_in_words(marked):
    wb = openpyxl.load_workbook(marked)
    ws = wb[DATA_SHEET]
    header = [c.value for c in ws[HEADER_ROW]]
    rows = {(r[0].value, r[2].value): r for r in ws.iter_rows(min_row=FIRST_ROW) if r[0].value}

    def prev(code: str, year: int):
        return rows[code, "QT"][header.index(f"prev_{year}")]

    assert prev("4.1", 2022).value == 110 and prev("4.1", 2022).number_format == "General"  # official: no mark
    assert prev("4.1", 2023).value == 111 and prev("4.1", 2023).number_format == 'General" (ước)"'
    assert prev("4.1", 2024).value == 112.5 and prev("4.1", 2024).number_format == 'General" (sơ bộ)"'
    assert prev("4.2", 2024).number_format == 'General" (minh họa)"'
    legend = "\n".join(str(c.value) for c in wb[INSTRUCTIONS_SHEET]["A"] if c.value)
    for mark, meaning in (("(ước)", "ước tính"), ("(sơ bộ)", "sơ bộ"), ("(minh họa)", "minh họa")):
        assert any(mark in line and meaning in line.split(":", 1)[1] for line in legend.splitlines()), mark


def test_status_marks_are_displayed_by_libreoffice(marked, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not on PATH, so the displayed text cannot be rendered")
    proc = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                           "--convert-to", "html", "--outdir", str(tmp_path), str(marked)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "SYT.html").read_text(encoding="utf-8")
    assert "111 (ước)" in html and "112.5 (sơ bộ)" in html and "40 (minh họa)" in html


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


def test_excel_bounds_are_the_observation_ranges(monkeypatch):
    for unit, (lo, hi) in units.RANGES.items():
        kind, op, f1, f2 = value_rule(unit)
        assert float(f1) == lo and (f2 is None if hi == float("inf") else float(f2) == hi), unit
        assert op == ("greaterThanOrEqual" if f2 is None else "between")
        assert kind == ("whole" if unit in ("count", "yes_no") else "decimal"), unit
    # Derived, not copied: a change to the checker's range is a change to the template.
    monkeypatch.setitem(units.RANGES, "per_100", (85.0, 135.0))
    assert value_rule("per_100") == ("decimal", "between", "85", "135")


def test_quarter_dates_and_whole_quarter_existence(tmp_path):
    assert quarter_dates(2025, 1) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert quarter_dates(2024, 2) == (dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    assert quarter_dates(2025, 3) == (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    assert quarter_dates(2025, 4) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    (tmp_path / "places.csv").write_text(REORGANISED_PLACES, encoding="utf-8")
    places = load_places(tmp_path)
    short = places["QTN-003"]  # valid_to 2028-03-30 (exclusive): gone on 30 and 31 March
    assert exists_whole_quarter(short, 2027, 4) and not exists_whole_quarter(short, 2028, 1)
    assert not exists_whole_quarter(places["QTN-001"], 2027, 1) and exists_whole_quarter(places["QTN-001"], 2027, 2)


def test_a_reorganisation_is_read_from_the_places_table(plan, tmp_path):
    (tmp_path / "places.csv").write_text(REORGANISED_PLACES, encoding="utf-8")
    places, agencies = load_places(tmp_path), load_agencies()

    def template(year: int) -> tuple[list[tuple], str]:
        wb, _ = build_template("SKHCN", year, plan=plan, agencies=agencies, places=places)
        ws = wb[DATA_SHEET]
        header = [c.value for c in ws[HEADER_ROW]]
        rows = [(r[0].value, r[header.index("place")].value, r[header.index("quarter")].value)
                for r in ws.iter_rows(min_row=FIRST_ROW) if r[0].value]
        return rows, "\n".join(str(c.value) for c in wb[INSTRUCTIONS_SHEET]["A"] if c.value)

    rows, text = template(2026)
    assert {p for _, p, _ in rows} == {"QT"} and "Báo cáo cho toàn tỉnh Quảng Trị (mã QT)." in text
    assert "QTN" not in text and "QT25" not in text and "2025" not in text.split("Địa bàn")[1]

    rows, text = template(2027)
    assert [(c, p) for c, p, q in rows if c == "6.4"] == [("6.4", "QT"), ("6.4", "QTN")]
    news = sorted((p, q) for c, p, q in rows if c == "6.3.news")
    assert news == [("QT", 1)] + [(f"QTN-00{n}", q) for n in (1, 2, 3) for q in (2, 3, 4)]
    assert "Từ ngày 01/4/2027, tỉnh Quảng Trị mới (mã QTN) gồm tỉnh Quảng Trị cũ và tỉnh Quảng Bình cũ" in text
    assert "(mã QTN-001 … QTN-003) cho quý II, III, IV/2027" in text
    assert "quý I/2027: báo cáo tổng của Quảng Trị (địa bàn tỉnh cũ) (mã QT)" in text
    assert "QT25" not in text and "2025" not in text.split("Địa bàn")[1]

    # The commune abolished on 30 March 2028 did not exist on the last day of the first quarter.
    news_input = next(i for i in reporting_agencies(plan, agencies, 2028)["SKHCN"] if i.quarterly)
    q1 = [r.place for r in rows_for(news_input, 2028, places, "QT") if r.quarter == 1]
    assert q1 == ["QTN-001", "QTN-002"]


def test_an_agency_without_indicators_gets_a_clear_error(plan):
    agencies, places = load_agencies(), load_places()
    with pytest.raises(GenderMonitorError, match=r"'SLDTBXH' reports no indicator in 2025.*SDTTG, SGDDT, SKHCN"):
        build_template("SLDTBXH", 2025, plan=plan, agencies=agencies, places=places)


def test_instructions_in_vietnamese_with_due_date_and_recipient(made):
    def text(path: Path) -> str:
        ws = openpyxl.load_workbook(path)[INSTRUCTIONS_SHEET]
        return "\n".join(str(c.value) for c in ws["A"] if c.value)

    t2025 = text(made[2025]["SYT"])
    assert "25/11/2025" in t2025 and "Sở Nội vụ" in t2025 and "Sở Y tế" in t2025
    assert "QT25" in t2025 and "chính thức" in t2025
    assert "Từ ngày 01/7/2025, tỉnh Quảng Trị mới (mã QT25)" in t2025
    t_news = text(made[2025]["SKHCN"])
    assert "(mã QT25-001 … QT25-078) cho quý III, IV/2025" in t_news and "quý I, II/2025" in t_news
    t2024 = text(made[2024]["SYT"])
    assert "25/11/2024" in t2024 and "Sở Lao động - Thương binh và Xã hội" in t2024


def test_cli_templates(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "gender_monitor", "templates", "--year", "2025",
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [
        f"mau-bao-cao-2025-{a}.xlsx" for a in ("SDTTG", "SGDDT", "SKHCN", "SNV", "SYT", "TKT")]
    assert "mau-bao-cao-2025-SYT.xlsx: SYT, 6 chỉ tiêu" in proc.stdout
    assert "mau-bao-cao-2025-SYT.xlsx: SYT, 6 indicator(s)" in proc.stdout
    assert "đã ghi 6 biểu mẫu báo cáo năm 2025" in proc.stderr and "6 template(s) for 2025 written" in proc.stderr


def test_instruction_sheet_and_excel_messages_word_for_word(made):
    # The template's words live in locales/vi/collect.yaml; moving them there changed no character.
    wb = openpyxl.load_workbook(made[2025]["SYT"])
    lines = [c.value for c in wb[INSTRUCTIONS_SHEET]["A"]]
    assert lines[:8] == [
        "MẪU BÁO CÁO SỐ LIỆU NĂM 2025",
        "Kế hoạch thực hiện Chiến lược quốc gia về bình đẳng giới tỉnh Quảng Trị, giai đoạn 2021-2030",
        "Đơn vị báo cáo: Sở Y tế (SYT)",
        "Hạn gửi: trước ngày 25/11/2025",
        "Nơi nhận: Sở Nội vụ (đơn vị đầu mối tổng hợp theo dõi, đánh giá Kế hoạch)",
        None,
        "Cách điền",
        "1. Mở trang tính “Số liệu”. Mỗi dòng là một chỉ tiêu tại một địa bàn trong một kỳ (năm hoặc quý).",
    ]
    assert lines[13].startswith("7. Số liệu chi tiết hơn (ví dụ theo huyện cũ, xã mới) ghi vào 10 dòng trống")
    assert lines[15:19] == [
        "    (sơ bộ): số liệu sơ bộ, có thể còn thay đổi",
        "    (ước): số ước tính, không phải số thống kê",
        "    (minh họa): số liệu minh họa, không phải số liệu thật (in nghiêng, màu xám)",
        "9. Trang tính được khoá (không có mật khẩu) để tránh sửa nhầm mã chỉ tiêu, địa bàn, năm.",
    ]
    ws = wb[DATA_SHEET]
    messages = {(dv.errorTitle, dv.error) for dv in ws.data_validations.dataValidation}
    assert ("Giá trị không hợp lệ", "Đơn vị tính: % (0–100). Nhập một số trong khoảng cho phép.") in messages
    assert ("Tử số, mẫu số", "Tử số và mẫu số là số nguyên không âm.") in messages
    assert ("Năm", "Mẫu này chỉ dành cho năm 2025.") in messages
    assert ws.cell(row=LABEL_ROW, column=8).value == "Năm 2022 (tham khảo)"


@pytest.mark.parametrize("module", ["collect/templates.py", "publish/disclosure.py"])
def test_no_reader_facing_words_in_the_code(module):
    # Vietnamese letters in a string that is not a docstring: words that belong in locales/.
    import ast

    import gender_monitor

    path = Path(gender_monitor.__file__).parent / module
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    vietnamese = re.compile("[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")
    found = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
             and id(n) not in docstrings and vietnamese.search(n.value)]
    assert found == []
