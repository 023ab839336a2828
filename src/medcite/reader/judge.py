"""``medcite train judge``: the shipped reader, fine-tuned on what reviewers said of the answers.

The reader learnt *answers* from MedQuAD's templated pairs, SciFact and Evidence Inference; on
the sentences the answer engine actually shows it tells right from near no better than chance
(held-out review sets: AUC about 0.5 for both bottom lines and items), because every sentence
it is asked about already won its ranking. The judge starts from the reader's weights and reads
the judged pairs of :mod:`medcite.reader.judged` (bottom line ``correct`` and item ``R``
answer; the rest do not), with a sample of the reader's own training pairs replayed so it
keeps what it knew (its figures on the reader's held-out records are reported beside).

Whole review sets are held out (default: the newest eight), never trained on: a set's
questions appear in no other set, so its figures are those of questions the judge never saw.
The engine asks the judge only about what it is about to show: the bottom line and the items
(``answer.judge_min_answer``, ``answer.judge_min_item``).
"""

from __future__ import annotations

import datetime
import math
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from medcite.reader.data import UNKNOWN, Example, build_examples, split
from medcite.reader.judged import HELD_SETS, Judged, judged_pairs
from medcite.reader.model import Reader, load, save
from medcite.reader.train import _auc, _loss, evaluate, seed_all, stance_weights, updater

THRESHOLDS = (0.2, 0.3, 0.4, 0.5)


@dataclass(frozen=True)
class JudgeSettings:
    held_sets: tuple[str, ...] = HELD_SETS
    replay: int = 4000  # the reader's own training pairs mixed in
    epochs: int = 1
    batch_size: int = 32
    learning_rate: float = 3e-5
    warmup: float = 0.06
    max_length: int = 128
    seed: int = 0


def train_judge(
    shared_data: Path,
    judged: Path,
    reader: Path,
    out: Path,
    settings: JudgeSettings = JudgeSettings(),
    *,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Fine-tune the reader in ``reader`` on the judged pairs of ``judged``; write the judge
    with its held-out figures and model card to ``out``."""

    started = time.perf_counter()
    seed_all(settings.seed)
    pairs = judged_pairs(judged)
    held = set(settings.held_sets)
    training = [_example(p) for p in pairs if p.review_set not in held]
    testing = [p for p in pairs if p.review_set in held]
    own_train, own_test = split(build_examples(shared_data, seed=settings.seed))
    replay = random.Random(settings.seed).sample(own_train, min(settings.replay, len(own_train)))
    examples = training * settings.epochs + replay
    random.Random(settings.seed + 1).shuffle(examples)
    log(f"judged pairs: {len(training)} training, {len(testing)} held out; replay {len(replay)}")
    base = load(reader, quantize=False)
    network, tokenizer = base.network, base.tokenizer
    network.train()
    steps = math.ceil(len(examples) / settings.batch_size)
    update = updater(network, settings.learning_rate, steps, settings.warmup)
    weights = stance_weights(own_train)
    for step, start in enumerate(range(0, len(examples), settings.batch_size), 1):
        batch = examples[start : start + settings.batch_size]
        loss = _loss(network, tokenizer, batch, settings.max_length, weights)
        update(loss)
        if step % 50 == 0 or step == steps:
            log(f"step {step}/{steps} loss {loss.item():.3f}")
    network.eval()
    meta: dict[str, Any] = {
        **{k: base.meta[k] for k in ("layers", "max_length", "base") if k in base.meta},
        "from_reader": base.meta.get("trained"),
        "trained": datetime.date.today().isoformat(),
        "train_minutes": round((time.perf_counter() - started) / 60, 1),
        "settings": asdict(settings),
        "judged": {"training": len(training), "held_out": len(testing), "replay": len(replay)},
    }
    save(network, meta, out)
    judge = load(out, batch_size=1)  # the shipped form
    meta["held_out"] = evaluate_judged(judge, testing)
    before = load(reader, batch_size=1)
    meta["reader_on_held_out"] = evaluate_judged(before, testing)  # what the judge improves on
    meta["reader_held_out"] = evaluate(judge, own_test)
    save(network, meta, out)
    write_card(out, meta)
    log(f"wrote {out} in {meta['train_minutes']} min; held out: {meta['held_out']}")
    return meta


def _example(pair: Judged) -> Example:
    return Example(pair.question, pair.text, pair.answers, UNKNOWN, "judged", pair.review_set)


def evaluate_judged(judge: Reader, pairs: list[Judged]) -> dict[str, Any]:
    """AUC of the judge's P(answers) on held-out bottom lines (correct vs partial or off
    topic) and items (R vs T or O), and what a floor at each of :data:`THRESHOLDS` keeps."""
    if not pairs:
        return {}
    scores = judge.predict_pairs([(p.question, p.text) for p in pairs]).answers
    out: dict[str, Any] = {}
    for kind in ("bottom", "item"):
        index = [i for i, p in enumerate(pairs) if p.kind == kind]
        labels = np.array([pairs[i].answers for i in index])
        mine = scores[index]
        row: dict[str, Any] = {"examples": len(index), "answering": int(labels.sum())}
        row["auc"] = round(_auc(mine, labels), 3) if 0 < labels.sum() < len(labels) else None
        for floor in THRESHOLDS:
            kept = mine >= floor
            row[f"kept_at_{floor}"] = {
                "answering": int((kept & (labels == 1)).sum()),
                "not": int((kept & (labels == 0)).sum()),
            }
        out[kind] = row
    return out


_CARD = """\
# MedCite judge — model card

The shipped reader (`../reader/`), fine-tuned on what strict reviewers said of MedCite's own
answers: for a (question, sentence) pair, P(a reviewer finds the sentence answers the question).
The answer engine asks it about what it is about to show only: a bottom line it scores below
`answer.judge_min_answer` is not given (the answer says the evidence is insufficient), an item
below `answer.judge_min_item` is left out.

- **Base**: the reader trained {from_reader} ({layers} MiniLM layers, the same network and
  tokenizer); float16 weights, int8 dynamic quantisation at load, on the CPU; nothing is
  downloaded.
- **Retrain**: `medcite train judge` (reads `eval/judged` and `../shared/data`; {minutes}
  minutes on this project's 2-core machine). Trained {trained}.
- **Data**: every review in `eval/judged` whose sheet is there (`medcite.reader.judged`): a
  bottom line judged *correct* and an item judged *R* answer; *partial* / *off_topic* bottom
  lines and *T* / *O* items do not; *unsupported* verdicts, abstentions and declined questions
  are left out; one label per (question, sentence): the most common. {training} pairs from the
  other sets for training, plus {replay} of the reader's own training pairs replayed
  (MedQuAD, SciFact, Evidence Inference; stance too). AdamW, learning rate {lr}, {epochs}
  epoch(s), batch {batch}, seed {seed}.
- **Held out**: whole review sets {held} ({held_out} pairs); a set's questions appear in no
  other set.

## Held-out figures (the shipped int8 model, pairs read one at a time)
{figures}

On the reader's own held-out records (MedQuAD topics, SciFact claims, Evidence Inference
prompts): {reader_figures}.
{other_splits}
## Limits
- The labels are the reviewers' of what an earlier engine showed: sentences it never showed
  were never judged, so the judge is a gate on shown sentences, not a ranker of all of them.
- Reviewers disagree on some items; *T* mixes "does not answer" with "under the wrong
  heading", which a sentence alone cannot show.
- The held-out sets were also read when its floors were chosen: the fresh sets judged after it
  (README) are its test.
"""


def write_card(folder: Path, meta: dict[str, Any]) -> None:
    settings, judged = meta.get("settings", {}), meta.get("judged", {})
    rows = [
        "| shown | pairs | answering | AUC | kept at a floor of "
        + " · ".join(str(t) for t in THRESHOLDS)
        + " (answering / not) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for kind, row in sorted(meta.get("held_out", {}).items()):
        before = meta.get("reader_on_held_out", {}).get(kind, {}).get("auc")
        kept = " · ".join(
            f"{row[f'kept_at_{t}']['answering']} / {row[f'kept_at_{t}']['not']}"
            for t in THRESHOLDS
            if f"kept_at_{t}" in row
        )
        auc = f"{row['auc']} (the reader: {before})" if before is not None else row["auc"]
        rows.append(f"| {kind} | {row['examples']} | {row['answering']} | {auc} | {kept} |")
    reader_figures = "; ".join(
        f"{source} answers AUC {row.get('answers_auc')}"
        + (f", stance accuracy {row['stance_accuracy']}" if "stance_accuracy" in row else "")
        for source, row in sorted(meta.get("reader_held_out", {}).items())
    )
    text = _CARD.format(
        from_reader=meta.get("from_reader"),
        layers=meta.get("layers"),
        minutes=meta.get("train_minutes"),
        trained=meta.get("trained"),
        training=judged.get("training"),
        replay=judged.get("replay"),
        held_out=judged.get("held_out"),
        lr=settings.get("learning_rate"),
        epochs=settings.get("epochs"),
        batch=settings.get("batch_size"),
        seed=settings.get("seed"),
        held=", ".join(settings.get("held_sets", ())),
        figures="\n".join(rows),
        reader_figures=reader_figures,
        other_splits="".join(
            f"\nAnother split, {row['held']}: {row['figures']} ({row['how']}).\n"
            for row in meta.get("other_splits", ())
        ),
    )
    (folder / "MODEL_CARD.md").write_text(text, "utf-8")
