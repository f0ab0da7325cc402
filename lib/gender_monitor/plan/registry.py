"""The plan registry: the plan's objectives and targets, loaded from YAML and validated into typed objects."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from gender_monitor.core import i18n, paths
from gender_monitor.core.exceptions import Issue, PlanError, pydantic_rule
from gender_monitor.core.units import UNITS

Unit = Literal[UNITS]  # type: ignore[valid-type]  # the units of core/units.py
Kind = Literal["level", "maintain", "rate_of_decline", "milestone", "direction"]
Direction = Literal["higher", "lower"]
Comparator = Literal[">=", ">", "<=", "<", "=", "~"]

KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]

#: How each comparator is printed for readers.
COMPARATOR_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "~": "≈"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TargetValue(_Strict):
    """One target year of a target: ``value`` compared with ``comparator``.

    A ``~`` ("khoảng", about) target is met within ``tolerance`` of the value or beyond it in the
    better direction. ``upper`` is the top of a range target (3.5a: a fall of 2 to 3% a year).
    A direction-only target carries a year and nothing else.
    """

    year: int = Field(ge=2021, le=2050)
    comparator: Comparator | None = None
    value: float | None = None
    tolerance: float | None = Field(default=None, gt=0)
    upper: float | None = None

    @model_validator(mode="after")
    def _complete(self) -> TargetValue:
        if (self.comparator is None) != (self.value is None):
            raise ValueError(i18n.both("plan_rules.together"))
        if self.comparator == "~" and self.tolerance is None:
            raise ValueError(i18n.both("plan_rules.needs_tolerance"))
        if self.comparator != "~" and self.tolerance is not None:
            raise ValueError(i18n.both("plan_rules.tolerance_only"))
        return self

    @property
    def symbol(self) -> str:
        return COMPARATOR_SYMBOL[self.comparator] if self.comparator else ""

    def met_by(self, x: float, direction: Direction) -> bool:
        """Whether the value ``x`` satisfies this target (``direction`` resolves ``~``)."""
        if self.comparator is None or self.value is None or x is None or math.isnan(x):
            return False
        v = self.value
        # Compare at the precision targets are written in, so 40.0000001 is not "above" 40 by accident.
        x = round(float(x), 9)
        if self.comparator == ">=":
            return x >= v
        if self.comparator == ">":
            return x > v
        if self.comparator == "<=":
            return x <= v
        if self.comparator == "<":
            return x < v
        if self.comparator == "=":
            return abs(x - v) < 1e-9
        tol = self.tolerance or 0.0
        return x >= v - tol if direction == "higher" else x <= v + tol

    def threshold(self, direction: Direction) -> float | None:
        """The boundary value a projection is compared with (the edge of the ``~`` band for ``~``)."""
        if self.value is None:
            return None
        if self.comparator == "~":
            tol = self.tolerance or 0.0
            return self.value - tol if direction == "higher" else self.value + tol
        return self.value


class Baseline(_Strict):
    year: int
    value: float
    note_en: str | None = None


class NationalTarget(_Strict):
    """The national strategy's target where it differs from the province's (context only)."""

    text_en: str
    targets: list[TargetValue] = Field(default_factory=list)


class Objective(_Strict):
    number: int = Field(ge=1, le=6)
    title_vi: str
    title_en: str


class Target(_Strict):
    """One of the plan's 25 targets (a chỉ tiêu, or one half of a split chỉ tiêu)."""

    code: str = Field(pattern=r"^[1-6]\.[1-9][ab]?$")
    objective: int
    name_vi: str
    text_vi: str
    name_en: str
    #: The name readers see in tables where the plan's words (``name_vi``, verbatim) would mislead out of
    #: their sentence: a count's words for a percentage, or a name that drops who is counted.
    display_vi: str | None = None
    unit: Unit
    kind: Kind
    direction: Direction
    targets: list[TargetValue] = Field(min_length=1)
    lead_agency: str
    co_agencies: list[str] = Field(default_factory=list)
    data_source: str
    frequency: Literal["annual", "quarterly", "irregular"]
    baseline: Baseline | None = None
    national_target: NationalTarget | None = None
    sensitive: bool = False
    #: The share is a complete count of units (every agency, facility, victim on the administrative
    #: records), not a sample: a target year's value is judged as it is, without a sampling interval.
    complete_count: bool = False
    #: What a count counts (unit ``count``): the unit column's word for it ("cuộc", "cơ sở"), which
    #: reads better than the generic "số lượng".
    counted_vi: str | None = None
    counted_en: str | None = None
    #: The unit as the plan words it, for the unit column where the unit's own name says too little
    #: ("‰" for 4.3: "ca sinh/1.000 phụ nữ 15–19 tuổi").
    unit_vi: str | None = None
    unit_en: str | None = None
    #: What a rate of ``per_1000`` or ``per_100000`` is counted per (its denominator), in words: "trẻ sinh sống" for
    #: maternal deaths per 100,000 live births. The unit's words are built from it ("ca/100.000 trẻ sinh sống",
    #: ``units_per`` in the locales); without it they name no denominator ("trên 100.000"), as for an indicator
    #: the plan does not know. For a ``ratio``, what it is a multiple of ("nam giới": 3.1 is women's hours "1,7 lần
    #: ... so với nam giới"): its yearly pace says it ("−0,05 lần so với nam giới mỗi năm", not "lần/năm").
    per_vi: str | None = None
    per_en: str | None = None
    from_year: int | None = None
    natural_floor: float | None = None
    note_en: str | None = None
    derived_from: str | None = None
    min_items_per_quarter: int | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        if not self.code.startswith(f"{self.objective}."):
            raise ValueError(i18n.both("plan_rules.wrong_objective", code=repr(self.code), objective=self.objective))
        years = [t.year for t in self.targets]
        if len(set(years)) != len(years):
            raise ValueError(i18n.both("plan_rules.years_repeat", years=years))
        numeric = [t for t in self.targets if t.comparator is not None]
        if self.kind == "direction" and numeric:
            raise ValueError(i18n.both("plan_rules.direction_only"))
        if self.kind != "direction" and len(numeric) != len(self.targets):
            raise ValueError(i18n.both("plan_rules.every_year", kind=self.kind))
        if self.kind == "maintain" and any(t.value != 100 or t.comparator != "=" for t in self.targets):
            raise ValueError(i18n.both("plan_rules.maintain"))
        if self.unit == "percent":
            for t in numeric:
                if not 0 <= float(t.value) <= 100:  # type: ignore[arg-type]
                    raise ValueError(i18n.both("plan_rules.percent", value=i18n.as_given(t.value)))
        return self

    def target_for(self, year: int) -> TargetValue | None:
        return next((t for t in self.targets if t.year == year), None)


class Input(_Strict):
    """An auxiliary input that is not a target itself (e.g. news items per commune and quarter)."""

    code: str
    name_vi: str
    name_en: str
    unit: Unit
    lead_agency: str
    frequency: Literal["annual", "quarterly", "irregular"]
    feeds: str | None = None
    sensitive: bool = False


class Reporting(_Strict):
    due_day: str = Field(pattern=r"^\d\d-\d\d$")
    coordinator: str
    text_vi: str


class Coverage(_Strict):
    """The place the plan is about during a span of time (``valid_to`` is exclusive, as in places.csv)."""

    place: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    reason_vi: str
    reason_en: str

    def covers(self, on: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on < self.valid_to)


class PlanInfo(_Strict):
    id: str
    title_vi: str
    title_en: str
    legal_basis: str
    place: str
    start_year: int
    end_year: int
    baseline_year: int
    midterm_year: int
    reporting: Reporting
    coverage: list[Coverage] = Field(default_factory=list)

    @model_validator(mode="after")
    def _coverage_in_order(self) -> PlanInfo:
        spans = self.coverage
        for a, b in zip(spans, spans[1:], strict=False):
            if a.valid_to is None or b.valid_from != a.valid_to:
                raise ValueError(i18n.both("plan_rules.coverage", place=b.place, before=a.place, start=b.valid_from,
                                            end=a.valid_to))
        return self

    def report_day(self, year: int) -> dt.date:
        """The day the yearly report of ``year`` is due (``reporting.due_day``, e.g. 25 November)."""
        month, day = (int(x) for x in self.reporting.due_day.split("-"))
        return dt.date(year, month, day)

    def coverage_on(self, on: dt.date) -> Coverage | None:
        return next((c for c in self.coverage if c.covers(on)), None)

    def place_on(self, on: dt.date) -> str:
        """The place the plan covers on ``on`` (``place`` when no coverage span is given)."""
        span = self.coverage_on(on)
        return span.place if span is not None else self.place

    def place_for(self, year: int) -> str:
        """The place the plan covers in ``year``: the one it covers on that year's reporting day.

        The yearly report (due 25 November) is about the province the steering board governs then:
        from 2025 on, the merged Quảng Trị.
        """
        return self.place_on(self.report_day(year))


class Plan(_Strict):
    """The whole registry. ``targets`` keep the plan's order."""

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    plan: PlanInfo
    objectives: list[Objective]
    targets: list[Target]
    inputs: list[Input] = Field(default_factory=list)

    @field_validator("objectives")
    @classmethod
    def _objectives_unique(cls, v: list[Objective]) -> list[Objective]:
        numbers = [o.number for o in v]
        if len(set(numbers)) != len(numbers):
            raise ValueError(i18n.both("plan_rules.objectives_repeat", numbers=numbers))
        return v

    @model_validator(mode="after")
    def _codes(self) -> Plan:
        codes = [t.code for t in self.targets] + [i.code for i in self.inputs]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(i18n.both("plan_rules.codes_repeat", codes=dupes))
        known = {o.number for o in self.objectives}
        for t in self.targets:
            if t.objective not in known:
                raise ValueError(i18n.both("plan_rules.objective_missing", code=t.code, objective=t.objective))
        return self

    # -- lookups ---------------------------------------------------------------------------------
    @property
    def codes(self) -> list[str]:
        return [t.code for t in self.targets]

    def target(self, code: str) -> Target:
        for t in self.targets:
            if t.code == code:
                return t
        raise KeyError(f"no target {code!r} in the plan; known: {', '.join(self.codes)}")

    def objective(self, number: int) -> Objective:
        for o in self.objectives:
            if o.number == number:
                return o
        raise KeyError(f"no objective {number} in the plan")

    def targets_of(self, objective: int) -> list[Target]:
        return [t for t in self.targets if t.objective == objective]

    def units(self) -> dict[str, str]:
        """Unit of every target and auxiliary input, by code."""
        return {t.code: t.unit for t in self.targets} | {i.code: i.unit for i in self.inputs}

    def sensitive_codes(self) -> set[str]:
        return {t.code for t in self.targets if t.sensitive} | {i.code for i in self.inputs if i.sensitive}

    def agency_codes(self) -> set[str]:
        out = {self.plan.reporting.coordinator}
        for t in self.targets:
            out.add(t.lead_agency)
            out.update(t.co_agencies)
        out.update(i.lead_agency for i in self.inputs)
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per target and target year (the ``plan --format csv`` table)."""
        titles = {o.number: o for o in self.objectives}
        rows = []
        for t in self.targets:
            for tv in t.targets:
                rows.append(
                    {
                        "code": t.code,
                        "objective": t.objective,
                        "objective_vi": titles[t.objective].title_vi,
                        "objective_en": titles[t.objective].title_en,
                        "name_vi": t.name_vi,
                        "name_en": t.name_en,
                        "unit": t.unit,
                        "kind": t.kind,
                        "direction": t.direction,
                        "target_year": tv.year,
                        "comparator": tv.symbol,
                        "target_value": tv.value,
                        "target_upper": tv.upper,
                        "tolerance": tv.tolerance,
                        "from_year": t.from_year,
                        "baseline_year": t.baseline.year if t.baseline else None,
                        "baseline_value": t.baseline.value if t.baseline else None,
                        "lead_agency": t.lead_agency,
                        "co_agencies": ";".join(t.co_agencies),
                        "data_source": t.data_source,
                        "frequency": t.frequency,
                        "sensitive": t.sensitive,
                        "national_target": t.national_target.text_en if t.national_target else None,
                    }
                )
        return pd.DataFrame(rows)


def _key_path(loc: Iterable[object]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _describe_loc(loc: tuple[object, ...], raw: dict) -> str:
    """A key path that also names the target's code, e.g. ``targets[3] (code 3.1).unit``."""
    path = _key_path(loc)
    if len(loc) >= 2 and loc[0] in ("targets", "inputs") and isinstance(loc[1], int):
        try:
            code = raw[loc[0]][loc[1]].get("code")
        except (KeyError, IndexError, AttributeError, TypeError):
            code = None
        if code:
            head = f"{loc[0]}[{loc[1]}]"
            path = path.replace(head, f"{head} (code {code})", 1)
    return path


def parse_plan(raw: object, *, source: str = "<plan>") -> Plan:
    """Validate an already-parsed YAML document; every problem is reported at once."""
    if not isinstance(raw, dict):
        raise PlanError([Issue.of(source, None, None, type(raw).__name__, "reference.plan_mapping")], source)
    try:
        return Plan.model_validate(raw)
    except ValidationError as exc:
        issues = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            value = err.get("input")
            if isinstance(value, (dict, list)):
                value = None
            en, vi = pydantic_rule(err)
            issues.append(Issue(source, None, _describe_loc(loc, raw) or "<root>", value, en, rule_vi=vi))
        raise PlanError(issues, source) from None


def load_plan(path: str | Path | None = None, *, agencies: Iterable[str] | None = None) -> Plan:
    """Load and validate the plan registry.

    Parameters
    ----------
    path
        The YAML file; the repository's ``parameters/plan.yaml`` by default.
    agencies
        Known agency codes; when given, every lead, co-agency and coordinator must be one of them.

    Raises
    ------
    PlanError
        With one :class:`~gender_monitor.core.exceptions.Issue` per problem: file, key path, rule.
    """
    path = Path(path) if path is not None else paths.plan_file()
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError([Issue.of(source, None, None, None, "reference.not_found")], source) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise PlanError([Issue.of(source, line, None, None, "parameters.not_yaml",
                                  detail=getattr(exc, "problem", None) or str(exc))], source) from None
    plan = parse_plan(raw, source=source)
    if agencies is not None:
        known = set(agencies)
        issues = []
        for i, t in enumerate(plan.targets):
            for key, codes in (("lead_agency", [t.lead_agency]), ("co_agencies", t.co_agencies)):
                for code in codes:
                    if code not in known:
                        issues.append(Issue.of(source, None, f"targets[{i}] (code {t.code}).{key}", code,
                                               "reference.unknown_agency"))
        for i, inp in enumerate(plan.inputs):
            if inp.lead_agency not in known:
                issues.append(Issue.of(source, None, f"inputs[{i}] (code {inp.code}).lead_agency", inp.lead_agency,
                                       "reference.unknown_agency"))
        if plan.plan.reporting.coordinator not in known:
            issues.append(Issue.of(source, None, "plan.reporting.coordinator", plan.plan.reporting.coordinator,
                                   "reference.unknown_agency"))
        if issues:
            raise PlanError(issues, source)
    return plan
