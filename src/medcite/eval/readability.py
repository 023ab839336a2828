"""``medcite eval readability``: how easy the answers to a question set read for one audience —
the Flesch-Kincaid grade (textstat) of each answer's text, its median, and the share at or
below a target grade (8 for patients: the usual consumer-health goal). Answers that abstain
or decline have no text and no grade; they are counted apart."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from medcite.answer.engine import Engine
from medcite.answer.model import Audience
from medcite.progress import bar as progress_bar

PATIENT_TARGET_GRADE = 8.0
"""The reading grade patient answers aim at (issue 3, section 6)."""


@dataclass
class ReadabilityReport:
    audience: str
    target: float
    grades: list[float] = field(default_factory=list)
    without_text: int = 0

    @property
    def share_at_target(self) -> float:
        return sum(g <= self.target for g in self.grades) / len(self.grades) if self.grades else 0.0

    @property
    def median(self) -> float | None:
        return statistics.median(self.grades) if self.grades else None

    def to_dict(self) -> dict[str, object]:
        median = self.median
        return {
            "audience": self.audience,
            "answers_with_text": len(self.grades),
            "answers_without_text": self.without_text,
            "target_grade": self.target,
            "share_at_or_below_target": round(self.share_at_target, 4),
            "median_grade": round(median, 1) if median is not None else None,
            "max_grade": max(self.grades) if self.grades else None,
        }


def evaluate_readability(
    questions: list[str],
    engine: Engine,
    audience: Audience = Audience.PATIENT,
    target: float = PATIENT_TARGET_GRADE,
    progress: bool = True,
) -> ReadabilityReport:
    report = ReadabilityReport(audience.value, target)
    for question in progress_bar(questions, desc=f"{audience.value} answers", enabled=progress):
        grade = engine.answer(question, audience, save=False).reading_grade
        if grade is None:
            report.without_text += 1
        else:
            report.grades.append(grade)
    return report
