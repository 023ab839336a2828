"""A guideline a question names by who wrote it and what it is on: "Per the VA/DoD CKD
guideline, …", "Under the Colorado lower extremity injury guideline, …", "Does the NHLBI sickle
cell guideline …?". Its recommendations answer the question, whatever else the search finds
(review sets BB–BJ: 14 of 26 such questions abstained and one led with a consumer page, with the
named guideline in the corpus). The USPSTF's statements, named by grade and topic, are read
elsewhere (:func:`medcite.answer.read.named_statement`)."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sized
from typing import TypeVar

from medcite.answer.question import questions_in
from medcite.records import Document, EvidenceType, Passage
from medcite.text import STOPWORDS, abbreviates, spells, tokens

_NAMED = re.compile(
    r"\b(?:per|according to|under|does|do|did|in|by|from|with) the "
    r"((?:[\w/'’.&-]+\s+){0,6}?[\w/'’.&-]+)\s+(?:guidelines?|guidance|guides?)\b",
    re.I,
)
"""The words before "guideline" (or "guidance", "guide") after a preposition or a question's
verb: "Per the VA/DoD hypertension guideline" names "VA/DoD hypertension", "Per the CDC guidance
for health-care personnel" the CDC (set BD: the USPSTF's statement on pregnant women answered
it), "Per the Washington L&I shoulder guide" the Washington Department of Labor and Industries'
(set CF: an unrelated trial answered; of 25 review questions naming a guide, 10 now answer from
it, one of them, judged correct before, with a worse sentence)."""

_UNNAMING = frozenset({
    "current", "latest", "new", "recent", "updated", "national", "clinical", "practice",
    "official", "published", "relevant", "same",
})  # fmt: skip
"""Words that say which version or kind of guideline, not whose or on what: "the current
guidelines" names none."""

_GUIDELINE_BODIES = re.compile(r"\b(?:uspstf|task force)\b", re.I)
"""Bodies whose statements are named by grade and topic and read elsewhere."""

_RATING = re.compile(
    r"\bI Statement\b|\bQuality of Evidence\b|\bGRADE Working Group\b"
    r"|\b(?:Strong|Weak) (?:For|Against) \(or\b|\bstrength of (?:the )?recommendation",
    re.I,
)
"""A passage of the rating scheme a guideline's recommendations section ends with."""

_SUGGESTS = re.compile(
    r"\b(?:work group|panel|committee|we)\s+(?:\w+\s+)?(?:suggests?|does not suggest)\s+"
    r"(?!that\b)",
    re.I,
)
"""A guideline's weak recommendation: "the Work Group suggests offering light therapy …" (set BE:
the VA/DoD's weak recommendations were read as saying nothing); a study's "results suggest
that …" is no advice. Read only of a guideline a question names: elsewhere it made the VA/DoD's
weak statements on statins answer yes or no to questions on the USPSTF's (sets AS, AW)."""

RECOMMENDATIONS = "MAJOR RECOMMENDATIONS"
"""The section of a guideline record that holds its recommendations (NGC's summaries)."""

MAX_NAMED_GUIDELINES = 5
"""Above this many guidelines holding the named words, the name says none of them ("the VA/DoD
guideline" holds for eighteen; "the NHLBI sickle cell guideline" for its five chapters)."""

SHORT_FORM_OF = 8
"""Letters a word needs for a two-letter name to be its short form ("oa" of "osteoarthritis")."""

NAMED_PASSAGES = 6
"""Passages of the named guidelines' recommendations read for a question: those sharing the
most of its words (a Colorado guideline holds over a hundred)."""


def named_guideline(text: str) -> tuple[str, ...] | None:
    """The words a question names a guideline by (lower case, hyphens split), None when it
    names none or only the USPSTF's (see the module's docstring)."""
    found = _naming(text)
    return None if found is None else found[0]


def _naming(text: str) -> tuple[tuple[str, ...], re.Match[str]] | None:
    """The words of the first guideline ``text`` names (:func:`named_guideline`) and where."""
    for match in _NAMED.finditer(text):
        words = tuple(w for w in tokens(match.group(1).replace("-", " ")) if w not in STOPWORDS)
        said = tuple(w for w in words if w not in _UNNAMING)
        if said and not _GUIDELINE_BODIES.search(match.group(1)):
            return said, match
    return None


def held_by_name(text: str, hold: Callable[[tuple[str, ...]], _Held]) -> _Held | None:
    """What ``hold`` finds for the words a question names a guideline by
    (:func:`named_guideline`), or, when that holds for more than :data:`MAX_NAMED_GUIDELINES`
    guidelines, for those with whom it is for (:func:`narrower_name`): the first holding at
    most that many; None when the question names none or both hold too many."""
    for words in (named_guideline(text), narrower_name(text)):
        if words is None:
            continue
        held = hold(words)
        if len(held) <= MAX_NAMED_GUIDELINES:
            return held
    return None


_Held = TypeVar("_Held", bound=Sized)


def narrower_name(text: str) -> tuple[str, ...] | None:
    """The words of a named guideline with those after it that say whom or what it is for
    ("cdc", "health", "care", "personnel" of "Per the CDC guidance for health-care personnel"):
    read when the name alone holds for too many guidelines (the CDC's); None when nothing
    follows the name."""
    found = _whom(text)
    if found is None:
        return None
    more = tuple(w for w in tokens(found[1].group(1).replace("-", " ")) if w not in STOPWORDS)
    return (*found[0], *more) if more else None


def _whom(text: str) -> tuple[tuple[str, ...], re.Match[str]] | None:
    """The named guideline's words and the words after its name that say whom it is for
    (:data:`_AFTER_NAME`), None when either is missing."""
    found = _naming(text)
    whom = None if found is None else _AFTER_NAME.match(text, found[1].end())
    return None if found is None or whom is None else (found[0], whom)


_AFTER_NAME = re.compile(r"\s+(?:for|on)\s+((?:[\w/'’.-]+\s+){0,2}[\w/'’.-]+)")


def names(words: tuple[str, ...], document: Document) -> bool:
    """Whether a guideline's title and publisher hold every named word, as it is or as the
    initials of words in a row ("ckd" of "chronic kidney disease", "nhlbi" of "National Heart,
    Lung, and Blood Institute"), or as a short form of one ("oa" of "osteoarthritis")."""
    if document.evidence_type is not EvidenceType.GUIDELINE:
        return False
    said = tokens(f"{document.title} {document.journal or ''}".replace("-", " "))
    held = {_stem(w) for w in said}
    return all(_stem(word) in held or _spelled(word, said) for word in words)


def _spelled(word: str, said: list[str]) -> bool:
    if len(word) > 6 or not word.isalpha():
        return False
    if len(word) == 2 and any(len(w) >= SHORT_FORM_OF and abbreviates(word, w) for w in said):
        return True  # "oa" of "osteoarthritis"; not "phs" of "physical"
    return any(
        spells(word, said[start:end])
        for start in range(len(said))
        for end in range(start + 2, min(start + 2 * len(word) + 1, len(said)) + 1)
    )


def _recommending(passage: Passage) -> bool:
    """Whether a passage stands in a guideline's recommendations section."""
    return (passage.section or "").upper() == RECOMMENDATIONS


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def asked_words(text: str) -> frozenset[str]:
    """What a question asks of its named guideline: the words of its sentences that ask (all
    of it when none ends in "?"), less stop words and the words that name a guideline's act
    ("refractory", "alpha", "blocker" of "… Per the VA/DoD hypertension guideline, which drug
    classes are options for refractory hypertension, and can an alpha blocker be used?"; the
    story's "blood pressure" is in every recommendation). The guideline's own name stays: its
    topic's words are in most of its recommendations and weigh little (:func:`weighed`), and
    "overweight" of "the VA/DoD overweight and obesity guideline" tells its recommendations for
    overweight patients from the rest (set AZ)."""
    asked = _NOT_ASKED.sub(" ", " ".join(questions_in(text)) or text)
    return frozenset(  # nor a pair with such a word ("ckd guideline" of "the VA/DoD CKD
        # guideline" led with "In patients with stage 3 and 4 CKD, the guideline panel suggests
        # a protein diet …" for "should iron be given orally or parenterally …?": set BX)
        term
        for term in _terms(_without_whom(asked))
        if not set(term.split()) & _GUIDELINE_WORDS
    )


_NOT_ASKED = re.compile(r"\b(?:rather than|instead of)\b[^,;?]*?(?=,|;|\?|\band\b|$)", re.I)
"""What a question sets aside: "should I start a statin to slow his eGFR decline rather than for
cardiovascular risk" asks of statins for eGFR decline (the "cardiovascular risk" it set aside
led with the statement for those at cardiovascular risk)."""


def _without_whom(text: str) -> str:
    """``text`` less whom its named guideline is for ("for health-care personnel" of "Per the
    CDC guidance for health-care personnel"): every recommendation of it is (set BE: "personal
    health records" led for "… how should she be classified …?")."""
    found = _whom(text)
    return text if found is None else text[: found[1].start()] + text[found[1].end() :]


def _terms(text: str) -> list[str]:
    """The stems of ``text``'s content words and of each two in a row ("overweight patient"):
    a recommendation that says the asked phrase weighs more than one holding its words apart."""
    said = [_stem(w) for w in _words(text) if w not in STOPWORDS]
    return [*said, *(f"{a} {b}" for a, b in itertools.pairwise(said))]


def specific_words(text: str, asked: frozenset[str]) -> frozenset[str]:
    """Of the ``asked`` words (:func:`asked_words`), those that are neither the guideline's
    name nor said of every patient: a recommendation holding none of them answers nothing the
    question asks of its guideline ("For patients with SUDs, there is insufficient evidence …"
    for "… tried naltrexone … what does the VA/DoD SUD guideline recommend next?": set AN)."""
    name = set(named_guideline(text) or ())
    return frozenset(term for term in asked if not set(term.split()) <= name | _EVERY_PATIENT)


_EVERY_PATIENT = frozenset({
    "patient", "adult", "people", "person", "individual", "treatment", "treated", "therapy",
    "care", "clinician", "manage", "management", "use", "used",
})  # fmt: skip


_GUIDELINE_WORDS = frozenset({
    "guideline", "guidance", "recommend", "recommendation", "suggest", "say",
})  # fmt: skip


def stems(text: str) -> set[str]:
    """The content-word stems of ``text`` and their pairs in a row (:func:`_terms`), hyphenated
    words split ("alpha-adrenergic")."""
    return set(_terms(text))


def weighed(asked: frozenset[str], texts: list[str]) -> list[float]:
    """For each of ``texts``, the weight of the ``asked`` words it holds, each word weighed by
    how few of ``texts`` hold it (inverse document frequency): of a guideline's
    recommendations, all on patients and treatment, the one naming "light therapy" and the
    "seasonal pattern" answers "… is light therapy an option for the seasonal pattern?"."""
    held = [asked & stems(text) for text in texts]
    weight = _rarity(asked, held)
    return [_sum(weight, h) for h in held]


def in_turn(asked: frozenset[str], texts: list[str]) -> list[int]:
    """The indices of ``texts`` (ranked already): the first stays first, and each next is the
    one holding the most weight (:func:`weighed`) of the ``asked`` words those before it did
    not hold, ties in the given order, so that each part of the question is answered before a
    part is answered again (set AP: "… about long-term opioids at his age and about combining
    them with a benzodiazepine?" told three statements on long-term opioids and none on
    benzodiazepines)."""
    if not texts:
        return []
    held = [asked & stems(text) for text in texts]
    weight = _rarity(asked, held)
    order = [0]
    covered = set(held[0])
    left = list(range(1, len(texts)))
    while left:
        chosen = max(left, key=lambda i: (round(_sum(weight, held[i] - covered), 6), -i))
        order.append(chosen)
        left.remove(chosen)
        covered |= held[chosen]
    return order


def _rarity(asked: frozenset[str], held: list[frozenset[str]]) -> dict[str, float]:
    """Each asked word's weight: how few of the texts hold it (inverse document frequency)."""
    count = len(held)
    frequency = {word: sum(word in h for h in held) for word in asked}
    return {w: math.log((count + 1) / (n + 0.5)) for w, n in frequency.items() if n}


def _sum(weight: dict[str, float], words: frozenset[str] | set[str]) -> float:
    return sum(weight[w] for w in sorted(words))  # in one order: a set's order varies between
    # runs, and so did the last bits of a sum, and the order of tied sentences


def _words(text: str) -> list[str]:
    return tokens(text.replace("-", " "))


def recommendations_for(text: str, passages: list[Passage]) -> list[Passage]:
    """The recommendation passages of the named guidelines that hold the most weight of what
    the question asks of them (:func:`asked_words`, weighed by rarity: :func:`weighed`; one word
    at least), at most :data:`NAMED_PASSAGES`, in document order; ties by document and order."""
    asked = asked_words(text)
    held = [p for p in passages if _recommending(p) and not _RATING.search(p.text)]
    weights = weighed(asked, [p.text for p in held])
    weight_of = {p.id: round(w, 6) for p, w in zip(held, weights, strict=True)}
    chosen = sorted(held, key=lambda p: (-weight_of[p.id], p.doc_id, p.ordinal))[:NAMED_PASSAGES]
    return sorted((p for p in chosen if weight_of[p.id]), key=lambda p: (p.doc_id, p.ordinal))


def named_documents(text: str, documents: list[Document]) -> frozenset[str]:
    """The ids of the guidelines among ``documents`` that ``text`` names, none when it names
    none or more than :data:`MAX_NAMED_GUIDELINES` hold the name."""
    held = held_by_name(text, lambda words: frozenset(d.id for d in documents if names(words, d)))
    return held or frozenset()


def suggests(text: str) -> bool:
    """Whether ``text`` is a guideline's weak recommendation (:data:`_SUGGESTS`)."""
    return bool(_SUGGESTS.search(text))


def recommends_here(passage: Passage, text: str) -> bool:
    """Whether a sentence of a guideline's recommendations section says what should be done
    (:data:`_ADVISING`), and is none of its rating scheme (:data:`_RATING`) nor an editor's
    note."""
    return (
        _recommending(passage)
        and bool(_ADVISING.search(text) or _GRADED_EVIDENCE.match(text))
        and not _RATING.search(text)
        and not _EDITORIAL.search(text)
    )


_ADVISING = re.compile(
    r"\b(?:should|must|recommend\w*|suggest\w*|consider|offer|provide|avoid|teach|refer"
    r"|screen|assess|treat|give|perform|do not)\b",
    re.I,
)
_GRADED_EVIDENCE = re.compile(
    r"\W*Evidence Statements? Regarding\b[^.]*?\b(?:Strong|Good|Some) Evidence\b", re.I
)
"""A guideline's graded evidence statement (the Colorado guidelines': "Evidence Statements
Regarding CRPS-Specific Medications: Bisphosphonates Good Evidence Use of bisphosphonates
effectively decreases pain …"), which says what supports a treatment (set BU asked "what
evidence supports each?" and was told only ketamine's)."""
_EDITORIAL = re.compile(r"^\W*Note\b|\((?:Modified|Carryover|Adapted) from\b", re.I)
