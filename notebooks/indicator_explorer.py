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
# # Indicator explorer
#
# One target of the plan in depth, at any place and year: history by data status, the projection fan, the
# plan's targets, the national line, the assessment in words (only where the plan's targets apply), the pace
# needed to reach each target, the data table (with a CSV download), every candidate model's path and
# back-test, the former and merged province, and the place's own communes or old districts.
#
# In JupyterLab, use the controls under the next cell to switch target, place, year, series, method,
# interval level and start year. Run by hand with `papermill indicator_explorer.ipynb out.ipynb -p target 4.1
# -p place QT-HH`, or by `gender-monitor review`. (This cell is for analysts and is not part of the brief.)

# %% tags=["parameters"]
review: str = "explore"  # review name (the output folder when run by the review runner)
language: str = "vi"  # language of the brief: "vi" (default) or "en"
as_of: int = 2025  # the year the review looks from; later observations are ignored
place: str = ""  # place code (data/reference/places.csv: QT, QT25, QT-HH, QT25-009, VN); empty: the place the plan covers in as_of
publish: bool = False  # publication mode: small counts of sensitive indicators are suppressed
disclosure_threshold: int = 5  # counts below this are suppressed when publishing
target: str = "4.1"  # plan code of the target to explore (e.g. "4.1", "3.5a", "6.3"; 4.1 as a number works)
series: str = ""  # measurement series to show; empty: the one the assessment uses
method: str = "auto"  # projection method: "auto" (the assessment's) or a candidate (naive, drift, damped …)
level: int = 80  # interval level of the projection table: 50, 80, 90 or 95
start: int = 0  # first year of the series used; 0 for every year
kind: str = ""  # the report the brief belongs to: annual, midterm or final; empty for an analyst's own run

# %% tags=["remove-cell"]
# %matplotlib inline
from gender_monitor.core import i18n
from gender_monitor.publish import brief, display
from gender_monitor.review import explorer, runner
from gender_monitor.review import state as review_data

# %% tags=["remove-cell"]
ex = explorer.Explorer(language=language, publish=publish, disclosure_threshold=disclosure_threshold)
selected = explorer.selection(target=target, place=place, as_of=as_of, series=series, method=method, level=level,
                              start=start, language=language, plan=ex.plan, places=ex.places)
view = ex.explore(selected)

# %%
brief.set_page_meta(
    title=view.header().title,
    language=language,
    # "… · nhìn từ năm 2025 – sơ kết giữa kỳ năm 2025": the report it belongs to, as its objective briefs say.
    subtitle=view.header().paragraphs[0]
    + (f" – {i18n.review_words(kind, as_of, language, start=ex.plan.plan.start_year)}" if kind else ""),
    kicker=i18n.t("review.kicker", language),
    sources=review_data.sources_for(ex.state(as_of, selected.place), [view.target.code]),
    illustrative=view.illustrative,
)

# %% tags=["remove-output"]
# In JupyterLab the analyst sees this banner; the brief carries the same banner under its header.
brief.illustrative_banner(language) if view.illustrative else None

# %% tags=["remove-cell"]
# The explorer's controls (JupyterLab): changing one redraws everything below them. Not built in a review batch.
ex.controls(selected) if not runner.review_context() else None

# %%
view.plan_text(ex.agencies)

# %%
view.assessment_section()

# %%
view.series_note()

# %%
view.main_chart()

# %%
view.forecast_table()

# %%
view.pace_table()

# %%
view.data_table()

# %%
view.models_section()

# %%
view.models_chart()

# %%
view.models_table()

# %%
view.comparison_section(ex.places)

# %%
view.comparison_chart(ex.places)

# %%
view.breakdown_section()

# %%
view.breakdown_page()

# %%
display.Note(ex.state(as_of, selected.place).disclosure.footnote(language)) if publish else None
