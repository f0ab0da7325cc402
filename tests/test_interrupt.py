"""Stopping a review: Ctrl-C (to the terminal's process group) or SIGTERM (to the batch) stops workers and
kernels promptly, marks the manifest interrupted, leaves no index, prints a message and no traceback."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest
import yaml

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / "nb").mkdir(parents=True)
    (home / "parameters").mkdir()
    # a review checks its place against the reference tables and the plan
    repository = Path(__file__).resolve().parents[1]
    shutil.copytree(repository / "data" / "reference", home / "data" / "reference")
    shutil.copy(repository / "parameters" / "plan.yaml", home / "parameters" / "plan.yaml")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("objective: int = 0  # which run", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("import time\ntime.sleep(600)")]
    nb.metadata["kernelspec"] = {"name": "gender-monitor", "display_name": "Python (gender-monitor)",
                                 "language": "python"}
    nbformat.write(nb, home / "nb" / "slow.ipynb")
    config = {"review": "slow", "language": "vi", "as_of": 2025, "place": "QT", "cell_timeout": 900,
              "workers": 2, "pdf": False, "inputs": [],
              "notebooks": [{"role": "slow", "path": "nb/slow.ipynb", "each": "objective", "codes": [1, 2, 3]}]}
    (home / "parameters" / "slow.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    old = home / "outputs" / "slow"
    old.mkdir(parents=True)
    (old / "index.html").write_text("<p>previous review</p>", encoding="utf-8")
    (old / "manifest.json").write_text("{}", encoding="utf-8")
    # The last good brief of one run: set aside when the run starts again, it must survive the interruption.
    (old / "briefs").mkdir()
    (old / "briefs" / "slow-1.html").write_text("<html><body><p>last week's brief</p></body></html>", encoding="utf-8")
    (old / ".cache" / "records").mkdir(parents=True)
    (old / ".cache" / "records" / "slow-1.json").write_text(json.dumps({
        "name": "slow-1", "status": "ok", "key": "an older key", "title": "Last week", "finished":
        "2026-11-28T09:00:00+07:00", "outputs": {"notebook": None, "html": "briefs/slow-1.html", "pdf": None}}),
        encoding="utf-8")
    return home


def _start(home: Path) -> tuple[subprocess.Popen, list[psutil.Process]]:
    env = dict(os.environ, GENDER_MONITOR_HOME=str(home), PYTHONPATH=os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "gender_monitor", "review", "-f",
                             str(home / "parameters" / "slow.yaml"), "--no-progress"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:  # wait until both workers run a kernel
        kids = psutil.Process(proc.pid).children(recursive=True)
        if sum("ipykernel" in " ".join(k.cmdline()) for k in kids if k.is_running()) >= 2:
            return proc, kids
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.5)
    raise AssertionError("the kernels did not start")


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupted_review_stops_everything_and_looks_unfinished(tmp_path: Path, how: str) -> None:
    home = _home(tmp_path)
    proc, kids = _start(home)
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)  # what the terminal does: the whole foreground group
    else:
        proc.send_signal(signal.SIGTERM)  # a service manager: the batch process only
    # The notebooks would sleep for ten minutes: finishing at all within a minute shows they were stopped.
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        # Everything it started goes too: a surviving worker would hold the pipes open for ever.
        for p in [psutil.Process(proc.pid), *kids]:
            with contextlib.suppress(psutil.NoSuchProcess):
                p.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        raise AssertionError(f"the review did not stop within 60 s; it printed:\n{err[-3000:]}") from None
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err and "chạy lại" in err
    _, alive = psutil.wait_procs(kids, timeout=10)
    assert [p for p in alive if p.status() != psutil.STATUS_ZOMBIE] == []
    review = home / "outputs" / "slow"
    assert not (review / "index.html").exists()
    manifest = json.loads((review / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "interrupted"
    # Run 1's last good brief is set aside, not lost: the next batch puts it back if run 1 fails then.
    kept = review / ".cache" / "previous"
    assert (kept / "slow-1.html").read_text(encoding="utf-8") == "<html><body><p>last week's brief</p></body></html>"
    assert json.loads((kept / "slow-1.json").read_text(encoding="utf-8"))["title"] == "Last week"


def test_a_kernels_own_log_stays_out_of_the_terminal(tmp_path: Path) -> None:
    """What a kernel process writes to its own stderr (ipykernel's log, the traceback it logs when stopped mid-cell)
    goes to a file beside its sockets, not to the batch's terminal."""
    home = _home(tmp_path)
    nb = nbformat.read(home / "nb" / "slow.ipynb", as_version=4)
    nb.cells[1] = nbformat.v4.new_code_cell("import os\nos.write(2, b'KERNEL-LOG-MARK\\n')")
    nbformat.write(nb, home / "nb" / "slow.ipynb")
    config = yaml.safe_load((home / "parameters" / "slow.yaml").read_text(encoding="utf-8"))
    config.update(workers=1, notebooks=[{**config["notebooks"][0], "codes": [1]}])
    (home / "parameters" / "slow.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {**os.environ, "GENDER_MONITOR_HOME": str(home)}
    command = [sys.executable, "-m", "gender_monitor", "review", "-f", str(home / "parameters" / "slow.yaml"),
               "--no-progress"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert "KERNEL-LOG-MARK" not in done.stdout + done.stderr
    assert done.returncode == 0, done.stderr
    record = json.loads((home / "outputs" / "slow" / ".cache" / "records" / "slow-1.json").read_text(encoding="utf-8"))
    assert record["status"] == "ok" and record["key"] != "an older key"  # the notebook ran, and wrote the mark
