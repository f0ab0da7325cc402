"""The indicator explorer: any target, place and year, series, method, interval level and start year.

:func:`explore` computes one :class:`View` (a pure function of the review state and a
:class:`Selection`); the view's methods return displayable pieces (:mod:`gender_monitor.publish.display`)
that a notebook cell shows one at a time, in a papermill run as in JupyterLab. :class:`Explorer` adds
ipywidgets controls: changing a control recomputes the view and re-renders it in place::

    ex = explorer.Explorer(language="vi")
    ex.controls(explorer.selection(target="4.1", place="QT-HH", as_of=2025))

Places are judged only against targets that apply to them: the plan's targets apply to the plan's
province (``plan.place``); any other place (a district, a commune, the merged province, Viet Nam) is
shown with its own data, its own illustrative banner and the plan's targets as a reference only.
Breakdowns list only the place's own units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from gender_monitor.core import i18n
from gender_monitor.core.exceptions import Issue, ParameterError
from gender_monitor.publish import display
from gender_monitor.review import state as review_state
from gender_monitor.review.parameters import plan_code

#: Interval levels the explorer offers (the fan is always drawn at 80% and 95%).
LEVELS = (50, 80, 90, 95)
#: Columns of the data table, in order (those present in the rows).
#: (A row's ``note`` is the producer's own remark, often in English: it stays in the data files.)
DATA_COLUMNS = ("year", "value", "numerator", "denominator", "series", "status", "source")
#: The status a data row takes when its value is not published (disclosure control).
HIDDEN = "hidden"


@dataclass(frozen=True)
class Selection:
    """What the analyst looks at. ``series`` "" and ``method`` "auto" are the assessment's own choices."""

    target: str
    place: str
    as_of: int
    series: str = ""
    method: str = "auto"
    level: int = 80
    start: int | None = None
    language: str = "vi"


def selection(*, target: object, place: object, as_of: object, series: str = "", method: str = "auto",
              level: object = 80, start: object = None, language: str = "vi", plan: Any = None,
              places: Any = None) -> Selection:
    """A checked :class:`Selection`; ``target`` may be a number (``4.1`` from papermill's ``-p target 4.1``).

    Raises
    ------
    ParameterError
        An unknown target, place, method or level, naming the parameter and listing the valid values.
    """
    from gender_monitor.forecast.models import METHODS
    from gender_monitor.plan.reference import load_places
    from gender_monitor.plan.registry import load_plan

    plan = plan if plan is not None else load_plan()
    places = places if places is not None else load_places()
    code, where = plan_code(target), review_state.PARAMETERS_CELL
    place = place or plan.plan.place_for(int(as_of))  # type: ignore[call-overload]
    issues = []
    if code not in plan.codes:
        issues.append(Issue.of(where, None, "target", target, "parameters.no_target", code=repr(target),
                               valid=", ".join(plan.codes)))
    if str(place) not in places:
        issues.append(Issue.of(where, None, "place", place, "parameters.unknown_place",
                               valid=places.listed()))
    if method not in ("auto", *METHODS):
        issues.append(Issue.of(where, None, "method", method, "parameters.one_of", valid=", ".join(("auto", *METHODS))))
    if int(level) not in LEVELS:  # type: ignore[call-overload]
        issues.append(Issue.of(where, None, "level", level, "parameters.one_of", valid=", ".join(map(str, LEVELS))))
    if language not in i18n.LANGUAGES:
        issues.append(Issue.of(where, None, "language", language, "parameters.one_of", valid=", ".join(i18n.LANGUAGES)))
    if issues:
        raise ParameterError(issues, "notebook parameters")
    return Selection(code, str(place), int(as_of), str(series or ""), method, int(level),  # type: ignore[call-overload]
                     None if start in (None, "", 0) else int(start), language)  # type: ignore[call-overload]


def targets_apply(plan: Any, place: str) -> bool:
    """Whether the plan's targets judge ``place``: only a province the plan covers (old Quảng Trị until
    2025-06-30, the merged province from 2025-07-01)."""
    return place == plan.plan.place or any(c.place == place for c in plan.plan.coverage)


def own_units(places: Any, place: str, level: str) -> list[str]:
    """The units of ``level`` within ``place`` (communes of its territory; districts of a province)."""
    from gender_monitor.data.harmonise import territory_communes

    if place not in places or places[place].level in ("commune", "country"):
        return []
    if level == "commune":
        return [c for c in territory_communes(places, place) if c != place]
    return [p.code for p in places.children(place, level=level)]


@dataclass(frozen=True)
class View:
    """Everything the explorer shows for one selection (plain frames), and its displayable pieces."""

    selection: Selection
    target: Any
    plan_place: str
    place_name: str
    plan_place_name: str
    judged: bool
    series_options: list[str]
    series: str
    rows: pd.DataFrame
    forecasts: pd.DataFrame
    assessment: pd.DataFrame
    candidates: Any
    chosen: str | None
    pace: pd.DataFrame
    breakdowns: list[tuple[str, pd.DataFrame, str]] = field(default_factory=list)
    illustrative: bool = False
    publish: bool = False
    disclosure_threshold: int = 5
    shown: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The last year a place abolished in the reorganisation existed at the year's end (a district: 2024), or
    #: None: its series and projection stop there.
    ended: int | None = None

    # --- words --------------------------------------------------------------------------------------

    def _t(self, key: str, **values: object) -> str:
        return i18n.t(f"explorer.{key}", self.selection.language, **values)

    def _value(self, x: object) -> str:
        from gender_monitor.judge import messages

        return messages.format_value(x, self.target, self.selection.language)

    def unit_line(self) -> str | None:
        """"Đơn vị tính: ca/100.000 trẻ sinh sống": the unit in the words of the report's unit column
        (:func:`gender_monitor.judge.report.unit_name`, the denominator the plan names), said over each table of
        values; none for a yes/no target, whose cells say "có"/"chưa"."""
        from gender_monitor.judge.report import unit_name

        if self.target.unit == "yes_no":
            return None
        return self._t("unit", unit=unit_name(self.target, self.selection.language))

    def _captioned(self, text: str | None) -> str | None:
        """A table's caption followed by the unit line (either alone when the other is missing)."""
        return " ".join(p for p in (text, self.unit_line()) if p) or None

    def observed_pace(self) -> float | None:
        """Average yearly change of the series, or None: the least-squares slope over its last
        ``assessment.TREND_WINDOW`` values, the observed change the assessment and the report give."""
        from gender_monitor.judge.assessment import TREND_WINDOW

        if len(self.rows) < 2:
            return None
        years = self.rows["year"].to_numpy(dtype=float)
        values = pd.to_numeric(self.rows["value"], errors="coerce").to_numpy(dtype=float)
        ok = np.isfinite(values)
        years, values = years[ok][-TREND_WINDOW:], values[ok][-TREND_WINDOW:]
        if len(years) < 2 or np.ptp(years) == 0:
            return None
        return float(np.polyfit(years, values, 1)[0])

    # --- displayable pieces -------------------------------------------------------------------------

    def header(self) -> display.Section:
        t, lang = self.target, self.selection.language
        name = (t.display_vi or t.name_vi) if lang == "vi" else t.name_en
        return display.Section(i18n.t("indicator.title", lang, code=t.code, name=name[:1].upper() + name[1:]),
                               paragraphs=[self._t("title", code=t.code, place=self.place_name,
                                                   year=self.selection.as_of)], level=2, data_code=t.code)

    def plan_text(self, agencies: Any) -> display.Section:
        from gender_monitor.judge import messages

        t, lang = self.target, self.selection.language
        return display.Section(i18n.t("indicator.plan_text", lang, objective=t.objective), quote=t.text_vi if lang == "vi" else t.name_en,
                               paragraphs=[messages.agencies_sentence(t, self.assessment, agencies, language=lang)])

    def assessment_section(self) -> display.Section:
        """The assessment in words where the plan's targets apply; the place's own figures otherwise."""
        from gender_monitor.judge import messages

        lang = self.selection.language
        title = i18n.t("indicator.assessment", lang)
        if self.judged:
            lines = messages.indicator_sentences(self.assessment, self.target, language=lang,
                                                 place_name=self.place_name)
            return display.Section(title, paragraphs=[self._t("judged_here", place=self.place_name)], bullets=lines)
        lines = []
        if self.rows.empty and self.target.derived_from:
            # A share the plan computes for the province from its units' own counts (6.3 from each commune's
            # news items): a unit has the counts, not the share.
            lines.append(self._t("derived_only", code=self.target.code, source=self.target.derived_from,
                                 place=self.place_name))
        elif self.rows.empty:
            lines.append(self._t("no_data", place=self.place_name, year=self.selection.as_of))
        else:
            last = self.rows.iloc[-1]
            if isinstance(last.get("suppressed"), str) and last["suppressed"]:  # not published: said, as in the table
                lines.append(self._t("latest_hidden", place=self.place_name, year=int(last["year"])))
            else:
                lines.append(self._t("latest", place=self.place_name, value=self._value(last["value"]),
                                     year=int(last["year"])))
            pace = self.observed_pace()
            if pace is not None:
                lines.append(self._t("observed_pace", first=int(self.rows["year"].min()),
                                     last=int(self.rows["year"].max()), pace=self._signed(pace)))
        if self.ended is not None:
            lines.append(self._t("ended", place=self.place_name, last=self.ended))
        return display.Section(title, paragraphs=[self._t("comparison", plan_place=self.plan_place_name,
                                                          place=self.place_name)], bullets=lines)

    def series_note(self) -> display.Section | None:
        if not self.series_options:
            return None
        from gender_monitor.data.harmonise import series_name

        return display.Section(i18n.t("indicator.history", self.selection.language),
                               paragraphs=[self._t("series_note", series=series_name(self.series,
                                                                                     self.selection.language))])

    def chart(self) -> Any:
        """History, projection fan, the plan's targets and the national line (not for Viet Nam itself)."""
        from gender_monitor.publish import charts

        shown = self.shown
        if self.selection.start is not None:
            shown = shown[(shown["place"] != self.selection.place) | (shown["year"] >= self.selection.start)]
        here = (shown["indicator"] == self.target.code) & (shown["place"] == self.selection.place)
        shown = shown[~here | (shown["series"] == self.series)]
        return charts.indicator_chart(shown, self.target, place=self.selection.place, forecasts=self.forecasts,
                                      national_place=None if self.selection.place == "VN" else "VN",
                                      language=self.selection.language, place_name=self.place_name,
                                      title=f"{self.target.code} · {self.place_name}")

    def main_chart(self) -> display.Chart:
        """The main chart as a displayable piece, with its description as alternative text: the chart's own,
        computed from what it draws (:func:`gender_monitor.publish.charts.describe_indicator`)."""
        return display.Chart(self.chart())

    def chart_alt(self) -> str:
        """The main chart in one sentence, for a reader who cannot see it (alternative text): the indicator and
        place, its unit, the span and last value of the series, each target and the projection at each target
        year with its intervals."""
        from gender_monitor.publish import charts

        figure = self.chart()
        return charts.alt_text(figure)

    def models_section(self) -> display.Section:
        lang = self.selection.language
        reason = self.candidates.reason
        extra = ([i18n.t("messages.models_suppressed", lang)] if reason == "suppressed"
                 else [i18n.t("messages.models_too_short", lang, n=len(self.rows))] if reason else [])
        if self.chosen:
            from gender_monitor.forecast.brief import method_brief

            n_obs = int(self.forecasts["n_obs"].iloc[0]) if "n_obs" in self.forecasts else len(self.rows)
            extra.append(method_brief(self.chosen, n_obs, scores=self.candidates.scores, language=lang,
                                      chosen_by_reader=self.selection.method != "auto"))
        return display.Section(i18n.t("indicator.models", lang),
                               paragraphs=[i18n.t("messages.models_note", lang), *extra])

    def models_chart(self) -> display.Chart | None:
        """Every candidate model's path and back-test error, described in words from what it draws."""
        from gender_monitor.publish import charts

        if not len(self.candidates.paths):
            return None
        return display.Chart(charts.candidates_chart(self.rows, self.candidates.paths, self.candidates.scores,
                                                     target=self.target, chosen=self.chosen,
                                                     language=self.selection.language))

    def models_table(self) -> display.Table | None:
        lang = self.selection.language
        if not len(self.candidates.paths):
            return None
        # The year looked from and the plan's target years, in order, after the last value (and, for a place
        # abolished in 2025, not after its last year).
        years = sorted(y for y in {self.selection.as_of, 2025, 2030} if int(self.rows["year"].max()) < y
                       and (self.ended is None or y <= self.ended)) if len(self.rows) else []
        scores = self.candidates.scores.set_index("method") if len(self.candidates.scores) else pd.DataFrame()
        # "Used for the assessment": the method the assessment projected with (the plan's own, whatever method
        # the analyst picked for the fan; none of these for a count's Poisson trend or a milestone); the fan's
        # where nothing is judged here.
        used = self.chosen
        if self.judged:
            judged_by = (self.assessment["method"].dropna().astype(str).tolist()
                         if "method" in self.assessment.columns else [])
            used = judged_by[0] if judged_by else None
        out = []
        for m in dict.fromkeys(self.candidates.paths["method"]):
            path = self.candidates.paths[self.candidates.paths["method"] == m].set_index("year")["value"]
            row = {i18n.t("table.method", lang): i18n.t(f"methods.{m}", lang)}
            for y in years:
                row[i18n.t("table.projection", lang, year=y).split(" (")[0]] = self._value(path.get(y))
            has = m in scores.index
            row[i18n.t("table.mae", lang)] = i18n.number(scores.loc[m, "mae"], lang, 2) if has else "–"
            row[i18n.t("table.smape", lang)] = i18n.number(scores.loc[m, "smape"], lang, 1) if has else "–"
            row[i18n.t("table.used", lang)] = "◆" if m == used else ""
            out.append(row)
        return display.Table(pd.DataFrame(out), caption=self._captioned(self._filtered_start()))

    def _filtered_start(self) -> str | None:
        """Said when the models start from a level with the counts' chance variation taken out, not from the last
        value (a sex ratio from a year's births): the last value "kept" would otherwise look misread."""
        paths = self.candidates.paths
        naive = paths[paths["method"] == "naive"].sort_values("year")  # a path starts from the last value
        if len(naive) < 2:
            return None
        observed, level = (self._value(v) for v in naive["value"].iloc[:2])
        if level == observed:
            return None
        return self._t("models_filtered", level=level, last=observed, year=int(naive["year"].iloc[0]),
                       naive=i18n.t("methods.naive", self.selection.language))

    def forecast_table(self) -> display.Table | None:
        """The projection of the series at the selected interval level, with a CSV download."""
        lvl, lang = self.selection.level, self.selection.language
        if self.forecasts.empty or f"lo-{lvl}" not in self.forecasts.columns:
            return None
        c = lambda k: self._t(f"columns.{k}")  # noqa: E731 - local shorthand
        frame = pd.DataFrame({c("year"): self.forecasts["year"].astype(int),
                              c("median"): self.forecasts["median"].map(self._value),
                              c("lo"): self.forecasts[f"lo-{lvl}"].map(self._value),
                              c("hi"): self.forecasts[f"hi-{lvl}"].map(self._value)})
        method = str(self.forecasts["method"].iloc[0])
        label = i18n.t(f"methods.{method}", lang) if method in i18n.catalogue(lang)["methods"] else method
        return display.Table(frame, caption=self._captioned(self._t("forecast_table", method=label, level=lvl)),
                             numbers=self.forecast_numbers(),
                             **self._download(f"{self.target.code}-{self.selection.place}-forecast.csv"))

    def forecast_numbers(self) -> pd.DataFrame:
        """The projection at the selected level as numbers, with its unit, level and method in words."""
        lvl, lang = self.selection.level, self.selection.language
        n = lambda k: self._t(f"numbers.{k}")  # noqa: E731 - local shorthand
        columns = [self._t("columns.year"), n("median"), n("lo"), n("hi"), n("unit"), n("level"), n("method")]
        if self.forecasts.empty or f"lo-{lvl}" not in self.forecasts.columns:
            return pd.DataFrame(columns=columns)
        method = str(self.forecasts["method"].iloc[0])
        label = i18n.t(f"methods.{method}", lang) if method in i18n.catalogue(lang)["methods"] else method
        fc = self.forecasts
        return pd.DataFrame(dict(zip(columns, (
            fc["year"].astype(int).tolist(), [_number(v) for v in fc["median"]],
            [_number(v) for v in fc[f"lo-{lvl}"]], [_number(v) for v in fc[f"hi-{lvl}"]],
            self._unit_said(), lvl, label)))).reindex(columns=columns)

    def _unit_said(self) -> str:
        """The unit of a column of numbers: the report's unit column's words; a yes/no target's 1 and 0 said."""
        from gender_monitor.judge.report import unit_name

        return self._t("numbers.yes_no") if self.target.unit == "yes_no" else unit_name(self.target,
                                                                                       self.selection.language)

    def pace_table(self) -> display.Section | display.Page:
        """"What pace is needed": the yearly change from the latest value to each target, against the observed."""
        from gender_monitor.judge import messages

        lang = self.selection.language
        title = self._t("pace")
        if self.pace.empty:
            return display.Section(title, paragraphs=[self._t("pace_none")])
        notes = [] if self.judged else [self._t("pace_reference", plan_place=self.plan_place_name,
                                                 place=self.place_name)]
        c = lambda k: self._t(f"columns.{k}")  # noqa: E731 - local shorthand
        frame = pd.DataFrame({
            c("target_year"): self.pace["target_year"],
            # The target as the report writes it ("<42/100.000", not the edge "42,0/100.000"); "khoảng 45% (từ 44%
            # trở lên)" for an approximate one: the pace runs to its edge, 44%.
            c("target"): [messages.target_text(self.target, int(y), lang) for y in self.pace["target_year"]],
            c("latest"): [f"{self._value(v)} ({y})" for v, y in zip(self.pace["latest"], self.pace["latest_year"])],
            c("required"): [self._required(x, met) for x, met in zip(self.pace["required"], self.pace["met"])],
            c("observed"): self.pace["observed"].map(self._signed),
            c("verdict"): [self._verdict(ok, met) or "–" for ok, met in zip(self.pace["on_pace"], self.pace["met"])],
        })
        return display.Page([display.Section(title, paragraphs=[self._t("pace_note"), *notes]),
                             display.Table(frame, caption=self.unit_line(), numbers=self.pace_numbers(),
                                           **self._download(f"{self.target.code}-{self.selection.place}-pace.csv"))])

    def pace_numbers(self) -> pd.DataFrame:
        """The pace table as numbers: the target's level (the edge the pace runs to), the latest value and its
        year, the yearly changes needed and observed and what they are counted in, beside the page's words."""
        from gender_monitor.judge import messages
        from gender_monitor.judge.report import pace_unit

        lang = self.selection.language
        c = lambda k: self._t(f"columns.{k}")  # noqa: E731 - local shorthand
        n = lambda k: self._t(f"numbers.{k}")  # noqa: E731 - local shorthand
        columns = [c("target_year"), c("target"), n("target"), n("unit"), n("latest"), n("latest_year"),
                   n("required"), n("observed"), n("pace_unit"), c("verdict")]
        pace = self.pace
        if pace.empty:
            return pd.DataFrame(columns=columns)
        return pd.DataFrame(dict(zip(columns, (
            pace["target_year"].astype(int).tolist(),
            [messages.target_text(self.target, int(y), lang) for y in pace["target_year"]],
            [_number(v) for v in pace["target"]], self._unit_said(), [_number(v) for v in pace["latest"]],
            pace["latest_year"].astype(int).tolist(), [_number(v) for v in pace["required"]],
            [_number(v) for v in pace["observed"]], pace_unit(self.target, lang),
            [self._verdict(ok, met) for ok, met in zip(pace["on_pace"], pace["met"])],
        )))).reindex(columns=columns)

    def _required(self, x: float, met: bool) -> str:
        """The pace-needed cell: the signed yearly change still needed; for a target the latest value already
        meets, the room it leaves, said as room ("có thể tăng tối đa 0,7 … mỗi năm mà vẫn đạt" for "<42" from
        38,3), not as a change needed ("+0,7 … mỗi năm" read as if a rise were asked for)."""
        if not met:
            return self._signed(x)
        way = self._t(f"room_way.{self.target.direction}")
        if x == 0:  # at the edge itself (100% to keep at 100%): no room either way
            return self._t("room_none", way=way)
        return self._t("room", way=way, room=self._signed(abs(x)).removeprefix("+"))

    def _verdict(self, on: bool | None, met: bool) -> str:
        """The comparison cell: fast enough or not; for a target already met, whether the observed change, kept up,
        keeps it met ("nếu giữ tốc độ này thì vẫn đạt") or takes it past its edge; empty when it is unknown."""
        if on is None:
            return ""
        if met:
            return self._t("room_kept" if on else "room_lost")
        return self._t("on_pace" if on else "off_pace")

    def data_table(self) -> display.Page:
        """The rows behind the chart (the selected series at the place), with a CSV download of them and the
        view's workbook (:meth:`workbook`)."""
        from gender_monitor.data.harmonise import series_name

        lang = self.selection.language
        frame = self._data_rows()
        numbers = self._data_numbers(frame)
        # A value not published says so, in the report's words, where its number would be (as the report's
        # tables do), not "–" (no value); its status column says the same.
        hidden = (frame["status"] == HIDDEN).to_numpy()
        frame["value"] = [self._hidden_said() if h else self._value(v) for h, v in zip(hidden, frame["value"])]
        frame = frame.rename(columns={c: self._t(f"columns.{c}") for c in frame.columns})
        count = lambda x: i18n.number(None if x is None or pd.isna(x) else float(x), lang, 0)  # noqa: E731
        formatters = {self._t("columns.numerator"): count, self._t("columns.denominator"): count,
                      self._t("columns.series"): lambda s: series_name(str(s), lang),
                      self._t("columns.status"): self._status_said,
                      self._t("columns.source"): lambda s: "–" if s is None or pd.isna(s) else str(s)}
        name = f"{self.target.code}-{self.selection.place}.csv"
        # The CSV says what the page says (status and series in words, values in their unit), but writes a
        # count without its thousands point: Excel set for English reads "27.602" as 27,6.
        whole = lambda x: "–" if x is None or pd.isna(x) else str(int(round(float(x))))  # noqa: E731
        plain = {self._t("columns.numerator"): whole, self._t("columns.denominator"): whole}
        return display.Page([display.Section(self._t("data"), paragraphs=[self._t("data_note")]),
                             display.Table(frame, caption=self.unit_line(), formatters=formatters, csv_formatters=plain,
                                           numbers=numbers, **self._download(name)),
                             self.workbook_download()])

    def _data_rows(self) -> pd.DataFrame:
        """The data table's rows with their codes: an illustrative row's source said as such; a value not
        published (disclosure control) has nothing of its own left: value, numerator, denominator and source
        None, status :data:`HIDDEN` (its status, "minh họa" or "sơ bộ", and an illustrative source would say
        what kind of value is hidden)."""
        columns = [c for c in DATA_COLUMNS if c in self.rows.columns]
        frame = self.rows[columns].copy()
        if "status" not in frame.columns:
            frame["status"] = ""
        if "source" in frame.columns:  # invented rows: say so, not the generator
            frame.loc[frame["status"] == "illustrative", "source"] = i18n.t("indicator.illustrative_source",
                                                                            self.selection.language)
        if "suppressed" in self.rows.columns:
            hidden = (self.rows["suppressed"].fillna("").astype(str) != "").to_numpy()
            for col in ("value", "numerator", "denominator", "source"):
                if col in frame.columns:
                    frame[col] = frame[col].astype(object)
                    frame.loc[hidden, col] = None
            frame.loc[hidden, "status"] = HIDDEN
        return frame

    def _hidden_said(self) -> str:
        """A value not published, in the report's words ("không công bố (để bảo mật)"): the same in the page, its
        CSV and the workbook, whatever the reason (the reasons are said in the report's footnote, never per value:
        "small complement" would tell that nearly everyone was helped)."""
        return i18n.t("report.suppressed", self.selection.language)

    def _status_said(self, status: object) -> str:
        """A row's status in words, as the page, its CSV and the workbook say it; a hidden value's is
        :meth:`_hidden_said`."""
        lang = self.selection.language
        if status == HIDDEN:
            return self._hidden_said()
        return i18n.t(f"data_status.{status}", lang) if status in i18n.catalogue(lang)["data_status"] else str(status)

    def _data_numbers(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The data table's rows (``frame``: its codes, a hidden value already None) as numbers: year, value,
        unit, numerator and denominator, then the series, status and source in words as the page has them."""
        from gender_monitor.data.harmonise import series_name

        lang = self.selection.language
        c = lambda k: self._t(f"columns.{k}")  # noqa: E731 - local shorthand
        out = pd.DataFrame({c("year"): frame["year"].astype(int).tolist(),
                            self._t("numbers.value"): [_number(v) for v in frame["value"]],
                            self._t("numbers.unit"): self._unit_said()})
        for col in ("numerator", "denominator"):
            if col in frame.columns:
                out[c(col)] = [_number(v) for v in frame[col]]
        words = {"series": lambda s: series_name(str(s), lang), "status": self._status_said,
                 "source": lambda s: "" if s is None or (isinstance(s, float) and pd.isna(s)) else str(s)}
        for col, said in words.items():
            if col in frame.columns:
                out[c(col)] = [said(v) for v in frame[col]]
        return out

    def workbook(self) -> bytes:
        """The view's tables as an Excel workbook, for the department: the data, the projection and the pace
        needed, one sheet each, numbers as numbers (a sum, a chart or a format works on them; Excel set for
        Vietnamese opens it in columns, which a CSV it splits on ";" does not), each value's unit, status and
        source in words; the illustrative-data banner over every sheet where the data are illustrative; a last
        sheet saying what the file is."""
        from gender_monitor.publish import office

        sheets = {self._t("sheets.data"): self._data_numbers(self._data_rows()),
                  self._t("sheets.forecast"): office.said_empty(self.forecast_numbers(), self._t("sheets.no_forecast")),
                  self._t("sheets.pace"): office.said_empty(self.pace_numbers(), self._t("pace_none"))}
        header = self.header()
        notes = [header.paragraphs[0], *(p for p in (self.unit_line(), self.banner()) if p),
                 self._t("data_note"), self._t("pace_note")]
        if not self.judged and not self.pace.empty:
            notes.append(self._t("pace_reference", plan_place=self.plan_place_name, place=self.place_name))
        return office.workbook(sheets, title=header.title, notes=notes, notes_sheet=self._t("sheets.notes"),
                               banner=self.banner())

    def workbook_download(self) -> display.Download:
        """The workbook offered under the data table (``4.2-QT25.xlsx``)."""
        return display.Download(self.workbook(), f"{self.target.code}-{self.selection.place}.xlsx",
                                self._t("workbook"))

    def _download(self, name: str) -> dict[str, Any]:
        """A table's CSV offer: its file name, the link's words in the reader's language and, for illustrative
        data, the banner the CSV carries above its header (read on its own, it has no page to say so)."""
        return {"download": name, "download_label": i18n.t("brief.download", self.selection.language),
                "banner": self.banner()}

    def breakdown_charts(self) -> list[Any]:
        """Ranked bars of the place's own units (communes, then old districts), each with its title."""
        from gender_monitor.publish import charts

        out = []
        for _level, frame, title in self.breakdowns:
            out.append(charts.ranked_bars(frame, language=self.selection.language,
                                          threshold=self.target.min_items_per_quarter,
                                          suppressed_threshold=self.disclosure_threshold if self.publish else None,
                                          title=title))
        return out

    def breakdown_page(self) -> display.Page | None:
        """The breakdown charts as one displayable piece (None when the place has no units with data)."""
        charts_ = self.breakdown_charts()
        return display.Page([display.Chart(f) for f in charts_]) if charts_ else None

    def comparison_places(self, places: Any) -> list[str]:
        """The province and its predecessors or successors (former and merged province) with data."""
        here = self.selection.place
        if here not in places or places[here].level != "province":
            return []
        related = [here, *places[here].successors] + sorted(c for c in places.codes if here in places[c].successors)
        shown = self.shown
        have = set(shown.loc[(shown["indicator"] == self.target.code) & shown["quarter"].isna(), "place"])
        out = [p for p in dict.fromkeys(related) if p in have and places[p].level == "province"]
        return out if len(out) > 1 else []

    def comparison_section(self, places: Any) -> display.Section | None:
        lang = self.selection.language
        if not self.comparison_places(places):
            return None
        return display.Section(i18n.t("indicator.old_new", lang), paragraphs=[i18n.t("messages.old_new", lang)])

    def comparison_chart(self, places: Any) -> display.Chart | None:
        """The former and the merged province side by side (never joined into one series), described in words."""
        from gender_monitor.publish import charts

        codes = self.comparison_places(places)
        if not codes:
            return None
        return display.Chart(charts.comparison_chart(
            self.shown, self.target, codes, [review_state.place_label(places, c, self.selection.language)
                                             for c in codes], forecasts=None, language=self.selection.language))

    def breakdown_section(self) -> display.Section:
        lang = self.selection.language
        if not self.breakdowns:
            return display.Section(i18n.t("indicator.breakdown", lang), paragraphs=[i18n.t("indicator.no_breakdown", lang)])
        notes = [self._t("breakdown_own", place=self.place_name)]
        if any(frame["illustrative"].any() for _, frame, _ in self.breakdowns):
            notes.append(i18n.t("messages.breakdown_note", lang))
        return display.Section(i18n.t("indicator.breakdown", lang), paragraphs=notes)

    def banner(self) -> str | None:
        from gender_monitor.publish import brief

        return brief.words(self.selection.language)["illustrative"] if self.illustrative else None

    def page(self, agencies: Any = None, places: Any = None) -> display.Page:
        """The whole view, in order (what the widget shows)."""
        parts: list[Any] = [self.header()]
        if agencies is not None:
            parts.append(self.plan_text(agencies))
        parts += [self.assessment_section(), self.series_note(), self.main_chart(),
                  self.forecast_table(),
                  self.pace_table(), self.data_table(), self.models_section()]
        if len(self.candidates.paths):
            parts += [self.models_chart(), self.models_table()]
        if places is not None and self.comparison_places(places):
            parts += [self.comparison_section(places), self.comparison_chart(places)]
        parts += [self.breakdown_section(), self.breakdown_page()]
        return display.Page([p for p in parts if p is not None], banner=self.banner())

    def _signed(self, x: object) -> str:
        """A yearly pace with its unit and decimals, as the report writes it (``−0,09 lần so với nam giới mỗi năm``,
        ``+0,1 điểm phần trăm mỗi năm``): :func:`gender_monitor.judge.report.signed_pace`, the one rule of both."""
        from gender_monitor.judge.report import signed_pace

        if x is None or (isinstance(x, float) and not math.isfinite(x)):
            return "–"
        return signed_pace(x, self.target, self.selection.language)


def _number(x: object) -> float | None:
    """A value for a spreadsheet: a number to the precision the report's workbook gives (3 decimals), or empty."""
    try:
        x = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return round(x, 3) if math.isfinite(x) else None


def explore(state: review_state.ReviewState, sel: Selection, *, plan: Any, places: Any, agencies: Any = None) -> View:
    """The view of one selection, computed from a review state looking from ``sel.as_of``.

    The series is the selection's or, by default, the one the assessment chooses (latest data, then most
    points); the projection is the state's own unless a method, interval level or start year is chosen,
    when the series is projected again with those settings. In publication mode a series with a
    suppressed value gets neither projection nor candidate models (they would estimate the hidden counts).
    """
    t = plan.target(sel.target)
    judged = targets_apply(plan, sel.place)
    options, default, series, rows = _series_rows(state, sel, t.code, places)
    hidden = bool((rows["suppressed"].astype(str) != "").any()) if "suppressed" in rows.columns else False
    forecasts = _forecasts(state, sel, plan, t.code, series, rows, hidden)
    ended = _ended(places, sel.place)
    if ended is not None and len(forecasts):  # a district abolished in 2025 is not projected to 2030
        forecasts = forecasts[forecasts["year"] <= ended].reset_index(drop=True)
    chosen = str(forecasts["method"].iloc[0]) if len(forecasts) else None
    assessment = _assessment(state, sel, plan, places, agencies, t.code, series, default, judged)
    candidates = _candidates(rows, t.unit, plan.plan.end_year, hidden)
    breakdowns = _breakdowns(state, sel, plan, places, t.code)
    illustrative = bool((rows["status"] == "illustrative").any()) or any(
        bool(f["illustrative"].any()) for _, f, _ in breakdowns)
    if judged and len(assessment) and "illustrative" in assessment.columns:
        illustrative |= bool(assessment["illustrative"].fillna(False).astype(bool).any())

    lang, plan_place = sel.language, plan.plan.place_for(sel.as_of)  # the province the plan covers that year
    view = View(selection=replace(sel, series=series), target=t, plan_place=plan_place,
                place_name=review_state.place_label(places, sel.place, lang),
                plan_place_name=review_state.place_label(places, plan_place, lang), judged=judged,
                series_options=options, series=series, rows=rows, forecasts=forecasts, assessment=assessment,
                candidates=candidates, chosen=chosen, pace=pd.DataFrame(), breakdowns=breakdowns,
                illustrative=illustrative, publish=state.publish,
                disclosure_threshold=state.disclosure_threshold, shown=state.shown, ended=ended)
    return replace(view, pace=pace_needed(view))


def _ended(places: Any, code: str) -> int | None:
    """The last year-end an abolished place existed (Hướng Hóa district, abolished on 1 July 2025: 2024), or None
    for a place that still exists or whose territory is still tracked (old Quảng Trị)."""
    place = places[code] if places is not None and code in places else None
    if place is None or place.after_end != "abolished" or place.valid_to is None:
        return None
    # A year counts when the place exists at its end (Place.exists_on of a year).
    return place.valid_to.year if place.exists_on(place.valid_to.year) else place.valid_to.year - 1


def _series_rows(state: review_state.ReviewState, sel: Selection, code: str,
                 places: Any = None) -> tuple[list[str], str, str, pd.DataFrame]:
    """The place's series of ``code`` up to ``as_of`` (latest first), the default one, the one shown and its
    rows (from the start year, by year)."""
    all_rows = review_state.series_of(state.shown, code, sel.place)
    all_rows = all_rows[all_rows["year"] <= sel.as_of]
    options = list(dict.fromkeys(all_rows.sort_values("year", ascending=False)["series"].astype(str)))
    by_latest = all_rows.groupby("series")["year"].agg(["max", "count"]).sort_values(["max", "count"], ascending=False)
    default = str(by_latest.index[0]) if len(by_latest) else ""
    if sel.series and sel.series not in options:  # a typo would otherwise show the default series silently
        valid = ", ".join(repr(o) for o in options if o) or "–"
        name = {lang: review_state.place_label(places, sel.place, lang) if places is not None else sel.place
                for lang in ("vi", "en")}
        raise ParameterError([Issue.of(review_state.PARAMETERS_CELL, None, "series", sel.series,
                                       "parameters.no_series", code=code, place=name, place_code=sel.place,
                                       year=sel.as_of, valid=valid)],
                             "notebook parameters")
    series = sel.series or default
    rows = all_rows[all_rows["series"] == series]
    if sel.start is not None:
        rows = rows[rows["year"] >= sel.start]
    return options, default, series, rows.sort_values("year").reset_index(drop=True)


def _forecasts(state: review_state.ReviewState, sel: Selection, plan: Any, code: str, series: str,
               rows: pd.DataFrame, hidden: bool) -> pd.DataFrame:
    """The state's own projection for the default choices, else the series projected again."""
    from gender_monitor.forecast.projection import project

    fc = state.forecasts
    own = fc[(fc["indicator"] == code) & (fc["place"] == sel.place) & (fc["series"] == series)]
    if "sex" in own.columns and (own["sex"] == "").any():
        own = own[own["sex"] == ""]
    default_choice = sel.method == "auto" and sel.start is None and sel.level in (80, 95)
    if hidden or rows.empty:
        return own.iloc[0:0]
    if default_choice and len(own):
        return own.reset_index(drop=True)
    raw = state.observations
    fit = raw[(raw["indicator"] == code) & (raw["place"] == sel.place) & (raw["series"] == series)
              & raw["quarter"].isna() & (raw["sex"] == "") & (raw["year"] <= sel.as_of)]
    if sel.start is not None:
        fit = fit[fit["year"] >= sel.start]
    return project(fit, until=plan.plan.end_year, units=plan.units(), method=sel.method,
                   level=tuple(sorted({80, 95, sel.level}))).forecasts


def _assessment(state: review_state.ReviewState, sel: Selection, plan: Any, places: Any, agencies: Any,
                code: str, series: str, default: str, judged: bool) -> pd.DataFrame:
    """The target's assessment, only where the plan's targets apply; judged again on the series and start
    year chosen (suppressed and masked as the state's own when publishing)."""
    from gender_monitor.judge.assessment import assess

    assessment = state.assessment[state.assessment["code"] == code]
    if not judged:
        return assessment.iloc[0:0]
    if sel.place == state.place and series == default and sel.start is None:
        return assessment
    from gender_monitor.data.harmonise import whole_year_series

    obs = state.observations
    here = (obs["indicator"] == code) & (obs["place"] == sel.place)
    # The series chosen, with its part years (6.3's Q3–Q4 of 2025): the assessment judges their year on them.
    keep = ~here | (obs["series"] == series) | (obs["series"].map(whole_year_series) == series)
    if sel.start is not None:
        keep &= ~here | (obs["year"] >= sel.start)
    assessment = assess(obs[keep & (obs["year"] <= sel.as_of)], plan=plan, places=places, agencies=agencies,
                        place=sel.place, as_of=sel.as_of, codes=[code])
    if state.publish:
        from gender_monitor.publish import disclosure

        assessment, _ = disclosure.suppress(assessment, plan, threshold=state.disclosure_threshold,
                                            publish=True, places=places)
        assessment = review_state._mask_assessment(assessment, state.shown, plan)
    return assessment


def _candidates(rows: pd.DataFrame, unit: str, until: int, hidden: bool) -> Any:
    """The candidate models' back-test on the rows shown (none for a hidden or one-point series)."""
    from gender_monitor.forecast.candidates import Candidates, compare

    if hidden or len(rows) < 2:
        return Candidates(pd.DataFrame(columns=["method", "year", "value"]),
                          pd.DataFrame(columns=["method", "mae", "smape", "n_errors", "n_cuts"]),
                          reason="suppressed" if hidden else "too short")
    return compare(rows, unit, until=until)


def _breakdowns(state: review_state.ReviewState, sel: Selection, plan: Any, places: Any,
                code: str) -> list[tuple[str, pd.DataFrame, str]]:
    """(level, latest values of the place's own units, title) for each breakdown level that has data."""
    out = []
    for level in review_state.BREAKDOWN_LEVELS:
        units = set(own_units(places, sel.place, level))
        if not units:
            continue
        frame = review_state.breakdown(state, code, places, plan, level=level, language=sel.language)
        frame = frame[frame["place"].isin(units)].reset_index(drop=True)
        if len(frame):
            title = (f"{code} · {i18n.t(f'indicator.by_{level}', sel.language)} · "
                     f"{i18n.t('charts.latest_of', sel.language, year=int(frame['year'].iloc[0]))}")
            out.append((level, frame, title))
    return out


def pace_needed(view: View) -> pd.DataFrame:
    """Per target year after the latest value: the yearly change needed to reach the target, and the observed.

    Only level and maintain targets (a value to reach); ``on_pace`` says whether the observed average
    change goes at least as fast, in the target's direction, as the one needed (None when unknown); ``met``
    whether the latest value already meets the target (``required`` is then the room left, not a change asked).
    """
    t, rows = view.target, view.rows
    columns = ["target_year", "target", "latest", "latest_year", "required", "observed", "on_pace", "met"]
    values = pd.to_numeric(rows["value"], errors="coerce") if len(rows) else pd.Series(dtype=float)
    if t.kind not in ("level", "maintain") or values.notna().sum() < 2 or (
            "suppressed" in rows.columns and (rows["suppressed"].astype(str) != "").any()):
        return pd.DataFrame(columns=columns)
    latest, year = float(values.dropna().iloc[-1]), int(rows.loc[values.notna(), "year"].iloc[-1])
    observed = view.observed_pace()
    out = []
    for tv in t.targets:
        if tv.year <= year:
            continue
        # To the edge the assessment judges against (44% for "khoảng 45%"), as the report's required change.
        level = float(tv.threshold(t.direction))
        required = (level - latest) / (tv.year - year)
        sign = -1.0 if t.direction == "lower" else 1.0
        # Fast enough when the observed change keeps to the one needed; a target already met has room
        # (``required`` then points away from it), and a change larger than that room crosses back.
        on = None if observed is None else bool(sign * observed >= sign * required)
        out.append({"target_year": tv.year, "target": level, "latest": latest, "latest_year": year,
                    "required": required, "observed": observed, "on_pace": on,
                    "met": bool(tv.met_by(latest, t.direction))})
    return pd.DataFrame(out, columns=columns)


class Explorer:
    """Widgets over :func:`explore`: indicator, place, year, series, method, level and start year.

    The review state is computed once per year looked from (through
    :func:`gender_monitor.review.runner.shared_result`, so a notebook's own state is reused and an edited
    data file is noticed). ``controls()`` returns the widget; every change re-renders ``output`` (an
    ``ipywidgets.HTML``) from the new view, kept in ``view``.
    """

    def __init__(self, *, language: str = "vi", publish: bool = False, disclosure_threshold: int = 5,
                 plan: Any = None, places: Any = None, agencies: Any = None) -> None:
        from gender_monitor.plan.reference import load_agencies, load_places
        from gender_monitor.plan.registry import load_plan

        self.language, self.publish, self.disclosure_threshold = language, publish, disclosure_threshold
        self.plan = plan if plan is not None else load_plan()
        self.places = places if places is not None else load_places()
        self.agencies = agencies if agencies is not None else load_agencies()
        self.view: View | None = None
        self.output: Any = None
        self._widgets: dict[str, Any] = {}
        self._busy = False
        self._shown: Selection | None = None

    def state(self, as_of: int, place: str | None = None) -> review_state.ReviewState:
        """The review's state looking from ``as_of``, judged at ``place`` when it is a province the plan covers
        (old Quảng Trị, the merged province: a review of either shares its state with its other notebooks), else
        at the place the plan covers in that year (old Quảng Trị to 2024, the merged province from 2025), as that
        year's report judges it, with the same series."""
        from gender_monitor.review.notebook import shared_result

        covered = {span.place for span in self.plan.plan.coverage} | {self.plan.plan.place}
        judged = place if place in covered else self.plan.plan.place_for(as_of)
        return shared_result("review-state", review_state.compute_review_state, as_of=as_of,
                             place=judged, publish=self.publish,
                             disclosure_threshold=self.disclosure_threshold)

    def explore(self, sel: Selection) -> View:
        self._shown = sel
        self.view = explore(self.state(sel.as_of, sel.place), sel, plan=self.plan, places=self.places,
                            agencies=self.agencies)
        return self.view

    def place_options(self, as_of: int | None = None, target: str | None = None, *,
                      keep: str | None = None) -> list[tuple[str, str]]:
        """Provinces first (the plan's, then the others), Viet Nam, then districts and communes.

        With ``as_of``, only the places that exist by the end of that year or before it (an abolished district
        keeps its history), and the provinces the plan covers (the merged province's history is re-based): the
        new communes formed on 1 July 2025 are not offered for 2021–2024, when they neither existed nor had data.
        With ``target`` too, only the places with a value of that target up to ``as_of``, or of an input the
        plan computes it from (6.3 from each commune's news items): the old districts for 3.5a and 3.5b, which
        alone have values there, not for 4.1. The provinces the plan covers are always offered (their targets
        are judged there, their history re-based; no value is a finding). ``keep``, a place chosen explicitly
        (a parameter), is offered all the same, marked when it has no value of the target.
        """
        import datetime as dt

        order = {"province": 0, "country": 1, "district": 2, "commune": 3}
        covered = {span.place for span in self.plan.plan.coverage} | {self.plan.plan.place}
        have = self._places_with(target, as_of) if target is not None and as_of is not None else None

        def of_the_year(c: str) -> bool:
            valid_from = self.places[c].valid_from
            return as_of is None or c in covered or valid_from is None or valid_from <= dt.date(int(as_of), 12, 31)

        codes = [c for c in self.places.codes
                 if c == keep or (of_the_year(c) and (have is None or c in have or c in covered))]
        codes = sorted(codes, key=lambda c: (c != self.plan.plan.place, order.get(self.places[c].level, 9), c))
        none = f" ({i18n.t('explorer.controls.no_data', self.language)})"

        def label(c: str) -> str:  # only a place kept without a value of the target is marked
            marked = have is not None and c not in have and c not in covered
            return f"{c} · {review_state.place_label(self.places, c, self.language)}" + (none if marked else "")

        return [(label(c), c) for c in codes]

    def _places_with(self, target: str, as_of: int) -> set[str]:
        """The places with a value of ``target`` up to ``as_of``, or of an input the plan computes it from, in the
        review state of that year (the one a place outside the plan's provinces is shown from)."""
        codes = {target} | {i.code for i in self.plan.inputs if i.feeds == target}
        shown = self.state(as_of).shown
        return set(shown.loc[shown["indicator"].isin(codes) & (shown["year"] <= as_of), "place"].astype(str))

    def _place_options(self, sel: Selection) -> list[tuple[str, str]]:
        """The places offered for a selection: those of its year with values of its target, its place kept."""
        return self.place_options(sel.as_of, sel.target, keep=sel.place)

    def year_options(self) -> list[int]:
        """The years an analyst may look from: the plan's first year to this year (the suite's clock), within
        the plan's period and at least to its mid-term year: in December 2026 the yearly report's 2026 too."""
        from gender_monitor.core import clock

        plan = self.plan.plan
        last = max(plan.midterm_year, min(plan.end_year, clock.today().year), plan.start_year)
        return list(range(plan.start_year, last + 1))

    def controls(self, sel: Selection) -> Any:
        """The explorer as a widget: the controls above the rendered view."""
        import ipywidgets as w
        from gender_monitor.forecast.models import METHODS
        from gender_monitor.judge import messages

        lang = self.language
        label = lambda k: i18n.t(f"explorer.controls.{k}", lang)  # noqa: E731 - local shorthand
        layout = w.Layout(width="auto")
        style = {"description_width": "initial"}
        self._widgets = {
            "target": w.Dropdown(options=[(f"{t.code} · {messages.short_name(t, lang, 60)}", t.code)
                                          for t in self.plan.targets], value=sel.target,
                                 description=label("target"), layout=layout, style=style),
            "place": w.Dropdown(options=self._place_options(sel), value=sel.place,
                                description=label("place"), layout=layout, style=style),
            "as_of": w.Dropdown(options=sorted(set(self.year_options()) | {sel.as_of}), value=sel.as_of,
                                description=label("as_of"), style=style),
            "series": w.Dropdown(options=[(label("default"), "")], value="", description=label("series"),
                                 style=style),
            "method": w.Dropdown(options=[(label("default"), "auto")] + [(i18n.t(f"methods.{m}", lang), m)
                                                                         for m in METHODS],
                                 value=sel.method, description=label("method"), style=style),
            "level": w.Dropdown(options=list(LEVELS), value=sel.level, description=label("level"), style=style),
            "start": w.Dropdown(options=[(label("all_years"), 0)], value=0, description=label("start"), style=style),
        }
        self.output = w.HTML()
        for widget in self._widgets.values():
            widget.observe(self._changed, names="value")
        self.render(sel)
        rows = [w.HBox([self._widgets["target"], self._widgets["place"], self._widgets["as_of"]]),
                w.HBox([self._widgets[k] for k in ("series", "method", "level", "start")])]
        return w.VBox([*rows, self.output])

    def selection(self) -> Selection:
        """The selection the controls show now."""
        v = {k: wd.value for k, wd in self._widgets.items()}
        return selection(target=v["target"], place=v["place"], as_of=v["as_of"], series=v["series"],
                         method=v["method"], level=v["level"], start=v["start"] or None, language=self.language,
                         plan=self.plan, places=self.places)

    def render(self, sel: Selection) -> View:
        """Compute the view of ``sel``, bring the dependent controls in line with it, and show it."""
        self.output.value = str(display.Section("", paragraphs=[i18n.t("explorer.controls.computing", self.language)],
                                                level=4).html())
        view = self.view if self._shown == sel and self.view is not None else self.explore(sel)
        years = sorted(review_state.series_of(view.shown, view.target.code, sel.place)
                       .query("series == @view.series")["year"].astype(int).unique())
        if sel.start is not None and sel.start not in years:
            # A start year of the series chosen before, not of this one: all its years, as the control then says.
            sel = replace(sel, start=None)
            view = self.explore(sel)
        self._shown = sel
        self._busy = True  # setting options fires change events: no re-render from them
        try:
            lang = self.language
            default = i18n.t("explorer.controls.default", lang)
            series_w = self._widgets["series"]
            from gender_monitor.data.harmonise import series_name

            # Each series in the reader's words ("khảo sát", not the code "survey"), as the data table says it.
            series_w.options = [(default, "")] + [(series_name(s, lang), s) for s in view.series_options if s]
            series_w.value = sel.series if sel.series in view.series_options else ""
            start_w = self._widgets["start"]
            start_w.options = [(i18n.t("explorer.controls.all_years", lang), 0)] + [(str(y), y) for y in years]
            start_w.value = sel.start if sel.start in years else 0
        finally:
            self._busy = False
        self.output.value = str(view.page(self.agencies, self.places).html())
        import matplotlib.pyplot as plt

        plt.close("all")
        return view

    def _changed(self, change: dict) -> None:
        if self._busy:
            return
        if change["owner"] in (self._widgets["target"], self._widgets["place"], self._widgets["as_of"]):
            self._busy = True
            try:  # a new series of values: its own default series and all its years
                if change["owner"] is not self._widgets["place"]:
                    # The places of that year with values of that target; the place chosen if it is one of
                    # them, else the plan's place that year.
                    place_w, year = self._widgets["place"], int(self._widgets["as_of"].value)
                    options = self.place_options(year, self._widgets["target"].value)
                    place = place_w.value if place_w.value in {c for _, c in options} else \
                        self.plan.plan.place_for(year)
                    place_w.options = options
                    place_w.value = place
                self._widgets["series"].value = ""
                self._widgets["start"].value = 0
            finally:
                self._busy = False
        self.render(self.selection())
