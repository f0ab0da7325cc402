"""Words for readers, in Vietnamese (the default) and English, from `locales/<language>.yaml`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

LANGUAGES = ("vi", "en")
_DIR = Path(__file__).parent / "locales"

#: A symbol and a colour per status, so that colour is never the only cue.
STATUS_STYLE: dict[str, tuple[str, str]] = {
    "exceeded": ("★", "#1a7f37"),
    "met": ("✔", "#1a7f37"),
    "likely": ("▲", "#4c9a2a"),
    "too_close": ("?", "#b58900"),
    "insufficient_data": ("…", "#8a8a8a"),
    "unlikely": ("▼", "#c2410c"),
    "not_met": ("✖", "#b91c1c"),
    "no_data": ("–", "#6b7280"),
    "not_applicable": ("∅", "#6b7280"),
}


@cache
def catalogue(language: str) -> dict:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}; got {language!r}")
    return yaml.safe_load((_DIR / f"{language}.yaml").read_text(encoding="utf-8"))


def t(key: str, language: str = "vi", **values: object) -> str:
    """The text at a dotted ``key`` (``"status.met"``), formatted with ``values``."""
    node: object = catalogue(language)
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"no text {key!r} in locales/{language}.yaml")
        node = node[part]
    return str(node).format(**values) if values else str(node)


def status_label(status: str, language: str = "vi") -> str:
    return t(f"status.{status}", language)
