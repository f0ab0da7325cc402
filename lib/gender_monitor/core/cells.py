"""Text bound for a spreadsheet cell (CSV or Excel) made inert: no formula runs when a reader opens it."""

from __future__ import annotations

import re
from typing import Any

#: A cell beginning with one of these is read as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
#: A plain number ("-3.5", "+2", "1e-3") is data, not a formula: it is written as it is.
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def neutralise(value: Any) -> Any:
    """``value`` with a leading apostrophe when it is text a spreadsheet would run as a formula.

    The apostrophe is the usual guard (OWASP, "CSV injection"): the reader sees the text, the program
    runs nothing. Numbers, plain numeric text and other values pass unchanged; applying it twice
    changes nothing more.

    Examples
    --------
    >>> neutralise("=cmd|' /C calc'!A0"), neutralise("@SUM(A1)"), neutralise("-3.5"), neutralise("Sở Y tế")
    ("'=cmd|' /C calc'!A0", "'@SUM(A1)", '-3.5', 'Sở Y tế')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.match(value.strip()):
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """The text :func:`neutralise` guarded, as it was written: its inverse, for files the suite reads back.

    A file the suite wrote for spreadsheets (the data store, the quarantine) holds ``'- note`` for the
    note ``- note``; reading it back must give the note, or every later reading would see a change.
    Only a guard :func:`neutralise` would have added is taken off (``'-3.5`` stays, as ``-3.5`` is a
    number it never guards).

    Examples
    --------
    >>> restore("'=SUM(A1)"), restore("'- tạm tính"), restore("'-3.5"), restore("Sở Y tế")
    ('=SUM(A1)', '- tạm tính', "'-3.5", 'Sở Y tế')
    """
    if isinstance(value, str) and value.startswith("'") and neutralise(value[1:]) == value:
        return value[1:]
    return value


def neutralise_frame(frame: Any) -> Any:
    """A copy of a pandas frame with every text cell (and column name) neutralised."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) in ("string", "str"):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out


def keep_as_text(cell: Any) -> Any:
    """An openpyxl cell whose text begins with ``=`` stored as text, not as a formula; returns the cell."""
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"
    return cell


def number_text(x: float) -> str:
    """A spreadsheet's number as the observation format writes it: shortest exact digits, no exponent.

    Examples
    --------
    >>> number_text(12.0), number_text(0.1), number_text(1e-05), number_text(2.5e16)
    ('12', '0.1', '0.00001', '25000000000000000')
    """
    from decimal import Decimal

    if x.is_integer():
        return str(int(x))
    return format(Decimal(repr(x)), "f")
