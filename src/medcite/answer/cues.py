"""Hand-made stance cues that sentence vectors blur: "no significant difference", "did not",
p-values and confidence intervals, hedges, and whether a sentence's direction (higher / lower)
agrees with the question's. :func:`cues` gives one row of the stance model's features."""

from __future__ import annotations

import re

import numpy as np


def _cue(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(rf"(?:{p})" for p in patterns), re.I)


# Sentence cues, one feature each (presence). Order matters: it is the column order.
_SENTENCE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "not_significant",
        _cue(
            r"\b(no|not|non-?)\s*(statistically\s+)?significant",
            r"\bnonsignificant",
            r"\b(did|does|do|was|were) not reach (statistical )?significance",
            r"\(\s*ns\s*\)|\bn\.s\.",
        ),
    ),
    (
        "no_difference",
        _cue(
            r"\bno (significant |statistical |major |clinically \w+ )*"
            r"(difference|change|effect|benefit|improvement|impact|advantage|increase|decrease|"
            r"reduction|influence)s?\b",
            r"\b(did|does|do) not (significantly )?(differ|change|affect|improve|reduce|increase|"
            r"decrease|alter|influence|predict)",
            r"\b(similar|comparable|equivalent|identical|indistinguishable|unchanged|unaffected|"
            r"equal|equally)\b",
        ),
    ),
    (
        "no_association",
        _cue(
            r"\bno (significant |statistical )?"
            r"(association|correlation|relationship|relation|link)",
            r"\bnot (significantly |independently )?"
            r"(associated|related|correlated|linked|predictive)",
            r"\b(unrelated|uncorrelated)\b",
        ),
    ),
    (
        "no_evidence",
        _cue(
            r"\bno (evidence|sign|indication)\b", r"\bnone of\b", r"\bnot (reliably|necessarily)\b"
        ),
    ),
    ("failed", _cue(r"\bfail(ed|s)? to\b", r"\b(could|can|did|does|do|was|were|is|are) not\b")),
    ("negation", _cue(r"\b(no|not|none|neither|nor|without|absence|lack)\b", r"n't\b")),
    ("contrast", _cue(r"\b(however|but|although|though|whereas|despite|except|only)\b")),
    (
        "significant",
        _cue(
            r"(?<!not )(?<!no )(?<!non)\bsignificant(ly)?\b",
            r"\bindependent(ly)? (predictor|risk factor|associated)",
        ),
    ),
    (
        "association",
        _cue(
            r"(?<!not )\b(associated|correlated|related|linked) (with|to)\b", r"\bpredict(ed|s|or)"
        ),
    ),
    (
        "positive",
        _cue(
            r"\b(effective|efficacious|beneficial|superior|improve[sd]?|improvement|benefit|"
            r"feasible|safe|successful(ly)?|useful|valuable|reliable|accurate)\b",
            r"\b(high|good|excellent|strong) (sensitivity|specificity|accuracy|agreement|"
            r"correlation|predictive|reliability)",
        ),
    ),
    (
        "poor",
        _cue(
            r"\b(poor|low|weak|limited|modest) (sensitivity|specificity|accuracy|agreement|"
            r"correlation|predictive|reliability|value|yield)",
            r"\b(ineffective|inaccurate|unreliable|unsafe|harmful|worse|inferior)\b",
        ),
    ),
    (
        "hedge",
        _cue(
            r"\b(may|might|could|possibly|perhaps|unclear|uncertain|unknown|remains? to be|"
            r"controversial|inconclusive|trend|tended|marginal(ly)?|appears?)\b",
            r"\bfurther (studies|study|research|investigation|trials)",
        ),
    ),
    (
        "comparative",
        _cue(r"\b(higher|lower|greater|fewer|less|more|better|larger|smaller)\b"),
    ),
    ("numbers", _cue(r"\d+(\.\d+)?\s*%", r"\b\d+\.\d+\b", r"\(\s*\d")),
    ("p_value", _cue(r"\bp\s*[<=>≤≥]")),
)
_P_VALUE = re.compile(r"\bp\s*(<|=|>|≤|≥|<=|>=)\s*(0?\.\d+|1(\.0+)?)", re.I)
_INTERVAL = re.compile(
    r"\b(?:CI|confidence interval)[^0-9]{0,12}(\d+(?:\.\d+)?)\s*(?:-|–|to|,)\s*(\d+(?:\.\d+)?)",
    re.I,
)
_RATIO = re.compile(r"\b(OR|HR|RR|odds ratio|hazard ratio|relative risk|risk ratio)\b", re.I)
_UP = re.compile(
    r"\b(increas\w*|higher|greater|more|elevat\w*|rais\w*|rise|rises|enhanc\w*|promot\w*|"
    r"improv\w*|better|caus\w*|induc\w*)\b",
    re.I,
)
_DOWN = re.compile(
    r"\b(decreas\w*|lower|less|fewer|reduc\w*|declin\w*|diminish\w*|prevent\w*|protect\w*|"
    r"worse|inhibit\w*|suppress\w*)\b",
    re.I,
)
_WORD = re.compile(r"[a-z0-9]+")
CUE_NAMES: tuple[str, ...] = (
    *(name for name, _ in _SENTENCE_CUES),
    "p_significant",
    "p_not_significant",
    "ratio_significant",
    "ratio_null",
    "up",
    "down",
    "direction_agrees",
    "direction_opposes",
    "question_mark",
    "overlap",
    "log_words",
)


def cues(question: str, sentence: str) -> list[float]:
    """The hand-made features of one (question, sentence) pair, in :data:`CUE_NAMES` order."""
    values = [1.0 if pattern.search(sentence) else 0.0 for _, pattern in _SENTENCE_CUES]
    significant = not_significant = 0.0
    for match in _P_VALUE.finditer(sentence):
        value = float(match.group(2))
        if value < 0.05 or (value == 0.05 and match.group(1) in ("<", "≤", "<=")):
            significant = 1.0
        elif match.group(1) not in ("<", "≤", "<="):
            not_significant = 1.0
    ratio_significant = ratio_null = 0.0
    if _RATIO.search(sentence):
        for match in _INTERVAL.finditer(sentence):
            low, high = float(match.group(1)), float(match.group(2))
            if low <= 1.0 <= high:
                ratio_null = 1.0
            elif low < high:
                ratio_significant = 1.0
    s_up, s_down = bool(_UP.search(sentence)), bool(_DOWN.search(sentence))
    q_up, q_down = bool(_UP.search(question)), bool(_DOWN.search(question))
    q_words = set(_WORD.findall(question.lower())) - _STOP
    s_words = set(_WORD.findall(sentence.lower()))
    overlap = len(q_words & s_words) / len(q_words) if q_words else 0.0
    values += [
        significant,
        not_significant,
        ratio_significant,
        ratio_null,
        float(s_up),
        float(s_down),
        float((q_up and s_up) or (q_down and s_down)),
        float((q_up and s_down and not s_up) or (q_down and s_up and not s_down)),
        1.0 if question.rstrip().endswith("?") else 0.0,
        overlap,
        float(np.log1p(len(sentence.split())) / 4.0),
    ]
    return values


_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "for",
        "to",
        "and",
        "or",
        "with",
        "by",
        "at",
        "from",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "do",
        "does",
        "did",
        "can",
        "could",
        "should",
        "would",
        "will",
        "may",
        "might",
        "has",
        "have",
        "had",
        "there",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "as",
        "than",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "how",
        "why",
        "when",
        "where",
        "whether",
        "any",
        "all",
    ]
)
