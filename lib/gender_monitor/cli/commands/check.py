"""`gender-monitor check`: validate the plan, the reference tables and observation files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gender_monitor.cli.args import command, help_text, prefixed

if TYPE_CHECKING:
    from gender_monitor.plan.registry import Plan


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
    if not args.quiet and not args.files:
        # The agencies' files refused whole that no readable return has followed: received, but nothing usable.
        from gender_monitor.core import paths
        from gender_monitor.plan.registry import load_plan

        for line in refused_lines(Path(args.data) if args.data else paths.data_dir(), plan=load_plan()):
            print(line, file=out)
    if not args.quiet:
        print(report.summary(), file=out)
    return 0 if report.ok else 1


def refused_lines(root: Path, *, plan: Plan, agency: str | None = None, year: int | None = None) -> list[str]:
    """The files refused whole not yet followed by a return that can be read (``collect.returns.refused_files``):
    a heading, then for each its day, agency, name and where it is kept, and why in Vietnamese then English. No
    lines when there are none."""
    from gender_monitor.collect.returns import refused_files, refused_words
    from gender_monitor.core import i18n

    files = refused_files(plan=plan, data_dir=root)
    files = files[~files["answered"].astype(bool)]
    if agency is not None:
        files = files[files["agency"] == agency]
    if year is not None:
        files = files[files["round"] == year]
    if files.empty:
        return []
    lines = [i18n.both("cli.quarantine.refused_head", n=len(files))]
    for f in files.to_dict("records"):
        kept = str(root / f["kept"]) if f["kept"] else ""
        lines.append(f"  {day_said(f['when'])}  {f['agency'] or '?'}  {f['file']}" + (f" → {kept}" if kept else ""))
        why = {lang: i18n.t("cli.quarantine.refused_entry", lang, why=refused_words(f["rule"], lang),
                            year=f["round"]) for lang in i18n.LANGUAGES}
        lines.append(f"      {why['vi']} / {why['en']}")
        if not f["agency"]:
            lines.append(f"      {i18n.both('cli.quarantine.no_agency')}")
    return lines


def day_said(text: str) -> str:
    """A logged time as the day a Vietnamese reader writes (dd/mm/yyyy); the text itself when it names none."""
    from gender_monitor.collect.store import day_of
    from gender_monitor.core import i18n

    day = day_of(text)
    return i18n.date(day, "vi") if day else text
