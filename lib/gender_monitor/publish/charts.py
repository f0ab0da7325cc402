"""One visual language for notebooks and briefs: history, projection fan, targets, national line, status.

Every public function draws on the ``ax`` it is given (or on a new figure of its own) and returns the
:class:`~matplotlib.figure.Figure`; none shows or saves anything. Figures are made with
:class:`matplotlib.figure.Figure`, not pyplot, so that a notebook displays each one exactly once and no
state leaks from one chart to the next. Text uses DejaVu Sans, which covers Vietnamese; colours come
from the Okabe–Ito palette (safe for the common colour-vision deficiencies), and no chart relies on
colour alone: data status is also a marker shape, target markers carry their comparator as text, and
assessment statuses carry their symbol and label.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from gender_monitor.core import i18n
from gender_monitor.data.harmonise import series_name
from gender_monitor.judge import messages
from gender_monitor.plan.registry import Target

F = TypeVar("F", bound=Callable[..., Figure])

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {"black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
             "yellow": "#F0E442", "blue": "#0072B2", "vermilion": "#D55E00", "purple": "#CC79A7"}
#: Colours of the province's own series (first, second …), the national line and target markers.
SERIES_COLOURS = (OKABE_ITO["blue"], OKABE_ITO["purple"], OKABE_ITO["green"], OKABE_ITO["orange"])
NATIONAL_COLOUR = "#555555"
TARGET_COLOUR = OKABE_ITO["vermilion"]
#: Marker per data status; illustrative points are hollow (their face is white).
DATA_STATUS_MARKER = {"official": "o", "preliminary": "s", "estimate": "D", "illustrative": "o"}
DATA_STATUSES = ("official", "preliminary", "estimate", "illustrative")
#: The plan's note on the sex ratio at birth: the natural level is about 105–107, i.e. 2 points above
#: the floor recorded in the registry (``natural_floor``).
NATURAL_BAND_WIDTH = 2.0
#: Rendering defaults applied while a chart is drawn (fonts resolve when text is created).
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans", "font.size": 9.0, "axes.titlesize": 10.5, "axes.titleweight": "bold",
    "axes.labelsize": 9.0, "legend.fontsize": 8.0, "xtick.labelsize": 8.5, "ytick.labelsize": 8.5,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.color": "#e3e6ea",
    "grid.linewidth": 0.6, "axes.axisbelow": True, "svg.hashsalt": "gender-monitor",
    "axes.formatter.use_locale": False,
    # Text is drawn as written: a series or place name with "$" is not a formula (one that is not valid
    # mathtext stopped the brief).
    "text.parse_math": False,
}
DPI = 110
#: Characters on one line of a small multiple's title, two panels a row (three panels: two thirds of it);
#: a longer title goes on to a second line rather than be cut (the callers cut names at about two lines).
TITLE_CHARS = 56
#: Characters on one line of a target's name at the left of the status dot plot; a longer name (one whose
#: first phrase is long, which :func:`gender_monitor.core.i18n.shorten` keeps whole) takes two lines.
DOT_LABEL_CHARS = 48


def _styled(func: F) -> F:
    """Draw under :data:`STYLE`, whatever the caller's rcParams are (deterministic output)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with mpl.rc_context(STYLE):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _lines(text: str, width: int, language: str = "vi") -> str:
    """``text`` on lines of at most ``width`` characters, broken at spaces (a word longer stays whole).

    Two lines break where a phrase ends when such a place fits (:func:`gender_monitor.core.i18n.word_breaks`:
    never inside a Vietnamese word of several syllables), else at any space; of these, where the two lines
    are most even (no word alone on the second). More lines take as many words each as fit.
    """
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    words = text.split(" ")
    phrases = set(i18n.word_breaks(words, language))
    fits = [k for k in range(1, len(words))
            if len(" ".join(words[:k])) <= width and len(" ".join(words[k:])) <= width]
    if fits:
        k = min(fits, key=lambda k: (k not in phrases, abs(len(" ".join(words[:k])) - len(" ".join(words[k:])))))
        return " ".join(words[:k]) + "\n" + " ".join(words[k:])
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


def _axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    fig = Figure(figsize=size, dpi=DPI, layout="constrained")
    return fig, fig.add_subplot()


def _number_axis(ax: Axes, language: str, axis: str = "y", *, integer: bool = False) -> None:
    """Ticks at round values (steps of 1, 2 or 5 times a power of ten; whole numbers for counts), written as
    the reader writes numbers (decimal comma in Vietnamese) with as many decimals as the step needs."""
    which = ax.yaxis if axis == "y" else ax.xaxis
    which.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10], integer=integer))

    def fmt(v: float, _pos: Any) -> str:
        ticks = sorted(which.get_majorticklocs())
        step = min(b - a for a, b in zip(ticks, ticks[1:])) if len(ticks) > 1 else 1.0
        digits = max(0, -int(np.floor(np.log10(step)))) if step > 0 else 0
        return i18n.number(round(v, digits), language, digits)

    which.set_major_formatter(FuncFormatter(fmt))


def _year_axis(ax: Axes) -> None:
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(round(v))}"))


# --- alternative texts -----------------------------------------------------------------------------

#: The attribute a figure or an axes keeps its description in (:func:`alt_text`).
ALT_ATTR = "gm_alt"


def _describe(artist: Any, text: str) -> None:
    setattr(artist, ALT_ATTR, text)


def alt_text(fig: Figure) -> str:
    """What a chart shows, in words, for a reader who cannot see it (the ``alt`` of its image): the figure's own
    description, computed from the data it drew, or its panels' one after another; "" for a figure drawn
    elsewhere."""
    own = getattr(fig, ALT_ATTR, "")
    if own:
        return str(own)
    return " ".join(str(getattr(ax, ALT_ATTR)) for ax in fig.axes if getattr(ax, ALT_ATTR, ""))


def _alt(key: str, language: str, **values: Any) -> str:
    return i18n.t(f"charts.alt.{key}", language, **values)


def _place_name(place: str, language: str) -> str:
    """A place's name in ``language``, or its code: what a chart's description says when its caller names
    no place (the briefs name the former and the merged province apart: ``review.state.place_label``)."""
    from gender_monitor.plan.reference import load_places

    places = load_places()
    return places.name(place, language) if place in places else place


def describe_indicator(rows: pd.DataFrame, target: Target, *, place_name: str, forecasts: pd.DataFrame | None = None,
                       language: str = "vi", targets: bool = True, hidden: bool = False) -> str:
    """One indicator chart in a sentence, from what it draws: the indicator and place, the unit (the report's
    unit column's words), the span of the values and the last one, each target with its year (``targets``) and
    the projection at each target year the fan reaches, with the intervals drawn (the fan's last year when it
    reaches none). Numbers in the reader's style, as the report writes them.

    ``rows``: the main series drawn (year, value); ``forecasts``: its fan (year, median, lo-/hi-<level>);
    ``hidden``: the series is kept from publication (the chart is a note).
    """
    from gender_monitor.judge.report import unit_name

    parts = [_alt("indicator", language, code=target.code, name=messages.short_name(target, language, 80),
                  place=place_name)]
    if hidden:
        return "; ".join([*parts, _alt("hidden", language)]) + "."
    unit = target.unit
    if unit != "yes_no":
        parts.append(_alt("unit", language, unit=unit_name(target, language)))
    values = rows.assign(value=pd.to_numeric(rows["value"], errors="coerce")).dropna(subset=["value"])
    values = values.sort_values("year")
    last_year = int(values["year"].iloc[-1]) if len(values) else None
    if last_year is None:
        parts.append(_alt("no_history", language))
    else:
        first, value = int(values["year"].iloc[0]), messages.format_value(values["value"].iloc[-1], target, language)
        parts.append(_alt("history" if first < last_year else "history_one", language, first=first, last=last_year,
                          value=value))
    fc = forecasts.sort_values("year") if forecasts is not None and not forecasts.empty else None
    fc_years = [] if fc is None else [int(y) for y in fc["year"] if last_year is None or int(y) > last_year]
    plan_years = [tv.year for tv in target.targets]
    projected = [y for y in plan_years if y in fc_years] or fc_years[-1:]
    for year in sorted(set(plan_years if targets else []) | set(projected)):
        if targets and year in plan_years:
            said = (_alt("milestone_due", language, year=year) if unit == "yes_no"
                    else _alt("target", language, year=year, target=messages.target_text(target, year, language)))
            parts.append(said)
        if year in projected and fc is not None:
            at = fc[fc["year"] == year].iloc[0]
            bands = [_alt("interval", language, level=level, lo=lo, hi=hi) for level in (80, 95)
                     if f"lo-{level}" in at.index and f"hi-{level}" in at.index
                     for lo, hi in [messages.format_interval(at[f"lo-{level}"], at[f"hi-{level}"], target, language)]]
            median = messages.format_value(at["median"], target, language)
            parts.append(_alt("projection", language, year=year, median=median, intervals="; ".join(bands))
                         if bands else _alt("projection_bare", language, year=year, median=median))
    return "; ".join(parts) + "."


# --- building blocks -------------------------------------------------------------------------------

def plot_history(ax: Axes, rows: pd.DataFrame, *, language: str = "vi", color: str = SERIES_COLOURS[0],
                 label: str | None = None) -> list[Line2D]:
    """Observed values of one series: a thin line and one marker per point by data status.

    Official, preliminary and estimated points are filled (circle, square, diamond); illustrative
    points are hollow circles. Returns the artists (the line first).
    """
    rows = rows.sort_values("year")
    x, y = rows["year"].to_numpy(dtype=float), pd.to_numeric(rows["value"], errors="coerce").to_numpy()
    (line,) = ax.plot(x, y, color=color, linewidth=1.4, label=label, zorder=3)
    artists = [line]
    status = rows["status"].fillna("official").to_numpy() if "status" in rows else np.full(len(rows), "official")
    for s in DATA_STATUSES:
        sel = status == s
        if not sel.any():
            continue
        face = "white" if s == "illustrative" else color
        (pts,) = ax.plot(x[sel], y[sel], linestyle="none", marker=DATA_STATUS_MARKER[s], markersize=5.5,
                         markerfacecolor=face, markeredgecolor=color, markeredgewidth=1.3, zorder=4,
                         gid=f"data-{s}")
        artists.append(pts)
    return artists


def plot_fan(ax: Axes, forecast: pd.DataFrame, *, start: tuple[float, float] | None = None,
             language: str = "vi", color: str = SERIES_COLOURS[0], levels: Sequence[int] = (95, 80)) -> None:
    """The projection fan: 95% and 80% bands and the median, joined to the last observed point."""
    fc = forecast.sort_values("year")
    x = fc["year"].to_numpy(dtype=float)
    mid = fc["median"].to_numpy(dtype=float)
    if start is not None:
        x = np.r_[start[0], x]
        mid = np.r_[start[1], mid]
    for level, alpha in zip(levels, (0.14, 0.30)):
        lo, hi = fc[f"lo-{level}"].to_numpy(dtype=float), fc[f"hi-{level}"].to_numpy(dtype=float)
        if start is not None:
            lo, hi = np.r_[start[1], lo], np.r_[start[1], hi]
        ax.fill_between(x, lo, hi, color=color, alpha=alpha, linewidth=0,
                        label=i18n.t(f"charts.band{level}", language), gid=f"fan-{level}", zorder=1)
    ax.plot(x, mid, color=color, linestyle=(0, (4, 2)), linewidth=1.4,
            label=i18n.t("charts.projection", language), gid="projection", zorder=2)


def _drawn_years(ax: Axes) -> list[float]:
    """Every finite x (year) of the lines drawn on ``ax`` so far."""
    return [float(x) for line in ax.lines for x in np.atleast_1d(line.get_xdata()) if np.isfinite(float(x))]


def target_label(target: Target, year: int, language: str = "vi") -> str:
    """``≤111 (2025)``: comparator, value and year of one target year; a yes/no target (5.1) what is due, as its
    timeline flags it and the plan words it ("Phải hoàn thành năm 2025"), not the "1 (2025)" of its value's code."""
    tv = target.target_for(year)
    if tv is None or tv.comparator is None:
        return ""
    if target.unit == "yes_no":
        return i18n.t("charts.milestone_due", language, year=year)
    value = i18n.number(tv.value, language, messages.plan_digits(tv.value))  # as the plan writes it: 1,7, not 1,70
    if tv.upper is not None:
        value += "–" + i18n.number(tv.upper, language, messages.plan_digits(tv.upper))
    # "100% (2025)", as the annex writes it, not "=100"; a share cannot pass 100% (or fall below 0%): "≥100" is 100%.
    at_edge = target.unit == "percent" and (tv.value, tv.comparator) in ((100, ">="), (0, "<="))
    comparator = "" if tv.comparator == "=" or at_edge else tv.symbol
    if target.unit == "percent":
        value += "%"
    return i18n.t("charts.target", language, comparator=comparator, value=value, year=year)


def mark_targets(ax: Axes, target: Target, *, language: str = "vi",
                 start_value: float | None = None) -> list[Line2D]:
    """Mark each target year: a marker at the target value with its comparator written beside it.

    A rate-of-decline target (a yearly fall in percent, 3.5a) has no level: it is drawn as the path
    the count must stay under from ``start_value`` in the first year of the target period.
    Returns the marker artists (``gid`` ``target-<year>``).
    """
    out = []
    if target.kind == "rate_of_decline":
        tv = target.targets[0]
        first = target.from_year or target.targets[0].year
        if start_value is None or tv.value is None:
            return out
        years = np.arange(first, tv.year + 1)
        path = start_value * (1 - tv.value / 100.0) ** (years - first)
        least = i18n.number(tv.value, language, messages.plan_digits(tv.value))
        label = (i18n.t("charts.decline_path_range", language, range=messages.decline_range(tv, language), value=least,
                        year=first) if tv.upper is not None
                 else i18n.t("charts.decline_path", language, value=least, year=first))
        (line,) = ax.plot(years, path, color=TARGET_COLOUR, linestyle=":", linewidth=1.8, gid=f"target-{tv.year}",
                          label=label)
        out.append(line)
        return out
    marked = [tv for tv in target.targets if tv.comparator is not None and tv.value is not None]
    drawn = _drawn_years(ax)
    first_drawn = min(drawn) if drawn else -np.inf
    for i, tv in enumerate(marked):
        marker = "v" if target.direction == "lower" else "^"
        if tv.comparator in ("=", "~"):
            marker = "D"
        (m,) = ax.plot([tv.year], [tv.value], linestyle="none", marker=marker, markersize=9,
                       markerfacecolor=TARGET_COLOUR, markeredgecolor="black", markeredgewidth=0.8,
                       zorder=6, gid=f"target-{tv.year}", label="_nolegend_")
        # A label written rightwards would run into a later target at about the same value (≤18 in 2025
        # and <18 in 2030): it is written on the marker's left instead (above it, a target at 100% would
        # run into the title). A white ground keeps it legible over the history and the fan.
        crowded = any(abs(later.value - tv.value) <= 0.05 * max(abs(later.value), abs(tv.value), 1e-9)
                      for later in marked[i + 1:])
        # On the left edge of the chart (the data begin in the target's year: 6.3 from 2025) the left would
        # cross the axis: the label goes under the marker.
        below = crowded and tv.year <= first_drawn + 0.5
        offset, ha, va = ((-5, -9), "left", "top") if below else ((-7, 0), "right", "center") if crowded \
            else ((7, 0), "left", "center")
        ax.annotate(target_label(target, tv.year, language), (tv.year, tv.value),
                    xytext=offset, textcoords="offset points", va=va, ha=ha, fontsize=8.5,
                    fontweight="bold", color=TARGET_COLOUR, zorder=7, annotation_clip=False,
                    bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        out.append(m)
    return out


def plot_national(ax: Axes, rows: pd.DataFrame, *, language: str = "vi", since: int | None = None) -> list[Line2D]:
    """The national series as dashed grey lines; the longest series is labelled ``Toàn quốc``."""
    out = []
    rows = rows if since is None else rows[rows["year"] >= since]
    if rows.empty:
        return out
    groups = sorted(rows.groupby("series"), key=lambda g: -len(g[1]))
    styles = [(0, (5, 2.5)), (0, (1.5, 1.5)), (0, (6, 2, 1, 2))]
    for i, (series, sub) in enumerate(groups):
        label = i18n.t("charts.national", language)
        if i > 0:
            label += f" ({series_name(str(series), language)})"
        sub = sub.sort_values("year")
        (line,) = ax.plot(sub["year"], sub["value"], color=NATIONAL_COLOUR, linestyle=styles[i % len(styles)],
                          linewidth=1.3, marker="." if len(sub) < 4 else None, label=label, zorder=2,
                          gid="national")
        out.append(line)
    return out


def natural_band(ax: Axes, target: Target, *, language: str = "vi") -> None:
    """Shade the natural level of a ratio with a floor (sex ratio at birth: 105–107)."""
    if target.natural_floor is None:
        return
    low, high = target.natural_floor, target.natural_floor + NATURAL_BAND_WIDTH
    ax.axhspan(low, high, color=OKABE_ITO["green"], alpha=0.12, linewidth=0, zorder=0, gid="natural-band",
               label=i18n.t("charts.natural_band", language, low=i18n.number(low, language),
                            high=i18n.number(high, language)))


def _data_status_handles(statuses: set[str], language: str, color: str = "#333333") -> list[Line2D]:
    return [Line2D([], [], linestyle="none", marker=DATA_STATUS_MARKER[s], markersize=5.5,
                   markerfacecolor="white" if s == "illustrative" else color, markeredgecolor=color,
                   label=i18n.t(f"data_status.{s}", language)) for s in DATA_STATUSES if s in statuses]


# --- composed charts --------------------------------------------------------------------------------

@_styled
def _mark_join(ax: Axes, rows: pd.DataFrame, place: str, language: str) -> None:
    """A merged province's history re-based before the boundary change, joined to its own values: a
    dotted line between the two (the series is one territory, the values on each side are built apart)."""
    from gender_monitor.data.harmonise import break_year_of, is_new_province
    from gender_monitor.plan.reference import load_places

    places = load_places()
    if place not in places or not len(rows) or not is_new_province(places, place):
        return
    by = break_year_of(places)
    if int(rows["year"].min()) < by <= int(rows["year"].max()):
        ax.axvline(by - 0.5, color="#777777", linestyle=":", linewidth=1.2, gid="join",
                   label=i18n.t("history.chart_join", language))


def indicator_chart(obs: pd.DataFrame, target: Target, *, place: str, forecasts: pd.DataFrame | None = None,
                    national_place: str | None = "VN", language: str = "vi", ax: Axes | None = None,
                    title: str | None = None, until: int = 2030, since: int | None = None,
                    legend: bool = True, targets: bool = True, place_name: str | None = None) -> Figure:
    """History, projection fan, 2025/2030 targets, the national line and (SRB) the natural band.

    Parameters
    ----------
    obs
        Observations (any places; quarterly rows are ignored).
    target
        The plan's target (its code, unit, target years, natural floor).
    place
        The place whose series is drawn with its fan (``QT``).
    forecasts
        :func:`gender_monitor.forecast.projection.project` output; the fan of the place's main series.
    national_place
        The place drawn as the national line, or None.
    language, title, until, since, legend
        Words, the axes title, the last year shown, the first year shown, whether to draw a legend.
    targets
        Whether to mark the plan's targets: not for a place the plan's targets do not judge (a district),
        whose values would read as measured against the province's levels.
    place_name
        The place as the alternative text names it (default: its name in ``language``).

    Returns
    -------
    matplotlib.figure.Figure
        With its description in words (:func:`alt_text`, :func:`describe_indicator`) on the axes drawn, and on
        the figure when it is its own.
    """
    own_figure = ax is None
    fig, ax = _axes(ax, (7.6, 4.2))
    annual = obs[obs["quarter"].isna()] if "quarter" in obs.columns else obs
    rows = annual[(annual["indicator"] == target.code) & (annual["place"] == place)]
    if "sex" in rows and (rows["sex"] == "").any():
        rows = rows[rows["sex"] == ""]
    if since is not None:
        rows = rows[rows["year"] >= since]
    hidden = rows["suppressed"].fillna("").astype(str) != "" if "suppressed" in rows.columns else None
    mostly_hidden = hidden is not None and 2 * int(hidden.sum()) >= len(rows) > 0
    rows = rows[pd.to_numeric(rows["value"], errors="coerce").notna()]
    name = place_name if place_name is not None else _place_name(place, language)

    def described(drawn: pd.DataFrame, fan: pd.DataFrame | None = None, *, hide: bool = False) -> Figure:
        text = describe_indicator(drawn, target, place_name=name, forecasts=fan, language=language,
                                  targets=targets, hidden=hide)
        _describe(ax, text)
        if own_figure:
            _describe(fig, text)
        return fig

    if mostly_hidden or (rows.empty and hidden is not None and hidden.any()):
        # A note, never an empty axis nor the few values left between hidden ones (the zeros of a
        # small count) that a reader would take for the series.
        _note_chart(fig, ax, title, i18n.t("charts.hidden_series", language))
        return described(rows, hide=True)
    if target.unit == "yes_no":  # a milestone: a timeline of "not yet" and "done", never a 0–1 scale
        _milestone_chart(fig, ax, rows, target, language=language, title=title, until=until, legend=legend,
                         own_figure=own_figure)
        return described(rows)
    statuses: set[str] = set()
    groups = sorted(rows.groupby("series"), key=lambda g: (-int(g[1]["year"].max()), -len(g[1])))
    main_last: tuple[float, float] | None = None
    main_rows, main_fan = rows.iloc[0:0], None
    for i, (series, sub) in enumerate(groups):
        color = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        label = None if i == 0 and len(groups) == 1 else series_name(str(series), language)
        plot_history(ax, sub, language=language, color=color, label=label)
        statuses |= set(sub["status"].fillna("official"))
        sub = sub.sort_values("year")
        if i == 0:
            main_last = (float(sub["year"].iloc[-1]), float(sub["value"].iloc[-1]))
            main_rows = sub
        if forecasts is not None and not forecasts.empty and i == 0:
            fc = forecasts[(forecasts["indicator"] == target.code) & (forecasts["place"] == place)
                           & (forecasts["series"].fillna("") == str(series))
                           & (forecasts["sex"].fillna("") == "") & (forecasts["year"] <= until)]
            if not fc.empty:
                plot_fan(ax, fc, start=main_last, language=language, color=color)
                main_fan = fc
    _mark_join(ax, rows, place, language)
    if national_place is not None:
        nat = annual[(annual["indicator"] == target.code) & (annual["place"] == national_place)]
        if "sex" in nat and (nat["sex"] == "").any():
            nat = nat[nat["sex"] == ""]
        first = since if since is not None else (int(rows["year"].min()) - 5 if len(rows) else None)
        plot_national(ax, nat, language=language, since=first)
    natural_band(ax, target, language=language)
    start_value = None
    if target.kind == "rate_of_decline" and len(rows):
        first_year = target.from_year or target.targets[0].year
        at = rows[rows["year"] == first_year]
        start_value = float(at["value"].iloc[0]) if len(at) else (main_last[1] if main_last else None)
    if targets:
        mark_targets(ax, target, language=language, start_value=start_value)
    _year_axis(ax)
    _number_axis(ax, language, integer=target.unit == "count")
    # From a little before the first year drawn (autoscaling a single point spans a century either side).
    drawn = _drawn_years(ax)
    x_lo = max(ax.get_xlim()[0], min(drawn) - 2) if drawn else min(ax.get_xlim()[0], until - 10)
    ax.set_xlim(x_lo, until + 1.8)  # room for the target labels to the right of 2030
    unit = messages.unit_words(target, language) or i18n.t(f"charts.axis_{target.unit}", language)
    counted = target.counted_vi if language == "vi" else target.counted_en
    if target.unit == "count" and counted:  # what is counted, as the annex's unit column says: "số cuộc"
        unit = i18n.t("charts.axis_counted", language, counted=counted)
    ax.set_ylabel(unit)
    if title:
        ax.set_title(title, loc="left")
    if legend:
        handles, labels = ax.get_legend_handles_labels()
        keep = [(h, l) for h, l in zip(handles, labels) if l and not l.startswith("_")]
        keep += [(h, h.get_label()) for h in _data_status_handles(statuses, language)]
        keep.append((Line2D([], [], linestyle="none", marker="v", markersize=8, markerfacecolor=TARGET_COLOUR,
                            markeredgecolor="black"), i18n.t("charts.target_legend", language)))
        ax.legend([h for h, _ in keep], [l for _, l in keep], loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  frameon=False, borderaxespad=0)
    if "illustrative" in statuses:
        _illustrative_note(ax, i18n.t("charts.illustrative_note", language), -0.16)
    return described(main_rows, main_fan)


def _illustrative_note(ax: Axes, text: str, y: float) -> None:
    """The line under a chart saying how invented values are drawn (small multiples remove it by its gid)."""
    ax.text(0.0, y, text, transform=ax.transAxes, fontsize=7.5, style="italic", color="#5c4400", va="top",
            gid="illustrative-note")


def _milestone_chart(fig: Figure, ax: Axes, rows: pd.DataFrame, target: Target, *, language: str,
                     title: str | None, until: int, legend: bool, own_figure: bool) -> Figure:
    """A yes/no target as a timeline: one mark per year reported (filled when done, hollow when not yet)
    and a flag at each target year saying what is due. Colour is never the only cue: the marks differ
    in fill and the legend names them."""
    rows = rows.sort_values("year")
    done = pd.to_numeric(rows["value"], errors="coerce").to_numpy() >= 0.5
    years = rows["year"].to_numpy()
    made_up = (rows["status"].fillna("") == "illustrative").to_numpy() if "status" in rows.columns \
        else np.zeros(len(rows), dtype=bool)
    if own_figure:  # one row of marks needs less height; a panel of small multiples keeps its size
        fig.set_size_inches(fig.get_size_inches()[0], 2.6)
    ax.axhline(0, color="#9ca3af", linewidth=1.2, zorder=1)
    for is_done, gid, key in ((True, "milestone-done", "charts.milestone_done"),
                              (False, "milestone-not-yet", "charts.milestone_not_yet")):
        sel = done == is_done
        face = i18n.STATUS_STYLE["met"][1] if is_done else "white"
        ax.scatter(years[sel], np.zeros(sel.sum()), s=150, marker="o", facecolors=face,
                   edgecolors="black" if is_done else "#4b5563", linewidths=1.6,
                   linestyles=["--" if m else "-" for m in made_up[sel]], zorder=3, gid=gid,
                   label=i18n.t(key, language))
    for i, tv in enumerate(target.targets):
        ax.axvline(tv.year, color=TARGET_COLOUR, linestyle=":", linewidth=1.4, zorder=2, gid=f"target-{tv.year}")
        # Above and below the line in turn, so that two target years close together never overlap.
        ax.annotate(i18n.t("charts.milestone_due", language, year=tv.year), (tv.year, 0.6 if i % 2 == 0 else -0.6),
                    xytext=(-4, 0),
                    textcoords="offset points", ha="right", va="center", fontsize=8.5, fontweight="bold",
                    color=TARGET_COLOUR, annotation_clip=False)
    _year_axis(ax)
    first = int(years.min()) - 1 if len(years) else min(tv.year for tv in target.targets) - 5
    ax.set_xlim(min(first, min(tv.year for tv in target.targets) - 5), until + 1)
    ax.set_ylim(-1, 1)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title, loc="left")
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, borderaxespad=0)
    if made_up.any():
        _illustrative_note(ax, i18n.t("charts.milestone_illustrative", language), -0.3)
    return fig


def _note_chart(fig: Figure, ax: Axes, title: str | None, message: str) -> Figure:
    """An axes holding only its title and a sentence (a hidden series), no scale."""
    ax.set_axis_off()
    if title:
        ax.set_title(title, loc="left")
    ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True, fontsize=9, color="#374151",
            transform=ax.transAxes, gid="note")
    return fig


@_styled
def comparison_chart(obs: pd.DataFrame, target: Target, places: Sequence[str], labels: Sequence[str], *,
                     forecasts: pd.DataFrame | None = None, language: str = "vi", until: int = 2030) -> Figure:
    """The same target at several places side by side (former and merged province), shared y axis."""
    fig = Figure(figsize=(4.1 * len(places) + 1.8, 3.9), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, len(places), sharey=True, squeeze=False)[0]
    for i, (ax, place, label) in enumerate(zip(axes, places, labels)):
        indicator_chart(obs, target, place=place, forecasts=forecasts, national_place=None, language=language,
                        ax=ax, title=label, until=until, legend=i == len(places) - 1, place_name=label)
    _describe(fig, " ".join([_alt("comparison", language, code=target.code, places=_listed(labels, language)),
                             *(str(getattr(ax, ALT_ATTR, "")) for ax in axes)]))
    return fig


def _listed(items: Sequence[str], language: str) -> str:
    """``a, b và c`` / ``a, b and c``."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + _alt("and", language) + items[-1]


@_styled
def small_multiples(obs: pd.DataFrame, targets: Sequence[Target], *, place: str, titles: Sequence[str],
                    forecasts: pd.DataFrame | None = None, national_place: str | None = "VN",
                    language: str = "vi", ncols: int = 2, until: int = 2030, show_targets: bool = True,
                    place_name: str | None = None) -> Figure:
    """One small indicator chart per target (an objective's targets), two per row, one shared legend;
    ``show_targets`` False for a place the plan's targets do not judge. A title longer than a line
    (:data:`TITLE_CHARS`) goes on to the next. Its alternative text (:func:`alt_text`) describes each panel."""
    n = max(len(targets), 1)
    nrows = int(np.ceil(n / ncols))
    fig = Figure(figsize=(9.6, 3.0 * nrows + 0.6), dpi=DPI, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    name = place_name if place_name is not None else _place_name(place, language)
    for ax, target, title in zip(axes, targets, titles):
        indicator_chart(obs, target, place=place, forecasts=forecasts, national_place=national_place,
                        language=language, ax=ax, title=_lines(title, TITLE_CHARS * 2 // ncols, language), until=until,
                        legend=False, targets=show_targets, place_name=name)
        for text in [t for t in ax.texts if t.get_gid() == "illustrative-note"]:
            text.remove()
    for ax in axes[len(targets):]:
        ax.set_visible(False)
    statuses = set(obs.loc[obs["indicator"].isin([t.code for t in targets]) & (obs["place"] == place), "status"])
    # The shared legend names every line and band the panels drew, each once, with the panels' own artists (a
    # second national series, the natural level, the join of a re-based history, a decline path): not a list of
    # its own that misses some. Then the target mark (written beside each marker, its artist unlabelled) and
    # the data statuses.
    handles: list[Any] = []
    seen: set[str] = set()
    for ax in axes[:len(targets)]:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            if label and not label.startswith("_") and label not in seen:
                seen.add(label)
                handles.append(handle)
    if show_targets and any(str(line.get_gid()).startswith("target-") and line.get_label() == "_nolegend_"
                            for ax in axes for line in ax.lines):
        handles.append(Line2D([], [], linestyle="none", marker="v", markersize=8, markerfacecolor=TARGET_COLOUR,
                              markeredgecolor="black", label=i18n.t("charts.target_legend", language)))
    handles += _data_status_handles(statuses, language)
    fig.legend(handles=handles, loc="outside lower center", ncol=4, frameon=False)
    _describe(fig, " ".join([_alt("multiples", language, n=len(targets), place=name),
                             *(str(getattr(ax, ALT_ATTR, "")) for ax in axes[:len(targets)])]))
    return fig


@_styled
def status_dot_plot(assessment: pd.DataFrame, targets: Sequence[Target], *, year: int, language: str = "vi",
                    ax: Axes | None = None, names: Sequence[str] | None = None, as_of: int | None = None) -> Figure:
    """Probability of meeting each target in ``year``, one row per target, status symbol and label.

    ``as_of``: the report's year. From ``year`` on (the final review), a level reached is the outcome, not a
    level "to keep", and an outcome read off an estimate is what most likely happened ("nhiều khả năng đạt").

    Each target sits at its probability; one without (judged on data: met, exceeded, not met) at 1 or 0.
    The zones at or below ``UNLIKELY`` and at or above ``LIKELY`` (:mod:`gender_monitor.judge.assessment`)
    are shaded. Each point is the status symbol in the status colour, with the status label written at
    the right, so colour is never the only cue.
    """
    from gender_monitor.judge.assessment import LIKELY, UNLIKELY

    n = len(targets)
    own = ax is None
    fig, ax = _axes(ax, (8.6, 0.30 * n + 1.2))
    # From the target year on, the zones are named as their rows are: what most likely happened, not an outlook.
    ended = "_ended" if as_of is not None and as_of >= year else ""
    for lo, hi, key, colour, p in ((0, UNLIKELY, f"zone_unlikely{ended}", i18n.STATUS_STYLE["unlikely"][1], UNLIKELY),
                                   (UNLIKELY, LIKELY, "zone_close", i18n.STATUS_STYLE["too_close"][1], None),
                                   (LIKELY, 1.0, f"zone_likely{ended}", i18n.STATUS_STYLE["likely"][1], LIKELY)):
        ax.axvspan(lo, hi, color=colour, alpha=0.10, linewidth=0, zorder=0)
        ax.text((lo + hi) / 2, -0.9, i18n.t(f"charts.{key}", language, p=i18n.percent(p, language)),
                ha="center", va="bottom", fontsize=7.5, color="#333333")
    labels: list[str] = []
    status_labels = [""] * n
    status_colours = ["#333333"] * n
    said: list[str] = []  # each row in words, for the alternative text
    for i, target in enumerate(targets):
        name = names[i] if names is not None else target.code
        labels.append(_lines(name, DOT_LABEL_CHARS, language))
        row = assessment[(assessment["code"] == target.code) & (assessment["target_year"] == year)]
        if row.empty:
            ax.text(0.5, i, i18n.t("charts.no_target_year", language, year=year), ha="center", va="center",
                    fontsize=7.5, color="#6b7280", style="italic")
            said.append(_alt("status_item", language, name=name,
                             label=i18n.t("charts.no_target_year", language, year=year)))
            continue
        r = row.iloc[0]
        status = str(r["status"])
        if status == "hidden":  # judged on a hidden value: no place on the scale, said in words
            ax.text(0.5, i, i18n.status_label(status, language), ha="center", va="center", fontsize=7.5,
                    color="#6b7280", style="italic")
            said.append(_alt("status_item", language, name=name, label=i18n.status_label(status, language)))
            continue
        symbol, colour = i18n.STATUS_STYLE[status]
        p = r["p_meet"]
        # At its probability when it has one (a target met today may not hold: 3.3 met, 78% to hold in
        # 2030); an outcome without one sits at its edge (met or exceeded right, not met left).
        if not pd.isna(p):
            x = float(p)
        elif status in ("met", "exceeded"):
            x = 1.0
        elif status == "not_met":
            x = 0.0
        else:  # no probability (a direction judged on too few values): no point that would read as 50%
            ax.text(0.5, i, i18n.t("charts.no_probability", language), ha="center", va="center", fontsize=7.5,
                    color="#6b7280", style="italic")
            ended = messages.reads_ended(status, year, as_of, r.get("judged_on"))
            status_labels[i] = f"{symbol} {messages.status_label(status, language, ended=ended)}"
            status_colours[i] = colour
            said.append(_alt("status_item", language, name=name,
                             label=f"{messages.status_label(status, language, ended=ended)}, "
                                   f"{i18n.t('charts.no_probability', language)}"))
            continue
        ax.text(x, i, symbol, ha="center", va="center", fontsize=12, color=colour, fontweight="bold", zorder=5,
                gid=f"status-{target.code}")
        # In the target year or after: end words, except "chưa đạt" for a target not met on an earlier value.
        ended = messages.reads_ended(status, year, as_of, r.get("judged_on"))
        # reached early, not the outcome yet
        kept = (status in ("met", "exceeded") and r.get("judged_on") == "latest"
                and not (as_of is not None and as_of >= year))
        label = (i18n.t("charts.level_kept", language) if kept
                 else messages.status_label(status, language, ended=ended))
        status_labels[i] = f"{symbol} {label}"
        status_colours[i] = colour
        chance = "" if pd.isna(p) else _alt("probability", language, p=i18n.percent(float(p), language,
                                                                                     edges=(UNLIKELY, LIKELY)))
        said.append(_alt("status_item", language, name=name, label=label + chance))
    _describe(fig if own else ax, _alt("status", language, year=year, n=n, items="; ".join(said)))
    ax.set_yticks(range(n), labels)
    # The status in words on a right-hand axis, so the layout engine makes room for it.
    right = ax.secondary_yaxis("right")
    right.set_yticks(range(n), status_labels)
    right.tick_params(length=0)
    right.spines["right"].set_visible(False)
    for tick, colour in zip(right.get_yticklabels(), status_colours):
        tick.set_color(colour)
    ax.set_ylim(n - 0.5, -1.0)
    ax.set_xlim(-0.04, 1.04)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{int(round(100 * v))}%"))
    ax.set_xticks([0, UNLIKELY, 0.5, LIKELY, 1.0])
    ax.set_xlabel(i18n.t("charts.probability", language, year=year))
    ax.grid(axis="x", visible=False)
    return fig


@_styled
def ranked_bars(frame: pd.DataFrame, *, value_col: str = "value", label_col: str = "name", language: str = "vi",
                ax: Axes | None = None, title: str | None = None, threshold: float | None = None,
                threshold_label: str | None = None, below_is_bad: bool = True, unit_label: str = "",
                suppressed_threshold: int | None = None, top: int | None = 30) -> Figure:
    """Units ranked by value as horizontal bars, first row at the top (the first ``top`` rows).

    Illustrative values are hatched and the axis says so; suppressed values (publication mode) are
    written as ``charts.suppressed`` ("không công bố (để bảo mật)") instead of a bar. With a ``threshold``
    (6.3: 4 news items a quarter), bars on the wrong side of it are drawn in vermilion and a dashed line
    marks it.
    """
    hidden = max(len(frame) - top, 0) if top is not None else 0
    everyone = frame  # the words describe every unit, not only the bars drawn
    frame = frame.head(top) if top is not None else frame
    n = len(frame)
    own = ax is None
    fig, ax = _axes(ax, (7.6, 0.19 * n + 1.4))
    values = pd.to_numeric(frame[value_col], errors="coerce").to_numpy(dtype=float)
    illustrative = frame["illustrative"].to_numpy(dtype=bool) if "illustrative" in frame else np.zeros(n, bool)
    colours = []
    for v in values:
        bad = threshold is not None and np.isfinite(v) and ((v < threshold) if below_is_bad else (v > threshold))
        colours.append(OKABE_ITO["vermilion"] if bad else SERIES_COLOURS[0])
    y = np.arange(n)
    bars = ax.barh(y, np.nan_to_num(values), color=colours, height=0.72, edgecolor="white", linewidth=0.4,
                   gid="ranked-bars")
    for bar, illus in zip(bars, illustrative):
        if illus:
            bar.set_hatch("////")
            bar.set_alpha(0.75)
    for i, v in enumerate(values):
        if not np.isfinite(v):
            text = i18n.t("charts.suppressed", language, threshold=suppressed_threshold or "")
            ax.text(0, i, " " + text, va="center", ha="left", fontsize=7, style="italic", color="#5b6475")
        else:
            ax.text(v, i, " " + i18n.number(v, language), va="center", ha="left", fontsize=7)
    ax.set_yticks(y, frame[label_col].astype(str).tolist(), fontsize=7 if n > 25 else 8.5)
    ax.set_ylim(n - 0.4, -0.6)
    ax.grid(axis="y", visible=False)
    _number_axis(ax, language, axis="x")
    if threshold is not None:
        ax.axvline(threshold, color="black", linestyle="--", linewidth=1, gid="threshold",
                   label=threshold_label or i18n.t("charts.threshold", language, value=i18n.number(threshold, language)))
        ax.legend(loc="lower right", frameon=True)
    if unit_label:
        ax.set_xlabel(unit_label)
    if title:
        ax.set_title(title, loc="left")
    if illustrative.any():
        ax.text(1.0, 1.0, i18n.t("data_status.illustrative", language).upper() + " ////", transform=ax.transAxes,
                ha="right", va="bottom", fontsize=7.5, color="#5c4400", fontweight="bold", gid="illustrative-note")
    if hidden:
        ax.text(0.0, -0.5 / max(n, 1) - 0.06, i18n.t("charts.more_units", language, n=hidden), transform=ax.transAxes,
                ha="left", va="top", fontsize=7.5, style="italic", color="#5b6475")
    _describe(fig if own else ax,
              _ranked_alt(everyone, pd.to_numeric(everyone[value_col], errors="coerce").to_numpy(dtype=float),
                          label_col, language=language, title=title, threshold=threshold, below_is_bad=below_is_bad,
                          more=hidden))
    return fig


def _ranked_alt(frame: pd.DataFrame, values: np.ndarray, label_col: str, *, language: str, title: str | None,
                threshold: float | None, below_is_bad: bool, more: int) -> str:
    """The ranked bars in words, over every unit of ``frame`` (drawn or not): how many units, the highest and the
    lowest with their values, how many are on the wrong side of the threshold, how many are not published, how
    many are not drawn (``more``)."""
    names = frame[label_col].astype(str).tolist()
    shown = [(names[i], v) for i, v in enumerate(values) if np.isfinite(v)]
    parts = [_alt("ranked", language, title=title or "", n=len(frame))]
    if shown:
        top, bottom = max(shown, key=lambda x: x[1]), min(shown, key=lambda x: x[1])

        def named(end: tuple[str, float]) -> str:
            others = sum(1 for _, v in shown if v == end[1]) - 1
            return _alt("ranked_tie", language, name=end[0], k=others) if others else end[0]

        if len(shown) > 1 and top[1] == bottom[1]:
            parts.append(_alt("ranked_same", language, k=len(shown), value=i18n.number(top[1], language)))
        else:
            parts.append(_alt("ranked_ends", language, top=named(top), top_value=i18n.number(top[1], language),
                              bottom=named(bottom), bottom_value=i18n.number(bottom[1], language)))
    if threshold is not None:
        bad = sum(1 for _, v in shown if (v < threshold if below_is_bad else v > threshold))
        parts.append(_alt("ranked_below" if below_is_bad else "ranked_above", language, k=bad,
                          threshold=i18n.number(threshold, language)))
    if len(shown) < len(frame):
        parts.append(_alt("ranked_hidden", language, k=len(frame) - len(shown)))
    if more:
        parts.append(i18n.t("charts.more_units", language, n=more))
    return "; ".join(parts) + "."


@_styled
def candidates_chart(rows: pd.DataFrame, paths: pd.DataFrame, scores: pd.DataFrame, *, target: Target,
                     chosen: str | None = None, language: str = "vi") -> Figure:
    """Left: the history and every candidate model's projected path. Right: each model's back-test error."""
    fig = Figure(figsize=(9.6, 3.8), dpi=DPI, layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1.5, 1])
    plot_history(left, rows, language=language, color="#222222")
    methods = list(dict.fromkeys(paths["method"]))
    palette = [OKABE_ITO[c] for c in ("blue", "orange", "green", "vermilion", "purple", "sky", "yellow")]
    dashes = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1)), (0, (1, 1))]
    for i, m in enumerate(methods):
        sub = paths[paths["method"] == m]
        width = 2.4 if m == chosen else 1.2
        left.plot(sub["year"], sub["value"], color=palette[i % len(palette)], linestyle=dashes[i % len(dashes)],
                  linewidth=width, label=i18n.t(f"methods.{m}", language) + (" ◆" if m == chosen else ""),
                  gid=f"candidate-{m}")
    mark_targets(left, target, language=language,
                 start_value=float(rows["value"].iloc[-1]) if len(rows) else None)
    _year_axis(left)
    _number_axis(left, language)
    left.set_xlim(left.get_xlim()[0], left.get_xlim()[1] + 1.5)
    left.set_ylabel(messages.unit_words(target, language))
    left.legend(loc="best", fontsize=7, frameon=False)
    _describe(fig, _candidates_alt(paths, scores, target, chosen=chosen, language=language))
    if scores.empty:
        right.set_axis_off()
        return fig
    order = scores.sort_values("mae")
    y = np.arange(len(order))
    colours = [palette[methods.index(m) % len(palette)] if m in methods else "#888888" for m in order["method"]]
    right.barh(y, order["mae"], color=colours, height=0.65, gid="backtest-bars")
    right.set_yticks(y, [i18n.t(f"methods.{m}", language) + (" ◆" if m == chosen else "") for m in order["method"]])
    right.set_ylim(len(order) - 0.5, -0.5)
    for yi, v in zip(y, order["mae"]):
        right.text(v, yi, " " + i18n.number(v, language, 2), va="center", fontsize=7.5)
    right.grid(axis="y", visible=False)
    _number_axis(right, language, axis="x")
    right.set_xlabel(i18n.t("charts.backtest_error", language, unit=messages.unit_words(target, language)),
                     fontsize=8)
    return fig


def _candidates_alt(paths: pd.DataFrame, scores: pd.DataFrame, target: Target, *, chosen: str | None,
                    language: str) -> str:
    """The candidate models in words: each one's projection in the last year drawn, its back-test error, and the
    one used."""
    method = lambda m: i18n.t(f"methods.{m}", language)  # noqa: E731 - local shorthand
    last = int(paths["year"].max()) if len(paths) else None
    parts = [_alt("candidates", language, code=target.code)]
    if last is not None:
        at = paths[paths["year"] == last]
        paths_said = [f"{method(m)} {messages.format_value(v, target, language)}"
                      for m, v in zip(at["method"], at["value"])]
        parts.append(_alt("candidates_paths", language, year=last, paths=", ".join(paths_said)))
    if not scores.empty:
        parts.append(_alt("candidates_errors", language, errors=", ".join(
            f"{method(m)} {i18n.number(e, language, 2)}" for m, e in zip(scores["method"], scores["mae"]))))
    if chosen:
        parts.append(_alt("candidates_chosen", language, method=method(chosen)))
    return "; ".join(parts) + "."
