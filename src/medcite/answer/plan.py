"""Section plans: which sections an answer to each question type shows, in order. Only sections
with evidence are shown; diagnosis and treatment come as numbered steps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from medcite.answer.model import Audience, Question, QuestionType, SectionKind
from medcite.answer.question import questions_in


class SectionKey(StrEnum):
    DEFINITION = "definition"
    KEY_FINDINGS = "key_findings"
    MECHANISM = "mechanism"
    PRESENTATION = "presentation"
    DIAGNOSIS = "diagnosis"
    TREATMENT = "treatment"
    RISK = "risk"
    PROGNOSIS = "prognosis"
    PITFALLS = "pitfalls"


@dataclass(frozen=True)
class SectionSpec:
    key: SectionKey
    heading: str
    kind: SectionKind


SPECS: dict[SectionKey, SectionSpec] = {
    SectionKey.DEFINITION: SectionSpec(SectionKey.DEFINITION, "What it is", SectionKind.PARAGRAPH),
    SectionKey.KEY_FINDINGS: SectionSpec(
        SectionKey.KEY_FINDINGS, "Key evidence", SectionKind.BULLETS
    ),
    SectionKey.MECHANISM: SectionSpec(SectionKey.MECHANISM, "Mechanism", SectionKind.BULLETS),
    SectionKey.PRESENTATION: SectionSpec(
        SectionKey.PRESENTATION, "Presentation", SectionKind.BULLETS
    ),
    SectionKey.DIAGNOSIS: SectionSpec(SectionKey.DIAGNOSIS, "Diagnosis", SectionKind.STEPS),
    SectionKey.TREATMENT: SectionSpec(SectionKey.TREATMENT, "Treatment", SectionKind.STEPS),
    SectionKey.RISK: SectionSpec(SectionKey.RISK, "Who is at risk", SectionKind.BULLETS),
    SectionKey.PROGNOSIS: SectionSpec(SectionKey.PROGNOSIS, "Outlook", SectionKind.BULLETS),
    SectionKey.PITFALLS: SectionSpec(SectionKey.PITFALLS, "Pitfalls", SectionKind.BULLETS),
}


@dataclass(frozen=True)
class Part:
    """A later part of a compound question, as asked ("How often should blood pressure be
    measured?"): an answer section headed by it (:mod:`medcite.answer.parts`)."""

    question: str


Heading = SectionKey | Part
"""What an answer section is headed by: a planned section, or a part of the question."""


def spec_of(heading: Heading) -> SectionSpec:
    """The section's heading and kind: a part is headed by its own question."""
    if isinstance(heading, SectionKey):
        return SPECS[heading]
    return SectionSpec(SectionKey.KEY_FINDINGS, heading.question, SectionKind.BULLETS)


_K = SectionKey
PLANS: dict[QuestionType, tuple[SectionKey, ...]] = {
    QuestionType.CAUSE: (
        _K.KEY_FINDINGS,
        _K.MECHANISM,
        _K.PRESENTATION,
        _K.DIAGNOSIS,
        _K.TREATMENT,
        _K.RISK,
        _K.PITFALLS,
    ),
    QuestionType.YES_NO: (_K.KEY_FINDINGS, _K.MECHANISM, _K.RISK, _K.PITFALLS),
    QuestionType.DIAGNOSIS: (_K.DIAGNOSIS, _K.PRESENTATION, _K.KEY_FINDINGS, _K.PITFALLS),
    QuestionType.TREATMENT: (_K.TREATMENT, _K.KEY_FINDINGS, _K.PROGNOSIS, _K.PITFALLS),
    QuestionType.PROGNOSIS: (_K.PROGNOSIS, _K.KEY_FINDINGS, _K.TREATMENT, _K.RISK),
    QuestionType.RISK_FACTORS: (_K.RISK, _K.KEY_FINDINGS, _K.MECHANISM, _K.PITFALLS),
    QuestionType.DEFINITION: (
        _K.DEFINITION,
        _K.KEY_FINDINGS,
        _K.MECHANISM,
        _K.PRESENTATION,
        _K.TREATMENT,
    ),
    QuestionType.COMPARISON: (_K.KEY_FINDINGS, _K.TREATMENT, _K.PITFALLS),
    QuestionType.GENERAL: (
        _K.KEY_FINDINGS,
        _K.MECHANISM,
        _K.PRESENTATION,
        _K.DIAGNOSIS,
        _K.TREATMENT,
        _K.RISK,
    ),
}

# Questions MedCite can suggest next, by section, about the question's main topic.
FOLLOW_UP_TEMPLATES: dict[SectionKey, str] = {
    SectionKey.MECHANISM: "What causes {topic}?",
    SectionKey.PRESENTATION: "What are the symptoms of {topic}?",
    SectionKey.DIAGNOSIS: "How is {topic} diagnosed?",
    SectionKey.TREATMENT: "How is {topic} treated?",
    SectionKey.RISK: "Who is at risk of {topic}?",
    SectionKey.PROGNOSIS: "What is the outlook for {topic}?",
    SectionKey.DEFINITION: "What is {topic}?",
}

# … and about a drug: what it does, what it is for, what it may harm.
DRUG_FOLLOW_UP_TEMPLATES: dict[SectionKey, str] = {
    SectionKey.MECHANISM: "How does {topic} work?",
    SectionKey.TREATMENT: "What is {topic} used for?",
    SectionKey.RISK: "What are the side effects of {topic}?",
    SectionKey.DEFINITION: "What is {topic}?",
}


_NEEDS: dict[QuestionType, SectionKey] = {
    QuestionType.CAUSE: SectionKey.MECHANISM,
    QuestionType.DIAGNOSIS: SectionKey.DIAGNOSIS,
    QuestionType.TREATMENT: SectionKey.TREATMENT,
    QuestionType.PROGNOSIS: SectionKey.PROGNOSIS,
    QuestionType.RISK_FACTORS: SectionKey.RISK,
    QuestionType.DEFINITION: SectionKey.DEFINITION,
}
_SYMPTOMS = re.compile(r"\b(symptoms?|signs?|presentation|present with|feel like)\b", re.I)


def need_for(question: Question) -> SectionKey | None:
    """The section that answers what was asked ("What are the symptoms of X?" → presentation),
    by the sentences that ask: a story's "no vaginal symptoms" asks for none (set BI's
    bacterial vaginosis statement came under "Presentation")."""
    asked = " ".join(questions_in(question.text)) or question.text
    if _SYMPTOMS.search(asked):
        return SectionKey.PRESENTATION
    if question.yes_no:
        return None
    return _NEEDS.get(question.type)


def plan_for(question: Question, audience: Audience) -> tuple[SectionKey, ...]:
    """The plan for a question: the section it asks for first; students get the definition
    before everything else."""
    plan = PLANS[question.type]
    need = need_for(question)
    if need is not None:
        plan = (need, *(key for key in plan if key is not need))
    if audience is Audience.STUDENT:
        plan = (SectionKey.DEFINITION, *(key for key in plan if key is not SectionKey.DEFINITION))
    return plan
