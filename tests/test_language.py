"""The briefs read as a provincial report: no English left in the Vietnamese version, no Vietnamese in the
English one, and none of the machine phrasings a reader found (repeated words, empty brackets, dangling
separators, sentences about zero targets, ISO dates, "X trong Y" calques, "-rebased" labels).

The briefs are those the notebook tests execute (the ``executed`` fixture of ``test_notebooks``), so the
check costs no extra run. The sources listed in a brief's footer are citations of their producers (often
English titles of international datasets) and are left out of the scan.
"""

from __future__ import annotations

import html as html_lib
import re
import shutil

import pytest
from test_notebooks import executed  # noqa: F401 - the fixture the briefs come from

#: English words that must not reach a Vietnamese reader (whole words, case-sensitive).
ENGLISH = ("the", "and", "of", "with", "from", "Illustrative", "not real", "Ministry", "national report", "year",
           "indicator", "place", "series", "rows", "first", "last", "status", "MAE", "sMAPE", "kernel", "notebook",
           "Objective", "target", "targets", "projection", "data", "value", "source", "None", "nan", "NaN",
           "rebased", "official", "preliminary", "estimate", "illustrative", "True", "False")
#: Machine phrasings, in either language: (name, pattern).
PHRASES = (
    ("a word repeated", r"\b(?!\d|Tên\b)(\w+) \1\b"),  # Tên: where proper names were
    ("empty brackets", r"\(\s*\)"),
    ("a dangling separator", r"·\s*(?=·|\)|$)|(?<=\()\s*·"),
    ("a sentence about zero targets", r"(?<![\d,.])0 (?:chỉ tiêu|đã đạt|có khả năng|chưa đủ|khó đạt|chưa có|targets?\b)"),
    ("an ISO date", r"\b\d{4}-\d{2}-\d{2}\b"),
    ("a year with a dash for a bracket", r"\(-\d{4}\)"),
    ("an English 'X of Y' in Vietnamese", r"\b\d+ trong (?:tổng số )?\d+\b"),
    ("a series label", r"-rebased\b"),
    ("English plural after one", r"\b1 (?:targets|values|agencies)\b"),
)
#: Lower-case words with Vietnamese letters: Vietnamese prose (names of places and agencies are capitalised).
VIETNAMESE_WORD = re.compile(r"(?<![\w])[a-zà-ỹđ]*[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ][a-zà-ỹđ]*")


def visible_text(page: str) -> str:
    """What a reader sees: the body without styles, scripts, images, the sources footer and tags."""
    body = page.split("<body", 1)[-1]
    body = re.sub(r"(?s)<(style|script|footer)\b.*?</\1>", " ", body)
    body = re.sub(r"(?s)<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html_lib.unescape(body))


def proper_names() -> list[str]:
    """Names of places and agencies: Vietnamese in either version, as written (longest first)."""
    from gender_monitor.plan.reference import load_agencies, load_places

    places, agencies = load_places(), load_agencies()
    names = {places[c].name_vi for c in places.codes} | {agencies[c].name_vi for c in agencies.codes}
    return sorted(names, key=len, reverse=True)


def defects(text: str, language: str, names: tuple[str, ...] = ("Sở Y tế",)) -> list[str]:
    """Every defect found, each with the words around it; ``names`` are proper names, not prose."""
    found = []
    for name in names:
        text = text.replace(name, "Tên")  # a capitalised word, so that separators stay between words

    def note(kind: str, m: re.Match) -> None:
        found.append(f"{kind}: …{text[max(0, m.start() - 40):m.end() + 40]}…")

    if language == "vi":
        for word in ENGLISH:
            for m in re.finditer(rf"(?<![\w/.-]){re.escape(word)}(?![\w/.-])", text):
                note(f"English '{word}'", m)
    else:
        for m in VIETNAMESE_WORD.finditer(text):
            note("Vietnamese word", m)
    for kind, pattern in PHRASES:
        for m in re.finditer(pattern, text):
            note(kind, m)
    return found


@pytest.mark.parametrize("text", ["tốc độ giảm giảm 2,8%/năm", "dự báo ()", "1,78 lần · ", "Độ tin cậy: cao ·",
                                  "Trong 5 chỉ tiêu: 0 chưa có số liệu", "ngày chạy 2026-12-03 17:41",
                                  "thực hiện (-2025)", "560 trong 768 giá trị", "chuỗi survey-rebased",
                                  "Illustrative (not real) values", "Bộ Tư pháp (Ministry of Justice)", "MAE"])
def test_the_check_finds_each_defect_readers_reported(text):
    assert defects(text, "vi"), text


def test_the_check_passes_clean_vietnamese_and_english():
    assert defects("Trong 22 chỉ tiêu có mức cần đạt năm 2025: 5 đã đạt hoặc vượt (xác suất 61%). "
                   "Lập ngày 04/12/2026 · Bản công bố. Quảng Trị (mới, từ 01/7/2025): 112,7 bé trai/100 bé gái.",
                   "vi") == []
    assert defects("Of the 22 targets with a 2025 target: 5 met. Quảng Trị (merged) · Sở Y tế.", "en") == []
    assert defects("the chỉ tiêu", "en")  # a Vietnamese word in the English version


@pytest.mark.slow
@pytest.mark.parametrize(("key", "language"), [("review-vi", "vi"), ("review-en", "en"), ("objective-3", "vi"),
                                               ("explorer-4.1", "vi"), ("explorer-3.5a-publish", "vi"),
                                               ("explorer-district", "vi"), ("overview", "vi")])
def test_briefs_read_as_a_provincial_report(executed, key, language):  # noqa: F811 - the fixture
    _, page = executed(key)
    assert defects(visible_text(page), language, tuple(proper_names())) == []


@pytest.mark.slow
def test_the_review_pdf_puts_every_target_on_page_one_and_runs_to_eight_pages(executed, tmp_path):  # noqa: F811
    import subprocess

    from gender_monitor.plan.registry import load_plan
    from gender_monitor.publish.pdf import find_chromium, pdf_page_count, print_pdf

    chromium = find_chromium()
    if chromium is None:
        pytest.skip("Chromium not found (apt-get install chromium)")
    _, page = executed("review-vi")
    (tmp_path / "review.html").write_text(page, encoding="utf-8")
    pdf = print_pdf(tmp_path / "review.html", tmp_path / "review.pdf", chromium=chromium)
    assert pdf_page_count(pdf) <= 8
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                           check=False).stdout if shutil.which("pdftotext") else None
    if first is not None:
        codes = set(re.findall(r"^(\d\.\d[ab]?)\b", first, re.M))
        assert codes == set(load_plan().codes)
