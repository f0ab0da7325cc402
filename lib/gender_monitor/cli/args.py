"""Argument types shared by the commands: a wrong value is argparse's one-line error, in both languages."""

from __future__ import annotations

import argparse

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


def interval_level(text: str) -> int:
    """An interval level in whole percent, strictly between 0 and 100."""
    level = whole_between(text, 1, 99)
    if level is None:
        raise argparse.ArgumentTypeError(i18n.both("cli.not_a_level", text=repr(text)))
    return level
