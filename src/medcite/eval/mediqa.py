"""``medcite eval mediqa``: MEDIQA 2019 question answering (task 3). Every candidate answer of a
file goes into one fresh index, each question is asked, and the answer MedCite cites first is
looked up in NLM's judgements: precision at 1 is the share of questions whose first-cited answer
is judged 3 (correct but incomplete) or 4 (excellent). CHiQA's own first answer (SystemRank 1)
is the baseline; "oracle" is the share of questions that have any answer judged 3–4.
"""

from __future__ import annotations

import gzip
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from medcite.answer.read import heading_kind
from medcite.errors import InputError
from medcite.index.build import embed_missing
from medcite.index.embeddings import Embedder, get_embedder
from medcite.ingest.pipeline import IngestReport, ingest_items
from medcite.progress import bar as progress_bar
from medcite.records import Document, EvidenceType, Section, SourceDocument
from medcite.retrieve.vocabulary import load_vocabularies
from medcite.settings import DATA_DIR, Settings
from medcite.store import connect

CORRECT = 3  # ReferenceScore 3 (correct but incomplete) and 4 (excellent) count as correct


@dataclass(frozen=True)
class Candidate:
    aid: str
    url: str
    text: str
    score: int  # ReferenceScore 1..4
    system_rank: int


@dataclass(frozen=True)
class MediqaQuestion:
    qid: str
    text: str
    answers: tuple[Candidate, ...]


@dataclass
class MediqaReport:
    questions: int = 0
    answered: int = 0
    correct_at_1: int = 0
    baseline_correct: int = 0
    oracle: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        n = max(self.questions, 1)
        return {
            "questions": self.questions,
            "answered": round(self.answered / n, 3),
            "precision_at_1": round(self.correct_at_1 / n, 3),
            "precision_at_1_answered": round(self.correct_at_1 / max(self.answered, 1), 3),
            "chiqa_precision_at_1": round(self.baseline_correct / n, 3),
            "oracle": round(self.oracle / n, 3),
        }


def read_mediqa(path: Path) -> list[MediqaQuestion]:
    """The questions of a MEDIQA 2019 task-3 XML file (plain or .gz) with their judged answers."""
    try:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        root = etree.fromstring(data)
    except (OSError, etree.XMLSyntaxError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    out = []
    for question in root.iter("Question"):
        answers = tuple(
            Candidate(
                aid=str(a.get("AID")),
                url=(a.findtext("AnswerURL") or "").strip(),
                text=" ".join((a.findtext("AnswerText") or "").split()),
                score=int(a.get("ReferenceScore") or 0),
                system_rank=int(a.get("SystemRank") or 0),
            )
            for a in question.iter("Answer")
        )
        text = " ".join((question.findtext("QuestionText") or "").split())
        if text and answers:
            out.append(MediqaQuestion(str(question.get("QID")), text, answers))
    if not out:
        raise InputError(f"{path} holds no MEDIQA questions with answers")
    return out


_HEADED = re.compile(r"^.+ \((?P<heading>[^()]+)\)$")
"""A candidate's title that ends in its page section's heading: "Achalasia (Treatment)"."""


def _heading(title: str) -> str | None:
    """The section heading a candidate's title carries, when it is a page kind's heading (not
    a list of synonyms: "Lung cancer (Lung cancer, Cancer - lung)")."""
    match = _HEADED.match(title)
    return match["heading"] if match and heading_kind(match["heading"]) else None


def _documents(questions: list[MediqaQuestion]) -> Iterator[SourceDocument]:
    for question in questions:
        for answer in question.answers:
            head, _, rest = answer.text.partition(": ")
            title = head if rest and len(head) <= 90 else answer.url or answer.aid
            body = rest if rest and len(head) <= 90 else answer.text
            document = Document(
                id=f"mediqa:{answer.aid}",
                title=title,
                evidence_type=EvidenceType.CONSUMER_HEALTH,
                source="mediqa",
                url=answer.url or None,
            )
            yield SourceDocument(document, (Section(_heading(title), body),))


def evaluate_mediqa(
    path: Path,
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    vocabulary: Path | None = DATA_DIR / "vocab",
    progress: bool = True,
) -> MediqaReport:
    from medcite.answer.engine import Engine
    from medcite.answer.model import Verdict

    questions = read_mediqa(path)
    embedder = embedder or get_embedder(settings.embedding)
    report = MediqaReport()
    with (
        tempfile.TemporaryDirectory(prefix="medcite-mediqa-") as tmp,
        connect(settings.store.model_copy(update={"path": Path(tmp) / "mediqa.sqlite"})) as store,
    ):
        ingest_items(store, _documents(questions), settings.chunk, IngestReport())
        if vocabulary is not None and settings.retrieval.synonyms:
            load_vocabularies(store, vocabulary, progress=progress)
        embed_missing(store, embedder, settings.embedding, progress=progress)
        engine = Engine(store, settings, embedder=embedder)
        texts = {f"mediqa:{a.aid}": a.text for q in questions for a in q.answers}
        for question in progress_bar(questions, desc="questions", enabled=progress):
            # the same page is often a candidate of several questions: a copy of one of this
            # question's judged answers is judged as that answer
            by_text = {a.text: a.score for a in question.answers}
            scores = {doc: by_text[text] for doc, text in texts.items() if text in by_text}
            first = min(question.answers, key=lambda a: (a.system_rank, a.aid))
            report.questions += 1
            report.baseline_correct += first.score >= CORRECT
            report.oracle += any(a.score >= CORRECT for a in question.answers)
            answer = engine.answer(question.text, save=False)
            cited = [r.doc_id for r in sorted(answer.references, key=lambda r: r.n)]
            insufficient = answer.bottom_line.verdict is Verdict.INSUFFICIENT
            if cited and not insufficient:
                report.answered += 1
                if scores.get(cited[0], 0) >= CORRECT:
                    report.correct_at_1 += 1
                    continue
            report.misses.append(
                {
                    "qid": question.qid,
                    "question": question.text,
                    "first_cited": cited[0] if cited else None,
                    "judged": scores.get(cited[0]) if cited else None,
                    "bottom_line": answer.bottom_line.text[:200],
                }
            )
    return report
