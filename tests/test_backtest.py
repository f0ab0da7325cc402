"""Tests of gender_monitor.forecast.backtest: accuracy metrics and case construction, worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from gender_monitor.forecast.backtest import (
    CRPS_LEVELS,
    half_of,
    make_cases,
    make_span_cases,
    place_bootstrap,
    scaled_crps,
    smape,
    stratum_mean,
)


def test_smape_by_hand():
    # 200·|100 − 110| / (100 + 110) = 9.5238…; both zero counts as a perfect forecast.
    np.testing.assert_allclose(smape(np.array([100.0, 0.0, 0.0]), np.array([110.0, 0.0, 5.0])),
                               [2000 / 210, 0.0, 200.0])


def test_mase_scale_uses_gaps():
    # changes 2 over 1 year and 6 over 3 years -> 2 and 2 per year (a plain mean of steps would give 4)
    panel = pd.DataFrame({"indicator": "x", "place": "A", "year": [2010, 2011, 2014, 2015],
                          "value": [1.0, 3.0, 9.0, 10.0], "unit": "ratio"})
    _, test = make_cases(panel, origins=[2014], windows=[3], horizon=1)
    assert test["mase_scale"].tolist() == pytest.approx([2.0])


def test_make_cases_keeps_last_window_and_holds_out_horizon():
    panel = pd.DataFrame({"indicator": "x", "place": "A", "year": range(2000, 2020),
                          "value": np.arange(20.0), "unit": "ratio"})
    train, test = make_cases(panel, origins=[2012], windows=[4, 30], horizon=3)
    assert train["year"].tolist() == [2009, 2010, 2011, 2012]  # window 30 has too few points
    assert test["year"].tolist() == [2013, 2014, 2015]
    assert test["mase_scale"].iloc[0] == pytest.approx(1.0)


def test_span_cases_keep_every_value_of_the_span_with_its_gaps():
    panel = pd.DataFrame({"indicator": "x", "place": ["A"] * 5 + ["B"] * 2,
                          "year": [2001, 2003, 2006, 2010, 2013, 2009, 2015],
                          "value": [1.0, 2.0, 5.0, 9.0, 12.0, 4.0, 6.0], "unit": "ratio"})
    train, test = make_span_cases(panel, origins=[2011], span=10, horizon=3)
    # A: 2003, 2006, 2010 lie within the 10 years 2002-2011 (2001 does not); B has one value there: no case.
    assert train["year"].tolist() == [2003, 2006, 2010] and set(train["series"]) == {"o2011s10"}
    assert test["year"].tolist() == [2013] and test["origin"].tolist() == [2011]
    # MASE scale: changes 3 over 3 years and 4 over 4 years → 1 a year; the last value is 2010's.
    assert test["mase_scale"].tolist() == pytest.approx([1.0])
    assert test[["last_year", "last_value"]].iloc[0].tolist() == [2010, 9.0]


def test_place_bootstrap_moves_a_place_as_one_and_stays_within_its_family():
    # Rows: place A has three rows (origins, years), B two, C one, all in family f; D alone in family g.
    units = np.array(["A", "A", "A", "B", "B", "C", "D"])
    strata = np.array(["f", "f", "f", "f", "f", "f", "g"])
    w = place_bootstrap(units, strata, reps=300, seed=1)
    assert w.shape == (301, 7)
    assert (w[0] == 1).all()  # row 0 is the sample itself
    # Every row of a place carries that place's draw count.
    assert (w[:, 0] == w[:, 1]).all() and (w[:, 1] == w[:, 2]).all() and (w[:, 3] == w[:, 4]).all()
    # Family f has 3 places: each replicate draws 3 of them; family g's only place is always drawn once.
    assert (w[:, [0, 3, 5]].sum(axis=1) == 3).all()
    assert (w[:, 6] == 1).all()
    # Places are redrawn, not fixed: some replicate leaves A out and some draws it twice or more.
    assert (w[1:, 0] == 0).any() and (w[1:, 0] >= 2).any()
    # The same place names in two families are different places, drawn independently.
    w2 = place_bootstrap(np.array(["A", "B", "A", "B"]), np.array(["f", "f", "g", "g"]), reps=50, seed=1)
    assert (w2[1:, 0] != w2[1:, 2]).any()


def test_stratum_mean_is_the_mean_of_family_means_under_each_weighting():
    values = np.array([1.0, 3.0, 10.0])
    strata = np.array(["a", "a", "b"])
    weights = np.array([[1.0, 1.0, 1.0],   # (1 + 3) / 2 = 2 and 10 → 6
                        [2.0, 0.0, 1.0],   # a: 1, b: 10 → 5.5
                        [0.0, 0.0, 1.0]])  # a drawn nowhere: left out → 10
    np.testing.assert_allclose(stratum_mean(values, strata, weights), [6.0, 5.5, 10.0])
    # A missing value (no MASE scale) is left out of its family's mean, not counted as 0.
    np.testing.assert_allclose(stratum_mean(np.array([1.0, np.nan, 10.0]), strata, weights[:1]), [5.5])


def test_half_of_splits_sorted_places_alternately_and_completely():
    panel = pd.DataFrame({"place": ["VNM", "ALB", "BRA", "ALB", "CHN", "DZA"], "year": [1, 1, 1, 2, 1, 1]})
    # Sorted places: ALB, BRA, CHN, DZA, VNM → even positions ALB, CHN, VNM; odd BRA, DZA.
    assert sorted(half_of(panel, 0)["place"]) == ["ALB", "ALB", "CHN", "VNM"]
    assert sorted(half_of(panel, 1)["place"]) == ["BRA", "DZA"]


def test_scaled_crps_of_a_point_forecast_is_its_scaled_absolute_error():
    # Every quantile at 8, the value 10, scale 2: the pinball loss of quantile q is 2q; the 18 ends pair as q and
    # 1 − q (2 each, 18 in all) and the median adds 0.5 · 2 = 1, so the mean over 19 is 1 and the CRPS 2 · 1 / 2 = 1,
    # |10 − 8| / 2. A forecast whose every quantile is the value scores 0; a case that never moved has no scale.
    row = {"value": 10.0, "median": 8.0, "mase_scale": 2.0}
    row |= {f"{side}-{lv}": 8.0 for lv in CRPS_LEVELS for side in ("lo", "hi")}
    exact = dict(row, median=10.0, **{k: 10.0 for k in row if k[:3] in ("lo-", "hi-")})
    flat = dict(row, mase_scale=0.0)
    np.testing.assert_allclose(scaled_crps(pd.DataFrame([row, exact, flat])), [1.0, 0.0, np.nan])
