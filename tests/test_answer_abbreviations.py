"""Abbreviations an abstract defines (:mod:`medcite.answer.abbreviations`) and how a sentence
that uses one names the question's concept (:func:`medcite.answer.sentences.named_in`)."""

from __future__ import annotations

import pytest

from medcite.answer.abbreviations import defined
from medcite.answer.sentences import concept_forms, named_in, stem


@pytest.mark.parametrize(
    ("text", "short", "long"),
    [
        (
            "Bridge experience with long-term implantable left ventricular assist devices (LVADs)"
            " in 20 patients.",
            "lvad",
            "left ventricular assist devices",
        ),
        (
            "We describe acute fibrinous and organizing pneumonia (AFOP) in a child.",
            "afop",
            "acute fibrinous and organizing pneumonia",
        ),
        ("Patients with multiple sclerosis (MS) were included.", "ms", "multiple sclerosis"),
        (
            "Echo-planar diffusion-weighted imaging (DWI) was performed.",
            "dwi",
            "diffusion-weighted imaging",
        ),
    ],
)
def test_a_definition_is_found(text: str, short: str, long: str) -> None:
    assert defined(text)[short] == long


@pytest.mark.parametrize(
    "text",
    [
        "The mean score was 2.8 (SD 1.4) in 83 reviews (8.3%).",  # statistics, not definitions
        "Patients were followed (n=12) for a median of 13 months (range 1-22).",
        "The sensitivity of the test (Table 2) was high.",  # no letters spelled
    ],
)
def test_parentheses_that_define_nothing(text: str) -> None:
    assert defined(text) == {}


def test_a_sentence_with_the_short_form_names_the_long_one_and_back() -> None:
    forms = concept_forms({"left ventricular assist devices": (), "transplantation": ()})
    abbreviations = {"lvad": {stem(w) for w in ("left", "ventricular", "assist", "devices")}}
    sentence = "Our medium-term experience with LVAD support as a bridge to transplantation."
    assert named_in(sentence, forms) == frozenset({"transplantation"})
    assert named_in(sentence, forms, abbreviations) == frozenset(
        {"left ventricular assist devices", "transplantation"}
    )
    spelled = concept_forms({"lvad": ()})
    assert named_in("Left ventricular assist devices were used.", spelled, abbreviations)


def test_possessives_stem_like_their_noun() -> None:
    assert stem("fournier's") == stem("fournier") == "fournier"
    assert stem("gfrup's") == stem("gfrups")


def test_a_long_form_is_looked_for_back_to_a_parenthesis_only() -> None:
    # the words after a closing parenthesis are the only candidates ("(n=12)left …")
    text = "Twelve patients (n=12)left ventricular assist devices (LVAD) were implanted."
    assert defined(text)["lvad"] == "left ventricular assist devices"
    # a short form glued to its word ("devices(LVAD)") defines nothing
    assert defined("left ventricular assist devices(LVAD)") == {}
