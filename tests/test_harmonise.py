"""The 2025 boundary change: hand-worked sums, recomputed rates, completeness, breaks and the derived 6.3."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from gender_monitor.data import harmonise
from gender_monitor.data.observations import COLUMNS
from gender_monitor.forecast.projection import project
from gender_monitor.judge.assessment import assess
from gender_monitor.plan.reference import load_places

# Two old provinces (QT with two districts, QB with one) merged into QT25 with four new communes; the
# communes table says which old province and district each commune came from.
PLACES = """code,name_vi,name_en,level,valid_from,valid_to,parent,successor,after_end,note
VN,Việt Nam,Viet Nam,country,,,,,,
QT,Quảng Trị,Quảng Trị,province,,2025-07-01,VN,QT25,territory,
QB,Quảng Bình,Quảng Bình,province,,2025-07-01,VN,QT25,territory,
QT25,Quảng Trị,Quảng Trị,province,2025-07-01,,VN,,,
QT-HH,Hướng Hóa,Huong Hoa,district,,2025-07-01,QT,QT25-001;QT25-002,abolished,
QT-DK,Đa Krông,Dakrong,district,,2025-07-01,QT,QT25-003,abolished,
QB-DHO,Đồng Hới,Dong Hoi,district,,2025-07-01,QB,QT25-004,abolished,
QT25-001,Khe Sanh,Khe Sanh,commune,2025-07-01,,QT25,,,
QT25-002,Lao Bảo,Lao Bao,commune,2025-07-01,,QT25,,,
QT25-003,Đakrông,Dakrong,commune,2025-07-01,,QT25,,,
QT25-004,Đồng Hới,Dong Hoi,commune,2025-07-01,,QT25,,,
"""
COMMUNES = """code,former_province,former_district
QT25-001,QT,QT-HH
QT25-002,QT,QT-HH
QT25-003,QT,QT-DK
QT25-004,QB,QB-DHO
"""
# Five new communes, all from old QT, for the 6.3 hand calculation.
PLACES_63 = "\n".join(PLACES.splitlines()[:5]) + "\n" + "".join(
    f"QT25-00{i},C{i},C{i},commune,2025-07-01,,QT25,,,\n" for i in range(1, 6))
COMMUNES_63 = "code,former_province,former_district\n" + "".join(
    f"QT25-00{i},QT,QT-HH\n" for i in range(1, 6))


def _places(tmp_path, places: str = PLACES, communes: str = COMMUNES):
    (tmp_path / "places.csv").write_text(places, encoding="utf-8")
    (tmp_path / "communes_2025.csv").write_text(communes, encoding="utf-8")
    return load_places(tmp_path)


@pytest.fixture
def places2(tmp_path):
    return _places(tmp_path)


def obs(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (indicator, place, year, value[, numerator, denominator[, quarter]])."""
    records = []
    for r in rows:
        rec = dict.fromkeys(COLUMNS, "")
        rec.update(indicator=r[0], place=r[1], year=r[2], value=float(r[3]),
                   numerator=r[4] if len(r) > 4 else math.nan, denominator=r[5] if len(r) > 5 else math.nan,
                   quarter=r[6] if len(r) > 6 else pd.NA, status="official")
        records.append(rec)
    frame = pd.DataFrame(records)
    frame["quarter"] = frame["quarter"].astype("Int64")
    return frame


def row(frame: pd.DataFrame, indicator: str, place: str, year: int, series: str) -> pd.Series:
    sel = frame[(frame["indicator"] == indicator) & (frame["place"] == place) & (frame["year"] == year)
                & (frame["series"] == series) & frame["quarter"].isna()]
    assert len(sel) == 1, sel
    return sel.iloc[0]


def test_a_places_table_with_mistakes_names_each_line_and_rule_in_both_languages(tmp_path):
    from gender_monitor.core.exceptions import PlanError

    broken = (PLACES.replace("QT-DK,Đa Krông,Dakrong,district,,2025-07-01,QT,QT25-003,abolished,",
                             "QT-DK,Đa Krông,Dakrong,huyện,,01/07/2025,QT,QT25-099,gone,")
              + "QT25-001,Khe Sanh 2,Khe Sanh 2,commune,2025-07-01,2025-01-01,QT25,,,\n")
    with pytest.raises(PlanError) as err:
        _places(tmp_path, broken)
    said = {(i.line, i.column): (i.rule_vi, i.rule) for i in err.value.issues}
    assert said[(7, "level")] == ("phải là một trong các giá trị: country, province, district, commune",
                                  "must be one of: country, province, district, commune")
    assert said[(7, "valid_to")][0] == "ngày phải viết dạng năm-tháng-ngày (ví dụ 2025-07-01) hoặc để trống"
    assert said[(7, "after_end")][0].startswith("phải là abolished (đã giải thể), territory")
    assert said[(7, "successor")] == ("mã địa bàn không có trong places.csv", "unknown place code (not in places.csv)")
    assert said[(13, "code")] == ("mã địa bàn bị trùng", "duplicate place code")
    assert said[(13, "valid_to")][0] == "ngày hết hiệu lực (valid_to) phải sau ngày bắt đầu (valid_from)"
    assert str(err.value).startswith("6 lỗi trong các bảng danh mục địa bàn: / 6 error(s) in place reference tables:")


def test_places_in_time_on_the_real_table():
    places = load_places()
    assert len(harmonise.territory_communes(places, "QT")) == 37
    assert len(harmonise.territory_communes(places, "QB")) == 41
    assert len(harmonise.territory_communes(places, "QT25")) == 78
    assert harmonise.territory_communes(places, "QT-HH") == [f"QT25-0{i:02d}" for i in range(9, 16)]
    assert harmonise.old_provinces_of(places, "QT25") == ["QB", "QT"]
    assert harmonise.break_year_of(places) == 2025
    # The hierarchy itself is the reference table's: before the break QT is made of its 10 districts;
    # a district abolished in 2025 (Hướng Hóa) no longer exists in 2026.
    districts = places.children("QT", level="district")
    assert len([d for d in districts if harmonise.existed_in(d, 2024)]) == 10
    assert not harmonise.existed_in(places["QT-HH"], 2026)


def test_labels_mark_the_break():
    assert harmonise.break_label("", 2025) == "-2025"
    assert harmonise.break_label("admin", 2025) == "admin-2025"
    assert harmonise.break_label("admin-2025", 2025) == "admin-2025"
    assert harmonise.rebased_label("") == "-rebased"
    assert harmonise.base_series("admin-2025", 2025) == "admin"
    assert harmonise.base_series("admin-rebased", 2025) == "admin"


def test_counts_of_old_units_are_summed_into_new_ones(plan, places2):
    # Hướng Hóa 12 + Đa Krông 7 = 19 for old QT; 19 + Quảng Bình 30 = 49 for the merged province, re-based.
    frame = obs([("3.5a", "QT-HH", 2023, 12), ("3.5a", "QT-DK", 2023, 7), ("3.5a", "QB", 2023, 30)])
    out, report = harmonise.prepare(frame, plan, places2)
    qt = row(out, "3.5a", "QT", 2023, "")
    assert qt["value"] == 19 and qt["file"] == harmonise.DERIVED_FILE and qt["status"] == "estimate"
    assert "QT-DK, QT-HH" in qt["note"]
    qt25 = row(out, "3.5a", "QT25", 2023, "")  # the merged province's one series, re-based before 2025
    assert qt25["value"] == 49 and qt25["note"].startswith("Re-based [sum]")
    assert len(report.added) == 2


def test_rate_is_recomputed_from_numerators_and_denominators_not_averaged(plan, places2):
    # SRB: QT 6300 boys / 5700 girls (110.53), QB 8000 / 7200 (111.11). Merged: 14300 / 12900 × 100 = 110.853;
    # the mean of the two ratios would be 110.82.
    frame = obs([("4.1", "QT", 2024, 110.53, 6300, 5700), ("4.1", "QB", 2024, 111.11, 8000, 7200)])
    frame.loc[1, "status"] = "illustrative"
    out, _ = harmonise.prepare(frame, plan, places2)
    qt25 = row(out, "4.1", "QT25", 2024, "")
    assert qt25["value"] == pytest.approx(110.8527, abs=1e-4)
    assert qt25["value"] != pytest.approx((110.53 + 111.11) / 2, abs=1e-3)
    assert (qt25["numerator"], qt25["denominator"]) == (14300, 12900)
    assert qt25["status"] == "illustrative"  # one input is illustrative
    assert "not an average" in qt25["note"]


def test_incomplete_units_give_no_aggregate_and_name_what_is_missing(plan, places2):
    frame = obs([("4.1", "QT", 2023, 110.53, 6300, 5700),  # QB missing
                 ("4.1", "QT", 2024, 110.53, 6300, 5700), ("4.1", "QB", 2024, 111.1),  # QB without counts
                 ("3.5a", "QT-HH", 2022, 15)])  # QT-DK missing
    out, report = harmonise.prepare(frame, plan, places2)
    assert out[out["place"] == "QT25"].empty and out[out["place"] == "QT"]["year"].tolist() == [2023, 2024]
    inc = report.incomplete.set_index(["indicator", "place", "year"])
    assert inc.loc[("4.1", "QT25", 2023), "missing"] == "QB"
    assert inc.loc[("4.1", "QT25", 2023), "reason"] == "not every constituent unit reports"
    assert inc.loc[("4.1", "QT25", 2024), "missing"] == "QB"
    assert "numerator and denominator" in inc.loc[("4.1", "QT25", 2024), "reason"]
    assert inc.loc[("3.5a", "QT", 2022), "missing"] == "QT-DK"


def test_new_communes_build_the_old_territory_and_the_new_province_with_a_break_label(plan, places2):
    # 2026: Khe Sanh 3, Lao Bảo 0, Đakrông 5 (old QT) and Đồng Hới 2 (old QB): QT 8, QB 2, QT25 10.
    frame = obs([("3.5a", "QT25-001", 2026, 3), ("3.5a", "QT25-002", 2026, 0), ("3.5a", "QT25-003", 2026, 5),
                 ("3.5a", "QT25-004", 2026, 2)])
    out, report = harmonise.prepare(frame, plan, places2)
    assert row(out, "3.5a", "QT", 2026, "-2025")["value"] == 8
    assert row(out, "3.5a", "QB", 2026, "-2025")["value"] == 2
    assert row(out, "3.5a", "QT25", 2026, "")["value"] == 10  # the new province's parts: same label
    assert set(report.summary()["series"]) == {"-2025", ""}


def test_a_reported_value_wins_and_the_difference_is_reported(plan, places2):
    frame = obs([("3.5a", "QT", 2023, 20), ("3.5a", "QT-HH", 2023, 12), ("3.5a", "QT-DK", 2023, 7)])
    out, report = harmonise.prepare(frame, plan, places2)
    assert row(out, "3.5a", "QT", 2023, "")["value"] == 20
    check = report.checks.iloc[0]
    assert (check["reported"], check["derived"], check["difference"], check["agrees"]) == (20, 19, -1, False)
    again, report2 = harmonise.prepare(out, plan, places2)
    assert len(again) == len(out) and report2.added.empty  # idempotent


def test_no_projection_crosses_the_flagged_break(plan, places2):
    # Districts sum to about 100 a year to 2024; from 2025 the communes sum to about 200 (a level shift).
    rows = [("3.5a", d, y, v) for y in range(2015, 2025) for d, v in (("QT-HH", 60), ("QT-DK", 40))]
    rows += [("3.5a", c, y, v) for y in (2025, 2026)
             for c, v in (("QT25-001", 90), ("QT25-002", 60), ("QT25-003", 50))]
    out, _ = harmonise.prepare(obs(rows), plan, places2)
    qt = out[(out["place"] == "QT") & (out["indicator"] == "3.5a")]
    assert qt.groupby("series")["year"].agg(["min", "max"]).to_dict("index") == {
        "": {"min": 2015, "max": 2024}, "-2025": {"min": 2025, "max": 2026}}
    fc = project(qt, until=2030, units=plan.units()).forecasts.set_index(["series", "year"])
    assert fc.loc[("-2025", 2027), "n_obs"] == 2  # only the two post-break years
    assert fc.loc[("-2025", 2027), "median"] == pytest.approx(200, rel=0.05)  # not pulled towards 100
    assert fc.loc[("", 2030), "n_obs"] == 10
    short = project(qt[qt["year"] <= 2025], until=2030, units=plan.units()).skipped
    assert short.set_index("series").loc["-2025", "reason"] == "needs at least 2 annual observations, has 1"


def test_a_district_target_after_the_change_is_not_applicable(plan, places2):
    frame = obs([("3.5a", "QT-HH", y, 60 - y + 2015) for y in range(2015, 2025)])
    out, _ = harmonise.prepare(frame, plan, places2)
    table = assess(out, plan=plan, places=places2, place="QT-HH", as_of=2024)
    assert set(table["status"]) == {"not_applicable"}


def test_6_3_share_of_communes_meeting_every_quarter(plan, tmp_path):
    places = _places(tmp_path, PLACES_63, COMMUNES_63)
    # 2026: communes 1-3 have ≥ 4 items in all four quarters; 4 has 3 in Q2; 5 did not report Q4.
    # 3 of 5 meet → 60%. 2025: the communes exist from 1 July, so only Q3-Q4 count; all meet → 100%.
    items = {1: [4, 5, 6, 9], 2: [7, 4, 8, 4], 3: [5, 5, 5, 5], 4: [6, 3, 7, 8], 5: [9, 9, 9, None]}
    rows = [("6.3.news", f"QT25-00{c}", 2026, v, math.nan, math.nan, q + 1)
            for c, vs in items.items() for q, v in enumerate(vs) if v is not None]
    rows += [("6.3.news", f"QT25-00{c}", 2025, 4, math.nan, math.nan, q) for c in range(1, 6) for q in (3, 4)]
    # 2027: only Q1 so far, the year is not over.
    rows += [("6.3.news", f"QT25-00{c}", 2027, 5, math.nan, math.nan, 1) for c in range(1, 6)]
    out, report = harmonise.prepare(obs(rows), plan, places)
    for place, label in (("QT25", ""), ("QT", "-2025")):
        r26 = row(out, "6.3", place, 2026, label)
        assert (r26["value"], r26["numerator"], r26["denominator"]) == (60.0, 3, 5)
        assert "1 commune(s) missed" in r26["note"]
        # Two quarters are not a year: 2025 is a series of its own, never trended with the whole years.
        assert not ((out["indicator"] == "6.3") & (out["year"] == 2025) & (out["series"] == label)).any()
        r25 = row(out, "6.3", place, 2025, label + "-q34")
        assert (r25["value"], r25["numerator"], r25["denominator"]) == (100.0, 5, 5)
        assert "(Q3, Q4)" in r25["note"]
    inc = report.incomplete.set_index(["indicator", "place", "year"])
    assert inc.loc[("6.3", "QT25", 2027), "missing"] == "Q2, Q3, Q4"


def test_prepare_on_the_bundled_data_adds_rows_in_memory_only(plan):
    from gender_monitor.data.observations import load_observations

    places = load_places()
    frame = load_observations(plan=plan, places=places)
    out, report = harmonise.prepare(frame, plan, places)
    assert len(out) == len(frame) + len(report.added)
    assert (report.added["file"] == harmonise.DERIVED_FILE).all()
    qt = row(out, "3.5a", "QT", 2025, "-2025")
    assert qt["value"] == row(frame, "3.5a", "QT", 2025, "")["value"]  # 37 communes sum to old QT's 2025 row
    assert report.checks["agrees"].all()
    # The statistics office's re-based 2.3 for 2024 is kept; the suite's sum is only compared with it.
    kept = row(out, "2.3", "QT25", 2024, "")
    assert kept["file"].endswith("quang_tri_merged_illustrative.csv")
    assert ((report.checks["indicator"] == "2.3") & (report.checks["place"] == "QT25")
            & (report.checks["year"] == 2024)).sum() == 1
    assert row(out, "6.3", "QT", 2025, "-2025-q34")["denominator"] == 37
    assert row(out, "6.3", "QT25", 2026, "")["denominator"] == 78


def _denominators(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame([{"measure": m, "place": p, "year": y, "value": v, "source": "test", "status": "official",
                          "note": ""} for m, p, y, v in rows])


def test_rates_without_counts_are_weighted_by_the_best_denominator_as_an_estimate(plan, places2):
    # 2.1 published as rates only: QT 40.0, QB 46.0; employed women QT 100,000, QB 150,000.
    # (100,000 × 40 + 150,000 × 46) / 250,000 = (4,000,000 + 6,900,000) / 250,000 = 43.6 — not the mean 43.0.
    frame = obs([("2.1", "QT", 2023, 40.0), ("2.1", "QB", 2023, 46.0)])
    weights = _denominators([("employed_women", "QT", 2023, 100000), ("employed_women", "QB", 2023, 150000)])
    out, report = harmonise.prepare(frame, plan, places2, denominators=weights)
    r = row(out, "2.1", "QT25", 2023, "")
    assert r["value"] == pytest.approx(43.6)
    assert r["status"] == "estimate"
    assert r["note"].startswith("Re-based [weighted]") and "employed_women" in r["note"]
    assert math.isnan(r["numerator"]) and math.isnan(r["denominator"])
    # Without a weight for one province the rate cannot be re-based, and the gap is listed.
    out2, report2 = harmonise.prepare(frame, plan, places2, denominators=weights.iloc[:1])
    assert out2[out2["place"] == "QT25"].empty
    assert report2.incomplete.set_index(["indicator", "place"]).loc[("2.1", "QT25"), "missing"] == "QB;QT"


def test_a_producers_rebased_row_wins_over_the_derived_one(plan, places2):
    # Derived: Hướng Hóa 12 + Đa Krông 7 = 19 (old QT), + Quảng Bình 30 = 49; the producer re-based 50.
    frame = obs([("3.5a", "QT-HH", 2023, 12), ("3.5a", "QT-DK", 2023, 7), ("3.5a", "QB", 2023, 30),
                 ("3.5a", "QT25", 2023, 50)])
    frame.loc[3, "series"] = "-rebased"
    out, report = harmonise.prepare(frame, plan, places2)
    kept = row(out, "3.5a", "QT25", 2023, "")
    assert kept["value"] == 50 and kept["file"] != harmonise.DERIVED_FILE
    check = report.checks[report.checks["place"] == "QT25"].iloc[0]
    assert (check["reported"], check["derived"], check["agrees"]) == (50, 49, False)


def test_the_merged_province_2019_2026_projects_as_one_series_without_crossing_a_definition(plan, places2):
    # SRB 2019–2024 from both old provinces' counts (QT 6300/5700, QB 8000/7200: 14300/12900 = 110.853),
    # the merged province's own 2025–2026; a survey series of the merged province stays apart.
    rows = [(p, y, v, n, d) for y in range(2019, 2025)
            for p, v, n, d in (("QT", 110.53, 6300, 5700), ("QB", 111.11, 8000, 7200))]
    frame = obs([("4.1", p, y, v, n, d) for p, y, v, n, d in rows]
                + [("4.1", "QT25", 2025, 110.6, 14200, 12840), ("4.1", "QT25", 2026, 110.4, 14100, 12772)]
                + [("4.1", "QT25", y, 112.0) for y in (2025, 2026)])
    frame.loc[frame.index[-2:], "series"] = "survey"
    out, _ = harmonise.prepare(frame, plan, places2)
    qt25 = out[(out["place"] == "QT25") & (out["indicator"] == "4.1")]
    assert qt25.groupby("series")["year"].agg(["min", "max", "size"]).to_dict("index") == {
        "": {"min": 2019, "max": 2026, "size": 8}, "survey": {"min": 2025, "max": 2026, "size": 2}}
    assert row(out, "4.1", "QT25", 2019, "")["value"] == pytest.approx(110.8527, abs=1e-4)
    fc = project(qt25, until=2030, units=plan.units()).forecasts.set_index(["series", "year"])
    assert fc.loc[("", 2030), "n_obs"] == 8
    assert fc.loc[("survey", 2030), "n_obs"] == 2
    table = assess(out, plan=plan, places=places2, as_of=2026, codes=["4.1"])  # default place: QT25
    r = table[table["target_year"] == 2030].iloc[0]
    assert (r["place"], r["first_year"], r["n_obs"], r["history"]) == ("QT25", 2019, 8, "rebased")
    assert "2019–2024" in r["history_en"] and "joined at 2025" in r["history_en"]


def test_a_target_whose_units_changed_is_not_rebased_and_says_why(plan, places2):
    # 1.1: a share of the old agencies (QT 75/150, QB 68/170) is not a share of the new ones.
    frame = obs([("1.1", "QT", 2024, 50.0, 75, 150), ("1.1", "QB", 2024, 40.0, 68, 170),
                 ("1.1", "QT25", 2025, 45.65, 42, 92), ("1.1", "QT25", 2026, 48.91, 45, 92)])
    out, report = harmonise.prepare(frame, plan, places2)
    assert sorted(out.loc[out["place"] == "QT25", "year"]) == [2025, 2026]
    inc = report.incomplete.set_index(["indicator", "place", "year"])
    assert inc.loc[("1.1", "QT25", 2024), "reason"].startswith("re-basing not possible: The set of agencies")
    table = assess(out, plan=plan, places=places2, place="QT25", as_of=2026, codes=["1.1"])
    r = table[table["target_year"] == 2030].iloc[0]
    assert (r["first_year"], r["n_obs"], r["history"]) == (2025, 2, "not_rebased")
    assert "set of agencies" in r["history_en"] and "starts in 2025" in r["history_en"]
    assert "wide" in r["reliability_en"] and "starts in 2025" in r["reliability_en"]


@pytest.mark.parametrize(("label", "vi", "en"), [
    ("-q34", "số liệu báo cáo, 6 tháng cuối năm (quý III, IV)", "reported, Q3–Q4 only"),
    ("-2025-q34", "tổng hợp từ số liệu các xã mới, từ năm 2025, 6 tháng cuối năm (quý III, IV)",
     "summed from the new communes, from 2025, Q3–Q4 only"),
    ("survey-q3", "khảo sát, quý III", "survey, Q3 only"),
    ("-q12", "số liệu báo cáo, 6 tháng đầu năm (quý I, II)", "reported, Q1–Q2 only"),
    ("-2025", "tổng hợp từ số liệu các xã mới, từ năm 2025", "summed from the new communes, from 2025"),
])
def test_a_series_label_is_said_in_words_with_the_quarters_a_part_year_counts(label, vi, en):
    assert (harmonise.series_name(label, "vi"), harmonise.series_name(label, "en")) == (vi, en)
    assert harmonise.base_series(label, 2025) == label.split("-")[0]


def test_a_real_value_is_never_joined_to_a_history_re_based_from_illustrative_values(plan, tmp_path):
    # The bundled 3.4 of the merged province is illustrative: its history re-based from old Quảng Trị and Quảng
    # Bình (2016–2024) and its own 2025. The health department's first real return (2026) joins that series:
    # the loader leaves the illustrative 2025 out of it, and the invented history must go the same way, or the
    # trend would run from invented values into the real one.
    from gender_monitor.data.observations import default_observation_files, load_observations

    places = load_places()
    real = tmp_path / "syt_2026.csv"
    real.write_text("indicator,place,year,value,numerator,denominator,unit,source,status\n"
                    "3.4,QT25,2026,90,9,10,percent,return of the health department,official\n", encoding="utf-8")
    frame = load_observations([*default_observation_files(), real], plan=plan, places=places)
    out, report = harmonise.prepare(frame, plan, places)
    series = out[(out["indicator"] == "3.4") & (out["place"] == "QT25") & (out["series"] == "")]
    assert series[["year", "value", "status"]].values.tolist() == [[2026, 90.0, "official"]]
    [said] = [i for i in report.left_out if "3.4" in i.rule]
    assert "không ghép số liệu minh họa với số liệu thật" in said.rule_vi and "QT25" in said.rule
    assert said.severity == "warning"
    # `check` says it before the review does.
    from gender_monitor.data.checks import run_checks

    checked = run_checks(files=[*default_observation_files(), real])
    assert checked.ok and any(i.rule == said.rule for i in checked.issues)
    # Without the real value the re-based history and the own values stay one illustrative series.
    out, report = harmonise.prepare(load_observations(plan=plan, places=places), plan, places)
    assert ((out["indicator"] == "3.4") & (out["place"] == "QT25") & (out["series"] == "")).sum() > 5
    assert not report.left_out
