"""`gender-monitor plan`: show the plan's targets as a table or write them as CSV."""

from __future__ import annotations

import argparse
import sys

from gender_monitor.cli.args import command, help_text


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "plan")
    p.add_argument("--format", choices=["table", "csv"], default="table", help=help_text("plan.format"))
    p.add_argument("--language", choices=["vi", "en"], default="vi", help=help_text("plan.language"))
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
        text = render_table(plan, frame, args.language)
    if args.out:
        write_text(args.out, text)
    else:
        sys.stdout.write(text)
    return 0


def render_table(plan, frame, language: str) -> str:
    """A fixed-width table in ``language``: one line per target, its 2025 and 2030 targets side by side, in the
    words of the report (units as its annex names them: "cuộc", "ca/100.000 trẻ sinh sống")."""
    from gender_monitor.core import i18n
    from gender_monitor.judge.report import unit_name
    from gender_monitor.publish.charts import target_label

    def t(key: str, **values: object) -> str:
        return i18n.t(f"cli.plan_table.{key}", language, **values)

    name_col = "name_vi" if language == "vi" else "name_en"
    rows_out = []
    for code, rows in frame.groupby("code", sort=False):
        first = rows.iloc[0]
        target = plan.target(code)
        # A yes/no target (5.1) says what is due, as the briefs label it ("Phải hoàn thành năm 2025"), not the "1"
        # or "=1" its value is stored as.
        by_year = {int(r.target_year): target_label(target, int(r.target_year), language) if target.unit == "yes_no"
                   else _target_text(r, language) for r in rows.itertuples()}
        name = str(first[name_col])
        kind = f"{first['kind']}_{first['direction']}" if first["kind"] == "direction" else first["kind"]
        rows_out.append([code, unit_name(target, language), t(f"kinds.{kind}"),
                         t(f"directions.{first['direction']}"), by_year.get(2025, ""), by_year.get(2030, ""),
                         first["lead_agency"], name[0].upper() + name[1:]])
    header = [t("columns.code"), t("columns.unit"), t("columns.kind"), t("columns.direction"), "2025", "2030",
              t("columns.lead"), t("columns.name")]
    # Each column as wide as its widest cell (a unit in words is longer than a code); targets to the right.
    widths = [max(len(str(r[i])) for r in [header, *rows_out]) for i in range(len(header) - 1)]
    right = {4, 5}

    def line(cells: list) -> str:
        parts = [f"{str(c):>{w}}" if i in right else f"{str(c):<{w}}" for i, (c, w) in enumerate(zip(cells, widths))]
        return " ".join(parts) + "  " + str(cells[-1])

    lines = [line(header), "-" * len(line(header)), *(line(r) for r in rows_out)]
    lines.append("\n" + t("footer", n=frame["code"].nunique(), rows=len(frame)))
    return "\n".join(lines) + "\n"


def _target_text(row, language: str = "en") -> str:
    """A target as the table writes it: ``≥60``, ``khoảng 45`` / ``≈45``, ``giảm 2–3%/năm`` / ``↓2–3%/yr``,
    ``giảm dần`` / ``↓``; Vietnamese with a decimal comma and no symbols an administrative text does not use."""
    from gender_monitor.core import i18n

    def num(x: float) -> str:
        return i18n.as_given(x)[language]

    def t(key: str, **values: object) -> str:
        return i18n.t(f"cli.plan_table.targets.{key}", language, **values)

    if row.comparator == "" or row.target_value != row.target_value:  # direction-only (NaN value)
        return t(f"direction_{row.direction}")
    upper = f"–{num(row.target_upper)}" if row.target_upper == row.target_upper and row.target_upper is not None \
        else ""
    if row.kind == "rate_of_decline":
        return t("decline", value=f"{num(row.target_value)}{upper}")
    if row.comparator in ("~", "≈", "="):
        return t("equal" if row.comparator == "=" else "about", value=f"{num(row.target_value)}{upper}")
    return f"{row.comparator}{num(row.target_value)}{upper}"
