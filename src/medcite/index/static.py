"""Static sentence vectors distilled from MiniLM, for the stance model.

The method of Model2Vec (Tulkens & van Dongen, 2024): every WordPiece token gets the vector MiniLM
gives that token alone (``[CLS] token [SEP]``, mean-pooled); a sentence's vector is the mean of its
tokens' vectors, each weighted by smooth inverse frequency (Arora et al., 2017: ``a / (a + p)``,
``p`` the token's frequency in the corpus), after centring and a PCA rotation fitted on the
frequency-weighted tokens. No transformer runs at answer time: a sentence costs ~0.06 ms instead
of ~12 ms, which is what lets a yes/no answer read 16 sentences within a web request's budget.

The table is built once by ``medcite vectors distill`` from the packaged model and the demo
corpus's token counts and shipped (``medcite/resources/minilm-static.npz``, int8 with one scale
per token); the stance model is trained on these vectors (its ``embedding`` meta names them).
The ``model2vec`` package itself was not used: its distiller pins ``transformers<5.4``, older
than the one sentence-transformers needs here; inference is a table lookup either way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from medcite.errors import MedCiteError
from medcite.index.embeddings import PACKAGED_MODEL, Embedder, get_embedder, model_path
from medcite.settings import EmbeddingSettings
from medcite.store.vectors import quantise

F32 = npt.NDArray[np.float32]
STATIC_MODEL = "minilm-static"
"""The name stance models record for these vectors (``StanceModel.meta['embedding']``)."""
RESOURCE = Path(__file__).resolve().parents[1] / "resources" / "minilm-static.npz"
SIF_A = 1e-3
"""Smooth-inverse-frequency constant: a token as frequent as 1 in 1,000 counts half."""
DIMS = 256
"""PCA dimensions kept (of MiniLM's 384)."""
DISTILL_BATCH = 1024


class StaticEmbedder:
    """Sentence vectors as a weighted mean of distilled token vectors (an
    :class:`~medcite.index.embeddings.Embedder`)."""

    name = STATIC_MODEL

    def __init__(self, table: F32, source: str = PACKAGED_MODEL) -> None:
        self.table = table
        """One row per token id: its rotated vector times its weight (zeros: never seen)."""
        self.dim = int(table.shape[1])
        self.source = source

    def embed(self, texts: list[str]) -> F32:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        for row, ids in enumerate(token_ids(self.source, texts)):
            if len(ids):
                out[row] = self.table[ids].sum(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        normalised: F32 = (out / norms).astype(np.float32)
        return normalised

    @classmethod
    def load(cls, path: Path = RESOURCE) -> StaticEmbedder:
        try:
            with np.load(path, allow_pickle=False) as data:
                table = data["codes"].astype(np.float32) * data["scales"][:, None]
                return cls(table.astype(np.float32), str(data["model"]))
        except (OSError, KeyError, ValueError) as exc:
            raise MedCiteError(
                f"cannot load the static vectors {path}: {exc}; rebuild them with "
                "`medcite vectors distill`"
            ) from exc


@lru_cache(maxsize=1)
def default_static() -> StaticEmbedder:
    """The shipped table, loaded once per process."""
    return StaticEmbedder.load(RESOURCE)


def vectors_named(name: str, settings: EmbeddingSettings) -> Embedder:
    """What makes the sentence vectors called ``name``: the shipped static table for
    :data:`STATIC_MODEL`, else that sentence-transformers model."""
    if name == STATIC_MODEL:
        return default_static()
    return get_embedder(settings.model_copy(update={"model": name}))


def token_ids(model: str, texts: list[str]) -> list[npt.NDArray[np.int64]]:
    """WordPiece ids of each text, without the special tokens."""
    tokenizer = _tokenizer(model)
    return [np.asarray(e.ids, dtype=np.int64) for e in tokenizer.encode_batch(texts)]


@lru_cache(maxsize=2)
def _tokenizer(model: str) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_path(model) / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    tokenizer.post_processor = None  # no [CLS] / [SEP]
    return tokenizer


# -- distillation -------------------------------------------------------------------------------


def distill(texts: Iterable[str], model: str = PACKAGED_MODEL, dims: int = DIMS) -> StaticEmbedder:
    """Token vectors from ``model``, weights and PCA from the token counts of ``texts``."""
    counts = count_tokens(texts, model)
    raw = token_vectors(model, sorted(counts))  # a token never seen gets weight 0 anyway
    frequency = np.zeros(len(raw), dtype=np.float64)
    total = sum(counts.values()) or 1
    for token, count in counts.items():
        frequency[token] = count / total
    vectors = rotate(raw, frequency, dims)
    weights = (SIF_A / (SIF_A + frequency)).astype(np.float32)
    weights[frequency == 0] = 0.0  # never seen in the corpus: not shipped
    return StaticEmbedder((vectors * weights[:, None]).astype(np.float32), model)


def count_tokens(texts: Iterable[str], model: str) -> Counter[int]:
    counts: Counter[int] = Counter()
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= 4096:
            counts.update(int(i) for ids in token_ids(model, batch) for i in ids)
            batch = []
    counts.update(int(i) for ids in token_ids(model, batch) for i in ids)
    return counts


def token_vectors(model: str, ids: list[int]) -> F32:
    """MiniLM's mean-pooled output for each of the token ``ids`` alone; one row per vocabulary
    token, zeros for the others."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    path = str(model_path(model))
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    network = AutoModel.from_pretrained(path, local_files_only=True).eval()
    out = np.zeros((len(tokenizer.get_vocab()), network.config.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(ids), DISTILL_BATCH):
            chunk = torch.tensor(ids[start : start + DISTILL_BATCH], dtype=torch.long)
            cls = torch.full_like(chunk, tokenizer.cls_token_id)
            sep = torch.full_like(chunk, tokenizer.sep_token_id)
            inputs = torch.stack([cls, chunk, sep], dim=1)
            hidden = network(input_ids=inputs, attention_mask=torch.ones_like(inputs))
            out[chunk.numpy()] = hidden.last_hidden_state.mean(dim=1).numpy()
    return out


def rotate(vectors: F32, frequency: npt.NDArray[np.float64], dims: int) -> F32:
    """Centre on the frequency-weighted mean and keep the top ``dims`` principal axes of the
    frequency-weighted tokens (what sentences are made of, not the raw vocabulary)."""
    seen = frequency > 0
    weight = frequency[seen] / frequency[seen].sum()
    mean = weight @ vectors[seen]
    centred = vectors - mean
    scaled = centred[seen] * np.sqrt(weight)[:, None]
    _, _, axes = np.linalg.svd(scaled, full_matrices=False)
    rotated: F32 = (centred @ axes[:dims].T).astype(np.float32)
    return rotated


def save(embedder: StaticEmbedder, path: Path = RESOURCE) -> None:
    """int8 codes and one scale per token (all-zero rows for tokens never seen)."""
    codes = np.zeros(embedder.table.shape, dtype=np.int8)
    scales = np.zeros(len(embedder.table), dtype=np.float32)
    for row in np.flatnonzero(np.abs(embedder.table).sum(axis=1) > 0):
        codes[row], scales[row] = quantise(embedder.table[row])
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, codes=codes, scales=scales, model=np.array(embedder.source))
