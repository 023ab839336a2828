"""Who a text speaks of — sex, age, risk, smoking, pregnancy and its weeks — read from a
guideline's population ("Men aged 65 to 75 years who have ever smoked") and from a question
("Should a 70-year-old woman who smoked for 20 years get an ultrasound …?"), and whether the two
are different people. A recommendation for one population is no answer for another (review set
AB: the statement for men answered a woman, the one after 24 weeks of gestation a question on
before, the one for pregnancies not at increased risk a question on high-risk ones, the adults'
a question on children aged 11 or younger). Words a text does not use leave that trait unsaid,
and an unsaid trait never conflicts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

Ages = tuple[float, float]


@dataclass(frozen=True)
class Population:
    """The traits a text names; None (or empty) where it names none."""

    sexes: frozenset[str] = frozenset()
    ages: Ages | None = None
    at_risk: bool | None = None
    smoked: bool | None = None
    weeks: str | None = None  # "before" or "after" a week of gestation
    pregnant: bool | None = None
    cvd_factors: bool | None = None  # cardiovascular risk factors (hypertension, high LDL …)
    menopause: str | None = None  # "before" or "after" the menopause
    quit_years: Ages | None = None  # years since quitting smoking: (16, 16) of "quit 16 years
    # ago", (0, 15) of "have quit within the past 15 years"

    def conflicts(self, other: Population) -> bool:
        """Whether no one can be both: each trait both name, and they differ."""
        return (
            bool(self.sexes and other.sexes and not self.sexes & other.sexes)
            or _apart(self.ages, other.ages)
            or _differ(self.at_risk, other.at_risk)
            or _differ(self.smoked, other.smoked)
            or _differ(self.weeks, other.weeks)
            or _differ(self.pregnant, other.pregnant)
            or _differ(self.cvd_factors, other.cvd_factors)
            or _differ(self.menopause, other.menopause)
            or _apart(self.quit_years, other.quit_years)
            or (bool(self.pregnant) and _not_childbearing(other.ages))
            or (bool(other.pregnant) and _not_childbearing(self.ages))
        )

    def agrees(self, other: Population) -> int:
        """How many traits both name alike: a question on an 18-year-old agrees with "Women
        younger than 21 years" and not (nor against) "Women who have had a hysterectomy"."""
        return sum(
            [
                bool(self.sexes and self.sexes & other.sexes),
                self.ages is not None
                and other.ages is not None
                and not _apart(self.ages, other.ages),
                _same(self.at_risk, other.at_risk),
                _same(self.smoked, other.smoked),
                _same(self.weeks, other.weeks),
                _same(self.pregnant, other.pregnant),
                _same(self.cvd_factors, other.cvd_factors),
                _same(self.menopause, other.menopause),
                self.quit_years is not None
                and other.quit_years is not None
                and not _apart(self.quit_years, other.quit_years),
            ]
        )


def _same(a: object, b: object) -> bool:
    return a is not None and a == b


def _differ(a: object, b: object) -> bool:
    return a is not None and b is not None and a != b


CHILDBEARING_AGE = 10.0
"""Below this age no one is pregnant: a pregnancy guideline is no answer on a 9-year-old boy
(set AE: "The Work Group recommends screening for depression … during pregnancy and
postpartum" answered "Should I screen him with a depression questionnaire?")."""


PAST_CHILDBEARING = 55.0
"""From this age no one is pregnant: the pregnancy threshold of a urine culture is no answer
on a healthy 70-year-old woman (set AG: it gave her a "Yes")."""


def _not_childbearing(ages: Ages | None) -> bool:
    return ages is not None and (ages[1] < CHILDBEARING_AGE or ages[0] >= PAST_CHILDBEARING)


def _apart(a: Ages | None, b: Ages | None) -> bool:
    return a is not None and b is not None and (a[1] < b[0] or b[1] < a[0])


_WIDENING = re.compile(r"\b(?:including|and their|(?<=.)parents of)\b.*", re.I)
""""General adult population, including pregnant and postpartum women": what follows widens
the population, it does not narrow it (a message that starts "Parents of a healthy 9-month-old"
speaks of the child: set AF)."""

_FEMALE = re.compile(
    r"\b(?:wom[ae]n|female|girls?|mothers?|daughters?|wife|sisters?|pregnant|"
    r"postmenopausal|premenopausal|menopaus\w*)\b",
    re.I,
)
_MALE = re.compile(r"\b(?:m[ae]n|males?|boys?|fathers?|sons?|husband|brothers?)\b", re.I)
_SHE = re.compile(r"\b(?:she|her|hers)\b", re.I)
_HE = re.compile(r"\b(?:he|his|him)\b", re.I)
"""Pronouns say the sex only where no word for a person does: in "a 74-year-old woman … her
husband just had his AAA repaired", "his" is the husband's (set AR: read as a man too, the
men's statement answered her)."""
_RELATIVES = re.compile(
    r"\b(?:whose|his|her|their)\s+(?:\w+\s+)?(?:mothers?|fathers?|sisters?|brothers?|sons?"
    r"|daughters?|husband|wife|grandmothers?|grandfathers?|aunts?|uncles?|parents?)\b",
    re.I,
)
"""The people of a patient's family history, not the patient: "a 68-year-old woman … whose
brother had an AAA repair" is a woman."""

_UNIT = r"(?P<unit>years?|yrs?|months?|weeks?)"
_RANGE = re.compile(
    rf"\b(?:aged?\s+)?(?P<lo>\d{{1,3}})\s*(?:to|-|–|through)\s*(?P<hi>\d{{1,3}})\s*{_UNIT}",
    re.I,
)
_OLDER = re.compile(
    rf"\b(?:(?P<a>\d{{1,3}})\s*{_UNIT}?\s*(?:or|and)\s*(?:older|over|up)|"
    r"(?:older than|over|at least)\s+(?P<b>\d{1,3})\s*(?:years?)?\b)",
    re.I,
)
_YOUNGER = re.compile(
    rf"\b(?:(?P<a>\d{{1,3}})\s*{_UNIT}?\s*(?:or|and)\s*(?:younger|under)|"
    r"(?:younger than|under)\s+(?P<b>\d{1,3})\s*(?:years?)?\b"
    r"|(?:from birth )?(?:through|to) age (?P<c>\d{1,3})(?:\s*years?\b)?)",
    re.I,
)
_VISIT = r"(?:olds?|well[- ]child|(?:well[- ])?visits?|check-?ups?)\b"
_AGED = re.compile(
    rf"\b(?P<n>\d{{1,3}})[- ](?:years?|yrs?)[- ]{_VISIT}|\baged?\s+(?P<m>\d{{1,3}})\b"
    rf"|\b(?P<k>\d{{1,2}})[- ]months?[- ]{_VISIT}",  # "a healthy 9-month-old" (set AF), "at
    # 18-month well-child visits" (set AJ: the statement for children aged 3 to 5 answered)
    re.I,
)

_GROUPS: tuple[tuple[re.Pattern[str], Ages], ...] = (
    (re.compile(r"\b(?:newborns?|neonates?|infants?|babies|baby)\b", re.I), (0.0, 1.0)),
    (re.compile(r"\b(?:children|child|kids?|toddlers?)\b", re.I), (0.0, 12.0)),
    (re.compile(r"\b(?:adolescents?|teens?|teenagers?|teenage)\b", re.I), (10.0, 19.0)),
    (re.compile(r"\b(?:older adults?|elderly|seniors?)\b", re.I), (60.0, math.inf)),
    (re.compile(r"(?<!older )\badults?\b", re.I), (18.0, math.inf)),
)

_NOT_AT_RISK = re.compile(
    r"\bnot at (?:an )?(?:increased|high|elevated) risk|\b(?:low|average|usual)[- ]risk\b|"
    r"\b(?:without|no) (?:known )?(?:\w+ )?risk factors"
    r"|\b(?:without|no) (?:\w+ ){0,3}family history",  # "no personal or family history" (AU)
    re.I,
)
_AT_RISK = re.compile(
    r"\b(?:at|of|with) (?:an )?(?:increased|high|higher|elevated|intermediate or high) risk|"
    r"\bhigh[- ]risk\b|\bwith (?:\w+ ){0,3}risk factors"
    r"|\b(?:has|have|with) a (?:personal or )?family history"
    r"|\b(?:whose|his|her|their) (?:mother|father|sister|brother|parent|sibling)s? (?:had|has)",
    re.I,
)  # a family history: "… whose brother had an AAA repair" (set AJ)
_EITHER_TRAIT = re.compile(r"\bsmoked or (?:have|has|with) a family history", re.I)
"""A population of either trait ("Women who have ever smoked or have a family history of AAA")
is of neither alone: a woman who never smoked but whose brother had an AAA is one of them."""
_NEVER_SMOKED = re.compile(
    r"\bnever (?:smoked|been a smoker)|\bnever[- ]smokers?|\bnon-?smok\w*|"
    r"\b(?:do|does|did)(?:n't| not) smoke|\bnot started to use tobacco",
    re.I,
)
_SMOKED = re.compile(
    r"\bsmok(?:ed|es|ers?)\b|\bcurrently smoke|\bpack-year|\buse tobacco|\btobacco users?", re.I
)
_POSTMENOPAUSAL = re.compile(r"\bpost-?menopaus\w*|\bafter (?:the )?menopause", re.I)
_PREMENOPAUSAL = re.compile(r"\bpre-?menopaus\w*|\bbefore (?:the )?menopause", re.I)


def _menopause(text: str) -> str | None:
    """Whether the women are past the menopause ("after"), before it, or unsaid (both, or
    neither, said): the I statement on vitamin D "in men and premenopausal women" is no answer
    for postmenopausal women (set AM)."""
    after, before = bool(_POSTMENOPAUSAL.search(text)), bool(_PREMENOPAUSAL.search(text))
    return "after" if after and not before else "before" if before and not after else None


_CVD_FACTOR = re.compile(
    r"\b(?:(?:cardiovascular|cvd)(?: disease)? risk factors|hypertension|high blood pressure"
    r"|dyslipidemia|hyperlipidemia|high cholesterol|(?:pre)?diabetes|metabolic syndrome"
    r"|abnormal blood glucose|ldl(?:-c)?(?: of)? (?:1[6-9]\d|[2-9]\d\d))\b",
    re.I,
)
_NEGATION = re.compile(r"\b(?:without|no|not have|not|normal)\b[^.;:]*$", re.I)
_SCOPE_END = re.compile(r"\b(?:but|with)\b|(?<!not )(?<!n't )\b(?:has|have)\b", re.I)
_SOME_FACTORS = re.compile(r"\b(?:1|one|2|two) or more (?:cardiovascular |cvd )?risk factors", re.I)


def _cvd_factors(text: str) -> bool | None:
    """Whether people have cardiovascular risk factors (None when the text names none): "a
    58-year-old with hypertension and LDL 160, no diabetes" has them, "adults without obesity
    who do not have hypertension, dyslipidemia, … or diabetes" have none, and the USPSTF's
    "individualize the decision" for the latter is no answer for the former (sets AD, AI, AJ,
    AK: "Uncertain" from it, where the B statement for adults with risk factors answers)."""
    if _SOME_FACTORS.search(text):
        return True
    said = [not _negated(text[: m.start()]) for m in _CVD_FACTOR.finditer(text)]
    return None if not said else any(said)


def _negated(before: str) -> bool:
    """Whether a negation ("without", "no", "do not have", "normal") governs what follows
    ``before``: up to a full stop, or to a "but"/"with" that starts another clause."""
    clause = _SCOPE_END.split(before)[-1]
    return bool(_NEGATION.search(clause))


_BEFORE = re.compile(r"\bbefore \d+ weeks|\bearly (?:in )?pregnancy|\bfirst trimester", re.I)
_AFTER = re.compile(r"\bafter \d+ weeks|\blate (?:in )?pregnancy|\bthird trimester", re.I)
_NOT_PREGNANT = re.compile(r"\bnon-?pregnant|\bnot pregnant", re.I)
_PREGNANT = re.compile(
    r"\bpregnant\b|\b(?:during|in|of) pregnancy\b|\bexpecting a baby|\b(?:pre|ante)natal\b"
    r"|\b(?:year-old|woman|she|patient) (?:is )?at \d+ weeks\b(?! postpartum)",
    re.I,
)  # "… for the management of pregnancy"; "22-year-old at 29 weeks …" (set AU)


@lru_cache(maxsize=4096)
def population(text: str) -> Population:
    """The traits ``text`` names (a guideline's population or a question); remembered, for a
    question is read against every guideline sentence's title."""
    narrow = _WIDENING.sub("", text)
    own = _RELATIVES.sub(" ", narrow)  # "whose brother had an AAA repair" is no man (set AJ)
    sexes = frozenset(
        sex for sex, cue in (("female", _FEMALE), ("male", _MALE)) if cue.search(own)
    ) or frozenset(sex for sex, cue in (("female", _SHE), ("male", _HE)) if cue.search(own))
    either = bool(_EITHER_TRAIT.search(narrow))
    return Population(
        sexes=sexes,
        ages=ages(narrow),
        at_risk=None if either else _either(narrow, _NOT_AT_RISK, _AT_RISK),
        smoked=None if either else _either(narrow, _NEVER_SMOKED, _SMOKED),
        weeks="before" if _BEFORE.search(narrow) else "after" if _AFTER.search(narrow) else None,
        pregnant=_either(narrow, _NOT_PREGNANT, _PREGNANT),
        cvd_factors=_cvd_factors(narrow),
        menopause=_menopause(narrow),
        quit_years=_quit_years(narrow),
    )


def _quit_years(text: str) -> Ages | None:
    """How long ago a text's person quit smoking, or within how many years its population
    did: a 61-year-old who "quit smoking 16 years ago" is none of the adults who "have quit
    within the past 15 years" (set BZ: "Yes" to going on screening her for lung cancer)."""
    if m := _QUIT_WITHIN.search(text):
        return 0.0, float(m.group(1))
    if m := _QUIT_AGO.search(text):
        years = float(m.group(1) or m.group(2))
        return years, years
    return None


_QUIT_WITHIN = re.compile(r"\bquit (?:smoking )?within the (?:past|last) (\d+) years?", re.I)
_QUIT_AGO = re.compile(
    r"\b(?:quit|stopped|gave up)(?: smoking)? (?:about |over |nearly |almost )?(\d+) years? ago"
    r"|\bhas(?:n't| not) smoked (?:for|in) (?:about |over )?(\d+) years",
    re.I,
)


def _either(text: str, no: re.Pattern[str], yes: re.Pattern[str]) -> bool | None:
    return False if no.search(text) else True if yes.search(text) else None


def ages(text: str) -> Ages | None:
    """The ages ``text`` speaks of, in years: a stated range or bound first ("aged 65 to 75
    years", "11 years or younger", "a 70-year-old"), else its age groups' span ("children and
    adolescents")."""
    if m := _RANGE.search(text):
        scale = _scale(m.group("unit"))
        return float(m.group("lo")) * scale, float(m.group("hi")) * scale
    if m := _OLDER.search(text):
        return float(m.group("a") or m.group("b")) * _scale(m.groupdict().get("unit")), math.inf
    if m := _YOUNGER.search(text):
        n = m.group("a") or m.group("b") or m.group("c")
        below = _BELOW if m.group("b") else 0.0  # "younger than 3 years" leaves out age 3
        return 0.0, float(n) * _scale(m.groupdict().get("unit")) - below
    if m := _AGED.search(text):
        n = float(m.group("n") or m.group("m")) if not m.group("k") else float(m.group("k")) / 12
        return n, n
    spans = [span for cue, span in _GROUPS if cue.search(text)]
    if not spans:
        return None
    return min(lo for lo, _ in spans), max(hi for _, hi in spans)


_BELOW = 1e-6
"""How far under its bound "younger than N" ends: children younger than 3 years are none of
"children aged 3 to 5 years" (set AQ: the statement for 3 to 5 answered a 20-month-old, and the
one for adults aged 50 to 59 a question on "adults younger than 50")."""


def _scale(unit: str | None) -> float:
    if not unit:
        return 1.0
    unit = unit.lower()
    return 1 / 12 if unit.startswith("month") else 1 / 52 if unit.startswith("week") else 1.0


POPULATION_MARK = " -- "
"""What parts a guideline record's title: "USPSTF: Topic: Service -- Population"."""


def record_topic(title: str) -> str | None:
    """A guideline record's topic: the part of its title before " -- " ("USPSTF: Abdominal
    Aortic Aneurysm: Screening"), or None for a title with no population part."""
    return title.split(POPULATION_MARK, 1)[0] if POPULATION_MARK in title else None


def of_title(title: str) -> Population:
    """A guideline's population: the part of its title after " -- " (the USPSTF's "Topic --
    Population"), else the whole title."""
    return population(title.split(POPULATION_MARK, 1)[1] if POPULATION_MARK in title else title)


def conflicting(question: str, title: str) -> bool:
    """Whether a guideline titled ``title`` speaks of other people than ``question`` does."""
    return population(question).conflicts(of_title(title))


def agreeing(question: str, title: str) -> int:
    """How many traits of its people a question and a guideline titled ``title`` name alike."""
    return population(question).agrees(of_title(title))


_WHOM = r"(?:all |the )?(?:[\w-]+ ){0,3}?"  # "all sexually active …", "older …"
_PEOPLE = r"adults|women|men|children|adolescents|persons|people|infants|patients|girls|boys"
_IN_WHOM = re.compile(rf"\b(?:in|for|among|to) ({_WHOM}(?:{_PEOPLE}|pregnant)\b[^.;]*)", re.I)


def speaks_of_others(question: str, title: str, sentence: str) -> bool:
    """Whether a guideline's recommendation is for other people than the question's: by the
    people its sentence names, else by its title's population ("… in women who have never
    smoked and have no family history of AAA" is no answer for a woman whose brother had one,
    "… who have ever smoked or have a family history" is: set AJ; the records' titles say only
    "Women who have never smoked" and "… who have ever smoked")."""
    whom = _IN_WHOM.search(sentence)
    if whom is None:
        return conflicting(question, title)
    asked = population(question)
    return all(asked.conflicts(population(part)) for part in _groups(whom.group(1)))


def _groups(people: str) -> list[str]:
    """The groups a sentence's people fall into: "women age 24 years and younger" and "older
    women who are at increased risk"; a bare people word before another group shares what that
    group says ("children and adolescents 6 years and older" is one group: set AQ said "Yes" for
    a 4-year-old, reading "children" alone)."""
    groups: list[str] = []
    for part in _ALSO.split(people):
        if groups and _BARE.match(groups[-1]):
            groups[-1] = f"{groups[-1]} and {part}"
        else:
            groups.append(part)
    return groups


_BARE = re.compile(rf"^{_WHOM}(?:{_PEOPLE})$", re.I)


_ALSO = re.compile(rf",? and (?:in |for |among )?(?={_WHOM}(?:{_PEOPLE})\b)", re.I)
"""Where a sentence's people are two groups: "women age 24 years and younger and in older
women who are at increased risk" speaks of a 30-year-old at increased risk (set AK)."""


_NOT_AGES = re.compile(r"(?:over|at least|under)\b", re.I)
_PATIENT_AGE = re.compile(r"\b(?P<n>\d{1,3})[- ](?:years?|yrs?)[- ]olds?\b", re.I)


def _patient_age(question: str) -> int | None:
    """The age of the one patient a question describes by age ("a 79-year-old"), None when it
    names none or two."""
    told = {int(m.group("n")) for m in _PATIENT_AGE.finditer(question)}
    return next(iter(told)) if len(told) == 1 else None


def outside_ages(question: str, statement: str) -> tuple[str, int] | None:
    """The ages a statement states ("aged 65 to 75 years", "50 years or older") and the age of
    the one patient a question describes by age ("a 79-year-old") when it is not of them, else
    None. A question that names two ages, or a statement that states none, has no answer here."""
    age = _patient_age(question)
    if age is None:
        return None
    for pattern in (_RANGE, _OLDER, _YOUNGER):
        m = pattern.search(statement)
        if m is None or _NOT_AGES.match(m.group(0).strip()) or "year" not in m.group(0):
            continue  # "a life expectancy of at least 10 years", "after 24 to 28 weeks"
        span = ages(m.group(0))
        if span is None or span[0] <= age <= span[1]:
            return None
        return m.group(0).strip(), age
    if age < _ADULT and _ADULTS_ONLY.search(statement) and not _YOUNGER_GROUPS.search(statement):
        return ADULTS, age  # "… for tobacco cessation in adults, including pregnant
        # persons" does not cover a 17-year-old (set CE)
    return None


def outside_said_ages(question: str) -> bool:
    """Whether a question says the ages a statement is for, bare of a unit ("… listed for ages
    18 to 50, cover her …?"), and the one patient it describes by age is not of them (set CG:
    a 16-year-old pregnant smoker got "Yes, strong" from the statement for all pregnant
    persons, which says no ages)."""
    age = _patient_age(question)
    said = _SAID_AGES.search(question)
    if age is None or said is None:
        return False
    return not int(said.group("lo")) <= age <= int(said.group("hi"))


_SAID_AGES = re.compile(
    r"\bage[sd]?\s+(?P<lo>\d{1,3})\s*(?:to|-|–|through)\s*(?P<hi>\d{1,3})\b", re.I
)

_ADULT = 18
ADULTS = "adults"
"""What :func:`outside_ages` names for a statement on adults by no age: read as "for adults",
not "for those …" as a stated span is."""
_ADULTS_ONLY = re.compile(r"(?<!older )(?<!young )\badults\b", re.I)
_YOUNGER_GROUPS = re.compile(
    r"\b(?:newborns?|neonates?|infants?|babies|child|children|kids?|adolescents?|teens?"
    r"|teenagers?|youths?|young (?:people|persons|adults))\b",
    re.I,
)
