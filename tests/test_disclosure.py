"""Small-count suppression: primary cells, complements, sensitive rates, and analysts' unpublished runs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from gender_monitor.disclosure import suppress
from gender_monitor.exceptions import ParameterError


def table(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (indicator, place, year, value[, numerator, denominator])."""
    return pd.DataFrame([{"indicator": r[0], "place": r[1], "year": r[2], "value": float(r[3]),
                          "quarter": pd.NA, "sex": "", "series": "",
                          "numerator": r[4] if len(r) > 4 else math.nan,
                          "denominator": r[5] if len(r) > 5 else math.nan} for r in rows])


def by_place(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("place")


def test_small_count_and_its_complement_are_hidden_in_a_published_table(plan, places):
    # Child marriages 2026: Khe Sanh 3, Lao Bảo 12, Đakrông 7, province 22. Hiding only the 3 would leave
    # 22 − 12 − 7 = 3; hiding the next smallest (7) too leaves 22 − 12 = 10 = ? + ?.
    frame = table([("3.5a", "QT25-001", 2026, 3), ("3.5a", "QT25-002", 2026, 12),
                   ("3.5a", "QT25-003", 2026, 7), ("3.5a", "QT25", 2026, 22)])
    out, notes = suppress(frame, plan, places=places)
    out = by_place(out)
    assert out["suppressed"].to_dict() == {"QT25-001": "small_count", "QT25-002": "",
                                           "QT25-003": "complementary", "QT25": ""}
    assert np.isnan(out.loc["QT25-001", "value"]) and np.isnan(out.loc["QT25-003", "value"])
    assert out.loc["QT25-002", "value"] == 12 and out.loc["QT25", "value"] == 22
    assert notes.counts == {"small_count": 1, "complementary": 1}
    assert "từ 1 đến 4 (1 ô)" in notes.footnote("vi")
    assert "between 1 and 4 (1 cells)" in notes.footnote("en") and "subtraction" in notes.footnote("en")


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
