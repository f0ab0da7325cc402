"""The review batch: strict parameters, parallel runs on reused kernels, cache, manifest and index.

A review (``parameters/review_*.yaml``, see :mod:`gender_monitor.review_params`) names notebooks
by role; each is run once, or once per objective or target. Runs go to a pool of worker processes;
each worker keeps one Jupyter kernel alive and reuses it from notebook to notebook, resetting the
namespace in between (kernel start and imports are paid once per worker, not per notebook).
Parameters are injected exactly as papermill does, so a notebook runs the same under plain papermill.

Layout of ``outputs/<review>/``::

    index.html  manifest.json  briefs/<run>.html|.pdf  notebooks/<run>.ipynb  tables/*.csv|*.json
    .cache/records/<run>.json   (status and cache key of each run)
    .cache/shared/<digest>/     (results computed once per review, see :func:`shared_result`)

A run is reused when its key — notebook source, its parameters, the digest of every input file,
and the library's digest — matches the last successful run; ``force=True`` runs everything.
"""

from __future__ import annotations

import ast
import concurrent.futures as cf
import fcntl
import hashlib
import json
import logging
import multiprocessing
import multiprocessing.util
import os
import pickle
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, TypeVar

from gender_monitor import __version__, paths
from gender_monitor.exceptions import GenderMonitorError, Issue, ParameterError
from gender_monitor.review_params import (
    COMMON_PARAMETERS,
    NotebookEntry,
    ReviewParameters,
    load_review_parameters,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Packages whose versions the manifest records.
MANIFEST_PACKAGES = ("gender-monitor", "pandas", "numpy", "statsmodels", "matplotlib",
                     "papermill", "nbconvert", "nbclient", "ipykernel")


@dataclass(frozen=True)
class RunSpec:
    """One notebook execution of a review."""

    name: str
    role: str
    notebook: str  # relative to the repository root
    parameters: dict[str, Any]
    missing: bool = False


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
    """Names assigned in the notebook's cell tagged ``parameters``.

    Raises
    ------
    ParameterError
        The notebook has no such cell, or the cell is not valid Python.
    """
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            try:
                tree = ast.parse(source)
            except SyntaxError as exc:
                raise ParameterError([Issue(str(notebook), exc.lineno, "parameters", None,
                                            f"parameters cell is not valid Python: {exc.msg}")]) from exc
            return {t.id for node in tree.body for t in _targets(node) if isinstance(t, ast.Name)}
    raise ParameterError([Issue(str(notebook), None, None, None, "has no cell tagged 'parameters'")])


def _targets(node: ast.stmt) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, ast.AnnAssign):
        return [node.target]
    return []


def plan_runs(params: ReviewParameters, file: str, home: Path | None = None) -> list[RunSpec]:
    """Expand the review's notebook entries into runs (missing notebooks become ``missing`` runs).

    Raises
    ------
    ParameterError
        A parameter the review passes is not declared by its notebook, or ``each`` cannot be
        expanded; every problem is listed with the YAML key path.
    """
    home = home or paths.home()
    specs: list[RunSpec] = []
    issues: list[Issue] = []
    for i, entry in enumerate(params.notebooks):
        where = f"notebooks[{i}]"
        nb_path = home / entry.path
        if not nb_path.is_file():
            specs.append(RunSpec(entry.role, entry.role, entry.path, {}, missing=True))
            continue
        try:
            declared = declared_parameters(nb_path)
        except ParameterError as exc:
            issues.extend(exc.issues)
            continue
        issues += [Issue(file, None, f"{where}.parameters.{k}", v, f"not declared in {entry.path}'s parameters cell")
                   for k, v in entry.parameters.items() if k not in declared]
        base = {k: v for k, v in params.common_values().items() if k in declared} | dict(entry.parameters)
        if entry.each is None:
            specs.append(RunSpec(entry.role, entry.role, entry.path, base))
            continue
        if entry.each not in declared:
            issues.append(Issue(file, None, f"{where}.each", entry.each,
                                f"{entry.path} declares no parameter {entry.each!r}"))
            continue
        codes = list(entry.codes) if entry.codes else _plan_codes(entry, file, where, issues)
        specs += [RunSpec(f"{entry.role}-{c}", entry.role, entry.path, base | {entry.each: c}) for c in codes]
    if issues:
        raise ParameterError(issues, file)
    return _unique_names(specs)


def _plan_codes(entry: NotebookEntry, file: str, where: str, issues: list[Issue]) -> list[str | int]:
    """Every objective number or target code of the plan (``parameters/plan.yaml``), in its order."""
    from gender_monitor.plan import load_plan

    try:
        plan = load_plan()
    except GenderMonitorError as exc:
        issues.append(Issue(file, None, f"{where}.each", entry.each,
                            f"cannot list every {entry.each} of the plan ({exc}); give `codes:`"))
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
        out.append(spec if n == 1 else RunSpec(f"{spec.name}-{n}", spec.role, spec.notebook,
                                               spec.parameters, spec.missing))
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
    """Path, SHA-256 and size of every input: the ``inputs`` globs, the parameters file, the notebooks."""
    found = {p for pattern in params.inputs for p in home.glob(pattern) if p.is_file()}
    found.add(parameters_file.resolve())
    found |= {home / s.notebook for s in specs if not s.missing}
    return [{"path": _rel(p, home), "sha256": sha256_file(p), "bytes": p.stat().st_size}
            for p in sorted(found)]


def library_digest() -> str:
    """Digest of the installed library's code, templates and locales (changes invalidate the cache)."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in {".py", ".j2", ".css", ".json", ".yaml"}:
            digest.update(p.relative_to(root).as_posix().encode())
            digest.update(p.read_bytes())
    return digest.hexdigest()


def run_key(spec: RunSpec, inputs_digest: str, lib_digest: str, params: ReviewParameters) -> str:
    """Cache key of one run."""
    payload = {"notebook": spec.notebook, "parameters": spec.parameters, "inputs": inputs_digest,
               "library": lib_digest, "pdf": params.pdf, "kernel": params.kernel}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


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
    manifest with its failing cell.

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
        The parameters are invalid (unknown key, wrong type, undeclared notebook parameter).
    GenderMonitorError
        None of the review's notebooks exists.
    """
    started = datetime.now().astimezone()
    home = paths.home()
    file = Path(parameters_file)
    params = load_review_parameters(file)
    specs = plan_runs(params, str(file), home)
    if all(s.missing for s in specs):
        raise GenderMonitorError(f"{file}: none of the review's notebooks exists: "
                                 f"{sorted({s.notebook for s in specs})}")
    review_dir = paths.outputs_dir() / params.review
    inputs = input_files(params, file, specs, home)
    inputs_digest = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()
    lib_digest = library_digest()
    shared_dir = _prepare_dirs(review_dir, f"{inputs_digest[:16]}-{lib_digest[:8]}", force)
    from gender_monitor.brief import CHROMIUM_HINT, find_chromium, version_string

    chromium = find_chromium() if params.pdf else None
    pdf_note = CHROMIUM_HINT if params.pdf and chromium is None else None
    stamp = {"version": version_string(home), "inputs": inputs, "chromium": chromium}
    records, jobs = [], []
    for spec in specs:
        key = run_key(spec, inputs_digest, lib_digest, params)
        cached = None if force or spec.missing else _cached_record(review_dir, spec, key)
        if spec.missing:
            records.append(_missing_record(spec))
        elif cached is not None:
            records.append(_refresh_pdf(review_dir, cached, chromium))
        else:
            jobs.append(_job(spec, key, params, review_dir, shared_dir, stamp, home))
    records += _execute_all(jobs, params.worker_count(), progress, params.review)
    order = {s.name: i for i, s in enumerate(specs)}
    records.sort(key=lambda r: order[r["name"]])
    for record in records:
        _save_record(review_dir, record)
    manifest = _manifest(params, file, home, inputs, records, started, stamp["version"], pdf_note)
    (review_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    from gender_monitor.brief import write_index

    write_index(review_dir, manifest, records, pdf_note=pdf_note)
    return ReviewResult(review_dir, records, manifest, pdf_note, [j["name"] for j in jobs])


def _prepare_dirs(review_dir: Path, shared_name: str, force: bool) -> Path:
    """Create the review's folders; drop stale shared results (and tables when forced)."""
    for sub in ("briefs", "notebooks", "tables", ".cache/records", ".cache/shared"):
        (review_dir / sub).mkdir(parents=True, exist_ok=True)
    if force:
        shutil.rmtree(review_dir / "tables")
        (review_dir / "tables").mkdir()
    for old in (review_dir / ".cache" / "shared").iterdir():
        if force or old.name != shared_name:
            shutil.rmtree(old)
    shared = review_dir / ".cache" / "shared" / shared_name
    shared.mkdir(exist_ok=True)
    return shared


def _record_path(review_dir: Path, name: str) -> Path:
    return review_dir / ".cache" / "records" / f"{name}.json"


def _cached_record(review_dir: Path, spec: RunSpec, key: str) -> dict[str, Any] | None:
    """The last record of this run if it succeeded with the same key and its files are still there."""
    path = _record_path(review_dir, spec.name)
    if not path.is_file():
        return None
    record = json.loads(path.read_text(encoding="utf-8"))
    if record.get("key") != key or record.get("status") != "ok":
        return None
    if not all((review_dir / p).is_file() for p in record["outputs"].values() if p):
        return None
    return record | {"cache_hit": True}


def _refresh_pdf(review_dir: Path, record: dict[str, Any], chromium: str | None) -> dict[str, Any]:
    """A reused run whose PDF was skipped gets it now if Chromium has appeared since."""
    if record["outputs"].get("pdf") or chromium is None or not record.get("pdf_wanted"):
        return record
    from gender_monitor.brief import print_pdf

    pdf = f"briefs/{record['name']}.pdf"
    print_pdf(review_dir / record["outputs"]["html"], review_dir / pdf, chromium=chromium)
    record["outputs"]["pdf"] = pdf
    record["pdf_note"] = None
    return record


def _missing_record(spec: RunSpec) -> dict[str, Any]:
    return {"name": spec.name, "role": spec.role, "notebook": spec.notebook, "parameters": {},
            "status": "missing", "cache_hit": False, "duration_s": 0.0, "title": None, "error": None,
            "outputs": {}, "pdf_note": None, "key": None}


def _save_record(review_dir: Path, record: dict[str, Any]) -> None:
    if record["status"] != "missing":
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
                    "tables_dir": str(review_dir / "tables"), "shared_dir": str(shared_dir)},
    }


def _execute_all(jobs: list[dict[str, Any]], workers: int, progress: bool, label: str) -> list[dict[str, Any]]:
    """Run jobs in a pool of worker processes, each reusing one kernel; failures do not stop the rest."""
    if not jobs:
        return []
    from tqdm import tqdm

    records = []
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=ctx) as pool, \
            tqdm(total=len(jobs), desc=label, unit="nb", file=sys.stderr, disable=not progress) as bar:
        futures = {pool.submit(_worker_run, job): job for job in jobs}
        for future in cf.as_completed(futures):
            job = futures[future]
            try:
                record = future.result()
            except Exception as exc:  # a crashed worker or a runner bug: reported as this run's failure
                record = _failed_record(job, {"stage": "worker", "cell_index": None,
                                              "ename": type(exc).__name__, "evalue": str(exc)}, 0.0)
                record["outputs"]["notebook"] = None
            records.append(record)
            bar.set_postfix_str(f"{sum(r['status'] == 'failed' for r in records)} failed")
            bar.update()
    return records


def _failed_record(job: dict[str, Any], error: dict[str, Any], duration: float) -> dict[str, Any]:
    return _base_record(job, duration) | {"status": "failed", "error": error}


def _base_record(job: dict[str, Any], duration: float) -> dict[str, Any]:
    return {"name": job["name"], "role": job["role"], "notebook": job["notebook"],
            "parameters": job["parameters"], "status": "ok", "cache_hit": False,
            "duration_s": round(duration, 3), "title": None, "error": None,
            "outputs": {"notebook": f"notebooks/{job['name']}.ipynb", "html": None, "pdf": None},
            "pdf_note": None, "pdf_wanted": job["pdf_wanted"], "key": job["key"],
            "finished": datetime.now().astimezone().isoformat(timespec="seconds")}


# --- worker side: one reused kernel per worker process ------------------------------------------

_WORKER: dict[str, Any] = {}  # "loop", "km", "kc", "kernel" of this worker process
KERNEL_START_TIMEOUT = 60.0


class KernelStartError(GenderMonitorError):
    """A kernel did not start (twice in a row)."""


def _worker_run(job: dict[str, Any]) -> dict[str, Any]:
    """Run one job in this worker process: execute, export the brief, print the PDF."""
    import asyncio

    if "loop" not in _WORKER:
        _WORKER["loop"] = asyncio.new_event_loop()
        asyncio.set_event_loop(_WORKER["loop"])
        os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        multiprocessing.util.Finalize(None, _worker_shutdown, exitpriority=10)
    t0 = time.perf_counter()
    try:
        nb, error = _WORKER["loop"].run_until_complete(_execute(job))
    except KernelStartError as exc:
        record = _failed_record(job, {"stage": "kernel", "cell_index": None, "ename": "KernelStartError",
                                      "evalue": str(exc)}, time.perf_counter() - t0)
        record["outputs"]["notebook"] = None
        return record
    record = _base_record(job, 0.0)
    record["timings"] = {"execute_s": round(time.perf_counter() - t0, 3)}
    review_dir = Path(job["review_dir"])
    import nbformat

    nbformat.write(nb, review_dir / record["outputs"]["notebook"])
    if error is None:
        error = _publish(job, nb, record, review_dir)
    record["duration_s"] = round(time.perf_counter() - t0, 3)
    if error is not None:
        record.update(status="failed", error=error)
    return record


def _publish(job: dict[str, Any], nb: Any, record: dict[str, Any], review_dir: Path) -> dict[str, Any] | None:
    """Export the brief and print its PDF; returns an error mapping or None."""
    from gender_monitor import brief

    html = f"briefs/{job['name']}.html"
    stamp = job["stamp"]
    t0 = time.perf_counter()
    try:
        # Provenance of this brief: the data and parameters, and its own notebook (not the others).
        inputs = [f for f in stamp["inputs"] if not f["path"].endswith(".ipynb") or f["path"] == job["notebook"]]
        brief.export_html(nb, review_dir / html, version=stamp["version"], inputs=inputs,
                          language=job["language"], notebook_label=job["notebook"])
        record["outputs"]["html"] = html
        record["title"] = brief.prepare_notebook(nb)[1].get("title")
        record["timings"]["export_s"] = round(time.perf_counter() - t0, 3)
        if job["pdf_wanted"] and stamp["chromium"] is None:
            record["pdf_note"] = brief.CHROMIUM_HINT
        elif job["pdf_wanted"]:
            pdf = f"briefs/{job['name']}.pdf"
            _printer(stamp["chromium"]).print(review_dir / html, review_dir / pdf)
            record["outputs"]["pdf"] = pdf
            record["timings"]["pdf_s"] = round(time.perf_counter() - t0 - record["timings"]["export_s"], 3)
    except (GenderMonitorError, OSError, ValueError) as exc:
        stage = "pdf" if record["outputs"]["html"] else "export"
        return {"stage": stage, "cell_index": None, "ename": type(exc).__name__, "evalue": str(exc)}
    return None


async def _execute(job: dict[str, Any]) -> tuple[Any, dict[str, Any] | None]:
    """Parameterise (as papermill does) and execute a notebook on this worker's kernel.

    Returns the executed notebook and, when a cell failed, ``{cell_index, cell_id, ename, evalue,
    source, traceback}``; the notebook keeps every output up to the failing cell.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    await _ensure_kernel(job["kernel"])
    source = Path(job["home"]) / job["notebook"]
    nb = parameterize_notebook(load_notebook_node(str(source)), job["parameters"],
                               kernel_name=job["kernel"], language="python")
    await _run_code(_prelude(job["context"]))
    client = NotebookClient(nb, km=_WORKER["km"], timeout=job["cell_timeout"], kernel_name=job["kernel"],
                            allow_errors=False, record_timing=True)
    client.kc = _WORKER["kc"]  # reuse this worker's client: the context below then starts nothing
    client.reset_execution_trackers()
    started = datetime.now().astimezone()
    error = None
    async with client.async_setup_kernel():
        for index, cell in enumerate(nb.cells):
            try:
                await client.async_execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
                error = _cell_error(index, cell, exc)
                break
    if error is not None and error["ename"] in ("CellTimeoutError", "DeadKernelError"):
        await _worker_shutdown_async()  # the kernel is busy or gone: the next job starts a new one
    _papermill_metadata(nb, job, source, started, error)
    return nb, error


def _cell_error(index: int, cell: Any, exc: Exception) -> dict[str, Any]:
    """The failing cell, located and quoted."""
    import re

    lines = cell.source.splitlines()
    traceback = re.sub(r"\x1b\[[0-9;]*m", "", str(getattr(exc, "traceback", "") or exc))
    return {"stage": "cell", "cell_index": index, "cell_id": cell.get("id"),
            "ename": getattr(exc, "ename", type(exc).__name__),
            "evalue": getattr(exc, "evalue", str(exc)).strip()[:500],
            "source": "\n".join(lines[:3]) + (" …" if len(lines) > 3 else ""),
            "traceback": traceback.strip().splitlines()[-6:]}


def _papermill_metadata(nb: Any, job: dict[str, Any], source: Path, started: datetime,
                        error: dict[str, Any] | None) -> None:
    """The metadata papermill would write, plus the run's error for readers of the notebook."""
    import papermill

    ended = datetime.now().astimezone()
    nb.metadata.papermill.update({
        "input_path": str(source), "output_path": f"notebooks/{job['name']}.ipynb",
        "start_time": started.isoformat(), "end_time": ended.isoformat(),
        "duration": (ended - started).total_seconds(), "exception": error is not None,
        "version": papermill.__version__,
    })
    nb.metadata["gender_monitor"] = {"run": job["name"], "error": error}


def _prelude(context: dict[str, Any]) -> str:
    """Code run in a reused kernel before each notebook: empty namespace, fresh context."""
    return ("get_ipython().run_line_magic('reset', '-f')\n"
            "import gender_monitor.runner as _gm_runner\n"
            f"_gm_runner.kernel_begin(__import__('json').loads({json.dumps(context)!r}))\n"
            "del _gm_runner\n")


async def _ensure_kernel(kernel_name: str) -> None:
    """Start this worker's kernel if it has none alive; retry once when a start fails (ZMQ races)."""
    import zmq

    km = _WORKER.get("km")
    if km is not None and _WORKER.get("kernel") == kernel_name and await km.is_alive():
        return
    await _worker_shutdown_async()
    for attempt in (1, 2):
        try:
            await _start_kernel(kernel_name)
            return
        except (RuntimeError, TimeoutError, zmq.ZMQError) as exc:
            await _worker_shutdown_async()
            if attempt == 2:
                raise KernelStartError(f"kernel {kernel_name!r} did not start twice: {exc}") from exc
            log.warning("kernel %r failed to start (%s); retrying once", kernel_name, exc)


async def _start_kernel(kernel_name: str) -> None:
    from jupyter_client.kernelspec import NoSuchKernel
    from jupyter_client.manager import AsyncKernelManager

    # Local IPC sockets in a folder of this worker's own: no TCP port races between parallel workers.
    sockets = Path(tempfile.mkdtemp(prefix=f"gm-kernel-{os.getpid()}-"))
    km = AsyncKernelManager(kernel_name=kernel_name, transport="ipc", ip=str(sockets / "k"))
    _WORKER["sockets"] = sockets
    try:
        await km.start_kernel()
    except NoSuchKernel as exc:
        raise KernelStartError(
            f"no Jupyter kernel {kernel_name!r}; register it with `python -m ipykernel install "
            f"--sys-prefix --name {kernel_name}` (make setup does)") from exc
    _WORKER.update(km=km, kernel=kernel_name)
    kc = km.client()
    kc.start_channels()
    kc.allow_stdin = False
    _WORKER["kc"] = kc
    await kc.wait_for_ready(timeout=KERNEL_START_TIMEOUT)


async def _run_code(code: str, timeout: float = 120.0) -> None:
    """Execute code silently on this worker's kernel and wait for its reply."""
    kc = _WORKER["kc"]
    msg_id = kc.execute(code, silent=True, store_history=False)
    deadline = time.monotonic() + timeout
    while True:
        reply = await kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    if reply["content"]["status"] != "ok":
        raise GenderMonitorError(f"kernel preparation failed: {reply['content'].get('evalue')}")


async def _worker_shutdown_async() -> None:
    kc, km = _WORKER.pop("kc", None), _WORKER.pop("km", None)
    _WORKER.pop("kernel", None)
    if kc is not None:
        kc.stop_channels()
    if km is not None and km.has_kernel:
        await km.shutdown_kernel(now=True)
    sockets = _WORKER.pop("sockets", None)
    if sockets is not None:
        shutil.rmtree(sockets, ignore_errors=True)


def _printer(chromium: str) -> Any:
    """This worker's PDF printer: one Chromium kept open for all the briefs the worker prints."""
    if "printer" not in _WORKER:
        from gender_monitor.pdf import PdfPrinter

        _WORKER["printer"] = PdfPrinter(chromium)
    return _WORKER["printer"]


def _worker_shutdown() -> None:
    """Stop this worker's kernel and browser when the worker process exits."""
    printer = _WORKER.pop("printer", None)
    if printer is not None:
        printer.close()
    if "loop" in _WORKER and "km" in _WORKER:
        _WORKER["loop"].run_until_complete(_worker_shutdown_async())


def _manifest(params: ReviewParameters, file: Path, home: Path, inputs: list[dict[str, Any]],
              records: list[dict[str, Any]], started: datetime, version: str,
              pdf_note: str | None) -> dict[str, Any]:
    """The review's manifest: parameters, inputs, versions, commit, times, per-run status."""
    from gender_monitor.brief import git_commit

    finished = datetime.now().astimezone()
    keep = ("name", "role", "notebook", "parameters", "status", "cache_hit", "duration_s", "timings",
            "error", "outputs", "pdf_note")
    return {
        "review": params.review, "parameters_file": _rel(file, home),
        "parameters": params.model_dump(mode="json"), "version": version,
        "git_commit": git_commit(home), "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_s": round((finished - started).total_seconds(), 3),
        "python": sys.version.split()[0], "packages": _package_versions(), "inputs": inputs,
        "pdf_note": pdf_note, "runs": [{k: r.get(k) for k in keep} for r in records],
    }


def _package_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in MANIFEST_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


# --- helpers notebooks call (they run inside the kernel) ----------------------------------------

_CONTEXT: dict[str, Any] = {}
_MEMO: dict[str, Any] = {}
_RC_DEFAULTS: dict[str, Any] | None = None


def kernel_begin(context: dict[str, Any]) -> None:
    """Prepare a reused kernel for the next notebook: working folder, review context, clean plots.

    The runner calls this after ``%reset -f``; notebooks never call it.
    """
    global _RC_DEFAULTS
    os.chdir(context["cwd"])
    _CONTEXT.clear()
    _CONTEXT.update(context)
    import matplotlib

    if _RC_DEFAULTS is None:
        _RC_DEFAULTS = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    dict.update(matplotlib.rcParams, _RC_DEFAULTS)  # as matplotlib's rc_context restores, no validation
    if "pandas" in sys.modules:
        sys.modules["pandas"].reset_option("^display\\.")


def review_context() -> dict[str, Any]:
    """The running review's context (``review``, ``run``, ``tables_dir`` …); empty under plain papermill."""
    return dict(_CONTEXT)


def shared_result(name: str, compute: Callable[..., T], /, **key: Any) -> T:
    """``compute(**key)``, computed once per review and shared by every notebook that asks.

    Under the runner the result is pickled in the review's shared folder (with a lock, so parallel
    workers compute it once) and memoised in the kernel; under plain papermill it is memoised in
    the kernel only. The folder changes whenever an input file or the library changes.

    Parameters
    ----------
    name
        What the result is (``"assessment"``); part of the file name.
    compute
        A library function; called with ``**key`` when no stored result matches.
    **key
        The arguments that determine the result (JSON-serialisable).
    """
    digest = hashlib.sha256(json.dumps([name, key], sort_keys=True, default=str).encode()).hexdigest()[:20]
    memo_key = f"{_CONTEXT.get('shared_dir', '')}/{name}-{digest}"
    if memo_key in _MEMO:
        return _MEMO[memo_key]
    if not _CONTEXT.get("shared_dir"):
        _MEMO[memo_key] = compute(**key)
        return _MEMO[memo_key]
    target = Path(_CONTEXT["shared_dir"]) / f"{name}-{digest}.pkl"
    with open(target.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.is_file():
            value = pickle.loads(target.read_bytes())
        else:
            value = compute(**key)
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(target)
    _MEMO[memo_key] = value
    return value


def publish_table(frame: Any, name: str) -> None:
    """Write a table for machines as ``tables/<name>.csv`` and ``.json`` of the running review.

    Under plain papermill (no review) it writes to ``GENDER_MONITOR_TABLES_DIR`` when set and
    otherwise writes nothing, saying so in the log. Returns None, so that a notebook's last line
    shows nothing.
    """
    folder = _CONTEXT.get("tables_dir") or os.environ.get("GENDER_MONITOR_TABLES_DIR")
    if not folder:
        log.info("publish_table(%r): no review running and GENDER_MONITOR_TABLES_DIR unset; not written", name)
        return None
    if not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise GenderMonitorError(f"table name must be letters, digits, '-', '_' or '.', got {name!r}")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    csv, js = out / f"{name}.csv", out / f"{name}.json"
    frame.to_csv(csv, index=False, encoding="utf-8")
    frame.to_json(js, orient="records", force_ascii=False, indent=1, date_format="iso")
    log.info("publish_table(%r): wrote %s and %s", name, csv, js)
