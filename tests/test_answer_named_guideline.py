"""A guideline a question names by who wrote it and on what answers it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from medcite.answer.engine import Engine
from medcite.answer.named_guideline import (
    asked_words,
    in_turn,
    named_documents,
    named_guideline,
    names,
    narrower_name,
    recommendations_for,
    recommends_here,
    specific_words,
    stems,
    suggests,
    weighed,
)
from medcite.index.embeddings import Embedder
from medcite.records import Document, EvidenceType, Passage
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore


@pytest.fixture(scope="module")
def engine(demo_store: SQLiteStore, embedder: Embedder) -> Engine:
    return Engine(demo_store, Settings(), embedder=embedder)


def _guideline(doc_id: str, title: str, publisher: str) -> Document:
    return Document(
        id=doc_id,
        title=title,
        evidence_type=EvidenceType.GUIDELINE,
        source="ngc",
        journal=publisher,
    )


CKD = _guideline(
    "ngc:1",
    "VA/DoD clinical practice guideline for the management of chronic kidney disease in"
    " primary care",
    "Department of Defense",
)
OA = _guideline(
    "ngc:2",
    "VA/DoD clinical practice guideline for the non-surgical management of hip and knee"
    " osteoarthritis",
    "Department of Defense",
)
SICKLE = _guideline(
    "ngc:3",
    "Health maintenance for people with sickle cell disease",
    "National Heart, Lung, and Blood Institute (U.S.)",
)
LEG = _guideline(
    "ngc:4", "Lower extremity injury medical treatment guidelines", "Colorado Division of Workers'"
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Per the VA/DoD CKD guideline, how much protein?", ("va", "dod", "ckd")),
        (
            "Under the Colorado lower extremity injury guideline, is a brace covered?",
            ("colorado", "lower", "extremity", "injury"),
        ),
        ("Does the NHLBI sickle cell guideline advise it?", ("nhlbi", "sickle", "cell")),
        # set BD: "Per the CDC guidance …" named none, and the USPSTF's statement answered
        (
            "Per the CDC guidance for health-care personnel, should she get HBIG now?",
            ("cdc",),
        ),
        # set CF: "Per the Washington L&I shoulder guide" was read as no guideline, and an
        # unrelated trial answered
        (
            "Per the Washington L&I shoulder guide, what change fits a small improvement?",
            ("washington", "l", "shoulder"),
        ),
        ("Does the guidance say so?", None),
        ("Is there a guide to this?", None),
        # the version of a guideline, or the USPSTF's statements, name none here
        ("Do the current guidelines recommend it?", None),
        ("Per the USPSTF guideline, should she be screened?", None),
        ("What is the treatment of gout?", None),
    ],
)
def test_a_guideline_is_named_by_who_wrote_it_and_on_what(
    text: str, words: tuple[str, ...] | None
) -> None:
    assert named_guideline(text) == words


def test_a_name_is_held_by_a_title_and_publisher_by_initials_or_short_forms() -> None:
    assert names(("va", "dod", "ckd"), CKD)
    assert names(("va", "dod", "hip", "knee", "oa"), OA)
    assert names(("nhlbi", "health", "maintenance"), SICKLE)
    assert names(("colorado", "lower", "extremity", "injury"), LEG)
    assert not names(("va", "dod", "ckd"), OA)
    assert not names(("colorado", "shoulder", "injury"), LEG)
    shoulder = _guideline(
        "ngc:5",
        "Conservative care options for work-related mechanical shoulder conditions",
        "Washington State Department of Labor and Industries",
    )
    assert names(("washington", "l", "shoulder"), shoulder)  # "L&I": labor and industries
    # a consumer page is no guideline, whatever its title says
    page = Document(
        id="p",
        title="VA/DoD chronic kidney disease",
        evidence_type=EvidenceType.CONSUMER_HEALTH,
        source="medquad",
    )
    assert not names(("va", "dod", "ckd"), page)


def test_a_name_that_holds_for_many_guidelines_names_none() -> None:
    many = [
        _guideline(f"ngc:{i}", f"VA/DoD clinical practice guideline for topic {i}", "DoD")
        for i in range(6)
    ]
    assert named_documents("Per the VA/DoD guideline, what should I do?", many) == frozenset()
    assert named_documents("Per the VA/DoD CKD guideline, what?", [CKD, OA]) == {"ngc:1"}


def test_each_part_asked_is_answered_before_one_is_answered_again() -> None:
    # set AP: three statements on long-term opioids, none on the benzodiazepine asked of
    asked = asked_words(
        "What does the VA/DoD opioid guideline say about long-term opioids at his age and about"
        " combining them with a benzodiazepine?"
    )
    ranked = [
        "Recommends against long-term opioid therapy for patients less than 30 years of age.",
        "For patients less than 30 years of age on long-term opioid therapy, close monitoring.",
        "Recommends against the concurrent use of benzodiazepines and opioids.",
    ]
    assert in_turn(asked, ranked) == [0, 2, 1]
    assert in_turn(asked, ranked[:2]) == [0, 1]  # nothing new: in the given order
    assert in_turn(asked, []) == []


def test_the_guidelines_own_name_is_no_part_asked_of_it() -> None:
    # set BU: after steroids and bisphosphonates, a line on regional blocks beat the sentence
    # on ketamine for holding "regional" of "complex regional pain syndrome guideline"
    text = (
        "Per the Colorado complex regional pain syndrome guideline, are oral steroids,"
        " bisphosphonates or ketamine recommended for CRPS?"
    )
    own = specific_words(text, asked_words(text))
    ranked = [
        "There is good evidence to support oral steroid use early in CRPS.",
        "Use of bisphosphonates effectively decreases pain in CRPS.",
        "Other regional blocks are not recommended for complex regional pain syndrome.",
        "Ketamine is not recommended for CRPS since less harmful therapies are available.",
    ]
    assert "regional" not in own
    assert in_turn(own, ranked)[-1] == 2  # the regional blocks last


def test_whom_a_guideline_is_for_says_which_when_its_name_holds_for_many() -> None:
    # set BE: "the CDC guidance" held for every CDC guideline, and the question on a newly
    # hired phlebotomist read none of it
    cdc = [
        _guideline(f"ngc:{i}", f"CDC guideline for topic {i}", "Centers for Disease Control")
        for i in range(6)
    ]
    personnel = _guideline(
        "ngc:hcp",
        "CDC guidance for evaluating health-care personnel for hepatitis B virus protection",
        "Centers for Disease Control",
    )
    asked = "Per the CDC guidance for health-care personnel, how should she be classified?"
    assert narrower_name(asked) == ("cdc", "health", "care", "personnel")
    assert named_documents(asked, [*cdc, personnel]) == {"ngc:hcp"}
    assert narrower_name("Per the CDC guidance, how should she be classified?") is None
    # whom it is for is said by all its recommendations: not asked of them
    assert "personnel" not in asked_words(asked)
    assert "classified" in asked_words(asked)


def test_the_recommendations_read_are_those_sharing_what_is_asked() -> None:
    text = (
        "He takes three drugs and his blood pressure is 150/88. Per the VA/DoD hypertension"
        " guideline, which drug classes are options for refractory hypertension, and can an"
        " alpha blocker be used?"
    )
    assert {"refractory", "alpha", "blocker", "alpha blocker"} <= asked_words(text)
    assert not {"guideline", "pressure"} & asked_words(text)  # the story's is not asked
    # nor a pair with the guideline's word (set BX: "ckd guideline" led with a protein diet)
    iron = "Per the VA/DoD CKD guideline, should iron be given orally or parenterally?"
    assert not any("guideline" in term for term in asked_words(iron))
    assert {"iron", "ckd"} <= asked_words(iron)
    # nor what it sets aside ("rather than for cardiovascular risk")
    statin = "Should I start a statin to slow his eGFR decline rather than for cardiovascular risk?"
    assert {"statin", "egfr"} <= asked_words(statin)
    assert "cardiovascular" not in asked_words(statin)
    section = "MAJOR RECOMMENDATIONS"
    passages = [
        Passage("g#0", "g", 0, section, "Screen adults for elevated blood pressure yearly."),
        Passage("g#1", "g", 1, section, "Additional therapy in refractory hypertension."),
        Passage("g#2", "g", 2, section, "Not alpha-adrenergic blockers as monotherapy."),
        Passage("g#3", "g", 3, "POTENTIAL HARMS", "Alpha blockers cause refractory dizziness."),
    ]
    assert [p.id for p in recommendations_for(text, passages)] == ["g#1", "g#2"]


def test_the_rarer_asked_words_and_phrases_of_a_guideline_weigh_more() -> None:
    asked = asked_words(
        "Per the VA/DoD overweight and obesity guideline, what does it suggest for overweight"
        " patients without obesity-associated conditions?"
    )
    texts = [
        "Offer bariatric surgery for weight loss in adult patients with obesity-associated"
        " conditions.",
        "Consider providing overweight patients without obesity-associated conditions with"
        " counseling.",
        "Offer pharmacotherapy to patients with obesity.",
    ]
    weights = weighed(asked, texts)
    assert weights[1] > weights[0] > weights[2] >= 0
    assert weighed(frozenset({"ketamine"}), texts) == [0.0, 0.0, 0.0]


def test_a_recommendation_must_hold_a_word_the_question_asks_of_its_guideline() -> None:
    text = (
        "Veteran with moderate-severe alcohol use disorder tried naltrexone without benefit."
        " What does the VA/DoD SUD guideline recommend next?"
    )
    own = specific_words(text, asked_words(text))
    assert "naltrexone" not in own  # the story's, not asked
    assert not own & stems("For patients with SUDs, the Work Group recommends care.")
    text = "Per the VA/DoD SUD guideline, what is offered when naltrexone fails?"
    own = specific_words(text, asked_words(text))
    assert "naltrexone" in own and "sud" not in own


def test_a_guidelines_weak_and_plain_recommendations_are_advice() -> None:
    assert suggests("The Work Group suggests offering light therapy for adult patients.")
    assert suggests("The guideline panel suggests not offering calcimimetics.")
    assert not suggests("These results suggest that aspirin helps.")
    section = "MAJOR RECOMMENDATIONS"
    teach = "Clinicians should teach shelter staff to recognize hypoglycemia."
    assert recommends_here(Passage("g#1", "g", 1, section, teach), teach)
    # a fragment, an editor's note, the rating scheme, another section: no advice
    for text, where in [
        ("Long-acting calcium channel blockers (Modified from 2004 VA/DoD HTN CPG.", section),
        ("Note from the VA/DoD and NGC: the recommendations should be read whole.", section),
        ('Strong For (or "The Work Group recommends offering this option …")', section),
        (teach, "POTENTIAL HARMS"),
    ]:
        assert not recommends_here(Passage("g#2", "g", 2, where, text), text)


def test_a_guidelines_graded_evidence_statement_says_what_supports_a_treatment() -> None:
    # set BU: "what evidence supports each?" of three CRPS drugs was told ketamine's only
    section = "MAJOR RECOMMENDATIONS"
    graded = (
        "Evidence Statements Regarding CRPS-Specific Medications: Bisphosphonates Good Evidence"
        " Use of bisphosphonates effectively decreases pain (Design: Randomized clinical trial)."
    )
    assert recommends_here(Passage("g#3", "g", 3, section, graded), graded)
    assert not recommends_here(Passage("g#3", "g", 3, "POTENTIAL HARMS", graded), graded)
    heading = "Evidence Statements Regarding CRPS-Specific Medications: Bisphosphonates."
    assert not recommends_here(Passage("g#4", "g", 4, section, heading), heading)


@pytest.mark.sqlite_only
def test_a_named_guideline_answers_with_its_recommendation_on_what_is_asked(
    engine: Engine,
) -> None:
    # set BJ: led with NIHSeniorHealth's "When angiotensin II is blocked …"
    answer = engine.answer(
        "66-year-old veteran with BPH takes chlorthalidone 25 mg, lisinopril 40 mg and amlodipine"
        " 10 mg daily, and his home readings still average 150/88; he asks whether doxazosin"
        " could treat both his prostate and his blood pressure. Per the VA/DoD hypertension"
        " guideline, which drug classes are options for refractory hypertension, and can an"
        " alpha blocker be used?",
        save=False,
    )
    assert "alpha-adrenergic blockers" in answer.bottom_line.text
    assert answer.references[0].title.startswith("VA/DoD clinical practice guideline for the")


@pytest.mark.sqlite_only
def test_a_named_guideline_answers_a_yes_no_question_none_of_its_sentences_decides(
    engine: Engine,
) -> None:
    # set BJ abstained: "A1c" is not "glycemic control", and no sentence stated yes or no
    answer = engine.answer(
        "For a veteran with type 2 diabetes and stage 3 CKD, does the VA/DoD CKD guideline"
        " support tightening his A1c toward intensive targets, should I start a statin to slow"
        " his eGFR decline rather than for cardiovascular risk, and how much daily protein does"
        " it suggest?",
        save=False,
    )
    said = answer.bottom_line.text
    assert answer.bottom_line.verdict is None  # its statement, not a yes or a no
    assert "against intensive glycemic control" in said or "protein diet of 0.6 to 0.8" in said
    assert "chronic kidney disease" in answer.references[0].title


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "said"),
    [
        # set BE: its weak recommendation ("suggests offering light therapy") was read as none
        (
            "72-year-old veteran with heart failure on several medications has a first episode"
            " of moderate major depression (PHQ-9 of 14) that worsens every winter. Per the"
            " VA/DoD MDD guideline, what first-line treatment is recommended for a patient his"
            " age, and is light therapy an option for the seasonal pattern?",
            "light therapy",
        ),
        # set AZ: bariatric surgery shares more of its words than the asked phrase's sentence
        (
            "How often does the VA/DoD overweight and obesity guideline say adults should be"
            " screened, with what measurement, and what does it suggest for overweight patients"
            " without obesity-associated conditions and for normal-weight patients?",
            "overweight patients without obesity-associated conditions",
        ),
        # set BG: "… should be taught to recognize … hypoglycemia" is advice of its own words
        (
            "Per the HCH guideline on homeless patients with diabetes, what should shelter staff"
            " be taught about hypoglycemia in a resident on insulin, and what to do if he is"
            " awake and can swallow versus unresponsive?",
            "hypoglycemia",
        ),
    ],
)
def test_a_named_guidelines_recommendation_holding_the_asked_words_leads(
    engine: Engine, text: str, said: str
) -> None:
    answer = engine.answer(text, save=False)
    assert said in answer.bottom_line.text
    assert answer.references[0].evidence_type.value == "guideline"


def test_weights_are_the_same_whatever_a_run_s_set_order() -> None:
    # set BJ's two tied VA/DoD depression items swapped order between runs: each weight was a
    # sum over a set, whose order follows the run's hash seed
    code = (
        "from medcite.answer.named_guideline import weighed;"
        "words = 'alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega rho'.split();"
        "texts = [' '.join(words[:k + 3]) for k in range(9)] + ['alpha beta', 'omega rho'];"
        "print([w.hex() for w in weighed(frozenset(words), texts)])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert len(outputs) == 1, outputs
