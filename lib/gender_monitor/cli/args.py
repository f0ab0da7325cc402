"""Argument types shared by the commands: a wrong value is argparse's one-line error, in both languages."""

from __future__ import annotations

import argparse

#: Years a command may look at or project to (the plan runs 2021–2030; history from 1950).
FIRST_YEAR, LAST_YEAR = 1950, 2100


def calendar_year(text: str) -> int:
    """A year between :data:`FIRST_YEAR` and :data:`LAST_YEAR`."""
    try:
        year = int(text)
    except ValueError:
        year = None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"{text!r} không phải là năm hợp lệ ({FIRST_YEAR}–{LAST_YEAR}) / "
            f"{text!r} is not a year from {FIRST_YEAR} to {LAST_YEAR}")
    return year


def interval_level(text: str) -> int:
    """An interval level in whole percent, strictly between 0 and 100."""
    try:
        level = int(text)
    except ValueError:
        level = None
    if level is None or not 0 < level < 100:
        raise argparse.ArgumentTypeError(
            f"{text!r} không phải là mức của khoảng dự báo (số nguyên từ 1 đến 99, ví dụ 80) / "
            f"{text!r} is not an interval level (a whole percent from 1 to 99, e.g. 80)")
    return level
