"""`gender-monitor`: the command-line interface. Each command lives in `gender_monitor.cli.commands.<name>`."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from gender_monitor import __version__
from gender_monitor.cli import commands
from gender_monitor.cli.args import Formatter, Parser, description, help_text, parser_in_both_languages, prefixed
from gender_monitor.core.exceptions import GenderMonitorError


def build_parser() -> argparse.ArgumentParser:
    parser = parser_in_both_languages(Parser(
        prog="gender-monitor", description=description("main"), formatter_class=Formatter, add_help=False))
    parser.add_argument("--version", action="version", version=f"gender-monitor {__version__}",
                        help=help_text("version"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    # Command modules import only argparse and the words of their help at module level, so start-up stays
    # fast; the work (and pandas, statsmodels, papermill) is imported when a command runs.
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        # Inside the guard: an argument type may read the suite's today, and a wrong GENDER_MONITOR_TODAY
        # is said as an error, not a traceback.
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    except GenderMonitorError as exc:  # ValidationError and every other error the suite raises
        print(prefixed("error", str(exc)), file=sys.stderr)
        return getattr(exc, "exit_code", 2)
    except OSError as exc:  # a folder that is missing, read-only or full: say so, never a traceback
        from gender_monitor.core.files import os_message

        print(prefixed("error", os_message(exc)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        from gender_monitor.core import i18n

        print(i18n.both("cli.interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
