"""Shared fixtures: real SQLite stores in temporary directories, the real embedding model."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from medcite.index.build import embed_missing
from medcite.index.embeddings import Embedder, get_embedder
from medcite.ingest.pipeline import ingest_paths
from medcite.retrieve.vocabulary import load_vocabularies
from medcite.settings import DATA_DIR, Settings
from medcite.store.sqlite import SQLiteStore, open_store

FIXTURES = Path(__file__).parent / "fixtures"
DATASETS = FIXTURES / "datasets"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# The documented fields of one search hit (README, "Search JSON").
HIT_FIELDS = frozenset(
    {
        "rank",
        "score",
        "passage_id",
        "doc_id",
        "title",
        "evidence_type",
        "year",
        "source",
        "section",
        "text",
    }
)

# (fixture file, format) for the small evidence store most retrieval tests use
FIXTURE_FILES = (
    ("ngc.jsonl", "ngc"),
    ("uspstf.json", "uspstf"),
    ("medquad.jsonl", "medquad"),
    ("pubmedqa.json", "pubmedqa"),
    ("scifact.jsonl", "scifact"),
    ("evidence_inference.jsonl", "evidence-inference"),
    ("ncbi_disease.jsonl", "ncbi-disease"),
)


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings().with_store(tmp_path / "index.sqlite")


@pytest.fixture()
def store(settings: Settings) -> Iterator[SQLiteStore]:
    with open_store(settings.store.path) as opened:
        yield opened


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return get_embedder(Settings().embedding)


@pytest.fixture(scope="session")
def evidence_store(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> Iterator[SQLiteStore]:
    """The fixture datasets ingested, embedded and with the shipped vocabularies loaded."""
    settings = Settings()
    path = tmp_path_factory.mktemp("evidence") / "index.sqlite"
    with open_store(path) as opened:
        for name, fmt in FIXTURE_FILES:
            ingest_paths(opened, [DATASETS / name], settings.chunk, fmt=fmt, progress=False)
        load_vocabularies(opened, DATA_DIR / "vocab", DATASETS / "medquad.jsonl", progress=False)
        embed_missing(opened, embedder, settings.embedding, progress=False)
        yield opened


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    """The whole shipped demo corpus, built as `make demo` builds it."""
    from medcite.corpus import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with open_store(path) as store:
        report = build_demo(store, Settings(), progress=False)
        assert report.vectors_embedded < 2_000, "the shipped vector cache should cover the corpus"
        yield store


def web_settings(index: Path, folder: Path, **web: object) -> Settings:
    """Settings for a web app over ``index`` with its own article database in ``folder``."""
    values = {
        "database_url": f"sqlite:///{folder / 'site.sqlite'}",
        "secret_key": "test-secret-key-not-for-production",
        "ask_limit": 1000,
        **web,
    }
    base = Settings().with_store(index)
    return base.model_copy(update={"web": base.web.model_copy(update=values)})


PASSWORD = "correct-horse-battery"
