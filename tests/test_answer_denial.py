"""Sentences that say no to a yes/no question in so many words, and guideline
recommendations (:mod:`medcite.answer.denial`)."""

from __future__ import annotations

import pytest

from medcite.answer.denial import (
    affirms,
    asks_advice,
    denies,
    leaves_open,
    recommendation,
    restates,
    states_no_finding,
    undecided,
    widens,
)

# (question, sentence): review set L's "Yes" bottom lines and abstentions, each a plain no
DENIALS = [
    (
        "Delayed diagnosis of anorectal malformations: are current guidelines sufficient?",
        "Current guidelines appear insufficient to ensure prompt diagnosis of ARM.",
    ),
    (
        "Are serum leptin levels a prognostic factor in advanced lung cancer?",
        "Our results showed that the serum leptin level has no prognostic indications in advanced"
        " lung cancer patients.",
    ),
    (
        "Can mass drug administration lead to the sustainable control of schistosomiasis?",
        "MDA on its own was insufficient to control the prevalence of schistosomiasis.",
    ),
    (
        "Does binge drinking during early pregnancy increase the risk of psychomotor deficits?",
        "We found no systematic association between isolated episodes of binge drinking during"
        " early pregnancy and child motor function at age 5.",
    ),
    (
        "Juvenile ankylosing spondylitis--is it the same disease as adult ankylosing spondylitis?",
        "In this group of subjects, juvenile AS had onset more often with oligoarthritis and"
        " enthesitis than with spinal disease.",
    ),
    (
        "Is intensive monitoring during the first transfusion in pediatric patients necessary?",
        "The practice of intensive observation for the first transfusion in pediatric patients is"
        " probably unnecessary.",
    ),
    (
        "Laparoscopic myomectomy: do size, number, and location of the myomas form limiting"
        " factors?",
        "Laparoscopic myomectomy can be performed by experienced surgeons regardless of the size,"
        " number, or location of the myomas.",
    ),
    (
        "Delayed imaging in routine CT examinations: is it worth the additional cost?",
        "An additional delayed phase in routine CT examinations is of low yield.",
    ),
    (
        "Advanced epithelial ovarian carcinoma: should we continue to offer second-look"
        " laparotomy?",
        "The second-look laparotomy doesn't have a favorable impact on overall and disease-free"
        " survival.",
    ),
    # review set N
    (
        "The English antibiotic awareness campaigns: did they change the public's knowledge of"
        " antibiotic use?",
        "There is little evidence that the 2008 public antibiotic campaigns were effective.",
    ),
    (
        "Does loss of consciousness predict neuropsychological decrements after concussion?",
        "The failure of this study to find any relationship between LOC and neuropsychological"
        " functioning argues against it.",
    ),
    (
        "Is the radiographic scout image necessary?",
        "This step should be omitted or substituted to further reduce dose in pediatric VCUG.",
    ),
    (
        "Mitral replacement or repair for functional mitral regurgitation: is it really the same?",
        "In these patients, MV replacement is associated with higher hospital mortality.",
    ),
    (
        "Is inhaled prophylactic heparin useful for prevention of pneumonia?",
        "Nebulized heparin cannot be recommended for prophylaxis against VAP.",
    ),
    # PubMedQA question-only: "no matter what" says the asked influence is not there
    (
        "Do follow-up recommendations for abnormal Papanicolaou smears influence patient"
        " adherence?",
        "Adherence to follow-up was low in this family planning clinic population, no matter what"
        " type of follow-up was advised.",
    ),
    # a gap in knowing denies a question about knowing
    (
        "Are physicians aware of the side effects of angiotensin-converting enzyme inhibitors?",
        "Overall, there was a poor knowledge of the side effects of ACE-I.",
    ),
    (
        "Target Serum Urate: Do Gout Patients Know Their Goal?",
        "There is a knowledge deficit regarding the SU treatment goal among gout patients"
        " receiving ULT, despite generally high levels of other gout-specific knowledge.",
    ),
    # "little need" of "needed", an inflection apart
    (
        "Is peak concentration needed in therapeutic drug monitoring of vancomycin?",
        "These results suggest little need to use peak concentration in vancomycin TDM.",
    ),
    # a difference denies an equivalence question even when the sentence turns
    (
        "Are interstitial fluid concentrations of meropenem equivalent to plasma concentrations?",
        "The ISF concentrations of meropenem were significantly lower than the plasma"
        " concentrations, although the present dose was appropriate.",
    ),
    # a universal question ("always", "all patients") is denied by a selective answer
    (
        "Assessment of carotid artery stenosis before coronary artery bypass surgery. Is it always"
        " necessary?",
        "In our cohort, selective screening of patients aged > 70 years, with carotid bruit, would"
        " have identified most significant stenoses.",
    ),
    (
        "Should all patients be optimized to the same preoperative hemoglobin level to avoid"
        " transfusion in primary knee arthroplasty?",
        "Not all the patients undergoing TKA who receive tranexamic acid need the same"
        " preoperative Hb optimization target.",
    ),
    (
        "Biliary atresia: should all patients undergo a portoenterostomy?",
        "We conclude that those patients who will not benefit from a Kasai procedure can be"
        " identified preoperatively, and channeled immediately to transplantation.",
    ),
]

# (question, sentence): not denials
NOT_DENIALS = [
    # a group with a negative prefix is not a negated predicate
    (
        "Mammographic screening in Sami speaking municipalities: are early outcome measures"
        " influenced by ethnicity?",
        "The recall rate was lower among the Sami compared with the non-Sami group.",
    ),
    # a sentence that turns is not a plain no
    (
        "Is the h-index predictive of greater NIH funding success among academic radiologists?",
        "Having obtained at least one NIH grant was associated with a higher h-index, yet large"
        " grants were not predictive of higher h-indices.",
    ),
    # "A rather than B" answers "Is A better than B?" yes: a comparison is not set aside
    (
        "Is laparoscopic repair better than open repair for inguinal hernia?",
        "Laparoscopic repair rather than open repair should be offered for bilateral hernia.",
    ),
    # two kinds of one thing, the asked one kept
    (
        "Do primary care physicians underprescribe antibiotics for peptic ulcer disease?",
        "Physicians appropriately target eradication therapy in patients with peptic ulcer disease"
        " rather than nonulcer disease, but the intervention was still underused.",
    ),
    # "rather than" about something the question does not ask
    (
        "Is delayed gastric emptying related to pylorus preservation?",
        "Pylorus preservation relates to delayed gastric emptying rather than to mortality.",
    ),
    # "no difference" answers an equivalence question yes
    (
        "Is laparoscopic repair as effective as open repair?",
        "There was no difference in recurrence between laparoscopic and open repair.",
    ),
    (
        "Is laparoscopic repair as effective as open repair?",
        "Laparoscopic repair was as effective as open repair, with lower cost.",
    ),
    # "no evidence that X is harmful" does not deny "Is X safe?"
    ("Is caffeine safe in pregnancy?", "There is no evidence that moderate caffeine is harmful."),
    ("Is caffeine safe in pregnancy?", "There is little evidence of harm from moderate caffeine."),
    ("Does metformin reduce mortality?", "Metformin reduced all-cause mortality by 36%."),
    # a selective answer does not deny a question that is not universal
    (
        "Does carotid screening before bypass surgery prevent strokes?",
        "Selective screening of patients aged > 70 years prevented most strokes.",
    ),
    (
        "Do all ethnic groups in New Zealand exhibit socio-economic mortality gradients?",
        "While socio-economic gradients in health exist among all ethnic groups, they are"
        " relatively shallow among Pacific peoples.",
    ),
]


DENIALS += [
    # review set V (Q42): what the question asks about is what the sentence sets aside
    (
        "Is delayed gastric emptying following pancreaticoduodenectomy related to pylorus"
        " preservation?",
        "In our experience, DGE is linked to the occurrence of other postoperative complications"
        " rather than to pylorus preservation.",
    ),
    (
        "Does obesity cause the knee pain of older adults?",
        "Knee pain in older adults is due to osteoarthritis instead of obesity.",
    ),
]


@pytest.mark.parametrize(("question", "sentence"), DENIALS)
def test_a_plain_no_is_a_denial(question: str, sentence: str) -> None:
    assert denies(question, sentence)


@pytest.mark.parametrize(("question", "sentence"), NOT_DENIALS)
def test_other_sentences_are_not_denials(question: str, sentence: str) -> None:
    assert not denies(question, sentence)


def test_negating_the_subject_is_not_a_denial() -> None:
    question = "Does binge drinking increase the risk of psychomotor deficits?"
    sentence = "Children whose mothers reported no binge drinking were the reference group."
    assert denies(question, sentence)  # read without knowing what the question is about …
    assert not denies(question, sentence, frozenset({"binge", "drinking"}))  # … and knowing it


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The USPSTF recommends the use of low-dose aspirin (81 mg/d) as preventive medication"
            " after 12 weeks of gestation in women who are at high risk for preeclampsia.",
            True,
        ),
        ("The Work Group recommends against routinely obtaining imaging studies.", False),
        ("Routine screening is not recommended.", False),
        ("The current evidence is insufficient evidence to assess the balance.", None),
        ("Evidence did not suggest additional benefit when aspirin was started earlier.", None),
        ("Low-dose aspirin reduced the risk of preeclampsia by 24%.", None),
        # set AJ: an imperative, after whom it is for, recommends; a list's "do not" does not
        (
            "In infants 9 months of age and older, children, and adolescents with SCA, offer"
            " treatment with hydroxyurea regardless of clinical severity.",
            True,
        ),
        ("Do not use opioids as first-line therapy for acute low back pain.", False),
        ("Twenty four-hour urine testing is no longer recommended for screening.", False),
        (  # set AM: "No prophylaxis is recommended …" was read "Yes, strong"
            "No prophylaxis is recommended for knee arthroscopy in patients without a history of"
            " prior venous thrombosis.",
            False,
        ),
        ("No routine imaging is recommended in the first six weeks.", False),
        (  # set BY: "Yes" to "is acupuncture recommended for OA pain?" quoting it
            "Thus, there is strong evidence that acupuncture is not effective for osteoarthritis"
            " pain relief and it is not generally recommended.",
            False,
        ),
        ("Aspirin is recommended when no bleeding risk is present.", True),
        (
            "Adults at increased risk include those who have an STI, do not consistently use"
            " condoms, or have multiple sex partners.",
            None,
        ),
        ("Use of aspirin was initiated between 12 and 28 weeks of gestation.", None),
        ("Offer or provide this service.", None),  # the USPSTF's definition of a grade
        (  # set AK: a statement's scope is no recommendation
            "This statement does not apply to specific disorders for which the USPSTF already"
            " recommends screening.",
            None,
        ),
        (  # set AE: a pointer to another section made "recommend vaping?" a "Yes"
            "See the Practice Considerations section for more information on recommended"
            " behavioral interventions.",
            None,
        ),
        (  # sets AO, BS: when to screen again, the answer a first-visit statement is not
            "Women with unknown HBsAg status or with new or continuing risk factors for HBV"
            " infection should be screened at the time of admission to a hospital or other"
            " delivery setting.",
            True,
        ),
        # who is at risk and "should be screened", said of all: a rationale, not the statement
        # (sets AB, AM: it led over the statement)
        ("All pregnant women are at risk for preeclampsia and should be screened.", None),
    ],
)
def test_recommendations(sentence: str, expected: bool | None) -> None:
    assert recommendation(sentence) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The USPSTF concludes that the current evidence is insufficient to assess the balance"
            " of benefits and harms of screening for oral cancer in asymptomatic adults.",
            True,
        ),
        (
            "The USPSTF recommends that clinicians selectively offer screening for AAA with"
            " ultrasonography in men aged 65 to 75 years who have never smoked.",
            True,
        ),
        (
            "The USPSTF recommends against screening for asymptomatic carotid artery stenosis.",
            False,
        ),
        ("The USPSTF recommends screening for syphilis infection in all pregnant women.", False),
        (  # set AI: a C grade worded this way was a strong "Yes"
            "The USPSTF recommends that primary care professionals individualize the decision to"
            " offer or refer adults without obesity to behavioral counseling.",
            True,
        ),
        (  # set AE: the e-cigarette statement's pointer elsewhere made "recommend vaping?" Yes
            "The USPSTF recommends that clinicians direct patients who use tobacco to other"
            " tobacco cessation interventions with proven effectiveness and established safety.",
            True,
        ),
    ],
)
def test_a_guideline_can_leave_the_question_open(sentence: str, expected: bool) -> None:
    # set AA: an I statement was read as "Yes" to "Is there evidence that screening … is
    # beneficial?", a C grade ("selectively offer") as a plain "Yes"
    assert leaves_open(sentence) is expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Should aspirin be given to prevent preeclampsia?", True),
        ("Does a woman who had a hysterectomy still need cervical cancer screening?", True),
        ("Is screening for carotid stenosis necessary before bypass surgery?", True),
        ("Neck pain treatment with acupuncture: does the number of needles matter?", False),
        ("Can vitamin B12 deficiency cause leukopenia?", False),
        # set AJ/AI: whether the evidence or the USPSTF supports it asks what should be done
        ("Does the evidence support routine lipid screening in children?", True),
        ("Does the USPSTF support starting aspirin before age 50?", True),
        ("Is there evidence to support the use of zinc for the common cold?", False),
        ("She's older than the usual age, so should she still be screened?", True),  # set AK
        ("Does the USPSTF recommend daily low-dose vitamin D to prevent fractures?", True),  # AM
        ("Is there a USPSTF grade for screening her for bacterial vaginosis?", True),  # set AO
        ("Does the USPSTF recommendation on drug use screening apply to him?", True),  # set AO
    ],
)
def test_only_advice_questions_take_a_recommendation_as_the_answer(
    question: str, expected: bool
) -> None:
    assert asks_advice(question) is expected


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "Does the leukocyte count correlate with the severity of injury?",
            "The leukocyte count at presentation can be used as an adjunct in the evaluation of"
            " the severity of injury in blunt trauma patients.",
            True,
        ),
        # hedged, turned or negated restatements are not a plain yes
        (
            "Does the leukocyte count correlate with the severity of injury?",
            "The leukocyte count may reflect the severity of injury.",
            False,
        ),
        (
            "Are serum leptin levels a prognostic factor in advanced lung cancer?",
            "Our results showed that the serum leptin level has no prognostic indications.",
            False,
        ),
        # a sentence that restates none of the question's words says nothing about it
        (
            "Does the leukocyte count correlate with the severity of injury?",
            "Pediatricians should be alert to the earliest manifestations.",
            False,
        ),
    ],
)
def test_an_unhedged_restatement_affirms(question: str, sentence: str, expected: bool) -> None:
    assert affirms(question, sentence) is expected


@pytest.mark.parametrize(
    ("question", "sentence", "plain", "hedged"),
    [
        # a hedged conclusion is a softer yes, not none
        (
            "Does quilting suture prevent seroma in abdominoplasty?",
            "The quilting suture seems to be an efficient technique with which to prevent seroma"
            " formation.",
            False,
            True,
        ),
        (
            "Does the leukocyte count correlate with the severity of injury?",
            "The leukocyte count may reflect the severity of injury.",
            False,
            True,
        ),
        # doubt and calls for more study are never a yes, hedged or not
        (
            "Does quilting suture prevent seroma in abdominoplasty?",
            "Whether the quilting suture prevents seroma remains unclear.",
            False,
            False,
        ),
    ],
)
def test_a_hedged_restatement_affirms_only_when_hedges_are_allowed(
    question: str, sentence: str, plain: bool, hedged: bool
) -> None:
    assert affirms(question, sentence) is plain
    assert affirms(question, sentence, hedged=True) is hedged


def test_a_question_on_a_limit_is_denied_by_a_sentence_for_everyone() -> None:
    # set AW: "Yes" to "Does the … recommendation … limit screening to people with risk
    # factors?" quoting "… screening in all adults regardless of risk factors."
    question = "Does the USPSTF recommendation limit screening to people with risk factors?"
    assert widens(question, "The USPSTF recommends screening in all adults regardless of risk.")
    assert denies(question, "The USPSTF recommends screening in all adults regardless of risk.")
    assert not widens(question, "The USPSTF recommends screening adults at increased risk.")
    assert not widens(
        "Does the USPSTF recommend screening adults?",
        "The USPSTF recommends screening in all adults regardless of risk factors.",
    )


PRACTICE = "Do general practice characteristics influence uptake of an IT innovation?"
PRACTICE_SUBJECT = frozenset({"general", "practice", "characteristics"})


def test_a_turning_sentence_denies_when_it_denies_the_subject_then_turns_elsewhere() -> None:
    assert denies(
        PRACTICE,
        "Structural characteristics of a practice are not associated with uptake of a new IT"
        " facility, but its use may be influenced by post-graduate education.",
        PRACTICE_SUBJECT,
    )


@pytest.mark.parametrize(
    "sentence",
    [
        # the clause after the turn speaks of the subject again: mixed, not a no
        "Practice characteristics are not associated with uptake overall, but larger practices"
        " with more characteristics in common took it up faster.",
        # the denial comes after the turn
        "Uptake rose steadily, but practice characteristics were not associated with it.",
        # before the turn the subject is not named
        "Uptake was not associated with the region, but it varied with practice size.",
    ],
)
def test_other_turning_sentences_are_not_denials(sentence: str) -> None:
    assert not denies(PRACTICE, sentence, PRACTICE_SUBJECT)


BYPASS = (
    "Is semi-closed endarterectomy of the superficial femoral artery combined with a short venous"
    " bypass in case of insufficient venous material an acceptable alternative for"
    " limb-threatening ischemia?"
)


def test_a_negation_the_question_makes_itself_is_neither_denial_nor_doubt() -> None:
    # review set T: "lack of venous material" restates the question's own "insufficient venous
    # material"; the verdict was "No" quoting "provides a good alternative"
    sentence = (
        "In patients with limb-threatening ischemia and lack of venous material for a"
        " straightforward venous femorocrural bypass, semi-closed endarterectomy of the"
        " superficial femoral artery combined with a short popliteo-crural bypass provides a"
        " good alternative."
    )
    assert not denies(BYPASS, sentence)
    assert affirms(BYPASS, sentence, hedged=True)
    # a negation of what the question does not negate still denies
    assert denies(BYPASS, "Semi-closed endarterectomy is not an acceptable alternative.")


def test_an_inflected_predicate_is_denied() -> None:
    # review set T: "cannot be relied upon" answered "Yes" to "Can we rely on …?"
    question = (
        "Can we rely on arterial line sampling in performing activated plasma thromboplastin"
        " time after cardiac surgery?"
    )
    sentence = "Samples withdrawn from heparinized arterial lines cannot be relied upon."
    assert denies(question, sentence)
    assert not affirms(question, sentence, hedged=True)


def test_an_open_answer_is_undecided_and_affirms_nothing() -> None:
    # review set V (Q50): "may or may not reduce" was read as "Yes"
    question = "Does fluoridation reduce the use of dental services among adults?"
    sentence = (
        "Among adults aged 20 to 34 years with private dental insurance, fluoridation reduces"
        " oral disease but may or may not reduce use of restorative services."
    )
    assert undecided(question, sentence, frozenset({"fluoridation"}))
    assert not affirms(question, sentence, frozenset({"fluoridation"}), hedged=True)


@pytest.mark.parametrize(
    "sentence",
    [
        "Fluoridation reduced the use of restorative dental services by 12%.",
        "Whether dentists' decisions may or may not change is beyond this study.",
    ],
)
def test_other_sentences_are_not_undecided(sentence: str) -> None:
    question = "Does fluoridation reduce the use of dental services among adults?"
    assert not undecided(question, sentence, frozenset({"fluoridation"}))


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "Is aneurysm repair justified for the patients aged 80 or older?",
            "Better prognosis was obtained when ruptured aneurysm was repaired in the elderly.",
            True,
        ),
        # one of the question's words is not the question said over
        (
            "Do symptoms predict COPD in smokers?",
            "COPD is underdiagnosed in the United States.",
            False,
        ),
        # a condition, a proportion (set V: "Yes" quoting "7% … met criteria for Lynch syndrome")
        (
            "Is the clinically positive axilla a contraindication to sentinel lymph node biopsy?",
            "If fine needle aspiration is negative, then sentinel lymph node biopsy deserves"
            " consideration.",
            False,
        ),
        (
            "Women with synchronous cancers of the endometrium and ovary: do they have Lynch"
            " syndrome?",
            "Overall, 7% of women in our cohort met criteria for Lynch syndrome.",
            False,
        ),
    ],
)
def test_a_conclusion_restates_the_question(question: str, sentence: str, expected: bool) -> None:
    assert restates(question, sentence) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The correlation during aging has led to the hypothesis that the loss of satellite"
            " cell activity is also a cause of sarcopenia.",
            True,
        ),
        (
            "The statistical power of this case-referent study was such that only large"
            " beneficial effects of statins in acute stroke could be confirmed.",
            True,
        ),
        ("We tested whether statins improve outcome after stroke.", True),
        ("Statins improved the outcome after stroke (OR 1.4, 95% CI 1.1 to 1.8).", False),
        # a hypothesis borne out is a finding
        ("These results confirm our hypothesis that statins improve outcome after stroke.", False),
    ],
)
def test_a_hypothesis_or_a_studys_power_states_no_finding(sentence: str, expected: bool) -> None:
    # set W: "Yes" quoting a hypothesis and a power caveat
    assert states_no_finding(sentence) is expected
