"""Whether a sentence denies what a yes/no question asks: "Current guidelines appear
*insufficient*" for "are current guidelines sufficient?", "the serum leptin level has *no
prognostic* indications" for "Are serum leptin levels a prognostic factor …?", "MDA on its own was
*insufficient to control* …" for "Can mass drug administration lead to … control …?".

The reader's stance head and the stance model read these as neutral or even supporting (set L:
three "Yes" bottom lines quoting such a sentence). The rule is deliberately narrow: a negator
right before one of the question's own predicate words (or the word with a negative prefix), or
a "no association" / "no difference" finding or a "cannot be recommended", and never in a
sentence that turns ("associated with X, yet not predictive of Y"). For an equivalence question
("the same disease as", "as effective as") a difference is the denial ("juvenile AS had onset more
often with oligoarthritis … than …") and "no difference" is not. A universal question ("Is it
always necessary?", "Should all patients …?", "Is routine … needed?") is denied by a selective
answer ("selective screening of patients aged > 70", "not all the patients … need", "those
patients who will not benefit … can be identified"). The verdict
applies it to abstracts' conclusions only (:mod:`medcite.answer.decide`): in a result line "no
substance use" describes a group, not a finding.
"""

from __future__ import annotations

import re

from medcite.text import STOPWORDS, tokens, word_set

NEGATORS = word_set(
    "no not none neither nor without lack lacks lacking lacked little few poor poorly"
    " unable cannot never failed fails fail absence insufficient inadequate unlikely doesn't"
    " don't didn't isn't aren't wasn't weren't won't can't couldn't"
)
_PREFIXES = ("in", "un", "im", "ir", "il", "dis")  # not "non-": "non-Sami" names a group
_WINDOW = 3  # a negator at most this many words before the predicate word
_STEM = 6  # words compared by their first letters ("prognostic" ~ "prognosis")
_GENERIC = word_set(
    "patients patient people children adults women men use used using study studies effect"
    " effects level levels factor factors role current currently"
)
_EQUIVALENCE = re.compile(
    r"\b(similar|same|equivalent|equally|comparable|non-?inferior|as (?:\w+ ){0,2}as)\b",
    re.I,
)
_NULL_FINDING = re.compile(
    r"\bno (?:\w+ ){0,2}(?:association|correlation|relationship|relation|link|difference|effect"
    r"|benefit|impact|influence|value|place|role)s?\b"
    r"|\bnot (?:\w+ ){0,2}(?:associated|related|correlated|linked|predictive|effective|useful"
    r"|beneficial|superior)\b"
    r"|\b(?:cannot|can ?not|should not|not) (?:yet )?be recommended\b|\bnot recommended\b"
    r"|\bregardless of\b|\bno matter (?:what|how|which|whether|who)\b"
    r"|\b(?:low|little|limited|no) (?:diagnostic )?(?:yield|value)\b"
    r"|\bnot (?:worth|justified|warranted)\b"
    r"|(?:\bnot|n't) (?:have|has|had|show|shows|showed) (?:a |any )?(?:\w+ )?(?:impact|effect"
    r"|benefit|influence|role|advantage|association)\b"
    r"|\bfail(?:ure|ed|s)? (?:\w+ ){0,3}to (?:find|show|detect|demonstrate|confirm)\b"
    r"|\bcasts? doubt on\b|\b(?:not|no) (?:provide )?support\b"
    r"|\b(?:should|can|could|may) be (?:omitted|abandoned|avoided|discontinued)\b",
    re.I,
)
_DIFFERENCE = re.compile(
    r"\b(?:than|differ\w*|distinct|unlike|higher|lower|greater|worse|better|superior|inferior"
    r"|increased|decreased|preferred)\b",
    re.I,
)
_KNOWING = re.compile(r"\b(?:know\w*|aware\w*|familiar\w*|understand\w*)\b", re.I)
_KNOWLEDGE_GAP = re.compile(
    r"\b(?:poor|little|limited|low|lack of|lacked|inadequate|insufficient|no)"
    r" (?:\w+ ){0,1}(?:knowledge|awareness|understanding|familiarity)\b"
    r"|\b(?:knowledge|awareness) (?:deficit|gap)s?\b|\bunaware\b",
    re.I,
)
_UNIVERSAL = re.compile(
    r"\b(?:always|should all|all patients|all cases|every patient|mandatory|routine(?:ly)?)\b",
    re.I,
)
_RESTRICTED = re.compile(
    r"\b(?:limit|restrict|confine)(?:s|ed)? (?:\w+ ){0,4}to\b|\bonly (?:in|for|to)\b", re.I
)
_UNRESTRICTED = re.compile(
    r"\bregardless of\b|\bwhether or not\b|\beveryone\b|\bgeneral (?:adult )?population\b"
    r"|\ball (?:adults|patients|women|men|children|adolescents|people|pregnant)\b",
    re.I,
)
_SELECTIVE = re.compile(
    r"\b(?:selective(?:ly)?|in selected|selected (?:patients|cases)|not all|not always|not every"
    r"|not routinely|those (?:patients )?who (?:will |do |would )?not)\b",
    re.I,
)
_LITTLE_EVIDENCE = re.compile(r"\b(?:little|no|scant|limited) evidence (?:that|of|for)\b", re.I)
_ASKS_HARM = re.compile(r"\b(?:safe\w*|harm\w*|risk\w*|side effects?|adverse|toxic\w*)\b", re.I)
_CONTRAST = re.compile(r"\b(?:yet|but|however|although|though|whereas|while|whilst)\b", re.I)
_RATHER_THAN = re.compile(
    r"\b(?:rather than|instead of|as opposed to|and not|but not)\s+(?P<what>(?:[\w-]+\s*){1,5})",
    re.I,
)
_PROPORTION = re.compile(r"\d\s*%|\bper ?cent\b|\b\d+ (?:of|out of) (?:the )?\d+\b", re.I)
_CONDITIONAL = re.compile(r"^\W*(?:if|when|unless|whether|once|provided)\b", re.I)
_COMPARES = re.compile(r"\b(?:than|over|versus|vs|compared|comparison|or)\b", re.I)


def _prefix(word: str) -> str:
    """The word's first letters, an inflection off first: "needed" and "need", "relied" and
    "rely" compare alike."""
    for suffix in ("ied", "ies"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return (word[: -len(suffix)] + "y")[:_STEM]
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:_STEM]


def predicate_stems(question: str, subject: frozenset[str] = frozenset()) -> frozenset[str]:
    """The question's own words that a denial negates: content words of four letters or more,
    without who it is about, without the words of its ``subject`` ("no binge drinking" does
    not deny that binge drinking harms) and without those the question negates itself ("in
    case of insufficient venous material": "lack of venous material" restates it)."""
    words = tokens(question)
    negated = negated_stems(words)
    return frozenset(
        _prefix(w)
        for w in words
        if len(w) >= 4
        and w not in STOPWORDS
        and w not in _GENERIC
        and w not in subject
        and not w.isdigit()
        and _prefix(w) not in negated
    )


def negated_stems(words: list[str]) -> set[str]:
    """The stems of the words a negator stands before (at most ``_WINDOW`` words after it)."""
    return {
        _prefix(w) for i, w in enumerate(words) if NEGATORS & set(words[max(0, i - _WINDOW) : i])
    }


def _negations(words: list[str], said: set[str]) -> list[str]:
    """The negators of ``words``, but those before what the question negates itself
    (``said``: "lack of venous material" for "in case of insufficient venous material")."""
    return [
        w
        for i, w in enumerate(words)
        if w in NEGATORS and not said & {_prefix(x) for x in words[i + 1 : i + 1 + _WINDOW]}
    ]


def widens(question: str, sentence: str) -> bool:
    """Whether a question asks if something is limited to some people and the sentence says it
    is for everyone: "Does it limit screening to people with risk factors?" — "The USPSTF
    recommends screening in all adults regardless of risk factors." (set AW: "Yes" quoting it)."""
    return bool(_RESTRICTED.search(question) and _UNRESTRICTED.search(sentence))


def denies(question: str, sentence: str, subject: frozenset[str] = frozenset()) -> bool:
    """Whether ``sentence`` says no to ``question`` in so many words (see the module doc);
    ``subject``: the words of what the question is about."""
    if _UNIVERSAL.search(question) and _SELECTIVE.search(sentence):
        return True  # "Is it always necessary?" — "selective screening of patients aged > 70"
    if widens(question, sentence):
        return True
    if _EQUIVALENCE.search(question):  # "Is juvenile AS the same disease as adult AS?"
        return (  # a difference denies it, even one that turns ("lower than …, although …")
            bool(_DIFFERENCE.search(sentence))
            and not _EQUIVALENCE.search(sentence)  # "as effective as X, at lower cost"
            and not NEGATORS & set(tokens(sentence))
        )
    if _KNOWING.search(question) and _KNOWLEDGE_GAP.search(sentence):
        return True  # "a poor knowledge of the side effects" for "Are physicians aware …?"
    if _puts_aside(question, sentence, subject):
        return True
    turn = _CONTRAST.search(sentence)
    if turn is not None:  # "associated with X, yet not predictive of Y" is not a plain no …
        return _denies_before_the_turn(question, sentence, turn.start(), turn.end(), subject)
    stems = predicate_stems(question, subject)
    words = tokens(sentence)
    for i, word in enumerate(words):
        if _negative_form(word, stems):
            return True
        before = set(words[max(0, i - _WINDOW) : i])
        if _prefix(word) in stems and len(word) >= 4 and NEGATORS & before:
            return True
    if _LITTLE_EVIDENCE.search(sentence) and not _ASKS_HARM.search(question):
        return True  # "little evidence that the campaigns were effective"; not "… of harm"
    return bool(_NULL_FINDING.search(sentence))


def _puts_aside(question: str, sentence: str, subject: frozenset[str]) -> bool:
    """ "DGE is linked to … other postoperative complications rather than to pylorus
    preservation" for "Is delayed gastric emptying … related to pylorus preservation?": what the
    question asks about is what the sentence sets aside. Not for a question that compares
    ("Is A better than B?": "A rather than B" answers it yes)."""
    if _COMPARES.search(question):
        return False
    stems = predicate_stems(question, subject)
    for match in _RATHER_THAN.finditer(sentence):
        before = {_prefix(w) for w in tokens(sentence[: match.start()])}
        aside = {_prefix(w) for w in tokens(match.group("what")) if len(w) >= 4}
        if (stems & aside) - before:  # "peptic ulcer disease rather than nonulcer disease"
            return True  # sets aside no word the sentence has named already
    return False


def _denies_before_the_turn(
    question: str, sentence: str, start: int, end: int, subject: frozenset[str]
) -> bool:
    """… unless the clause before the turn denies it of the question's own subject and the
    clause after turns to something else: "structural characteristics of a practice are not
    associated with uptake …, but its use may be influenced by post-graduate education" says no
    to "Do general practice characteristics influence uptake …?"."""
    before, after = sentence[:start], sentence[end:]
    # what the question is about: its subject, else all its own words (a claim with no parsed
    # subject: "… satellite cells neither accelerated nor exacerbated sarcopenia …, but their
    # loss may contribute to age-related muscle fibrosis" says no to "… satellite cell
    # dysfunction is a key factor in sarcopenia development", set W)
    said = {_prefix(w) for w in subject if len(w) >= 4} or set(predicate_stems(question))
    if not said or _CONTRAST.search(after) or not before.strip():
        return False

    def names(text: str) -> int:
        return len(said & {_prefix(w) for w in tokens(text)})

    return 2 * names(before) >= len(said) and not names(after) and denies(question, before, subject)


_HEDGE = re.compile(
    r"\b(?:may|might|could|possibly|perhaps|suggests?|suggested|appears?|seems?|likely"
    r"|potential(?:ly)?)\b",
    re.I,
)
_EITHER_WAY = (  # "may or may not", "does or does not"
    r"\b(?:may|might|could|can|does|did|do) or (?:may |might |could |can |does |did |do )?not\b"
)
_DOUBT = re.compile(
    r"\b(?:unclear|uncertain|unknown|remains?|further|more studies|needed|warrant\w*|trend)\b"
    rf"|{_EITHER_WAY}",
    re.I,
)
_UNDECIDED = re.compile(rf"{_EITHER_WAY}|\binconclusive\b|\bequivocal\b", re.I)


_NO_FINDING = re.compile(
    r"\bhypothes[ie][sz]\w*|\bwe (?:asked|tested|examined|investigated|sought to determine)"
    r" whether\b|\bit (?:is|was|has been) (?:proposed|suggested|thought|believed|speculated)"
    r" that\b|\bstatistical power\b|\bunderpowered\b|\b(?:not|in)sufficiently powered\b",
    re.I,
)


_BORNE_OUT = re.compile(r"\b(?:confirm\w*|support\w*|consistent with|validat\w*|prov\w*)\b", re.I)


def states_no_finding(sentence: str) -> bool:
    """A hypothesis, a question a study set itself, or a limit of its power: "… has led to the
    hypothesis that the loss of satellite cell activity is also a cause of sarcopenia", "The
    statistical power of this case-referent study was such that only large beneficial effects
    … could be confirmed" (set W: both quoted behind a "Yes"). Such a sentence says what was
    thought or could be shown, not what was found."""
    found = _NO_FINDING.search(sentence)
    return found is not None and not _BORNE_OUT.search(
        sentence[max(0, found.start() - 30) : found.start()]
    )


def undecided(question: str, sentence: str, subject: frozenset[str] = frozenset()) -> bool:
    """Whether ``sentence`` says in so many words that the asked relation is open: "fluoridation
    reduces oral disease but may or may not reduce use of restorative services" for "Does
    fluoridation reduce the use of dental services …?" (set V: read as "Yes")."""
    found = _UNDECIDED.search(sentence)
    if found is None:
        return False
    stems = predicate_stems(question, subject)
    after = tokens(sentence[found.start() :])
    return any(_prefix(w) in stems for w in after if len(w) >= 4)


def is_hedged(sentence: str) -> bool:
    """ "seems to be", "may represent", "suggests": said, but not flatly."""
    return bool(_HEDGE.search(sentence))


def affirms(
    question: str, sentence: str, subject: frozenset[str] = frozenset(), *, hedged: bool = False
) -> bool:
    """Whether ``sentence`` says yes to ``question`` in so many words: it restates one of the
    question's predicate words ("The leukocyte count … can be used … in the evaluation of the
    severity of injury" for "Does the leukocyte count correlate with the severity of
    injury?") with no negation, turn or doubt, and denies nothing. A hedge ("seems to be an
    efficient technique", "may represent") is allowed only when ``hedged``; a negation of what
    the question negates itself is the question's own ("lack of venous material")."""
    words = tokens(sentence)
    said = negated_stems(tokens(question))
    if _negations(words, said) or _CONTRAST.search(sentence) or _DOUBT.search(sentence):
        return False
    if not hedged and is_hedged(sentence):
        return False
    if denies(question, sentence, subject):
        return False
    stems = predicate_stems(question, subject)
    return any(_prefix(w) in stems for w in words if len(w) >= 4)


def restates(question: str, sentence: str, subject: frozenset[str] = frozenset()) -> bool:
    """Whether ``sentence`` says the question over in its own words: two of the question's
    predicate words or more, and a word of its subject when it has one ("Better prognosis was
    obtained when ruptured aneurysm was repaired in the elderly" for "Is aneurysm repair
    justified …?"; not "COPD is underdiagnosed" for "Do symptoms predict COPD in smokers?")."""
    if _CONDITIONAL.match(sentence):
        return False  # "If other means … are negative, then SLN biopsy deserves …": a condition
    if _PROPORTION.search(sentence):
        return False  # "7% of women … met criteria for Lynch syndrome": how many, not yes
    words = {_prefix(w) for w in tokens(sentence) if len(w) >= 4}
    if subject and not words & {_prefix(w) for w in subject if len(w) >= 4}:
        return False
    return len(words & predicate_stems(question, subject)) >= 2


def _negative_form(word: str, stems: frozenset[str]) -> bool:
    """ "insufficient" of "sufficient", "ineffective" of "effective", "unsafe" of "safe"."""
    for prefix in _PREFIXES:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) >= 5 and _prefix(rest) in stems:
            return True
    return False


_RECOMMENDS = re.compile(
    r"\b(?:recommends?|recommended|should be (?:offered|given|used|prescribed|started))\b"
    r"|\bshould be (?:re)?(?:screened|tested)(?= (?:again|at|during|when|before|after)\b)",
    re.I,
)
_AGAINST = re.compile(
    r"\brecommends? against\b|\b(?:does|do|did|should) not (?:recommend|be)\b"
    r"|\b(?:not|no longer) (?:be )?(?:generally |routinely |usually )?recommended\b"
    r"|\bcannot be recommended\b"
    r"|\bagainst (?:the )?(?:routine )?use\b"
    r"|^\W*no (?:[\w-]+ ){1,3}(?:is|are) (?:routinely )?recommended\b",
    re.I,
)  # set AM: "No prophylaxis is recommended for knee arthroscopy …" was read "Yes, strong"; set
# BY: "… acupuncture is not effective for osteoarthritis pain relief and it is not generally
# recommended" too
_UNDECIDED_ADVICE = re.compile(
    r"\bevidence (?:is|was|remains) (?:insufficient|inadequate|inconclusive|lacking)\b"
    r"|\binsufficient evidence\b|\bno recommendation\b|\bselectively offer\b"
    r"|\bshould be an individual\b|\bindividual decision\b|\bindividuali[sz]e the decision\b"
    r"|\b(?:to|toward) other\b[^.]*\b(?:interventions?|treatments?|therap\w+|options?)\b",
    re.I,
)


_LEAD_IN = (
    r"^(?!.*\bthis service\b)\W*"
    r"(?:(?:in|for|among|when|if|before|after|during)\b[^.;]*?,\s+)?"
)
_IMPERATIVE = re.compile(
    _LEAD_IN + r"(?:offer|treat|prescribe|administer|initiate|start|screen|give|provide|perform"
    r"|consider|use(?! of\b))\s+\w",
    re.I,
)
_IMPERATIVE_AGAINST = re.compile(_LEAD_IN + r"(?:do not|don't|avoid)\s+\w", re.I)
"""A recommendation in the imperative, at the start or after who it is for ("In infants 9 months
of age and older …, offer treatment with hydroxyurea"); not a list's "…, do not consistently
use condoms", nor the USPSTF's definition of its grades ("Offer or provide this service.")."""


_POINTER = re.compile(
    r"^\W*(?:see|refer to|for (?:more )?information|more information)\b"
    r"|\bdoes not apply to\b",  # a statement's scope (set AK: the pelvic examination's "does
    re.I,  # not apply to … screening for gonorrhea" answered a question on gonorrhea)
)


def recommendation(sentence: str) -> bool | None:
    """A guideline's recommendation: True for "The USPSTF recommends the use of low-dose
    aspirin …" or an imperative ("In infants 9 months of age and older …, offer treatment with
    hydroxyurea …": set AJ), False for "recommends against" / "not recommended" / "do not …",
    None when the sentence recommends nothing (see :func:`leaves_open` for "the evidence is
    insufficient")."""
    if _POINTER.search(sentence):
        return None  # "See the Practice Considerations section … on recommended …" (set AE)
    if _AGAINST.search(sentence) or _IMPERATIVE_AGAINST.search(sentence):
        return False
    return True if _RECOMMENDS.search(sentence) or _IMPERATIVE.search(sentence) else None


def leaves_open(sentence: str) -> bool:
    """A guideline that makes no recommendation either way: "The USPSTF concludes that the
    current evidence is insufficient to assess the balance of benefits and harms of screening
    for oral cancer" (an I statement) answers neither yes nor no (set AA: it was read as
    "Yes"); nor does a "selectively offer" or "an individual decision" (a C grade)."""
    return bool(_UNDECIDED_ADVICE.search(sentence))


GUIDELINE_BODY = r"\b(?:uspstf|task force|guidelines?|guidance)\b"
"""Who makes a recommendation, as a question names it ("What does the USPSTF say …?")."""
BODY_NAMED = re.compile(GUIDELINE_BODY, re.I)


def names_body(text: str) -> bool:
    """Whether ``text`` names who makes a recommendation (:data:`GUIDELINE_BODY`)."""
    return BODY_NAMED.search(text) is not None


_ADVICE = re.compile(
    r"(?:^|[.?!]\s+|,\s+(?:so|and|but|then)\s+)\W*(?:should|must)\b"
    r"|\b(?:recommended|indicated|advisable|necessary|needed"
    r"|needs?|required|warranted|justif(?:y|ies|ied)|worth(?:while)?|appropriate"
    r"|eligible|eligibility|qualif(?:y|ies)|a candidate)\b"
    rf"|{GUIDELINE_BODY}.*\b(?:supports?|endorses?|says?|recommends?|recommendations?|grades?)\b",
    re.I,
)  # a story's question sentence asks too: "Pregnant patient … Should I routinely order …?";
# "Does the USPSTF recommend daily low-dose vitamin D …?" (set AM: its "recommends against"
# counted for nothing and the answer was "Uncertain"); "Does the USPSTF recommendation … apply
# to someone his age", "Is there a USPSTF grade for screening her …?" (set AO)


_ROUTINE_BENEFIT = re.compile(
    r"\bbenefi\w*\b.*\b(?:screen\w*|routine\w*)|\bsupports?\b.*\broutine\w*"
    r"|\b(?:screen\w*|routine\w*)\b.*\bbenefi\w*",
    re.I,
)
"""Whether routine testing is of benefit asks whether to do it: "Is there any benefit to sending
routine urine cultures to look for asymptomatic bacteriuria?" is answered by the USPSTF's
"recommends against screening …" (set AG abstained beside it); so is whether the evidence
supports it ("Does the evidence support routine lipid screening in children …?": set AJ)."""


def asks_advice(question: str) -> bool:
    """Whether a question asks what should be done ("Should aspirin be given …?", "Is
    screening necessary?", "Any benefit to routine …?"): only then does a guideline's
    recommendation answer it yes or no."""
    return bool(_ADVICE.search(question) or _ROUTINE_BENEFIT.search(question))
