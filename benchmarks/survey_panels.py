"""Convert the training panels read from open-numbers' repositories into the observation format.

Usage:
    python benchmarks/survey_panels.py RAW_DIR     # RAW_DIR holds the source files under their base names
                                                   # (a panel whose source file is absent is kept as it is)

Two kinds: survey-based panels (values years apart, data/panels/survey/) and counts (data/panels/counts/:
maternal deaths, girls out of primary school), the unit no other panel has.

The sources are open-numbers' DDF copies of the UN SDG database and the World Bank's WDI, read at the
commits below (each was copied twice independently and the copies compared by md5). The panels land in
data/panels/survey/ with a .meta.yml each; benchmarks/backtest.py uses them to fit the width of the
``sparse`` bucket and to test the trend weight of survey series. They are training panels: none of them
is a held-out panel (data/panels/holdout/), and they are never mixed with the plan's observations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "panels" / "survey"
COUNTS = ROOT / "data" / "panels" / "counts"
SDG = "open-numbers/ddf--unstats--sdg_indicators"
WDI = "open-numbers/ddf--world_bank--world_development_indicators"
# file, source path, value column, code, title, producer, repository, commit, url (unit percent, in OUT)
SPECS = [
    ("sdg_skilled_birth_attendance.csv", "ddf--datapoints--sh_sta_brtc--by--geo_area--year.csv", "sh_sta_brtc",
     "SH_STA_BRTC", "Proportion of births attended by skilled health personnel, % (SDG 3.1.2; household surveys "
     "and routine data)", "UN Statistics Division (WHO/UNICEF joint database)", SDG,
     "04500c6fec26cdcf35f3031009f6bf05c680bcb6", "https://unstats.un.org/SDGAPI/v1/sdg/Series/Data?seriesCode=SH_STA_BRTC"),
    ("sdg_family_planning_modern.csv", "ddf--datapoints--sh_fpl_mtmm--by--age--geo_area--sex--year.csv",
     "sh_fpl_mtmm", "SH_FPL_MTMM", "Women of reproductive age (15-49) whose need for family planning is satisfied "
     "with modern methods, % (SDG 3.7.1; household surveys)", "UN Statistics Division (UN DESA Population Division)",
     SDG, "e4e8d61aa8fc84678a418fbdf1238d9f8878b2c5",
     "https://unstats.un.org/SDGAPI/v1/sdg/Series/Data?seriesCode=SH_FPL_MTMM"),
    ("wdi_contraceptive_prevalence.csv", "datapoints/ddf--datapoints--sp_dyn_conu_zs--by--economy--year.csv",
     "sp_dyn_conu_zs", "SP.DYN.CONU.ZS", "Contraceptive prevalence, any method, % of married women aged 15-49 "
     "(household surveys)", "World Bank (UN DESA Population Division, household surveys)", WDI,
     "01a174d9a01e6c4ece1e69a9775997978c87e963", "https://data.worldbank.org/indicator/SP.DYN.CONU.ZS"),
    ("wdi_literacy_adult_female.csv", "datapoints/ddf--datapoints--se_adt_litr_fe_zs--by--economy--year.csv",
     "se_adt_litr_fe_zs", "SE.ADT.LITR.FE.ZS", "Literacy rate, adult female, % of females aged 15 and above "
     "(censuses and household surveys)", "World Bank (UNESCO Institute for Statistics)", WDI,
     "11a9396eca67334040420f73c2371736d10c054a", "https://data.worldbank.org/indicator/SE.ADT.LITR.FE.ZS"),
    # Added later, to choose the survey rule on more than four families.
    ("wdi_prenatal_care.csv", "datapoints/ddf--datapoints--sh_sta_anvc_zs--by--economy--year.csv",
     "sh_sta_anvc_zs", "SH.STA.ANVC.ZS", "Pregnant women receiving prenatal care, % (household surveys)",
     "World Bank (UNICEF, household surveys)", WDI, "018e4ae8f741f8fac93bfb57778459d92bfa69cf",
     "https://data.worldbank.org/indicator/SH.STA.ANVC.ZS"),
    ("wdi_unmet_need_contraception.csv", "datapoints/ddf--datapoints--sp_uwt_tfrt--by--economy--year.csv",
     "sp_uwt_tfrt", "SP.UWT.TFRT", "Unmet need for contraception, % of married women aged 15-49 (household surveys)",
     "World Bank (UN DESA Population Division, household surveys)", WDI,
     "739e623ddd8e417bb8e63d9d7ac95625c87c0484", "https://data.worldbank.org/indicator/SP.UWT.TFRT"),
    ("wdi_literacy_youth_female.csv", "datapoints/ddf--datapoints--se_adt_1524_lt_fe_zs--by--economy--year.csv",
     "se_adt_1524_lt_fe_zs", "SE.ADT.1524.LT.FE.ZS", "Literacy rate, youth female, % of females aged 15-24 "
     "(censuses and household surveys)", "World Bank (UNESCO Institute for Statistics)", WDI,
     "2ba00a5a1fa8a67b1b290b130ed538b7db894264", "https://data.worldbank.org/indicator/SE.ADT.1524.LT.FE.ZS"),
    ("wdi_fgm_prevalence.csv", "datapoints/ddf--datapoints--sh_sta_fgms_zs--by--economy--year.csv",
     "sh_sta_fgms_zs", "SH.STA.FGMS.ZS", "Female genital mutilation prevalence, % of women aged 15-49 "
     "(household surveys)", "World Bank (UNICEF, household surveys)", WDI,
     "da6d9e7c5f632f4f7f7578eab5056be80d730216", "https://data.worldbank.org/indicator/SH.STA.FGMS.ZS"),
]


# The same fields, unit count, in COUNTS.
COUNT_SPECS = [
    ("wdi_maternal_deaths.csv", "datapoints/ddf--datapoints--sh_mmr_dths--by--economy--year.csv", "sh_mmr_dths",
     "SH.MMR.DTHS", "Number of maternal deaths (UN MMEIG modelled estimates)",
     "World Bank (WHO, UNICEF, UNFPA, World Bank Group and UN Population Division)", WDI,
     "225166ecd5ee7162ac199de7b7586fd9888a145e",
     "https://data.worldbank.org/indicator/SH.MMR.DTHS"),
    ("wdi_out_of_school_primary_f.csv", "datapoints/ddf--datapoints--se_prm_uner_fe--by--economy--year.csv",
     "se_prm_uner_fe", "SE.PRM.UNER.FE", "Children out of school, primary, female (number; administrative data "
     "and population estimates)", "World Bank (UNESCO Institute for Statistics)", WDI,
     "11a9396eca67334040420f73c2371736d10c054a",
     "https://data.worldbank.org/indicator/SE.PRM.UNER.FE"),
]


def convert(raw_dir: Path) -> None:
    """Convert every source file RAW_DIR holds; a panel whose source is not there is left as it is (with its
    provenance and date of access)."""
    for specs, folder, unit, kind in ((SPECS, OUT, "percent", "Survey-based training panel"),
                                      (COUNT_SPECS, COUNTS, "count", "Count training panel")):
        for spec in specs:
            if (raw_dir / Path(spec[1]).name).exists():
                _convert(raw_dir, spec, folder, unit, kind)
            else:
                print(f"kept {spec[0]} (no {Path(spec[1]).name} in {raw_dir})")


def _convert(raw_dir: Path, spec: tuple[str, ...], folder: Path, unit: str, kind: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    name, path, col, code, title, producer, repo, commit, url = spec
    src = raw_dir / Path(path).name
    raw = pd.read_csv(src)
    blank = int(raw[col].isna().sum())
    raw = raw.dropna(subset=[col])
    if "geo_area" in raw:
        place = "M49:" + raw["geo_area"].astype(int).map("{:03d}".format)
        codes = "M49:<code>"
    else:
        place = raw["economy"].str.upper()
        codes = "the World Bank economy code (ISO3 or an aggregate), upper case"
    out = pd.DataFrame({"indicator": code, "place": place, "year": raw["year"].astype(int),
                        "value": raw[col].round(4), "unit": unit,
                        "source": f"{producer.split(' (')[0]} {code}", "status": "official"}
                       ).sort_values(["place", "year"])
    if out.duplicated(["place", "year"]).any():
        raise SystemExit(f"{src}: two values for one place and year")
    out.to_csv(folder / name, index=False)
    meta = {
        "producer": producer, "title": title, "url": url, "date_accessed": dt.date.today().isoformat(),
        "licence": "CC BY 4.0", "citation": f"{producer}, {title}, series {code}; via open-numbers DDF ({repo}).",
        "copied_from": {"repository": repo, "path": path, "commit": commit,
                        "md5_of_source_text": hashlib.md5(src.read_bytes()).hexdigest()},
        "notes": (f"{kind}: {len(out)} rows, {out['place'].nunique()} geographies, "
                  f"{out['year'].min()}-{out['year'].max()}; place = {codes}. The source text was read from the "
                  "repository at the commit above and copied twice independently (identical md5)."
                  + (f" {blank} row(s) with an empty value in the source are left out." if blank else "")
                  + " Used only by benchmarks/backtest.py; never mix with the plan's own observations."),
    }
    (folder / f"{name}.meta.yml").write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True))
    print(f"wrote {name}: {len(out)} rows, {out['place'].nunique()} places")

if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    convert(Path(sys.argv[1]))
