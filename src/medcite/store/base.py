"""The storage interface every backend implements, and the small records it trades in."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from medcite.records import Document, EvidenceType, Passage, content_hash


@dataclass(frozen=True, slots=True)
class Filters:
    """Metadata restrictions applied to both BM25 and dense search."""

    evidence_types: frozenset[EvidenceType] = frozenset()
    since: int | None = None
    until: int | None = None
    sources: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return (
            not (self.evidence_types or self.sources) and self.since is None and self.until is None
        )


@dataclass(frozen=True)
class VectorMatrix:
    """All passage vectors of one model, row-aligned with passage keys and filter columns."""

    keys: npt.NDArray[np.int64]  # passage row keys
    vectors: npt.NDArray[np.float32]  # (n, dim), L2-normalised
    evidence_rank: npt.NDArray[np.int8]
    year: npt.NDArray[np.int32]  # 0 when unknown
    source: npt.NDArray[np.int32]  # index into ``source_names``
    source_names: tuple[str, ...] = field(default=())

    def mask(self, filters: Filters) -> npt.NDArray[np.bool_] | None:
        """Rows that pass ``filters`` (None when nothing is filtered)."""
        if filters.empty:
            return None
        keep = np.ones(len(self.keys), dtype=bool)
        if filters.evidence_types:
            keep &= np.isin(self.evidence_rank, [t.rank for t in filters.evidence_types])
        if filters.since is not None:
            keep &= self.year >= filters.since
        if filters.until is not None:
            keep &= (self.year <= filters.until) & (self.year > 0)
        if filters.sources:
            wanted = [i for i, name in enumerate(self.source_names) if name in filters.sources]
            keep &= np.isin(self.source, wanted)
        return keep

    def nearest(
        self, query: npt.NDArray[np.float32], filters: Filters, limit: int
    ) -> list[tuple[int, float]]:
        """(passage key, cosine) of the ``limit`` closest rows passing ``filters``, best first;
        equal scores go to the smaller passage key."""
        if not len(self.keys) or limit <= 0:
            return []
        scores = self.vectors @ query
        mask = self.mask(filters)
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        limit = min(limit, len(scores))
        top = np.argpartition(-scores, limit - 1)[:limit]
        order = sorted(top.tolist(), key=lambda i: (-float(scores[i]), int(self.keys[i])))
        return [(int(self.keys[i]), float(scores[i])) for i in order if np.isfinite(scores[i])]

    def cosines(self, query: npt.NDArray[np.float32], keys: Sequence[int]) -> dict[int, float]:
        """Cosine of ``query`` with each of ``keys`` that has a vector."""
        if not len(self.keys) or not keys:
            return {}
        wanted = np.array(keys, dtype=np.int64)
        rows = np.clip(np.searchsorted(self.keys, wanted), 0, len(self.keys) - 1)
        found = self.keys[rows] == wanted
        scores = self.vectors[rows[found]] @ query
        return {int(k): float(v) for k, v in zip(wanted[found], scores, strict=True)}


@dataclass(frozen=True, slots=True)
class StoreStats:
    documents: int
    passages: int
    vectors: int
    vocabulary_terms: int
    text_bytes: int
    file_bytes: int
    by_evidence_type: dict[str, int]
    by_source: dict[str, int]


def write_documents(
    items: Iterable[tuple[Document, Sequence[Passage]]],
    stored_hash: Callable[[str], str | None],
    delete: Callable[[str], None],
    insert: Callable[[Document, Sequence[Passage], str], None],
) -> tuple[int, int, int]:
    """Every backend's rule for writing documents, inside the backend's transaction: one whose
    content hash is stored already is left alone, one stored with another hash is deleted and
    written again, a new one is written. Returns (added, replaced, unchanged)."""
    added = replaced = unchanged = 0
    for document, passages in items:
        digest = content_hash(document, passages)
        stored = stored_hash(document.id)
        if stored == digest:
            unchanged += 1
            continue
        if stored is not None:
            delete(document.id)
            replaced += 1
        else:
            added += 1
        insert(document, passages, digest)
    return added, replaced, unchanged


class EvidenceStore(Protocol):
    """What ingestion, indexing and retrieval need from storage."""

    def add_documents(
        self, items: Iterable[tuple[Document, Sequence[Passage]]]
    ) -> tuple[int, int, int]:
        """Write documents with their passages in one transaction; returns
        (added, replaced, unchanged). A document whose content is unchanged is skipped."""
        ...

    def documents(self, ids: Iterable[str]) -> dict[str, Document]: ...

    def passages_by_key(self, keys: Sequence[int]) -> dict[int, Passage]: ...

    def passages_of(self, doc_id: str) -> list[Passage]: ...

    def bm25(
        self,
        match: str,
        filters: Filters,
        limit: int,
        weights: tuple[float, float, float] = (2.0, 0.5, 1.0),
    ) -> list[tuple[int, float]]:
        """(passage key, score) best first for an FTS match expression already escaped;
        ``weights`` are the title, section and text column weights."""
        ...

    def missing_vectors(self, model: str) -> Iterator[tuple[str, str]]:
        """(text key, text) of passages with no vector for ``model``."""
        ...

    def put_vectors(
        self, model: str, rows: Iterable[tuple[str, npt.NDArray[np.float32]]]
    ) -> int: ...

    def dense(
        self, model: str, query: npt.NDArray[np.float32], filters: Filters, limit: int
    ) -> list[tuple[int, float]]:
        """(passage key, cosine) of the passages nearest ``query`` among those passing
        ``filters``, best first, equal scores to the smaller key."""
        ...

    def similarities(
        self, model: str, query: npt.NDArray[np.float32], keys: Sequence[int]
    ) -> dict[int, float]:
        """Cosine of ``query`` with each passage of ``keys`` that has a vector."""
        ...

    def put_vocabulary(self, rows: Iterable[tuple[str, str, str, str]]) -> int:
        """(normalised term, concept id, display form, vocabulary source) rows."""
        ...

    def concepts_for_terms(self, terms: Sequence[str]) -> dict[str, list[str]]: ...

    def terms_for_concepts(self, concepts: Sequence[str]) -> dict[str, list[str]]: ...

    def put_glossary(self, rows: Iterable[tuple[str, str, str, str]]) -> int: ...

    def glossary_for(self, terms: Sequence[str]) -> dict[str, tuple[str, str, str]]: ...

    def stats(self) -> StoreStats: ...

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def close(self) -> None: ...
