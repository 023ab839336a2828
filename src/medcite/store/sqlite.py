"""The SQLite backend: one file in WAL mode holding documents, passages, an FTS5 index (BM25),
int8-quantised passage vectors, the synonym vocabulary and notices (retractions, concerns). The
schema is made and migrated by Alembic (:mod:`medcite.store.migrate`), like the PostgreSQL
backend's.

The FTS5 table uses the passages (joined to their document title) as external content, so text is
stored once. Writes happen in explicit transactions of whole documents: a crash or kill never
leaves a document with half its passages.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from medcite.errors import StoreError
from medcite.records import Document, Notice, NoticeKind, Passage, embedding_text, text_key
from medcite.store.base import Filters, StoreStats, VectorMatrix, Written, write_documents
from medcite.store.fts import Budget
from medcite.store.migrate import HEAD, VERSION_TABLE, upgrade
from medcite.store.notices import VERSION_KEY, new_version, notice_rows
from medcite.store.vectors import dequantise, quantise

SCHEMA_VERSION = "1"


def open_store(
    path: Path, *, busy_timeout_ms: int = 10_000, read_only: bool = False
) -> SQLiteStore:
    """Open (creating if needed) the index at ``path``."""
    return SQLiteStore(path, busy_timeout_ms=busy_timeout_ms, read_only=read_only)


class SQLiteStore:
    """:class:`~medcite.store.base.EvidenceStore` on one SQLite file."""

    parallel_reads = False
    """One connection: a query's candidate lists run one after another."""

    def __init__(
        self, path: Path, *, busy_timeout_ms: int = 10_000, read_only: bool = False
    ) -> None:
        self.path = path
        if read_only and not path.exists():
            raise StoreError(f"no index at {path}; build one with `medcite ingest` or `make demo`")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._db.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            if not read_only:
                self._migrate()
                self.set_meta("schema_version", SCHEMA_VERSION)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path} is not a MedCite index: {exc}") from exc
        self._matrix: dict[str, tuple[tuple[int, int], VectorMatrix]] = {}
        self._budget = Budget(self._db, self._data_version)

    def _migrate(self) -> None:
        """Run the Alembic migrations unless the file is already at the newest revision."""
        try:
            row = self._db.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
        except sqlite3.OperationalError:
            row = None
        if row is None or row[0] != HEAD:
            upgrade(f"sqlite:///{self.path}")

    # -- shared helpers --------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One explicit write transaction: committed whole or rolled back whole."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def _insert_many(self, sql: str, rows: Iterable[tuple[object, ...]]) -> int:
        """Rows inserted by ``sql`` (INSERT OR IGNORE skips duplicates) in one transaction."""
        with self._transaction() as db:
            before = db.total_changes
            db.executemany(sql, rows)
            return db.total_changes - before

    def _select_in(self, sql: str, values: Iterable[object]) -> Iterator[tuple[Any, ...]]:
        """Rows of ``sql`` whose ``{marks}`` placeholder is filled, 500 distinct values a time."""
        unique = sorted(set(values))  # type: ignore[type-var]
        for start in range(0, len(unique), 500):
            batch = unique[start : start + 500]
            yield from self._db.execute(sql.format(marks=",".join("?" * len(batch))), batch)

    # -- documents and passages ------------------------------------------------------------------

    def add_documents(
        self,
        items: Iterable[tuple[Document, Sequence[Passage]]],
        written: Written | None = None,
    ) -> tuple[int, int, int]:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        done = Written()
        with self._transaction():
            counts = write_documents(
                items,
                self._stored_hash,
                self._delete_document,
                lambda document, passages, digest: self._insert_document(
                    document, passages, digest, now
                ),
                done,
            )
        if written is not None:  # only once the transaction committed
            written.extend(done)
        return counts

    def delete_documents(self, ids: Iterable[str], written: Written | None = None) -> int:
        wanted = sorted(set(ids))
        with self._transaction():
            found = sorted(
                row[0]
                for row in self._select_in("SELECT id FROM documents WHERE id IN ({marks})", wanted)
            )
            for doc_id in found:
                self._delete_document(doc_id)
        if written is not None:
            written.deleted.extend(found)
        return len(found)

    def _stored_hash(self, doc_id: str) -> str | None:
        row = self._db.execute(
            "SELECT content_hash FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def _insert_document(
        self, document: Document, passages: Sequence[Passage], digest: str, now: str
    ) -> None:
        db = self._db
        db.execute(
            "INSERT INTO documents(id, title, evidence_type, evidence_rank, source, year, record,"
            " content_hash, ingested_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                document.id,
                document.title,
                document.evidence_type.value,
                document.evidence_type.code,
                document.source,
                document.year,
                json.dumps(document.to_dict(), ensure_ascii=False),
                digest,
                now,
            ),
        )
        for passage in passages:
            cursor = db.execute(
                "INSERT INTO passages(id, doc_id, ordinal, section, text, text_key)"
                " VALUES (?,?,?,?,?,?)",
                (
                    passage.id,
                    document.id,
                    passage.ordinal,
                    passage.section,
                    passage.text,
                    text_key(embedding_text(document.title, passage.text)),
                ),
            )
            db.execute(
                "INSERT INTO passage_fts(rowid, title, section, text) VALUES (?,?,?,?)",
                (cursor.lastrowid, document.title, passage.section or "", passage.text),
            )

    def _delete_document(self, doc_id: str) -> None:
        db = self._db
        db.execute(
            "INSERT INTO passage_fts(passage_fts, rowid, title, section, text)"
            " SELECT 'delete', key, title, coalesce(section, ''), text FROM passage_fts_source"
            " WHERE key IN (SELECT key FROM passages WHERE doc_id = ?)",
            (doc_id,),
        )
        db.execute("DELETE FROM passages WHERE doc_id = ?", (doc_id,))
        db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def documents(self, ids: Iterable[str]) -> dict[str, Document]:
        rows = self._select_in("SELECT id, record FROM documents WHERE id IN ({marks})", ids)
        return {doc_id: Document.from_dict(json.loads(record)) for doc_id, record in rows}

    def passages_by_key(self, keys: Sequence[int]) -> dict[int, Passage]:
        rows = self._select_in(
            "SELECT key, id, doc_id, ordinal, section, text FROM passages WHERE key IN ({marks})",
            (int(k) for k in keys),
        )
        return {row[0]: Passage(row[1], row[2], row[3], row[4], row[5]) for row in rows}

    def passages_of(self, doc_id: str) -> list[Passage]:
        rows = self._db.execute(
            "SELECT id, doc_id, ordinal, section, text FROM passages"
            " WHERE doc_id = ? ORDER BY ordinal",
            (doc_id,),
        )
        return [Passage(*row) for row in rows]

    # -- notices ---------------------------------------------------------------------------------

    def add_notices(self, notices: Iterable[Notice]) -> list[Notice]:
        """Store the notices not stored yet (by :attr:`Notice.key`); returns those."""
        wanted = {n.key: n for n in notices}
        added: list[Notice] = []
        with self._transaction() as db:
            for row in notice_rows(wanted.values()):
                cursor = db.execute(
                    "INSERT OR IGNORE INTO notices(key, kind, source, target_pmid, target_doi,"
                    " record, added_at) VALUES (?,?,?,?,?,?,?)",
                    row,
                )
                if cursor.rowcount:
                    added.append(wanted[row[0]])
            if added:
                db.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                    (VERSION_KEY, new_version()),
                )
        return added

    def notices_for(self, pmids: Iterable[str], dois: Iterable[str]) -> list[Notice]:
        """The notices about papers with any of these PMIDs or DOIs, in a stable order (none
        from an index opened read-only before it had a notices table)."""
        try:
            rows = {
                *self._select_in(
                    "SELECT key, record FROM notices WHERE target_pmid IN ({marks})", pmids
                ),
                *self._select_in(
                    "SELECT key, record FROM notices WHERE target_doi IN ({marks})",
                    (d.lower() for d in dois),
                ),
            }
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return []
            raise
        return [Notice.from_dict(json.loads(record)) for _, record in sorted(rows)]

    def retracted_identifiers(self) -> tuple[frozenset[str], frozenset[str]]:
        """The PMIDs and DOIs of every paper a retraction notice names."""
        rows = self._db.execute(
            "SELECT target_pmid, target_doi FROM notices WHERE kind = ?",
            (NoticeKind.RETRACTION.value,),
        ).fetchall()
        return frozenset(r[0] for r in rows if r[0]), frozenset(r[1] for r in rows if r[1])

    # -- search ----------------------------------------------------------------------------------

    def bm25(
        self,
        match: str,
        filters: Filters,
        limit: int,
        weights: tuple[float, float, float] = (2.0, 0.5, 1.0),
    ) -> list[tuple[int, float]]:
        """FTS5 BM25 (scores negated so higher is better); ties broken by passage key. When the
        query's phrases are in more passages than :data:`~medcite.store.fts.CANDIDATE_BUDGET`,
        only the passages holding one of its rarer phrases are scored (:mod:`~medcite.store.fts`:
        their scores are the whole query's)."""
        if not match:
            return []
        where, params = _filter_sql(filters)
        join = (
            " JOIN passages p ON p.key = f.rowid JOIN documents d ON d.id = p.doc_id"
            if where
            else ""
        )
        sql = (
            f"SELECT f.rowid, -bm25(passage_fts, ?, ?, ?) AS score FROM passage_fts f{join}"
            f" WHERE passage_fts MATCH ?{where} ORDER BY score DESC, f.rowid LIMIT ?"
        )
        found: dict[int, float] = {}
        for expression in self._budget.expressions(match):
            try:
                rows = self._db.execute(sql, (*weights, expression, *params, limit)).fetchall()
            except sqlite3.OperationalError as exc:
                raise StoreError(f"full-text search failed: {exc}") from exc
            for key, score in rows:
                found[int(key)] = max(float(score), found.get(int(key), -math.inf))
        ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:limit]

    # -- vectors ---------------------------------------------------------------------------------

    def missing_vectors(self, model: str) -> Iterator[tuple[str, str]]:
        rows = self._db.execute(
            "SELECT p.text_key, min(d.title || char(10) || p.text) FROM passages p"
            " JOIN documents d ON d.id = p.doc_id LEFT JOIN vectors v"
            " ON v.model = ? AND v.text_key = p.text_key WHERE v.text_key IS NULL"
            " GROUP BY p.text_key ORDER BY p.text_key",
            (model,),
        ).fetchall()
        yield from rows

    def put_vectors(self, model: str, rows: Iterable[tuple[str, npt.NDArray[np.float32]]]) -> int:
        count = 0
        with self._transaction() as db:
            for key, vector in rows:
                codes, scale = quantise(vector)
                db.execute(
                    "INSERT OR REPLACE INTO vectors(model, text_key, vector, scale)"
                    " VALUES (?,?,?,?)",
                    (model, key, codes.tobytes(), scale),
                )
                count += 1
        self._matrix.pop(model, None)
        return count

    def export_vectors(self, model: str) -> tuple[list[str], npt.NDArray[np.float32]]:
        """Every (text key, vector) of ``model``, for writing a vector-cache file."""
        rows = self._db.execute(
            "SELECT text_key, vector, scale FROM vectors WHERE model = ? ORDER BY text_key",
            (model,),
        ).fetchall()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        codes = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.int8).reshape(len(rows), -1)
        return [r[0] for r in rows], dequantise(codes, np.array([r[2] for r in rows], np.float32))

    def vector_matrix(self, model: str) -> VectorMatrix:
        """All vectors of ``model`` as one matrix, cached until the passage table changes."""
        version = self._data_version()
        cached = self._matrix.get(model)
        if cached is not None and cached[0] == version:
            return cached[1]
        matrix = self._read_matrix(model)
        self._matrix[model] = (version, matrix)
        return matrix

    def _read_matrix(self, model: str) -> VectorMatrix:
        """Read ``model``'s vectors a chunk at a time (one query, so one snapshot): their int8
        codes and filter columns into arrays sized by the passage count, then dequantised into
        the float32 matrix, rows grouped by source. The peak is the matrix plus its int8 codes
        (1.25 x the matrix), not every row as a Python tuple plus one joined copy of all blobs.
        The rows come in whatever order SQLite joins them (they are sorted here): an ORDER BY
        would sort every blob in a temporary B-tree first (~2 s at 1M passages)."""
        db = self._db
        row = db.execute("SELECT length(vector) FROM vectors WHERE model = ? LIMIT 1", (model,))
        first = row.fetchone()
        capacity = int(db.execute("SELECT count(*) FROM passages").fetchone()[0])
        if first is None or not capacity:
            return _empty_matrix()
        columns = _Columns(capacity, int(first[0]))
        cursor = db.execute(
            "SELECT p.key, v.vector, v.scale, d.evidence_rank, coalesce(d.year, 0), d.source"
            " FROM passages p JOIN vectors v ON v.model = ? AND v.text_key = p.text_key"
            " JOIN documents d ON d.id = p.doc_id",
            (model,),
        )
        while rows := cursor.fetchmany(_CHUNK):
            columns.add(rows)
        return columns.matrix()

    def dense(
        self, model: str, query: npt.NDArray[np.float32], filters: Filters, limit: int
    ) -> list[tuple[int, float]]:
        """Exact search over the in-memory matrix (fast enough to ~1M passages)."""
        return self.vector_matrix(model).nearest(query, filters, limit)

    def similarities(
        self, model: str, query: npt.NDArray[np.float32], keys: Sequence[int]
    ) -> dict[int, float]:
        return self.vector_matrix(model).cosines(query, keys)

    def _data_version(self) -> tuple[int, int]:
        """Changes by other connections (PRAGMA data_version) and by this one: O(1)."""
        other = int(self._db.execute("PRAGMA data_version").fetchone()[0])
        return other, self._db.total_changes

    # -- vocabulary ------------------------------------------------------------------------------

    def put_vocabulary(self, rows: Iterable[tuple[str, str, str, str]]) -> int:
        return self._insert_many(
            "INSERT OR IGNORE INTO vocabulary(term, concept, display, source) VALUES (?,?,?,?)",
            rows,
        )

    def concepts_for_terms(self, terms: Sequence[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for term, concept in self._select_in(
            "SELECT term, concept FROM vocabulary WHERE term IN ({marks}) ORDER BY term, concept",
            terms,
        ):
            found.setdefault(term, []).append(concept)
        return found

    def phrase_frequencies(self, phrases: Sequence[str]) -> dict[str, int]:
        found = self._budget.frequencies(phrases) if phrases else []
        return dict(zip(phrases, found, strict=True)) if found is not None else {}

    def vocabulary_terms(self) -> list[str]:
        return [str(row[0]) for row in self._db.execute("SELECT DISTINCT term FROM vocabulary")]

    def terms_for_concepts(self, concepts: Sequence[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for concept, display in self._select_in(
            "SELECT concept, display FROM vocabulary WHERE concept IN ({marks})"
            " ORDER BY concept, length(display), display",
            concepts,
        ):
            found.setdefault(concept, []).append(display)
        return found

    def put_glossary(self, rows: Iterable[tuple[str, str, str, str]]) -> int:
        """(normalised term, display term, plain-language definition, source) rows."""
        return self._insert_many(
            "INSERT OR IGNORE INTO glossary(term, display, plain, source) VALUES (?,?,?,?)", rows
        )

    def glossary_for(self, terms: Sequence[str]) -> dict[str, tuple[str, str, str]]:
        """normalised term → (display, plain definition, source); NCI before CDC."""
        found: dict[str, tuple[str, str, str]] = {}
        for term, display, plain, source in self._select_in(
            "SELECT term, display, plain, source FROM glossary WHERE term IN ({marks})"
            " ORDER BY term, source DESC",
            terms,
        ):
            found.setdefault(term, (display, plain, source))
        return found

    # -- bookkeeping -----------------------------------------------------------------------------

    def stats(self) -> StoreStats:
        db = self._db

        def scalar(sql: str) -> int:
            return int(db.execute(sql).fetchone()[0] or 0)

        by_type = dict(
            db.execute("SELECT evidence_type, count(*) FROM documents GROUP BY 1 ORDER BY 1")
        )
        by_source = dict(db.execute("SELECT source, count(*) FROM documents GROUP BY 1 ORDER BY 1"))
        return StoreStats(
            documents=scalar("SELECT count(*) FROM documents"),
            passages=scalar("SELECT count(*) FROM passages"),
            vectors=scalar("SELECT count(*) FROM vectors"),
            vocabulary_terms=scalar("SELECT count(*) FROM vocabulary"),
            text_bytes=scalar("SELECT sum(length(CAST(text AS BLOB))) FROM passages"),
            file_bytes=self.path.stat().st_size if self.path.exists() else 0,
            by_evidence_type={str(k): int(v) for k, v in by_type.items()},
            by_source={str(k): int(v) for k, v in by_source.items()},
        )

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def checkpoint(self) -> None:
        """Fold the WAL into the main file (after a big build) and optimise the FTS index."""
        self._db.execute("INSERT INTO passage_fts(passage_fts) VALUES('optimize')")
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self._budget.close()
        self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_CHUNK = 8_192  # vector rows read at a time


def _empty_matrix() -> VectorMatrix:
    return VectorMatrix(
        keys=np.zeros(0, dtype=np.int64),
        vectors=np.zeros((0, 0), dtype=np.float32),
        evidence_rank=np.zeros(0, dtype=np.int8),
        year=np.zeros(0, dtype=np.int32),
        source=np.zeros(0, dtype=np.int32),
    )


class _Columns:
    """The rows of a vector matrix as they are read: int8 codes and filter columns in
    preallocated arrays (grown if passages were added since they were counted)."""

    def __init__(self, capacity: int, dim: int) -> None:
        self.dim = dim
        self.size = 0
        self.codes = np.empty((capacity, dim), dtype=np.int8)
        self.scales = np.empty(capacity, dtype=np.float32)
        self.keys = np.empty(capacity, dtype=np.int64)
        self.ranks = np.empty(capacity, dtype=np.int8)
        self.years = np.empty(capacity, dtype=np.int32)
        self.sources = np.empty(capacity, dtype=np.int32)  # in order of first appearance
        self.names: dict[str, int] = {}

    def add(self, rows: list[tuple[Any, ...]]) -> None:
        start, stop = self.size, self.size + len(rows)
        if stop > len(self.keys):
            for name in ("codes", "scales", "keys", "ranks", "years", "sources"):
                grown = getattr(self, name)
                grown.resize((2 * stop, *grown.shape[1:]), refcheck=False)
        keys, blobs, scales, ranks, years, sources = zip(*rows, strict=True)
        block = b"".join(blobs)
        if len(block) != len(rows) * self.dim:
            raise StoreError("the vectors of one model differ in dimension; rebuild them")
        self.codes[start:stop] = np.frombuffer(block, dtype=np.int8).reshape(-1, self.dim)
        self.scales[start:stop] = scales
        self.keys[start:stop] = keys
        self.ranks[start:stop] = ranks
        self.years[start:stop] = years
        self.sources[start:stop] = [self.names.setdefault(s, len(self.names)) for s in sources]
        self.size = stop

    def matrix(self) -> VectorMatrix:
        """The rows read, dequantised a chunk at a time into rows ordered by (source, key)."""
        n = self.size
        names = tuple(sorted(self.names))
        renumber = np.zeros(len(self.names), dtype=np.int32)
        for name, first_seen in self.names.items():
            renumber[first_seen] = names.index(name)
        sources = renumber[self.sources[:n]]
        order = np.lexsort((self.keys[:n], sources))
        vectors = np.empty((n, self.dim), dtype=np.float32)
        for start in range(0, n, _CHUNK):
            rows = order[start : start + _CHUNK]
            vectors[start : start + len(rows)] = dequantise(self.codes[rows], self.scales[rows])
        return VectorMatrix(
            keys=self.keys[order],
            vectors=vectors,
            evidence_rank=self.ranks[order],
            year=self.years[order],
            source=sources[order],
            source_names=names,
        )


def _filter_sql(filters: Filters) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if filters.evidence_types:
        types = sorted(t.value for t in filters.evidence_types)
        clauses.append(f"d.evidence_type IN ({','.join('?' * len(types))})")
        params.extend(types)
    if filters.since is not None:
        clauses.append("d.year >= ?")
        params.append(_bindable(filters.since))
    if filters.until is not None:
        clauses.append("d.year <= ?")
        params.append(_bindable(filters.until))
    if filters.sources:
        sources = sorted(filters.sources)
        clauses.append(f"d.source IN ({','.join('?' * len(sources))})")
        params.extend(sources)
    return "".join(f" AND {c}" for c in clauses), params


def _bindable(year: int) -> int:
    """``year`` within SQLite's 64-bit integers, which bind: past them every stored year compares
    the same way (found fuzzing search filters: ``--since 10000000000000000000`` raised
    OverflowError)."""
    return min(max(year, -(2**63)), 2**63 - 1)


__all__ = ["SQLiteStore", "open_store"]
