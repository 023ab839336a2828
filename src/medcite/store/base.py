"""The storage interface every backend implements, and the small records it trades in."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from medcite.records import Document, EvidenceType, Notice, Passage, content_hash


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
    """All passage vectors of one model with their passage keys and filter columns, one row per
    passage, rows grouped by source and in key order within a source (given in another order,
    they are sorted once here). A source filter is then a contiguous slice of the matrix, so the
    "related questions" search over MedQuAD reads MedQuAD's rows only instead of scoring every
    passage and masking most of them away.

    Scores are dot products computed row by row (``einsum``, not BLAS ``gemv``, whose result
    for a row changes in the last bits with the row's position in the block multiplied): a row
    scores the same in a full scan, a slice or a gathered subset, so a filtered search ranks
    exactly as the unfiltered one and equal vectors tie exactly (to the smaller key)."""

    keys: npt.NDArray[np.int64]  # passage row keys
    vectors: npt.NDArray[np.float32]  # (n, dim), L2-normalised
    evidence_rank: npt.NDArray[np.int8]
    year: npt.NDArray[np.int32]  # 0 when unknown
    source: npt.NDArray[np.int32]  # index into ``source_names`` (sorted)
    source_names: tuple[str, ...] = field(default=())
    _starts: npt.NDArray[np.intp] = field(init=False, repr=False, compare=False)
    _by_key: npt.NDArray[np.intp] = field(init=False, repr=False, compare=False)
    _sorted_keys: npt.NDArray[np.int64] = field(init=False, repr=False, compare=False)
    _recent: dict[bytes, npt.NDArray[np.float32]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if len(self.keys) and not _grouped(self.source, self.keys):
            order = np.lexsort((self.keys, self.source))
            for name in ("keys", "vectors", "evidence_rank", "year", "source"):
                object.__setattr__(self, name, getattr(self, name)[order])
        # rows of source i are _starts[i]:_starts[i + 1]
        starts = np.searchsorted(self.source, np.arange(len(self.source_names) + 1))
        object.__setattr__(self, "_starts", starts)
        by_key = np.argsort(self.keys, kind="stable")  # cosines look rows up by key
        object.__setattr__(self, "_by_key", by_key)
        object.__setattr__(self, "_sorted_keys", self.keys[by_key])

    def nearest(
        self, query: npt.NDArray[np.float32], filters: Filters, limit: int
    ) -> list[tuple[int, float]]:
        """(passage key, cosine) of the ``limit`` closest rows passing ``filters``, best first;
        equal scores go to the smaller passage key. Only the rows ``filters`` keep are scored."""
        if not len(self.keys) or limit <= 0:
            return []
        selections = self._selections(filters)
        if not selections:
            return []
        every = self._scores(query)
        if len(selections) == 1 and isinstance(selections[0], slice):  # views, no copies
            part = selections[0]
            keys = self.keys[part]
            scores = every[part] if every is not None else _dot(self.vectors[part], query)
            if every is None and len(keys) == len(self.keys):
                self._remember(query, scores)
        else:
            rows = np.concatenate([_indices(selection) for selection in selections])
            keys = self.keys[rows]
            scores = (
                every[rows]
                if every is not None
                else np.concatenate([_dot(self.vectors[s], query) for s in selections])
            )
        best = _best(keys, scores, limit)
        return [(int(keys[i]), float(scores[i])) for i in best if np.isfinite(scores[i])]

    def cosines(self, query: npt.NDArray[np.float32], keys: Sequence[int]) -> dict[int, float]:
        """Cosine of ``query`` with each of ``keys`` that has a vector."""
        if not len(self.keys) or not keys:
            return {}
        wanted = np.array(keys, dtype=np.int64)
        at = np.clip(np.searchsorted(self._sorted_keys, wanted), 0, len(self.keys) - 1)
        rows = self._by_key[at]
        found = self.keys[rows] == wanted
        every = self._scores(query)
        scores = every[rows[found]] if every is not None else _dot(self.vectors[rows[found]], query)
        return {int(k): float(v) for k, v in zip(wanted[found], scores, strict=True)}

    def _scores(self, query: npt.NDArray[np.float32]) -> npt.NDArray[np.float32] | None:
        """Every row's score for ``query`` when a full scan computed them lately."""
        with self._lock:
            return self._recent.get(query.tobytes())

    def _remember(self, query: npt.NDArray[np.float32], scores: npt.NDArray[np.float32]) -> None:
        """Keep a full scan's scores (4 MB at 1M rows) for the next searches with the same query
        vector: an answer searches its question unfiltered, then among MedQuAD questions only
        ("related questions"), then asks the cosines of its hits; a row's score does not depend
        on how it was computed, so these read the kept scores instead of the matrix."""
        with self._lock:
            while len(self._recent) >= _RECENT:
                del self._recent[next(iter(self._recent))]
            self._recent[query.tobytes()] = scores

    def _selections(self, filters: Filters) -> list[slice | npt.NDArray[np.intp]]:
        """The rows passing ``filters``: the slices of the sources kept, each cut to the rows the
        other filters keep (block by block, so no mask or copy spans the whole matrix)."""
        if filters.sources:
            wanted = [i for i, name in enumerate(self.source_names) if name in filters.sources]
            spans = [(int(self._starts[i]), int(self._starts[i + 1])) for i in wanted]
        else:
            spans = [(0, len(self.keys))]
        spans = [(start, stop) for start, stop in spans if stop > start]
        if not (filters.evidence_types or filters.since is not None or filters.until is not None):
            return [slice(start, stop) for start, stop in spans]
        ranks = [t.code for t in filters.evidence_types]  # codes: levels may be shared
        selections: list[slice | npt.NDArray[np.intp]] = []
        for span_start, span_stop in spans:
            for start in range(span_start, span_stop, _BLOCK):
                stop = min(start + _BLOCK, span_stop)
                keep = np.ones(stop - start, dtype=bool)
                if ranks:
                    keep &= np.isin(self.evidence_rank[start:stop], ranks)
                year = self.year[start:stop]
                if filters.since is not None:  # 0 is an unknown year, as SQL's NULL fails both
                    keep &= (year >= filters.since) & (year > 0)  # (found by fuzzing: since=0)
                if filters.until is not None:
                    keep &= (year <= filters.until) & (year > 0)
                if keep.all():
                    selections.append(slice(start, stop))
                elif keep.any():
                    selections.append(start + np.flatnonzero(keep))
        return selections


_RECENT = 2  # full scans' scores kept
_BLOCK = 16_384  # rows filtered (and gathered) at a time: 25 MB copied at most (384 dims)


def _grouped(source: npt.NDArray[np.int32], keys: npt.NDArray[np.int64]) -> bool:
    """Whether rows are ordered by (source, key)."""
    step = np.diff(source)
    return bool(np.all((step > 0) | ((step == 0) & (np.diff(keys) > 0))))


def _dot(
    vectors: npt.NDArray[np.float32], query: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    """Each row's dot product with ``query``, independent of the row's place (see VectorMatrix)."""
    scores: npt.NDArray[np.float32] = np.einsum("ij,j->i", vectors, query.astype(np.float32))
    return scores


def _indices(rows: slice | npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    return np.arange(rows.start, rows.stop) if isinstance(rows, slice) else rows


def _best(
    keys: npt.NDArray[np.int64], scores: npt.NDArray[np.float32], limit: int
) -> npt.NDArray[np.intp]:
    """Positions of the ``limit`` best scores, best first, equal scores by smaller key (also at
    the cut: of the rows tied with the last one kept, the smaller keys are kept)."""
    if limit < len(scores):
        cut = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        above = np.flatnonzero(scores > cut)
        tied = np.flatnonzero(scores == cut)
        tied = tied[np.argsort(keys[tied], kind="stable")][: limit - len(above)]
        chosen = np.concatenate([above, tied])
    else:
        chosen = np.arange(len(scores))
    order = np.lexsort((keys[chosen], -scores[chosen]))
    best: npt.NDArray[np.intp] = chosen[order]
    return best


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


CANDIDATE_BUDGET = 5_000
"""Rows the rarer phrases of a full-text query may find together: past it, only the passages
holding them are scored (both backends)."""
COMMON_FRACTION = 0.05
"""A phrase whose rarest word is in more than this share of the passages is never a rare one."""


def rare_phrases(rarest: Mapping[int, int], passages: int, common: float, budget: int) -> list[int]:
    """Which phrases of a full-text query find the passages to score, given each phrase's
    rarest-word document frequency (``rarest``, phrase index -> df; 0 when some word is in no
    passage): rarest first, while their frequencies add up to at most ``budget`` rows, never one
    in more than ``common`` of the ``passages`` — but always the rarest phrase found. Both
    backends bound BM25's work this way (every phrase still counts in the score)."""
    found = {i: df for i, df in rarest.items() if df > 0}
    chosen: list[int] = []
    rows = 0
    for i in sorted(found, key=lambda i: (found[i], i)):
        rows += found[i]
        if chosen and (rows > budget or found[i] > common * passages):
            break
        chosen.append(i)
    return sorted(chosen)


@dataclass
class Written:
    """Which documents a write added, replaced and deleted, by id: what an ingest changed, so
    the articles whose evidence changed can be found (:mod:`medcite.articles.living`)."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    def extend(self, other: Written) -> None:
        self.added.extend(other.added)
        self.replaced.extend(other.replaced)
        self.deleted.extend(other.deleted)

    @property
    def changed(self) -> bool:
        """Whether anything was added, replaced or deleted."""
        return bool(self.added or self.replaced or self.deleted)


def write_documents(
    items: Iterable[tuple[Document, Sequence[Passage]]],
    stored_hash: Callable[[str], str | None],
    delete: Callable[[str], None],
    insert: Callable[[Document, Sequence[Passage], str], None],
    written: Written | None = None,
) -> tuple[int, int, int]:
    """Every backend's rule for writing documents, inside the backend's transaction: one whose
    content hash is stored already is left alone, one stored with another hash is deleted and
    written again, a new one is written. Returns (added, replaced, unchanged); ``written``, when
    given, gets the ids of those added and replaced."""
    written = written if written is not None else Written()
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
            written.replaced.append(document.id)
        else:
            added += 1
            written.added.append(document.id)
        insert(document, passages, digest)
    return added, replaced, unchanged


class EvidenceStore(Protocol):
    """What ingestion, indexing and retrieval need from storage."""

    parallel_reads: bool
    """Whether searches may run at once on this store (a connection pool: the retriever then
    runs a query's candidate lists side by side)."""

    def add_documents(
        self,
        items: Iterable[tuple[Document, Sequence[Passage]]],
        written: Written | None = None,
    ) -> tuple[int, int, int]:
        """Write documents with their passages in one transaction; returns
        (added, replaced, unchanged). A document whose content is unchanged is skipped;
        ``written``, when given, gets the ids of those added and replaced."""
        ...

    def delete_documents(self, ids: Iterable[str], written: Written | None = None) -> int:
        """Remove documents with their passages in one transaction (ids not stored are
        ignored); returns how many were removed, and ``written.deleted`` gets their ids."""
        ...

    def documents(self, ids: Iterable[str]) -> dict[str, Document]: ...

    def add_notices(self, notices: Iterable[Notice]) -> list[Notice]:
        """Store the notices not stored yet (re-ingest adds nothing twice); returns those."""
        ...

    def notices_for(self, pmids: Iterable[str], dois: Iterable[str]) -> list[Notice]:
        """The notices about the papers with any of these PMIDs or DOIs."""
        ...

    def retracted_identifiers(self) -> tuple[frozenset[str], frozenset[str]]:
        """The PMIDs and DOIs of every paper a retraction notice names."""
        ...

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

    def phrase_frequencies(self, phrases: Sequence[str]) -> dict[str, int]:
        """Each phrase's rarest-word passage count: 0 when one of its words is in no passage
        (a synonym the corpus never says). Empty when the index cannot tell."""
        ...

    def vocabulary_terms(self) -> list[str]:
        """Every normalised term of the vocabulary, in no order (the spelling lexicon's
        source)."""
        ...

    def put_glossary(self, rows: Iterable[tuple[str, str, str, str]]) -> int: ...

    def glossary_for(self, terms: Sequence[str]) -> dict[str, tuple[str, str, str]]: ...

    def stats(self) -> StoreStats: ...

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def close(self) -> None: ...
