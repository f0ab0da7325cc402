"""`gender-monitor ingest`: check filled templates and observation CSVs, and land their good values in data/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gender_monitor.cli.args import command, help_text, reporting_year


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "ingest", described=True)
    p.add_argument("files", nargs="+", metavar="FILE", help=help_text("ingest.files"))
    p.add_argument("--data", metavar="DIR", help=help_text("ingest.data"))
    p.add_argument("--year", type=reporting_year, metavar="YEAR", help=help_text("ingest.year"))
    p.add_argument("--agency", metavar="CODE", help=help_text("ingest.agency"))
    p.add_argument("--outputs", metavar="DIR", help=help_text("ingest.outputs"))
    p.add_argument("--dry-run", action="store_true", help=help_text("ingest.dry_run"))
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
