"""Shared fixtures: a tiny places table and helpers to write observation files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gender_monitor.plan.reference import load_places
from gender_monitor.plan.registry import load_plan

PLACES_CSV = """code,name_vi,name_en,level,valid_from,valid_to,parent,successor,after_end,note
VN,Việt Nam,Viet Nam,country,,,,,,
QT,Quảng Trị,Quảng Trị,province,,2025-07-01,VN,QT25,territory,
QB,Quảng Bình,Quảng Bình,province,,2025-07-01,VN,QT25,territory,
QT25,Quảng Trị,Quảng Trị,province,2025-07-01,,VN,,,
QT-HH,Huyện Hướng Hóa,Hướng Hóa district,district,,2025-07-01,QT,QT25-001;QT25-002,abolished,
QT-DK,Huyện Đa Krông,Đa Krông district,district,,2025-07-01,QT,QT25-003,abolished,
QT25-001,Xã Khe Sanh,Khe Sanh commune,commune,2025-07-01,,QT25,,,
QT25-002,Xã Lao Bảo,Lao Bảo commune,commune,2025-07-01,,QT25,,,
QT25-003,Xã Đakrông,Đakrông commune,commune,2025-07-01,,QT25,,,
"""

ROOT = Path(__file__).resolve().parents[1]
HEADER = "indicator,place,year,value,quarter,sex,numerator,denominator,unit,source,status,note,series\n"


@pytest.fixture(scope="session")
def plan():
    return load_plan()


@pytest.fixture(scope="session")
def places(tmp_path_factory):
    d = tmp_path_factory.mktemp("reference")
    (d / "places.csv").write_text(PLACES_CSV, encoding="utf-8")
    return load_places(d)


@pytest.fixture
def write_obs(tmp_path):
    """Write an observation CSV from rows given as text lines (header added unless given)."""

    def _write(lines: list[str], name: str = "obs.csv", header: str | None = HEADER) -> Path:
        path = tmp_path / name
        path.write_text((header or "") + "\n".join(lines) + "\n", encoding="utf-8")
        return path

    return _write


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A repository home with a copy of data/ (the panels are not needed) and the real parameters."""
    root = tmp_path / "home"
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns("panels"))
    (root / "parameters").symlink_to(ROOT / "parameters")
    monkeypatch.setenv("GENDER_MONITOR_HOME", str(root))
    return root
