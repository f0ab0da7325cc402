"""Targets given in a file: any indicator, any place, the plan's statuses and p_meet."""

from __future__ import annotations

import math

import pandas as pd
import pytest
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


def test_every_broken_rule_of_the_file_is_named(tmp_path, plan):
    with pytest.raises(TargetsError) as err:
        targets(tmp_path, "5.3,QT,2030,=>,40,\nX,QT,20x0,>=,1,percent\nX,,2030,>=,abc,furlongs\n"
                          "5.3,QT,2030,>=,40,count\n", plan)
    text = str(err.value)
    for piece in (":2 [comparator]", ":3 [target_year]", ":4 [place]", ":4 [value]", ":4 [unit]",
                  ":5 [unit]", "unit does not match the plan's unit for 5.3 (percent)"):
        assert piece in text


def test_the_assess_command_judges_a_targets_file(tmp_path, capsys):
    from gender_monitor.cli.main import main

    path = tmp_path / "obs.csv"
    path.write_text(HEADER + "".join(f"D.1,QT-HH,{y},{20 + y - 2018},percent\n" for y in range(2018, 2025)),
                    encoding="utf-8")
    tpath = tmp_path / "t.csv"
    tpath.write_text("indicator,place,target_year,comparator,value\nD.1,QT-HH,2030,>=,60\n", encoding="utf-8")
    out = tmp_path / "judged.csv"
    assert main(["assess", "--observations", str(path), "--targets", str(tpath), "--out", str(out)]) == 0
    got = pd.read_csv(out)
    assert got.loc[0, "status"] in ("unlikely", "too_close") and 0 < got.loc[0, "p_meet"] < 0.5
    assert "1 target-year rows written" in capsys.readouterr().err
