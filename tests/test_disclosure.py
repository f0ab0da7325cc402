"""Small-count suppression: primary cells, complements, sensitive rates, and analysts' unpublished runs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from gender_monitor.core.exceptions import ParameterError
from gender_monitor.judge import report as rep
from gender_monitor.publish.disclosure import suppress


def table(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (indicator, place, year, value[, numerator, denominator])."""
    return pd.DataFrame([{"indicator": r[0], "place": r[1], "year": r[2], "value": float(r[3]),
                          "quarter": pd.NA, "sex": "", "series": "",
                          "numerator": r[4] if len(r) > 4 else math.nan,
                          "denominator": r[5] if len(r) > 5 else math.nan} for r in rows])


def by_place(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("place")


def child_marriages_2026() -> pd.DataFrame:
    """Child marriages 2026: Khe Sanh 3 (a small count), Lao Bảo 12, Đakrông 7, the province 22."""
    return table([("3.5a", "QT25-001", 2026, 3), ("3.5a", "QT25-002", 2026, 12),
                  ("3.5a", "QT25-003", 2026, 7), ("3.5a", "QT25", 2026, 22)])


def test_small_count_and_its_complement_are_hidden_in_a_published_table(plan, places):
    # Child marriages 2026: Khe Sanh 3, Lao Bảo 12, Đakrông 7, province 22. Hiding only the 3 would leave
    # 22 − 12 − 7 = 3; hiding the next smallest (7) too leaves 22 − 12 = 10 = ? + ?.
    frame = child_marriages_2026()
    out, notes = suppress(frame, plan, places=places)
    out = by_place(out)
    assert out["suppressed"].to_dict() == {"QT25-001": "small_count", "QT25-002": "",
                                           "QT25-003": "complementary", "QT25": ""}
    assert np.isnan(out.loc["QT25-001", "value"]) and np.isnan(out.loc["QT25-003", "value"])
    assert out.loc["QT25-002", "value"] == 12 and out.loc["QT25", "value"] == 22
    assert notes.counts == {"small_count": 1, "complementary": 1}
    assert "từ 1 đến 4 (1 giá trị)" in notes.footnote("vi")
    assert "between 1 and 4 (1 cells)" in notes.footnote("en") and "subtraction" in notes.footnote("en")


def test_a_value_hidden_to_protect_a_small_one_reads_the_same_as_the_small_one(plan, places):
    # The same table: Khe Sanh's 3 is a small count, Đakrông's 7 is hidden only so that 22 − 12 does not
    # give the 3 away. A published table labels both alike, and not "small": a label saying which was the
    # small one would hand the reader the 3 again (22 − 12 − 7), and the 7 is not small.
    frame = child_marriages_2026()
    out, notes = suppress(frame, plan, places=places)
    assert by_place(out)["suppressed"].to_dict() == {"QT25-001": "small_count", "QT25-002": "",
                                                     "QT25-003": "complementary", "QT25": ""}
    path = rep.path_frame(out, plan, places=["QT25-001", "QT25-002", "QT25-003", "QT25"], first=2026, last=2026)
    for language, label in (("vi", "không công bố (để bảo mật)"), ("en", "not published (confidential)")):
        shown = rep.path_table(path, plan, place_names={}, first=2026, last=2026, language=language)
        cells = dict(zip(shown.iloc[:, 1], shown["2026"]))
        assert cells == {"QT25-001": label, "QT25-002": "12", "QT25-003": label, "QT25": "22"}
    # The footnote gives both reasons, for no value in particular.
    vi, en = notes.footnote("vi"), notes.footnote("en")
    assert ("không được công bố khi là số đếm từ 1 đến 4 (1 giá trị), hoặc khi có thể dùng giá trị đó cùng các "
            "số liệu đã công bố khác để suy ra một số đếm nhỏ như vậy bằng phép trừ (1 giá trị)") in vi
    assert "đều được ghi như nhau: “không công bố (để bảo mật)”." in vi
    assert ("are not published where a count is between 1 and 4 (1 cells), nor where the value, with other "
            "published figures, would let a reader work out such a count by subtraction (1 cells)") in en


def test_a_sensitive_share_whose_remainder_is_small_is_hidden(plan, places):
    # 3.3, trafficking victims supported: 6 of 7 (85,7%) in 2026 says one victim was not; 10 of 15 in 2025 leaves five
    # either way; a share that is not sensitive (3.4, facilities) at 6 of 7 is shown.
    frame = table([("3.3", "QT25", 2026, 100 * 6 / 7, 6, 7), ("3.3", "QT25", 2025, 100 * 10 / 15, 10, 15),
                   ("3.4", "QT25", 2026, 100 * 6 / 7, 6, 7)])
    out, notes = suppress(frame, plan, places=places)
    assert out["suppressed"].tolist() == ["small_complement", "", ""]
    assert out.loc[0, ["value", "numerator", "denominator"]].isna().all()
    assert out.loc[1, "value"] == pytest.approx(100 * 10 / 15) and out.loc[2, "numerator"] == 6
    assert notes.counts == {"small_complement": 1}
    assert "phần còn lại (mẫu số trừ tử số)" in notes.footnote("vi")


def test_a_hidden_rows_note_and_source_are_hidden_with_its_counts(plan, places):
    # 3.3 re-based onto the merged province: 2016 is 5 of 6 victims supported (the one not supported is a small
    # remainder: hidden), and its note spells the counts out, as a re-based row's note does; its source names them
    # too. 2020 is 7 of 7 (nothing small: shown) and keeps its note and source.
    rebased = ("Re-based [ratio]: Harmonised (rebased: old provinces summed into the new province): recomputed as "
               "100 × Σ numerators / Σ denominators = {} over 2 units (QB, QT), not an average of the units' values.")
    frame = table([("3.3", "QT25", 2016, 100 * 5 / 6, 5, 6), ("3.3", "QT25", 2020, 100.0, 7, 7)])
    frame["note"] = [rebased.format("5/6"), rebased.format("7/7")]
    frame["source"] = ["Sở Y tế: 5 trên 6 nạn nhân được hỗ trợ", "Sở Y tế"]
    out, _ = suppress(frame, plan, places=places)
    assert out["suppressed"].tolist() == ["small_complement", ""]
    assert (out.loc[0, "note"], out.loc[0, "source"]) == ("", "")
    assert (out.loc[1, "note"], out.loc[1, "source"]) == (rebased.format("7/7"), "Sở Y tế")
    # No column of the hidden row says 5, 6 or 83,3% any more: what is left is its place, year and labels.
    left = {str(v) for v in out.loc[0] if isinstance(v, str) or not pd.isna(v)}
    assert left == {"3.3", "QT25", "2016", "", "small_complement"}
    # An analyst's own run hides nothing, its text included.
    mine, _ = suppress(frame, plan, places=places, publish=False)
    assert mine.loc[0, "note"] == rebased.format("5/6") and mine.loc[0, "source"] == frame.loc[0, "source"]


def test_the_remainder_of_hidden_shares_is_not_left_small_either(plan, places):
    # Khe Sanh 6/7 is hidden. Hiding the smallest other commune (20/20) would leave hidden sums 26/27:
    # the province minus the shown commune (56/67 − 30/40) gives a remainder of 1. The commune whose
    # remainder is not zero (30/40) is hidden instead: 36/47, a remainder of 11.
    frame = table([("3.3", "QT25-001", 2026, 100 * 6 / 7, 6, 7), ("3.3", "QT25-002", 2026, 100.0, 20, 20),
                   ("3.3", "QT25-003", 2026, 75.0, 30, 40), ("3.3", "QT25", 2026, 100 * 56 / 67, 56, 67)])
    out = by_place(suppress(frame, plan, places=places)[0])
    assert out["suppressed"].to_dict() == {"QT25-001": "small_complement", "QT25-002": "",
                                           "QT25-003": "complementary", "QT25": ""}


def test_nothing_is_hidden_for_an_analysts_own_run(plan, places):
    frame = table([("3.5a", "QT25-001", 2026, 3), ("3.5a", "QT25-002", 2026, 12), ("3.5a", "QT25", 2026, 15)])
    out, notes = suppress(frame, plan, places=places, publish=False)
    assert out["value"].tolist() == [3, 12, 15] and (out["suppressed"] == "").all()
    assert not notes.applied and notes.footnote("en") == ""


def test_a_lone_district_in_its_province_hides_the_total(plan, places):
    # Only Hướng Hóa (3) and old QT (50) are in the table: no other district to hide, and Đa Krông's 47
    # may be published elsewhere (50 − 47 = 3), so the total goes too.
    out, notes = suppress(table([("3.5a", "QT-HH", 2024, 3), ("3.5a", "QT", 2024, 50)]), plan, places=places)
    assert by_place(out)["suppressed"].to_dict() == {"QT-HH": "small_count", "QT": "complementary"}
    # old QT is a part of the merged province only from 2025 (or of a re-based total, absent here).
    assert notes.warnings == ()


def test_a_harmonised_total_is_the_total_of_its_unlabelled_parts(plan, places):
    # The merged province's 2026 total from its communes carries the break label "-2025"; its parts do not.
    frame = table([("3.5a", "QT25-001", 2026, 3), ("3.5a", "QT25", 2026, 10)])
    frame.loc[1, "series"] = "-2025"
    out, _ = suppress(frame, plan, places=places)
    assert out["suppressed"].tolist() == ["small_count", "complementary"]


def test_a_sensitive_rate_with_a_small_numerator_is_hidden_with_its_counts(plan, places):
    # 3.3: 3 of 4 returned trafficking victims supported (75%): both counts identify people.
    frame = table([("3.3", "QT", 2024, 75.0, 3, 4), ("3.2a", "QT", 2024, 75.0, 150, 200),
                   ("3.2b", "QT", 2024, 0.0, 0, 3)])
    out, _ = suppress(frame, plan, places=places)
    out = out.set_index("indicator")
    assert out.loc["3.3", "suppressed"] == "small_numerator"
    assert out.loc["3.3", ["value", "numerator", "denominator"]].isna().all()
    assert out.loc["3.2a", "suppressed"] == "" and out.loc["3.2a", "value"] == 75.0
    assert out.loc["3.2b", "suppressed"] == "small_denominator"  # 0 of 3 perpetrators: the 3 is the risk


def test_non_sensitive_small_counts_and_zeros_are_shown(plan, places):
    frame = table([("4.4", "QT", 2024, 2), ("6.3.news", "QT25-001", 2026, 1), ("3.5a", "QT25-001", 2026, 0),
                   ("3.5a", "QT25-002", 2026, 9)])
    out, notes = suppress(frame, plan, places=places)
    assert (out["suppressed"] == "").all() and notes.n_suppressed == 0
    assert notes.footnote("en") == "No value needed suppressing (threshold 5)."
    zero, _ = suppress(frame, plan, places=places, suppress_zero=True)
    assert zero["suppressed"].tolist() == ["", "", "small_count", "complementary"]


def test_threshold_and_group_by_are_configurable(plan):
    frame = table([("3.5a", "A", 2026, 6), ("3.5a", "B", 2026, 20), ("3.5a", "C", 2026, 8)])
    out, _ = suppress(frame, plan, threshold=10, group_by=["indicator", "year"])
    # Two cells hidden in one table: no complement is needed.
    assert out["suppressed"].tolist() == ["small_count", "", "small_count"]
    with pytest.raises(ParameterError, match="threshold"):
        suppress(frame, plan, threshold=0)


def test_assessment_tables_are_blanked_by_code(plan):
    frame = pd.DataFrame({"code": ["3.5a", "4.1"], "latest_value": [3.0, 111.2], "projected": [2.6, 110.0],
                          "lo-80": [1.0, 108.0], "hi-80": [4.0, 112.0], "status": ["met", "likely"]})
    out, notes = suppress(frame, plan)
    assert out.loc[0, ["latest_value", "projected", "lo-80", "hi-80"]].isna().all()
    assert out.loc[0, "status"] == "met" and out.loc[1, "latest_value"] == 111.2
    assert any("complementary suppression was not applied" in w for w in notes.warnings)


def test_a_zero_is_never_the_complement(plan, places):
    # Khe Sanh 2, Lao Bảo 0, Đakrông 10, province 12. Hiding the 0 with the 2 would leave 12 − 10 = 2, the
    # small cell (its flag says which): the 10 goes instead, and 12 − 0 = 12 = ? + ? with each 0–12.
    frame = table([("3.5a", "QT25-001", 2026, 2), ("3.5a", "QT25-002", 2026, 0),
                   ("3.5a", "QT25-003", 2026, 10), ("3.5a", "QT25", 2026, 12)])
    out, notes = suppress(frame, plan, places=places)
    out = by_place(out)
    assert out["suppressed"].to_dict() == {"QT25-001": "small_count", "QT25-002": "",
                                           "QT25-003": "complementary", "QT25": ""}
    assert out.loc["QT25-002", "value"] == 0 and out.loc["QT25", "value"] == 12
    assert notes.counts == {"small_count": 1, "complementary": 1}
    assert "từ 1 đến 4 (1 giá trị)" in notes.footnote("vi") and "(1 cells)" in notes.footnote("en")


def test_hidden_cells_must_not_add_up_to_a_small_count(plan, places):
    # 1, 1 and 9 in a total of 11: hiding the two 1s leaves 11 − 9 = 2 cases between two communes, itself
    # a small count. The 9 goes too: 11 = ? + ? + ?.
    frame = table([("3.5a", "QT25-001", 2026, 1), ("3.5a", "QT25-002", 2026, 1),
                   ("3.5a", "QT25-003", 2026, 9), ("3.5a", "QT25", 2026, 11)])
    out, notes = suppress(frame, plan, places=places)
    assert by_place(out)["suppressed"].to_dict() == {"QT25-001": "small_count", "QT25-002": "small_count",
                                                     "QT25-003": "complementary", "QT25": ""}
    assert notes.counts == {"small_count": 2, "complementary": 1}
    # Group tables (no total in the frame) follow the same rule: 3 + 1 = 4 < 5, so 20 is hidden, not the 0.
    grouped = table([("3.5a", "A", 2026, 3), ("3.5a", "B", 2026, 1), ("3.5a", "C", 2026, 0),
                     ("3.5a", "D", 2026, 20)])
    out, _ = suppress(grouped, plan, group_by=["indicator", "year"])
    assert out["suppressed"].tolist() == ["small_count", "small_count", "", "complementary"]


def test_the_sex_breakdown_is_a_table_with_the_both_sexes_total(plan, places):
    # Consanguineous marriages 2024 in old Quảng Trị: women 2, men 10, both 12. Showing 10 and 12 gives 2.
    frame = table([("3.5b", "QT", 2024, 2), ("3.5b", "QT", 2024, 10), ("3.5b", "QT", 2024, 12)])
    frame["sex"] = ["f", "m", ""]
    out, _ = suppress(frame, plan, places=places)
    assert out["suppressed"].tolist() == ["small_count", "complementary", ""]
    assert out["value"].isna().tolist() == [True, True, False]
    # Without the men's row, the both-sexes total is the only cell left to hide (the men's count may be
    # published elsewhere).
    out, _ = suppress(frame.iloc[[0, 2]], plan, places=places)
    assert out["suppressed"].tolist() == ["small_count", "complementary"]
    # Without the total row, women and men are still a table: their sum may be published elsewhere.
    out, _ = suppress(frame.iloc[[0, 1]], plan, places=places)
    assert out["suppressed"].tolist() == ["small_count", "complementary"]


def test_quarters_add_up_to_the_yearly_row(plan, places):
    # Q1 3, Q2 6, Q3 0, Q4 8, year 17: 17 − 6 − 0 − 8 = 3 unless Q2 (the smallest non-zero) is hidden too.
    frame = table([("3.5a", "QT", 2024, 3), ("3.5a", "QT", 2024, 6), ("3.5a", "QT", 2024, 0),
                   ("3.5a", "QT", 2024, 8), ("3.5a", "QT", 2024, 17)])
    frame["quarter"] = pd.array([1, 2, 3, 4, pd.NA], dtype="Int64")
    out, _ = suppress(frame, plan, places=places)
    assert out["suppressed"].tolist() == ["small_count", "complementary", "", "", ""]
    # Two quarters and no yearly row: no total to subtract from, nothing more is hidden.
    out, notes = suppress(frame.iloc[[0, 1]], plan, places=places)
    assert out["suppressed"].tolist() == ["small_count", ""] and notes.warnings == ()


def test_a_hidden_total_is_not_rebuilt_from_its_cells(plan, places):
    # 2025: old Quảng Bình 3 and old Quảng Trị 40 in the merged province's 43; Quảng Trị's 40 is Hướng Hóa 15
    # + Đa Krông 25. Hiding Quảng Trị as the complement is not enough: 15 + 25 = 40 and 43 − 40 = 3. Hướng
    # Hóa (15, the smaller) is hidden too, so Quảng Trị is only known to be 25 + ?.
    frame = table([("3.5a", "QB", 2025, 3), ("3.5a", "QT", 2025, 40), ("3.5a", "QT25", 2025, 43),
                   ("3.5a", "QT-HH", 2025, 15), ("3.5a", "QT-DK", 2025, 25)])
    out, notes = suppress(frame, plan, places=places)
    assert by_place(out)["suppressed"].to_dict() == {"QB": "small_count", "QT": "complementary",
                                                     "QT25": "", "QT-HH": "complementary", "QT-DK": ""}
    assert notes.counts == {"small_count": 1, "complementary": 2}


def test_a_rate_complement_is_chosen_by_its_counts_never_a_zero_numerator(plan, places):
    # 3.3 in 2026: Khe Sanh 3 of 4, Lao Bảo 40 of 50, Đakrông 0 of 20, province 43 of 74. Hiding Đakrông
    # (numerator 0) would leave 43 − 40 = 3 supported and 74 − 50 = 24 victims; Lao Bảo is hidden instead.
    frame = table([("3.3", "QT25-001", 2026, 75.0, 3, 4), ("3.3", "QT25-002", 2026, 80.0, 40, 50),
                   ("3.3", "QT25-003", 2026, 0.0, 0, 20), ("3.3", "QT25", 2026, 58.1, 43, 74)])
    out, _ = suppress(frame, plan, places=places)
    out = by_place(out)
    assert out["suppressed"].to_dict() == {"QT25-001": "small_numerator", "QT25-002": "complementary",
                                           "QT25-003": "", "QT25": ""}
    assert out.loc["QT25-002", ["value", "numerator", "denominator"]].isna().all()


def test_the_other_sexs_share_does_not_give_a_small_numerator_away(plan, places):
    # 3.2a in 2024: women 3 of 10 (30%), men 20 of 30, both 23 of 40: 23 − 20 = 3 and 40 − 30 = 10.
    frame = table([("3.2a", "QT", 2024, 30.0, 3, 10), ("3.2a", "QT", 2024, 66.7, 20, 30),
                   ("3.2a", "QT", 2024, 57.5, 23, 40)])
    frame["sex"] = ["f", "m", ""]
    out, _ = suppress(frame, plan, places=places)
    assert out["suppressed"].tolist() == ["small_numerator", "complementary", ""]


def test_a_rate_and_one_of_its_counts_give_the_other_away(plan, places):
    # 1.5 % of 200 victims is 3 supported: the numerator is small although not given.
    frame = table([("3.2a", "QT", 2024, 1.5, math.nan, 200), ("3.2a", "QB", 2024, 40.0)])
    out, notes = suppress(frame, plan, places=places)
    assert out["suppressed"].tolist() == ["small_numerator", ""]
    assert out.loc[0, ["value", "denominator"]].isna().all() and out.loc[1, "value"] == 40.0
    assert notes.warnings == ("1 sensitive rate(s) without numerator and denominator could not be checked "
                              "and are shown",)


def test_an_empty_frame_comes_back_empty(plan, places):
    frame = table([("3.5a", "QT25-001", 2026, 3)]).iloc[:0]
    out, notes = suppress(frame, plan, places=places)
    assert out.empty and "suppressed" in out.columns
    assert notes.applied and notes.n_suppressed == 0 and notes.warnings == ()


def test_sensitive_rates_in_an_assessment_table_are_checked_by_their_latest_counts(plan):
    # 3.3: 3 of 4 victims supported (75%); 3.2a: 150 of 200.
    frame = pd.DataFrame({"code": ["3.3", "3.2a", "4.1"], "latest_value": [75.0, 75.0, 111.2],
                          "projected": [80.0, 78.0, 110.0], "lo-80": [60.0, 70.0, 108.0],
                          "hi-80": [95.0, 85.0, 112.0], "latest_numerator": [3.0, 150.0, math.nan],
                          "latest_denominator": [4.0, 200.0, math.nan], "status": ["met", "met", "likely"]})
    out, notes = suppress(frame, plan)
    hidden = ["latest_value", "projected", "lo-80", "hi-80", "latest_numerator", "latest_denominator"]
    assert out["suppressed"].tolist() == ["small_numerator", "", ""]
    assert out.loc[0, hidden].isna().all() and out.loc[0, "status"] == "met"
    assert out.loc[1, "latest_value"] == 75.0 and out.loc[1, "latest_numerator"] == 150.0
    assert not any("could not be checked" in w for w in notes.warnings)
    # Without the two count columns nothing can be checked: shown, and said so in the notes.
    out, notes = suppress(frame.drop(columns=["latest_numerator", "latest_denominator"]), plan)
    assert (out["suppressed"] == "").all() and out.loc[0, "latest_value"] == 75.0
    assert any("2 sensitive rate(s) without latest_numerator and latest_denominator" in w
               for w in notes.warnings)


def test_an_assessment_table_with_places_is_protected_in_its_latest_year(plan, places):
    # Child marriages judged on 2026: Khe Sanh 3 in the province's 10 (10 − 3 = 7 would be shown).
    frame = pd.DataFrame({"code": ["3.5a", "3.5a"], "place": ["QT25-001", "QT25"], "series": ["", ""],
                          "target_year": [2030, 2030], "latest_year": [2026, 2026],
                          "latest_value": [3.0, 10.0], "projected": [2.0, 9.0]})
    out, notes = suppress(frame, plan, places=places)
    assert out["suppressed"].tolist() == ["small_count", "complementary"]
    assert out[["latest_value", "projected"]].isna().all().all() and notes.warnings == ()


def test_a_count_equal_to_the_threshold_is_shown(plan, places):
    # Threshold 5 hides 1–4: a 5 is published, and so is a rate whose numerator is 5.
    frame = table([("3.5a", "QT25-001", 2026, 5), ("3.5a", "QT25-002", 2026, 12), ("3.5a", "QT25", 2026, 17),
                   ("3.3", "QT", 2023, 12.5, 5, 40), ("3.3", "QT", 2024, 10.0, 4, 40)])
    out, notes = suppress(frame, plan, places=places, threshold=5)
    assert out["suppressed"].tolist() == ["", "", "", "", "small_numerator"]
    assert out["value"].tolist()[:4] == [5, 12, 17, 12.5]
    assert notes.counts == {"small_numerator": 1}
