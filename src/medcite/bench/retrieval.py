"""Retrieval speed: ingest and embedding throughput, the demo index build, search latency per
mode, and MedCite's BM25 against the ``bm25s`` library over the same passages.

Figures only. The goals (on 2 cores: demo index built in <= 5 minutes, hybrid search p50 <=
50 ms) are printed next to the measured values; nothing here passes or fails.
"""

from __future__ import annotations

import tempfile
import time
from contextlib import ExitStack
from itertools import islice
from pathlib import Path
from typing import Any

from medcite.bench import (
    BenchConfig,
    build_slice,
    cores,
    header,
    ingest_files,
    latency,
    load_queries,
    passage_texts,
    per_second,
    ratio,
    show,
    show_latency,
    storage_bytes,
)
from medcite.corpus import build_demo
from medcite.index.embeddings import Embedder, get_embedder
from medcite.retrieve.hybrid import Mode, Retriever
from medcite.retrieve.query import parse_query
from medcite.store.base import Filters
from medcite.store.sqlite import SQLiteStore, open_store

BUILD_GOAL_S = 300.0
HYBRID_P50_GOAL_MS = 50.0
WARMUP_QUERIES = 3
MODES = (Mode.BM25, Mode.DENSE, Mode.HYBRID)

Figures = dict[str, Any]


def run(config: BenchConfig) -> Figures:
    """Every retrieval figure, printed section by section and returned for the JSON file."""
    print(f"== Retrieval benchmark: {config.describe()} ==", flush=True)
    figures: Figures = {"config": config.to_dict()}
    with tempfile.TemporaryDirectory(prefix="medcite-bench-") as tmp, ExitStack() as stack:
        raw = stack.enter_context(open_store(Path(tmp) / "ingest.sqlite"))
        figures["ingest"] = bench_ingest(raw, config)
        embedder = get_embedder(config.settings.embedding)
        figures["embedding"] = bench_embedding(raw, embedder, config)
        built = stack.enter_context(open_store(Path(tmp) / "index.sqlite"))
        figures["build"] = bench_build(built, embedder, config)
        store = raw if figures["build"].get("skipped") else built
        queries, source = load_queries(store, config)
        figures["search"] = bench_search(store, embedder, queries, source, config)
        figures["bm25s"] = bench_bm25s(store, queries, figures["search"], config)
    figures["goals"] = goals(figures, config)
    return figures


def bench_ingest(store: SQLiteStore, config: BenchConfig) -> Figures:
    header("Ingest (no embeddings)")
    start = time.perf_counter()
    report = ingest_files(store, config)
    seconds = time.perf_counter() - start
    figures: Figures = {
        "files": report.files,
        "documents": report.documents,
        "passages": report.passages,
        "problems": len(report.problems),
        "seconds": round(seconds, 3),
        "documents_per_s": per_second(report.documents, seconds),
        "passages_per_s": per_second(report.passages, seconds),
    }
    show("documents / passages", f"{report.documents:,} / {report.passages:,} in {seconds:.2f} s")
    show("documents/s", figures["documents_per_s"])
    show("passages/s", figures["passages_per_s"])
    return figures


def bench_embedding(store: SQLiteStore, embedder: Embedder, config: BenchConfig) -> Figures:
    """A fixed sample (the first passages in text-key order, i.e. hash order) of title + text."""
    header(f"Embedding ({embedder.name})")
    sample = [text for _, text in islice(store.missing_vectors(embedder.name), config.embed_sample)]
    start = time.perf_counter()
    embedder.embed(["warm-up"])
    load = time.perf_counter() - start
    start = time.perf_counter()
    embedder.embed(sample)
    seconds = time.perf_counter() - start
    figures: Figures = {
        "model": embedder.name,
        "passages": len(sample),
        "model_load_seconds": round(load, 3),
        "seconds": round(seconds, 3),
        "passages_per_s": per_second(len(sample), seconds),
    }
    show("model load (first call)", figures["model_load_seconds"], "s")
    show(f"{len(sample)} passages", figures["seconds"], "s")
    show("passages/s", figures["passages_per_s"])
    return figures


def bench_build(store: SQLiteStore, embedder: Embedder, config: BenchConfig) -> Figures:
    header("Demo index build" if config.demo else "Index build (slice of the demo corpus)")
    caches = config.settings.embedding.vector_cache
    if config.demo and not (caches and Path(caches[0]).exists()):
        reason = (
            f"no vector cache at {caches[0] if caches else '(none configured)'}: building would "
            "embed every passage (~40 minutes on 2 cores); build the cache first "
            "(`medcite vectors build`). Search below runs on the ingest-only store "
            "(BM25 only, no vocabulary)."
        )
        print(f"  skipped: {reason}", flush=True)
        return {"skipped": True, "reason": reason}
    start = time.perf_counter()
    if config.demo:
        report = build_demo(store, config.settings, progress=config.progress)
        seconds, cached, embedded = report.seconds, report.vectors_cached, report.vectors_embedded
    else:
        seconds, cached, embedded = build_slice(store, embedder, config)
    total = time.perf_counter() - start
    stats = store.stats()
    parts = storage_bytes(store.path)
    figures: Figures = {
        "seconds": {**{k: round(v, 3) for k, v in seconds.items()}, "total": round(total, 3)},
        "documents": stats.documents,
        "passages": stats.passages,
        "vectors": stats.vectors,
        "vectors_from_cache": cached,
        "vectors_embedded": embedded,
        "vocabulary_terms": stats.vocabulary_terms,
        "file_bytes": stats.file_bytes,
        "text_bytes": stats.text_bytes,
        "bytes_by_part": parts,
        "corpus_file_bytes": None if config.max_docs else config.corpus_bytes,
        "index_to_text_ratio": ratio(stats.file_bytes, stats.text_bytes),
        "index_without_vocabulary_to_text_ratio": ratio(
            stats.file_bytes - parts.get("vocabulary", 0), stats.text_bytes
        ),
    }
    show("total", round(total, 2), "s")
    for stage, value in seconds.items():
        show(f"  {stage}", round(value, 2), "s")
    show("documents / passages", f"{stats.documents:,} / {stats.passages:,}")
    show("vectors", f"{stats.vectors:,} ({cached:,} from cache, {embedded:,} embedded)")
    sizes = f"{stats.file_bytes / 1e6:.1f} / {stats.text_bytes / 1e6:.1f}"
    show("index file / passage text", sizes, "MB")
    show("  index parts", ", ".join(f"{k} {v / 1e6:.1f}" for k, v in parts.items()), "MB")
    show("index / text", figures["index_to_text_ratio"], "x")
    show("index without vocabulary / text", figures["index_without_vocabulary_to_text_ratio"], "x")
    return figures


def bench_search(
    store: SQLiteStore, embedder: Embedder, queries: list[str], source: str, config: BenchConfig
) -> Figures:
    header(f"Search latency: {len(queries)} queries ({source}), k={config.k}")
    retriever = Retriever(store, config.settings, embedder)
    modes = MODES if store.stats().vectors else (Mode.BM25,)
    start = time.perf_counter()  # model load, vector matrix, SQLite page cache
    for mode in modes:
        for text in queries[:WARMUP_QUERIES]:
            retriever.search(text, k=config.k, mode=mode)
    figures: Figures = {
        "queries": len(queries),
        "source": source,
        "k": config.k,
        "warmup_seconds": round(time.perf_counter() - start, 3),
    }
    show("warm-up", figures["warmup_seconds"], "s")
    for mode in MODES:
        if mode not in modes:
            figures[mode.value] = {"skipped": "the store has no vectors"}
            show(mode.value, "skipped (no vectors)")
            continue
        samples: list[float] = []
        stages: dict[str, list[float]] = {}
        for text in queries:
            start = time.perf_counter()
            result = retriever.search(text, k=config.k, mode=mode)
            samples.append((time.perf_counter() - start) * 1000)
            for stage, ms in result.timings_ms.items():
                stages.setdefault(stage, []).append(ms)
        p50s = {stage: latency(values)["p50_ms"] for stage, values in stages.items()}
        figures[mode.value] = {**latency(samples), "stage_p50_ms": p50s}
        show_latency(mode.value, figures[mode.value])
        show("  stage p50", ", ".join(f"{k} {v:.2f}" for k, v in p50s.items()), "ms")
    return figures


def bench_bm25s(
    store: SQLiteStore, queries: list[str], search: Figures, config: BenchConfig
) -> Figures:
    """The same queries through bm25s over the same passages (title + text), one at a time and
    batched, and MedCite's FTS5 step alone; overlap@10 is a sanity check, not a quality score."""
    header("BM25: MedCite (SQLite FTS5) against bm25s")
    try:
        import bm25s
    except ImportError:
        reason = "bm25s is not installed: pip install bm25s PyStemmer (or pip install -e '.[dev]')"
        print(f"  skipped: {reason}", flush=True)
        return {"skipped": True, "reason": reason}
    try:
        import Stemmer

        stemmer: Any = Stemmer.Stemmer("english")
    except ImportError:
        stemmer = None
    keys, texts = passage_texts(store.path)
    start = time.perf_counter()
    index = bm25s.BM25()
    index.index(bm25s.tokenize(texts, stemmer=stemmer, show_progress=False), show_progress=False)
    build = time.perf_counter() - start
    k = min(config.k, len(keys))

    def tokens(batch: list[str]) -> Any:
        return bm25s.tokenize(batch, stemmer=stemmer, return_ids=False, show_progress=False)

    single: list[float] = []
    theirs: list[list[int]] = []
    for text in queries:
        start = time.perf_counter()
        docs, scores = index.retrieve(tokens([text]), k=k, show_progress=False)
        single.append((time.perf_counter() - start) * 1000)
        theirs.append([keys[i] for i, s in zip(docs[0], scores[0], strict=True) if s > 0])
    start = time.perf_counter()
    if queries:
        index.retrieve(tokens(queries), k=k, show_progress=False)
    batched = time.perf_counter() - start
    fts, ours = _fts5(store, queries, config)
    pairs = [(set(a), set(b)) for a, b in zip(ours, theirs, strict=True) if a or b]
    overlaps = [len(a & b) / max(len(a), len(b)) for a, b in pairs]
    figures: Figures = {
        "stemmer": "english (PyStemmer)" if stemmer is not None else "none",
        "passages": len(keys),
        "index_seconds": round(build, 3),
        "single": latency(single),
        "batched_seconds": round(batched, 4),
        "batched_queries_per_s": per_second(len(queries), batched),
        "medcite_fts5": latency(fts),
        "overlap_at_10": round(sum(overlaps) / len(overlaps), 3) if overlaps else 0.0,
    }
    theirs_p50 = figures["single"]["p50_ms"]
    figures["medcite_bm25_over_bm25s_p50"] = ratio(search["bm25"]["p50_ms"], theirs_p50)
    figures["medcite_fts5_over_bm25s_p50"] = ratio(figures["medcite_fts5"]["p50_ms"], theirs_p50)
    show("bm25s index build", figures["index_seconds"], f"s ({len(keys):,} passages)")
    show_latency("bm25s, one query at a time", figures["single"])
    show("bm25s, batched", figures["batched_queries_per_s"], "queries/s")
    show_latency("MedCite FTS5 step alone", figures["medcite_fts5"])
    show("MedCite BM25 p50 / bm25s p50", figures["medcite_bm25_over_bm25s_p50"], "x")
    show("MedCite FTS5 p50 / bm25s p50", figures["medcite_fts5_over_bm25s_p50"], "x")
    show("overlap@10 (shared fraction)", figures["overlap_at_10"])
    return figures


def goals(figures: Figures, config: BenchConfig) -> Figures:
    header(f"Goals (stated for 2 cores; measured on {cores()})")
    build_s = figures["build"].get("seconds", {}).get("total")
    hybrid = figures["search"].get("hybrid", {}).get("p50_ms")
    scope = "" if config.demo else " (a slice of the corpus, not the demo)"
    build_text = "not measured" if build_s is None else f"{build_s:.1f} s{scope}"
    hybrid_text = "not measured" if hybrid is None else f"{hybrid:.1f} ms"
    print(f"  demo build <= {BUILD_GOAL_S:.0f} s: {build_text}", flush=True)
    print(f"  hybrid p50 <= {HYBRID_P50_GOAL_MS:.0f} ms: {hybrid_text}", flush=True)
    return {
        "demo_build_goal_s": BUILD_GOAL_S,
        "demo_build_s": build_s,
        "demo_build_is_full_demo": config.demo,
        "hybrid_p50_goal_ms": HYBRID_P50_GOAL_MS,
        "hybrid_p50_ms": hybrid,
        "cores": cores(),
    }


# -- helpers -------------------------------------------------------------------------------------


def _fts5(
    store: SQLiteStore, queries: list[str], config: BenchConfig
) -> tuple[list[float], list[list[int]]]:
    """MedCite's BM25 step alone (query parsing with synonyms + FTS5), timed, with its top k."""
    settings = config.settings.retrieval
    weights = (settings.title_weight, settings.section_weight, settings.text_weight)
    samples: list[float] = []
    tops: list[list[int]] = []  # passage keys, best first
    for text in queries:
        start = time.perf_counter()
        hits = store.bm25(parse_query(text, settings, store).match, Filters(), config.k, weights)
        samples.append((time.perf_counter() - start) * 1000)
        tops.append([key for key, _ in hits])
    return samples, tops
