"""Dose questions: "What is the bolused dose of morphine for a child?" is answered by a
sentence that states a dose ("0.1 mg/kg"), never by a trial's adverse-event rate or a line on
adherence that shares the drug's name. Review set M: six clinicians' dose questions, none got a
dose; four got a bottom line about something else."""

from __future__ import annotations

import re

_ASKS = re.compile(
    r"(?<![-\w])(?:doses?|dosage|dosing|dosed|how much (?:\w+ ){1,3}(?:should|can|to (?:take|give))"
    r"|how many (?:mg|milligrams|units|tablets|pills)|mg/kg)\b",
    re.I,
)
_UNIT = (
    r"(?:mg|mcg|µg|μg|ug|g|grams?|milligrams?|micrograms?|ml|mL|l|units?|IU|iu|mEq|mmol"
    r"|tablets?|capsules?|puffs?|drops?)"
)
_STATES = re.compile(
    rf"\b\d+(?:[.,]\d+)?(?:\s*(?:-|–|to)\s*\d+(?:[.,]\d+)?)?\s*{_UNIT}"
    rf"(?:\s*/\s*(?:kg|m2|m²|day|d|dose|hour|h|min))?\b",
    re.I,
)


_NAMED = re.compile(
    r"(?:\b(?:right|correct|proper|same|stable|current|full|half|usual) "
    r"|\b(?:change|changes|increase|decrease|adjustment|reduction|error) (?:in|of|to) "
    r"(?:the |a |their |your )?"
    r"|\b(?:change|adjust|increase|decrease|reduce|lower|raise|miss|missed|skip|skipped) "
    r"(?:the |a |their |your |his |her |my )?)$",
    re.I,
)
_AFTER = re.compile(r"^\w* (?:change|changes|adjustment|adjustments|reduction)\b", re.I)


def asks_dose(question: str) -> bool:
    """Whether ``question`` asks for a dose ("What dosage of ceftriaxone …?", "How much
    acetaminophen can I take?"); "to be sure they are on the right dose" and "a full dose"
    name a dose they do not ask for (review set T: a TSH question got no answer), as do "if you
    make a change in dose", "after a dose change", "missed a dose" (set V: the TSH interval
    question abstained for want of a stated dose)."""
    return any(
        not _NAMED.search(question[: m.start()]) and not _AFTER.match(question[m.start() :])
        for m in _ASKS.finditer(question)
    )


def states_dose(sentence: str) -> bool:
    """Whether ``sentence`` states a dose: a figure with a unit ("10 or 20 mg once daily",
    "0.1 mg/kg", "81 mg/d", "2 puffs")."""
    return bool(_STATES.search(sentence))
