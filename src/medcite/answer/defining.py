"""Definitions: a sentence that says what a thing is ("Amyloidosis is a group of diseases in
which a protein … builds up") answers "What is it?", not "How is it diagnosed?". Across the
judged sheets (``eval/judged``) such a sentence led 17 answers to questions of another kind,
and reviewers found 16 of them partial or off-topic: a definition for a diagnosis, an outlook
or a treatment question. A definition that also says what was asked ("… is a rare disorder,
affecting fewer than 1 in every 100,000 individuals" for "How common is it?") still answers.
"""

from __future__ import annotations

import re

_DEFINES = re.compile(
    r"^[\w'’()\-]+(?: [\w'’()\-]+){0,8}? (?:is|are|refers to) (?:a|an|one of|the name|any of)\b",
    re.I,
)
"""A sentence that opens by saying what its subject is: "SAD is a type of depression."."""

_ANSWERS_KIND: dict[str, re.Pattern[str]] = {
    kind: re.compile(pattern, re.I)
    for kind, pattern in (
        ("exams and tests", r"diagnos|test|biops|exam|imag|scan|x-?ray|screen|detect|measur"
         r"|ultrasound|\bmri\b|\bct\b|blood|urine|level"),
        ("treatment", r"treat|therap|cure|surg|medic|drug|manag|reliev|relief|remov|transplant"
         r"|antibiotic"),
        ("causes", r"caus|due to|result|trigger|mutation|gene|infect|from|by (?:a|an|the)\b"),
        ("outlook", r"outlook|prognos|surviv|life expectancy|fatal|die|death|progress|improv"
         r"|resolv|worse|go away|self-limit|benign|lifelong|harmless|temporary|disappear"
         r"|usually"),
        ("prevention", r"prevent|avoid|vaccin|reduc"),
        ("frequency", r"rare|common|affect|prevalen|\d|incidence|frequent"),
        ("susceptibility", r"risk|likely|common|affect|people|women|\bmen\b|children|adults"
         r"|\bage|older|young|infant"),
        ("complications", r"complicat|lead|caus|result|risk"),
        ("genetic changes", r"gene|mutation|chromosom|variant|deletion|\bdna\b|inherit"),
        ("inheritance", r"inherit|autosomal|x-linked|pattern|de novo|famil|hereditary|genetic"),
        ("research", r"research|trial|stud|investigat"),
    )
}  # fmt: skip
"""For each kind of question but "what are its symptoms?" (a definition often lists the signs
that characterise a condition), the words by which a definition also answers it."""


def merely_defines(text: str, kind: str | None) -> bool:
    """Whether ``text`` only says what its subject is, for a question of ``kind`` (a consumer
    page's kind, :data:`medcite.answer.read._PAGE_KINDS`): it opens as a definition and names
    nothing that kind of question asks."""
    answers = _ANSWERS_KIND.get(kind or "")
    return answers is not None and bool(_DEFINES.match(text)) and not answers.search(text)
