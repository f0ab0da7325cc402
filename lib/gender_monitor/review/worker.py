"""A review worker process: one reused Jupyter kernel and one PDF printer, running notebook after notebook.

:func:`run_job` executes one run (see :mod:`gender_monitor.review.runner`, which plans the runs and sends
each as a plain mapping), writes the executed notebook, exports the brief and prints its PDF, and
returns the run's record. Notebooks are executed by ``papermill.execute_notebook`` with this module's
engine (:class:`ReusedKernelEngine`, registered with papermill under :data:`ENGINE_NAME`): the kernel is
started once per worker and reset between notebooks, everything else (parameters, metadata, the error
banner of a failed notebook) is papermill's own.
"""

from __future__ import annotations

import json
import logging
import multiprocessing.util
import os
import re
import shutil
import signal
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from papermill.engines import Engine, papermill_engines
from papermill.execute import ERROR_MARKER_TAG

from gender_monitor.core.exceptions import GenderMonitorError

log = logging.getLogger(__name__)

_WORKER: dict[str, Any] = {}  # "loop", "km", "kc", "kernel", "sockets", "printer" of this worker process
KERNEL_START_TIMEOUT = 60.0
#: Tag of the cell papermill (and the runner) inserts after the ``parameters`` cell.
INJECTED_TAG = "injected-parameters"
#: The name under which :class:`ReusedKernelEngine` is registered with papermill.
ENGINE_NAME = "gender-monitor-worker"


class KernelStartError(GenderMonitorError):
    """A kernel did not start (twice in a row)."""


class CellFailure(GenderMonitorError):
    """A cell of a notebook failed: shaped like papermill's ``PapermillExecutionError``.

    ``cell_index``, ``exec_count``, ``source``, ``ename``, ``evalue`` and ``traceback`` (a list of lines)
    mean what they mean there; ``cell_index`` counts in the executed notebook. ``source_index`` counts
    in the source notebook (without the injected-parameters cell), ``cell_id`` is the cell's id.
    """

    def __init__(self, cell_index: int, exec_count: int | None, source: str, ename: str, evalue: str,
                 traceback: list[str], *, source_index: int | None = None, cell_id: str | None = None):
        self.cell_index, self.exec_count, self.source = cell_index, exec_count, source
        self.ename, self.evalue, self.traceback = ename, evalue, traceback
        self.source_index = cell_index if source_index is None else source_index
        self.cell_id = cell_id
        super().__init__(f"cell {self.source_index} ({ename}): {evalue}")

    @classmethod
    def in_notebook(cls, cells: list[Any], index: int, *, ename: str, evalue: str,
                    traceback: list[str]) -> CellFailure:
        """The failure of cell ``index`` of an executed notebook, located in the source notebook."""
        cell = cells[index]
        added = (INJECTED_TAG, ERROR_MARKER_TAG)  # papermill's cells: parameters, error banner and marker
        injected = sum(any(t in added for t in c.get("metadata", {}).get("tags", [])) for c in cells[:index])
        return cls(index, cell.get("execution_count"), cell.source, ename, evalue, traceback,
                   source_index=index - injected, cell_id=cell.get("id"))

    def record(self) -> dict[str, Any]:
        """The run record's error mapping: the cell quoted (first three lines), the traceback's end."""
        lines = self.source.splitlines()
        traceback = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(self.traceback))
        return {"stage": "cell", "cell_index": self.source_index, "cell_id": self.cell_id,
                "execution_count": self.exec_count, "ename": self.ename, "evalue": self.evalue.strip()[:500],
                "source": "\n".join(lines[:3]) + (" …" if len(lines) > 3 else ""),
                "traceback": traceback.strip().splitlines()[-6:]}


# --- records ------------------------------------------------------------------------------------


def base_record(job: dict[str, Any], duration: float) -> dict[str, Any]:
    """A run's record before its outcome is known (paths relative to the review folder)."""
    return {"name": job["name"], "role": job["role"], "notebook": job["notebook"],
            "parameters": job["parameters"], "status": "ok", "cache_hit": False,
            "duration_s": round(duration, 3), "title": None, "error": None,
            "outputs": {"notebook": f"notebooks/{job['name']}.ipynb", "html": None, "pdf": None},
            "tables": [], "pdf_note": None, "pdf_fallback": None, "pdf_wanted": job["pdf_wanted"],
            "key": job["key"], "finished": datetime.now().astimezone().isoformat(timespec="seconds")}


def failed_record(job: dict[str, Any], error: dict[str, Any], duration: float) -> dict[str, Any]:
    """The record of a run that failed before its notebook was written (kernel, worker crash)."""
    record = base_record(job, duration) | {"status": "failed", "error": error}
    record["outputs"]["notebook"] = None
    return record


def stage_error(stage: str, exc: BaseException) -> dict[str, Any]:
    """The error mapping of a failure outside the notebook's cells (``export``, ``pdf``, ``kernel`` …)."""
    return {"stage": stage, "cell_index": None, "ename": type(exc).__name__, "evalue": str(exc)[:1000]}


# --- one run ------------------------------------------------------------------------------------


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Run one job in this worker process: execute, export the brief, print the PDF; its record."""
    import asyncio

    import nbformat

    if "loop" not in _WORKER:
        _WORKER["loop"] = asyncio.new_event_loop()
        asyncio.set_event_loop(_WORKER["loop"])
        os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        multiprocessing.util.Finalize(None, _worker_shutdown, exitpriority=10)
    t0 = time.perf_counter()
    try:
        nb, error = _execute(job)
    except KernelStartError as exc:
        return failed_record(job, stage_error("kernel", exc), time.perf_counter() - t0)
    record = base_record(job, 0.0)
    record["timings"] = {"execute_s": round(time.perf_counter() - t0, 3)}
    review_dir = Path(job["review_dir"])
    nbformat.write(nb, review_dir / record["outputs"]["notebook"])
    if error is None:
        error = _publish(job, nb, record, review_dir)
    if error is None:
        record["tables"] = published_tables(Path(job["context"]["published_log"]))
    record["duration_s"] = round(time.perf_counter() - t0, 3)
    if error is not None:
        record.update(status="failed", error=error)
    return record


def published_tables(log_file: Path) -> list[str]:
    """The table files a run published (``tables/<name>.csv`` and ``.json``; a ``.docx`` or ``.xlsx`` of
    ``publish_file`` as it is named), from its log."""
    if not log_file.is_file():
        return []
    from gender_monitor.review.notebook import FILE_SUFFIXES

    names = {n for n in log_file.read_text(encoding="utf-8").splitlines() if n}
    files = {f"tables/{n}" for n in names if n.endswith(FILE_SUFFIXES)}  # publish_file: one file as named
    return sorted(files | {f"tables/{n}.{ext}" for n in names - {f[7:] for f in files} for ext in ("csv", "json")})


def _publish(job: dict[str, Any], nb: Any, record: dict[str, Any], review_dir: Path) -> dict[str, Any] | None:
    """Export the brief and print its PDF; returns an error mapping or None.

    When only the PDF fails, the record keeps its HTML brief.
    """
    from gender_monitor.publish import brief
    from gender_monitor.publish.pdf import CHROMIUM_HINT

    html = f"briefs/{job['name']}.html"
    stamp = job["stamp"]
    t0 = time.perf_counter()
    # Provenance of this brief: the data and its own notebook (not the other notebooks, nor the
    # review file, whose comments and batch settings do not change the brief).
    inputs = [f for f in stamp["inputs"] if f["path"] != stamp["parameters_file"]
              and (not f["path"].endswith(".ipynb") or f["path"] == job["notebook"])]
    try:
        brief.export_html(nb, review_dir / html, version=stamp["version"], inputs=inputs,
                          language=job["language"], notebook_label=job["notebook"], index_href="../index.html")
        meta = brief.prepare_notebook(nb)[1]
        record["title"], record["illustrative"] = meta.get("title"), bool(meta.get("illustrative"))
        record["preview"] = meta.get("preview") or None  # a trial run's banner, for the board's page too
    except Exception as exc:  # noqa: BLE001 - reported as this run's failure at the export stage
        return stage_error("export", exc)
    record["outputs"]["html"] = html
    record["timings"]["export_s"] = round(time.perf_counter() - t0, 3)
    if not job["pdf_wanted"]:
        return None
    if stamp["chromium"] is None:
        record["pdf_note"] = CHROMIUM_HINT
        return None
    pdf = f"briefs/{job['name']}.pdf"
    printer = _printer(stamp["chromium"])
    try:
        printer.print(review_dir / html, review_dir / pdf)
    except Exception as exc:  # noqa: BLE001 - reported as this run's failure at the PDF stage
        return stage_error("pdf", exc)
    finally:
        record["pdf_fallback"] = printer.fallback_reason
    record["outputs"]["pdf"] = pdf
    record["timings"]["pdf_s"] = round(time.perf_counter() - t0 - record["timings"]["export_s"], 3)
    return None


def _execute(job: dict[str, Any]) -> tuple[Any, dict[str, Any] | None]:
    """Execute a notebook with papermill on this worker's kernel; the executed notebook and its error.

    The error is ``None`` or :meth:`CellFailure.record` of the failing cell. As papermill writes it, a
    failed notebook keeps every output up to the failing cell and a banner at the top linking to a
    marker just before that cell.
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = Path(job["home"]) / job["notebook"]
    out = Path(job["review_dir"]) / "notebooks" / f"{job['name']}.ipynb"
    started = datetime.now().astimezone()
    try:
        nb = papermill.execute_notebook(
            source, out, job["parameters"], engine_name=ENGINE_NAME, kernel_name=job["kernel"],
            language="python", progress_bar=False, request_save_on_cell_execute=False,
            execution_timeout=job["cell_timeout"], context=job["context"])
        error = None
    except PapermillExecutionError as exc:
        nb = nbformat.read(out, as_version=4)  # papermill wrote it, with its banner, before raising
        failed = next(i for i, c in enumerate(nb.cells) if c.get("metadata", {}).get("papermill", {}).get("exception"))
        error = CellFailure.in_notebook(nb.cells, failed, ename=exc.ename, evalue=exc.evalue,
                                        traceback=list(exc.traceback)).record()
    _papermill_metadata(nb, job, source, started, error)
    return nb, error


class ReusedKernelEngine(Engine):
    """Papermill engine running notebooks on this worker's kernel, started once and reset in between.

    Cells are executed with nbclient on the worker's kernel client and reported to papermill's
    execution manager, so papermill records timings and failures as its own engine does. A cell that
    times out or kills the kernel gets an error output naming that, and the kernel is replaced for
    the next notebook.
    """

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, *, execution_timeout: float | None = None,
                                 context: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        _WORKER["loop"].run_until_complete(_execute_cells(nb_man, kernel_name, execution_timeout, context or {}))
        return nb_man.nb


papermill_engines.register(ENGINE_NAME, ReusedKernelEngine)


async def _execute_cells(nb_man: Any, kernel_name: str, timeout: float | None, context: dict[str, Any]) -> None:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from nbformat.v4 import new_output

    await _ensure_kernel(kernel_name)
    await _run_code(_prelude(context))
    nb = nb_man.nb
    client = NotebookClient(nb, km=_WORKER["km"], timeout=timeout, kernel_name=kernel_name,
                            allow_errors=False, record_timing=True)
    client.kc = _WORKER["kc"]  # reuse this worker's client: the context below then starts nothing
    client.reset_execution_trackers()
    lost_kernel = False
    async with client.async_setup_kernel():
        for index, cell in enumerate(nb.cells):
            nb_man.cell_start(cell, index)
            try:
                await client.async_execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            except CellExecutionError as exc:
                nb_man.cell_exception(cell, cell_index=index, exception=exc)
                break
            except (CellTimeoutError, DeadKernelError) as exc:
                # No error output comes from a busy or dead kernel: write one, so the notebook says why.
                cell.outputs.append(new_output("error", ename=type(exc).__name__, evalue=str(exc).strip(),
                                               traceback=[f"{type(exc).__name__}: {str(exc).strip()}"]))
                nb_man.cell_exception(cell, cell_index=index, exception=exc)
                lost_kernel = True
                break
            finally:
                nb_man.cell_complete(cell, cell_index=index)
    if lost_kernel:
        await _worker_shutdown_async()  # the kernel is busy or gone: the next job starts a new one


def cell_error(cells: list[Any], index: int, exc: Exception) -> dict[str, Any]:
    """The failing cell ``index``, located in the source notebook and quoted (first three lines)."""
    traceback = str(getattr(exc, "traceback", "") or exc).splitlines()
    return CellFailure.in_notebook(cells, index, ename=getattr(exc, "ename", None) or type(exc).__name__,
                                   evalue=getattr(exc, "evalue", None) or str(exc),
                                   traceback=traceback).record()


def _papermill_metadata(nb: Any, job: dict[str, Any], source: Path, started: datetime,
                        error: dict[str, Any] | None) -> None:
    """The metadata papermill would write, plus the run's error for readers of the notebook."""
    import papermill

    ended = datetime.now().astimezone()
    nb.metadata.papermill.update({
        # Relative to the repository: no server folder crosses into a published notebook.
        "input_path": str(job["notebook"]), "output_path": f"notebooks/{job['name']}.ipynb",
        "start_time": started.isoformat(), "end_time": ended.isoformat(),
        "duration": (ended - started).total_seconds(), "exception": error is not None,
        "version": papermill.__version__,
    })
    nb.metadata["gender_monitor"] = {"run": job["name"], "error": error}


def _prelude(context: dict[str, Any]) -> str:
    """Code run in a reused kernel before each notebook: empty namespace, fresh context."""
    return ("get_ipython().run_line_magic('reset', '-f')\n"
            "import gender_monitor.review.notebook as _gm_helpers\n"
            f"_gm_helpers.kernel_begin(__import__('json').loads({json.dumps(context)!r}))\n"
            "del _gm_helpers\n")


# --- the kernel and the printer of this worker --------------------------------------------------


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
            said = _log_tail()
            await _worker_shutdown_async()
            if attempt == 2:
                raise KernelStartError(f"kernel {kernel_name!r} did not start twice: {exc}{said}") from exc
            log.warning("kernel %r failed to start (%s); retrying once", kernel_name, exc)


async def _start_kernel(kernel_name: str) -> None:
    from jupyter_client.kernelspec import NoSuchKernel
    from jupyter_client.manager import AsyncKernelManager

    # Local IPC sockets in a folder of this worker's own: no TCP port races between parallel workers.
    sockets = Path(tempfile.mkdtemp(prefix=f"gm-kernel-{os.getpid()}-"))
    km = AsyncKernelManager(kernel_name=kernel_name, transport="ipc", ip=str(sockets / "k"))
    _WORKER["sockets"] = sockets
    # The kernel's own log (ipykernel's warnings, and the traceback it logs when it is stopped mid-cell) goes to a
    # file beside its sockets, not to the batch's terminal: what a notebook prints reaches its outputs by messages,
    # and a kernel that fails to start has the end of its log quoted in the error.
    kernel_log = sockets / "kernel.log"
    try:
        with kernel_log.open("ab") as stderr:
            await km.start_kernel(stderr=stderr)
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


def _log_tail(lines: int = 20) -> str:
    """The last ``lines`` lines of this worker's kernel log, to quote in an error ('' when it wrote none)."""
    sockets = _WORKER.get("sockets")
    if sockets is None:
        return ""
    try:
        text = (sockets / "kernel.log").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""
    return ("\nkernel log:\n" + "\n".join(text.splitlines()[-lines:])) if text else ""


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
        from gender_monitor.publish.pdf import PdfPrinter

        _WORKER["printer"] = PdfPrinter(chromium)
    return _WORKER["printer"]


def init_worker() -> None:
    """Set up a new worker process: interrupts are the batch's to handle (see :func:`_on_terminate`).

    Ctrl-C reaches every process of the terminal's group; a worker ignores it (no traceback per
    worker, no half-written brief) and the batch stops the workers with SIGTERM.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_terminate)


def _on_terminate(signum: int, frame: Any) -> None:
    """SIGTERM: kill this worker's kernel, browser and their children at once, then exit."""
    kill_descendants()
    os._exit(128 + signum)


def kill_descendants(pid: int | None = None) -> None:
    """Kill every process started under ``pid`` (this process by default): kernels, Chromium, drivers.

    A kernel runs in a session of its own (jupyter_client), so a signal to the worker's group would miss
    it; the process tree does not.
    """
    import psutil

    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return
    for child in children:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(children, timeout=3)


def _worker_shutdown() -> None:
    """Stop this worker's kernel and browser when the worker process exits."""
    printer = _WORKER.pop("printer", None)
    if printer is not None:
        printer.close()
    if "loop" in _WORKER and "km" in _WORKER:
        _WORKER["loop"].run_until_complete(_worker_shutdown_async())
