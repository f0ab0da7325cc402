"""Validating everything at once: plan, reference tables and observations, with a coverage summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gender_monitor.core import i18n
from gender_monitor.core.exceptions import Issue, ValidationError


@dataclass
class CheckReport:
    """What `check` found: every issue, the valid observations and the files read."""

    issues: list[Issue] = field(default_factory=list)
    observations: pd.DataFrame = field(default_factory=pd.DataFrame)
    files: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """What was checked and the verdict, each line in Vietnamese then English; the coverage table."""
        from gender_monitor.data.observations import coverage

        def both(key: str, **values: object) -> str:
            return i18n.both(f"check.{key}", **values)

        lines = [both("checked", files=i18n.as_given(len(self.files)),
                      values=i18n.as_given(len(self.observations)))]
        if not self.observations.empty:
            table = coverage(self.observations[self.observations["quarter"].isna()], since=2015)
            if not table.empty:
                lines.append(both("coverage"))
                lines.append(table.to_string())
            status = self.observations["status"].value_counts().sort_index()
            lines.append(both("by_status", counts={lang: ", ".join(
                f"{i18n.t(f'data_status.{k}', lang) if lang == 'vi' else k} {i18n.as_given(v)[lang]}"
                for k, v in status.items())
                for lang in i18n.LANGUAGES}))
        warnings = len(self.issues) - len(self.errors)
        verdict = i18n.each_language("check.ok") if self.ok else i18n.each_language("check.errors", n=len(self.errors))
        extra = i18n.each_language("check.warnings", n=warnings) if warnings else dict.fromkeys(i18n.LANGUAGES, "")
        lines.append(" / ".join(verdict[lang] + extra[lang] + "." for lang in ("vi", "en")))
        return "\n".join(lines)


def run_checks(*, files: list[Path] | None = None, data_dir: Path | None = None) -> CheckReport:
    """Validate the plan, the agencies and places, and the observations (all bundled ones by default)."""
    from gender_monitor.core import paths
    from gender_monitor.data.observations import (
        check_observations,
        default_observation_files,
        hidden_observation_files,
        issue,
        upper_case_csv_files,
    )
    from gender_monitor.plan.reference import load_agencies, load_places
    from gender_monitor.plan.registry import load_plan

    report = CheckReport()
    if data_dir is not None and not Path(data_dir).is_dir():
        report.issues.append(issue(str(data_dir), None, None, None, "folder_missing"))
        return report
    agencies = places = plan = None
    # A data folder with its own reference tables is checked against them.
    reference = data_dir / "reference" if data_dir is not None and (data_dir / "reference").is_dir() else None
    try:
        agencies = load_agencies(reference)
    except ValidationError as exc:
        report.issues += exc.issues
    try:
        places = load_places(reference)
    except ValidationError as exc:
        report.issues += exc.issues
    try:
        plan = load_plan(agencies=agencies.codes if agencies else None)
    except ValidationError as exc:
        report.issues += exc.issues
    # The names of places and agencies, and the notes beside them: a table saved as CSV in a Western European
    # character set has "?" where their Vietnamese letters were ("Qu?ng Tr?").
    report.issues += reference_lost_letters(reference if reference is not None else paths.reference_dir())
    if plan is None or places is None:
        return report
    report.files = files if files is not None else default_observation_files(data_dir)
    if files is None:
        report.issues += [issue(str(p), None, None, None, "hidden", "warning") for p in hidden_observation_files(data_dir)]
        report.issues += [issue(str(p), None, None, None, "upper_case", "warning") for p in upper_case_csv_files(data_dir)]
    # Every value carries its source: an observation file without its provenance sidecar is named.
    report.issues += [issue(str(p), None, None, None, "no_provenance", "warning", meta=p.name + ".meta.yml")
                      for p in report.files if not p.with_name(p.name + ".meta.yml").is_file()]
    frame, issues = check_observations(report.files, plan=plan, places=places)
    report.observations = frame
    report.issues += issues
    if not frame.empty and not report.errors:
        # What the review would leave out once the merged province's series are joined (an agency's real
        # value beside a history re-based from illustrative values) is said here too, before the review.
        from gender_monitor.data import harmonise

        report.issues += harmonise.prepare(frame, plan, places)[1].left_out
    return report


def reference_lost_letters(directory: Path) -> list[Issue]:
    """An error for each cell of the reference tables (``*.csv`` of ``directory``) whose "?" stand for letters lost
    when the table was saved as CSV in a Western European character set (``observations.lost_letters``): a place's
    or an agency's name, a note. A table that cannot be read as UTF-8 text is left to its loader, which names it."""
    import csv

    from gender_monitor.data.observations import lost_letters

    issues: list[Issue] = []
    for path in sorted(Path(directory).glob("*.csv")):
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.reader(fh)
                header, records, last = next(reader, []), [], 1
                for row in reader:  # each record with the line it begins on (a quoted note may span lines)
                    records.append((last + 1, row))
                    last = reader.line_num
        except (OSError, UnicodeDecodeError, csv.Error):
            continue
        columns = [c for c in header if c not in ("file", "line")]
        frame = pd.DataFrame([dict(zip(header, row)) for _, row in records], columns=columns)
        frame["file"], frame["line"] = str(path), [line for line, _ in records]
        issues += lost_letters(frame, columns=columns)
    return issues
