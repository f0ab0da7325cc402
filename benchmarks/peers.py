"""statsforecast peers (AutoETS, AutoTheta, AutoARIMA) for benchmarks/holdout.py; runs in the benchmark venv.

Usage (called by holdout.py):  .venv-bench/bin/python benchmarks/peers.py TRAIN.csv OUT.csv UNTIL L1 L2 ...

TRAIN.csv has ``indicator, place, series, year, value``. Each series is put on an annual grid (gaps filled
by linear interpolation, as the peers need regular series) and forecast to UNTIL on its original scale.
A series with fewer than 4 years on the grid, or one a peer leaves out, gets statsforecast's own
``Naive`` forecast with its residual-based intervals under the peer's name, so every peer answers every
case with an interval of its own making (not a zero-width one). Out: one row per series × year × model with ``mean``
and ``lo-L, hi-L`` per level.
"""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pandas as pd


def main(argv: list[str]) -> int:
    from statsforecast import StatsForecast
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, Naive

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
    fitted = grid[size >= 4]
    names = {"AutoETS": "ets", "AutoTheta": "theta", "AutoARIMA": "arima"}
    pieces = []
    h = int(until - grid["ds"].min())  # longest horizon any series needs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for model in (AutoETS(season_length=1), AutoTheta(season_length=1), AutoARIMA(season_length=1)):
            name = type(model).__name__
            # A series the peer cannot fit (too short for its parameters) gets Naive, with its intervals.
            sf = StatsForecast(models=[model], freq=1, n_jobs=1, fallback_model=Naive())
            try:
                fc = sf.forecast(df=fitted, h=h, level=levels)
            except Exception as exc:  # noqa: BLE001  (a failing peer is reported, not fatal)
                print(f"peer {name} failed on the whole batch: {exc}", file=sys.stderr)
                fc = pd.DataFrame(columns=["unique_id", "ds"])
            fc = fc.rename(columns={name: "median", **{f"{name}-lo-{lv}": f"lo-{lv}" for lv in levels},
                                    **{f"{name}-hi-{lv}": f"hi-{lv}" for lv in levels}})
            fc["model"] = names[name]
            pieces.append(fc)
            # statsforecast's Naive (with its own intervals) for series too short for the peer or left out.
            done = set(fc["unique_id"]) if len(fc) else set()
            rest = grid[~grid["unique_id"].isin(done)]
            if len(rest):
                nv = StatsForecast(models=[Naive()], freq=1, n_jobs=1).forecast(df=rest, h=h, level=levels)
                nv = nv.rename(columns={"Naive": "median", **{f"Naive-lo-{lv}": f"lo-{lv}" for lv in levels},
                                        **{f"Naive-hi-{lv}": f"hi-{lv}" for lv in levels}})
                pieces.append(nv.assign(model=names[name]))
    out = pd.concat([p for p in pieces if len(p)], ignore_index=True)
    out = out[out["ds"] <= until]
    parts = out["unique_id"].str.split("|", expand=True)
    out["indicator"], out["place"], out["series"] = parts[0], parts[1], parts[2]
    out = out.rename(columns={"ds": "year"}).drop(columns=["unique_id"])
    out.to_csv(out_path, index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
