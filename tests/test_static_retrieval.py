"""The fast embedding path (``minilm-static-retrieval``): the shipped table, choosing it in
settings, an index built and searched with it on either backend, its pinned quality on the SciFact
slice, the error when an index is searched with a model it was not embedded with, and its vector
cache file kept apart from MiniLM's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from medcite.errors import ConfigError
from medcite.eval.retrieval import evaluate_retrieval
from medcite.index.build import MODELS_KEY, embed_missing, index_models
from medcite.index.embeddings import PACKAGED_MODEL, Embedder, get_embedder
from medcite.index.static import DIMS, RETRIEVAL_MODEL, StaticEmbedder, shipped
from medcite.ingest.pipeline import ingest_paths
from medcite.retrieve.hybrid import Mode, Retriever
from medcite.settings import Settings
from medcite.store.base import EvidenceStore
from medcite.store.vectors import cache_file, cache_model, save_cache

from .conftest import DATASETS, FIXTURES

SLICE = FIXTURES / "scifact_slice"
FAST = Settings().embedding.model_copy(update={"model": RETRIEVAL_MODEL})
# Measured on the slice when pinned (nDCG@10): hybrid 0.897 at the table's recommended dense
# weight (0.882 at 1.0), dense 0.778 (MiniLM: 0.924, 0.856); floors leave 0.04 for harmless
# drift, as tests/test_retrieval_quality.py does.
FLOORS = {Mode.HYBRID: 0.85, Mode.DENSE: 0.74}


def _fast_settings() -> Settings:
    return Settings().model_copy(update={"embedding": FAST})


def test_the_shipped_table_loads_with_its_model_card() -> None:
    embedder = shipped(RETRIEVAL_MODEL)
    assert isinstance(embedder, StaticEmbedder)
    assert embedder.name == RETRIEVAL_MODEL and embedder.source == PACKAGED_MODEL
    assert embedder.table.shape == (30522, DIMS)
    assert embedder.meta["held_out_mrr10_after"]  # trained, with held-out figures
    assert "scifact" not in {name.lower() for name in embedder.meta["pairs"]}


def test_settings_select_the_fast_path_and_minilm_stays_the_default() -> None:
    assert Settings().embedding.model == PACKAGED_MODEL
    assert get_embedder(FAST) is shipped(RETRIEVAL_MODEL)


def test_vectors_are_unit_length_with_the_right_dims() -> None:
    texts = ["Does metformin lower HbA1c?", "Statins reduce LDL cholesterol.", "", "xyzzy"]
    vectors = get_embedder(FAST).embed(texts)
    assert vectors.shape == (4, DIMS) and vectors.dtype == np.float32
    norms = np.linalg.norm(vectors, axis=1)
    assert np.allclose(norms[[0, 1, 3]], 1.0, atol=1e-5) and norms[2] == 0.0
    # the batched embedding is the per-text one
    one_by_one = np.stack([get_embedder(FAST).embed([t])[0] for t in texts])
    assert np.allclose(vectors, one_by_one, atol=1e-6)


def _index(store: EvidenceStore, embedder: Embedder) -> None:
    settings = Settings()
    ingest_paths(store, [DATASETS / "scifact.jsonl"], settings.chunk, fmt="scifact")
    embed_missing(store, embedder, settings.embedding, progress=False)


def test_an_index_built_with_the_fast_path_finds_the_document(store: EvidenceStore) -> None:
    """On both backends (PostgreSQL keeps 256-dimension halfvecs in the same column)."""
    fast = get_embedder(FAST)
    _index(store, fast)
    assert index_models(store) == [RETRIEVAL_MODEL]
    retriever = Retriever(store, _fast_settings(), fast)
    title = next(iter(store.documents(_doc_ids(store)).values())).title
    for mode in (Mode.DENSE, Mode.HYBRID):
        hits = retriever.search(title, k=5, mode=mode).hits
        assert hits and hits[0].document.title == title, mode
        assert hits[0].similarity is not None and hits[0].similarity > 0.5


def _doc_ids(store: EvidenceStore) -> set[str]:
    return {p.doc_id for p in store.passages_by_key(list(range(1, 50))).values()}


def test_searching_with_another_model_is_an_error_with_the_fix(
    store: EvidenceStore, embedder: Embedder
) -> None:
    _index(store, get_embedder(FAST))
    retriever = Retriever(store, Settings(), embedder)  # MiniLM, the default
    with pytest.raises(ConfigError, match=r"minilm-static-retrieval.*medcite vectors embed"):
        retriever.search("glioma stem cells", mode=Mode.HYBRID)
    assert retriever.search("glioma stem cells", mode=Mode.BM25).hits  # BM25 needs no vectors
    # embedding the index with the other model too makes both work
    embed_missing(store, embedder, Settings().embedding, progress=False)
    assert index_models(store) == sorted([PACKAGED_MODEL, RETRIEVAL_MODEL])
    assert Retriever(store, Settings(), embedder).search("glioma stem cells").hits


def test_an_index_from_before_models_were_recorded_still_refuses(
    store: EvidenceStore, embedder: Embedder
) -> None:
    _index(store, get_embedder(FAST))
    store.set_meta(MODELS_KEY, "")
    with pytest.raises(ConfigError, match="no passage vectors of 'all-MiniLM-L6-v2'"):
        Retriever(store, Settings(), embedder).search("glioma stem cells", mode=Mode.DENSE)


@pytest.mark.parametrize("mode", [Mode.HYBRID, Mode.DENSE])
def test_scifact_slice_ndcg_floor_of_the_fast_path(mode: Mode) -> None:
    report = evaluate_retrieval(
        SLICE / "corpus.jsonl.gz",
        SLICE / "claims.jsonl",
        SLICE / "qrels.tsv",
        _fast_settings(),
        mode=mode,
        progress=False,
    )
    assert report.scores["nDCG@10"] >= FLOORS[mode]


def test_each_model_builds_its_own_vector_cache_file(tmp_path: Path) -> None:
    folder = tmp_path / "vectors"
    assert cache_file(folder, PACKAGED_MODEL) == folder / "demo-minilm-int8.npz"
    assert Settings().embedding.vector_cache[0].name == "demo-minilm-int8.npz"  # the shipped one
    assert cache_file(folder, RETRIEVAL_MODEL) == folder / "demo-minilm-static-retrieval-int8.npz"
    assert cache_file(folder, "/models/My Model/") == folder / "demo-my-model-int8.npz"


def test_vectors_build_refuses_to_overwrite_another_models_cache(tmp_path: Path) -> None:
    db, out = tmp_path / "index.sqlite", tmp_path / "minilm.npz"
    save_cache(out, PACKAGED_MODEL, ["k"], np.ones((1, 384), dtype=np.float32) / np.sqrt(384))
    env = {**os.environ, "MEDCITE_EMBEDDING__MODEL": RETRIEVAL_MODEL, "HF_HUB_OFFLINE": "1"}

    def medcite(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "medcite.cli", "--db", str(db), *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    assert medcite("ingest", str(DATASETS / "ngc.jsonl"), "--quiet").returncode == 0
    refused = medcite("vectors", "build", "--out", str(out))
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert cache_model(out) == PACKAGED_MODEL  # untouched
    written = medcite("vectors", "build", "--out", str(out), "--force")
    assert written.returncode == 0, written.stderr
    assert cache_model(out) == RETRIEVAL_MODEL


def test_the_table_recommends_its_dense_weight_unless_the_setting_is_set(
    store: EvidenceStore,
) -> None:
    shipped_table = get_embedder(FAST)
    assert isinstance(shipped_table, StaticEmbedder)
    table = StaticEmbedder(shipped_table.table, name=RETRIEVAL_MODEL, meta={"dense_weight": 0.4})
    settings = _fast_settings()
    assert Retriever(store, settings, table)._dense_weight() == 0.4
    chosen = settings.retrieval.model_copy(update={"dense_weight": 1.0})
    explicit = settings.model_copy(update={"retrieval": chosen})
    assert Retriever(store, explicit, table)._dense_weight() == 1.0  # set, even to the default
    assert Retriever(store, settings, StaticEmbedder(table.table))._dense_weight() == 1.0
    assert shipped_table.dense_weight == shipped_table.meta.get("dense_weight")


# -- the asymmetric fast path (static passages, MiniLM questions) ------------------------------


def test_the_asymmetric_table_embeds_questions_with_minilm() -> None:
    from medcite.index.embeddings import embed_queries
    from medcite.index.static import ASYM_MODEL

    asym = get_embedder(Settings().embedding.model_copy(update={"model": ASYM_MODEL}))
    assert isinstance(asym, StaticEmbedder) and asym.query_model == PACKAGED_MODEL
    assert asym.table.shape == (30522, 384) and asym.meta["held_out_cosine_after"] > 0.85
    question = ["Does metformin lower HbA1c?"]
    minilm = get_embedder(Settings().embedding)
    assert np.allclose(embed_queries(asym, question), minilm.embed(question), atol=1e-5)
    passage = asym.embed(question)  # passages: the table, in MiniLM's space
    assert passage.shape == (1, 384)
    assert float(passage[0] @ minilm.embed(question)[0]) > 0.5
    # a symmetric table answers questions with its own vectors
    fast = shipped(RETRIEVAL_MODEL)
    assert np.array_equal(embed_queries(fast, question), fast.embed(question))


def test_the_asymmetric_path_searches_the_slice(tmp_path: Path) -> None:
    from medcite.index.static import ASYM_MODEL

    settings = Settings().model_copy(
        update={"embedding": Settings().embedding.model_copy(update={"model": ASYM_MODEL})}
    )
    corpus, queries, qrels = (SLICE / n for n in ("corpus.jsonl.gz", "claims.jsonl", "qrels.tsv"))
    report = evaluate_retrieval(corpus, queries, qrels, settings, mode=Mode.DENSE, progress=False)
    assert report.scores["nDCG@10"] >= 0.74
