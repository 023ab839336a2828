"""The decide stage with the reader: a yes/no verdict only from the sentences that state the
asked relation (the reader says they answer the question), each leaning by the reader's stance
and weighed by its document's evidence level and recency (:func:`medcite.answer.verdict.decide`).
The bottom line quotes the strongest sentences behind the verdict, one per document.

When sentences discuss the question's subject but none states the relation, the verdict is
*uncertain* and says so: a verdict is never drawn from sentences that merely share its words.
"""

from __future__ import annotations

import datetime

import numpy as np

from medcite.answer.abstain import one_per_document
from medcite.answer.model import EvidenceMeter, Question, Verdict
from medcite.answer.read import Readings
from medcite.answer.sentences import EvidenceSentence, stands_alone
from medcite.answer.verdict import Decision, ScoredEvidence, decide
from medcite.settings import AnswerSettings

_COLUMN = {Verdict.YES: 0, Verdict.NO: 1}
BACKING = 3


def decide_read(
    question: Question,
    sentences: list[EvidenceSentence],
    readings: Readings,
    settings: AnswerSettings,
) -> tuple[Decision, list[EvidenceSentence]]:
    """The verdict and the sentences its bottom line quotes."""
    floor = settings.reader_verdict_answer
    stating = [
        s for s in sentences if readings.answer_of(s) >= floor and readings.states_relation(s)
    ]
    if not stating:
        return not_stated(question, sentences)
    evidence = [
        ScoredEvidence(
            doc_id=s.document.id,
            probs=readings.stance_of(s),
            relevance=readings.answer_of(s),
            evidence_rank=s.document.evidence_type.rank,
            year=s.document.year,
        )
        for s in stating
    ]
    decision = decide(evidence, datetime.date.today().year, settings)
    column = _COLUMN.get(decision.verdict)

    def strength(s: EvidenceSentence) -> float:
        stance = readings.stance_of(s)
        lean = float(stance[column]) if column is not None else 1.0 - float(stance[2])
        return readings.answer_of(s) * lean

    backing = [
        s for s in stating if column is None or int(np.argmax(readings.stance_of(s))) == column
    ]
    backing.sort(key=lambda s: (not stands_alone(s.text), -strength(s), s.key))
    return decision, one_per_document(backing or stating)[:BACKING]


def not_stated(
    question: Question, sentences: list[EvidenceSentence]
) -> tuple[Decision, list[EvidenceSentence]]:
    """Sources discuss the subject, none states the asked relation: uncertain, and said so."""
    about = one_per_document([s for s in sentences if s.speaks_to_question])
    subject = question.subject or (question.concepts[0] if question.concepts else "the subject")
    n = len(about)
    if n == 0:
        return Decision(
            Verdict.INSUFFICIENT, None, EvidenceMeter(0, 0, 0), "No relevant evidence was found."
        ), []
    told = (
        f"1 source in the corpus discusses {subject}, but it does not state an answer to "
        "this question"
        if n == 1
        else f"{n} sources in the corpus discuss {subject}, but none of them states an answer "
        "to this question"
    )
    reason = f"{told}, so the corpus neither supports nor rules it out."
    return Decision(Verdict.UNCERTAIN, None, EvidenceMeter(0, 0, n), reason), about[:BACKING]
