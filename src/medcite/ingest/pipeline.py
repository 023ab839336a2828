"""Reading files into the store: readers → chunking into passages → batched transactions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from medcite.ingest.base import Item, ReadOptions
from medcite.ingest.registry import detect_reader
from medcite.progress import bar, note
from medcite.records import (
    Deletion,
    Document,
    Notice,
    NoticeKind,
    Passage,
    RecordProblem,
    Section,
    SourceDocument,
)
from medcite.settings import ChunkSettings
from medcite.store.base import EvidenceStore, Written
from medcite.text import chunk, clean, split_sentences

BATCH = 256


@dataclass
class IngestReport:
    """What one ingest run did."""

    files: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    deleted: int = 0  # documents removed by a source's deletion order (PubMed DeleteCitation)
    older: int = 0  # label versions older than the one stored, left out (counted unchanged too)
    passages: int = 0
    notices: int = 0  # notices stored that were not stored before
    retractions: int = 0  # of which retractions (articles citing their papers need review)
    problems: list[RecordProblem] = field(default_factory=list)
    written: Written = field(default_factory=Written)  # ids added and replaced (living answers)

    @property
    def documents(self) -> int:
        return self.added + self.replaced + self.unchanged

    def merge(self, other: IngestReport) -> None:
        """Add another run's counts and problems to this one."""
        self.files += other.files
        self.added += other.added
        self.replaced += other.replaced
        self.unchanged += other.unchanged
        self.deleted += other.deleted
        self.older += other.older
        self.passages += other.passages
        self.notices += other.notices
        self.retractions += other.retractions
        self.problems.extend(other.problems)
        self.written.extend(other.written)


def to_passages(source: SourceDocument, settings: ChunkSettings) -> list[Passage]:
    """Chunk each labelled section into passages of whole sentences; a record with a title but
    no text (a PubMed citation without abstract) is one passage holding its title."""
    passages: list[Passage] = []
    sections = source.sections or (Section("TITLE", source.document.title),)
    for section in sections:
        label = clean(section.label) if section.label else None
        for text in chunk(split_sentences(section.text), settings.max_words, settings.min_words):
            ordinal = len(passages)
            passages.append(
                Passage(
                    Passage.make_id(source.document.id, ordinal),
                    source.document.id,
                    ordinal,
                    label,
                    text,
                )
            )
    return passages


def ingest_items(
    store: EvidenceStore,
    items: Iterable[Item],
    settings: ChunkSettings,
    report: IngestReport,
    path: str = "?",
) -> None:
    """Write readers' output to the store in batches; problems are collected, not raised.
    Notices (on their own or carried by a record) are written after the documents, and
    deletions last (an update file lists them after its records)."""
    batch: dict[str, tuple[Document, list[Passage]]] = {}
    notices: dict[str, Notice] = {}
    deletions: list[str] = []
    for item in items:
        if isinstance(item, RecordProblem):
            report.problems.append(item)
            continue
        if isinstance(item, Deletion):
            batch.pop(item.doc_id, None)
            deletions.append(item.doc_id)
            continue
        for notice in (item,) if isinstance(item, Notice) else item.notices:
            if unstorable := _unstorable_text(list(_strings(notice.to_dict()))):
                report.problems.append(RecordProblem(path, 0, f"a notice {unstorable}"))
            else:
                notices[notice.key] = notice
        if len(notices) >= BATCH:
            _flush_notices(store, notices, report)
        if isinstance(item, Notice):
            continue
        passages = to_passages(item, settings)
        if not passages:
            report.problems.append(RecordProblem(path, 0, f"{item.document.id}: no text"))
            continue
        if unstorable := _unstorable(item):
            report.problems.append(RecordProblem(path, 0, f"{item.document.id!r}: {unstorable}"))
            continue
        batch[item.document.id] = (item.document, passages)  # a later duplicate in a file wins
        if len(batch) >= BATCH:
            _flush(store, batch, report)
    _flush(store, batch, report)
    _flush_notices(store, notices, report)
    if deletions:
        report.deleted += store.delete_documents(deletions, report.written)


def _flush_notices(store: EvidenceStore, notices: dict[str, Notice], report: IngestReport) -> None:
    if not notices:
        return
    added = store.add_notices(notices.values())
    report.notices += len(added)
    report.retractions += sum(1 for n in added if n.kind is NoticeKind.RETRACTION)
    notices.clear()


def _unstorable(source: SourceDocument) -> str | None:
    """Why no backend can store ``source``: a NUL character (PostgreSQL's text cannot hold one)
    or a lone surrogate (a ``"\\ud800"`` escape in JSON: not UTF-8), else None. Found by
    fuzzing: either one failed the whole batch's write with a traceback."""
    sections = [(section.label, section.text) for section in source.sections]
    return _unstorable_text(list(_strings([source.document.to_dict(), sections])))


def _unstorable_text(strings: list[str]) -> str | None:
    text = "\n".join(strings)
    if "\x00" in text:
        return "holds a NUL character (U+0000)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "holds a lone surrogate (not Unicode text)"
    return None


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from _strings(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _strings(inner)


def _flush(
    store: EvidenceStore, batch: dict[str, tuple[Document, list[Passage]]], report: IngestReport
) -> None:
    if not batch:
        return
    _drop_older_versions(store, batch, report)
    added, replaced, unchanged = store.add_documents(batch.values(), report.written)
    report.added += added
    report.replaced += replaced
    report.unchanged += unchanged
    report.passages += sum(len(p) for _, p in batch.values())
    batch.clear()


def _drop_older_versions(
    store: EvidenceStore, batch: dict[str, tuple[Document, list[Passage]]], report: IngestReport
) -> None:
    """A drug label is stored once per set id (``label:SETID``): a version older than the one
    stored (a file fetched long ago, ingested late) must not replace the newer label."""
    versioned = {
        doc_id: version
        for doc_id, (document, _) in batch.items()
        if (version := _version(document)) is not None
    }
    if not versioned:
        return
    for doc_id, stored in store.documents(versioned).items():
        held = _version(stored)
        if held is not None and held > versioned[doc_id]:
            del batch[doc_id]
            report.unchanged += 1
            report.older += 1


def _version(document: Document) -> int | None:
    value = document.identifiers.get("spl_version", "")
    return int(value) if value.isascii() and value.isdigit() else None


def ingest_paths(
    store: EvidenceStore,
    paths: Iterable[Path],
    settings: ChunkSettings,
    options: ReadOptions | None = None,
    fmt: str | None = None,
    progress: bool = True,
) -> IngestReport:
    """Ingest files (directories are walked); each file's format is detected unless ``fmt``."""
    report = IngestReport()
    options = options or ReadOptions()
    for path in _expand(paths):
        name, reader = detect_reader(path, fmt)
        report.files += 1
        items: Iterator[Item] = reader(path, options)
        before = (
            report.added,
            report.replaced,
            report.unchanged,
            report.deleted,
            len(report.problems),
        )
        shown = bar(items, desc=f"{path.name} ({name})", unit="doc", enabled=progress)
        ingest_items(store, shown, settings, report, str(path))
        added, replaced, unchanged, deleted, problems = (
            now - then
            for now, then in zip(
                (
                    report.added,
                    report.replaced,
                    report.unchanged,
                    report.deleted,
                    len(report.problems),
                ),
                before,
                strict=True,
            )
        )
        note(
            f"{path} ({name}): {added} added, {replaced} replaced, {unchanged} unchanged, "
            f"{deleted} deleted, {problems} skipped",
            progress,
        )
    return report


def _expand(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
            )
        else:
            yield path
