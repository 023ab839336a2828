"""The judge in the answer (on the real demo corpus): items it doubts are left out, except the
bottom line's own source told on and a verdict's weighed sentences; with a bottom-line floor set,
a bottom line it doubts is not given and the answer names the closest source instead."""

from __future__ import annotations

import pytest

from medcite.answer.engine import Engine
from medcite.answer.model import Answer, Verdict
from medcite.index.embeddings import Embedder
from medcite.reader.model import load_judge
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore

# set CD: the reader's bottom line is another wait (after immune globulin, Kawasaki disease's
# page) and its items the chickenpox page's definition and course, judged T and O
VACCINES = "How long do you have to wait between chicken pox immunization and others?"


def _engine(store: SQLiteStore, embedder: Embedder, **answer: object) -> Engine:
    return Engine(store, Settings().with_answer(**answer), embedder=embedder)


def _items(answer: Answer) -> list[tuple[str, tuple[int, ...]]]:
    return [(i.text, i.citations) for s in answer.sections for i in s.items]


@pytest.mark.sqlite_only
def test_items_the_judge_doubts_are_left_out(demo_store: SQLiteStore, embedder: Embedder) -> None:
    before = _engine(demo_store, embedder, judge=False).answer(VACCINES, save=False)
    after = _engine(demo_store, embedder).answer(VACCINES, save=False)
    assert before.bottom_line.text == after.bottom_line.text  # the bottom line is not judged
    assert len(_items(after)) < len(_items(before))
    kept = {text for text, _ in _items(after)}
    dropped = [text for text, _ in _items(before) if text not in kept]
    scores = load_judge().predict(VACCINES, dropped).answers
    assert all(score < Settings().answer.judge_min_item for score in scores)
    # what is left is cited to the references the page still lists
    numbers = {n for _, cited in _items(after) for n in cited}
    assert numbers <= set(range(1, len(after.references) + 1))


@pytest.mark.sqlite_only
def test_with_a_floor_a_doubted_bottom_line_gives_way_to_not_enough_evidence(
    demo_store: SQLiteStore, embedder: Embedder
) -> None:
    answer = _engine(demo_store, embedder, judge_min_answer=0.3).answer(VACCINES, save=False)
    assert answer.bottom_line.verdict is Verdict.INSUFFICIENT
    assert "the closest source found, “What are the treatments for Kawasaki Disease" in (
        answer.bottom_line.text
    )
    assert not answer.sections and not answer.references


@pytest.mark.sqlite_only
def test_a_verdicts_weighed_sentences_are_all_shown(
    demo_store: SQLiteStore, embedder: Embedder
) -> None:
    question = (
        "Can vitamin C prevent complex regional pain syndrome in patients with wrist fractures?"
    )
    before = _engine(demo_store, embedder, judge=False).answer(question, save=False)
    after = _engine(demo_store, embedder).answer(question, save=False)
    assert after.bottom_line.verdict is Verdict.YES
    assert _items(after) == _items(before)
