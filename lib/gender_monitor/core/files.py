"""Files the suite reads and writes for its users: provenance sidecars read or refused by name, outputs
written whole (to a temporary name, then renamed) or not at all, and operating-system failures said in
Vietnamese and English with what to do."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from gender_monitor.core import i18n
from gender_monitor.core.exceptions import GenderMonitorError


class FileProblem(GenderMonitorError):
    """A file or folder the suite cannot read or write; the message names it and says what to do."""


def said(key: str, /, **values: object) -> str:
    """``files.<key>`` of the locales in Vietnamese, then English."""
    return i18n.both(f"files.{key}", **values)


def read_meta(path: str | Path) -> dict[str, Any]:
    """A ``.meta.yml`` provenance file as a mapping (empty when the file is absent).

    Raises
    ------
    FileProblem
        When it is not YAML, not a mapping or not UTF-8, naming the file.
    """
    path = Path(path)
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise FileProblem(said("meta_encoding", path=path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        raise FileProblem(said("meta_yaml", path=path, line=line)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FileProblem(said("meta_mapping", path=path))
    return data


def write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` whole: to a temporary name in the same folder, then renamed.

    A full disk or a refused write leaves the old file (if any) and no partial one.
    """
    path = check_target(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        # The user named the file, not the temporary one: the message names theirs.
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def check_target(path: str | Path, inputs: Iterable[str | Path] = ()) -> Path:
    """``path`` as a file the suite may write: its folder exists, it is not itself a folder, and it is
    none of the ``inputs`` the command reads (``--out`` naming the observations would erase them).

    Called before the work, so a mistyped ``--out`` is said at once, not after the computation. A
    symbolic link is followed (the file it names is written); a pipe or a device is refused, as writing
    whole (a temporary file renamed) would replace it.
    """
    path = Path(path)
    if path.is_symlink():  # write to the file the link names, never over the link itself
        path = path.resolve()
    if path.exists() and any(Path(i).exists() and os.path.samefile(path, i) for i in inputs):
        raise FileProblem(said("out_is_input", path=path))
    if path.is_dir():
        raise FileProblem(said("is_folder", path=path))
    if path.exists() and not path.is_file():  # a pipe or a device: a rename would replace it
        raise FileProblem(said("not_a_file", path=path))
    if not path.parent.is_dir():
        raise FileProblem(said("no_folder", path=path, folder=path.parent))
    return path


def os_message(exc: OSError) -> str:
    """What an operating-system failure means for the user, naming the file, in both languages."""
    path = exc.filename or "?"
    if exc.errno == errno.ENOSPC:
        return said("disk_full", path=path)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return said("cannot_write", path=path)
    if exc.errno == errno.ENOENT:
        return said("not_found", path=path)
    if exc.errno == errno.EISDIR:
        return said("is_folder", path=path)
    if exc.errno in (errno.EEXIST, errno.ENOTDIR):
        return said("file_in_the_way", path=path)
    return said("other", path=path, detail=exc.strerror or type(exc).__name__)


#: A path (with or without a line number) in a message: only its file name may be shown.
_PATH = re.compile(r"(?:[A-Za-z]:)?[^\s:'\"()]*[/\\]([^\s/\\:'\"()]+)")


def pathless(text: str) -> str:
    """``text`` with every path reduced to its file name (no server folder crosses into a brief or a page of
    the run's outputs)."""
    return _PATH.sub(lambda m: m.group(1), text)
