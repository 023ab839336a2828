"""The read stage: the reader (:mod:`medcite.reader`) reads the question with each candidate
evidence sentence and says whether it answers, and for a yes/no question which way it leans.
Sections ask their own sub-question ("How is <topic> treated?") of the sentences that might fill
them, so an item answers its section's question, not only shares its words.

Everything later — the bottom line, the verdict, the items — is chosen from these readings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from medcite.answer.abbreviations import defined
from medcite.answer.denial import (
    BODY_NAMED,
    GUIDELINE_BODY,
    asks_advice,
    leaves_open,
    names_body,
    recommendation,
)
from medcite.answer.drugs import drugs_asked
from medcite.answer.interval import asks_interval
from medcite.answer.model import Question
from medcite.answer.named_guideline import (
    asked_words,
    named_documents,
    recommends_here,
    suggests,
    weighed,
)
from medcite.answer.parts import PartReading
from medcite.answer.plan import FOLLOW_UP_TEMPLATES, SectionKey, need_for
from medcite.answer.population import POPULATION_MARK, ages, agreeing, speaks_of_others
from medcite.answer.question import (
    ASKS_AGAIN,
    CARE_SETTINGS,
    POINTING,
    REFERENCE,
    THING_NOUNS,
    UNTREATED,
    WHAT_IS_NAMED,
    asked_clause,
    asking_sentences,
    first_ask,
    names_test,
    questions_in,
    story_diagnosis,
    without_source_names,
)
from medcite.answer.sentences import (
    GENERIC_WORDS,
    EvidenceSentence,
    concept_forms,
    identifiers,
    named_in,
    stands_alone,
    stands_alone_in_page,
    stem,
)
from medcite.answer.treating import says_treat
from medcite.ingest.phenotype import ToldSigns, told_signs
from medcite.reader.model import Reader
from medcite.records import Document, EvidenceType
from medcite.settings import AnswerSettings
from medcite.text import (
    STATE_WORDS,
    STOPWORDS,
    jaccard,
    medical_form,
    normalise_term,
    noun_forms,
    split_sentences,
    tokens,
)

NEUTRAL_STANCE = np.array([0.0, 0.0, 1.0], dtype=np.float32)


@dataclass
class Readings:
    """What the reader said: per sentence (by key) for the question, and per (section,
    sentence) for the sections' sub-questions (filled lazily, shared by every audience)."""

    answers: dict[tuple[str, str], float] = field(default_factory=dict)
    stance: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    sections: dict[tuple[SectionKey, tuple[str, str]], float] = field(default_factory=dict)
    off_focus: set[tuple[str, str]] = field(default_factory=set)  # neither it nor its source
    # names what the question is about
    unstated: set[tuple[str, str]] = field(default_factory=set)  # yes/no: misses a side
    focus: frozenset[str] = frozenset()  # the question phrases that name what it is about
    weighed: set[tuple[str, str]] = field(default_factory=set)  # yes/no: in the verdict
    blended: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # with the cues
    sides: tuple[frozenset[str], ...] = ()  # the question's other sides: "serotonin syndrome"
    # of "Which SSRI has the highest incidence of serotonin syndrome?"
    need: SectionKey | None = None  # the section a non-yes/no question asks for
    topical: bool = False  # the one recommendation of a guideline matched by every word of its
    # topic (:func:`topic_named`), not by the Jaccard fit
    advice: frozenset[tuple[str, str]] = frozenset()  # the recommendations of the guideline
    # for the asked population, when the question asks what should be done
    named: frozenset[str] = frozenset()  # the guideline(s) a question names by who wrote it
    # and on what (:mod:`medcite.answer.named_guideline`), when its recommendations are advice
    asking: str | None = None  # a story's question sentence, its pronoun named: "Is
    # pseudocholinesterase deficiency inherited, …?" of "… Is it inherited, …?"
    pages: dict[str, float] = field(default_factory=dict)  # passage id → P(a consumer page
    # of the asked kind answers), its best opening sentence read in its page: :func:`page_text`
    read_pages: Callable[[], dict[str, float]] | None = None  # fills ``pages`` when first
    # asked: only a page no sentence of which answers alone needs it (the reader's time)
    kind: str | None = None  # the kind of consumer page asked for (:func:`asked_kind`)
    aliases: tuple[str, ...] = ()  # the asked name's other names in the vocabulary, its
    # kind's page may be titled with ("hypotension" of "low blood pressure")
    parts: tuple[PartReading, ...] = ()  # a compound question's later parts, each read alone

    def answer_of(self, sentence: EvidenceSentence) -> float:
        """P(it answers the question); 0 for a sentence about something else."""
        if sentence.key in self.off_focus:
            return 0.0
        return self.answers.get(sentence.key, 0.0)

    def page_of(self, sentence: EvidenceSentence) -> float:
        """P(its page answers: its best opening sentence read in the page); only for pages of
        the asked kind."""
        if sentence.key in self.off_focus:
            return 0.0
        if self.read_pages is not None:
            self.pages, self.read_pages = self.read_pages(), None
        return self.pages.get(sentence.passage.id, 0.0)

    def states_relation(self, sentence: EvidenceSentence) -> bool:
        """For a yes/no question: it (or its source) names every side of the asked relation."""
        return sentence.key not in self.unstated and sentence.key not in self.off_focus

    def stance_of(self, sentence: EvidenceSentence) -> np.ndarray:
        """The reader's stance, or its mean with the stance model's once the verdict read it."""
        if sentence.key in self.blended:
            return self.blended[sentence.key]
        return self.stance.get(sentence.key, NEUTRAL_STANCE)


def topic_of(question: Question) -> str:
    """What the question is about, for its sections' sub-questions: the subject of "Can X
    cause Y?", else its first key phrase."""
    return question.subject or (question.concepts[0] if question.concepts else question.text)


POPULATIONS = frozenset(
    {
        "children", "child", "kids", "infants", "infant", "newborns", "neonates", "adolescents",
        "teenagers", "adults", "adult", "women", "woman", "men", "man", "patients", "patient",
        "people", "elderly", "older", "pregnant", "pregnancy", "asymptomatic", "healthy",
        "nonpregnant", "postpartum", "postmenopausal", "smoked", "community-dwelling",
        "worker", "workers", "injured", "employee", "employees", "veteran", "veterans",
        "widower", "widow", "athlete", "athletes",
    }
)  # fmt: skip
# "injured worker" is who (set AG: it was the focus of a question on shoulder dislocation)


def concept_groups(question: Question) -> list[list[str]]:
    """The question's key phrases grouped by what they name ("zinc supplementation", "zinc",
    "supplementation" are one side; "diarrhoea" another), most specific first; who it is about
    ("children", "children aged 6") is not a side. A long story's later phrases are left out
    unless its question sentence names them ("… checking his carotids for stenosis?")."""
    groups: list[list[str]] = []
    asking = normalise_term(_only_question(question) or "")
    later = [c for c in question.concepts[6:] if asking and c in asking]  # the question's own
    for concept in [*question.concepts[:6], *later]:
        if not re.search(r"[a-z]", concept):
            continue  # "1" of "1- and 2-year-olds" is an age
        concept = _without_instrument(concept)
        words = set(concept.split())
        if words <= _INSTRUMENTS:
            continue  # "questionnaire" alone names no side
        if (len(words) == 1 and stem(concept) in GENERIC_WORDS) or _is_setting(concept):
            continue  # "serum" does not name "serum leptin levels"; "primary care" is where
        for group in groups:
            if words <= set(" ".join(group).split()):
                group.append(concept)
                break
        else:
            if not _names_people(words):
                groups.append([concept])
    return groups


def set_aside(question: Question) -> set[str]:
    """The key phrases a question sets aside ("Besides short stature and short fingers, can it
    affect her teeth, eyes or thinking?", "other than …", "apart from …"): known already, they
    are no side of the asked relation (set BZ: a sentence had to name short stature too, and it
    abstained though the symptoms page lists cataract, cognitive impairment and delayed
    eruption of teeth). They may still say what the question is on ("… for ADHD besides
    medication?")."""
    said = " | ".join(normalise_term(m.group()) for m in _ASIDE.finditer(question.text))
    return {c for c in question.concepts if said and f" {c} " in f" {said} "}


_ASIDE = re.compile(
    r"\b(?:besides|apart from|aside from|other than|except(?: for)?)\s+[^,;?.]+", re.I
)


_INSTRUMENTS = frozenset(
    ["questionnaire", "questionnaires", "tool", "tools", "instrument", "instruments", "scale"]
)


def _without_instrument(concept: str) -> str:
    """What a named instrument measures: screening "with a depression questionnaire" is
    screening for depression (set AE: the USPSTF's statements on depression screening never say
    "questionnaire")."""
    words = concept.split()
    return " ".join(words[:-1]) if len(words) > 1 and words[-1] in _INSTRUMENTS else concept


def _is_setting(concept: str) -> bool:
    """Where or when, not what: "primary care", "her first prenatal visit" (set AD: the
    USPSTF's I statement on lead screening in pregnancy never says "first prenatal visit"); who
    works there: "primary care clinicians" (set AP: the focus of a question on fluoride varnish)."""
    words = concept.split()
    if len(words) > 1 and words[-1] in _CARERS:
        concept = " ".join(words[:-1])
    return concept in CARE_SETTINGS or any(concept.endswith(f" {c}") for c in CARE_SETTINGS)


_CARERS = frozenset(
    ["clinicians", "clinician", "providers", "provider", "physicians", "physician", "doctors",
     "doctor", "practitioners", "practitioner", "nurses", "nurse", "teams", "team", "staff"]
)  # fmt: skip


_AGES = frozenset(
    {"aged", "age", "ages", "years", "year", "months", "month", "old", "younger", "under", "over"}
)


def _names_people(words: set[str]) -> bool:
    """Whether a phrase says who, not what: "children", "children aged 6" (set AA: the USPSTF
    statement on "children ages 6 to 24 months" did not state the relation for want of it)."""
    rest = _beyond_ages(words)
    return bool(rest) and rest <= POPULATIONS


def _beyond_ages(words: set[str]) -> set[str]:
    """A phrase's words that are no age: no number, no "aged", "years" or "older"."""
    return {w for w in words - _AGES if not w.isdigit()}


def focus_group(
    question: Question,
    groups: list[list[str]],
    named: list[set[str]] | None = None,
    titled: dict[str, int] | None = None,
    paged: frozenset[str] = frozenset(),
) -> list[str] | None:
    """The side the question is about: the group holding X of "Can X cause Y?", else the one
    the most candidate sources are titled after (``titled``: documents per phrase; "lactose
    intolerance", not "sweet acidophilus milk", of "If you have lactose intolerance, is it okay
    to drink … sweet acidophilus milk?"), else the first; only its most specific phrase and
    those of its phrases that are not a lone word and keep its identifiers ("vitamin A
    deficiency" is not named by "vitamin", "common cold" not by "cold"; the source's own words
    still count, see
    :func:`read_question`). With ``named`` (what each candidate sentence and its source name), a
    side that none of them names is passed over for the next. A story's question sentence that
    names a thing a consumer page is on (``paged``) puts the story's things after its own."""
    subject = (question.subject or "").lower()
    titles = titled or {}
    advice = question.yes_no and asks_advice(question.text)  # its guideline's sides
    methods = _methods(question.text)

    def done(group: list[str]) -> bool:  # "screening" is done for the focus, not the focus;
        return is_service(group[0]) or bool(set(group) & methods)  # nor is its method

    by_pronoun = _asks_of_the_story(question, groups)  # "… What does that mean?"
    story: list[int] = []  # the groups the question sentence names, when they go first
    if advice:
        story = [id(g) for g in asked_groups(question, groups)]
        if not any(id(g) in story and not done(g) for g in groups):
            story = []  # "… whose brother had an AAA repair. Should I screen her with an
            # abdominal ultrasound?" asks only how: what is screened for is the story's (set AJ)
    elif not question.yes_no:  # "… what are the symptoms of chikungunya?" (set AL)
        story = (
            _paged_in_question(question, groups, paged)
            or _drug_asked(question, groups)
            or _defined_in_question(question, groups)
            or _suspected_in_question(question, groups)
            or _condition_in_question(question, groups)
        )
    screened = _screened_for(question.text) if advice else _evaluated_for(question.text)
    last = _said_last(question, groups) if by_pronoun else None

    def order(
        item: tuple[int, list[str]],
    ) -> tuple[bool, bool, bool, bool, bool, bool, bool, int, int]:
        index, group = item
        target = bool(screened) and any(c in screened for c in group)
        asked = bool(subject) and any(c in subject or subject in c for c in group)
        told = bool(story) and id(group) not in story  # the story's, not the question's
        said_of = set(group) <= PREDICATES  # "Is it genetic?": what is said of the focus
        return (
            not target,
            not asked,
            all(denied(question.text, c) for c in group),
            told,
            said_of or done(group),
            not (by_pronoun and names_condition(group[0])),
            group is not last,  # "… a tumor in her pancreas called a glucagonoma. What is that?"
            -max(titles.get(c, 0) for c in group),
            index,
        )

    ordered = [group for _, group in sorted(enumerate(groups), key=order)]
    asked = f" {normalise_term(' | '.join(questions_in(question.text)) or question.text)} "
    whole = frozenset(c for c in paged if f" {c} " in asked)  # paged and asked, not told
    chosen = [_asked_member(question, group) or _focus_of(group, whole) for group in ordered]
    if ordered and not advice and screened and any(c in screened for c in ordered[0]):
        return chosen[0]  # what is looked for is the focus, named by a source or not
    if named is not None:
        for group, focus in zip(ordered, chosen, strict=True):
            if any(set(focus) & n for n in named):
                return focus
            staged = _staged(group)
            if staged and any(staged in n for n in named):
                return [*focus, staged]
    return chosen[0] if chosen else None


def _staged(group: list[str]) -> str | None:
    """The thing a group's name gives a stage or course of, when the group holds it:
    "syphilis" of "primary syphilis", "peritonitis" of "secondary peritonitis". No source said
    "primary syphilis", and a story's question "… a painless sore on my penis … What are the
    symptoms of primary syphilis?" was read as on the penis (set BO abstained, while
    MedlinePlus says "The early stage of syphilis usually causes a single, small, painless
    sore")."""
    stage, _, thing = group[0].partition(" ")
    if numbered := _NUMBERED_STAGE.match(group[0]):  # "stage 2 hodgkin lymphoma": no source
        thing = numbered.group(1)  # says it, and set BE's "… can the treatment cause problems
        return thing if thing in group[1:] else None  # later in life?" was read on those
    return thing if stage in _STAGES and thing in group[1:] else None


_NUMBERED_STAGE = re.compile(r"^stage (?:[0-4]|i{1,3}|iv)[abc]? (.+)$")


_STAGES = frozenset({"primary", "secondary", "tertiary", "acute", "chronic", "early", "late"})


def _asked_member(question: Question, group: list[str]) -> list[str]:
    """The name of ``group`` a story's question sentences say, when they do not say its most
    specific one: "… the doctors think it is sialidosis type II. What is sialidosis, and how is
    it different from the milder type I?" asks what sialidosis is (set BH abstained: read as on
    type II, which no page is on), when the story's adds only a type (:data:`_SUBTYPE`);
    empty otherwise."""
    questions = _story_questions(question)
    if not questions or len(group) < 2:
        return []
    said = f" {normalise_term(' | '.join(questions))} "
    if f" {normalise_term(group[0])} " in said:
        return []
    return [
        p
        for p in group[1:]
        if f" {normalise_term(p)} " in said and _SUBTYPE.match(group[0].removeprefix(p + " "))
    ][:1]


_SUBTYPE = re.compile(r"^(?:type|form|variant|subtype|class|stage|grade)\s+\w+$")
"""What a story's name adds to the one its question says when it names a kind of it ("type
ii" of "sialidosis type ii"): other words ("recurrent right shoulder pain") tell the story."""


def denied(text: str, phrase: str) -> bool:
    """Whether a question says its patient has not got a thing ("No history of diabetes.",
    "without diabetes"): what she has not got is not what is asked about (set AQ: "Why is
    she hypoglycemic? No history of diabetes. …" was read as a question on diabetes)."""
    return re.search(_DENIED.format(re.escape(phrase)), text, re.I) is not None


_DENIED = (
    r"\b(?:no|without|denies|never had)\s+(?:(?:prior|previous|known|personal|past)\s+)?"
    r"(?:(?:history|hx) of\s+)?{}\b"
)


def _paged_in_question(
    question: Question, groups: list[list[str]], paged: frozenset[str]
) -> list[int]:
    """The groups a story's question sentence names (as ids), when one of them is the topic of
    a consumer page (``paged``: :func:`pages_on`): "just got back from the caribbean with a
    fever … what are the symptoms of chikungunya?" is about chikungunya, not the story's fever,
    which more sources are titled with (set AL abstained). None when the question sentence
    names no such thing: "What are the warning signs that it's no longer safe for him to
    drive?" is about the story's early Alzheimer's, "What symptoms does this kind of tumor
    cause?" about its gangliocytoma."""
    spoken = asked_groups(question, groups)
    if len(spoken) == len(groups) or not any(set(g) & paged for g in spoken):
        return []
    return [id(g) for g in spoken]


def _drug_asked(question: Question, groups: list[list[str]]) -> list[int]:
    """The groups (as ids) a story's drug question asks of (:func:`drugs_asked`): "… I have
    high blood pressure. What is lorcaserin prescribed for, and who is it meant for?" is about
    lorcaserin, not the story's high blood pressure (set BK answered with its treatments)."""
    asked = " | ".join(
        normalise_term(drug) for q in _story_questions(question) for drug in drugs_asked(q)
    )
    if not asked:
        return []
    return [id(g) for g in groups if any(f" {normalise_term(p)} " in f" {asked} " for p in g)]


def _defined_in_question(question: Question, groups: list[list[str]]) -> list[int]:
    """The groups (as ids) a story's "What is X?" names, when it names not all of them: "My
    diabetic foot wound hasn't healed … my doctor suggested hyperbaric oxygen therapy. What is
    hyperbaric oxygen therapy?" is about the therapy (set BQ: the story's diabetic foot, which
    has a consumer page, was the focus, and it abstained)."""
    return _named_groups(groups, _asked_by(question, _WHAT_IS_NAMED))


def _asked_by(question: Question, pattern: re.Pattern[str]) -> str:
    """What the story's question sentences that ``pattern`` matches name (its first group),
    normalised and joined by " | ", or ""."""
    return " | ".join(
        normalise_term(m.group(1))
        for q in _story_questions(question)
        if (m := pattern.match(q.strip()))
    )


def _named_groups(
    groups: list[list[str]], named: str, keep: Callable[[str], bool] = lambda _: True
) -> list[int]:
    """The groups (as ids) with a phrase ``named`` says (and ``keep`` keeps), when they are not
    all of them; none when ``named`` is empty."""
    said = f" {named} "
    spoken = [id(g) for g in groups if named and any(f" {p} " in said and keep(p) for p in g)]
    return spoken if len(spoken) < len(groups) else []


_WHAT_IS_NAMED = re.compile(rf"{WHAT_IS_NAMED}([^?,;]+?)\s*\?*$", re.I)


def _suspected_in_question(question: Question, groups: list[list[str]]) -> list[int]:
    """The groups (as ids) a story's "Could this be X?" names, when it names not all of them:
    "My knee suddenly got hot, swollen and very painful, and I have a fever. Could this be
    septic arthritis, and what are its symptoms?" asks of septic arthritis (set BZ: the story's
    fever, which more sources are titled with, was the focus, and it abstained while
    MedlinePlus lists the symptoms of infectious arthritis)."""
    return _named_groups(groups, _asked_by(question, _SUSPECTED), lambda p: _a_thing(question, p))


def _condition_in_question(question: Question, groups: list[list[str]]) -> list[int]:
    """The groups (as ids) a story's only question sentence names by a condition's name
    (:func:`_names_a_condition`), when it names not all of them: "… she was hypothyroid
    (thyroid stimulating hormone 400, T4 0, T3 0). What happened to her thyroid, why did she get
    hypothyroid?" asks of hypothyroidism (set BZ: the story's skin, which more sources are
    titled with, was the focus, and Graves' disease answered)."""
    asking = _only_question(question)
    return _named_groups(
        groups,
        normalise_term(asking) if asking else "",
        lambda p: p in question.known and _names_a_condition(p),
    )


def _names_a_condition(phrase: str) -> bool:
    """Whether a phrase names a condition by its head ("sertoli cell-only syndrome"), by a
    condition's ending ("epicondylitis"), or is a patient's adjective for one ("hypothyroid",
    "anemic")."""
    last = phrase.split()[-1]
    return names_condition(phrase) or medical_form(last) or bool(noun_forms(phrase))


def _a_thing(question: Question, phrase: str) -> bool:
    """Whether a phrase the vocabulary knows names a thing, not what is said of one: "septic
    arthritis", not the "cured" of "Can it be cured?"."""
    return (
        phrase in question.known
        and phrase not in PREDICATES
        and not (" " not in phrase and phrase.endswith("ed"))
    )


_SUSPECTED = re.compile(
    r"(?:so |and )?(?:could|can|might|may|would|is|are)\s+(?:this|it|that|these|those|they)"
    r"\s+(?:be|mean|indicate|signal)\s+(?:a sign of\s+|signs of\s+)?(?:an?\s+|the\s+)?"
    r"([^?,;]+)",
    re.I,
)
"""A question sentence asking whether a story is a thing it names: "Could this be septic
arthritis …?", "Is it a sign of diabetes?"."""


_METHOD = re.compile(
    r"\b(?:screen|test|check|examine|evaluate|image)\w*\s+(?:(?:her|him|them|it|patients)\s+)?"
    r"(?:with|using|by)\s+(?:an?\s+|the\s+)?([^?.,;]+)",
    re.I,
)  # not "screening start in children with sickle cell anemia": who, not how


def _methods(text: str) -> set[str]:
    """The phrases of a question's method of testing: "abdominal ultrasound" of "Should I
    screen her with an abdominal ultrasound?" (set AJ: it was the focus, and the USPSTF's AAA
    statements, which say "ultrasonography", were off it)."""
    found = _METHOD.search(text)
    if not found:
        return set()
    words = tokens(found.group(1))
    return {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


_SCREENED_FOR = re.compile(r"\bscreen\w*\b(?:\s+[\w-]+){0,4}?\s+for\s+([^?.,;]+)", re.I)


_SCREENS = re.compile(
    r"\bscreen(?:s|ings?|ers?)?\b|\bscreened\b(?!\s+(?:negative|positive|normal|clear))", re.I
)
"""A question on screening is answered by a guideline's recommendation on screening, not by its
others (set AF: the fluoride varnish "B" beside the dental caries screening exam's "I"); a test
that "screened negative" is the story (set AG: newborn eye prophylaxis "even if the mother
screened negative")."""


def _screened_for(text: str) -> str:
    """What a question on screening screens for, normalised ("" when it names none): "Is
    listening for carotid bruits … a worthwhile way to screen asymptomatic adults for carotid
    stenosis?" is about carotid stenosis, not the way (set AF: the USPSTF's "recommends against
    screening for asymptomatic carotid artery stenosis" was off the focus "carotid bruits")."""
    return _sought(_SCREENED_FOR, text)


def _sought(pattern: re.Pattern[str], text: str) -> str:
    """What ``pattern``'s first group says is looked for, normalised ("" when it matches not)."""
    found = pattern.search(text)
    return normalise_term(found.group(1)) if found else ""


_EVALUATED_FOR = re.compile(
    r"\b(?:evaluat\w*|assess\w*|work(?:ing|ed)? (?:\w+ )?up|examin\w*|check\w*|test\w*)\b"
    r"(?:\s+(?!positive\b|negative\b)[\w-]+){0,3}?\s+for\s+(?:an? |the )?([^?.,;]+)",
    re.I,
)  # "tested positive for a BRCA2 mutation" is the story's finding, not what is looked for
# (set AZ: the mutation was the focus of "What is BRCA2 hereditary breast and ovarian cancer
# syndrome? My sister just tested positive for a BRCA2 mutation.")


def _evaluated_for(text: str) -> str:
    """What a question asks how to look for, normalised ("" when it names none): "how to
    evaluate this kid for a subgaleal hematoma. Head ultrasound? Computerized tomography?" is
    about the hematoma, not the tests it lists (set AN: a hemochromatosis page's "ultrasound,
    computerized tomography scans … to guide the needle" answered it)."""
    return _sought(_EVALUATED_FOR, text)


PREDICATES = frozenset(
    {"genetic", "hereditary", "inherited", "contagious", "infectious", "dangerous", "serious",
     "curable", "common", "rare", "normal", "safe", "fatal", "painful", "inherit", "inherits",
     "carrier", "carriers"}
)  # fmt: skip
"""What a question says of its focus, never the focus itself (set AE: "… Muir-Torre syndrome.
Is it genetic …?" was read about "genetic", which more candidate pages are titled with)."""


SERVICES = frozenset(
    {"screening", "screen", "counseling", "counselling", "testing", "test", "tests",
     "treatment", "treatments", "therapy", "intervention", "interventions", "prevention",
     "management", "visit", "visits", "follow-up", "monitoring", "surgery", "surgeries",
     "operation", "medication", "medications", "medicine", "medicines"}
)  # fmt: skip
"""What is done about a thing, never the thing itself (set AJ: "Which women should I be
screening for intimate partner violence …?" was read about "screening", which every record of
the cervical cancer statement is titled with, and its interval answered)."""


_CONDITION_HEADS = frozenset(
    {"syndrome", "disease", "disorder", "deficiency", "cancer", "tumor", "tumour", "infection",
     "anemia", "anaemia", "dysplasia", "dystrophy", "palsy", "atresia", "carcinoma", "sarcoma"}
)  # fmt: skip


def names_condition(phrase: str) -> bool:
    """Whether a phrase of two words or more names a condition by its head: "Sertoli cell-only
    syndrome", "biliary atresia". A story asked of by pronoun is about the condition it names
    (set AB: "My husband's semen test showed no sperm and his biopsy says Sertoli cell-only
    syndrome. What does that mean …?" was read about "semen", which more sources are titled
    with); a question that names its things is not (preferring conditions everywhere read
    "Which tool … measure depression severity … in major depressive disorder?" about the
    disorder and lost its PHQ-9 answer)."""
    words = phrase.split()
    return len(words) > 1 and (words[-1] in _CONDITION_HEADS or medical_form(words[-1]))


_SERVICE_WORDS = frozenset(
    {"age", "ages", "interval", "intervals", "schedule", "program", "programs", "routine",
     "regular", "annual", "repeat", "usual"}
)  # fmt: skip


def is_service(phrase: str) -> bool:
    """Whether a phrase names what is done, to whom or when, not a thing: "screening",
    "screening adults", "usual screening age" (set AK: each was the focus of a question on
    gonorrhea or drug use screening, and every statement on them was off it)."""
    words = set(phrase.split())
    return bool(words & SERVICES) and words <= SERVICES | POPULATIONS | _SERVICE_WORDS


def titled_after(sentences: list[EvidenceSentence]) -> dict[str, int]:
    """How many of the sentences' documents each question concept names in its title."""
    titles = {s.document.id: s.document.title for s in sentences}
    counts = dict.fromkeys(sorted({c for s in sentences for c in s.mentions}), 0)
    forms = concept_forms({c: () for c in counts})
    for title in titles.values():
        for concept in named_in(title, forms):
            counts[concept] += 1
    return counts


def _focus_of(group: list[str], paged: frozenset[str] = frozenset()) -> list[str]:
    needed = identifiers(group[0])
    focus = [
        c
        for c in group
        if c == group[0] or (" " in c and needed <= identifiers(c))  # "cold" is not "common cold"
    ]
    inner = [c for c in focus[1:] if group[0].startswith(c + " ") or group[0].endswith(" " + c)]
    # "ovarian cysts recur" is named by "cysts that recur", "manage atrial flutter" by "manage
    # … AF": the noun phrase it starts or ends with must be
    *how, thing = group[0].split()
    if how and set(how) <= _REGIMEN_WORDS and thing in group:
        return [*focus, thing]  # "daily low-dose aspirin" is aspirin taken so
    if len(how) >= 2 and how[0] in _REGIMEN_WORDS and " ".join(how[1:]) in group:
        return [*focus, " ".join(how[1:])]  # "formal autism screening" is of autism (set AN)
    *part, trouble = group[0].split()
    if part and trouble in _TROUBLES and " ".join(part) in group:
        return [*focus, " ".join(part)]  # "vision problems" are named by "vision screening"
    if names_test(group[0].split()):
        return focus  # "liver function tests" are not named by "liver function" alone
    if group[0] in paged and " of " in group[0]:  # a page is on the whole name the question
        return focus  # sentence asks of, a thing of a part: "agenesis of the corpus callosum"
    # is not the corpus callosum (set BJ abstained on its pages); "squamous cell carcinomas"
    # still reads as before (sets X, BJ: holding every paged name whole led with sentences
    # that name it but answer less), and so does a story's "paget's disease of bone" (set AO)
    return inner if len(group[0].split()) >= 3 and inner else focus


_TROUBLES = frozenset(
    ["problems", "problem", "issues", "trouble", "troubles", "difficulties", "repair"]
)
"""Words that say something is wrong with a part, or mended, not which thing: the USPSTF's
"recommends vision screening … to detect amblyopia" is on "vision problems" (set AJ: it was off
the focus, and the question on photoscreening at 18 months abstained), its AAA statements on a
brother's "AAA repair"."""

_REGIMEN_WORDS = frozenset(
    {"daily", "low-dose", "high-dose", "weekly", "monthly", "nightly", "oral", "topical",
     "regular", "routine", "long-term", "short-term", "baby", "prophylactic", "preventive",
     "formal", "standardized", "validated", "universal"}
)  # fmt: skip
"""Words that say how a thing is taken, not which thing: a focus "daily low-dose aspirin" is
named by the USPSTF's "initiating aspirin use …" (set AI: its I statement for adults younger
than 50 was off the focus, and "Does the USPSTF support starting aspirin before age 50?"
abstained)."""


_KIND_WORDS = frozenset(
    {"acute", "chronic", "severe", "mild", "moderate", "primary", "secondary", "early", "late"}
)
_KIND_SUFFIXES = ("ive", "al", "ic", "ous", "ary", "ile", "oid", "ed", "ing")


def genus_forms(focus: list[str]) -> dict[str, list[set[str]]]:
    """The kind a focus of three or more words is one of, when its first word only tells which
    kind ("obstructive sleep apnea" → "sleep apnea", "acute myocardial infarction" →
    "myocardial infarction"): a page titled with the kind answers for it. A first word that is
    a noun names another thing ("hand foot and mouth disease" is not "foot and mouth
    disease"); a two-word focus has a kind only when its first word is a state of the thing
    ("asymptomatic gallstones" are gallstones: set Z), not a part or a form ("pyloric stenosis"
    is not "stenosis")."""
    first, *rest = focus[0].split() if focus else [""]
    if len(rest) >= 2 and (first in _KIND_WORDS or first.endswith(_KIND_SUFFIXES)):
        return concept_forms({" ".join(rest): ()})
    if len(rest) == 1 and first in STATE_WORDS and rest[0] not in STOPWORDS:
        return concept_forms({rest[0]: ()})
    return {}


def _page_states(
    sentence: EvidenceSentence,
    sides: list[list[str]],
    ends: tuple[list[list[str]], ...],
    titled: dict[str, frozenset[str]],
) -> bool:
    """A consumer-health page's sentence states the asked relation only with its page's title,
    not with what the rest of the page names: "Hereditary fructose intolerance is … inherited"
    on a chronic-diarrhoea page does not say ulcerative colitis is hereditary, nor "Heart
    failure does not mean that your heart has stopped" that a heart attack is no risk (set AE:
    a "Yes" and a "No" from them); "This condition is inherited …" under "Is X inherited?"
    does say it of X. Other sources are read as before. ``titled``: what each consumer page's
    title names (:func:`_titles_of`)."""
    if sentence.document.evidence_type is not EvidenceType.CONSUMER_HEALTH:
        return True
    own = set(sentence.mentions) | titled[sentence.document.id]
    return names_relation(own, sides, ends, every=2)


def _guideline_sides(
    sides: list[list[str]],
    focus: list[str] | None,
    titled: frozenset[str] | None,
    screening: bool = False,
) -> list[list[str]]:
    """The sides a guideline's recommendation must name for a question on what should be done:
    those its title names, when its title names the focus: a guideline on screening for carotid
    stenosis answers whether listening for bruits is a worthwhile screen, one on screening men for
    osteoporosis whether to order a DEXA scan (set AF: the method asked was a side the
    statements never name). Else, or when the title names no side beside the focus (a sickle
    cell guideline's testing schedule is no answer on transfusing before surgery), every
    side. A screening guideline on the focus answers a question on routinely testing for it
    whatever the test (``screening``: :func:`screens`)."""
    if not titled or not focus or not titled & set(focus):
        return sides
    named = [g for g in sides if titled & set(g) or set(g) & set(focus)]
    enough = 1 if screening else 2  # else the focus alone is not what is asked of it
    return named if len(named) >= enough else sides


_TESTING = re.compile(
    r"\b(?:screen\w*|routine(?:ly)?|(?:look|looking|check|checking|test|testing) for)\b", re.I
)
"""A question on testing people who have no complaint: "Is there any benefit to sending routine
urine cultures to look for asymptomatic bacteriuria?" (set AG)."""

_SCREENING_TITLE = re.compile(r":\s*screening\b", re.I)


def screens(sentence: EvidenceSentence, testing: bool) -> bool:
    """Whether a question on testing (``testing``: :data:`_TESTING`) is answered by this
    guideline's statement on screening: its title says it is one ("…: Screening -- …")."""
    return testing and bool(_SCREENING_TITLE.search(sentence.document.title))


def _titles_of(
    kind: EvidenceType, sentences: list[EvidenceSentence], concepts: list[str]
) -> dict[str, frozenset[str]]:
    """Document id → which of ``concepts`` its title names, for the sources of one ``kind``
    (consumer pages, guidelines), read once per document."""
    forms = concept_forms({c: () for c in concepts})
    titles = {
        s.document.id: s.document.title for s in sentences if s.document.evidence_type is kind
    }
    return {doc: named_in(title, forms) for doc, title in titles.items()}


def titles_the_kind(title: str, focus: list[str], kinds: dict[str, list[set[str]]]) -> bool:
    """Whether ``title`` names the kind of :func:`genus_forms` itself, not a sibling of the
    focus: "Sleep apnea" covers obstructive sleep apnea, "Work-related carpal tunnel syndrome"
    does not cover tarsal tunnel syndrome (set AD: the carpal tunnel guideline answered a
    question on tarsal tunnel syndrome)."""
    if not kinds or not focus or not named_in(title, kinds):
        return False
    first = focus[0].split()[0]
    genus = [stem(w) for w in next(iter(kinds)).split()]
    words = [w for w in tokens(title) if w not in STOPWORDS]
    for i in range(len(words) - len(genus) + 1):
        if [stem(w) for w in words[i : i + len(genus)]] == genus:
            before = words[i - 1] if i else ""
            if before == first or not _is_kind_word(before):
                return True
    return False


def _is_kind_word(word: str) -> bool:
    return word in _KIND_WORDS or (len(word) > 4 and word.endswith(_KIND_SUFFIXES))


def relation_sides(question: Question, groups: list[list[str]]) -> list[list[str]]:
    """The sides a sentence must name to state the asked relation: with three or more sides
    the vocabulary knows, those ("aspirin", "pregnancy-induced hypertension", "preeclampsia"),
    not the story's other words ("given prophylactically", "history")."""
    if len(groups) == 1:  # "Is the H. pylori antibody test reasonable to diagnose H. pylori?"
        return _parts(groups[0])
    aside = set_aside(question)
    groups = _alternatives_joined(question, [g for g in groups if not set(g) <= aside] or groups)
    known = [g for g in groups if set(g) & set(question.known)]
    return known if len(known) >= 3 else groups


def _alternatives_joined(question: Question, groups: list[list[str]]) -> list[list[str]]:
    """``groups`` with the ones a question sentence lists as alternatives ("her teeth, eyes or
    thinking") made one side, which a sentence names by naming any of them, never the first
    group, what the relation is of ("Can ibuprofen or acetaminophen …" asks of each)."""
    asked = questions_in(question.text) or [question.text]
    joined: list[list[str]] = []
    for group in groups:
        if len(joined) >= 2 and any(
            _listed_with(q, joined[-1], group) or _listed_with(q, group, joined[-1]) for q in asked
        ):
            joined[-1] = [*joined[-1], *group]
        else:
            joined.append(list(group))
    return joined


def _listed_with(sentence: str, before: list[str], group: list[str]) -> bool:
    """Whether a sentence lists a phrase of ``group`` right after one of ``before`` in a list
    of alternatives, one that ends in "or" and has no "and": "teeth, eyes or thinking"."""
    for a, b in ((a, b) for a in before for b in group):
        found = re.search(rf"\b{_said(a)}(?:,|,? or) {_said(b)}\b", sentence, re.I)
        if found is None:
            continue
        rest = re.split(r"[?.;]", sentence[found.start() :])[0]
        if " or " in rest and " and " not in rest:
            return True
    return False


def _said(phrase: str) -> str:
    """A pattern for a key phrase as a question writes it: its words apart by spaces or
    hyphens."""
    return r"[\s-]+".join(re.escape(w) for w in phrase.split())


def _parts(group: list[str]) -> list[list[str]]:
    """The sides of a question with one group of phrases: each of its smallest phrases when its
    longest is made of them ("helicobacter pylori antibody" of "helicobacter pylori" and
    "antibody": set AG's "No" came from an eradication trial that never says antibody), else
    the group."""
    smallest = [p for p in group if not any(o != p and f" {o} " in f" {p} " for o in group)]
    return [[p] for p in smallest] if len(smallest) >= 2 else [group]


def names_relation(
    named: set[str] | frozenset[str],
    groups: list[list[str]],
    ends: tuple[list[list[str]], ...] = (),
    every: int = 3,
) -> bool:
    """Every side of a relation of at most ``every`` sides is named; of a longer claim, two
    thirds, among them each of its ``ends`` (:func:`relation_ends`): "being small for
    gestational age" and its "risk factor" without "retinopathy of prematurity" do not state
    the asked relation; nor do "sulfa allergy" and "antibiotic" state whether an allergy to
    sulfa antibiotics means one to sulfonylureas (set AB: "No" from a cyclosporiasis page)."""
    hit = sum(bool(named & set(group)) for group in groups)
    if len(groups) <= every:
        return hit == len(groups)
    return hit >= 2 * len(groups) / 3 and all(
        any(named & set(group) for group in end) for end in ends if end
    )


_PREGNANCY = re.compile(
    r"\b(?:pregnan\w*|gestation\w*|prenatal|antenatal|expecting|trimester|maternal)\b", re.I
)


def _asks_in_pregnancy(text: str) -> bool:
    """Whether a question sentence (one ending in "?") asks about a pregnancy: "Is nicotine
    replacement therapy safe and effective for a pregnant smoker …?" (a story's "I'm pregnant."
    before another question does not make every answer one on pregnancy)."""
    return any(_PREGNANCY.search(s) for s in questions_in(text))


def pages_of_other_ages(text: str) -> re.Pattern[str] | None:
    """What titles the consumer pages for people of another age than a question's patient: a
    child's page answers no adult ("my mom's colon cancer has spread to her liver … can it be
    cured?" was answered "Childhood liver cancer may be cured …"; "My 24 year old brother …
    Hodgkin lymphoma" by the childhood lymphoma's outlook), an adult's page no child. None when
    the question says neither, or speaks of both ages itself."""
    if _CHILD_PAGE.search(text) or _ADULT_PAGE.search(text):
        return None  # "childhood obesity", "adult-onset Still's disease": the question's own
    span = ages(text)
    adult = bool(_ADULT_PATIENT.search(text)) or (span is not None and span[0] >= ADULTHOOD)
    child = bool(_CHILD_PATIENT.search(text)) or (span is not None and span[1] < ADULTHOOD)
    if adult == child:
        return None
    return _CHILD_PAGE if adult else _ADULT_PAGE


ADULTHOOD = 18.0
_CHILD_PAGE = re.compile(r"\b(?:childhood|pediatric|paediatric|in children|neonatal)\b", re.I)
_ADULT_PAGE = re.compile(r"\badults?\b", re.I)
_ADULT_PATIENT = re.compile(
    r"\b(?:my|our|his|her) (?:mom|mother|dad|father|husband|wife|grand(?:mother|father|ma|pa))\b",
    re.I,
)
_CHILD_PATIENT = re.compile(r"\b(?:baby|toddler|newborn|infant)\b", re.I)


def _in_pregnancy(sentence: EvidenceSentence) -> bool:
    """The sentence or its source's title speaks of pregnancy: what holds for adults who smoke
    does not state what holds for a pregnant smoker (set AD: "Yes" from a guideline's line on
    NRT and varenicline in adults, where the evidence in pregnancy is insufficient). A
    recommendation's population is read by :mod:`medcite.answer.population` instead: the
    USPSTF's screening of adults for unhealthy drug use covers a pregnant woman (set AM)."""
    return bool(_PREGNANCY.search(sentence.text) or _PREGNANCY.search(sentence.document.title))


def _stating(
    sentence: EvidenceSentence,
    named: set[str],
    every: int,
    near: dict[str, frozenset[str]] | None = None,
    titled: dict[str, frozenset[str]] | None = None,
) -> set[str]:
    """What a sentence names for stating a yes/no question's relation: itself and its source
    (``named``), but only itself when it is a guideline's text other than a recommendation and
    the guideline's title does not fit the question (``every`` is 3: :func:`_every`) — a long
    guideline names everything somewhere (set AD: "botulinum toxin A injections cause weakness
    in finger extension" answered "Yes" to whether they are an option for lateral
    epicondylitis, which the guideline names elsewhere). A recommendation that names nothing
    of the question, of a guideline whose title names nothing of it either (``titled``: what
    each guideline's title names), names what its passage and the passage before it name
    (``near``: :func:`_names_near`): the whole guideline's words made a homeless-care
    guideline's "Treat patient appropriately … for latent TB infection" state whether a nurse
    exposed to hepatitis B needs a booster (set BC). Holding every recommendation to its own
    words lost 12 right verdicts of sets W–AN (a recommendation says "these injections" of a
    section its words do not name), to its passage's 16 of sets W–BB."""
    guideline = sentence.document.evidence_type is EvidenceType.GUIDELINE
    if not guideline or every != 3:
        return named
    if not advises(sentence):
        return set(sentence.mentions)
    if near is None or sentence.mentions or (titled or {}).get(sentence.document.id):
        return named
    return set(near[sentence.passage.id])


def _names_near(sentences: list[EvidenceSentence]) -> dict[str, frozenset[str]]:
    """passage id → the question concepts its sentences and those of the passage before it in
    its document name."""
    by_passage: dict[str, set[str]] = {}
    ordinals: dict[tuple[str, int], str] = {}
    for s in sentences:
        by_passage.setdefault(s.passage.id, set()).update(s.mentions)
        ordinals[(s.document.id, s.passage.ordinal)] = s.passage.id
    near: dict[str, frozenset[str]] = {}
    for s in sentences:
        before = ordinals.get((s.document.id, s.passage.ordinal - 1))
        near[s.passage.id] = frozenset(
            by_passage[s.passage.id] | (by_passage[before] if before is not None else set())
        )
    return near


def _every(asked: set[str], sentence: EvidenceSentence) -> int:
    """Up to how many sides a sentence must name them all: a guideline's three-sided question
    (screening, bacterial vaginosis, pregnancy at high risk) is matched to its population by
    the title (:mod:`medcite.answer.population`) when the title fits the question (set AC: a
    pregnancy guideline's aneuploidy screening answered "Yes" on breastfeeding support during
    prenatal visits), and a study titled with the question itself
    answers it in its own words ("Quilting suture seems to be an efficient technique …" of
    "Does quilting suture prevent seroma in abdominoplasty?"), so two of three sides do there.
    Sparing every abstract's conclusions gave back unsupported verdicts (SciFact claims:
    committed precision 0.50 → 0.48, no-evidence claims committed 0.17 → 0.24)."""
    document = sentence.document
    fit = jaccard(asked, content_words(document.title))  # ``asked``: the question's words
    guideline = document.evidence_type is EvidenceType.GUIDELINE
    spared = (guideline and fit >= GUIDELINE_FIT) or fit >= LEAD_SIMILARITY  # asks_the_same
    return 2 if spared else 3


def relation_ends(question: Question, groups: list[list[str]]) -> tuple[list[list[str]], ...]:
    """The groups that hold the subject and those that hold the target of "Is X a risk factor
    for Y?" (either may be empty)."""

    def holding(phrase: str | None) -> list[list[str]]:
        key = normalise_term(phrase or "")
        if not key:
            return []
        return [g for g in groups if any(c in key or key in c for c in g)]

    subject = holding(question.subject) or _asked_first(question, groups)
    return subject, holding(question.target)


def _asked_first(question: Question, groups: list[list[str]]) -> list[list[str]]:
    """The group a yes/no clause names first, right after its verb, when the question's
    subject was not read: "does cannabis on the baseline urine drug test rule out opioids
    beyond the acute phase …?" is of cannabis (set BZ: "No" quoted a guideline's "red flags such
    as … cocaine, amphetamines or alcohol", which names the test, opioids and the acute phase,
    not cannabis)."""
    for clause in _YES_NO_CLAUSE.finditer(question.text):
        window = f" {normalise_term(clause.group(1))} "
        placed = [
            (window.find(f" {c} "), i)
            for i, g in enumerate(groups)
            for c in g
            if f" {c} " in window
        ]
        if placed:
            return [groups[min(placed)[1]]]
    return []


_YES_NO_CLAUSE = re.compile(
    r"(?:^|[,;]\s*|\band\s+)(?:does|do|did|can|could|will|would|should)\s+"
    r"(?!(?:i|we|you|he|she|they|it|this|that|these|those|there|my|our|your|his|her|their)\b)"
    r"((?:\S+\s+){0,3}\S+)",
    re.I,
)
"""A yes/no clause and the words after its verb, where its subject is, when that is no pronoun
("Should I recommend glucosamine …?" asks of the guideline's "dietary supplements" too)."""


def other_kinds(
    concepts: list[str],
    question: Question,
    sentences: list[EvidenceSentence],
    known: Callable[[list[str]], set[str]],
) -> dict[str, tuple[str, str]]:
    """document id → (a one-word concept of the question, the modifier that makes its title's
    term another thing): "What are the symptoms of Q Fever?" is about Q fever, not fever, "Hay
    fever" not fever (``known``: which phrases the vocabulary holds; a phrase the question says
    itself is not another thing)."""
    words_of = {stem(c): c for c in concepts if " " not in c}
    if not words_of:
        return {}
    asked = normalise_term(question.text)
    before: dict[str, tuple[str, str]] = {}
    for sentence in sentences:
        words = tokens(sentence.document.title)
        for i in range(1, len(words)):
            concept = words_of.get(stem(words[i]))
            if concept and words[i - 1] not in STOPWORDS and words[i - 1] not in _PLAIN_KINDS:
                before.setdefault(sentence.document.id, (concept, f"{words[i - 1]} {words[i]}"))
    terms = known(sorted({phrase for _, phrase in before.values()}))
    return {
        doc: (concept, phrase.split()[0])
        for doc, (concept, phrase) in before.items()
        if phrase in terms and phrase not in asked
    }


_PLAIN_KINDS = frozenset({"healthy", "healthful", "balanced", "good", "proper", "normal"})
"""Words that make no other thing of what they qualify: a "healthy diet" is a diet (set AD: the
USPSTF's statement on a healthy diet was off the focus "diet"), "Q fever" is no fever."""


def _only_as_other(text: str, concept: str, modifier: str) -> bool:
    """Every time ``text`` says the concept's word it is the other thing ("Chronic Q fever is
    …"); so too when it never says it."""
    words, word = tokens(text), stem(concept)
    places = [i for i, w in enumerate(words) if stem(w) == word]
    return all(i > 0 and words[i - 1] == modifier for i in places)


def _naming(group: list[str]) -> list[str]:
    """The phrases of a side that name it: those that keep its identifiers ("vitamin" does not
    name "vitamin E") and are not a lone generic word ("bcl-2" names "BCL-2 activation")."""
    needed = identifiers(group[0])
    return [
        c for c in group if needed <= identifiers(c) and (" " in c or stem(c) not in GENERIC_WORDS)
    ]


_ADJUSTED_FOR = re.compile(
    r"\b(?:controlling|controlled|adjusting|adjusted|adjustment|accounting)\s+(?:for|by)\b"
    r".*?(?=,[^,;]*?\b(?:was|were|is|are|remained|had|has|have|showed|did|does)\b|[.;]|$)",
    re.I,
)


def _own_names(sentence: EvidenceSentence, concepts: list[str]) -> frozenset[str]:
    """Which of ``concepts`` the sentence names outside a list of what was adjusted for
    ("After controlling for … intake of alcohol, fiber, vitamin E, …, the relative risks of CHD
    …" does not name vitamin E as what it found)."""
    said = sentence.mentions & set(concepts)
    if not said or not _ADJUSTED_FOR.search(sentence.text):
        return frozenset(said)
    return named_in(_ADJUSTED_FOR.sub(" ", sentence.text), concept_forms({c: () for c in said}))


def _covariate(sentence: EvidenceSentence, focus: list[str]) -> bool:
    """Whether a study's sentence names the focus only among what it adjusted for, and its
    title not at all: "… after adjustment for body mass index, hypertension, …" of a serum
    corin study does not answer how often to see a patient with hypertension (set AA)."""
    if sentence.document.evidence_type in (EvidenceType.CONSUMER_HEALTH, EvidenceType.GUIDELINE):
        return False
    if not sentence.mentions & set(focus) or _own_names(sentence, focus):
        return False
    forms = concept_forms({c: () for c in focus})
    return not named_in(sentence.document.title, forms)


def _titles_naming(
    sentences: list[EvidenceSentence], concepts: list[str]
) -> dict[str, frozenset[str]]:
    """document id → which of ``concepts`` its title names (a page on sleep apnea names
    obstructive sleep apnea: :func:`genus_forms`)."""
    forms = concept_forms({c: () for c in concepts})
    kinds = genus_forms(concepts[:1])
    titles = {s.document.id: s.document.title for s in sentences}
    return {
        doc: named_in(title, forms)
        | (frozenset(concepts) if kinds and named_in(title, kinds) else frozenset())
        for doc, title in titles.items()
    }


def read_question(
    reader: Reader,
    question: Question,
    sentences: list[EvidenceSentence],
    settings: AnswerSettings,
    document_names: dict[str, frozenset[str]] | None = None,
    known: Callable[[list[str]], set[str]] | None = None,
    drug: Callable[[str], bool] | None = None,
    quoted: list[EvidenceSentence] | None = None,
    concepts_of: Callable[[str], set[str]] | None = None,
) -> Readings:
    """Read the ``settings.reader_sentences`` most relevant sentences that name what the
    question is about (themselves or through their source: ``document_names``) with the
    question. A sentence about another thing that shares a word is never read as an answer:
    a sentence of a page on another kind of a one-word concept (``known``: the phrases the
    vocabulary holds, :func:`other_kinds`) that never says the concept plainly names nothing; a
    page titled with the focus's kind (:func:`genus_forms`) names the focus. For a yes/no
    question the relation's subject (X of "Can X cause Y?") must be named by the sentence or its
    source's title: "controlling for … vitamin E" in a folate study's results does not make
    its findings evidence on vitamin E. A drug the question names beside its focus (``drug``
    says which phrases name one) must be named too: "withdrawal symptoms … if a patient were
    taken off lorazepam" is not answered by an SSRI review (set V). ``quoted``: the statements
    the question quotes (:func:`quoted_statements`), when the caller has them; ``concepts_of``: a
    phrase's concepts in the vocabulary (:func:`story_question`)."""
    readings = Readings()
    names = document_names or {}
    groups = concept_groups(question)
    named_by = {
        s.key: set(s.mentions) | set(names.get(s.document.id, frozenset())) for s in sentences
    }
    concepts = [c for group in groups for c in group]
    paged = pages_on(sentences, concepts)
    focus = focus_group(question, groups, list(named_by.values()), titled_after(sentences), paged)
    readings.focus = frozenset(focus or ())
    readings.need = None if question.yes_no else need_for(question)
    if not question.yes_no and focus is not None:  # sides the vocabulary knows, not the story
        readings.sides = tuple(
            frozenset(g)
            for g in groups
            if not set(g) & set(focus) and set(g) & set(question.known) and _beside(g, focus, known)
        )
        if _asks_of_the_story(question, groups):
            readings.sides = ()
        elif set(focus) & paged:  # a story around a thing its consumer page is on
            readings.sides = _spoken_sides(question, groups, readings.sides)
    if (
        not question.yes_no
        or question.graded_record is not None  # "Under the USPSTF C recommendation, should I …?"
        or named_grade_topic(question.text) is not None  # "Under the USPSTF B recommendation on
        # childhood obesity, is that intensive enough …?" (set BM abstained)
        or names_body(asked_clause(question.text))  # a question that names the guideline
        # asks for its statement, however the reader scores it (set AJ: "What does the USPSTF
        # say about skin cancer screening?" led with a sentence of the statement on who gets
        # skin cancer; the scoliosis I statement scored under the floor)
    ):
        # a yes/no question's guideline speaks through the verdict, unless the question names
        # it: "Does the USPSTF I statement on screening for adolescent idiopathic scoliosis cover
        # …?" is answered by that statement when no sentence states yes or no (set AP
        # abstained); a story's "younger than the USPSTF screening age range for abnormal
        # glucose; should I check her anyway?" names none (set AL: gestational diabetes's)
        readings.advice, readings.topical = guideline_lead(
            question, sentences, readings.sides, readings.focus, quoted
        )
        named_docs = named_documents(
            question.text, list({s.document.id: s.document for s in sentences}.values())
        )
        named_keys = frozenset(
            s.key for s in sentences if s.document.id in named_docs and named_advice(s)
        )
        if named_keys:  # the guideline the question names by who wrote it and on what speaks
            # (set BJ: "Per the VA/DoD hypertension guideline, which drug classes …?" led with
            # a consumer page)
            readings.named = named_docs
            if not question.yes_no:  # a yes or a no is still read from the sentences that
                # state it (set AY: "is ketamine recommended?" was "Yes" by the named
                # guideline's assessment of safety risks, its drug unnamed)
                readings.advice, readings.topical = named_keys, True
    drugs = [side for side in readings.sides if drug and any(drug(c) for c in side)]
    stated = relation_sides(question, groups)
    methods = _methods(question.text)  # a guideline names its own method ("ultrasonography")
    advised = relation_sides(
        question, [g for g in asked_groups(question, groups) if not set(g) & methods]
    )  # a guideline's sides
    asked = content_words(question.text)
    ends = relation_ends(question, stated)
    if question.yes_no and drug is not None:  # each drug a yes/no claim names is one of its
        # ends (set CA: "Is aspirin just as good as warfarin (Coumadin) …?" was "No" from a
        # sentence naming warfarin and atrial fibrillation, never aspirin; "… avoid any foods
        # … while I'm getting omalizumab (Xolair) shots …?" "Uncertain" from allergy shots)
        ends = (*ends, *([g] for g in stated if any(drug(c) for c in g)))
    kinds = genus_forms(focus or [])
    others = other_kinds(concepts, question, sentences, known) if known else {}
    subject = [c for group in ends[0] for c in _naming(group)]  # X of "Can X cause Y?"
    titled = _titles_naming(sentences, subject) if question.yes_no and subject else {}
    pages = _titles_of(EvidenceType.CONSUMER_HEALTH, sentences, concepts) if question.yes_no else {}
    screening = question.yes_no and bool(_SCREENS.search(question.text))
    treating = (  # "Should you treat an asymptomatic urinary tract infection …?" is not
        # answered by the statement against screening for it (set CB: "No")
        question.yes_no and says_treat(question.text) and not _TESTING.search(question.text)
    )
    pregnant = question.yes_no and _asks_in_pregnancy(question.text)
    in_pregnancy = not question.yes_no and _asks_in_pregnancy(question.text)  # "What do you
    # do with heparin anticoagulation in pregnancy?" is not answered by a trial in critically
    # ill adults (set BI: CVVH's heparin led)
    testing = question.yes_no and bool(_TESTING.search(question.text))
    guidelines = (
        _titles_of(EvidenceType.GUIDELINE, sentences, concepts) if question.yes_no else {}
    )  # what each guideline's title names, read once
    guides = guidelines if question.yes_no and asks_advice(question.text) else {}
    near = _names_near(sentences) if question.yes_no else None
    other_ages = pages_of_other_ages(question.text)
    for sentence in sentences:
        named = named_by[sentence.key]
        other = others.get(sentence.document.id)
        if other and _only_as_other(sentence.text, *other):  # a sentence of a page on Q
            # fever that never says plain "fever" is about Q fever; what else it names it still
            # names ("physical activity" of the USPSTF's "Healthy Diet and Physical Activity …":
            # set AJ, the B statement was off the focus for its "healthy diet")
            named = {n for n in named if other[0] not in tokens(n)}
            named_by[sentence.key] = named
        if (
            kinds
            and not named & set(focus or ())
            and titles_the_kind(sentence.document.title, focus or [], kinds)
        ):
            named = named | set(focus or ())  # a page on sleep apnea covers obstructive
            named_by[sentence.key] = named
        if (
            (focus is not None and not named & set(focus))
            or (  # lorazepam's withdrawal, not an SSRI's; the named guideline's statement on
                # "combining them with a benzodiazepine" speaks of the story's clonazepam (set AP)
                any(not named & side for side in drugs) and sentence.key not in readings.advice
            )
            or (not question.yes_no and focus is not None and _covariate(sentence, focus))
            or (in_pregnancy and not advises(sentence) and not _in_pregnancy(sentence))
            or (
                other_ages is not None
                and sentence.document.evidence_type is EvidenceType.CONSUMER_HEALTH
                and other_ages.search(sentence.document.title) is not None
            )  # a guideline's population is read by medcite.answer.population
        ):
            readings.off_focus.add(sentence.key)
        elif question.yes_no:
            sides = (
                _guideline_sides(
                    advised, focus, guides.get(sentence.document.id), screens(sentence, testing)
                )
                if advises(sentence)
                else stated
            )
            asked_subject = [c for c in subject if any(c in side for side in sides)]
            every = _every(asked, sentence)
            if (
                not names_relation(
                    _stating(sentence, named, every, near, guidelines), sides, ends, every=every
                )
                or (
                    bool(asked_subject)
                    and not (_own_names(sentence, subject) | titled[sentence.document.id])
                    & set(asked_subject)
                )
                or not _page_states(sentence, stated, ends, pages)
                or (screening and advises(sentence) and not _SCREENS.search(sentence.text))
                or (
                    treating
                    and advises(sentence)
                    and _SCREENS.search(sentence.text) is not None
                    and not says_treat(sentence.text)
                )
                or (pregnant and not advises(sentence) and not _in_pregnancy(sentence))
            ):  # the subject is the sentence's own or its source's title's, not a covariate's
                readings.unstated.add(sentence.key)
    pool = [s for s in sentences if s.key not in readings.off_focus][: settings.reader_sentences]
    readings.asking = story_question(question, focus, concepts_of)
    kind = readings.kind = asked_kind(question, readings.asking)
    effects = (  # what the focus causes answers no "What causes it?" (set BI: dry mouth),
        # when the question asks the cause of the focus ("… with pneumonia and now … an
        # empyema. What causes empyema?" read on pneumonia is still answered by its effects)
        {s.key for s in sentences if tells_effects(s.text, readings.focus)}
        if kind == "causes" and _asks_of(question, readings.focus)
        else {s.key for s in sentences if tells_causes(s.text, readings.focus)}
        if kind == "complications"  # and what causes it none of what it causes (set CB:
        # "Hemolytic anemia can cause … such as jaundice" for newborn jaundice's complications)
        else set()
    )
    typed = _page_openings(
        [
            s
            for s in sentences
            if s.key not in readings.off_focus and of_kind(s, kind) and s.key not in effects
        ]
        if kind is not None
        else []
    )
    read_as = asked_of(question, focus)
    reading = reader.predict(read_as, [s.text for s in pool])
    for i, sentence in enumerate(pool):
        readings.answers[sentence.key] = float(reading.answers[i])
        readings.stance[sentence.key] = reading.stance[i]
    unanswered = max(readings.answers.values(), default=0.0) < settings.reader_min_answer
    if unanswered and not question.yes_no and readings.asking not in (None, read_as) and pool:
        # a story read whole answered by nothing: its question sentence read alone, and a
        # sentence answers when that reading says so (set AW: "… diagnosed with glut1
        # deficiency syndrome. is there any treatment for it? …" scored its ketogenic diet
        # 0.06 read whole, and abstained; read so whatever the first reading said, answers of
        # sets W-AV lost their bottom lines to a prevalence, a disease's onset)
        alone = reader.predict(str(readings.asking), [s.text for s in pool])
        for i, sentence in enumerate(pool):
            answer = max(readings.answers[sentence.key], float(alone.answers[i]))
            readings.answers[sentence.key] = answer
    _read_tables_whole(pool, readings.answers)
    for key in effects & readings.answers.keys():
        readings.answers[key] = 0.0
    if typed:  # apart: the int8 reader's figures shift with what shares its batch
        readings.read_pages = lambda: _read_pages(reader, read_as, typed)
    return readings


def _read_pages(reader: Reader, read_as: str, typed: list[EvidenceSentence]) -> dict[str, float]:
    """Each page's best opening sentence read in its page (:func:`page_text`)."""
    pages: dict[str, float] = {}
    in_page = reader.predict(read_as, [page_text(s) for s in typed])
    for sentence, p in zip(typed, in_page.answers, strict=True):
        passage = sentence.passage.id
        pages[passage] = max(pages.get(passage, 0.0), float(p))
    return pages


PAGE_SENTENCES = 3
"""How many opening sentences of each page of the asked kind the reader reads with the page's
title (:func:`page_text`)."""


def _page_openings(sentences: list[EvidenceSentence]) -> list[EvidenceSentence]:
    """The first :data:`PAGE_SENTENCES` sentences of each passage, in its order."""
    by_passage: dict[str, list[EvidenceSentence]] = {}
    for sentence in in_document_order(sentences):
        by_passage.setdefault(sentence.passage.id, []).append(sentence)
    return [s for passage in sorted(by_passage) for s in by_passage[passage][:PAGE_SENTENCES]]


def page_text(sentence: EvidenceSentence) -> str:
    """A sentence of a consumer page as the reader reads it in its page: after the page's title
    and section ("Retinitis pigmentosa (Treatment): Available treatments aim to slow …"). A
    page's sentences rarely name its topic ("the disease"), and read alone they score low for
    the question they answer (MEDIQA validation: 0.16 for "How is retinitis pigmentosa
    treated?", 0.67 in its page); a whole passage's reading swings with what its cut-off end
    says (0.59, then 0.12 with one more sentence on trials), so the page's best opening
    sentence counts."""
    title, heading = sentence.document.title, sentence.passage.section or ""
    if heading.lower() not in title.lower():  # "Retinitis pigmentosa (Treatment)"
        title = f"{title} ({heading})"
    return f"{title}: {sentence.text}"


def of_kind(sentence: EvidenceSentence, kind: str) -> bool:
    """Whether a sentence is of a consumer page of the asked kind (its section's heading)."""
    return (
        sentence.document.evidence_type is EvidenceType.CONSUMER_HEALTH
        and heading_kind(sentence.passage.section) == kind
    )


LONG_QUESTION = 30
"""Words beyond which a message is read as the question its type and focus ask."""


_ADVICE_ASKED = re.compile(
    r"\b(?:should|recommend\w*|advis\w+|indicated|need)\b"
    rf"|{GUIDELINE_BODY}.*\b(?:says?|grade|position|stance|statement)\b"
    rf"|\b(?:says?|grade|position|stance|statement)\b.*{GUIDELINE_BODY}",
    re.I,
)
"""Whether a question asks what should be done, or what a guideline says ("What does the USPSTF
say about skin cancer screening?": set AJ led with a risk sentence of its statement)."""


def advises(sentence: EvidenceSentence) -> bool:
    """A guideline's recommendation, for or against or neither (:mod:`medcite.answer.denial`);
    not the definition of a grade its rating scheme quotes (:data:`_GRADE_DEFINED`)."""
    return (
        sentence.document.evidence_type is EvidenceType.GUIDELINE
        and (recommendation(sentence.text) is not None or leaves_open(sentence.text))
        and not _GRADE_DEFINED.search(sentence.text)
    )


def named_advice(sentence: EvidenceSentence) -> bool:
    """A named guideline's recommendation: :func:`advises`, its weak recommendation
    (:func:`medcite.answer.named_guideline.suggests`) or any sentence of its recommendations
    that stands alone (set BG: the HCH guideline's "Clinicians should teach shelter … staff
    …" says what it advises in words no other guideline uses)."""
    return advises(sentence) or (
        sentence.document.evidence_type is EvidenceType.GUIDELINE
        and (suggests(sentence.text) or recommends_here(sentence.passage, sentence.text))
        and stands_alone(sentence.text)
        and not _GRADE_DEFINED.search(sentence.text)
    )


_GRADE_DEFINED = re.compile(
    r"^\W*(?:(?:[ABCD]|I) (?:Statement|Grade|Recommendation)|Category [AB] recommendation)\b"
    r"|\b(?:of|provide|offer) (?:the|this) service\b"
    r"|\bevidence is lacking, of poor quality, or conflicting\b",
    re.I,
)
"""A rating scheme's grade: "I Statement The USPSTF concludes that the current evidence is
insufficient to assess the balance of benefits and harms of the service." (the VA/DoD guidelines
quote the USPSTF's; set BB led with it once the named guideline's passages were read)."""


GUIDELINE_FIT = 0.2
"""Content-word overlap (Jaccard) between a question and a guideline's title (topic and
population: "Chlamydia and Gonorrhea: Screening -- Sexually Active Men") that makes its
recommendation the answer to a question on what should be done."""


def guideline_lead(
    question: Question,
    sentences: list[EvidenceSentence],
    sides: tuple[frozenset[str], ...] = (),
    focus: frozenset[str] = frozenset(),
    quoted: list[EvidenceSentence] | None = None,
) -> tuple[frozenset[tuple[str, str]], bool]:
    """The recommendations of the guideline whose title fits the question best, when it asks
    what should be done: "The USPSTF recommends early screening for syphilis infection in all
    pregnant women" for "At what point in pregnancy should women be screened for syphilis?",
    not a study's remark that more women should have been (set AA); the statement for men,
    not the one for women, for "Which sexually active men should be screened …?". And whether
    it is the one recommendation of a guideline matched by every word of its topic
    (:func:`topic_named`), not by the Jaccard fit (:data:`GUIDELINE_FIT`). Of a named
    guideline's several fitting recommendations, the one that alone names a side of the question
    (``sides``), else more of its phrases, is that one (:func:`_naming_most`): "What grade does
    the USPSTF give e-cigarettes for tobacco cessation …?" is answered by its I statement on
    e-cigarettes, not by its advice to ask every adult about tobacco use (set AN abstained).
    ``quoted``: :func:`quoted_statements` of these sentences, when the caller has them."""
    if quoted is None:
        quoted = quoted_statements(question, sentences)
    if quoted:
        return frozenset(s.key for s in quoted), True
    if not _ADVICE_ASKED.search(question.text):
        return frozenset(), False
    advising = [s for s in sentences if advises(s)]
    fit, fitting = best_fitting(question, advising, long_forms(advising))
    if not fitting:
        return frozenset(), False
    topic = topic_named(fitting[0].document.title, _said_stems(question, long_forms(fitting)))
    if fit < GUIDELINE_FIT and topic < TOPIC_NAMED:
        return frozenset(), False
    keys = frozenset(s.key for s in fitting)
    body = names_body(question.text)
    if body and len(keys) > 1:
        alone = _naming_most(fitting, sides, concept_groups(question))
        if alone is not None:
            return frozenset({alone.key}), True
    named = body and (
        topic == 1.0 or (topic >= TOPIC_NAMED and bool(fitting[0].mentions & set(focus)))
    )  # half its topic and the focus: "What grade does the USPSTF give DBT …?" (set AO), not
    # the osteoporosis screening statement for estrogen-only therapy "to prevent heart disease
    # and osteoporosis" (set AH)
    if named and 1 < len(keys) <= MAX_NAMED_STATEMENTS and topic < 1.0:
        # a few statements of the named guideline, each on the focus: "What does the VA/DoD
        # opioid guideline say about long-term opioids at his age and about combining them
        # with a benzodiazepine?" (set AP abstained beside both)
        return keys, all(s.mentions & set(focus) for s in fitting)
    return keys, len(keys) == 1 and (named or (fit < GUIDELINE_FIT and topic == 1.0))


def quoted_statements(
    question: Question, sentences: list[EvidenceSentence]
) -> list[EvidenceSentence]:
    """The recommendations of the one guideline a question naming a guideline body quotes:
    whose statement or title shares with it a run of words that quotes (:func:`_quotes`),
    :data:`QUOTED_MARGIN` words longer than any other guideline's ("Does the USPSTF D
    recommendation against combined estrogen and progestin for the primary prevention of
    chronic conditions apply …?" quotes its statement word for word; set AX abstained, the
    question read as one on heart disease). Its statements that share the longest run, else its
    first. A story quotes nothing (:func:`_quoting_part`: "veteran with chronic low back pain
    who …" is no quote of the statement "For patients with chronic low back pain, …", set
    AP)."""
    if not names_body(question.text):
        return []
    advising = [s for s in sentences if advises(s)]
    quoted = _quoted_runs(question, advising)
    named = named_statement(question.text, advising, question.graded_record)
    if named and not any(s.document.id == named[0].document.id for s in quoted):
        return named  # its grade and topic name it, whatever else a run of words quotes
    return quoted


def _quoted_runs(question: Question, advising: list[EvidenceSentence]) -> list[EvidenceSentence]:
    """The recommendations of :func:`quoted_statements` that share a run of words with it."""
    naming = [_quoting_part(t) for t in split_sentences(question.text)]
    said = [w for t in naming for w in [*tokens(t), "|"]]  # a run never spans two sentences
    runs: dict[str, tuple[int, int]] = {}
    by_sentence: dict[tuple[str, str], tuple[int, int]] = {}
    for s in advising:
        run = _shared_run(said, tokens(s.text))
        by_sentence[s.key] = run
        title = _shared_run(said, tokens(s.document.title))
        runs[s.document.id] = max(runs.get(s.document.id, (0, 0)), run, title)
    ranked = sorted(runs.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    if not ranked or not _quotes(*ranked[0][1]):
        return []
    if len(ranked) > 1 and ranked[0][1][0] - ranked[1][1][0] < QUOTED_MARGIN:
        return []
    own = [s for s in advising if s.document.id == ranked[0][0]]
    longest = max(by_sentence[s.key] for s in own)
    if _quotes(*longest):
        return [s for s in own if by_sentence[s.key] == longest]
    return in_document_order(own)[:1]


_NAMED_GRADE = re.compile(
    rf"{GUIDELINE_BODY}(?:'s|’s)?\s+(?:grade\s+)?(?P<grade>(?-i:[ABCDI]))(?:[- ]grade)?\s+"
    r"(?:statement|recommendation)s?\s+(?:on|for|against|about|regarding|of|to)\s+"
    r"(?P<topic>.+?)(?=(?<!ive)(?<!al)(?<!ic)(?<!ous)\s*,|\s*[;:?]|\s+(?:and|or|but)\s+(?:do|does|did|is|are|should|can|could"
    r"|would|will|has|have|what|which|how|when|who|whom|only)\b|\s+(?:apply|applies|cover|covers|govern"
    r"|governs|change|changes|include|includes|mean|means|extend|extends|say|says|still|allow"
    r"|allows|hold|holds|address|addresses|concern|concerns|require|requires"
    r"|imply|implies|is|are|was|were|also|really)\b"
    r"|(?<!\bwho)(?<!\bthat)\s+(?:have|has)\s+(?:an?|any|the|no)\b|$)",
    re.I,
)
"""A statement named by its grade and topic: "the USPSTF I statement on bladder cancer
screening", "the USPSTF B recommendation for biennial screening at 50 to 74". A comma after an
adjective goes on to the next ("intensive, multicomponent behavioral weight-loss
interventions": set BJ searched "intensive" and abstained); "have an …" asks of it ("the USPSTF
B recommendation on exercise to prevent falls have an upper age limit": set BS), "who have
a …" does not."""


def without_named_statement(text: str) -> str:
    """``text`` without the statement it names by grade and topic (:data:`_NAMED_GRADE`): the
    people the question asks about, not those of the statement ("… the USPSTF I statement on
    AAA screening in women aged 65 to 75 who have ever smoked … cover a 79-year-old former
    smoker?" asks about a 79-year-old who smoked)."""
    named = _NAMED_GRADE.search(text)
    return text if named is None else text[: named.start()] + text[named.end() :]


NAMED_TOPIC = 0.8
"""Share of the named topic's words its statement or title must hold."""


_GRADE_ONLY = re.compile(
    rf"\bthe\s+{GUIDELINE_BODY}(?:'s|’s)?\s+(?:grade\s+)?(?P<grade>(?-i:[ABCDI]))(?:[- ]grade)?\s+"
    r"(?:statement|recommendation)s?\b",
    re.I,
)
"""A statement named by its grade alone, as one ("the USPSTF B recommendation", not "a USPSTF B
recommendation", which asks what such a grade means); its topic is what the question asks."""
_GRADE_BARE = re.compile(
    r"\b(?:under|per|by|in)\s+the\s+(?:grade\s+)?(?P<grade>(?-i:[ABCDI]))(?:[- ]grade)?\s+"
    r"(?:statement|recommendation)\b"
)
"""The same without its body, when the question names the body elsewhere: "Does he meet the
USPSTF high-risk criteria for PrEP under the A recommendation …?" (set BQ abstained)."""
GRADE_ONLY_WORDS = 4
"""Content words a question naming a statement by its grade alone says besides: its topic
("What does the USPSTF C recommendation mean?" names none)."""


def named_grade(text: str) -> str | None:
    """The grade keyword of the statement a question names by its grade alone ("Under the USPSTF
    C recommendation, should I offer him a multifactorial fall-prevention intervention …?"):
    "grade C"; None if it names none, or names its topic too (:func:`named_grade_topic`). Set
    BM abstained on falls prevention; set AW answered a breast cancer screening question with
    the hepatitis B statement of the same grade."""
    if named_grade_topic(text) is not None:
        return None
    named = _GRADE_ONLY.search(text) or (_GRADE_BARE.search(text) if names_body(text) else None)
    if named is None:
        return None
    said = content_words(text[: named.start()] + text[named.end() :])
    return f"grade {named.group('grade')}" if len(said) >= GRADE_ONLY_WORDS else None


def named_grade_topic(text: str) -> tuple[str, str] | None:
    """(grade keyword, topic) of the statement a question names by its grade and topic
    (:data:`_NAMED_GRADE`): ("grade B", "statins for primary prevention"); None if it names none."""
    named = _NAMED_GRADE.search(text)
    if named is None or _only_ages(named.group("topic")):
        return None
    return f"grade {named.group('grade')}", named.group("topic")


def _only_ages(said: str) -> bool:
    """Whether a named statement's "topic" says only its people's ages ("the USPSTF A
    recommendation for ages 21 to 29": set BO abstained, searching "ages 21" for the cervical
    cancer statement its Pap smear names): the statement is then named by its grade alone."""
    words = content_words(said)
    return bool(words) and _beyond_ages(words) <= POPULATIONS


def named_statement(
    text: str, advising: list[EvidenceSentence], graded_record: str | None = None
) -> list[EvidenceSentence]:
    """The statement a question names by its grade and topic (:data:`_NAMED_GRADE`): of the
    recommendations given that grade (a record's "grade X" keyword), the one record whose title
    and statements hold the most of the topic's words, at least :data:`NAMED_TOPIC` of them and
    more than any other's; its first statement. Set BC abstained on four such questions ("Does
    the USPSTF I statement on depression screening in children 11 years or younger govern how I
    evaluate him …?"): they quote no run of five words. Named by its grade alone
    (:func:`named_grade`), the first statement of ``graded_record`` (the record of that grade
    retrieval found for the question, :attr:`Question.graded_record`) that is not for other
    people than the question's, else its first; none if the record lacks that grade."""
    named = named_grade_topic(text)
    if named is None:
        grade = named_grade(text)
        if grade is None or graded_record is None:
            return []
        records = [
            s for s in advising if s.document.id == graded_record and grade in s.document.keywords
        ]
        ours = [s for s in records if not speaks_of_others(text, s.document.title, s.text)]
        return in_document_order(ours or records)[:1]  # its statement for the question's people
        # (set AW: the cervical cancer record for women aged 30 to 65 opens with the one for 21
        # to 29)
    grade, said = named
    topic = {stem(w) for w in content_words(said) if w not in _GUIDELINE_WORDS}
    if not topic:
        return []
    whole = {stem(w) for w in content_words(said)} - _BODY_WORDS
    graded = [s for s in advising if grade in s.document.keywords]
    held: dict[str, tuple[float, float, float]] = {}
    for s in graded:
        titled = _stems_of(" ".join([s.document.title, s.text]))
        own = _stems_of(s.text)
        share = (
            sum(_held(word, titled) for word in topic) / len(topic),
            sum(_held(word, own) for word in topic) / len(topic),
            sum(_held(word, titled) for word in whole) / len(whole),
        )  # the statement's own words part records titled alike ("Chlamydia and Gonorrhea");
        # then its guideline words ("preeclampsia screening" is the screening record, not the
        # B recommendation of aspirin for preeclampsia: set CB abstained)
        held[s.document.id] = max(held.get(s.document.id, (0.0, 0.0, 0.0)), share)
    ranked = sorted(held.items(), key=lambda item: (-item[1][0], -item[1][1], -item[1][2], item[0]))
    if not ranked or ranked[0][1][0] < NAMED_TOPIC:
        return []
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return []  # two records hold it alike: which one is not said
    return in_document_order([s for s in graded if s.document.id == ranked[0][0]])[:1]


NAMED_PREFIX = 5
"""Letters a named topic's word shares with a statement's word to be held by it: "counseling to
minimize UV exposure" names "about minimizing exposure to ultraviolet (UV) radiation", "one-time
ultrasound screening" names "screening … with ultrasonography" (set BG abstained on both)."""


_LONG_FORM = {"exam": "examination"}
"""A word's short form said for its long one: "the USPSTF I statement on screening pelvic exams"
names "… Periodic Screening With the Pelvic Examination" (set BU quoted the ovarian cancer D
statement instead)."""


def _held(word: str, words: set[str]) -> bool:
    """Whether ``words`` hold ``word`` (or its long form, :data:`_LONG_FORM`), or a word of the
    same :data:`NAMED_PREFIX` letters."""
    word = _LONG_FORM.get(word, word)
    if word in words:
        return True
    return len(word) >= NAMED_PREFIX and any(w[:NAMED_PREFIX] == word[:NAMED_PREFIX] for w in words)


def _quoting_part(sentence: str) -> str:
    """What of a question's sentence may quote a statement: a question sentence whole, else
    what follows the guideline body it names, else nothing ("44-year-old who had a
    hysterectomy with removal of both ovaries …; a friend told her the USPSTF recommends
    against estrogen after hysterectomy." quotes no statement on cervical cancer screening
    after a hysterectomy with removal of the cervix: set AW)."""
    if sentence.rstrip().endswith("?"):
        return sentence
    named = BODY_NAMED.search(sentence)
    return sentence[named.start() :] if named else ""


def _shared_run(said: list[str], text: list[str]) -> tuple[int, int]:
    """The longest run of words in a row that the two texts share holding at least
    :data:`QUOTED_CONTENT` topic words (of two as long, the one with more): (its length, its
    topic words), else (0, 0)."""
    best = (0, 0)
    ends: dict[int, int] = {}
    for word in text:
        grown: dict[int, int] = {}
        for i, w in enumerate(said):
            if w == word:
                grown[i] = ends.get(i - 1, 0) + 1
                length = grown[i]
                topic = _content_count(said[i - length + 1 : i + 1])
                if topic >= QUOTED_CONTENT and (length, topic) > best:
                    best = (length, topic)
        ends = grown
    return best


def _quotes(length: int, topic: int) -> bool:
    """Whether a shared run quotes: :data:`QUOTED_RUN` words, or :data:`QUOTED_TOPIC_RUN`
    holding :data:`QUOTED_TOPIC_CONTENT` topic words ("single- or paired-nutrient supplements
    (except ß-carotene and vitamin E) for …" is quoted by "single- or paired-nutrient supplements
    for preventing …": set AY abstained)."""
    return length >= QUOTED_RUN or (length >= QUOTED_TOPIC_RUN and topic >= QUOTED_TOPIC_CONTENT)


def _content_count(words: list[str]) -> int:
    return sum(
        w not in STOPWORDS and w not in _GUIDELINE_WORDS and w not in _NOT_TOPIC for w in words
    )


_GUIDELINE_WORDS = frozenset(
    {"uspstf", "recommends", "recommend", "recommendation", "statement", "grade", "screening",
     "united", "states", "preventive", "services", "task", "force"}
)  # fmt: skip
"""A guideline's own words, and its body's name ("United States Preventive Services Task
Force" quotes no statement that names the Task Force: set AJ)."""
_BODY_WORDS = _GUIDELINE_WORDS - {"screening"}
"""The same, less what a statement is on: "screening" tells two records apart that hold the
rest of a named topic alike (:func:`named_statement`)."""
QUOTED_RUN = 5
"""Words in a row a question shares with a guideline's statement or title to quote it."""
QUOTED_MARGIN = 2
"""How many more words in a row than any other guideline's the quoted one shares."""
QUOTED_CONTENT = 2
"""Topic words a quoted run holds, beyond a guideline's and a population's words ("screening
mammography for women aged" quotes none of the statements for women aged 50 to 74: set AP)."""
QUOTED_TOPIC_RUN = 4
"""A shorter run that quotes when it holds :data:`QUOTED_TOPIC_CONTENT` topic words."""
QUOTED_TOPIC_CONTENT = 3


MAX_NAMED_STATEMENTS = 2
"""The most statements of a guideline the question names that answer it together."""


def _naming_most(
    sentences: list[EvidenceSentence],
    sides: tuple[frozenset[str], ...],
    groups: list[list[str]],
) -> EvidenceSentence | None:
    """The one sentence that names more of the question's sides, then of its phrases, than
    every other (none when two tie): the I statement on e-cigarettes of the tobacco cessation
    guideline; the D statement naming beta-carotene of the vitamin supplementation one."""

    def naming(sentence: EvidenceSentence) -> tuple[int, int]:
        return (
            sum(bool(sentence.mentions & side) for side in sides),
            sum(bool(sentence.mentions & set(group)) for group in groups),
        )

    ranked = sorted(sentences, key=naming, reverse=True)
    best = naming(ranked[0])
    if best == (0, 0) or naming(ranked[1]) == best:
        return None
    return ranked[0]


def long_forms(sentences: list[EvidenceSentence]) -> dict[str, str]:
    """The short forms the sentences define, by their long forms ("copd" → "chronic obstructive
    pulmonary disease"): a question that says "COPD" names the topic of the USPSTF's "Chronic
    Obstructive Pulmonary Disease: Screening" (set AN abstained on its grade D)."""
    forms: dict[str, str] = {}
    for sentence in sentences:
        for short, long in defined(sentence.text).items():
            forms.setdefault(normalise_term(short), long)
    return forms


def _spelt_out(text: str, forms: dict[str, str]) -> str:
    """``text`` with the long form of each defined short form it uses added."""
    said = set(tokens(text))
    return " ".join([text, *(forms[short] for short in sorted(forms) if short in said)])


_NOT_TOPIC = POPULATIONS | {
    "adolescent", "young", "adult", "child", "children", "older", "persons", "person", "aged",
    "year", "screening", "intervention", "interventions", "prevention", "counseling",
    "behavioral", "primary", "care", "preventive", "medication", "use", "risk", "assessment",
}  # fmt: skip


TOPIC_NAMED = 0.5
"""Share of a guideline's topic words (its title before the population) a long question must use
for its recommendation to answer it when the question's many other words keep the Jaccard fit
low (set AF: "Our clinic wants to give every child from age 7 up a depression questionnaire …
Is universal depression screening supported in kids 11 and under …?" and "Depression in
Children and Adolescents: Screening")."""


def topic_words(title: str, said: set[str]) -> int:
    """How many of the words naming a guideline's topic the question uses (``said``: its
    :func:`_said_stems`; see :func:`topic_named`): "aspirin" and "preeclampsia" of aspirin's
    statement beat "preeclampsia" of the one on screening for it, however short its title (set
    AB)."""
    return len(_topic_stems(title) & said)


def topic_named(title: str, said: set[str]) -> float:
    """The share of the words naming a guideline's topic — its title's before the service and
    the population: "depression" of "USPSTF: Depression in Children and Adolescents: Screening
    -- Children aged 11 years or younger" — that the question uses (``said``: its
    :func:`_said_stems`)."""
    words = _topic_stems(title)
    return len(words & said) / len(words) if words else 0.0


def _said_stems(question: Question, forms: dict[str, str] | None = None) -> set[str]:
    """The stems of the question's words, with the long forms of the short forms it uses."""
    return _stems_of(_spelt_out(question.text, forms or {}))


def _topic_stems(title: str) -> set[str]:
    topic = title.split(POPULATION_MARK, 1)[0].removeprefix("USPSTF:").split(":", 1)[0]
    return {stem(w) for w in content_words(topic) if w not in _NOT_TOPIC}


def _stems_of(text: str) -> set[str]:
    return {stem(w) for w in content_words(text)}


def best_fitting(
    question: Question, sentences: list[EvidenceSentence], forms: dict[str, str] | None = None
) -> tuple[float, list[EvidenceSentence]]:
    """The sentences whose source's title fits the question best (content-word Jaccard: topic
    and population), and that fit (0 when there are none). A title whose population differs
    from the question's (:mod:`medcite.answer.population`: men for a woman, after 24 weeks for
    before) never fits. ``forms``: short forms the question may use for a title's long form."""
    sentences = [
        s for s in sentences if not speaks_of_others(question.text, s.document.title, s.text)
    ]
    spelt = _spelt_out(question.text, forms or {})
    asked = content_words(without_source_names(spelt))
    said = _stems_of(spelt)  # once, not per sentence
    fit = {
        s.document.id: jaccard(asked, content_words(without_source_names(s.document.title)))
        for s in sentences
    }  # "U.S. Preventive Services Task Force" names no topic (set AJ: lung cancer's statement
    # fitted a question on what the Task Force says of skin cancer screening)
    agree = {s.document.id: agreeing(question.text, s.document.title) for s in sentences}
    topic = {s.document.id: topic_words(s.document.title, said) for s in sentences}
    rank = {doc: (topic[doc], agree[doc], value) for doc, value in fit.items()}
    top = max(rank.values(), default=(0, 0, 0.0))  # the topic asked first (set AK: the
    # pelvic examination's I statement on "asymptomatic adult women" answered a question on
    # gonorrhea), then the people named alike (set AJ: with every record of the cervical
    # statement found, the one on hysterectomy answered an 18-year-old over the one on women
    # younger than 21), then the words
    return top[2], [s for s in sentences if rank[s.document.id] == top]


def asked_groups(question: Question, groups: list[list[str]]) -> list[list[str]]:
    """Of a message that tells a story and then asks, the groups its question sentences name
    (all of them when they name none or when there is no story; a condition told first, "If
    …,", is story): "Asymptomatic 70-year-old with hypertension and a 40 pack-year
    smoking history … Is that enough risk to justify checking his carotids for stenosis?" asks
    about stenosis, and the USPSTF's statement on screening for carotid stenosis states it
    without naming hypertension or smoking (set AE). Only a guideline's recommendation is held to
    these alone (:func:`read_question`): its title's population stands for the story's people,
    a study's finding does not ("fall risk … Do I really want her on Coumadin?")."""
    questions = [_IF_CLAUSE.sub("", q) for q in _story_questions(question)]
    if not questions and _IF_CLAUSE.match(question.text):
        questions = [_IF_CLAUSE.sub("", question.text)]
    if not questions:
        return groups
    said = normalise_term(" | ".join(questions))
    spoken = {p for g in groups for p in g if f" {normalise_term(p)} " in f" {said} "}
    named = [g for g in groups if any(_said_alone(p, g, spoken) for p in g if p in spoken)]
    return named or groups


_IF_CLAUSE = re.compile(r"^\s*(?:if|when|since|because|although|even though)\b[^,?]{3,}, ", re.I)
"""A condition told before the question: "If a woman who could become pregnant eats
folate-fortified cereal and bread every day, does the USPSTF still recommend that she take a daily
folic acid supplement …?" asks of the supplement (set AS abstained: the statement never says
"bread")."""


def _said_alone(phrase: str, group: list[str], spoken: set[str]) -> bool:
    """Whether a question sentence says ``phrase`` of its own, not as a word of another side's
    phrase: "lipid" of "routine lipid screening" does not ask about the story's "fasting lipid
    panel" (set AJ: the panel became the focus, and the USPSTF's statement on lipid screening in
    children was off it)."""
    return not any(
        other not in group and f" {phrase} " in f" {other} " and other != phrase for other in spoken
    )


def _asks_of_the_story(question: Question, groups: list[list[str]]) -> bool:
    """Whether a message tells its subject in a story and asks of it by pronoun alone: "The
    doctor removed a bump from my back and the biopsy says dermatofibrosarcoma protuberans.
    What is that exactly?" — "back" and "biopsy" are the story, not sides a bottom line must
    name (set AA abstained). A question sentence that names any key phrase keeps them all."""
    asking = _story_asking(question)
    if asking is None:
        return False
    said = normalise_term(asking)
    return not any(normalise_term(phrase) in said for group in groups for phrase in group)


def _spoken_sides(
    question: Question, groups: list[list[str]], sides: tuple[frozenset[str], ...]
) -> tuple[frozenset[str], ...]:
    """Of a story about a thing a consumer page is titled with, the sides its question sentence
    names: "What is Pelizaeus-Merzbacher disease? my nephew … his eyes jerk back and forth" is
    answered by the page's definition, which never says "back" (set AL abstained). Holding
    every story to its question sentence answered clinicians' stories from sentences off their
    patient (sets W–AL); what it asks of the thing ("What gene causes it?") stays a side: the
    gene's name is the answer."""
    spoken = [frozenset(g) for g in asked_groups(question, groups)]
    return tuple(side for side in sides if side in spoken)


def _story_questions(question: Question) -> list[str]:
    """The sentences of a message of several that ask (end with "?"); none of a one-sentence
    message."""
    sentences = split_sentences(question.text)
    return asking_sentences(sentences) if len(sentences) >= 2 else []


def _only_question(question: Question) -> str | None:
    """The question sentence of a story that asks one question, or None."""
    asking = _story_questions(question)
    return asking[0] if len(asking) == 1 else None


def _story_asking(question: Question) -> str | None:
    """The last sentence of a message of several that asks (ends with "?"), or None."""
    asking = _story_questions(question)
    return asking[-1] if asking else None


def _beside(
    group: list[str], focus: list[str], known: Callable[[list[str]], set[str]] | None
) -> bool:
    """Whether a group names something beside the focus: "thyroid replacement" beside "thyroid
    stimulating hormone" holds no term of its own once the focus's words are set aside (its
    vocabulary word is the focus's "thyroid"); a bottom line need not name it (set V: a TSH
    question abstained although the hypothyroidism page says when TSH is tested)."""
    focus_words = {w for phrase in focus for w in tokens(phrase)}
    rest = [" ".join(w for w in tokens(p) if w not in focus_words) for p in group]
    rest = [r for r in rest if r and r not in STOPWORDS]
    if not rest:
        return False
    return known is None or bool(known(rest))


def asked_of(question: Question, focus: list[str] | None) -> str:
    """What the reader reads the sentences with: the question itself, or for a long message
    (a consumer's story around a question, the reader reads at most 128 tokens of question and
    sentence together and was trained on short questions) the question its type asks about its
    focus ("How is retinitis pigmentosa treated?")."""
    if question.yes_no:
        return question.text
    text = REFERENCE.sub("it", question.text)  # "What is this condition?" read as "What is
    # it?" (set BM: read as said, its prevalence outscored the page's definition)
    kind = asked_kind(question)
    own = None if kind in _SECTION_KINDS else kind  # a kind read as its page's own question
    asks = _story_asking(question)
    story = own is not None and bool(asks and POINTING.search(asks))  # "How did she get it?"
    # of a short story: read as "Is X inherited?" (the reader does not relate them)
    if len(question.text.split()) <= LONG_QUESTION and not story:
        return text
    topic = focus[0] if focus else topic_of(question)
    asking = asking_clause(question.text)
    if asking is not None and normalise_term(topic) in normalise_term(asking):
        return asking  # "What is the right interval for checking the TSH level …"
    if own is not None:  # "… How did she get it, and could our next baby have it too?" is
        named = _lead_names(question)  # read as "Is X inherited?" (set AG)
        return _KIND_TITLES[own].format(named[0] if named else topic)
    need = need_for(question) or SectionKey.DEFINITION
    return FOLLOW_UP_TEMPLATES[need].format(topic=topic)


_SECTION_KINDS = frozenset(["symptoms", "treatment", "exams and tests"])
"""Kinds a section answers (:func:`medcite.answer.plan.need_for`): a story asking of them is read
as the story, for the reader's reading of "What are the symptoms of X?" put a page's prevalence
first (sets AB, AD); the other kinds are read as the page's own question."""


def story_question(
    question: Question,
    focus: list[str] | None,
    concepts_of: Callable[[str], set[str]] | None = None,
) -> str | None:
    """The question sentence of a story, read alone: "We just moved to Arizona and a neighbor
    told us to watch out for valley fever. How do people catch it?" asks "How do people catch
    valley fever?" (its first pronoun named by the focus); "… What are the symptoms of adult
    Still's disease?" asks that. A trusted page is recognised by it (set AC: "… Is it
    inherited …?" abstained beside GHR's "Is pseudocholinesterase deficiency inherited?").
    Reading the sentences with it instead of the whole story changed 17 bottom lines of sets
    W–AB, more of them for the worse. None for a one-sentence question, a long question
    sentence, or one that neither names the focus nor points at it. A sentence naming the
    focus by another of its names (``concepts_of``: a phrase's concepts in the vocabulary) asks of
    it: "… diagnosed with lymphangioleiomyomatosis … How many people are affected by LAM?"
    (set BE abstained: read whole, its story of asthma treatment scored the prevalence 0.15)."""
    last = _story_asking(question)
    if last is None or not focus or len(last.split()) > LONG_QUESTION:
        return None
    if normalise_term(focus[0]) in normalise_term(last) or _names_by_another(
        last, question, focus, concepts_of
    ):
        return last
    pointing = POINTING.search(last)
    if pointing is None:
        return None
    thing = _THING_PRONOUN.search(last, pointing.end())
    if pointing.group(0).lower() in ("they", "them") and thing is not None:
        pointing = thing  # "how do they treat it?": they are the doctors, it is the thing
    end = pointing.end()
    named = REFERENCE.match(last, pointing.start())
    if named is not None:  # "What is this condition?" asks "What is <the focus>?"
        end = named.end()
    return f"{last[: pointing.start()]}{focus[0]}{last[end:]}"


def _names_by_another(
    sentence: str,
    question: Question,
    focus: list[str],
    concepts_of: Callable[[str], set[str]] | None,
) -> bool:
    """Whether ``sentence`` says a question phrase outside the focus that the vocabulary holds
    as a name of the focus's own concept ("LAM" of "lymphangioleiomyomatosis")."""
    if concepts_of is None:
        return False
    words = f" {normalise_term(sentence)} "
    said = [c for c in question.concepts if c not in focus and f" {c} " in words]
    own = concepts_of(focus[0]) if said else set()
    return any(concepts_of(c) & own for c in said)


_THING_PRONOUN = re.compile(r"\b(?:it|that|this)\b", re.I)


_ASKING_CLAUSE = re.compile(
    r"\b(?:what|when|how|which|why|who|where|is|are|can|could|does|do|should)\b[^,;?]*", re.I
)


def asking_clause(text: str) -> str | None:
    """The clause of a long message that asks its question, when it is short enough to read
    and starts with a question word ("What is the right interval for checking the thyroid
    stimulating hormone level on patients on thyroid replacement" of a 40-word question that
    goes on with a second): read as it is, not as a template of its type ("How is thyroid
    stimulating hormone level treated?")."""
    for sentence in split_sentences(text):
        if not sentence.rstrip().endswith("?"):
            continue
        found = _ASKING_CLAUSE.match(sentence.strip())
        if found is None:
            continue
        clause = found.group(0).strip()
        if 5 <= len(clause.split()) <= LONG_QUESTION:
            return clause + "?"
    return None


def read_sections(
    reader: Reader,
    question: Question,
    plan: tuple[SectionKey, ...],
    sentences: list[EvidenceSentence],
    readings: Readings,
    settings: AnswerSettings,
) -> None:
    """Each planned section's sub-question, read with its best-placed candidates (the sentences
    whose wording fits the section, best answers to the question first), all in one pass;
    pairs read before (for another audience) are not read again."""
    topic = topic_of(question)
    pairs: list[tuple[SectionKey, EvidenceSentence, str]] = []
    for key in plan:
        template = FOLLOW_UP_TEMPLATES.get(key)
        if template is None:
            continue
        candidates = [
            s
            for s in sentences
            if key in s.sections
            and (key, s.key) not in readings.sections
            and s.key in readings.answers
        ]
        candidates.sort(key=lambda s: (-readings.answer_of(s), -s.relevance, s.key))
        sub_question = template.format(topic=topic)
        pairs += [(key, s, sub_question) for s in candidates[: settings.reader_section_candidates]]
    if not pairs:
        return
    reading = reader.predict_pairs([(q, s.text) for _, s, q in pairs])
    for i, (key, sentence, _) in enumerate(pairs):
        readings.sections[(key, sentence.key)] = float(reading.answers[i])


def bottom_line_order(
    sentence: EvidenceSentence, readings: Readings
) -> tuple[float, float, tuple[str, str]]:
    """Sort key of bottom-line candidates: the reader's P(answers), lowered for a sentence
    that leans on the one before it ("These infants …": −0.3) or does not name what was asked
    about (−0.15); then relevance; ties by key."""
    score = readings.answer_of(sentence)
    if not stands_alone(sentence.text) or _OTHERS.match(sentence.text):
        score -= 0.3  # "Other causes include …" adds to an answer, it does not lead one
    if readings.focus and not names_focus_here(sentence, readings.focus):
        score -= 0.15
    if readings.need is SectionKey.TREATMENT and _NO_CURE.match(sentence.text):
        score -= NO_CURE_PENALTY  # what is not there, when what is there was asked (set AA)
    if readings.need is SectionKey.DEFINITION and readings.need in sentence.sections:
        score += DEFINITION_BONUS  # "X is a …", the form a definition takes
    elif (
        readings.focus
        and not names_focus_here(sentence, readings.focus)
        and _defines_another(sentence.text, readings.focus)
    ):
        score -= OTHER_DEFINITION_PENALTY  # not "Surgery is the most common treatment for X"
    score -= _table_penalty(sentence.text)
    return (-score, -sentence.relevance, sentence.key)


_OTHERS = re.compile(r"other\b", re.I)


def _read_tables_whole(
    sentences: list[EvidenceSentence], answers: dict[tuple[str, str], float]
) -> None:
    """Each sentence told from one phenotype table answers as well as the best of them: the
    table is one answer, and its commonest signs lead (:func:`_table_penalty`; set Z: the
    reader scored Henoch-Schönlein purpura's 7.5% signs 0.40 and its 90% signs 0.33, under the
    floor)."""
    tables: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for sentence in sentences:
        told = told_signs(sentence.text)
        if told is not None and sentence.key in answers:
            tables.setdefault((sentence.document.id, told.condition), []).append(sentence.key)
    for keys in tables.values():
        best = max(answers[key] for key in keys)
        answers.update(dict.fromkeys(keys, best))


def _table_penalty(text: str) -> float:
    """How much lower a sentence told from a phenotype table (:mod:`medcite.ingest.phenotype`)
    stands than the table's others: its signs seen in half of patients or fewer, or how often
    not known, well below (set AV's Papillon-Lefèvre syndrome led with its 7.5% signs, melanoma
    among them), and the less often seen after the more. Prose comes before any table in the
    engine's order of bottom lines, so no penalty sets a table below prose here."""
    told = told_signs(text)
    if told is None:
        return 0.0
    rare = told.percent is None or told.percent <= RARE_SIGNS
    fewer = (100.0 - (told.percent or 0.0)) / 100.0 * FREQUENCY_STEP  # 90 % before 13/24
    later = FREQUENCY_STEP if " also include " in text else 0.0  # a frequency's first list
    return (RARE_PENALTY if rare else 0.0) + fewer + later


FREQUENCY_STEP = 0.01  # orders a table's sentences among themselves, not against prose
RARE_PENALTY = 0.3
RARE_SIGNS = 50.0  # percent of patients


def signs_answering(
    question: Question, sentences: list[EvidenceSentence]
) -> list[EvidenceSentence]:
    """The sentences that may be evidence: any but one told from a phenotype table, which
    answers only a question on the signs of the very condition it names ("Signs and symptoms
    of Graves' disease include … goiter …" is no cause of onycholysis, nor Giant axonal
    neuropathy's signs those of axonal neuropathy with neuromyotonia: sets Z and AD)."""
    kinds = {kind for _, kind in _kinds_in(question, question.text)}
    asked = "symptoms" in kinds or need_for(question) is SectionKey.PRESENTATION
    signs = asked or (question.yes_no and not kinds)
    said = content_words(question.text)
    return [s for s in sentences if _of_asked_signs(told_signs(s.text), signs, said)]


def _of_asked_signs(told: ToldSigns | None, signs: bool, said: set[str]) -> bool:
    """Not told from a table, or told of a condition whose every word the question says when
    it asks for signs (``signs``)."""
    if told is None:
        return True
    named = {w for w in content_words(told.condition) if not w.isdigit()} - _KIND_NOUNS
    return signs and bool(named) and named <= said


_KIND_NOUNS = frozenset({"type", "syndrome", "disease", "disorder"})


def names_focus_here(sentence: EvidenceSentence, focus: frozenset[str]) -> bool:
    """Whether a sentence names the focus, or its head noun on a page titled with it: "Birth
    control pills can help prevent new cysts." on the ovarian cysts page (set AJ: it lost the
    bottom line of "Is there any way to prevent ovarian cysts?" to a sentence on PCOS)."""
    if sentence.mentions & focus:
        return True
    title = f" {normalise_term(sentence.document.title)} "
    said = {stem(w) for w in tokens(sentence.text)}
    return any(
        " " in phrase and f" {phrase} " in title and stem(phrase.split()[-1]) in said
        for phrase in focus
    )


_NO_CURE = re.compile(
    r"^(?:unfortunately,? )?there is (?:currently |still |presently )?no (?:known )?cure\b", re.I
)
DEFINITION_BONUS = 0.2
"""How much a definition question's bottom line worded as a definition ("X is a …") gains over
the reader's score: it scored a subtype's detail above "Dermatofibrosarcoma protuberans is a
rare type of cancer …" (set AA). A like bonus for every need (0.1: a treatment sentence for a
treatment question) cost MEDIQA Alexa 3 questions (0.798 → 0.769): MEDIQA's answers are all on
the question's topic, and the reader tells them apart better than the section cues do."""
NO_CURE_PENALTY = 0.2
"""How much "There is no cure for X" loses as the bottom line of a treatment question."""

OTHER_DEFINITION_PENALTY = 0.2
"""How much a sentence saying what another thing is loses as the bottom line of a question that
asks no definition: "Radiation therapy is a cancer treatment that uses high energy x-rays …" for
"What are the treatments for uterine sarcoma?" (set BG; the page's "Surgery is the most common
treatment for uterine sarcoma" scored lower)."""

_DEFINED = re.compile(r"^((?:[\w-]+ ){1,4})(?:is|are) (?:an?|the) ", re.I)


def _defines_another(text: str, focus: frozenset[str]) -> bool:
    """Whether ``text`` opens by saying what a thing other than the focus is ("Radiation
    therapy is a …")."""
    defined = _DEFINED.match(text)
    if defined is None:
        return False
    subject = {stem(w) for w in tokens(defined.group(1))} - STOPWORDS
    return bool(subject) and not any(
        subject & {stem(w) for w in tokens(phrase)} for phrase in focus
    )


def names_a_side(sentence: EvidenceSentence, readings: Readings) -> bool:
    """Whether a sentence names one of the question's other sides (always, when it has none):
    a bottom line about SSRIs and headaches does not answer which SSRI causes serotonin
    syndrome most often."""
    return not readings.sides or any(sentence.mentions & side for side in readings.sides)


def section_score(key: SectionKey, sentence: EvidenceSentence, readings: Readings) -> float:
    """How well a sentence answers a section's question: its sub-question's reading, or for
    key evidence (and sections without a sub-question) the question's own."""
    if sentence.key in readings.off_focus or not stands_alone(sentence.text):
        return 0.0  # about something else, or not understandable on its own
    if not readings.states_relation(sentence):
        return 0.0  # an item of a yes/no answer states the asked relation, whatever its section
    if key in FOLLOW_UP_TEMPLATES:
        return readings.sections.get((key, sentence.key), 0.0)
    if key is SectionKey.KEY_FINDINGS and sentence.key in readings.weighed:
        # the verdict weighed it: key evidence, the more decided the sooner
        decided = 1.0 - float(readings.stance_of(sentence)[2])
        return max(readings.answer_of(sentence), WEIGHED_FLOOR + (1 - WEIGHED_FLOOR) * decided)
    return readings.answer_of(sentence)


WEIGHED_FLOOR = 0.6
"""Section score of a sentence the yes/no verdict weighed, however sure the reader was that it
answers: a trial's conclusion is the key evidence of the question its title asks."""


LEAD_SIMILARITY = 0.75
"""Content-word overlap (Jaccard) between the question and a trusted page's own question
(its title) that makes the page the answer's lead: "What are sickle cell disease symptoms?"
and "What are the symptoms of Sickle Cell Disease ?" share every content word."""


def lead_document(
    question: Question, sentences: list[EvidenceSentence], readings: Readings, floor: float
) -> str | None:
    """A trusted consumer-health page written to answer this very question (NIH's answer to
    "What are the symptoms of X?"), when one of its sentences answers: the answer is then built
    around it, in its order. Recognised by its title, a question with the same content words
    (a story's: those of its question sentence, :func:`story_question`)."""
    asked = content_words(readings.asking or question.text)
    defining = (
        _defining(sentences, readings.focus) if readings.need is SectionKey.DEFINITION else []
    )
    defined = frozenset(s.document.id for s in defining)
    opened = frozenset(s.document.id for s in defining if _opens_page(s))  # the page on it
    best: tuple[float, bool, str] | None = None
    for sentence in sentences:
        document = sentence.document
        if document.evidence_type is not EvidenceType.CONSUMER_HEALTH:
            continue
        if not document.title.rstrip().endswith("?"):
            continue
        if readings.answer_of(sentence) < floor and document.id not in opened:
            continue  # the page that says what it is, however the reader scores it (set BO:
            # "Cholesteatoma is a type of skin cyst …" scored under the floor, and the symptoms
            # page answered "What is a cholesteatoma?")
        title = content_words(document.title)
        overlap = jaccard(asked, title)
        if document.id in opened and is_definition_page(document.title):
            overlap = max(overlap, LEAD_SIMILARITY)  # the page on it by another name that
            # says what it is: "Conjunctivitis is the medical name for pink eye." on "What is
            # (are) Pinkeye ?" (set BO led with familial cold autoinflammatory syndrome's
            # "Redness in the whites of the eye (conjunctivitis) …")
        rank = (-overlap, document.id not in defined, document.id)
        if overlap >= LEAD_SIMILARITY and (best is None or rank < best):
            best = rank
    return best[2] if best else None


def _asks_of(question: Question, focus: frozenset[str]) -> bool:
    """Whether a sentence of the question that asks ("…?") names the focus."""
    asked = f" {normalise_term(' '.join(questions_in(question.text)))} "
    return any(f" {f} " in asked for f in focus)


def tells_effects(text: str, focus: frozenset[str]) -> bool:
    """Whether a sentence opens with what the focus causes ("Dry mouth can cause several
    problems, including …"): its effects, no answer to what causes it (set BI's "What are the
    causes of a dry mouth?" led with it)."""
    return _opens_on(_CAUSES_OF_FOCUS, text, focus)


def tells_causes(text: str, focus: frozenset[str]) -> bool:
    """Whether a sentence says what causes the focus ("Hemolytic anemia can cause … signs …
    such as jaundice …", "High levels of bilirubin cause jaundice."): the focus, or its last
    word, said after a causal verb and not before it; no answer to what the focus causes."""
    said = normalise_term(text)
    found = _CAUSAL_VERB.search(said)
    if found is None:
        return False
    before, after = f" {said[: found.start()]} ", f" {said[found.end() :]} "
    for phrase in focus:
        names = {phrase, phrase.split()[-1]}
        if any(f" {n} " in after for n in names) and not any(f" {n} " in before for n in names):
            return True
    return False


_CAUSAL = r"(?:cause|causes|lead to|leads to|result in|results in)"
"""A causal verb, as :func:`tells_effects` and :func:`tells_causes` read it."""
_CAUSAL_VERB = re.compile(rf"\b{_CAUSAL}\b")


_CAUSES_OF_FOCUS = re.compile(
    r"^(?:an? |the )?(?P<focus>[^|]+?) (?:(?:can|may|might|could|will|often|also|sometimes"
    rf"|usually) )*{_CAUSAL}\b[^|]* \|(?P=focus)$"
)


def _defining(sentences: list[EvidenceSentence], focus: frozenset[str]) -> list[EvidenceSentence]:
    """The sentences saying what the focus is ("Rh incompatibility is a condition that …"): of
    two pages titled "What is (are) Rh Incompatibility ?", the one that says it leads (set BI:
    MedlinePlus's, first by id, opened with "Blood tests can tell …")."""
    return [s for s in sentences if _opens_on(_DEFINES_FOCUS, s.text, focus)]


def opens_by_defining(sentence: EvidenceSentence, focus: frozenset[str]) -> bool:
    """Whether a sentence is its page's first and says what the focus is
    (:data:`_DEFINES_FOCUS`): the page on it, not the page on ataxia with vitamin E deficiency,
    inside which "Vitamin E is an antioxidant …" stands, nor Alzheimer disease's with its
    "Memory loss is …"."""
    return _opens_page(sentence) and _opens_on(_DEFINES_FOCUS, sentence.text, focus)


def _opens_page(sentence: EvidenceSentence) -> bool:
    """Whether a sentence is the first of its page (its first passage's opening words)."""
    return sentence.passage.ordinal == 0 and sentence.start == 0


def _opens_on(pattern: re.Pattern[str], text: str, focus: frozenset[str]) -> bool:
    """Whether ``pattern`` matches a normalised sentence, "|" and one of the focus's phrases:
    the sentence opens on the focus as the pattern says (:data:`_CAUSES_OF_FOCUS`,
    :data:`_DEFINES_FOCUS`)."""
    said = normalise_term(text)
    return any(pattern.match(f"{said} |{f}") for f in focus)


_DEFINES_FOCUS = re.compile(r"^(?P<focus>[^|]+?) (?:is|are) (?:an?|the)\b[^|]* \|(?P=focus)$")
"""A normalised sentence, "|", a focus: the sentence opens by saying what the focus is."""


def trusted_lead(
    question: Question, sentences: list[EvidenceSentence], readings: Readings, floor: float
) -> str | None:
    """The trusted page an answer is built around: the page of the asked kind first
    (:func:`typed_lead`), then one titled with the question's words (:func:`lead_document`):
    "How common is spastic paraplegia type 3A?" shares every content word but "common" with
    "What is (are) spastic paraplegia type 3A?", and its symptoms answered (set AG)."""
    return typed_lead(question, sentences, readings, floor) or lead_document(
        question, sentences, readings, floor
    )


_GENES = re.compile(
    r"\b[A-Z][A-Z0-9-]{2,}\b(?:,? (?:and |or )?(?:the )?[A-Z][A-Z0-9-]{2,}\b)*,? genes?\b"
)


def names_genes(text: str) -> bool:
    """Whether a sentence names genes by their symbols ("mutations in the RAPSN, CHAT, COLQ, and
    DOK7 genes"), as "What gene mutations cause …?" asks (set AG: "Mutations in many genes can
    cause congenital myasthenic syndrome" answered it)."""
    return bool(_GENES.search(text))


_PAGE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(rf"\b(?:{pattern})\b"))
    for label, pattern in (
        ("inheritance", r"inherit\w*|hereditary|genetic(?! counsel| test| changes?)"
         r"|runs? in (?:the |my |our )?famil\w*"
         r"|pass(?:ed|es)? (?:\w+ )?(?:on|down) to"
         r"|chances? (?:that )?(?:\w+ ){1,3}(?:will |would |could )?(?:get|inherit|develop)"
         r"|(?:next|other|another|future) (?:baby|babies|child|children|kids?|pregnanc\w+)"
         r"|how did (?:she|he|they|i|we|you) get (?:it|this)"),
        ("symptoms", r"symptoms?|signs?|manifestations?"
         r"|(?:typical|common|usual|main|clinical|physical) (?:features|abnormalities|findings)"),
        ("exams and tests", r"tests?|testing|diagnos(?!ed with)\w*|exams?"),
        ("outlook", rf"outlook|prognos\w*|life expectancy|surviv\w*|{UNTREATED}"),
        ("complications", r"complications?"),
        ("causes", r"what (?:\w+ )?caus\w*|caused by|causes? of|why (?:do|does|is|are|did)"),
        ("prevention", r"prevent\w*|(?:lower|reduce|decrease)\w* (?:\w+ ){0,2}(?:risk|chances?)\b"),
        ("research", r"research\w*|clinical trials?|being (?:tested|studied|developed)"),
        ("treatment", r"treat\w*|therap\w*|manag\w*|cured?"
         r"|what (?:should|can|do) (?:i|we|you|they) (?:use|take|apply|put on)"),
        ("susceptibility", r"at (?:\w+ )?risk|risk factors?|who (?:gets|develops)"),
        ("frequency", r"how common|how many people|how rare|prevalence"
         r"|(?:is|are) (?:it|this|that|they) (?:\w+ )?(?:common|rare)"),
        ("genetic changes", r"genes?|mutations?|mutated|genetic changes?"),
    )
)  # fmt: skip
"""A consumer-health page's kind (MedQuAD's question type, its passage's section) and the words
of a question that ask for what that kind of page answers."""


def typed_lead(
    question: Question, sentences: list[EvidenceSentence], readings: Readings, floor: float
) -> str | None:
    """The trusted page of the asked kind about the question's focus, when no page asks the
    question in its own words (:func:`lead_document`): "Is Camurati-Engelmann disease
    inherited?" for "My husband has Camurati-Engelmann disease. What are the chances our kids
    will get it?" (set AD: the definition, then the prevalence, came first). Its best answering
    sentence decides among several, else its opening read in its page (:func:`page_text`: a
    story's page whose sentences never name its topic); ties by id. Not for a yes/no
    question: a page of the kind ("exams and tests" of breast cancer) does not say whether this
    patient should be tested."""
    kind = readings.kind
    foci = [content_words(c) for c in _lead_names(question)]
    if kind is None or not any(foci):
        return None
    typed = on_kind_pages(sentences, kind, [focus for focus in foci if focus])
    if not typed:  # the page titled exactly with the reader's focus, else with the thing the
        # focus is a kind of: "How is pneumonia treated in someone with a weakened immune
        # system?" asks pneumonia's treatment page (set AZ: its risk sentence answered), "What
        # causes stable angina?" the page on angina; not any tumour's for "this kind of tumor"
        focused = [content_words(c) for c in sorted(readings.focus)]
        for names in ([f for f in focused if f], [g for g in map(_genus, foci + focused) if g]):
            typed = [
                s
                for s in on_kind_pages(sentences, kind, names)
                if title_topic(s.document.title) in names
            ]
            if typed:
                break
    asked = list(foci)
    if readings.aliases:  # the page titled with another name of it, exactly ("What are the
        # symptoms of Hypotension?"; not alopecia universalis's for hair loss)
        aliased = titled_as(on_kind_pages(sentences, kind, [set()]), readings.aliases)
        typed += [s for s in aliased if s not in typed]
        foci += [content_words(alias) for alias in readings.aliases]
    exact = [s for s in typed if title_topic(s.document.title) in asked] or [
        s for s in typed if title_topic(s.document.title) in foci
    ]  # the page titled with the asked name before one titled with another (set BP: "Is
    # Achondroplasia inherited ?" answered "Is SADDAN inherited?", MeSH filing SADDAN under it)
    typed = exact or typed  # "Is Ehlers-Danlos syndrome inherited?" over the page on one of
    # its types (set AB: the dermatosparaxis type's recessive odds answered a dominant form)
    prose = [s for s in typed if told_signs(s.text) is None]  # a page's prose over a table
    # of terms (set AA: Behçet's 7.5% signs led over "… recurrent ulcers in the mouth …")
    if readings.need is SectionKey.DEFINITION or _WHAT_IT_IS.search(question.text):
        typed = prose  # "What does that mean, and does it cause any other symptoms?": a table
        # of signs is no definition (set AB: Sertoli cell-only syndrome)
    return (
        _best_page(prose, readings.answer_of, floor)
        or _best_page(typed, readings.answer_of, floor)
        or _best_page(typed, readings.page_of, floor)
        or (
            _best_page(  # the page of the kind on the asked thing itself, however the reader
                # scores it (set BX: "What is the outlook for Neurosyphilis ?" scored 0.22 for
                # "… diagnosed with neurosyphilis … What is his outlook with treatment?", and
                # its definition answered); not when what it is is asked first, nor a page
                # off the reader's focus (set AN: "… rheumatoid arthritis and … also have
                # anemia of chronic disease. What blood tests are used to diagnose that?")
                [
                    s
                    for s in prose
                    if title_topic(s.document.title) in asked
                    and any(
                        content_words(f) <= title_topic(s.document.title) for f in readings.focus
                    )
                ],
                readings.answer_of,
                0.0,
            )
            if readings.need is not SectionKey.DEFINITION and not _asks_what_first(question)
            else None
        )
    )


def _genus(words: set[str]) -> set[str]:
    """The thing a two-word name is a state or kind of ("stable angina" → angina), else
    nothing."""
    ordered = list(words)
    if len(ordered) != 2:
        return set()
    for first, second in (ordered, ordered[::-1]):
        if first in _SUBTYPES and second not in _SUBTYPES:
            return {second}
    return set()


_SUBTYPES = STATE_WORDS | _KIND_WORDS | {"stable", "unstable"}


_WHAT_IT_IS = re.compile(
    r"\bwhat (?:does|do) (?:that|this|it|they) mean\b|\bwhat (?:is|are) (?:that|this|it|they)\b",
    re.I,
)


def _asks_what_first(question: Question) -> bool:
    """Whether a question sentence asks first what the thing is, no kind of page in that ask:
    "What is a urachal cyst, and how is it treated?" (set BV: the page on its treatment led,
    however the reader scored it, over its definition)."""
    for asking in questions_in(question.text):
        first = _FIRST_ASK.split(asking)[0]
        if _WHAT_IS.match(first) and not any(p.search(first.lower()) for _, p in _PAGE_KINDS):
            return True
    return False


_FIRST_ASK = re.compile(r",\s*(?:and|or)\b|\s+and\s+(?=how|what|why|when|which|is|are|can)", re.I)
_WHAT_IS = re.compile(r"^\W*(?:so |and )?what (?:is|are)\b", re.I)


def _best_page(
    sentences: list[EvidenceSentence], score: Callable[[EvidenceSentence], float], floor: float
) -> str | None:
    """The page of the best-scored sentence at or above ``floor``; ties by id."""
    scored = [(-score(s), s.document.id) for s in sentences if score(s) >= floor]
    return min(scored)[1] if scored else None


def asked_kind(question: Question, asking: str | None = None) -> str | None:
    """The kind of consumer page the question asks for first (:data:`_PAGE_KINDS`; ``asking``:
    a story's question sentence), or None; for a yes/no question only "inheritance" and
    "frequency" (a verdict needs the relation; "Is X inherited?" and "… is it common?" pages
    answer it in full). A kind's word inside the thing asked about asks nothing: "What is
    hereditary neuralgic amyotrophy?" (set AR: its inheritance answered)."""
    found = _kinds_in(question, asking or question.text)
    if not found and asking is not None:  # "… how many people have it? is it more common in
        # some countries?": the story's last question asks no kind, its first does (set AT)
        found = _kinds_in(question, question.text)
    if not found or not question.concepts:
        return None
    if question.yes_no:
        return next((kind for _, kind in found if kind in _YES_NO_KINDS), None)
    return found[0][1]  # the kind asked first leads


_YES_NO_KINDS = frozenset(["inheritance", "frequency"])


def asked_kinds(question: Question) -> list[str]:
    """Every kind of page the question asks for, the one :func:`asked_kind` leads with first
    ("What causes Aase syndrome? Is it inherited?": causes, inheritance)."""
    first = asked_kind(question)
    if first is None:
        return []
    found = [kind for _, kind in _kinds_in(question, question.text)]
    if question.yes_no:
        found = [kind for kind in found if kind in _YES_NO_KINDS]
    return list(dict.fromkeys([first, *found]))


def _kinds_in(question: Question, text: str) -> list[tuple[int, str]]:
    """The kinds the question sentences of ``text`` ask for (all of ``text`` when none ends
    with "?"), by where they are asked."""
    asked = [t for t in split_sentences(text) if t.endswith("?")]
    lowered = " ".join(asked or [question.text]).lower()
    for name in _lead_names(question):
        if _names_a_thing(name):  # not "next child", "gene mutations": those ask
            lowered = lowered.replace(name, "it")  # "pass it on to"
    return sorted(
        (match.start(), label)
        for label, pattern in _PAGE_KINDS
        if (match := pattern.search(lowered)) is not None
    )


def _names_a_thing(name: str) -> bool:
    """Whether a key phrase keeps two words or more once the words that ask for a kind of page
    are cut out: "hereditary neuralgic amyotrophy" names a disease, "next child" and "gene
    mutations" ask for its inheritance and its genes."""
    rest = name
    for _, pattern in _PAGE_KINDS:
        rest = pattern.sub(" ", rest)
    return len(rest.split()) >= 2


_KIND_TITLES = {
    "inheritance": "Is {} inherited?",
    "genetic changes": "What are the genetic changes related to {}?",
    "symptoms": "What are the symptoms of {}?",
    "exams and tests": "How to diagnose {}?",
    "outlook": "What is the outlook for {}?",
    "complications": "What are the complications of {}?",
    "causes": "What causes {}?",
    "prevention": "How to prevent {}?",
    "treatment": "What are the treatments for {}?",
    "susceptibility": "Who is at risk for {}?",
    "frequency": "How many people are affected by {}?",
    "research": "what research (or clinical trials) is being done for {}?",
}
"""How MedQuAD titles a page of each kind."""


def kind_page(question: Question) -> tuple[str, str, frozenset[str]] | None:
    """(the asked kind, a search for its page on the focus, the words that page's title must
    hold), or None: "How common is spastic paraplegia type 3A?" searches "How many people are
    affected by spastic paraplegia type 3A?" (set AG: the page on how many people it affects was
    never retrieved, and its symptoms answered)."""
    kind = asked_kind(question)
    names = _lead_names(question)
    if kind is None or not names or not content_words(names[0]):
        return None
    name = _asked_name(question, names)
    return kind, kind_title(kind, name), frozenset(content_words(name))


def titled_as(sentences: list[EvidenceSentence], names: tuple[str, ...]) -> list[EvidenceSentence]:
    """The sentences of pages whose title's topic is one of ``names`` word for word."""
    wanted = [content_words(name) for name in names]
    return [s for s in sentences if title_topic(s.document.title) in wanted]


def title_topic(title: str) -> set[str]:
    """A consumer page's title's content words without its kind's ("hypotension" of "What
    are the symptoms of Hypotension ?")."""
    return content_words(title) - _PAGE_WORDS


def on_own_page(sentence: EvidenceSentence, readings: Readings) -> bool:
    """Whether a sentence is a consumer page's on the focus itself, titled with one of its
    names and nothing else: "What is (are) Syphilis ?", not "What is (are) Neurosyphilis ?",
    whose "Neurosyphilis is different from syphilis …" led an answer on primary syphilis's
    symptoms over the syphilis page's "The early stage of syphilis usually causes a single,
    small, painless sore." (set BO)."""
    document = sentence.document
    if document.evidence_type is not EvidenceType.CONSUMER_HEALTH:
        return False
    topic = title_topic(document.title)
    return any(topic == content_words(name) for name in (*readings.focus, *readings.aliases))


def on_a_kind_of_page(sentence: EvidenceSentence, readings: Readings) -> bool:
    """Whether a sentence is a consumer page's on another thing whose name is a word built on
    the focus's: "What is (are) Neurosyphilis ?" for syphilis. (A page whose name holds the
    focus's word as it is, "… lupus nephritis" for lupus, was kept out too in a trial: six of
    the bottom lines it changed in sets W–BO got worse, among them hair loss's, lupus's and
    dermatomyositis's, and one got better.)"""
    document = sentence.document
    if document.evidence_type is not EvidenceType.CONSUMER_HEALTH:
        return False
    if on_own_page(sentence, readings):
        return False
    topic = title_topic(document.title)
    names = [content_words(name) for name in (*readings.focus, *readings.aliases)]
    singles = {next(iter(words)) for words in names if len(words) == 1}
    return any(name in word and name != word for name in singles for word in topic)


def kind_title(kind: str, name: str) -> str:
    """How MedQuAD titles the page of ``kind`` on ``name``."""
    return _KIND_TITLES[kind].format(name)


def asked_name(question: Question) -> str | None:
    """The name a page of the asked kind is searched by (:func:`kind_page`), or None."""
    names = _lead_names(question)
    return _asked_name(question, names) if names else None


def _asked_name(question: Question, names: list[str]) -> str:
    """The lead name a story's question sentence says, else the one the sentence nearest
    before it says, else the first: "… very white hair and pale skin … How is tietz syndrome
    treated?" searches the treatments of Tietz syndrome (set AR: "What are the treatments for
    white hair?" found nothing, and a definition answered); "… thick red scaly skin on her
    palms … the dentist mentioned papillon lefevre syndrome. what are the symptoms?" those of
    Papillon-Lefèvre syndrome (set AV: the skin was searched, and pachyonychia congenita's
    symptoms answered). Of a sentence's names the last said, the one the question follows
    ("… dry eyes and a dry mouth … my doctor thinks its sjogren syndrome. what causes sjogren?"
    asks of Sjögren syndrome, set AX: the causes of dry mouth were searched); the question
    sentence names one by its first word too ("sjogren"). A story's diagnosis, when the question
    sentence names nothing (:func:`story_diagnosis`), whatever it says after it."""
    diagnosis = story_diagnosis(question)
    if diagnosis and diagnosis[0] in names:
        return diagnosis[0]
    asking = _story_asking(question)
    if asking is None:
        return names[0]
    said = normalise_term(asking)
    for sentence in [said, *_told_before(question, asking)]:
        placed = [(_said_at(sentence, n), len(n), n) for n in names if n]
        if any(end >= 0 for end, _, _ in placed):  # the last said; of two ending there, the
            return max(placed)[2]  # longer ("low blood pressure", not "blood pressure")
        if sentence == said:
            first = next((n for n in names if _said_by_first_word(n, said)), None)
            if first is not None:
                return first
    return names[0]


def _told_before(question: Question, asking: str) -> list[str]:
    """The sentences of a story before its question sentence ``asking``, normalised, the
    nearest first."""
    sentences = [normalise_term(s) for s in split_sentences(question.text)]
    said = normalise_term(asking)
    return list(reversed(sentences[: sentences.index(said)])) if said in sentences else []


def _said_last(question: Question, groups: list[list[str]]) -> list[str] | None:
    """The group a story says last before its question sentence (in the nearest sentence that
    says one), which a question asking by pronoun alone asks of: "… they found a tumor in her
    pancreas called a glucagonoma. what is that?" (set BF: more sources are titled "tumor", and
    insulinoma's definition answered)."""
    asking = _story_asking(question)
    if asking is None or not _BARE_PRONOUN.match(asking.strip()):
        return None  # "What is that test for?", "… symptoms of this condition?" say what
    for sentence in _told_before(question, asking):
        placed = [(max(_said_at(sentence, c) for c in g), i) for i, g in enumerate(groups)]
        end, at = max(placed, default=(-1, -1))
        if end >= 0:
            return groups[at]
    return None


_BARE_PRONOUN = re.compile(
    r"(?:what|what's|whats)(?: (?:is|are|was|does|do))? (?:that|this|it|they|these|those)"
    rf"(?: (?:{THING_NOUNS}))?"
    r"(?: (?:exactly|mean|called))?\s*\?$",
    re.I,
)
"""A question sentence that asks of a story by a pronoun alone: "what is that?", "What does it
mean?"."""


def _said_at(sentence: str, name: str) -> int:
    """Where the last saying of a name in a sentence ends, or -1."""
    said = f" {normalise_term(name)} "
    at = f" {sentence} ".rfind(said)
    return at + len(said) if at >= 0 else -1


def _said_by_first_word(name: str, sentence: str) -> bool:
    """Whether a sentence says a name of several words by its first, a word of its own
    ("sjogren" of "sjogren syndrome"; not "dry" of "dry mouth")."""
    words = normalise_term(name).split()
    return (
        len(words) > 1
        and len(words[0]) >= FIRST_WORD_LENGTH
        and words[0] not in GENERIC_WORDS
        and words[0] not in STOPWORDS
        and words[0] in sentence.split()
    )


FIRST_WORD_LENGTH = 6
"""The shortest first word that names its phrase alone."""


def on_kind_pages(
    sentences: list[EvidenceSentence], kind: str, foci: list[set[str]]
) -> list[EvidenceSentence]:
    """The sentences of the consumer pages of ``kind`` whose titles hold every word of one of
    ``foci`` (:func:`of_kind_page`)."""
    return [
        s
        for s in sentences
        if any(of_kind_page(s.document, s.passage.section, kind, words) for words in foci)
    ]


def of_kind_page(
    document: Document, section: str | None, kind: str, words: frozenset[str] | set[str]
) -> bool:
    """Whether a passage (its document and section) is of the consumer page of ``kind`` whose
    title holds ``words`` (:func:`kind_page`, :func:`typed_lead`)."""
    return (
        document.evidence_type is EvidenceType.CONSUMER_HEALTH
        and heading_kind(section) == kind
        and words <= content_words(document.title)
    )


_HEADING_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(rf"^(?:{pattern})", re.I))
    for label, pattern in (
        ("treatment", r"(?:drug )?treatments?\b|therap(?:y|ies)\b|management\b"),
        ("exams and tests", r"exams and tests|diagnos|tests?\b"),
        ("symptoms", r"symptoms|signs and symptoms"),
        ("outlook", r"outlook|prognosis"),
        ("causes", r"causes?\b|what causes"),
        ("prevention", r"prevent"),
        ("complications", r"(?:possible )?complications"),
        ("susceptibility", r"risk factors|who (?:gets|is at risk)"),
        ("inheritance", r"inheritance|is \w+ inherited"),
        ("frequency", r"frequency|how common|statistics"),
    )
)  # fmt: skip
"""Section headings of consumer pages outside MedQuAD (MedlinePlus's "Exams and Tests",
"Outlook (Prognosis)", GARD's "Diagnosis", NIMH's "Treatments and Therapies") and the MedQuAD
page kind each one is (:data:`_PAGE_KINDS`)."""


def heading_kind(section: str | None) -> str | None:
    """The page kind of a passage's section: MedQuAD's own label, or a consumer page's heading
    read by :data:`_HEADING_KINDS` ("Diagnosis" is "exams and tests"); None for others."""
    label = (section or "").strip().lower()
    if label in _KIND_TITLES:
        return label
    return next((kind for kind, pattern in _HEADING_KINDS if pattern.search(label)), None)


def _lead_names(question: Question) -> list[str]:
    """What a page of the asked kind must be titled with: the subject, else the first key
    phrase or one of the first few the vocabulary knows of two words or more ("Muir-Torre
    syndrome" after the story's "sebaceous tumor"), or one a story's only question sentence
    says (set BZ: "… she was hypothyroid (thyroid stimulating hormone 400, T4 0, T3 0). What
    happened to her thyroid, why did she get hypothyroid?" searched the causes of the
    hormone)."""
    if question.subject:
        return [question.subject]
    known = [c for c in question.concepts[:KEY_PHRASES] if c in question.known and " " in c]
    asking = _only_question(question)  # not "Will she need chemo or radiation after
    # surgery?" after "What are the treatments for it?" (the treatments of surgery)
    said = f" {normalise_term(asking)} " if asking else ""
    asked = [c for c in question.concepts if c in question.known and f" {c} " in said]
    return list(dict.fromkeys([*story_diagnosis(question), *question.concepts[:1], *known, *asked]))


KEY_PHRASES = 4


def asks_the_same(question: Question, document_title: str) -> bool:
    """Whether a source's title asks the question itself (a study titled "Are serum leptin
    levels a prognostic factor in advanced lung cancer?" for that question): the same content
    words, Jaccard at least :data:`LEAD_SIMILARITY`."""
    return jaccard(content_words(question.text), content_words(document_title)) >= (LEAD_SIMILARITY)


def question_sides(question: Question) -> list[list[str]]:
    """The sides of the relation a question asks about (:func:`relation_sides` of its
    :func:`concept_groups`)."""
    return relation_sides(question, concept_groups(question))


def names_every_side(sentence: EvidenceSentence, sides: list[list[str]]) -> bool:
    """The sentence itself names every one of ``sides`` (not two thirds, not through its
    source): what a source beside the study that asked the question must say to count."""
    return all(sentence.mentions & set(group) for group in sides)


def beside_the_study(question: Question, sentences: list[EvidenceSentence]) -> set[str]:
    """The documents other than the studies that asked this very question (:func:`asks_the_same`)
    when there is one: their sentences count only where they name every side themselves (a
    systematic review of bisphosphonates is no evidence on surgery for spinal cord compression in
    the elderly). Empty when no study asked it."""
    same = {s.document.id for s in sentences if asks_the_same(question, s.document.title)}
    return {s.document.id for s in sentences} - same if same else set()


def in_document_order(sentences: list[EvidenceSentence]) -> list[EvidenceSentence]:
    return sorted(sentences, key=lambda s: (s.passage.ordinal, s.start, s.text))


SERVICE_SECTION = "SERVICE"
"""A recommendation record's service field: how and how often (the USPSTF's servFreq)."""
CONSIDERATIONS = frozenset({"RISK ASSESSMENT", SERVICE_SECTION})
"""The sections a recommendation record keeps beside its statement: who is at risk, how and
how often the service is given (the USPSTF's riskText and servFreq)."""

_RISK_LIST = re.compile(
    r"^(?:risk factors|factors) (?:associated with|for) (?P<of>.+?) include\b", re.I
)


def considerations(
    question: Question,
    statement: EvidenceSentence,
    sentences: list[EvidenceSentence],
    readings: Readings,
    most: int,
) -> tuple[SectionKey, list[EvidenceSentence]] | None:
    """The clinical considerations recorded with the recommendation a bottom line quotes: the
    ``most`` that share the most words with the question (the reader's score breaks ties: it
    reads these notes poorly), in the record's order, under "Who is at risk" when each is of
    its risk assessment and speaks of risk. Set BA's "which women does the USPSTF say should
    be screened for gonorrhea, and whose guidance does it cite …?" is answered by the ocular
    prophylaxis record's own notes, which the reader scores low beside its statement. A risk
    list of another condition is left out (the ankle-brachial index record's risk text lists
    the risk factors of sleep apnea). The notes of the record the question names
    (``readings.topical``) are on its topic whatever the story's other words: "a dye factory"
    made set BC's bladder cancer notes off the focus."""
    named = content_words(f"{question.text} {statement.document.title} {statement.text}")
    noted = [
        s
        for s in sentences
        if s.document.id == statement.document.id
        and (
            (s.passage.section or "").upper() in CONSIDERATIONS
            or (readings.topical and _rest_of_statement(question, s, statement))
        )
        and (readings.topical or s.key not in readings.off_focus)  # the named record's own
        and stands_alone(s.text)
        and not ((m := _RISK_LIST.match(s.text)) and not content_words(m["of"]) & named)
    ]
    noted = [  # a record's service field repeats a part of its statement (set BO's review)
        s for s in noted if not any(o is not s and s.text in o.text for o in noted)
    ]
    asked = content_words(question.text)
    first = first_ask(question.text, 0)  # how often, asked first, is the service field's
    often = asks_interval(first) or bool(ASKS_AGAIN.search(first))  # to say (set BX: "One-time
    # screening for most adults. Periodically screen persons with continued risk …" under the
    # hepatitis C record's risk assessment, which shares more of a story's words)
    weights = dict(
        zip(
            (s.key for s in noted),
            weighed(asked_words(question.text), [s.text for s in noted]),
            strict=True,
        )
    )
    best = sorted(  # what the question sentences ask, rarer words weighing more (set BQ: the
        # glucose statement's "consider screening earlier" over its "rescreening every 3 years")
        noted,
        key=lambda s: (
            -(often and (s.passage.section or "").upper() == SERVICE_SECTION),
            -round(weights[s.key], 6),
            -len(content_words(s.text) & asked),
            -readings.answer_of(s),
            s.key,
        ),
    )[:most]
    if not best:
        return None
    at_risk = all(
        (s.passage.section or "").upper() == "RISK ASSESSMENT" and _RISK_WORD.search(s.text)
        for s in best
    )
    return (SectionKey.RISK if at_risk else SectionKey.KEY_FINDINGS), in_document_order(best)


_RISK_WORD = re.compile(r"\brisks?\b", re.I)


def _rest_of_statement(
    question: Question, sentence: EvidenceSentence, statement: EvidenceSentence
) -> bool:
    """Whether a sentence is another of the named record's statement's, not the one quoted:
    set BQ's "what is overdiagnosis, does starting younger … raise it, and which age group is
    most likely to avoid breast cancer death …?" is answered by the 40-to-49 statement's own
    "Of all of the age groups, women aged 60 to 69 years are most likely …", while its risk
    assessment's notes were told. Not its statement for other people ("For women aged 30 to
    65 years, …" for a 26-year-old), a pointer to another section, nor its literature scans
    unless the question asks about the evidence (the blind review of the change: each crowded
    out a note that answered)."""
    text = sentence.text
    return (
        (sentence.passage.section or "").upper() == STATEMENT_SECTION
        and text not in statement.text
        and statement.text not in text
        and not _POINTER.search(text)
        and (not _SCANS.match(text) or _ASKS_EVIDENCE.search(question.text) is not None)
        and not speaks_of_others(question.text, statement.document.title, text)
    )


_POINTER = re.compile(
    r"^\W*(?:go to|see|refer to)\b|\bsection for (?:more )?information\b|\bavailable at\b", re.I
)
_SCANS = re.compile(r"^\W*literature scans?\b", re.I)
_ASKS_EVIDENCE = re.compile(
    r"\b(?:new evidence|evidence review|updated?|reviewed|since (?:its|the) last|looked for)\b",
    re.I,
)


STATEMENT_SECTION = "RECOMMENDATION"
"""The section of a recommendation record that holds its statement (the USPSTF's text)."""


def opening(sentences: list[EvidenceSentence]) -> list[EvidenceSentence]:
    """The first of a page's sentences that stands alone (its "This condition" being the
    page's), in the page's order: how a page of the asked kind opens its answer ("Treatment of
    Leigh syndrome is directed toward the specific symptoms present in each person.")."""
    return [
        s
        for s in in_document_order(sentences)
        if stands_alone_in_page(s.text) and not _OTHERS.match(s.text)
    ][:1]


def content_words(text: str) -> set[str]:
    """A text's content words, singular, without question words ("Alzheimer's" is
    "alzheimers" is "alzheimer": set AJ's "lower my chances of getting alzheimers" never found
    the "How to prevent Alzheimer's Disease?" page by its title)."""
    text = _TYPE_NUMERAL.sub(lambda m: f"{m.group(1)} {_ROMAN[m.group(2).lower()]}", text)
    words = {w.removesuffix("'s") for w in tokens(text.replace("(are)", "")) if w not in STOPWORDS}
    return {w[:-1] if w.endswith("s") and len(w) > 4 else w for w in words} - _ASKING


_ASKING = frozenset({"what", "how", "who", "why", "which", "when", "where", "information"})

_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5"}
_TYPE_NUMERAL = re.compile(r"\b(type|stage)\s+(iii|ii|iv|i|v)\b", re.I)
"""A type's Roman numeral is its number: "sialidosis type 1" is the page on "Sialidosis type
I" (set AV: its symptoms page was never taken for the asked kind's page)."""


DEFINITION_TITLE = "What is (are) {}?"
"""How MedQuAD titles the page that says what a condition is."""


def is_definition_page(title: str) -> bool:
    return title.lower().startswith(DEFINITION_TITLE.split("{}")[0].lower())


_PAGE_TITLES = (*_KIND_TITLES.values(), DEFINITION_TITLE)
_PAGE_WORDS = frozenset(w for title in _PAGE_TITLES for w in content_words(title.format("")))
"""The words MedQuAD's titles put around a page's topic."""


def pages_on(sentences: list[EvidenceSentence], concepts: list[str]) -> frozenset[str]:
    """The concepts a consumer page among the sources is on, by its title's topic: "What is
    (are) Chikungunya ?" is on "chikungunya"; "What are the symptoms of Lyme disease ?" on "lyme
    disease"; no page is on "tumor" or "drive"."""
    topics = {
        frozenset(content_words(s.document.title) - _PAGE_WORDS)
        for s in sentences
        if s.document.evidence_type is EvidenceType.CONSUMER_HEALTH
    }
    return frozenset(c for c in concepts if frozenset(content_words(c)) in topics)
