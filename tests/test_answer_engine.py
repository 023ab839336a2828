"""The answer engine over the real demo corpus: structure and citation invariants, abstention,
audiences, follow-ups, safety and the JSON contract — checked as properties, not frozen prose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medcite.answer.engine import Engine, asks_handling
from medcite.answer.model import Answer, Audience, SectionKind, Verdict
from medcite.answer.render import to_markdown
from medcite.answer.safety import UNNAMED_NOTICE
from medcite.answer.storage import AnswerStore
from medcite.appraise.snapshot import FIELDS as SNAPSHOT_FIELDS
from medcite.errors import InputError
from medcite.eval.citations import CitationReport, check_answer, default_questions
from medcite.eval.readability import evaluate_readability
from medcite.index.embeddings import Embedder
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore

B12 = "Can vitamin B12 deficiency cause leukopenia?"


@pytest.fixture(scope="module")
def engine(
    demo_store: SQLiteStore, embedder: Embedder, tmp_path_factory: pytest.TempPathFactory
) -> Engine:
    answers = AnswerStore(tmp_path_factory.mktemp("answers") / "answers.sqlite")
    return Engine(demo_store, Settings(), embedder=embedder, answers=answers)


def assert_invariants(answer: Answer) -> None:
    report = CitationReport()
    check_answer(answer, report)
    assert report.failures == [], report.failures
    assert report.uncited_references == 0 and report.dangling_citations == 0
    numbers = [ref.n for ref in answer.references]
    assert numbers == list(range(1, len(numbers) + 1))
    order: list[int] = []
    for n in [*answer.bottom_line.citations] + [
        n for section in answer.sections for item in section.items for n in item.citations
    ]:
        if n not in order:
            order.append(n)
    assert order == numbers, "references are numbered in order of first citation"
    for section in answer.sections:
        assert section.items and section.kind in SectionKind
        if section.heading in ("Diagnosis", "Treatment"):
            assert section.kind is SectionKind.STEPS


QUESTIONS = [
    B12,
    "How should opioids be tapered in patients on long-term opioid therapy for chronic pain?",
    "What are the recommended screening intervals for cervical cancer?",
    "What are the symptoms of concussion?",
    "How is sickle cell disease managed in adults?",
    "What causes carpal tunnel syndrome?",
    "Is zinc supplementation effective for diarrhoea in children?",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_answers_keep_the_citation_invariants(engine: Engine, question: str) -> None:
    answer = engine.answer(question, save=False)
    assert_invariants(answer)
    if answer.bottom_line.verdict is not Verdict.INSUFFICIENT:
        # a cited bottom line may stand alone: sections only hold what answers their question
        assert answer.references and answer.bottom_line.citations


def test_yes_no_question_gets_verdict_strength_and_meter(engine: Engine) -> None:
    answer = engine.answer(
        "Is zinc supplementation effective for diarrhoea in children?", save=False
    )
    assert answer.bottom_line.verdict in set(Verdict)
    assert answer.evidence_meter is not None
    if answer.bottom_line.verdict is not Verdict.INSUFFICIENT:
        assert answer.bottom_line.citations and answer.bottom_line.text
    if answer.bottom_line.verdict in (Verdict.YES, Verdict.NO):
        assert answer.bottom_line.strength is not None


def test_b12_leukopenia_is_not_overclaimed(engine: Engine) -> None:
    # The shipped corpus links B12 deficiency to anaemia, not to leukopenia: no confident "yes".
    answer = engine.answer(B12, save=False)
    assert answer.question_type.value == "cause"
    # No shipped source names leukopenia (or low white cells) next to B12: the honest answer.
    assert answer.bottom_line.verdict is Verdict.UNCERTAIN, answer.bottom_line
    assert "none of them mentions leukopenia" in answer.bottom_line.text


def test_non_yes_no_question_has_no_verdict(engine: Engine) -> None:
    answer = engine.answer("What are the symptoms of concussion?", save=False)
    assert answer.bottom_line.verdict in (None, Verdict.INSUFFICIENT)
    assert answer.evidence_meter is None


def test_no_good_evidence_means_abstention(engine: Engine) -> None:
    answer = engine.answer("What is the dose of zuranolone for postpartum depression?", save=False)
    assert answer.bottom_line.verdict is Verdict.INSUFFICIENT
    assert answer.references == () and answer.sections == ()
    assert "zuranolone" in answer.bottom_line.text.lower()


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("Is lecanemab effective for early Alzheimer disease?", "lecanemab"),
        ("What is the recommended dose of fezolinetant for hot flashes?", "fezolinetant"),
    ],
)
def test_a_word_the_corpus_never_saw_means_abstention(
    engine: Engine, question: str, unknown: str
) -> None:
    # The corpus has Alzheimer treatment pages and hot-flash trials, but never these drugs:
    # answering from them would answer another question.
    answer = engine.answer(question, save=False)
    assert answer.bottom_line.verdict is Verdict.INSUFFICIENT
    assert unknown in answer.bottom_line.text and answer.references == ()


def test_subject_and_target_only_in_different_sources_is_not_a_yes(engine: Engine) -> None:
    # Semaglutide trials and alcohol-use-disorder guidelines exist, but no source links them.
    answer = engine.answer("Does semaglutide reduce alcohol use disorder?", save=False)
    assert answer.bottom_line.verdict is Verdict.UNCERTAIN
    assert "does not mention alcohol use disorder" in answer.bottom_line.text
    assert_invariants(answer)


def test_patient_answer_reads_easier_and_glosses_jargon(engine: Engine) -> None:
    question = "What are the symptoms of sickle cell disease?"
    clinician = engine.answer(question, Audience.CLINICIAN, save=False)
    patient = engine.answer(question, Audience.PATIENT, save=False)
    assert_invariants(patient)
    assert patient.reading_grade is not None and clinician.reading_grade is not None
    assert patient.reading_grade <= clinician.reading_grade
    assert patient.references[0].evidence_type.value == "consumer_health"


def test_patient_answers_mostly_read_at_grade_8(engine: Engine) -> None:
    # Extractive sentences cannot be rewritten: patient answers keep to sentences at grade <= 8
    # when at least two of them speak to the question. Measured on the first 20 shipped
    # questions: 70 % of answers at or below grade 8, median 6.1 (all 50: 72 %, median 6.1).
    questions = default_questions()[:20]
    report = evaluate_readability(questions, engine, Audience.PATIENT, progress=False)
    assert len(report.grades) + report.without_text == len(questions)
    assert report.share_at_target >= 0.6, sorted(report.grades)
    assert report.median is not None and report.median <= 8.0
    clinician = evaluate_readability(questions[:5], engine, Audience.CLINICIAN, progress=False)
    assert clinician.median is not None and clinician.median > 8.0  # the measure discriminates


def test_follow_up_resolves_against_the_earlier_question(engine: Engine) -> None:
    first = engine.answer(B12)
    follow = engine.answer("What dose?", follow_up_of=first.id)
    assert follow.follow_up_of == first.id
    assert follow.resolved_question and "b12" in follow.resolved_question.lower()
    assert_invariants(follow)


def test_unknown_follow_up_id_is_an_input_error(engine: Engine) -> None:
    with pytest.raises(InputError):
        engine.answer("what dose?", follow_up_of="no-such-answer")


def test_answers_are_stored_and_related_questions_offered(engine: Engine) -> None:
    first = engine.answer("What causes carpal tunnel syndrome?")
    assert engine.answers is not None
    stored = engine.answers.get(first.id)
    assert stored is not None and stored["question"] == first.question
    later = engine.answer("How is carpal tunnel syndrome treated?")
    assert later.related_questions
    assert all(q.lower() != later.question.lower() for q in later.related_questions)


@pytest.mark.parametrize("bad", ["", "   ", "x" * 1001, "what\x00is this"])
def test_unusable_input_is_a_clear_error(engine: Engine, bad: str) -> None:
    with pytest.raises(InputError):
        engine.answer(bad, save=False)


def test_emergency_gets_urgent_notice_first(engine: Engine) -> None:
    answer = engine.answer("I have crushing chest pain right now", save=False)
    assert answer.safety.emergency and answer.safety.notice


def test_an_emergency_told_before_the_question_gets_the_notice(engine: Engine) -> None:
    # set BH: the condensed question ("What is a diazepam overdose …?") left out the story
    answer = engine.answer(
        "My teenage son may have swallowed a handful of my Valium (diazepam) pills. What is a"
        " diazepam overdose, and what symptoms should I watch for while I call for help?",
        save=False,
    )
    assert answer.safety.emergency
    assert answer.safety.notice is not None and "Poison Control" in answer.safety.notice


@pytest.mark.parametrize("text", ["How is it treated?", "What causes this condition?"])
def test_a_question_pointing_at_nothing_asks_what_it_is_about(engine: Engine, text: str) -> None:
    # answered with whatever page came first (botulism's antitoxin, fish-eye disease)
    answer = engine.answer(text, save=False)
    assert answer.bottom_line.text == UNNAMED_NOTICE and answer.references == ()
    assert answer.safety.notice == UNNAMED_NOTICE and not answer.safety.out_of_scope
    # a follow-up is read with what it follows first: its thing is named
    follow = engine.answer("How is it treated?", follow_up_of=engine.answer(B12).id)
    assert follow.bottom_line.text != UNNAMED_NOTICE


def test_non_medical_question_is_declined(engine: Engine) -> None:
    answer = engine.answer("What is the capital of France?", save=False)
    assert answer.safety.out_of_scope and answer.references == ()
    assert answer.safety.notice


def test_json_contract(engine: Engine) -> None:
    data = json.loads(json.dumps(engine.answer(B12, save=False).to_dict()))
    assert {
        "id",
        "question",
        "audience",
        "question_type",
        "bottom_line",
        "evidence_meter",
        "sections",
        "references",
        "reading_grade",
        "safety",
        "related_questions",
        "suggested_follow_ups",
        "timings_ms",
    } <= set(data)
    assert set(data["bottom_line"]) == {"verdict", "strength", "text", "citations"}
    assert set(data["safety"]) == {"emergency", "out_of_scope", "notice"}
    for ref in data["references"]:
        assert {
            "n",
            "doc_id",
            "title",
            "journal",
            "year",
            "evidence_type",
            "pmid",
            "doi",
            "url",
            "quotes",
        } <= set(ref)
        assert all(set(q) == {"passage_id", "text"} for q in ref["quotes"])
        assert set(ref["snapshot"]) == set(SNAPSHOT_FIELDS)


def test_every_snapshot_value_is_a_span_of_its_source(engine: Engine) -> None:
    """A reference's study snapshot says only what its document says, word for word."""
    seen = 0
    for question in (B12, "Does aspirin prevent colorectal cancer?", "How is asthma treated?"):
        for ref in engine.answer(question, save=False).to_dict()["references"]:
            document = engine.store.documents([ref["doc_id"]])[ref["doc_id"]]
            texts = [document.title, *document.publication_types]
            texts += [p.text for p in engine.store.passages_of(ref["doc_id"])]
            for value in ref["snapshot"].values():
                if value is not None:
                    seen += 1
                    assert any(value in text for text in texts), (ref["doc_id"], value)
    assert seen > 0, "no snapshot value at all: nothing was checked"


def test_the_markdown_view_shows_each_references_snapshot(engine: Engine) -> None:
    answer = engine.answer("Does aspirin prevent colorectal cancer?", save=False)
    lines = [r.snapshot.line() for r in answer.references if r.snapshot is not None]
    text = to_markdown(answer)
    assert any(lines) and all(f"   _{line}_" in text for line in lines if line)


def test_citation_check_is_100_percent_on_the_shipped_questions(engine: Engine) -> None:
    report = CitationReport()
    for question in default_questions():
        check_answer(engine.answer(question, save=False), report)
    assert report.answers == 50
    assert report.grounded_share == 1.0, report.failures
    assert report.uncited_references == 0 and report.dangling_citations == 0


def test_a_bottom_lines_grade_is_grounded_only_after_its_statement() -> None:
    from medcite.eval.citations import _says

    passage = (
        "The USPSTF recommends that clinicians screen for IPV. See the Clinical Considerations"
        " section. (USPSTF grade B.)"
    )
    assert _says(passage, "The USPSTF recommends that clinicians screen for IPV. (USPSTF grade B.)")
    assert not _says(
        passage, "The USPSTF recommends that clinicians screen for IPV. (USPSTF grade A.)"
    )
    assert not _says(
        "(USPSTF grade B.) The USPSTF recommends screening.",
        "The USPSTF recommends screening. (USPSTF grade B.)",
    )
    assert not _says(passage, "Clinicians screen for IPV.")
    aged = "The USPSTF recommends screening in adults aged 18 to 79 years. (USPSTF grade B.)"
    noted = " This statement is for those aged 18 to 79 years; the patient asked about is 82."
    assert _says(aged, aged + noted)  # the note's ages are the statement's
    assert not _says(aged, aged + noted.replace("18 to 79", "18 to 89"))


@pytest.mark.sqlite_only
def test_a_statement_whose_ages_leave_out_the_patient_says_so(engine: Engine) -> None:
    """Set BC: "… cover a 79-year-old …?" was answered by the statement for ages 65 to 75
    alone, which a reviewer found never said that she is not of its ages."""
    answer = engine.answer(
        "Does the USPSTF I statement on AAA screening in women aged 65 to 75 who have ever"
        " smoked or have a family history of AAA cover a 79-year-old former smoker?",
        save=False,
    )
    assert answer.bottom_line.verdict is None
    assert answer.bottom_line.text.endswith(
        "(USPSTF grade I.) This statement is for those aged 65 to 75 years; the patient asked"
        " about is 79."
    )
    report = CitationReport()
    check_answer(answer, report)
    assert report.grounded_share == 1.0, report.failures
    # nor padded with the statements for men or for women who never smoked (a reviewer's
    # "all items concern other populations")
    shown = [item.text for section in answer.sections for item in section.items]
    assert not [text for text in shown if " men " in text or "never smoked" in text], shown
    within = engine.answer(  # her age is of the statement's: nothing to add (set BF: a note
        # saying so read as if the statement applied whatever else the question told)
        "Does the USPSTF I statement on AAA screening in women aged 65 to 75 who have ever"
        " smoked cover a 70-year-old former smoker?",
        save=False,
    )
    assert "the patient asked about" not in within.bottom_line.text


def test_cli_ask_json_error_object(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "medcite.cli",
            "--db",
            str(tmp_path / "none.sqlite"),
            "ask",
            "   ",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "empty_question" and error["message"]


def test_a_gloss_can_say_what_makes_a_question_medical(engine: Engine) -> None:
    # MEDIQA RQE: the brand name is unknown, the parenthesis says what it is
    answer = engine.answer("What is Genora (possible estrogen)?", save=False)
    assert not answer.safety.out_of_scope


def test_handling_a_medicine_is_asked_in_its_own_words() -> None:
    assert asks_handling("how should i store my iron pills?")
    assert asks_handling("I forgot to take my nitrofurantoin last night")
    assert asks_handling("my mom took an extra dose by mistake")
    assert not asks_handling("What is the dose of amoxicillin for otitis media?")
