"""The question as the engine reads it: glosses taken out, long messages condensed to what
they ask (consumer messages from the MEDIQA 2019 validation set, names removed)."""

from __future__ import annotations

import pytest

from medcite.answer.frame import condense, strip_glosses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Can a vitamin B12 (B12) deficiency cause leukopenia (low white blood cell count)?",
            "Can a vitamin B12 deficiency cause leukopenia?",
        ),
        ("Does metformin lower HbA1c (HbA1c > 7%)?", "Does metformin lower HbA1c (HbA1c > 7%)?"),
        # set BJ: an acronym set inside the name split it, and no concept named the syndrome
        (
            "They are testing her for Zunich neuroectodermal (CHIME) syndrome. What is it?",
            "They are testing her for Zunich neuroectodermal syndrome. What is it?",
        ),
        ("Is the BRCA (gene) test covered?", "Is the BRCA (gene) test covered?"),
        (
            "When should the chicken pox vaccine be given (what age)?",
            "When should the chicken pox vaccine be given (what age)?",
        ),
    ],
)
def test_glosses_go_and_questions_inside_parentheses_stay(text: str, expected: str) -> None:
    assert strip_glosses(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # set Y: "FISH" was searched and answered as the food
        (
            "What is FISH (fluorescence in situ hybridization)?",
            "What is fluorescence in situ hybridization?",
        ),
        (  # set AR: "NARES" was searched, and the nostrils' "anteverted nares" answered
            "What is NARES (nonallergic rhinitis with eosinophilia syndrome), when should you"
            " suspect it?",
            "What is nonallergic rhinitis with eosinophilia syndrome, when should you suspect it?",
        ),
        (
            "Is COPD (chronic obstructive pulmonary disease) curable?",
            "Is chronic obstructive pulmonary disease curable?",
        ),
        # not an expansion of the letters: a gloss, taken out
        ("Does progesterone help PMS (premenstrual syndrome)?", "Does progesterone help PMS?"),
        # set CF: the name of what the question only calls "prior medication" stays
        (
            "Could the patient's prior medication (L-asparaginase) have caused thrombosis?",
            "Could the patient's prior medication (L-asparaginase) have caused thrombosis?",
        ),
    ],
)
def test_an_acronym_spelled_out_gives_way_to_its_meaning(text: str, expected: str) -> None:
    assert strip_glosses(text) == expected


STORY = (
    "I can feel a pounding aorta in this 58-year-old man. I'm not sure if it's normal. How often"
    " does an abdominal aortic aneurysm occur in patients under 60?"
)


def test_long_message_is_condensed_to_its_question() -> None:
    assert condense(STORY) == (
        "How often does an abdominal aortic aneurysm occur in patients under 60?"
    )


def test_subject_line_stays_when_the_question_does_not_name_it() -> None:
    text = (
        "Body Lice. How do I get rid of these little devils? Me and My mom have tried so many"
        " things to get rid of these bugs and they just don't go away. So is there any"
        " suggestions?"
    )
    assert condense(text) == (
        "Body Lice. How do I get rid of these little devils? So is there any suggestions?"
    )


def test_sentence_a_question_points_back_to_stays() -> None:
    text = (
        "Headache for a week. The dose of Accupril was increased from 20 to 40 mg last month and"
        " now she is coughing every night. Is this due to the medication?"
    )
    assert condense(text) is None  # subject line, the sentence pointed at, the question: all
    story = text.replace("Headache for a week. ", "We saw her doctor twice this month. ")
    assert condense(story) == (
        "The dose of Accupril was increased from 20 to 40 mg last month and now she is coughing"
        " every night. Is this due to the medication?"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Can vitamin B12 deficiency cause leukopenia?",  # short
        "How to Stop Snoring. How to Stop Snoring",  # every sentence asks
        "My father is suffering from IBS and is losing weight day by day. Sometimes he even"
        " faints due to weakness. He cannot digest food.",  # nothing asks, no subject line
    ],
)
def test_short_or_questionless_messages_are_read_whole(text: str) -> None:
    assert condense(text) is None


def test_condensed_question_must_keep_the_messages_medical_terms() -> None:
    text = (
        "I just read an article that stated your research identified the mechanism that causes"
        " burning mouth syndrome and that a treatment can now be found. I've had this for 15"
        " years. When will a good treatment be available?"
    )
    assert condense(text) == "When will a good treatment be available?"

    def terms(part: str) -> set[str]:
        return {t for t in ("burning mouth syndrome", "treatment") if t in part.lower()}

    assert condense(text, terms) is None  # it would lose what the treatment is for
