"""Verification of one written sentence against the passages it cites. A sentence passes only if

1. it cites at least one passage, every number it cites was given to the model, and it has at
   least ``MIN_CONTENT_WORDS`` content words (a heading echoed back is no claim);
2. each cited passage on its own reaches ``min_citation_similarity`` (the best MiniLM cosine
   between the sentence and one of the passage's sentences, or the whole passage); citations
   that do not are removed (small models cite every number they were given), and if none is
   left the sentence fails — the rules below then apply to the passages that remain;
3. every number in it (dose, threshold, percentage, count, year; with its unit when it has one)
   appears in a cited passage with the same value and a compatible unit ("1000 mcg" does not
   match "10000 mcg" nor "1000 mg");
4. its similarity with its cited passages (as in 2) reaches ``min_similarity``: on hand-written
   pairs, faithful paraphrases scored 0.85-0.98 and sentences that add a claim to a passage's
   words ("... in children with autism", "... and prevents dementia") 0.61-0.73;
5. the share of its content words (crudely stemmed) found in the cited passages reaches
   ``min_word_overlap``: the new words a paraphrase may bring are bounded;
6. its negation agrees with the cited sentence closest to it ("not", "no", "never", ...): a
   flipped claim scores high on rules 4 and 5.

Numbers written as words ("twice") are not checked by rule 3; rules 2, 4 and 5 still apply."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np
import numpy.typing as npt

from medcite.index.embeddings import Embedder
from medcite.settings import LLMSettings
from medcite.text import STOPWORDS, split_sentences, tokens

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
    """The outcome for one sentence: ``reason`` is None when it passed; ``support`` is its best
    similarity with a cited passage."""

    ok: bool
    reason: str | None
    support: float
    citations: tuple[int, ...] = ()  # the cited passages that support it on their own


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

    def __init__(self, evidence: Mapping[int, str], embedder: Embedder, llm: LLMSettings) -> None:
        self.evidence = dict(evidence)
        self.embedder = embedder
        self.llm = llm
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
        llm = self.llm
        rows = [i for i, (n, _, _) in enumerate(self._units) if n in citations]
        scores = self._vectors[rows] @ vector
        alone = {  # each cited passage must carry the sentence on its own
            n: max(
                float(s) for s, row in zip(scores, rows, strict=True) if self._units[row][0] == n
            )
            for n in citations
        }
        kept = tuple(n for n in citations if alone[n] >= llm.min_citation_similarity)
        best = max(alone.values())
        if not kept:
            limit = llm.min_citation_similarity
            return Check(False, f"no cited passage supports it ({best:.2f} < {limit:.2f})", best)
        passages = [self.evidence[n] for n in kept]
        number = missing_number(text, passages)
        if number is not None:
            return Check(False, f"number {number} is not in a cited passage", best, kept)
        if best < llm.min_similarity:
            return Check(False, f"similarity {best:.2f} below {llm.min_similarity:.2f}", best, kept)
        overlap = lexical_overlap(text, passages)
        if overlap < llm.min_word_overlap:
            reason = f"word overlap {overlap:.2f} below {llm.min_word_overlap:.2f}"
            return Check(False, reason, best, kept)
        candidates = [
            (float(s), row)
            for s, row in zip(scores, rows, strict=True)
            if self._units[row][2] and self._units[row][0] in kept
        ]
        closest = self._units[max(candidates)[1]][1]
        if negated(text) != negated(closest):
            reason = "negation differs from the closest cited sentence"
            return Check(False, reason, best, kept)
        return Check(True, None, round(best, 4), kept)
