"""Definitions: a sentence that says what a thing is ("Amyloidosis is a group of diseases in
which a protein … builds up") answers "What is it?", not "How is it diagnosed?". Across the
judged sheets (``eval/judged``) such a sentence led 17 answers to questions of another kind,
and reviewers found 16 of them partial or off-topic: a definition for a diagnosis, an outlook
or a treatment question. A definition that also says what was asked ("… is a rare disorder,
affecting fewer than 1 in every 100,000 individuals" for "How common is it?") still answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from medcite.answer.question import WHAT_IS_NAMED, questions_in, sentence_case

_DEFINES = re.compile(
    r"^[\w'’()\-]+(?: [\w'’()\-]+){0,8}? (?:is|are|refers to) (?:a|an|one of|the name|any of)\b",
    re.I,
)
"""A sentence that opens by saying what its subject is: "SAD is a type of depression."."""
_NAMES_TERM = re.compile(r"\bthe terms? [\w'’-]+(?: [\w'’-]+)? (?:is|are) used\b", re.I)
"""A sentence that says what a term means: "When a UTI occurs in a healthy person …, the term
uncomplicated is used to describe the infection."."""


def _defines(text: str) -> bool:
    return bool(_DEFINES.match(text) or _NAMES_TERM.search(text))


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


def unasked_definition(question: str, kind: str | None) -> Callable[[str], bool]:
    """Whether a sentence is a definition that does not answer ``question`` (of ``kind``), the
    question read once: no question sentence asks what a thing it names is ("… what is
    schizophrenia, can it be cured?" asks it), and the definition names nothing of the asked
    kind (:func:`merely_defines`) or the question, of no kind, asks what a part of the thing is
    ("What is the workup of suspected urinary tract infection?" is not answered by "A UTI is an
    infection in the urinary tract.", set AC)."""
    asking = questions_in(sentence_case(question))
    if any(_WHAT_NAMED.match(q.lower().lstrip()) for q in asking):
        return lambda text: False
    of_part = kind is None and any(_PART_OF.match(q.lower()) for q in asking)  # "What are the
    # symptoms of dementia?" has its kind's words

    def unasked(text: str) -> bool:
        return merely_defines(text, kind) or (of_part and _defines(text))

    return unasked


_WHAT_NAMED = re.compile(WHAT_IS_NAMED)
"""A question sentence that opens by asking what a thing it names is ("What is NARES (…), when
should you suspect it …?")."""
_PART_OF = re.compile(
    r"^\W*what (?:is|are) the (?!meaning|definition)[\w'-]+(?: [\w'-]+){0,2} (?:of|for|in)\b"
)
"""A question on a part of a thing: "What is the workup of …?", "What are the risk factors
for …?" (not "What is the meaning of …?")."""


def merely_defines(text: str, kind: str | None) -> bool:
    """Whether ``text`` only says what its subject is, for a question of ``kind`` (a consumer
    page's kind, :data:`medcite.answer.read._PAGE_KINDS`): it opens as a definition and names
    nothing that kind of question asks."""
    answers = _ANSWERS_KIND.get(kind or "")
    return answers is not None and _defines(text) and not answers.search(text)


_TREATS_SIGNS = re.compile(
    r"\b(?:treat\w*|manag\w*|therap\w*|care|alleviat\w*|reliev\w*|eas(?:e|es|ing)|control\w*)\b"
    r"[^.]{0,80}?\bsigns and symptoms\b",
    re.I,
)
"""Care of the signs and symptoms, GARD's boilerplate among it: "Management of Fanconi Bickel
syndrome (FBS) generally focuses on the signs and symptoms of the condition." (some 130
passages), "Diet and supplements may alleviate some of the signs and symptoms …"."""


def only_treats_signs(text: str, kind: str | None) -> bool:
    """Whether ``text`` says that care treats the signs and symptoms without naming one, for a
    question of ``kind`` that asks what they are (set BW: "… What are its symptoms?" was
    answered by the Fanconi-Bickel treatments page's boilerplate)."""
    return kind == "symptoms" and bool(_TREATS_SIGNS.search(text))
