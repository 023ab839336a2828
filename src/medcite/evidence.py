"""Deciding a document's evidence type from PubMed publication types, MeSH, title/abstract cues
and the source it came from. Stronger evidence wins when several cues apply."""

from __future__ import annotations

import re
from collections.abc import Iterable

from medcite.records import EvidenceType

# PubMed PublicationType / MeSH names (lower-case) → evidence type.
_PUBLICATION_TYPES: dict[str, EvidenceType] = {
    "practice guideline": EvidenceType.GUIDELINE,
    "guideline": EvidenceType.GUIDELINE,
    "consensus development conference": EvidenceType.GUIDELINE,
    "consensus development conference, nih": EvidenceType.GUIDELINE,
    "systematic review": EvidenceType.SYSTEMATIC_REVIEW,
    "meta-analysis": EvidenceType.SYSTEMATIC_REVIEW,
    "network meta-analysis": EvidenceType.SYSTEMATIC_REVIEW,
    "randomized controlled trial": EvidenceType.RCT,
    "pragmatic clinical trial": EvidenceType.RCT,
    "equivalence trial": EvidenceType.RCT,
    "clinical trial, phase iii": EvidenceType.RCT,
    "clinical trial, phase iv": EvidenceType.RCT,
    "random allocation": EvidenceType.RCT,
    "double-blind method": EvidenceType.RCT,
    "observational study": EvidenceType.OBSERVATIONAL,
    "multicenter study": EvidenceType.OBSERVATIONAL,
    "comparative study": EvidenceType.OBSERVATIONAL,
    "clinical trial": EvidenceType.OBSERVATIONAL,
    "controlled clinical trial": EvidenceType.OBSERVATIONAL,
    "clinical trial, phase i": EvidenceType.OBSERVATIONAL,
    "clinical trial, phase ii": EvidenceType.OBSERVATIONAL,
    "validation study": EvidenceType.OBSERVATIONAL,
    "validation studies": EvidenceType.OBSERVATIONAL,
    "evaluation study": EvidenceType.OBSERVATIONAL,
    "evaluation studies": EvidenceType.OBSERVATIONAL,
    "twin study": EvidenceType.OBSERVATIONAL,
    "cohort studies": EvidenceType.OBSERVATIONAL,
    "prospective studies": EvidenceType.OBSERVATIONAL,
    "retrospective studies": EvidenceType.OBSERVATIONAL,
    "case-control studies": EvidenceType.OBSERVATIONAL,
    "cross-sectional studies": EvidenceType.OBSERVATIONAL,
    "longitudinal studies": EvidenceType.OBSERVATIONAL,
    "follow-up studies": EvidenceType.OBSERVATIONAL,
    "case reports": EvidenceType.CASE_REPORT,
    "review": EvidenceType.REVIEW,
    "patient education handout": EvidenceType.CONSUMER_HEALTH,
}

# Title and abstract cues, checked strongest first.
_TEXT_CUES: list[tuple[EvidenceType, re.Pattern[str]]] = [
    (
        EvidenceType.GUIDELINE,
        re.compile(
            r"\b(clinical practice guidelines?|practice guidelines?|consensus statement|"
            r"recommendation statement)\b",
            re.I,
        ),
    ),
    (
        EvidenceType.SYSTEMATIC_REVIEW,
        re.compile(r"\b(systematic(ally)? review(ed)?|meta-?analys[ie]s|pooled analysis)\b", re.I),
    ),
    (
        EvidenceType.RCT,
        re.compile(
            r"\b(randomi[sz]ed\b[^.;]{0,60}?\b(trial|study)|randomly (assigned|allocated)|"
            r"were randomi[sz]ed)\b",
            re.I,
        ),
    ),
    (
        EvidenceType.OBSERVATIONAL,
        re.compile(
            r"\b(cohort (study|studies|analysis)|(prospective|retrospective|birth|"
            r"population-based) cohort|case-control|cross-sectional (study|survey|analysis)|"
            r"(prospective|retrospective|observational|longitudinal|population-based|"
            r"registry-based) (study|studies|analysis|review of|results|data)|"
            r"observational data)\b",
            re.I,
        ),
    ),
    (
        EvidenceType.CASE_REPORT,
        re.compile(
            r"\b(case report|we (report|describe|present) (a|an|two|three) (case|patient)|"
            r"case series|a \d+-year-old)\b",
            re.I,
        ),
    ),
]

GUIDELINE_SOURCES = frozenset({"ngc", "uspstf", "guideline"})
CONSUMER_SOURCES = frozenset({"medquad", "medlineplus", "consumer"})


def classify(
    *,
    source: str,
    publication_types: Iterable[str] = (),
    mesh: Iterable[str] = (),
    title: str = "",
    abstract: str = "",
) -> EvidenceType:
    """The strongest evidence type any cue supports; the source decides for curated collections."""
    if source.lower() in GUIDELINE_SOURCES:
        return EvidenceType.GUIDELINE
    if source.lower() in CONSUMER_SOURCES:
        return EvidenceType.CONSUMER_HEALTH
    found: list[EvidenceType] = []
    for name in (*publication_types, *mesh):
        kind = _PUBLICATION_TYPES.get(name.strip().lower())
        if kind is not None:
            found.append(kind)
    indexed = max(found, key=lambda k: k.rank) if found else None
    # Indexers' publication types beat a phrase in the abstract ("pooled using meta-analysis"
    # in a trial); the title still speaks for itself ("…: a systematic review").
    read_abstract = indexed is None or indexed is EvidenceType.REVIEW
    for kind, pattern in _TEXT_CUES:
        in_abstract = (
            read_abstract and kind is not EvidenceType.GUIDELINE and pattern.search(abstract)
        )
        if pattern.search(title) or in_abstract:
            found.append(kind)
            break
    return max(found, key=lambda k: k.rank) if found else EvidenceType.REVIEW
