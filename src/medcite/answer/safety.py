"""The gate in front of the answer engine: which input is usable at all (``check_question``) and
which questions must not get an ordinary answer (``assess_safety``) — emergencies happening now,
non-medical questions, and text that tries to instruct the system.

Emergencies are recognised by rules that need both an emergency pattern and a sign that it is
happening to someone now ("my", "I'm", "right now", "just took"), so "What causes chest pain?"
stays an educational question while "I have crushing chest pain right now" gets the urgent-care
notice first. Suicidal intent in the first person is always an emergency.

Instructions inside a question are never followed: the question is only ever search text. When
nothing medical is left once the instruction is set aside, the question is declined.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from itertools import pairwise

from medcite.answer.model import Safety
from medcite.answer.question import vocabulary_matches
from medcite.errors import InputError
from medcite.store.base import EvidenceStore
from medcite.text import clean, medical_form, tokens, word_set

MAX_QUESTION_CHARS = 1000
_ALLOWED_CONTROLS = frozenset("\t\n\r")


class Emergency(StrEnum):
    """Kinds of emergency; each adds its own line to the urgent-care notice."""

    URGENT = "urgent"
    POISONING = "poisoning"
    SUICIDE = "suicide"
    INFANT_FEVER = "infant_fever"


URGENT_NOTICE = (
    "If this is happening now, call your local emergency number (911 in the US) or go to the "
    "nearest emergency department. Do not wait for an online answer."
)
_EXTRA_NOTICE = {
    Emergency.URGENT: "",
    Emergency.POISONING: " For a poisoning or overdose, US Poison Control is 1-800-222-1222.",
    Emergency.INFANT_FEVER: (
        " A fever (38 °C / 100.4 °F or higher) in a baby younger than 3 months needs a doctor"
        " the same day: call your baby's doctor now, or go to an emergency department if you"
        " cannot reach one."
    ),
    Emergency.SUICIDE: (
        " If you are thinking about suicide or might harm yourself, call or text 988 (988 Suicide"
        " & Crisis Lifeline, US) or your local crisis line now; you are not alone."
    ),
}
OUT_OF_SCOPE_NOTICE = (
    "MedCite answers health and medical questions from its evidence, and this question does not "
    "look like one. Please ask about a symptom, condition, test, medicine or treatment."
)
UNNAMED_NOTICE = (
    "MedCite cannot tell what this question is about: it names no condition, test, medicine or"
    " treatment, only \u201cit\u201d or \u201cthis\u201d. Please ask again naming it (for"
    " example, \u201cHow is gout treated?\u201d)."
)
"""The reply to a question that points at something it never names ("How is it treated?",
"What is this condition?"), asked on its own: it was answered with whatever page came first
(botulism's antitoxin, fish-eye disease)."""
INJECTION_DECLINE_NOTICE = (
    "MedCite only answers health questions from its evidence; instructions inside questions are "
    "ignored. Please ask about a symptom, condition, test, medicine or treatment."
)
INJECTION_NOTICE = (
    "Instructions inside questions are ignored; MedCite answers only from its evidence."
)

# --- emergencies ----------------------------------------------------------------------------
_PERSON = re.compile(
    r"\b(?:i'?m|i am|i'?ve|i have|i feel|i can'?t|i cannot|i can not|i just|i took|i think|i keep"
    r"|i want|my|we|we'?re|our|he|she|he'?s|she'?s|his|him|her|they'?re)\b"
)
_NOW = re.compile(
    r"\b(?:right now|now|currently|at the moment|just (?:took|swallowed|had|ate|drank|started)"
    r"|minutes? ago|an hour ago|this (?:morning|afternoon|evening)|tonight|is happening"
    r"|won'?t stop|keeps? getting worse)\b"
)
_SUICIDE = re.compile(
    r"\b(?:(?:kill|hurt|harm) (?:myself|himself|herself)|end (?:my|his|her) (?:own )?life"
    r"|ending (?:my|his|her) (?:own )?life|take my (?:own )?life|end it all|want(?:s)? to die"
    r"|(?:i'?m|i am|i feel|feeling|i'?ve been feeling|he is|she is|he'?s|she'?s|my \w+ is)"
    r" (?:so |very |really )?suicidal|(?:don'?t|do not) want to (?:live|be alive)"
    r"|better off dead|(?:thinking|thought) (?:about|of) (?:suicide|killing myself|ending it))"
)
_EMERGENCIES: tuple[tuple[Emergency, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            Emergency.URGENT,
            r"\b(?:crushing|severe|terrible|squeezing|sudden|heavy|worst) (?:\w+ )?chest"
            r" (?:pain|pressure|tightness)|(?:bad|severe|terrible|crushing|heavy) (?:pain|pressure"
            r"|tightness) in (?:the|my|his|her) chest"
            r"|chest (?:pain|pressure|tightness|hurts)\b[^.?!]*\b(?:now"
            r"|spreading|radiating|left arm|jaw|sweating)|having a (?:heart attack|stroke)",
        ),
        (
            Emergency.URGENT,
            r"\b(?:can'?t|cannot|can not|unable to|struggling to) breathe|(?:not|stopped|isn'?t)"
            r" breathing|turning blue|is choking|choking on|gasping for (?:air|breath)"
            r"|can'?t get (?:enough )?air|no (?:oxygen|air) (?:is )?(?:getting|staying|going) in",
        ),
        (
            Emergency.URGENT,
            r"\bface (?:is )?droop\w*|drooping face|slurred speech|speech is slurred|slurring"
            r"|sudden (?:weakness|numbness|confusion)|one side of (?:my|his|her) (?:body|face)"
            r"|can'?t (?:move|feel) (?:my|his|her) (?:arm|leg|face)",
        ),
        (
            Emergency.URGENT,
            r"\banaphyla\w+|(?:throat|tongue|lips?|face) (?:is |are )?(?:swelling|closing)"
            r"|swollen (?:throat|tongue)|allergic reaction",
        ),
        (
            Emergency.POISONING,
            r"\boverdos\w*|(?:took|taken|swallowed|drank|ate) (?:\w+ ){0,4}(?:pills|tablets"
            r"|bleach|poison|too many|too much|whole bottle|antifreeze|detergent|batter(?:y|ies))"
            r"|poison(?:ed|ing)",
        ),
        (  # a child who ate part of a plant (set AD: a toddler and a foxglove leaf got nothing;
            # set AI: "my 2 year old just chewed on a leaf from our poinsettia" was declined)
            Emergency.POISONING,
            r"\b(?:toddler|child|kid|baby|infant|son|daughter|\d+[- ](?:year|month)s?[- ]old)\b"
            r"[^.?!]{0,40}\b(?:chewed|ate|eaten"
            r"|swallowed|sucked|licked|bit)\b[^.?!]{0,30}\b(?:leaf|leaves|berry|berries|mushrooms?"
            r"|plant|plants|seeds?|flowers?|bulbs?)\b",
        ),
        (  # a child who got into medicine (set AM: "my 3 year old got into my norethindrone
            # birth control pills and may have swallowed a few" got no notice)
            Emergency.POISONING,
            r"\b(?:toddler|child|kid|baby|infant|son|daughter|\d+[- ](?:year|month)s?[- ]old)\b"
            r"[^.?!]{0,40}\b(?:got into|got hold of|chewed|ate|eaten|swallowed|took)\b[^.?!]{0,40}"
            r"\b(?:pills?|tablets?|capsules?|medicines?|medications?|gummies|vitamins)\b",
        ),
        (  # an accidental extra dose (set AM: "I accidentally took twice my dose of budesonide")
            Emergency.POISONING,
            r"\b(?:took|taken|gave|given|had)\b (?:\w+ ){0,2}(?:twice|double|two times|three"
            r" times|2x|3x) (?:\w+ ){0,2}(?:dose|doses|dosage|amount)|\bdouble[- ]dosed\b"
            r"|\baccidentally (?:took|taken|gave|given|swallowed)\b",
        ),
        (  # much blood lost (set AM: "cut his leg badly with a chainsaw and lost a lot of blood,
            # now he's pale and dizzy" got no notice)
            Emergency.URGENT,
            r"\b(?:lost|losing|loses) (?:a lot of|so much|lots of|too much|a large amount of) blood"
            r"|\bbleeding (?:a lot|heavily|profusely|badly)\b[^.?!]{0,60}\b(?:pale|dizzy|faint)",
        ),
        (
            Emergency.URGENT,
            r"\b(?:bleeding|blood)\b[^.?!]{0,40}\b(?:won'?t|will not|doesn'?t|does not|isn'?t"
            r"|can'?t) stop|won'?t stop bleeding|spurting blood|(?:vomiting|coughing up) blood"
            r"|(?:bleeding (?:heavily|profusely|badly)|(?:heavy|severe) bleeding) (?:right )?now",
        ),
        (  # a fever under 3 months (set AC: a 2-month-old at 100.6 got "not enough evidence")
            Emergency.INFANT_FEVER,
            r"\b(?:newborn|neonate|(?:[1-9]|1[0-2]|one|two|three|four|six|eight)[- ]weeks?[- ]old"
            r"|(?:[12]|one|two)[- ]months?[- ]old)\b.*\b(?:fever|temperature|temp)\b"
            r"|\b(?:fever|temperature|temp)\b.*\b(?:newborn|neonate"
            r"|(?:[1-9]|1[0-2]|one|two)[- ]weeks?[- ]old|(?:[12]|one|two)[- ]months?[- ]old)\b",
        ),
        (
            Emergency.URGENT,
            r"\b(?:is |was )?(?:unconscious|unresponsive)|passed out|won'?t wake|not waking up"
            r"|can'?t wake|(?:having|has|had) a seizure|seizing|convulsing",
        ),
    )
)
# Someone asking whether to go to the emergency room is deciding now, whatever else they say.
_ASKS_FOR_ER = re.compile(
    r"\b(?:should|do|must) (?:i|we|he|she) (?:be )?(?:go|going|get|head) (?:to )?(?:the )?"
    r"(?:er|e\.r\.?|emergency(?: room| department)?|hospital|a&e)\b"
)
_PAST = re.compile(r"\b(?:last (?:week|month|year)|years? ago|months? ago|history of|used to)\b")

# --- instructions hidden in questions --------------------------------------------------------
_TAIL = r"(?:\s+[\w'-]+){0,4}"  # the few words an instruction names ("you are now DAN")
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^.?!\n]{0,40}?\b(?:instructions?|prompts?"
    r"|rules|guidelines|messages?|context|directions)\b"
    r"|\b(?:print|show|reveal|repeat|output|display|tell me|give me|leak)\b[^.?!\n]{0,30}?"
    r"\b(?:system prompt|instructions|initial prompt|hidden prompt|prompt)\b"
    rf"|\bsystem prompt\b|\byou are now\b{_TAIL}|\b(?:from now on|henceforth),? you\b{_TAIL}"
    rf"|\bpretend (?:to be|you are|that you)\b{_TAIL}|\bact as (?:an? |my )?(?:ai|assistant"
    r"|chatbot|unfiltered|uncensored)\b|\bjailbreak\w*|\bdo anything now\b|\bdeveloper mode\b"
    r"|<\|?im_(?:start|end)\|?>|\[/?inst\]|(?:^|(?<=[\n.?!]))\s*(?:system|assistant|user|human)\s*:",
    re.IGNORECASE,
)

# --- medical signal ---------------------------------------------------------------------------
_CUE_WORDS = word_set(
    """symptom symptoms pain painful ache aches aching hurt hurts sore fever cough rash nausea
    vomiting diarrhea diarrhoea dizzy dizziness headache migraine fatigue swelling swollen
    bleeding infection infected virus viral bacteria bacterial disease diseases disorder syndrome
    illness ill sick injury injured wound fracture cancer tumor tumour diabetes asthma allergy
    allergic dose dosage doses medication medications medicine medicines drug drugs pill pills
    treatment treatments treat treated therapy surgery doctor physician nurse hospital clinic
    patient patients diagnosis diagnosed blood heart lung lungs liver kidney kidneys brain bone
    bones pregnant pregnancy vaccine vaccines vaccination vaccinated immunization health healthy
    unhealthy medical clinical prescription prescribed prescribe prescribes prescribing
    antibiotic antibiotics insulin cholesterol obesity sleep asleep sleeping sleepless
    mental depression anxiety suicide suicidal overdose poisoning breastfeeding contraception
    menstrual stroke seizure epilepsy dementia vitamin vitamins supplement supplements deficiency
    nutrition chemotherapy prognosis contagious epidemic pandemic covid flu hiv std sti
    hypertension gout measles shingles eye eyes eyelid eyelids ear ears throat tonsils teeth
    tooth gums skin stomach abdomen abdominal belly chest neck shoulder knee knees hip hips
    spine joint joints muscle muscles breast breasts bladder bowel bowels colon rectum thyroid
    prostate uterus ovary ovaries vagina vaginal penis testicle testicles numb numbness tingling
    itch itchy itching lump lumps droop drooping snoring tremor tremors cramp cramps bruise
    bruising insomnia fetal fetus newborn infant infants baby babies toddler wean weaned weaning
    pregnant labor labour pacemaker pacemakers defibrillator ecg ekg electrocardiogram x-ray
    xray mri ultrasound biopsy stool constipation urine treadmill gxt mammogram mammography
    colonoscopy endoscopy screening shaky shakiness shaking shakes jittery tired tiredness
    exhausted weak weakness faint fainting vomit breathless wheezing wheeze fremitus egophony
    auscultation palpation murmur murmurs rales crackles stridor bruit bruits well-child checkup
    checkups check-up check-ups"""
) | {"side effects", "nervous system", "immune system", "blood pressure", "heart attack"}
# The signs of the physical examination are cues too (set BA: "… vocal fremitus, tactile
# fremitus, '99.'" was declined as no medical question).
# "Rovsing's sign", "Cushing's syndrome", "Graves' disease": an eponym names a medical thing.
_EPONYM = re.compile(
    r"\b[a-z]+(?:'s|s') (?:sign|syndrome|disease|test|maneuver|manoeuvre|reflex|triad|node|nodes"
    r"|phenomenon|palsy|ulcer|fracture|criteria|score)\b"
    r"|\b(?:the|a) [a-z]{4,} (?:test|sign|maneuver|manoeuvre|reflex|prep|preparation|smear|stain"
    r"|swab)\b"  # "the Lachman test", "a Tzanck prep" (set BL declined it as no medical question)
)
# Words the vocabularies hold (MeSH organisms and phenomena, NCI acronyms, foods) that alone say
# nothing about health: "Write me a poem about cats" is not a medical question.
_EVERYDAY_TERMS = word_set(
    """cat cats dog dogs weather water food foods coffee tea sun moon cold hot love language color
    colour python bread wine beer salt sugar time cup car hair music light sound air earth
    animals animal plants plant fish birds bird horse horses mice"""
)


def check_question(text: str) -> str:
    """The question with whitespace normalised; ``InputError`` with a polite message otherwise."""
    if not isinstance(text, str):
        raise InputError("Please type your question as text.", "not_text")
    bad = next((c for c in text if _unreadable(c)), None)
    if bad is not None:
        raise InputError(
            f"Your question contains a control or invalid character (U+{ord(bad):04X}) that "
            "MedCite cannot read. Please remove it and try again.",
            "control_characters",
        )
    question = clean(text)
    if not question:
        raise InputError("Please type a question; the text was empty.", "empty_question")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(
            f"Your question is {len(question):,} characters long; the limit is "
            f"{MAX_QUESTION_CHARS:,} characters. Please shorten it and ask again.",
            "question_too_long",
        )
    return question


def _unreadable(char: str) -> bool:
    category = unicodedata.category(char)
    return (category == "Cc" and char not in _ALLOWED_CONTROLS) or category == "Cs"


def assess_safety(text: str, store: EvidenceStore | None) -> Safety:
    """Emergency first, then scope; injection-like text is searched, never obeyed."""
    lower = clean(text).lower().replace("’", "'")
    emergencies = emergency_kinds(lower)
    injected = looks_like_injection(lower)
    if emergencies:
        notice = URGENT_NOTICE + "".join(_EXTRA_NOTICE[kind] for kind in sorted(emergencies))
        return Safety(emergency=True, notice=notice + (f" {INJECTION_NOTICE}" if injected else ""))
    remaining = _INJECTION.sub(" ", lower) if injected else lower
    if not medical_terms(remaining, store):
        notice = INJECTION_DECLINE_NOTICE if injected else OUT_OF_SCOPE_NOTICE
        return Safety(out_of_scope=True, notice=notice)
    return Safety(notice=INJECTION_NOTICE) if injected else Safety()


def emergency_kinds(text: str) -> frozenset[Emergency]:
    """The emergencies ``text`` describes as happening to someone now (empty when none)."""
    lower = text.lower().replace("’", "'")
    kinds: set[Emergency] = set()
    if _SUICIDE.search(lower):
        kinds.add(Emergency.SUICIDE)
    now = bool(_NOW.search(lower))
    personal = bool(_PERSON.search(lower)) and (now or not _PAST.search(lower))
    if now or personal:
        kinds.update(kind for kind, pattern in _EMERGENCIES if pattern.search(lower))
    if _ASKS_FOR_ER.search(lower):
        kinds.add(Emergency.URGENT)
    return frozenset(kinds)


def looks_like_injection(text: str) -> bool:
    """Whether ``text`` tries to instruct the system (override, role play, role markers)."""
    return bool(_INJECTION.search(text.replace("’", "'")))


def medical_terms(text: str, store: EvidenceStore | None) -> tuple[str, ...]:
    """The words and vocabulary phrases of ``text`` that make it a health question."""
    words = tokens(text)
    pairs = [" ".join(pair) for pair in pairwise(words)]
    found = [w for w in [*words, *pairs] if w in _CUE_WORDS or medical_form(w)]
    found += [m.group(0) for m in _EPONYM.finditer(text.lower())]
    singular = [_singular(w) for w in words]  # "Cheyne-Stokes respirations"
    matches = vocabulary_matches(words, store)
    if singular != words:
        matches += vocabulary_matches(singular, store)
    for start, end, concepts in matches:
        phrase = " ".join(words[start:end])
        if phrase in _EVERYDAY_TERMS or all(c.startswith("cdc:") for c in concepts):
            continue  # the CDC thesaurus maps everyday words ("write", "fix") to medical ones
        found.append(phrase)
    return tuple(dict.fromkeys(found))


def _singular(word: str) -> str:
    """A plural's singular for looking a phrase up ("respirations"), other words as they are."""
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
