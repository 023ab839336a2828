"""The stance model's sentence vectors, kept between answers.

Passages are fixed text, so a sentence the stance model read for one answer reads the same for
the next (a follow-up, a re-asked question, another question about the same documents): its
MiniLM vector is computed once and kept, the least recently used leaving first. Embedding is
the slow step of a yes/no answer (~15 ms a sentence on one core).

New sentences are embedded a few at a time, shortest first: one batch of mixed lengths pads every
sentence to the longest, and on one torch thread batches of four were ~1.5x faster than one
batch of sixteen (the stance sentences of 24 answers: 205 against 320 ms an answer).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
import numpy.typing as npt

from medcite.index.embeddings import Embedder

F32 = npt.NDArray[np.float32]
BATCH = 4
"""Sentences per embedding batch (see the module docstring)."""


class SentenceVectors:
    """Sentence vectors by text, at most ``size`` kept (0: none kept, only the batching).
    Safe to share between the web server's threads: the cache is locked, embedding is not."""

    def __init__(self, embedder: Embedder, size: int, batch: int = BATCH) -> None:
        self.embedder = embedder
        self.size = size
        self.batch = batch
        self.embedded = 0
        """Sentences embedded so far: the others came from the cache."""
        self._kept: OrderedDict[str, F32] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def embed(self, texts: list[str]) -> F32:
        """L2-normalised vectors, one row per text, in the order given."""
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        found = self._kept_for(texts)
        missing = sorted((t for t in dict.fromkeys(texts) if t not in found), key=len)
        for start in range(0, len(missing), self.batch):
            chunk = missing[start : start + self.batch]
            found.update(zip(chunk, self.embedder.embed(chunk), strict=True))
        self.embedded += len(missing)
        self._keep({t: found[t] for t in missing})
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)

    def _kept_for(self, texts: list[str]) -> dict[str, F32]:
        with self._lock:
            found = {t: self._kept[t] for t in texts if t in self._kept}
            for text in found:
                self._kept.move_to_end(text)
        return found

    def _keep(self, vectors: dict[str, F32]) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._kept.update(vectors)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
