"""Every command answers --help, and a wrong argument gets a one-line message in both languages, no traceback."""

from __future__ import annotations

import pytest
from gender_monitor.cli.main import main

COMMANDS = ("plan", "check", "project", "assess", "review", "templates", "ingest", "quarantine")
#: The commands with a description of their own (the others repeat their help).
DESCRIBED = ("ingest", "review", "templates", "quarantine")


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_answers_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"] if command else ["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr()
    assert "cách dùng / usage: gender-monitor" in out.out and "Traceback" not in out.err
    assert "tùy chọn / options:" in out.out and "in hướng dẫn này rồi thoát / show this help" in out.out


def test_every_help_text_is_vietnamese_then_english():
    import argparse

    from gender_monitor.cli.main import build_parser
    from gender_monitor.core import i18n

    words = {lang: i18n.catalogue(lang)["help"] for lang in ("vi", "en")}

    def expected(lang: str, name: str, action: argparse.Action) -> str:
        if isinstance(action, argparse._HelpAction):
            return words[lang]["show_help"]
        if isinstance(action, argparse._VersionAction):
            return words[lang]["version"]
        return words[lang][name][action.dest].format(default="parameters/annual_2026.yaml")

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    said = 0
    for name, command in [("", parser), *sub.choices.items()]:
        vi_text, en_text = command.description.split("\n\n")
        assert vi_text.lower() == (words["vi"][name]["description"] if name in DESCRIBED
                                   else words["vi"][name]["help"] if name else words["vi"]["main"]).lower()
        assert en_text.lower() == (words["en"][name]["description"] if name in DESCRIBED
                                   else words["en"][name]["help"] if name else words["en"]["main"]).lower()
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            vi, en = action.help.replace("%%", "%").split(" / ", 1)
            assert (vi, en) == (expected("vi", name, action), expected("en", name, action)), (name, action.dest)
            assert vi != en
            said += 1
    assert said >= 40


def test_an_argument_argparse_refuses_is_led_by_the_error_word_in_both_languages(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["project", "--observations", "x.csv"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert ("gender-monitor project: lỗi / error: thiếu tham số bắt buộc: --until / the following arguments "
            "are required: --until") in err


@pytest.mark.parametrize("argv, said", [
    (["project", "--observations", "x.csv", "--until", "2030", "--bogus"],
     "không nhận ra tham số: --bogus / unrecognized arguments: --bogus"),
    (["review", "--new", "annual"], "tham số --new: cần 2 giá trị / argument --new: expected 2 arguments"),
    (["ingest", "x.csv", "--year", "năm nay"], "tham số --year: 'năm nay' không phải là năm báo cáo hợp lệ (từ 1950 "),
    (["nope"], "tham số COMMAND: giá trị 'nope' không có trong danh sách (chọn một trong: 'assess', "),
    # This package's own argument types say it in both languages already: said once in each, not twice.
    (["project", "--observations", "x.csv", "--until", "2030", "--level", "abc"],
     "tham số --level: 'abc' không phải là mức của khoảng dự báo (số nguyên từ 1 đến 99, ví dụ 80) / argument "
     "--level: 'abc' is not an interval level"),
])
def test_argparse_refusals_are_said_in_vietnamese_then_in_argparse_english(argv, said, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and said in err and "lỗi / error: " in err


def test_an_argparse_message_not_known_is_printed_as_argparse_says_it():
    from gender_monitor.cli.args import argparse_said

    assert argparse_said("something argparse may say one day") is None
    assert argparse_said("argument --x: a reason not known") is None
    assert argparse_said("argument -f/--file: expected one argument") == {
        "vi": "tham số -f/--file: cần một giá trị", "en": "argument -f/--file: expected one argument"}
    # A built-in type argparse names is said in words in Vietnamese; one not listed keeps its name.
    assert argparse_said("argument --n: invalid int value: 'abc'") == {
        "vi": "tham số --n: giá trị 'abc' không hợp lệ: cần một số nguyên",
        "en": "argument --n: invalid int value: 'abc'"}
    assert argparse_said("invalid complex value: 'z'")["vi"] == "giá trị 'z' không hợp lệ: cần complex"


@pytest.mark.parametrize("year", ["99999", "1800", "2100", "năm nay"])
def test_a_year_no_one_reports_for_is_refused_in_both_languages(year, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main(["templates", "--year", year, "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "Traceback" not in err
    assert "is not a reporting year" in err and "không phải là năm báo cáo hợp lệ" in err
    assert not any(tmp_path.iterdir())


def _said_in_both(err: str) -> None:
    """Every line a command prints to standard error is in Vietnamese, then English (``vi / en``)."""
    lines = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith(("usage:", " "))]
    assert lines, "nothing was said"
    for line in lines:
        assert " / " in line and any(ch in line for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"), line


def test_the_project_command_speaks_both_languages(tmp_path, capsys):
    path = tmp_path / "obs.csv"
    path.write_text("indicator,place,year,value,unit,sex\n"
                    "9.8,QT,2020,5,percent,f\n"            # one value: not projected, with the reason
                    "9.7,QT,2020,40,percent,\n9.7,QT,2021,150,percent,\n"  # refused value: its series is skipped
                    "9.6,QT,2023,40,percent,\n9.6,QT,2024,41,percent,\n",  # already has 2024
                    encoding="utf-8")
    assert main(["project", "--observations", str(path), "--until", "2024", "--out", str(tmp_path / "f.csv")]) == 1
    err = capsys.readouterr().err
    _said_in_both(err)
    assert "giới tính 'f' (1 số liệu): cần ít nhất 2 số liệu hằng năm, mới có 1" in err
    assert "sex 'f' (n = 1): needs at least 2 annual observations, has 1" in err
    # A series without sex or series labels is named by its indicator and place only.
    assert "không dự báo chỉ tiêu '9.7', địa bàn 'QT': có giá trị bị từ chối" in err and "giới tính ''" not in err
    assert "note: 1 chuỗi đã có số liệu năm 2024" in err
    # An origin before every value: nothing to project, and the command says why.
    assert main(["project", "--observations", str(path), "--until", "2030", "--origin", "2010"]) == 1
    err = capsys.readouterr().err
    _said_in_both(err)
    assert "không có số liệu nào từ năm 2010 trở về trước (số liệu bắt đầu từ năm 2020)" in err


@pytest.mark.parametrize("argv, code", [
    (["review", "--new", "annual", "năm sau"], 2),
    (["review", "--new", "yearly", "2027"], 2),
    (["assess", "--place", "HN"], 2),
    (["project", "--observations", "x.csv", "--until", "2020", "--origin", "2021"], 2),
])
def test_a_refused_command_says_why_in_both_languages(argv, code, capsys):
    assert main(argv) == code
    _said_in_both(capsys.readouterr().err)


def test_assess_says_when_the_place_judged_has_no_data_but_the_file_has_another(tmp_path, capsys):
    # A file of old Quảng Trị (QT) reaching 2025 is judged, by default, as the merged province (QT25):
    # every target would read "no data yet" without a word on why.
    path = tmp_path / "obs.csv"
    rows = "".join(f"1.1,QT,{y},{40 + y - 2016}\n" for y in range(2016, 2026))
    path.write_text("indicator,place,year,value\n" + rows, encoding="utf-8")
    assert main(["assess", "--observations", str(path), "--out", str(tmp_path / "a.csv")]) == 0
    err = capsys.readouterr().err
    _said_in_both(err)
    assert "note: không có mục tiêu nào có số liệu của địa bàn QT25" in err and "give --place QT" in err
    assert main(["assess", "--observations", str(path), "--place", "QT", "--out", str(tmp_path / "b.csv")]) == 0
    assert "no target has data" not in capsys.readouterr().err


def test_assess_without_options_judges_the_merged_province_as_the_report_does(tmp_path, monkeypatch):
    # With no --place or --as-of, the place is the one the plan covers today (QT25), and it is judged on the series
    # the report uses (history re-based from the old provinces, sums of its communes): 2.1's few own values
    # (2025–2026) join its re-based history, so its 2030 outlook has a probability, not "too few values".
    import pandas as pd

    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2026-12-03")
    assert main(["assess", "--out", str(tmp_path / "default.csv")]) == 0
    assert main(["assess", "--place", "QT25", "--as-of", "2026", "--out", str(tmp_path / "report.csv")]) == 0
    default, report = (pd.read_csv(tmp_path / f"{n}.csv", dtype={"code": str}) for n in ("default", "report"))
    columns = ["code", "target_year", "place", "status", "p_meet", "n_obs"]
    pd.testing.assert_frame_equal(default[columns], report[columns])
    row = default.set_index(["code", "target_year"]).loc[("2.1", 2030)]
    assert row["place"] == "QT25" and row["n_obs"] > 2 and row["status"] != "insufficient_data"


def test_assess_counts_its_statuses_in_the_words_of_the_rows_it_counts(tmp_path, monkeypatch, capsys):
    # The 2025 targets not met read "không đạt" in the table (their year has come), those of 2030 still
    # "chưa đạt": the summary line counted them all as "chưa đạt".
    import pandas as pd

    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2026-12-03")
    assert main(["assess", "--place", "QT25", "--as-of", "2026", "--out", str(tmp_path / "a.csv")]) == 0
    said = capsys.readouterr().err.splitlines()[-1]
    vi, en = said.split(": ", 1)[1].split(" / ")
    en = en.split(": ", 1)[1]
    table = pd.read_csv(tmp_path / "a.csv", dtype={"code": str})
    counted = {lang: {part.rsplit(" ", 1)[0]: int(part.rsplit(" ", 1)[1]) for part in words.split(", ")}
               for lang, words in (("vi", vi), ("en", en))}
    for lang in ("vi", "en"):
        assert counted[lang] == table[f"label_{lang}"].value_counts().to_dict()
    # The bundled data have 2025 targets missed and a 2030 one not reached yet: both words, each its own count.
    assert counted["vi"]["không đạt"] and counted["vi"]["chưa đạt"]
    assert counted["en"]["not met"] and counted["en"]["not (yet) met"]


def test_project_at_the_merged_province_gives_the_forecasts_the_report_uses(tmp_path, capsys):
    # 2.1 at QT25 has two values of its own (2025, 2026 in the bundled data: too few alone); the report projects
    # it on its history re-based from the two old provinces (11 values), and so does --place QT25.
    import pandas as pd
    from gender_monitor.data import harmonise
    from gender_monitor.data.observations import load_observations
    from gender_monitor.forecast.projection import project
    from gender_monitor.plan.reference import load_places
    from gender_monitor.plan.registry import load_plan

    out = tmp_path / "p.csv"
    assert main(["project", "--until", "2030", "--place", "QT25", "--level", "80", "--out", str(out)]) == 0
    got = pd.read_csv(out, dtype={"indicator": str, "place": str, "series": str}, keep_default_na=False)
    assert set(got["place"]) == {"QT25"}
    plan, places = load_plan(), load_places()
    prepared, _ = harmonise.prepare(load_observations(plan=plan, places=places), plan, places)
    expected = project(prepared[prepared["place"] == "QT25"], until=2030, level=(80,), units=plan.units()).forecasts
    keys = ["indicator", "series", "year"]
    both = got.merge(expected.assign(series=expected["series"].fillna("")), on=keys, suffixes=("", "_report"))
    assert len(both) == len(got) == len(expected)
    assert (both["median"] - both["median_report"]).abs().max() < 1e-9
    two_one = got[(got["indicator"] == "2.1") & (got["year"] == 2026)].iloc[0]
    assert two_one["n_obs"] > 2 and round(two_one["median"], 1) == 47.4
    # An indicator outside the plan at the merged province is projected as it is, not dropped by the joining.
    extra = tmp_path / "extra.csv"
    extra.write_text("indicator,place,year,value,unit\n" + "".join(f"X.9,QT25,{y},{v},percent\n" for y, v in
                                                                 ((2024, 10), (2025, 12), (2026, 13))), encoding="utf-8")
    assert main(["project", "--observations", str(extra), "--until", "2028", "--place", "QT25", "--out", str(out)]) == 0
    assert pd.read_csv(out, dtype={"indicator": str})["indicator"].tolist() == ["X.9", "X.9"]
    capsys.readouterr()
    assert main(["project", "--until", "2030", "--place", "XX"]) == 2
    err = capsys.readouterr().err
    _said_in_both(err)
    assert "'XX'" in err


def test_the_plan_table_is_vietnamese_first(capsys):
    # The department reads the plan in its own words: headers, units as the report's annex names them, kinds,
    # targets without symbols an administrative text does not use, decimals with a comma; English on request.
    assert main(["plan"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Mã   Đơn vị tính") and lines[0].endswith("Chủ trì  Tên chỉ tiêu")
    (ratio,) = [line for line in lines if line.startswith("3.1 ")]
    assert ratio.split()[1:11] == ["lần", "so", "với", "nam", "giới", "đạt", "mức", "giảm", "≤1,7", "≤1,4"]
    (wage,) = [line for line in lines if line.startswith("2.1 ")]
    assert "khoảng 45" in wage and "≈" not in wage
    (decline,) = [line for line in lines if line.startswith("3.5a ")]
    assert decline.split()[1] == "cuộc" and "giảm 2–3%/năm" in decline and decline.endswith("Số cuộc tảo hôn")
    (kept,) = [line for line in lines if line.startswith("6.3 ")]
    assert "duy trì 100% hằng năm" in kept and kept.split("năm")[1].split()[1:3] == ["100", "100"]
    assert lines[-1] == "25 chỉ tiêu, 47 mức cần đạt (năm 2025 và năm 2030)."
    assert main(["plan", "--language", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    (ratio,) = [line for line in lines if line.startswith("3.1 ")]
    assert ratio.split()[1:8] == ["times", "men's", "hours", "level", "lower", "≤1.7", "≤1.4"]
    assert lines[-1] == "25 targets, 47 target-year rows."


def test_the_plan_table_says_what_a_yes_no_target_asks_for_as_the_briefs_do(capsys):
    # 5.1 (gender content in curricula, due from 2025 on) read "1" and "1" (English "=1" and "=1"): the code its
    # value is stored as. Its 2025 and 2030 cells say what is due, as the briefs' charts and timeline label it.
    assert main(["plan"]) == 0
    (milestone,) = [line for line in capsys.readouterr().out.splitlines() if line.startswith("5.1 ")]
    due = milestone.split("tăng", 1)[1].split("SGDDT")[0]
    assert due.split() == ["Phải", "hoàn", "thành", "năm", "2025", "Phải", "hoàn", "thành", "năm", "2030"]
    assert main(["plan", "--language", "en"]) == 0
    (milestone,) = [line for line in capsys.readouterr().out.splitlines() if line.startswith("5.1 ")]
    assert milestone.split()[1:9] == ["yes/no", "milestone", "higher", "Due", "in", "2025", "Due", "in"]
    assert "=1" not in milestone and milestone.split()[9:11] == ["2030", "SGDDT"]


@pytest.mark.parametrize(("terminal", "argv", "bar"), [(True, [], True), (True, ["--no-progress"], False),
                                                       (False, [], False)])
def test_the_review_draws_its_bar_only_in_a_terminal(monkeypatch, terminal, argv, bar):
    # In a log or a pipe a bar's every redraw is a line of its own: there the batch prints a line per notebook.
    import sys

    from gender_monitor.review import runner

    class Called(Exception):
        pass

    seen = {}

    def run_review(file, *, force, progress):
        seen["progress"] = progress
        raise Called

    monkeypatch.setattr(runner, "run_review", run_review)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal, raising=False)
    with pytest.raises(Called):
        main(["review", *argv])
    assert seen["progress"] is bar


@pytest.mark.parametrize("command", ["project", "targets"])
def test_a_workbook_given_as_a_csv_is_named_as_one_in_both_languages(command, tmp_path, capsys):
    import openpyxl

    book = tmp_path / "so-lieu.csv"  # an .xlsx saved under a .csv name, or picked by mistake
    openpyxl.Workbook().save(book)
    argv = {"project": ["project", "--observations", str(book), "--until", "2030"],
            "targets": ["assess", "--targets", str(book)]}[command]
    assert main(argv) == 2
    err = capsys.readouterr().err
    _said_in_both(err)
    assert "đây là tệp Excel, không phải tệp CSV" in err and "this is an Excel workbook" in err
    head = {"project": "1 lỗi trong các tệp số liệu: / 1 error(s) in observation files:",
            "targets": "1 lỗi trong tệp mục tiêu: / 1 error(s) in targets file:"}[command]
    assert f"error: {head}" in err


@pytest.mark.parametrize("command", ["check", "targets"])
def test_a_csv_not_utf8_is_named_at_its_line_with_what_to_choose_in_excel_and_in_libreoffice(command, tmp_path, capsys):
    # Saved by LibreOffice with its default character set ("Western Europe"): the "ú" of line 3 is one byte, 0xFA.
    # The message told only what to choose in Excel ("CSV UTF-8 (comma delimited)").
    path = tmp_path / "so-lieu.csv"
    header = {"check": "indicator,place,year,value,note", "targets": "indicator,place,target_year,comparator,value"}
    last = {"check": "4.1,QT,2021,110.5,ghi chú", "targets": "4.1,QT,2030,<=,109 chú"}
    path.write_bytes(f"{header[command]}\n4.1,QT,2020,110,x\n{last[command]}\n".encode("latin-1"))
    argv = {"check": ["check", str(path)], "targets": ["assess", "--targets", str(path)]}[command]
    assert main(argv) == (1 if command == "check" else 2)
    err = capsys.readouterr().err
    _said_in_both(err)
    libreoffice = {"vi": "trong LibreOffice Calc lưu lại với kiểu tệp CSV, chọn sửa thiết lập bộ lọc, rồi trong hộp "
                         "thoại xuất tệp chọn bộ ký tự “Unicode (UTF-8)”",
                   "en": 'in LibreOffice Calc choose File > Save As, file type "Text CSV (.csv)", tick "Edit filter '
                         'settings", then choose the character set "Unicode (UTF-8)" in the export dialog'}
    assert f"tệp không phải văn bản UTF-8; hãy lưu lại từ bảng tính gốc: trong Excel chọn kiểu tệp “CSV UTF-8 (Comma " \
           f"delimited) (*.csv)”; {libreoffice['vi']} / not UTF-8 text; save it again from the original spreadsheet: " \
           f'in Excel choose the file type "CSV UTF-8 (Comma delimited) (*.csv)"; {libreoffice["en"]}' in err
    if command == "check":  # the observation loader names the line of the first such byte
        assert f"{path}:3: tệp không phải" in err


@pytest.mark.parametrize("separator, said", [(";", "các cột được ngăn bằng dấu chấm phẩy"),
                                             ("\t", "các cột được ngăn bằng ký tự tab")])
def test_a_file_of_another_separator_is_named_as_such_not_as_missing_columns(separator, said, tmp_path, capsys):
    path = tmp_path / "obs.csv"
    path.write_text(separator.join(["indicator", "place", "year", "value"]) + "\n"
                    + separator.join(["4.1", "QT", "2020", "110"]) + "\n", encoding="utf-8")
    assert main(["project", "--observations", str(path), "--until", "2030"]) == 2
    err = capsys.readouterr().err
    _said_in_both(err)
    assert said in err and "missing" not in err and "unknown column" not in err


@pytest.mark.parametrize("written", ["qt", "Q\u0000T", "qt25", "Qt"])
def test_a_known_place_written_otherwise_is_refused_with_its_code_and_its_series_left_out(written, tmp_path, capsys):
    # 'qt' among QT's rows was projected as a series of its own, and QT's series without its value.
    code = written.strip().replace("\u0000", "").upper()
    rows = [f"9.9,{code},2020,40,percent", f"9.9,{code},2021,41,percent", f'9.9,"{written}",2022,42,percent',
            "9.9,THA,2020,40,percent", "9.9,THA,2021,41,percent"]  # any other place may be projected
    path = tmp_path / "obs.csv"
    path.write_text("indicator,place,year,value,unit\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "f.csv"
    assert main(["project", "--observations", str(path), "--until", "2025", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    _said_in_both(err)
    assert "obs.csv:4 [place]: mã địa bàn viết khác với danh mục" in err and f"write {code};" in err
    import pandas as pd

    assert set(pd.read_csv(out)["place"]) == {"THA"}


def test_a_file_of_a_header_alone_says_so_not_that_rows_were_refused(tmp_path, capsys):
    path = tmp_path / "obs.csv"
    path.write_text("indicator,place,year,value,unit\n", encoding="utf-8")
    assert main(["project", "--observations", str(path), "--until", "2030"]) == 2
    err = capsys.readouterr().err
    assert "chỉ có dòng tiêu đề" in err and "refused" not in err and "bị từ chối" not in err


def test_agencies_given_twice_each_get_their_template(tmp_path, capsys):
    # "templates --agency SYT --agency SGDDT" wrote SGDDT's workbook only, and said "1 template(s) written".
    assert main(["templates", "--year", "2026", "--out", str(tmp_path), "--agency", "SYT", "--agency", "SGDDT"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mau-bao-cao-2026-SGDDT.xlsx", "mau-bao-cao-2026-SYT.xlsx"]
