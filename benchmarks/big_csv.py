"""Reading and checking a very large observation CSV: time and peak memory, printed.

Usage:
    python benchmarks/big_csv.py                 # 2,000,000 rows (about 150 MB)
    python benchmarks/big_csv.py --rows 200000

The file is written to a temporary folder from the plan's indicators and the places table (valid rows,
counts with numerators and denominators, a note on every tenth row); it is then checked by
``check_observations`` in a fresh Python process whose peak resident memory (``ru_maxrss``) is reported,
so the figure is the reader's, not the generator's. The goal is under 1 GB for 2 million rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from gender_monitor.data.observations import check_observations
frame, issues = check_observations([sys.argv[1]])
errors = sum(i.severity == "error" for i in issues)
print(json.dumps({"rows": len(frame), "errors": errors, "issues": len(issues),
                  "seconds": time.perf_counter() - t0,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "frame_mb": frame.memory_usage(deep=True).sum() / 1024**2}))
"""


def write_file(path: Path, rows: int) -> None:
    from gender_monitor.plan.reference import load_places
    from gender_monitor.plan.registry import load_plan

    plan = load_plan()
    places = load_places()
    codes = [code for code, unit in plan.units().items() if unit == "percent"]
    # Places that exist for the whole span written (no start or end date), so every row is valid.
    place_codes = [p.code for p in places.by_code.values() if p.valid_from is None and p.valid_to is None]
    years = list(range(1951, 2026))
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["indicator", "place", "year", "value", "numerator", "denominator", "source", "status",
                    "note", "series"])
        n = 0
        # Each (indicator, place, year, series) once: series numbers make the keys unique.
        if not codes or not place_codes:
            raise SystemExit("no percent indicator or no place without dates to write rows for")
        for series in range(10**9):
            for code in codes:
                for place in place_codes:
                    for year in years:
                        if n >= rows:
                            return
                        den = 1000 + (n % 997)
                        num = (n * 7919) % den
                        w.writerow([code, place, year, f"{100 * num / den:.2f}", num, den, "Benchmark",
                                    "official", "ghi chú, có dấu phẩy" if n % 10 == 0 else "", f"s{series}"])
                        n += 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.csv"
        t0 = time.perf_counter()
        write_file(path, args.rows)
        print(f"wrote {args.rows:,} rows, {path.stat().st_size / 1024**2:,.0f} MB in "
              f"{time.perf_counter() - t0:.1f} s")
        out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, check=True)
        res = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"check_observations: {res['rows']:,} rows kept, {res['errors']} errors, {res['issues']} issues")
    print(f"  time {res['seconds']:.1f} s, peak memory {res['peak_mb']:,.0f} MB "
          f"(the frame itself {res['frame_mb']:,.0f} MB); goal under 1,024 MB for 2,000,000 rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
