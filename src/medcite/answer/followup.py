"""Turning a follow-up ("what dose?", "how is it diagnosed?", "and folate?") into a standalone
question, using what the earlier ``Question`` was about.

Pure rules, applied in this order (``classify_follow_up``):

1. POPULATION — "what about in children?", "and during pregnancy?": the earlier question
   restricted to that group (an earlier group at its end is replaced).
2. SUBSTITUTION — "and folate?", "what about anemia?", or a bare fragment ("folate?"): the earlier
   question with one phrase swapped. A condition-like term ("anemia") replaces the earlier target
   when that was a condition too, anything else the subject (or topic); a nutrient keeps the earlier
   head noun, so "folate" after "vitamin B12 deficiency" becomes "folate deficiency".
3. STANDALONE — the text has its own content words, before any pronoun: returned unchanged.
4. PRONOUN — "how is it diagnosed?": the pronoun becomes the earlier topic.
5. NEED — "what dose?", "symptoms?": a template for that need about the earlier topic. A dose for
   a deficiency is the dose of the missing nutrient ("vitamin B12 deficiency" → "vitamin B12").

The earlier topic is its subject, else its target, else its first key phrase, in the earlier
question's own spelling.
"""

from __future__ import annotations

import re
from dataclasses import replace
from enum import StrEnum

from medcite.answer.model import Question, QuestionType
from medcite.answer.question import (
    AUXILIARIES,
    QUESTION_WORDS,
    WH_WORDS,
    analyse_question,
)
from medcite.store.base import EvidenceStore
from medcite.text import STOPWORDS, clean, tokens, word_set


class FollowUpKind(StrEnum):
    POPULATION = "population"
    SUBSTITUTION = "substitution"
    STANDALONE = "standalone"
    PRONOUN = "pronoun"
    NEED = "need"


_POPULATION_WORDS = word_set(
    """children child kids kid infants infant babies baby newborns neonates toddlers adolescents
    teenagers teens adults adult older elderly seniors women woman men man pregnancy pregnant
    breastfeeding athletes young younger girls boys"""
)
_PRONOUN = re.compile(
    r"\b(?:(?:this|the|that) (?:condition|disease|illness|disorder|drug|medicine|medication"
    r"|treatment|deficiency)|it|this|that|they|them|these|those)\b",
    re.I,
)
_POSSESSIVE = re.compile(r"\bits\b", re.I)
_POSSESSED_END = re.compile(r"\bits\s+(?P<thing>[\w\s-]+)$", re.I)
_PRONOUN_WORDS = word_set("it its this that they them these those their")
_FILLER = word_set("and or but also so then ok okay about same question what how")
_CONJUNCTION = re.compile(r"^(?:(?:and|or|but|also|so|ok|okay|then)\b[\s,]*)+", re.I)
_ABOUT = re.compile(r"^(?:(?:what|how)\s+about|same\s+(?:question\s+)?for)\b\s*", re.I)
_PREPOSITION = re.compile(r"^(?:in|for|during|among|with|at)\b", re.I)
_TRAILING_GROUP = re.compile(
    r"\s+(?:in|for|during|among)\s+(?:the\s+)?(?:" + "|".join(sorted(_POPULATION_WORDS)) + r")"
    r"(?:\s+(?:" + "|".join(sorted(_POPULATION_WORDS)) + r"))*$",
    re.I,
)
_NUTRIENT = re.compile(
    r"^(?:vitamin \w+|folate|folic acid|iron|zinc|copper|magnesium|calcium|iodine|thiamine|niacin"
    r"|riboflavin|selenium|potassium|sodium|phosphate|biotin|cobalamin|b\d+|protein)$",
    re.I,
)
_HEADS = word_set("deficiency toxicity overdose supplementation poisoning intake levels level")
_CONDITION = re.compile(
    r"(?:itis|osis|emia|aemia|oma|pathy|penia|uria|plegia|rrhea|rrhoea|algia|cytosis|disease"
    r"|syndrome|cancer|disorder|failure|infection|injury)$",
    re.I,
)
# (need cue, template); "{topic}" is the earlier topic, "{agent}" the nutrient of a deficiency.
_NEEDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"\b(?:{cue})\b"), template)
    for cue, template in (
        (r"doses?|dosage|dosing|how much", "What dose of {agent} is used to treat {topic}?"),
        (r"side effects?|adverse", "What are the side effects of {agent}?"),
        (r"symptoms?|signs?", "What are the symptoms of {topic}?"),
        (r"diagnos\w*|tests?|testing|work-?up|detect\w*", "How is {topic} diagnosed?"),
        (r"treat\w*|therap\w*|manag\w*|cure\w*|medications?|drugs?", "How is {topic} treated?"),
        (r"prevent\w*|avoid\w*", "How can {topic} be prevented?"),
        (r"caus\w*|why", "What causes {topic}?"),
        (
            r"outlook|prognosis|survival|life expectancy|complications?",
            "What is the outlook for {topic}?",
        ),
        (r"risks?|who gets|at risk", "Who is at risk for {topic}?"),
        (r"how common|prevalence|how many", "How common is {topic}?"),
        (r"inherit\w*|genetic|hereditary", "Is {topic} inherited?"),
        (r"what (?:is|are)|mean\w*|define", "What is {topic}?"),
    )
)
_DOSE_OF = "What is the dose of {topic}?"
_TYPE_TEMPLATES = {
    QuestionType.CAUSE: "What causes {topic}?",
    QuestionType.DIAGNOSIS: "How is {topic} diagnosed?",
    QuestionType.TREATMENT: "How is {topic} treated?",
    QuestionType.PROGNOSIS: "What is the outlook for {topic}?",
    QuestionType.RISK_FACTORS: "Who is at risk for {topic}?",
}


def resolve_follow_up(text: str, previous: Question) -> str:
    """A standalone question for follow-up ``text`` asked after ``previous``."""
    text = clean(text)
    kind, rest = _classify(text)
    topic = _topic(previous)
    if kind is FollowUpKind.STANDALONE or topic is None or not tokens(rest):
        return text
    if kind is FollowUpKind.POPULATION:
        return _restrict(previous.text, rest)
    if kind is FollowUpKind.SUBSTITUTION:
        return _substitute(previous, rest)
    if kind is FollowUpKind.PRONOUN:
        return _question(_replace_pronoun(rest, topic))
    own_group = _TRAILING_GROUP.search(rest)
    if own_group:
        return _question(_bare(_need(rest[: own_group.start()], topic)) + own_group.group(0))
    return _with_group(_need(rest, topic), previous.text)


def analyse_follow_up(
    text: str, previous: Question, store: EvidenceStore | None = None
) -> Question:
    """``analyse_question`` of the resolved follow-up, remembering what was typed."""
    resolved = resolve_follow_up(text, previous)
    question = analyse_question(resolved, store)
    typed = clean(text)
    return replace(question, resolved_from=typed) if resolved != typed else question


def classify_follow_up(text: str) -> FollowUpKind:
    """Which rule resolves ``text`` (see the module docstring)."""
    return _classify(clean(text))[0]


def _classify(text: str) -> tuple[FollowUpKind, str]:
    """The rule for ``text`` and the part of it the rule works on."""
    rest = _CONJUNCTION.sub("", _bare(text))
    about = _ABOUT.match(rest)
    rest = rest[about.end() :] if about else rest
    words = tokens(rest)
    own = [i for i, word in enumerate(words) if _is_own_content(word)]
    group = bool(set(words) & _POPULATION_WORDS) and set(words) <= _POPULATION_WORDS | STOPWORDS
    if group or (own and (about or _PREPOSITION.match(rest) or _frameless(words))):
        if group or _PREPOSITION.match(rest):
            return FollowUpKind.POPULATION, rest
        return FollowUpKind.SUBSTITUTION, rest
    pronouns = [i for i, word in enumerate(words) if word in _PRONOUN_WORDS]
    if own and (not pronouns or own[0] < pronouns[0]):
        return FollowUpKind.STANDALONE, rest
    return (FollowUpKind.PRONOUN if pronouns else FollowUpKind.NEED), rest


def _frameless(words: list[str]) -> bool:
    """A short fragment with no question frame and no need ("folate?")."""
    if not words or len(words) > 3 or words[0] in WH_WORDS or words[0] in AUXILIARIES:
        return False
    return not any(pattern.search(" ".join(words)) for pattern, _ in _NEEDS)


def _is_own_content(word: str) -> bool:
    return not (
        word in STOPWORDS
        or word in QUESTION_WORDS
        or word in WH_WORDS
        or word in AUXILIARIES
        or word in _PRONOUN_WORDS
        or word in _POPULATION_WORDS
        or word in _FILLER
        or word.isdigit()
    )


def _topic(previous: Question) -> str | None:
    if previous.subject or previous.target:
        return previous.subject or previous.target
    if previous.concepts:
        return _spelling(previous.text, previous.concepts[0]) or previous.concepts[0]
    return None


def _spelling(text: str, phrase: str) -> str | None:
    """``phrase`` (normalised) as ``text`` spells it."""
    match = _find(text, phrase)
    return match.group(0) if match else None


def _find(text: str, phrase: str) -> re.Match[str] | None:
    words = tokens(phrase)
    if not words:
        return None
    pattern = r"(?<![\w-])" + r"[\W_]+".join(re.escape(w) for w in words) + r"(?![\w-])"
    return re.search(pattern, text, re.I)


def _bare(text: str) -> str:
    return text.strip().rstrip("?.!").strip()


def _question(text: str) -> str:
    text = _bare(text)
    return (text[:1].upper() + text[1:] + "?") if text else text


def _restrict(earlier: str, group: str) -> str:
    if not _PREPOSITION.match(group):
        group = ("during " if tokens(group) == ["pregnancy"] else "in ") + group
    return _question(_TRAILING_GROUP.sub("", _bare(earlier)) + " " + group)


def _with_group(question: str, earlier: str) -> str:
    """``question`` with the group the earlier question ended on ("... in pregnancy")."""
    group = _TRAILING_GROUP.search(_bare(earlier))
    if group is None or group.group(0).strip().lower() in question.lower():
        return question
    return _question(_bare(question) + group.group(0))


def _substitute(previous: Question, new: str) -> str:
    old = previous.subject or _topic(previous) or ""
    if previous.target and _CONDITION.search(new) and _CONDITION.search(previous.target):
        old = previous.target
    else:
        head = tokens(old)[-1:] if old else []
        if head and head[0] in _HEADS and _NUTRIENT.match(new):
            new = f"{new} {head[0]}"
    match = _find(previous.text, old) if old else None
    if match is None:
        return _TYPE_TEMPLATES.get(previous.type, "What is {topic}?").format(topic=new)
    return _question(previous.text[: match.start()] + new + previous.text[match.end() :])


def _replace_pronoun(text: str, topic: str) -> str:
    """The first pronoun → ``topic``; "its side effects" at the end → "the side effects of X"."""
    if not _PRONOUN.search(text) and _POSSESSED_END.search(text):
        return _POSSESSED_END.sub(lambda m: f"the {m.group('thing')} of {topic}", text, count=1)
    if not _PRONOUN.search(text):
        return _POSSESSIVE.sub(lambda _: f"{topic}'s", text, count=1)
    return _PRONOUN.sub(lambda _: topic, text, count=1)


def _need(text: str, topic: str) -> str:
    lower = text.lower()
    agent = _agent(topic)
    for pattern, template in _NEEDS:
        if pattern.search(lower):
            if "{agent}" in template and agent is None:
                template = _DOSE_OF if "dose" in template else template.replace("agent", "topic")
            return template.format(topic=topic, agent=agent)
    return _question(f"{text} (about {topic})")


def _agent(topic: str) -> str | None:
    """The nutrient a deficiency lacks ("vitamin B12 deficiency" → "vitamin B12")."""
    match = re.match(r"^(?P<agent>.+?)\s+deficiency$", topic, re.I)
    return match.group("agent") if match else None
