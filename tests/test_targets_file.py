"""Targets given in a file: any indicator, any place, the plan's statuses and p_meet."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from gender_monitor.core import i18n
from gender_monitor.judge import assessment
from gender_monitor.judge.targets_file import TargetsError, assess_targets, read_targets

HEADER = "indicator,place,year,value,unit\n"


def obs(rows) -> pd.DataFrame:
    """Rows of (indicator, place, year, value, unit)."""
    frame = pd.DataFrame(rows, columns=["indicator", "place", "year", "value", "unit"])
    return frame.assign(quarter=pd.NA, sex="", series="", status="official", numerator=math.nan,
                        denominator=math.nan)


def targets(tmp_path, text: str, plan=None) -> pd.DataFrame:
    path = tmp_path / "targets.csv"
    path.write_text("indicator,place,target_year,comparator,value,unit\n" + text, encoding="utf-8")
    return read_targets(path, units=plan.units() if plan else None)


def test_each_kind_of_answer_by_hand(tmp_path):
    data = obs([("D.1", "QT-HH", y, 20.0 + y - 2018, "percent") for y in range(2018, 2025)]  # 2024: 26
               + [("D.2", "QT-HH", 2024, 40.0, "percent")]
               + [("D.3", "QT-HH", y, 0.0, "percent") for y in range(2016, 2025)])
    table = assess_targets(data, targets(tmp_path,
        "D.1,QT-HH,2024,>=,25,\n"     # observed 26 in the target year: met
        "D.1,QT-HH,2024,<,25,\n"      # the same value against "below 25": not met
        "D.1,QT-HH,2027,>,25,\n"      # latest 26 already above 25: met on the latest value
        "D.2,QT-HH,2027,>=,50,\n"     # one value only: too short to project
        "D.9,QT-HH,2027,>=,50,percent\n"  # no series at all
        "D.3,QT-HH,2030,>=,30,\n"))   # flat at 0% for nine years: forecast 0%, unlikely, never impossible
    assert table["status"].tolist() == ["met", "not_met", "met", "insufficient_data", "no_data", "unlikely"]
    assert table["judged_on"].tolist()[:3] == ["data", "data", "latest"]
    flat = table.iloc[5]
    assert flat["projected"] == 0.0 and flat["lo-95"] == 0.0
    assert flat["p_meet"] == assessment.P_EDGE
    assert table.loc[0, "label_vi"] == "đạt" and table.loc[4, "label_en"] == "no data yet"
    # A target year gone by with no value of its own is not met by an older value above the bar: a 2025
    # target, past in 2026 and never observed, is read off the projection, not the 2024 value (26 > 25);
    # while 2025 is still ahead (as of 2024) the 2024 value meets it.
    past = assess_targets(data, targets(tmp_path, "D.1,QT-HH,2025,>,25,\n"), as_of=2026).iloc[0]
    assert past["judged_on"] == "projection" and past["status"] in ("likely", "too_close", "unlikely")
    ahead = assess_targets(data, targets(tmp_path, "D.1,QT-HH,2025,>,25,\n"), as_of=2024).iloc[0]
    assert (ahead["judged_on"], ahead["status"]) == ("latest", "met")


def test_a_plan_target_given_in_a_file_gets_the_plans_answer(tmp_path, plan, places):
    # 5.3 in the plan: ">= 40" in 2030. The same target in a file must get the same p_meet and status.
    rows = [("5.3", "QT", y, 28.0 + 1.2 * (y - 2016), "percent") for y in range(2016, 2024)]
    data = obs(rows)
    want = assessment.assess(data, plan=plan, places=places, place="QT", as_of=2023)
    want = want.set_index(["code", "target_year"]).loc[("5.3", 2030)]
    got = assess_targets(data, targets(tmp_path, "5.3,QT,2030,>=,40,\n", plan), as_of=2023).iloc[0]
    assert got["unit"] == "percent"  # from the plan
    assert got["p_meet"] == pytest.approx(want["p_meet"], rel=1e-12)
    assert got["status"] == want["status"]
    assert got["hi-80"] == pytest.approx(want["hi-80"], rel=1e-12)


def test_a_100_percent_target_in_a_file_gets_the_plans_answer_over_its_units(tmp_path, plan, places):
    # 3.4 in the plan: 100% of facilities in 2030; 9, 10, 11 of 12 in 2022–2024. The plan's assessment takes
    # "all 12" as any value above 11.5/12; the same target in a file must get the same p_meet.
    data = obs([("3.4", "QT", 2022 + k, 100 * (9 + k) / 12, "percent") for k in range(3)])
    data["numerator"], data["denominator"] = [9.0, 10.0, 11.0], 12.0
    want = assessment.assess(data, plan=plan, places=places, place="QT", as_of=2024)
    want = want.set_index(["code", "target_year"]).loc[("3.4", 2030)]
    got = assess_targets(data, targets(tmp_path, "3.4,QT,2030,>=,100,\n", plan), as_of=2024).iloc[0]
    assert got["p_meet"] == pytest.approx(want["p_meet"], rel=1e-12) and got["status"] == want["status"]
    # Without the counts it is a share of unknown units: 100% itself, a smaller chance.
    bare = assess_targets(data.assign(denominator=math.nan), targets(tmp_path, "3.4,QT,2030,>=,100,\n", plan),
                          as_of=2024).iloc[0]
    assert bare["p_meet"] < got["p_meet"]


def test_every_broken_rule_of_the_file_is_named(tmp_path, plan):
    with pytest.raises(TargetsError) as err:
        targets(tmp_path, "5.3,QT,2030,!=,40,\nX,QT,20x0,>=,1,percent\nX,,2030,>=,abc,furlongs\n"
                          "5.3,QT,2030,>=,40,count\n", plan)
    text = str(err.value)
    for piece in (":2 [comparator]", ":3 [target_year]", ":4 [place]", ":4 [value]", ":4 [unit]",
                  ":5 [unit]", "unit does not match the plan's unit for 5.3 (percent)"):
        assert piece in text


def test_the_assess_command_judges_a_targets_file(tmp_path, capsys):
    from gender_monitor.cli.main import main

    path = tmp_path / "obs.csv"
    path.write_text(HEADER + "".join(f"D.1,QT,{y},{20 + y - 2018},percent\n" for y in range(2018, 2025)),
                    encoding="utf-8")
    tpath = tmp_path / "t.csv"
    tpath.write_text("indicator,place,target_year,comparator,value\nD.1,QT,2030,>=,60\n", encoding="utf-8")
    out = tmp_path / "judged.csv"
    assert main(["assess", "--observations", str(path), "--targets", str(tpath), "--out", str(out)]) == 0
    got = pd.read_csv(out)
    assert got.loc[0, "status"] in ("unlikely", "too_close") and 0 < got.loc[0, "p_meet"] < 0.5
    err = capsys.readouterr().err
    status = got.loc[0, "status"]
    assert f"đã ghi 1 dòng (mục tiêu theo từng năm) vào {out}: {i18n.status_label(status, 'vi')} 1" in err
    assert f"1 target-year rows written to {out}: {i18n.status_label(status, 'en')} 1" in err
    assert "note:" not in err  # every target has its series
    # A code the files do not have (D.9, often a typo) and a target year gone by before the data (1990) are
    # named at their line, not only answered "no data".
    tpath.write_text("indicator,place,target_year,comparator,value\nD.1,QT,2030,>=,60\nD.9,QT,2030,>=,60\n"
                     "D.1,QT,1990,>=,60\nD.1,QT-HH,2030,>=,60\n", encoding="utf-8")
    assert main(["assess", "--observations", str(path), "--targets", str(tpath), "--out", str(out)]) == 0
    # A district abolished on 1 July 2025 has no 2030: "not applicable", as the plan's own district targets.
    assert pd.read_csv(out)["status"].tolist()[1:] == ["no_data", "no_data", "not_applicable"]
    notes = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note:")]
    assert notes == [
        f"note: {tpath}:3: các tệp số liệu không có giá trị nào của chỉ tiêu D.9 tại địa bàn QT (hãy kiểm tra mã "
        "chỉ tiêu, mã địa bàn và cột series) / the observation files hold no value of D.9 at QT (check the "
        "indicator and place codes and the series column)",
        f"note: {tpath}:4: chưa có số liệu năm 1990 để đánh giá mục tiêu (số liệu của chuỗi đến năm 2024); hãy kiểm "
        "tra năm mục tiêu / no value of 1990 to judge the target on (the series runs to 2024); check the target year",
        f"note: {tpath}:5: địa bàn QT-HH (huyện Hướng Hóa) kết thúc hoạt động từ ngày 01/7/2025 do sắp xếp đơn vị "
        "hành chính: mục tiêu năm 2030 không áp dụng; hãy đặt mục tiêu cho các đơn vị mới trên địa bàn cũ (QT25-009, "
        "QT25-010, QT25-011, QT25-012, QT25-013, QT25-014, QT25-015) / QT-HH (Huong Hoa district) ceased to exist on "
        "1 July 2025 (administrative reorganisation): a target for 2030 is not applicable; set it for the new units "
        "on its territory (QT25-009, QT25-010, QT25-011, QT25-012, QT25-013, QT25-014, QT25-015)"]


def write(tmp_path, text: str, name: str = "t.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_row_of_the_wrong_width_is_named_with_the_others_not_a_traceback(tmp_path, plan):
    path = write(tmp_path, "indicator,place,target_year,comparator,value\n"
                           "1.1,QT,2030,>=,60,extra\n"      # six fields under five columns
                           "1.1,QT,2030,=/=,60\n")          # and a wrong comparator on the next line
    with pytest.raises(TargetsError) as err:
        read_targets(path, units=plan.units())
    text = str(err.value)
    assert "t.csv:2: dòng có 6 ô, dòng tiêu đề có 5 cột / row has 6 fields, the header has 5" in text
    assert "t.csv:3 [comparator]" in text


def test_comparators_as_people_write_them_are_read_and_equals_only_at_the_ends_of_the_range(tmp_path, plan):
    # The plan's own symbols (the CSV `plan --format csv` writes: ≥, ≤ and a guarded '=), arrows turned
    # round and a stray space mean the file's four; "= 100" for a share is "kept at 100%", i.e. ≥ 100.
    path = write(tmp_path, "indicator,place,target_year,comparator,value\n"
                           "1.1,QT,2030,≥,60\n1.1,QT,2025,=>,50\n4.1,QT,2030,≤,109\n4.1,QT,2025,=<,110\n"
                           "3.4,QT,2030,> =,90\n3.3,QT,2030,'=,100\n3.3,QT,2025,=,0\n")
    got = read_targets(path, units=plan.units())
    assert got["comparator"].tolist() == [">=", ">=", "<=", "<=", ">=", ">=", "<="]
    path = write(tmp_path, "indicator,place,target_year,comparator,value\n"
                           "3.3,QT,2030,=,90\n1.1,QT,2030,≈,60\n1.1,QT,2025,<>,50\n4.1,QT,2030,=,130\n")
    with pytest.raises(TargetsError) as err:
        read_targets(path, units=plan.units())
    text = str(err.value)
    assert "t.csv:2 [comparator]: “=” chỉ dùng cho tỷ lệ giữ ở mức 100% (hoặc 0%)" in text
    assert "t.csv:5 [comparator]" in text  # a sex ratio at the top of its plausible band is no level to keep
    assert "t.csv:3 [comparator]: “≈” (khoảng) không đánh giá được như một mức" in text
    assert "t.csv:4 [comparator]" in text and "must be one of >, >=, <, <=, ≥, =>, ≤, =<, =" in text


def test_a_series_column_judges_the_series_it_names(tmp_path):
    # Two series of one indicator and place: a survey (latest 2024, 40%) and administrative records
    # (to 2023, 70%). Without a series the plan's choice (latest data: the survey) is judged; a target
    # naming a series is judged on that series, and on nothing when it has no values.
    data = pd.concat([
        obs([("D.1", "QT-HH", y, 30.0 + 2 * (y - 2018), "percent") for y in range(2018, 2025)]).assign(series="survey"),
        obs([("D.1", "QT-HH", y, 70.0, "percent") for y in range(2016, 2024)]).assign(series="admin"),
    ])
    path = write(tmp_path, "indicator,place,target_year,comparator,value,series\n"
                           "D.1,QT-HH,2023,>=,60,\nD.1,QT-HH,2023,>=,60,admin\nD.1,QT-HH,2023,>=,60,census\n")
    table = assess_targets(data, read_targets(path))
    assert table["series"].tolist() == ["survey", "admin", "census"]
    assert table["latest_value"].tolist()[:2] == [42.0, 70.0]
    assert table["status"].tolist() == ["not_met", "met", "no_data"]


@pytest.mark.parametrize("rows, said", [
    # A closing quote missing: the rest of the file would be one field, the targets after it lost.
    ('1.1,QT,2030,>=,"60,percent\n2.1,QT,2030,>=,45,percent\n', "opened on line 2 is never closed"),
    # Closed further down: the record spans two lines, which a target never does.
    ('1.1,QT,2030,>=,"60\n2.1",percent\n3.1,QT,2030,>=,45,percent\n', "runs over 2 lines (to line 3)"),
])
def test_a_quote_left_open_is_refused_naming_its_lines_as_in_an_observation_file(tmp_path, plan, rows, said):
    path = write(tmp_path, "indicator,place,target_year,comparator,value,unit\n" + rows)
    with pytest.raises(TargetsError) as err:
        read_targets(path, units=plan.units())
    assert "t.csv:2: " in str(err.value) and said in str(err.value)


def test_a_semicolon_file_and_a_header_alone_are_refused_saying_why(tmp_path):
    with pytest.raises(TargetsError, match=r"semicolons \(;\)"):
        read_targets(write(tmp_path, "indicator;place;target_year;comparator;value\n1.1;QT;2030;>=;60\n"))
    with pytest.raises(TargetsError, match="holds no targets"):
        read_targets(write(tmp_path, "indicator,place,target_year,comparator,value\n\n"))


def test_values_years_and_repeats_follow_the_rules_of_observation_files(tmp_path, plan):
    path = write(tmp_path, "indicator,place,target_year,comparator,value,unit\n"
                           "1.1,QT,2030,>=,150,\n"        # 2: a share above 100%
                           "1.1,QT,2030,<=,-5,\n"         # 3: below 0%
                           "1.1,QT,2030,>,1e1,\n"         # 4: scientific notation
                           "1.1,QT,99999,>=,60,\n"        # 5: not a calendar year
                           "1.1,QT,2030,<,\"1,050\",\n"   # 6: ambiguous comma
                           "4.1,QT,2030,<=,\"109,5\",\n"  # 7: a decimal comma is read
                           "4.1,QT,2030,<=,108,\n"        # 8: the same target again, another value
                           "5.1,QT,2025,>=,0.5,\n")       # 9: yes/no is 0 or 1
    with pytest.raises(TargetsError) as err:
        read_targets(path, units=plan.units())
    lines = {(i.line, i.column): i.rule for i in err.value.issues}
    assert lines == {
        (2, "value"): "a value in percent (%) must lie between 0 and 100", (3, "value"): "a value in percent (%) must lie between 0 and 100",
        (4, "value"): "a number in scientific notation is not accepted: write it out in full (2e3 as 2000)",
        (5, "target_year"): "a target year must be a calendar year from 1950 to 2100",
        (6, "value"): "ambiguous number: a comma before three digits may separate thousands or decimals; "
                      "write 1050 or 1.05",
        (8, "target_year"): "this target (same indicator, place, series, year and comparator) is already on line 7; "
                            "give each target once",
        (9, "value"): "a yes/no value must be 0 or 1"}
    good = read_targets(write(tmp_path, "indicator,place,target_year,comparator,value\n4.1,QT,2030,<=,\"109,5\"\n"
                                        "5.1,QT,2025,>=,1\n"), units=plan.units())
    assert good["target_value"].tolist() == [109.5, 1.0] and good["unit"].tolist() == ["per_100", "yes_no"]
    assert good["line"].tolist() == [2, 3]


def test_a_yes_no_target_is_met_once_the_latest_value_meets_it(tmp_path, plan):
    data = obs([("5.1", "QT", 2022, 0.0, "yes_no"), ("5.1", "QT", 2023, 0.0, "yes_no"),
                ("5.2", "QT", 2022, 0.0, "yes_no"), ("5.2", "QT", 2023, 1.0, "yes_no")])
    got = assess_targets(data, targets(tmp_path, "5.1,QT,2027,>=,1,\n", plan))
    assert got.loc[0, "status"] == "not_met" and got.loc[0, "judged_on"] == "latest"
    assert math.isnan(got.loc[0, "p_meet"])  # nothing to project a yes/no answer from
    got = assess_targets(data, targets(tmp_path, "5.2,QT,2027,>=,1,yes_no\n"))
    assert got.loc[0, "status"] == "met"


def test_a_target_in_another_unit_than_its_values_is_refused_naming_both(tmp_path):
    data = obs([("9.9", "QT", y, 40.0 + y - 2018, "percent") for y in range(2018, 2024)])
    data = data.assign(file="obs.csv", line=range(2, 8))
    with pytest.raises(TargetsError) as err:
        assess_targets(data, targets(tmp_path, "9.9,QT,2030,>=,5,count\n"))
    (only,) = err.value.issues
    assert (only.line, only.column, only.value) == (2, "unit", "count")
    assert "9.9 at QT (percent, obs.csv:7)" in only.rule and "9.9 tại QT" in only.rule_vi


def test_the_file_judges_on_the_plans_series_and_says_which(tmp_path):
    # Two series of one indicator and place: the plan judges the one with the latest data (here the
    # registration series, to 2024), never the two mixed; the file's answer says which it used and how
    # many values it had.
    survey = [("4.1", "QT", y, 112.0, "per_100") for y in range(2000, 2020)]
    register = [("4.1", "QT", y, 110.0, "per_100") for y in (2022, 2023, 2024)]
    data = obs(survey + register)
    data["series"] = ["survey"] * len(survey) + ["register"] * len(register)
    got = assess_targets(data, targets(tmp_path, "4.1,QT,2030,<=,109,per_100\n")).iloc[0]
    assert (got["series"], got["n_obs"], got["latest_value"]) == ("register", 3, 110.0)


def test_a_merged_provinces_target_in_a_file_gets_the_plans_answer(tmp_path, capsys):
    # QT25 (Quảng Trị after the 2025 merger) has two values of its own for 4.1; the plan's assessment
    # judges it on the history re-based from the old provinces. A file with the same target must too.
    from gender_monitor.cli.main import main

    tpath = write(tmp_path, "indicator,place,target_year,comparator,value\n4.1,QT25,2030,<=,109\n")
    assert main(["assess", "--targets", str(tpath), "--out", str(tmp_path / "file.csv")]) == 0
    assert main(["assess", "--place", "QT25", "--out", str(tmp_path / "plan.csv")]) == 0
    mine = pd.read_csv(tmp_path / "file.csv").iloc[0]
    plan_row = pd.read_csv(tmp_path / "plan.csv").set_index(["code", "target_year"]).loc[("4.1", 2030)]
    assert mine["n_obs"] == plan_row["n_obs"] > 2
    assert mine["p_meet"] == pytest.approx(plan_row["p_meet"], rel=1e-9)
    assert mine["status"] == plan_row["status"]
    assert bool(mine["illustrative"]) == bool(plan_row["illustrative"])
    err = capsys.readouterr().err
    if mine["illustrative"]:
        assert "judged on illustrative data" in err


def test_a_targets_answer_does_not_depend_on_the_other_rows_of_the_file(tmp_path):
    # A merged province's row makes the command prepare the re-based data; that adds new-commune sums to
    # the old provinces as well, and QT's 3.5a was once judged on them (2 values) instead of its own 11.
    from gender_monitor.cli.main import main

    alone = write(tmp_path, "indicator,place,target_year,comparator,value\n3.5a,QT,2030,<=,100\n", "alone.csv")
    mixed = write(tmp_path, "indicator,place,target_year,comparator,value\n3.5a,QT,2030,<=,100\n"
                            "4.1,QT25,2030,<=,109\n", "mixed.csv")
    for src, out in ((alone, "a.csv"), (mixed, "m.csv")):
        assert main(["assess", "--targets", str(src), "--out", str(tmp_path / out)]) == 0
    a, m = pd.read_csv(tmp_path / "a.csv"), pd.read_csv(tmp_path / "m.csv")
    cols = ["series", "n_obs", "latest_value", "latest_year", "p_meet", "status"]
    pd.testing.assert_frame_equal(a[cols], m.iloc[:1][cols], check_dtype=False)
    assert m.loc[1, "place"] == "QT25" and m.loc[1, "n_obs"] > 2


def test_a_target_year_with_a_part_year_value_only_is_judged_on_it_as_in_the_plan(tmp_path, capsys):
    # The merged province's 6.3 has, for 2025, only the new communes' Q3–Q4 value (the old districts'
    # whole years end in 2024). The plan's assessment judges the 2025 target on it and says so; a file
    # with the same target gave "no data" instead.
    from gender_monitor.cli.main import main

    tpath = write(tmp_path, "indicator,place,target_year,comparator,value\n6.3,QT25,2025,>=,100\n"
                            "6.3,QT25,2026,>=,100\n")
    assert main(["assess", "--targets", str(tpath), "--out", str(tmp_path / "file.csv")]) == 0
    assert main(["assess", "--place", "QT25", "--out", str(tmp_path / "plan.csv")]) == 0
    mine = pd.read_csv(tmp_path / "file.csv", keep_default_na=False)
    plan_row = pd.read_csv(tmp_path / "plan.csv").set_index(["code", "target_year"]).loc[("6.3", 2025)]
    y25, y26 = mine.iloc[0], mine.iloc[1]
    assert (y25["judged_on"], y25["status"]) == ("data", "not_met")
    assert float(y25["projected"]) == pytest.approx(plan_row["projected"], rel=1e-9)
    assert y25["part_series"].lstrip("'") == "-q34" and y26["part_series"] == ""
    # 2026 is a whole year of its own: judged on it, not on the part year.
    assert float(y26["projected"]) == pytest.approx(float(y26["latest_value"])) != float(y25["projected"])
    err = capsys.readouterr().err
    assert f"{tpath}:2: kết quả năm 2025 theo số liệu báo cáo, 6 tháng cuối năm (quý III, IV)" in err
    assert f"{tpath}:3: kết quả năm" not in err


def test_a_value_from_small_counts_is_judged_with_its_chance_as_in_the_plan(tmp_path):
    # 4.2 of QT25 in 2025: maternal deaths in births, below 42 per 100,000 but with an exact Poisson 95%
    # interval across 42; the plan's assessment calls it "too close", a file with the same target said "met".
    from gender_monitor.cli.main import main

    tpath = write(tmp_path, "indicator,place,target_year,comparator,value\n4.2,QT25,2025,<=,42\n")
    assert main(["assess", "--targets", str(tpath), "--out", str(tmp_path / "file.csv")]) == 0
    assert main(["assess", "--place", "QT25", "--out", str(tmp_path / "plan.csv")]) == 0
    mine = pd.read_csv(tmp_path / "file.csv").iloc[0]
    plan_row = pd.read_csv(tmp_path / "plan.csv").set_index(["code", "target_year"]).loc[("4.2", 2025)]
    assert (mine["judged_on"], mine["status"]) == ("data", "too_close") == (plan_row["judged_on"], plan_row["status"])
    assert mine["projected"] < 42  # below the target, yet not shown to be below it
    # A count of every unit is exact: 1.1 (every agency counted) given with counts is judged as it is.
    obs = pd.DataFrame([{"indicator": "1.1", "place": "QT", "year": 2025, "value": 60.0, "unit": "percent",
                         "numerator": 6, "denominator": 10, "quarter": pd.NA, "sex": "", "series": "",
                         "status": "official"}])
    t = read_targets(write(tmp_path, "indicator,place,target_year,comparator,value,unit\n"
                                     "1.1,QT,2025,>=,60,percent\n", "t2.csv"))
    assert assess_targets(obs, t, as_of=2025).iloc[0]["status"] == "too_close"  # 6 of 10: 26–88%
    assert assess_targets(obs, t, as_of=2025, complete_counts={"1.1"}).iloc[0]["status"] == "met"
    # A share to keep at 100% of its units is a fact about each unit: 10 of 10 supported is met, not "too close"
    # (the exact 95% interval of 10 of 10 reaches down to 69%).
    full = obs.assign(indicator="3.3", value=100.0, numerator=10, denominator=10)
    t = read_targets(write(tmp_path, "indicator,place,target_year,comparator,value,unit\n"
                                     "3.3,QT,2025,>=,100,percent\n", "t3.csv"))
    assert assess_targets(full, t, as_of=2025).iloc[0]["status"] == "met"


def test_a_unit_unlike_the_plans_is_the_one_error_of_its_row_not_also_a_range_of_that_unit(tmp_path, plan):
    # 2.1 is a share (percent): 45 in per_100 is a wrong unit, said once; the value is not also refused as a
    # "sex ratio at birth outside 90–130", a rule of the unit the row wrongly gives.
    with pytest.raises(TargetsError) as err:
        targets(tmp_path, "2.1,VN,2030,>=,45,per_100\n", plan)
    assert [(i.line, i.column) for i in err.value.issues] == [(2, "unit")]
    assert "sex ratio at birth" not in str(err.value)


def test_a_place_given_with_a_targets_file_is_refused_not_ignored(tmp_path, capsys):
    # The targets file names each target's place; "--place QT25" beside it was silently ignored (the file's VN
    # targets were judged as if nothing had been asked). argparse refuses the pair, in both languages.
    from gender_monitor.cli.main import main

    tpath = write(tmp_path, "indicator,place,target_year,comparator,value\n2.1,VN,2030,>=,45\n")
    with pytest.raises(SystemExit) as exit_:
        main(["assess", "--targets", str(tpath), "--place", "QT25"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--place" in err and "--targets" in err and "not allowed with argument" in err


def test_observations_given_twice_are_both_read_as_project_reads_them(tmp_path, capsys):
    # "assess --observations a.csv --observations b.csv" kept b.csv only: a.csv's series were judged "no data".
    from gender_monitor.cli.main import main

    a = write(tmp_path, HEADER + "".join(f"D.1,QT,{y},{20 + y - 2018},percent\n" for y in range(2018, 2025)), "a.csv")
    b = write(tmp_path, HEADER + "".join(f"D.2,QT,{y},{30 + y - 2018},percent\n" for y in range(2018, 2025)), "b.csv")
    t = write(tmp_path, "indicator,place,target_year,comparator,value\nD.1,QT,2024,>=,25\nD.2,QT,2024,>=,35\n")
    out = tmp_path / "judged.csv"
    assert main(["assess", "--observations", str(a), "--observations", str(b), "--targets", str(t),
                 "--out", str(out)]) == 0
    assert pd.read_csv(out)["status"].tolist() == ["met", "met"]


def test_a_sex_column_judges_women_or_men_and_never_both_together(tmp_path):
    # D.1 at QT-HH for women (30 → 42, +2 a year), for men (60, flat) and for both together (45, flat). A
    # target for women is judged on the women's values, one for men on the men's, one without sex on both
    # together: in 2024 the three values are 42, 60 and 45.
    years = range(2018, 2025)
    data = pd.concat([
        obs([("D.1", "QT-HH", y, 30.0 + 2 * (y - 2018), "percent") for y in years]).assign(sex="f"),
        obs([("D.1", "QT-HH", y, 60.0, "percent") for y in years]).assign(sex="m"),
        obs([("D.1", "QT-HH", y, 45.0, "percent") for y in years]),
    ])
    path = write(tmp_path, "indicator,place,target_year,comparator,value,sex\n"
                           "D.1,QT-HH,2024,>=,50,f\nD.1,QT-HH,2024,>=,50,M\nD.1,QT-HH,2024,>=,50,\n")
    read = read_targets(path)
    assert read["sex"].tolist() == ["f", "m", ""]
    table = assess_targets(data, read)
    assert table["sex"].tolist() == ["f", "m", ""]
    assert table["latest_value"].tolist() == [42.0, 60.0, 45.0]
    assert table["status"].tolist() == ["not_met", "met", "not_met"]
    # Only the women's values: a target for both sexes has none to be judged on.
    table = assess_targets(data[data["sex"] == "f"], read)
    assert table["status"].tolist() == ["not_met", "no_data", "no_data"]


def test_a_sex_other_than_f_m_or_empty_is_refused_at_its_cell(tmp_path):
    path = write(tmp_path, "indicator,place,target_year,comparator,value,sex\nD.1,QT,2030,>=,50,nữ\n")
    with pytest.raises(TargetsError) as err:
        read_targets(path)
    [issue] = err.value.issues
    assert (issue.line, issue.column, issue.value) == (2, "sex", "nữ")
    assert "f, m" in str(err.value)


def test_a_target_for_both_sexes_where_only_women_and_men_are_held_is_told_so(tmp_path, capsys):
    from gender_monitor.cli.main import main

    path = tmp_path / "obs.csv"
    path.write_text("indicator,place,year,value,unit,sex\n"
                    + "".join(f"D.1,QT,{y},{20 + y - 2018},percent,f\nD.1,QT,{y},{50 + y - 2018},percent,m\n"
                              for y in range(2018, 2025)), encoding="utf-8")
    tpath = tmp_path / "t.csv"
    tpath.write_text("indicator,place,target_year,comparator,value,sex\nD.1,QT,2030,>=,60,\nD.1,QT,2030,>=,60,f\n",
                     encoding="utf-8")
    out = tmp_path / "judged.csv"
    assert main(["assess", "--observations", str(path), "--targets", str(tpath), "--out", str(out)]) == 0
    got = pd.read_csv(out, keep_default_na=False)
    assert got["sex"].tolist() == ["", "f"]
    assert got["status"].tolist()[0] == "no_data" and got["n_obs"].tolist() == [0, 7]
    notes = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note:")]
    assert notes == [
        f"note: {tpath}:2: các tệp số liệu có giá trị của chỉ tiêu D.1 tại địa bàn QT tính cho nữ và nam, nhưng "
        "không có giá trị tính cho cả hai giới như mục tiêu đặt ra; hãy ghi giới tính của mục tiêu vào cột sex (f: nữ, "
        "m: nam, để trống: cả hai giới) / the observation files hold values of D.1 at QT for women and men, but none "
        "for both sexes together as the target is set; give the target's sex in a sex column (f: women, m: men, "
        "empty: both together)"]


def test_a_target_not_applicable_still_says_what_the_files_hold(tmp_path, places):
    # Hướng Hóa district (QT-HH) ended on 1 July 2025: its 2030 target is not applicable, and the answer still
    # gives its series as for any other target (7 values, the latest 26% in 2024, in percent).
    data = obs([("D.1", "QT-HH", y, 20.0 + y - 2018, "percent") for y in range(2018, 2025)])
    path = write(tmp_path, "indicator,place,target_year,comparator,value\nD.1,QT-HH,2030,>=,60\n")
    row = assess_targets(data, read_targets(path), places=places).iloc[0]
    assert row["status"] == "not_applicable"
    assert (row["unit"], row["n_obs"], row["latest_value"], row["latest_year"]) == ("percent", 7, 26.0, 2024)


def test_a_targets_file_not_in_utf8_is_named_at_the_line_of_its_first_such_byte(tmp_path, plan):
    # A department's targets saved from Excel in Windows-1258: the place name on line 3 holds 0xF0 ("đ" there),
    # not UTF-8. The message named no line before.
    path = tmp_path / "t.csv"
    path.write_bytes(b"indicator,place,target_year,comparator,value,note\n2.1,QT,2030,>=,50,\n"
                     b"2.2,QT,2030,>=,40,\xf0\xe3t\n")
    with pytest.raises(TargetsError) as err:
        read_targets(path, units=plan.units())
    said = str(err.value)
    assert "t.csv:3: " in said and "UTF-8" in said
