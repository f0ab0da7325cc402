"""Judging targets: hand-worked expectations for every kind of target."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from gender_monitor.data.observations import COLUMNS
from gender_monitor.judge import assessment
from gender_monitor.judge.assessment import assess


def obs(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (indicator, place, year, value[, numerator, denominator])."""
    records = []
    for r in rows:
        rec = dict.fromkeys(COLUMNS, "")
        rec.update(indicator=r[0], place=r[1], year=r[2], value=float(r[3]), quarter=pd.NA,
                   numerator=r[4] if len(r) > 4 else math.nan, denominator=r[5] if len(r) > 5 else math.nan,
                   status="official")
        records.append(rec)
    frame = pd.DataFrame(records)
    frame["quarter"] = frame["quarter"].astype("Int64")
    return frame


def judge(rows, plan, places, **kw):
    kw.setdefault("place", "QT")  # these rules are about judging, not about which place the plan covers
    table = assess(obs(rows), plan=plan, places=places, **kw)
    return table.set_index(["code", "target_year"])


def test_one_row_per_target_and_year_with_labels(plan, places):
    table = assess(obs([("2.1", "QT", 2020, 38.0)]), plan=plan, places=places, as_of=2024)
    assert len(table) == sum(len(t.targets) for t in plan.targets)
    for col in ["code", "target_year", "latest_value", "latest_year", "projected", "lo-80", "hi-80", "lo-95",
                "hi-95", "p_meet", "status", "label_vi", "label_en"]:
        assert col in table.columns
    no_data = table[table["code"] == "4.1"].iloc[0]
    assert (no_data["status"], no_data["label_vi"], no_data["label_en"]) == ("no_data", "chưa có số liệu", "no data yet")


@pytest.mark.parametrize(("rate", "status"), [(0.025, "met"), (0.035, "exceeded"), (0.01, "not_met")])
def test_child_marriage_rate_of_decline_over_the_period(plan, places, rate, status):
    # 3.5a: "duy trì mức giảm số cuộc tảo hôn từ 2% đến 3% hằng năm giai đoạn từ năm 2025 đến năm 2030".
    # A count falling exactly `rate` a year from 2025 to 2030 has a log-linear slope of log(1 - rate);
    # with the period over (as of 2030) the fall is judged as it is: ≥ 2% met, > 3% exceeded.
    rows = [("3.5a", "QT", 2018 + k, round(400 * (1 - rate) ** k)) for k in range(2030 - 2018 + 1)]
    row = judge(rows, plan, places, as_of=2030).loc[("3.5a", 2030)]
    assert row["status"] == status
    assert row["projected"] == pytest.approx(100 * rate, abs=0.3)  # the yearly fall, in percent
    # The period is over: a fall short of it is not met ("không đạt", the plan's word for a final outcome), not
    # "chưa đạt" (not yet), as the final review says it.
    assert row["label_vi"] == {"met": "đạt", "exceeded": "vượt", "not_met": "không đạt"}[status]


@pytest.mark.parametrize(("counts", "status"), [
    ([400, 360, 324, 292], "likely"),  # falling 10% a year since 2025: far above the required 2%
    ([400, 410, 420, 431], "unlikely"),  # rising
])
def test_child_marriage_decline_while_the_period_runs(plan, places, counts, status):
    # Before 2025 the count rose; only the plan period's years (2025 on) decide the pace once there
    # are three of them. Mid-period the verdict is a probability, not a final "not met".
    rows = [("3.5a", "QT", y, 300 + 10 * (y - 2018)) for y in range(2018, 2025)]
    rows += [("3.5a", "QT", 2025 + k, c) for k, c in enumerate(counts)]
    row = judge(rows, plan, places, as_of=2028).loc[("3.5a", 2030)]
    assert row["status"] == status
    assert row["reliability_en"].count("2025–2028") == 1  # the pace is fitted on 2025–2028 only


def test_child_marriage_decline_uses_the_period_from_its_third_value_on(plan, places):
    # The 2028 report, written before the 2028 returns: 2025, 2026 and 2027 since the period began, exactly
    # three, so the period's own pace (falling 10% a year) decides, not the rise of 2018–2024 before it.
    rows = [("3.5a", "QT", y, 300 + 10 * (y - 2018)) for y in range(2018, 2025)]
    rows += [("3.5a", "QT", 2025 + k, c) for k, c in enumerate([400, 360, 324])]
    row = judge(rows, plan, places, as_of=2028).loc[("3.5a", 2030)]
    assert row["status"] == "likely"
    assert "average fall 10% a year (2025–2027)" in row["reliability_en"]


def test_child_marriage_decline_without_the_end_years_count_is_a_probability_not_an_outcome(plan, places):
    # The final review compiled before the 2030 count: the pace to 2029 says how likely, not "exceeded".
    rows = [("3.5a", "QT", 2018 + k, round(400 * 0.9 ** k)) for k in range(2029 - 2018 + 1)]
    row = judge(rows, plan, places, as_of=2030).loc[("3.5a", 2030)]
    assert row["status"] == "likely" and row["p_meet"] > 0.9
    rows.append(("3.5a", "QT", 2030, round(400 * 0.9 ** 12)))
    assert judge(rows, plan, places, as_of=2030).loc[("3.5a", 2030)]["status"] == "exceeded"


def test_child_marriage_decline_in_a_report_before_the_years_returns_uses_the_latest_years(plan, places):
    # The 2027 report is written before the 2027 returns: 2025 and 2026 since the period began, too few for
    # the period's own pace, so the latest years give it (it said "not enough data" for a series of 12).
    rows = [("3.5a", "QT", y, 300 - 10 * (y - 2015)) for y in range(2015, 2027)]
    row = judge(rows, plan, places, as_of=2027).loc[("3.5a", 2030)]
    # Falling 10 a year from 230 in 2019 to 160 in 2026 (the last 8 years): about 4–5% a year, above 2%.
    assert (row["status"], row["judged_on"]) == ("likely", "pace")
    assert "average fall 4.4% a year (2019–2026)" in row["reliability_en"]


def test_sex_ratio_from_12000_births_is_too_close_to_call(plan, places):
    # 6,330 boys and 5,677 girls: SRB 111.50. Boys' share p = 0.52720, se = sqrt(p(1-p)/12007) = 0.004556,
    # p ± 1.96 se = 0.51827 … 0.53613, i.e. an SRB of 107.6 … 115.6: the interval straddles 111.
    rows = [("4.1", "QT", 2025, 111.50, 6330, 5677)]
    row = judge(rows, plan, places, as_of=2025).loc[("4.1", 2025)]
    assert row["judged_on"] == "data"
    assert row["lo-95"] == pytest.approx(107.6, abs=0.1) and row["hi-95"] == pytest.approx(115.6, abs=0.1)
    assert row["status"] == "too_close" and row["label_vi"] == "chưa chắc chắn"


def test_target_met_in_the_latest_year_is_dat(plan, places):
    row = judge([("1.1", "QT", 2024, 55.0), ("1.1", "QT", 2025, 60.5)], plan, places, as_of=2025).loc[("1.1", 2025)]
    assert (row["status"], row["label_vi"], row["judged_on"]) == ("met", "đạt", "data")
    row = judge([("1.1", "QT", 2025, 65.0)], plan, places, as_of=2025).loc[("1.1", 2025)]
    assert (row["status"], row["label_vi"]) == ("exceeded", "vượt")  # 65 is 8% above 60
    row = judge([("1.1", "QT", 2025, 58.0)], plan, places, as_of=2025).loc[("1.1", 2025)]
    # The 2025 value misses the 2025 target: the plan's word for it is "không đạt" (not met), as the objective
    # briefs and the yearly report's annex say; "chưa đạt" (not yet met) is for a year still ahead.
    assert (row["status"], row["label_vi"], row["label_en"]) == ("not_met", "không đạt", "not met")


def test_a_status_reads_in_end_words_once_its_year_is_reached_and_only_then(plan, places):
    # One word for one status in every output: the assessment's labels follow the review's year. 5.2b (2025:
    # about 85%, 2030: 90%) at 80% in 2024 and 2025, every year rising a little.
    rows = [("5.2b", "QT", y, v) for y, v in zip(range(2019, 2026), (76.0, 77.0, 77.5, 78.5, 79.0, 79.5, 80.0))]
    now = judge(rows, plan, places, as_of=2025)
    assert (now.loc[("5.2b", 2025), "status"], now.loc[("5.2b", 2025), "label_vi"]) == ("not_met", "không đạt")
    # 2030 is ahead: its outlook is said as one ("khó đạt"), not as what happened.
    assert (now.loc[("5.2b", 2030), "status"], now.loc[("5.2b", 2030), "label_vi"]) == ("unlikely", "khó đạt")
    # Looking from 2024, 2025 is ahead too: without its value the outlook is "khó đạt", not "nhiều khả năng không đạt".
    before = judge(rows[:-1], plan, places, as_of=2024).loc[("5.2b", 2025)]
    assert (before["status"], before["label_vi"]) == ("unlikely", "khó đạt")
    # A milestone not reached by its latest value stays "chưa đạt" in its own year: its outcome is not known.
    late = judge([("5.1", "QT", 2023, 0), ("5.1", "QT", 2024, 0)], plan, places, as_of=2025).loc[("5.1", 2025)]
    assert (late["status"], late["judged_on"], late["label_vi"]) == ("not_met", "latest", "chưa đạt")


def test_hundred_percent_maintained_is_on_track(plan, places):
    # 6.4: 10 of 10 stations every year 2018–2024. Per-station success θ ~ Beta(71, 1); the chance all
    # 10 stations keep the column next time is E[θ^10] = B(81, 1) / B(71, 1) = 71 / 81.
    rows = [("6.4", "QT", y, 100.0, 10, 10) for y in range(2018, 2025)]
    table = judge(rows, plan, places, as_of=2024)
    for year in (2025, 2030):
        row = table.loc[("6.4", year)]
        assert row["status"] == "met"
        assert row["p_meet"] == pytest.approx(71 / 81, rel=1e-6)


def test_a_year_to_keep_at_100_percent_is_not_judged_on_another_years_value(plan, places):
    # 6.4: 10 of 10 stations 2018–2024, nothing of 2025 or 2026, 10 of 10 again in 2027. The 2025 target
    # year went by without a value of its own: 2027's 100% says nothing of 2025 (it read "met", judged on
    # the 2027 value). The 2030 target is ahead: the level is reached, to keep (θ ~ Beta(81, 1) after 80
    # of 80: E[θ^10] = B(91, 1) / B(81, 1) = 81 / 91).
    rows = [("6.4", "QT", y, 100.0, 10, 10) for y in [*range(2018, 2025), 2027]]
    table = judge(rows, plan, places, as_of=2027)
    assert table.loc[("6.4", 2025), "status"] == "no_data"
    assert (table.loc[("6.4", 2030), "status"], table.loc[("6.4", 2030), "judged_on"]) == ("met", "latest")
    assert table.loc[("6.4", 2030), "p_meet"] == pytest.approx(81 / 91, rel=1e-6)
    # In the target year itself (the final review of 2030) with 2026 the last value: not "met" on 2026's
    # value but the chance it held, 71/81 after seven years of 10 of 10 (0.877, below the 0.9 of "likely").
    to_2026 = [("6.4", "QT", y, 100.0, 10, 10) for y in range(2020, 2027)]
    end = judge(to_2026, plan, places, as_of=2030).loc[("6.4", 2030)]
    assert (end["status"], end["judged_on"]) == ("too_close", "projection")
    assert end["p_meet"] == pytest.approx(71 / 81, rel=1e-6)


def test_a_latest_value_that_meets_the_target_only_by_chance_is_not_called_met(plan, places):
    # 4.2 (maternal mortality, < 42 by 2030): 7 deaths in 17,284 births in 2027 is 40.50, below 42, but
    # the exact Poisson 95% interval of 7 deaths is 2.81–14.42, i.e. 16.3–83.4 per 100,000: the level
    # is not shown reached, the projection judges it. 35 deaths in 175,000 births (20.0; 24.4–48.7 deaths,
    # 13.9–27.8) is below 42 beyond chance: met on the latest value.
    history = [("4.2", "QT", y, 48.0, 8, 16_667) for y in range(2019, 2027)]
    small = judge([*history, ("4.2", "QT", 2027, 7 / 17_284 * 1e5, 7, 17_284)], plan, places, as_of=2027)
    row = small.loc[("4.2", 2030)]
    assert row["judged_on"] == "projection" and row["status"] != "met"
    large = judge([*history, ("4.2", "QT", 2027, 20.0, 35, 175_000)], plan, places, as_of=2027)
    assert (large.loc[("4.2", 2030), "judged_on"], large.loc[("4.2", 2030), "status"]) == ("latest", "exceeded")


def test_hundred_percent_without_counts_uses_years(plan, places):
    # 7 years at 100%: Laplace's rule of succession gives (7 + 1) / (7 + 2).
    rows = [("6.2", "QT", y, 100.0) for y in range(2018, 2025)]
    assert judge(rows, plan, places, as_of=2024).loc[("6.2", 2025), "p_meet"] == pytest.approx(8 / 9)


def test_a_steady_rise_well_above_the_path_is_likely_and_a_fall_unlikely(plan, places):
    up = [("5.3", "QT", y, 28.0 + 1.5 * (y - 2016)) for y in range(2016, 2025)]  # 2024: 40 → 2025 ≈ 41.5
    assert judge(up, plan, places, as_of=2024).loc[("5.3", 2025), "status"] in ("met", "exceeded")
    down = [("5.3", "QT", y, 29.0 - 0.8 * (y - 2016)) for y in range(2016, 2025)]
    row = judge(down, plan, places, as_of=2024).loc[("5.3", 2025)]
    assert row["status"] == "unlikely" and row["p_meet"] < 0.1
    assert row["trend"] == "worsening"


def test_eurostat_ratio_and_category_by_hand(plan, places):
    # 2.1 from 30 (2016) to 34 (2020): observed CAGR (34/30)^(1/4) - 1 = 3.178%; required to reach 45 in
    # 2030 from 30 in 2016: (45/30)^(1/14) - 1 = 2.939%; ratio 1.081 → on track (≥ 95%).
    rows = [("2.1", "QT", 2016, 30.0), ("2.1", "QT", 2020, 34.0)]
    row = judge(rows, plan, places, as_of=2020).loc[("2.1", 2030)]
    assert row["ratio_observed_required"] == pytest.approx(((34 / 30) ** 0.25 - 1) / ((45 / 30) ** (1 / 14) - 1))
    assert row["category"] == "on_track"
    # Required annual change from the latest value: (44 - 34) / (2030 - 2020) with the ≈ band's lower edge.
    assert row["required_annual_change"] == pytest.approx(1.0)


def test_milestone_reached_and_year(plan, places):
    rows = [("5.1", "QT", 2022, 0), ("5.1", "QT", 2023, 0), ("5.1", "QT", 2024, 1), ("5.1", "QT", 2025, 1)]
    row = judge(rows, plan, places, as_of=2025).loc[("5.1", 2025)]
    assert (row["status"], row["year_reached"]) == ("met", 2024)
    # A value of the target year is the outcome itself (the report's "2025 result", not "no value yet").
    assert row["judged_on"] == "data"
    assert judge(rows[:3], plan, places, as_of=2025).loc[("5.1", 2025), "judged_on"] == "latest"
    # A later value does not make the target year's own value a mere "latest" one.
    later = judge([*rows, ("5.1", "QT", 2026, 1)], plan, places, as_of=2026).loc[("5.1", 2025)]
    assert (later["judged_on"], later["status"]) == ("data", "met")
    missed = judge([("5.1", "QT", 2024, 0), ("5.1", "QT", 2025, 0), ("5.1", "QT", 2026, 1)], plan, places, as_of=2026)
    assert (missed.loc[("5.1", 2025), "judged_on"], missed.loc[("5.1", 2025), "status"]) == ("data", "not_met")
    rows = [("4.4", "QT", 2023, 0), ("4.4", "QT", 2024, 0)]
    row = judge(rows, plan, places, as_of=2024).loc[("4.4", 2030)]
    assert row["status"] == "not_met" and pd.isna(row["year_reached"])


def test_direction_only_target(plan, places):
    gone = [("3.5b", "QT", 2019 + k, v) for k, v in enumerate([4, 3, 3, 2, 1, 0, 0])]
    assert judge(gone, plan, places, as_of=2025).loc[("3.5b", 2030), "status"] == "met"
    rising = [("3.5b", "QT", 2016 + k, v) for k, v in enumerate([5, 7, 9, 12, 15, 19, 24, 30])]
    row = judge(rising, plan, places, as_of=2023).loc[("3.5b", 2030)]
    assert row["status"] == "unlikely" and row["trend"] == "worsening"


def test_district_targets_after_2025_are_not_applicable(plan, places):
    rows = [("1.1", "QT-HH", y, 50.0 + y - 2018) for y in range(2018, 2025)]
    table = judge(rows, plan, places, place="QT-HH", as_of=2024)
    assert table.loc[("1.1", 2030), "status"] == "not_applicable"
    assert table.loc[("1.1", 2030), "label_vi"] == "không áp dụng"
    # Targets are judged at the end of their year: on 31 December 2025 the district no longer exists.
    assert table.loc[("1.1", 2025), "status"] == "not_applicable"
    # The old province's territory is still tracked (from the new communes formed from it).
    rows = [("1.1", "QT", y, 50.0 + y - 2018) for y in range(2018, 2025)]
    assert judge(rows, plan, places, as_of=2024).loc[("1.1", 2030), "status"] != "not_applicable"


def test_series_are_never_mixed_and_as_of_ignores_later_data(plan, places):
    frame = obs([("4.1", "QT", y, 112.0) for y in range(2016, 2022)] + [("4.1", "QT", 2023, 108.0)])
    frame.loc[frame["year"] == 2023, "series"] = "registration"
    table = assess(frame, plan=plan, places=places, as_of=2024).set_index(["code", "target_year"])
    row = table.loc[("4.1", 2025)]
    assert (row["series"], row["latest_value"], row["n_obs"]) == ("registration", 108.0, 1)
    assert "another series ()" in row["reliability_en"] or "another series" in row["reliability_en"]
    table = assess(frame, plan=plan, places=places, as_of=2020).set_index(["code", "target_year"])
    assert table.loc[("4.1", 2025), "latest_year"] == 2020


def test_responsible_agency_today_and_national_context(plan, places):
    rows = [("5.3", "QT", 2023, 33.0), ("5.3", "QT", 2024, 34.0), ("2.1", "VN", 2023, 42.8)]
    table = judge(rows, plan, places, as_of=2024)
    assert table.loc[("5.3", 2025), "lead_agency"] == "SLDTBXH"
    assert table.loc[("5.3", 2025), "responsible_agency"] == "SGDDT"  # vocational education moved in 2025
    assert table.loc[("2.1", 2025), "responsible_agency"] == "SNV"
    assert table.loc[("2.1", 2025), "national_value"] == pytest.approx(42.8)


def test_a_series_that_left_its_target_is_deterioration_not_on_track(plan, places):
    # 4.3 (≤ 18 in 2025) went from 15 to 20: both the observed and the "required" growth are positive
    # from a start below the target, but the indicator moved away from it.
    rows = [("4.3", "QT", 2016 + k, v) for k, v in enumerate([15.0, 16.0, 17.5, 18.5, 20.0])]
    row = judge(rows, plan, places, as_of=2020).loc[("4.3", 2025)]
    assert row["category"] == "deterioration"
    assert row["trend"] == "worsening"


def test_a_flat_hundred_percent_is_stable_not_worsening(plan, places):
    rows = [("3.3", "QT", y, 100.0, 6, 6) for y in range(2018, 2025)]
    assert judge(rows, plan, places, as_of=2024).loc[("3.3", 2025), "trend"] == "stable"


def test_girls_and_boys_are_never_stacked_into_one_series(plan, places):
    frame = obs([("5.3", "QT", y, 20.0 + y - 2018) for y in range(2018, 2024)]
                + [("5.3", "QT", y, 60.0) for y in range(2018, 2024)])
    frame.loc[:5, "sex"] = "f"
    frame.loc[6:, "sex"] = "m"
    row = assess(frame, plan=plan, places=places, as_of=2023).set_index(["code", "target_year"]).loc[("5.3", 2025)]
    assert row["status"] == "no_data"  # a both-sexes target is not judged on one sex's values


def test_national_context_comes_from_one_series_with_its_status(plan, places):
    frame = obs([("4.1", "VN", 2019, 111.5), ("4.1", "VN", 2023, 111.8), ("4.1", "VN", 2024, 110.7),
                 ("4.1", "QT", 2024, 111.0)])
    frame.loc[:1, "series"] = "survey"
    frame.loc[2, "series"] = "registration"
    row = assess(frame, plan=plan, places=places, as_of=2024).set_index(["code", "target_year"]).loc[("4.1", 2025)]
    assert (row["national_value"], row["national_year"], row["national_series"]) == (110.7, 2024, "registration")
    assert row["national_status"] == "official"


def test_category_cut_offs_are_95_60_0_and_a_ratio_on_a_cut_off_earns_it():
    # Statistics Canada / Open SDG: ≥ 0.95 on track, ≥ 0.6 acceleration needed, ≥ 0 limited progress.
    expected = {1.2: "on_track", 0.95: "on_track", 0.9499: "acceleration_needed", 0.6: "acceleration_needed",
                0.5999: "limited_progress", 0.0: "limited_progress", -0.01: "deterioration"}
    assert {r: assessment.category_of(r) for r in expected} == expected


@pytest.mark.parametrize(("value", "status"), [(35.0, "exceeded"), (41.5, "met"), (43.0, "not_met")])
def test_exceeded_counts_below_a_lower_is_better_target(plan, places, value, status):
    # 2.2: women in agriculture below 42% in 2025 (lower is better). 35 is 7 points below 42, more than
    # the 2% margin (0.84 points): exceeded; 41.5 is 0.5 below: met; 43 is above: not met.
    row = judge([("2.2", "QT", 2025, value)], plan, places, as_of=2025).loc[("2.2", 2025)]
    assert (row["status"], row["judged_on"]) == (status, "data")


def test_the_merged_province_on_the_bundled_data_is_judged_with_its_history(plan):
    # Done-when of the merged province: at least 23 of the 25 targets judged on a value for 2026, each
    # saying how its history was built; 1.1 (its agencies changed) starts in 2025 and says why.
    from gender_monitor.data import harmonise
    from gender_monitor.data.observations import load_observations
    from gender_monitor.plan.reference import load_places

    places = load_places()
    prepared, _ = harmonise.prepare(load_observations(plan=plan, places=places), plan, places)
    table = assess(prepared, plan=plan, places=places, as_of=2026)
    assert set(table["place"]) == {"QT25"}
    judged = table.groupby("code")["status"].apply(lambda s: (~s.isin(["no_data", "insufficient_data"])).any())
    assert judged.sum() >= 23
    assert (table["history_vi"] != "").all() and (table["history_en"] != "").all()
    one = table[table["code"] == "1.1"].iloc[0]
    assert (one["history"], one["first_year"]) == ("not_rebased", 2025)
    assert table["illustrative"].all()
    # 25 targets less the four data/reference/rebasing.csv marks impossible (1.1, 5.1, 6.3, 6.4) = 21;
    # the weighted ones (2.1, 2.2 from employed women, 3.1, 6.1 from population) are estimates.
    from gender_monitor.judge import messages

    summary = messages.history_summary(table, language="en")
    assert "21 of 25 targets" in summary and "(4 with estimated years)" in summary
    assert summary.endswith("not re-based: 1.1, 5.1, 6.3, 6.4")
    assert messages.history_summary(table.assign(history=""), language="en") == ""


def test_a_milestone_without_a_rebased_history_says_it_is_not_projected_not_that_its_projection_is_uncertain(
        plan, places):
    # 5.1 (yes/no, judged on whether it was done) and 1.1 (a share, projected) both have no history before 2025
    # (data/reference/rebasing.csv). 1.1's short series does make its projection very uncertain; 5.1 is never
    # projected, so its words said "dự báo có độ bất định lớn" of a projection that does not exist.
    rows = [("5.1", "QT25", 2025, 1), ("1.1", "QT25", 2025, 40.0), ("1.1", "QT25", 2026, 45.0)]
    table = judge(rows, plan, places, as_of=2026, place="QT25")
    milestone, share = table.loc[("5.1", 2030)], table.loc[("1.1", 2030)]
    assert milestone["history"] == share["history"] == "not_rebased"
    assert milestone["history_vi"].startswith("Không tính lại được số liệu trước năm 2025: chỉ tiêu có/không")
    assert milestone["history_vi"].endswith(
        "Chuỗi số liệu bắt đầu từ năm 2025; chỉ tiêu này được đánh giá theo việc đã hoàn thành hay chưa (không dự "
        "báo) nên chuỗi số liệu ngắn không ảnh hưởng đến kết quả đánh giá")
    assert milestone["history_en"].endswith(
        "The series starts in 2025; the target is judged on whether the milestone was reached (it is not "
        "projected), so the short series does not affect its assessment")
    assert "bất định" not in milestone["history_vi"] and "uncertain" not in milestone["history_en"]
    # A projected target keeps its warning.
    assert share["history_vi"].endswith("Chuỗi số liệu bắt đầu từ năm 2025, nên dự báo có độ bất định lớn")
    assert share["history_en"].endswith("The series starts in 2025, so the projection is very uncertain")


def test_a_flat_series_far_from_its_target_is_unlikely_but_never_impossible(plan, places):
    # 5.3 asks for a higher share by 2025; a share flat at 20% for nine years is far below it. The
    # projection's spread comes from the unit's prior, never ≈ 0, and p_meet is kept inside (0, 1).
    rows = [("5.3", "QT", y, 20.0) for y in range(2016, 2025)]
    row = judge(rows, plan, places, as_of=2024).loc[("5.3", 2025)]
    assert row["status"] == "unlikely"
    assert row["p_meet"] == assessment.P_EDGE
    assert row["hi-95"] > row["lo-95"] + 0.5  # a real interval, not [20.000, 20.000]


def test_statuses_and_cut_offs_come_from_one_pair_of_constants(monkeypatch, plan, places):
    up = [("5.3", "QT", y, 28.0 + 1.2 * (y - 2016)) for y in range(2016, 2024)]  # 2023: 36.4, below 40
    p = judge(up, plan, places, as_of=2023).loc[("5.3", 2030), "p_meet"]
    assert 0 < p < 1
    # Moving the cut-off across this p moves the status: nothing else holds a copy of 0.9 / 0.1.
    monkeypatch.setattr(assessment, "LIKELY", min(p + 0.001, 0.999))
    monkeypatch.setattr(assessment, "UNLIKELY", max(p - 0.001, 0.001))
    assert judge(up, plan, places, as_of=2023).loc[("5.3", 2030), "status"] == "too_close"
    monkeypatch.setattr(assessment, "LIKELY", p)
    assert judge(up, plan, places, as_of=2023).loc[("5.3", 2030), "status"] == "likely"
    assert assessment.bounded(1.0) == 1 - assessment.P_EDGE and assessment.bounded(0.0) == assessment.P_EDGE


def test_illustrative_data_is_never_called_reliable(plan, places):
    obs = pd.DataFrame({"indicator": "2.1", "place": "QT", "year": list(range(2013, 2025)),
                        "value": [40.0 + 0.5 * i for i in range(12)], "quarter": pd.NA, "sex": "",
                        "status": "illustrative", "series": "", "unit": "percent", "numerator": float("nan"),
                        "denominator": float("nan"), "source": "x", "note": "", "file": ""})
    row = assess(obs, plan=plan, places=places, place="QT", as_of=2024, codes=["2.1"]).iloc[0]
    assert row["reliability"] == "illustrative"
    assert row["reliability_vi"].startswith("không đánh giá được vì là số liệu minh họa (12 điểm số liệu")
    assert ": " not in row["reliability_vi"].split("(")[0]  # no "cao: 12 điểm"


def test_a_100_percent_target_over_few_units_is_met_when_every_unit_is(plan):
    # 100% of 12 facilities is 12 of them: any value above 11.5/12 = 95.8% rounds to all. A projection with its
    # median at 97.4% (11.7 facilities) then gives all 12 better than even odds, where the chance of a value of
    # exactly 100% on a continuous scale is small. Over 1,100 bodies the two thresholds (99.95% and 100%) differ
    # little, and without a known number of units the target is 100% itself.
    import numpy as np
    from gender_monitor.forecast import models

    t = plan.target("3.4")
    tv = t.target_for(2030)
    fc = pd.Series({"scale": "logit", "loc": float(models.to_scale(np.array([97.4]), "logit")[0]), "sd": 0.6,
                    "df": math.inf})
    few, none, many = (assessment._p_meet_from_forecast(t, tv, fc, n) for n in (12, None, 1100))
    assert few > 0.5 > none and abs(many - none) < 0.05
    assert assessment._p_meet_from_forecast(t, tv, fc, float("nan")) == none


def test_a_value_judged_on_data_is_not_said_to_have_a_forecast_interval(plan, places):
    # 4.1 in 2025 is judged on its own value (from counts: lo-95/hi-95 are that value's sampling interval, not a
    # forecast's); the reliability note's "95% forecast interval … wide" belongs to the 2030 projection only.
    rows = [("4.1", "QT", y, round(100 * b / g, 2), b, g)
            for y, b, g in zip(range(2015, 2026), [7300, 7250, 7180, 7030, 6990, 7020, 7000, 6750, 6820, 6710, 6915],
                               [6475, 6506, 6494, 6300, 6314, 6284, 6190, 6132, 6103, 5961, 6135], strict=True)]
    table = judge(rows, plan, places, as_of=2025)
    data, ahead = table.loc[("4.1", 2025)], table.loc[("4.1", 2030)]
    assert data["judged_on"] == "data" and math.isfinite(data["lo-95"])  # a sampling interval is kept
    assert "forecast interval" not in data["reliability_en"] and "khoảng dự báo" not in data["reliability_vi"]
    assert ahead["judged_on"] == "projection"
    said = re.search(r"95% forecast interval ([0-9.]+) boys per 100 girls wide", ahead["reliability_en"])
    assert said and float(said.group(1)) == pytest.approx(ahead["hi-95"] - ahead["lo-95"], abs=0.05)


def test_a_year_left_unjudged_for_want_of_a_projection_is_not_said_to_rest_on_one(plan, places):
    # One value of 2.1 (38% in 2020, short of the 2025 and 2030 targets) cannot be projected: the years are
    # "not enough data", judged on nothing, and the status column does not add "(dự báo)" / "(projection)".
    from gender_monitor.judge import messages

    table = judge([("2.1", "QT", 2020, 38.0)], plan, places, as_of=2024)
    for year in (2025, 2030):
        row = table.loc[("2.1", year)]
        assert (row["status"], row["judged_on"]) == ("insufficient_data", "none")
        assert math.isnan(row["p_meet"])
    assert messages._status_detail(table.loc[("2.1", 2030)], plan.target("2.1"), "vi") == ""


def test_a_strict_target_is_not_met_by_a_value_staying_at_its_threshold(plan, places):
    # 5.3 asks for more than 30% in 2025. A series that has sat at exactly 30% for four years may stay there
    # (the forecast gives that a chance of its own, ``stay``): staying is not "more than 30%", so p_meet is
    # P(value > 30), not P(value ≥ 30).
    from gender_monitor.forecast.projection import project

    tv = next(v for t in plan.targets if t.code == "5.3" for v in t.targets if v.year == 2025)
    assert (tv.comparator, tv.value) == (">", 30.0)
    rows = [("5.3", "QT", y, v) for y, v in zip(range(2018, 2024), [28, 29, 30, 30, 30, 30])]
    row = judge(rows, plan, places, as_of=2024).loc[("5.3", 2025)]
    result = project(obs(rows).assign(unit="percent"), until=2025, units={"5.3": "percent"})
    last = result.forecasts.index[result.forecasts["year"] == 2025][0]
    above, at_least = float(result.p_meet(30.0, ">").loc[last]), float(result.p_meet(30.0, ">=").loc[last])
    assert float(result.forecasts.loc[last, "stay"]) > 0.2 and at_least - above > 0.2  # the chance of staying
    assert row["p_meet"] == pytest.approx(above, abs=1e-9)
    assert row["p_meet"] < 0.5
