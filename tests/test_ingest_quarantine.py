"""A held value settled by hand: the data officer telephoned the agency and either stores the value agreed, or sets
the held value aside. Who, why and when stay in the quarantine; nothing is deleted.

Expected values are the ones each test types into the template or on the command line.
"""

from __future__ import annotations

import datetime as dt

import pytest
from gender_monitor.cli.main import main
from gender_monitor.collect.ingest import settle
from gender_monitor.core.exceptions import IngestError
from test_ingest import LATER, NOW, SRB, fill, held_for, read, run, snapshot, templates  # noqa: F401 - the fixture

SETTLED = dt.datetime(2025, 12, 2, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=7)))
BY, WHY = "Nguyễn Thị Lan", "Sở Y tế xác nhận qua điện thoại ngày 02/12/2025"


@pytest.fixture
def held(templates, home, tmp_path):  # noqa: F811
    """SYT's return with 4.1 given as 108.2 (with its counts) and as 109 in two files of one run (both held, #1
    and #4), 4.2 as -3 below its range (#2, its source and counts typed) and 4.3 as "x" (#3)."""
    first, second = tmp_path / "SYT.xlsx", tmp_path / "SYT-v2.xlsx"
    cells = fill(templates["SYT"], first, SRB | {("4.2", "QT"): {"value": -3, "source": "Báo cáo 5/BC-SYT",
                                                                 "numerator": 5, "denominator": 12048},
                                                 ("4.3", "QT"): {"value": "x"}})
    fill(templates["SYT"], second, {("4.1", "QT"): {"value": 109}})
    run([first, second], home)
    entries = read(home / "data/quarantine/quarantine.csv")
    assert [(e["file"], e["indicator"], e["value"]) for e in entries] == [("SYT.xlsx", "4.1", "108.2"),
                                                                          ("SYT.xlsx", "4.2", "-3"),
                                                                          ("SYT.xlsx", "4.3", "x"),
                                                                          ("SYT-v2.xlsx", "4.1", "109")]
    assert held_for(home, 2025)["SYT"] == 4
    return cells


def test_the_held_values_are_listed_with_their_number(held, home, capsys):
    assert main(["quarantine", "--data", str(home / "data")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("4 giá trị đang bị giữ lại chờ xử lý: / 4 value(s) held in quarantine, waiting to be "
                          "settled:\n")
    assert f"  #2  SYT  SYT.xlsx [Số liệu!{held['4.2', 'QT']}]  20/11/2025  4.2 QT 2025 = '-3'\n" in out
    # Each half with its language's numbers: "12.048", "41,5" in Vietnamese; "12,048", "41.5" in English.
    assert ("      giá trị tính bằng trên 100.000 phải nằm trong khoảng 0 đến 100.000; không khớp với tử số/mẫu số "
            "(5/12.048 cho ra 41,5) / a value in per 100,000 must lie between 0 and 100,000; does not agree with "
            "numerator/denominator (5/12,048 gives 41.5)\n") in out
    assert "gender-monitor quarantine --resolve SỐ --value GIÁ_TRỊ" in out and "--drop N --by" in out


def test_a_value_agreed_with_the_agency_lands_and_the_entry_says_who_and_why(held, home):
    # The counts sent went with -3, not with the value agreed: they are not stored with it.
    done = settle(2, value="40,5", by=BY, reason=WHY, data_dir=home / "data", now=SETTLED)
    assert (done.resolved, done.stored) == ([2], "reported/2025/SYT.csv")
    (row,) = [r for r in read(home / "data/reported/2025/SYT.csv") if r["indicator"] == "4.2"]
    assert (row["value"], row["status"], row["unit"], row["numerator"], row["denominator"]) == (
        "40.5", "official", "per_100000", "", "")
    assert row["source"] == "SYT, quarantine.csv #2; Báo cáo 5/BC-SYT"
    entry = read(home / "data/quarantine/quarantine.csv")[1]
    assert {k: entry[k] for k in ("value", "resolved", "resolved_file", "resolved_value", "resolved_by",
                                  "resolved_reason")} == {
        "value": "-3", "resolved": SETTLED.isoformat(), "resolved_file": "quarantine.csv #2", "resolved_value": "40.5",
        "resolved_by": BY, "resolved_reason": WHY}
    assert held_for(home, 2025)["SYT"] == 3
    assert len(read(home / "data/quarantine/quarantine.csv")) == 4  # nothing deleted


def test_a_conflict_settled_by_hand_resolves_both_values_held_for_its_key(held, home, capsys):
    # 108.2 is the right one: it lands with the counts sent with it, and 109 (#4) is settled by the same call.
    assert main(["quarantine", "--data", str(home / "data"), "--resolve", "1", "--value", "108.2", "--by", BY,
                 "--reason", WHY]) == 0
    out = capsys.readouterr().out
    assert (f"#1: đã nhập giá trị 108,2 vào reported/2025/SYT.csv; người xử lý: {BY}; lý do: {WHY} (đồng thời xử "
            "lý các giá trị bị giữ lại cùng chỉ tiêu, địa bàn, kỳ: #4) / #1: the value 108.2 is stored in "
            f"reported/2025/SYT.csv; settled by {BY}: {WHY} (it also settles the values held for the same key: "
            "#4)") in out
    (row,) = [r for r in read(home / "data/reported/2025/SYT.csv") if r["indicator"] == "4.1"]
    assert (row["value"], row["numerator"], row["denominator"]) == ("108.2", "6000", "5545")
    entries = read(home / "data/quarantine/quarantine.csv")
    assert [(e["resolved_value"], e["resolved_by"]) for e in entries] == [("108.2", BY), ("", ""), ("", ""),
                                                                          ("108.2", BY)]
    assert held_for(home, 2025)["SYT"] == 2


def test_a_value_set_aside_is_kept_marked_and_nothing_lands(held, home, capsys, monkeypatch):
    monkeypatch.setenv("GENDER_MONITOR_TODAY", "2025-12-02")
    stored = snapshot(home / "data/reported")
    assert main(["quarantine", "--data", str(home / "data"), "--drop", "3", "--by", BY, "--reason",
                 "SYT chưa có số liệu 4.3 năm 2025"]) == 0
    assert ("#3: đã loại bỏ giá trị 'x', không nhập vào số liệu; người xử lý: Nguyễn Thị Lan; lý do: SYT chưa có số "
            "liệu 4.3 năm 2025 / #3: the value 'x' is set aside, nothing stored; settled by Nguyễn Thị Lan: SYT chưa "
            "có số liệu 4.3 năm 2025") in capsys.readouterr().out
    assert snapshot(home / "data/reported") == stored
    entry = read(home / "data/quarantine/quarantine.csv")[2]
    assert (entry["value"], entry["resolved_value"], entry["resolved_by"], entry["resolved_reason"]) == (
        "x", "", BY, "SYT chưa có số liệu 4.3 năm 2025")
    assert entry["resolved"].startswith("2025-12-02T")
    assert held_for(home, 2025)["SYT"] == 3
    # The listing of everything says how it was settled.
    main(["quarantine", "--data", str(home / "data"), "--all"])
    out = capsys.readouterr().out
    assert "4 mục trong danh sách giá trị bị giữ lại, trong đó 3 mục đang chờ xử lý" in out
    assert (f"      đã xử lý ngày 02/12/2025: {BY} loại bỏ giá trị này, không nhập vào số liệu; lý do: SYT chưa có số "
            f"liệu 4.3 năm 2025 / set aside on 02/12/2025 by {BY}, no value stored: SYT chưa có") in out


def test_a_value_a_rule_refuses_changes_nothing(held, home):
    before = snapshot(home / "data")
    with pytest.raises(IngestError) as refused:
        settle(2, value="-4", by=BY, reason=WHY, data_dir=home / "data", now=SETTLED)
    said = str(refused.value)
    assert said.startswith("#2: không lưu được giá trị -4: ") and "between 0 and 100,000" in said
    assert "nothing was changed" in said
    assert snapshot(home / "data") == before


@pytest.mark.parametrize("number, words", [
    (5, "#5 is not an entry of the quarantine (its entries are numbered 1 to 4)"), (0, "#0 is not an entry")])
def test_an_entry_that_is_not_there_is_named(held, home, number, words):
    with pytest.raises(IngestError, match=words.replace("(", r"\(").replace(")", r"\)")):
        settle(number, by=BY, reason=WHY, data_dir=home / "data")


def test_an_entry_settled_once_is_not_settled_again(held, home):
    settle(3, by=BY, reason=WHY, data_dir=home / "data", now=SETTLED)
    after = snapshot(home / "data")
    with pytest.raises(IngestError, match="#3 was settled on 2 December 2025"):
        settle(3, value="19.8", by="Trần Văn B", reason="khác", data_dir=home / "data")
    assert snapshot(home / "data") == after


def test_a_value_sent_later_for_the_key_resolves_no_entry_settled_by_hand(held, templates, home, tmp_path):  # noqa: F811
    settle(2, by=BY, reason=WHY, data_dir=home / "data", now=SETTLED)
    fill(templates["SYT"], tmp_path / "v3" / "SYT.xlsx", {("4.2", "QT"): {"value": 41.0}})
    result = run([tmp_path / "v3" / "SYT.xlsx"], home, now=SETTLED + dt.timedelta(days=1))
    assert result.files[0].released == 0
    entry = read(home / "data/quarantine/quarantine.csv")[1]
    assert (entry["resolved_by"], entry["resolved_value"]) == (BY, "")


@pytest.mark.parametrize("argv, said", [
    (["--resolve", "1", "--by", BY, "--reason", WHY], "--resolve cần giá trị đã thống nhất với cơ quan (--value)"),
    (["--drop", "1", "--reason", WHY], "--resolve và --drop cần họ tên người xử lý (--by) và lý do (--reason)"),
    (["--value", "3"], "--value chỉ dùng cùng --resolve / --value goes with --resolve only"),
    (["--drop", "1", "--by", BY, "--reason", WHY, "--all"], "--agency, --year và --all dùng để chọn mục cần liệt kê"),
    (["--drop", "1", "--by", BY, "--reason", "  "], "#1: hãy ghi lý do (--reason) để lưu lại căn cứ xử lý / #1: give "
                                                    "the reason (--reason)"),
])
def test_a_settlement_without_what_the_record_needs_is_refused_in_both_languages(held, home, capsys, argv, said):
    before = snapshot(home / "data")
    assert main(["quarantine", "--data", str(home / "data"), *argv]) == 2
    err = capsys.readouterr().err
    assert said in err and "lỗi / error: " in err
    assert snapshot(home / "data") == before


def test_a_dry_run_settles_nothing(held, home, capsys):
    before = snapshot(home / "data")
    assert main(["quarantine", "--data", str(home / "data"), "--resolve", "2", "--value", "40.5", "--by", BY,
                 "--reason", WHY, "--dry-run"]) == 0
    assert "chạy thử, chưa ghi gì / dry run, nothing written" in capsys.readouterr().out
    assert snapshot(home / "data") == before


def test_a_value_replacing_a_stored_one_is_logged_as_a_revision(held, home):
    # 4.2 settled as 40.5; SYT then sends -1 for it (held, #5) and, telephoned, gives 41: settling #5 with 41
    # replaces the stored 40.5, logged as a revision that came from the quarantine's entry #5.
    settle(2, value="40.5", by=BY, reason=WHY, data_dir=home / "data", now=SETTLED)
    path = home.parent / "syt.csv"
    path.write_text("indicator,place,year,value\n4.2,QT,2025,-1\n", encoding="utf-8")
    run([path], home, agency="SYT", now=SETTLED)
    settle(5, value="41", by=BY, reason="SYT sửa lại số liệu", data_dir=home / "data", now=SETTLED + dt.timedelta(1))
    (log,) = read(home / "data/reported/revisions.csv")
    assert (log["indicator"], log["old_value"], log["new_value"], log["file"]) == ("4.2", "40.5", "41",
                                                                                    "quarantine.csv #5")


def test_a_refused_settlement_quotes_the_value_in_each_languages_style(held, home):
    with pytest.raises(IngestError) as refused:
        settle(2, value="-4.5", by=BY, reason=WHY, data_dir=home / "data", now=SETTLED)
    vi, en = str(refused.value).split(" / ", 1)
    assert vi.startswith("#2: không lưu được giá trị -4,5: ") and "-4.5" in en and "-4,5" not in en


def test_a_held_row_with_a_mistyped_year_is_listed_under_the_round_it_came_in(held, home, capsys):
    # The returns table counts a row whose year is none of the plan's (2052 typed in the 2025 template) for the
    # round whose due day it came nearest: the list of that round's held values names it too.
    import csv

    path = home / "data/quarantine/quarantine.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[2]["year"] = "2052"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert main(["quarantine", "--data", str(home / "data"), "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "4.3 QT 2052 = 'x'" in out and out.startswith("4 giá trị đang bị giữ lại")
