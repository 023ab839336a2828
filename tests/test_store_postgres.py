"""What only the PostgreSQL backend has to get right: migrations and its vector index, the BM25
statistics it keeps itself, several writers at once, ingestion while searching, and picking the
backend from settings. (Everything the two backends share is tested on both in test_store.py,
test_retrieval.py and the answer and web tests.)"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import psycopg
import pytest

from medcite.errors import ConfigError, StoreError
from medcite.ingest.pipeline import IngestReport, ingest_items
from medcite.records import Document, EvidenceType, Section, SourceDocument
from medcite.settings import Settings, StoreSettings, load_settings
from medcite.store import connect
from medcite.store.base import Filters
from medcite.store.migrate import HEAD, VERSION_TABLE
from medcite.store.postgres import HNSW_M, PostgresStore, open_postgres
from medcite.store.sqlite import SQLiteStore

WORDS = [
    "aspirin",
    "warfarin",
    "stroke",
    "embolism",
    "bleeding",
    "statin",
    "insulin",
    "anaemia",
    "leukopenia",
    "folate",
]


def _doc(number: int, words: int = 40, version: int = 0) -> SourceDocument:
    """A document whose text depends on ``number`` (and ``version``, to change it)."""
    rng = np.random.default_rng(number * 1000 + version)
    text = " ".join(str(w) for w in rng.choice(WORDS, size=words)) + "."
    document = Document(f"t:{number}", f"Trial {number}", EvidenceType.RCT, "test", year=2020)
    return SourceDocument(document, (Section("RESULTS", text), Section("METHODS", text)))


def _ingest(store: PostgresStore, docs: list[SourceDocument]) -> IngestReport:
    report = IngestReport()
    ingest_items(store, docs, Settings().chunk, report)
    return report


def _scalar(url: str, sql: str) -> object:
    with psycopg.connect(url) as connection:
        row = connection.execute(sql).fetchone()
        return None if row is None else row[0]


@pytest.fixture()
def pg(postgres_url: str) -> Iterator[PostgresStore]:
    with open_postgres(postgres_url) as store:
        yield store


def test_migrations_reach_head_and_vectors_get_an_hnsw_index(pg: PostgresStore) -> None:
    assert _scalar(pg.url, f"SELECT version_num FROM {VERSION_TABLE}") == HEAD
    _ingest(pg, [_doc(1)])
    (key, _), *_ = list(pg.missing_vectors("m"))
    vector = np.zeros(8, dtype=np.float32)
    vector[0] = 1.0
    assert pg.put_vectors("m", [(key, vector)]) == 1
    definition = str(
        _scalar(pg.url, "SELECT indexdef FROM pg_indexes WHERE indexname LIKE 'vectors_hnsw_%'")
    )
    assert "hnsw" in definition and "halfvec(8)" in definition and "'m'" in definition
    assert f"m='{HNSW_M}'" in definition.replace(" ", "")  # smaller graphs than the default 16
    found = pg.dense("m", vector, Filters(), 5)
    assert len(found) == 2 and all(score == pytest.approx(1.0, abs=1e-3) for _, score in found)
    assert pg.similarities("m", vector, [k for k, _ in found]) == dict(found)
    assert pg.dense("other-model", vector, Filters(), 5) == []


def test_bm25_statistics_follow_every_write(pg: PostgresStore) -> None:
    _ingest(pg, [_doc(n) for n in range(1, 21)])
    _ingest(pg, [_doc(n, version=1) for n in range(1, 6)])  # five documents replaced
    recount = (
        "SELECT count(*) FROM (SELECT lexeme, count(*) AS df FROM passages,"
        " unnest(tsvector_to_array(tsv)) lexeme GROUP BY lexeme) r"
        " FULL JOIN (SELECT * FROM lexemes WHERE df > 0) l USING (lexeme)"
        " WHERE r.df IS DISTINCT FROM l.df"
    )
    assert _scalar(pg.url, recount) == 0
    assert _scalar(pg.url, "SELECT passages FROM corpus_stats") == pg.stats().passages
    tokens = "SELECT tokens - (SELECT sum(length) FROM passages) FROM corpus_stats"
    assert _scalar(pg.url, tokens) == 0


def test_bm25_prefers_rarer_and_more_frequent_terms(pg: PostgresStore) -> None:
    docs = [
        SourceDocument(
            Document(f"b:{i}", f"Note {i}", EvidenceType.REVIEW, "test", year=2020),
            (Section(None, text),),
        )
        for i, text in enumerate(
            [
                "Leukopenia leukopenia in vitamin deficiency.",
                "Leukopenia is a low white cell count.",
                "Vitamin supplements are common.",
                "Vitamin intake and vitamin levels.",
            ]
        )
    ]
    _ingest(pg, docs)
    ranked = [key for key, _ in pg.bm25('"leukopenia" OR "vitamin"', Filters(), 10)]
    texts = [p.text for p in (pg.passages_by_key(ranked)[k] for k in ranked)]
    assert texts[0].startswith("Leukopenia leukopenia")  # rare term twice, plus the common one
    assert texts[1].startswith("Leukopenia is")  # the rare term beats the common one
    assert pg.bm25('"nothing here"', Filters(), 10) == []
    assert pg.bm25('"leukopenia zebra"', Filters(), 10) == []  # a phrase no passage holds
    assert pg.bm25("", Filters(), 10) == []


def test_two_writers_with_the_same_documents_queue_instead_of_colliding(
    postgres_url: str,
) -> None:
    stores = [open_postgres(postgres_url), open_postgres(postgres_url, read_only=True)]
    docs = [_doc(n) for n in range(1, 61)]
    errors: list[BaseException] = []
    reports: list[IngestReport] = []

    def write(store: PostgresStore, order: list[SourceDocument]) -> None:
        try:
            reports.append(_ingest(store, order))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=write, args=(stores[0], docs)),
        threading.Thread(target=write, args=(stores[1], docs[::-1])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert sum(r.added for r in reports) == 60
        assert sum(r.unchanged for r in reports) == 60
        assert stores[0].stats().documents == 60 and stores[0].stats().passages == 120
        assert _scalar(postgres_url, "SELECT passages FROM corpus_stats") == 120
    finally:
        for store in stores:
            store.close()


def test_ingestion_runs_while_searching(postgres_url: str) -> None:
    writer = open_postgres(postgres_url)
    reader = open_postgres(postgres_url, read_only=True)
    done = threading.Event()
    problems: list[str] = []

    def search() -> None:
        while not done.is_set():
            for key, passage in reader.passages_by_key(
                [k for k, _ in reader.bm25('"aspirin"', Filters(), 50)]
            ).items():
                siblings = reader.passages_of(passage.doc_id)
                if len(siblings) != 2:  # a document is never seen half-written
                    problems.append(f"{passage.doc_id} has {len(siblings)} passages ({key})")

    thread = threading.Thread(target=search)
    thread.start()
    try:
        for start in range(0, 200, 20):
            _ingest(writer, [_doc(n) for n in range(start, start + 20)])
            _ingest(writer, [_doc(n, version=1) for n in range(start, start + 5)])
    finally:
        done.set()
        thread.join()
        writer.close()
        reader.close()
    assert problems == []


def test_settings_pick_the_backend(postgres_url: str, tmp_path: Path) -> None:
    settings = load_settings(env={"MEDCITE_DATABASE_URL": postgres_url})
    assert settings.store.database_url == postgres_url
    with connect(settings.store) as store:
        assert isinstance(store, PostgresStore)
    with connect(StoreSettings(path=tmp_path / "i.sqlite")) as store:
        assert isinstance(store, SQLiteStore)
    with pytest.raises(ConfigError):
        connect(StoreSettings(database_url="mysql://localhost/x"))
    missing = f"postgresql://nobody@/medcite?host={tmp_path / 'no-server'}"
    with pytest.raises(StoreError, match="cannot connect"):
        connect(StoreSettings(database_url=missing), read_only=True)
