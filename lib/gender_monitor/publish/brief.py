"""The steering board's brief: offline HTML from an executed notebook, and the review index.

The notebook contract
---------------------
A notebook that becomes a brief follows these rules; it then runs the same way under plain
``papermill`` and under ``gender-monitor review``.

* Exactly one code cell is tagged ``parameters``: one typed, commented assignment per line
  (``target: str = "4.1"  # plan code of the target``). Papermill (or the runner) inserts a cell
  tagged ``injected-parameters`` after it. Derived values are computed in later cells.
  The runner passes each of ``review, language, as_of, place, publish, disclosure_threshold``
  that the notebook declares, the per-run code (``objective`` or ``target``) and the extra
  ``parameters:`` named in the review YAML (an undeclared extra is an error).
* Cells tagged ``parameters``, ``injected-parameters`` or ``remove-cell`` are dropped from the brief;
  ``remove-output`` drops a cell's outputs. Every input is hidden, so markdown cells and outputs are
  the whole brief; headings h1–h3 make the table of contents.
* ``set_page_meta(title=..., language=..., subtitle=None, sources=[...], illustrative=False,
  kicker=None)`` once near the top: the brief's header, its ``<html lang>`` and its provenance
  footnotes. ``sources`` items are strings or mappings with ``title`` (or ``producer``),
  ``url``, ``accessed``, ``licence``, ``file``.
* ``illustrative_banner(language)`` returns an ``IPython.display.HTML`` banner (class
  ``gm-illustrative-banner``) to show wherever illustrative data is used; when it is shown, or when
  ``illustrative=True``, the brief also carries the banner under its header.
* Tables for machines go through ``gender_monitor.review.runner.publish_table(frame, name)``; a result
  shared by many notebooks of one review (projection, assessment) through
  ``gender_monitor.review.runner.shared_result(name, compute, **key)``.
* Figures are matplotlib figures displayed inline (PNG data URIs); no file or network access is needed
  to open the brief.

The export adds the header (title, version = package version + git short sha, run date), the table
of contents, the footer with sources and provenance (parameters, input file SHA-256) and print CSS
(A4, figures and tables kept whole). No external script, style, font or image is referenced.
:mod:`gender_monitor.publish.pdf` prints the HTML to PDF.
"""

from __future__ import annotations

import copy
import functools
import html as html_lib
import json
import os
import re
import subprocess
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from gender_monitor import __version__
from gender_monitor.core import clock, i18n, paths
from gender_monitor.core.exceptions import GenderMonitorError

#: Mimetype of the metadata bundle that :func:`set_page_meta` displays and the export consumes.
PAGE_META_MIMETYPE = "application/vnd.gender-monitor.page+json"
#: CSS class of the illustrative-data banner.
BANNER_CLASS = "gm-illustrative-banner"
#: Cell tags whose cells never reach the brief.
REMOVED_CELL_TAGS = frozenset({"parameters", "injected-parameters", "remove-cell"})

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

def words(language: str) -> dict[str, Any]:
    """The brief's own words in ``language`` (``vi`` or ``en``), from ``locales/<language>/``."""
    if language not in i18n.LANGUAGES:
        raise GenderMonitorError(f"language must be one of {sorted(i18n.LANGUAGES)}, got {language!r}")
    return i18n.catalogue(language)["brief"]


# --- called from notebooks ---------------------------------------------------------------------


def preview_note(year: int, day: date, language: str = "vi") -> str | None:
    """The banner of a report of ``year`` made on ``day`` before that year began (a final review of 2030
    rehearsed in 2026): every value of ``year`` in it is a projection. None for a report made in or after
    its year."""
    if day.year >= year:
        return None
    return i18n.t("brief.preview", language, year=year, day=i18n.date(day, language))


def preview_short(year: int, day: date, language: str = "vi") -> str | None:
    """The one line a Word or Excel file of a preview carries in its header (:func:`preview_note`)."""
    return None if day.year >= year else i18n.t("brief.preview_short", language, year=year)


def illustrative_banner(language: str = "vi") -> Any:
    """A banner saying that the figures shown are illustrative, not official.

    Returns
    -------
    IPython.display.HTML
        A ``<div class="gm-illustrative-banner">``; display it (or leave it last in a cell).
    """
    from IPython.display import HTML

    text = words(language)["illustrative"]
    return HTML(f'<div class="{BANNER_CLASS}" role="note">{_escape(text)}</div>')


def set_page_meta(
    *,
    title: str,
    language: str = "vi",
    subtitle: str | None = None,
    sources: Iterable[str | Mapping[str, str]] = (),
    illustrative: bool = False,
    kicker: str | None = None,
    preview: str | None = None,
) -> None:
    """Give the brief its title, language, sources and illustrative flag.

    Displays a metadata bundle that the export reads and removes; JupyterLab shows nothing.

    Parameters
    ----------
    title, subtitle, kicker
        The header lines (kicker: the small line above the title, e.g. the plan's name).
    language
        ``vi`` or ``en``: ``<html lang>`` and the brief's own words.
    sources
        Provenance footnotes: strings, or mappings with ``title``/``producer``, ``url``,
        ``accessed``, ``licence``, ``file``.
    illustrative
        True when any figure shown comes from illustrative data: the brief carries a banner.
    preview
        The banner of a report made before its year began (:func:`preview_note`); its stamp then reads
        "Bản lập thử" instead of "Bản công bố", so a rehearsal cannot pass for the report.
    """
    from IPython.display import display

    words(language)  # validates
    meta = {
        "title": str(title), "language": language, "subtitle": subtitle, "kicker": kicker,
        "sources": [_source_entry(s, language) for s in sources], "illustrative": bool(illustrative),
        "preview": str(preview) if preview else None,
    }
    display({PAGE_META_MIMETYPE: meta, "text/plain": ""}, raw=True)


def licence_words(source: Mapping[str, Any], language: str) -> str:
    """A source's licence for a reader: the provenance file's ``licence_vi`` for Vietnamese readers where it
    has one, else the licence's name (``CC BY 4.0``), without the English explanation after it."""
    vi = str(source.get("licence_vi") or "")
    if language == "vi" and vi:
        return vi
    return re.sub(r"\s*\([^)]*\)", "", str(source.get("licence") or "")).split("; ")[0].strip()


def source_text(source: str | Mapping[str, str], language: str) -> str:
    """One source as a line of plain text (producer, title, file, day accessed, licence, then the web address
    where there is one), for a document that has no footnote links: the Word version of a report."""
    entry = _source_entry(source, language)
    return str(entry["text"]) + (f" – {entry['url']}" if entry["url"] else "")


def _source_entry(source: str | Mapping[str, str], language: str) -> dict[str, str | None]:
    """One footnote: display text and an optional URL."""
    if isinstance(source, str):
        return {"text": source, "url": None}
    vi = language == "vi"
    producer = source.get("producer_vi") if vi and source.get("producer_vi") else source.get("producer")
    title = str(source.get("title_vi") if vi and source.get("title_vi") else source.get("title") or "")
    if vi and producer and title[1:2].islower():  # "Dự án …, số liệu minh họa …": no capital after a comma
        title = title[:1].lower() + title[1:]
    parts = [producer, title]
    shown = dict(source)
    if source.get("accessed"):
        try:
            shown["accessed"] = i18n.date(datetime.fromisoformat(str(source["accessed"])[:10]), language)
        except ValueError:
            pass
    if source.get("licence"):
        shown["licence"] = licence_words(source, language)
    # A named licence (CC BY 4.0) is a licence; conditions in words (figures reported by the press) are not.
    terms = "terms" if vi and source.get("licence_vi") else "licence"
    extra = [f"{words(language)[terms if k == 'licence' else k]} {shown[k]}" for k in ("file", "accessed", "licence")
             if shown.get(k)]
    text = ", ".join(p for p in parts if p) + ("; " + "; ".join(extra) if extra else "")
    url = source.get("url")
    url = url if url and re.match(r"https?://", str(url), re.I) else None  # a link only to a web page
    return {"text": text or json.dumps(dict(source), ensure_ascii=False), "url": url}


# --- HTML export -------------------------------------------------------------------------------


def version_string(home: Path | None = None) -> str:
    """Package version plus git short sha (``0.1.0+3f2a9c1``, ``+dirty`` when uncommitted)."""
    sha = git_commit(home, short=True)
    return __version__ if sha is None else f"{__version__}+{sha}"


def git_commit(home: Path | None = None, short: bool = False) -> str | None:
    """The checkout's commit (with ``-dirty`` when tracked files changed), or None outside git."""
    cwd = home or paths.home()
    args = ["git", "-C", str(cwd), "rev-parse", *(["--short"] if short else []), "HEAD"]
    try:
        head = subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(cwd), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{head}-dirty" if dirty else head


def export_html(
    notebook: Any,
    html_path: str | os.PathLike[str],
    *,
    version: str | None = None,
    run_date: str | None = None,
    inputs: list[dict[str, str]] | None = None,
    language: str | None = None,
    notebook_label: str | None = None,
    index_href: str | None = None,
) -> Path:
    """Write the brief of an executed notebook.

    Parameters
    ----------
    notebook
        An executed ``nbformat.NotebookNode`` or the path of an ``.ipynb`` file.
    html_path
        Where to write the HTML.
    version, run_date
        The stamp (default: :func:`version_string` and now).
    inputs
        ``[{"path": ..., "sha256": ...}]`` input files for the provenance footer.
    language
        Overrides the notebook's language (page meta, else its ``language`` parameter, else ``vi``).
    notebook_label
        The notebook's name shown in the provenance footer.
    index_href
        Link from the brief back to its review's index page (none outside a review).

    Raises
    ------
    GenderMonitorError
        The HTML would reference an external script, style sheet or image.
    """
    import nbformat

    nb = nbformat.read(notebook, as_version=4) if isinstance(notebook, (str, os.PathLike)) else notebook
    if notebook_label is None and isinstance(notebook, (str, os.PathLike)):
        notebook_label = Path(notebook).name
    nb, meta = prepare_notebook(nb)
    params = dict(nb.metadata.get("papermill", {}).get("parameters", {}))
    lang = language or meta.get("language") or params.get("language") or "vi"
    gm = _resources(meta, params, lang, version, run_date, inputs, notebook_label) | {"index_href": index_href}
    nb.metadata["title"] = gm["title"]
    exporter = _exporter()
    exporter.language_code = lang
    body, _ = exporter.from_notebook_node(nb, resources={"gm": gm, "metadata": {"path": _nb_dir(notebook)}})
    html = insert_toc(_alt_texts(_compact_images(body), lang))
    bad = external_references(html)
    if bad:
        raise GenderMonitorError(f"the brief {html_path} would load external resources: {bad[:5]}")
    out = Path(html_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out


def prepare_notebook(nb: Any) -> tuple[Any, dict[str, Any]]:
    """Copy of ``nb`` ready for the brief, and the page metadata it carried.

    Drops cells tagged :data:`REMOVED_CELL_TAGS`, outputs of cells tagged ``remove-output``,
    stderr streams and the page-metadata bundles; notes whether an illustrative banner is shown.
    """
    nb = copy.deepcopy(nb)
    meta: dict[str, Any] = {}
    shows_banner = False
    kept = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & REMOVED_CELL_TAGS:
            continue
        if cell.cell_type == "code":
            if "remove-output" in tags:
                cell.outputs = []
            outputs = []
            for out in cell.outputs:
                data = out.get("data", {})
                if PAGE_META_MIMETYPE in data:
                    meta.update(data[PAGE_META_MIMETYPE])
                    continue
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    continue
                shows_banner = shows_banner or BANNER_CLASS in str(data.get("text/html", ""))
                outputs.append(out)
            cell.outputs = outputs
        kept.append(cell)
    nb.cells = kept
    meta["illustrative"] = bool(meta.get("illustrative")) or shows_banner
    return nb, meta


def _resources(meta, params, lang, version, run_date, inputs, notebook_label) -> dict[str, Any]:
    """The ``resources.gm`` mapping the template reads."""
    version = version or version_string()
    title = meta.get("title") or notebook_label or "gender-monitor"
    return {
        "title": title, "subtitle": meta.get("subtitle"), "kicker": meta.get("kicker"),
        "language": lang, "words": words(lang), "version": version,
        "run_date": run_date or _local_time(lang),
        "day": _day(params.get("report_date") or run_date, lang),
        "publish": params.get("publish"), "illustrative": meta["illustrative"], "preview": meta.get("preview"),
        "sources": meta.get("sources", []), "inputs": inputs or [],
        "parameters": {k: json.dumps(v, ensure_ascii=False) for k, v in params.items()},
        "notebook": notebook_label, "css": stylesheet(),
        "page_label": _css_text(title),
        # Said in every printed page's top margin when the figures are illustrative.
        "illustrative_label": _css_text(words(lang)["illustrative_footer"]),
    }


def _css_text(text: str) -> str:
    """Text for a CSS string in a page's margin: no quote, backslash, angle bracket or line end can end it."""
    return re.sub(r'[<>"\\\n\r]', " ", text)


def _day(day: str | None, language: str) -> str:
    """The day the brief was prepared, as its readers write it: the report's date (``report_date``) when the
    notebook has one, else the run's date, else today (:func:`clock.today`: a rehearsal's day too)."""
    if day:
        try:
            return i18n.date(datetime.fromisoformat(str(day)), language)
        except ValueError:
            pass
    return i18n.date(clock.today(), language)


def _local_time(language: str) -> str:
    """Now, in the readers' local time and style: ``04/12/2026 09:38``."""
    now = clock.now()  # on a rehearsal's day too, as the brief's date
    return f"{i18n.date(now, language)} {now:%H:%M}"


def _nb_dir(notebook: Any) -> str:
    """Directory that relative image paths in markdown are resolved against."""
    if isinstance(notebook, (str, os.PathLike)):
        return str(Path(notebook).resolve().parent)
    return str(paths.notebooks_dir())


@functools.lru_cache(maxsize=1)
def stylesheet() -> str:
    """The suite's CSS for briefs and the index page."""
    return (TEMPLATES_DIR / "brief" / "static" / "brief.css").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _exporter() -> Any:
    """One configured HTML exporter per process (building one costs more than exporting)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="brief",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )


_HEADING = re.compile(r"<h([1-3])(\s[^>]*)?>(.*?)</h\1>", re.S | re.I)


#: Colours kept when a chart is re-encoded for the brief (charts use a handful of colours and their tints).
PNG_COLOURS = 128


def _compact_images(html: str) -> str:
    """Re-encode every inline PNG with a palette of :data:`PNG_COLOURS` colours: a chart weighs about a third,
    at the same resolution (a brief of six chart grids goes from about 1 MB to about 0.3 MB)."""
    import base64
    import io

    from PIL import Image

    def compact(match: re.Match[str]) -> str:
        raw = base64.b64decode(match.group(1))
        try:
            image = Image.open(io.BytesIO(raw))
            if image.mode not in ("RGB", "RGBA"):
                return match.group(0)
            out = io.BytesIO()
            image.convert("RGB").quantize(colors=PNG_COLOURS, method=Image.Quantize.MEDIANCUT).save(
                out, format="PNG", optimize=True)
        except (OSError, ValueError):
            return match.group(0)
        smaller = out.getvalue() if len(out.getvalue()) < len(raw) else raw
        return "data:image/png;base64," + base64.b64encode(smaller).decode("ascii")

    return re.sub(r"data:image/png;base64,([A-Za-z0-9+/=]+)", compact, html)


#: nbconvert's alternative text for an image without one (English, and says nothing).
NBCONVERT_NO_ALT = "No description has been provided for this image"


def _alt_texts(html: str, language: str) -> str:
    """Give every chart without alternative text one from the heading it sits under (the chart's subject)."""
    heading = ""
    out = []
    for part in re.split(r"(<h[1-4][^>]*>.*?</h[1-4]>|<img\b[^>]*>)", html, flags=re.S):
        if re.match(r"<h[1-4]", part):
            heading = html_lib.unescape(re.sub(r"<[^>]+>", "", part)).strip().rstrip("¶").strip()
        elif part.startswith("<img") and NBCONVERT_NO_ALT in part:
            alt = i18n.t("brief.chart_alt", language, heading=heading) if heading else i18n.t("brief.chart", language)
            part = part.replace(NBCONVERT_NO_ALT, html_lib.escape(alt, quote=True))
        out.append(part)
    return "".join(out)


def insert_toc(html: str) -> str:
    """Fill the ``<!--gm-toc-->`` placeholder with links to the content's h1–h3 headings.

    Headings without an ``id`` get one (``gm-h-<n>``).
    """
    start = html.find('<main class="gm-content">')
    end = html.find("</main>", start)
    if "<!--gm-toc-->" not in html or start < 0 or end < 0:
        return html
    items: list[str] = []

    def anchor(match: re.Match[str]) -> str:
        level, attrs, inner = match.group(1), match.group(2) or "", match.group(3)
        found = re.search(r'\bid="([^"]+)"', attrs)
        ident = found.group(1) if found else f"gm-h-{len(items) + 1}"
        if not found:
            attrs += f' id="{ident}"'
        text = re.sub(r"<a class=\"anchor-link\".*?</a>", "", inner, flags=re.S)
        text = re.sub(r"<[^>]+>", "", text).strip()
        items.append(f'<li class="gm-toc-l{level}"><a href="#{ident}">{text}</a></li>')
        return f"<h{level}{attrs}>{inner}</h{level}>"

    content = _HEADING.sub(anchor, html[start:end])
    toc = "<ol>" + "".join(items) + "</ol>"
    return html[:start].replace("<!--gm-toc-->", toc) + content + html[end:]


_EXTERNAL = [
    re.compile(r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//[^\"'\s>]*", re.I),
    re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?\s*(?:https?:)?//[^\"'\s>]*", re.I),
    re.compile(r"@import\s+(?:url\()?\s*[\"']?\s*(?:https?:)?//[^\"')\s;]*", re.I),
    re.compile(r"url\(\s*[\"']?\s*(?:https?:)?//[^\"')\s]*", re.I),
]


def external_references(html: str) -> list[str]:
    """Every external resource an HTML page would load (scripts, styles, images, fonts, imports).

    Links a reader may click (``<a href="https://…">``) are not loads and are allowed.
    """
    return [m.group(0) for pattern in _EXTERNAL for m in pattern.finditer(html)]


def _escape(text: str) -> str:
    """Minimal HTML escaping for text placed inside an element."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- index page --------------------------------------------------------------------------------


def write_index(review_dir: str | os.PathLike[str], manifest: Mapping[str, Any],
                runs: list[Mapping[str, Any]], *, pdf_note: str | None = None,
                assessment: Any = None) -> Path:
    """Write the review's two pages: ``index.html`` for the board and ``operator.html`` for whoever runs it.

    The board's page names the report, says whether its figures are illustrative, counts the targets by
    status (the plan's end year) and by the action they call for (from ``assessment``, the published
    assessment table, when there is one) and links every brief, its PDF and the department's Word and
    Excel files. The operator's page lists every run (HTML, PDF, notebook), failure, table and the
    manifest's summary.

    ``runs`` are the run records (``name, title, role, status, cache_hit, outputs, tables, error,
    pdf_note``) with output paths relative to ``review_dir``. The tables listed are those the
    successful runs published (their ``tables``), not whatever lies in ``tables/``. A failure shows
    its cell (index in the source notebook, first source lines, traceback) or the stage that failed.
    Returns the path of ``index.html``.
    """
    import jinja2

    review_dir = Path(review_dir)
    language = manifest["parameters"].get("language", "vi")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / "index")), autoescape=True)
    env.filters["setting"] = lambda value: setting_words(value, language)
    env.filters["moment"] = lambda stamp: moment_words(stamp, language)
    from gender_monitor.core.files import pathless

    env.filters["pathless"] = lambda text: pathless(str(text))  # no folder of the machine on a page
    tables = sorted({t for r in runs if r["status"] == "ok" for t in r.get("tables") or ()})
    kind = manifest["parameters"].get("kind")
    kind_line = i18n.t("report.index_kind", language, kind=i18n.t(f"report.kinds.{kind}.name", language),
                       year=manifest["parameters"].get("as_of")) if kind else None
    board = i18n.catalogue(language)["board"]
    failures = [r for r in runs if r["status"] == "failed"]
    pages = {
        "operator.html": env.get_template("operator.html.j2").render(
            language=language, words=words(language), board=board, manifest=manifest, runs=runs,
            kind_line=kind_line, failures=failures, tables=tables, css=stylesheet(), pdf_note=pdf_note),
        "index.html": env.get_template("index.html.j2").render(
            language=language, words=words(language), board=board, runs=runs, kind_line=kind_line,
            css=stylesheet(), **_board_context(manifest, runs, tables, failures, assessment, language)),
    }
    for name, html in pages.items():
        bad = external_references(html)
        if bad:
            raise GenderMonitorError(f"the review's {name} would load external resources: {bad[:5]}")
        (review_dir / name).write_text(html, encoding="utf-8")
    return review_dir / "index.html"


def mark_previous(html_text: str, *, made: Any, failed: Any, language: str) -> str:
    """A brief kept because the run that should have replaced it failed, marked at the top of its page as
    the last brief that succeeded (made on ``made``; the failing run on ``failed``, ISO time stamps); a mark
    left by an earlier failure is replaced."""
    import html as html_lib
    import re

    note = i18n.t("board.previous_banner", language, made=moment_words(made, language),
                  failed=moment_words(failed, language))
    banner = f'<div class="gm-illustrative-banner" role="note" data-previous="true">{html_lib.escape(note)}</div>'
    # A brief kept through several failing runs carries one mark, the latest failure's.
    html_text = re.sub(r'\n?<div class="gm-illustrative-banner" role="note" data-previous="true">[^<]*</div>', "",
                       html_text)
    body = re.search(r"<body\b[^>]*>", html_text)
    if body is None:
        raise GenderMonitorError("a brief without <body> cannot be marked as the previous one")
    return html_text[:body.end()] + "\n" + banner + html_text[body.end():]


def setting_words(value: Any, language: str) -> str:
    """A run parameter as a reader writes it: yes/no, a list joined by commas, "—" for none."""
    if value is None or value == [] or value == ():
        return "—"
    if isinstance(value, bool):
        return words(language)["answer_yes" if value else "answer_no"]
    if isinstance(value, (list, tuple)):
        return ", ".join(setting_words(v, language) for v in value)
    return str(value)


def moment_words(stamp: Any, language: str) -> str:
    """A manifest's ISO time stamp as the day (Decree 30/2020 in Vietnamese) and hour, both in Viet Nam's
    time (:data:`i18n.LOCAL_TZ`, as :func:`i18n.date` gives the day); a stamp without a zone is local."""
    from zoneinfo import ZoneInfo

    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(i18n.LOCAL_TZ))
    return f"{i18n.date(moment, language)} {moment:%H:%M}"


def _board_context(manifest: Mapping[str, Any], runs: list[Mapping[str, Any]], tables: list[str],
                   failures: list[Mapping[str, Any]], assessment: Any, language: str) -> dict[str, Any]:
    """What the board's page shows besides the briefs: title, day, warning, status and action counts."""
    import markupsafe

    from gender_monitor.judge import messages
    from gender_monitor.judge.assessment import STATUSES
    from gender_monitor.plan.registry import load_plan

    main = next((r for r in runs if r.get("role") in ("review", "report") and r.get("title")), None)
    title = main["title"] if main else f'{words(language)["index_title"]} — {manifest["parameters"].get("review")}'
    # The report's date (the review's report_date, or the day it ran as the suite saw it: a rehearsal's too);
    # a manifest written before it was recorded gives the day the run finished.
    day = _day(manifest.get("report_date") or manifest["parameters"].get("report_date") or manifest.get("finished"),
               language)
    out: dict[str, Any] = {"title": title, "day": day, "kicker": i18n.t("review.kicker", language),
                           "illustrative": False, "preview": None, "counts": [], "actions": None,
                           "index_status_title": ""}
    office = {".docx": "board.word_file", ".xlsx": "board.excel_file"}
    out["tables_office"] = [{"href": t, "label": i18n.t(office[Path(t).suffix], language)}
                            for t in tables if Path(t).suffix in office]
    out["failed"] = i18n.t("board.failed", language, n=len(failures)) if failures else None
    # A brief that showed illustrative figures makes the whole page say so, whatever table it published.
    out["illustrative"] = any(r.get("illustrative") for r in runs if r.get("status") == "ok")
    # A trial run's briefs say so; the board's page too, with the first brief's words.
    out["preview"] = next((r["preview"] for r in runs if r.get("status") == "ok" and r.get("preview")), None)
    if assessment is None or len(assessment) == 0 or not {"code", "target_year", "status"} <= set(assessment.columns):
        return out
    plan = load_plan()
    end = plan.plan.end_year
    rows = assessment[assessment["target_year"] == end]
    if "illustrative" in assessment.columns:
        out["illustrative"] = out["illustrative"] or bool(
            assessment["illustrative"].astype(str).str.lower().isin(["true", "1"]).any())
    found = rows["status"].astype(str).value_counts()
    out["counts"] = [{"chip": markupsafe.Markup(messages.status_cell_html(s, language)
                                                 + f' <b class="gm-count">{int(found[s])}</b>')}
                     for s in STATUSES if s in found]
    out["actions"] = messages.action_counts_text(messages.action_counts(assessment, plan, later_year=end), language)
    out["index_status_title"] = i18n.t("board.index_status", language, year=end)
    return out
