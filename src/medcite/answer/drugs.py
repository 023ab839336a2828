"""Drug-information questions: "What is lorcaserin prescribed for?", "What are the side effects of
primidone?", "What brand names is praziquantel sold under?" ask of the drug they name, whatever
the story around them says (review set BK: lorcaserin's question was answered with the
treatments of the asker's high blood pressure), and are answered by a sentence on that drug; a
brand-name question by one that gives a name it is sold under."""

from __future__ import annotations

import re

from medcite.answer.question import questions_in

_DRUG_QUESTION = re.compile(
    r"\b(?:what|why|who)(?: is|'s| are) ([\w -]{3,40}?) (?:prescribed|used|taken|given|meant"
    r"|indicated)(?: for)?\b"
    r"|\b(?:side[ -]?effects?|doses?|dosage|overdose|brand names?) (?:of|for) "
    r"([\w -]{3,40}?)(?=[?,.;]| and\b| sold\b|$)"
    r"|\bwhat (?:brand names? )?(?:is|are) ([\w -]{3,40}?) sold (?:as|under)\b",
    re.I,
)
"""What a drug-information question asks of: "What is X prescribed for?", "side effects of X",
"What is X sold as?"."""

_POINTED = re.compile(r"(?:this|that|these|those|the|it|my|your|his|her|their)\b", re.I)
"""A drug pointed at, not named: "What is this medicine prescribed for?" asks of the story's."""

_BRAND_ASKED = re.compile(r"\bbrand(?:[ -]names?)?\b|\bsold (?:as|under)\b|\btrade names?\b", re.I)

_BRAND_STATED = re.compile(
    r"\b(?:brand(?:[ -]names?)?|trade names?|marketed|sold (?:as|under))\b"
    r"|\((?:[A-Z][\w-]+(?:®|™)?)(?:,? (?:and |or )?[A-Z][\w-]+(?:®|™)?)*\)"
)
"""A name a drug is sold under: "tolterodine (Detrol)", "sold as", "brand name"."""


def drugs_asked(sentence: str) -> list[str]:
    """The drugs a question sentence asks of by name (:data:`_DRUG_QUESTION`)."""
    found = (next(d for d in m.groups() if d) for m in _DRUG_QUESTION.finditer(sentence))
    return [drug for drug in found if not _POINTED.match(drug)]


def drug_questions(text: str) -> list[str]:
    """The question sentences of ``text`` (all of it when none ends in "?") that ask a
    drug-information question of a drug they name."""
    return [q for q in questions_in(text) or [text] if drugs_asked(q)]


def asks_of_drug(text: str) -> bool:
    """Whether ``text`` asks a drug-information question of a drug it names."""
    return bool(drug_questions(text))


def asks_brand(questions: list[str]) -> bool:
    """Whether one of a text's drug questions (:func:`drug_questions`) asks the names the drug
    is sold under."""
    return any(_BRAND_ASKED.search(q) for q in questions)


def states_brand(text: str) -> bool:
    """Whether a sentence gives a name a drug is sold under: a capitalised name in
    parentheses ("tolterodine (Detrol)") or says a brand or trade name."""
    return bool(_BRAND_STATED.search(text))
