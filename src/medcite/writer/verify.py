"""Verification of one written sentence against the passages it cites. A sentence passes only if

1. it cites at least one passage, every number it cites was given to the model, and it has at
   least ``MIN_CONTENT_WORDS`` content words (a heading echoed back is no claim);
2. every number in it (dose, threshold, percentage, count, year; with its unit when it has one)
   appears in a cited passage with the same value and a compatible unit ("1000 mcg" does not
   match "10000 mcg" nor "1000 mg");
3. its support, 0.5 x lexical overlap + 0.5 x semantic similarity, reaches ``min_support``:
   lexical overlap is the share of its content words (crudely stemmed) found in the cited
   passages; semantic similarity is the best MiniLM cosine between it and a sentence (or the
   whole text) of a cited passage;
4. each cited passage on its own reaches ``min_citation_support`` (no padding with citations
   that say something else);
5. its negation agrees with the cited sentence closest to it ("not", "no", "never", ...): a
   flipped claim scores high on rule 3.

Numbers written as words ("twice") are not checked by rule 2; rules 3 and 4 still apply to them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np
import numpy.typing as npt

from medcite.index.embeddings import Embedder
from medcite.text import STOPWORDS, split_sentences, tokens

LEXICAL_WEIGHT = 0.5
"""Weight of lexical overlap in the support score; the rest is the MiniLM cosine."""

MIN_CONTENT_WORDS = 3
"""A "sentence" with fewer content words is no claim ("Treatment.") and is dropped: word overlap
makes any fragment of a passage look supported."""

_UNITS = {
    "%": "%",
    "percent": "%",
    "per cent": "%",
    "mg": "mg",
    "mcg": "mcg",
    "µg": "mcg",
    "μg": "mcg",
    "ug": "mcg",
    "microgram": "mcg",
    "micrograms": "mcg",
    "g": "g",
    "kg": "kg",
    "ml": "ml",
    "l": "l",
    "iu": "iu",
    "units": "iu",
    "mmhg": "mmhg",
    "mmol/l": "mmol/l",
    "mmol/mol": "mmol/mol",
    "mg/dl": "mg/dl",
    "mg/kg": "mg/kg",
    "kg/m2": "kg/m2",
    "kg/m²": "kg/m2",
    "bpm": "bpm",
    "h": "h",
    "hours": "h",
    "hour": "h",
    "days": "day",
    "day": "day",
    "weeks": "week",
    "week": "week",
    "months": "month",
    "month": "month",
    "years": "year",
    "year": "year",
}
_UNIT_RE = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_NUMBER = re.compile(
    r"(?<![\w.])(?<![A-Za-z]-)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    rf"(?:\s*({_UNIT_RE})(?![\w/]))?",
    re.IGNORECASE,
)
_NEGATIONS = frozenset({"not", "no", "never", "neither", "nor", "none", "cannot"})


@dataclass(frozen=True)
class Number:
    value: Decimal
    unit: str | None

    def __str__(self) -> str:
        return f"{self.value:f}{' ' + self.unit if self.unit else ''}"


@dataclass(frozen=True)
class Check:
    """The outcome for one sentence: ``reason`` is None when it passed."""

    ok: bool
    reason: str | None
    support: float


def numbers_in(text: str) -> list[Number]:
    """Every numeric value in ``text`` with its unit, if one follows ("7.0%", "1,000 mcg")."""
    found: list[Number] = []
    for match in _NUMBER.finditer(text.replace("\u2009", " ").replace("\u00a0", " ")):
        whole, fraction, unit = match.groups()
        try:
            value = Decimal(whole.replace(",", "") + (fraction or "")).normalize()
        except InvalidOperation:  # pragma: no cover - the pattern only matches digits
            continue
        found.append(Number(value, _UNITS[unit.lower()] if unit else None))
    return found


def missing_number(sentence: str, passages: Sequence[str]) -> Number | None:
    """The first number of ``sentence`` that no passage states (same value, compatible unit)."""
    available = [n for passage in passages for n in numbers_in(passage)]
    for number in numbers_in(sentence):
        if not any(
            n.value == number.value and (number.unit is None or n.unit in (None, number.unit))
            for n in available
        ):
            return number
    return None


def stem(token: str) -> str:
    for suffix in ("ies", "es", "s", "ed", "ing", "ly"):
        if token.endswith(suffix) and len(token) > len(suffix) + 3:
            return token[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return token


def content_stems(text: str) -> set[str]:
    return {stem(t) for t in tokens(text) if t not in STOPWORDS}


def lexical_overlap(sentence: str, passages: Sequence[str]) -> float:
    """Share of the sentence's content words (stemmed) that occur in the passages."""
    words = content_stems(sentence)
    if not words:
        return 0.0
    available: set[str] = set().union(*(content_stems(p) for p in passages)) if passages else set()
    return len(words & available) / len(words)


def negated(text: str) -> bool:
    words = tokens(text)
    return any(w in _NEGATIONS or w.endswith("n't") for w in words)


class Verifier:
    """Checks sentences against numbered passages (the evidence exactly as the model saw it)."""

    def __init__(
        self,
        evidence: Mapping[int, str],
        embedder: Embedder,
        min_support: float,
        min_citation_support: float | None = None,
    ) -> None:
        self.evidence = dict(evidence)
        self.embedder = embedder
        self.min_support = min_support
        self.min_citation_support = (
            min_support * 0.75 if min_citation_support is None else min_citation_support
        )
        # (passage number, text, is a sentence): each sentence of a passage, and the whole
        # passage when it has several (a sentence may draw on more than one of them)
        self._units: list[tuple[int, str, bool]] = []
        for n, text in self.evidence.items():
            sentences = list(dict.fromkeys(split_sentences(text))) or [text]
            self._units += [(n, sentence, True) for sentence in sentences]
            if len(sentences) > 1:
                self._units.append((n, text, False))
        texts = [piece for _, piece, _ in self._units]
        self._vectors = embedder.embed(texts) if texts else np.zeros((0, 1), np.float32)

    def check_all(self, sentences: Sequence[tuple[str, Sequence[int]]]) -> list[Check]:
        """One :class:`Check` per (text, citations), embedding every sentence in one batch."""
        vectors = self.embedder.embed([text for text, _ in sentences]) if sentences else None
        checks: list[Check] = []
        for index, (text, citations) in enumerate(sentences):
            assert vectors is not None
            checks.append(self._check(text, tuple(citations), vectors[index]))
        return checks

    def check(self, text: str, citations: Sequence[int]) -> Check:
        return self.check_all([(text, citations)])[0]

    def _check(
        self, text: str, citations: tuple[int, ...], vector: npt.NDArray[np.float32]
    ) -> Check:
        if not citations:
            return Check(False, "no citation", 0.0)
        unknown = [n for n in citations if n not in self.evidence]
        if unknown:
            return Check(False, f"cites [{unknown[0]}], which was not given", 0.0)
        if len(content_stems(text)) < MIN_CONTENT_WORDS:
            return Check(False, "too short to be a claim", 0.0)
        passages = [self.evidence[n] for n in citations]
        number = missing_number(text, passages)
        if number is not None:
            return Check(False, f"number {number} is not in a cited passage", 0.0)
        rows = [i for i, (n, _, _) in enumerate(self._units) if n in citations]
        scores = self._vectors[rows] @ vector
        support = self._support(text, passages, scores)
        if support < self.min_support:
            return Check(False, f"support {support:.2f} below {self.min_support:.2f}", support)
        for n in citations:  # each cited passage must carry the sentence on its own too
            own = [i for i, row in enumerate(rows) if self._units[row][0] == n]
            alone = self._support(text, [self.evidence[n]], scores[own])
            if alone < self.min_citation_support:
                reason = f"cited passage [{n}] does not support it ({alone:.2f})"
                return Check(False, reason, support)
        pairs = zip(scores, rows, strict=True)
        closest = self._units[max((float(s), row) for s, row in pairs if self._units[row][2])[1]][1]
        if negated(text) != negated(closest):
            return Check(False, "negation differs from the closest cited sentence", support)
        return Check(True, None, round(support, 4))

    @staticmethod
    def _support(text: str, passages: list[str], scores: npt.NDArray[np.float32]) -> float:
        semantic = max(0.0, float(scores.max()))
        return LEXICAL_WEIGHT * lexical_overlap(text, passages) + (1 - LEXICAL_WEIGHT) * semantic
