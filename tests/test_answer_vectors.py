"""The stance model's sentence vectors kept between answers (:mod:`medcite.answer.vectors`): the
same vectors as a fresh embedding, each sentence embedded once, the least recently used leaving
first — with the real MiniLM model."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from medcite.answer.engine import Engine
from medcite.answer.model import Audience
from medcite.answer.vectors import SentenceVectors
from medcite.index.embeddings import Embedder
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore

SENTENCES = [
    "Zinc shortened the duration of acute diarrhoea in children under five.",
    "No significant difference was found.",
    "Mortality did not differ between the groups (p = 0.41).",
    "Oral rehydration remains the first treatment.",
    "The trial enrolled 1,200 children in three countries over two years of follow-up.",
]


class Counting:
    """The real embedder, recording what it is asked to embed."""

    def __init__(self, embedder: Embedder) -> None:
        self.inner = embedder
        self.name = embedder.name
        self.dim = embedder.dim
        self.calls: list[list[str]] = []

    def embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        self.calls.append(list(texts))
        return self.inner.embed(texts)


def test_vectors_are_a_fresh_embedding_in_the_order_asked(embedder: Embedder) -> None:
    texts = [SENTENCES[4], SENTENCES[1], SENTENCES[4], SENTENCES[0]]
    got = SentenceVectors(embedder, size=16).embed(texts)
    assert got.dtype == np.float32 and got.shape == (4, embedder.dim)
    assert np.allclose(got, embedder.embed(texts), atol=1e-5)


def test_a_sentence_is_embedded_once(embedder: Embedder) -> None:
    counting = Counting(embedder)
    vectors = SentenceVectors(counting, size=16)
    first = vectors.embed([*SENTENCES[:3], SENTENCES[0]])  # a repeat within one call too
    assert vectors.embedded == 3 and sum(map(len, counting.calls)) == 3
    calls = len(counting.calls)
    again = vectors.embed([SENTENCES[2], SENTENCES[0]])
    assert vectors.embedded == 3 and len(counting.calls) == calls
    assert np.array_equal(again, first[[2, 0]])
    vectors.embed([SENTENCES[0], SENTENCES[3]])
    assert vectors.embedded == 4 and counting.calls[-1] == [SENTENCES[3]]


def test_new_sentences_are_embedded_shortest_first_a_few_at_a_time(embedder: Embedder) -> None:
    counting = Counting(embedder)
    SentenceVectors(counting, size=16, batch=2).embed(SENTENCES)
    assert [len(call) for call in counting.calls] == [2, 2, 1]
    assert [t for call in counting.calls for t in call] == sorted(SENTENCES, key=len)


def test_the_least_recently_used_leave_first(embedder: Embedder) -> None:
    a, b, c = SENTENCES[:3]
    vectors = SentenceVectors(embedder, size=2)
    vectors.embed([a])
    vectors.embed([b])
    vectors.embed([a])  # a is now the most recently used
    vectors.embed([c])  # so b leaves
    assert len(vectors) == 2 and vectors.embedded == 3
    vectors.embed([a, c])
    assert vectors.embedded == 3
    vectors.embed([b])
    assert vectors.embedded == 4


def test_size_zero_keeps_nothing(embedder: Embedder) -> None:
    vectors = SentenceVectors(embedder, size=0)
    vectors.embed(SENTENCES[:2])
    vectors.embed(SENTENCES[:2])
    assert len(vectors) == 0 and vectors.embedded == 4
    assert vectors.embed([]).shape == (0, embedder.dim)


def test_a_question_asked_again_is_read_without_embedding(
    demo_store: SQLiteStore, embedder: Embedder
) -> None:
    engine = Engine(demo_store, Settings(), embedder=embedder)
    question = "Is zinc supplementation effective for diarrhoea in children?"
    first = engine.answer(question, save=False)
    embedded = engine.sentence_vectors.embedded
    assert embedded > 0, "the stance model read the evidence sentences"
    again = engine.answer(question, Audience.PATIENT, save=False)
    assert engine.sentence_vectors.embedded == embedded
    assert again.bottom_line.verdict is first.bottom_line.verdict
    assert again.bottom_line.strength is first.bottom_line.strength
    assert again.evidence_meter == first.evidence_meter
