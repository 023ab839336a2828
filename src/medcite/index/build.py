"""Filling in passage vectors: first from vector-cache files, then by embedding what is left."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

import numpy as np
import numpy.typing as npt

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


def _batches(items: list[tuple[str, str]], size: int) -> Iterator[list[tuple[str, str]]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
