"""``medcite eval citations``: answer a question set and check the citation invariants — every
item's text is found verbatim in a passage it cites, every reference is cited, every citation
number has a reference.

With the LLM writer (``--writer llm``), each written item is instead checked by verifying it
again against the final answer's (renumbered) references, and the writer's figures are added:
citation precision (kept sentences that verify / kept sentences), the share of the model's
sentences dropped, and the fallbacks to the extractive answer with their reasons."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from medcite.answer.engine import GRADE, OUTSIDE_AGES_NOTE, Engine
from medcite.answer.model import Answer, Verdict
from medcite.progress import bar as progress_bar

if TYPE_CHECKING:
    from medcite.index.embeddings import Embedder
    from medcite.settings import LLMSettings
    from medcite.writer.writer import WriteResult


def default_questions() -> list[str]:
    text = resources.files("medcite.resources").joinpath("clinical_questions.txt").read_text()
    return parse_questions(text)


def parse_questions(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def read_questions(path: Path | None) -> list[str]:
    return default_questions() if path is None else parse_questions(path.read_text("utf-8"))


@dataclass
class WriterFigures:
    """What the LLM writer did over a question set."""

    written: int = 0  # answers whose sections the model wrote
    no_evidence: int = 0  # abstentions and declines: nothing to write from
    fallbacks: Counter[str] = field(default_factory=Counter)  # reason → answers
    proposed: int = 0  # sentences the model wrote
    kept: int = 0  # sentences in the written answers
    kept_verified: int = 0  # of them, verified again against the final references
    dropped: Counter[str] = field(default_factory=Counter)  # reason (its kind) → sentences

    @property
    def precision(self) -> float:
        return self.kept_verified / self.kept if self.kept else 1.0

    @property
    def dropped_share(self) -> float:
        return sum(self.dropped.values()) / self.proposed if self.proposed else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "written": self.written,
            "no_evidence": self.no_evidence,
            "fallbacks": sum(self.fallbacks.values()),
            "fallback_reasons": dict(self.fallbacks.most_common()),
            "sentences_proposed": self.proposed,
            "sentences_kept": self.kept,
            "citation_precision": round(self.precision, 4),
            "dropped_share": round(self.dropped_share, 4),
            "drop_reasons": dict(self.dropped.most_common()),
        }


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
    writer: WriterFigures | None = None

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
            **({"writer": self.writer.to_dict()} if self.writer else {}),
        }


_QUOTE = re.compile(r"“(.+)”")


def check_answer(
    answer: Answer, report: CitationReport, verified: list[bool] | None = None
) -> None:
    """Add one answer's citation facts to ``report``. ``verified`` (for written answers) says,
    item by item, whether each section item passed verification against its references."""
    report.answers += 1
    if answer.bottom_line.verdict is Verdict.INSUFFICIENT:
        report.insufficient += 1
    if answer.references:
        report.answered += 1
    passages = {ref.n: [q.text for q in ref.quotes] for ref in answer.references}
    cited: set[int] = set(answer.bottom_line.citations)
    items = [item for section in answer.sections for item in section.items]
    bottom = answer.bottom_line
    quoted = _QUOTE.search(bottom.text) if bottom.verdict is not None else None
    if bottom.verdict is None and bottom.citations:
        items_texts = [(bottom.text, bottom.citations)]
    elif quoted and bottom.citations:  # a yes/no bottom line quotes its strongest sentence
        items_texts = [(quoted.group(1), bottom.citations)]
    else:
        items_texts = []
    outcomes: list[bool | None] = [None] * len(items_texts)
    outcomes += verified if verified is not None else [None] * len(items)
    items_texts += [(item.text, item.citations) for item in items]
    for (text, numbers), passed in zip(items_texts, outcomes, strict=True):
        report.items += 1
        cited.update(numbers)
        missing = [n for n in numbers if n not in passages]
        report.dangling_citations += len(missing)
        if passed is None:
            passed = bool(numbers) and any(
                _says(quote, text) for n in numbers for quote in passages.get(n, [])
            )
        if passed:
            report.items_grounded += 1
        else:
            report.failures.append(f"{answer.question!r}: {text[:80]!r}")
    report.references += len(answer.references)
    report.uncited_references += len([n for n in passages if n not in cited])


def _says(quote: str, text: str) -> bool:
    """Whether the cited passage holds ``text`` word for word; a statement's grade the bottom
    line adds ("… (USPSTF grade B.)") must follow the statement in the same passage, and the
    ages its note on a patient outside them names (:data:`OUTSIDE_AGES_NOTE`) must be its."""
    if noted := OUTSIDE_AGES_NOTE.search(text):
        text = text[: noted.start()]
        if noted.group("ages") not in text:
            return False
    graded = GRADE.search(text)
    if graded is None or graded.end() != len(text):
        return text in quote
    statement, grade = text[: graded.start()], graded.group(0).strip()
    at = quote.find(statement)
    return at >= 0 and grade in quote[at + len(statement) :]


def evaluate_citations(
    questions: list[str],
    engine: Engine,
    progress: bool = True,
    writer: Callable[[Answer], WriteResult] | None = None,
    llm: LLMSettings | None = None,
) -> CitationReport:
    """Answer every question (and, with ``writer``, write it with the LLM) and check it."""
    report = CitationReport(writer=WriterFigures() if writer else None)
    for question in progress_bar(questions, desc="answers", enabled=progress):
        answer = engine.answer(question, save=False)
        if writer is None or report.writer is None:
            check_answer(answer, report)
            continue
        assert llm is not None, "the writer's settings verify what it wrote"
        result = writer(answer)
        written = result.answer.writer.startswith("llm")
        checks = reverify(result.answer, engine.embedder, llm) if written else None
        check_answer(result.answer, report, checks)
        add_written(report.writer, result, checks)
    return report


def add_written(figures: WriterFigures, result: WriteResult, checks: list[bool] | None) -> None:
    """Add one writer outcome to ``figures`` (``checks``: its items verified again)."""
    figures.proposed += result.proposed
    figures.dropped.update(reason_kind(d.reason) for d in result.answer.dropped)
    if result.fallback is not None:
        figures.fallbacks[reason_kind(result.fallback)] += 1
    elif checks is None:
        figures.no_evidence += 1
    else:
        figures.written += 1
        figures.kept += len(checks)
        figures.kept_verified += sum(checks)


_KINDS = (
    ("cites [", "invented citation"),
    ("number ", "number not in cited passage"),
    ("similarity ", "similarity below threshold"),
    ("word overlap ", "word overlap below threshold"),
    ("negation ", "negation differs"),
    ("section ", "section not in plan"),
    ("no citation", "no citation"),
    ("repeats ", "repeated sentence"),
    ("too short", "too short"),
    ("no cited passage ", "no cited passage supports it"),
)


def reason_kind(reason: str) -> str:
    """A reason without its particulars ("cites [9], which was not given" → invented citation;
    "2 of 7 sentences verified" → too few verified); endpoint failures are kept as they are."""
    for prefix, kind in _KINDS:
        if reason.startswith(prefix):
            return kind
    return "too few verified" if reason.endswith("sentences verified") else reason


def reverify(answer: Answer, embedder: Embedder, llm: LLMSettings) -> list[bool]:
    """A written answer's items verified again, against its final references and numbering
    (an item passes only if every one of its citations supports it on its own)."""
    from medcite.writer.prompt import evidence_passages
    from medcite.writer.verify import Verifier

    evidence = evidence_passages(answer, llm.max_evidence_words)
    verifier = Verifier(evidence, embedder, llm)
    items = [(i.text, i.citations) for section in answer.sections for i in section.items]
    checks = verifier.check_all(items)
    return [c.ok and c.citations == tuple(i[1]) for c, i in zip(checks, items, strict=True)]
