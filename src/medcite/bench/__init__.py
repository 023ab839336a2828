"""Benchmarks behind ``make bench`` and what they share: the configuration, the corpus (or a
slice of it) and queries they run on, latency summaries and printing.

Each benchmark module exposes ``run(config) -> dict`` and prints its figures as it goes; the
runner (``python -m medcite.bench [SECTION ...]``) writes each section's figures to
``<out_dir>/<section>.json``. Benchmarks report numbers and ratios, never pass or fail.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import cycle, islice
from pathlib import Path

import numpy as np

from medcite.corpus import demo_paths
from medcite.eval.retrieval import read_queries
from medcite.index.build import embed_missing
from medcite.index.embeddings import Embedder
from medcite.ingest.base import ReadOptions
from medcite.ingest.pipeline import IngestReport, ingest_items, ingest_paths
from medcite.ingest.registry import detect_reader
from medcite.retrieve.vocabulary import load_vocabularies
from medcite.settings import DATA_DIR, Settings
from medcite.store.base import EvidenceStore
from medcite.store.sqlite import SQLiteStore

SCIFACT_CLAIMS = (
    Path(__file__).resolve().parents[3].parent / "shared/data/scifact/claims_train.jsonl"
)
"""Query source when present (the lab's shared data); otherwise queries come from corpus titles."""

QUICK_FORMATS = ("ngc", "uspstf", "pubmedqa")


@dataclass(frozen=True)
class BenchConfig:
    """What a benchmark run uses. ``corpus=None`` means the shipped demo corpus, built with
    :func:`medcite.corpus.build_demo` exactly as ``make demo`` does."""

    settings: Settings = field(default_factory=Settings)
    out_dir: Path = Path("var/bench")
    corpus: tuple[tuple[Path, str], ...] | None = None
    max_docs: int | None = None  # per corpus file; None = every document
    vocab_dir: Path | None = DATA_DIR / "vocab"  # None = no synonym vocabulary
    embed_sample: int = 512
    queries: int = 200
    queries_file: Path | None = SCIFACT_CLAIMS  # missing file = queries from titles
    k: int = 10
    progress: bool = False

    @property
    def demo(self) -> bool:
        return self.corpus is None

    @property
    def files(self) -> tuple[tuple[Path, str], ...]:
        return tuple(demo_paths()) if self.corpus is None else self.corpus

    @property
    def corpus_bytes(self) -> int:
        """Size of the corpus files as shipped (compressed)."""
        total = 0
        for path, _ in self.files:
            found = path.rglob("*") if path.is_dir() else [path]
            total += sum(p.stat().st_size for p in found if p.is_file())
        return total

    def to_dict(self) -> dict[str, object]:
        return {
            "demo": self.demo,
            "files": [f"{path.name} ({fmt})" for path, fmt in self.files],
            "max_docs_per_file": self.max_docs,
            "embed_sample": self.embed_sample,
            "queries": self.queries,
            "k": self.k,
            "model": self.settings.embedding.model,
            "cores": cores(),
            "python": platform.python_version(),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
        }

    def describe(self) -> str:
        scope = "shipped demo corpus" if self.demo else f"{len(self.files)} file(s)"
        if self.max_docs is not None:
            scope += f", at most {self.max_docs} documents each"
        return f"{scope}; {self.queries} queries; {cores()} core(s)"

    @classmethod
    def quick(cls, settings: Settings | None = None) -> BenchConfig:
        """A few minutes' run on a small slice of the demo corpus, for development (change
        fields with :func:`dataclasses.replace`)."""
        files = tuple((p, fmt) for p, fmt in demo_paths() if fmt in QUICK_FORMATS)
        return cls(settings or Settings(), corpus=files, max_docs=15, embed_sample=128, queries=50)


def ingest_files(store: EvidenceStore, config: BenchConfig) -> IngestReport:
    """Ingest ``config.files`` (at most ``config.max_docs`` documents of each) without vectors."""
    report = IngestReport()
    for path, fmt in config.files:
        if config.max_docs is None:
            part = ingest_paths(
                store, [path], config.settings.chunk, fmt=fmt, progress=config.progress
            )
            report.merge(part)
            report.problems.extend(part.problems)
            continue
        _, reader = detect_reader(path, fmt)
        found = path.rglob("[!.]*") if path.is_dir() else [path]  # as ingest_paths walks folders
        for file in sorted(p for p in found if p.is_file()):
            report.files += 1
            items = islice(reader(file, ReadOptions()), config.max_docs)
            ingest_items(store, items, config.settings.chunk, report, str(file))
    return report


def load_queries(store: SQLiteStore, config: BenchConfig) -> tuple[list[str], str]:
    """SciFact claims when the shared file is there, else document titles (MedQuAD's first; they
    are questions), cycled to the wanted count; always in the same order."""
    if config.queries_file is not None and config.queries_file.exists():
        claims = [text for _, text in read_queries(config.queries_file)]
        return claims[: config.queries], f"SciFact claims ({config.queries_file.name})"
    with closing(sqlite3.connect(store.path)) as db:
        rows = db.execute("SELECT title FROM documents ORDER BY source != 'medquad', id")
        titles = list(dict.fromkeys(str(row[0]) for row in rows if str(row[0]).strip()))
    return list(islice(cycle(titles), config.queries)) if titles else [], "document titles"


def build_slice(
    store: SQLiteStore, embedder: Embedder, config: BenchConfig
) -> tuple[dict[str, float], int, int]:
    """The stages of :func:`medcite.corpus.build_demo` over ``config.files``: seconds per stage,
    vectors taken from caches, vectors embedded."""
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    ingest_files(store, config)
    seconds["ingest"] = time.perf_counter() - start
    start = time.perf_counter()
    if config.vocab_dir is not None:
        load_vocabularies(store, config.vocab_dir, progress=config.progress)
    seconds["vocabulary"] = time.perf_counter() - start
    start = time.perf_counter()
    settings = config.settings.embedding
    cached, embedded = embed_missing(store, embedder, settings, progress=config.progress)
    seconds["vectors"] = time.perf_counter() - start
    store.checkpoint()
    return seconds, cached, embedded


def passage_texts(path: Path) -> tuple[list[int], list[str]]:
    """(passage key, title + newline + text) of every passage, in key order."""
    with closing(sqlite3.connect(path)) as db:
        rows = db.execute(
            "SELECT p.key, d.title || char(10) || p.text FROM passages p"
            " JOIN documents d ON d.id = p.doc_id ORDER BY p.key"
        ).fetchall()
    return [int(row[0]) for row in rows], [str(row[1]) for row in rows]


def storage_bytes(path: Path) -> dict[str, int]:
    """Bytes of the index file per part (SQLite's dbstat table; empty where it is missing)."""
    parts = {"documents_passages": 0, "fts": 0, "vectors": 0, "vocabulary": 0}
    with closing(sqlite3.connect(path)) as db:
        try:
            rows = db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
        except sqlite3.OperationalError:
            return {}
    for name, size in rows:
        part = next((p for p in ("fts", "vector", "vocabulary") if p in name), None)
        parts["vectors" if part == "vector" else part or "documents_passages"] += int(size)
    return parts


def cores() -> int:
    """CPU cores this process may use (the goals are stated for 2)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def latency(samples_ms: Sequence[float]) -> dict[str, float]:
    """p50 / p95 / mean of per-query latencies, in milliseconds."""
    values = np.asarray(samples_ms, dtype=np.float64)
    if not len(values):
        return {"p50_ms": 0.0, "p95_ms": 0.0, "mean_ms": 0.0}
    return {
        "p50_ms": round(float(np.percentile(values, 50)), 3),
        "p95_ms": round(float(np.percentile(values, 95)), 3),
        "mean_ms": round(float(values.mean()), 3),
    }


def ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 3) if denominator > 0 else 0.0


def per_second(count: int, seconds: float) -> float:
    return round(count / seconds, 2) if seconds > 0 else 0.0


def header(title: str) -> None:
    print(f"\n-- {title} --", flush=True)


def show(label: str, value: object, unit: str = "") -> None:
    text = str(value)
    if isinstance(value, float):
        text = f"{value:,.2f}"
    elif isinstance(value, int) and not isinstance(value, bool):
        text = f"{value:,}"
    print(f"  {label:<34} {text} {unit}".rstrip(), flush=True)


def show_latency(label: str, figures: dict[str, float]) -> None:
    show(
        label,
        f"p50 {figures['p50_ms']:8.2f}  p95 {figures['p95_ms']:8.2f}  "
        f"mean {figures['mean_ms']:8.2f}",
        "ms",
    )


__all__ = [
    "SCIFACT_CLAIMS",
    "BenchConfig",
    "build_slice",
    "cores",
    "header",
    "ingest_files",
    "latency",
    "load_queries",
    "passage_texts",
    "per_second",
    "ratio",
    "show",
    "show_latency",
    "storage_bytes",
]
