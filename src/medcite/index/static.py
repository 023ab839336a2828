"""Static sentence vectors distilled from MiniLM: the stance model's, and the fast retrieval path.

The method of Model2Vec (Tulkens & van Dongen, 2024): every WordPiece token gets the vector MiniLM
gives that token alone (``[CLS] token [SEP]``, mean-pooled); a sentence's vector is the mean of its
tokens' vectors, each weighted by smooth inverse frequency (Arora et al., 2017: ``a / (a + p)``,
``p`` the token's frequency in the corpus), after centring and a PCA rotation fitted on the
frequency-weighted tokens. No transformer runs at answer time: a sentence costs ~0.06 ms instead
of ~12 ms, which is what lets a yes/no answer read 16 sentences within a web request's budget.

The table is built once by ``medcite vectors distill`` from the packaged model and the demo
corpus's token counts and shipped (``medcite/resources/minilm-static.npz``, int8 with one scale
per token); the stance model is trained on these vectors (its ``embedding`` meta names them).
A second table, :data:`RETRIEVAL_MODEL` (every vocabulary token kept, then fine-tuned for
question → passage retrieval by :mod:`medcite.index.static_train`), is an embedding model of its
own: ``embedding.model = "minilm-static-retrieval"`` embeds ~100x faster than MiniLM (SciFact
abstracts on 2 cores busy with other work: ~1,000 passages/s against ~4-10; the tokenizer is now
nearly all of it). A third, :data:`ASYM_MODEL` (384 dims, fitted to MiniLM's passage vectors by
:mod:`medcite.index.static_asym`), embeds passages only: its questions are embedded by MiniLM
(``embed_queries``), which is what brings its SciFact hybrid nDCG@10 within 0.02 of MiniLM's.
The ``model2vec`` package itself was not used: its distiller pins ``transformers<5.4``, older
than the one sentence-transformers needs here; inference is a table lookup either way.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from medcite.errors import MedCiteError
from medcite.index.embeddings import (
    PACKAGED_MODEL,
    STATIC_MODELS,
    Embedder,
    get_embedder,
    model_path,
)
from medcite.settings import EmbeddingSettings
from medcite.store.vectors import quantise

F32 = npt.NDArray[np.float32]
STATIC_MODEL = "minilm-static"
"""The name stance models record for these vectors (``StanceModel.meta['embedding']``)."""
RETRIEVAL_MODEL = "minilm-static-retrieval"
"""The fast retrieval path's name (``embedding.model``); its vectors are stored under it."""
ASYM_MODEL = "minilm-static-asym"
"""The asymmetric fast path: passages by a table, questions by MiniLM
(:mod:`medcite.index.static_asym`)."""
RESOURCES = Path(__file__).resolve().parents[1] / "resources"
TABLES = {name: RESOURCES / file for name, file in STATIC_MODELS.items()}
"""Shipped static tables by model name."""
RESOURCE = TABLES[STATIC_MODEL]
SIF_A = 1e-3
"""Smooth-inverse-frequency constant: a token as frequent as 1 in 1,000 counts half."""
DIMS = 256
"""PCA dimensions kept (of MiniLM's 384)."""
DISTILL_BATCH = 1024


class StaticEmbedder:
    """Sentence vectors as a weighted mean of distilled token vectors (an
    :class:`~medcite.index.embeddings.Embedder`)."""

    def __init__(
        self,
        table: F32,
        source: str = PACKAGED_MODEL,
        name: str = STATIC_MODEL,
        meta: dict[str, Any] | None = None,
    ) -> None:
        self.table = table
        """One row per token id: its rotated vector times its weight (zeros: never seen)."""
        self.dim = int(table.shape[1])
        self.source = source
        self.name = name
        self.meta: dict[str, Any] = meta or {}
        """How the table was made and what it scored (the model card's figures)."""
        self._tensor: Any = None

    def embed(self, texts: list[str]) -> F32:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch  # a base dependency; its fused gather-and-sum is the fast one

        ids = token_ids(self.source, texts)
        lengths = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        # one segmented sum over the whole batch: ~10x a per-text numpy loop, ~100x
        # np.add.reduceat over gathered rows; what is left is the tokenizer
        with torch.inference_mode():
            summed = torch.nn.functional.embedding_bag(
                torch.from_numpy(np.concatenate(ids)),
                self._weights(),
                torch.from_numpy(offsets),
                mode="sum",
            ).numpy()
        norms = np.linalg.norm(summed, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        normalised: F32 = (summed / norms).astype(np.float32)
        return normalised

    @property
    def query_model(self) -> str | None:
        """The model that embeds questions (its ``meta``; None: this table, as passages)."""
        found = self.meta.get("query_model")
        return None if found is None else str(found)

    def embed_queries(self, texts: list[str]) -> F32:
        """Questions' vectors: :attr:`query_model`'s when the table was trained against one."""
        if self.query_model is None:
            return self.embed(texts)
        found = get_embedder(EmbeddingSettings(model=self.query_model)).embed(texts)
        return np.asarray(found, dtype=np.float32)

    def _weights(self) -> Any:
        if self._tensor is None or self._tensor.data_ptr() != self.table.ctypes.data:
            import torch

            self.table = np.ascontiguousarray(self.table, dtype=np.float32)
            self._tensor = torch.from_numpy(self.table)  # shares the memory
        return self._tensor

    @property
    def dense_weight(self) -> float | None:
        """The fusion weight this table's dense list should get next to BM25 when
        ``retrieval.dense_weight`` is left unset (its ``meta``; None: the setting's default)."""
        found = self.meta.get("dense_weight")
        return None if found is None else float(found)

    @classmethod
    def load(cls, path: Path = RESOURCE, name: str = STATIC_MODEL) -> StaticEmbedder:
        try:
            with np.load(path, allow_pickle=False) as data:
                table = data["codes"].astype(np.float32) * data["scales"][:, None]
                meta = json.loads(str(data["meta"])) if "meta" in data else {}
                return cls(table.astype(np.float32), str(data["model"]), name, meta)
        except (OSError, KeyError, ValueError) as exc:
            command = {RETRIEVAL_MODEL: "train-retrieval", ASYM_MODEL: "train-asym"}.get(
                name, "distill"
            )
            raise MedCiteError(
                f"cannot load the static vectors {path}: {exc}; rebuild them with "
                f"`medcite vectors {command}`"
            ) from exc


@lru_cache(maxsize=1)
def default_static() -> StaticEmbedder:
    """The shipped table, loaded once per process."""
    return StaticEmbedder.load(RESOURCE)


@lru_cache(maxsize=3)
def shipped(name: str) -> StaticEmbedder:
    """The shipped table called ``name`` (a key of :data:`TABLES`), loaded once per process."""
    return StaticEmbedder.load(TABLES[name], name)


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


def vocabulary_size(model: str) -> int:
    return int(_tokenizer(model).get_vocab_size())


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
    """int8 codes and one scale per token (all-zero rows for tokens never seen), and the
    embedder's ``meta`` as JSON."""
    codes = np.zeros(embedder.table.shape, dtype=np.int8)
    scales = np.zeros(len(embedder.table), dtype=np.float32)
    for row in np.flatnonzero(np.abs(embedder.table).sum(axis=1) > 0):
        codes[row], scales[row] = quantise(embedder.table[row])
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, Any] = {"codes": codes, "scales": scales, "model": np.array(embedder.source)}
    if embedder.meta:
        arrays["meta"] = np.array(json.dumps(embedder.meta, sort_keys=True))
    np.savez_compressed(path, **arrays)
