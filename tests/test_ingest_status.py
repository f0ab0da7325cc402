"""A held value and a value of another status sent for its key, in one run and in successive runs.

An official value is never replaced by a preliminary one without a word: a stored official value refuses it (the
preliminary value is held), and an official value held for the agency to confirm is not resolved by it (the
preliminary value is stored, and its cell says what still waits). A value that could not be read is resolved by any
later value. The same files give the same data/ whether they come in one run or in several.

Expected values are the ones each test types into the template; the words are the rule's, written out by hand.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from gender_monitor.collect.ingest import ingest, settle
from test_ingest import LATER, NOW, fill, held_for, read, run, snapshot, templates  # noqa: F401 - the fixture

THEN = LATER + dt.timedelta(days=1)
KEY = ("4.1", "QT")


def waits(old: str, value: dict[str, str], where: str, new: str = "preliminary") -> tuple[str, str]:
    """The note at a value's cell naming a held value of a higher status it does not resolve (English, Vietnamese)."""
    words = {"official": "chính thức", "preliminary": "sơ bộ"}
    return (f"does not replace the held {old} value '{value['en']}' ({where}): a {new} value does not resolve a held "
            f"{old} one, so that entry still waits for the {old} value or to be settled by hand (gender-monitor "
            "quarantine)",
            f"không thay cho giá trị {words[old]} “{value['vi']}” đang bị giữ lại chờ xử lý ({where}): giá trị "
            f"{words[new]} không thay thế được giá trị {words[old]}, nên mục đó vẫn chờ cơ quan gửi giá trị "
            f"{words[old]} hoặc chờ xử lý thủ công (lệnh gender-monitor quarantine)")


def notes(result, file: str) -> list[tuple[str, str, str]]:
    """The warnings at ``file``'s cells that a held value still waits: (cell, English, Vietnamese)."""
    return [(f.cell, f.rule, f.rule_vi) for f in result.findings
            if f.file == file and f.severity == "warning" and f.rule.startswith("does not replace")]


def entries(home) -> list[tuple[str, str, str, str, str]]:
    """The quarantine: (file, value, status, resolved_file, resolved_value) of each entry."""
    return [(q["file"], q["value"], q["status"], q["resolved_file"], q["resolved_value"])
            for q in read(home / "data/quarantine/quarantine.csv")]


def stored(home, agency: str = "SYT", code: str = "4.1") -> tuple[str, str]:
    (row,) = [r for r in read(home / f"data/reported/2025/{agency}.csv") if r["indicator"] == code]
    return row["value"], row["status"]


def in_runs(home, tmp_path, runs: list[list], **kw) -> dict[str, list]:
    """Ingest ``runs`` one after the other into a copy of ``home``'s data/ (all at ``NOW``, as one run would be);
    returns that copy's data/ and the findings of every run."""
    across = tmp_path / "across"
    shutil.copytree(home / "data", across / "data")
    findings = []
    for files in runs:
        findings += ingest(files, data_dir=across / "data", outputs_dir=across / "outputs", now=NOW, **kw).findings
    return {"data": snapshot(across / "data"), "findings": findings}


# -- (a) official values held as a conflict, then a later value for their key -----------------------------------
@pytest.fixture
def three(templates, tmp_path):  # noqa: F811
    """SYT's 4.1 as 110.5 (SYT-a.xlsx) and 111 (SYT-b.xlsx), both official, and as 112 preliminary
    (SYT-so-bo.xlsx); the cell of the value (the same row in every file)."""
    files = {"a": tmp_path / "SYT-a.xlsx", "b": tmp_path / "SYT-b.xlsx", "prelim": tmp_path / "SYT-so-bo.xlsx"}
    cells = fill(templates["SYT"], files["a"], {KEY: {"value": 110.5}})
    fill(templates["SYT"], files["b"], {KEY: {"value": 111}})
    fill(templates["SYT"], files["prelim"], {KEY: {"value": 112, "status": "sơ bộ"}})
    return files, cells[KEY]


def test_a_preliminary_value_sent_later_leaves_two_official_values_held_as_a_conflict_waiting(three, templates,  # noqa: F811
                                                                                             home, tmp_path):
    # Run 1: SYT gives 4.1 as 110.5 and 111, both official, in two files: both are held for SYT to say which is
    # right. Run 2: SYT sends 112 as preliminary. It resolved both official entries ("replaces the held value"), so
    # SYT's official figure was taken as answered by a preliminary one. Now the preliminary value is stored (nothing
    # is stored for the key) and says that the two official values still wait.
    files, cell = three
    run([files["a"], files["b"]], home)
    assert held_for(home, 2025)["SYT"] == 2
    result = run([files["prelim"]], home, now=LATER)
    assert result.ok and [(f.added, f.quarantined, f.released) for f in result.files] == [(1, 0, 0)]
    assert stored(home) == ("112", "preliminary")
    assert entries(home) == [("SYT-a.xlsx", "110.5", "", "", ""), ("SYT-b.xlsx", "111", "", "", "")]
    assert held_for(home, 2025)["SYT"] == 2
    assert notes(result, "SYT-so-bo.xlsx") == [
        (cell, *waits("official", {"en": "110.5", "vi": "110,5"}, f"SYT-a.xlsx, {cell}")),
        (cell, *waits("official", {"en": "111", "vi": "111"}, f"SYT-b.xlsx, {cell}"))]
    # Run 3: the official value comes. It revises the preliminary one (kept in the revision log) and resolves both.
    fill(templates["SYT"], tmp_path / "SYT.xlsx", {KEY: {"value": 109}})
    last = run([tmp_path / "SYT.xlsx"], home, now=THEN)
    assert last.ok and [(f.added, f.revised, f.released) for f in last.files] == [(0, 1, 2)]
    assert stored(home) == ("109", "official")
    assert [(e["old_value"], e["old_status"], e["new_value"], e["new_status"])
            for e in read(home / "data/reported/revisions.csv")] == [("112", "preliminary", "109", "official")]
    assert entries(home) == [("SYT-a.xlsx", "110.5", "", "SYT.xlsx", "109"),
                             ("SYT-b.xlsx", "111", "", "SYT.xlsx", "109")]
    assert held_for(home, 2025)["SYT"] == 0 and not notes(last, "SYT.xlsx")


@pytest.mark.parametrize("order", [("a", "b", "prelim"), ("prelim", "a", "b"), ("a", "prelim", "b")])
def test_a_preliminary_value_leaves_official_values_held_as_a_conflict_waiting_in_one_run_as_in_two(three, home,
                                                                                                    tmp_path, order):
    # The same three files in one run, in any order: the data end as after the two runs, and the preliminary file
    # is told the same.
    files, cell = three
    across = in_runs(home, tmp_path, [[files["a"], files["b"]], [files["prelim"]]])
    result = run([files[o] for o in order], home)
    assert snapshot(home / "data") == across["data"]
    assert stored(home) == ("112", "preliminary") and held_for(home, 2025)["SYT"] == 2
    assert notes(result, "SYT-so-bo.xlsx") == [(f.cell, f.rule, f.rule_vi) for f in across["findings"]
                                               if f.rule.startswith("does not replace")]
    assert len(notes(result, "SYT-so-bo.xlsx")) == 2


def test_an_official_value_sent_later_still_resolves_official_values_held_as_a_conflict(three, templates, home,  # noqa: F811
                                                                                         tmp_path):
    # A later run's value of the same status is the agency's answer (in one run, which file is newer is not known).
    files, cell = three
    run([files["a"], files["b"]], home)
    fill(templates["SYT"], tmp_path / "SYT.xlsx", {KEY: {"value": 110.5}})
    result = run([tmp_path / "SYT.xlsx"], home, now=LATER)
    assert [(f.added, f.released) for f in result.files] == [(1, 2)] and not notes(result, "SYT.xlsx")
    assert stored(home) == ("110.5", "official") and held_for(home, 2025)["SYT"] == 0


def yearbook(home) -> None:
    """A copy of the provincial statistical yearbook in data/ giving 4.1 QT 2025 as 107, official."""
    (home / "data/province/nien_giam_2025.csv").write_text(
        "indicator,place,year,value,quarter,sex,numerator,denominator,unit,source,status,note,series\n"
        "4.1,QT,2025,107,,,,,per_100,Niên giám thống kê tỉnh Quảng Trị 2025,official,,\n", encoding="utf-8")


@pytest.mark.parametrize("runs", [[["a"], ["prelim"]], [["a", "prelim"]], [["prelim", "a"]]],
                         ids=["two runs", "one run", "one run, preliminary first"])
def test_a_preliminary_value_leaves_an_official_value_held_against_another_data_file_waiting(three, home, runs):
    # SYT's official 110.5 conflicts with the yearbook's official 107 and is held; SYT's preliminary 112 is stored
    # beside the yearbook's value (which stays the one used) and does not resolve the held official value, whether
    # the files come in one run or two.
    files, cell = three
    yearbook(home)
    results = [run([files[name] for name in names], home) for names in runs]
    assert stored(home) == ("112", "preliminary")
    assert entries(home) == [("SYT-a.xlsx", "110.5", "", "", "")] and held_for(home, 2025)["SYT"] == 1
    (held,) = read(home / "data/quarantine/quarantine.csv")
    assert held["reason"] == ("conflicts with the official value 107 at province/nien_giam_2025.csv:2 (same "
                              "indicator, place, year, quarter, sex and series)")
    said = [f for result in results for f in result.findings if f.file == "SYT-so-bo.xlsx" and f.severity == "warning"]
    assert [(f.cell, f.rule, f.rule_vi) for f in said] == [
        (cell, "the official value 107 at province/nien_giam_2025.csv:2 stays the one used",
         "giá trị chính thức 107 ở province/nien_giam_2025.csv:2 vẫn là giá trị được dùng"),
        (cell, *waits("official", {"en": "110.5", "vi": "110,5"}, f"SYT-a.xlsx, {cell}"))]


def test_a_preliminary_value_settled_by_hand_leaves_an_official_value_held_waiting(three, templates, home, tmp_path):  # noqa: F811
    # #1: SYT's official 110.5, held against the yearbook's 107. #2 and #3: 112 and 113, preliminary, held as a
    # conflict. The data officer settles #2 with 112 agreed with SYT: it is stored and resolves #3 (a preliminary
    # value of the same key), not #1, and says so.
    files, cell = three
    yearbook(home)
    run([files["a"]], home)
    fill(templates["SYT"], tmp_path / "SYT-so-bo-2.xlsx", {KEY: {"value": 113, "status": "sơ bộ"}})
    run([files["prelim"], tmp_path / "SYT-so-bo-2.xlsx"], home, now=LATER)
    assert [e[:2] for e in entries(home)] == [("SYT-a.xlsx", "110.5"), ("SYT-so-bo.xlsx", "112"),
                                              ("SYT-so-bo-2.xlsx", "113")] and held_for(home, 2025)["SYT"] == 3
    done = settle(2, value="112", by="Nguyễn Thị Lan", reason="Sở Y tế xác nhận số sơ bộ", data_dir=home / "data",
                  now=THEN)
    assert done.resolved == [2, 3] and stored(home) == ("112", "preliminary")
    assert [e[3:] for e in entries(home)] == [("", ""), ("quarantine.csv #2", "112"), ("quarantine.csv #2", "112")]
    assert held_for(home, 2025)["SYT"] == 1
    assert [(f.file, f.rule, f.rule_vi) for f in done.findings if f.rule.startswith("does not replace")] == [
        ("quarantine.csv #2", *waits("official", {"en": "110.5", "vi": "110,5"}, f"SYT-a.xlsx, {cell}"))]


# -- an official value held for another reason, then a preliminary value --------------------------------------
LOST = "Cục Thống kê Quảng Trị".encode("cp1252", errors="replace").decode("cp1252")  # "C?c Th?ng kê Qu?ng Tr?"


@pytest.mark.parametrize("runs", [[["official"], ["prelim"]], [["official", "prelim"]], [["prelim", "official"]]],
                         ids=["two runs", "one run", "one run, preliminary first"])
def test_an_official_value_held_for_its_lost_letters_is_not_resolved_by_a_preliminary_value(home, tmp_path, runs):
    # TKT's 2.3 as 27.4, official, from a CSV whose source lost its Vietnamese letters: a figure, held until the
    # file is saved again. A preliminary 26.9 for the key is stored; the official figure still waits.
    assert LOST == "C?c Th?ng kê Qu?ng Tr?"
    files = {"official": tmp_path / "TKT.csv", "prelim": tmp_path / "TKT-so-bo.csv"}
    files["official"].write_text(f"indicator,place,year,value,status,source\n2.3,QT,2025,27.4,official,{LOST}\n",
                                 encoding="utf-8")
    files["prelim"].write_text("indicator,place,year,value,status\n2.3,QT,2025,26.9,preliminary\n", encoding="utf-8")
    results = [run([files[name] for name in names], home, agency="TKT") for names in runs]
    assert stored(home, "TKT", "2.3") == ("26.9", "preliminary")
    assert [e[:4] for e in entries(home)] == [("TKT.csv", "27.4", "official", "")] and held_for(home, 2025)["TKT"] == 1
    assert [n for result in results for n in notes(result, "TKT-so-bo.csv")] == [
        ("line 2 [value]", *waits("official", {"en": "27.4", "vi": "27,4"}, "TKT.csv, line 2 [source]"))]


@pytest.mark.parametrize("runs", [[["official"], ["prelim"]], [["official", "prelim"]], [["prelim", "official"]]],
                         ids=["two runs", "one run", "one run, preliminary first"])
def test_an_official_value_that_could_not_be_read_is_resolved_by_a_preliminary_value(templates, home, tmp_path,  # noqa: F811
                                                                                     runs):
    # 4.2 typed as -3 (below its range) holds no figure: the preliminary 40.5 sent for the key resolves it, as any
    # value would, in one run or two.
    files = {"official": tmp_path / "SYT.xlsx", "prelim": tmp_path / "SYT-so-bo.xlsx"}
    fill(templates["SYT"], files["official"], {("4.2", "QT"): {"value": -3}})
    fill(templates["SYT"], files["prelim"], {("4.2", "QT"): {"value": 40.5, "status": "sơ bộ"}})
    results = [run([files[name] for name in names], home) for names in runs]
    assert stored(home, code="4.2") == ("40.5", "preliminary")
    assert entries(home) == [("SYT.xlsx", "-3", "", "SYT-so-bo.xlsx", "40.5")] and held_for(home, 2025)["SYT"] == 0
    assert sum(f.released for result in results for f in result.files) == 1
    assert not [n for result in results for n in notes(result, "SYT-so-bo.xlsx")]


# -- (b) an official value stored, then a preliminary value for its key -----------------------------------------
def test_a_preliminary_value_sent_after_a_stored_official_one_is_held_and_said(three, templates, home, tmp_path):  # noqa: F811
    # Run 1 stores 110.5 (official). Run 2 brings 112 as preliminary: it does not replace the official value; it is
    # held, and its cell says why, in both languages. Sent again, it is the entry already there. Run 3's official
    # 109 revises the stored value and resolves the held preliminary one.
    files, cell = three
    run([files["a"]], home)
    result = run([files["prelim"]], home, now=LATER)
    assert stored(home) == ("110.5", "official") and not (home / "data/reported/revisions.csv").exists()
    assert [(f.added, f.quarantined) for f in result.files] == [(0, 1)]
    assert [(f.file, f.cell, f.value, f.rule, f.rule_vi) for f in result.errors] == [
        ("SYT-so-bo.xlsx", cell, "112", "an official value (110.5) is already stored; a preliminary value does not "
         "replace it", "đã lưu giá trị chính thức (110,5); giá trị sơ bộ không thay thế được")]
    assert entries(home) == [("SYT-so-bo.xlsx", "112", "preliminary", "", "")] and held_for(home, 2025)["SYT"] == 1
    before = snapshot(home / "data")
    again = run([files["prelim"]], home, now=THEN)
    assert [f.already_quarantined for f in again.files] == [1] and snapshot(home / "data") == before
    fill(templates["SYT"], tmp_path / "SYT.xlsx", {KEY: {"value": 109}})
    last = run([tmp_path / "SYT.xlsx"], home, now=THEN)
    assert [(f.revised, f.released) for f in last.files] == [(1, 1)] and stored(home) == ("109", "official")
    assert entries(home) == [("SYT-so-bo.xlsx", "112", "preliminary", "SYT.xlsx", "109")]
    assert held_for(home, 2025)["SYT"] == 0
