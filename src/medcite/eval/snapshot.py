"""``medcite eval snapshot``: how often the study snapshot (:mod:`medcite.appraise.snapshot`)
fills each field on Evidence Inference's PMC RCT abstracts, and how often intervention,
comparator and outcomes agree with the doctors' prompts for the same article.

A value *matches* when, after lowercasing, splitting into alphanumeric tokens and dropping stop
words, it agrees with at least one of the article's prompts for that field:

* ``f1``: token-overlap F1 ≥ 0.5 (the strict figure);
* ``contains``: F1 ≥ 0.5, or every content token of one side occurs in the other (lenient: a
  span "liraglutide" for the prompt "Liraglutide (1.8 mg) plus glimepiride").

Precision is over articles with prompts where the field was extracted; coverage is the share
of those articles with a value. Participants, population, follow-up, design and country have no
gold here: their coverage is over every article with an abstract, and a seeded sample of
extracted participant counts with their sentences is written out for checking by hand.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medcite.appraise.snapshot import FIELDS, Snapshot, extract_snapshot, source_texts
from medcite.records import Document, EvidenceType, Section

DATASET = "evidence_inference_pmc_rcts"
DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
GOLD_FIELDS = ("intervention", "comparator", "outcomes")
_PROMPT_COLUMN = {"intervention": "Intervention", "comparator": "Comparator", "outcomes": "Outcome"}
_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "for",
        "to",
        "with",
        "and",
        "or",
        "vs",
        "versus",
        "by",
        "at",
        "from",
        "as",
        "is",
        "was",
        "were",
        "be",
        "patients",
        "group",
        "groups",
        "arm",
        "treatment",
        "therapy",
    ]
)


def content_tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text.lower()) if t not in _STOP]


def token_f1(a: str, b: str) -> float:
    left, right = content_tokens(a), content_tokens(b)
    common = sum(min(left.count(t), right.count(t)) for t in set(left))
    if not common:
        return 0.0
    precision, recall = common / len(left), common / len(right)
    return 2 * precision * recall / (precision + recall)


def matches(value: str, gold: Sequence[str], *, lenient: bool) -> bool:
    for prompt in gold:
        if token_f1(value, prompt) >= 0.5:
            return True
        if lenient:
            left, right = set(content_tokens(value)), set(content_tokens(prompt))
            if left and right and (left <= right or right <= left):
                return True
    return False


@dataclass(frozen=True)
class FieldScore:
    extracted: int
    articles: int
    matched_f1: int | None = None
    matched_contains: int | None = None

    @property
    def coverage(self) -> float:
        return self.extracted / self.articles if self.articles else 0.0

    def precision(self, matched: int | None) -> float | None:
        return matched / self.extracted if matched is not None and self.extracted else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "articles": self.articles,
            "extracted": self.extracted,
            "coverage": round(self.coverage, 4),
        }
        if self.matched_f1 is not None:
            out["precision_f1"] = round(self.precision(self.matched_f1) or 0.0, 4)
            out["precision_contains"] = round(self.precision(self.matched_contains) or 0.0, 4)
        return out


@dataclass(frozen=True)
class SnapshotReport:
    articles: int
    articles_with_prompts: int
    fields: dict[str, FieldScore]
    not_substrings: int
    sample: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": DATASET,
            "articles": self.articles,
            "articles_with_prompts": self.articles_with_prompts,
            "values_not_substrings": self.not_substrings,
            "fields": {name: score.to_dict() for name, score in self.fields.items()},
        }

    def render(self) -> str:
        lines = [
            f"Study snapshot on {DATASET}: {self.articles} abstracts, "
            f"{self.articles_with_prompts} with ICO prompts; "
            f"values that are not spans of the source: {self.not_substrings}",
            f"{'field':<14}{'coverage':>10}{'prec F1≥.5':>12}{'prec contain':>14}   over",
        ]
        for name, score in self.fields.items():
            strict = score.precision(score.matched_f1)
            lenient = score.precision(score.matched_contains)
            lines.append(
                f"{name:<14}{score.coverage:>10.3f}"
                + (
                    f"{strict:>12.3f}{lenient:>14.3f}"
                    if strict is not None
                    else f"{'—':>12}{'—':>14}"
                )
                + f"   {score.extracted}/{score.articles}"
            )
        return "\n".join(lines)


def read_articles(folder: Path) -> Iterator[tuple[str, Document, tuple[Section, ...]]]:
    """(pmcid, document, abstract sections) for every article with an abstract."""
    with gzip.open(folder / "articles.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            sections = tuple(
                Section(str(s.get("label") or "").strip() or None, str(s["text"]))
                for s in record.get("abstract_sections") or []
                if s.get("text")
            )
            if not sections:
                continue
            document = Document(
                id=f"pmc:{record['pmcid']}",
                title=str(record.get("title") or ""),
                evidence_type=EvidenceType.RCT,
                source="pmc",
                publication_types=("Randomized Controlled Trial",),
            )
            yield str(record["pmcid"]), document, sections


def read_prompts(folder: Path) -> dict[str, dict[str, list[str]]]:
    """PMCID → field → the prompts' texts for it."""
    prompts: dict[str, dict[str, list[str]]] = {}
    with gzip.open(folder / "prompts_merged.csv.gz", "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            article = prompts.setdefault(f"PMC{row['PMCID']}", {f: [] for f in GOLD_FIELDS})
            for name in GOLD_FIELDS:
                text = (row.get(_PROMPT_COLUMN[name]) or "").strip()
                if text and text not in article[name]:
                    article[name].append(text)
    return prompts


def _sentence_of(span: str, texts: Sequence[str]) -> str:
    for text in texts:
        at = text.find(span)
        if at >= 0:
            start = max(text.rfind(". ", 0, at) + 2, 0) if text.rfind(". ", 0, at) >= 0 else 0
            end = text.find(". ", at + len(span))
            return text[start : end + 1 if end >= 0 else len(text)]
    return ""


def evaluate_snapshot(
    data: Path = DEFAULT_DATA, *, sample_size: int = 40, seed: int = 0
) -> SnapshotReport:
    """Extract a snapshot from every abstract and score it (see the module docstring)."""
    folder = data / DATASET
    prompts = read_prompts(folder)
    counts = {name: 0 for name in FIELDS}
    gold_counts = {name: [0, 0, 0] for name in GOLD_FIELDS}  # extracted, f1, contains
    articles = with_prompts = bad = 0
    participants: list[dict[str, str]] = []
    for pmcid, document, sections in read_articles(folder):
        snapshot: Snapshot = extract_snapshot(document, sections)
        texts = source_texts(document, sections)
        articles += 1
        for name, value in snapshot.to_dict().items():
            if value is not None:
                counts[name] += 1
                bad += not any(value in text for text in texts)
        if snapshot.participants:
            sentence = _sentence_of(snapshot.participants, texts)
            participants.append(
                {"pmcid": pmcid, "participants": snapshot.participants, "sentence": sentence}
            )
        gold = prompts.get(pmcid)
        if not gold:
            continue
        with_prompts += 1
        for name in GOLD_FIELDS:
            value = getattr(snapshot, name)
            if value is not None:
                gold_counts[name][0] += 1
                gold_counts[name][1] += matches(value, gold[name], lenient=False)
                gold_counts[name][2] += matches(value, gold[name], lenient=True)
    scores = {
        name: FieldScore(gold_counts[name][0], with_prompts, *gold_counts[name][1:])
        if name in GOLD_FIELDS
        else FieldScore(counts[name], articles)
        for name in FIELDS
    }
    sample = random.Random(seed).sample(participants, min(sample_size, len(participants)))
    return SnapshotReport(
        articles, with_prompts, scores, bad, sorted(sample, key=lambda s: s["pmcid"])
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="medcite eval snapshot", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--sample-out",
        type=Path,
        default=Path("var/snapshot-participants.jsonl"),
        help="where the hand-check sample of participant counts goes",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not (args.data / DATASET / "articles.jsonl.gz").is_file():
        print(f"skipped: {args.data / DATASET} not found (the shared data folder is absent)")
        return 0
    report = evaluate_snapshot(args.data, seed=args.seed)
    args.sample_out.parent.mkdir(parents=True, exist_ok=True)
    with args.sample_out.open("w", encoding="utf-8") as handle:
        for row in report.sample:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.render())
        print(f"participant sample for hand checking: {args.sample_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
