"""Argument types shared by the commands: a wrong value is argparse's one-line error, in both languages."""

from __future__ import annotations

import argparse

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
        raise argparse.ArgumentTypeError(
            f"{text!r} không phải là năm hợp lệ ({FIRST_YEAR}–{LAST_YEAR}) / "
            f"{text!r} is not a year from {FIRST_YEAR} to {LAST_YEAR}")
    return year


def interval_level(text: str) -> int:
    """An interval level in whole percent, strictly between 0 and 100."""
    level = whole_between(text, 1, 99)
    if level is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} không phải là mức của khoảng dự báo (số nguyên từ 1 đến 99, ví dụ 80) / "
            f"{text!r} is not an interval level (a whole percent from 1 to 99, e.g. 80)")
    return level
