"""A review's parameters: the strict schema of ``parameters/review_*.yaml`` and its loader."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic import ValidationError as PydanticValidationError

from gender_monitor.core import clock, i18n
from gender_monitor.core.exceptions import Issue, ParameterError, pydantic_rule

#: Values a notebook parameter may take: what papermill translates faithfully (pitfall 3).
ParamValue = str | int | float | bool | None | list | dict

#: Parameters every notebook may declare; the runner passes each one a notebook declares.
COMMON_PARAMETERS = ("review", "language", "as_of", "place", "publish", "disclosure_threshold", "kind",
                     "report_date")


class NotebookEntry(BaseModel):
    """One notebook of the review, run once or once per objective / target of the plan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="review, objective, indicator, overview …")
    path: str = Field(min_length=1, description="notebook path, relative to the repository root")
    each: Literal["objective", "target"] | None = Field(
        None, description="run once per objective or target; the code is passed as that parameter"
    )
    codes: list[str | int] | None = Field(
        None, min_length=1, description="the codes to run for `each` (default: every one in the plan)"
    )
    parameters: dict[str, ParamValue] = Field(
        default_factory=dict, description="extra parameters; each must be declared by the notebook"
    )


class ReviewParameters(BaseModel):
    """Everything that defines one review run; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    review: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="name = output folder")
    kind: Literal["annual", "midterm", "final"] | None = Field(
        None, description="the report of the plan's cycle (parameters/report_kinds.yaml) written for the year "
                          "as_of; none: a review that is none of them (a smoke run, a look back)")
    report_date: dt.date | None = Field(
        None, description="the day the report is written (how late a missing return is); default: today")
    language: Literal["vi", "en"] = "vi"
    as_of: int = Field(ge=2000, le=2100, description="the year the review looks from")
    place: str = Field(min_length=1, description="place code from data/reference/places.csv; default: the "
                       "place the plan covers in as_of (parameters/plan.yaml, plan.coverage)")
    publish: bool = Field(False, description="publication mode: disclosure control applies")
    disclosure_threshold: int = Field(5, ge=1, description="counts below this are suppressed")
    cell_timeout: int = Field(600, ge=1, description="seconds one cell may run (not in the cache key)")
    workers: int | None = Field(None, ge=1, description="parallel kernels, default min(2, cores) "
                                "(not in the cache key)")
    kernel: str = Field("gender-monitor", min_length=1, description="Jupyter kernel name")
    pdf: bool = Field(True, description="print each brief to PDF with headless Chromium")
    inputs: list[str] = Field(
        default_factory=lambda: ["data/**/*", "parameters/plan.yaml"],
        description="globs of input files (data and their .meta.yml provenance) hashed into the cache "
                    "key and the manifest",
    )
    notebooks: list[NotebookEntry] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _default_place(cls, data: Any) -> Any:
        """Without ``place``, the place the plan covers in ``as_of`` (the merged province from 2025)."""
        if not isinstance(data, dict) or data.get("place") is not None:
            return data
        raw = data.get("as_of")
        try:  # as_of as pydantic will read it ("2027", 2027.0 too); one it cannot read is said under as_of alone
            year = int(raw) if isinstance(raw, (int, float)) and float(raw).is_integer() else int(str(raw).strip())
        except (TypeError, ValueError, OverflowError):
            return {**data, "place": "?"}
        if not 2000 <= year <= 2100:  # outside as_of's range: said under as_of by its own rule
            return {**data, "place": "?"}
        from gender_monitor.plan.registry import load_plan

        return {**data, "place": load_plan().plan.place_for(year)}

    @model_validator(mode="after")
    def _kind_year(self) -> ReviewParameters:
        """A kind is written for its years only: the mid-term review for 2025, the final review for 2030."""
        if self.kind is None:
            return self
        from gender_monitor.plan.kinds import load_report_kinds
        from gender_monitor.plan.registry import load_plan

        allowed = load_report_kinds()[self.kind].allowed_years(load_plan().plan)
        if self.as_of not in allowed:
            years = f"{allowed[0]}" + (f"–{allowed[-1]}" if len(allowed) > 1 else "")
            raise ValueError(i18n.both("parameters.kind_year", kind=self.kind, years=years, as_of=self.as_of))
        return self

    @model_validator(mode="after")
    def _name_matches(self) -> ReviewParameters:
        """A review named like a report of the cycle (``annual_2026``) is that report: a copy of last year's
        file with only ``as_of`` changed would otherwise write the new report over last year's outputs."""
        match = re.fullmatch(r"(annual|review|final)_(\d{4})", self.review)
        if match is None or self.kind is None:
            return self
        kind = {"annual": "annual", "review": "midterm", "final": "final"}[match.group(1)]
        year = int(match.group(2))
        if (kind, year) != (self.kind, self.as_of):
            right = FILE_NAMES[self.kind].format(year=self.as_of).removesuffix(".yaml")
            raise ValueError(i18n.both("parameters.name_taken", review=repr(self.review), folder=self.review,
                                       report=i18n.each_language(f"parameters.report_of.{kind}", year=year),
                                       kind=self.kind,
                                       as_of=self.as_of, right=right))
        return self

    def worker_count(self) -> int:
        """The number of parallel kernels: ``workers`` or min(2, cores)."""
        return self.workers or min(2, os.cpu_count() or 1)

    def common_values(self) -> dict[str, ParamValue]:
        """The values of :data:`COMMON_PARAMETERS` for this review."""
        values = {name: getattr(self, name) for name in COMMON_PARAMETERS}
        # papermill passes text; without a date the report is written today (a new day re-runs it).
        values["report_date"] = (self.report_date or clock.today()).isoformat()
        values["kind"] = self.kind or ""
        return values


def load_review_parameters(path: str | os.PathLike[str]) -> ReviewParameters:
    """Read and validate a review YAML file.

    Parameters
    ----------
    path
        A YAML mapping matching :class:`ReviewParameters`.

    Returns
    -------
    ReviewParameters

    Raises
    ------
    ParameterError
        The file is missing, is not a YAML mapping, has an unknown key, a value of the wrong
        type or out of range; every problem is listed with the file and the key path.
    """
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        key = {FileNotFoundError: "not_found", IsADirectoryError: "is_folder", PermissionError: "no_permission"}
        raise ParameterError([Issue.of(file, None, None, None, f"parameters.{key[type(exc)]}")], file) from exc
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror or str(exc) if isinstance(exc, OSError) else str(exc)
        raise ParameterError([Issue.of(file, None, None, None, "parameters.cannot_read", detail=detail)], file) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        issue = Issue.of(file, None if line is None else line + 1, None, None, "parameters.not_yaml",
                      detail=getattr(exc, "problem", None) or str(exc))
        raise ParameterError([issue], file) from exc
    if not isinstance(data, dict):
        raise ParameterError([Issue.of(file, None, None, type(data).__name__, "parameters.not_mapping")], file)
    return validate_review_parameters(data, file)


def validate_review_parameters(data: dict, file: str = "<parameters>") -> ReviewParameters:
    """Validate an already-parsed mapping; see :func:`load_review_parameters`."""
    try:
        return ReviewParameters.model_validate(data)
    except PydanticValidationError as exc:
        issues = [_issue(file, error) for error in exc.errors()]
        raise ParameterError(issues, file) from exc


def _issue(file: str, error: dict) -> Issue:
    """Turn one pydantic error into an :class:`Issue` naming the key path, its rule in both languages."""
    path = _key_path(error["loc"])
    value = None if error["type"] == "missing" else error.get("input")
    if not error["loc"] and isinstance(value, dict):  # a rule across keys (kind and as_of): name them, not the file
        path, value = "kind, as_of", f"{value.get('kind')}, {value.get('as_of')}"
    if error["type"] == "extra_forbidden":
        return Issue.of(file, None, path, value, "parameters.unknown_key", name=repr(path.rsplit(".", 1)[-1]),
                     allowed=_allowed(error["loc"]))
    if error["type"] == "missing":
        return Issue.of(file, None, path, value, "parameters.missing")
    en, vi = pydantic_rule(error)
    return Issue(file, None, path, value, en, rule_vi=vi)


def _key_path(loc: tuple) -> str:
    """``('notebooks', 2, 'path')`` → ``notebooks[2].path``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _allowed(loc: tuple) -> str:
    """The allowed keys at the level of ``loc``'s last element."""
    model = NotebookEntry if "notebooks" in loc[:-1] else ReviewParameters
    return ", ".join(model.model_fields)


def check_references(params: ReviewParameters, file: str = "<parameters>") -> None:
    """Check the review's ``place`` and every entry's ``codes`` against the places table and the plan.

    Run before any notebook: a typo (``place: XX``, ``codes: ["4.7"]``) would otherwise fail every
    notebook of the batch one by one.

    Raises
    ------
    ParameterError
        Listing each unknown place or code with the key path and the valid codes.
    """
    from gender_monitor.plan.reference import load_places
    from gender_monitor.plan.registry import load_plan

    places, plan = load_places(), load_plan()
    issues = []
    if params.place not in places:
        issues.append(Issue.of(file, None, "place", params.place, "parameters.unknown_place",
                            valid=places.listed()))
    valid = {"objective": [str(o.number) for o in plan.objectives], "target": list(plan.codes)}
    for i, entry in enumerate(params.notebooks):
        if entry.each is None or not entry.codes:
            continue
        for j, code in enumerate(entry.codes):
            if plan_code(code) not in valid[entry.each]:
                issues.append(Issue.of(file, None, f"notebooks[{i}].codes[{j}]", code, f"parameters.no_{entry.each}",
                                    code=repr(code), valid=", ".join(valid[entry.each])))
    if issues:
        raise ParameterError(issues, file)


def plan_code(value: object) -> str:
    """A target code or objective number as the plan writes it: ``4.1`` (a float from YAML or papermill) → ``"4.1"``.

    ``repr`` of a float is the shortest text that reads back as the same number, so ``4.1`` stays
    ``"4.1"``; a whole float (``3.0``) is the objective number ``"3"``.
    """
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value).strip()


#: The notebooks a new review file of each kind runs besides the kind's own (``parameters/report_kinds.yaml``).
COMPANIONS: dict[str, list[dict[str, str]]] = {
    "annual": [{"role": "overview", "path": "notebooks/data_overview.ipynb",
                "comment": "what data there is, where it comes from, what is illustrative"}],
    "midterm": [{"role": "objective", "path": "notebooks/objective_brief.ipynb", "each": "objective",
                 "comment": "one brief per objective of the plan"},
                {"role": "indicator", "path": "notebooks/indicator_explorer.ipynb", "each": "target",
                 "comment": "one brief per target of the plan"},
                {"role": "overview", "path": "notebooks/data_overview.ipynb",
                 "comment": "what data there is, where it comes from, what is illustrative"}],
    "final": [{"role": "objective", "path": "notebooks/objective_brief.ipynb", "each": "objective",
               "comment": "one brief per objective of the plan"},
              {"role": "overview", "path": "notebooks/data_overview.ipynb",
               "comment": "what data there is, where it comes from, what is illustrative"}],
}
#: The file name of a new review file of each kind.
FILE_NAMES = {"annual": "annual_{year}.yaml", "midterm": "review_{year}.yaml", "final": "final_{year}.yaml"}
#: The reports of the cycle in the words of a message.


def review_file_text(kind: str, year: int) -> str:
    """The text of a new review file for the report ``kind`` of ``year`` (checked before it is returned).

    The place is left out: the review judges the place the plan covers in ``year``
    (``parameters/plan.yaml``, ``plan.coverage``).

    Raises
    ------
    ParameterError
        ``kind`` is not one of the kinds, or ``year`` is not a year that kind is written for.
    """
    from gender_monitor.plan.kinds import load_report_kinds

    kinds = load_report_kinds()
    if kind not in kinds:
        raise ParameterError([Issue("report_kinds.yaml", None, "kind", kind,
                                    f"unknown report kind; valid: {', '.join(kinds)}")])
    name = FILE_NAMES[kind].format(year=year).removesuffix(".yaml")
    lines = [
        f"# The {kind} report of {year} of the Quang Tri gender-equality plan (parameters/report_kinds.yaml):",
        f"# `gender-monitor review -f parameters/{name}.yaml`. Written by `gender-monitor review --new {kind} {year}`;",
        "# schema: gender_monitor.review.parameters (an unknown key is an error).",
        f"review: {name:<22}# output folder: outputs/{name}/",
        f"kind: {kind:<24}# annual | midterm | final: the report's title, sections and words",
        f"as_of: {year:<23}# the report's year; later observations are ignored",
        "language: vi                  # vi | en: language of the briefs and the index",
        "report_date: null             # the day the report is written (YYYY-MM-DD); null = the day it runs",
        "publish: true                 # the board's briefs are published: small sensitive counts are suppressed",
        "disclosure_threshold: 5       # counts below this are suppressed when publishing",
        "cell_timeout: 600             # seconds one cell may run (changing it re-runs nothing)",
        "workers: null                 # parallel kernels; null = min(2, cores) (re-runs nothing)",
        "pdf: true                     # print briefs to PDF with headless Chromium (skipped if absent)",
        "inputs:                       # files hashed into the cache key and the manifest",
        "  - data/**/*                 # every data file, the agencies' returns, the revision log, provenance",
        "  - parameters/plan.yaml",
        "  - parameters/report_kinds.yaml",
        "notebooks:",
        f"  - role: report              # the {kind} report itself (HTML, PDF; Word and Excel for the department)",
        f"    path: {kinds[kind].notebook}",
    ]
    for entry in COMPANIONS[kind]:
        lines.append(f"  - role: {entry['role']:<20}# {entry['comment']}")
        lines.append(f"    path: {entry['path']}")
        if "each" in entry:
            lines.append(f"    each: {entry['each']}")
    text = "\n".join(lines) + "\n"
    validate_review_parameters(yaml.safe_load(text), FILE_NAMES[kind].format(year=year))
    return text
