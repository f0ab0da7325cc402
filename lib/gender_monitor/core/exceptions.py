"""The suite's exceptions: one base class, one subclass per kind of failure."""

from __future__ import annotations

from dataclasses import dataclass


def value_word() -> str:
    """"giá trị / value", leading the value an issue quotes."""
    from gender_monitor.core import i18n  # imported here: i18n reads the locales, exceptions import nothing

    return i18n.both("validation.value")


class GenderMonitorError(Exception):
    """Base class of every error the suite raises on purpose."""


@dataclass(frozen=True)
class Issue:
    """One problem found in an input file, located precisely enough to fix it.

    ``line`` is the 1-based line in a CSV file (the header is line 1) or the row
    of a spreadsheet; ``column`` is a column name, a YAML key path or a cell
    reference such as ``D7``.
    """

    file: str
    line: int | None
    column: str | None
    value: object
    rule: str
    severity: str = "error"  # "error" or "warning"
    #: The rule in Vietnamese, when the checker has it in both languages (agencies read Vietnamese).
    rule_vi: str = ""
    #: The line of the same file this row conflicts with (two values for one key), when there is one.
    with_line: int | None = None

    @classmethod
    def of(cls, file: str, line: int | None, column: str | None, value: object, key: str, /,
           severity: str = "error", **values: object) -> Issue:
        """An issue whose rule is the locales' text at ``key`` (``rules.*``, ``parameters.*``), in English and
        in Vietnamese."""
        from gender_monitor.core import i18n

        said = i18n.each_language(key, **values)
        return cls(file, line, column, value, said["en"], severity, said["vi"])

    def said(self, language: str = "vi") -> str:
        """The rule in ``language`` (English when no Vietnamese is given)."""
        return self.rule_vi if language == "vi" and self.rule_vi else self.rule

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.column:
            where += f" [{self.column}]"
        shown = "" if self.value is None else f" ({value_word()}: {self.value!r})"
        rule = f"{self.rule_vi} / {self.rule}" if self.rule_vi else self.rule
        return f"{where}: {rule}{shown}"


#: pydantic's error types, by the locales' word for them (``validation.types.*``); the English is pydantic's own.
PYDANTIC_TYPES = {
    "int": ("int_parsing", "int_type", "int_from_float", "int_parsing_size"),
    "number": ("float_parsing", "float_type", "finite_number"),
    "bool": ("bool_parsing", "bool_type"),
    "gt": ("greater_than",), "ge": ("greater_than_equal",), "lt": ("less_than",), "le": ("less_than_equal",),
    "choice": ("literal_error", "enum"), "pattern": ("string_pattern_mismatch",), "empty": ("string_too_short",),
    "too_short": ("too_short",), "too_long": ("too_long",), "extra": ("extra_forbidden",), "missing": ("missing",),
    "date": ("date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact"),
    "text": ("string_type",), "list": ("list_type",), "mapping": ("dict_type", "model_type", "model_attributes_type"),
}
_TYPE_WORDS = {kind: word for word, kinds in PYDANTIC_TYPES.items() for kind in kinds}


def pydantic_rule(error: dict) -> tuple[str, str]:
    """One pydantic error's rule in English and in Vietnamese (``""`` when the type is not one the locales
    name). A model's own rule (``value_error``) said ``vi / en`` is split into its two languages."""
    from gender_monitor.core import i18n

    if error["type"] == "value_error":
        message = str(error["ctx"]["error"]) if "error" in error.get("ctx", {}) else error["msg"]
        vi, _, en = message.partition(" / ")
        return (en, vi) if en else (vi, "")
    word = _TYPE_WORDS.get(error["type"])
    if word is None:
        return error["msg"], ""
    ctx = {k: str(v) for k, v in error.get("ctx", {}).items()}
    ctx["expected"] = ctx.get("expected", "").replace(" or ", " hoặc ")
    return error["msg"], i18n.t(f"validation.types.{word}", "vi", **ctx)


def _head(n: int, what: str) -> str:
    """The first line of an input error in Vietnamese and English; ``what`` is a kind of input the
    locales name (``targets file``) or a file's path, said as it is."""
    from gender_monitor.core import i18n

    said = {lang: i18n.entries("validation.what", lang).get(what, what) for lang in i18n.LANGUAGES}
    return i18n.both("validation.head", n=n, what=said)


class ValidationError(GenderMonitorError):
    """Input data broke one or more rules; ``issues`` lists every one of them."""

    def __init__(self, issues: list[Issue], what: str = "input") -> None:
        self.issues = list(issues)
        errors = [i for i in self.issues if i.severity == "error"]
        head = _head(len(errors), what)
        super().__init__("\n".join([head, *(f"  {i}" for i in errors)]))


class PlanError(ValidationError):
    """The plan registry or a reference table is invalid."""


class ObservationError(ValidationError):
    """An observation file is invalid."""


class ParameterError(ValidationError):
    """A run's parameters are invalid (unknown key, wrong type, bad value)."""


class ProjectionError(GenderMonitorError):
    """A series cannot be projected; the message says why."""


class IngestError(GenderMonitorError):
    """A submitted file cannot be ingested at all (not one of the suite's templates)."""
