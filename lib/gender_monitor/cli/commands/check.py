"""`gender-monitor check`: validate the plan, the reference tables and observation files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gender_monitor.cli.args import command, help_text, prefixed


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "check")
    p.add_argument("files", nargs="*", metavar="FILE", help=help_text("check.files"))
    p.add_argument("--data", metavar="DIR", help=help_text("check.data"))
    p.add_argument("--quiet", action="store_true", help=help_text("check.quiet"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gender_monitor.data import checks

    report = checks.run_checks(files=[Path(f) for f in args.files] or None,
                               data_dir=Path(args.data) if args.data else None)
    out = sys.stdout
    for issue in report.issues:
        if args.quiet and issue.severity != "error":
            continue  # --quiet: errors only (its help), no warnings and no coverage table
        stream = sys.stderr if issue.severity == "error" else out
        print(prefixed(issue.severity, str(issue)), file=stream)
    if not args.quiet:
        print(report.summary(), file=out)
    return 0 if report.ok else 1
