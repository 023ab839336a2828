"""Pinned retrieval quality on a slice of SciFact train claims (120 claims, 459 abstracts):
a ranking regression fails CI. The full-corpus figures are in README (``make bench``)."""

from __future__ import annotations

import pytest

from medcite.eval.retrieval import evaluate_retrieval
from medcite.index.embeddings import Embedder
from medcite.retrieve.hybrid import Mode
from medcite.settings import Settings

from .conftest import FIXTURES

SLICE = FIXTURES / "scifact_slice"
# Measured on this slice when pinned (nDCG@10): hybrid 0.924, bm25 0.870, dense 0.856.
# Floors leave 0.04 for harmless drift (tie order, library versions); hybrid must beat both.
FLOORS = {Mode.HYBRID: 0.88, Mode.BM25: 0.83, Mode.DENSE: 0.81}


@pytest.mark.parametrize("mode", list(Mode))
def test_scifact_slice_ndcg_floor(mode: Mode, embedder: Embedder) -> None:
    report = evaluate_retrieval(
        SLICE / "corpus.jsonl.gz",
        SLICE / "claims.jsonl",
        SLICE / "qrels.tsv",
        Settings(),
        mode=mode,
        embedder=embedder,
        progress=False,
    )
    assert report.queries == 120 and report.documents == 459
    assert report.scores["nDCG@10"] >= FLOORS[mode]
