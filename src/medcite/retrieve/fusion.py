"""Reciprocal rank fusion and the evidence/recency priors, written once.

RRF: Cormack, Clarke & Büttcher, "Reciprocal rank fusion outperforms Condorcet and individual
rank learning methods", SIGIR 2009 — score(d) = Σ_lists w / (k + rank(d)), k = 60.
"""

from __future__ import annotations

from collections.abc import Sequence

from medcite.settings import RetrievalSettings


def rrf(
    ranked_lists: Sequence[Sequence[int]], weights: Sequence[float], k: int
) -> dict[int, float]:
    """Fused scores of every key in any list (ranks start at 1)."""
    scores: dict[int, float] = {}
    for keys, weight in zip(ranked_lists, weights, strict=True):
        if weight == 0:
            continue
        for rank, key in enumerate(keys, start=1):
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    return scores


def prior(
    evidence_rank: int, year: int | None, settings: RetrievalSettings, this_year: int
) -> float:
    """Multiplier for a document's evidence level and age (1.0 = no boost)."""
    boost = 1.0 + settings.evidence_weight * (evidence_rank - 1) / 6
    if year:
        age = max(0, this_year - year)
        boost *= 1.0 + settings.recency_weight * 2 ** (-age / settings.recency_half_life_years)
    return boost
