"""Question understanding on real clinical questions (MedQuAD and PubMedQA wording)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from medcite.answer.model import QuestionType
from medcite.answer.question import (
    MEDQUAD_TYPES,
    QUESTION_WORDS,
    analyse_question,
    asked_clause,
    asks_scope,
    key_phrases,
    names_test,
    question_type,
    sentence_case,
    story_diagnosis,
    without_source_names,
)
from medcite.answer.read import asked_kind
from medcite.store.sqlite import SQLiteStore
from medcite.text import STOPWORDS

Q = QuestionType
DATASETS = Path(__file__).parent / "fixtures" / "datasets"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# (question, type, yes_no) — MedQuAD consumer questions, PubMedQA titles and everyday clinical ones
TYPES = [
    ("Can vitamin B12 deficiency cause leukopenia?", Q.CAUSE, True),
    ("Is metformin safe in pregnancy?", Q.YES_NO, True),
    ("What causes leukopenia?", Q.CAUSE, False),
    ("What causes Dupuytren contracture ?", Q.CAUSE, False),
    ("What are the genetic changes related to Kabuki syndrome ?", Q.CAUSE, False),
    ("Why does diabetes cause neuropathy?", Q.CAUSE, False),
    ("How is iron deficiency diagnosed?", Q.DIAGNOSIS, False),
    ("What tests are used to diagnose celiac disease?", Q.DIAGNOSIS, False),
    ("How to diagnose Zollinger-Ellison syndrome ?", Q.DIAGNOSIS, False),
    ("What are the symptoms of Zollinger-Ellison syndrome ?", Q.DIAGNOSIS, False),
    ("How is suicide risk assessed?", Q.DIAGNOSIS, False),
    ("How to treat plantar fasciitis?", Q.TREATMENT, False),
    ("What are the treatments for Silicosis ?", Q.TREATMENT, False),
    ("What is the dose of folic acid in pregnancy?", Q.TREATMENT, False),
    ("What dose of vitamin D should adults take?", Q.TREATMENT, False),
    ("How to prevent Anal Cancer ?", Q.TREATMENT, False),
    ("Who should get Indapamide and why is it prescribed ?", Q.TREATMENT, False),
    ("What are the side effects or risks of Orlistat ?", Q.TREATMENT, False),
    ("In adults with gout, what is the first-line treatment?", Q.TREATMENT, False),
    ("What is the outlook for Multiple Sclerosis ?", Q.PROGNOSIS, False),
    ("What is the life expectancy of someone with ALS?", Q.PROGNOSIS, False),
    ("What are the complications of Kwashiorkor ?", Q.PROGNOSIS, False),
    (
        "Who is at risk for Plasma Cell Neoplasms (Including Multiple Myeloma)? ?",
        Q.RISK_FACTORS,
        False,
    ),
    ("What are the risk factors for osteoporosis?", Q.RISK_FACTORS, False),
    ("What is (are) Ankle pain ?", Q.DEFINITION, False),
    ("What is gout?", Q.DEFINITION, False),
    ("Metformin vs insulin for gestational diabetes", Q.COMPARISON, False),
    ("What is the difference between type 1 and type 2 diabetes?", Q.COMPARISON, False),
    ("Is ultrasound equal to X-ray in pediatric fracture diagnosis?", Q.COMPARISON, True),
    ("Is aspirin better than clopidogrel after stroke?", Q.COMPARISON, True),
    ("How common is infection with y. enterocolitica for Yersinia ?", Q.GENERAL, False),
    ("Does tranexamic acid reduce desmopressin-induced hyperfibrinolysis?", Q.YES_NO, True),
    ("Does smoking increase the risk of lung cancer?", Q.CAUSE, True),
    ("Is smoking associated with an increased risk of bladder cancer?", Q.CAUSE, True),
    ("Starting insulin in type 2 diabetes: continue oral hypoglycemic agents?", Q.YES_NO, True),
    ("Nasal fractures:  is closed reduction satisfying?", Q.YES_NO, True),
    ("Acute hepatitis C in Israel: a predominantly iatrogenic disease?", Q.YES_NO, True),
    ("Are statins effective for primary prevention in the elderly?", Q.YES_NO, True),
    ("Should pulp chamber pulpotomy be seen as a permanent treatment?", Q.YES_NO, True),
    ("Do you have information about Tendon repair", Q.DEFINITION, False),
    ("What are the symptoms of Graft-versus-host disease ?", Q.DIAGNOSIS, False),
    ("is there any treatment for ALS ?", Q.TREATMENT, False),  # asks for the treatments
    ("is there a link between gout and diabetes?", Q.GENERAL, True),
    ("Are there interactions between Arnica and foods ?", Q.TREATMENT, True),
    ("What should I do if I forget a dose of Olodaterol Oral Inhalation ?", Q.TREATMENT, False),
    ("How many people are affected by benign familial neonatal seizures ?", Q.GENERAL, False),
    # set Z: a presentation is what the symptoms are; "what should you do about" asks treatment
    ("What is the usual presentation of Henoch-Schoenlein Purpura?", Q.DIAGNOSIS, False),
    ("What are the clinical manifestations of sarcoidosis?", Q.DIAGNOSIS, False),
    ("What should you do about asymptomatic gallstones?", Q.TREATMENT, False),
    ("What should I do if my child swallowed a button battery?", Q.TREATMENT, False),
    ("What can I do in my 30s to keep from getting high blood pressure?", Q.TREATMENT, False),
    # set AD: inheritance asked in a parent's words is the "Is X inherited?" page's question
    ("My husband has CED. What are the chances our kids will get it?", Q.RISK_FACTORS, False),
    ("How is cystic fibrosis inherited?", Q.RISK_FACTORS, False),
    ("What are the chances of survival with pancreatic cancer?", Q.PROGNOSIS, False),
    # set AD: "Any benefit …?" is "Is there any benefit …?" without its verb
    ("Any benefit to routine visual acuity screening at 72?", Q.YES_NO, True),
    ("Any tips for sleeping better?", Q.GENERAL, False),
]


@pytest.mark.parametrize(("text", "qtype", "yes_no"), TYPES)
def test_type_and_yes_no(text: str, qtype: QuestionType, yes_no: bool) -> None:
    question = analyse_question(text)
    assert (question.type, question.yes_no) == (qtype, yes_no)
    assert question_type(text) is qtype


def test_type_table_is_large_enough() -> None:
    assert len(TYPES) >= 30
    assert {qtype for _, qtype, _ in TYPES} == set(QuestionType)


# (question, subject, target)
PAIRS = [
    ("Can vitamin B12 deficiency cause leukopenia?", "vitamin B12 deficiency", "leukopenia"),
    ("Does smoking increase the risk of lung cancer?", "smoking", "lung cancer"),
    (
        "Is smoking associated with an increased risk of bladder cancer?",
        "smoking",
        "bladder cancer",
    ),
    (
        "Does tranexamic acid reduce desmopressin-induced hyperfibrinolysis?",
        "tranexamic acid",
        "desmopressin-induced hyperfibrinolysis",
    ),
    ("Can taking ibuprofen lead to kidney damage?", "ibuprofen", "kidney damage"),
    ("In older adults, does vitamin D prevent falls?", "vitamin D", "falls"),
    ("What causes leukopenia?", None, "leukopenia"),
    ("Is metformin safe in pregnancy?", None, None),
    ("How is iron deficiency diagnosed?", None, None),
    (
        "Should aspirin be given prophylactically in someone with a history of pregnancy-induced"
        " hypertension to prevent preeclampsia?",
        "aspirin",
        "preeclampsia",
    ),
    ("Should statins be stopped before surgery?", "statins", None),
    (
        "Do general practice characteristics influence uptake of an IT innovation?",
        "general practice characteristics",
        "uptake of an IT innovation",
    ),
    # what a thing is said to be (set V: an IL-21 sentence backed "Yes" for uveitis)
    ("Is uveitis an autoimmune disease?", "uveitis", None),
    ("Is it okay to give doxycycline to a breast feeding mother?", None, None),
    ("Is there a cure for psoriasis?", None, None),
    (
        "Is the clinically positive axilla really a contraindication to sentinel node biopsy?",
        "clinically positive axilla",
        None,
    ),
    ("Is it a virus?", None, None),
]


@pytest.mark.parametrize(("text", "subject", "target"), PAIRS)
def test_subject_and_target(text: str, subject: str | None, target: str | None) -> None:
    question = analyse_question(text)
    assert (question.subject, question.target) == (subject, target)


# (question, the key phrases expected first, in order)
PHRASES = [
    ("Can vitamin B12 deficiency cause leukopenia?", ("vitamin b12 deficiency", "leukopenia")),
    ("Is metformin safe in pregnancy?", ("metformin", "pregnancy")),
    ("How is iron deficiency diagnosed?", ("iron deficiency",)),
    ("What are the symptoms of Zollinger-Ellison syndrome ?", ("zollinger-ellison syndrome",)),
    ("What is (are) Ankle pain ?", ("ankle pain",)),
    (
        "Who is at risk for Plasma Cell Neoplasms (Including Multiple Myeloma)? ?",
        ("plasma cell neoplasms", "multiple myeloma"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), PHRASES)
def test_key_phrases_without_store(text: str, expected: tuple[str, ...]) -> None:
    assert key_phrases(text)[: len(expected)] == expected


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # set BO: "platelets" was the focus, and bleeding at high counts led
        ("Why are his platelets so low? 27 is the lowest they have been.", "low platelet count"),
        ("Her potassium is low after starting furosemide.", "low potassium levels"),
        ("My blood sugar keeps dropping low at night.", "low blood sugar"),
        ("His white count was high at 59,000.", "high white blood cell count"),
    ],
)
def test_a_count_told_low_is_named_as_the_lay_term(text: str, phrase: str) -> None:
    assert phrase in key_phrases(text)


def test_a_figure_with_its_units_is_the_story_s() -> None:
    # set BP: "3 3 milliequivalents liter" was searched as a key phrase
    phrases = key_phrases(
        "What do flattened T waves mean in a woman with a potassium of 3.3 milliequivalents/liter?"
    )
    assert not any("milliequivalents" in p for p in phrases)
    assert "flattened t waves" in phrases


@pytest.mark.parametrize("age", ["ten-month-old", "Ten-month-old", "twenty-two-year-old"])
def test_an_age_in_words_is_who_not_what(age: str) -> None:
    # set BO: "Ten-month-old with a buckle fracture …" abstained as if "ten-month-old" were a
    # thing no source names
    phrases = key_phrases(f"{age} with a buckle fracture of the tibia. What is the treatment?")
    assert all(age.lower() not in p for p in phrases)
    assert "buckle fracture" in phrases


@pytest.mark.parametrize(("text", "expected"), PHRASES)
def test_key_phrases_with_vocabulary(
    text: str, expected: tuple[str, ...], evidence_store: SQLiteStore
) -> None:
    assert analyse_question(text, evidence_store).concepts[: len(expected)] == expected


@pytest.mark.parametrize(
    ("words", "named"),
    [  # set BI: "liver function tests" was read as "liver function"
        ("liver function tests", True),
        ("pulmonary function test", True),
        ("hiv test", False),  # asks of HIV
        ("tests", False),
        ("risk of tests", False),
    ],
)
def test_a_test_named_by_two_words_is_a_thing(words: str, named: bool) -> None:
    assert names_test(words.split()) is named


def test_how_a_need_is_worded_is_not_what_it_is_about() -> None:
    # set Z: "usual presentation" was searched and required as a concept, and the question
    # about Henoch-Schoenlein purpura abstained
    assert key_phrases("What is the usual presentation of Henoch-Schoenlein Purpura?") == (
        "henoch-schoenlein purpura",
    )


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("What antihypertensives are least likely to cause erectile dysfunction?", "least"),
        ("Leg cramps and quinine: why do they occur and how do you address them?", "address"),
        ("What is the reference for the article on arthrocentesis technique?", "reference"),
    ],
)
def test_words_of_asking_are_not_searched_for(text: str, absent: str) -> None:
    # set AA: "least", "address" and "reference" were searched and required as concepts
    assert absent not in key_phrases(text)


def test_vocabulary_adds_phrases_that_span_stopwords(evidence_store: SQLiteStore) -> None:
    # "low white blood cell count" is a lay phrase the vocabulary knows (→ leukopenia)
    concepts = analyse_question(
        "What causes a low white blood cell count?", evidence_store
    ).concepts
    assert concepts[0] == "low white blood cell count"


@pytest.mark.parametrize("text", [t for t, _, _ in TYPES])
def test_key_phrases_hold_no_stopword_or_question_word_alone(text: str) -> None:
    for phrase in analyse_question(text).concepts:
        words = phrase.split()
        assert words[0] not in STOPWORDS and words[-1] not in STOPWORDS
        assert not (len(words) == 1 and words[0] in QUESTION_WORDS)


def test_key_phrases_are_most_specific_first() -> None:
    concepts = analyse_question("Does vitamin D prevent falls in older adults?").concepts
    assert [len(c.split()) for c in concepts] == sorted(
        (len(c.split()) for c in concepts), reverse=True
    )


def test_question_text_is_whitespace_normalised() -> None:
    question = analyse_question("  What   causes\n gout? ")
    assert question.text == "What causes gout?"
    assert question.resolved_from is None


@pytest.mark.parametrize("text", ["", "?", "!!!", "what", "of the and", "\u200f", "😀"])
def test_odd_text_gives_a_general_question(text: str) -> None:
    question = analyse_question(text)
    assert question.concepts == ()
    assert question.subject is None and question.target is None


def test_analysis_is_deterministic(evidence_store: SQLiteStore) -> None:
    text = "Can vitamin B12 deficiency cause leukopenia in older adults?"
    assert analyse_question(text, evidence_store) == analyse_question(text, evidence_store)


def test_medquad_types_cover_the_documented_labels() -> None:
    expected = {
        "information": Q.DEFINITION,
        "symptoms": Q.DIAGNOSIS,
        "treatment": Q.TREATMENT,
        "causes": Q.CAUSE,
        "outlook": Q.PROGNOSIS,
        "exams and tests": Q.DIAGNOSIS,
        "susceptibility": Q.RISK_FACTORS,
        "frequency": Q.GENERAL,
        "genetic changes": Q.CAUSE,
        "inheritance": Q.RISK_FACTORS,
        "prevention": Q.TREATMENT,
        "research": Q.GENERAL,
        "considerations": Q.TREATMENT,
        "stages": Q.DIAGNOSIS,
        "complications": Q.PROGNOSIS,
        "support groups": Q.GENERAL,
    }
    assert {label: MEDQUAD_TYPES[label] for label in expected} == expected


def _medquad(path: Path) -> list[tuple[str, str]]:
    """(question, question_type) of every record of a MedQuAD JSONL file."""
    if not path.exists():
        return []
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [(r["question"], r["question_type"]) for r in records]


MEDQUAD = _medquad(DATASETS / "medquad.jsonl") + _medquad(
    SHARED_DATA / "medquad" / "medquad.jsonl.gz"
)


def test_medquad_types_cover_every_label_in_the_data() -> None:
    assert {label for _, label in MEDQUAD} <= set(MEDQUAD_TYPES)


def test_question_types_agree_with_medquad_labels() -> None:
    # Every 7th record; the labels the wording cannot show ("Is X inherited?" is a yes/no
    # question, "Do I need to see a doctor?" too) keep agreement below 100 %.
    sample = MEDQUAD[::7]
    agree = sum(question_type(q) is MEDQUAD_TYPES[label] for q, label in sample)
    assert agree / len(sample) >= 0.85


@pytest.mark.parametrize(
    ("label", "question"),
    [
        ("causes", "What causes Zollinger-Ellison syndrome ?"),
        ("exams and tests", "How to diagnose Diabetes ?"),
        ("outlook", "What is the outlook for Progeria ?"),
        ("susceptibility", "Who is at risk for Kawasaki Disease? ?"),
        ("treatment", "What are the treatments for Tracheomalacia - acquired ?"),
        ("information", "What is (are) Acrodermatitis ?"),
        ("symptoms", "What are the symptoms of Adult Acute Lymphoblastic Leukemia ?"),
    ],
)
def test_medquad_label_agrees_with_the_question_it_labels(label: str, question: str) -> None:
    assert analyse_question(question).type is MEDQUAD_TYPES[label]


# Consumer messages (MEDIQA 2019 wording): chatter and who the message is about are never key
# phrases; the medical term leads.
MESSAGES = [
    (
        "hi, what's the best over the counter medications for losing this weight, I need to try"
        " something but I don't want any surgery done.",
        None,
    ),
    ("31-year-old woman in for annual exam. Is St. John's Wort safe during pregnancy?", None),
    ("Can anserine bursitis occur in young adults (33 years old)?", "bursitis"),
    ("EYELID DROOP. WANT TO KNOW IF EYELID DROOP WILL BE GO AWAY", "eyelid droop"),
    ("is there any help available,for fibromalgia. is there any treatment s available.?", None),
    (  # set AM: "we'd" was searched, and the abstention said no source mentions it
        "Our son was just diagnosed with combined pituitary hormone deficiency and we'd never"
        " heard of it. How common is it?",
        "combined pituitary hormone deficiency",
    ),
]
CHATTER_PHRASES = {
    "hi", "what's", "try something", "don't want", "want", "know", "s", "go away", "we'd",
}  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), MESSAGES)
def test_message_chatter_and_context_are_not_key_phrases(
    text: str, expected: str | None, evidence_store: SQLiteStore
) -> None:
    concepts = analyse_question(text, evidence_store).concepts
    assert concepts and not CHATTER_PHRASES & set(concepts)
    assert not any(phrase[:1].isdigit() or "year" in phrase for phrase in concepts)
    assert "young adults" not in concepts and "eyelid droop want" not in concepts
    if expected:
        assert expected in concepts[0]


def test_words_of_judging_are_not_sides() -> None:
    # MEDIQA validation: "suitable" made a third side no page names, and the message abstained
    concepts = analyse_question(
        "I have exercise induced asthma. Would any of these non drug devises be suitable please?"
    ).concepts
    assert "suitable" not in concepts


@pytest.mark.parametrize(
    ("text", "wanted", "unwanted"),
    [  # set AB: searched as "called nystagmus", "pediatrician", "migraines twice"
        (
            "The pediatrician says the way my baby's eyes keep jiggling side to side is called"
            " nystagmus. What causes that in a baby?",
            "nystagmus",
            {"called nystagmus", "pediatrician"},
        ),
        (
            "I get migraines twice a week and over-the-counter painkillers barely help anymore."
            " What treatments can stop them from coming so often?",
            "migraines",
            {"migraines twice", "over-the-counter painkillers barely", "coming"},
        ),
        (
            "My grandmother fell a few weeks ago and her CT scan found a chronic subdural"
            " hematoma. What is that exactly?",
            "chronic subdural hematoma",
            {"ct scan found", "weeks ago"},
        ),
        (  # set AD: searched "checking 25-hydroxyvitamin", the letter D lost
            "Is it worth checking 25-hydroxyvitamin D levels as a screen in healthy adults with"
            " no symptoms?",
            "25-hydroxyvitamin d levels",
            {"checking 25-hydroxyvitamin", "checking"},
        ),
        ("Is hepatitis B vaccine safe in pregnancy?", "hepatitis b vaccine", {"hepatitis"}),
        (  # set AD: who is asked about, not a side of the relation
            "Any benefit to routine visual acuity screening in a 72-year-old with no vision"
            " complaints?",
            "visual acuity screening",
            {"vision complaints", "vision", "benefit"},
        ),
        (  # set AE: story words and verbs of asking searched as terms, the USPSTF unused
            "Should I prescribe vitamin D to a 78-year-old woman who lives at home to lower her"
            " risk of falls?",
            "vitamin d",
            {"prescribe vitamin d", "lives", "home", "lower"},
        ),
        (
            "A 50-year-old smoker asks if switching to e-cigarettes is a good way to quit.",
            "e-cigarettes",
            {"50-year-old smoker asks", "50-year-old smoker", "asks"},
        ),
    ],
)
def test_story_words_are_not_searched(text: str, wanted: str, unwanted: set[str]) -> None:
    concepts = analyse_question(text).concepts
    assert wanted in concepts
    assert not unwanted & set(concepts)


def test_medical_term_leads_the_patient_story(evidence_store: SQLiteStore) -> None:
    concepts = analyse_question(
        "31-year-old woman in for annual exam. Is St. John's Wort safe during pregnancy?",
        evidence_store,
    ).concepts
    assert concepts[:2] == ("st john's wort", "pregnancy")  # "St." does not end a sentence


def test_only_context_is_kept_when_nothing_else_is_asked() -> None:
    assert analyse_question("What about a 45-year-old woman?").concepts == ("45-year-old woman",)


@pytest.mark.parametrize(
    "text",
    [
        "Is there any treatment for fibromyalgia?",
        "Are there any new drugs for ALS?",
        "is there a cure for psoriasis?",
        "Is there help available for tinnitus?",
        # set BT: "none of them states an answer" beside the page on SJS's genetic changes
        "Are there genetic changes that make some people react this way to medicines?",
        "Are there any symptoms of early HIV?",
    ],
)
def test_is_there_a_treatment_asks_for_the_treatments(text: str) -> None:
    assert not analyse_question(text).yes_no


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # set BS: "Uncertain, the evidence is mixed" from two pages of one site, unsupported
        (
            "My doctor says I have Gilbert syndrome. Can Gilbert disease cause any complications?",
            QuestionType.PROGNOSIS,
        ),
        ("Can it cause problems later on?", QuestionType.PROGNOSIS),
        ("Does the dye have side effects?", QuestionType.TREATMENT),
    ],
)
def test_whether_a_thing_has_harms_asks_which(text: str, kind: QuestionType) -> None:
    question = analyse_question(text)
    assert not question.yes_no
    assert question.type is kind


def test_which_of_two_a_named_guideline_prefers_is_no_yes_or_no() -> None:
    # set BT: "Uncertain" from the guideline's "insufficient evidence … one surgical amputation
    # procedure over another", while it suggests a rigid dressing and inpatient rehab
    asked = (
        "Veteran, 67, is 3 days out from a transtibial amputation for diabetic foot infection."
        " Per the VA/DoD lower limb amputation guideline, should he get a soft or rigid dressing,"
        " and acute inpatient rehab or a skilled nursing facility?"
    )
    assert not analyse_question(asked).yes_no
    assert analyse_question("Should I get a flu shot or not, per the CDC guideline?").yes_no
    assert analyse_question("Should he get screened for HIV or hepatitis?").yes_no  # either


@pytest.mark.parametrize(
    "text",
    [
        # set BU: a strong "No" to all three from the guideline's sentence on ketamine
        "Per the Colorado complex regional pain syndrome guideline, are oral steroids,"
        " bisphosphonates or ketamine recommended for CRPS, and what evidence supports each?",
        "Per the VA/DoD CKD guideline, should I start calcitriol, a phosphate binder or"
        " cinacalcet?",
        "Does she need HBIG, a booster or an anti-HBs test now?",
        # set BX: "No" from the statement against ESAs
        "Per the VA/DoD CKD guideline, should iron be given orally or parenterally, and when is"
        " nephrology consultation suggested?",
    ],
)
def test_which_of_three_or_more_is_no_yes_or_no(text: str) -> None:
    assert not analyse_question(text).yes_no


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Can you explain what prostate cancer is?", QuestionType.DEFINITION),  # set BX
        ("Could you please tell me about shingles?", QuestionType.DEFINITION),
        ("Explain what shingles is.", QuestionType.DEFINITION),
        ("Can you explain why my knee hurts?", QuestionType.GENERAL),
    ],
)
def test_a_request_to_explain_what_it_is_asks_what_it_is(text: str, expected: QuestionType) -> None:
    assert analyse_question(text).type is expected


@pytest.mark.parametrize(
    ("text", "subject", "target"),
    [  # set BX searched "psychosocial stress play" and "triggering enuresis"
        ("Does psychosocial stress play a role in triggering enuresis?", "psychosocial stress",
         "enuresis"),
        ("Does diet play a role in acne?", "diet", "acne"),
        ("Does stress play a part in psoriasis flares?", "stress", "psoriasis flares"),
    ],
)  # fmt: skip
def test_playing_a_role_in_asks_a_cause(text: str, subject: str, target: str) -> None:
    question = analyse_question(text)
    assert question.type is QuestionType.CAUSE
    assert (question.subject, question.target) == (subject, target)
    assert not any("play" in c or "trigger" in c for c in question.concepts)


def test_a_story_names_the_diagnosis_its_question_asks_of() -> None:
    # set BX: "memory problems", said after the diagnosis, was searched for its outlook
    question = analyse_question(
        "My brother was diagnosed with neurosyphilis after having memory problems. What is his"
        " outlook with treatment?"
    )
    assert story_diagnosis(question) == ("neurosyphilis",)
    # the question sentence names what it asks of
    named = analyse_question(
        "My brother was diagnosed with neurosyphilis. What are the symptoms of memory problems?"
    )
    assert story_diagnosis(named) == ()
    assert story_diagnosis(analyse_question("What is the outlook for neurosyphilis?")) == ()


def test_what_a_doctor_suspects_is_the_diagnosis_and_suspecting_is_no_key_phrase() -> None:
    # set CE: "suspects thoracic outlet syndrome" was the name searched for its symptoms page,
    # and "What are its symptoms?" abstained beside "What are the symptoms of Thoracic outlet
    # syndrome ?"
    question = analyse_question(
        "My hand tingles and my fingers turn bluish when I work overhead, and my doctor suspects"
        " thoracic outlet syndrome. What are its symptoms?"
    )
    assert "thoracic outlet syndrome" in question.concepts
    assert not any("suspect" in c for c in question.concepts)
    assert story_diagnosis(question) == ("thoracic outlet syndrome",)
    thinks = analyse_question(
        "Our newborn has red, scaly skin, and the dermatologist thinks it is nonbullous congenital"
        " ichthyosiform erythroderma. What symptoms does it cause?"
    )
    assert story_diagnosis(thinks) == ("nonbullous congenital ichthyosiform erythroderma",)
    # a suspected condition in a clinician's question is the condition
    assert (
        "pulmonary embolus"
        in analyse_question("How do you dose heparin for a suspected pulmonary embolus?").concepts
    )


def test_this_condition_points_back_and_is_no_key_phrase() -> None:
    # set BU: "condition" of "What is this condition?" was searched for as a thing
    question = analyse_question(
        "My nephew was diagnosed with craniometaphyseal dysplasia. What is this condition?"
    )
    assert "craniometaphyseal dysplasia" in question.concepts
    assert "condition" not in question.concepts


@pytest.mark.parametrize(
    "text",
    [
        "Are aspirin or clopidogrel recommended after a stroke?",  # two: either
        "Are large, inoperable schwannomas treatable with radiation?",
        "Do size, number, and location of the myomas limit laparoscopic myomectomy?",
    ],
)
def test_a_list_that_is_no_choice_still_asks_yes_or_no(text: str) -> None:
    assert analyse_question(text).yes_no


@pytest.mark.parametrize(
    "text",
    [
        "Does metformin cause side effects like lactic acidosis?",  # a named harm
        "Can diabetes cause problems with the eyes?",
        "Can a viral sore throat lead to any complications, and what should we watch for?",
    ],
)
def test_whether_a_named_harm_follows_still_asks_yes_or_no(text: str) -> None:
    assert analyse_question(text).yes_no


@pytest.mark.parametrize(
    "text",
    ["Is there a link between gout and diabetes?", "Is there a risk of bleeding with aspirin?"],
)
def test_is_there_a_relation_still_asks_yes_or_no(text: str) -> None:
    assert analyse_question(text).yes_no


@pytest.mark.parametrize(
    "text",
    [
        # MEDIQA RQE clinicians' and consumers' questions: a choice or a request, not a yes/no
        "47-year-old man with a gallbladder polyp on ultrasound. Do you follow it or what?",
        "Patient with mild hypertension (150/80, 140/85). Should you go by their pressure in the"
        " office, or do you believe them if it's okay at home?",
        "dry mouth. My doctor does not know of a medication for dry mouth. Can you help me.",
        "Can you please suggest any medicine for ocular albinism?",
        # which of two (set W: answered "Yes")
        "Is this upper respiratory infection viral or bacterial?",
        "Is the lump benign or malignant?",
        # set AC: "Yes" to the first of two times
        "Should I be offering breastfeeding support during prenatal visits, or only after the"
        " baby is born?",
        # set AJ: a weak "No" from an insertion-failure study once "IUDs" named the IUD
        "Nulliparous 16-year-old wants an IUD for contraception. Is she an appropriate"
        " candidate, or should IUDs and implants be reserved for women who have already had"
        " children?",
        # sets BL, BM: a strong "Yes" to either of two
        "58-year-old female. Do you need to give a trial of nonsteroidals before you inject a"
        " shoulder or is an injection a first line treatment?",
        "Should her need for bone measurement testing be judged by that alone or with a formal"
        " risk tool?",
        "If you think someone has gallbladder disease, is it better to get an oral"
        " cholecystogram or an ultrasound?",
        # set BP: "Yes" from melatonin's safety in postmenopausal women
        "Osteopenia in males. Do you treat it the same way as in women?",
        "Is gout managed differently in women?",
    ],
)
def test_choices_and_requests_are_not_yes_no(text: str) -> None:
    assert not analyse_question(text).yes_no


@pytest.mark.parametrize(
    "text",
    [
        "Should I take metformin or not?",
        "Is this rash contagious or not?",
        # a bound of ages is no choice of two (set AB)
        "Is routine depression screening recommended for children aged 11 years or younger?",
        "Is ibuprofen safe in pregnancy or breastfeeding?",  # both, not which
        "Does vitamin C prevent colds or flu?",
    ],
)
def test_yes_or_not_is_still_yes_no(text: str) -> None:
    assert analyse_question(text).yes_no


def test_known_concepts_are_those_the_vocabulary_holds(evidence_store: SQLiteStore) -> None:
    question = analyse_question(
        "Is metformin safe in pregnancy? My friend said it is fine, but I am not sure.",
        evidence_store,
    )
    assert set(question.known) <= set(question.concepts)
    assert {"metformin", "pregnancy"} <= set(question.known)
    assert "friend" not in question.known and "sure" not in question.concepts


@pytest.mark.parametrize(
    ("text", "story"),
    [
        (
            "Body Lice. How do I get rid of these little devils? Me and my mom have tried so many"
            " things, we are the family that takes 2 showers a day. So is there any suggestions?",
            {"family", "mom"},
        ),
        (
            "ClinicalTrials.gov - Suggestion. Please help me with my brother with locked-in"
            " syndrome for 3 years. Somebody please help. God bless.",
            {"clinicaltrials gov", "clinicaltrials", "gov", "brother", "god bless", "god"},
        ),
    ],
)
def test_who_a_message_is_about_and_where_it_was_sent_are_not_key_phrases(
    text: str, story: set[str], evidence_store: SQLiteStore
) -> None:
    concepts = analyse_question(text, evidence_store).concepts
    assert concepts and not story & set(concepts), concepts


def test_a_name_may_start_with_a_stopword(evidence_store: SQLiteStore) -> None:
    # set AG: "Down syndrome and arthritis" was read as "syndrome" and "arthritis"
    for text in (
        "Is there any association between Down syndrome and arthritis?",
        "my son has down syndrome, will he get arthritis?",
    ):
        assert "down syndrome" in analyse_question(text, evidence_store).concepts
    assert not any(
        c.split()[0] == "after"
        for c in analyse_question("Pain after surgery?", evidence_store).concepts
    )


def test_no_complaint_is_who_is_asked_about(evidence_store: SQLiteStore) -> None:
    # set AG: "no urinary symptoms" made "urinary" the focus of a screening question
    concepts = analyse_question(
        "Healthy 70-year-old woman with no urinary symptoms. Is there any benefit to sending"
        " routine urine cultures to look for asymptomatic bacteriuria?",
        evidence_store,
    ).concepts
    assert "urinary" not in concepts and "sending" not in concepts
    assert "asymptomatic bacteriuria" in concepts


def test_the_story_diagnosis_is_no_question_on_diagnosis() -> None:
    # set AG: "was diagnosed with" made an inheritance question one on diagnosis
    question = analyse_question(
        "Our daughter was diagnosed with cranioectodermal dysplasia but neither of us has it. How"
        " did she get it, and could our next baby have it too?"
    )
    assert question.type is not QuestionType.DIAGNOSIS


@pytest.mark.parametrize(
    ("text", "qtype"),
    [
        (  # set BA: the story's screening and sweat tests made it a question on diagnosis
            "What is cystic fibrosis? Our newborn's screening test came back positive for CF and"
            " they want to do a sweat test next week.",
            QuestionType.DEFINITION,
        ),
        (
            "How is psoriasis treated? My father was diagnosed last year and the cream burns.",
            QuestionType.TREATMENT,
        ),
        (  # set BO: typed by its last clause, a question on causes; its genes answered
            "Our newborn was just diagnosed with methylmalonic acidemia. What is it, and what"
            " problems can it cause as she grows?",
            QuestionType.DEFINITION,
        ),
        (
            "My husband has prothrombin thrombophilia. What causes it, and what is it?",
            QuestionType.CAUSE,
        ),
        (  # set BQ: a treatment named and asked what it is, read as treating the story's wound
            "My diabetic foot wound hasn't healed in months, and my doctor suggested hyperbaric"
            " oxygen therapy. What is hyperbaric oxygen therapy?",
            QuestionType.DEFINITION,
        ),
        (
            "My diabetic foot wound hasn't healed in months. What is the best therapy?",
            QuestionType.TREATMENT,
        ),
        (
            "My diabetic foot wound hasn't healed in months. What are treatment options for it?",
            QuestionType.TREATMENT,
        ),
    ],
)
def test_a_question_before_its_story_is_typed_by_what_it_asks(
    text: str, qtype: QuestionType
) -> None:
    assert analyse_question(text).type is qtype


@pytest.mark.parametrize(
    "text",
    [  # set BB: answered with sleep apnea's treatments
        "What are the long term effects of sleep apnea if it's not treated?",
        "What happens if strep throat is not treated?",
        "What can happen to a hernia left untreated?",
    ],
)
def test_what_it_does_left_untreated_asks_its_outlook(text: str) -> None:
    question = analyse_question(text)
    assert question.type is QuestionType.PROGNOSIS
    assert asked_kind(question) == "outlook"


@pytest.mark.parametrize(
    ("text", "kind"),
    [  # set AW: "What research or clinical trials are being done …?" got treatments
        ("What research or clinical trials are being done for brain and spinal tumors?",
         "research"),
        ("What clinical trials are there for narcolepsy?", "research"),
        ("How is narcolepsy treated?", "treatment"),
    ],
)  # fmt: skip
def test_what_research_is_being_done_asks_for_its_page(text: str, kind: str) -> None:
    assert asked_kind(analyse_question(text)) == kind


def test_a_question_after_a_quoted_sentence_is_still_yes_no() -> None:
    # set AG: '… wants an exercise stress ECG "just to be safe." Is screening ECG recommended?'
    question = analyse_question(
        'Runner wants an exercise stress ECG "just to be safe." Is screening ECG recommended?'
    )
    assert question.yes_no


def test_an_age_is_no_kind_a_thing_is_said_to_be() -> None:
    # set AG: "Is a uterine ultrasound enough for … in a 44-year-old?" made "44-year-old" a kind
    assert analyse_question("Is a uterine ultrasound enough in a 44-year-old?").subject is None
    assert analyse_question("Is uveitis an autoimmune disease?").subject == "uveitis"


def test_lead_is_the_metal_unless_it_leads_to_something(evidence_store: SQLiteStore) -> None:
    metal = analyse_question("What do you do with a lead level of 10 in an infant?", evidence_store)
    verb = analyse_question("Can vitamin D deficiency lead to fatigue?", evidence_store)
    assert "lead" in metal.known
    assert not any("lead" in concept.split() for concept in verb.concepts)


def test_a_word_formed_as_a_condition_is_known_without_the_vocabulary(
    evidence_store: SQLiteStore,
) -> None:
    question = analyse_question(
        "What should you do with someone not getting better from epicondylitis after physical"
        " therapy?",
        evidence_store,
    )
    assert "epicondylitis" in question.known


def test_everyday_phrases_and_whose_words_are_not_key_phrases() -> None:
    # set AE: "all the time" searched "time", "got back from a trip" the body part, "mom's
    # walking" was one phrase
    assert "time" not in key_phrases("exhausted all the time, might it be fibromyalgia?")
    assert "back" not in key_phrases("my husband just got back from a trip where there's Zika")
    assert "walking" in key_phrases("my mom's walking is really unsteady")
    assert not [p for p in key_phrases("my mom's walking is really unsteady") if "mom" in p]
    # set CG: whose age is no part of what is asked, nor what the doctor "calls" it
    aged = key_phrases(
        "Our 6-year-old's nephrotic syndrome didn't respond to prednisone; the kidney doctor"
        " calls it steroid-resistant."
    )
    assert "nephrotic syndrome" in aged
    assert not [p for p in aged if "year" in p or "calls" in p], aged
    assert "over-the-counter" in key_phrases("are they all over-the-counter or not?")


def test_which_of_two_with_glosses_is_no_yes_no_question() -> None:
    # set AF: "Is Cytomel T3 (triiodothyronine) or T4 (thyroxine)?" was answered "Yes"
    assert not analyse_question("Is Cytomel T3 (triiodothyronine) or T4 (thyroxine)?").yes_no
    assert analyse_question("Is Cytomel (liothyronine) safe in pregnancy?").yes_no


@pytest.mark.parametrize(
    "text",
    [  # set AR: answered "Yes" from a Marburg fever page naming abdominal pain
        "Is headache or abdominal pain more common with streptococcal sore throat?",
        "Is ibuprofen or acetaminophen better for a toddler with fever?",
        # set AU: "Yes" quoting the statement for all women of reproductive age
        "Should I screen for intimate partner violence only in women who have risk factors, or"
        " in all of them?",
    ],
)
def test_which_of_two_is_more_so_is_no_yes_no_question(text: str) -> None:
    assert not analyse_question(text).yes_no


@pytest.mark.parametrize(
    "text",
    [  # set AR: "Yes" from the statement for adults 18 to 79, "No" from a D's polarity
        "Does the USPSTF hepatitis C screening recommendation for adults aged 18 to 79 include"
        " pregnant patients?",
        "74-year-old woman who never smoked asks for an AAA ultrasound. Does the USPSTF D"
        " recommendation against screening women who never smoked apply to her?",
        # set BB: "No" from the D's "recommends against" to what the statement is aimed at
        "Is the USPSTF D recommendation against resting or exercise ECG screening in"
        " asymptomatic adults at low risk aimed at preventing cardiovascular disease events, and"
        " would it apply to an employer wellness program?",
        # set BD: a strong "Yes" for a transplant recipient on immunosuppressants
        "26-year-old kidney transplant recipient is due for cervical cancer screening. Does the"
        " USPSTF A recommendation of cytology every 3 years for women aged 21 to 29 fit her, or"
        " do her risk factors call for something different?",
        # set BH: a strong "Yes" from the statement for asymptomatic adults
        "Does the USPSTF D recommendation against pancreatic cancer screening mean I should not"
        " image a 66-year-old with painless jaundice and weight loss?",
    ],
)
def test_whom_a_recommendation_covers_is_no_yes_no_question(text: str) -> None:
    assert not analyse_question(text).yes_no


def test_a_recommendation_asked_of_is_still_yes_no_beside_another_question() -> None:
    # "include" belongs to the second question, not to the guideline's scope
    assert analyse_question(
        "Does the VA/DoD obesity guideline support a lifestyle program by telephone, and how"
        " many contacts should the program include?"
    ).yes_no


def test_a_pair_in_a_yes_no_question_is_no_choice() -> None:
    assert analyse_question("Is ibuprofen safe in pregnancy or breastfeeding?").yes_no
    assert analyse_question("Are children or teenagers at risk of statin side effects?").yes_no


def test_a_relation_verb_ends_a_key_phrase() -> None:
    # set AF: "Do his race and sex raise his colorectal cancer risk" searched "sex raise"
    phrases = key_phrases("Do his race and sex raise his colorectal cancer risk?")
    assert "sex raise" not in phrases and "sex" in phrases


def test_an_idiom_breaks_the_phrase_around_it() -> None:
    # set AF: "platelet count came back low" was searched as "platelet count low"
    phrases = key_phrases("My platelet count came back low on routine bloodwork.")
    assert "platelet count low" not in phrases and "platelet count" in phrases
    assert "started lamivudine" not in key_phrases("I've started lamivudine for hepatitis B.")
    # set AL: "raise its ugly head" searched "ugly head" and "head"
    lyme = key_phrases("Lyme disease. That always seems to raise its ugly head.")
    assert not [p for p in lyme if "head" in p] and "lyme disease" in lyme
    # set AN: "if i leave it alone" searched "leave" and "alone"
    dry = key_phrases("can dry eye actually cause damage if i leave it alone?")
    assert "leave" not in dry and "alone" not in dry and "dry eye" in dry


def test_a_letter_after_a_name_is_part_of_it(evidence_store: SQLiteStore) -> None:
    # set AJ: "self-medicated with Vitamin A" was searched as "vitamin"
    phrases = key_phrases("She self-medicated with Vitamin A, 2 tablets per day.")
    assert "vitamin a" in phrases and "vitamin" not in phrases
    assert "hepatitis a vaccine" in key_phrases("Is hepatitis a vaccine safe in pregnancy?")
    assert not [p for p in key_phrases("I took a pill for a headache") if p.endswith(" a")]


def test_who_answers_and_the_grade_asked_are_not_what_is_asked() -> None:
    # set AJ: "uspstf" was the focus of a question on vitamin supplements, "grade" was searched
    # as "histologic grade", and "Preventive Services" made a question on prevention
    question = analyse_question(
        "What grade does the USPSTF give cessation interventions for tobacco in this age group?"
    )
    assert not [c for c in question.concepts if "uspstf" in c or "grade" in c.split()]
    told = analyse_question(
        "What does the United States Preventive Services Task Force say about skin cancer"
        " screening?"
    )
    assert not [c for c in told.concepts if "task force" in c or "preventive" in c]
    assert told.type is not QuestionType.TREATMENT
    assert "tumor grade" in key_phrases("What does tumor grade mean?")
    assert "uspstf" not in without_source_names("What does the USPSTF say?").lower()


def test_a_message_typed_in_lower_case_is_still_several_sentences() -> None:
    # set AJ: "… had alzheimers. is there anything …" was one sentence and its question was
    # never read alone
    assert sentence_case("my mom had alzheimers. is there anything i can do?") == (
        "my mom had alzheimers. Is there anything i can do?"
    )
    assert sentence_case("see dr. smith, e.g. today") == "see dr. smith, e.g. today"
    # set AS: an acronym ends a sentence too
    assert sentence_case("he's in the ICU. what's the outlook?") == (
        "he's in the ICU. What's the outlook?"
    )


def test_a_guess_at_the_name_gives_way_to_the_question_after_it() -> None:
    # set AS: "could this be gingivitis? what are the symptoms?" asked a yes/no no source
    # answers, and "what's" opened no wh-question
    guess = analyse_question(
        "my gums bleed when I brush. could this be gingivitis? what are the symptoms?"
    )
    assert not guess.yes_no and guess.type is QuestionType.DIAGNOSIS
    assert not analyse_question("Does she have pneumonia? What tests does she need?").yes_no
    outlook = analyse_question(
        "my brother got NMS and he's in the ICU. what's the outlook? will he ever be able to"
        " take antipsychotic medicine again?"
    )
    assert not outlook.yes_no and outlook.type is QuestionType.PROGNOSIS
    assert analyse_question("could this be gingivitis?").yes_no  # nothing else is asked
    assert analyse_question("Could this be gingivitis? Should I see a dentist?").yes_no
    assert "eats" not in " ".join(
        analyse_question("If a woman eats fortified cereal, does she need folic acid?").concepts
    )


def test_a_yes_no_question_narrowed_by_a_short_one_after_it_asks_that() -> None:
    # set AW: "is it caused by a gene change? which gene?" abstained, no source saying yes or
    # no to a gene change beside the page naming the gene
    narrowed = analyse_question(
        "our baby was diagnosed with mainzer-saldino syndrome. is it caused by a gene change?"
        " which gene?"
    )
    assert not narrowed.yes_no
    assert not analyse_question("Is it serious? How long does it last?").yes_no
    # a second question that asks more than which or how stays a yes/no
    assert analyse_question(
        "Is it inherited? Should our other children be tested for it by a genetic counselor?"
    ).yes_no
    assert analyse_question("Is it caused by a gene change?").yes_no


def test_whether_anything_can_be_done_asks_what_can() -> None:
    # set AJ: "Is there anything I can do to lower my own risk?" got "Uncertain"
    question = analyse_question("Is there anything I can do to lower my risk of bladder cancer?")
    assert not question.yes_no
    assert question.type is QuestionType.TREATMENT
    assert not analyse_question("Is there anyway to prevent ovarian cysts?").yes_no


def test_a_relative_clause_or_a_request_is_no_question_frame() -> None:
    # set AJ: "… whose brother had an AAA repair. Should I screen her …?" was a wh-question;
    # "can someone explain it in plain english?" a yes/no one
    assert analyse_question(
        "68-year-old woman, never smoked, whose brother had an AAA repair. Should I screen her?"
    ).yes_no
    assert not analyse_question(
        "my dr thinks it might be fibromyalgia. can someone explain it in plain english?"
    ).yes_no


def test_a_wh_question_may_open_with_a_preposition() -> None:
    # set AM: "At what age should …, and should it be limited to …?" got a yes/no verdict
    for text in [
        "At what age should clinicians start applying fluoride varnish, and should it be limited"
        " to children at high risk?",
        "Up to what age does the USPSTF recommend fluoride varnish?",
        "In which patients is aspirin indicated?",
        "For how long should I take antibiotics?",
    ]:
        assert not analyse_question(text).yes_no, text
    assert analyse_question("In children, should aspirin be avoided?").yes_no
    assert analyse_question("At age 50, should I get a colonoscopy?").yes_no


def test_whether_a_person_has_a_condition_is_no_yes_or_no() -> None:
    # set AQ: "Does she have pneumonia?" got "Yes" from pneumonia's definition
    # set BG: "Is this a pyogenic granuloma?" got "Yes" from the granuloma's description
    for text in [
        "Does she have pneumonia?",
        "Does my son have ADHD?",
        "Do I have diabetes?",
        "Is this a pyogenic granuloma?",
    ]:
        question = analyse_question(text)
        assert not question.yes_no, text
        assert question.type is Q.DIAGNOSIS, text
    for text in [
        "Could I have inherited it from him?",
        "Does he have to fast before the test?",
        "Does aspirin have an effect on platelets?",  # which side effects: a list (set BS)
        "Can I have a beer on metronidazole?",
        "Is this a sign of cancer?",  # what it means, not what it is
        "Is that a side effect of metformin?",
    ]:
        assert analyse_question(text).yes_no, text


def test_whom_a_recommendation_covers_is_no_yes_or_no() -> None:
    # set BG: "Uncertain" for a question on whom it covers
    text = (
        "Is she in the population covered by the USPSTF B recommendation on preventing falls in"
        " older adults, and what kind of intervention does that recommendation advise for her?"
    )
    assert asks_scope(text)
    assert not analyse_question(text).yes_no
    # set BM: "No" from "recommends against screening" for a woman with symptoms
    stops = (
        "Does the USPSTF D recommendation against bacterial vaginosis screening in pregnant"
        " persons not at increased risk for preterm delivery stop me from testing a low-risk"
        " woman at 20 weeks who has a thin gray discharge with a fishy odor?"
    )
    assert asks_scope(stops)
    assert not analyse_question(stops).yes_no


def test_a_story_s_day_is_no_key_phrase() -> None:
    concepts = analyse_question(
        "My dad had a stroke yesterday and is in the hospital. What are the treatments for stroke?"
    ).concepts
    assert "stroke" in concepts
    assert not any("yesterday" in c for c in concepts), concepts


def test_a_number_s_thousands_comma_ends_no_phrase() -> None:
    # set BM searched "takes 2" and "000 iu"
    concepts = analyse_question("He takes 2,000 IU of vitamin D daily; should he stop?").concepts
    assert not any(c.endswith(" 2") or c.startswith("000") for c in concepts), concepts
    assert any("2000 iu" in c for c in concepts), concepts


def test_the_asked_clause_is_where_the_question_starts() -> None:
    # set AL: the story's USPSTF sits before the clause that asks
    assert (
        asked_clause("She's younger than the USPSTF screening age; should I check her anyway?")
        == "should I check her anyway?"
    )
    text = "Does the USPSTF statement cover boys?"
    assert asked_clause(text) == text
    assert asked_clause("Knee pain after a fall.") == "Knee pain after a fall."


def test_a_guidelines_name_is_who_answers_not_what_is_asked() -> None:
    # set AP: "va dod opioid guideline" was the focus, and no sentence of that very guideline
    # named it
    phrases = key_phrases(
        "What does the VA/DoD opioid guideline say about long-term opioids and benzodiazepines?"
    )
    assert "long-term opioids" in phrases
    assert not [p for p in phrases if "guideline" in p or "dod" in p]
    phrases = key_phrases("Does the 2014 CDC PrEP guideline support tenofovir in adolescents?")
    assert "prep" in phrases
    assert not [p for p in phrases if "cdc" in p or "2014" in p]


def test_what_a_story_denies_is_who_not_what() -> None:
    # set AK: "no fractures or steroid use" made "fractures" the focus of a bone density question
    phrases = key_phrases(
        "Healthy 67-year-old woman, never smoked, no fractures or steroid use, asks whether she"
        " needs a bone density scan. Should I still order one?"
    )
    assert "bone density scan" in phrases
    assert not [p for p in phrases if "fractures" in p or "steroid" in p]
    assert "fractures" in key_phrases("Can steroid use cause fractures?")
    # a question sentence denies nothing: "no scalpel" is the procedure's name (set AB)
    assert "scalpel vasectomies" in key_phrases("How do you do no scalpel vasectomies?")


def test_a_question_linked_by_so_is_still_yes_or_no() -> None:
    # set AJ: "He's outside the 15 to 65 age range, so should I still offer him HIV screening?"
    assert analyse_question(
        "He's outside the 15 to 65 age range, so should I still offer him HIV screening?"
    ).yes_no


def test_a_clause_that_tells_is_no_yes_no_question() -> None:
    # set AO: "…, has loose skin on his hands and a heart problem." was read as "Has …?", and
    # "What is Costello syndrome?" got a yes/no verdict
    question = analyse_question(
        "Our 8 month old was born big but now isn't growing well, has loose skin on his hands and"
        " a heart problem. The geneticist said it might be Costello syndrome. What is Costello"
        " syndrome?"
    )
    assert not question.yes_no
    assert analyse_question("Has he had the vaccine? He is 12.").yes_no


def test_what_a_test_showed_is_asked_about_not_the_test() -> None:
    # set BG: "blood" was the name the toxoplasmosis pages were looked up by
    question = analyse_question(
        "My blood test showed I have toxoplasmosis, probably from our cats. Is there a treatment"
        " for it, and does everyone who has it need medicine?"
    )
    assert question.concepts[0] == "toxoplasmosis"
