"""`gender-monitor project`: project observation series to a year, with predictive intervals."""

from __future__ import annotations

import argparse
import sys

from gender_monitor.cli.args import calendar_year, command, help_text, interval_level, prefixed


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "project")
    p.add_argument("--observations", action="extend", nargs="+", metavar="FILE.csv",
                   help=help_text("project.observations"))
    p.add_argument("--until", type=calendar_year, required=True, metavar="YEAR", help=help_text("project.until"))
    p.add_argument("--origin", type=calendar_year, metavar="YEAR", help=help_text("project.origin"))
    p.add_argument("--level", type=interval_level, action="extend", nargs="+", metavar="N",
                   help=help_text("project.level"))
    p.add_argument("--place", metavar="CODE", help=help_text("project.place"))
    p.add_argument("--out", metavar="FILE.csv", help=help_text("project.out"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from gender_monitor.core import i18n
    from gender_monitor.core.cells import neutralise_frame
    from gender_monitor.core.exceptions import ObservationError
    from gender_monitor.core.files import check_target, write_text
    from gender_monitor.data.observations import (
        Catalogue,
        check_frame,
        default_observation_files,
        read_observation_csv,
        real_or_illustrative,
    )
    from gender_monitor.forecast.projection import project
    from gender_monitor.plan.registry import load_plan

    if args.origin is not None and args.until <= args.origin:
        said = i18n.both("cli.until_before_origin", until=args.until, origin=args.origin)
        print(prefixed("error", said), file=sys.stderr)
        return 2
    levels = tuple(args.level or (80, 95))
    if len(set(levels)) != len(levels):
        print(prefixed("error", i18n.both("cli.level_twice", levels=" ".join(map(str, levels)))), file=sys.stderr)
        return 2
    files = args.observations or [str(p) for p in default_observation_files()]  # as assess: the bundled data
    if args.out:
        check_target(args.out, inputs=files)
    plan = load_plan()
    frames, issues = [], []
    for path in files:
        frame, found = read_observation_csv(path)
        if frame.empty and found:  # the file is refused whole (quoting, encoding, header): say why and stop
            raise ObservationError(found, what="observation files")
        issues += found
        frames.append(frame)
    # Every rule of the format is checked (places are not: any place code may be projected); the
    # plan's unit wins for plan indicators, other indicators need the row's unit column.
    catalogue = Catalogue.from_plan(plan, places=None)
    raw = pd.concat(frames, ignore_index=True)
    obs, found = check_frame(raw, catalogue, allow_unknown_indicators=True)
    obs, mixed = real_or_illustrative(obs)  # as every other reader of observations: never one trend of both
    otherwise, written_as = _places_written_otherwise(obs)
    issues += found + mixed + otherwise
    if any(i.severity == "error" and (i.line is None or i.line == 1) for i in issues):  # file or header unreadable
        raise ObservationError(issues, what="observation files")
    for issue in (i for i in issues if i.severity != "error"):
        print(prefixed("warning", issue), file=sys.stderr)
    obs = _without_refused_series(obs, raw, [i for i in issues if i.severity == "error"], written_as)
    if args.place is not None:
        obs = _at_place(obs, args.place, plan)
        if obs is None:
            return 2
    if obs.empty:
        said = "cli.nothing_to_project" if issues else "cli.no_rows"  # every row refused, or a header alone
        print(prefixed("error", i18n.both(said)), file=sys.stderr)
        return 2
    result = project(obs, until=args.until, origin=args.origin, level=levels, units=plan.units())
    for row in result.skipped.itertuples(index=False):
        what = _series_words(row.indicator, row.place, row.sex, row.series)
        print("skipped: " + i18n.both("cli.skipped_series", what=what, n=row.n_obs,
                                      reason={"vi": row.reason_vi, "en": row.reason}), file=sys.stderr)
    done = _already_there(obs, result, args.until, args.origin)
    if done:
        print("note: " + i18n.both("cli.already_there", n=done, until=args.until), file=sys.stderr)
    # A place, series or note from the file that a spreadsheet would run as a formula is written inert.
    text = neutralise_frame(result.forecasts).to_csv(index=False, lineterminator="\n")
    if args.out:
        write_text(args.out, text)
    else:
        sys.stdout.write(text)
    illustrative = result.forecasts[result.forecasts["status"] == "illustrative"]
    if len(illustrative):
        print("note: " + i18n.both("cli.illustrative_forecasts", n=len(illustrative)), file=sys.stderr)
    projected = result.forecasts[["indicator", "place", "sex", "series"]].drop_duplicates()
    if args.origin is not None and not len(projected) and (obs["year"].astype(int) > args.origin).all():
        print("note: " + i18n.both("cli.nothing_before_origin", origin=args.origin, first=int(obs["year"].min())),
              file=sys.stderr)
    return 0 if len(projected) else 1


def _at_place(obs, place: str, plan):
    """The series of one place, as the report projects them: a merged province's series are first joined to
    their history re-based from the old provinces and summed from its communes (``harmonise.prepare``, on the
    plan's indicators). None, after saying why, for a place the places table does not know."""
    import pandas as pd

    from gender_monitor.core import i18n
    from gender_monitor.data import harmonise
    from gender_monitor.plan.reference import load_places

    places = load_places()
    if place not in places:
        print(prefixed("error", i18n.both("cli.unknown_place", place=repr(place))), file=sys.stderr)
        return None
    if harmonise.is_new_province(places, place):
        # Only the plan's indicators at known places have rules to join; any other row is kept as it is.
        planned = obs["indicator"].isin(plan.codes) & obs["place"].isin(places.codes)
        prepared, report = harmonise.prepare(obs[planned], plan, places)
        for issue in report.left_out:
            print(prefixed("warning", issue), file=sys.stderr)
        obs = pd.concat([prepared, obs[~planned]], ignore_index=True)
    return obs[obs["place"] == place].reset_index(drop=True)


def _places_written_otherwise(obs) -> tuple[list, dict[str, str]]:
    """Rows whose place is not a code of the places table but is one written otherwise ('qt', 'QT ',
    a decomposed or control character), refused: any place may be projected, but these would split a
    series of a known place in two without a word. Also returns each such place's code."""
    import unicodedata

    from gender_monitor.data.observations import issue
    from gender_monitor.plan.reference import load_places

    codes = set(load_places().codes)

    def folded(text: str) -> str:
        text = unicodedata.normalize("NFC", text)
        return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip().upper()

    by_fold = {folded(c): c for c in codes}
    found, written_as = [], {}
    for place in sorted(set(obs["place"].astype(str)) - codes):
        code = by_fold.get(folded(place))
        if code is None:
            continue
        written_as[place] = code
        for row in obs[obs["place"].astype(str) == place].itertuples(index=False):
            found.append(issue(str(row.file), int(row.line), "place", place, "place_written_otherwise", code=code))
    return found, written_as


def _already_there(obs, result, until: int, origin: int | None) -> int:
    """How many yearly series were left out because their data reach ``until`` already."""
    yearly = obs[obs["quarter"].isna()] if "quarter" in obs.columns else obs
    if origin is not None:
        yearly = yearly[yearly["year"] <= origin]
    last = yearly.groupby(["indicator", "place", "sex", "series"], dropna=False)["year"].max()
    skipped = set(result.skipped[["indicator", "place", "sex", "series"]].itertuples(index=False, name=None))
    return sum(1 for key, year in last.items() if year >= until and key not in skipped)


def _series_words(indicator: str, place: str, sex: str = "", series: str = "") -> dict[str, str]:
    """A series named in each language by the parts it has (sex and series only when given)."""
    from gender_monitor.core import i18n
    from gender_monitor.data.harmonise import series_name

    parts = {"indicator": indicator, "place": place, "sex": sex, "series": series}

    def value(key: str, v: str, lang: str) -> str:  # a harmonised label ('-rebased') in words, as in the briefs
        return f"{v!r} ({series_name(v, lang)})" if key == "series" and v.startswith("-") else repr(v)

    return {lang: ", ".join(i18n.t(f"cli.series_parts.{k}", lang, value=value(k, v, lang))
                            for k, v in parts.items() if k in ("indicator", "place") or v not in ("", "nan"))
            for lang in i18n.LANGUAGES}


def _without_refused_series(obs, raw, errors, written_as: dict[str, str] | None = None):
    """Leave out every series with a refused row (printed with the rule), never the whole batch.

    A series missing one of its values would be projected on a gap it does not know about, so the
    whole series of a refused row (indicator, place, sex, series) is skipped, and that of the place a
    code written otherwise stands for (``written_as``: 'qt' → 'QT'). A row refused for its
    width (a note with an unquoted comma) was never split into columns: its indicator and place are
    read from the line itself, and every series of that indicator and place is skipped.
    """
    from gender_monitor.core import i18n

    written_as = written_as or {}
    for issue in errors:
        print(f"refused: {issue}", file=sys.stderr)
    if not errors:
        return obs
    where = {(str(i.file), int(i.line)) for i in errors if i.line is not None}
    bad = raw[[(str(f), int(ln)) in where for f, ln in zip(raw["file"], raw["line"], strict=True)]]
    keys = {(r["indicator"], r["place"], str(r["sex"]).lower(), r["series"]) for _, r in bad.iterrows()}
    # A value refused for its place written otherwise ('qt') is missing from its place's series (QT) too.
    keys |= {(i, written_as[p], s, se) for i, p, s, se in keys if p in written_as}
    unsplit = _indicator_and_place_of(where - set(zip(bad["file"].astype(str), bad["line"].astype(int))))
    for k in sorted(keys):
        print("skipped: " + i18n.both("cli.skipped_refused", what=_series_words(*k)), file=sys.stderr)
    for k in sorted(unsplit):
        print("skipped: " + i18n.both("cli.skipped_refused_place", what=_series_words(*k)), file=sys.stderr)
    drop = [(i, p, s, se) in keys or (i, p) in unsplit
            for i, p, s, se in zip(obs["indicator"], obs["place"], obs["sex"], obs["series"], strict=True)]
    return obs[[not d for d in drop]]


def _indicator_and_place_of(lines: set[tuple[str, int]]) -> set[tuple[str, str]]:
    """(indicator, place) of refused rows that were not split into columns, read by the header's
    positions from the files' own lines (:func:`observations.csv_records` numbers them as the checker did)."""
    from pathlib import Path

    from gender_monitor.data.observations import csv_records

    found: set[tuple[str, str]] = set()
    for name in {f for f, _ in lines}:
        wanted = {ln for f, ln in lines if f == name}
        path = Path(name)
        if not path.is_file():
            continue
        with path.open(encoding="utf-8-sig", newline="") as fh:
            records = csv_records(fh, name, count_lines=False)
            _, header, _ = next(records, (1, [], None))
            header = [h.strip() for h in header]
            if not {"indicator", "place"} <= set(header):
                continue
            at = max(header.index("indicator"), header.index("place"))
            for begin, row, fault in records:
                if fault is None and begin in wanted and len(row) > at:
                    found.add((row[header.index("indicator")].strip(), row[header.index("place")].strip()))
    return found
