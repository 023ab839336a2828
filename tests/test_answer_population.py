"""Who a guideline's population and a question speak of, and when they are different people."""

from __future__ import annotations

import math

import pytest

from medcite.answer.population import (
    ages,
    agreeing,
    conflicting,
    of_title,
    outside_ages,
    outside_said_ages,
    population,
    speaks_of_others,
)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Men aged 65 to 75 years who have ever smoked", (65.0, 75.0)),
        ("Children ages 6 to 24 months", (0.5, 2.0)),
        ("Children aged 11 years or younger", (0.0, 11.0)),
        ("Adults 65 years or older", (65.0, math.inf)),
        ("Women younger than 21 years", (0.0, 21.0 - 1e-6)),  # age 21 is not younger than 21
        ("a 70-year-old woman", (70.0, 70.0)),
        ("children from birth to age 5 years", (0.0, 5.0)),  # not 5 alone (set AF)
        ("photoscreening at 18-month well-child visits", (1.5, 1.5)),  # set AJ
        ("at her 4-year checkup", (4.0, 4.0)),
        ("Children and adolescents", (0.0, 19.0)),
        ("Older adults", (60.0, math.inf)),
        ("Pregnant women", None),
    ],
)
def test_ages_are_read_from_ranges_bounds_and_groups(
    text: str, span: tuple[float, float] | None
) -> None:
    assert ages(text) == span


def test_a_title_is_read_after_its_topic() -> None:
    title = "USPSTF: Tobacco Smoking Cessation in Adults: Interventions -- Nonpregnant adults"
    read = of_title(title)
    assert read.smoked is None  # the topic's "Smoking" is not the population's
    assert read.pregnant is False


def test_a_prenatal_visit_or_weeks_of_a_woman_are_a_pregnancy() -> None:
    # set AU: "22-year-old at 29 weeks …" took the HIV screening statement for adults
    assert population("22-year-old at 29 weeks who tested negative at her first visit").pregnant
    assert population("She tested HIV-negative at her first prenatal visit.").pregnant
    assert population("Woman at 6 weeks postpartum with fatigue").pregnant is None
    assert population("He has had a cough for 6 weeks").pregnant is None


def test_what_widens_a_population_does_not_narrow_it() -> None:
    read = population("General adult population, including pregnant and postpartum women")
    assert read.sexes == frozenset()
    assert read.pregnant is None


@pytest.mark.parametrize(
    ("question", "population_", "conflict"),
    [
        (
            "Should a 70-year-old woman who smoked get screened for AAA?",
            "Men aged 65 to 75 years who have ever smoked",
            True,
        ),
        (
            "Should a 70-year-old woman who smoked get screened for AAA?",
            "Women who have never smoked",
            True,
        ),
        (
            "Should a 70-year-old woman who smoked get screened for AAA?",
            "Women aged 65 to 75 years who have ever smoked",
            False,
        ),
        (
            "Should pregnant women be screened before 24 weeks?",
            "Asymptomatic Pregnant Women, After 24 Weeks of Gestation",
            True,
        ),
        (
            "Should pregnant women at high risk of preterm delivery be screened for BV?",
            "Pregnant persons not at increased risk for preterm delivery",
            True,
        ),
        (
            "Should pregnant women at high risk of preterm delivery be screened for BV?",
            "Pregnant persons at increased risk for preterm delivery",
            False,
        ),
        (
            "Is depression screening recommended for children aged 11 years or younger?",
            "Adolescents aged 12 to 18 years",
            True,
        ),
        (
            "Is depression screening recommended for children aged 11 years or younger?",
            "General adult population, including pregnant and postpartum women",
            True,
        ),
        ("Should nonpregnant adults be screened for syphilis?", "Pregnant women", True),
        (
            "Should adults be screened for hepatitis C?",
            "Asymptomatic adolescents and adults, including those who are pregnant",
            False,
        ),
        ("Should I be screened for colon cancer?", "Adults aged 50 to 75 years", False),
    ],
)
def test_a_population_conflicts_only_where_both_name_a_trait_and_differ(
    question: str, population_: str, conflict: bool
) -> None:
    assert conflicting(question, f"USPSTF: Topic: Screening -- {population_}") is conflict


def test_a_child_is_never_the_pregnant_population() -> None:
    # set AE: a pregnancy guideline's depression screening answered for a boy of 9
    title = "VA/DoD clinical practice guideline for the management of pregnancy"
    assert conflicting("9-year-old boy: should I screen him for depression?", title)
    assert conflicting("Blood lead testing in asymptomatic 1- and 2-year-olds?", title)
    assert not conflicting("Should a 30-year-old woman be screened for depression?", title)


def test_an_infant_in_months_is_read_even_when_the_parents_ask() -> None:
    # set AF: "Parents of a healthy 9-month-old …" got the statement for pregnant women
    asked = population("Parents of a healthy 9-month-old ask why we check a hemoglobin.")
    assert asked.ages == (0.75, 0.75)
    assert conflicting(
        "Parents of a healthy 9-month-old ask why we check a hemoglobin.",
        "USPSTF: Iron Deficiency Anemia in Pregnant Women: Screening -- Pregnant women",
    )


def test_no_one_past_childbearing_age_is_the_pregnant_population() -> None:
    # set AG: the pregnancy threshold for a urine culture answered for a 70-year-old woman
    title = "USPSTF: Asymptomatic Bacteriuria in Adults: Screening -- Pregnant persons"
    assert conflicting("Healthy 70-year-old woman with no urinary symptoms.", title)
    assert not conflicting("Healthy 30-year-old woman with no urinary symptoms.", title)


def test_no_risk_factors_is_not_at_risk() -> None:
    # set AG: "with no cardiac risk factors" read as "with … risk factors", the I statement for
    # adults at intermediate or high risk answered a marathon runner
    assert population("50-year-old runner with no cardiac risk factors.").at_risk is False
    assert population("Adults with two or more risk factors.").at_risk is True


def test_no_family_history_is_not_at_risk() -> None:
    # set AH: raloxifene for a woman with no family history got the increased-risk statement
    assert population("52-year-old woman with no family history of breast cancer.").at_risk is False
    # set AU: the B statement "for women with a personal or family history of breast, ovarian
    # … cancer" answered a woman with "no personal or family history"
    asked = "34-year-old woman with no personal or family history of breast or ovarian cancer."
    assert population(asked).at_risk is False
    assert population("women with a personal or family history of breast cancer").at_risk
    assert conflicting(asked, "BRCA: Testing -- Women with a personal or family history of cancer")


def test_the_people_named_alike_are_counted() -> None:
    # set AJ: the record on hysterectomy answered an 18-year-old over the one on women younger
    # than 21
    question = "Sexually active 18-year-old woman asks for a Pap smear. Should I screen her?"
    young = "USPSTF: Cervical Cancer: Screening -- Women younger than 21 years"
    removed = "USPSTF: Cervical Cancer: Screening -- Women who have had a hysterectomy"
    assert agreeing(question, young) > agreeing(question, removed)
    assert not conflicting(question, removed)


def test_a_relatives_sex_and_history_are_not_the_patients_sex_but_her_risk() -> None:
    # set AJ: "whose brother had an AAA repair" made a 68-year-old woman a man too
    read = population("68-year-old woman, never smoked, whose brother had an AAA repair.")
    assert read.sexes == frozenset({"female"})
    assert read.at_risk is True
    assert population("My son has asthma.").sexes == frozenset({"male"})
    # set AR: "his" was the husband's, and the men's statement answered her
    read = population("74-year-old woman whose husband just had his AAA repaired.")
    assert read.sexes == frozenset({"female"})
    assert population("Should he be screened at 70?").sexes == frozenset({"male"})  # no noun


def test_a_recommendation_names_its_people_better_than_its_title() -> None:
    # set AJ: the titles say only "who have never smoked" and "who have ever smoked"
    question = "68-year-old woman, never smoked, whose brother had an AAA repair. Screen her?"
    assert speaks_of_others(
        question,
        "USPSTF: Abdominal Aortic Aneurysm: Screening -- Women who have never smoked",
        "The USPSTF recommends against routine screening for AAA with ultrasonography in women"
        " who have never smoked and have no family history of AAA.",
    )
    assert not speaks_of_others(
        question,
        "USPSTF: Abdominal Aortic Aneurysm: Screening -- Women aged 65 to 75 years who have ever"
        " smoked",
        "The USPSTF concludes that the current evidence is insufficient to assess the balance of"
        " benefits and harms of screening for AAA with ultrasonography in women aged 65 to 75"
        " years who have ever smoked or have a family history of AAA.",
    )


def test_a_sentence_naming_two_groups_speaks_of_either() -> None:
    # set AK: "… women age 24 years and younger and in older women who are at increased risk"
    sentence = (
        "The USPSTF recommends screening for gonorrhea in sexually active women age 24 years and"
        " younger and in older women who are at increased risk for infection."
    )
    assert not speaks_of_others("Should a 30-year-old woman be screened?", "x", sentence)
    assert speaks_of_others(
        "Should a 30-year-old man be screened?", "x", sentence.replace("women", "women only")
    )


@pytest.mark.parametrize(
    ("text", "has"),
    [
        ("58-year-old with hypertension and LDL 160, no diabetes.", True),
        ("35-year-old with metabolic syndrome but normal blood pressure and no diabetes", True),
        ("Obese 45-year-old smoker with prediabetes but normal blood pressure and lipids", True),
        ("Adults with cardiovascular disease risk factors", True),
        ("Adults aged 40 to 75 years with no history of CVD, 1 or more CVD risk factors", True),
        (
            "adults without obesity who do not have hypertension, dyslipidemia, abnormal blood"
            " glucose levels, or diabetes",
            False,
        ),
        ("Adults without obesity who do not have known cardiovascular disease risk factors", False),
        ("58-year-old man with normal blood pressure and a 10-year CVD risk of 9%", None),
    ],
)
def test_cardiovascular_risk_factors_are_read_with_their_negations(
    text: str, has: bool | None
) -> None:
    assert population(text).cvd_factors is has


def test_the_statement_for_people_without_risk_factors_is_no_answer_for_one_with_them() -> None:
    # sets AD, AI, AJ, AK: "individualize the decision … adults without obesity who do not have
    # hypertension …" answered a 58-year-old with hypertension "Uncertain"
    title = (
        "USPSTF: Healthful Diet and Physical Activity for Cardiovascular Disease Prevention in"
        " Adults Without Known Risk Factors: Behavioral Counseling -- Adults without obesity who"
        " do not have known cardiovascular disease risk factors"
    )
    question = "58-year-old with hypertension and LDL 160. Should I refer him for diet counseling?"
    assert conflicting(question, title)
    assert not conflicting("Healthy 40-year-old, should I refer her for diet counseling?", title)


def test_women_past_the_menopause_are_not_those_before_it() -> None:
    # set AM: the I statement "in men and premenopausal women" answered postmenopausal women
    question = "Does the USPSTF recommend vitamin D for community-dwelling postmenopausal women?"
    assert population(question).menopause == "after"
    assert population("Men and premenopausal women").menopause == "before"
    assert population("premenopausal and postmenopausal women").menopause is None
    assert speaks_of_others(
        question,
        "USPSTF: Vitamin D … -- Men and premenopausal women",
        "The USPSTF concludes that the evidence is insufficient … in men and premenopausal women.",
    )


def test_a_bare_people_word_shares_the_age_of_the_group_after_it() -> None:
    # set AQ: "children" alone (0 to 12) covered a 4-year-old, and the statement on "children
    # and adolescents 6 years and older" said "Yes"
    title = (
        "USPSTF: Obesity in Children and Adolescents: Screening -- Children and adolescents 6"
        " years and older"
    )
    sentence = (
        "The USPSTF recommends that clinicians screen for obesity in children and adolescents 6"
        " years and older and offer or refer them to intensive behavioral interventions."
    )
    assert speaks_of_others("Should I screen a 4-year-old girl for obesity?", title, sentence)
    assert not speaks_of_others("Should I screen an 8-year-old boy for obesity?", title, sentence)


def test_younger_than_a_bound_leaves_the_bound_out() -> None:
    # set AQ: the statement for children aged 3 to 5 answered one on children younger than 3,
    # and the one for adults aged 50 to 59 one on adults younger than 50
    vision = "USPSTF: Vision in Children Ages 6 Months to 5 Years: Screening -- Children aged 3"
    assert conflicting("vision screening in children younger than 3 years", f"{vision} to 5 years")
    assert conflicting(
        "aspirin in adults younger than 50", "USPSTF: Aspirin -- Adults aged 50 to 59 years"
    )
    assert not conflicting("children 3 years or younger", f"{vision} to 5 years")


@pytest.mark.parametrize(
    ("question", "statement", "outside"),
    [
        (  # set BC
            "Does the statement on women aged 65 to 75 who have ever smoked cover a 79-year-old?",
            "… screening for AAA with ultrasonography in women aged 65 to 75 years who have ever"
            " smoked or have a family history of AAA.",
            ("aged 65 to 75 years", 79),
        ),
        (
            "Does it apply to a 60-year-old who fell twice?",
            "… exercise interventions to prevent falls in community-dwelling adults 65 years or"
            " older who are at increased risk for falls.",
            ("65 years or older", 60),
        ),
        (
            "Does it apply to a 23-year-old?",
            "… against screening for cervical cancer in women younger than 21 years.",
            ("younger than 21 years", 23),
        ),
        (  # set CE: the statement for birth to age 5 answered a 6-year-old unsaid
            "Does the I statement cover a 6-year-old getting her first permanent molars?",
            "… for dental caries … in children from birth to age 5 years.",
            ("from birth to age 5 years", 6),
        ),
        (  # and the adults' statement a 17-year-old
            "Does it cover a 17-year-old smoker who wants to switch to vaping?",
            "… for tobacco cessation in adults, including pregnant persons.",
            ("adults", 17),
        ),
        ("Does it cover a 30-year-old?", "… in adults, including pregnant persons.", None),
        ("Does it cover a 15-year-old?", "… in adolescents and adults.", None),
        ("Does it apply to a 70-year-old?", "… in women aged 65 to 75 years.", None),  # of them
        ("Does it apply to an 82-year-old or a 16-year-old?", "… aged 18 to 79 years.", None),
        ("Does it apply to her?", "… in adults aged 18 to 79 years.", None),  # no age told
        (  # durations and weeks of gestation are no ages
            "Does it apply to a 5-year-old?",
            "… who have a life expectancy of at least 10 years …",
            None,
        ),
        ("Does it apply to a 30-year-old?", "… after 24 to 28 weeks of gestation.", None),
    ],
)
def test_a_statement_whose_ages_leave_out_the_patient(
    question: str, statement: str, outside: tuple[str, int] | None
) -> None:
    assert outside_ages(question, statement) == outside


def test_someone_who_quit_longer_ago_is_not_who_quit_within_the_past_years() -> None:
    # set BZ: "Yes" to going on screening a woman who quit 16 years ago for lung cancer
    record = of_title(
        "USPSTF: Lung Cancer: Screening -- Adults aged 50 to 80 years who have a 20 pack-year"
        " smoking history and currently smoke or have quit within the past 15 years"
    )
    assert record.quit_years == (0.0, 15.0)
    long_ago = population("61-year-old woman with 30 pack-years quit smoking 16 years ago")
    assert long_ago.quit_years == (16.0, 16.0) and long_ago.conflicts(record)
    lately = population("He hasn't smoked for 10 years")
    assert lately.quit_years == (10.0, 10.0) and not lately.conflicts(record)
    assert population("a 61-year-old who smokes").quit_years is None


def test_ages_a_question_says_leave_out_its_patient() -> None:
    listed = "Does the recommendation, listed for ages 18 to 50, cover a 16-year-old?"
    assert outside_said_ages(listed)
    assert not outside_said_ages(listed.replace("16-year-old", "26-year-old"))
    assert not outside_said_ages("Does it cover a 16-year-old?")  # no ages said
    assert not outside_said_ages("Aged 18 to 50: does it cover a 16-year-old or a 60-year-old?")
