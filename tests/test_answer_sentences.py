"""Which sentences of a passage can be evidence: findings and statements, not methods labels,
study aims or the furniture consumer pages repeat on every page."""

from __future__ import annotations

import dataclasses

import pytest

from medcite.answer.abstain import key_concepts
from medcite.answer.compose import Citations, render_sections
from medcite.answer.model import Question, QuestionType
from medcite.answer.plan import SectionKey
from medcite.answer.read import (
    Readings,
    bottom_line_order,
    genus_forms,
    names_relation,
    titles_the_kind,
)
from medcite.answer.sentences import (
    EvidenceSentence,
    _statements,
    antecedent,
    concept_forms,
    extract,
    holds_list,
    in_context,
    is_background,
    is_methods,
    linked_synonyms,
    named_in,
    reports_statistics,
    stands_alone,
    tag_sections,
    without_flat_copy,
)
from medcite.records import Document, EvidenceType, Hit, Passage

# A GARD rare-disease page and an NCI PDQ page as the shipped corpus holds them.
GARD = (
    "Chronic lymphocytic leukemia is a cancer of white blood cells called lymphocytes. "
    "Learn more about chronic lymphocytic leukemia. "
    "The frequency of a sign or symptom is usually listed as a rough estimate of the percentage"
    " of patients who have that feature. "
    "For example, a frequency of 25/25 means that in a study of 25 people all patients were"
    " found to have that symptom. "
    "Sometimes, no information on frequency is available. "
    "The Human Phenotype Ontology provides the following list of signs and symptoms for chronic"
    " lymphocytic leukemia. "
    "The Human Phenotype Ontology (HPO) has collected information on how often a sign or symptom"
    " occurs in a condition. "
    # set AD: GARD's lead-in to its list of options was a treatment question's bottom line
    "While we do not provide medical advice, the following have been reported as treatment"
    " options for chronic lymphocytic leukemia. "
    "Individuals should discuss the various treatment options with their personal healthcare"
    " provider. "
    # set AS: GARD's note on the testing registry answered "is there a genetic test for it?"
    "The Genetic Testing Registry (GTR) is a central online resource for information about"
    " genetic tests. "
    "The intended audience for the GTR is health care providers and researchers. "
    "Patients and consumers with specific questions about a genetic test should contact a health"
    " care provider or a genetics professional. "
    "To view the clinical laboratories conducting testing click here. "
    # set BX: the bottom line for "What should we do if he accidentally takes too much?"
    "For information about side effects caused by treatment for cancer, see our Side Effects"
    " page."
)
PDQ = (
    "Clinical trials are taking place in many parts of the country. "
    "Patients may want to think about taking part in a clinical trial. "
    "Ibrutinib is a standard first treatment for many patients with chronic lymphocytic leukemia."
)


def _hit(doc_id: str, text: str) -> Hit:
    document = Document(
        doc_id, "Chronic lymphocytic leukemia", EvidenceType.CONSUMER_HEALTH, "test"
    )
    return Hit(1, 1.0, Passage(f"{doc_id}#0", doc_id, 0, None, text), document)


def _evidence(doc_id: str, text: str) -> list[str]:
    """The sentences ``extract`` keeps as evidence of one passage."""
    return [s.text for s in extract([_hit(doc_id, text)])]


@pytest.mark.parametrize(
    "text",
    [
        "Outside these populations this condition occurs less frequently.",  # set AT
        "For example, many pregnant women take prescription medicines.",  # set AS
        "In fact, most men older than 80 have prostate cancer cells.",  # set AL
        "In these cases, affected people often have multiple tumors.",
        "Further, the CISNET models suggest that for women with about a 2-fold increased risk"
        " for breast cancer, starting annual digital screening at age 40 years …",  # set BC
        # set BE: nothing before a bottom line to be "these medicines"
        "Even if you had these medicines, your infant may still need surfactant replacement"
        " therapy after birth.",
        "In contrast, most people with the disease live a normal life span.",
        "For more information about RDS treatments, go to the Health Topics article.",
    ],
)
def test_a_sentence_leaning_on_the_one_before_does_not_stand_alone(text: str) -> None:
    assert not stands_alone(text)


# MedlinePlus's weight gain page as shipped from "These medicines …" on (set BA); its first
# sentence, in the passage before, is written here
WEIGHT = (
    "Some medicines, such as corticosteroids, antidepressants and seizure medicines, can cause"
    " you to gain weight. These medicines can slow the rate at which your body burns calories,"
    " increase your appetite, or cause your body to hold on to extra water. All of these"
    " factors can lead to weight gain. Emotional Factors Some people eat more than usual when"
    " they're bored, angry, or stressed."
)


def _in(text: str, sentence: str) -> EvidenceSentence:
    (hit,) = [_hit("medlineplus:1", text)]
    return EvidenceSentence(sentence, hit.passage, hit.document, hit)


def test_a_sentence_pointing_back_is_shown_after_the_sentences_it_points_to() -> None:
    """Set BA: "All of these factors can lead to weight gain." alone told a reviewer nothing;
    its antecedent points back too, so both earlier sentences come with it."""
    factors = _in(WEIGHT, "All of these factors can lead to weight gain.")
    assert antecedent(factors) == (
        "Some medicines, such as corticosteroids, antidepressants and seizure medicines, can"
        " cause you to gain weight. These medicines can slow the rate at which your body burns"
        " calories, increase your appetite, or cause your body to hold on to extra water."
    )
    shown = in_context(factors)
    assert shown in WEIGHT and shown.endswith("All of these factors can lead to weight gain.")


@pytest.mark.parametrize(
    "sentence",
    [
        # stands alone
        "Some medicines, such as corticosteroids, antidepressants and seizure medicines, can"
        " cause you to gain weight.",
        # reports its own finding, or a page's condition
        "These findings suggest that early treatment helps.",
        "These in vivo studies suggest that inhibitors of the PI3K-mTOR pathway may be active.",
        "This condition is inherited in an autosomal dominant pattern.",
        # names what "both" are
        "Both Xenical and Alli reduce the absorption of fats.",
    ],
)
def test_a_sentence_that_says_its_subject_is_shown_alone(sentence: str) -> None:
    text = f"Weight gain is common in adults. {sentence}"
    assert antecedent(_in(text, sentence)) == ""
    assert in_context(_in(text, sentence)) == sentence


def test_a_glossary_entry_defines_its_term() -> None:
    (glossary, said) = _tagged(
        "Glucagonoma: A tumor that forms in cells that make glucagon.",
        "Glucagonoma is diagnosed with blood tests.",
    )
    assert SectionKey.DEFINITION in glossary.sections
    assert SectionKey.DEFINITION not in said.sections


def _tagged(*texts: str) -> list[EvidenceSentence]:
    sentences = [_in(" ".join(texts), text) for text in texts]
    tag_sections(sentences)
    return sentences


def test_a_sentence_like_the_one_before_is_shown_after_it() -> None:
    """Set BE: "Similarly, the use of prolotherapy for cervical pain is generally not
    recommended." was a bottom line with nothing to be like; it still says all it says."""
    before = "There is good evidence that prolotherapy alone is not effective for low back pain."
    like = "Similarly, the use of prolotherapy for cervical pain is generally not recommended."
    assert stands_alone(like)
    assert in_context(_in(f"{before} {like}", like)) == f"{before} {like}"


def test_another_of_a_kind_is_shown_after_the_one_before() -> None:
    """Set BI: "Gillespie syndrome can also be inherited in an autosomal recessive pattern …"
    was a bottom line with a dangling "also"; "also called" names, it points nowhere."""
    before = "Gillespie syndrome can be inherited in an autosomal dominant pattern."
    also = "Gillespie syndrome can also be inherited in an autosomal recessive pattern."
    assert stands_alone(also)
    assert in_context(_in(f"{before} {also}", also)) == f"{before} {also}"
    named = "Vitamin B12 is also called cobalamin."
    assert in_context(_in(f"{before} {named}", named)) == named


@pytest.mark.parametrize(
    ("text", "alone"),
    [  # set BI: a list's item after "The prognosis depends on:" was a bottom line
        ("Whether the tumor has spread into the brain or to other parts of the body.", False),
        ("Whether or not medication is recommended depends on the size of the lesion.", True),
    ],
)
def test_a_whether_clause_stands_alone_only_with_its_main_clause(text: str, alone: bool) -> None:
    assert stands_alone(text) is alone


@pytest.mark.parametrize(
    ("text", "alone"),
    [  # set BI: the USPSTF's chlamydia risk factors, the question's answer, were never shown
        ("Other risk factors for infection include having a new sex partner.", True),
        ("Other symptoms may include fever and chills.", True),
        ("Other studies found no difference.", False),
        ("Other than that, the rash is harmless.", False),
    ],
)
def test_other_things_included_stand_alone(text: str, alone: bool) -> None:
    assert stands_alone(text) is alone


def test_a_list_told_twice_is_told_once() -> None:
    # set BH: NIHSeniorHealth's flat copy of a dashed list ran on in the bottom line
    told = (
        "Other common tests include -  the erythrocyte sedimentation rate, which indicates"
        " inflammation   - a blood test for anemia.  the erythrocyte sedimentation rate, which"
        " indicates inflammation a blood test for anemia."
    )
    once = without_flat_copy(told)
    assert once.endswith("- a blood test for anemia.") and told.startswith(once)
    differs = "Doses range 10 - 20 mg - daily. 20 mg daily is usual."
    assert without_flat_copy(differs) == differs


def test_no_antecedent_beyond_the_passage_or_too_long() -> None:
    first = "They are considered to be experimental."
    assert antecedent(_in(f"{first} The rest follows here.", first)) == ""
    long = "Stem cells " + "of many kinds " * 30 + "were studied."
    assert antecedent(_in(f"{long} {first}", first)) == ""


def test_a_sentence_saying_its_own_subject_stands_alone() -> None:
    assert stands_alone("Lysinuric protein intolerance is estimated to occur in 1 in 60,000.")
    assert stands_alone("These findings suggest that early treatment helps.")
    assert stands_alone("Further studies are needed.")  # "Further," alone points back


def test_page_furniture_is_never_evidence() -> None:
    texts = [s.text for s in extract([_hit("gard", GARD), _hit("pdq", PDQ)])]
    assert texts == [
        "Chronic lymphocytic leukemia is a cancer of white blood cells called lymphocytes.",
        "Ibrutinib is a standard first treatment for many patients with chronic lymphocytic"
        " leukemia.",
    ]


def test_a_worksheets_blank_is_never_evidence() -> None:
    # set AT: an unintended weight-loss question got "Write your weight loss goal here: … my
    # goal is to lose about ___________ pounds."
    text = (
        "Write your weight loss goal here: To lower my risk of getting type 2 diabetes, my goal"
        " is to lose about ___________ pounds. Losing 5 to 7 percent of your weight lowers the"
        " risk of type 2 diabetes."
    )
    assert _evidence("niddk", text) == [
        "Losing 5 to 7 percent of your weight lowers the risk of type 2 diabetes."
    ]


def test_a_guideline_records_pointers_to_its_other_fields_are_never_evidence() -> None:
    # set AJ's question on diet counseling got "Uncertain" quoting "Definitions for the
    # categories of task force recommendations … are provided at the end of the …" field
    text = (
        "Definitions for the categories of task force recommendations and evidence (recommended,"
        ' recommended against, or insufficient evidence) are provided at the end of the "Major'
        ' Recommendations" field. '
        'The levels of evidence are defined at the end of the "Major Recommendations" field. '
        "Refer to the original guideline document for more information. "
        # set AP: a pointer led a question on the VA/DoD opioid guideline
        "See Appendix D in the original guideline for more information on contraindications. "
        'Refer to the "Major Recommendations" for additional recommendations against initiation. '
        "For patients who are already prescribed long-term opioid therapy, refer to the NGC"
        " summary of the VA/DoD guideline. "
        "The Task Force recommends combined diet and physical activity promotion programs for"
        " persons at increased risk for type 2 diabetes."
    )
    assert _evidence("ngc", text) == [
        "The Task Force recommends combined diet and physical activity promotion programs for"
        " persons at increased risk for type 2 diabetes."
    ]


def test_a_list_heading_ended_with_a_full_stop_is_never_evidence() -> None:
    # set AR: the bottom line of a question on the symptoms of PNH
    text = (
        "Testing for paroxysmal nocturnal hemoglobinuria (PNH). "
        "In PNH, the red blood cells are missing certain proteins. "
        "Bleeding after surgery occurs in 2% of patients."
    )
    assert _evidence("nhlbi", text) == [
        "In PNH, the red blood cells are missing certain proteins.",
        "Bleeding after surgery occurs in 2% of patients.",
    ]


def test_study_aims_and_keywords_are_never_evidence() -> None:
    text = (
        "OBJECTIVE To determine whether metformin lowers HbA1c in adolescents. "
        "Key words: metformin, adolescents. "
        "Metformin lowered HbA1c by 0.5% compared with placebo."
    )
    assert _evidence("trial", text) == ["Metformin lowered HbA1c by 0.5% compared with placebo."]


def test_a_bottom_line_names_another_side_of_the_question() -> None:
    from medcite.answer.read import Readings, names_a_side

    hit = _hit(
        "review",
        "Tricyclic antidepressants reduce tension headaches more than the SSRIs do. "
        "Of the SSRIs, paroxetine is most often reported with serotonin syndrome in older adults.",
    )
    headaches, syndrome = extract([hit])
    headaches.mentions = frozenset({"selective serotonin reuptake inhibitor"})
    syndrome.mentions = frozenset({"selective serotonin reuptake inhibitor", "serotonin syndrome"})
    readings = Readings(sides=(frozenset({"serotonin syndrome"}),))
    assert not names_a_side(headaches, readings) and names_a_side(syndrome, readings)
    assert names_a_side(headaches, Readings())  # a one-sided question asks nothing more


# What a sentence names: a synonym's words must stand together, the question's own phrases may
# stand apart (the sentences are from the shipped corpus's GHR and NHLBI pages).
@pytest.mark.parametrize(
    ("concepts", "apart", "together", "named"),
    [
        (  # a synonym
            {"pyloric stenosis": ("pyloric obstruction",)},
            "People with EB-PA are also born with pyloric atresia, which is an obstruction of the "
            "lower part of the stomach (the pylorus).",
            "Pyloric obstruction was found in 3 infants.",
            "pyloric stenosis",
        ),
        (  # the words found of a three-word phrase of the question
            {"heat injury syndromes": ()},
            "Heat shock proteins help protect cells under adverse conditions such as infection, "
            "inflammation, exposure to toxins, elevated temperature, injury, and disease.",
            "Heat injury is common in athletes.",
            "heat injury syndromes",
        ),
    ],
)
def test_a_phrase_is_named_only_where_its_words_stand_together(
    concepts: dict[str, tuple[str, ...]], apart: str, together: str, named: str
) -> None:
    forms = concept_forms(concepts)
    assert named_in(apart, forms) == frozenset()
    assert named_in(together, forms) == {named}


def test_words_between_or_reordered_still_name_a_synonym() -> None:
    forms = concept_forms({"obesity": ("pulmonary hypertension", "weight loss")})
    assert named_in("Pulmonary arterial hypertension is rare.", forms) == {"obesity"}
    assert named_in("Loss of weight helps.", forms) == {"obesity"}
    spelled = concept_forms({"hfmd": ("hand foot and mouth disease",)})
    assert named_in("Hand, foot, and mouth disease is common.", spelled) == {"hfmd"}


def test_the_questions_own_phrase_is_named_by_its_words_anywhere() -> None:
    forms = concept_forms({"drink yogurt": ()})
    sentence = "If you are able to drink small amounts of milk or eat yogurt, choose those."
    assert named_in(sentence, forms) == {"drink yogurt"}


@pytest.mark.parametrize(
    ("focus", "kind"),
    [
        ("obstructive sleep apnea", "sleep apnea"),
        ("acute myocardial infarction", "myocardial infarction"),
        ("hypertrophic pyloric stenosis", "pyloric stenosis"),
        ("asymptomatic gallstones", "gallstones"),  # set Z: a state of the thing
        ("chronic cough", "cough"),
    ],
)
def test_a_focus_whose_first_word_tells_the_kind_has_a_genus(focus: str, kind: str) -> None:
    assert genus_forms([focus]) == concept_forms({kind: ()})


@pytest.mark.parametrize(
    "focus",
    ["hand foot and mouth disease", "pyloric stenosis", "q fever", "vitamin b12 deficiency"],
)
def test_a_noun_or_a_two_word_focus_has_no_genus(focus: str) -> None:
    assert genus_forms([focus]) == {}


def test_background_is_told_by_its_section_or_its_opening_label() -> None:
    context = (
        "CONTEXT Recent animal studies have found that 3-hydroxy-3-methylglutaryl coenzyme A "
        "(HMG-CoA) lipid-lowering drugs (statins) substantially increase bone formation."
    )
    (labelled,) = extract([_hit("pmid:1", context)])
    assert is_background(labelled)
    document = Document("pmid:2", "A trial", EvidenceType.RCT, "pubmed")
    text = "Statins lower LDL cholesterol in adults with diabetes."
    passage = Passage("pmid:2#0", "pmid:2", 0, "BACKGROUND", text)
    (background,) = extract([Hit(1, 1.0, passage, document)])
    assert is_background(background)
    (finding,) = extract([_hit("pmid:3", "Statin use was not associated with fractures.")])
    assert not is_background(finding)


def test_a_lone_generic_word_is_not_a_key_concept() -> None:
    # review set R: "… about meningomyelocele, including outcome …" abstained because no
    # passage named "outcome"
    question = Question(
        "What is general information about meningomyelocele, including outcome?",
        QuestionType.DEFINITION,
        False,
        ("meningomyelocele", "outcome", "watch"),
        known=("meningomyelocele", "outcome"),
    )
    assert key_concepts(question) == ("meningomyelocele",)
    generic = Question("What is the outcome?", QuestionType.GENERAL, False, ("outcome",))
    assert key_concepts(generic) == ("outcome",)  # nothing else to judge coverage on


def test_a_care_setting_is_not_a_key_concept() -> None:
    # review set AB: no passage of the USPSTF statement names "primary care"
    question = Question(
        "Which adults in primary care should be screened for latent tuberculosis infection?",
        QuestionType.DIAGNOSIS,
        False,
        ("latent tuberculosis infection", "primary care"),
        known=("latent tuberculosis infection", "primary care"),
    )
    assert key_concepts(question) == ("latent tuberculosis infection",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # set Y: the bottom line of "What is a normal partial thromboplastin time for a 3-day-old?"
        (
            "Serum levels of lipids, iron, ferritin, partial thromboplastin time and reduced"
            " glutathione were measured at the beginning and at 8 weeks.",
            True,
        ),
        ("Children were randomized to receive drug A or placebo.", True),
        (  # set AB: its "normal" read as a finding
            "We studied 11 normal glucose-tolerant and 53 T2DM subjects [age 53+/-2 yr; BMI"
            " 29.4+/-0.8 kg/m2].",
            True,
        ),
        ("We studied 120 patients and found that 30% had anemia.", False),
        ("Serum ferritin was measured and found to be low in 40% of patients.", False),
        ("The normal PTT for neonates was measured as 30-50 s.", False),
        ("Treatment with vitamin D reduced falls.", False),
        (  # set AY: the "Yes" of "should you do a colposcopy?" quoted a trial's protocol
            "Women with a positive HPV test and a normal Pap test result were offered a second"
            " HPV test at least 1 year later, and those who were found to be persistently"
            " infected with the same high-risk type of HPV were then offered colposcopy with"
            " cervical biopsy.",
            True,
        ),
        ("Women who were offered screening had 20% lower mortality than those not offered.", False),
        (  # set BO: the bottom line of "What side effects should I watch for?" on ofloxacin
            "Secondary endpoints are the microbiological cure rate 10- to 18-day post-treatment,"
            " the 30- and 90-day overall mortality rate, relapse rate of UTI and adverse events"
            " or complications during 90 days of follow-up.",
            True,
        ),
        ("Patients will be randomized to 7 or 14 days of ciprofloxacin.", True),
        (
            "In addition, it will generate insights into the side-effects of antimicrobial"
            " treatment in relation to its duration.",
            True,
        ),
        ("The primary outcome was all-cause mortality at 90 days.", True),
        ("The primary outcome was lower in the treated group (p < 0.01).", False),
        ("Outcomes were better with early surgery.", False),
        (  # a consumer page's visit, no protocol (set AS)
            "If your doctor thinks you may have COPD, he or she will examine you, listen to your"
            " lungs, and ask you questions about your medical history.",
            False,
        ),
        ("Your blood pressure will be measured at each visit.", False),
    ],
)
def test_a_methods_line_is_told_from_a_finding(text: str, expected: bool) -> None:
    assert is_methods(text) is expected


def _first_bottom_line(scores: dict[str, float], need: SectionKey | None) -> EvidenceSentence:
    """The bottom line of a page of ``scores``' sentences (text → the reader's P(answers)) for a
    question that asks for ``need``."""
    found = extract([_hit("gard", " ".join(scores))])
    tag_sections(found)
    readings = Readings(need=need)
    readings.answers = {s.key: scores[s.text] for s in found}
    return sorted(found, key=lambda s: bottom_line_order(s, readings))[0]


def test_a_definition_question_is_answered_by_a_definition() -> None:
    # set AA: the reader scored a subtype's detail above the definition of dermatofibrosarcoma
    # protuberans; a definition worded as one ("X is a …") goes first. Other needs get no such
    # bonus: a treatment sentence for a treatment question cost MEDIQA Alexa 3 questions.
    defines = "Dermatofibrosarcoma protuberans is a rare type of cancer of the skin."
    detail = "Myxoid tumors contain an abnormal type of connective tissue known as myxoid stroma."
    [defining] = extract([_hit("gard", defines)])
    tag_sections([defining])
    assert SectionKey.DEFINITION in defining.sections
    scores = {defines: 0.56, detail: 0.71}
    assert _first_bottom_line(scores, SectionKey.DEFINITION).text == defines
    assert _first_bottom_line(scores, SectionKey.TREATMENT).text == detail  # the reader's order


def test_no_cure_is_not_the_bottom_line_of_a_treatment_question() -> None:
    # set AA: "There is currently no cure for Treacher Collins syndrome (TCS)." answered which
    # surgeries a newborn will need
    none = "There is currently no cure for Treacher Collins syndrome (TCS)."
    some = "Surgery may be performed to repair cleft palate or to reconstruct the jaw."
    scores = {none: 0.9, some: 0.8}
    assert _first_bottom_line(scores, SectionKey.TREATMENT).text == some


def test_a_heading_run_into_its_text_is_cut_off() -> None:
    # NHLBI's pages run headings into their text ("Race/Ethnicity High blood pressure is …");
    # a study-aim label is no heading ("Objective To characterize …" stays out)
    text = (
        "Race/Ethnicity The risk is higher in African American adults than in white adults. "
        "Objective To characterize the incidence of bacteremia in a national health system."
    )
    assert _evidence("nhlbi", text) == [
        "The risk is higher in African American adults than in white adults."
    ]


@pytest.mark.parametrize(
    ("text", "cut"),
    [  # sets AS, AT: "Blood Tests Your doctor …", "Actinic keratosis After …" as bottom lines
        ("Blood Tests Your doctor also may use blood tests.", "Your doctor also may use"),
        ("Actinic keratosis After skin cancer has been diagnosed, tests are done.", "After skin"),
        ("Chest tightness Doctors use lung function tests to diagnose asthma.", "Doctors use"),
        ("Certain medicines Sudden weight gain can be due to medicines.", "Sudden weight"),
        ("People with hepatitis A usually get better without treatment.", "People with"),
    ],
)
def test_a_heading_in_sentence_case_run_into_its_text_is_cut_off(text: str, cut: str) -> None:
    (sentence,) = extract([_hit("nhlbi", text)])
    assert sentence.text.startswith(cut)


def test_a_heading_repeated_by_its_sentence_is_cut_off() -> None:
    text = "Abnormal Blood Pressure Abnormal blood pressure is higher than 120/80 mmHg."
    assert _evidence("nihseniorhealth", text) == [
        "Abnormal blood pressure is higher than 120/80 mmHg."
    ]


def test_every_side_of_a_three_sided_relation_is_named() -> None:
    sides = [["sulfa antibiotics", "antibiotics"], ["allergic"], ["sulfonylureas"]]
    assert not names_relation({"sulfa antibiotics", "allergic"}, sides)
    assert names_relation({"sulfa antibiotics", "allergic", "sulfonylureas"}, sides)
    assert names_relation({"sulfa antibiotics", "allergic"}, sides, every=2)  # a guideline's
    four = [*sides, ["children"]]
    assert names_relation({"antibiotics", "allergic", "sulfonylureas"}, four)  # two thirds


def test_a_one_word_act_is_named_by_its_other_forms() -> None:
    # set AD: the USPSTF's "screening for vitamin D deficiency" did not name "a screen"
    forms = concept_forms({"screen": (), "vitamin d": ()})
    said = "The evidence is insufficient to assess screening for vitamin D deficiency."
    assert named_in(said, forms) == {"screen", "vitamin d"}
    assert named_in("Adults were screened.", concept_forms({"screening": ()})) == {"screening"}
    assert named_in("The sunscreen was applied.", forms) == frozenset()


def test_a_title_names_the_kind_not_a_sibling_of_the_focus() -> None:
    tarsal = ["tarsal tunnel syndrome"]
    assert not titles_the_kind(
        "Work-related carpal tunnel syndrome guideline", tarsal, genus_forms(tarsal)
    )
    apnea = ["obstructive sleep apnea"]
    assert titles_the_kind("What is (are) Sleep Apnea ?", apnea, genus_forms(apnea))
    assert titles_the_kind("Obstructive sleep apnea in adults", apnea, genus_forms(apnea))
    assert not titles_the_kind("Central sleep apnea", apnea, genus_forms(apnea))


def test_a_concept_is_named_by_another_whose_use_is_its_synonym() -> None:
    # set AE: "vaping" (synonym "e-cigarette use") is named by a sentence on e-cigarettes
    linked = linked_synonyms(
        {
            "e-cigarettes": ("e-cigs",),
            "vaping": ("vape", "e-cigarette use"),
            "smoking cessation": ("stopping smoking",),
            "smoking": (),
        }
    )
    assert "e-cigarettes" in linked["vaping"]
    assert linked["smoking cessation"] == ("stopping smoking",)  # "stopping" is no use word
    assert linked["e-cigarettes"] == ("e-cigs",)


def test_a_methods_adjective_names_its_noun() -> None:
    # set AE: "herpes serology" was not named by "serologic screening for genital herpes"
    forms = concept_forms({"herpes serology": (), "endoscopy": ()})
    text = "The USPSTF recommends against routine serologic screening for genital herpes."
    assert named_in(text, forms) == {"herpes serology"}
    assert named_in("An endoscopic biopsy was taken.", forms) == {"endoscopy"}
    assert not named_in("Logic and metric spaces.", concept_forms({"logy": ()}))


def test_a_state_and_a_generic_word_name_no_specific_thing() -> None:
    # set AF: "Chronic fatigue syndrome …" answered "Is there such a thing as chronic
    # compartment syndrome?" with "Yes"
    forms = concept_forms({"chronic compartment syndrome": ()})
    assert not named_in("Chronic fatigue syndrome can be misdiagnosed.", forms)
    assert named_in("Chronic exertional compartment syndrome is rare.", forms)


def test_a_long_heading_glued_to_its_sentence_is_cut() -> None:
    # set AF: "Intradiscal Steroid Injections There is some evidence …" was quoted whole
    passage = (
        "Intradiscal Steroid Injections There is some evidence that intradiscal steroid injection"
        " is unlikely to relieve pain in patients with non-radicular back pain."
    )
    assert _statements(passage)[0].startswith("There is some evidence")


def test_a_name_that_starts_with_a_stopword_is_said_whole() -> None:
    # set AG: every sentence on a syndrome named "Down syndrome" ("Yes" from Felty's syndrome)
    forms = concept_forms({"down syndrome": ()})
    assert named_in("Children with Down syndrome often have heart defects.", forms)
    assert not named_in("Felty's syndrome is rare.", forms)
    assert not named_in("The syndrome slows down growth.", forms)


def test_what_a_sentence_sets_aside_it_does_not_name() -> None:
    # set AG: the I statement "(except ß-carotene and vitamin E)" made vitamin E undecided
    forms = concept_forms({"vitamin e": (), "beta-carotene": ()})
    text = (
        "The evidence is insufficient for single- or paired-nutrient supplements (except"
        " ß-carotene and vitamin E)."
    )
    assert not named_in(text, forms)
    assert named_in("The USPSTF recommends against ß-carotene.", forms) == {"beta-carotene"}


def test_who_a_thing_arises_in_names_no_thing() -> None:
    # set AD: "neonatal progeroid syndrome" answered how to manage neonatal abstinence syndrome
    forms = concept_forms({"neonatal abstinence syndrome": ()})
    assert not named_in("Neonatal progeroid syndrome affects many systems.", forms)
    assert named_in("Swaddling is supportive in neonatal abstinence syndrome.", forms)


def test_a_numbered_type_with_a_letter_is_one_identifier() -> None:
    # set AG: sentences on spastic paraplegia types 15 and 31 named "type 3A"
    forms = concept_forms({"spastic paraplegia type 3a": ()})
    assert named_in("Spastic paraplegia type 3A is rare.", forms)
    assert not named_in("Spastic paraplegia type 15 is rare.", forms)


def test_a_sentence_saying_only_that_something_varies_is_told_apart() -> None:
    from medcite.answer.sentences import says_only_it_varies

    # set AP: the bottom line for "what are the signs and symptoms … we should watch for?"
    assert says_only_it_varies(
        "The signs and symptoms of Gardner syndrome vary from person to person."
    )
    assert says_only_it_varies("Doses vary between patients.")
    assert says_only_it_varies(  # set AU: "what are the symptoms of turner syndrome?"
        "There are various signs and symptoms of Turner syndrome, which can range from very mild"
        " to more severe."
    )
    assert not says_only_it_varies(
        "Symptoms vary from person to person but include fever, cough and fatigue."
    )
    assert not says_only_it_varies("Gardner syndrome causes osteomas of the jaw.")


def test_a_sentence_on_what_research_hopes_for_is_told_apart() -> None:
    from medcite.answer.sentences import hopes_for

    # set BX: the bottom line for "How is it treated?" of familial Mediterranean fever
    assert hopes_for(
        "Since the gene that causes FMF codes for the protein pyrin, researchers hope that by"
        " studying how this protein works they will ultimately develop improved treatments."
    )
    assert hopes_for("This work will eventually lead to better drugs.")
    assert hopes_for(  # set BW: "which genes are involved?"
        "Researchers are working to identify all of the genes that contribute to the features of"
        " 22q11.2 deletion syndrome."
    )
    assert not hopes_for("A common therapy for FMF is daily use of the drug colchicine.")
    assert not hopes_for("Researchers found that colchicine prevents attacks.")


def test_a_verbless_item_of_a_list_is_told_apart() -> None:
    from medcite.answer.sentences import list_fragment

    # set BW: the bottom line for the outlook of Wilms tumor
    text = (
        "Certain factors affect the chance of recovery. The prognosis for rhabdoid tumor of the"
        " kidney depends on the following: - The age of the child at the time of diagnosis."
        " - Whether the cancer has spread to the brain or spinal cord."
        " - Surgery is often used to remove the tumor."
    )
    said = {s.text: s for s in extract([_hit("nci", text)])}
    assert list_fragment(said["The age of the child at the time of diagnosis."])
    assert list_fragment(said["Whether the cancer has spread to the brain or spinal cord."])
    assert not list_fragment(said["Surgery is often used to remove the tumor."])
    assert not list_fragment(said["Certain factors affect the chance of recovery."])
    # an item of a list of symptoms is a symptom (set BP: "What are the symptoms of cellulitis?")
    symptoms = "Symptoms of cellulitis include: - A rash with painful, red, tender skin."
    (rash,) = extract([_hit("mplus", symptoms)])
    assert not list_fragment(rash)


def test_a_service_field_keeps_its_short_sentences() -> None:
    # set BX: the hepatitis C record's "One-time screening for most adults." was too short
    hit = Hit(
        0,
        1.0,
        Passage(
            "uspstf:1#2",
            "uspstf:1",
            2,
            "SERVICE",
            "One-time screening for most adults. Periodically screen persons with continued risk.",
        ),
        Document("uspstf:1", "Screening", EvidenceType.GUIDELINE, "uspstf"),
    )
    assert [s.text for s in extract([hit])][:1] == ["One-time screening for most adults."]
    other = dataclasses.replace(hit, passage=dataclasses.replace(hit.passage, section="RESULTS"))
    assert "One-time screening for most adults." not in [s.text for s in extract([other])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # set AZ: the bottom line of "what are the risks of drinking for teenagers?"
            "Compared with nondrinkers, an inverse trend in risk was observed when alcohol was"
            " consumed during meals only (for>or =3 drinks per day: OR = 0.50; 95% CI ="
            " 0.30-0.82).",
            True,
        ),
        (
            "In contrast, no consistent trend in risk was found for subjects drinking outside of"
            " meals (for>or =3 drinks per day: 0.98; 0.49-1.96).",
            True,
        ),
        ("Adverse events occurred in 26.9% and 50.9% of patients, respectively (P = 0.012).", True),
        ("Drinking by young people has big health and safety risks.", False),
        ("Take 0.5 mg twice a day; the usual dose is 1 to 2 mg.", False),
    ],
)
def test_a_result_told_in_its_statistics_is_known(text: str, expected: bool) -> None:
    assert reports_statistics(text) is expected


def test_a_heading_run_into_its_sentence_is_cut_off() -> None:
    # the CDC's pages (set BG): a heading in sentence case repeated as the sentence's subject
    passage = (
        "Pregnant women, newborns, and infants Pregnant women, newborns, and infants can be"
        " treated, although the parasite is not eliminated completely. Four types of standard"
        " treatment are used: Surgery Surgery is the most common treatment for uterine sarcoma,"
        " as described in the Stages of Uterine Sarcoma section of this summary."
    )
    assert _statements(passage) == [
        "Pregnant women, newborns, and infants can be treated, although the parasite is not"
        " eliminated completely.",
        "Surgery is the most common treatment for uterine sarcoma, as described in the Stages"
        " of Uterine Sarcoma section of this summary.",
    ]


def test_a_recommendation_statement_is_read_whole_up_to_its_own_limit() -> None:
    # set BG: the USPSTF's B statement on statins, 78 words, was over the sentence limit
    statement = (
        "The USPSTF recommends that adults without a history of cardiovascular disease (CVD)"
        " (ie, symptomatic coronary artery disease or ischemic stroke) use a low- to"
        " moderate-dose statin for the prevention of CVD events and mortality when all of the"
        " following criteria are met: 1) they are aged 40 to 75 years; 2) they have 1 or more"
        " CVD risk factors (ie, dyslipidemia, diabetes, hypertension, or smoking); and 3) they"
        " have a calculated 10-year risk of a cardiovascular event of 10% or greater."
    )
    document = Document("uspstf:1", "USPSTF: Statins", EvidenceType.GUIDELINE, "uspstf")
    for section, read in (("RECOMMENDATION", [statement]), ("RISK ASSESSMENT", [])):
        passage = Passage("uspstf:1#0", "uspstf:1", 0, section, statement)
        assert [s.text for s in extract([Hit(1, 1.0, passage, document)])] == read


@pytest.mark.parametrize(
    ("text", "concept", "named"),
    [
        # set BG abstained on "What is Dandy Walker syndrome?" beside NINDS's page
        (
            "Dandy-Walker Syndrome is a congenital brain malformation.",
            "dandy walker syndrome",
            True,
        ),
        # a trial of the combination is no source on one of its drugs (set Y)
        ("Six participants received atovaquone-proguanil daily.", "atovaquone", False),
        # a prefix makes another thing
        ("Non-small cell lung cancer is the commonest kind.", "small cell lung cancer", False),
        # and asked with a hyphenated letter, said without (set BK abstained on "What is
        # Fragile-X syndrome?" beside its pages)
        ("Fragile X syndrome is a genetic condition.", "fragile-x syndrome", True),
        ("A fragile site on the X chromosome was found.", "fragile-x syndrome", False),
        # not any hyphenated words: "ever-smokers" is no "ever smoked" (set AI)
        ("Men aged 65 to 75 years who have ever smoked.", "male ever-smokers", False),
    ],
)
def test_a_hyphenated_name_names_its_words_only_when_asked_for_all(
    text: str, concept: str, named: bool
) -> None:
    forms = concept_forms({concept: ()})
    assert (concept in named_in(text, forms)) is named


def test_a_bullet_run_on_after_a_sentence_s_end_starts_another() -> None:
    # set BQ: the USPSTF's statement quoted "… overtreatment.• Women with a parent …" as one
    text = (
        "Beginning mammography screening at a younger age and screening more frequently may"
        " increase the risk for overdiagnosis and subsequent overtreatment.• Women with a parent,"
        " sibling, or child with breast cancer are at higher risk for breast cancer."
    )
    assert _evidence("u", text) == [
        "Beginning mammography screening at a younger age and screening more frequently may"
        " increase the risk for overdiagnosis and subsequent overtreatment.",
        "Women with a parent, sibling, or child with breast cancer are at higher risk for breast"
        " cancer.",
    ]


def test_a_list_of_short_dashed_items_is_kept_whole_with_its_lead_in() -> None:
    # set BZ: cut at the dashes, the lead-in and the items had no full stop and were dropped;
    # only the last item survived, run into the next sentence
    passage = (
        "Infectious arthritis is an infection in the joint. Symptoms of infectious arthritis"
        " include - Intense pain in the joint - Joint redness and swelling - Chills and fever -"
        " Inability to move the area with the infected joint One type of infectious arthritis is"
        " reactive arthritis. The joint is usually the knee, ankle, or toe."
    )
    found = _statements(passage)
    assert (
        "Symptoms of infectious arthritis include - Intense pain in the joint - Joint redness"
        " and swelling - Chills and fever - Inability to move the area with the infected joint"
    ) in found
    assert "One type of infectious arthritis is reactive arthritis." in found
    assert all(s in passage for s in found)
    credited = (
        "Many people can improve their symptoms by - Eating smaller meals - Not eating close to"
        " bedtime - Wearing loose-fitting clothes NIH: National Institute of Diabetes"
    )
    assert _statements(credited) == [credited.split(" NIH:")[0]]


def test_a_list_of_sentences_is_still_cut_at_its_dashes() -> None:
    told = (
        "The prognosis depends on the following: - The stage of the cancer and its size. - The"
        " type of lesion and whether it has spread."
    )
    assert _statements(told) == [
        "The stage of the cancer and its size.",
        "The type of lesion and whether it has spread.",
    ]


def test_what_the_bottom_line_says_is_not_told_again_before_an_item() -> None:
    # set BO's pink eye: "It can cause …" came after its antecedent run, the bottom line in it
    page = (
        "Conjunctivitis is the medical name for pink eye. It involves inflammation of the outer"
        " layer of the eye and inside of the eyelid. It can cause swelling, itching, burning,"
        " discharge, and redness. Pinkeye usually does not affect vision."
    )
    cause = _in(page, "It can cause swelling, itching, burning, discharge, and redness.")
    citations = Citations()
    (section,) = render_sections(
        [(SectionKey.DEFINITION, [cause])],
        citations,
        said="Conjunctivitis is the medical name for pink eye.",
    )
    assert section.items[0].text == (
        "It involves inflammation of the outer layer of the eye and inside of the eyelid. It can"
        " cause swelling, itching, burning, discharge, and redness."
    )


def test_a_whole_list_is_told_from_its_pieces() -> None:
    assert holds_list("Causes include - Bacterial or viral infection - Allergies - Dry eyes")
    assert not holds_list("- Dehydration")
    assert not holds_list("Infectious pink eye can easily spread from one person to another.")
