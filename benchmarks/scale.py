"""Speed and memory of `project` on N synthetic commune-level series (goal: 33,000 series in ≤ 60 s).

Usage: python benchmarks/scale.py [N ...]   (default 1000 3300 10000 33000)

Each series has 10-15 annual points ending in 2024 with random gaps, half shares (percent with
numerator/denominator) and half counts; all are projected to 2030 with 80 % and 95 % intervals.
"""

from __future__ import annotations

import sys
import time
import tracemalloc

import numpy as np
import pandas as pd
from gender_monitor.forecast.projection import project

GOAL_SECONDS = 60.0


def synthetic(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    length = rng.integers(10, 16, n)
    rows = int(length.sum())
    sid = np.repeat(np.arange(n), length)
    offset = np.arange(rows) - np.repeat(np.cumsum(length) - length, length)
    # Years count back from 2024; about one series in four has a missing year.
    year = 2024 - (np.repeat(length, length) - 1 - offset) - (rng.random(n) < 0.25)[sid] * (offset < 3)
    share = sid % 2 == 0
    level = rng.uniform(-2, 2, n)[sid] + rng.normal(0, 0.05, n)[sid] * offset + rng.normal(0, 0.15, rows)
    den = rng.integers(50, 2000, n)[sid].astype(float)
    p = 1 / (1 + np.exp(-level))
    num = rng.binomial(den.astype(int), p).astype(float)
    value = np.where(share, 100 * num / den, rng.poisson(np.exp(2 + level)))
    return pd.DataFrame({
        "indicator": np.where(share, "share", "cases"),
        "place": np.char.add("QT25-C", (sid // 2).astype(str)),
        "year": year,
        "value": value,
        "numerator": np.where(share, num, np.nan),
        "denominator": np.where(share, den, np.nan),
        "unit": np.where(share, "percent", "count"),
    })


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1000, 3300, 10000, 33000]
    per_series = []
    for n in sizes:
        obs = synthetic(n)
        tracemalloc.start()
        t0 = time.perf_counter()
        res = project(obs, until=2030, level=(80, 95))
        wall = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        done = res.forecasts.groupby(["indicator", "place"]).ngroups
        per_series.append(wall / n)
        print(f"N={n:6d}: {wall:6.2f} s, {n / wall:8.0f} series/s, peak traced memory {peak / 2**20:7.1f} MiB, "
              f"{len(res.forecasts):7d} forecast rows, {done} series projected, {len(res.skipped)} skipped")
    if len(sizes) > 1:
        ratio = per_series[-1] / per_series[0]
        verdict = "linear (or better)" if ratio < 1.5 else "super-linear"
        print(f"cost per series at N={sizes[-1]} / at N={sizes[0]}: {ratio:.2f} -> {verdict} in N")
    if 33000 in sizes:
        wall = per_series[sizes.index(33000)] * 33000
        print(f"goal: 33,000 series in <= {GOAL_SECONDS:.0f} s: {wall:.1f} s -> "
              f"{'MET' if wall <= GOAL_SECONDS else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
