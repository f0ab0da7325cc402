"""The review batch: strict parameters, failures reported per cell, cache reuse, --force, manifest, index."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from gender_monitor import runner
from gender_monitor.exceptions import ParameterError
from gender_monitor.review_params import load_review_parameters, validate_review_parameters

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
LIBRARY_DIGEST = runner.library_digest  # the real one (the batch tests pin it)


def _config(**overrides) -> dict:
    config = {
        "review": "fixture", "language": "vi", "as_of": 2025, "place": "QT", "cell_timeout": 60,
        "workers": 2, "pdf": True, "inputs": ["data/**/*.csv"],
        "notebooks": [
            {"role": "overview", "path": "nb/overview.ipynb"},
            {"role": "indicator", "path": "nb/indicator.ipynb", "each": "target", "codes": ["4.1", "5.2"]},
            {"role": "broken", "path": "nb/failing.ipynb"},
            {"role": "review", "path": "nb/mid_term_review.ipynb"},  # not written yet: reported missing
        ],
    }
    return config | overrides


def _write(path: Path, config: dict) -> Path:
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A repository of its own: fixture notebooks, one data file, parameters, outputs."""
    root = tmp_path_factory.mktemp("home")
    shutil.copytree(FIXTURES, root / "nb")
    (root / "data").mkdir()
    (root / "data" / "obs.csv").write_text("indicator,place,year,value\n4.1,QT,2024,12.5\n", encoding="utf-8")
    (root / "parameters").mkdir()
    return root


@pytest.fixture(scope="module")
def env(home: Path):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GENDER_MONITOR_HOME", str(home))
        mp.setenv("GENDER_MONITOR_CHROMIUM", str(home / "no-chromium-here"))  # PDFs are skipped
        # The library's own digest is pinned: colleagues editing lib/ while the tests run would
        # otherwise (rightly) invalidate the cache between two runs of one test.
        mp.setattr(runner, "library_digest", lambda: "pinned-library-digest")
        yield mp


@pytest.fixture(scope="module")
def first(home: Path, env) -> runner.ReviewResult:
    return runner.run_review(_write(home / "parameters" / "review.yaml", _config()), progress=False)


# --- strict parameters --------------------------------------------------------------------------


def test_unknown_key_is_an_error_naming_file_and_key(tmp_path: Path) -> None:
    file = _write(tmp_path / "r.yaml", _config(langauge="en"))
    with pytest.raises(ParameterError) as info:
        load_review_parameters(file)
    (issue,) = info.value.issues
    assert issue.file == str(file) and issue.column == "langauge" and "unknown key" in issue.rule
    assert "langauge" in str(info.value) and str(file) in str(info.value)


def test_unknown_nested_key_and_bad_values_are_all_listed(tmp_path: Path) -> None:
    config = _config(as_of="soon", language="fr")
    config["notebooks"][0]["pth"] = "x.ipynb"
    with pytest.raises(ParameterError) as info:
        load_review_parameters(_write(tmp_path / "r.yaml", config))
    columns = {i.column for i in info.value.issues}
    assert {"as_of", "language", "notebooks[0].pth"} <= columns
    assert next(i for i in info.value.issues if i.column == "as_of").value == "soon"


def test_defaults_and_yaml_errors(tmp_path: Path) -> None:
    params = validate_review_parameters({"review": "r", "as_of": 2025, "notebooks": [{"role": "x", "path": "a"}]})
    assert (params.language, params.place, params.disclosure_threshold, params.publish) == ("vi", "QT", 5, False)
    assert 1 <= params.worker_count() <= 2
    (tmp_path / "bad.yaml").write_text("review: [unclosed\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="not valid YAML"):
        load_review_parameters(tmp_path / "bad.yaml")


def test_the_repository_review_files_are_valid() -> None:
    root = Path(__file__).resolve().parents[1] / "parameters"
    for name in ("review_2025.yaml", "smoke.yaml"):
        load_review_parameters(root / name)


def test_declared_parameters_reads_the_tagged_cell() -> None:
    assert runner.declared_parameters(FIXTURES / "indicator.ipynb") == {"review", "language", "as_of", "place", "target"}


def test_parameters_a_notebook_does_not_declare_are_errors(home: Path, env) -> None:
    config = _config()
    config["notebooks"][0]["parameters"] = {"colour": "red"}
    config["notebooks"][2]["each"] = "objective"
    params = validate_review_parameters(config, "r.yaml")
    with pytest.raises(ParameterError) as info:
        runner.plan_runs(params, "r.yaml", home)
    columns = {i.column for i in info.value.issues}
    assert columns == {"notebooks[0].parameters.colour", "notebooks[2].each"}


def test_plan_runs_expands_codes_and_passes_declared_common_parameters(home: Path, env) -> None:
    specs = runner.plan_runs(validate_review_parameters(_config(), "r.yaml"), "r.yaml", home)
    by_name = {s.name: s for s in specs}
    assert list(by_name) == ["overview", "indicator-4.1", "indicator-5.2", "broken", "review"]
    assert by_name["indicator-5.2"].parameters == {"review": "fixture", "language": "vi", "as_of": 2025,
                                                   "place": "QT", "target": "5.2"}
    assert by_name["overview"].parameters == {"language": "vi", "as_of": 2025, "publish": False}
    assert by_name["review"].missing


# --- the batch ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_failing_notebook_is_reported_with_its_cell_and_the_others_finish(first: runner.ReviewResult) -> None:
    status = {r["name"]: r["status"] for r in first.records}
    assert status == {"overview": "ok", "indicator-4.1": "ok", "indicator-5.2": "ok", "broken": "failed",
                      "review": "missing"}
    (failed,) = first.failures
    # cells: parameters 0, injected parameters 1, `x = 1` 2, markdown 3, the raise 4
    assert failed["error"]["cell_index"] == 4 and failed["error"]["ename"] == "ValueError"
    assert "chỉ tiêu không tồn tại" in failed["error"]["evalue"]
    executed = nbformat.read(first.review_dir / failed["outputs"]["notebook"], as_version=4)
    assert executed.cells[4].outputs[0]["output_type"] == "error"
    index = (first.review_dir / "index.html").read_text(encoding="utf-8")
    assert "broken: ô 4 — ValueError" in index


@pytest.mark.slow
def test_outputs_briefs_tables_index_and_manifest(first: runner.ReviewResult) -> None:
    out = first.review_dir
    for name in ("overview", "indicator-4.1", "indicator-5.2"):
        html = (out / "briefs" / f"{name}.html").read_text(encoding="utf-8")
        assert '<html lang="vi">' in html and "gm-toc" in html
        assert (out / "notebooks" / f"{name}.ipynb").is_file()
    assert "Chỉ tiêu 5.2 — Quảng Trị" in (out / "briefs" / "indicator-5.2.html").read_text(encoding="utf-8")
    tables = {p.name for p in (out / "tables").iterdir()}
    assert {"assessment.csv", "assessment.json", "series-4.1.csv", "series-5.2.json"} <= tables
    assert json.loads((out / "tables" / "assessment.json").read_text(encoding="utf-8"))[0]["label_vi"] == "Có khả năng đạt"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="briefs/indicator-4.1.html"' in index and 'href="tables/assessment.csv"' in index
    assert "apt-get install chromium" in index  # PDFs skipped, and the page says how to get them
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["review"] == "fixture" and manifest["packages"]["papermill"]
    assert {f["path"] for f in manifest["inputs"]} >= {"data/obs.csv", "parameters/review.yaml", "nb/failing.ipynb"}
    assert all(len(f["sha256"]) == 64 for f in manifest["inputs"])
    runs = {r["name"]: r for r in manifest["runs"]}
    assert runs["broken"]["error"]["cell_index"] == 4 and runs["overview"]["cache_hit"] is False
    assert manifest["started"] <= manifest["finished"]


@pytest.mark.slow
def test_rerun_reuses_results_and_force_runs_everything(first: runner.ReviewResult, home: Path, env) -> None:
    file = home / "parameters" / "review.yaml"
    second = runner.run_review(file, progress=False)
    assert second.executed == ["broken"]  # only the failed run is tried again
    assert {r["name"] for r in second.records if r["cache_hit"]} == {"overview", "indicator-4.1", "indicator-5.2"}
    (home / "data" / "obs.csv").write_text("indicator,place,year,value\n4.1,QT,2024,13.0\n", encoding="utf-8")
    third = runner.run_review(file, progress=False)  # the data changed: everything runs again
    assert sorted(third.executed) == ["broken", "indicator-4.1", "indicator-5.2", "overview"]
    forced = runner.run_review(file, force=True, progress=False)
    assert sorted(forced.executed) == sorted(third.executed)
    assert not any(r["cache_hit"] for r in forced.records)


@pytest.mark.slow
def test_cli_review_succeeds_on_a_clean_config(home: Path, env, capsys) -> None:
    from gender_monitor.cli import main

    config = _config(review="clean", workers=1)
    config["notebooks"] = [config["notebooks"][0], {"role": "objective", "path": "nb/objective.ipynb",
                                                    "each": "objective", "codes": [1, 2]}]
    file = _write(home / "parameters" / "clean.yaml", config)
    assert main(["review", "-f", str(file), "--no-progress"]) == 0
    out = capsys.readouterr()
    assert "3 ok (0 reused), 0 failed" in out.out and "apt-get install chromium" in out.err
    assert main(["review", "-f", str(file), "--no-progress"]) == 0
    assert "3 ok (3 reused)" in capsys.readouterr().out
    bad = _write(home / "parameters" / "bad.yaml", config | {"worker": 2})
    assert main(["review", "-f", str(bad)]) == 2
    assert "unknown key 'worker'" in capsys.readouterr().err


def test_library_digest_is_stable_and_covers_templates() -> None:
    assert LIBRARY_DIGEST() == LIBRARY_DIGEST()
    assert len(LIBRARY_DIGEST()) == 64


def test_kernel_start_is_retried_once(monkeypatch) -> None:
    calls = []

    async def flaky(name: str) -> None:
        calls.append(name)
        if len(calls) == 1:
            raise RuntimeError("Kernel didn't respond in 60 seconds")

    monkeypatch.setattr(runner, "_start_kernel", flaky)
    monkeypatch.setattr(runner, "_WORKER", {})
    asyncio.run(runner._ensure_kernel("gender-monitor"))
    assert calls == ["gender-monitor", "gender-monitor"]


def test_kernel_start_failing_twice_is_reported(monkeypatch) -> None:
    async def broken(name: str) -> None:
        raise TimeoutError("no heartbeat")

    monkeypatch.setattr(runner, "_start_kernel", broken)
    monkeypatch.setattr(runner, "_WORKER", {})
    with pytest.raises(runner.KernelStartError, match="did not start twice"):
        asyncio.run(runner._ensure_kernel("gender-monitor"))


def test_shared_result_is_computed_once_per_review(tmp_path: Path, monkeypatch) -> None:
    calls = []

    def compute(year: int) -> dict:
        calls.append(year)
        return {"year": year, "value": 1.5}

    monkeypatch.setattr(runner, "_CONTEXT", {"shared_dir": str(tmp_path)})
    monkeypatch.setattr(runner, "_MEMO", {})
    assert runner.shared_result("assessment", compute, year=2025) == {"year": 2025, "value": 1.5}
    runner._MEMO.clear()  # another kernel: reads the stored result
    assert runner.shared_result("assessment", compute, year=2025)["value"] == 1.5
    runner.shared_result("assessment", compute, year=2030)
    assert calls == [2025, 2030]
