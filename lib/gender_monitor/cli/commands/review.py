"""`gender-monitor review`: run the review's notebooks and build its briefs, index and manifest."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from gender_monitor.cli.args import command, help_text, prefixed

DEFAULT_PARAMETERS = "parameters/annual_2026.yaml"


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "review", described=True)
    p.add_argument("-f", "--file", default=None, metavar="YAML",
                   help=help_text("review.file", default=DEFAULT_PARAMETERS))
    p.add_argument("--force", action="store_true", help=help_text("review.force"))
    p.add_argument("--no-progress", action="store_true", help=help_text("review.no_progress"))
    p.add_argument("--new", nargs=2, metavar=("KIND", "YEAR"), default=None, help=help_text("review.new"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gender_monitor.core import paths
    from gender_monitor.review import runner

    if args.new:
        return new_file(*args.new, force=args.force)
    file = args.file or str(paths.home() / DEFAULT_PARAMETERS)
    from gender_monitor.review.parameters import load_review_parameters

    params = load_review_parameters(file)
    warn_if_ahead(params.as_of, params.report_date)
    # A bar redraws itself in place: in a log or a pipe (no terminal) each redraw would be a line of its own,
    # so there the batch prints one line per finished notebook instead.
    result = runner.run_review(file, force=args.force, progress=not args.no_progress and sys.stderr.isatty())
    print(summary(result))
    if result.pdf_note:
        print(prefixed("warning", result.pdf_note), file=sys.stderr)
    for record in result.failures:
        print(prefixed("error", failure_line(record)), file=sys.stderr)
    return 0 if result.ok else 1


def new_file(kind: str, year: str, *, force: bool = False) -> int:
    """Write the review file of a new report; an existing file is kept unless ``force``."""
    from gender_monitor.core import i18n, paths
    from gender_monitor.review.parameters import FILE_NAMES, review_file_text

    if not year.isdigit():
        print(prefixed("error", i18n.both("cli.new_bad_year", year=repr(year))), file=sys.stderr)
        return 2
    if kind not in FILE_NAMES:
        print(prefixed("error", i18n.both("cli.new_bad_kind", kinds=", ".join(FILE_NAMES), kind=repr(kind))),
              file=sys.stderr)
        return 2
    text = review_file_text(kind, int(year))
    out = paths.parameters_dir() / FILE_NAMES[kind].format(year=year)
    if out.exists() and not force:
        print(prefixed("error", i18n.both("cli.new_exists", out=out)), file=sys.stderr)
        return 1
    out.write_text(text, encoding="utf-8")
    print(i18n.both("cli.new_wrote", out=out))
    warn_if_ahead(int(year))
    return 0


def warn_if_ahead(year: int, day: dt.date | None = None) -> None:
    """Warn when a report of ``year`` is made on ``day`` (default: today) before that year's returns are due:
    it holds only the data so far, and for a year not yet begun, projections only."""
    from gender_monitor.core import clock, i18n
    from gender_monitor.plan.registry import load_plan

    day = day or clock.today()
    due = load_plan().plan.report_day(year)
    if day >= due:
        return
    words = {k: {lang: i18n.date(d, lang) for lang in i18n.LANGUAGES} for k, d in {"today": day, "due": due}.items()}
    key = "cli.new_not_begun" if day.year < year else "cli.new_ahead"
    print(prefixed("warning", i18n.both(key, year=year, **words)), file=sys.stderr)


def summary(result) -> str:
    """Counts by status, the reused share and where the index is."""
    from gender_monitor.core import i18n

    records = result.records
    counts = {s: sum(r["status"] == s for r in records) for s in ("ok", "failed")}
    seconds = result.manifest["duration_s"]
    names = f": {', '.join(result.executed)}" if 0 < len(result.executed) <= 8 else ""
    lines = [i18n.both("cli.review_summary", review=result.manifest["review"], ok=counts["ok"],
                       reused=sum(r["cache_hit"] for r in records), failed=counts["failed"],
                       seconds={"vi": i18n.number(seconds, "vi"), "en": f"{seconds:.1f}"}),
             i18n.both("cli.review_rerun", n=len(result.executed), total=counts["ok"] + counts["failed"], names=names),
             i18n.both("cli.review_index", path=result.review_dir / "index.html")]
    return "\n".join(lines)


def failure_line(record: dict) -> str:
    """One failure for the terminal: the cell (index in the source notebook) or stage, error, first lines.

    ``name (notebook): cell N of the source notebook (counted from 0): Error: message``, then the
    failing cell's first source lines; a failure outside the cells names its stage instead.
    """
    from gender_monitor.core import i18n

    err = record["error"] or {}
    stage = err.get("stage") or "?"
    if err.get("cell_index") is not None:
        where = i18n.both("cli.failure_cell", cell=err["cell_index"])
    elif stage in i18n.entries("cli.failure_stages"):
        where = i18n.both(f"cli.failure_stages.{stage}")
    else:
        where = stage
    line = f"{record['name']} ({record['notebook']}): {where}: {err.get('ename')}: {err.get('evalue')}"
    if err.get("source"):
        line += "".join(f"\n    | {text}" for text in err["source"].splitlines())
    if err.get("stage") == "pdf" and record.get("outputs", {}).get("html"):
        line += "\n    " + i18n.both("cli.failure_html_kept", path=record["outputs"]["html"])
    elif (record.get("previous") or {}).get("html"):
        line += "\n    " + i18n.both("cli.failure_previous_kept", path=record["previous"]["html"])
    return line
