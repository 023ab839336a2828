"""The judge: the reader fine-tuned on reviewers' judgements of the answers. Its data is read from
the judged review sheets (what the engine showed and what the reviewer said of each line), it
trains and writes a model card from them, and the shipped one is small and offline."""

from __future__ import annotations

import json
from pathlib import Path

from medcite.reader.judge import JudgeSettings, train_judge, write_card
from medcite.reader.judged import bottom_sentence, judged_pairs
from medcite.reader.model import JUDGE, WEIGHTS, load, load_judge

JUDGED = Path(__file__).parent / "fixtures" / "judged"


def test_judged_pairs_pair_each_line_shown_with_its_reviewers_label() -> None:
    pairs = {(p.question[:12], p.kind, p.text[:30]): p for p in judged_pairs(JUDGED)}
    wait = pairs[("How long do ", "bottom", "Children who have had immune g")]
    # judged off topic on one commit and partial on the next: a tie keeps the first review's
    assert wait.label == "off_topic" and wait.answers == 0 and wait.review_set == "zz"
    assert pairs[("How long do ", "item", "Chickenpox is usually mild and")].label == "T"
    assert pairs[("How long do ", "item", "Chickenpox is an infection cau")].label == "O"
    # a verdict's bottom line is the sentence it quotes; citations are not part of the text
    hiv = pairs[("Does the USP", "bottom", "The USPSTF recommends that cli")]
    assert hiv.text.endswith("in all pregnant persons.") and hiv.answers == 1
    item = pairs[("Does the USP", "item", "Pregnant persons who present i")]
    assert item.text.endswith("should be screened.") and item.answers == 1
    # unsupported is a fault of the verdict, not of the sentence: only the later "correct" counts
    assert pairs[("What are the", "bottom", "People with interstitial cysti")].label == "correct"
    # an abstention shows no sentence; a review with no sheet beside it is not read
    assert not any(q == "When should " for q, _, _ in pairs)
    assert len(pairs) == 6


def test_bottom_sentence_is_none_where_no_sentence_is_shown() -> None:
    assert bottom_sentence("Not enough evidence: MedCite searched …") is None
    assert bottom_sentence("Uncertain. MedCite reads no clear yes or no in the sources.") is None
    assert (
        bottom_sentence("No. “Aspirin did not reduce stroke.” [1]")
        == "Aspirin did not reduce stroke."
    )
    assert (
        bottom_sentence("Gout is treated with colchicine. [1, 2]")
        == "Gout is treated with colchicine."
    )


def test_train_judge_writes_a_judge_and_its_card(tmp_path: Path) -> None:
    # the fixture's pairs, none held out, no shared data to replay: one short step of training
    meta = train_judge(
        tmp_path / "no-shared-data",
        JUDGED,
        JUDGE.parent / "reader",
        tmp_path / "judge",
        JudgeSettings(held_sets=(), replay=0, batch_size=8),
        log=lambda _: None,
    )
    assert meta["judged"] == {"training": 6, "held_out": 0, "replay": 0}
    judge = load(tmp_path / "judge")
    reading = judge.predict("How is gout treated?", ["Gout is treated with colchicine."])
    assert 0.0 <= float(reading.answers[0]) <= 1.0
    card = (tmp_path / "judge" / "MODEL_CARD.md").read_text()
    assert "medcite train judge" in card and "zz" not in card.split("Held out")[1][:40]


def test_the_card_reports_each_held_out_figure(tmp_path: Path) -> None:
    meta = {
        "settings": {"held_sets": ["cd"], "learning_rate": 3e-5, "epochs": 1},
        "judged": {"training": 10, "held_out": 4, "replay": 2},
        "held_out": {
            "bottom": {
                "examples": 4,
                "answering": 1,
                "auc": 0.75,
                "kept_at_0.3": {"answering": 1, "not": 2},
            }
        },
        "reader_held_out": {"medquad": {"answers_auc": 0.89}},
    }
    write_card(tmp_path, meta)
    card = (tmp_path / "MODEL_CARD.md").read_text()
    assert "| bottom | 4 | 1 | 0.75 | 1 / 2 |" in card
    assert "medquad answers AUC 0.89" in card and "cd (4 pairs)" in card


def test_the_shipped_judge_is_small_and_tells_right_from_near_better_than_the_reader() -> None:
    assert (JUDGE / WEIGHTS).stat().st_size <= 40 * 1024 * 1024
    meta = json.loads((JUDGE / "meta.json").read_text())
    for kind in ("bottom", "item"):  # on the held-out review sets, never trained on
        assert meta["held_out"][kind]["auc"] > meta["reader_on_held_out"][kind]["auc"] + 0.05
    judge = load_judge()
    assert judge.batch_size == 1  # a pair's score does not depend on what shares its call
    reading = judge.predict("How is gout treated?", ["Gout is treated with colchicine."])
    assert 0.0 <= float(reading.answers[0]) <= 1.0
