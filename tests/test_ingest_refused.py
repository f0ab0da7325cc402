"""Files refused whole: what the clerk is told to do, the bytes kept, and the return counted as received but not
usable.

An old Excel workbook (.xls) and a template saved as CSV are the two ways a filled template most often comes back
unreadable; the refusal says, in both languages, to save it as "Excel Workbook (.xlsx)". So does a LibreOffice
spreadsheet (.ods); a workbook with a password is to be sent again without it, and a CSV not saved as UTF-8 is never
read in a guessed encoding (the advice names what to choose in Excel and in LibreOffice). Nothing an agency sent is
lost: a file refused whole is kept under data/quarantine/refused/<day>/ and logged in data/quarantine/refused.csv.
Expected values are the ones each test types or works out from the plan's due day (25 November).
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from gender_monitor.collect.templates import DATA_SHEET, INSTRUCTIONS_SHEET
from test_ingest import LATER, NOW, SRB, fill, read, run, snapshot, templates  # noqa: F401 - the fixture

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_VI = "lưu lại với kiểu tệp “Sổ làm việc Excel (.xlsx)”"
SAVE_EN = 'save it as "Excel Workbook (.xlsx)"'


def old_workbook(path: Path, *, encrypted: bool = False) -> Path:
    """Bytes that begin as an Excel 97–2003 workbook does (an OLE2 compound file), with its "Workbook" stream, or,
    ``encrypted``, the stream a workbook saved with a password has instead."""
    stream = "EncryptedPackage" if encrypted else "Workbook"
    path.write_bytes(OLE2 + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 1024)
    return path


def sheet_as_csv(template: Path, out: Path, sheet: str, *, encoding: str = "utf-8", sep: str = ",",
                 values: dict[tuple, dict[str, object]] | None = None) -> Path:
    """A sheet of a filled template saved as CSV, as Excel does: every row, the hidden ones too, in ``encoding``
    (Vietnamese Windows: code page 1258, its letters written decomposed) with ``sep`` between cells."""
    filled = out.with_suffix(".xlsx")
    fill(template, filled, values or {})
    ws = openpyxl.load_workbook(filled)[sheet]
    text = "".join(sep.join(f'"{c}"' if sep in str(c) else str(c) for c in ("" if v is None else v for v in row))
                   + "\r\n" for row in ws.iter_rows(values_only=True))
    if encoding == "cp1258":
        out.write_bytes(unicodedata.normalize("NFD", text).encode("cp1258", errors="replace"))
    else:
        out.write_text(text, encoding=encoding)
    filled.unlink()
    return out


def status_of(home: Path, year: int = 2025, report_date: dt.date = dt.date(2025, 12, 3)) -> pd.DataFrame:
    from gender_monitor.collect.returns import reporting_status
    from gender_monitor.plan.reference import load_agencies
    from gender_monitor.plan.registry import load_plan

    agencies = load_agencies()
    return reporting_status(year, plan=load_plan(agencies=agencies.codes), agencies=agencies,
                            observations=pd.DataFrame(columns=["indicator", "place", "year", "quarter", "value"]),
                            place="QT25", report_date=report_date, data_dir=home / "data").set_index("agency")


# -- what the clerk is told ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name, encrypted", [("mau-bao-cao-2025-SYT.xls", False), ("SYT.xlsx", False)],
                         ids=["xls", "xls-renamed-xlsx"])
def test_an_old_excel_workbook_is_refused_with_how_to_save_it_as_xlsx(home, tmp_path, name, encrypted):
    path = old_workbook(tmp_path / name, encrypted=encrypted)
    result = run([path], home)
    (error,) = result.errors
    assert SAVE_VI in error.rule_vi and "Excel 97–2003" in error.rule_vi and "hãy mở tệp bằng Excel" in error.rule_vi
    assert SAVE_EN in error.rule and "open the file in Excel" in error.rule
    assert SAVE_VI in result.summary() and SAVE_EN in result.summary()


@pytest.mark.parametrize("name", ["mau-bao-cao-2025-SYT.xlsx", "mau-bao-cao-2025-SYT.xls"])
def test_an_xlsx_saved_with_a_password_is_refused_with_how_to_remove_it(home, tmp_path, name):
    # The same OLE2 container holds a workbook saved with a password: saving it as .xlsx again would not help, and
    # "not a readable Excel workbook (BadZipFile: File is not a zip file)" told the clerk nothing. Renamed .xls, it
    # is still the workbook with a password, not an old one.
    result = run([old_workbook(tmp_path / name, encrypted=True)], home)
    (error,) = result.errors
    assert error.rule_vi == (
        "là tệp Excel có đặt mật khẩu mở tệp (tệp đã được mã hóa), chương trình không đọc được; hãy mở tệp "
        "bằng Excel, gỡ mật khẩu (Tệp > Thông tin > Bảo vệ Sổ làm việc > Mã hóa bằng Mật khẩu, xóa mật khẩu rồi bấm "
        "OK), lưu lại rồi gửi lại tệp (nếu dùng LibreOffice Calc: khi lưu lại, bỏ chọn lưu với mật khẩu); không cần "
        "gửi kèm mật khẩu")
    assert error.rule.startswith("an Excel workbook saved with a password to open it (encrypted)")
    assert "remove the password (File > Info > Protect Workbook > Encrypt with Password" in error.rule
    assert SAVE_EN not in error.rule and "BadZipFile" not in error.rule
    assert f"{name}: BỊ TỪ CHỐI, chưa nhập gì / REFUSED, nothing ingested: {error.rule_vi} / {error.rule}" in (
        result.summary())
    (line,) = read(home / "data/quarantine/refused.csv")
    assert (line["agency"], line["year"], line["rule"]) == ("SYT", "2025", "password")
    assert (home / "data" / line["kept"]).read_bytes() == (tmp_path / name).read_bytes()


def opendocument(path: Path) -> Path:
    """An OpenDocument spreadsheet as LibreOffice Calc writes one: its first part, stored, names its type."""
    import zipfile

    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-content/>')
    return path


@pytest.mark.parametrize("name", ["mau-bao-cao-2025-SYT.ods", "mau-bao-cao-2025-SYT.xlsx"], ids=["ods", "renamed"])
def test_a_libreoffice_spreadsheet_is_refused_with_how_to_save_it_as_xlsx(home, tmp_path, name):
    # The template opened in LibreOffice Calc and saved in its own format (.ods): "not a reporting template (.xlsx)
    # nor an observation CSV", or, renamed .xlsx, "not a readable Excel workbook (KeyError: …)".
    result = run([opendocument(tmp_path / name)], home)
    (error,) = result.errors
    assert error.rule_vi == (
        "là bảng tính LibreOffice Calc (.ods), chương trình không đọc được; hãy mở tệp bằng Excel, "
        f"{SAVE_VI} rồi gửi tệp .xlsx đó (nếu dùng LibreOffice Calc: lưu lại với kiểu tệp “Excel 2007-365 "
        "(.xlsx)”, khi được hỏi thì chọn giữ định dạng Excel)")
    assert error.rule == (
        "a LibreOffice Calc spreadsheet (.ods), a format this suite cannot read; open the file in Excel, "
        f'{SAVE_EN} and send that .xlsx file (in LibreOffice Calc: File > Save As, file type "Excel 2007-365 '
        '(.xlsx)", and keep the Excel format when asked)')
    (line,) = read(home / "data/quarantine/refused.csv")
    assert (line["agency"], line["year"], line["rule"]) == ("SYT", "2025", "ods")
    assert (home / "data" / line["kept"]).read_bytes() == (tmp_path / name).read_bytes()


#: An observation CSV of Provincial Statistics whose note names a Vietnamese office.
OBSERVATIONS = "indicator,place,year,value,unit,status,note\n2.3,QT,2025,27.4,percent,official,{note}\n"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "cp1258"])
def test_a_csv_not_saved_as_utf8_is_refused_with_what_to_choose_in_excel_and_libreoffice(home, tmp_path, encoding):
    # LibreOffice's default export ("Western Europe": Windows-1252 or Latin-1) has no "ụ", "ố" or "ạ": it wrote
    # "C?c Th?ng kê"; Excel's "CSV (Comma delimited)" on a Vietnamese Windows writes code page 1258, whose bytes
    # are other letters in 1252. Reading either in a guessed encoding would store a wrong note without a word, so
    # the file is refused, saying what to choose in both programs, and kept.
    note = unicodedata.normalize("NFD" if encoding == "cp1258" else "NFC", "Cục Thống kê báo cáo tháng 11")
    path = tmp_path / "tkt.csv"
    path.write_bytes(OBSERVATIONS.format(note=note).encode(encoding, errors="replace"))
    result = run([path], home, agency="TKT")
    (error,) = result.errors
    assert error.rule_vi == (
        "tệp CSV không được lưu dưới dạng văn bản UTF-8 (lỗi đầu tiên ở dòng 2) nên không đọc chính xác "
        "được chữ tiếng Việt; chương trình không tự đoán bảng mã vì đoán sai sẽ làm sai tên địa danh, ghi chú (các "
        "chữ như “ơ”, “ư”, “đ”, “ạ”); hãy lưu lại từ bảng tính gốc: trong Excel chọn kiểu tệp “CSV UTF-8 (Comma "
        "delimited) (*.csv)”; trong LibreOffice Calc lưu lại với kiểu tệp CSV, chọn sửa thiết lập bộ lọc, rồi trong "
        "hộp thoại xuất tệp chọn bộ ký tự “Unicode (UTF-8)”")
    assert error.rule.startswith("a CSV file whose text is not UTF-8 (first at line 2)")
    assert error.rule.endswith('in LibreOffice Calc choose File > Save As, file type "Text CSV (.csv)", tick "Edit '
                               'filter settings", then choose the character set "Unicode (UTF-8)" in the export dialog')
    assert not (home / "data/reported/2025/TKT.csv").exists()  # nothing guessed, nothing stored
    (line,) = read(home / "data/quarantine/refused.csv")
    assert (line["agency"], line["rule"]) == ("TKT", "csv_encoding")
    assert (home / "data" / line["kept"]).read_bytes() == path.read_bytes()
    # Saved again as UTF-8, the same figures are read, the note as written.
    path.write_text(OBSERVATIONS.format(note="Cục Thống kê báo cáo tháng 11"), encoding="utf-8")
    assert run([path], home, agency="TKT", now=LATER).ok
    assert read(home / "data/reported/2025/TKT.csv")[0]["note"] == "Cục Thống kê báo cáo tháng 11"


def test_what_libreoffice_writes_by_default_is_refused_with_its_own_advice(templates, home, tmp_path):  # noqa: F811
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not on PATH, so LibreOffice's own files cannot be made")
    # The filled template saved in LibreOffice's own format, and figures exported as CSV with its default character
    # set (Western Europe, Windows-1252): it writes "?" for "ụ", "ố", "ả", "ị", so those letters are lost already.
    fill(templates["SYT"], tmp_path / "in" / "mau-bao-cao-2025-SYT.xlsx", SRB)
    sheet = openpyxl.Workbook()
    sheet.active.append(["indicator", "place", "year", "value", "unit", "status", "note"])
    sheet.active.append(["2.3", "QT", 2025, 27.4, "percent", "official", "Cục Thống kê Quảng Trị"])
    sheet.save(tmp_path / "in" / "tkt.xlsx")
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    western = "csv:Text - txt - csv (StarCalc):44,34,1"  # commas, double quotes, character set 1: Windows-1252
    for target, source in (("ods", "mau-bao-cao-2025-SYT.xlsx"), (western, "tkt.xlsx")):
        proc = subprocess.run([soffice, "--headless", profile, "--convert-to", target, "--outdir",
                               str(tmp_path / "out"), str(tmp_path / "in" / source)],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
    exported = (tmp_path / "out" / "tkt.csv").read_bytes()
    assert b"C?c Th?ng k\xea Qu?ng Tr?" in exported  # what LibreOffice wrote: nothing to read the letters back from
    result = run([tmp_path / "out" / "mau-bao-cao-2025-SYT.ods"], home)
    assert result.errors[0].rule.startswith("a LibreOffice Calc spreadsheet (.ods)")
    result = run([tmp_path / "out" / "tkt.csv"], home, agency="TKT")
    assert result.errors[0].rule.startswith("a CSV file whose text is not UTF-8 (first at line 2)")
    assert [(r["agency"], r["rule"]) for r in read(home / "data/quarantine/refused.csv")] == [("SYT", "ods"),
                                                                                            ("TKT", "csv_encoding")]


def test_the_first_byte_not_utf8_is_found_on_its_line_in_a_long_file(tmp_path):
    from gender_monitor.data.observations import first_not_utf8_line

    # 70,000 lines of 17 bytes (1,190,000 bytes) run past the first block read (1,048,576 bytes); line 70,001 holds
    # "ê" as Latin-1 writes it (one byte, 0xEA).
    path = tmp_path / "long.csv"
    path.write_bytes(b"2.3,QT,2025,27.4\n" * 70_000 + "2.3,QT,2025,27.4,kê\n".encode("latin-1"))
    assert first_not_utf8_line(path) == 70_001
    # "ạ" (three bytes in UTF-8) cut by the end of the first block is one letter, read whole.
    path.write_bytes(b"x" * (1024 * 1024 - 1) + "ạ\n".encode("utf-8") + b"y\n")
    assert first_not_utf8_line(path) is None
    # ... and a byte not UTF-8 on the next line is on line 2: the two bytes of "ạ" read with the first block are
    # not counted again in the second.
    path.write_bytes(b"x" * (1024 * 1024 - 2) + "ạ\n".encode("utf-8") + "ê\n".encode("latin-1"))
    assert first_not_utf8_line(path) == 2
    # A last letter cut short by the end of the file is not UTF-8: on the last line (the 3rd).
    path.write_bytes(b"a\nb\n" + "ạ".encode("utf-8")[:2])
    assert first_not_utf8_line(path) == 3


@pytest.mark.parametrize("encoding, sep", [("utf-8-sig", ","), ("cp1258", ";"), ("utf-8", "\t")],
                         ids=["csv-utf8", "csv-1258-semicolon", "tab"])
def test_the_data_sheet_saved_as_csv_is_refused_with_how_to_send_the_workbook(templates, home, tmp_path,  # noqa: F811
                                                                              encoding, sep):
    path = sheet_as_csv(templates["SYT"], tmp_path / "SYT.csv", DATA_SHEET, encoding=encoding, sep=sep, values=SRB)
    result = run([path], home)
    (error,) = result.errors
    assert "biểu mẫu báo cáo đã lưu thành tệp CSV" in error.rule_vi and SAVE_VI in error.rule_vi
    assert "a reporting template saved as CSV" in error.rule and SAVE_EN in error.rule
    # Not the observation format's "save it as CSV UTF-8", which would only bring the same file back.
    assert "UTF-8" not in error.rule and "missing" not in error.rule
    (line,) = read(home / "data/quarantine/refused.csv")
    assert (line["agency"], line["year"], line["rule"]) == ("SYT", "2025", "template_csv")


def test_the_instruction_sheet_saved_as_csv_is_refused_as_the_template_it_is(templates, home, tmp_path):  # noqa: F811
    path = sheet_as_csv(templates["SGDDT"], tmp_path / "so-gd.csv", INSTRUCTIONS_SHEET)
    (error,) = run([path], home).errors
    assert "a reporting template saved as CSV" in error.rule
    (line,) = read(home / "data/quarantine/refused.csv")
    assert (line["agency"], line["year"]) == ("SGDDT", "2025")


def test_an_observation_csv_is_still_read_as_one(home, tmp_path):
    path = tmp_path / "tkt.csv"
    path.write_text("indicator,place,year,value,unit,status\n2.3,QT,2025,27.4,percent,official\n", encoding="utf-8")
    result = run([path], home, agency="TKT")
    assert result.ok and result.files[0].added == 1
    assert not (home / "data/quarantine/refused.csv").exists()


# -- nothing lost -----------------------------------------------------------------------------------------------
def test_a_refused_file_is_kept_as_received_and_logged_once(home, tmp_path):
    path = old_workbook(tmp_path / "mau-bao-cao-2025-SYT.xls")
    before = snapshot(home / "data")
    result = run([path], home)
    kept = home / "data/quarantine/refused/2025-11-20/mau-bao-cao-2025-SYT.xls"
    assert kept.read_bytes() == path.read_bytes()
    (line,) = read(home / "data/quarantine/refused.csv")
    # Whose and which year: the suite's own name for SYT's 2025 template, kept by the copy saved as .xls.
    assert {k: line[k] for k in ("when", "file", "kept", "bytes", "agency", "year", "rule")} == {
        "when": NOW.isoformat(), "file": "mau-bao-cao-2025-SYT.xls",
        "kept": "quarantine/refused/2025-11-20/mau-bao-cao-2025-SYT.xls", "bytes": str(len(path.read_bytes())),
        "agency": "SYT", "year": "2025", "rule": "old_excel"}
    assert line["reason"] == result.errors[0].rule and line["reason_vi"] == result.errors[0].rule_vi
    assert set(snapshot(home / "data")) - set(before) == {
        "quarantine/refused.csv", "quarantine/refused.csv.meta.yml",
        "quarantine/refused/2025-11-20/mau-bao-cao-2025-SYT.xls"}
    assert f"the file as received is kept at {kept}" in result.summary()
    assert f"bản gốc của tệp được lưu tại {kept}" in result.summary()
    # The same file again, a day later and under another name: the line already there, nothing written.
    after = snapshot(home / "data")
    again = tmp_path / "SYT-lan-2.xls"
    again.write_bytes(path.read_bytes())
    result = run([again], home, now=LATER)
    assert snapshot(home / "data") == after
    assert f"the same file was received before and is kept at {kept}" in result.summary()


def test_two_refused_files_of_one_name_on_one_day_are_both_kept(home, tmp_path):
    first, second = tmp_path / "a" / "SYT.xls", tmp_path / "b" / "SYT.xls"
    first.parent.mkdir()
    second.parent.mkdir()
    old_workbook(first)
    second.write_bytes(first.read_bytes() + b"\x01")
    run([first, second], home, agency="SYT")
    folder = home / "data/quarantine/refused/2025-11-20"
    assert (folder / "SYT.xls").read_bytes() == first.read_bytes()
    assert (folder / "SYT-2.xls").read_bytes() == second.read_bytes()
    assert [r["agency"] for r in read(home / "data/quarantine/refused.csv")] == ["SYT", "SYT"]


def test_a_dry_run_keeps_nothing(home, tmp_path):
    before = snapshot(home / "data")
    result = run([old_workbook(tmp_path / "SYT.xls")], home, dry_run=True)
    assert snapshot(home / "data") == before and "kept" not in result.summary()


def test_a_refused_file_too_large_to_keep_is_logged_without_its_bytes(home, tmp_path, monkeypatch):
    from gender_monitor.collect import store

    monkeypatch.setattr(store, "REFUSED_KEEP_LIMIT", 100)
    path = old_workbook(tmp_path / "SYT.xls")  # 8 + 504 + 16 ("Workbook" in UTF-16) + 1,024 = 1,552 bytes
    result = run([path], home, agency="SYT")
    (line,) = read(home / "data/quarantine/refused.csv")
    assert (line["kept"], line["bytes"], line["agency"]) == ("", "1552", "SYT")
    assert not (home / "data/quarantine/refused").exists()
    assert "its arrival is recorded in quarantine/refused.csv, its content is not kept" in result.summary()


def test_a_refused_file_of_no_known_agency_gets_one_when_ingested_again_with_agency(home, tmp_path):
    path = old_workbook(tmp_path / "so-lieu.xls")
    run([path], home)
    assert read(home / "data/quarantine/refused.csv")[0]["agency"] == ""
    run([path], home, agency="SYT", now=LATER)
    (line,) = read(home / "data/quarantine/refused.csv")
    assert (line["agency"], line["when"]) == ("SYT", NOW.isoformat())  # the day it first came stays


# -- the returns table ---------------------------------------------------------------------------------------------
def test_a_return_refused_whole_was_received_on_its_day_but_is_not_usable(templates, home, tmp_path):  # noqa: F811
    from gender_monitor.collect.returns import status_table

    # SYT sends its template saved as .xls on 20 November (before the 25th): it arrived on time, nothing of it
    # could be read; the report says so instead of "not received, 8 days late".
    run([old_workbook(tmp_path / "mau-bao-cao-2025-SYT.xls")], home)
    syt = status_of(home).loc["SYT"]
    # Written on 3 December, 8 days after the due day (25 November): no usable return has come in those 8 days.
    assert (syt["received"], syt["received_on"], syt["days_late"], syt["usable"]) == (True, NOW.date(), 8, False)
    assert (syt["accepted"], syt["quarantined"], syt["refused"], syt["refused_why"]) == (0, 0, 1, "old_excel")
    assert not status_of(home).loc["SNV", "received"]
    table = {lang: status_table(status_of(home).reset_index(), lang).set_index(
        "Cơ quan" if lang == "vi" else "Agency") for lang in ("vi", "en")}
    assert table["vi"].loc["Sở Y tế", "Tình hình gửi báo cáo"] == (
        "đã nhận ngày 20/11/2025 nhưng không sử dụng được, tệp bị từ chối: tệp Excel định dạng cũ (.xls)")
    assert table["en"].loc["Department of Health", "Return"] == (
        "received on 20 November 2025 but not usable, the file was refused: an Excel 97–2003 file (.xls)")
    # Four days later the workbook comes as .xlsx: the return is received, usable, and no refusal waits.
    fill(templates["SYT"], tmp_path / "SYT.xlsx", SRB)
    run([tmp_path / "SYT.xlsx"], home, now=LATER)
    syt = status_of(home).loc["SYT"]
    assert (syt["received"], syt["received_on"], syt["usable"], syt["refused"]) == (True, LATER.date(), True, 0)


@pytest.mark.parametrize("written, vi, en", [
    (dt.date(2025, 11, 22), "chưa có báo cáo hợp lệ, chưa đến hạn", "no usable return yet, not yet due"),
    (dt.date(2025, 11, 25), "chưa có báo cáo hợp lệ, chưa đến hạn", "no usable return yet, not yet due"),
    (dt.date(2025, 11, 26), "chưa có báo cáo hợp lệ, chậm 1 ngày", "no usable return yet, 1 day overdue"),
    (dt.date(2025, 12, 3), "chưa có báo cáo hợp lệ, chậm 8 ngày", "no usable return yet, 8 days overdue"),
], ids=["before-the-day", "on-the-day", "a-day-after", "eight-days-after"])
def test_a_return_refused_whole_is_never_said_to_be_on_time(templates, home, tmp_path, written, vi, en):  # noqa: F811
    from gender_monitor.collect.returns import status_table

    # SYT's only file came on 20 November as .xls, before the due day: the timeliness column read "đúng hạn" (on
    # time) beside "không sử dụng được" (not usable). It says that no usable return has come, and, once the due
    # day (25 November) has passed, by how many days: the same count as for a return not received.
    run([old_workbook(tmp_path / "mau-bao-cao-2025-SYT.xls")], home)
    status = status_of(home, report_date=written).reset_index()
    vi_table = status_table(status, "vi", coordinator="SNV").set_index("Cơ quan")
    en_table = status_table(status, "en", coordinator="SNV").set_index("Agency")
    assert vi_table.loc["Sở Y tế", "So với hạn báo cáo"] == vi
    assert en_table.loc["Department of Health", "Timeliness"] == en
    assert "đúng hạn" not in vi_table["So với hạn báo cáo"].tolist()  # nothing usable came from anyone
    # A usable copy sent on the 26th: the return is on the board's table as a usable one, one day late.
    fill(templates["SYT"], tmp_path / "SYT.xlsx", SRB)
    run([tmp_path / "SYT.xlsx"], home, now=dt.datetime(2025, 11, 26, 8, 0, tzinfo=NOW.tzinfo))
    status = status_of(home, report_date=dt.date(2025, 12, 3)).reset_index()
    assert status_table(status, "vi").set_index("Cơ quan").loc["Sở Y tế", "So với hạn báo cáo"] == "chậm 1 ngày"
    assert status_table(status, "en").set_index("Agency").loc["Department of Health", "Timeliness"] == "1 day late"


def test_the_coordinator_whose_own_file_was_refused_is_still_never_late(home, tmp_path):
    from gender_monitor.collect.returns import status_table

    # SNV compiles the report: its own refused file is named in the return column, and no lateness is counted.
    run([old_workbook(tmp_path / "SNV.xls")], home, agency="SNV")
    status = status_of(home).reset_index()
    assert not status.set_index("agency").loc["SNV", "usable"]
    shown = status_table(status, "en", coordinator="SNV").set_index("Agency")
    assert shown.loc["Department of Home Affairs", "Timeliness"] == "–"
    assert shown.loc["Department of Home Affairs", "Return"].startswith("received on 20 November 2025 but not usable")


def count_said(home: Path, language: str) -> str:
    from gender_monitor.collect.returns import count_words

    name = "Sở Nội vụ" if language == "vi" else "Department of Home Affairs"
    return count_words(status_of(home).reset_index(), language, coordinator="SNV", coordinator_name=name, year=2025,
                       date=dt.date(2025, 12, 3))


def refused_xls(tmp_path: Path, home: Path, agency: str) -> None:
    """An .xls of ``agency`` refused whole (its own bytes: a file received before is logged once, for one agency)."""
    path = old_workbook(tmp_path / f"{agency}.xls")
    path.write_bytes(path.read_bytes() + agency.encode())
    run([path], home, agency=agency)


def usable_csv(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "tkt.csv"
    path.write_text("indicator,place,year,value,unit,status\n2.3,QT,2025,27.4,percent,official\n", encoding="utf-8")
    assert run([path], home, agency="TKT").ok


def test_the_count_of_returns_sent_counts_only_usable_ones(templates, home, tmp_path):  # noqa: F811
    # SYT's template is read; SGDDT's only file came as .xls. The line under the table read "2/5 cơ quan đã gửi":
    # SGDDT counted as having sent a return. Of the five agencies that send theirs to SNV (SNV compiles), one has
    # sent a usable return; the one whose file was refused is said apart.
    fill(templates["SYT"], tmp_path / "SYT.xlsx", SRB)
    run([tmp_path / "SYT.xlsx"], home)
    refused_xls(tmp_path, home, "SGDDT")
    assert count_said(home, "vi") == (
        "Tính đến ngày 03/12/2025, 1/5 cơ quan đã gửi báo cáo hợp lệ về Sở Nội vụ. "
        "1 cơ quan đã gửi báo cáo nhưng tệp bị từ chối, không sử dụng được.")
    assert count_said(home, "en") == (
        "As of 3 December 2025, 1 of 5 agencies has sent a usable return to the Department of Home Affairs. "
        "1 agency has sent its return, but the file was refused and cannot be used.")
    # Two of each: the plural in English.
    usable_csv(tmp_path, home)
    refused_xls(tmp_path, home, "SDTTG")
    assert count_said(home, "vi") == (
        "Tính đến ngày 03/12/2025, 2/5 cơ quan đã gửi báo cáo hợp lệ về Sở Nội vụ. "
        "2 cơ quan đã gửi báo cáo nhưng tệp bị từ chối, không sử dụng được.")
    assert count_said(home, "en") == (
        "As of 3 December 2025, 2 of 5 agencies have sent a usable return to the Department of Home Affairs. "
        "2 agencies have sent their returns, but the files were refused and cannot be used.")
    # SGDDT's readable return follows: it counts as sent, and one refused return is left.
    fill(templates["SGDDT"], tmp_path / "SGDDT.xlsx", {("5.1", "QT"): {"value": 1}})
    result = run([tmp_path / "SGDDT.xlsx"], home, now=LATER)
    assert result.ok, [str(f) for f in result.errors]
    assert count_said(home, "en").startswith("As of 3 December 2025, 3 of 5 agencies have sent a usable return")
    assert count_said(home, "en").endswith(" 1 agency has sent its return, but the file was refused and cannot be "
                                           "used.")


def test_a_return_every_value_of_which_is_held_is_not_counted_as_usable(templates, home, tmp_path):  # noqa: F811
    # SYT's template is read, but its only value is text ("abc"): held for SYT to confirm, nothing accepted. The line
    # under the table read "1/5 cơ quan đã gửi báo cáo sử dụng được": no value of it could be used.
    fill(templates["SYT"], tmp_path / "SYT.xlsx", {("4.1", "QT"): {"value": "abc"}})
    run([tmp_path / "SYT.xlsx"], home)
    syt = status_of(home).loc["SYT"]
    assert (syt["accepted"], syt["quarantined"], bool(syt["received"])) == (0, 1, True)
    assert count_said(home, "vi") == (
        "Tính đến ngày 03/12/2025, Sở Nội vụ chưa nhận được báo cáo hợp lệ nào của năm 2025 (0/5); các giá trị "
        "năm 2025 trong báo cáo này lấy từ số liệu hiện có; chỉ tiêu chưa có số liệu thì lấy ước tính theo dự báo. "
        "1 cơ quan đã gửi báo cáo nhưng chưa có giá trị nào được chấp nhận; các giá trị đang được giữ lại chờ cơ "
        "quan xác minh.")
    assert count_said(home, "en").endswith(
        "1 agency has sent its return, but none of its values has been accepted yet: they are held for the agency to "
        "confirm.")
    # A usable return beside it: 1/5, and SYT still said apart.
    usable_csv(tmp_path, home)
    assert count_said(home, "vi") == (
        "Tính đến ngày 03/12/2025, 1/5 cơ quan đã gửi báo cáo hợp lệ về Sở Nội vụ. 1 cơ quan đã gửi báo cáo nhưng "
        "chưa có giá trị nào được chấp nhận; các giá trị đang được giữ lại chờ cơ quan xác minh.")


def test_with_only_refused_files_no_usable_return_is_counted(home, tmp_path):
    # Nothing at all: the report says that its values of the year are those held, or projections.
    assert count_said(home, "vi").startswith("Tính đến ngày 03/12/2025, chưa có cơ quan nào gửi báo cáo năm 2025 "
                                             "qua mẫu báo cáo của Kế hoạch (0/5)")
    # One file, refused whole: still no usable return, and the file that came is said.
    refused_xls(tmp_path, home, "SGDDT")
    assert count_said(home, "vi") == (
        "Tính đến ngày 03/12/2025, Sở Nội vụ chưa nhận được báo cáo hợp lệ nào của năm 2025 (0/5); các giá trị "
        "năm 2025 trong báo cáo này lấy từ số liệu hiện có; chỉ tiêu chưa có số liệu thì lấy ước tính theo dự báo. "
        "1 cơ quan đã gửi báo cáo nhưng tệp bị từ chối, không sử dụng được.")
    assert count_said(home, "en") == (
        "As of 3 December 2025, the Department of Home Affairs has received no usable 2025 return (0 of 5); the "
        "2025 values in this report are those in the data held, or else projections. 1 agency has sent its return, "
        "but the file was refused and cannot be used.")
    # The coordinator's own refused file is not one of the returns sent to it.
    refused_xls(tmp_path, home, "SNV")
    assert count_said(home, "en").endswith(" 1 agency has sent its return, but the file was refused and cannot be "
                                           "used.")


def test_the_report_chases_an_agency_whose_only_file_was_refused(templates, home, tmp_path):  # noqa: F811
    from gender_monitor.collect.returns import follow_up
    from gender_monitor.judge.report import key_messages
    from gender_monitor.plan.registry import load_plan

    # SYT's only file came as .xls: received, nothing usable. The yearly report's key messages chased only the
    # returns not received, so SYT was asked for nothing; it is asked to send its return again, saying why.
    run([old_workbook(tmp_path / "mau-bao-cao-2025-SYT.xls")], home)
    status = status_of(home, report_date=dt.date(2025, 12, 3)).reset_index()
    no_annex = pd.DataFrame(columns=["code", "outlook"])
    no_change = pd.DataFrame(columns=["code", "direction"])
    said = {}
    for lang in ("vi", "en"):
        missing, refused = follow_up(status, lang, coordinator="SNV")
        assert refused == [("Sở Y tế" if lang == "vi" else "Department of Health", NOW.date(),
                            "tệp Excel định dạng cũ (.xls)" if lang == "vi" else "an Excel 97–2003 file (.xls)")]
        assert len(missing) == 4 and not {"Sở Y tế", "Sở Nội vụ", "Department of Health"} & set(missing)
        said[lang] = key_messages(no_annex, no_change, load_plan(), year=2025, missing_agencies=missing,
                                  refused_returns=refused, language=lang, results=False)
    assert said["vi"][-1] == ("Cần đôn đốc Sở Y tế gửi lại báo cáo năm 2025: tệp nhận ngày 20/11/2025 bị từ chối, "
                              "không sử dụng được; lý do: tệp Excel định dạng cũ (.xls).")
    assert said["en"][-1] == ("Follow up: Department of Health to send its 2025 return again; the file received on "
                              "20 November 2025 was refused and cannot be used: an Excel 97–2003 file (.xls).")
    # Before the due day it is asked to send it again by then, not chased.
    missing, refused = follow_up(status, "vi", coordinator="SNV")
    early = key_messages(no_annex, no_change, load_plan(), year=2025, missing_agencies=missing,
                         refused_returns=refused, results=False, due=dt.date(2025, 11, 25))
    assert early[-1].startswith("Sở Y tế cần gửi lại báo cáo năm 2025 trước ngày 25/11/2025: tệp nhận ngày 20/11/2025")
    # Once a readable copy follows, nothing is left to chase.
    fill(templates["SYT"], tmp_path / "SYT.xlsx", SRB)
    run([tmp_path / "SYT.xlsx"], home, now=LATER)
    assert follow_up(status_of(home).reset_index(), "vi", coordinator="SNV")[1] == []


def test_a_file_refused_after_a_usable_return_is_named_beside_it(templates, home, tmp_path):  # noqa: F811
    from gender_monitor.collect.returns import status_table

    fill(templates["SYT"], tmp_path / "SYT.xlsx", SRB)
    run([tmp_path / "SYT.xlsx"], home)
    path = sheet_as_csv(templates["SYT"], tmp_path / "SYT-sua.csv", DATA_SHEET, values=SRB)
    run([path], home, now=LATER)
    syt = status_of(home).loc["SYT"]
    assert (syt["received_on"], syt["usable"], syt["refused"], syt["refused_on"]) == (NOW.date(), True, 1,
                                                                                      LATER.date())
    shown = status_table(status_of(home).reset_index(), "vi").set_index("Cơ quan")
    assert shown.loc["Sở Y tế", "Tình hình gửi báo cáo"] == (
        "đã nhận ngày 20/11/2025; tệp nhận ngày 24/11/2025 bị từ chối: biểu mẫu đã lưu thành tệp CSV")


def test_check_names_the_refused_files_no_readable_return_followed(home, tmp_path, capsys):
    from gender_monitor.cli.main import main

    run([old_workbook(tmp_path / "mau-bao-cao-2025-SYT.xls")], home)
    run([old_workbook(tmp_path / "bao-cao.xls", encrypted=False)], home, agency="TKT")  # the same bytes: one line
    main(["check", "--data", str(home / "data")])
    out = capsys.readouterr().out
    assert ("1 tệp đã nhận nhưng bị từ chối cả tệp, chưa có báo cáo thay thế đọc được: / 1 file(s) received but "
            "refused whole, not yet followed by a return that can be read:") in out
    kept = home / "data/quarantine/refused/2025-11-20/mau-bao-cao-2025-SYT.xls"
    assert f"  20/11/2025  SYT  mau-bao-cao-2025-SYT.xls → {kept}\n" in out
    assert ("      tệp Excel định dạng cũ (.xls), số liệu năm 2025 / an Excel 97–2003 file (.xls), for 2025\n") in out
    main(["check", "--data", str(home / "data"), "--quiet"])
    assert "bị từ chối" not in capsys.readouterr().out


def test_the_refused_log_is_guarded_for_excel_and_read_back_as_written(home, tmp_path):
    # refused.csv is the store's: written as the quarantine is, guarded for Excel, read back as written.
    path = old_workbook(tmp_path / "=cmd.xls")
    run([path], home, agency="SYT")
    with (home / "data/quarantine/refused.csv").open(encoding="utf-8", newline="") as fh:
        raw = list(csv.DictReader(fh))
    assert raw[0]["file"] == "'=cmd.xls"  # inert when opened in Excel
    from gender_monitor.collect.store import Store

    assert Store(home / "data").refused[0]["file"] == "=cmd.xls"


def test_a_refused_file_sent_with_its_readable_copy_waits_for_nothing(templates, home, tmp_path):  # noqa: F811
    from gender_monitor.collect.returns import status_table

    # The clerk sends the workbook both as .xls and as .xlsx, the same day: the return was received and read.
    fill(templates["SYT"], tmp_path / "SYT.xlsx", SRB)
    run([old_workbook(tmp_path / "SYT.xls"), tmp_path / "SYT.xlsx"], home, agency="SYT")
    syt = status_of(home).loc["SYT"]
    assert (syt["received_on"], syt["usable"], syt["refused"]) == (NOW.date(), True, 0)
    shown = status_table(status_of(home).reset_index(), "en").set_index("Agency")
    assert shown.loc["Department of Health", "Return"] == "received on 20 November 2025"
