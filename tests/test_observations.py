"""The observation format: one failing fixture per rule, every error of a file reported at once."""

from __future__ import annotations

import pytest
from gender_monitor.core.exceptions import ObservationError
from gender_monitor.data.observations import COLUMNS, check_observations, load_observations


def _errors(path, plan, places, **kw):
    _, issues = check_observations([path], plan=plan, places=places, **kw)
    return [i for i in issues if i.severity == "error"]


def test_a_clean_file_loads_typed(write_obs, plan, places):
    path = write_obs([
        "4.1,QT,2020,111.2,,,6320,5683,per_100,Sở Y tế,official,,registration",
        "6.3.news,QT25-001,2025,5,3,,,,count,,illustrative,,",
        "2.1,QT,2020,38.5,,f,,,,,,,",
    ])
    frame = load_observations([path], plan=plan, places=places)
    assert list(frame.columns) == COLUMNS + ["file", "line"]
    assert frame["year"].tolist() == [2020, 2025, 2020]
    assert frame.loc[0, "value"] == pytest.approx(111.2)
    assert frame.loc[1, "quarter"] == 3
    assert frame.loc[2, "status"] == "official"  # the default
    assert frame.loc[2, "unit"] == "percent"  # filled from the plan
    assert frame["line"].tolist() == [2, 3, 4]


# One row per rule: (row, column, words expected in the rule)
RULES = [
    ("9.9,QT,2020,50,,,,,,,,,", "indicator", "unknown indicator code"),
    (",QT,2020,50,,,,,,,,,", "indicator", "the indicator code is required"),
    ("2.1,XX,2020,50,,,,,,,,,", "place", "unknown place code"),
    ("2.1,QT,20x0,50,,,,,,,,,", "year", "whole number"),
    ("2.1,QT,1850,50,,,,,,,,,", "year", "from 1950 to"),
    ("2.1,QT,2052,50,,,,,,,,,", "year", "no later than the current year"),
    ("2.1,QT,2020,1_050,,,,,,,,,", "value", "only the digits 0–9"),
    ("2.1,QT,2020,５０,,,,,,,,,", "value", "only the digits 0–9"),
    ("2.1,QT,2020,2e1,,,,,,,,,", "value", "scientific notation"),
    ("2.1,QT,2020,50,,,5e1,100,,,,,", "numerator", "scientific notation"),
    ("2.1,QT,２０２０,50,,,,,,,,,", "year", "whole number"),
    ("2.1,QT-HH,2026,50,,,,,,,,,", "year", "ended on 2025-07-01"),
    ("2.1,QT25,2024,50,,,,,,,,,", "year", "exists only from 2025-07-01"),
    ("2.1,QT,2020,abc,,,,,,,,,", "value", "must be a number"),
    ("2.1,QT,2020,,,,,,,,,,", "value", "the value is required"),
    ("2.1,QT,,50,,,,,,,,,", "year", "the year is required"),
    ("2.1,QT,2020,91.7%,,,,,,,,,", "value", "must be a number, e.g. 45 or 45.5 (no words or signs such as %"),
    ("2.1,QT,2020,101,,,,,,,,,", "value", "a value in percent (%) must lie between 0 and 100"),
    ("4.1,QT,2020,150,,,,,,,,,", "value", "plausible band 90–130"),
    ("3.5a,QT,2020,-3,,,,,,,,,", "value", "count must not be negative"),
    ("3.5a,QT,2020,12.5,,,,,,,,,", "value", "whole number"),
    ("5.1,QT,2020,2,,,,,,,,,", "value", "a value in yes/no (1/0) must lie between 0 and 1"),
    ("5.1,QT,2020,0.5,,,,,,,,,", "value", "0 or 1"),
    ("3.1,QT,2020,0,,,,,,,,,", "value", "ratio must be positive"),
    ("2.1,QT,2020,50,,,,,kg,,,,", "unit", "unknown unit"),
    ("2.1,QT,2020,50,,,,,count,,,,", "unit", "does not match the plan's unit for 2.1 (percent)"),
    ("2.1,QT,2020,50,,,,,,,draft,,", "status", "must be one of official, preliminary, estimate, illustrative"),
    ("2.1,QT,2020,50,,x,,,,,,,", "sex", "must be f, m or empty"),
    ("2.1,QT,2020,50,5,,,,,,,,", "quarter", "must be 1, 2, 3 or 4"),
    ("6.3.news,QT25-001,2025,5,,,,,,,,,", "quarter", "quarter is required"),
    ("3.2a,QT,2020,80,,,210,200,,,,,", "numerator", "must not exceed denominator"),
    ("3.2a,QT,2020,80,,,160,,,,,,", "denominator", "go together"),
    ("3.2a,QT,2020,80,,,16.5,20,,,,,", "numerator", "non-negative whole number"),
    ("3.2a,QT,2020,80,,,10,0,,,,,", "denominator", "must be positive"),
    ("3.2a,QT,2020,60,,,160,200,,,,,", "value", "does not agree with numerator/denominator (160/200 gives 80)"),
]


@pytest.mark.parametrize(("row", "column", "words"), RULES, ids=[f"{c}:{w[:24]}" for _, c, w in RULES])
def test_each_rule_names_file_line_column_value(write_obs, plan, places, row, column, words):
    path = write_obs(["2.1,QT,2019,37.0,,,,,,,,,", row])
    errors = _errors(path, plan, places)
    assert len(errors) == 1, [str(e) for e in errors]
    e = errors[0]
    assert (e.file, e.line, e.column) == (str(path), 3, column)
    assert words in e.rule
    assert str(path) in str(e) and ":3" in str(e)


def test_the_numbers_a_rule_quotes_are_written_in_each_languages_style(write_obs, plan, places):
    # The count-mismatch rule wrote "(83/200 cho ra 41.50)" in its Vietnamese half: a decimal point and a
    # trailing zero. Vietnamese has a decimal comma and a thousands point, English the other way round.
    path = write_obs(["2.1,QT,2019,45,,,83,200,,,,,", "4.2,QT,2020,43.2,,,13,31000,,,,,",
                      "4.2,QT,2021,120000,,,,,,,,,", "4.1,QT-HH,2022,140,,,70,50,,,,,",
                      "3.5a,QT,2021,1234567,,,,,,,,,", "3.5a,QT,2021,1234568,,,,,,,,,"])
    _, issues = check_observations([path], plan=plan, places=places)
    said = {i.line: (i.rule_vi, i.rule) for i in issues}
    assert said[2] == ("không khớp với tử số/mẫu số (83/200 cho ra 41,5)",
                       "does not agree with numerator/denominator (83/200 gives 41.5)")
    assert "(13/31.000 cho ra 41,94)" in said[3][0] and "(13/31,000 gives 41.94)" in said[3][1]
    assert "khoảng 0 đến 100.000" in said[4][0] and "between 0 and 100,000" in said[4][1]
    assert "chỉ 120 trẻ sinh (khoảng này áp dụng từ 2.000 trẻ)" in said[5][0] and "from 2,000" in said[5][1]
    assert "(giá trị 1.234.567)" in said[7][0] and "(value 1,234,567)" in said[7][1]


def test_conflicting_duplicates_across_files_name_both_places(write_obs, plan, places):
    a = write_obs(["4.2,QT,2021,41.7,,,5,12000,,,,,"], name="a.csv")
    b = write_obs(["4.2,QT,2021,50.0,,,6,12000,,,,,"], name="b.csv")
    _, issues = check_observations([a, b], plan=plan, places=places)
    (e,) = [i for i in issues if i.severity == "error"]
    assert e.file == str(b) and e.line == 2 and f"conflicts with {a}:2" in e.rule


def test_an_identical_duplicate_is_a_warning_and_kept_once(write_obs, plan, places):
    path = write_obs(["2.1,QT,2021,38,,,,,,,,,", "2.1,QT,2021,38,,,,,,,,,"])
    frame, issues = check_observations([path], plan=plan, places=places)
    assert len(frame) == 1
    assert [i.severity for i in issues] == ["warning"]


def test_different_series_or_sex_are_not_duplicates(write_obs, plan, places):
    path = write_obs(["4.1,VN,2021,111.5,,,,,,,,,survey", "4.1,VN,2021,109.5,,,,,,,,,registration",
                      "5.2a,VN,2014,90,,f,,,,,,,", "5.2a,VN,2014,88,,m,,,,,,,"])
    frame = load_observations([path], plan=plan, places=places)
    assert len(frame) == 4


def test_every_error_of_a_file_is_reported_at_once(write_obs, plan, places):
    path = write_obs(["2.1,QT,2020,50,,,,,,,,,", "9.9,QT,2020,50,,,,,,,,,", "2.1,XX,2021,50,,,,,,,,,",
                      "2.1,QT,2022,500,,,,,,,,,", "2.1,QT,2023,50,,,,,,,,,"])
    with pytest.raises(ObservationError) as err:
        load_observations([path], plan=plan, places=places)
    lines = sorted(i.line for i in err.value.issues)
    assert lines == [3, 4, 5]
    assert "3 error(s)" in str(err.value)


def test_valid_rows_are_kept_when_others_fail(write_obs, plan, places):
    path = write_obs(["2.1,QT,2020,50,,,,,,,,,", "2.1,QT,2021,500,,,,,,,,,", "2.1,QT,2022,52,,,,,,,,,"])
    frame, issues = check_observations([path], plan=plan, places=places)
    assert frame["year"].tolist() == [2020, 2022]
    assert len(issues) == 1


def test_header_problems(write_obs, plan, places):
    path = write_obs(["QT,2020,50"], header="place,year,value\n")
    (e,) = _errors(path, plan, places)
    assert e.line == 1 and e.column == "indicator" and "missing" in e.rule
    path = write_obs(["2.1,QT,2020,50,x"], header="indicator,place,year,value,colour\n", name="b.csv")
    (e,) = _errors(path, plan, places)
    assert e.column == "colour" and "unknown column" in e.rule


def test_ragged_row_and_missing_file(write_obs, plan, places, tmp_path):
    path = write_obs(["2.1,QT,2020"], header="indicator,place,year,value\n")
    (e,) = _errors(path, plan, places)
    assert e.line == 2 and "3 fields" in e.rule
    (e,) = _errors(tmp_path / "nope.csv", plan, places)
    assert e.rule == "file not found"


def test_unknown_indicator_with_a_unit_is_allowed_when_asked(write_obs, plan, places):
    path = write_obs(["SL.EMP,QT,2020,50,,,,,percent,,,,", "SL.X,QT,2020,50,,,,,,,,,"])
    frame, issues = check_observations([path], plan=plan, places=places, allow_unknown_indicators=True)
    assert frame["indicator"].tolist() == ["SL.EMP"]
    assert "give its unit" in issues[0].rule


def test_old_province_territory_continues_after_2025(write_obs, plan, places):
    path = write_obs(["3.5a,QT,2026,110,,,,,,,,,"])
    assert _errors(path, plan, places) == []


def test_an_official_value_supersedes_an_illustrative_one(write_obs, plan, places):
    old = write_obs(["4.2,QT,2024,55.0,,,,,,,illustrative,,"], name="illustrative.csv")
    new = write_obs(["4.2,QT,2024,41.7,,,5,12000,,Sở Y tế,official,,"], name="reported.csv")
    for files in ([old, new], [new, old]):
        frame, issues = check_observations(files, plan=plan, places=places)
        assert frame["value"].tolist() == [41.7] and frame["status"].tolist() == ["official"]
        (w,) = issues
        assert w.severity == "warning" and "superseded by the official value" in w.rule


def test_ambiguous_thousands_comma_is_refused(write_obs, plan, places):
    path = write_obs(["4.2,QT,2020,\"1,050\",,,,,,,,,"])
    (e,) = [i for i in check_observations([path], plan=plan, places=places)[1] if i.severity == "error"]
    assert e.column == "value" and "ambiguous number" in e.rule


def test_a_data_file_with_a_wrong_header_is_reported_not_skipped(tmp_path, plan, places):
    from gender_monitor.data.observations import default_observation_files

    (tmp_path / "national").mkdir()
    (tmp_path / "national" / "odd.csv").write_text("indicator;place;year;value\n2.1;QT;2020;40\n", encoding="utf-8")
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "places.csv").write_text("code\nQT\n", encoding="utf-8")
    files = default_observation_files(tmp_path)
    assert files == [tmp_path / "national" / "odd.csv"]
    _, issues = check_observations(files, plan=plan, places=places)
    assert issues and issues[0].line == 1


def test_a_rebased_row_may_give_a_year_before_the_place_existed(write_obs, plan, places):
    # The merged province's 2024 figure re-tabulated on its boundaries is history, labelled -rebased;
    # the same row without the label is a report for a year in which QT25 did not exist.
    path = write_obs(["2.3,QT25,2024,26.5,,,,,,,,,-rebased", "2.3,QT25,2024,26.5,,,,,,,,,"])
    errors = _errors(path, plan, places)
    assert [(e.line, e.column) for e in errors] == [(3, "year")]
    assert "-rebased" in errors[0].rule


def test_a_commune_sex_ratio_from_75_births_is_kept_with_a_warning(write_obs, plan, places):
    # 35 boys and 40 girls: 100 × 35 / 40 = 87.5, below the 90–130 band, from 75 births (< 2,000).
    path = write_obs(["4.1,QT25-001,2025,87.5,,,35,40,,,,,"])
    frame, issues = check_observations([path], plan=plan, places=places)
    assert frame["value"].tolist() == [87.5]
    assert [i.severity for i in issues] == ["warning"]
    assert "75 births" in issues[0].rule


def test_the_band_still_refuses_a_province_value_from_many_births(write_obs, plan, places):
    # 16,000 boys and 8,000 girls: 200, from 24,000 births: no chance explains it.
    path = write_obs(["4.1,QT25,2025,200,,,16000,8000,,,,,"])
    errors = _errors(path, plan, places)
    assert len(errors) == 1 and "plausible band 90–130" in errors[0].rule


def test_a_series_with_real_values_of_its_own_leaves_its_illustrative_ones_out(write_obs, plan, places):
    # 3.5a at QT-HH: two real years (press) and invented ones between; 3.5a at QT-DK: one real year only, and
    # still no invented neighbours (a trend through them would pass for one of real data); 2.1 at QT: invented
    # only, kept.
    rows = ["3.5a,QT-HH,2016,68,,,,,count,press,official,,", "3.5a,QT-HH,2021,122,,,,,count,press,official,,",
            *[f"3.5a,QT-HH,{y},70,,,,,count,made up,illustrative,," for y in (2017, 2018, 2022)],
            "3.5a,QT-DK,2016,11,,,,,count,press,preliminary,,",
            *[f"3.5a,QT-DK,{y},40,,,,,count,made up,illustrative,," for y in (2017, 2018)],
            *[f"2.1,QT,{y},45,,,,,percent,made up,illustrative,," for y in (2020, 2021)]]
    frame, issues = check_observations([write_obs(rows)], plan=plan, places=places)
    kept = {(p, int(y), s) for p, y, s in zip(frame["place"], frame["year"], frame["status"])}
    assert {k for k in kept if k[0] == "QT-HH"} == {("QT-HH", 2016, "official"), ("QT-HH", 2021, "official")}
    assert {k for k in kept if k[0] == "QT-DK"} == {("QT-DK", 2016, "preliminary")}
    assert len([k for k in kept if k[0] == "QT"]) == 2
    (said,) = [i for i in issues if "left out" in i.rule and "QT-HH" in i.rule]
    assert said.severity == "warning" and said.line == 4  # the first invented value of the series
    assert "3 illustrative value(s) of 3.5a at QT-HH" in said.rule and "2 real value(s) (2016, 2021)" in said.rule
    assert "không ghép số liệu minh họa với số liệu thật" in said.rule_vi
