"""Whether a condition is inherited is told by the opening of its own page on that question."""

from __future__ import annotations

import pytest

from medcite.answer.engine import Engine
from medcite.answer.model import Verdict
from medcite.index.embeddings import Embedder
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore


@pytest.fixture(scope="module")
def engine(demo_store: SQLiteStore, embedder: Embedder) -> Engine:
    return Engine(demo_store, Settings(), embedder=embedder)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("question", "pattern"),
    [
        # answered "No" from the page's "The parents … do not show signs and symptoms …"
        ("Is cystic fibrosis inherited?", "inherited in an autosomal recessive pattern"),
        # answered "Uncertain"
        ("Is hereditary hemochromatosis inherited?", "inherited in an autosomal recessive"),
        (  # answered "Yes" from its definition, the focus split in two (set BW)
            "I have hereditary neuropathy with liability to pressure palsies. Is it inherited,"
            " and could my children get it?",
            "inherited in an autosomal dominant pattern",
        ),
    ],
)
def test_a_pages_opening_that_states_a_pattern_says_yes(
    engine: Engine, question: str, pattern: str
) -> None:
    answer = engine.answer(question, save=False)
    assert answer.bottom_line.verdict is Verdict.YES
    assert pattern in answer.bottom_line.text
    assert "inherited ?" in answer.references[0].title


@pytest.mark.sqlite_only
def test_a_question_on_something_else_is_decided_as_before(engine: Engine) -> None:
    answer = engine.answer("Is cystic fibrosis contagious?", save=False)
    assert "inherited in an autosomal recessive pattern" not in answer.bottom_line.text
