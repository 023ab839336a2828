"""Telling the same evidence at the right level: ordering evidence per audience, measuring the
reading grade (textstat, Flesch-Kincaid) and glossing jargon from the shipped glossaries."""

from __future__ import annotations

from functools import lru_cache

from medcite.answer.model import Audience, GlossEntry
from medcite.answer.sentences import EvidenceSentence
from medcite.evidence import evidence_level
from medcite.records import EvidenceType
from medcite.settings import AnswerSettings
from medcite.store.base import EvidenceStore
from medcite.text import ngrams, tokens

MAX_GLOSSES = 8


@lru_cache(maxsize=8192)
def grade(text: str) -> float:
    """Flesch-Kincaid grade of one text (cached: the same sentences recur across answers)."""
    import textstat

    return float(textstat.flesch_kincaid_grade(text))


def reading_grade(texts: list[str]) -> float | None:
    joined = " ".join(texts)
    return round(grade(joined), 1) if joined.strip() else None


def order(
    sentences: list[EvidenceSentence],
    audience: Audience,
    settings: AnswerSettings,
    question: str | None = None,
) -> None:
    """Sort in place, best first for this audience; ties by passage id then text. Evidence
    weighs at its level for ``question`` (:func:`medcite.evidence.evidence_level`)."""

    def key(sentence: EvidenceSentence) -> tuple[float, str, str]:
        document = sentence.document
        score = sentence.relevance + 0.015 * evidence_level(document.evidence_type, question)
        if audience is Audience.PATIENT:
            if document.evidence_type is EvidenceType.CONSUMER_HEALTH:
                score += 0.12
            if grade(sentence.text) > settings.patient_max_grade:
                score -= 0.25
        return (-score, sentence.passage.id, sentence.text)

    sentences.sort(key=key)


def readable(
    sentences: list[EvidenceSentence], audience: Audience, settings: AnswerSettings
) -> list[EvidenceSentence]:
    """For patients, only the sentences at or below ``patient_max_grade`` when at least
    ``patient_min_easy`` of them could fill an answer (extractive sentences cannot be rewritten,
    so harder ones stay when too few easy ones speak to the question); the order is kept."""
    if audience is not Audience.PATIENT:
        return sentences
    easy = [s for s in sentences if grade(s.text) <= settings.patient_max_grade]
    usable = [s for s in easy if s.speaks_to_question and s.relevance >= settings.sentence_floor]
    return easy if len(usable) >= settings.patient_min_easy else sentences


def glossary(texts: list[str], store: EvidenceStore, audience: Audience) -> tuple[GlossEntry, ...]:
    """Plain meanings of the hard terms in the answer (patients and students only)."""
    if audience is Audience.CLINICIAN:
        return ()
    phrases: dict[str, None] = {}
    for text in texts:
        words = tokens(text)
        for _start, _end, phrase in ngrams(words, 3):
            phrases.setdefault(phrase, None)
    found = store.glossary_for(list(phrases))
    entries: list[GlossEntry] = []
    covered: set[str] = set()
    for phrase in sorted(found, key=lambda p: (-len(p.split()), p)):
        if phrase in covered or not _is_jargon(phrase):
            continue
        display, plain, source = found[phrase]
        covered.update(phrase.split())
        entries.append(GlossEntry(display, plain, source))
    entries.sort(key=lambda e: e.term.lower())
    return tuple(entries[:MAX_GLOSSES])


def _is_jargon(phrase: str) -> bool:
    import textstat

    if len(phrase) < 6 or any(ch.isdigit() for ch in phrase):
        return False
    return bool(textstat.syllable_count(phrase) >= 4 or len(phrase.split()) > 1)
