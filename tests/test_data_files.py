"""The files under data/: provenance beside every file, the observation format, places, and the generator.

Expected values come from the plan (25 targets), the shared research sources (units of the 2025
reorganisation, national sex ratios at birth) and the observation format in docs/ARCHITECTURE.md, not from
the files being tested.
"""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SOURCES = Path(__file__).parent / "fixtures" / "sources"  # snapshots of the sources (their README)
#: SHA-256 of the plan's text in the research store it was copied from (shared/plan/), byte for byte.
PLAN_TEXT_SHA256 = "581586538cc3feabec5f40e70d059c3787b6526fdd2b5a2688b4634d23446607"
SKIP_DIRS = {"panels"}  # back-testing panels: another format and provenance, checked in their own section below
PANELS = DATA / "panels"
OBSERVATION_DIRS = ("national", "province", "illustrative")

OBS_HEADER = ["indicator", "place", "year", "value", "quarter", "sex", "numerator", "denominator",
              "unit", "source", "status", "note", "series"]
META_KEYS = {"producer", "title", "url", "date_accessed", "licence", "citation", "copied_from", "status", "notes"}
STATUSES = {"official", "preliminary", "estimate", "illustrative"}
UNITS = {"percent", "per_100", "per_1000", "per_100000", "ratio", "count", "yes_no"}
SCALE = {"percent": 100, "per_100": 100, "per_1000": 1000, "per_100000": 100000}
# The plan's 25 targets (shared/plan/README.md, section II of the plan).
PLAN_CODES = ["1.1", "2.1", "2.2", "2.3", "3.1", "3.2a", "3.2b", "3.3", "3.4", "3.5a", "3.5b", "4.1", "4.2",
              "4.3", "4.4", "5.1", "5.2a", "5.2b", "5.3", "5.4a", "5.4b", "6.1", "6.2", "6.3", "6.4"]
QT_DISTRICTS = {  # name in the GSO list -> our code (shared/data/quang_tri_districts_pre2025.csv)
    "Thành phố Đông Hà": "QT-DH", "Thị xã Quảng Trị": "QT-QTR", "Huyện Vĩnh Linh": "QT-VL",
    "Huyện Hướng Hóa": "QT-HH", "Huyện Gio Linh": "QT-GL", "Huyện Đa Krông": "QT-DK", "Huyện Cam Lộ": "QT-CL",
    "Huyện Triệu Phong": "QT-TP", "Huyện Hải Lăng": "QT-HL", "Huyện Cồn Cỏ": "QT-CC",
}
END = "2025-07-01"


def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def data_files() -> list[Path]:
    out = []
    for p in sorted(DATA.rglob("*")):
        if not p.is_file() or p.relative_to(DATA).parts[0] in SKIP_DIRS:
            continue
        if p.suffix in {".csv", ".txt"}:
            out.append(p)
    return out


def observation_files() -> list[Path]:
    return [p for d in OBSERVATION_DIRS for p in sorted((DATA / d).glob("*.csv"))]


def rel(p: Path) -> str:
    return str(p.relative_to(ROOT))


@pytest.fixture(scope="module")
def places() -> dict[str, dict]:
    header, rows = read_csv(DATA / "reference" / "places.csv")
    assert header == ["code", "name_vi", "name_en", "level", "valid_from", "valid_to", "parent", "successor",
                      "after_end", "note"]
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)), [c for c, n in Counter(codes).items() if n > 1]
    return {r["code"]: r for r in rows}


# ---------------------------------------------------------------- provenance and encoding
def read_meta(path: Path, required: set[str]) -> tuple[Path, dict]:
    """The provenance file beside ``path`` and what it says, asserting it is there with the ``required`` keys."""
    meta_path = path.with_name(path.name + ".meta.yml")
    assert meta_path.exists(), f"{rel(path)}: no {meta_path.name} beside it"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    missing = required - set(meta)
    assert not missing, f"{rel(meta_path)}: missing keys {sorted(missing)}"
    return meta_path, meta


@pytest.mark.parametrize("path", data_files(), ids=rel)
def test_every_data_file_has_provenance(path):
    meta_path, meta = read_meta(path, META_KEYS)
    assert meta["status"] in STATUSES, f"{rel(meta_path)}: status {meta['status']!r}"
    if meta["producer"] == "gender-monitor project" and meta["status"] == "illustrative":
        assert {"generated_by", "seed"} <= set(meta), f"{rel(meta_path)}: generated file needs generated_by, seed"
        assert (ROOT / meta["generated_by"]).exists()


@pytest.mark.parametrize("path", data_files(), ids=rel)
def test_data_files_are_small_utf8_nfc(path):
    raw = path.read_bytes()
    assert len(raw) < 1_000_000, f"{rel(path)}: {len(raw)} bytes"
    text = raw.decode("utf-8")
    if path.suffix == ".csv":  # the plan text is kept byte-for-byte as extracted, so it is exempt
        assert unicodedata.is_normalized("NFC", text), f"{rel(path)}: not NFC"


@pytest.mark.parametrize("path", observation_files(), ids=rel)
def test_a_vietnamese_reader_gets_the_licence_in_vietnamese_or_by_its_name(path):
    # The brief's source line says "giấy phép <licence>": a licence's name (CC BY 4.0) reads in any
    # language; an explanation in English ("Facts (numbers) reported in the press…") needs licence_vi.
    from gender_monitor.publish.brief import licence_words

    meta = yaml.safe_load(path.with_name(path.name + ".meta.yml").read_text(encoding="utf-8"))
    shown = licence_words(meta, "vi")
    assert shown.startswith(("CC BY", "CC0", "MIT", "ODbL")) or shown == meta.get("licence_vi"), (
        f"{rel(path)}: licence {meta['licence']!r} would be shown in English; add licence_vi")


@pytest.mark.parametrize("path", observation_files(), ids=rel)
def test_a_source_line_spells_the_districts_as_the_places_file(path, places):
    # The overview's checks said "huyện Đa Krông" (places.csv, the statistics office's spelling) and its source
    # line "UBND các huyện Hướng Hóa và Đakrông" on the same page. The words of the source line are the
    # project's own (the press articles are in the citation), so they follow places.csv in Vietnamese and in
    # English ("District People's Committees of Hướng Hóa and Đa Krông"), and so do the notes beside the data
    # and the rows' own notes; a commune keeps its own name (xã Đakrông).
    import re

    meta = yaml.safe_load(path.with_name(path.name + ".meta.yml").read_text(encoding="utf-8"))
    shown = " ".join(str(meta.get(k, "")) for k in ("producer_vi", "title_vi", "producer", "title", "notes"))
    with open(path, encoding="utf-8", newline="") as fh:
        shown += " " + " ".join(re.sub(r"Xã \w+", "", row.get("note") or "") for row in csv.DictReader(fh))
    for place in places.values():
        if place["level"] != "district":
            continue
        name = re.sub(r"^(Huyện|Thị xã|Thành phố|Quận) ", "", place["name_vi"])  # "Huyện Đa Krông" -> "Đa Krông"
        loose = r"\s*".join(re.escape(ch) for ch in name.replace(" ", ""))
        for found in re.findall(loose, shown, flags=re.IGNORECASE):
            assert found == name, f"{rel(path)}: {found!r}, places.csv spells it {name!r}"


def test_a_districts_english_name_is_its_vietnamese_name_unaccented(places):
    # places.csv's notes: "name_en of districts is an unaccented rendering" of name_vi. "Dakrong district" rendered
    # another spelling ("Đakrông") than the one kept ("Huyện Đa Krông"): an English brief named it otherwise.
    import re

    def plain(text: str) -> str:
        text = text.replace("Đ", "D").replace("đ", "d")
        return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")

    for place in places.values():
        if place["level"] == "district":
            name = re.sub(r"^(Huyện|Thị xã|Thành phố|Quận) ", "", place["name_vi"])
            assert place["name_en"].startswith(plain(name) + " "), (place["code"], place["name_en"], name)
    assert places["QT-DK"]["name_en"] == "Da Krong district"


def test_licence_words_keep_the_name_and_drop_the_explanation():
    from gender_monitor.publish.brief import licence_words

    press = {"licence": "Facts (numbers) reported in the press, with attribution; no article text is reproduced.",
             "licence_vi": "số liệu do báo chí đưa tin, ghi lại có trích nguồn"}
    assert licence_words(press, "vi") == "số liệu do báo chí đưa tin, ghi lại có trích nguồn"
    assert licence_words(press, "en") == "Facts reported in the press, with attribution"
    assert licence_words({"licence": "CC BY 4.0 (World Bank WDI)"}, "vi") == "CC BY 4.0"



def test_a_source_line_reads_as_a_vietnamese_citation():
    # "Dự án gender-monitor, số liệu minh họa …; giấy phép CC BY 4.0": no capital after the comma; conditions of use
    # in words (figures reported by the press) are not called a licence; an acronym keeps its capitals.
    from gender_monitor.publish.brief import source_text

    made = {"producer_vi": "Dự án gender-monitor", "title_vi": "Số liệu minh họa cấp xã", "licence": "CC BY 4.0"}
    assert source_text(made, "vi") == "Dự án gender-monitor, số liệu minh họa cấp xã; giấy phép CC BY 4.0"
    press = {"producer_vi": "UBND huyện", "title_vi": "Số liệu thật đã công bố",
             "licence": "Facts reported in the press, with attribution.",
             "licence_vi": "số liệu do báo chí đưa tin, ghi lại có trích nguồn"}
    assert source_text(press, "vi") == ("UBND huyện, số liệu thật đã công bố; điều kiện sử dụng: số liệu do báo chí "
                                        "đưa tin, ghi lại có trích nguồn")
    assert source_text(press, "en").endswith("; licence Facts reported in the press, with attribution.")
    assert source_text({"producer_vi": "Ngân hàng Thế giới", "title_vi": "WDI"}, "vi") == "Ngân hàng Thế giới, WDI"

# ---------------------------------------------------------------- observation format
@pytest.mark.parametrize("path", observation_files(), ids=rel)
def test_observation_files_follow_the_format(path, places):
    header, rows = read_csv(path)
    assert header == OBS_HEADER, f"{rel(path)}: header {header}"
    assert rows, f"{rel(path)}: no rows"
    keys = Counter()
    for line, r in enumerate(rows, start=2):
        where = f"{rel(path)}:{line}"
        assert r["place"] in places, f"{where}: unknown place {r['place']!r}"
        assert r["unit"] in UNITS, f"{where}: unit {r['unit']!r}"
        assert r["status"] in STATUSES, f"{where}: status {r['status']!r}"
        assert r["sex"] in {"", "f", "m"}, f"{where}: sex {r['sex']!r}"
        assert r["quarter"] in {"", "1", "2", "3", "4"}, f"{where}: quarter {r['quarter']!r}"
        int(r["year"])
        value = float(r["value"])
        if r["unit"] == "percent":
            assert 0 <= value <= 100, where
        if r["unit"] == "yes_no":
            assert value in (0, 1), where
        if r["unit"] == "count":
            assert value >= 0 and value == int(value), where
        if r["numerator"] and r["denominator"] and r["unit"] in SCALE:
            expected = SCALE[r["unit"]] * int(r["numerator"]) / int(r["denominator"])
            assert value == pytest.approx(expected, abs=0.06), f"{where}: value does not match its counts"
        keys[(r["indicator"], r["place"], r["year"], r["quarter"], r["sex"], r["series"])] += 1
    dup = [k for k, n in keys.items() if n > 1]
    assert not dup, f"{rel(path)}: duplicate keys {dup[:5]}"


@pytest.mark.parametrize("path", sorted((DATA / "illustrative").glob("*.csv")), ids=rel)
def test_every_illustrative_row_says_so(path):
    _, rows = read_csv(path)
    bad = [i for i, r in enumerate(rows, start=2) if r["status"] != "illustrative"]
    assert not bad, f"{rel(path)}: rows {bad[:10]} are not status illustrative"
    assert all("not real" in r["source"] for r in rows)


def test_illustrative_province_covers_every_target():
    _, rows = read_csv(DATA / "illustrative" / "quang_tri_illustrative.csv")
    per_code = Counter(r["indicator"] for r in rows if r["place"] == "QT")
    missing = [c for c in PLAN_CODES if per_code[c] == 0]
    assert not missing, f"no illustrative QT data for {missing}"


def test_illustrative_districts_sum_to_the_province():
    _, prov = read_csv(DATA / "illustrative" / "quang_tri_illustrative.csv")
    _, dist = read_csv(DATA / "illustrative" / "districts_illustrative.csv")
    _, real = read_csv(DATA / "province" / "quang_tri_public.csv")
    dist = dist + [r for r in real if r["indicator"] == "3.5a"]
    totals = {r["year"]: int(r["value"]) for r in prov if r["indicator"] == "3.5a" and r["place"] == "QT"}
    sums = Counter()
    for r in dist:
        if r["place"] in QT_DISTRICTS.values():
            sums[r["year"]] += int(r["value"])
    assert sums, "no district rows"
    for year, s in sums.items():
        assert totals[year] == s, f"3.5a {year}: districts sum to {s}, province says {totals[year]}"


def test_illustrative_generator_check_passes():
    proc = subprocess.run([sys.executable, str(DATA / "illustrative" / "generate.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


# ---------------------------------------------------------------- places
def test_places_top_levels(places):
    assert places["VN"]["level"] == "country"
    for code in ("QT", "QB"):
        p = places[code]
        assert (p["level"], p["valid_to"], p["successor"], p["after_end"], p["parent"]) == \
            ("province", END, "QT25", "territory", "VN")
    assert places["QT"]["name_vi"] == "Quảng Trị" and places["QB"]["name_vi"] == "Quảng Bình"
    q = places["QT25"]
    assert (q["level"], q["valid_from"], q["valid_to"], q["parent"]) == ("province", END, "", "VN")


def test_places_old_districts(places):
    for name, code in QT_DISTRICTS.items():
        p = places[code]
        assert (p["name_vi"], p["level"], p["parent"], p["valid_to"], p["after_end"]) == \
            (name, "district", "QT", END, "abolished"), code
    qb = [p for p in places.values() if p["level"] == "district" and p["parent"] == "QB"]
    assert len(qb) == 8  # the old districts of Quảng Bình in the 2025 merger lists
    assert all(p["valid_to"] == END and p["after_end"] == "abolished" for p in qb)


def test_places_new_communes(places):
    communes = {c: p for c, p in places.items() if p["level"] == "commune"}
    assert sorted(communes) == [f"QT25-{i:03d}" for i in range(1, 79)]
    assert all(p["parent"] == "QT25" and p["valid_from"] == END and not p["valid_to"] for p in communes.values())
    # Every new unit was formed from one old district: the successor lists partition the 78 units.
    owner = {}
    for code, p in places.items():
        if p["level"] == "district":
            for s in p["successor"].split(";"):
                assert s not in owner, f"{s} is a successor of both {owner[s]} and {code}"
                owner[s] = p["parent"]
    assert set(owner) == set(communes)
    assert Counter(owner.values()) == {"QT": 37, "QB": 41}


def test_communes_2025_matches_places(places):
    header, rows = read_csv(DATA / "reference" / "communes_2025.csv")
    assert header == ["code", "name_vi", "unit_type", "former_province", "former_district", "merged_from_vi",
                      "area_km2", "population", "source_url"]
    assert len(rows) == 78
    assert Counter(r["former_province"] for r in rows) == {"QT": 37, "QB": 41}
    assert Counter(r["unit_type"] for r in rows) == {"xã": 69, "phường": 8, "đặc khu": 1}
    for r in rows:
        assert places[r["code"]]["name_vi"] == r["name_vi"]
        assert r["code"] in places[r["former_district"]]["successor"].split(";")


def test_communes_follow_the_shared_source_order():
    _, shared = read_csv(SOURCES / "quang_tri_units_2025.csv")
    _, ours = read_csv(DATA / "reference" / "communes_2025.csv")
    assert [unicodedata.normalize("NFC", r["new_unit_vi"]) for r in shared] == [r["name_vi"] for r in ours]
    assert [r["population"] for r in shared] == [r["population"] for r in ours]


# ---------------------------------------------------------------- back-testing panels
PANEL_HEADER = ["indicator", "place", "year", "value", "unit", "source", "status"]
PANEL_META_KEYS = {"title", "url", "date_accessed", "licence", "citation", "copied_from", "notes"}
#: Held-out sets whose source files were read page by page and compared with an independent second copy.
FRESH_DIRS = ("holdout_fresh", "holdout_fresh2", "holdout_fresh3", "holdout_fresh4", "holdout_fresh5")
#: A few World Bank aggregates every WDI datapoint file carries: the world, an income group, two regions.
SOME_AGGREGATES = {"WLD", "HIC", "EAS", "SSF"}


def panel_files() -> list[Path]:
    return sorted(PANELS.rglob("*.csv"))


def panel_set(path: Path) -> str:
    """The set a panel belongs to: its folder under data/panels, or "training" for the top level."""
    parts = path.relative_to(PANELS).parts
    return parts[0] if len(parts) > 1 else "training"


def test_every_fresh_held_out_set_is_there():
    for folder in FRESH_DIRS:
        assert len(list((PANELS / folder).glob("*.csv"))) >= 6, folder


@pytest.mark.parametrize("path", panel_files(), ids=rel)
def test_every_panel_has_provenance_and_the_panel_format(path):
    from gender_monitor.core.units import RANGES

    meta_path, meta = read_meta(path, PANEL_META_KEYS)
    copied = meta["copied_from"]
    assert copied["repository"].startswith("open-numbers/"), rel(meta_path)
    assert len(copied["commit"]) == 40 and set(copied["commit"]) <= set("0123456789abcdef"), rel(meta_path)
    header, rows = read_csv(path)
    assert header == PANEL_HEADER, f"{rel(path)}: header {header}"
    assert rows, f"{rel(path)}: no rows"
    keys = Counter()
    for line, r in enumerate(rows, start=2):
        where = f"{rel(path)}:{line}"
        assert r["unit"] in RANGES, f"{where}: unit {r['unit']!r}"
        lo, hi = RANGES[r["unit"]]
        assert lo <= float(r["value"]) <= hi, f"{where}: {r['value']} outside {lo}-{hi} ({r['unit']})"
        assert r["status"] == "official", where
        keys[(r["indicator"], r["place"], int(r["year"]))] += 1
    dup = [k for k, n in keys.items() if n > 1]
    assert not dup, f"{rel(path)}: duplicate keys {dup[:5]}"


@pytest.mark.parametrize("path", [p for p in panel_files() if panel_set(p) in FRESH_DIRS], ids=rel)
def test_a_fresh_held_out_panel_names_its_source_and_its_second_copy(path):
    meta = yaml.safe_load(path.with_name(path.name + ".meta.yml").read_text(encoding="utf-8"))
    copied = meta["copied_from"]
    assert copied["repository"] == "open-numbers/ddf--world_bank--world_development_indicators"
    assert meta["url"].endswith(f"/blob/{copied['commit']}/{copied['file']}")
    assert meta["licence"] == "CC BY 4.0"
    second = meta["second_copy"]
    assert len(second["md5_of_source_file"]) == 32, rel(path)
    assert second["compared"].startswith("identical (an independent second copy, "), rel(path)
    places = {r["place"] for r in read_csv(path)[1]}
    assert not places & SOME_AGGREGATES, f"{rel(path)}: World Bank aggregates {sorted(places & SOME_AGGREGATES)}"
    assert all(len(p) == 3 and p.isupper() for p in places), rel(path)


def test_a_held_out_panel_shares_no_indicator_with_another_set():
    # WDI codes are spelt with dots or underscores (SE.TER.ENRR.FE, SE_TER_ENRR_FE): one spelling for comparing.
    codes: dict[str, set[str]] = {}
    for path in panel_files():
        codes.setdefault(panel_set(path), set()).update(
            r["indicator"].upper().replace(".", "_") for r in read_csv(path)[1])
    for held in ("holdout", *FRESH_DIRS):
        for other, theirs in codes.items():
            if other != held:
                assert not codes[held] & theirs, f"{held} and {other} share {sorted(codes[held] & theirs)}"


# ---------------------------------------------------------------- national series
def test_national_srb_survey_and_registration_are_separate_series():
    rows = []
    for p in sorted((DATA / "national").glob("*.csv")):
        rows += [r for r in read_csv(p)[1] if r["indicator"] == "4.1" and r["place"] == "VN"]
    by_series: dict[str, dict[int, float]] = {}
    for r in rows:
        by_series.setdefault(r["series"], {})[int(r["year"])] = float(r["value"])
    # Civil registration (Ministry of Justice report, S26 in the research notes).
    assert by_series["registration"] == {2021: 109.5, 2023: 109.7, 2024: 110.7}
    # GSO survey values carried by WDI (shared/data/README.md: 2010 111.2, 2018 114.8, 2019 111.5; 2023 110.9).
    survey = by_series["survey"]
    assert {y: survey[y] for y in (2010, 2018, 2019, 2023)} == {2010: 111.2, 2018: 114.8, 2019: 111.5, 2023: 110.9}
    assert set(by_series) == {"survey", "registration"}


def test_national_rows_are_labelled_context():
    for p in sorted((DATA / "national").glob("*.csv")):
        for r in read_csv(p)[1]:
            assert r["place"] == "VN" and r["status"] == "official", rel(p)
            assert "not a measurement of Quảng Trị" in r["note"], rel(p)


# ---------------------------------------------------------------- the plan text
def test_plan_text_is_an_exact_copy():
    name = "ke-hoach-binh-dang-gioi-quang-tri-2021-2030.txt"
    assert hashlib.sha256((DATA / "plan" / name).read_bytes()).hexdigest() == PLAN_TEXT_SHA256
