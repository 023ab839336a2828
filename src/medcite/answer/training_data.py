"""The stance model's training examples, read from the shared data folder.

* PubMedQA (``pqal_trainval.json``): a record's answer is the stance of its result sentences and
  of its conclusion (``LONG_ANSWER``) toward its question — yes → supports, no → contradicts;
  "maybe" records' result sentences are salient with an unknown stance. Background, objective
  and method sentences are neutral. These labels are weak (a result sentence of a "yes" record
  can be a plain description) but they are the only ones that pair clinical *questions* with
  evidence.
* SciFact (``claims_train.jsonl``): rationale sentences labelled SUPPORT / CONTRADICT toward a
  claim; the other sentences of the abstracts the claims cite are neutral (a seeded sample).
  Claims whose id ends in 0 (:func:`held_apart`) are never trained on: the tests use them.
* Evidence Inference (``v2_annotations.csv.gz``): the evidence of a significant difference
  supports "Does I change O compared with C?", of no significant difference contradicts. These
  train the polarity head only (it reads cues, so they need no vectors). Prompts whose id ends
  in 0 are held apart for the tests too.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medcite.answer.stance import CLASSES
from medcite.text import split_sentences

LABEL_OF_ANSWER = {"yes": 0, "no": 1, "maybe": 2}  # index into CLASSES
RESULT_SECTIONS = re.compile(r"RESULT|FINDING|CONCLUSION|INTERPRETATION|DISCUSSION", re.I)
MAX_NEUTRAL = 3000
"""SciFact neutral sentences kept (a seeded sample), so PubMedQA is not drowned out."""
CONCLUSION_WEIGHT = 1.0
"""Sample weight of a PubMedQA conclusion sentence (result sentences weigh 1)."""
SCIFACT_WEIGHT = 1.0
"""Sample weight of a SciFact example."""
EVIDENCE_INFERENCE_WEIGHT = 0.3
"""Sample weight of an Evidence Inference example (its questions are templated)."""


@dataclass
class Examples:
    """(question, sentence, label) triples with a weight and a group (the record they come from)."""

    questions: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    salient: list[bool] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    def add(
        self, question: str, sentence: str, label: int, salient: bool, weight: float, group: str
    ) -> None:
        """``salient``: the sentence takes a stance (a result or conclusion, a rationale); a
        salient sentence labelled neutral is one whose stance is unknown (a "maybe" record)."""
        self.questions.append(question)
        self.sentences.append(sentence)
        self.labels.append(label)
        self.salient.append(salient)
        self.weights.append(weight)
        self.groups.append(group)

    def extend(self, other: Examples) -> None:
        for name in ("questions", "sentences", "labels", "salient", "weights", "groups"):
            getattr(self, name).extend(getattr(other, name))

    def __len__(self) -> int:
        return len(self.labels)

    def counts(self) -> dict[str, int]:
        return {name: self.labels.count(i) for i, name in enumerate(CLASSES)}


def held_apart(item_id: int) -> bool:
    """SciFact claims and Evidence Inference prompts kept out of every model, for the tests
    (ids ending in 0)."""
    return item_id % 10 == 0


def read_pubmedqa(path: Path) -> dict[str, dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        data: dict[str, dict[str, Any]] = json.load(handle)
    return data


def pubmedqa_examples(
    records: dict[str, dict[str, Any]], exclude_pmids: frozenset[str] = frozenset()
) -> Examples:
    out = Examples()
    for pmid, record in sorted(records.items()):
        if pmid in exclude_pmids:
            continue
        question = str(record["QUESTION"])
        label = LABEL_OF_ANSWER[str(record["final_decision"])]
        group = f"pubmedqa:{pmid}"
        labels = list(record.get("LABELS") or [])
        contexts = [str(c) for c in record["CONTEXTS"]]
        results = [i for i, name in enumerate(labels) if RESULT_SECTIONS.search(str(name))]
        results = results or [len(contexts) - 1]
        for i, context in enumerate(contexts):
            for sentence in split_sentences(context):
                salient = i in results
                out.add(question, sentence, label if salient else 2, salient, 1.0, group)
        for sentence in split_sentences(str(record.get("LONG_ANSWER") or "")):
            out.add(question, sentence, label, True, CONCLUSION_WEIGHT, group)
    return out


def scifact_examples(
    shared_data: Path, *, max_neutral: int = MAX_NEUTRAL, seed: int = 0, held_out: bool = False
) -> Examples:
    """SciFact rationales (and a neutral sample); ``held_out`` gives the held-apart claims
    instead of the training ones."""
    folder = shared_data / "scifact"
    with gzip.open(folder / "corpus.jsonl.gz", "rt", encoding="utf-8") as handle:
        corpus = {
            str(d["doc_id"]): [str(s) for s in d["abstract"]] for d in map(json.loads, handle)
        }
    out = Examples()
    neutral: list[tuple[str, str, str]] = []
    with open(folder / "claims_train.jsonl", encoding="utf-8") as handle:
        claims = [json.loads(line) for line in handle if line.strip()]
    for claim in claims:
        if held_apart(int(claim["id"])) != held_out:
            continue
        group = f"scifact:{claim['id']}"
        rationale: dict[str, set[int]] = {}
        for doc_id, sets in sorted(claim["evidence"].items()):
            for item in sets:
                label = 0 if item["label"] == "SUPPORT" else 1
                for index in item["sentences"]:
                    rationale.setdefault(doc_id, set()).add(int(index))
                    out.add(
                        claim["claim"], corpus[doc_id][index], label, True, SCIFACT_WEIGHT, group
                    )
        for doc_id in sorted({str(d) for d in claim["cited_doc_ids"]} | set(rationale)):
            for index, sentence in enumerate(corpus.get(doc_id, [])):
                if index not in rationale.get(doc_id, set()):
                    neutral.append((claim["claim"], sentence, group))
    random.Random(seed).shuffle(neutral)
    for question, sentence, group in sorted(neutral[:max_neutral], key=lambda row: row[2]):
        out.add(question, sentence, 2, False, SCIFACT_WEIGHT, group)
    return out


def build_training_data(
    shared_data: Path | None,
    *,
    exclude_pmids: frozenset[str] = frozenset(),
    pubmedqa: dict[str, dict[str, Any]] | None = None,
) -> tuple[Examples, Examples]:
    """(examples for both heads, examples for the polarity head only): PubMedQA records (those
    of ``pubmedqa``, default the shared file) less ``exclude_pmids``, SciFact training claims,
    Evidence Inference prompts. A source missing from ``shared_data`` is skipped."""
    if pubmedqa is None:
        if shared_data is None:
            raise ValueError("need PubMedQA records or the shared data folder")
        pubmedqa = read_pubmedqa(shared_data / "pubmedqa" / "pqal_trainval.json")
    examples = pubmedqa_examples(pubmedqa, exclude_pmids)
    polarity_only = Examples()
    if shared_data is None:
        return examples, polarity_only
    if (shared_data / "scifact" / "claims_train.jsonl").exists():
        examples.extend(scifact_examples(shared_data))
    if (shared_data / "evidence_inference_pmc_rcts" / "v2_annotations.csv.gz").exists():
        polarity_only = evidence_inference_examples(shared_data)
    return examples, polarity_only


def evidence_inference_examples(shared_data: Path, *, held_out: bool = False) -> Examples:
    """Evidence Inference prompts as yes/no questions ("Does I change O compared with C?"):
    the annotated evidence of a significant increase or decrease supports, of no significant
    difference contradicts. One example per prompt (the first annotation). Prompts whose id
    ends in 0 are held apart like SciFact's (``held_out`` gives them instead)."""
    folder = shared_data / "evidence_inference_pmc_rcts"
    with gzip.open(folder / "prompts_merged.csv.gz", "rt", encoding="utf-8") as handle:
        prompts = {row["PromptID"]: row for row in csv.DictReader(handle)}
    out = Examples()
    seen: set[str] = set()
    with gzip.open(folder / "v2_annotations.csv.gz", "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            prompt = prompts.get(row["PromptID"])
            evidence = " ".join(str(row["Annotations"]).split())
            if prompt is None or row["PromptID"] in seen or len(evidence.split()) < 4:
                continue
            if held_apart(int(row["PromptID"])) != held_out:
                continue
            seen.add(row["PromptID"])
            label = 1 if row["Label"].startswith("no significant") else 0
            question = (
                f"Does {prompt['Intervention'].strip()} change {prompt['Outcome'].strip()} "
                f"compared with {prompt['Comparator'].strip()}?"
            )
            out.add(
                question,
                evidence,
                label,
                True,
                EVIDENCE_INFERENCE_WEIGHT,
                f"evidence_inference:{row['PromptID']}",
            )
    return out
