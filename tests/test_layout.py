"""The package's folder tree follows the data flow: each stage imports only the stages upstream of it."""

from __future__ import annotations

import ast
from pathlib import Path

import gender_monitor

PACKAGE = Path(gender_monitor.__file__).parent

#: Each stage and the stages it may import (besides itself). The order is the data-flow picture in
#: docs/ARCHITECTURE.md: plan → data → forecast → judge → publish → review, with collect (the
#: agencies' returns) beside forecast, and cli on top.
UPSTREAM = {
    "core": set(),
    "plan": {"core"},
    "data": {"core", "plan"},
    "collect": {"core", "plan", "data"},
    "forecast": {"core", "plan", "data"},
    "judge": {"core", "plan", "data", "forecast"},
    "publish": {"core", "plan", "data", "forecast", "judge"},
    "review": {"core", "plan", "data", "forecast", "judge", "publish"},
    "cli": {"core", "plan", "data", "collect", "forecast", "judge", "publish", "review"},
}


def _imported_stages(path: Path) -> set[str]:
    stages = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gender_monitor."):
            stages.add(node.module.split(".")[1])
        elif isinstance(node, ast.ImportFrom) and node.module == "gender_monitor":
            stages |= {a.name for a in node.names if a.name in UPSTREAM}
        elif isinstance(node, ast.Import):
            stages |= {a.name.split(".")[1] for a in node.names if a.name.startswith("gender_monitor.")}
    return stages


def test_every_module_lives_in_a_stage():
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in {"__init__.py", "__main__.py"})
    assert loose == []
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(UPSTREAM)


def test_imports_run_downstream_only():
    wrong = []
    for stage, allowed in UPSTREAM.items():
        for path in sorted((PACKAGE / stage).rglob("*.py")):
            for imported in _imported_stages(path) - allowed - {stage}:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {imported}")
    assert wrong == []


def test_the_check_sees_an_upstream_import(tmp_path):
    bad = tmp_path / "m.py"
    bad.write_text("from gender_monitor.review.runner import run\nimport gender_monitor.judge.assessment\n")
    assert _imported_stages(bad) == {"review", "judge"}
