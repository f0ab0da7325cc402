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
import html

from gender_monitor.core import i18n
from gender_monitor.core.exceptions import Issue, ParameterError
from gender_monitor.judge import messages
from gender_monitor.plan.reference import load_places
from gender_monitor.plan.registry import load_plan
from gender_monitor.publish import brief, charts
from gender_monitor.publish import display as display_
from gender_monitor.review import runner
from gender_monitor.review import state as review_data
from IPython.display import HTML, display

# %% tags=["remove-cell"]
plan, places = load_plan(), load_places()
if as_of != plan.plan.midterm_year:  # the mid-term review is the review of one year; other years have their reports
    raise ParameterError([Issue("notebook parameters", None, "as_of", as_of, i18n.both("review.midterm_only", year=plan.plan.midterm_year))], "notebook parameters")
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
# Page 1: every target on one line, with the course of action it calls for.
# Which territory the review judges, first: old Quảng Trị or the merged province (with the plan's reason).
coverage = plan.plan.coverage_on(plan.plan.report_day(as_of))
reason = ((coverage.reason_vi if language == "vi" else coverage.reason_en)
          if coverage is not None and coverage.place == place else "")
place_line = i18n.t("report.place_line", language, place=review_data.place_label(places, place, language),
                    reason=reason).strip()
HTML(f"<section class='gm-snapshot-page'><h2>{i18n.t('board.snapshot', language, n=len(plan.targets))}</h2>"
     f"<p class='gm-lead'>{html.escape(place_line)}</p>"
     f"<p class='gm-lead'>{messages.headline(state.assessment, year=as_of, language=language, as_of=as_of)} "
     f"{messages.action_counts_text(messages.action_counts(state.assessment, plan, later_year=end_year), language)}</p>"
     # The year reviewed is reached: its statuses read "không đạt", as the objective briefs say them.
     + messages.snapshot_html(state.assessment, plan, language=language, year=as_of, later_year=end_year,
                              suppressed_below=disclosure_threshold, as_of=as_of)
     + f"<p class='gm-small'>{messages.thresholds_text(language)}</p></section>")

# %%
HTML(f"<section><h2>{i18n.t('review.messages', language)}</h2>"
     + messages.bullets_html(messages.key_messages(state.assessment, plan, as_of=as_of, language=language,
                                                   year=as_of, later_year=end_year))
     # The legend lists the statuses the snapshot shows ("… chưa đủ số liệu", "◌ không công bố" among them).
     + f"<h2>{i18n.t('review.legend', language)}</h2>"
     + messages.legend_html(language, illustrative=illustrative,
                            statuses=messages.summary_statuses(state.assessment, plan, year=as_of, later_year=end_year,
                                                               as_of=as_of))
     + (f"<p class='gm-small'><em>{state.disclosure.footnote(language)}</em></p>" if publish else "")
     + "</section>")

# %%
# One page per objective: its heading, what it says and its charts together.
for obj in plan.objectives:
    targets = plan.targets_of(obj.number)
    figure = charts.small_multiples(state.shown, targets, place=place, forecasts=state.forecasts, language=language,
                                    ncols=3 if len(targets) > 4 else 2,
                                    place_name=review_data.place_label(places, place, language),
                                    titles=[f"{t.code} · {messages.short_name(t, language, 60)}" for t in targets])
    title = i18n.t("review.objective", language, number=obj.number, title=obj.title_vi if language == "vi" else obj.title_en)
    said = messages.objective_headline(state.assessment, plan, obj.number, year=as_of, language=language, as_of=as_of)
    display(display_.Page([display_.Section(title, paragraphs=[said], level=2),
                           # What the objective's outcome is, then each panel in words, from the data drawn.
                           display_.Chart(figure, alt=f"{title}. {said} {charts.alt_text(figure)}")],
                          kind="objective"))
