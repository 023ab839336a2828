"""Interval questions and the sentences that answer them."""

from __future__ import annotations

import pytest

from medcite.answer.interval import asks_interval, states_interval


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("How often should the FIT be repeated?", True),
        ("How often should an overweight 50-year-old be rescreened for type 2 diabetes?", True),
        ("What is the right interval for checking the TSH level?", True),
        ("When should a colonoscopy be repeated after a normal result?", True),
        ("How many times a year should I see the dentist?", True),
        ("How is colorectal cancer screened?", False),
        ("When should I worry about a fever?", False),
    ],
)
def test_an_interval_question_is_recognised(question: str, asks: bool) -> None:
    assert asks_interval(question) is asks


@pytest.mark.parametrize(
    ("sentence", "states"),
    [
        ("These screening strategies include 1) annual screening with FIT.", True),
        ("The USPSTF recommends screening every 3 years with cervical cytology alone.", True),
        ("The USPSTF recommends 1-time screening for AAA with ultrasonography.", True),
        ("Vision screening at least once in all children aged 3 to 5 years.", True),
        ("Check the TSH level 6 to 8 weeks after any change in dose.", True),
        ("Blood pressure should be obtained during each prenatal care visit.", True),  # set CB
        ("The first visit included a blood pressure measurement.", False),
        ("Colonoscopy use increased from 285/100,000 per quarter to 889.", False),
        ("We studied 11 normal glucose-tolerant and 53 T2DM subjects.", False),
    ],
)
def test_a_sentence_states_an_interval(sentence: str, states: bool) -> None:
    assert states_interval(sentence) is states
