"""Reading observation CSVs loses no row silently: broken quoting, long fields, odd encodings and line
ends are refused by name (file, line where the fault began) or read whole; a seeded fuzz test checks it."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest
from gender_monitor.data.observations import FIELD_LIMIT, check_observations, read_observation_csv

HEADER = ["indicator", "place", "year", "value", "note"]


def _rows(n: int) -> list[list[str]]:
    return [["4.1", "QT", str(1990 + i), f"{10 + i}.5", f"ghi chú {i}"] for i in range(n)]


def _write(path: Path, rows: list[list[str]], *, newline: str = "\n", encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows([HEADER, *rows])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def test_unclosed_quote_refuses_the_file_naming_the_line_where_the_field_opened(tmp_path: Path) -> None:
    # The issue's case: one unclosed quote in a note of row 15 of 35 swallowed the 20 rows after it.
    lines = [",".join(HEADER)] + [",".join(r) for r in _rows(35)]
    lines[15] = '4.1,QT,2004,24.5,"theo báo cáo quý'
    path = tmp_path / "obs.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame, issues = read_observation_csv(path)
    assert frame.empty
    assert [(i.line, i.severity) for i in issues] == [(16, "error")]
    assert "line 16" in issues[0].rule and 'quote (")' in issues[0].rule


def test_quote_closed_lines_later_is_refused_too(tmp_path: Path) -> None:
    # A stray quote closed by another one three lines later would merge four rows into one note.
    lines = [",".join(HEADER)] + [",".join(r) for r in _rows(6)]
    lines[2] = '4.1,QT,1991,11.5,"nửa'
    lines[5] = '4.1,QT,1994,14.5,xong"'
    path = tmp_path / "obs.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame, issues = read_observation_csv(path)
    assert frame.empty and [i.line for i in issues] == [3]
    assert "runs over 4 lines (to line 6)" in issues[0].rule


def test_check_command_fails_on_a_swallowing_quote(tmp_path: Path) -> None:
    lines = [",".join(HEADER)] + [",".join(r) for r in _rows(3)]
    lines[1] = '4.1,QT,1990,10.5,"mở'
    path = tmp_path / "obs.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame, issues = check_observations([path])
    assert frame.empty and any(i.severity == "error" and i.line == 2 for i in issues)


def test_field_over_the_limit_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    rows = _rows(3)
    rows[1][4] = "x" * (FIELD_LIMIT + 1)
    frame, issues = read_observation_csv(_write(tmp_path / "big.csv", rows))
    assert frame.empty and [i.line for i in issues] == [3]
    assert "longer than 64 KiB" in issues[0].rule
    # The limit of the csv module is restored for other readers.
    assert csv.field_size_limit() == 131072


def test_bom_crlf_and_lone_cr_files_are_read_whole(tmp_path: Path) -> None:
    for newline, encoding in (("\r\n", "utf-8-sig"), ("\r", "utf-8"), ("\n", "utf-8-sig")):
        frame, issues = read_observation_csv(_write(tmp_path / "x.csv", _rows(4), newline=newline, encoding=encoding))
        assert issues == [] and list(frame["year"]) == ["1990", "1991", "1992", "1993"]
        assert list(frame["line"]) == [2, 3, 4, 5]
        assert frame["note"].iloc[0] == "ghi chú 0"


@pytest.mark.parametrize(("encoding", "words"), [("utf-16", "UTF-16"), ("cp1258", "not UTF-8")])
def test_other_encodings_are_refused_by_name(tmp_path: Path, encoding: str, words: str) -> None:
    frame, issues = read_observation_csv(_write(tmp_path / "x.csv", _rows(2), encoding=encoding))
    assert frame.empty and len(issues) == 1 and words in issues[0].rule and "CSV UTF-8" in issues[0].rule


#: What to choose to save a CSV again as UTF-8, in Excel and in LibreOffice Calc, as ingestion's refusal says it too.
SAVE_UTF8_VI = ("hãy lưu lại từ bảng tính gốc: trong Excel chọn kiểu tệp “CSV UTF-8 (Comma delimited) (*.csv)”; trong "
                "LibreOffice Calc lưu lại với kiểu tệp CSV, chọn sửa thiết lập bộ lọc, rồi trong hộp thoại xuất tệp "
                "chọn bộ ký tự “Unicode (UTF-8)”")
SAVE_UTF8_EN = ('save it again from the original spreadsheet: in Excel choose the file type "CSV UTF-8 (Comma '
                'delimited) (*.csv)"; in LibreOffice Calc choose File > Save As, file type "Text CSV (.csv)", tick '
                '"Edit filter settings", then choose the character set "Unicode (UTF-8)" in the export dialog')


def test_a_file_not_utf8_is_named_at_its_line_with_what_to_choose_in_excel_and_in_libreoffice(tmp_path: Path) -> None:
    # LibreOffice's default export ("Western Europe", Latin-1) writes the "ú" of a note as one byte, 0xFA, which no
    # UTF-8 text holds. 1,000 rows of about 30 bytes run past the reader's first block of 8,192 bytes: the message
    # said "invalid start byte at byte <n>" counted from the block the reader was decoding, English in the
    # Vietnamese words, and told only what to choose in Excel. Row 900 (line 901) holds the first such byte.
    rows = [["4.1", "QT", str(1000 + i), "10.5", "ghi chu"] for i in range(1000)]
    rows[899][4] = "ghi chú"
    for newline in ("\r", "\r\n"):  # Excel for Mac's "CSV (Macintosh)" ends its lines with "\r" alone
        path = _write(tmp_path / "x.csv", rows, encoding="latin-1", newline=newline)
        assert [(i.line, i.severity) for i in read_observation_csv(path)[1]] == [(901, "error")], repr(newline)
    path = _write(tmp_path / "x.csv", rows, encoding="latin-1")
    frame, issues = read_observation_csv(path)
    assert frame.empty
    assert [(i.file, i.line, i.severity) for i in issues] == [(str(path), 901, "error")]
    assert issues[0].rule_vi == "tệp không phải văn bản UTF-8; " + SAVE_UTF8_VI
    assert issues[0].rule == "not UTF-8 text; " + SAVE_UTF8_EN
    # Ingestion refuses the same file whole with the same advice, one text for both.
    from gender_monitor.core import i18n

    said = i18n.each_language("collect.refusal.csv_encoding", name="x.csv", line=901,
                              advice=i18n.each_language("rules.save_utf8"))
    assert said["vi"].endswith("(các chữ như “ơ”, “ư”, “đ”, “ạ”); " + SAVE_UTF8_VI)
    assert said["en"].endswith('(letters such as "ơ", "ư", "đ", "ạ"); ' + SAVE_UTF8_EN)


# --- fuzz -------------------------------------------------------------------------------------------------
ALPHABET = ['"', ",", " ", "a", "ờ", "1", ".", "'", "\t", ";"] * 4 + ["\n", "\r"]


def _field(rnd: random.Random) -> str:
    kind = rnd.random()
    if kind < 0.85:
        return rnd.choice(["4.1", "QT", "2020", "12.5", "", "ghi chú", "Sở Y tế", "a, b", 'nói "có"'])
    if kind < 0.995:
        return "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 8)))
    return "y" * rnd.choice([FIELD_LIMIT - 10, FIELD_LIMIT + 10])


def _corrupt(text: str, rnd: random.Random) -> str:
    for _ in range(rnd.randint(0, 3)):
        at = rnd.randrange(len(text) + 1)
        action = rnd.random()
        if action < 0.5:
            text = text[:at] + '"' + text[at:]
        elif action < 0.8 and '"' in text:
            q = rnd.choice([i for i, c in enumerate(text) if c == '"'])
            text = text[:q] + text[q + 1:]
        else:
            text = text[:at]
    return text


def test_fuzz_no_row_is_lost_silently(tmp_path: Path) -> None:
    """Random fields (quotes, separators, line ends, Vietnamese, huge), written correctly or corrupted, in
    several encodings and line ends: a file is refused with an issue, or every non-blank data line of it
    comes back as one row (or one issue naming it), with the fields as written when it was not corrupted."""
    rnd = random.Random(20251203)
    outcomes = {"refused": 0, "read": 0}
    for case in range(400):
        rows = [[_field(rnd) for _ in HEADER] for _ in range(rnd.randint(0, 15))]
        newline = rnd.choice(["\n", "\r\n", "\r"])
        buf = io.StringIO()
        csv.writer(buf, lineterminator=newline).writerows([HEADER, *rows])
        text = buf.getvalue()
        corrupted = rnd.random() < 0.4
        if corrupted:
            text = _corrupt(text, rnd)
        encoding = rnd.choice(["utf-8"] * 4 + ["utf-8-sig"] * 2 + ["utf-16", "cp1258"])
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            data = text.encode("utf-8")
        path = tmp_path / f"fuzz{case}.csv"
        path.write_bytes(data)
        frame, issues = read_observation_csv(path)
        if any(i.line is None or i.line == 1 or "quot" in i.rule or "KiB" in i.rule or "not UTF-8" in i.rule
               for i in issues):
            assert frame.empty, (case, issues)
            outcomes["refused"] += 1
            continue
        outcomes["read"] += 1
        physical = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        # A line of separators and quotes alone may hold only blank fields (skipped as a blank record).
        maybe_blank = {n for n, line in enumerate(physical[1:], start=2) if not line.strip(' ,\t"')}
        data_lines = {n for n, line in enumerate(physical[1:], start=2) if n not in maybe_blank}
        got = list(frame["line"]) + [i.line for i in issues]
        assert len(got) == len(set(got)), case  # one row or one issue per line
        assert data_lines <= set(got) <= data_lines | maybe_blank, case
        if not corrupted and not issues:
            expected = [[c.strip() for c in r] for r in rows if any(c.strip() for c in r)]
            assert frame[HEADER].values.tolist() == expected, case
    assert outcomes["refused"] > 50 and outcomes["read"] > 50, outcomes
