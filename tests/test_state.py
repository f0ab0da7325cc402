"""The review's state: what the published review shows of the assessment once disclosure control ran."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from gender_monitor.judge.messages import legend_html, thresholds_text
from gender_monitor.review.state import compute_review_state

VALUES = ("latest_value", "projected", "lo-80", "hi-80", "lo-95", "hi-95", "latest_numerator",
          "latest_denominator")


@pytest.fixture(scope="module")
def published():
    return compute_review_state(as_of=2025, place="QT", publish=True)


@pytest.fixture(scope="module")
def unpublished():
    return compute_review_state(as_of=2025, place="QT", publish=False)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_statuses_follow_the_cut_offs_the_legend_states(unpublished, language):
    # The legend tells readers "≥ 90% likely, ≤ 10% unlikely"; every probability-judged status of the
    # review must follow the numbers the reader is given (the bundled data have p_meet between 0.8 and
    # 0.9 and between 0.1 and 0.2, where a drifted cut-off shows).
    text = thresholds_text(language)
    assert html.escape(text) in legend_html(language)
    likely = int(re.search(r"≥ (\d+)%", text).group(1)) / 100
    unlikely = int(re.search(r"≤ (\d+)%", text).group(1)) / 100
    a = unpublished.assessment
    judged = a[a["judged_on"].isin(["projection", "pace"])
               & a["status"].isin(["likely", "unlikely", "too_close"])]
    assert len(judged) >= 10
    expected = ["likely" if p >= likely else "unlikely" if p <= unlikely else "too_close"
                for p in judged["p_meet"]]
    assert judged["status"].tolist() == expected


def test_a_small_sensitive_latest_count_is_blank_in_the_published_assessment(published):
    # data/illustrative: 3.5b (consanguineous marriages, sensitive) at QT is 2 in 2024, its latest year,
    # below the threshold of 5. The review's summary table must not show it, nor its projection.
    row = published.assessment.set_index("code").loc["3.5b"]
    assert row["latest_year"] == 2024 and bool(row["suppressed"])
    assert {c: row[c] for c in VALUES if pd.notna(row[c])} == {}

def test_the_unpublished_assessment_shows_the_small_count(unpublished):
    assert unpublished.assessment.set_index("code").loc["3.5b", "latest_value"] == 2


def test_no_hidden_observation_reappears_in_the_published_assessment(published):
    shown = published.shown
    hidden_rows = shown.loc[shown["suppressed"] != "", ["indicator", "place", "year"]]
    hidden = {(c, p, int(y)) for c, p, y in hidden_rows.itertuples(index=False)}
    a = published.assessment
    years = a["latest_year"].fillna(0).astype(int)
    rows = a[[(c, p, y) in hidden for c, p, y in zip(a["code"], a["place"], years)]]
    assert len(rows) >= 1
    assert rows[list(VALUES[:6])].isna().all().all()


def test_no_number_computed_from_a_hidden_value_reaches_the_published_annex():
    # 3.3 (trafficking victims supported, sensitive) has years hidden at QT25: 2025 at 6 of 7 supported,
    # whose remainder of 1 is small. The mid-term outcome's value (85.71 = 6/7), the required yearly change
    # ((100 − latest) / years gives the latest back) and the observed slope (with the other values of its
    # window it gives the hidden one back) must not be published; the statuses and probability stay.
    from gender_monitor.judge import report as rep
    from gender_monitor.plan.registry import load_plan

    state = compute_review_state(as_of=2026, place="QT25", publish=True)
    shown = state.shown
    hidden = set(shown.loc[(shown["suppressed"] != "") & (shown["place"] == "QT25"), "indicator"])
    assert "3.3" in hidden
    annex = rep.annex(load_plan(), year=2026, place="QT25", shown=shown, forecasts=state.forecasts,
                      assessment=state.assessment)
    rows = annex[annex["code"].isin(hidden)]
    numbers = ["outcome_mid_value", "outcome_mid_lo", "outcome_mid_hi", "pace_needed", "pace_observed"]
    assert rows[numbers].isna().all().all(), rows[["code", *numbers]]
    row = rows.set_index("code").loc["3.3"]
    # The 2025 outcome was judged on the hidden 6/7 itself ("not met" says one was not supported): hidden.
    # Every probability of a target with a hidden value goes (at full precision it tells 3/4 from 2/4);
    # 3.3's 2030 status, read off the published 2026 value, stays.
    assert row["outcome_mid"] == "hidden" and row["outlook"] == "met"
    assert rows["outlook_p"].isna().all()
    # The hidden 2025 value reads as hidden in the annex, not as a missing one ("–").
    table = rep.annex_table(annex, load_plan(), year=2026).set_index("Mã")
    assert table.loc["3.3", "Thực hiện năm 2025"] == "không công bố (để bảo mật)"


def test_the_former_province_is_named_without_an_end_date_its_territory_has_later_values():
    # The old province's territory still has values after 30 June 2025 (its new communes' sums, returns
    # for "QT, cả năm"): "Quảng Trị (cũ, đến 30/6/2025)" beside a 2027 value read as an error.
    from gender_monitor.plan.reference import load_places
    from gender_monitor.review.state import place_label

    places = load_places()
    assert place_label(places, "QT") == "Quảng Trị (địa bàn tỉnh cũ)"
    assert place_label(places, "QB") == "Quảng Bình (địa bàn tỉnh cũ)"
    assert place_label(places, "QT25") == "Quảng Trị (địa bàn tỉnh mới)"  # its re-based values go back to 2016


def test_the_english_place_names_say_former_and_merged_territory_as_the_vietnamese_does():
    # The English names once said "former province, to 30 June 2025" and "merged province, from 1 July
    # 2025" where the Vietnamese had dropped the days; both languages now take these words from the locale.
    from gender_monitor.plan.reference import load_places
    from gender_monitor.review.state import place_label

    places = load_places()
    assert place_label(places, "QT", "en") == "Quảng Trị (former province's territory)"
    assert place_label(places, "QB", "en") == "Quảng Bình (former province's territory)"
    assert place_label(places, "QT25", "en") == "Quảng Trị (merged province's territory)"
    assert place_label(places, "QT-HH", "en") == "Huong Hoa district"
    assert place_label(places, "QT25-009", "en") == places.name("QT25-009", "en")  # a commune: its own name


def test_the_rows_re_based_are_listed_up_to_the_year_the_review_looks_from(unpublished):
    # A review as of 2025 ignores later values: the overview's table of re-based rows must not list 2026 ones
    # (the bundled data have the merged province's 2026 child marriages and news items).
    from gender_monitor.plan.reference import load_places
    from gender_monitor.review.state import harmonised_table

    assert (unpublished.harmonise_report.added["year"] > 2025).any()  # there are later rows to leave out
    table = harmonised_table(unpublished, load_places(), language="en")
    last = [int(str(span).split("–")[-1]) for span in table["Years"]]
    assert last and max(last) <= 2025
    counted = table.groupby("Code")["Values"].sum()
    added = unpublished.harmonise_report.added
    assert counted.to_dict() == added[added["year"] <= 2025].groupby("indicator").size().to_dict()


def test_an_unknown_place_is_a_parameter_error_naming_the_valid_ones_not_a_key_error():
    # papermill data_overview.ipynb -p place XX stopped in a later cell with "KeyError: 'XX'".
    from gender_monitor.core.exceptions import ParameterError

    with pytest.raises(ParameterError) as err:
        compute_review_state(as_of=2025, place="XX")
    issue = err.value.issues[0]
    assert (issue.column, issue.value) == ("place", "XX")
    assert "QT25" in str(err.value) and "VN" in str(err.value)


def test_the_coverage_note_promises_summed_early_years_only_when_the_table_has_them(unpublished):
    # The overview read "Số giá trị theo chỉ tiêu và năm tại Quảng Trị (địa bàn tỉnh mới) (năm trước 2015 được
    # cộng dồn)." above a table starting at 2015: no column summed the earlier years, and two brackets in a row.
    from gender_monitor.review.state import coverage_note, coverage_table

    name = "Quảng Trị (địa bàn tỉnh mới)"
    first = int(unpublished.observations.loc[unpublished.observations["place"] == "QT", "year"].min())
    plain = coverage_table(unpublished, place="QT", since=first)
    assert not any(str(c).startswith("<") for c in plain.columns)
    assert coverage_note(plain, name, since=first) == f"Số giá trị theo chỉ tiêu và năm tại {name}."
    early = coverage_table(unpublished, place="QT", since=first + 1)
    assert f"<{first + 1}" in early.columns
    said = coverage_note(early, name, since=first + 1)
    assert said == (f"Số giá trị theo chỉ tiêu và năm tại {name}; cột “&lt;{first + 1}” cộng dồn các năm trước năm "
                    f"{first + 1}.")
    assert ") (" not in said
    assert "summed" not in coverage_note(plain, "Quang Tri", since=first, language="en")


def test_the_agency_gaps_name_the_data_of_the_place_chosen(unpublished):
    # Run for VN, the overview's table had a column "No provincial data" over national values.
    from gender_monitor.plan.reference import load_agencies
    from gender_monitor.plan.registry import load_plan
    from gender_monitor.review.state import agency_gaps

    plan, agencies = load_plan(), load_agencies()
    assert "No national data" in agency_gaps(unpublished, plan, agencies, language="en", level="country").columns
    assert "Chưa có số liệu cấp quốc gia" in agency_gaps(unpublished, plan, agencies, level="country").columns
    assert "Chưa có số liệu cấp tỉnh" in agency_gaps(unpublished, plan, agencies).columns
