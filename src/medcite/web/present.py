"""Small presentation helpers for the templates (labels, links, dates). Everything returned as
markup is built from escaped parts."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from medcite.answer.citations_export import CiteFormat
from medcite.appraise.snapshot import FIELDS as SNAPSHOT_FIELDS
from medcite.appraise.snapshot import Snapshot
from medcite.articles.model import State
from medcite.evidence import evidence_level
from medcite.records import EvidenceType

VERDICT_LABELS = {
    "yes": "Yes",
    "no": "No",
    "uncertain": "Uncertain",
    "insufficient_evidence": "Not enough evidence",
}
EVIDENCE_CLASSES = {
    "Guideline": "ev-guideline",
    "Systematic review/Meta-analysis": "ev-sr",
    "RCT": "ev-rct",
    "Observational": "ev-obs",
    "Case report": "ev-case",
    "Review": "ev-review",
    "Consumer health": "ev-consumer",
    "Drug label": "ev-label",
    "Animal/lab study": "ev-lab",
}
REVIEW_STEPS = (State.SUBMITTED, State.UNDER_REVIEW, State.APPROVED)


def cites(numbers: list[int]) -> Markup:
    """``[1, 3]`` with each number linking to its reference."""
    if not numbers:
        return Markup("")
    links = Markup(", ").join(
        Markup('<a href="#ref-{n}" class="cite-link">{n}</a>').format(n=int(n)) for n in numbers
    )
    # U+2060 WORD JOINER: the numbers never wrap onto a line of their own
    return Markup('\u2060<sup class="cite">[{}]</sup>').format(links)


def evidence_label(value: str) -> str:
    try:
        return EvidenceType(value).label
    except ValueError:
        return value


def evidence_class(value: str) -> str:
    return EVIDENCE_CLASSES.get(evidence_label(value), "ev-other")


STANCE_LABELS = {"supports": "Supports", "contradicts": "Contradicts", "neutral": "Neutral"}


def stance_label(value: str | None) -> str:
    """A reference's stance toward a yes/no question, as its badge says it."""
    return STANCE_LABELS.get(value or "", "")


def verdict_label(value: str | None) -> str:
    return VERDICT_LABELS.get(value or "", "")


def day(stamp: str | None) -> str:
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).strftime("%-d %B %Y")
    except ValueError:
        return stamp[:10]


def moment(stamp: str | None) -> str:
    """A timestamp as "25 Nov 2026, 15:09 UTC" (audit log, review queue)."""
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).strftime("%-d %b %Y, %H:%M UTC")
    except ValueError:
        return stamp


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{quote(pmid)}/"


def doi_url(doi: str) -> str:
    return f"https://doi.org/{quote(doi, safe='/:;()._-')}"


def safe_url(url: str | None) -> str | None:
    """Only http(s) links from sources become links (never javascript: and the like)."""
    return url if url and url.lower().startswith(("https://", "http://")) else None


def meter_width(meter: dict[str, int], key: str) -> int:
    total = sum(meter.values())
    return 5 * round(20 * meter[key] / total) if total else 0  # CSS classes w0, w5 … w100


def ask_link(question: str) -> Markup:
    return Markup("/?ask={}").format(escape(quote(question)))


REFERENCE_ORDERS = {  # the reference list's sort links: key → label
    "cited": "as numbered",
    "level": "evidence level",
    "year": "newest first",
    "stance": "stance",
}
_STANCE_ORDER = {"supports": 0, "contradicts": 1, "neutral": 2}


def reference_order(wanted: str | None) -> str:
    """A known sort key of the reference list (anything else: as numbered)."""
    return wanted if wanted in REFERENCE_ORDERS else "cited"


def sort_references(
    references: list[dict[str, Any]], order: str, question: str | None = None
) -> list[dict[str, Any]]:
    """The references in ``order``; ties keep their numbers' order. Stronger evidence first
    (then newer), newer first (then stronger), or supporting, contradicting, neutral, none.
    Evidence is as strong as it weighs for ``question`` (a drug label as a guideline for a dose
    question: :func:`medcite.evidence.evidence_level`)."""

    def level(ref: dict[str, Any]) -> int:
        try:
            return evidence_level(EvidenceType(str(ref.get("evidence_type"))), question)
        except ValueError:
            return 0

    keys = {
        "level": lambda r: (-level(r), -(r.get("year") or 0), r["n"]),
        "year": lambda r: (-(r.get("year") or 0), -level(r), r["n"]),
        "stance": lambda r: (_STANCE_ORDER.get(r.get("stance") or "", 3), r["n"]),
    }
    key = keys.get(order)
    return list(references) if key is None else sorted(references, key=key)


def snapshot_line(snapshot: dict[str, Any] | None) -> str:
    """The compact study line under a reference ("RCT · 2,518 patients · … vs …"); empty for
    records without a snapshot or when the source states none of it."""
    if not snapshot:
        return ""
    known = {name: snapshot.get(name) for name in SNAPSHOT_FIELDS}
    return Snapshot(**known).line()


GLOBALS: dict[str, Any] = {
    "REFERENCE_ORDERS": REFERENCE_ORDERS,
    "REVIEW_STEPS": REVIEW_STEPS,
    "CITE_FORMATS": tuple(CiteFormat),
    "State": State,
    "pubmed_url": pubmed_url,
    "doi_url": doi_url,
    "safe_url": safe_url,
    "meter_width": meter_width,
    "ask_link": ask_link,
}
FILTERS: dict[str, Any] = {
    "cites": cites,
    "sort_references": sort_references,
    "snapshot_line": snapshot_line,
    "evidence_label": evidence_label,
    "evidence_class": evidence_class,
    "verdict_label": verdict_label,
    "stance_label": stance_label,
    "day": day,
    "moment": moment,
}
