"""The brief: offline HTML without code, with header, TOC, provenance, print CSS; PDF; index page."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from gender_monitor.publish import brief
from gender_monitor.publish.pdf import (
    CHROMIUM_HINT,
    chromium_command,
    find_chromium,
    pdf_page_count,
    print_pdf,
)
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

VI_TEXT = "Tỷ lệ nữ đại biểu Hội đồng nhân dân — bình đẳng giới ở Quảng Trị"


def _png(width: int = 4, height: int = 3) -> str:
    """A tiny valid PNG (white pixels), base64, as matplotlib outputs carry."""
    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return base64.b64encode(png).decode()


def executed_notebook(*, language: str = "vi", illustrative: bool = True, banner: bool = True,
                      preview: str | None = None):
    """A notebook as the runner leaves it: parameters, injected parameters, outputs of every kind."""
    meta = {"title": "Chỉ tiêu 4.1 — Quảng Trị", "language": language, "subtitle": "Rà soát 2025",
            "kicker": None, "illustrative": illustrative, "preview": preview,
            "sources": [{"text": "Cục Thống kê, Niên giám 2024", "url": "https://www.gso.gov.vn/"}]}
    cells = [
        new_code_cell('target: str = "4.1"  # plan code', metadata={"tags": ["parameters"]}),
        new_code_cell('# Parameters\ntarget = "4.2"\n', metadata={"tags": ["injected-parameters"]}),
        new_code_cell("brief.set_page_meta(...)", outputs=[
            new_output("display_data", data={brief.PAGE_META_MIMETYPE: meta, "text/plain": ""})]),
        new_markdown_cell(f"# Tổng quan\n\n{VI_TEXT}.\n\n## Xu hướng\n\n### Biểu đồ chi tiết"),
        new_code_cell("print('x')", execution_count=3, outputs=[
            new_output("stream", name="stdout", text="giá trị mới nhất: 12,5 %\n"),
            new_output("stream", name="stderr", text="FutureWarning: noise\n")]),
        new_code_cell("fig", execution_count=4, outputs=[
            new_output("display_data", data={"image/png": _png(), "text/plain": "<Figure>"})]),
        new_code_cell("table", execution_count=5, outputs=[new_output(
            "execute_result", execution_count=5,
            data={"text/html": "<table><tr><th>năm</th><td>2024</td></tr></table>", "text/plain": "t"})]),
        new_code_cell('print("SECRET")', metadata={"tags": ["remove-cell"]}, outputs=[
            new_output("stream", name="stdout", text="SECRET-OUTPUT\n")]),
    ]
    if banner:
        cells.insert(4, new_code_cell("brief.illustrative_banner(language)", execution_count=2, outputs=[
            new_output("execute_result", execution_count=2,
                       data={"text/html": brief.illustrative_banner(language).data, "text/plain": "b"})]))
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "gender-monitor", "language": "python",
                                                            "display_name": "Python (gender-monitor)"}})
    nb.metadata["papermill"] = {"parameters": {"target": "4.2", "language": language}}
    return nb


@pytest.fixture(scope="module")
def html_path(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("brief") / "brief.html"
    inputs = [{"path": "data/province/qt.csv", "sha256": "ab" * 32}]
    brief.export_html(executed_notebook(), out, version="0.1.0+abc1234", run_date="2025-06-30 09:00",
                      inputs=inputs, notebook_label="notebooks/indicator_explorer.ipynb")
    return out


@pytest.fixture(scope="module")
def html(html_path: Path) -> str:
    return html_path.read_text(encoding="utf-8")


def test_no_input_cells_prompts_or_parameter_cells(html: str) -> None:
    assert "jp-InputArea-editor" not in html and "highlight" not in re.sub(r"<style.*?</style>", "", html, flags=re.S)
    assert "In&nbsp;[" not in html and "Out[" not in html and "jp-InputPrompt jp-InputArea-prompt" not in html
    assert 'target = "4.2"' not in html and 'target: str' not in html  # parameters and injected cells
    assert "SECRET" not in html  # remove-cell
    assert "FutureWarning" not in html  # stderr stays in the executed notebook
    assert brief.PAGE_META_MIMETYPE not in html


def test_no_external_urls(html: str) -> None:
    assert brief.external_references(html) == []
    for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", html, flags=re.I):
        assert not re.search(r"(?:src|href)\s*=\s*[\"']?https?://", tag, flags=re.I), tag
    assert not re.search(r"@import\s+url\(\s*[\"']?http", html, flags=re.I)
    assert "cdnjs" not in html and "require.js" not in html and "mathjax" not in html.lower()


def test_external_reference_detector_catches_each_kind() -> None:
    bad = ('<script src="https://x/a.js"></script><link rel="stylesheet" href="http://x/b.css">'
           '<img src="//x/c.png"><style>@import url(https://x/d.css); .a{background:url("http://x/e.png")}</style>')
    found = " ".join(brief.external_references(bad))
    assert all(name in found for name in ("a.js", "b.css", "c.png", "d.css", "e.png"))
    assert brief.external_references('<a href="https://www.gso.gov.vn/">GSO</a><img src="data:image/png;base64,AA">') == []


def test_language_title_stamp_and_diacritics(html: str) -> None:
    assert '<html lang="vi">' in html
    assert "<title>Chỉ tiêu 4.1 — Quảng Trị</title>" in html
    assert VI_TEXT in html  # diacritics survive, not as entities
    # The header says the day in Vietnamese style; the version and the exact time go to the footer.
    header, footer = html.split("<body", 1)[1].split('<main class="gm-content">', 1)
    assert "Lập ngày 30/6/2025" in header and "0.1.0" not in header and "2025-06-30" not in header
    assert "phiên bản 0.1.0+abc1234 (2025-06-30 09:00)" in footer


def test_illustrative_banner_when_flagged(html: str) -> None:
    assert html.count('class="gm-illustrative-banner') == 2  # page banner + the notebook's own
    assert "SỐ LIỆU MINH HỌA" in html
    # Every printed page (portrait and the landscape annex) says so in its top margin.
    label = '@top-center { content: "SỐ LIỆU MINH HỌA – không phải số liệu chính thức";'
    assert html.count(label) == 2 and re.search(r"@page annex \{ @top-center", html)


def test_a_report_made_before_its_year_began_is_a_preview_not_for_publication(tmp_path: Path) -> None:
    # A final review of 2030 rehearsed on 6 December 2026: every 2030 value in it is a projection.
    note = brief.preview_note(2030, dt.date(2026, 12, 6), "vi")
    assert note == ("BẢN LẬP THỬ – lập ngày 06/12/2026, trước năm 2030: chưa có số liệu của năm 2030; các giá trị "
                    "năm 2030 trong tài liệu này là ước tính (theo dự báo hoặc theo số liệu mới nhất); không dùng "
                    "thay cho báo cáo chính thức.")
    # Made in its year or after (a yearly report of 2026 in December 2026, the final review in 2031): none.
    assert brief.preview_note(2026, dt.date(2026, 12, 6)) is None
    assert brief.preview_note(2030, dt.date(2031, 1, 20)) is None
    nb = executed_notebook(preview=note)
    nb.metadata["papermill"]["parameters"]["publish"] = True
    page = brief.export_html(nb, tmp_path / "b.html", version="v").read_text(encoding="utf-8")
    header = page.split("<body", 1)[1].split('<main class="gm-content">', 1)[0]
    assert '<div class="gm-preview-banner" role="note">BẢN LẬP THỬ – lập ngày 06/12/2026' in header
    assert "· Bản lập thử</p>" in header and "Bản công bố" not in header
    # The day a notebook judges it by: its report_date, else the (rehearsed) day.
    from gender_monitor.core import clock

    assert clock.written_on("2026-12-06") == dt.date(2026, 12, 6)
    assert clock.written_on("") == clock.today()
    # The department's Word and Excel files carry the same warning in one line (their page header, first row).
    assert brief.preview_short(2030, dt.date(2026, 12, 6), "vi") == (
        "BẢN LẬP THỬ – lập trước năm 2030; các giá trị năm 2030 là ước tính")
    assert brief.preview_short(2030, dt.date(2030, 12, 6), "vi") is None
    plain = brief.export_html(executed_notebook(), tmp_path / "p.html", version="v").read_text(encoding="utf-8")
    assert "gm-preview-banner\"" not in plain and "Bản lập thử" not in plain


def test_no_page_margin_warning_without_illustrative_data(tmp_path: Path) -> None:
    out = brief.export_html(executed_notebook(illustrative=False, banner=False), tmp_path / "b.html", version="v")
    assert "@top-center" not in out.read_text(encoding="utf-8")


def test_banner_shown_by_notebook_alone_flags_the_page(tmp_path: Path) -> None:
    out = brief.export_html(executed_notebook(illustrative=False, banner=True), tmp_path / "b.html", version="v")
    assert "gm-illustrative-banner--page" in out.read_text(encoding="utf-8")


def test_no_banner_without_illustrative_data(tmp_path: Path) -> None:
    out = brief.export_html(executed_notebook(illustrative=False, banner=False), tmp_path / "b.html", version="v")
    assert "gm-illustrative-banner" not in re.sub(r"<style.*?</style>", "", out.read_text(encoding="utf-8"), flags=re.S)


def test_toc_lists_h1_to_h3_with_working_anchors(html: str) -> None:
    toc = re.search(r'<nav[^>]*class="gm-toc".*?</nav>', html, flags=re.S).group(0)
    assert [t for t in re.findall(r">([^<>]+)</a></li>", toc)] == ["Tổng quan", "Xu hướng", "Biểu đồ chi tiết"]
    for anchor in re.findall(r'href="#([^"]+)"', toc):
        assert f'id="{anchor}"' in html


def test_print_css_and_provenance(html: str) -> None:
    assert "@page" in html and "size: A4" in html
    assert re.search(r"break-inside:\s*avoid", html)
    assert "@media print" in html
    assert "Cục Thống kê, Niên giám 2024" in html and 'href="https://www.gso.gov.vn/"' in html
    # Input files, their hashes and the run's parameters are the operator's: the manifest holds them.
    assert "data/province/qt.csv" not in html and "abababababab" not in html and "manifest.json" in html
    assert "target=" not in html.split("<body", 1)[1]
    assert "data:image/png;base64," in html  # figures inlined


def test_english_brief(tmp_path: Path) -> None:
    out = brief.export_html(executed_notebook(language="en"), tmp_path / "en.html", version="v")
    text = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "Contents" in text and "ILLUSTRATIVE DATA" in text


def test_export_refuses_external_images(tmp_path: Path) -> None:
    nb = executed_notebook()
    nb.cells.append(new_markdown_cell("![logo](https://example.org/logo.png)"))
    with pytest.raises(brief.GenderMonitorError, match="external"):
        brief.export_html(nb, tmp_path / "x.html", version="v")


def test_unknown_language_is_an_error() -> None:
    with pytest.raises(brief.GenderMonitorError, match="language"):
        brief.illustrative_banner("fr")


def test_index_page_is_offline_and_lists_everything(tmp_path: Path) -> None:
    (tmp_path / "tables").mkdir()
    for name in ("assessment.csv", "series-4.1.csv", "draft-unsuppressed.csv"):
        (tmp_path / "tables" / name).write_text("code,status\n4.1,likely\n", encoding="utf-8")
    manifest = {"version": "0.1.0", "finished": "2025-06-30T09:00", "started": "2025-06-30T08:59",
                "git_commit": "abc", "packages": {"pandas": "3.1.1"},
                "parameters": {"review": "r", "language": "vi", "as_of": 2025, "publish": True, "pdf": False,
                               "inputs": ["data/**/*", "parameters/plan.yaml"], "workers": None}}
    runs = [
        {"name": "indicator-4.1", "title": "Chỉ tiêu 4.1", "role": "indicator", "status": "ok", "cache_hit": True,
         "outputs": {"html": "briefs/indicator-4.1.html", "pdf": "briefs/indicator-4.1.pdf",
                     "notebook": "notebooks/indicator-4.1.ipynb"}, "error": None, "pdf_note": None,
         "tables": ["tables/assessment.csv", "tables/assessment.json"]},
        {"name": "bad", "title": None, "role": "other", "status": "failed", "cache_hit": False,
         "outputs": {"notebook": "notebooks/bad.ipynb"}, "pdf_note": None, "notebook": "notebooks/bad.ipynb",
         "tables": ["tables/series-4.1.csv"],
         "error": {"stage": "cell", "cell_index": 4, "ename": "ValueError",
                   "evalue": "hỏng: /srv/gm/data/reported/2026/SNV.csv:8",
                   "source": "x = load()\nraise ValueError('hỏng') if x < 1 else x",
                   "traceback": ["Traceback (most recent call last)",
                                 'File "/srv/gm/.venv/lib/python3.11/site-packages/pandas/core/frame.py", line 3',
                                 "ValueError: hỏng"]}},
        {"name": "pdf-only", "title": None, "role": "other", "status": "failed", "cache_hit": False,
         "notebook": "notebooks/o.ipynb", "pdf_note": None,
         "outputs": {"notebook": "notebooks/pdf-only.ipynb", "html": "briefs/pdf-only.html", "pdf": None},
         "error": {"stage": "pdf", "cell_index": None, "ename": "GenderMonitorError",
                   "evalue": "Chromium did not print pdf-only.html: TimeoutError"}},
    ]
    board = brief.write_index(tmp_path, manifest, runs, pdf_note=CHROMIUM_HINT).read_text(encoding="utf-8")
    # The board's page: the briefs and the PDFs, a line on what failed, the way to the operator's page.
    assert 'href="briefs/indicator-4.1.html"' in board and 'href="operator.html"' in board
    assert "Có 2 tài liệu chưa lập được" in board and "Traceback" not in board and "hỏng" not in board
    text = (tmp_path / "operator.html").read_text(encoding="utf-8")
    assert 'href="index.html"' in text
    # The failure names its files, never the machine's folders.
    assert "/srv/gm" not in text and "SNV.csv:8" in text and "frame.py" in text
    assert '<html lang="vi">' in text and brief.external_references(text) == []
    assert 'href="briefs/indicator-4.1.html"' in text and 'href="briefs/indicator-4.1.pdf"' in text
    assert 'href="manifest.json"' in text
    # only the tables successful runs published are listed, not whatever lies in tables/
    assert 'href="tables/assessment.csv"' in text and 'href="tables/assessment.json"' in text
    assert "series-4.1" not in text and "draft-unsuppressed" not in text
    assert re.search(r"bad</span> \(notebooks/bad.ipynb\):\s+ô 4 của sổ tay gốc, đếm từ 0\s+— ValueError: hỏng", text)
    assert "x = load()\nraise ValueError(&#39;hỏng&#39;) if x &lt; 1 else x</pre>" in text
    assert "ValueError: hỏng</pre></details>" in text
    # a failure outside the cells names its stage (no "ô None"), and the HTML brief stays linked
    assert re.search(r"pdf-only</span> \(notebooks/o.ipynb\):\s+lỗi khi in PDF\s+— GenderMonitorError", text)
    assert "None" not in text and 'href="briefs/pdf-only.html"' in text
    assert "apt-get install chromium" in text
    # Parameters and times as a reader writes them: no Python True or list, Vietnamese day and hour.
    assert "<th>publish</th><td><code>có</code></td>" in text and "<th>pdf</th><td><code>không</code></td>" in text
    assert "<th>inputs</th><td><code>data/**/*, parameters/plan.yaml</code></td>" in text
    assert "<th>workers</th><td><code>—</code></td>" in text
    assert "True" not in text and "[&#39;" not in text
    assert "ngày chạy 30/6/2025 09:00" in text and "30/6/2025 08:59 → 30/6/2025 09:00" in text
    # A stamp in UTC is said in Viet Nam's time, the day and the hour alike (20:30 UTC is 03:30 next day).
    assert brief.moment_words("2025-06-30T20:30:00+00:00", "vi") == "01/7/2025 03:30"
    assert "<td>tóm tắt theo chỉ tiêu</td>" in text and "<td>other</td>" in text


# --- Chromium: PDF and rendering ------------------------------------------------------------------

CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not found (apt-get install chromium); "
                                                            "set GENDER_MONITOR_CHROMIUM to point at one")


@pytest.mark.slow
@needs_chromium
def test_pdf_has_a4_pages(html_path: Path, tmp_path: Path) -> None:
    pdf = print_pdf(html_path, tmp_path / "brief.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf_page_count(pdf) >= 1


@pytest.mark.slow
@needs_chromium
def test_chromium_renders_the_brief(html_path: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        cmd = chromium_command(CHROMIUM, profile, "--dump-dom", html_path.as_uri())
        dom = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=True).stdout
    assert "gm-toc" in dom and VI_TEXT in dom and "Chỉ tiêu 4.1 — Quảng Trị" in dom


def test_print_pdf_without_chromium_says_how_to_install(html_path: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GENDER_MONITOR_CHROMIUM", str(tmp_path / "no-such-chromium"))
    assert find_chromium() is None
    with pytest.raises(brief.GenderMonitorError, match="apt-get install chromium"):
        print_pdf(html_path, tmp_path / "x.pdf")


def test_pdf_page_count_reads_page_objects(tmp_path: Path) -> None:
    fake = tmp_path / "f.pdf"
    fake.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 2 >>\n2 0 obj << /Type /Page >>\n"
                     b"3 0 obj <</Type/Page>>\n%%EOF")
    assert pdf_page_count(fake) == 2


def test_fixture_notebooks_follow_the_contract() -> None:
    folder = Path(__file__).parent / "fixtures" / "notebooks"
    for path in folder.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path


def test_the_board_page_counts_statuses_and_actions_and_warns_of_illustrative_data(tmp_path: Path) -> None:
    manifest = {"parameters": {"review": "r", "language": "vi", "kind": "midterm", "as_of": 2025},
                "finished": "2026-12-04T09:30:00+07:00", "version": "v", "packages": {}}
    runs = [{"name": "review", "title": "Sơ kết <giữa kỳ>", "role": "review", "status": "ok", "cache_hit": False,
             "outputs": {"html": "briefs/review.html", "pdf": "briefs/review.pdf"}, "error": None,
             "tables": ["tables/report.docx"]}]
    assessment = pd.DataFrame({
        "code": ["1.1", "2.1", "2.2", "2.3"], "target_year": [2030, 2030, 2030, 2025],
        "status": ["met", "unlikely", "unlikely", "likely"], "trend": ["improving", "worsening", "improving", "up"],
        "n_obs": [9, 9, 9, 9], "illustrative": ["False", "True", "False", "False"]})
    text = brief.write_index(tmp_path, manifest, runs, assessment=assessment).read_text(encoding="utf-8")
    assert "Sơ kết &lt;giữa kỳ&gt;" in text and "Lập ngày 04/12/2026" in text  # escaped; the run's day
    # The report's date when the run recorded one (a rehearsal of 2027 says 2027, not the machine's day).
    dated = brief.write_index(tmp_path, manifest | {"report_date": "2027-12-05"}, runs,
                              assessment=assessment).read_text(encoding="utf-8")
    assert "Lập ngày 05/12/2027" in dated and "04/12/2026" not in dated
    assert "SỐ LIỆU MINH HỌA" in text  # one illustrative row is enough
    counts = dict(re.findall(r'data-status="(\w+)".*?<b class="gm-count">(\d+)</b>', text))
    assert counts == {"met": "1", "unlikely": "2"}  # the end year's rows only
    # 1.1 met and 2.3 likely (its latest target year) → maintain, 2.1 worsening → reverse, 2.2 → accelerate,
    # the 21 targets without a row → get data
    assert "Duy trì 2, Đẩy nhanh 1, Đảo ngược xu hướng 1, Bổ sung số liệu 21." in text
    assert 'href="tables/report.docx"' in text and '<div class="gm-preview-banner"' not in text
    # A trial run's briefs carry its banner: the board's page says so too, with its words and stamp.
    note = brief.preview_note(2030, dt.date(2026, 12, 6), "vi")
    trial = brief.write_index(tmp_path, manifest, [runs[0] | {"preview": note}],
                              assessment=assessment).read_text(encoding="utf-8")
    assert f'<div class="gm-preview-banner" role="note">{note}</div>' in trial and "· Bản lập thử</p>" in trial


def test_the_board_page_warns_when_a_brief_showed_illustrative_data_without_an_assessment_table(tmp_path):
    # The yearly report publishes an annex, not assessment.csv: the page learns from the runs themselves.
    manifest = {"parameters": {"review": "r", "language": "vi", "kind": "annual", "as_of": 2026},
                "finished": "2026-12-04T09:30:00+07:00", "version": "v", "packages": {}}
    run = {"name": "report", "title": "Báo cáo", "role": "report", "status": "ok", "cache_hit": False,
           "outputs": {"html": "briefs/report.html"}, "error": None, "tables": []}
    text = brief.write_index(tmp_path, manifest, [run | {"illustrative": True}]).read_text(encoding="utf-8")
    assert "SỐ LIỆU MINH HỌA" in text
    text = brief.write_index(tmp_path, manifest, [run | {"illustrative": False}]).read_text(encoding="utf-8")
    assert "SỐ LIỆU MINH HỌA" not in text
    failed = run | {"illustrative": True, "status": "failed", "outputs": {}}
    assert "SỐ LIỆU MINH HỌA" not in brief.write_index(tmp_path, manifest, [failed]).read_text(encoding="utf-8")


def test_a_chart_without_alternative_text_gets_one_from_its_heading() -> None:
    page = ('<h2 id="x">Chỉ tiêu 4.1<a class="anchor-link" href="#x">¶</a></h2><p>…</p>'
            f'<img src="data:image/png;base64,AA" alt="{brief.NBCONVERT_NO_ALT}"/><img src="a" alt="own"/>')
    out = brief._alt_texts(page, "vi")
    assert brief.NBCONVERT_NO_ALT not in out and 'alt="Biểu đồ: Chỉ tiêu 4.1"' in out and 'alt="own"' in out


def test_inline_charts_are_re_encoded_smaller_at_the_same_size() -> None:
    import io

    from matplotlib.figure import Figure
    from PIL import Image

    fig = Figure(figsize=(6, 3))
    ax = fig.subplots()
    ax.fill_between(range(20), [i * 0.5 for i in range(20)], [i * 0.8 for i in range(20)], alpha=0.3)
    ax.plot(range(20), [i * 0.6 for i in range(20)])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    raw = buffer.getvalue()
    page = f'<img src="data:image/png;base64,{base64.b64encode(raw).decode()}"/>'
    out = brief._compact_images(page)
    small = base64.b64decode(out.split("base64,", 1)[1].split('"', 1)[0])
    assert len(small) < 0.6 * len(raw)
    assert Image.open(io.BytesIO(small)).size == Image.open(io.BytesIO(raw)).size
    assert brief._compact_images('<img src="data:image/png;base64,bm90IGEgcG5n"/>') == \
        '<img src="data:image/png;base64,bm90IGEgcG5n"/>'  # not a picture: left as it is


def test_a_brief_is_dated_on_its_reports_day_not_the_machines(monkeypatch) -> None:
    meta = {"illustrative": False}
    said = brief._resources(meta, {"report_date": "2027-12-05"}, "vi", "v", "2026-12-04 09:00", [], None)
    assert said["day"] == "05/12/2027" and said["run_date"] == "2026-12-04 09:00"  # the run's time stays below
    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2027-12-06")  # no date at all: the suite's today (a rehearsal's)
    assert brief._resources(meta, {}, "vi", "v", None, [], None)["day"] == "06/12/2027"
    # The "made on" line and the Word file's creation date follow the same clock, not the machine's day.
    assert brief._resources(meta, {}, "vi", "v", None, [], None)["run_date"].startswith("06/12/2027 ")
    import docx
    from gender_monitor.publish import office

    made = docx.Document(io.BytesIO(office.document([], title="t"))).core_properties.created
    assert made.date() in (dt.date(2027, 12, 5), dt.date(2027, 12, 6))  # UTC: 7 hours behind Viet Nam


def test_every_board_action_has_a_style_of_its_own():
    # The action column colours each action ("Duy trì" green, "Đẩy nhanh" amber…); a withheld one ("Không công bố")
    # had no rule and showed in the default bold, as if it were a call to act.
    from gender_monitor.judge.messages import ACTIONS

    css = (Path(brief.__file__).parent / "templates" / "brief" / "static" / "brief.css").read_text(encoding="utf-8")
    missing = [a for a in ACTIONS if not re.search(rf"\.gm-action-{a}\s*{{[^}}]*color:", css)]
    assert not missing, missing
