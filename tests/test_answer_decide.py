"""The decide stage's rules that need no model: a claim with figures is supported only by a
sentence that states the same figures."""

from __future__ import annotations

import pytest

from medcite.answer.decide import numbers, reports_no_findings


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
