"""The evidence stores (SQLite and PostgreSQL, through the same tests): idempotent ingest,
replacement, whole-document transactions, full-text integrity, migrations."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from medcite.ingest.pipeline import IngestReport, ingest_items, ingest_paths
from medcite.records import Document, EvidenceType, Section, SourceDocument
from medcite.settings import DATA_DIR, Settings
from medcite.store.base import Filters
from medcite.store.migrate import HEAD, VERSION_TABLE
from medcite.store.postgres import PostgresStore
from medcite.store.sqlite import SQLiteStore, open_store
from medcite.store.vectors import dequantise, load_cache, quantise, save_cache

from .conftest import DATASETS

AnyStore = SQLiteStore | PostgresStore


def _doc(
    doc_id: str, text: str = "Aspirin reduces the risk of stroke. It is cheap."
) -> SourceDocument:
    document = Document(doc_id, f"Title {doc_id}", EvidenceType.RCT, "test", year=2020)
    return SourceDocument(document, (Section("RESULTS", text),))


def _fts_count(store: AnyStore, word: str) -> int:
    return len(store.bm25(f'"{word}"', Filters(), 1000))


def test_phrase_frequencies_count_passages_by_the_rarest_word(
    store: AnyStore, settings: Settings
) -> None:
    docs = [_doc("a"), _doc("b", "Aspirin is an old drug.")]
    ingest_items(store, docs, settings.chunk, IngestReport())
    found = store.phrase_frequencies(["aspirin", "risk of stroke", "eferox", "aspirin eferox"])
    assert found == {"aspirin": 2, "risk of stroke": 1, "eferox": 0, "aspirin eferox": 0}
    assert store.phrase_frequencies([]) == {}


def test_ingesting_the_same_file_twice_adds_nothing(store: AnyStore, settings: Settings) -> None:
    first = ingest_paths(store, [DATASETS / "medquad.jsonl"], settings.chunk, progress=False)
    before = store.stats()
    second = ingest_paths(store, [DATASETS / "medquad.jsonl"], settings.chunk, progress=False)
    after = store.stats()
    assert first.added > 0 and second.added == 0 and second.unchanged == first.added
    assert (before.documents, before.passages) == (after.documents, after.passages)


def test_changed_document_is_replaced_with_its_fts_rows(
    store: AnyStore, settings: Settings
) -> None:
    report = IngestReport()
    ingest_items(store, [_doc("t:1", "Aspirin reduces stroke.")], settings.chunk, report)
    ingest_items(store, [_doc("t:1", "Warfarin prevents embolism.")], settings.chunk, report)
    assert (report.added, report.replaced) == (1, 1)
    assert _fts_count(store, "aspirin") == 0
    assert _fts_count(store, "warfarin") == 1
    assert [p.text for p in store.passages_of("t:1")] == ["Warfarin prevents embolism."]


def test_a_crash_mid_batch_leaves_no_partial_document(store: AnyStore, settings: Settings) -> None:
    def items() -> Iterator[SourceDocument]:
        yield _doc("t:1")
        yield _doc("t:2")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        ingest_items(store, items(), settings.chunk, IngestReport())
    ingest_items(store, [_doc("t:3")], settings.chunk, IngestReport())
    stats = store.stats()
    assert stats.documents == 1 and store.passages_of("t:3")
    assert store.documents(["t:1", "t:2"]) == {}


def test_kill_during_ingest_leaves_only_whole_documents(tmp_path: Path) -> None:
    db = tmp_path / "killed.sqlite"
    source = DATA_DIR / "corpus" / "medquad_answers.jsonl.gz"
    code = (
        "from pathlib import Path; from medcite.settings import Settings;"
        "from medcite.store.sqlite import open_store;"
        "from medcite.ingest.pipeline import ingest_paths;"
        f"s=open_store(Path({str(db)!r}));"
        f"ingest_paths(s, [Path({str(source)!r})], Settings().chunk, fmt='medquad', progress=False)"
    )
    process = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until some batches are committed
        time.sleep(0.2)
        if db.exists() and _count(db, "documents") >= 512:
            break
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    total = _count(db, "documents")
    assert 0 < total < 16_423
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT d.id, count(p.key), max(p.ordinal) FROM documents d"
            " LEFT JOIN passages p ON p.doc_id = d.id GROUP BY d.id"
        ).fetchall()
        conn.execute("INSERT INTO passage_fts(passage_fts, rank) VALUES('integrity-check', 1)")
    assert all(count > 0 and count == top + 1 for _, count, top in rows)
    with open_store(db) as reopened:  # and ingest resumes where it stopped
        report = ingest_paths(reopened, [source], Settings().chunk, fmt="medquad", progress=False)
        assert report.unchanged == total and reopened.stats().documents == 16_423


def _count(db: Path, table: str) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_malformed_records_are_reported_and_skipped(
    store: AnyStore, settings: Settings, tmp_path: Path
) -> None:
    bad = tmp_path / "mixed.jsonl"
    lines = (DATASETS / "scifact.jsonl").read_text().splitlines()
    bad.write_text("\n".join([lines[0], "{not json", json.dumps({"doc_id": 1}), lines[1]]) + "\n")
    report = ingest_paths(store, [bad], settings.chunk, fmt="scifact", progress=False)
    assert report.added == 2
    assert [(p.record, p.path) for p in report.problems] == [(2, str(bad)), (3, str(bad))]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.jsonl", b""),
        ("binary.jsonl", bytes(range(256)) * 10),
        ("truncated.jsonl.gz", b"\x1f\x8b\x08\x00abc"),
    ],
)
def test_unreadable_files_do_not_crash(
    store: AnyStore, settings: Settings, tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    report = ingest_paths(store, [path], settings.chunk, fmt="jsonl", progress=False)
    assert report.added == 0
    assert store.stats().documents == 0


def test_vectors_round_trip_through_int8(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(5, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    codes, scale = quantise(vectors[0])
    restored = dequantise(codes[None, :], np.array([scale], dtype=np.float32))[0]
    assert float(restored @ vectors[0]) > 0.999
    path = tmp_path / "cache.npz"
    save_cache(path, "m", [f"k{i}" for i in range(5)], vectors)
    loaded = load_cache(path, "m")
    assert set(loaded) == {f"k{i}" for i in range(5)}
    assert float(loaded["k3"] @ vectors[3]) > 0.999
    assert load_cache(path, "other-model") == {}


def test_wal_mode_and_schema(tmp_path: Path) -> None:
    with open_store(tmp_path / "index.sqlite") as store:
        with sqlite3.connect(store.path) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            version = conn.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
        assert store.get_meta("schema_version") == "1"
    assert version == (HEAD,)
