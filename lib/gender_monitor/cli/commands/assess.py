"""`gender-monitor assess`: judge every target of the plan (met? on track? how likely?)."""

from __future__ import annotations

import argparse
import sys

from gender_monitor.cli.args import calendar_year, command, help_text, prefixed


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "assess")
    # Given twice, both lists are read (as project reads them), never the last one alone.
    p.add_argument("--observations", action="extend", nargs="+", metavar="FILE", help=help_text("assess.observations"))
    # A targets file names each target's place: a --place beside it would be ignored, so the pair is refused.
    where = p.add_mutually_exclusive_group()
    where.add_argument("--place", metavar="CODE", help=help_text("assess.place"))
    p.add_argument("--as-of", type=calendar_year, metavar="YEAR", help=help_text("assess.as_of"))
    where.add_argument("--targets", metavar="TARGETS.csv", help=help_text("assess.targets"))
    p.add_argument("--out", metavar="FILE", help=help_text("assess.out"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gender_monitor.core import clock, i18n
    from gender_monitor.core.files import check_target
    from gender_monitor.data import harmonise
    from gender_monitor.data.observations import load_observations
    from gender_monitor.judge.assessment import assess
    from gender_monitor.plan.reference import load_agencies, load_places
    from gender_monitor.plan.registry import load_plan

    if args.out:
        from gender_monitor.core import paths

        read = args.observations or [str(p) for p in paths.data_dir().rglob("*.csv")]
        check_target(args.out, inputs=[*read, *([args.targets] if args.targets else [])])
    agencies = load_agencies()
    plan = load_plan(agencies=agencies.codes)
    places = load_places()
    if args.place and args.place not in places:
        print(prefixed("error", i18n.both("cli.unknown_place", place=repr(args.place))), file=sys.stderr)
        return 2
    if args.targets:
        return _run_targets_file(args, plan, places)
    obs = load_observations(args.observations, plan=plan, places=places)
    # The place assess() would take (the plan's place in that year, else today's), resolved here so that the
    # merged province is always judged on the series the report uses.
    place = args.place or (plan.plan.place_for(args.as_of) if args.as_of is not None
                           else plan.plan.place_on(clock.today()))
    if harmonise.is_new_province(places, place):
        # The merged province's series: history re-based from the old provinces, sums of its communes.
        obs, _ = harmonise.prepare(obs, plan, places)
    table = assess(obs, plan=plan, places=places, agencies=agencies, place=place, as_of=args.as_of)
    text = _csv(table)
    _note_illustrative(table)
    _note_other_places(table, obs, place)
    _write(table, text, args.out)
    return 0


def _csv(table) -> str:
    """The table as CSV; a text a spreadsheet would run as a formula (a place or note from a file) is inert."""
    from gender_monitor.core.cells import neutralise_frame

    return neutralise_frame(table).to_csv(index=False, lineterminator="\n", float_format="%.6g")


def _write(table, text: str, out: str | None) -> None:
    if out:
        from gender_monitor.core import i18n
        from gender_monitor.core.files import write_text

        write_text(out, text)
        # Counted in the words of the rows they count (the label columns): a target whose year the review has
        # reached reads "không đạt", one still ahead "chưa đạt" (messages.reads_ended), so one status may be two.
        counts = {lang: table[f"label_{lang}"].value_counts() for lang in i18n.LANGUAGES}
        print(i18n.both("cli.assess_written", n=len(table), out=out,
                        counts={lang: ", ".join(f"{k} {v}" for k, v in counts[lang].items())
                                for lang in i18n.LANGUAGES}), file=sys.stderr)
    else:
        sys.stdout.write(text)


def _run_targets_file(args: argparse.Namespace, plan, places) -> int:
    """Targets from a file: any indicator with a unit (plan's or the file's), any known place.

    A merged province's targets are judged on the history the plan's assessment uses (re-based from
    the old provinces, sums of its communes), so the same target gets the same answer either way.
    """
    import pandas as pd

    from gender_monitor.data import harmonise
    from gender_monitor.data.observations import load_observations
    from gender_monitor.judge.targets_file import assess_targets, read_targets

    targets = read_targets(args.targets, units=plan.units(), places=places.codes)
    obs = load_observations(args.observations, plan=plan, places=places, allow_unknown_indicators=True)
    merged = targets["place"].map(lambda p: harmonise.is_new_province(places, p)).astype(bool)
    exact = {t.code for t in plan.targets if t.complete_count}  # every unit counted: no sampling interval
    # Only a merged province's targets see the prepared rows: preparing adds series to the old
    # provinces too (their new communes' sums), which `assess --place QT` never judges on.
    parts = [assess_targets(obs, targets[~merged], as_of=args.as_of, places=places, complete_counts=exact).set_index(targets.index[~merged])]
    if merged.any():
        prepared, _ = harmonise.prepare(obs, plan, places)
        parts.append(assess_targets(prepared, targets[merged], as_of=args.as_of, places=places, complete_counts=exact)
                     .set_index(targets.index[merged]))
    table = pd.concat([p for p in parts if len(p)]).sort_index().reset_index(drop=True)
    _note_targets_without_data(table, targets, obs)
    _note_places_gone(table, targets, places)
    _note_part_years(table, targets)
    _note_illustrative(table)
    _write(table, _csv(table), args.out)
    return 0


def _note_places_gone(table, targets, places) -> None:
    """One line per target of a place that no longer exists at the end of its target year (judged
    "not applicable", as the plan's district targets after 1 July 2025), at its line of the targets file."""
    from gender_monitor.core import i18n

    for (_, row), (_, target) in zip(table.iterrows(), targets.iterrows(), strict=True):
        if row["status"] == "not_applicable":
            place = places[row["place"]]
            gone = place.valid_to  # the first day without it
            said = i18n.both("cli.target_place_gone", place=row["place"], year=int(row["target_year"]),
                             end={lang: i18n.date(gone, lang) if gone else "–" for lang in i18n.LANGUAGES},
                             successors=", ".join(place.successors) or "–",
                             name={"vi": place.name_vi[:1].lower() + place.name_vi[1:], "en": place.name_en})
            print(f"note: {target['file']}:{target['line']}: {said}", file=sys.stderr)


def _note_part_years(table, targets) -> None:
    """One line per target judged on a value of part of its year (the merged province's 6.3 in 2025 counts
    the new communes' last two quarters), at its line of the targets file, as the plan's assessment notes."""
    from gender_monitor.core import i18n
    from gender_monitor.data import harmonise

    for (_, row), (_, target) in zip(table.iterrows(), targets.iterrows(), strict=True):
        if row["part_series"]:
            said = i18n.both("notes.part_year", year=int(row["target_year"]),
                             series={lang: harmonise.series_name(str(row["part_series"]), lang)
                                     for lang in i18n.LANGUAGES})
            print(f"note: {target['file']}:{target['line']}: {said}", file=sys.stderr)


def _note_targets_without_data(table, targets, obs) -> None:
    """One line per target with no value to judge it on, at its line of the targets file: a code the
    observation files do not have (often a typo), values held for another sex only (women and men apart,
    a target for both together), or a target year gone by without a value of its own."""
    from gender_monitor.core import i18n

    sexes = (obs.assign(sex=obs["sex"].fillna("").astype(str)).groupby(["indicator", "place"])["sex"].unique()
             if "sex" in obs.columns else {})

    def group(codes) -> dict[str, str]:
        return {lang: i18n.t("cli.sex_and", lang).join(i18n.t(f"cli.sex_group.{c or 'both'}", lang) for c in codes)
                for lang in i18n.LANGUAGES}

    for (_, row), (_, target) in zip(table.iterrows(), targets.iterrows(), strict=True):
        if row["status"] != "no_data":
            continue
        where = f"{target['file']}:{target['line']}"
        held = sorted(sexes.get((row["indicator"], row["place"]), []), key=["", "f", "m"].index)
        if not row["n_obs"] and held and target["sex"] not in held:
            said = i18n.both("cli.target_other_sex", indicator=row["indicator"], place=row["place"], held=group(held),
                             wanted=group([target["sex"]]))
        elif not row["n_obs"]:
            said = i18n.both("cli.target_no_series", indicator=row["indicator"], place=row["place"])
        else:
            said = i18n.both("cli.target_year_no_value", year=int(row["target_year"]), last=int(row["latest_year"]))
        print(f"note: {where}: {said}", file=sys.stderr)


def _note_other_places(table, obs, place: str | None) -> None:
    """One line when no target has a value for the place judged while the files have other places' data
    (the default place follows the year: a file of old Quảng Trị with a 2025 value is judged as QT25)."""
    from gender_monitor.core import i18n

    judged = table["place"].iloc[0] if len(table) and "place" in table.columns else place
    if len(table) == 0 or not (table["status"] == "no_data").all() or obs.empty:
        return
    others = sorted(set(obs["place"].astype(str)) - {str(judged)})
    if others:
        shown = ", ".join(others[:5]) + (", …" if len(others) > 5 else "")
        print("note: " + i18n.both("cli.no_data_for_place", place=judged, others=shown, first=others[0]),
              file=sys.stderr)


def _note_illustrative(table) -> None:
    """One line on standard error when rows are judged on illustrative (invented) values."""
    from gender_monitor.core import i18n

    flagged = table["illustrative"].eq(True)
    if flagged.any():
        print("note: " + i18n.both("cli.assess_illustrative", n=int(flagged.sum()), total=len(table)), file=sys.stderr)
