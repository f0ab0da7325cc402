"""Charts checked through the Figure they return (artists, labels, data), never by pixels."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from gender_monitor.core import i18n
from gender_monitor.forecast import candidates
from gender_monitor.forecast.projection import project
from gender_monitor.plan.registry import load_plan
from gender_monitor.publish import charts
from matplotlib.figure import Figure


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def _obs(code, place, years, values, status="official", series=""):
    return pd.DataFrame({"indicator": code, "place": place, "year": years, "value": values, "quarter": pd.NA,
                         "sex": "", "status": status, "series": series, "unit": ""})


@pytest.fixture(scope="module")
def srb(plan):
    """Sex ratio at birth: 8 illustrative provincial years, a national survey series."""
    years = list(range(2016, 2024))
    province = _obs("4.1", "QT", years, [112.0, 111.5, 112.3, 111.0, 110.8, 111.9, 111.2, 110.6], "illustrative")
    province.loc[province["year"] == 2016, "status"] = "official"
    national = _obs("4.1", "VN", years, [112.2, 112.0, 111.5, 111.5, 112.1, 111.6, 111.5, 112.0], series="survey")
    obs = pd.concat([province, national], ignore_index=True)
    fc = project(province, until=2030, units=plan.units()).forecasts
    return obs, fc


def _texts(fig: Figure) -> list[str]:
    out = []
    for ax in fig.axes:
        out += [t.get_text() for t in ax.get_yticklabels() + ax.get_xticklabels()]
        out += [t.get_text() for t in ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            out += [t.get_text() for t in legend.get_texts()]
    return out


def test_indicator_chart_marks_targets_fan_national_and_band(plan, srb):
    obs, fc = srb
    fig = charts.indicator_chart(obs, plan.target("4.1"), place="QT", forecasts=fc, language="vi")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    markers = {line.get_gid(): line for line in ax.get_lines() if (line.get_gid() or "").startswith("target-")}
    assert set(markers) == {"target-2025", "target-2030"}
    assert list(markers["target-2025"].get_ydata()) == [111.0]
    assert list(markers["target-2030"].get_ydata()) == [109.0]
    texts = _texts(fig)
    assert "≤111 (2025)" in texts and "≤109 (2030)" in texts
    fans = {c.get_gid() for c in ax.collections}
    assert {"fan-80", "fan-95"} <= fans
    assert "Toàn quốc" in texts
    assert any(p.get_gid() == "natural-band" for p in ax.patches)
    assert "Khoảng dự báo 80%" in texts and "minh họa" in texts and "chính thức" in texts
    # Illustrative points are hollow: white faces.
    hollow = [line for line in ax.get_lines() if line.get_gid() == "data-illustrative"]
    assert hollow and hollow[0].get_markerfacecolor() == "white"


def test_indicator_chart_in_english(plan, srb):
    obs, fc = srb
    texts = _texts(charts.indicator_chart(obs, plan.target("4.1"), place="QT", forecasts=fc, language="en"))
    assert "Viet Nam" in texts and "80% projection interval" in texts and "illustrative" in texts


def test_charts_draw_on_a_given_ax_and_are_deterministic(plan, srb):
    obs, fc = srb
    fig = Figure()
    ax = fig.add_subplot()
    assert charts.indicator_chart(obs, plan.target("4.1"), place="QT", forecasts=fc, ax=ax) is fig
    a = charts.indicator_chart(obs, plan.target("4.1"), place="QT", forecasts=fc)
    b = charts.indicator_chart(obs, plan.target("4.1"), place="QT", forecasts=fc)
    assert _texts(a) == _texts(b)


def test_rate_of_decline_target_is_a_path(plan):
    obs = _obs("3.5a", "QT", list(range(2018, 2026)), [150, 140, 160, 150, 145, 140, 138, 100])
    fig = charts.indicator_chart(obs, plan.target("3.5a"), place="QT", national_place=None)
    path = next(line for line in fig.axes[0].get_lines() if line.get_gid() == "target-2030")
    # From 100 in 2025, falling 2% a year: 100 · 0.98^5 in 2030.
    assert path.get_ydata()[0] == pytest.approx(100.0)
    assert path.get_ydata()[-1] == pytest.approx(100 * 0.98**5)
    # Its label says the plan's range ("từ 2% đến 3% hằng năm"), and that the line is its least fall.
    assert path.get_label() == "Mục tiêu: giảm 2–3%/năm từ 2025\n(đường vẽ: giảm tối thiểu 2%/năm)"


def test_status_dot_plot_names_its_zones_as_its_rows_once_the_target_year_has_come(plan):
    # In the final review a row in the lowest zone reads "nhiều khả năng không đạt"; the zone above it read
    # "khó đạt (≤ 10%)", the outlook word the rows no longer use.
    targets = [plan.target("1.1"), plan.target("2.1")]
    assessment = pd.DataFrame([
        {"code": "1.1", "target_year": 2030, "status": "unlikely", "p_meet": 0.01, "judged_on": "projection",
         "label_vi": "khó đạt", "label_en": "unlikely to be met"},
        {"code": "2.1", "target_year": 2030, "status": "likely", "p_meet": 0.96, "judged_on": "projection",
         "label_vi": "có khả năng đạt", "label_en": "likely to be met"}])
    final = [t.get_text() for t in
             charts.status_dot_plot(assessment, targets, year=2030, as_of=2030).axes[0].texts]
    assert "nhiều khả năng không đạt (≤ 10%)" in final and "nhiều khả năng đạt (≥ 90%)" in final
    assert "khó đạt (≤ 10%)" not in final and "có khả năng đạt (≥ 90%)" not in final
    yearly = [t.get_text() for t in charts.status_dot_plot(assessment, targets, year=2030, as_of=2026).axes[0].texts]
    assert "khó đạt (≤ 10%)" in yearly and "có khả năng đạt (≥ 90%)" in yearly


def test_status_dot_plot_has_symbols_and_vietnamese_labels(plan):
    targets = [plan.target("1.1"), plan.target("3.5a"), plan.target("4.1")]
    assessment = pd.DataFrame([
        {"code": "1.1", "target_year": 2025, "status": "unlikely", "p_meet": 0.05, "judged_on": "projection",
         "label_vi": "khó đạt", "label_en": "unlikely to be met"},
        {"code": "4.1", "target_year": 2025, "status": "too_close", "p_meet": 0.4, "judged_on": "projection",
         "label_vi": "chưa chắc chắn", "label_en": "too close to call"},
    ])
    fig = charts.status_dot_plot(assessment, targets, year=2025, names=["1.1 Lãnh đạo nữ", "3.5a Tảo hôn", "4.1 Tỷ số giới tính"])
    ax = fig.axes[0]
    symbols = {t.get_gid(): t for t in ax.texts if (t.get_gid() or "").startswith("status-")}
    assert symbols["status-1.1"].get_text() == "▼" and symbols["status-1.1"].get_position()[0] == pytest.approx(0.05)
    assert symbols["status-4.1"].get_text() == "?"
    texts = _texts(fig) + [t.get_text() for a in fig.axes for t in a.get_yticklabels()]
    assert "3.5a Tảo hôn" in texts
    assert any("chưa chắc chắn" in t for t in texts)
    assert any("không có mục tiêu năm 2025" in t for t in texts)


def test_a_target_met_today_sits_at_its_chance_of_holding_and_an_outcome_without_one_at_its_edge(plan):
    # 3.3 met in 2026 with a 78% chance of holding in 2030 was drawn at 100%, inside the "likely (≥ 90%)"
    # zone; a milestone met (no probability) and one not yet met stay at their edges.
    targets = [plan.target("3.3"), plan.target("5.1"), plan.target("4.4")]
    assessment = pd.DataFrame([
        {"code": "3.3", "target_year": 2030, "status": "met", "p_meet": 0.777, "label_vi": "đạt", "label_en": "met"},
        {"code": "5.1", "target_year": 2030, "status": "met", "p_meet": np.nan, "label_vi": "đạt", "label_en": "met"},
        {"code": "4.4", "target_year": 2030, "status": "not_met", "p_meet": np.nan, "label_vi": "không đạt",
         "label_en": "not met"},
    ])
    ax = charts.status_dot_plot(assessment, targets, year=2030).axes[0]
    x = {t.get_gid(): t.get_position()[0] for t in ax.texts if (t.get_gid() or "").startswith("status-")}
    assert x == {"status-3.3": pytest.approx(0.777), "status-5.1": 1.0, "status-4.4": 0.0}


def test_a_level_reached_before_its_year_is_labelled_a_level_to_keep_not_met(plan):
    # 2.1 reached its 2030 level in 2025: the annex says "đã đạt mức mục tiêu, cần duy trì"; the overview
    # chart said "✔ đạt", an outcome four years early. A met outcome judged on its year's data stays "đạt".
    targets = [plan.target("2.1"), plan.target("5.1")]
    assessment = pd.DataFrame([
        {"code": "2.1", "target_year": 2030, "status": "met", "p_meet": 0.96, "judged_on": "latest",
         "label_vi": "đạt", "label_en": "met"},
        {"code": "5.1", "target_year": 2030, "status": "met", "p_meet": np.nan, "judged_on": "data",
         "label_vi": "đạt", "label_en": "met"},
    ])
    fig = charts.status_dot_plot(assessment, targets, year=2030, names=["2.1", "5.1"])
    right = [t.get_text() for a in fig.axes[0].child_axes for t in a.get_yticklabels()]
    assert right == ["✔ đã đạt, cần duy trì", "✔ đạt"]


def test_a_probability_next_to_a_cut_off_keeps_a_decimal():
    # 5.4b: 10,1% printed "10%" beside a legend saying "unlikely (≤ 10%)" while its status was "too close".
    edges = (0.1, 0.9)
    assert [i18n.percent(p, "vi", edges=edges) for p in (0.101, 0.1, 0.099, 0.899, 0.9, 0.47)] == [
        "10,1%", "10%", "9,9%", "89,9%", "90%", "47%"]
    # A hair from the edge is still printed on its side of it, never on it.
    assert [i18n.percent(p, "vi", edges=edges) for p in (0.8996, 0.1004, 0.09999)] == ["89,9%", "10,1%", "9,9%"]
    # Off the edge, the decimal is rounded as usual: 10,13% is 10,1%, not 10,2% (the annex showed 5.4b's
    # 0,1013 as "10,2%" beside 10,1 in the workbook).
    assert [i18n.percent(p, "vi", edges=edges) for p in (0.1013, 0.1016, 0.8984, 0.0951)] == [
        "10,1%", "10,2%", "89,8%", "9,5%"]
    assert i18n.percent(0.101, "vi") == "10%"  # no cut-off in sight: a whole percentage


def test_ranked_bars_order_threshold_and_illustrative_hatching():
    frame = pd.DataFrame({"name": ["Xã A", "Xã Đakrông", "Xã C"], "value": [2.0, 5.0, np.nan],
                          "illustrative": [True, True, True]})
    fig = charts.ranked_bars(frame, threshold=4, language="vi", suppressed_threshold=5)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Xã A", "Xã Đakrông", "Xã C"]
    bars = [p for p in ax.patches]
    assert bars[0].get_width() == 2.0 and bars[0].get_hatch() == "////"
    assert bars[0].get_facecolor()[:3] != bars[1].get_facecolor()[:3]  # below the threshold: vermilion
    assert any(line.get_gid() == "threshold" and line.get_xdata()[0] == 4 for line in ax.get_lines())
    assert any("không công bố (để bảo mật)" in t.get_text() for t in ax.texts)


def test_candidates_chart_and_backtest(plan):
    rows = pd.DataFrame({"year": range(2015, 2025), "value": np.linspace(30.0, 44.0, 10)})
    result = candidates.compare(rows, "percent", until=2030)
    assert set(result.scores["method"]) == set(result.paths["method"])
    # A straight line on the logit scale is not exactly straight in percent, but drift extrapolates it
    # far better than the last value carried forward.
    scores = result.scores.set_index("method")
    assert scores.loc["drift", "mae"] < scores.loc["naive", "mae"]
    assert result.paths.groupby("method")["year"].max().eq(2030).all()
    fig = charts.candidates_chart(rows, result.paths, result.scores, target=plan.target("2.1"), chosen="comb")
    gids = {line.get_gid() for line in fig.axes[0].get_lines()}
    assert {"candidate-naive", "candidate-comb", "target-2025"} <= gids


def test_candidates_too_short():
    result = candidates.compare(pd.DataFrame({"year": [2023], "value": [1.0]}), "ratio", until=2030)
    assert result.reason and result.scores.empty


def test_the_merged_provinces_chart_marks_the_join_of_rebased_history_and_its_own_values(plan):
    import pandas as pd
    from gender_monitor.publish import charts

    t = plan.target("4.1")
    rows = pd.DataFrame({"indicator": "4.1", "place": "QT25", "year": [2023, 2024, 2025, 2026],
                         "value": [111.0, 110.8, 110.6, 110.4], "quarter": pd.NA, "sex": "", "series": "",
                         "status": "illustrative"})
    fig = charts.indicator_chart(rows, t, place="QT25", national_place=None)
    joins = [line for line in fig.axes[0].get_lines() if line.get_gid() == "join"]
    assert len(joins) == 1 and list(joins[0].get_xdata()) == [2024.5, 2024.5]
    old = charts.indicator_chart(rows.assign(place="QT"), t, place="QT", national_place=None)
    assert not [line for line in old.axes[0].get_lines() if line.get_gid() == "join"]


def test_a_hidden_series_is_a_note_not_an_empty_axis(plan):
    rows = _obs("3.5b", "QT", [2022, 2023, 2024], [np.nan, np.nan, np.nan]).assign(suppressed="small_count")
    fig = charts.indicator_chart(rows, plan.target("3.5b"), place="QT", national_place=None, title="3.5b")
    ax = fig.axes[0]
    assert not ax.axison and ax.get_title(loc="left") == "3.5b"
    assert any(t.get_gid() == "note" and "không công bố để bảo mật" in t.get_text() for t in ax.texts)


def test_a_series_mostly_hidden_is_a_note_not_its_few_zeros(plan):
    # Ten years of small counts, all hidden but the one zero (zeros are shown): drawn, the chart was a
    # single point at 0 on an axis from 1915, which a board member reads as "no cases".
    years = list(range(2015, 2025))
    rows = _obs("3.5b", "QT", years, [np.nan] * 8 + [0.0, np.nan])
    rows = rows.assign(suppressed=["small_count"] * 8 + ["", "small_count"])
    fig = charts.indicator_chart(rows, plan.target("3.5b"), place="QT", national_place=None, title="3.5b")
    assert any(t.get_gid() == "note" and "không công bố để bảo mật" in t.get_text() for t in fig.axes[0].texts)
    # One value hidden among ten is a gap in a drawn series.
    rows = _obs("3.5b", "QT", years, [3.0, 6.0, np.nan, 7.0, 8.0, 9.0, 6.0, 5.0, 7.0, 8.0])
    rows = rows.assign(suppressed=[""] * 2 + ["small_count"] + [""] * 7)
    ax = charts.indicator_chart(rows, plan.target("3.5b"), place="QT", national_place=None).axes[0]
    assert ax.axison and len(ax.lines[0].get_xdata()) == 9


@pytest.mark.parametrize("n_hidden, note", [(5, True), (4, False)])
def test_half_the_values_hidden_is_the_edge_of_mostly_hidden(plan, n_hidden, note):
    # Ten years: five hidden (half) is already "mostly hidden", a note; four hidden is a drawn series
    # with gaps.
    years = list(range(2015, 2025))
    shown = [3.0, 6.0, 4.0, 7.0, 8.0, 9.0, 6.0, 5.0, 7.0, 8.0]
    values = [np.nan if i % 2 == 0 and i < 2 * n_hidden else v for i, v in enumerate(shown)]
    rows = _obs("3.5b", "QT", years, values).assign(
        suppressed=["small_count" if np.isnan(v) else "" for v in values])
    ax = charts.indicator_chart(rows, plan.target("3.5b"), place="QT", national_place=None).axes[0]
    is_note = any(t.get_gid() == "note" and "không công bố để bảo mật" in t.get_text() for t in ax.texts)
    assert is_note == note and ax.axison != note


def test_a_yes_no_target_is_a_milestone_timeline(plan):
    rows = _obs("5.1", "QT", [2021, 2022, 2023, 2024], [0, 0, 1, 1])
    ax = charts.indicator_chart(rows, plan.target("5.1"), place="QT", national_place=None).axes[0]
    marks = {c.get_gid(): sorted(x for x, _ in c.get_offsets()) for c in ax.collections}
    assert marks == {"milestone-done": [2023, 2024], "milestone-not-yet": [2021, 2022]}
    assert list(ax.get_yticks()) == []  # no 0–1 scale
    assert {t.get_text() for t in ax.texts} >= {"Phải hoàn thành năm 2025", "Phải hoàn thành năm 2030"}
    assert {line.get_gid() for line in ax.lines} >= {"target-2025", "target-2030"}
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["Đã thực hiện", "Chưa thực hiện"]


def test_ticks_are_round_and_written_alike(plan):
    # Values from 2.5 to 12.5 once gave the ticks "2,50 / 5 / 7,50 / 12,5".
    rows = _obs("4.3", "QT", list(range(2016, 2024)), [2.5, 4.0, 6.0, 7.5, 9.0, 10.5, 11.0, 12.5])
    fig = charts.indicator_chart(rows, plan.target("4.3"), place="QT", national_place=None)
    ax = fig.axes[0]
    labels = [ax.yaxis.get_major_formatter()(v, i) for i, v in enumerate(ax.get_yticks())]
    steps = np.diff(ax.get_yticks())
    assert np.allclose(steps, steps[0]) and steps[0] in (1, 2, 5, 10, 20)
    assert not any(label.endswith("0") and "," in label for label in labels), labels  # no "2,50"
    counts = _obs("3.5a", "QT", list(range(2016, 2024)), [9, 8, 8, 7, 6, 6, 5, 4])
    cax = charts.indicator_chart(counts, plan.target("3.5a"), place="QT", national_place=None).axes[0]
    # The axis says what is counted, as the annex's unit column does ("cuộc"), not the generic "số lượng".
    assert all(float(v).is_integer() for v in cax.get_yticks()) and cax.get_ylabel() == "số cuộc"


def test_the_axis_of_the_maternal_mortality_ratio_says_what_it_is_per(plan):
    # A bare "/100.000" under the axis is no unit a reader says: the axis names it as the annex's unit column
    # does ("ca/100.000 trẻ sinh sống"), the denominator being the plan's (4.2: "42/100.000 trẻ sinh sống").
    from gender_monitor.judge.report import unit_name

    rows = _obs("4.2", "QT", list(range(2016, 2024)), [45.1, 53.1, 34.9, 46.4, 51.3, 38.3, 42.7, 40.0])
    ax = charts.indicator_chart(rows, plan.target("4.2"), place="QT", national_place=None).axes[0]
    assert ax.get_ylabel() == "ca/100.000 trẻ sinh sống" == unit_name(plan.target("4.2"), "vi")
    en = charts.indicator_chart(rows, plan.target("4.2"), place="QT", national_place=None, language="en").axes[0]
    assert en.get_ylabel() == "per 100,000 live births" == unit_name(plan.target("4.2"), "en")


def test_a_rate_per_100000_the_plan_gives_no_denominator_is_not_said_per_live_births(plan):
    # Another indicator per 100,000 (a targets file's: deaths per 100,000 people, say) has no live births under
    # it: its axis, its unit column and its interval note say "per 100,000" and no more.
    from gender_monitor.judge import messages
    from gender_monitor.judge.report import unit_name

    other = plan.target("4.2").model_copy(update={"per_vi": None, "per_en": None, "name_vi": "Tỷ suất tử vong"})
    rows = _obs("4.2", "QT", list(range(2016, 2024)), [45.1, 53.1, 34.9, 46.4, 51.3, 38.3, 42.7, 40.0])
    ax = charts.indicator_chart(rows, other, place="QT", national_place=None).axes[0]
    assert ax.get_ylabel() == "trên 100.000" == unit_name(other, "vi")
    en = charts.indicator_chart(rows, other, place="QT", national_place=None, language="en").axes[0]
    assert en.get_ylabel() == "per 100,000" == unit_name(other, "en")
    # A unit code alone (no indicator to name a denominator) reads the same; a denominator given reads in it.
    assert messages.unit_words("per_100000", "vi") == "trên 100.000"
    births = other.model_copy(update={"per_vi": "dân", "per_en": "people"})
    assert messages.unit_words(births, "vi") == "ca/100.000 dân" and unit_name(births, "en") == "per 100,000 people"
    fig = charts.candidates_chart(rows, pd.DataFrame({"method": ["naive"] * 2, "year": [2024, 2025],
                                                      "value": [40.0, 40.0]}),
                                  pd.DataFrame({"method": ["naive"], "mae": [5.0]}), target=other)
    assert fig.axes[0].get_ylabel() == "trên 100.000" and fig.axes[1].get_xlabel().endswith("(trên 100.000)")


def test_a_panel_of_small_multiples_names_the_milestone_marks_and_keeps_its_size(plan):
    rows = _obs("5.1", "QT", [2021, 2022, 2023, 2024], [0, 0, 1, 1])
    targets = [plan.target("5.1"), plan.target("5.2a")]
    fig = charts.small_multiples(rows, targets, place="QT", titles=["5.1", "5.2a"])
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Đã thực hiện" in legend and "Chưa thực hiện" in legend
    assert tuple(fig.get_size_inches()) == (9.6, 3.6)
    # No panel draws a national line here: the legend does not offer one ("Toàn quốc" with no line to find).
    assert "Toàn quốc" not in legend
    national = pd.concat([rows, _obs("5.2a", "VN", [2020, 2022], [95.0, 96.0])], ignore_index=True)
    with_line = charts.small_multiples(national, targets, place="QT", titles=["5.1", "5.2a"])
    assert "Toàn quốc" in [t.get_text() for t in with_line.legends[0].get_texts()]


def test_a_target_without_a_probability_gets_no_point_on_the_probability_scale(plan):
    # 3.5b (gradually eliminate) judged "too close" on a trend has no probability: a mark at 50% read as one.
    targets = [plan.target("3.5b")]
    assessment = pd.DataFrame([{"code": "3.5b", "target_year": 2030, "status": "too_close", "p_meet": np.nan,
                                "judged_on": "latest", "label_vi": "chưa chắc chắn", "label_en": "too close to call"}])
    fig = charts.status_dot_plot(assessment, targets, year=2030, names=["3.5b"])
    ax = fig.axes[0]
    assert not [t for t in ax.texts if (t.get_gid() or "").startswith("status-")]
    assert "không tính được xác suất" in [t.get_text() for t in ax.texts]
    assert [t.get_text() for a in ax.child_axes for t in a.get_yticklabels()] == ["? chưa chắc chắn"]


def test_the_candidates_offer_one_of_the_two_combinations_that_project_alike():
    # simple and sparse give the same path; a reader is shown the one the engine would use.
    annual = candidates.compare(pd.DataFrame({"year": range(2015, 2025), "value": np.linspace(30.0, 44.0, 10)}),
                                "percent", until=2030)
    assert "simple" in set(annual.scores["method"]) and "sparse" not in set(annual.paths["method"])
    survey = candidates.compare(pd.DataFrame({"year": [2006, 2010, 2014, 2018, 2022],
                                              "value": [20.0, 24.0, 27.0, 31.0, 33.0]}), "percent", until=2030)
    assert "sparse" in set(survey.scores["method"]) and "simple" not in set(survey.paths["method"])


def test_a_share_target_is_labelled_with_its_percent_sign_and_never_beyond_100(plan):
    # 3.4: at least 70% in 2025, 100% of facilities in 2030 (">= 100" in the plan: a share cannot pass 100%).
    from gender_monitor.publish.charts import target_label

    assert [target_label(plan.target("3.4"), y) for y in (2025, 2030)] == ["≥70% (2025)", "100% (2030)"]
    assert target_label(plan.target("4.1"), 2025) == "≤111 (2025)"  # boys per 100 girls: no percent sign
    # 3.1 as the plan writes it ("1,7 lần"), not with a ratio's two decimals ("≤1,70").
    assert [target_label(plan.target("3.1"), y) for y in (2025, 2030)] == ["≤1,7 (2025)", "≤1,4 (2030)"]


def test_a_yes_no_target_is_labelled_with_what_is_due_not_its_value_code(plan):
    # 5.1 (gender content in curricula "từ năm 2025 trở đi") is a yes/no target stored as "= 1": its marks read
    # "1 (2025)", a number no reader can place. They read what is due, as its timeline's flags do.
    from gender_monitor.publish.charts import mark_targets, target_label

    milestone = plan.target("5.1")
    assert [target_label(milestone, y) for y in (2025, 2030)] == ["Phải hoàn thành năm 2025",
                                                                  "Phải hoàn thành năm 2030"]
    assert target_label(milestone, 2025, "en") == "Due in 2025"
    # Any chart that marks its targets (the candidate models' chart marks every target's) says the same.
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    ax.plot([2023, 2024], [1, 1])
    mark_targets(ax, milestone)
    said = [t.get_text() for t in ax.texts]
    assert said == ["Phải hoàn thành năm 2025", "Phải hoàn thành năm 2030"]
    assert not any(text[:1].isdigit() for text in said)
    timeline = charts.indicator_chart(_obs("5.1", "QT", [2023, 2024], [1, 1]), milestone, place="QT",
                                      national_place=None).axes[0]
    assert set(said) <= {t.get_text() for t in timeline.texts}


def test_a_target_label_next_to_a_later_target_of_the_same_value_is_written_on_its_left(plan):
    # 4.3: at most 18 in 2025 and below 18 in 2030. Written rightwards, "≤18 (2025)" ran into "<18 (2030)".
    target = plan.target("4.3")
    values = [t.value for t in target.targets]
    assert len(values) == 2 and values[0] == values[1]
    rows = _obs("4.3", "QT", [2019, 2020, 2021, 2022, 2023], [22.0, 21.0, 20.5, 20.0, 19.0])
    ax = charts.indicator_chart(rows, target, place="QT", national_place=None).axes[0]
    labels = {t.get_text(): t for t in ax.texts if "(20" in t.get_text()}
    first = next(t for s, t in labels.items() if "(2025)" in s)
    last = next(t for s, t in labels.items() if "(2030)" in s)
    assert (first.get_horizontalalignment(), first.get_verticalalignment()) == ("right", "center")
    assert (last.get_horizontalalignment(), last.get_verticalalignment()) == ("left", "center")

    # 6.3's data begin in 2025, the year of its first target: written on its left, "100% (2025)" crossed the
    # axis; it goes under the marker. A target "= 100" is written "100%", as in the annex.
    rows = _obs("6.3", "QT25", [2025, 2026], [84.6, 70.5])
    ax = charts.indicator_chart(rows, plan.target("6.3"), place="QT25", national_place=None).axes[0]
    labels = {t.get_text(): t for t in ax.texts if "(20" in t.get_text()}
    assert "100% (2025)" in labels and not any(text.startswith("=") for text in labels)
    under = labels["100% (2025)"]
    assert (under.get_horizontalalignment(), under.get_verticalalignment()) == ("left", "top")


def test_a_name_with_dollar_signs_is_drawn_as_written_and_a_hidden_outcome_in_words(plan):
    # A series name "$\notacommand{$" sent by an agency was read as a formula and stopped the brief.
    import io

    targets = [plan.target("3.2b"), plan.target("4.1")]
    assessment = pd.DataFrame([
        {"code": "3.2b", "target_year": 2030, "status": "hidden", "p_meet": float("nan"), "judged_on": "latest",
         "label_vi": "không công bố (để bảo mật)", "label_en": "not published (confidential)"},
        {"code": "4.1", "target_year": 2030, "status": "too_close", "p_meet": 0.4, "judged_on": "projection",
         "label_vi": "chưa chắc chắn", "label_en": "too close to call"}])
    fig = charts.status_dot_plot(assessment, targets, year=2030, names=["$\\notacommand{$", "4.1 $5 $x^2$"])
    fig.savefig(io.BytesIO(), format="png")  # the text is parsed when drawn
    texts = _texts(fig) + [t.get_text() for a in fig.axes for t in a.get_yticklabels()]
    assert "$\\notacommand{$" in texts and "không công bố (để bảo mật)" in texts
    assert not any((t.get_gid() or "") == "status-3.2b" for t in fig.axes[0].texts)  # no place on the scale


def test_a_series_of_one_value_is_drawn_on_its_own_years_not_a_century(plan):
    # 3.5b at a district: one value (2021). Autoscaling one point spans 1920–2120.
    obs = _obs("3.5b", "QT-HH", [2021], [0])
    ax = charts.indicator_chart(obs, plan.target("3.5b"), place="QT-HH", national_place=None).axes[0]
    lo, hi = ax.get_xlim()
    assert 2015 <= lo <= 2020 and hi == pytest.approx(2031.8)


def test_a_place_the_targets_do_not_judge_is_charted_without_the_provinces_target_marks(plan):
    obs = _obs("2.1", "QT-HH", list(range(2018, 2025)), [40, 41, 42, 43, 44, 45, 46])
    targets = [plan.target("2.1")]
    judged = charts.small_multiples(obs, targets, place="QT-HH", titles=["2.1"], national_place=None)
    district = charts.small_multiples(obs, targets, place="QT-HH", titles=["2.1"], national_place=None,
                                      show_targets=False)
    def marks(fig):
        return [t.get_text() for t in fig.axes[0].texts], [h.get_label() for h in fig.legends[0].legend_handles]
    (texts, labels), (texts_d, labels_d) = marks(judged), marks(district)
    target_word = i18n.t("charts.target_legend", "vi")
    assert target_word in labels and target_word not in labels_d
    assert len(texts_d) < len(texts)  # the target labels (≥40%, ≈45%) are not written beside a district's series


def test_a_long_title_or_name_goes_on_to_a_second_line_at_a_phrase_end_not_cut(plan):
    # Small multiples: a title longer than a line takes two, broken where a phrase ends (after the comma),
    # not inside "bạo lực"; short ones stay on one line.
    rows = _obs("3.2a", "QT", [2021, 2022, 2023], [80.0, 82.0, 85.0])
    targets = [plan.target("3.2a"), plan.target("3.5a")]
    long = "3.2a · Tỷ lệ người bị bạo lực gia đình, bạo lực trên cơ sở giới được phát hiện…"
    fig = charts.small_multiples(rows, targets, place="QT", titles=[long, "3.5a · Số cuộc tảo hôn"])
    assert [ax.get_title(loc="left") for ax in fig.axes[:2]] == [
        "3.2a · Tỷ lệ người bị bạo lực gia đình,\nbạo lực trên cơ sở giới được phát hiện…", "3.5a · Số cuộc tảo hôn"]
    # The dot plot: a name whose first phrase is long (kept whole by i18n.shorten) takes two lines.
    name = "4.4 Cơ sở y tế cung cấp thí điểm dịch vụ chăm sóc sức khỏe…"
    assessment = pd.DataFrame([{"code": "4.4", "target_year": 2030, "status": "unlikely", "p_meet": 0.05,
                                "label_vi": i18n.status_label("unlikely", "vi"), "judged_on": "projection"}])
    ax = charts.status_dot_plot(assessment, [plan.target("4.4")], year=2030, names=[name]).axes[0]
    label = ax.get_yticklabels()[0].get_text()
    assert label.replace("\n", " ") == name and label.count("\n") == 1
    assert max(len(line) for line in label.split("\n")) <= charts.DOT_LABEL_CHARS


def test_the_shared_legend_of_small_multiples_names_every_line_and_band_drawn(plan):
    # Objective 4's charts drew the natural level (105–107, 4.1) and a second, dotted national series, while
    # the legend named only "Toàn quốc": a legend of its own, not of what was drawn.
    years = list(range(2016, 2024))
    rows = pd.concat([_obs("4.1", "QT", years, [112.0, 111.5, 112.3, 111.0, 110.8, 111.9, 111.2, 110.6]),
                      _obs("4.1", "VN", years, [112.2, 112.0, 111.5, 111.5, 112.1, 111.6, 111.5, 112.0],
                           series="survey"),
                      _obs("4.1", "VN", [2021, 2022, 2023], [109.5, 109.6, 109.7], series="registration"),
                      _obs("4.3", "QT", years, [23.0, 22.5, 22.0, 21.6, 21.0, 20.5, 20.1, 19.7])],
                     ignore_index=True)
    targets = [plan.target("4.1"), plan.target("4.3")]
    fig = charts.small_multiples(rows, targets, place="QT", titles=["4.1", "4.3"])
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    drawn = {label for ax in fig.axes for label in ax.get_legend_handles_labels()[1] if not label.startswith("_")}
    assert drawn <= set(legend), drawn - set(legend)
    assert "Mức tự nhiên (105–107)" in legend
    national = [line.get_label() for line in fig.axes[0].lines if line.get_gid() == "national"]
    assert len(national) == 2 and set(national) <= set(legend)
    assert set(national) == {"Toàn quốc", "Toàn quốc (đăng ký hộ tịch)"}


def test_the_axis_of_a_ratio_says_what_it_is_a_multiple_of(plan):
    # 3.1: women's hours of unpaid care work as a multiple of men's; the axis read a bare "lần" ("times").
    rows = _obs("3.1", "QT", [2019, 2021, 2023], [1.95, 1.9, 1.87])
    ax = charts.indicator_chart(rows, plan.target("3.1"), place="QT", national_place=None).axes[0]
    assert ax.get_ylabel() == "lần so với nam giới"


# --- alternative texts: each chart in words, from the data it draws ---------------------------------------------


def test_the_status_chart_says_each_targets_outlook_and_chance_in_words(plan):
    # The brief's image read "Biểu đồ: Các chỉ tiêu": its rows are said one by one, without the symbols.
    targets = [plan.target("1.1"), plan.target("3.5a"), plan.target("4.1")]
    assessment = pd.DataFrame([
        {"code": "1.1", "target_year": 2025, "status": "unlikely", "p_meet": 0.05, "judged_on": "projection"},
        {"code": "4.1", "target_year": 2025, "status": "too_close", "p_meet": 0.4, "judged_on": "projection"}])
    fig = charts.status_dot_plot(assessment, targets, year=2025, names=["1.1 Lãnh đạo nữ", "3.5a Tảo hôn", "4.1 SRB"])
    assert charts.alt_text(fig) == (
        "Biểu đồ khả năng đạt mục tiêu năm 2025 của 3 chỉ tiêu: 1.1 Lãnh đạo nữ: khó đạt (xác suất đạt 5%); "
        "3.5a Tảo hôn: không có mục tiêu năm 2025; 4.1 SRB: chưa chắc chắn (xác suất đạt 40%).")
    en = charts.status_dot_plot(assessment, targets, year=2025, names=["1.1", "3.5a", "4.1"], language="en")
    assert charts.alt_text(en) == (
        "Chart of the chance of meeting each of 3 targets for 2025: 1.1: unlikely to be met (chance of meeting it "
        "5%); 3.5a: no target for 2025; 4.1: too close to call (chance of meeting it 40%).")


def test_the_small_multiples_say_each_panel_with_its_unit_target_and_projection(plan):
    # An objective's charts read "Biểu đồ: Diễn biến và dự báo". Each panel now says its indicator, place, unit,
    # last value and year, each target and the projection at the target year with the intervals drawn.
    rows = pd.concat([_obs("4.2", "QT", [2022, 2023, 2024], [34.9, 46.4, 51.294]),
                      _obs("4.3", "QT", [2023, 2024], [20.0, 19.3], "illustrative")], ignore_index=True)
    fan = pd.DataFrame({"indicator": "4.2", "place": "QT", "series": "", "sex": "", "year": [2025, 2030],
                        "median": [47.0, 45.04], "lo-80": [30.0, 27.4], "hi-80": [70.0, 73.6],
                        "lo-95": [20.0, 19.3], "hi-95": [100.0, 103.64]})
    # (The unit is the plan's own words for 4.3, unit_vi, as the report's unit column says it.)
    fig = charts.small_multiples(rows, [plan.target("4.2"), plan.target("4.3")], place="QT", titles=["4.2", "4.3"],
                                 forecasts=fan, national_place=None, place_name="Quảng Trị (địa bàn tỉnh cũ)")
    assert charts.alt_text(fig) == (
        "Biểu đồ diễn biến và dự báo của 2 chỉ tiêu tại Quảng Trị (địa bàn tỉnh cũ), mỗi chỉ tiêu một ô. "
        "Biểu đồ chỉ tiêu 4.2 “Tỷ lệ tử vong bà mẹ liên quan đến thai sản” của Quảng Trị (địa bàn tỉnh cũ); "
        "đơn vị tính: ca/100.000 trẻ sinh sống; số liệu từ năm 2022 đến năm 2024, năm 2024: 51,3 ca/100.000 trẻ sinh "
        "sống; mục tiêu năm 2025: ≤42 ca/100.000 trẻ sinh sống; dự báo năm 2025: 47,0 ca/100.000 trẻ sinh sống "
        "(khoảng dự báo 80%: 30,0–70,0 ca/100.000 trẻ sinh sống; khoảng dự báo 95%: 20,0–100,0 ca/100.000 trẻ sinh "
        "sống); mục tiêu năm 2030: <42 ca/100.000 trẻ sinh sống; dự báo năm 2030: 45,0 ca/100.000 trẻ sinh sống "
        "(khoảng dự báo 80%: 27,4–73,6 ca/100.000 trẻ sinh sống; khoảng dự báo 95%: 19,3–103,6 ca/100.000 trẻ sinh "
        "sống). "
        "Biểu đồ chỉ tiêu 4.3 “Tỷ suất sinh ở vị thành niên” của Quảng Trị (địa bàn tỉnh cũ); "
        "đơn vị tính: ‰ (số ca sinh/1.000 phụ nữ 15–19 tuổi); số liệu từ năm 2023 đến năm 2024, năm 2024: 19,3‰; "
        "mục tiêu năm 2025: ≤18‰; mục tiêu năm 2030: <18‰.")
    # In English, in English number style.
    en = charts.small_multiples(rows, [plan.target("4.2")], place="QT", titles=["4.2"], forecasts=fan,
                                national_place=None, language="en")
    assert "values from 2022 to 2024, 51.3 per 100,000 live births in 2024; target for 2025: ≤42 per 100,000 live " \
           "births; projected 47.0 per 100,000 live births in 2025 (80% interval 30.0–70.0 per 100,000 live births; " \
           "95% interval 20.0–100.0 per 100,000 live births)" in charts.alt_text(en)


def test_a_hidden_series_and_ranked_units_are_said_as_drawn(plan):
    # A series kept from publication is drawn as a note: its description says so and gives no value.
    rows = _obs("3.3", "QT25", [2023, 2024, 2025], [2.0, 1.0, 3.0]).assign(suppressed=["small", "small", ""])
    fig = charts.indicator_chart(rows, plan.target("3.3"), place="QT25", national_place=None)
    said = charts.alt_text(fig)
    assert said.startswith("Biểu đồ chỉ tiêu 3.3 ") and said.endswith("; số liệu không công bố để bảo mật.")
    assert "2,0" not in said and "3,0" not in said
    # Ranked communes: highest and lowest, how many below the threshold, how many not published.
    frame = pd.DataFrame({"name": ["Xã A", "Xã B", "Xã C", "Xã D"], "value": [5.0, 4.5, 3.0, np.nan]})
    bars = charts.ranked_bars(frame, threshold=4, title="6.3 · Theo xã · năm 2025")
    assert charts.alt_text(bars) == ("6.3 · Theo xã · năm 2025: 4 đơn vị xếp theo giá trị; cao nhất là Xã A (5), "
                                     "thấp nhất là Xã C (3); 1 đơn vị dưới ngưỡng 4; "
                                     "1 đơn vị không công bố để bảo mật.")


def test_ranked_units_are_described_over_every_unit_not_only_those_drawn():
    # Worst first, five communes, three drawn: the highest (Xã E, 10) is among those cut. The description named the
    # highest drawn (Xã C, 3) and counted only the drawn below the threshold.
    frame = pd.DataFrame({"name": ["Xã A", "Xã B", "Xã C", "Xã D", "Xã E"], "value": [1.0, 2.0, 3.0, 3.5, 10.0]})
    bars = charts.ranked_bars(frame, threshold=4, title="6.3 · Theo xã", top=3)
    said = charts.alt_text(bars)
    assert said.startswith("6.3 · Theo xã: 5 đơn vị xếp theo giá trị; cao nhất là Xã E (10), thấp nhất là Xã A (1); "
                           "4 đơn vị dưới ngưỡng 4; ")
    assert "2 " in said.split("; ")[-1]  # the two units not drawn are still said


def test_units_sharing_the_highest_or_lowest_value_are_counted_not_one_named_alone():
    # 3.5a by commune: many communes at 0. The description named one of them as "the lowest", as if alone.
    frame = pd.DataFrame({"name": ["Xã A", "Xã B", "Xã C", "Xã D"], "value": [0.0, 0.0, 0.0, 2.0]})
    said = charts.alt_text(charts.ranked_bars(frame, title="3.5a"))
    assert said == "3.5a: 4 đơn vị xếp theo giá trị; cao nhất là Xã D (2), thấp nhất là Xã A cùng 2 đơn vị khác (0)."
    en = charts.alt_text(charts.ranked_bars(frame, title="3.5a", language="en"))
    assert "lowest Xã A and 2 others (0)" in en
    # All at one value: said once, not as a highest and a lowest.
    same = pd.DataFrame({"name": ["Xã A", "Xã B", "Xã C"], "value": [0.0, 0.0, 0.0]})
    said = charts.alt_text(charts.ranked_bars(same, title="3.5a"))
    assert said == "3.5a: 3 đơn vị xếp theo giá trị; cả 3 đơn vị cùng mức 0."


def test_the_candidate_models_chart_says_each_projection_error_and_the_method_used(plan):
    rows = _obs("2.1", "QT", [2022, 2023, 2024], [40.0, 41.0, 42.0])
    paths = pd.DataFrame({"method": ["naive", "naive", "drift", "drift"], "year": [2025, 2030] * 2,
                          "value": [42.0, 42.0, 43.0, 48.0]})
    scores = pd.DataFrame({"method": ["naive", "drift"], "mae": [1.5, 0.25]})
    fig = charts.candidates_chart(rows, paths, scores, target=plan.target("2.1"), chosen="drift")
    assert charts.alt_text(fig) == (
        "Biểu đồ các phương pháp dự báo chỉ tiêu 2.1; dự báo năm 2030 theo từng phương pháp: Giữ nguyên giá trị cuối "
        "42,0%, Xu hướng đầu–cuối 48,0%; sai số tuyệt đối trung bình khi dự báo lại quá khứ: Giữ nguyên giá trị cuối "
        "1,50, Xu hướng đầu–cuối 0,25; phương pháp được dùng: Xu hướng đầu–cuối.")


def test_a_charts_description_reaches_the_page_escaped():
    # Words from data (a place's name) are text in the alt attribute, never markup.
    from gender_monitor.publish import display

    fig = charts.ranked_bars(pd.DataFrame({"name": ['Xã "A" <b>'], "value": [5.0]}), title='<script>x</script>')
    html = str(display.Chart(fig).html())
    alt = re.search(r'alt="([^"]*)"', html).group(1)
    assert "<" not in alt and "&lt;script&gt;" in alt and "Xã &#34;A&#34; &lt;b&gt; (5)" in alt
    # An alt given by the caller is kept as given (escaped too).
    assert 'alt="a &amp; b"' in str(display.Chart(charts.ranked_bars(pd.DataFrame({"name": ["x"], "value": [1.0]})),
                                                  alt="a & b").html())
