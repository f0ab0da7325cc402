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
# # Mid-term review: the steering board's brief
#
# First screen: all 25 targets with status (symbol, label and colour), latest value, target, projection and
# probability. Then the key messages generated from the assessment, one short section per objective, and the
# legend. Run by hand, with `papermill mid_term_review.ipynb out.ipynb -p language en`, or by
# `gender-monitor review`. (This cell is for analysts and is not part of the brief.)

# %% tags=["parameters"]
review: str = "explore"  # review name (the output folder when run by the review runner)
language: str = "vi"  # language of the brief: "vi" (default) or "en"
as_of: int = 2025  # the year the review looks from; later observations are ignored
place: str = ""  # place code where the targets are judged (data/reference/places.csv); empty: the place the plan covers in as_of
publish: bool = False  # publication mode: small counts of sensitive indicators are suppressed
disclosure_threshold: int = 5  # counts below this are suppressed when publishing

# %% tags=["remove-cell"]
# %matplotlib inline
from gender_monitor.core import i18n
from gender_monitor.judge import messages
from gender_monitor.plan.reference import load_places
from gender_monitor.plan.registry import load_plan
from gender_monitor.publish import brief, charts
from gender_monitor.review import runner
from gender_monitor.review import state as review_data
from IPython.display import HTML, display

# %% tags=["remove-cell"]
plan, places = load_plan(), load_places()
state = runner.shared_result("review-state", review_data.compute_review_state, as_of=as_of, place=place,
                             publish=publish, disclosure_threshold=disclosure_threshold)
place = state.place  # the place judged (the default resolved from as_of)
end_year = plan.plan.end_year
illustrative = state.illustrative
runner.publish_table(state.assessment, "assessment")

# %%
brief.set_page_meta(
    title=i18n.t("review.title", language, year=as_of),
    language=language,
    subtitle=i18n.t("review.subtitle", language),
    kicker=i18n.t("review.kicker", language),
    sources=review_data.sources_for(state, plan.codes),
    illustrative=illustrative,
)

# %% tags=["remove-output"]
# In JupyterLab the analyst sees this banner; the brief carries the same banner under its header.
brief.illustrative_banner(language) if illustrative else None

# %%
HTML(f"<h2>{i18n.t('review.summary', language)}</h2>"
     f"<p><strong>{messages.headline(state.assessment, year=as_of, language=language)}</strong></p>"
     + messages.summary_table_html(state.assessment, plan, language=language, year=as_of,
                                   suppressed_below=disclosure_threshold, later_year=end_year)
     + f"<p style='font-size:.8rem;color:#4b5563'>{i18n.t('legend.thresholds', language)} "
       f"{i18n.t('legend.colour', language)}</p>")

# %%
HTML(f"<h2>{i18n.t('review.messages', language)}</h2>"
     + messages.bullets_html(messages.key_messages(state.assessment, plan, as_of=as_of, language=language,
                                                   year=as_of, later_year=end_year)))

# %%
charts.status_dot_plot(state.assessment, plan.targets, year=as_of, language=language,
                       names=[f"{t.code} {messages.short_name(t, language, 40)}" for t in plan.targets])

# %%
HTML(f"<h2>{i18n.t('review.by_objective', language)}</h2>")

# %%
for obj in plan.objectives:
    display(HTML(f"<h4>{i18n.t('review.objective', language, number=obj.number, title=obj.title_vi if language == 'vi' else obj.title_en)}</h4>"
                 f"<p>{messages.objective_headline(state.assessment, plan, obj.number, year=as_of, language=language)}</p>"))
    display(charts.small_multiples(state.shown, plan.targets_of(obj.number), place=place, forecasts=state.forecasts,
                                   language=language,
                                   titles=[f"{t.code} · {messages.short_name(t, language, 48)}"
                                           for t in plan.targets_of(obj.number)]))

# %%
HTML(f"<h2>{i18n.t('review.legend', language)}</h2>" + messages.legend_html(language, illustrative=illustrative))

# %%
HTML(f"<p><em>{state.disclosure.footnote(language)}</em></p>") if publish else None
