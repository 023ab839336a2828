"""A question about a negated claim is read as its affirmative and its verdict turned round."""

from __future__ import annotations

import numpy as np
import pytest

from medcite.answer.model import EvidenceMeter, Stance, Verdict
from medcite.answer.negation import affirmative, turned
from medcite.answer.verdict import ScoredEvidence, decide


@pytest.mark.parametrize(
    ("question", "read"),
    [
        (
            "Is it true that CD44v6 is not associated with cancer stem cells?",
            "Is it true that CD44v6 is associated with cancer stem cells?",
        ),
        (
            "Is it true that vaccines don't cause autism?",
            "Is it true that vaccines do cause autism?",
        ),
        (
            "Is it true that vitamin C cannot prevent complex regional pain syndrome?",
            "Is it true that vitamin C can prevent complex regional pain syndrome?",
        ),
        ("Is it true that he can't walk?", "Is it true that he can walk?"),
        (
            "Is it true that ART has no effect on the infectiveness of HIV?",
            "Is it true that ART has any effect on the infectiveness of HIV?",
        ),
        (
            "Is it true that there is no link between vaccines and autism?",
            "Is it true that there is any link between vaccines and autism?",
        ),
    ],
)
def test_the_negated_proposition_is_read_as_its_affirmative(question: str, read: str) -> None:
    assert affirmative(question) == read


@pytest.mark.parametrize(
    "question",
    [
        "Does aspirin reduce the risk of stroke?",
        # the negation is inside a clause of the proposition, not of its verb
        "Are patients aware of when they do not understand?",
        "Can metformin cause a mild acidosis that does not require stopping the drug?",
        # opening with the negation asks the affirmative: "yes" means coffee is bad
        "Isn't coffee bad for you?",
        "Doesn't aspirin thin the blood?",
        "Cannot stress cause hair loss?",
        # two negations, and "not only", are left as asked
        "Is it true that X does not cause no harm?",
        "Is exercise not only safe but effective?",
        # a negation after the subject of a question opening with its auxiliary: not handled
        "Do statins not lower LDL?",
        # the story's negation, not the question's (set AI: "No" to the USPSTF's "recommends
        # screening")
        "Our rural clinic has no addiction treatment services nearby. Should we still screen"
        " adults for unhealthy drug use?",
    ],
)
def test_other_questions_are_read_as_asked(question: str) -> None:
    assert affirmative(question) is None


def _evidence(doc: str, probs: list[float], rank: int = 5) -> ScoredEvidence:
    return ScoredEvidence(doc, np.array(probs, dtype=np.float32), 0.8, rank, 2020)


def test_turned_round_yes_is_no_with_every_stance_reversed() -> None:
    decision = decide(
        [
            _evidence("a", [0.9, 0.05, 0.05]),
            _evidence("b", [0.8, 0.1, 0.1]),
            _evidence("c", [0.1, 0.8, 0.1], rank=3),
        ],
        2024,
    )
    assert decision.verdict is Verdict.YES
    told = turned(decision)
    assert told.verdict is Verdict.NO
    assert told.meter == EvidenceMeter(decision.meter.contradicts, decision.meter.supports, 0)
    assert told.score == -decision.score
    assert told.strength is decision.strength
    assert [d.stance for d in told.documents] == [
        Stance.CONTRADICTS,
        Stance.CONTRADICTS,
        Stance.SUPPORTS,
    ]
    assert told.reason.startswith("2 sources contradict")
    assert turned(told) == decision


def test_turned_round_uncertain_stays_uncertain() -> None:
    decision = decide([_evidence("a", [0.1, 0.1, 0.8])], 2024)
    assert decision.verdict is Verdict.UNCERTAIN
    told = turned(decision)
    assert told.verdict is Verdict.UNCERTAIN and told.strength is None
    assert told.reason == decision.reason
