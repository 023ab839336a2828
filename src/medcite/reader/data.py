"""The reader's training examples, built from the shared data folder.

Every example is a (question, text) pair with two labels: *answers* (does the text answer the
question: 1, 0, or unknown) and *stance* (supports / contradicts / neutral toward a yes/no
question, or unknown). Sources:

* MedQuAD — a question and a sentence of its own answer answer it; a sentence of the same
  topic's answer to another question (symptoms for a treatment question) does not, nor does a
  sentence about another topic that shares a word with this one (vitamin D for vitamin A): the
  shapes a reviewer flagged. Stance unknown.
* SciFact training claims, asked as yes/no questions — rationale sentences support or
  contradict and answer; the other sentences of the cited abstracts neither.
* Evidence Inference prompts, asked both ways ("Does I increase O …?" and "Does I reduce O …?")
  so a finding supports one and contradicts the other; a background or methods sentence of the
  same abstract answers neither.

PubMedQA is left out on purpose: ``medcite eval pubmedqa`` then measures the reader on
questions it never saw. Held out for the model card's figures: MedQuAD topics, SciFact claims
and Evidence Inference prompts whose key falls in :func:`held_out` (a tenth of each), never
trained on.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from medcite.text import jaccard, split_sentences, tokens

UNKNOWN = -1
SUPPORTS, CONTRADICTS, NEUTRAL = 0, 1, 2
_KEY_POINTS = re.compile(r"^(key points|summary)\b", re.I)
_WORDS = (5, 80)  # a usable sentence's word count


@dataclass(frozen=True)
class Example:
    question: str
    text: str
    answers: int  # 1, 0 or UNKNOWN
    stance: int  # SUPPORTS, CONTRADICTS, NEUTRAL or UNKNOWN
    source: str  # medquad, scifact, evidence_inference
    group: str  # the record it comes from (topic, claim, prompt)


def held_out(key: str) -> bool:
    """A tenth of the records, chosen by a stable hash of their key, kept out of training."""
    return int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) % 10 == 0


def _usable(sentence: str) -> bool:
    words = len(sentence.split())
    return _WORDS[0] <= words <= _WORDS[1] and not _KEY_POINTS.match(sentence)


def _sentences(text: str) -> list[str]:
    out = []
    for sentence in split_sentences(" ".join(text.split())):
        for piece in re.split(r"\s+-\s+(?=[A-Z])", sentence):
            piece = piece.strip(" -")
            if _usable(piece):
                out.append(piece)
    return out


def medquad_examples(shared_data: Path, *, questions: int, seed: int) -> list[Example]:
    """Four examples per sampled question: two sentences of its answer (answers), one of the
    same topic's answer to another question type, one of a topic sharing a word (or any other
    topic when none shares one) — neither answers."""
    rows = []
    with gzip.open(shared_data / "medquad" / "medquad.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            answer = record.get("answer") or ""
            sentences = _sentences(answer)
            if not sentences or not record.get("focus"):
                continue
            rows.append((str(record["focus"]), str(record["question_type"]), record, sentences))
    by_focus: dict[str, list[int]] = defaultdict(list)
    by_word: dict[str, set[str]] = defaultdict(set)
    for i, (focus, _, _, _) in enumerate(rows):
        by_focus[focus.lower()].append(i)
        for word in set(tokens(focus)):
            if len(word) > 2:
                by_word[word].add(focus.lower())
    rng = random.Random(seed)
    order = list(range(len(rows)))
    rng.shuffle(order)
    foci = sorted(by_focus)
    out: list[Example] = []
    for i in order[:questions]:
        focus, qtype, record, sentences = rows[i]
        question = " ".join(str(record["question"]).replace("(are)", "").split())
        question = question.replace(" ?", "?")
        group = f"medquad:{focus.lower()}"
        for sentence in [sentences[0], rng.choice(sentences[:6])][: 1 + (len(sentences) > 1)]:
            out.append(Example(question, sentence, 1, UNKNOWN, "medquad", group))
        others = [j for j in by_focus[focus.lower()] if rows[j][1] != qtype]
        if others:
            other = rows[rng.choice(others)][3]
            out.append(Example(question, rng.choice(other[:4]), 0, UNKNOWN, "medquad", group))
        sharing = sorted(
            {f for w in set(tokens(focus)) if len(w) > 2 for f in by_word[w]} - {focus.lower()}
        )
        neighbour = rng.choice(sharing) if sharing else rng.choice(foci)
        if neighbour != focus.lower():
            j = rng.choice(by_focus[neighbour])
            out.append(Example(question, rng.choice(rows[j][3][:4]), 0, UNKNOWN, "medquad", group))
    return out


def as_question(claim: str) -> str:
    """A claim as the yes/no question a user would ask."""
    body = claim.strip().rstrip(".")
    if not body:
        return claim
    first = body.split(" ", 1)[0]
    if first[:1].isupper() and first[1:] == first[1:].lower():  # "Aspirin", not "BCL-2"
        body = body[0].lower() + body[1:]
    return f"Is it true that {body}?"


def claim_question(claim: str, variant: int) -> str:
    """A SciFact claim asked as a yes/no question (two wordings, so neither is learnt as a
    cue)."""
    body = claim.strip().rstrip(".")
    if variant % 2 == 0:
        return as_question(claim)
    return f"{body}?"


def scifact_examples(shared_data: Path, *, neutral_per_claim: int, seed: int) -> list[Example]:
    folder = shared_data / "scifact"
    with gzip.open(folder / "corpus.jsonl.gz", "rt", encoding="utf-8") as handle:
        corpus = {
            str(d["doc_id"]): [str(s) for s in d["abstract"]] for d in map(json.loads, handle)
        }
    rng = random.Random(seed)
    out: list[Example] = []
    with open(folder / "claims_train.jsonl", encoding="utf-8") as handle:
        claims = [json.loads(line) for line in handle if line.strip()]
    for claim in claims:
        group = f"scifact:{claim['id']}"
        question = claim_question(str(claim["claim"]), int(claim["id"]))
        rationale: dict[str, set[int]] = defaultdict(set)
        for doc_id, sets in sorted(claim["evidence"].items()):
            for item in sets:
                stance = SUPPORTS if item["label"] == "SUPPORT" else CONTRADICTS
                for index in item["sentences"]:
                    rationale[doc_id].add(int(index))
                    out.append(
                        Example(question, corpus[doc_id][index], 1, stance, "scifact", group)
                    )
        rest = [
            corpus[doc_id][index]
            for doc_id in sorted({str(d) for d in claim["cited_doc_ids"]} | set(rationale))
            for index in range(len(corpus.get(doc_id, [])))
            if index not in rationale.get(doc_id, set())
        ]
        for sentence in rng.sample(rest, min(neutral_per_claim, len(rest))):
            out.append(Example(question, sentence, 0, NEUTRAL, "scifact", group))
    return out


# (template, stance when significantly increased, when decreased, when no difference)
_EI_TEMPLATES = (
    ("Does {i} increase {o} compared with {c}?", SUPPORTS, CONTRADICTS, CONTRADICTS),
    ("Does {i} reduce {o} compared with {c}?", CONTRADICTS, SUPPORTS, CONTRADICTS),
    ("Does {i} change {o} compared with {c}?", SUPPORTS, SUPPORTS, CONTRADICTS),
    ("Is {o} higher with {i} than with {c}?", SUPPORTS, CONTRADICTS, CONTRADICTS),
    ("Is {o} lower with {i} than with {c}?", CONTRADICTS, SUPPORTS, CONTRADICTS),
)
_EI_LABELS = {"significantly increased": 0, "significantly decreased": 1}
_EI_NOT_FINDINGS = re.compile(r"background|method|design|setting|objective|aim|introduction", re.I)


def evidence_inference_examples(shared_data: Path, *, prompts: int, seed: int) -> list[Example]:
    """Per sampled prompt: its first annotated evidence under two templates of opposite
    direction where they exist, and a background/methods sentence of its abstract (neutral)."""
    folder = shared_data / "evidence_inference_pmc_rcts"
    with gzip.open(folder / "prompts_merged.csv.gz", "rt", encoding="utf-8") as handle:
        table = {row["PromptID"]: row for row in csv.DictReader(handle)}
    background: dict[str, list[str]] = {}
    with gzip.open(folder / "articles.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            sentences = [
                s
                for section in article.get("abstract_sections") or []
                if _EI_NOT_FINDINGS.search(str(section.get("label") or ""))
                for s in _sentences(str(section.get("text") or ""))
            ]
            background[str(article["pmcid"]).removeprefix("PMC")] = sentences
    evidence: dict[str, tuple[str, int]] = {}
    with gzip.open(folder / "v2_annotations.csv.gz", "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = " ".join(str(row["Annotations"]).split())
            if row["PromptID"] in evidence or row["PromptID"] not in table:
                continue
            if len(text.split()) < 4 or len(text.split()) > _WORDS[1]:
                continue
            column = _EI_LABELS.get(row["Label"].strip(), 2)
            evidence[row["PromptID"]] = (text, column)
    by_article: dict[str, list[str]] = defaultdict(list)
    for prompt_id in sorted(evidence, key=int):
        by_article[table[prompt_id]["PMCID"]].append(prompt_id)
    rng = random.Random(seed)
    ids = sorted(evidence, key=int)
    rng.shuffle(ids)
    out: list[Example] = []
    for prompt_id in ids[:prompts]:
        prompt = table[prompt_id]
        text, column = evidence[prompt_id]
        fill = {
            "i": " ".join(prompt["Intervention"].split()),
            "c": " ".join(prompt["Comparator"].split()),
            "o": " ".join(prompt["Outcome"].split()),
        }
        group = f"evidence_inference:{prompt_id}"
        first = rng.randrange(len(_EI_TEMPLATES))
        second = (first + 1 + rng.randrange(len(_EI_TEMPLATES) - 1)) % len(_EI_TEMPLATES)
        for index in (first, second):
            wording, *stances = _EI_TEMPLATES[index]
            out.append(
                Example(
                    str(wording).format(**fill),
                    text,
                    1,
                    int(stances[column]),
                    "evidence_inference",
                    group,
                )
            )
        for other in _other_outcomes(prompt_id, prompt, by_article, table, evidence, rng):
            out.append(
                Example(
                    str(_EI_TEMPLATES[first][0]).format(**fill),
                    other,
                    0,
                    NEUTRAL,
                    "evidence_inference",
                    group,
                )
            )
        methods = background.get(str(prompt["PMCID"]), [])
        if methods:
            question = str(_EI_TEMPLATES[first][0]).format(**fill)
            out.append(
                Example(question, rng.choice(methods), 0, NEUTRAL, "evidence_inference", group)
            )
    return out


def _other_outcomes(
    prompt_id: str,
    prompt: dict[str, str],
    by_article: dict[str, list[str]],
    table: dict[str, dict[str, str]],
    evidence: dict[str, tuple[str, int]],
    rng: random.Random,
) -> list[str]:
    """The evidence of another prompt of the same trial about another outcome (same drug, other
    result: "zinc improved growth" does not answer "does zinc reduce diarrhoea?"); at most one."""
    words = set(tokens(prompt["Outcome"]))
    others = [
        evidence[other][0]
        for other in by_article[prompt["PMCID"]]
        if other != prompt_id
        and evidence[other][0] != evidence[prompt_id][0]
        and jaccard(words, set(tokens(table[other]["Outcome"]))) < 0.34
        and not words & set(tokens(evidence[other][0])) - _COMMON
    ]
    return [rng.choice(others)] if others else []


_COMMON = frozenset(tokens("the of and in at to with for a an was were group groups patients"))


@dataclass(frozen=True)
class Sizes:
    medquad_questions: int = 5000
    scifact_neutral_per_claim: int = 4
    evidence_inference_prompts: int = 6000


def build_examples(shared_data: Path, sizes: Sizes = Sizes(), seed: int = 0) -> list[Example]:
    """Every source present under ``shared_data`` (a missing one is skipped), in a seeded
    order."""
    out: list[Example] = []
    if (shared_data / "medquad" / "medquad.jsonl.gz").exists():
        out += medquad_examples(shared_data, questions=sizes.medquad_questions, seed=seed)
    if (shared_data / "scifact" / "claims_train.jsonl").exists():
        out += scifact_examples(
            shared_data, neutral_per_claim=sizes.scifact_neutral_per_claim, seed=seed
        )
    if (shared_data / "evidence_inference_pmc_rcts" / "v2_annotations.csv.gz").exists():
        out += evidence_inference_examples(
            shared_data, prompts=sizes.evidence_inference_prompts, seed=seed
        )
    random.Random(seed).shuffle(out)
    return out


def split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """(training, held out): whole records (topics, claims, prompts) go to one side."""
    train = [e for e in examples if not held_out(e.group)]
    test = [e for e in examples if held_out(e.group)]
    return train, test


def counts(examples: list[Example]) -> Iterator[tuple[str, int]]:
    tally: dict[str, int] = defaultdict(int)
    for e in examples:
        tally[e.source] += 1
    yield from sorted(tally.items())
