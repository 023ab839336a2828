"""The stance model, the verdict rules and the PubMedQA evaluation.

Held-apart items (``tests/fixtures/stance/``): SciFact training claims and Evidence Inference
prompts whose id ends in 0 are never trained on (``training_data.held_apart``), so the shipped
model is scored here on data it has not seen. ``pubmedqa_20.json`` is 20 PubMedQA records
(11 yes, 6 no, 3 maybe) for a small cross-validated run of the evaluation.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from medcite.answer.cues import CUE_NAMES, cues
from medcite.answer.model import Stance, Strength, Verdict
from medcite.answer.stance import Head, StanceModel, load_default_stance
from medcite.answer.train import VectorCache
from medcite.answer.training_data import build_training_data, held_apart, pubmedqa_examples
from medcite.answer.verdict import ScoredEvidence, decide
from medcite.eval.classification import accuracy, confusion_matrix, macro_f1, stratified_folds
from medcite.eval.pubmedqa import LABELS, baseline_answerer, evaluate_pubmedqa, label_of
from medcite.index.embeddings import Embedder
from medcite.index.static import STATIC_MODEL
from medcite.records import EvidenceType
from medcite.settings import Settings
from tests.conftest import FIXTURES, SHARED_DATA

STANCE = FIXTURES / "stance"
GUIDELINE, RCT, OBSERVATIONAL = (
    EvidenceType.GUIDELINE.rank,
    EvidenceType.RCT.rank,
    EvidenceType.OBSERVATIONAL.rank,
)


def _rows(name: str) -> list[dict[str, str]]:
    with open(STANCE / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _auc(positive: np.ndarray, negative: np.ndarray) -> float:
    greater = (positive[:, None] > negative[None, :]).mean()
    return float(greater + 0.5 * (positive[:, None] == negative[None, :]).mean())


def _predict(rows: list[dict[str, str]], question_key: str) -> np.ndarray:
    model = load_default_stance()
    embedder = model.embedder(Settings().embedding)  # the vectors it was trained on
    questions = embedder.embed([r[question_key] for r in rows])
    sentences = embedder.embed([r["sentence"] for r in rows])
    return np.array(
        [
            model.predict(r[question_key], questions[i], [r["sentence"]], sentences[i : i + 1])[0]
            for i, r in enumerate(rows)
        ]
    )


# --- the shipped model -------------------------------------------------------------------------


def test_shipped_model_is_small_and_predicts_distributions() -> None:
    model = load_default_stance()
    assert model.meta["cues"] == list(CUE_NAMES)
    assert model.embedding == STATIC_MODEL  # trained on the shipped static vectors
    embedder = model.embedder(Settings().embedding)
    vectors = embedder.embed(["Does aspirin reduce stroke?", "Aspirin reduced stroke.", "Hi."])
    probs = model.predict("Does aspirin reduce stroke?", vectors[0], ["a", "b"], vectors[1:])
    assert probs.shape == (2, 3) and np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    empty = model.predict("q?", vectors[0], [], np.zeros((0, embedder.dim), np.float32))
    assert empty.shape == (0, 3)


def test_held_apart_evidence_inference_polarity() -> None:
    """Trial results: significant differences say yes, "no significant difference" says no."""
    rows = _rows("evidence_inference_held_apart.jsonl")
    assert rows and all(held_apart(int(r["prompt_id"])) for r in rows)
    probs = _predict(rows, "question")
    polarity = probs[:, 0] / (probs[:, 0] + probs[:, 1])
    labels = np.array([r["label"] for r in rows])
    # measured on the shipped model: AUC 0.98, accuracy 0.92 (n=120)
    assert _auc(polarity[labels == "supports"], polarity[labels == "contradicts"]) >= 0.9
    assert ((polarity >= 0.5) == (labels == "supports")).mean() >= 0.85


def test_held_apart_scifact_salience() -> None:
    """Rationale sentences take a stance more than the other sentences of the same abstracts.
    (Their polarity is not tested: SciFact contradictions are mostly numbers and findings at
    odds with the claim, which the cue-based polarity head cannot see — AUC 0.56.)"""
    rows = _rows("scifact_held_apart.jsonl")
    assert all(held_apart(int(r["claim_id"])) for r in rows)
    probs = _predict(rows, "claim")
    salience = 1.0 - probs[:, 2]
    stance = np.array([r["label"] != "neutral" for r in rows])
    assert _auc(salience[stance], salience[~stance]) >= 0.7  # measured 0.78 (n=174)


def test_save_load_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 10 + len(CUE_NAMES))).astype(np.float32)
    y = (x[:, 0] + x[:, -1] > 0).astype(np.float32)
    salience = Head.fit(x, y, l2=1.0)
    polarity = Head.fit(x, 1.0 - y, first=-len(CUE_NAMES), l2=1.0)
    model = StanceModel(salience, polarity, {"note": "test"})
    model.save(tmp_path / "m.npz")
    loaded = StanceModel.load(tmp_path / "m.npz")
    assert loaded.meta == {"note": "test"} and loaded.polarity.first == -len(CUE_NAMES)
    assert np.allclose(model.predict_features(x), loaded.predict_features(x), atol=5e-3)
    assert ((salience.logit(x) > 0) == (y > 0.5)).mean() > 0.9  # it learnt


def test_cues_read_significance() -> None:
    named = dict(
        zip(
            CUE_NAMES,
            cues("Does X improve Y?", "There was no significant difference (P = 0.30)."),
            strict=True,
        )
    )
    assert named["not_significant"] == named["no_difference"] == named["p_not_significant"] == 1.0
    assert named["p_significant"] == 0.0
    named = dict(
        zip(
            CUE_NAMES,
            cues("Q?", "Mortality was lower (OR 0.5, 95% CI 0.3-0.8; p<0.001)."),
            strict=True,
        )
    )
    assert named["p_significant"] == named["ratio_significant"] == 1.0
    assert named["ratio_null"] == named["not_significant"] == 0.0


# --- training data -----------------------------------------------------------------------------


def test_pubmedqa_examples_exclude_records() -> None:
    records = json.loads((STANCE / "pubmedqa_20.json").read_text(encoding="utf-8"))
    excluded = frozenset(sorted(records)[:5])
    examples = pubmedqa_examples(records, excluded)
    groups = {g.removeprefix("pubmedqa:") for g in examples.groups}
    assert groups == set(records) - excluded
    assert any(examples.salient) and not all(examples.salient)


@pytest.mark.skipif(not (SHARED_DATA / "scifact").exists(), reason="needs ../shared/data")
def test_training_data_never_holds_held_apart_items() -> None:
    examples, polarity_only = build_training_data(SHARED_DATA, exclude_pmids=frozenset({"x"}))
    assert len(examples) > 5000 and len(polarity_only) > 1000
    for group in (*examples.groups, *polarity_only.groups):
        source, _, item = group.partition(":")
        assert source == "pubmedqa" or not held_apart(int(item))


# --- verdict rules -----------------------------------------------------------------------------

YES = np.array([0.9, 0.05, 0.05], np.float32)
NO = np.array([0.05, 0.9, 0.05], np.float32)
NEUTRAL = np.array([0.05, 0.05, 0.9], np.float32)


def _e(
    doc: str, probs: np.ndarray, rank: int = OBSERVATIONAL, relevance: float = 0.6
) -> ScoredEvidence:
    return ScoredEvidence(doc, probs, relevance, rank, 2020)


def test_decide_no_evidence_is_insufficient() -> None:
    assert decide([], 2026).verdict is Verdict.INSUFFICIENT
    off_topic = decide([_e("a", YES, relevance=0.01)], 2026)
    assert off_topic.verdict is Verdict.INSUFFICIENT and off_topic.strength is None


def test_decide_strong_yes_names_evidence_types() -> None:
    evidence = [_e("g", YES, GUIDELINE), _e("t1", YES, RCT), _e("t2", YES, RCT), _e("o", YES)]
    evidence.append(_e("g", YES, GUIDELINE))  # a second sentence of the same document
    decision = decide(evidence, 2026)
    assert decision.verdict is Verdict.YES and decision.strength is Strength.STRONG
    assert (decision.meter.supports, decision.meter.contradicts, decision.meter.neutral) == (
        4,
        0,
        0,
    )
    assert decision.reason == "4 sources support, including 1 guideline and 2 RCTs."


def test_decide_no_with_dissent_is_not_strong() -> None:
    evidence = [_e("a", NO, RCT), _e("b", NO, RCT), _e("c", NO), _e("d", YES)]
    decision = decide(evidence, 2026)
    assert decision.verdict is Verdict.NO and decision.strength is Strength.MODERATE
    assert decision.reason == "3 sources contradict, including 2 RCTs; 1 supports."


def test_decide_mixed_and_silent_evidence_is_uncertain() -> None:
    mixed = decide([_e("a", YES, RCT), _e("b", NO, RCT)], 2026)
    assert mixed.verdict is Verdict.UNCERTAIN and mixed.strength is None
    assert (
        mixed.reason == "The evidence is mixed: 1 source supports, including 1 RCT; 1 contradicts."
    )
    silent = decide([_e("a", NEUTRAL), _e("b", NEUTRAL)], 2026)
    assert silent.verdict is Verdict.UNCERTAIN
    assert (
        silent.meter.neutral == 2
        and silent.reason == "MedCite reads no clear yes or no in the 2 sources found."
    )


def test_an_uncertain_verdict_says_why_one_side_did_not_decide_it() -> None:
    # review set V: "Uncertain. 1 source supports." read as a contradiction
    undecided = np.array([0.4, 0.45, 0.15], np.float32)  # takes a stance, too faint to count
    evidence = [_e("a", YES), *(_e(f"u{i}", undecided) for i in range(6))]
    decision = decide(evidence, 2026)
    assert decision.verdict is Verdict.UNCERTAIN
    assert decision.reason == "1 source supports, not clearly enough to answer yes."


def test_decide_single_weak_source() -> None:
    decision = decide([_e("a", YES, EvidenceType.CASE_REPORT.rank)], 2026)
    assert decision.verdict is Verdict.YES and decision.strength is Strength.WEAK
    assert decision.documents[0].stance is Stance.SUPPORTS
    assert label_of(decision.verdict) == "yes" and label_of(Verdict.INSUFFICIENT) == "maybe"


def test_better_evidence_outweighs_weaker() -> None:
    decision = decide(
        [_e("g", YES, GUIDELINE), _e("c", NO, EvidenceType.CONSUMER_HEALTH.rank)], 2026
    )
    assert decision.score > 0 and decision.meter.supports == decision.meter.contradicts == 1


# --- metrics -----------------------------------------------------------------------------------

GOLD = ["yes", "yes", "yes", "no", "no", "maybe"]
PRED = ["yes", "no", "yes", "no", "maybe", "maybe"]


def test_confusion_matrix_and_macro_f1_by_hand() -> None:
    matrix = confusion_matrix(GOLD, PRED, LABELS)
    assert matrix == [[2, 1, 0], [0, 1, 1], [0, 0, 1]]
    assert accuracy(matrix) == pytest.approx(4 / 6)
    # F1: yes 2·2/(2+3) = 0.8; no 2·1/(2+2) = 0.5; maybe 2·1/(2+1) = 2/3
    assert macro_f1(matrix) == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)
    assert macro_f1(confusion_matrix(["yes"], ["no"], LABELS)) == 0.0


def test_metrics_match_scikit_learn() -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(3)
    gold = [LABELS[i] for i in rng.integers(0, 3, 200)]
    pred = [LABELS[i] for i in rng.integers(0, 3, 200)]
    matrix = confusion_matrix(gold, pred, LABELS)
    assert matrix == metrics.confusion_matrix(gold, pred, labels=list(LABELS)).tolist()
    expected = metrics.f1_score(gold, pred, labels=list(LABELS), average="macro", zero_division=0)
    assert macro_f1(matrix) == pytest.approx(expected)


def test_stratified_folds_partition_and_are_seeded() -> None:
    answers = {str(i): LABELS[i % 3] for i in range(30)}
    folds = stratified_folds(answers, 5, seed=1)
    assert sorted(p for fold in folds for p in fold) == sorted(answers)
    assert all(sum(answers[p] == "yes" for p in fold) == 2 for fold in folds)
    assert folds == stratified_folds(answers, 5, seed=1) != stratified_folds(answers, 5, seed=2)


# --- the evaluation ----------------------------------------------------------------------------


def test_evaluate_pubmedqa_reasoning_required(tmp_path: Path, embedder: Embedder) -> None:
    settings = Settings().with_store(tmp_path / "unused.sqlite")
    cache = VectorCache(embedder, None)
    report = evaluate_pubmedqa(
        STANCE / "pubmedqa_20.json",
        "reasoning-required",
        settings,
        folds=2,
        answer_fn=baseline_answerer(cache),
        cache_path=None,
        progress=False,
    )
    data = report.to_dict()
    assert {"accuracy", "macro_f1", "n"} <= set(data) and data["n"] == 20
    assert sum(map(sum, data["confusion_matrix"])) == 20 and data["labels"] == list(LABELS)
    assert 0.0 <= data["accuracy"] <= 1.0 and "recall_at_1" not in data
    assert "accuracy" in report.render()
