"""A held value and a value of another status sent for its key, in one run and in successive runs.

A stored official value is not replaced by a preliminary one sent later: the preliminary value is held, and its cell
says why. A later value of the same status resolves values held as a conflict; a value that could not be read is
resolved by any later value, in one run or two.

Expected values are the ones each test types into the template; the words are the rule's, written out by hand.
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_ingest import LATER, fill, held_for, read, run, snapshot, templates  # noqa: F401 - the fixture

THEN = LATER + dt.timedelta(days=1)
KEY = ("4.1", "QT")


def entries(home) -> list[tuple[str, str, str, str, str]]:
    """The quarantine: (file, value, status, resolved_file, resolved_value) of each entry."""
    return [(q["file"], q["value"], q["status"], q["resolved_file"], q["resolved_value"])
            for q in read(home / "data/quarantine/quarantine.csv")]


def stored(home, agency: str = "SYT", code: str = "4.1") -> tuple[str, str]:
    (row,) = [r for r in read(home / f"data/reported/2025/{agency}.csv") if r["indicator"] == code]
    return row["value"], row["status"]


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


def test_an_official_value_sent_later_still_resolves_official_values_held_as_a_conflict(three, templates, home,  # noqa: F811
                                                                                         tmp_path):
    # A later run's value of the same status is the agency's answer (in one run, which file is newer is not known).
    files, cell = three
    run([files["a"], files["b"]], home)
    fill(templates["SYT"], tmp_path / "SYT.xlsx", {KEY: {"value": 110.5}})
    result = run([tmp_path / "SYT.xlsx"], home, now=LATER)
    assert [(f.added, f.released) for f in result.files] == [(1, 2)]
    assert stored(home) == ("110.5", "official") and held_for(home, 2025)["SYT"] == 0


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
