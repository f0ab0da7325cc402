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
# One target of the plan in depth: history by data status, every candidate model's path and back-test,
# the projection fan, the 2025 and 2030 targets, the national line, the assessment in words, breakdowns by
# commune or old district, and the former and merged province side by side. Run by hand, with
# `papermill indicator_explorer.ipynb out.ipynb -p target 3.5a`, or by `gender-monitor review`.
# (This cell is for analysts and is not part of the brief.)

# %% tags=["parameters"]
review: str = "explore"  # review name (the output folder when run by the review runner)
language: str = "vi"  # language of the brief: "vi" (default) or "en"
as_of: int = 2025  # the year the review looks from; later observations are ignored
place: str = ""  # place code where the targets are judged (data/reference/places.csv); "" = the one the plan covers in as_of
publish: bool = False  # publication mode: small counts of sensitive indicators are suppressed
disclosure_threshold: int = 5  # counts below this are suppressed when publishing
target: str = "4.1"  # plan code of the target to explore (e.g. "4.1", "3.5a", "6.3")

# %% tags=["remove-cell"]
# %matplotlib inline
from gender_monitor.core import i18n
from gender_monitor.judge import messages
from gender_monitor.plan.reference import load_agencies, load_places
from gender_monitor.plan.registry import load_plan
from gender_monitor.publish import brief, charts
from gender_monitor.review import runner
from gender_monitor.review import state as review_data
from IPython.display import HTML

# %% tags=["remove-cell"]
plan, places, agencies = load_plan(), load_places(), load_agencies()
state = runner.shared_result("review-state", review_data.compute_review_state, as_of=as_of, place=place,
                             publish=publish, disclosure_threshold=disclosure_threshold)
place = state.place  # the place judged (the default resolved from as_of)
t = plan.target(target)
illustrative = review_data.uses_illustrative(state, [target])
name = t.name_vi if language == "vi" else t.name_en
province_places = review_data.places_with_data(state, target, places)
sub_levels = [lvl for lvl in review_data.BREAKDOWN_LEVELS
              if not review_data.breakdown(state, target, places, plan, level=lvl, language=language).empty]

# %%
brief.set_page_meta(
    title=i18n.t("indicator.title", language, code=target, name=name[:1].upper() + name[1:]),
    language=language,
    subtitle=i18n.t("indicator.subtitle", language, year=as_of),
    kicker=i18n.t("review.kicker", language),
    sources=review_data.sources_for(state, [target]),
    illustrative=illustrative,
)

# %% tags=["remove-output"]
# In JupyterLab the analyst sees this banner; the brief carries the same banner under its header.
brief.illustrative_banner(language) if illustrative else None

# %%
HTML(f"<h2>{i18n.t('indicator.plan_text', language)}</h2>"
     f"<blockquote>{t.text_vi if language == 'vi' else t.name_en}</blockquote>"
     f"<p>{messages.agencies_sentence(t, state.assessment, agencies, language=language)}</p>")

# %%
HTML(f"<h2>{i18n.t('indicator.assessment', language)}</h2>"
     + messages.bullets_html(messages.indicator_sentences(state.assessment, t, language=language,
                                                         place_name=review_data.place_label(places, place, language))))

# %%
HTML(f"<h2>{i18n.t('indicator.history', language)}</h2>")

# %%
charts.indicator_chart(state.shown, t, place=place, forecasts=state.forecasts, language=language,
                       title=f"{target} · {review_data.place_label(places, place, language)}")

# %% tags=["remove-cell"]
view = review_data.model_view(state, target, t.unit, until=plan.plan.end_year, place=place)

# %%
HTML(f"<h2>{i18n.t('indicator.models', language)}</h2><p>{i18n.t('messages.models_note', language)}</p>"
     + (f"<p>{i18n.t('messages.models_too_short', language, n=len(view.series))}</p>"
        if view.candidates.reason else ""))

# %%
charts.candidates_chart(view.series, view.candidates.paths, view.candidates.scores, target=t,
                        chosen=view.chosen, language=language) if len(view.candidates.paths) else None

# %%
HTML(messages.candidates_table_html(view.candidates, chosen=view.chosen, target=t, language=language,
                                    years=(as_of, plan.plan.end_year))) if len(view.candidates.paths) else None

# %%
HTML(f"<h2>{i18n.t('indicator.old_new', language)}</h2><p>{i18n.t('messages.old_new', language)}</p>") \
    if len(province_places) > 1 else None

# %%
charts.comparison_chart(state.shown, t, province_places,
                        [review_data.place_label(places, p, language) for p in province_places],
                        forecasts=state.forecasts, language=language) if len(province_places) > 1 else None

# %%
HTML(f"<h2>{i18n.t('indicator.breakdown', language)}</h2>"
     + (f"<p>{i18n.t('messages.breakdown_note', language)}</p>" if sub_levels else
        f"<p>{i18n.t('indicator.no_breakdown', language)}</p>"))

# %%
charts.ranked_bars(review_data.breakdown(state, target, places, plan, level=sub_levels[0], language=language),
                   language=language, threshold=t.min_items_per_quarter, suppressed_threshold=disclosure_threshold,
                   title=review_data.breakdown_title(state, target, places, plan, level=sub_levels[0],
                                                     language=language)) if len(sub_levels) > 0 else None

# %%
charts.ranked_bars(review_data.breakdown(state, target, places, plan, level=sub_levels[1], language=language),
                   language=language, threshold=t.min_items_per_quarter, suppressed_threshold=disclosure_threshold,
                   title=review_data.breakdown_title(state, target, places, plan, level=sub_levels[1],
                                                     language=language)) if len(sub_levels) > 1 else None

# %%
HTML(f"<p><em>{state.disclosure.footnote(language)}</em></p>") if publish else None
