"""Tests of gender_monitor.forecast.backtest: accuracy metrics and case construction, worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from gender_monitor.forecast.backtest import make_cases, make_span_cases, smape


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
