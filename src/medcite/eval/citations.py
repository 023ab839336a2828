"""``medcite eval citations``: answer a question set and check the citation invariants — every
item's text is found verbatim in a passage it cites, every reference is cited, every citation
number has a reference."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from tqdm import tqdm

from medcite.answer.engine import Engine
from medcite.answer.model import Answer, Verdict


def default_questions() -> list[str]:
    text = resources.files("medcite.resources").joinpath("clinical_questions.txt").read_text()
    return parse_questions(text)


def parse_questions(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def read_questions(path: Path | None) -> list[str]:
    return default_questions() if path is None else parse_questions(path.read_text("utf-8"))


@dataclass
class CitationReport:
    answers: int = 0
    answered: int = 0
    insufficient: int = 0
    items: int = 0
    items_grounded: int = 0
    references: int = 0
    uncited_references: int = 0
    dangling_citations: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def grounded_share(self) -> float:
        return self.items_grounded / self.items if self.items else 1.0

    def to_dict(self) -> dict[str, object]:
        return {
            "answers": self.answers,
            "answered": self.answered,
            "insufficient_evidence": self.insufficient,
            "items": self.items,
            "items_grounded_share": round(self.grounded_share, 4),
            "references": self.references,
            "uncited_references": self.uncited_references,
            "dangling_citations": self.dangling_citations,
            "failures": self.failures[:20],
        }


def check_answer(answer: Answer, report: CitationReport) -> None:
    """Add one answer's citation facts to ``report``."""
    report.answers += 1
    if answer.bottom_line.verdict is Verdict.INSUFFICIENT:
        report.insufficient += 1
    if answer.references:
        report.answered += 1
    passages = {ref.n: [q.text for q in ref.quotes] for ref in answer.references}
    cited: set[int] = set(answer.bottom_line.citations)
    items = [item for section in answer.sections for item in section.items]
    if answer.bottom_line.verdict is None and answer.bottom_line.citations:
        items_texts = [(answer.bottom_line.text, answer.bottom_line.citations)]
    else:
        items_texts = []
    items_texts += [(item.text, item.citations) for item in items]
    for text, numbers in items_texts:
        report.items += 1
        cited.update(numbers)
        missing = [n for n in numbers if n not in passages]
        report.dangling_citations += len(missing)
        if numbers and any(text in quote for n in numbers for quote in passages.get(n, [])):
            report.items_grounded += 1
        else:
            report.failures.append(f"{answer.question!r}: {text[:80]!r}")
    report.references += len(answer.references)
    report.uncited_references += len([n for n in passages if n not in cited])


def evaluate_citations(
    questions: list[str], engine: Engine, progress: bool = True
) -> CitationReport:
    report = CitationReport()
    for question in tqdm(questions, desc="answers", disable=not progress):
        check_answer(engine.answer(question, save=False), report)
    return report
