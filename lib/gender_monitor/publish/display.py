"""Displayable pieces of a brief: sections, tables and charts that render themselves in a notebook.

A notebook cell shows one of these as its last line; JupyterLab and nbconvert call ``_repr_html_``.
Every piece is rendered from a template in ``templates/display/`` with Jinja2's autoescape, so text
from data (place names, sources, notes) reaches the page escaped; only HTML made by the library's own
templates is marked safe.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

import jinja2
import markupsafe
import pandas as pd

from gender_monitor.core.cells import neutralise_frame

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates" / "display"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(template: str, **context: Any) -> markupsafe.Markup:
    """Render ``templates/display/<template>`` with autoescape; the result is safe to embed."""
    return markupsafe.Markup(_environment().get_template(template).render(**context))


def html_of(item: Any) -> markupsafe.Markup:
    """The HTML of a displayable piece (its ``_repr_html_``), a figure (inline PNG) or escaped text."""
    from matplotlib.figure import Figure

    if item is None:
        return markupsafe.Markup("")
    if isinstance(item, Figure):
        return Chart(item).html()
    if hasattr(item, "_repr_html_"):
        return markupsafe.Markup(item._repr_html_() or "")
    return markupsafe.escape(str(item))


class _Shown:
    """A displayable piece's plain-text form is its kind only: a notebook saves ``text/plain`` beside the HTML,
    and a dataclass's own repr would write the frame behind a table (with its file paths and hidden cells)
    into the executed notebook, past the disclosure control the HTML went through."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


@dataclass(frozen=True, repr=False)
class Section(_Shown):
    """A heading with paragraphs and a list of messages; ``level`` 2 is a section, 3 a subsection."""

    title: str
    paragraphs: Sequence[str] = ()
    bullets: Sequence[str] = ()
    quote: str | None = None
    level: int = 2
    data_code: str | None = None

    def html(self) -> markupsafe.Markup:
        return render("section.html.j2", s=self)

    def _repr_html_(self) -> str:
        return str(self.html())


@dataclass(frozen=True, repr=False)
class Table(_Shown):
    """A table of a frame, with its caption, notes and (``download``) a CSV link of exactly what is shown.

    The CSV link is a ``data:`` URI (UTF-8 with BOM, so Excel reads Vietnamese): nothing is fetched.
    ``download_label`` is the link's words in the brief's language ("Tải bảng (CSV)": ``brief.download``).
    """

    frame: pd.DataFrame
    caption: str | None = None
    notes: Sequence[str] = ()
    download: str | None = None  # file name of the CSV offered, e.g. "4.1-QT-HH.csv"
    download_label: str = "CSV"
    formatters: Mapping[str, Any] = field(default_factory=dict)
    #: A line the CSV carries above its header, as the workbook's sheets carry it on their first row: the
    #: illustrative-data banner of the brief, which a file downloaded on its own would otherwise lose.
    banner: str | None = None
    #: How a column is written in the CSV where it must differ from the page (``formatters``): a count's
    #: thousands point ("27.602"), which a spreadsheet set for English reads as a decimal point (27,602 → 27.6).
    csv_formatters: Mapping[str, Any] = field(default_factory=dict)
    #: The same rows as numbers a spreadsheet computes with ("Giá trị (số)": 38.314, beside the page's
    #: "38,3/100.000"), with their unit, status and source in words: the CSV carries its columns that the page
    #: has not (by name) after the page's own; the explorer's workbook holds it whole.
    numbers: pd.DataFrame | None = None

    def csv(self) -> str:
        """The CSV text of the frame as shown: each column in the words and number style of the page (its
        ``formatters``, or ``csv_formatters`` where given: status and series in words, not their codes), then
        the columns of ``numbers`` the page has not (numbers with a decimal point, as a program reads them),
        under ``banner`` when there is one; a text a spreadsheet would run as a formula is written inert
        (``core.cells.neutralise``)."""
        frame = self.frame.copy()
        for column in frame.columns:
            said = self.csv_formatters.get(column) or self.formatters.get(column)
            if said is not None:
                frame[column] = [said(v) for v in frame[column]]
        if self.numbers is not None:
            extra = [c for c in self.numbers.columns if c not in frame.columns]
            if len(self.numbers) != len(frame):
                raise ValueError(f"numbers has {len(self.numbers)} rows, the table {len(frame)}")
            frame = pd.concat([frame.reset_index(drop=True), self.numbers[extra].reset_index(drop=True)], axis=1)
        text = neutralise_frame(frame).to_csv(index=False)
        if self.banner:
            text = neutralise_frame(pd.DataFrame([[self.banner]])).to_csv(index=False, header=False) + text
        return text

    def html(self) -> markupsafe.Markup:
        columns = [str(c) for c in self.frame.columns]
        rows = [[self._cell(c, v) for c, v in zip(self.frame.columns, row)]
                for row in self.frame.itertuples(index=False, name=None)]
        href = None
        if self.download:
            payload = base64.b64encode(("\ufeff" + self.csv()).encode("utf-8")).decode("ascii")
            href = f"data:text/csv;charset=utf-8;base64,{payload}"
        return render("table.html.j2", t=self, columns=columns, rows=rows, href=href)

    def _cell(self, column: Any, value: Any) -> str:
        if column in self.formatters:
            return self.formatters[column](value)
        if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
            return "–"
        return str(value)

    def _repr_html_(self) -> str:
        return str(self.html())


@dataclass(frozen=True, repr=False)
class Download(_Shown):
    """A file offered as a link (a ``data:`` URI: nothing is fetched), e.g. the explorer's workbook."""

    content: bytes
    name: str
    label: str
    mime: str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def html(self) -> markupsafe.Markup:
        href = f"data:{self.mime};base64,{base64.b64encode(self.content).decode('ascii')}"
        return render("download.html.j2", name=self.name, label=self.label, href=href)

    def _repr_html_(self) -> str:
        return str(self.html())


@dataclass(frozen=True, repr=False)
class Chart(_Shown):
    """A matplotlib figure shown as an inline PNG with its alternative text: ``alt``, or else what the figure
    says it shows, computed from the data it drew (:func:`gender_monitor.publish.charts.alt_text`)."""

    figure: Any
    alt: str = ""
    dpi: int = 110

    def alt_text(self) -> str:
        from gender_monitor.publish.charts import alt_text

        return self.alt or alt_text(self.figure)

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=self.dpi, bbox_inches="tight")
        return buffer.getvalue()

    def html(self) -> markupsafe.Markup:
        src = "data:image/png;base64," + base64.b64encode(self.png()).decode("ascii")
        return render("chart.html.j2", src=src, alt=self.alt_text())

    def _repr_html_(self) -> str:
        return str(self.html())

    def _repr_png_(self) -> bytes:
        return self.png()


@dataclass(frozen=True, repr=False)
class Page(_Shown):
    """Pieces shown one after another (the explorer's whole view, in a widget or a cell)."""

    parts: Sequence[Any]
    banner: str | None = None
    kind: str | None = None  # a CSS class ``gm-<kind>`` (e.g. "objective": a new page in print)

    def html(self) -> markupsafe.Markup:
        return render("page.html.j2", banner=self.banner, kind=self.kind, parts=[html_of(p) for p in self.parts])

    def _repr_html_(self) -> str:
        return str(self.html())


@dataclass(frozen=True, repr=False)
class Note(_Shown):
    """A footnote paragraph in italics (disclosure control, data caveats)."""

    text: str
    template: ClassVar[str] = "note.html.j2"

    def html(self) -> markupsafe.Markup:
        return render(self.template, text=self.text)

    def _repr_html_(self) -> str:
        return str(self.html())


@dataclass(frozen=True, repr=False)
class Caption(Note):
    """The numbered caption under a chart ("Biểu đồ 2. …"), as in the Word version of the same report."""

    template: ClassVar[str] = "caption.html.j2"
