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
# # Objective brief
#
# One objective of the plan: its targets with status, the plan's lead agency and today's reporting agency,
# and a chart per target. Run by hand, with `papermill objective_brief.ipynb out.ipynb -p objective 3`, or by
# `gender-monitor review`. (This cell is for analysts and is not part of the brief.)

# %% tags=["parameters"]
review: str = "explore"  # review name (the output folder when run by the review runner)
language: str = "vi"  # language of the brief: "vi" (default) or "en"
as_of: int = 2025  # the year the review looks from; later observations are ignored
place: str = ""  # place code where the targets are judged (data/reference/places.csv); empty: the place the plan covers in as_of
publish: bool = False  # publication mode: small counts of sensitive indicators are suppressed
disclosure_threshold: int = 5  # counts below this are suppressed when publishing
kind: str = ""  # the report the brief belongs to: annual, midterm or final; empty for an analyst's own run
report_date: str = ""  # the day the report is written, YYYY-MM-DD; empty: today (a later day re-runs the brief)
objective: int = 3  # objective number of the plan, 1 to 6

# %% tags=["remove-cell"]
# %matplotlib inline
from gender_monitor.core import clock, i18n
from gender_monitor.judge import messages
from gender_monitor.plan.reference import load_agencies, load_places
from gender_monitor.plan.registry import load_plan
from gender_monitor.publish import brief, charts, display
from gender_monitor.review import runner
from gender_monitor.review.explorer import targets_apply
from gender_monitor.review import state as review_data
from IPython.display import HTML

# %% tags=["remove-cell"]
plan, places, agencies = load_plan(), load_places(), load_agencies()
review_data.check_selection(plan, places, place=place, objective=objective)
state = runner.shared_result("review-state", review_data.compute_review_state, as_of=as_of, place=place,
                             publish=publish, disclosure_threshold=disclosure_threshold)
place = state.place  # the place judged (the default resolved from as_of)
obj = plan.objective(int(objective))
targets = plan.targets_of(obj.number)
codes = [t.code for t in targets]
illustrative = review_data.uses_illustrative(state, codes)
# The dot plot's names on one line; the charts' titles on up to two (charts.TITLE_CHARS).
names = [f"{t.code} · {messages.short_name(t, language, 48)}" for t in targets]
titles = [f"{t.code} · {messages.short_name(t, language, 90)}" for t in targets]
# The plan's target years are the table's columns; the headline and the chart look at the target year the
# review is in, or the next one (2030 from a yearly report of 2026).
mid, end = plan.plan.midterm_year, plan.plan.end_year
focus = as_of if as_of in (mid, end) else (mid if as_of < mid else end)

# %%
brief.set_page_meta(
    title=i18n.t("objective.title", language, number=obj.number,
                 title=obj.title_vi if language == "vi" else obj.title_en),
    language=language,
    subtitle=i18n.t("objective.subtitle", language, review=i18n.review_words(kind, as_of, language, start=plan.plan.start_year)),
    kicker=i18n.t("review.kicker", language),
    sources=review_data.sources_for(state, codes),
    illustrative=illustrative,
    # a rehearsal before the year began says so
    preview=brief.preview_note(as_of, clock.written_on(report_date), language),
)

# %% tags=["remove-output"]
# In JupyterLab the analyst sees this banner; the brief carries the same banner under its header.
brief.illustrative_banner(language) if illustrative else None

# %%
HTML(f"<h2>{i18n.t('objective.targets', language)}</h2>"
     f"<p><strong>{messages.objective_headline(state.assessment, plan, obj.number, year=focus, language=language, as_of=as_of)}</strong></p>"
     + messages.summary_table_html(state.assessment, plan, language=language, year=mid, later_year=end,
                                   suppressed_below=disclosure_threshold, codes=codes, as_of=as_of))

# %%
# Each chart with its description in words, from the data it draws (its image's alternative text).
display.Chart(charts.status_dot_plot(state.assessment, targets, year=focus, language=language, names=names,
                                     as_of=as_of))

# %%
HTML(f"<h2>{i18n.t('objective.agencies', language)}</h2>"
     + messages.agencies_table(plan, state.assessment, agencies, objective=obj.number,
                               language=language).to_html(index=False, border=0))

# %%
HTML(f"<h2>{i18n.t('objective.charts', language)}</h2>")

# %%
display.Chart(charts.small_multiples(state.shown, targets, place=place, titles=titles, forecasts=state.forecasts,
                                     language=language, show_targets=targets_apply(plan, place),
                                     place_name=review_data.place_label(places, place, language)))

# %%
# The legend lists the statuses the table above shows, in its words (the same cells, not a second list).
shown_statuses = messages.summary_statuses(state.assessment, plan, year=mid, later_year=end, codes=codes, as_of=as_of)
HTML(f"<h2>{i18n.t('review.legend', language)}</h2>"
     + messages.legend_html(language, illustrative=illustrative, statuses=shown_statuses))

# %%
HTML(f"<p><em>{state.disclosure.footnote(language)}</em></p>") if publish else None
