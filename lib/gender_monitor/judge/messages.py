"""Key messages and the status table of a review, generated from the assessment frame in vi and en.

Every number in a message is counted or read from the assessment frame
(:func:`gender_monitor.judge.assessment.assess`); words come from ``locales/<language>/``. Tables are
HTML strings with inline styles (a brief carries no external style sheet): every status cell shows its
symbol, its label and its colour, so colour is never the only cue.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from gender_monitor.core import i18n
from gender_monitor.plan.registry import Plan, Target

#: Status groups used in the counts of the key messages.
GROUPS: dict[str, tuple[str, ...]] = {
    "met": ("exceeded", "met"),
    "likely": ("likely",),
    "close": ("too_close",),
    # Too few values to judge: said as the table and the index say it, not as "too close to call" (no interval).
    "insufficient": ("insufficient_data",),
    "bad": ("unlikely", "not_met"),
    "nodata": ("no_data", "not_applicable"),
    # An outcome judged on a value kept from publication (disclosure): counted, so the groups add up.
    "hidden": ("hidden",),
}
#: How many risks the key messages name.
TOP_RISKS = 5
#: Fewer points than this make a projection rest on "only n data points".
FEW_POINTS = 5
#: Arrows show which way the value moves; whether that is good is said in words beside them.
TREND_ARROW = {"up": "↗", "stable": "→", "down": "↘", "unknown": "·"}


def trend_arrow(trend: str, direction: str) -> str:
    """The arrow of a trend: ↗ when the value rises, ↘ when it falls, → when stable.

    ``trend`` is judged against the target's ``direction`` (improving means falling when lower is
    better), so a falling child-marriage count shows ↘ and the word "cải thiện" (improving).
    """
    if trend in ("stable", "unknown"):
        return TREND_ARROW[trend]
    rises = (trend == "improving") == (direction == "higher")
    return TREND_ARROW["up" if rises else "down"]


# --- formatting -----------------------------------------------------------------------------------

def _finite(x: Any) -> bool:
    try:
        return x is not None and not pd.isna(x) and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


#: Decimals a value of each unit is written with (others: 1).
DIGITS: dict[str, int] = {"ratio": 2, "count": 0, "yes_no": 0}


def digits_of(unit: str | Target) -> int:
    """How many decimals a value in ``unit`` (a code, or a target's) is written with: 2 for a ratio, 0 for a
    count, else 1."""
    return DIGITS.get(_code(unit), 1)


def _code(unit: str | Target) -> str:
    """The unit's code, given the code or a target."""
    return unit.unit if isinstance(unit, Target) else str(unit)


def rate_unit(unit: str | Target, language: str = "vi") -> str | None:
    """What follows the number of a rate of two counts wherever one is written (a value, a target, an interval's
    upper end, a yearly pace, :func:`gender_monitor.judge.report.pace_unit`'s column): ``‰``, `` bé trai/100 bé
    gái``; for a target whose rate names its denominator, the words of the report's unit column (`` ca/100.000
    trẻ sinh sống`` for 4.2, :func:`unit_words`), so that "38,3 ca/100.000 trẻ sinh sống" and "−0,2 ca/100.000
    trẻ sinh sống mỗi năm" say the unit alike. A unit code alone, or a target whose metadata names no denominator,
    gets the unit's general form (``/100.000``). None for a unit that is not a rate.
    """
    code = _code(unit)
    general = i18n.entries("rate_units", language)
    if code not in general:
        return None
    if isinstance(unit, Target) and (unit.per_vi if language == "vi" else unit.per_en) \
            and code in i18n.entries("units_per", language):
        return i18n.t("rate_unit_named", language, unit=unit_words(unit, language))
    return general[code]


def plan_digits(*xs: Any) -> int:
    """How many decimals the plan writes a target's number with: as many as it has in the plan (``parameters/
    plan.yaml``, whose figures are the plan text's: 1.7 for "1,7 lần", 42 for "42/100.000"), the most of ``xs`` (a
    value and the tolerance its edge lies at: 45 ± 1). A unit's fixed decimals would write 3.1's "≤1,70 lần"."""
    places = [-Decimal(repr(float(x))).normalize().as_tuple().exponent for x in xs if _finite(x)]
    return max([0, *places])  # type: ignore[list-item]


def format_value(x: Any, unit: str | Target, language: str = "vi", *, keep_zeros: bool = True,
                 digits: int | None = None) -> str:
    """A measured value in its unit for a reader: ``55,0%``, ``111,3 bé trai/100 bé gái``, ``38,3 ca/100.000 trẻ
    sinh sống``, ``1,78 lần``, ``có``; missing: ``–``.

    ``unit`` is the unit's code or, better, the target: a rate is then written with the denominator the plan
    names for it (:func:`rate_unit`). Every value of a unit is written with the same decimals (``50,0%`` beside
    ``44,6%``); ``keep_zeros=False`` drops them from a whole number; ``digits`` gives other decimals (a target's,
    as the plan writes it: :func:`plan_digits`).
    """
    if not _finite(x):
        return "–"
    x, code = float(x), _code(unit)
    if code == "yes_no":
        return i18n.t("values.yes" if x >= 0.5 else "values.no", language)
    text = i18n.number(x, language, digits_of(code) if digits is None else digits, keep_zeros=keep_zeros)
    if code == "percent":
        return f"{text}%"
    rate = rate_unit(unit, language)
    if rate is not None:  # a rate says what it counts per how many
        return text + rate
    if code == "ratio":
        return i18n.t("values.ratio", language, value=text)
    return text


def unit_words(unit: str | Target, language: str = "vi") -> str:
    """A unit in the words an axis or a note gives it: ``%``, ``bé trai/100 bé gái``, ``lần``.

    Given a target, a rate names what it is counted per as the plan's metadata says (``per_vi``/``per_en``:
    "ca/100.000 trẻ sinh sống" for 4.2); given a unit code alone, or a target whose metadata names no
    denominator (an indicator of a targets file), the unit's general words ("trên 100.000"), never another
    indicator's denominator. A count's words are empty (the caller says what is counted).
    """
    target = unit if isinstance(unit, Target) else None
    code = target.unit if target is not None else str(unit)
    per = (target.per_vi if language == "vi" else target.per_en) if target is not None else None
    if per and code in i18n.entries("units_per", language):
        return i18n.t(f"units_per.{code}", language, per=per)
    return i18n.t(f"units.{code}", language)


def format_interval(lo: Any, hi: Any, unit: str | Target, language: str = "vi") -> tuple[str, str]:
    """The two ends of an interval for ``{lo}–{hi}``: the unit is written once, after the upper end
    (``25,0–27,8%``, ``1,43–2,07 lần``, ``20,1–70,5 ca/100.000 trẻ sinh sống``), and both ends with the same
    decimals. ``unit``: the code or the target (:func:`format_value`)."""
    if not (_finite(lo) and _finite(hi)) or _code(unit) == "yes_no":
        return format_value(lo, unit, language), format_value(hi, unit, language)
    return i18n.number(float(lo), language, digits_of(unit), keep_zeros=True), format_value(hi, unit, language)


def decline_range(tv: Any, language: str = "vi") -> str:
    """The yearly fall a rate-of-decline target asks, in percent without its sign, as the plan writes it:
    ``2–3`` (or ``2``)."""
    said = [i18n.number(x, language, plan_digits(x)) for x in (tv.value, tv.upper) if x is not None]
    return "–".join(said)


def target_text(target: Target, year: int, language: str = "vi") -> str:
    """The target of one year as the plan writes it: ``≤111 bé trai/100 bé gái``, ``≥60%``, ``100%``, ``≤1,7 lần``
    (with the plan's decimals, :func:`plan_digits`), ``giảm 2–3%/năm``, ``khoảng 45% (từ 44% trở lên)``; ``–`` if
    none."""
    tv = target.target_for(year)
    if tv is None:
        return i18n.t("targets.none", language)
    if target.kind == "direction" or tv.comparator is None:
        return i18n.t(f"targets.direction_{target.direction}", language)
    if target.kind == "rate_of_decline":
        return i18n.t("targets.decline", language, value=decline_range(tv, language))
    if target.unit == "yes_no":
        return i18n.t("values.yes", language)
    value = format_value(tv.value, target, language, digits=plan_digits(tv.value))
    whole = target.unit == "percent" and tv.value == 100 and tv.comparator == ">="  # "≥100%" cannot be exceeded
    if tv.comparator == "=" or whole:
        return value  # "100%" reads better than "=100%"
    if tv.comparator == "~":
        digits = plan_digits(tv.value, tv.tolerance)  # 44, not 44,000000001
        edge = format_value(round(tv.threshold(target.direction), digits), target, language, digits=digits)
        return i18n.t(f"targets.approx_{target.direction}", language, value=value, edge=edge)
    return f"{tv.symbol}{value}"


def full_name(target: Target, language: str = "vi") -> str:
    """The target's name as a reader sees it (the display name where the plan has one), capitalised."""
    name = (target.display_vi or target.name_vi) if language == "vi" else target.name_en
    return name[:1].upper() + name[1:]


def short_name(target: Target, language: str = "vi", limit: int = 70) -> str:
    """The target's name, capitalised, shortened to about ``limit`` characters between two words with an
    ellipsis (:func:`gender_monitor.core.i18n.shorten`: never inside a word of several syllables, never on
    a word that leads into what was cut, such as "các" of "các cấp")."""
    return i18n.shorten(full_name(target, language), limit, language)


def _rows(assessment: pd.DataFrame, year: int) -> pd.DataFrame:
    return assessment[assessment["target_year"] == year]


def _group_counts(rows: pd.DataFrame) -> dict[str, int]:
    return {g: int(rows["status"].isin(statuses).sum()) for g, statuses in GROUPS.items()}


def _p(x: Any, language: str) -> str:
    from gender_monitor.judge.assessment import LIKELY, UNLIKELY

    return i18n.percent(float(x), language, edges=(UNLIKELY, LIKELY)) if _finite(x) else "–"


# --- HTML pieces -----------------------------------------------------------------------------------

#: Statuses said otherwise once their year has come (the final review): what most likely happened.
END_STATUSES = ("likely", "unlikely", "not_met")


def status_label(status: str, language: str = "vi", *, ended: bool = False) -> str:
    """A status in words; ``ended`` (the report of the target's year or later): "nhiều khả năng (không) đạt",
    "không đạt", not an outlook with years to go ("khó đạt") or a level not reached yet ("chưa đạt")."""
    if ended and status in END_STATUSES:
        return i18n.t(f"report.end_status.{status}", language)
    return i18n.status_label(status, language)


def reads_ended(status: Any, target_year: Any, as_of: Any, judged_on: Any = None) -> bool:
    """Whether a status reads in end words (:func:`status_label`): the review's year ``as_of`` has reached the
    target's year, so its outcome is no longer ahead ("không đạt", not "chưa đạt"; "nhiều khả năng đạt", not
    "có khả năng đạt"). The one rule of every output that words a status (the assessment's labels, the board's
    tables, the charts, the report): a mid-term review of 2025 and its objective briefs say the same word.

    A target not met on an earlier year's value (a milestone still to do, judged on its latest value) is "chưa
    đạt" even in its year: the outcome is not known, only that it was not reached by then.
    """
    if as_of is None or not _finite(as_of) or not _finite(target_year) or status not in END_STATUSES:
        return False
    if int(as_of) < int(target_year):
        return False
    return not (status == "not_met" and judged_on == "latest")


def row_label(row: Any, language: str = "vi", as_of: Any = None) -> str:
    """An assessment row's status in words as of the review's year ``as_of`` (:func:`reads_ended`)."""
    status = str(row["status"])
    return status_label(status, language, ended=reads_ended(status, row["target_year"], as_of, row.get("judged_on")))


def status_cell_html(status: str, language: str = "vi", *, detail: str = "", tooltip: str = "",
                     ended: bool = False) -> str:
    """A status as symbol + label on a light tint of its colour; ``detail`` (HTML) in small type below."""
    symbol, colour = i18n.STATUS_STYLE[status]
    label = html.escape(status_label(status, language, ended=ended))
    extra = f'<span style="display:block;font-size:.68rem;color:#374151;font-weight:400">{detail}</span>' if detail else ""
    title = f' title="{html.escape(tooltip)}"' if tooltip else ""
    return (f'<span class="gm-status gm-status-{status}" data-status="{status}"{title} '
            f'style="display:inline-block;padding:.05rem .35rem;border-left:5px solid {colour};line-height:1.25;'
            f'background:{colour}22;border-radius:3px;color:#111;font-weight:600;font-size:.76rem">'
            f'<span style="white-space:nowrap"><span aria-hidden="true" style="color:{colour};font-weight:700">{symbol}</span> '
            f'{label}</span>{extra}</span>')


#: What the board can do about a target, in the order the snapshot counts them (words: ``board.action.*``);
#: ``hidden``: a course read off a status that is not published would say it (see :func:`action`).
ACTIONS = ("maintain", "accelerate", "reverse", "get_data", "hidden")
#: A target "too close to call" on fewer points than this calls for data before action.
MIN_POINTS_TO_ACT = 3


def action(row: pd.Series | None) -> str | None:
    """The board's course for a target, from its assessment row (the end year's where there is one).

    ``maintain`` when met, exceeded or likely; ``get_data`` when there is no value, too little data, or a
    close call on fewer than :data:`MIN_POINTS_TO_ACT` points; ``reverse`` when the trend moves away from
    the target; ``hidden`` when its status is not published (disclosure control): "maintain" would say it is met
    or likely, "accelerate" that it is improving; otherwise ``accelerate``. None for a target that does not apply.
    """
    if row is None:
        return "get_data"
    status = str(row["status"])
    if status == "not_applicable":
        return None
    if status in ("no_data", "insufficient_data"):
        return "get_data"
    if status == "hidden":
        return "hidden"
    if status in ("exceeded", "met", "likely"):
        return "maintain"
    if status == "too_close" and _finite(row.get("n_obs")) and int(row["n_obs"]) < MIN_POINTS_TO_ACT:
        return "get_data"
    return "reverse" if str(row.get("trend")) == "worsening" else "accelerate"


def _decisive_row(assessment: pd.DataFrame, code: str, later_year: int) -> pd.Series | None:
    """The row the board acts on: the end year's, else the latest target year's."""
    rows = assessment[assessment["code"] == code].sort_values("target_year")
    if rows.empty:
        return None
    later = rows[rows["target_year"] == later_year]
    return later.iloc[0] if len(later) else rows.iloc[-1]


def action_counts(assessment: pd.DataFrame, plan: Plan, *, later_year: int = 2030) -> dict[str, int]:
    """How many targets call for each action (:data:`ACTIONS` order, zeros kept)."""
    found = [action(_decisive_row(assessment, t.code, later_year)) for t in plan.targets]
    return {a: found.count(a) for a in ACTIONS}


def action_counts_text(counts: dict[str, int], language: str = "vi") -> str:
    """``Hướng xử lý: Duy trì 6, Đẩy nhanh 12, …`` (actions with no target left out)."""
    parts = [i18n.t("board.action_count", language, action=i18n.t(f"board.action.{a}", language), n=n)
             for a, n in counts.items() if n]
    return i18n.t("board.action_counts", language, counts=", ".join(parts))


def _chip(status: str, language: str, extra: str = "", *, ended: bool = False) -> str:
    symbol, colour = i18n.STATUS_STYLE[status]
    label = html.escape(status_label(status, language, ended=ended))
    return (f'<span class="gm-chip" data-status="{status}" style="border-left:4px solid {colour};'
            f'background:{colour}22;padding:0 .3rem;display:inline-block">'
            f'<b aria-hidden="true" style="color:{colour}">{symbol}</b> {label}{extra}</span>')


def snapshot_html(assessment: pd.DataFrame, plan: Plan, *, language: str = "vi", year: int = 2025,
                  later_year: int = 2030, suppressed_below: int | None = None, as_of: int | None = None) -> str:
    """The board's one-page snapshot: every target on one line with its latest value (unit, year, the
    arrow of its movement), its status for ``year``, its outlook for ``later_year`` with the probability
    of meeting it, and the action it calls for (:func:`action`). ``as_of``: the review's year; a target
    year it has reached reads in end words (:func:`reads_ended`), as in the objective briefs' tables.

    Returns
    -------
    str
        An HTML ``<table class="gm-snapshot">`` (one ``<tr data-code>`` per target, in plan order).
    """
    h = i18n.entries("board.columns", language)
    head = [h["code"], h["indicator"], h["latest"], i18n.t("board.columns.year", language, year=year),
            i18n.t("board.columns.outlook", language, year=later_year), h["action"]]
    th = "".join(f"<th>{html.escape(x)}</th>" for x in head)
    body = []
    for t in plan.targets:
        rows = assessment[assessment["code"] == t.code]
        first = rows.iloc[0] if len(rows) else None
        latest = _latest_line(first, t, language, suppressed_below)
        cells = [f"<td><b>{t.code}</b></td>",
                 f'<td title="{html.escape(t.name_vi if language == "vi" else t.name_en)}">'
                 f"{html.escape(short_name(t, language, 44))}</td>",
                 f'<td class="gm-num">{latest}</td>']
        for yr in (year, later_year):
            r = rows[rows["target_year"] == yr]
            if r.empty:
                cells.append(f'<td class="gm-muted">{html.escape(i18n.t("board.no_target", language))}</td>')
                continue
            row = r.iloc[0]
            p = (f" ({_p(row['p_meet'], language)})" if yr == later_year and _finite(row["p_meet"])
                 and row["judged_on"] in ("projection", "pace") else "")
            ended = reads_ended(row["status"], yr, as_of, row.get("judged_on"))
            cells.append(f"<td>{_chip(str(row['status']), language, html.escape(p), ended=ended)}</td>")
        act = action(_decisive_row(assessment, t.code, later_year))
        cells.append(f'<td class="gm-action gm-action-{act}">'
                     f'{html.escape(i18n.t(f"board.action.{act}", language)) if act else "–"}</td>')
        body.append(f'<tr data-code="{t.code}">' + "".join(cells) + "</tr>")
    widths = "".join(f'<col style="width:{w}%">' for w in (6, 31, 16, 16, 19, 12))
    return (f'<table class="gm-snapshot"><colgroup>{widths}</colgroup><thead><tr>{th}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _latest_line(row: pd.Series | None, t: Target, language: str, suppressed_below: int | None) -> str:
    """``55% ↗ (2024)`` on one line; a hidden value says so; none: an en dash."""
    if row is None:
        return "–"
    if bool(row.get("suppressed", False)):
        return f'<em>{html.escape(i18n.t("charts.suppressed", language, threshold=suppressed_below or ""))}</em>'
    if not _finite(row["latest_value"]):
        return "–"
    trend = str(row["trend"])
    arrow = "" if trend == "unknown" else (
        f' <span title="{html.escape(i18n.t(f"trend.{trend}", language))}">{trend_arrow(trend, t.direction)}</span>')
    return (f'{html.escape(format_value(row["latest_value"], t, language))}'
            f'{arrow} <span class="gm-muted">({int(row["latest_year"])})</span>')


def summary_table_html(assessment: pd.DataFrame, plan: Plan, *, language: str = "vi",
                       year: int = 2025, later_year: int = 2030, codes: Iterable[str] | None = None,
                       suppressed_below: int | None = None, as_of: int | None = None) -> str:
    """The board's table: one row per target with code, name, latest value and trend, targets and status.

    Each status cell shows the status (symbol, label, colour), what it is judged on, the projection with
    its 80% interval and the probability of meeting the target.

    Parameters
    ----------
    assessment
        The assessment frame (one row per target × target year).
    plan
        The plan (names, units, target values).
    language
        ``vi`` or ``en``.
    year, later_year
        The review year and the end year: one target column and one status column each.
    codes
        Only these targets (an objective's), in plan order; all by default.
    suppressed_below
        The disclosure threshold, shown where a latest value was suppressed ("ẩn (< 5)").
    as_of
        The report's year: a target year it has reached is judged in end words (:func:`status_label`).

    Returns
    -------
    str
        An HTML ``<table class="gm-summary">``.
    """
    detail = f'<br><span style="font-weight:400">({html.escape(i18n.t("table.status_detail", language))})</span>'
    head = [(html.escape(i18n.t("table.code", language)), ""),
            (html.escape(i18n.t("table.indicator", language)), "min-width:8rem;max-width:12rem"),
            (html.escape(i18n.t("table.latest", language)), "text-align:right"),
            (html.escape(i18n.t("table.target", language, year=year)), "text-align:right"),
            (html.escape(i18n.t("table.status", language, year=year)) + detail, ""),
            (html.escape(i18n.t("table.target", language, year=later_year)), "text-align:right"),
            (html.escape(i18n.t("table.status", language, year=later_year)) + detail, "")]
    th = "".join(f'<th style="{style};font-size:.74rem;padding:.2rem .3rem">{h}</th>' for h, style in head)
    td = "padding:.18rem .3rem;vertical-align:middle"
    body = []
    for t, rows, cells_status in _summary_rows(assessment, plan, year=year, later_year=later_year, codes=codes,
                                               as_of=as_of):
        first = rows.iloc[0] if len(rows) else None
        cells = [f'<td style="{td}"><b>{t.code}</b></td>',
                 f'<td style="{td};font-size:.74rem;line-height:1.2" '
                 f'title="{html.escape(t.name_vi if language == "vi" else t.name_en)}">'
                 f"{html.escape(short_name(t, language, 52))}</td>",
                 f'<td style="{td};text-align:right;white-space:nowrap;line-height:1.15">'
                 f"{_latest_text(first, t, language, suppressed_below)}</td>"]
        for yr, row, ended in cells_status:
            cells.append(f'<td style="{td};text-align:right;font-size:.78rem;max-width:5.5rem">'
                         f"{html.escape(target_text(t, yr, language))}</td>")
            if row is None:
                cells.append(f'<td style="{td};color:#6b7280">–</td>')
                continue
            cell = status_cell_html(str(row["status"]), language, detail=_status_detail(row, t, language),
                                    tooltip=_interval_text(row, t, language), ended=ended)
            cells.append(f'<td style="{td};min-width:10.5rem">{cell}</td>')
        body.append(f'<tr data-code="{t.code}">' + "".join(cells) + "</tr>")
    return ('<table class="gm-summary" style="font-size:.8rem;width:100%;margin:.3rem 0">'
            f"<thead><tr>{th}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def _summary_rows(assessment: pd.DataFrame, plan: Plan, *, year: int, later_year: int,
                  codes: Iterable[str] | None, as_of: int | None):
    """The summary table's rows: each target (plan order) with its assessment rows and, for ``year`` and
    ``later_year``, ``(year, row or None, ended)``: the status cell and whether it reads in end words."""
    wanted = set(codes) if codes is not None else None
    for t in plan.targets:
        if wanted is not None and t.code not in wanted:
            continue
        rows = assessment[assessment["code"] == t.code]
        cells = []
        for yr in (year, later_year):
            r = rows[rows["target_year"] == yr]
            if r.empty:
                cells.append((yr, None, False))
                continue
            row = r.iloc[0]
            cells.append((yr, row, reads_ended(row["status"], yr, as_of, row.get("judged_on"))))
        yield t, rows, cells


def summary_statuses(assessment: pd.DataFrame, plan: Plan, *, year: int = 2025, later_year: int = 2030,
                     codes: Iterable[str] | None = None, as_of: int | None = None) -> list[tuple[str, bool]]:
    """The ``(status, ended)`` pairs :func:`summary_table_html` shows with the same arguments, each once, in
    the order of :data:`i18n.STATUS_STYLE`: what its legend must explain, and nothing else."""
    used = {(str(row["status"]), ended)
            for _, _, cells in _summary_rows(assessment, plan, year=year, later_year=later_year, codes=codes,
                                             as_of=as_of)
            for _, row, ended in cells if row is not None}
    order = list(i18n.STATUS_STYLE)
    return sorted(used, key=lambda p: (order.index(p[0]), p[1]))


def _latest_text(row: pd.Series | None, t: Target, language: str, suppressed_below: int | None = None) -> str:
    """``55% ↗`` over ``(2024)``: the latest value, the trend arrow (in words as a tooltip) and its year."""
    if row is None:
        return "–"
    trend = str(row["trend"])
    words = html.escape(i18n.t(f"trend.{trend}", language))
    # No arrow for a trend not known: its mark ("·") beside the value read as a stray separator.
    arrow = f' <span aria-hidden="true">{trend_arrow(trend, t.direction)}</span>' if trend != "unknown" else ""
    if bool(row.get("suppressed", False)):
        return f'<em>{html.escape(i18n.t("charts.suppressed", language, threshold=suppressed_below or ""))}</em>'
    if not _finite(row["latest_value"]):
        return "–"
    # The trend word is printed (a PDF shows no tooltips); the arrow only shows the movement.
    said = f" · {words}" if trend != "unknown" else ""
    return (f'{html.escape(format_value(row["latest_value"], t, language))}{arrow}'
            f'<br><span style="color:#6b7280;font-size:.7rem">({int(row["latest_year"])}){said}</span>')


def _status_detail(row: pd.Series, t: Target, language: str) -> str:
    """The small line under a status: what it is judged on and the value, then the probability; none under a
    status not published (its basis, "dự báo", would name a projection the brief withholds, as the indicator's
    own lines leave it out)."""
    judged = row["judged_on"]
    if row["status"] == "hidden":
        return ""
    if judged in ("none", "latest") or pd.isna(judged):
        return html.escape(i18n.t(f"judged.{judged}", language)) if judged == "latest" else ""
    if judged == "pace":
        value = pace_text(float(row["projected"]), language)
    else:
        value = format_value(row["projected"], t, language)
    parts = [f"{i18n.t(f'judged.{judged}', language)} {value}"] if _finite(row["projected"]) else []
    if _finite(row["p_meet"]) and judged in ("projection", "pace"):
        parts.append(i18n.t("table.p_short", language, p=_p(row["p_meet"], language)) if not parts
                     else _p(row["p_meet"], language))
    return html.escape(" · ".join(parts) or i18n.t(f"judged.{judged}", language))


def pace_text(fall: float, language: str) -> str:
    """A count's average yearly change in words: "giảm 2,8%/năm" (falling), "tăng 0,6%/năm" (rising), or "không
    đổi" when it rounds to 0 at the one decimal shown (not "giảm 0%/năm")."""
    if round(abs(fall), 1) == 0:
        return i18n.t("pace.none", language)
    key = "pace.fall" if fall >= 0 else "pace.rise"
    return i18n.t(key, language, value=i18n.number(abs(fall), language))


def _interval_text(row: pd.Series, t: Target, language: str) -> str:
    """The 80% projection interval as plain text (the status cell's tooltip); "" when there is none."""
    if row["judged_on"] != "projection" or not (_finite(row["lo-80"]) and _finite(row["hi-80"])):
        return ""
    lo, hi = format_interval(row["lo-80"], row["hi-80"], t, language)
    return i18n.t("table.interval80", language, lo=lo, hi=hi)


def thresholds_text(language: str = "vi", *, ended: bool = False) -> str:
    """The sentence that says which probabilities are "likely" and "unlikely" (from the assessment's cut-offs);
    ``ended``: in the words of a target year reached ("nhiều khả năng đạt")."""
    from gender_monitor.judge.assessment import LIKELY, UNLIKELY

    return i18n.t("legend.thresholds", language, likely=i18n.percent(LIKELY, language),
                  unlikely=i18n.percent(UNLIKELY, language),
                  likely_word=status_label("likely", language, ended=ended),
                  unlikely_word=status_label("unlikely", language, ended=ended),
                  close_word=status_label("too_close", language))


#: The statuses the legend shows when it is not told which a table uses.
LEGEND_STATUSES = ("exceeded", "met", "likely", "too_close", "unlikely", "not_met", "no_data")


def legend_html(language: str = "vi", *, illustrative: bool = False, ended: bool = False,
                statuses: Iterable[tuple[str, bool]] | None = None) -> str:
    """The legend: every status with symbol, label and colour, the thresholds and what a colour means;
    ``ended`` (a target year the brief has reached): how its judgements are worded ("nhiều khả năng đạt").

    ``statuses``: the ``(status, ended)`` pairs a table shows (:func:`summary_statuses`); the legend then
    lists exactly these, in the table's words, and explains end words only when the table uses them."""
    if statuses is None:
        pairs = [(s, False) for s in LEGEND_STATUSES]
    else:
        pairs = list(statuses)
        ended = any(e for _, e in pairs)
    chips = " ".join(status_cell_html(s, language, ended=e) for s, e in pairs)
    from gender_monitor.judge.assessment import EXCEED_MARGIN

    # The thresholds in the table's words: end words when the table has no outlook words.
    outlook = any(s in ("likely", "unlikely") and not e for s, e in pairs)
    values = {"margin": f"{i18n.number(100 * EXCEED_MARGIN, language, 1)}%",
              "example": format_value(60 * (1 + EXCEED_MARGIN), "percent", language, keep_zeros=False)}
    items = ["met", "colour", "trend"] + (["illustrative"] if illustrative else [])
    text = "".join(f"<li>{html.escape(i18n.t(f'legend.{k}', language, **values))}</li>" for k in items)
    first = [thresholds_text(language, ended=ended and not outlook)] + (
        [i18n.t("legend.ended", language)] if ended else [])
    lead = "".join(f"<li>{html.escape(x)}</li>" for x in first)
    return (f'<div class="gm-legend" style="font-size:.85rem"><p style="line-height:2">{chips}</p>'
            f"<ul>{lead}{text}</ul></div>")


def bullets_html(lines: Sequence[str | Sequence[str]]) -> str:
    """Messages as an HTML list; an item that is a list becomes a nested list (its first line the lead)."""
    out = []
    for item in lines:
        if isinstance(item, str):
            out.append(f"<li>{html.escape(item)}</li>")
        else:
            lead, *rest = item
            inner = "".join(f"<li>{html.escape(x)}</li>" for x in rest)
            out.append(f"<li>{html.escape(lead)}<ul>{inner}</ul></li>")
    return f'<ul class="gm-messages">{"".join(out)}</ul>'


# --- key messages ----------------------------------------------------------------------------------

def headline(assessment: pd.DataFrame, *, year: int = 2025, language: str = "vi", as_of: int | None = None) -> str:
    """``Trong 22 chỉ tiêu có mục tiêu năm 2025: 5 đã đạt hoặc vượt, …``; from ``as_of`` = ``year`` on, in the
    words of a target year reached ("không đạt hoặc nhiều khả năng không đạt"), as :func:`objective_headline`."""
    rows = _rows(assessment, year)
    return i18n.t("messages.headline", language, n=len(rows), year=year,
                  groups=group_phrase(_group_counts(rows), language, ended=as_of is not None and as_of >= year))


def group_phrase(counts: dict[str, int], language: str = "vi", *, ended: bool = False) -> str:
    """``5 đã đạt hoặc vượt, 3 có khả năng đạt, …``: the groups with at least one target, best first;
    ``ended``: of a target year reached ("nhiều khả năng đạt", "không đạt hoặc nhiều khả năng không đạt")."""
    def key(group: str) -> str:
        return f"messages.groups_ended.{group}" if ended and group in ("likely", "bad") else f"messages.groups.{group}"

    return ", ".join(i18n.t(key(g), language, n=n) for g, n in counts.items() if n)


def later_only(assessment: pd.DataFrame, *, year: int = 2025, later_year: int = 2030,
               language: str = "vi") -> str | None:
    """Targets with a ``later_year`` target but none in ``year`` (None when there are none)."""
    now = set(_rows(assessment, year)["code"])
    later = [c for c in dict.fromkeys(_rows(assessment, later_year)["code"]) if c not in now]
    if not later:
        return None
    one = len(later) == 1
    targets = i18n.t("messages.targets_one" if one else "messages.targets_other", language, n=len(later))
    return i18n.t("messages.later_only", language, targets=targets, year=later_year, codes=", ".join(later),
                  have="has" if one else "have", they="it is" if one else "they are")


def risks(assessment: pd.DataFrame, plan: Plan, *, year: int = 2025, language: str = "vi",
          top: int = TOP_RISKS) -> list[str]:
    """The biggest risks: targets not met or unlikely in ``year``, surest failures first.

    The first line is the lead sentence; the rest name one target each, with the number behind it.
    """
    rows = _rows(assessment, year)
    bad = rows[rows["status"].isin(GROUPS["bad"])].copy()
    if bad.empty:
        return [i18n.t("messages.no_risks", language, year=year)]
    # Not met (final) before unlikely; then by the probability of meeting the target, lowest first.
    bad["_order"] = (bad["status"] != "not_met").astype(int)
    bad["_p"] = bad["p_meet"].fillna(0.0)
    bad = bad.sort_values(["_order", "_p", "code"]).head(top)
    out = [i18n.t("messages.risks_intro", language, year=year)]
    for _, r in bad.iterrows():
        t = plan.target(str(r["code"]))
        out.append(_risk_line(r, t, language))
    return out


def _risk_line(r: pd.Series, t: Target, language: str) -> str:
    name = short_name(t, language, 60)
    target = target_text(t, int(r["target_year"]), language)
    if r["judged_on"] == "pace":
        return i18n.t("messages.risk_pace", language, code=t.code, name=name,
                      pace=pace_text(float(r["projected"]), language),
                      target=decline_range(t.target_for(int(r["target_year"])) or t.targets[0], language))
    if r["judged_on"] in ("data", "latest") or not _finite(r["p_meet"]):
        if t.kind == "milestone":
            return i18n.t("messages.risk_milestone", language, code=t.code, name=name,
                          value=format_value(r["latest_value"], t, language), year=int(r["latest_year"]))
        return i18n.t("messages.risk_data", language, code=t.code, name=name, year=int(r["latest_year"]),
                      value=format_value(r["latest_value"], t, language), target=target)
    return i18n.t("messages.risk_projection", language, code=t.code, name=name, target=target,
                  projected=format_value(r["projected"], t, language), p=_p(r["p_meet"], language))


def too_close(assessment: pd.DataFrame, plan: Plan, *, year: int = 2025, language: str = "vi") -> list[str]:
    """Targets too close to call in ``year`` and why (interval, few points, sampling error); [] if none."""
    rows = _rows(assessment, year)
    close = rows[rows["status"].isin(GROUPS["close"])]
    if close.empty:
        return []
    out = [i18n.t("messages.close_intro", language, n=len(close))]
    for _, r in close.iterrows():
        t = plan.target(str(r["code"]))
        name = short_name(t, language, 60)
        target = target_text(t, year, language)
        if t.kind == "direction":
            out.append(i18n.t("messages.close_direction", language, code=t.code, name=name, p=_p(r["p_meet"], language)))
        elif r["judged_on"] == "data" and _finite(r["lo-95"]):
            lo, hi = format_interval(r["lo-95"], r["hi-95"], t, language)
            out.append(i18n.t("messages.close_data", language, code=t.code, name=name, year=int(r["latest_year"]),
                              value=format_value(r["latest_value"], t, language), target=target, lo=lo, hi=hi))
        else:
            lo, hi = format_interval(r["lo-80"], r["hi-80"], t, language)
            out.append(i18n.t("messages.close_projection", language, code=t.code, name=name, target=target,
                              projected=format_value(r["projected"], t, language), lo=lo, hi=hi,
                              p=_p(r["p_meet"], language), why=_why_close(r, t, year, language)))
    return out


def _why_close(r: pd.Series, t: Target, year: int, language: str) -> str:
    """Few points, or a projection near the target, or a wide interval (in that order)."""
    n = int(r["n_obs"]) if _finite(r["n_obs"]) else 0
    if n < FEW_POINTS:
        return i18n.t("messages.why_few", language, n=n)
    tv = t.target_for(year)
    threshold = tv.threshold(t.direction) if tv is not None else None
    if threshold is not None and _finite(r["lo-80"]) and _finite(r["hi-80"]) and _finite(r["projected"]):
        # Near: the target lies in the middle half of the 80% interval.
        quarter = (float(r["hi-80"]) - float(r["lo-80"])) / 4
        if abs(float(r["projected"]) - threshold) <= quarter:
            return i18n.t("messages.why_near", language)
    return i18n.t("messages.why_wide", language)


def outlook(assessment: pd.DataFrame, *, year: int = 2030, language: str = "vi") -> str:
    """``Triển vọng năm 2030: trong 25 chỉ tiêu, …``"""
    rows = _rows(assessment, year)
    c = _group_counts(rows)
    parts = {"good": c["met"] + c["likely"], "close": c["close"], "insufficient": c["insufficient"], "bad": c["bad"],
             "nodata": c["nodata"], "hidden": c["hidden"]}
    said = ", ".join(i18n.t(f"messages.outlook_parts.{k}", language, n=n) for k, n in parts.items() if n)
    return i18n.t("messages.outlook", language, year=year, n=len(rows), groups=said)


def data_gaps(assessment: pd.DataFrame, *, as_of: int, language: str = "vi", stale_after: int = 2,
              level: str = "province") -> list[str]:
    """How many targets are judged on data partly or wholly illustrative, have no data, or have stale data;
    ``level``: the judged place's level (places.csv), which names its data ("số liệu thật cấp tỉnh")."""
    per_code = assessment.groupby("code", sort=False).agg(
        illustrative=("illustrative", lambda s: bool(s.fillna(False).astype(bool).any())),
        latest_year=("latest_year", "max"), status=("status", "first"))
    n = len(per_code)
    nodata = int(per_code["latest_year"].isna().sum())
    limit = as_of - stale_after
    stale = per_code[per_code["latest_year"].notna() & (per_code["latest_year"] < limit)]
    illustrative = int(per_code["illustrative"].sum())
    parts = [i18n.t("messages.gaps_parts.illustrative_all" if illustrative == n else "messages.gaps_parts.illustrative",
                    language, n=illustrative, total=n)] if illustrative else []
    parts += [i18n.t(f"messages.gaps_parts.{k}", language, n=v, year=limit)
              for k, v in (("nodata", nodata), ("stale", len(stale))) if v]
    out = [i18n.t("messages.gaps", language, parts="; ".join(parts))] if parts else []
    if len(stale):
        items = ", ".join(f"{c} ({int(y)})" for c, y in stale["latest_year"].items())
        out.append(i18n.t("messages.gaps_stale_list", language, items=items))
    real = [c for c, ill in per_code["illustrative"].items() if not ill and c not in stale.index
            and pd.notna(per_code.loc[c, "latest_year"])]
    words = i18n.t(f"data_level.{level}", language)
    out.append(i18n.t("messages.real_data", language, codes=", ".join(real), level=words) if real
               else i18n.t("messages.no_real_data", language, level=words))
    return out


def key_messages(assessment: pd.DataFrame, plan: Plan, *, as_of: int, language: str = "vi",
                 year: int = 2025, later_year: int = 2030) -> list[str | list[str]]:
    """The review's key messages, in order: headline, later-only targets, risks, too close, outlook, data.

    Returns a list whose items are sentences, or lists (a lead sentence and its sub-items) for the risks
    and the too-close targets; :func:`bullets_html` renders it.
    """
    out: list[str | list[str]] = [headline(assessment, year=year, language=language, as_of=as_of)]
    later = later_only(assessment, year=year, later_year=later_year, language=language)
    if later:
        out.append(later)
    r = risks(assessment, plan, year=year, language=language)
    out.append(r if len(r) > 1 else r[0])
    close = too_close(assessment, plan, year=year, language=language)
    if close:
        out.append(close)
    out.append(outlook(assessment, year=later_year, language=language))
    out.append(data_gaps(assessment, as_of=as_of, language=language))
    built = history_summary(assessment, language=language)
    if built:
        out.append(built)
    return out


def history_summary(assessment: pd.DataFrame, *, language: str = "vi") -> str:
    """For the merged province: how many targets have a re-based history, and which cannot ("" elsewhere)."""
    if "history" not in assessment.columns:
        return ""
    per_code = assessment.drop_duplicates("code").set_index("code")["history"].fillna("").astype(str)
    if not (per_code != "").any():
        return ""
    rebased = per_code.isin(["rebased", "rebased_estimate", "producer"])
    none = [c for c, h in per_code.items() if h == "not_rebased"]
    return i18n.t("history.summary", language, rebased=int(rebased.sum()), n=len(per_code),
                  estimated=int((per_code == "rebased_estimate").sum()), not_rebased=", ".join(none) or "–")


def objective_headline(assessment: pd.DataFrame, plan: Plan, objective: int, *, year: int = 2025,
                       language: str = "vi", as_of: int | None = None) -> str:
    """``Mục tiêu 3 có 7 chỉ tiêu, trong đó 5 chỉ tiêu có mục tiêu năm 2025: …`` (only the groups present)."""
    codes = [t.code for t in plan.targets_of(objective)]
    rows = _rows(assessment[assessment["code"].isin(codes)], year)
    total = i18n.t("messages.targets_one" if len(codes) == 1 else "messages.targets_other", language,
                   n=len(codes))
    if rows.empty:
        return i18n.t("messages.objective_headline_none", language, number=objective, total=total, year=year)
    key = "messages.objective_headline_all" if len(rows) == len(codes) else "messages.objective_headline"
    return i18n.t(key, language, number=objective, total=total, n=len(rows), year=year,
                  groups=group_phrase(_group_counts(rows), language, ended=as_of is not None and as_of >= year))


def indicator_sentences(assessment: pd.DataFrame, target: Target, *, language: str = "vi",
                        place_name: str = "") -> list[str]:
    """The assessment of one target in words: latest value, each target year, trend, reliability, national."""
    rows = assessment[assessment["code"] == target.code].sort_values("target_year")
    if rows.empty or not _finite(rows["latest_value"].iloc[0]) and not bool(rows.get("suppressed", pd.Series([False])).iloc[0]):
        return [i18n.t("messages.indicator_no_data", language, place=place_name)]
    first = rows.iloc[0]
    out = []
    if _finite(first["latest_value"]):
        out.append(i18n.t("messages.indicator_latest", language, year=int(first["latest_year"]),
                          value=format_value(first["latest_value"], target, language)))
    for _, r in rows.iterrows():
        year = int(r["target_year"])
        # What the status rests on, in brackets; nothing for a status that rests on nothing (too few values to
        # project) or is not published (its basis would say what is hidden).
        no_basis = r["status"] == "hidden" or pd.isna(r["judged_on"])
        basis = "" if no_basis else i18n.t(f"judged.{r['judged_on']}", language)
        out.append(i18n.t("messages.indicator_target", language, year=year, target=target_text(target, year, language),
                          symbol=r["symbol"], label=r[f"label_{language}"], judged=f" ({basis})" if basis else ""))
        if r["judged_on"] == "pace" and _finite(r["projected"]):
            out.append(i18n.t("messages.indicator_pace", language, pace=pace_text(float(r["projected"]), language),
                              target=decline_range(target.target_for(year) or target.targets[0], language),
                              p=_p(r["p_meet"], language)))
        elif r["judged_on"] in ("projection", "latest") and _finite(r["lo-80"]):
            lo, hi = format_interval(r["lo-80"], r["hi-80"], target, language)
            lo95, hi95 = format_interval(r["lo-95"], r["hi-95"], target, language)
            out.append(i18n.t("messages.indicator_projection", language, year=year,
                              projected=format_value(r["projected"], target, language),
                              lo=lo, hi=hi, lo95=lo95, hi95=hi95, p=_p(r["p_meet"], language)))
    out.append(i18n.t("messages.indicator_trend", language, trend=first[f"trend_{language}"]))
    out.append(i18n.t("messages.indicator_reliability", language, text=first[f"reliability_{language}"]))
    if str(first.get(f"history_{language}", "") or ""):
        out.append(f"{i18n.t('history.brief_line', language)}: {first[f'history_{language}']}.")
    if _finite(first["national_value"]):
        out.append(i18n.t("messages.indicator_national", language, year=int(first["national_year"]),
                          value=format_value(first["national_value"], target, language)))
    return out


def agencies_sentence(target: Target, assessment: pd.DataFrame, agencies: Any, *, language: str = "vi",
                      on: Any = None) -> str:
    """``Cơ quan chủ trì theo Kế hoạch: …. Cơ quan báo cáo hiện nay …: …``

    The agency reporting now is the assessment's; without an assessment row (a place the targets do not
    judge), the holder of the lead function ``on`` that day (today by default), never the plan's own lead
    when that agency has since been merged."""
    rows = assessment[assessment["code"] == target.code]
    if len(rows):
        responsible = str(rows["responsible_agency"].iloc[0])
    else:
        from gender_monitor.core import clock

        responsible = agencies.responsible(target.lead_agency, target=target.code, on=on or clock.today()).code

    def name(code: str) -> str:
        return agencies[code].name_vi if language == "vi" else agencies[code].name_en

    return i18n.t("messages.agencies", language, lead=name(target.lead_agency), responsible=name(responsible))


def agencies_table(plan: Plan, assessment: pd.DataFrame, agencies: Any, *, objective: int | None = None,
                   language: str = "vi") -> pd.DataFrame:
    """Per target: the plan's lead agency and the agency that reports it today (after the 2025 changes)."""

    def name(code: str) -> str:
        return agencies[code].name_vi if language == "vi" else agencies[code].name_en

    targets = plan.targets if objective is None else plan.targets_of(objective)
    rows = []
    for t in targets:
        a = assessment[assessment["code"] == t.code]
        responsible = str(a["responsible_agency"].iloc[0]) if len(a) else t.lead_agency
        rows.append({i18n.t("table.code", language): t.code, i18n.t("table.indicator", language): short_name(t, language),
                     i18n.t("table.lead", language): name(t.lead_agency),
                     i18n.t("table.responsible", language): name(responsible)})
    return pd.DataFrame(rows)


def candidates_table_html(models: Any, *, chosen: str | None, target: Target, language: str = "vi",
                          years: Sequence[int] = (2025, 2030)) -> str:
    """Every candidate model: its projection in ``years``, back-test errors, and which one the assessment used.

    ``models`` is a :class:`gender_monitor.forecast.candidates.Candidates`.
    """
    head = [i18n.t("table.method", language)] + [i18n.t("table.projection", language, year=y).split(" (")[0]
                                                  for y in years]
    head += [i18n.t("table.mae", language), i18n.t("table.smape", language), i18n.t("table.cuts", language),
             i18n.t("table.used", language)]
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    scores = models.scores.set_index("method") if len(models.scores) else pd.DataFrame()
    body = []
    for m in dict.fromkeys(models.paths["method"]):
        path = models.paths[models.paths["method"] == m].set_index("year")["value"]
        first = int(path.index.min())
        cells = [html.escape(i18n.t(f"methods.{m}", language))]
        cells += [html.escape(format_value(path.get(y), target, language)) if y > first else "–" for y in years]
        if m in scores.index:
            sc = scores.loc[m]
            cells += [i18n.number(sc["mae"], language, 2), i18n.number(sc["smape"], language, 1), str(int(sc["n_cuts"]))]
        else:
            cells += ["–", "–", "–"]
        cells.append("◆ " + i18n.t("table.yes", language) if m == chosen else "")
        style = ' style="font-weight:700"' if m == chosen else ""
        body.append(f"<tr{style}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f'<table class="gm-candidates"><thead><tr>{th}</tr></thead><tbody>{"".join(body)}</tbody></table>'
