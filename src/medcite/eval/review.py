"""``medcite eval review-sheet``: a question set's answers laid out for a human review with the
rubric of ``shared/eval/answer-review.md`` — per question the verdict and strength, the bottom
line with its citation numbers, every item numbered with its heading, and the references — and
nothing a reviewer should not see (no scores, no expected answers)."""

from __future__ import annotations

from collections.abc import Iterable

from medcite.answer.model import Answer


def sheet(answers: Iterable[Answer]) -> str:
    return "\n".join(entry(i, answer) for i, answer in enumerate(answers, 1))


def entry(number: int, answer: Answer) -> str:
    bottom = answer.bottom_line
    verdict = bottom.verdict.value if bottom.verdict else "—"
    strength = bottom.strength.value if bottom.strength else "—"
    lines = [
        f"## Q{number}. {answer.question}",
        f"Verdict: {verdict} · strength: {strength}",
        f"Bottom line: {bottom.text} {_cites(bottom.citations)}".rstrip(),
    ]
    if answer.safety.notice:  # the page shows it above the answer (set AH's reviewers judged
        lines.insert(1, f"Notice: {answer.safety.notice}")  # overdoses without it)
    if answer.showing_results_for:  # and so it shows the question as answered
        lines.insert(1, f"Showing results for: {answer.showing_results_for}")
    item = 0
    for section in answer.sections:
        for it in section.items:
            item += 1
            lines.append(f"{item}. [{section.heading}] {it.text} {_cites(it.citations)}")
    if answer.references:
        lines.append("References:")
    for ref in answer.references:
        where = ", ".join(str(x) for x in (ref.journal, ref.date or ref.year) if x)
        if ref.set_id:  # a drug label: which label, across its versions
            where += f", set ID {ref.set_id}"
        stance = f" · {ref.stance.value}" if ref.stance else ""
        lines.append(
            f"  [{ref.n}] {ref.title} — {where or 'n.d.'} · {ref.evidence_type.label}{stance}"
        )
    return "\n".join(lines) + "\n"


def refused(number: int, question: str, reason: str) -> str:
    """The entry of a question the engine turns away as input ("Your question is 1,165
    characters long …"): what the asker is told, for the reviewer to judge too."""
    return f"## Q{number}. {question}\nRefused: {reason}\n"


def _cites(numbers: tuple[int, ...]) -> str:
    return f"[{', '.join(str(n) for n in numbers)}]" if numbers else ""
