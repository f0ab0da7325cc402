"""Tests of gender_monitor.forecast.projection and the model pool; expectations are worked out by hand."""

from __future__ import annotations

import dataclasses
import io
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from gender_monitor.core import paths
from gender_monitor.core.exceptions import ProjectionError
from gender_monitor.forecast import models
from gender_monitor.forecast.projection import (
    DEFAULT_CALIBRATION,
    P_EDGE,
    PRIOR_SCALE,
    _pooled_scale,
    bucket_of,
    project,
    roughness,
)
from statsmodels.tsa.exponential_smoothing.ets import ETSModel


def frame(values, years, *, indicator="x", place="QT", unit="ratio", **extra) -> pd.DataFrame:
    return pd.DataFrame({"indicator": indicator, "place": place, "year": list(years),
                         "value": list(values), "unit": unit, **extra})


def test_columns_exactly_and_in_order():
    res = project(frame([1.0, 1.1, 1.2], [2020, 2021, 2022]), until=2024, level=(50, 80, 95))
    assert list(res.forecasts.columns) == [
        "indicator", "place", "sex", "series", "year", "median", "lo-50", "hi-50", "lo-80", "hi-80",
        "lo-95", "hi-95", "method", "n_obs", "status", "scale", "loc", "sd", "df", "stay", "stay_at"]
    assert list(res.skipped.columns) == ["indicator", "place", "sex", "series", "n_obs", "reason", "reason_vi"]
    assert res.forecasts["year"].tolist() == [2023, 2024]


@pytest.mark.parametrize("method", ["drift", "wtrend"])
def test_linear_series_projected_on_its_line(method):
    # ratio is modelled on the log scale: 5·exp(0.1 (t − 2010)) is a straight line there.
    years = np.arange(2010, 2020)
    res = project(frame(5 * np.exp(0.1 * (years - 2010)), years), until=2025, method=method)
    last = res.forecasts.iloc[-1]
    assert last["year"] == 2025
    assert last["median"] == pytest.approx(5 * math.exp(1.5), rel=1e-9)
    assert last["loc"] == pytest.approx(math.log(5) + 1.5, abs=1e-9)


def test_gaps_use_actual_years():
    years = [2012, 2014, 2017, 2018, 2020]
    values = [2.0 * math.exp(0.05 * (y - 2012)) for y in years]
    res = project(frame(values, years), until=2023, method="drift")
    assert res.forecasts["year"].tolist() == [2021, 2022, 2023]
    assert res.forecasts["median"].iloc[-1] == pytest.approx(2.0 * math.exp(0.05 * 11), rel=1e-9)
    auto = project(frame(values, years), until=2023)
    assert auto.forecasts["median"].notna().all() and len(auto.forecasts) == 3


def test_shares_stay_within_0_100_with_steep_trend():
    years = range(2015, 2023)
    for values in ([10, 25, 40, 55, 70, 82, 90, 95], [95, 80, 60, 40, 22, 10, 4, 1.5]):
        res = project(frame(values, years, unit="percent"), until=2035)
        cols = ["median", "lo-80", "hi-80", "lo-95", "hi-95"]
        assert (res.forecasts[cols] >= 0).all().all() and (res.forecasts[cols] <= 100).all().all()
        assert (res.forecasts["scale"] == "logit").all()


def test_srb_from_12000_births_has_about_4_points_half_width():
    # Boys 6,308 and girls 5,683: p = 0.5261, n = 11,991; sd of log(b/g) = 1/sqrt(n p (1-p)) = 0.0183,
    # i.e. 111 × 0.0183 ≈ 2.0 points, so the 95 % half-width is ≈ 1.96 × 2.0 ≈ 4.
    obs = frame([111.0] * 8, range(2016, 2024), indicator="srb", unit="per_100",
                numerator=6308.0, denominator=5683.0)
    row = project(obs, until=2024).forecasts.iloc[0]
    half = (row["hi-95"] - row["lo-95"]) / 2
    assert 3.3 <= half <= 5
    # No real change in 8 flat years: the level is the mean of 8 equally noisy years (variance v/8),
    # and the next year adds its own sampling error v, so sd = sqrt(v (1 + 1/8)).
    v = 1 / (11991 * 0.52607 * 0.47393)
    assert row["sd"] == pytest.approx(math.sqrt(v * (1 + 1 / 8)), rel=0.02)


def test_mmr_from_5_deaths_is_very_wide():
    obs = frame([5 / 12000 * 1e5] * 8, range(2016, 2024), indicator="mmr", unit="per_100000",
                numerator=5.0, denominator=12000.0)
    row = project(obs, until=2025).forecasts.iloc[0]
    assert row["hi-95"] / row["lo-95"] >= 3
    assert row["lo-95"] >= 0


def test_interval_columns_are_back_transformed_quantiles():
    years = range(2012, 2022)
    # No value repeated: nothing sits on the last value (stay 0) and the distribution is the Student-t alone.
    res = project(frame([30, 31, 33, 32, 35, 36, 36.5, 38, 40, 41], years, unit="percent"), until=2030)
    r = res.forecasts.iloc[-1]
    assert r["stay"] == 0
    # Student-t with df degrees of freedom and standard deviation sd: the 97.5% quantile is
    # t_{0.975, df} * sqrt((df - 2) / df) standard deviations (df = 4: 2.7764 * 0.7071 = 1.9632).
    from scipy import stats

    df = r["df"]
    z95 = stats.t.ppf(0.975, df) * math.sqrt((df - 2) / df) if math.isfinite(df) else 1.959963984540054

    def share(z: float) -> float:  # inverse of the empirical logit log((p + c) / (1 - p + c)), c = 0.005
        return 100 * (1.01 / (1 + math.exp(-z)) - 0.005)

    assert r["lo-95"] == pytest.approx(share(r["loc"] - z95 * r["sd"]))
    assert r["hi-95"] == pytest.approx(share(r["loc"] + z95 * r["sd"]))
    assert r["median"] == pytest.approx(share(r["loc"]))
    assert r["lo-95"] < r["lo-80"] < r["median"] < r["hi-80"] < r["hi-95"]


def test_origin_ignores_later_data():
    years = list(range(2010, 2023))
    values = [1.0 + 0.1 * i for i in range(11)] + [50.0, 80.0]
    with_origin = project(frame(values, years), until=2025, origin=2020).forecasts
    cut = project(frame(values[:11], years[:11]), until=2025).forecasts
    assert with_origin["year"].tolist() == [2021, 2022, 2023, 2024, 2025]
    pd.testing.assert_frame_equal(with_origin, cut)


def test_unknown_unit_skips_that_series_naming_it_and_projects_the_others():
    obs = pd.concat([frame([1, 2], [2020, 2021], unit="furlongs"),
                     frame([1, 2], [2020, 2021], indicator="y")])
    res = project(obs, until=2025)
    assert res.skipped["indicator"].tolist() == ["x"] and "'furlongs'" in res.skipped["reason"].iloc[0]
    assert set(res.forecasts["indicator"]) == {"y"}
    with pytest.raises(ProjectionError, match="furlongs"):  # a bad argument still refuses the call
        project(frame([1, 2], [2020, 2021], unit=""), until=2025, units={"x": "furlongs"})


def test_unit_from_mapping_and_missing_unit_skipped():
    obs = frame([40, 42, 44], [2020, 2021, 2022], unit="").drop(columns="unit")
    assert (project(obs, until=2023, units={"x": "percent"}).forecasts["scale"] == "logit").all()
    res = project(obs, until=2023)
    assert res.forecasts.empty
    assert "'x'" in res.skipped["reason"].iloc[0] and "unit" in res.skipped["reason"].iloc[0]
    clash = project(frame([1, 2], [2020, 2021], unit="ratio"), until=2025, units={"x": "percent"})
    assert clash.forecasts.empty and "plan says" in clash.skipped["reason"].iloc[0]


def test_too_short_and_yes_no_are_skipped_with_reasons():
    obs = pd.concat([
        frame([3.0], [2020], indicator="one"),
        frame([0, 1, 1], [2020, 2021, 2022], indicator="law", unit="yes_no"),
        frame([1.0, 2.0], [2020, 2021], indicator="two"),
    ])
    res = project(obs, until=2025)
    reasons = dict(zip(res.skipped["indicator"], res.skipped["reason"]))
    assert reasons["one"] == "needs at least 2 annual observations, has 1"
    assert reasons["law"] == "yes/no milestone: assessed, not projected"
    # The same reasons in Vietnamese, for the department's readers of `project` and the notebooks.
    said = dict(zip(res.skipped["indicator"], res.skipped["reason_vi"]))
    assert said["one"] == "cần ít nhất 2 số liệu hằng năm, mới có 1"
    assert said["law"] == "chỉ tiêu dạng có/không (mốc hoàn thành): được đánh giá, không dự báo"
    assert set(res.forecasts["indicator"]) == {"two"}
    assert (res.forecasts["method"] == "simple").all()


def test_values_outside_their_units_range_are_skipped_with_the_value_in_both_languages():
    obs = pd.concat([
        frame([40.0, 150.0], [2020, 2021], indicator="share", unit="percent"),
        frame([3.0, -2.5], [2020, 2021], indicator="count", unit="count"),
        frame([0.0, 1.0], [2020, 2021], indicator="ratio", unit="ratio"),
    ])
    res = project(obs, until=2025)
    assert res.forecasts.empty
    got = res.skipped.set_index("indicator")[["reason", "reason_vi"]].to_dict("index")
    assert got["share"] == {"reason": "value 150 outside the percent range 0-100",
                            "reason_vi": "giá trị 150 nằm ngoài khoảng 0–100 của tỷ lệ phần trăm"}
    assert got["count"] == {"reason": "value -2.5 negative, but count cannot be",
                            "reason_vi": "giá trị -2,5 âm: chỉ tiêu đo bằng đơn vị này không nhận giá trị âm"}
    assert got["ratio"]["reason_vi"] == "giá trị 0 không lớn hơn 0: chỉ tiêu đo bằng đơn vị này chỉ nhận giá trị dương"


def test_series_already_at_until_gives_no_rows_and_is_not_skipped():
    res = project(frame([1.0, 2.0, 3.0], [2023, 2024, 2025]), until=2025)
    assert res.forecasts.empty and res.skipped.empty


@pytest.mark.parametrize("level", [(0,), (100,), (80, 120), ("80",), (80, 80), (), 95, (True,)])
def test_level_validation(level):
    with pytest.raises(ProjectionError, match="level"):
        project(frame([1, 2], [2020, 2021]), until=2025, level=level)


def test_other_argument_validation():
    with pytest.raises(ProjectionError, match="until"):
        project(frame([1, 2], [2020, 2021]), until="2025")
    with pytest.raises(ProjectionError, match="method"):
        project(frame([1, 2], [2020, 2021]), until=2025, method="prophet")
    twice = project(pd.concat([frame([1, 2], [2020, 2020]), frame([1, 2], [2020, 2021], indicator="y")]),
                    until=2025)
    assert twice.skipped["reason"].tolist() == ["two values for year 2020: a series must have one value per year"]
    assert twice.skipped["reason_vi"].tolist() == [
        "có hai giá trị cho năm 2020: mỗi chuỗi chỉ có một giá trị cho một năm"]
    assert set(twice.forecasts["indicator"]) == {"y"}


def test_series_labels_are_projected_separately():
    obs = pd.concat([
        frame([111.0] * 6, range(2015, 2021), unit="per_100", series="survey"),
        frame([109.0] * 6, range(2018, 2024), unit="per_100", series="registration"),
    ])
    fc = project(obs, until=2025).forecasts
    assert set(fc["series"]) == {"survey", "registration"}
    assert fc.loc[fc["series"] == "survey", "median"].tolist() == pytest.approx([111.0] * 5)
    assert fc.loc[fc["series"] == "registration", "median"].tolist() == pytest.approx([109.0] * 2)


def test_quarterly_rows_are_ignored():
    obs = frame([1.0, 1.0, 1.0, 9.0], [2020, 2021, 2022, 2022], quarter=["", "", "", "2"])
    fc = project(obs, until=2023).forecasts
    assert fc["n_obs"].tolist() == [3] and fc["median"].iloc[0] == pytest.approx(1.0)


def test_damped_recursion_matches_statsmodels_ets_aadn():
    y = np.array([10.0, 11.2, 12.1, 12.8, 14.0, 14.3, 15.1, 15.5, 16.2, 16.4])
    ref = ETSModel(y, error="add", trend="add", damped_trend=True, initialization_method="known",
                   initial_level=9.0, initial_trend=1.0).smooth([0.5, 0.1, 0.9]).forecast(3)
    t = np.arange(2010, 2020, dtype=float)[None, :]
    level, trend, _ = models.damped_filter(t, y[None, :], 0.5, 0.1, 0.9, np.array([[9.0]]), np.array([[1.0]]))
    ours = level + models._damp_sum(0.9, np.array([[1.0, 2.0, 3.0]])) * trend
    np.testing.assert_allclose(ours[0], ref, rtol=1e-10)


def test_weighted_trend_matches_statsmodels_wls():
    t = np.array([2012.0, 2013, 2015, 2016, 2019, 2020])
    z = np.array([1.0, 1.4, 1.3, 2.0, 2.2, 2.9])
    w = (t - t[0] + 1) ** 2
    fit = sm.WLS(z, sm.add_constant(t), weights=w).fit()
    ref = fit.predict(np.array([[1.0, 2023.0]]))
    ours = models.wtrend(t[None, :], z[None, :], np.array([[3.0]]), recency=2.0)
    assert ours[0, 0] == pytest.approx(ref[0], rel=1e-10)


def test_sampling_noise_is_averaged_not_chased():
    # Maternal deaths 3..8 a year around ~48 per 100,000 (12,000 births): the swings are Poisson noise.
    # The level is an average over years (the last, high year — 8 deaths, 66.7 — is not carried
    # forward), and the 2025 interval is bounded by what the counts allow: one year's Poisson 95%
    # range for ~7 deaths is 2.8–14.4 deaths (23–120), widened by at most two years of real change
    # (a factor of about 1.7), so well under 200 — where double-counting the noise as real change
    # gave several hundred.
    deaths = [6, 4, 7, 5, 6, 3, 7, 8]
    values = [d / 12000 * 1e5 for d in deaths]
    obs = frame(values, range(2016, 2024), indicator="mmr", unit="per_100000",
                numerator=[float(d) for d in deaths], denominator=12000.0)
    row = project(obs, until=2025).forecasts.iloc[-1]
    assert 42 <= row["median"] <= 62
    assert row["lo-95"] > 10 and row["hi-95"] < 200


def test_no_rows_or_no_values_give_empty_results_not_a_crash():
    empty = frame([], [], unit="percent")
    res = project(empty, until=2030)
    assert res.forecasts.empty and res.skipped.empty
    assert list(res.forecasts.columns)[-1] == "stay_at"
    nan = frame([float("nan")] * 3, [2020, 2021, 2022], unit="percent")
    assert project(nan, until=2030).forecasts.empty


def test_a_projection_carries_the_weakest_status_it_was_fitted_on():
    obs = frame([30, 31, 32, 33], [2020, 2021, 2022, 2023], unit="percent",
                status=["official", "official", "illustrative", "official"])
    assert set(project(obs, until=2025).forecasts["status"]) == {"illustrative"}
    obs["status"] = ["official", "", "estimate", "official"]
    assert set(project(obs, until=2025).forecasts["status"]) == {"estimate"}


def _cli(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "gender_monitor", "project", *args], capture_output=True,
                          text=True, timeout=120)


def test_cli_projects_any_series_with_a_unit_and_honours_origin(tmp_path):
    path = tmp_path / "obs.csv"
    rows = "".join(f"SL.X,THA,{y},{40 + (y - 2010) * 0.5},,,,,percent,,,,\n" for y in range(2010, 2021))
    path.write_text("indicator,place,year,value,quarter,sex,numerator,denominator,unit,source,status,note,series\n"
                    + rows, encoding="utf-8")
    out = tmp_path / "proj.csv"
    proc = _cli("--observations", str(path), "--until", "2025", "--origin", "2015", "--level", "80",
                "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    result = pd.read_csv(out)
    assert result["year"].tolist() == list(range(2016, 2026))  # from the year after the origin
    assert {"lo-80", "hi-80"} <= set(result.columns) and "lo-95" not in result.columns
    assert (result["n_obs"] == 6).all()


def test_cli_never_joins_real_and_illustrative_values_in_one_trend(tmp_path):
    # 3.5a at Hướng Hóa: three real values (2016, 2020, 2021) in the public file, invented ones in the other.
    proc = _cli("--observations", str(paths.data_dir() / "province" / "quang_tri_public.csv"),
                str(paths.data_dir() / "illustrative" / "districts_illustrative.csv"), "--until", "2030",
                "--out", str(tmp_path / "p.csv"))
    assert proc.returncode == 0, proc.stderr
    result = pd.read_csv(tmp_path / "p.csv")
    hh = result[(result["indicator"] == "3.5a") & (result["place"] == "QT-HH")]
    assert len(hh) and (hh["n_obs"] == 3).all() and (hh["status"] != "illustrative").all()
    assert "left out" in proc.stderr and "không ghép số liệu minh họa với số liệu thật" in proc.stderr


def test_cli_names_every_bad_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("indicator,place,year,value,unit\nX,QT,2020,abc,percent\nY,QT,2021,5,\n", encoding="utf-8")
    proc = _cli("--observations", str(path), "--until", "2030")
    assert proc.returncode == 2
    assert f"{path}:2 [value]" in proc.stderr and f"{path}:3 [indicator]" in proc.stderr
    # Nothing is left to project: said in both languages, not as a missing-columns error.
    assert "không còn chuỗi nào để dự báo" in proc.stderr and "no series left to project" in proc.stderr
    assert "lacks required column" not in proc.stderr and not proc.stdout


def test_a_commune_sex_ratio_from_75_births_is_projected_with_a_wide_interval():
    # Five years of a commune's births (boys, girls); 2025: 35 / 40 = 87.5 from 75 births. The same ratios
    # from 160 times the births (12,000 a year, a province) leave the sampling noise out: the commune's
    # interval must be the wider one (one SRB from 75 births has a standard error of about
    # 400 × √(0.25 / 75) ≈ 23 points) and hold both 87.5 and the natural 105.
    from gender_monitor.plan.registry import load_plan

    counts = [(2021, 50, 48), (2022, 45, 40), (2023, 37, 38), (2024, 40, 36), (2025, 35, 40)]
    commune = pd.DataFrame([{"indicator": "4.1", "place": "QT25-009", "year": y, "value": 100 * b / g,
                             "numerator": b, "denominator": g} for y, b, g in counts])
    province = commune.assign(place="QT25", numerator=commune["numerator"] * 160,
                              denominator=commune["denominator"] * 160)
    res = project(pd.concat([commune, province]), until=2026, units=load_plan().units())
    assert res.skipped.empty
    fc = res.forecasts.set_index("place")
    width = fc["hi-95"] - fc["lo-95"]
    assert width["QT25-009"] > width["QT25"] + 20
    assert fc.loc["QT25-009", "lo-95"] < 87.5 and fc.loc["QT25-009", "hi-95"] > 105


def test_the_project_command_projects_the_other_series_when_one_is_implausible(tmp_path, capsys):
    from gender_monitor.cli.main import main

    path = tmp_path / "obs.csv"
    path.write_text("indicator,place,year,value,numerator,denominator\n"
                    "4.1,QT,2022,110.0,6600,6000\n4.1,QT,2023,109.0,6540,6000\n4.1,QT,2024,111.0,6660,6000\n"
                    "4.1,QB,2023,110.0,8800,8000\n4.1,QB,2024,200.0,16000,8000\n"  # 200 from 24,000 births
                    "4.1,QT25-001,2024,104.2,50,48\n4.1,QT25-001,2025,87.5,35,40\n", encoding="utf-8")
    out = tmp_path / "fc.csv"
    assert main(["project", "--observations", str(path), "--until", "2026", "--out", str(out)]) == 0
    fc = pd.read_csv(out)
    assert set(fc["place"]) == {"QT", "QT25-001"}
    err = capsys.readouterr().err
    assert "refused" in err and "plausible band" in err
    assert ("skipped: không dự báo chỉ tiêu '4.1', địa bàn 'QB': có giá trị bị từ chối / not projected: indicator "
            "'4.1', place 'QB': a value was refused") in err
    assert "warning" in err and "75 births" in err


@pytest.mark.parametrize("level", [0.0, 100.0])
def test_a_share_sitting_at_a_bound_is_forecast_there(level):
    # A parliament without women (0 %) for eight years is forecast at 0 %, not 0.5 %, and its
    # intervals include the bound; at 100 % the same from above.
    years = range(2010, 2018)
    fc = project(frame([level] * 8, years, unit="percent"), until=2022).forecasts
    assert (fc["median"] == level).all()
    inner, outer = ("lo", "hi") if level == 0 else ("hi", "lo")
    assert (fc[f"{inner}-95"] == level).all() and (fc[f"{inner}-80"] == level).all()
    gap = (fc[f"{outer}-95"] - level).abs().to_numpy()
    # The other side is open, wider each year: the flat series' move is its unit's prior shrunk on the log
    # scale, 0.07 · 0.3^(7/9) ≈ 0.027 on the logit scale (it was 0.07 · √(2/9) ≈ 0.033 pooled as variances).
    assert gap[0] > 0.01 and (gap[1:] > gap[:-1]).all()


def test_probabilities_know_the_ends_of_the_units_range():
    # A share sitting at 0 % can never fall below -5 % and is always at most 100 %; a count at 0 is
    # never below 0. Before, x outside the range was clipped onto the bound, so P(share ≤ -5) was read
    # as P(share ≤ 0), about 0.5 here, and P(share ≤ 100) was below 1.
    zero = project(frame([0.0] * 8, range(2010, 2018), unit="percent"), until=2022)
    assert (zero.cdf(-5.0) == 0.0).all() and (zero.cdf(100.0) == 1.0).all() and (zero.cdf(1e9) == 1.0).all()
    assert 0.3 < zero.cdf(0.0).iloc[0] < 1.0  # the mass sitting on the bound itself
    assert (zero.p_meet(-5.0, ">") == 1 - P_EDGE).all()
    full = project(frame([100.0] * 8, range(2010, 2018), unit="percent"), until=2022)
    assert (full.cdf(100.0) == 1.0).all() and (full.p_meet(100.0, "<=") == 1 - P_EDGE).all()
    # At a bound strict and non-strict differ by the chance of sitting on it. A series at 100% for eight
    # years stays there with the chance ``stay`` and has the Student-t's median on the bound: half the rest
    # of the predictive mass is censored to 100% too, so "at least 100%" has p stay + (1 − stay) / 2 (the
    # bound once made it 0.005) and "above 100%" is impossible; alike at 0%.
    stay = full.forecasts["stay"].to_numpy()
    assert stay[0] > 0.5 and (np.diff(stay) < 0).all()
    np.testing.assert_allclose(full.p_meet(100.0, ">="), stay + (1 - stay) / 2, atol=1e-9)
    assert (full.p_meet(100.0, ">") == P_EDGE).all()
    stay = zero.forecasts["stay"].to_numpy()
    np.testing.assert_allclose(zero.p_meet(0.0, "<="), stay + (1 - stay) / 2, atol=1e-9)
    assert (zero.p_meet(0.0, "<") == P_EDGE).all()
    np.testing.assert_allclose(full.p_meet(100.0, ">="), 1 - full.p_meet(100.0, "<"), atol=1e-12)
    counts = project(frame([0, 1, 0, 0, 2, 0, 0, 1], range(2010, 2018), unit="count"), until=2030)
    assert (counts.cdf(-0.5) == 0.0).all() and (counts.p_meet(-5.0, ">") == 1 - P_EDGE).all()


def test_a_count_is_never_projected_below_zero():
    # A commune's few cases a year (3.5a): the lower end of the interval on the log1p scale lies below
    # log1p(0); mapped back it is 0 cases, not -0.97.
    fc = project(frame([2, 1, 0, 1, 0, 0, 1, 0], range(2017, 2025), unit="count"), until=2030).forecasts
    bands = fc[["median", "lo-80", "hi-80", "lo-95", "hi-95"]].to_numpy()
    assert bands.min() == 0.0
    assert (fc["lo-95"] == 0.0).any() and (fc["hi-95"] > 0).all()


def test_a_share_just_off_the_bound_keeps_its_value():
    fc = project(frame([3.0] * 6, range(2012, 2018), unit="percent"), until=2019).forecasts
    assert fc["median"].tolist() == pytest.approx([3.0, 3.0])


@pytest.mark.parametrize("level", [0.2, 99.6])
def test_a_small_rate_near_a_bound_is_not_taken_for_the_bound(level):
    # 0.2 % of girls married before 15 is a rate, not a zero: the last value is kept and the interval
    # holds it (a clip at 0.5 % once snapped such values to 0 % or 100 %).
    fc = project(frame([level] * 4, [2005, 2008, 2011, 2014], unit="percent"), until=2016, method="naive").forecasts
    assert fc["median"].tolist() == pytest.approx([level, level])
    assert (fc["lo-80"] < level).all() and (fc["hi-80"] > level).all()


def test_one_series_gets_the_same_forecast_alone_or_among_a_thousand():
    # The width prior is fixed per unit, so the other series of a call (here 999 wild ones of the same
    # indicator) change nothing for this one.
    rng = np.random.default_rng(3)
    years = np.arange(2012, 2020)
    mine = frame([30.0, 31.0, 31.5, 33.0, 32.5, 34.0, 35.0, 35.5], years, indicator="5.3", unit="percent")
    others = [frame(np.clip(50 + rng.normal(0, 15, size=8).cumsum(), 1, 99), years, indicator="5.3",
                    place=f"P{i:03d}", unit="percent") for i in range(999)]
    alone = project(mine, until=2030).forecasts
    crowd = project(pd.concat([*others, mine], ignore_index=True), until=2030).forecasts
    crowd = crowd[crowd["place"] == "QT"].reset_index(drop=True)
    cols = ["median", "lo-80", "hi-80", "lo-95", "hi-95", "loc", "sd"]
    np.testing.assert_allclose(crowd[cols].to_numpy(float), alone[cols].to_numpy(float), rtol=1e-12)


def test_a_flat_series_has_a_real_spread():
    # Old behaviour: sd ≈ 3e-6 and an interval [50.000, 50.000]. The spread now comes from the unit's
    # prior: at least the prior move shrunk by 2 of 9 pseudo-changes, 0.07·sqrt(2/9) ≈ 0.033 on the logit.
    fc = project(frame([50.0] * 8, range(2010, 2018), unit="percent"), until=2020).forecasts
    assert fc["sd"].min() > 0.02
    assert fc["hi-95"].iloc[-1] - fc["lo-95"].iloc[-1] > 2.0


def test_the_result_answers_intervals_and_probabilities_from_one_distribution():
    years = range(2010, 2019)
    res = project(frame([20, 22, 23, 25, 26, 28, 29, 31, 32], years, unit="percent"), until=2025)
    fc = res.forecasts
    # The stored columns and the object's answers are the same distribution.
    band = res.interval(80)
    np.testing.assert_allclose(band["lo"], fc["lo-80"], rtol=1e-12)
    np.testing.assert_allclose(band["hi"], fc["hi-80"], rtol=1e-12)
    np.testing.assert_allclose(res.cdf(fc["median"].to_numpy()), 0.5, atol=1e-12)  # mean is the median
    np.testing.assert_allclose(res.cdf(fc["hi-95"].to_numpy()), 0.975, atol=1e-9)
    np.testing.assert_allclose(res.p_meet(fc["lo-80"].to_numpy(), ">="), 0.9, atol=1e-9)
    np.testing.assert_allclose(res.p_meet(fc["lo-80"].to_numpy(), "<"), 0.1, atol=1e-9)
    # Any level, also one not asked for: the 50% band lies inside the 80% one, around the median.
    half = res.interval(50)
    assert ((half["lo"] > band["lo"]) & (half["lo"] < fc["median"]) & (half["hi"] < band["hi"])).all()
    # Far from everything: never exactly 0 or 1.
    assert res.p_meet(99.9).min() > 0 and res.p_meet(0.01).max() < 1
    summary = res.summary()
    assert len(summary) == 1 and summary.loc[0, "year"] == 2025
    assert summary.loc[0, "median"] == fc["median"].iloc[-1]
    with pytest.raises(ProjectionError, match="comparator"):
        res.p_meet(30, "=>")


def test_cli_takes_several_levels_at_once(tmp_path):
    path = tmp_path / "obs.csv"
    rows = "".join(f"SL.X,THA,{y},{40 + (y - 2010) * 0.5},percent\n" for y in range(2010, 2021))
    path.write_text("indicator,place,year,value,unit\n" + rows, encoding="utf-8")
    out = tmp_path / "proj.csv"
    proc = _cli("--observations", str(path), "--until", "2023", "--level", "50", "80", "95", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    got = pd.read_csv(out)
    assert [c for c in got.columns if c.startswith(("lo-", "hi-"))] == [
        "lo-50", "hi-50", "lo-80", "hi-80", "lo-95", "hi-95"]


def test_cli_says_why_nothing_or_less_was_projected(tmp_path):
    path = tmp_path / "obs.csv"
    rows = "".join(f"SL.X,THA,{y},{40 + (y - 2010) * 0.5},percent\n" for y in range(2010, 2021))
    rows += "".join(f"SL.Y,THA,{y},{30 + y - 2010},percent\n" for y in range(2010, 2024))
    path.write_text("indicator,place,year,value,unit\n" + rows, encoding="utf-8")
    # SL.Y has its own value for 2022 already: it is not projected, and the command says so.
    proc = _cli("--observations", str(path), "--until", "2022")
    assert proc.returncode == 0 and set(pd.read_csv(io.StringIO(proc.stdout))["indicator"]) == {"SL.X"}
    assert "note: 1 chuỗi đã có số liệu năm 2022 hoặc sau đó" in proc.stderr
    assert "/ 1 series already have a value for 2022 or later" in proc.stderr
    proc = _cli("--observations", str(path), "--until", "2015", "--origin", "2018")
    assert proc.returncode == 2 and "--until (2015) must come after --origin (2018)" in proc.stderr
    assert "phải sau --origin" in proc.stderr and not proc.stdout
    proc = _cli("--observations", str(path), "--until", "2030", "--level", "80", "80")
    assert proc.returncode == 2 and "give each level once" in proc.stderr and "mỗi mức chỉ ghi một lần" in proc.stderr


def test_cli_skips_the_series_of_a_row_refused_for_its_width(tmp_path):
    # Line 3 has a sixth field (a note with an unquoted comma): it is never split into columns, yet its
    # series must not be projected across the hole it leaves; the other series is.
    path = tmp_path / "obs.csv"
    path.write_text("indicator,place,year,value,unit\n9.9,QT,2020,40,percent\n9.9,QT,2021,42,percent,x\n"
                    "9.9,QT,2022,44,percent\n9.9,QT,2023,46,percent\n"
                    + "".join(f"9.8,QT,{y},{20 + y - 2020},percent\n" for y in range(2020, 2024)), encoding="utf-8")
    proc = _cli("--observations", str(path), "--until", "2026")
    assert proc.returncode == 0, proc.stderr
    assert set(pd.read_csv(io.StringIO(proc.stdout))["indicator"].astype(str)) == {"9.8"}
    assert "obs.csv:3" in proc.stderr and "not projected: indicator '9.9', place 'QT', every sex" in proc.stderr
    assert "không dự báo chỉ tiêu '9.9', địa bàn 'QT' (mọi giới tính, mọi chuỗi)" in proc.stderr


def test_an_interval_asked_as_a_fraction_is_refused_not_read_as_a_percent():
    res = project(frame([20, 22, 23, 25, 26], range(2010, 2015), unit="percent"), until=2018)
    with pytest.raises(ProjectionError, match="80 for an 80% interval"):
        res.interval(0.8)
    assert (res.interval(1)["hi"] > res.interval(1)["lo"]).all()
    # Any level of at least 1 and below 100 is an interval (99.5 included), and the message says so.
    assert (res.interval(99.5)["hi"] > res.interval(99)["hi"]).all()
    with pytest.raises(ProjectionError, match="at least 1 and below 100"):
        res.interval(100)


def test_a_step_like_series_stays_at_its_last_value():
    # Seats that change only at elections: 6 of 8 changes are exactly 0 (share 0.75 ≥ 0.5), so the
    # default carries the last value instead of following the jumps; a steady climb keeps its trend.
    steps = frame([10, 10, 10, 15, 15, 15, 20, 20, 20], range(2010, 2019), unit="percent")
    fc = project(steps, until=2021).forecasts
    assert fc["median"].tolist() == pytest.approx([20.0, 20.0, 20.0]) and set(fc["method"]) == {"naive"}
    short = frame([10, 10, 10, 15, 15], range(2014, 2019), unit="percent")  # 3 of 4 changes are 0
    assert project(short, until=2020).forecasts["median"].tolist() == pytest.approx([15.0, 15.0])
    climb = frame([10, 11, 12, 13, 14, 15, 16, 17, 18], range(2010, 2019), unit="percent")
    assert project(climb, until=2019).forecasts["median"].iloc[0] > 18.2


def test_a_survey_series_years_apart_takes_half_its_shrunk_drift_with_its_own_widths():
    # Surveys in 2006, 2010 and 2014 (median gap 4 ≥ 2 years), ratio on the log scale: log values 0, 0.3,
    # 0.8 → yearly changes 0.075 and 0.125, mean 0.1, standard error² = (2·0.025²)/1/2 = 0.000625, so
    # shrunk drift = 0.1 · 0.01 / (0.01 + 4·0.000625) = 0.08, and sparse = last + 0.5·0.08·lead.
    survey = frame(np.exp([0.0, 0.3, 0.8]), [2006, 2010, 2014])
    fc = project(survey, until=2016, level=(80,)).forecasts
    assert set(fc["method"]) == {"sparse"}
    assert fc["loc"].tolist() == pytest.approx([0.84, 0.88])
    assert fc["median"].iloc[-1] == pytest.approx(math.exp(0.88))
    # The width is the sparse bucket's: a·lead**g times the series' typical move (pooled with the prior on the
    # log scale: |changes| / sqrt(4 years) = 0.15 and 0.25, mean 0.2, two changes against w pseudo-changes of
    # the ratio prior 0.05, so the geometric mean 0.2^(2/(2+w)) · 0.05^(w/(2+w)), 0.1 at w = 2); times its
    # roughness ** the sparse power: the changes stray 0.1 / sqrt(4) = 0.05 from the slope 0.1 a year,
    # 0.05 / 0.2 = 0.25, one change beyond the slope's shrunk with rough_weight pseudo-changes at 1.
    a, g = DEFAULT_CALIBRATION.width[("sparse", "sparse")]
    assert DEFAULT_CALIBRATION.pool_weight == 2 and PRIOR_SCALE["ratio"] == 0.05
    rw = DEFAULT_CALIBRATION.rough_weight
    s = 0.1
    s *= ((0.25 + rw) / (1 + rw)) ** DEFAULT_CALIBRATION.rough_power["sparse"]
    assert fc["sd"].tolist() == pytest.approx([a * s, a * 2**g * s])
    # The same values a year apart are an annual series: the mean of naive and shrunk drift.
    annual = project(frame(np.exp([0.0, 0.3, 0.8]), [2012, 2013, 2014]), until=2016).forecasts
    assert set(annual["method"]) == {"simple"}
    # A survey series of six values gets the survey rule too, not the median with a damped trend.
    six = project(frame(np.exp([0.0, 0.3, 0.8, 1.0, 1.1, 1.3]), range(1999, 2015, 3)), until=2016).forecasts
    assert set(six["method"]) == {"sparse"}
    # A step-like survey series (half its changes exactly 0) keeps its last value: the flat rule wins.
    steps = project(frame([10.0, 10.0, 15.0], [2006, 2010, 2014], unit="percent"), until=2016).forecasts
    assert set(steps["method"]) == {"naive"} and steps["median"].tolist() == pytest.approx([15.0, 15.0])
    # A method chosen by the reader keeps the sparse widths of the series.
    naive = project(survey, until=2016, method="naive").forecasts
    a, g = DEFAULT_CALIBRATION.width[("naive", "sparse")]
    assert naive["sd"].tolist() == pytest.approx([a * s, a * 2**g * s])


def test_a_series_typical_move_is_shrunk_towards_its_units_prior_on_the_log_scale():
    # Two series in one flat array: 15 yearly values climbing 0.03 a year (14 changes of 0.03), then 8 flat ones.
    z = np.r_[0.03 * np.arange(15), np.zeros(8)]
    year = np.r_[np.arange(2000, 2015), np.arange(2010, 2018)].astype(float)
    starts, counts, prior = np.array([0, 15]), np.array([15, 8]), np.array([0.07, 0.07])
    by_variance = _pooled_scale(z, year, starts, counts, prior, 2.0)
    by_log = _pooled_scale(z, year, starts, counts, prior, 2.0, 0.3)
    # Variances: √((14·0.03² + 2·0.07²) / 16) = √0.0014 = 0.03742; flat: 0.07·√(2/9) = 0.03300.
    assert by_variance == pytest.approx([0.037417, 0.032998], abs=1e-6)
    # Logs: 0.03^(14/16) · 0.07^(2/16) = 0.033352; the flat series' move is floored at 0.3 · 0.07 = 0.021,
    # 0.021^(7/9) · 0.07^(2/9) = 0.07 · 0.3^(7/9) = 0.07 · 0.392027 = 0.027442.
    assert by_log == pytest.approx([0.033352, 0.027442], abs=1e-6)
    # A move of 0.003 a year, under the floor 0.1 · 0.07 = 0.007, gives 0.007^(14/16) · 0.07^(2/16) = 0.00934;
    # pooling variances gave √((14·0.003² + 2·0.07²) / 16) = 0.0249.
    tiny = _pooled_scale(0.003 * np.arange(15.0), np.arange(2000, 2015.0), np.array([0]), np.array([15]),
                         np.array([0.07]), 2.0, 0.1)
    assert tiny == pytest.approx([0.007 ** (14 / 16) * 0.07 ** (2 / 16)], abs=1e-9)  # floor 0.007 > 0.003


def test_the_width_bucket_of_a_series():
    assert bucket_of([2010, 2011, 2012]) == "2-4"
    assert bucket_of([2010, 2012, 2013, 2015]) == "sparse"  # gaps 2, 1, 2: median 2
    assert bucket_of([2010, 2011, 2013, 2014]) == "2-4"  # gaps 1, 2, 1: median 1
    assert bucket_of(range(2010, 2016)) == "5-7"
    assert bucket_of(range(2000, 2020, 2)) == "8+"  # enough points to test itself: not sparse


def test_the_project_command_reads_the_bundled_data_when_no_file_is_named(tmp_path, capsys):
    # As assess does: without --observations, every bundled observation file (the province's public file
    # and the illustrative ones), read under the same rules (3.5a at Hướng Hóa keeps its 3 real values only).
    from gender_monitor.cli.main import main

    out = tmp_path / "fc.csv"
    assert main(["project", "--until", "2030", "--out", str(out)]) == 0
    fc = pd.read_csv(out, dtype={"place": str, "indicator": str})
    hh = fc[(fc["indicator"] == "3.5a") & (fc["place"] == "QT-HH")]
    assert len(hh) and (hh["n_obs"] == 3).all() and (hh["status"] != "illustrative").all()
    assert {"QT", "QB"} <= set(fc["place"]) and fc["year"].max() == 2030
    assert "left out" in capsys.readouterr().err


def test_a_slope_read_off_two_values_is_capped_at_the_units_typical_annual_move():
    # A gross enrolment ratio going 0.028 → 0.126 in one year: log change 1.504 a year. Two values cannot tell
    # that from noise: the slope is capped at the ratio prior (0.05 a year) and halved by sdrift, and simple
    # is the mean of naive and sdrift, so the log median moves 0.25 × 0.05 = 0.0125 a year.
    res = project(frame([0.028, 0.126], [1999, 2000], unit="ratio"), until=2012)
    last = res.forecasts.set_index("year").loc[2012]
    assert last["method"] == "simple"
    assert last["median"] == pytest.approx(0.126 * math.exp(0.0125 * 12), rel=1e-9)
    # Uncapped it was 0.126·exp(0.25 × 1.504 × 12) ≈ 11.4: ninety times the last value.
    assert last["median"] < 0.15


def test_a_small_change_between_two_values_keeps_its_quarter_slope():
    # 50 % → 50.5 %: the empirical-logit change is well under the percent prior (0.07), so nothing is capped.
    def logit(p):
        return math.log((p / 100 + 0.005) / (1 - p / 100 + 0.005))

    res = project(frame([50.0, 50.5], [2024, 2025], unit="percent"), until=2029)
    z = logit(50.5) + 0.25 * (logit(50.5) - logit(50.0)) * 4
    expected = 100 * ((1 + 0.01) / (1 + math.exp(-z)) - 0.005)
    assert res.forecasts.set_index("year").loc[2029, "median"] == pytest.approx(expected, rel=1e-12)


def test_a_two_value_survey_series_is_capped_too():
    # Values six years apart (a survey): method sparse, the last value moved half way towards sdrift, whose
    # slope from two values is capped at the per_1000 prior (0.065 a year on the log1p scale) and halved.
    res = project(frame([20.0, 80.0], [2014, 2020], unit="per_1000"), until=2030)
    last = res.forecasts.set_index("year").loc[2030]
    assert last["method"] == "sparse"
    assert last["median"] == pytest.approx(math.expm1(math.log1p(80.0) + 0.25 * 0.065 * 10), rel=1e-9)


def test_effective_df_keeps_the_tails_without_noise_and_is_the_normal_with_only_noise():
    from gender_monitor.forecast.projection import effective_df

    dfs = effective_df(3.0, np.array([0.0, 0.25, 0.5, 0.75, 1.0]))
    assert dfs[0] == pytest.approx(3.0)
    assert np.all(np.diff(dfs) > 0)
    assert dfs[-1] > 1000
    assert np.isinf(effective_df(math.inf, 0.5)).all()


@pytest.mark.parametrize("share", [0.25, 0.5, 0.75])
def test_intervals_of_a_student_t_plus_sampling_noise_hold_their_level(share):
    # Monte Carlo of the sum itself: a Student-t with 3 degrees of freedom (variance 1 − share) plus a normal
    # (variance share). Its central 50/80/95% intervals from effective_df hold their level to ±1.5 points;
    # folding the normal into the Student-t's sd (df 3) held 42/75/95%, 38/71/95% and 36/67/94%.
    from gender_monitor.forecast.projection import effective_df, quantile_multiplier

    rng = np.random.default_rng(7)
    n = 400_000
    t = rng.standard_t(3.0, n) * math.sqrt(1 / 3)  # standard deviation 1
    x = math.sqrt(1 - share) * t + math.sqrt(share) * rng.standard_normal(n)
    d = float(effective_df(3.0, share))
    for level in (50, 80, 95):
        q = float(quantile_multiplier(0.5 + level / 200, d))
        assert np.mean(np.abs(x) <= q) == pytest.approx(level / 100, abs=0.015)
    folded = float(quantile_multiplier(0.75, 3.0))
    assert np.mean(np.abs(x) <= folded) < 0.45


def test_a_series_with_counts_gets_the_degrees_of_freedom_of_its_sampling_noise():
    # A commune's share from 40 of 200 women each year: its next value carries binomial noise, so its rows'
    # Student-t is lighter-tailed than the model's 3; the same values without counts keep 3.
    years = range(2019, 2026)
    values = [20.0, 21.0, 19.5, 20.5, 21.5, 20.0, 20.0]
    with_counts = frame(values, years, indicator="c", unit="percent", numerator=[v * 2 for v in values],
                        denominator=200)
    without = frame(values, years, indicator="v", unit="percent")
    fc = project(pd.concat([with_counts, without]), until=2027).forecasts.set_index("indicator")
    assert (fc.loc["v", "df"] == DEFAULT_CALIBRATION.df).all()
    assert (fc.loc["c", "df"] > DEFAULT_CALIBRATION.df + 1).all()


def test_a_series_that_repeated_values_may_stay_exactly_at_its_last_value():
    # Seats that change only at elections: six of seven changes were 0. The next values may well be 24.0
    # exactly; a continuous distribution gave that no chance, so a target just above 24 read p near 0.5 while
    # it was almost never met (the back-test's reliability curve was steeper than the diagonal).
    from gender_monitor.forecast.projection import stay_probability, value_cdf

    seats = frame([20.0, 20.0, 20.0, 24.0, 24.0, 24.0, 24.0, 24.0], range(2015, 2023), unit="percent")
    res = project(seats, until=2026, level=(50, 80, 95))
    fc = res.forecasts
    assert (fc["stay_at"] == 24.0).all()
    stay = fc["stay"].to_numpy()
    np.testing.assert_allclose(stay, stay_probability(np.array([6]), np.array([7]), np.arange(1, 5)[None, :])[0])
    assert 0.6 < stay[0] < 0.7 and (np.diff(stay) < 0).all()
    # The chance of exactly 24.0 is stay: P(≤ 24) − P(< 24).
    args = [fc[c].to_numpy() for c in ("scale", "loc", "sd", "df")]
    at = value_cdf(24.0, *args, stay=stay, stay_at=24.0) - value_cdf(24.0, *args, strict=True, stay=stay, stay_at=24.0)
    np.testing.assert_allclose(at, stay)
    # More than half the mass on 24.0 in the first year: the 50% interval is that value; later ones hold it.
    assert fc["lo-50"].iloc[0] == fc["hi-50"].iloc[0] == 24.0
    assert ((fc["lo-95"] <= 24.0) & (fc["hi-95"] >= 24.0)).all() and (fc["lo-95"] < fc["hi-95"]).all()
    # "At least 24.01" is met only if the seats move up: below the half the Student-t alone gave.
    p = res.p_meet(24.01, ">=").to_numpy()
    t_only = 1 - value_cdf(24.01, *args)
    np.testing.assert_allclose(p, (1 - stay) * t_only, rtol=1e-9)
    assert p[0] < 0.2
    # A series that never repeated a value, or whose counts are known, has no such chance.
    smooth = project(frame([20.0, 20.5, 21.0, 21.4, 22.0], range(2018, 2023), unit="percent"), until=2025)
    assert (smooth.forecasts["stay"] == 0).all()
    counted = project(frame([40.0] * 6, range(2017, 2023), unit="percent", numerator=400.0, denominator=1000.0),
                      until=2025)
    assert (counted.forecasts["stay"] == 0).all()


def test_a_series_keeping_to_its_straight_path_gets_narrower_intervals_than_one_with_the_same_moves():
    # Same changes in size (two points a year), one keeps climbing, the other goes back and forth: the
    # typical move is the same, the errors around the path are not (projection.ROUGH_POWER).
    years = list(range(2016, 2022))
    smooth = [40 + 2 * i for i in range(6)]
    rough = [40 + 2 * (i % 2) for i in range(6)]
    obs = pd.DataFrame({"indicator": ["S"] * 6 + ["R"] * 6, "place": "VN", "year": years * 2,
                        "value": smooth + rough, "unit": "percent"})
    on = project(obs, until=2024).forecasts.set_index(["indicator", "year"])
    off = project(obs, until=2024, calibration=dataclasses.replace(DEFAULT_CALIBRATION, rough_power={}))
    off = off.forecasts.set_index(["indicator", "year"])
    assert off.loc[("S", 2022), "sd"] > 0.95 * off.loc[("R", 2022), "sd"]  # the typical move alone
    assert on.loc[("S", 2022), "sd"] < 0.8 * on.loc[("R", 2022), "sd"]
    # The point forecasts do not depend on it.
    assert np.allclose(off["loc"], on["loc"])


def test_roughness_of_a_straight_path_a_zigzag_and_two_values():
    t = np.arange(6, dtype=float)[None, :].repeat(3, axis=0)
    z = np.array([[0.0, 1, 2, 3, 4, 5], [0.0, 1, 0, 1, 0, 1], [0.0, 1, 2, 3, 4, 5]])
    r = roughness(t, z, 0.0)
    assert r[0] == pytest.approx(0.0) and r[1] > 0.9
    # Shrunk towards 1 by pseudo-changes; one change (two values) says nothing: 1.
    assert roughness(t, z, 4.0)[0] == pytest.approx(4.0 / 8.0)
    assert roughness(t[:, :2], z[:, :2], 8.0) == pytest.approx(np.ones(3))


def test_the_local_trend_adds_the_recent_changes_damped_year_by_year():
    t = np.arange(2010, 2018, dtype=float)[None, :]
    z = np.array([[0.0, 1, 2, 3, 4, 5, 7, 9]])
    # The last two changes are 2 and 2: 9 + 0.9·2 a year ahead, 9 + (0.9 + 0.81)·2 two years ahead.
    assert models.ltrend(t, z, np.array([[1.0, 2.0]]))[0] == pytest.approx([10.8, 12.42])
    # Two values: their one change, damped.
    assert models.ltrend(t[:, :2], z[:, :2], np.array([[1.0]]))[0, 0] == pytest.approx(1.9)


def test_smoothness_is_the_bend_per_unit_of_move_and_never_smooth_across_a_gap():
    t = np.arange(2010, 2015, dtype=float)[None, :]
    # Changes 1, 2, 3, 4 (mean 2.5); second differences 1, 1, 1 (mean 1): 0.4.
    assert models.smoothness(t, np.array([[0.0, 1, 3, 6, 10]]))[0] == pytest.approx(0.4)
    gap = np.array([[2010.0, 2011, 2013, 2014, 2015]])
    assert models.smoothness(gap, np.array([[0.0, 1, 3, 6, 10]]))[0] == np.inf
    assert models.smoothness(t, np.full((1, 5), 3.0))[0] == np.inf
    assert models.smoothness(t[:, :2], np.array([[0.0, 1.0]]))[0] == np.inf


def test_a_smooth_series_of_eight_or_more_years_follows_its_recent_trend():
    # On the log scale (unit ratio) z = 0.1 i + 0.005 i², i = 0 … 8: changes 0.105 … 0.175 (mean 0.14), second
    # differences all 0.01, smoothness 0.07 ≤ 0.5. The last two changes are 0.165 and 0.175: z_2018 = 1.12, so
    # 2019 is exp(1.12 + 0.9·0.17) and 2020 exp(1.12 + 1.71·0.17).
    i = np.arange(9)
    years = 2010 + i
    smooth = frame(np.exp(0.1 * i + 0.005 * i**2), years)
    fc = project(smooth, until=2020).forecasts
    assert set(fc["method"]) == {"ltrend"}
    assert fc["median"].tolist() == pytest.approx([math.exp(1.273), math.exp(1.4107)], rel=1e-9)
    # The same path zigzagging by ±0.05 bends more than it moves: the combination, as before.
    rough = frame(np.exp(0.1 * i + 0.005 * i**2 + 0.05 * (-1.0) ** i), years)
    assert set(project(rough, until=2020).forecasts["method"]) == {"comb"}
    # A missing year: not an annual series, the combination.
    gappy = smooth[smooth["year"] != 2013]
    assert set(project(gappy, until=2020).forecasts["method"]) == {"comb"}
    # Off in a calibration without the cut.
    off = dataclasses.replace(DEFAULT_CALIBRATION, smooth_cut=None)
    assert set(project(smooth, until=2020, calibration=off).forecasts["method"]) == {"comb"}


def test_a_rate_with_known_counts_is_smooth_or_not_by_its_values_as_observed():
    # A share of ~3,000 women a year climbing unevenly (changes 0.7, 1.2, 0.8, 2.6, 0.9, 2.0, 1.5, 1.0, 1.6 points):
    # as observed it bends more than half as much as it moves (smoothness 0.65 on the logit scale), so the
    # combination projects it. Its filtered level (sampling noise taken out) is smoother; the cut was chosen on
    # values as observed, so the filtered level does not decide.
    years = np.arange(2015, 2025)
    num = np.array([934, 954, 989, 1013, 1091, 1117, 1176, 1220, 1250, 1297])
    rows = frame(100 * num / 3000, years, unit="percent", numerator=num, denominator=3000)
    z = models.to_scale(rows["value"].to_numpy(), "logit")[None, :]
    assert models.smoothness(years[None, :].astype(float), z)[0] > DEFAULT_CALIBRATION.smooth_cut
    assert set(project(rows, until=2030).forecasts["method"]) == {"comb"}
