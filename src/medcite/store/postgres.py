"""The PostgreSQL backend: the same :class:`~medcite.store.base.EvidenceStore` on a server, so
several app servers on several hosts share one evidence index and ingestion runs while they serve.

- Full text: a weighted ``tsvector`` per passage (title A, section B, text D; the ``english``
  configuration) with a GIN index finds the candidates; they are ranked by **BM25** computed in
  SQL from per-lexeme document frequencies (table ``lexemes``) and corpus totals (``corpus_stats``)
  kept up to date by every write, with the column weights applied to term frequencies as SQLite's
  FTS5 ``bm25()`` does. PostgreSQL's own ``ts_rank`` has no inverse document frequency, and the
  BM25 extensions (ParadeDB, pg_textsearch) are not in the server we ship with, so this keeps the
  two backends' rankings comparable (tested on the SciFact slice).
- Vectors: pgvector ``halfvec`` (2 bytes a dimension) with one HNSW index per model (cosine),
  searched with iterative scans so filters don't starve the result list.
- Connections come from a pool (``store.pool_size``); every write is one transaction, so a
  document is never seen with half its passages.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from medcite.database import libpq_url
from medcite.errors import StoreError
from medcite.records import Document, Notice, NoticeKind, Passage, embedding_text, text_key
from medcite.store.base import (
    CANDIDATE_BUDGET,
    COMMON_FRACTION,
    Filters,
    StoreStats,
    Written,
    rare_phrases,
    write_documents,
)
from medcite.store.migrate import upgrade
from medcite.store.notices import VERSION_KEY, new_version, notice_rows

if TYPE_CHECKING:
    from psycopg import Connection
    from psycopg_pool import ConnectionPool

SCHEMA_VERSION = "1"
CONFIG = "english"
BM25_K1 = 1.2
BM25_B = 0.75
RETRIES = 3
HNSW_M = 12
"""Links per node of the HNSW graphs (pgvector's default is 16): at 100k passages the index is
10.5 % smaller (117 → 105 MB) and builds ~25 % faster, which keeps the 1M-passage database
within 2× its raw text and vectors; searches still explore ``ef_search`` ≥ 200 candidates."""
_PHRASE = re.compile(r'"((?:[^"]|"")*)"')
_WORD = re.compile(r"\w+")

# The weighted tsvector of one passage: title A, section B, text D.
_TSV = (
    f"setweight(to_tsvector('{CONFIG}', %(title)s), 'A')"
    f" || setweight(to_tsvector('{CONFIG}', coalesce(%(section)s, '')), 'B')"
    f" || to_tsvector('{CONFIG}', %(text)s)"
)


@dataclass(frozen=True)
class QueryStatistics:
    """Document frequencies of a query's lexemes, by phrase, and the corpus size."""

    phrases: dict[int, dict[str, int]]  # phrase index -> lexeme -> df
    passages: int
    avgdl: float

    @cached_property
    def lexemes(self) -> dict[str, int]:
        """Every lexeme of the query that some passage holds, with its document frequency."""
        merged: dict[str, int] = {}
        for lexemes in self.phrases.values():
            merged.update(lexemes)
        return {lexeme: df for lexeme, df in sorted(merged.items()) if df > 0}

    def idf(self, lexeme: str) -> float:
        df = self.lexemes.get(lexeme, 0)
        return math.log(1 + (self.passages - df + 0.5) / (df + 0.5))

    def candidate_phrases(self, common: float, budget: int) -> list[int]:
        """The phrases whose passages are scored (:func:`~medcite.store.base.rare_phrases`)."""
        rarest = {i: min(lexemes.values()) for i, lexemes in self.phrases.items() if lexemes}
        return rare_phrases(rarest, self.passages, common, budget)


def open_postgres(url: str, *, pool_size: int = 8, read_only: bool = False) -> PostgresStore:
    """Connect to the evidence store at ``url`` (migrating it first unless ``read_only``)."""
    return PostgresStore(url, pool_size=pool_size, read_only=read_only)


class PostgresStore:
    """:class:`~medcite.store.base.EvidenceStore` on PostgreSQL with pgvector."""

    parallel_reads = True
    """Searches may run at once, each on its own pooled connection (the retriever runs a
    query's BM25 and dense lists side by side)."""

    def __init__(self, url: str, *, pool_size: int = 8, read_only: bool = False) -> None:
        from psycopg_pool import ConnectionPool

        self.url = libpq_url(url)
        _check_reachable(self.url)
        if not read_only:
            try:
                upgrade(self.url)
            except Exception as exc:  # the driver's many error types: say what and where
                raise StoreError(f"cannot prepare the PostgreSQL evidence store: {exc}") from exc
        self._pool: ConnectionPool[Connection[tuple[Any, ...]]] = ConnectionPool(
            self.url,
            min_size=1,
            max_size=pool_size,
            configure=_configure,
            open=False,
            name="medcite-evidence",
        )
        try:
            self._pool.open(wait=True, timeout=30)
        except Exception as exc:
            where = _redact(url)
            raise StoreError(f"cannot connect to the evidence store at {where}: {exc}") from exc
        if not read_only:
            self.set_meta("schema_version", SCHEMA_VERSION)
        self._indexed_models: set[str] = set()
        self._dimensions: dict[str, int] = {}  # a model's vectors keep their dimension

    # -- shared helpers --------------------------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[Connection[tuple[Any, ...]]]:
        """A pooled connection in one transaction: committed whole or rolled back whole."""
        with self._pool.connection() as connection:
            yield connection

    def _rows(self, sql: str, params: Sequence[object] | dict[str, object] = ()) -> list[Any]:
        with self._connection() as db:
            return db.execute(sql, params).fetchall()

    # -- documents and passages ------------------------------------------------------------------

    def add_documents(
        self,
        items: Iterable[tuple[Document, Sequence[Passage]]],
        written: Written | None = None,
    ) -> tuple[int, int, int]:
        """One transaction per batch. Each document is locked by id (an advisory lock) before
        it is compared, so two ingesters writing the same documents queue instead of colliding;
        a batch that deadlocks with another writer is retried."""
        from psycopg import errors

        batch = sorted(items, key=lambda item: item[0].id)  # one lock order for every writer
        for _ in range(RETRIES - 1):
            try:
                return self._add_batch(batch, written)
            except (errors.DeadlockDetected, errors.SerializationFailure):
                continue
        return self._add_batch(batch, written)

    def _add_batch(
        self, batch: list[tuple[Document, Sequence[Passage]]], log: Written | None
    ) -> tuple[int, int, int]:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        written: list[str] = []
        with self._connection() as db:

            def stored_hash(doc_id: str) -> str | None:
                db.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (doc_id,))
                row = db.execute(
                    "SELECT content_hash FROM documents WHERE id = %s", (doc_id,)
                ).fetchone()
                return None if row is None else str(row[0])

            def insert(document: Document, passages: Sequence[Passage], digest: str) -> None:
                _insert_document(db, document, passages, digest, now)
                written.append(document.id)

            done = Written()
            counts = write_documents(
                batch, stored_hash, lambda doc_id: _delete_documents(db, [doc_id]), insert, done
            )
            _count_documents(db, written, sign=1)
        if log is not None:  # only once the transaction committed (a retried one logs nothing)
            log.extend(done)
        return counts

    def delete_documents(self, ids: Iterable[str], written: Written | None = None) -> int:
        wanted = sorted(set(ids))
        with self._connection() as db:
            for doc_id in wanted:  # the writers' lock order (add_documents)
                db.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (doc_id,))
            found = sorted(
                str(row[0])
                for row in db.execute(
                    "SELECT id FROM documents WHERE id = ANY(%s)", (wanted,)
                ).fetchall()
            )
            _delete_documents(db, found)
        if written is not None:  # only once the transaction committed
            written.deleted.extend(found)
        return len(found)

    def documents(self, ids: Iterable[str]) -> dict[str, Document]:
        rows = self._rows("SELECT id, record FROM documents WHERE id = ANY(%s)", (list(set(ids)),))
        return {doc_id: Document.from_dict(json.loads(record)) for doc_id, record in rows}

    def passages_by_key(self, keys: Sequence[int]) -> dict[int, Passage]:
        rows = self._rows(
            "SELECT key, id, doc_id, ordinal, section, text FROM passages WHERE key = ANY(%s)",
            (sorted({int(k) for k in keys}),),
        )
        return {row[0]: Passage(row[1], row[2], row[3], row[4], row[5]) for row in rows}

    def passages_of(self, doc_id: str) -> list[Passage]:
        rows = self._rows(
            "SELECT id, doc_id, ordinal, section, text FROM passages"
            " WHERE doc_id = %s ORDER BY ordinal",
            (doc_id,),
        )
        return [Passage(*row) for row in rows]

    # -- notices ---------------------------------------------------------------------------------

    def add_notices(self, notices: Iterable[Notice]) -> list[Notice]:
        """Store the notices not stored yet (by :attr:`Notice.key`); returns those."""
        wanted = {n.key: n for n in notices}
        added: list[Notice] = []
        with self._connection() as db:
            for row in notice_rows(wanted.values()):
                found = db.execute(
                    "INSERT INTO notices(key, kind, source, target_pmid, target_doi, record,"
                    " added_at) VALUES (%s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (key) DO NOTHING RETURNING key",
                    row,
                ).fetchone()
                if found is not None:
                    added.append(wanted[row[0]])
            if added:
                db.execute(
                    "INSERT INTO meta(key, value) VALUES (%s, %s)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (VERSION_KEY, new_version()),
                )
        return added

    def notices_for(self, pmids: Iterable[str], dois: Iterable[str]) -> list[Notice]:
        """The notices about papers with any of these PMIDs or DOIs, in a stable order (none
        from a database read before it had a notices table: a replica not yet migrated)."""
        from psycopg import errors

        try:
            rows = self._rows(
                "SELECT key, record FROM notices"
                ' WHERE target_pmid = ANY(%s) OR target_doi = ANY(%s) ORDER BY key COLLATE "C"',
                (sorted(set(pmids)), sorted({d.lower() for d in dois})),
            )
        except errors.UndefinedTable:
            return []
        return [Notice.from_dict(json.loads(record)) for _, record in rows]

    def retracted_identifiers(self) -> tuple[frozenset[str], frozenset[str]]:
        """The PMIDs and DOIs of every paper a retraction notice names."""
        rows = self._rows(
            "SELECT target_pmid, target_doi FROM notices WHERE kind = %s",
            (NoticeKind.RETRACTION.value,),
        )
        return frozenset(r[0] for r in rows if r[0]), frozenset(r[1] for r in rows if r[1])

    # -- search ----------------------------------------------------------------------------------

    def bm25(
        self,
        match: str,
        filters: Filters,
        limit: int,
        weights: tuple[float, float, float] = (2.0, 0.5, 1.0),
    ) -> list[tuple[int, float]]:
        """BM25 over the passages matching a phrase of ``match`` (the FTS5 expression the query
        parser builds: quoted phrases joined by OR); ties broken by passage key.

        Candidates come from the rarest phrases, while their document frequencies add up to at
        most ``CANDIDATE_BUDGET`` rows and none is in more than ``COMMON_FRACTION`` of the
        passages (every query word still counts in the score). A passage holding only common
        query words ("cause", "patients") rarely scores near one holding the rare ones, and
        scoring every passage that says "cause" is what makes full-text search slow on a big
        corpus: this bounds the work per query whatever the corpus size. (FTS5 scores every
        match; the SciFact-slice test pins the two backends' quality together.)"""
        phrases = [p.replace('""', '"') for p in _PHRASE.findall(match)]
        phrases = list(dict.fromkeys(p for p in phrases if p.strip()))
        if not phrases:
            return []
        with self._connection() as db:
            stats = self._query_statistics(db, phrases)
            if not stats.lexemes:
                return []
            where, params = _filter_sql(filters)
            chosen = stats.candidate_phrases(COMMON_FRACTION, CANDIDATE_BUDGET)
            if not chosen:  # every phrase holds a word no passage has
                return []
            tsquery = " || ".join(f"phraseto_tsquery('{CONFIG}', %(p{i})s)" for i in chosen)
            params.update({f"p{i}": phrases[i] for i in chosen})
            params.update(
                lexemes=list(stats.lexemes),
                idfs=[stats.idf(lexeme) for lexeme in stats.lexemes],
                wa=weights[0],
                wb=weights[1],
                wd=weights[2],
                k1=BM25_K1,
                b=BM25_B,
                avgdl=stats.avgdl,
                limit=limit,
            )
            join = " JOIN documents d ON d.id = p.doc_id" if where else ""
            sql = f"""
            WITH q AS (
                SELECT * FROM unnest(%(lexemes)s::text[], %(idfs)s::float8[]) AS q(lexeme, idf)
            ), c AS (
                SELECT p.key, p.tsv, p.length FROM passages p{join}
                WHERE p.tsv @@ ({tsquery}){where}
            )
            SELECT c.key,
                   sum(q.idf * t.tf * (%(k1)s + 1)
                       / (t.tf + %(k1)s * (1 - %(b)s + %(b)s * c.length / %(avgdl)s))) AS score
            FROM c
            CROSS JOIN LATERAL (
                SELECT u.lexeme,
                       (SELECT sum(CASE w WHEN 'A' THEN %(wa)s WHEN 'B' THEN %(wb)s
                                   ELSE %(wd)s END)
                        FROM unnest(u.weights) w)::float8 AS tf
                FROM unnest(c.tsv) u
            ) t
            JOIN q ON q.lexeme = t.lexeme
            GROUP BY c.key
            ORDER BY score DESC, c.key
            LIMIT %(limit)s
            """
            try:
                rows = db.execute(sql, params).fetchall()
            except Exception as exc:
                raise StoreError(f"full-text search failed: {exc}") from exc
        return [(int(key), float(score)) for key, score in rows]

    @staticmethod
    def _query_statistics(db: Connection[tuple[Any, ...]], phrases: list[str]) -> QueryStatistics:
        """Each phrase's lexemes with their document frequencies, and the corpus totals."""
        rows = db.execute(
            f"""
            SELECT p.i, x.lexeme, coalesce(l.df, 0)
            FROM unnest(%s::text[]) WITH ORDINALITY AS p(phrase, i)
            CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('{CONFIG}', p.phrase)))
                AS x(lexeme)
            LEFT JOIN lexemes l ON l.lexeme = x.lexeme
            ORDER BY p.i, x.lexeme
            """,
            (phrases,),
        ).fetchall()
        totals = db.execute("SELECT passages, tokens FROM corpus_stats").fetchone()
        n, tokens = (int(totals[0]), int(totals[1])) if totals else (0, 0)
        by_phrase: dict[int, dict[str, int]] = {}
        for i, lexeme, df in rows:
            by_phrase.setdefault(int(i) - 1, {})[str(lexeme)] = int(df)
        return QueryStatistics(by_phrase, n, max(tokens / max(n, 1), 1.0))

    def dense(
        self, model: str, query: npt.NDArray[np.float32], filters: Filters, limit: int
    ) -> list[tuple[int, float]]:
        """HNSW (cosine) nearest passages; iterative scans keep filtered searches full."""
        from pgvector import HalfVector

        dim = self._dimension(model)
        if dim is None or limit <= 0:
            return []
        where, params = _filter_sql(filters)
        join = " JOIN documents d ON d.id = p.doc_id" if where else ""
        distance = f"v.embedding::halfvec({dim}) <=> %(query)s::halfvec({dim})"
        params.update(model=model, query=HalfVector(query.astype(np.float32)), limit=limit)
        sql = f"""
        SELECT key, score FROM (
            SELECT p.key, 1 - ({distance}) AS score
            FROM vectors v JOIN passages p ON p.text_key = v.text_key{join}
            WHERE v.model = {_literal(model)}{where}
            ORDER BY {distance}
            LIMIT %(limit)s
        ) found ORDER BY score DESC, key
        """
        with self._connection() as db:
            db.execute(
                f"SET LOCAL hnsw.ef_search = {max(40, min(int(limit), 1000))};"
                " SET LOCAL hnsw.iterative_scan = relaxed_order"
            )
            rows = db.execute(sql, params).fetchall()
        return [(int(key), float(score)) for key, score in rows]

    def similarities(
        self, model: str, query: npt.NDArray[np.float32], keys: Sequence[int]
    ) -> dict[int, float]:
        from pgvector import HalfVector

        if not keys:
            return {}
        rows = self._rows(
            "SELECT p.key, 1 - (v.embedding <=> %s) FROM passages p"
            " JOIN vectors v ON v.model = %s AND v.text_key = p.text_key WHERE p.key = ANY(%s)",
            (HalfVector(query.astype(np.float32)), model, sorted({int(k) for k in keys})),
        )
        return {int(key): float(score) for key, score in rows}

    # -- vectors ---------------------------------------------------------------------------------

    def missing_vectors(self, model: str) -> Iterator[tuple[str, str]]:
        rows = self._rows(
            "SELECT p.text_key, min(d.title || chr(10) || p.text) FROM passages p"
            " JOIN documents d ON d.id = p.doc_id LEFT JOIN vectors v"
            " ON v.model = %s AND v.text_key = p.text_key WHERE v.text_key IS NULL"
            " GROUP BY p.text_key ORDER BY p.text_key",
            (model,),
        )
        yield from ((str(k), str(t)) for k, t in rows)

    def put_vectors(self, model: str, rows: Iterable[tuple[str, npt.NDArray[np.float32]]]) -> int:
        from pgvector import HalfVector

        batch = [(model, key, HalfVector(vector.astype(np.float32))) for key, vector in rows]
        if not batch:
            return 0
        with self._connection() as db, db.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO vectors(model, text_key, embedding) VALUES (%s, %s, %s)"
                " ON CONFLICT (model, text_key) DO UPDATE SET embedding = excluded.embedding",
                batch,
            )
        dim = len(batch[0][2].to_list())
        self._dimensions[model] = dim
        self._ensure_vector_index(model, dim)
        return len(batch)

    def _dimension(self, model: str) -> int | None:
        """The dimension of ``model``'s vectors (None before any): read once per process, not
        once per search."""
        if model not in self._dimensions:
            rows = self._rows(
                "SELECT vector_dims(embedding::vector) FROM vectors WHERE model = %s LIMIT 1",
                (model,),
            )
            if not rows:
                return None
            self._dimensions[model] = int(rows[0][0])
        return self._dimensions[model]

    def _ensure_vector_index(self, model: str, dim: int) -> None:
        """The HNSW index of ``model`` (partial, on the model's rows cast to its dimension)."""
        if model in self._indexed_models:
            return
        name = "vectors_hnsw_" + re.sub(r"\W", "_", model.lower())[:40]
        with self._connection() as db:
            db.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON vectors USING hnsw"
                f" ((embedding::halfvec({dim})) halfvec_cosine_ops) WITH (m = {HNSW_M})"
                f" WHERE model = {_literal(model)}"
            )
        self._indexed_models.add(model)

    def export_vectors(self, model: str) -> tuple[list[str], npt.NDArray[np.float32]]:
        """Every (text key, vector) of ``model``, for writing a vector-cache file."""
        rows = self._rows(
            "SELECT text_key, embedding::vector FROM vectors WHERE model = %s ORDER BY text_key",
            (model,),
        )
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        return [r[0] for r in rows], np.stack([np.asarray(r[1], np.float32) for r in rows])

    # -- vocabulary ------------------------------------------------------------------------------

    def _insert_many(self, sql: str, rows: Iterable[tuple[object, ...]]) -> int:
        batch = list(rows)
        if not batch:
            return 0
        with self._connection() as db, db.cursor() as cursor:
            cursor.executemany(sql + " RETURNING 1", batch, returning=True)
            count = 0
            while True:
                count += len(cursor.fetchall())
                if not cursor.nextset():
                    return count

    def put_vocabulary(self, rows: Iterable[tuple[str, str, str, str]]) -> int:
        return self._insert_many(
            "INSERT INTO vocabulary(term, concept, display, source) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            rows,
        )

    def phrase_frequencies(self, phrases: Sequence[str]) -> dict[str, int]:
        if not phrases:
            return {}
        with self._connection() as db:
            stats = self._query_statistics(db, list(phrases))
        return {
            phrase: min(stats.phrases.get(i, {}).values(), default=0)
            for i, phrase in enumerate(phrases)
        }

    def concepts_for_terms(self, terms: Sequence[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for term, concept in self._rows(
            "SELECT term, concept FROM vocabulary WHERE term = ANY(%s)"
            ' ORDER BY term, concept COLLATE "C"',
            (sorted(set(terms)),),
        ):
            found.setdefault(term, []).append(concept)
        return found

    def vocabulary_terms(self) -> list[str]:
        return [str(row[0]) for row in self._rows("SELECT DISTINCT term FROM vocabulary", ())]

    def terms_for_concepts(self, concepts: Sequence[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for concept, display in self._rows(
            "SELECT concept, display FROM vocabulary WHERE concept = ANY(%s)"
            ' ORDER BY concept, length(display), display COLLATE "C"',
            (sorted(set(concepts)),),
        ):
            found.setdefault(concept, []).append(display)
        return found

    def put_glossary(self, rows: Iterable[tuple[str, str, str, str]]) -> int:
        return self._insert_many(
            "INSERT INTO glossary(term, display, plain, source) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            rows,
        )

    def glossary_for(self, terms: Sequence[str]) -> dict[str, tuple[str, str, str]]:
        found: dict[str, tuple[str, str, str]] = {}
        for term, display, plain, source in self._rows(
            "SELECT term, display, plain, source FROM glossary WHERE term = ANY(%s)"
            ' ORDER BY term, source COLLATE "C" DESC',
            (sorted(set(terms)),),
        ):
            found.setdefault(term, (display, plain, source))
        return found

    # -- bookkeeping -----------------------------------------------------------------------------

    def stats(self) -> StoreStats:
        with self._connection() as db:

            def scalar(sql: str) -> int:
                row = db.execute(sql).fetchone()
                return int(row[0] or 0) if row else 0

            by_type = db.execute(
                "SELECT evidence_type, count(*) FROM documents GROUP BY 1 ORDER BY 1"
            ).fetchall()
            by_source = db.execute(
                "SELECT source, count(*) FROM documents GROUP BY 1 ORDER BY 1"
            ).fetchall()
            return StoreStats(
                documents=scalar("SELECT count(*) FROM documents"),
                passages=scalar("SELECT count(*) FROM passages"),
                vectors=scalar("SELECT count(*) FROM vectors"),
                vocabulary_terms=scalar("SELECT count(*) FROM vocabulary"),
                text_bytes=scalar("SELECT sum(octet_length(text)) FROM passages"),
                file_bytes=scalar("SELECT pg_database_size(current_database())"),
                by_evidence_type={str(k): int(v) for k, v in by_type},
                by_source={str(k): int(v) for k, v in by_source},
            )

    def get_meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = %s", (key,))
        return str(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self._connection() as db:
            db.execute(
                "INSERT INTO meta(key, value) VALUES (%s, %s)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def checkpoint(self) -> None:
        """Refresh planner statistics after a big build (VACUUM ANALYZE)."""
        with self._pool.connection() as db:
            db.autocommit = True
            db.execute("VACUUM ANALYZE")
            db.autocommit = False

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_reachable(url: str) -> None:
    """Fail at once with a clear message when the server is not there (a pool would retry)."""
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=10).close()
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to the evidence store at {_redact(url)}: {exc}") from exc


def _configure(connection: Connection[tuple[Any, ...]]) -> None:
    from pgvector.psycopg import register_vector

    register_vector(connection)
    connection.commit()


def _insert_document(
    db: Connection[tuple[Any, ...]],
    document: Document,
    passages: Sequence[Passage],
    digest: str,
    now: str,
) -> None:
    db.execute(
        "INSERT INTO documents(id, title, evidence_type, evidence_rank, source, year, record,"
        " content_hash, ingested_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
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
    rows = [
        {
            "id": passage.id,
            "doc_id": document.id,
            "ordinal": passage.ordinal,
            "section": passage.section,
            "text": passage.text,
            "text_key": text_key(embedding_text(document.title, passage.text)),
            "length": _length(document.title, passage.section, passage.text),
            "title": document.title,
        }
        for passage in passages
    ]
    if not rows:
        return
    with db.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO passages(id, doc_id, ordinal, section, text, text_key, length, tsv)"
            " VALUES (%(id)s, %(doc_id)s, %(ordinal)s, %(section)s, %(text)s, %(text_key)s,"
            f" %(length)s, {_TSV})",
            rows,
        )


def _length(*columns: str | None) -> int:
    """Words of a passage with its title and section (BM25's document length)."""
    return sum(len(_WORD.findall(column or "")) for column in columns)


def _delete_documents(db: Connection[tuple[Any, ...]], doc_ids: list[str]) -> None:
    _count_documents(db, doc_ids, sign=-1)
    db.execute("DELETE FROM documents WHERE id = ANY(%s)", (doc_ids,))


def _count_documents(db: Connection[tuple[Any, ...]], doc_ids: list[str], sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) the documents' passages in the BM25 statistics."""
    if not doc_ids:
        return
    db.execute(
        "INSERT INTO lexemes(lexeme, df)"
        " SELECT lexeme, %s * count(*) FROM passages p,"
        " unnest(tsvector_to_array(p.tsv)) lexeme WHERE p.doc_id = ANY(%s)"
        " GROUP BY lexeme ORDER BY lexeme"
        " ON CONFLICT (lexeme) DO UPDATE SET df = lexemes.df + excluded.df",
        (sign, doc_ids),
    )
    db.execute(
        "UPDATE corpus_stats SET passages = corpus_stats.passages + %s * t.n,"
        " tokens = corpus_stats.tokens + %s * t.words"
        " FROM (SELECT count(*) AS n, coalesce(sum(length), 0) AS words FROM passages"
        " WHERE doc_id = ANY(%s)) t WHERE id = 1",
        (sign, sign, doc_ids),
    )


def _filter_sql(filters: Filters) -> tuple[str, dict[str, object]]:
    clauses: list[str] = []
    params: dict[str, object] = {}
    if filters.evidence_types:
        clauses.append("d.evidence_type = ANY(%(f_types)s)")
        params["f_types"] = sorted(t.value for t in filters.evidence_types)
    if filters.since is not None:
        clauses.append("d.year >= %(f_since)s")
        params["f_since"] = filters.since
    if filters.until is not None:
        clauses.append("d.year <= %(f_until)s")
        params["f_until"] = filters.until
    if filters.sources:
        clauses.append("d.source = ANY(%(f_sources)s)")
        params["f_sources"] = sorted(filters.sources)
    return "".join(f" AND {c}" for c in clauses), params


def _literal(value: str) -> str:
    """A SQL string literal (model names go into index predicates, which need literals)."""
    return "'" + value.replace("'", "''") + "'"


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


__all__ = ["PostgresStore", "open_postgres"]
