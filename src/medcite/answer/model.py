"""The Answer record and its parts — the contract the CLI, the web product and the LLM writer
share. Field names match the JSON documented in README; ``to_dict`` renders that JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from medcite.appraise.snapshot import Snapshot
from medcite.records import EvidenceType, NoticeKind


class Audience(StrEnum):
    CLINICIAN = "clinician"
    STUDENT = "student"
    PATIENT = "patient"


class QuestionType(StrEnum):
    YES_NO = "yes_no"
    CAUSE = "cause"
    DIAGNOSIS = "diagnosis"
    TREATMENT = "treatment"
    PROGNOSIS = "prognosis"
    RISK_FACTORS = "risk_factors"
    DEFINITION = "definition"
    COMPARISON = "comparison"
    GENERAL = "general"


class Verdict(StrEnum):
    YES = "yes"
    NO = "no"
    UNCERTAIN = "uncertain"
    INSUFFICIENT = "insufficient_evidence"


class Strength(StrEnum):
    STRONG = "strong"
    MODERATE = "moderate"
    WEAK = "weak"


class Stance(StrEnum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    NEUTRAL = "neutral"


class SectionKind(StrEnum):
    BULLETS = "bullets"
    STEPS = "steps"
    PARAGRAPH = "paragraph"


@dataclass(frozen=True)
class Question:
    """What the engine understood of the user's question."""

    text: str
    type: QuestionType
    yes_no: bool
    concepts: tuple[str, ...]  # key phrases, most specific first ("vitamin b12 deficiency")
    subject: str | None = None  # for "Can X cause Y?": X
    target: str | None = None  # for "Can X cause Y?": Y
    resolved_from: str | None = None  # the follow-up text before resolution
    known: tuple[str, ...] = ()  # the concepts that hold a vocabulary term ("nodular goiter",
    # not "big one" or "suggested surgery" of a long message)
    terms: tuple[str, ...] = ()  # the concepts that are a vocabulary term, whole ("milk" of
    # "drinks little milk")
    graded_record: str | None = None  # the guideline record a question names by its grade
    # alone ("Under the USPSTF C recommendation, should I …?"), as retrieval found it


@dataclass(frozen=True)
class Safety:
    emergency: bool = False
    out_of_scope: bool = False
    notice: str | None = None


@dataclass(frozen=True)
class Item:
    text: str
    citations: tuple[int, ...]


@dataclass(frozen=True)
class AnswerSection:
    heading: str
    kind: SectionKind
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Quote:
    passage_id: str
    text: str


@dataclass(frozen=True)
class ReferenceNotice:
    """A published notice about a cited paper (an expression of concern, an erratum), shown
    under the reference: ``text`` says what and where ("Erratum (PubMed, PMID 123)")."""

    kind: NoticeKind
    text: str


@dataclass(frozen=True)
class Reference:
    n: int
    doc_id: str
    title: str
    journal: str | None
    year: int | None
    evidence_type: EvidenceType
    pmid: str | None
    doi: str | None
    url: str | None
    quotes: tuple[Quote, ...]
    stance: Stance | None = None  # toward a yes/no question; None for other questions
    # as the source lists them ("Smith JA", a group's name); empty when it names none. Added
    # after the first records were stored: older stored records have no "authors" key.
    authors: tuple[str, ...] = ()
    # what kind of study, how many people, compared with what (spans of the source; None in
    # records stored before this field)
    snapshot: Snapshot | None = None
    # expressions of concern and errata about the paper (a retracted paper is never cited);
    # records stored before this field have no "notices" key
    notices: tuple[ReferenceNotice, ...] = ()
    # a journal article's volume, issue and pages ("1865-1876") as its record gives them, for
    # the citation export; None where it gives none. Records stored before these fields lack
    # the keys
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    # the full date of the cited version (YYYY-MM-DD) where the source gives one, and a drug
    # label's set id (the label across its versions); records stored before these fields lack
    # the keys
    date: str | None = None
    set_id: str | None = None


@dataclass(frozen=True)
class BottomLine:
    verdict: Verdict | None
    strength: Strength | None
    text: str
    citations: tuple[int, ...]


@dataclass(frozen=True)
class EvidenceMeter:
    supports: int
    contradicts: int
    neutral: int


@dataclass(frozen=True)
class GlossEntry:
    """A jargon term in the answer with its plain-language meaning and where that comes from."""

    term: str
    plain: str
    source: str


@dataclass(frozen=True)
class DroppedSentence:
    """A sentence the LLM writer proposed and verification refused: kept for reviewers only,
    never shown in the public answer. ``citations`` are the numbers the model gave."""

    text: str
    citations: tuple[int, ...]
    reason: str


@dataclass(frozen=True)
class Answer:
    id: str
    question: str
    audience: Audience
    question_type: QuestionType
    bottom_line: BottomLine
    evidence_meter: EvidenceMeter | None
    sections: tuple[AnswerSection, ...]
    references: tuple[Reference, ...]
    reading_grade: float | None
    safety: Safety
    related_questions: tuple[str, ...] = ()
    suggested_follow_ups: tuple[str, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    glossary: tuple[GlossEntry, ...] = ()
    follow_up_of: str | None = None
    resolved_question: str | None = None
    showing_results_for: str | None = None  # the question as searched, spelling corrected
    created_at: str | None = None
    writer: str = "extractive"  # "llm (<model>)", or "extractive (fallback: <why>)"
    dropped: tuple[DroppedSentence, ...] = ()  # LLM sentences that failed verification

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (enums as their values, tuples as lists)."""
        plain: dict[str, Any] = _plain(asdict(self))
        return plain


def _plain(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
