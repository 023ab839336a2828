"""The reader (a MiniLM cross-encoder shipped in the repo): it loads offline from the repo's files,
reads what answers a question rather than what shares its words, and reads a finding's
direction; its training data keeps whole records on one side of the held-out split."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from medcite.reader.data import Example, held_out, split
from medcite.reader.model import RESOURCE, WEIGHTS, Reader, load_default
from medcite.reader.train import _device, _loss, evaluate


@pytest.fixture(scope="module")
def reader() -> Reader:
    return load_default()


def test_the_shipped_reader_is_small_and_has_a_model_card() -> None:
    size = (RESOURCE / WEIGHTS).stat().st_size
    assert size <= 40 * 1024 * 1024
    meta = json.loads((RESOURCE / "meta.json").read_text())
    assert meta["held_out"], "the card's figures come from the held-out records"
    card = (RESOURCE / "MODEL_CARD.md").read_text()
    assert "medcite train reader" in card and "Held-out figures" in card


def test_reader_prefers_the_sentence_that_answers(reader: Reader) -> None:
    question = "How is eosinophilic fasciitis treated?"
    texts = [
        "Eosinophilic fasciitis is usually treated with corticosteroids such as prednisone.",
        "Eosinophilic fasciitis is a rare disorder in which the fascia becomes inflamed.",
        "Plantar fasciitis causes pain in the bottom of the heel.",
    ]
    reading = reader.predict(question, texts)
    assert reading.answers.shape == (3,) and reading.stance.shape == (3, 3)
    assert np.allclose(reading.stance.sum(axis=1), 1.0, atol=1e-5)
    assert int(np.argmax(reading.answers)) == 0
    assert reading.answers[2] < reading.answers[0]


def test_another_thing_sharing_a_word_is_not_an_answer(reader: Reader) -> None:
    question = "What are the symptoms of vitamin A deficiency?"
    reading = reader.predict(
        question,
        [
            "Night blindness and dry eyes are early signs of vitamin A deficiency.",
            "Vitamin D deficiency causes bone pain and muscle weakness.",
        ],
    )
    # the reader ranks it lower; the question frame (vitamin_a) keeps it out of answers
    # (tests/test_answer_reader.py)
    assert reading.answers[0] > 0.5 and reading.answers[0] > reading.answers[1]


def test_reader_reads_the_direction_of_a_finding(reader: Reader) -> None:
    question = "Does aspirin reduce the risk of stroke compared with placebo?"
    reading = reader.predict(
        question,
        [
            "Aspirin significantly reduced the risk of stroke compared with placebo "
            "(relative risk 0.78, p = 0.01).",
            "There was no significant difference in stroke between aspirin and placebo (p = 0.62).",
        ],
    )
    supports, contradicts = 0, 1
    assert reading.stance[0, supports] > reading.stance[0, contradicts]
    assert reading.stance[1, contradicts] > reading.stance[1, supports]


def test_a_pair_reads_the_same_whatever_shares_its_call(reader: Reader) -> None:
    """int8 activations are scaled per batch: read one by one, adding candidates never moves
    another's reading."""
    question = "What causes gout?"
    text = "Gout is caused by a buildup of uric acid crystals in a joint."
    others = [
        "Gout attacks often start at night with sudden, severe pain in the big toe.",
        "Colchicine, NSAIDs and corticosteroids treat a gout flare; allopurinol lowers urate "
        "over months and years (a long sentence that pads every other pair of a batch).",
    ]
    one_by_one = Reader(reader.network, reader.tokenizer, reader.meta, batch_size=1)
    alone = one_by_one.predict(question, [text])
    shared = one_by_one.predict(question, [*others, text])
    assert shared.answers[2] == alone.answers[0]
    assert np.array_equal(shared.stance[2], alone.stance[0])


def test_reader_handles_no_texts(reader: Reader) -> None:
    reading = reader.predict("What is gout?", [])
    assert len(reading) == 0 and reading.stance.shape == (0, 3)


def test_held_out_split_keeps_records_whole() -> None:
    examples = [
        Example(f"q{i}", f"t{j}", 1, -1, "medquad", f"medquad:topic {i}")
        for i in range(200)
        for j in range(3)
    ]
    train, test = split(examples)
    assert train and test
    assert not {e.group for e in train} & {e.group for e in test}
    assert all(held_out(e.group) for e in test)
    assert held_out("scifact:12") == held_out("scifact:12")  # a stable hash, not random


def test_a_training_step_reads_both_heads_on_the_chosen_device() -> None:
    from medcite.reader.model import build_network, load_tokenizer

    device = _device("auto")  # the CPU here; a GPU where one is present
    assert _device("cpu") == "cpu"
    network = build_network(1).to(device)
    batch = [
        Example("Does aspirin reduce stroke?", "Aspirin reduced stroke.", 1, 0, "ei", "p1"),
        Example("What causes gout?", "Gout is caused by uric acid.", 1, -1, "medquad", "t1"),
        Example("Does aspirin reduce stroke?", "Patients were randomised.", 0, 2, "ei", "p1"),
    ]
    loss = _loss(network, load_tokenizer(), batch, 64, [1.0, 1.0, 1.0], device)
    loss.backward()
    assert loss.item() > 0
    assert network.head.weight.grad is not None and float(network.head.weight.grad.abs().sum()) > 0


def test_evaluate_reports_auc_and_stance(reader: Reader) -> None:
    examples = [
        Example(
            "How is gout treated?", "Gout is treated with colchicine or NSAIDs.", 1, -1, "m", "g1"
        ),
        Example(
            "How is gout treated?", "The heart pumps blood through the body.", 0, -1, "m", "g1"
        ),
        Example(
            "Does drug X lower blood pressure compared with placebo?",
            "Drug X significantly lowered blood pressure compared with placebo.",
            1,
            0,
            "e",
            "g2",
        ),
        Example(
            "Does drug X lower blood pressure compared with placebo?",
            "Blood pressure did not differ between drug X and placebo.",
            1,
            1,
            "e",
            "g2",
        ),
    ]
    figures = evaluate(reader, examples)
    assert figures["m"]["answers_auc"] == 1.0
    assert 0.0 <= figures["e"]["stance_accuracy"] <= 1.0


def test_reader_needs_no_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The weights are in the repo and the base model in an installed package: loading works
    # with the hub forced offline and an empty cache.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    from medcite.reader.model import load

    assert len(load(RESOURCE).predict("What is gout?", ["Gout is a form of arthritis."])) == 1
