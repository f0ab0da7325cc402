"""The notebooks: committed clean and paired, executed with papermill, exported as briefs and read back.

The jupytext ``.py`` is the source of truth: the tests execute a notebook built from it, and check only
the *committed* ``.ipynb`` (``git show HEAD:…``) for outputs, so a notebook saved with its outputs in
JupyterLab (Ctrl+S) breaks no test. Each notebook runs once per test session (a file lock shares the
executed notebook between pytest-xdist workers), with small parameters; the brief's HTML is then
checked for content.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import subprocess
from pathlib import Path

import jupytext
import nbformat
import pytest
from gender_monitor.core import paths
from gender_monitor.plan.registry import load_plan
from gender_monitor.publish import brief

NOTEBOOKS = paths.notebooks_dir()
NAMES = ("data_overview", "indicator_explorer", "objective_brief", "mid_term_review")
#: The executions the tests share: name → (notebook, parameters).
RUNS: dict[str, tuple[str, dict]] = {
    "review-vi": ("mid_term_review", {}),
    "review-en": ("mid_term_review", {"language": "en"}),
    "explorer-4.1": ("indicator_explorer", {"target": "4.1"}),
    "explorer-midterm": ("indicator_explorer", {"target": "2.1", "kind": "midterm"}),
    "explorer-3.5a-publish": ("indicator_explorer", {"target": "3.5a", "publish": True}),
    "explorer-district": ("indicator_explorer", {"target": "3.5a", "place": "QT-HH"}),
    "explorer-vn-number": ("indicator_explorer", {"target": 4.1, "place": "VN"}),  # papermill's -p target 4.1
    "objective-3": ("objective_brief", {"objective": 3}),
    "objective-4-2026": ("objective_brief", {"objective": 4, "as_of": 2026}),
    "overview": ("data_overview", {}),
}
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


# --- committed notebooks --------------------------------------------------------------------------

def _committed(path: Path) -> nbformat.NotebookNode | None:
    """The notebook as committed (``HEAD``), or None outside a git checkout or before its first commit."""
    try:
        rel = path.resolve().relative_to(paths.home().resolve()).as_posix()
        text = subprocess.run(["git", "-C", str(paths.home()), "show", f"HEAD:{rel}"], capture_output=True,
                              text=True, check=True).stdout
    except (OSError, ValueError, subprocess.CalledProcessError):
        return None
    return nbformat.reads(text, as_version=4)


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_is_clean_and_paired(name):
    committed = _committed(NOTEBOOKS / f"{name}.ipynb")
    if committed is not None:
        assert all(c.get("outputs", []) == [] and c.get("execution_count") is None
                   for c in committed.cells if c.cell_type == "code"), "committed notebooks carry no outputs"
    # The working copy may carry outputs (saved in JupyterLab): only its cells must match the .py.
    ipynb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    assert ipynb.metadata["kernelspec"]["name"] == "gender-monitor"
    assert ipynb.metadata["kernelspec"]["display_name"] == "Python (gender-monitor)"
    tagged = [c for c in ipynb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for line in tagged[0].source.splitlines():
        assert re.match(r"^\w+: (str|int|bool|float) = .+  # .+$", line), f"untyped or uncommented: {line!r}"
    paired = jupytext.read(NOTEBOOKS / f"{name}.py")
    assert [(c.cell_type, c.source.strip(), c.metadata.get("tags", [])) for c in paired.cells] == \
        [(c.cell_type, c.source.strip(), c.metadata.get("tags", [])) for c in ipynb.cells], \
        f"{name}.py and {name}.ipynb differ: run `jupytext --sync notebooks/{name}.ipynb`"


def test_jupytext_pairs_the_notebooks_folder():
    text = (paths.home() / "jupytext.toml").read_text(encoding="utf-8")
    assert "ipynb" in text and "py:percent" in text


# --- executed notebooks ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """``run(key)`` → (executed notebook, brief HTML); each run executes once across xdist workers."""
    # One folder per session: xdist workers' base folders share the session's as parent.
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "gm-notebooks"
    root.mkdir(exist_ok=True)

    def run(key: str) -> tuple[nbformat.NotebookNode, str]:
        import papermill

        name, params = RUNS[key]
        out, html = root / f"{key}.ipynb", root / f"{key}.html"
        with open(root / f"{key}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not html.is_file():
                source = root / f"{key}.source.ipynb"  # built from the .py, the source of truth
                nbformat.write(jupytext.read(NOTEBOOKS / f"{name}.py"), source)
                papermill.execute_notebook(str(source), str(out), parameters=params,
                                           kernel_name="gender-monitor", cwd=str(NOTEBOOKS), progress_bar=False)
                brief.export_html(out, html)
        return nbformat.read(out, as_version=4), html.read_text(encoding="utf-8")

    return run


def _common_checks(html: str) -> None:
    assert "jp-InputArea" not in html and "jp-InputPrompt" not in html.replace(".jp-InputPrompt", "")
    assert "In&nbsp;[" not in html and "brief.set_page_meta" not in html and "runner.shared_result" not in html
    assert brief.external_references(html) == []
    assert re.search(r'class="[^"]*\bgm-illustrative-banner\b', html)


@pytest.mark.slow
def test_review_brief_vietnamese(executed):
    _, html = executed("review-vi")
    _common_checks(html)
    assert '<html lang="vi"' in html
    for code in load_plan().codes:
        assert f'data-code="{code}"' in html, code
    for label in ("đạt", "khó đạt", "chưa chắc chắn", "có khả năng đạt"):
        assert label in html
    assert "Sơ kết giữa kỳ" in html and "Những vấn đề chính" in html and "Chú giải" in html
    assert "Trong 22 chỉ tiêu có mục tiêu năm 2025" in html
    assert "≥ 90%" in html and "≤ 10%" in html  # the legend defines the thresholds
    assert len(VIETNAMESE.findall(html)) > 500
    assert html.count("data:image/png;base64") == 6  # one chart grid per objective
    # Page 1 is the snapshot: every target in one table, each with the action it calls for.
    snapshot = html.split('class="gm-snapshot"', 1)[1].split("</table>", 1)[0]
    assert snapshot.count("<tr data-code=") == 25 and snapshot.count('class="gm-action gm-action-') == 25
    assert html.count('class="gm-page gm-objective"') == 6  # each objective on a page of its own in print


@pytest.mark.slow
def test_the_review_legend_explains_every_status_its_snapshot_shows(executed):
    # 1.1, 6.3 and 6.4's 2030 outlook read "… chưa đủ số liệu để kết luận" with no such entry in the legend.
    _, html = executed("review-vi")
    snapshot = html.split('class="gm-snapshot"', 1)[1].split("</table>", 1)[0]
    legend = html.split('class="gm-legend"', 1)[1].split("</div>", 1)[0]
    shown = set(re.findall(r'data-status="(\w+)"', snapshot))
    assert "insufficient_data" in shown and shown == set(re.findall(r'data-status="(\w+)"', legend))


@pytest.mark.slow
def test_review_brief_english(executed):
    _, html = executed("review-en")
    _common_checks(html)
    assert '<html lang="en"' in html
    assert "Mid-term review" in html and "Key messages" in html
    for label in ("too close to call", "unlikely to be met", "likely to be met", "Of the 22 targets"):
        assert label in html
    assert "khó đạt" not in html


@pytest.mark.slow
def test_an_indicator_brief_of_a_review_names_the_report_it_belongs_to(executed):
    # The mid-term review's 25 indicator briefs never said "sơ kết giữa kỳ", beside its objective briefs'
    # "Tóm tắt kết quả theo mục tiêu – sơ kết giữa kỳ năm 2025"; an analyst's own run says nothing more.
    _, html = executed("explorer-midterm")
    assert "2.1 · Quảng Trị (địa bàn tỉnh mới) · nhìn từ năm 2025 – sơ kết giữa kỳ năm 2025" in html
    assert "sơ kết giữa kỳ" not in executed("explorer-4.1")[1]


@pytest.mark.slow
def test_indicator_explorer_4_1(executed):
    nb, html = executed("explorer-4.1")
    _common_checks(html)
    assert "Chỉ tiêu 4.1: Tỷ số giới tính khi sinh" in html
    assert "Toàn quốc: 110,7" in html or "Toàn quốc:" in html  # the national value in words
    assert "Các mô hình dự báo và kiểm định ngược" in html and "Kết hợp (trung vị)" in html
    assert html.count("data:image/png;base64") >= 2  # history with fan, candidate models
    # The chart cell draws a figure (history, fan, targets, national line) as an image, described in one
    # sentence for a reader who cannot see it.
    chart = [c for c in nb.cells if c.source.strip() == "view.main_chart()"]
    shown = " ".join(o.get("data", {}).get("text/html", "") for o in chart[0].outputs) if len(chart) == 1 else ""
    assert 'src="data:image/png;base64' in shown and ('alt="Biểu đồ chỉ tiêu 4.1 “Tỷ số giới tính khi sinh” của '
                                                      'Quảng Trị (địa bàn tỉnh mới); đơn vị tính: bé trai/100 bé gái; '
                                                      'số liệu từ năm ') in shown
    # What pace is needed, and the table behind the chart with its CSV.
    # The place is the one the plan covers in as_of (the merged province from 1/7/2025).
    assert "Mức thay đổi cần thiết" in html and 'download="4.1-QT25.csv"' in html
    assert "Sở Y tế" in html  # the plan's lead and today's reporting agency


@pytest.mark.slow
def test_indicator_explorer_commune_breakdown_published(executed):
    nb, html = executed("explorer-3.5a-publish")
    _common_checks(html)
    assert "Theo đơn vị hành chính" in html
    # History, candidate models, former and merged province, communes (the merged province has no districts).
    assert html.count("data:image/png;base64") == 4
    assert "Theo xã, phường, đặc khu · năm 2025" in html
    assert "Số liệu theo đơn vị hành chính là số liệu minh họa." in html
    # Publication mode: small counts of a sensitive indicator are suppressed and the brief says so.
    assert "không được công bố khi là số đếm từ 1 đến 4" in html
    assert "Quảng Trị cũ và Quảng Trị mới" in html
    params = nb.metadata["papermill"]["parameters"]
    assert params["publish"] is True and params["target"] == "3.5a"


@pytest.mark.slow
def test_objective_brief(executed):
    _, html = executed("objective-3")
    _common_checks(html)
    assert "Mục tiêu 3: Trong đời sống gia đình" in html
    for code in ("3.1", "3.2a", "3.2b", "3.3", "3.4", "3.5a", "3.5b"):
        assert f'data-code="{code}"' in html
    assert 'data-code="4.1"' not in html
    assert "Sở Lao động - Thương binh và Xã hội" in html and "Sở Nội vụ" in html  # lead and successor


@pytest.mark.slow
def test_an_objective_brief_of_a_year_between_shows_the_plans_target_years(executed):
    # 2026 is no target year: the table's columns are 2025 (the outcome) and 2030 (the outlook), and the
    # headline and chart look at 2030, not at an empty 2026.
    _, html = executed("objective-4-2026")
    _common_checks(html)
    heads = re.findall(r"<th[^>]*>(.*?)</th>", html.split('class="gm-summary"')[1].split("</thead>")[0], flags=re.S)
    years = [y for h in heads for y in re.findall(r"\b(20\d\d)\b", h)]
    assert years == ["2025", "2025", "2030", "2030"], heads
    headline = re.search(r"<p><strong>(.*?)</strong></p>", html, flags=re.S).group(1)
    assert headline.startswith("Mục tiêu 4 có 4 chỉ tiêu; năm 2030:"), headline


@pytest.mark.slow
def test_data_overview(executed):
    _, html = executed("overview")
    _common_checks(html)
    assert "Tổng quan số liệu" in html and "Nguồn số liệu" in html
    assert "data/national/wdi_vnm.csv" in html  # provenance from the .meta.yml files
    assert "Thiếu hụt số liệu theo cơ quan" in html and "Sở Khoa học và Công nghệ" in html
    assert "minh họa" in html
    assert json.dumps("4.1")[1:-1] in html
    # Counts in thousands are written the Vietnamese way (1.337/1.545), never 1337/1545.
    here, everywhere = re.search(r"Tại .+?, ([\d.]+/[\d.]+) giá trị của các chỉ tiêu là số liệu minh họa.*?"
                                 r"trong toàn bộ dữ liệu \(.*?\), ([\d.]+/[\d.]+) giá trị", html, flags=re.S).groups()
    shares = [tuple(x.split("/")) for x in (here, everywhere)]
    assert all(re.fullmatch(r"\d{1,3}(\.\d{3})*", x) for pair in shares for x in pair)
    # The first counts what the table under it shows (the place's values), the second all the data.
    number = [[int(x.replace(".", "")) for x in pair] for pair in shares]
    assert number[0][1] < number[1][1] and number[0][0] <= number[1][0]
    # The licence of press-reported facts is said in Vietnamese, not as its English explanation.
    assert "giấy phép Facts" not in html and "số liệu do báo chí đưa tin" in html


@pytest.mark.slow
def test_indicator_explorer_district_is_shown_not_judged(executed):
    nb, html = executed("explorer-district")
    _common_checks(html)  # its own rows are illustrative: the banner is there
    assert "Huyện Hướng Hóa" in html and "không áp dụng cho Huyện Hướng Hóa" in html
    assert "Chưa có số liệu cho Huyện Hướng Hóa" not in html and "Đánh giá: " not in html
    # The press's values only (2016, 2020, 2021): never joined to the invented ones of the years between.
    assert "Giá trị mới nhất của Huyện Hướng Hóa: 122 (năm 2021)" in html
    # Its own communes only: Khe Sanh (QT25-009) formed from Hướng Hóa; Quảng Bình's communes never.
    assert "Theo xã, phường, đặc khu" in html and "Chỉ gồm các đơn vị thuộc Huyện Hướng Hóa" in html
    assert 'download="3.5a-QT-HH.csv"' in html  # the data table offers what it shows


@pytest.mark.slow
def test_indicator_explorer_accepts_a_number_and_shows_viet_nam_as_comparison(executed):
    nb, html = executed("explorer-vn-number")
    assert nb.metadata["papermill"]["parameters"]["target"] == 4.1
    assert "Chỉ tiêu 4.1: Tỷ số giới tính khi sinh" in html and "không áp dụng cho Việt Nam" in html
    assert "Đánh giá: " not in html and "Toàn quốc:" not in html
    assert "Giá trị mới nhất của Việt Nam: 110,7 bé trai/100 bé gái (năm 2024)" in html
    assert "gm-illustrative-banner" not in html.split("</style>")[-1]  # official national data: no banner


@pytest.mark.slow
def test_the_mid_term_review_refuses_another_year_naming_the_report_to_use(tmp_path):
    # Run by hand for 2026 it printed "Trong 0 chỉ tiêu có mục tiêu năm 2026: ." under a mid-term title.
    import papermill

    source = tmp_path / "mid_term_review.ipynb"
    nbformat.write(jupytext.read(NOTEBOOKS / "mid_term_review.py"), source)
    with pytest.raises(papermill.PapermillExecutionError) as err:
        papermill.execute_notebook(str(source), str(tmp_path / "out.ipynb"), parameters={"as_of": 2026},
                                   kernel_name="gender-monitor", cwd=str(NOTEBOOKS), progress_bar=False)
    said = str(err.value)
    assert "ParameterError" in said and "sơ kết giữa kỳ năm 2025" in said and "review --new annual" in said


def test_an_objective_or_place_not_in_the_plan_is_refused_in_both_languages(plan):
    from gender_monitor.core.exceptions import ParameterError
    from gender_monitor.plan.reference import load_places
    from gender_monitor.review.state import check_selection

    places = load_places()
    check_selection(plan, places, place="", objective=3)  # the default place, a real objective
    check_selection(plan, places, place="QT-HH", objective="3")  # papermill may pass text
    with pytest.raises(ParameterError) as err:
        check_selection(plan, places, place="XX", objective=7)
    text = str(err.value)
    assert text.startswith("2 lỗi trong tham số của notebook: / 2 error(s) in notebook parameters:")
    assert "tham số / parameters [objective]: kế hoạch không có mục tiêu 7; các mục tiêu có: 1, 2, 3, 4, 5, 6" in text
    assert "tham số / parameters [place]: mã địa bàn không có trong danh mục" in text and "QT25-001…QT25-078" in text
