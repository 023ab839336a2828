"""``write``: the extractive Answer in, a written Answer (or the extractive one, saying why) out.

The extractive answer supplies everything the model may use: its references' quotes are the
numbered evidence, its section headings the plan, its question and audience the brief. The
bottom line (verdict, strength, text, citations) and the evidence meter stay the engine's; only
the sections are written. Sentences that fail verification go to ``Answer.dropped`` with the
reason; references no remaining sentence (or the bottom line) cites are removed and the rest
renumbered in order of first citation, citations remapped. If too little survives, or the
endpoint fails, the extractive answer is returned with ``writer`` naming the fallback."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from medcite.answer.audience import reading_grade
from medcite.answer.model import Answer, AnswerSection, DroppedSentence, Item
from medcite.index.embeddings import Embedder
from medcite.settings import Settings
from medcite.writer.client import ChatClient, WriterError
from medcite.writer.prompt import (
    Proposed,
    evidence_passages,
    messages,
    parse_reply,
    reply_schema,
)
from medcite.writer.verify import Verifier

NO_EVIDENCE = "extractive (no evidence to write from)"


@dataclass(frozen=True)
class WriteResult:
    """The answer and what happened on the way (for ``medcite eval citations --writer llm``)."""

    answer: Answer
    proposed: int  # sentences the model wrote
    kept: int  # of them, in the answer
    fallback: str | None  # why the answer stayed extractive, if it did


def write(
    answer: Answer, settings: Settings, embedder: Embedder, client: ChatClient | None = None
) -> Answer:
    """The written answer, or ``answer`` itself with ``writer`` saying why it stayed extractive."""
    return write_with_report(answer, settings, embedder, client).answer


def write_with_report(
    answer: Answer, settings: Settings, embedder: Embedder, client: ChatClient | None = None
) -> WriteResult:
    started = time.perf_counter()
    if not answer.references or not answer.sections:
        return WriteResult(dataclasses.replace(answer, writer=NO_EVIDENCE), 0, 0, None)
    evidence = evidence_passages(answer, settings.llm.max_evidence_words)
    try:
        own = client is None
        chat = client or ChatClient(settings.llm)
        try:
            proposed = parse_reply(chat.complete(messages(answer, evidence), reply_schema(answer)))
        finally:
            if own:
                chat.close()
    except WriterError as exc:
        return _fallback(answer, exc.reason, (), 0, started)
    if not proposed:
        return _fallback(answer, "no sentences", (), 0, started)
    verifier = Verifier(evidence, embedder, settings.llm)
    checks = verifier.check_all([(p.text, p.citations) for p in proposed])
    proposed = [  # citations that do not support a sentence on their own are removed
        dataclasses.replace(p, citations=check.citations) if check.ok else p
        for p, check in zip(proposed, checks, strict=True)
    ]
    kept, dropped = _sort(answer, proposed, [check.reason for check in checks])
    count = sum(len(v) for v in kept.values())
    if count == 0 or count / len(proposed) < settings.llm.min_kept_share:
        why = f"{count} of {len(proposed)} sentences verified"
        return _fallback(answer, why, dropped, len(proposed), started)
    written = _assemble(answer, kept, tuple(dropped), chat.model)
    timings = _timings(answer, started)
    return WriteResult(dataclasses.replace(written, timings_ms=timings), len(proposed), count, None)


def _sort(
    answer: Answer, proposed: list[Proposed], reasons: list[str | None]
) -> tuple[dict[str, list[Proposed]], tuple[DroppedSentence, ...]]:
    """Verified sentences by (case-folded) heading, and the rest with why they were dropped."""
    headings = {section.heading.casefold() for section in answer.sections}
    kept: dict[str, list[Proposed]] = {}
    dropped: list[DroppedSentence] = []
    seen: set[str] = set()
    for sentence, reason in zip(proposed, reasons, strict=True):
        heading = sentence.heading.casefold()
        if reason is None and heading not in headings:
            reason = f"section {sentence.heading!r} is not in the plan"
        if reason is None and sentence.text.casefold() in seen:
            reason = "repeats an earlier sentence"
        if reason is not None:
            dropped.append(DroppedSentence(sentence.text, sentence.citations, reason))
            continue
        seen.add(sentence.text.casefold())
        kept.setdefault(heading, []).append(sentence)
    return kept, tuple(dropped)


def _timings(answer: Answer, started: float) -> dict[str, float]:
    return {**answer.timings_ms, "write": round((time.perf_counter() - started) * 1000, 1)}


def _fallback(
    answer: Answer,
    reason: str,
    dropped: tuple[DroppedSentence, ...],
    proposed: int,
    started: float,
) -> WriteResult:
    fallback = dataclasses.replace(
        answer,
        writer=f"extractive (fallback: {reason})",
        dropped=dropped,
        timings_ms=_timings(answer, started),
    )
    return WriteResult(fallback, proposed, 0, reason)


def _assemble(
    answer: Answer,
    kept: dict[str, list[Proposed]],
    dropped: tuple[DroppedSentence, ...],
    model: str,
) -> Answer:
    """Sections in the plan's order, references renumbered by first citation."""
    order: dict[int, int] = {}

    def renumber(numbers: tuple[int, ...]) -> tuple[int, ...]:
        for n in numbers:
            order.setdefault(n, len(order) + 1)
        return tuple(sorted({order[n] for n in numbers}))

    bottom = dataclasses.replace(
        answer.bottom_line, citations=renumber(answer.bottom_line.citations)
    )
    sections: list[AnswerSection] = []
    for section in answer.sections:
        sentences = kept.get(section.heading.casefold(), [])
        if sentences:
            items = tuple(Item(s.text, renumber(s.citations)) for s in sentences)
            sections.append(AnswerSection(section.heading, section.kind, items))
    references = tuple(
        dataclasses.replace(ref, n=order[ref.n])
        for ref in sorted(answer.references, key=lambda r: order.get(r.n, 0))
        if ref.n in order
    )
    texts = ([bottom.text] if bottom.verdict is None else []) + [
        item.text for section in sections for item in section.items
    ]
    return dataclasses.replace(
        answer,
        bottom_line=bottom,
        sections=tuple(sections),
        references=references,
        reading_grade=reading_grade(texts),
        writer=f"llm ({model})",
        dropped=dropped,
    )
