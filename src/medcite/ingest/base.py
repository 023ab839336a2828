"""What every reader shares: options, the reader protocol, streaming file helpers."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from medcite.errors import IngestError
from medcite.records import Deletion, EvidenceType, Notice, RecordProblem, SourceDocument

if TYPE_CHECKING:
    from lxml import etree

Item = SourceDocument | Notice | Deletion | RecordProblem
"""What readers yield: a document (with the notices its record carries), a notice on its own
(a Retraction Watch row), an order to delete a document (PubMed's ``DeleteCitation``), or a
record that could not be read."""


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Overrides a user gives on the command line (``--source``, ``--evidence-type``)."""

    source: str | None = None
    evidence_type: EvidenceType | None = None


Reader = Callable[[Path, ReadOptions], Iterator[Item]]


def open_binary(path: Path) -> IO[bytes]:
    """Open a file, transparently un-gzipping ``.gz``."""
    try:
        if path.suffix == ".gz":
            return cast(IO[bytes], gzip.open(path, "rb"))
        return path.open("rb")
    except OSError as exc:
        raise IngestError(f"cannot open {path}: {exc}") from exc


def open_text(path: Path) -> IO[str]:
    return io.TextIOWrapper(open_binary(path), encoding="utf-8", errors="strict")


def iter_json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | RecordProblem]]:
    """(record number, object) for each non-blank line; a bad line yields a RecordProblem."""
    with open_binary(path) as handle:
        number = 0
        while True:
            try:
                raw = handle.readline()
            except (OSError, EOFError) as exc:  # truncated gzip
                yield number + 1, RecordProblem(str(path), number + 1, f"unreadable: {exc}")
                return
            if not raw:
                return
            if not raw.strip():
                continue
            number += 1
            try:
                value = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
                yield number, RecordProblem(str(path), number, f"not valid JSON: {exc}")
                continue
            if not isinstance(value, dict):
                yield number, RecordProblem(str(path), number, "a JSON line must be an object")
                continue
            yield number, value


def parse_year(value: object) -> int | None:
    """The first plausible four-digit year in a value (``"2013 Jun"`` → 2013)."""
    if isinstance(value, int):
        return value if 1800 <= value <= 2100 else None
    if not isinstance(value, str):
        return None
    for start in range(len(value) - 3):
        piece = value[start : start + 4]
        if piece.isdigit() and 1800 <= int(piece) <= 2100:
            return int(piece)
    return None


def apply_options(
    options: ReadOptions, source: str, evidence: EvidenceType
) -> tuple[str, EvidenceType]:
    """The reader's source name and evidence type unless the user overrode them."""
    return options.source or source, options.evidence_type or evidence


def release(element: etree._Element) -> None:
    """Free a record a streaming XML reader has finished, and the already-read siblings before
    it, so memory stays flat over a file of any size."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def problem(path: Path, number: int, message: str) -> RecordProblem:
    """A record problem whose message is the first line of ``message`` (lxml's errors run on)."""
    return RecordProblem(str(path), number, message.splitlines()[0])
