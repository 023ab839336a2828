"""Interval questions: "How often should the FIT be repeated?" is answered by a sentence that
states how often ("annual screening with FIT", "every 3 years"), not by a line on how many
people were screened (set AB: a Medicare colonoscopy-utilisation result and a trial's methods
line were the bottom lines of two such questions)."""

from __future__ import annotations

import re

_ASKS = re.compile(
    r"\bhow (?:often|frequently)\b|\b(?:what|which|the right|the best) (?:\w+ )?intervals?\b"
    r"|\bhow many times (?:a|per|each) (?:year|month|week|day)\b"
    r"|\bhow (?:long|soon) (?:\w+ ){0,3}(?:before|until|between) (?:\w+ ){0,3}"
    r"(?:repeat\w*|re-?screen\w*|re-?test\w*|re-?check\w*|next)\b"
    r"|\bwhen (?:\w+ ){1,6}(?:repeated|re-?screened|re-?tested|re-?checked)\b",
    re.I,
)
_STATES = re.compile(
    r"\bevery (?:\d+|one|two|three|four|five|six|ten|other|\d+ to \d+)?\s*(?:years?|months?"
    r"|weeks?|days?)\b|\b(?:annual(?:ly)?|yearly|biennial(?:ly)?|triennial(?:ly)?|monthly"
    r"|quarterly)\b|\b(?:once|twice) (?:a|per|every|each) (?:year|month|week|day)\b"
    r"|\b(?:1|one)-time\b|\bat least once\b|\b\d+-(?:year|month) intervals?\b"
    r"|\bintervals? of \d+|\bper year\b|\beach year\b"
    r"|\b\d+(?: (?:to|or|-) \d+)? (?:weeks?|months?|years?) (?:after|later|from)\b"
    r"|\b(?:at|during) (?:each|every) (?:[\w-]+ ){0,3}(?:visit|encounter|appointment)s?\b",
    re.I,
)


def asks_interval(question: str) -> bool:
    """Whether ``question`` asks how often something is done ("How often should an
    overweight 50-year-old … be rescreened?", "When should the antibody test be repeated?")."""
    return bool(_ASKS.search(question))


def states_interval(sentence: str) -> bool:
    """Whether ``sentence`` states how often or when again ("every 3 years", "annual
    screening", "1-time screening", "at least once", "6 to 8 weeks after a dose change",
    "during each prenatal care visit")."""
    return bool(_STATES.search(sentence))
