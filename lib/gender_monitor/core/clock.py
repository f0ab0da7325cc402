"""Today, as the suite sees it: the calendar day, or the day set in ``GENDER_MONITOR_TODAY``.

The latest year a value may carry and the days a return is late follow from today. Setting the day
(an ISO date such as ``2030-12-01``) lets the final review be rehearsed, and tested, before 2030.
"""

from __future__ import annotations

import datetime as dt
import os

from gender_monitor.core.exceptions import GenderMonitorError

#: The environment variable that sets today (``YYYY-MM-DD``).
ENV = "GENDER_MONITOR_TODAY"
#: The time zone of the plan's readers: today is their calendar day (at 20:00 UTC it is already tomorrow
#: in Quảng Trị), and run times are said in their time.
LOCAL_TZ = "Asia/Ho_Chi_Minh"
#: No value is older than this year (the first censuses and surveys the plan's indicators draw on).
FIRST_YEAR = 1950
#: The last year a command may look at, project to or set a target for (the plan runs 2021–2030).
LAST_YEAR = 2100


def today() -> dt.date:
    """The day set in :data:`ENV`, else the calendar day in Viet Nam (:data:`LOCAL_TZ`), whatever the
    machine's own time zone."""
    text = os.environ.get(ENV, "").strip()
    if not text:
        from zoneinfo import ZoneInfo

        return dt.datetime.now(ZoneInfo(LOCAL_TZ)).date()
    try:
        day = dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None or day.year < FIRST_YEAR:
        raise GenderMonitorError(f"{ENV}={text!r} không phải là một ngày từ năm {FIRST_YEAR} viết dạng YYYY-MM-DD / "
                                 f"{ENV}={text!r} is not a day from {FIRST_YEAR} on written YYYY-MM-DD")
    return day


def written_on(report_date: str | None) -> dt.date:
    """The day a report is written: its ``report_date`` parameter (YYYY-MM-DD) when given, else :func:`today`."""
    return dt.date.fromisoformat(report_date) if report_date else today()


def now() -> dt.datetime:
    """This moment in Viet Nam's time; on the day set in :data:`ENV` when there is one (the time of day kept),
    so that what a rehearsal stores (a return's arrival) is dated on the rehearsed day."""
    from zoneinfo import ZoneInfo

    moment = dt.datetime.now(ZoneInfo(LOCAL_TZ))
    day = today()
    return moment if day == moment.date() else dt.datetime.combine(day, moment.timetz())


def last_year(*, estimate: bool = False) -> int:
    """The latest year a value may be for: this year, or the next one for an estimate."""
    return today().year + (1 if estimate else 0)
