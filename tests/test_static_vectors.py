"""The static stance vectors (:mod:`medcite.index.static`): the shipped table, how sentences are
embedded from it, and the distillation that builds it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from medcite.index import static
from medcite.index.embeddings import PACKAGED_MODEL
from medcite.index.static import STATIC_MODEL, StaticEmbedder, default_static

B12 = "Vitamin B12 deficiency causes megaloblastic anaemia."
COBALAMIN = "Low cobalamin levels lead to megaloblastic anemia."
PARKING = "The hospital raised its parking fees last spring."


def test_shipped_table_embeds_unit_vectors() -> None:
    embedder = default_static()
    assert embedder.name == STATIC_MODEL and embedder.source == PACKAGED_MODEL
    vectors = embedder.embed([B12, COBALAMIN, PARKING])
    assert vectors.shape == (3, embedder.dim) == (3, static.DIMS)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(vectors, embedder.embed([B12, COBALAMIN, PARKING]))  # deterministic
    assert embedder.embed([]).shape == (0, embedder.dim)


def test_meaning_survives_distillation() -> None:
    """Two wordings of one finding are closer than an unrelated sentence (what the stance
    model's question-sentence features rely on)."""
    b12, cobalamin, parking = default_static().embed([B12, COBALAMIN, PARKING])
    assert float(b12 @ cobalamin) > float(b12 @ parking) + 0.2


def test_text_without_known_tokens_is_a_zero_vector() -> None:
    embedder = default_static()
    nothing = embedder.embed(["", "   "])
    assert not nothing.any()


def test_rotate_centres_on_the_weighted_mean_and_keeps_dims() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 12)).astype(np.float32)
    frequency = np.zeros(50)
    frequency[:30] = rng.random(30)
    rotated = static.rotate(vectors, frequency, 5)
    assert rotated.shape == (50, 5)
    weight = frequency[:30] / frequency[:30].sum()
    assert np.allclose(weight @ rotated[:30], 0.0, atol=1e-5)


def test_distill_and_save_round_trip(tmp_path: Path) -> None:
    """A table distilled from a few texts: only their tokens have vectors, and the saved int8
    table embeds like the one in memory."""
    texts = [B12, COBALAMIN, PARKING, "The patients received vitamin B12 injections."] * 3
    embedder = static.distill(texts, dims=8)
    ids = {int(i) for row in static.token_ids(PACKAGED_MODEL, texts) for i in row}
    rows_with_vectors = set(np.flatnonzero(np.abs(embedder.table).sum(axis=1) > 0).tolist())
    assert rows_with_vectors == ids
    path = tmp_path / "static.npz"
    static.save(embedder, path)
    loaded = StaticEmbedder.load(path)
    assert loaded.dim == 8 and loaded.source == PACKAGED_MODEL
    cosines = (loaded.embed(texts[:3]) * embedder.embed(texts[:3])).sum(axis=1)
    assert np.all(cosines > 0.99)


def test_missing_table_says_how_to_rebuild(tmp_path: Path) -> None:
    from medcite.errors import MedCiteError

    with pytest.raises(MedCiteError, match="medcite vectors distill"):
        StaticEmbedder.load(tmp_path / "absent.npz")
