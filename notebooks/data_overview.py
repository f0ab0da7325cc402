# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (gender-monitor)
#     language: python
#     name: gender-monitor
# ---

# %% [markdown] tags=["remove-cell"]
# # Data overview
#
# What data the review rests on: coverage by target and year, the checks' warnings and the harmonised rows,
# the provenance of every data file, what is illustrative, and which targets of each agency reporting today
# have no, stale or only illustrative provincial data. Run by hand, with `papermill data_overview.ipynb
# out.ipynb`, or by `gender-monitor review`. (This cell is for analysts and is not part of the brief.)

# %% tags=["parameters"]
review: str = "explore"  # review name (the output folder when run by the review runner)
language: str = "vi"  # language of the brief: "vi" (default) or "en"
as_of: int = 2025  # the year the review looks from; later observations are ignored
place: str = ""  # place code where the targets are judged (data/reference/places.csv); empty: the place the plan covers in as_of
publish: bool = False  # publication mode: small counts of sensitive indicators are suppressed
disclosure_threshold: int = 5  # counts below this are suppressed when publishing
kind: str = ""  # the report the brief belongs to: annual, midterm or final; empty for an analyst's own run
report_date: str = ""  # the day the report is written, YYYY-MM-DD; empty: today (a later day re-runs the brief)
since: int = 2015  # first year shown on its own in the coverage table (earlier years are summed)

# %% tags=["remove-cell"]
from gender_monitor.core import clock, i18n
from gender_monitor.judge import messages
from gender_monitor.plan.reference import load_agencies, load_places
from gender_monitor.plan.registry import load_plan
from gender_monitor.publish import brief
from gender_monitor.review import runner
from gender_monitor.review import state as review_data
from IPython.display import HTML

# %% tags=["remove-cell"]
plan, places, agencies = load_plan(), load_places(), load_agencies()
state = runner.shared_result("review-state", review_data.compute_review_state, as_of=as_of, place=place,
                             publish=publish, disclosure_threshold=disclosure_threshold)
place = state.place  # the place judged (the default resolved from as_of)
sources = review_data.sources_for(state)
illustrative_share = (state.observations["status"] == "illustrative").mean()
level = places[place].level  # names the data of the place judged: "cấp tỉnh", "cấp quốc gia" (VN)
level_words = i18n.t(f"data_level.{level}", language)
gaps = review_data.agency_gaps(state, plan, agencies, language=language, level=level)
runner.publish_table(gaps, "data_gaps_by_agency")

# %%
brief.set_page_meta(
    title=i18n.t("overview.title", language),
    language=language,
    subtitle=i18n.t("overview.subtitle", language, review=i18n.review_words(kind, as_of, language, start=plan.plan.start_year)),
    kicker=i18n.t("review.kicker", language),
    sources=sources,
    illustrative=bool(illustrative_share > 0),
    # a rehearsal before the year began says so
    preview=brief.preview_note(as_of, clock.written_on(report_date), language),
)

# %% tags=["remove-output"]
# In JupyterLab the analyst sees this banner; the brief carries the same banner under its header.
brief.illustrative_banner(language) if illustrative_share > 0 else None

# %%
HTML(f"<h2>{i18n.t('overview.gaps', language)}</h2>"
     f"<p>{i18n.t('overview.gaps_note', language, year=as_of - review_data.STALE_AFTER, level=level_words)}</p>"
     + messages.bullets_html(messages.data_gaps(state.assessment, as_of=as_of, language=language, level=level))
     + gaps.to_html(index=False, border=0))

# %%
coverage = review_data.coverage_table(state, place=place, since=since, language=language)
coverage_note = review_data.coverage_note(coverage, review_data.place_label(places, place, language), since=since,
                                          language=language)
HTML(f"<h2>{i18n.t('overview.coverage', language)}</h2><p>{coverage_note}</p>"
     + coverage.to_html(border=0))

# %%
# The sentence counts what the table shows (the place's values of the targets), then all the data.
_all = state.observations
_here = _all[(_all["place"] == place) & _all["indicator"].isin(plan.codes)]
HTML(f"<h2>{i18n.t('overview.illustrative', language)}</h2>"
     f"<p>{i18n.t('overview.illustrative_note', language, place=review_data.place_label(places, place, language), n=i18n.number(int((_here['status'] == 'illustrative').sum()), language, 0), total=i18n.number(len(_here), language, 0), n_all=i18n.number(int((_all['status'] == 'illustrative').sum()), language, 0), total_all=i18n.number(len(_all), language, 0))}</p>"
     + review_data.status_table(state, plan, language=language).to_html(index=False, border=0))

# %%
HTML(f"<h2>{i18n.t('overview.validation', language)}</h2>"
     + (review_data.issues_table(state.issues, language=language).to_html(index=False, border=0) if state.issues
        else f"<p>{i18n.t('overview.no_issues', language)}</p>")
     + f"<h3>{i18n.t('overview.harmonised', language)}</h3>"
     + review_data.harmonised_table(state, places, language=language).to_html(index=False, border=0))

# %%
HTML(f"<h2>{i18n.t('overview.sources', language)}</h2>"
     + review_data.sources_table(sources, language=language).to_html(index=False, border=0))

# %%
HTML(f"<p><em>{state.disclosure.footnote(language)}</em></p>") if publish else None
