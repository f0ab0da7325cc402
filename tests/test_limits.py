"""Limits and careless input: large files read in chunks, years bounded by the clock, OS failures and
broken provenance files said in both languages, spreadsheet formulas made inert at every CSV exit."""

from __future__ import annotations

import csv
import errno
from pathlib import Path

import pandas as pd
import pytest
from gender_monitor.cli.main import main
from gender_monitor.core import files as core_files
from gender_monitor.core.exceptions import Issue
from gender_monitor.core.files import FileProblem, read_meta
from gender_monitor.data import observations as obs_mod
from gender_monitor.data.checks import run_checks
from gender_monitor.data.observations import (
    check_observations,
    default_observation_files,
    read_observation_chunks,
)
from gender_monitor.publish.display import Table
from gender_monitor.review.state import issues_table

ROOT = Path(__file__).resolve().parents[1]


# -- chunked reading ---------------------------------------------------------------------------------
def _rows(n: int) -> list[str]:
    return [f"2.1,QT,{2000 + i},{30 + i / 10:.1f},,,,,,,,," for i in range(n)]


def test_a_file_is_read_in_chunks_with_every_row_and_its_line(write_obs):
    path = write_obs(_rows(7))
    chunks, issues = read_observation_chunks(path, rows=3)
    frames = list(chunks)
    assert issues == [] and [len(f) for f in frames] == [3, 3, 1]
    assert list(pd.concat(frames)["line"]) == list(range(2, 9))  # the header is line 1


def test_duplicates_are_found_across_chunks(write_obs, plan, places, monkeypatch):
    # Line 2 and line 9 give 2.1 QT 2000 two values; line 10 repeats line 3; line 11 (official)
    # supersedes the illustrative line 4. With chunks of 2 rows, each pair lies in different chunks.
    rows = ["2.1,QT,2000,30,,,,,,,illustrative,,", "2.1,QT,2001,31,,,,,,,illustrative,,",
            "2.1,QT,2002,32,,,,,,,illustrative,,", *_rows(0),
            "2.1,QT,2010,40,,,,,,,illustrative,,", "2.1,QT,2011,41,,,,,,,illustrative,,",
            "2.1,QT,2012,42,,,,,,,illustrative,,", "2.1,QT,2013,43,,,,,,,illustrative,,",
            "2.1,QT,2000,35,,,,,,,illustrative,,", "2.1,QT,2001,31,,,,,,,illustrative,,",
            "2.1,QT,2002,33,,,,,,,official,,"]
    path = write_obs(rows)
    whole, whole_issues = check_observations([path], plan=plan, places=places)  # one chunk
    monkeypatch.setattr(obs_mod, "CHUNK_ROWS", 2)
    frame, issues = check_observations([path], plan=plan, places=places)
    by_rule = {(i.line, i.rule.split(" ")[0], i.severity) for i in issues}
    # ... and, the series having a real value now, its six remaining illustrative values are left out (from line 2).
    assert by_rule == {(9, "conflicts", "error"), (10, "duplicate", "warning"), (11, "illustrative", "warning"),
                       (2, "6", "warning")}
    assert frame.set_index("year")["value"].to_dict() == {2002: 33}
    assert whole.equals(frame) and [str(i) for i in whole_issues] == [str(i) for i in issues]


def test_equal_texts_share_one_object_so_memory_follows_the_rows(write_obs):
    path = write_obs(_rows(5))
    frame = next(read_observation_chunks(path)[0])
    assert len({id(x) for x in frame["indicator"]}) == 1 and len({id(x) for x in frame["place"]}) == 1


# -- years and the clock -------------------------------------------------------------------------------
def _year_errors(path, plan, places):
    return [i for i in check_observations([path], plan=plan, places=places)[1] if i.column == "year"]


def test_no_value_is_later_than_this_year_but_an_estimate_may_be_for_next_year(write_obs, plan, places, monkeypatch):
    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2030-06-01")
    path = write_obs(["2.1,QT25,2030,50,,,,,,,official,,", "2.1,QT25,2031,51,,,,,,,estimate,,",
                      "2.1,QT25,2031,51,,,,,,,preliminary,,", "2.1,QT25,2032,52,,,,,,,estimate,,",
                      "2.1,QT,1949,50,,,,,,,official,,"])
    errors = _year_errors(path, plan, places)
    assert [(e.line, e.value) for e in errors] == [(4, "2031"), (5, "2032"), (6, "1949")]
    assert "from 1950 to 2030" in errors[0].rule and "từ 1950 đến 2031" in errors[1].rule_vi
    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2026-12-04")
    assert [e.line for e in _year_errors(path, plan, places)] == [2, 3, 4, 5, 6]


def test_today_is_the_calendar_day_in_viet_nam_whatever_the_machines_zone(monkeypatch):
    import datetime as dt

    from gender_monitor.core import clock

    class Evening(dt.datetime):  # 20:30 UTC on 4 December 2026 is 03:30 on 5 December in Quảng Trị
        @classmethod
        def now(cls, tz=None):
            moment = dt.datetime(2026, 12, 4, 20, 30, tzinfo=dt.timezone.utc)
            return moment.astimezone(tz) if tz is not None else moment.replace(tzinfo=None)

    monkeypatch.delenv("GENDER_MONITOR_TODAY", raising=False)
    monkeypatch.setattr(clock.dt, "datetime", Evening)
    assert clock.today() == dt.date(2026, 12, 5)
    # The moment a return arrives: Viet Nam's time; in a rehearsal, on the rehearsed day at the same time.
    assert clock.now().isoformat() == "2026-12-05T03:30:00+07:00"
    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2027-12-05")
    assert clock.now().isoformat() == "2027-12-05T03:30:00+07:00"


def test_a_review_is_dated_by_the_suites_clock_so_a_rehearsal_is_dated_its_day(monkeypatch):
    from gender_monitor.core import paths
    from gender_monitor.review.parameters import load_review_parameters

    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2031-01-20")
    params = load_review_parameters(paths.home() / "parameters" / "final_2030.yaml")
    assert params.report_date is None and params.common_values()["report_date"] == "2031-01-20"


@pytest.mark.parametrize("day", ["mai", "20260101", "1800-01-01"])
def test_a_clock_that_is_not_a_day_is_refused_in_both_languages(write_obs, plan, places, monkeypatch, day):
    monkeypatch.setenv("GENDER_MONITOR_TODAY", day)
    with pytest.raises(Exception, match="không phải là một ngày.*is not a day"):
        check_observations([write_obs(_rows(1))], plan=plan, places=places)


# -- every rule in both languages ------------------------------------------------------------------------
def test_every_row_rule_is_said_in_vietnamese_too(write_obs, plan, places):
    path = write_obs(["2.1,QT,2020,1_050,,,,,,,,,", "2.1,QT,2020,50,,x,,,,,,,", "9.9,QT,2020,5,,,,,,,,,"])
    issues = check_observations([path], plan=plan, places=places)[1]
    assert [i.rule_vi for i in issues] == [
        "chỉ nhận các chữ số 0–9 (không nhận chữ số độ rộng kép hay của hệ chữ khác, không có dấu cách hoặc “_” "
        "trong số)", "giới tính phải là f (nữ), m (nam) hoặc để trống",
        "mã chỉ tiêu không có trong Kế hoạch (không phải chỉ tiêu hay số liệu đầu vào của Kế hoạch)"]
    assert str(issues[1]).endswith("[sex]: giới tính phải là f (nữ), m (nam) hoặc để trống / must be f, m or empty "
                                   "(giá trị / value: 'x')")


def test_the_validation_table_speaks_the_readers_language() -> None:
    issue = Issue("/srv/data/a.csv", 3, "sex", "x", "must be f, m or empty", "error",
                  "giới tính phải là f (nữ), m (nam) hoặc để trống")
    vi, en = issues_table([issue], "vi"), issues_table([issue], "en")
    assert vi.iloc[0].tolist() == ["a.csv", "sex", "giới tính phải là f (nữ), m (nam) hoặc để trống", "lỗi", 1]
    assert en.iloc[0].tolist() == ["a.csv", "sex", "must be f, m or empty", "error", 1]
    assert list(vi.columns)[:2] == ["Tệp", "Cột"]


def test_a_refused_cell_is_explained_to_the_agency_in_vietnamese(home, tmp_path):
    from gender_monitor.collect.ingest import ingest

    sent = tmp_path / "syt.csv"
    sent.write_text("indicator,place,year,value,numerator,denominator\n4.1,QT25,2026,2e2,,\n", encoding="utf-8")
    result = ingest([sent], data_dir=home / "data", outputs_dir=home / "outputs")
    assert not result.ok
    with (home / "data" / "quarantine" / "quarantine.csv").open(encoding="utf-8") as fh:
        entry = list(csv.DictReader(fh))[-1]
    assert entry["reason"].startswith("a number in scientific notation is not accepted")
    assert entry["reason_vi"].startswith("không nhận số viết dạng lũy thừa")
    with (result.report_dir / "report.csv").open(encoding="utf-8") as fh:
        reported = list(csv.DictReader(fh))
    assert reported[0]["rule_vi"].startswith("không nhận số viết dạng lũy thừa")


# -- hidden files ------------------------------------------------------------------------------------------
def test_a_hidden_csv_is_not_read_and_check_names_it(home):
    hidden = home / "data" / "province" / ".draft.csv"
    hidden.write_text("indicator,place,year,value\n2.1,QT,2019,99\n", encoding="utf-8")
    assert hidden not in default_observation_files(home / "data")
    report = run_checks(data_dir=home / "data")
    named = [i for i in report.issues if i.file == str(hidden)]
    assert len(named) == 1 and named[0].severity == "warning" and "not read" in named[0].rule
    assert report.ok  # a warning: the hidden file neither counts nor fails the check


# -- provenance files -------------------------------------------------------------------------------------
def test_a_malformed_provenance_file_is_named(tmp_path):
    meta = tmp_path / "a.csv.meta.yml"
    meta.write_text("producer: Sở Y tế\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(FileProblem) as err:
        read_meta(meta)
    assert str(meta) in str(err.value) and "sai cú pháp YAML" in str(err.value) and "not valid YAML" in str(err.value)
    meta.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(FileProblem, match="key: value"):
        read_meta(meta)
    assert read_meta(tmp_path / "absent.meta.yml") == {}


def test_a_review_stops_before_any_notebook_on_a_malformed_provenance_file(home, capsys):
    (home / "notebooks").symlink_to(ROOT / "notebooks")
    meta = home / "data" / "national" / "wdi_vnm.csv.meta.yml"
    meta.write_text("producer: [World Bank\n", encoding="utf-8")
    assert main(["review", "-f", str(ROOT / "parameters" / "annual_2026.yaml")]) == 2
    err = capsys.readouterr().err
    assert "wdi_vnm.csv.meta.yml" in err and "Traceback" not in err
    assert not (home / "outputs" / "annual_2026" / "index.html").exists()


# -- operating-system failures ------------------------------------------------------------------------------
def test_out_into_a_missing_folder_is_said_before_any_work(capsys, tmp_path):
    out = tmp_path / "no" / "such" / "f.csv"
    code = main(["project", "--observations", str(ROOT / "data/province/quang_tri_public.csv"),
                 "--until", "2030", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "không tồn tại" in err and "does not exist" in err and "Traceback" not in err
    assert "skipped" not in err  # refused before the projection ran
    code = main(["assess", "--out", str(tmp_path)])
    assert code == 2 and "đây là thư mục" in capsys.readouterr().err


@pytest.mark.parametrize(("number", "vi", "en"), [
    (errno.ENOSPC, "ổ đĩa đã đầy", "the disk is full"),
    (errno.EROFS, "chỉ cho đọc", "read-only"),
    (errno.EACCES, "không có quyền ghi", "no permission"),
])
def test_a_full_or_read_only_disk_is_a_message_and_leaves_no_partial_file(number, vi, en, capsys, tmp_path,
                                                                         monkeypatch):
    def refuse(src, dst):
        raise OSError(number, "refused", str(src))

    monkeypatch.setattr(core_files.os, "replace", refuse)
    out = tmp_path / "assessment.csv"
    assert main(["assess", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert vi in err and en in err and str(out) in err and "Traceback" not in err and ".tmp" not in err
    assert list(tmp_path.iterdir()) == []


# -- formulas -----------------------------------------------------------------------------------------------
def test_project_out_writes_a_formula_like_place_inert(tmp_path, capsys):
    src = tmp_path / "obs.csv"
    src.write_text("indicator,place,year,value,unit\n"
                   + "".join(f"x.1,=HYPERLINK(\"http://e.x\"),{y},{10 + y - 2015},percent\n" for y in range(2015, 2021)),
                   encoding="utf-8")
    out = tmp_path / "f.csv"
    assert main(["project", "--observations", str(src), "--until", "2022", "--out", str(out)]) == 0
    places = {row["place"] for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert places == {"'=HYPERLINK(\"http://e.x\")"}


def test_the_explorers_csv_download_writes_formulas_inert() -> None:
    table = Table(pd.DataFrame({"place": ["=cmd|' /C calc'!A0", "Hướng Hóa"], "value": [-3.5, 2.0]}),
                  download="x.csv")
    rows = list(csv.reader(table.csv().splitlines()))
    assert rows[1] == ["'=cmd|' /C calc'!A0", "-3.5"] and rows[2] == ["Hướng Hóa", "2.0"]


# -- found by trying the commands as a careless user would ----------------------------------------------------
@pytest.mark.parametrize("year", ["-2026", "0", "10000", "99999999999999999999"])
def test_a_year_outside_any_calendar_is_quarantined_not_a_traceback(home, tmp_path, year):
    from gender_monitor.collect.ingest import ingest

    sent = tmp_path / "snv.csv"
    sent.write_text(f"indicator,place,year,value,sex\n1.1,QT25,{year},50,\n1.1,QT25,2026,50,x\n", encoding="utf-8")
    result = ingest([sent], data_dir=home / "data", outputs_dir=home / "outputs", agency="SNV")
    assert not result.ok
    with (home / "data" / "quarantine" / "quarantine.csv").open(encoding="utf-8") as fh:
        held = list(csv.DictReader(fh))[-2:]
    assert [q["year"] for q in held] == [year, "2026"]
    assert "whole number" in held[0]["reason"] or "from 1950 to" in held[0]["reason"]
    assert held[1]["sex"] == "x" and held[1]["reason_vi"].startswith("giới tính")  # the refused cell is kept


@pytest.mark.parametrize("argv", [["assess", "--as-of", "0"], ["assess", "--as-of", "10000"],
                                  ["project", "--observations", "x.csv", "--until", "99999999999999999999"],
                                  ["project", "--observations", "x.csv", "--until", "2030", "--level", "0"]])
def test_a_year_or_level_out_of_range_is_one_bilingual_line(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "Traceback" not in err and "không phải" in err and " is not " in err


def test_out_follows_a_link_and_refuses_a_pipe(tmp_path, capsys):
    import os

    src = str(ROOT / "data/province/quang_tri_public.csv")
    real, link = tmp_path / "real.csv", tmp_path / "link.csv"
    real.write_text("old\n", encoding="utf-8")
    link.symlink_to(real)
    assert main(["project", "--observations", src, "--until", "2030", "--out", str(link)]) == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("indicator,place")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert main(["project", "--observations", src, "--until", "2030", "--out", str(fifo)]) == 2
    err = capsys.readouterr().err
    assert "không phải tệp thông thường" in err and "not a regular file" in err
    assert not fifo.is_file() and fifo.exists()  # still the pipe


def test_ingest_lands_nothing_when_its_report_folder_cannot_be_made(home, tmp_path):
    from gender_monitor.collect.ingest import ingest

    sent = tmp_path / "snv.csv"
    sent.write_text("indicator,place,year,value\n1.1,QT25,2026,50\n", encoding="utf-8")
    blocked = tmp_path / "outputs"
    blocked.write_text("a file where the outputs folder should be", encoding="utf-8")
    with pytest.raises(OSError):
        ingest([sent], data_dir=home / "data", outputs_dir=blocked, agency="SNV")
    assert not (home / "data" / "reported" / "2026" / "SNV.csv").exists()


def test_a_count_written_with_a_thousands_dot_is_refused(write_obs, plan, places):
    path = write_obs(["3.5a,QT,2020,1.000,,,,,,,,,", "2.1,QT,2020,50,,,1.000,2.000,,,,,", "2.1,QT,2021,40.5,,,,,,,,,"])
    issues = [i for i in check_observations([path], plan=plan, places=places)[1] if i.severity == "error"]
    assert [(i.line, i.column) for i in issues] == [(2, "value"), (3, "numerator"), (3, "denominator")]
    assert "a thousand" not in issues[0].rule and "thousands (Vietnamese)" in issues[0].rule


def test_check_names_a_missing_data_folder_and_an_upper_case_csv(home, tmp_path, capsys):
    assert main(["check", "--data", str(tmp_path / "typo")]) != 0
    said = capsys.readouterr()
    assert "thư mục số liệu không tồn tại" in said.out + said.err and "Result: OK" not in said.out
    report = run_checks(data_dir=tmp_path / "typo")
    assert not report.ok and "does not exist" in report.issues[0].rule
    upper = home / "data" / "province" / "SYT_2026.CSV"
    upper.write_text("indicator,place,year,value\n2.1,QT,2019,40\n", encoding="utf-8")
    named = [i for i in run_checks(data_dir=home / "data").issues if i.file == str(upper)]
    assert len(named) == 1 and named[0].severity == "warning" and ".csv" in named[0].rule


def test_a_target_for_an_unknown_place_is_refused_in_both_languages(tmp_path, capsys):
    targets = tmp_path / "targets.csv"
    targets.write_text("indicator,place,target_year,comparator,value\n1.1,qt,2030,>=,60\n", encoding="utf-8")
    assert main(["assess", "--observations", str(ROOT / "data/province/quang_tri_public.csv"),
                 "--targets", str(targets)]) == 2
    err = capsys.readouterr().err
    assert "targets.csv:2 [place]" in err and "mã địa bàn không có trong danh mục" in err and "unknown place" in err


def test_a_file_where_a_folder_is_needed_and_a_folder_given_as_a_return(tmp_path, capsys):
    in_the_way = tmp_path / "templates"
    in_the_way.write_text("x", encoding="utf-8")
    assert main(["templates", "--year", "2026", "--out", str(in_the_way)]) == 2
    err = capsys.readouterr().err
    assert "đã có một tệp trùng tên" in err and "a file is in the way" in err and "File exists" not in err
    folder = tmp_path / "returns"
    folder.mkdir()
    main(["ingest", str(folder), "--dry-run"])
    said = capsys.readouterr()
    assert "đây là thư mục" in said.out + said.err and "this is a folder" in said.out + said.err


@pytest.mark.parametrize("command", ["project", "assess", "assess-targets", "plan", "link"])
def test_out_naming_an_input_file_is_refused_and_the_file_kept(command, tmp_path, capsys):
    obs = tmp_path / "obs.csv"
    obs.write_text("indicator,place,year,value\n2.1,QT,2019,40\n2.1,QT,2020,41\n", encoding="utf-8")
    targets = tmp_path / "targets.csv"
    targets.write_text("indicator,place,target_year,comparator,value\n2.1,QT,2030,>=,50\n", encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_bytes((ROOT / "parameters" / "plan.yaml").read_bytes())
    (tmp_path / "same.csv").symlink_to(obs)
    argv, kept = {
        "project": (["project", "--observations", str(obs), "--until", "2030", "--out", str(obs)], obs),
        "assess": (["assess", "--observations", str(obs), "--place", "QT", "--out", str(obs)], obs),
        "assess-targets": (["assess", "--observations", str(obs), "--targets", str(targets), "--out", str(targets)],
                           targets),
        "plan": (["plan", "--plan", str(plan), "--format", "csv", "--out", str(plan)], plan),
        "link": (["project", "--observations", str(obs), "--until", "2030", "--out", str(tmp_path / "same.csv")], obs),
    }[command]
    before = kept.read_bytes()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "trùng với tệp đầu vào" in err and "the output is one of the input files" in err
    assert kept.read_bytes() == before


def test_the_plan_as_csv_writes_whole_years_and_an_inert_equals_sign(tmp_path):
    out = tmp_path / "plan.csv"
    assert main(["plan", "--format", "csv", "--out", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["comparator"] for r in rows} >= {"≥", "≤", "'="} and "=" not in {r["comparator"] for r in rows}
    years = {r["from_year"] for r in rows} | {r["baseline_year"] for r in rows}
    assert "" in years and all(y == "" or (y.isdigit() and len(y) == 4) for y in years)


def test_ingest_into_a_missing_data_folder_starts_no_new_tree(tmp_path):
    from gender_monitor.collect.ingest import ingest
    from gender_monitor.core.exceptions import IngestError

    sent = tmp_path / "snv.csv"
    sent.write_text("indicator,place,year,value\n1.1,QT25,2026,50\n", encoding="utf-8")
    with pytest.raises(IngestError, match="thư mục số liệu không tồn tại.*the data folder does not exist"):
        ingest([sent], data_dir=tmp_path / "typo", outputs_dir=tmp_path / "out", agency="SNV")
    assert not (tmp_path / "typo").exists()


def test_check_names_a_data_file_without_its_provenance(home):
    bare = home / "data" / "province" / "no_source.csv"
    bare.write_text("indicator,place,year,value\n2.1,QT,2019,40\n", encoding="utf-8")
    named = [i for i in run_checks(data_dir=home / "data").issues if i.file == str(bare) and i.line is None]
    assert [(i.severity, i.rule.split(" (")[0]) for i in named] == [("warning", "no provenance file")]
    assert "thiếu tệp nguồn số liệu" in named[0].rule_vi


def test_a_clock_that_is_not_a_day_read_by_an_argument_is_an_error_not_a_traceback(monkeypatch, capsys, tmp_path):
    # ingest --year and templates --year check the year against today's: a wrong GENDER_MONITOR_TODAY is said
    # as the suite's error even while the arguments are read.
    from gender_monitor.cli.main import main

    monkeypatch.setenv("GENDER_MONITOR_TODAY", "mai")
    assert main(["templates", "--year", "2026", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lỗi / error: GENDER_MONITOR_TODAY='mai' không phải là một ngày") and "Traceback" not in err
