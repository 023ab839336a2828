"""Rendering an Answer as Markdown (also what the terminal shows). Rendering comes last:
the Answer holds claims with citation numbers; this only lays them out."""

from __future__ import annotations

from medcite.answer.model import Answer, SectionKind, Verdict

DISCLAIMER = (
    "MedCite is for education and does not replace professional medical advice. "
    "Answers are extracted from the cited sources and are pending human review."
)


def _cites(numbers: tuple[int, ...]) -> str:
    return f" [{', '.join(str(n) for n in numbers)}]" if numbers else ""


def to_markdown(answer: Answer) -> str:
    lines: list[str] = [f"# {answer.question}", ""]
    if answer.resolved_question:
        lines += [f"_Understood as: {answer.resolved_question}_", ""]
    if answer.showing_results_for:
        lines += [f"_Showing results for: {answer.showing_results_for}_", ""]
    if answer.safety.notice:
        lines += [f"> **{answer.safety.notice}**", ""]
    bottom = answer.bottom_line
    label = "Bottom line"
    if bottom.verdict is not None and bottom.verdict is not Verdict.INSUFFICIENT:
        strength = f", {bottom.strength.value} evidence" if bottom.strength else ""
        label = f"Bottom line — {bottom.verdict.value}{strength}"
    if bottom.text:
        lines += [f"**{label}:** {bottom.text}{_cites(bottom.citations)}", ""]
    if answer.evidence_meter and any(vars(answer.evidence_meter).values()):
        meter = answer.evidence_meter
        lines += [
            f"Evidence meter: {meter.supports} support · {meter.contradicts} contradict · "
            f"{meter.neutral} neutral",
            "",
        ]
    for section in answer.sections:
        lines += [f"## {section.heading}", ""]
        for index, item in enumerate(section.items, start=1):
            text = f"{item.text}{_cites(item.citations)}"
            if section.kind is SectionKind.STEPS:
                lines.append(f"{index}. {text}")
            elif section.kind is SectionKind.BULLETS:
                lines.append(f"- {text}")
            else:
                lines += [text, ""]
        lines.append("")
    if answer.glossary:
        lines += ["## Words to know", ""]
        lines += [f"- **{g.term}**: {g.plain} _({g.source})_" for g in answer.glossary]
        lines.append("")
    if answer.references:
        lines += ["## References", ""]
        for ref in answer.references:
            ids = [f"PMID {ref.pmid}" if ref.pmid else "", f"doi:{ref.doi}" if ref.doi else ""]
            ids += [f"set ID {ref.set_id}" if ref.set_id else "", ref.url or ""]
            where = ", ".join(p for p in (ref.journal or "", ref.date or str(ref.year or "")) if p)
            meta = "; ".join(p for p in [where, *ids] if p)
            lines.append(f"{ref.n}. {ref.title} — {meta} [{ref.evidence_type.label}]")
            study = ref.snapshot.line() if ref.snapshot is not None else ""
            lines += [f"   _{line}_" for line in (study, *(n.text for n in ref.notices)) if line]
        lines.append("")
    for heading, values in (
        ("Related questions", answer.related_questions),
        ("Suggested follow-ups", answer.suggested_follow_ups),
    ):
        if values:
            lines += [f"## {heading}", "", *(f"- {v}" for v in values), ""]
    if answer.reading_grade is not None:
        lines.append(f"_Reading grade {answer.reading_grade} · audience: {answer.audience.value}_")
    if answer.writer.startswith("llm"):
        lines.append(
            f"_Written by {answer.writer}; every sentence verified against the passage it cites "
            f"({len(answer.dropped)} dropped)._"
        )
    lines += [f"_Answer id {answer.id} · {DISCLAIMER}_", ""]
    return "\n".join(lines)
