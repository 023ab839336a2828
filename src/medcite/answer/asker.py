"""What a story says of the one who asks, and whether its question asks only when to seek care:
"I'm a 42-year-old woman who lost 30 pounds fast … Who is at risk for gallstones, and am I one of
them?" is answered first by the risks the story names; "When should I see a doctor about a
bicuspid aortic valve?" only by a sentence saying when to see one."""

from __future__ import annotations

import re

from medcite.answer.decide import asks_care
from medcite.answer.question import questions_in
from medcite.answer.sentences import stem
from medcite.text import STOPWORDS, split_sentences, tokens


def told_of_asker(question: str) -> frozenset[str]:
    """What a story says of the one it asks about (:func:`person_words`), when its question asks
    who is at risk and whether they are (set BQ led with "Mexican Americans are at higher risk
    …" over women, family history and weight loss); empty otherwise."""
    if not _ASKS_OF_ME.search(question):
        return frozenset()
    asking = set(questions_in(question))
    return person_words(" ".join(s for s in split_sentences(question) if s not in asking))


_ASKS_OF_ME = re.compile(
    r"\bwho\b[^?]*\b(?:at risk|more likely|gets?)\b[^?]*\b(?:am i|is (?:she|he)|are (?:we|they)"
    r"|is my \w+|are my \w+)\b",
    re.I,
)
"""Who is at risk, and whether the asker is ("Who is at risk for gallstones, and am I one of
them?"); not "Am I at risk for a blood clot …?", whose sentences naming the story's words
("… and take birth control pills are at increased risk") add conditions she does not have
(set AF)."""


def person_words(text: str) -> frozenset[str]:
    """The stemmed content words of ``text`` that may say who a person is, a relative read as
    family and a woman as women."""
    words = {stem(_PERSON.get(w, w)) for w in tokens(text) if w not in STOPWORDS}
    return frozenset(w for w in words if w.isalpha() and len(w) > 2)


_PERSON = {
    "woman": "women", "man": "men", "mother": "family", "father": "family", "sister": "family",
    "brother": "family", "parent": "family", "parents": "family", "mom": "family",
    "dad": "family", "aunt": "family", "uncle": "family", "grandmother": "family",
    "grandfather": "family", "lost": "loss", "losing": "loss",
}  # fmt: skip


def only_asks_care(question: str) -> bool:
    """Whether a question's one question sentence asks when or whether to seek care
    (:func:`medcite.answer.decide.asks_care`) and not which symptoms mean it is time: only a
    sentence saying when to see a doctor (:func:`says_care`) answers it (set BQ: "There was no
    association between ascending aortopathy, bicuspid aortic valves, and IAs." was its bottom
    line); "When should we call his doctor, what symptoms mean he needs to be seen?" is answered
    by the symptoms too (set BB)."""
    asking = questions_in(question)
    return len(asking) == 1 and asks_care(asking[0]) and not _SIGNS_ASKED.search(asking[0])


_SIGNS_ASKED = re.compile(r"\b(?:symptoms?|signs?|warning)\b", re.I)


def says_care(text: str) -> bool:
    """Whether a sentence says when to seek care ("If this happens, you should call your doctor
    right away.")."""
    return _SAYS_CARE.search(text) is not None


_SAYS_CARE = re.compile(
    r"\b(?:see|call|contact|visit|consult|talk (?:to|with)|tell)\s+(?:your|a|the|their|his|her)\s+"
    r"(?:\w+\s+)?(?:doctor|health ?care (?:provider|professional|team)|provider|physician|gp"
    r"|pediatrician|dentist|nurse)"
    r"|\bseek\s+(?:\w+\s+)?(?:medical|emergency)\s+(?:care|attention|help|treatment|advice)"
    r"|\b(?:go to|visit)\s+(?:the|an)\s+(?:emergency|hospital|er\b)|\b911\b"
    r"|\bget\s+(?:\w+\s+)?(?:medical|emergency)\s+(?:help|care|attention)"
    r"|\b(?:medical|emergency)\s+(?:care|attention|help)\s+(?:right away|immediately|promptly)",
    re.I,
)
