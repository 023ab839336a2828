"""One cell of the scale benchmark (:mod:`medcite.bench.scale`): one synthetic corpus size on one
backend, built (or reused) and measured in a process of its own.

The build writes as ingest and ``build-demo`` write: documents with their passages in
transactions of 256 documents, the shipped vocabularies, every vector in one ``put_vectors`` call
(as vectors from the cache are loaded), then ``checkpoint()``. Generating the synthetic text is
timed apart from the store's writes, which alone give the ingest rate.
"""

from __future__ import annotations

import json
import os
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import cycle, islice
from pathlib import Path
from typing import Any

from medcite.bench import header, latency, per_second, ratio, show, show_latency
from medcite.eval.citations import default_questions
from medcite.records import Document, Passage
from medcite.settings import DATA_DIR, Settings
from medcite.store.postgres import PostgresStore
from medcite.store.sqlite import SQLiteStore

BACKENDS = ("sqlite", "postgresql")
VERSION = "2"  # of the synthetic corpus: a built corpus of another version is built again
BUILT_KEY = "scale_corpus"  # store meta: the signature of the corpus it holds
BUILD_KEY = "scale_build"  # store meta: the build figures, reported again on reuse
INGEST_BATCH = 256  # documents per transaction, as ingest writes them
WARMUP = "Does regular aerobic exercise lower blood pressure in older adults?"  # not asked below

Figures = dict[str, Any]
Store = SQLiteStore | PostgresStore


@dataclass(frozen=True)
class Cell:
    """One (size, backend) measurement, handed to a child process."""

    size: int
    backend: str
    settings: Settings
    folder: Path  # built SQLite corpora, the seed's neighbour table
    queries: int
    answers: int
    k: int = 10
    rebuild: bool = False
    seed_docs: int | None = None
    path: Path | None = None  # SQLite
    server_url: str | None = None  # PostgreSQL: the server's maintenance database
    server_pid: int | None = None  # the local postmaster, for its memory
    progress: bool = False

    @property
    def database(self) -> str:
        return f"medcite_scale_{self.size}"

    @property
    def url(self) -> str:
        assert self.server_url is not None
        base, _, query = self.server_url.partition("?")
        return f"{base.rsplit('/', 1)[0]}/{self.database}" + (f"?{query}" if query else "")

    @property
    def signature(self) -> str:
        caches = ",".join(
            f"{p.name}:{p.stat().st_size if p.exists() else 0}"
            for p in self.settings.embedding.vector_cache
        )
        return (
            f"v{VERSION} size={self.size} seed_docs={self.seed_docs}"
            f" model={self.settings.embedding.model} caches={caches}"
        )


def measure(cell: Cell) -> Figures:
    """Build (or reuse) the cell's corpus and measure it; runs in the child process."""
    figures: Figures = {"size": cell.size, "backend": cell.backend}
    store = _open(cell)
    try:
        built = store.get_meta(BUILT_KEY)
        if built == cell.signature and not cell.rebuild:
            figures["build"] = {**json.loads(store.get_meta(BUILD_KEY) or "{}"), "reused": True}
            _show_build(figures["build"])
        else:
            store = _emptied(cell, store)
            figures["build"] = build(store, cell)
            store.set_meta(BUILD_KEY, json.dumps(figures["build"]))
            store.set_meta(BUILT_KEY, cell.signature)
        figures["peak_rss_build_mb"] = _peak_rss_mb()
        figures["size_on_disk"] = sizes(store, cell, figures["build"])
        figures.update(latencies(store, cell))
        figures["server"] = _server_figures(store, cell)
    finally:
        store.close()
    figures["peak_rss_mb"] = _peak_rss_mb()
    figures["rss_now_mb"] = _rss_now_mb(os.getpid())
    show("peak RSS (this process)", figures["peak_rss_mb"], "MB")
    show("RSS after the queries", figures["rss_now_mb"], "MB")
    if figures["server"].get("pss_mb") is not None:
        show("PostgreSQL server PSS", figures["server"]["pss_mb"], "MB")
    return figures


def build(store: Store, cell: Cell) -> Figures:
    """Generate and write the corpus as ingest would: documents and passages in transactions of
    256 documents, the vocabularies, every vector in one ``put_vectors`` (as the vector cache is
    loaded), then ``checkpoint()``."""
    import numpy as np

    from medcite.bench.synthetic import GenerationStats, generate, load_seed
    from medcite.retrieve.vocabulary import load_vocabularies

    settings = cell.settings
    seed = load_seed(settings, cell.folder, max_docs=cell.seed_docs)
    stats = GenerationStats()
    keys: list[str] = []
    vectors = np.empty((cell.size, seed.dimension), dtype=np.float16)
    writing = 0.0
    start = time.perf_counter()
    batch: list[tuple[Document, list[Passage]]] = []
    with _bar(cell, "ingest") as tick:
        for synthetic in generate(seed, cell.size, stats):
            vectors[len(keys) : len(keys) + len(synthetic.text_keys)] = synthetic.vectors
            keys.extend(synthetic.text_keys)
            batch.append((synthetic.document, synthetic.passages))
            if len(batch) >= INGEST_BATCH or stats.passages >= cell.size:
                mark = time.perf_counter()
                store.add_documents(batch)
                writing += time.perf_counter() - mark
                tick(sum(len(p) for _, p in batch))
                batch = []
    total = time.perf_counter() - start
    mark = time.perf_counter()
    load_vocabularies(store, DATA_DIR / "vocab", progress=False)
    vocabulary = time.perf_counter() - mark
    hnsw = _HnswClock(store)
    mark = time.perf_counter()
    rows = ((key, vectors[i].astype(np.float32)) for i, key in enumerate(keys))
    store.put_vectors(settings.embedding.model, rows)
    vector_load = time.perf_counter() - mark - hnsw.seconds
    mark = time.perf_counter()
    store.checkpoint()
    checkpoint = time.perf_counter() - mark
    figures: Figures = {
        "reused": False,
        "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "documents": stats.documents,
        "passages": stats.passages,
        "seed_documents": len(seed.documents),
        "seed_passages": seed.passages,
        "seed_seconds": round(seed.seconds, 3),
        "regenerated_duplicates": stats.retries,
        "title_bytes": stats.title_bytes,
        "dimension": seed.dimension,
        "model": settings.embedding.model,
        "generate_seconds": round(total - writing, 3),
        "ingest_seconds": round(writing, 3),
        "ingest_passages_per_s": per_second(stats.passages, writing),
        "vocabulary_seconds": round(vocabulary, 3),
        "vector_load_seconds": round(vector_load, 3),
        "vectors_per_s": per_second(len(keys), vector_load),
        "hnsw_build_seconds": round(hnsw.seconds, 3) if cell.backend == "postgresql" else None,
        "checkpoint_seconds": round(checkpoint, 3),
        "index_build_seconds": round(checkpoint + hnsw.seconds, 3),
    }
    _show_build(figures)
    return figures


def _show_build(figures: Figures) -> None:
    if not figures.get("passages"):
        return
    reused = f" (reused: built {figures['built']})" if figures.get("reused") else ""
    show("documents / passages", f"{figures['documents']:,} / {figures['passages']:,}{reused}")
    show("generate text and vectors", figures["generate_seconds"], "s (not part of ingest)")
    show(
        "ingest",
        figures["ingest_seconds"],
        f"s ({figures['ingest_passages_per_s']:,.0f} passages/s)",
    )
    show("vocabulary load", figures["vocabulary_seconds"], "s")
    show("vector load", figures["vector_load_seconds"], f"s ({figures['vectors_per_s']:,.0f}/s)")
    if figures.get("hnsw_build_seconds") is not None:
        show("  HNSW index build", figures["hnsw_build_seconds"], "s")
    show("checkpoint (FTS optimise / VACUUM)", figures["checkpoint_seconds"], "s")
    show("index build (checkpoint + HNSW)", figures["index_build_seconds"], "s")


class _HnswClock:
    """Times the PostgreSQL store's HNSW index creation (it runs inside ``put_vectors`` after the
    rows are written) by wrapping that step on this store object only."""

    def __init__(self, store: Store) -> None:
        self.seconds = 0.0
        step: Callable[..., None] | None = getattr(store, "_ensure_vector_index", None)
        if isinstance(store, PostgresStore) and step is not None:

            def timed(*args: Any) -> None:
                start = time.perf_counter()
                step(*args)
                self.seconds += time.perf_counter() - start

            setattr(store, "_ensure_vector_index", timed)  # noqa: B010 - instance only


def sizes(store: Store, cell: Cell, build_figures: Figures) -> Figures:
    """Index bytes on disk against the raw text (passages and titles, UTF-8) plus the raw
    vectors (float32); the vocabulary is a fixed cost, so the ratio is also given without it."""
    header("Size on disk")
    stats = store.stats()
    parts = _parts(store)
    dimension = int(build_figures.get("dimension") or 0)
    text = stats.text_bytes + int(build_figures.get("title_bytes") or 0)
    raw_vectors = stats.vectors * dimension * 4
    figures: Figures = {
        "documents": stats.documents,
        "passages": stats.passages,
        "vectors": stats.vectors,
        "index_bytes": stats.file_bytes,
        "raw_text_bytes": text,
        "raw_vector_bytes": raw_vectors,
        "bytes_by_part": parts,
        "index_to_raw_ratio": ratio(stats.file_bytes, text + raw_vectors),
        "index_without_vocabulary_to_raw_ratio": ratio(
            stats.file_bytes - parts.get("vocabulary", 0), text + raw_vectors
        ),
    }
    show(
        "documents / passages / vectors",
        f"{stats.documents:,} / {stats.passages:,} / {stats.vectors:,}",
    )
    show("index on disk", round(stats.file_bytes / 1e6, 1), "MB")
    show("raw text + raw vectors", f"{text / 1e6:,.1f} + {raw_vectors / 1e6:,.1f}", "MB")
    show("  index parts", ", ".join(f"{k} {v / 1e6:,.1f}" for k, v in parts.items()), "MB")
    show("index / raw", figures["index_to_raw_ratio"], "x")
    show("index without vocabulary / raw", figures["index_without_vocabulary_to_raw_ratio"], "x")
    return figures


def latencies(store: Store, cell: Cell) -> Figures:
    """Hybrid search over ``queries`` questions, then answers to the first ``answers``."""
    from medcite.answer.engine import Engine
    from medcite.index.embeddings import get_embedder
    from medcite.retrieve.hybrid import Retriever

    settings = cell.settings
    questions = default_questions()
    queries = list(islice(cycle(questions), cell.queries))
    header(f"Search latency: {len(queries)} clinical questions, hybrid, k={cell.k}")
    embedder = get_embedder(settings.embedding)
    start = time.perf_counter()
    embedder.embed([WARMUP])
    model_load = time.perf_counter() - start
    retriever = Retriever(store, settings, embedder)
    start = time.perf_counter()
    retriever.search(WARMUP, k=cell.k)  # SQLite: loads the vector matrix
    first = time.perf_counter() - start
    samples: list[float] = []
    stages: dict[str, list[float]] = {}
    with_hits = 0
    for text in queries:
        start = time.perf_counter()
        result = retriever.search(text, k=cell.k)
        samples.append((time.perf_counter() - start) * 1000)
        with_hits += bool(result.hits)
        for stage, ms in result.timings_ms.items():
            stages.setdefault(stage, []).append(ms)
    search: Figures = {
        **latency(samples),
        "queries": len(queries),
        "queries_with_hits": with_hits,
        "stage_p50_ms": {stage: latency(values)["p50_ms"] for stage, values in stages.items()},
        "model_load_seconds": round(model_load, 3),
        "first_query_seconds": round(first, 3),
    }
    show("model load", search["model_load_seconds"], "s")
    show("first query (vector matrix, caches)", search["first_query_seconds"], "s")
    show_latency("hybrid search", search)
    show("  stage p50", ", ".join(f"{k} {v:.1f}" for k, v in search["stage_p50_ms"].items()), "ms")
    asked = questions[: cell.answers]
    header(f"Answer latency: {len(asked)} clinical questions")
    engine = Engine(store, settings, embedder=embedder)
    start = time.perf_counter()
    engine.answer(WARMUP, save=False)  # the stance model
    answer_first = time.perf_counter() - start
    samples = []
    stages = {}
    for question in asked:
        start = time.perf_counter()
        answer = engine.answer(question, save=False)
        samples.append((time.perf_counter() - start) * 1000)
        for stage, ms in answer.timings_ms.items():
            stages.setdefault(stage, []).append(ms)
    answers: Figures = {
        **latency(samples),
        "questions": len(asked),
        "stage_p50_ms": {stage: latency(values)["p50_ms"] for stage, values in stages.items()},
        "first_answer_seconds": round(answer_first, 3),
    }
    show("first answer (stance model)", answers["first_answer_seconds"], "s")
    show_latency("answer", answers)
    show("  stage p50", ", ".join(f"{k} {v:.1f}" for k, v in answers["stage_p50_ms"].items()), "ms")
    return {"search": search, "answer": answers}


def _open(cell: Cell) -> Store:
    if cell.backend == "sqlite":
        from medcite.store.sqlite import open_store

        assert cell.path is not None
        return open_store(cell.path)
    import psycopg

    from medcite.store.postgres import open_postgres

    assert cell.server_url is not None
    with psycopg.connect(cell.server_url, autocommit=True) as db:
        found = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", (cell.database,))
        if found.fetchone() is None:
            db.execute(f"CREATE DATABASE {cell.database}")
    return open_postgres(cell.url, pool_size=2)


def _emptied(cell: Cell, store: Store) -> Store:
    """The cell's store, emptied: the SQLite file removed, the database made again."""
    store.close()
    if cell.backend == "sqlite":
        assert cell.path is not None
        for suffix in ("", "-wal", "-shm"):
            Path(f"{cell.path}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        assert cell.server_url is not None
        with psycopg.connect(cell.server_url, autocommit=True) as db:
            db.execute(f"DROP DATABASE IF EXISTS {cell.database} WITH (FORCE)")
    return _open(cell)


def _parts(store: Store) -> dict[str, int]:
    """Bytes per part of the index: documents and passages, full text, vectors, vocabulary."""
    found = {"documents_passages": 0, "full_text": 0, "vectors": 0, "vocabulary": 0, "other": 0}
    if isinstance(store, SQLiteStore):
        import sqlite3
        from contextlib import closing

        with closing(sqlite3.connect(store.path)) as db:
            try:
                rows = db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
            except sqlite3.OperationalError:
                return {}
    else:
        import psycopg

        with psycopg.connect(store.url) as db:
            rows = db.execute(
                "SELECT c.relname, pg_table_size(c.oid) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 'm')"
            ).fetchall()
    for name, size in rows:
        found[_part(str(name))] += int(size or 0)
    return found


def _part(name: str) -> str:
    for part, marks in (
        ("full_text", ("fts", "tsv", "lexeme", "corpus_stats")),
        ("vectors", ("vector",)),
        ("vocabulary", ("vocabulary", "glossary")),
        ("documents_passages", ("passage", "document")),
    ):
        if any(mark in name for mark in marks):
            return part
    return "other"


def _server_figures(store: Store, cell: Cell) -> Figures:
    if not isinstance(store, PostgresStore):
        return {}
    import psycopg

    names = ("shared_buffers", "work_mem", "maintenance_work_mem", "max_parallel_workers")
    with psycopg.connect(store.url) as db:
        settings = {n: str(db.execute(f"SHOW {n}").fetchone()[0]) for n in names}  # type: ignore[index]
    pss = None if cell.server_pid is None else _tree_pss_mb(cell.server_pid)
    return {"settings": settings, "pss_mb": pss}


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _rss_now_mb(pid: int) -> float | None:
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 1e6, 1)


def _tree_pss_mb(root: int) -> float | None:
    """Proportional set size of a process and its children (shared memory counted once)."""
    pids = [root]
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit():
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == root:
                    pids.append(int(entry.name))
        except (OSError, ValueError, IndexError):  # a process that just ended
            continue
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
        except (OSError, ValueError):
            continue
    return round(total / 1e6, 1)


@contextmanager
def _bar(cell: Cell, label: str) -> Iterator[Callable[[int], None]]:
    from tqdm import tqdm

    with tqdm(total=cell.size, desc=label, unit="passage", disable=not cell.progress) as bar:

        def tick(count: int) -> None:
            bar.update(count)

        yield tick


__all__ = ["BACKENDS", "Cell", "Figures", "build", "latencies", "measure", "sizes"]
