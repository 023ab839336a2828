"""Follow-up resolution: ellipsis, pronouns, groups and substitutions from the earlier question."""

from __future__ import annotations

import random

import pytest

from medcite.answer.followup import (
    FollowUpKind,
    analyse_follow_up,
    classify_follow_up,
    resolve_follow_up,
)
from medcite.answer.model import Question, QuestionType
from medcite.answer.question import analyse_question
from medcite.store.sqlite import SQLiteStore

B12 = "Can vitamin B12 deficiency cause leukopenia?"
METFORMIN = "Is metformin safe in pregnancy?"
LEUKOPENIA = "What causes leukopenia?"
IRON = "How is iron deficiency diagnosed?"

# (earlier question, follow-up, rule, standalone question)
CASES = [
    (B12, "what dose?", FollowUpKind.NEED,
     "What dose of vitamin B12 is used to treat vitamin B12 deficiency?"),
    (B12, "how is it diagnosed?", FollowUpKind.PRONOUN, "How is vitamin B12 deficiency diagnosed?"),
    (B12, "How is it treated", FollowUpKind.PRONOUN, "How is vitamin B12 deficiency treated?"),
    (B12, "is it inherited?", FollowUpKind.PRONOUN, "Is vitamin B12 deficiency inherited?"),
    (B12, "what are its complications?", FollowUpKind.PRONOUN,
     "What are the complications of vitamin B12 deficiency?"),
    (B12, "what are the symptoms?", FollowUpKind.NEED,
     "What are the symptoms of vitamin B12 deficiency?"),
    (B12, "why?", FollowUpKind.NEED, "What causes vitamin B12 deficiency?"),
    (B12, "what about in children?", FollowUpKind.POPULATION,
     "Can vitamin B12 deficiency cause leukopenia in children?"),
    (B12, "and during pregnancy?", FollowUpKind.POPULATION,
     "Can vitamin B12 deficiency cause leukopenia during pregnancy?"),
    (B12, "what about pregnant women?", FollowUpKind.POPULATION,
     "Can vitamin B12 deficiency cause leukopenia in pregnant women?"),
    (B12, "and folate?", FollowUpKind.SUBSTITUTION, "Can folate deficiency cause leukopenia?"),
    (B12, "what about iron?", FollowUpKind.SUBSTITUTION, "Can iron deficiency cause leukopenia?"),
    (B12, "and anemia?", FollowUpKind.SUBSTITUTION, "Can vitamin B12 deficiency cause anemia?"),
    (B12, "What causes gout?", FollowUpKind.STANDALONE, "What causes gout?"),
    (B12, "Is metformin safe in pregnancy?", FollowUpKind.STANDALONE, METFORMIN),
    (METFORMIN, "what dose?", FollowUpKind.NEED, "What is the dose of metformin in pregnancy?"),
    (METFORMIN, "what dose in children?", FollowUpKind.NEED,
     "What is the dose of metformin in children?"),
    (METFORMIN, "what about in children?", FollowUpKind.POPULATION,
     "Is metformin safe in children?"),
    (METFORMIN, "and insulin?", FollowUpKind.SUBSTITUTION, "Is insulin safe in pregnancy?"),
    (METFORMIN, "what are the side effects?", FollowUpKind.NEED,
     "What are the side effects of metformin in pregnancy?"),
    (METFORMIN, "how does it work?", FollowUpKind.PRONOUN, "How does metformin work?"),
    (LEUKOPENIA, "how is it treated?", FollowUpKind.PRONOUN, "How is leukopenia treated?"),
    (LEUKOPENIA, "and neutropenia?", FollowUpKind.SUBSTITUTION, "What causes neutropenia?"),
    (LEUKOPENIA, "in children?", FollowUpKind.POPULATION, "What causes leukopenia in children?"),
    (IRON, "what dose?", FollowUpKind.NEED, "What dose of iron is used to treat iron deficiency?"),
    (IRON, "and folate?", FollowUpKind.SUBSTITUTION, "How is folate deficiency diagnosed?"),
    (IRON, "what about in older adults?", FollowUpKind.POPULATION,
     "How is iron deficiency diagnosed in older adults?"),
]  # fmt: skip


@pytest.mark.parametrize(("earlier", "text", "kind", "expected"), CASES)
def test_follow_up_without_store(
    earlier: str, text: str, kind: FollowUpKind, expected: str
) -> None:
    assert classify_follow_up(text) is kind
    assert resolve_follow_up(text, analyse_question(earlier)) == expected


@pytest.mark.parametrize(("earlier", "text", "kind", "expected"), CASES)
def test_follow_up_with_vocabulary(
    earlier: str, text: str, kind: FollowUpKind, expected: str, evidence_store: SQLiteStore
) -> None:
    assert resolve_follow_up(text, analyse_question(earlier, evidence_store)) == expected


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 12
    assert {kind for _, _, kind, _ in CASES} == set(FollowUpKind)


def test_dose_after_b12_question_means_b12_replacement(evidence_store: SQLiteStore) -> None:
    earlier = analyse_question(B12, evidence_store)
    follow_up = analyse_follow_up("what dose?", earlier, evidence_store)
    assert "vitamin b12" in follow_up.text.lower()
    assert follow_up.type is QuestionType.TREATMENT
    assert follow_up.resolved_from == "what dose?"
    assert "vitamin b12" in follow_up.concepts


def test_standalone_follow_up_keeps_no_resolved_from() -> None:
    follow_up = analyse_follow_up("What causes gout?", analyse_question(B12))
    assert follow_up.text == "What causes gout?" and follow_up.resolved_from is None


def test_earlier_question_with_nothing_to_refer_to_leaves_text_alone() -> None:
    empty = Question(text="?", type=QuestionType.GENERAL, yes_no=False, concepts=())
    assert resolve_follow_up("what dose?", empty) == "what dose?"


def test_resolution_is_deterministic() -> None:
    earlier = analyse_question(B12)
    assert {resolve_follow_up("what dose?", earlier) for _ in range(5)} == {
        "What dose of vitamin B12 is used to treat vitamin B12 deficiency?"
    }


def test_topic_with_regex_characters_is_inserted_literally() -> None:
    earlier = Question(
        text=r"Can C\1 (x) cause y?",
        type=QuestionType.CAUSE,
        yes_no=True,
        concepts=(),
        subject=r"C\1 (x)",
        target="y",
    )
    assert resolve_follow_up("how is it diagnosed?", earlier) == r"How is C\1 (x) diagnosed?"


def test_never_crashes_on_random_text() -> None:
    rng = random.Random(7)
    pieces = [
        "what",
        "about",
        "and",
        "it",
        "its",
        "dose",
        "in",
        "children",
        "?",
        "folate",
        "(",
        "\\1",
        "😀",
        "\u200f",
        "how",
        "is",
        "diagnosed",
        "  ",
        "-",
        "gout",
        "of",
        "the",
    ]
    earlier = [analyse_question(t) for t in (B12, METFORMIN, LEUKOPENIA, IRON, "?", "what")]
    for _ in range(500):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        for previous in earlier:
            assert isinstance(resolve_follow_up(text, previous), str)
        analyse_question(text)
