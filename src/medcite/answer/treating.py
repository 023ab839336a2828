"""Treatment questions: "What treatments are there for Weyers acrofacial dysostosis?" is answered
by a sentence that says how a thing is treated, managed or cured, never by one that only says
what the condition is (review set BJ: "People with Weyers acrofacial dysostosis have abnormally
small … fingernails" was the bottom line; "How do you treat flea bites …?" led with plague)."""

from __future__ import annotations

import re

from medcite.answer.question import questions_in

_ASKS = re.compile(
    r"\b(?:treat(?:s|ed|ing|ments?)?|therap(?:y|ies)|cur(?:e|es|ed)|remed(?:y|ies)"
    r"|get rid of)\b",
    re.I,
)
_STATES = re.compile(
    r"\b(?:treat\w*|therap\w*|manag\w*|medicat\w*|medicines?|drugs?|surg\w*|operat\w*"
    r"|cur(?:e|es|ed|ing|ative)|remov\w*|transplant\w*|prescri\w*|antibiotics?|antivirals?"
    r"|antifungals?|steroids?|corticosteroids?|doses?|dosing|injections?|infusions?|creams?"
    r"|ointments?|lotions?|shampoos?|rehabilitat\w*|counsel\w*|vaccin\w*|supplement\w*"
    r"|diets?|dietary|exercis\w*|avoid\w*|reliev\w*|relief|eas(?:e|es|ed|ing)"
    r"|resolv\w*|heal(?:s|ed|ing)?|procedures?|radiation|chemo\w*"
    r"|inhibitors?|blockers?|agonists?|antagonists?|pills?|tablets?|wash\w*|cleans?\w*"
    r"|apply|applied|ice|compress\w*|bandag\w*|splint\w*|braces?|(?:self-|supportive )care)\b",
    re.I,
)
"""A way of treating by kind or by act: a medicine, a procedure, care, relief or avoiding what
harms; not a condition's features or causes, nor a study's "healthy control subjects" (set AR:
a brain-volume study answered whether schizophrenia can be cured)."""

_NAMED = re.compile(r"\b(?:treat(?:ed|ment|ments)|therap(?:y|ies)|medications?)\b", re.I)
"""Treating named as such, not only an act that might be one ("relieved by rest", "from the
diet": sets AD, BJ)."""

_DEFINITION_ASKED = re.compile(
    r"\bwhat (?:is|are) (?!(?:the |a |an )?(?:\w+ )?(?:treatments?|therap\w*|cures?|remed\w*"
    r"|options?|ways?)\b)",
    re.I,
)
"""A question that also asks what a thing is: "what is schizophrenia, can it be cured?" may lead
with what it is."""


def asks_treatment(question: str) -> bool:
    """Whether the sentences of ``question`` that ask (all of it when none ends in "?") ask how
    a thing is treated ("What treatments are there for X?", "How do you treat flea bites?"),
    and not also what it is (:data:`_DEFINITION_ASKED`)."""
    asked = " ".join(questions_in(question)) or question
    return bool(_ASKS.search(asked)) and not _DEFINITION_ASKED.search(asked)


def states_treatment(text: str) -> bool:
    """Whether ``text`` says anything of treating: a medicine, a procedure, care, relief."""
    return bool(_STATES.search(text))


def says_treat(text: str) -> bool:
    """Whether ``text`` says "treat" in one of its forms ("treated", "treating", "treatment"):
    a yes/no question on treating is not answered by a statement on screening that never says
    it (:func:`medcite.answer.read.read_question`)."""
    return bool(_TREAT.search(text))


_TREAT = re.compile(r"\btreat(?:s|ed|ing|ment|ments)?\b", re.I)


def names_treatment(text: str) -> bool:
    """Whether ``text`` names treating as such: a treatment, therapy or medication
    (:data:`_NAMED`), not only something :func:`states_treatment` reads as one."""
    return bool(_NAMED.search(text))
