"""Agencies and places in time, from the reference tables and on broken copies of them."""

from __future__ import annotations

import shutil

import pytest
from gender_monitor.core import paths
from gender_monitor.core.exceptions import PlanError
from gender_monitor.plan.reference import load_agencies, load_places


@pytest.fixture(scope="module")
def agencies():
    return load_agencies()


@pytest.fixture(scope="module")
def real_places():
    return load_places()


@pytest.mark.parametrize(("lead", "code", "year", "expected"), [
    ("SLDTBXH", "5.3", 2024, "SLDTBXH"),  # before 1 March 2025 the plan's lead reports
    ("SLDTBXH", "5.3", 2026, "SGDDT"),  # vocational education went to Education
    ("SLDTBXH", "3.3", 2026, "SYT"),  # support to trafficking victims went to Health
    ("SLDTBXH", "2.1", 2026, "SNV"),  # gender equality and labour went to Home Affairs
    ("BDT", "3.5a", 2026, "SDTTG"),
    ("STTTT", "6.3", 2026, "SKHCN"),
    ("CTK", "5.4a", 2026, "TKT"),
    ("SYT", "4.1", 2026, "SYT"),  # unchanged
])
def test_who_reports_a_target(agencies, lead, code, year, expected):
    assert agencies.responsible(lead, target=code, on=year).code == expected


def test_every_plan_lead_is_a_known_agency(plan, agencies):
    assert plan.agency_codes() <= agencies.codes
    assert agencies.responsible("SLDTBXH", on=2026).code == "SNV"  # the coordinator's successor


def test_places_in_time(real_places):
    hh = real_places["QT-HH"]
    assert hh.level == "district" and hh.valid_to.isoformat() == "2025-07-01" and hh.after_end == "abolished"
    assert hh.applicable_in(2024) and not hh.applicable_in(2025) and not hh.applicable_in(2030)
    qt = real_places["QT"]
    assert qt.successors == ("QT25",) and qt.applicable_in(2030)  # its territory is still tracked
    assert not real_places["QT25"].exists_on(2024) and real_places["QT25"].exists_on(2026)
    assert len(real_places.children("QT", level="district")) == 10
    communes = real_places.children("QT25", level="commune")
    assert len(communes) == 78
    from_qt = [c for c in communes if real_places.extra[c.code]["former_province"] == "QT"]
    assert len(from_qt) == 37  # 33 communes, 3 wards and the Cồn Cỏ special zone


def _copy_reference(tmp_path):
    target = tmp_path / "reference"
    shutil.copytree(paths.reference_dir(), target)
    return target


def test_broken_places_table_names_every_row(tmp_path):
    d = _copy_reference(tmp_path)
    text = (d / "places.csv").read_text(encoding="utf-8").splitlines()
    text[2] = text[2].replace(",province,", ",region,")  # line 3
    text[4] = text[4].replace("2025-07-01", "1/7/2025", 1)  # line 5: QT25, valid_from
    text.append("QT,duplicate,duplicate,province,,,VN,,,")  # last line
    (d / "places.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(PlanError) as err:
        load_places(d)
    found = {(i.line, i.column) for i in err.value.issues}
    assert (3, "level") in found and (5, "valid_from") in found and (len(text), "code") in found


def test_unknown_successor_agency_is_an_error(tmp_path):
    d = _copy_reference(tmp_path)
    path = d / "agencies.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("SNV;SYT;SGDDT", "SNV;XYZ;SGDDT"), encoding="utf-8")
    with pytest.raises(PlanError) as err:
        load_agencies(d)
    (issue,) = err.value.issues
    assert (issue.line, issue.column, issue.value) == (2, "successors", "XYZ")
    assert (issue.rule_vi, issue.rule) == ("mã cơ quan không có trong agencies.csv",
                                           "unknown agency code (not in agencies.csv)")


def test_a_list_of_valid_codes_says_a_run_of_numbered_codes_by_its_ends(real_places):
    from gender_monitor.plan.reference import compact_codes

    assert compact_codes(["B-03", "A1", "A2", "B-01", "B-02", "B-05", "C-010", "C-009", "C-011"]) == (
        "A1, A2, B-01…B-03, B-05, C-009…C-011")
    assert compact_codes(["X9", "X10", "X11"]) == "X10, X11, X9"  # not one run: widths differ, sorted as text
    listed = real_places.listed()
    assert "QT25-001…QT25-078" in listed and "QT25-002" not in listed
    assert listed.startswith("QB, QB-BD,") and listed.endswith(", QT25, QT25-001…QT25-078, VN")
