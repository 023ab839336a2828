"""A definition answers "What is it?", not a question of another kind (judged sheets: 16 of 17
such bottom lines were partial or off-topic)."""

from __future__ import annotations

import pytest

from medcite.answer.defining import merely_defines, only_treats_signs, unasked_definition


@pytest.mark.parametrize(
    ("text", "kind", "merely"),
    [
        (  # set CE: amyloidosis defined for "How is secondary amyloidosis diagnosed?"
            "Amyloidosis is a group of diseases in which a protein, called amyloid, builds up in"
            " the body's organs and tissues.",
            "exams and tests",
            True,
        ),
        ("Schizophrenia is a serious brain illness.", "treatment", True),
        (
            "Camurati-Engelmann disease is a condition that mainly affects the bones.",
            "inheritance",
            True,
        ),
        # a definition that says what was asked answers
        (
            "Otopalatodigital syndrome type 1 is a rare disorder, affecting fewer than 1 in every"
            " 100,000 individuals.",
            "frequency",
            False,
        ),
        ("Trichomoniasis is a sexually transmitted disease caused by a parasite.", "causes", False),
        ("The standard treatment for polymyositis is a corticosteroid drug.", "treatment", False),
        # a sentence that is no definition, and a kind a definition may answer
        ("Most fistulas can be treated with medicines.", "treatment", False),
        (
            "Epidermolysis bullosa is a group of conditions that cause fragile skin.",
            "symptoms",
            False,
        ),
        ("Epidermolysis bullosa is a group of conditions that cause fragile skin.", None, False),
    ],
)
def test_a_definition_only_answers_what_it_is(text: str, kind: str | None, merely: bool) -> None:
    assert merely_defines(text, kind) is merely


@pytest.mark.parametrize(
    ("text", "question", "kind", "unasked"),
    [
        (  # set AR: "what is schizophrenia" is asked beside whether it can be cured
            "Schizophrenia is a serious brain illness.",
            "my 19 year old brother has started hearing voices. the doctor said it might be"
            " schizophrenia. what is schizophrenia, can it be cured?",
            "treatment",
            False,
        ),
        (
            "Schizophrenia is a serious brain illness.",
            "My brother has schizophrenia. Can it be cured?",
            "treatment",
            True,
        ),
        (  # set AC: the workup of a thing is asked, not what the thing is
            "A UTI is an infection in the urinary tract.",
            "What is the workup of suspected urinary tract infection?",
            None,
            True,
        ),
        (
            "When a UTI occurs in a healthy person with a normal, unobstructed urinary tract, the"
            " term uncomplicated is used to describe the infection.",
            "What is the workup of suspected urinary tract infection?",
            None,
            True,
        ),
        (  # a question of a kind is answered by its kind's words (set E: "Memory loss is a
            # common symptom of dementia.")
            "Memory loss is a common symptom of dementia.",
            "What are the symptoms of Dementia?",
            "symptoms",
            False,
        ),
        (  # not a definition
            "A UTI is diagnosed by testing a sample of urine.",
            "What is the workup of suspected urinary tract infection?",
            None,
            False,
        ),
        (  # no kind and no part asked: a definition may answer
            "A UTI is an infection in the urinary tract.",
            "Tell me about urinary tract infections.",
            None,
            False,
        ),
    ],
)
def test_a_definition_does_not_answer_what_is_asked_of_it(
    text: str, question: str, kind: str | None, unasked: bool
) -> None:
    assert unasked_definition(question, kind)(text) is unasked


@pytest.mark.parametrize(
    ("text", "kind", "only"),
    [
        (  # set BW: the treatments page's boilerplate for "What are its symptoms?"
            "Management of Fanconi Bickel syndrome (FBS) generally focuses on the signs and"
            " symptoms of the condition.",
            "symptoms",
            True,
        ),
        (
            "Diet and supplements may alleviate some of the signs and symptoms of the condition.",
            "symptoms",
            True,
        ),
        (
            "Signs and symptoms of Fanconi Bickel syndrome include abdominal distention and"
            " failure to thrive.",
            "symptoms",
            False,
        ),
        (  # it answers how it is treated
            "Management of Fanconi Bickel syndrome (FBS) generally focuses on the signs and"
            " symptoms of the condition.",
            "treatment",
            False,
        ),
    ],
)
def test_care_of_the_signs_does_not_say_what_they_are(
    text: str, kind: str | None, only: bool
) -> None:
    assert only_treats_signs(text, kind) is only
