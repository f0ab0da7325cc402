"""Accuracy and interval calibration of the projection on real panels (data/panels), by rolling origin.

Usage:
    python benchmarks/backtest.py                 # report accuracy and coverage (evaluation half)
    python benchmarks/backtest.py --calibrate     # derive the interval constants (calibration half)
    python benchmarks/backtest.py --make-panels   # rebuild data/panels from /work/shared/data

Design: every series of a panel is cut at three origins; at each origin only the last W points
(W in 4, 6, 8, 10, 12, 15) are kept, mimicking our short provincial series; years origin+1 ...
origin+6 are held out. Places are split in two halves by sorted position: interval constants are
derived on the even half (``--calibrate``) and every figure in the report is computed on the odd half.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from gender_monitor.forecast import models
from gender_monitor.forecast.backtest import make_cases, run_cases
from gender_monitor.forecast.projection import DEFAULT_CALIBRATION, Calibration, _bucket, quantile_multiplier

ROOT = Path(__file__).resolve().parents[1]
PANELS = ROOT / "data" / "panels"
SHARED = Path("/work/shared/data")
WINDOWS = (4, 6, 8, 10, 12, 15)
HORIZON = 6
LEVELS = (80, 95)
GOALS = "goals: sMAPE ≥10% better than naive overall; coverage 80±5%, 95±3%"

WDI = "open-numbers/ddf--world_bank--world_development_indicators"
SDG = "open-numbers/ddf--unstats--sdg_indicators"
# file, source file, source code, our unit, factor, producer, title, repository, path, commit
PANEL_SPECS = [
    ("wdi_wage_workers_female_v2019.csv", "wdi_wage_workers_female_panel_v2019.csv", "SL.EMP.WORK.FE.ZS",
     "percent", 1.0, "World Bank (ILO modelled estimates)",
     "Wage and salaried workers, female (% of female employment), 2019 vintage", WDI,
     "datapoints/ddf--datapoints--sl_emp_work_fe_zs--by--economy--year.csv",
     "0656517bbd3dfcd9e0d834cb6039de0d64753c61"),
    ("wdi_agriculture_female.csv", "wdi_gender_indicators.csv", "SL.AGR.EMPL.FE.ZS", "percent", 1.0,
     "World Bank (ILO modelled estimates)", "Employment in agriculture, female (% of female employment)",
     WDI, "datapoints/ddf--datapoints--sl_agr_empl_fe_zs--by--economy--year.csv",
     "0f0d0962479dd72d29a3b725072fefa1da633c99"),
    ("wdi_sex_ratio_at_birth.csv", "wdi_gender_indicators.csv", "SP.POP.BRTH.MF", "per_100", 100.0,
     "World Bank (UN World Population Prospects)", "Sex ratio at birth (boys per 100 girls)", WDI,
     "datapoints/ddf--datapoints--sp_pop_brth_mf--by--economy--year.csv",
     "0f0d0962479dd72d29a3b725072fefa1da633c99"),
    ("sdg_maternal_mortality.csv", "sdg_gender_panel_2020.csv", "SH_STA_MMR", "per_100000", 1.0,
     "UN Statistics Division (UN MMEIG estimates)", "Maternal mortality ratio per 100,000 live births (SDG 3.1.1)",
     SDG, "ddf--datapoints--sh_sta_mmr--by--….csv", "1bfae15828a86ad30e86872411534f5c8136d784"),
    ("sdg_women_parliament.csv", "sdg_gender_panel_2020.csv", "SG_GEN_PARL", "percent", 1.0,
     "UN Statistics Division (IPU)", "Seats held by women in national parliaments, % (SDG 5.5.1)",
     SDG, "ddf--datapoints--sg_gen_parl--by--….csv", "1bfae15828a86ad30e86872411534f5c8136d784"),
    ("sdg_women_management.csv", "sdg_gender_panel_2020.csv", "IC_GEN_MGTL", "percent", 1.0,
     "UN Statistics Division (ILO)", "Proportion of women in managerial positions, % (SDG 5.5.2)",
     SDG, "ddf--datapoints--ic_gen_mgtl--by--….csv", "1bfae15828a86ad30e86872411534f5c8136d784"),
    ("sdg_adolescent_birth_rate.csv", "sdg_gender_panel_2020.csv", "SP_DYN_ADKL", "per_1000", 1.0,
     "UN Statistics Division (UN DESA Population Division)",
     "Adolescent birth rate, women aged 15-19, per 1,000 (SDG 3.7.2)",
     SDG, "ddf--datapoints--sp_dyn_adkl--by--….csv", "1bfae15828a86ad30e86872411534f5c8136d784"),
]


def make_panels() -> None:
    """Copy the panels from /work/shared/data into the observation format, with provenance files."""
    PANELS.mkdir(parents=True, exist_ok=True)
    for name, src, code, unit, factor, producer, title, repo, path, commit in PANEL_SPECS:
        raw = pd.read_csv(SHARED / src, dtype={"indicator_code": "str", "geography": "str"})
        raw = raw[raw["indicator_code"] == code]
        out = pd.DataFrame({
            "indicator": code, "place": raw["geography"], "year": raw["year"].astype(int),
            "value": (raw["value"] * factor).round(4), "unit": unit,
            "source": f"{producer.split(' (')[0]} {code}", "status": "official",
        }).sort_values(["place", "year"])
        out.to_csv(PANELS / name, index=False)
        meta = {
            "producer": producer, "title": title, "url": raw["source_url"].iloc[0].rsplit("/country/", 1)[0]
            if "worldbank" in raw["source_url"].iloc[0] else raw["source_url"].iloc[0],
            "date_accessed": dt.date.today().isoformat(), "licence": "CC BY 4.0",
            "citation": f"{producer}, {title}, series {code}; via open-numbers DDF ({repo}).",
            "copied_from": {"repository": repo, "path": path, "commit": commit},
            "notes": (f"Converted from /work/shared/data/{src} (see its README) by "
                      f"benchmarks/backtest.py --make-panels: {len(out)} rows, {out['place'].nunique()} "
                      f"geographies, {out['year'].min()}-{out['year'].max()}. place = the source's "
                      f"geography code (ISO3, World Bank aggregates, or M49:<code> regions)."
                      + (" Value = male births per female birth x 100." if factor != 1 else "")
                      + " Back-testing only; never mix with other vintages."),
        }
        (PANELS / f"{name}.meta.yml").write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True))
        print(f"wrote {name}: {len(out)} rows")


def load_panels() -> dict[str, pd.DataFrame]:
    return {
        spec[0].removesuffix(".csv"): pd.read_csv(PANELS / spec[0], dtype={"place": "str", "indicator": "str"})
        for spec in PANEL_SPECS
    }


def build_cases(half: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Training and held-out rows of every panel for one half (0 = calibration, 1 = evaluation)."""
    trains, tests = [], []
    for family, panel in load_panels().items():
        places = sorted(panel["place"].unique())
        panel = panel[panel["place"].isin(places[half::2])]
        last = int(panel["year"].max())
        origins = [last - HORIZON - 3 * j for j in range(3)]
        tr, te = make_cases(panel, origins=origins, windows=WINDOWS, horizon=HORIZON)
        trains.append(tr.assign(family=family))
        tests.append(te.assign(family=family))
    return pd.concat(trains, ignore_index=True), pd.concat(tests, ignore_index=True)


def _families(scored: pd.DataFrame) -> pd.DataFrame:
    fam = scored.groupby("family").agg(
        smape=("smape", "mean"), mase=("ase", "mean"), **{f"in-{lv}": (f"in-{lv}", "mean") for lv in LEVELS},
        points=("smape", "size"),
    )
    # Overall = mean over families, so that the 238-country parliament panel does not dominate.
    fam = fam.astype(float)
    fam.loc["OVERALL (mean of families)"] = fam.mean()
    fam.loc["OVERALL (mean of families)", "points"] = fam["points"].iloc[:-1].sum()
    return fam


def report() -> None:
    train, test = build_cases(half=1)
    print(f"evaluation half: {train.groupby(['family', 'place', 'series']).ngroups} cases, "
          f"{len(test)} held-out values, origins x windows {WINDOWS}, leads 1-{HORIZON}")
    tables = {}
    for method in ("auto", "naive", "drift", "wtrend"):
        t0 = time.perf_counter()
        tables[method] = _families(run_cases(train, test, method=method))
        print(f"  {method}: {time.perf_counter() - t0:.1f} s")
    fams = tables["auto"].index
    print(f"\n{GOALS}")
    print(f"{'family':28s} {'sMAPE auto':>10s} {'naive':>7s} {'drift':>7s} {'wtrend':>7s} {'gain':>6s} | "
          f"{'MASE auto':>9s} {'naive':>6s} {'drift':>6s} {'wtrend':>6s} | {'cov80':>6s} {'cov95':>6s} {'n':>6s}")
    for f in fams:
        a = tables["auto"].loc[f]
        gain = 1 - a["smape"] / tables["naive"].loc[f, "smape"]
        print(f"{f:28s} {a['smape']:10.2f} {tables['naive'].loc[f, 'smape']:7.2f} "
              f"{tables['drift'].loc[f, 'smape']:7.2f} {tables['wtrend'].loc[f, 'smape']:7.2f} {gain:6.1%} | "
              f"{a['mase']:9.3f} {tables['naive'].loc[f, 'mase']:6.3f} {tables['drift'].loc[f, 'mase']:6.3f} "
              f"{tables['wtrend'].loc[f, 'mase']:6.3f} | {a['in-80']:6.1%} {a['in-95']:6.1%} {int(a['points']):6d}")
    a = tables["auto"].loc["OVERALL (mean of families)"]
    gain = 1 - a["smape"] / tables["naive"].loc["OVERALL (mean of families)", "smape"]
    ok = gain >= 0.10 and abs(a["in-80"] - 0.80) <= 0.05 and abs(a["in-95"] - 0.95) <= 0.03
    print(f"\nOVERALL: sMAPE gain over naive {gain:.1%} (goal >= 10%); coverage 80% -> {a['in-80']:.1%} "
          f"(goal 75-85%), 95% -> {a['in-95']:.1%} (goal 92-98%): {'GOALS MET' if ok else 'GOALS NOT MET'}")


#: Interval levels whose interval scores are summed to fit and choose the widths (a proper scoring rule:
#: Gneiting & Raftery 2007, the MSIS of the M4 competition at several levels), instead of a loss built
#: from the coverage tolerances.
SCORED_LEVELS = (50, 80, 95)


def interval_score(u: np.ndarray, c: np.ndarray, df: float) -> np.ndarray:
    """Mean interval score, summed over :data:`SCORED_LEVELS`, of central Student-t intervals ``±q·c``
    around 0 for standardised errors ``u`` (rows) and each scale in ``c`` (columns)."""
    a = np.abs(u)[:, None]
    total = np.zeros(len(c))
    for lv in SCORED_LEVELS:
        alpha = 1 - lv / 100
        half = quantile_multiplier(1 - alpha / 2, df) * c[None, :]
        total += (2 * half + (2 / alpha) * np.maximum(a - half, 0)).mean(axis=0)
    return total


def _fit_width(u: np.ndarray, lead: np.ndarray, df: float = math.inf) -> tuple[float, float]:
    """Fit the sd factor ``a*h**g``: per lead the scale with the lowest interval score, then a line in logs."""
    hs, cs, ws = [], [], []
    grid = np.exp(np.linspace(np.log(0.05), np.log(50), 400))
    for h in range(1, HORIZON + 1):
        a = u[lead == h]
        if a.size < 20:
            continue
        hs.append(h), cs.append(grid[np.argmin(interval_score(a, grid, df))]), ws.append(a.size)
    g, loga = np.polyfit(np.log(hs), np.log(cs), 1, w=np.sqrt(ws))
    return float(np.exp(loga)), float(g)


def _auto_interval_score(scored: pd.DataFrame, df: float) -> float:
    """Mean over families of the summed interval score (on the model scale, in units of the case's sd)."""
    z = np.empty(len(scored))
    for s in models.SCALES:
        r = (scored["scale"] == s).to_numpy()
        z[r] = models.to_scale(scored.loc[r, "value"].to_numpy(), s)
    u = (z - scored["loc"].to_numpy()) / scored["sd"].to_numpy()
    sd = scored["sd"].to_numpy()
    per = np.zeros(len(scored))
    for lv in SCORED_LEVELS:
        alpha = 1 - lv / 100
        half = quantile_multiplier(1 - alpha / 2, df)
        per += sd * (2 * half + (2 / alpha) * np.maximum(np.abs(u) - half, 0))
    return float(pd.Series(per).groupby(scored["family"].to_numpy()).mean().mean())


def calibrate() -> None:
    """Derive ``Calibration.width`` per (method, bucket) and the t degrees of freedom on the calibration half.

    For each candidate ``df`` the widths are fitted by the interval score, then the whole default
    (``auto``) is re-run on the calibration half; the ``df`` and ``prior_weight`` with the lowest interval
    score of ``auto`` (a proper score, coverage printed beside it) are chosen. The evaluation half is
    never looked at here.
    """
    train, test = build_cases(half=0)
    # Neutral widths (sd = s) and no own-error rescaling: u is then the error in units of s.
    raw = {(m, b): (1.0, 0.0) for m in models.METHODS for b in ("2-4", "5-7", "8+")}
    errors = {}
    for method in models.METHODS:
        sc = run_cases(train, test, method=method, calibration=Calibration(width=raw, prior_weight=1e12))
        z = np.empty(len(sc))
        for s in models.SCALES:
            r = (sc["scale"] == s).to_numpy()
            z[r] = models.to_scale(sc.loc[r, "value"].to_numpy(), s)
        u = (z - sc["loc"].to_numpy()) / sc["sd"].to_numpy()
        errors[method] = (u, sc["lead"].to_numpy(), sc["n_obs"].map(_bucket).to_numpy())
    results = []
    for df in (math.inf, 8.0, 6.0, 5.0, 4.0, 3.0):
        width: dict[tuple[str, str], tuple[float, float]] = {}
        for method, (u, lead, buckets) in errors.items():
            for b in ("2-4", "5-7", "8+"):
                r = buckets == b
                width[(method, b)] = _fit_width(u[r], lead[r], df)
        for k0 in (6.0, 20.0):
            cal = Calibration(width=width, prior_weight=k0, df=df)
            scored = run_cases(train, test, method="auto", calibration=cal)
            o = _families(scored).loc["OVERALL (mean of families)"]
            loss = _auto_interval_score(scored, df)
            results.append((loss, df, k0, width, o))
            print(f"df={df:g} prior_weight={k0:g}: interval score {loss:.4f}, sMAPE {o['smape']:.2f} "
                  f"MASE {o['mase']:.3f} cov80 {o['in-80']:.1%} cov95 {o['in-95']:.1%}")
    loss, df, k0, width, o = min(results, key=lambda r: r[0])
    print(f"\nchosen on the calibration half by the interval score: df={df:g}, prior_weight={k0:g} "
          f"(cov80 {o['in-80']:.1%}, cov95 {o['in-95']:.1%})")
    print("width = {")
    for k, (a, g) in width.items():
        print(f"    {k!r}: ({a:.3f}, {g:.3f}),")
    print("}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--make-panels", action="store_true")
    parser.add_argument("--calibrate", action="store_true")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    if args.make_panels:
        make_panels()
    elif args.calibrate:
        calibrate()
    else:
        if not DEFAULT_CALIBRATION.width:
            print("warning: DEFAULT_CALIBRATION has no widths yet; run --calibrate", file=sys.stderr)
        report()
    print(f"backtest.py finished in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
