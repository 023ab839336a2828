"""The reader's model card (``MODEL_CARD.md``), written from its ``meta.json`` by the same run
that trained it, so the figures on the card are the ones that run measured."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_INTRO = """\
# MedCite reader — model card

A cross-encoder that reads a (question, sentence) pair and gives P(the sentence answers the
question) and, for yes/no questions, P(supports), P(contradicts), P(neutral). MedCite's answer
engine uses it to choose the bottom line, to weigh a yes/no verdict from the sentences that state
the asked relation, and to keep only the items that answer each section's question.

- **Base**: {base}, cut to its first {layers} layers; mean pooling; one linear head of 4 logits.
  The word embeddings are frozen and read from the installed package, so `reader.safetensors`
  (float16) holds only the fine-tuned layers. Inference: int8 dynamic quantisation of the linear
  layers, on the CPU, at load; nothing is downloaded.
- **Retrain**: `medcite train reader` (reads `../shared/data`; {minutes} minutes on this
  project's 2-core machine). Trained {trained}.
- **Input**: question and text, WordPiece, at most {max_length} tokens together.
- **Loss**: binary cross-entropy on *answers* plus cross-entropy on the stance, class-weighted
  (inverse frequency: "no significant difference" findings would otherwise make *contradicts*
  the habit); AdamW, learning rate {lr}, {epochs} epoch(s), batch {batch}, seed {seed}.

## Training data
Built by `medcite.reader.data` (PubMedQA is left out on purpose, so `medcite eval pubmedqa`
measures the reader on unseen questions):

| source | what the pairs are | training | held out |
| --- | --- | --- | --- |
{rows}

Held out: a tenth of the MedQuAD topics, SciFact claims and Evidence Inference prompts, chosen
by a hash of their key (`medcite.reader.data.held_out`); whole records go to one side.

## Held-out figures (the shipped int8 model)
{figures}

## Limits
- Trained on templated questions (MedQuAD's "What are the symptoms of X?", Evidence Inference's
  intervention/comparator/outcome prompts) and SciFact claims: real users' wording differs.
- It reads one sentence at a time: a finding split over two sentences, or a pronoun whose
  antecedent is elsewhere, is read without its context.
- English only; biomedical and consumer-health text.
"""


_SOURCES = (
    (
        "MedQuAD (CC BY 4.0)",
        "a question vs sentences of its own answer (answers), of the same topic's answer to "
        "another question type and of another topic sharing a word (does not answer)",
        "medquad",
    ),
    (
        "SciFact training claims (CC BY 4.0 / ODC-By)",
        "a claim asked as a yes/no question vs its rationale sentences (supports / contradicts, "
        "answers) and other sentences of the cited abstracts (neutral, does not answer)",
        "scifact",
    ),
    (
        "Evidence Inference 2.0 (MIT)",
        '"Does I increase / reduce / change O compared with C?" vs the annotated evidence '
        "(supports or contradicts by the question's direction, answers), a background or "
        "methods sentence of the same abstract and the evidence of the same trial about another "
        "outcome (neutral, does not answer)",
        "evidence_inference",
    ),
)


def write(folder: Path, meta: dict[str, Any]) -> None:
    examples = meta.get("examples", {})
    train, test = examples.get("training", {}), examples.get("held_out", {})
    rows = [
        "| source | examples | answers AUC | stance accuracy | stance macro-F1 | "
        "supports vs contradicts |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for source, row in sorted(meta.get("held_out", {}).items()):
        rows.append(
            f"| {source} | {row.get('examples', '')} | {row.get('answers_auc', '–')} | "
            f"{row.get('stance_accuracy', '–')} | {row.get('stance_macro_f1', '–')} | "
            f"{row.get('supports_vs_contradicts_accuracy', '–')} |"
        )
    text = _INTRO.format(
        base=meta.get("base"),
        layers=meta.get("layers"),
        minutes=meta.get("train_minutes"),
        trained=meta.get("trained"),
        max_length=meta.get("max_length"),
        lr=meta.get("settings", {}).get("learning_rate"),
        epochs=meta.get("settings", {}).get("epochs"),
        batch=meta.get("settings", {}).get("batch_size"),
        seed=meta.get("settings", {}).get("seed"),
        rows="\n".join(
            f"| {name} | {what} | {train.get(key, 0)} | {test.get(key, 0)} |"
            for name, what, key in _SOURCES
        ),
        figures="\n".join(rows),
    )
    extra = meta.get("evaluations")
    if extra:
        text += "\n## Product evaluations with this reader\n```\n"
        text += json.dumps(extra, indent=2) + "\n```\n"
    tried = meta.get("tried")
    if tried:
        text += _tried(tried)
    (folder / "MODEL_CARD.md").write_text(text, "utf-8")


def _tried(tried: list[dict[str, Any]]) -> str:
    """Recipes trained and measured but not shipped, with why (``meta["tried"]``)."""
    lines = [
        "\n## Recipes tried and not shipped",
        "| recipe | trained | held out: medquad AUC · scifact stance · EI stance | "
        "product figures | why not shipped |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in tried:
        held = row.get("held_out", {})
        lines.append(
            f"| {row.get('recipe')} | {row.get('trained')} | "
            f"{held.get('medquad_auc', '–')} · {held.get('scifact_stance', '–')} · "
            f"{held.get('ei_stance', '–')} | {row.get('product')} | {row.get('why')} |"
        )
    return "\n".join(lines) + "\n"
