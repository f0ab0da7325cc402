"""Ingesting filled templates: every cell checked, good values landed, bad ones quarantined, nothing lost.

Every test works on a copy of the repository's data/ in tmp_path. Expected values are the ones the test
types into the template; the rules come from docs/ARCHITECTURE.md (units and ranges) and the issue.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import openpyxl
import pytest
import yaml
from gender_monitor.collect.ingest import ingest
from gender_monitor.collect.store import Store
from gender_monitor.collect.templates import DATA_SHEET, FIRST_ROW, HEADER_ROW, META_SHEET, write_templates
from gender_monitor.core.exceptions import IngestError

ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2025, 11, 20, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
LATER = dt.datetime(2025, 11, 24, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


# -- helpers ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    return {m.agency: m.path for m in write_templates(2025, folder)}


def fill(template: Path, out: Path, values: dict[tuple, dict[str, object]]) -> dict[tuple, str]:
    """Type ``values`` into the rows keyed (code, place[, quarter]); returns each row's value cell."""
    wb = openpyxl.load_workbook(template)
    ws = wb[DATA_SHEET]
    col = {c.value: c.column for c in ws[HEADER_ROW]}
    cells = {}
    for row in ws.iter_rows(min_row=FIRST_ROW):
        code, place, quarter = row[col["code"] - 1].value, row[col["place"] - 1].value, row[col["quarter"] - 1].value
        key = (code, place) if quarter is None else (code, place, quarter)
        if key in values:
            for name, v in values[key].items():
                ws.cell(row=row[0].row, column=col[name], value=v)
            cells[key] = ws.cell(row=row[0].row, column=col["value"]).coordinate
    assert set(cells) == set(values), set(values) - set(cells)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return cells


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def run(files, home: Path, **kw):
    return ingest(files, data_dir=home / "data", outputs_dir=home / "outputs", now=kw.pop("now", NOW), **kw)


def run_csv(home: Path, path: Path, rows: str, **kw):
    """Ingest an observation CSV of ``indicator,place,year,value`` rows."""
    path.write_text("indicator,place,year,value\n" + rows, encoding="utf-8")
    return run([path], home, **kw)


def the_warning(result):
    (warning,) = [f for f in result.findings if f.severity == "warning"]
    return warning


SRB = {("4.1", "QT"): {"value": 108.2, "numerator": 6000, "denominator": 5545}}


# -- the round trip --------------------------------------------------------------------------------------
def test_round_trip_lands_values_and_assess_uses_them(templates, home, tmp_path):
    # The agency sees the Vietnamese labels; the machine names of the row ingestion reads are hidden.
    sheet = openpyxl.load_workbook(templates["SYT"])[DATA_SHEET]
    assert sheet.row_dimensions[HEADER_ROW].hidden and not sheet.row_dimensions[1].hidden
    assert sheet.cell(row=1, column=1).value == "Mã chỉ tiêu" and sheet.cell(row=HEADER_ROW, column=1).value == "code"
    filled = tmp_path / "SYT-2025.xlsx"
    fill(templates["SYT"], filled, SRB | {("4.4", "QT"): {"value": 0, "status": "sơ bộ"}})
    result = run([filled], home)
    assert result.ok, result.findings
    rows = read(home / "data/reported/2025/SYT.csv")
    assert [(r["indicator"], r["place"], r["year"], r["value"], r["numerator"], r["denominator"], r["status"])
            for r in rows] == [("4.1", "QT", "2025", "108.2", "6000", "5545", "official"),
                               ("4.4", "QT", "2025", "0", "", "", "preliminary")]
    assert rows[0]["source"] == "SYT, SYT-2025.xlsx" and rows[0]["unit"] == "per_100"
    meta = (home / "data/reported/2025/SYT.csv.meta.yml").read_text(encoding="utf-8")
    assert "SYT-2025.xlsx" in meta and "Sở Y tế" in meta
    report = result.report_dir
    assert report.parent == home / "outputs" / "ingest" and (report / "report.csv").exists()
    assert "2 new" in (report / "report.txt").read_text(encoding="utf-8")

    from gender_monitor.data import checks
    from gender_monitor.data.observations import default_observation_files, load_observations
    from gender_monitor.judge.assessment import assess

    assert checks.run_checks(data_dir=home / "data").ok
    obs = load_observations(default_observation_files(home / "data"))
    table = assess(obs, codes=["4.1"], place="QT")  # the place the returns were filled for
    row = table[(table["code"] == "4.1") & (table["target_year"] == 2030)].iloc[0]
    assert (row["latest_year"], row["latest_value"]) == (2025, pytest.approx(108.2))


def test_template_saved_by_libreoffice_still_ingests(templates, home, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not on PATH, so a LibreOffice-saved file cannot be made")
    filled = tmp_path / "filled" / "SYT-2025.xlsx"
    fill(templates["SYT"], filled, SRB | {("4.2", "QT"): {"value": 41.5, "numerator": 5, "denominator": 12048}})
    out = tmp_path / "lo"
    proc = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                           "--convert-to", "xlsx", "--outdir", str(out), str(filled)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and (out / filled.name).exists(), proc.stderr
    wb = openpyxl.load_workbook(out / filled.name)
    assert wb[META_SHEET].sheet_state == "hidden"  # LibreOffice kept our metadata sheet
    result = run([out / filled.name], home)
    assert result.ok, result.findings
    values = {r["indicator"]: r["value"] for r in read(home / "data/reported/2025/SYT.csv")}
    assert values == {"4.1": "108.2", "4.2": "41.5"}


# -- one test per rule -----------------------------------------------------------------------------------
@pytest.mark.parametrize("values, column, rule", [
    ({("4.2", "QT"): {"value": "bốn mươi"}}, "value", "must be a number"),
    ({("4.1", "QT"): {"value": 150}}, "value", "plausible band 90–130"),
    ({("3.3", "QT"): {"value": 120}}, "value", "between 0 and 100"),
    ({("4.4", "QT"): {"value": 1.5}}, "value", "whole number"),
    ({("3.4", "QT"): {"value": 50, "numerator": 9, "denominator": 4}}, "numerator", "must not exceed denominator"),
    ({("4.3", "QT"): {"value": 20, "year": 2024}}, "year", "wrong year"),
    ({("4.3", "QT"): {"value": 50, "code": "1.1"}}, "code", "indicator of another agency"),
    ({("4.3", "QT"): {"value": 20, "place": "QT-XX"}}, "place", "unknown place"),
], ids=["not-a-number", "srb-out-of-band", "percent-over-100", "count-not-whole", "numerator-over-denominator",
        "wrong-year", "other-agency", "unknown-place"])
def test_each_rule_names_the_cell_and_quarantines_the_value(templates, home, tmp_path, values, column, rule):
    filled = tmp_path / "bad.xlsx"
    fill(templates["SYT"], filled, values)
    ws = openpyxl.load_workbook(filled)[DATA_SHEET]
    col = {c.value: c.column_letter for c in ws[HEADER_ROW]}
    ((code, place),) = values
    line = next(r[0].row for r in ws.iter_rows(min_row=FIRST_ROW)
                if (r[0].value, r[2].value) in {(code, place), (values[code, place].get("code"), place),
                                                 (code, values[code, place].get("place"))})
    result = run([filled], home)
    errors = result.errors
    assert errors and all(e.sheet == DATA_SHEET for e in errors)
    assert any(rule in e.rule and e.cell == f"{col[column]}{line}" for e in errors), errors
    assert not (home / "data/reported/2025/SYT.csv").exists()
    q = read(home / "data/quarantine/quarantine.csv")
    assert len(q) == 1 and rule in q[0]["reason"] and q[0]["file"] == "bad.xlsx"
    report = read(result.report_dir / "report.csv")
    assert any(r["cell"] == f"{col[column]}{line}" and rule in r["rule"] for r in report)


def test_a_share_typed_as_a_percentage_lands_as_the_share_and_a_count_so_typed_is_held(templates, home, tmp_path):
    # Typing "80%" into a share's cell makes Excel keep 0.8 and show 80%: the agency meant 80, not 0.8.
    # A count typed "5%" has no meaning the suite could guess: it is held in the quarantine, named.
    filled = tmp_path / "SYT.xlsx"
    cells = fill(templates["SYT"], filled, {("3.4", "QT"): {"value": 0.875}, ("3.4", "QT25"): {"value": 0.8},
                                           ("4.4", "QT"): {"value": 0.05}, ("3.3", "QT"): {"value": 64.5}})
    wb = openpyxl.load_workbook(filled)
    for key in (("3.4", "QT"), ("3.4", "QT25"), ("4.4", "QT")):
        wb[DATA_SHEET][cells[key]].number_format = "0%" if key[1] == "QT25" else "0.0%"
    wb.save(filled)
    result = run([filled], home)
    landed = {(r["indicator"], r["place"]): r["value"] for r in read(home / "data/reported/2025/SYT.csv")}
    assert landed == {("3.4", "QT"): "87.5", ("3.4", "QT25"): "80", ("3.3", "QT"): "64.5"}
    said = {f.cell: f for f in result.findings if f.severity == "info"}
    assert "read as 87.5" in said[cells["3.4", "QT"]].rule and "nay đọc là 87,5" in said[cells["3.4", "QT"]].rule_vi
    assert [e.cell for e in result.errors] == [cells["4.4", "QT"]] and "percentage" in result.errors[0].rule
    q = read(home / "data/quarantine/quarantine.csv")
    assert [(r["indicator"], r["value"], r["cell"]) for r in q] == [("4.4", "0.05", cells["4.4", "QT"])]


def test_implausible_jump_is_a_warning_and_the_value_lands(templates, home, tmp_path):
    filled = tmp_path / "jump.xlsx"
    # The 2024 sex ratio at birth (illustrative) is about 111; 125 is within the band but a jump of > 6.
    cells = fill(templates["SYT"], filled, {("4.1", "QT"): {"value": 125}})
    result = run([filled], home)
    assert result.ok
    warnings = [f for f in result.findings if f.severity == "warning"]
    assert len(warnings) == 1 and "implausible jump" in warnings[0].rule and warnings[0].cell == cells["4.1", "QT"]
    assert read(home / "data/reported/2025/SYT.csv")[0]["value"] == "125"
    assert not (home / "data/quarantine/quarantine.csv").exists()


def test_a_note_typed_over_several_lines_is_stored_on_one_and_the_data_still_load(templates, home, tmp_path):
    # Alt+Enter in a cell: stored as a quoted field over three lines, the store's file was refused by the loader
    # and every report stopped.
    from gender_monitor.data.observations import check_observations

    filled = tmp_path / "note.xlsx"
    fill(templates["SYT"], filled, {("4.1", "QT"): {"value": 110, "note": "tạm tính\nchờ số liệu\r\nquý 4"}})
    assert run([filled], home).ok
    stored = home / "data/reported/2025/SYT.csv"
    assert read(stored)[0]["note"] == "tạm tính chờ số liệu quý 4"
    frame, issues = check_observations([stored])
    assert len(frame) == 1 and not [i for i in issues if i.severity == "error"]


def test_a_source_given_without_a_value_is_named_at_its_own_cell(templates, home, tmp_path):
    filled = tmp_path / "SYT.xlsx"
    cells = fill(templates["SYT"], filled, {("4.1", "QT"): {"source": "Báo cáo 12/BC-SYT"}})
    result = run([filled], home)
    warning = the_warning(result)
    # The source sits in column O, beside the value's column K; the note's column P is empty.
    assert (warning.cell, warning.value) == (cells[("4.1", "QT")].replace("K", "O"), "Báo cáo 12/BC-SYT")


def test_a_status_source_or_note_given_without_a_value_is_each_named_at_its_cell_for_what_it_is(templates, home,
                                                                                                  tmp_path):
    # A status alone (N = "sơ bộ") gave no word at all, and a source was called a note.
    filled = tmp_path / "SYT.xlsx"
    cells = fill(templates["SYT"], filled, {("4.1", "QT"): {"status": "sơ bộ"},
                                            ("4.2", "QT"): {"status": "sơ bộ", "source": "BC 12", "note": "chờ"}})
    result = run([filled], home)
    said = {f.cell: (f.value, f.rule, f.rule_vi) for f in result.findings if f.severity == "warning"}
    k41, k42 = cells["4.1", "QT"], cells["4.2", "QT"]
    assert said == {
        k41.replace("K", "N"): ("sơ bộ", "no value given: the status is not stored",
                                "chưa ghi giá trị nên tình trạng số liệu không được lưu"),
        k42.replace("K", "N"): ("sơ bộ", "no value given: the status is not stored",
                                "chưa ghi giá trị nên tình trạng số liệu không được lưu"),
        k42.replace("K", "O"): ("BC 12", "no value given: the source is not stored",
                                "chưa ghi giá trị nên nguồn số liệu không được lưu"),
        k42.replace("K", "P"): ("chờ", "no value given: the note is not stored",
                                "chưa ghi giá trị nên ghi chú không được lưu")}


def test_a_value_in_merged_cells_is_named_at_each_cell_and_held_for_every_row_it_covers(templates, home, tmp_path):
    # K9:K10 merged with 90 typed: Excel shows 90 on both rows, openpyxl reads K10 as empty. Row 10 was counted
    # "left empty" with no word and its value was lost; which row 90 belongs to is not known, so both are held.
    filled = tmp_path / "SYT.xlsx"
    cells = fill(templates["SYT"], filled, {("4.2", "QT"): {"value": 40.5}})
    unmerged = run([filled], home, dry_run=True).files[0].empty
    wb = openpyxl.load_workbook(filled)
    ws = wb[DATA_SHEET]
    top = ws[cells["4.2", "QT"]]
    below = ws.cell(row=top.row + 1, column=top.column).coordinate
    ws.merge_cells(f"{top.coordinate}:{below}")
    wb.save(filled)
    result = run([filled], home)
    assert [(e.cell, e.value) for e in result.errors] == [(top.coordinate, "40.5"), (below, "40.5")]
    assert all(f"{top.coordinate}:{below}" in e.rule and f"{top.coordinate}:{below}" in e.rule_vi
               for e in result.errors)
    q = read(home / "data/quarantine/quarantine.csv")
    assert [(r["cell"], r["value"]) for r in q] == [(top.coordinate, "40.5"), (below, "40.5")]
    assert q[1]["indicator"] == ws.cell(row=top.row + 1, column=1).value
    assert not (home / "data/reported/2025/SYT.csv").exists()
    assert (result.files[0].quarantined, result.files[0].empty) == (2, unmerged - 1)


def test_bad_cell_is_quarantined_while_the_good_ones_land(templates, home, tmp_path):
    filled = tmp_path / "mixed.xlsx"
    cells = fill(templates["SYT"], filled, SRB | {("4.2", "QT"): {"value": -3}, ("4.3", "QT"): {"value": 19.8}})
    result = run([filled], home)
    assert [e.cell for e in result.errors] == [cells["4.2", "QT"]]
    landed = {r["indicator"] for r in read(home / "data/reported/2025/SYT.csv")}
    assert landed == {"4.1", "4.3"}
    q = read(home / "data/quarantine/quarantine.csv")
    assert [(r["indicator"], r["value"], r["cell"], r["agency"]) for r in q] == [("4.2", "-3", cells["4.2", "QT"], "SYT")]
    assert result.files[0].added == 2 and result.files[0].quarantined == 1


# -- idempotence and revisions ---------------------------------------------------------------------------
def test_ingesting_twice_changes_nothing(templates, home, tmp_path):
    filled = tmp_path / "SYT.xlsx"
    fill(templates["SYT"], filled, SRB | {("4.2", "QT"): {"value": "x"}})
    once = run([filled], home)
    first = snapshot(home / "data")
    again = run([filled], home, now=LATER)
    assert snapshot(home / "data") == first
    assert again.written == [] and again.files[0].unchanged == 1
    # The bad cell is still reported, but it is not a new quarantine entry.
    assert (once.files[0].quarantined, once.files[0].already_quarantined) == (1, 0)
    assert (again.files[0].quarantined, again.files[0].already_quarantined) == (0, 1)
    assert len(again.errors) == 1 and "0 quarantined (1 already in quarantine)" in again.summary()
    assert len(read(home / "data/quarantine/quarantine.csv")) == 1


def test_a_note_or_formula_the_store_guards_for_excel_is_read_back_as_sent(templates, home, tmp_path):
    # A note opening with a dash (common in Vietnamese reports) and a formula left in a value cell: the
    # files the suite writes guard both for spreadsheets, and a second ingestion must see no change.
    filled = tmp_path / "SYT.xlsx"
    fill(templates["SYT"], filled, SRB | {("4.1", "QT"): {"value": 108.2, "numerator": 6000, "denominator": 5545,
                                                          "note": "- số liệu tạm tính"},
                                          ("4.3", "QT"): {"value": "=SUM(10,9.8)"}})
    once = run([filled], home)
    first = snapshot(home / "data")
    again = run([filled], home, now=LATER)
    assert snapshot(home / "data") == first and again.written == []
    assert (once.files[0].added, once.files[0].quarantined) == (1, 1)
    assert (again.files[0].revised, again.files[0].unchanged, again.files[0].already_quarantined) == (0, 1, 1)
    assert not (home / "data/reported/revisions.csv").exists() or len(read(home / "data/reported/revisions.csv")) == 0
    # On disk, guarded for Excel; read back, as the agency wrote it.
    assert read(home / "data/reported/2025/SYT.csv")[0]["note"] == "'- số liệu tạm tính"
    assert read(home / "data/quarantine/quarantine.csv")[0]["value"] == "'=SUM(10,9.8)"


def test_the_same_bad_file_twice_in_one_run_is_quarantined_once(templates, home, tmp_path):
    filled = tmp_path / "SYT.xlsx"
    fill(templates["SYT"], filled, SRB | {("4.2", "QT"): {"value": "x"}})
    result = run([filled, filled], home)
    assert [(f.added, f.unchanged, f.quarantined, f.already_quarantined) for f in result.files] == \
        [(1, 0, 1, 0), (0, 1, 0, 1)]
    assert len(read(home / "data/quarantine/quarantine.csv")) == 1


def test_a_corrected_value_is_revised_and_logged(templates, home, tmp_path):
    first, second = tmp_path / "v1" / "SYT.xlsx", tmp_path / "v2" / "SYT.xlsx"
    fill(templates["SYT"], first, SRB)
    fill(templates["SYT"], second, {("4.1", "QT"): {"value": 109.0, "numerator": 6040, "denominator": 5541}})
    run([first], home)
    result = run([second], home, now=LATER)
    assert result.files[0].revised == 1
    rows = read(home / "data/reported/2025/SYT.csv")
    assert [(r["indicator"], r["value"]) for r in rows] == [("4.1", "109")]
    log = read(home / "data/reported/revisions.csv")
    assert len(log) == 1
    entry = log[0]
    assert (entry["indicator"], entry["place"], entry["year"], entry["old_value"], entry["new_value"]) == \
        ("4.1", "QT", "2025", "108.2", "109")
    assert entry["file"] == "SYT.xlsx" and entry["when"] == LATER.isoformat() and "numerator" in entry["changed"]
    before = snapshot(home / "data")
    run([second], home, now=LATER + dt.timedelta(days=1))
    assert snapshot(home / "data") == before  # no second log entry
    # The provenance keeps the day the return first arrived; the day it last changed moves on.
    meta = yaml.safe_load((home / "data/reported/2025/SYT.csv.meta.yml").read_text(encoding="utf-8"))
    assert (meta["first_received"], meta["date_accessed"]) == ("2025-11-20", "2025-11-24")
    # A Vietnamese reader of the sources list gets the licence of a return in Vietnamese.
    from gender_monitor.publish.brief import licence_words

    assert licence_words(meta, "vi").startswith("Số liệu hành chính báo cáo cơ quan thường trực")


def held_for(home: Path, year: int) -> dict[str, int]:
    """The returns table's count of rows held back for ``year``, by agency (``collect.returns``)."""
    import pandas as pd
    from gender_monitor.collect.returns import reporting_status
    from gender_monitor.plan.reference import load_agencies
    from gender_monitor.plan.registry import load_plan

    agencies = load_agencies()
    status = reporting_status(year, plan=load_plan(agencies=agencies.codes), agencies=agencies,
                              observations=pd.DataFrame(columns=["indicator", "place", "year", "quarter", "value"]),
                              place="QT25", report_date=dt.date(year, 12, 3), data_dir=home / "data")
    return dict(zip(status["agency"], status["quarantined"], strict=True))


def test_a_held_value_is_released_by_a_later_value_of_its_agency_for_its_key(templates, home, tmp_path):
    # The first return holds 4.2 (-3, below the range) and 4.3 ("x") back; the correction gives 4.2 as 40.5 and
    # leaves 4.3 out. 4.2's entry stays in the quarantine, marked resolved by the cell that replaced it; 4.3's
    # still waits: SYT has 2 held rows, then 1.
    first, second = tmp_path / "v1" / "SYT.xlsx", tmp_path / "v2" / "SYT-sua.xlsx"
    fill(templates["SYT"], first, SRB | {("4.2", "QT"): {"value": -3}, ("4.3", "QT"): {"value": "x"}})
    cells = fill(templates["SYT"], second, {("4.2", "QT"): {"value": 40.5}})
    run([first], home)
    assert held_for(home, 2025)["SYT"] == 2
    result = run([second], home, now=LATER)
    assert (result.files[0].added, result.files[0].released) == (1, 1)
    q = home / "data/quarantine/quarantine.csv"
    assert [(r["indicator"], r["value"], r["resolved"], r["resolved_file"], r["resolved_cell"], r["resolved_value"])
            for r in read(q)] == [("4.2", "-3", LATER.isoformat(), "SYT-sua.xlsx", cells["4.2", "QT"], "40.5"),
                                  ("4.3", "x", "", "", "", "")]
    (said,) = [f for f in result.findings if f.severity == "info"]
    assert said.cell == cells["4.2", "QT"] and "-3" in said.rule and "SYT.xlsx" in said.rule_vi
    assert held_for(home, 2025)["SYT"] == 1
    # Sending both files again changes nothing: the first file's bad rows are the entries already there.
    before = snapshot(home / "data")
    again = run([first, second], home, now=LATER + dt.timedelta(days=1))
    assert [f.already_quarantined for f in again.files] == [2, 0] and snapshot(home / "data") == before


def typed_row(template: Path, out: Path, cells: dict[str, object]) -> int:
    """Type ``cells`` (by column name) into the template's first blank row; returns the row's number."""
    wb = openpyxl.load_workbook(template)
    ws = wb[DATA_SHEET]
    col = {c.value: c.column for c in ws[HEADER_ROW]}
    n = next(r for r in range(FIRST_ROW, ws.max_row + 2) if ws.cell(row=r, column=col["code"]).value is None)
    for name, v in cells.items():
        ws.cell(row=n, column=col[name], value=v)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return n


@pytest.mark.parametrize("wrong, right", [({"year": dt.datetime(2025, 1, 1)}, {"year": 2025}),
                                          ({"place": "QT-X01"}, {"place": "QT"})])
def test_a_row_held_for_a_wrong_key_cell_is_resolved_by_its_corrected_row_at_the_same_place(templates, home, tmp_path,
                                                                                              wrong, right):
    # A year typed as a date (2025-01-01T00:00:00) or an unknown place: the held row has no key a corrected value
    # could be found by, and the returns table counted it held for ever. The corrected row at the same place of
    # the agency's template, the same in every other cell of the key, resolves it; another indicator there does not.
    row = {"code": "4.2", "place": "QT", "year": 2025, "value": 40.5}
    first, other, second = tmp_path / "v1" / "SYT.xlsx", tmp_path / "v2" / "SYT-khac.xlsx", tmp_path / "v3" / "SYT.xlsx"
    n = typed_row(templates["SYT"], first, row | wrong)
    typed_row(templates["SYT"], other, row | right | {"code": "4.3", "value": 19.8})
    typed_row(templates["SYT"], second, row | right)
    run([first], home)
    assert held_for(home, 2025)["SYT"] == 1
    assert run([other], home, now=LATER).files[0].released == 0 and held_for(home, 2025)["SYT"] == 1
    result = run([second], home, now=LATER + dt.timedelta(days=1))
    assert result.files[0].released == 1 and held_for(home, 2025)["SYT"] == 0
    (entry,) = read(home / "data/quarantine/quarantine.csv")
    assert (entry["resolved_file"], entry["resolved_cell"], entry["resolved_value"]) == ("SYT.xlsx", f"K{n}", "40.5")


@pytest.mark.parametrize("order", [("wrong", "right"), ("right", "wrong")])
def test_a_row_held_for_a_wrong_key_cell_is_resolved_by_its_corrected_row_in_the_same_run(templates, home, tmp_path,
                                                                                            order):
    # The year typed as a date in SYT.xlsx, typed right in SYT-sua.xlsx at the same row, both in one run: the held
    # row is resolved by the corrected one whichever file is listed first (the row is found by its place in the
    # template, among the rows held so far in the run or on disk).
    row = {"code": "4.2", "place": "QT", "value": 40.5}
    files = {"wrong": tmp_path / "SYT.xlsx", "right": tmp_path / "SYT-sua.xlsx"}
    n = typed_row(templates["SYT"], files["wrong"], row | {"year": dt.datetime(2025, 1, 1)})
    assert typed_row(templates["SYT"], files["right"], row | {"year": 2025}) == n
    result = run([files[o] for o in order], home)
    assert sum(f.released for f in result.files) == 1 and held_for(home, 2025)["SYT"] == 0
    (entry,) = read(home / "data/quarantine/quarantine.csv")
    assert (entry["file"], entry["resolved_file"], entry["resolved_cell"], entry["resolved_value"]) == (
        "SYT.xlsx", "SYT-sua.xlsx", f"K{n}", "40.5")


def test_the_round_of_a_return_is_the_year_whose_due_day_is_nearest():
    from gender_monitor.collect.templates import round_of
    from gender_monitor.plan.registry import load_plan

    plan = load_plan()
    # Due on 25 November: 26 May 2026 is 182 days after 25/11/2025 and 183 before 25/11/2026; 27 May the other way.
    assert [round_of(dt.date(*d), plan) for d in [(2025, 11, 25), (2026, 1, 10), (2026, 5, 26), (2026, 5, 27),
                                                 (2026, 12, 20)]] == [2025, 2025, 2025, 2026, 2026]
    assert round_of(None, plan) is None


def test_a_return_whose_every_row_was_refused_arrived_on_its_day_and_is_not_late(templates, home, tmp_path):
    import pandas as pd
    from gender_monitor.collect.returns import reporting_status
    from gender_monitor.plan.reference import load_agencies
    from gender_monitor.plan.registry import load_plan

    # SYT sends its return on 20 November (before the 25th), but both values are refused: nothing lands in
    # reported/, yet the return arrived on time; the report must not say it never came and is 8 days late.
    filled = tmp_path / "SYT.xlsx"
    fill(templates["SYT"], filled, {("4.2", "QT"): {"value": -3}, ("4.3", "QT"): {"value": "x"}})
    result = run([filled], home)
    assert (result.files[0].added, result.files[0].quarantined) == (0, 2)
    agencies = load_agencies()
    status = reporting_status(2025, plan=load_plan(agencies=agencies.codes), agencies=agencies,
                              observations=pd.DataFrame(columns=["indicator", "place", "year", "quarter", "value"]),
                              place="QT25", report_date=dt.date(2025, 12, 3), data_dir=home / "data")
    syt = status.set_index("agency").loc["SYT"]
    assert (syt["received"], syt["received_on"], syt["days_late"]) == (True, NOW.date(), 0)
    assert (syt["accepted"], syt["quarantined"]) == (0, 2)
    assert not status.set_index("agency").loc["SNV", "received"]  # an agency that sent nothing is still missing


def _one_value_and_two(tmp_path):
    """TKT's 2.3 QT 2025 as 27.4 alone (a.csv), and as 27.4 and 28.1 in one file (b.csv): both held."""
    before, both = tmp_path / "a.csv", tmp_path / "b.csv"
    before.write_text("indicator,place,year,value\n2.3,QT,2025,27.4\n", encoding="utf-8")
    both.write_text("indicator,place,year,value\n2.3,QT,2025,27.4\n2.3,QT,2025,28.1\n", encoding="utf-8")
    return before, both


def test_a_held_value_is_not_released_by_a_value_landed_before_it(home, tmp_path):
    # 2.3 QT 2025 sent by TKT as 27.4 and 28.1 in one file: both held. The same key landing from a file that
    # came before the hold does not release it (TKT's first file, ingested first in the run).
    before, both = _one_value_and_two(tmp_path)
    result = run([before, both], home, agency="TKT")
    assert [(f.added, f.quarantined, f.released) for f in result.files] == [(1, 0, 0), (0, 2, 0)]
    assert held_for(home, 2025)["TKT"] == 2
    # TKT then confirms 27.4 in a file of its own: both held rows are resolved by it.
    fixed = tmp_path / "c.csv"
    fixed.write_text("indicator,place,year,value,source\n2.3,QT,2025,27.4,Niên giám 2025\n", encoding="utf-8")
    result = run([fixed], home, agency="TKT", now=LATER)
    assert result.files[0].released == 2 and held_for(home, 2025)["TKT"] == 0
    assert {r["resolved_cell"] for r in read(home / "data/quarantine/quarantine.csv")} == {"line 2 [value]"}


def test_two_values_held_in_one_file_are_not_resolved_by_another_file_of_the_run_listed_after_it(home, tmp_path):
    # The order of the test above reversed: the file holding 27.4 and 28.1 first, 27.4 alone after. Which value is
    # right the agency has not said; a file of the same run listed later does not say it either.
    before, both = _one_value_and_two(tmp_path)
    result = run([both, before], home, agency="TKT")
    assert [(f.added, f.quarantined, f.released) for f in result.files] == [(0, 2, 0), (1, 0, 0)]
    assert held_for(home, 2025)["TKT"] == 2


def test_a_new_source_for_the_same_value_is_recorded_but_is_not_a_revision(templates, home, tmp_path):
    # The correction repeats 4.1 (108.2, now citing its report) and changes 4.3 from 18.6 to 19: one value
    # revised, one unchanged; the new source of 4.1 is stored and logged, but the board's table of revised
    # values lists 4.3 alone.
    first, second = tmp_path / "v1" / "SYT.xlsx", tmp_path / "v2" / "SYT-sua.xlsx"
    fill(templates["SYT"], first, SRB | {("4.3", "QT"): {"value": 18.6}})
    cells = fill(templates["SYT"], second, {("4.1", "QT"): SRB["4.1", "QT"] | {"source": "Báo cáo 12/BC-SYT"},
                                            ("4.3", "QT"): {"value": 19}})
    run([first], home)
    result = run([second], home, now=LATER)
    assert (result.files[0].added, result.files[0].revised, result.files[0].unchanged) == (0, 1, 1)
    assert "0 new, 1 revised, 1 unchanged" in result.summary()
    stored = {r["indicator"]: r for r in read(home / "data/reported/2025/SYT.csv")}
    assert (stored["4.1"]["value"], stored["4.1"]["source"]) == ("108.2", "SYT, SYT-sua.xlsx; Báo cáo 12/BC-SYT")
    assert [(r["indicator"], r["old_value"], r["new_value"], r["changed"])
            for r in read(home / "data/reported/revisions.csv")] == [("4.1", "108.2", "108.2", "source"),
                                                                      ("4.3", "18.6", "19", "value source")]
    from gender_monitor.collect.returns import revisions_between

    shown = revisions_between(dt.date(2025, 11, 1), dt.date(2025, 12, 31), data_dir=home / "data")
    assert list(zip(shown["indicator"], shown["new_value"], strict=True)) == [("4.3", "19")]
    said = {f.cell: f for f in result.findings if f.severity == "info"}
    assert said[cells["4.3", "QT"]].rule_vi == "sửa giá trị đã lưu 18,6 (thay đổi: giá trị, nguồn số liệu)"
    assert said[cells["4.3", "QT"]].rule == "revises the stored value 18.6 (value, source changed)"
    assert said[cells["4.1", "QT"]].rule_vi == "giá trị không đổi (108,2); ghi nhận thay đổi: nguồn số liệu"
    assert said[cells["4.1", "QT"]].rule == "the value is unchanged (108.2); recorded the new source"


@pytest.mark.parametrize("order", [("old", "new"), ("new", "old")])
def test_two_files_of_one_agency_in_one_run_are_not_settled_by_their_order(templates, home, tmp_path, order):
    # `ingest SYT*.xlsx` lists SYT-v2.xlsx before SYT.xlsx: the old file's 4.1 replaced the corrected one. Which
    # file is newer the run does not know: both values of 4.1 are held, each naming the other, whatever the order.
    # The old file's refused 4.2 (-3) is resolved by the new file's 40.5 whichever file comes first.
    files = {"old": tmp_path / "SYT.xlsx", "new": tmp_path / "SYT-v2.xlsx"}
    cells = fill(templates["SYT"], files["old"], {("4.1", "QT"): {"value": 108.2}, ("4.2", "QT"): {"value": -3},
                                                  ("4.3", "QT"): {"value": 19.8}})
    fill(templates["SYT"], files["new"], {("4.1", "QT"): {"value": 109.0}, ("4.2", "QT"): {"value": 40.5},
                                          ("4.3", "QT"): {"value": 19.8}})
    result = run([files[o] for o in order], home)
    held = {(f.file, f.cell) for f in result.errors if "another file" in f.rule and "tệp khác" in f.rule_vi}
    assert held == {("SYT.xlsx", cells["4.1", "QT"]), ("SYT-v2.xlsx", cells["4.1", "QT"])}
    assert {(r["indicator"], r["value"]) for r in read(home / "data/reported/2025/SYT.csv")} == {("4.2", "40.5"),
                                                                                                 ("4.3", "19.8")}
    q = {(r["file"], r["indicator"], r["value"], r["resolved_value"])
         for r in read(home / "data/quarantine/quarantine.csv")}
    assert q == {("SYT.xlsx", "4.1", "108.2", ""), ("SYT-v2.xlsx", "4.1", "109", ""), ("SYT.xlsx", "4.2", "-3", "40.5")}
    assert held_for(home, 2025)["SYT"] == 2
    assert sum(f.released for f in result.files) == 1


@pytest.mark.parametrize("order", [("old", "new"), ("new", "old")])
def test_one_value_given_by_two_files_with_two_sources_keeps_both_sources_whatever_their_order(templates, home,
                                                                                              tmp_path, order):
    # SYT.xlsx and SYT-v2.xlsx both give 4.1 as 108.2, citing different reports: the file listed last won the
    # source, and the first file's was logged as replaced. The value lands once, with both files and both
    # sources (in the order of the files' names), and each cell warns, naming the other file and its source.
    files = {"old": tmp_path / "SYT.xlsx", "new": tmp_path / "SYT-v2.xlsx"}
    cells = fill(templates["SYT"], files["old"], {("4.1", "QT"): {"value": 108.2, "source": "Báo cáo 12/BC-SYT"}})
    fill(templates["SYT"], files["new"], {("4.1", "QT"): SRB["4.1", "QT"] | {"source": "Niên giám thống kê 2025"}})
    result = run([files[o] for o in order], home)
    assert result.ok
    (row,) = read(home / "data/reported/2025/SYT.csv")
    assert (row["value"], row["numerator"], row["denominator"], row["source"]) == (
        "108.2", "6000", "5545", "SYT, SYT-v2.xlsx; Niên giám thống kê 2025 | SYT, SYT.xlsx; Báo cáo 12/BC-SYT")
    assert not (home / "data/reported/revisions.csv").exists()  # no file of the run replaced another's row
    source_cell = "O" + cells["4.1", "QT"][1:]
    said = {f.file: f for f in result.findings if f.severity == "warning"}
    assert set(said) == {"SYT.xlsx", "SYT-v2.xlsx"} and {f.cell for f in said.values()} == {source_cell}
    assert said["SYT.xlsx"].rule == (
        f"the same value is given in another file of this ingestion with another source or note: SYT-v2.xlsx, "
        f"{source_cell} (source: Niên giám thống kê 2025); which file is the newer one is not known, so the value is "
        "stored with the sources and notes of both")
    assert said["SYT-v2.xlsx"].rule_vi == (
        f"cùng giá trị này được ghi trong tệp khác của cùng lần nhập nhưng với nguồn số liệu hoặc ghi chú khác: "
        f"SYT.xlsx, {source_cell} (nguồn số liệu: Báo cáo 12/BC-SYT); không xác định được tệp nào gửi sau, nên giá "
        "trị được lưu kèm nguồn số liệu và ghi chú của cả hai tệp")
    meta = yaml.safe_load((home / "data/reported/2025/SYT.csv.meta.yml").read_text(encoding="utf-8"))
    assert meta["submissions"] == ["SYT-v2.xlsx", "SYT.xlsx"]
    # The same two files again change nothing.
    before = snapshot(home / "data")
    run([files[o] for o in order], home, now=LATER)
    assert snapshot(home / "data") == before


def test_one_value_given_by_two_files_with_one_source_lands_without_a_warning(templates, home, tmp_path):
    first, second = tmp_path / "SYT.xlsx", tmp_path / "SYT-v2.xlsx"
    for path in (first, second):
        fill(templates["SYT"], path, {("4.1", "QT"): {"value": 108.2, "source": "Báo cáo 12/BC-SYT"}})
    result = run([second, first], home)
    assert not [f for f in result.findings if f.severity != "info"]
    assert read(home / "data/reported/2025/SYT.csv")[0]["source"] == (
        "SYT, SYT-v2.xlsx; Báo cáo 12/BC-SYT | SYT, SYT.xlsx; Báo cáo 12/BC-SYT")


def test_one_value_given_by_two_files_with_other_counts_is_held_in_both(templates, home, tmp_path):
    # 4.2 as 41.5 in both, from 5 deaths in 12,048 births and in 12,050: which counts are right the agency says.
    first, second = tmp_path / "SYT.xlsx", tmp_path / "SYT-v2.xlsx"
    fill(templates["SYT"], first, {("4.2", "QT"): {"value": 41.5, "numerator": 5, "denominator": 12048}})
    fill(templates["SYT"], second, {("4.2", "QT"): {"value": 41.5, "numerator": 5, "denominator": 12050}})
    result = run([first, second], home)
    assert not (home / "data/reported/2025/SYT.csv").exists()
    held = read(home / "data/quarantine/quarantine.csv")
    assert sorted((r["file"], r["denominator"]) for r in held) == [("SYT-v2.xlsx", "12050"), ("SYT.xlsx", "12048")]
    assert all("with other counts (numerator/denominator)" in f.rule for f in result.errors)
    assert any("SYT-v2.xlsx, L" in f.rule and "(5/12050)" in f.rule for f in result.errors)


def test_a_preliminary_value_does_not_replace_an_official_one(templates, home, tmp_path):
    official, prelim = tmp_path / "a" / "SYT.xlsx", tmp_path / "b" / "SYT.xlsx"
    fill(templates["SYT"], official, SRB)
    fill(templates["SYT"], prelim, {("4.1", "QT"): {"value": 110, "status": "sơ bộ"}})
    run([official], home)
    result = run([prelim], home)
    assert "already stored" in result.errors[0].rule
    assert read(home / "data/reported/2025/SYT.csv")[0]["value"] == "108.2"


@pytest.mark.parametrize("order", [("prelim", "official"), ("official", "prelim")])
def test_an_official_value_replaces_a_preliminary_one_of_the_same_run_whatever_their_order(templates, home, tmp_path,
                                                                                          order):
    # SYT sends 4.1 as 110 (preliminary) in one file and as 108.2 (official) in another, in one run. Listed
    # preliminary first, the official value revised it; listed official first, the preliminary one was refused as
    # "already stored" and held. As across two runs, the official value is stored whatever the order, and the
    # preliminary one is kept in the revision log as the value it replaced.
    files = {"prelim": tmp_path / "SYT-so-bo.xlsx", "official": tmp_path / "SYT.xlsx"}
    cells = fill(templates["SYT"], files["prelim"], {("4.1", "QT"): {"value": 110, "status": "sơ bộ"}})
    fill(templates["SYT"], files["official"], SRB)
    cell = cells["4.1", "QT"]
    # The rule across runs: the same two files sent one after the other, preliminary first, on a copy of data/.
    across = tmp_path / "across"
    shutil.copytree(home / "data", across / "data")
    for path in (files["prelim"], files["official"]):
        assert ingest([path], data_dir=across / "data", outputs_dir=across / "outputs", now=NOW).ok
    result = run([files[o] for o in order], home)
    assert result.ok, [str(f) for f in result.errors]
    assert snapshot(home / "data") == snapshot(across / "data")  # one run leaves data/ as the two runs did
    (row,) = read(home / "data/reported/2025/SYT.csv")
    assert (row["value"], row["status"], row["numerator"], row["source"]) == ("108.2", "official", "6000",
                                                                              "SYT, SYT.xlsx")
    (entry,) = read(home / "data/reported/revisions.csv")
    assert {k: entry[k] for k in ("indicator", "place", "year", "old_value", "new_value", "old_status", "new_status",
                                  "file", "cell")} == {
        "indicator": "4.1", "place": "QT", "year": "2025", "old_value": "110", "new_value": "108.2",
        "old_status": "preliminary", "new_status": "official", "file": "SYT.xlsx", "cell": cell}
    assert not (home / "data/quarantine/quarantine.csv").exists()  # nothing held: nothing waits for the agency
    counts = {f.file: (f.added, f.revised, f.quarantined) for f in result.files}
    assert counts == {"SYT-so-bo.xlsx": (1, 0, 0), "SYT.xlsx": (0, 1, 0)}
    meta = yaml.safe_load((home / "data/reported/2025/SYT.csv.meta.yml").read_text(encoding="utf-8"))
    assert meta["submissions"] == ["SYT-so-bo.xlsx", "SYT.xlsx"]
    # The preliminary file is told what replaced its value, in both languages.
    (said,) = [f for f in result.findings if f.file == "SYT-so-bo.xlsx" and f.severity == "info"]
    assert (said.cell, said.value) == (cell, "110")
    assert said.rule == (
        f"replaced by the official value 108.2 given in another file of this ingestion (SYT.xlsx, {cell}): "
        "official values replace preliminary ones whatever the order of the files; this preliminary value is kept in "
        "the revision log (data/reported/revisions.csv)")
    assert said.rule_vi == (
        f"đã được thay bằng giá trị chính thức 108,2 ghi trong tệp khác của cùng lần nhập (SYT.xlsx, {cell}): giá "
        "trị chính thức luôn thay thế giá trị sơ bộ, không phụ thuộc thứ tự các tệp; giá trị sơ bộ này vẫn được lưu "
        "trong nhật ký điều chỉnh (data/reported/revisions.csv)")
    # The same two files again change nothing, and hold nothing back.
    before = snapshot(home / "data")
    again = run([files[o] for o in order], home, now=LATER)
    assert snapshot(home / "data") == before and again.ok
    assert {f.file: (f.added, f.revised, f.unchanged) for f in again.files} == {"SYT-so-bo.xlsx": (0, 0, 1),
                                                                               "SYT.xlsx": (0, 0, 1)}


@pytest.mark.parametrize("order", [("prelim", "official"), ("official", "prelim")])
def test_a_preliminary_value_of_the_run_is_held_against_a_stored_official_one_whatever_the_order(
        templates, home, tmp_path, order):
    # 4.1 is stored as official (108.2). A run brings 110 as preliminary and 109 as official: the official value
    # revises the stored one; the preliminary one, refused beside a stored official value, is resolved by 109.
    fill(templates["SYT"], tmp_path / "first.xlsx", SRB)
    run([tmp_path / "first.xlsx"], home)
    files = {"prelim": tmp_path / "SYT-so-bo.xlsx", "official": tmp_path / "SYT.xlsx"}
    fill(templates["SYT"], files["prelim"], {("4.1", "QT"): {"value": 110, "status": "sơ bộ"}})
    fill(templates["SYT"], files["official"], {("4.1", "QT"): {"value": 109}})
    run([files[o] for o in order], home, now=LATER)
    (row,) = read(home / "data/reported/2025/SYT.csv")
    assert (row["value"], row["status"]) == ("109", "official")
    assert [(e["old_value"], e["new_value"]) for e in read(home / "data/reported/revisions.csv")] == [("108.2", "109")]
    (held,) = read(home / "data/quarantine/quarantine.csv")
    assert (held["file"], held["value"], held["resolved_value"], held["resolved_file"]) == (
        "SYT-so-bo.xlsx", "110", "109", "SYT.xlsx")


@pytest.mark.parametrize("order", [("a", "b", "official"), ("official", "a", "b"), ("a", "official", "b")])
def test_an_official_value_resolves_two_preliminary_ones_held_as_a_conflict_in_the_same_run(templates, home, tmp_path,
                                                                                            order):
    # SYT sends 4.1 as 110 and as 111 (both preliminary, two files: which is right only SYT knows, both are held)
    # and as 108.2 (official, a third file). Across two runs the official value resolves both held entries; in one
    # run both stayed held, whatever the order, with the official value stored beside them. Now one run does what
    # two runs do: the official value is stored, and each preliminary entry is marked resolved by it.
    files = {"a": tmp_path / "SYT-a.xlsx", "b": tmp_path / "SYT-b.xlsx", "official": tmp_path / "SYT.xlsx"}
    cells = fill(templates["SYT"], files["a"], {("4.1", "QT"): {"value": 110, "status": "sơ bộ"}})
    fill(templates["SYT"], files["b"], {("4.1", "QT"): {"value": 111, "status": "sơ bộ"}})
    fill(templates["SYT"], files["official"], SRB)
    cell = cells["4.1", "QT"]
    across = tmp_path / "across"
    shutil.copytree(home / "data", across / "data")
    ingest([files["a"], files["b"]], data_dir=across / "data", outputs_dir=across / "outputs", now=NOW)
    assert ingest([files["official"]], data_dir=across / "data", outputs_dir=across / "outputs", now=NOW).ok
    result = run([files[o] for o in order], home)
    assert snapshot(home / "data") == snapshot(across / "data")  # one run leaves data/ as the two runs did
    assert {f.file: (f.added, f.revised, f.quarantined, f.released) for f in result.files} == {
        "SYT-a.xlsx": (0, 0, 1, 0), "SYT-b.xlsx": (0, 0, 1, 0), "SYT.xlsx": (1, 0, 0, 2)}
    # The two preliminary values still conflict (each file is told so); the official value says what it resolved.
    assert sorted((f.file, f.cell) for f in result.errors) == [("SYT-a.xlsx", cell), ("SYT-b.xlsx", cell)]
    released = sorted(f.rule for f in result.findings if f.file == "SYT.xlsx" and f.severity == "info")
    assert released == [f"replaces the held value '110' (SYT-a.xlsx, {cell}); that entry is marked resolved",
                        f"replaces the held value '111' (SYT-b.xlsx, {cell}); that entry is marked resolved"]
    (row,) = read(home / "data/reported/2025/SYT.csv")
    assert (row["value"], row["status"], row["source"]) == ("108.2", "official", "SYT, SYT.xlsx")
    held = read(home / "data/quarantine/quarantine.csv")
    assert [(q["file"], q["value"], q["status"], q["resolved"], q["resolved_file"], q["resolved_cell"],
             q["resolved_value"]) for q in held] == [
        ("SYT-a.xlsx", "110", "preliminary", NOW.isoformat(), "SYT.xlsx", cell, "108.2"),
        ("SYT-b.xlsx", "111", "preliminary", NOW.isoformat(), "SYT.xlsx", cell, "108.2")]
    # Neither preliminary value was ever stored: nothing stored was replaced, so the revision log has no line.
    assert not (home / "data/reported/revisions.csv").exists()
    assert held_for(home, 2025)["SYT"] == 0
    # The same files again change nothing.
    before = snapshot(home / "data")
    run([files[o] for o in order], home, now=LATER)
    assert snapshot(home / "data") == before


@pytest.mark.parametrize("official_first", [False, True])
def test_an_official_value_resolves_two_preliminary_ones_of_one_file_held_in_the_same_run(home, tmp_path,
                                                                                          official_first):
    # TKT's file gives 2.3 as 27.4 and 28.1, both preliminary: both held. Another file of the run gives 29 as
    # official: as in a later run, it is stored and resolves both (a value of the same status does not: above).
    both, official = tmp_path / "both.csv", tmp_path / "official.csv"
    both.write_text("indicator,place,year,value,status\n2.3,QT,2025,27.4,preliminary\n2.3,QT,2025,28.1,preliminary\n",
                    encoding="utf-8")
    official.write_text("indicator,place,year,value,status\n2.3,QT,2025,29,official\n", encoding="utf-8")
    result = run([official, both] if official_first else [both, official], home, agency="TKT")
    assert {f.file: (f.added, f.quarantined, f.released) for f in result.files} == {"both.csv": (0, 2, 0),
                                                                                    "official.csv": (1, 0, 2)}
    (row,) = [r for r in read(home / "data/reported/2025/TKT.csv") if r["indicator"] == "2.3"]
    assert (row["value"], row["status"]) == ("29", "official")
    assert [(q["cell"], q["value"], q["resolved_file"], q["resolved_value"])
            for q in read(home / "data/quarantine/quarantine.csv")] == [
        ("line 2 [value]", "27.4", "official.csv", "29"), ("line 3 [value]", "28.1", "official.csv", "29")]
    assert held_for(home, 2025)["TKT"] == 0


# -- files refused whole -----------------------------------------------------------------------------------
def _moved_columns(templates, tmp_path) -> Path:
    wb = openpyxl.load_workbook(templates["SYT"])
    wb[DATA_SHEET].insert_cols(1)
    path = tmp_path / "moved.xlsx"
    wb.save(path)
    return path


def _random_workbook(templates, tmp_path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["indicator", "place", "year", "value"])
    wb.active.append(["4.1", "QT", 2025, 108])
    path = tmp_path / "random.xlsx"
    wb.save(path)
    return path


def _other_year(templates, tmp_path) -> Path:
    path = tmp_path / "other-year.xlsx"
    fill(templates["SYT"], path, SRB)
    return path


@pytest.mark.parametrize("make, year, words, whose", [
    (_random_workbook, None, "not a gender-monitor reporting template", ("", "", "not_template")),
    (_moved_columns, None, "columns of sheet", ("SYT", "2025", "columns_changed")),
    # SYT's 2025 template sent in the 2026 round: a 2026 return, on the wrong template.
    (_other_year, 2026, "template for 2025, not for 2026", ("SYT", "2026", "other_year")),
], ids=["random-workbook", "moved-columns", "other-year"])
def test_a_foreign_spreadsheet_is_refused_whole(templates, home, tmp_path, make, year, words, whose):
    path = make(templates, tmp_path)
    before = snapshot(home / "data")
    result = run([path], home, year=year)
    assert len(result.errors) == 1 and words in result.errors[0].rule, result.errors
    assert result.files[0].refused
    # Nothing of it is read into the data; the file itself is kept as it came, with why it was refused.
    kept = f"quarantine/refused/2025-11-20/{path.name}"
    assert set(snapshot(home / "data")) - set(before) == {kept, "quarantine/refused.csv",
                                                          "quarantine/refused.csv.meta.yml"}
    assert {k: v for k, v in snapshot(home / "data").items() if k in before} == before
    assert (home / "data" / kept).read_bytes() == path.read_bytes()
    (line,) = read(home / "data/quarantine/refused.csv")
    assert (line["agency"], line["year"], line["rule"]) == whose


def test_not_a_workbook_at_all_is_refused(home, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    result = run([path], home)
    assert len(result.errors) == 1 and "not a readable Excel workbook" in result.errors[0].rule


def test_dry_run_writes_nothing(templates, home, tmp_path):
    filled = tmp_path / "SYT.xlsx"
    fill(templates["SYT"], filled, SRB | {("4.2", "QT"): {"value": "x"}})
    before = snapshot(home)
    result = run([filled], home, dry_run=True)
    assert result.files[0].added == 1 and result.files[0].quarantined == 1
    assert result.report_dir is None and result.written == []
    assert snapshot(home) == before


# -- observation CSVs --------------------------------------------------------------------------------------
def test_two_values_for_one_key_in_one_file_both_wait_for_the_agency(home, tmp_path):
    # Lines 3 and 4 give 2.3 QT 2025 as 27.4 and 28.1: which is right only the agency knows. Keeping the
    # first (as before) was arbitrary; both are held, each naming the other, and the other rows land.
    path = tmp_path / "tkt.csv"
    path.write_text("indicator,place,year,value\n2.3,QT25,2025,26.9\n2.3,QT,2025,27.4\n2.3,QT,2025,28.1\n",
                    encoding="utf-8")
    result = run([path], home, agency="TKT")
    landed = [(r["place"], r["value"]) for r in read(home / "data/reported/2025/TKT.csv")]
    assert landed == [("QT25", "26.9")]
    held = read(home / "data/quarantine/quarantine.csv")
    assert sorted((r["value"], r["cell"]) for r in held) == [("27.4", "line 3 [value]"), ("28.1", "line 4 [value]")]
    said = {e.cell: e.rule_vi for e in result.errors}
    assert "cả hai giá trị được giữ lại chờ cơ quan xác nhận" in said["line 3 [value]"]
    assert "mâu thuẫn với" in said["line 4 [value]"]
    assert result.files[0].quarantined == 2 and result.files[0].added == 1


def test_observation_csv_goes_to_the_responsible_agency(home, tmp_path):
    path = tmp_path / "tkt.csv"
    path.write_text("indicator,place,year,value,numerator,denominator,source\n"
                    "2.3,QT,2025,27.4,822,3000,Niên giám thống kê 2025\n"
                    "4.1,QT,2025,108.2,6000,5545,\n", encoding="utf-8")
    result = run([path], home, agency="TKT")
    assert [e.rule for e in result.errors] == ["indicator of another agency: 4.1 is reported by SYT in 2025, not by TKT"]
    rows = read(home / "data/reported/2025/TKT.csv")
    assert rows[0]["source"] == "TKT, tkt.csv; Niên giám thống kê 2025"
    result = run([path], home)  # without --agency, each row goes to the agency that reports it
    assert result.ok
    assert read(home / "data/reported/2025/SYT.csv")[0]["value"] == "108.2"


def test_a_refused_row_of_a_csv_counts_against_the_agency_whose_return_it_is(home, tmp_path):
    # Without --agency, every row of tkt.csv with a known code goes to TKT (2.3's agency): the file is TKT's
    # return, and its row of the unknown code 5.4 is held as TKT's, so the returns table counts it: 1 for TKT.
    run_csv(home, tmp_path / "tkt.csv", "2.3,QT25,2025,26.4\n5.4,QT25,2025,28.1\n")
    held = read(home / "data/quarantine/quarantine.csv")
    assert [(r["indicator"], r["agency"]) for r in held] == [("5.4", "TKT")]
    assert held_for(home, 2025)["TKT"] == 1
    # A file with rows of two agencies (TKT's 2.3, SYT's 4.1) is no single agency's return: its unknown code's
    # row is held for no agency rather than guessed.
    run_csv(home, tmp_path / "mixed.csv", "2.3,QT25,2025,26.4\n4.1,QT25,2025,108.2\n5.5,QT25,2025,1\n")
    held = read(home / "data/quarantine/quarantine.csv")
    assert [(r["indicator"], r["agency"]) for r in held] == [("5.4", "TKT"), ("5.5", "")]
    assert (held_for(home, 2025)["TKT"], held_for(home, 2025)["SYT"]) == (1, 0)


@pytest.mark.parametrize("text, where", [
    ("indicator,place,year,value\n2.3,QT,2025,27.4\n2.3,QT,2025,27.4,x\n",
     "line 3: row has 5 fields, the header has 4 (value: 5)"),
    ("indicator,place,year\n2.3,QT,2025\n", "line 1 [value]: required column(s) missing from the header"),
], ids=["row-too-long", "column-missing"])
def test_a_malformed_csv_is_refused_naming_line_and_column(home, tmp_path, text, where):
    path = tmp_path / "tkt.csv"
    path.write_text(text, encoding="utf-8")
    result = run([path], home)
    assert [(e.file, e.rule) for e in result.errors] == [("tkt.csv", f"not an observation-format CSV: {where}")]
    assert result.files[0].refused


def test_an_agency_cannot_report_illustrative_values(home, tmp_path):
    path = tmp_path / "tkt.csv"
    path.write_text("indicator,place,year,value,status\n2.3,QT,2025,27.4,illustrative\n"
                    "2.3,QT25,2025,26.1,official\n", encoding="utf-8")
    result = run([path], home)
    assert [(e.file, e.rule, e.value) for e in result.errors] == [
        ("tkt.csv", "an agency reports official, preliminary, estimate values, not illustrative", "illustrative")]
    assert "2" in result.errors[0].cell  # the line of the row
    assert [(r["place"], r["value"]) for r in read(home / "data/reported/2025/TKT.csv")] == [("QT25", "26.1")]


def test_a_decomposed_status_in_a_csv_is_recognised(home, tmp_path):
    path = tmp_path / "tkt.csv"
    status = unicodedata.normalize("NFD", "Sơ bộ")  # as some Vietnamese input methods type it
    assert status != "Sơ bộ"
    path.write_text(f"indicator,place,year,value,status\n2.3,QT,2025,27.4,{status}\n", encoding="utf-8")
    result = run([path], home)
    assert result.ok, result.findings
    assert read(home / "data/reported/2025/TKT.csv")[0]["status"] == "preliminary"


def test_a_value_landed_earlier_in_the_run_is_last_years_value(home, tmp_path):
    # 2024 lands first (official, so it beats the illustrative 111.26 of 2024); 2025 is then compared with
    # it: 117.25 is 6.75 above 110.5 (a jump > 6), but only 5.99 above the illustrative value.
    result = run_csv(home, tmp_path / "syt.csv", "4.1,QT,2024,110.5\n4.1,QT,2025,117.25\n")
    assert result.ok and result.files[0].added == 2
    warning = the_warning(result)
    assert "jump from the latest value: 110.5 in 2024 (reported/2024/SYT.csv) → 117.25" in warning.rule
    # Each language writes the values in its own style, with every digit sent.
    assert "110,5" in warning.rule_vi and "117,25" in warning.rule_vi and "110.5" not in warning.rule_vi


def test_a_share_typed_as_a_fraction_or_far_from_what_it_replaces_is_flagged_and_kept(home, tmp_path):
    # 0.45 for 45%: a jump from 55.03 that the percentage rule (15 points) flags, said as a fraction.
    result = run_csv(home, tmp_path / "snv.csv", "1.1,QT,2024,55.03\n1.1,QT,2025,0.45\n")
    assert result.ok and result.files[0].added == 2
    warning = the_warning(result)
    assert warning.rule_vi == ("0,45 có thể là tỷ lệ nhập thay cho phần trăm (tức 45%), trong khi số liệu gần nhất là "
                               "55,03 (năm 2024); nếu vậy hãy nhập 45 (giá trị vẫn được giữ)")
    assert read(home / "data/reported/2025/SNV.csv")[0]["value"] == "0.45"
    # A stored value replaced by one far from it: flagged against the value it replaces.
    result = run_csv(home, tmp_path / "snv.csv", "1.1,QT,2024,5.503\n", now=LATER)
    assert the_warning(result).rule == ("the new value is far from the stored 2024 value: 55.03 → 5.503; "
                                       "please confirm (the new value is kept)")
    assert result.files[0].revised == 1


def test_a_jump_is_measured_from_the_latest_value_held_not_only_last_years(home, tmp_path):
    # No value for 2024 at the merged province; 2023's is the latest one held (three years back at most).
    result = run_csv(home, tmp_path / "snv.csv", "1.1,QT-HH,2022,40\n1.1,QT-HH,2025,70\n")
    assert "implausible jump from the latest value: 40 in 2022 (reported/2022/SNV.csv) → 70" in the_warning(result).rule
    result = run_csv(home, tmp_path / "snv.csv", "1.1,QT-GL,2021,40\n1.1,QT-GL,2025,70\n")
    assert not [f for f in result.findings if f.severity == "warning"]  # four years back: not compared


def test_store_finds_the_best_reported_value_for_a_key(tmp_path):
    header = "indicator,place,year,value,quarter,sex,numerator,denominator,unit,source,status,note,series\n"
    for agency, value, status in (("SYT", "110", "preliminary"), ("TKT", "111", "official")):
        (tmp_path / "reported/2024").mkdir(parents=True, exist_ok=True)
        (tmp_path / f"reported/2024/{agency}.csv").write_text(
            header + f"4.1,QT,2024,{value},,,,,per_100,x,{status},,\n", encoding="utf-8")
    store = Store(tmp_path)
    key = ("4.1", "QT", "2024", "", "", "")
    assert (store.held(key).value, store.held(key).where) == (111.0, "reported/2024/TKT.csv")
    assert store.held(("4.1", "QT", "2023", "", "", "")) is None
    row = dict(zip(header.strip().split(","), "4.1,QT,2023,105,,,,,per_100,x,estimate,,".split(","), strict=True))
    store.put(2023, "SYT", row, file="a.xlsx")
    assert store.held(("4.1", "QT", "2023", "", "", "")).value == 105.0  # the index follows what lands
    store.put(2024, "TKT", dict(row, year="2024", value="112", status="official"), file="b.xlsx")
    assert store.held(key).value == 112.0


def test_unknown_agency_is_an_error(home, tmp_path):
    with pytest.raises(IngestError, match="not an agency code"):
        run([tmp_path / "x.csv"], home, agency="NOPE")


# -- the command line -------------------------------------------------------------------------------------
def test_cli_templates_ingest_then_check(home, tmp_path):
    env = dict(os.environ, GENDER_MONITOR_HOME=str(home))

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "gender_monitor", *args], capture_output=True, text=True,
                              env=env, timeout=120)

    proc = cli("templates", "--year", "2025", "--out", str(tmp_path / "tpl"), "--agency", "SYT")
    assert proc.returncode == 0, proc.stderr
    filled = tmp_path / "SYT.xlsx"
    fill(tmp_path / "tpl" / "mau-bao-cao-2025-SYT.xlsx", filled, SRB)
    before = snapshot(home)
    dry = cli("ingest", str(filled), "--dry-run")
    assert dry.returncode == 0 and "dry run" in dry.stdout and snapshot(home) == before
    proc = cli("ingest", str(filled), "--year", "2025")
    assert proc.returncode == 0, proc.stderr
    assert "1 new" in proc.stdout and (home / "data/reported/2025/SYT.csv").exists()
    assert list((home / "outputs" / "ingest").glob("*/report.txt"))
    bad = cli("ingest", str(filled), "--year", "2026")
    assert bad.returncode == 1 and "not for 2026" in bad.stderr
    check = cli("check", "--quiet")
    assert check.returncode == 0, check.stderr


def test_a_store_that_would_fail_its_check_writes_nothing_and_says_why_in_both_languages(home, tmp_path, monkeypatch):
    from gender_monitor.core.exceptions import IngestError

    # A 2027 return stored during a rehearsal of 2027, then an ingestion on a day of 2026.
    stored = home / "data/reported/2027/SNV.csv"
    stored.parent.mkdir(parents=True)
    stored.write_text("indicator,place,year,value,quarter,sex,numerator,denominator,unit,source,status,note,series\n"
                      "1.1,QT25,2027,50,,,,,percent,SNV,official,,\n", encoding="utf-8")
    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2026-12-04")
    before = snapshot(home / "data")
    path = tmp_path / "snv.csv"
    path.write_text("indicator,place,year,value\n1.1,QT,2025,55\n", encoding="utf-8")
    with pytest.raises(IngestError) as err:
        run([path], home)
    head, *lines = str(err.value).splitlines()
    assert head == ("số liệu đã lưu sẽ không qua được bước kiểm tra (`gender-monitor check`), nên chưa ghi gì / "
                    "the reported data would not pass `gender-monitor check`, so nothing was written:")
    assert len(lines) == 1 and "reported/2027/SNV.csv" in lines[0] and "năm phải từ" in lines[0]
    assert snapshot(home / "data") == before
    with pytest.raises(IngestError, match="--agency 'XYZ' không phải mã cơ quan .* / --agency 'XYZ' is not an agency"):
        run([path], home, agency="XYZ")


@pytest.mark.parametrize("typed, fraction", [("1", True), ("0.999", True), ("1.2", False), ("0", False)])
def test_only_a_share_between_0_and_1_is_named_a_fraction(home, tmp_path, typed, fraction):
    # 1 can be 100% typed as a fraction; 1.2 (120%) cannot, and 0 is 0% whichever way it was typed: those two
    # are plain jumps from 55.03.
    result = run_csv(home, tmp_path / "snv.csv", f"1.1,QT,2024,55.03\n1.1,QT,2025,{typed}\n")
    rule = the_warning(result).rule
    assert ("a fraction typed for a percentage" in rule) is fraction, rule
    assert ("implausible jump" in rule) is not fraction, rule


def test_a_return_is_stamped_on_the_suites_day_in_viet_nams_time(home, tmp_path, monkeypatch):
    # A rehearsal of 20 November 2027: the value's arrival (the store's meta, the ingestion report's folder,
    # a revision's time) is dated on that day, in Viet Nam's time, not on the machine's calendar day.
    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2027-11-20")
    path = tmp_path / "snv.csv"
    path.write_text("indicator,place,year,value\n1.1,QT25,2027,55\n", encoding="utf-8")
    result = ingest([path], data_dir=home / "data", outputs_dir=home / "outputs")
    assert result.ok
    meta = yaml.safe_load((home / "data/reported/2027/SNV.csv.meta.yml").read_text(encoding="utf-8"))
    assert (meta["first_received"], meta["date_accessed"]) == ("2027-11-20", "2027-11-20")
    assert [p.name[:8] for p in (home / "outputs/ingest").iterdir()] == ["20271120"]
    path.write_text("indicator,place,year,value\n1.1,QT25,2027,56\n", encoding="utf-8")
    assert ingest([path], data_dir=home / "data", outputs_dir=home / "outputs").files[0].revised == 1
    (revision,) = read(home / "data/reported/revisions.csv")
    assert revision["when"].startswith("2027-11-20T") and revision["when"].endswith("+07:00")


def test_a_status_the_template_does_not_offer_is_named_in_the_templates_words(templates, home, tmp_path):
    # "chinh thuc" (no accents) is not in the list: the agency is told the template's choices in its words,
    # not the observation format's codes (official, preliminary, estimate, illustrative) it never sees.
    filled = tmp_path / "SYT.xlsx"
    cells = fill(templates["SYT"], filled, {("4.2", "QT"): {"value": 40.5, "status": "chinh thuc"}})
    result = run([filled], home)
    [error] = result.errors
    assert (error.cell, error.value) == (cells["4.2", "QT"].replace("K", "N"), "chinh thuc")
    assert error.rule_vi == ("tình trạng số liệu “chinh thuc” không có trong danh sách của biểu mẫu; hãy chọn một "
                             "trong: chính thức, sơ bộ")
    assert error.rule == ("status 'chinh thuc' is not in the template's list; choose one of: chính thức (official), "
                          "sơ bộ (preliminary)")
    assert "illustrative" not in error.rule + error.rule_vi
