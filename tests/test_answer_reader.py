"""What the answer says, read by the reader, on the real demo corpus: the failure shapes a
reviewer found (another thing sharing a word, parentheses flipping a verdict, a methods line as
the bottom line, a contradicted claim answered yes), paraphrase stability, and each reference's
stance in the record and on the page."""

from __future__ import annotations

import dataclasses
import re

import pytest

from medcite.answer.decide import again_of_one_time, asks_care, statement_cannot_say
from medcite.answer.engine import Engine
from medcite.answer.model import Answer, Question, QuestionType, Stance, Verdict
from medcite.answer.question import analyse_question
from medcite.answer.read import (
    _names_near,
    _stating,
    advises,
    asked_kind,
    asked_name,
    asked_of,
    concept_groups,
    content_words,
    denied,
    focus_group,
    kind_page,
    named_grade,
    named_grade_topic,
    named_statement,
    names_genes,
    pages_of_other_ages,
    question_sides,
    quoted_statements,
    relation_ends,
    signs_answering,
    story_question,
    tells_causes,
    tells_effects,
    without_named_statement,
)
from medcite.answer.sentences import EvidenceSentence, stands_alone, stands_alone_in_page
from medcite.eval.claims import Claim, evaluate_claims
from medcite.index.embeddings import Embedder
from medcite.records import Document, EvidenceType, Hit, Passage
from medcite.settings import Settings
from medcite.store.sqlite import SQLiteStore

METHODS_LINE = re.compile(
    r"^(objectives?|methods?|design|background|aims?|key ?words?)\b|"
    r"\b(were|are|was) randomi[sz]ed to\b|"
    r"^to (determine|evaluate|assess|compare|investigate)\b",
    re.I,
)


@pytest.fixture(scope="module")
def engine(demo_store: SQLiteStore, embedder: Embedder) -> Engine:
    return Engine(demo_store, Settings(), embedder=embedder)


def items(answer: Answer) -> list[str]:
    return [item.text for section in answer.sections for item in section.items]


def leading(answer: Answer, n: int = 2) -> list[str]:
    return [r.doc_id for r in answer.references[:n]]


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("question", "other"),
    [
        ("What are the symptoms of vitamin A deficiency?", re.compile(r"vitamin d\b", re.I)),
        ("How is eosinophilic fasciitis treated?", re.compile(r"plantar fasciitis", re.I)),
        ("What causes the common cold?", re.compile(r"cold urticaria", re.I)),
        # "pyloric atresia, which is an obstruction" is not "pyloric obstruction" (review set R)
        (
            "How much vomiting is normal in an infant and how much should make you think of "
            "pyloric stenosis?",
            re.compile(r"pyloric atresia", re.I),
        ),
    ],
)
def test_another_thing_sharing_a_word_is_not_evidence(
    engine: Engine, question: str, other: re.Pattern[str]
) -> None:
    answer = engine.answer(question, save=False)
    shown = [answer.bottom_line.text, *items(answer)]
    assert not [text for text in shown if other.search(text)], shown


@pytest.mark.sqlite_only
def test_parentheses_do_not_flip_the_verdict(engine: Engine) -> None:
    plain = engine.answer("Can vitamin B12 deficiency cause leukopenia?", save=False)
    glossed = engine.answer(
        "Can a vitamin B12 (B12) deficiency cause leukopenia (low white blood cell count)?",
        save=False,
    )
    assert plain.bottom_line.verdict is glossed.bottom_line.verdict
    # the shipped corpus never links B12 to leukopenia: no "yes" either way
    assert glossed.bottom_line.verdict is not Verdict.YES


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "question",
    [
        "Does vitamin B12 supplementation improve growth in Nepalese infants?",
        "Does zinc supplementation reduce diarrhoea in children?",
        "What are the effects of vitamin A supplementation at birth?",
    ],
)
def test_the_bottom_line_is_a_finding_not_a_methods_line(engine: Engine, question: str) -> None:
    answer = engine.answer(question, save=False)
    quoted = [
        q.text for r in answer.references if r.n in answer.bottom_line.citations for q in r.quotes
    ]
    assert quoted or answer.bottom_line.verdict is Verdict.INSUFFICIENT
    assert not METHODS_LINE.search(answer.bottom_line.text), answer.bottom_line.text
    for text in items(answer):
        assert not re.match(r"^key ?words?\b", text, re.I)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "Can vitamin B12 deficiency cause leukopenia?",
            "Can deficiency of vitamin B12 cause leukopenia?",
        ),
        ("What are the symptoms of sickle cell disease?", "What are sickle cell disease symptoms?"),
        ("How is carpal tunnel syndrome treated?", "How is the carpal tunnel syndrome treated?"),
        (  # British spelling: "diarrhoea" was not in the vocabulary (uncertain vs no)
            "Is zinc supplementation effective for diarrhoea in children?",
            "Is zinc supplementation effective for diarrhea in children?",
        ),
    ],
)
def test_paraphrases_get_the_same_verdict_and_leading_references(
    engine: Engine, first: str, second: str
) -> None:
    a = engine.answer(first, save=False)
    b = engine.answer(second, save=False)
    assert a.bottom_line.verdict is b.bottom_line.verdict
    if a.bottom_line.verdict is Verdict.INSUFFICIENT:  # both say so and cite nothing
        assert a.references == b.references == ()
    else:
        assert set(leading(a, 1)) & set(leading(b, 2)), (leading(a), leading(b))


@pytest.mark.sqlite_only
def test_yes_no_references_carry_their_stance(engine: Engine) -> None:
    answer = engine.answer(
        "Is zinc supplementation effective for diarrhoea in children?", save=False
    )
    assert answer.references
    assert all(r.stance in set(Stance) for r in answer.references)
    data = answer.to_dict()
    assert {r["stance"] for r in data["references"]} <= {"supports", "contradicts", "neutral"}
    if answer.bottom_line.verdict is Verdict.YES:
        cited = {r.n: r.stance for r in answer.references}
        assert any(cited[n] is Stance.SUPPORTS for n in answer.bottom_line.citations)


@pytest.mark.sqlite_only
def test_other_questions_carry_no_stance(engine: Engine) -> None:
    answer = engine.answer("What are the symptoms of concussion?", save=False)
    assert all(r.stance is None for r in answer.references)


@pytest.mark.sqlite_only
def test_a_contradicted_claim_is_not_answered_yes(engine: Engine) -> None:
    # SciFact training claim 2 (its abstract is in the demo corpus): the evidence contradicts it.
    claims = [
        Claim(
            "2",
            "1 in 5 million in UK have abnormal PrP positivity.",
            "CONTRADICT",
            frozenset({"scifact:13734012"}),
        ),
    ]
    report = evaluate_claims(claims, engine, held_out=False, progress=False)
    (_, predicted, _) = report.rows[0]
    assert predicted != "SUPPORT"
    figures = report.to_dict()
    assert figures["claims"] == 1 and figures["no_evidence_committed"] is None


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("question", "conclusion"),
    [
        (
            # PubMedQA 'yes' records whose trials are in the demo corpus: the reader scores the
            # conclusion low (P(answers) 0.33) and its stance neutral; the verdict said
            # "Uncertain … takes no clear position" before the stance model's cues were added
            "Can vitamin C prevent complex regional pain syndrome in patients with wrist"
            " fractures?",
            "Vitamin C reduces the prevalence of complex regional pain syndrome",
        ),
        (
            "Does elective re-siting of intravenous cannulae decrease peripheral thrombophlebitis?",
            "results in a significant reduction in the incidence",
        ),
    ],
)
def test_a_trial_that_answers_yes_gets_yes_and_its_conclusion_is_quoted(
    engine: Engine, question: str, conclusion: str
) -> None:
    answer = engine.answer(question, save=False)
    assert answer.bottom_line.verdict is Verdict.YES
    assert conclusion in answer.bottom_line.text
    key = [s for s in answer.sections if s.heading == "Key evidence"]
    assert key and key[0].items  # the sentences the verdict weighed are shown


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "negated",
    [
        "Is it true that vitamin C does not prevent complex regional pain syndrome in patients"
        " with wrist fractures?",
        "Is it true that vitamin C cannot prevent complex regional pain syndrome in patients"
        " with wrist fractures?",
    ],
)
def test_a_negated_claim_gets_the_opposite_verdict_from_the_same_sources(
    engine: Engine, negated: str
) -> None:
    asked = engine.answer(
        "Can vitamin C prevent complex regional pain syndrome in patients with wrist fractures?",
        save=False,
    )
    answer = engine.answer(negated, save=False)
    assert asked.bottom_line.verdict is Verdict.YES
    assert answer.bottom_line.verdict is Verdict.NO, answer.bottom_line.text
    assert "Vitamin C reduces the prevalence" in answer.bottom_line.text
    assert leading(answer) == leading(asked)
    stances = {r.doc_id: r.stance for r in answer.references}
    for reference in asked.references:
        if reference.stance is Stance.SUPPORTS:
            assert stances[reference.doc_id] is Stance.CONTRADICTS


@pytest.mark.sqlite_only
def test_a_contradicted_negated_claim_is_answered_no(engine: Engine) -> None:
    # SciFact training claim held out from the reader: its abstract shows that colorectal
    # cancer stem cells express CD44v6, which drives their metastasis
    claims = [
        Claim(
            "203",
            "CD44v6 is not associated with constitutive and reprogrammed cancer stem cells"
            " driving cancer metastasis.",
            "CONTRADICT",
            frozenset({"scifact:9558539"}),
        ),
    ]
    report = evaluate_claims(claims, engine, held_out=False, progress=False)
    assert report.rows[0][1:] == ("CONTRADICT", True)  # answered no, citing its abstract


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("question", "conclusion"),
    [
        # Review set L (eighth session): "Yes" bottom lines quoting sentences that say no.
        (
            "Delayed diagnosis of anorectal malformations: are current guidelines sufficient?",
            "Current guidelines appear insufficient",
        ),
        (
            "Are serum leptin levels a prognostic factor in advanced lung cancer?",
            "has no prognostic indications",
        ),
        (
            "Can mass drug administration lead to the sustainable control of schistosomiasis?",
            "insufficient to control",
        ),
        (
            # the one source found said no association: it was "Uncertain"
            "Does binge drinking during early pregnancy increase the risk of psychomotor deficits?",
            "no systematic association",
        ),
        # Review set Q (eleventh session): a universal question answered "Yes, all patients"
        # from a conclusion that some should go straight to transplantation
        (
            "Biliary atresia: should all patients undergo a portoenterostomy?",
            "those patients who will not benefit from a Kasai procedure",
        ),
        (
            "Assessment of carotid artery stenosis before coronary artery bypass surgery. Is it"
            " always necessary?",
            "selective screening of patients",
        ),
        # … and "Yes" quoting a denial of the subject that turns to another factor
        (
            "Do general practice characteristics influence uptake of an information technology"
            " (IT) innovation in primary care?",
            "structural characteristics of a practice are not associated with uptake",
        ),
        # Review set V (thirteenth session): "Yes" quoting a conclusion that sets the asked
        # cause aside
        (
            "Is delayed gastric emptying following pancreaticoduodenectomy related to pylorus"
            " preservation?",
            "rather than to pylorus preservation",
        ),
        # Review set W (fourteenth session): an abstract without labelled sections concludes
        # with "These results suggest …"; its "neither … nor …" before a turn to another
        # matter says no (it was "Yes" on the hypothesis line of its background)
        (
            "Is it true that satellite cell dysfunction is a key factor in sarcopenia development?",
            "neither accelerated nor exacerbated sarcopenia",
        ),
    ],
)
def test_a_conclusion_that_denies_the_question_answers_no(
    engine: Engine, question: str, conclusion: str
) -> None:
    answer = engine.answer(question, save=False)
    assert answer.bottom_line.verdict is Verdict.NO, answer.bottom_line.text
    assert conclusion in answer.bottom_line.text
    assert all(r.stance is not Stance.SUPPORTS for r in answer.references)


@pytest.mark.sqlite_only
def test_a_conclusion_that_leaves_the_question_open_is_no_yes(engine: Engine) -> None:
    # review set V: "Yes" quoting "… but may or may not reduce use of restorative services"
    answer = engine.answer(
        "Does fluoridation reduce the use of dental services among adults?", save=False
    )
    assert answer.bottom_line.verdict is Verdict.UNCERTAIN, answer.bottom_line.text


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        # review set V: "Uncertain" although the study that asked it answers in its own words
        (
            "Is aneurysm repair justified for the patients aged 80 or older after aneurysmal"
            " subarachnoid hemorrhage?",
            "Better prognosis was obtained when ruptured aneurysm was repaired",
        ),
        # … and "No" because "Type 2 diabetes" holds a "2" its conclusion never states
        (
            "Does aerobic fitness influence microvascular function in healthy adults at risk of"
            " developing Type 2 diabetes?",
            "higher levels of aerobic fitness also had better microvascular",
        ),
    ],
)
def test_the_study_that_asked_it_answers_yes_in_its_own_words(
    engine: Engine, question: str, quoted: str
) -> None:
    answer = engine.answer(question, save=False)
    assert answer.bottom_line.verdict is Verdict.YES, answer.bottom_line.text
    assert quoted in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_a_result_line_does_not_outvote_its_own_conclusion(engine: Engine) -> None:
    # the leptin abstract's results say leptin is lower in lung cancer and tracks BMI ("yes"
    # readings); its conclusions say it has no prognostic value: the document contradicts
    answer = engine.answer(
        "Are serum leptin levels a prognostic factor in advanced lung cancer?", save=False
    )
    stances = {r.doc_id: r.stance for r in answer.references}
    assert stances.get("pmid:28127977") is Stance.CONTRADICTS


@pytest.mark.sqlite_only
def test_a_guideline_recommendation_answers_a_should_question(engine: Engine) -> None:
    # review set L: "Uncertain" although the USPSTF recommendation was among the items
    answer = engine.answer(
        "Should aspirin be given prophylactically in someone with pregnancy-induced"
        " hypertension (PIH) to prevent preeclampsia?",
        save=False,
    )
    assert answer.bottom_line.verdict is Verdict.YES
    assert "recommends" in answer.bottom_line.text
    assert any(r.evidence_type.value == "guideline" for r in answer.references[:2])


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("question", "verdict", "quoted"),
    [
        (  # set AA: "Yes" from an MR angiography study over the USPSTF's "recommends against"
            "Should I order a carotid duplex ultrasound to screen asymptomatic adults for carotid"
            " artery stenosis?",
            Verdict.NO,
            "recommends against screening for asymptomatic carotid artery stenosis",
        ),
        (  # set AA: an I statement was read as "Yes"
            "Is there evidence that screening asymptomatic adults for oral cancer is beneficial?",
            Verdict.UNCERTAIN,
            "current evidence is insufficient",
        ),
        (  # set AA: the statement for men who have ever smoked answered those who never did
            "Should men aged 65 to 75 who never smoked get a screening ultrasound for abdominal"
            " aortic aneurysm?",
            Verdict.UNCERTAIN,
            "selectively offer screening for AAA",
        ),
        (  # set AA: "total hysterectomy" and "routinely screened" were sides no sentence named
            "Does a woman who had a total hysterectomy for fibroids still need cervical cancer"
            " screening?",
            Verdict.NO,
            "women who have had a hysterectomy",
        ),
        (
            "Should children aged 6 to 24 months be routinely screened for iron deficiency anemia?",
            Verdict.UNCERTAIN,
            "children ages 6 to 24 months",
        ),
        (  # set AB: "Yes, strong" from the statement for men
            "Should a 70-year-old woman who smoked for 20 years get an ultrasound to screen for"
            " abdominal aortic aneurysm?",
            Verdict.UNCERTAIN,
            "women aged 65 to 75 years who have ever smoked",
        ),
        (  # set AB: "Yes, strong" from the statement for after 24 weeks
            "Should asymptomatic pregnant women be screened for gestational diabetes early in"
            " pregnancy, before 24 weeks?",
            Verdict.UNCERTAIN,
            "before 24 weeks of gestation",
        ),
        (  # set AB: "No, strong" from the statement for pregnancies not at increased risk
            "Should pregnant women at high risk of preterm delivery be screened for bacterial"
            " vaginosis?",
            Verdict.UNCERTAIN,
            "who are at increased risk for preterm delivery",
        ),
        (  # set AB: "11 years or younger" read as a choice of two; the adults' statement led
            "Is routine depression screening recommended for children aged 11 years or younger?",
            Verdict.UNCERTAIN,
            "children aged 11 years or younger",
        ),
        (  # set AS: the condition told first ("eats … bread") was a side no statement names
            "If a woman who could become pregnant eats folate-fortified cereal and bread every"
            " day, does the USPSTF still recommend that she take a daily folic acid supplement,"
            " at what dose, and with what grade?",
            Verdict.YES,
            "0.4 to 0.8 mg",
        ),
    ],
)
def test_the_guideline_for_the_asked_population_gives_the_verdict(
    engine: Engine, question: str, verdict: Verdict, quoted: str
) -> None:
    answer = engine.answer(question, save=False)
    assert answer.bottom_line.verdict is verdict
    assert quoted in answer.bottom_line.text  # the guideline is quoted, not only counted
    assert answer.references[0].evidence_type.value == "guideline"


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("question", "opening"),
    [
        (  # set AA: a congenital-syphilis study's remark was the bottom line
            "At what point in pregnancy should women be screened for syphilis?",
            "The USPSTF recommends early screening for syphilis infection in all pregnant women",
        ),
        (  # set AA: a preconception-services list; then the statement for women
            "Which sexually active men should be screened for chlamydia and gonorrhea?",
            "The USPSTF concludes that the current evidence is insufficient",
        ),
        (  # set AB: "primary care" was a side no sentence named, and the question abstained
            "Which adults in primary care should be screened for latent tuberculosis infection?",
            "The USPSTF recommends screening for latent tuberculosis infection (LTBI)",
        ),
        (  # set AB: so was "prenatal care"
            "How should pregnant women be screened for preeclampsia during routine prenatal care?",
            "The USPSTF recommends screening for preeclampsia in pregnant women with blood"
            " pressure measurements",
        ),
    ],
)
def test_what_should_be_done_is_answered_by_the_guideline_for_the_population(
    engine: Engine, question: str, opening: str
) -> None:
    answer = engine.answer(question, save=False)
    assert answer.bottom_line.verdict is None
    assert answer.bottom_line.text.startswith(opening)
    assert answer.references[0].evidence_type.value == "guideline"


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("question", "noted"),
    [
        (  # set BA: only the statement was shown; the answer sat in the record's own notes,
            # glued into one sentence by the API's citation numbers ("women.13 The Centers")
            "Alongside its A recommendation for ocular prophylaxis in all newborns within 24"
            " hours of birth, which women does the USPSTF say should be screened for gonorrhea,"
            " and whose guidance does it cite for the choice of ocular prophylaxis and the"
            " treatment of gonococcal ophthalmia neonatorum?",
            [
                "The USPSTF recommends screening for gonorrhea in all sexually active women 24"
                " years and younger and in older women at increased risk for infection, as well"
                " as pregnant women.",
                "The Centers for Disease Control and Prevention provides clinical guidance for"
                " ocular prophylaxis and treatment of gonococcal ophthalmia neonatorum.",
            ],
        ),
        (  # set W-AZ: a consumer page's diagnosis lines under the LTBI statement
            "Which adults in primary care should be screened for latent tuberculosis infection?",
            ["countries with increased tuberculosis prevalence"],
        ),
    ],
)
def test_a_recommendation_comes_with_its_recorded_considerations(
    engine: Engine, question: str, noted: list[str]
) -> None:
    answer = engine.answer(question, save=False)
    assert answer.bottom_line.verdict is None
    assert answer.bottom_line.text.startswith("The USPSTF recommends")
    shown = items(answer)
    for text in noted:
        assert any(text in item for item in shown), shown
    # the first section is the record's own: it cites what the bottom line cites
    assert {i.citations for i in answer.sections[0].items} == {answer.bottom_line.citations}


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("question", "statement", "noted"),
    [
        (  # set BC: abstained, the question typed as one on diagnosis by its story
            "60-year-old man who worked 30 years in a dye factory with aromatic amine exposure"
            " has no urinary symptoms and asks for urine cytology. Does the USPSTF I statement on"
            " bladder cancer screening cover someone with his occupational exposure, and has the"
            " Task Force looked for new evidence since its last review?",
            "screening for bladder cancer in asymptomatic adults",
            "did not find any new high quality evidence",  # its notes, though "dye" was off
        ),
        (  # set BQ: the risk assessment's notes were told; the statement's own sentences
            # answer what is asked of it
            "Under the USPSTF C recommendation on mammography at 40 to 49, what is"
            " overdiagnosis, does starting younger or screening more often raise it, and which"
            " age group is most likely to avoid breast cancer death through mammography?",
            "should be an individual one",
            "women aged 60 to 69 years are most likely to avoid breast cancer death",
        ),
        (  # set BC: the risk assessment was never retrieved; fetched from the record
            "52-year-old woman whose mother and sister both had breast cancer asks for yearly"
            " mammograms. Does the USPSTF B recommendation for biennial screening at 50 to 74"
            " change for her, and does the Task Force's discussion of first-degree relatives"
            " concern women in their 50s or women in their 40s?",
            "biennial screening mammography for women aged 50 to 74 years",
            "having a first-degree relative with breast cancer is associated with",
        ),
        (  # set AW: the C statement for men answered a question naming the D one for women
            "71-year-old woman who never smoked and has no family history of AAA asks for an"
            " aneurysm ultrasound. Does the USPSTF D recommendation against screening women who"
            " never smoked apply to her?",
            "in women who have never smoked and have no family history of AAA",
            "",
        ),
        (  # set BG abstained: its statement (three criteria in one sentence of 78 words, run
            # into the next with no space) was never evidence, nor retrieved by the story
            "58-year-old man who smokes half a pack a day, BP 126/78, LDL 118 mg/dL, HDL 52"
            " mg/dL, no diabetes and no heart disease or stroke, has a calculated 10-year CVD"
            " risk of 11%. Does his smoking alone satisfy the risk-factor criterion of the USPSTF"
            " B recommendation on statins for primary prevention, and what statin intensity does"
            " it call for?",
            "use a low- to moderate-dose statin",
            "",
        ),
        (  # set BG abstained: "one-time ultrasound" is the statement's "1-time …
            # ultrasonography", and a 78-year-old asked about is no reason to drop it
            "Does the USPSTF B recommendation on one-time ultrasound screening for AAA in men"
            " who have ever smoked cover a 78-year-old man who smoked for 30 years, or a"
            " 63-year-old former smoker, and does it extend to a 70-year-old woman who smoked for"
            " decades?",
            "1-time screening for abdominal aortic aneurysm (AAA) with ultrasonography in men",
            "",
        ),
        (  # set BU quoted the ovarian cancer D statement: "exams" is "Examination"
            "Asymptomatic 72-year-old woman, not at increased risk, asks for her yearly internal"
            " exam to check for ovarian cancer. Does the USPSTF I statement on screening pelvic"
            " exams cover her, and does it mean the exam is not recommended?",
            "performing screening pelvic examinations in asymptomatic women",
            "",
        ),
        (  # set BG abstained: "minimize" is the statement's "minimizing"
            "Fair-skinned, red-haired parents bring their 3-month-old to a well visit and ask"
            " about sun protection for the summer. Does the USPSTF B recommendation on counseling"
            " to minimize UV exposure cover counseling these parents now, and from what age does"
            " it apply to the child himself?",
            "about minimizing exposure to ultraviolet (UV) radiation",
            "",
        ),
        (  # set BM abstained: a yes/no question naming its statement after a story
            "9-year-old at the 96th BMI percentile; the only local program offers six 30-minute"
            " visits. Under the USPSTF B recommendation on childhood obesity, is that intensive"
            " enough, and how many contact hours brought weight loss or cardiometabolic gains?",
            "comprehensive, intensive behavioral interventions",
            "26 contact hours or more",
        ),
        (  # set BG abstained: the statement for people older and heavier than she is
            "36-year-old woman with polycystic ovary syndrome and a BMI of 24 has never had her"
            " glucose checked. She is younger and leaner than the group in the USPSTF B"
            " recommendation on screening for abnormal blood glucose; does the Task Force suggest"
            " screening someone like her earlier, and what should I offer her if the result is"
            " abnormal?",
            "screening for abnormal blood glucose as part of cardiovascular risk assessment",
            "Clinicians should consider screening earlier",
        ),
    ],
)
def test_a_statement_named_by_grade_and_topic_answers(
    engine: Engine, question: str, statement: str, noted: str
) -> None:
    answer = engine.answer(question, save=False)
    assert answer.bottom_line.verdict is None
    assert statement in answer.bottom_line.text
    assert not noted or any(noted in item for item in items(answer)), items(answer)
    # the statement's pointers to other sections are no items (the session-38 review)
    assert not any(item.startswith(("Go to", "See the")) for item in items(answer))


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("question", "verdict", "statement"),
    [
        (  # set BM abstained
            "76-year-old man living at home with Parkinson disease and orthostatic hypotension"
            " has fallen three times this year and wants help. Under the USPSTF C recommendation,"
            " should I offer him a multifactorial fall-prevention intervention, and what should I"
            " weigh?",
            None,
            "selectively offer multifactorial interventions to prevent falls",
        ),
        (  # set BM abstained, searching "takes 2" and "000 iu"
            "71-year-old man living at home, no osteoporosis, normal vitamin D level, takes 2,000"
            " IU of vitamin D daily because he read it prevents falls. Under the USPSTF D"
            " recommendation, should I advise him to stop it for that purpose, and does it apply"
            " to men?",
            None,
            "against vitamin D supplementation to prevent falls",
        ),
        (  # set BL: "Uncertain" from the C statement, its risk sentence naming him
            "35-year-old man with red hair, freckles and light eyes who sunburns easily and used"
            " tanning beds in college is here for a physical. Under the USPSTF C recommendation,"
            " should I counsel him about minimizing UV exposure, why is counseling offered"
            " selectively rather than to all adults over 24, and which other risk factors should"
            " I ask about?",
            None,
            "selectively offer counseling to adults older than 24 years with fair skin types",
        ),
        (  # set AW: "Yes" quoting the hepatitis B statement of the same grade
            "58-year-old woman who started menstruating at 11, had her first child at 34 and"
            " drinks a glass of wine most nights asks for yearly rather than every-other-year"
            " mammograms because she read these raise her risk. Under the USPSTF B"
            " recommendation, should her screening interval change, and how does the Task Force"
            " weigh such risk factors?",
            None,
            "biennial screening mammography",
        ),
        (  # set BF abstained: no sentence shared enough of the story's words to be relevant
            "66-year-old widow with chronic low back pain keeps her late husband's leftover"
            " oxycodone and lorazepam at home and has been depressed since his death. Should I"
            " screen her for unhealthy drug use under the USPSTF B recommendation, and which of"
            " her circumstances does the Task Force list as associated with misuse of"
            " prescription drugs?",
            Verdict.YES,
            "screening by asking questions about unhealthy drug use",
        ),
    ],
)
def test_a_statement_named_by_its_grade_alone_answers(
    engine: Engine, question: str, verdict: Verdict | None, statement: str
) -> None:
    answer = engine.answer(question, save=False)
    assert answer.bottom_line.verdict is verdict
    assert statement in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_a_statement_whom_it_fits_comes_with_its_notes_not_itself_again(engine: Engine) -> None:
    """Set BD: a strong "Yes" for a transplant recipient from the statement for women aged 21
    to 29, then (as the statement) with its service field's "screening for cervical cancer
    every 3 years …" under it as an item."""
    answer = engine.answer(
        "26-year-old kidney transplant recipient on tacrolimus is due for cervical cancer"
        " screening. Does the USPSTF A recommendation of cytology every 3 years for women aged"
        " 21 to 29 fit her, or do her risk factors call for something different?",
        save=False,
    )
    assert answer.bottom_line.verdict is None
    assert "every 3 years with cervical cytology alone" in answer.bottom_line.text
    shown = items(answer)
    assert not [text for text in shown if text.rstrip(".") in answer.bottom_line.text], shown
    assert any("compromised immune system" in text for text in shown), shown


@pytest.mark.sqlite_only
def test_a_directive_naming_nothing_asked_answers_no_part_of_a_vignette(engine: Engine) -> None:
    """Set BD: "Consider wrist mobilization, myofascial work, stretching/exercise." said a
    strong "Yes" to whether nerve conduction results support a carpal tunnel release."""
    answer = engine.answer(
        "Warehouse worker with night-time numbness in the first 3 fingers has nerve conduction"
        " results of median motor distal latency 4.8 msec and ulnar motor distal latency 4.2 msec"
        " at 8 cm, with hand temperature 28°C. Under the Washington L&I work-related carpal"
        " tunnel syndrome guideline, do these results support a carpal tunnel release, and at"
        " what skin temperature must the study be done?",
        save=False,
    )
    assert "Consider wrist mobilization" not in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_a_recommendation_naming_nothing_asked_states_no_verdict(engine: Engine) -> None:
    """Set BC: "Treat patient appropriately … for latent TB infection" of a homeless-care
    guideline, which names hepatitis B boosters in another passage, answered "Yes" (strong)."""
    answer = engine.answer(
        "Nurse with a documented 3-dose hepatitis B vaccine series and an anti-HBs of 150 mIU/mL"
        " measured after the series 8 years ago is stuck by a needle used on a patient known to"
        " be HBsAg-positive. Per the CDC guidance for health-care personnel, does she need HBIG,"
        " a booster or an anti-HBs test now, should the source patient be tested, and should"
        " the needle be tested?",
        save=False,
    )
    assert "TB" not in answer.bottom_line.text
    assert not [i for i in items(answer) if "TB" in i]


@pytest.mark.sqlite_only
def test_a_named_guidelines_question_takes_no_verdict_from_another(engine: Engine) -> None:
    """Set BD: "Per the CDC guidance for health-care personnel, should she get HBIG …?" got
    "Yes, strong" from the USPSTF's statement on screening pregnant women."""
    answer = engine.answer(
        "Hospital housekeeper who signed a hepatitis B vaccine declination was stuck by a needle"
        " used on a patient whose HBsAg status is unknown; she poured bleach on the wound and"
        " reported it 9 days later. Per the CDC guidance for health-care personnel, should she"
        " get HBIG and vaccine now, should her anti-HBs be checked, and was the bleach"
        " appropriate?",
        save=False,
    )
    assert answer.bottom_line.verdict is not Verdict.YES
    assert not [r for r in answer.references if "Pregnant" in r.title]


@pytest.mark.sqlite_only
def test_a_verdict_on_a_named_statement_is_told_from_its_topics_records(engine: Engine) -> None:
    """Set BS: "Yes" to screening for hepatitis B again at delivery "under the USPSTF A
    recommendation" came with bacterial vaginosis's statement on preterm delivery."""
    answer = engine.answer(
        "28-year-old was HBsAg-negative at her first prenatal visit; at 32 weeks her husband is"
        " diagnosed with chronic hepatitis B. Under the USPSTF A recommendation, should she be"
        " screened again at admission for delivery?",
        save=False,
    )
    assert answer.bottom_line.verdict is Verdict.YES
    assert "admission to a hospital or other delivery setting" in answer.bottom_line.text
    assert not [i for i in items(answer) if "vaginosis" in i]


@pytest.mark.sqlite_only
def test_which_of_two_is_told_by_the_named_guidelines_suggestions(engine: Engine) -> None:
    """Set BT: "Uncertain" quoting "… insufficient evidence to recommend one surgical
    amputation procedure over another" for a dressing and a rehabilitation setting."""
    answer = engine.answer(
        "Veteran, 67, is 3 days out from a transtibial amputation for diabetic foot infection."
        " Per the VA/DoD lower limb amputation guideline, should he get a soft or rigid dressing,"
        " and acute inpatient rehab or a skilled nursing facility?",
        save=False,
    )
    told = " ".join([answer.bottom_line.text, *items(answer)])
    assert answer.bottom_line.verdict is not Verdict.UNCERTAIN
    assert "rigid or semi-rigid dressing" in told
    assert "acute inpatient rehabilitation program over a skilled nursing facility" in told


@pytest.mark.sqlite_only
def test_screening_again_at_delivery_is_answered_by_the_sentence_saying_when(
    engine: Engine,
) -> None:
    """Sets AO, BS: "Yes" quoting the first-visit statement, judged unsupported; the record's
    own "should be screened at the time of admission …" says it."""
    answer = engine.answer(
        "Pregnant patient was HBsAg negative at her first prenatal visit, but since then she was"
        " treated for chlamydia and disclosed injection drug use. Should she be screened for"
        " hepatitis B again when she is admitted for delivery?",
        save=False,
    )
    assert answer.bottom_line.verdict is Verdict.YES
    assert "admission to a hospital or other delivery setting" in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_rescreening_is_answered_by_the_sentences_on_screening_again(engine: Engine) -> None:
    """Set BU: "Yes, strong" quoting the statement for adolescents and adults at increased risk,
    which says nothing of screening again a man whose test was negative last year."""
    answer = engine.answer(
        "34-year-old man with HIV who has sex with men, never vaccinated, had a negative HBsAg"
        " last year. Under the USPSTF B recommendation on hepatitis B screening, should he be"
        " rescreened, and how often?",
        save=False,
    )
    assert answer.bottom_line.verdict is None
    told = " ".join(items(answer))
    assert "periodic screening may be useful" in told
    assert "Clinical judgment should be used to determine screening frequency" in told


@pytest.mark.sqlite_only
def test_screening_again_what_is_one_time_is_told_by_the_records_service(engine: Engine) -> None:
    """Set BX: "Yes, strong" quoting the statement for adults aged 18 to 79, which says nothing
    of screening again a man tested at 25; "how often" is the record's service field."""
    answer = engine.answer(
        "Under the USPSTF B recommendation on hepatitis C screening in adults 18 to 79, should a"
        " 30-year-old who last injected drugs 10 years ago and tested negative at 25 be screened"
        " again, and how often should people with continued risk be screened?",
        save=False,
    )
    assert answer.bottom_line.verdict is None
    told = items(answer)
    assert told[0] == "One-time screening for most adults."
    assert any(i.startswith("Periodically screen persons with continued risk") for i in told)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("question", "said", "page"),
    [
        (  # set BX: the bottom line was "researchers hope …", the items its symptoms
            "I keep getting fevers with bad belly pain every few weeks, and I was just diagnosed"
            " with familial Mediterranean fever. How is it treated?",
            "daily use of the drug colchicine",
            "What are the treatments for Familial Mediterranean fever ?",
        ),
        (  # set BX: its definition answered, the outlook page never searched ("memory problems"
            # was searched), and scored 0.22 once found
            "My brother was diagnosed with neurosyphilis after having memory problems. What is"
            " his outlook with treatment?",
            "Prognosis can change based on the type of neurosyphilis",
            "What is the outlook for Neurosyphilis ?",
        ),
        (
            "An MRI showed our 1-year-old son has agenesis of the corpus callosum. What is his"
            " outlook?",
            "Prognosis depends on the extent and severity of malformations.",
            "What is the outlook for Agenesis of the Corpus Callosum ?",
        ),
    ],
)
def test_the_page_of_the_asked_kind_answers_however_the_reader_scores_it(
    engine: Engine, question: str, said: str, page: str
) -> None:
    answer = engine.answer(question, save=False)
    told = " ".join([answer.bottom_line.text, *items(answer)])
    assert said in told
    assert answer.references[0].title == page
    assert "researchers hope" not in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_whether_something_plays_a_role_is_read_as_whether_it_causes(engine: Engine) -> None:
    """Set BX abstained on "Does psychosocial stress play a role in triggering enuresis?",
    having searched "psychosocial stress play"; the bedwetting page says "Stress can also be a
    factor."."""
    answer = engine.answer("Does stress play a role in bedwetting?", save=False)
    assert answer.bottom_line.verdict is Verdict.YES
    assert "Stress can also be a factor." in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_what_research_is_being_done_is_told_by_its_page(engine: Engine) -> None:
    """Set AW, once the page of the asked kind answered however the reader scored it: "The
    three most commonly used treatments are …" for the research being done."""
    answer = engine.answer(
        "my wife has a brain tumor and the usual treatments arent working anymore. what research"
        " or clinical trials are being done for brain and spinal tumors? are there new treatments"
        " being tested?",
        save=False,
    )
    assert answer.references[0].title.startswith("what research (or clinical trials)")
    assert "Scientists continue to investigate" in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_what_it_is_asked_first_is_told_before_the_page_of_the_next_kind(engine: Engine) -> None:
    """Set BV (once the page of the asked kind led however the reader scored it): "What is a
    urachal cyst, and how is it treated?" opened with its treatment page's "In many cases, the
    diagnosis of a urachal cyst is only made when …"."""
    answer = engine.answer(
        "My 10-year-old has pain around her belly button, and the ultrasound showed a urachal"
        " cyst. What is a urachal cyst, and how is it treated?",
        save=False,
    )
    assert answer.bottom_line.text.startswith("Urachal cyst is a sac-like pocket of tissue")


@pytest.mark.sqlite_only
def test_not_generally_recommended_says_no(engine: Engine) -> None:
    """Set BY: "Yes" quoting the Colorado guideline's "… not generally recommended"."""
    answer = engine.answer(
        "58-year-old injured worker with knee osteoarthritis aggravated at work is waiting for a"
        " delayed knee replacement and asks for acupuncture. Under the Colorado lower extremity"
        " injury guideline, is acupuncture recommended for OA pain, when may it still be"
        " appropriate, and how long does relief from a knee OA steroid injection usually last?",
        save=False,
    )
    assert answer.bottom_line.verdict is Verdict.NO
    assert "not generally recommended" in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_can_you_explain_what_it_is_asks_what_it_is(engine: Engine) -> None:
    """Set BX: "Scientists don't know exactly what causes prostate cancer." answered it."""
    answer = engine.answer(
        "My 67-year-old dad was just diagnosed with prostate cancer, and I don't really know what"
        " it is. Can you explain what prostate cancer is?",
        save=False,
    )
    assert answer.bottom_line.text.startswith("Prostate cancer is a")
    assert "causes" not in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_whether_a_setting_means_increased_risk_is_told_by_the_records_notes(
    engine: Engine,
) -> None:
    """Set BW: "Yes, strong" quoting the statement for older women at increased risk."""
    answer = engine.answer(
        "32-year-old woman, mutually monogamous for 6 years, visits a public STI clinic only for"
        " a contraception refill. Under the USPSTF B recommendation on chlamydia screening, does"
        " care at a public STI clinic mean increased risk, and how should racial and ethnic"
        " differences be weighed?",
        save=False,
    )
    assert answer.bottom_line.verdict is None
    assert any("care at public STI clinics" in i for i in items(answer))


@pytest.mark.sqlite_only
def test_three_drugs_asked_of_a_named_guideline_are_told_each(engine: Engine) -> None:
    """Set BU: a strong "No" to oral steroids, bisphosphonates and ketamine from the Colorado
    CRPS guideline's sentence on ketamine alone."""
    answer = engine.answer(
        "Per the Colorado complex regional pain syndrome guideline, are oral steroids,"
        " bisphosphonates or ketamine recommended for CRPS, and what evidence supports each?",
        save=False,
    )
    told = " ".join([answer.bottom_line.text, *items(answer)])
    assert answer.bottom_line.verdict is None
    assert "good evidence to support oral steroid use" in told
    assert "bisphosphonates effectively decreases pain" in told
    assert "ketamine N-methyl-D-aspartate (NMDA) receptor antagonists are not recommended" in told


@pytest.mark.sqlite_only
def test_a_risk_list_of_another_condition_is_no_consideration(engine: Engine) -> None:
    """The ankle-brachial index record's risk text lists sleep apnea's risk factors (an error of
    the USPSTF snapshot): shown under the ABI statement it was off the question (set W-AZ)."""
    answer = engine.answer(
        "Does the USPSTF recommend screening asymptomatic adults for peripheral artery disease"
        " with the ankle-brachial index, what grade is it, and does the statement also cover"
        " asymptomatic adults who smoke or have diabetes?",
        save=False,
    )
    assert "ankle-brachial index" in answer.bottom_line.text
    assert not [i for i in items(answer) if "OSA" in i]


@pytest.mark.sqlite_only
def test_the_bottom_line_is_the_whole_sentence_and_no_item_repeats_it(engine: Engine) -> None:
    # set AA: a record's service field ("Recommends vision screening …") was the bottom line
    # and its full statement the first item
    answer = engine.answer(
        "How often should children aged 3 to 5 years have vision screening for amblyopia?",
        save=False,
    )
    said = answer.bottom_line.text
    assert said.startswith("The USPSTF recommends vision screening at least once")
    assert not any(said[:-5] in item or item[:-5] in said for item in items(answer))


@pytest.mark.sqlite_only
def test_a_dose_question_shows_only_doses(engine: Engine) -> None:
    # set AA: folic acid and preeclampsia findings were items under "Treatment"
    answer = engine.answer(
        "What daily dose of folic acid is recommended for women who could become pregnant?",
        save=False,
    )
    assert "0.4 to 0.8 mg" in answer.bottom_line.text
    assert items(answer)
    assert all(re.search(r"\d\s*(?:mg|micro ?g|µg|micrograms?)\b", item) for item in items(answer))


@pytest.mark.sqlite_only
def test_a_focus_named_only_as_a_covariate_is_no_answer(engine: Engine) -> None:
    # set AA: "… after adjustment for body mass index, … hypertension …" of a serum corin study
    # answered how often to see a patient with hypertension and hyperlipidemia
    answer = engine.answer(
        "How often should I be seeing this patient with hypertension and hyperlipidemia?",
        save=False,
    )
    assert "corin" not in answer.bottom_line.text
    assert not any("corin" in item for item in items(answer))


@pytest.mark.sqlite_only
def test_a_story_asked_of_by_pronoun_gets_the_definition(engine: Engine) -> None:
    # set AA: "back" and "biopsy" were sides no sentence named, and it abstained; then a
    # subtype's detail outscored the definition
    answer = engine.answer(
        "The doctor removed a bump from my back and the biopsy says dermatofibrosarcoma"
        " protuberans. What is that exactly?",
        save=False,
    )
    assert answer.bottom_line.verdict is None
    assert answer.bottom_line.text.startswith("Dermatofibrosarcoma protuberans is a")


@pytest.mark.sqlite_only
def test_a_cyst_elsewhere_is_not_evidence_for_ovarian_cysts(engine: Engine) -> None:
    # "How often do ovarian cysts recur?" was answered from the pineal cyst page ("cysts that
    # recur"): the phrase's own noun phrase must be named
    answer = engine.answer("How often do ovarian cysts recur?", save=False)
    shown = " ".join([answer.bottom_line.text, *items(answer)])
    titles = " ".join(r.title for r in answer.references)
    assert "pineal" not in (shown + titles).lower()


@pytest.mark.sqlite_only
def test_the_condition_asked_about_leads_over_a_rarer_product(engine: Engine) -> None:
    # the focus was "sweet acidophilus milk", which hid every passage on lactose intolerance
    answer = engine.answer(
        "If you have lactose intolerance, is it okay to drink yogurt or sweet acidophilus milk?",
        save=False,
    )
    assert answer.bottom_line.verdict is Verdict.YES
    assert "yogurt" in answer.bottom_line.text.lower()
    assert any("Lactose" in r.title for r in answer.references)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("question", "verdict", "quoted"),
    [
        # tenth session, PubMedQA question-only answered "Uncertain": the conclusion uses the
        # abstract's own abbreviation ("AFOP") …
        (
            "Is acute fibrinous and organizing pneumonia the expression of immune dysregulation?",
            Verdict.YES,
            "AFOP could be the result of immune dysregulation",
        ),
        # … hedges ("seems to be") …
        (
            "Does quilting suture prevent seroma in abdominoplasty?",
            Verdict.YES,
            "seems to be an efficient technique",
        ),
        # … opens with "These findings suggest that" (a finding, quoted over a call for study) …
        (
            "Are there progressive brain changes in schizophrenia?",
            Verdict.YES,
            "schizophrenia is associated with progressive structural brain abnormalities",
        ),
        # … or denies in other words ("no matter what", "a poor knowledge of")
        (
            "Do follow-up recommendations for abnormal Papanicolaou smears influence patient"
            " adherence?",
            Verdict.NO,
            "no matter what type of follow-up was advised",
        ),
        (
            "Are physicians aware of the side effects of angiotensin-converting enzyme inhibitors?",
            Verdict.NO,
            "poor knowledge of the side effects",
        ),
    ],
)
def test_the_authors_conclusion_in_their_own_words_decides(
    engine: Engine, question: str, verdict: Verdict, quoted: str
) -> None:
    answer = engine.answer(question, save=False)
    assert answer.bottom_line.verdict is verdict, answer.bottom_line.text
    assert quoted in answer.bottom_line.text


def test_a_long_message_is_read_as_the_question_its_type_asks() -> None:
    message = analyse_question(
        "ClinicalTrials.gov - Compliment. Hi I have retinitis pigmentosa for 3 years. I am"
        " suffering from this disease. Please introduce me any way to treat my eyes such as stem"
        " cell. I am 25 years old and I have only central vision. Please help me. Thank you"
    )
    assert asked_of(message, ["retinitis pigmentosa"]) == "How is retinitis pigmentosa treated?"
    short = analyse_question("How is retinitis pigmentosa treated in adults?")
    assert asked_of(short, ["retinitis pigmentosa"]) == short.text


@pytest.mark.sqlite_only
def test_sources_that_do_not_state_the_relation_are_counted_by_the_subject_not_cited(
    engine: Engine,
) -> None:
    # review set R: "9 sources discuss hormone replacement" counted three nicotine replacement
    # trials; review set T: every "Uncertain: N sources discuss X" was judged unsupported, the
    # sources never addressing the question. Not enough evidence, counting only the sources
    # that name the subject, citing none.
    answer = engine.answer(
        "Is smoking one pack per day a contraindication to hormone replacement therapy?", save=False
    )
    assert answer.bottom_line.verdict is Verdict.INSUFFICIENT
    # the subject of "Is X a Y?" is X: the sources counted name smoking
    assert re.search(r"\d+ sources? in the corpus discuss(es)? smoking", answer.bottom_line.text)
    assert answer.references == () and answer.sections == ()


@pytest.mark.sqlite_only
def test_yes_no_items_state_the_asked_relation(engine: Engine) -> None:
    # review set R: a second study on birth weight and intellectual performance was shown as
    # key evidence on small for gestational age and retinopathy of prematurity
    answer = engine.answer(
        "Is being small for gestational age a risk factor for retinopathy of prematurity?",
        save=False,
    )
    assert answer.bottom_line.verdict is Verdict.NO
    shown = [answer.bottom_line.text, *items(answer)]
    assert not [t for t in shown if "intellectual" in t], shown
    assert not [r.title for r in answer.references if "intellectual" in r.title]


@pytest.mark.sqlite_only
def test_a_background_line_is_never_the_bottom_line(engine: Engine) -> None:
    # review set Q: "CONTEXT Recent animal studies have found that … statins …" was the bottom
    # line of a question on gemfibrozil
    answer = engine.answer(
        "When would you use gemfibrozil rather than an HMG (3-hydroxy-3-methylglutaryl) "
        "coenzyme A inhibitor?",
        save=False,
    )
    assert not re.match(r"(CONTEXT|BACKGROUND|INTRODUCTION)\b", answer.bottom_line.text)


@pytest.mark.sqlite_only
def test_beside_the_study_that_asked_it_only_sources_naming_every_side_count(
    engine: Engine,
) -> None:
    # review set S: a systematic review of bisphosphonates was counted as support and shown, and
    # a trial of resistance training shown, beside the study that asked this very question
    answer = engine.answer(
        "Do elderly patients benefit from surgery in addition to radiotherapy for treatment of "
        "metastatic spinal cord compression?",
        save=False,
    )
    assert answer.bottom_line.verdict is Verdict.NO
    assert answer.evidence_meter is not None and answer.evidence_meter.supports == 0
    titles = " ".join(r.title for r in answer.references).lower()
    assert "bisphosphonates" not in titles and "resistance training" not in titles
    # review set R: a study of labour epidurals shown beside the study of ART and C-sections
    art = engine.answer(
        "Do ART patients face higher C-section rates during their stage of delivery?", save=False
    )
    assert not [t for t in items(art) if re.search(r"\bLE\b|epidural", t)], items(art)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("question", "subject"),
    [
        # review set T: a folate study's results ("… in relation to risk of coronary heart
        # disease", vitamin E only among its covariates) were three items on vitamin E
        (
            "Can Vitamin E be used as prophylaxis against coronary disease? Is 400 International"
            " Units of Vitamin E per day too much?",
            "vitamin e",
        ),
        ("Can vitamin E prevent coronary heart disease?", "vitamin e"),
    ],
)
def test_yes_no_evidence_names_the_subject_itself_or_in_its_title(
    engine: Engine, question: str, subject: str
) -> None:
    answer = engine.answer(question, save=False)
    titles = {r.n: r.title.lower() for r in answer.references}
    for section in answer.sections:
        for item in section.items:
            said = item.text.lower() + " ".join(titles[n] for n in item.citations)
            assert subject in said, item.text


@pytest.mark.sqlite_only
def test_a_brand_name_is_searched_by_the_names_the_corpus_says(engine: Engine) -> None:
    # review set T: "Synthroid" was searched as Dexnon, Eferox, Eutirox and Levo-T (names no
    # source says), "right dose" was read as asking for a dose, and the answer abstained; the
    # hypothyroidism page says how the dose is checked with blood tests
    answer = engine.answer(
        "When someone is being followed on Synthroid, what blood test should be ordered to be"
        " sure they are on the right dose?",
        save=False,
    )
    assert answer.bottom_line.verdict is not Verdict.INSUFFICIENT, answer.bottom_line.text
    assert "blood" in answer.bottom_line.text.lower()
    cited = [r.title for r in answer.references if r.n in answer.bottom_line.citations]
    assert any("hypothyroidism" in t.lower() for t in cited), cited


@pytest.mark.sqlite_only
def test_a_covariate_is_not_the_subject(engine: Engine) -> None:
    # review set T: "After controlling for … alcohol, fiber, vitamin E, … the relative risks of
    # CHD …" (a folate study) was the one item of a question on vitamin E and coronary disease
    answer = engine.answer(
        "Can Vitamin E be used as prophylaxis against coronary disease?", save=False
    )
    assert not [r.title for r in answer.references if "folate" in r.title.lower()]


@pytest.mark.sqlite_only
def test_a_long_question_is_read_as_the_clause_that_asks_it(engine: Engine) -> None:
    # review set V: abstained (read as "How is thyroid stimulating hormone level treated?", a
    # dose demanded for "a change in dose", "thyroid replacement" required of the bottom line)
    answer = engine.answer(
        "What is the right interval for checking the thyroid stimulating hormone level on"
        " patients on thyroid replacement, and if you make a change in dose, when should you"
        " check the thyroid stimulating hormone?",
        save=False,
    )
    assert "6 to 8 weeks" in answer.bottom_line.text, answer.bottom_line.text


@pytest.mark.sqlite_only
def test_an_answer_on_another_drug_is_no_answer(engine: Engine) -> None:
    # review set V: a lorazepam withdrawal question got an SSRI review's line as its bottom line
    answer = engine.answer(
        "How could you distinguish between withdrawal symptoms and recurrence of original"
        " symptoms if a patient were taken off lorazepam?",
        save=False,
    )
    quoted = [answer.bottom_line.text, *items(answer)]
    assert not any(re.search(r"serotonin|SSRI|heroin", text, re.I) for text in quoted)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "question", ["What are the side effects of metformin?", "What is Synthroid used for?"]
)
def test_follow_ups_ask_about_a_drug_as_a_drug(engine: Engine, question: str) -> None:
    # set T: "What causes synthroid?"
    answer = engine.answer(question, save=False)
    assert answer.suggested_follow_ups
    for follow_up in answer.suggested_follow_ups:
        assert not re.match(
            r"what causes|what are the symptoms|how is .* diagnosed", follow_up, re.I
        )


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "question",
    [
        # set AB: "No" from a cyclosporiasis page's "… have a sulfa allergy"
        "If you are allergic to sulfa antibiotics, does that mean you are also allergic to"
        " sulfonylureas?",
        # set AB: "No" from a NOAC persistence study; nothing weighs falls against warfarin
        "She is a fall risk and she has atrial fibrillation. Do I really want her on Coumadin?"
        " Probably not due to fall risk.",
    ],
)
def test_a_verdict_needs_every_side_of_a_three_sided_question(
    engine: Engine, question: str
) -> None:
    answer = engine.answer(question, save=False)
    assert answer.bottom_line.verdict is Verdict.INSUFFICIENT
    assert not any(r.stance in (Stance.SUPPORTS, Stance.CONTRADICTS) for r in answer.references)


@pytest.mark.sqlite_only
def test_how_often_is_answered_by_an_interval(engine: Engine) -> None:
    # set AB: a Medicare colonoscopy-utilisation result was the bottom line
    answer = engine.answer(
        "If an average-risk 60-year-old prefers stool testing to colonoscopy for colorectal"
        " cancer screening, how often should the FIT be repeated?",
        save=False,
    )
    assert "annual screening with FIT" in answer.bottom_line.text


def test_a_story_question_is_read_alone_with_its_pronoun_named() -> None:
    story = analyse_question(
        "We just moved to Arizona and a neighbor told us to watch out for valley fever. How do"
        " people catch it?"
    )
    assert story_question(story, ["valley fever"]) == "How do people catch valley fever?"
    named = analyse_question("I keep getting fevers. What are the symptoms of Still's disease?")
    assert story_question(named, ["still's disease"]) == "What are the symptoms of Still's disease?"
    assert story_question(analyse_question("Is it inherited?"), ["gout"]) is None  # no story
    # set AW: "How do amniotic fluid treat it?" — they are the doctors, it is the thing
    doctors = analyse_question(
        "My ultrasound showed too much amniotic fluid, they called it hydramnios. How do they"
        " treat it?"
    )
    assert story_question(doctors, ["hydramnios"]) == "How do they treat hydramnios?"
    cysts = analyse_question("My daughter has ovarian cysts. What causes them?")
    assert story_question(cysts, ["ovarian cysts"]) == "What causes ovarian cysts?"
    # "this condition" is the thing, named whole: not "What is dysplasia condition?"
    condition = analyse_question(
        "My nephew has craniometaphyseal dysplasia. What is this condition?"
    )
    assert story_question(condition, ["dysplasia"]) == "What is dysplasia?"


def test_a_story_pointing_by_this_condition_is_read_as_pointing_by_it() -> None:
    # set BM: read as said, the page's prevalence outscored its definition
    from medcite.answer.read import asked_of

    story = analyse_question(
        "Our son has a cleft lip and tests showed X-linked intellectual disability, Siderius"
        " type. What is this condition?"
    )
    assert asked_of(story, ["intellectual disability"]).endswith("type. What is it?")


def test_only_a_bare_pronoun_asks_of_the_name_said_last() -> None:
    from medcite.answer.read import _said_last, concept_groups

    def said_last(text: str) -> list[str] | None:
        question = analyse_question(text)
        return _said_last(question, concept_groups(question))

    glucagonoma = said_last(
        "My mom has high blood sugar, and they found a tumor in her pancreas called a"
        " glucagonoma. What is that?"
    )
    assert glucagonoma is not None and glucagonoma[0] == "glucagonoma"
    # "that test" and "this condition" say what they are: the story's last word is not it
    assert (
        said_last("I had a cold agglutinins test for my pneumonia. What is that test for?") is None
    )
    assert (
        said_last(
            "My son was diagnosed with brachyolmia type 3. His spine is curving. What are the"
            " symptoms of this condition?"
        )
        is None
    )
    # "What is this condition?" is "What is that?": the condition named last
    dysplasia = said_last(
        "My nephew was diagnosed with craniometaphyseal dysplasia. What is this condition?"
    )
    assert dysplasia is not None and dysplasia[0] == "craniometaphyseal dysplasia"


def test_a_story_question_naming_the_focus_by_another_name_is_read_alone() -> None:
    # set BE abstained: read whole, a story of asthma treatment scored the prevalence 0.15
    story = analyse_question(
        "I'm a 38 year old woman who was just diagnosed with lymphangioleiomyomatosis after"
        " years of being treated for asthma. How many people are affected by LAM?"
    )
    vocabulary = {
        "lymphangioleiomyomatosis": {"medquad:lymphangioleiomyomatosis", "mesh:D018192"},
        "lam": {"medquad:lymphangioleiomyomatosis"},
        "asthma": {"mesh:D001249"},
    }
    focus = ["lymphangioleiomyomatosis"]

    def concepts_of(phrase: str) -> set[str]:
        return vocabulary.get(phrase, set())

    assert story_question(story, focus, concepts_of) == "How many people are affected by LAM?"
    assert story_question(story, focus) is None  # no vocabulary: the name is not known
    unrelated = dict(vocabulary, lam={"mesh:D000071066"})  # another LAM
    assert story_question(story, focus, lambda p: unrelated.get(p, set())) is None


@pytest.mark.sqlite_only
def test_a_story_asked_of_by_pronoun_is_answered_by_the_page_that_asks_it(engine: Engine) -> None:
    # set AC: abstained beside GHR's "Is pseudocholinesterase deficiency inherited?"
    answer = engine.answer(
        "My brother was slow to wake up after anesthesia and they told him he has"
        " pseudocholinesterase deficiency. Is it inherited, and could I have it too?",
        save=False,
    )
    assert "autosomal recessive" in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_the_page_of_the_asked_kind_leads_when_none_asks_it_in_its_words(engine: Engine) -> None:
    # set AD: "the chances our kids will get it" got the definition (then the prevalence)
    answer = engine.answer(
        "My husband has Camurati-Engelmann disease. What are the chances our kids will get it?",
        save=False,
    )
    assert "50%" in answer.bottom_line.text
    assert answer.references[0].title.startswith("Is Camurati-Engelmann disease inherited")


@pytest.mark.sqlite_only
def test_a_sibling_of_the_focus_is_not_its_kind(engine: Engine) -> None:
    # set AD: the carpal tunnel guideline answered a question on tarsal tunnel syndrome
    answer = engine.answer(
        "What is the conservative treatment of tarsal tunnel syndrome?", save=False
    )
    # no source says how it is treated: an abstention, not its definition (set AD's answer)
    assert answer.references or answer.bottom_line.verdict is Verdict.INSUFFICIENT
    assert not [r.title for r in answer.references if "carpal" in r.title.lower()]
    assert "carpal" not in answer.bottom_line.text.lower()


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "wrong"),
    [  # set AE: a consumer page's sentence stated the relation through the rest of its page
        ("i have ulcerative collitis. is it hereditary, will my kids get it too?", Verdict.YES),
        (
            "My dad is 70, overweight, and had a heart attack a few years ago. Does that put him"
            " at higher risk for heart failure?",
            Verdict.NO,
        ),
    ],
)
def test_a_consumer_sentence_states_a_relation_only_with_its_title(
    engine: Engine, text: str, wrong: Verdict
) -> None:
    answer = engine.answer(text, save=False)
    assert answer.bottom_line.verdict is not wrong
    assert "fructose" not in answer.bottom_line.text
    assert "does not mean that your heart has stopped" not in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_a_page_titled_with_the_relation_still_answers_it(engine: Engine) -> None:
    answer = engine.answer(
        "My father was diagnosed with inclusion body myopathy with Paget disease and"
        " frontotemporal dementia. Could I have inherited it from him?",
        save=False,
    )
    assert answer.bottom_line.verdict is Verdict.YES
    assert "autosomal dominant" in answer.bottom_line.text


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "verdict", "quoted"),
    [
        # set AD: abstained ("screen" not named by "screening"); "Yes" from a dietary-intake RCT
        # on "healthy adults" when the population was a side of the relation
        (
            "Is it worth checking vitamin D levels as a screen in healthy adults with no symptoms?",
            Verdict.UNCERTAIN,
            ("USPSTF", "vitamin D"),
        ),
        (
            "Should healthy adults with no symptoms be screened for vitamin D deficiency?",
            Verdict.UNCERTAIN,
            ("USPSTF", "vitamin D"),
        ),
        # set AD: read as no question, a multifocal-lens trial was the bottom line
        (
            "Any benefit to routine visual acuity screening in a 72-year-old with no vision"
            " complaints?",
            Verdict.UNCERTAIN,
            ("screening for impaired visual acuity",),
        ),
        # set AE: "prescribe vitamin d", "lives", "home", "lower" were searched and sides
        (
            "Should I prescribe vitamin D to a 78-year-old woman who lives at home to lower her"
            " risk of falls?",
            Verdict.NO,
            ("recommends against vitamin D supplementation to prevent falls",),
        ),
        # set AE: the USPSTF's e-cigarette statement (its title "… Tobacco Smoking Cessation …")
        # was off the focus and "vaping" unnamed: the question abstained
        (
            "A 50-year-old smoker asks if switching to e-cigarettes is a good way to quit. Should"
            " I recommend vaping for smoking cessation?",
            Verdict.UNCERTAIN,
            ("e-cigarettes", "USPSTF"),
        ),
        # set AE: the story's "asks for an HSV-2 blood test" and "asymptomatic pregnant women"
        # were sides, "serologic" did not name "serology", "Should" did not start the message
        (
            "Pregnant patient with no history of genital herpes asks for an HSV-2 blood test."
            " Should I routinely order herpes serology in asymptomatic pregnant women?",
            Verdict.NO,
            ("recommends against routine serologic screening for genital herpes",),
        ),
        # set AE: the story's hypertension and smoking were the focus; "justify" asks advice
        (
            "Asymptomatic 70-year-old with hypertension and a 40 pack-year smoking history, no"
            " neuro symptoms. Is that enough risk to justify checking his carotids for stenosis?",
            Verdict.NO,
            ("recommends against screening for asymptomatic carotid artery stenosis",),
        ),
        # set AE: "questionnaire" was a side; the pregnancy guideline answered for a boy of 9
        (
            "9-year-old boy whose mother is being treated for major depression seems fine at his"
            " well visit. Should I screen him with a depression questionnaire?",
            Verdict.UNCERTAIN,
            ("children aged 11 years or younger",),
        ),
        # set AD: "first prenatal visit" was a side the I statement never names
        (
            "Should I order a blood lead level on an asymptomatic pregnant woman at her first"
            " prenatal visit?",
            Verdict.UNCERTAIN,
            ("blood lead levels in asymptomatic pregnant persons",),
        ),
        # set AF: the way asked ("listening for carotid bruits", "a DEXA scan") was a side and
        # the focus; the guideline on screening for the thing answers it
        (
            "Is listening for carotid bruits at annual physicals a worthwhile way to screen"
            " asymptomatic adults for carotid stenosis?",
            Verdict.NO,
            ("recommends against screening for asymptomatic carotid artery stenosis",),
        ),
        (
            "72-year-old man, no prior fractures, not on steroids. Should I order a DEXA scan to"
            " screen him for osteoporosis?",
            Verdict.UNCERTAIN,
            ("screening for osteoporosis", "in men"),
        ),
        # set AF: the fluoride varnish "B" beside the screening exam's "I" made it no answer
        (
            "Should I be doing a dental caries screening exam at well-child visits for kids under"
            " 5, or is that not supported?",
            Verdict.UNCERTAIN,
            ("screening examinations for dental caries",),
        ),
        # set AC: "never smoked" is who; the pharmacotherapy I statement is for those who use
        (
            "Is it worth counseling school-age kids who have never smoked about not starting"
            " tobacco?",
            Verdict.YES,
            ("to prevent initiation of tobacco use",),
        ),
        # set AG: "no urinary symptoms" made "urinary" the focus, "sending" was a side, the
        # culture a side the statement never names, and the pregnancy threshold said "Yes"
        (
            "Healthy 70-year-old woman with diabetes and no urinary symptoms. Is there any benefit"
            " to sending routine urine cultures to look for asymptomatic bacteriuria?",
            Verdict.NO,
            ("recommends against screening for asymptomatic bacteriuria in nonpregnant adults",),
        ),
        # set CB: the statement against screening for it answered "No" to treating it
        (
            "Should you treat an asymptomatic urinary tract infection in a 68-year-old woman?",
            Verdict.INSUFFICIENT,
            (),
        ),
        # set AG: no yes/no question after a quoted sentence; "no cardiac risk factors" was at
        # risk, and the sickle cell guideline's ECG line answered
        (
            "50-year-old marathon runner with no cardiac risk factors wants an exercise stress ECG"
            ' "just to be safe." Is screening ECG recommended?',
            Verdict.NO,
            ("asymptomatic adults at low risk of CVD events",),
        ),
        # set AG: "after birth" made birth the focus, and "the mother screened negative" made
        # it a screening question no prophylaxis statement answers
        (
            "Does every newborn need eye prophylaxis against gonococcal ophthalmia even if the"
            " mother screened negative, and how soon after birth should it be given?",
            Verdict.YES,
            ("prophylactic ocular topical medication for all newborns",),
        ),
        # set AH: "eligible" asked no advice, "stop" and "eligible" were sides
        (
            "66-year-old with a 30 pack-year history who quit smoking 12 years ago. Is he eligible"
            " for lung cancer screening, what test and how often, and when would I stop?",
            Verdict.YES,
            ("annual screening for lung cancer with low-dose computed tomography",),
        ),
        # set AH: "no family history" was not read as average risk
        (
            "52-year-old woman with no family history of breast cancer and no prior breast"
            " biopsies asks to take raloxifene to lower her breast cancer risk. Should I prescribe"
            " it, and who would actually qualify as increased risk?",
            Verdict.NO,
            ("women who are not at increased risk",),
        ),
        # set AH: coverage was judged on "asymptomatic 62-year-old" and "30 pack-year smoking
        # history", and the question abstained
        (
            "Asymptomatic 62-year-old with diabetes, hypertension and a 30 pack-year smoking"
            " history. Is there evidence to support a screening resting or exercise ECG because of"
            " his higher cardiovascular risk?",
            Verdict.UNCERTAIN,
            ("intermediate or high risk",),
        ),
        # set AD: the statement for adults without risk factors answered a man with them
        # ("Uncertain"), and the B statement's "healthy diet" made it a page on another diet
        (
            "58-year-old with hypertension and LDL 160, no diabetes. Is it worth referring him"
            " for diet and exercise counseling?",
            Verdict.YES,
            ("adults with cardiovascular disease risk factors to behavioral counseling",),
        ),
        # set AM: "Does the USPSTF recommend …?" asked no advice, and the I statements for
        # higher doses and for premenopausal women made it "Uncertain"
        (
            "Does the USPSTF recommend daily low-dose vitamin D (400 IU or less) with calcium"
            " (1,000 mg or less) to prevent fractures in community-dwelling postmenopausal women?",
            Verdict.NO,
            ("recommends against daily supplementation with 400 IU or less",),
        ),
        # set AN: "formal autism screening" was the focus no statement names, and the example
        # "like the M-CHAT" a word the corpus lacks
        (
            "24-month-old at a well-child visit; parents have no worries about his development"
            " and I have none either. Should I still give a formal autism screening tool like the"
            " M-CHAT, per the USPSTF?",
            Verdict.UNCERTAIN,
            ("screening for autism spectrum disorder (ASD) in young children",),
        ),
        # set AG: "ß-carotene" was no beta-carotene, and the I statement on other supplements
        # "(except ß-carotene and vitamin E)" made the answer Uncertain
        (
            "Patient wants to take beta-carotene and vitamin E supplements to prevent cancer and"
            " heart disease. Should I recommend them?",
            Verdict.NO,
            ("recommends against the use of ß-carotene or vitamin E supplements",),
        ),
    ],
)
def test_a_guideline_statement_answers_what_should_be_done(
    engine: Engine, text: str, verdict: Verdict, quoted: tuple[str, ...]
) -> None:
    answer = engine.answer(text, save=False)
    assert answer.bottom_line.verdict is verdict
    for phrase in quoted:
        assert phrase in answer.bottom_line.text


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "said", "page"),
    [
        # set AE: "all the time" made "time" a side no fibromyalgia sentence names
        (
            "my dr thinks the aching all over and being exhausted all the time might be"
            " fibromyalgia. can someone explain it in plain english?",
            "Fibromyalgia is a disorder",
            "fibromyalgia",
        ),
        # set AE: "got back from a trip" made the body part a side
        (
            "I'm pregnant and my husband just got back from a trip where there's Zika. How does"
            " Zika spread, and can it hurt the baby?",
            "Zika",
            "zika",
        ),
        # set AE: the test that showed it ("muscle biopsy") was a key concept no page names
        (
            "Our daughter's muscle biopsy showed multiminicore disease. What kind of condition is"
            " this and how will it affect her muscles and breathing?",
            "Multiminicore disease",
            "multiminicore disease",
        ),
        # set AE: "mom's walking" was a key phrase, and GARD's page title (a focus without
        # synonyms) was not in the vocabulary
        (
            "what tests do doctors use to find out if it's cerebellar degeneration? my mom's"
            " walking is really unsteady and her hands are clumsy now",
            "cerebellar degeneration",
            "cerebellar degeneration",
        ),
        # set AL: the story's "eyes jerk back" was a side the definition never names
        (
            "What is Pelizaeus-Merzbacher disease? my nephew was just diagnosed, his eyes jerk"
            " back and forth and he can't sit up yet",
            "Pelizaeus-Merzbacher disease",
            "pelizaeus-merzbacher disease",
        ),
        # set AL: the story's fever, in more titles, was the focus over the asked chikungunya
        (
            "just got back from the caribbean with a fever and my wrists and ankles really hurt."
            " what are the symptoms of chikungunya?",
            "symptoms",
            "chikungunya",
        ),
        # set AL: coverage was judged on "gene change" and "gene", what is asked of the thing
        (
            "Our baby's newborn screen showed high histidine and the doctor said histidinemia."
            " What gene change causes it?",
            "HAL gene",
            "histidinemia",
        ),
    ],
)
def test_the_story_around_a_consumer_question_does_not_sink_it(
    engine: Engine, text: str, said: str, page: str
) -> None:
    answer = engine.answer(text, save=False)
    assert answer.bottom_line.verdict is not Verdict.INSUFFICIENT
    assert said in answer.bottom_line.text
    titles = {r.n: r.title.lower() for r in answer.references}
    assert page in titles[answer.bottom_line.citations[0]]  # the page on the focus


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "said"),
    [
        # set AE: "Is it genetic …?" was read about "genetic" and the story's "dermatologist
        # removed"; the page on inheritance answers it
        (
            "The dermatologist removed a sebaceous tumor from my face and thinks I might have"
            " Muir-Torre syndrome. Is it genetic, and what gene change is behind it?",
            "inherited in an autosomal dominant manner",
        ),
        ("i have ulcerative collitis. is it hereditary, will my kids get it too?", "inheritance"),
    ],
)
def test_whether_it_is_inherited_is_answered_by_the_inheritance_page(
    engine: Engine, text: str, said: str
) -> None:
    answer = engine.answer(text, save=False)
    assert answer.bottom_line.verdict is None  # the page's own words, no verdict of ours
    assert said in answer.bottom_line.text
    titles = {r.n: r.title for r in answer.references}
    assert "inherited" in titles[answer.bottom_line.citations[0]]


@pytest.mark.sqlite_only
def test_a_guideline_title_naming_only_the_focus_does_not_answer_every_question_on_it(
    engine: Engine,
) -> None:
    # set AE: "Yes" from a sickle cell guideline's testing schedule for transfusing before surgery
    answer = engine.answer(
        "Adult with HbSS sickle cell anemia, hemoglobin 7.5, scheduled for a cholecystectomy"
        " under general anesthesia. Should I transfuse beforehand, and to what hemoglobin?",
        save=False,
    )
    assert "testing schedule" not in answer.bottom_line.text
    assert answer.bottom_line.verdict is not Verdict.YES


# set AJ: the statement for children aged 3 to 5 answered "Yes" for 18-month-olds; the one
# for children younger than 3 was never retrieved
_PHOTOSCREENING = (
    "Should I use an instrument-based photoscreener at 18-month well-child visits to look for"
    " amblyopia and other vision problems?",
    "children younger than 3 years",
)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # set AF: the pregnant women's statement answered for a 9-month-old
        (
            "Parents of a healthy 9-month-old ask why we check a hemoglobin at this age. Is there"
            " real evidence that screening infants for iron deficiency anemia helps?",
            "iron deficiency anemia in children ages 6 to 24 months",
        ),
        # set AF: the I statement scored 0.10 by the reader and a study's adherence line led
        (
            "Our clinic wants to give every child from age 7 up a depression questionnaire at"
            " checkups. Is universal depression screening supported in kids 11 and under, or"
            " should we start at 12?",
            "screening for MDD in children aged 11 years or younger",
        ),
        _PHOTOSCREENING,
    ],
)
def test_the_statement_for_the_asked_children_answers(
    engine: Engine, text: str, quoted: str
) -> None:
    answer = engine.answer(text, save=False)
    assert quoted in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_how_to_handle_a_medicine_is_never_answered_by_a_trial(engine: Engine) -> None:
    # set AF: a trial's rates of stomach upset answered how to store iron pills near toddlers
    answer = engine.answer(
        "how should i store my ferrus sulfate iron pills? i have two toddlers in the house",
        save=False,
    )
    assert "adverse events" not in answer.bottom_line.text
    cited = {r.n: r.evidence_type for r in answer.references}
    assert all(
        cited[n] in (EvidenceType.CONSUMER_HEALTH, EvidenceType.GUIDELINE)
        for n in answer.bottom_line.citations
    )


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # set AG: "Down" was a stopword, the question was about any syndrome: "Yes" from Felty's
        ("Is there any association between Down syndrome and arthritis?", "Felty"),
        # set AG: "No" from an eradication trial that never says antibody
        (
            "Is the Helicobacter pylori antibody test a reasonable test to diagnose Helicobacter"
            " pylori?",
            "eradication",
        ),
    ],
)
def test_a_verdict_needs_every_part_of_the_named_thing(
    engine: Engine, text: str, absent: str
) -> None:
    answer = engine.answer(text, save=False)
    assert absent not in answer.bottom_line.text
    assert answer.bottom_line.verdict not in (Verdict.YES, Verdict.NO)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "said"),
    [
        # set AG: the "How many people are affected by …" page was never retrieved, and the
        # "What is (are) …" page (every content word but "common") led with symptoms
        ("How common is spastic paraplegia type 3A?", "prevalence of 2 to 9 per 100,000"),
        # set AB: a story asking "How common is it?" was answered with the lesions
        (
            "The dermatologist thinks the dark freckle-like patches in my armpits and groin could"
            " be Dowling-Degos disease. How common is it?",
            "rare condition",
        ),
        # set AG: "Mutations in many genes can cause …" named none
        ("What gene mutations cause congenital myasthenic syndrome?", "genes"),
        # read in its page, the page of the asked kind answers when no sentence does alone
        # (the twenty-fourth session: sets AI and AJ got a definition or abstained, AQ abstained)
        (
            "how is primary angiitis of the central nervous system treated? my wife was just"
            " diagnosed after a brain biopsy",
            "cyclophosphamide",
        ),
        (
            "I was diagnosed with thoracic outlet syndrome, my arm goes numb when I lift it over"
            " my head. What are the treatment options, do I need surgery?",
            "physical therapy",
        ),
        (
            "My 16 year old was just diagnosed with C3 glomerulopathy after they found blood and"
            " protein in his urine. Is it inherited? Should his younger sister be tested?",
            "sporadic",
        ),
        # set AQ: a definition naming the story's "brittle bones" answered; the page of the
        # asked kind answers, the story's words unsaid
        (
            "Neither me nor my husband has brittle bones but our daughter was just diagnosed with"
            " osteogenesis imperfecta type 6. How is it inherited, and what are the chances our"
            " next child has it too?",
            "25%",
        ),
        # set AG: "was diagnosed with" made it a question on diagnosis; the genes answered
        (
            "Our daughter was diagnosed with cranioectodermal dysplasia but neither of us has it."
            " How did she get it, and could our next baby have it too?",
            "autosomal recessive",
        ),
        # set AS: "could this be …?" before the wh-question was read as a yes/no no source
        # answers, and the story's hand and voice sank coverage: both abstained
        (
            "my gums bleed every time I brush or floss and they look puffy and red. could this"
            " be gingivitis? what are the symptoms?",
            "gums become red",
        ),
        (
            "my dad's handwriting has gotten tiny, his voice is softer, and one hand shakes when"
            " it's resting in his lap. could this be parkinson disease? what are the symptoms?",
            "tremor",
        ),
        # set AZ: the page of the reader's focus, not of the first key phrase (the weakened
        # immune system's risk answered), and the page of the thing a subtype is of
        (
            "How is pneumonia treated in someone with a weakened immune system? My husband is on"
            " chemotherapy and was just admitted with it.",
            "treated with medicines called antibiotics",
        ),
        (
            "what causes stable angina? my doctor says the chest tightness i get walking uphill"
            " is angina",
            "needs more oxygen",
        ),
        # set AZ: a case-control study's odds ratio for adults led over the page on it
        (
            "my 15 year old came home drunk from a party last weekend. what are the risks of"
            " drinking for teenagers?",
            "Drinking by young people has big health and safety risks",
        ),
        # set AZ: a definition asked, whatever the story names (the cause led)
        (
            "What is BRCA2 hereditary breast and ovarian cancer syndrome? My sister just tested"
            " positive for a BRCA2 mutation.",
            "is an inherited condition",
        ),
        # set BA: the story's screening and sweat tests made it a question on diagnosis, and
        # the definition page's diagnosis line led
        (
            "What is cystic fibrosis? Our newborn's screening test came back positive for CF and"
            " they want to do a sweat test next week.",
            "is an inherited disease of the mucus and sweat glands",
        ),
    ],
)
def test_the_page_of_the_asked_kind_answers(engine: Engine, text: str, said: str) -> None:
    answer = engine.answer(text, save=False)
    assert said in answer.bottom_line.text


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "before", "sentence"),
    [
        (
            "I've gained about 15 pounds over the last few months without eating more or"
            " exercising less. What should I do about weight gain I can't explain?",
            "These medicines can slow the rate at which your body burns calories",
            "All of these factors can lead to weight gain.",
        ),
        (
            "we just moved out to the country with two little kids and the nearest hospital is"
            " 40 minutes away. what should we keep in a home first aid kit?",
            "It is important to have a first aid kit available.",
            "Keep one at home and one in your car.",
        ),
    ],
)
def test_a_bottom_line_pointing_back_shows_what_it_points_to(
    engine: Engine, text: str, before: str, sentence: str
) -> None:
    """Set BA's reviewers could not tell what "All of these factors" or "Keep one" meant."""
    said = engine.answer(text, save=False).bottom_line.text
    assert before in said and sentence in said
    assert said.index(before) < said.index(sentence)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "text",
    [
        # sets AB, AH: once a story's own words need not be found, its question was answered
        # by another kind of page (nystagmus's symptoms, autoimmune disorders' definition)
        "The pediatrician says the way my baby's eyes keep jiggling side to side is called"
        " nystagmus. What causes that in a baby?",
        "is there anyway to prevent autoimmune disorders? my mom and my sister both have them"
        " and im worried im next",
    ],
)
def test_a_question_found_only_by_its_own_words_needs_a_page_of_its_kind(
    engine: Engine, text: str
) -> None:
    answer = engine.answer(text, save=False)
    assert answer.bottom_line.verdict is Verdict.INSUFFICIENT


def test_which_genes_are_asked_by_name() -> None:
    assert names_genes(
        "A large number of cases are caused by mutations in the RAPSN, CHAT, and DOK7 genes."
    )
    assert names_genes(
        "Mutations in the CHRNE gene are responsible for more than half of all cases."
    )
    assert not names_genes("Mutations in many genes can cause congenital myasthenic syndrome.")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("How common is spastic paraplegia type 3A?", "frequency"),
        ("What gene mutations cause congenital myasthenic syndrome?", "genetic changes"),
        ("Our son has X. How did he get it, and could our next baby have it?", "inheritance"),
        # "does it cause any other symptoms" asks for symptoms, not causes (set AB)
        (
            "His biopsy says X. What does that mean, and does it cause any other symptoms?",
            "symptoms",
        ),
        # "was just diagnosed with" tells the story; the treatments are asked (set AL)
        (
            "my dad was just diagnosed with heart failure at 74. what are the treatments, is"
            " there any cure?",
            "treatment",
        ),
        # a kind's word inside the name asked about asks nothing (set AR: inheritance answered)
        ("Twice my arm got weak. What is hereditary neuralgic amyotrophy?", None),
        # "is it common?" asks how common, yes or no (set AR: abstained beside the page)
        ("My dad has Paget disease of bone. How many people have it, is it common?", "frequency"),
        # genetic counseling is not inheritance (set AE)
        ("Which tool decides whether she needs genetic counseling for BRCA?", None),
        # the genetic change asked for is its own page's, not inheritance's (sets AJ, BT)
        (
            "Our baby had 6q24-related transient neonatal diabetes. What genetic change causes it?",
            "genetic changes",
        ),
        (
            "I had Stevens-Johnson syndrome after a seizure medicine. Are there genetic changes"
            " that make some people react this way?",
            "genetic changes",
        ),
    ],
)
def test_the_kind_of_page_a_question_asks_for(text: str, kind: str | None) -> None:
    assert asked_kind(analyse_question(text)) == kind


def test_a_storys_last_question_asking_no_kind_leaves_it_to_the_first() -> None:
    # set AT: "… how many people have it? is it more common in some countries?" was read by
    # its last question alone, which asks no kind, and a features sentence answered
    question = analyse_question(
        "our nephew was diagnosed with lysinuric protein intolerance. how many people have it?"
        " is it more common in some countries?"
    )
    asking = "Is lysinuric protein intolerance more common in some countries?"
    assert asked_kind(question, asking) == "frequency"


@pytest.mark.sqlite_only
def test_a_frequency_page_answers_with_its_numbers_not_a_sentence_leaning_on_them(
    engine: Engine,
) -> None:
    answer = engine.answer(
        "our nephew was diagnosed with lysinuric protein intolerance, the doctor said its really"
        " rare. how many people have it? is it more common in some countries?",
        save=False,
    )
    assert "1 in 60,000" in answer.bottom_line.text  # not "Outside these populations …"


@pytest.mark.sqlite_only
def test_the_page_searched_is_on_the_name_the_question_sentence_says(
    demo_store: SQLiteStore,
) -> None:
    # set AR: "What are the treatments for white hair?" was searched, and a definition answered
    wanted = kind_page(
        analyse_question(
            "our newborn son can't hear and has very white hair and pale skin and blue eyes, and"
            " the geneticist says it's tietz syndrome. how is tietz syndrome treated?",
            demo_store,
        )
    )
    assert wanted is not None
    assert wanted[0] == "treatment" and "tietz" in wanted[1].lower()


@pytest.mark.sqlite_only
def test_a_story_question_naming_nothing_asks_of_the_name_said_just_before_it(
    demo_store: SQLiteStore,
) -> None:
    # set AV: "What are the symptoms of thick red scaly skin?" was searched, and pachyonychia
    # congenita's symptoms answered
    text = (
        "my 4 year old has thick red scaly skin on her palms and soles and her baby teeth are"
        " getting loose and falling out. the dentist mentioned papillon lefevre syndrome. what"
        " are the symptoms?"
    )
    wanted = kind_page(analyse_question(text, demo_store))
    assert wanted is not None and wanted[0] == "symptoms"
    assert "papillon lefevre syndrome" in wanted[1].lower()


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "said"),
    [
        # set AW: read whole, the story's ketogenic diet scored 0.06, and it abstained
        (
            "our 3 yr old has seizures and was diagnosed with glut1 deficiency syndrome. is there"
            " any treatment for it? someone mentioned a special diet",
            "ketogenic diet",
        ),
        # set AW: "which gene?" narrows the yes/no before it; it abstained
        (
            "our baby was diagnosed with mainzer-saldino syndrome after they found problems with"
            " his kidneys and bones. is it caused by a gene change? which gene?",
            "IFT140",
        ),
        # set AW: "what is that?" asks of the name said before it; judged on the rash, abstained
        (
            "my 6 yr old got a purple bumpy rash on his legs and butt plus tummy pain and sore"
            " knees. the doctor said henoch-schonlein purpura. what is that? is it serious?",
            "Henoch-Schonlein purpura (HSP) is a disease",
        ),
        # set AW: "Yes" quoting "… in all adults regardless of risk factors"
        (
            "Does the USPSTF B recommendation on depression screening in adults limit screening"
            " to people with risk factors?",
            "No.",
        ),
    ],
)
def test_a_storys_question_is_read_as_it_asks(engine: Engine, text: str, said: str) -> None:
    assert said in engine.answer(text, save=False).bottom_line.text


def _told(text: str) -> EvidenceSentence:
    document = Document("d", "What are the symptoms of it ?", EvidenceType.CONSUMER_HEALTH, "m")
    passage = Passage("d#0", "d", 0, "symptoms", text)
    return EvidenceSentence(text, passage, document, Hit(1, 1.0, passage, document))


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("question", "told", "evidence"),
    [
        (  # the asked condition's signs, for its signs
            "the dentist mentioned papillon lefevre syndrome. what are the symptoms?",
            "Signs and symptoms of Papillon Lefevre syndrome seen in approximately 90% of"
            " patients include gingivitis and periodontitis.",
            True,
        ),
        (  # set Z: Graves' disease's signs answered a question on onycholysis
            "What would cause onycholysis and how do you treat it?",
            "Signs and symptoms of Graves' disease include goiter and onycholysis.",
            False,
        ),
        (  # set AD: another neuropathy's signs
            "Our son was just diagnosed with axonal neuropathy with neuromyotonia. What symptoms"
            " will it cause as he gets older?",
            "Other signs and symptoms of Giant axonal neuropathy (how often is not known) include"
            " areflexia of lower limbs and curly hair.",
            False,
        ),
        (  # set AV: a treatment question is not answered by the signs
            "is there any treatment for acatalasemia?",
            "Signs and symptoms of Acatalasemia include oral ulcer and reduced catalase activity.",
            False,
        ),
        (  # a yes/no relation the table states
            "Can acatalasemia cause mouth ulcers?",
            "Signs and symptoms of Acatalasemia include oral ulcer and reduced catalase activity.",
            True,
        ),
        (  # prose is evidence whatever was asked
            "is there any treatment for acatalasemia?",
            "Many people with acatalasemia never have any health problems.",
            True,
        ),
    ],
)
def test_a_phenotype_table_answers_only_the_signs_of_its_own_condition(
    demo_store: SQLiteStore, question: str, told: str, evidence: bool
) -> None:
    sentence = _told(told)
    kept = signs_answering(analyse_question(question, demo_store), [sentence])
    assert (sentence in kept) is evidence


def test_a_types_roman_numeral_is_its_number() -> None:
    # set AV: "sialidosis type 1" never took the page on "Sialidosis type I" for its own
    assert content_words("What are the symptoms of Sialidosis type I ?") == content_words(
        "what are the symptoms of sialidosis type 1"
    )
    assert "1" not in content_words("the USPSTF grade I statement")  # I: insufficient evidence
    assert content_words("type II diabetes") == content_words("type 2 diabetes")


@pytest.mark.sqlite_only
def test_a_rare_disease_s_symptoms_come_from_its_phenotype_table(engine: Engine) -> None:
    # set AV: GARD's page holds its signs only as a table, and another disease's page answered
    answer = engine.answer(
        "my 4 year old has thick red scaly skin on her palms and soles and her baby teeth are"
        " getting loose and falling out. the dentist mentioned papillon lefevre syndrome. what"
        " are the symptoms?",
        save=False,
    )
    bottom = answer.bottom_line.text
    assert bottom.startswith("Signs and symptoms of Papillon Lefevre syndrome seen in")
    assert "90%" in bottom and "periodontitis" in bottom  # the signs most patients have lead
    assert all("Pachyonychia" not in r.title for r in answer.references)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        # set AG: "Uncertain" rested on a bladder-wash trial's conclusion the reader scored 0.04
        (
            "Should an incontinent nursing home patient with an otherwise asymptomatic urinary"
            " tract infection be treated with antibiotics?",
            {Verdict.INSUFFICIENT},
        ),
        # set AI: "Should she be in a nursing home?" got "Yes" from a study of who enters them
        (
            "She lives by herself and her family wants her in a nursing home. Should she be in a"
            " nursing home?",
            {Verdict.UNCERTAIN, Verdict.INSUFFICIENT, None},
        ),
        # set AI: "no addiction treatment services nearby" turned "recommends screening" into
        # "No"
        (
            "Our rural clinic has no addiction treatment services nearby. Should we still screen"
            " adults for unhealthy drug use, and which patients are at highest risk?",
            {Verdict.YES},
        ),
        # set AO: "Does the USPSTF recommendation … apply to someone his age" asked no advice
        (
            "70-year-old retired man, no controlled medications, at his annual wellness visit."
            " Does the USPSTF recommendation to screen adults for unhealthy drug use apply to"
            " someone his age, and what should be in place before I screen?",
            {None},  # whom a recommendation covers: the statement answers, not a yes (set AR)
        ),
        # set AD: "Yes" quoting "botulinum toxin A injections cause weakness in finger
        # extension", a long guideline's line that names epicondylitis only elsewhere
        (
            "Is botulinum toxin injection a reasonable option for chronic lateral epicondylitis in"
            " a worker who hasn't improved with therapy?",
            {Verdict.UNCERTAIN, Verdict.INSUFFICIENT},
        ),
        # set AD: "Yes" from a guideline's line on NRT in adults who smoke, for a pregnant smoker
        (
            "Is nicotine replacement therapy safe and effective for a pregnant smoker who hasn't"
            " been able to quit with counseling?",
            {Verdict.UNCERTAIN, Verdict.INSUFFICIENT},
        ),
        # set AD: "Yes" quoting a trial's design paper ("DMPA is the most common contraceptive
        # used in many countries …"), which reports no findings
        (
            "Can a woman at high risk for HIV use Depo-Provera, or does DMPA increase her risk of"
            " getting HIV?",
            {Verdict.UNCERTAIN, Verdict.INSUFFICIENT},
        ),
        # the pregnancy a question asks of is not asked of an adults' recommendation that
        # covers it (the USPSTF's screening for unhealthy drug use, adults 18 or older)
        (
            "23-year-old woman at her first prenatal visit. Should I screen her for unhealthy drug"
            " use by asking questions, and which factors are associated with drug use during"
            " pregnancy?",
            {Verdict.YES},
        ),
    ],
)
def test_a_verdict_rests_on_what_answers_the_question(
    engine: Engine, text: str, allowed: set[Verdict | None]
) -> None:
    assert engine.answer(text, save=False).bottom_line.verdict in allowed


@pytest.mark.sqlite_only
def test_how_to_store_a_medicine_is_answered_only_by_a_sentence_on_storing(engine: Engine) -> None:
    # set AI: "Most foods contain phosphorus" answered how to store sevelamer
    answer = engine.answer(
        "How should I store my sevelamer (Renvela), and what do I do with old pills I don't"
        " need anymore?",
        save=False,
    )
    assert "phosphorus" not in answer.bottom_line.text


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # set AJ: "United States Preventive Services Task Force" fitted lung cancer's statement
        # and "Preventive" made it a question on prevention; a risk sentence led
        (
            "What does the United States Preventive Services Task Force say about skin cancer"
            " screening?",
            "visual skin examination",
        ),
        # set AJ: "grade" was searched as "histologic grade" and the I statement scored under
        # the floor: the question abstained
        (
            "What grade does the USPSTF assign to screening asymptomatic 10- to 18-year-olds for"
            " adolescent idiopathic scoliosis, and what does that grade mean for practice?",
            "screening for adolescent idiopathic scoliosis",
        ),
        # set AJ: the story's "fasting lipid panel" was the focus ("lipid" of the question's
        # "lipid screening" was taken for it) and the statement on children was off it
        (
            "Mother wants a fasting lipid panel on her healthy 9-year-old son at his well visit;"
            " no family history of early heart disease. Does the evidence support routine lipid"
            " screening in children and adolescents?",
            "lipid disorders in children and adolescents",
        ),
        # set AJ: an imperative recommendation ("offer treatment with hydroxyurea") was none
        (
            "2-year-old with sickle cell anemia (HbSS) who has never had a pain crisis or acute"
            " chest syndrome. Should I offer hydroxyurea now or wait until he becomes"
            " symptomatic?",
            "offer treatment with hydroxyurea",
        ),
        # set AI: "daily low-dose aspirin" was not named by "initiating aspirin use"
        (
            "Healthy 42-year-old with a family history of colon cancer and heart disease wants to"
            " start daily low-dose aspirin for prevention. Does the USPSTF support starting"
            " aspirin before age 50?",
            "adults younger than 50 years",
        ),
        # set AJ: "whose" started a wh-question, "abdominal ultrasound" (the method) was the
        # focus, the brother made her a man, and the titles hide the family history
        (
            "68-year-old woman, never smoked, whose brother had an AAA repair. Should I screen her"
            " with an abdominal ultrasound?",
            "who have ever smoked or have a family history of AAA",
        ),
        # set AK: "screening age" was the focus, "so should she" asked no advice, the pelvic
        # examination's I statement (its title names "asymptomatic adult women") answered, and
        # the statement's "… and younger and in older women at increased risk" was one group
        (
            "Asymptomatic 30-year-old woman seen at county jail intake. She's older than the"
            " usual screening age, so should she still be screened for gonorrhea?",
            "recommends screening for gonorrhea",
        ),
    ],
)
def test_the_named_guideline_answers_what_it_says(engine: Engine, text: str, quoted: str) -> None:
    assert quoted in engine.answer(text, save=False).bottom_line.text


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # set AP: asked yes or no, and no sentence states yes or no; the named statement answers
        (
            "Does the USPSTF I statement on screening for adolescent idiopathic scoliosis cover"
            " both boys and girls, and over what age range does it apply?",
            "children and adolescents aged 10 to 18 years",
        ),
        (
            "Is the USPSTF position on screening mammography for women aged 75 and older a"
            " recommendation against screening (grade D) or an insufficient-evidence (I)"
            " statement?",
            "screening mammography in women aged 75 years or older. (USPSTF grade I.)",
        ),
    ],
)
def test_a_yes_no_question_naming_the_guideline_gets_its_statement(
    engine: Engine, text: str, quoted: str
) -> None:
    answer = engine.answer(text, save=False)
    assert answer.bottom_line.verdict is None
    assert quoted in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_a_named_guidelines_statements_answer_beside_the_storys_drug(engine: Engine) -> None:
    # set AP: the guideline's name was the focus, the story's clonazepam had to be named by the
    # statement on benzodiazepines, and a pointer to an appendix led
    answer = engine.answer(
        "26-year-old veteran with chronic low back pain who already takes clonazepam for anxiety"
        " asks to be started on long-term opioids. What does the VA/DoD opioid guideline say"
        " about long-term opioids at his age and about combining them with a benzodiazepine?",
        save=False,
    )
    assert "recommends against long-term opioid therapy for patients less than 30 years" in (
        answer.bottom_line.text
    )
    shown = " ".join(item.text for section in answer.sections for item in section.items)
    assert "concurrent use of benzodiazepines and opioids" in shown


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "said"),
    [
        # set AP: a verdict quoting a statement left out its grade
        (
            "19-year-old college soccer player at his preparticipation physical, no testicular"
            " symptoms. Should I do a testicular exam to screen for cancer, and what grade does"
            " the USPSTF give testicular cancer screening in adolescent and adult men?",
            "in adolescent or adult men.” (USPSTF grade D.)",
        ),
        # set AP: "primary care clinicians" (who acts) was the focus, not fluoride varnish
        (
            "Up to what age does the USPSTF recommend that primary care clinicians keep applying"
            " fluoride varnish to children's primary teeth, what grade is it, and is there"
            " evidence on when to stop?",
            "apply fluoride varnish to the primary teeth of all infants and children starting at"
            " the age of primary tooth eruption. (USPSTF grade B.)",
        ),
        # set AP: a pointer to the Clinical Considerations came between statement and grade
        (
            "27-year-old woman screens positive for intimate partner violence. What does the"
            " USPSTF recommend I do next?",
            "ongoing support services. (USPSTF grade B.)",
        ),
    ],
)
def test_a_statement_carries_its_grade(engine: Engine, text: str, said: str) -> None:
    assert said in engine.answer(text, save=False).bottom_line.text


@pytest.mark.sqlite_only
def test_a_recommendation_for_other_people_is_no_bottom_line(engine: Engine) -> None:
    # set AQ: the statement for children aged 3 to 5 answered a question on children younger
    # than 3 ("younger than 3" took in age 3, and the reader's pick was not held to the people)
    answer = engine.answer(
        "Parents of a 20-month-old whose older brother needed patching for amblyopia want his"
        " eyes checked at today's well visit. What does the USPSTF say about vision screening in"
        " children younger than 3 years, and what grade is it?",
        save=False,
    )
    assert "children aged 3 to 5 years" not in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_a_story_naming_the_guideline_before_its_question_gets_no_statement(
    engine: Engine,
) -> None:
    # set AL: "… younger than the USPSTF screening age range for abnormal glucose; should I
    # check her anyway?" does not ask what the statement on gestational diabetes says
    answer = engine.answer(
        "32-year-old Hispanic woman with a BMI of 27 and a history of gestational diabetes."
        " She's younger than the USPSTF screening age range for abnormal glucose; should I check"
        " her anyway?",
        save=False,
    )
    assert "gestational diabetes mellitus (GDM) in asymptomatic pregnant" not in (
        answer.bottom_line.text
    )


@pytest.mark.sqlite_only
def test_a_prevention_sentence_naming_the_pages_thing_by_its_head_answers(
    engine: Engine,
) -> None:
    # set AJ: "anyway" was a key phrase and "Birth control pills can help prevent new cysts."
    # lost to a sentence on PCOS for not saying "ovarian"
    answer = engine.answer(
        "Is there anyway to prevent ovarian cysts? I've had two burst in the last year.",
        save=False,
    )
    assert "prevent new cysts" in answer.bottom_line.text


@pytest.mark.parametrize(
    ("text", "effects"),
    [
        ("Dry mouth can cause several problems, including difficulty tasting.", True),
        ("A dry mouth may often lead to tooth decay.", True),
        ("Many medicines can cause dry mouth.", False),
        ("Dry mouth is caused by medicines.", False),
    ],
)
def test_what_the_focus_causes_is_told(text: str, effects: bool) -> None:
    assert tells_effects(text, frozenset(["dry mouth"])) is effects


@pytest.mark.parametrize(
    ("text", "causes"),
    [  # set CB: what causes newborn jaundice answered what newborn jaundice can cause
        ("Hemolytic anemia can cause signs in a newborn, such as jaundice and fluid.", True),
        ("High levels of bilirubin cause jaundice.", True),
        ("Newborn jaundice can lead to brain damage if untreated.", False),
        ("Untreated jaundice can cause kernicterus, which causes brain damage.", False),
        ("Jaundice is a yellowish color of the skin.", False),
    ],
)
def test_what_causes_the_focus_is_told(text: str, causes: bool) -> None:
    assert tells_causes(text, frozenset(["newborn jaundice"])) is causes


@pytest.mark.sqlite_only
def test_what_a_thing_causes_does_not_answer_what_causes_it(engine: Engine) -> None:
    # set BI: "Dry mouth can cause several problems …" led "What are the causes of …?"
    answer = engine.answer(
        "What are the causes of a dry mouth (xerostomia) in an adult?", save=False
    )
    assert not answer.bottom_line.text.startswith("Dry mouth can cause")
    assert "400 medicines" in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_another_kind_given_as_a_synonym_is_not_searched(engine: Engine) -> None:
    # set BI: MeSH gives "Rh incompatibility" as an entry term of ABO incompatibility's
    # descriptor, and Rh incompatibility's pages answered; the corpus has none on ABO
    answer = engine.answer(
        "My mother had a reaction during a blood transfusion, and the doctors said it may have"
        " been ABO incompatibility. What causes ABO incompatibility?",
        save=False,
    )
    assert answer.bottom_line.verdict is Verdict.INSUFFICIENT
    assert "rh incompatibility" not in answer.bottom_line.text.lower()


@pytest.mark.sqlite_only
def test_a_named_statement_is_told_from_records_titled_alike(engine: Engine) -> None:
    # set BI abstained: the chlamydia and the gonorrhea records are both titled "Chlamydia and
    # Gonorrhea: Screening -- Sexually Active Women"; the statement's own words part them, and
    # its "Other risk factors for infection include …" stands alone
    answer = engine.answer(
        "Under the USPSTF B recommendation on chlamydia screening in sexually active women, which"
        " risk factors make a woman older than 24 eligible, and does it cover a 45-year-old"
        " recently divorced woman with a new partner who uses condoms inconsistently?",
        save=False,
    )
    assert "recommends screening for chlamydia" in answer.bottom_line.text
    assert any("inconsistent condom use" in item for item in items(answer))


@pytest.mark.sqlite_only
def test_a_named_topic_goes_on_past_a_comma_between_adjectives(engine: Engine) -> None:
    # set BJ abstained: the topic was cut at "intensive," and "intensive" was searched
    text = (
        "Does the USPSTF B recommendation on intensive, multicomponent behavioral weight-loss"
        " interventions cover a 72-year-old with a BMI of 32 and knee osteoarthritis, and would a"
        " self-guided weight-loss smartphone app count?"
    )
    assert named_grade_topic(text) == (
        "grade B",
        "intensive, multicomponent behavioral weight-loss interventions",
    )
    # a comma after a noun still ends the topic
    assert named_grade_topic(
        "Does the USPSTF B recommendation on statins, as I read it, cover him?"
    ) == ("grade B", "statins")
    answer = engine.answer(text, save=False)
    assert "intensive, multicomponent behavioral interventions" in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_what_a_named_statement_has_is_asked_of_it_not_of_a_link(engine: Engine) -> None:
    """Set BS: "Uncertain. 1 source … discusses USPSTF B recommendation on exercise to, but it
    does not mention falls have an upper age limit, …" — the statement read as a cause, and
    its topic ran on into what was asked of it."""
    text = (
        "Does the USPSTF B recommendation on exercise to prevent falls have an upper age limit,"
        " e.g. for a 93-year-old living with her daughter who fell last month, and does it apply"
        " to older adults not at increased risk for falls?"
    )
    assert named_grade_topic(text) == ("grade B", "exercise to prevent falls")
    assert named_grade_topic("Does the USPSTF B recommendation on adults who have a high BMI")[
        1
    ] == ("adults who have a high BMI")
    answer = engine.answer(text, save=False)
    assert answer.bottom_line.verdict is not Verdict.UNCERTAIN
    assert "exercise interventions to prevent falls" in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_a_named_statement_is_told_with_its_records_notes_and_no_other_topic(
    engine: Engine,
) -> None:
    # set BI: the bacterial vaginosis statement came with HIV screening in pregnancy, and not
    # with its own risk assessment, which says what to assess before deciding
    answer = engine.answer(
        "G3P2 at 11 weeks with no vaginal symptoms; her first baby was born at 33 weeks and her"
        " second at 39 weeks. Does the USPSTF D recommendation against screening for bacterial"
        " vaginosis in pregnant persons not at increased risk for preterm delivery apply to her,"
        " and what should I assess before deciding whether to screen?",
        save=False,
    )
    assert "recommends against screening for bacterial vaginosis" in answer.bottom_line.text
    assert any("prior preterm delivery" in item for item in items(answer))
    assert all("Bacterial Vaginosis" in r.title for r in answer.references)


@pytest.mark.sqlite_only
def test_a_question_on_pregnancy_is_not_answered_by_a_source_silent_on_it(engine: Engine) -> None:
    # set BI: a trial of heparin in hemofiltration of critically ill adults answered
    answer = engine.answer("What do you do with heparin anticoagulation in pregnancy?", save=False)
    assert answer.bottom_line.verdict is Verdict.INSUFFICIENT
    assert "citrate" not in answer.bottom_line.text
    heartburn = engine.answer("What causes heartburn during pregnancy?", save=False)
    assert "Pregnancy" in heartburn.bottom_line.text


@pytest.mark.sqlite_only
def test_a_table_without_frequencies_gives_way_to_prose_on_the_condition(engine: Engine) -> None:
    # set BJ: GARD's table for spina bifida occulta ("… include anencephaly, …
    # myelomeningocele …") was the bottom line, unsupported; its page says it usually causes none
    answer = engine.answer(
        "An X-ray for my 12-year-old's back pain showed spina bifida occulta. What symptoms can"
        " spina bifida occulta cause, or does it usually cause none?",
        save=False,
    )
    assert answer.bottom_line.text.startswith("In most cases SBO causes no symptoms")


@pytest.mark.sqlite_only
def test_a_name_no_source_holds_is_said_to_be_missing(engine: Engine) -> None:
    # set AJ: "What is the dose of Lamisil?" abstained as if the engine had failed on a basic
    # drug, and showed code names ("sf 86-327") as what was searched
    answer = engine.answer("What is the dose of Lamisil?", save=False)
    assert answer.bottom_line.verdict is Verdict.INSUFFICIENT
    assert 'No source in the corpus mentions "lamisil"' in answer.bottom_line.text
    assert "86-327" not in answer.bottom_line.text


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "said"),
    [
        # set AJ: "screening" was the focus (the cervical records are titled with it) and their
        # interval answered a question on intimate partner violence
        (
            "Which women should I be screening for intimate partner violence, and how often,"
            " every visit or once a year?",
            "IPV",
        ),
        # set AJ: typed in lower case, one sentence; "alzheimers" never matched the title
        # "How to prevent Alzheimer's Disease?"; caregivers' phone numbers answered
        (
            "my mom and grandma both had alzheimers. is there anything i can do to lower my"
            " chances of getting it?",
            "lower risk",
        ),
        # set AB: the story's "semen" (more sources are titled with it) was the focus over the
        # condition the biopsy named, and an HPV-in-semen sentence answered
        (
            "My husband's semen test showed no sperm and his biopsy says Sertoli cell-only"
            " syndrome. What does that mean, and does it cause any other symptoms?",
            "condition of the testes",
        ),
        # set BF: more sources are titled "tumor" than the name said last before "what is
        # that?", and insulinoma's glossary entry answered; the glossary's "X: A …" defines X
        (
            "my mom has a rash that wont go away, lost a lot of weight and now has high blood"
            " sugar, and they found a tumor in her pancreas called a glucagonoma. what is that?",
            "Glucagonoma: A tumor that forms in cells that make glucagon.",
        ),
        # set BE abstained: a story asking by an abbreviation ("LAM") is read alone
        (
            "I'm a 38 year old woman who was just diagnosed with lymphangioleiomyomatosis after"
            " years of being treated for asthma. How many people are affected by LAM?",
            "2 to 5 per million women",
        ),
        # set BF: "UTIs" is the plural of the initialism "UTI" (urinary tract infection)
        (
            "My 6 year old daughter just had her second bladder infection this year. What causes"
            " UTIs in kids? Is it something we're doing wrong?",
            "caused by bacteria",
        ),
        # set BG abstained: the story's "blood test showed" made "blood" the name its pages
        # were looked up by, not the toxoplasmosis it showed
        (
            "My blood test showed I have toxoplasmosis, probably from our cats. Is there a"
            " treatment for it, and does everyone who has it need medicine?",
            "Most healthy people recover from toxoplasmosis without treatment.",
        ),
        # set BG: the treatment page's opening (its list's heading run into "Surgery Surgery
        # is …") was never read, and "Radiation therapy is a cancer treatment …" led
        (
            "My mom is 58 and they just told her the mass in her uterus is a uterine sarcoma, not"
            " a fibroid. What are the treatments for it? Will she need chemo or radiation after"
            " surgery?",
            "Surgery is the most common treatment for uterine sarcoma",
        ),
        # set BH abstained: the story's "sialidosis type II" was the focus, and no page is on it;
        # the question sentence asks what sialidosis is
        (
            "Our 8-month-old has a big liver and spleen, coarse facial features and is behind in"
            " his development, and the doctors think it is sialidosis type II. What is"
            " sialidosis, and how is it different from the milder type I?",
            "Sialidosis is a severe inherited disorder",
        ),
        # set BG abstained: NINDS's page says "Dandy-Walker", the question "Dandy Walker"
        ("What is Dandy Walker syndrome?", "Dandy-Walker Syndrome is a congenital brain"),
        # set BI abstained: "liver function tests" was read as "liver function", and the
        # story's "cholesterol medicine" became the focus
        (
            "My doctor ordered liver function tests before starting me on a cholesterol medicine."
            " What are liver function tests, and what do they measure?",
            "Liver function tests are blood tests",
        ),
        # set BJ abstained: "agenesis of the corpus callosum" was read as "corpus callosum",
        # which no page is on, and the story's "20-week ultrasound" had to be named
        (
            "At my 20-week ultrasound they said our baby's corpus callosum may be missing, with"
            " no other problems seen so far. What is isolated agenesis of the corpus callosum,"
            " and how does it affect a child?",
            "Agenesis of the corpus callosum (ACC)",
        ),
        # of two pages titled "What is (are) Rh Incompatibility ?", the one saying what it is
        # leads (MedlinePlus's, first by id, opened with "Blood tests can tell …")
        ("What is Rh incompatibility?", "Rh incompatibility is a condition that occurs"),
        # set AB: the statement on the asked topic's words ("aspirin", "preeclampsia") beats the
        # shorter title of the one on screening for preeclampsia
        (
            "What dose of aspirin is recommended to prevent preeclampsia in high-risk pregnant"
            " women, and from what gestational age?",
            "81 mg/d",
        ),
    ],
)
def test_what_is_done_about_a_thing_is_not_the_thing(engine: Engine, text: str, said: str) -> None:
    assert said in engine.answer(text, save=False).bottom_line.text


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # set AN: two statements of the guideline fitted; the one naming e-cigarettes answers
        (
            "What grade does the USPSTF give e-cigarettes for tobacco cessation in adults, and"
            " where should clinicians direct patients who want to quit instead?",
            ("benefits and harms of electronic cigarettes (e-cigarettes) for tobacco cessation",),
        ),
        # set AN: "COPD" did not name the topic "Chronic Obstructive Pulmonary Disease"
        (
            "What grade does the USPSTF assign to screening asymptomatic adults for COPD, for"
            " example with a symptom questionnaire or handheld spirometry at a health fair?",
            ("recommends against screening for chronic obstructive", "(USPSTF grade D.)"),
        ),
        # set AN: the one statement on the whole topic scored under the floor, so nothing
        # "answered" and the question abstained before the statement could speak
        (
            "What grade does the USPSTF give primary care interventions to support breastfeeding,"
            " and over what period should they be offered?",
            ("during pregnancy and after birth to support breastfeeding", "(USPSTF grade B.)"),
        ),
        # set AN: the story's lung cancer was the focus; of the vitamin statements, the one
        # naming beta-carotene answers
        (
            "62-year-old former smoker read that beta-carotene pills can protect the lungs and"
            " wants to start them to prevent lung cancer. What is the USPSTF grade for"
            " beta-carotene supplementation?",
            ("recommends against the use of ß-carotene", "(USPSTF grade D.)"),
        ),
        # set AO: half the statement's topic words and its focus, "DBT", named by the question
        (
            "58-year-old woman due for her screening mammogram asks whether she should pay extra"
            " for 3D tomosynthesis instead of a standard digital mammogram. What grade does the"
            " USPSTF give DBT as a primary screening method?",
            ("digital breast tomosynthesis (DBT) as a primary screening method", "grade I"),
        ),
        # set AN: "re-reviewed" was a word no source holds
        (
            "At what age should primary care clinicians begin considering BRCA1/2 risk assessment"
            " in women, and how often should family history be re-reviewed for changes?",
            ("brief familial risk assessment tool",),
        ),
    ],
)
def test_a_named_guideline_answers_with_its_statement_and_grade(
    engine: Engine, text: str, quoted: tuple[str, ...]
) -> None:
    answer = engine.answer(text, save=False)
    assert answer.bottom_line.verdict is None
    assert answer.bottom_line.citations
    for phrase in quoted:
        assert phrase in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_what_a_question_looks_for_is_its_focus_not_the_tests_it_lists(engine: Engine) -> None:
    # set AN: "how to evaluate this kid for a subgaleal hematoma. Head ultrasound? Computerized
    # tomography?" was answered by a hemochromatosis page's imaging "to guide the needle"
    answer = engine.answer(
        "Last night I saw a newborn that was delivered after a Mity-Vac times three and forceps"
        " which never really got used. The question was how to evaluate this kid for a subgaleal"
        " hematoma. Head ultrasound? Computerized tomography?",
        save=False,
    )
    said = answer.bottom_line.text
    assert "guide the needle" not in said
    assert answer.bottom_line.verdict is Verdict.INSUFFICIENT or "hematoma" in said.lower()


@pytest.mark.sqlite_only
def test_a_named_guideline_fitting_half_the_topic_speaks_only_of_the_focus(engine: Engine) -> None:
    # the osteoporosis screening statement fits half this question's topic words (osteoporosis,
    # prevent) but not its focus; it must not answer what the USPSTF says of estrogen therapy
    answer = engine.answer(
        "55-year-old woman who had a hysterectomy asks whether she should start estrogen-only"
        " therapy to prevent heart disease and osteoporosis. What does the USPSTF advise?",
        save=False,
    )
    assert "screening for osteoporosis" not in answer.bottom_line.text


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "said"),
    [
        # set AX: the GHR page opens "This condition is inherited …"; no sentence stood
        # alone, and it abstained
        (
            "i get attacks where my legs go weak and i cant move for a few hours, usually the"
            " morning after a big pasta dinner. they said its hypokalemic periodic paralysis. is"
            " it inherited? will my kids get it?",
            "inherited in an autosomal dominant pattern",
        ),
        # set AX: the causes of dry mouth were searched; a definition answered
        (
            "i have really dry eyes and a dry mouth all the time and my doctor thinks its sjogren"
            " syndrome. what causes sjogren? did i do something to get it?",
            "genetic and environmental factors",
        ),
        # set AX: the page is titled with its MeSH name, and a line on high blood pressure
        # answered
        (
            "my blood pressure is always low, like 88/58. what are the symptoms of low blood"
            " pressure i should watch out for? i get dizzy when i stand up fast",
            "hypotension",
        ),
        # set AX: "typical abnormalities" asked nothing, and the definition answered
        ("What are the typical abnormalities for trisomy 18?", "Signs and symptoms of Trisomy 18"),
        # set AX: read as a question on heart disease, it abstained beside the statement
        (
            "62-year-old who has taken estrogen plus progestin for 10 years for hot flashes,"
            " which have now stopped, wants to stay on it to prevent dementia, heart disease and"
            " fractures. Does the USPSTF D recommendation against combined estrogen and progestin"
            " for the primary prevention of chronic conditions apply to continuing it for that"
            " purpose?",
            "recommends against the use of combined estrogen and progestin",
        ),
        (
            "Does the USPSTF I statement on ECG screening in adults at intermediate or high CVD"
            " risk cover both resting and exercise ECGs, what outcome was the screening meant to"
            " improve, and does it apply to a patient with exertional chest pain?",
            "resting or exercise ECG",
        ),
        # a story's sentence quotes no statement (its "with chronic low back pain" is the
        # back pain guideline's population too), and a run of population words quotes none
        (
            "26-year-old veteran with chronic low back pain who already takes clonazepam for"
            " anxiety asks to be started on long-term opioids. What does the VA/DoD opioid"
            " guideline say about long-term opioids at his age and about combining them with a"
            " benzodiazepine?",
            "less than 30 years of age",
        ),
        (
            "Is the USPSTF position on screening mammography for women aged 75 and older a"
            " recommendation against screening (grade D) or an insufficient-evidence (I)"
            " statement?",
            "women aged 75 years or older",
        ),
    ],
)
def test_the_asked_page_or_quoted_statement_answers(engine: Engine, text: str, said: str) -> None:
    assert said.lower() in engine.answer(text, save=False).bottom_line.text.lower()


def _statement(doc: str, title: str, text: str) -> EvidenceSentence:
    document = Document(doc, title, EvidenceType.GUIDELINE, "USPSTF")
    passage = Passage(f"{doc}#0", doc, 0, "recommendation", text)
    return EvidenceSentence(text, passage, document, Hit(1, 1.0, passage, document))


def test_a_question_quoting_a_statement_names_it() -> None:
    combined = _statement(
        "u1",
        "Hormone Therapy -- Postmenopausal women",
        "The USPSTF recommends against the use of combined estrogen and progestin for the"
        " primary prevention of chronic conditions in postmenopausal women.",
    )
    alone = _statement(
        "u2",
        "Hormone Therapy -- Postmenopausal women who have had a hysterectomy",
        "The USPSTF recommends against the use of estrogen alone for the primary prevention of"
        " chronic conditions in postmenopausal women who have had a hysterectomy.",
    )
    quoting = Question(
        "She took hormones for hot flashes. Does the USPSTF recommendation against combined"
        " estrogen and progestin for the primary prevention of chronic conditions apply?",
        QuestionType.GENERAL,
        False,
        (),
    )
    unnamed = Question(quoting.text.replace("USPSTF ", ""), QuestionType.GENERAL, False, ())
    assert quoted_statements(quoting, [alone, combined]) == [combined]
    assert quoted_statements(unnamed, [alone, combined]) == []  # no guideline named
    story = Question(  # the quote sits in a sentence that names no guideline
        "She takes combined estrogen and progestin for the primary prevention of chronic"
        " conditions. What does the USPSTF say?",
        QuestionType.GENERAL,
        False,
        (),
    )
    assert quoted_statements(story, [alone, combined]) == []
    nutrients = _statement(
        "u3",
        "Vitamin Supplementation to Prevent Cancer and CVD -- Healthy adults",
        "The USPSTF concludes that the current evidence is insufficient to assess the balance of"
        " benefits and harms of the use of single- or paired-nutrient supplements (except"
        " ß-carotene and vitamin E) for the prevention of cardiovascular disease or cancer.",
    )
    four = Question(  # a run of 4 words, 3 of them topic words, quotes too
        "Does the USPSTF I statement on single- or paired-nutrient supplements cover vitamin D"
        " alone?",
        QuestionType.GENERAL,
        False,
        (),
    )
    assert quoted_statements(four, [alone, nutrients]) == [nutrients]


def _graded_statement(doc: str, title: str, text: str, grade: str) -> EvidenceSentence:
    document = Document(doc, title, EvidenceType.GUIDELINE, "USPSTF", keywords=(f"grade {grade}",))
    passage = Passage(f"{doc}#0", doc, 0, "recommendation", text)
    return EvidenceSentence(text, passage, document, Hit(1, 1.0, passage, document))


def test_a_question_naming_a_statement_by_grade_and_topic_names_it() -> None:
    insufficient = "The USPSTF concludes that the current evidence is insufficient to assess"
    young = _graded_statement(
        "u317",
        "USPSTF: Depression in Children and Adolescents: Screening -- Children aged 11 years or"
        " younger",
        f"{insufficient} the balance of benefits and harms of screening for MDD in children aged"
        " 11 years or younger.",
        "I",
    )
    teens = _graded_statement(
        "u316",
        "USPSTF: Depression in Children and Adolescents: Screening -- Adolescents aged 12 to 18",
        "The USPSTF recommends screening for major depressive disorder (MDD) in adolescents aged"
        " 12 to 18 years.",
        "B",
    )
    bladder = _graded_statement(
        "u65",
        "USPSTF: Bladder Cancer in Adults: Screening -- Asymptomatic Adults",
        f"{insufficient} the balance of benefits and harms of screening for bladder cancer in"
        " asymptomatic adults.",
        "I",
    )
    story = (
        "10-year-old boy brought in for two months of stomachaches. Does the USPSTF I statement"
        " on depression screening in children 11 years or younger govern how I evaluate him, or"
        " only screening of children without symptoms?"
    )
    question = Question(story, QuestionType.GENERAL, False, ())
    assert quoted_statements(question, [teens, bladder, young]) == [young]
    assert named_statement(story, [teens, bladder, young]) == [young]
    assert named_statement(story.replace(" I statement", " B statement"), [teens, young]) == []
    # the topic's words are cut where the question goes on ("cover", ", and")
    asked = "Does the USPSTF I statement on bladder cancer screening cover him, and has it changed?"
    assert named_statement(asked, [young, bladder]) == [bladder]
    assert named_statement(asked.replace("USPSTF ", ""), [young, bladder]) == []  # no body
    assert named_statement("Does the USPSTF I statement on skin cancer apply?", [bladder]) == []
    aaa = "Does the USPSTF I statement on AAA screening in women aged 65 to 75 cover a 79-year-old?"
    assert without_named_statement(aaa) == "Does the  cover a 79-year-old?"


def test_a_statement_named_by_its_grade_alone_is_the_record_retrieval_found() -> None:
    falls = _graded_statement(
        "u406",
        "USPSTF: Falls Prevention in Community-Dwelling Older Adults: Interventions",
        "The USPSTF recommends that clinicians selectively offer multifactorial interventions to"
        " prevent falls to community-dwelling adults 65 years or older.",
        "C",
    )
    skin = _graded_statement(
        "u403",
        "USPSTF: Skin Cancer Prevention: Behavioral Counseling",
        "The USPSTF recommends that clinicians selectively offer counseling to adults older than"
        " 24 years with fair skin types about minimizing their exposure to UV radiation.",
        "C",
    )
    story = (
        "76-year-old man living at home with Parkinson disease has fallen three times this year."
        " Under the USPSTF C recommendation, should I offer him a multifactorial fall-prevention"
        " intervention?"
    )
    assert named_grade(story) == "grade C"
    assert named_grade_topic(story) is None
    assert named_statement(story, [skin, falls], "u406") == [falls]
    assert named_statement(story, [skin, falls]) == []  # no record found for it
    assert (
        named_statement(story.replace(" C ", " B "), [skin, falls], "u406") == []
    )  # not its grade
    # a record opening with its statement for other people is named by the question's (set AW)
    young = "The USPSTF recommends cytology every 3 years in women aged 21 to 29 years."
    older = "For women aged 30 to 65 years, the USPSTF recommends cotesting every 5 years."
    cervix = _graded_statement(
        "u10426", "USPSTF: Cervical Cancer: Screening -- Women aged 30 to 65 years", young, "A"
    )
    whole = dataclasses.replace(cervix.passage, text=f"{young} {older}")
    both = [dataclasses.replace(cervix, text=t, passage=whole) for t in (young, older)]
    turning = "Which options does the USPSTF A recommendation give a 30-year-old woman?"
    assert named_grade(turning) == "grade A"
    assert [s.text for s in named_statement(turning, both, "u10426")] == [older]
    # named by grade and topic, the topic decides; "a" grade asks what the grade means; a grade
    # and nothing else names no topic
    assert named_grade("Does the USPSTF I statement on bladder cancer screening cover him?") is None
    assert named_grade("What does a USPSTF grade B recommendation mean for my patient?") is None
    assert named_grade("What does the USPSTF C recommendation mean?") is None
    # set BQ: "under the A recommendation", the body named before it
    prep = (
        "34-year-old man whose husband is living with HIV. Does he meet the USPSTF high-risk"
        " criteria for PrEP under the A recommendation, or does condom use take him out of them?"
    )
    assert named_grade(prep) == "grade A"
    assert named_grade(prep.replace("USPSTF ", "")) is None  # no body named: no grade
    # a "topic" of ages only names the statement by its grade alone (set BO: "the USPSTF A
    # recommendation for ages 21 to 29" searched "ages 21" and abstained)
    pap = (
        "23-year-old declines her first Pap smear. Does the USPSTF A recommendation for ages 21"
        " to 29 still apply to her, and what test and interval does it specify?"
    )
    assert named_grade_topic(pap) is None
    assert named_grade(pap) == "grade A"
    assert named_grade_topic(pap.replace("for ages 21 to 29", "for cervical cancer")) == (
        "grade A",
        "cervical cancer",
    )


def test_a_recommendation_naming_nothing_asked_speaks_of_its_passage() -> None:
    document = Document(
        "hch", "Adapting your practice: unstably housed patients", EvidenceType.GUIDELINE, "HCH"
    )
    tb = Passage("hch#18", "hch", 18, "MAJOR RECOMMENDATIONS", "Treat patient appropriately.")
    hep = Passage("hch#32", "hch", 32, "MAJOR RECOMMENDATIONS", "Give a booster dose of HBV.")
    treat = EvidenceSentence(tb.text, tb, document, Hit(1, 1.0, tb, document))
    boost = EvidenceSentence(hep.text, hep, document, Hit(2, 1.0, hep, document))
    boost.mentions = frozenset({"booster"})
    whole = {"booster", "anti-hbs", "source patient"}  # the guideline names them somewhere
    near = _names_near([treat, boost])
    untitled = {"hch": frozenset[str]()}
    assert near["hch#18"] == frozenset()
    assert _stating(treat, whole, 3, near, untitled) == set()  # not its other passages
    assert _stating(boost, whole, 3, near, untitled) == whole  # it names a side: its source too
    assert _stating(treat, whole, 2, near, untitled) == whole  # a title fitting the question
    titled = {"hch": frozenset({"anti-hbs"})}
    assert _stating(treat, whole, 3, near, titled) == whole  # a title on the question


def test_a_page_opening_on_this_condition_stands_in_its_page() -> None:
    text = "This condition is inherited in an autosomal dominant pattern."
    assert not stands_alone(text)
    assert stands_alone_in_page(text)
    assert not stands_alone_in_page("These infants were followed for a year.")


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("What are the typical abnormalities for trisomy 18?", "symptoms"),
        ("What should I use for atopic dermatitis?", "treatment"),
        ("Which chromosomal abnormalities cause trisomy 18?", None),  # not its symptoms
    ],
)
def test_the_kind_asked_in_other_words(
    demo_store: SQLiteStore, text: str, kind: str | None
) -> None:
    assert asked_kind(analyse_question(text, demo_store)) == kind


@pytest.mark.parametrize(
    ("text", "phrase", "said"),
    [
        ("Why is she hypoglycemic? No history of diabetes.", "diabetes", True),
        ("Why is she hypoglycemic? No history of diabetes.", "hypoglycemic", False),
        ("A man without known diabetes has a foot ulcer.", "diabetes", True),
        ("Does diabetes raise the risk of no-reflow?", "diabetes", False),
    ],
)
def test_what_the_patient_has_not_got_is_denied(text: str, phrase: str, said: bool) -> None:
    assert denied(text, phrase) is said


@pytest.mark.sqlite_only
def test_a_denied_condition_is_not_the_focus(demo_store: SQLiteStore) -> None:
    # set AQ: read as a question on diabetes, it answered with diabetic heart disease's risks
    question = analyse_question(
        "Why is she hypoglycemic? No history of diabetes. She tests her sugars at home and they"
        " are 50 to 60.",
        demo_store,
    )
    assert focus_group(question, concept_groups(question)) == ["hypoglycemic"]


@pytest.mark.sqlite_only
def test_a_positive_test_told_is_no_focus_and_a_hereditary_name_asks_what_it_is(
    demo_store: SQLiteStore,
) -> None:
    # set AZ: "tested positive for a BRCA2 mutation" made the mutation what was looked for, and
    # "hereditary" in the syndrome's name made "What is …?" a question on who is at risk
    question = analyse_question(
        "What is BRCA2 hereditary breast and ovarian cancer syndrome? My sister just tested"
        " positive for a BRCA2 mutation.",
        demo_store,
    )
    assert question.type is QuestionType.DEFINITION
    focus = focus_group(question, concept_groups(question))
    assert focus is not None and "brca2 mutation" not in focus


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("text", "said"),
    [
        # sets AT, AY: "Yes" quoting the statement for "persons who are at increased risk",
        # which never says who they are, was judged unsupported
        (
            "26-year-old heterosexual man recently released from prison after 2 years, no"
            " symptoms, HIV negative. Does he count as at increased risk for syphilis under the"
            " USPSTF A recommendation?",
            "at increased risk for infection",
        ),
        # set AZ: the same in other words, from the statement for "populations at increased
        # risk"
        (
            "39-year-old man who emigrated from the Philippines 10 years ago now works as a"
            " corrections officer and has no symptoms. Is he in a population the USPSTF says to"
            " screen for latent tuberculosis infection?",
            "at increased risk",
        ),
    ],
)
def test_whether_a_patient_is_among_those_at_increased_risk_gets_the_statement_not_a_verdict(
    engine: Engine, text: str, said: str
) -> None:
    answer = engine.answer(text, save=False)
    assert answer.bottom_line.verdict is None
    assert said in answer.bottom_line.text


def test_whether_a_statement_covers_someone_it_leaves_out_gets_the_statement() -> None:
    # set CF: "Yes, strong" to whether the statement for adults "without known liver disease"
    # covers a man whose hepatitis C was cured, quoting a statement that says neither
    statement = _statement(
        "h",
        "Hepatitis C Virus Infection in Adolescents and Adults: Screening",
        "The USPSTF recommends screening for hepatitis C virus (HCV) infection in adults aged 18"
        " to 79 years.",
    )
    asked = (
        "44-year-old whose hepatitis C was cured 3 years ago. Does the USPSTF B recommendation on"
        " HCV screening in adults 18 to 79, meant for those without known liver disease, cover"
        " him?"
    )
    assert statement_cannot_say(asked, [statement])
    # the statement says whom it leaves out; "apply" is no question of whom it covers
    assert not statement_cannot_say(asked.replace("liver disease", "HCV infection"), [statement])
    assert not statement_cannot_say(
        "7-month-old, no dentist yet. Should I apply fluoride varnish today?", [statement]
    )
    # set CG: "Yes, strong" to whether the statement "listed for ages 18 to 50" covers a
    # 16-year-old, quoting its sentence for all pregnant persons
    pregnant = _statement(
        "p",
        "Interventions for Tobacco Smoking Cessation in Adults, Including Pregnant Persons",
        "The USPSTF recommends that clinicians ask all pregnant persons about tobacco use.",
    )
    listed = (
        "16-year-old at 12 weeks quit smoking. Does the USPSTF A recommendation on tobacco"
        " cessation in pregnant persons, listed for ages 18 to 50, cover her?"
    )
    assert statement_cannot_say(listed, [pregnant])
    assert not statement_cannot_say(listed.replace("16-year-old", "26-year-old"), [pregnant])


def test_membership_is_unproven_only_by_an_at_risk_statement() -> None:
    statement = _statement(
        "s",
        "Syphilis: Screening",
        "The USPSTF recommends screening for syphilis infection in"
        " persons who are at increased risk for infection.",
    )
    named = _statement(
        "t",
        "Syphilis: Screening",
        "The USPSTF recommends screening for syphilis infection in men who have sex with men.",
    )
    asked = "Does he count as at increased risk for syphilis under the USPSTF A recommendation?"
    assert statement_cannot_say(asked, [statement])
    assert not statement_cannot_say(asked, [named])
    assert not statement_cannot_say("Should persons at increased risk be screened?", [statement])
    too_late = "She is at 22 weeks. Is it too late to start aspirin?"
    assert statement_cannot_say(too_late, [named])  # a recommendation says nothing of "too late"
    # set BL: whether a patient meets terms the statement never defines ("Yes" unsupported)
    for terms in (
        "Does he count as an ever smoker under the USPSTF B recommendation, and which AAA risk"
        " factors does he have?",
        "Does her low risk change the USPSTF A recommendation for her?",
        "Is a single risk factor such as dyslipidemia enough on its own, and does he qualify?",
        "Does a 50-year-old with normal lipids but a 10-year CVD risk of 6% qualify?",
        # set BR: "Yes" for a man with a bleeding ulcer from the statement for those not at
        # increased risk for bleeding
        "57-year-old man had a bleeding duodenal ulcer 3 years ago. Does he fit the USPSTF B"
        " recommendation to start low-dose aspirin at 50 to 59?",
    ):
        assert statement_cannot_say(terms, [named])
    assert not statement_cannot_say("Should I prescribe it, and who would qualify?", [named])
    # set BN: "Yes" to "is EDS still required?" from a suggestion to consider it
    consider = _statement(
        "u", "Carpal Tunnel Syndrome", "Consider corroboration of clinical impression with EDS."
    )
    required = "Under the L&I guide, is EDS still required for a carpal tunnel claim?"
    assert statement_cannot_say(required, [consider])
    assert not statement_cannot_say("Should I get EDS for a carpal tunnel claim?", [consider])
    assert not statement_cannot_say(required, [named])  # a recommendation may say it is
    # set AZ: the same question in other words, and the statement for people "at increased
    # risk" says nothing of him; a question saying he is at risk is answered, and so is one
    # on what to do for her (sets AE, AF: "Yes" judged correct)
    vignette = (
        "39-year-old man who emigrated from the Philippines works as a corrections officer."
        " Is he in a population the USPSTF says to screen for syphilis?"
    )
    assert statement_cannot_say(vignette, [statement])
    assert not statement_cannot_say(vignette, [named])
    assert not statement_cannot_say(
        "A 30-year-old man at increased risk for syphilis: should he be screened?", [statement]
    )
    assert not statement_cannot_say("Should adults be screened for syphilis?", [statement])
    assert statement_cannot_say(
        "27-year-old man. Do his age and local prevalence count toward increased risk?",
        [statement],
    )
    assert not statement_cannot_say(
        "24-year-old with a history of depression. Should I refer her for counseling?",
        [statement],
    )
    low_risk = _statement(
        "u",
        "Bacterial Vaginosis in Pregnancy: Screening",
        "The USPSTF recommends against screening for bacterial vaginosis in pregnant persons"
        " who are not at increased risk for preterm delivery.",
    )
    assert not statement_cannot_say(
        "Is she in the low-risk group the USPSTF says not to screen?", [low_risk]
    )
    # set BB: whether she is at increased risk is said no more by the statement for women who
    # are not ("No" from it was judged unsupported)
    not_at_risk = _statement(
        "v",
        "Breast Cancer: Medication Use to Reduce Risk",
        "The USPSTF recommends against the routine use of risk-reducing medications, such as"
        " tamoxifen, raloxifene, or aromatase inhibitors, in women who are not at increased risk"
        " for breast cancer.",
    )
    assert statement_cannot_say(
        "46-year-old woman had atypical ductal hyperplasia on a breast biopsy. Can she be"
        " considered at increased risk for breast cancer without a formal risk tool?",
        [not_at_risk],
    )


def test_a_first_occasion_statement_says_nothing_of_a_second() -> None:
    # sets AO, BS: "Yes" to screening again at delivery quoting the first-visit statement
    first = _statement(
        "h",
        "Hepatitis B Virus Infection in Pregnant Women: Screening",
        "The USPSTF recommends screening for hepatitis B virus (HBV) infection in pregnant women"
        " at their first prenatal visit (USPSTF grade A.)",
    )
    again = (
        "28-year-old was HBsAg-negative at her first prenatal visit; at 32 weeks her husband is"
        " diagnosed with chronic hepatitis B. Should she be screened again at admission for"
        " delivery?"
    )
    assert statement_cannot_say(again, [first])
    assert statement_cannot_say("Should I retest her for hepatitis B?", [first])
    assert not statement_cannot_say("Should I screen her for hepatitis B?", [first])
    at_delivery = _statement(
        "h",
        "Hepatitis B Virus Infection in Pregnant Women: Screening",
        "Women with unknown HBsAg status or with new or continuing risk factors for HBV infection"
        " should be screened at the time of admission to a hospital or other delivery setting.",
    )
    assert advises(at_delivery)  # the considerations' "should be screened at …" advises
    assert not statement_cannot_say(again, [at_delivery])


def test_whether_a_setting_means_increased_risk_is_not_said_by_the_statement() -> None:
    # set BW: "Yes, strong" to "does care at a public STI clinic mean increased risk?" quoting
    # the statement for older women at increased risk
    statement = _statement(
        "c",
        "Chlamydia and Gonorrhea: Screening -- Sexually Active Women",
        "The USPSTF recommends screening for chlamydia in sexually active women age 24 years and"
        " younger and in older women who are at increased risk for infection.",
    )
    asked = (
        "32-year-old woman visits a public STI clinic for a contraception refill. Under the"
        " USPSTF B recommendation on chlamydia screening, does care at a public STI clinic mean"
        " increased risk?"
    )
    assert statement_cannot_say(asked, [statement])
    assert not statement_cannot_say("Should I screen her for chlamydia?", [statement])


def test_a_statement_that_says_no_time_says_nothing_of_doing_it_again() -> None:
    # set BU: "Yes, strong" to rescreening a man whose HBsAg was negative last year, quoting the
    # statement for those at increased risk, which says no time at all
    at_risk = _statement(
        "r",
        "Screening for Hepatitis B Virus Infection in Adolescents and Adults",
        "The USPSTF recommends screening for hepatitis B virus (HBV) infection in adolescents and"
        " adults at increased risk for infection.",
    )
    rescreen = (
        "34-year-old man with HIV who has sex with men had a negative HBsAg last year. Under the"
        " USPSTF B recommendation on hepatitis B screening, should he be rescreened?"
    )
    assert statement_cannot_say(rescreen, [at_risk])
    assert not statement_cannot_say("Should he be screened for hepatitis B?", [at_risk])
    # the first ask is whether to screen at all, which the statement answers (set AK)
    first_then_again = "Should I screen him, and if he's negative, does he need to be retested?"
    assert not statement_cannot_say(first_then_again, [at_risk])
    # a one-time test that "needs no repeat" asks of the test, not of doing it again (set BD)
    assert not statement_cannot_say("Is it a one-time test that needs no repeat?", [at_risk])
    yearly = _statement(
        "y",
        "Screening for Hepatitis B Virus Infection in Adolescents and Adults",
        "Clinicians should screen persons who continue to inject drugs every year.",
    )
    assert not statement_cannot_say(rescreen, [yearly])  # "every year" says when again


def test_doing_again_what_the_record_calls_one_time_is_not_said_by_its_statement() -> None:
    # set BX: "Yes, strong" to screening again a man whose test was negative at 25, quoting
    # the statement for adults 18 to 79, beside the record's "One-time screening …"
    def service() -> list[str]:
        return ["One-time screening for most adults. Periodically screen persons with continued"]

    again = (
        "Should a 30-year-old who last injected drugs 10 years ago and tested negative at 25 be"
        " screened again, and how often should people with continued risk be screened?"
    )
    assert again_of_one_time(again, service)
    assert not again_of_one_time("Should a 30-year-old be screened for hepatitis C?", service)
    # a record that says no such thing leaves it to the statement (set BJ, judged correct)
    assert not again_of_one_time(again, lambda: ["Screening at the first prenatal visit."])
    # "again" asked after the first ask is not the first ask
    assert not again_of_one_time("Should I screen him, and when should I screen again?", service)
    # whether it is one-time is what the statement says (set BD, judged correct)
    once = "Is it a one-time ultrasound, so that a man with a normal scan needs no repeat?"
    assert not again_of_one_time(once, service)


def test_whether_someone_named_is_at_increased_risk_is_not_said_by_the_statement() -> None:
    # set BS: "Yes" to "is a 15-year-old living with an HBsAg-positive grandmother at increased
    # risk" quoting the statement for adolescents and adults at increased risk
    statement = _statement(
        "b",
        "Hepatitis B Virus Infection in Adolescents and Adults: Screening",
        "The USPSTF recommends screening for hepatitis B virus (HBV) infection in adolescents and"
        " adults at increased risk for infection.",
    )
    assert statement_cannot_say(
        "Under the USPSTF B recommendation on hepatitis B screening, is a 15-year-old living with"
        " an HBsAg-positive grandmother at increased risk?",
        [statement],
    )
    assert not statement_cannot_say(
        "Should adolescents at increased risk be screened for hepatitis B?", [statement]
    )


def test_what_a_statement_itself_sets_or_reviewed_gets_no_verdict_unless_it_says() -> None:
    # set BQ: "Yes, strong" quoting each statement, unsupported
    bone = _statement(
        "b",
        "Osteoporosis to Prevent Fractures: Screening",
        "The USPSTF recommends screening for osteoporosis with bone measurement testing to"
        " prevent osteoporotic fractures in women 65 years and older.",
    )
    interval = (
        "Does the USPSTF B recommendation on osteoporosis screening in women 65 and older set an"
        " interval for repeat bone measurement after a normal test at 65?"
    )
    assert statement_cannot_say(interval, [bone])
    repeat = _statement(
        "r",
        "Osteoporosis to Prevent Fractures: Screening",
        "The USPSTF recommends an interval for repeat bone measurement of 2 years after a normal"
        " test.",
    )
    assert not statement_cannot_say(interval, [repeat])  # a statement saying it answers
    reviewed = _statement(
        "c",
        "Colorectal Cancer: Screening",
        "The USPSTF did not specifically review the evidence on screening in populations at"
        " increased risk; however, other organizations recommend earlier screening.",
    )
    assert statement_cannot_say(
        "Did the USPSTF A recommendation on colorectal cancer screening review the evidence for a"
        " 52-year-old whose brother had colon cancer at 44?",
        [reviewed],
    )
    programs = _statement(
        "d",
        "Diabetes Prevention Programs",
        "The Task Force recommends combined diet and physical activity promotion programs for"
        " persons at increased risk for type 2 diabetes on the basis of strong evidence of"
        " effectiveness in reducing new-onset diabetes.",
    )
    across = (
        "Does the Task Force find combined diet and physical activity programs effective across"
        " counseling intensities, settings and implementers, and what does 'Recommended' mean?"
    )
    assert statement_cannot_say(across, [programs])
    # what the statement does say is answered: screening women 65 and older, and the programs
    assert not statement_cannot_say(
        "Does the USPSTF recommend bone measurement testing in women 65 years and older?", [bone]
    )
    assert not statement_cannot_say(
        "Does the Task Force recommend diet and physical activity programs for persons at"
        " increased risk for type 2 diabetes?",
        [programs],
    )


def test_whether_to_seek_care_gets_no_verdict() -> None:
    # set BL: "Do I need to see a doctor for it, and when is chest pain an emergency?" got
    # "Yes" quoting "The chest pain also may feel like pain from a heart attack"
    assert asks_care("I think it's costochondritis. Do I need to see a doctor for it?")
    assert asks_care("Should we go to the ER or wait until morning?")
    assert not asks_care("Do I need to take antibiotics for strep throat?")


@pytest.mark.sqlite_only
def test_a_stage_of_the_focus_reads_the_focus_own_page(engine: Engine) -> None:
    # set BO: no source says "primary syphilis": the story's penis was the focus and the
    # question abstained; then the neurosyphilis page led and filled the items
    answer = engine.answer(
        "I noticed a small painless sore on my penis about two weeks ago, and it seems to be"
        " healing on its own. Could that be syphilis? What are the symptoms of primary syphilis?"
    )
    assert answer.bottom_line.verdict is None
    assert "single, small, painless sore" in answer.bottom_line.text
    assert answer.references[0].title == "What is (are) Syphilis ?"
    assert all("neurosyphilis" not in r.title.lower() for r in answer.references)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("question", "opening", "told"),
    [
        # set BO: the symptoms page answered, its definition page scoring under the floor
        (
            "The ENT says the smelly drainage that keeps coming back from my son's ear is caused"
            " by a cholesteatoma. What is a cholesteatoma?",
            "Cholesteatoma is a type of skin cyst located in the middle ear.",
            "The hallmark symptom is a painless discharge from the ear.",
        ),
        # set BO: asked first what it is, then its problems: the page tells both, where its
        # genes answered
        (
            "Our newborn was just diagnosed with methylmalonic acidemia. What is it, and what"
            " problems can it cause as she grows?",
            "Methylmalonic acidemia is an inherited disorder",
            "Long-term complications can include feeding problems, intellectual disability,"
            " chronic kidney disease, and inflammation of the pancreas (pancreatitis).",
        ),
        # set BO: the page on it by another name, not familial cold autoinflammatory syndrome's
        # "Redness in the whites of the eye (conjunctivitis) …"
        (
            "My 5-year-old woke up with a red, goopy eye that was crusted shut. What is"
            " conjunctivitis, and is it contagious?",
            "Conjunctivitis is the medical name for pink eye.",
            "Infectious pink eye can easily spread from one person to another.",
        ),
    ],
)
def test_what_it_is_comes_from_the_page_saying_so_in_its_order(
    engine: Engine, question: str, opening: str, told: str
) -> None:
    answer = engine.answer(question)
    assert answer.bottom_line.text.startswith(opening)
    said = items(answer)
    assert told in said
    assert len({r.doc_id for r in answer.references}) == 1
    assert all(opening not in item for item in said)  # the bottom line is not repeated
    assert all(not item.startswith(("Contact lens", "- ")) for item in said)  # no list pieces


@pytest.mark.sqlite_only
def test_a_count_told_low_reads_the_term_s_page(engine: Engine) -> None:
    # set BO: "platelets" was the focus, and bleeding at high platelet counts led
    answer = engine.answer(
        "Why are his platelets so low? 27 is the lowest they have been. No petechiae or signs"
        " of bleeding noted."
    )
    assert answer.references[0].title == "What causes Thrombocytopenia ?"
    assert "high platelet" not in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_a_story_s_what_is_it_question_is_about_the_thing_it_names(engine: Engine) -> None:
    # set BQ: read as treating the story's diabetic foot wound, it abstained; the page's
    # antecedent sentence was then told twice, in the bottom line and as an item
    answer = engine.answer(
        "My diabetic foot wound hasn't healed in months, and my doctor suggested hyperbaric"
        " oxygen therapy. What is hyperbaric oxygen therapy?"
    )
    assert answer.bottom_line.verdict is None
    assert "hyperbaric oxygen therapy" in answer.bottom_line.text
    assert "high pressure" in answer.bottom_line.text
    assert all(item not in answer.bottom_line.text for item in items(answer))


@pytest.mark.sqlite_only
def test_a_story_word_no_source_holds_leaves_a_question_naming_its_thing(engine: Engine) -> None:
    # set BQ: abstained because no source mentions "cashier"
    answer = engine.answer(
        "I'm a cashier with carpal tunnel syndrome, and my wrist splint only helps a little."
        " What research is being done on carpal tunnel syndrome?"
    )
    assert answer.bottom_line.verdict is None
    assert "carpal tunnel syndrome" in answer.bottom_line.text
    assert "research" in answer.bottom_line.text.lower() or "Researchers" in (
        answer.bottom_line.text
    )


@pytest.mark.sqlite_only
def test_am_i_at_risk_leads_with_what_the_story_tells_of_the_asker(engine: Engine) -> None:
    # set BQ: "Mexican Americans are at higher risk …" led for a woman who lost weight fast
    answer = engine.answer(
        "I'm a 42-year-old woman who lost 30 pounds fast on a very low-calorie diet, and my"
        " mother had gallstones. Who is at risk for gallstones, and am I one of them?"
    )
    assert "Mexican" not in answer.bottom_line.text
    assert "weight loss" in answer.bottom_line.text
    said = " ".join(items(answer))
    assert "Women" in said and "family history" in said


@pytest.mark.sqlite_only
def test_when_to_see_a_doctor_is_answered_only_by_a_sentence_saying_so(engine: Engine) -> None:
    # set BQ: a study's "no association between ascending aortopathy, bicuspid aortic valves,
    # and IAs" answered when to see a doctor; no source here says when
    answer = engine.answer(
        "I was told at 30 that I have a bicuspid aortic valve, but I feel fine. When should I see"
        " a doctor about a bicuspid aortic valve?"
    )
    assert answer.bottom_line.verdict is Verdict.INSUFFICIENT
    assert "aortopathy" not in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_a_trial_s_endpoints_answer_no_question(engine: Engine) -> None:
    # set BO: "Secondary endpoints are …" was the bottom line of an ofloxacin question
    answer = engine.answer(
        "My doctor prescribed ofloxacin for a urinary tract infection. What side effects should I"
        " watch for, and which ones mean I should call the doctor right away?"
    )
    assert not answer.bottom_line.text.startswith("Secondary endpoints")
    assert "will generate" not in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_a_page_on_another_thing_saying_what_the_focus_is_is_not_told_in_its_order(
    engine: Engine,
) -> None:
    # set AR: "Vitamin E is an antioxidant …" inside the page on ataxia with vitamin E
    # deficiency; its page's other sentences, on the ataxia, are no answer on vitamin E
    answer = engine.answer(
        "Do you have information about vitamin E? What does it do in the body, which foods have"
        " it, and should I take a vitamin E pill every day?"
    )
    assert not any(item.startswith("Ataxia with vitamin E deficiency") for item in items(answer))


@pytest.mark.sqlite_only
def test_the_page_titled_with_the_asked_name_answers_before_another_name_s(
    engine: Engine,
) -> None:
    # set BP: MeSH files SADDAN under achondroplasia, and "Is Achondroplasia inherited ?"
    # answered "Is SADDAN inherited?" beside the page of that very title
    answer = engine.answer(
        "Our son was diagnosed with SADDAN, a severe form of achondroplasia, and no one else in"
        " our family has it. Is SADDAN inherited?"
    )
    assert answer.references[0].title == "Is SADDAN inherited ?"
    assert "SADDAN" in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_a_guideline_statement_naming_nothing_asked_gives_no_verdict(engine: Engine) -> None:
    # set BP: the PTSD guideline's "insufficient evidence … couples therapy" made a question on
    # fluoxetine with imipramine "Uncertain", its source naming both drugs elsewhere
    answer = engine.answer(
        "Is it all right to use Prozac (fluoxetine) (or other selective serotonin reuptake"
        " inhibitor) with imipramine (or other tricyclic antidepressant)?"
    )
    assert "couples therapy" not in answer.bottom_line.text


@pytest.mark.sqlite_only
def test_a_storys_could_this_be_asks_of_what_it_names(engine: Engine) -> None:
    """Set BZ: the story's fever, which more sources are titled with, was the focus of "Could
    this be septic arthritis, and what are its symptoms?", and it abstained though MedlinePlus
    lists the symptoms of infectious arthritis."""
    answer = engine.answer(
        "My knee suddenly got hot, swollen and very painful, and I have a fever. Could this be"
        " septic arthritis, and what are its symptoms?",
        save=False,
    )
    assert answer.bottom_line.text.startswith("Symptoms of infectious arthritis include")
    assert answer.references[0].title == "What is (are) Infectious Arthritis ?"


@pytest.mark.sqlite_only
def test_what_a_question_sets_aside_or_lists_as_alternatives_is_no_side_of_its_own(
    demo_store: SQLiteStore,
) -> None:
    # set BZ: a sentence had to name short stature, teeth and eyes at once
    question = analyse_question(
        "My daughter has pseudohypoparathyroidism type 1A. Besides short stature and short"
        " fingers, can it affect her teeth, eyes or thinking?",
        demo_store,
    )
    assert question_sides(question) == [["pseudohypoparathyroidism type 1a"], ["teeth", "eyes"]]
    either = analyse_question("Is it safe to take ibuprofen or acetaminophen with warfarin?")
    assert question_sides(either) == [["ibuprofen"], ["acetaminophen"], ["warfarin"]]


@pytest.mark.sqlite_only
def test_a_yes_no_clause_names_its_subject_right_after_its_verb(demo_store: SQLiteStore) -> None:
    # set BZ: "No" quoted "red flags such as … cocaine, amphetamines or alcohol", which names
    # the test, opioids and the acute phase but not cannabis
    question = analyse_question(
        "Under the Washington L&I guideline on prescribing opioids for injured workers, does"
        " cannabis on the baseline urine drug test rule out opioids beyond the acute phase?",
        demo_store,
    )
    subject, _ = relation_ends(question, concept_groups(question))
    assert subject == [["cannabis"]]


@pytest.mark.sqlite_only
def test_a_storys_question_sentence_names_the_page_it_asks_for(demo_store: SQLiteStore) -> None:
    # set BZ: the causes of "thyroid stimulating hormone 400" were searched
    question = analyse_question(
        "I saw a 54-year-old woman a year ago with severe dyspnea (dying), skin like leather and"
        " she was hypothyroid (thyroid stimulating hormone 400, T4 0, T3 0). What happened to"
        " her thyroid, why did she get hypothyroid?",
        demo_store,
    )
    assert asked_name(question) == "hypothyroid"


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("my mom's colon cancer has spread to her liver. can it be cured?", "Childhood"),
        ("My 24 year old brother was just diagnosed with Hodgkin lymphoma.", "Childhood"),
        ("Our 3-year-old daughter was just diagnosed with leukemia.", "Adult"),
        ("What is the outlook for childhood obesity?", None),  # the question's own word
        ("What is lung cancer?", None),  # no age said
    ],
)
def test_a_page_for_people_of_another_age_answers_no_one_of_this(
    text: str, other: str | None
) -> None:
    # set BZ-era review: "Childhood liver cancer may be cured …" answered an adult's liver
    # metastases
    pattern = pages_of_other_ages(text)
    if other is None:
        assert pattern is None
    else:
        assert pattern is not None and pattern.search(f"What is the outlook for {other} X ?")


@pytest.mark.sqlite_only
def test_can_it_be_cured_names_no_diagnosis_and_a_stage_is_of_its_disease(
    demo_store: SQLiteStore,
) -> None:
    question = analyse_question(
        "My 24 year old brother was just diagnosed with stage 2 Hodgkin lymphoma. What is the"
        " outlook? Can it be cured?",
        demo_store,
    )
    groups = concept_groups(question)
    focus = focus_group(question, groups, [{"hodgkin lymphoma"}])
    assert focus is not None and "hodgkin lymphoma" in focus and "cured" not in focus


@pytest.mark.sqlite_only
def test_the_statement_for_who_quit_lately_says_no_yes_for_who_quit_long_ago(
    engine: Engine,
) -> None:
    # set BZ: "Yes" quoting the statement for adults who "have quit within the past 15 years"
    answer = engine.answer(
        "61-year-old woman with 30 pack-years quit smoking 16 years ago; two annual low-dose CTs"
        " were normal. Under the USPSTF B recommendation, should her lung cancer screening go"
        " on?",
        save=False,
    )
    assert answer.bottom_line.verdict is not Verdict.YES


@pytest.mark.sqlite_only
def test_a_condition_the_storys_only_question_names_is_its_focus(engine: Engine) -> None:
    # set BZ: the story's skin, which more sources are titled with, was the focus, and Graves'
    # disease's TSH answered "why did she get hypothyroid?"
    answer = engine.answer(
        "I saw a 54-year-old woman a year ago with severe dyspnea (dying), skin like leather and"
        " she was hypothyroid (thyroid stimulating hormone 400, T4 0, T3 0). What happened to"
        " her thyroid, why did she get hypothyroid?",
        save=False,
    )
    assert answer.references[0].title == "What causes Hypothyroidism ?"
    assert "cause of hypothyroidism" in answer.bottom_line.text
    assert answer.showing_results_for is None  # "hypothyroid" is no other name to explain


@pytest.mark.sqlite_only
def test_every_drug_a_yes_no_claim_names_must_be_named_by_what_states_it(engine: Engine) -> None:
    # set CA: "No" from "The rate of persistence of prescribed NOACs was significantly lower
    # than that of warfarin …", which names warfarin and atrial fibrillation, never aspirin
    answer = engine.answer(
        "Is aspirin just as good as warfarin (Coumadin) for preventing strokes in patients with"
        " chronic atrial fibrillation?",
        save=False,
    )
    assert answer.bottom_line.verdict not in (Verdict.YES, Verdict.NO)
    assert "NOACs" not in answer.bottom_line.text


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("question", "page"),
    [
        (  # set CE abstained: "suspects thoracic outlet syndrome" was the name searched
            "My hand tingles and my fingers turn bluish when I work overhead, and my doctor"
            " suspects thoracic outlet syndrome. What are its symptoms?",
            "What are the symptoms of Thoracic outlet syndrome ?",
        ),
    ],
)
def test_what_the_doctor_suspects_is_what_its_question_asks_of(
    engine: Engine, question: str, page: str
) -> None:
    answer = engine.answer(question, save=False)
    cited = [r.title for r in answer.references if r.n in answer.bottom_line.citations]
    assert cited == [page], answer.bottom_line.text


@pytest.mark.sqlite_only
def test_a_definition_does_not_answer_how_it_is_diagnosed(engine: Engine) -> None:
    # set CE: "Amyloidosis is a group of diseases in which a protein … builds up …" answered
    # "How is secondary amyloidosis diagnosed?" (partial); the corpus has no page on diagnosing
    # it beside rheumatoid arthritis, so no answer is better than the definition
    answer = engine.answer(
        "My mother has had rheumatoid arthritis for 25 years and now has protein in her urine."
        " How is secondary amyloidosis diagnosed?",
        save=False,
    )
    assert not answer.bottom_line.text.startswith("Amyloidosis is a group of diseases")


@pytest.mark.sqlite_only
def test_a_statement_for_younger_children_says_it_leaves_out_the_patient(engine: Engine) -> None:
    # set CE: the caries statement for "children from birth to age 5 years" answered whether it
    # covers a 6-year-old without saying that she is older
    answer = engine.answer(
        "Does the USPSTF I statement on caries screening exams by primary care clinicians cover"
        " a 6-year-old getting her first permanent molars?",
        save=False,
    )
    assert answer.bottom_line.text.endswith(
        "This statement is for those from birth to age 5 years; the patient asked about is 6."
    )


@pytest.mark.sqlite_only
def test_what_a_condition_causes_is_not_answered_by_what_causes_it(engine: Engine) -> None:
    # set CF: the HEXA gene (its causes page), then its rarity (its frequency page), answered
    # what Tay-Sachs disease causes
    answer = engine.answer(
        "Our baby daughter was diagnosed with Tay-Sachs disease at 7 months. What complications"
        " can Tay-Sachs disease cause?",
        save=False,
    )
    assert "seizures" in answer.bottom_line.text, answer.bottom_line.text


@pytest.mark.sqlite_only
def test_a_guide_named_by_who_wrote_it_answers(engine: Engine) -> None:
    # set CF: "Per the Washington L&I shoulder guide" named no guideline, and a trial's result
    # answered what change fits a small improvement
    answer = engine.answer(
        "House painter, 3 weeks into mobilization and exercise for work-related shoulder pain,"
        " has only slightly better SPADI scores. Per the Washington L&I shoulder guide, what"
        " change fits a small improvement?",
        save=False,
    )
    cited = {r.journal for r in answer.references if r.n in answer.bottom_line.citations}
    assert cited == {"Washington State Department of Labor and Industries"}, answer.bottom_line


@pytest.mark.sqlite_only
def test_what_a_story_names_is_defined_without_the_rest_of_the_story(engine: Engine) -> None:
    # set CF abstained: no sentence that defines hypovolemic shock names the stomach ulcer
    answer = engine.answer(
        "My father lost a lot of blood from a stomach ulcer, and the ER said he was in"
        " hypovolemic shock. What is hypovolemic shock?",
        save=False,
    )
    assert answer.bottom_line.text.startswith("Hypovolemic shock"), answer.bottom_line.text
