"""Wall time of the full review against the naive way, measured in the same run.

Naive: for every target, one plain ``papermill`` run of the indicator notebook, then
``jupyter nbconvert --to html`` of its output, one after another (a fresh kernel and fresh imports
each time). Full: ``gender-monitor review --force`` (every notebook, briefs, PDFs, index, manifest).
Rerun: ``gender-monitor review`` again with nothing changed (everything reused).

Goals: full ≤ 0.25 × naive; rerun ≤ 2 s.

    python benchmarks/review_time.py [-f parameters/review_2025.yaml] [--role indicator] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gender_monitor.core import paths
from gender_monitor.review import runner
from gender_monitor.review.parameters import load_review_parameters

BIN = Path(sys.executable).parent
FULL_GOAL, RERUN_GOAL = 0.25, 2.0


def naive_time(file: Path, role: str) -> tuple[float, int]:
    """Seconds for papermill + nbconvert CLI per run of ``role``, sequentially; and the run count."""
    params = load_review_parameters(file)
    specs = [s for s in runner.plan_runs(params, str(file)) if s.role == role and not s.missing]
    if not specs:
        raise SystemExit(f"{file}: no existing notebook with role {role!r} to time")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gm-naive-") as tmp:
        for spec in specs:
            out = Path(tmp) / f"{spec.name}.ipynb"
            _run([str(BIN / "papermill"), str(paths.home() / spec.notebook), str(out), "-k", params.kernel,
                  "-y", json.dumps(spec.parameters), "--cwd", str((paths.home() / spec.notebook).parent),
                  "--execution-timeout", str(params.cell_timeout), "--no-progress-bar"])
            _run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)])
    return time.perf_counter() - start, len(specs)


def review_time(file: Path, force: bool) -> float:
    """Seconds for ``gender-monitor review`` as a user runs it (a new process, CLI start-up included)."""
    start = time.perf_counter()
    args = [str(BIN / "gender-monitor"), "review", "-f", str(file), "--no-progress"]
    done = subprocess.run(args + (["--force"] if force else []), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    print(done.stdout.strip(), file=sys.stderr)
    if done.returncode != 0:
        print(done.stderr.strip(), file=sys.stderr)
    return elapsed


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} … failed:\n{done.stderr[-2000:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-f", "--file", default=str(paths.parameters_dir() / "review_2025.yaml"))
    parser.add_argument("--role", default="indicator", help="the role timed the naive way (default: indicator)")
    parser.add_argument("--json", metavar="OUT", help="also write the timings as JSON")
    args = parser.parse_args(argv)
    file = Path(args.file)
    full = review_time(file, force=True)
    rerun = review_time(file, force=False)
    naive, runs = naive_time(file, args.role)
    result = {"parameters": str(file), "naive_runs": runs, "naive_s": round(naive, 2), "full_s": round(full, 2),
              "rerun_s": round(rerun, 2), "full_over_naive": round(full / naive, 3),
              "goal_full_over_naive": FULL_GOAL, "goal_rerun_s": RERUN_GOAL}
    print(f"naive ({runs} × papermill + nbconvert): {naive:7.1f} s")
    print(f"full review (--force):                  {full:7.1f} s  = {full / naive:.2f} × naive "
          f"(goal ≤ {FULL_GOAL}) {'ok' if full / naive <= FULL_GOAL else 'MISSED'}")
    print(f"rerun, nothing changed:                 {rerun:7.2f} s  (goal ≤ {RERUN_GOAL} s) "
          f"{'ok' if rerun <= RERUN_GOAL else 'MISSED'}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0 if full / naive <= FULL_GOAL and rerun <= RERUN_GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
