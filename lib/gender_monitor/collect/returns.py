"""Which agencies' yearly returns arrived: accepted and quarantined cells, targets with no value, days late.

The plan (section V) asks every agency responsible for a target to report before 25 November. The
returns land in ``data/reported/<year>/<agency>.csv`` through ``gender-monitor ingest`` (with a
``.meta.yml`` whose ``first_received`` is the day the return first arrived and ``date_accessed`` the
day it last changed), refused cells in
``data/quarantine/quarantine.csv``, and changes to stored values in ``data/reported/revisions.csv``.
This module reads those files; it never writes them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from gender_monitor.collect.store import (
    QUARANTINE,
    QUARANTINE_COLUMNS,
    REPORTED,
    REVISION_COLUMNS,
    day_of,
    read_rows,
)
from gender_monitor.collect.templates import due_date, reporting_agencies, round_of
from gender_monitor.core import paths
from gender_monitor.core.files import read_meta
from gender_monitor.plan.reference import Agencies
from gender_monitor.plan.registry import Plan

#: Columns of :func:`reporting_status`.
STATUS_COLUMNS = ["agency", "name_vi", "name_en", "targets", "received", "received_on", "updated_on", "accepted",
                  "quarantined", "no_value", "due", "days_late"]


def _number(text: str) -> float | str:
    """A logged value as a number to compare (``56.20`` is ``56.2``); text that is no number as it is."""
    try:
        return float(text)
    except ValueError:
        return text


def reporting_status(year: int, *, plan: Plan, agencies: Agencies, observations: pd.DataFrame, place: str,
                     report_date: dt.date, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every agency responsible in ``year`` and whether its return for ``year`` arrived.

    Parameters
    ----------
    year
        The reporting year N.
    plan, agencies
        The registry and the agencies table (who holds each target's lead function in N).
    observations
        Every observation the report reads (loaded, harmonised and derived rows), to find the targets that
        have no value for N at ``place``.
    place
        The place the plan covers in N.
    report_date
        The day the report is written: how late a missing return is counts up to it.
    data_dir
        The data folder (default: the repository's ``data/``).

    Returns
    -------
    pandas.DataFrame
        One row per agency in the order its first target appears in the plan, columns
        :data:`STATUS_COLUMNS`: ``targets`` and ``no_value`` are lists of target codes; ``received_on`` is
        the day the return first arrived and ``updated_on`` the day it last changed (its ``.meta.yml``;
        a file stored before ``first_received`` was kept counts from its last change; a return every row of which
        was refused, from its first and last rows in the quarantine); ``accepted`` the rows stored for N,
        ``quarantined`` the refused rows of N from that agency still held (not resolved by a value it sent
        later for the same key, or, for a row whose code, place, year or quarter was wrong, by its corrected row at
        the same place of its template); ``days_late`` the days after the due day
        (25 November) until it arrived, or until ``report_date`` when it has not (0 when on time).
    """
    data = Path(data_dir) if data_dir is not None else paths.data_dir()
    due = due_date(plan, year)
    quarantine = pd.DataFrame(read_rows(data / QUARANTINE / "quarantine.csv", ["when"]), columns=QUARANTINE_COLUMNS)
    # A refused row counts for N when its year is N, or when it has no year of the plan it can be read as (left
    # empty, or mistyped: 2062 in the 2026 template) and arrived nearer N's due day than any other year's
    # (returns gather around their due day; a late one comes weeks after it, not months): it is still one of
    # the return's rows.
    years = pd.to_numeric(quarantine["year"], errors="coerce")
    of_year = years == year
    no_year = years.isna() | (years < plan.plan.start_year) | (years > plan.plan.end_year)
    this_round = quarantine["when"].map(lambda w: round_of(day_of(w), plan) == year).astype(bool)
    held = quarantine["resolved"].isna() | (quarantine["resolved"] == "")
    annual = observations[(observations["place"] == place) & (observations["year"] == year)
                          & observations["quarter"].isna()]
    have = set(annual.loc[annual["value"].notna(), "indicator"])
    out = []
    for agency, indicators in reporting_agencies(plan, agencies, year).items():
        targets = [i.code for i in indicators if i.code in plan.codes]
        if not targets:
            continue  # an agency that reports only auxiliary inputs answers for no target of its own
        path = data / REPORTED / str(year) / f"{agency}.csv"
        rows = read_rows(path)
        received = path.is_file() and bool(rows)
        received_on = updated_on = None
        if received:
            meta = path.with_name(path.name + ".meta.yml")
            info = read_meta(meta)
            updated_on = day_of(info.get("date_accessed", ""))
            received_on = day_of(info.get("first_received", "")) or updated_on
        sent = quarantine[(quarantine["agency"] == agency) & (of_year | (no_year & this_round))]
        refused = sent[held[sent.index]]
        if not received and not sent.empty:
            # A return every row of which was refused still arrived (its rows wait in the quarantine): it is
            # neither missing nor late from the day it came.
            days = sorted(d for d in sent["when"].map(day_of) if d is not None)
            if days:
                received, received_on, updated_on = True, days[0], days[-1]
        until = received_on if received else report_date
        days_late = max(0, (until - due).days) if until is not None else None
        out.append({"agency": agency, "name_vi": agencies[agency].name_vi, "name_en": agencies[agency].name_en,
                    "targets": targets, "received": received, "received_on": received_on, "updated_on": updated_on,
                    "accepted": len(rows), "quarantined": len(refused),
                    "no_value": [c for c in targets if c not in have], "due": due, "days_late": days_late})
    return pd.DataFrame(out, columns=STATUS_COLUMNS)


def revisions_between(since: dt.date, until: dt.date, *, data_dir: str | Path | None = None,
                      codes: set[str] | None = None) -> pd.DataFrame:
    """Changes to stored values logged after ``since`` and up to ``until`` (``data/reported/revisions.csv``).

    ``codes`` keeps the revisions of those indicators and of the inputs that feed them (``6.3.news`` for
    ``6.3``). A revision changes the value or its status: an entry of the log whose value and status are as
    they were (the same figure sent again from another file, with another source or note) records provenance
    and is left out. Returns the log's columns (:data:`gender_monitor.collect.store.REVISION_COLUMNS`), oldest
    first.
    """
    data = Path(data_dir) if data_dir is not None else paths.data_dir()
    log = pd.DataFrame(read_rows(data / REPORTED / "revisions.csv", ["when"]), columns=REVISION_COLUMNS)
    if log.empty:
        return log
    when = log["when"].map(day_of)
    keep = when.map(lambda d: d is not None and since < d <= until)
    keep &= (log["old_value"].map(_number) != log["new_value"].map(_number)) | (log["old_status"] != log["new_status"])
    if codes is not None:
        keep &= log["indicator"].map(lambda c: c in codes or c.rsplit(".", 1)[0] in codes)
    return log[keep.astype(bool)].sort_values("when").reset_index(drop=True)


def status_table(status: pd.DataFrame, language: str = "vi", *, coordinator: str | None = None) -> pd.DataFrame:
    """The reporting status for readers: one row per agency, words from ``locales/<language>/report.yaml``.

    The ``coordinator`` (the agency code of the department that compiles the report) sends no return to
    itself: unless one of its own arrived, its row says that it compiles the report, and it is never late.
    """
    from gender_monitor.core import i18n

    h = i18n.entries("report.returns_columns", language)

    def day(d: dt.date | None) -> str:
        return i18n.date(d, language) if d else "–"

    rows = []
    for _, r in status.iterrows():
        if r["received"]:
            updated = r.get("updated_on")
            arrived = (i18n.t("report.returns.received_updated", language, date=day(r["received_on"]),
                              updated=day(updated))
                       if updated and updated != r["received_on"]
                       else i18n.t("report.returns.received", language, date=day(r["received_on"])))
        elif r["agency"] == coordinator:
            arrived = i18n.t("report.returns.compiles", language)
        else:
            arrived = i18n.t("report.returns.missing", language)
        late = "–" if r["days_late"] is None or (not r["received"] and r["agency"] == coordinator) else (
            # Not arrived and not late yet: the day is still ahead (a report rehearsed before it), not "on time".
            i18n.t("report.returns.not_due", language) if r["days_late"] == 0 and not r["received"]
            else i18n.t("report.returns.on_time", language) if r["days_late"] == 0
            else i18n.t("report.returns.late", language, n=r["days_late"]))
        rows.append({h["agency"]: r["name_vi"] if language == "vi" else r["name_en"],
                     h["targets"]: ", ".join(r["targets"]), h["return"]: arrived,
                     h["accepted"]: r["accepted"], h["quarantined"]: r["quarantined"],
                     h["no_value"]: ", ".join(r["no_value"]) or "–", h["due"]: day(r["due"]), h["late"]: late})
    return pd.DataFrame(rows, columns=list(h.values()))
