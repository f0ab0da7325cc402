"""`gender-monitor plan`: show the plan's targets as a table or write them as CSV."""

from __future__ import annotations

import argparse
import sys

from gender_monitor.cli.args import command, help_text


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "plan")
    p.add_argument("--format", choices=["table", "csv"], default="table", help=help_text("plan.format"))
    p.add_argument("--language", choices=["vi", "en"], default="en", help=help_text("plan.language"))
    p.add_argument("--plan", metavar="FILE", help=help_text("plan.plan"))
    p.add_argument("--out", metavar="FILE", help=help_text("plan.out"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gender_monitor.core import paths
    from gender_monitor.core.cells import neutralise_frame
    from gender_monitor.core.files import check_target, write_text
    from gender_monitor.plan.reference import load_agencies
    from gender_monitor.plan.registry import load_plan

    if args.out:
        check_target(args.out, inputs=[args.plan or paths.plan_file()])
    agencies = load_agencies()
    plan = load_plan(args.plan, agencies=agencies.codes)
    frame = plan.to_frame()
    if args.format == "csv":
        # Years are whole numbers even where some are missing (2025, not 2025.0); a comparator "="
        # is written inert, as every CSV the suite writes for a spreadsheet.
        for col in ("from_year", "baseline_year"):
            frame[col] = frame[col].astype("Int64")
        text = neutralise_frame(frame).to_csv(index=False, lineterminator="\n")
    else:
        text = render_table(frame, args.language)
    if args.out:
        write_text(args.out, text)
    else:
        sys.stdout.write(text)
    return 0


def render_table(frame, language: str) -> str:
    """A fixed-width table: one line per target, its 2025 and 2030 targets side by side."""
    name_col = "name_vi" if language == "vi" else "name_en"
    lines = []
    header = f"{'code':<5} {'unit':<10} {'kind':<15} {'dir':<6} {'2025':>8} {'2030':>8}  {'lead':<8} name"
    lines.append(header)
    lines.append("-" * len(header))
    for code, rows in frame.groupby("code", sort=False):
        first = rows.iloc[0]
        by_year = {int(r.target_year): _target_text(r) for r in rows.itertuples()}
        name = str(first[name_col])
        name = name[0].upper() + name[1:]
        lines.append(
            f"{code:<5} {first['unit']:<10} {first['kind']:<15} {first['direction']:<6} "
            f"{by_year.get(2025, ''):>8} {by_year.get(2030, ''):>8}  {first['lead_agency']:<8} {name}"
        )
    lines.append(f"\n{frame['code'].nunique()} targets, {len(frame)} target-year rows.")
    return "\n".join(lines) + "\n"


def _target_text(row) -> str:
    if row.comparator == "" or row.target_value != row.target_value:  # direction-only (NaN value)
        return "↓" if row.direction == "lower" else "↑"
    if row.kind == "rate_of_decline":
        upper = f"–{row.target_upper:g}" if row.target_upper == row.target_upper else ""
        return f"↓{row.target_value:g}{upper}%/yr"
    text = f"{row.comparator}{row.target_value:g}"
    if row.target_upper == row.target_upper and row.target_upper is not None:
        text += f"–{row.target_upper:g}"
    return text
