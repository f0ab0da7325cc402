"""The reports of the plan's cycle as data: yearly report, mid-term review, final review (``parameters/report_kinds.yaml``)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from gender_monitor.core import paths
from gender_monitor.core.exceptions import Issue, ParameterError, pydantic_rule

KIND_NAMES = ("annual", "midterm", "final")


class Section(BaseModel):
    """One section of a report; an ``editable`` one is written by people (left empty, headed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    editable: bool = False


class ReportKind(BaseModel):
    """A kind of report: which years it is written for, its notebook and its sections."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    years: Literal["plan", "midterm", "end"]
    notebook: str = Field(min_length=1)
    sections: tuple[Section, ...] = Field(min_length=1)

    def allowed_years(self, plan_info) -> tuple[int, ...]:
        """The years this kind may be written for, given the plan (``PlanInfo``)."""
        if self.years == "midterm":
            return (plan_info.midterm_year,)
        if self.years == "end":
            return (plan_info.end_year,)
        return tuple(range(plan_info.start_year, plan_info.end_year + 1))

    @property
    def editable(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections if s.editable)


def kinds_file() -> Path:
    return paths.parameters_dir() / "report_kinds.yaml"


def load_report_kinds(path: str | os.PathLike[str] | None = None) -> dict[str, ReportKind]:
    """Read ``parameters/report_kinds.yaml``: kind name → :class:`ReportKind`.

    Raises
    ------
    ParameterError
        The file is missing or unreadable, a kind other than ``annual, midterm, final`` is named, or an
        entry breaks the schema (each problem with the key path).
    """
    return _load(str(path or kinds_file()))


@cache
def _load(file: str) -> dict[str, ReportKind]:
    try:
        data = yaml.safe_load(Path(file).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ParameterError([Issue.of(file, None, None, None, "parameters.kinds_unreadable", detail=detail)],
                             file) from exc
    kinds = (data or {}).get("kinds") if isinstance(data, dict) else None
    if not isinstance(kinds, dict):
        raise ParameterError([Issue.of(file, None, "kinds", None, "parameters.kinds_mapping")], file)
    issues, out = [], {}
    for name, entry in kinds.items():
        if name not in KIND_NAMES:
            issues.append(Issue.of(file, None, f"kinds.{name}", name, "parameters.one_of", valid=", ".join(KIND_NAMES)))
            continue
        try:
            out[name] = ReportKind.model_validate({**(entry or {}), "name": name})
        except PydanticValidationError as exc:
            for e in exc.errors():
                en, vi = pydantic_rule(e)
                issues.append(Issue(file, None, f"kinds.{name}." + ".".join(str(p) for p in e["loc"]), e.get("input"),
                                    en, rule_vi=vi))
    if issues:
        raise ParameterError(issues, file)
    return out
