"""Editable outputs for the coordinating department: the annex as an Excel workbook, the report as a Word document.

The HTML and PDF briefs are the steering board's version; the department edits these two and sends them on.
Both are built from the same tables and charts as the brief. The Word document keeps, headed and empty, the
sections only people can write (direction, difficulties, proposals). Text from data never becomes an Excel
formula: every text cell is stored as text (``core.cells.keep_as_text``), so "+5,4 điểm phần trăm" reads as written,
without the apostrophe a CSV needs; nothing executable is embedded.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timezone
from typing import Any

import pandas as pd

from gender_monitor.core import clock
from gender_monitor.core.cells import keep_as_text

#: Widest column of a sheet, in characters.
MAX_WIDTH = 60


@dataclass(frozen=True)
class Block:
    """One section of the Word document: heading, paragraphs, bullets, tables, figures (PNG bytes).

    ``prompt`` marks a section people write: it is headed and left empty but for the prompt in italics.
    """

    title: str
    paragraphs: Sequence[str] = ()
    bullets: Sequence[str] = ()
    tables: Sequence[tuple[str, pd.DataFrame]] = ()
    figures: Sequence[bytes] = ()
    #: A caption under each figure (numbered in the document's order: "Biểu đồ 2. …"); none when empty.
    captions: Sequence[str] = ()
    #: On landscape pages of their own (a wide annex); the text around it stays on portrait A4.
    landscape: bool = False
    #: An appendix (phụ lục): after the letterhead's recipients and signature, which close the body.
    appendix: bool = False
    prompt: str | None = None
    level: int = 1
    #: A line in italics, centred under the heading: an appendix's "(Kèm theo Báo cáo số …)".
    reference: str = ""
    #: Lines in italics under the tables: the legend of the words a table uses.
    after: Sequence[str] = ()


@dataclass(frozen=True)
class Letterhead:
    """The heading block of an administrative document (Decree 30/2020/NĐ-CP, form of a report):
    the issuing body on the left (``left``: authority, agency, number), the national motto and the place
    and date on the right; and its close: the recipients (``recipients``, under "Nơi nhận:") on the left,
    the signature block (``signature``) on the right. Lines are given in full, in the document's language.
    """

    left: Sequence[str]
    right: Sequence[str]
    recipients_title: str = ""
    recipients: Sequence[str] = ()
    signature: Sequence[str] = ()


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return str(value)


def said_empty(frame: pd.DataFrame, sentence: str) -> pd.DataFrame:
    """``frame``, or when it has no row, one row whose first cell says so (``sentence``): a sheet of
    headers alone reads as if something were missing."""
    if len(frame) or not len(frame.columns):
        return frame
    return pd.DataFrame([{c: sentence if i == 0 else "" for i, c in enumerate(frame.columns)}], columns=frame.columns)


def workbook(sheets: Mapping[str, pd.DataFrame], *, title: str, notes: Sequence[str] = (),
             notes_sheet: str = "Notes", banner: str | None = None) -> bytes:
    """An ``.xlsx`` with one sheet per table (header row bold, frozen, columns sized) and a notes sheet.

    Parameters
    ----------
    sheets
        Sheet name (at most 31 characters) → table, in order; an empty table keeps its header row.
    title
        The report's title, first line of the notes sheet.
    notes
        Lines under the title (illustrative data, estimate labels, disclosure footnote).
    notes_sheet
        The name of the last sheet, which holds the title and the notes.
    banner
        A line put above the header of every table sheet (bold, on red), for what no reader of any sheet
        may miss: that the figures are illustrative. The header then sits on row 2.

    Returns
    -------
    bytes
        The workbook file's content.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    # The file's properties name the report and the suite, as the Word file's do (not "openpyxl"), on the
    # suite's clock (a rehearsal's day too).
    wb.properties.title = title
    wb.properties.creator = wb.properties.lastModifiedBy = "gender-monitor"
    wb.properties.created = wb.properties.modified = clock.now().astimezone(timezone.utc).replace(
        microsecond=0, tzinfo=None)
    head = PatternFill("solid", fgColor="D9E1F2")
    top = 2 if banner else 1  # the header row
    for name, frame in sheets.items():
        ws = wb.create_sheet(name[:31])
        if banner:
            ws.append([_cell(banner)])
            ws["A1"].font = Font(bold=True, color="FFFFFF")
            ws["A1"].fill = PatternFill("solid", fgColor="B91C1C")
            if len(frame.columns) > 1:
                ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(frame.columns))
        ws.append([_cell(str(c)) for c in frame.columns])
        for row in frame.itertuples(index=False, name=None):
            ws.append([_cell(v) for v in row])
        for cell in ws[top]:
            cell.font, cell.fill = Font(bold=True), head
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = f"B{top + 1}"
        for i, column in enumerate(frame.columns, start=1):
            longest = max([len(str(column))] + [len(str(v)) for v in frame.iloc[:, i - 1]])
            ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(8, longest + 2))
        for row in ws.iter_rows(min_row=top + 1):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws = wb.create_sheet(notes_sheet[:31])
    for line in [title, *notes]:
        ws.append([_cell(line)])
    for sheet in wb.worksheets:  # text that begins with "=" stays text: no formula, no apostrophe
        for row in sheet.iter_rows():
            for cell in row:
                keep_as_text(cell)
    ws["A1"].font = Font(bold=True)
    ws.column_dimensions["A"].width = 120
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def document(blocks: Sequence[Block], *, title: str, subtitle: str = "", notes: Sequence[str] = (),
             language: str = "vi", banner: str | None = None, kicker: str = "",
             letterhead: Letterhead | None = None) -> bytes:
    """A ``.docx`` report: the ``letterhead``'s heading, the plan's name (``kicker``), title, subtitle,
    notes, then each block (heading, text, tables, charts), the letterhead's recipients and signature, and
    the ``appendix`` blocks after them.

    Portrait A4 with the margins and type size of Decree 30/2020/NĐ-CP (13 pt; left 3 cm, right 2 cm, top and
    bottom 2 cm); a ``landscape`` block (the wide annex) gets landscape pages of its own.

    ``banner`` (the data are illustrative) is printed in the header of every page.

    Tables are Word tables (header row repeated on each page), their columns as wide as their text needs
    (:func:`column_widths`); figures are PNG pictures fitted to the page, each with its numbered caption.
    Sections people write carry only their heading and a prompt in italics.
    """
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from gender_monitor.core import i18n

    doc = Document()
    section = doc.sections[0]
    _page_setup(section, landscape=False)
    _page_numbers(section)
    if banner:
        header = section.header.paragraphs[0]
        run = header.add_run(banner)
        run.bold, run.font.size = True, Pt(9)
    style = doc.styles["Normal"]
    style.font.size = Pt(13)
    # One typeface for body and headings, and the text's language, so Word checks Vietnamese spelling.
    present = {s.name for s in doc.styles}
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Table Grid",
                 "Caption"):
        if name in present:
            _font_and_language(doc.styles[name], LANGUAGE_TAGS.get(language, language))
    props = doc.core_properties
    props.title, props.language, props.author, props.comments = title, LANGUAGE_TAGS.get(language, language), \
        "gender-monitor", ""
    # The suite's clock (a rehearsal's day too, as the notes' date), in UTC as the format wants.
    props.created = props.modified = clock.now().astimezone(timezone.utc).replace(microsecond=0, tzinfo=None)
    props.last_modified_by = "gender-monitor"
    if letterhead is not None:
        _two_columns(doc, letterhead.left, letterhead.right, section, ("nbn", "bbi"))
    if kicker:  # the plan the report is about, in full, above the title (as the brief's header has it)
        doc.add_paragraph(kicker).runs[0].bold = True
    doc.add_heading(title, level=0)
    if subtitle:
        doc.add_paragraph(subtitle).runs[0].italic = True
    for line in notes:
        doc.add_paragraph(line).runs[0].bold = True
    figure_number = 0
    body = [b for b in blocks if not b.appendix]
    for block in [*body, None, *(b for b in blocks if b.appendix)]:
        if block is None:  # the body ends: recipients and signature
            if letterhead is not None and (letterhead.recipients or letterhead.signature):
                if section.orientation == WD_ORIENT.LANDSCAPE:
                    section = doc.add_section(WD_SECTION.NEW_PAGE)
                    _page_setup(section, landscape=False)
                recipients = [letterhead.recipients_title, *letterhead.recipients] if letterhead.recipients else []
                _two_columns(doc, recipients, letterhead.signature, section,
                             ("j" + "s" * len(letterhead.recipients), "bi"), align_left=True)
            continue
        if block.landscape != (section.orientation == WD_ORIENT.LANDSCAPE):
            section = doc.add_section(WD_SECTION.NEW_PAGE)  # header, footer and page numbers carry on
            _page_setup(section, landscape=block.landscape)
        doc.add_heading(block.title, level=block.level)
        if block.reference:
            line = doc.add_paragraph()
            line.add_run(block.reference).italic = True
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if block.prompt is not None:
            doc.add_paragraph(block.prompt).runs[0].italic = True
            doc.add_paragraph("")
            continue
        for text in block.paragraphs:
            if text:
                doc.add_paragraph(text)
        for text in block.bullets:
            doc.add_paragraph(text, style="List Bullet")
        for caption, frame in block.tables:
            if caption:
                doc.add_paragraph(caption).runs[0].bold = True
            _table(doc, frame, _across(section))
        for text in block.after:
            if text:
                doc.add_paragraph().add_run(text).italic = True
        for i, png in enumerate(block.figures):
            room = section.page_height - section.top_margin - section.bottom_margin - Cm(3)  # and its caption
            width, height = _fitted(png, _across(section), room)
            doc.add_picture(io.BytesIO(png), width=width, height=height)
            if i < len(block.captions) and block.captions[i]:
                figure_number += 1
                doc.add_paragraph(i18n.t("report.docx.figure", language, n=figure_number, caption=block.captions[i]),
                                  style="Caption")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


#: Word's tags for the languages of the reports.
LANGUAGE_TAGS = {"vi": "vi-VN", "en": "en-GB"}


def _across(section: Any) -> int:
    """The width of a section's text, between its margins (EMU)."""
    return section.page_width - section.left_margin - section.right_margin


def _page_setup(section: Any, *, landscape: bool) -> None:
    """A4 with Decree 30/2020's margins: portrait left 3 cm, right 2 cm, top and bottom 2 cm; landscape 2 cm
    all round (a wide table needs the room)."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(29.7), Cm(21.0)) if landscape else (Cm(21.0), Cm(29.7))
    margins = (2.0, 2.0, 2.0, 2.0) if landscape else (3.0, 2.0, 2.0, 2.0)
    for side, cm in zip(("left_margin", "right_margin", "top_margin", "bottom_margin"), margins, strict=True):
        setattr(section, side, Cm(cm))


def _two_columns(doc: Any, left: Sequence[str], right: Sequence[str], section: Any,
                 styles: tuple[str, str], *, align_left: bool = False) -> None:
    """Two blocks of lines side by side without borders: the heading of an administrative document (issuing
    body | national motto), or its close (recipients | signature). ``styles`` gives, for each side, one
    letter per line: ``b`` bold, ``i`` italic, ``j`` bold italic, ``s`` small, ``n`` plain (a line beyond
    them is plain), as the decree's form sets them."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Pt

    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # the block stays on one page
    room = _across(section)
    widths = (int(room * 0.42), room - int(room * 0.42))  # the motto needs the wider side
    for k, (lines, style) in enumerate(zip((left, right), styles, strict=True)):
        cell = table.rows[0].cells[k]
        cell.width = table.columns[k].width = widths[k]
        for i, line in enumerate(lines):
            paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if (align_left and k == 0) else WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(line)
            mark = style[i] if i < len(style) else "n"
            run.bold, run.italic = mark in "bj", mark in "ij"
            run.font.size = Pt(11 if mark == "s" else 12)
    doc.add_paragraph("")


def _fitted(png: bytes, max_width: int, max_height: int) -> tuple[int, int]:
    """Width and height (EMU) of a PNG shown as wide as ``max_width`` allows without passing
    ``max_height``: a tall chart is made narrower, so it stays on one landscape page."""
    import struct

    px_w, px_h = struct.unpack(">II", png[16:24])  # the IHDR chunk: width, height in pixels
    scale = min(max_width / px_w, max_height / px_h)
    return int(px_w * scale), int(px_h * scale)


def _font_and_language(style: Any, tag: str) -> None:
    """Times New Roman and the language ``tag`` (``vi-VN``) on a Word style."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    style.font.name = "Times New Roman"
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:  # headings name a theme font that would win over the name
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _page_numbers(section: Any) -> None:
    """The page number, centred in the footer (a PAGE field Word fills in)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


#: The width of one character of a 9-point table cell (Times New Roman, bold headers included), in EMU.
CHAR_WIDTH = 57_600  # 0,16 cm
#: The longest word a column's floor holds (a longer token, "ca/100.000", may wrap at its slash).
LONGEST_WORD = 10
#: A cell's left and right padding together, in EMU (Word's default 0,19 cm each side).
CELL_PADDING = 137_160


def column_widths(frame: pd.DataFrame, total: int) -> list[int]:
    """Widths of a table's columns summing to at most ``total`` (EMU), each as wide as its text needs.

    Every column first gets room for its longest word (header or cell, up to :data:`LONGEST_WORD` letters),
    so no word is broken letter by letter; what is left is shared in proportion to the mean length of its
    cells (at most 60 characters: a long name wraps rather than squeezing every other column). The annex's names and sentences get room,
    its codes and units little, instead of eleven equal columns.
    """
    floors, weights = [], []
    for i, name in enumerate(frame.columns):
        cells = ["–" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in frame.iloc[:, i]]
        word = max((len(w) for text in [str(name), *cells] for w in text.split()), default=1)
        floors.append((min(word, LONGEST_WORD) + 1) * CHAR_WIDTH + CELL_PADDING)
        weights.append(min(60.0, sum(map(len, cells)) / len(cells) if cells else 0.0))
    if sum(floors) >= total:  # not even the words fit: shrink them alike
        return [int(total * f / sum(floors)) for f in floors]
    extra, whole = total - sum(floors), sum(weights) or 1.0
    return [int(f + extra * w / whole) for f, w in zip(floors, weights, strict=True)]


def _table(doc: Any, frame: pd.DataFrame, width: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    table.autofit = False
    widths = column_widths(frame, width)
    header = table.rows[0]
    # The header row repeats on every page of a long annex.
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(flag)
    for cell, name in zip(header.cells, frame.columns):
        cell.text = str(name)
        for run in cell.paragraphs[0].runs:
            run.bold, run.font.size = True, Pt(9)
    for values in frame.itertuples(index=False, name=None):
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = "–" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    for column, w in zip(table.columns, widths):  # Word reads a cell's width; LibreOffice the column's
        column.width = w
        for cell in column.cells:
            cell.width = w


def figure_png(figure: Any, dpi: int = 150) -> bytes:
    """A matplotlib figure as PNG bytes, for the Word document (the figure is left open)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()
