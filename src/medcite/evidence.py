"""Deciding a document's evidence type from PubMed publication types, MeSH, title/abstract cues
and the source it came from (stronger evidence wins when several cues apply), and how much a type
weighs for a question (:func:`evidence_level`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from medcite.records import EvidenceType

# PubMed PublicationType / MeSH names (lower-case) → evidence type.
PUBLICATION_TYPES: dict[str, EvidenceType] = {
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
        re.compile(
            r"\b(systematic(ally)? review(ed)?|meta-?analys[ie]s|pooled analysis|"
            r"we searched (the )?(cochrane|medline|pubmed|embase|electronic databases)|"
            r"data collection and analysis)\b",
            re.I,
        ),
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

# What an abstract no indexer has typed says of its design, read only when nothing above
# matched: a review says it reviews; a study of people counts them, reads their records or asks
# them; an animal or laboratory study names its animals, cells or "in vitro".
_SAYS_REVIEW = re.compile(
    r"\b(?:(?:this|our|the present|narrative|comprehensive|brief|short|current) "
    r"(?:review|overview|commentary|perspective|editorial|essay)"
    r"|we (?:review|discuss|summari[sz]e|highlight|outline)"
    r"|review(?:s|ed)? (?:of )?(?:the|recent) (?:literature|advances|evidence|progress)"
    r"|recent (?:advances|progress|developments)"
    r"|th(?:is|e present) (?:article|chapter|paper) (?:reviews|discusses|summari[sz]es))\b",
    re.I,
)
_STUDIES_PEOPLE = re.compile(
    r"\b(?:(?:\d[\d, ]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen"
    r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|all|consecutive)"
    r" (?:[\w-]+ ){0,3}?"
    r"(?:patients|children|adults|women|men|infants|neonates|newborns|adolescents|participants"
    r"|subjects|individuals|volunteers|residents|students|physicians|doctors|nurses|mothers"
    r"|pregnancies|persons|people|veterans|employees|workers|respondents|families|couples"
    r"|twins|smokers|survivors|donors|recipients|outpatients|inpatients|beneficiaries|enrollees)"
    r"|(?:medical|hospital|clinical|health|patient|case|electronic) (?:records|charts|notes)"
    r"|chart review|questionnaires?|surveyed|interviews?|interviewed"
    r"|(?:national|administrative|claims|insurance|hospital|clinical|health|patient"
    r"|population-based|nationwide) (?:database|registry|register|data)"
    r"|we (?:enrolled|recruited|studied \d+)|were (?:enrolled|recruited))\b"
    r"|\(n ?= ?\d",
    re.I,
)
_STUDIES_ANIMALS_OR_CELLS = re.compile(
    r"\b(?:mice|mouse|murine|rats?|rodents?|porcine|piglets?|pigs|swine|rabbits?|dogs|canine"
    r"|sheep|ovine|bovine|primates?|macaques?|monkeys|zebrafish|drosophila|c\. elegans|yeast"
    r"|xenografts?|knock-?out|transgenic|in vitro|in vivo|ex vivo|cell lines?|cultured"
    r"|organoids?|hela|knock-?down|here,? we (?:show|report|demonstrate|identify|find|reveal))\b",
    re.I,
)
# MeSH check tags: an indexed study of animals and not of humans
_ANIMALS, _HUMANS = "animals", "humans"


def _design_said(title: str, abstract: str, mesh: Iterable[str]) -> EvidenceType:
    """The design an untyped record's own words or check tags say it has: a review, a study of
    people (observational: a trial or a cohort would have matched a stronger cue), an animal or
    laboratory study; a review when they say nothing."""
    text = f"{title}\n{abstract}"
    tags = {name.strip().lower() for name in mesh}
    if _SAYS_REVIEW.search(text):
        return EvidenceType.REVIEW
    if _ANIMALS in tags and _HUMANS not in tags:
        return EvidenceType.LABORATORY
    if _STUDIES_PEOPLE.search(text):
        return EvidenceType.OBSERVATIONAL
    if _STUDIES_ANIMALS_OR_CELLS.search(text):
        return EvidenceType.LABORATORY
    return EvidenceType.REVIEW


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
        kind = PUBLICATION_TYPES.get(name.strip().lower())
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
    if not found:
        return _design_said(title, abstract, mesh)
    best = max(found, key=lambda k: k.rank)
    if best in _STUDY_DESIGNS and _studies_animals(title, abstract, mesh):
        return EvidenceType.LABORATORY  # rats "systematically randomized" are no RCT of people
    return best


_STUDY_DESIGNS = frozenset({EvidenceType.RCT, EvidenceType.OBSERVATIONAL, EvidenceType.CASE_REPORT})


def _studies_animals(title: str, abstract: str, mesh: Iterable[str]) -> bool:
    """An indexed study of animals and not of humans (MeSH check tags), or, untagged, one whose
    words name animals or cells and never people counted."""
    tags = {name.strip().lower() for name in mesh}
    if _ANIMALS in tags or _HUMANS in tags:
        return _HUMANS not in tags
    text = f"{title}\n{abstract}"
    return bool(_STUDIES_ANIMALS_OR_CELLS.search(text)) and not _STUDIES_PEOPLE.search(text)


# What a drug label answers with a regulator's authority: how much and how often to take a drug
# (dose, titration, renal or hepatic impairment), what it must not be combined with
# (interactions), and whether it is safe (side effects, contraindications, warnings, overdose,
# pregnancy and breastfeeding). The same needs question.py reads as treatment questions.
_LABEL_QUESTION = re.compile(
    r"\b(?:doses?|dosages?|dosing|dosed|titrat\w*|how (?:much|many|often)"
    r"|\d+(?:\.\d+)? ?(?:mg|mcg|µg|milligrams?|micrograms?|units?)"  # not "MG", myasthenia
    r"|(?:renal|hepatic|kidney|liver) (?:impairment|insufficiency)"
    r"|interact\w*|co-?administ\w*|concomitant\w*|together with|combined with"
    r"|(?:take|taking|use|using|give|giving) \w+(?: \w+)? (?:with|and)"
    r"|side[- ]effects?|adverse (?:effects?|reactions?|events?)|contraindicat\w*|safe|safely"
    r"|safety|unsafe|warnings?|precautions?|boxed warning|black box|toxicit\w*|overdos\w*"
    r"|pregnan\w*|breast-?feed\w*|breast-?fed|lactat\w*)\b",
    re.I,
)


def asks_about_drug_use(question: str) -> bool:
    """Whether ``question`` asks for a dose, an interaction or a safety matter: what a drug
    label states with the authority of a guideline."""
    return bool(_LABEL_QUESTION.search(question))


def evidence_level(kind: EvidenceType, question: str | None = None) -> int:
    """How much a document of ``kind`` weighs for ``question``: its rank (7 guideline … 1
    consumer health), except that a drug label weighs as a guideline for dose, interaction and
    safety questions — there the label is the approved source — and as a narrative review (2)
    otherwise. Verdicts on yes/no questions keep the rank: a label is no synthesis of trials."""
    if kind is EvidenceType.DRUG_LABEL and question and asks_about_drug_use(question):
        return EvidenceType.GUIDELINE.rank
    return kind.rank
