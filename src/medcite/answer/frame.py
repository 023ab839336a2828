"""The question as the engine reads it: parenthetical glosses taken out, so that "Can a vitamin
B12 (B12) deficiency cause leukopenia (low white blood cell count)?" is read, searched and
decided exactly as "Can a vitamin B12 deficiency cause leukopenia?" (the synonyms of the
vocabulary bring the lay words back into the search).

An acronym spelled out in the parenthesis after it gives way to its meaning ("What is FISH
(fluorescence in situ hybridization)?" is asked as "What is fluorescence in situ
hybridization?": set Y answered it about eating fish). Any other parenthesis is a gloss when it
repeats words just before it ("vitamin B12 (B12)"), is an
acronym of them ("chronic obstructive pulmonary disease (COPD)"), or is a phrase of two or more
words without a number ("(low white blood cell count)"). "(type 2)", "(HbA1c > 7%)" and a
question inside ("(what age?)") stay; so does an acronym set inside a name before its head
noun ("Zunich neuroectodermal (CHIME) syndrome").

A long message is condensed to the question it asks (``condense``): consumers write a subject
line, a story and then the question ("Meniere's disease. I was diagnosed last year … What info
you might have on hyperbaric treatment?"); the story's words, searched and read, pull the answer
away from what is asked. The subject line stays when the question does not repeat it, and the
sentence before a question that points back ("Is this due to the medication?") stays with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from medcite.text import abbreviates, spells, split_sentences, tokens, word_set

_PAREN = re.compile(r"\s*\(([^()]{1,80})\)")
_WORD = re.compile(r"[A-Za-z0-9]+")


def strip_glosses(text: str) -> str:
    """``text`` without its parenthetical glosses (unchanged when it has none)."""
    out: list[str] = []
    last = 0
    for match in _PAREN.finditer(text):
        before = _WORD.findall(text[max(0, match.start() - 80) : match.start()])[-6:]
        acronym = _ACRONYM_BEFORE.search(text, max(0, match.start() - 12), match.start())
        if acronym is not None and _expands(match.group(1), acronym.group(1)):
            out.append(text[last : acronym.start(1)] + match.group(1))  # the meaning, not the
            last = match.end()  # letters: "FISH (fluorescence in situ hybridization)" is no fish
        elif before and before[-1].lower() in _GENERIC:
            continue  # the name of what the word before only calls a medication: "the
            # patient's prior medication (L-asparaginase)" (set CF searched "prior medication")
        elif _is_gloss(match.group(1), before) or _splits_name(match.group(1), text, match.end()):
            out.append(text[last : match.start()])
            last = match.end()
    if not out:
        return text
    out.append(text[last:])
    return " ".join("".join(out).split())


_GENERIC = word_set(
    "medication medications medicine medicines drug drugs pill pills antibiotic antibiotics"
    " supplement supplements"
)
_ACRONYM_BEFORE = re.compile(r"\b([A-Z][A-Z0-9]{1,7})s?\s*$")
_MINOR = word_set("of in and the for on to with a an by")


def _expands(inside: str, acronym: str) -> bool:
    """Whether ``inside`` spells ``acronym`` out ("fluorescence in situ hybridization" of
    "FISH", "premenstrual syndrome" of "PMS" does not: the initials must match), a prefix
    giving its own letter ("nonallergic rhinitis with eosinophilia syndrome" of "NARES": set AR
    searched the nostrils' "nares")."""
    words = _WORD.findall(inside)
    split = [piece for word in words for piece in _prefixed(word)]
    return spells(acronym.lower(), words, _MINOR) or spells(acronym.lower(), split, _MINOR)


def _prefixed(word: str) -> list[str]:
    """``word`` as its prefix and the rest ("nonallergic": "non", "allergic"), else itself."""
    match = _PREFIX.match(word)
    return [match.group(1), match.group(2)] if match else [word]


_PREFIX = re.compile(r"(non|anti|hyper|hypo|intra|inter|post|sub|neuro|cardio)([a-z]{4,})", re.I)


def _is_gloss(inside: str, before: list[str]) -> bool:
    words = _WORD.findall(inside)
    if not words or "?" in inside or words[0].lower() in _ASKING:
        return False
    lowered = {w.lower() for w in before}
    if all(w.lower() in lowered for w in words):
        return True  # a repeat: "vitamin B12 (B12)"
    initials = "".join(w[0] for w in before).lower()
    if len(words) == 1 and len(words[0]) >= 2 and words[0].lower() in initials:
        return True  # an acronym of the words before it
    if len(words) == 1 and before and abbreviates(words[0].lower(), before[-1].lower()):
        return True  # an abbreviation of the word before it: "electrocardiogram (ECG)"
    return len(words) >= 2 and not any(ch.isdigit() for ch in inside)


def _splits_name(inside: str, text: str, end: int) -> bool:
    """Whether a parenthesis is a name's acronym set inside the name, before its head noun:
    "Zunich neuroectodermal (CHIME) syndrome" is the syndrome GARD's page names "Zunich
    neuroectodermal syndrome" (set BJ: the split name was no concept, and the story's hearing
    loss answered)."""
    return bool(_ACRONYM.fullmatch(inside)) and bool(_HEAD_NOUN.match(text, end))


_ACRONYM = re.compile(r"[A-Z][A-Z0-9-]{1,9}")
_HEAD_NOUN = re.compile(r"\s+(?:syndrome|disease|disorder|deficiency|dystrophy)\b", re.I)


CONDENSE_ABOVE_WORDS = 25  # shorter messages are read as they are
_SUBJECT_WORDS = 6  # a first sentence this short, asking nothing, is a subject line …
_PERSONAL = word_set("i i'm i've we my our you your he she his her they their")  # … unless told
_ASKING = word_set(
    "what how why which who whom whose when where can could does do did is are was were should"
    " will would may might has have"
)
_REQUEST = re.compile(
    r"\b(?:want(?:ed)? to know|would like (?:to know|more|some|info)|need (?:to know|info|help)"
    r"|please (?:help|suggest|tell|advise|explain)|(?:can|could) you|suggest|advise me"
    r"|(?:more )?info(?:rmation)? (?:on|about|regarding)|what (?:should|can|do) i"
    r"|how (?:do|can) i)\b",
    re.I,
)
_POINTING = word_set("this that it these those they them he she his her its")


def condense(text: str, terms: Callable[[str], set[str]] | None = None) -> str | None:
    """The question a long message asks, or None when ``text`` is short or asks nothing
    recognisable as a question (it is then read whole). With ``terms`` (the medical terms of a
    text), a condensed question that keeps no more than half of the message's terms is not used:
    "When will a treatment be available?" does not say for what."""
    if len(tokens(text)) <= CONDENSE_ABOVE_WORDS:
        return None
    sentences = split_sentences(text)
    asking = [i for i, sentence in enumerate(sentences) if _asks(sentence)]
    if not asking and len(sentences) > 1 and _is_subject(sentences[0]):
        asking = [1]  # "Ankle injury. I got hurt in my left ankle 5 months ago. …"
    if not asking or len(asking) == len(sentences):
        return None
    kept: list[int] = []
    for i in asking[:2]:
        if i > 0 and _POINTING & set(tokens(sentences[i])) and i - 1 not in asking:
            kept.append(i - 1)  # "Is this due to the medication?" needs what "this" is
        kept.append(i)
    first = sentences[0]
    question_words = {w for i in kept for w in tokens(sentences[i])}
    if 0 not in kept and _is_subject(first) and not set(tokens(first)) <= question_words:
        kept.insert(0, 0)  # the subject line names what the question only points at
    condensed = " ".join(sentences[i].strip() for i in sorted(set(kept)))
    if condensed == text.strip():
        return None
    if terms is not None:
        before, after = terms(text), terms(condensed)
        if 2 * len(after & before) <= len(before):
            return None
    return condensed


def _asks(sentence: str) -> bool:
    words = tokens(sentence)
    if sentence.rstrip().endswith("?") or bool(words and words[0] in _ASKING):
        return True
    return bool(_REQUEST.search(sentence))


def _is_subject(sentence: str) -> bool:
    words = tokens(sentence)
    return not _asks(sentence) and len(words) <= _SUBJECT_WORDS and not _PERSONAL & set(words)
