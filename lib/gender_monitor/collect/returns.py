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
    REFUSED_COLUMNS,
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
                  "quarantined", "no_value", "due", "days_late", "usable", "refused", "refused_on", "refused_why"]
#: Columns of :func:`refused_files`: the refused log's, then the round, the day received and whether answered.
REFUSED_FILE_COLUMNS = [*REFUSED_COLUMNS, "round", "received_on", "answered"]


def _number(text: str) -> float | str:
    """A logged value as a number to compare (``56.20`` is ``56.2``); text that is no number as it is."""
    try:
        return float(text)
    except ValueError:
        return text


def of_round(years: pd.Series, whens: pd.Series, year: int, plan: Plan) -> pd.Series:
    """Which logged rows count for the round of ``year``: those whose year is ``year``, and those with no year of
    the plan they can be read as (left empty, or mistyped: 2062 in the 2026 template) that arrived nearer that
    round's due day than any other's (returns gather around their due day; a late one comes weeks after it, not
    months)."""
    number = pd.to_numeric(years, errors="coerce")
    no_year = number.isna() | (number < plan.plan.start_year) | (number > plan.plan.end_year)
    this_round = whens.map(lambda w: round_of(day_of(w), plan) == year).astype(bool)
    return (number == year) | (no_year & this_round)


def _usable_days(data: Path, agency: str, year: int, quarantine: pd.DataFrame, plan: Plan) -> list[dt.date]:
    """The days a return of ``agency`` for ``year`` that could be read arrived or changed: its reported file's
    first and last change, and the days its refused rows came."""
    days = []
    path = data / REPORTED / str(year) / f"{agency}.csv"
    if path.is_file() and read_rows(path):
        info = read_meta(path.with_name(path.name + ".meta.yml"))
        days += [day_of(info.get("first_received", "")), day_of(info.get("date_accessed", ""))]
    sent = quarantine[(quarantine["agency"] == agency) & of_round(quarantine["year"], quarantine["when"], year, plan)]
    days += list(sent["when"].map(day_of))
    return [d for d in days if d is not None]


def refused_files(*, plan: Plan, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The files refused whole (``data/quarantine/refused.csv``), in the order received, columns
    :data:`REFUSED_FILE_COLUMNS`.

    ``round`` is the year the file was sent for (the one it names, else the round whose due day is nearest the day
    it came: :func:`~gender_monitor.collect.templates.round_of`), ``received_on`` the day it came; ``answered`` says
    whether a return of the same agency for the same round that could be read (rows stored or held) arrived on
    that day or later: until then the agency's return for that round is received but not usable. A file of no
    known agency is never answered.
    """
    data = Path(data_dir) if data_dir is not None else paths.data_dir()
    # Every column as text, a column an older file lacks empty.
    log = pd.DataFrame([{c: r.get(c, "") for c in REFUSED_COLUMNS}
                        for r in read_rows(data / QUARANTINE / "refused.csv", ["when"])], columns=REFUSED_COLUMNS)
    quarantine = pd.DataFrame([{c: r.get(c, "") for c in QUARANTINE_COLUMNS}
                               for r in read_rows(data / QUARANTINE / "quarantine.csv", ["when"])],
                              columns=QUARANTINE_COLUMNS)
    rows = []
    for line in log.to_dict("records"):
        day = day_of(line["when"])
        year = int(line["year"]) if str(line["year"]).isdigit() else round_of(day, plan)
        answered = bool(line["agency"]) and year is not None and day is not None and any(
            d >= day for d in _usable_days(data, line["agency"], year, quarantine, plan))
        rows.append({**line, "round": year, "received_on": day, "answered": answered})
    return pd.DataFrame(rows, columns=REFUSED_FILE_COLUMNS)


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
        (25 November) until a usable return arrived, or until ``report_date`` when none has (0 when on time, or
        when the due day is still ahead).

        A return refused whole (a file that could not be read at all, :func:`refused_files`) arrived on its day
        too, when nothing of the agency's return for N could be read: ``usable`` is False for it (True when rows
        were stored or held), and its ``days_late`` runs on as for a return not received (the file came, a return
        the department can use did not). ``refused`` counts the agency's files for N refused whole and not answered
        by a return that could be read since, ``refused_on`` is the day the last of them came and ``refused_why``
        its rule (``old_excel``, ``template_csv``, …: ``collect.refused_why`` of the locales says it in words).
    """
    data = Path(data_dir) if data_dir is not None else paths.data_dir()
    due = due_date(plan, year)
    quarantine = pd.DataFrame(read_rows(data / QUARANTINE / "quarantine.csv", ["when"]), columns=QUARANTINE_COLUMNS)
    # A refused row counts for N when its year is N, or when it has no year but arrived in N's round: it is still
    # one of the return's rows.
    in_round = of_round(quarantine["year"], quarantine["when"], year, plan)
    held = quarantine["resolved"].isna() | (quarantine["resolved"] == "")
    files = refused_files(plan=plan, data_dir=data)
    files = files[files["round"] == year]
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
        sent = quarantine[(quarantine["agency"] == agency) & in_round]
        refused = sent[held[sent.index]]
        usable = received or not sent.empty
        whole = files[files["agency"] == agency]
        if not received:
            # A return every row of which was refused still arrived (its rows wait in the quarantine): it is
            # neither missing nor late from the day it came. So did a return refused whole, when nothing of the
            # agency's return could be read: received on its day, but not usable.
            days = sorted(d for d in (sent["when"].map(day_of) if usable else whole["received_on"]) if d is not None)
            if days:
                received, received_on, updated_on = True, days[0], days[-1]
        waiting = whole[~whole["answered"].astype(bool)]
        # Lateness is that of a return that can be used: a file refused whole arrived, but no usable return did.
        until = received_on if received and usable else report_date
        days_late = max(0, (until - due).days) if until is not None else None
        out.append({"agency": agency, "name_vi": agencies[agency].name_vi, "name_en": agencies[agency].name_en,
                    "targets": targets, "received": received, "received_on": received_on, "updated_on": updated_on,
                    "accepted": len(rows), "quarantined": len(refused),
                    "no_value": [c for c in targets if c not in have], "due": due, "days_late": days_late,
                    "usable": usable, "refused": len(waiting),
                    "refused_on": waiting["received_on"].iloc[-1] if len(waiting) else None,
                    "refused_why": waiting["rule"].iloc[-1] if len(waiting) else ""})
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


def refused_words(rule: str, language: str = "vi") -> str:
    """Why a file was refused whole, in a few words (``collect.refused_why``); a rule without its words is said
    as a file that cannot be read."""
    from gender_monitor.core import i18n

    said = i18n.entries("collect.refused_why", language)
    return said.get(rule, said["other"])


def follow_up(status: pd.DataFrame, language: str = "vi", *,
              coordinator: str | None = None) -> tuple[list[str], list[tuple[str, dt.date | None, str]]]:
    """The agencies the board is asked to chase, from :func:`reporting_status`: those whose return has not
    arrived, by name, and those whose return arrived but could not be used (every file of it refused whole), each
    as (name, the day its last refused file came, why it was refused in words: :func:`refused_words`).

    The ``coordinator`` compiles the report and is chased by no one (its own figures are its own to enter).
    """
    missing, refused = [], []
    for _, r in status.iterrows():
        if r["agency"] == coordinator:
            continue
        name = r["name_vi"] if language == "vi" else r["name_en"]
        if not r["received"]:
            missing.append(name)
        elif not r.get("usable", True):
            day = r.get("refused_on") or r["received_on"]
            refused.append((name, day if isinstance(day, dt.date) else None,
                            refused_words(r.get("refused_why", ""), language)))
    return missing, refused


def count_words(status: pd.DataFrame, language: str = "vi", *, coordinator: str | None, coordinator_name: str,
                year: int, date: dt.date) -> str:
    """The sentences under the returns table, from :func:`reporting_status`: how many agencies have sent a return
    that can be used, out of those that send theirs to the ``coordinator`` (named ``coordinator_name``), as of
    ``date`` (a usable return has at least one value accepted); then, apart, how many sent only files refused whole
    and how many sent a return every value of which is held. With no usable return the report says where its values
    of ``year`` come from instead."""
    from gender_monitor.core import i18n

    senders = status[status["agency"] != coordinator]
    received = senders["received"].astype(bool)
    readable = received & senders["usable"].astype(bool) if "usable" in senders else received
    # A return read but every value of which is held (a value typed as text, a year mistyped) is not usable yet.
    usable = readable & (senders["accepted"].fillna(0).astype(int) > 0)
    n_usable, n_unusable = int(usable.sum()), int((received & ~readable).sum())
    n_held = int((readable & ~usable).sum())
    said = {"date": i18n.date(date, language), "year": year, "total": len(senders), "coordinator": coordinator_name}
    if n_usable:
        text = i18n.t("collect.returns.count" + ("_one" if n_usable == 1 else ""), language, usable=n_usable, **said)
    else:
        # Nothing usable: the values of the year are those already held, or projections. Files refused whole, or
        # returns all of whose values are held, are said in the next sentences, so this one says no usable return,
        # not no file.
        text = i18n.t("collect.returns.count_none" if n_unusable or n_held else "report.returns_none", language,
                      **said)
    if n_unusable:
        text += " " + i18n.t("collect.returns.unusable_count" + ("_one" if n_unusable == 1 else ""), language,
                             n=n_unusable)
    if n_held:
        text += " " + i18n.t("collect.returns.held_count" + ("_one" if n_held == 1 else ""), language, n=n_held)
    return text


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
        why = refused_words(r.get("refused_why", ""), language)
        if r["received"] and not r.get("usable", True):
            # Received, but every file of it was refused whole: the day counts, nothing of it could be used.
            arrived = i18n.t("collect.returns.refused_only", language, date=day(r["received_on"]), why=why)
        elif r["received"]:
            updated = r.get("updated_on")
            arrived = (i18n.t("report.returns.received_updated", language, date=day(r["received_on"]),
                              updated=day(updated))
                       if updated and updated != r["received_on"]
                       else i18n.t("report.returns.received", language, date=day(r["received_on"])))
            if r.get("refused", 0):
                arrived += i18n.t("collect.returns.refused_later", language, date=day(r["refused_on"]), why=why)
        elif r["agency"] == coordinator:
            arrived = i18n.t("report.returns.compiles", language)
        else:
            arrived = i18n.t("report.returns.missing", language)
        usable = r["received"] and r.get("usable", True)
        late = "–" if r["days_late"] is None or (not usable and r["agency"] == coordinator) else (
            # Only a return that can be used is on time or late. A file refused whole came on its day, but nothing
            # of it can be used: the column says so, and how long the due day has passed without a usable return.
            (i18n.t("collect.returns.unusable_not_due", language) if r["days_late"] == 0
             else i18n.t("collect.returns.unusable_overdue" + ("_one" if r["days_late"] == 1 else ""), language,
                         n=r["days_late"])) if r["received"] and not usable
            # Not arrived and not late yet: the day is still ahead (a report rehearsed before it), not "on time".
            else i18n.t("report.returns.not_due", language) if r["days_late"] == 0 and not r["received"]
            else i18n.t("report.returns.on_time", language) if r["days_late"] == 0
            else i18n.t("report.returns.late" + ("_one" if r["days_late"] == 1 else ""), language,
                        n=r["days_late"]))
        rows.append({h["agency"]: r["name_vi"] if language == "vi" else r["name_en"],
                     h["targets"]: ", ".join(r["targets"]), h["return"]: arrived,
                     h["accepted"]: r["accepted"], h["quarantined"]: r["quarantined"],
                     h["no_value"]: ", ".join(r["no_value"]) or "–", h["due"]: day(r["due"]), h["late"]: late})
    return pd.DataFrame(rows, columns=list(h.values()))
