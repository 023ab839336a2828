"""What a USPSTF grade means, told from a source that defines it: "… and does an I statement
mean the exam is not recommended?", "what does that grade mean for practice?" were answered by
the statement alone (sets BU, BV: partial, "never explains what an I grade means"). The
corpus's VA/DoD guidelines quote the USPSTF's grade definitions in their rating schemes ("I
Statement The USPSTF concludes that the current evidence is insufficient …"); those sentences
are the answer's items, cited to the guideline that holds them."""

from __future__ import annotations

import re

from medcite.answer.sentences import EvidenceSentence

_ASKS_MEANING = re.compile(
    r"\bwhat (?:does|do|would|will) (?:an?|the|its|this|that|their)\s+(?:[ABCDI]\s+)?"
    r"(?:grade|statement|rating|recommendation)(?:\s+[ABCDI])?\s+mean"
    r"|\bwhat (?:an?|the|its) (?:[ABCDI] )?(?:grade|statement|rating) (?:[ABCDI] )?means\b"
    r"|\bdoes (?:an? [ABCDI] (?:grade|statement)|(?:it|that|this|the [ABCDI] (?:grade|statement)))"
    r" mean\b"
    r"|\bexplain\w* (?:what )?(?:an? |the )?[ABCDI] (?:grade|statement)"
    r"|\b[ABCDI] (?:grade |statement )?(?:versus|vs\.?) (?:an? )?[ABCDI]\b(?: grade| statement)?",
)
"""A question on what a grade means (the letters are capitals: "does an I statement mean …",
"does that mean it recommends against …", "D versus I"), not on what a test result means."""

SEARCHED = {
    "B": "USPSTF recommends the service there is high certainty that the net benefit is moderate",
    "C": "USPSTF recommends selectively offering or providing this service to individual patients",
    "D": "USPSTF recommends against the service there is moderate or high certainty",
    "I": "USPSTF concludes that the current evidence is insufficient to assess the balance of"
    " benefits and harms of the service",
}
"""Each grade's definition, as the rating schemes holding it say it: the words searched for. A
grade A's definition starts inside the scheme's table heading, and is not told."""

_STARTS = re.compile(r"^(?P<grade>[ABCDI]) (?:Statement )?The USPSTF ")
"""A sentence opening a grade's definition ("D The USPSTF recommends against the service.")."""

MEANING_SENTENCES = 2
"""Sentences of a grade's definition told: what the grade says, and the certainty behind it."""


def asks_grade_meaning(question: str) -> bool:
    """Whether ``question`` asks what a recommendation's grade means."""
    return bool(_ASKS_MEANING.search(question))


def asked_grade(question: str) -> str | None:
    """The grade a question names ("Why does the USPSTF give only a C grade to statins …?",
    "the USPSTF I statement on …"), the first it names; None if it names none."""
    found = _NAMED.search(question)
    return None if found is None else found.group(1) or found.group(2)


_NAMED = re.compile(r"\b([ABCDI]) (?:grade|statement|recommendation)\b|\bgrade ([ABCDI])\b")


def grade_of(keywords: tuple[str, ...] | list[str]) -> str | None:
    """The USPSTF grade letter of a record's keywords ("grade I" → "I"), if it has one."""
    for keyword in keywords:
        found = re.fullmatch(r"grade ([ABCDI])", keyword)
        if found is not None:
            return found.group(1)
    return None


def meaning(grade: str, sentences: list[EvidenceSentence]) -> list[EvidenceSentence]:
    """Of one rating scheme's ``sentences`` (in order), those defining ``grade``: the one that
    opens its definition and what follows it, up to the next grade's, at most
    :data:`MEANING_SENTENCES`."""
    for at, sentence in enumerate(sentences):
        opening = _STARTS.match(sentence.text)
        if opening is None or opening.group("grade") != grade:
            continue
        told = [sentence]
        for after in sentences[at + 1 : at + MEANING_SENTENCES]:
            if _STARTS.match(after.text):
                break
            told.append(after)
        return told
    return []
