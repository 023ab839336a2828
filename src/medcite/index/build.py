"""Filling in passage vectors: first from vector-cache files, then by embedding what is left;
and which embedding models an index holds vectors of (the store's ``embedding_models`` meta), so
a search with another model fails with the fix instead of silently running on BM25 alone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice

import numpy as np
import numpy.typing as npt

from medcite.errors import ConfigError
from medcite.index.embeddings import Embedder
from medcite.progress import bar, note
from medcite.settings import EmbeddingSettings
from medcite.store.base import EvidenceStore
from medcite.store.vectors import load_cache


def embed_missing(
    store: EvidenceStore,
    embedder: Embedder,
    settings: EmbeddingSettings,
    *,
    progress: bool = True,
) -> tuple[int, int]:
    """Give every passage a vector; returns (taken from caches, newly embedded)."""
    record_model(store, embedder.name)
    missing = list(store.missing_vectors(embedder.name))
    if not missing:
        return 0, 0
    cached: dict[str, npt.NDArray[np.float32]] = {}
    for path in settings.vector_cache:
        cached.update(load_cache(path, embedder.name))
    from_cache = [(key, cached[key]) for key, _ in missing if key in cached]
    if from_cache:
        store.put_vectors(embedder.name, from_cache)
    todo = [(key, text) for key, text in missing if key not in cached]
    embedded = 0
    shown = bar(total=len(todo), desc="embedding passages", unit="passage", enabled=progress)
    for batch in _batches(todo, 512):
        vectors = embedder.embed([text for _, text in batch])
        embedded += store.put_vectors(
            embedder.name, zip((k for k, _ in batch), vectors, strict=True)
        )
        shown.update(len(batch))
    shown.close()
    if todo:
        note(f"embedded {embedded} passages ({len(from_cache)} from the vector cache)", progress)
    return len(from_cache), embedded


MODELS_KEY = "embedding_models"
"""Store meta: JSON list of the embedding models whose passage vectors the index keeps."""


def index_models(store: EvidenceStore) -> list[str]:
    """The models this index was embedded with (empty: an index from before they were kept)."""
    raw = store.get_meta(MODELS_KEY)
    return list(json.loads(raw)) if raw else []


def record_model(store: EvidenceStore, model: str) -> None:
    models = index_models(store)
    if model not in models:
        store.set_meta(MODELS_KEY, json.dumps(sorted([*models, model])))


def check_model(store: EvidenceStore, model: str, models: list[str] | None = None) -> None:
    """Refuse to search an index with an embedding model it holds no vectors of (dense search
    would find nothing, and hybrid search would quietly become BM25 alone)."""
    models = index_models(store) if models is None else models
    if models and model not in models:
        raise model_mismatch(model, models)


def model_mismatch(model: str, models: list[str]) -> ConfigError:
    """The error for a search with ``model`` on an index embedded with ``models`` (empty: with
    a model it did not record)."""
    embed = f"or give the index vectors of {model!r} too: `medcite vectors embed`"
    if not models:
        return ConfigError(
            f"this index holds no passage vectors of {model!r} (setting embedding.model), only "
            f"of another model: set embedding.model to the model it was built with, {embed}"
        )
    return ConfigError(
        f"this index holds passage vectors of {', '.join(map(repr, models))}, not of "
        f"{model!r} (setting embedding.model): set embedding.model = {models[0]!r} "
        f"(MEDCITE_EMBEDDING__MODEL={models[0]}), {embed}"
    )


def _batches(items: list[tuple[str, str]], size: int) -> Iterator[list[tuple[str, str]]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
