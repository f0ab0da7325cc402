"""The plan registry against the plan's own text, and the registry's schema errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from gender_monitor.core import paths
from gender_monitor.core.exceptions import PlanError
from gender_monitor.plan.registry import load_plan, parse_plan

# Written from the plan text (section II.2 for the targets, section IV for who leads), not from the YAML.
# code: (unit, kind, direction, {year: (comparator, value)}, lead agency)
EXPECTED = {
    "1.1": ("percent", "level", "higher", {2025: (">=", 60), 2030: (">=", 75)}, "SNV"),
    "2.1": ("percent", "level", "higher", {2025: (">=", 40), 2030: ("~", 45)}, "SLDTBXH"),
    "2.2": ("percent", "level", "lower", {2025: ("<", 42), 2030: ("<", 37)}, "SLDTBXH"),
    "2.3": ("percent", "level", "higher", {2025: (">=", 27), 2030: (">=", 30)}, "CTK"),
    "3.1": ("ratio", "level", "lower", {2025: ("<=", 1.7), 2030: ("<=", 1.4)}, "CTK"),
    "3.2a": ("percent", "level", "higher", {2025: (">=", 80), 2030: (">=", 90)}, "SLDTBXH"),
    "3.2b": ("percent", "level", "higher", {2025: (">=", 50), 2030: (">=", 70)}, "SLDTBXH"),
    "3.3": ("percent", "maintain", "higher", {2025: ("=", 100), 2030: ("=", 100)}, "SLDTBXH"),
    "3.4": ("percent", "level", "higher", {2025: (">=", 70), 2030: (">=", 100)}, "SLDTBXH"),
    "3.5a": ("count", "rate_of_decline", "lower", {2030: (">=", 2)}, "BDT"),
    "3.5b": ("count", "direction", "lower", {2030: (None, None)}, "BDT"),
    "4.1": ("per_100", "level", "lower", {2025: ("<=", 111), 2030: ("<=", 109)}, "SYT"),
    "4.2": ("per_100000", "level", "lower", {2025: ("<=", 42), 2030: ("<", 42)}, "SYT"),
    "4.3": ("per_1000", "level", "lower", {2025: ("<=", 18), 2030: ("<", 18)}, "SYT"),
    "4.4": ("count", "milestone", "higher", {2030: (">=", 1)}, "SYT"),
    "5.1": ("yes_no", "milestone", "higher", {2025: ("=", 1), 2030: ("=", 1)}, "SGDDT"),
    "5.2a": ("percent", "level", "higher", {2025: (">", 90), 2030: ("~", 99)}, "SGDDT"),
    "5.2b": ("percent", "level", "higher", {2025: ("~", 85), 2030: (">=", 90)}, "SGDDT"),
    "5.3": ("percent", "level", "higher", {2025: (">", 30), 2030: (">=", 40)}, "SLDTBXH"),
    "5.4a": ("percent", "level", "higher", {2025: (">=", 45), 2030: (">=", 50)}, "CTK"),
    "5.4b": ("percent", "level", "higher", {2025: (">=", 25), 2030: (">=", 30)}, "CTK"),
    "6.1": ("percent", "level", "higher", {2025: (">=", 60), 2030: (">=", 80)}, "SLDTBXH"),
    "6.2": ("percent", "maintain", "higher", {2025: ("=", 100), 2030: ("=", 100)}, "SLDTBXH"),
    "6.3": ("percent", "maintain", "higher", {2025: ("=", 100), 2030: ("=", 100)}, "STTTT"),
    "6.4": ("percent", "maintain", "higher", {2025: ("=", 100), 2030: ("=", 100)}, "STTTT"),
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def test_the_plan_has_exactly_its_25_targets_in_order(plan):
    assert plan.codes == list(EXPECTED)
    assert [o.number for o in plan.objectives] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("code", list(EXPECTED))
def test_every_target_matches_the_plan_text(plan, code):
    unit, kind, direction, years, lead = EXPECTED[code]
    t = plan.target(code)
    assert (t.unit, t.kind, t.direction, t.lead_agency) == (unit, kind, direction, lead)
    assert {tv.year: (tv.comparator, tv.value) for tv in t.targets} == years


def test_special_cases_from_the_text(plan):
    assert plan.target("4.3").baseline.value == 23
    assert plan.target("3.5a").targets[0].upper == 3  # "từ 2% đến 3% hằng năm"
    assert plan.target("3.5a").from_year == 2025
    assert plan.target("3.3").from_year == 2025 and plan.target("6.3").from_year == 2025
    assert plan.target("3.2a").co_agencies == ["SVHTTDL"]
    assert plan.target("3.3").co_agencies == ["CA"]
    assert plan.target("2.1").national_target.targets[0].value == 50
    assert plan.target("6.3").derived_from == "6.3.news"
    assert {"3.2a", "3.2b", "3.3", "3.5a", "3.5b"} <= plan.sensitive_codes()


def test_vietnamese_names_are_verbatim_from_the_plan_text(plan):
    text = _norm((paths.data_dir() / "plan" / "ke-hoach-binh-dang-gioi-quang-tri-2021-2030.txt")
                 .read_text(encoding="utf-8"))
    for t in plan.targets:
        assert _norm(t.name_vi) in text, t.code
        assert _norm(t.text_vi) in text, t.code
        # The target values appear in the sentence they come from.
        for tv in t.targets:
            if tv.value is not None and t.unit != "yes_no":
                written = "ít nhất một" if (t.code, tv.value) == ("4.4", 1) else f"{tv.value:g}".replace(".", ",")
                assert written in t.text_vi, (t.code, tv.value)
    for o in plan.objectives:
        assert _norm(o.title_vi) in text


def test_comparators_judge_values(plan):
    t = plan.target("2.2")  # < 42
    assert t.target_for(2025).met_by(41.9, t.direction)
    assert not t.target_for(2025).met_by(42.0, t.direction)
    t = plan.target("2.1")  # ≈45 in 2030, within 1 point or above
    assert t.target_for(2030).met_by(44.2, "higher") and not t.target_for(2030).met_by(43.9, "higher")
    assert plan.target("5.2a").target_for(2025).met_by(90.1, "higher")
    assert not plan.target("5.2a").target_for(2025).met_by(90.0, "higher")


def _raw():
    return yaml.safe_load(paths.plan_file().read_text(encoding="utf-8"))


def test_schema_error_names_file_key_path_and_rule(tmp_path):
    raw = _raw()
    raw["targets"][4]["unit"] = "hours"
    raw["targets"][0]["targets"][1]["comparator"] = "=>"
    del raw["targets"][11]["lead_agency"]
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PlanError) as err:
        load_plan(path)
    issues = {i.column: i for i in err.value.issues}
    assert "targets[4] (code 3.1).unit" in issues
    assert issues["targets[4] (code 3.1).unit"].value == "hours"
    assert "targets[0] (code 1.1).targets[1].comparator" in issues
    assert "targets[11] (code 4.1).lead_agency" in issues
    assert "Field required" in issues["targets[11] (code 4.1).lead_agency"].rule
    assert all(i.file == str(path) for i in err.value.issues)
    assert str(path) in str(err.value)


def test_schema_rejects_unknown_keys_and_inconsistent_targets():
    raw = _raw()
    raw["targets"][0]["colour"] = "red"
    raw["targets"][1]["targets"][1].pop("tolerance")  # "~" without tolerance
    raw["targets"][2]["code"] = "3.9"  # objective 2 target with an objective-3 code
    with pytest.raises(PlanError) as err:
        parse_plan(raw, source="x.yaml")
    text = str(err.value)
    assert "targets[0] (code 1.1).colour" in text and "Extra inputs are not permitted" in text
    assert "needs a tolerance" in text
    assert "does not belong to objective 2" in text
    # Each rule in Vietnamese first: the plan's own rules and pydantic's.
    assert "[targets[0] (code 1.1).colour]: khóa này không có trong mẫu / Extra inputs are not permitted" in text
    assert "mục tiêu gần đúng ('~') cần ghi sai số cho phép (tolerance) / an approximate target" in text
    assert "mã '3.9' không thuộc mục tiêu 2 / code '3.9' does not belong to objective 2" in text


def test_unknown_agency_is_an_error(tmp_path):
    with pytest.raises(PlanError) as err:
        load_plan(agencies={"SNV"})
    assert "unknown agency code" in str(err.value)
    assert "targets[1] (code 2.1).lead_agency" in str(err.value)


def test_bad_yaml_names_the_line(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("plan:\n  id: x\n targets: [\n", encoding="utf-8")
    with pytest.raises(PlanError) as err:
        load_plan(path)
    assert err.value.issues[0].line is not None


def test_plan_command_csv_has_one_row_per_target_and_year():
    out = subprocess.run([sys.executable, "-m", "gender_monitor", "plan", "--format", "csv"],
                         capture_output=True, text=True, check=True).stdout
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(out)))
    for col in ["code", "objective", "name_vi", "name_en", "unit", "kind", "direction", "target_year",
                "comparator", "target_value", "lead_agency"]:
        assert col in rows[0]
    expected_rows = sum(len(v[3]) for v in EXPECTED.values())
    assert len(rows) == expected_rows
    r = next(r for r in rows if r["code"] == "4.1" and r["target_year"] == "2030")
    assert (r["comparator"], float(r["target_value"]), r["lead_agency"]) == ("≤", 109.0, "SYT")
    assert next(r for r in rows if r["code"] == "4.3")["name_vi"] == "Tỷ suất sinh ở vị thành niên"


def test_plan_command_table_lists_every_code():
    out = subprocess.run([sys.executable, "-m", "gender_monitor", "plan"], capture_output=True, text=True,
                         check=True).stdout
    for code in EXPECTED:
        assert re.search(rf"^{re.escape(code)}\s", out, re.M), code
    assert "25 chỉ tiêu" in out


def test_unknown_agency_of_an_input_is_an_error(tmp_path):
    raw = _raw()
    raw["inputs"][0]["lead_agency"] = "NOPE"
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    from gender_monitor.plan.reference import load_agencies

    with pytest.raises(PlanError) as err:
        load_plan(path, agencies=load_agencies().codes)
    (issue,) = err.value.issues
    assert (issue.column, issue.value) == ("inputs[0] (code 6.3.news).lead_agency", "NOPE")


def test_the_place_the_plan_covers_in_time(plan):
    import datetime as dt

    # Old Quảng Trị until 30 June 2025, the merged province from 1 July 2025; a year's report (due
    # 25 November) is about the province of that day.
    info = plan.plan
    assert info.place_on(dt.date(2025, 6, 30)) == "QT" and info.place_on(dt.date(2025, 7, 1)) == "QT25"
    assert [info.place_for(y) for y in (2021, 2024, 2025, 2030)] == ["QT", "QT", "QT25", "QT25"]
    assert all(c.reason_vi and c.reason_en for c in info.coverage)


def test_coverage_spans_must_meet_without_a_gap():
    raw = _raw()
    raw["plan"]["coverage"][1]["valid_from"] = "2025-08-01"
    with pytest.raises(PlanError, match="must start on the day"):
        parse_plan(raw, source="x.yaml")
