"""When not to answer: does the retrieved evidence speak to the question at all, and the honest
answers when it does not (``insufficient_evidence``, with what was searched and what the corpus
has) or when it discusses the subject but never links it to the target (``uncertain``).

A question is *covered* when its evidence sentences together name what it is about — every
concept of a one- or two-concept question, two thirds of longer ones — or when one document is
*about the question*: its whole text (title, aims and methods included, not only the sentences an
answer may quote) names those concepts by itself, or one of its passages is so close to the
question in meaning (cosine ≥ ``answer.same_topic_similarity``) that it is about the question
whatever its words. An abstract says what it studied in its objective and what it found in its
results, often without repeating the names; a document about the question may speak through
every sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import zip_longest

from medcite.answer.model import EvidenceMeter, Question, Strength, Verdict
from medcite.answer.question import (
    A_STATEMENT,
    CARE_SETTINGS,
    POINTING,
    STORY_NUMBER,
    asks_of,
    diagnosed,
    questions_in,
    said_before,
)
from medcite.answer.read import names_condition
from medcite.answer.sentences import GENERIC_WORDS, EvidenceSentence, stem
from medcite.answer.verdict import Decision
from medcite.retrieve.query import ParsedQuery, fts_phrase
from medcite.store.base import EvidenceStore, Filters
from medcite.text import CONTEXT_WORDS, normalise_term, tokens


@dataclass(frozen=True)
class Coverage:
    """What the evidence names of the question, and which documents are about it."""

    named: frozenset[str]  # question concepts named by an evidence sentence or on-topic document
    on_topic: frozenset[str]  # documents that name the question or sit close to it in meaning
    close: bool  # a passage is within same_topic_similarity of the question
    by_document: dict[str, frozenset[str]]  # question concepts each document names
    unknown: frozenset[str] = frozenset()  # one-word concepts the whole corpus never contains


def covers(concepts: tuple[str, ...], named: frozenset[str] | set[str]) -> bool:
    """All of one or two concepts, two thirds of more (none asked: covered)."""
    concepts = concepts[:6]
    if not concepts:
        return True
    share = len(set(named) & set(concepts)) / len(concepts)
    return share == 1.0 if len(concepts) <= 2 else share >= 2 / 3


def coverage(
    question: Question,
    sentences: list[EvidenceSentence],
    document_names: dict[str, frozenset[str]],
    same_topic: float,
    store: EvidenceStore | None = None,
    synonyms: dict[str, tuple[str, ...]] | None = None,
) -> Coverage:
    """``document_names``: the question concepts each best document names anywhere. With a
    ``store``, one-word concepts no evidence names are looked up in the whole index, with their
    ``synonyms``: "Cutivate" is in a corpus that says "fluticasone" (set AO: "No source in the
    corpus mentions 'cutivate'" beside its synonyms searched)."""
    best: dict[str, float] = {}
    by_document: dict[str, set[str]] = {}
    for sentence in sentences:
        doc = sentence.document.id
        best[doc] = max(best.get(doc, 0.0), sentence.dense)
        by_document.setdefault(doc, set()).update(sentence.mentions)
    for doc, names in document_names.items():
        by_document.setdefault(doc, set()).update(names)
    close = {doc for doc, similarity in best.items() if similarity >= same_topic}
    key, asked = key_concepts(question), asked_concepts(question)  # once, not per document
    on_topic = close | {
        doc for doc, names in document_names.items() if _covered_by(key, asked, names)
    }
    named = {c for s in sentences for c in s.mentions}
    for doc in on_topic:
        named |= by_document.get(doc, set())
    examples = _examples(question.text)  # "a screening tool like the M-CHAT"
    unknown = {
        concept
        for concept in question.concepts[:6]
        if store is not None
        and concept not in named
        and concept not in examples
        and " " not in concept
        and _nowhere(store, concept, (synonyms or {}).get(concept, ()))
    }
    return Coverage(
        frozenset(named),
        frozenset(on_topic),
        bool(close),
        {doc: frozenset(names) for doc, names in by_document.items()},
        frozenset(unknown),
    )


_PREFIX = re.compile(r"^(?:re|un|non|pre|post|over|under|self|co|mis)-(?=[a-z]{4})")


def _unprefixed(word: str) -> str:
    """A word less a hyphenated prefix: "re-reviewed" is "reviewed", a word the corpus holds,
    not a new term it lacks (set AN abstained on "how often should family history be
    re-reviewed")."""
    return _PREFIX.sub("", word)


SYNONYMS_TRIED = 4  # of a word the corpus lacks, the synonyms looked up before saying so


def _nowhere(store: EvidenceStore, word: str, synonyms: tuple[str, ...]) -> bool:
    """Whether no passage of the whole index holds ``word`` (less a hyphenated prefix) nor any
    of its first :data:`SYNONYMS_TRIED` synonyms; False for a word no search can look up."""
    own = fts_phrase(_unprefixed(word))
    if not own:
        return False
    phrases = [own, *(fts_phrase(name) for name in synonyms[:SYNONYMS_TRIED])]
    return not any(store.bm25(phrase, Filters(), 1) for phrase in phrases if phrase)


def is_covered(question: Question, found: Coverage) -> bool:
    """A word the corpus has never seen (a new drug) is not covered by documents that merely
    name the question's other concepts; only a passage close in meaning overrides that."""
    if found.unknown and (
        _asked(found.unknown, question.text)
        or (not found.close and not _asked_on_its_own(question, found))
    ):
        return False
    return bool(found.on_topic) or _covered_by(
        key_concepts(question), asked_concepts(question), found.named
    )


def _asked_on_its_own(question: Question, found: Coverage) -> bool:
    """Whether a story's question sentence names all it asks, pointing at nothing before it,
    and the corpus names that: "I'm a cashier with carpal tunnel syndrome … What research is
    being done on carpal tunnel syndrome?" is not left unanswered for the story's "cashier"
    (set BQ); "He takes Xyz. Is it safe?" still is, and so is "What is ergotamine and caffeine
    prescribed for? my doctor just gave me Cafergot" (:func:`_written_as_a_name`)."""
    asked = asked_concepts(question)
    return (
        bool(asked)
        and not any(POINTING.search(s) for s in _asking(question.text))
        and not any(_written_as_a_name(word, question.text) for word in found.unknown)
        and covers(asked, found.named)
    )


def _written_as_a_name(word: str, text: str) -> bool:
    """Whether ``text`` writes ``word`` with a capital inside a sentence, as a brand, a name or
    an initialism is ("… my doctor just gave me Cafergot": what is asked of is that drug, which
    no source names, set AG; "… in the ER with DKA …": set AQ's answer on type 1 diabetes never
    said how to prevent it), not as the first word of a sentence."""
    return any(
        m.group(0) != m.group(0).lower() and not re.search(r"(?:^|[.?!]\s+)$", text[: m.start()])
        for m in re.finditer(rf"\b{re.escape(word)}\b", text, re.I)
    )


def covered_as_asked(question: Question, found: Coverage) -> bool:
    """Whether only the things a story's wh-question sentence names cover it: the story's own
    words are not found (:func:`asked_concepts`), and only a page of the asked kind answers."""
    return (
        not found.close
        and not covers(key_concepts(question), found.named)
        and bool(asked_concepts(question))
    )


def asked_unnamed(
    question: Question,
    sentences: list[EvidenceSentence],
    focus: frozenset[str],
    aliases: tuple[str, ...] = (),
) -> bool:
    """Whether a story's wh-question sentence asks of a condition (:func:`asked_concepts`, two
    words or more with a condition's head) whose other words no evidence sentence holds, the
    focus being the story's: "Our newborn son has anemia and his thumbs have three joints …
    What causes Aase syndrome? Is it inherited?" is not answered by osteopetrosis's anemia (set
    BK). A thing named in part ("scapuloperoneal syndrome, kaeser type" beside the
    scapuloperoneal myopathy page) or not a condition ("supplements like coq10") leaves the
    story's answer standing (sets AW, AR), and so does a focus the question sentence asks of
    too ("How are the symptoms different from dumping syndrome?" beside the
    postcholecystectomy syndrome no source names: set Z). A source naming it by another of its
    names (``aliases``: Diamond-Blackfan anemia for Aase syndrome) names it."""
    asked = asked_concepts(question)
    conditions = [c for c in asked if names_condition(c)]
    if not conditions or set(asked) & focus:
        return False
    said = {w for s in sentences for w in tokens(s.text)}  # read only when a condition is asked
    if any(set(tokens(alias)) <= said for alias in aliases):
        return False
    return any(not set(c.split()[:-1]) & said for c in conditions)


def _covered_by(
    key: tuple[str, ...], asked: tuple[str, ...], named: frozenset[str] | set[str]
) -> bool:
    """Whether ``named`` covers the question's key concepts, or those its wh-question sentence
    names (:func:`asked_concepts`)."""
    return covers(key, named) or bool(asked and covers(asked, named))


def _asked(words: frozenset[str], text: str) -> bool:
    """Whether a question sentence of ``text`` (one ending in "?") names one of ``words``: what
    is asked about, not the story around it (set AJ: "… What are the symptoms of ethmoiditis,
    could that be it?" was answered from RSV's page, close in meaning, with no source on
    ethmoiditis in the corpus)."""
    said = {w for s in _asking(text) for w in tokens(s)}
    return bool(words & said)


def _examples(text: str) -> set[str]:
    """The words a question names as examples (:data:`_EXAMPLE`)."""
    return {w for match in _EXAMPLE.finditer(text) for w in tokens(match.group(1))}


_EXAMPLE = re.compile(
    r"\b(?:like|such as|e\.g\.,?|for example,?|for instance,?) (?:the |a |an )?([\w-]+)", re.I
)
"""A thing named as an example of what is asked: "a formal autism screening tool like the
M-CHAT" asks about autism screening, and a corpus without the M-CHAT may still answer it (set
AN abstained beside the USPSTF's autism screening statement)."""


KEY_CONCEPTS = 3  # the most specific; a long message's later phrases are its story


def key_concepts(question: Question, limit: int | None = KEY_CONCEPTS) -> tuple[str, ...]:
    """What coverage is judged on: the concepts the vocabulary knows when a long message holds
    others too ("nodular goiter" of "… the size is visible, but not like a big one …"); a word
    no document holds still sinks coverage (``Coverage.unknown``). A lone generic word
    ("outcome", "treatment", "risk") is not one of them: it names no thing of its own, nor
    does a care setting ("primary care": :data:`CARE_SETTINGS`)."""
    concepts = [
        c
        for c in dict.fromkeys(_term_of(c, question) for c in question.known or question.concepts)
        if c not in CARE_SETTINGS and not STORY_NUMBER.search(c)  # "asymptomatic 62-year-old"
    ]
    things = [
        c
        for c in concepts
        if (" " in c or stem(c) not in GENERIC_WORDS) and not _names_who(c) and not asks_of(c)
    ]  # "whole family", "postpartum patients" say who, not what (set AK)
    asking = " ".join(_asking(question.text))
    if asking and asking != normalise_term(question.text):  # a story, then its question:
        # the question's own things first (set AK: "whole family is itching like crazy … what
        # are the symptoms of scabies?" was judged on "whole family" and "itching")
        said = f" {asking} "
        things.sort(key=lambda c: f" {c} " not in said)
    return tuple(things or concepts)[:limit]


def asked_concepts(question: Question) -> tuple[str, ...]:
    """The key concepts a story's wh-question sentence names, the story around it being
    context: "… one hand shakes … could this be parkinson disease? what are the symptoms?" is
    covered by Parkinson's pages (set AS abstained on the story's hand and voice). None of a
    yes/no question ("A little old lady vitamin A user. Is that toxic?" asks of its story) or
    of a message that is all question."""
    asking = " ".join(_asking(question.text))
    if question.yes_no or not asking or asking == normalise_term(question.text):
        return ()
    concepts = key_concepts(question, limit=None)
    said = f" {asking} "
    named = tuple(c for c in concepts if f" {c} " in said)
    if not named and POINTING.search(asking):  # "… the doctor said henoch-schonlein purpura.
        # what is that? is it serious?": what the sentence before names (set AW abstained on
        # the rash and the sore knees beside the purpura's pages)
        before = said_before(question.text)
        named = diagnosed(before, concepts) or tuple(
            c for c in concepts if f" {c} " in f" {before} "
        )
    return named[:KEY_CONCEPTS]


def _names_who(phrase: str) -> bool:
    head = phrase.split()[-1]
    return head in CONTEXT_WORDS or head.removesuffix("s") in CONTEXT_WORDS


def _asking(text: str) -> list[str]:
    """The sentences of ``text`` that ask (end with "?"), normalised."""
    return [normalise_term(s) for s in questions_in(text)]


def _term_of(concept: str, question: Question) -> str:
    """The longest vocabulary term a run of words holds when the run tells who ("lady", "boy",
    an age) and is no term itself: "vitamin a" of "little old lady vitamin a user", "chewing
    tobacco" of "13-year-old boy uses chewing tobacco" (set AJ: no document names such a run,
    and the question on vitamin A toxicity abstained beside the vitamin A page). A run that
    qualifies the thing keeps its words: "orange breast milk" is not "breast milk" (loosening
    every run answered such questions from off-topic sentences)."""
    words = concept.split()
    if concept in question.terms or not any(w in CONTEXT_WORDS or w[:1].isdigit() for w in words):
        return concept  # "orange breast milk" is not named by "breast milk"
    inner = [t for t in question.terms if t != concept and f" {t} " in f" {concept} "]
    return max(inner, key=len) if inner else concept


def relevant(
    sentences: list[EvidenceSentence], found: Coverage, min_relevance: float
) -> list[EvidenceSentence]:
    """Sentences an answer may rest on: relevant enough, and naming a question concept or
    coming from a document about the question."""
    return [
        s
        for s in sentences
        if s.relevance >= min_relevance and (s.mentions or s.document.id in found.on_topic)
    ]


def unlinked_target(question: Question, found: Coverage) -> str | None:
    """For "Can X cause Y?": Y, when the evidence covers X but never names Y, or names X and Y
    only in different documents (and no passage is about the question as a whole); else None."""
    if not (question.yes_no and question.subject and question.target) or found.unknown:
        return None
    if A_STATEMENT.search(question.subject):  # "Does the USPSTF B recommendation on exercise to
        # prevent falls have an upper age limit …?" asks of the statement, not of a link (set BS:
        # "Uncertain … does not mention falls have an upper age limit …")
        return None
    concepts = question.concepts[:6]
    of_subject, of_target = _sides(question)
    missing = [c for c in concepts if c not in found.named]
    if missing and all(c in of_target for c in missing) and found.named:
        return question.target
    if of_target and of_subject and not found.close and not missing:
        together = any(
            names & of_target and names & of_subject for names in found.by_document.values()
        )
        if not together:
            return question.target
    return None


def _sides(question: Question) -> tuple[set[str], set[str]]:
    """The question concepts that belong to its subject X and to its target Y."""
    concepts = question.concepts[:6]
    target, subject = normalise_term(question.target or ""), normalise_term(question.subject or "")
    of_target = {c for c in concepts if target and (target in c or c in target)}
    of_subject = {
        c for c in concepts if subject and (subject in c or c in subject) and c not in of_target
    }
    return of_subject, of_target


def no_link(
    question: Question, target: str, sentences: list[EvidenceSentence], found: Coverage
) -> tuple[Decision, list[EvidenceSentence]]:
    """The honest answer when the corpus discusses the subject but never links it to the target:
    uncertain, citing the sources that discuss the subject (and never name the target): what
    the corpus says of the link is that nothing in it makes one."""
    of_subject, of_target = _sides(question)

    def about_subject(sentence: EvidenceSentence) -> bool:
        names = found.by_document.get(sentence.document.id, frozenset())
        return not names & of_target and bool(names & of_subject or not of_subject)

    about = one_per_document([s for s in sentences if s.mentions and about_subject(s)])
    if not about:
        return Decision(Verdict.INSUFFICIENT, None, EvidenceMeter(0, 0, 0), ""), []
    subject = question.subject or "the subject"
    told = (
        f"1 source in the corpus discusses {subject}, but it does not mention {target}"
        if len(about) == 1
        else f"{len(about)} sources in the corpus discuss {subject}, "
        f"but none of them mentions {target}"
    )
    reason = f"{told}, so the corpus neither supports nor rules out a link."
    meter = EvidenceMeter(0, 0, len(about))
    return Decision(Verdict.UNCERTAIN, Strength.WEAK, meter, reason), about[:3]


def said_synonyms(searched: list[str], expansions: dict[str, tuple[str, ...]]) -> list[str]:
    """The synonyms an abstention names, each searched phrase's first (its preferred name) before
    any second: "Retin-A" was searched as tretinoin, which the alphabetical first four left out
    (set BA: "the search never used tretinoin")."""
    ranked = [[s for s in expansions.get(c, ()) if not _CODE.search(s)] for c in searched]
    return list(dict.fromkeys(s for rank in zip_longest(*ranked) for s in rank if s))


def insufficient_text(
    question: Question,
    query: ParsedQuery,
    passages: int,
    found: str = "",
    missing: frozenset[str] = frozenset(),
) -> str:
    """What was searched, so the reader sees why there is no answer; ``found``: what the
    corpus has instead ("11 sources in the corpus discuss asthma attack, but none of them states
    an answer to this question"), when something was found; ``missing``: the words of the
    question no source in the corpus holds at all ("lamisil"): the corpus's gap, said plainly,
    not an answer the engine failed to find (set AJ's reviewers took such abstentions for
    failures on basic drugs)."""
    if missing:
        names = ", ".join(f'"{m}"' for m in sorted(missing))
        gap = f"no source in the corpus mentions {names}"
        found = f"{gap}; {found[:1].lower()}{found[1:]}" if found else gap
        found = found[:1].upper() + found[1:]
    searched = list(question.concepts or query.terms)
    synonyms = said_synonyms(searched, query.expansions)
    terms = ", ".join(f'"{t}"' for t in searched[:6])
    also = f" (and synonyms such as {', '.join(synonyms[:4])})" if synonyms else ""
    if found:
        found = found.rstrip(".")
        return (
            f"Not enough evidence: {found}. MedCite searched its corpus for {terms}{also} and "
            f"reviewed {passages} passages. No answer is given rather than one built from "
            "sources that do not address it."
        )
    return (
        f"Not enough evidence: MedCite searched its corpus for {terms}{also} and reviewed "
        f"{passages} passages, but none addresses this question closely enough to answer it. "
        "No answer is given rather than one built from off-topic sources."
    )


_CODE = re.compile(r"\b[a-z]{1,4}[- ]?\d{3,}|\d+-\d{3,}")
"""A code name ("SF 86-327", "TDT-067", "DA 5505"): not shown as a synonym searched."""


def one_per_document(sentences: list[EvidenceSentence]) -> list[EvidenceSentence]:
    seen: set[str] = set()
    out: list[EvidenceSentence] = []
    for sentence in sentences:
        if sentence.document.id not in seen:
            seen.add(sentence.document.id)
            out.append(sentence)
    return out
