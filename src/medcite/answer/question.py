"""Understanding a question: its information need (``QuestionType``), whether it asks yes or no,
its key phrases, and X and Y of "Can X cause Y?" — plus the MedQuAD question-type labels mapped to
the same types.

Everything is rules on the wording, so the result is deterministic, instant and explainable. The
type is the *dominant* need: "Can X cause Y?" is a CAUSE question that also wants a yes or no;
"Is X safe in pregnancy?" only wants the yes or no. Among wh-questions the earliest cue wins, so
"What causes X and how is it treated?" is a CAUSE question.
"""

from __future__ import annotations

import re

from medcite.answer.model import Question, QuestionType
from medcite.retrieve.vocabulary import concepts_for_phrases
from medcite.store.base import EvidenceStore
from medcite.text import (
    CHATTER,
    CONTEXT_WORDS,
    STATE_WORDS,
    STOPWORDS,
    capitalised,
    clean,
    content_tokens,
    medical_form,
    ngrams,
    normalise_term,
    split_sentences,
    tokens,
    word_set,
)

MAX_PHRASE_WORDS = 8
MAX_CONCEPTS = 8


AUXILIARIES = word_set(
    "can could does do did is are was were should will would may might has have had must shall"
    " isn't aren't doesn't don't didn't can't won't shouldn't"
)
WH_WORDS = word_set("what how why which who whom whose when where")
# Words that say what is asked, not what it is about: never key phrases on their own.
QUESTION_WORDS = word_set(
    """cause causes caused causing treat treated treating treatment treatments therapy therapies
    diagnose diagnosed diagnosing diagnosis test tests tested testing risk risks factor factors dose
    doses dosage dosing outlook prognosis symptom symptoms sign signs safe safety effective
    effectiveness effect effects use used using take taking get getting people person someone
    anyone common best better worse good bad normal typical know need needed like mean means
    happen happens work works help helps difference differences compared versus vs associated
    linked related lead leads increase increases reduce reduces prevent prevents prevention role
    information info tell explain define way ways much many long types kinds stages complications
    inherited affected affect affects recommended there thing things okay ok please also really
    expectancy survival chance chances likely option options available first-line side adverse
    equal equivalent superior inferior than increased decreased assess assessed correlate impact
    continue starting including severity prescribed life true false indicated indication
    indications recommend recommendation recommendations duration validity highest
    lowest incidence prevalence presentation presentations manifestation manifestations usual
    proper appropriate routinely routine screened keep least higher address reference worthwhile
    worth say says offer offering offered suitable suited advisable check checks checking
    benefit benefits beneficial reason reasons lower lowers lowering
    prescribe prescribing order ordering
    checked raise raises raising universal universally every reasonable last new start starts
    started presents presenting confirm confirms confirmed cutoff cutoffs threshold thresholds
    send sends sending sent enough justify justifies justified warrant warrants warranted
    approach manage soon given eligible eligibility qualify qualifies store
    storing stored needs apply applies applying ask asks asking real sold sell sells selling
    trigger triggers triggered triggering"""
)
# Where care is given, not what is asked about: a question "in primary care" or "during routine
# prenatal care" is answered by sources that never name the setting (set AB: the USPSTF's
# latent tuberculosis and preeclampsia statements went unused and both questions abstained).
CARE_SETTINGS = frozenset(
    [
        "primary care", "prenatal care", "antenatal care", "general practice", "family practice",
        "family medicine", "emergency department", "emergency room", "urgent care",
        "clinical practice", "outpatient setting", "outpatient clinic", "prenatal visits",
        "prenatal visit", "well-child visits", "well-child visit", "office visits",
        "well visit", "well visits", "office visit", "checkup", "annual physical",
    ]
)  # fmt: skip
ASKED_OF = word_set(
    "gene genes genetic change changes mutation mutations symptom symptoms sign signs cause"
    " causes treatment treatments side effect effects brand name names outlook complication"
    " complications medicine medicines medication medications cure cures option options"
    " warning warnings kind kinds type types infection infections"
)
"""Words that name what is asked of a thing, not the thing: "What gene change causes it?" asks
for the genetic changes of the story's histidinemia (set AL: coverage was judged on "gene
change" and "gene", and the question abstained beside GHR's page on it)."""


def asks_of(phrase: str) -> bool:
    """Whether a key phrase only names what is asked of a thing (:data:`ASKED_OF`)."""
    return all(w in ASKED_OF for w in phrase.split())


_MEDQUAD_PAIRS = {
    QuestionType.DEFINITION: "information|how does it work|brand names|"
    "brand names of combination products",
    QuestionType.DIAGNOSIS: "symptoms|exams and tests|stages",
    QuestionType.TREATMENT: "treatment|prevention|considerations|dose|usage|indication|"
    "side effects|precautions|important warning|contraindication|severe reaction|"
    "interactions with medications|interactions with herbs and supplements|"
    "interactions with foods|dietary|forget a dose|how effective is it|why get vaccinated|"
    "emergency or overdose",
    QuestionType.CAUSE: "causes|genetic changes",
    QuestionType.PROGNOSIS: "outlook|complications",
    QuestionType.RISK_FACTORS: "susceptibility|inheritance",
    QuestionType.GENERAL: "frequency|research|support groups|when to contact a medical "
    "professional|other information|"
    "storage and disposal|how can i learn more",
}
# MedQuAD ``question_type`` label → the need a passage with that label answers (symptoms and
# staging belong to the work-up; prevention, drug use and drug safety to treatment).
MEDQUAD_TYPES: dict[str, QuestionType] = {
    label: qtype for qtype, labels in _MEDQUAD_PAIRS.items() for label in labels.split("|")
}

_COMPARISON = re.compile(
    r"(?<!-)\b(?:vs\.?|versus|compared (?:with|to)|comparisons? (?:of|between)"
    r"|(?:better|worse) than|(?:more|less) \w+ than|superior to|inferior to|differences? between"
    r"|equal to|equivalent to|as (?:effective|good|safe|accurate) as)(?![\w-])|"
    r"\bwhich\b.*\bor\b|\bor\b.*\b(?:better|best|preferred)\b"
)
UNTREATED = (
    r"long[- ]term (?:effects?|consequences)|(?:not|never) (?:being )?treated|untreated"
    r"|left (?:alone|untreated)|without (?:any )?treatment"
)
"""Words asking what a condition does when left untreated: its outlook (set BB: "What are the
long term effects of sleep apnea if it's not treated?" was answered with its treatments)."""
_CUES: tuple[tuple[QuestionType, re.Pattern[str]], ...] = tuple(
    (qtype, re.compile(rf"\b(?:{pattern})\b"))
    for qtype, pattern in (
        (
            QuestionType.PROGNOSIS,
            r"outlook|prognos\w*|life expectancy|survival|survive|chances? of (?:recovery|survival)"
            r"|how long (?:\w+ ){1,3}live|complications?|long-term outcomes?"
            rf"|{UNTREATED}",
        ),
        (
            QuestionType.RISK_FACTORS,
            r"at (?:\w+ )?risk|risk factors?|who (?:gets|develops|is likely)|susceptib\w*"
            r"|more likely to (?:get|develop)"
            # inheritance, answered by the "Is X inherited?" page (set AD: "What are the chances
            # our kids will get it?" got the definition)
            r"|inherit\w*|hereditary|runs? in (?:the |my |our |his |her )?famil\w*"
            r"|pass(?:ed|es)? (?:\w+ )?(?:on|down) to"
            r"|chances? (?:that )?(?:\w+ ){1,3}(?:will |would |could )?(?:get|inherit|develop)\b",
        ),
        (
            QuestionType.DIAGNOSIS,
            r"diagnos\w*|tests?|testing|exams?|examinations?|work[- ]?up|screen\w*|detect\w*"
            r"|symptoms?|signs?|stages|staging|assess\w*|evaluat\w*|how (?:do|can) (?:i|you) "
            r"(?:know|tell)|presentations?|present(?:s|ing)? with|(?:clinical )?manifestations?"
            r"|clinical (?:features|picture)"
            r"|(?:typical|common|usual|main|physical) (?:features|abnormalities|findings)",
        ),
        (
            QuestionType.TREATMENT,
            r"who should (?:get|take|receive|use)|treat\w*|therap\w*|manag\w*|doses?|dosage"
            r"|indications? for"
            r"|dosing|medications? for|drugs? for|cure|cured|remed\w+|first-line|prevent\w*"
            r"|prescrib\w*|what to do (?:for|about|in case)|interactions?|dietary|vaccin\w*"
            r"|what (?:should|do|can|would) (?:i|you|we|one) do (?:for|about|with|if|when)"
            r"|what (?:should|can|do) (?:i|we|you|they) (?:use|take|apply|put on) (?:for|on)"
            r"|how (?:should|do|would) (?:i|you|we|one) handle"
            r"|keep (?:\w+ )?from (?:getting|developing)|avoid (?:getting|developing)"
            r"|(?:lower|reduce|decrease|cut)\w* (?:\w+ ){0,2}(?:risk|chances?)\b"
            r"|how effective"
            r"|side effects?|adverse (?:effects?|reactions?)|contraindicat\w*|how (?:much|often)"
            r" (?:\w+ )?should",
        ),
        (
            QuestionType.CAUSE,
            r"caus\w*|why (?:do|does|is|are|did|would)|leads? to|etiolog\w*|aetiolog\w*"
            r"|genetic changes|triggers?|risk of getting",
        ),
    )
)
_CAUSAL = re.compile(
    r"\b(?:caus\w*|lead to|leads to|result in|trigger\w*|induce|contribute to|associated with"
    r"|play(?:s|ed|ing)? (?:an? |any |some )?(?:\w+ )?(?:role|part) in"
    r"|linked (?:to|with)|related to|correlated? with|risk factor for|increase (?:the )?risk"
    r"|predispose)\b"
)
_DEFINITION = re.compile(
    r"^(?:(?:can|could|would|will) (?:you|someone|somebody|anyone|anybody) (?:please )?)?"
    r"(?:what (?:is|are)(?: \(are\))? (?!the (?:best|most|normal|usual|role|effects?|benefits?"
    r"|evidence|difference|recommended|latest|rate|incidence|prevalence|relationship|link"
    r"|indications?"
    r"|association|mechanism))|define\b|what does .+ mean|meaning of|tell me about"
    r"|explain(?! (?:why|how|when|whether|if)\b)"
    r"|do you have (?:any )?information (?:about|on))"
)
"""A question on what a thing is, a request's "can you" before it too ("Can you explain what
prostate cancer is?": set BX led with its cause)."""
_WHAT_IT_IS = re.compile(
    r"^(?:so |and )?what (?:exactly )?(?:is|are) (?:it|that|this|they|these)(?: exactly)?"
    r"(?=\s*(?:[,?.!;]|and\b|or\b|$))"
)
"""A story's question that asks first what its thing is: "Our newborn was just diagnosed with
methylmalonic acidemia. What is it, and what problems can it cause as she grows?" (set BO: read
as a question on causes, its genes answered); not "What is this medicine for?"."""


WHAT_IS_NAMED = (
    r"^(?:so |and )?what (?:exactly )?(?:is|are)(?: \(are\))? (?:an? )?"
    r"(?!(?:the|it|that|this|these|those|my|his|her|your|their|our)\b)"
)
"""The start of a question sentence asking what a thing it names is ("What is hyperbaric oxygen
therapy?"), not what "the" or "this" one is."""
_NAMES_A_TREATMENT = re.compile(
    rf"{WHAT_IS_NAMED}"
    r"(?:(?!(?:for|of|to|in|with|after|on|from|when|used|best|options?|side)\b)[\w'/-]+ ){1,4}"
    r"(?:therapy|therapies|treatment|surgery|procedure|transplant|transplantation|vaccine"
    r"|operation|implant|injection)\s*\?*$"
)
"""A question sentence naming a treatment and asking what it is: "What is hyperbaric oxygen
therapy?" asks for a definition, not for treatments (set BQ abstained, read as treating the
story's diabetic foot wound); not "What is the best therapy?" nor "What are treatment options
for …?"."""


def _asks_what_it_is(text: str) -> bool:
    """Whether a story's first question sentence asks what its thing is (:data:`_WHAT_IT_IS`)."""
    sentences = split_sentences(text)
    asked = asking_sentences(sentences)
    return bool(asked) and asked[0] != sentences[0] and bool(_WHAT_IT_IS.match(asked[0].lower()))


_EXISTENTIAL = re.compile(r"^(?:is|are) there\b")
# "Is there any treatment available for fibromyalgia?" asks for the treatments, not a yes or no.
_ASKS_FOR_LIST = re.compile(
    r"^(?:is|are) there (?:any(?:thing)? |a |an |some |other )?(?:new |good |effective |other )?"
    r"(?:help|treatments?|cures?|therap(?:y|ies)|medications?|medicines?|drugs?|remed(?:y|ies)"
    r"|tests?|vaccines?|ways?|options?|surgery|surgeries|procedures?|support|information|info"
    r"|exercises?|diets?|supplements?|alternatives?|genetic changes?|gene (?:changes?|mutations?)"
    r"|genes|mutations|risk factors|complications|symptoms|warning signs)\b"
    r"|^(?:is|are) there any ?way\b"
    r"|^(?:is|are) there (?:any(?:thing)?|something|much) (?:else )?(?:that )?"
    r"(?:i|we|you|one|he|she|they|my \w+) (?:can|could|should|might) do\b"
)
_ASKS_WHICH_HARMS = re.compile(
    r"^(?:can|could|does|do|will|would|might|may) (?:[\w'-]+ ){1,6}?"
    r"(?:cause|have|lead to|give|result in) (?:any |other |serious |long-term |later )?"
    r"(?P<harms>complications?|problems?|side effects?|long-term effects?)"
    r"(?:\s+later(?: on| in life)?)?\s*(?:\?|$)"
)
"""A question whose yes is given, asking which harms: "Can Gilbert disease cause any
complications?", "Does the dye have side effects?"; not "… side effects like lactic acidosis?",
nor one that goes on ("…, and what should we watch for?": the yes/no reading abstains)."""
_REQUEST = re.compile(
    r"^(?:do you have (?:any )?information"
    r"|(?:can|could|would|will) (?:you|someone|somebody|anyone|anybody) (?:please )?(?:tell|explain"
    r"|give|help|suggest|recommend|advise|send|introduce|provide|let)|could you)"
)
# "Do you follow it or what?", "Should you go by the office reading, or do you believe home
# readings?": a choice between answers, not a yes or no.
_ROUTE = (
    r"(?:orally|by mouth|intravenously|parenterally|iv|topically|subcutaneously"
    r"|intramuscularly|daily|weekly|monthly|nightly|surgically|medically)"
)
"""How or how often a treatment is given: two joined by "or" are a choice."""
_CHOICE = re.compile(
    r"\bor (?:what|how|which)\b|,? or (?:do|does|should|would|can|is|are|will) (?:you|i|we|they"
    r"|he|she|it|the)\b|, or (?:only|just|rather|instead|else)\b"
    r"|, or (?:should|would|must) \w+"  # "Is she a candidate, or should IUDs be reserved …?" (AJ)
    r"|\bor (?:is|are) (?:an?|the)\b"  # "… before you inject a shoulder or is an injection a
    # first line treatment?" (set BL: "Yes"); not "…, or is that not supported?" (set AF)
    r"|\b(?:alone|itself|themselves) or (?:with|by|after|through|via|using)\b"  # "judged by that
    # alone or with a formal risk tool?" (set BM: "Yes")
    r"|^(?:is|are|would|will) (?:it|they|this|that) (?:better|best|preferable|safer|wiser)\b"
    r".*\bor\b"
    # "is it better to get an oral cholecystogram or an ultrasound?" (set BM)
    r"|\b(?:the )?same way as\b|\bdifferently (?:from|than|in)\b"
    # "Osteopenia in males. Do you treat it the same way as in women?" asks how, not yes or no
    # (set BP: "Yes" from melatonin's safety in postmenopausal women)
    rf"|\b{_ROUTE} or {_ROUTE}\b"  # "should iron be given orally or parenterally?" (set BX:
    # "No" from the statement against ESAs)
)
# "Is this upper respiratory infection viral or bacterial?": which of two, not yes or no (set W:
# answered "Yes"); not "Is ibuprofen safe in pregnancy or breastfeeding?" (both, after "in").
_EITHER = re.compile(r"^(?:is|are|was|were)\b.*?\b(\w+)\s+(\w+)\s+or\s+(\w+)\s*\?*\s*$", re.I)
_BEFORE_A_PAIR = frozenset(
    ["in", "on", "at", "for", "with", "during", "after", "before", "from", "to", "of", "by", "and"]
)


_NOT_A_CHOICE = frozenset(
    ["not", "no", "otherwise", "younger", "older", "over", "under", "more", "less"]
)
"""The last word of an "X or Y?" that is no choice of two: "safe or not?"; "children aged 11
years or younger?" (set AB: a bound of ages read as "which of two" left the question unanswered
yes or no)."""


_ASKS_SCOPE = re.compile(
    r"^(?:does|do|is|are|would|will)\b[^?]*?\b(?:statement|recommendation|guideline|position)s?\b"
    r"[^?,;]*?\b(?:apply|applies|cover|covers|include|includes|address|addresses|extend|extends"
    r"|aimed|meant|intended|limited|restricted|fit|fits|suit|suits|govern|governs|mean|means"
    r"|stop|stops|forbid|forbids|prohibit|prohibits|preclude|precludes|bar|bars)\b"
    r"|^(?:is|are)\b[^?]*?\b(?:covered|addressed|included|targeted) by\b[^?]*?"
    r"\b(?:statement|recommendation|guideline)s?\b",
    re.I,
)
"""Whom a recommendation covers ("Is she in the population covered by the USPSTF B
recommendation on preventing falls …?": set BG, "Uncertain"; a comma between the recommendation
and "apply" still ends the search: read across it, a multivitamin question got the aspirin
statement, set AR): "Does the USPSTF hepatitis C screening recommendation for
adults aged 18 to 79 include pregnant patients …?" is answered by the statement for the asked
population, not by its polarity (set AR: "Yes" from "recommends screening … in adults aged 18
to 79", "No" from the D against screening women who never smoked for a woman whose husband had
an aneurysm); and what it is aimed at (set BB: "Is the USPSTF D recommendation against …
ECG screening … aimed at preventing cardiovascular disease events …?" got "No" from its
"recommends against"), whom it fits or what it governs (set BD: "Does the USPSTF A
recommendation of cytology every 3 years for women aged 21 to 29 fit her …?" got a strong "Yes"
for a transplant recipient on immunosuppressants), and what it means for a patient (set BH:
"Does the USPSTF D recommendation against pancreatic cancer screening mean I should not image a
66-year-old with painless jaundice …?" got a strong "Yes" from the statement for asymptomatic
adults), or whether it stops a clinician from testing (set BM: "Does the USPSTF D
recommendation against bacterial vaginosis screening … stop me from testing a low-risk woman …
who has a thin gray discharge …?" got "No" from its "recommends against")."""


_WHICH_MORE = re.compile(
    r"^(?:is|are|was|were|does|do)\s+[\w-]+(?:\s+[\w-]+){0,3}\s+or\s+[\w-]+(?:\s+[\w-]+){0,3}"
    r"\s+(?:more|less|better|worse|safer|higher|lower|greater|likelier|commoner)\b",
    re.I,
)
"""Which of two is more so: "Is headache or abdominal pain more common with streptococcal sore
throat?" (set AR: answered "Yes" from a sentence naming abdominal pain)."""


def asks_scope(text: str) -> bool:
    """Whether a question asks whom a recommendation covers (:data:`_ASKS_SCOPE`)."""
    return bool(_ASKS_SCOPE.match(asked_clause(clean(text)).lower()))


_ONLY_OR_ALL = re.compile(
    r"\bonly\b[^?]*\bor (?:in |for |to |with )?(?:all|every|everyone|anyone)\b"
)
"""Whom to do it for: "Should I screen … only in women … who have risk factors …, or in all of
them …?" asks which, not yes or no (set AU: "Yes" quoting the statement for all women)."""


_ALTERNATIVES = re.compile(
    r"^(?:should|would|can|could|does|do|will|must) (?:he|she|i|we|they|you|the patient"
    r"|my \w+) (?:get|use|have|take|receive|choose|start|go to|be given|be sent to"
    r"|be referred to) (?:(?:an?|the) )?[\w-]+(?: [\w-]+){0,3} or (?!not\b)(?:(?:an?|the) )?\w"
)
"""Which of two a guideline prefers: "Per the VA/DoD lower limb amputation guideline, should he
get a soft or rigid dressing, and acute inpatient rehab or a skilled nursing facility?" (set BT:
"Uncertain" from its "insufficient evidence … one surgical amputation procedure over another",
while it suggests a rigid dressing and inpatient rehab); read only beside a named guideline,
whose recommendations say which ("Should he get screened for HIV or hepatitis?" asks of
either)."""
_A_GUIDELINE = re.compile(r"\b(?:guidelines?|guidance)\b", re.I)
_ITEM = r"(?:(?:an?|the) )?[\w-]+(?: [\w-]+){0,2}"
_SEVERAL = re.compile(
    rf"^(?:(?:are|is) {_ITEM}(?:, {_ITEM})+,? or {_ITEM} (?:recommended|effective|safe"
    r"|indicated|contraindicat\w*|useful|helpful|beneficial|appropriate|suggested|advised|needed"
    r"|required|better|preferred)\b"
    r"|(?:should|would|can|could|do|does|must) (?:i|we|you|he|she|they|the patient) (?:start|use"
    rf"|give|get|take|need|try|prescribe|offer|recommend|add|choose|receive) {_ITEM}"
    rf"(?:, {_ITEM})+,? or {_ITEM}\b)"
)
"""Which of three or more: "are oral steroids, bisphosphonates or ketamine recommended for
CRPS …?", "should I start calcitriol, a phosphate binder or cinacalcet …?" are answered thing by
thing, not by one verdict (set BU: a strong "No" to all three from the guideline's sentence on
ketamine)."""


def _is_either(clause: str) -> bool:
    """ "Is Cytomel T3 (triiodothyronine) or T4 (thyroxine)?" is "T3 or T4?" (set AF: "Yes");
    "Is A or B more common …?" asks which (:data:`_WHICH_MORE`)."""
    bare = re.sub(r"\s*\([^)]*\)", "", clause).strip()
    found = _EITHER.match(bare)
    return bool(_WHICH_MORE.match(bare)) or (
        found is not None
        and found.group(1).lower() not in _BEFORE_A_PAIR
        and found.group(3).lower() not in _NOT_A_CHOICE
    )


_RELATION = (
    r"(?:cause[sd]?|lead to|leads to|result in|results in|trigger|triggers|induce|induces"
    r"|contribute to|contributes to|increase|increases|raise|raises|reduce|reduces|decrease"
    r"|decreases|lower|lowers|prevent|prevents|improve|improves|worsen|worsens|affect|affects"
    r"|influence|influences"
    r"|predict|predicts|protect against|correlate with|ha(?:ve|s) (?:an?|any|no) "
    r"(?:impact|effect|influence|role) (?:on|in)"
    r"|play (?:an? |any )?(?:\w+ )?(?:role|part) in(?: (?:triggering|causing))?)"
)
_ASSOCIATION = (
    r"(?:associated with|linked to|linked with|related to|correlated with|a risk factor for"
    r"|a cause of|protective against)"
)
_PAIR_PATTERNS = (
    re.compile(
        rf"^(?:can|could|does|do|did|will|would|may|might)\s+(?P<subject>.+?)\s+{_RELATION}"
        rf"\s+(?P<target>.+?)[\s?.!]*$",
        re.I,
    ),
    re.compile(
        rf"^(?:is|are|was|were)\s+(?P<subject>.+?)\s+{_ASSOCIATION}\s+(?P<target>.+?)[\s?.!]*$",
        re.I,
    ),
    re.compile(r"^(?:what|which)\s+(?:\w+\s+)?causes?\s+(?:of\s+)?(?P<target>.+?)[\s?.!]*$", re.I),
    # "Is uveitis an autoimmune disease?": its subject (what it is said to be is a kind, no
    # target that a source must link to it)
    re.compile(
        r"^(?:is|are|was|were)\s+(?P<subject>.+?)\s+(?:(?:really|truly|actually|still|also|always"
        r"|ever|necessarily)\s+)?an?\s+(?!\d)(?P<kind>.+?)[\s?.!]*$",
        re.I,
    ),
    # "Should aspirin be given prophylactically in someone with PIH to prevent preeclampsia?"
    re.compile(
        r"^(?:should|can|could|may|must)\s+(?P<subject>.+?)\s+be\s+(?:given|used|prescribed|taken"
        r"|started|stopped|continued|offered|recommended|administered|avoided)\b"
        r"(?:.*?\bto\s+(?:prevent|treat|reduce|manage|control)\s+(?P<target>.+?)|.*?)[\s?.!]*$",
        re.I,
    ),
)
_PRONOUNS = frozenset(["it", "there", "this", "that", "these", "those", "he", "she", "they"])

POINTING = re.compile(r"\b(?:it|its|that|this|they|them)\b", re.I)
"""A pronoun a story's question points back with ("How did she get it?", "what is that?")."""

_LEADING = re.compile(
    r"^(?:(?:the|a|an|any|taking|using|having|his|her|their|my|your)\s+|(?:(?:the|an?)\s+)?"
    r"(?:(?:increased|higher|greater|lower|reduced|decreased)\s+)?(?:risk|chance|likelihood)\s+of"
    r"\s+)+",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"[:;,?]|\s[-–—]\s|--")
# Where a key phrase ends: a clause break or a parenthesis ("Serzone (nefazodone)" is two names).
_PHRASE_BREAK = re.compile(rf"{_CLAUSE_BREAK.pattern}|[()]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
# A number's thousands comma, which no clause ends at (set BM searched "takes 2" and "000 iu" for
# "takes 2,000 IU").
# Everyday phrases whose words would read as medical: "the test came back positive"; set AE:
# "exhausted all the time might be fibromyalgia" searched "time" as a side, "just got back from
# a trip where there's Zika" the body part; set AL: "Lyme disease … raise its ugly head" searched
# "head".
_IDIOMS = re.compile(
    r"\b(?:(?:come|came|comes|coming) back|back(?= from\b)|all the time|all over(?![-\w])"
    r"|(?:in )?plain english|end(?:s|ed)? up|(?:raises?|rears?|raising|rearing) (?:its|their) "
    r"ugly heads?|leav(?:e|es|ing) (?:it|them|this|that) alone"
    r"|play(?:s|ed|ing)? (?:an? |any |some )?(?:\w+ )?(?:role|part)(?: in)?)\b",  # "Does
    # psychosocial stress play a role in triggering enuresis?" (set BX searched "psychosocial
    # stress play")
    re.I,
)
THING_NOUNS = r"conditions?|diseases?|disorders?|illness(?:es)?|syndromes?|problems?|diagnos[ie]s"
"""Nouns a story refers back to what it named with ("this condition", "that disease")."""
REFERENCE = re.compile(rf"\b(?:this|that|these|those|the same) (?:{THING_NOUNS})\b", re.I)
"""A thing named before, referred to: "… was diagnosed with craniometaphyseal dysplasia after
his face changed shape. What is this condition?" asks of the dysplasia, not of a "condition"
(set BU abstained, no passage saying "condition" and "face" closely enough)."""
_SOURCE_NAMES = re.compile(
    r"\b(?:the )?(?:u\.?\s?s\.?|united states) preventive services task force(?: \(uspstf\))?"
    r"|\buspstf(?:'s)?|\btask force(?:'s)?"
    r"|\b(?:(?:19|20)\d\d )?(?:va/dod|cdc(?:/opa)?)\b(?:'s)?|\bguidelines?\b"
    r"|\b(?:what|which|that|this|its|the) grade\b"
    r"|\bgrade (?=(?:does|do|did|would|is) (?:the|it|they)\b)",
    re.I,
)
"""Who answers or how it is graded, not what is asked: "What does the USPSTF say about skin
cancer screening?" is about skin cancer screening, and "what grade does it give" asks the
recommendation's grade, not a tumour's (set AJ: "uspstf" was the focus of a question on vitamin
supplements, and "grade" was searched as "histologic grade"). "What does the VA/DoD opioid
guideline say about …?" is about opioids (set AP: "va dod opioid guideline" was the focus, and
no sentence of that very guideline named it)."""


_LOWER_START = re.compile(r"(?:(?<=[a-z]{3}\.)|(?<=[A-Z]{2}\.)|(?<=[a-z]{2}[?!])) +([a-z])")


def asking_sentences(sentences: list[str]) -> list[str]:
    """Those of ``sentences`` that ask (end with "?"), stripped."""
    return [s.strip() for s in sentences if s.rstrip().endswith("?")]


def points_at_nothing(question: Question) -> bool:
    """Whether ``question`` points at a thing ("it", "this condition") and names nothing:
    "How is it treated?", "What causes this condition?" asked on their own (a follow-up is read
    with what it follows first). ("Can it be cured?" names "cured", and is searched.)"""
    return not question.concepts and bool(
        POINTING.search(question.text) or REFERENCE.search(question.text)
    )


def questions_in(text: str) -> list[str]:
    """The sentences of ``text`` that ask (:func:`asking_sentences`)."""
    return asking_sentences(split_sentences(text))


def sentence_case(text: str) -> str:
    """``text`` with a capital after each sentence end, as a message typed all in lower case
    lacks: "my mom and grandma both had alzheimers. is there anything i can do …?" is a story
    and a question (set AJ: read as one sentence, its question was never read alone)."""
    return _LOWER_START.sub(lambda m: " " + m.group(1).upper(), text)


def without_source_names(text: str) -> str:
    """``text`` without the names of who answers ("USPSTF", "the U.S. Preventive Services Task
    Force") or of a recommendation's grade (:data:`_SOURCE_NAMES`); a comma stands for each."""
    return _SOURCE_NAMES.sub(", ", text)


# Where a question's frame may start: a clause break or a new sentence ("Bridge devices. Are
# they an alternative to transplantation?").
_FRAME_START = re.compile(rf"{_CLAUSE_BREAK.pattern}|\.[\"'”’)]*\s+(?=[A-Z])")
# A headline asking whether X is a Y: "Rotator cuff tear--an occupational disease?",
# "Actinobaculum schaalii, a cause of urinary tract infections in children?"
# "Any benefit to routine visual acuity screening in a 72-year-old?" is "Is there any benefit
# …?" without its verb (set AD: read as no question, the USPSTF's I statement went unused).
_ANY = re.compile(
    r"^any (?:\w+ )?(?:benefit|reason|evidence|point|need|advantage|harm|value|role|indication"
    r"|use|risk)s?\b(?!.*\bor (?:what|which|how)\b)"
)
_APPOSITION = re.compile(r"(?:[:,–—]|--|\s-)\s*(?:an?|the)\s[^?]*\?\s*$", re.I)


def analyse_question(text: str, store: EvidenceStore | None = None) -> Question:
    """What ``text`` asks (type, yes/no), what about (key phrases) and, for a relation, X and Y."""
    text = sentence_case(clean(text))
    lower = without_source_names(text).lower()  # "Preventive Services" asks no prevention
    frame, clause = _frame(text)
    asked = clause.lower()
    yes_no = (
        frame == "aux"
        and not _ASKS_FOR_LIST.match(asked)
        and not _ASKS_WHICH_HARMS.match(asked)
        and not (_ALTERNATIVES.match(asked) and _A_GUIDELINE.search(text))
        and not _SEVERAL.match(asked)
        and not _CHOICE.search(asked)
        and not _ONLY_OR_ALL.search(asked)
        and not _is_either(asked)
        and not _names_it(asked)
        and not _ASKS_SCOPE.match(asked)
    )
    subject, target = _subject_target(clause if yes_no else text)
    concepts, known, terms = _key_phrases(text, store)
    # The question sentence says what is asked; the story before it only when it does not.
    qtype = (
        _type_asked(asked, known, yes_no) if clause != text else _story_type(clause, known, yes_no)
    )
    if _names_it(clause.lower()):
        qtype = QuestionType.DIAGNOSIS
    elif not yes_no and (_asks_what_it_is(text) or _NAMES_A_TREATMENT.match(asked)):
        qtype = QuestionType.DEFINITION
    return Question(
        text=text,
        type=qtype
        if qtype is not QuestionType.GENERAL
        else _type(_DIAGNOSED.sub(" ", _without_hereditary_names(lower, known)), yes_no),
        yes_no=yes_no,
        concepts=concepts,
        known=known,
        terms=tuple(c for c in concepts if c in terms),
        subject=subject,
        target=target,
    )


def _type_asked(asked: str, known: tuple[str, ...], yes_no: bool) -> QuestionType:
    """The type a question sentence (lower case) asks, the names of who answers and a
    disease's "hereditary" left out."""
    return _type(_without_hereditary_names(without_source_names(asked), known), yes_no)


def _story_type(text: str, known: tuple[str, ...], yes_no: bool) -> QuestionType:
    """The type its question sentences ask when a story follows them, else GENERAL (the whole
    text is typed): "What is cystic fibrosis? Our newborn's screening test came back positive
    …" asks what it is, not how it is diagnosed (set BA)."""
    sentences = split_sentences(text)
    asked = asking_sentences(sentences)
    if not asked or len(asked) == len(sentences):
        return QuestionType.GENERAL
    return _type_asked(" ".join(asked).lower(), known, yes_no)


def _without_hereditary_names(asked: str, known: tuple[str, ...]) -> str:
    """The question sentence with the names the vocabulary knows that say "hereditary" of a
    disease ("BRCA2 hereditary breast and ovarian cancer syndrome") read as "it": the word is
    the disease's, it asks nothing of its inheritance (set AZ: "What is BRCA2 hereditary … ?"
    was read as a question on who is at risk, and a mutation study answered)."""
    for name in known:
        words = name.split()
        rest = [w for w in words if not _HEREDITARY.fullmatch(w)]
        if len(rest) >= 2 and len(rest) < len(words) and name in asked:
            asked = asked.replace(name, "it")
    return asked


_HEREDITARY = re.compile(r"hereditary|inherited|familial")


_DIAGNOSED = re.compile(
    r"\b(?:was|were|been|is|are|got|get|just|recently|newly)\s+diagnosed(?:\s+with)?\b"
)
"""The story's diagnosis, not a question on diagnosing: "Our daughter was diagnosed with
cranioectodermal dysplasia … How did she get it …?" asks how it is inherited (set AG)."""


def question_type(text: str) -> QuestionType:
    """The information need of ``text`` alone (see ``analyse_question``)."""
    frame, _ = _frame(clean(text))
    return _type(clean(text).lower(), frame == "aux")


_HAS_IT = re.compile(
    r"^(?:do|does|did|could|might) (?:i|she|he|(?:my|our|his|her|their|the|this)"
    r" (?:\w+ )?(?:son|daughter|child|baby|kid|wife|husband|mother|mom|father|dad|patient|friend"
    r"|brother|sister|partner|boy|girl|man|woman|grandmother|grandfather|grandma|grandpa))"
    r" (?:still |really |actually |already )?(?:have|has|had|got)\b"
    r"(?! (?:to|been|had|got|gotten|given|caught|\w+ed)\b)"  # "Could I have inherited it …?"
)
"""Whether a person has a condition ("Does she have pneumonia?"): a diagnosis no source can
make, asked of the work-up, never a yes or no (set AQ: "Yes" from pneumonia's definition)."""


_IS_THIS_A = re.compile(
    r"^(?:is|are) (?:this|that|these|those) (?:just )?an? (?!(?:sign|symptom|side effect|cause"
    r"|result|reason|risk|complication|problem|concern|normal|common|good|bad|safe|serious"
    r"|dangerous|emergency|reaction|contraindication|indication|type|kind|form)s?\b)"
)
"""What an unseen thing is ("Is this a pyogenic granuloma?"): a diagnosis no source can make,
like :data:`_HAS_IT` (set BG: "Yes" from the granuloma's description, unsupported)."""


def _names_it(asked: str) -> bool:
    """Whether a question sentence (lower case) asks to name what someone has or what a thing
    is (:data:`_HAS_IT`, :data:`_IS_THIS_A`)."""
    return bool(_HAS_IT.match(asked) or _IS_THIS_A.match(asked))


def asked_clause(text: str) -> str:
    """The clause of ``text`` that starts its question ("should I check her anyway?" of a
    story before it), or the whole text when none does."""
    return _frame(text)[1]


def _frame(text: str) -> tuple[str, str]:
    """("aux" | "wh" | "", the clause that starts the question): a yes/no or a wh-question."""
    if _REQUEST.match(text.lower()):
        return "wh", text
    guess: tuple[str, str] | None = None  # "could this be X?" before a wh-question
    for start in [0, *(m.end() for m in _FRAME_START.finditer(text))]:
        if _REQUEST.match(text[start:].strip().lower()):
            continue  # "… Can you help me." asks for help, not for a yes or no
        first = [w for w in tokens(text[start : start + 40])[:2] if w not in _LINKS][:1]
        if first and first[0] in _RELATIVE and not _ASKED_HERE.match(text[start:]):
            continue  # "68-year-old woman, never smoked, whose brother had an AAA repair."
        wh = first and first[0].split("'")[0] in WH_WORDS  # "what's the outlook?"
        if wh or (first and _asks_after_preposition(text[start : start + 40])):
            return "wh", text[start:].strip()
        if guess:
            continue
        auxiliary = (first and first[0] in AUXILIARIES) or _ANY.match(text[start:].strip().lower())
        if auxiliary and (start == 0 or _ASKED_HERE.match(text[start:])):  # "…, has loose skin
            # on his hands and a heart problem." tells; "What is Costello syndrome?" asks (AO)
            clause = text[start:].strip()
            if not _is_guess(clause.lower()) and not _narrowed(clause):
                return "aux", clause
            guess = "aux", clause
    if guess:
        return guess
    # "Nasal fractures: a real risk?"
    headline = text.rstrip().endswith("?") and (":" in text or bool(_APPOSITION.search(text)))
    return ("aux" if headline else ""), text


def _narrowed(clause: str) -> bool:
    """Whether the question sentence right after a yes/no one asks which, what or how, in a few
    words: "is it caused by a gene change? which gene?" asks the gene (set AW abstained: no
    source says yes or no to a gene change); "will it get better on its own and how long does
    that take?" how long."""
    asked = questions_in(clause)
    if len(asked) < 2:
        return False
    words = tokens(asked[1])
    return 1 < len(words) <= NARROWING_WORDS and words[0] in ("which", "what", "how")


NARROWING_WORDS = 6  # "how long does that take?"


_IS_THIS = re.compile(
    r"^(?:could|can|might|may|would|is|are|was) (?:this|it|that|these|those|they)"
    r" (?:be|have been|possibly be|really be)\b"
)


def _is_guess(clause: str) -> bool:
    """Whether ``clause`` asks to name what a story is ("could this be parkinson disease?",
    "does she have gingivitis?"): a diagnosis no source makes; a wh-question after it
    ("what are the symptoms?") is what the sources can answer (set AS: both abstained)."""
    asks = bool(_ASKED_HERE.match(clause))
    return asks and (bool(_IS_THIS.match(clause)) or bool(_HAS_IT.match(clause)))


def _asks_after_preposition(start: str) -> bool:
    """ "At what age …", "Up to what age …", "In which patients …", "For whom …": a wh-question
    that opens with a preposition (set AM: "At what age should … start …, and should it be
    limited to …?" was read as the yes/no of its second clause)."""
    words = tokens(start)[:3]
    lead = 2 if words[:2] == ["up", "to"] else 1
    return (
        len(words) > lead
        and all(w in _PREPOSITIONS for w in words[:lead])
        and words[lead] in WH_WORDS
    )


_PREPOSITIONS = frozenset(
    ["at", "in", "for", "by", "to", "from", "on", "with", "after", "before", "until", "up",
     "during", "of", "under", "over", "within"]
)  # fmt: skip


_RELATIVE = frozenset(["whose", "who", "whom", "which", "where", "when"])
_LINKS = frozenset(["so", "and", "but", "then", "also"])
"""Words that link a question to what came before: "He's outside the 15 to 65 age range, so
should I still offer him HIV screening?" asks yes or no (set AJ)."""
_ASKED_HERE = re.compile(r"[^.?!]*\?")
"""A relative clause starts no question unless its sentence asks (set AJ: "… whose brother had
an AAA repair. Should I screen her …?" was read as a wh-question and no verdict was given)."""


def _type(lower: str, yes_no: bool) -> QuestionType:
    harms = _ASKS_WHICH_HARMS.match(lower)
    if harms is not None:  # "Can Gilbert disease cause any complications?" asks which (set BS:
        # "Uncertain, the evidence is mixed" from two pages of one site, unsupported)
        side_effects = harms.group("harms").startswith("side")
        return QuestionType.TREATMENT if side_effects else QuestionType.PROGNOSIS
    if _COMPARISON.search(lower):
        return QuestionType.COMPARISON
    if yes_no and _CAUSAL.search(lower):
        return QuestionType.CAUSE
    if yes_no and not _EXISTENTIAL.match(lower):  # "Is there a cure…?" asks for a list
        return QuestionType.YES_NO
    earliest: tuple[int, int] | None = None
    chosen = QuestionType.GENERAL
    for order, (qtype, pattern) in enumerate(_CUES):
        match = pattern.search(lower)
        if match and (earliest is None or (match.start(), order) < earliest):
            earliest, chosen = (match.start(), order), qtype
    if earliest is None and _DEFINITION.match(lower):
        return QuestionType.DEFINITION
    return chosen


def _subject_target(clause: str) -> tuple[str | None, str | None]:
    for pattern in _PAIR_PATTERNS:
        match = pattern.match(clause.strip())
        if match:
            groups = match.groupdict()
            subject = _phrase(groups.get("subject"))
            if subject is not None and (
                not content_tokens(subject) or tokens(subject)[0] in _PRONOUNS
            ):
                continue  # "Is there a cure?", "Is it okay to give X to …?": no subject named
            return subject, _phrase(groups.get("target"))
    return None, None


A_STATEMENT = re.compile(r"\b(?:recommendations?|statements?|guidelines?|guidance)\b", re.I)
"""A statement named as a subject ("the USPSTF B recommendation on exercise"); not the body
that recommends ("Does the USPSTF recommend vitamin D to prevent fractures?")."""


def _phrase(text: str | None) -> str | None:
    if not text:
        return None
    phrase = _LEADING.sub("", text.strip()).strip(" ,;:?.!\"'")
    return phrase if normalise_term(phrase) else None


def key_phrases(text: str, store: EvidenceStore | None = None) -> tuple[str, ...]:
    """Normalised key phrases: those holding a vocabulary term first, then the other runs of
    content words, each group most specific (longest) first, then in reading order. Runs are cut
    at punctuation and sentence ends; chatter ("hi", "I want to know") is never a key phrase and
    who the message is about ("a 31-year-old woman") only when nothing else is asked."""
    return _key_phrases(text, store)[0]


def _key_phrases(
    text: str, store: EvidenceStore | None
) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """(the key phrases, those of them that hold a vocabulary term, the vocabulary terms)."""
    spans: list[tuple[int, int, int, int, str]] = []  # (tier, -length, clause, start, phrase)
    context: list[str] = []
    terms: set[str] = set()
    text = _said_low(_IDIOMS.sub(", ", REFERENCE.sub(", ", text)))  # a break: "count came
    # back low" is no "count low"
    text = without_source_names(_THOUSANDS.sub("", text))
    clauses = [
        (c, sentence.rstrip().endswith("?"))
        for sentence in split_sentences(text)
        for c in _PHRASE_BREAK.split(sentence)
    ]
    for number, (clause, asking) in enumerate(clauses):
        words = tokens(clause)
        leads, tails = _named_leads(clause), _named_letters(clause)
        found = [
            (s, e)
            for s, e, _ in vocabulary_matches(words, store, capitalised(clause), leads, tails)
        ]
        runs = [_without_people(words, start, end) for start, end in _content_runs(words, tails)]
        terms.update(" ".join(words[s:e]) for s, e in found)
        denied = [(s, e) for s, e in runs if _denied_complaint(words, s, e)]
        if not asking:  # "How do you do no scalpel vasectomies?" denies nothing (set AB)
            denied += _denied_runs(words, runs)
        for start, end in dict.fromkeys([*runs, *found]):
            phrase = words[start:end]
            if _is_context(phrase) or any(s <= start and end <= e for s, e in denied):
                context.append(" ".join(phrase))
                continue
            tier = (  # a vocabulary term, or a word formed as a condition ("epicondylitis")
                0
                if any(start <= s and e <= end for s, e in found)
                or (store is not None and any(medical_form(w) for w in phrase))
                else 1
            )
            if _shows(words, end):
                tier = 2  # the test of the story, not what is asked: "muscle biopsy showed X"
            spans.append((tier, start - end, number, start, " ".join(phrase)))
            if end - start == 2 and phrase[0] in STATE_WORDS and phrase[1] not in QUESTION_WORDS:
                # "total hysterectomy" is named by a sentence on "hysterectomy" (set AA)
                spans.append((tier, -1, number, start + 1, phrase[1]))
    spans.sort()
    phrases = tuple(dict.fromkeys([phrase for *_, phrase in spans] or context))[:MAX_CONCEPTS]
    known = {phrase for tier, *_, phrase in spans if tier == 0}
    return phrases, tuple(p for p in phrases if p in known), frozenset(terms)


_MEASURES = (
    (r"platelets?|platelet counts?", "platelet count"),
    (
        r"white (?:blood )?(?:cells?|cell counts?|counts?)|wbcs?(?: counts?)?",
        "white blood cell count",
    ),
    (r"red (?:blood )?(?:cells?|cell counts?|counts?)", "red blood cell count"),
    (r"neutrophils?|neutrophil counts?", "neutrophil count"),
    (r"lymphocytes?|lymphocyte counts?", "lymphocyte count"),
    (r"potassium(?: levels?)?", "potassium levels"),
    (r"sodium(?: levels?)?", "sodium levels"),
    (r"(?:blood )?(?:sugars?|glucose)(?: levels?)?", "blood sugar"),
    (r"sperm counts?", "sperm count"),
)
_SAID_LOW = re.compile(
    r"\b(?P<measure>{})\s+(?:(?:is|are|was|were|has been|have been|got|gets|getting|keeps?"
    r" (?:getting|going|dropping)|been|so|very|too|really|quite|dangerously|extremely|still"
    r"|always)\s+)+(?P<level>low|high)\b".format("|".join(m for m, _ in _MEASURES)),
    re.I,
)
"""A blood count told low or high in a sentence's own words ("Why are his platelets so
low?"): the lay term the vocabulary knows, "low platelet count" (thrombocytopenia). Set BO's
question read "platelets" as its focus and led with bleeding at high platelet counts."""


def _said_low(text: str) -> str:
    """``text`` with each count it says is low or high (:data:`_SAID_LOW`) named as the lay
    term: "his platelets so low" → "his low platelet count"."""

    def named(match: re.Match[str]) -> str:
        measure = match.group("measure").lower()
        term = next(t for pattern, t in _MEASURES if re.fullmatch(pattern, measure))
        return f"{match.group('level').lower()} {term}"

    return _SAID_LOW.sub(named, text)


STORY_NUMBER = re.compile(
    r"\b\d+[- ](?:year|month|week|day)s?[- ]old\b|\bpack[- ]years?\b"
    r"|\b\d+ (?:years?|months?|weeks?|days?)\b"
)
"""An age or a span of time in a phrase makes it the story (set AH: "asymptomatic 62-year-old"
and "30 pack-year smoking history" were the key concepts coverage was judged on, and a question
on ECG screening abstained beside the USPSTF's statement)."""

_SHOWED = frozenset(["showed", "shows", "revealed", "reveals", "found", "confirmed"])
"""Words after a test's name that make it the story of a message (set AE: "Our daughter's muscle
biopsy showed multiminicore disease. What kind of condition is this …?" abstained: every
multiminicore page failed to name the biopsy)."""
_TEST_WORDS = frozenset(["test", "tests", "scan", "scans", "result", "results", "work", "panel"])


def _shows(words: list[str], end: int) -> bool:
    """Whether the run ending at ``end`` names a test whose finding follows (:data:`_SHOWED`):
    "biopsy showed", and "blood test showed", the test word being no key phrase (set BG
    abstained on "My blood test showed I have toxoplasmosis … Is there a treatment for it …?",
    its pages looked up by "blood")."""
    after = words[end : end + 2]
    return bool(after) and (
        after[0] in _SHOWED or (len(after) == 2 and after[0] in _TEST_WORDS and after[1] in _SHOWED)
    )


_COMPLAINTS = frozenset(
    ["complaints", "complaint", "symptoms", "symptom", "problems", "problem", "issues"]
)


def _denied_complaint(words: list[str], start: int, end: int) -> bool:
    """ "With no vision complaints", "without bowel symptoms": who is asked about (people without
    symptoms), not a side of the question (set AD: the USPSTF's I statement on screening older
    adults never says "vision" and went unused; set AG: "no urinary symptoms" made "urinary" the
    focus of a question on screening for asymptomatic bacteriuria)."""
    complaint = (end - start >= 2 and words[end - 1] in _COMPLAINTS) or (
        words[end : end + 1] and words[end] in _COMPLAINTS  # "symptoms" is a word of asking
    )
    return bool(complaint) and start > 0 and words[start - 1] in {"no", "without"}


_DENIALS = frozenset(["no", "without", "never"])


def _denied_runs(words: list[str], runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs a story denies, and those listed after them: "no fractures or steroid use" says who
    the patient is, not what is asked (set AK: "fractures" was the focus of "… no fractures or
    steroid use … Should I still order one?", a question on a bone density scan)."""
    denied: list[tuple[int, int]] = []
    for start, end in sorted(runs):
        before = words[start - 1] if start else ""
        listed = before in {"or", "and", "nor"} and bool(denied) and denied[-1][1] == start - 1
        if before in _DENIALS or listed:
            denied.append((start, end))
    return denied


def _is_context(words: list[str]) -> bool:
    return all(
        w in CONTEXT_WORDS or w[:1].isdigit() or w in _UNITS or _SPELLED_AGE.match(w) for w in words
    )


_UNITS = frozenset(
    ["milliequivalents", "milliequivalent", "meq", "mmol", "dl", "liter", "liters", "litre",
     "litres", "mmhg", "milliseconds", "bpm", "degrees"]
)  # fmt: skip
"""A measurement's units: "3.3 milliequivalents/liter" is the story's figure (set BP searched
"3 3 milliequivalents liter" as a key phrase of a question on flattened T waves). Not a dose's
("2,000 IU of vitamin D": set AI's statement on doses above 400 IU answers by it)."""


_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety"
)
_SPELLED_AGE = re.compile(
    rf"^(?:{_NUMBER_WORDS})(?:-(?:{_NUMBER_WORDS}))?-(?:year|month|week|day)s?-old$"
)
"""An age in words: "ten-month-old" is who, like "10-month-old" (set BO: "Ten-month-old with a
buckle fracture …" was abstained on as if no source said a key phrase "ten-month-old")."""


def vocabulary_matches(
    words: list[str],
    store: EvidenceStore | None,
    capitals: frozenset[str] | None = None,
    leads: frozenset[str] = frozenset(),
    tails: frozenset[str] = frozenset(),
) -> list[tuple[int, int, list[str]]]:
    """(start, end, concept ids) of vocabulary phrases in ``words``: longest first at each start,
    no overlaps, never a lone stopword or question word. ``capitals``: as
    :func:`medcite.retrieve.vocabulary.concepts_for_phrases`; ``leads``: stopwords that may
    start a phrase here (:func:`_named_leads`); ``tails``: words after which "a" ends one
    (:func:`_named_letters`)."""
    if store is None or not words:
        return []
    candidates = [
        (start, end, phrase)
        for start, end, phrase in ngrams(words, MAX_PHRASE_WORDS)
        if _worth_looking_up(words[start:end], leads, tails)
        or (end - start == 1 and _is_noun_here(words, start))
    ]
    found = concepts_for_phrases(store, [phrase for _, _, phrase in candidates], capitals)
    chosen: list[tuple[int, int, list[str]]] = []
    covered: set[int] = set()
    for start, end, phrase in candidates:
        if phrase in found and not covered & set(range(start, end)):
            covered.update(range(start, end))
            chosen.append((start, end, found[phrase]))
    return chosen


def _worth_looking_up(
    words: list[str], leads: frozenset[str] = frozenset(), tails: frozenset[str] = frozenset()
) -> bool:
    led = words[0] in leads and len(words) > 1  # "Down syndrome", "Hers disease"
    tailed = _is_named_letter(words, len(words) - 1, tails)  # "vitamin A", "hepatitis A"
    if (words[0] in STOPWORDS and not led) or (words[-1] in STOPWORDS and not tailed):
        return False
    if words[-1] in QUESTION_WORDS and not names_test(words):
        return False
    if words[0] in CHATTER or words[-1] in CHATTER:
        return False
    if all(w in QUESTION_WORDS or w in STOPWORDS or w.isdigit() for w in words):
        return False
    return not (len(words) == 1 and len(words[0]) < 3)


def names_test(words: list[str]) -> bool:
    """Whether ``words`` name a test by two or more words before "tests" ("liver function
    tests", "pulmonary function test"): a thing asked about, not what is asked of it (set BI
    abstained on "What are liver function tests, and what do they measure?", read as on "liver
    function" and passed over for the story's "cholesterol medicine"). "HIV test" asks of HIV."""
    return (
        len(words) >= 3
        and words[-1] in ("test", "tests")
        and not any(w in QUESTION_WORDS or w in STOPWORDS for w in words[:-1])
    )


_EPONYMS = frozenset(["down"])
"""Stopwords that start a name however they are written ("my son has down syndrome")."""

_TITLE_CASE = re.compile(r"(?<=[\w,)] )([A-Z][a-z]+)\b")


def _named_leads(clause: str) -> frozenset[str]:
    """Stopwords that may start a vocabulary phrase in ``clause``: those written with a capital
    inside a sentence, as a name is ("Hers disease", "His bundle"), and :data:`_EPONYMS` (set
    AG: "Down syndrome and arthritis" was read as "syndrome" and answered "Yes" from Felty's
    syndrome). A stopword elsewhere never starts one: "the syndrome", "after surgery"."""
    named = {m.group(1).lower() for m in _TITLE_CASE.finditer(clause)}
    return frozenset((named & STOPWORDS) | _EPONYMS)


_NAMED_LETTER = re.compile(r"\b([A-Za-z][\w-]*) A\b")
_LETTER_HEADS = re.compile(r"\b(vitamin|hepatitis|type|protein|influenza) a\b", re.I)


def _named_letters(clause: str) -> frozenset[str]:
    """Words after which "a" is the letter of a name in ``clause``: any word before a capital
    "A" ("Vitamin A", "Plan A") and the heads a letter names however it is written ("vitamin
    a", "hepatitis a"). Set AJ: "self-medicated with Vitamin A" was searched as "vitamin" and
    abstained beside the vitamin A page."""
    heads = [m.group(1) for m in [*_NAMED_LETTER.finditer(clause), *_LETTER_HEADS.finditer(clause)]]
    return frozenset(h.lower() for h in heads)


def _is_named_letter(words: list[str], i: int, heads: frozenset[str]) -> bool:
    return words[i] == "a" and i > 0 and words[i - 1] in heads


_NOUNS_TOO = frozenset(["lead"])
"""Question words that are nouns when no "to" follows: "a lead level of 10" is the metal, "can X
lead to Y" the relation (set W: a lead level question was declined as not medical)."""


def _is_noun_here(words: list[str], i: int) -> bool:
    return words[i] in _NOUNS_TOO and words[i + 1 : i + 2] != ["to"]


def _content_runs(words: list[str], tails: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Maximal runs of content words (not all digits); a lone letter after one belongs to it
    ("vitamin d", "hepatitis b", "25-hydroxyvitamin d": set AD searched "checking
    25-hydroxyvitamin"), and so does "a" after a word of ``tails`` (:func:`_named_letters`:
    "vitamin A")."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, word in enumerate([*words, ""]):
        inside = bool(word) and (
            _is_content(word)
            or _is_noun_here(words, i)
            or (start is not None and (_is_letter_name(word) or _is_named_letter(words, i, tails)))
        )
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            if not all(w.isdigit() for w in words[start:i]):
                runs.append((start, i))
            start = None
    return runs


_PEOPLE = word_set(
    """husband wife son daughter patient person guy friend mom mum dad mother father brother
    sister sibling kids kid grandmother grandfather aunt uncle cousin niece nephew girlfriend
    boyfriend doctor doctors pediatrician physician nurse dermatologist neurologist geneticist
    cardiologist specialist gp man woman lady gentleman boy girl"""
)


def _without_people(words: list[str], start: int, end: int) -> tuple[int, int]:
    """A run without the people it starts with: "dermatologist removed", "daughter starts
    growth hormone shots" say who did what, the rest is the thing (set AE: "dermatologist
    removed" was the first key phrase of a Muir-Torre question). All people: kept whole (it
    is context)."""
    trimmed = start
    while trimmed < end - 1 and words[trimmed] in _PEOPLE:
        trimmed += 1
    return trimmed, end


def _is_possessive_context(word: str) -> bool:
    """ "mom's", "daughter's": whose, not what (set AE: "my mom's walking is really unsteady"
    made "mom's walking" a key phrase of a cerebellar degeneration question), and "6-year-old's"
    (set CG: "6-year-old's nephrotic syndrome" was the name whose symptoms page was searched)."""
    return word.endswith("'s") and (word[:-2] in CONTEXT_WORDS or bool(_AGED.fullmatch(word[:-2])))


_AGED = re.compile(r"\d+[- ](?:year|month|week|day)s?[- ]olds?")


def _is_letter_name(word: str) -> bool:
    return len(word) == 1 and word.isalpha() and word not in STOPWORDS


def _is_content(word: str) -> bool:
    return (
        not _is_possessive_context(word)
        and word not in STOPWORDS
        and word not in QUESTION_WORDS
        and word not in WH_WORDS
        and word not in CHATTER
        and (len(word) > 1 or word.isdigit())
    )


def diagnosed(sentence: str, concepts: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The concept a story sentence names as the diagnosis ("… was diagnosed with
    craniometaphyseal dysplasia after his face changed shape"), which "What is this condition?"
    points at, not the story's "face changed shape" (set BU abstained: no passage named the face
    beside the dysplasia)."""
    found = _DIAGNOSIS_NAMED.search(sentence)
    if found is None:
        return ()
    name = f"{found.group('name')} "
    return tuple(c for c in concepts if name.startswith(f"{c} "))[:1]


_DIAGNOSIS_NAMED = re.compile(
    r"\b(?:diagnosed with|diagnosis of|diagnosed as having|called|told (?:\w+ )?(?:has|had|have)"
    r"|said (?:\w+ )?(?:has|had|have)|suspects?|suspected|thinks? (?:it s|it is|its|\w+ has))"
    r"\s+(?:an?\s+|the\s+)?(?P<name>.+)$"
)
"""Where a story names a diagnosis (on a normalised sentence: lower case, no punctuation)."""


def said_before(text: str) -> str:
    """The sentence just before the first that asks (ends with "?"), normalised; "" if none."""
    sentences = split_sentences(text)
    first = next((i for i, s in enumerate(sentences) if s.rstrip().endswith("?")), 0)
    return normalise_term(sentences[first - 1]) if first > 0 else ""


def story_diagnosis(question: Question) -> tuple[str, ...]:
    """The concept a story names as the diagnosis (:func:`diagnosed`) when the sentence that
    asks names none of the question's concepts: "My brother was diagnosed with neurosyphilis
    after having memory problems. What is his outlook with treatment?" asks of neurosyphilis,
    not of the memory problems named first (set BX: the definition answered, its outlook page
    never searched)."""
    sentences = split_sentences(question.text)
    first = next((i for i, s in enumerate(sentences) if s.rstrip().endswith("?")), None)
    if not first:
        return ()
    asking = f" {normalise_term(sentences[first])} "
    if any(f" {c} " in asking for c in question.concepts):
        return ()
    for sentence in reversed(sentences[:first]):
        named = diagnosed(normalise_term(sentence), question.concepts)
        if named:
            return named
    return ()


def first_ask(question: str, sentence: int = -1) -> str:
    """The first thing a question sentence (the last unless ``sentence`` says which) asks,
    before ", and …" or ";"."""
    asking = questions_in(question)
    return re.split(r",\s*(?:and|or)\b|;", asking[sentence] if asking else question)[0]


ASKS_AGAIN = re.compile(
    r"\bagain\b|\bre-?(?:screen|test)\w*|\brepeat(?:ed|ing)?\b|\bonce more\b", re.I
)
"""A question on doing something a second time."""
