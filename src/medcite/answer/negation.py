"""A yes/no question that asks about a negated claim ("Is it true that CD44v6 is not associated
with cancer stem cells?", "… vaccines don't cause autism?", "… has no effect …") is read as its
affirmative ("… is associated …") and its verdict turned round: the sources state the
relation, not its absence, and the reader and the cues weigh them against the relation. Without
this, a study showing the association "supports" the question and the answer says *yes* to a
claim it refutes.

Only the proposition's own verb is negated: "Are patients aware of when they do not understand?"
and "Can metformin cause a mild acidosis that does not require stopping the drug?" negate a
clause inside it and are read as asked; a question that opens with the negation
("Isn't coffee bad for you?", "Doesn't aspirin thin the blood?") asks the affirmative (yes means
it is bad) and is read as asked too, and so is a question with two negations. A negation
after the subject of a question that opens with its auxiliary ("Do statins not lower LDL?") is
not recognised: it is read as asked.
"""

from __future__ import annotations

import re
from dataclasses import replace

from medcite.answer.model import EvidenceMeter, Stance, Verdict
from medcite.answer.verdict import Decision, reason

_AUX = r"is|are|was|were|do|does|did|can|could|should|will|would|has|have|had|may|might|must"
_NEGATION = re.compile(
    rf"\b(?P<aux>{_AUX})\s+not\b(?!\s+only\b)"  # "is not associated" ("not only" is no denial)
    rf"|\b(?P<short>{_AUX}|ca|wo)n['’]t\b"  # "doesn't", "can't", "won't"
    r"|\b(?P<cannot>can)not\b"
    r"|\b(?P<verb>has|have|had|is|are|was|were|shows?|showed|confers?|conferred)\s+no\b",
    re.I,
)  # the last: "has no effect", "there is no link" ("has any effect", "is any link")
_ANY_NEGATION = re.compile(r"\b(not|cannot|no|never|none|neither|nor)\b|n['’]t\b", re.I)
_SUBORDINATE = re.compile(
    r"\b(when|whenever|if|unless|who|whom|whose|which|whether|because|although|though|while"
    r"|until|where)\b",
    re.I,
)
_RELATIVE_THAT = re.compile(r"\bthat\s+$", re.I)
"""A "that" right before the negated auxiliary is a relative pronoun (a subject would stand
between a complementizer and its verb: "Is it true that CD44v6 is not …")."""
_OPENING = re.compile(rf"^\s*(?:(?:{_AUX}|ca|wo)n['’]t|cannot|(?:{_AUX})\s+not)\b", re.I)
_CONTRACTED = {"ca": "can", "wo": "will"}


def affirmative(question: str) -> str | None:
    """The question with its proposition's negation taken out ("… is not associated …" → "…
    is associated …"), or None when it does not negate its proposition."""
    if _OPENING.match(question) or len(_ANY_NEGATION.findall(question)) != 1:
        return None
    match = _NEGATION.search(question)
    if match is None:
        return None
    before = question[: match.start()]
    if _SUBORDINATE.search(before) or _RELATIVE_THAT.search(before):  # "… a mild acidosis
        return None  # that does not require stopping the drug?" negates a clause (set BA)
    end = _SENTENCE_END.search(question, match.end())
    if end is not None and end.group() != "?":  # the story's "no", not the question's: "Our
        return None  # clinic has no addiction services nearby. Should we still screen …?" (set AI)
    if match.group("aux") or match.group("cannot"):
        kept = match.group("aux") or match.group("cannot")
    elif match.group("short"):
        short = match.group("short")
        kept = _CONTRACTED.get(short.lower(), short)
    else:
        kept = f"{match.group('verb')} any"
    return question[: match.start()] + kept + question[match.end() :]


_SENTENCE_END = re.compile(r"[.?!](?=\s|$)")

_TURNED = {Verdict.YES: Verdict.NO, Verdict.NO: Verdict.YES}
_TURNED_STANCE = {Stance.SUPPORTS: Stance.CONTRADICTS, Stance.CONTRADICTS: Stance.SUPPORTS}


def turned(decision: Decision) -> Decision:
    """The decision on the affirmative, as the answer to its negation: yes ↔ no, each source's
    stance and lean reversed, the meter's supports and contradicts exchanged."""
    verdict = _TURNED.get(decision.verdict, decision.verdict)
    documents = tuple(
        replace(d, stance=_TURNED_STANCE.get(d.stance, d.stance), lean=-d.lean)
        for d in decision.documents
    )
    meter = EvidenceMeter(
        decision.meter.contradicts, decision.meter.supports, decision.meter.neutral
    )
    told = reason(verdict, list(documents)) if documents else decision.reason
    return Decision(verdict, decision.strength, meter, told, documents, -decision.score)
