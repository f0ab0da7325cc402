"""Shared review results are stored as data with a digest: read back exactly, never run, checked."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from gender_monitor.core.exceptions import Issue
from gender_monitor.review import notebook, runner, storage


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"indicator": pd.Series(["3.3", "4.1"], dtype="str"), "year": [2024, 2025],
                         "quarter": pd.Series([pd.NA, 2], dtype="Int64"), "value": [np.nan, 1.5],
                         "mixed": [None, "x"], "flag": [True, False]})


def test_values_come_back_exactly(tmp_path: Path) -> None:
    value = {"frame": _frame(), "issues": [Issue("a.csv", 2, "value", "3", "rule", "warning")],
             "counts": {"small_count": 3}, "pair": (1, float("inf")), "codes": frozenset({"3.3"})}
    storage.save(tmp_path / "x.json", value)
    back = storage.load(tmp_path / "x.json")
    pd.testing.assert_frame_equal(back["frame"], value["frame"])
    assert back["issues"] == value["issues"] and back["counts"] == value["counts"]
    assert back["pair"] == (1, float("inf")) and back["codes"] == frozenset({"3.3"})


def test_a_planted_pickle_is_never_read(tmp_path: Path, monkeypatch) -> None:
    class Boom:
        def __reduce__(self):
            return (os.system, (f"touch {tmp_path / 'ran'}",))

    calls = []
    monkeypatch.setattr(notebook, "_CONTEXT", {"shared_dir": str(tmp_path)})
    monkeypatch.setattr(notebook, "_MEMO", {})
    runner.shared_result("state", lambda year: calls.append(year) or {"year": year}, year=2025)
    stored = next(tmp_path.glob("state-*.json"))
    stored.write_bytes(pickle.dumps(Boom()))  # planted in place of the stored result
    (tmp_path / stored.name.replace(".json", ".pkl")).write_bytes(pickle.dumps(Boom()))
    notebook._MEMO.clear()
    assert runner.shared_result("state", lambda year: calls.append(year) or {"year": year}, year=2025) == {"year": 2025}
    assert calls == [2025, 2025]  # the planted file was refused and the result computed again
    assert not (tmp_path / "ran").exists()


def test_an_altered_file_fails_its_digest(tmp_path: Path) -> None:
    storage.save(tmp_path / "x.json", {"value": 3})
    text = (tmp_path / "x.json").read_text(encoding="utf-8").replace("3", "4")
    (tmp_path / "x.json").write_text(text, encoding="utf-8")
    with pytest.raises(storage.StorageError, match="digest"):
        storage.load(tmp_path / "x.json")


def test_only_the_library_result_classes_are_stored(tmp_path: Path) -> None:
    with pytest.raises(storage.StorageError):
        storage.save(tmp_path / "x.json", object())
    with pytest.raises(storage.StorageError, match="may be stored"):
        storage.decode({"object": "os:system", "fields": {}})
