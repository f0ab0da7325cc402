"""Key messages and the status table, checked against hand-made assessment frames."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from gender_monitor.core import i18n
from gender_monitor.judge import messages
from gender_monitor.plan.registry import load_plan


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def _row(code, year, status, *, judged_on="projection", p=np.nan, latest=50.0, latest_year=2024, projected=np.nan,
         lo80=np.nan, hi80=np.nan, n_obs=8, illustrative=False, trend="stable"):
    return {"code": code, "target_year": year, "status": status, "judged_on": judged_on, "p_meet": p,
            "latest_value": latest, "latest_year": latest_year, "projected": projected, "lo-80": lo80,
            "hi-80": hi80, "lo-95": np.nan, "hi-95": np.nan, "n_obs": n_obs, "illustrative": illustrative,
            "trend": trend, "place": "QT", "label_vi": i18n.status_label(status, "vi"),
            "label_en": i18n.status_label(status, "en"), "symbol": i18n.STATUS_STYLE[status][0],
            "responsible_agency": "SNV", "suppressed": False}


@pytest.fixture
def frame():
    # Five 2025 rows worked out by hand: 2 met or exceeded, 1 likely, 1 too close, 1 unlikely;
    # three 2030 rows: 1 met, 1 unlikely, 1 no data (3.5a has only a 2030 target).
    rows = [
        _row("1.1", 2025, "unlikely", p=0.04, projected=55.0, lo80=52.0, hi80=58.0),
        _row("2.1", 2025, "likely", p=0.95, projected=44.0, lo80=42.0, hi80=46.0),
        _row("2.2", 2025, "too_close", p=0.5, projected=42.1, lo80=40.0, hi80=44.0, n_obs=3),
        _row("2.3", 2025, "met", judged_on="latest", latest=28.0),
        _row("3.2a", 2025, "exceeded", judged_on="data", latest=89.5, latest_year=2025, projected=89.5),
        _row("1.1", 2030, "met", judged_on="latest"),
        _row("2.1", 2030, "unlikely", p=0.02, projected=41.0),
        _row("3.5a", 2030, "no_data", judged_on="none", latest=np.nan, latest_year=np.nan),
    ]
    return pd.DataFrame(rows)


def test_headline_counts_worked_by_hand(frame):
    assert messages.headline(frame, year=2025, language="vi") == (
        "Trong 5 chỉ tiêu có mục tiêu năm 2025: 2 đã đạt hoặc vượt, 1 có khả năng đạt, "
        "1 chưa chắc chắn, 1 khó đạt hoặc chưa đạt.")  # no "0 chưa có số liệu"
    assert messages.headline(frame, year=2025, language="en").startswith(
        "Of the 5 targets with a 2025 target: 2 met or exceeded, 1 likely to be met, 1 too close to call")


def test_later_only_names_targets_without_a_2025_target(frame):
    assert messages.later_only(frame, year=2025, later_year=2030, language="en") == (
        "1 target has only a 2030 target (3.5a); it is judged in the 2030 outlook.")
    assert messages.later_only(frame, year=2025, later_year=2030, language="vi") == (
        "1 chỉ tiêu chỉ có mức cần đạt năm 2030 (3.5a); được đánh giá ở phần khả năng đạt mục tiêu năm 2030.")


def test_risks_list_the_unlikely_target_with_its_numbers(frame, plan):
    lines = messages.risks(frame, plan, year=2025, language="vi")
    assert lines[0] == "Rủi ro lớn nhất đối với mục tiêu năm 2025:"
    assert len(lines) == 2
    assert lines[1].startswith("1.1 – ")
    assert "dự báo 55,0%, mục tiêu ≥60%; xác suất đạt 4%." in lines[1]


def test_too_close_says_why(frame, plan):
    lines = messages.too_close(frame, plan, year=2025, language="en")
    assert lines[0].startswith("Too close to call (1 targets)")
    assert "2.2" in lines[1] and "42.1% (80% interval 40.0–44.0%)" in lines[1]
    assert lines[1].endswith("only 3 data points.")  # 3 < FEW_POINTS


def test_outlook_and_gaps(frame):
    # Groups with no target are not said ("0 too close to call", "0 targets have no data after 2023").
    assert messages.outlook(frame, year=2030, language="en") == (
        "Outlook for 2030 of 3 targets: 1 met or likely, 1 unlikely or not met, 1 without data.")
    assert messages.outlook(frame, year=2030, language="vi") == (
        "Khả năng đạt mục tiêu năm 2030 của 3 chỉ tiêu: 1 đã đạt hoặc có khả năng đạt, 1 khó đạt hoặc chưa đạt, "
        "1 chưa có số liệu.")
    gaps = messages.data_gaps(frame, as_of=2025, language="en")
    # 6 codes: none illustrative, 3.5a without data, none stale (all latest ≥ 2023).
    assert gaps[0] == "Data: 1 target(s) have no data."
    every = messages.data_gaps(frame.assign(illustrative=True), as_of=2025, language="vi")
    assert every[0].startswith("Số liệu: cả 6 chỉ tiêu được đánh giá trên số liệu có phần minh họa")  # not "6 trong 6"


def test_no_risks_sentence(plan):
    frame = pd.DataFrame([_row("2.1", 2025, "likely", p=0.95)])
    assert messages.risks(frame, plan, year=2025, language="vi") == [
        "Không có chỉ tiêu nào được đánh giá là khó đạt hoặc chưa đạt mục tiêu năm 2025."]


def test_summary_table_has_symbol_label_and_colour(frame, plan):
    html = messages.summary_table_html(frame, plan, language="vi", codes=["1.1", "2.1", "3.2a"])
    assert html.count("<tr data-code=") == 3
    symbol, colour = i18n.STATUS_STYLE["unlikely"]
    assert 'data-status="unlikely"' in html and symbol in html and colour in html and "khó đạt" in html
    assert "★" in html and "vượt" in html
    assert "≥60%" in html and "55,0% " in html  # target, latest value (with its trend arrow)
    assert "dự báo 55,0% · 4%" in html  # projection and probability in the 2025 cell


def test_a_latest_value_without_a_known_trend_has_no_stray_mark(plan):
    # Two values: no trend yet. The cell read "50,0% · (2026)", the unknown trend's "·" beside the value.
    frame = pd.DataFrame([_row("1.1", 2030, "insufficient_data", latest=50.0, latest_year=2026, trend="unknown"),
                          _row("2.1", 2030, "likely", p=0.95, latest=44.0, latest_year=2026, trend="improving")])
    html = messages.summary_table_html(frame, plan, language="vi", codes=["1.1", "2.1"])
    first, second = html.split('<tr data-code="2.1">')
    assert "50,0%<br>" in first and "(2026)</span>" in first
    assert '44,0% <span aria-hidden="true">↗</span>' in second and "(2026) · cải thiện" in second


def test_a_target_year_the_report_has_reached_is_judged_in_end_words(plan):
    # The final review's objective briefs said "khó đạt" (hard to reach) of 2030 in 2030, beside the report's
    # "nhiều khả năng không đạt"; a yearly report before 2030 keeps the outlook's words.
    frame = pd.DataFrame([_row("4.1", 2030, "unlikely", p=0.04), _row("4.2", 2030, "likely", p=0.95),
                          _row("4.4", 2030, "not_met", judged_on="data", latest_year=2030)])
    final = messages.summary_table_html(frame, plan, language="vi", codes=["4.1", "4.2", "4.4"], as_of=2030)
    assert "nhiều khả năng không đạt" in final and "nhiều khả năng đạt" in final
    assert "khó đạt" not in final
    row_44 = final.split('<tr data-code="4.4">')[1]
    # Not met: "không", not "chưa" (not yet); but not met on an earlier year's value is "chưa đạt" (not yet).
    assert "</span> không đạt</span>" in row_44 and "chưa đạt" not in row_44
    earlier = messages.summary_table_html(frame.assign(judged_on="latest", latest_year=2026), plan, language="vi",
                                          codes=["4.4"], as_of=2030)
    assert "</span> chưa đạt</span>" in earlier
    yearly = messages.summary_table_html(frame, plan, language="vi", codes=["4.1", "4.2", "4.4"], as_of=2027)
    assert "khó đạt" in yearly and "nhiều khả năng" not in yearly
    assert messages.objective_headline(frame, plan, 4, year=2030, as_of=2030).endswith(
        "1 nhiều khả năng đạt, 2 không đạt hoặc nhiều khả năng không đạt.")
    assert "2 khó đạt hoặc chưa đạt" in messages.objective_headline(frame, plan, 4, year=2030, as_of=2027)
    # The legend explains the end words where a target year has come, and only there.
    assert "“nhiều khả năng không đạt” là đánh giá theo ước tính" in messages.legend_html("vi", ended=True)
    assert "nhiều khả năng" not in messages.legend_html("vi")


def test_format_value_and_target_text(plan):
    assert messages.format_value(1234.0, "count", "vi") == "1.234"
    assert messages.format_value(55.26, "percent", "vi") == "55,3%"
    assert messages.format_value(1.78, "ratio", "vi") == "1,78 lần"
    assert messages.target_text(plan.target("4.1"), 2025, "vi") == "≤111 bé trai/100 bé gái"
    assert messages.format_value(38.26, "per_100000", "vi") == "38,3/100.000"
    assert messages.format_value(19.3, "per_1000", "en") == "19.3‰"
    assert messages.target_text(plan.target("3.5a"), 2030, "vi") == "giảm 2–3%/năm"
    assert messages.target_text(plan.target("6.4"), 2025, "en") == "100%"
    assert messages.target_text(plan.target("3.5a"), 2025, "vi") == "–"


def test_legend_defines_thresholds_in_both_languages():
    vi = messages.legend_html("vi")
    en = messages.legend_html("en")
    assert "≥ 90%" in vi and "≤ 10%" in vi and "dự báo" in vi
    assert "≥ 90%" in en and "projected state" in en and "current state" in en


def test_locales_have_the_same_keys():
    assert i18n.flat_keys("vi") == i18n.flat_keys("en")
    for status in i18n.STATUS_STYLE:
        assert i18n.status_label(status, "vi") and i18n.status_label(status, "en")


def test_numbers_in_vietnamese():
    assert i18n.number(1234.56, "vi") == "1.234,6"
    assert i18n.number(1234.56, "en") == "1,234.6"
    assert i18n.number(111.0, "vi") == "111"
    # A small negative number rounded away is 0, not "-0"; one that shows keeps its sign.
    assert i18n.number(-0.04, "vi") == "0" and i18n.number(-0.4, "vi", 0) == "0"
    assert i18n.number(-0.06, "vi") == "-0,1" and i18n.number(-1234.5, "vi", 0) == "-1.234"
    assert i18n.percent(0.4656, "vi") == "47%" and i18n.percent(0.001) == "<1%" and i18n.percent(0.999) == ">99%"


def test_a_stored_value_is_said_in_each_languages_style_and_a_typed_cell_as_it_was_typed():
    # The stores keep numbers as text with a decimal point ("108.2"): a message says them as each reader writes
    # them; a held cell that broke a rule ("2e3", "1,050", "abc") is quoted as it came.
    assert i18n.value_said("108.2") == {"vi": "108,2", "en": "108.2"}
    assert i18n.value_said(12048) == {"vi": "12.048", "en": "12,048"}
    assert i18n.value_said("-3") == {"vi": "-3", "en": "-3"}
    assert [i18n.value_said(t) for t in ("2e3", "1,050", "abc", "")] == ["2e3", "1,050", "abc", ""]
    assert i18n.value_said(float("nan")) == "nan"


def test_a_value_as_given_keeps_its_digits_in_each_languages_style_never_an_exponent():
    assert i18n.as_given(85.37) == {"vi": "85,37", "en": "85.37"}
    assert i18n.as_given(1e6) == {"vi": "1.000.000", "en": "1,000,000"}
    assert i18n.as_given(1e20)["vi"] == "100.000.000.000.000.000.000"
    assert i18n.as_given(0.1 + 0.2) == {"vi": "0,3", "en": "0.3"} and i18n.as_given(-0.0)["vi"] == "0"
    assert i18n.as_given(-2.5)["vi"] == "-2,5" and i18n.as_given(3) == {"vi": "3", "en": "3"}
    # More digits than a report shows: all of them, as the agency typed them.
    assert i18n.as_given(12.3456) == {"vi": "12,3456", "en": "12.3456"}
    assert i18n.as_given(1234.000125) == {"vi": "1.234,000125", "en": "1,234.000125"}


def test_trend_arrow_shows_the_movement_not_the_verdict():
    from gender_monitor.judge.messages import trend_arrow

    # Child marriages (lower is better) falling: improving, and the arrow points down.
    assert trend_arrow("improving", "lower") == "↘"
    assert trend_arrow("worsening", "lower") == "↗"
    assert trend_arrow("improving", "higher") == "↗"
    assert trend_arrow("worsening", "higher") == "↘"
    assert trend_arrow("stable", "higher") == "→"


def test_pace_is_said_as_a_fall_or_a_rise_never_a_negative_fall():
    from gender_monitor.judge.messages import pace_text

    assert pace_text(2.8, "vi") == "giảm 2,8%/năm"
    assert pace_text(-0.6, "vi") == "tăng 0,6%/năm"
    assert pace_text(2.8, "en") == "falling 2.8% a year"


def test_a_pace_that_rounds_to_zero_is_no_change_not_a_fall_of_zero():
    from gender_monitor.judge.messages import pace_text

    # Shown to one decimal: 0, 0.04 and −0.04 all read 0, which is neither a fall nor a rise.
    assert pace_text(0.0, "vi") == "không đổi" and pace_text(0.04, "vi") == "không đổi"
    assert pace_text(-0.04, "en") == "no change"
    assert pace_text(0.06, "vi") == "giảm 0,1%/năm" and pace_text(-0.06, "en") == "rising 0.1% a year"


# -- the board's snapshot ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "trend", "n_obs", "expected"), [
    ("exceeded", "worsening", 9, "maintain"),      # met now: keep it, whatever the trend
    ("likely", "improving", 9, "maintain"),
    ("no_data", "unknown", 0, "get_data"),
    ("insufficient_data", "unknown", 1, "get_data"),
    ("too_close", "improving", 2, "get_data"),     # a close call on two points is a call for data
    ("too_close", "worsening", 8, "reverse"),
    ("unlikely", "worsening", 8, "reverse"),
    ("unlikely", "improving", 8, "accelerate"),
    ("not_met", "stable", 8, "accelerate"),
    ("not_applicable", "unknown", 0, None),
    ("hidden", "unknown", 10, "hidden"),           # not published: neither "maintain" nor "accelerate" says it
])
def test_the_action_follows_status_trend_and_data(status, trend, n_obs, expected):
    assert messages.action(pd.Series({"status": status, "trend": trend, "n_obs": n_obs})) == expected


def test_a_status_not_published_has_no_course_basis_or_probability_beside_it(plan):
    # 3.3 at the mid-term: both statuses withheld (2025 judged on its hidden value, 2030 read off a projection of
    # the series with it); 3.2a beside it keeps its basis and probability and calls for "maintain".
    frame = pd.DataFrame([_row("3.3", 2025, "hidden", judged_on="data", latest=np.nan, latest_year=2025),
                          _row("3.3", 2030, "hidden", latest=np.nan, latest_year=2025),
                          _row("3.2a", 2025, "exceeded", judged_on="data", latest=89.8, latest_year=2025,
                               projected=89.8),
                          _row("3.2a", 2030, "likely", p=0.975, latest=89.8, latest_year=2025, projected=94.0)])
    frame.loc[frame["code"] == "3.3", "suppressed"] = True

    def cells(table: str, code: str) -> list[str]:
        row = table.split(f'<tr data-code="{code}">')[1].split("</tr>")[0]
        return [re.sub(r"<[^>]+>", "", c.split(">", 1)[1]).strip() for c in row.split("<td")[1:]]

    hidden = "◌ không công bố (để bảo mật)"
    snapshot = messages.snapshot_html(frame, plan, language="vi", year=2025, later_year=2030, as_of=2025)
    assert cells(snapshot, "3.3")[3:] == [hidden, hidden, "Không công bố (để bảo mật)"]
    assert cells(snapshot, "3.2a")[3:] == ["★ vượt", "▲ có khả năng đạt (98%)", "Duy trì"]
    table = messages.summary_table_html(frame, plan, language="vi", codes=["3.3", "3.2a"], as_of=2025)
    assert [cells(table, "3.3")[i] for i in (4, 6)] == [hidden, hidden]  # no "số liệu", no "dự báo"
    assert [cells(table, "3.2a")[i] for i in (4, 6)] == ["★ vượtsố liệu 89,8%", "▲ có khả năng đạtdự báo 94,0% · 98%"]
    counts = messages.action_counts(frame, plan)
    assert (counts["hidden"], counts["maintain"]) == (1, 1)
    assert messages.action_counts_text({"maintain": 1, "accelerate": 0, "reverse": 0, "get_data": 0, "hidden": 1},
                                       "vi") == "Hướng xử lý: Duy trì 1, Không công bố (để bảo mật) 1."
    assert messages.action_counts_text({"maintain": 0, "accelerate": 2, "reverse": 0, "get_data": 0, "hidden": 1},
                                       "en") == "Action: Accelerate 2, Not published (confidential) 1."


def test_the_mid_term_snapshot_says_a_missed_2025_target_as_the_objective_briefs_do(plan):
    # The mid-term review's first page said "chưa đạt" (not yet met) of a 2025 target missed on its 2025 value
    # while the objective brief said "không đạt" (not met): the plan's word for a year gone by. One word, both.
    frame = pd.DataFrame([_row("2.3", 2025, "not_met", judged_on="data", latest=25.8, latest_year=2025),
                          _row("2.3", 2030, "too_close", p=0.3, projected=28.0),
                          _row("4.4", 2030, "not_met", judged_on="latest", latest=0.0, latest_year=2025),
                          _row("6.1", 2025, "likely", p=0.93, projected=61.0)])

    def cell(table: str, code: str, column: int) -> str:
        row = table.split(f'<tr data-code="{code}">')[1].split("</tr>")[0]
        return row.split("<td")[column]

    snapshot = messages.snapshot_html(frame, plan, language="vi", year=2025, later_year=2030, as_of=2025)
    table = messages.summary_table_html(frame, plan, language="vi", as_of=2025)
    assert "</b> không đạt</span>" in cell(snapshot, "2.3", 4) and "không đạt" in cell(table, "2.3", 5)
    assert "chưa đạt" not in cell(snapshot, "2.3", 4) + cell(table, "2.3", 5)
    # A 2025 target judged on its projection (no 2025 value): what most likely happened, in both.
    assert "nhiều khả năng đạt" in cell(snapshot, "6.1", 4) and "nhiều khả năng đạt" in cell(table, "6.1", 5)
    # 2030 is ahead: a milestone not done yet is "chưa đạt", in both.
    assert "</b> chưa đạt</span>" in cell(snapshot, "4.4", 5) and "chưa đạt" in cell(table, "4.4", 7)
    # The headline counts in the same words as the objective briefs' headlines.
    assert messages.headline(frame, year=2025, as_of=2025) == (
        "Trong 2 chỉ tiêu có mục tiêu năm 2025: 1 nhiều khả năng đạt, 1 không đạt hoặc nhiều khả năng không đạt.")
    assert messages.headline(frame, year=2025, as_of=2024).endswith("1 có khả năng đạt, 1 khó đạt hoặc chưa đạt.")
    # Its legend lists the end words it uses, and explains them.
    legend = messages.legend_html("vi", statuses=messages.summary_statuses(frame, plan, as_of=2025))
    assert "không đạt" in legend and "Mục tiêu của năm đã đến" in legend


def test_the_snapshot_has_one_line_per_target_and_counts_its_actions(frame, plan):
    html_ = messages.snapshot_html(frame, plan, language="vi", year=2025, later_year=2030)
    assert html_.count("<tr data-code=") == len(plan.targets)
    counts = messages.action_counts(frame, plan, later_year=2030)
    assert sum(counts.values()) == len(plan.targets) and list(counts) == list(messages.ACTIONS)
    # Targets absent from the assessment have no value: the board is asked to get data for them.
    assert counts["get_data"] >= len(set(plan.codes) - set(frame["code"]))
    text = messages.action_counts_text({"maintain": 2, "accelerate": 0, "reverse": 1, "get_data": 0}, "vi")
    assert text == "Hướng xử lý: Duy trì 2, Đảo ngược xu hướng 1."  # no "0 …" phrase
    assert messages.action_counts_text({"maintain": 1, "accelerate": 0, "reverse": 0, "get_data": 0}, "en") \
        == "Action: Maintain 1."


def test_objective_headline_counts_add_up_and_say_one_target(frame, plan):
    vi = messages.objective_headline(frame, plan, 3, year=2025, language="vi")
    n3 = len(plan.targets_of(3))
    with_2025 = int(((frame["target_year"] == 2025) & frame["code"].isin([t.code for t in plan.targets_of(3)])).sum())
    assert vi.startswith(f"Mục tiêu 3 có {n3} chỉ tiêu")
    groups = [int(x) for x in re.findall(r"(\d+) (?:đã đạt|có khả năng|chưa đủ|khó đạt|chưa có)", vi.split(":", 1)[-1])]
    assert sum(groups) == with_2025 and 0 not in groups
    en = messages.objective_headline(frame, plan, 1, year=2025, language="en")
    assert en.startswith("Objective 1 has 1 target") and "1 targets" not in en


def test_a_pace_enough_beside_a_bad_outlook_says_why_they_differ(plan):
    # 1.1 (≥75% by 2030): needed +2,1 a year, observed +6,3, yet "unlikely": the projection shrinks the
    # trend. Without a word the board reads an error.
    from gender_monitor.judge.report import pace_text

    t = plan.target("1.1")
    vi = pace_text(2.1, 6.3, t, "vi", "unlikely")
    assert vi.startswith("cần +2,1 điểm phần trăm mỗi năm; thực tế +6,3 điểm phần trăm mỗi năm (nếu duy trì tốc độ "
                         "này thì đạt;")
    assert "(this pace, if kept up, would reach it;" in pace_text(2.1, 6.3, t, "en", "too_close")
    # too slow: nothing to explain
    assert pace_text(2.1, 1.0, t, "vi", "unlikely") == ("cần +2,1 điểm phần trăm mỗi năm; thực tế +1,0 điểm phần "
                                                        "trăm mỗi năm")
    # they agree
    assert pace_text(2.1, 6.3, t, "vi", "likely") == ("cần +2,1 điểm phần trăm mỗi năm; thực tế +6,3 điểm phần "
                                                      "trăm mỗi năm")
    lower = plan.target("4.2")  # lower is better: a fall of 1,5 a year where 1,0 is needed is enough
    assert "nếu duy trì" in pace_text(-1.0, -1.5, lower, "vi", "unlikely")
    # 3.4 (100% of facilities by 2030): the reason is the 100% itself.
    all_of = pace_text(2.1, 6.3, plan.target("3.4"), "vi", "unlikely")
    assert all_of.startswith("cần +2,1 điểm phần trăm mỗi năm; thực tế +6,3 điểm phần trăm mỗi năm (tốc độ tăng "
                             "hiện nay cao hơn mức cần thiết, nhưng càng gần 100% càng khó tăng thêm")
    assert "nếu duy trì" not in all_of
    # Beside "too close to call" (a chance between 10% and 90%) the chance is not "low": the general clause.
    assert "nếu duy trì tốc độ này" in pace_text(2.1, 6.3, plan.target("3.4"), "vi", "too_close")


def test_a_target_already_reached_is_to_be_kept_not_a_negative_pace_needed(plan):
    # 2.1 at 50,4% against ≥50% by 2030: "cần −0,4" read as "must fall".
    from gender_monitor.judge.report import pace_text

    assert pace_text(-0.4, 1.4, plan.target("2.1"), "vi", "met") == (
        "đã đạt mức mục tiêu, cần duy trì; thực tế +1,4 điểm phần trăm mỗi năm")
    kept = pace_text(0.0, -0.9, plan.target("2.1"), "en", "met")
    assert kept == "target level already reached, to be kept; observed −0.9 percentage points a year"
    assert pace_text(0.3, -0.2, plan.target("4.2"), "vi", "met").startswith("đã đạt mức mục tiêu")  # lower is better


def test_the_two_ends_of_an_interval_are_written_alike_with_the_unit_once():
    from gender_monitor.judge.messages import format_interval

    # For "{lo}–{hi}": the same decimals at both ends (not "25%–27,8%"), the unit after the upper end only
    # (not "1,43 lần–2,07 lần").
    assert format_interval(25.02, 27.8, "percent", "vi") == ("25,0", "27,8%")
    assert format_interval(25.02, 27.8, "percent", "en") == ("25.0", "27.8%")
    assert format_interval(40.0, 60.0, "percent", "vi") == ("40,0", "60,0%")
    assert format_interval(1.5, 3.0, "ratio", "vi") == ("1,50", "3,00 lần")
    assert format_interval(110.04, 115.5, "per_100", "vi") == ("110,0", "115,5 bé trai/100 bé gái")
    assert format_interval(18.4, 70.5, "per_100000", "vi") == ("18,4", "70,5/100.000")
    assert format_interval(2, 5, "count", "vi") == ("2", "5")
    assert format_interval(float("nan"), 5, "count", "vi") == ("–", "5")


def test_values_of_a_unit_keep_their_decimals_and_targets_read_as_the_plan_writes_them(plan):
    from gender_monitor.judge.messages import format_value, target_text

    # 50% beside 44,6% in one column read as two precisions: a measured value keeps its decimal.
    assert format_value(50, "percent", "vi") == "50,0%" and format_value(44.57, "percent", "vi") == "44,6%"
    assert format_value(1.7, "ratio", "vi") == "1,70 lần" and format_value(200, "count", "vi") == "200"
    assert format_value(50, "percent", "vi", keep_zeros=False) == "50%"
    # Targets: the plan's whole numbers; "about 45%" in its words with the edge it is judged at (±1 point,
    # higher is better: met from 44%); "at least 100%" of a share is 100%.
    assert target_text(plan.target("1.1"), 2025, "vi") == "≥60%"
    assert target_text(plan.target("2.1"), 2030, "vi") == "khoảng 45% (từ 44% trở lên)"
    assert target_text(plan.target("2.1"), 2030, "en") == "about 45% (44% or more)"
    assert target_text(plan.target("3.4"), 2030, "vi") == "100%"
    assert target_text(plan.target("3.4"), 2025, "vi") == "≥70%"


def test_a_targets_threshold_has_the_decimals_the_plan_writes_it_with(plan):
    # 3.1's plan text: "còn 1,7 lần vào năm 2025 và 1,4 lần vào năm 2030": its targets read "≤1,70 lần", a ratio's
    # two decimals. A target's number keeps the decimals it has in the plan; a measured ratio keeps its two.
    ratio = plan.target("3.1")
    assert [messages.target_text(ratio, y, "vi") for y in (2025, 2030)] == ["≤1,7 lần", "≤1,4 lần"]
    assert messages.target_text(ratio, 2025, "en") == "≤1.7×"
    assert messages.format_value(1.7, ratio, "vi") == "1,70 lần"
    assert (messages.plan_digits(1.7), messages.plan_digits(42.0), messages.plan_digits(100.0),
            messages.plan_digits(0.05), messages.plan_digits(45.0, 1.0), messages.plan_digits(99.5, 0.25)) == (
        1, 0, 0, 2, 0, 2)
    # 3.5a "từ 2% đến 3% hằng năm": the range, in the risks and the indicator lines too (they said "giảm 2%/năm").
    decline = plan.target("3.5a")
    row = _row("3.5a", 2030, "unlikely", judged_on="pace", p=0.05, projected=-1.2, latest=120.0, latest_year=2024)
    assert messages.risks(pd.DataFrame([row]), plan, year=2030, language="vi")[1] == (
        "3.5a – Số cuộc tảo hôn: bình quân tăng 1,2%/năm, mục tiêu giảm 2–3%/năm.")
    assert messages.risks(pd.DataFrame([row]), plan, year=2030, language="en")[1].endswith(
        "on average rising 1.2% a year, against a required fall of 2–3% a year.")
    row |= {"trend_vi": "xấu đi", "trend_en": "worsening", "reliability_vi": "thấp", "reliability_en": "low",
            "national_value": np.nan}
    said = messages.indicator_sentences(pd.DataFrame([row]), decline, language="vi")
    assert "Bình quân tăng 1,2%/năm; mục tiêu giảm 2–3%/năm; xác suất xu hướng đạt mức giảm này 5%." in said


def test_every_targets_printed_number_is_the_plans_own(plan):
    # Each of the 25 targets' printed number(s), against the plan's text (text_vi is verbatim from the plan): the
    # number the plan sets, with the plan's decimals and a decimal comma ("1,7", "42", "2" and "3" of "2% đến 3%").
    # A yes/no milestone and a direction have no number; "khoảng 45% (từ 44% trở lên)" is checked on its 45; 4.4's
    # "≥1" is the plan's "ít nhất một".
    checked = 0
    for t in plan.targets:
        for tv in t.targets:
            said = messages.target_text(t, tv.year, "vi")
            if t.unit == "yes_no" or tv.value is None:
                continue
            numbers = [n for n in (tv.value, tv.upper) if n is not None]
            for n in numbers:
                written = i18n.number(n, "vi", messages.plan_digits(n))
                in_words = {"1": "ít nhất một"}.get(written, written)  # 4.4: "ít nhất một cơ sở y tế"
                assert re.search(rf"(?<![\d,]){re.escape(written)}(?![\d,])", t.text_vi) or in_words in t.text_vi, (
                    t.code, written)
                assert re.search(rf"(?<![\d,]){re.escape(written)}(?![\d,])", said), (t.code, tv.year, said)
            checked += 1
    assert checked == 44  # 25 targets, 47 target years, less 5.1's two (yes/no) and 3.5b's one (a direction)


def test_a_brief_names_the_report_it_belongs_to_by_the_reviews_kind():
    assert i18n.review_words("annual", 2026) == "báo cáo năm 2026"
    assert i18n.review_words("final", 2030, start=2021) == "tổng kết giai đoạn 2021–2030"
    assert i18n.review_words("", 2024) == "rà soát năm 2024"  # an analyst's own run
    assert i18n.t("objective.subtitle", "vi", review=i18n.review_words("final", 2030)) == (
        "Tóm tắt kết quả theo mục tiêu – tổng kết giai đoạn 2021–2030")
    assert i18n.review_words("midterm", 2025, "en") == "mid-term review 2025"
    # The department's prompt in the Word file covers the report's period, not "the year" of a final review.
    period = i18n.t("report.periods.final", "vi", year=2030, start=2021)
    assert i18n.t("report.prompts.direction", "vi", period=period).endswith(
        "hoạt động đã triển khai trong giai đoạn 2021–2030.)")


def test_status_words_are_told_apart_and_the_uncertain_one_matches_the_annex():
    # "chưa đủ cơ sở kết luận" (too close to call) beside "chưa đủ số liệu để kết luận" (too few values) read
    # as one status; the annex said "Chưa chắc chắn" for the same status judged on data.
    from gender_monitor.judge import report as rep
    from gender_monitor.judge.assessment import STATUSES

    labels = {s: i18n.status_label(s, "vi") for s in STATUSES}
    assert len(set(labels.values())) == len(labels)
    starts = [" ".join(label.split()[:3]) for label in labels.values()]
    assert len(set(starts)) == len(starts), labels
    assert rep.outcome_text("too_close", "data", "vi").lower().startswith(labels["too_close"])


def test_a_name_cut_short_does_not_end_on_a_word_that_leads_into_the_cut(plan):
    # 1.1 cut at 60 characters would end "… chính quyền địa phương các" on a space: "các" (of "các cấp") leads
    # into what was cut, so it goes too.
    assert messages.short_name(plan.target("1.1"), "vi", 60) == (
        "Tỷ lệ cơ quan quản lý nhà nước, chính quyền địa phương…")
    for language in ("vi", "en"):
        drop = set(i18n.t("messages.name_cut_drop", language).split())
        joined = {e.strip() for e in i18n.t("messages.name_cut_joined", language).split(",")}
        for t in plan.targets:
            for limit in (30, 40, 48, 60):
                cut = messages.short_name(t, language, limit)
                if cut.endswith("…"):
                    words = cut.removesuffix("…").split(" ")
                    assert words[-1].lower() not in drop or " ".join(words[-2:]).lower() in joined, (t.code, cut)
                    # over the limit by a quarter at most, unless the first phrase is longer (i18n.shorten)
                    assert len(cut) <= 1.25 * limit + 1 or cut == messages.short_name(t, language, 1), (t.code, cut)


def test_every_brief_names_the_plan_as_the_province_titled_it():
    # The plan is "Kế hoạch thực hiện Chiến lược quốc gia về bình đẳng giới tỉnh Quảng Trị, giai đoạn
    # 2021-2030" (data/plan/). The index, overview and objective briefs dropped "tỉnh Quảng Trị", which names
    # the national strategy's plan in general, while the report above them in the same batch kept it.
    for language in ("vi", "en"):
        assert i18n.t("review.kicker", language) == i18n.t("report.kicker", language)
    assert "tỉnh Quảng Trị, giai đoạn 2021–2030" in i18n.t("review.kicker", "vi")


def test_the_legend_lists_exactly_the_statuses_and_words_its_table_shows(plan):
    # The final review's objective briefs: rows said "nhiều khả năng đạt", "nhiều khả năng không đạt",
    # "không đạt" and "◌ không công bố", the legend "có khả năng đạt", "khó đạt", "chưa đạt" and no ◌.
    frame = pd.DataFrame([_row("4.1", 2030, "unlikely", p=0.04), _row("4.2", 2030, "likely", p=0.95),
                          _row("4.4", 2030, "not_met", judged_on="data", latest_year=2030),
                          _row("4.3", 2030, "hidden", judged_on="data", latest_year=2030)])
    codes = ["4.1", "4.2", "4.3", "4.4"]
    table = messages.summary_table_html(frame, plan, language="vi", codes=codes, as_of=2030)
    used = messages.summary_statuses(frame, plan, codes=codes, as_of=2030)
    legend = messages.legend_html("vi", statuses=used)
    chips = legend.split("</p>")[0]
    chip = re.compile(r'data-status="(\w+)".*?</span> (.*?)</span>')
    assert sorted(set(chip.findall(chips))) == sorted(set(chip.findall(table)))
    assert "◌" in chips and "nhiều khả năng không đạt" in chips and "</span> không đạt</span>" in chips
    assert "khó đạt" not in legend and "có khả năng đạt" not in legend and "chưa đạt" not in legend
    assert "≥ 90% là “nhiều khả năng đạt”, ≤ 10% là “nhiều khả năng không đạt”" in legend
    # A yearly report before 2030 keeps the outlook's words, and says nothing of end words.
    yearly = messages.legend_html("vi", statuses=messages.summary_statuses(frame, plan, codes=codes, as_of=2027))
    assert "khó đạt" in yearly and "nhiều khả năng" not in yearly


def test_the_data_gaps_name_the_data_of_the_place_chosen(frame):
    # The overview run for VN said "Judged on real provincial data only: …" of national values.
    national = messages.data_gaps(frame, as_of=2025, language="en", level="country")
    assert national[-1].startswith("Judged on real national data only: ") and "provincial" not in " ".join(national)
    vi = messages.data_gaps(frame, as_of=2025, language="vi", level="country")
    assert vi[-1].startswith("Được đánh giá hoàn toàn trên số liệu thật cấp quốc gia: ") and "cấp tỉnh" not in vi[-1]
    assert "số liệu thật cấp tỉnh" in messages.data_gaps(frame, as_of=2025, language="vi")[-1]  # the province's


def test_a_target_whose_outcome_is_not_published_is_counted_so_the_groups_add_up(frame, plan):
    # The 2025 mid-term review: 3.3's 2025 outcome judged on a small count kept from publication (status
    # "hidden") was left out of "Trong 22 chỉ tiêu …: 7 …, 6 …, 8 …" (21).
    hidden = pd.concat([frame, pd.DataFrame([_row("3.3", 2025, "hidden", judged_on="data", latest=np.nan),
                                             _row("3.3", 2030, "hidden", judged_on="data", latest=np.nan)])])
    assert messages.headline(hidden, year=2025, language="vi") == (
        "Trong 6 chỉ tiêu có mục tiêu năm 2025: 2 đã đạt hoặc vượt, 1 có khả năng đạt, "
        "1 chưa chắc chắn, 1 khó đạt hoặc chưa đạt, 1 không công bố (để bảo mật).")
    assert messages.headline(hidden, year=2025, language="en").endswith(", 1 not published (confidential).")
    assert messages.outlook(hidden, year=2030, language="vi").endswith(
        "của 4 chỉ tiêu: 1 đã đạt hoặc có khả năng đạt, 1 khó đạt hoặc chưa đạt, 1 chưa có số liệu, "
        "1 không công bố (để bảo mật).")
    objective = messages.objective_headline(hidden, plan, 3, year=2025, language="vi")
    assert objective.endswith("trong đó 2 chỉ tiêu có mục tiêu năm 2025: 1 đã đạt hoặc vượt, "
                              "1 không công bố (để bảo mật).")


def test_too_few_data_is_said_apart_from_too_close_to_call_as_the_table_says_it(frame, plan):
    # The 2025 mid-term review's outlook read "14 chưa chắc chắn" beside a table (and an index) with 11
    # "? chưa chắc chắn" and 3 "… chưa đủ số liệu để kết luận" (1.1, 6.3, 6.4: no interval to straddle).
    few = pd.concat([frame, pd.DataFrame([_row("6.3", 2030, "insufficient_data", judged_on="none", n_obs=1),
                                          _row("6.4", 2025, "insufficient_data", judged_on="none", n_obs=1)])])
    assert messages.outlook(few, year=2030, language="vi") == (
        "Khả năng đạt mục tiêu năm 2030 của 4 chỉ tiêu: 1 đã đạt hoặc có khả năng đạt, "
        "1 chưa đủ số liệu để kết luận, 1 khó đạt hoặc chưa đạt, 1 chưa có số liệu.")
    assert ", 1 chưa chắc chắn, 1 chưa đủ số liệu để kết luận, 1 khó đạt" in messages.headline(few, year=2025)
    assert messages.headline(few, year=2025, language="en").count("too close to call") == 1
    close = messages.too_close(few, plan, year=2025, language="vi")  # an interval straddling the target: 2.2 only
    assert close[0].startswith("Chưa đủ cơ sở kết luận (1 chỉ tiêu)") and len(close) == 2


def test_an_indicator_sentence_names_its_basis_only_when_there_is_one(plan):
    # 2.1 with one value: 2025 "not enough data" rests on nothing (no bracket, not "(–)" nor "(dự báo)"); 2030
    # projected "(dự báo)"; 3.3's withheld 2025 outcome names no basis either (it would say what is hidden).
    rows = [_row("2.1", 2025, "insufficient_data", judged_on="none"),
            _row("2.1", 2030, "likely", p=0.95, projected=46.0, lo80=44.0, hi80=48.0)]
    for r in rows:
        r.update(trend_vi="ổn định", trend_en="stable", reliability_vi="thấp", reliability_en="low",
                 national_value=np.nan)
    said = messages.indicator_sentences(pd.DataFrame(rows), plan.target("2.1"), language="vi")
    target_lines = [s for s in said if s.startswith("Mức cần đạt")]
    assert target_lines[0].endswith("chưa đủ số liệu để kết luận.") and "(" not in target_lines[0].split("Đánh giá:")[1]
    assert target_lines[1].endswith("(dự báo).")
    hidden = _row("3.3", 2025, "hidden", judged_on="data") | {"trend_vi": "", "reliability_vi": "",
                                                              "national_value": np.nan}
    line = [s for s in messages.indicator_sentences(pd.DataFrame([hidden]), plan.target("3.3"), language="vi")
            if s.startswith("Mức cần đạt")][0]
    assert line.endswith("không công bố (để bảo mật).")
