"""The Retraction Watch database's CSV export (Crossref): one notice per row, matched to the
documents by the original paper's PMID and DOI. It holds no text, so it adds no documents."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from medcite.ingest.base import Item, ReadOptions, open_text
from medcite.records import Notice, NoticeKind, RecordProblem

_KINDS = {
    "retraction": NoticeKind.RETRACTION,
    "expression of concern": NoticeKind.EXPRESSION_OF_CONCERN,
    "correction": NoticeKind.ERRATUM,
}
_SKIPPED = frozenset({"reinstatement"})  # a retraction undone: nothing to show
_NONE = frozenset({"", "0", "unavailable", "na", "n/a", "none"})  # the export's "no id"
_NEEDED = ("OriginalPaperDOI", "OriginalPaperPubMedID", "RetractionNature")


def read_retraction_watch(path: Path, options: ReadOptions) -> Iterator[Item]:
    """A :class:`Notice` for each row naming its original paper by PMID or DOI; rows of an
    unknown nature or naming no paper become :class:`RecordProblem`."""
    del options  # nothing to override: no documents
    with open_text(path) as handle:
        try:
            rows = csv.DictReader(handle)
            missing = [name for name in _NEEDED if name not in (rows.fieldnames or ())]
            if missing:
                yield RecordProblem(str(path), 0, f"not a Retraction Watch export: no {missing}")
                return
            for number, row in enumerate(rows, start=1):
                yield _notice(path, number, row)
        except (csv.Error, UnicodeDecodeError, OSError, EOFError) as exc:
            yield RecordProblem(str(path), 0, f"unreadable CSV: {exc}")


def _notice(path: Path, number: int, row: dict[str, str | None]) -> Item:
    nature = _field(row, "RetractionNature") or ""
    kind = _KINDS.get(nature.lower())
    if kind is None:
        if nature.lower() in _SKIPPED:
            return RecordProblem(str(path), number, f"skipped: {nature}")
        return RecordProblem(str(path), number, f"unknown RetractionNature {nature!r}")
    pmid = _identifier(row, "OriginalPaperPubMedID")
    doi = _identifier(row, "OriginalPaperDOI")
    if not (pmid or doi):
        return RecordProblem(str(path), number, "names no original paper (PMID or DOI)")
    return Notice(
        kind=kind,
        source="retraction-watch",
        target_pmid=pmid,
        target_doi=doi.lower() if doi else None,
        notice_pmid=_identifier(row, "RetractionPubMedID"),
        notice_doi=(_identifier(row, "RetractionDOI") or "").lower() or None,
        date=(_field(row, "RetractionDate") or "").split(" ")[0] or None,
        reason=_reasons(_field(row, "Reason")),
    )


def _field(row: dict[str, str | None], name: str) -> str | None:
    value = row.get(name)
    return value.strip() if isinstance(value, str) else None


def _identifier(row: dict[str, str | None], name: str) -> str | None:
    value = _field(row, name)
    return None if value is None or value.lower() in _NONE else value


def _reasons(value: str | None) -> str | None:
    """``+Duplication of Data;+Error in Image;`` → ``Duplication of Data; Error in Image``."""
    parts = [p.strip().lstrip("+").strip() for p in (value or "").split(";")]
    return "; ".join(p for p in parts if p) or None
