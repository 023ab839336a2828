"""The demo corpus shipped in ``data/`` and building the demo index from it (once)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from medcite.index.build import embed_missing
from medcite.index.embeddings import get_embedder
from medcite.ingest.pipeline import IngestReport, ingest_paths
from medcite.retrieve.vocabulary import load_vocabularies
from medcite.settings import DATA_DIR, Settings
from medcite.store.sqlite import SQLiteStore

# (path under data/corpus, format) — the format is explicit so detection never guesses wrong.
DEMO_FILES: tuple[tuple[str, str], ...] = (
    ("ngc_guidelines.jsonl.gz", "ngc"),
    ("uspstf_recommendations.json.gz", "uspstf"),
    ("medquad_answers.jsonl.gz", "medquad"),
    ("pubmedqa_pqal_trainval.json.gz", "pubmedqa"),
    ("scifact_corpus.jsonl.gz", "scifact"),
    ("evidence_inference_open.jsonl.gz", "evidence-inference"),
    ("ncbi_disease.jsonl.gz", "ncbi-disease"),
    ("pubmed", "pubmed-xml"),
)
BUILT_KEY = "demo_built"


@dataclass(frozen=True)
class BuildReport:
    ingest: IngestReport
    vectors_cached: int
    vectors_embedded: int
    vocabulary_terms: int
    seconds: dict[str, float]


def demo_paths(data_dir: Path = DATA_DIR) -> list[tuple[Path, str]]:
    return [(data_dir / "corpus" / name, fmt) for name, fmt in DEMO_FILES]


def is_built(store: SQLiteStore) -> bool:
    return store.get_meta(BUILT_KEY) is not None


def build_demo(
    store: SQLiteStore, settings: Settings, data_dir: Path = DATA_DIR, *, progress: bool = True
) -> BuildReport:
    """Ingest every demo file, load the vocabularies and fill in vectors."""
    seconds: dict[str, float] = {}
    report = IngestReport()
    start = time.perf_counter()
    for path, fmt in demo_paths(data_dir):
        report.merge(ingest_paths(store, [path], settings.chunk, fmt=fmt, progress=progress))
    seconds["ingest"] = time.perf_counter() - start
    start = time.perf_counter()
    terms = load_vocabularies(store, data_dir / "vocab", progress=progress)
    seconds["vocabulary"] = time.perf_counter() - start
    start = time.perf_counter()
    cached, embedded = embed_missing(
        store, get_embedder(settings.embedding), settings.embedding, progress=progress
    )
    seconds["vectors"] = time.perf_counter() - start
    store.checkpoint()
    store.set_meta(BUILT_KEY, time.strftime("%Y-%m-%dT%H:%M:%S"))
    return BuildReport(report, cached, embedded, terms, seconds)
