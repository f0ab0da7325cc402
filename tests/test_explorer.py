"""The indicator explorer: selections checked, places judged only against targets that apply, the pace needed,
displayable pieces escaped, and the widgets re-rendering when the analyst changes a control."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest
from gender_monitor.core import i18n
from gender_monitor.core.exceptions import ParameterError
from gender_monitor.plan.reference import load_agencies, load_places
from gender_monitor.plan.registry import load_plan
from gender_monitor.publish import display
from gender_monitor.review import explorer


@pytest.fixture(scope="module")
def plan():
    return load_plan()


@pytest.fixture(scope="module")
def places():
    return load_places()


@pytest.fixture(scope="module")
def ex(plan, places):
    return explorer.Explorer(language="vi", plan=plan, places=places, agencies=load_agencies())


def _text(html: str) -> str:
    """The page's words: tags, data URIs and entities out."""
    html = re.sub(r'(src|href)="data:[^"]*"', "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").replace("&lt;", "<").split())


# --- selections ------------------------------------------------------------------------------------


def test_a_papermill_number_is_a_target_code_and_typos_list_the_valid_codes(plan, places) -> None:
    sel = explorer.selection(target=4.1, place="QT-HH", as_of=2025, plan=plan, places=places)
    assert (sel.target, sel.place, sel.start) == ("4.1", "QT-HH", None)
    with pytest.raises(ParameterError) as exc:
        explorer.selection(target="4.7", place="XX", as_of=2025, method="magic", level=85, plan=plan, places=places)
    text = str(exc.value)
    assert "[target]" in text and "'4.7'" in text and "3.5a" in text  # the valid codes are listed
    assert "[place]" in text and "'XX'" in text and "QT-HH" in text and "VN" in text
    assert "[method]" in text and "[level]" in text
    # Each said in Vietnamese, then English.
    assert "1 lỗi trong tham số của notebook" not in text and text.startswith("4 lỗi trong tham số của notebook: / ")
    assert "kế hoạch không có chỉ tiêu '4.7'; các chỉ tiêu có: 1.1, 2.1" in text
    assert "[level]: phải là một trong các giá trị: 50, 80, 90, 95 / must be one of: 50, 80, 90, 95" in text


def test_own_units_are_the_places_own_communes_and_districts(places) -> None:
    # Hướng Hóa's successors in places.csv: the 7 new communes QT25-009 … QT25-015.
    assert explorer.own_units(places, "QT-HH", "commune") == [f"QT25-0{n:02d}" for n in range(9, 16)]
    assert explorer.own_units(places, "QT-HH", "district") == []
    assert explorer.own_units(places, "QT25-009", "commune") == []  # a commune has no breakdown
    assert explorer.own_units(places, "VN", "commune") == []
    qt = explorer.own_units(places, "QT", "commune")
    assert len(qt) == 37 and "QT25-009" in qt  # the former province: its 37 communes, not Quảng Bình's
    assert len(explorer.own_units(places, "QT25", "commune")) == 78


# --- the pace needed ---------------------------------------------------------------------------------


def _view(plan, code: str, values: dict[int, float]) -> explorer.View:
    rows = pd.DataFrame({"year": list(values), "value": list(values.values()), "status": "official",
                         "series": ""})
    empty = pd.DataFrame()
    return explorer.View(selection=explorer.Selection(code, "QT", 2025), target=plan.target(code), plan_place="QT",
                         place_name="Quảng Trị", plan_place_name="Quảng Trị", judged=True, series_options=[""],
                         series="", rows=rows, forecasts=empty, assessment=empty, candidates=None, chosen=None,
                         pace=empty)


def test_pace_needed_against_the_observed_pace_worked_by_hand(plan) -> None:
    # 4.1: at most 111 in 2025 and 109 in 2030 (lower is better). Latest 111.8 in 2024, slope -0.1 a year.
    pace = explorer.pace_needed(_view(plan, "4.1", {2022: 112.0, 2023: 111.9, 2024: 111.8}))
    assert pace["target_year"].tolist() == [2025, 2030]
    assert pace["required"].tolist() == pytest.approx([-0.8, (109 - 111.8) / 6])
    assert pace["observed"].tolist() == pytest.approx([-0.1, -0.1])
    assert pace["on_pace"].tolist() == [False, False]
    # Falling 0.5 a year from 111.0: 2025 already met; 2030 needs -1/3 a year, -0.5 is fast enough.
    pace = explorer.pace_needed(_view(plan, "4.1", {2022: 112.0, 2023: 111.5, 2024: 111.0}))
    assert pace["required"].tolist() == pytest.approx([0.0, -1 / 3])
    assert pace["on_pace"].tolist() == [True, True]
    # Already met but heading back: 110.7 against at most 111 in 2025, rising 0.36 a year. The room is
    # +0.3 in the one year left; +0.36 crosses it, so 2025 is not on pace (2030: 109 needs -0.34 a year).
    pace = explorer.pace_needed(_view(plan, "4.1", {2021: 109.62, 2022: 109.98, 2023: 110.34, 2024: 110.7}))
    assert pace["observed"].tolist() == pytest.approx([0.36, 0.36])
    assert pace["required"].tolist() == pytest.approx([0.3, (109 - 110.7) / 6])
    assert pace["on_pace"].tolist() == [False, False]
    # Rising 0.2 a year stays within the room of 2025.
    pace = explorer.pace_needed(_view(plan, "4.1", {2022: 110.3, 2023: 110.5, 2024: 110.7}))
    assert pace["on_pace"].tolist() == [True, False]
    # The observed change is measured over the last 8 values, as the assessment measures it: a fall of
    # 2 a year long ago does not count, the last 8 years are flat.
    old_fall = {y: 130.0 - 2 * (y - 2005) for y in range(2005, 2017)} | {y: 110.0 for y in range(2017, 2025)}
    pace = explorer.pace_needed(_view(plan, "4.1", old_fall))
    assert pace["observed"].tolist() == pytest.approx([0.0, 0.0], abs=1e-9)
    # A rate-of-decline target (3.5a) has no level to reach: no pace table.
    assert explorer.pace_needed(_view(plan, "3.5a", {2022: 80.0, 2023: 75.0})).empty


# --- displayable pieces --------------------------------------------------------------------------------


def test_displayable_pieces_escape_data_and_offer_the_csv_shown() -> None:
    section = display.Section("Đánh giá <b>", paragraphs=["Xã <script>alert(1)</script>"], bullets=["a & b"])
    html = section._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html and "a &amp; b" in html
    assert html.startswith('<section class="gm-section">') and "<h2>Đánh giá &lt;b&gt;</h2>" in html
    table = display.Table(pd.DataFrame({"Năm": [2024], "Ghi chú": ['"<img src=x onerror=alert(1)>"']}),
                          download="4.1-QT.csv")
    html = table._repr_html_()
    assert "<img" not in html and 'download="4.1-QT.csv"' in html
    assert table.csv() == 'Năm,Ghi chú\n2024,"""<img src=x onerror=alert(1)>"""\n'
    assert display.Note("ẩn (< 5)")._repr_html_() == '<p class="gm-note"><em>ẩn (&lt; 5)</em></p>'
    # The plain-text form a notebook saves beside the HTML names the piece, never the frame behind it.
    hidden = display.Table(pd.DataFrame({"file": ["/srv/data/communes.csv"], "value": [3]}))
    assert repr(hidden) == "<Table>" and repr(display.Page([hidden])) == "<Page>"


def test_a_csv_offered_under_a_table_of_illustrative_data_says_so_on_its_first_line() -> None:
    # A CSV downloaded from the brief is read on its own, without the page's banner: like each sheet of the
    # workbook, it says the data are illustrative above its header (the final review's "final_2030.csv" did not).
    import base64
    import csv

    banner = "SỐ LIỆU MINH HỌA – các số liệu trong tài liệu này không phải số liệu chính thức."
    table = display.Table(pd.DataFrame({"Mã": ["1.1"], "Giá trị năm 2030": ["51,8%"]}), download="final_2030.csv",
                          banner=banner)
    rows = list(csv.reader(table.csv().splitlines()))
    assert rows == [[banner], ["Mã", "Giá trị năm 2030"], ["1.1", "51,8%"]]
    payload = re.search(r'base64,([^"]+)"', table._repr_html_()).group(1)
    assert base64.b64decode(payload).decode("utf-8").lstrip("\ufeff").splitlines()[0] == banner
    # Without a banner (real data) the CSV is the table alone, header first.
    assert display.Table(pd.DataFrame({"Mã": ["1.1"]})).csv() == "Mã\n1.1\n"


def test_a_csv_under_a_table_says_what_the_page_says_not_the_codes_behind_it() -> None:
    # The explorer's data table showed "minh họa" and "38,3/100.000" while its CSV had "illustrative" and
    # "38.3": the CSV is the table as read, each column in the page's words, a count without its thousands point.
    import csv

    frame = pd.DataFrame({"Năm": [2024, 2025], "Giá trị": [51.29419, 38.3], "Mẫu số": [25344.0, None],
                          "Tình trạng": ["illustrative", "official"], "Ghi chú": ["+ tạm tính", "=1+1"]})
    words = {"illustrative": "minh họa", "official": "chính thức"}
    table = display.Table(frame, download="x.csv", banner="SỐ LIỆU MINH HỌA",
                          formatters={"Giá trị": lambda v: f"{v:.1f}".replace(".", ",") + "/100.000",
                                      "Mẫu số": lambda v: "–" if pd.isna(v) else f"{v:,.0f}".replace(",", "."),
                                      "Tình trạng": words.get},
                          csv_formatters={"Mẫu số": lambda v: "–" if pd.isna(v) else str(int(v))})
    rows = list(csv.reader(table.csv().splitlines()))
    assert rows == [["SỐ LIỆU MINH HỌA"], ["Năm", "Giá trị", "Mẫu số", "Tình trạng", "Ghi chú"],
                    ["2024", "51,3/100.000", "25344", "minh họa", "'+ tạm tính"],
                    ["2025", "38,3/100.000", "–", "chính thức", "'=1+1"]]
    assert "25.344" in table._repr_html_()  # the page keeps the Vietnamese thousands point


def test_the_explorers_downloads_carry_vietnamese_words_and_the_illustrative_banner(ex, plan, places) -> None:
    import base64
    import csv

    view = ex.explore(explorer.selection(target="4.2", place="QT25", as_of=2025, plan=plan, places=places))
    assert view.illustrative
    html = str(view.page().html())
    found = dict(re.findall(r'<a download="([^"]+)" href="data:text/csv;charset=utf-8;base64,([^"]+)"', html))
    assert set(found) == {"4.2-QT25.csv", "4.2-QT25-forecast.csv", "4.2-QT25-pace.csv"}
    assert "Tải bảng (tệp CSV, mở bằng Excel): 4.2-QT25.csv" in _text(html)
    banner = "SỐ LIỆU MINH HỌA – các số liệu trong tài liệu này không phải số liệu chính thức."
    for name, payload in found.items():
        rows = list(csv.reader(base64.b64decode(payload).decode("utf-8").lstrip("\ufeff").splitlines()))
        assert rows[0] == [banner], name
    data = list(csv.DictReader(base64.b64decode(found["4.2-QT25.csv"]).decode("utf-8").lstrip("\ufeff")
                               .splitlines()[1:]))
    last = data[-1]  # 2025: 10 maternal deaths in 26,100 live births, 38,3 per 100,000
    assert (last["Năm"], last["Giá trị"], last["Tử số"], last["Mẫu số"]) == ("2025", "38,3 ca/100.000 trẻ sinh sống",
                                                                         "10", "26100")
    assert {r["Tình trạng"] for r in data} == {"minh họa"} and "illustrative" not in str(data)
    # In the page's style, not the English decimal point (51.29419191919192), with the unit as the unit line says it.
    said = [r["Giá trị"] for r in data]
    assert all(re.fullmatch(r"\d+,\d ca/100\.000 trẻ sinh sống", v) for v in said), said


# --- places that make sense ------------------------------------------------------------------------------


@pytest.mark.slow
def test_each_place_gets_coherent_output(ex, plan, places) -> None:
    def page(target: str, place: str) -> tuple[explorer.View, str]:
        view = ex.explore(explorer.selection(target=target, place=place, as_of=2025, plan=plan, places=places))
        return view, _text(str(view.page(ex.agencies, places).html()))

    view, text = page("4.1", "QT")  # the plan's province: judged
    assert view.judged and "Mức cần đạt năm 2025: ≤111 bé trai/100 bé gái. Đánh giá:" in text and "Toàn quốc:" in text
    assert "SỐ LIỆU MINH HỌA" in text

    view, text = page("3.5a", "QT-HH")  # a district: its own data, not judged, its own communes only
    assert not view.judged and "Đánh giá:" not in text
    # Its own values are the press's (2016, 2020, 2021): the invented ones of the years between are left out.
    assert "không áp dụng cho Huyện Hướng Hóa" in text and "Giá trị mới nhất của Huyện Hướng Hóa: 122 (năm 2021)" in text
    assert "Chưa có số liệu" not in text
    assert [lvl for lvl, _, _ in view.breakdowns] == ["commune"]
    assert set(view.breakdowns[0][1]["place"]) <= {f"QT25-0{n:02d}" for n in range(9, 16)}
    assert view.illustrative and "SỐ LIỆU MINH HỌA" in text  # its rows include illustrative values

    view, text = page("3.5a", "QT25-009")  # a commune: no breakdown of other communes
    assert not view.judged and view.breakdowns == [] and "Xã Khe Sanh" in text

    view, text = page("3.5a", "QT25")  # the merged province, which the plan covers from 2025-07-01: judged,
    assert view.judged and len(view.breakdowns[0][1]) <= 78  # with its own 78 communes at most

    view, text = page("4.1", "VN")  # Viet Nam: context, never judged, no national line against itself
    assert not view.judged and view.assessment.empty and "Đánh giá:" not in text
    assert "Giá trị mới nhất của Việt Nam: 110,7 bé trai/100 bé gái (năm 2024)" in text and "Toàn quốc:" not in text
    assert not view.illustrative and "SỐ LIỆU MINH HỌA" not in text


# --- the widgets ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_series_the_place_does_not_have_is_refused_not_replaced_by_the_default(ex, plan, places) -> None:
    with pytest.raises(ParameterError) as err:  # Viet Nam's sex ratio at birth: registration and survey
        ex.explore(explorer.selection(target="4.1", place="VN", as_of=2026, series="registation", plan=plan,
                                      places=places))
    issue = err.value.issues[0]
    assert issue.column == "series" and issue.value == "registation" and "has no such series up to 2026" in issue.rule
    assert "chỉ tiêu 4.1 tại Việt Nam (VN) không có" in issue.rule_vi and "4.1 at Viet Nam (VN) has no" in issue.rule
    assert "its series: 'registration', 'survey'" in issue.rule or "its series: 'survey', 'registration'" in issue.rule
    view = ex.explore(explorer.selection(target="4.1", place="VN", as_of=2026, series="survey", plan=plan,
                                         places=places))
    assert view.series == "survey"


def test_a_commune_in_2026_is_compared_with_the_merged_province_and_todays_agency(ex, plan, places) -> None:
    view = ex.explore(explorer.selection(target="6.3", place="QT25-009", as_of=2026, plan=plan, places=places))
    text = _text(str(view.page(ex.agencies, places).html()))
    assert "Mục tiêu của Kế hoạch áp dụng cho Quảng Trị (địa bàn tỉnh mới), không áp dụng cho Xã Khe Sanh" in text
    # The plan's lead (Information and Communications) was merged into Science and Technology in 2025.
    assert "Cơ quan báo cáo hiện nay (sau sắp xếp năm 2025): Sở Khoa học và Công nghệ" in text


def test_the_merged_province_in_2026_is_judged_as_the_yearly_report_judges_it(ex, plan, places) -> None:
    # The explorer looks from 2026 at the place the plan covers in 2026 (the merged province), with the report's
    # series: 6.3's 2025 target is judged on its Q3–Q4 value (84,6%: not met), not left to a projection.
    view = ex.explore(explorer.selection(target="6.3", place="QT25", as_of=2026, plan=plan, places=places))
    y25 = view.assessment.set_index("target_year").loc[2025]
    assert (y25["status"], y25["judged_on"]) == ("not_met", "data")
    assert ex.state(2026).place == "QT25" and ex.state(2024).place == "QT" and ex.state(2026, "QT25-009").place == "QT25"
    assert ex.state(2025, "QT").place == "QT"  # a review of old Quảng Trị's territory shares its own state
    # Judged again on the series chosen (the analyst's own start year): its part year still judges 2025.
    again = ex.explore(explorer.selection(target="6.3", place="QT25", as_of=2026, start=2025, plan=plan,
                                          places=places)).assessment.set_index("target_year").loc[2025]
    assert (again["status"], again["judged_on"]) == ("not_met", "data")


def test_a_district_abolished_in_2025_is_not_projected_past_its_last_year(ex, plan, places) -> None:
    # Hướng Hóa district existed until 30 June 2025: its last year-end is 2024, so its child marriages are
    # projected to 2024 at most, and the page says why; old Quảng Trị's territory is still tracked after 2025.
    view = ex.explore(explorer.selection(target="3.5a", place="QT-HH", as_of=2026, plan=plan, places=places))
    assert view.ended == 2024 and len(view.forecasts) and view.forecasts["year"].max() == 2024
    text = _text(str(view.page(ex.agencies, places).html()))
    assert "kết thúc hoạt động do sắp xếp đơn vị hành chính năm 2025: số liệu và dự báo chỉ đến năm 2024" in text
    assert not [c for c in view.models_table().frame.columns if c.startswith("Dự báo")]  # data end 2021: none
    old = ex.explore(explorer.selection(target="1.1", place="QT", as_of=2026, plan=plan, places=places))
    assert old.ended is None
    assert [c for c in old.models_table().frame.columns if c.startswith("Dự báo")] == [
        "Dự báo năm 2025", "Dự báo năm 2026", "Dự báo năm 2030"]  # in the order of the years


def test_changing_a_control_re_renders_chart_assessment_and_table(ex, plan, places) -> None:
    box = ex.controls(explorer.selection(target="4.1", place="QT", as_of=2025, plan=plan, places=places))
    assert ex.output in box.children
    w = ex._widgets
    first = _text(ex.output.value)
    assert "4.1 · Quảng Trị (địa bàn tỉnh cũ) · nhìn từ năm 2025" in first
    assert "Mức cần đạt năm 2025: ≤111" in first and ex.output.value.count("data:image/png;base64") >= 2

    w["place"].value = "VN"
    text = _text(ex.output.value)
    assert "4.1 · Việt Nam" in text and "không áp dụng cho Việt Nam" in text and "Đánh giá:" not in text
    assert [o[1] for o in w["series"].options] == ["", "registration", "survey"]  # VN's own series

    w["series"].value = "survey"
    assert ex.view.series == "survey" and set(ex.view.rows["series"]) == {"survey"}

    w["place"].value = "QT"
    w["as_of"].value = 2023
    assert ex.view.selection.series == "" and ex.view.rows["year"].max() == 2023  # new place: default series
    text = _text(ex.output.value)
    assert "nhìn từ năm 2023" in text and "Giá trị mới nhất: 113,3 bé trai/100 bé gái (năm 2023)" in text

    w["method"].value = "naive"  # the (noise-filtered) level carried forward: one flat path
    assert set(ex.view.forecasts["method"]) == {"naive"}
    assert ex.view.forecasts["median"].round(6).nunique() == 1 and len(ex.view.forecasts) == 7  # 2024–2030
    assert "Dự báo theo phương pháp Giữ nguyên giá trị cuối" in _text(ex.output.value)

    w["level"].value = 50
    assert "(khoảng dự báo 50%)" in _text(ex.output.value) and "lo-50" in ex.view.forecasts.columns

    w["start"].value = 2019
    assert ex.view.rows["year"].min() == 2019 and len(ex.view.rows) == 5

    w["target"].value = "6.3"
    assert ex.view.target.code == "6.3" and "Chỉ tiêu 6.3" in _text(ex.output.value)
    assert w["start"].value == 0  # a new target shows all its years


def test_the_main_chart_is_described_in_one_sentence_for_a_reader_who_cannot_see_it(plan) -> None:
    # From what the chart draws: the series at the place (the national line is not described), the fan at each
    # target year with both intervals drawn (80% and 95%), whatever level the analyst picked for the table (50).
    view = _view(plan, "4.1", {2022: 112.0, 2023: 111.9, 2024: 111.8})
    shown = view.rows.assign(indicator="4.1", place="QT", quarter=pd.NA, sex="")
    national = shown.assign(place="VN", value=[112.5, 112.4, 112.3])
    forecasts = pd.DataFrame({"indicator": "4.1", "place": "QT", "series": "", "sex": "", "method": "comb",
                              "year": [2025, 2026, 2030], "median": [111.6, 111.5, 110.9],
                              "lo-80": [110.2, 110.0, 107.5], "hi-80": [113.0, 113.1, 114.4],
                              "lo-95": [109.4, 109.1, 105.64], "hi-95": [113.8, 114.0, 116.2]})
    view = replace(view, shown=pd.concat([shown, national], ignore_index=True), forecasts=forecasts,
                   selection=replace(view.selection, level=50))
    assert view.chart_alt() == (
        "Biểu đồ chỉ tiêu 4.1 “Tỷ số giới tính khi sinh” của Quảng Trị; đơn vị tính: bé trai/100 bé gái; "
        "số liệu từ năm 2022 đến năm 2024, năm 2024: 111,8 bé trai/100 bé gái; "
        "mục tiêu năm 2025: ≤111 bé trai/100 bé gái; dự báo năm 2025: 111,6 bé trai/100 bé gái (khoảng dự báo 80%: "
        "110,2–113,0 bé trai/100 bé gái; khoảng dự báo 95%: 109,4–113,8 bé trai/100 bé gái); "
        "mục tiêu năm 2030: ≤109 bé trai/100 bé gái; dự báo năm 2030: 110,9 bé trai/100 bé gái (khoảng dự báo 80%: "
        "107,5–114,4 bé trai/100 bé gái; khoảng dự báo 95%: 105,6–116,2 bé trai/100 bé gái).")
    # The page's image carries it, escaped.
    assert 'alt="Biểu đồ chỉ tiêu 4.1 “Tỷ số giới tính khi sinh” của Quảng Trị; ' in str(view.main_chart().html())
    english = replace(view, selection=replace(view.selection, language="en"))
    assert english.chart_alt().startswith(
        "Chart of 4.1 “Sex ratio at birth (boys per 100 girls born alive)” for Quảng Trị; unit: boys per 100 girls; "
        "values from 2022 to 2024, 111.8 boys per 100 girls in 2024; target for 2025: ≤111 boys per 100 girls; "
        "projected 111.6 boys per 100 girls in 2025 (80% interval 110.2–113.0 boys per 100 girls; ")
    empty = replace(view, rows=view.rows.iloc[0:0], shown=national, forecasts=forecasts.iloc[0:0])
    assert "chưa có số liệu" in empty.chart_alt() and "dự báo" not in empty.chart_alt()

    milestone = _view(plan, "5.1", {2023: 0.0, 2024: 1.0})
    milestone = replace(milestone, shown=milestone.rows.assign(indicator="5.1", place="QT", quarter=pd.NA, sex=""))
    assert milestone.chart_alt().endswith("; số liệu từ năm 2023 đến năm 2024, năm 2024: có; phải hoàn thành năm 2025; "
                                          "phải hoàn thành năm 2030.")


@pytest.mark.slow
def test_a_series_with_hidden_values_says_why_it_has_no_models_not_that_it_is_short(plan, places) -> None:
    # 3.3 at the merged province, published: some years are small counts, hidden; the series has many points.
    published = explorer.Explorer(language="vi", publish=True, plan=plan, places=places, agencies=load_agencies())
    view = published.explore(explorer.selection(target="3.3", place="QT25", as_of=2026, plan=plan, places=places))
    said = " ".join(view.models_section().paragraphs)
    assert "không công bố dự báo và kiểm định ngược" in said and "quá ngắn" not in said


@pytest.mark.slow
def test_a_share_the_plan_computes_for_the_province_says_so_at_a_commune(ex, plan, places) -> None:
    # 6.3 is the share of communes with four news items a quarter: a commune has its counts, not a share.
    view = ex.explore(explorer.selection(target="6.3", place="QT25-012", as_of=2026, plan=plan, places=places))
    (said,) = view.assessment_section().bullets
    assert said.startswith("Chỉ tiêu 6.3 được tính cho toàn tỉnh từ số liệu 6.3.news của từng xã, phường")
    assert "Chưa có số liệu" not in said


@pytest.mark.slow
def test_models_from_counts_say_they_start_from_the_filtered_level_not_the_last_value(ex, plan, places) -> None:
    # 4.1 at the merged province: 2026's ratio 111,16 from 13,582 boys; the models start from the level with the
    # births' chance variation taken out, so "last value carried forward" is not 111,2 and says why.
    view = ex.explore(explorer.selection(target="4.1", place="QT25", as_of=2026, plan=plan, places=places))
    caption = view.models_table().caption
    naive = view.candidates.paths.query("method == 'naive' and year == 2027")["value"].iloc[0]
    assert abs(naive - 111.16) > 0.05  # the filtered level differs from the last value
    assert caption.startswith("Số liệu được tính từ số đếm nên mọi phương pháp đều dự báo từ mức đã loại bỏ")
    assert "không phải từ giá trị quan sát cuối cùng (111,2 bé trai/100 bé gái, năm 2026)" in caption
    assert f"({naive:.1f} bé trai/100 bé gái)".replace(".", ",") in caption
    # A share without counts starts from its last value: nothing to say but the unit.
    plain = ex.explore(explorer.selection(target="1.1", place="QT25", as_of=2026, plan=plan, places=places))
    assert plain.models_table() is None or plain.models_table().caption == "Đơn vị tính: %."


def test_the_models_table_marks_the_method_the_assessment_used_not_the_one_picked_for_the_fan(ex, plan, places) -> None:
    # The analyst picks "drift" for the fan; the assessment beside it still projects with the plan's own method
    # (comb): the column "Dùng để đánh giá" (used for the assessment) marks that one.
    view = ex.explore(explorer.selection(target="2.1", place="QT", as_of=2024, method="drift", plan=plan,
                                         places=places))
    used = set(view.assessment["method"].dropna())
    assert view.chosen == "drift" and used == {"comb"}
    table = view.models_table().frame
    marked = table.loc[table["Dùng để đánh giá"] == "◆", "Phương pháp"].tolist()
    assert marked == ["Kết hợp (trung vị)"]


def test_the_pace_to_an_approximate_target_runs_to_the_edge_the_assessment_judges_against(plan) -> None:
    # 2.1 in 2030: "khoảng 45%", met from 44% on (the plan's tolerance); the report's "cần" runs from the latest
    # value to 44, so the explorer's pace must too: (44 - 43.2) / 6 a year, not (45 - 43.2) / 6.
    view = _view(plan, "2.1", {2022: 40.7, 2023: 41.7, 2024: 43.2})
    tv = plan.target("2.1").target_for(2030)
    assert tv.comparator == "~" and tv.threshold("higher") == 44
    pace = explorer.pace_needed(view).set_index("target_year")
    assert pace.loc[2030, "required"] == pytest.approx((44 - 43.2) / 6)
    shown = replace(view, pace=explorer.pace_needed(view)).pace_table()
    text = _text(str(shown.html()))
    # (44 − 43,2) / 6 = 0,133…: one decimal, as the report writes a pace.
    assert "khoảng 45% (từ 44% trở lên)" in text and "+0,1 điểm phần trăm mỗi năm" in text and "+0,13" not in text


@pytest.mark.parametrize("code, values, paces", [
    # 3.1 to ≤1,7 in 2025: (1,7 − 1,87) / 2 = −0,085 a year; observed (1,87 − 1,95) / 4 = −0,02. A ratio: 2 decimals.
    ("3.1", {2019: 1.95, 2021: 1.9, 2023: 1.87}, ("−0,09 lần so với nam giới mỗi năm",
                                                  "−0,02 lần so với nam giới mỗi năm")),
    # 4.1 to ≤111 in 2025: 111 − 111,8 = −0,8; observed −0,1. One decimal, as the report (it had "−0,80").
    ("4.1", {2022: 112.0, 2023: 111.9, 2024: 111.8}, ("−0,8 bé trai/100 bé gái mỗi năm",
                                                       "−0,1 bé trai/100 bé gái mỗi năm")),
    # 4.3 to ≤18 in 2025: 18 − 19,2 = −1,2; observed −0,4 (it had "−1,20", "−0,40").
    ("4.3", {2022: 20.0, 2023: 19.6, 2024: 19.2}, ("−1,2‰ mỗi năm", "−0,4‰ mỗi năm")),
    # A pace that one decimal would round to zero keeps the digits that show it, not "−0,0": 4.3 from 18,04 in
    # 2024 to ≤18 in 2025 needs −0,04; observed (18,04 − 18,1) / 2 = −0,03.
    ("4.3", {2022: 18.1, 2023: 18.06, 2024: 18.04}, ("−0,04‰ mỗi năm", "−0,03‰ mỗi năm")),
])
def test_the_pace_table_says_each_pace_with_its_unit_as_the_report_does(plan, code, values, paces) -> None:
    # The pace table had bare "-0,09", "-0,80": no unit (a ratio's "lần" would read as "times" besides); then
    # two decimals where the report writes one ("−0,80" beside the report's "−0,8"): one rule, signed_pace's.
    from gender_monitor.judge.report import pace_text
    view = _view(plan, code, values)
    frame = replace(view, pace=explorer.pace_needed(view)).pace_table().parts[1].frame
    required, observed = (frame[i18n.t(f"explorer.columns.{c}", "vi")] for c in ("required", "observed"))
    assert (required.iloc[0], observed.iloc[0]) == paces
    english = replace(view, selection=explorer.Selection(code, "QT", 2025, language="en"))
    shown = _text(str(replace(english, pace=explorer.pace_needed(english)).pace_table().html()))
    assert {"3.1": "−0.09× men's hours a year", "4.1": "boys per 100 girls a year",
            "4.3": "‰ a year"}[code] in shown and "−0.80" not in shown and "−1.20" not in shown
    # The report's own sentence of the same paces says the same figures.
    pace = explorer.pace_needed(view).iloc[0]
    said = pace_text(pace["required"], pace["observed"], plan.target(code), "vi")
    assert said.startswith(f"cần {paces[0]}; thực tế {paces[1]}")


@pytest.mark.parametrize("code, values, required, verdict", [
    # 4.2 "<42" in 2030, 38,3 in 2025: met, with room for (42 − 38,3) / 5 = 0,74 a year upwards. Rising 0,4 a year
    # (37,5 → 37,9 → 38,3) keeps inside it; 1,0 a year (36,3 → 37,3 → 38,3) would cross 42 before 2030. It read
    # "+0,7 ca/100.000 trẻ sinh sống mỗi năm" and "đủ nhanh", as if a rise were asked for.
    ("4.2", {2023: 37.5, 2024: 37.9, 2025: 38.3},
     "đã đạt mức mục tiêu; có thể tăng tối đa 0,7 ca/100.000 trẻ sinh sống mỗi năm mà vẫn đạt",
     "nếu giữ tốc độ này thì vẫn đạt"),
    ("4.2", {2023: 36.3, 2024: 37.3, 2025: 38.3},
     "đã đạt mức mục tiêu; có thể tăng tối đa 0,7 ca/100.000 trẻ sinh sống mỗi năm mà vẫn đạt",
     "nếu giữ tốc độ này sẽ không còn đạt"),
    # 2.1 "khoảng 45%" in 2030, met from 44%: 46,1% in 2025 may fall (46,1 − 44) / 5 = 0,42 a year (it read "−0,4 …").
    ("2.1", {2023: 44.1, 2024: 45.1, 2025: 46.1},
     "đã đạt mức mục tiêu; có thể giảm tối đa 0,4 điểm phần trăm mỗi năm mà vẫn đạt", "nếu giữ tốc độ này thì vẫn đạt"),
    # 6.2 to keep at 100% every year, at 100%: no room at all (it read "±0,0 điểm phần trăm mỗi năm").
    ("6.2", {2024: 100.0, 2025: 100.0}, "đã đạt đúng mức mục tiêu; cần duy trì, không để giảm",
     "nếu giữ tốc độ này thì vẫn đạt"),
    # Not met yet: the change needed, as before. 4.2 from 45 to 42 by 2030: −0,6 a year; falling 1 a year is enough.
    ("4.2", {2023: 47.0, 2024: 46.0, 2025: 45.0}, "−0,6 ca/100.000 trẻ sinh sống mỗi năm", "đủ nhanh"),
])
def test_a_target_already_met_says_the_room_it_leaves_not_a_change_needed(plan, code, values, required,
                                                                            verdict) -> None:
    view = _view(plan, code, values)
    view = replace(view, pace=explorer.pace_needed(view))
    assert view.pace["met"].tolist() == [not required.startswith(("+", "−"))]
    frame = view.pace_table().parts[1].frame
    c = lambda k: i18n.t(f"explorer.columns.{k}", "vi")  # noqa: E731 - local shorthand
    assert (frame[c("required")].tolist(), frame[c("verdict")].tolist()) == ([required], [verdict])
    # The downloads (CSV, the workbook's sheet) say the same comparison beside the numbers.
    assert view.pace_numbers()[c("verdict")].tolist() == [verdict]


def test_a_target_already_met_says_its_room_in_english_too(plan) -> None:
    view = _view(plan, "4.2", {2023: 37.5, 2024: 37.9, 2025: 38.3})
    view = replace(view, selection=explorer.Selection("4.2", "QT", 2025, language="en"))
    text = _text(str(replace(view, pace=explorer.pace_needed(view)).pace_table().html()))
    assert ("target level already reached; may rise by up to 0.7 per 100,000 live births a year and still meet it "
            "+0.4 per 100,000 live births a year at this pace, still met") in text
    view = _view(plan, "2.1", {2023: 47.1, 2024: 46.6, 2025: 46.1})  # falling 0,5 a year: more than its 0,42
    view = replace(view, selection=explorer.Selection("2.1", "QT", 2025, language="en"))
    text = _text(str(replace(view, pace=explorer.pace_needed(view)).pace_table().html()))
    assert ("target level already reached; may fall by up to 0.4 percentage points a year and still meet it "
            "−0.5 percentage points a year at this pace, would no longer be met") in text


def test_the_series_control_names_each_series_in_the_readers_language_not_by_its_code(ex, plan, places) -> None:
    ex.controls(explorer.selection(target="4.1", place="VN", as_of=2025, plan=plan, places=places))
    assert list(ex._widgets["series"].options) == [("Mặc định", ""), ("đăng ký hộ tịch", "registration"),
                                                   ("khảo sát", "survey")]
    en = explorer.Explorer(language="en", plan=plan, places=places, agencies=ex.agencies)
    en.controls(explorer.selection(target="6.3", place="QT", as_of=2025, language="en", plan=plan, places=places))
    labels = [label for label, code in en._widgets["series"].options if code]
    assert labels == ["summed from the new communes, from 2025, Q3–Q4 only"]


def test_the_place_control_offers_only_places_of_the_year_looked_from(ex, plan, places) -> None:
    ex.controls(explorer.selection(target="3.5a", place="QT25-009", as_of=2025, plan=plan, places=places))
    w = ex._widgets
    offered = lambda: {code for _, code in w["place"].options}  # noqa: E731
    assert {"QT25-009", "QT-HH", "QT", "QT25"} <= offered()  # a district abolished in 2025 keeps its history
    w["as_of"].value = 2023  # the new communes (1 July 2025) did not exist yet and have no data
    assert not {c for c in offered() if c.startswith("QT25-")}
    assert {"QT", "QT25", "QB", "QT-HH"} <= offered()  # the merged province's re-based history stays
    assert "VN" not in offered()  # no national count of child marriages: nothing to show for Viet Nam
    assert w["place"].value == "QT" and ex.view.selection.place == "QT"  # the place the plan covered in 2023
    w["as_of"].value = 2025
    assert "QT25-009" in offered() and w["place"].value == "QT"


def test_the_place_control_offers_the_places_with_values_of_the_target_chosen(ex, plan, places) -> None:
    # Only 3.5a and 3.5b have values of the old districts (and 3.5a of the new communes): the control offered all
    # 18 districts and 78 communes for 4.1 too, each opening on "no data".
    ex.controls(explorer.selection(target="4.1", place="QT25", as_of=2025, plan=plan, places=places))
    w = ex._widgets
    offered = lambda: [code for _, code in w["place"].options]  # noqa: E731
    levels = lambda: {places[c].level for c in offered()}  # noqa: E731
    assert offered()[:1] == ["QT"] and {"QT25", "QB", "VN"} <= set(offered())  # VN: the national series
    assert levels() == {"province", "country"}
    w["target"].value = "3.5a"
    districts = {c for c in offered() if places[c].level == "district"}
    assert districts == {f"QT-{d}" for d in ("DH", "QTR", "VL", "HH", "GL", "DK", "CL", "TP", "HL", "CC")}
    assert "QT25-009" in offered() and "VN" not in offered()
    # 6.3 is computed for the province from each commune's news items: the communes are offered, no district.
    w["target"].value = "6.3"
    assert "QT25-009" in offered() and "district" not in levels()
    w["place"].value = "QT25-009"
    w["target"].value = "4.1"  # the commune has no 4.1: the plan's place that year, not an empty page
    assert w["place"].value == "QT25" and ex.view.selection.place == "QT25" and "QT25-009" not in offered()
    assert len(offered()) == len(set(offered()))


def test_a_place_named_by_a_parameter_without_values_of_the_target_is_kept_and_marked(ex, plan, places) -> None:
    # papermill -p target 4.1 -p place QT-HH: the district is shown (with "no data"), so the control offers it once,
    # said to have no values of the target; the others of the year are as for any selection.
    ex.controls(explorer.selection(target="4.1", place="QT-HH", as_of=2025, plan=plan, places=places))
    options = dict((code, label) for label, code in ex._widgets["place"].options)
    assert ex._widgets["place"].value == "QT-HH"
    assert options["QT-HH"] == "QT-HH · Huyện Hướng Hóa (chưa có số liệu của chỉ tiêu này)"
    assert [c for _, c in ex._widgets["place"].options].count("QT-HH") == 1
    assert {c for c in options if places[c].level == "district"} == {"QT-HH"}
    assert options["QT25"] == "QT25 · Quảng Trị (địa bàn tỉnh mới)"  # the plan's province: never marked
    # A new commune named for 2023, before it existed: kept as named, the same way.
    early = ex.place_options(2023, "3.5a", keep="QT25-009")
    assert [c for _, c in early].count("QT25-009") == 1 and not [c for _, c in early if c.startswith("QT25-0")
                                                                  and c != "QT25-009"]


def test_a_start_year_the_new_series_does_not_have_is_dropped_not_kept_behind_all_years(ex, plan, places) -> None:
    # Viet Nam's survey from 2022, then its civil registration (2021, 2023, 2024): the control read "Tất cả"
    # while the view still started in 2022 and left 2021 out.
    ex.controls(explorer.selection(target="4.1", place="VN", as_of=2025, plan=plan, places=places))
    w = ex._widgets
    w["series"].value = "survey"
    w["start"].value = 2022
    assert ex.view.rows["year"].min() == 2022
    w["series"].value = "registration"
    assert w["start"].value == 0 and ex.view.selection.start is None
    assert ex.view.rows["year"].tolist() == [2021, 2023, 2024]
    w["series"].value = "survey"
    w["start"].value = 2021
    w["series"].value = "registration"  # a year both series have is kept
    assert w["start"].value == 2021 and ex.view.rows["year"].min() == 2021


@pytest.mark.parametrize(("today", "last"), [("2026-12-03", 2026), ("2024-05-01", 2025), ("2035-01-01", 2030)])
def test_the_years_to_look_from_run_to_this_year_within_the_plan(plan, places, monkeypatch, today, last):
    # In December 2026 the analyst compiling the yearly report looks from 2026; before the mid-term year the
    # mid-term year is offered all the same; after the plan's end, its last year.
    monkeypatch.setenv("GENDER_MONITOR_TODAY", today)
    ex = explorer.Explorer(language="vi", plan=plan, places=places, agencies=None)
    assert ex.year_options() == list(range(2021, last + 1))


@pytest.mark.parametrize("language, unit, target", [
    ("vi", "Đơn vị tính: ca/100.000 trẻ sinh sống.", "<42 ca/100.000 trẻ sinh sống"),
    ("en", "Unit: per 100,000 live births.", "<42 per 100,000 live births"),
])
def test_the_explorers_tables_say_the_unit_in_the_words_of_the_reports_unit_column(ex, plan, places, language,
                                                                                    unit, target) -> None:
    # 4.2 (maternal deaths per 100,000 live births: per_vi/per_en in plan.yaml) read "42,0/100.000" with no word of
    # what it is counted per; the report's unit column says "ca/100.000 trẻ sinh sống". Each table of values says
    # it over its rows, and the pace table's target is the plan's "<42" (2030) in the same words, as the report
    # writes it.
    view = ex.explore(explorer.selection(target="4.2", place="QT25", as_of=2025, language=language, plan=plan,
                                         places=places))
    from gender_monitor.judge.report import unit_name

    assert unit == ("Đơn vị tính: " if language == "vi" else "Unit: ") + unit_name(view.target, language) + "."
    pace = view.pace_table().parts[1]
    data = view.data_table().parts[1]
    assert pace.caption == unit and data.caption == unit
    assert view.forecast_table().caption.endswith(" " + unit) and view.models_table().caption.endswith(" " + unit)
    assert pace.frame.iloc[:, 1].tolist() == [target]  # 2030 only: 2025 has its value
    assert unit.replace("<", "&lt;") in str(view.page().html())
    # A yes/no target's cells say "có"/"chưa": no unit line over them.
    milestone = ex.explore(explorer.selection(target="5.1", place="QT25", as_of=2025, plan=plan, places=places))
    assert milestone.unit_line() is None and milestone.data_table().parts[1].caption is None


def test_a_tables_csv_carries_its_numbers_beside_the_words_of_the_page() -> None:
    # "51,3%" is text to a spreadsheet: the numbers follow the page's columns, under names that say they are numbers;
    # a column the page has already (the year, the status) is not written twice.
    import csv

    frame = pd.DataFrame({"Năm": [2024, 2025], "Giá trị": ["51,3%", "–"], "Tình trạng": ["minh họa", "minh họa"]})
    numbers = pd.DataFrame({"Năm": [2024, 2025], "Giá trị (số)": [51.294, None], "Đơn vị tính": "%",
                            "Tình trạng": ["minh họa", "minh họa"]})
    rows = list(csv.reader(display.Table(frame, numbers=numbers).csv().splitlines()))
    assert rows == [["Năm", "Giá trị", "Tình trạng", "Giá trị (số)", "Đơn vị tính"],
                    ["2024", "51,3%", "minh họa", "51.294", "%"], ["2025", "–", "minh họa", "", "%"]]
    with pytest.raises(ValueError, match="numbers has 1 rows, the table 2"):
        display.Table(frame, numbers=numbers.head(1)).csv()


def test_the_explorers_downloads_give_the_numbers_as_numbers_and_a_workbook(ex, plan, places) -> None:
    import base64
    import csv
    import io

    from openpyxl import load_workbook

    view = ex.explore(explorer.selection(target="4.2", place="QT25", as_of=2025, plan=plan, places=places))
    data = list(csv.DictReader(view.data_table().parts[1].csv().splitlines()[1:]))
    # 2024 re-based: 13 maternal deaths in 25,344 live births = 51,294…/100.000; 2025 as reported, 38,3.
    assert [(r["Năm"], r["Giá trị"], r["Giá trị (số)"], r["Đơn vị tính"]) for r in data[-2:]] == [
        ("2024", "51,3 ca/100.000 trẻ sinh sống", "51.294", "ca/100.000 trẻ sinh sống"),
        ("2025", "38,3 ca/100.000 trẻ sinh sống", "38.3", "ca/100.000 trẻ sinh sống")]
    # The pace to <42 in 2030 from 38,3 in 2025: (42 − 38,3) / 5 = +0,74 a year, as a number beside "+0,7 …".
    (pace,) = csv.DictReader(view.pace_table().parts[1].csv().splitlines()[1:])
    assert (pace["Mức mục tiêu (số)"], pace["Giá trị mới nhất (số)"], pace["Năm của giá trị mới nhất"],
            pace["Cần thay đổi mỗi năm (số)"]) == ("42.0", "38.3", "2025", "0.74")
    assert pace["Đơn vị của mức thay đổi"] == "ca/100.000 trẻ sinh sống mỗi năm"

    # The workbook: what Excel set for Vietnamese opens in columns (a CSV it splits on ";"), numbers as numbers.
    html = str(view.page().html())
    found = re.search(r'<a download="4.2-QT25.xlsx" href="data:application/vnd.openxmlformats-officedocument'
                      r'.spreadsheetml.sheet;base64,([^"]+)">([^<]+)</a>', html)
    assert found and found.group(2) == ("Tải số liệu, dự báo và mức thay đổi cần thiết (tệp Excel, các số để ở dạng "
                                        "số): 4.2-QT25.xlsx")
    book = load_workbook(io.BytesIO(base64.b64decode(found.group(1))))
    assert book.sheetnames == ["Số liệu", "Dự báo", "Mức thay đổi cần thiết", "Ghi chú"]
    banner = "SỐ LIỆU MINH HỌA – các số liệu trong tài liệu này không phải số liệu chính thức."
    sheet = book["Số liệu"]
    assert all(book[name]["A1"].value == banner for name in book.sheetnames[:3])
    assert [c.value for c in sheet[2]] == ["Năm", "Giá trị (số)", "Đơn vị tính", "Tử số", "Mẫu số", "Chuỗi",
                                           "Tình trạng", "Nguồn"]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[:5] == [2025, 38.3, "ca/100.000 trẻ sinh sống", 10, 26100]
    assert all(isinstance(v, (int, float)) for v in last[:2] + last[3:5])  # numbers, not text
    assert last[6:] == ["minh họa", "số liệu minh họa do phần mềm tạo ra (không phải số liệu thật)"]
    forecast = book["Dự báo"]
    assert [c.value for c in forecast[2]][:4] == ["Năm", "Dự báo – trung vị (số)", "Cận dưới (số)", "Cận trên (số)"]
    assert [c.value for c in forecast[3]][4:] == ["ca/100.000 trẻ sinh sống", 80, "Kết hợp (trung vị)"]
    assert isinstance(forecast["B3"].value, float)
    assert forecast["C3"].value < forecast["B3"].value < forecast["D3"].value
    notes = [r[0] for r in book["Ghi chú"].iter_rows(values_only=True)]
    assert notes[:4] == ["Chỉ tiêu 4.2: Tỷ lệ tử vong bà mẹ liên quan đến thai sản",
                         "4.2 · Quảng Trị (địa bàn tỉnh mới) · nhìn từ năm 2025",
                         "Đơn vị tính: ca/100.000 trẻ sinh sống.", banner]


def _sheet_rows(view: explorer.View, sheet: int = 0) -> list[list]:
    """The rows of one sheet of the view's workbook, under the banner (the header first)."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(view.workbook()))
    rows = [list(r) for r in book[book.sheetnames[sheet]].iter_rows(values_only=True)]
    return rows[1:] if view.banner() else rows


@pytest.mark.parametrize("language, hidden", [("vi", "không công bố (để bảo mật)"),
                                              ("en", "not published (confidential)")])
def test_a_value_not_published_says_so_alike_in_the_table_its_csv_and_the_workbook(plan, language, hidden) -> None:
    # 3.3 (returned trafficking victims supported): 2024's 6 of 7 is hidden (one victim not supported). Its row
    # showed "minh họa" and its source beside a blank value, in the page, the CSV and the workbook: the kind of
    # value hidden, while its number was not. Now every route says what the report says, and nothing of the value:
    # not its number, counts, status or source (even were they still in the rows given).
    import csv

    rows = pd.DataFrame({"year": [2023, 2024, 2025], "value": [100.0, 85.71, 90.0], "numerator": [9, 6, 9],
                         "denominator": [9, 7, 10], "series": "", "status": ["official", "preliminary", "illustrative"],
                         "source": ["Sở Y tế", "Sở Y tế (báo cáo quý)", "phần mềm"],
                         "suppressed": ["", "small_complement", ""]})
    view = replace(_view(plan, "3.3", {2023: 0.0}), rows=rows,
                   selection=explorer.Selection("3.3", "QT", 2025, language=language))
    table = view.data_table().parts[1]
    page = [[table._cell(c, v) for c, v in zip(table.frame.columns, r)] for r in table.frame.itertuples(index=False)]
    said = list(csv.reader(table.csv().splitlines()))
    book = _sheet_rows(view)
    status = {"vi": "sơ bộ", "en": "preliminary"}[language]
    # The page and its CSV: year, value, numerator, denominator, series, status, source (CSV: then its numbers).
    assert page[1] == ["2024", hidden, "–", "–", page[1][4], hidden, "–"]
    assert said[2][:7] == page[1] and said[2][7:] == ["", "%"]
    # The workbook: year, value (number), unit, numerator, denominator, series, status, source.
    assert book[2][:5] == [2024, None, "%", None, None] and book[2][6:] == [hidden, None]
    for route in (page[1], said[2], book[2]):
        assert not {"85,7%", "85.7%", "85.71", 85.71, 6, 7, "6", "7", status, "Sở Y tế (báo cáo quý)"} & set(route)
    # The rows beside it are as before: 2025's 90,0% (9/10), its status and source.
    assert page[2][1:4] == [i18n.number(90.0, language, 1, keep_zeros=True) + "%", "9", "10"]
    assert book[3][:5] == [2025, 90.0, "%", 9, 10] and book[3][6] == i18n.t("data_status.illustrative", language)


def test_a_latest_value_not_published_is_said_so_where_no_target_applies(plan) -> None:
    # A place the plan's targets do not judge says its latest value: a hidden one read "–" (no value).
    rows = pd.DataFrame({"year": [2024, 2025], "value": [100.0, None], "status": "illustrative", "series": "",
                         "suppressed": ["", "small_complement"]})
    view = replace(_view(plan, "3.3", {2024: 100.0}), rows=rows, judged=False, place_name="Xã A")
    assert view.assessment_section().bullets[0] == "Giá trị mới nhất của Xã A (năm 2025) không công bố (để bảo mật)."
    shown = replace(view, rows=rows.assign(value=[100.0, 90.0], suppressed=""))  # published: its value
    assert shown.assessment_section().bullets[0] == "Giá trị mới nhất của Xã A: 90,0% (năm 2025)."


@pytest.mark.slow
def test_the_published_explorer_never_shows_a_hidden_value_or_its_status(plan, places) -> None:
    # 3.3 at the merged province, re-based: QB + QT victims supported / with needs. 2016 (2+3)/(3+3) = 5/6,
    # 2017 11/12 and 2018 12/13 leave one victim unsupported; 2019's 4/4 is four victims; 2025 6/7 leaves one:
    # hidden. 2020–2024 (7/7, 8/8, 14/14, 9/9, 15/15) and 2026 (10/10) are shown.
    import csv

    published = explorer.Explorer(language="vi", publish=True, plan=plan, places=places, agencies=load_agencies())
    view = published.explore(explorer.selection(target="3.3", place="QT25", as_of=2026, plan=plan, places=places))
    hidden = "không công bố (để bảo mật)"
    said = list(csv.DictReader(view.data_table().parts[1].csv().splitlines()[1:]))
    assert [int(r["Năm"]) for r in said if r["Giá trị"] == hidden] == [2016, 2017, 2018, 2019, 2025]
    for r in said:
        if r["Giá trị"] == hidden:
            assert (r["Tình trạng"], r["Tử số"], r["Mẫu số"], r["Nguồn"], r["Giá trị (số)"]) == (
                hidden, "–", "–", "–", "")
        else:
            assert r["Tình trạng"] == "minh họa" and r["Giá trị"] == "100,0%" and r["Giá trị (số)"] == "100.0"
    book = _sheet_rows(view)
    assert book[0][:2] == ["Năm", "Giá trị (số)"]
    shut = [r for r in book[1:] if r[6] == hidden]
    assert [r[0] for r in shut] == [2016, 2017, 2018, 2019, 2025]
    assert all(r[1] is None and r[3] is None and r[4] is None and r[7] is None for r in shut)
    assert "minh họa" not in {r[6] for r in shut}
    # No number the downloads carry is a hidden one: 2025's 85,71 (6/7) is in no table of the view.
    assert view.forecast_numbers().empty and view.pace_numbers().empty
    assert 85.71 not in {v for r in book for v in r} and "85,7" not in view.data_table().parts[1].csv()


def test_the_workbook_is_in_the_readers_language_and_says_a_table_it_has_not(plan, places) -> None:
    import io

    from openpyxl import load_workbook

    english = explorer.Explorer(language="en", plan=plan, places=places, agencies=load_agencies())
    view = english.explore(explorer.selection(target="5.1", place="QT25", as_of=2025, language="en", plan=plan,
                                              places=places))
    book = load_workbook(io.BytesIO(view.workbook()))
    assert book.sheetnames == ["Data", "Projection", "Pace needed", "Notes"]
    # A milestone: 1 for done, said in the unit column; no projection and no pace, each said in its sheet.
    assert [c.value for c in book["Data"][2]][:3] == ["Year", "Value (number)", "Unit"]
    assert [c.value for c in book["Data"][3]][:3] == [2025, 1, "1 = yes, 0 = not yet"]
    assert book["Projection"]["A3"].value == "No projection for this series."
    assert book["Pace needed"]["A3"].value.startswith("The pace needed cannot be computed")
