"""The study snapshot: design, participants, population, intervention, comparator, outcomes,
follow-up and country of one source, each a span of its own title or abstract (or, for the
design, a publication type verbatim) — never a paraphrase or a guess.

Extraction is pattern-based and prefers silence to a doubtful span: a field is ``None`` unless a
phrase that states it is found in a section where the study describes itself (title and methods
before results; background and conclusions, which talk about other studies, are not read for
design, arms or country). Figures against Evidence Inference are in ``medcite.eval.snapshot``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass

from medcite.appraise.countries import country_pattern
from medcite.records import Document, EvidenceType, Section

FIELDS = (
    "design",
    "participants",
    "population",
    "intervention",
    "comparator",
    "outcomes",
    "follow_up",
    "country",
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One study at a glance; every non-null value is a substring of the source."""

    design: str | None = None
    participants: str | None = None  # the count as written: "2,518 patients", "n = 120"
    population: str | None = None  # who they were: "type 2 diabetes", "undergoing laparoscopy"
    intervention: str | None = None
    comparator: str | None = None
    outcomes: str | None = None
    follow_up: str | None = None
    country: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)

    def is_empty(self) -> bool:
        return all(value is None for value in asdict(self).values())

    def line(self, width: int = 60) -> str:
        """The compact line shown under a reference, e.g. ``randomized trial · 2,518 patients ·
        thigh-length vs below-knee stockings · DVT at 30 days``.
        Parts the source does not state are left out; long ones are cut at a word."""
        arms = self.intervention
        if arms and self.comparator:
            arms = f"{_cut(arms, width)} vs {_cut(self.comparator, width)}"
        follow_up = self.follow_up
        if follow_up and self.outcomes and follow_up in self.outcomes:
            follow_up = None
        parts = [self.design, self.participants, arms, self.outcomes, follow_up, self.country]
        return " · ".join(
            _cut(part, 2 * width if part is arms else width) for part in parts if part
        )


def _cut(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    return text[:width].rsplit(" ", 1)[0].rstrip(",;:") + "…"


# --- sources: which text is read for which field -------------------------------------------------

TITLE, METHODS, RESULTS, INTRO, OTHER = "title", "methods", "results", "intro", "other"
_LABEL_GROUPS = (
    (
        METHODS,
        re.compile(
            r"METHOD|DESIGN|PARTICIPANT|PATIENT|SETTING|SUBJECT|INTERVENTION|MATERIAL|"
            r"OUTCOME|MEASURE|POPULATION|PROCEDURE|SAMPLE"
        ),
    ),
    (RESULTS, re.compile(r"RESULT|FINDING")),
    (
        INTRO,
        re.compile(r"BACKGROUND|INTRODUCTION|OBJECTIVE|AIM|PURPOSE|CONTEXT|RATIONALE|IMPORTANCE"),
    ),
    ("conclusion", re.compile(r"CONCLUSION|DISCUSSION|INTERPRETATION|IMPLICATION|SIGNIFICANCE")),
)


def _group(label: str | None) -> str:
    key = (label or "").upper()
    for group, pattern in _LABEL_GROUPS:
        if pattern.search(key):
            return group
    return OTHER  # unlabelled abstracts, trial registration, key words


def _sources(document: Document, sections: Sequence[Section], order: Sequence[str]) -> list[str]:
    """The texts to read, in ``order`` of groups (title first when asked)."""
    texts = [(TITLE, document.title)] + [(_group(s.label), s.text) for s in sections]
    return [text for group in order for g, text in texts if g == group and text]


_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(“\"])")
_ABBREVIATION = re.compile(r"(?:\b(?:vs|e\.g|i\.e|al|approx|no|fig|ca|St|Dr|mg|resp)|\b[A-Z])\.$")


def _sentences(text: str) -> Iterator[str]:
    """Sentences of ``text`` as slices of it (so every span found in one is a span of the text)."""
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _ABBREVIATION.search(text, max(start, match.start() - 8), match.start()):
            continue
        yield text[start : match.start()]
        start = match.end()
    yield text[start:]


# --- design ------------------------------------------------------------------------------------

_MOD = (
    r"(?:(?:double|single|triple|quadruple|observer|assessor|investigator|"
    r"evaluator|patient)[- ]blind(?:ed)?|"
    r"(?:open|single)[- ]label|(?:cluster[- ])?randomi[sz]ed|"
    r"non-?randomi[sz]ed|quasi-randomi[sz]ed|"
    r"(?:placebo|sham|active|vehicle)[- ]controlled|controlled|"
    r"multi-?cent(?:re|er)|multi-?national|"
    r"single[- ]cent(?:re|er)|cross-?over|parallel[- ](?:group|arm)|"
    r"prospective|retrospective|pilot|"
    r"feasibility|phase\s+(?:I{1,3}V?|IV|[1-4])[ab]?|non-?inferiority|equivalence|pragmatic|"
    r"comparative|(?:two|three|four|2|3|4)[- ]arm(?:ed)?|factorial|(?:population|community|"
    r"hospital|school|practice)-based|longitudinal|exploratory|clinical)"
)
_DESIGN = re.compile(
    rf"\b(?:{_MOD}(?:\s*,\s*|\s+and\s+|\s+|-))*{_MOD}\s+(?:clinical\s+)?(?:trial|study)\b"
    r"|\b(?:systematic review(?: and meta-analysis)?|meta-analysis|cohort study|case[- ]control "
    r"study|cross-sectional (?:study|"
    r"survey))(?: of \d+ (?:randomi[sz]ed )?(?:controlled )?trials)?",
    re.IGNORECASE,
)
_SELF = re.compile(r"\b(?:this|we|our|present|current)\b", re.IGNORECASE)
_PUBLICATION_DESIGNS = (
    "Meta-Analysis",
    "Systematic Review",
    "Randomized Controlled Trial",
    "Controlled Clinical Trial",
    "Clinical Trial, Phase III",
    "Clinical Trial, Phase II",
    "Clinical Trial",
    "Observational Study",
    "Comparative Study",
)


def _design(document: Document, sections: Sequence[Section]) -> str | None:
    for text in _sources(document, sections, (TITLE, METHODS)):
        found = [m.group(0) for m in _DESIGN.finditer(text)]
        if found:
            return max(found, key=len)
    for text in _sources(document, sections, (OTHER, INTRO)):  # "In this randomized trial, we …"
        for sentence in _sentences(text):
            found = [m.group(0) for m in _DESIGN.finditer(sentence)]
            if found and _SELF.search(sentence):
                return max(found, key=len)
    for kind in _PUBLICATION_DESIGNS:
        if kind in document.publication_types:
            return kind
    return None


# --- participants ------------------------------------------------------------------------------

_WORDS_1_19 = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen"
)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_WORD_NUMBER = (
    rf"(?:(?:{_TENS})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|{_WORDS_1_19})"
)
_PEOPLE = (
    r"(?:patients|participants|subjects|women|men|adults|children|infants|individuals|volunteers|"
    r"people|persons|neonates|newborns|babies|students|adolescents|girls|boys|mothers|couples|"
    r"smokers|outpatients|inpatients|survivors|veterans|nurses|physicians|schoolchildren|pupils|"
    r"employees|workers|caregivers|athletes|elderly|dyads|families|households|pairs)"
)
_COUNT = re.compile(
    rf"(?<![\d.,%/–-])(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+|(?i:{_WORD_NUMBER}))(?![.,]?\d|%)"
    rf"(?P<gap>(?:\s+[A-Za-z][\w-]*){{0,3}}?)\s+{_PEOPLE}\b"
    r"|\b[nN]\s*=\s*(?P<m>\d{1,3}(?:,\d{3})+|\d+)\b"
)
_GAP_STOP = frozenset(
    [
        "in",
        "of",
        "with",
        "and",
        "or",
        "to",
        "the",
        "a",
        "an",
        "from",
        "for",
        "per",
        "who",
        "were",
        "was",
        "are",
        "mg",
        "ml",
        "g",
        "kg",
        "mcg",
        "µg",
        "iu",
        "units",
        "years",
        "year",
        "days",
        "day",
        "weeks",
        "week",
        "months",
        "month",
        "hours",
        "h",
        "min",
        "minutes",
        "times",
        "doses",
        "dose",
        "than",
        "more",
        "less",
        "at",
        "by",
        "on",
        "into",
        "among",
        "all",
        "other",
    ]
)
_ENROLMENT = re.compile(
    r"randomi[sz]|enrol|recruit|includ|allocat|assign|particip|underwent|received|studied|"
    r"total of|(?:study|trial|sample|cohort) of|divided|analy[sz]ed|undergoing|"
    r"treated|completed|consisted|comprised|involv",
    re.IGNORECASE,
)
_NOT_ENROLLED = re.compile(
    r"^\W*(?:\w+\s+){0,4}?(?:were\s+)?(?:screened|assessed for|approached|invited|contacted|"
    r"eligible|identified|referred|excluded|declined)",
    re.IGNORECASE,
)


def _number(text: str) -> int:
    if text[0].isdigit():
        return int(text.replace(",", ""))
    words = text.lower().split("-")
    ones = _WORDS_1_19.split("|")
    tens = _TENS.split("|")
    value = 0
    for word in words:
        value += (tens.index(word) + 2) * 10 if word in tens else ones.index(word) + 1
    return value


def _counts(text: str) -> Iterator[tuple[int, str]]:
    """(number, span) of each stated head count that a sentence ties to enrolment."""
    for sentence in _sentences(text):
        if not _ENROLMENT.search(sentence):
            continue
        for match in _COUNT.finditer(sentence):
            gap = (match.group("gap") or "").split()
            if any(word.lower() in _GAP_STOP for word in gap):
                continue
            if _NOT_ENROLLED.search(sentence, match.end()):
                continue
            number = match.group("n") or match.group("m")
            yield _number(number), match.group(0)


def _participants(document: Document, sections: Sequence[Section]) -> str | None:
    title = [
        (_number(m.group("n") or m.group("m")), m.group(0)) for m in _COUNT.finditer(document.title)
    ]
    groups: list[Iterable[tuple[int, str]]] = [
        (c for text in _sources(document, sections, (METHODS,)) for c in _counts(text)),
        title,
        (c for text in _sources(document, sections, (RESULTS, OTHER)) for c in _counts(text)),
    ]
    for candidates in groups:
        found = [c for c in candidates if c[0] >= 2]
        if found:
            return max(found, key=lambda c: c[0])[1]
    return None


# --- population --------------------------------------------------------------------------------

_TERM = r"(?:[^,;:.()\[\]]|\.(?=\d))"  # a phrase runs to punctuation (a decimal point is not)
_POPULATION = re.compile(
    rf"\b{_PEOPLE}\s+(?P<p>(?:with|undergoing|receiving|scheduled for|admitted (?:with|for)|"
    rf"diagnosed with|at (?:high )?risk (?:of|for)|suffering from)\s+{_TERM}{{3,90}}?)"
    r"(?=\s*(?:[,;:.()\[\]]|$|\s(?:were|was|who|are|and (?:were|was|randomi[sz]ed)|to|in|at|"
    r"from|during|after|randomi[sz]ed)\b))"
)


def _population(document: Document, sections: Sequence[Section]) -> str | None:
    for text in _sources(document, sections, (TITLE, METHODS, OTHER)):
        match = _POPULATION.search(text)
        if match:
            return match.group("p")
    return None


# --- intervention and comparator ---------------------------------------------------------------

_END = (
    r"(?=\s*(?:[,;:.()\[\]]|$|\s(?:in|for|among|during|at|after|before|on|over|from|until|"
    r"prior|groups?|arms?|as|to|who|with|and\s+(?:the|a|to|were|was|then)|were|was|is|are|"
    r"respectively|daily\s+for)\b))"
)
_I, _C = (rf"(?:the\s+|a\s+|an\s+)?(?P<{name}>{_TERM}{{2,100}}?)" for name in "ic")
_ARMS = (
    re.compile(
        r"\b(?:randomi[sz]ed|randomly\s+(?:allocated|assigned|divided)|allocated|assigned)"
        r"(?:\s+\(?[\w:]+\)?){0,5}?\s+(?:in)?to\s+(?:receive\s+|either\s+|one of two groups:?\s+)*"
        rf"{_I}\s+(?:or|versus|vs\.?)\s+(?:to\s+)?(?:receive\s+)?{_C}{_END}",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?:received|receive|given|treated with)\s+either\s+{_I}\s+or\s+{_C}{_END}",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:compar(?:e|ing)|comparison of|between)\s+(?:the\s+)?(?:(?:effects?|efficacy|"
        rf"safety|use)\s+of\s+)?{_I}\s+(?:and|with|to|versus|vs\.?)\s+{_C}{_END}",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?:^|[:,;(]\s*|\b(?:of|on|with|using)\s+)(?:the\s+)?"
        rf"{_I}\s+(?:versus|vs\.?|v\.|compared (?:with|to))\s+{_C}{_END}",
    ),
)
_EFFECT_OF = re.compile(
    r"^(?:The\s+)?(?:(?:Comparative\s+)?[Ee]ffects?|[Ee]fficacy|"
    r"[Ii]mpact|[Ii]nfluence|[Ee]valuation|"
    r"[Ss]afety and efficacy|[Ee]fficacy and safety|[Rr]ole|[Bb]enefits?)\s+of\s+(?:the\s+)?"
    rf"(?P<i>{_TERM}{{2,100}}?)\s+(?:on|in|for|among|during)\s+(?:the\s+)?"
    rf"(?P<o>{_TERM}{{2,100}}?)(?=\s*(?:[,;:.()\[\]]|$|\s(?:in|among|after|during|of patients|"
    r"in patients|at|with)\b))"
)
_ARM_TAIL = re.compile(r"\s+(?:group|arm|condition)s?$", re.IGNORECASE)
_VERB = re.compile(r"\b(?:was|were|is|are|be|been|had|has|have|we|this|study)\b", re.IGNORECASE)
_PLACEBO = re.compile(r"\b(?:matching\s+|identical\s+)?[Pp]lacebo\b")


_ARM_HEAD = re.compile(
    r"^(?:.*?\b(?:trial|study|comparison|effects?|efficacy|safety|evaluation|impact|use)\s+of\s+"
    r"(?:the\s+)?|(?:to|with|that of)\s+)",
    re.IGNORECASE,
)
_NOT_ARM = re.compile(
    r"\d\s*%|±|\b(?:19|20)\d\d\b|\b(?:before|after|baseline|pre|post|January|February|March|April|"
    r"May|June|July|August|September|October|November|December)\b|\b(?:vs|of|and|or|in|to|with)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{3,}")
_NOISY = re.compile(r"[pP]\s*[<=>≤]|%|±|\bCI\b|\bOR\b")  # a results sentence, not the design


_OUTCOME_HEAD = re.compile(
    r"(?:the\s+)?(?:risks?|incidence|rates?|odds|prevalence|mortality|occurrence|development|"
    r"likelihood|severity|levels?|outcomes?)\b",
    re.IGNORECASE,
)


def _clean_arm(span: str | None) -> str | None:
    if not span:
        return None
    span = _ARM_TAIL.sub("", _ARM_HEAD.sub("", span)).strip()
    if len(span.split()) > 12 or _VERB.search(span) or _NOT_ARM.search(span):
        return None
    if _OUTCOME_HEAD.match(span):  # "aspirin use versus risk of CRC": an outcome, not an arm
        return None
    return span if _WORD.search(span) else None


def _arms(document: Document, sections: Sequence[Section]) -> tuple[str | None, str | None]:
    sentences = [document.title] + [
        s
        for text in _sources(document, sections, (METHODS, INTRO, OTHER))
        for s in _sentences(text)
        if not _NOISY.search(s)
    ]
    for pattern in _ARMS:
        for sentence in sentences:
            for match in pattern.finditer(sentence):
                i, c = _clean_arm(match.group("i")), _clean_arm(match.group("c"))
                if i and c and i.lower() != c.lower():
                    return i, c
    effect = _EFFECT_OF.match(document.title)
    intervention = _clean_arm(effect.group("i")) if effect else None
    comparator = None
    for text in _sources(document, sections, (TITLE, METHODS)):
        placebo = _PLACEBO.search(text)
        if placebo:
            comparator = placebo.group(0)
            break
    return intervention, comparator


# --- outcomes and follow-up --------------------------------------------------------------------

_OUTCOME = re.compile(
    r"\b(?:primary|main|principal)\s+(?:efficacy\s+|outcome\s+)?(?:outcomes?|end[- ]?points?|"
    r"outcome\s+measures?|measures?|variables?)(?:\s+(?:measures?|"
    r"of\s+(?:the\s+)?(?:study|trial)))?"
    r"\s*(?:was|were|is|are|included|include|:|—)\s*(?:the\s+|a\s+|to\s+|defined as\s+)?"
    r"(?P<o>(?:[^;.]|\.(?=\d)){3,160}?)"
    r"(?=\s*(?:[;.](?:\s|$)|$|,?\s+(?:and|while|whereas)\s+(?:the\s+)?secondary|,\s+secondary))",
    re.IGNORECASE,
)
_OUTCOME_FIRST = re.compile(
    r"^(?:The\s+)?(?P<o>[^;.]{3,120}?)\s+(?:was|were)\s+the\s+(?:primary|"
    r"main)\s+(?:outcome|end[- ]?point)"
)
_OUTCOME_LABEL = re.compile(r"OUTCOME|END ?POINT", re.IGNORECASE)


def _outcomes(document: Document, sections: Sequence[Section]) -> str | None:
    for section in sections:
        if section.label and _OUTCOME_LABEL.search(section.label) and section.text.strip():
            first = next(_sentences(section.text.strip())).rstrip(". ")
            if 3 <= len(first) <= 160:
                return first
    for text in _sources(document, sections, (METHODS, OTHER, INTRO, RESULTS)):
        for sentence in _sentences(text):
            match = _OUTCOME.search(sentence) or _OUTCOME_FIRST.search(sentence)
            if match and not _VERB.search(match.group("o")):
                return match.group("o")
    effect = _EFFECT_OF.match(document.title)
    return effect.group("o") if effect else None


_NUM = rf"(?:\d+(?:\.\d+)?|(?i:{_WORD_NUMBER}))"
_UNIT = r"(?:days?|weeks?|months?|years?|yrs?|hours?)"
_SPAN = rf"{_NUM}(?:\s*(?:to|-|–)\s*{_NUM})?[\s-]+{_UNIT}"
_FOLLOW_UP = re.compile(
    r"\b(?:(?:median|mean|average)\s+)?follow[- ]up\s+(?:period\s+|duration\s+|time\s+)?"
    rf"(?:of|was|lasted|:)\s+(?:up to\s+|about\s+|approximately\s+|at least\s+|"
    rf"a (?:median|mean) of\s+)?{_SPAN}"
    rf"|\bfollowed(?:\s+up)?\s+(?:for|over)\s+(?:up to\s+|at least\s+|"
    rf"a (?:median|mean) of\s+)?{_SPAN}"
    rf"|\b{_SPAN}\s+(?:of\s+)?follow[- ]up\b",
    re.IGNORECASE,
)
_AT_TIME = re.compile(rf"\b(?:at|after)\s+{_SPAN}\b", re.IGNORECASE)


def _follow_up(document: Document, sections: Sequence[Section], outcomes: str | None) -> str | None:
    for text in _sources(document, sections, (TITLE, METHODS, OTHER, RESULTS)):
        match = _FOLLOW_UP.search(text)
        if match:
            return match.group(0)
    timed = _AT_TIME.search(outcomes) if outcomes else None
    return timed.group(0) if timed else None


# --- country -----------------------------------------------------------------------------------

_COMPANY = re.compile(r"\b(?:Ltd|Inc|GmbH|Co|Corp|AG|SA|plc|LLC|Pharma\w*|manufactur\w*)\b\.?")


def _country(document: Document, sections: Sequence[Section]) -> str | None:
    pattern = country_pattern()
    for text in _sources(document, sections, (TITLE, METHODS, OTHER)):
        for match in pattern.finditer(text):
            if not _COMPANY.search(text, max(0, match.start() - 40), match.end()):
                return match.group("country")
    return None


# --- the snapshot ------------------------------------------------------------------------------


def extract_snapshot(document: Document, sections: Sequence[Section]) -> Snapshot:
    """The study snapshot of one source, from its title, abstract sections and publication types."""
    if document.evidence_type is EvidenceType.DRUG_LABEL:
        return Snapshot()  # no study: a label's counts and arms are those of trials it summarises
    intervention, comparator = _arms(document, sections)
    outcomes = _outcomes(document, sections)
    return Snapshot(
        design=_design(document, sections),
        participants=_participants(document, sections),
        population=_population(document, sections),
        intervention=intervention,
        comparator=comparator,
        outcomes=outcomes,
        follow_up=_follow_up(document, sections, outcomes),
        country=_country(document, sections),
    )


def source_texts(document: Document, sections: Sequence[Section]) -> tuple[str, ...]:
    """Every text a snapshot value may be a span of (publication types count for the design)."""
    return (document.title, *(s.text for s in sections), *document.publication_types)
