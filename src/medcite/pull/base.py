"""What every source shares: the unit of work, the source interface, the state a pull keeps in
the index, and the loop that applies units one by one.

A source lists the units it has (a file, a page of results, a label version) → each unit not
applied yet is downloaded → verified → parsed by a reader into ``SourceDocument`` records →
ingested; only then is it recorded as applied, in the index's own ``meta`` table, so a killed
pull resumes at the first unit it had not finished (re-ingesting that one changes nothing: the
store skips documents whose content it already holds) and the next pull fetches only what is
new. A new source is one module implementing :class:`Source`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from medcite.ingest.base import Item, ReadOptions
from medcite.ingest.pipeline import IngestReport, ingest_items
from medcite.ingest.registry import get_reader
from medcite.progress import bar, note
from medcite.pull.http import Fetcher
from medcite.settings import Settings
from medcite.store.base import EvidenceStore

STATE_PREFIX = "pull:"


@dataclass(frozen=True)
class Unit:
    """One thing to fetch and apply: ``key`` is what the state records once it is in."""

    key: str
    url: str
    file_name: str
    format: str  # the reader (:data:`medcite.ingest.registry.READERS`) that parses it
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class PullState:
    """What a source applied, and its own cursor (``data``), kept in the index under
    ``pull:<key>``: it travels with the index (SQLite file or PostgreSQL database)."""

    key: str
    applied: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, store: EvidenceStore, key: str) -> PullState:
        raw = store.get_meta(STATE_PREFIX + key)
        if not raw:
            return cls(key)
        value = json.loads(raw)
        return cls(key, list(value.get("applied", [])), dict(value.get("data", {})))

    def save(self, store: EvidenceStore) -> None:
        value = {"applied": self.applied, "data": self.data}
        store.set_meta(STATE_PREFIX + self.key, json.dumps(value, sort_keys=True))


class Source(Protocol):
    """One source of documents for ``medcite pull``."""

    name: str
    rate: float
    """Requests a second this source allows."""

    @property
    def state_key(self) -> str:
        """Which state this pull continues (a query's pulls share one)."""
        ...

    def plan(self, fetcher: Fetcher, state: PullState) -> list[Unit]:
        """The units not applied yet, in the order they must be applied."""
        ...

    def verify(self, fetcher: Fetcher, unit: Unit, path: Path) -> None:
        """Raise :class:`~medcite.errors.PullError` when the download is not what the source
        published (a checksum, an error page returned with status 200)."""
        ...

    def finished(self, state: PullState) -> None:
        """Called once every planned unit is applied: move the cursor on."""
        ...


@dataclass
class PullReport:
    """What one pull did."""

    source: str
    planned: int = 0
    applied: int = 0
    seconds: float = 0.0
    requests: int = 0
    ingest: IngestReport = field(default_factory=IngestReport)

    @property
    def documents_per_s(self) -> float:
        return self.ingest.documents / self.seconds if self.seconds else 0.0

    @property
    def passages_per_s(self) -> float:
        return self.ingest.passages / self.seconds if self.seconds else 0.0


def run_pull(
    source: Source,
    store: EvidenceStore,
    settings: Settings,
    fetcher: Fetcher,
    report: PullReport,
    *,
    progress: bool = True,
    keep_files: bool = False,
    on_unit: Callable[[Unit, IngestReport], None] | None = None,
) -> PullReport:
    """Apply every unit ``source`` plans, recording each in the index once it is in. ``report``
    is filled as units are applied, so a caller still has it when a unit fails."""
    started = time.perf_counter()
    try:
        _apply(source, store, settings, fetcher, report, progress, keep_files, on_unit)
    finally:
        report.seconds = time.perf_counter() - started
        report.requests = fetcher.requests
    return report


def _apply(
    source: Source,
    store: EvidenceStore,
    settings: Settings,
    fetcher: Fetcher,
    report: PullReport,
    progress: bool,
    keep_files: bool,
    on_unit: Callable[[Unit, IngestReport], None] | None,
) -> None:
    state = PullState.load(store, source.state_key)
    units = source.plan(fetcher, state)
    report.planned = len(units)
    folder = settings.pull.download_dir / source.name
    shown = bar(units, desc=source.name, unit="file", enabled=progress)
    for unit in shown:
        path = fetcher.download(unit.url, folder / unit.file_name, unit.params)
        try:
            source.verify(fetcher, unit, path)
        except Exception:
            path.unlink(missing_ok=True)
            raise
        done = IngestReport(files=1)
        ingest_items(store, _read(unit, path), settings.chunk, done, str(path))
        if not (keep_files or done.problems):  # a file with bad records stays, to be looked at
            path.unlink(missing_ok=True)
        state.applied.append(unit.key)
        state.save(store)
        report.applied += 1
        report.ingest.merge(done)
        note(
            f"{source.name} {unit.key}: {done.added} added, {done.replaced} replaced, "
            f"{done.unchanged} unchanged, {done.deleted} deleted, {len(done.problems)} skipped",
            progress,
        )
        if on_unit is not None:
            on_unit(unit, done)
    source.finished(state)
    state.save(store)


def _read(unit: Unit, path: Path) -> Iterator[Item]:
    return get_reader(unit.format)(path, ReadOptions())
