"""The decide stage's rules that need no model: a claim with figures is supported only by a
sentence that states the same figures."""

from __future__ import annotations

import pytest

from medcite.answer.decide import (
    _asks_further,
    bounds_of,
    numbers,
    other_side_of,
    reports_no_findings,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Is it true that 1 in 5 million in UK have abnormal PrP positivity?", {"1", "5"}),
        (
            "a prevalence of 493 per million (95% CI 282 to 801) in 32,441 samples",
            {"493", "95", "282", "801", "32441"},
        ),
        ("Does vitamin B12 deficiency cause leukopenia in COVID-19?", set()),
        ("HbA1c fell by 0.5% with 2.5 mg", {"0.5", "2.5"}),
        # a number that is part of a name is no figure (set V: "Type 2 diabetes" kept a finding
        # that never says "2" out of the verdict)
        ("adults at risk of developing Type 2 diabetes", set()),
        ("stage 3 colon cancer treated in phase 2 trials", set()),
        ("IL-6 rose 3-fold in 40 patients", {"40"}),
    ],
)
def test_figures_of_a_text(text: str, expected: set[str]) -> None:
    assert numbers(text) == expected


def test_a_different_figure_is_not_the_asked_one() -> None:
    asked = numbers("Is it true that 1 in 5 million in UK have abnormal PrP positivity?")
    stated = numbers("16 were positive, a prevalence of 493 per million population")
    assert not asked <= stated


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Rationale and design of a multi-center, open-label, randomised clinical trial"
            " comparing HIV incidence and contraceptive benefits in women",
            True,
        ),
        ("Yoga for chronic low back pain: study protocol for a randomized controlled trial", True),
        ("A protocol for a systematic review of statins in the elderly", True),
        ("Design and rationale of the ECHO trial", True),
        ("Randomized trial of nicotine replacement therapy versus bupropion", False),
        ("Adherence to the treatment protocol in a trial of chemotherapy", False),
    ],
)
def test_a_study_yet_to_be_done_reports_no_findings(title: str, expected: bool) -> None:
    assert reports_no_findings(title) is expected


def test_a_figure_bounded_the_other_way_is_not_the_asked_one() -> None:
    # set AM: the I statement on "doses greater than 400 IU" was quoted for "400 IU or less"
    asked = bounds_of("daily low-dose vitamin D (400 IU or less) with calcium (1,000 mg or less)")
    assert asked == {"400": "at most", "1000": "at most"}
    higher = bounds_of("doses greater than 400 IU of vitamin D and greater than 1000 mg of calcium")
    same = bounds_of("400 IU or less of vitamin D and 1000 mg or less of calcium")
    assert other_side_of(asked, higher)
    assert not other_side_of(asked, same)
    assert not other_side_of(asked, bounds_of("vitamin D at 800 IU daily"))
    both = bounds_of("LDL ≥190 mg/dL in adults over 65 years")
    assert both == {"190": "at least", "65": "at least"}


@pytest.mark.parametrize(
    ("question", "further"),
    [
        (  # set BD: "No" from "The observer should not be the physician who performed …"
            "Under the Colorado low back pain guideline, does he qualify, what degree of relief"
            " and what confirmatory block are required, and is cooled RF an option?",
            True,
        ),
        (
            "Do these results support a carpal tunnel release, and at what skin temperature must"
            " the study be done?",
            True,
        ),
        ("Should I screen her for hepatitis C?", False),
        ("Should I screen her, and is it covered by insurance?", False),  # a second yes/no
        ("She asks what to do. Should I screen her?", False),  # the story's "what"
    ],
)
def test_a_question_asking_further_what_or_how(question: str, further: bool) -> None:
    assert _asks_further(question) is further
