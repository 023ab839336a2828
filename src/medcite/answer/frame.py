"""The question as the engine reads it: parenthetical glosses taken out, so that "Can a vitamin
B12 (B12) deficiency cause leukopenia (low white blood cell count)?" is read, searched and
decided exactly as "Can a vitamin B12 deficiency cause leukopenia?" (the synonyms of the
vocabulary bring the lay words back into the search).

A parenthesis is a gloss when it repeats words just before it ("vitamin B12 (B12)"), is an
acronym of them ("chronic obstructive pulmonary disease (COPD)"), or is a phrase of two or more
words without a number ("(low white blood cell count)"). "(type 2)" and "(HbA1c > 7%)" stay.
"""

from __future__ import annotations

import re

_PAREN = re.compile(r"\s*\(([^()]{1,80})\)")
_WORD = re.compile(r"[A-Za-z0-9]+")


def strip_glosses(text: str) -> str:
    """``text`` without its parenthetical glosses (unchanged when it has none)."""
    out: list[str] = []
    last = 0
    for match in _PAREN.finditer(text):
        before = _WORD.findall(text[max(0, match.start() - 80) : match.start()])[-6:]
        if _is_gloss(match.group(1), before):
            out.append(text[last : match.start()])
            last = match.end()
    if not out:
        return text
    out.append(text[last:])
    return " ".join("".join(out).split())


def _is_gloss(inside: str, before: list[str]) -> bool:
    words = _WORD.findall(inside)
    if not words:
        return False
    lowered = {w.lower() for w in before}
    if all(w.lower() in lowered for w in words):
        return True  # a repeat: "vitamin B12 (B12)"
    initials = "".join(w[0] for w in before).lower()
    if len(words) == 1 and len(words[0]) >= 2 and words[0].lower() in initials:
        return True  # an acronym of the words before it
    return len(words) >= 2 and not any(ch.isdigit() for ch in inside)
