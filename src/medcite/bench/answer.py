"""Answer latency: p50/p95 over 100 questions in a warm process, and peak memory.

Uses the demo index at ``var/medcite.sqlite`` when ``make demo`` built it, else builds the
benchmark's corpus (the demo corpus, or the quick slice) into a temporary store."""

from __future__ import annotations

import json
import resource
import sqlite3
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

from medcite.answer.engine import Engine
from medcite.answer.model import Audience, Verdict
from medcite.bench import BenchConfig, build_slice, header, latency, show, show_latency
from medcite.corpus import BUILT_KEY
from medcite.eval.citations import default_questions
from medcite.index.embeddings import get_embedder
from medcite.records import Document
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore, open_store

DEMO_INDEX = Path("var/medcite.sqlite")
QUESTIONS = 100


def run(config: BenchConfig) -> dict[str, Any]:
    header("Answer latency (warm process)")
    with tempfile.TemporaryDirectory(prefix="medcite-bench-") as tmp:
        store, where = _index(config, Path(tmp))
        with store:
            figures = _measure(store, config)
    figures["index"] = where
    return figures


def _index(config: BenchConfig, tmp: Path) -> tuple[SQLiteStore, str]:
    if config.demo and DEMO_INDEX.exists():
        store = open_store(DEMO_INDEX, read_only=True)
        if store.get_meta(BUILT_KEY):
            return store, str(DEMO_INDEX)
        store.close()
    store = open_store(tmp / "answer.sqlite")
    build_slice(store, get_embedder(config.settings.embedding), config)
    return store, "temporary build of the benchmark corpus"


def questions(store: SQLiteStore, count: int) -> list[str]:
    """The 50 shipped clinical questions, then question-shaped titles of the corpus."""
    found = default_questions()
    with closing(sqlite3.connect(store.path)) as db:
        rows = db.execute(
            "SELECT record FROM documents WHERE source IN ('pubmedqa', 'medquad')"
            " ORDER BY source, id"
        ).fetchall()
    titles = [Document.from_dict(json.loads(r[0])).title for r in rows]
    found += [t.split(": ", 1)[-1].replace(" ?", "?") for t in titles if t.endswith("?")]
    return list(dict.fromkeys(found))[:count]


def _measure(store: SQLiteStore, config: BenchConfig) -> dict[str, Any]:
    """With the reader (the product) and without it (the engine before it), in one run, so
    the ratio compares like with like."""
    asked = questions(store, QUESTIONS)
    without = config.settings.with_answer(reader=False)
    unjudged = config.settings.with_answer(judge=False)
    header("without the reader (word and vector overlap, stance model)")
    before = _measure_one(store, without, asked)
    header("with the reader, without the judge")
    read = _measure_one(store, unjudged, asked)
    header("with the reader and the judge (the product)")
    figures = _measure_one(store, config.settings, asked)
    figures["without_reader"] = before
    figures["without_judge"] = read
    p50, base = figures["latency_ms"]["p50_ms"], before["latency_ms"]["p50_ms"]
    figures["p50_ratio_to_without_reader"] = round(p50 / base, 2) if base else None
    unjudged_p50 = read["latency_ms"]["p50_ms"]
    figures["p50_ratio_to_without_judge"] = round(p50 / unjudged_p50, 2) if unjudged_p50 else None
    header("Goals (2 cores, with the reader and the judge)")
    show("answer p50 <= 300 ms", round(p50, 1), "ms")
    show("answer p95 <= 1000 ms", round(figures["latency_ms"]["p95_ms"], 1), "ms")
    show("p50 with / without the reader", figures["p50_ratio_to_without_reader"], "x")
    show("p50 with / without the judge", figures["p50_ratio_to_without_judge"], "x")
    return figures


def _measure_one(store: SQLiteStore, settings: Settings, asked: list[str]) -> dict[str, Any]:
    engine = Engine(store, settings)
    engine.answer(asked[0], save=False)  # warm up: model, vector matrix, stance model
    samples: list[float] = []
    stages: dict[str, list[float]] = {}
    verdicts: dict[str, int] = {}
    for index, question in enumerate(asked):
        audience = list(Audience)[index % 3]
        start = time.perf_counter()
        answer = engine.answer(question, audience, save=False)
        samples.append((time.perf_counter() - start) * 1000)
        for stage, ms in answer.timings_ms.items():
            stages.setdefault(stage, []).append(ms)
        verdict = answer.bottom_line.verdict
        name = verdict.value if isinstance(verdict, Verdict) else "none"
        verdicts[name] = verdicts.get(name, 0) + 1
    total = latency(samples)
    show("questions", len(asked))
    show_latency("answer", total)
    for stage, values in sorted(stages.items()):
        show_latency(f"  stage {stage}", latency(values))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    show("peak memory", round(peak_mb, 1), "MB")
    show("verdicts", verdicts)
    return {
        "questions": len(asked),
        "latency_ms": total,
        "stages_ms": {stage: latency(values) for stage, values in sorted(stages.items())},
        "peak_memory_mb": round(peak_mb, 1),
        "verdicts": verdicts,
    }
