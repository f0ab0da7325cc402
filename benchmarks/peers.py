"""statsforecast peers (AutoETS, AutoTheta, AutoARIMA) for benchmarks/holdout.py; runs in the benchmark venv.

Usage (called by holdout.py):  /work/bench-venv/bin/python benchmarks/peers.py TRAIN.csv OUT.csv UNTIL L1 L2 ...

TRAIN.csv has ``indicator, place, series, year, value``. Each series is put on an annual grid (gaps filled
by linear interpolation, as the peers need regular series) and forecast to UNTIL on its original scale.
A series with fewer than 4 years on the grid, or whose model fails, gets the last value (naive) with
the peer's name, so every peer answers every case. Out: one row per series × year × model with ``mean``
and ``lo-L, hi-L`` per level.
"""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pandas as pd


def main(argv: list[str]) -> int:
    from statsforecast import StatsForecast
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta

    train_path, out_path, until, *levels = argv
    until, levels = int(until), [int(x) for x in levels]
    train = pd.read_csv(train_path, dtype={"indicator": str, "place": str, "series": str})
    train["unique_id"] = train["indicator"] + "|" + train["place"] + "|" + train["series"]
    grid = []
    for uid, g in train.groupby("unique_id", sort=False):
        years = np.arange(g["year"].min(), g["year"].max() + 1)
        v = np.interp(years, g["year"], g["value"])
        grid.append(pd.DataFrame({"unique_id": uid, "ds": years, "y": v}))
    grid = pd.concat(grid, ignore_index=True)
    size = grid.groupby("unique_id")["ds"].transform("size")
    last = grid.groupby("unique_id").tail(1).set_index("unique_id")
    fitted = grid[size >= 4]
    names = {"AutoETS": "ets", "AutoTheta": "theta", "AutoARIMA": "arima"}
    pieces = []
    h = int(until - grid["ds"].min())  # longest horizon any series needs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for model in (AutoETS(season_length=1), AutoTheta(season_length=1), AutoARIMA(season_length=1)):
            name = type(model).__name__
            sf = StatsForecast(models=[model], freq=1, n_jobs=1, fallback_model=None)
            try:
                fc = sf.forecast(df=fitted, h=h, level=levels)
            except Exception as exc:  # noqa: BLE001  (a failing peer is reported, not fatal)
                print(f"peer {name} failed on the whole batch: {exc}", file=sys.stderr)
                fc = pd.DataFrame(columns=["unique_id", "ds"])
            fc = fc.rename(columns={name: "mean", **{f"{name}-lo-{lv}": f"lo-{lv}" for lv in levels},
                                    **{f"{name}-hi-{lv}": f"hi-{lv}" for lv in levels}})
            fc["model"] = names[name]
            pieces.append(fc)
            # Naive answers for series too short for the peer (or left out by it).
            done = set(fc["unique_id"]) if len(fc) else set()
            rest = last[~last.index.isin(done)]
            rows = []
            for uid, r in rest.iterrows():
                for year in range(int(r["ds"]) + 1, until + 1):
                    rows.append({"unique_id": uid, "ds": year, "mean": r["y"], "model": names[name],
                                 **{f"lo-{lv}": r["y"] for lv in levels}, **{f"hi-{lv}": r["y"] for lv in levels}})
            pieces.append(pd.DataFrame(rows))
    out = pd.concat([p for p in pieces if len(p)], ignore_index=True)
    out = out[out["ds"] <= until]
    parts = out["unique_id"].str.split("|", expand=True)
    out["indicator"], out["place"], out["series"] = parts[0], parts[1], parts[2]
    out = out.rename(columns={"ds": "year"}).drop(columns=["unique_id"])
    out.to_csv(out_path, index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
