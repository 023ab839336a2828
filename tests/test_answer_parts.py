"""A compound question's later parts: found in the question, each read alone with the
candidates, and each answered under its own heading on the real demo corpus."""

from __future__ import annotations

import pytest

from medcite.answer.engine import Engine
from medcite.answer.model import Verdict
from medcite.answer.parts import PartReading, choose_parts, part_words, question_parts, speaks_to
from medcite.answer.plan import Part
from medcite.answer.sentences import EvidenceSentence
from medcite.index.embeddings import Embedder
from medcite.records import Document, EvidenceType, Hit, Passage
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("How do you do a Tzanck prep and how do you interpret it?", ["How do you interpret it?"]),
        (
            "My mom has advanced kidney disease. Why does phosphorus matter, and which foods are"
            " high in it?",
            ["Which foods are high in it?"],
        ),
        (  # a condition opens the part it conditions; the lead-in stays with the first part
            "Under the USPSTF B recommendation on abnormal blood glucose screening, should I"
            " screen her before 40, and if her result is normal, how often should she be"
            " rescreened?",
            ["If her result is normal, how often should she be rescreened?"],
        ),
        (  # the thing a first part asks of is what a later part's pronoun stands for
            "How is SCA2 diagnosed? Is there a genetic test, and what does it look for?",
            ["What does the genetic test look for?"],
        ),
        (
            "What are the symptoms of lactose intolerance, and how soon after eating dairy do"
            " they start?",
            ["How soon after eating dairy do the symptoms of lactose intolerance start?"],
        ),
        (
            "Does the USPSTF B recommendation on preeclampsia screening apply to a healthy woman"
            " in her third pregnancy, how often should blood pressure be measured, and what"
            " should follow a single elevated reading?",
            ["How often should blood pressure be measured?", "What should follow a single elevated"
             " reading?"],
        ),
    ],
)  # fmt: skip
def test_the_later_parts_of_a_compound_question_are_found(text: str, parts: list[str]) -> None:
    assert [p.question for p in question_parts(text)] == parts


@pytest.mark.parametrize(
    "text",
    [
        "What are the symptoms, causes and treatment of gout?",  # one question of three aspects
        "Does it cause fever, rash, or joint pain?",
        "Should I rest and do stretching exercises every day?",  # "and do" is no new question
        "my daughter keeps scratching down there and has some discharge, what should i do?",
        "If she is pregnant, what should I do?",  # a condition, then the one question
        "Is it safe, and is it?",  # too short to stand alone
        "Tell me about gout.",  # asks nothing with "?"
    ],
)
def test_a_question_that_asks_one_thing_has_no_later_parts(text: str) -> None:
    assert question_parts(text) == ()


def _sentence(n: int, text: str) -> EvidenceSentence:
    document = Document(id=f"d{n}", title="t", evidence_type=EvidenceType.GUIDELINE, source="s")
    passage = Passage(id=f"p{n}", doc_id=f"d{n}", ordinal=0, section=None, text=text)
    return EvidenceSentence(text, passage, document, Hit(1, 1.0, passage, document))


def test_each_part_gets_its_own_best_answer_once() -> None:
    every = _sentence(1, "Blood pressure should be measured at every prenatal visit.")
    repeat = _sentence(2, "If a reading is elevated, it should be confirmed by repeated readings.")
    loose = _sentence(3, "Preeclampsia is a disorder of pregnancy marked by high blood pressure.")
    how_often = PartReading(Part("How often should blood pressure be measured?"))
    then = PartReading(Part("What should follow a single elevated reading?"))
    # "how often" is answered by an interval only, however the reader scores the rest
    how_often.answers = {every.key: 0.85, repeat.key: 0.95, loose.key: 0.1}
    then.answers = {every.key: 0.2, repeat.key: 0.95, loose.key: 0.9}  # no definition
    chosen = choose_parts((how_often, then), [every, repeat, loose], ["Screen all women."], 0.8)
    assert [(part.question, [s.text for s in told]) for part, told in chosen] == [
        (how_often.part.question, [every.text]),
        (then.part.question, [repeat.text]),
    ]
    # what the bottom line shows is not told again, a sentence under the floor is not told, and
    # a part nothing answers is left out
    assert choose_parts((then,), [repeat, loose], [repeat.text], 0.8) == []
    seldom = PartReading(how_often.part, {every.key: 0.3})  # an interval under half the floor
    assert choose_parts((seldom,), [every], [], 0.8) == []
    # the bottom line's grade answers "What grade is it?"; another part's grade must be stated
    grade = PartReading(Part("What grade is it?"), {loose.key: 0.95})
    assert choose_parts((grade,), [loose], ["… every 3 years. (USPSTF grade A.)"], 0.8) == []
    assert choose_parts((grade,), [loose], ["Screen all women."], 0.8) == []
    # a part that asks what something is may be answered by a definition
    what = PartReading(Part("What is preeclampsia?"), {loose.key: 0.9})
    assert choose_parts((what,), [loose], [], 0.8) == [(what.part, [loose])]


@pytest.mark.parametrize(
    ("part", "sentence", "speaks"),
    [
        ("Will she need a pacemaker?", "Heart block occurs if the signal is slowed.", False),
        ("Will cerebral palsy get worse as he grows?", "Cerebral palsy happens when …", False),
        ("Should I tell my doctor?", "You may be embarrassed to talk about it.", False),
        (
            "If her result is normal, how often should she be rescreened?",
            "Rescreening every 3 years may be reasonable for adults with normal glucose.",
            True,
        ),
        ("Did we pass it on to her?", "It does not pass from parent to child.", True),
        ("Can it come back after it's removed?", "They often come back after treatment.", True),
    ],
)
def test_an_item_says_what_its_part_asks_of(part: str, sentence: str, speaks: bool) -> None:
    assert speaks_to(part_words(part, frozenset({"cerebral palsy"})), sentence) is speaks


@pytest.fixture(scope="module")
def engine(demo_store: SQLiteStore, embedder: Embedder) -> Engine:
    return Engine(demo_store, Settings(), embedder=embedder)


@pytest.mark.sqlite_only
def test_each_part_of_a_named_statement_question_is_answered_under_its_own_heading(
    engine: Engine,
) -> None:
    # set CB abstained: read whole, the question scored the statement's service lines under 0.1
    answer = engine.answer(
        "Does the USPSTF B recommendation on preeclampsia screening apply to a healthy woman in"
        " her third pregnancy with no prior complications, how often should blood pressure be"
        " measured, and what should follow a single elevated reading?",
        save=False,
    )
    assert "recommends screening for preeclampsia" in answer.bottom_line.text
    headed = {section.heading: section.items[0].text for section in answer.sections}
    assert "each prenatal care visit" in headed["How often should blood pressure be measured?"]
    assert "confirmed with repeated" in headed["What should follow a single elevated reading?"]


@pytest.mark.sqlite_only
def test_a_story_asks_whether_it_is_inherited_and_the_chance(engine: Engine) -> None:
    # set CB: "Uncertain" although both pages say "inherited in an autosomal dominant manner"
    answer = engine.answer(
        "My mother was diagnosed with HERNS (hereditary endotheliopathy, retinopathy,"
        " nephropathy, and stroke). Is it inherited, and what is the chance I have it?",
        save=False,
    )
    assert answer.bottom_line.verdict is Verdict.YES
    assert "autosomal dominant" in answer.bottom_line.text
    headed = {section.heading: section.items[0].text for section in answer.sections}
    assert "50% (1 in 2) chance" in headed["What is the chance I have it?"]
