"""Spelling: a question word the corpus has never seen ("fasiciitis", "gabamentine") is
corrected to the closest word of the vocabulary (MeSH entry terms, the NCI and CDC glossaries,
MedQuAD topics) that the corpus does contain, so the search runs on what was meant and the page
can say "Showing results for …".

A word is left alone when the corpus holds it, when it is short (under five letters: too many
neighbours), or when no vocabulary word is close enough (one edit for words up to seven letters,
two for longer ones). A new drug the corpus never saw stays as typed and is abstained on.
"""

from __future__ import annotations

import re
import threading
from collections import Counter

from medcite.answer.question import QUESTION_WORDS
from medcite.retrieve.query import fts_phrase
from medcite.store.base import EvidenceStore, Filters
from medcite.text import CHATTER, STOPWORDS, noun_forms

_LETTER = r"[^\W\d_]"
_LOWER = r"[^\W\d_A-Z]"  # a letter that is not an ASCII capital
_WORD = re.compile(rf"(?<!{_LETTER})[A-Z]?{_LOWER}+(?:-{_LOWER}+)*(?!{_LETTER})")
"""A word as written, whole: letters beyond ASCII belong to it ("Alström" was corrected as
"Alstr" + "öm" into "Alstrmöm", set AD); an initialism in capitals is not one."""
MIN_LETTERS = 5
_NOT_CORRECTED = STOPWORDS | QUESTION_WORDS | CHATTER  # words of asking, not of the topic
CANDIDATES = 8  # closest vocabulary words whose corpus frequency is looked up
FREQUENCY_CAP = 5000


_CONDITION_SUFFIX = re.compile(
    r"(?:itis|osis|emia|aemia|oma|pathy|algia|ectomy|otomy|ostomy|plasty|scopy|plegia|trophy)$"
)


def max_edits(word: str) -> int:
    """One edit for words up to seven letters, two for longer ones; one for a name built on a
    condition's suffix: two edits turn one condition into another ("myringitis" is not a
    misspelled "meningitis", set W)."""
    return 1 if len(word) <= 7 or _CONDITION_SUFFIX.search(word) else 2


class Speller:
    """Corrects words against one store's vocabulary; the lexicon is read once, on first use."""

    def __init__(self, store: EvidenceStore) -> None:
        self.store = store
        self._lexicon: list[str] | None = None
        self._known: frozenset[str] = frozenset()
        self._terms: Counter[str] = Counter()  # vocabulary terms each word appears in
        self._joined: dict[str, str] = {}  # "vanderwoude" → "van der woude"
        self._lock = threading.Lock()

    def lexicon(self) -> list[str]:
        with self._lock:
            if self._lexicon is None:
                terms = self.store.vocabulary_terms()
                words = Counter(
                    word
                    for term in terms
                    for word in term.split()
                    if word.isalpha() and len(word) >= MIN_LETTERS - 1
                )
                self._lexicon = sorted(words)
                self._known = frozenset(words)
                self._terms = words
                self._joined = _joined_names(terms)
            return self._lexicon

    def in_corpus(self, word: str) -> bool:
        return self.frequency(word, 1) > 0

    def frequency(self, word: str, cap: int = FREQUENCY_CAP) -> int:
        """Passages holding ``word`` (at most ``cap``): the prior of a correction."""
        phrase = fts_phrase(word)
        return len(self.store.bm25(phrase, Filters(), cap)) if phrase else 0

    def suggest(self, word: str) -> str | None:
        """The vocabulary word the corpus holds that ``word`` most likely meant, or None."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        lowered = word.lower()
        asked = _asking_word(lowered)
        if asked is not None and self.frequency(lowered, RARE + 1) <= RARE:
            return asked  # "symtoms": the corpus's own typos do not make it a word (set AG)
        american = self.american(lowered)
        if american is not None:
            return american
        if self.in_corpus(lowered):  # most words: one index look-up, no lexicon needed
            return None
        lexicon = self.lexicon()
        if lowered in self._known:
            return None
        spaced = self._joined.get(lowered)
        if spaced is not None and self.in_corpus(spaced.split()[-1]):
            return spaced  # a name written as one word: "Vanderwoude syndrome" (set AF)
        other = other_form(lowered)
        if other is not None and self.in_corpus(other):
            return other  # the record for the study: "venogram" is "venography" (set AM)
        field = field_of(lowered)
        if field is not None and self.in_corpus(field):
            return None  # one who practises a field the corpus names is a word, not a typo
        limit = max_edits(lowered)
        found = process.extract(
            lowered, lexicon, scorer=Levenshtein.distance, score_cutoff=limit, limit=20
        )
        if not found:
            return None
        # the fewest edits; among those the word the corpus uses most, then the one in most
        # vocabulary terms (a noisy-channel prior; the index stems, so "diabetes" and "diabetic"
        # count the same passages, but "diabetis" meant "diabetes"), then the longest shared
        # start, then alphabetical: deterministic
        # a typo rarely changes a word's first letter ("Lotensin" is not "tensin")
        found = [hit for hit in found if hit[0][:1] == lowered[:1]]
        if not found:
            return None
        fewest = min(hit[1] for hit in found)
        closest = sorted(hit[0] for hit in found if hit[1] == fewest)[:CANDIDATES]
        counts = {candidate: self.frequency(candidate) for candidate in closest}
        ranked = sorted(
            closest,
            key=lambda c: (-counts[c], -self._terms[c], -_shared_start(lowered, c), c),
        )
        return ranked[0] if counts[ranked[0]] else None

    def american(self, word: str) -> str | None:
        """The vocabulary's (American) spelling of a British one the vocabulary lacks, when the
        corpus uses it as much or more: "nitroglycerine" is "nitroglycerin", "tumour" "tumor",
        "oedema" "edema". A few abstracts hold the British form, so it was left as typed, and
        "How do you run a nitroglycerine drip?" was declined as not medical (set BO)."""
        variants = _american_forms(word)
        if not variants:
            return None
        self.lexicon()
        if word in self._known:
            return None  # "haemophilus" is the vocabulary's own
        known = [v for v in variants if v in self._known]
        if not known:
            return None  # "routine": no look-up of the corpus
        said = self.frequency(word)
        return next((v for v in known if self.frequency(v) >= said), None)

    def correct(self, text: str, glossed: frozenset[str] = frozenset()) -> str | None:
        """``text`` with its misspelled words corrected, or None when nothing changed; the
        ``glossed`` names (:func:`glossed_names` of the text before its glosses were taken
        out) are left as written."""
        kept = glossed | glossed_names(text)
        changed = False
        pieces: list[str] = []
        last = 0
        for match in _WORD.finditer(text):
            word = match.group(0)
            lowered = word.lower()
            if len(word) < MIN_LETTERS or lowered in _NOT_CORRECTED:
                continue
            if lowered in kept:  # a name its gloss explains: "Protopic (tacrolimus)" (sets AI,
                continue  # BS: "photopic")
            suggestion = self.suggest(word) or self.person_with(text, match)
            if suggestion is None:
                continue
            pieces.append(text[last : match.start()])
            pieces.append(suggestion.capitalize() if word[0].isupper() else suggestion)
            last = match.end()
            changed = True
        if not changed:
            return None
        pieces.append(text[last:])
        return "".join(pieces)

    def person_with(self, text: str, match: re.Match[str]) -> str | None:
        """ "person with asthma" for a patient called by their condition ("How do I manage this
        asthmatic?", "… for diabetics?"), when the vocabulary knows the condition and not the
        word: sources say "people with asthma", and the trusted page on asthma is found."""
        word = match.group(0).lower()
        forms = noun_forms(word)
        if not forms:
            return None
        plural = word.endswith("s")  # "diabetics", "hypertensives": never an adjective
        after = _WORD.match(text, len(text) - len(text[match.end() :].lstrip(" ")))
        if not plural and after is not None and after.group(0).lower() not in STOPWORDS:
            return None  # "asthmatic children": an adjective, read as it is
        before = _LAST_WORD.search(text[: match.start()])
        if not plural and (before is None or before.group(1).lower() not in _DETERMINERS):
            return None  # "Is he diabetic?"
        known = self.store.concepts_for_terms([word, *forms])
        if word in known:
            return None
        condition = next((f for f in forms if f in known), None)
        if condition is None:
            return None
        who = (
            "people" if plural else "individual" if before and before.group(1) == "an" else "person"
        )
        return f"{who} with {condition}"


def glossed_names(text: str) -> frozenset[str]:
    """The capitalised words a gloss in brackets follows ("Protopic (tacrolimus ointment)"), or
    that stand alone in brackets after a name ("nitrofurantoin (Macrobid)"), lower-cased: names
    the writer explained, which no typo made (set BV: "Macrobid" searched as "Macrolide")."""
    glossing = {
        match.group(0).lower()
        for match in _WORD.finditer(text)
        if match.group(0)[0].isupper() and text[match.end() :].lstrip(" ").startswith("(")
    }
    glossed = {m.group(1).lower() for m in _BRACKETED_NAME.finditer(text)}
    return frozenset(glossing | glossed)


_BRACKETED_NAME = re.compile(r"\w\s*\(([A-Z][\w-]+)\)")
"""One capitalised word alone in brackets after a word: a brand glossing a generic name."""


_BRITISH = (
    (re.compile(r"ae(?=[a-z])"), "e"),  # anaemia, haemorrhage, paediatric
    (re.compile(r"oe(?=[a-z])"), "e"),  # oedema, oestrogen, diarrhoea
    (re.compile(r"our(?=s?$)"), "or"),  # tumour, tumours
    (re.compile(r"(?<=[a-z]{4})ine(?=s?$)"), "in"),  # nitroglycerine, glycerine
)
"""British spellings and the American the vocabulary (MeSH, NCI) writes."""


def _american_forms(word: str) -> list[str]:
    """The American spellings a British one may stand for (each rule alone, then all)."""
    forms = [pattern.sub(american, word) for pattern, american in _BRITISH]
    every = word
    for pattern, american in _BRITISH:
        every = pattern.sub(american, every)
    return [f for f in dict.fromkeys([*forms, every]) if f != word]


MIN_JOINED = 8
"""Letters a name written as one word needs before it is read as the spaced name."""


ASKING_WORDS = (
    "symptoms", "treatment", "treatments", "causes", "diagnosis", "diagnosed", "prognosis",
    "medicine", "medication", "medications", "prevent", "prevention", "inherited", "genetic",
    "complications", "disease", "syndrome", "infection", "pregnant", "pregnancy",
)  # fmt: skip
"""Words of asking that consumers misspell by one edit ("symtoms", "treatmant"): corrected even
when a passage of the corpus holds the same typo."""
RARE = 3
"""Passages at most that may hold a typo of an asking word for it to be corrected."""


def _asking_word(word: str) -> str | None:
    """The asking word (:data:`ASKING_WORDS`) ``word`` misspells by one edit, or None."""
    from rapidfuzz.distance import Levenshtein

    if len(word) < MIN_LETTERS or word in ASKING_WORDS:
        return None
    close = [w for w in ASKING_WORDS if w[0] == word[0] and Levenshtein.distance(word, w) == 1]
    close = [w for w in close if word.rstrip("sd") != w.rstrip("sd")]  # "symptom", "caused"
    return close[0] if len(close) == 1 else None


_RECORD_FORMS = (("grams", "graphy"), ("gram", "graphy"), ("graphy", "gram"))


def other_form(word: str) -> str | None:
    """The study's name for its record or the record's for its study ("venogram" →
    "venography", "angiography" → "angiogram"), None for other words."""
    for ending, other in _RECORD_FORMS:
        if word.endswith(ending) and len(word) > len(ending) + 3:
            return word[: -len(ending)] + other
    return None


_FIELD_FORMS = (("ists", "y"), ("ist", "y"), ("icians", "ics"), ("ician", "ics"))


def field_of(word: str) -> str | None:
    """The field a practitioner's name is built on ("phlebotomist" → "phlebotomy",
    "pediatrician" → "pediatrics"), None for other words: the corpus may never name the
    practitioner and still be about the field (set BE: "phlebotomist" was corrected to the
    sandfly "phlebotomus", and a question on hepatitis B vaccination searched for it)."""
    for ending, field in _FIELD_FORMS:
        if word.endswith(ending) and len(word) > len(ending) + 4:
            return word[: -len(ending)] + field
    return None


def _joined_names(terms: list[str]) -> dict[str, str]:
    """The first two or three words of multi-word vocabulary terms, written as one word → as
    the vocabulary spaces them ("vanderwoude" → "van der woude"); the first in sorted order
    wins, for determinism."""
    joined: dict[str, str] = {}
    for term in sorted(terms):
        words = term.split()
        for n in (2, 3):
            if len(words) >= n and all(w.isalpha() for w in words[:n]):
                key = "".join(words[:n])
                if len(key) >= MIN_JOINED:
                    joined.setdefault(key, " ".join(words[:n]))
    return joined


_LAST_WORD = re.compile(r"([A-Za-z]+)\s+$")
_DETERMINERS = frozenset(
    ["a", "an", "the", "this", "that", "my", "his", "her", "our", "their", "your"]
)


def _shared_start(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
