"""Chance questions are answered by a sentence that states the chance."""

from __future__ import annotations

import pytest

from medcite.answer.chance import asks_chance, states_chance


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What are the chances our next child has it?", True),
        ("How likely is it to come back?", True),
        ("What is the chance I have it?", True),
        ("Is it inherited?", False),
    ],
)
def test_a_chance_question_is_recognised(question: str, asks: bool) -> None:
    assert asks_chance(question) is asks


@pytest.mark.parametrize(
    ("sentence", "states"),
    [
        ("Each child has a 50% (1 in 2) chance to inherit the mutated gene.", True),
        ("Carriers usually have no symptoms.", False),
        ("About 25 percent of carriers develop symptoms.", True),
        ("HERNS is inherited in an autosomal dominant manner.", False),
    ],
)
def test_a_sentence_states_a_chance(sentence: str, states: bool) -> None:
    assert states_chance(sentence) is states
