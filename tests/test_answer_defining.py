"""A definition answers "What is it?", not a question of another kind (judged sheets: 16 of 17
such bottom lines were partial or off-topic)."""

from __future__ import annotations

import pytest

from medcite.answer.defining import merely_defines


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
