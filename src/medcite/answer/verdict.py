"""The bottom line of a yes/no question: per-sentence stances weighed into per-document stances,
and those into a verdict, a strength and the one-sentence reason.

Rules (every number is an ``answer.verdict_*`` setting, :class:`medcite.settings.AnswerSettings`):

1. A sentence counts only if its relevance is at least ``verdict_min_relevance``; with none
   left the verdict is ``insufficient_evidence``.
2. A document's *lean* is (S − C) / (S + C), where S and C sum its sentences' P(supports) and
   P(contradicts), each weighted by (1 − P(neutral))²: sentences that take no stance add little
   to either. (Weighting by relevance as well was measured to do worse: within one abstract the
   result sentence rarely repeats the question's words.) A document *takes a stance* when one
   of its sentences has P(neutral) ≤ ``verdict_max_neutral``; it then supports when lean ≥
   ``verdict_doc_lean``, contradicts when lean ≤ −``verdict_doc_lean``, and is neutral
   otherwise (the evidence meter counts these documents).
3. A document weighs its best sentence relevance × an evidence-level factor
   (1 + ``verdict_level_weight`` · (rank − 1) / 6: a guideline weighs
   1 + ``verdict_level_weight`` times a consumer page) × a recency factor
   (1 + ``verdict_recency_weight`` · 2^(−age / ``verdict_half_life_years``)).
4. The score is the weighted mean lean of the documents that take a stance. Yes when
   score ≥ ``verdict_margin``, no when ≤ −``verdict_margin``; otherwise — or when no document
   takes a stance — uncertain.
5. Strength of a yes/no: strong when |score| ≥ ``verdict_strong_score``, no document disagrees
   and the agreeing documents include a guideline or systematic review or
   ``verdict_strong_trials`` RCTs; moderate when |score| ≥ ``verdict_moderate_score`` and at
   least two documents, or one RCT or better, agree; weak otherwise. Uncertain and insufficient
   verdicts have no strength.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medcite.answer.model import EvidenceMeter, Stance, Strength, Verdict
from medcite.records import EvidenceType
from medcite.settings import AnswerSettings

_COLUMN = {Stance.SUPPORTS: 0, Stance.CONTRADICTS: 1, Stance.NEUTRAL: 2}


@dataclass(frozen=True)
class ScoredEvidence:
    """One evidence sentence: its stance probabilities and what its document weighs."""

    doc_id: str
    probs: npt.NDArray[np.float32]  # (3,): supports, contradicts, neutral
    relevance: float  # 0..1, cosine-like similarity to the question
    evidence_rank: int  # EvidenceType.rank, 1 (consumer health) .. 7 (guideline)
    year: int | None


@dataclass(frozen=True)
class DocumentStance:
    doc_id: str
    stance: Stance
    lean: float  # -1 (all contradicting) .. 1 (all supporting); 0 when it takes no stance
    weight: float
    evidence_rank: int
    takes_stance: bool


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    strength: Strength | None
    meter: EvidenceMeter
    reason: str
    documents: tuple[DocumentStance, ...] = ()
    score: float = 0.0


def document_stances(
    evidence: list[ScoredEvidence], this_year: int, rules: AnswerSettings | None = None
) -> list[DocumentStance]:
    """Rule 2 and 3: one stance and weight per document, in order of first appearance."""
    rules = rules or AnswerSettings()
    grouped: dict[str, list[ScoredEvidence]] = {}
    for item in evidence:
        if item.relevance >= rules.verdict_min_relevance:
            grouped.setdefault(item.doc_id, []).append(item)
    out: list[DocumentStance] = []
    for doc_id, items in grouped.items():
        relevance = np.array([max(i.relevance, 0.0) for i in items], dtype=np.float64)
        probs = np.array([i.probs for i in items], dtype=np.float64).reshape(len(items), 3)
        loudness = (1.0 - probs[:, 2]) ** 2  # sentences that take a stance speak loudest
        s, c = (loudness[:, None] * probs[:, :2]).sum(axis=0)
        lean = float((s - c) / (s + c)) if s + c > 0 else 0.0
        takes_stance = bool(probs[:, 2].min() <= rules.verdict_max_neutral)
        if takes_stance and lean >= rules.verdict_doc_lean:
            stance = Stance.SUPPORTS
        elif takes_stance and lean <= -rules.verdict_doc_lean:
            stance = Stance.CONTRADICTS
        else:
            stance = Stance.NEUTRAL
        rank = max(i.evidence_rank for i in items)
        year = items[0].year
        level = 1.0 + rules.verdict_level_weight * (rank - 1) / 6.0
        recency = 1.0
        if year is not None:
            age = max(this_year - year, 0)
            recency += rules.verdict_recency_weight * 2.0 ** (-age / rules.verdict_half_life_years)
        weight = float(relevance.max()) * level * recency
        out.append(
            DocumentStance(
                doc_id, stance, lean if takes_stance else 0.0, weight, rank, takes_stance
            )
        )
    return out


def decide(
    evidence: list[ScoredEvidence], this_year: int, rules: AnswerSettings | None = None
) -> Decision:
    """The verdict, strength, evidence meter and reason for a yes/no question (``rules``: the
    ``verdict_*`` settings; default: the defaults)."""
    rules = rules or AnswerSettings()
    documents = document_stances(evidence, this_year, rules)
    counts = Counter(d.stance for d in documents)
    meter = EvidenceMeter(
        counts[Stance.SUPPORTS], counts[Stance.CONTRADICTS], counts[Stance.NEUTRAL]
    )
    if not documents:
        return Decision(Verdict.INSUFFICIENT, None, meter, "No relevant evidence was found.")
    taking = [d for d in documents if d.takes_stance]
    total = sum(d.weight for d in taking)
    score = sum(d.weight * d.lean for d in taking) / total if total > 0 else 0.0
    if score >= rules.verdict_margin and counts[Stance.SUPPORTS]:
        verdict = Verdict.YES
    elif score <= -rules.verdict_margin and counts[Stance.CONTRADICTS]:
        verdict = Verdict.NO
    else:  # a yes needs a supporting source, a no a contradicting one
        verdict = Verdict.UNCERTAIN
    strength = _strength(verdict, score, documents, rules)
    return Decision(
        verdict, strength, meter, reason(verdict, documents), tuple(documents), round(score, 4)
    )


def _strength(
    verdict: Verdict, score: float, documents: list[DocumentStance], rules: AnswerSettings
) -> Strength | None:
    if verdict not in (Verdict.YES, Verdict.NO):
        return None
    agree = Stance.SUPPORTS if verdict is Verdict.YES else Stance.CONTRADICTS
    against = Stance.CONTRADICTS if verdict is Verdict.YES else Stance.SUPPORTS
    agreeing = [d for d in documents if d.stance is agree]
    disagreeing = [d for d in documents if d.stance is against]
    ranks = [d.evidence_rank for d in agreeing]
    synthesis = any(r >= EvidenceType.SYSTEMATIC_REVIEW.rank for r in ranks)
    trials = sum(r >= EvidenceType.RCT.rank for r in ranks)
    strong_evidence = synthesis or trials >= rules.verdict_strong_trials
    if abs(score) >= rules.verdict_strong_score and not disagreeing and strong_evidence:
        return Strength.STRONG
    if abs(score) >= rules.verdict_moderate_score and (len(agreeing) >= 2 or trials >= 1):
        return Strength.MODERATE
    return Strength.WEAK


def reason(verdict: Verdict, documents: list[DocumentStance]) -> str:
    """ "4 sources support, including 1 guideline; 1 contradicts." — counts are documents."""
    by_stance = {s: [d for d in documents if d.stance is s] for s in Stance}
    support, contra = by_stance[Stance.SUPPORTS], by_stance[Stance.CONTRADICTS]
    if verdict is Verdict.INSUFFICIENT or not documents:
        return "No relevant evidence was found."
    if not support and not contra:
        n = len(documents)
        return f"MedCite reads no clear yes or no in the {_sources(n)} found."
    lead, other = (contra, support) if verdict is Verdict.NO else (support, contra)
    lead_verb, other_verb = (
        ("contradict", "support") if verdict is Verdict.NO else ("support", "contradict")
    )
    parts = []
    if lead:
        parts.append(f"{_sources(len(lead))} {_verb(lead_verb, len(lead))}{_including(lead)}")
    if other:
        parts.append(f"{len(other)} {_verb(other_verb, len(other))}")
    text = "; ".join(parts) if lead else f"{_sources(len(other))} {_verb(other_verb, len(other))}"
    if verdict is Verdict.UNCERTAIN and lead and other:
        text = f"The evidence is mixed: {text}"
    elif verdict is Verdict.UNCERTAIN:  # one side only, too weakly to decide
        text = f"{text}, not clearly enough to answer {'yes' if support else 'no'}"
    return text[0].upper() + text[1:] + "."


def _sources(n: int) -> str:
    return f"{n} source" if n == 1 else f"{n} sources"


def _verb(verb: str, n: int) -> str:
    return f"{verb}s" if n == 1 else verb


def _including(documents: list[DocumentStance]) -> str:
    """ ", including 1 guideline and 2 RCTs" for the agreeing evidence of RCT level or above."""
    ranks = Counter(d.evidence_rank for d in documents if d.evidence_rank >= EvidenceType.RCT.rank)
    if not ranks:
        return ""
    names = []
    for kind in EvidenceType:
        if ranks.get(kind.rank):
            names.append(_count_label(kind, ranks[kind.rank]))
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f", including {joined}"


def _count_label(kind: EvidenceType, n: int) -> str:
    label = kind.label if kind is EvidenceType.RCT else kind.label.lower()
    if n == 1:
        return f"1 {label}"
    if kind is EvidenceType.SYSTEMATIC_REVIEW:
        return f"{n} systematic reviews/meta-analyses"
    return f"{n} {label}s"
