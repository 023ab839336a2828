"""Side-effect questions: "what are the side effects or risks of efavirenz?" is answered by a
sentence that states a harm (a side effect, a reaction, a worsening, a risk), never by a trial's
biomarker results that share the drug's name (review set AP: "At week 96, levels of IL-6 …
were lower than baseline" was the bottom line)."""

from __future__ import annotations

import re

_ASKS = re.compile(
    r"\bside[- ]?ef{1,2}ects?\b|\badverse (?:effects?|events?|reactions?)\b|\btoxicity\b", re.I
)  # "side efects" as typed (set AI)
_STATES = re.compile(
    r"\bside[- ]?effects?\b|\badverse\b|\btoxic\w*|\bharms?\b|\bharmful\b|\bprecipitat\w+"
    r"|\bworsen\w*|\bexacerbat\w+|\b(?:allergic |skin |drug )?reactions?\b|\bintoleran\w+"
    r"|\b(?:nausea|vomiting|diarrh\w+|constipation|dizz\w+|headaches?|rash\w*|drowsiness"
    r"|sleepiness|insomnia|tiredness|bruising|vivid dreams?|nightmares?|weight gain|hair loss"
    r"|dry mouth|itching)\b",
    re.I,
)
"""A harm by kind or by name; not "risk" or "cause" alone ("Untreated diabetes … may be part of
the cause of your ED" is no side effect of sildenafil), nor a disease a drug treats
("depression" of lithium's)."""


def asks_harms(question: str) -> bool:
    """Whether ``question`` asks for a treatment's side effects ("What are the side effects of
    X?", "adverse reactions", "toxicity")."""
    return bool(_ASKS.search(question))


def states_harm(text: str) -> bool:
    """Whether ``text`` states a harm: a side effect by name or kind, a reaction, a risk, a
    worsening ("may precipitate worsening of mental health conditions")."""
    return bool(_STATES.search(text))
