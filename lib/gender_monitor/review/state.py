"""The review's state, computed once: observations, harmonised rows, projections, assessment, disclosure.

Every notebook of a review needs the same heavy result. Notebooks ask for it through the runner, so a
batch computes it once and plain papermill or JupyterLab computes it in the kernel::

    state = runner.shared_result("review-state", review_data.compute_review_state,
                                 as_of=as_of, place=place, publish=publish,
                                 disclosure_threshold=disclosure_threshold)

The rest of this module turns that state into the tables a brief shows (data sources, breakdowns by
administrative unit, gaps by agency); every one of them is a pure function of the state.
"""

from __future__ import annotations

import datetime
import html
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gender_monitor.core import clock, i18n, paths
from gender_monitor.core.exceptions import GenderMonitorError, Issue
from gender_monitor.core.files import pathless, read_meta
from gender_monitor.judge.assessment import VALUE_COLUMNS, withhold_reliability
from gender_monitor.plan.registry import Plan

#: Data older than this many years before ``as_of`` is "stale" in the gap tables.
STALE_AFTER = 2
#: How an assessment row is judged when its status is read off a model of its series (``judged_on``): a
#: projection, or the pace of a trend (3.5a). A target with a hidden value has no such status published.
MODELLED = ("projection", "pace")
#: Place levels that make a breakdown, finest first.
BREAKDOWN_LEVELS = ("commune", "district")


@dataclass(frozen=True)
class ReviewState:
    """Everything a review's briefs read; plain frames and lists so it pickles between workers.

    Attributes
    ----------
    observations
        Every loaded observation plus the harmonised and derived rows of :func:`harmonise.prepare`,
        up to ``as_of``. The assessment and projections are computed from these.
    shown
        The rows a brief may show: ``observations`` itself, or after small-count suppression
        (:func:`disclosure.suppress`) when ``publish`` is true.
    forecasts, skipped
        :func:`gender_monitor.forecast.projection.project` of every annual series to the plan's end year.
    assessment
        :func:`gender_monitor.judge.assessment.assess` at ``place``; in publication mode latest values
        that were suppressed in ``shown`` are blanked and flagged in the column ``suppressed``.
    disclosure
        :class:`gender_monitor.publish.disclosure.DisclosureNotes`: what disclosure control did, and the
        footnote that states it (empty when not publishing).
    harmonise_report
        :class:`gender_monitor.data.harmonise.HarmoniseReport`: rows added, aggregates not built, checks.
    issues
        Warnings of the observation checks (errors stop the load).
    """

    as_of: int
    place: str
    publish: bool
    disclosure_threshold: int
    observations: pd.DataFrame
    shown: pd.DataFrame
    forecasts: pd.DataFrame
    skipped: pd.DataFrame
    assessment: pd.DataFrame
    disclosure: Any = None
    harmonise_report: Any = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def n_suppressed(self) -> int:
        """Number of values blanked by disclosure control."""
        return int((self.shown["suppressed"] != "").sum())

    @property
    def illustrative(self) -> bool:
        """Whether any provincial value the review is judged on is illustrative."""
        return uses_illustrative(self)


def uses_illustrative(state: ReviewState, codes: Iterable[str] | None = None) -> bool:
    """Whether the assessment of these targets (all by default) rests on any illustrative value."""
    rows = state.assessment if codes is None else state.assessment[state.assessment["code"].isin(list(codes))]
    return bool(rows["illustrative"].fillna(False).astype(bool).any())


def compute_review_state(*, as_of: int, place: str | None = None, publish: bool = False,
                         disclosure_threshold: int = 5) -> ReviewState:
    """Load, harmonise, project, assess and (for publication) suppress: the review's one computation.

    Parameters
    ----------
    as_of
        The year the review looks from; later observations are ignored.
    place
        Where the plan's targets are judged; empty or None: the place the plan covers in ``as_of``
        (``PlanInfo.place_for``: old Quảng Trị to 2024, the merged province QT25 from 2025).
    publish
        Publication mode: small counts of sensitive indicators are suppressed in what is shown.
    disclosure_threshold
        Counts below this are suppressed when publishing.

    Returns
    -------
    ReviewState

    Raises
    ------
    ObservationError
        A bundled data file breaks a rule of the observation format (every error listed).
    ParameterError
        ``place`` is not in the places table.
    """
    from gender_monitor.core.exceptions import ObservationError
    from gender_monitor.data import harmonise
    from gender_monitor.data.observations import check_observations
    from gender_monitor.forecast.projection import project
    from gender_monitor.judge.assessment import assess
    from gender_monitor.plan.reference import load_agencies, load_places
    from gender_monitor.plan.registry import load_plan
    from gender_monitor.publish import disclosure

    plan, places, agencies = load_plan(), load_places(), load_agencies()
    place = place or plan.plan.place_for(as_of)
    if place not in places:  # said at once, not as a KeyError in a later cell of the notebook
        from gender_monitor.core.exceptions import Issue, ParameterError

        raise ParameterError([Issue.of(PARAMETERS_CELL, None, "place", place, "parameters.unknown_place",
                                       valid=places.listed())], "notebook parameters")
    # One read of the data: errors stop the review, warnings travel with the state.
    loaded, found = check_observations(plan=plan, places=places)
    if any(i.severity == "error" for i in found):
        raise ObservationError(found, "observations")
    issues = [i for i in found if i.severity != "error"]
    prepared, report = harmonise.prepare(loaded, plan, places)
    issues += report.left_out  # illustrative history left out of a series an agency's real values joined
    obs = prepared[prepared["year"] <= as_of].reset_index(drop=True)
    projection = project(obs, until=plan.plan.end_year, units=plan.units())
    assessment = assess(obs, plan=plan, places=places, agencies=agencies, place=place, as_of=as_of)
    shown, disclosure_notes = disclosure.suppress(obs, plan, threshold=disclosure_threshold, publish=publish,
                                                  places=places)
    if publish:
        # The assessment's own latest values and counts are checked too (a rate from 3 victims).
        assessment, _ = disclosure.suppress(assessment, plan, threshold=disclosure_threshold, publish=True,
                                            places=places)
    assessment = _mask_assessment(assessment, shown, plan)
    forecasts = _mask_forecasts(projection.forecasts, shown)
    return ReviewState(as_of=as_of, place=place, publish=publish, disclosure_threshold=disclosure_threshold,
                       observations=obs, shown=shown, forecasts=forecasts,
                       skipped=projection.skipped, assessment=assessment, disclosure=disclosure_notes,
                       harmonise_report=report, issues=issues)


# --- digests: what a brief read, and whether the inputs changed ------------------------------------

def inputs_digest() -> str:
    """SHA-256 over the bytes of every file the state is computed from.

    The observation files and their ``.meta.yml`` provenance, the reference tables and the plan. A
    kernel that keeps a state (JupyterLab, a review's worker) compares this digest to notice that a data
    file was edited since (:func:`gender_monitor.review.notebook.shared_result` keys its memo by it).
    """
    import hashlib

    from gender_monitor.data.observations import default_observation_files

    files = [*default_observation_files(), paths.plan_file()]
    files += [f.with_name(f.name + ".meta.yml") for f in default_observation_files()]
    reference = paths.reference_dir()
    files += sorted(reference.glob("*")) if reference.is_dir() else []
    digest = hashlib.sha256()
    for f in sorted({Path(f) for f in files}):
        if f.is_file():
            digest.update(str(f).encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()


#: ``compute_review_state`` carries the digest of its inputs, so a memo of it can tell it is stale.
compute_review_state.inputs_digest = inputs_digest  # type: ignore[attr-defined]


def state_digest(state: ReviewState, codes: Iterable[str] | None = None,
                 provenance: dict[str, str] | None = None) -> str:
    """SHA-256 of the part of the state a brief of ``codes`` (all when None) can show.

    The observations, shown rows, forecasts, skipped series and assessment of those targets (with the
    inputs they are derived from: ``6.3.news`` for ``6.3``), the provenance digests of the files the rows
    come from (``provenance``: file → SHA-256 of its ``.meta.yml``), and what disclosure control did as a
    whole; for all codes also the checks' warnings and the harmonisation report. Rows are sorted and their
    line numbers left out: a row moved within or between files changes no brief.
    """
    import hashlib

    wanted = None if codes is None else list(codes)

    def rows(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        if wanted is None or frame.empty:
            return frame
        code = frame[column].astype(str)
        keep = code.isin(wanted)
        for c in wanted:
            keep |= code.str.startswith(f"{c}.")
        return frame[keep]

    digest = hashlib.sha256()
    for name, frame, column in (("observations", state.observations, "indicator"),
                                ("shown", state.shown, "indicator"), ("forecasts", state.forecasts, "indicator"),
                                ("skipped", state.skipped, "indicator"), ("assessment", state.assessment, "code")):
        part = rows(frame, column) if column in frame.columns else frame
        part = part.drop(columns=[c for c in ("line",) if c in part.columns]).astype(str)
        part = part.sort_values(list(part.columns)) if len(part.columns) else part  # file order is no content
        digest.update(name.encode() + b"\0" + part.to_csv(index=False).encode())
        if "file" in part.columns and provenance:
            digest.update(repr(sorted((f, provenance.get(f, "")) for f in set(part["file"].astype(str)))).encode())
    notes = state.disclosure
    digest.update(repr((getattr(notes, "applied", None), getattr(notes, "threshold", None),
                        sorted((getattr(notes, "counts", None) or {}).items()),
                        tuple(getattr(notes, "warnings", ())))).encode())
    if wanted is None:
        digest.update(repr([str(i) for i in state.issues]).encode())
        if state.harmonise_report is not None:
            digest.update(state.harmonise_report.summary().to_csv(index=False).encode())
    return digest.hexdigest()


# --- disclosure --------------------------------------------------------------------------------

def _mask_assessment(assessment: pd.DataFrame, shown: pd.DataFrame, plan: Plan | None = None) -> pd.DataFrame:
    """Blank the values of a target whose place has any observation hidden in ``shown`` (or already hidden).

    The assessment's latest value is an observation: when disclosure control hid that observation,
    the same number must not reappear in the summary table, nor its projection (a projection of a
    small count is itself a small count). Nor may any other number computed from a hidden value: the
    required yearly change is (target − latest) / years, so it gives the latest value back; the observed
    yearly change is a least-squares slope, which with the other values of its window gives the hidden one
    back; a milestone judged on its own year's value carries that value. So every value column of a target
    with a hidden value at its place is blanked, whichever year is hidden, and its probability (see below),
    and its reliability words say nothing read off them (the forecast interval's width, the pace, the year a
    milestone was reached: :func:`~gender_monitor.judge.assessment.withhold_reliability`, with ``plan``, the
    repository's when None). The column ``suppressed`` flags such rows.
    """
    hidden_rows = shown.loc[shown["suppressed"] != "", ["indicator", "place", "year"]]
    keys = set(zip(hidden_rows["indicator"], hidden_rows["place"]))
    out = assessment.copy()
    already = ~out["suppressed"].astype("str").isin(["", "False", "nan", "None"]) if "suppressed" in out.columns \
        else False
    out["suppressed"] = already | pd.Series([(c, p) in keys for c, p in zip(out["code"], out["place"])],
                                            index=out.index)
    if out["suppressed"].any() and "reliability" in out.columns:
        from gender_monitor.plan.registry import load_plan

        out = withhold_reliability(out, out["suppressed"].to_numpy(dtype=bool), plan or load_plan())
    for col in VALUE_COLUMNS:
        if col in out.columns:
            out.loc[out["suppressed"], col] = np.nan
    # The probability too: computed from the hidden counts, at full precision it tells them apart (3 of 4
    # supported gives 0.2547, 2 of 4 0.1903). An outcome judged on a hidden value itself ("exceeded" on 3 of
    # 4) is a statement about it: its status is "hidden". So is a status read off a model of the series (a
    # projection, a trend's pace): the model learnt from the hidden values, whose projection the brief says is
    # not published, and its verdict is their function too. 3.3 in 2025: "likely (projection)" for 2030 said
    # that the hidden 6 of 7 was not 7 of 7 (that reads "met", judged on the latest value), i.e. that a victim
    # went unsupported. A status read off a published latest value stays.
    if "p_meet" in out.columns:
        out.loc[out["suppressed"], "p_meet"] = np.nan
    # The words read off those numbers say the same: the category is "achieved" exactly when the target is
    # met, the trend and the year the target was reached come from the hidden values.
    for col in ("category", "category_vi", "category_en", "year_reached"):
        if col in out.columns:
            out[col] = out[col].astype(object)
            out.loc[out["suppressed"], col] = np.nan
    if "trend" in out.columns:
        out.loc[out["suppressed"], "trend"] = "unknown"
        for lang in i18n.LANGUAGES:
            if f"trend_{lang}" in out.columns:
                out.loc[out["suppressed"], f"trend_{lang}"] = i18n.t("trend.unknown", lang)
    hidden_years = set(zip(hidden_rows["indicator"], hidden_rows["place"], hidden_rows["year"].astype(int)))
    if "status" in out.columns and "judged_on" in out.columns:
        judged_year = np.where(out["judged_on"] == "data", out["target_year"], out["latest_year"])
        on_hidden = pd.Series([str(j) in ("data", "latest") and pd.notna(y) and (c, p, int(y)) in hidden_years
                               for c, p, j, y in zip(out["code"], out["place"], out["judged_on"], judged_year)],
                              index=out.index)
        on_hidden |= out["suppressed"] & out["judged_on"].isin(MODELLED)
        out.loc[on_hidden, "status"] = "hidden"
        words = {"label_vi": i18n.status_label("hidden", "vi"), "label_en": i18n.status_label("hidden", "en"),
                 "symbol": i18n.STATUS_STYLE["hidden"][0]}
        for col, value in words.items():
            if col in out.columns:
                out.loc[on_hidden, col] = value
    if "method" in out.columns:  # the model the back-test chose on the hidden values is not said either
        out["method"] = out["method"].astype(object)
        out.loc[out["suppressed"], "method"] = np.nan
    return out


def _mask_forecasts(forecasts: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """Drop the projections of every series that has a value hidden in ``shown``.

    A projection is learnt from the series' values: the path of a series whose small counts were
    suppressed would publish an estimate of those counts. Such series are drawn without a fan.
    """
    key = ["indicator", "place", "sex", "series"]
    hidden = shown.loc[shown["suppressed"] != "", key].drop_duplicates()
    if hidden.empty or forecasts.empty:
        return forecasts
    marked = forecasts.merge(hidden.assign(_hidden=True), on=key, how="left")
    return forecasts.loc[marked["_hidden"].isna().to_numpy()].reset_index(drop=True)


# --- provenance --------------------------------------------------------------------------------

def data_sources(files: Iterable[str | Path]) -> list[dict[str, str]]:
    """The provenance of data files, read from the ``<file>.meta.yml`` beside each one.

    Parameters
    ----------
    files
        Data files (absolute, or relative to the repository).

    Returns
    -------
    list of dict
        One mapping per file, in file order, with ``producer, title, url, accessed, licence,
        status, file`` (as :func:`gender_monitor.publish.brief.set_page_meta` takes them).
    """
    home = paths.home()
    out = []
    for name in sorted({str(f) for f in files if f}):
        path = Path(name) if Path(name).is_absolute() else home / name
        if not path.is_file():
            continue  # rows made in memory (harmonise's "<harmonise>") have no file of their own
        meta_path = path.with_name(path.name + ".meta.yml")
        meta = read_meta(meta_path)
        try:
            rel = path.resolve().relative_to(home.resolve()).as_posix()
        except ValueError:
            rel = str(path)
        out.append({
            "producer": str(meta.get("producer", "")).strip(), "title": str(meta.get("title", "")).strip(),
            # Vietnamese readers get the Vietnamese description where the provenance file has one.
            "producer_vi": str(meta.get("producer_vi") or meta.get("producer", "")).strip(),
            "title_vi": str(meta.get("title_vi") or meta.get("title", "")).strip(),
            "url": str(meta.get("url") or "").strip() or None, "accessed": str(meta.get("date_accessed", "")),
            "licence": i18n.shorten(str(meta.get("licence", "")), 80, "en"), "status": str(meta.get("status", "")),
            "licence_vi": " ".join(str(meta.get("licence_vi") or "").split()),  # said whole, not cut
            "file": rel,
        })
    return out


def sources_for(state: ReviewState, codes: Iterable[str] | None = None,
                places: Iterable[str] | None = None) -> list[dict[str, str]]:
    """Provenance of the files that gave the rows of ``codes`` (all codes when None) at ``places``."""
    obs = state.observations
    if codes is not None:
        codes = set(codes)
        obs = obs[obs["indicator"].isin(codes) | obs["indicator"].str.split(".").str[:2].str.join(".").isin(codes)]
    if places is not None:
        obs = obs[obs["place"].isin(set(places))]
    return data_sources(obs["file"].unique())


# --- what a brief shows ---------------------------------------------------------------------------

def place_label(places: Any, code: str, language: str = "vi") -> str:
    """A place's name that tells the former and the merged province apart: ``Quảng Trị (địa bàn tỉnh cũ)``,
    ``Quảng Trị (địa bàn tỉnh mới)``. Neither names a day: the former territory still has values after 30
    June 2025 (the new communes' sums), the merged one re-based values before 1 July 2025, and "until
    30/6/2025" beside a 2027 value (or "from 01/7/2025" beside a 2020 one) reads as an error."""
    place = places[code]
    name = places.name(code, language)  # "Quảng Trị" for both: the words that tell them apart are the locale's
    if place.valid_to is not None and place.level == "province":
        return f"{name} ({i18n.t('charts.former', language)})"
    if place.valid_from is not None and place.level == "province":
        return f"{name} ({i18n.t('charts.merged', language)})"
    return name


def series_of(obs: pd.DataFrame, code: str, place: str) -> pd.DataFrame:
    """Annual rows of one indicator at one place, both sexes together, sorted by series and year."""
    rows = obs[(obs["indicator"] == code) & (obs["place"] == place) & obs["quarter"].isna()]
    if (rows["sex"] == "").any():
        rows = rows[rows["sex"] == ""]
    return rows.sort_values(["series", "year"]).reset_index(drop=True)


@dataclass(frozen=True)
class ModelView:
    """The indicator explorer's model section for one target at one place.

    ``series`` is the one series the target is judged on (as in the assessment), ``candidates`` every
    candidate model's path and back-test on it (:func:`gender_monitor.forecast.candidates.compare`), ``chosen``
    the method the projection engine used (``None`` when it made no projection).
    """

    series: pd.DataFrame
    candidates: Any
    chosen: str | None


def model_view(state: ReviewState, code: str, unit: str, *, until: int, place: str | None = None) -> ModelView:
    """Every candidate model of the series a target is judged on, and the engine's choice.

    In publication mode a series with a suppressed value gets no models: a path fitted to it would
    publish an estimate of the hidden counts.
    """
    from gender_monitor.forecast.candidates import Candidates, compare

    place = place or state.place
    judged = state.assessment.loc[state.assessment["code"] == code, "series"]
    label = str(judged.dropna().iloc[0]) if judged.notna().any() else ""
    shown = series_of(state.shown, code, place)
    shown = shown[shown["series"] == label].reset_index(drop=True)
    if (shown["suppressed"] != "").any() if "suppressed" in shown.columns else False:
        empty = Candidates(pd.DataFrame(columns=["method", "year", "value"]),
                           pd.DataFrame(columns=["method", "mae", "smape", "n_errors", "n_cuts"]),
                           reason="suppressed")
        return ModelView(shown, empty, None)
    fc = state.forecasts
    chosen = fc.loc[(fc["indicator"] == code) & (fc["place"] == place) & (fc["series"] == label), "method"]
    return ModelView(shown, compare(shown, unit, until=until), str(chosen.iloc[0]) if len(chosen) else None)


def breakdown(state: ReviewState, code: str, places: Any, plan: Any, *, level: str,
              language: str = "vi") -> pd.DataFrame:
    """One value per administrative unit of ``level`` for the latest year with data, best first.

    For a target derived from a quarterly input (6.3 from news items per commune and quarter) the value
    is the fewest items in any reported quarter of the year, compared with the plan's minimum.

    Returns
    -------
    pandas.DataFrame
        ``place, name, year, value, status, illustrative, suppressed``; empty when no unit of that
        level has data.
    """
    target = plan.target(code)
    source_code = target.derived_from or code
    shown = state.shown
    rows = shown[(shown["indicator"] == source_code)]
    rows = rows[[p in places and places[p].level == level for p in rows["place"]]]
    if rows.empty:
        return pd.DataFrame(columns=["place", "name", "year", "value", "status", "illustrative", "suppressed"])
    if (rows["sex"] == "").any():
        rows = rows[rows["sex"] == ""]
    year = int(rows["year"].max())
    rows = rows[rows["year"] == year]
    frame = rows.assign(value=pd.to_numeric(rows["value"], errors="coerce"), suppressed=rows["suppressed"] != "")
    agg = frame.groupby("place").agg(value=("value", "min" if target.derived_from else "sum"),
                                     status=("status", "first"), suppressed=("suppressed", "any"))
    # Blanked values must not turn into zeros in the sum.
    agg.loc[agg["suppressed"], "value"] = np.nan
    agg = agg.reset_index()
    agg["name"] = [place_label(places, p, language) for p in agg["place"]]
    agg["year"] = year
    agg["illustrative"] = agg["status"] == "illustrative"
    # Worst first: the most cases of a "lower is better" count, the fewest items of a "higher is better" one.
    ascending = target.direction == "higher"
    agg = agg.sort_values(["value", "place"], ascending=[ascending, True], na_position="last")
    return agg[["place", "name", "year", "value", "status", "illustrative", "suppressed"]].reset_index(drop=True)


def breakdown_title(state: ReviewState, code: str, places: Any, plan: Any, *, level: str,
                    language: str = "vi") -> str:
    """``3.5a · Theo xã, phường, đặc khu · năm 2025`` (and what the value is, for a derived target)."""
    frame = breakdown(state, code, places, plan, level=level, language=language)
    year = int(frame["year"].iloc[0]) if len(frame) else state.as_of
    title = f"{code} · {i18n.t(f'indicator.by_{level}', language)} · {i18n.t('charts.latest_of', language, year=year)}"
    if plan.target(code).derived_from:
        title += f" · {i18n.t('indicator.min_quarter', language)}"
    return title


def places_with_data(state: ReviewState, code: str, places: Any) -> list[str]:
    """The review's place and its successors (former and merged province) that have annual data for ``code``."""
    obs = state.shown
    have = set(obs.loc[(obs["indicator"] == code) & obs["quarter"].isna(), "place"])
    candidates = [state.place, *places[state.place].successors]
    return [p for p in candidates if p in have]


def coverage_table(state: ReviewState, *, place: str, since: int, language: str = "vi") -> pd.DataFrame:
    """Values per target (rows) and year (columns) at ``place``; years before ``since`` summed."""
    from gender_monitor.data.observations import coverage

    obs = state.observations
    table = coverage(obs[obs["place"] == place], since=since)
    table.index.name = i18n.t("table.code", language)
    table.columns.name = i18n.t("table.year", language)
    return table


def coverage_note(table: pd.DataFrame, place_name: str, *, since: int, language: str = "vi") -> str:
    """The sentence above :func:`coverage_table`: it says that years before ``since`` are summed only when the
    table has that column (no earlier data, no such column, and no promise of one). HTML (it names "<2015")."""
    key = "overview.coverage_note_early" if f"<{since}" in table.columns else "overview.coverage_note"
    return html.escape(i18n.t(key, language, place=place_name, since=since))


def harmonised_table(state: ReviewState, places: Any, language: str = "vi") -> pd.DataFrame:
    """The rows the harmonisation added (re-based history, old provinces summed) for readers: per target,
    place and series, how many values and which years, their status in words."""
    from dataclasses import replace

    from gender_monitor.data.harmonise import series_name

    # The rows the review uses: those of years after ``as_of`` are ignored, as every other table ignores them.
    report = state.harmonise_report
    summary = replace(report, added=report.added[report.added["year"] <= state.as_of]).summary()
    statuses = i18n.catalogue(language)["data_status"]
    return pd.DataFrame({
        i18n.t("table.code", language): summary["indicator"],
        i18n.t("table.place", language): [place_label(places, p, language) if p in places else p
                                          for p in summary["place"]],
        i18n.t("table.series", language): [series_name(str(x), language) for x in summary["series"]],
        i18n.t("table.n_values", language): summary["rows"],
        i18n.t("table.years", language): [f"{a}–{b}" if a != b else f"{a}" for a, b in
                                          zip(summary["first"], summary["last"])],
        i18n.t("table.status_data", language): [", ".join(statuses.get(x, x) for x in str(v).split(","))
                                                for v in summary["status"]],
    })


def status_table(state: ReviewState, plan: Any, language: str = "vi") -> pd.DataFrame:
    """Per target: number of values at the review's place by data status, and the years they cover."""
    obs = state.observations
    here = obs[(obs["place"] == state.place) & obs["indicator"].isin(plan.codes)]
    rows = []
    for t in plan.targets:
        sub = here[here["indicator"] == t.code]
        counts = sub["status"].value_counts()
        row = {i18n.t("table.code", language): t.code}
        for s in ("official", "preliminary", "estimate", "illustrative"):
            row[i18n.t(f"data_status.{s}", language)] = int(counts.get(s, 0))
        row[i18n.t("table.years", language)] = (f"{sub['year'].min()}–{sub['year'].max()}" if len(sub) else "–")
        rows.append(row)
    return pd.DataFrame(rows)


def agency_gaps(state: ReviewState, plan: Any, agencies: Any, language: str = "vi",
                level: str = "province") -> pd.DataFrame:
    """For each agency that reports today, its targets with no, stale or only illustrative data of the place
    judged; ``level``, the place's level (places.csv), names that data ("chưa có số liệu cấp tỉnh").

    A target is *stale* when its latest provincial value is older than ``as_of - STALE_AFTER``;
    *illustrative only* when no provincial value of it is official, preliminary or an estimate.
    """
    a = state.assessment
    obs = state.observations
    here = obs[obs["place"] == state.place]
    real = set(here.loc[here["status"] != "illustrative", "indicator"])
    by_agency: dict[str, dict[str, list[str]]] = {}
    for code in plan.codes:
        rows = a[a["code"] == code]
        agency = str(rows["responsible_agency"].iloc[0])
        entry = by_agency.setdefault(agency, {"all": [], "none": [], "stale": [], "illus": [], "real": []})
        entry["all"].append(code)
        latest = rows["latest_year"].max()
        if not is_finite(latest):
            entry["none"].append(code)
            continue
        if int(latest) < state.as_of - STALE_AFTER:
            entry["stale"].append(f"{code} ({int(latest)})")
        (entry["real"] if code in real else entry["illus"]).append(code)
    out = []
    for code, entry in by_agency.items():
        name = agencies[code].name_vi if language == "vi" else agencies[code].name_en
        out.append({
            i18n.t("table.agency", language): name,
            i18n.t("table.targets", language): ", ".join(entry["all"]),
            i18n.t("table.no_data_targets", language, level=i18n.t(f"data_level.{level}", language)):
                ", ".join(entry["none"]) or "–",
            i18n.t("table.stale_targets", language): ", ".join(entry["stale"]) or "–",
            i18n.t("table.illustrative_targets", language): ", ".join(entry["illus"]) or "–",
            i18n.t("table.real_targets", language): ", ".join(entry["real"]) or "–",
        })
    return pd.DataFrame(out)


#: Where a notebook's parameter is, for the issues that name one: its parameters cell, in both languages.
PARAMETERS_CELL = "tham số / parameters"


def check_selection(plan: Any, places: Any, *, place: str = "", objective: Any = None) -> None:
    """Refuse a notebook's parameters that name no place or objective of the plan, in both languages.

    Raises
    ------
    ParameterError
        Naming each parameter with the valid values (an empty ``place`` is the plan's default).
    """
    from gender_monitor.core.exceptions import ParameterError

    issues = []
    if place and str(place) not in places:
        issues.append(Issue.of(PARAMETERS_CELL, None, "place", place, "parameters.unknown_place",
                               valid=places.listed()))
    numbers = [o.number for o in plan.objectives]
    if objective is not None:
        try:
            known = float(objective) == int(float(objective)) and int(float(objective)) in numbers
        except (TypeError, ValueError):
            known = False
        if not known:
            issues.append(Issue.of(PARAMETERS_CELL, None, "objective", objective, "parameters.no_objective",
                                   code=repr(objective), valid=", ".join(map(str, numbers))))
    if issues:
        raise ParameterError(issues, "notebook parameters")


def issues_table(issues: list[Issue], language: str = "vi", *, publish: bool = True) -> pd.DataFrame:
    """The checks' warnings as a table for the data overview.

    With ``publish`` (the default: a table is published unless the analyst says otherwise) nothing that
    could disclose a value crosses into the brief: no value, no line (a bundled line names a commune),
    no path; the rule is shown with its numbers and file locations replaced by "…", and equal rules of a
    file are counted in one row. The analyst's own run (``publish=False``) lists each issue with its
    file name, line and value; `gender-monitor check` gives the full detail in either case.
    """
    def said(severity: str) -> str:
        return i18n.t(f"validation.severity.{severity}", language)

    files, column, rule, severity = (i18n.t(k, language) for k in ("table.files", "validation.column",
                                                                  "table.rule", "table.severity"))
    if not publish:
        rows = [{files: Path(i.file).name if i.file else "", i18n.t("validation.line", language): i.line,
                 column: i.column, i18n.t("table.value", language): i.value,
                 rule: pathless(i.said(language)), severity: said(i.severity)} for i in issues]
        return pd.DataFrame(rows)
    counted: dict[tuple[str, str, str, str], int] = {}
    names = _public_names(language)
    if language == "vi":  # inside a sentence: "tại huyện Hướng Hóa", "tại xã Khe Sanh", as Vietnamese writes them
        names = {c: n[:1].lower() + n[1:] if n.split(" ", 1)[0] in ("Huyện", "Xã", "Phường", "Thị", "Tỉnh", "Thành")
                 else n for c, n in names.items()}

    def detail(match: re.Match[str]) -> str:  # a year, a target code or a place says no count: kept
        token = match.group(0)
        bare = token.rstrip(".:")
        if bare in names:  # a place by the name its readers know ("Huyện Hướng Hóa", not "QT-HH")
            return token.replace(bare, names[bare], 1)
        if bare.isdigit() and len(bare) == 4 and clock.FIRST_YEAR <= int(bare) <= clock.LAST_YEAR:
            return token
        return "…"

    # Place codes without a digit (QT-DK, a district) are names too, said as their readers know them.
    bare_places = [c for c in names if not any(ch.isdigit() for ch in c) and names[c] != c]
    by_name = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(bare_places, key=len, reverse=True)))
                         + r")(?![\w-])") if bare_places else None

    for i in issues:
        rule_text = _RULE_DETAIL.sub(detail, pathless(i.said(language)))
        rule_text = by_name.sub(lambda m: names[m.group(1)], rule_text) if by_name else rule_text
        key = (Path(i.file).name if i.file else "", str(i.column or ""), rule_text, said(i.severity))
        counted[key] = counted.get(key, 0) + 1
    table = pd.DataFrame([{files: f, column: c, rule: r, severity: s, i18n.t("validation.n_cases", language): n}
                          for (f, c, r, s), n in counted.items()])
    if len(table) and not table[column].astype(bool).any():  # rules about whole rows: no column to name
        table = table.drop(columns=column)
    return table


#: A number, or a word holding one (``file.csv:12``, ``3/4``): the detail a published rule leaves out, unless
#: it is a year, a target code or a place code (:func:`_public_names`).
_RULE_DETAIL = re.compile(r"[^\s(),;]*\d[^\s(),;]*")


def _public_names(language: str = "vi") -> dict[str, str]:
    """The plan's target and input codes and the places' codes (names, not counts, in a published rule),
    each with what a reader is shown: a code as it is, a place by its name in ``language``."""
    from gender_monitor.plan.reference import load_places
    from gender_monitor.plan.registry import load_plan

    try:
        plan, places = load_plan(), load_places()
    except GenderMonitorError:
        return {}
    codes = {c: c for c in [*plan.codes, *(i.code for i in plan.inputs)]}
    return codes | {c: place_label(places, c, language) for c in places.codes}


def sources_table(sources: list[dict[str, str]], language: str = "vi") -> pd.DataFrame:
    """Provenance entries as a table for the data overview, in the reader's language where the provenance
    file gives it (the licence by its name only, the status in words, the day as the reader writes it)."""
    from gender_monitor.publish.brief import licence_words

    vi = language == "vi"
    statuses = i18n.catalogue(language)["data_status"]

    def day(text: str) -> str:
        try:
            return i18n.date(datetime.date.fromisoformat(text[:10]), language)
        except ValueError:
            return text

    return pd.DataFrame([{
        i18n.t("table.files", language): s["file"],
        i18n.t("table.producer", language): s.get("producer_vi", s["producer"]) if vi else s["producer"],
        i18n.t("table.title", language): s.get("title_vi", s["title"]) if vi else s["title"],
        i18n.t("table.status_data", language): statuses.get(s["status"], s["status"]),
        i18n.t("table.licence", language): licence_words(s, language),
        i18n.t("table.accessed", language): day(s["accessed"]),
    } for s in sources])


def is_finite(x: object) -> bool:
    """True for a real, finite number (not None, NaN or pandas NA)."""
    try:
        return x is not None and not pd.isna(x) and math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
