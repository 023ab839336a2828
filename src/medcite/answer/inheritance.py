"""Whether a condition is inherited, told by its own page on that question: GHR's "Is cystic
fibrosis inherited?" opens "This condition is inherited in an autosomal recessive pattern …",
yet "Is cystic fibrosis inherited?" was answered "No" from the page's next sentence, "The
parents of an individual with an autosomal recessive condition each carry one copy of the
mutated gene, but they typically do not show signs and symptoms of the condition." (the
page's opening ranked past the reader's pool). The page's opening states the pattern: "Yes"."""

from __future__ import annotations

import re

from medcite.answer.model import EvidenceMeter, Question, Stance, Strength, Verdict
from medcite.answer.read import (
    Readings,
    asked_name,
    content_words,
    in_document_order,
    of_kind,
)
from medcite.answer.sentences import EvidenceSentence
from medcite.answer.verdict import Decision, DocumentStance

_PATTERN = re.compile(r"\binherited in an? (?:[\w-]+ ){0,3}(?:pattern|manner|fashion)\b", re.I)
"""An inheritance pattern stated ("… is inherited in an autosomal recessive pattern", GARD's
"… in an autosomal dominant manner")."""
_TITLE_WORDS = frozenset({"inherited"})
"""The words of a GHR page's "Is X inherited?" title besides its condition's: the page is on the
focus itself ("Is inclusion body myopathy 2 inherited?" is not on inclusion body myopathy with
Paget disease and frontotemporal dementia)."""
_NOT_INHERITED = re.compile(r"\bnot (?:usually |typically |generally )?inherited\b", re.I)


def page_verdict(
    question: Question, sentences: list[EvidenceSentence], readings: Readings
) -> tuple[Decision, list[EvidenceSentence]] | None:
    """ "Yes" from the opening of the focus's own page on its inheritance (titled with the
    reader's focus or the asked name, and nothing more), when it states a pattern and no "not
    inherited"; None otherwise (the usual reading decides)."""
    if not question.yes_no or readings.kind != "inheritance" or not readings.focus:
        return None
    name = asked_name(question)  # the whole name, where the reader's focus split it
    # ("hereditary neuropathy" and "pressure palsies": set BW)
    focus = [content_words(f) for f in [*sorted(readings.focus), *([name] if name else [])]]
    asked = content_words(question.text)
    pages = [
        s
        for s in sentences
        if of_kind(s, "inheritance") and _titled_as_asked(s.document.title, focus, asked)
    ]
    if not pages:
        return None
    first = min(s.document.id for s in pages)
    opening = in_document_order([s for s in pages if s.document.id == first])[:1]
    if not opening or _NOT_INHERITED.search(opening[0].text):
        return None
    if not _PATTERN.search(opening[0].text):
        return None
    document = opening[0].document
    rank = document.evidence_type.rank
    stance = DocumentStance(document.id, Stance.SUPPORTS, 1.0, 1.0, rank, True)
    decision = Decision(
        Verdict.YES, Strength.WEAK, EvidenceMeter(1, 0, 0), "1 source supports.", (stance,)
    )
    return decision, opening


def _titled_as_asked(title: str, focus: list[set[str]], asked: set[str]) -> bool:
    """The page's condition is the focus, or a longer name of it that the question says
    whole ("HERNS (hereditary endotheliopathy, retinopathy, nephropathy, and stroke)": set CB,
    the focus read as "hereditary endotheliopathy")."""
    named = content_words(title) - _TITLE_WORDS
    return named in focus or (named <= asked and any(f and f <= named for f in focus))
