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
# # The yearly report (and the final review) of the plan
#
# The report the coordinating department sends to the People's Committee and the ministry each year
# (plan section V, returns due 25 November), or, with `kind = "final"`, the final review of 2030. Sections
# follow `parameters/report_kinds.yaml`; words come from `locales/<language>/report.yaml`. Besides the
# HTML brief (and its PDF) the run writes the report as a Word document and its tables as an Excel
# workbook for the department to edit. Run by hand, with `papermill annual_report.ipynb out.ipynb -p as_of
# 2026`, or by `gender-monitor review -f parameters/annual_2026.yaml`. (This cell is for analysts and is
# not part of the brief.)

# %% tags=["parameters"]
review: str = "explore"  # review name (the output folder when run by the review runner)
language: str = "vi"  # language of the report: "vi" (default) or "en"
as_of: int = 2026  # the report's year N; later observations are ignored
place: str = ""  # place code (data/reference/places.csv); empty: the one the plan covers in as_of
publish: bool = False  # publication mode: small counts of sensitive indicators are suppressed
disclosure_threshold: int = 5  # counts below this are suppressed when publishing
kind: str = "annual"  # "annual" (yearly report) or "final" (final review): parameters/report_kinds.yaml
report_date: str = ""  # the day the report is written, YYYY-MM-DD; empty: today

# %% tags=["remove-cell"]
# %matplotlib inline

from gender_monitor.collect import returns, templates
from gender_monitor.core import clock, i18n
from gender_monitor.judge import messages
from gender_monitor.judge import report as rep
from gender_monitor.plan.kinds import load_report_kinds
from gender_monitor.plan.reference import load_agencies, load_places
from gender_monitor.plan.registry import load_plan
from gender_monitor.publish import brief, charts, office
from gender_monitor.publish.display import Caption, Chart, Note, Page, Section, Table
from gender_monitor.review import runner
from gender_monitor.review import state as review_data
from IPython.display import display

# %% tags=["remove-cell"]
plan, places, agencies = load_plan(), load_places(), load_agencies()
report_kind = load_report_kinds()[kind or "annual"]
sections = [s.id for s in report_kind.sections]
written_on = clock.written_on(report_date)
start, mid, end = plan.plan.start_year, plan.plan.midterm_year, plan.plan.end_year
state = runner.shared_result("review-state", review_data.compute_review_state, as_of=as_of, place=place,
                             publish=publish, disclosure_threshold=disclosure_threshold)
place = state.place
previous = runner.shared_result("review-state", review_data.compute_review_state, as_of=as_of - 1,
                                place=plan.plan.place_for(as_of - 1), publish=publish,
                                disclosure_threshold=disclosure_threshold)
annex = rep.annex(plan, year=as_of, place=place, shown=state.shown, forecasts=state.forecasts,
                  assessment=state.assessment)
changes = rep.status_changes(previous.assessment, state.assessment)
revisions = returns.revisions_between(plan.plan.report_day(as_of - 1), written_on, codes=set(plan.codes))
status = returns.reporting_status(as_of, plan=plan, agencies=agencies, observations=state.observations,
                                  place=place, report_date=written_on)
# The agencies the board is asked to chase: those whose return has not arrived, and those whose return arrived
# but could not be used (its file refused whole: said with why). Not the coordinator, which writes this report
# (its own figures are its own to enter; the table of returns still shows them).
collector = templates.coordinator(plan, agencies, as_of)
collector_name = agencies[collector].name_vi if language == "vi" else agencies[collector].name_en
missing, refused = returns.follow_up(status, language, coordinator=collector)
# Before the day returns are due, the agencies not heard from are named, not yet to be chased.
not_due = plan.plan.report_day(as_of) if written_on < plan.plan.report_day(as_of) else None
final = rep.final_judgement(plan, state.assessment) if kind == "final" else None
illustrative = state.illustrative
# The department's files and the CSVs offered under the brief's tables carry what the brief's banners say: a
# preview, illustrative data (a file read on its own has no page around it to say so).
banner = " · ".join(b for b in (brief.preview_short(as_of, written_on, language),
                                 i18n.t("report.docx.illustrative", language) if illustrative else None) if b) or None
download_label = i18n.t("brief.download", language)  # the link under a table, in the reader's words
legend = rep.status_legend(plan, year=as_of, language=language)  # under every table of statuses: what its words mean


title = i18n.t(f"report.kinds.{report_kind.name}.title", language, year=as_of, start=start, mid=mid, end=end)
runner.publish_table(annex, f"annex_{as_of}")
# The coordinator compiles the returns: in the table as in the brief, it sends none and is never late.
compiles = status["agency"] == collector
runner.publish_table(status.assign(targets=status["targets"].str.join(" "), no_value=status["no_value"].str.join(" "),
                                   compiles=compiles, days_late=status["days_late"].where(~compiles)),
                     f"returns_{as_of}")

# %%
sources = review_data.sources_for(state, plan.codes)
brief.set_page_meta(
    title=title,
    language=language,
    subtitle=i18n.t(f"report.kinds.{report_kind.name}.subtitle", language, year=as_of, start=start, mid=mid, end=end),
    kicker=i18n.t("report.kicker", language),
    sources=sources,
    illustrative=illustrative,
    preview=brief.preview_note(as_of, written_on, language),  # a rehearsal before the year began says so
)

# %% tags=["remove-output"]
# In JupyterLab the analyst sees this banner; the brief carries the same banner under its header.
brief.illustrative_banner(language) if illustrative else None

# %% [markdown] tags=["remove-cell"]
# The summary: the place reported on, what fell due this year, the mid-term outcome, the outlook, how many
# targets have a value for N. Every sentence lists only groups that have targets.

# %%
coverage = plan.plan.coverage_on(plan.plan.report_day(as_of))
reason = (coverage.reason_vi if language == "vi" else coverage.reason_en) if coverage else ""
summary = [i18n.t("report.place_line", language, place=review_data.place_label(places, place, language), reason=reason)]
if kind == "final":
    summary += [rep.final_sentence(final, plan, language),
                *rep.change_lines(annex, changes, plan, year=as_of, language=language)]
else:
    summary += [rep.due_sentence(plan, state.assessment, year=as_of, language=language),
                rep.maintained_sentence(annex, plan, year=as_of, language=language),
                *rep.decline_sentences(annex, plan, year=as_of, language=language),
                rep.midterm_sentence(annex, plan, language), rep.outlook_sentence(annex, plan, language),
                # what moved over the year (3.5a's step is said above, with its noise)
                *rep.change_lines(annex, changes, plan, year=as_of, language=language,
                                  said=rep.decline_codes(annex, plan, year=as_of)),
                rep.valued_sentence(annex, total=len(plan.targets), year=as_of, language=language),
                i18n.t("report.estimate_note", language, year=as_of,
                       due=rep.day_text(plan.plan.report_day(as_of), language))]
summary = [s for s in summary if s]
Section(i18n.t("report.sections.summary", language), paragraphs=summary)

# %%
# Each chart is shown with its description in words, from the data it draws (its image's alternative text).
display(Chart(charts.status_dot_plot(state.assessment, plan.targets, year=end, language=language, as_of=as_of,
                                     names=[f"{t.code} {messages.short_name(t, language, 40)}" for t in plan.targets])))
# The charts are numbered as in the Word version: the overview first, then one per objective.
Caption(i18n.t("report.docx.figure", language, n=1, caption=i18n.t("report.docx.captions.status", language, year=end)))

# %%
final_shown = rep.final_table(final, plan, language) if final is not None else None
display(Section(i18n.t("report.sections.final_judgement", language),
                paragraphs=[rep.midterm_sentence(annex, plan, language, compared=True)])) if "final_judgement" in sections else None
display(Table(final_shown, download=f"final_{as_of}.csv", download_label=download_label,
              banner=banner, notes=legend)) if "final_judgement" in sections else None

# %%
path_places = list(dict.fromkeys([place, plan.plan.place]))
path = rep.path_frame(state.shown, plan, places=path_places, first=plan.plan.baseline_year, last=as_of)
path_shown = rep.path_table(path, plan, place_names={p: review_data.place_label(places, p, language) for p in path_places},
                            first=plan.plan.baseline_year, last=as_of, language=language)
display(Section(i18n.t("report.sections.path", language), paragraphs=[i18n.t("report.path_note", language)])) if "path" in sections else None
display(Table(path_shown, download=f"path_{start}_{as_of}.csv", download_label=download_label,
              banner=banner)) if "path" in sections else None

# %%
changes_shown = rep.changes_table(changes, plan, language, year=as_of)
revisions_shown = rep.revisions_table(
    revisions, plan, language=language, publish=publish,
    place_name=lambda code: review_data.place_label(places, code, language) if code in places else code,
    agency_name=lambda code: (agencies[code].name_vi if language == "vi" else agencies[code].name_en) if code in agencies else code,
    public_places={p for p in places.codes if places[p].level == "province"})
changes_text = [rep.changes_intro(changes, year=as_of, language=language),
                i18n.t("report.revisions_intro", language, prev=as_of - 1) if len(revisions) else i18n.t("report.no_revisions", language, prev=as_of - 1)]
display(Section(i18n.t("report.sections.changes", language), paragraphs=changes_text[:1])) if "changes" in sections else None
display(Table(changes_shown)) if "changes" in sections and len(changes) else None
display(Section(i18n.t("report.revisions_title", language), paragraphs=changes_text[1:], level=3)) if "changes" in sections else None
display(Table(revisions_shown)) if "changes" in sections and len(revisions) else None

# %%
status_shown = returns.status_table(status, language, coordinator=collector)
returns_text = [i18n.t("report.returns_intro", language, year=as_of,
                      due=rep.day_text(plan.plan.report_day(as_of), language), coordinator=collector_name)]
# The agencies with a usable return, out of those that send theirs to the coordinator (not the coordinator itself);
# those whose only files were refused whole are counted apart.
returns_text += [returns.count_words(status, language, coordinator=collector, coordinator_name=collector_name,
                                     year=as_of, date=written_on)]
display(Section(i18n.t("report.sections.reporting", language), paragraphs=returns_text)) if "reporting" in sections else None
display(Table(status_shown)) if "reporting" in sections else None

# %%
# What moved is said in the summary; this section asks the board for decisions only.
# A decision names its target in full: a directive does not cut a name short (the annex does, for space).
key_messages = rep.key_messages(annex, changes, plan, year=as_of, missing_agencies=missing, refused_returns=refused,
                                due=not_due, language=language, results=False, name_limit=200)
Section(i18n.t("report.sections.messages", language), bullets=key_messages)

# %%
# The charts, one objective each under its own heading (they sat under the last section's heading).
display(Section(i18n.t("report.sections.by_objective", language)))
for obj in plan.objectives:
    display(Section(i18n.t("objective.title", language, number=obj.number,
                           title=obj.title_vi if language == "vi" else obj.title_en), level=3))
    display(Chart(charts.small_multiples(state.shown, plan.targets_of(obj.number), place=place,
                                         forecasts=state.forecasts, language=language,
                                         place_name=review_data.place_label(places, place, language),
                                         titles=[f"{t.code} · {messages.short_name(t, language, 90)}"
                                                 for t in plan.targets_of(obj.number)])))
    display(Caption(i18n.t("report.docx.figure", language, n=1 + obj.number,
                           caption=i18n.t("report.docx.captions.objective", language, number=obj.number))))

# %%
# The sections people write are written in the Word document; the brief says where they are (the report the
# coordinator signs), never a prompt.
for section in report_kind.editable:
    display(Section(i18n.t(f"report.sections.{section}", language),
                    paragraphs=[i18n.t("report.docx.editable_note", language, code=collector, year=written_on.year,
                                       coordinator=collector_name)]))

# %%
# The annex last, as the report's appendix (as in the Word version), on landscape pages of its own in print
# (eleven columns).
annex_shown = rep.annex_table(annex, plan, year=as_of, language=language, name_limit=48)
display(Page([Section(i18n.t("report.sections.annex", language)),
              Table(annex_shown, download=f"annex_{as_of}.csv", download_label=download_label, banner=banner,
                    notes=legend)],
             kind="annex")) if "annex" in sections else None

# %%
Note(state.disclosure.footnote(language)) if publish else None

# %% [markdown] tags=["remove-cell"]
# The department's editable versions: the whole report as a Word document (same tables and charts, the
# sections people write left headed and empty) and its tables as an Excel workbook.

# %% tags=["remove-cell"]
notes = [i18n.t("report.docx.illustrative", language)] if illustrative else []
notes += [i18n.t("report.docx.generated", language, date=rep.day_text(written_on, language))]
notes += [state.disclosure.footnote(language)] if publish else []
figures = [office.figure_png(charts.status_dot_plot(
    state.assessment, plan.targets, year=end, language=language, as_of=as_of,
    names=[f"{t.code} {messages.short_name(t, language, 40)}" for t in plan.targets]))]
figures += [office.figure_png(charts.small_multiples(
    state.shown, plan.targets_of(o.number), place=place, forecasts=state.forecasts, language=language,
    titles=[f"{t.code} · {messages.short_name(t, language, 90)}" for t in plan.targets_of(o.number)]))
    for o in plan.objectives]
objective_captions = [i18n.t("report.docx.captions.objective", language, number=o.number) for o in plan.objectives]
annex_full = rep.annex_table(annex, plan, year=as_of, language=language, name_limit=200)
content = {
    "summary": office.Block(i18n.t("report.sections.summary", language), paragraphs=summary, figures=figures[:1],
                            captions=[i18n.t("report.docx.captions.status", language, year=end)]),
    "annex": office.Block(i18n.t("report.sections.annex", language), tables=[("", annex_full)], landscape=True,
                          appendix=True, after=legend, reference=i18n.t(
                              "report.docx.letterhead.annex_ref", language, code=collector, year=written_on.year,
                              agency=collector_name)),
    "final_judgement": office.Block(i18n.t("report.sections.final_judgement", language), paragraphs=[rep.midterm_sentence(annex, plan, language, compared=True)],
                                    tables=[("", final_shown)] if final_shown is not None else [],
                                    after=legend if final_shown is not None else ()),
    "path": office.Block(i18n.t("report.sections.path", language), paragraphs=[i18n.t("report.path_note", language)], tables=[("", path_shown)],
                         figures=figures[1:], captions=objective_captions),
    "changes": office.Block(i18n.t("report.sections.changes", language), paragraphs=changes_text[:1],
                            tables=[("", changes_shown)] if len(changes) else []),
    "revisions": office.Block(i18n.t("report.revisions_title", language), paragraphs=changes_text[1:],
                              tables=[("", revisions_shown)] if len(revisions) else [], level=2),
    "reporting": office.Block(i18n.t("report.sections.reporting", language), paragraphs=returns_text, tables=[("", status_shown)]),
    "messages": office.Block(i18n.t("report.sections.messages", language), bullets=rep.key_messages(
        annex, changes, plan, year=as_of, missing_agencies=missing, refused_returns=refused, due=not_due,
        language=language, name_limit=200, results=False)),
}
# The Word file is laid out as a department's report: what was directed and done first, then the results
# (the revisions under the changes, as in the brief), the sections people write, the sources, the
# recipients and signature; the annex follows as its appendix, on landscape pages.
period = i18n.t(f"report.periods.{report_kind.name}", language, year=as_of, start=start)
written = {s: office.Block(i18n.t(f"report.sections.{s}", language),
                           prompt=i18n.t(f"report.prompts.{s}", language, period=period)) for s in report_kind.editable}
blocks = [written[s] for s in written if s == "direction"]
blocks += [content[k] for s in sections for k in ((s, "revisions") if s == "changes" else (s,)) if k in content]
if "path" not in sections:  # the charts, each objective under its heading
    blocks += [office.Block(i18n.t("report.sections.by_objective", language))]
    blocks += [office.Block(i18n.t("objective.title", language, number=o.number,
                                   title=o.title_vi if language == "vi" else o.title_en), figures=[png], level=2,
                            captions=[caption])
               for o, png, caption in zip(plan.objectives, figures[1:], objective_captions, strict=True)]
blocks += [written[s] for s in written if s != "direction"]
blocks += [office.Block(i18n.t("brief.sources", language), bullets=[brief.source_text(s, language) for s in sources])]
words = i18n.entries("report.docx.letterhead", language)
letterhead = office.Letterhead(
    left=[words["authority"], collector_name.upper(),
          i18n.t("report.docx.letterhead.number", language, code=collector)],
    right=[words["nation"], words["motto"], i18n.t("report.docx.letterhead.place_date", language, year=written_on.year)],
    recipients_title=words["recipients"],
    recipients=list(i18n.entries("report.docx.letterhead.recipient_lines", language).values()),
    signature=[words["signer"], words["sign_note"]])
runner.publish_file(office.document(blocks, title=title, notes=notes, language=language, kicker=i18n.t("report.kicker", language),
                                    letterhead=letterhead,
                                    banner=banner,
                                    subtitle=i18n.t(f"report.kinds.{report_kind.name}.subtitle", language, year=as_of, start=start,
                                                   mid=mid, end=end)), f"{report_kind.name}_{as_of}.docx")
sheets = {i18n.t("report.xlsx.annex", language): annex_full,
          i18n.t("report.xlsx.numbers", language): rep.annex_numbers(annex, plan, year=as_of, language=language),
          i18n.t("report.xlsx.returns", language): status_shown}
if "changes" in sections:  # an empty table says so on its first row, as the brief says it in words
    sheets |= {i18n.t("report.xlsx.changes", language): office.said_empty(changes_shown, changes_text[0]),
               i18n.t("report.xlsx.revisions", language): office.said_empty(revisions_shown, changes_text[1])}
if final_shown is not None:
    sheets |= {i18n.t("report.xlsx.final", language): final_shown, i18n.t("report.xlsx.path", language): path_shown}
runner.publish_file(office.workbook(sheets, title=title, notes=notes + legend,
                                    notes_sheet=i18n.t("report.xlsx.notes", language),
                                    banner=banner),
                    f"{report_kind.name}_{as_of}.xlsx")
