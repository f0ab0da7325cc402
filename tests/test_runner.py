"""The review batch: strict parameters, failures reported per cell, cache keys and reuse, --force, stale
outputs, PDF failures, manifest, index."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import stat
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from gender_monitor.cli.commands.review import failure_line
from gender_monitor.core.exceptions import GenderMonitorError, ParameterError
from gender_monitor.review import notebook as notebook_helpers
from gender_monitor.review import runner, worker
from gender_monitor.review.parameters import load_review_parameters, validate_review_parameters

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
REPOSITORY = Path(__file__).resolve().parents[1]
LIBRARY_DIGEST = runner.library_digest  # the real one (the batch tests pin it)


def _config(**overrides) -> dict:
    config = {
        "review": "fixture", "language": "vi", "as_of": 2025, "place": "QT", "cell_timeout": 60,
        "workers": 2, "pdf": True, "inputs": ["data/**/*"],
        "notebooks": [
            {"role": "overview", "path": "nb/overview.ipynb"},
            {"role": "indicator", "path": "nb/indicator.ipynb", "each": "target", "codes": ["4.1", "5.2a"]},
            {"role": "broken", "path": "nb/failing.ipynb"},
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
    (root / "data" / "obs.csv").write_text("indicator,place,year,value\n4.1,QT,2024,112.5\n", encoding="utf-8")
    (root / "data" / "obs.csv.meta.yml").write_text("producer: Cục Thống kê\nlicence: CC BY 4.0\n", encoding="utf-8")
    (root / "parameters").mkdir()
    _reference(root)
    return root


def _reference(root: Path) -> None:
    """The repository's plan and reference tables: a review checks its place and codes against them."""
    shutil.copytree(REPOSITORY / "data" / "reference", root / "data" / "reference")
    (root / "parameters").mkdir(exist_ok=True)
    shutil.copy(REPOSITORY / "parameters" / "plan.yaml", root / "parameters" / "plan.yaml")


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
    # Without a place, the one the plan covers in as_of: the merged province from 2025, old QT before.
    assert (params.language, params.place, params.disclosure_threshold, params.publish) == ("vi", "QT25", 5, False)
    earlier = validate_review_parameters({"review": "r", "as_of": 2024, "notebooks": [{"role": "x", "path": "a"}]})
    assert earlier.place == "QT"
    assert 1 <= params.worker_count() <= 2
    (tmp_path / "bad.yaml").write_text("review: [unclosed\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="not valid YAML"):
        load_review_parameters(tmp_path / "bad.yaml")


def test_every_rule_a_parameter_file_breaks_is_said_in_vietnamese_and_english(tmp_path: Path) -> None:
    config = _config(langauge="en", as_of="soon", publish="maybe", workers=0)
    config["notebooks"][0]["path"] = ""
    with pytest.raises(ParameterError) as info:
        load_review_parameters(_write(tmp_path / "r.yaml", config))
    said = {i.column: (i.rule_vi, i.rule) for i in info.value.issues}
    assert said["langauge"][0].startswith("khóa 'langauge' không có trong mẫu (các khóa được dùng: review, kind,")
    assert said["langauge"][1].startswith("unknown key 'langauge' (allowed: review, kind,")
    assert said["as_of"][0] == "cần một số nguyên"
    assert said["publish"][0] == "cần true (có) hoặc false (không)"
    assert said["workers"][0] == "phải lớn hơn hoặc bằng 1"
    assert said["notebooks[0].path"][0] == "không được để trống"
    assert all(en and vi and vi != en for vi, en in said.values())
    # A year typed as text is read as pydantic reads it; one it cannot read is said under as_of alone, not as
    # a place missing (the place defaults from as_of).
    notebooks = [{"role": "x", "path": "a"}]
    assert validate_review_parameters({"review": "r", "as_of": "2027", "notebooks": notebooks}).place == "QT25"
    for year in (2027.5, "năm 2027", None, 0, -5, 99999, 10**30):
        with pytest.raises(ParameterError) as info:
            validate_review_parameters({"review": "r", "as_of": year, "notebooks": notebooks})
        assert [i.column for i in info.value.issues] == ["as_of"], year
    # A choice's "or" is said "hoặc".
    with pytest.raises(ParameterError) as info:
        validate_review_parameters({"review": "r", "as_of": 2026, "language": "fr",
                                    "notebooks": [{"role": "x", "path": "a"}]})
    assert info.value.issues[0].rule_vi == "phải là một trong các giá trị: 'vi' hoặc 'en'"
    # The file itself: missing, a folder, not YAML, not a mapping.
    for path, vi in ((tmp_path / "none.yaml", "không tìm thấy tệp; hãy kiểm tra tên và đường dẫn"),
                     (tmp_path, "đây là thư mục, cần ghi tên một tệp tham số")):
        with pytest.raises(ParameterError) as info:
            load_review_parameters(path)
        assert info.value.issues[0].rule_vi.startswith(vi) and info.value.issues[0].rule
    (tmp_path / "bad.yaml").write_text("review: r\nas_of: [2026\n", encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        load_review_parameters(tmp_path / "bad.yaml")
    assert info.value.issues[0].rule_vi.startswith("tệp viết sai cú pháp YAML (")
    (tmp_path / "list.yaml").write_text("- review\n", encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        load_review_parameters(tmp_path / "list.yaml")
    assert "“khóa: giá trị”" in str(info.value) and '"key: value" lines' in str(info.value)


def test_the_repository_review_files_are_valid() -> None:
    root = Path(__file__).resolve().parents[1] / "parameters"
    for name in ("review_2025.yaml", "smoke.yaml"):
        load_review_parameters(root / name)


def test_declared_parameters_reads_the_tagged_cell() -> None:
    assert runner.declared_parameters(FIXTURES / "indicator.ipynb") == {"review", "language", "as_of", "place", "target"}


@pytest.mark.parametrize("notebook", sorted((REPOSITORY / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_every_name_assigned_in_a_parameters_cell_is_declared(notebook: Path) -> None:
    """papermill skips a line it cannot parse (a comment with quotes did): the review would then not pass it."""
    import ast

    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", []))
    assigned = {node.target.id if isinstance(node, ast.AnnAssign) else node.targets[0].id
                for node in ast.parse(cell.source).body if isinstance(node, (ast.Assign, ast.AnnAssign))}
    assert assigned and runner.declared_parameters(notebook) == assigned


def test_parameters_a_notebook_does_not_declare_are_errors(home: Path, env) -> None:
    config = _config()
    config["notebooks"][0]["parameters"] = {"colour": "red"}
    config["notebooks"][2]["each"] = "objective"
    params = validate_review_parameters(config, "r.yaml")
    with pytest.raises(ParameterError) as info:
        runner.plan_runs(params, "r.yaml", home)
    said = {i.column: (i.rule_vi, i.rule) for i in info.value.issues}
    assert set(said) == {"notebooks[0].parameters.colour", "notebooks[2].each"}
    assert said["notebooks[0].parameters.colour"] == (
        "tham số này không được khai báo trong ô tham số của nb/overview.ipynb",
        "not declared in nb/overview.ipynb's parameters cell")
    assert said["notebooks[2].each"][0] == "nb/failing.ipynb không khai báo tham số 'objective'"


def test_plan_runs_expands_codes_and_passes_declared_common_parameters(home: Path, env) -> None:
    specs = runner.plan_runs(validate_review_parameters(_config(), "r.yaml"), "r.yaml", home)
    by_name = {s.name: s for s in specs}
    assert list(by_name) == ["overview", "indicator-4.1", "indicator-5.2a", "broken"]
    assert by_name["indicator-5.2a"].parameters == {"review": "fixture", "language": "vi", "as_of": 2025,
                                                   "place": "QT", "target": "5.2a"}
    assert by_name["overview"].parameters == {"language": "vi", "as_of": 2025, "publish": False}


def test_a_notebook_path_with_a_typo_stops_the_review_before_it_runs_or_clears_anything(home: Path, env) -> None:
    config = _config()
    config["notebooks"][0]["path"] = "nb/overveiw.ipynb"
    with pytest.raises(ParameterError) as info:
        runner.plan_runs(validate_review_parameters(config, "r.yaml"), "r.yaml", home)
    (issue,) = info.value.issues
    assert (issue.column, issue.value) == ("notebooks[0].path", "nb/overveiw.ipynb")
    assert issue.rule_vi.startswith("không tìm thấy notebook này") and issue.rule.startswith("no such notebook")


# --- the batch ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_failing_notebook_is_reported_with_its_cell_and_the_others_finish(first: runner.ReviewResult) -> None:
    status = {r["name"]: r["status"] for r in first.records}
    assert status == {"overview": "ok", "indicator-4.1": "ok", "indicator-5.2a": "ok", "broken": "failed"}
    (failed,) = first.failures
    # source cells: parameters 0, `x = 1` 1, markdown 2, the raise 3 (the injected cell is not counted)
    error = failed["error"]
    assert (error["stage"], error["cell_index"], error["ename"]) == ("cell", 3, "ValueError")
    assert "chỉ tiêu không tồn tại" in error["evalue"]
    assert error["source"] == 'raise ValueError("fixture failure: chỉ tiêu không tồn tại")'
    source = nbformat.read(FIXTURES / "failing.ipynb", as_version=4)
    assert source.cells[error["cell_index"]].source == error["source"]
    executed = nbformat.read(first.review_dir / failed["outputs"]["notebook"], as_version=4)
    # papermill's banner first, linking to the marker just before the failing cell
    assert 'href="#papermill-error-cell"' in executed.cells[0].source
    at = next(i for i, c in enumerate(executed.cells) if c.get("outputs") and c.outputs[0]["output_type"] == "error")
    assert 'id="papermill-error-cell"' in executed.cells[at - 1].source
    assert not (first.review_dir / "briefs" / "broken.html").exists()
    index = (first.review_dir / "operator.html").read_text(encoding="utf-8")
    assert re.search(r"broken</span> \(nb/failing.ipynb\):\s+ô 3 của sổ tay gốc, đếm từ 0\s+— ValueError", index)
    assert "fixture failure: chỉ tiêu không tồn tại</pre>" in index  # the cell's source, quoted
    assert "None" not in index
    line = failure_line(failed)
    assert line.startswith("broken (nb/failing.ipynb): ô 3 của sổ tay gốc (đếm từ 0) / cell 3 of the source "
                           "notebook (counted from 0): ValueError")
    assert '\n    | raise ValueError("fixture failure' in line


@pytest.mark.slow
def test_outputs_briefs_tables_index_and_manifest(first: runner.ReviewResult) -> None:
    out = first.review_dir
    for name in ("overview", "indicator-4.1", "indicator-5.2a"):
        html = (out / "briefs" / f"{name}.html").read_text(encoding="utf-8")
        assert '<html lang="vi">' in html and "gm-toc" in html
        assert (out / "notebooks" / f"{name}.ipynb").is_file()
    assert "Chỉ tiêu 5.2a — Quảng Trị" in (out / "briefs" / "indicator-5.2a.html").read_text(encoding="utf-8")
    tables = {p.name for p in (out / "tables").iterdir()}
    assert {"assessment.csv", "assessment.json", "series-4.1.csv", "series-5.2a.json"} <= tables
    assert json.loads((out / "tables" / "assessment.json").read_text(encoding="utf-8"))[0]["label_vi"] == "Có khả năng đạt"
    assert 'href="briefs/indicator-4.1.html"' in (out / "index.html").read_text(encoding="utf-8")
    index = (out / "operator.html").read_text(encoding="utf-8")
    assert 'href="briefs/indicator-4.1.html"' in index and 'href="tables/assessment.csv"' in index
    assert "apt-get install chromium" in index  # PDFs skipped, and the page says how to get them
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["review"] == "fixture" and manifest["packages"]["papermill"]
    assert {f["path"] for f in manifest["inputs"]} >= {"data/obs.csv", "parameters/review.yaml", "nb/failing.ipynb"}
    assert all(len(f["sha256"]) == 64 for f in manifest["inputs"])
    assert {f["path"] for f in manifest["inputs"]} >= {"data/obs.csv.meta.yml"}
    runs = {r["name"]: r for r in manifest["runs"]}
    assert runs["broken"]["error"]["cell_index"] == 3 and runs["overview"]["cache_hit"] is False
    assert runs["overview"]["tables"] == ["tables/assessment.csv", "tables/assessment.json"]
    assert runs["broken"]["tables"] == []
    assert manifest["started"] <= manifest["finished"]


@pytest.mark.slow
def test_rerun_reuses_results_and_force_runs_everything(first: runner.ReviewResult, home: Path, env) -> None:
    file = home / "parameters" / "review.yaml"
    second = runner.run_review(file, progress=False)
    assert second.executed == ["broken"]  # only the failed run is tried again
    assert {r["name"] for r in second.records if r["cache_hit"]} == {"overview", "indicator-4.1", "indicator-5.2a"}
    # the provenance beside the data changed (a brief's source footer reads it): the briefs citing the
    # file run again (obs.csv holds 4.1 only: the 4.1 brief and the overview of every target)
    (home / "data" / "obs.csv.meta.yml").write_text("producer: Cục Thống kê\nlicence: CC0\n", encoding="utf-8")
    third = runner.run_review(file, progress=False)
    assert sorted(third.executed) == ["broken", "indicator-4.1", "overview"]
    forced = runner.run_review(file, force=True, progress=False)
    assert sorted(forced.executed) == ["broken", "indicator-4.1", "indicator-5.2a", "overview"]
    assert not any(r["cache_hit"] for r in forced.records)


#: A stand-in for Chromium that Playwright cannot drive but that prints with --print-to-pdf.
FAKE_PRINTER = """for a in "$@"; do case "$a" in --print-to-pdf=*)
  printf '%%PDF-1.4\\n1 0 obj << /Type /Page >>\\n%%%%EOF\\n' > "${a#--print-to-pdf=}";; esac; done
"""


@pytest.mark.slow
def test_cli_review_succeeds_on_a_clean_config(home: Path, env, capsys, monkeypatch, tmp_path: Path) -> None:
    from gender_monitor.cli.main import main

    monkeypatch.setenv("GENDER_MONITOR_CHROMIUM", str(_fake_chromium(tmp_path, FAKE_PRINTER)))
    config = _config(review="clean", workers=1)
    config["notebooks"] = [config["notebooks"][0], {"role": "objective", "path": "nb/objective.ipynb",
                                                    "each": "objective", "codes": [1, 2]}]
    file = _write(home / "parameters" / "clean.yaml", config)
    assert main(["review", "-f", str(file), "--no-progress"]) == 0
    out = capsys.readouterr()
    assert "3 sổ tay hoàn thành (0 dùng lại kết quả cũ), 0 sổ tay lỗi" in out.out
    assert "3 ok (0 reused), 0 failed" in out.out
    # Playwright cannot drive this "browser": PDFs are printed one run each, and the user is told why
    assert "warning: PDF được in từng bản một (mỗi tài liệu một lần chạy Chromium)" in out.err
    assert " / PDFs printed the slow way (one Chromium run per brief)" in out.err
    manifest = json.loads((home / "outputs" / "clean" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pdf_note"].startswith("PDF được in từng bản một")
    assert "PDFs printed the slow way" in manifest["pdf_note"]
    assert all(r["pdf_fallback"] and r["outputs"]["pdf"] for r in manifest["runs"])
    assert (home / "outputs" / "clean" / "briefs" / "objective-2.pdf").read_bytes().startswith(b"%PDF")
    assert main(["review", "-f", str(file), "--no-progress"]) == 0
    out = capsys.readouterr()
    assert "3 ok (3 reused)" in out.out and "warning" not in out.err
    bad = _write(home / "parameters" / "bad.yaml", config | {"worker": 2})
    assert main(["review", "-f", str(bad)]) == 2
    assert "unknown key 'worker'" in capsys.readouterr().err


def test_library_digest_is_stable_and_covers_templates(tmp_path: Path, monkeypatch) -> None:
    assert LIBRARY_DIGEST() == LIBRARY_DIGEST()
    assert len(LIBRARY_DIGEST()) == 64
    # A copy of the library whose runner hashes the copy: editing a template or a locale changes the digest.
    package = Path(runner.__file__).resolve().parents[1]
    copy = tmp_path / "gender_monitor"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(runner, "__file__", str(copy / "review" / "runner.py"))
    before = LIBRARY_DIGEST()
    for edited in (next((copy / "publish" / "templates").rglob("*.j2")), copy / "core" / "locales" / "vi" / "common.yaml"):
        edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        after = LIBRARY_DIGEST()
        assert after != before, edited
        before = after


def test_kernel_start_is_retried_once(monkeypatch) -> None:
    calls = []

    async def flaky(name: str) -> None:
        calls.append(name)
        if len(calls) == 1:
            raise RuntimeError("Kernel didn't respond in 60 seconds")

    monkeypatch.setattr(worker, "_start_kernel", flaky)
    monkeypatch.setattr(worker, "_WORKER", {})
    asyncio.run(worker._ensure_kernel("gender-monitor"))
    assert calls == ["gender-monitor", "gender-monitor"]


def test_kernel_start_failing_twice_is_reported(monkeypatch) -> None:
    async def broken(name: str) -> None:
        raise TimeoutError("no heartbeat")

    monkeypatch.setattr(worker, "_start_kernel", broken)
    monkeypatch.setattr(worker, "_WORKER", {})
    with pytest.raises(worker.KernelStartError, match="did not start twice"):
        asyncio.run(worker._ensure_kernel("gender-monitor"))


def test_shared_result_is_computed_once_per_review(tmp_path: Path, monkeypatch) -> None:
    calls = []

    def compute(year: int) -> dict:
        calls.append(year)
        return {"year": year, "value": 1.5}

    monkeypatch.setattr(notebook_helpers, "_CONTEXT", {"shared_dir": str(tmp_path)})
    monkeypatch.setattr(notebook_helpers, "_MEMO", {})
    assert runner.shared_result("assessment", compute, year=2025) == {"year": 2025, "value": 1.5}
    notebook_helpers._MEMO.clear()  # another kernel: reads the stored result
    assert runner.shared_result("assessment", compute, year=2025)["value"] == 1.5
    runner.shared_result("assessment", compute, year=2030)
    assert calls == [2025, 2030]


# --- cache keys -------------------------------------------------------------------------------------


def _keys(home: Path, file: Path, versions: dict | None = None) -> dict[str, str]:
    params = load_review_parameters(file)
    specs = runner.plan_runs(params, str(file), home)
    inputs = runner.input_files(params, file, specs, home)
    return runner.review_keys(params, file, specs, home, inputs, versions or runner.package_versions()).runs


def test_run_keys_follow_provenance_files_packages_and_each_runs_own_notebook(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(runner, "library_digest", lambda: "pinned-library-digest")
    for name in ("overview", "indicator"):
        (tmp_path / "nb").mkdir(exist_ok=True)
        shutil.copy(FIXTURES / f"{name}.ipynb", tmp_path / "nb" / f"{name}.ipynb")
    (tmp_path / "data").mkdir()
    _reference(tmp_path)
    monkeypatch.setenv("GENDER_MONITOR_HOME", str(tmp_path))
    (tmp_path / "data" / "obs.csv").write_text("indicator,place,year,value\n4.1,QT,2024,112.5\n", encoding="utf-8")
    meta = tmp_path / "data" / "obs.csv.meta.yml"
    meta.write_text("licence: CC BY 4.0\n", encoding="utf-8")
    config = _config(notebooks=[{"role": "overview", "path": "nb/overview.ipynb"},
                                {"role": "indicator", "path": "nb/indicator.ipynb", "each": "target",
                                 "codes": ["4.1", "5.2a"]}])
    file = _write(tmp_path / "r.yaml", config)
    base = _keys(tmp_path, file)
    assert len(set(base.values())) == 3

    meta.write_text("licence: CC0\n", encoding="utf-8")  # only the provenance changed
    changed = _keys(tmp_path, file)
    # obs.csv gives 4.1 only: the overview (every target) and 4.1 cite it, 5.2a does not.
    assert changed["overview"] != base["overview"] and changed["indicator-4.1"] != base["indicator-4.1"]
    assert changed["indicator-5.2a"] == base["indicator-5.2a"]
    meta.write_text("licence: CC BY 4.0\n", encoding="utf-8")
    assert _keys(tmp_path, file) == base

    versions = runner.package_versions() | {"pandas": "0.0.1"}
    assert all(k != base[n] for n, k in _keys(tmp_path, file, versions).items())
    assert set(runner.KEY_PACKAGES) >= {"pandas", "numpy", "scipy", "statsmodels", "matplotlib", "nbconvert",
                                        "papermill", "jinja2", "playwright"}

    # batch settings, comments, editor and bytecode files change no key
    file.write_text("# a comment\n" + yaml.safe_dump(config | {"workers": 1, "cell_timeout": 5}), encoding="utf-8")
    (tmp_path / "data" / ".obs.csv.swp").write_bytes(b"\x00")
    (tmp_path / "data" / "__pycache__").mkdir()
    (tmp_path / "data" / "__pycache__" / "x.pyc").write_bytes(b"\x00")
    assert _keys(tmp_path, file) == base
    _write(file, config | {"language": "en"})  # a setting that shapes every brief
    assert all(k != base[n] for n, k in _keys(tmp_path, file).items())
    _write(file, config)

    nb = nbformat.read(tmp_path / "nb" / "indicator.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("Thêm một đoạn."))
    nbformat.write(nb, tmp_path / "nb" / "indicator.ipynb")
    after = _keys(tmp_path, file)
    assert after["overview"] == base["overview"]
    assert after["indicator-4.1"] != base["indicator-4.1"] and after["indicator-5.2a"] != base["indicator-5.2a"]


def test_the_repository_review_hashes_data_provenance_files(monkeypatch) -> None:
    root = Path(__file__).resolve().parents[1]
    # the module's review fixtures point the home elsewhere while they are alive
    monkeypatch.setenv("GENDER_MONITOR_HOME", str(root))
    file = root / "parameters" / "review_2025.yaml"
    paths_ = {f["path"] for f in runner.input_files(load_review_parameters(file), file, [], root)}
    assert any(p.startswith("data/") and p.endswith(".meta.yml") for p in paths_)
    assert "parameters/plan.yaml" in paths_ and not any("__pycache__" in p for p in paths_)


# --- failures outside the cells --------------------------------------------------------------------


def test_failing_cell_is_counted_in_the_source_notebook() -> None:
    from nbformat.v4 import new_code_cell

    cells = [new_code_cell("a: int = 1  # a", metadata={"tags": ["parameters"]}),
             new_code_cell("a = 2", metadata={"tags": ["injected-parameters"]}),
             new_code_cell("b = a + 1"),
             new_code_cell("c = 1\nd = 2\ne = 3\n1 / 0")]
    exc = ZeroDivisionError("division by zero")
    error = worker.cell_error(cells, 3, exc)
    assert (error["cell_index"], error["ename"], error["evalue"]) == (2, "ZeroDivisionError", "division by zero")
    assert error["source"] == "c = 1\nd = 2\ne = 3 …"


@pytest.mark.slow
def test_a_cell_that_times_out_fails_its_run_and_the_next_run_gets_a_new_kernel(tmp_path: Path, monkeypatch) -> None:
    from nbformat.v4 import new_code_cell, new_notebook

    (tmp_path / "nb").mkdir()
    shutil.copy(FIXTURES / "overview.ipynb", tmp_path / "nb" / "overview.ipynb")
    slow = new_notebook(cells=[new_code_cell('language: str = "vi"', metadata={"tags": ["parameters"]}),
                               new_code_cell("import time\ntime.sleep(300)")],
                        metadata=nbformat.read(FIXTURES / "overview.ipynb", as_version=4).metadata)
    nbformat.write(slow, tmp_path / "nb" / "slow.ipynb")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "obs.csv").write_text("indicator,place,year,value\n4.1,QT,2024,12.5\n", encoding="utf-8")
    _reference(tmp_path)
    monkeypatch.setenv("GENDER_MONITOR_HOME", str(tmp_path))
    monkeypatch.setenv("GENDER_MONITOR_CHROMIUM", str(tmp_path / "no-chromium-here"))
    monkeypatch.setattr(runner, "library_digest", lambda: "pinned-library-digest")
    config = _config(workers=1, cell_timeout=15, notebooks=[{"role": "slow", "path": "nb/slow.ipynb"},
                                                             {"role": "overview", "path": "nb/overview.ipynb"}])
    result = runner.run_review(_write(tmp_path / "parameters" / "r.yaml", config), progress=False)
    status = {r["name"]: r["status"] for r in result.records}
    assert status == {"slow": "failed", "overview": "ok"}, [r["error"]["ename"] for r in result.failures]  # one worker: overview ran after the timeout
    (failed,) = result.failures
    assert (failed["error"]["cell_index"], failed["error"]["ename"]) == (1, "CellTimeoutError")
    executed = nbformat.read(result.review_dir / failed["outputs"]["notebook"], as_version=4)
    assert 'href="#papermill-error-cell"' in executed.cells[0].source


def test_failure_line_names_the_stage_when_no_cell_failed() -> None:
    record = {"name": "indicator-4.1", "notebook": "notebooks/indicator_explorer.ipynb",
              "outputs": {"html": "briefs/indicator-4.1.html", "pdf": None},
              "error": {"stage": "pdf", "cell_index": None, "ename": "GenderMonitorError",
                        "evalue": "Chromium did not print indicator-4.1.html: TimeoutError: Timeout"}}
    line = failure_line(record)
    assert "khi in PDF / printing the PDF: GenderMonitorError: Chromium did not print indicator-4.1.html" in line
    assert "None" not in line and "briefs/indicator-4.1.html" in line


class _BrokenPrinter:
    fallback_reason = None

    def print(self, html: Path, pdf: Path) -> Path:
        raise GenderMonitorError(f"Chromium did not print {html.name}: TimeoutError: Timeout 120000ms exceeded")


def test_a_pdf_failure_keeps_the_html_brief(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(worker, "_WORKER", {"printer": _BrokenPrinter()})
    job = {"name": "objective-1", "role": "objective", "notebook": "nb/objective.ipynb", "parameters": {},
           "key": "k", "language": "vi", "pdf_wanted": True,
           "stamp": {"version": "0.1.0", "inputs": [], "parameters_file": "parameters/r.yaml",
                     "chromium": "/usr/bin/chromium"}}
    record = worker.base_record(job, 0.0) | {"timings": {}}
    nb = nbformat.read(FIXTURES / "objective.ipynb", as_version=4)
    error = worker._publish(job, nb, record, tmp_path)
    assert error["stage"] == "pdf" and "objective-1.html" in error["evalue"] and error["cell_index"] is None
    assert record["outputs"]["html"] == "briefs/objective-1.html" and record["outputs"]["pdf"] is None
    assert (tmp_path / "briefs" / "objective-1.html").is_file()
    for sub in ("notebooks", "tables"):
        (tmp_path / sub).mkdir()
    (tmp_path / "notebooks" / "objective-1.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / ".cache" / "records").mkdir(parents=True)
    (tmp_path / ".cache" / "published").mkdir()
    record.update(status="failed", error=error)
    runner._remove_stale_outputs(tmp_path, [record])
    assert (tmp_path / "briefs" / "objective-1.html").is_file()  # the link in the index still works


def _fake_chromium(folder: Path, body: str) -> Path:
    script = folder / "fake-chromium"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_reprinting_a_reused_pdf_that_fails_is_noted_not_fatal(tmp_path: Path) -> None:
    chromium = _fake_chromium(tmp_path, "echo 'crashed' >&2\nexit 3\n")
    (tmp_path / "briefs").mkdir()
    (tmp_path / "briefs" / "overview.html").write_text("<html></html>", encoding="utf-8")
    record = {"name": "overview", "pdf_wanted": True, "pdf_note": "PDF skipped",
              "outputs": {"html": "briefs/overview.html", "pdf": None, "notebook": "notebooks/overview.ipynb"}}
    out = runner._refresh_pdf(tmp_path, record, str(chromium))
    assert out["outputs"]["pdf"] is None
    assert out["pdf_note"].startswith("Không in được PDF: Chromium did not print overview.html (exit 3)")
    assert "/ PDF not printed: Chromium did not print overview.html (exit 3)" in out["pdf_note"]


# --- stale outputs ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_outputs_of_failed_and_removed_runs_and_unpublished_tables_are_removed(home: Path, env) -> None:
    (home / "st").mkdir()
    shutil.copy(FIXTURES / "overview.ipynb", home / "st" / "overview.ipynb")
    config = _config(review="stale", notebooks=[
        {"role": "overview", "path": "st/overview.ipynb"},
        {"role": "indicator", "path": "nb/indicator.ipynb", "each": "target", "codes": ["4.1", "5.2a"]}])
    file = _write(home / "parameters" / "stale.yaml", config)
    out = home / "outputs" / "stale"
    (out / "tables").mkdir(parents=True)
    (out / "tables" / "draft-unsuppressed.csv").write_text("code,value\n3.5a,2\n", encoding="utf-8")
    first = runner.run_review(file, progress=False)
    assert first.ok and not (out / "tables" / "draft-unsuppressed.csv").exists()
    assert {p.name for p in (out / "tables").iterdir()} == {
        "assessment.csv", "assessment.json", "series-4.1.csv", "series-4.1.json", "series-5.2a.csv",
        "series-5.2a.json"}

    # the overview now fails; indicator 5.2a is no longer part of the review
    shutil.copy(FIXTURES / "failing.ipynb", home / "st" / "overview.ipynb")
    config["notebooks"][1]["codes"] = ["4.1"]
    second = runner.run_review(_write(file, config), progress=False)
    assert second.executed == ["overview"] and [r["name"] for r in second.failures] == ["overview"]
    # The failed overview's last good brief is not lost: it is kept beside the others as the previous one,
    # marked as such at its top and on the board's page, never under its current name.
    assert {p.name for p in (out / "briefs").iterdir()} == {"indicator-4.1.html", "overview.previous.html"}
    assert {p.name for p in (out / "notebooks").iterdir()} == {"overview.ipynb", "indicator-4.1.ipynb"}
    assert {p.name for p in (out / "tables").iterdir()} == {"series-4.1.csv", "series-4.1.json"}
    assert {p.name for p in (out / ".cache" / "records").iterdir()} == {"overview.json", "indicator-4.1.json"}
    index = (out / "operator.html").read_text(encoding="utf-8")
    assert 'href="tables/series-4.1.csv"' in index and "assessment" not in index and "indicator-5.2a" not in index
    assert 'href="briefs/overview.html"' not in index
    kept = (out / "briefs" / "overview.previous.html").read_text(encoding="utf-8")
    made = first.records[0]["finished"]
    assert first.records[0]["name"] == "overview" and first.records[0]["title"] in kept
    banner = re.search(r'<div class="gm-illustrative-banner" role="note" data-previous="true">([^<]+)</div>', kept)
    from gender_monitor.publish.brief import moment_words  # the day and hour in Viet Nam's time

    assert banner and banner.group(1).startswith(f"Tài liệu này lập ngày {moment_words(made, 'vi')}, ")
    assert re.fullmatch(r"\d\d/\d\d/20\d\d \d\d:\d\d", moment_words(made, "vi"))
    assert "bị lỗi nên tài liệu chưa được cập nhật" in banner.group(1)
    board = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="briefs/overview.previous.html"' in board and "lần lập lại ngày" in board
    assert 'href="briefs/overview.html"' not in board
    assert failure_line(second.failures[0]).endswith(
        "(giữ lại tài liệu lập thành công gần nhất: briefs/overview.previous.html) / (the last brief that succeeded "
        "is kept: briefs/overview.previous.html)")
    # Failing again keeps the same brief (not a second banner); succeeding again replaces and drops it.
    third = runner.run_review(_write(file, config), progress=False)
    assert [r["name"] for r in third.failures] == ["overview"]
    again = (out / "briefs" / "overview.previous.html").read_text(encoding="utf-8")
    assert again.count('data-previous="true"') == 1 and third.failures[0]["previous"]["finished"] == made
    assert f'lần lập lại ngày {moment_words(third.failures[0]["finished"], "vi")} bị lỗi' in again  # the latest
    shutil.copy(FIXTURES / "overview.ipynb", home / "st" / "overview.ipynb")
    fourth = runner.run_review(_write(file, config), progress=False)
    assert fourth.ok and {p.name for p in (out / "briefs").iterdir()} == {"indicator-4.1.html", "overview.html"}
    assert not any((out / ".cache" / "previous").iterdir())


# --- place and code typos, scoped keys ---------------------------------------------------------------


def test_a_place_or_code_typo_stops_the_review_before_any_notebook(home: Path, env) -> None:
    config = _config(review="typo", place="XX")
    config["notebooks"][1] = config["notebooks"][1] | {"codes": ["4.1", "4.7"]}
    with pytest.raises(ParameterError) as exc:
        runner.run_review(_write(home / "parameters" / "typo.yaml", config), progress=False)
    text = str(exc.value)
    assert "place" in text and "'XX'" in text and "QT-HH" in text and "VN" in text  # the valid codes are listed
    assert "notebooks[1].codes[1]" in text and "4.7" in text and "3.5a" in text
    assert not (home / "outputs" / "typo").exists()  # nothing ran


def test_plan_code_reads_papermill_and_yaml_numbers() -> None:
    from gender_monitor.review.parameters import plan_code

    assert [plan_code(v) for v in (4.1, "4.1", 3.0, 3, "3.5a", 6.3)] == ["4.1", "4.1", "3", "3", "3.5a", "6.3"]


def test_one_changed_value_rekeys_only_the_runs_that_show_it(tmp_path: Path, monkeypatch) -> None:
    """Each brief's key covers its targets' rows: 4.1 changed → the 4.1 brief, objective 4 and the whole-plan runs."""
    monkeypatch.setattr(runner, "library_digest", lambda: "pinned-library-digest")
    (tmp_path / "nb").mkdir()
    for name in ("overview", "indicator", "objective"):
        shutil.copy(FIXTURES / f"{name}.ipynb", tmp_path / "nb" / f"{name}.ipynb")
    (tmp_path / "data").mkdir()
    _reference(tmp_path)
    monkeypatch.setenv("GENDER_MONITOR_HOME", str(tmp_path))
    data = tmp_path / "data" / "obs.csv"
    rows = "indicator,place,year,value\n4.1,QT,2023,111.0\n4.1,QT,2024,112.5\n5.2a,QT,2024,20.0\n"
    data.write_text(rows, encoding="utf-8")
    (tmp_path / "data" / "README.md").write_text("# Data\n", encoding="utf-8")
    config = _config(notebooks=[{"role": "overview", "path": "nb/overview.ipynb"},
                                {"role": "objective", "path": "nb/objective.ipynb", "each": "objective",
                                 "codes": [4, 5]},
                                {"role": "indicator", "path": "nb/indicator.ipynb", "each": "target",
                                 "codes": ["4.1", "5.2a"]}])
    file = _write(tmp_path / "r.yaml", config)
    base = _keys(tmp_path, file)

    (tmp_path / "data" / "README.md").write_text("# Data\n\nA new paragraph.\n", encoding="utf-8")
    assert _keys(tmp_path, file) == base  # documentation is read by no notebook

    data.write_text(rows.replace("112.5", "113.0"), encoding="utf-8")
    changed = _keys(tmp_path, file)
    assert sorted(n for n in base if changed[n] != base[n]) == ["indicator-4.1", "objective-4", "overview"]

    data.write_text(rows.replace("4.1,QT,2023,111.0\n", "") + "4.1,QT,2023,111.0\n", encoding="utf-8")
    assert _keys(tmp_path, file) == base  # the same rows in another order: nothing to re-run


def test_a_published_table_writes_numbers_without_float_noise(tmp_path: Path, monkeypatch) -> None:
    # 50.0 - 44.57 is 5.429999999999997 in binary floating point; a table for machines says 5.43.
    from gender_monitor.review.notebook import publish_table

    monkeypatch.setenv("GENDER_MONITOR_TABLES_DIR", str(tmp_path))
    publish_table(pd.DataFrame({"code": ["1.1"], "change": [50.0 - 44.57], "p": [0.008902907323925957]}), "t")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()[1] == "1.1,5.43,0.008902907324"
    assert '"change":5.43' in (tmp_path / "t.json").read_text(encoding="utf-8").replace(" ", "")


def test_the_line_per_finished_notebook_is_vietnamese_then_english():
    from gender_monitor.review.runner import _finished_text, _left_text

    assert _finished_text({"status": "ok", "duration_s": 7.83}, 74.4) == (
        "xong sau 7,8 giây, còn khoảng 1 phút 14 giây / ok in 7.8 s, about 1 min 14 s left")
    assert _finished_text({"status": "failed", "duration_s": 2}, None) == (
        "lỗi sau 2,0 giây, đang ước tính thời gian còn lại / failed in 2.0 s, time left: estimating")
    assert _left_text(4.4) == "còn khoảng 4 giây / about 4 s left"


def test_every_brief_of_a_report_takes_its_day_so_a_later_day_makes_it_again(monkeypatch):
    # A final review run as a preview in 2026 and again in 2031: the objective briefs and the overview took
    # no report_date, so their cache ignored the day and the 2031 run reused briefs marked "Bản lập thử"
    # and dated 2026. Every notebook of the yearly and final reports takes the day (its cache key with it).
    from gender_monitor.review.parameters import load_review_parameters

    file = REPOSITORY / "parameters" / "final_2030.yaml"
    monkeypatch.setenv("GENDER_MONITOR_HOME", str(REPOSITORY))  # the repository's own plan and notebooks
    for today in ("2026-12-06", "2031-01-20"):
        monkeypatch.setenv("GENDER_MONITOR_TODAY", today)
        specs = runner.plan_runs(load_review_parameters(file), str(file), REPOSITORY)
        assert len(specs) == 8 and {s.parameters["report_date"] for s in specs} == {today}
