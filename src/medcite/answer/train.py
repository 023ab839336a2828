"""``medcite train stance``: fitting the stance model (see :mod:`medcite.answer.stance`) on the
examples of :mod:`medcite.answer.training_data`, and calibrating it.

Vectors of training texts are cached under ``var/`` by text hash, so cross-validation, which
trains ten models, embeds every text once (about five minutes on two busy cores).

Calibration: after both heads are fitted, the polarity head's logit is shifted and scaled so
that :func:`medcite.answer.verdict.decide` gets the most training questions right (each PubMedQA
training record answered from its abstract without, and with, its conclusion). Shift and scale
are learnt from training records only, like the weights; the verdict rules stay fixed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from medcite.answer.cues import CUE_NAMES, cues
from medcite.answer.stance import POLARITY_COLUMNS, Head, StanceModel, features
from medcite.answer.training_data import (
    LABEL_OF_ANSWER,
    Examples,
    build_training_data,
    read_pubmedqa,
)
from medcite.answer.verdict import ScoredEvidence, decide
from medcite.index.embeddings import Embedder
from medcite.index.static import STATIC_MODEL, vectors_named
from medcite.records import text_key
from medcite.settings import Settings
from medcite.store.vectors import load_cache, save_cache
from medcite.text import split_sentences

CACHE = Path("var/stance-embeddings.npz")
SALIENCE_L2 = 300.0
"""L2 penalty of the salience head (on standardised features; see :meth:`Head.fit`)."""
POLARITY_L2 = 30.0
"""L2 penalty of the polarity head."""
CALIBRATION_SCALES = (0.5, 1.0, 2.0, 4.0)
"""Polarity logit scales tried by :func:`calibrate` (larger: fewer uncertain verdicts)."""
SAVE_EVERY = 2048
"""New vectors after which the cache file is rewritten (it holds tens of thousands)."""
CALIBRATION_SHIFTS = tuple(round(x * 0.2, 1) for x in range(-10, 11))
"""Polarity bias shifts tried by :func:`calibrate`."""


class VectorCache:
    """Text vectors kept in an ``.npz`` keyed by text hash; unknown texts are embedded once.
    The file is rewritten every :data:`SAVE_EVERY` new vectors and on :meth:`save`."""

    def __init__(self, embedder: Embedder, path: Path | None = CACHE) -> None:
        self.embedder = embedder
        self.path = path
        self._vectors = load_cache(path, embedder.name) if path else {}
        self._unsaved = 0

    def vectors(self, texts: list[str]) -> npt.NDArray[np.float32]:
        keys = [text_key(t) for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors})
        if todo:
            lookup = {text_key(t): t for t in texts}
            for start in range(0, len(todo), 512):
                batch = todo[start : start + 512]
                found = self.embedder.embed([lookup[k] for k in batch])
                self._vectors.update(zip(batch, found, strict=True))
                self._unsaved += len(batch)
            if self._unsaved >= SAVE_EVERY:
                self.save()
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        if self.path is None or not self._unsaved:
            return
        keys = sorted(self._vectors)
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.partial.npz")
        save_cache(partial, self.embedder.name, keys, np.stack([self._vectors[k] for k in keys]))
        os.replace(partial, self.path)  # a reader never sees half a file
        self._unsaved = 0


def example_features(examples: Examples, cache: VectorCache) -> npt.NDArray[np.float32]:
    """The feature matrix of every example, rows in order."""
    q_vecs = cache.vectors(examples.questions)
    s_vecs = cache.vectors(examples.sentences)
    rows = []
    by_question: dict[str, list[int]] = {}
    for i, question in enumerate(examples.questions):
        by_question.setdefault(question, []).append(i)
    x = np.zeros((len(examples), 0), dtype=np.float32)
    for question, index in by_question.items():
        block = features(
            question, q_vecs[index[0]], [examples.sentences[i] for i in index], s_vecs[index]
        )
        rows.append((index, block))
    if rows:
        x = np.zeros((len(examples), rows[0][1].shape[1]), dtype=np.float32)
        for index, block in rows:
            x[index] = block
    return x


def fit(
    examples: Examples,
    cache: VectorCache,
    *,
    polarity_only: Examples | None = None,
    salience_l2: float = SALIENCE_L2,
    polarity_l2: float = POLARITY_L2,
) -> StanceModel:
    """Fit both heads: salience on every example, polarity on those with a known stance plus
    ``polarity_only`` (examples that need no vectors: the polarity head reads only cues)."""
    x = example_features(examples, cache)
    labels = np.array(examples.labels, dtype=np.int64)
    weights = np.array(examples.weights, dtype=np.float32)
    salient = np.array(examples.salient, dtype=np.float32)
    salience = Head.fit(x, salient, weights, l2=salience_l2)
    known = labels != 2
    cue_x, cue_y, cue_w = x[known][:, -POLARITY_COLUMNS:], labels[known], weights[known]
    if polarity_only is not None and len(polarity_only):
        extra = np.array(
            [
                cues(q, s)
                for q, s in zip(polarity_only.questions, polarity_only.sentences, strict=True)
            ],
            dtype=np.float32,
        )
        cue_x = np.vstack([cue_x, extra])
        cue_y = np.concatenate([cue_y, np.array(polarity_only.labels, dtype=np.int64)])
        cue_w = np.concatenate([cue_w, np.array(polarity_only.weights, dtype=np.float32)])
    polarity = Head.fit(
        cue_x,
        (cue_y == 0).astype(np.float32),
        cue_w,
        first=-POLARITY_COLUMNS,
        l2=polarity_l2,
    )
    meta: dict[str, object] = {
        "examples": examples.counts(),
        "polarity_only": polarity_only.counts() if polarity_only is not None else {},
        "salient": int(salient.sum()),
        "salience_l2": salience_l2,
        "polarity_l2": polarity_l2,
        "embedding": cache.embedder.name,
        "cues": list(CUE_NAMES),
    }
    return StanceModel(salience, polarity, meta)


def calibration_views(
    records: dict[str, dict[str, Any]], exclude_pmids: frozenset[str] = frozenset()
) -> list[tuple[str, list[str], str]]:
    """(question, sentences, answer) per record: its abstract without, and with, the conclusion."""
    views = []
    for pmid, record in sorted(records.items()):
        if pmid in exclude_pmids:
            continue
        body = [s for c in record["CONTEXTS"] for s in split_sentences(str(c))]
        conclusion = split_sentences(str(record.get("LONG_ANSWER") or ""))
        answer = str(record["final_decision"])
        views.append((str(record["QUESTION"]), body, answer))
        if conclusion:
            views.append((str(record["QUESTION"]), body + conclusion, answer))
    return views


def calibrate(
    model: StanceModel, views: list[tuple[str, list[str], str]], cache: VectorCache
) -> tuple[float, float]:
    """Set the polarity head's logit to scale · (logit + shift) for the pair of
    :data:`CALIBRATION_SHIFTS` × :data:`CALIBRATION_SCALES` that answers the most ``views``
    right through :func:`decide` (ties: the smallest change); returns (shift, scale)."""
    if not views:
        return 0.0, 1.0
    prepared = []
    for question, sentences, answer in views:
        vectors = cache.vectors([question, *sentences])
        x = features(question, vectors[0], sentences, vectors[1:])
        relevance = np.clip(vectors[1:] @ vectors[0], 0.0, 1.0)
        prepared.append((x, relevance, answer))
    head = model.polarity
    weights, bias = head.weights.copy(), head.bias
    best: tuple[int, float, float, float] | None = None
    for scale in CALIBRATION_SCALES:
        for shift in CALIBRATION_SHIFTS:
            head.weights, head.bias = weights * scale, (bias + shift) * scale
            right = sum(
                _verdict_label(model.predict_features(x), relevance) == answer
                for x, relevance, answer in prepared
            )
            key = (right, -abs(shift) - abs(np.log(scale)), shift, scale)
            if best is None or key > best:
                best = key
    assert best is not None
    head.weights, head.bias = weights * best[3], (bias + best[2]) * best[3]
    return best[2], best[3]


def _verdict_label(probs: npt.NDArray[np.float32], relevance: npt.NDArray[np.float32]) -> str:
    evidence = [
        ScoredEvidence("record", probs[i], float(relevance[i]), 4, None) for i in range(len(probs))
    ]
    verdict = decide(evidence, 2000).verdict.value
    return verdict if verdict in LABEL_OF_ANSWER else "maybe"


def stance_embedder(settings: Settings) -> Embedder:
    """The vectors a new stance model is trained on (``answer.stance_embedding``)."""
    return vectors_named(settings.answer.stance_embedding, settings.embedding)


def train_model(
    shared_data: Path | None,
    cache: VectorCache,
    *,
    exclude_pmids: frozenset[str] = frozenset(),
    pubmedqa: dict[str, dict[str, Any]] | None = None,
) -> StanceModel:
    """Fit and calibrate a model on everything but ``exclude_pmids``: ``pubmedqa`` (default:
    the shared file) and the other sources in ``shared_data`` (none when it is None)."""
    if pubmedqa is None:
        if shared_data is None:
            raise ValueError("need PubMedQA records or the shared data folder")
        pubmedqa = read_pubmedqa(shared_data / "pubmedqa" / "pqal_trainval.json")
    examples, polarity_only = build_training_data(
        shared_data, exclude_pmids=exclude_pmids, pubmedqa=pubmedqa
    )
    model = fit(examples, cache, polarity_only=polarity_only)
    shift, scale = calibrate(model, calibration_views(pubmedqa, exclude_pmids), cache)
    model.meta["calibration"] = {"shift": shift, "scale": scale}
    return model


def train_stance(
    shared_data: Path,
    out: Path,
    exclude_pmids: frozenset[str] = frozenset(),
    *,
    settings: Settings | None = None,
    cache_path: Path | None = CACHE,
) -> dict[str, Any]:
    """``medcite train stance``: train on the shared data (less ``exclude_pmids``), save to
    ``out``."""
    start = time.perf_counter()
    settings = settings or Settings()
    embedder = stance_embedder(settings)
    cache = VectorCache(embedder, None if embedder.name == STATIC_MODEL else cache_path)
    model = train_model(shared_data, cache, exclude_pmids=exclude_pmids)
    cache.save()
    model.save(out)
    return {
        "path": str(out),
        "bytes": out.stat().st_size,
        **model.meta,
        "excluded_pmids": len(exclude_pmids),
        "seconds": round(time.perf_counter() - start, 1),
    }
