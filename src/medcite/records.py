"""Typed records passed between pipeline stages: documents, passages, evidence types, hits.

Records are frozen so a stage can never mutate what an earlier stage produced. Ids are stable:
a document id comes from the source (``pmid:123``, ``doi:10.1/x``, ``medquad:…``) and a passage id
is the document id plus the passage ordinal (``pmid:123#2``), so a citation survives re-indexing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EvidenceType(StrEnum):
    """Kinds of evidence, strongest first. ``rank`` orders them (higher is stronger)."""

    GUIDELINE = "guideline"
    SYSTEMATIC_REVIEW = "systematic_review"
    RCT = "rct"
    OBSERVATIONAL = "observational"
    CASE_REPORT = "case_report"
    REVIEW = "review"
    CONSUMER_HEALTH = "consumer_health"
    DRUG_LABEL = "drug_label"
    LABORATORY = "laboratory"

    @property
    def rank(self) -> int:
        """The evidence level: 7 for a guideline down to 1 for consumer health information. A
        drug label is level 2, a summary like a narrative review; for dose, interaction and
        safety questions it weighs as a guideline (:func:`medcite.evidence.evidence_level`). An
        animal or laboratory study is level 2 as well: it tells how something may work, not what
        it does in patients."""
        return _RANKS[self]

    @property
    def code(self) -> int:
        """A small number of its own per type, stored with each document so the vector search
        can filter by type (``documents.evidence_rank``): levels may be shared, codes are not.
        A type's code is its rank unless another type holds that rank already, so databases
        written before a type was added read the same."""
        return _CODES[self]

    @property
    def label(self) -> str:
        """The human label shown on badges and in reference lists."""
        return _LABELS[self]

    @classmethod
    def parse(cls, value: str) -> EvidenceType:
        """Accept the snake_case value, the label or a common alias (``meta-analysis``, ``RCT``)."""
        key = value.strip().lower().replace("-", "_").replace(" ", "_").replace("/", "_")
        if key in _ALIASES:
            return _ALIASES[key]
        for member in cls:
            if key in (member.value, member.label.lower().replace(" ", "_").replace("/", "_")):
                return member
        choices = ", ".join(m.value for m in cls)
        raise ValueError(f"unknown evidence type {value!r}; choose one of: {choices}")


_RANKS = {
    EvidenceType.GUIDELINE: 7,
    EvidenceType.SYSTEMATIC_REVIEW: 6,
    EvidenceType.RCT: 5,
    EvidenceType.OBSERVATIONAL: 4,
    EvidenceType.CASE_REPORT: 3,
    EvidenceType.REVIEW: 2,
    EvidenceType.CONSUMER_HEALTH: 1,
    EvidenceType.DRUG_LABEL: 2,
    EvidenceType.LABORATORY: 2,
}
_CODES = {**_RANKS, EvidenceType.DRUG_LABEL: 8, EvidenceType.LABORATORY: 9}
_LABELS = {
    EvidenceType.GUIDELINE: "Guideline",
    EvidenceType.SYSTEMATIC_REVIEW: "Systematic review/Meta-analysis",
    EvidenceType.RCT: "RCT",
    EvidenceType.OBSERVATIONAL: "Observational",
    EvidenceType.CASE_REPORT: "Case report",
    EvidenceType.REVIEW: "Review",
    EvidenceType.CONSUMER_HEALTH: "Consumer health",
    EvidenceType.DRUG_LABEL: "Drug label",
    EvidenceType.LABORATORY: "Animal/lab study",
}
_ALIASES = {
    "meta_analysis": EvidenceType.SYSTEMATIC_REVIEW,
    "systematic_review_meta_analysis": EvidenceType.SYSTEMATIC_REVIEW,
    "sr": EvidenceType.SYSTEMATIC_REVIEW,
    "randomized_controlled_trial": EvidenceType.RCT,
    "randomised_controlled_trial": EvidenceType.RCT,
    "trial": EvidenceType.RCT,
    "cohort": EvidenceType.OBSERVATIONAL,
    "observational_study": EvidenceType.OBSERVATIONAL,
    "case_series": EvidenceType.CASE_REPORT,
    "other": EvidenceType.REVIEW,
    "consumer": EvidenceType.CONSUMER_HEALTH,
    "patient_information": EvidenceType.CONSUMER_HEALTH,
    "label": EvidenceType.DRUG_LABEL,
    "package_insert": EvidenceType.DRUG_LABEL,
    "prescribing_information": EvidenceType.DRUG_LABEL,
    "spl": EvidenceType.DRUG_LABEL,
    "lab": EvidenceType.LABORATORY,
    "lab_study": EvidenceType.LABORATORY,
    "laboratory_study": EvidenceType.LABORATORY,
    "animal": EvidenceType.LABORATORY,
    "animal_study": EvidenceType.LABORATORY,
    "in_vitro": EvidenceType.LABORATORY,
    "preclinical": EvidenceType.LABORATORY,
}


@dataclass(frozen=True, slots=True)
class Document:
    """One citable source: an abstract, a guideline, a consumer-health page."""

    id: str
    title: str
    evidence_type: EvidenceType
    source: str
    authors: tuple[str, ...] = ()
    journal: str | None = None
    year: int | None = None
    url: str | None = None
    # pmid, doi, pmcid, <source>: its id; for a journal article also volume, issue and pages
    # (as cited: "378", "20", "1865-1876"), which the citation export writes
    identifiers: dict[str, str] = field(default_factory=dict)
    publication_types: tuple[str, ...] = ()
    mesh: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    licence: str | None = None
    # the full date of this version (YYYY-MM-DD) where the source dates it to the day: a drug
    # label's effective time. Left out of the record when unknown, so the content hash of a
    # document stored before this field stays what it was.
    date: str | None = None

    @property
    def pmid(self) -> str | None:
        return self.identifiers.get("pmid")

    @property
    def doi(self) -> str | None:
        return self.identifiers.get("doi")

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "evidence_type": self.evidence_type.value,
            "source": self.source,
            "authors": list(self.authors),
            "journal": self.journal,
            "year": self.year,
            "url": self.url,
            "identifiers": dict(sorted(self.identifiers.items())),
            "publication_types": list(self.publication_types),
            "mesh": list(self.mesh),
            "keywords": list(self.keywords),
            "licence": self.licence,
        }
        if self.date:
            record["date"] = self.date
        return record

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(
            id=data["id"],
            title=data["title"],
            evidence_type=EvidenceType(data["evidence_type"]),
            source=data["source"],
            authors=tuple(data.get("authors") or ()),
            journal=data.get("journal"),
            year=data.get("year"),
            url=data.get("url"),
            identifiers=dict(data.get("identifiers") or {}),
            publication_types=tuple(data.get("publication_types") or ()),
            mesh=tuple(data.get("mesh") or ()),
            keywords=tuple(data.get("keywords") or ()),
            licence=data.get("licence"),
            date=data.get("date"),
        )


@dataclass(frozen=True, slots=True)
class Section:
    """A labelled block of a source as the reader found it (before chunking)."""

    label: str | None
    text: str


class NoticeKind(StrEnum):
    """What a published notice says about a paper. A retraction takes the paper out of the
    evidence; the others show beside it as a reference."""

    RETRACTION = "retraction"
    EXPRESSION_OF_CONCERN = "expression_of_concern"
    ERRATUM = "erratum"

    @property
    def label(self) -> str:
        return _NOTICE_LABELS[self]


_NOTICE_LABELS = {
    NoticeKind.RETRACTION: "Retraction",
    NoticeKind.EXPRESSION_OF_CONCERN: "Expression of concern",
    NoticeKind.ERRATUM: "Erratum",
}
_NOTICE_SOURCES = {"pubmed": "PubMed", "retraction-watch": "Retraction Watch"}


@dataclass(frozen=True, slots=True)
class Notice:
    """A retraction, expression of concern or erratum about the paper with ``target_pmid`` /
    ``target_doi`` (DOIs lower-cased), as ``source`` (``pubmed``, ``retraction-watch``) reports
    it. Stored apart from documents, so a notice never changes a document's content hash, and
    matched to documents by identifier, so it may arrive before or after the paper."""

    kind: NoticeKind
    source: str
    target_pmid: str | None = None
    target_doi: str | None = None
    notice_pmid: str | None = None  # the notice's own record, when known
    notice_doi: str | None = None
    citation: str | None = None  # the notice as cited ("BMC Cancer. 2026;26(1):1")
    date: str | None = None
    reason: str | None = None

    @property
    def key(self) -> str:
        """The notice's identity: the same notice read twice (from the paper's record and from
        the notice's own record, or on re-ingest) is stored once."""
        notice = self.notice_pmid or self.notice_doi or self.citation or ""
        identity = [self.kind.value, self.source, self.target_pmid or self.target_doi, notice]
        return hashlib.sha1(json.dumps(identity).encode("utf-8")).hexdigest()

    @property
    def text(self) -> str:
        """One line for a reader: ``Expression of concern (PubMed, PMID 123)``."""
        parts = [_NOTICE_SOURCES.get(self.source, self.source)]
        if self.notice_pmid:
            parts.append(f"PMID {self.notice_pmid}")
        elif self.notice_doi:
            parts.append(f"doi:{self.notice_doi}")
        elif self.citation:
            parts.append(self.citation)
        if self.date:
            parts.append(self.date)
        if self.reason:
            parts.append(self.reason)
        return f"{self.kind.label} ({', '.join(parts)})"

    def concerns(self, document: Document) -> bool:
        """Whether this notice is about ``document`` (by PMID or DOI)."""
        pmid, doi = document.pmid, (document.doi or "").lower()
        return bool(
            (self.target_pmid and self.target_pmid == pmid)
            or (self.target_doi and self.target_doi == doi)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "source": self.source,
            "target_pmid": self.target_pmid,
            "target_doi": self.target_doi,
            "notice_pmid": self.notice_pmid,
            "notice_doi": self.notice_doi,
            "citation": self.citation,
            "date": self.date,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Notice:
        return cls(
            kind=NoticeKind(data["kind"]),
            source=data["source"],
            target_pmid=data.get("target_pmid"),
            target_doi=data.get("target_doi"),
            notice_pmid=data.get("notice_pmid"),
            notice_doi=data.get("notice_doi"),
            citation=data.get("citation"),
            date=data.get("date"),
            reason=data.get("reason"),
        )


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """What a reader yields: the document and its text in source order, and the notices its
    record carries (not part of the document: they never change its content hash)."""

    document: Document
    sections: tuple[Section, ...]
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrievable, citable span of a document: id is ``<doc id>#<ordinal>``."""

    id: str
    doc_id: str
    ordinal: int
    section: str | None
    text: str

    @staticmethod
    def make_id(doc_id: str, ordinal: int) -> str:
        return f"{doc_id}#{ordinal}"


@dataclass(frozen=True, slots=True)
class Deletion:
    """A source's order to remove a document it published before (PubMed's ``DeleteCitation``
    in a daily update file): the document leaves the index, and articles citing it are marked."""

    doc_id: str


@dataclass(frozen=True, slots=True)
class RecordProblem:
    """A malformed record a reader skipped: where it was and why."""

    path: str
    record: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}: record {self.record}: {self.message}"


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked passage with the document it belongs to."""

    rank: int
    score: float
    passage: Passage
    document: Document
    bm25_rank: int | None = None
    dense_rank: int | None = None
    similarity: float | None = None  # cosine of query and passage vectors, when both exist

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "score": round(self.score, 6),
            "passage_id": self.passage.id,
            "doc_id": self.document.id,
            "title": self.document.title,
            "evidence_type": self.document.evidence_type.value,
            "year": self.document.year,
            "source": self.document.source,
            "section": self.passage.section,
            "text": self.passage.text,
        }


def content_hash(document: Document, passages: Sequence[Passage]) -> str:
    """A digest of everything stored for a document, to make re-ingest idempotent."""
    payload = json.dumps(
        [document.to_dict(), [(p.ordinal, p.section, p.text) for p in passages]],
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def embedding_text(title: str, text: str) -> str:
    """What a passage's vector is computed from: the document title gives the passage its topic
    (a consumer-health chunk often never names the disease it is about)."""
    return f"{title.strip()}\n{text}" if title.strip() else text


def text_key(text: str) -> str:
    """The key a passage's vector is cached under: same text, same vector."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]
