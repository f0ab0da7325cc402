"""`gender-monitor project`: project observation series to a year, with predictive intervals."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("project", help="project annual series to a target year with 80%/95% intervals")
    p.add_argument("--observations", action="extend", nargs="+", required=True, metavar="FILE.csv",
                   help="observation CSV in the suite's format (repeatable)")
    p.add_argument("--until", type=int, required=True, metavar="YEAR", help="last year to project")
    p.add_argument("--origin", type=int, metavar="YEAR", help="ignore observations after this year")
    p.add_argument("--level", type=int, action="append", metavar="N",
                   help="interval level in percent (repeatable; default 80 and 95)")
    p.add_argument("--out", metavar="FILE.csv", help="write the forecasts here (default: standard output)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from gender_monitor.core.exceptions import ObservationError
    from gender_monitor.data.observations import Catalogue, check_frame, read_observation_csv
    from gender_monitor.forecast.projection import project
    from gender_monitor.plan.registry import load_plan

    plan = load_plan()
    frames, issues = [], []
    for path in args.observations:
        frame, found = read_observation_csv(path)
        issues += found
        frames.append(frame)
    # Every rule of the format is checked (places are not: any place code may be projected); the
    # plan's unit wins for plan indicators, other indicators need the row's unit column.
    catalogue = Catalogue.from_plan(plan, places=None)
    obs, found = check_frame(pd.concat(frames, ignore_index=True), catalogue, allow_unknown_indicators=True)
    issues += found
    if any(i.severity == "error" for i in issues):
        raise ObservationError(issues, what="observation files")
    result = project(obs, until=args.until, origin=args.origin, level=tuple(args.level or (80, 95)),
                     units=plan.units())
    for row in result.skipped.itertuples(index=False):
        print(f"skipped: indicator {row.indicator!r} place {row.place!r} sex {row.sex!r} series "
              f"{row.series!r} ({row.n_obs} points): {row.reason}", file=sys.stderr)
    if args.out:
        result.forecasts.to_csv(args.out, index=False)
    else:
        result.forecasts.to_csv(sys.stdout, index=False)
    illustrative = result.forecasts[result.forecasts["status"] == "illustrative"]
    if len(illustrative):
        print(f"note: {len(illustrative)} projected row(s) rest on illustrative data (status=illustrative): "
              "not real figures", file=sys.stderr)
    projected = result.forecasts[["indicator", "place", "sex", "series"]].drop_duplicates()
    return 0 if len(projected) else 1
