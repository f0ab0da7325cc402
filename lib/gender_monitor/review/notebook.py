"""What notebooks call inside a review's kernel: the review context, shared results, published tables.

Notebooks import these from :mod:`gender_monitor.review.runner` (``runner.shared_result``,
``runner.publish_table``, ``runner.review_context``); the runner's workers call :func:`kernel_begin`
before each notebook. Under plain papermill no review is running and each helper says what it does then.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any, Callable, TypeVar

from gender_monitor.core.cells import neutralise_frame
from gender_monitor.core.exceptions import GenderMonitorError

log = logging.getLogger(__name__)
T = TypeVar("T")

_CONTEXT: dict[str, Any] = {}
_MEMO: dict[str, Any] = {}
_RC_DEFAULTS: dict[str, Any] | None = None


def kernel_begin(context: dict[str, Any]) -> None:
    """Prepare a reused kernel for the next notebook: working folder, review context, clean plots.

    The runner calls this after ``%reset -f``; notebooks never call it. ``context`` holds ``cwd``,
    ``review``, ``run``, ``tables_dir``, ``shared_dir`` and ``published_log`` (the file in which
    :func:`publish_table` notes each table the run publishes).
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

    Under the runner the result is stored as JSON data with a digest (:mod:`gender_monitor.review.storage`;
    never a pickle: reading it runs no code) in the review's shared folder, outside the published
    review folder, with a lock so that parallel workers compute it once; it is also memoised in the
    kernel. Under plain papermill it is memoised in the kernel only. The folder changes whenever an
    input file, the library or a package that shapes results changes. A stored file that does not
    match its digest is computed again; a result that cannot be stored as data is computed in each
    kernel (and the log says so).

    Parameters
    ----------
    name
        What the result is (``"assessment"``); part of the file name.
    compute
        A library function; called with ``**key`` when no stored result matches.
    **key
        The arguments that determine the result (JSON-serialisable).
    """
    # A compute function that states the digest of its inputs (review state) is recomputed after an edit.
    stamp = compute.inputs_digest() if callable(getattr(compute, "inputs_digest", None)) else None
    digest = hashlib.sha256(json.dumps([name, key, stamp], sort_keys=True, default=str).encode()).hexdigest()[:20]
    memo_key = f"{_CONTEXT.get('shared_dir', '')}/{name}-{digest}"
    if memo_key in _MEMO:
        return _MEMO[memo_key]
    if not _CONTEXT.get("shared_dir"):
        _MEMO[memo_key] = compute(**key)
        return _MEMO[memo_key]
    from gender_monitor.review import storage

    target = Path(_CONTEXT["shared_dir"]) / f"{name}-{digest}.json"
    with open(target.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        value, stored = None, False
        if target.is_file():
            try:
                value, stored = storage.load(target), True
            except storage.StorageError as exc:
                log.warning("shared result %s computed again: %s", name, exc)
        if not stored:
            value = compute(**key)
            try:
                storage.save(target, value)
            except storage.StorageError as exc:
                log.warning("shared result %s is computed in each kernel: %s", name, exc)
    _MEMO[memo_key] = value
    return value


def publish_table(frame: Any, name: str) -> None:
    """Write a table for machines as ``tables/<name>.csv`` and ``.json`` of the running review.

    Under the runner the table is also noted as published by this run: the index lists it, and it
    is removed from ``tables/`` once no run of the review publishes it any more. Under plain
    papermill (no review) it writes to ``GENDER_MONITOR_TABLES_DIR`` when set and otherwise writes
    nothing, saying so in the log. Returns None, so that a notebook's last line shows nothing.

    Raises
    ------
    GenderMonitorError
        ``name`` has characters other than letters, digits, ``-``, ``_`` and ``.``.
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
    # Written under a temporary name and renamed: a full disk or an interrupt leaves no half table.
    tmp_csv, tmp_js = csv.with_name(f".{csv.name}.tmp"), js.with_name(f".{js.name}.tmp")
    # Ten significant digits: 5.43, not the 5.429999999999872 of a float difference. In Excel no formula runs.
    neutralise_frame(frame).to_csv(tmp_csv, index=False, encoding="utf-8", float_format="%.10g")
    frame.to_json(tmp_js, orient="records", force_ascii=False, indent=1, date_format="iso", double_precision=10)
    os.replace(tmp_csv, csv)
    os.replace(tmp_js, js)
    if _CONTEXT.get("published_log"):
        with open(_CONTEXT["published_log"], "a", encoding="utf-8") as fh:
            fh.write(f"{name}\n")
    log.info("publish_table(%r): wrote %s and %s", name, csv, js)


#: Files (not tables) a run may publish beside its tables: the department's editable versions.
FILE_SUFFIXES = (".docx", ".xlsx")


def publish_file(content: bytes, name: str) -> None:
    """Write an editable file (``.docx``, ``.xlsx``) as ``tables/<name>`` of the running review.

    Listed on the index with the tables and kept or removed with them (:func:`publish_table`); under
    plain papermill it goes to ``GENDER_MONITOR_TABLES_DIR`` when set, else nothing is written.

    Raises
    ------
    GenderMonitorError
        ``name`` is not a plain file name ending in one of :data:`FILE_SUFFIXES`.
    """
    folder = _CONTEXT.get("tables_dir") or os.environ.get("GENDER_MONITOR_TABLES_DIR")
    stem, suffix = os.path.splitext(name)
    if suffix not in FILE_SUFFIXES or not stem.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise GenderMonitorError(f"file name must be letters, digits, '-', '_' or '.' ending in "
                                 f"{' or '.join(FILE_SUFFIXES)}, got {name!r}")
    if not folder:
        log.info("publish_file(%r): no review running and GENDER_MONITOR_TABLES_DIR unset; not written", name)
        return None
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".{name}.tmp"
    tmp.write_bytes(content)
    os.replace(tmp, out / name)
    if _CONTEXT.get("published_log"):
        with open(_CONTEXT["published_log"], "a", encoding="utf-8") as fh:
            fh.write(f"{name}\n")
    return None
