"""Classification figures written once: the confusion matrix, accuracy, macro-F1 (checked in
the tests against scikit-learn where it is installed) and seeded stratified folds."""

from __future__ import annotations

import random
from collections.abc import Sequence

from medcite.errors import InputError


def confusion_matrix(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]
) -> list[list[int]]:
    """Rows are the gold labels, columns the predicted ones, both in ``labels`` order."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, predicted, strict=True):
        matrix[index[g]][index[p]] += 1
    return matrix


def accuracy(matrix: list[list[int]]) -> float:
    total = sum(map(sum, matrix))
    return sum(matrix[i][i] for i in range(len(matrix))) / total if total else 0.0


def macro_f1(matrix: list[list[int]]) -> float:
    """Unweighted mean of per-label F1; a label never predicted and never gold scores 0, as in
    scikit-learn's ``f1_score(average="macro", zero_division=0)`` over the given labels."""
    scores = []
    for i in range(len(matrix)):
        tp = matrix[i][i]
        predicted = sum(row[i] for row in matrix)
        gold = sum(matrix[i])
        scores.append(2 * tp / (predicted + gold) if tp else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def stratified_folds(answers: dict[str, str], folds: int, seed: int = 0) -> list[list[str]]:
    """PMIDs dealt into ``folds`` folds label by label (seeded), so each fold has every label's
    share."""
    if folds < 2 or folds > len(answers):
        raise InputError(f"need 2 ≤ folds ≤ {len(answers)} records, got {folds}")
    rng = random.Random(seed)
    out: list[list[str]] = [[] for _ in range(folds)]
    position = 0
    for label in sorted(set(answers.values())):
        pmids = sorted(p for p, a in answers.items() if a == label)
        rng.shuffle(pmids)
        for pmid in pmids:
            out[position % folds].append(pmid)
            position += 1
    return [sorted(fold) for fold in out]
