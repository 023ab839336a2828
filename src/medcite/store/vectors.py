"""int8 quantisation of unit vectors (one scale per vector), the shipped vector-cache files, and
scoring question vectors stored as float32 bytes (stored answers, articles).

A cache file is an ``.npz`` with ``keys`` (text keys, see :func:`medcite.records.text_key`),
``codes`` (int8, n × dim), ``scales`` (float32) and ``model`` (the model name): vectors built once
(``medcite vectors build``) and shipped, so the demo index needs no slow embedding at install time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt


def blob_scores(blobs: Sequence[bytes], vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Dot product of ``vector`` with each float32 vector stored as bytes, in one matrix product;
    -inf for a blob of another length (another model's vector cannot compare)."""
    query = vector.astype(np.float32)
    scores = np.full(len(blobs), -np.inf, dtype=np.float32)
    same = [i for i, blob in enumerate(blobs) if len(blob) == query.nbytes]
    if same:
        matrix = np.frombuffer(b"".join(blobs[i] for i in same), dtype=np.float32)
        scores[same] = matrix.reshape(len(same), -1) @ query
    return scores


def quantise(vector: npt.NDArray[np.float32]) -> tuple[npt.NDArray[np.int8], float]:
    peak = float(np.max(np.abs(vector))) or 1.0
    scale = peak / 127.0
    codes = np.clip(np.rint(vector / scale), -127, 127).astype(np.int8)
    return codes, scale


def dequantise(
    codes: npt.NDArray[np.int8], scales: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    vectors = codes.astype(np.float32) * scales[:, None]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalised: npt.NDArray[np.float32] = (vectors / norms).astype(np.float32)
    return normalised


def save_cache(path: Path, model: str, keys: list[str], vectors: npt.NDArray[np.float32]) -> None:
    order = np.argsort(np.array(keys))
    codes = np.zeros(vectors.shape, dtype=np.int8)
    scales = np.zeros(len(keys), dtype=np.float32)
    for row, vector in enumerate(vectors):
        codes[row], scales[row] = quantise(vector)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        keys=np.array(keys)[order],
        codes=codes[order],
        scales=scales[order],
        model=np.array(model),
    )


SHIPPED_CACHE_MODEL = "all-MiniLM-L6-v2"
"""The model of the shipped cache, ``demo-minilm-int8.npz`` (its file name predates the others)."""


def cache_file(folder: Path, model: str) -> Path:
    """Where ``medcite vectors build`` writes ``model``'s vectors by default: one file per model,
    so building with the fast path never overwrites the MiniLM cache."""
    if model == SHIPPED_CACHE_MODEL:
        return folder / "demo-minilm-int8.npz"
    slug = re.sub(r"[^a-z0-9.]+", "-", Path(model).name.lower()).strip("-.") or "model"
    return folder / f"demo-{slug}-int8.npz"


def cache_model(path: Path) -> str | None:
    """The model a cache file was built with (None: no such file, or not a cache)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return str(data["model"])
    except (OSError, KeyError, ValueError):
        return None


def load_cache(path: Path, model: str) -> dict[str, npt.NDArray[np.float32]]:
    """text key → vector, or nothing when the file is absent or built with another model."""
    if not path.exists():
        return {}
    with np.load(path, allow_pickle=False) as data:
        if str(data["model"]) != model:
            return {}
        vectors = dequantise(data["codes"], data["scales"])
        return {str(k): vectors[i] for i, k in enumerate(data["keys"])}
