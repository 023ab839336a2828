"""Turning user text into a safe FTS5 match expression, with synonym expansion.

User text never reaches FTS5 syntax: it is cut into word tokens and every token or phrase is
wrapped in double quotes (inner quotes doubled), so ``NEAR``, ``*``, ``-``, ``:``, ``AND`` or a
stray quote are searched as plain words, never parsed as operators.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from medcite.retrieve.vocabulary import concepts_for_phrases
from medcite.settings import RetrievalSettings
from medcite.store.base import EvidenceStore
from medcite.text import CHATTER, STOPWORDS, capitalised, ngrams, normalise_term, tokens

MAX_PHRASE_WORDS = 8


@dataclass(frozen=True)
class ParsedQuery:
    """A query as retrieval sees it."""

    text: str
    terms: tuple[str, ...]
    expansions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def match(self) -> str:
        """The FTS5 expression of the user's own words: every term quoted, OR-ed."""
        return _any_of(fts_phrase(t) for t in self.terms)

    @property
    def expanded_match(self) -> str:
        """The user's words plus every synonym phrase ("" when nothing was expanded)."""
        if not self.expansions:
            return ""
        synonyms = (fts_phrase(s) for names in self.expansions.values() for s in names)
        return _any_of([*(fts_phrase(t) for t in self.terms), *synonyms])


def _any_of(parts: Iterable[str]) -> str:
    return " OR ".join(dict.fromkeys(p for p in parts if p))


def fts_phrase(text: str) -> str:
    """A double-quoted FTS5 string for ``text`` (empty when it holds no word)."""
    words = tokens(text)
    if not words:
        return ""
    return '"' + " ".join(words).replace('"', '""') + '"'


def parse_query(
    text: str, settings: RetrievalSettings, store: EvidenceStore | None = None
) -> ParsedQuery:
    """Content words of ``text`` (at most ``max_query_terms``) and vocabulary expansions."""
    words = tokens(text)[: settings.max_query_terms * 2]
    terms = tuple(dict.fromkeys(w for w in words if w not in STOPWORDS and w not in CHATTER))
    terms = terms[: settings.max_query_terms]
    if not terms:
        terms = tuple(dict.fromkeys(words))[: settings.max_query_terms]
    expansions: dict[str, tuple[str, ...]] = {}
    if store is not None and settings.synonyms and settings.max_synonyms_per_concept:
        expansions = expand(words[: settings.max_query_terms], settings, store, capitalised(text))
    named = [p for p in expansions if p.split()[0] in STOPWORDS]  # "down syndrome": its stopword
    # is dropped from the terms, and "syndrome" alone finds every syndrome (set AG)
    return ParsedQuery(
        text=text, terms=tuple(dict.fromkeys([*named, *terms])), expansions=expansions
    )


def expand(
    words: list[str],
    settings: RetrievalSettings,
    store: EvidenceStore,
    capitals: frozenset[str] | None = None,
) -> dict[str, tuple[str, ...]]:
    """matched phrase → other names of the same concept(s) that the corpus says (shortest
    first), longest match first, no overlaps. ``capitals``: the words the asker wrote in
    capitals (a lower-case "chip" is not expanded as the initialism CHIP)."""
    candidates = [
        (start, end, phrase)
        for start, end, phrase in ngrams(words, MAX_PHRASE_WORDS)
        if not (end - start == 1 and (phrase in STOPWORDS or len(phrase) < 4))
    ]
    found = concepts_for_phrases(store, [phrase for _, _, phrase in candidates], capitals)
    chosen: list[tuple[str, list[str]]] = []
    covered: set[int] = set()
    for start, end, phrase in candidates:  # longest first at each start
        if phrase not in found or covered & set(range(start, end)):
            continue
        covered.update(range(start, end))
        chosen.append((phrase, found[phrase]))
    if not chosen:
        return {}
    names = store.terms_for_concepts(sorted({c for _, concepts in chosen for c in concepts}))
    alternatives: dict[str, list[str]] = {}
    shown: dict[str, str] = {}  # a name as the vocabulary writes it ("ABO Incompatibility")
    for phrase, concepts in chosen:
        keys: set[str] = set()
        for name in (name for concept in concepts for name in names.get(concept, [])):
            key = normalise_term(name)
            keys.add(key)
            shown.setdefault(key, name)
        alternatives[phrase] = sorted(keys - {phrase}, key=lambda a: (len(a.split()), len(a), a))
    said = store.phrase_frequencies(sorted({a for names_ in alternatives.values() for a in names_}))
    expansions: dict[str, tuple[str, ...]] = {}
    for phrase, ranked in alternatives.items():
        # a name the corpus never says finds and names nothing: "Synthroid" is searched as
        # "thyroxine", not as "Dexnon" and "Eferox"
        kept = [
            a
            for a in ranked
            if said.get(a, 1) > 0 and not _sibling(shown.get(phrase, phrase), shown.get(a, a))
        ]
        if kept:
            expansions[phrase] = tuple(kept[: settings.max_synonyms_per_concept])
    return expansions


def _sibling(phrase: str, other: str) -> bool:
    """Whether ``other`` names another kind of the thing ``phrase`` names, as the vocabulary
    writes both: each holds a letter code the other lacks (:func:`_codes`) beside a word they
    share ("Rh Incompatibility" of "ABO Incompatibility": MeSH gives both as entry terms of
    Blood Group Incompatibility, and set BI's "What causes ABO incompatibility?" was answered
    from Rh incompatibility's pages). "HBV" still names "hepatitis B", "Poison Oak" "poison
    ivy"."""
    mine, theirs = _codes(phrase), _codes(other)
    shared = set(normalise_term(phrase).split()) & set(normalise_term(other).split())
    return bool(mine and theirs and shared) and not mine & theirs


def _codes(name: str) -> set[str]:
    """The letter codes of a name: words in capitals ("ABO") or of two letters, the first a
    capital ("Rh")."""
    return {
        w.lower()
        for w in name.split()
        if w.isalpha() and ((w.isupper() and 2 <= len(w) <= 4) or (len(w) == 2 and w[0].isupper()))
    }
