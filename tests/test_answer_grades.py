"""What a USPSTF grade means is told from a rating scheme that defines it."""

from __future__ import annotations

import pytest

from medcite.answer.engine import Engine
from medcite.answer.grades import asked_grade, asks_grade_meaning, grade_of, meaning
from medcite.answer.sentences import EvidenceSentence
from medcite.index.embeddings import Embedder
from medcite.records import Document, EvidenceType, Hit, Passage
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore


@pytest.fixture(scope="module")
def engine(demo_store: SQLiteStore, embedder: Embedder) -> Engine:
    return Engine(demo_store, Settings(), embedder=embedder)


@pytest.mark.parametrize(
    "text",
    [
        "Does the USPSTF I statement on screening pelvic exams cover her, and does it mean the"
        " exam is not recommended?",
        "What grade does the USPSTF assign to scoliosis screening, and what does that grade"
        " mean for practice?",
        "Does the statement apply to him, and what does an I statement mean?",
        "Should I explain the D versus I grades to her?",
    ],
)
def test_a_question_on_what_a_grade_means_is_told(text: str) -> None:
    assert asks_grade_meaning(text)


@pytest.mark.parametrize(
    "text",
    [
        "Does the USPSTF recommend screening for colorectal cancer at 45?",
        "What is the grade of a sprained ankle?",  # no asking of meaning
        "What does an i mean in a name?",  # a lower-case letter is no grade
    ],
)
def test_other_questions_ask_no_grade_meaning(text: str) -> None:
    assert not asks_grade_meaning(text)


def test_the_grade_a_question_names_is_the_one_told() -> None:
    # set AT: "only a C grade" asked beside the B statement
    assert asked_grade("Why does the USPSTF give only a C grade to statins?") == "C"
    assert asked_grade("Does the USPSTF I statement on ECG screening apply?") == "I"
    assert asked_grade("Is it grade D?") == "D"
    assert asked_grade("Does the USPSTF recommend statins?") is None


def test_a_records_grade_is_its_keyword() -> None:
    assert grade_of(("grade I",)) == "I"
    assert grade_of(["Practice Guideline", "grade D"]) == "D"
    assert grade_of(("evidence",)) is None


def _scheme(*texts: str) -> list[EvidenceSentence]:
    document = Document("g", "A rating scheme", EvidenceType.GUIDELINE, "VA/DoD")
    passage = Passage("g#0", "g", 0, "RATING SCHEME", " ".join(texts))
    hit = Hit(1, 1.0, passage, document)
    return [EvidenceSentence(t, passage, document, hit) for t in texts]


def test_a_grades_meaning_is_its_definition_and_what_follows_it() -> None:
    scheme = _scheme(
        "C The USPSTF recommends selectively offering or providing this service.",
        "There is at least moderate certainty that the net benefit is small.",
        "D The USPSTF recommends against the service.",
        "There is moderate or high certainty that the service has no net benefit.",
        "Discourage the use of this service.",
        "I Statement The USPSTF concludes that the current evidence is insufficient.",
    )
    told = [s.text for s in meaning("D", scheme)]
    assert told == [
        "D The USPSTF recommends against the service.",
        "There is moderate or high certainty that the service has no net benefit.",
    ]
    assert [s.text for s in meaning("I", scheme)] == [
        "I Statement The USPSTF concludes that the current evidence is insufficient."
    ]  # the scheme ends: nothing follows
    assert meaning("B", scheme) == []


@pytest.mark.sqlite_only
def test_an_i_statements_meaning_follows_the_statement(engine: Engine) -> None:
    """Set BU: "does it mean the exam is not recommended?" was answered by the I statement
    alone, which never says what an I grade means."""
    answer = engine.answer(
        "Asymptomatic 72-year-old woman, not at increased risk, asks for her yearly internal"
        " exam to check for ovarian cancer. Does the USPSTF I statement on screening pelvic"
        " exams cover her, and does it mean the exam is not recommended?",
        save=False,
    )
    items = [item.text for section in answer.sections for item in section.items]
    assert "screening pelvic examinations" in answer.bottom_line.text
    assert items[0].startswith("I Statement The USPSTF concludes that the current evidence")
    assert "cannot be determined" in items[1]
    cited = {r.title for r in answer.references}
    assert any("USPSTF" not in title for title in cited)  # the scheme's own guideline


@pytest.mark.sqlite_only
def test_a_statement_asked_nothing_of_its_grade_tells_no_meaning(engine: Engine) -> None:
    answer = engine.answer(
        "Does the USPSTF I statement on screening pelvic exams cover a 72-year-old woman?",
        save=False,
    )
    items = [item.text for section in answer.sections for item in section.items]
    assert not [i for i in items if i.startswith("I Statement")]
