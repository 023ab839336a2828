"""The embedding paths side by side: MiniLM (the default) and the static fast paths
(``minilm-static-retrieval``: table for passages and questions; ``minilm-static-asym``: table for
passages, MiniLM for questions). Passages embedded per second on the same sample of passages, the
ratios, and — when the lab's shared SciFact files are there — SciFact nDCG@10 of hybrid and dense
retrieval with each path (``medcite eval retrieval``; skipped cleanly otherwise).

The goals (on 2 cores: the fast path embeds >= 1,000 passages/s, and its hybrid nDCG@10 is within
0.02 of MiniLM's) are printed next to the figures; nothing passes or fails.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import Any

from medcite.bench import BenchConfig, cores, header, ingest_files, per_second, ratio, show
from medcite.index.embeddings import PACKAGED_MODEL, Embedder, get_embedder
from medcite.index.static import ASYM_MODEL, RETRIEVAL_MODEL
from medcite.retrieve.hybrid import Mode
from medcite.settings import Settings
from medcite.store.sqlite import open_store

FAST_PATHS = (RETRIEVAL_MODEL, ASYM_MODEL)
PATHS = (PACKAGED_MODEL, *FAST_PATHS)
FAST_GOAL_PER_S = 1000.0
NDCG_TOLERANCE = 0.02
SCIFACT = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "scifact"
FAST_SAMPLE_FACTOR = 20
"""The fast path embeds this many times the MiniLM sample (well-timed, still seconds)."""

Figures = dict[str, Any]


def run(config: BenchConfig) -> Figures:
    print(f"== Embedding paths: {config.describe()} ==", flush=True)
    figures: Figures = {"config": config.to_dict(), "threads": _threads(config.settings)}
    texts = _sample(config)
    speed: Figures = {}
    for model in PATHS:
        size = config.embed_sample * (FAST_SAMPLE_FACTOR if model in FAST_PATHS else 1)
        speed[model] = bench_speed(_embedder(config.settings, model), texts[:size])
    for model in FAST_PATHS:
        speed[f"{model}/ratio"] = ratio(
            speed[model]["passages_per_s"], speed[PACKAGED_MODEL]["passages_per_s"]
        )
        show(f"{model} / MiniLM", speed[f"{model}/ratio"], "x")
    figures["speed"] = speed
    figures["scifact"] = bench_scifact(config)
    figures["goals"] = goals(figures)
    return figures


def _threads(settings: Settings) -> int:
    return settings.embedding.threads or min(2, cores())


def _embedder(settings: Settings, model: str) -> Embedder:
    embedding = settings.embedding.model_copy(
        update={"model": model, "threads": _threads(settings)}
    )
    return get_embedder(embedding)


def _sample(config: BenchConfig) -> list[str]:
    """Passage texts (title + text, as they are embedded) of the configured corpus, enough for
    the fast path's sample."""
    wanted = config.embed_sample * FAST_SAMPLE_FACTOR
    with (
        tempfile.TemporaryDirectory(prefix="medcite-bench-") as tmp,
        open_store(Path(tmp) / "sample.sqlite") as store,
    ):
        ingest_files(store, replace(config, max_docs=config.max_docs or 2000))
        return [text for _, text in islice(store.missing_vectors("none"), wanted)]


def bench_speed(embedder: Embedder, texts: list[str]) -> Figures:
    header(f"Embedding ({embedder.name})")
    start = time.perf_counter()
    embedder.embed(["warm-up"])
    load = time.perf_counter() - start
    start = time.perf_counter()
    for at in range(0, len(texts), 512):  # as the index build does
        embedder.embed(texts[at : at + 512])
    seconds = time.perf_counter() - start
    figures: Figures = {
        "model": embedder.name,
        "dim": embedder.dim,
        "passages": len(texts),
        "model_load_seconds": round(load, 3),
        "seconds": round(seconds, 3),
        "passages_per_s": per_second(len(texts), seconds),
    }
    show("model load (first call)", figures["model_load_seconds"], "s")
    show(f"{len(texts)} passages", figures["seconds"], "s")
    show("passages/s", figures["passages_per_s"])
    return figures


def bench_scifact(config: BenchConfig) -> Figures:
    """nDCG@10 of each path, hybrid and dense, on the SciFact train claims."""
    header("SciFact nDCG@10 (train claims, cited abstracts)")
    files = {
        "corpus": SCIFACT / "corpus.jsonl.gz",
        "queries": SCIFACT / "claims_train.jsonl",
        "qrels": SCIFACT / "qrels_train_cited.tsv",
    }
    if not all(path.exists() for path in files.values()):
        reason = f"no SciFact files under {SCIFACT}"
        print(f"  skipped: {reason}", flush=True)
        return {"skipped": True, "reason": reason}
    from medcite.eval.retrieval import evaluate_retrieval

    out: Figures = {}
    for model in PATHS:
        settings = config.settings.model_copy(
            update={"embedding": config.settings.embedding.model_copy(update={"model": model})}
        )
        embedder = _embedder(config.settings, model)
        for mode in (Mode.HYBRID, Mode.DENSE):
            start = time.perf_counter()
            report = evaluate_retrieval(
                files["corpus"],
                files["queries"],
                files["qrels"],
                settings,
                mode=mode,
                embedder=embedder,
                progress=config.progress,
            )
            score = report.to_dict()["ndcg@10"]
            out[f"{model}/{mode.value}"] = score
            show(f"{model} {mode.value}", f"{score:.4f}", f"({time.perf_counter() - start:.0f} s)")
    return out


def goals(figures: Figures) -> Figures:
    header("Goals")
    out: Figures = {}
    scifact = figures["scifact"]
    for model in FAST_PATHS:
        fast = figures["speed"][model]["passages_per_s"]
        out[f"{model}/passages_per_s"] = {"goal": FAST_GOAL_PER_S, "measured": fast}
        show(f"{model} passages/s (goal >= 1,000)", fast)
        if not scifact.get("skipped"):
            gap = round(scifact[f"{PACKAGED_MODEL}/hybrid"] - scifact[f"{model}/hybrid"], 4)
            out[f"{model}/hybrid_ndcg_gap"] = {"goal": NDCG_TOLERANCE, "measured": gap}
            show(f"{model} hybrid nDCG@10 gap (goal <= 0.02)", f"{gap:.4f}")
    return out
