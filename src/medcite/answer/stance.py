"""The stance model: how strongly each evidence sentence says *yes*, *no* or nothing to a
yes/no question ("Can X cause Y?": a sentence that says X causes Y supports).

Two logistic regressions, written in numpy so the shipped artefact is a small ``.npz`` of weights
that loads without the training data or any extra library:

* *salience* — does the sentence take a stance at all (a result or a conclusion, not background
  or method)? It reads sentence vectors (the sentence, question ⊙ sentence, their cosine) and
  the cues of :mod:`medcite.answer.cues`. The vectors are the static table distilled from
  MiniLM (:mod:`medcite.index.static`; ``meta['embedding']`` names them): on the held-apart
  SciFact sentences its salience AUC is 0.789 against 0.779 with MiniLM itself, at ~0.06 ms
  a sentence instead of ~12 ms.
* *polarity* — given that it does, does it say yes? It reads only the cues ("no significant
  difference", p-values, hedges, direction agreement). Vectors were tried here and lowered the
  cross-validated PubMedQA figures: on a few hundred questions they learn topics, not stance.

Trained by :mod:`medcite.answer.train` (``medcite train stance``) on PubMedQA, SciFact and Evidence
Inference.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from medcite.answer.cues import CUE_NAMES, cues
from medcite.errors import MedCiteError
from medcite.index.embeddings import Embedder
from medcite.index.static import STATIC_MODEL, vectors_named
from medcite.settings import EmbeddingSettings

F32 = npt.NDArray[np.float32]
RESOURCE = Path(__file__).resolve().parents[1] / "resources" / "stance.npz"
CLASSES = ("supports", "contradicts", "neutral")  # the order of Stance and of predict()'s columns


def features(question: str, question_vec: F32, sentences: list[str], sentence_vecs: F32) -> F32:
    """One row per sentence: [sentence vector, 8 · question ⊙ sentence, cosine, cues] (the
    product is scaled up so its entries are not all near zero)."""
    s = np.asarray(sentence_vecs, dtype=np.float32).reshape(len(sentences), -1)
    q = np.asarray(question_vec, dtype=np.float32).reshape(1, -1)
    cosine = s @ q[0]
    hand = np.array([cues(question, text) for text in sentences], dtype=np.float32)
    hand = hand.reshape(len(sentences), len(CUE_NAMES))
    return np.hstack([s, s * q * 8.0, cosine[:, None], hand]).astype(np.float32)


POLARITY_COLUMNS = len(CUE_NAMES)
"""The polarity head reads only the cues: the last columns of :func:`features`."""


class Head:
    """A binary logistic regression over the standardised feature columns ``first:``
    (``first`` may be negative: the last columns)."""

    def __init__(self, weights: F32, bias: float, mean: F32, scale: F32, first: int) -> None:
        self.weights, self.bias, self.mean, self.scale, self.first = (
            weights,
            bias,
            mean,
            scale,
            first,
        )

    def logit(self, x: F32) -> F32:
        z = (x[:, self.first :] - self.mean) / self.scale
        out: F32 = (z @ self.weights + self.bias).astype(np.float32)
        return out

    @classmethod
    def fit(
        cls,
        x: F32,
        y: npt.NDArray[np.float32],
        sample_weight: F32 | None = None,
        *,
        first: int = 0,
        l2: float = 1.0,
        iterations: int = 300,
    ) -> Head:
        """Minimise weighted log-loss + ``l2``/(2n)·‖w‖² with full-batch Adam from zero:
        deterministic. ``y`` may be soft (a probability per example)."""
        cols = x[:, first:]
        mean = cols.mean(axis=0)
        scale = cols.std(axis=0) + 1e-6
        z = ((cols - mean) / scale).astype(np.float32)
        n = len(z)
        w = np.ones(n, dtype=np.float32) if sample_weight is None else sample_weight
        w = (w / w.sum()).astype(np.float32)
        params = [np.zeros(z.shape[1], dtype=np.float32), np.zeros(1, dtype=np.float32)]
        moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
        rate, beta1, beta2 = 0.05, 0.9, 0.999
        for step in range(1, iterations + 1):
            error = (_sigmoid(z @ params[0] + params[1][0]) - y) * w
            grads = [z.T @ error + (l2 / n) * params[0], np.array([error.sum()], np.float32)]
            for param, grad, (m, v) in zip(params, grads, moments, strict=True):
                m *= beta1
                m += (1 - beta1) * grad
                v *= beta2
                v += (1 - beta2) * grad * grad
                m_hat = m / (1 - beta1**step)
                v_hat = v / (1 - beta2**step)
                param -= rate * m_hat / (np.sqrt(v_hat) + 1e-8)
        return cls(params[0], float(params[1][0]), mean, scale, first)


class StanceModel:
    """Two heads: *salience*, P(the sentence takes a stance at all: a result or a conclusion,
    not background or method), over every feature; and *polarity*, P(it says yes | it takes a
    stance), over the cues. P(supports) = salience · polarity, P(contradicts) =
    salience · (1 − polarity), P(neutral) = 1 − salience."""

    def __init__(self, salience: Head, polarity: Head, meta: dict[str, object]) -> None:
        self.salience, self.polarity, self.meta = salience, polarity, meta

    def predict(
        self, question: str, question_vec: F32, sentences: list[str], sentence_vecs: F32
    ) -> F32:
        """P(supports), P(contradicts), P(neutral) per sentence; rows sum to 1."""
        if not sentences:
            return np.zeros((0, len(CLASSES)), dtype=np.float32)
        return self.predict_features(features(question, question_vec, sentences, sentence_vecs))

    @property
    def embedding(self) -> str:
        """The sentence vectors the salience head was trained on."""
        return str(self.meta.get("embedding") or STATIC_MODEL)

    def embedder(self, settings: EmbeddingSettings) -> Embedder:
        """Something that makes the vectors this model reads: the shipped static table, or
        the named sentence-transformers model."""
        return vectors_named(self.embedding, settings)

    def predict_features(self, x: F32) -> F32:
        salience = _sigmoid(self.salience.logit(x))
        polarity = _sigmoid(self.polarity.logit(x))
        out = np.stack([salience * polarity, salience * (1 - polarity), 1 - salience], axis=1)
        return out.astype(np.float32)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, npt.NDArray[np.generic]] = {
            "meta": np.array(json.dumps(self.meta, sort_keys=True))
        }
        for name, head in (("salience", self.salience), ("polarity", self.polarity)):
            arrays[f"{name}_weights"] = head.weights.astype(np.float16)
            arrays[f"{name}_mean"] = head.mean.astype(np.float16)
            arrays[f"{name}_scale"] = head.scale.astype(np.float16)
            arrays[f"{name}_bias"] = np.array([head.bias, head.first], dtype=np.float64)
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> StanceModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                heads = []
                for name in ("salience", "polarity"):
                    bias, first = data[f"{name}_bias"]
                    heads.append(
                        Head(
                            data[f"{name}_weights"].astype(np.float32),
                            float(bias),
                            data[f"{name}_mean"].astype(np.float32),
                            data[f"{name}_scale"].astype(np.float32),
                            int(first),
                        )
                    )
                return cls(heads[0], heads[1], json.loads(str(data["meta"])))
        except (OSError, KeyError, ValueError) as exc:
            raise MedCiteError(
                f"cannot load the stance model {path}: {exc}; "
                "rebuild it with `medcite train stance`"
            ) from exc


def _sigmoid(logits: F32) -> F32:
    out: F32 = (1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))).astype(np.float32)
    return out


@lru_cache(maxsize=1)
def load_default_stance() -> StanceModel:
    """The shipped model (``medcite/resources/stance.npz``), loaded once."""
    if not RESOURCE.exists():
        raise MedCiteError(
            f"the stance model {RESOURCE} is missing; build it with `medcite train stance` "
            "(needs the shared data folder)"
        )
    return StanceModel.load(RESOURCE)
