"""Consumer pages' headings and lists, told as sentences before their passages are cut."""

from __future__ import annotations

import pytest

from medcite.ingest.blocks import is_heading, tell_blocks
from medcite.text import split_sentences

BLANK = "\n                \n"


def test_a_heading_is_closed_and_no_longer_runs_into_the_next_sentence() -> None:
    # set BE: "Breathing Support Infants who have RDS often need breathing support …"
    page = BLANK.join(
        [
            "Treatment for RDS usually begins as soon as an infant is born.",
            "Breathing Support",
            "Infants who have RDS often need breathing support until their lungs make surfactant.",
            "Outlook",
        ]
    )
    told = " ".join(split_sentences(tell_blocks(page)))  # as a passage joins its sentences
    assert split_sentences(told) == [
        "Treatment for RDS usually begins as soon as an infant is born.",
        "Breathing Support.",
        "Infants who have RDS often need breathing support until their lungs make surfactant.",
        "Outlook",  # the last block is left as it is
    ]


def test_a_lists_items_are_joined_onto_their_introduction() -> None:
    page = BLANK.join(
        [
            "These signs and symptoms include:",
            "Shortness of breath or trouble breathing, especially with physical exertion",
            "Fatigue (tiredness)",  # one capitalised word: an item, not a heading
            "Swelling in the ankles, feet, legs",
            "Positive Airway Pressure",  # a heading of capitalised words ends a list
            "Treatment often involves a machine that provides positive airway pressure.",
        ]
    )
    assert split_sentences(tell_blocks(page)) == [
        "These signs and symptoms include: Shortness of breath or trouble breathing, especially"
        " with physical exertion; Fatigue (tiredness); Swelling in the ankles, feet, legs.",
        "Positive Airway Pressure.",
        "Treatment often involves a machine that provides positive airway pressure.",
    ]


def test_a_list_ends_at_the_next_sentence() -> None:
    page = BLANK.join(["Risk factors include:", "Cigarette smoking", "Most people recover."])
    assert split_sentences(tell_blocks(page)) == [
        "Risk factors include: Cigarette smoking.",
        "Most people recover.",
    ]


def test_prose_is_told_as_it_is() -> None:
    page = "Sporadic LAM is rare. It affects women.\n\nMost cases are sporadic."
    assert split_sentences(tell_blocks(page)) == split_sentences(page)


def test_what_a_heading_is() -> None:
    assert is_heading("Breathing Support") and is_heading("Outlook")
    assert is_heading("Questions to Ask My Doctor")
    assert not is_heading("Achieving major weight loss")
    assert not is_heading("The outlook is good.") and not is_heading("Symptoms include:")


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # set BG: the USPSTF's statin statement ran into the next sentence with no space
        (
            "… of 10% or greater.Identification of dyslipidemia requires lipids screening.",
            ["… of 10% or greater.", "Identification of dyslipidemia requires lipids screening."],
        ),
        # abbreviations and initials are no sentence ends
        (
            "See the U.S. Task Force page. It says e.g. Foo.",
            ["See the U.S. Task Force page.", "It says e.g. Foo."],
        ),
        ("Dr.Smith wrote it.", ["Dr.Smith wrote it."]),
    ],
)
def test_sentences_run_together_with_no_space_are_split(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences
