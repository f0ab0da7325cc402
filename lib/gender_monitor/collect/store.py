"""Where ingested values live: reported files, quarantine and revision log, changed in memory, written once."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import itertools
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from gender_monitor.collect.templates import SUITE
from gender_monitor.core import i18n
from gender_monitor.core.cells import neutralise, restore
from gender_monitor.core.exceptions import IngestError
from gender_monitor.core.files import read_meta
from gender_monitor.data.observations import COLUMNS, KEY, REQUIRED, STATUS_RANK
from gender_monitor.plan.reference import Agencies

REPORTED = "reported"
QUARANTINE = "quarantine"
#: A held row resolved by a value its agency sent later for its key stays, naming that value: when it was
#: ingested, the file and cell it came from, and the value (nothing sent is lost; the entry is no longer held).
#: A row the data officer settles by hand (``gender-monitor quarantine``) names who settled it and why: with the
#: value agreed with the agency (``resolved_file`` is then ``quarantine.csv #<n>``), or set aside with no value.
RESOLUTION_COLUMNS = ["resolved", "resolved_file", "resolved_cell", "resolved_value", "resolved_by", "resolved_reason"]
QUARANTINE_COLUMNS = ["when", "file", "sheet", "cell", "agency", "indicator", "place", "year", "quarter", "sex",
                      "value", "numerator", "denominator", "unit", "status", "source", "note", "series", "reason",
                      "reason_vi", *RESOLUTION_COLUMNS]
#: Files refused whole (not readable, of the wrong kind, not a template) are kept as they came, under
#: ``quarantine/refused/<day received>/``, and logged in ``quarantine/refused.csv``: when, the name sent, where
#: the bytes are kept, their size and SHA-256, the agency and the year the file says or its name or ``--agency``
#: gives, and the refusal (its rule and its words). The loader reads nothing under ``quarantine/``.
REFUSED = "refused"
REFUSED_COLUMNS = ["when", "file", "kept", "bytes", "sha256", "agency", "year", "rule", "reason", "reason_vi"]
#: The largest refused file whose bytes are kept (a template is well under 5 MB); a larger one is logged only.
REFUSED_KEEP_LIMIT = 100 * 1024**2
REVISION_COLUMNS = ["when", "agency", "indicator", "place", "year", "quarter", "sex", "series", "old_value",
                    "new_value", "old_status", "new_status", "changed", "file", "cell"]

Key = tuple[str, ...]
#: Seconds a second ingestion waits for the first before stopping with a message.
LOCK_TIMEOUT = 120.0


@contextlib.contextmanager
def store_lock(data_dir: Path, *, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the data folder's lock (``fcntl.flock``); wait up to ``timeout`` seconds for another holder.

    The lock file lives in the system's temporary folder, named by the data folder's resolved path, so
    the data folder itself is never touched (re-ingesting the same files leaves it byte-identical). A
    dry run takes the lock too: it must not read a half-written store. The lock is released when the
    process ends, however it ends.
    """
    import fcntl

    name = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"gender-monitor-ingest-{name}.lock"
    with path.open("a") as fh:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IngestError(store_message(data_dir, "locked")) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Held:
    """A value already in the data: what it is and where it sits."""

    value: float
    status: str
    where: str


def row_key(row: dict[str, str]) -> Key:
    """The observation key of a text row (see ``observations.KEY``)."""
    return tuple(row[c] for c in KEY)


def _whole(text: str) -> str:
    """A year or quarter as the store writes it (``2025.0`` and ``2025`` are one year); other text as it is."""
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else text


def held_key(entry: dict[str, str]) -> Key:
    """The observation key of a quarantine entry, its year and quarter written as the store writes them."""
    return tuple(_whole(entry.get(c, "")) if c in ("year", "quarter") else entry.get(c, "") for c in KEY)


def day_of(text: object) -> dt.date | None:
    """The day an ISO date or time of the store's files names (a log's ``when``, a provenance file's
    ``first_received``); None for text that names no day."""
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def file_digest(path: Path) -> tuple[str, int]:
    """The SHA-256 (hex) and the size in bytes of the file at ``path``, read in blocks."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while block := fh.read(1024 * 1024):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def read_rows(path: Path, columns: Iterable[str] = ()) -> list[dict[str, str]]:
    """The rows of a store file; a BOM (a file saved by Excel) is read, a missing column is refused by name."""
    if not path.exists():
        return []
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing and reader.fieldnames:
                raise IngestError(store_message(path, "columns", missing=", ".join(missing)))
            # Text guarded against spreadsheet formulas when written is read back as it was sent.
            return [{k: restore(v or "") for k, v in r.items() if k is not None} for r in reader]
    except UnicodeDecodeError:
        raise IngestError(store_message(path, "encoding")) from None
    except csv.Error as exc:
        raise IngestError(store_message(path, "broken", detail=str(exc))) from None


def store_message(path: Path, what: str, **values: object) -> str:
    """Why a store file cannot be read, and what to do, in Vietnamese and English."""
    return i18n.both(f"store.{what}", file=str(path), **values)


def csv_text(columns: list[str], rows: Iterable[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    # Agencies' text (notes, sources, file names) is opened in Excel: nothing in it may run as a formula.
    writer.writerows({k: neutralise(v) for k, v in row.items()} for row in rows)
    return buf.getvalue()


def sort_key(row: dict[str, str]) -> tuple:
    return (row["indicator"], row["place"], int(row["year"]), int(row["quarter"] or 0), row["sex"], row["series"])


class Store:
    """The reported files, the quarantine and the revision log: changed in memory, written once.

    Writing compares with what is on disk, so re-ingesting the same files writes nothing.
    """

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir
        self.reported = data_dir / REPORTED
        self.tables: dict[Path, dict[Key, dict[str, str]]] = {}
        self.on_disk: dict[Path, str] = {}
        self.contributors: dict[Path, set[str]] = {}
        # key -> {reported file -> row}: one look-up per landed row instead of a scan of every table.
        self._by_key: dict[Key, dict[Path, dict[str, str]]] = {}
        for path in sorted(self.reported.glob("*/*.csv")):
            self._load(path)
        self.quarantine_file = data_dir / QUARANTINE / "quarantine.csv"
        self.revision_file = self.reported / "revisions.csv"
        #: Every quarantine entry, those on disk first; entries are added and marked resolved in place.
        self.quarantine = read_rows(self.quarantine_file, ["when"])
        self._quarantined = {self._quarantine_probe(q) for q in self.quarantine}
        # (agency, key) -> the entries still held: one look-up per landed row instead of a scan of the quarantine.
        self._pending: dict[tuple[str, Key], list[dict[str, str]]] = {}
        # (agency, sheet, row of a template) -> the entries from that row: one look-up per landed template row.
        self._at: dict[tuple[str, str, str], list[dict[str, str]]] = {}
        for entry in self.quarantine:
            if not entry.get("resolved"):
                self._pending.setdefault((entry.get("agency", ""), held_key(entry)), []).append(entry)
            self._index_at(entry)
        self.quarantine_changed = False
        self.new_revisions: list[dict[str, str]] = []
        #: (agency, key, value, status) of the values the revision log says a value of a higher status replaced.
        self._replaced: set[tuple[str, Key, float, str]] | None = None
        self._replaced_seen = 0
        self.refused_file = data_dir / QUARANTINE / "refused.csv"
        #: Every file refused whole, in the order received; one line per content (SHA-256).
        self.refused = read_rows(self.refused_file, ["when"])
        self._refused_by_digest = {r["sha256"]: r for r in self.refused if r.get("sha256")}
        self._to_keep: list[tuple[Path, dict[str, str]]] = []
        self.refused_changed = False

    def _load(self, path: Path) -> dict[Key, dict[str, str]]:
        try:
            text = path.read_text(encoding="utf-8") if path.exists() else ""
        except UnicodeDecodeError:
            raise IngestError(store_message(path, "encoding")) from None
        rows = [{c: r.get(c, "") for c in COLUMNS} for r in read_rows(path, REQUIRED)] if text else []
        for n, row in enumerate(rows, start=2):
            # The format's default: an empty status is official (Excel users clear cells).
            row["status"] = row.get("status") or "official"
            if row["status"] not in STATUS_RANK:
                raise IngestError(store_message(path, "status", line=n, value=row["status"],
                                                allowed=", ".join(STATUS_RANK)))
        self.on_disk[path] = text
        self.tables[path] = {row_key(r): {c: r.get(c, "") or "" for c in COLUMNS} for r in rows}
        for key, row in self.tables[path].items():
            self._by_key.setdefault(key, {})[path] = row
        return self.tables[path]

    def path(self, year: int, agency: str) -> Path:
        return self.reported / str(year) / f"{agency}.csv"

    def table(self, year: int, agency: str) -> dict[Key, dict[str, str]]:
        """The rows of ``reported/<year>/<agency>.csv`` by key (read only; change them with :meth:`put`)."""
        path = self.path(year, agency)
        return self.tables[path] if path in self.tables else self._load(path)

    def put(self, year: int, agency: str, row: dict[str, str], *, file: str) -> None:
        """Store ``row`` in ``reported/<year>/<agency>.csv``, replacing the row with its key; ``file`` sent it."""
        key, path = row_key(row), self.path(year, agency)
        self.table(year, agency)[key] = row
        self._by_key.setdefault(key, {})[path] = row
        self.contributors.setdefault(path, set()).add(file)

    def held(self, key: Key) -> Held | None:
        """The best reported value for ``key`` in any reported file (highest status)."""
        best = None
        for path, row in sorted(self._by_key.get(key, {}).items()):
            if best is None or STATUS_RANK[row["status"]] > STATUS_RANK[best.status]:
                best = Held(float(row["value"]), row["status"], str(path.relative_to(self.root)))
        return best

    @staticmethod
    def _quarantine_probe(row: dict[str, str]) -> tuple[str, ...]:
        # The time and the Vietnamese words aside: an entry from before the words were kept is the same entry.
        # So is one resolved since: the same bad row sent again is the entry already there, not a new one.
        return tuple(row.get(c, "") for c in QUARANTINE_COLUMNS
                     if c not in ("when", "reason_vi", *RESOLUTION_COLUMNS))

    def quarantine_row(self, row: dict[str, str]) -> bool:
        """Add a quarantine entry unless the same one is already there (the time aside); ``True`` if added."""
        probe = self._quarantine_probe(row)
        if probe in self._quarantined:
            return False
        self._quarantined.add(probe)
        self.quarantine.append(row)
        self._pending.setdefault((row.get("agency", ""), held_key(row)), []).append(row)
        self._index_at(row)
        self.quarantine_changed = True
        return True

    def release(self, agency: str, row: dict[str, str], *, file: str, cell: str, when: str,
                keep: Callable[[dict[str, str]], bool] | None = None) -> list[dict[str, str]]:
        """Mark the entries ``agency`` has held for ``row``'s key as resolved by ``row`` (landed from ``file``,
        ``cell``, at ``when``); returns them. They stay in the quarantine, naming what replaced them.

        Only entries already held are resolved: a row refused later waits for its own answer (or
        :meth:`resolve`). An entry held for no agency is never resolved by a key alone, nor one ``keep`` keeps
        (ingestion keeps a figure held with a higher status than ``row``'s: a preliminary value does not resolve a
        held official one, as it does not replace a stored one).
        """
        if not agency:
            return []
        pending = self._pending.pop((agency, row_key(row)), [])
        released = [e for e in pending if not (keep and keep(e))]
        if len(released) < len(pending):
            self._pending[agency, row_key(row)] = [e for e in pending if keep and keep(e)]
        for entry in released:
            entry.update(resolved=when, resolved_file=file, resolved_cell=cell, resolved_value=row["value"])
        self.quarantine_changed |= bool(released)
        return released

    def waiting(self, agency: str, key: Key) -> list[dict[str, str]]:
        """The entries ``agency`` still has held for ``key`` (none for no agency)."""
        return list(self._pending.get((agency, key), [])) if agency else []

    def _index_at(self, entry: dict[str, str]) -> None:
        """Index ``entry`` by its agency, sheet and row when every cell it names lies on one row of a sheet."""
        rows = {c.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for c in entry.get("cell", "").split()}
        if entry.get("agency") and entry.get("sheet") and len(rows) == 1:
            self._at.setdefault((entry["agency"], entry["sheet"], rows.pop()), []).append(entry)

    def held_at(self, agency: str, sheet: str, line: int) -> list[dict[str, str]]:
        """The entries ``agency`` still has held from row ``line`` of a template's ``sheet`` (any file).

        An entry is held until it is resolved (:meth:`release`, :meth:`resolve`): the entries of the row not yet
        resolved are those still held."""
        return [e for e in self._at.get((agency, sheet, str(line)), []) if not e.get("resolved")]

    def resolve(self, entry: dict[str, str], *, file: str, cell: str, value: str, when: str) -> bool:
        """Mark one held ``entry`` as resolved by ``value`` (from ``file``, ``cell``); ``False`` if it was not held."""
        pending = self._pending.get((entry.get("agency", ""), held_key(entry)), [])
        if not entry.get("agency") or not any(e is entry for e in pending):
            return False
        pending[:] = [e for e in pending if e is not entry]
        entry.update(resolved=when, resolved_file=file, resolved_cell=cell, resolved_value=value)
        self.quarantine_changed = True
        return True

    def keep_refused(self, source: Path, entry: dict[str, str]) -> tuple[dict[str, str], bool]:
        """Keep the bytes of ``source``, a file refused whole, with ``entry`` (``when``, ``file``, ``agency``,
        ``year``, ``rule``, ``reason``, ``reason_vi``) in the refused log; returns its line and whether it is new.

        The same content refused again is the line already there (re-ingesting changes nothing), given the agency
        or year it lacked when this time tells them. A file larger than :data:`REFUSED_KEEP_LIMIT` is logged
        with an empty ``kept``. The bytes are copied, and the log written, by :meth:`write`.
        """
        digest, size = file_digest(source)
        known = self._refused_by_digest.get(digest)
        if known is not None:
            for column in ("agency", "year"):
                if not known.get(column) and entry.get(column):
                    known[column] = entry[column]
                    self.refused_changed = True
            return known, False
        kept = self._free_name(entry["when"][:10], entry["file"]) if size <= REFUSED_KEEP_LIMIT else ""
        line = {**entry, "kept": kept, "bytes": str(size), "sha256": digest}
        self.refused.append(line)
        self._refused_by_digest[digest] = line
        if kept:
            self._to_keep.append((source, line))
        self.refused_changed = True
        return line, True

    def _free_name(self, day: str, name: str) -> str:
        """``quarantine/refused/<day>/<name>`` (relative to the data folder), numbered when that name is taken."""
        name = Path(name).name.lstrip(".") or "file"
        stem, suffix = Path(name).stem, Path(name).suffix
        taken = {line["kept"] for line in self.refused}
        for n in itertools.count(1):
            kept = f"{QUARANTINE}/{REFUSED}/{day}/{stem if n == 1 else f'{stem}-{n}'}{suffix}"
            if kept not in taken and not (self.root / kept).exists():
                return kept
        raise AssertionError("unreachable")

    def settle(self, entry: dict[str, str], *, when: str, by: str, reason: str, file: str = "",
               value: str = "") -> None:
        """Mark one ``entry`` as settled by hand: by ``by``, for ``reason``, with ``value`` (landed from ``file``) or,
        without one, set aside. It stays in the quarantine; it is no longer held."""
        pending = self._pending.get((entry.get("agency", ""), held_key(entry)), [])
        pending[:] = [e for e in pending if e is not entry]
        entry.update(resolved=when, resolved_file=file, resolved_cell="", resolved_value=value, resolved_by=by,
                     resolved_reason=reason)
        self.quarantine_changed = True

    def revise(self, entry: dict[str, str]) -> None:
        """Log a change to a stored value (written to ``reported/revisions.csv``)."""
        self.new_revisions.append(entry)

    def replaced(self, agency: str, row: dict[str, str]) -> bool:
        """Whether the revision log (on disk, or of this run) says ``agency``'s value for ``row``'s key, with
        ``row``'s value and status, was stored and then replaced by one of a higher status: the value is kept there
        already."""
        if self._replaced is None:
            self._replaced = set()
            for entry in read_rows(self.revision_file, ["when"]):
                self._note_replaced(entry)
        for entry in self.new_revisions[self._replaced_seen:]:
            self._note_replaced(entry)
        self._replaced_seen = len(self.new_revisions)
        try:
            value = float(row["value"])
        except ValueError:
            return False
        return (agency, row_key(row), value, row["status"]) in self._replaced

    def _note_replaced(self, entry: dict[str, str]) -> None:
        old, new = entry.get("old_status", ""), entry.get("new_status", "")
        if old in STATUS_RANK and new in STATUS_RANK and STATUS_RANK[new] > STATUS_RANK[old]:
            try:
                value = float(entry.get("old_value", ""))
            except ValueError:
                return
            self._replaced.add((entry.get("agency", ""), held_key(entry), value, old))  # type: ignore[union-attr]

    def changed_files(self) -> list[Path]:
        return [p for p, table in self.tables.items() if self.text(p) != self.on_disk[p] and table]

    def text(self, path: Path) -> str:
        return csv_text(COLUMNS, sorted(self.tables[path].values(), key=sort_key))

    def write(self, *, agencies: Agencies, when: str) -> list[Path]:
        written = []
        for path in self.changed_files():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(self.text(path), encoding="utf-8")
            meta = path.with_name(path.name + ".meta.yml")
            meta.write_text(_reported_meta(path, self.tables[path], self.contributors.get(path, set()), meta,
                                           agencies=agencies, when=when), encoding="utf-8")
            written += [path, meta]
        for rows, file, columns, what in (
            (self.quarantine if self.quarantine_changed else [], self.quarantine_file, QUARANTINE_COLUMNS,
             "quarantine"),
            (self.new_revisions, self.revision_file, REVISION_COLUMNS, "revisions"),
        ):
            if not rows:
                continue
            file.parent.mkdir(parents=True, exist_ok=True)
            # The quarantine is written whole (entries resolved in place); the revision log grows at its end.
            old = read_rows(file, ["when"]) if what == "revisions" else []
            file.write_text(csv_text(columns, old + rows), encoding="utf-8")
            meta = file.with_name(file.name + ".meta.yml")
            if not meta.exists():
                meta.write_text(_log_meta(what, when), encoding="utf-8")
                written.append(meta)
            written.append(file)
        for source, line in self._to_keep:
            kept = self.root / line["kept"]
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, kept)
            # What is kept is what the log says: a file changed since it was read is logged as copied.
            line["sha256"], size = file_digest(kept)
            line["bytes"] = str(size)
            written.append(kept)
        self._to_keep = []
        if self.refused_changed:
            self.refused_file.parent.mkdir(parents=True, exist_ok=True)
            self.refused_file.write_text(csv_text(REFUSED_COLUMNS, self.refused), encoding="utf-8")
            meta = self.refused_file.with_name(self.refused_file.name + ".meta.yml")
            if not meta.exists():
                meta.write_text(_log_meta("refused", when), encoding="utf-8")
                written.append(meta)
            written.append(self.refused_file)
        return written


def _reported_meta(path: Path, table: dict[Key, dict[str, str]], contributors: set[str], meta: Path, *,
                   agencies: Agencies, when: str) -> str:
    agency, year = path.stem, path.parent.name
    name = agencies[agency].name_vi if agency in agencies else agency
    before = read_meta(meta)
    files = sorted(set(before.get("submissions", [])) | contributors)
    status = max((r["status"] for r in table.values()), key=STATUS_RANK.__getitem__)
    doc = {
        "producer": f"{name} ({agency})",
        "title": f"Số liệu năm {year} do {name} báo cáo theo mẫu báo cáo hằng năm của Kế hoạch",
        "url": "",
        "date_accessed": when[:10],
        "first_received": str(before.get("first_received") or when[:10]),  # the day the return first arrived
        "licence": "Administrative figures reported to the plan's coordinating department; reuse needs its consent.",
        "licence_vi": "Số liệu hành chính báo cáo cơ quan thường trực của Kế hoạch; sử dụng lại phải được cơ quan này "
                      "đồng ý.",
        "citation": f"{name}, báo cáo số liệu năm {year} (mẫu báo cáo {SUITE})",
        "copied_from": f"ingested by `{SUITE} ingest` from the submitted file(s): {', '.join(files)}",
        "status": status,
        "notes": "Every row carries its own status and its source (agency and submitted file). Changes to "
                 "stored values are logged in data/reported/revisions.csv; rejected values are kept in "
                 "data/quarantine/quarantine.csv with the reason.",
        "submissions": files,
    }
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=110)


def _log_meta(what: str, when: str) -> str:
    doc = {
        "producer": f"{SUITE} ingest",
        "title": {"quarantine": "Values refused at ingestion, with the reason (and, once resolved by a later "
                                "value of the same agency and key, that value)",
                  "revisions": "Changes to reported values (old → new, from which file, when)",
                  "refused": "Files refused whole at ingestion (not readable, of the wrong kind, not a template), "
                             "each kept as received under refused/, with the reason"}[what],
        "url": "",
        "date_accessed": when[:10],
        "licence": "As the submitted files.",
        "citation": f"{SUITE} ingest log",
        "copied_from": f"written by `{SUITE} ingest`",
        "status": "official",
        "notes": "A log, not observations: the loader does not read it as data.",
    }
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=110)
