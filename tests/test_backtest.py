"""Tests of gender_monitor.forecast.backtest: accuracy metrics and case construction, worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from gender_monitor.forecast.backtest import make_cases, smape


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
