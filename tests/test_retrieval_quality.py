"""Pinned retrieval quality on a slice of SciFact train claims (120 claims, 459 abstracts):
a ranking regression fails CI. The full-corpus figures are in README (``make bench``)."""

from __future__ import annotations

import pytest

from medcite.eval.retrieval import evaluate_retrieval
from medcite.index.embeddings import Embedder
from medcite.retrieve.hybrid import Mode
from medcite.settings import Settings

from .conftest import FIXTURES, new_database

SLICE = FIXTURES / "scifact_slice"
# Measured on this slice when pinned (nDCG@10): hybrid 0.924, bm25 0.870, dense 0.856.
# Floors leave 0.04 for harmless drift (tie order, library versions); hybrid must beat both.
FLOORS = {Mode.HYBRID: 0.88, Mode.BM25: 0.83, Mode.DENSE: 0.81}


# PostgreSQL computes BM25 in SQL over its own tokeniser (the `english` configuration: another
# stemmer and stop list than FTS5's porter), and searches vectors with HNSW instead of exactly:
# the two backends' nDCG@10 may differ by at most this much on the slice.
BACKEND_TOLERANCE = 0.03


def _ndcg(mode: Mode, embedder: Embedder, settings: Settings) -> float:
    report = evaluate_retrieval(
        SLICE / "corpus.jsonl.gz",
        SLICE / "claims.jsonl",
        SLICE / "qrels.tsv",
        settings,
        mode=mode,
        embedder=embedder,
        progress=False,
    )
    assert report.queries == 120 and report.documents == 459
    return report.scores["nDCG@10"]


@pytest.mark.parametrize("mode", list(Mode))
def test_scifact_slice_ndcg_floor(mode: Mode, embedder: Embedder) -> None:
    assert _ndcg(mode, embedder, Settings()) >= FLOORS[mode]


@pytest.mark.parametrize("mode", list(Mode))
def test_postgres_matches_sqlite_on_the_slice(
    mode: Mode, embedder: Embedder, postgres_server: str
) -> None:
    sqlite = _ndcg(mode, embedder, Settings())
    url = new_database(postgres_server)
    base = Settings()
    postgres = _ndcg(
        mode,
        embedder,
        base.model_copy(update={"store": base.store.model_copy(update={"database_url": url})}),
    )
    assert postgres >= FLOORS[mode]
    assert abs(postgres - sqlite) <= BACKEND_TOLERANCE, (mode, sqlite, postgres)
