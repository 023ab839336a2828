"""The read stage: the reader (:mod:`medcite.reader`) reads the question with each candidate
evidence sentence and says whether it answers, and for a yes/no question which way it leans.
Sections ask their own sub-question ("How is <topic> treated?") of the sentences that might fill
them, so an item answers its section's question, not only shares its words.

Everything later — the bottom line, the verdict, the items — is chosen from these readings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from medcite.answer.model import Question
from medcite.answer.plan import FOLLOW_UP_TEMPLATES, SectionKey
from medcite.answer.sentences import EvidenceSentence
from medcite.reader.model import Reader
from medcite.settings import AnswerSettings

NEUTRAL_STANCE = np.array([0.0, 0.0, 1.0], dtype=np.float32)


@dataclass
class Readings:
    """What the reader said: per sentence (by key) for the question, and per (section,
    sentence) for the sections' sub-questions (filled lazily, shared by every audience)."""

    answers: dict[tuple[str, str], float] = field(default_factory=dict)
    stance: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    sections: dict[tuple[SectionKey, tuple[str, str]], float] = field(default_factory=dict)

    def answer_of(self, sentence: EvidenceSentence) -> float:
        return self.answers.get(sentence.key, 0.0)

    def stance_of(self, sentence: EvidenceSentence) -> np.ndarray:
        return self.stance.get(sentence.key, NEUTRAL_STANCE)


def topic_of(question: Question) -> str:
    """What the question is about, for its sections' sub-questions: the subject of "Can X
    cause Y?", else its first key phrase."""
    return question.subject or (question.concepts[0] if question.concepts else question.text)


def read_question(
    reader: Reader,
    question: Question,
    sentences: list[EvidenceSentence],
    settings: AnswerSettings,
) -> Readings:
    """Read the ``settings.reader_sentences`` most relevant sentences with the question."""
    readings = Readings()
    pool = sentences[: settings.reader_sentences]
    reading = reader.predict(question.text, [s.text for s in pool])
    for i, sentence in enumerate(pool):
        readings.answers[sentence.key] = float(reading.answers[i])
        readings.stance[sentence.key] = reading.stance[i]
    return readings


def read_sections(
    reader: Reader,
    question: Question,
    plan: tuple[SectionKey, ...],
    sentences: list[EvidenceSentence],
    readings: Readings,
    settings: AnswerSettings,
) -> None:
    """Each planned section's sub-question, read with its best-placed candidates (the sentences
    whose wording fits the section, best answers to the question first)."""
    topic = topic_of(question)
    for key in plan:
        template = FOLLOW_UP_TEMPLATES.get(key)
        if template is None:
            continue
        candidates = [
            s
            for s in sentences
            if key in s.sections
            and (key, s.key) not in readings.sections
            and s.key in readings.answers
        ]
        candidates.sort(key=lambda s: (-readings.answer_of(s), -s.relevance, s.key))
        candidates = candidates[: settings.reader_section_candidates]
        if not candidates:
            continue
        reading = reader.predict(template.format(topic=topic), [s.text for s in candidates])
        for i, sentence in enumerate(candidates):
            readings.sections[(key, sentence.key)] = float(reading.answers[i])


def section_score(key: SectionKey, sentence: EvidenceSentence, readings: Readings) -> float:
    """How well a sentence answers a section's question: its sub-question's reading, or for
    key evidence (and sections without a sub-question) the question's own."""
    if key in FOLLOW_UP_TEMPLATES:
        return readings.sections.get((key, sentence.key), 0.0)
    return readings.answer_of(sentence)
