"""Words for readers, in Vietnamese (the default) and English, from `locales/<language>/*.yaml`.

Each language is a folder of topic files (``common.yaml``, ``report.yaml``, …) merged into one catalogue;
a top-level key belongs to one file only, so two topics never overwrite each other's words.
"""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from gender_monitor.core.clock import LOCAL_TZ  # noqa: F401  (run dates are said in local time)

LANGUAGES = ("vi", "en")
_DIR = Path(__file__).parent / "locales"
#: libyaml's safe loader where PyYAML was built with it (ten times faster on the locale files), else the
#: pure-Python one; both read the same safe subset of YAML.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: A symbol and a colour per status, so that colour is never the only cue. The colours follow the
#: Okabe–Ito palette (distinguishable with the common colour-vision deficiencies): bluish green for
#: met, sky blue for likely, orange for too close to call, vermilion for unlikely, dark red for not met.
STATUS_STYLE: dict[str, tuple[str, str]] = {
    "exceeded": ("★", "#007a5a"),
    "met": ("✔", "#009e73"),
    "likely": ("▲", "#3a9ad9"),
    "too_close": ("?", "#e69f00"),
    "insufficient_data": ("…", "#8a8a8a"),
    "unlikely": ("▼", "#d55e00"),
    "not_met": ("✖", "#a3200f"),
    "no_data": ("–", "#6b7280"),
    "not_applicable": ("∅", "#6b7280"),
    "hidden": ("◌", "#6b7280"),  # judged on a value disclosure control hides: the outcome is not published
}


@cache
def catalogue(language: str) -> dict:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}; got {language!r}")
    merged: dict = {}
    for path in sorted((_DIR / language).glob("*.yaml")):
        topic = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        twice = sorted(set(topic) & set(merged))
        if twice:
            raise ValueError(f"locales/{language}/{path.name}: keys {', '.join(twice)} are already defined "
                             "in another file of the same language")
        merged.update(topic)
    return merged


def t(key: str, language: str = "vi", **values: object) -> str:
    """The text at a dotted ``key`` (``"status.met"``), formatted with ``values``."""
    node: object = catalogue(language)
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"no text {key!r} in locales/{language}/")
        node = node[part]
    return str(node).format(**values) if values else str(node)


def each_language(key: str, /, **values: object) -> dict[str, str]:
    """The text at ``key`` in every language; a value given as ``{language: text}`` is said in each
    language's own words (a status, a phrase)."""
    return {lang: t(key, lang, **{k: v[lang] if isinstance(v, dict) else v for k, v in values.items()})
            for lang in LANGUAGES}


def both(key: str, /, **values: object) -> str:
    """The text at ``key`` in Vietnamese, then English (``vi / en``): for messages agencies and operators
    both read (errors, summaries)."""
    said = each_language(key, **values)
    return f"{said['vi']} / {said['en']}"


def entries(key: str, language: str = "vi") -> dict[str, str]:
    """The texts under a dotted ``key``, in file order (``"collect.units"``: unit → its words)."""
    node: object = catalogue(language)
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"no texts {key!r} in locales/{language}/")
        node = node[part]
    if not isinstance(node, dict):
        raise KeyError(f"{key!r} in locales/{language}/ is one text, not a group of texts")
    return {str(k): str(v) for k, v in node.items()}


def status_label(status: str, language: str = "vi") -> str:
    return t(f"status.{status}", language)


def flat_keys(language: str) -> set[str]:
    """Every dotted key of a language's catalogue (used to check that vi and en match)."""

    def walk(node: object, prefix: str) -> set[str]:
        if not isinstance(node, dict):
            return {prefix}
        out: set[str] = set()
        for k, v in node.items():
            out |= walk(v, f"{prefix}.{k}" if prefix else str(k))
        return out

    return walk(catalogue(language), "")


def number(x: float | int | None, language: str = "vi", digits: int = 1, *, keep_zeros: bool = False) -> str:
    """A number as a reader of ``language`` writes it: ``1.234,5`` in Vietnamese, ``1,234.5`` in English.

    Whole numbers lose their decimals (``100``, not ``100,0``) unless ``keep_zeros`` (the two ends of an
    interval are written alike); a missing value is an en dash.
    """
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    x = float(x)
    whole = abs(x - round(x)) < 0.5 * 10**-digits and not keep_zeros
    text = f"{x:,.0f}" if whole else f"{x:,.{digits}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # -0.04 shown to one decimal is 0, not "-0"
    return _separators(text, language)


def review_words(kind: str, year: int, language: str = "vi", *, start: int = 2021) -> str:
    """The report a brief belongs to, by the review's ``kind`` (``annual``, ``midterm``, ``final``; empty for an
    analyst's own run): "báo cáo năm 2026", "tổng kết giai đoạn 2021–2030", "rà soát năm 2024"."""
    return t(f"review_of.{kind or 'none'}", language, year=year, start=start)


#: Marks after which a phrase ends (a cut may fall there), and tokens that are punctuation only.
_PHRASE_END = ",;:)"
_DASHES = ("-", "–", "—", "·")
#: How many characters short of the limit one character over it weighs, when a name is cut (:func:`shorten`).
OVER_LIMIT = 4


def shorten(text: str, limit: int, language: str = "vi") -> str:
    """``text`` whole when it has at most ``limit`` characters; else cut between two words, ending in "…".

    The one way names are shortened for a chart label or a table cell. In English any space lies between
    two words. A Vietnamese word is often two or three syllables written apart ("bình đẳng", "phụ nữ",
    "doanh nghiệp"), and no word list is kept here, so Vietnamese is cut only where a phrase ends, which is
    always between words: after a comma, semicolon, colon or closing bracket, at a dash, before an opening
    bracket, or before a word of ``messages.name_cut_drop`` (của, và, về, trong, so, không …: words of one
    syllable that lead into what follows), except inside a fixed expression of ``messages.name_cut_joined``
    ("trở về"). The words of ``name_cut_drop`` and punctuation are dropped from the end of what is kept
    ("… chính quyền địa phương các…" ends at "phương"), and no bracket is left open.

    Phrases can be long, so ``limit`` is a length to come near rather than a wall: of these places and the
    end of the text, the one whose label comes nearest to ``limit`` is taken, a character over it weighing
    as much as :data:`OVER_LIMIT` characters under it. A name two characters too long stays whole rather
    than lose a phrase ("Tỷ lệ tử vong bà mẹ liên quan đến thai sản" at 40), and a first phrase longer
    than ``limit`` is kept whole: a label somewhat long reads better than one cut inside a word ("… tỷ lệ
    phụ…"), and the reports show every name in full in their annex.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    words = text.split(" ")
    lead, joined = _cut_words(language)

    def kept(k: int) -> str:
        """The first ``k`` words less the lead-in words and punctuation at their end."""
        out = words[:k]
        while out and (out[-1] in _DASHES or (out[-1].lower() in lead
                                              and (len(out) < 2 or (out[-2].lower(), out[-1].lower()) not in joined))):
            out.pop()
        said = " ".join(out).rstrip(_PHRASE_END.replace(")", ""))
        return said if said.count("(") <= said.count(")") else ""  # never an open bracket left unclosed

    cuts = [kept(k) + "…" for k in word_breaks(words, language) if kept(k)] + [text]
    return min(cuts, key=lambda c: (limit - len(c) if len(c) <= limit else OVER_LIMIT * (len(c) - limit), len(c)))


def word_breaks(words: list[str], language: str = "vi") -> list[int]:
    """The ``k`` (1 … ``len(words) - 1``) for which the space before ``words[k]`` is known to lie between two
    words: every one in English; in Vietnamese, where a phrase ends (:func:`shorten`). For a cut, and for
    a line break in a chart's label."""
    if language != "vi":
        return list(range(1, len(words)))
    lead, joined = _cut_words(language)
    out = []
    for k in range(1, len(words)):
        before, word = words[k - 1], words[k]
        if not before or not word or (before.lower(), word.lower()) in joined:
            continue
        if (before[-1] in _PHRASE_END or before in _DASHES or word in _DASHES or word.startswith("(")
                or word.lower() in lead):
            out.append(k)
    return out


def _cut_words(language: str) -> tuple[set[str], set[tuple[str, ...]]]:
    """``messages.name_cut_drop`` as a set of words and ``messages.name_cut_joined`` as word tuples."""
    lead = set(str(t("messages.name_cut_drop", language)).split())
    joined = {tuple(e.split()) for e in str(t("messages.name_cut_joined", language)).split(",") if e.strip()}
    return lead, joined


def prefixed(kind: str, text: str) -> str:
    """``text`` after the word for its kind (``error``, ``warning``, ``info``) in both languages: ``lỗi / error: …``."""
    return f"{both(f'validation.severity.{kind}')}: {text}"


def as_given(x: float | int) -> dict[str, str]:
    """A value as it was given, with every digit it has, in each language's style, never in exponent form:
    ``{"vi": "1.234,56", "en": "1,234.56"}``; for messages that quote a value an agency sent."""
    text = f"{float(x):,.10f}".rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    return {lang: _separators(text, lang) for lang in LANGUAGES}


def value_said(x: object) -> dict[str, str] | str:
    """A value held as a number or as the text the suite stores (``40.5``), in each language's style for a
    message (:func:`as_given`: ``{"vi": "40,5", "en": "40.5"}``); text that is no number (a cell quoted as it was
    typed) as it is."""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return as_given(x) if math.isfinite(x) else str(x)
    text = str(x).strip()
    # Digits with a decimal point only: "2e3", "1,050" or "abc" are quoted as typed (the rule they broke).
    return as_given(float(text)) if re.fullmatch(r"-?\d+(\.\d+)?", text) else str(x)


def _separators(text: str, language: str) -> str:
    """English ``1,234.5`` as ``language`` writes it (Vietnamese: ``1.234,5``)."""
    if language == "vi":
        return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")


def date(d: Any, language: str = "vi") -> str:
    """A day as its readers write it: ``04/12/2026``, ``01/7/2025`` in Vietnamese, ``4 December 2026`` in English.

    Vietnamese follows the administrative style (Decree 30/2020/NĐ-CP, appendix I): a day below 10 and
    the months 1 and 2 take a leading zero, other months do not. A ``datetime`` is first put in local
    time (:data:`LOCAL_TZ`); a naive one is taken as local already.
    """
    import datetime as dt
    from zoneinfo import ZoneInfo

    if isinstance(d, dt.datetime):
        d = (d.astimezone(ZoneInfo(LOCAL_TZ)) if d.tzinfo else d).date()
    if language == "vi":
        return f"{d.day:02d}/{d.month:02d}/{d.year}" if d.month < 3 else f"{d.day:02d}/{d.month}/{d.year}"
    return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"


def percent(p: float | None, language: str = "vi", *, edges: tuple[float, ...] = ()) -> str:
    """A probability (0–1) as a whole percentage (``47%``); below 1% and above 99% stay bounded.

    ``edges`` are cut-offs a reader compares the figure with (the likely/unlikely thresholds): a value
    that would round onto one without lying on it keeps a decimal (0.101 is ``10,1%``, not the ``10%``
    a legend says is "unlikely").
    """
    if p is None or not math.isfinite(float(p)):
        return "–"
    pct = 100.0 * float(p)
    if pct < 1:
        return "<1%"
    if pct > 99:
        return ">99%"
    for e in (100 * e for e in edges):
        if round(pct) == round(e) and abs(pct - e) > 1e-9:
            # One decimal, rounded as usual (10,13 → 10,1) unless that lands on the edge: then one tenth
            # away from it, so the figure is never printed on it (89,96 → 89,9; 10,04 → 10,1).
            tenths = round(round(pct * 10, 6))  # 10.100000000000001 is 101 tenths, not 102
            if tenths == round(e * 10):
                tenths += -1 if pct < e else 1
            return f"{number(tenths / 10, language, 1, keep_zeros=True)}%"
    return f"{number(round(pct), language, 0)}%"
