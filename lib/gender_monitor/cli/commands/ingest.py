"""`gender-monitor ingest`: check filled templates and observation CSVs, and land their good values in data/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="check filled templates (.xlsx) and observation CSVs; land good values",
                       description="Every cell is checked. Good values go to data/reported/<year>/<agency>.csv, "
                                   "refused ones to data/quarantine/quarantine.csv, changes to "
                                   "data/reported/revisions.csv; the report goes to outputs/ingest/<time>/.")
    p.add_argument("files", nargs="+", metavar="FILE", help="filled templates (.xlsx) or observation CSV files")
    p.add_argument("--data", metavar="DIR", help="data folder to update (default: the repository's data/)")
    p.add_argument("--year", type=int, metavar="YEAR", help="accept only this reporting year")
    p.add_argument("--agency", metavar="CODE", help="agency sending the CSV files (templates name their own)")
    p.add_argument("--outputs", metavar="DIR", help="folder for the report (default: the repository's outputs/)")
    p.add_argument("--dry-run", action="store_true", help="check and report only; write nothing")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gender_monitor.collect.ingest import ingest

    result = ingest([Path(f) for f in args.files], data_dir=Path(args.data) if args.data else None,
                    year=args.year, agency=args.agency, dry_run=args.dry_run,
                    outputs_dir=Path(args.outputs) if args.outputs else None)
    for finding in result.findings:
        print(finding, file=sys.stderr if finding.severity == "error" else sys.stdout)
    print(result.summary())
    return 0 if result.ok else 1
