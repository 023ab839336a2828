"""Chance questions: "What are the chances our next child has it?" is answered by a sentence
that states the chances ("each child has a 50% (1 in 2) chance"), not by one naming the
inheritance pattern alone."""

from __future__ import annotations

import re

_ASKS = re.compile(r"\b(?:chances?|odds|how likely|likelihood)\b", re.I)
_STATES = re.compile(r"\d\s?%|\b\d+ in \d+\b|\bchance\b|\bpercent\b", re.I)


def asks_chance(question: str) -> bool:
    """Whether ``question`` asks how likely something is."""
    return bool(_ASKS.search(question))


def states_chance(sentence: str) -> bool:
    """Whether ``sentence`` states a chance: a percentage, "1 in 2", "a chance"."""
    return bool(_STATES.search(sentence))
