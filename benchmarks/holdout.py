"""The projection on held-out real panels, beside naive, drift and statsforecast's peers: the sets nobody tuned it to
(holdout_fresh3 … holdout_fresh5) and the odd half of the sets read before them.

Usage:
    python benchmarks/holdout.py                   # the sets read before 2026-12-06, their odd half (peers if
                                                   # their venv exists)
    python benchmarks/holdout.py --set fresh4      # a set kept out of every fit: only to judge a change
                                                   # (holdout | fresh | fresh2 | fresh3 | fresh4 | fresh5 | spent | all)
    python benchmarks/holdout.py --make-panels     # copy the held-out panels from /work/shared/data
    python benchmarks/holdout.py --no-peers        # skip statsforecast
    python benchmarks/holdout.py --make-fresh DIR --which fresh3   # copy a fresh set from WDI datapoint files in DIR

``--set fresh3``, ``fresh4`` and ``fresh5`` score the sets kept out of every fit: never the default, so that a routine
``make bench`` does not read them; run one only to judge a change, and count the read in data/panels/README.md.
The three sets read before 2026-12-06 (holdout, fresh, fresh2) have their even half of places in the calibration's
panels since then (benchmarks/backtest.py's SPENT): only their odd half is scored.

Held-out panels (data/panels/holdout/): survey-based, gappy series of a different character from the
panels the interval constants were derived on (data/panels): completion rates of girls (capped at 100%),
women married by 18 (household surveys, years apart), firms with a female top manager, women's unpaid
care time, and the WPP adolescent fertility rate. No constant of the library was fitted on them before 2026-12-06;
since then their even half is in the calibration's panels, like the two fresh sets below.
These panels have been read while the default was developed (their figures printed, misses studied), so
they are no longer a clean test of a change made after reading them.

Fresh held-out panels (data/panels/holdout_fresh/), copied on 2026-12-05 and scored here for the first time
with the default as it stood: women's tertiary enrolment (administrative, gross ratio, on the ratio scale: it
passes 100%), women's labour-force participation, unemployment and employers (ILO modelled; the last small
rates), anaemia among women (WHO modelled), women's share of people living with HIV (UNAIDS modelled) and
teenage mothers (household surveys years apart; a relative of the adolescent birth rate panels, another
measure from other sources). Four more WDI series copied the same day (contraceptive prevalence, prenatal
care, births attended, family planning satisfied) were scored in the first run and then dropped, before any
change to the projection: the survey training panels (data/panels/survey/) hold them or their SDG twins. No
fresh panel shares an indicator with a training or an older held-out panel. Each set is reported on its own.
The fresh set was scored a second time on 2026-12-05, after one change chosen on the training panels (the
slope read off two values capped, models.TWO_POINT_CAP), and a third time the same day after a second one (a
Student-t with 2.5 degrees of freedom, widths refitted on the calibration half): it has now been read three times.
A fourth run on 2026-12-06, with the projection unchanged, printed the same figures and the reliability goal's
chance line.

Second fresh held-out panels (data/panels/holdout_fresh2/), copied on 2026-12-06 before anyone scored them: the fresh
set has been read three times, so the next change to the projection is judged on a set nobody has read. WDI
series of other producers and characters: women's suicide mortality (WHO; five estimates, 2000-2016), women
contributing family workers (ILO modelled), HIV prevalence among young women 15-24 (UNAIDS modelled; small
rates), women 25+ who completed at least lower secondary (censuses and surveys, years apart), women's adult
mortality (UN WPP modelled, per 1,000) and the gender parity index of primary and secondary enrolment
(administrative, a ratio). None shares an indicator with a training or an older held-out panel. It was read on
2026-12-06 to judge one change (projection.STAY_PRIOR), once before and once with it, and a third time with a
second (projection.ROUGH_POWER) sought after the second read; data/panels/README.md has the figures. It no longer
judges a further change cleanly.

Third fresh held-out panels (data/panels/holdout_fresh3/), copied on 2026-12-06 after the three sets above had joined
the calibration's panels, to judge that change: women's share of primary teachers (UNESCO UIS, administrative), the
Women, Business and the Law index (step-like), women's tobacco use (WHO, some years), girls' under-5 mortality (UN
IGME), women's part-time employment (ILO, labour force surveys) and women's employment in industry (ILO modelled).
Nothing is fitted on them.

Fourth fresh held-out panels (data/panels/holdout_fresh4/), copied the same day and read once to measure the shipped
default on series nobody had read: girls' pre-primary enrolment (UIS, a gross ratio), the fertility rate (UN WPP),
girls' net primary enrolment (UIS), firms with women among their owners (Enterprise Surveys, years apart), women 25+
with at least a bachelor's degree (censuses and surveys) and women's share of the population (UN WPP).

Fifth fresh held-out panels (data/panels/holdout_fresh5/), copied the same day to judge the local trend of the smoothest
annual series: women's life expectancy (UN WPP), women in services and in vulnerable employment and young women's
unemployment (ILO modelled), girls' gross secondary enrolment and share of secondary pupils (UIS).

At each origin (2008, 2011, 2014) a series keeps its values of the 15 years up to the origin (at least 2)
and is scored on the years origin+1 … origin+5 that it has. Scores: sMAPE and MASE (scale: the case's
mean absolute annual change before the origin) and their ratio to naive; coverage of the 50/80/95%
intervals; MSIS (95%, scaled like MASE); CRPS from 19 quantiles (scaled like MASE).
The default's ratios to naive and to every peer, and its coverage, are printed with 90% intervals from a
bootstrap of places within panels (a place's held-out years move together): is a miss of the goal larger
than the noise of this one set of places?
The ratios per panel follow: every panel weighs the same in an origin's figure, so a panel of five
series can carry a miss.

p_meet: each case and lead gets a synthetic target from what was known at the origin (last value ±
u · annual move · lead, u uniform in [−3, 3], "at least" or "at most" in turn). The climatology (share
met) and a recalibration of p_meet (logistic on logit p, 2 parameters; a diagnostic, the library does not
apply it) are fitted only on back-tests whose held-out years end by the origin scored (origins ≤ origin −
5), on both panel sets. The goals are judged on the p the library ships. Brier score against climatology
and reliability tables (deciles, with each decile's 95% binomial band) are printed.

Peers run in a separate venv (requirements-bench.txt: statsforecast is benchmark-only, never a runtime
dependency):  python3 -m venv .venv-bench && .venv-bench/bin/pip install -r requirements-bench.txt
(or point BENCH_PYTHON at another interpreter that has them).
Without it the script runs and says the peers were skipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from gender_monitor.forecast.backtest import (
    CRPS_LEVELS,
    half_of,
    make_span_cases,
    place_bootstrap,
    scaled_crps,
    stratum_mean,
)
from gender_monitor.forecast.projection import project

ROOT = Path(__file__).resolve().parents[1]
HOLDOUT = ROOT / "data" / "panels" / "holdout"
FRESH = ROOT / "data" / "panels" / "holdout_fresh"
FRESH2 = ROOT / "data" / "panels" / "holdout_fresh2"
FRESH3 = ROOT / "data" / "panels" / "holdout_fresh3"
FRESH4 = ROOT / "data" / "panels" / "holdout_fresh4"
FRESH5 = ROOT / "data" / "panels" / "holdout_fresh5"
PANELS = ROOT / "data" / "panels"
SHARED = Path("/work/shared/data")
BENCH_PYTHON = Path(os.environ.get("BENCH_PYTHON", str(ROOT / ".venv-bench" / "bin" / "python")))
ORIGINS = (2008, 2011, 2014)
HORIZON = 5
WINDOW = 15
LEVELS = (50, 80, 95)
QUANTILE_LEVELS = CRPS_LEVELS  # central intervals → quantiles 0.05 … 0.95
#: Bootstrap of the held-out places (within each panel) behind the 90% intervals printed beside the ratios.
BOOT_REPS = 400
#: The reliability goal judges the probability deciles with at least this many cases.
MIN_DECILE_CASES = 100
GOAL = ("goals: sMAPE ≤ 1.00× naive and MASE ≤ 0.95× naive, ahead of every peer on both; coverage 50/80/95 "
        "within ±5/±5/±3 points; Brier ≤ 0.9× climatology; reliability within ±0.05 in deciles with 100+ cases")

SDG = "open-numbers/ddf--unstats--sdg_indicators"
WDI = "open-numbers/ddf--world_bank--world_development_indicators"
# file, source file, source code, unit, title, repository, commit
HOLDOUT_SPECS = [
    ("sdg_completion_primary_f.csv", "sdg_gender_panel_2020.csv", "SE_TOT_CPLR.PRIMAR.F", "percent",
     "Completion rate, primary, girls (survey-based, SDG 4.1.2)", SDG, "1bfae15828a86ad30e86872411534f5c8136d784"),
    ("sdg_completion_lowsec_f.csv", "sdg_gender_panel_2020.csv", "SE_TOT_CPLR.LOWSEC.F", "percent",
     "Completion rate, lower secondary, girls (survey-based, SDG 4.1.2)", SDG,
     "1bfae15828a86ad30e86872411534f5c8136d784"),
    ("sdg_unpaid_care_f.csv", "sdg_gender_panel_2020.csv", "SL_DOM_TSPD.F", "percent",
     "Time spent on unpaid domestic and care work, women 15+, % of 24h (SDG 5.4.1)", SDG,
     "1bfae15828a86ad30e86872411534f5c8136d784"),
    ("wdi_married_by_18.csv", "wdi_gender_indicators.csv", "SP.M18.2024.FE.ZS", "percent",
     "Women aged 20-24 first married or in union by age 18 (household surveys)", WDI,
     "2757f2875d01d387b9369b8e8c6952ee1f6bb10b"),
    ("wdi_firms_female_manager.csv", "wdi_gender_indicators.csv", "IC.FRM.FEMM.ZS", "percent",
     "Firms with a female top manager, % (Enterprise Surveys)", WDI, "0656517bbd3dfcd9e0d834cb6039de0d64753c61"),
    ("wdi_adolescent_fertility.csv", "wdi_gender_indicators.csv", "SP.ADO.TFRT", "per_1000",
     "Adolescent fertility rate, births per 1,000 women 15-19 (UN WPP)", WDI,
     "0f0d0962479dd72d29a3b725072fefa1da633c99"),
    # Added later, of yet another character: seats that change only at local elections (step-like), and
    # child marriage from household surveys years apart (small rates: married before 15).
    ("sdg_local_government_seats_f.csv", "sdg_gender_panel_2020.csv", "SG_GEN_LOCGELS", "percent",
     "Seats held by women in local governments, % (SDG 5.5.1b)", SDG, "1bfae15828a86ad30e86872411534f5c8136d784"),
    ("sdg_married_before_18.csv", "sdg_gender_panel_2020.csv", "SP_DYN_MRBF18", "percent",
     "Women aged 20-24 married or in a union before age 18, % (SDG 5.3.1, household surveys)", SDG,
     "1bfae15828a86ad30e86872411534f5c8136d784"),
    ("sdg_married_before_15.csv", "sdg_gender_panel_2020.csv", "SP_DYN_MRBF15", "percent",
     "Women aged 20-24 married or in a union before age 15, % (SDG 5.3.1, household surveys; small rates)", SDG,
     "1bfae15828a86ad30e86872411534f5c8136d784"),
]


# The fresh sets: WDI datapoint files (economy,year,<code>) as the open-numbers DDF repository holds them.
# file, code, unit, divide by, title, commit of the repository, md5 of the source file an independent second
# copy matched
FRESH_SPECS = [
    ("wdi_tertiary_enrolment_f.csv", "se_ter_enrr_fe", "ratio", 100,
     "School enrolment, tertiary, female, gross ratio (the % divided by 100: a gross ratio passes 100%)",
     "4deabc0d84657e3dcc1374a4b5d8226341a10aa0", "22406df8e93e4d6415c6a430c1d5cc44"),
    ("wdi_labour_force_participation_f.csv", "sl_tlf_cact_fe_zs", "percent", 1,
     "Labour force participation rate, female, % of female population 15+ (ILO modelled estimate)",
     "57f72f1b709f55c3e31451eaa6fd26a1ea18b7c7", "3302a3e081097330360795d7428cd637"),
    # Added the same day, before the set was scored with them.
    ("wdi_employers_f.csv", "sl_emp_mpyr_fe_zs", "percent", 1,
     "Employers, female, % of female employment (ILO modelled estimate; small rates)",
     "5862f98b51b486b262164f2bb54e2e4ea4e312f6", "9e9ef96d200c99c03444323bc6375281"),
    ("wdi_unemployment_f.csv", "sl_uem_totl_fe_zs", "percent", 1,
     "Unemployment, female, % of female labour force (ILO modelled estimate)",
     "c7aa88929a6fefb9526214d999519fbd6fa0ea7f", "9aa0845a7ccf61bcc1cc74d186adbb21"),
    ("wdi_anaemia_women.csv", "sh_anm_allw_zs", "percent", 1,
     "Prevalence of anaemia among women of reproductive age, % (WHO modelled estimate)",
     "ab6481b6950c1c6858bdeb97e46f8d400cb41669", "082bc7f2aec737a4d2ed46bb234c7c36"),
    ("wdi_teenage_mothers.csv", "sp_mtr_1519_zs", "percent", 1,
     "Teenage mothers, % of women 15-19 who have had children or are pregnant (household surveys, years apart)",
     "ce8d40734e905c2d6bfa8a8ec9f9a4c151e38b6c", "53d8082a8c996ce1e033f811b84585f4"),
    ("wdi_hiv_women_share.csv", "sh_dyn_aids_fe_zs", "percent", 1,
     "Women's share of the population 15+ living with HIV, % (UNAIDS modelled estimate)",
     "9ec955f64d0ef26766b97332809f7f5e267f179b", "d000aec9ed4ca4f08ab2182a26186ab5"),
]
# The second fresh set, copied on 2026-12-06 for the next change to the projection: WDI series of yet other
# producers and characters, none an indicator of a training or an older held-out panel. Each source file was
# copied keeping its header and its rows of 1990-2020 (origins 2008-2014 use 1994-2019), and the md5 is that copy's.
FRESH2_SPECS = [
    ("wdi_suicide_mortality_f.csv", "sh_sta_suic_fe_p5", "per_100000", 1,
     "Suicide mortality rate, female, per 100,000 female population (WHO; estimates for 2000, 2005, 2010, 2015 "
     "and 2016 only)", "01a174d9a01e6c4ece1e69a9775997978c87e963", "720b6f19a2c859b2feef95bfa2e64adc"),
    ("wdi_contributing_family_workers_f.csv", "sl_fam_work_fe_zs", "percent", 1,
     "Contributing family workers, female, % of female employment (ILO modelled estimate)",
     "739e623ddd8e417bb8e63d9d7ac95625c87c0484", "69163ff67401039c75a42df5fc167ebf"),
    ("wdi_hiv_prevalence_young_women.csv", "sh_hiv_1524_fe_zs", "percent", 1,
     "Prevalence of HIV, female, % of ages 15-24 (UNAIDS modelled estimate; small rates)",
     "01a174d9a01e6c4ece1e69a9775997978c87e963", "166b04d5429dcc55ebae8455db9bf76c"),
    ("wdi_lower_secondary_attainment_f.csv", "se_sec_cuat_lo_fe_zs", "percent", 1,
     "Educational attainment, at least completed lower secondary, population 25+, female, % (censuses and "
     "surveys, years apart)", "58f84a58295ef7be14c02236253f35d86848b93b", "1b4ee1b46a34a5c632643ba24b53b069"),
    ("wdi_adult_mortality_f.csv", "sp_dyn_amrt_fe", "per_1000", 1,
     "Mortality rate, adult, female, per 1,000 female adults (UN WPP modelled estimate)",
     "01a174d9a01e6c4ece1e69a9775997978c87e963", "a2c16fa2cab4a3fb530ee9203f83b0ea"),
    ("wdi_enrolment_parity_primary_secondary.csv", "se_enr_prsc_fm_zs", "ratio", 1,
     "School enrolment, primary and secondary (gross), gender parity index (GPI; administrative)",
     "018e4ae8f741f8fac93bfb57778459d92bfa69cf", "f762412a71aee30dd290a219fcecf74a"),
]
# The third fresh set, copied on 2026-12-06 after the first two had been read and joined the calibration's panels
# (backtest.py's SPENT): kept out of every fit, to judge that change. Copied like the second (rows of 1990-2020).
FRESH3_SPECS = [
    ("wdi_primary_teachers_f.csv", "se_prm_tchr_fe_zs", "percent", 1,
     "Primary education, teachers, % female (UNESCO UIS, administrative; years missing)",
     "ce8d40734e905c2d6bfa8a8ec9f9a4c151e38b6c", "b03a558ca38de4def2f6ba03d9778fbb"),
    ("wdi_women_business_law_index.csv", "sg_law_indx", "percent", 1,
     "Women, Business and the Law index score, 1-100 (World Bank; moves only when a law changes: step-like). A "
     "score, not a share: held on the percent scale for its bounds", "57f72f1b709f55c3e31451eaa6fd26a1ea18b7c7",
     "bb92e2104c3accf30bdec9e902a26e5e"),
    ("wdi_tobacco_use_f.csv", "sh_prv_smok_fe", "percent", 1,
     "Prevalence of current tobacco use, females, % of female adults (WHO estimates, some years only)",
     "5862f98b51b486b262164f2bb54e2e4ea4e312f6", "2c7d173df97817868775ece0f48a1bb2"),
    ("wdi_under5_mortality_f.csv", "sh_dyn_mort_fe", "per_1000", 1,
     "Mortality rate, under-5, female, per 1,000 live births (UN IGME modelled estimate)",
     "b0807b323a3da599b201bb1e0523f9823330bf88", "6afe429292e41bc9f2c284761a376145"),
    ("wdi_part_time_employment_f.csv", "sl_tlf_part_fe_zs", "percent", 1,
     "Part-time employment, female, % of total female employment (ILO, labour force surveys)",
     "38c721b9edb828c308531a0afc0007c76b6ef8da", "1fa53988a131a02badd683124cbccc97"),
    ("wdi_industry_employment_f.csv", "sl_ind_empl_fe_zs", "percent", 1,
     "Employment in industry, female, % of female employment (ILO modelled estimate)",
     "5862f98b51b486b262164f2bb54e2e4ea4e312f6", "8466a55a4f75262e4e46c3341372f42c"),
]
# The fourth fresh set, copied on 2026-12-06 while the third was being read, to measure the shipped default once
# more on series nobody had read (no change judged). Copied like the second (rows of 1990-2020).
FRESH4_SPECS = [
    ("wdi_preprimary_enrolment_f.csv", "se_pre_enrr_fe", "ratio", 100,
     "School enrolment, pre-primary, female, gross ratio (UNESCO UIS, administrative; the % divided by 100: a gross "
     "ratio passes 100%)", "4deabc0d84657e3dcc1374a4b5d8226341a10aa0", "b8bdb8dc2bb7bc3fdd4b86073ae78dc0"),
    ("wdi_fertility_rate.csv", "sp_dyn_tfrt_in", "ratio", 1,
     "Fertility rate, total, births per woman (UN WPP modelled estimate)", "4deabc0d84657e3dcc1374a4b5d8226341a10aa0",
     "e23badad4aa896f0f4f0d95b2e9c1c42"),
    ("wdi_primary_net_enrolment_f.csv", "se_prm_nenr_fe", "percent", 1,
     "School enrolment, primary, female, net % (UNESCO UIS, administrative; years missing)",
     "9679716dc4984dd3f4391dec7fc5c9cd853041ca", "f5962efcb1fd63cee25d8c90efcab112"),
    ("wdi_firms_female_ownership.csv", "ic_frm_femo_zs", "percent", 1,
     "Firms with female participation in ownership, % of firms (World Bank Enterprise Surveys, years apart)",
     "018e4ae8f741f8fac93bfb57778459d92bfa69cf", "f74177566fa0063a74df36dcac3d7525"),
    ("wdi_bachelor_attainment_f.csv", "se_ter_cuat_ba_fe_zs", "percent", 1,
     "Educational attainment, at least Bachelor's or equivalent, population 25+, female, % (censuses and surveys, "
     "years apart)", "6657be127a53fb20580ff485871272699442dfc4", "dd8d0080536a38e8a8fb3d892e5f53fa"),
    ("wdi_female_population_share.csv", "sp_pop_totl_fe_zs", "percent", 1,
     "Population, female, % of total population (UN WPP modelled estimate)",
     "c5e4d0313c123bd5957d51264583bb1bc261b946", "1af4fba1dfa0d90c9d55b84579a8e3d7"),
]
# The fifth fresh set, copied on 2026-12-06 to judge the local trend of the smoothest series (projection.SMOOTH_CUT).
# Copied like the second (rows of 1990-2020).
FRESH5_SPECS = [
    ("wdi_life_expectancy_f.csv", "sp_dyn_le00_fe_in", "ratio", 10,
     "Life expectancy at birth, female, in decades (UN WPP modelled estimate; the years divided by 10, a ratio's range "
     "being 0-20: on the log scale a constant factor changes no forecast or score)",
     "0cf74c754ac1f8b7e9fb13586ec6dd629b1a8ae9", "1760a7ff875d417171aac3b3db815934"),
    ("wdi_services_employment_f.csv", "sl_srv_empl_fe_zs", "percent", 1,
     "Employment in services, female, % of female employment (ILO modelled estimate)",
     "27e879ebbfed712488136d171fe8625deba215f7", "9b194d337ecf1c26b5aed26b3abda8ea"),
    ("wdi_vulnerable_employment_f.csv", "sl_emp_vuln_fe_zs", "percent", 1,
     "Vulnerable employment, female, % of female employment (ILO modelled estimate)",
     "018e4ae8f741f8fac93bfb57778459d92bfa69cf", "0605e1ad5707ee920068d91c98134064"),
    ("wdi_secondary_enrolment_f.csv", "se_sec_enrr_fe", "ratio", 100,
     "School enrolment, secondary, female, gross ratio (UNESCO UIS, administrative; the % divided by 100: a gross "
     "ratio passes 100%)", "ce83ace6ec8f59c6e82d8d76acaa652f554d3c25", "b5c624825466318b159db4f97edcbbbe"),
    ("wdi_youth_unemployment_f.csv", "sl_uem_1524_fe_zs", "percent", 1,
     "Unemployment, youth female, % of female labour force ages 15-24 (ILO modelled estimate)",
     "01a174d9a01e6c4ece1e69a9775997978c87e963", "f576d4ce899f83f7c5d596743cedeabc"),
    ("wdi_secondary_pupils_female_share.csv", "se_sec_enrl_fe_zs", "percent", 1,
     "Secondary education, pupils, % female (UNESCO UIS, administrative)",
     "0656517bbd3dfcd9e0d834cb6039de0d64753c61", "0a56cf888994ecb3eee785d7c1b8ab75"),
]
#: World Bank aggregates (regions, income and lending groups) in WDI files: not countries, left out.
WB_AGGREGATES = frozenset(
    "afe afw arb ceb css eap ear eas eca ecs emu euu fcs hic hpc ibd ibt ida idb idx inx lac lcn ldc lic lmc lmy "
    "lte mea mic mna nac oed oss pre pss pst sas ssa ssf sst tea tec tla tmn tsa tss umc wld".split())


@dataclass(frozen=True)
class FreshSet:
    """A set of fresh held-out panels copied from WDI datapoint files: where it lives, its sources and what
    its provenance files say of it."""

    folder: Path
    specs: list[tuple[str, str, str, int, str, str, str]]
    notes: str  # how the set has been used, first in each .meta.yml's notes
    compared: str  # the second copy's comparison, as each .meta.yml records it
    copy_note: str = ""  # how the source files were copied, when not whole


#: What the provenance of each set copied on 2026-12-06 says of its second copy and of how its files were copied.
COMPARED_0612 = "identical (an independent second copy, 2026-12-06)"
ROWS_1990_2020 = ("The source file was copied keeping its header and its rows of 1990-2020, in the source's order; the "
                  "md5 is that copy's.")
FRESH_SETS = {
    "fresh": FreshSet(
        FRESH, FRESH_SPECS,
        "Fresh held-out set: first scored by benchmarks/holdout.py on 2026-12-05 with the default as it stood; "
        "never used to fit or choose anything.", "identical (an independent second copy, 2026-12-05)"),
    "fresh2": FreshSet(
        FRESH2, FRESH2_SPECS,
        "Second fresh held-out set: copied 2026-12-06 and first scored that day, to judge one change chosen on the "
        "training panels; never used to fit or choose anything.",
        COMPARED_0612, ROWS_1990_2020),
    "fresh3": FreshSet(
        FRESH3, FRESH3_SPECS,
        "Third fresh held-out set: copied 2026-12-06, kept out of every fit, first scored that day to judge the "
        "calibration widened to the panels of the sets read before it; never used to fit or choose anything.",
        COMPARED_0612, ROWS_1990_2020),
    "fresh4": FreshSet(
        FRESH4, FRESH4_SPECS,
        "Fourth fresh held-out set: copied 2026-12-06 and read once that day to measure the shipped default on series "
        "nobody had read; never used to fit or choose anything.",
        COMPARED_0612, ROWS_1990_2020),
    "fresh5": FreshSet(
        FRESH5, FRESH5_SPECS,
        "Fifth fresh held-out set: copied 2026-12-06 and kept out of every fit, to judge one change chosen on the "
        "calibration's panels (the local trend of the smoothest annual series); never used to fit or choose anything.",
        COMPARED_0612, ROWS_1990_2020),
}


def make_fresh(sources: list[Path], which: str = "fresh") -> None:
    """Copy the fresh held-out set ``which`` (a key of ``FRESH_SETS``) from WDI datapoint files in ``sources``
    (the first folder holding a file is read; countries only), each panel with a provenance .meta.yml.

    A panel already copied is kept as it is (with its provenance and access date). A source file whose md5
    is not the one an independent second copy matched is refused.
    """
    fresh = FRESH_SETS[which]
    fresh.folder.mkdir(parents=True, exist_ok=True)
    for name, code, unit, divide, title, commit, md5 in fresh.specs:
        if (fresh.folder / name).exists():
            continue
        source = next(d for d in sources if (d / f"{code}.csv").is_file()) / f"{code}.csv"
        found = hashlib.md5(source.read_bytes()).hexdigest()
        if found != md5:
            raise SystemExit(f"{source}: md5 {found}, not the {md5} of the compared copies")
        raw = pd.read_csv(source, dtype={"economy": str})
        raw = raw[~raw["economy"].isin(WB_AGGREGATES)]
        out = pd.DataFrame({"indicator": code.upper(), "place": raw["economy"].str.upper(),
                            "year": raw["year"].astype(int), "value": (raw[code] / divide).round(4), "unit": unit,
                            "source": code.upper(), "status": "official"}).sort_values(["place", "year"])
        out.to_csv(fresh.folder / name, index=False)
        path = f"datapoints/ddf--datapoints--{code}--by--economy--year.csv"
        meta = {"title": title, "url": f"https://github.com/{WDI}/blob/{commit}/{path}",
                "date_accessed": dt.date.today().isoformat(), "licence": "CC BY 4.0",
                "citation": f"World Bank, World Development Indicators, {code.upper()}; via open-numbers DDF ({WDI}).",
                "copied_from": {"repository": WDI, "commit": commit, "file": path},
                "notes": " ".join(filter(None, [
                    fresh.notes, "World Bank aggregates left out.",
                    f"{len(out)} rows, {out['place'].nunique()} countries, {out['year'].min()}-{out['year'].max()}.",
                    (f"Values are the source's {'%' if divide == 100 else 'values'} divided by {divide}."
                     if divide != 1 else ""), fresh.copy_note])),
                "second_copy": {"md5_of_source_file": md5, "compared": fresh.compared}}
        (fresh.folder / f"{name}.meta.yml").write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True))
        print(f"wrote {fresh.folder.name}/{name}: {len(out)} rows")


def make_panels() -> None:
    """Copy the held-out panels into the observation format, each with a provenance .meta.yml."""
    HOLDOUT.mkdir(parents=True, exist_ok=True)
    for name, src, code, unit, title, repo, commit in HOLDOUT_SPECS:
        if (HOLDOUT / name).exists():  # a panel already copied keeps its provenance (and its access date)
            continue
        raw = pd.read_csv(SHARED / src, dtype={"indicator_code": "str", "geography": "str"})
        raw = raw[raw["indicator_code"] == code]
        out = pd.DataFrame({"indicator": code, "place": raw["geography"], "year": raw["year"].astype(int),
                            "value": raw["value"].round(4), "unit": unit, "source": code, "status": "official",
                            }).sort_values(["place", "year"])
        out.to_csv(HOLDOUT / name, index=False)
        meta = {"title": title, "url": str(raw["source_url"].iloc[0]), "date_accessed": dt.date.today().isoformat(),
                "licence": "CC BY 4.0", "citation": f"{title}, series {code}; via open-numbers DDF ({repo}).",
                "copied_from": {"repository": repo, "commit": commit, "file": f"/work/shared/data/{src}"},
                "notes": (f"Held out: used only by benchmarks/holdout.py, never to fit any constant. {len(out)} rows, "
                          f"{out['place'].nunique()} geographies, {out['year'].min()}-{out['year'].max()}.")}
        (HOLDOUT / f"{name}.meta.yml").write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True))
        print(f"wrote {name}: {len(out)} rows")


def load(folder: Path) -> pd.DataFrame:
    frames = [pd.read_csv(p, dtype={"place": str, "indicator": str}).assign(family=p.stem)
              for p in sorted(folder.glob("*.csv"))]
    return pd.concat(frames, ignore_index=True)


def cases(panel: pd.DataFrame, origin: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Training rows (years origin−14 … origin, ≥ 2 points) and held-out rows (origin+1 … origin+5)."""
    return make_span_cases(panel, origins=[origin], span=WINDOW, horizon=HORIZON)


def _ours(tr: pd.DataFrame, until: int, method: str) -> tuple[pd.DataFrame, object]:
    levels = sorted(set(LEVELS) | set(QUANTILE_LEVELS))
    res = project(tr, until=until, level=tuple(levels), method=method)
    return res.forecasts.assign(model=method if method != "auto" else "default"), res


def _peers(tr: pd.DataFrame, until: int) -> pd.DataFrame | None:
    if not BENCH_PYTHON.exists():
        return None
    with tempfile.TemporaryDirectory() as d:
        src, out = Path(d) / "train.csv", Path(d) / "peers.csv"
        tr[["indicator", "place", "series", "year", "value"]].to_csv(src, index=False)
        levels = sorted(set(LEVELS) | set(QUANTILE_LEVELS))
        proc = subprocess.run([str(BENCH_PYTHON), str(Path(__file__).with_name("peers.py")), str(src), str(out),
                               str(until), *map(str, levels)], capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(f"peers skipped: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else 'failed'}")
            return None
        return pd.read_csv(out, dtype={"indicator": str, "place": str, "series": str})


def score(fc: pd.DataFrame, te: pd.DataFrame) -> pd.DataFrame:
    keys = ["indicator", "place", "series", "year"]
    cols = [c for c in fc.columns if c in ("median", "model") or c.startswith(("lo-", "hi-"))]
    out = te.merge(fc[[*keys, *cols]], on=keys, how="inner")
    y, f, s = out["value"].to_numpy(float), out["median"].to_numpy(float), out["mase_scale"].to_numpy(float)
    denom = np.abs(y) + np.abs(f)
    out["smape"] = np.where(denom > 0, 200 * np.abs(y - f) / np.where(denom > 0, denom, 1), 0.0)
    ok = s > 0
    safe = np.where(ok, s, 1.0)
    out["ase"] = np.where(ok, np.abs(y - f) / safe, np.nan)
    for lv in LEVELS:
        out[f"in-{lv}"] = (y >= out[f"lo-{lv}"]) & (y <= out[f"hi-{lv}"])
    lo, hi, a = out["lo-95"].to_numpy(float), out["hi-95"].to_numpy(float), 0.05
    msis = (hi - lo) + 2 / a * np.maximum(lo - y, 0) + 2 / a * np.maximum(y - hi, 0)
    out["sis"] = np.where(ok, msis / safe, np.nan)
    out["scrps"] = scaled_crps(out)
    return out


def uncertainty(allsc: pd.DataFrame, models_in: list[str], reps: int = BOOT_REPS) -> str:
    """90% intervals, by a bootstrap of places within panels, of the default's sMAPE and MASE ratios to
    naive and to each other model, and of its coverage: is a miss of the goal larger than the noise of
    this one set of places?"""
    keys = ["family", "indicator", "place", "series", "year"]
    d = allsc[allsc["model"] == "default"].reset_index(drop=True)
    fam = d["family"].to_numpy()
    w = place_bootstrap(d["indicator"] + "|" + d["place"], fam, reps=reps)
    index = pd.MultiIndex.from_frame(d[keys])

    def reps_of(model: str, col: str) -> np.ndarray:
        m = allsc[allsc["model"] == model].set_index(keys)[col].reindex(index).to_numpy(float)
        return stratum_mean(m, fam, w)

    def band(x: np.ndarray, fmt: str) -> str:
        lo, hi = np.percentile(x[1:], [5, 95])
        return f"{x[0]:{fmt}} [{lo:{fmt}}, {hi:{fmt}}]"

    parts = []
    for other in [m for m in models_in if m != "default"]:
        sm = reps_of("default", "smape") / reps_of(other, "smape")
        ma = reps_of("default", "ase") / reps_of(other, "ase")
        parts.append(f"÷{other} sMAPE {band(sm, '.3f')} MASE {band(ma, '.3f')}")
    cov = [f"cov{lv} {band(100 * reps_of('default', f'in-{lv}'), '.1f')}" for lv in LEVELS]
    return (f"default, 90% intervals over {reps} bootstraps of places: " + "; ".join(parts) + "; " + ", ".join(cov))


def by_panel(fam: pd.DataFrame) -> str:
    """The default's MASE and sMAPE ratios to naive per held-out panel, and each peer's MASE ratio: where the
    origin's figure is won or lost (every panel weighs the same in it, whatever its number of held-out values)."""
    d, n = fam.xs("default"), fam.xs("naive")
    mase, smape = d["mase"] / n["mase"], d["smape"] / n["smape"]
    peers = [m for m in ("ets", "theta", "arima") if m in fam.index.get_level_values(0)]

    def peer_text(panel: str) -> str:
        said = [f"{m} {fam.loc[(m, panel), 'mase'] / n.loc[panel, 'mase']:.3f}" for m in peers]
        return f" [MASE {', '.join(said)}]" if said else ""

    return "by panel, default ÷ naive MASE / sMAPE (held-out values) [peers' MASE ÷ naive]: " + "; ".join(
        f"{panel} {mase[panel]:.3f} / {smape[panel]:.3f} ({int(n.loc[panel, 'n'])}){peer_text(panel)}"
        for panel in d.index)


def synthetic_targets(te: pd.DataFrame, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    lead = (te["year"] - te["last_year"]).to_numpy(float)
    move = np.maximum(te["mase_scale"].to_numpy(float), 0.01 * np.abs(te["last_value"].to_numpy(float)) + 1e-6)
    u = rng.uniform(-3, 3, size=len(te))
    thr = te["last_value"].to_numpy(float) + u * move * lead
    upper = np.where(te["unit"].to_numpy() == "percent", 100.0, np.inf)
    thr = np.clip(thr, 0.0, upper)
    comp = np.where(np.arange(len(te)) % 2 == 0, ">=", "<=")
    met = np.where(comp == ">=", te["value"].to_numpy(float) >= thr, te["value"].to_numpy(float) <= thr)
    return te.assign(threshold=thr, comparator=comp, met=met)


def p_meet_cases(panel: pd.DataFrame, origin: int) -> pd.DataFrame:
    """The default's p_meet for synthetic targets at one origin, with whether each was met."""
    tr, te = cases(panel, origin)
    if te.empty:
        return te.assign(p=[], met=[])
    fc, res = _ours(tr, int(te["year"].max()), "auto")
    te = synthetic_targets(te, origin)
    fc = fc.reset_index()
    joined = te.merge(fc[["index", "indicator", "place", "series", "year"]], on=["indicator", "place", "series",
                                                                                 "year"])
    p = np.empty(len(joined))
    for comp in (">=", "<="):
        r = (joined["comparator"] == comp).to_numpy()
        if r.any():
            rows = res.forecasts.loc[joined.loc[r, "index"].to_numpy()]
            sub = type(res)(forecasts=rows.reset_index(drop=True), skipped=res.skipped, levels=res.levels)
            p[r] = sub.p_meet(joined.loc[r, "threshold"].to_numpy(float), comp).to_numpy()
    return joined.assign(p=p)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def fit_recalibration(p: np.ndarray, met: np.ndarray) -> tuple[float, float]:
    """Logistic regression of met on logit(p): two parameters (Newton's method)."""
    x = np.column_stack([np.ones(len(p)), _logit(p)])
    w = np.zeros(2)
    w[1] = 1.0
    for _ in range(50):
        m = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (met - m)
        hess = (x * (m * (1 - m))[:, None]).T @ x + 1e-6 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        w += step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), float(w[1])


def deciles(p: np.ndarray) -> np.ndarray:
    """The probability decile (0-9) of each ``p``, as the reliability table and the goal count them."""
    return np.clip((p * 10).astype(int), 0, 9)


def reliability(p: np.ndarray, met: np.ndarray) -> pd.DataFrame:
    """Deciles of ``p``: cases, mean p, share met, their gap, and the gap that chance alone reaches 5% of
    the time in a decile of that size (``band``: 1.96 binomial standard errors at the mean p), so that a
    miss of ±0.05 can be told from the noise of one set of cases."""
    bins = deciles(p)
    t = pd.DataFrame({"bin": bins, "p": p, "met": met.astype(float)}).groupby("bin").agg(
        n=("p", "size"), mean_p=("p", "mean"), share_met=("met", "mean"))
    t["gap"] = t["share_met"] - t["mean_p"]
    t["band"] = 1.96 * np.sqrt(t["mean_p"] * (1 - t["mean_p"]) / t["n"])
    return t


def calibrated_chance(p: np.ndarray, reps: int = 2000, seed: int = 0) -> tuple[float, float]:
    """What the reliability goal asks of a perfectly calibrated ``p`` at these decile sizes.

    Each target is drawn as met with its own probability ``p``, ``reps`` times. Returns the share of draws in
    which every decile of 100+ cases is within ±0.05 of its mean p (the goal passes) and the mean number of
    such deciles beyond ±0.05: the misses chance alone makes, to set beside the ones observed.
    """
    rng = np.random.default_rng(seed)
    bins = deciles(p)
    counts = np.bincount(bins, minlength=10)
    big = np.flatnonzero(counts >= MIN_DECILE_CASES)
    if not len(big):
        return float("nan"), float("nan")
    misses = np.zeros(reps)
    for b in big:
        pb = p[bins == b]
        share = (rng.random((reps, len(pb))) < pb).mean(axis=1)
        misses += np.abs(share - pb.mean()) > 0.05
    return float((misses == 0).mean()), float(misses.mean())


def reliability_text(rel: pd.DataFrame) -> str:
    """One line per table: each decile's n, mean p and share met, with ``*`` where the gap is beyond ±0.05
    and ``!`` where it is also beyond the decile's 95% binomial band."""
    def mark(r: pd.Series) -> str:
        if abs(r["gap"]) <= 0.05:
            return ""
        return "!" if abs(r["gap"]) > r["band"] else "*"

    return "; ".join(f"[{i / 10:.1f},{(i + 1) / 10:.1f}) n={int(r['n'])} p={r['mean_p']:.2f} "
                     f"met={r['share_met']:.2f}{mark(r)}" for i, r in rel.iterrows())


#: The held-out sets: folder and what the output says of it.
SETS = {
    "holdout": (HOLDOUT, "held-out panels (read during development; since 2026-12-06 their even half is in the "
                         "calibration's panels: the odd half is scored)"),
    "fresh": (FRESH, "fresh held-out panels (first scored 2026-12-05, read three times; since 2026-12-06 their even "
                     "half is in the calibration's panels: the odd half is scored)"),
    "fresh2": (FRESH2, "second fresh held-out panels (copied 2026-12-06, read three times; since then their even half "
                       "is in the calibration's panels: the odd half is scored)"),
    "fresh3": (FRESH3, "third fresh held-out panels (copied 2026-12-06, kept out of every fit; data/panels/README.md "
                       "counts its reads)"),
    "fresh4": (FRESH4, "fourth fresh held-out panels (copied 2026-12-06, kept out of every fit; data/panels/README.md "
                       "counts its reads)"),
    "fresh5": (FRESH5, "fifth fresh held-out panels (copied 2026-12-06, kept out of every fit; data/panels/README.md "
                       "counts its reads)"),
}
#: Sets whose even half is in the calibration's panels (benchmarks/backtest.py's SPENT).
SPENT_SETS = ("holdout", "fresh", "fresh2")
GROUPS = {"spent": SPENT_SETS, "all": (*SPENT_SETS, "fresh3", "fresh4", "fresh5")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--make-panels", action="store_true")
    parser.add_argument("--make-fresh", type=Path, nargs="+", metavar="DIR",
                        help="folders of WDI datapoint files to copy a fresh set from (the one --which names)")
    parser.add_argument("--which", choices=tuple(FRESH_SETS), default="fresh",
                        help="the fresh set --make-fresh copies (default: fresh)")
    parser.add_argument("--set", choices=(*SETS, *GROUPS), default="spent",
                        help="the held-out sets scored: spent (the default: holdout, fresh and fresh2, their odd half, "
                             "the even one being in the calibration's panels), or one of them; fresh3, fresh4 or "
                             "fresh5 (kept out of every fit: read them only to judge a change, never by default); all")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--origins", type=int, nargs="+", default=list(ORIGINS))
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    if args.make_panels:
        make_panels()
        return 0
    if args.make_fresh:
        make_fresh(args.make_fresh, args.which)
        return 0
    tuned = load(PANELS)
    print(GOAL)
    peers_note = "peers: statsforecast AutoETS, AutoTheta, AutoARIMA (benchmark venv)"
    if args.no_peers or not BENCH_PYTHON.exists():
        peers_note = f"peers skipped ({'--no-peers' if args.no_peers else f'no benchmark venv at {BENCH_PYTHON}'})"
    print(peers_note)
    for key in GROUPS.get(args.set, (args.set,)):
        folder, said = SETS[key]
        held = load(folder)
        if key in SPENT_SETS:
            # Their even half is fitted on (backtest.py's SPENT): only the other half is scored.
            held = pd.concat([half_of(p, 1) for _, p in held.groupby("family")], ignore_index=True)
        print(f"\n=== {said}: {folder.relative_to(ROOT)} ===")
        score_set(held, tuned, args)
    print(f"holdout.py finished in {time.perf_counter() - t0:.1f} s")
    return 0


def score_set(held: pd.DataFrame, tuned: pd.DataFrame, args: argparse.Namespace) -> None:
    """Every origin's figures for one set of held-out panels (``held``), beside naive, drift and the peers."""
    for origin in args.origins:
        tr, te = cases(held, origin)
        until = int(te["year"].max())
        scored = [score(_ours(tr, until, m)[0], te) for m in ("auto", "naive", "drift")]
        if not (args.no_peers or not BENCH_PYTHON.exists()):
            peers = _peers(tr, until)
            if peers is not None:
                scored += [score(peers[peers["model"] == m], te) for m in ("ets", "theta", "arima")]
        allsc = pd.concat(scored, ignore_index=True)
        # Mean over families first, so that a large family does not dominate.
        fam = allsc.groupby(["model", "family"]).agg(
            smape=("smape", "mean"), mase=("ase", "mean"), msis=("sis", "mean"), crps=("scrps", "mean"),
            **{f"c{lv}": (f"in-{lv}", "mean") for lv in LEVELS}, n=("smape", "size"))
        tab = fam.groupby("model").mean()
        tab["n"] = fam.groupby("model")["n"].sum()
        tab["smape_x"] = tab["smape"] / tab.loc["naive", "smape"]
        tab["mase_x"] = tab["mase"] / tab.loc["naive", "mase"]
        order = [m for m in ("default", "naive", "drift", "ets", "theta", "arima") if m in tab.index]
        print(f"\norigin {origin}: {tr.groupby(['indicator', 'place']).ngroups} series of "
              f"{tr['family'].nunique()} held-out panels, {len(te)} held-out values (leads 1-{HORIZON})")
        print(f"{'model':8s} {'sMAPE':>7s} {'×naive':>7s} {'MASE':>7s} {'×naive':>7s} {'MSIS':>7s} {'sCRPS':>7s} "
              f"{'cov50':>6s} {'cov80':>6s} {'cov95':>6s} {'n':>6s}")
        for m in order:
            r = tab.loc[m]
            print(f"{m:8s} {r['smape']:7.2f} {r['smape_x']:7.3f} {r['mase']:7.3f} {r['mase_x']:7.3f} "
                  f"{r['msis']:7.2f} {r['crps']:7.3f} {r['c50']:6.1%} {r['c80']:6.1%} {r['c95']:6.1%} {int(r['n']):6d}")
        print(uncertainty(allsc, order))
        print(by_panel(fam))
        d = tab.loc["default"]
        peers_in = [m for m in ("ets", "theta", "arima") if m in tab.index]
        ahead = all(d["smape"] <= tab.loc[m, "smape"] and d["mase"] <= tab.loc[m, "mase"] for m in peers_in)
        goals = {
            "sMAPE ≤ naive": d["smape_x"] <= 1.0, "MASE ≤ 0.95 naive": d["mase_x"] <= 0.95,
            "ahead of peers": ahead if peers_in else None,
            "cov50 ±5": abs(d["c50"] - 0.50) <= 0.05, "cov80 ±5": abs(d["c80"] - 0.80) <= 0.05,
            "cov95 ±3": abs(d["c95"] - 0.95) <= 0.03,
        }
        # p_meet: recalibration and climatology from back-tests that ended by this origin.
        fit = pd.concat([p_meet_cases(pd.concat([held, tuned], ignore_index=True), o)
                         for o in (origin - HORIZON, origin - HORIZON - 2, origin - HORIZON - 4)], ignore_index=True)
        now = p_meet_cases(held, origin)
        a, b = fit_recalibration(fit["p"].to_numpy(), fit["met"].to_numpy(float))
        clim = float(fit["met"].mean())
        met = now["met"].to_numpy(float)
        raw = now["p"].to_numpy()
        cal = 1 / (1 + np.exp(-(a + b * _logit(raw))))
        brier_clim = float(np.mean((clim - met) ** 2))
        br_raw, br_cal = float(np.mean((raw - met) ** 2)), float(np.mean((cal - met) ** 2))
        print(f"p_meet on {len(now)} synthetic targets ({met.mean():.1%} met): Brier raw {br_raw:.3f}, "
              f"recalibrated {br_cal:.3f} (a={a:.2f}, b={b:.2f}, fitted on {len(fit)} earlier cases), "
              f"climatology {brier_clim:.3f} (share {clim:.2f}); ratio raw {br_raw / brier_clim:.2f}, "
              f"recalibrated {br_cal / brier_clim:.2f}")
        # The goal is judged on the p the library ships (the predictive distribution's, not recalibrated);
        # the recalibration fitted on earlier back-tests is printed beside it as a diagnostic.
        rel = reliability(raw, met)
        print("reliability (as shipped): " + reliability_text(rel))
        print("reliability (recalibrated, not shipped): " + reliability_text(reliability(cal, met)))
        print("  (* gap beyond ±0.05; ! also beyond the decile's 95% binomial band)")
        big = rel[rel["n"] >= MIN_DECILE_CASES]
        goals["Brier ≤ 0.9 clim"] = br_raw / brier_clim <= 0.9
        # No decile of 100+ cases: the goal cannot be judged (n/a), it is not met by default.
        goals["reliability ±0.05"] = bool((big["gap"].abs() <= 0.05).all()) if len(big) else None
        beyond = int((big["gap"].abs() > np.maximum(0.05, big["band"])).sum())
        print(f"deciles with 100+ cases: {len(big)}; beyond ±0.05: {int((big['gap'].abs() > 0.05).sum())}; "
              f"beyond ±0.05 and their binomial band: {beyond}")
        chance, expected = calibrated_chance(raw)
        if len(big):
            print(f"a perfectly calibrated p (each target met with its own probability) would pass the reliability "
                  f"goal at these decile sizes in {chance:.0%} of 2000 draws, missing ±0.05 in {expected:.1f} "
                  f"deciles on average (observed here: {int((big['gap'].abs() > 0.05).sum())})")
        print("goals at origin " + str(origin) + ": " + ", ".join(
            f"{k} {'PASS' if v else 'FAIL' if v is not None else 'n/a'}" for k, v in goals.items()))


if __name__ == "__main__":
    sys.exit(main())
