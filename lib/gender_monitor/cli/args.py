"""Argument types shared by the commands: a wrong value is argparse's one-line error, in both languages."""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

from gender_monitor.core import i18n
from gender_monitor.core.clock import FIRST_YEAR, LAST_YEAR


def whole_between(text: str, first: int, last: int) -> int | None:
    """``text`` as a whole number from ``first`` to ``last``, else None (the caller says why)."""
    try:
        n = int(text)
    except ValueError:
        return None
    return n if first <= n <= last else None


def calendar_year(text: str) -> int:
    """A year between :data:`FIRST_YEAR` and :data:`LAST_YEAR`."""
    year = whole_between(text, FIRST_YEAR, LAST_YEAR)
    if year is None:
        raise argparse.ArgumentTypeError(i18n.both("cli.not_a_year", text=repr(text), first=FIRST_YEAR,
                                                   last=LAST_YEAR))
    return year


def reporting_year(text: str) -> int:
    """A year agencies could report for (:data:`FIRST_YEAR` to next year, see ``core.clock``)."""
    from gender_monitor.core import clock

    first, last = clock.FIRST_YEAR, clock.last_year(estimate=True)
    year = whole_between(text, first, last)
    if year is None:
        raise argparse.ArgumentTypeError(i18n.both("cli.not_a_reporting_year", text=repr(text), first=first,
                                                   last=last))
    return year


def interval_level(text: str) -> int:
    """An interval level in whole percent, strictly between 0 and 100."""
    level = whole_between(text, 1, 99)
    if level is None:
        raise argparse.ArgumentTypeError(i18n.both("cli.not_a_level", text=repr(text)))
    return level


def help_text(key: str, /, **values: object) -> str:
    """The ``--help`` text at ``help.<key>`` in Vietnamese, then English, with ``%`` kept literal for argparse."""
    return i18n.both(f"help.{key}", **values).replace("%", "%%")


def description(key: str, /) -> str:
    """A description at ``help.<key>``: the Vietnamese paragraph, then the English one, each capitalised."""
    said = i18n.each_language(f"help.{key}")
    return "\n\n".join(said[lang][:1].upper() + said[lang][1:] for lang in ("vi", "en"))


class Formatter(argparse.HelpFormatter):
    """argparse's formatter in both languages: "cách dùng / usage:", and a description's paragraphs
    (Vietnamese, then English) kept apart."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        if prefix is None:
            prefix = i18n.both("help.usage") + ": "
        super().add_usage(usage, actions, groups, prefix)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        fill = super()._fill_text
        return "\n\n".join(fill(part, width, indent) for part in text.split("\n\n"))


#: argparse's refusals (Python 3.11–3.13), matched so that they are said in Vietnamese too (``cli.argparse.*``);
#: the English stays argparse's own. A message not listed here is printed as argparse says it.
ARGPARSE_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.S), key) for p, key in (
    (r"the following arguments are required: (?P<names>.+)", "required"),
    (r"unrecognized arguments: (?P<names>.+)", "unrecognized"),
    (r"argument (?P<name>[^:]+): (?P<inner>.+)", "argument"),
    (r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)", "invalid_choice"),
    (r"expected one argument", "expected_one"),
    (r"expected (?P<n>\d+) arguments", "expected_n"),
    (r"expected at least one argument", "expected_at_least_one"),
    (r"expected at most one argument", "expected_at_most_one"),
    (r"invalid (?P<type>\S+) value: (?P<value>.+)", "invalid_value"),
    (r"not allowed with argument (?P<other>.+)", "not_allowed_with"),
    (r"ignored explicit argument (?P<value>.+)", "ignored_explicit"),
    (r"one of the arguments (?P<names>.+) is required", "one_of_required"),
    (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)", "ambiguous"),
))


def argparse_said(message: str) -> dict[str, str] | None:
    """argparse's ``message`` in each language (``{"vi": …, "en": …}``), or None for one not known.

    ``argument --level: …`` wraps another message: argparse's own, or one of this package's argument types,
    already said as ``vi / en``.
    """
    for pattern, key in ARGPARSE_MESSAGES:
        match = pattern.fullmatch(message)
        if match is None:
            continue
        values = match.groupdict()
        if key == "invalid_value":  # argparse names a built-in type (int, float): said in each language's words
            kind = values["type"]  # a type not listed keeps its name
            return {lang: i18n.t(f"cli.argparse.{key}", lang, value=values["value"],
                                 type=i18n.entries("cli.argparse.types", lang).get(kind, kind))
                    for lang in i18n.LANGUAGES}
        if key != "argument":
            return i18n.each_language(f"cli.argparse.{key}", **values)
        inner = argparse_said(values["inner"])
        if inner is None and " / " in values["inner"]:  # calendar_year, interval_level: "vi / en"
            inner = dict(zip(("vi", "en"), values["inner"].split(" / ", 1)))
        if inner is None:
            return None
        return i18n.each_language("cli.argparse.argument", name=values["name"], inner=inner)
    return None


class Parser(argparse.ArgumentParser):
    """argparse's parser, its error line led by "lỗi / error:" and said in Vietnamese, then English."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        said = argparse_said(message)
        text = f"{said['vi']} / {said['en']}" if said else message
        self.exit(2, f"{self.prog}: {prefixed('error', text)}\n")


def parser_in_both_languages(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """``parser`` (made with ``add_help=False``) given a bilingual ``-h/--help`` and section titles."""
    parser._positionals.title = i18n.both("help.positionals")
    parser._optionals.title = i18n.both("help.options")
    parser.add_argument("-h", "--help", action="help", help=help_text("show_help"))
    return parser


def command(sub: argparse._SubParsersAction, name: str, *, described: bool = False) -> argparse.ArgumentParser:
    """Add the command ``name`` with its help (``help.<name>.help``) and, if ``described``, its description
    (``help.<name>.description``; else the help again), both in Vietnamese and English."""
    text = description(f"{name}.description" if described else f"{name}.help")
    p = sub.add_parser(name, help=help_text(f"{name}.help"), description=text, formatter_class=Formatter,
                       add_help=False)
    return parser_in_both_languages(p)


prefixed = i18n.prefixed  # the commands' messages: "lỗi / error: …"
