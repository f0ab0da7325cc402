"""`gender-monitor quarantine`: the values ingestion held back and the files it refused whole; a held value settled
by hand (the agreed value stored, or the value set aside), with who, why and when kept in the record."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gender_monitor.cli.args import command, help_text, prefixed, reporting_year


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "quarantine", described=True)
    p.add_argument("--data", metavar="DIR", help=help_text("quarantine.data"))
    p.add_argument("--agency", metavar="CODE", help=help_text("quarantine.agency"))
    p.add_argument("--year", type=reporting_year, metavar="YEAR", help=help_text("quarantine.year"))
    p.add_argument("--all", action="store_true", help=help_text("quarantine.all"))
    settle = p.add_mutually_exclusive_group()
    settle.add_argument("--resolve", type=int, metavar="N", help=help_text("quarantine.resolve"))
    settle.add_argument("--drop", type=int, metavar="N", help=help_text("quarantine.drop"))
    p.add_argument("--value", metavar="VALUE", help=help_text("quarantine.value"))
    p.add_argument("--by", metavar="NAME", help=help_text("quarantine.by"))
    p.add_argument("--reason", metavar="TEXT", help=help_text("quarantine.reason"))
    p.add_argument("--dry-run", action="store_true", help=help_text("quarantine.dry_run"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gender_monitor.core import i18n

    data = Path(args.data) if args.data else None
    number = args.resolve if args.resolve is not None else args.drop
    problem = ("need_value" if args.resolve is not None and args.value is None
               else "value_alone" if args.value is not None and args.resolve is None
               else "need_by_reason" if number is not None and (args.by is None or args.reason is None)
               else "list_only" if number is not None and (args.agency or args.year or args.all) else None)
    if problem:
        print(prefixed("error", i18n.both(f"cli.quarantine.{problem}")), file=sys.stderr)
        return 2
    if number is None:
        return _list(data, agency=args.agency, year=args.year, everything=args.all)
    from gender_monitor.collect.ingest import settle

    done = settle(number, value=args.value, by=args.by, reason=args.reason, data_dir=data, dry_run=args.dry_run)
    for finding in done.findings:
        print(finding, file=sys.stderr if finding.severity == "error" else sys.stdout)
    said = dict(n=number, by=" ".join(args.by.split()), reason=" ".join(args.reason.split()),
                value=repr(done.entry.get("value", "")))
    if args.value is None:
        line = i18n.both("cli.quarantine.done_drop", **said)
    else:
        others = ", ".join(f"#{n}" for n in done.resolved if n != number)
        stored = i18n.each_language("cli.quarantine.done_value",
                                    **(said | {"value": i18n.value_said(done.entry["resolved_value"])}),
                                    stored=done.stored)
        more = i18n.each_language("cli.quarantine.done_more", numbers=others) if others else {"vi": "", "en": ""}
        line = f"{stored['vi']}{more['vi']} / {stored['en']}{more['en']}"
    print(line)
    if args.dry_run:
        print(i18n.both("ingest.summary.dry"))
    return 0


def _list(data: Path | None, *, agency: str | None, year: int | None, everything: bool) -> int:
    import pandas as pd

    from gender_monitor.cli.commands.check import refused_lines
    from gender_monitor.collect.returns import of_round
    from gender_monitor.collect.store import QUARANTINE, read_rows
    from gender_monitor.core import i18n, paths
    from gender_monitor.plan.registry import load_plan

    root = data if data is not None else paths.data_dir()
    plan = load_plan()
    entries = list(enumerate(read_rows(root / QUARANTINE / "quarantine.csv", ["when"]), start=1))

    # A held row counts for a year as the returns table counts it (returns.of_round): a year none of the plan's
    # (left empty, 2052 typed in the 2025 template) goes to the round whose due day it came nearest.
    in_year = (of_round(pd.Series([e.get("year", "") for _, e in entries], dtype=object),
                        pd.Series([e.get("when", "") for _, e in entries], dtype=object), year, plan).tolist()
               if year is not None else [True] * len(entries))
    chosen = [(n, e) for (n, e), keep in zip(entries, in_year)
              if keep and (agency is None or e.get("agency") == agency)]
    held = [(n, e) for n, e in chosen if not e.get("resolved")]
    shown = chosen if everything else held
    if everything:
        print(i18n.both("cli.quarantine.all_head", n=len(chosen), held=len(held)))
    elif held:
        print(i18n.both("cli.quarantine.held_head", n=len(held)))
    else:
        print(i18n.both("cli.quarantine.none_held"))
    for n, e in shown:
        print(_entry_line(n, e))
        print("      " + " / ".join(dict.fromkeys(r for r in (e.get("reason_vi"), e.get("reason")) if r)))
        if e.get("resolved"):
            print(f"      {_how_settled(e)}")
    if held:
        print(i18n.both("cli.quarantine.how_to"))
    for line in refused_lines(root, plan=plan, agency=agency, year=year):
        print(line)
    return 0


def _entry_line(n: int, e: dict[str, str]) -> str:
    """One held row, in words of no language: its number, agency, where it came from, the day, its key and value."""
    from gender_monitor.cli.commands.check import day_said

    where = e.get("file", "") + (f" [{e['sheet']}!{e['cell']}]" if e.get("sheet") else f", {e['cell']}"
                                 if e.get("cell") else "")
    period = f"Q{e['quarter']}/{e.get('year', '')}" if e.get("quarter") else e.get("year", "")
    key = " ".join(x for x in (e.get("indicator", ""), e.get("place", ""), period, e.get("sex", ""),
                               f"[{e['series']}]" if e.get("series") else "") if x)
    return f"  #{n}  {e.get('agency') or '?'}  {where}  {day_said(e.get('when', ''))}  {key} = {e.get('value', '')!r}"


def _how_settled(e: dict[str, str]) -> str:
    """How a settled entry was settled, in Vietnamese then English."""
    from gender_monitor.cli.commands.check import day_said
    from gender_monitor.core import i18n

    said = dict(date=day_said(e["resolved"]), value=i18n.value_said(e.get("resolved_value", "")),
                by=e.get("resolved_by", ""),
                reason=e.get("resolved_reason", ""))
    if e.get("resolved_by") and not e.get("resolved_value"):
        return i18n.both("cli.quarantine.set_aside", **said)
    if e.get("resolved_by"):
        return i18n.both("cli.quarantine.settled_value", **said)
    cell = f", {e['resolved_cell']}" if e.get("resolved_cell") else ""
    return i18n.both("cli.quarantine.released", **said, file=e.get("resolved_file", ""), cell=cell)
