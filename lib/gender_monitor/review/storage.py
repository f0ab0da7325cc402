"""Results shared between a review's notebooks, stored as JSON data with a digest: nothing stored is ever run.

A pickle runs code when it is read; a file planted in the cache would run on the next review. This
module stores only data: numbers, text, lists, mappings, tables (each column with its type) and the
library's own result classes named in :data:`CLASSES`, rebuilt field by field through their constructor.
Anything else cannot be stored (the result is then computed in each kernel instead).
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gender_monitor.core.exceptions import GenderMonitorError

#: The result classes a stored result may hold, by name: "module:class".
CLASSES = (
    "gender_monitor.review.state:ReviewState",
    "gender_monitor.publish.disclosure:DisclosureNotes",
    "gender_monitor.data.harmonise:HarmoniseReport",
    "gender_monitor.core.exceptions:Issue",
)
FORMAT = "gender-monitor-shared/1"


class StorageError(GenderMonitorError):
    """A value cannot be stored as data, or a stored file is not what this module wrote."""


def encode(value: Any) -> Any:
    """``value`` as a JSON-ready tree (see the module's notes); :class:`StorageError` for anything else."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        return x if math.isfinite(x) else {"float": repr(x)}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"tuple": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, (set, frozenset)):
        return {"set": [encode(v) for v in sorted(value, key=repr)], "frozen": isinstance(value, frozenset)}
    if isinstance(value, pd.DataFrame):
        return {"frame": {"columns": [encode(c) for c in value.columns],
                          "index": _column(value.index.to_series()),
                          "index_name": encode(value.index.name),
                          "data": [_column(value.iloc[:, i]) for i in range(value.shape[1])]}}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = f"{type(value).__module__}:{type(value).__qualname__}"
        if name not in CLASSES:
            raise StorageError(f"{name} is not a result class that may be stored (see storage.CLASSES)")
        return {"object": name, "fields": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    raise StorageError(f"a {type(value).__name__} cannot be stored as data")


def _column(series: pd.Series) -> dict[str, Any]:
    dtype = str(series.dtype)
    if dtype == "object":
        values = [encode(v) for v in series.tolist()]
    else:
        values = [None if pd.isna(v) else encode(v) for v in series.tolist()]
    return {"dtype": dtype, "values": values}


def decode(tree: Any) -> Any:
    """The value :func:`encode` turned into ``tree``."""
    if isinstance(tree, list):
        return [decode(v) for v in tree]
    if not isinstance(tree, dict):
        return tree
    if "float" in tree:
        return float(tree["float"])
    if "tuple" in tree:
        return tuple(decode(v) for v in tree["tuple"])
    if "dict" in tree:
        return {_hashable(decode(k)): decode(v) for k, v in tree["dict"]}
    if "set" in tree:
        items = {_hashable(decode(v)) for v in tree["set"]}
        return frozenset(items) if tree["frozen"] else items
    if "frame" in tree:
        f = tree["frame"]
        index = pd.Index(_series(f["index"]), name=decode(f["index_name"]))
        columns = [decode(c) for c in f["columns"]]
        data = {i: _series(c).set_axis(index) for i, c in enumerate(f["data"])}
        frame = pd.DataFrame(data, index=index)
        frame.columns = columns
        return frame
    if "object" in tree:
        if tree["object"] not in CLASSES:
            raise StorageError(f"stored class {tree['object']!r} is not one that may be stored")
        module, name = tree["object"].split(":")
        cls = getattr(importlib.import_module(module), name)
        return cls(**{k: decode(v) for k, v in tree["fields"].items()})
    raise StorageError(f"not a stored value: keys {sorted(tree)}")


def _hashable(x: Any) -> Any:
    return tuple(x) if isinstance(x, list) else x


def _series(column: dict[str, Any]) -> pd.Series:
    dtype = column["dtype"]
    values = [decode(v) for v in column["values"]]
    if dtype == "object":
        return pd.Series(values, dtype=object)
    if dtype.startswith(("int", "uint")) or dtype == "bool":
        return pd.Series(values, dtype=dtype)
    if dtype.startswith("float"):
        return pd.Series([np.nan if v is None else v for v in values], dtype=dtype)
    if dtype.startswith("datetime64"):
        return pd.Series(pd.to_datetime(values), dtype=dtype)
    return pd.Series(values, dtype=dtype)  # Int64, boolean, str, string, category


def save(path: Path, value: Any) -> None:
    """Write ``value`` to ``path`` as JSON with the SHA-256 of its payload (temporary name, then renamed)."""
    payload = json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"))
    text = json.dumps({"format": FORMAT, "sha256": hashlib.sha256(payload.encode()).hexdigest()},
                      separators=(",", ":")) + "\n" + payload
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def load(path: Path) -> Any:
    """The value stored at ``path``; :class:`StorageError` when it is not this module's file or was altered."""
    try:
        head, payload = path.read_text(encoding="utf-8").split("\n", 1)
        meta = json.loads(head)
    except (ValueError, UnicodeDecodeError) as exc:
        raise StorageError(f"{path.name}: not a stored result ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise StorageError(f"{path.name}: not a stored result of this suite")
    if hashlib.sha256(payload.encode()).hexdigest() != meta.get("sha256"):
        raise StorageError(f"{path.name}: its content does not match its digest (changed after it was written)")
    return decode(json.loads(payload))
