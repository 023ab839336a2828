"""A compound question's later parts, each read and answered on its own.

"Does the USPSTF B recommendation on preeclampsia screening apply to a healthy woman in her third
pregnancy, how often should blood pressure be measured, and what should follow a single elevated
reading?" asks three things. Read whole, the reader scores the statement's "Blood pressure
measurements should be obtained during each prenatal care visit" 0.02 (set CB abstained); read
with "How often should blood pressure be measured?" it scores 0.82. The bottom line answers the
question as asked; each later part gets its own section, headed by the part, holding the
sentences the reader accepts for it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from medcite.answer.chance import asks_chance, states_chance
from medcite.answer.compose import pick_unrepeated
from medcite.answer.dose import asks_dose, states_dose
from medcite.answer.interval import asks_interval, states_interval
from medcite.answer.plan import Part
from medcite.answer.sentences import (
    EvidenceSentence,
    defines,
    is_background,
    is_methods,
    reports_statistics,
)
from medcite.reader.model import Reader
from medcite.text import content_tokens, normalise_term, split_sentences, tokens

_WH = r"how|what|which|when|who|whom|why|where"
_ASKS = rf"{_WH}|should|does|do|did|is|are|can|could|will|would|may|must"
_BREAK = re.compile(
    rf"\s*[,;]\s*(?:and |or |but |then )?(?=(?:{_ASKS}|if)\b)|\s(?:and|or) (?=(?:{_WH})\b)",
    re.I,
)
"""Where a question sentence turns to another question: a comma before a question word, or
before "if" (a condition opens the part it conditions); "and"/"or" before a wh-word ("How do
you do a Tzanck prep and how do you interpret it?"; not "… and do stretching")."""
_OPENS = re.compile(rf"(?:{_ASKS})\b", re.I)
MIN_PART_WORDS = 3
"""A part says at least this many words ("and is it safe?" does not stand alone as a
question of its own: "… safe" is the first part's)."""
MAX_PARTS = 3
"""Parts read beyond this are left to the question read whole (each costs a reading)."""
PART_ITEMS = 1
"""Sentences shown under each part: the one that answers it best."""


@dataclass
class PartReading:
    """What the reader says of each candidate sentence (by key) for one part."""

    part: Part
    answers: dict[tuple[str, str], float] = field(default_factory=dict)


def question_parts(text: str) -> tuple[Part, ...]:
    """The parts after the first of the question's asking sentence (its last sentence that ends
    with "?"), each a question of its own; () for a question that asks one thing. A clause
    that asks nothing ("if her result is normal") opens the part after it; the first part is
    what the question read whole answers."""
    asking = [s for s in split_sentences(text) if s.rstrip().endswith("?")]
    if not asking:
        return ()
    pieces = [p.strip() for p in _BREAK.split(asking[-1].rstrip(" ?")) if p.strip()]
    parts: list[str] = []
    opening = ""
    for piece in pieces:
        if not _OPENS.match(piece):  # a condition or a lead-in: said with the part it opens
            opening = f"{opening}, {piece}" if opening else piece
            continue
        parts.append(f"{opening}, {piece}" if opening and parts else piece)
        opening = ""
    if opening and parts:
        parts[-1] = f"{parts[-1]}, {opening}"
    later = [p for p in parts[1:] if len(p.split()) >= MIN_PART_WORDS]
    named = _ANTECEDENT.match(parts[0]) if parts else None
    if named is not None:  # "What is the tape test, and how do we do it at home?"
        thing = named.group("thing") or f"the {named.group('there')}"
        later = [_PRONOUN.sub(thing, p, count=1) for p in later]
    return tuple(Part(f"{p[0].upper()}{p[1:]}?") for p in later[: MAX_PARTS - 1])


_ANTECEDENT = re.compile(
    r"(?:what|which) (?:is|are) (?P<thing>(?:the |an? )?[\w' -]{3,60}?)$"
    r"|(?:is|are) there (?:an? |any )?(?P<there>[\w' -]{3,40}?)$",
    re.I,
)
"""A first part that asks what a thing is, or whether there is one: the thing a later part's
"it" or "they" stands for ("Is there a genetic test, and what does it look for?" asks what the
genetic test looks for, not what SCA2 does: set BN)."""
_PRONOUN = re.compile(r"\b(?:it|they|them)\b")


def read_parts(
    reader: Reader, parts: tuple[Part, ...], pool: list[EvidenceSentence], topic: str | None
) -> tuple[PartReading, ...]:
    """Each part read with every candidate, in one pass: as asked, and after the question's
    ``topic`` when it does not name it; a sentence answers a part as well as the better of the
    two readings says (set CB: "abnormal blood glucose screening: if her result is normal, how
    often should she be rescreened?" scores the statement's "rescreening every 3 years" 0.50,
    the part as asked 0.12; "How often should blood pressure be measured?" scores "… during
    each prenatal care visit" 0.82 as asked, 0.25 after "preeclampsia screening")."""
    if not parts or not pool:
        return ()
    forms = [(i, form) for i, part in enumerate(parts) for form in _forms(part.question, topic)]
    reading = reader.predict_pairs([(form, s.text) for _, form in forms for s in pool])
    readings = tuple(PartReading(part) for part in parts)
    at = 0
    for i, _ in forms:
        answers = readings[i].answers
        for sentence in pool:
            answers[sentence.key] = max(answers.get(sentence.key, 0.0), float(reading.answers[at]))
            at += 1
    return readings


def _forms(question: str, topic: str | None) -> list[str]:
    """The part as asked, and after the topic when it does not name it."""
    if not topic or normalise_term(topic) in normalise_term(question):
        return [question]
    return [question, f"{topic}: {question[0].lower()}{question[1:]}"]


def choose_parts(
    readings: tuple[PartReading, ...],
    pool: list[EvidenceSentence],
    shown: list[str],
    min_score: float,
    focus: frozenset[str] = frozenset(),
) -> list[tuple[Part, list[EvidenceSentence]]]:
    """Each part's best answering sentence of ``pool``: at least ``min_score`` (a part is read
    short and out of its sentence, and the reader scores loosely what shares its words); for
    "how often …?" only a sentence that states an interval, for "what dose …?" a dose, for "what
    is the chance …?" a chance (at least half ``min_score``: the form is the answer's); never a
    definition unless the part asks what something is ("Lactose intolerance means that …"
    answered "How soon after eating dairy do they start?"), nor a study's background or
    methods ("BACKGROUND Screening for cervical cancer based on testing for HPV …" answered
    "What grade is it?"), nor its result told in its statistics ("HIV testing uptake was 34.7%
    … (RR1.16, CI 0.99–1.36 …)" answered "Which anal and rectal screening should he have?").
    One sentence is used once, none repeating what is ``shown`` (the bottom line) or another
    part's, and each saying a word the part asks of besides the question's ``focus``
    (:func:`speaks_to`); a part nothing answers is left out."""
    told = [set(tokens(text)) for text in shown]
    used: set[tuple[str, str]] = set()
    chosen: list[tuple[Part, list[EvidenceSentence]]] = []
    graded = any(_GRADE_STATED.search(text) for text in shown)
    for reading in readings:
        if graded and _GRADE_ASKED.search(reading.part.question):
            continue  # the bottom line's "(USPSTF grade A.)" answers "What grade is it?"
        typed = _typed(reading.part.question)
        defining = bool(_ASKS_WHAT.match(reading.part.question))
        asked = part_words(reading.part.question, focus)
        floor = min_score / 2  # what states an interval or a dose has the answer's form
        scored = sorted(
            (
                s
                for s in pool
                if reading.answers.get(s.key, 0.0) >= (min_score if typed is None else floor)
                and (typed is None or typed(s.text))
                and (defining or not (defines(s.text) or _MEANS.match(s.text)))
                and not reports_statistics(s.text)
                and not is_methods(s.text)
                and not is_background(s)
                and speaks_to(asked, s.text)
            ),
            key=lambda s: (-reading.answers[s.key], s.key),
        )
        picked = pick_unrepeated(scored, PART_ITEMS, used, told)
        if picked:
            chosen.append((reading.part, picked))
    return chosen


def part_words(question: str, focus: frozenset[str] = frozenset()) -> set[str]:
    """What a part asks of, in words: its content words less the focus's and words any
    question says (:data:`_GENERIC`)."""
    named = {w for phrase in focus for w in content_tokens(phrase)}
    return {w for w in content_tokens(question) if w not in named and w not in _GENERIC}


def speaks_to(asked: set[str], sentence: str) -> bool:
    """Whether ``sentence`` says one of the ``asked`` words (or a word of the same first
    :data:`PREFIX` letters: "rescreening" of "rescreened"). "Heart block occurs if the
    electrical signal is slowed" does not answer "Will she need a pacemaker?", nor "Cerebral
    palsy happens when …" "Will cerebral palsy get worse as he grows?" (set BJ); a part that
    asks of nothing but the focus ("Should I tell my doctor?", "What should we do?") is
    answered by no sentence in particular, and gets none."""
    if not asked:
        return False
    said = set(content_tokens(sentence))
    return any(
        word in said or (len(word) >= PREFIX and any(w[:PREFIX] == word[:PREFIX] for w in said))
        for word in asked
    )


PREFIX = 5
"""Letters two words share to be one word's forms ("measured", "measurements")."""
_GENERIC = frozenset(
    {"doctor", "need", "get", "know", "mean", "happen", "thing", "kind", "usually", "really",
     "also", "else", "anything", "something", "way", "good", "bad", "ok", "okay", "much", "many",
     "long", "often", "soon", "take", "make", "give", "tell", "say", "says", "said"}
)  # fmt: skip
"""Words any part may say that name nothing it asks of ("should I tell my doctor?")."""
_MEANS = re.compile(r"[\w\s,()'-]{2,80}? means\b", re.I)
"""A definition by "X means …" ("Lactose intolerance means that you cannot digest …")."""
_ASKS_WHAT = re.compile(r"(?:what|which) (?:is|are|was|were)\b|what does .+ mean\b", re.I)
"""A part that asks what something is, which a definition answers."""


def _typed(question: str) -> Callable[[str], bool] | None:
    """What a sentence must state to answer the part by its form: an interval for "how often",
    a dose for "what dose", a chance for "what is the chance", a grade for "what grade"."""
    if asks_interval(question):
        return states_interval
    if asks_dose(question):
        return states_dose
    if asks_chance(question):
        return states_chance
    if _GRADE_ASKED.search(question):
        return lambda text: bool(_GRADE_STATED.search(text))
    return None


_GRADE_ASKED = re.compile(r"\b(?:what|which) (?:\w+ )?grade\b", re.I)
_GRADE_STATED = re.compile(r"\bgrade [ABCDI]\b")
"""A part asking a statement's grade, and a grade stated ("USPSTF grade B"): a part the bottom
line's grade answers is not asked again, and another's is answered only by a grade."""
