"""Sampling noise of values computed from counts, against published and hand-worked figures."""

from __future__ import annotations

import math

import numpy as np
import pytest
from gender_monitor.forecast import sampling


def test_maternal_mortality_from_five_deaths():
    # The plan's own note: ~5 deaths in ~12,000 births, "plausible range roughly 14–97". The exact
    # Poisson 95% interval for 5 events is 1.6235–11.6683 (Garwood), i.e. 13.5–97.2 per 100,000.
    lo, hi = sampling.observed_interval("per_100000", 5, 12000)
    assert lo == pytest.approx(1.6235 / 12000 * 1e5, rel=1e-3)
    assert hi == pytest.approx(11.6683 / 12000 * 1e5, rel=1e-3)


def test_wilson_interval_for_a_share():
    # 8 of 10 victims supported: Wilson 95% interval 0.4902–0.9433 (z = 1.95996).
    lo, hi = sampling.observed_interval("percent", 8, 10)
    assert (lo, hi) == (pytest.approx(49.02, abs=0.01), pytest.approx(94.33, abs=0.01))


def test_unknown_counts_or_units_give_no_interval():
    assert sampling.observed_interval("percent", None, 10) is None
    assert sampling.observed_interval("ratio", 3, 10) is None


def test_sex_ratio_sampling_variance_on_the_log_scale():
    # var(log b/g) = 1 / (n p (1 - p)) with n = b + g and p = b / n.
    b, g = 6308.0, 5683.0
    v = sampling.variance("per_100", np.array([[math.log(100 * b / g)]]), np.array([b]), np.array([g]))
    n, p = b + g, b / (b + g)
    assert v[0, 0] == pytest.approx(1 / (n * p * (1 - p)), rel=1e-6)


def test_noise_is_taken_out_of_the_annual_move_but_never_all_of_it():
    # A move of s (mean absolute) is a variance s²π/2; with sampling variance v per point, 2v of it is
    # noise. s = 0.3, v = 0.02: real variance 0.3²π/2 − 0.04 = 0.10137 → s' = sqrt(0.10137 · 2/π).
    s = np.array([0.3, 0.3])
    v = np.array([0.02, 0.02, 0.02, 0.5, 0.5, 0.5])
    out = sampling.without_noise(s, v, starts=np.array([0, 3]), counts=np.array([3, 3]))
    assert out[0] == pytest.approx(math.sqrt((0.09 * math.pi / 2 - 0.04) * 2 / math.pi))
    assert out[1] == pytest.approx(0.3 * sampling._MOVE_FLOOR)  # all noise: the floor keeps 30%
