"""``medcite eval review-figures``: the figures the rubric of ``shared/eval/answer-review.md`` asks
for, counted from judged review files (``eval/judged/review-*.md``), one line per question:

    Q7 | bottom: partial | items: 1:T 2:R | usefulness: 1 | abstention: - | note: …

Bottom-line labels and the share of answered questions whose bottom line is correct, item labels
as shares of all items, mean usefulness over answered questions, abstentions and how many were
doubtful, and which bottom lines were unsupported — for the whole set and, with a part size, for
each part of it (a review set's clinicians', guideline and consumer thirds).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from medcite.errors import InputError

BOTTOM_LABELS = ("correct", "partial", "unsupported", "off_topic", "abstained")
ITEM_LABELS = ("R", "T", "O")

_LINE = re.compile(
    r"^Q(?P<number>\d+) \| bottom: (?P<bottom>\w+) \| items: (?P<items>.*?) \| "
    r"usefulness: (?P<usefulness>\S+) \| abstention: (?P<abstention>\S+)"
)
_ITEM = re.compile(r"\d+:([RTO])\b")


@dataclass(frozen=True)
class Judgement:
    """One question's judgement."""

    number: int
    bottom: str
    items: tuple[str, ...]
    usefulness: float | None  # None for an abstention ("n/a")
    abstention: str | None  # "ok" or "doubtful" for an abstention, else None


@dataclass(frozen=True)
class ReviewFigures:
    """The rubric's figures over some judgements."""

    questions: int
    bottom: dict[str, int]
    answered: int
    correct_share: float
    items: dict[str, int]
    item_shares: dict[str, float]
    usefulness: float | None
    abstained: int
    doubtful: int
    unsupported: tuple[int, ...]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def parse_judgement(line: str) -> Judgement | None:
    """A judgement line, or None for any other line (headers, blank lines)."""
    match = _LINE.match(line.strip())
    if match is None:
        return None
    bottom = match["bottom"]
    if bottom not in BOTTOM_LABELS:
        raise InputError(f"unknown bottom-line label {bottom!r} in: {line.strip()}", "bad_label")
    usefulness = match["usefulness"]
    abstention = match["abstention"]
    return Judgement(
        number=int(match["number"]),
        bottom=bottom,
        items=tuple(_ITEM.findall(match["items"])),
        usefulness=None if usefulness == "n/a" else float(usefulness),
        abstention=abstention if abstention in {"ok", "doubtful"} else None,
    )


def read_judgements(paths: Iterable[Path]) -> list[Judgement]:
    """Every judgement of the files, in file order; a question judged twice is an error."""
    found: dict[int, Judgement] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            judgement = parse_judgement(line)
            if judgement is None:
                continue
            if judgement.number in found:
                raise InputError(f"Q{judgement.number} is judged twice ({path})", "duplicate")
            found[judgement.number] = judgement
    return list(found.values())


def figures(judgements: list[Judgement]) -> ReviewFigures:
    """The rubric's figures over ``judgements``."""
    bottom = Counter(j.bottom for j in judgements)
    items = Counter(label for j in judgements for label in j.items)
    answered = [j for j in judgements if j.bottom != "abstained"]
    useful = [j.usefulness for j in answered if j.usefulness is not None]
    total_items = sum(items.values())
    return ReviewFigures(
        questions=len(judgements),
        bottom={label: bottom[label] for label in BOTTOM_LABELS},
        answered=len(answered),
        correct_share=round(bottom["correct"] / len(answered), 3) if answered else 0.0,
        items={label: items[label] for label in ITEM_LABELS},
        item_shares={
            label: round(items[label] / total_items, 3) if total_items else 0.0
            for label in ITEM_LABELS
        },
        usefulness=round(sum(useful) / len(useful), 2) if useful else None,
        abstained=bottom["abstained"],
        doubtful=sum(1 for j in judgements if j.abstention == "doubtful"),
        unsupported=tuple(sorted(j.number for j in judgements if j.bottom == "unsupported")),
    )


def by_part(judgements: list[Judgement], size: int) -> dict[str, ReviewFigures]:
    """The figures of each run of ``size`` question numbers ("Q1–Q20", "Q21–Q40", …)."""
    if size < 1:
        raise InputError("the part size must be at least 1", "bad_part_size")
    parts: dict[int, list[Judgement]] = {}
    for judgement in judgements:
        parts.setdefault((judgement.number - 1) // size, []).append(judgement)
    return {
        f"Q{index * size + 1}–Q{(index + 1) * size}": figures(part)
        for index, part in sorted(parts.items())
    }
