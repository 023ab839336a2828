"""The reviewers' judgements as (question, sentence, label) pairs: the judge's training data.

Every review set in ``eval/judged`` is a sheet (``sheet-<set>-<commit>.md``: each question, its
bottom line and its numbered items, as the reviewer saw them) and the reviewer's verdicts on it
(``review-<set>-<commit>.md``: ``Qn | bottom: correct | items: 1:R 2:T 3:O | …``, the rubric of
``../shared/eval/answer-review.md``). Pairing the two gives what the answer engine actually shows
and whether a strict reviewer found it answers the question: the near sentences the shipped
reader scores high (a definition for a dose question, another disease of a similar name) that
MedQuAD's templated pairs never show it.

Labels: a bottom line judged ``correct`` and an item judged ``R`` answer; ``partial`` and
``off_topic`` bottom lines and ``T`` and ``O`` items do not. An ``unsupported`` verdict is left
out (its fault is the verdict, not whether the sentence speaks to the question), as are
abstentions and answers with no sentence. A pair judged on several commits keeps its most
common label (the first on a tie).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_QUESTION = re.compile(r"## Q(\d+)\. (.*)")
_ITEM = re.compile(r"(\d+)\. \[([^\]]+)\] (.*)")
_VERDICT = re.compile(r"Q(\d+) \| bottom: (\w+) \| items: (.*?) \| usefulness")
_ITEM_LABEL = re.compile(r"(\d+):([RTO])")
_CITATION = re.compile(r"\s*\[\d+(?:,\s*\d+)*\]")
_QUOTED = re.compile(r"(?:Yes|No|Uncertain)[^.“]*\.\s*“(.*?)”")
_VERDICT_WORD = re.compile(r"(?:Yes|No|Uncertain)\b")
_NO_SENTENCE = ("Not enough evidence", "MedCite answers")
HELD_SETS = ("bw", "bx", "by", "bz", "ca", "cb", "cc", "cd")  # the newest eight, never trained on
ANSWERS = {"correct": 1, "partial": 0, "off_topic": 0, "R": 1, "T": 0, "O": 0}


@dataclass(frozen=True)
class Judged:
    """One sentence an answer showed, and whether its reviewer found it answers."""

    review_set: str  # "cd": the set's questions never appear in another set
    question: str
    text: str
    kind: str  # "bottom" or "item"
    label: str  # correct / partial / off_topic, or R / T / O

    @property
    def answers(self) -> int:
        return ANSWERS[self.label]


@dataclass
class _Shown:
    question: str
    bottom: str | None = None
    items: dict[int, str] | None = None


def read_sheet(path: Path) -> dict[int, _Shown]:
    """Each question of a review sheet with its bottom line and items, by number."""
    shown: dict[int, _Shown] = {}
    current: _Shown | None = None
    for line in path.read_text("utf-8").splitlines():
        match = _QUESTION.match(line)
        if match:
            current = shown[int(match[1])] = _Shown(match[2], items={})
        elif current is not None and line.startswith("Bottom line: "):
            current.bottom = line.removeprefix("Bottom line: ")
        elif current is not None and current.items is not None and (match := _ITEM.match(line)):
            current.items[int(match[1])] = match[3]
    return shown


def bottom_sentence(bottom: str | None) -> str | None:
    """The sentence a bottom line shows: the quoted one after a verdict, None for an
    abstention, a declined question or a verdict with no sentence."""
    if bottom is None or bottom.startswith(_NO_SENTENCE):
        return None
    quoted = _QUOTED.match(bottom)
    if quoted:
        return quoted[1]
    if _VERDICT_WORD.match(bottom):
        return None
    return _clean(bottom)


def read_review(review: Path, sheet: Path) -> Iterable[Judged]:
    """The judged pairs of one review and the sheet it judged."""
    review_set = review.name.split("-")[1]
    shown = read_sheet(sheet)
    for line in review.read_text("utf-8").splitlines():
        match = _VERDICT.match(line)
        if not match or int(match[1]) not in shown:
            continue
        answer = shown[int(match[1])]
        sentence = bottom_sentence(answer.bottom)
        if sentence and match[2] in ANSWERS:
            yield Judged(review_set, answer.question, sentence, "bottom", match[2])
        items = answer.items or {}
        for number, label in _ITEM_LABEL.findall(match[3]):
            if int(number) in items:
                yield Judged(review_set, answer.question, _clean(items[int(number)]), "item", label)


def judged_pairs(folder: Path) -> list[Judged]:
    """Every judged pair of ``folder`` (reviews whose sheet is there), one per (question,
    sentence, kind), in a stable order."""
    found: dict[tuple[str, str, str], list[Judged]] = defaultdict(list)
    for review in sorted(folder.glob("review-*.md")):
        sheet = folder / ("sheet-" + review.name.removeprefix("review-"))
        if sheet.exists():
            for pair in read_review(review, sheet):
                found[(pair.question, pair.text, pair.kind)].append(pair)
    out = []
    for key in sorted(found):
        labels = [p.label for p in found[key]]
        common = Counter(labels).most_common()
        top = [label for label, n in common if n == common[0][1]]
        label = min(top, key=labels.index)
        out.append(next(p for p in found[key] if p.label == label))
    return out


def _clean(text: str) -> str:
    return _CITATION.sub("", text).strip()
