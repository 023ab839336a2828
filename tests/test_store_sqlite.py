"""What only the SQLite backend has to get right at scale: the in-memory vector matrix (rows
grouped by source, filtered searches that read only the rows they keep, exact ties, a load that
peaks near the matrix's own size) and the candidate budget of FTS5 BM25 on common words."""

from __future__ import annotations

import sqlite3
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

import medcite.store.fts as fts
import medcite.store.sqlite as sqlite_store
from medcite.records import Document, EvidenceType, Passage, embedding_text, text_key
from medcite.store.base import Filters, VectorMatrix
from medcite.store.sqlite import SQLiteStore, open_store
from medcite.store.vectors import dequantise

SOURCES = ("medquad", "pubmed", "scifact")
TYPES = (EvidenceType.RCT, EvidenceType.CONSUMER_HEALTH, EvidenceType.REVIEW)


def _matrix(n: int = 2_000, dim: int = 16, seed: int = 0) -> VectorMatrix:
    """Random unit vectors in shuffled key order, with every fifth row a copy of another one
    (equal scores) and some rows without a year."""
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n, dim)).astype(np.float32)
    vectors[::5] = vectors[1::5][: len(vectors[::5])]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return VectorMatrix(
        keys=rng.permutation(np.arange(10, 10 + 3 * n, 3)).astype(np.int64),
        vectors=vectors,
        evidence_rank=rng.choice([t.rank for t in TYPES], size=n).astype(np.int8),
        year=rng.choice([0, 1999, 2010, 2015, 2020], size=n).astype(np.int32),
        source=rng.integers(0, len(SOURCES), size=n).astype(np.int32),
        source_names=SOURCES,
    )


def _reference(
    matrix: VectorMatrix, query: npt.NDArray[np.float32], filters: Filters, limit: int
) -> list[tuple[int, float]]:
    """Every row scored, filtered in Python, sorted by (-score, key): what nearest() promises."""
    scores = np.einsum("ij,j->i", matrix.vectors, query)
    ranks = {t.rank for t in filters.evidence_types}
    kept = [
        (int(matrix.keys[i]), float(scores[i]))
        for i in range(len(matrix.keys))
        if (not filters.sources or matrix.source_names[matrix.source[i]] in filters.sources)
        and (not ranks or int(matrix.evidence_rank[i]) in ranks)
        and (filters.since is None or matrix.year[i] >= filters.since)
        and (filters.until is None or 0 < matrix.year[i] <= filters.until)
    ]
    return sorted(kept, key=lambda hit: (-hit[1], hit[0]))[:limit]


FILTERS = [
    Filters(),
    Filters(sources=frozenset({"medquad"})),
    Filters(sources=frozenset({"medquad", "scifact"})),
    Filters(sources=frozenset({"nowhere"})),
    Filters(since=2010),
    Filters(until=2012),
    Filters(evidence_types=frozenset({EvidenceType.RCT})),
    Filters(sources=frozenset({"pubmed"}), since=2015, evidence_types=frozenset(TYPES[:2])),
]


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
@pytest.mark.parametrize("limit", [1, 7, 50, 5_000])
def test_nearest_is_the_filtered_full_ranking(filters: Filters, limit: int) -> None:
    matrix = _matrix()
    rng = np.random.default_rng(1)
    queries = [matrix.vectors[3], rng.normal(size=16).astype(np.float32)]
    for query in queries:
        assert matrix.nearest(query, filters, limit) == _reference(matrix, query, filters, limit)


def test_rows_are_grouped_by_source_so_a_source_filter_is_a_slice() -> None:
    matrix = _matrix()
    assert list(matrix.source) == sorted(matrix.source)
    for name in SOURCES:
        rows = np.flatnonzero(matrix.source == matrix.source_names.index(name))
        assert list(rows) == list(range(rows[0], rows[-1] + 1))  # contiguous
        assert list(matrix.keys[rows]) == sorted(matrix.keys[rows])


def test_equal_vectors_tie_to_the_smaller_key_even_at_the_cut() -> None:
    vectors = np.tile(np.eye(4, dtype=np.float32)[:1], (6, 1))  # six equal rows
    matrix = VectorMatrix(
        keys=np.array([50, 20, 60, 10, 40, 30], dtype=np.int64),
        vectors=vectors,
        evidence_rank=np.zeros(6, dtype=np.int8),
        year=np.zeros(6, dtype=np.int32),
        source=np.array([1, 0, 1, 0, 1, 0], dtype=np.int32),
        source_names=("a", "b"),
    )
    query = np.eye(4, dtype=np.float32)[0]
    assert [k for k, _ in matrix.nearest(query, Filters(), 4)] == [10, 20, 30, 40]
    assert [k for k, _ in matrix.nearest(query, Filters(sources=frozenset({"b"})), 2)] == [40, 50]


def test_a_filtered_search_after_a_full_scan_reuses_its_scores_exactly() -> None:
    """The answer engine searches its question unfiltered, then among MedQuAD questions, then
    asks the cosines of its hits: all three agree with fresh computations to the last bit."""
    matrix, fresh = _matrix(), _matrix()
    query = np.random.default_rng(2).normal(size=16).astype(np.float32)
    medquad = Filters(sources=frozenset({"medquad"}))
    full = matrix.nearest(query, Filters(), 100)
    assert matrix.nearest(query, medquad, 30) == fresh.nearest(query, medquad, 30)
    keys = [key for key, _ in full] + [999_999]  # and one key without a vector
    assert matrix.cosines(query, keys) == fresh.cosines(query, keys) == dict(full)


# -- the store's matrix --------------------------------------------------------------------------


def _corpus(store: SQLiteStore, documents: int, dim: int = 384, seed: int = 0) -> None:
    """``documents`` documents of three passages over the sources above, each with a vector."""
    rng = np.random.default_rng(seed)
    items = []
    for number in range(documents):
        source = SOURCES[number % len(SOURCES)]
        document = Document(
            f"{source}:{number}",
            f"Doc {number}",
            TYPES[number % 3],
            source,
            year=2000 + number % 25,
        )
        passages = [
            Passage(Passage.make_id(document.id, i), document.id, i, None, f"text {number} {i}")
            for i in range(3)
        ]
        items.append((document, passages))
    store.add_documents(items)
    vectors = rng.normal(size=(documents * 3, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    keys = [
        text_key(embedding_text(document.title, passage.text))
        for document, passages in items
        for passage in passages
    ]
    store.put_vectors("m", zip(keys, vectors, strict=True))


def _read_at_once(path: Path, model: str) -> dict[int, npt.NDArray[np.float32]]:
    """Every vector of ``model`` by passage key, read and dequantised in one go (the old way)."""
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT p.key, v.vector, v.scale FROM passages p JOIN vectors v"
            " ON v.model = ? AND v.text_key = p.text_key ORDER BY p.key",
            (model,),
        ).fetchall()
    codes = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.int8).reshape(len(rows), -1)
    vectors = dequantise(codes, np.array([r[2] for r in rows], dtype=np.float32))
    return {int(r[0]): vectors[i] for i, r in enumerate(rows)}


@pytest.fixture()
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_store, "_CHUNK", 64)


@pytest.mark.parametrize("stale_count", [False, True])
@pytest.mark.usefixtures("small_chunks")
def test_the_matrix_read_in_chunks_holds_every_vector_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stale_count: bool
) -> None:
    if stale_count:  # passages added between counting them and reading them: arrays grow
        columns = sqlite_store._Columns
        monkeypatch.setattr(sqlite_store, "_Columns", lambda _, dim: columns(10, dim))
    with open_store(tmp_path / "index.sqlite") as store:
        _corpus(store, 100, dim=32)
        matrix = store.vector_matrix("m")
        expected = _read_at_once(store.path, "m")
        assert sorted(matrix.keys.tolist()) == sorted(expected)
        for row, key in enumerate(matrix.keys):
            assert np.array_equal(matrix.vectors[row], expected[int(key)])
        assert matrix.source_names == SOURCES
        passages = store.passages_by_key(matrix.keys.tolist())
        documents = store.documents({p.doc_id for p in passages.values()})
        for row, key in enumerate(matrix.keys.tolist()):
            document = documents[passages[key].doc_id]
            assert matrix.source_names[matrix.source[row]] == document.source
            assert matrix.year[row] == document.year
            assert matrix.evidence_rank[row] == document.evidence_type.rank
        assert store.vector_matrix("m") is matrix  # cached until the index changes
        assert store.vector_matrix("other").keys.size == 0


@pytest.mark.usefixtures("small_chunks")
def test_loading_the_matrix_peaks_near_its_own_size(tmp_path: Path) -> None:
    with open_store(tmp_path / "index.sqlite") as store:
        _corpus(store, 3_000)
        tracemalloc.start()
        try:
            matrix = store.vector_matrix("m")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    # the float32 matrix, its int8 codes (a quarter of it) while it is filled, a chunk
    assert peak < 1.4 * matrix.vectors.nbytes, (peak, matrix.vectors.nbytes)


# -- the BM25 candidate budget -------------------------------------------------------------------


def _texts(count: int) -> Iterator[str]:
    """Every passage says "patients" (common); every third "stroke", every tenth "aspirin"
    (rare), every fifth "blood pressure"; word counts vary so BM25 lengths differ."""
    for i in range(count):
        words = ["patients"] + ["filler"] * (i % 7)
        if i % 3 == 0:
            words.append("stroke")
        if i % 10 == 0:
            words += ["aspirin"] * (1 + i % 4)
        if i % 5 == 0:
            words += ["blood", "pressure"]
        yield " ".join(words) + "."


def _text_store(path: Path, count: int = 120) -> SQLiteStore:
    store = open_store(path)
    items = []
    for i, text in enumerate(_texts(count)):
        document = Document(f"t:{i}", f"Trial {i}", EvidenceType.RCT, "test", year=2020)
        items.append((document, [Passage(f"t:{i}#0", document.id, 0, None, text)]))
    store.add_documents(items)
    return store


QUERY = '"patients" OR "aspirin" OR "blood pressure" OR "strokes" OR "unheard"'


def test_below_the_budget_bm25_is_unchanged(tmp_path: Path) -> None:
    with _text_store(tmp_path / "index.sqlite") as store, sqlite3.connect(store.path) as db:
        plain = db.execute(  # FTS5 alone, as the store searched before the budget
            "SELECT rowid, -bm25(passage_fts, 2.0, 0.5, 1.0) AS s FROM passage_fts"
            " WHERE passage_fts MATCH ? ORDER BY s DESC, rowid LIMIT 50",
            (QUERY,),
        ).fetchall()
        assert store.bm25(QUERY, Filters(), 50) == [(int(k), float(s)) for k, s in plain]


def test_over_the_budget_only_passages_with_a_rare_phrase_are_scored_as_by_the_whole_query(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _text_store(tmp_path / "index.sqlite") as store:
        whole = dict(store.bm25(QUERY, Filters(), 1_000))
    monkeypatch.setattr(fts, "CANDIDATE_BUDGET", 20)
    with _text_store(tmp_path / "budget.sqlite") as store:
        budgeted = store.bm25(QUERY, Filters(), 1_000)
        top = store.bm25(QUERY, Filters(), 5)
    aspirin = {key for key, text in enumerate(_texts(120), start=1) if "aspirin" in text}
    assert {key for key, _ in budgeted} == aspirin  # 12 rows: the rarest phrase alone fits
    for key, score in budgeted:
        assert score == pytest.approx(whole[key], rel=1e-12)
    assert [key for key, _ in budgeted] == sorted(aspirin, key=lambda k: (-whole[k], k))
    assert top == budgeted[:5]


def test_the_rare_phrases_are_chosen_from_stemmed_document_frequencies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fts, "CANDIDATE_BUDGET", 40)
    monkeypatch.setattr(fts, "COMMON_FRACTION", 0.5)
    with _text_store(tmp_path / "index.sqlite") as store, sqlite3.connect(store.path) as db:
        budget = fts.Budget(db, lambda: db.execute("PRAGMA data_version").fetchone())
        # aspirin 12 + blood pressure 24 rows fit in 40; "strokes" is stemmed as "stroke": 40
        assert budget.expressions(QUERY) == [
            '("aspirin" OR "blood pressure") AND ("patients" OR "strokes")',
            '"aspirin" OR "blood pressure"',
        ]
        assert budget.expressions('"aspirin"') == ['"aspirin"']  # one phrase: nothing to drop
        assert budget.expressions("aspirin OR stroke") == ["aspirin OR stroke"]  # not ours
        # more aspirin (42 rows): now blood pressure is the one rare phrase
        items = []
        for i in range(200, 230):
            document = Document(f"t:{i}", f"Trial {i}", EvidenceType.RCT, "test", year=2020)
            items.append((document, [Passage(f"t:{i}#0", document.id, 0, None, "aspirin")]))
        store.add_documents(items)
        assert budget.expressions(QUERY) == [
            '("blood pressure") AND ("patients" OR "aspirin" OR "strokes")',
            '"blood pressure"',
        ]


def test_the_budget_works_on_an_index_opened_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fts, "CANDIDATE_BUDGET", 20)
    _text_store(tmp_path / "index.sqlite").close()
    with open_store(tmp_path / "index.sqlite", read_only=True) as store:
        assert len(store.bm25(QUERY, Filters(), 1_000)) == 12
        assert store.bm25(QUERY, Filters(sources=frozenset({"elsewhere"})), 10) == []
