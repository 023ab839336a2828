"""The decide stage with the reader: a yes/no verdict only from the sentences that state the
asked relation (the reader says they answer the question, or they are an abstract's conclusions
naming every side of it), each leaning by the mean of the reader's stance and the stance model's
(:mod:`medcite.answer.stance`: its cues read direction and significance — "significant
reduction", "no difference" — that the reader's stance head often misses), and weighed by its
document's evidence level and recency (:func:`medcite.answer.verdict.decide`). Measured on
PubMedQA question-only (cross-validated): reader stance alone 0.392, cues alone 0.502, the mean
0.500; with conclusions counted, 0.548 (cues) and 0.542 (mean, macro-F1 0.465, the fewest "yes"
for "no" records).
The bottom line quotes the strongest sentences behind the verdict, one per document.

When sentences discuss the question's subject but none states the relation, there is not
enough evidence, and the answer says so: a verdict is never drawn from sentences that merely
share its words.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import numpy as np

from medcite.answer.abstain import one_per_document
from medcite.answer.denial import (
    affirms,
    asks_advice,
    denies,
    is_hedged,
    leaves_open,
    recommendation,
    restates,
    states_no_finding,
    undecided,
    widens,
)
from medcite.answer.model import EvidenceMeter, Question, Verdict
from medcite.answer.named_guideline import named_documents, named_guideline, names
from medcite.answer.population import outside_said_ages, speaks_of_others
from medcite.answer.question import ASKS_AGAIN, first_ask, questions_in
from medcite.answer.read import (
    Readings,
    advises,
    asks_the_same,
    best_fitting,
    names_every_side,
    names_relation,
    question_sides,
)
from medcite.answer.sentences import (
    EvidenceSentence,
    concludes,
    is_methods,
    stands_alone,
    stem,
)
from medcite.answer.verdict import Decision, ScoredEvidence, decide
from medcite.records import EvidenceType
from medcite.settings import AnswerSettings
from medcite.text import STOPWORDS, tokens

_COLUMN = {Verdict.YES: 0, Verdict.NO: 1}
BACKING = 3


def decide_read(
    question: Question,
    sentences: list[EvidenceSentence],
    readings: Readings,
    settings: AnswerSettings,
    polarity: Callable[[list[EvidenceSentence]], np.ndarray] | None = None,
) -> tuple[Decision, list[EvidenceSentence]]:
    """The verdict and the sentences its bottom line quotes. ``polarity``: the stance model's
    P(supports, contradicts, neutral) of sentences, averaged with the reader's stance."""
    floor = settings.reader_verdict_answer
    advised = guideline_advice(sentences, asks_advice(question.text))

    def concluding(s: EvidenceSentence) -> bool:
        return concludes(s) or s.key in advised

    same = studies_asking(question, sentences)  # the studies that asked this very question
    bare = bare_studies(sentences, same)

    def floor_of(s: EvidenceSentence) -> float:  # a study's results answer its own question
        return settings.reader_verdict_own_results if s.document.id in bare else floor

    bounds = bounds_of(question.text)
    stating = [
        s
        for s in sentences
        if (readings.answer_of(s) >= floor_of(s) or concluding(s))
        and readings.states_relation(s)
        and not reports_no_findings(s.document.title)
        and not other_side_of(bounds, bounds_of(s.text))
        and not is_methods(s.text)  # what a trial did to its arms states no relation (set AY)
        and not (s.key in advised and not s.mentions and readings.answer_of(s) < floor_of(s))
        # nor a guideline's statement naming nothing asked, its source naming the rest (set BP:
        # the PTSD guideline's "insufficient evidence … couples therapy" made "Is it all right
        # to use Prozac … with imipramine …?" uncertain)
    ]
    body = _named_body(question, sentences)
    if body:  # "Per the CDC guidance for health-care personnel, should she get HBIG …?": the
        # named body's answer, not another's (set BD: "Yes" from the USPSTF's statement on
        # pregnant women); its other guidelines may answer (set BD: the Colorado chronic pain
        # guideline's "Cooled radiofrequency is generally not recommended" for a question
        # naming its low back pain guideline)
        stating = [
            s
            for s in stating
            if s.document.evidence_type is not EvidenceType.GUIDELINE or names(body, s.document)
        ]
    if _asks_further(question.text):  # a directive that names nothing asked answers none of
        # its parts (set BD: "The observer should not be the physician who performed the
        # procedure." said "No" to "… does he qualify, what degree of relief and what
        # confirmatory block are required, and is cooled RF an option?")
        stating = [s for s in stating if s.mentions or not advises(s)]
    if asks_advice(question.text) and len(question_sides(question)) <= 1:
        # "Should she be in a nursing home?" names one thing: only a recommendation says
        # whether, not a page on nursing homes nor a study of who enters them (set AI: "Yes")
        stating = [s for s in stating if s.key in advised or advises(s)]
    if not stating:
        return not_stated(question, sentences)
    unread = [s for s in stating if s.key not in readings.blended]  # once for every audience
    if polarity is not None and unread:
        cue = polarity(unread)
        for i, s in enumerate(unread):
            readings.blended[s.key] = (readings.stance_of(s) + cue[i]) / 2
    asked = numbers(question.text)
    for s in unread:
        if asked and not asked <= numbers(s.text):  # "1 in 5 million" is not "493 per million"
            stance = readings.stance_of(s).copy()
            stance[2] += stance[0]
            stance[0] = 0.0
            readings.blended[s.key] = stance
    subject = frozenset(tokens(question.subject or ""))  # "no binge drinking" denies nothing
    sides = question_sides(question)
    for s in unread:
        if s.key in advised:  # "The USPSTF recommends …": the guideline's answer
            recommended = advised[s.key]
            if recommended and widens(question.text, s.text):  # "limited to …?" — "all adults":
                readings.blended[s.key] = DENIED  # no, in so many words
                continue
            told = OPEN if recommended is None else AFFIRMED if recommended else DENIED
            readings.blended[s.key] = _told(readings.stance_of(s), told, DENIAL_MIX)
        elif states_no_finding(s.text) or (  # a hypothesis, a study's power: no answer
            concludes(s) and undecided(question.text, s.text, subject)  # "may or may not"
        ):
            readings.blended[s.key] = _told(readings.stance_of(s), OPEN, DENIAL_MIX)
        elif concludes(s) and denies(question.text, s.text, subject):  # "insufficient"
            readings.blended[s.key] = _told(readings.stance_of(s), DENIED, DENIAL_MIX)
        elif (
            concludes(s)
            and names_relation(s.mentions, sides, every=2)  # it states the relation (read)
            and affirms(question.text, s.text, subject, hedged=True)
        ):  # names the relation itself and says it; a hedge ("seems to", "may") says it softer
            mix = HEDGED_MIX if is_hedged(s.text) else AFFIRM_MIX
            readings.blended[s.key] = _told(readings.stance_of(s), AFFIRMED, mix)
        elif (
            concludes(s)
            and s.document.id in same
            and restates(question.text, s.text, subject)
            and affirms(question.text, s.text, subject, hedged=False)
        ):  # the study that asked this very question answers it in its own words, flatly
            readings.blended[s.key] = _told(readings.stance_of(s), AFFIRMED, AFFIRM_MIX)
    stating = by_guidelines(question, stating, advised)
    if split_advice(stating, advised):  # before or after 24 weeks, unasked: no general answer
        for s in stating:
            readings.blended[s.key] = _told(readings.stance_of(s), OPEN, DENIAL_MIX)
    readings.weighed.update(s.key for s in stating)
    stating = by_conclusions(stating, readings, settings, concluding)
    stating = by_the_same_question(question, stating, readings, settings)
    evidence = [
        ScoredEvidence(
            doc_id=s.document.id,
            probs=readings.stance_of(s),
            relevance=_weight(s, readings, settings, concluding(s)),
            evidence_rank=s.document.evidence_type.rank,
            year=s.document.year,
        )
        for s in stating
    ]
    decision = decide(evidence, datetime.date.today().year, settings)
    if decision.verdict is Verdict.UNCERTAIN and not any(
        readings.answer_of(s) >= floor
        or s.key in advised
        or (concluding(s) and names_relation(s.mentions, sides, every=2))
        for s in stating
    ):  # nothing answers: a trial's conclusion naming the question's words and answering
        # another question ("Amikacin sulfate bladder wash was effective in preventing CAUTI" of
        # treating asymptomatic bacteriuria in a nursing home) makes no "Uncertain" (set AG); a
        # conclusion naming the relation itself does ("… may or may not reduce use …")
        return not_stated(question, sentences)
    column = _COLUMN.get(decision.verdict)

    def strength(s: EvidenceSentence) -> float:
        stance = readings.stance_of(s)
        lean = float(stance[column]) if column is not None else 1.0 - float(stance[2])
        return readings.answer_of(s) * lean

    def leans(s: EvidenceSentence) -> bool:  # toward the verdict more than against it
        if column is not None and s.key in advised and advised[s.key] is None:
            return False  # an I statement backs no yes or no (set AK: a pelvic examination's
            # I statement was quoted for "Yes, screen her for gonorrhea")
        stance = readings.stance_of(s)
        return column is None or float(stance[column]) > float(stance[1 - column])

    backing = [s for s in stating if leans(s)]
    # the authors' own conclusion first, then the strongest result that stands alone
    backing.sort(
        key=lambda s: (
            not stands_alone(s.text),
            not concluding(s),
            not s.mentions & readings.focus,  # gonorrhea's statement for gonorrhea (set AK)
            -strength(s),
            s.key,
        )
    )
    return decision, one_per_document(backing or stating)[:BACKING]


_FURTHER = re.compile(r",\s*(?:and\s+|or\s+)?(?:what|which|how|when|where|at what|in what)\b", re.I)


def _named_body(question: Question, sentences: list[EvidenceSentence]) -> tuple[str, ...]:
    """Who wrote the guideline a question names (its name's first word: "cdc" of "the CDC
    guidance for health-care personnel"), when a guideline among the sentences holds the
    name; else nothing."""
    documents = list({s.document.id: s.document for s in sentences}.values())
    words = named_guideline(question.text)
    return words[:1] if words and named_documents(question.text, documents) else ()


def _asks_further(question: str) -> bool:
    """Whether a question sentence goes on, after its yes or no, to ask what, which or how."""
    return any(_FURTHER.search(s) for s in questions_in(question))


def statement_cannot_say(question: str, bottom: list[EvidenceSentence]) -> bool:
    """Whether a verdict would rest only on recommendations that cannot say yes or no to this
    question, so that the statement is the answer, with no verdict: "is it too late to start?"
    from a statement that recommends starting, and whether a patient is among those "at
    increased risk" ("Does he count as at increased risk …?", "Is he in a population the USPSTF
    says to screen …?") from statements that never say who they are (sets AT, AY, AZ: "Yes"
    quoting them, unsupported). "Not at increased risk" defines its population: a D statement
    for low-risk women says "No" to screening one (set AF, judged correct).
    A broader rule, any question on one person, took away "Yes" verdicts judged correct
    (sets AE, AF: counselling "all sexually active adolescents"; referring a pregnant woman
    with a history of depression)."""
    if not bottom or not all(advises(s) for s in bottom):
        return False
    if _ASKS_TOO.search(question) or _ASKS_TERMS.search(question):
        return True
    if _asks_unsaid_terms(question, bottom):
        return True
    if _ASKS_MEMBERSHIP.search(question):  # whether she is at increased risk: a statement
        # for those not at increased risk does not say either (set BB: "No" to "can she be
        # considered at increased risk …?" from the D for women not at increased risk)
        return all(_ANY_RISK.search(s.text) for s in bottom)
    if ASKS_AGAIN.search(question) and all(_FIRST_ONLY.search(s.text) for s in bottom):
        return True  # "should she be screened again at delivery?" from "… at their first
        # prenatal visit" (sets AO, BS: "Yes" quoting it, unsupported)
    if _asks_first_to_redo(question) and not any(_SAYS_WHEN.search(s.text) for s in bottom):
        return True  # "should he be rescreened?" from one that says no time (set BU)
    if _ASKS_REQUIRED.search(question) and all(_OPTIONAL.search(s.text) for s in bottom):
        return True  # "is EDS still required?" from "Consider corroboration … with EDS" (set BN)
    if _asks_unsaid_exclusion(question, bottom):
        return True
    if _ASKS_COVER.search(question) and outside_said_ages(question):
        return True  # "… listed for ages 18 to 50, cover her?" of a 16-year-old (set CG)
    asks = _ASKS_BELONGING.search(question)
    return asks is not None and all(_UNDEFINED_RISK.search(s.text) for s in bottom)


def _asks_unsaid_exclusion(question: str, bottom: list[EvidenceSentence]) -> bool:
    """Whether the question asks if a statement covers someone and names who it leaves out
    ("… in adults 18 to 79, meant for those without known liver disease, cover him …?" of a
    man whose hepatitis C was cured), and no statement quoted says it: "The USPSTF recommends
    screening for hepatitis C virus (HCV) infection in adults aged 18 to 79 years." says
    neither yes nor no to him (set CF: "Yes, strong", unsupported)."""
    exclusion = _EXCLUSION.search(question)
    if not _ASKS_COVER.search(question) or exclusion is None:
        return False
    said = _said_stems(bottom)
    named = {stem(w) for w in tokens(exclusion.group("what")) if w not in STOPWORDS}
    named -= _EXCLUSION_WORDS
    return bool(named) and not named <= said


def _said_stems(bottom: list[EvidenceSentence]) -> set[str]:
    """The stems of every word the quoted statements say."""
    return {stem(w) for s in bottom for w in tokens(s.text)}


_ASKS_COVER = re.compile(r"\bcover(?:s|ed)?\b|\b(?:apply|applies|extend|extends)\s+to\b", re.I)
"""Whether a statement covers someone ("cover him", "apply to a woman"), not "Should I apply
fluoride varnish …?" (set AO: "Yes", judged correct)."""
_EXCLUSION = re.compile(
    r"\b(?:without|no|not|never)\s+(?P<what>(?:known|prior|previous|a history of|signs? of|"
    r"symptoms? of)?\s*[\w-]+(?:\s+[\w-]+)?)",
    re.I,
)
_EXCLUSION_WORDS = frozenset(
    stem(w) for w in ("known", "prior", "previous", "a", "history", "of", "signs", "sign")
)


def _asks_unsaid_terms(question: str, bottom: list[EvidenceSentence]) -> bool:
    """Whether the question asks what a statement itself sets, lists or reviewed ("does it set
    an interval for repeat bone measurement …?", "Did the USPSTF … review the evidence for a
    52-year-old whose brother …?") or whether it holds across things ("effective across
    counseling intensities, settings and implementers?"), and the statements quoted say none of
    it: a recommendation to screen says neither yes nor no to its own interval (set BQ: "Yes,
    strong" quoting each statement, unsupported)."""
    said = _said_stems(bottom)
    for asking in questions_in(question) or [question]:
        for match in (*_ASKS_CONTENT.finditer(asking), *_ACROSS.finditer(asking)):
            asked = {stem(w) for w in tokens(match.group("what")) if w not in STOPWORDS}
            unsaid = asked - said - _ANY_STATEMENT
            if len(unsaid) >= 2 and 2 * len(unsaid) >= len(asked):
                return True
    return False


_ASKS_CONTENT = re.compile(
    r"(?:^|[,;]\s*|\b(?:and|or)\s+)(?:does|do|did|would)\s+(?:the|its|this|that|it)\b"
    r"(?:\s+[\w/&'-]+){0,14}?\s+"
    r"(?:also\s+|specifically\s+|explicitly\s+|still\s+)?"
    r"(?:set|specify|define|list|mention|name|include|review|address|consider|weigh)\s+"
    r"(?P<what>[^?;,]+)",
    re.I,
)
"""A question on what a statement itself says: "Does the USPSTF B recommendation on … set an
interval for …", "… and does it list excessive alcohol use …"; a clause starting so, not "which
of her circumstances does the Task Force list …", which asks what, not whether (set BF)."""
_ACROSS = re.compile(
    r"\b(?:across|regardless\s+of|irrespective\s+of|whatever\s+the)\s+(?P<what>[^?;]+?)"
    r"(?=,\s*(?:and|or)\s+(?:what|which|how|why|does|do|did|is|are)\b|[?;]|$)",
    re.I,
)
"""Whether something holds across kinds ("across counseling intensities, settings and
implementers"), which a statement naming none of them cannot say."""
_ANY_STATEMENT = frozenset({
    "patient", "people", "person", "adult", "evidence", "recommendation", "statement", "uspstf",
    "task", "force", "guideline", "clinician", "whether", "also",
})  # fmt: skip


_ASKS_REQUIRED = re.compile(
    r"\b(?:required|mandatory|obligatory|compulsory)\b|\bmust\s+(?:i|we|you|he|she|they)\b", re.I
)
"""Whether a question asks if something is required, which a suggestion cannot say."""
_OPTIONAL = re.compile(
    r"^\W*consider\b|\b(?:may|could|can)\s+(?:also\s+)?(?:be\s+)?consider(?:ed)?\b"
    r"|\bis\s+an?\s+option\b",
    re.I,
)
"""A thing left to consider, not a requirement ("Consider corroboration of clinical impression
with EDS."); not a work group's weak recommendation, which
:func:`medcite.answer.named_guideline.suggests` reads."""


_ASKS_MEMBERSHIP = re.compile(
    r"\b(?:does|do|is|are|would|could|can)\s+(?:she|he|they|this patient|the patient|my patient"
    r"|someone|anyone|an?\s+[\w-]+)"
    r"\b[^?]*?\b(?:at|of)\s+(?:an?\s+)?(?:increased|high|higher|elevated)\s+risk\b",
    re.I,
)
_FIRST_ONLY = re.compile(
    r"\b(?:at|during)\s+(?:the|their|her|his|a)\s+(?:first|initial)\b|\bonce\b"
    r"|\bone-?time\b",
    re.I,
)
"""A statement that says when to do something the first time ("… in pregnant women at their
first prenatal visit"), and so nothing of a second."""
_SAYS_WHEN = re.compile(
    r"\bat\s+(?:the|their|her|his|each|every|a|least)\b|\b(?:during|when|before|after|every"
    r"|each|until|within)\b|\b(?:periodic|repeat|interval|annual|yearly|frequen|again"
    r"|re-?screen|re-?test)\w*",
    re.I,
)
"""A statement that says when something is done ("… at the time of admission", "every 3
years", "periodic screening …"); "at increased risk" says who, not when."""
_REDO = re.compile(r"\bre-?(?:screen|test)(?:ed|ing)?\b|\b(?:be|get|is|are) repeated\b", re.I)
"""Doing a test again, said by its verb ("rescreened", "retest", "be repeated"); not "needs no
repeat" of a one-time test, nor "again" beside a new occasion ("screen her again now and
postpartum", which the statement for pregnant and postpartum women answers: set BJ, judged
correct)."""


def again_of_one_time(question: str, service: Callable[[], list[str]]) -> bool:
    """Whether the question's first ask is whether to do again what the statement's own record
    calls one-time ("… tested negative at 25: should he be screened again …?" beside the
    hepatitis C record's "One-time screening for most adults. Periodically screen persons with
    continued risk …": set BX, "Yes, strong" quoting the statement for adults 18 to 79,
    unsupported). A record that says no such thing leaves "screen her again now and
    postpartum" to its statement (set BJ, judged correct). ``service`` gives the record's
    service fields, read only when the question asks so."""
    first = first_ask(question)
    return (
        bool(ASKS_AGAIN.search(first))
        and not _ASKS_IF_ONCE.search(first)  # "Is it a one-time ultrasound, so that … needs no
        # repeat …?" asks what the statement says (set BD, judged correct)
        and any(_ONE_TIME.match(text) for text in service())
    )


_ONE_TIME = re.compile(r"(?:a\s+)?(?:one|1)-?time\b", re.I)
"""A record's service field that opens by calling it one-time."""
_ASKS_IF_ONCE = re.compile(
    r"\b(?:one|1)-?time\b|\bonce\b|\bno (?:repeat|re-?screen|re-?test)", re.I
)


def _asks_first_to_redo(question: str) -> bool:
    """Whether the question's first ask is whether to test again: "…, should he be rescreened,
    and how often?" (set BU: "Yes, strong" quoting the statement for those at increased risk,
    which says nothing of a man whose test was negative last year), not "Should I screen him,
    and if he's negative, does he ever need to be retested?", whose first ask the statement
    answers (set AK, judged correct)."""
    return bool(_REDO.search(first_ask(question)))


_ASKS_TOO = re.compile(
    r"\b(?:is|are|am|was)\s+(?:it|she|he|they|i|we)\s+too\s+(?:late|early|soon|old|young)\b", re.I
)
_ASKS_BELONGING = re.compile(
    r"\bcounts? (?:toward|towards|as)\b[^?]*\brisk\b"
    r"|\b(?:does|do|would)\b[^?,]*\bmean\s+(?:(?:that\s+)?(?:she|he|they)\s+(?:is|are)\s+)?"
    r"(?:at\s+)?(?:an?\s+)?(?:increased|higher|high|elevated)\s+risk\b"
    r"|\b(?:is|are|does|do|would)\s+(?:she|he|they|this patient|the patient|my patient)\s+"
    r"(?:\w+\s+)?(?:in|part of|among|belong to|fall (?:in|into|under)|fit)\s+(?:an?|the|one of"
    r" the)\s+(?:\w+\s+){0,2}(?:populations?|groups?|categor(?:y|ies))\b",
    re.I,
)
"""The same question in other words: "Do his age and local prevalence count toward increased
risk …?", "Is he in a population the USPSTF says to screen …?" (set AZ), "… does care at a
public STI clinic mean increased risk …?" (set BW: "Yes, strong" quoting the statement for
"older women who are at increased risk", unsupported)."""
_ASKS_TERMS = re.compile(
    r"\b(?:does|do|would|could)\s+(?:she|he|they|this patient|the patient|my patient|it)\s+"
    r"count\s+as\b(?!\s+(?:being\s+)?(?:at\s+)?(?:an?\s+)?(?:increased|high|higher|elevated)\s+"
    r"risk)"  # "… as at increased risk": :data:`_ASKS_BELONGING`
    r"|\b(?:does|do|would|could)\s+[^?,;]{3,60}?\bchange\s+(?:the|this|that|its|their)\s+"
    r"(?:\w+\s+){0,4}(?:recommendation|statement|guidance)\b"
    r"|\benough on (?:its|their) own\b"
    r"|\b(?:does|do|would)\s+(?:she|he|they|this patient|the patient|my patient)\s+(?:fit|meet)\b"
    r"|(?<!\bwho )\b(?:does|do|would|will)\s+(?:(?!\bwho\b)[^?]){2,120}?\bqualify\b",
    re.I,
)
"""Whether a patient meets a statement's terms, which the statement never defines: "Does he
count as an ever smoker under the USPSTF B recommendation …?", "Does her low risk change the
USPSTF A recommendation for her?", "is a single risk factor … enough on its own, and does a
50-year-old … qualify?" (set BL: "Yes" quoting each statement, unsupported), "Does he fit the
USPSTF B recommendation to start low-dose aspirin …?" of a man with a bleeding ulcer (set BR:
"Yes" from the statement for those not at increased risk for bleeding); not "who would qualify
as increased risk?", which a statement for those not at increased risk answers (set AH)."""
_ASKS_CARE = re.compile(
    r"\b(?:do|does|should|must|would)\s+(?:i|we|you|he|she|they|my \w+|our \w+)\s+"
    r"(?:(?:really|still)\s+)?(?:need\s+to\s+|have\s+to\s+)?(?:see|call|visit|go\s+to)\s+"
    r"(?:an?\s+|the\s+|my\s+|our\s+|his\s+|her\s+|their\s+)?(?:doctor|physician|gp|provider"
    r"|er\b|emergency|hospital|specialist|clinic)",
    re.I,
)


def asks_care(question: str) -> bool:
    """Whether a yes/no question asks whether to seek care ("Do I need to see a doctor for it,
    and when is chest pain an emergency?"): no source's sentence states that yes or no for the
    asker, so it is answered as when to seek care, with no verdict (set BL: "Yes" quoting "The
    chest pain also may feel like pain from a heart attack", unsupported)."""
    return bool(_ASKS_CARE.search(question))


_AT_RISK_PHRASE = r"\bat (?:an? )?(?:increased|high|higher|elevated) risk\b"
_ANY_RISK = re.compile(_AT_RISK_PHRASE, re.I)
"""A population at increased risk or not at increased risk."""
_UNDEFINED_RISK = re.compile(rf"(?<!\bnot ){_AT_RISK_PHRASE}", re.I)
"""A population "at increased risk", said without who is (unlike population's ``_AT_RISK``,
which also takes a family history or risk factors as saying it)."""


_FIGURE = r"(\d+(?:,\d{3})*(?:\.\d+)?)"
_AT_MOST = re.compile(
    rf"{_FIGURE}\s*(?:[a-zµ]+\s+)?or (?:less|lower|fewer|below)|(?:less than|lower than|fewer"
    rf" than|below|under|up to|at most|no more than|≤|<)\s*{_FIGURE}",
    re.I,
)
_AT_LEAST = re.compile(
    rf"{_FIGURE}\s*(?:[a-zµ]+\s+)?or (?:more|greater|higher|above)|(?:greater than|more than"
    rf"|higher than|above|over|at least|no less than|≥|>)\s*{_FIGURE}",
    re.I,
)


def bounds_of(text: str) -> dict[str, str]:
    """figure → "at most" or "at least", for each figure ``text`` bounds ("400 IU or less",
    "greater than 1000 mg")."""
    found: dict[str, str] = {}
    for side, pattern in (("at most", _AT_MOST), ("at least", _AT_LEAST)):
        for match in pattern.finditer(text):
            figure = (match.group(1) or match.group(2)).replace(",", "")
            found.setdefault(figure, side)
    return found


def other_side_of(asked: dict[str, str], said: dict[str, str]) -> bool:
    """Whether a sentence bounds a figure of the question the other way: "doses greater than
    400 IU of vitamin D" states nothing on "400 IU or less" (set AM: the I statement on higher
    doses was quoted for "Uncertain" above the D statement on the asked doses)."""
    return any(figure in said and said[figure] != side for figure, side in asked.items())


_PROTOCOL = re.compile(
    r"\b(?:rationale and design|study design and rationale|design and rationale|study protocol"
    r"|protocol (?:for|of) an?\b|a protocol\b)",
    re.I,
)


def reports_no_findings(title: str) -> bool:
    """Whether a paper describes a study to be done ("Rationale and design of a multi-center …
    randomised clinical trial …", "… : study protocol for a randomized controlled trial"): its
    sentences are background and plans, never a verdict's evidence (set AD: "Yes" quoting "DMPA
    is the most common contraceptive used in many countries worst affected by the HIV
    epidemic" from the ECHO trial's design paper)."""
    return bool(_PROTOCOL.search(title))


DENIED = np.array([0.0, 1.0, 0.0], dtype=np.float32)
AFFIRMED = np.array([1.0, 0.0, 0.0], dtype=np.float32)
OPEN = np.array([0.0, 0.0, 1.0], dtype=np.float32)
DENIAL_MIX = 0.3
"""A denial's stance: this much of the models' reading, the rest "contradicts" (an open answer
— "may or may not" —: the rest "neutral")."""
AFFIRM_MIX = 0.5
"""An unhedged restatement's stance: this much of the models' reading, the rest "supports"."""
HEDGED_MIX = 0.7
"""A hedged one's ("seems to be efficient", "may represent"): pushed less far toward yes."""


def _told(read: np.ndarray, told: np.ndarray, mix: float) -> np.ndarray:
    return np.asarray(mix * read + (1 - mix) * told, dtype=np.float32)


def studies_asking(question: Question, sentences: list[EvidenceSentence]) -> set[str]:
    """The documents whose title asks this very question (:func:`asks_the_same`)."""
    titles = {s.document.id: s.document.title for s in sentences}
    return {doc for doc, title in titles.items() if asks_the_same(question, title)}


def bare_studies(sentences: list[EvidenceSentence], same: set[str]) -> set[str]:
    """Of the studies that asked this very question (``same``: :func:`studies_asking`), those
    whose conclusions are not among the sentences (an abstract without them, or not
    retrieved): their results are their answer, read at ``answer.reader_verdict_own_results``."""
    return same - {s.document.id for s in sentences if concludes(s)}


def by_the_same_question(
    question: Question,
    stating: list[EvidenceSentence],
    readings: Readings,
    settings: AnswerSettings,
) -> list[EvidenceSentence]:
    """When a study that asked this very question (its title, :func:`asks_the_same`) takes a
    stance, the verdict is its answer and that of syntheses and guidelines above it only: a
    vitamin D trial on proteinuria does not make "are current K/DOQI guidelines adequate?"
    mixed."""
    same = {
        s.document.id
        for s in stating
        if asks_the_same(question, s.document.title)
        and _leans(readings.stance_of(s), settings.verdict_max_neutral)
    }
    if not same:
        return stating
    rank = max(s.document.evidence_type.rank for s in stating if s.document.id in same)
    stronger = max(rank + 1, EvidenceType.SYSTEMATIC_REVIEW.rank)  # a synthesis or a guideline
    sides = question_sides(question)
    return [
        s
        for s in stating
        if s.document.id in same
        or (s.document.evidence_type.rank >= stronger and names_every_side(s, sides))
    ]


def by_conclusions(
    stating: list[EvidenceSentence],
    readings: Readings,
    settings: AnswerSettings,
    concluding: Callable[[EvidenceSentence], bool],
) -> list[EvidenceSentence]:
    """Of a document whose conclusions take a stance, only the conclusions: the authors'
    answer to their own question outweighs a result line that leans the other way ("serum
    leptin levels were significantly lower in lung cancer" under a conclusion that leptin has
    no prognostic value)."""
    decided = {
        s.document.id
        for s in stating
        if concluding(s) and _leans(readings.stance_of(s), settings.verdict_max_neutral)
    }
    return [s for s in stating if s.document.id not in decided or concluding(s)]


CONCLUSION_LEAN = 0.2
"""P(supports) − P(contradicts), either way, that makes a conclusion the document's answer."""


def _leans(stance: np.ndarray, max_neutral: float) -> bool:
    return (
        abs(float(stance[0]) - float(stance[1])) >= CONCLUSION_LEAN
        and float(stance[2]) <= max_neutral
    )


def _weight(
    sentence: EvidenceSentence, readings: Readings, settings: AnswerSettings, concluding: bool
) -> float:
    """What a sentence weighs in the verdict: P(answers); an abstract's conclusion (or, for a
    question asking what should be done, a guideline's recommendation) that names every side
    of the relation counts at least as much as ``verdict_min_relevance`` asks."""
    answer = readings.answer_of(sentence)
    return max(answer, settings.verdict_min_relevance) if concluding else answer


_NUMBER = re.compile(r"(?<![\w.,-])\d+(?:[.,]\d+)*(?![\w-])")
_NAMED_BY_NUMBER = re.compile(
    r"\b(?:type|stage|grade|phase|class|category|level|tier|step|generation|group|arm|part"
    r"|trisomy|chromosome|factor|interleukin|il|hla|apoe|cyp\w*)[\s-]*$",
    re.I,
)


def numbers(text: str) -> frozenset[str]:
    """The figures of a text ("1 in 5 million" → {"1", "5"}; "vitamin B12", "COVID-19", "type 2
    diabetes", "stage 3" hold none: a number that is part of a name): a sentence supports a
    claim with figures only when it states the same figures."""
    return frozenset(
        m.group(0).replace(",", "")
        for m in _NUMBER.finditer(text)
        if not _NAMED_BY_NUMBER.search(text[max(0, m.start() - 16) : m.start()])
    )


def guideline_advice(
    sentences: list[EvidenceSentence], asks: bool = True
) -> dict[tuple[str, str], bool | None]:
    """The guideline sentences that recommend (True: "The USPSTF recommends the use of low-dose
    aspirin …"), recommend against (False) or find the evidence insufficient to recommend
    either (None: an I statement), by key; with ``asks`` False (the question does not ask
    what should be done: "Is there evidence that screening … is beneficial?") only the last."""
    advised: dict[tuple[str, str], bool | None] = {}
    for sentence in sentences:
        if not advises(sentence):
            continue
        if leaves_open(sentence.text):
            advised[sentence.key] = None
        elif asks:
            advised[sentence.key] = recommendation(sentence.text)
    return advised


def leaves_advice_open(sentence: EvidenceSentence) -> bool:
    """A guideline's sentence that recommends neither for nor against (:func:`leaves_open`):
    an Uncertain verdict quotes it."""
    return sentence.document.evidence_type is EvidenceType.GUIDELINE and leaves_open(sentence.text)


def by_guidelines(
    question: Question,
    stating: list[EvidenceSentence],
    advised: dict[tuple[str, str], bool | None],
) -> list[EvidenceSentence]:
    """When a guideline's recommendation states the asked relation, the verdict is the
    guideline's: of the one whose title names the question's population best ("… -- Men aged
    65 to 75 years who have never smoked" for a question on men who never smoked), not a
    study's aside (set AA: "Should I order a carotid duplex ultrasound to screen asymptomatic
    adults …?" got "Yes" from an MR angiography study over the USPSTF's "recommends
    against")."""
    stating = [
        s
        for s in stating
        if s.document.evidence_type is not EvidenceType.GUIDELINE
        or not speaks_of_others(question.text, s.document.title, s.text)
    ]  # the statement for men is no answer for a woman (set AB), nor is the rest of its record
    # (set AC: the pregnant persons' culture threshold made a 70-year-old's answer "Uncertain")
    guided = [s for s in stating if s.key in advised]
    return best_fitting(question, guided)[1] if guided else stating


def split_advice(
    stating: list[EvidenceSentence], advised: dict[tuple[str, str], bool | None]
) -> bool:
    """Whether guidelines that fit the question alike advise differently: "recommends
    screening … after 24 weeks of gestation" and "the evidence is insufficient … before 24
    weeks" for a question that names neither. The verdict is then open."""
    views: dict[str, set[bool | None]] = {}
    for s in stating:
        if s.key in advised:
            views.setdefault(s.document.id, set()).add(advised[s.key])
    return len(views) > 1 and len(set().union(*views.values())) > 1


def not_stated(
    question: Question, sentences: list[EvidenceSentence]
) -> tuple[Decision, list[EvidenceSentence]]:
    """Sources discuss the subject, none states the asked relation: not enough evidence, and
    the reason says how many sources discuss what. "Uncertain" would claim the evidence is
    open; these sources never address the question (review set T: all six such answers judged
    unsupported). The sources counted are those whose sentences name the subject (three
    nicotine replacement trials do not "discuss hormone replacement"); when none does, those
    that speak to other parts of the question, and the reason says so."""
    speaking = [s for s in sentences if s.speaks_to_question]
    subject = question.subject or (question.concepts[0] if question.concepts else "the subject")
    lowered = subject.lower()
    its_names = {c for c in question.concepts if c in lowered} or set(question.concepts[:1])
    naming = [s for s in speaking if its_names & set(s.mentions)]
    n = len(one_per_document(naming or speaking))
    if not naming:
        subject = "parts of this question"
    told = (
        ""
        if n == 0
        else f"1 source in the corpus discusses {subject}, but it does not state an answer to "
        "this question"
        if n == 1
        else f"{n} sources in the corpus discuss {subject}, but none of them states an answer "
        "to this question"
    )
    return Decision(Verdict.INSUFFICIENT, None, EvidenceMeter(0, 0, 0), told), []
