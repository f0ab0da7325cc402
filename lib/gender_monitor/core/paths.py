"""Where the repository's folders are: data, parameters, notebooks, outputs."""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """The repository root: ``GENDER_MONITOR_HOME`` if set, else the checkout holding this package."""
    env = os.environ.get("GENDER_MONITOR_HOME")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    return home() / "data"


def parameters_dir() -> Path:
    return home() / "parameters"


def notebooks_dir() -> Path:
    return home() / "notebooks"


def outputs_dir() -> Path:
    return home() / "outputs"


def plan_file() -> Path:
    return parameters_dir() / "plan.yaml"


def reference_dir() -> Path:
    return data_dir() / "reference"
