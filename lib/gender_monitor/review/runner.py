"""The review batch: plan the runs, reuse what has not changed, run the rest in parallel, write the manifest.

A review (``parameters/review_*.yaml``, see :mod:`gender_monitor.review.parameters`) names notebooks
by role; each is run once, or once per objective or target. Runs go to a pool of worker processes
(:mod:`gender_monitor.review.worker`): each keeps one Jupyter kernel alive and reuses it from notebook to
notebook. Parameters are injected exactly as papermill does, so a notebook runs the same under
plain papermill. The helpers notebooks call (:func:`shared_result`, :func:`publish_table`,
:func:`review_context`) live in :mod:`gender_monitor.review.notebook` and are importable from here.

Layout of ``outputs/<review>/``::

    index.html (the board's page)  operator.html (runs, failures, tables, versions)  manifest.json
    briefs/<run>.html|.pdf  notebooks/<run>.ipynb  tables/*.csv|*.json|*.docx|*.xlsx
    .cache/records/<run>.json   (status, cache key, outputs and published tables of each run)
    .cache/published/<run>.txt  (the tables a run is publishing, noted by publish_table)

Results computed once per review (:func:`shared_result`) are kept outside it, as JSON data with a
digest, in ``outputs/.cache/shared/<review>/<digest>/``.

A run is reused when its key matches the last successful run's: its own notebook's cells (not their
outputs: a notebook saved in JupyterLab re-runs nothing), its parameters, the data it reads (see
:func:`data_keys`: its targets' rows, forecasts and assessment in the review state, the provenance of
their files, the plan and reference tables; documentation under ``data/`` is read by none), the
library's code and templates, the installed versions of :data:`KEY_PACKAGES`, and the review
settings that shape a brief (name, language, PDF, kernel). Batch settings (``workers``,
``cell_timeout``) and comments in the review file change no key. ``force=True`` runs everything.
Before a run is (re)run its previous brief, PDF and notebook are deleted, its last successful brief and PDF
being set aside first: when the new run fails without a brief, that one comes back as
``briefs/<run>.previous.html`` (and ``.pdf``), marked at its top as the last brief that succeeded and linked
as such from the board's page, so a failing run loses nothing already made. After the batch, files in
``briefs/``, ``notebooks/`` and ``tables/`` that no current run produced are removed.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from gender_monitor import __version__
from gender_monitor.core import i18n, paths
from gender_monitor.core.exceptions import GenderMonitorError, Issue, ParameterError
from gender_monitor.core.files import read_meta
from gender_monitor.review import worker
from gender_monitor.review.notebook import (kernel_begin, publish_file, publish_table, review_context,
                                           shared_result)
from gender_monitor.review.parameters import (NotebookEntry, ReviewParameters, check_references,
                                              load_review_parameters)

__all__ = ["KEY_PACKAGES", "ReviewResult", "RunSpec", "declared_parameters", "kernel_begin", "plan_runs",
           "publish_file", "publish_table", "review_context", "run_review", "shared_result"]

#: Installed packages whose versions shape the outputs: a new version re-runs every notebook.
KEY_PACKAGES = ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "nbconvert", "papermill",
                "jinja2", "playwright", "openpyxl", "python-docx")
#: Packages whose versions the manifest records.
MANIFEST_PACKAGES = ("gender-monitor", *KEY_PACKAGES, "nbclient", "ipykernel")


@dataclass(frozen=True)
class RunSpec:
    """One notebook execution of a review."""

    name: str
    role: str
    notebook: str  # relative to the repository root
    parameters: dict[str, Any]


@dataclass
class ReviewResult:
    """What :func:`run_review` did."""

    review_dir: Path
    records: list[dict[str, Any]]
    manifest: dict[str, Any]
    pdf_note: str | None = None
    executed: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[dict[str, Any]]:
        return [r for r in self.records if r["status"] == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failures


# --- planning ----------------------------------------------------------------------------------


def declared_parameters(notebook: Path) -> set[str]:
    """Names assigned in the notebook's cell tagged ``parameters``, as ``papermill.inspect_notebook`` reads them.

    Raises
    ------
    ParameterError
        The notebook has no such cell, or the cell is not valid Python.
    """
    import nbformat
    import papermill

    nb = nbformat.read(notebook, as_version=4)
    cell = next((c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        raise ParameterError([Issue.of(str(notebook), None, None, None, "parameters.no_parameters_cell")])
    try:
        compile(cell.source, f"{notebook} (parameters cell)", "exec")
    except SyntaxError as exc:
        raise ParameterError([Issue.of(str(notebook), exc.lineno, "parameters", None, "parameters.cell_not_python",
                                       detail=exc.msg)]) from exc
    return set(papermill.inspect_notebook(str(notebook)))


def plan_runs(params: ReviewParameters, file: str, home: Path | None = None) -> list[RunSpec]:
    """Expand the review's notebook entries into runs.

    Raises
    ------
    ParameterError
        A notebook is not there (a typo in its path would otherwise run the review without it and clear
        that brief's outputs), a parameter the review passes is not declared by its notebook, or ``each``
        cannot be expanded; every problem is listed with the YAML key path.
    """
    home = home or paths.home()
    specs: list[RunSpec] = []
    issues: list[Issue] = []
    for i, entry in enumerate(params.notebooks):
        where = f"notebooks[{i}]"
        nb_path = home / entry.path
        if not nb_path.is_file():
            issues.append(Issue.of(file, None, f"{where}.path", entry.path, "parameters.no_notebook"))
            continue
        try:
            declared = declared_parameters(nb_path)
        except ParameterError as exc:
            issues.extend(exc.issues)
            continue
        issues += [Issue.of(file, None, f"{where}.parameters.{k}", v, "parameters.not_declared", notebook=entry.path)
                   for k, v in entry.parameters.items() if k not in declared]
        base = {k: v for k, v in params.common_values().items() if k in declared} | dict(entry.parameters)
        if entry.each is None:
            specs.append(RunSpec(entry.role, entry.role, entry.path, base))
            continue
        if entry.each not in declared:
            issues.append(Issue.of(file, None, f"{where}.each", entry.each, "parameters.each_not_declared",
                                   notebook=entry.path, name=repr(entry.each)))
            continue
        codes = list(entry.codes) if entry.codes else _plan_codes(entry, file, where, issues)
        specs += [RunSpec(f"{entry.role}-{c}", entry.role, entry.path, base | {entry.each: c}) for c in codes]
    if issues:
        raise ParameterError(issues, file)
    return _unique_names(specs)


def _plan_codes(entry: NotebookEntry, file: str, where: str, issues: list[Issue]) -> list[str | int]:
    """Every objective number or target code of the plan (``parameters/plan.yaml``), in its order."""
    from gender_monitor.plan.registry import load_plan

    try:
        plan = load_plan()
    except GenderMonitorError as exc:
        issues.append(Issue.of(file, None, f"{where}.each", entry.each, "parameters.no_plan_codes",
                               each={"vi": {"objective": "mục tiêu", "target": "chỉ tiêu"}[entry.each],
                                     "en": entry.each}, detail=str(exc)))
        return []
    if entry.each == "objective":
        return [o.number for o in plan.objectives]
    return list(plan.codes)


def _unique_names(specs: list[RunSpec]) -> list[RunSpec]:
    """Suffix repeated run names (two entries with one role) with -2, -3 …"""
    seen: dict[str, int] = {}
    out = []
    for spec in specs:
        n = seen[spec.name] = seen.get(spec.name, 0) + 1
        out.append(spec if n == 1 else RunSpec(f"{spec.name}-{n}", spec.role, spec.notebook, spec.parameters))
    return out


# --- digests and cache keys --------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_files(params: ReviewParameters, parameters_file: Path, specs: list[RunSpec],
                home: Path) -> list[dict[str, Any]]:
    """Path, SHA-256 and size of every input: the ``inputs`` globs, the parameters file, the notebooks.

    Hidden files and ``__pycache__`` folders matched by a glob are not inputs.
    """
    found = {p for pattern in params.inputs for p in home.glob(pattern)
             if p.is_file() and not _ignored(p.relative_to(home))}
    found.add(parameters_file.resolve())
    found |= {home / s.notebook for s in specs}
    return [{"path": _rel(p, home), "sha256": sha256_file(p), "bytes": p.stat().st_size}
            for p in sorted(found)]


def _ignored(relative: Path) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in relative.parts)


def library_digest() -> str:
    """Digest of the installed library's code, templates and locales (changes invalidate the cache)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(__version__.encode())
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in {".py", ".j2", ".css", ".json", ".yaml"}:
            digest.update(p.relative_to(root).as_posix().encode())
            digest.update(p.read_bytes())
    return digest.hexdigest()


def package_versions(names: tuple[str, ...] = MANIFEST_PACKAGES) -> dict[str, str | None]:
    """Installed version of each package (None when it is not installed)."""
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def notebook_digest(path: Path) -> str:
    """Digest of what a notebook runs: its cells' type, source and tags, and its kernel.

    Outputs, execution counts and other metadata are left out: saving a notebook after running it in
    JupyterLab re-runs nothing.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [(c.get("cell_type"), "".join(c["source"]) if isinstance(c.get("source"), list) else c.get("source"),
              sorted(c.get("metadata", {}).get("tags", []))) for c in nb.get("cells", [])]
    return _digest({"cells": cells, "kernel": nb.get("metadata", {}).get("kernelspec", {}).get("name")})


def _digest(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class ReviewKeys:
    """The cache keys of a review's runs and the name of its shared-results folder."""

    runs: dict[str, str]
    shared: str


def review_keys(params: ReviewParameters, parameters_file: Path, specs: list[RunSpec], home: Path,
                inputs: list[dict[str, Any]], versions: dict[str, str | None]) -> ReviewKeys:
    """Cache key of each run (see the module's notes): what can change its outputs, and nothing else.

    ``inputs`` are :func:`input_files`; the review file itself and the notebooks are keyed through
    the run's parameters and its own notebook, not through their bytes.
    """
    own = {_rel(parameters_file, home)}
    notebooks = {_rel(home / s.notebook, home) for s in specs}
    data_files = [f for f in inputs if f["path"] not in own | notebooks]
    data = _digest([(f["path"], f["sha256"]) for f in data_files])
    packages = {k: versions.get(k) for k in KEY_PACKAGES}
    environment = _digest({"library": library_digest(), "packages": packages})
    settings = {"review": params.review, "language": params.language, "pdf": params.pdf,
                "kernel": params.kernel}
    scoped = data_keys(params, specs, data_files, home)
    runs = {s.name: _digest({"notebook": s.notebook, "notebook_sha256": notebook_digest(home / s.notebook),
                             "parameters": s.parameters, "data": scoped.get(s.name, data),
                             "environment": environment, "settings": settings})
            for s in specs}
    return ReviewKeys(runs, f"{data[:16]}-{environment[:8]}")


def data_keys(params: ReviewParameters, specs: list[RunSpec], data_files: list[dict[str, Any]],
              home: Path) -> dict[str, str]:
    """Digest of the data each run reads: its targets' part of the review state, and the shared inputs.

    A run given a ``target`` reads that target's observations (every place: national line, communes,
    former and merged province), forecasts and assessment; one given an ``objective`` reads those of the
    objective's targets; any other run (the review, the overview) reads all of them. Every run reads the
    plan, the reference tables and the other input files except documentation (``*.md``), the
    ``.meta.yml`` provenance of the files its rows come from, and what disclosure control did as a whole
    (the footnote every brief prints). Rows are taken from the review state the notebooks read
    (:func:`gender_monitor.review.state.compute_review_state`), so harmonised, derived and suppressed
    values are keyed as the briefs show them.

    Returns ``{}`` (every run keyed by all input files) when the state cannot be computed: the runs
    then fail with the data's own error.
    """
    from gender_monitor.data.observations import default_observation_files
    from gender_monitor.plan.registry import load_plan
    from gender_monitor.review import state as review_state

    try:
        plan = load_plan()
        observation_files = {_rel(p, home) for p in default_observation_files()}
        states: dict[tuple, Any] = {}
        for spec in specs:
            args = _state_arguments(params, spec)
            if args not in states:
                states[args] = review_state.compute_review_state(**dict(args))
    except Exception as exc:  # noqa: BLE001 - bad data: the notebooks will fail with this same error, shown per run
        said = i18n.both("cli.review_state_failed", error=f"{type(exc).__name__}: {exc}")
        print(i18n.prefixed("warning", said), file=sys.stderr)
        return {}
    provenance = {f["path"].removesuffix(".meta.yml"): f["sha256"] for f in data_files
                  if f["path"].removesuffix(".meta.yml") in observation_files and f["path"].endswith(".meta.yml")}
    provenance |= {str(home / rel): sha for rel, sha in provenance.items()}  # rows name their file either way
    provenance |= {str((home / rel).resolve()): sha for rel, sha in list(provenance.items()) if "/" in rel}
    shared = _digest([(f["path"], f["sha256"]) for f in data_files
                      if f["path"] not in observation_files and f["path"].removesuffix(".meta.yml") not in provenance
                      and not f["path"].endswith(".md")])
    return {spec.name: _digest({"shared": shared, "state": review_state.state_digest(
                states[_state_arguments(params, spec)], _scope(spec, plan), provenance)})
            for spec in specs}


def _state_arguments(params: ReviewParameters, spec: RunSpec) -> tuple:
    """The review-state arguments of one run (a run's own parameters override the review's)."""
    values = params.common_values() | spec.parameters
    return tuple((k, values[k]) for k in ("as_of", "place", "publish", "disclosure_threshold"))


def _scope(spec: RunSpec, plan: Any) -> list[str] | None:
    """The plan codes a run shows (None: all of them), from its ``target`` or ``objective`` parameter."""
    from gender_monitor.review.parameters import plan_code

    if "target" in spec.parameters:
        return [plan_code(spec.parameters["target"])]
    if "objective" in spec.parameters:
        number = plan_code(spec.parameters["objective"])
        return [t.code for t in plan.targets if str(t.objective) == number]
    return None


def _rel(path: Path, home: Path) -> str:
    try:
        return path.resolve().relative_to(home.resolve()).as_posix()
    except ValueError:
        return str(path)


# --- the review --------------------------------------------------------------------------------


def run_review(parameters_file: str | os.PathLike[str], *, force: bool = False,
               progress: bool = True) -> ReviewResult:
    """Run a review: every notebook, its brief (HTML, PDF), the index page and the manifest.

    A failing notebook does not stop the others; it is reported in the result, the index and the
    manifest with its failing cell (counted in the source notebook) or the stage that failed.

    Parameters
    ----------
    parameters_file
        The review YAML.
    force
        Run every notebook even when a cached result matches.
    progress
        Show a progress bar on stderr.

    Raises
    ------
    ParameterError
        The parameters are invalid (unknown key, wrong type, a notebook not there, an undeclared notebook
        parameter).
    """
    from gender_monitor.publish.brief import version_string, write_index
    from gender_monitor.publish.pdf import CHROMIUM_HINT, find_chromium

    started = datetime.now().astimezone()
    home = paths.home()
    file = Path(parameters_file)
    params = load_review_parameters(file)
    check_references(params, str(file))
    specs = plan_runs(params, str(file), home)
    review_dir = paths.outputs_dir() / params.review
    inputs = input_files(params, file, specs, home)
    for f in inputs:  # a broken provenance file is named once here, not by every brief that cites it
        if f["path"].endswith(".meta.yml"):
            read_meta(home / f["path"])
    versions = package_versions()
    keys = review_keys(params, file, specs, home, inputs, versions)
    shared_dir = _prepare_dirs(review_dir, keys.shared, force)
    chromium = find_chromium() if params.pdf else None
    pdf_note = CHROMIUM_HINT if params.pdf and chromium is None else None
    stamp = {"version": version_string(home), "inputs": inputs, "parameters_file": _rel(file, home),
             "chromium": chromium}
    records, jobs = [], []
    for spec in specs:
        cached = None if force else _cached_record(review_dir, spec, keys.runs[spec.name])
        if cached is not None:
            records.append(_refresh_pdf(review_dir, cached, chromium))
        else:
            _set_aside_last_brief(review_dir, spec.name)
            _clear_run_outputs(review_dir, spec.name)
            jobs.append(_job(spec, keys.runs[spec.name], params, review_dir, shared_dir, stamp, home))
    # An interrupted or failing batch must not leave the previous index and manifest, listing briefs
    # that are gone, to make the folder look complete: they are written again only at the end.
    for stale in (review_dir / "index.html", review_dir / "operator.html", review_dir / "manifest.json"):
        stale.unlink(missing_ok=True)
    finished: list[dict[str, Any]] = []
    try:
        with _stop_requests() as stop:
            _execute_all(jobs, params.worker_count(), progress, params.review, finished,
                         _last_durations(review_dir, [j["name"] for j in jobs]), stop)
    except KeyboardInterrupt:
        for record in finished:
            _settle_last_brief(review_dir, record, params.language)
            _save_record(review_dir, record)
        manifest = _manifest(params, file, home, inputs, records + finished, started, stamp["version"], versions,
                             pdf_note) | {"status": "interrupted"}
        write_atomic(review_dir / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        raise ReviewInterrupted(review_dir, len(finished), len(jobs)) from None
    for record in finished:
        _settle_last_brief(review_dir, record, params.language)
    records += finished
    order = {s.name: i for i, s in enumerate(specs)}
    records.sort(key=lambda r: order[r["name"]])
    for record in records:
        _save_record(review_dir, record)
    _remove_stale_outputs(review_dir, records)
    pdf_note = pdf_note or _fallback_note(records, chromium)
    manifest = _manifest(params, file, home, inputs, records, started, stamp["version"], versions,
                         pdf_note) | {"status": "complete"}
    # Index and manifest under temporary names, then renamed: a crash leaves the old state or the new.
    staging = review_dir / ".cache" / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    os.replace(write_index(staging, manifest, records, pdf_note=pdf_note,
                           assessment=_published_assessment(review_dir)), review_dir / "index.html.tmp")
    os.replace(staging / "operator.html", review_dir / "operator.html")
    write_atomic(review_dir / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    os.replace(review_dir / "index.html.tmp", review_dir / "index.html")
    return ReviewResult(review_dir, records, manifest, pdf_note, [j["name"] for j in jobs])


def _published_assessment(review_dir: Path) -> Any:
    """The assessment table the review published (what its board page counts), if it has one."""
    import pandas as pd

    file = review_dir / "tables" / "assessment.csv"
    if not file.is_file():
        return None
    try:
        return pd.read_csv(file, dtype={"code": str})
    except (OSError, ValueError, pd.errors.ParserError):
        return None


def shared_root(review: str) -> Path:
    """Where a review's shared results live: ``outputs/.cache/shared/<review>/``, outside the review's
    published folder (what is copied or served from ``outputs/<review>/`` carries no unsuppressed value)."""
    return paths.outputs_dir() / ".cache" / "shared" / review


class ReviewInterrupted(GenderMonitorError):
    """The batch was stopped (Ctrl-C, SIGTERM); its workers, kernels and browsers are stopped too."""

    exit_code = 130

    def __init__(self, review_dir: Path, finished: int, total: int) -> None:
        super().__init__(
            f"review interrupted after {finished} of {total} notebook run(s); workers, kernels and Chromium "
            f"stopped. {review_dir}/manifest.json says 'interrupted' and there is no index.html: run the "
            f"review again to complete it (finished runs are reused) / đã dừng rà soát sau {finished}/{total} "
            "lượt chạy; chạy lại lệnh để hoàn thành (các lượt đã xong được dùng lại)")


@contextlib.contextmanager
def _stop_requests() -> Iterator[threading.Event]:
    """Ctrl-C and SIGTERM (a service manager, ``kill``) ask the batch to stop: the handlers only set an event
    that the batch's loop checks every second. An exception raised from a signal handler could land inside
    the executor's locks and leave them held, so that stopping the pool would wait for ever."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def request(signum: int, frame: Any) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary name beside ``path``, then rename it over ``path``."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _prepare_dirs(review_dir: Path, shared_name: str, force: bool) -> Path:
    """Create the review's folders; drop stale shared results (and tables when forced)."""
    for sub in ("briefs", "notebooks", "tables", ".cache/records", ".cache/published"):
        (review_dir / sub).mkdir(parents=True, exist_ok=True)
    if force:
        shutil.rmtree(review_dir / "tables")
        (review_dir / "tables").mkdir()
    # Shared results of earlier versions (pickles) inside the published folder are removed unread.
    shutil.rmtree(review_dir / ".cache" / "shared", ignore_errors=True)
    root = shared_root(review_dir.name)
    root.mkdir(parents=True, exist_ok=True)
    for old in root.iterdir():
        if force or old.name != shared_name:
            shutil.rmtree(old)
    shared = root / shared_name
    shared.mkdir(exist_ok=True)
    return shared


def _record_path(review_dir: Path, name: str) -> Path:
    return review_dir / ".cache" / "records" / f"{name}.json"


def _published_log(review_dir: Path, name: str) -> Path:
    return review_dir / ".cache" / "published" / f"{name}.txt"


def _cached_record(review_dir: Path, spec: RunSpec, key: str) -> dict[str, Any] | None:
    """The last record of this run if it succeeded with the same key and its files are still there."""
    path = _record_path(review_dir, spec.name)
    if not path.is_file():
        return None
    record = json.loads(path.read_text(encoding="utf-8"))
    if record.get("key") != key or record.get("status") != "ok":
        return None
    files = [p for p in record["outputs"].values() if p] + list(record.get("tables") or ())
    if not all((review_dir / p).is_file() for p in files):
        return None
    return record | {"cache_hit": True}


def _last_durations(review_dir: Path, names: list[str]) -> dict[str, float]:
    """How long each run took the last time it ran (read before its record is cleared)."""
    out = {}
    for name in names:
        path = _record_path(review_dir, name)
        if path.is_file():
            duration = json.loads(path.read_text(encoding="utf-8")).get("duration_s")
            if duration:
                out[name] = float(duration)
    return out


def _clear_run_outputs(review_dir: Path, name: str) -> None:
    """Delete what an earlier run of ``name`` left (brief, PDF, notebook, record), before it runs again."""
    for path in (review_dir / "briefs" / f"{name}.html", review_dir / "briefs" / f"{name}.pdf",
                 review_dir / "notebooks" / f"{name}.ipynb", _record_path(review_dir, name),
                 _published_log(review_dir, name)):
        path.unlink(missing_ok=True)


def _previous_dir(review_dir: Path) -> Path:
    return review_dir / ".cache" / "previous"


def _set_aside_last_brief(review_dir: Path, name: str) -> None:
    """Before ``name`` runs again, move its last successful brief (HTML and PDF) to ``.cache/previous/``
    with a note of when it was made and its title, so that a failing run does not lose it.

    The last successful brief is the one the last record produced, or the previous brief a failed record
    still shows, or one already set aside by a batch that was interrupted before it settled it.
    """
    aside = _previous_dir(review_dir)
    if (aside / f"{name}.json").is_file():  # set aside by an interrupted batch: still the last good one
        return
    path = _record_path(review_dir, name)
    if not path.is_file():
        return
    record = json.loads(path.read_text(encoding="utf-8"))
    if record.get("status") == "ok" and record["outputs"].get("html"):
        files, made, title = record["outputs"], record.get("finished"), record.get("title")
    elif record.get("previous"):
        files, made, title = record["previous"], record["previous"].get("finished"), record["previous"].get("title")
    else:
        return
    if not (review_dir / str(files.get("html"))).is_file():
        return
    aside.mkdir(parents=True, exist_ok=True)
    for kind in ("html", "pdf"):
        if files.get(kind) and (review_dir / files[kind]).is_file():
            os.replace(review_dir / files[kind], aside / f"{name}.{kind}")
    write_atomic(aside / f"{name}.json", json.dumps({"finished": made, "title": title}, ensure_ascii=False))


def _settle_last_brief(review_dir: Path, record: dict[str, Any], language: str) -> None:
    """After ``record``'s run: a success drops the brief set aside; a failure that produced no brief puts it
    back as ``briefs/<name>.previous.html`` (and ``.pdf``), marked at its top as the last brief that
    succeeded, and notes it in ``record["previous"]`` for the board's page."""
    name, aside = record["name"], _previous_dir(review_dir)
    note = aside / f"{name}.json"
    if not note.is_file():
        return
    kept = json.loads(note.read_text(encoding="utf-8"))
    if record["status"] != "ok" and not record["outputs"].get("html"):
        previous: dict[str, Any] = {"html": None, "pdf": None, **kept, "failed": record.get("finished")}
        for kind in ("html", "pdf"):
            source = aside / f"{name}.{kind}"
            if source.is_file():
                target = f"briefs/{name}.previous.{kind}"
                if kind == "html":
                    from gender_monitor.publish.brief import mark_previous

                    write_atomic(review_dir / target, mark_previous(
                        source.read_text(encoding="utf-8"), made=kept.get("finished"),
                        failed=record.get("finished"), language=language))
                else:
                    os.replace(source, review_dir / target)
                previous[kind] = target
        record["previous"] = previous
    for suffix in ("html", "pdf", "json"):  # by name: a glob would take "indicator-4.1.*" for "indicator-4"
        (aside / f"{name}.{suffix}").unlink(missing_ok=True)


def _remove_stale_outputs(review_dir: Path, records: list[dict[str, Any]]) -> None:
    """Remove briefs, notebooks and tables that no current run produced, and records of removed runs.

    A table stays while a successful run of the review publishes it; a failed run's tables go.
    """
    keep = {p for r in records for p in r["outputs"].values() if p}
    keep |= {p for r in records for k, p in (r.get("previous") or {}).items() if k in ("html", "pdf") and p}
    keep |= {t for r in records if r["status"] == "ok" for t in r.get("tables") or ()}
    for sub in ("briefs", "notebooks", "tables"):
        for path in (review_dir / sub).iterdir():
            if path.is_file() and f"{sub}/{path.name}" not in keep:
                path.unlink()
    current = {r["name"] for r in records}
    for folder, suffix in (("records", ".json"), ("published", ".txt")):
        for path in (review_dir / ".cache" / folder).glob(f"*{suffix}"):
            if path.name.removesuffix(suffix) not in current:
                path.unlink()
    if _previous_dir(review_dir).is_dir():  # set aside for a run the review no longer has
        for path in _previous_dir(review_dir).iterdir():
            if path.stem not in current:
                path.unlink()


def _refresh_pdf(review_dir: Path, record: dict[str, Any], chromium: str | None) -> dict[str, Any]:
    """A reused run whose PDF was skipped gets it now if Chromium has appeared since.

    When printing fails the run stays reused, without PDF, and its ``pdf_note`` says why.
    """
    if record["outputs"].get("pdf") or chromium is None or not record.get("pdf_wanted"):
        return record
    from gender_monitor.publish.pdf import print_pdf

    pdf = f"briefs/{record['name']}.pdf"
    try:
        print_pdf(review_dir / record["outputs"]["html"], review_dir / pdf, chromium=chromium)
    except (GenderMonitorError, OSError) as exc:
        record["pdf_note"] = i18n.both("pdf_notes.not_printed", reason=exc)
        return record
    record["outputs"]["pdf"] = pdf
    record["pdf_note"] = None
    return record


def _fallback_note(records: list[dict[str, Any]], chromium: str | None) -> str | None:
    """One line saying PDFs of this batch were printed the slow way, and why (or None)."""
    reasons = sorted({r["pdf_fallback"] for r in records if not r["cache_hit"] and r.get("pdf_fallback")})
    if not reasons:
        return None
    return i18n.both("pdf_notes.slow_way", chromium=chromium, reasons="; ".join(reasons))


def _save_record(review_dir: Path, record: dict[str, Any]) -> None:
    _record_path(review_dir, record["name"]).write_text(
        json.dumps(record, indent=1, ensure_ascii=False, default=str), encoding="utf-8")


def _job(spec: RunSpec, key: str, params: ReviewParameters, review_dir: Path, shared_dir: Path,
         stamp: dict[str, Any], home: Path) -> dict[str, Any]:
    """Everything a worker process needs to run one notebook (plain, picklable data)."""
    return asdict(spec) | {
        "key": key, "home": str(home), "review_dir": str(review_dir), "kernel": params.kernel,
        "cell_timeout": params.cell_timeout, "language": params.language,
        "pdf_wanted": params.pdf, "stamp": stamp,
        "context": {"cwd": str((home / spec.notebook).parent), "review": params.review, "run": spec.name,
                    "tables_dir": str(review_dir / "tables"), "shared_dir": str(shared_dir),
                    "published_log": str(_published_log(review_dir, spec.name))},
    }


def _execute_all(jobs: list[dict[str, Any]], workers: int, progress: bool, label: str,
                 done: list[dict[str, Any]] | None = None,
                 expected: dict[str, float] | None = None,
                 stop: threading.Event | None = None) -> list[dict[str, Any]]:
    """Run jobs in a pool of worker processes, each reusing one kernel; failures do not stop the rest.

    Records are appended to ``done`` as runs finish, so that an interrupted batch keeps those. With
    ``progress`` a bar on stderr names the notebooks running and the time left; without it one line per
    finished notebook, Vietnamese then English (``[3/33] indicator-4.1: xong sau 4,2 giây, còn khoảng 1 phút
    10 giây / ok in 4.2 s, about 1 min 10 s left``). The time left is the
    expected duration of the runs not yet finished (each run's last duration, else the mean of this
    batch so far) shared among the workers. When ``stop`` is set (Ctrl-C, SIGTERM: see :func:`_stop_requests`)
    the workers are stopped and KeyboardInterrupt raised.
    """
    if not jobs:
        return []
    from tqdm import tqdm

    expected = expected or {}
    records = done if done is not None else []
    workers = min(workers, len(jobs))
    ctx = multiprocessing.get_context("spawn")
    started = datetime.now()
    pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=worker.init_worker)
    try:
        with tqdm(total=len(jobs), desc=label, unit="nb", file=sys.stderr, disable=not progress,
                  bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}] {postfix}") as bar:
            futures = {pool.submit(worker.run_job, job): job for job in jobs}
            pending = set(futures)
            while pending:
                finished, pending = cf.wait(pending, timeout=1.0, return_when=cf.FIRST_COMPLETED)
                if stop is not None and stop.is_set():
                    raise KeyboardInterrupt
                for future in finished:
                    job = futures[future]
                    try:
                        record = future.result()
                    except Exception as exc:  # noqa: BLE001 - a crashed worker or a runner bug: this run's failure
                        record = worker.failed_record(job, worker.stage_error("worker", exc), 0.0)
                    records.append(record)
                    bar.update()
                    if not progress:
                        left = _time_left(records, [futures[f] for f in pending], expected, workers)
                        print(f"[{len(records)}/{len(jobs)}] {record['name']}: {_finished_text(record, left)}",
                              file=sys.stderr, flush=True)
                running = [futures[f]["name"] for f in pending if f.running()]
                left = _time_left(records, [futures[f] for f in pending], expected, workers,
                                  (datetime.now() - started).total_seconds())
                failed = sum(r["status"] == "failed" for r in records)
                said = [_left_text(left), i18n.both("cli.progress.running", names=", ".join(running) or "-")]
                said += [i18n.both("cli.progress.failures", n=failed)] if failed else []
                bar.set_postfix_str("; ".join(said), refresh=True)
    except BaseException:  # Ctrl-C or SIGTERM (see run_review): stop every worker, kernel and browser now
        _stop_pool(pool)
        raise
    pool.shutdown()
    return records


def _stop_pool(pool: cf.ProcessPoolExecutor) -> None:
    """Cancel what has not started and kill the workers with their kernels and browsers.

    Each worker is killed before its descendants, all with SIGKILL: a worker or kernel given time to clean
    up would notice the other gone and print tracebacks over the batch's one message."""
    import psutil

    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public accessor
    pool.shutdown(wait=False, cancel_futures=True)
    doomed: list[psutil.Process] = []
    for process in processes:
        try:
            tree = psutil.Process(process.pid)
            doomed += [tree, *tree.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
    for p in doomed:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    psutil.wait_procs(doomed, timeout=5)
    for process in processes:
        process.join(timeout=2)


def _time_left(records: list[dict[str, Any]], pending: list[dict[str, Any]], expected: dict[str, float],
               workers: int, elapsed: float | None = None) -> float | None:
    """Seconds the pending runs should still take (None before anything is known)."""
    done = [float(r.get("duration_s") or 0) for r in records]
    mean = sum(done) / len(done) if done else None
    guesses = [expected.get(j["name"], mean) for j in pending]
    if any(g is None for g in guesses):
        return None
    return sum(guesses) / max(workers, 1)  # type: ignore[arg-type]


def _left_words(seconds: float | None) -> dict[str, str]:
    """The time left in each language: ``còn khoảng 1 phút 10 giây``, ``about 1 min 10 s left``."""
    if seconds is None:
        return i18n.each_language("cli.progress.estimating")
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes:
        return i18n.each_language("cli.progress.left_minutes", minutes=minutes, seconds=secs)
    return i18n.each_language("cli.progress.left_seconds", seconds=secs)


def _left_text(seconds: float | None) -> str:
    """The time left in both languages, Vietnamese first."""
    said = _left_words(seconds)
    return f"{said['vi']} / {said['en']}"


def _finished_text(record: dict[str, Any], left: float | None) -> str:
    """One finished run in both languages: ``xong sau 4,2 giây, còn khoảng … / ok in 4.2 s, about … left``."""
    status = record["status"]
    duration = float(record.get("duration_s") or 0)
    known = status in ("ok", "failed")
    said = i18n.each_language(
        "cli.progress.line",
        status={lang: i18n.t(f"cli.progress.status.{status}", lang) if known else status for lang in i18n.LANGUAGES},
        seconds={lang: i18n.number(duration, lang, 1, keep_zeros=True) for lang in i18n.LANGUAGES},
        left=_left_words(left))
    return f"{said['vi']} / {said['en']}"


def _manifest(params: ReviewParameters, file: Path, home: Path, inputs: list[dict[str, Any]],
              records: list[dict[str, Any]], started: datetime, version: str,
              versions: dict[str, str | None], pdf_note: str | None) -> dict[str, Any]:
    """The review's manifest: parameters, inputs, versions, commit, times, per-run status."""
    from gender_monitor.publish.brief import git_commit

    finished = datetime.now().astimezone()
    keep = ("name", "role", "notebook", "parameters", "status", "cache_hit", "duration_s", "timings",
            "error", "outputs", "tables", "pdf_note", "pdf_fallback", "illustrative", "preview")
    return {
        "review": params.review, "parameters_file": _rel(file, home),
        "parameters": params.model_dump(mode="json"), "version": version,
        "report_date": params.common_values()["report_date"],
        "git_commit": git_commit(home), "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_s": round((finished - started).total_seconds(), 3),
        "python": sys.version.split()[0], "packages": versions, "inputs": inputs,
        "pdf_note": pdf_note, "runs": [{k: r.get(k) for k in keep} for r in records],
    }
