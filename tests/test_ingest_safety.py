"""Ingestion under careless and hostile input: store files saved by Excel, concurrent ingestions, formulas
without a stored result, formula text from agencies, oversized workbooks."""

from __future__ import annotations

import csv
import datetime as dt
import multiprocessing
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from gender_monitor.collect import ingest as ingest_module
from gender_monitor.collect.ingest import ingest
from gender_monitor.collect.store import Store, store_lock
from gender_monitor.collect.templates import DATA_SHEET, FIRST_ROW, HEADER_ROW, write_templates
from gender_monitor.core.cells import neutralise
from gender_monitor.core.exceptions import IngestError

ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2025, 11, 20, 9, 30, tzinfo=dt.timezone.utc)
HEADER = "indicator,place,year,value,quarter,sex,numerator,denominator,unit,source,status,note,series\n"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(ROOT / "data", root, ignore=shutil.ignore_patterns("panels"))
    return root


def _run(files, data: Path, **kw):
    return ingest(files, data_dir=data, outputs_dir=data.parent / "outputs", now=kw.pop("now", NOW), **kw)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# -- store files touched by Excel ------------------------------------------------------------------------
def test_reported_file_with_bom_and_empty_status_is_read(data: Path, tmp_path: Path) -> None:
    reported = data / "reported" / "2025"
    reported.mkdir(parents=True)
    (reported / "SYT.csv").write_bytes(("\ufeff" + HEADER + "4.4,QT,2025,1,,,,,count,SYT,,,\n").encode("utf-8"))
    sent = tmp_path / "new.csv"
    sent.write_text(HEADER + "4.1,QT,2025,108.2,,,6000,5545,,,official,,\n", encoding="utf-8")
    result = _run([sent], data)
    assert result.ok and result.files[0].added == 1, result.summary()
    rows = {r["indicator"]: r for r in _read(reported / "SYT.csv")}
    assert rows["4.4"]["status"] == "official" and rows["4.1"]["value"] == "108.2"


def test_reported_file_with_an_unknown_status_is_refused_by_name(data: Path, tmp_path: Path) -> None:
    reported = data / "reported" / "2025"
    reported.mkdir(parents=True)
    (reported / "SYT.csv").write_text(HEADER + "4.4,QT,2025,1,,,,,yes_no,SYT,chính thức?,,\n", encoding="utf-8")
    with pytest.raises(IngestError) as err:
        Store(data)
    assert "SYT.csv" in str(err.value) and "dòng 2" in str(err.value) and "line 2" in str(err.value)


def test_quarantine_saved_with_a_bom_keeps_its_timestamps(data: Path, tmp_path: Path) -> None:
    q = data / "quarantine" / "quarantine.csv"
    q.write_bytes(("\ufeffwhen,file,sheet,cell,agency,indicator,place,year,quarter,value,numerator,denominator,"
                   "status,reason\n2025-01-02T03:04:05+00:00,a.csv,,line 2,SYT,4.1,QT,2025,,500,,,official,x\n")
                  .encode("utf-8"))
    sent = tmp_path / "bad.csv"
    sent.write_text(HEADER + "4.1,QT,2025,700,,,,,,,official,,\n", encoding="utf-8")
    _run([sent], data)
    rows = _read(q)
    assert [r["when"] for r in rows] == ["2025-01-02T03:04:05+00:00", NOW.isoformat()]


# -- concurrent ingestions -------------------------------------------------------------------------------
def _ingest_one(args: tuple[str, str, str]) -> str:
    data, file, now = args
    result = ingest([Path(file)], data_dir=Path(data), outputs_dir=Path(data).parent / "outputs",
                    now=dt.datetime.fromisoformat(now))
    return result.summary()


def test_concurrent_ingestions_lose_no_value(data: Path, tmp_path: Path) -> None:
    # Two agencies' values for the same reported file (SYT, 2025), sent at the same moment.
    files = []
    for i, (code, value) in enumerate((("4.1", "108.2,,,6000,5545"), ("4.4", "1,,,,"))):
        f = tmp_path / f"sent{i}.csv"
        f.write_text(HEADER + f"{code},QT,2025,{value},,,official,,\n", encoding="utf-8")
        files.append((str(data), str(f), f"2025-11-20T09:30:0{i}+00:00"))
    with multiprocessing.get_context("fork").Pool(2) as pool:
        summaries = pool.map(_ingest_one, files)
    assert all("1 new" in s for s in summaries), summaries
    assert sorted(r["indicator"] for r in _read(data / "reported" / "2025" / "SYT.csv")) == ["4.1", "4.4"]


def test_a_second_ingestion_stops_with_a_message_when_the_lock_is_held(data: Path, tmp_path: Path) -> None:
    sent = tmp_path / "s.csv"
    sent.write_text(HEADER + "4.4,QT,2025,1,,,,,,,official,,\n", encoding="utf-8")
    with store_lock(data):
        with pytest.raises(IngestError) as err:
            _run([sent], data, lock_timeout=0.3)
    assert "another ingestion" in str(err.value) and "lần nhập" in str(err.value)
    assert not (data / "reported" / "2025").exists()
    assert _run([sent], data).ok  # released


# -- formulas --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("templates")
    return {m.agency: m.path for m in write_templates(2025, folder)}["SYT"]


def _fill(template: Path, out: Path, code: str, **cells: object) -> None:
    wb = openpyxl.load_workbook(template)
    ws = wb[DATA_SHEET]
    col = {c.value: c.column for c in ws[HEADER_ROW]}
    for row in ws.iter_rows(min_row=FIRST_ROW):
        if row[col["code"] - 1].value == code and row[col["place"] - 1].value == "QT":
            for name, v in cells.items():
                ws.cell(row=row[0].row, column=col[name], value=v)
            break
    wb.save(out)


def test_formula_without_a_stored_result_is_a_named_error(data: Path, template: Path, tmp_path: Path) -> None:
    filled = tmp_path / "SYT.xlsx"
    _fill(template, filled, "4.1", numerator=6000, denominator=5545, value="=100*6000/5545")  # openpyxl stores no result
    result = _run([filled], data)
    errors = [f for f in result.errors if "formula without a stored result" in f.rule]
    assert len(errors) == 1 and errors[0].cell.startswith(errors[0].cell.rstrip("0123456789"))
    assert "công thức chưa có kết quả" in errors[0].rule_vi and "formula without a stored result" in errors[0].rule
    assert result.files[0].empty == 0 or "4.1" not in str(result.files[0].empty)
    assert "1 error(s)" in result.summary()
    # Nothing sent is lost: the row waits in the quarantine with the formula as the agency wrote it.
    held = [q for q in _read(data / "quarantine" / "quarantine.csv") if q["file"] == "SYT.xlsx"]
    assert [(q["indicator"], q["place"], q["value"], q["numerator"]) for q in held] == \
        [("4.1", "QT", "'=100*6000/5545", "6000")]
    assert held[0]["reason"].startswith("formula without a stored result")
    assert held[0]["reason_vi"].startswith("công thức chưa có kết quả")


def test_agency_text_that_looks_like_a_formula_is_written_inert(data: Path, tmp_path: Path) -> None:
    sent = tmp_path / "=HYPERLINK(x).csv"
    sent.write_text(HEADER + "4.1,QT,2025,108.2,,,6000,5545,,\"=cmd|' /C calc'!A0\",official,@SUM(1+1),\n"
                             "4.4,QT,2025,7,,,,,,+danger,official,-2+3,\n"
                             "4.2,QT,2025,=1+1,,,,,,,official,,\n", encoding="utf-8")
    result = _run([sent], data)
    texts = [(data / "reported" / "2025" / "SYT.csv").read_text(encoding="utf-8"),
             (data / "quarantine" / "quarantine.csv").read_text(encoding="utf-8"),
             (result.report_dir / "report.csv").read_text(encoding="utf-8")]
    for text in texts:
        for row in csv.reader(text.splitlines()):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t")), (cell, text[:200])
                assert not cell.startswith("-") or cell.lstrip("-").replace(".", "").isdigit(), cell
    assert "'@SUM(1+1)" in texts[0] and "'-2+3" in texts[0]
    assert "'=HYPERLINK(x).csv" in texts[1] and "'=1+1" in texts[1] and "'=1+1" in texts[2]


def test_neutralise_leaves_numbers_and_ordinary_text() -> None:
    assert [neutralise(x) for x in ("-3.5", "+2", "1e-3", "Sở Y tế", "-", "=1+1", "\tx", 5, None)] == [
        "-3.5", "+2", "1e-3", "Sở Y tế", "'-", "'=1+1", "'\tx", 5, None]
    assert neutralise(neutralise("=x")) == "'=x"


def test_place_name_beginning_with_equals_is_text_in_the_template(tmp_path: Path, monkeypatch) -> None:
    from gender_monitor.collect.templates import keep_as_text

    wb = openpyxl.Workbook()
    cell = keep_as_text(wb.active.cell(row=1, column=1, value="=HYPERLINK(\"http://x\")"))
    wb.save(tmp_path / "t.xlsx")
    back = openpyxl.load_workbook(tmp_path / "t.xlsx").active["A1"]
    assert cell.data_type == "s" and back.data_type == "s"


# -- limits ----------------------------------------------------------------------------------------------
def test_workbook_that_unpacks_too_large_is_refused_before_opening(data: Path, tmp_path: Path, monkeypatch) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (3 * 1024**2))
    monkeypatch.setattr(ingest_module, "XLSX_UNPACKED_LIMIT", 2 * 1024**2)
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(a))
    result = _run([bomb], data)
    assert opened == [] and "unpacks to 3 MB" in result.files[0].refused


def test_text_guarded_for_spreadsheets_reads_back_as_it_was_written():
    from gender_monitor.core.cells import neutralise, restore

    texts = ["- số liệu tạm tính", "=SUM(A1)", "+84 912", "@mention", "\tTab", "Sở Y tế", "-3.5", "+2", "", "1e-3"]
    assert [restore(neutralise(t)) for t in texts] == texts
    # Only a guard neutralise would add comes off: a number never guarded keeps what stands before it.
    assert restore("'-3.5") == "'-3.5" and restore("'Sở Y tế") == "'Sở Y tế" and restore(7) == 7
