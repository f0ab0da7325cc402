"""The reports of the plan's cycle: the yearly report of 2026, the final review of 2030, the editable files.

The fixture is a handful of hand-written values of the merged province (QT25). Expected values are worked
out by hand: 1.1 went 40 → 44 → 47 (2026 reported by the agency before 25 November, so an estimate), so
its change over 2026 is +3 points and its 2025 outcome (44 against ≥60) is "not met"; 2.1 rose by one point
a year to 45 in 2025, so its 2026 value is the projection (about 46) with an interval; the Department of
Home Affairs (SNV, holding 1.1 and 2.1 in 2026) sent no return, so on 3 December it is 8 days past 25
November; Health (SYT) sent its return, stored on 27 November (2 days late), with two accepted rows and
one quarantined cell.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil

import docx
import openpyxl
import pandas as pd
import pytest
from gender_monitor.cli.main import main
from gender_monitor.collect import returns
from gender_monitor.core import i18n, paths
from gender_monitor.core.exceptions import ParameterError
from gender_monitor.data.observations import load_observations
from gender_monitor.forecast.projection import project
from gender_monitor.judge import messages
from gender_monitor.judge import report as rep
from gender_monitor.judge.assessment import assess
from gender_monitor.plan.kinds import load_report_kinds
from gender_monitor.plan.reference import load_agencies
from gender_monitor.publish import office
from gender_monitor.review.parameters import load_review_parameters, validate_review_parameters

#: Values of the merged province before it existed are re-based on its territory: one series throughout.
ROWS_2026 = [
    "1.1,QT25,2024,40,,,,,percent,fixture,official,,admin-rebased",
    "1.1,QT25,2025,44,,,,,percent,fixture,official,,admin-rebased",
    "1.1,QT25,2026,47,,,,,percent,fixture,preliminary,partial year,admin-rebased",
    *[f"2.1,QT25,{y},{v},,,,,percent,fixture,official,,survey-rebased"
      for y, v in zip(range(2021, 2026), (41, 42, 43, 44, 45))],
    "4.1,QT25,2024,113,,,,,per_100,fixture,official,,registration-rebased",
    "4.1,QT25,2025,112,,,,,per_100,fixture,official,,registration-rebased",
]
NO_ZERO = re.compile(r"(?<![\d,.])0 (chỉ tiêu|target)")


def _state(write_obs, plan, places, rows, as_of):
    obs = load_observations([write_obs(rows)], plan=plan, places=places)
    obs = obs[obs["year"] <= as_of].reset_index(drop=True)
    forecasts = project(obs, until=plan.plan.end_year, units=plan.units()).forecasts
    assessment = assess(obs, plan=plan, places=places, place="QT25", as_of=as_of,
                        today=dt.date(as_of, 12, 3))
    return obs.assign(suppressed=""), forecasts, assessment


def _annex(write_obs, plan, places, rows, as_of):
    """The annex of ``as_of`` at QT25 for ``rows``, with the state it was built from."""
    obs, forecasts, assessment = _state(write_obs, plan, places, rows, as_of)
    annex = rep.annex(plan, year=as_of, place="QT25", shown=obs, forecasts=forecasts, assessment=assessment)
    return obs, forecasts, assessment, annex


@pytest.fixture
def year_2026(write_obs, plan, places):
    return _annex(write_obs, plan, places, ROWS_2026, 2026)


def test_the_report_kinds_name_their_years_and_titles(plan):
    kinds = load_report_kinds()
    assert set(kinds) == {"annual", "midterm", "final"}
    assert kinds["annual"].allowed_years(plan.plan) == tuple(range(2021, 2031))
    assert kinds["midterm"].allowed_years(plan.plan) == (2025,)
    assert kinds["final"].allowed_years(plan.plan) == (2030,)
    assert set(kinds["final"].editable) == {"direction", "difficulties", "tasks", "proposals"}
    title = i18n.t("report.kinds.annual.title", "vi", year=2026, start=2021, mid=2025, end=2030)
    assert title == "Báo cáo kết quả thực hiện Kế hoạch bình đẳng giới tỉnh Quảng Trị năm 2026"
    assert i18n.t("report.kinds.final.title", "vi", year=2030, start=2021, mid=2025, end=2030).startswith(
        "Tổng kết thực hiện Kế hoạch")
    assert "Final review" in i18n.t("report.kinds.final.title", "en", year=2030, start=2021, mid=2025, end=2030)


def test_a_report_kinds_file_with_mistakes_names_each_in_both_languages(tmp_path):
    from gender_monitor.core.exceptions import ParameterError

    file = tmp_path / "report_kinds.yaml"
    file.write_text("kinds:\n  yearly: {}\n  annual:\n    years: every\n    notebook: ''\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        load_report_kinds(file)
    said = {i.column: (i.rule_vi, i.rule) for i in err.value.issues}
    assert said["kinds.yearly"] == ("phải là một trong các giá trị: annual, midterm, final",
                                    "must be one of: annual, midterm, final")
    assert said["kinds.annual.years"][0] == "phải là một trong các giá trị: 'plan', 'midterm' hoặc 'end'"
    assert said["kinds.annual.notebook"][0] == "không được để trống"
    assert said["kinds.annual.sections"][0] == "thiếu khóa bắt buộc"
    file.write_text("- annual\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        load_report_kinds(file)
    assert err.value.issues[0].rule_vi == "mục kinds phải gồm các dòng “tên loại báo cáo: nội dung”"


def test_annex_rows_of_the_2026_report(year_2026, plan):
    _, _, _, annex = year_2026
    assert list(annex["code"]) == list(plan.codes)  # one row per target, in the plan's order
    one = annex.set_index("code").loc["1.1"]
    assert (one["value_prev"], one["value_now"], one["value_now_source"]) == (44.0, 47.0, "reported")
    assert one["change"] == pytest.approx(3.0)
    assert (one["outcome_mid"], one["outcome_mid_judged"]) == ("not_met", "data")  # 44 against ≥60
    assert (one["target_mid"], one["target_end"]) == (60, 75)
    two = annex.set_index("code").loc["2.1"]
    assert two["value_now_source"] == "projection"
    assert two["value_now"] == pytest.approx(46, abs=0.6)  # one point a year from 45
    assert two["value_now_lo"] < two["value_now"] < two["value_now_hi"]
    assert pd.isna(two["change"])  # a projection is not a change that happened
    assert annex.set_index("code").loc["5.1", "value_now_source"] == "none"
    assert rep.valued(annex) == 3  # 1.1 reported, 2.1 and 4.1 projected
    # The summary says which of them are figures sent and which projections; a group with none is not said.
    assert rep.valued_sentence(annex, total=25, year=2026) == (
        "3/25 chỉ tiêu có giá trị năm 2026: 1 theo số liệu hiện có, 2 ước tính theo dự báo.")
    only = annex.assign(value_now_source=annex["value_now_source"].replace("reported", "projection"))
    assert rep.valued_sentence(only, total=25, year=2026, language="en") == (
        "3 of 25 targets have a value for 2026: 3 estimated from the projection.")
    # A value reported but not published (3.3: 3 of 3 victims) is a value of the year: counted and said so,
    # not left out of "có giá trị" as if nothing had been reported.
    hidden = annex.copy()
    hidden.loc[hidden["code"] == "5.1", "value_now_source"] = "hidden"
    assert rep.valued_sentence(hidden, total=25, year=2026) == (
        "4/25 chỉ tiêu có giá trị năm 2026: 1 theo số liệu hiện có, 1 có số liệu nhưng không công bố (để bảo mật), "
        "2 ước tính theo dự báo.")


def test_the_estimate_of_the_year_is_labelled_as_such(year_2026, plan):
    _, _, _, annex = year_2026
    table = rep.annex_table(annex, plan, year=2026, language="vi").set_index("Mã")
    assert "Ước thực hiện năm 2026" in table.columns and "Thực hiện năm 2025" in table.columns
    # 1.1's 2026 value was sent as preliminary: said so beside it, in each language.
    assert table.loc["1.1", "Ước thực hiện năm 2026"] == "47,0% (số liệu sơ bộ)"
    english = rep.annex_table(annex, plan, year=2026, language="en").set_index("Code")
    assert "47.0% (preliminary value)" in english.loc["1.1"].tolist()
    assert table.loc["2.1", "Ước thực hiện năm 2026"].startswith("46")
    assert "(theo dự báo; khoảng dự báo 80%: " in table.loc["2.1", "Ước thực hiện năm 2026"]
    assert table.loc["1.1", "Thay đổi trong năm"] == "+3,0 điểm phần trăm"
    # A count's unit is what it counts, where the plan says (not the generic "số lượng").
    assert table.loc[["3.5a", "3.5b", "4.4", "1.1", "4.1"], "Đơn vị tính"].tolist() == [
        "cuộc", "cuộc", "cơ sở", "%", "bé trai/100 bé gái"]
    # "‰" alone does not say of whom: 4.3's unit as the plan words it (ca sinh/1.000 phụ nữ).
    assert table.loc["4.3", "Đơn vị tính"] == "‰ (số ca sinh/1.000 phụ nữ 15–19 tuổi)"
    english = rep.annex_table(annex, plan, year=2026, language="en").set_index("Code")
    assert english.loc["4.4", "Unit"] == "facilities"
    assert table.loc["1.1", "Kết quả năm 2025"] == "Không đạt"
    assert table.loc["1.1", "Thực hiện năm 2025"] == "44,0%"
    # No column for a year without targets: 2026 has none; the outcome of 2025 only once 2025 has passed.
    assert not any("2026" in c for c in table.columns if c.startswith("Mục tiêu"))
    before = rep.annex_table(annex, plan, year=2024, language="vi")
    assert "Kết quả năm 2025" not in before.columns and "Mức cần đạt năm 2025" in before.columns
    english = rep.annex_table(annex, plan, year=2026, language="en").set_index("Code")
    estimate = english.loc["2.1", "Estimate 2026"]
    assert estimate.startswith("46") and "projected; 80% prediction interval:" in estimate
    # 2.1's latest value meets its 2030 level four years early: a level to keep, not "đạt" in 2030 yet.
    outlook = "Khả năng đạt mục tiêu năm 2030 (xác suất)"
    assert annex.set_index("code").loc["2.1", ["outlook", "outlook_judged"]].tolist() == ["met", "latest"]
    assert table.loc["2.1", outlook] == "đã đạt mức mục tiêu, cần duy trì"
    # Beyond the target's band on the latest value (exceeded) is a level to keep as well, not an outcome.
    beyond = annex.assign(outlook=annex["outlook"].mask(annex["code"] == "2.1", "exceeded"))
    beyond_table = rep.annex_table(beyond, plan, year=2026, language="vi").set_index("Mã")
    assert beyond_table.loc["2.1", outlook] == "đã đạt mức mục tiêu, cần duy trì"
    final = rep.annex_table(annex, plan, year=2030, language="vi").set_index("Mã")
    # In 2030 it is the outcome, read off the latest value (2025), as the final table says it.
    assert final.loc["2.1", "Đánh giá năm 2030 (xác suất đạt)"] == "đạt (theo số liệu năm 2025)"


def test_an_outcome_within_chance_variation_shows_its_value_and_interval(write_obs, plan, places):
    # 6.1 in 2025 (a sample survey): 14 of 20 respondents (70%) against "at least 60%". From twenty, the
    # 95% interval (Wilson) runs from about 48% to 85%, which straddles 60: the outcome is uncertain, and
    # the annex must say 70% and the interval, not just "close to the target" beside a value above it.
    # 3.4 (5 of the 6 public facilities, a complete count) is the outcome itself: exceeded, no interval.
    rows = [*ROWS_2026, "6.1,QT25,2024,65,,,13,20,percent,fixture,official,,survey-rebased",
            "6.1,QT25,2025,70,,,14,20,percent,fixture,official,,survey-rebased",
            "3.4,QT25,2024,80,,,4,5,percent,fixture,official,,admin-rebased",
            "3.4,QT25,2025,83.333,,,5,6,percent,fixture,official,,admin-rebased"]
    annex = _annex(write_obs, plan, places, rows, 2026)[3]
    row = annex.set_index("code").loc["6.1"]
    assert (row["outcome_mid"], row["outcome_mid_judged"]) == ("too_close", "data")
    assert row["outcome_mid_lo"] < 60 < row["outcome_mid_hi"] and row["outcome_mid_value"] == pytest.approx(70)
    table = rep.annex_table(annex, plan, year=2026, language="vi").set_index("Mã")
    vi = table.loc["6.1", "Kết quả năm 2025"]
    assert vi.startswith("Chưa chắc chắn: 70,0%, nhưng mức mục tiêu vẫn nằm trong khoảng tin cậy 95% (")
    assert "nhưng mức mục tiêu vẫn nằm trong khoảng tin cậy 95% (" in vi and vi.endswith(")")
    # No interval known (the final review's table): the same word as in the yearly reports and sentences.
    assert rep.outcome_text("too_close", "data", "vi") == (
        "Chưa chắc chắn: mức mục tiêu vẫn nằm trong khoảng tin cậy 95% của số liệu")
    facilities = annex.set_index("code").loc["3.4"]
    assert facilities["outcome_mid"] == "exceeded" and pd.isna(facilities["outcome_mid_lo"])
    assert table.loc["3.4", "Kết quả năm 2025"] == "Vượt"


def test_a_2025_outcome_reads_as_the_objective_briefs_say_it_once_2025_is_reached(plan):
    # A 2025 target judged without a 2025 value, in a report of 2025 or later: what most likely happened
    # ("nhiều khả năng đạt"), as the objective briefs and the final review say it, not an outlook ("có khả năng").
    assert rep.outcome_text("likely", "projection", "vi") == "Chưa có số liệu; theo dự báo: nhiều khả năng đạt"
    assert rep.outcome_text("unlikely", "projection", "en").endswith("most likely not met")
    # A milestone not done by its latest value is not done yet ("chưa đạt"): its outcome is not known.
    assert rep.outcome_text("not_met", "latest", "vi").endswith(": chưa đạt")
    # The table of changes says each report's status in that report's words: a 2025 target missed is "không đạt"
    # in the reports of 2025 and 2026; a 2030 target in the report of 2026 is still an outlook ("khó đạt").
    changes = pd.DataFrame([{"code": "2.3", "target_year": 2025, "old": "too_close", "new": "not_met",
                             "direction": "worse", "old_judged": "projection", "new_judged": "data"},
                            {"code": "2.3", "target_year": 2030, "old": "likely", "new": "unlikely",
                             "direction": "worse", "old_judged": "projection", "new_judged": "projection"},
                            {"code": "6.1", "target_year": 2025, "old": "too_close", "new": "likely",
                             "direction": "better", "old_judged": "projection", "new_judged": "projection"}])
    shown = rep.changes_table(changes, plan, year=2026)
    new, old = "Đánh giá tại báo cáo năm 2026", "Đánh giá tại báo cáo năm 2025"
    assert shown[new].tolist() == ["không đạt", "khó đạt", "nhiều khả năng đạt"]
    assert shown[old].tolist() == ["chưa chắc chắn", "có khả năng đạt", "chưa chắc chắn"]
    # Seen from the report of 2025, its own year is reached too: "nhiều khả năng đạt" in its column.
    assert rep.changes_table(changes, plan, year=2025)[new.replace("2026", "2025")].tolist()[2] == "nhiều khả năng đạt"
    # The targets due in the report's year are counted in the same words.
    due = pd.DataFrame([{"code": "2.3", "target_year": 2025, "status": "not_met"},
                        {"code": "6.1", "target_year": 2025, "status": "likely"}])
    assert rep.due_sentence(plan, due, year=2025) == (
        "Năm 2025 có 2 chỉ tiêu đến hạn: 1 chỉ tiêu nhiều khả năng đạt (6.1); "
        "1 chỉ tiêu không đạt hoặc nhiều khả năng không đạt (2.3).")


def test_the_annex_and_the_decisions_explain_a_pace_enough_beside_an_unlikely_outlook(year_2026, plan):
    # The caveat lives in pace_text; the annex column and the decision line must hand it the outlook.
    _, _, _, annex = year_2026
    annex = annex.copy()
    row = annex.index[annex["code"] == "1.1"][0]
    annex.loc[row, ["pace_needed", "pace_observed", "outlook", "outlook_p"]] = [2.0, 5.0, "unlikely", 0.05]
    table = rep.annex_table(annex, plan, year=2026, language="vi").set_index("Mã")
    pace = next(c for c in table.columns if c.startswith("Mức thay đổi bình quân"))
    assert "nếu duy trì tốc độ này thì đạt" in table.loc["1.1", pace]
    lines = rep.key_messages(annex, pd.DataFrame(columns=["code", "direction"]), plan, year=2026, language="vi")
    assert any(line.startswith("1.1") or "1.1 " in line for line in lines if "nếu duy trì" in line)


def test_sentences_never_count_zero(year_2026, plan):
    _, _, assessment, annex = year_2026
    changes = rep.status_changes(assessment, assessment)
    assert changes.empty
    text = [rep.due_sentence(plan, assessment, year=2026), rep.midterm_sentence(annex, plan),
            rep.outlook_sentence(annex, plan),
            *rep.key_messages(annex, changes, plan, year=2026, missing_agencies=["Sở Nội vụ"])]
    for line in text:
        assert not NO_ZERO.search(line), line
    assert text[0] == ("Năm 2026 không phải năm mốc của chỉ tiêu nào (các năm mốc là 2025 và 2030); báo cáo nêu "
                       "kết quả thực hiện các chỉ tiêu năm 2025 và khả năng đạt mục tiêu năm 2030.")
    assert "1 chỉ tiêu đạt hoặc vượt (2.1); 2 chỉ tiêu không đạt (1.1, 4.1); " in text[1]  # 45 ≥40; 44 <60, 112 >111
    assert "chưa có hoặc chưa đủ số liệu (2.2, 2.3," in text[1]
    # The groups add up to the plan's 25: the three targets with nothing set for 2025 are named too.
    assert text[1].endswith("; 3 chỉ tiêu không có mức cần đạt năm 2025 (3.5a, 3.5b, 4.4).")
    counted = sum(int(n) for n in re.findall(r"(?:^|; |: )(\d+) chỉ tiêu", text[1]))
    assert counted == len(plan.targets)
    # 2.1 meets its 2030 level in 2026: a level reached, to be kept, not a 2030 target met four years early.
    assert "1 chỉ tiêu đã đạt mức mục tiêu, cần duy trì đến năm 2030 (2.1)" in text[2]
    assert "đạt hoặc vượt" not in text[2]
    # Before 2025 no target has fallen due yet: no outcome to give, only the outlook to 2025 and 2030.
    assert rep.due_sentence(plan, assessment, year=2024) == (
        "Năm 2024 không phải năm mốc của chỉ tiêu nào (các năm mốc là 2025 và 2030); báo cáo nêu khả năng đạt mục "
        "tiêu năm 2025 và năm 2030.")
    # In 2025 targets fall due: the count of those due, and only the groups that have targets.
    due_2025 = rep.due_sentence(plan, assessment, year=2025)
    assert due_2025.startswith(f"Năm 2025 có {int((assessment['target_year'] == 2025).sum())} chỉ tiêu đến hạn:")
    assert not NO_ZERO.search(due_2025)
    assert "Cần đôn đốc: 1 cơ quan chưa gửi báo cáo năm 2026 (Sở Nội vụ)." in text
    # Before the day returns are due (a report rehearsed early) they are named, not yet to be chased.
    early = rep.key_messages(annex, changes, plan, year=2026, missing_agencies=["Sở Y tế"], due=dt.date(2026, 11, 25))
    assert early[-1] == "1 cơ quan chưa gửi báo cáo năm 2026, chưa đến hạn (25/11/2026): Sở Y tế."
    # In English one agency is one, not "1 agencies".
    english = rep.key_messages(annex, changes, plan, year=2026, missing_agencies=["Department of Health"],
                               language="en")
    assert english[-1] == "Follow up: Department of Health has not sent its 2026 return."
    two = rep.key_messages(annex, changes, plan, year=2026, missing_agencies=["A", "B"], language="en")
    assert two[-1] == "Follow up: 2 agencies have not sent their 2026 return (A, B)."


def test_a_target_exceeded_before_its_year_is_a_level_to_keep_and_one_exceeded_in_it_is_an_outcome(year_2026, plan):
    _, _, _, annex = year_2026
    one = annex[annex["code"] == "2.1"].assign(outlook="exceeded", outlook_judged="latest")
    assert "1 chỉ tiêu đã đạt mức mục tiêu, cần duy trì đến năm 2030 (2.1)" in rep.outlook_sentence(one, plan)
    assert "đạt hoặc vượt" not in rep.outlook_sentence(one, plan)
    outcome = rep.outlook_sentence(one.assign(outlook_judged="data"), plan)
    assert "1 chỉ tiêu đạt hoặc vượt (2.1)" in outcome and "duy trì" not in outcome


def test_the_targets_kept_at_100_percent_every_year_are_looked_at_between_target_years(year_2026, plan):
    # 3.3, 6.2, 6.3 and 6.4 keep 100% every year from 2025: 2026 is not a target year, yet it is due.
    _, _, _, annex = year_2026
    annex = annex.set_index("code")
    annex.loc["3.3", ["value_now", "value_now_source"]] = [100.0, "reported"]
    annex.loc["6.2", ["value_now", "value_now_source"]] = [100.0, "reported"]
    annex.loc["6.4", ["value_now", "value_now_source"]] = [93.7, "reported"]
    annex.loc["6.3", ["value_now", "value_now_source"]] = [99.0, "projection"]  # an estimate says nothing yet
    said = rep.maintained_sentence(annex.reset_index(), plan, year=2026)
    assert said == ("Đối với các chỉ tiêu yêu cầu đạt 100% hằng năm, năm 2026 có 2 chỉ tiêu đạt (3.3, 6.2); "
                    "1 chỉ tiêu chưa đạt (6.4); 1 chỉ tiêu chưa có số liệu (6.3).")
    annex.loc["3.3", ["value_now", "value_now_source", "suppressed"]] = [float("nan"), "hidden", True]
    said = rep.maintained_sentence(annex.reset_index(), plan, year=2026)  # 2026 hidden: 6 of 7 victims supported
    assert "1 chỉ tiêu không công bố kết quả để bảo mật số liệu (3.3)" in said and "1 chỉ tiêu đạt (6.2)" in said
    # 2025 hidden and 2026 not yet reported: no value yet, not "hidden".
    annex.loc["3.3", ["value_now_source"]] = ["none"]
    said = rep.maintained_sentence(annex.reset_index(), plan, year=2026)
    assert "2 chỉ tiêu chưa có số liệu (3.3, 6.3)" in said and "không công bố" not in said
    assert rep.maintained_sentence(annex.reset_index(), plan, year=2025) == ""  # a target year: judged as due
    assert rep.maintained_sentence(annex.reset_index(), plan, year=2024) == ""  # before the first target year


def test_a_target_kept_at_100_percent_every_year_has_the_years_requirement_in_its_pace_cell(year_2026, plan):
    # 6.2 must be 100% every year from 2025: "cần +0,7 điểm phần trăm mỗi năm" towards 2030 would read as if 97% in 2026
    # were on course. The cell gives the year's requirement, whether 2026 kept it, then the observed pace.
    _, _, _, annex = year_2026
    annex = annex.set_index("code")
    annex.loc["6.2", ["value_now", "value_now_source", "pace_needed", "pace_observed", "pace_from", "pace_to",
                      "outlook"]] = [97.1, "reported", 0.7, 1.2, 2019, 2026, "unlikely"]
    annex.loc["6.4", ["value_now", "value_now_source", "pace_needed", "pace_observed"]] = [
        100.0, "reported", float("nan"), float("nan")]
    annex.loc["6.3", ["value_now", "value_now_source"]] = [70.0, "projection"]
    table = rep.annex_table(annex.reset_index(), plan, year=2026, language="vi").set_index("Mã")
    pace = next(c for c in table.columns if c.startswith("Mức thay đổi bình quân"))
    assert table.loc["6.2", pace] == (
        "yêu cầu đạt 100% hằng năm; năm 2026 đạt 97,1%, thấp hơn yêu cầu 2,9 điểm phần trăm; thực tế 2019–2026: "
        "+1,2 điểm phần trăm mỗi năm")
    assert table.loc["6.4", pace] == "yêu cầu đạt 100% hằng năm; năm 2026: đạt"
    assert table.loc["6.3", pace].startswith("yêu cầu đạt 100% hằng năm; năm 2026: chưa có số liệu báo cáo")
    english = rep.annex_table(annex.reset_index(), plan, year=2026, language="en").set_index("Code")
    pace_en = english.filter(like="yearly change").loc["6.2"].iloc[0]
    assert pace_en.startswith("100% required every year; 2026: 97.1%, 2.9 pp short; ")
    # Other targets keep the pace towards 2030; before 2025 a yearly-100% target has no requirement yet.
    assert table.loc["1.1", pace].startswith("cần +")
    assert rep.pace_cell(annex.loc["6.2"], plan.target("6.2"), year=2024) == (
        "cần +0,7 điểm phần trăm mỗi năm; thực tế 2019–2026: +1,2 điểm phần trăm mỗi năm (tốc độ tăng hiện nay cao "
        "hơn mức cần thiết, nhưng càng gần 100% càng khó tăng thêm, nên khả năng đạt đủ 100% vẫn thấp)")


def test_a_change_within_the_chance_swing_of_its_counts_is_neither_an_improvement_nor_a_slip(write_obs, plan, places):
    # The sex ratio at birth from 13,830 boys / 12,270 girls (112,7) to 13,582 / 12,218 (111,2): the boys' share
    # moves 0,5299 → 0,5264, a difference of 0,0035 with a standard error of 0,0044 (z = 0,8): chance. The
    # adolescent birth rate 1,169 → 1,155 births per 60,500 → 60,200 women (19,32 → 19,19‰): Poisson standard
    # errors of 0,57 each, the change −0,1 is 0,2 of its own. 1.1 (a complete count, no counts given) moved
    # 44 → 47: taken as it is. 4.2 from 2 to 12 maternal deaths in 12,000 births (16,7 → 100,0 per 100,000):
    # the Garwood intervals' standard errors (14,8 and 31,4) make the rise of 83,3 z ≈ 2,4, a real one.
    rows = [*ROWS_2026[:3],
            "4.1,QT25,2025,112.71,,,13830,12270,per_100,fixture,official,,",
            "4.1,QT25,2026,111.16,,,13582,12218,per_100,fixture,official,,",
            "4.3,QT25,2025,19.32,,,1169,60500,per_1000,fixture,official,,",
            "4.3,QT25,2026,19.19,,,1155,60200,per_1000,fixture,official,,",
            "4.2,QT25,2025,16.67,,,2,12000,per_100000,fixture,official,,",
            "4.2,QT25,2026,100,,,12,12000,per_100000,fixture,official,,"]
    _, _, _, annex = _annex(write_obs, plan, places, rows, 2026)
    noise = annex.set_index("code")["change_within_noise"]
    assert noise[["4.1", "4.3"]].tolist() == [True, True]
    assert noise[["1.1", "4.2"]].tolist() == [False, False]
    lines = rep.key_messages(annex, pd.DataFrame(columns=["code", "direction"]), plan, year=2026)
    assert "Chuyển biến tích cực so với năm 2025 (1 chỉ tiêu): 1.1." in lines
    assert "Kết quả kém hơn năm 2025 (1 chỉ tiêu): 4.2." in lines
    assert ("Thay đổi trong năm 2026 nằm trong phạm vi biến động ngẫu nhiên hằng năm, chưa đủ căn cứ để kết luận "
            "chuyển biến tích cực hay tiêu cực (2 chỉ tiêu): 4.1, 4.3." in lines)
    # A status moved by a chance-sized change moved by chance: 4.1 "unlikely" → "too close" is not an improvement.
    moved = pd.DataFrame({"code": ["4.1", "1.1"], "direction": ["better", "better"]})
    lines = rep.key_messages(annex, moved, plan, year=2026)
    assert "Chuyển biến tích cực so với năm 2025 (1 chỉ tiêu): 1.1." in lines
    assert any(line.endswith("(2 chỉ tiêu): 4.1, 4.3.") for line in lines)
    # Without counts there is no chance swing to measure: the same values count as they move.
    bare = [",".join(r.split(",")[:6] + ["", ""] + r.split(",")[8:]) for r in rows]
    _, _, _, annex = _annex(write_obs, plan, places, bare, 2026)
    assert not annex["change_within_noise"].any()
    lines = rep.key_messages(annex, pd.DataFrame(columns=["code", "direction"]), plan, year=2026)
    assert "Chuyển biến tích cực so với năm 2025 (3 chỉ tiêu): 1.1, 4.1, 4.3." in lines


def test_a_part_year_is_judged_for_its_year_but_never_compared_with_a_whole_one(write_obs, plan, places):
    # 6.3 in 2025 counts the new communes' Q3–Q4 only (they exist from 1 July): 66 of 78 met the standard in
    # both quarters (84,6%); in 2026, 55 of 78 in all four (70,5%). A commune meets it more easily over two
    # quarters than over four, so −14,1 points is no slip: the 2025 target (100%) is judged on 84,6%, not met,
    # and 2026 is set beside no earlier value.
    rows = [*ROWS_2026[:3],
            "6.3,QT25,2025,84.6,,,66,78,percent,fixture,estimate,,-q34",
            "6.3,QT25,2026,70.5,,,55,78,percent,fixture,estimate,,"]
    _, _, assessment, annex = _annex(write_obs, plan, places, rows, 2026)
    y25 = assessment.set_index(["code", "target_year"]).loc[("6.3", 2025)]
    assert (y25["status"], y25["judged_on"], y25["projected"]) == ("not_met", "data", 84.6)
    said = "kết quả năm 2025 theo số liệu báo cáo, 6 tháng cuối năm (quý III, IV)"
    assert said in y25["reliability_vi"]
    assert "the result for 2025 is read from the series reported, Q3–Q4 only" in y25["reliability_en"]
    row = annex.set_index("code").loc["6.3"]
    assert row["value_now"] == 70.5 and pd.isna(row["value_prev"]) and pd.isna(row["change"])
    lines = rep.key_messages(annex, pd.DataFrame(columns=["code", "direction"]), plan, year=2026)
    assert not any("6.3" in line for line in lines if line.startswith(("Kết quả kém hơn", "Chuyển biến")))
    # One whole year is too little to read an outlook from, yet 2026 did not keep 100%: the board is asked.
    assert annex.set_index("code").loc["6.3", "outlook"] == "insufficient_data"
    asked = [line for line in lines if line.startswith("6.3 ")]
    assert len(asked) == 1 and asked[0].endswith(
        "…: yêu cầu đạt 100% hằng năm; năm 2026 đạt 70,5%, thấp hơn yêu cầu 29,5 điểm phần trăm. Đề nghị chỉ đạo "
        "các cơ quan, đơn vị, địa phương chưa đạt khẩn trương khắc phục, bảo đảm đạt 100% trong năm 2027.")
    # The same two values in one series are a change the report states.
    rows[-2] = rows[-2].removesuffix("-q34")
    _, _, _, annex = _annex(write_obs, plan, places, rows, 2026)
    assert annex.set_index("code").loc["6.3", "change"] == pytest.approx(-14.1)


def _annex_of(*rows: dict) -> pd.DataFrame:
    """An annex of the given rows, every column they do not give empty."""
    return pd.DataFrame([{c: None for c in rep.ANNEX_COLUMNS} | dict(r) for r in rows])


def _decision(annex: pd.DataFrame, plan, code: str, *, year: int, results: bool = False) -> str:
    """The one key message of the report of ``year`` that names target ``code``."""
    (line,) = [x for x in rep.key_messages(annex, pd.DataFrame(columns=["code", "direction"]), plan, year=year,
                                           results=results) if x.startswith(code)]
    return line


def test_a_year_that_moved_as_much_as_needed_is_said_beside_a_slow_average(plan):
    # 3.2b needs +4,0 points a year; 2019–2026 averaged +2,1, but 2026 alone rose 4,4: said, and the board is
    # asked to keep it up. A chance-sized year (change_within_noise) or one short of +4,0 says "too slow".
    row = pd.Series({"pace_needed": 4.0, "pace_observed": 2.1, "value_now": 54.0, "outlook_trend": "improving",
                     "value_now_source": "reported", "change": 4.4, "change_within_noise": False})
    target = plan.target("3.2b")
    assert rep.decision_action(row, target, year=2026) == "year_enough"
    assert rep.decision_action(row.copy().replace({4.4: 3.9}), target, year=2026) == "slow"
    chance = row.copy()
    chance["change_within_noise"] = True
    assert rep.decision_action(chance, target, year=2026) == "slow"
    annex = _annex_of(dict(row) | {"code": "3.2b", "outlook": "unlikely", "pace_from": 2019, "pace_to": 2026})
    line = _decision(annex, plan, "3.2b", year=2026, results=True)
    assert line.endswith("cần +4,0 điểm phần trăm mỗi năm; thực tế 2019–2026: +2,1 điểm phần trăm mỗi năm. "
                         "Mức thay đổi bình quân các năm "
                         "qua chưa đáp ứng yêu cầu, nhưng riêng năm 2026 đã đạt mức cần thiết; đề nghị chỉ đạo duy trì "
                         "kết quả này trong các năm tới.")


def test_one_years_change_is_named_by_its_year_and_a_year_without_returns_is_no_steady_year(plan):
    # 1.1 has values of 2025 and 2026 only: the 2027 report (no 2027 value yet) speaks of the change of 2026.
    row = {"code": "1.1", "outlook": "unlikely", "pace_needed": 6.2, "pace_observed": 5.4, "pace_from": 2025,
           "pace_to": 2026, "value_now": 51.0, "value_now_source": "projection", "outlook_trend": "improving"}
    annex = _annex_of(row)
    none = pd.DataFrame(columns=["code", "direction"])
    line = _decision(annex, plan, "1.1", year=2027)
    assert line.endswith("Mức thay đổi năm 2026 chưa đáp ứng yêu cầu; đề nghị chỉ đạo đẩy nhanh tiến độ thực hiện.")
    # Nothing of 2027 reported: not "no target moved markedly", but no 2027 data yet.
    assert rep.change_lines(annex, none, plan, year=2027) == [
        "Chưa có số liệu báo cáo năm 2027 để so sánh với năm trước; các giá trị năm 2027 là ước tính theo dự báo."]
    reported = _annex_of(row | {"value_now_source": "reported", "change": 0.0})
    assert rep.change_lines(reported, none, plan, year=2027) == [
        "Năm 2027 không có chỉ tiêu nào thay đổi rõ rệt so với năm trước."]


@pytest.mark.parametrize(("code", "needed", "observed", "trend", "now", "expected"), [
    ("1.1", 6.2, 5.4, "improving", 50.0, "slow"),     # the right way, too slowly
    ("4.1", -0.5, 0.1, "stable", 111.2, "flat"),      # a rise within the noise: no progress
    ("4.1", -0.5, -0.2, "stable", 111.2, "slow"),     # falling, too slowly
    ("3.4", 2.1, 6.3, "improving", 91.7, "complete"),  # fast enough, a 100% target: the last units must follow
    ("1.1", 6.2, -1.0, "worsening", 50.0, "against"),  # a share to raise that falls beyond its noise
    ("4.2", -0.2, 0.5, "worsening", 40.0, "against"),  # a death ratio to lower that rises
    ("4.2", -0.2, -0.8, "improving", 40.0, "keep"),   # falling fast enough, outlook still uncertain
    ("6.2", 0.7, 1.2, "improving", 100.0, "complete"),  # kept in 2026, fast enough, 2030 not sure
    ("1.1", 6.2, float("nan"), "unknown", 50.0, "act"),  # no pace to read (one value)
    ("6.2", 0.7, 1.2, "improving", 97.1, "restore"),  # a yearly 100% not kept in 2026, whatever its pace
    ("6.2", 0.7, -1.0, "worsening", 100.0, "against"),  # kept this year but sliding
])
def test_a_decision_line_asks_what_the_targets_figures_call_for(plan, code, needed, observed, trend, now, expected):
    row = pd.Series({"pace_needed": needed, "pace_observed": observed, "value_now": now, "outlook_trend": trend,
                     "value_now_source": "reported"})
    assert rep.decision_action(row, plan.target(code), year=2026) == expected
    if expected == "restore":  # in 2030 there is no next year of the plan to restore it in
        assert rep.decision_action(row, plan.target(code), year=2030) != "restore"


def test_statuses_that_moved_since_last_year(plan):
    before = pd.DataFrame({"code": ["1.1", "2.1", "3.1", "4.1"], "target_year": 2030,
                           "status": ["likely", "too_close", "no_data", "unlikely"]})
    now = pd.DataFrame({"code": ["1.1", "2.1", "3.1", "4.1"], "target_year": 2030,
                        "status": ["unlikely", "met", "too_close", "unlikely"]})
    moved = rep.status_changes(before, now).set_index("code")
    assert moved["direction"].to_dict() == {"1.1": "worse", "2.1": "better", "3.1": "other"}
    annex = pd.DataFrame({c: [None] * 2 for c in rep.ANNEX_COLUMNS}).assign(
        code=["1.1", "2.1"], change=[float("nan"), float("nan")], outlook=["unlikely", "met"],
        value_now_source="reported")
    lines = rep.key_messages(annex, moved.reset_index(), plan, year=2026)
    assert "Chuyển biến tích cực so với năm 2025 (1 chỉ tiêu): 2.1." in lines
    # The yearly report says what moved in its summary: its section of decisions leaves those lines out, and
    # with nothing to ask says so; with nothing moved the summary says that.
    assert rep.change_lines(annex, moved.reset_index(), plan, year=2026) == lines[:2]
    assert rep.key_messages(annex, moved.reset_index(), plan, year=2026, results=False) == lines[2:]
    calm = annex.assign(outlook="likely", value_now_source="projection")
    assert rep.key_messages(calm, moved.reset_index(), plan, year=2026, results=False) == [
        "Không có chỉ tiêu nào cần đề nghị Ban Chỉ đạo chỉ đạo thêm."]
    assert rep.change_lines(calm.assign(value_now_source="reported"), none := pd.DataFrame(
        columns=["code", "direction"]), plan, year=2026) == [
        "Năm 2026 không có chỉ tiêu nào thay đổi rõ rệt so với năm trước."]
    assert rep.change_lines(calm, none, plan, year=2026) == [  # nothing of 2026 reported: nothing to compare
        "Chưa có số liệu báo cáo năm 2026 để so sánh với năm trước; các giá trị năm 2026 là ước tính theo dự báo."]
    assert "Kết quả kém hơn năm 2025 (1 chỉ tiêu): 1.1." in lines
    # With no value of the year behind it, a status moved with the calendar (the final review reads the
    # projection where the latest value was read before), not with the data: neither improved nor slipped.
    unreported = rep.key_messages(annex.assign(value_now_source="projection"), moved.reset_index(), plan, year=2026)
    assert not any(line.startswith(("Chuyển biến", "Kết quả kém")) for line in unreported)
    assert any(line.startswith("1.1 ") and "khó đạt mục tiêu năm 2030" in line for line in lines)
    # A target whose value is hidden (a small count) moved for a reason not said: neither better nor worse,
    # or "Kết quả kém hơn: 1.1" would tell which way the hidden value went.
    hidden = rep.status_changes(before, now.assign(suppressed=[True, False, False, False])).set_index("code")
    assert hidden["direction"].to_dict() == {"1.1": "hidden", "2.1": "better", "3.1": "other"}
    lines = rep.key_messages(annex, hidden.reset_index(), plan, year=2026)
    assert not any(line.startswith("Kết quả kém") for line in lines)
    before_hidden = rep.status_changes(before.assign(suppressed=[False, True, False, False]), now)
    assert before_hidden.set_index("code").loc["2.1", "direction"] == "hidden"
    # Every change is of a 2030 target: the table has no column repeating it, the sentence above names it.
    shown = rep.changes_table(hidden.reset_index(), plan, year=2026).set_index("Mã")
    assert "Năm cần đạt" not in shown.columns
    assert rep.changes_intro(hidden.reset_index(), year=2026) == (
        "So với báo cáo năm 2025, đánh giá đối với mục tiêu năm 2030 của 3 chỉ tiêu đã thay đổi.")
    two = pd.concat([hidden.reset_index(), hidden.reset_index().head(1).assign(target_year=2025)])
    assert rep.changes_table(two, plan, year=2026).columns[2] == "Năm cần đạt"
    # Three targets, one of them changed for two target years: three targets, four rows.
    assert rep.changes_intro(two, year=2026) == ("So với báo cáo năm 2025, đánh giá của 3 chỉ tiêu đã thay đổi "
                                                 "(gồm 4 lượt đánh giá, mỗi mốc năm cần đạt tính một lượt).")
    assert list(rep.changes_table(two, plan, year=2026).columns[3:5]) == [
        "Đánh giá tại báo cáo năm 2025", "Đánh giá tại báo cáo năm 2026"]
    assert rep.changes_intro(two.head(0), year=2026) == (
        "Không có chỉ tiêu nào thay đổi đánh giá so với báo cáo năm 2025.")
    assert shown.loc["1.1", "Chiều hướng"] == "thay đổi (có số liệu không công bố để bảo mật)"
    # A status met on the latest value, years before its target year, is a level to keep in the table too.
    kept = rep.status_changes(before, now.assign(judged_on=["projection", "latest", "", ""]))
    assert rep.changes_table(kept, plan, year=2026).set_index("Mã").loc["2.1", "Đánh giá tại báo cáo năm 2026"] == (
        "đã đạt mức mục tiêu, cần duy trì")


@pytest.fixture
def data_dir(tmp_path):
    """A data folder with SYT's 2026 return, one quarantined SYT cell and a revision log."""
    data = tmp_path / "data"
    (data / "reported" / "2026").mkdir(parents=True)
    (data / "quarantine").mkdir()
    header = "indicator,place,year,value,quarter,sex,numerator,denominator,unit,source,status,note,series\n"
    (data / "reported" / "2026" / "SYT.csv").write_text(
        header + "4.1,QT25,2026,111.4,,,,,per_100,SYT,preliminary,,\n4.3,QT25,2026,19,,,,,per_1000,SYT,official,,\n",
        encoding="utf-8")
    (data / "reported" / "2026" / "SYT.csv.meta.yml").write_text("date_accessed: '2026-11-27'\n", encoding="utf-8")
    (data / "quarantine" / "quarantine.csv").write_text(
        "when,file,sheet,cell,agency,indicator,place,year,quarter,value,numerator,denominator,status,reason\n"
        "2026-11-27T09:00:00,f.xlsx,Số liệu,K9,SYT,4.2,QT25,2026,,-3,,,,below the range\n"
        "2025-11-20T09:00:00,f.xlsx,Số liệu,K9,SYT,4.2,QT25,2025,,-3,,,,below the range\n", encoding="utf-8")
    (data / "reported" / "revisions.csv").write_text(
        "when,agency,indicator,place,year,quarter,sex,series,old_value,new_value,old_status,new_status,changed,file,cell\n"
        "2025-10-01T08:00:00,SYT,4.1,QT25,2024,,,,113.5,113,preliminary,official,value,a.xlsx,K9\n"
        "2026-11-30T08:00:00,SYT,4.1,QT25,2025,,,,112.5,112,preliminary,official,value,b.xlsx,K10\n",
        encoding="utf-8")
    return data


def test_reporting_status_lists_every_agency_and_the_missing_return(year_2026, plan, data_dir):
    obs = year_2026[0]
    status = returns.reporting_status(2026, plan=plan, agencies=load_agencies(), observations=obs, place="QT25",
                                      report_date=dt.date(2026, 12, 3), data_dir=data_dir).set_index("agency")
    # Every holder of a target's lead function in 2026, after the 2025 reorganisation.
    assert set(status.index) == {"SNV", "TKT", "SYT", "SDTTG", "SGDDT", "SKHCN"}
    snv, syt = status.loc["SNV"], status.loc["SYT"]
    assert (snv["received"], snv["accepted"], snv["days_late"]) == (False, 0, 8)
    assert "1.1" not in snv["no_value"] and "2.1" in snv["no_value"]  # 1.1 has a 2026 value, 2.1 none
    assert (syt["received"], syt["received_on"], syt["days_late"]) == (True, dt.date(2026, 11, 27), 2)
    assert (syt["accepted"], syt["quarantined"]) == (2, 1)  # the 2025 quarantine line is not this year's
    # A row held back with its year left empty counts in the round its arrival is nearest to: one sent two days
    # after 2026's due day is one of 2026's, one sent a week before 2025's due day is not.
    q = data_dir / "quarantine" / "quarantine.csv"
    q.write_text(q.read_text(encoding="utf-8")
                 + "2026-11-27T09:00:00,f.xlsx,Số liệu,K10,SYT,4.3,QT25,,,19,,,,required\n"
                 + "2025-11-18T09:00:00,f.xlsx,Số liệu,K10,SYT,4.3,QT25,,,19,,,,required\n"
                 # A year mistyped beyond the plan (2062 for 2026) is as good as none; 2025 sent in 2026's round
                 # is a late row of 2025's return.
                 + "2026-11-27T09:00:00,f.xlsx,Số liệu,E16,SYT,4.3,QT25,2062,,19,,,,year\n"
                 + "2026-11-27T09:00:00,f.xlsx,Số liệu,E17,SYT,4.3,QT25,2025,,19,,,,range\n", encoding="utf-8")
    again = returns.reporting_status(2026, plan=plan, agencies=load_agencies(), observations=obs, place="QT25",
                                     report_date=dt.date(2026, 12, 3), data_dir=data_dir).set_index("agency")
    assert again.loc["SYT", "quarantined"] == 3
    earlier = returns.reporting_status(2025, plan=plan, agencies=load_agencies(), observations=obs, place="QT25",
                                       report_date=dt.date(2025, 12, 3), data_dir=data_dir).set_index("agency")
    assert earlier.loc["SYT", "quarantined"] == 3  # its own 2025 line, the late one and the one without a year
    table = returns.status_table(status.reset_index(), "vi").set_index("Cơ quan")
    assert table.loc["Sở Nội vụ", "Tình hình gửi báo cáo"] == "chưa nhận được"
    assert table.loc["Sở Nội vụ", "So với hạn báo cáo"] == "chậm 8 ngày"
    # In the report the coordinator (Sở Nội vụ from 2025) compiles the returns: it is not late with its own.
    table = returns.status_table(status.reset_index(), "vi", coordinator="SNV").set_index("Cơ quan")
    assert table.loc["Sở Nội vụ", "Tình hình gửi báo cáo"] == "cơ quan tổng hợp báo cáo"
    assert table.loc["Sở Nội vụ", "So với hạn báo cáo"] == "–"
    assert table.loc["Sở Y tế", "So với hạn báo cáo"] == "chậm 2 ngày"
    assert table.loc["Sở Y tế", "Tình hình gửi báo cáo"] == "đã nhận ngày 27/11/2026"


def test_a_return_corrected_after_the_deadline_is_late_from_its_first_arrival(year_2026, plan, data_dir):
    # SYT sent its return on 20/11 (on time) and a correction on 27/11: it was not two days late.
    (data_dir / "reported" / "2026" / "SYT.csv.meta.yml").write_text(
        "date_accessed: '2026-11-27'\nfirst_received: '2026-11-20'\n", encoding="utf-8")
    status = returns.reporting_status(2026, plan=plan, agencies=load_agencies(), observations=year_2026[0],
                                      place="QT25", report_date=dt.date(2026, 12, 3), data_dir=data_dir)
    syt = status.set_index("agency").loc["SYT"]
    assert (syt["received_on"], syt["updated_on"], syt["days_late"]) == (dt.date(2026, 11, 20),
                                                                          dt.date(2026, 11, 27), 0)
    table = returns.status_table(status, "vi").set_index("Cơ quan")
    assert table.loc["Sở Y tế", "Tình hình gửi báo cáo"] == "đã nhận ngày 20/11/2026, cập nhật ngày 27/11/2026"
    assert table.loc["Sở Y tế", "So với hạn báo cáo"] == "đúng hạn"
    # Looked at before the due day (a rehearsal on 20/11): a return that has not arrived is not yet due, not
    # "on time"; one that has arrived is on time.
    early = returns.reporting_status(2026, plan=plan, agencies=load_agencies(), observations=year_2026[0],
                                     place="QT25", report_date=dt.date(2026, 11, 20), data_dir=data_dir)
    table = returns.status_table(early, "vi", coordinator="SNV").set_index("Cơ quan")
    assert table.loc["Thống kê tỉnh Quảng Trị", "Tình hình gửi báo cáo"] == "chưa nhận được"
    assert table.loc["Thống kê tỉnh Quảng Trị", "So với hạn báo cáo"] == "chưa đến hạn"
    assert table.loc["Sở Y tế", "So với hạn báo cáo"] == "đúng hạn"


def test_the_timeliness_column_is_not_headed_as_a_second_deadline():
    # The returns table has the due day ("Hạn báo cáo": 25/11/2026) and, beside it, how a return stands against
    # it ("chậm 11 ngày", "đúng hạn"). "Thời hạn gửi" is Vietnamese for the deadline again, not for "late by".
    heads = i18n.entries("report.returns_columns", "vi")
    assert heads["due"] == "Hạn báo cáo"
    assert "thời hạn" not in heads["late"].lower()
    assert heads["late"] == "So với hạn báo cáo"


def test_a_revised_value_is_listed_as_changed(plan, data_dir):
    revised = returns.revisions_between(plan.plan.report_day(2025), dt.date(2026, 12, 3), data_dir=data_dir,
                                        codes=set(plan.codes))
    assert list(revised["year"]) == ["2025"]  # the 2025-10-01 revision came before last year's report
    table = rep.revisions_table(revised, plan, language="vi")
    # The log's preliminary 112.5 made official at 112: each value with its status, as they differ.
    assert table.iloc[0].to_dict() == {"Mã": "4.1", "Địa bàn": "QT25", "Năm số liệu": "2025",
                                       "Giá trị cũ": "112,5 bé trai/100 bé gái (sơ bộ)",
                                       "Giá trị mới": "112,0 bé trai/100 bé gái (chính thức)", "Cơ quan": "SYT",
                                       "Ngày điều chỉnh": "30/11/2026"}
    # With the names readers know for the log's codes.
    named = rep.revisions_table(revised, plan, language="vi", place_name={"QT25": "Quảng Trị"}.get,
                                agency_name={"SYT": "Sở Y tế"}.get).iloc[0]
    assert (named["Địa bàn"], named["Cơ quan"]) == ("Quảng Trị", "Sở Y tế")
    # A preliminary figure made official: both statuses said, even at the same value.
    moved = rep.revisions_table(revised.assign(old_status="preliminary", new_status="official", new_value="112.5"),
                                plan, language="vi").iloc[0]
    assert (moved["Giá trị cũ"], moved["Giá trị mới"]) == ("112,5 bé trai/100 bé gái (sơ bộ)",
                                                         "112,5 bé trai/100 bé gái (chính thức)")
    # Published: a revision of a sensitive count would give the count away; the row stays, the values go.
    sensitive = next(t.code for t in plan.targets if t.sensitive)
    hidden = rep.revisions_table(revised.assign(indicator=sensitive), plan, language="vi", publish=True).iloc[0]
    assert (hidden["Giá trị cũ"], hidden["Giá trị mới"]) == ("không công bố (để bảo mật)", "không công bố (để bảo mật)")
    # Nor which communes: two communes revised the same day read as one row without a place.
    two = pd.concat([revised.assign(indicator=sensitive, place=p) for p in ("QT25-001", "QT25-002")])
    table = rep.revisions_table(two, plan, language="vi", publish=True)
    assert len(table) == 1 and table.iloc[0]["Địa bàn"] == "không công bố (để bảo mật)"
    # Nor on how many days: three communes over two days read as one row, with the latest day.
    days = pd.concat([two, revised.assign(indicator=sensitive, place="QT25-003", when="2026-12-01T09:00:00")])
    table = rep.revisions_table(days.iloc[::-1], plan, language="vi", publish=True)
    assert len(table) == 1 and table.iloc[0]["Ngày điều chỉnh"] == "01/12/2026"
    # Unpublished, each commune's revision is its own row.
    assert len(rep.revisions_table(days, plan, language="vi")) == 3
    # The province is named all the same (the report publishes its totals); its values stay unpublished.
    province = rep.revisions_table(revised.assign(indicator=sensitive), plan, language="vi", publish=True,
                                   public_places={"QT25", "QT", "QB"}).iloc[0]
    assert (province["Địa bàn"], province["Giá trị mới"]) == ("QT25", "không công bố (để bảo mật)")
    communes = rep.revisions_table(two, plan, language="vi", publish=True, public_places={"QT25", "QT", "QB"})
    assert len(communes) == 1 and communes.iloc[0]["Địa bàn"] == "không công bố (để bảo mật)"


def test_the_english_report_writes_its_dates_the_english_way(year_2026, plan, data_dir):
    # The report's days (due day, day written, day revised) read as each language writes them: the English
    # report had "returns are due on 25/11/2026".
    assert rep.day_text(dt.date(2026, 11, 25), "en") == "25 November 2026"
    assert rep.day_text("2026-11-30T09:00:00") == "30/11/2026"
    revised = returns.revisions_between(plan.plan.report_day(2025), dt.date(2026, 12, 3), data_dir=data_dir,
                                        codes=set(plan.codes))
    table = rep.revisions_table(revised, plan, language="en")
    assert table.iloc[0][i18n.entries("report.revisions_columns", "en")["when"]] == "30 November 2026"
    _, _, assessment, annex = year_2026
    early = rep.key_messages(annex, rep.status_changes(assessment, assessment), plan, year=2026, language="en",
                             missing_agencies=["Department of Health"], due=dt.date(2026, 11, 25))
    assert "(25 November 2026)" in early[-1]


def test_a_logged_change_of_source_alone_is_not_listed_as_a_revised_value(plan, data_dir):
    # The log records 1.1 sent again at 56.2 from another file (its source changed) and 3.2a's count of the
    # same 93.5 made official: only 4.1 (112.5 -> 112) and 3.2a (preliminary -> official) are revisions.
    log = data_dir / "reported" / "revisions.csv"
    log.write_text(log.read_text(encoding="utf-8")
                   + "2026-11-30T09:00:00,SNV,1.1,QT25,2026,,,,56.2,56.20,official,official,source,v2.xlsx,K3\n"
                   + "2026-11-30T09:00:00,SNV,3.2a,QT25,2026,,,,93.5,93.5,preliminary,official,status,v2.xlsx,K9\n",
                   encoding="utf-8")
    revised = returns.revisions_between(plan.plan.report_day(2025), dt.date(2026, 12, 3), data_dir=data_dir,
                                        codes=set(plan.codes))
    assert list(zip(revised["indicator"], revised["year"], strict=True)) == [("4.1", "2025"), ("3.2a", "2026")]
    assert list(rep.revisions_table(revised, plan, language="vi")["Mã"]) == ["4.1", "3.2a"]


def test_final_review_says_a_withheld_2030_value_is_withheld_not_missing(write_obs, plan, places, monkeypatch):
    # 3.5b (consanguineous marriages, counts of 1–4): its estimate for 2030 is withheld by disclosure control.
    # The final table said "–" (no value) there, while its footnote says every withheld value is written
    # "không công bố (để bảo mật)", as the annex and the path table write it.
    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2031-01-20")
    rows = [f"3.5b,QT25,{y},{v},,,,,count,fixture,official,," for y, v in ((2025, 6), (2026, 5), (2027, 7))]
    _, _, assessment = _state(write_obs, plan, places, rows, 2030)
    at = (assessment["code"] == "3.5b") & (assessment["target_year"] == 2030)
    assert at.any()
    withheld = assessment.assign(suppressed=False)
    withheld.loc[at, ["latest_value", "projected", "lo-80", "hi-80", "suppressed"]] = [
        float("nan"), float("nan"), float("nan"), float("nan"), True]
    final = rep.final_judgement(plan, withheld)
    row = final.set_index("code").loc["3.5b"]
    assert bool(row["suppressed"]) and pd.isna(row["value_end"]) and row["judged_on"]
    table = rep.final_table(final, plan, "vi").set_index("Mã")
    assert table.loc["3.5b", "Giá trị năm 2030"] == "không công bố (để bảo mật)" == i18n.t("report.suppressed", "vi")
    value_en = i18n.entries("report.final_columns", "en")["value_end"].format(year=2030)
    english = rep.final_table(final, plan, "en").set_index("Code")
    assert english.loc["3.5b", value_en] == i18n.t("report.suppressed", "en")
    # A target with no value at all (2.1 here) still reads "–": nothing is withheld there.
    assert table.loc["2.1", "Giá trị năm 2030"] == "–"
    # The annex of the same review (the workbook's "Phụ lục" sheet) says the same of it, not "no data, no
    # estimate" beside the final table's "withheld".
    obs, forecasts, _ = _state(write_obs, plan, places, rows, 2030)
    annex = rep.annex(plan, year=2030, place="QT25", shown=obs, forecasts=forecasts[forecasts["indicator"] != "3.5b"],
                      assessment=withheld)
    at_annex = annex.set_index("code").loc["3.5b"]
    # No value of 2030 was reported (the source stays "none"); what is withheld is the estimate.
    assert at_annex["value_now_source"] == "none" and bool(at_annex["suppressed"])
    shown = rep.annex_table(annex, plan, year=2030).set_index("Mã")
    assert shown.loc["3.5b", "Ước thực hiện năm 2030"] == "không công bố (để bảo mật)"
    assert shown.loc["2.1", "Ước thực hiện năm 2030"] == "chưa có số liệu, chưa ước tính được"


def test_final_review_says_a_rate_of_declines_average_of_zero_as_no_change(write_obs, plan, places, monkeypatch):
    # 3.5a ("giảm 2–3%/năm") is judged on its average yearly change, written "bình quân −3,8%/năm giai đoạn …".
    # Flat at 200 child marriages a year 2025–2030 its average is zero (up to rounding noise), and read
    # "bình quân không đổi%/năm" ("no change% a year on average").
    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2031-01-20")
    rows = [f"3.5a,QT25,{y},200,,,,,count,fixture,official,," for y in range(2025, 2031)]
    _, _, assessment = _state(write_obs, plan, places, rows, 2030)
    final = rep.final_judgement(plan, assessment)
    at = final["code"] == "3.5a"
    assert final.loc[at, "pace"].iloc[0] == pytest.approx(0, abs=1e-9)
    assert (final.loc[at, "pace_from"].iloc[0], final.loc[at, "pace_to"].iloc[0]) == (2025, 2030)
    vi_col = i18n.entries("report.final_columns", "vi")["value_end"].format(year=2030)
    en_col = i18n.entries("report.final_columns", "en")["value_end"].format(year=2030)

    def said(pace: float) -> tuple[str, str]:
        frame = final.assign(pace=final["pace"].where(~at, pace))
        return (rep.final_table(frame, plan, "vi").set_index("Mã").loc["3.5a", vi_col],
                rep.final_table(frame, plan, "en").set_index("Code").loc["3.5a", en_col])

    zero = ("không đổi trong giai đoạn 2025–2030 (bình quân 0%/năm)", "no change over 2025–2030 (0% a year on average)")
    assert said(final.loc[at, "pace"].iloc[0]) == zero  # the flat series as computed
    assert said(0.0) == zero and said(-0.04) == zero  # exactly zero; a pace that rounds to 0,0
    assert said(-3.8) == ("bình quân −3,8%/năm giai đoạn 2025–2030", "−3.8% a year on average over 2025–2030")
    assert said(float("nan")) == ("–", "–")


def test_final_review_says_a_rate_of_decline_with_its_2030_count_is_judged_on_its_pace(write_obs, plan, places,
                                                                                       monkeypatch):
    # 3.5a ("giảm 2–3%/năm") is judged on its average yearly fall. With the 2030 count in, that fall is observed
    # over 2025–2030: it read "ước tính (chưa có số liệu năm 2030)" / "the estimate (no 2030 value yet)" all the same.
    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2031-01-20")
    # 200 child marriages in 2025 falling 2,5% a year: 200·0,975^k → 200, 195, 190, 185, 181, 176.
    counts = dict(zip(range(2025, 2031), (200, 195, 190, 185, 181, 176)))

    def judged(last: int) -> tuple[pd.Series, dict[str, pd.Series], pd.DataFrame]:
        rows = [f"3.5a,QT25,{y},{v},,,,,count,fixture,official,," for y, v in counts.items() if y <= last]
        final = rep.final_judgement(plan, _state(write_obs, plan, places, rows, 2030)[2])
        tables = {"vi": rep.final_table(final, plan, "vi").set_index("Mã").loc["3.5a"],
                  "en": rep.final_table(final, plan, "en").set_index("Code").loc["3.5a"]}
        return final.set_index("code").loc["3.5a"], tables, final

    row, said, final = judged(2030)
    assert (row["pace_from"], row["pace_to"]) == (2025, 2030)
    assert row["pace"] == pytest.approx(-2.5, abs=0.1) and row["status"] == "met"  # 2,5% a year: within 2–3%
    assert row["judged_on"] == "pace"
    assert said["vi"]["Căn cứ đánh giá"] == "mức thay đổi bình quân/năm thực tế giai đoạn 2025–2030"
    assert said["en"]["Judged on"] == "the observed average yearly change over 2025–2030"
    # An outcome of the period, not one read off an estimate.
    assert (said["vi"]["Đánh giá năm 2030"], said["en"]["Judgement 2030"]) == ("đạt", "met")
    sentence = rep.final_sentence(final, plan)
    assert sentence.startswith("1 chỉ tiêu được đánh giá theo số liệu năm 2030.") and "ước tính (3.5a)" not in sentence

    # Without the 2030 count the pace is of 2025–2029 and the 2030 outcome is still an estimate: said so.
    row, said, final = judged(2029)
    assert (row["pace_to"], row["judged_on"]) == (2029, "estimate")
    assert said["vi"]["Căn cứ đánh giá"] == "ước tính (chưa có số liệu năm 2030)"
    assert said["en"]["Judged on"] == "the estimate (no 2030 value yet)"
    assert rep.final_sentence(final, plan).startswith(
        "Chưa chỉ tiêu nào có số liệu năm 2030: cả 1 chỉ tiêu được đánh giá theo ước tính.")  # 3.5a the only one


def test_final_review_judges_the_2030_values(write_obs, plan, places, monkeypatch):
    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2031-01-20")  # the final review is compiled after 2030
    rows = [*[f"1.1,QT25,{y},{v},,,{n},10000,percent,fixture,official,,"
              for y, v, n in ((2026, 70, 7000), (2028, 73, 7300), (2030, 76, 7600))],
            *[f"2.2,QT25,{y},{v},,,,,percent,fixture,official,," for y, v in ((2025, 40), (2028, 39), (2030, 38))],
            *[f"6.1,QT25,{y},{v},,,{v * 100},10000,percent,fixture,official,,"
              for y, v in ((2025, 70), (2028, 76), (2030, 82))],
            *[f"4.1,QT25,{y},{v},,,,,per_100,fixture,official,," for y, v in ((2025, 112), (2026, 111.5), (2028, 111))]]
    obs, forecasts, assessment = _state(write_obs, plan, places, rows, 2030)
    final = rep.final_judgement(plan, assessment).set_index("code")
    # 1.1 counts every agency (a complete count): 76 against ≥75 is met as it is, with no interval.
    assert (final.loc["1.1", "judged_on"], final.loc["1.1", "status"], final.loc["1.1", "value_end"]) == ("data", "met", 76)
    assert pd.isna(final.loc["1.1", "lo"])
    # 6.1, a survey: 8,200 of 10,000, the 95% sampling interval (about ±0.75) lies above 80: exceeded.
    assert (final.loc["6.1", "status"], final.loc["6.1", "value_end"]) == ("exceeded", 82)
    assert final.loc["6.1", "lo"] > 80
    assert (final.loc["2.2", "judged_on"], final.loc["2.2", "status"]) == ("data", "not_met")  # 38, target <37
    assert final.loc["4.1", "judged_on"] == "estimate"  # no 2030 value: judged on the estimate, and says so
    table = rep.final_table(final.reset_index(), plan, "vi").set_index("Mã")
    assert table.loc["1.1", "Căn cứ đánh giá"] == "số liệu năm 2030"
    assert table.loc["4.1", "Căn cứ đánh giá"] == "ước tính (chưa có số liệu năm 2030)"
    # A probability, read in the plan's last year: what most likely happened, no longer "hard to reach".
    assert table.loc["4.1", "Đánh giá năm 2030"] == "nhiều khả năng không đạt"
    # An outcome read off an estimate says so, beside the basis column.
    assert rep._final_status("met", "estimate", "vi") == "đạt (theo ước tính)"
    assert rep._final_status("met", "data", "vi") == "đạt" and rep._final_status("", "estimate", "vi") == "–"
    assert table.loc["1.1", "Đánh giá năm 2030"] == "đạt" and table.loc["1.1", "Mức cần đạt năm 2025"] == "≥60%"
    assert "sai số ngẫu nhiên" in table.loc["6.1", "Giá trị năm 2030"]
    assert "sai số ngẫu nhiên" not in table.loc["1.1", "Giá trị năm 2030"]
    sentence = rep.final_sentence(final.reset_index(), plan)
    assert sentence.startswith("3 chỉ tiêu được đánh giá theo số liệu năm 2030.")
    assert not NO_ZERO.search(sentence)
    assert "1 chỉ tiêu chưa có số liệu năm 2030 nên được đánh giá theo ước tính (4.1)." in sentence
    # 4.1 on the estimate, unlikely: in the plan's last year what most likely happened, not "khó đạt".
    assert "không đạt hoặc nhiều khả năng không đạt (" in sentence and "khó đạt" not in sentence
    assert final.loc["2.1", "judged_on"] == "" and final.loc["2.1", "status"] == "no_data"  # no value at all
    # Too few values to judge 2030 on: an older value (6.3 in 2026) is no "value of 2030".
    few = assessment.copy()
    at = (few["code"] == "6.3") & (few["target_year"] == 2030)
    few.loc[at, ["status", "judged_on", "latest_value", "latest_year", "projected"]] = [
        "insufficient_data", "projection", 70.5, 2026, float("nan")]
    six_three = rep.final_judgement(plan, few).set_index("code").loc["6.3"]
    assert six_three["judged_on"] == "" and pd.isna(six_three["value_end"])
    assert rep.final_table(rep.final_judgement(plan, few), plan, "vi").set_index("Mã").loc[
        "6.3", "Giá trị năm 2030"] == "–"
    # A direction target (3.5b, "fewer every year") is judged on its latest value: with a 2030 value that is the
    # end year's data, not "no 2030 value yet" (the same assessment row, its latest year 2030).
    end_row = assessment[(assessment["code"] == "1.1") & (assessment["target_year"] == 2030)]
    direction = pd.concat([assessment.drop(end_row.index),
                           end_row.assign(judged_on="latest", latest_year=2030, status="met")])
    said = rep.final_judgement(plan, direction).set_index("code").loc["1.1"]
    assert said["judged_on"] == "data"
    earlier = pd.concat([assessment.drop(end_row.index), end_row.assign(judged_on="latest", latest_year=2028,
                                                                         status="met")])
    assert rep.final_judgement(plan, earlier).set_index("code").loc["1.1", "judged_on"] == "latest"
    # The annex carries the year the status was read off, so that its judgement (in the workbook) says it too.
    annex = rep.annex(plan, year=2030, place="QT25", shown=obs, forecasts=forecasts, assessment=earlier)
    assert annex.set_index("code").loc["1.1", "outlook_latest_year"] == 2028
    assert rep.annex_table(annex, plan, year=2030).set_index("Mã").loc[
        "1.1", "Đánh giá năm 2030 (xác suất đạt)"] == "đạt (theo số liệu năm 2028)"
    # A level reached and kept, read off the latest value of an earlier year: said as such, not as an estimate.
    kept = final.reset_index().assign(judged_on=lambda f: f["judged_on"].where(f["code"] != "4.1", "latest"),
                                      latest_year=lambda f: f["latest_year"].where(f["code"] != "4.1", 2028),
                                      status=lambda f: f["status"].where(f["code"] != "4.1", "met"))
    said = rep.final_table(kept, plan, "vi").set_index("Mã").loc["4.1"]
    assert (said["Căn cứ đánh giá"], said["Đánh giá năm 2030"]) == (
        "số liệu mới nhất, năm 2028 (chưa có số liệu năm 2030)", "đạt (theo số liệu năm 2028)")
    assert "1 chỉ tiêu chưa có số liệu năm 2030 nên được đánh giá theo số liệu mới nhất (4.1)." in \
        rep.final_sentence(kept, plan)
    none = rep.final_sentence(final.reset_index().assign(judged_on="estimate"), plan)
    assert none.startswith("Chưa chỉ tiêu nào có số liệu năm 2030: cả 25 chỉ tiêu được đánh giá theo ước tính.")
    path = rep.path_frame(obs, plan, places=["QT25"], first=2020, last=2030)
    assert path[path["code"] == "1.1"]["year"].tolist() == [2026, 2028, 2030]
    # The table says each row's unit: a count's bare number ("268") said nothing of what it counts.
    table = rep.path_table(path, plan, place_names={"QT25": "Quảng Trị"}, first=2020, last=2030).set_index("Mã")
    # The unit once, in its column; bare numbers under the years, so that thirteen of them fit a page.
    assert table.loc["1.1", "Đơn vị tính"] == "%" and table.loc["1.1", "2030"] == "76,0"  # 7,600 of 10,000
    assert table.loc["4.1", "Đơn vị tính"] == "bé trai/100 bé gái" and table.loc["4.1", "2026"] == "111,5"
    assert table.loc["4.1", "2027"] == "–"  # no value
    # A value not published says so, as in the annex; it is not "–" (no value).
    hidden = path.assign(suppressed=(path["code"] == "4.1") & (path["year"] == 2026))
    table = rep.path_table(hidden, plan, place_names={"QT25": "Quảng Trị"}, first=2020, last=2030).set_index("Mã")
    assert table.loc["4.1", "2026"] == "không công bố (để bảo mật)" and table.loc["4.1", "2025"] == "112,0"


def test_word_and_excel_files_open_and_hold_the_annex(year_2026, plan):
    _, _, _, annex = year_2026
    table = rep.annex_table(annex, plan, year=2026).assign(note=["=1+1"] + [""] * (len(annex) - 1))
    blocks = [office.Block("Phụ lục", tables=[("", table)]),
              office.Block("Khó khăn, vướng mắc và nguyên nhân", prompt="(Cơ quan thường trực ghi nội dung.)")]
    document = docx.Document(io.BytesIO(office.document(blocks, title="Báo cáo năm 2026", notes=["SỐ LIỆU MINH HỌA"])))
    assert document.paragraphs[0].text == "Báo cáo năm 2026"
    word_table = document.tables[0]
    assert [c.text for c in word_table.rows[0].cells][:3] == ["Mã", "Chỉ tiêu", "Đơn vị tính"]
    assert word_table.rows[1].cells[0].text == "1.1" and len(word_table.rows) == len(plan.codes) + 1
    assert "47,0% (số liệu sơ bộ)" in [c.text for c in word_table.rows[1].cells]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Phụ lục", "Khó khăn, vướng mắc và nguyên nhân"]
    book = openpyxl.load_workbook(io.BytesIO(office.workbook({"Phụ lục": table}, title="Báo cáo năm 2026",
                                                             notes=["SỐ LIỆU MINH HỌA"], notes_sheet="Ghi chú")))
    assert book.sheetnames == ["Phụ lục", "Ghi chú"]
    sheet = book["Phụ lục"]
    assert [c.value for c in sheet[1]][:2] == ["Mã", "Chỉ tiêu"] and sheet["A2"].value == "1.1"
    assert sheet.max_row == len(plan.codes) + 1
    note = sheet.cell(2, table.columns.get_loc("note") + 1)
    assert (note.value, note.data_type) == ("=1+1", "s")  # text, never a formula
    assert book["Ghi chú"]["A2"].value == "SỐ LIỆU MINH HỌA"


def test_the_pace_of_a_ratio_says_what_it_is_a_multiple_of(year_2026, plan):
    # 3.1 (women's hours of unpaid care work as a multiple of men's: "1,7 lần ... so với nam giới") had a bare
    # "cần −0,05/năm"; "lần/năm" alone would read as "times a year". Its pace says the plan's words.
    ratio = plan.target("3.1")
    assert rep.pace_text(-0.05, -0.04, ratio, "vi", period=(2019, 2023)) == (
        "cần −0,05 lần so với nam giới mỗi năm; thực tế 2019–2023: −0,04 lần so với nam giới mỗi năm")
    assert rep.pace_text(-0.05, -0.04, ratio, "en", period=(2019, 2023)) == (
        "needed −0.05× men's hours a year; observed 2019–2023: −0.04× men's hours a year")
    assert "/năm" not in rep.signed_pace(-0.05, ratio, "vi")
    # A count's pace says what it counts (3.5b: "cuộc"), not a bare "−7,9/năm".
    assert rep.signed_pace(-7.9, plan.target("3.5b"), "vi") == "−7,9 cuộc mỗi năm"
    # The workbook's column of pace units says the same words.
    _, _, _, annex = year_2026
    numbers = rep.annex_numbers(annex.assign(pace_needed=-0.05), plan, year=2026).set_index("Mã")
    assert numbers.loc["3.1", "Đơn vị của mức thay đổi bình quân/năm"] == "lần so với nam giới mỗi năm"
    assert numbers.loc["4.1", "Đơn vị của mức thay đổi bình quân/năm"] == "bé trai/100 bé gái mỗi năm"
    assert numbers.loc["4.2", "Đơn vị của mức thay đổi bình quân/năm"] == "ca/100.000 trẻ sinh sống mỗi năm"


#: 4.2 (maternal deaths per 100,000 live births) and 4.3 (births per 1,000 women aged 15–19) of the merged province.
RATES_2026 = [
    "4.2,QT25,2023,40,,,10,25000,per_100000,fixture,official,,admin-rebased",
    "4.2,QT25,2024,51.294,,,13,25344,per_100000,fixture,official,,admin-rebased",
    "4.2,QT25,2025,38.314,,,10,26100,per_100000,fixture,official,,admin-rebased",
    "4.2,QT25,2026,42.636,,,11,25800,per_100000,fixture,preliminary,,admin-rebased",
    "4.3,QT25,2024,19.322,,,1169,60500,per_1000,fixture,official,,admin-rebased",
    "4.3,QT25,2025,19.186,,,1155,60200,per_1000,fixture,official,,admin-rebased",
]


def test_a_rate_says_its_unit_alike_in_its_values_targets_paces_and_unit_columns(write_obs, plan, places):
    # 4.2's pace read "cần −0,2/100.000 mỗi năm" beside a unit column "ca/100.000 trẻ sinh sống" and a pace-unit
    # column "ca/100.000 trẻ sinh sống mỗi năm"; 4.3's "‰/năm" beside "‰ (số ca sinh/1.000 phụ nữ 15–19 tuổi) mỗi năm".
    # Every number of a rate is now followed by the same words (messages.rate_unit).
    _, _, _, annex = _annex(write_obs, plan, places, RATES_2026, 2026)
    table = rep.annex_table(annex, plan, year=2026).set_index("Mã")
    mmr = table.loc["4.2"]
    assert mmr["Đơn vị tính"] == "ca/100.000 trẻ sinh sống"
    assert (mmr["Mức cần đạt năm 2025"], mmr["Mức cần đạt năm 2030"]) == ("≤42 ca/100.000 trẻ sinh sống",
                                                                          "<42 ca/100.000 trẻ sinh sống")
    # 2025: 10 deaths in 26,100 births = 38,31; 2026 (preliminary): 11 in 25,800 = 42,64.
    assert mmr["Thực hiện năm 2025"] == "38,3 ca/100.000 trẻ sinh sống"
    assert mmr["Ước thực hiện năm 2026"] == "42,6 ca/100.000 trẻ sinh sống (số liệu sơ bộ)"
    # 10 deaths: Garwood 95% 4,795–18,390 deaths, × 100.000 / 26.100 = 18,4–70,5, which holds 42.
    assert mmr["Kết quả năm 2025"] == ("Chưa chắc chắn: 38,3 ca/100.000 trẻ sinh sống, nhưng mức mục tiêu vẫn nằm "
                                       "trong khoảng tin cậy 95% (18,4–70,5 ca/100.000 trẻ sinh sống)")
    # Needed (42 − 42,636) / 4 = −0,16; observed: least-squares slope of 40,0; 51,29; 38,31; 42,64 over 2023–2026
    # = (−1,5·40 − 0,5·51,294 + 0,5·38,314 + 1,5·42,636) / 5 = −2,536 / 5 = −0,51.
    assert mmr["Mức thay đổi bình quân/năm cần thiết và thực tế (đến năm 2030)"].startswith(
        "cần −0,2 ca/100.000 trẻ sinh sống mỗi năm; thực tế 2023–2026: −0,5 ca/100.000 trẻ sinh sống mỗi năm")
    abr = table.loc["4.3"]
    assert (abr["Mức cần đạt năm 2025"], abr["Thực hiện năm 2025"]) == ("≤18‰", "19,2‰")  # 1.155 / 60.200 = 19,19‰
    # Needed (18 − 19,186) / 5 = −0,24; observed 19,186 − 19,322 = −0,14 in one year.
    assert abr["Mức thay đổi bình quân/năm cần thiết và thực tế (đến năm 2030)"] == (
        "cần −0,2‰ mỗi năm; thực tế 2024–2025: −0,1‰ mỗi năm")
    numbers = rep.annex_numbers(annex, plan, year=2026).set_index("Mã")
    unit = "Đơn vị của mức thay đổi bình quân/năm"
    assert (numbers.loc["4.2", unit], numbers.loc["4.3", unit]) == ("ca/100.000 trẻ sinh sống mỗi năm", "‰ mỗi năm")
    assert (numbers.loc["4.2", "Mức thay đổi bình quân/năm cần thiết"],
            numbers.loc["4.2", "Mức thay đổi bình quân/năm thực tế"]) == (-0.159, -0.507)
    # The words of each place come from one function: what follows a value's number follows a pace's, and both are
    # the unit column's (4.3's unit column explains its "‰" in the plan's words).
    mmr_t, abr_t = plan.target("4.2"), plan.target("4.3")
    for language, words, year in (("vi", "ca/100.000 trẻ sinh sống", "mỗi năm"),
                                  ("en", "per 100,000 live births", "a year")):
        assert rep.unit_name(mmr_t, language) == words
        assert messages.format_value(38.314, mmr_t, language) == f"{i18n.number(38.3, language)} {words}"
        assert rep.signed_pace(-0.507, mmr_t, language) == f"−{i18n.number(0.5, language)} {words} {year}"
        assert rep.pace_unit(mmr_t, language) == f"{words} {year}"
        assert messages.format_interval(18.37, 70.46, mmr_t, language)[1] == f"{i18n.number(70.5, language)} {words}"
        assert messages.format_value(19.186, abr_t, language) == f"{i18n.number(19.2, language)}‰"
        assert rep.signed_pace(-0.136, abr_t, language) == f"−{i18n.number(0.1, language)}‰ {year}"
        assert rep.pace_unit(abr_t, language) == f"‰ {year}"
    # A rate whose denominator nobody names (a targets file's indicator) keeps the general form.
    assert messages.format_value(38.314, "per_100000", "vi") == "38,3/100.000"


def test_a_share_says_its_pace_alike_beside_the_number_and_in_the_unit_column(year_2026, plan):
    # A share's pace read "cần +4,0 điểm phần trăm/năm" in the annex beside a workbook column "điểm phần trăm mỗi
    # năm" ("pp a year" beside "percentage points a year" in English). One function gives both (pace_suffix; the
    # column is its words without the number), as a rate's are; 3.5a's fall keeps the plan's "%/năm" in both.
    share, fall = plan.target("3.2b"), plan.target("3.5a")
    assert rep.signed_pace(4.0, share, "vi") == "+4,0 điểm phần trăm mỗi năm"
    assert rep.signed_pace(4.0, share, "en") == "+4.0 percentage points a year"
    assert (rep.pace_unit(share, "vi"), rep.pace_unit(share, "en")) == ("điểm phần trăm mỗi năm",
                                                                        "percentage points a year")
    assert rep.pace_text(4.0, 2.1, share, "vi", period=(2019, 2026)) == (
        "cần +4,0 điểm phần trăm mỗi năm; thực tế 2019–2026: +2,1 điểm phần trăm mỗi năm")
    assert (rep.signed_pace(-2.0, fall, "vi"), rep.pace_unit(fall, "vi")) == ("−2,0%/năm", "%/năm")
    assert (rep.signed_pace(-2.0, fall, "en"), rep.pace_unit(fall, "en")) == ("−2.0% a year", "% a year")
    # Every target, both languages: the words after a pace's number are its unit column's, whatever the unit.
    for t in plan.targets:
        for language in ("vi", "en"):
            said = re.sub(r"^[+−±][\d.,]+\s?", "", rep.signed_pace(1.5, t, language))
            assert said == rep.pace_unit(t, language), (t.code, language, said)
    # 1.1 in the annex: 47% in 2026 against 75% in 2030 needs (75 − 47) / 4 = +7,0 points a year; 40% in 2024 to
    # 47% in 2026 is +3,5 a year. The workbook's column beside those numbers says the same words.
    _, _, _, annex = year_2026
    text = rep.annex_table(annex, plan, year=2026).set_index("Mã")
    assert text.loc["1.1", "Mức thay đổi bình quân/năm cần thiết và thực tế (đến năm 2030)"].startswith(
        "cần +7,0 điểm phần trăm mỗi năm; thực tế 2024–2026: +3,5 điểm phần trăm mỗi năm")
    numbers = rep.annex_numbers(annex, plan, year=2026).set_index("Mã")
    assert tuple(numbers.loc["1.1", ["Mức thay đổi bình quân/năm cần thiết", "Mức thay đổi bình quân/năm thực tế",
                                     "Đơn vị của mức thay đổi bình quân/năm"]]) == (7.0, 3.5, "điểm phần trăm mỗi năm")
    english = rep.annex_numbers(annex, plan, year=2026, language="en").set_index(
        i18n.t("report.annex_numbers.code", "en"))
    assert english.loc["1.1", i18n.t("report.annex_numbers.pace_unit", "en")] == "percentage points a year"


def test_the_workbooks_numbers_sheet_holds_numbers_and_the_statuses_in_words(year_2026, plan):
    _, _, _, annex = year_2026
    numbers = rep.annex_numbers(annex, plan, year=2026).set_index("Mã")
    # 1.1: 44 in 2025, 47 reported (preliminary) for 2026, the mid-term target 60 and the end target 75.
    one = numbers.loc["1.1"]
    # The headers name the years as the annex's do.
    assert (one["Thực hiện năm 2025"], one["Ước thực hiện năm 2026"]) == (44.0, 47.0)
    assert (one["Loại số liệu năm 2026"], one["Căn cứ xác định giá trị năm 2026"]) == ("sơ bộ", "số liệu báo cáo")
    assert (one["Mức cần đạt năm 2025"], one["Mức cần đạt năm 2030"], one["Thay đổi trong năm"]) == (60.0, 75.0, 3.0)
    assert one["Đơn vị tính"] == "%"
    # In the annex's words: its outcome column says "Không đạt", not the status label "chưa đạt".
    words = rep.annex_table(annex, plan, year=2026).set_index("Mã")
    assert one["Kết quả năm 2025"] == words.loc["1.1", "Kết quả năm 2025"] == "Không đạt"
    assert one["Chỉ tiêu"] == words.loc["1.1", "Chỉ tiêu"]  # the display name, capitalised, uncut
    assert numbers.loc["5.2b", "Chỉ tiêu"] == "Tỷ lệ trẻ em dân tộc thiểu số hoàn thành cấp trung học cơ sở"
    # 2.1 already at its 2030 level: a level to keep, as in the annex, not "đạt" before 2030.
    assert numbers.loc["2.1", "Khả năng đạt mục tiêu năm 2030"] == "đã đạt mức mục tiêu, cần duy trì"
    final = rep.annex_numbers(annex, plan, year=2030).set_index("Mã")
    assert final.loc["2.1", "Đánh giá năm 2030"] == "đạt (theo số liệu năm 2025)"  # its latest value, of 2025
    assert "Khả năng đạt mục tiêu năm 2030" not in final.columns
    assert list(final.columns[-2:]) == ["Đánh giá năm 2030", "Xác suất đạt (%)"]
    # The probability in percent; each pace with its unit; 3.5a's target (a fall of 2–3% a year) is no count.
    p = float(annex.set_index("code").loc["1.1", "outlook_p"])
    assert one["Xác suất đạt (%)"] == round(100 * p, 1)
    assert one["Đơn vị của mức thay đổi bình quân/năm"] == "điểm phần trăm mỗi năm"
    assert pd.isna(numbers.loc["3.5a", "Mức cần đạt năm 2030"])
    book = openpyxl.load_workbook(io.BytesIO(office.workbook({"Phụ lục (dạng số)": numbers.reset_index()},
                                                             title="t", notes_sheet="Ghi chú")))
    sheet = book["Phụ lục (dạng số)"]
    column = [c.value for c in sheet[1]].index("Ước thực hiện năm 2026") + 1
    assert (sheet.cell(2, column).value, sheet.cell(2, column).data_type) == (47, "n")
    # To the precision of the report's figures: a projection's digits end at the third decimal.
    projected = numbers.loc["2.1", "Ước thực hiện năm 2026"]
    assert projected == round(float(annex.set_index("code").loc["2.1", "value_now"]), 3)
    # A hidden value is empty here as in the annex CSV, and its status said as hidden.
    hidden = rep.annex_numbers(annex.assign(value_now=float("nan"), value_now_source="hidden"), plan,
                               year=2026).iloc[0]
    assert pd.isna(hidden["Ước thực hiện năm 2026"])
    assert hidden["Căn cứ xác định giá trị năm 2026"] == "không công bố (để bảo mật)"
    english = list(rep.annex_numbers(annex, plan, year=2026, language="en").columns)
    assert english[:4] == ["Code", "Indicator", "Unit", "Target 2025"] and "Estimate 2026" in english


def test_the_workbooks_annex_says_when_the_2030_judgement_is_read_off_an_earlier_years_value(plan):
    # The final review of 2030: 4.4 and 5.1 have no 2030 value and are judged on their 2026 one. The brief and
    # the Word file say "chưa đạt (theo số liệu năm 2026)" in their judgement column; the workbook's two annex
    # sheets said "không đạt" and "đạt", as if read off a value of 2030.
    annex = _annex_of(
        {"code": "4.4", "outlook": "not_met", "outlook_judged": "latest", "outlook_latest_year": 2026,
         "value_now_source": "none"},
        {"code": "5.1", "outlook": "met", "outlook_judged": "latest", "outlook_latest_year": 2026,
         "value_now_source": "none"},
        # A latest value of 2030 itself is the end year's own value: no note.
        {"code": "1.1", "outlook": "met", "outlook_judged": "latest", "outlook_latest_year": 2030,
         "value_now_source": "reported"},
        # An outcome read off the projection says so, as the final table does.
        {"code": "2.1", "outlook": "met", "outlook_judged": "projection", "outlook_latest_year": 2026,
         "value_now_source": "projection"})
    expected = {
        "vi": {"4.4": "chưa đạt (theo số liệu năm 2026)", "5.1": "đạt (theo số liệu năm 2026)", "1.1": "đạt",
               "2.1": "đạt (theo ước tính)"},
        "en": {"4.4": "not (yet) met (on the 2026 value)", "5.1": "met (on the 2026 value)", "1.1": "met",
               "2.1": "met (on the estimate)"},
    }
    columns = {"vi": ("Đánh giá năm 2030 (xác suất đạt)", "Đánh giá năm 2030"),
               "en": ("Judgement 2030 (probability of meeting)", "Judgement 2030")}
    for language, said in expected.items():
        sheets = {"annex": rep.annex_table(annex, plan, year=2030, language=language),
                  "numbers": rep.annex_numbers(annex, plan, year=2030, language=language)}
        book = openpyxl.load_workbook(io.BytesIO(office.workbook(sheets, title="t")))
        for name, column in zip(sheets, columns[language], strict=True):
            rows = list(book[name].iter_rows(values_only=True))
            at = rows[0].index(column)
            assert {r[0]: r[at] for r in rows[1:]} == said, (language, name)
    # Before 2030 a level reached on the latest value is a level to keep, as before.
    assert rep.annex_table(annex, plan, year=2026).set_index("Mã").loc[
        "5.1", "Khả năng đạt mục tiêu năm 2030 (xác suất)"] == "đã đạt mức mục tiêu, cần duy trì"


def test_the_word_document_fits_its_charts_numbers_its_pages_and_speaks_vietnamese():
    # A chart of six small panels (7 × 12 inches) was put in 24 cm wide, 41 cm tall, on a landscape page
    # with 17,4 cm of room; Word checked the Vietnamese text as English; the file said python-docx wrote it.
    import matplotlib.pyplot as plt
    from docx.oxml.ns import qn
    from docx.shared import Cm

    tall, wide = plt.figure(figsize=(7, 12)), plt.figure(figsize=(12, 4))
    blocks = [office.Block("Biểu đồ", figures=[office.figure_png(tall), office.figure_png(wide)])]
    plt.close(tall), plt.close(wide)
    document = docx.Document(io.BytesIO(office.document(blocks, title="Báo cáo năm 2026")))
    shapes = list(document.inline_shapes)
    # Portrait A4, margins 3 + 2 cm across and 2 + 2 cm down (Decree 30/2020): 16 cm of width, and 25,7 cm of
    # height less 3 cm kept for the caption.
    # (Word stores the page in twips: a few hundred EMU of rounding.)
    assert all(s.height <= Cm(22.71) and s.width <= Cm(16.01) for s in shapes)
    assert shapes[0].height == pytest.approx(Cm(22.7), abs=Cm(0.01))
    assert shapes[1].width == pytest.approx(Cm(16), abs=Cm(0.01))
    assert shapes[0].width / shapes[0].height == pytest.approx(7 / 12, rel=0.02)  # not stretched
    assert document.styles["Normal"].font.size.pt == 13
    # A landscape block fits its landscape page: 25,7 cm across, 17 cm less the caption's 3 down.
    turned = docx.Document(io.BytesIO(office.document([blocks[0], office.Block("Phụ lục", landscape=True,
                                                                                   figures=blocks[0].figures)],
                                                      title="t")))
    assert len(turned.sections) == 2 and turned.sections[1].page_width == pytest.approx(Cm(29.7), abs=Cm(0.01))
    last = list(turned.inline_shapes)[-1]
    assert last.width == pytest.approx(Cm(25.7), abs=Cm(0.01)) and last.height <= Cm(14.01)
    for name in ("Normal", "Title", "Heading 1"):
        rpr = document.styles[name].element.rPr
        assert rpr.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
        assert document.styles[name].font.name == "Times New Roman" and rpr.rFonts.get(qn("w:asciiTheme")) is None
    props = document.core_properties
    assert (props.author, props.language, props.comments) == ("gender-monitor", "vi-VN", "")
    assert props.created.year >= 2026
    footer = document.sections[0].footer.paragraphs[0]._p
    assert footer.find(qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"
    assert document.sections[0].header.paragraphs[0].text == ""  # no banner asked for
    marked = docx.Document(io.BytesIO(office.document(blocks, title="Báo cáo", banner="SỐ LIỆU MINH HỌA")))
    assert marked.sections[0].header.paragraphs[0].text == "SỐ LIỆU MINH HỌA"  # on every page


def test_the_annex_and_the_final_table_say_what_their_status_words_mean(plan):
    # The yearly report showed "Không đạt", "chưa chắc chắn (62%)", "đã đạt mức mục tiêu, cần duy trì" with no
    # legend anywhere (the review's briefs have one): its annex now carries one, under the table.
    yearly = rep.status_legend(plan, year=2026, language="vi")
    assert yearly[0] == "Cách đọc đánh giá:"
    assert yearly[1].startswith("Kết quả năm 2025: “Vượt” (vượt mục tiêu hơn 2% giá trị mục tiêu), “Đạt”, “Không đạt”")
    assert "≥ 90% là “có khả năng đạt”, ≤ 10% là “khó đạt”" in yearly[2]
    assert yearly[3].startswith("“Đã đạt mức mục tiêu, cần duy trì”: giá trị mới nhất đã đạt mức cần đạt năm 2030")
    # Before the mid-term year there is no outcome to explain; in the plan's last year the words are end words.
    assert not any(line.startswith("Kết quả năm") for line in rep.status_legend(plan, year=2024, language="vi"))
    final = rep.status_legend(plan, year=2030, language="vi")
    assert "≥ 90% là “nhiều khả năng đạt”, ≤ 10% là “nhiều khả năng không đạt”" in final[2]
    assert final[3].startswith("Mục tiêu của năm đã đến: “không đạt”") and "cần duy trì" not in " ".join(final)
    assert rep.status_legend(plan, year=2026, language="en")[0] == "How to read the assessment:"
    # In the Word version, the lines follow the table, in italics.
    table = pd.DataFrame({"Mã": ["1.1"], "Khả năng đạt mục tiêu năm 2030": ["khó đạt (<1%)"]})
    doc = docx.Document(io.BytesIO(office.document([office.Block("Phụ lục", tables=[("", table)], after=yearly)],
                                                   title="Báo cáo")))
    body = doc.element.body
    order = [child.tag.rsplit("}", 1)[-1] for child in body.iterchildren()]
    last_table = max(i for i, tag in enumerate(order) if tag == "tbl")
    texts = [p.text for p in doc.paragraphs]
    assert texts[-4:] == yearly and all(r.italic for p in doc.paragraphs[-4:] for r in p.runs)
    assert order.index("p", last_table) > last_table  # under the table, not above it


def test_the_workbook_keeps_text_as_written_and_runs_no_formula():
    # A change of +5,4 points is text the department reads as written (it once showed "'+5,4 điểm phần trăm");
    # a place or note beginning with "=" is text too, never a formula.
    frame = pd.DataFrame({"Thay đổi": ["+5,4 điểm phần trăm", "−0,4", '=HYPERLINK("http://x","y")'], "n": [1, 2, 3]})
    book = openpyxl.load_workbook(io.BytesIO(office.workbook({"Phụ lục": frame}, title="=T", notes=["@n"])))
    cells = [c for c in book["Phụ lục"]["A"][1:]]
    assert [c.value for c in cells] == frame["Thay đổi"].tolist()
    assert all(c.data_type == "s" for c in cells) and book["Phụ lục"]["B2"].value == 1
    notes = book["Notes"]
    assert (notes["A1"].value, notes["A1"].data_type, notes["A2"].value) == ("=T", "s", "@n")


def test_the_workbook_names_the_report_and_the_suite_in_its_properties(monkeypatch):
    # Excel's File > Info showed no title and "openpyxl" as the author; the Word file of the same report names
    # its title and "gender-monitor", on the suite's clock.
    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2031-01-20")
    title = "Tổng kết thực hiện Kế hoạch bình đẳng giới tỉnh Quảng Trị, giai đoạn 2021–2030"
    book = openpyxl.load_workbook(io.BytesIO(office.workbook({"Phụ lục": pd.DataFrame({"Mã": ["1.1"]})}, title=title)))
    props = book.properties
    assert (props.title, props.creator, props.lastModifiedBy) == (title, "gender-monitor", "gender-monitor")
    assert props.created.date() == dt.date(2031, 1, 20)


def test_a_review_file_names_its_kind_and_year():
    notebooks = [{"role": "report", "path": "notebooks/annual_report.ipynb"}]
    params = validate_review_parameters({"review": "a", "kind": "annual", "as_of": 2026, "notebooks": notebooks})
    assert (params.kind, params.as_of, params.place) == ("annual", 2026, "QT25")
    assert params.common_values()["kind"] == "annual"
    with pytest.raises(ParameterError) as info:
        validate_review_parameters({"review": "f", "kind": "final", "as_of": 2029, "notebooks": notebooks})
    assert info.value.issues[0].column == "kind, as_of" and "2030" in info.value.issues[0].rule
    shipped = load_review_parameters(paths.parameters_dir() / "final_2030.yaml")
    assert (shipped.kind, shipped.as_of) == ("final", 2030)
    assert load_review_parameters(paths.parameters_dir() / "review_2025.yaml").kind == "midterm"


@pytest.mark.parametrize("review, kind, as_of", [("annual_2026", "annual", 2027), ("annual_2030", "final", 2030),
                                                 ("review_2025", "annual", 2025)])
def test_a_file_copied_with_only_its_year_or_kind_changed_is_refused_before_it_replaces_a_report(review, kind, as_of):
    # Last year's file with as_of moved on would write the 2027 report into outputs/annual_2026/.
    notebooks = [{"role": "report", "path": "notebooks/annual_report.ipynb"}]
    with pytest.raises(ParameterError) as info:
        validate_review_parameters({"review": review, "kind": kind, "as_of": as_of, "notebooks": notebooks})
    right = {"annual": f"annual_{as_of}", "final": f"final_{as_of}"}[kind]
    rule = str(info.value.issues[0])
    assert f"write review: {right}" in rule and f"hãy ghi review: {right}" in rule
    assert f"gender-monitor review --new {kind} {as_of}" in rule
    assert f"(thư mục outputs/{review}/)" in rule and "năm năm" not in rule
    # A name of the report's own kind and year, or a name outside the cycle's pattern, is fine.
    for name in (right, "rehearsal_2027", "annual-2026-draft"):
        validate_review_parameters({"review": name, "kind": kind, "as_of": as_of, "notebooks": notebooks})


def test_review_new_writes_a_valid_file(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    shutil.copytree(paths.parameters_dir(), home / "parameters")
    shutil.copytree(paths.reference_dir(), home / "data" / "reference")
    (home / "parameters" / "annual_2027.yaml").unlink(missing_ok=True)
    monkeypatch.setenv("GENDER_MONITOR_HOME", str(home))
    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2026-12-04")
    assert main(["review", "--new", "annual", "2027"]) == 0
    # Made before 2027's returns: said, in both languages, with the day they are due.
    err = capsys.readouterr().err
    assert "cảnh báo / warning: năm 2027 chưa bắt đầu (ngày lập báo cáo là 04/12/2026): báo cáo chỉ có dự báo" in err
    assert "trước ngày 25/11/2027" in err and "by 25 November 2027" in err
    written = home / "parameters" / "annual_2027.yaml"
    params = load_review_parameters(written)
    assert (params.review, params.kind, params.as_of, params.place) == ("annual_2027", "annual", 2027, "QT25")
    assert params.notebooks[0].path == "notebooks/annual_report.ipynb"
    assert main(["review", "--new", "annual", "2027"]) == 1  # an existing file is kept
    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2027-12-01")  # after the returns: nothing to warn of
    (home / "parameters" / "annual_2027.yaml").unlink()
    assert main(["review", "--new", "annual", "2027"]) == 0 and "warning" not in capsys.readouterr().err
    assert main(["review", "--new", "midterm", "2027"]) != 0  # the mid-term review is 2025's
    assert not (home / "parameters" / "review_2027.yaml").exists()
    capsys.readouterr()


@pytest.mark.slow
def test_the_yearly_report_notebook_on_the_bundled_data(tmp_path):
    """The one notebook execution: the 2026 yearly report of the merged province with its Word and Excel files."""
    import jupytext
    import nbformat
    import papermill
    from gender_monitor.plan.registry import load_plan
    from gender_monitor.publish import brief

    source = tmp_path / "annual_report.ipynb"
    nbformat.write(jupytext.read(paths.notebooks_dir() / "annual_report.py"), source)
    tables = tmp_path / "tables"
    os.environ["GENDER_MONITOR_TABLES_DIR"] = str(tables)
    try:
        papermill.execute_notebook(str(source), str(tmp_path / "out.ipynb"), kernel_name="gender-monitor",
                                   parameters={"as_of": 2026, "report_date": "2026-12-03", "publish": True},
                                   cwd=str(paths.notebooks_dir()), progress_bar=False)
    finally:
        del os.environ["GENDER_MONITOR_TABLES_DIR"]
    html = brief.export_html(tmp_path / "out.ipynb", tmp_path / "out.html").read_text(encoding="utf-8")
    assert "Báo cáo kết quả thực hiện Kế hoạch bình đẳng giới tỉnh Quảng Trị năm 2026" in html
    assert "Quảng Trị (địa bàn tỉnh mới)" in html and "Ước thực hiện năm 2026" in html
    assert "Số cuộc tảo hôn (3.5a) ước năm 2026 tăng 3,0% so với năm 2025" in html  # the year's own step
    # The annex offered as a CSV is read without the page around it: its first line says the data are illustrative.
    import base64

    payload = re.search(r'download="annex_2026.csv" href="data:text/csv;charset=utf-8;base64,([^"]+)"', html).group(1)
    assert base64.b64decode(payload).decode("utf-8").lstrip("\ufeff").splitlines()[0] == i18n.t(
        "report.docx.illustrative", "vi")
    valued = int(re.search(r"(\d+)/25 chỉ tiêu có giá trị năm 2026", html).group(1))
    assert valued >= 23
    assert not NO_ZERO.search(re.sub(r"<[^>]+>", " ", html))
    for name in ("Sở Nội vụ", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Dân tộc và Tôn giáo",
                 "Sở Khoa học và Công nghệ", "Thống kê tỉnh Quảng Trị"):
        assert name in html
    document = docx.Document(tables / "annual_2026.docx")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    # Laid out as a department's report: what was directed and done first, the results, the sections the
    # department writes, the sources, then (after the signature) the annex as its appendix.
    assert headings[0] == "Công tác chỉ đạo, điều hành" and headings[1] == "Tóm tắt kết quả"
    assert headings[-5:] == ["Khó khăn, vướng mắc và nguyên nhân", "Phương hướng, nhiệm vụ thời gian tới",
                             "Đề xuất, kiến nghị", "Nguồn số liệu", "Phụ lục: kết quả thực hiện các chỉ tiêu"]
    # The letterhead of Decree 30/2020: the issuing body (the coordinator of 2026) beside the national motto;
    # the plan's full name above the title; recipients and signature before the annex.
    head = document.tables[0].rows[0].cells
    assert [p.text for p in head[0].paragraphs] == ["UBND TỈNH QUẢNG TRỊ", "SỞ NỘI VỤ", "Số: …/BC-SNV"]
    assert [p.text for p in head[1].paragraphs] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                                    "Quảng Trị, ngày … tháng … năm 2026"]
    assert document.paragraphs[1].text == i18n.t("report.kicker", "vi")
    assert not any("HTML" in p.text for p in document.paragraphs)  # a reader's words, not a file format's
    close = document.tables[-2].rows[0].cells
    assert close[0].paragraphs[0].text == "Nơi nhận:" and close[1].paragraphs[0].text == "GIÁM ĐỐC"
    # Portrait A4 for the body, landscape pages for the annex.
    from docx.enum.section import WD_ORIENT

    assert [s.orientation for s in document.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    # An empty sheet says so on its first row (no value was revised since the 2025 deadline).
    book = openpyxl.load_workbook(tables / "annual_2026.xlsx")
    revised = book[i18n.t("report.xlsx.revisions", "vi")]
    first = [row[0] for row in revised.iter_rows(values_only=True)]
    header = first.index("Mã")  # under the illustrative banner
    assert first[header + 1:] == ["Không có số liệu nào được điều chỉnh từ sau hạn báo cáo năm 2025."]
    # The appendix says which report it is attached to, as Decree 30/2020 has it, in italics under its title.
    paragraphs = [p for p in document.paragraphs]
    annex_at = next(i for i, p in enumerate(paragraphs) if p.text == "Phụ lục: kết quả thực hiện các chỉ tiêu")
    ref = paragraphs[annex_at + 1]
    assert ref.text == "(Kèm theo Báo cáo số …/BC-SNV ngày … tháng … năm 2026 của Sở Nội vụ)"
    assert ref.runs[0].italic and ref.alignment == 1  # WD_ALIGN_PARAGRAPH.CENTER
    listed = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert any(line.startswith("Ngân hàng Thế giới") or "World Bank" in line for line in listed)
    # The department edits the Word file: the key messages name each target in full, never cut with "…".
    # No return has arrived: the board is asked to chase five agencies, not the coordinator writing the report.
    (chase,) = [line for line in listed if line.startswith("Cần đôn đốc")]
    assert "5 cơ quan" in chase and "Sở Y tế" in chase and "Sở Nội vụ" not in chase
    # The same five in the reporting section: the coordinator compiles the returns, it sends none to itself.
    assert ("Tính đến ngày 03/12/2026, chưa có cơ quan nào gửi báo cáo năm 2026 qua mẫu báo cáo của Kế hoạch (0/5)"
            in html and "cơ quan tổng hợp báo cáo" in html)
    # The sex ratio at birth, the maternal mortality ratio (10 deaths both years) and the adolescent birth rate
    # moved no more than their counts move by chance: neither better nor worse. Child marriages (200 → 206) too,
    # said in the sentence on their yearly step, which is not repeated on the chance line.
    # Said in the summary, with what moved over the year; the section of decisions asks for decisions only.
    said = [p.text for p in document.paragraphs]
    assert ("Thay đổi trong năm 2026 nằm trong phạm vi biến động ngẫu nhiên hằng năm, chưa đủ căn cứ để kết luận "
            "chuyển biến tích cực hay tiêu cực (3 chỉ tiêu): 4.1, 4.2, 4.3.") in said
    assert ("Số cuộc tảo hôn (3.5a) ước năm 2026 tăng 3,0% so với năm 2025 (206 so với 200 cuộc), chưa đạt yêu cầu "
            "giảm 2–3% mỗi năm. Tuy nhiên, mức thay đổi này nằm trong phạm vi biến động ngẫu nhiên hằng năm, chưa đủ "
            "căn cứ để kết luận tình hình đã chuyển biến tích cực hay tiêu cực.") in said
    assert said.index("Tóm tắt kết quả") < said.index(next(p for p in said if p.startswith("Chuyển biến tích cực")))
    assert not any(line.startswith(("Chuyển biến", "Kết quả kém", "Thay đổi trong năm")) for line in listed)
    decisions = {line.split(" ")[0]: line for line in listed if "ề nghị chỉ đạo" in line}
    assert decisions and not any("…" in line for line in decisions.values())
    # Each decision line says what is asked, read off the target's own figures (illustrative data): 1.1 rose
    # too little in 2026 (its only change: values of 2025 and 2026), the sex ratio at birth (4.1) has not fallen (+0,1 a year, within its noise) where it must,
    # 3.2b rose by enough in 2026 alone (+4,4 against +4,0 a year needed), 3.4 is fast enough yet unlikely to
    # reach 100%, 6.2 did not keep its yearly 100% in 2026, 4.4 has no facility yet.
    assert decisions["1.1"].endswith("Mức thay đổi năm 2026 chưa đáp ứng yêu cầu; đề nghị chỉ đạo đẩy nhanh tiến độ "
                                     "thực hiện.")
    assert decisions["4.1"].endswith("thực tế 2019–2026: +0,1 bé trai/100 bé gái mỗi năm. Các năm qua chỉ tiêu chưa "
                                     "chuyển biến theo hướng yêu cầu; đề nghị chỉ đạo có giải pháp mạnh hơn.")
    assert "nhưng riêng năm 2026 đã đạt mức cần thiết" in decisions["3.2b"]
    # A trend away from the target beyond its noise is what the board page counts as "reverse the trend".
    against = [code for code, line in decisions.items() if "đi ngược yêu cầu" in line]
    annex_rows = pd.read_csv(tables / "annex_2026.csv", dtype={"code": str}).set_index("code")
    # The table of returns says of the coordinator what the brief says: it compiles, it is not late.
    returned = pd.read_csv(tables / "returns_2026.csv").set_index("agency")
    assert bool(returned.loc["SNV", "compiles"]) and pd.isna(returned.loc["SNV", "days_late"])
    assert not returned.drop(index="SNV")["compiles"].any() and returned.loc["SYT", "days_late"] == 8
    assert against == [c for c in annex_rows.index if annex_rows.loc[c, "outlook_trend"] == "worsening"
                       and c in decisions and "khẩn trương khắc phục" not in decisions[c]]
    # 3.4: 11 of 12 facilities in 2026, one more a year: all 12 by 2030 is about even odds or better (a projection
    # of 97% of 12 facilities is 11,7 of them), no longer "khó đạt" and not a decision to ask for.
    assert "3.4" not in decisions and annex_rows.loc["3.4", "outlook"] == "too_close"
    assert ("yêu cầu đạt 100% hằng năm; năm 2026 đạt 97,1%, thấp hơn yêu cầu 2,9 điểm phần trăm; thực tế 2019–2026: "
            "+1,2 điểm phần trăm mỗi năm."
            in decisions["6.2"])  # 97,1% in 2026
    assert "cần +" not in decisions["6.2"] and decisions["6.2"].endswith("bảo đảm đạt 100% trong năm 2027.")
    # 4.4 has no facility in 2026: its 2030 level is not reached yet, not a 2030 target already missed.
    assert decisions["4.4"].endswith(": đến nay chưa đạt mức mục tiêu năm 2030. Đề nghị chỉ đạo sớm triển khai "
                                     "thực hiện.")
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == 7 and captions[0].startswith("Biểu đồ 1. Khả năng đạt mục tiêu năm 2030")
    assert captions[3] == "Biểu đồ 4. Các chỉ tiêu của Mục tiêu 3: số liệu thực tế, dự báo và mức cần đạt"
    # Each objective's charts under its own heading, in the brief and the Word document alike.
    # The sections the department writes: a prompt in the Word document, where they are written in the brief.
    assert "(Cơ quan thường trực ghi nội dung" not in html
    assert "Nội dung phần này được trình bày tại Báo cáo số …/BC-SNV ngày … tháng … năm 2026 của Sở Nội vụ." in html
    assert ".docx" not in re.sub(r'href="[^"]*"', "", html)  # a file name is not a reader's word
    # The annex comes last, as the report's appendix (as in the Word version), after the written sections.
    assert html.index("Phụ lục: kết quả thực hiện") > html.index("Đề xuất, kiến nghị") > html.index(
        "Những vấn đề đề nghị Ban Chỉ đạo quan tâm chỉ đạo") > html.index("Tóm tắt kết quả")
    assert any(p.text.startswith("(Cơ quan thường trực ghi nội dung") for p in document.paragraphs)
    by_objective = headings.index("Kết quả theo từng mục tiêu")
    assert headings[by_objective + 1:by_objective + 7] == [
        f"Mục tiêu {o.number}: {o.title_vi}" for o in load_plan().objectives]
    # Each objective's charts are described from the data they draw (they read "Biểu đồ: Mục tiêu 3: …").
    assert ('alt="Biểu đồ diễn biến và dự báo của 7 chỉ tiêu tại Quảng Trị (địa bàn tỉnh mới), mỗi chỉ tiêu một ô. '
            'Biểu đồ chỉ tiêu 3.1 “') in html and 'alt="Biểu đồ: ' not in html
    # Each chart of the brief has its numbered caption, as in the Word version; no chart is shown twice.
    assert html.count('class="gm-caption"') == 7 == html.count("<img") - html.count('class="gm-logo"')
    assert "Biểu đồ 4. Các chỉ tiêu của Mục tiêu 3: số liệu thực tế, dự báo và mức cần đạt" in html
    # The revisions keep their own heading right under the changes (their sentence once sat under the
    # changes' heading, before the changes' table).
    changes = headings.index(i18n.t("report.sections.changes", "vi"))
    assert headings[changes + 1] == "Số liệu được điều chỉnh"
    assert document.tables[-1].rows[0].cells[0].text == "Mã" and len(document.tables[-1].rows) == 26
    assert len(document.inline_shapes) == 7  # the dot plot and one chart grid per objective
    book = openpyxl.load_workbook(tables / "annual_2026.xlsx")
    assert book.sheetnames[:3] == ["Phụ lục", "Phụ lục (dạng số)", "Báo cáo các cơ quan"]
    # The bundled data are illustrative: every table sheet says so above its header, not only the notes.
    for name in book.sheetnames[:-1]:
        assert book[name]["A1"].value.startswith("SỐ LIỆU MINH HỌA") and book[name]["A2"].value
    assert book["Phụ lục"]["A2"].value == "Mã" and book["Phụ lục"].max_row == 27
    numbers = book["Phụ lục (dạng số)"]  # the same 25 targets, their values as numbers
    assert numbers.max_row == 27 and any(c.data_type == "n" and c.value is not None for c in numbers[3])
    assert (tables / "annex_2026.csv").is_file()
    # 3.5b (consanguineous marriages) has every value at the merged province hidden but 2023's zero: its 2030
    # outlook, read off a projection of those counts, is withheld alike in the annex, its CSV, both sheets of the
    # workbook, the Word annex and the chart's description. 3.3's, read off its published 2026 value (10 of 10),
    # stays: "đã đạt mức mục tiêu, cần duy trì"; its 2025 result (6 of 7, hidden) is withheld.
    withheld = "không công bố (để bảo mật)"
    assert annex_rows.loc["3.5b", "outlook"] == "hidden" and annex_rows.loc["3.3", "outlook"] == "met"
    assert annex_rows.loc["3.3", "outcome_mid"] == "hidden"
    for sheet in ("Phụ lục", "Phụ lục (dạng số)"):
        rows = {r[0]: r for r in book[sheet].iter_rows(values_only=True) if r[0] in ("3.3", "3.5b")}
        assert rows["3.5b"][-2 if sheet.endswith("(dạng số)") else -1] == withheld, sheet
        assert "đã đạt mức mục tiêu, cần duy trì" in rows["3.3"]
        assert not any(isinstance(c, str) and ("chưa chắc chắn" in c or "có khả năng" in c) for c in rows["3.5b"])
    appendix = {r.cells[0].text: [c.text for c in r.cells] for r in document.tables[-1].rows}
    assert appendix["3.5b"][-1] == withheld and appendix["3.3"][4] == withheld
    assert "; 3.5b Hôn nhân cận huyết thống…: không công bố (để bảo mật);" in html  # the outlook chart's text


def test_a_report_run_before_its_years_returns_are_due_says_what_it_holds(capsys):
    from gender_monitor.cli.commands.review import warn_if_ahead

    warn_if_ahead(2027, dt.date(2027, 11, 20))  # the year under way, its returns not yet due
    assert "năm 2027 chưa kết thúc (hôm nay là 20/11/2027)" in capsys.readouterr().err
    warn_if_ahead(2029, dt.date(2027, 12, 5))  # a year not begun: projections only
    assert "năm 2029 chưa bắt đầu (ngày lập báo cáo là 05/12/2027)" in capsys.readouterr().err
    warn_if_ahead(2027, dt.date(2027, 12, 5))  # after the due day: nothing to say
    warn_if_ahead(2026, dt.date(2027, 1, 10))
    assert capsys.readouterr().err == ""


def test_the_notebook_is_paired_and_clean():
    import jupytext
    import nbformat

    ipynb = nbformat.read(paths.notebooks_dir() / "annual_report.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in ipynb.cells if c.cell_type == "code")
    paired = jupytext.read(paths.notebooks_dir() / "annual_report.py")
    assert [(c.cell_type, c.source.strip()) for c in ipynb.cells] == [(c.cell_type, c.source.strip())
                                                                      for c in paired.cells]


def test_a_required_pace_that_rounds_to_nothing_keeps_its_sign_and_a_digit(plan):
    t = plan.target("4.3")  # lower is better: a required fall of 0.02 a year, not "cần −0,0"
    assert rep.pace_text(-0.02, -0.5, t, "vi") == "cần −0,02‰ mỗi năm; thực tế −0,5‰ mỗi năm"
    assert rep.pace_text(-1.3, 0.04, t, "vi") == "cần −1,3‰ mỗi năm; thực tế +0,04‰ mỗi năm"
    assert rep.pace_text(-1.3, 0.004, t, "vi") == "cần −1,3‰ mỗi năm; thực tế +0,004‰ mỗi năm"  # small, not zero


def test_a_pace_of_zero_reads_as_no_change_not_plus_or_minus_zero(plan):
    # A pace of zero read "±0,0‰ mỗi năm" / "thực tế …: ±0,0%/năm": "±" is "plus or minus" in a report. It is
    # "không đổi" / "no change", as a change over the year is; so is one that rounds to zero even at three decimals.
    t, fall, ratio = plan.target("4.3"), plan.target("3.5a"), plan.target("3.1")
    assert rep.pace_text(-1.3, 0.0, t, "vi") == "cần −1,3‰ mỗi năm; thực tế không đổi"
    assert rep.pace_text(-1.3, 0.0, t, "en") == "needed −1.3‰ a year; observed no change"
    assert rep.pace_text(-1.3, 0.0003, t, "vi") == "cần −1,3‰ mỗi năm; thực tế không đổi"  # 0,000 at 3 decimals
    assert rep.pace_text(-1.3, -0.0003, t, "en") == "needed −1.3‰ a year; observed no change"
    assert rep.pace_text(-2, 0.0, fall, "vi", period=(2025, 2030)) == "cần −2,0%/năm; thực tế 2025–2030: không đổi"
    assert rep.pace_text(-2, -0.0004, fall, "en", period=(2025, 2030)) == (
        "needed −2.0% a year; observed 2025–2030: no change")
    assert (rep.signed_pace(0.0, ratio, "vi"), rep.signed_pace(-0.0004, ratio, "en")) == ("không đổi", "no change")
    # Small but not zero: its sign and the decimals that show it.
    assert rep.signed_pace(0.004, ratio, "vi") == "+0,004 lần so với nam giới mỗi năm"
    assert rep.signed_pace(-0.02, fall, "en") == "−0.02% a year"
    assert rep.signed_pace(-0.04, t, "vi") == "−0,04‰ mỗi năm"


def test_a_pace_says_its_unit_per_year_and_the_years_the_observed_one_is_measured_over(plan):
    # "cần +6,2; thực tế +5,4" beside "Thay đổi trong năm −1,5" read as two contradicting changes of the
    # year: the observed pace is a trend over several years, in points (shares) or % (a rate of decline) a year.
    assert rep.pace_text(6.25, 5.43, plan.target("1.1"), "vi", "unlikely", (2022, 2026)) == (
        "cần +6,2 điểm phần trăm mỗi năm; thực tế 2022–2026: +5,4 điểm phần trăm mỗi năm")
    assert rep.pace_text(-2, -3.83, plan.target("3.5a"), "vi", period=(2019, 2026)) == (
        "cần −2,0%/năm; thực tế 2019–2026: −3,8%/năm")
    # A rate in its unit, as its values are written ("112,7 bé trai/100 bé gái"): "cần −0,5/năm" said no unit.
    assert rep.pace_text(-0.5, 0.09, plan.target("4.1"), "en", period=(2019, 2026)) == (
        "needed −0.5 boys per 100 girls a year; observed 2019–2026: +0.1 boys per 100 girls a year")
    assert rep.pace_text(-0.5, 0.09, plan.target("4.1"), "vi", period=(float("nan"), 2026)) == (
        "cần −0,5 bé trai/100 bé gái mỗi năm; thực tế +0,1 bé trai/100 bé gái mỗi năm")  # no period known: none said
    assert rep.pace_text(-0.16, -0.84, plan.target("4.2"), "vi", period=(2019, 2026)) == (
        "cần −0,2 ca/100.000 trẻ sinh sống mỗi năm; thực tế 2019–2026: −0,8 ca/100.000 trẻ sinh sống mỗi năm")


def test_the_annex_gives_the_years_of_the_observed_pace(year_2026, plan):
    _, _, assessment, annex = year_2026
    one = annex.set_index("code").loc["1.1"]
    row = assessment[(assessment["code"] == "1.1") & (assessment["target_year"] == 2030)].iloc[0]
    # 1.1 has 40, 44, 47 in 2024–2026: the observed pace is the trend over those three years.
    assert (one["pace_from"], one["pace_to"]) == (row["observed_from"], row["observed_to"]) == (2024, 2026)
    table = rep.annex_table(annex, plan, year=2026, language="vi").set_index("Mã")
    assert "thực tế 2024–2026: +3,5 điểm phần trăm mỗi năm" in table.loc[
        "1.1", "Mức thay đổi bình quân/năm cần thiết và thực tế "
                                                               "(đến năm 2030)"]


def test_a_reported_value_without_a_status_is_taken_as_official_not_a_missing_word():
    row = pd.Series({"value_now_source": "reported", "value_now": 47.0, "value_now_status": float("nan"),
                     "value_now_lo": float("nan"), "value_now_hi": float("nan"), "suppressed": False})
    official = row.copy()
    official["value_now_status"] = "official"
    assert rep.estimate_text(row, "percent", 2026, "vi") == rep.estimate_text(official, "percent", 2026, "vi")
    assert "47,0%" in rep.estimate_text(row, "percent", 2026, "vi")


def test_the_change_over_the_year_is_the_difference_of_the_values_as_written(write_obs, plan, places):
    # 3.2a went from 89,78 to 92,74: the annex writes 89,8% and 92,7%, so the change is +2,9 points, not
    # the +3 of the unrounded difference (2,96), which a reader checking the subtraction could not find.
    # 4.4's count stayed at 0: "không đổi", not "±0".
    rows = [*ROWS_2026, "3.2a,QT25,2025,89.78,,,,,percent,fixture,official,,admin-rebased",
            "3.2a,QT25,2026,92.74,,,,,percent,fixture,preliminary,,admin-rebased",
            "4.4,QT25,2025,0,,,,,count,fixture,official,,admin-rebased",
            "4.4,QT25,2026,0,,,,,count,fixture,preliminary,,admin-rebased"]
    annex = _annex(write_obs, plan, places, rows, 2026)[3]
    assert annex.set_index("code").loc["3.2a", "change"] == pytest.approx(2.9)
    table = rep.annex_table(annex, plan, year=2026, language="vi").set_index("Mã")
    assert table.loc["3.2a", "Thực hiện năm 2025"] == "89,8%"
    assert table.loc["3.2a", "Thay đổi trong năm"] == "+2,9 điểm phần trăm"
    assert table.loc["4.4", "Thay đổi trong năm"] == "không đổi"
    english = rep.annex_table(annex, plan, year=2026, language="en").set_index("Code")
    assert english.loc["4.4", "Change over the year"] == "no change"
    share = plan.target("3.2a")
    assert rep.change_text(-0.04, share, "vi") == "không đổi"  # rounds to 0,0 as written
    assert rep.change_text(-0.06, share, "vi") == "−0,1 điểm phần trăm"
    assert rep.change_text(1.0, share, "vi") == "+1,0 điểm phần trăm"


def test_the_change_over_the_year_says_its_unit_as_its_pace_does(write_obs, plan, places):
    # 4.3's change read a bare "−0,1" beside "+5,4 điểm phần trăm" for a share and a pace "−0,3‰ mỗi năm" in the next
    # column (4.1's "−1,5", 3.5a's "+6" likewise). A change over one year now has its pace's words without "mỗi năm".
    rows = [*ROWS_2026, "4.1,QT25,2026,110.6,,,,,per_100,fixture,preliminary,,registration-rebased",
            "4.3,QT25,2025,19.186,,,1155,60200,per_1000,fixture,official,,admin-rebased",
            "4.3,QT25,2026,18.636,,,1120,60100,per_1000,fixture,preliminary,,admin-rebased",
            "3.5a,QT25,2025,200,,,,,count,fixture,official,,admin-rebased",
            "3.5a,QT25,2026,206,,,,,count,fixture,preliminary,,admin-rebased"]
    annex = _annex(write_obs, plan, places, rows, 2026)[3]
    vi = rep.annex_table(annex, plan, year=2026, language="vi").set_index("Mã")["Thay đổi trong năm"]
    en = rep.annex_table(annex, plan, year=2026, language="en").set_index("Code")["Change over the year"]
    # 1.155 / 60.200 = 19,19‰ → 19,2; 1.120 / 60.100 = 18,64‰ → 18,6: −0,6‰. 4.1: 110,6 − 112,0 = −1,4.
    # 3.5a: 206 − 200 = +6 marriages. 1.1: 47,0 − 44,0 = +3,0 points.
    assert (vi["4.3"], en["4.3"]) == ("−0,6‰", "−0.6‰")
    assert (vi["4.1"], en["4.1"]) == ("−1,4 bé trai/100 bé gái", "−1.4 boys per 100 girls")
    assert (vi["3.5a"], en["3.5a"]) == ("+6 cuộc", "+6 marriages")
    assert (vi["1.1"], en["1.1"]) == ("+3,0 điểm phần trăm", "+3.0 percentage points")
    assert rep.change_text(-0.2, plan.target("4.2"), "vi") == "−0,2 ca/100.000 trẻ sinh sống"
    assert rep.change_text(0.0, plan.target("5.1"), "vi") == "không đổi"
    # One rule: for every target but a rate of decline (a pace in %/năm, a change in its count), the words after
    # a change's number are those after its pace's, without the year.
    for t in plan.targets:
        if t.kind == "rate_of_decline" or t.unit == "yes_no":
            continue
        for language, year in (("vi", " mỗi năm"), ("en", " a year")):
            change = re.sub(r"^[+−][\d.,]+", "", rep.change_text(2.0, t, language))
            pace = re.sub(r"^[+−][\d.,]+", "", rep.signed_pace(2.0, t, language))
            assert change + year == pace, (t.code, language, change, pace)


def test_word_tables_give_each_column_the_room_its_text_needs_and_figures_are_numbered_with_captions():
    # Eleven equal columns squeezed the annex's names into a sliver beside a wide code column; figures
    # stood without a caption. Widths follow the text (a name column wider than a code column) and sum
    # to the page; each figure gets "Biểu đồ n. …" in the document's order.
    import matplotlib.pyplot as plt

    frame = pd.DataFrame({"Mã": ["1.1", "2.1"], "Chỉ tiêu": ["Tỷ lệ nữ lãnh đạo chủ chốt các cơ quan " * 2] * 2,
                          "Đơn vị tính": ["%", "%"]})
    room = 5_760_000  # 16 cm
    widths = office.column_widths(frame, room)
    assert widths[1] > 5 * widths[0] and sum(widths) <= room
    # Each column first holds its longest word and a space ("1.1": 3 + 1; the name's longest words, "lãnh",
    # "chốt", "quan", "tiêu": 4 + 1; "Đơn vị tính": "tính", 4 + 1), then shares the rest by the mean length of
    # its cells (3; 78, capped at 60; 1).
    char, pad = office.CHAR_WIDTH, office.CELL_PADDING  # and the cell's padding
    floors = [4 * char + pad, 5 * char + pad, 5 * char + pad]
    extra = room - sum(floors)
    assert widths == [int(f + extra * w / 64) for f, w in zip(floors, (3, 60, 1))]
    # With no room to share, the floors shrink alike.
    small = sum(floors) // 2
    assert office.column_widths(frame, small) == [int(small * f / sum(floors)) for f in floors]
    fig = plt.figure(figsize=(4, 3))
    png = office.figure_png(fig)
    plt.close(fig)
    blocks = [office.Block("Tóm tắt", figures=[png], captions=["Khả năng đạt"], tables=[("", frame)]),
              office.Block("Mục tiêu 1", figures=[png, png], captions=["Mục tiêu 1", "Mục tiêu 2"])]
    document = docx.Document(io.BytesIO(office.document(blocks, title="t")))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == ["Biểu đồ 1. Khả năng đạt", "Biểu đồ 2. Mục tiêu 1", "Biểu đồ 3. Mục tiêu 2"]
    cells = document.tables[0].rows[1].cells
    assert cells[1].width > 5 * cells[0].width


def test_a_yearly_rate_of_decline_is_checked_on_the_years_own_step(write_obs, plan, places):
    # 3.5a asks for a fall of 2–3% every year from 2025: 200 cuộc in 2025 and 206 in 2026 is a rise of 3,0%
    # (206/200 − 1), which the period's trend (a fall over the years before) did not say.
    base = [f"3.5a,QT25,{y},{v},,,,,count,fixture,official,,admin-rebased"
            for y, v in ((2022, 240), (2023, 228), (2024, 214), (2025, 200))]

    def sentences(value_2026: int, year: int = 2026, language: str = "vi") -> list[str]:
        rows = [*ROWS_2026, *base, f"3.5a,QT25,2026,{value_2026},,,,,count,fixture,preliminary,,admin-rebased"]
        annex = _annex(write_obs, plan, places, rows, year)[3]
        return rep.decline_sentences(annex, plan, year=year, language=language)

    # Events in a year vary by chance as a Poisson count: 206 against 200 is a difference of 6 with a standard
    # error of √(206 + 200) ≈ 20,1 (z ≈ 0,3), so the sentence says so; the chance line then leaves 3.5a out.
    assert sentences(206) == ["Số cuộc tảo hôn (3.5a) ước năm 2026 tăng 3,0% so với năm 2025 (206 so với 200 cuộc), "
                              "chưa đạt yêu cầu giảm 2–3% mỗi năm. Tuy nhiên, mức thay đổi này nằm trong phạm vi "
                              "biến động ngẫu nhiên hằng năm, chưa đủ căn cứ để kết luận tình hình đã chuyển biến "
                              "tích cực hay tiêu cực."]
    assert sentences(195)[0].endswith("giảm 2,5% so với năm 2025 (195 so với 200 cuộc), đạt yêu cầu giảm 2–3% mỗi năm. "
                                      "Tuy nhiên, mức thay đổi này nằm trong phạm vi biến động ngẫu nhiên hằng năm, "
                                      "chưa đủ căn cứ để kết luận tình hình đã chuyển biến tích cực hay tiêu cực.")
    assert "down 2.5% on 2025" in sentences(195, language="en")[0]
    # 150 against 200: a fall of 50 with a standard error of √350 ≈ 18,7 (z ≈ 2,7) is no chance swing.
    assert sentences(150)[0].endswith("giảm 25,0% so với năm 2025 (150 so với 200 cuộc), đạt yêu cầu giảm 2–3% mỗi "
                                      "năm.")
    rows = [*ROWS_2026, *base, "3.5a,QT25,2026,206,,,,,count,fixture,preliminary,,admin-rebased"]
    annex = _annex(write_obs, plan, places, rows, 2026)[3]
    none = pd.DataFrame(columns=["code", "direction"])
    assert rep.decline_codes(annex, plan, year=2026) == ["3.5a"]
    assert any(line.endswith(": 3.5a.") for line in rep.change_lines(annex, none, plan, year=2026))
    said = rep.change_lines(annex, none, plan, year=2026, said=rep.decline_codes(annex, plan, year=2026))
    assert not any("3.5a" in line for line in said)
    assert sentences(206, year=2025) == []  # the period's first year has no step of its own yet


def test_the_final_review_asks_for_the_next_period_not_for_speed_in_a_plan_that_has_ended(plan):
    # 1.1 in the final review of 2030, judged on the estimate (no 2030 value): 5.4 points a year over
    # 2025–2026 where 6.2 were needed. The yearly report asks to speed up; in the plan's last year nothing
    # is left to speed up, and "khó đạt" (hard to reach) would speak of years to come.
    annex = _annex_of({"code": "1.1", "outlook": "unlikely", "pace_needed": 6.2, "pace_observed": 5.4,
                       "pace_from": 2022, "pace_to": 2026, "value_now": 55.4, "value_now_source": "projection",
                       "outlook_trend": "improving"})
    final = _decision(annex, plan, "1.1", year=2030)
    assert final == (
        "1.1 " + messages.short_name(plan.target("1.1"), "vi", 60) + ": nhiều khả năng không đạt mục tiêu năm 2030; "
        "thực tế 2022–2026: +5,4 điểm phần trăm mỗi năm; tốc độ cần thiết +6,2 điểm phần trăm mỗi năm. Tốc độ thực "
        "hiện các năm qua chưa đáp ứng yêu cầu; đề nghị làm rõ nguyên nhân, xác định đây là nhiệm vụ trọng tâm của "
        "giai đoạn tiếp theo.")
    yearly = _decision(annex, plan, "1.1", year=2029)
    assert "khó đạt mục tiêu năm 2030; cần +6,2" in yearly and yearly.endswith("đẩy nhanh tiến độ thực hiện.")
    # A level reached is the outcome in the last year, not a level "to be kept".
    t = plan.target("2.1")
    assert rep.pace_text(-0.4, 1.4, t, "vi", "met", (2022, 2026), ended=True) == (
        "đã đạt mức mục tiêu; thực tế 2022–2026: +1,4 điểm phần trăm mỗi năm")
    assert rep.outlook_label("met", "latest", "vi", before_end=False) == "đạt"
    assert rep.outlook_label("likely", "projection", "vi", before_end=False) == "nhiều khả năng đạt"
    assert rep.outlook_label("likely", "projection", "vi") == "có khả năng đạt"
    assert rep.outlook_label("not_met", "data", "vi", before_end=False) == "không đạt"  # not "chưa đạt" (not yet)
    # 4.4 not met on its 2026 value, read in the final review: not yet met ("chưa đạt"), not missed.
    nil = _annex_of({"code": "4.4", "outlook": "not_met", "outlook_judged": "latest", "value_now_source": "none"})
    assert ": chưa đạt mục tiêu năm 2030" in _decision(nil, plan, "4.4", year=2030)
    nil.loc[0, "outlook_judged"] = "data"
    assert ": không đạt mục tiêu năm 2030" in _decision(nil, plan, "4.4", year=2030)


def test_the_final_table_says_over_which_years_a_rate_of_decline_was_measured(write_obs, plan, places, monkeypatch):
    # 3.5a ("giảm 2–3%/năm") is judged on its past average change; under "Giá trị năm 2030" the cell read
    # "bình quân −3,8%/năm", a past pace with no period, as if it were a value of 2030.
    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2031-01-20")
    rows = [f"3.5a,QT25,{y},{v},,,,,count,fixture,official,,admin-rebased"
            for y, v in ((2021, 300), (2022, 290), (2023, 281), (2024, 272), (2025, 263), (2026, 255))]
    _, _, assessment = _state(write_obs, plan, places, rows, 2030)
    final = rep.final_judgement(plan, assessment)
    said = final.set_index("code").loc["3.5a"]
    assert (said["pace_from"], said["pace_to"]) == (2021, 2026)
    cell = rep.final_table(final, plan, "vi").set_index("Mã").loc["3.5a", "Giá trị năm 2030"]
    assert re.fullmatch(r"bình quân −\d,\d%/năm giai đoạn 2021–2026", cell), cell
    english = rep.final_table(final, plan, "en").set_index("Code").loc["3.5a", "Value 2030"]
    assert english.endswith("a year on average over 2021–2026"), english


def test_the_unit_column_of_a_ratio_says_what_it_is_a_multiple_of_as_its_pace_does(year_2026, plan):
    # 3.1's unit column read a bare "lần" ("times") beside a pace of "−0,05 lần so với nam giới mỗi năm": the number
    # 1,87 is women's hours as a multiple of men's, and the column says so in the pace's words.
    ratio = plan.target("3.1")
    assert rep.unit_name(ratio, "vi") == "lần so với nam giới"
    assert rep.unit_name(ratio, "en") == "times men's hours"
    assert rep.signed_pace(-0.05, ratio, "vi") == "−0,05 " + rep.unit_name(ratio, "vi") + " mỗi năm"
    _, _, _, annex = year_2026
    assert rep.annex_table(annex, plan, year=2026).set_index("Mã").loc["3.1", "Đơn vị tính"] == "lần so với nam giới"
    en = rep.annex_numbers(annex, plan, year=2026, language="en").set_index("Code")
    assert en.loc["3.1", "Unit"] == "times men's hours"
    # A ratio the plan does not say a multiple of (an indicator of a targets file) keeps the unit's own name.
    bare = ratio.model_copy(update={"per_vi": None, "per_en": None})
    assert (rep.unit_name(bare, "vi"), rep.unit_name(bare, "en")) == ("lần", "ratio")
