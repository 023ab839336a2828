"""Sentences that say no to a yes/no question in so many words, and guideline
recommendations (:mod:`medcite.answer.denial`)."""

from __future__ import annotations

import pytest

from medcite.answer.denial import denies, recommendation

# (question, sentence): review set L's "Yes" bottom lines and abstentions, each a plain no
DENIALS = [
    (
        "Delayed diagnosis of anorectal malformations: are current guidelines sufficient?",
        "Current guidelines appear insufficient to ensure prompt diagnosis of ARM.",
    ),
    (
        "Are serum leptin levels a prognostic factor in advanced lung cancer?",
        "Our results showed that the serum leptin level has no prognostic indications in advanced"
        " lung cancer patients.",
    ),
    (
        "Can mass drug administration lead to the sustainable control of schistosomiasis?",
        "MDA on its own was insufficient to control the prevalence of schistosomiasis.",
    ),
    (
        "Does binge drinking during early pregnancy increase the risk of psychomotor deficits?",
        "We found no systematic association between isolated episodes of binge drinking during"
        " early pregnancy and child motor function at age 5.",
    ),
    (
        "Is inhaled prophylactic heparin useful for prevention of pneumonia?",
        "Nebulized heparin cannot be recommended for prophylaxis against VAP.",
    ),
]

# (question, sentence): not denials
NOT_DENIALS = [
    # a group with a negative prefix is not a negated predicate
    (
        "Mammographic screening in Sami speaking municipalities: are early outcome measures"
        " influenced by ethnicity?",
        "The recall rate was lower among the Sami compared with the non-Sami group.",
    ),
    # a sentence that turns is not a plain no
    (
        "Is the h-index predictive of greater NIH funding success among academic radiologists?",
        "Having obtained at least one NIH grant was associated with a higher h-index, yet large"
        " grants were not predictive of higher h-indices.",
    ),
    # "no difference" answers an equivalence question yes
    (
        "Is laparoscopic repair as effective as open repair?",
        "There was no difference in recurrence between laparoscopic and open repair.",
    ),
    # "no evidence that X is harmful" does not deny "Is X safe?"
    ("Is caffeine safe in pregnancy?", "There is no evidence that moderate caffeine is harmful."),
    ("Does metformin reduce mortality?", "Metformin reduced all-cause mortality by 36%."),
]


@pytest.mark.parametrize(("question", "sentence"), DENIALS)
def test_a_plain_no_is_a_denial(question: str, sentence: str) -> None:
    assert denies(question, sentence)


@pytest.mark.parametrize(("question", "sentence"), NOT_DENIALS)
def test_other_sentences_are_not_denials(question: str, sentence: str) -> None:
    assert not denies(question, sentence)


def test_negating_the_subject_is_not_a_denial() -> None:
    question = "Does binge drinking increase the risk of psychomotor deficits?"
    sentence = "Children whose mothers reported no binge drinking were the reference group."
    assert denies(question, sentence)  # read without knowing what the question is about …
    assert not denies(question, sentence, frozenset({"binge", "drinking"}))  # … and knowing it


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The USPSTF recommends the use of low-dose aspirin (81 mg/d) as preventive medication"
            " after 12 weeks of gestation in women who are at high risk for preeclampsia.",
            True,
        ),
        ("The Work Group recommends against routinely obtaining imaging studies.", False),
        ("Routine screening is not recommended.", False),
        ("The current evidence is insufficient evidence to assess the balance.", False),
        ("Evidence did not suggest additional benefit when aspirin was started earlier.", None),
        ("Low-dose aspirin reduced the risk of preeclampsia by 24%.", None),
    ],
)
def test_recommendations(sentence: str, expected: bool | None) -> None:
    assert recommendation(sentence) is expected
