"""`gender-monitor templates`: write the yearly Excel reporting template of every reporting agency."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gender_monitor.cli.args import command, help_text, prefixed, reporting_year


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "templates", described=True)
    p.add_argument("--year", type=reporting_year, required=True, metavar="YEAR", help=help_text("templates.year"))
    p.add_argument("--out", required=True, metavar="DIR", help=help_text("templates.out"))
    p.add_argument("--data", metavar="DIR", help=help_text("templates.data"))
    # Given twice, both lists count (as project's --observations), never the last one alone.
    p.add_argument("--agency", action="extend", nargs="+", metavar="CODE", help=help_text("templates.agency"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gender_monitor.collect.templates import write_templates
    from gender_monitor.core import i18n

    made = write_templates(args.year, Path(args.out), data_dir=Path(args.data) if args.data else None,
                           agencies_only=args.agency)
    if args.agency and len(made) < len(set(args.agency)):
        missing = sorted(set(args.agency) - {m.agency for m in made})
        print(prefixed("error", i18n.both("cli.templates_none", year=args.year, agencies=", ".join(missing))),
              file=sys.stderr)
        return 2
    for m in made:
        print(i18n.both("cli.templates_one", path=m.path, agency=m.agency, n=len(m.codes), codes=" ".join(m.codes),
                        rows=m.rows))
    print(i18n.both("cli.templates_written", n=len(made), year=args.year, out=args.out), file=sys.stderr)
    return 0

