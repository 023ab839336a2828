"""Dose questions are answered by sentences that state a dose (:mod:`medcite.answer.dose`)."""

from __future__ import annotations

import pytest

from medcite.answer.dose import asks_dose, states_dose


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is the bolused dose of morphine for a child who was on a drip?", True),
        ("What dosage of ceftriaxone does this child need?", True),
        ("How much acetaminophen can I take in a day?", True),
        ("What is the recommended starting dose of atorvastatin?", True),
        ("How is low back pain managed without surgery?", False),
        ("How much does an MRI cost?", False),
        ("What are the benefits of low-dose aspirin?", False),
        ("Can vitamin B12 deficiency cause leukopenia?", False),
        # a dose named, not asked for (review set T)
        (
            "When someone is being followed on Synthroid, what blood test should be ordered to"
            " be sure they are on the right dose?",
            False,
        ),
        ("Do we really need a full dose of gadobenate dimeglumine?", False),
        ("Is he on the right dose, and what dose of levothyroxine should he take?", True),
        # a change of dose, a missed dose (review set V: a TSH interval question abstained)
        (
            "What is the right interval for checking the TSH, and if you make a change in dose,"
            " when should you check it?",
            False,
        ),
        ("When should TSH be checked after a dose change?", False),
        ("What should I do if I missed a dose of my pill?", False),
    ],
)
def test_dose_questions(question: str, expected: bool) -> None:
    assert asks_dose(question) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The recommended starting dose is 10 or 20 mg once daily.", True),
        ("Give 0.1 mg/kg intravenously.", True),
        ("The USPSTF recommends low-dose aspirin (81 mg/d) after 12 weeks of gestation.", True),
        ("Inhale 2 puffs every 4 to 6 hours.", True),
        ("69% of the patients in the erythromycin arm suffered from skin toxicity.", False),
        ("Polyuria can be reduced up to 50% without disrupting therapy.", False),
        ("Twelve patients were enrolled in 2 centres.", False),
    ],
)
def test_sentences_that_state_a_dose(sentence: str, expected: bool) -> None:
    assert states_dose(sentence) is expected
